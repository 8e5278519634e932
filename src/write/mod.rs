//! The write stage: rendered files reach the disk through a [`Sink`].
//!
//! - [`OutputFolder`] and [`InPlace`]: the one way gazette writes a site. The output
//!   folder is checked against the site (never its sources), locked, and brought to the
//!   new build by staging only files whose bytes changed and moving them in after a
//!   journal, replacing and removing only files gazette wrote itself (its manifest, in
//!   `.gazette/` at the top of the folder). `gazette build` opens the folder for one build
//!   ([`OutputFolder::open`]); `serve --watch` keeps its private folder open from rebuild
//!   to rebuild ([`OutputFolder::open_live`]), with the manifest and each page's input
//!   fingerprint in memory, so that an unchanged page is neither rendered nor looked at on
//!   disk. Design and failure analysis: `docs/output-folder.md`.
//! - [`DryRun`] (`gazette check`): counts and checks, writes nothing.

pub mod compress;
mod folder;
mod known;
mod manifest;
mod place;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Component, Path};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

pub use folder::{Committed, InPlace, OutputFolder, Written, BOOKKEEPING};
pub use manifest::content_hash;
pub use place::check_output_place;

/// Where renderers put files. `rel` is a relative path with `/` separators.
pub trait Sink: Sync {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Copies a file that is not rendered (static files, content assets).
    fn copy(&self, rel: &str, from: &Path) -> io::Result<()>;
    /// Whether the page at `rel`, whose inputs have the fingerprint `inputs()` returns, is
    /// already in the output from an earlier build, so that it need not be rendered again.
    /// When it is, `rel` counts as written by this build. Sinks that start from nothing
    /// (a full build) say no without computing the fingerprint.
    fn reuse(&self, _rel: &str, _inputs: &dyn Fn() -> u64) -> io::Result<bool> {
        Ok(false)
    }
    /// Keeps the file at `rel` as the last build wrote it, counting it as written by this
    /// one (a renderer whose output may stay as it was: the search index of a site whose
    /// articles did not change).
    /// False when the last build wrote no such file, or the sink keeps nothing.
    fn keep(&self, _rel: &str) -> io::Result<bool> {
        Ok(false)
    }
    /// Whether [`Sink::keep`] would keep `rel` (checks, claims nothing).
    fn can_keep(&self, _rel: &str) -> bool {
        false
    }
    /// The bytes of `rel` as the last build wrote it, if the sink has them.
    fn previous(&self, _rel: &str) -> Option<Vec<u8>> {
        None
    }
}

/// Refuses any path that could leave the output folder or is not a plain relative path,
/// and the names gazette keeps for itself (`.gazette/` at the top of the output).
fn checked(rel: &str) -> io::Result<&Path> {
    let path = Path::new(rel);
    let plain = !rel.is_empty() && !rel.contains('\\') && !rel.contains('\0') && path.components().all(|c| matches!(c, Component::Normal(_)));
    if !plain {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("refusing to write outside the output folder: {rel:?}")));
    }
    if rel == folder::BOOKKEEPING || rel.starts_with(&format!("{}/", folder::BOOKKEEPING)) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{rel:?}: the output's {}/ folder is gazette's own; rename the file", folder::BOOKKEEPING)));
    }
    Ok(path)
}

/// Remembers every path written, so that no output can silently replace another (an
/// alias over a list page, a static file over a generated one), nor two outputs differ
/// only in letter case: a case-insensitive disk (macOS, Windows) or CDN would keep one.
#[derive(Default)]
struct Claims(Mutex<ClaimSet>);

#[derive(Default)]
struct ClaimSet {
    taken: HashSet<String>,
    /// Lower-cased path → the path that took it.
    folded: HashMap<String, String>,
}

