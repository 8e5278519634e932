//! Finds the input files under `content/`, in a deterministic order, skipping what editors
//! leave behind (hidden files, swap and backup files).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;
use crate::load::boundary::Boundary;

/// What the walk found: articles, other files (copied as they are), and problems.
#[derive(Debug, Default)]
pub struct ContentFiles {
    pub articles: Vec<PathBuf>,
    pub assets: Vec<PathBuf>,
    pub errors: Vec<Diagnostic>,
}

/// Walks `dir` (absolute or relative) and returns paths as found under it. A symbolic
/// link that leaves the site folder is an error, and is not followed.
pub fn content_files(dir: &Path, boundary: &Boundary) -> ContentFiles {
    let mut found = ContentFiles::default();
    if !dir.is_dir() {
        return found;
    }
    let mut outside = Vec::new();
    let walker = WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter().filter_entry(|e| {
        (e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy())) && boundary.check_entry(e).map_err(|d| outside.push(d)).is_ok()
    });
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let path = e.into_path();
                if is_markdown(&path) {
                    found.articles.push(path);
                } else {
                    found.assets.push(path);
                }
            }
            Ok(_) => {}
            Err(err) => found.errors.push(walk_error(&err)),
        }
    }
    found.errors.append(&mut outside);
    found
}

fn walk_error(err: &walkdir::Error) -> Diagnostic {
    let path = err.path().map(Path::to_path_buf).unwrap_or_default();
    if let Some(ancestor) = err.loop_ancestor() {
        return Diagnostic::new(path, format!("symbolic link loop: this folder links back to {}", ancestor.display()))
            .help("remove or fix the symbolic link");
    }
    Diagnostic::new(path, format!("cannot read: {err}"))
}

pub fn is_markdown(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("md" | "markdown"))
}

/// Hidden files and the temporary files that vim, emacs, VS Code and JetBrains IDEs write.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [".#a.md", "a.md~", ".a.md.swp", "a.md.swp", "4913", "a.md___jb_tmp___", ".hidden"] {
            assert!(is_ignored(name), "{name}");
        }
        for name in ["a.md", "局县会商.md", "img.png"] {
            assert!(!is_ignored(name), "{name}");
        }
    }
}
