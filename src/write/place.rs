//! Where the output folder may be: never the site folder, a folder above it, or a folder
//! of the site's sources (SPEC section 8). Checked before anything is written.

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::Diagnostic;

/// The folders of a site that hold its sources.
const SOURCES: [&str; 3] = ["content", "themes", "static"];

/// Checks `output` against the site at `root` and returns the folder the site is to be
/// written to: `output` itself, or where it points when it is a symbolic link (the link
/// stays; the site goes where it points).
pub fn check_output_place(root: &Path, output: &Path) -> Result<PathBuf, Diagnostic> {
    let shown = output.display().to_string();
    let root_real = resolve(root).map_err(|e| Diagnostic::new(root, format!("cannot read the site folder: {e}")))?;
    let out_real = resolve(output).map_err(|e| Diagnostic::general(format!("--output {shown}: cannot resolve the path: {e}")))?;
    let refuse = |what: &str| {
        Diagnostic::general(format!("--output {shown} is {what}: a build replaces what is in its output folder, so it would destroy the site's sources"))
            .help("write the site to a folder of its own, such as the default public/ (`--output public`) or a folder outside the site")
    };
    if out_real == root_real {
        return Err(refuse("the site folder itself"));
    }
    if root_real.starts_with(&out_real) {
        return Err(refuse("a folder that contains the site folder"));
    }
    for source in SOURCES {
        let folder = resolve(&root.join(source)).unwrap_or_else(|_| root_real.join(source));
        if out_real.starts_with(&folder) {
            return Err(refuse(&format!("inside the site's {source}/ folder")));
        }
    }
    match std::fs::metadata(&out_real) {
        Ok(meta) if !meta.is_dir() => Err(Diagnostic::general(format!("--output {shown} is a file, not a folder"))
            .help("remove or rename the file, or choose another --output; gazette does not move it aside")),
        _ => Ok(out_real),
    }
}

/// The absolute path with every symbolic link resolved, for a path that may not exist
/// yet: its longest existing part is resolved and the rest appended.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        match existing.canonicalize() {
            Ok(real) => {
                let mut real = real;
                for part in rest.iter().rev() {
                    real.push(part);
                }
                return Ok(normalize(&real));
            }
            Err(_) => match (existing.file_name().map(|n| n.to_os_string()), existing.parent().map(Path::to_path_buf)) {
                (Some(name), Some(parent)) => {
                    rest.push(name);
                    existing = parent;
                }
                _ => return Ok(normalize(&absolute)),
            },
        }
    }
}

/// Drops `.` and resolves `..` lexically (only in the part that did not exist yet).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn site() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        for dir in ["content", "themes/default", "static"] {
            fs::create_dir_all(tmp.path().join(dir)).unwrap();
        }
        tmp
    }

    #[test]
    fn the_site_its_parents_and_its_sources_are_refused() {
        let tmp = site();
        let root = tmp.path();
        for bad in [root.to_path_buf(), root.join("."), root.join(".."), root.join("content"), root.join("content/public"), root.join("themes"), root.join("static/out"), root.join("public/../content")] {
            let err = check_output_place(root, &bad).unwrap_err();
            assert!(err.message.contains("would destroy the site's sources"), "{bad:?}: {}", err.message);
        }
        assert_eq!(check_output_place(root, &root.join("public")).unwrap(), root.canonicalize().unwrap().join("public"));
        assert!(check_output_place(root, &tmp.path().parent().unwrap().join("elsewhere-公开")).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_output_resolves_to_where_it_points_and_is_checked_there() {
        let tmp = site();
        let root = tmp.path();
        let away = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(away.path(), root.join("public")).unwrap();
        assert_eq!(check_output_place(root, &root.join("public")).unwrap(), away.path().canonicalize().unwrap());
        std::os::unix::fs::symlink(root.join("content"), root.join("sneaky")).unwrap();
        assert!(check_output_place(root, &root.join("sneaky")).is_err());
    }

    #[test]
    fn a_file_is_not_an_output_folder() {
        let tmp = site();
        fs::write(tmp.path().join("public"), "mine").unwrap();
        let err = check_output_place(tmp.path(), &tmp.path().join("public")).unwrap_err();
        assert!(err.message.contains("is a file"), "{}", err.message);
        assert_eq!(fs::read_to_string(tmp.path().join("public")).unwrap(), "mine");
    }
}
