//! The site folder's boundary: nothing outside it is read into the output. A symbolic
//! link under content/, static/ or a theme may point anywhere inside the site, never out
//! of it (a site built in CI from a contributor's pull request must not publish
//! `/etc/passwd` through `static/passwd -> /etc/passwd`).

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone)]
pub struct Boundary {
    /// The site folder with every link resolved.
    root: PathBuf,
}

impl Boundary {
    pub fn of(root: &Path) -> Boundary {
        let root = root.canonicalize().or_else(|_| std::path::absolute(root)).unwrap_or_else(|_| root.to_path_buf());
        Boundary { root }
    }

    /// For a path that is a symbolic link: an error naming it when it leads outside the
    /// site folder (or nowhere).
    pub fn check_link(&self, link: &Path) -> Result<(), Diagnostic> {
        let shown = std::fs::read_link(link).map(|t| t.display().to_string()).unwrap_or_default();
        match link.canonicalize() {
            Ok(target) if target.starts_with(&self.root) => Ok(()),
            Ok(target) => Err(Diagnostic::new(link, format!("symbolic link leaves the site folder: it points to {}", target.display()))
                .help("gazette publishes only files inside the site folder: copy the file into the site, or remove the link")),
            Err(e) => Err(Diagnostic::new(link, format!("broken symbolic link to {shown}: {e}")).help("fix the link or remove it")),
        }
    }

    /// [`Boundary::check_link`] for a walked entry, which knows whether it is a link.
    pub fn check_entry(&self, entry: &walkdir::DirEntry) -> Result<(), Diagnostic> {
        if entry.path_is_symlink() {
            self.check_link(entry.path())
        } else {
            Ok(())
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_inside_the_site_are_fine_and_links_out_are_errors() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(site.path().join("static/img")).unwrap();
        std::fs::write(site.path().join("static/img/logo.png"), "png").unwrap();
        std::fs::write(outside.path().join("secret"), "x").unwrap();
        symlink(site.path().join("static/img/logo.png"), site.path().join("static/logo.png")).unwrap();
        symlink("img", site.path().join("static/pictures")).unwrap();
        symlink(outside.path().join("secret"), site.path().join("static/passwd")).unwrap();
        symlink("../../..", site.path().join("static/img/up")).unwrap();
        symlink(site.path().join("nothing"), site.path().join("static/broken")).unwrap();
        let boundary = Boundary::of(site.path());
        assert!(boundary.check_link(&site.path().join("static/logo.png")).is_ok());
        assert!(boundary.check_link(&site.path().join("static/pictures")).is_ok());
        let err = boundary.check_link(&site.path().join("static/passwd")).unwrap_err();
        assert!(err.message.contains("leaves the site folder") && err.file.ends_with("static/passwd"), "{err:?}");
        assert!(boundary.check_link(&site.path().join("static/img/up")).is_err(), "the folder above the site");
        assert!(boundary.check_link(&site.path().join("static/broken")).unwrap_err().message.contains("broken"));
    }
}
