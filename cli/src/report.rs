//! Printing diagnostics.

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
