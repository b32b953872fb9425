//! What a definition may read: external `$ref`s are confined to one folder (the input's, or
//! the `ref_root` given), to regular files with a definition extension, size-capped; never a
//! device, a pipe, `/proc` or `/sys`; and a definition read from a URL reads nothing from
//! the local disk.
//!
//! Checks that need no file system access (the extension, lexical containment) come first,
//! so that a refused reference does not even tell whether the file exists.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The largest file read (a definition or a file it refers to): 64 MiB.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Extensions a referenced file must have.
const DEFINITION_EXTENSIONS: &[&str] = &["json", "yaml", "yml"];

/// Why a reference or an input is refused: (code, message, hint).
pub(crate) type Refusal = (&'static str, String, String);

/// True for `http(s)://` names (a definition fetched by URL).
pub(crate) fn is_url(name: &Path) -> bool {
    name.to_str()
        .is_some_and(|s| s.starts_with("http://") || s.starts_with("https://"))
}

/// Lexically removes `.` and `a/..` components.
pub(crate) fn clean(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !matches!(
                    out.components().next_back(),
                    Some(Component::RootDir | Component::Prefix(_))
                ) {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// An absolute, lexically cleaned path (the current folder is the base).
fn absolute(p: &Path) -> PathBuf {
    let p = if p.as_os_str().is_empty() {
        Path::new(".")
    } else {
        p
    };
    clean(&std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
}

/// Pseudo file systems and device folders: never read, whatever the root.
fn is_special(p: &Path) -> bool {
    ["/proc", "/sys", "/dev"].iter().any(|s| p.starts_with(s))
}

fn has_definition_extension(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DEFINITION_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The folder external references are confined to.
pub(crate) struct Root {
    /// As given (or the input's folder), for messages.
    shown: PathBuf,
    /// Absolute and cleaned.
    lexical: PathBuf,
    /// Symlinks resolved; `None` when it does not exist.
    canonical: Option<PathBuf>,
    /// Whether the root was given (`--ref-root`) rather than the input's folder.
    given: bool,
    /// The input came from a URL: nothing is read from the disk.
    remote: bool,
    /// The input, for hints.
    input: PathBuf,
}

impl Root {
    /// The root for `input` (a file path or a URL), widened to `ref_root` when given.
    pub(crate) fn new(input: &Path, ref_root: Option<&Path>) -> Self {
        let remote = is_url(input);
        let (shown, given) = match ref_root {
            Some(r) => (r.to_path_buf(), true),
            None => {
                let parent = input.parent().map(Path::to_path_buf).unwrap_or_default();
                let parent = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent
                };
                (parent, false)
            }
        };
        let lexical = absolute(&shown);
        let canonical = std::fs::canonicalize(&lexical).ok();
        Root {
            shown,
            lexical,
            canonical,
            given,
            remote,
            input: input.to_path_buf(),
        }
    }

    /// The option that would allow `target`: the nearest folder holding the input and it.
    fn suggestion(&self, target: &Path) -> String {
        let input_dir = clean(self.input.parent().unwrap_or(Path::new("")));
        let target = clean(target);
        // Relative paths compare lexically when both climb out of the current folder the
        // same number of times (`../x/spec` and `../x/common` → `../x`).
        let ups = |p: &Path| {
            p.components()
                .take_while(|c| matches!(c, Component::ParentDir))
                .count()
        };
        let mut common = PathBuf::new();
        if input_dir.is_relative() && target.is_relative() && ups(&input_dir) == ups(&target) {
            for (a, b) in input_dir.components().zip(target.components()) {
                if a != b {
                    break;
                }
                common.push(a.as_os_str());
            }
        } else {
            let (a, b) = (absolute(&input_dir), absolute(&target));
            for (x, y) in a.components().zip(b.components()) {
                if x != y {
                    break;
                }
                common.push(x.as_os_str());
            }
        }
        if common.as_os_str().is_empty() {
            ".".to_string()
        } else {
            common.display().to_string()
        }
    }

    /// Checks that the file `full` (the `$ref` `r` resolved against its file's folder) may be
    /// read; returns its canonical path. Read it with [`read_ref`].
    pub(crate) fn check_ref(&self, r: &str, full: &Path) -> Result<PathBuf, Refusal> {
        if self.remote {
            return Err((
                "ref/remote-base",
                format!(
                    "`$ref: {r}` refers to another file, but this definition was read from a URL; files it names are not read from the local disk or fetched"
                ),
                "download the definition and the files it refers to, and give the local file (with `--ref-root` at the folder that holds them all)".to_string(),
            ));
        }
        let not_definition = || {
            (
                "ref/not-a-definition-file",
                format!(
                    "`$ref: {r}` names {}, which is not a definition file; only regular `.json`, `.yaml` and `.yml` files are read",
                    full.display()
                ),
                "refer to a JSON or YAML file that holds the definition's content".to_string(),
            )
        };
        let lexical = absolute(full);
        if !has_definition_extension(&lexical) || is_special(&lexical) {
            return Err(not_definition());
        }
        let outside = |shown: &Path| {
            let widen = self.suggestion(full);
            (
                "ref/outside-root",
                format!(
                    "`$ref: {r}` reads {}, outside {}: references are confined to {}",
                    shown.display(),
                    clean(&self.shown).display(),
                    if self.given {
                        "the `--ref-root` folder"
                    } else {
                        "the input's folder"
                    }
                ),
                format!(
                    "if that file is part of the definition, pass `--ref-root {widen}` (the same folder as `Config::ref_root` in build.rs or `ref_root = \"…\"` in `connector!`, relative to the manifest folder there)"
                ),
            )
        };
        if !lexical.starts_with(&self.lexical) {
            return Err(outside(full));
        }
        let canonical = std::fs::canonicalize(&lexical).map_err(|e| {
            (
                "ref/missing-file",
                format!("`$ref: {r}`: cannot read {}: {e}", full.display()),
                "check the path; it is relative to the file that contains the $ref".to_string(),
            )
        })?;
        // A symlink inside the root may lead anywhere: check where it really is.
        let inside = self
            .canonical
            .as_ref()
            .is_some_and(|root| canonical.starts_with(root));
        if !inside {
            return Err(outside(full));
        }
        if !has_definition_extension(&canonical) || is_special(&canonical) {
            return Err(not_definition());
        }
        Ok(canonical)
    }
}

/// Reads a file that [`Root::check_ref`] allowed.
pub(crate) fn read_ref(r: &str, full: &Path, canonical: &Path) -> Result<Vec<u8>, Refusal> {
    read_regular(canonical).map_err(|why| {
        (
            "ref/unreadable-file",
            format!("`$ref: {r}`: cannot read {}: {why}", full.display()),
            "refer to a regular JSON or YAML file".to_string(),
        )
    })
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`]; devices, pipes, sockets and folders
/// are refused before they are opened.
pub(crate) fn read_regular(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a device, pipe or socket)"
        };
        return Err(format!("it is {what}"));
    }
    if is_special(&std::fs::canonicalize(path).unwrap_or_default()) {
        return Err("files under /proc, /sys and /dev are never read".to_string());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big());
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big());
    }
    Ok(bytes)
}

fn too_big() -> String {
    format!(
        "it is larger than {} MiB, the most a definition file may be",
        MAX_FILE_BYTES >> 20
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_and_suggests() {
        assert_eq!(clean(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(clean(Path::new("../a")), PathBuf::from("../a"));
        assert_eq!(clean(Path::new("/../a")), PathBuf::from("/a"));
        let root = Root::new(Path::new("tree/spec/swagger.yaml"), None);
        assert_eq!(
            root.suggestion(Path::new("tree/spec/../common/E.yaml")),
            "tree"
        );
        assert!(is_url(Path::new("https://x/y.yaml")));
        assert!(!has_definition_extension(Path::new("/etc/passwd")));
        assert!(has_definition_extension(Path::new("a.YAML")));
    }
}
