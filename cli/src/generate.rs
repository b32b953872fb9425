//! `generate`: inputs → a crate, or a workspace of crates.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use connectorkit_generator::{CrateOptions, GeneratedCrate, LoadOptions, RuntimeDependency};
use indicatif::{ProgressBar, ProgressStyle};

use crate::{fetch, report};

/// What `generate` was asked.
pub struct Args<'a> {
    pub inputs: &'a [String],
    pub out: &'a Path,
    pub name: Option<String>,
    pub runtime_path: Option<&'a Path>,
    pub verbose: bool,
    pub load: LoadOptions,
    pub force: bool,
    /// Also write `examples/conformance.rs`.
    pub conformance: bool,
    /// Also write the round-trip harness of each crate.
    pub roundtrip_harness: bool,
    /// The actions to keep (tags, actions), for every input.
    pub select: connectorkit_generator::Options,
    /// Registry, version, license, repository, description and authors of every crate
    /// (its name and runtime are set per input).
    pub crate_options: CrateOptions,
}

/// Generates every input; a bad input is reported and the rest still generate. False (exit
/// 1) when any input reported an error (a crate with errors in parts is still written).
pub fn run(args: &Args) -> bool {
    let Args {
        inputs,
        out,
        runtime_path,
        verbose,
        ..
    } = *args;
    let name = args.name.clone();
    if inputs.len() > 1 && name.is_some() {
        eprintln!("error: --name applies to a single input; crate names are derived per input");
        return false;
    }
    let runtime_abs = match runtime_path.map(std::path::absolute).transpose() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: bad --runtime-path: {e}");
            return false;
        }
    };
    let out_abs = match std::path::absolute(out) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: bad --out: {e}");
            return false;
        }
    };
    if !args.force {
        if let Err(e) = check_ours(&out_abs) {
            eprintln!("error: {e}");
            return false;
        }
    }
    let single = inputs.len() == 1;
    let bar = if single {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::new(inputs.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    };
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut members: Vec<String> = Vec::new();
    let mut failed = 0usize;
    let mut total_warnings = 0usize;
    for input in inputs {
        bar.set_message(input.clone());
        let result = fetch::prepare(input, &args.load).and_then(|mut prepared| {
            prepared.select(&args.select)?;
            let wanted = name.clone().unwrap_or_else(|| {
                connectorkit_generator::crate_name_for(&prepared.connector.title, &stem(input))
            });
            let mut crate_name = wanted.clone();
            let mut n = 2;
            while !single && !names.insert(crate_name.clone()) {
                crate_name = format!("{wanted}-{n}");
                n += 1;
            }
            let dir = if single {
                out_abs.clone()
            } else {
                out_abs.join(&crate_name)
            };
            let runtime = match &runtime_abs {
                Some(r) => RuntimeDependency::Path(relative(&dir, r)),
                None => RuntimeDependency::default(),
            };
            let harness = if args.roundtrip_harness {
                prepared.roundtrip_files(&crate_name)?
            } else {
                Vec::new()
            };
            prepared
                .into_crate(&CrateOptions {
                    name: Some(crate_name),
                    runtime,
                    conformance: args.conformance,
                    ..args.crate_options.clone()
                })
                .map(|mut c| {
                    c.files.extend(harness);
                    (c, dir)
                })
        });
        match result {
            Ok((krate, dir)) => {
                let mut errors = 0;
                bar.suspend(|| {
                    let (e, w) = report::print(input, &krate.diagnostics, verbose);
                    total_warnings += w;
                    errors = e;
                });
                let refused = if args.force {
                    None
                } else {
                    check_ours(&dir).err()
                };
                if let Some(why) = refused {
                    bar.suspend(|| eprintln!("error: {input}: {why}"));
                    failed += 1;
                } else if let Err(e) = write_crate(&krate, &dir) {
                    bar.suspend(|| {
                        eprintln!("error: {input}: cannot write {}: {e}", dir.display())
                    });
                    failed += 1;
                } else {
                    members.push(krate.name.clone());
                    // Written (the parts at fault left out, for inspection), but the run
                    // fails: an error was reported.
                    if errors > 0 {
                        bar.suspend(|| {
                            eprintln!(
                                "error: {input}: {errors} error(s) reported; the crate was written without the parts at fault"
                            )
                        });
                        failed += 1;
                    }
                }
            }
            Err(f) => {
                bar.suspend(|| {
                    report::print(input, &f.diagnostics, true);
                });
                failed += 1;
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    if !single {
        if let Err(e) = write_workspace(&out_abs, &members) {
            eprintln!("error: cannot write the workspace manifest: {e}");
            return false;
        }
    }
    eprintln!(
        "generated {} of {} input(s) into {} ({} warning(s), {} failed)",
        members.len(),
        inputs.len(),
        out.display(),
        total_warnings,
        failed
    );
    failed == 0
}

/// `Ok` when `dir` may be written: it does not exist, is empty, or holds a Cargo.toml that
/// connectorkit generated (its `@generated` first line).
fn check_ours(dir: &Path) -> Result<(), String> {
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(_) => return Ok(()),
    };
    if !meta.is_dir() {
        return Err(format!(
            "{} exists and is not a folder; pass another --out",
            dir.display()
        ));
    }
    let empty = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false);
    if empty {
        return Ok(());
    }
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
    let first = manifest.lines().next().unwrap_or("");
    if first.starts_with("# @generated by connectorkit") {
        return Ok(());
    }
    Err(format!(
        "{} exists and was not generated by connectorkit (no `@generated` Cargo.toml); refusing to overwrite it (pass --force to write there anyway)",
        dir.display()
    ))
}

fn stem(input: &str) -> String {
    Path::new(input.trim_end_matches('/'))
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `to` relative to `from`, with forward slashes (it goes into Cargo.toml).
fn relative(from: &Path, to: &Path) -> String {
    pathdiff::diff_paths(to, from)
        .unwrap_or_else(|| to.to_path_buf())
        .to_string_lossy()
        .replace('\\', "/")
}

fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(contents) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, contents)
}

fn write_crate(krate: &GeneratedCrate, dir: &Path) -> std::io::Result<()> {
    for f in &krate.files {
        write_if_changed(&dir.join(&f.path), &f.contents)?;
    }
    Ok(())
}

fn write_workspace(dir: &Path, members: &[String]) -> std::io::Result<()> {
    let list: Vec<String> = members.iter().map(|m| format!("    \"{m}\",")).collect();
    let manifest = format!(
        "# @generated by connectorkit.\n[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        list.join("\n")
    );
    write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    let _: PathBuf = dir.to_path_buf();
    Ok(())
}
