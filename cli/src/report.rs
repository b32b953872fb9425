//! Printing diagnostics.

use connectorkit_generator::model::typing::{Counts, Typing};
use connectorkit_generator::{Diagnostic, Severity};

/// Prints errors always and warnings when `verbose`; returns (errors, warnings).
pub fn print(input: &str, diags: &[Diagnostic], verbose: bool) -> (usize, usize) {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    for d in diags {
        if d.severity == Severity::Error || verbose {
            eprintln!("{d}");
        }
    }
    if warnings > 0 && !verbose {
        eprintln!("{input}: {warnings} warning(s) (use --verbose to see them)");
    }
    (errors, warnings)
}

/// One line of typing figures: `fields 1584: 1500 typed, 60 Value (free-form), 24 Value
/// (fallback); parameters …`.
pub fn typing(t: &Typing) -> String {
    fn part(what: &str, c: &Counts) -> String {
        format!(
            "{what} {}: {} typed, {} Value (free-form), {} Value (fallback)",
            c.total(),
            c.typed,
            c.free_form,
            c.fallback
        )
    }
    format!(
        "{}; {}",
        part("fields", &t.fields),
        part("parameters", &t.params)
    )
}
