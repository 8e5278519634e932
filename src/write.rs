//! The write stage: rendered files go into a staging folder beside the output, which is
//! swapped in only when the whole site is complete. A failed or interrupted build leaves
//! the previous output as it was; stale files disappear because the old folder is replaced.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

/// Where renderers put files. `rel` is a relative path with `/` separators.
pub trait Sink: Sync {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Copies a file that is not rendered (static files, content assets).
    fn copy(&self, rel: &str, from: &Path) -> io::Result<()>;
}

/// Refuses any path that could leave the output folder or is not a plain relative path.
fn checked(rel: &str) -> io::Result<&Path> {
    let path = Path::new(rel);
    let plain = !rel.is_empty() && !rel.contains('\\') && !rel.contains('\0') && path.components().all(|c| matches!(c, Component::Normal(_)));
    if plain {
        Ok(path)
    } else {
        Err(io::Error::new(io::ErrorKind::InvalidInput, format!("refusing to write outside the output folder: {rel:?}")))
    }
}

/// Remembers every path written, so that no output can silently replace another (an
/// alias over a list page, a static file over a generated one).
#[derive(Default)]
struct Claims(Mutex<HashSet<String>>);

impl Claims {
    fn claim(&self, rel: &str) -> io::Result<()> {
        let mut taken = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if taken.insert(rel.to_string()) {
            Ok(())
        } else {
            Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("two outputs want the same file {rel:?}")))
        }
    }
}

/// A fresh folder beside the output; [`Staging::commit`] swaps it in.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    claims: Claims,
    files: AtomicUsize,
    bytes: AtomicU64,
    committed: bool,
}

impl Staging {
    pub fn create(target: &Path) -> io::Result<Staging> {
        recover_interrupted_swap(target)?;
        let dir = sibling(target, &format!("staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging { dir, target: target.to_path_buf(), claims: Claims::default(), files: AtomicUsize::new(0), bytes: AtomicU64::new(0), committed: false })
    }

    pub fn files(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Puts the new site in place of the old one and removes the old one.
    pub fn commit(mut self) -> io::Result<()> {
        let old = sibling(&self.target, "old");
        if old.exists() {
            fs::remove_dir_all(&old)?;
        }
        if self.target.exists() {
            fs::rename(&self.target, &old)?;
        }
        fs::rename(&self.dir, &self.target)?;
        self.committed = true;
        if old.exists() {
            fs::remove_dir_all(&old)?;
        }
        Ok(())
    }

    fn prepare(&self, rel: &str) -> io::Result<PathBuf> {
        let dest = self.dir.join(checked(rel)?);
        self.claims.claim(rel)?;
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent)?;
        }
        Ok(dest)
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let dest = self.prepare(rel)?;
        fs::write(dest, bytes)?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        let dest = self.prepare(rel)?;
        let n = fs::copy(from, dest)?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(n, Ordering::Relaxed);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
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
        self.claims.0.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner())
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

/// `.public.gazette-<what>` beside `public`.
fn sibling(target: &Path, what: &str) -> PathBuf {
    let name = target.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.gazette-{what}"))
}

/// A build killed between the two renames of a commit leaves the old site under its
/// temporary name; put it back before anything else.
fn recover_interrupted_swap(target: &Path) -> io::Result<()> {
    let old = sibling(target, "old");
    if old.exists() && !target.exists() {
        fs::rename(&old, target)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_leaving_the_output_are_refused() {
        for bad in ["../x", "/etc/passwd", "a/../../x", "", "a\\..\\x", "./a"] {
            assert!(checked(bad).is_err(), "{bad}");
        }
        assert!(checked("2024/03/a/index.html").is_ok());
        assert!(checked("新闻/旧地址.html").is_ok());
    }

    #[test]
    fn the_same_file_cannot_be_written_twice() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Staging::create(&tmp.path().join("public")).unwrap();
        s.write("tags/index.html", b"a").unwrap();
        let err = s.write("tags/index.html", b"b").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
    }

    #[test]
    fn commit_replaces_and_drop_discards() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("stale.html"), "old").unwrap();
        let s = Staging::create(&out).unwrap();
        s.write("index.html", b"new").unwrap();
        drop(s);
        assert_eq!(fs::read_to_string(out.join("stale.html")).unwrap(), "old", "an abandoned build leaves the old site");
        let s = Staging::create(&out).unwrap();
        s.write("index.html", b"new").unwrap();
        s.commit().unwrap();
        assert!(!out.join("stale.html").exists());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1, "no temporary folders left behind");
    }
}