impl Claims {
    fn claim(&self, rel: &str) -> io::Result<()> {
        let mut set = lock(&self.0);
        if !set.taken.insert(rel.to_string()) {
            return Err(two_outputs(rel));
        }
        // Only paths with upper-case letters can meet another one by folding.
        let folded = rel.to_lowercase();
        if let Some(other) = set.folded.get(&folded) {
            let other = other.clone();
            set.taken.remove(rel);
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("two outputs differ only in letter case, {other:?} and {rel:?}: a case-insensitive disk or CDN keeps only one; rename one of them"),
            ));
        }
        set.folded.insert(folded, rel.to_string());
        Ok(())
    }

    fn into_paths(self) -> HashSet<String> {
        self.0.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()).taken
    }
}

fn two_outputs(rel: &str) -> io::Error {
    // A file of static/ named like the .gz or .br that --compress writes beside another.
    let hint = if rel.ends_with(".gz") || rel.ends_with(".br") { " (with --compress, gazette writes FILE.gz and FILE.br beside each text file FILE: remove the precompressed file from static/, or build without --compress)" } else { "" };
    io::Error::new(io::ErrorKind::AlreadyExists, format!("two outputs want the same file {rel:?}{hint}"))
}

/// Counts what would be written, writes nothing (`gazette check`).
#[derive(Default)]
pub struct DryRun {
    pub files: AtomicUsize,
    claims: Claims,
}

impl DryRun {
    /// Every file the build would write, relative to the output folder.
    pub fn outputs(self) -> HashSet<String> {
        self.claims.into_paths()
    }
}

impl Sink for DryRun {
    fn write(&self, rel: &str, _bytes: &[u8]) -> io::Result<()> {
        checked(rel)?;
        self.claims.claim(rel)?;
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
    fn copy(&self, rel: &str, _from: &Path) -> io::Result<()> {
        self.write(rel, &[])
    }
}

// A panic on another thread must not hide the files this build produced.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Removes `dir/rel`, then each parent folder it leaves empty (up to `dir`).
fn remove_file_and_empty_parents(dir: &Path, rel: &str) -> io::Result<()> {
    let path = dir.join(checked_any(rel)?);
    match fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    remove_empty_parents(dir, &path);
    Ok(())
}

/// Removes the folders above `path` that are empty, up to (not including) `dir`.
fn remove_empty_parents(dir: &Path, path: &Path) {
    let mut parent = path.parent();
    while let Some(folder) = parent.filter(|p| *p != dir && p.starts_with(dir)) {
        // Fails (and stops) at the first folder that still has something in it.
        if fs::remove_dir(folder).is_err() {
            break;
        }
        parent = folder.parent();
    }
}

/// A plain relative path (no `..`, no root), whatever its name.
fn checked_any(rel: &str) -> io::Result<&Path> {
    let path = Path::new(rel);
    if !rel.is_empty() && !rel.contains('\0') && path.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(path)
    } else {
        Err(io::Error::new(io::ErrorKind::InvalidInput, format!("not a path inside the output folder: {rel:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_leaving_the_output_are_refused() {
        for bad in ["../x", "/etc/passwd", "a/../../x", "", "a\\..\\x", "./a", ".gazette/manifest", ".gazette"] {
            assert!(checked(bad).is_err(), "{bad}");
        }
        assert!(checked("2024/03/a/index.html").is_ok());
        assert!(checked("新闻/旧地址.html").is_ok());
        assert!(checked(".well-known/security.txt").is_ok());
    }

    #[test]
    fn the_same_file_cannot_be_written_twice_nor_in_another_case() {
        let s = DryRun::default();
        s.write("tags/index.html", b"a").unwrap();
        assert_eq!(s.write("tags/index.html", b"b").unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        s.write("img/Logo.png", b"a").unwrap();
        let err = s.write("img/logo.png", b"b").unwrap_err();
        assert!(err.to_string().contains("\"img/Logo.png\" and \"img/logo.png\""), "{err}");
        s.write("标签/科技.html", b"c").unwrap();
        assert_eq!(s.outputs().len(), 3);
    }
}
