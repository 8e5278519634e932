//! The write stage: rendered files go into a staging folder beside the output, which is
//! swapped in only when the whole site is complete. A failed or interrupted build leaves
//! the previous output as it was; stale files disappear because the old folder is replaced.
//! `serve --watch` instead updates its private folder in place ([`Incremental`]).

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

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
            Err(two_outputs(rel))
        }
    }
}

fn two_outputs(rel: &str) -> io::Error {
    io::Error::new(io::ErrorKind::AlreadyExists, format!("two outputs want the same file {rel:?}"))
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
        remove_abandoned_staging(target);
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

/// What an incrementally written folder holds, per file: the fingerprint of the inputs it
/// was rendered or copied from (when known) and the hash of its bytes.
#[derive(Debug, Clone, Default)]
pub struct OutputState {
    /// Which files there are; shared by the states of builds that keep the same files.
    index: Arc<FileIndex>,
    /// Per file, by its place in `index`.
    states: Vec<FileState>,
}

/// File names and their places, looked up by every page of every rebuild.
#[derive(Debug, Default)]
struct FileIndex {
    names: Vec<Arc<str>>,
    /// FxHash: several times quicker than SipHash on short keys, and the keys are our own
    /// output paths, not input from the network.
    places: HashMap<Arc<str>, u32, FxBuildHasher>,
}

impl FileIndex {
    fn new(names: Vec<Arc<str>>) -> FileIndex {
        let places = names.iter().enumerate().map(|(i, name)| (Arc::clone(name), i as u32)).collect();
        FileIndex { names, places }
    }

    fn place(&self, rel: &str) -> Option<usize> {
        self.places.get(rel).map(|&i| i as usize)
    }
}

impl OutputState {
    /// The number of files in the folder.
    pub fn len(&self) -> usize {
        self.states.len()
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }

    /// Makes every page render again next time (when something outside the fingerprints
    /// changed, such as site.toml's Markdown options); unchanged bytes are still not
    /// written again, and stale files are still removed.
    pub fn forget_inputs(&mut self) {
        for file in &mut self.states {
            file.inputs = None;
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileState {
    inputs: Option<u64>,
    bytes: u64,
}

/// Writes into a folder that holds the previous build (the private folder of `serve`):
/// pages whose inputs are unchanged are not rendered, files whose bytes are unchanged are
/// not written, and files no longer produced are removed. Nothing touches the folder
/// before [`Incremental::finish`], so a failed build leaves the last good site in place.
///
/// A page kept from the last build costs one lookup and one flag; only files that are
/// new, rewritten or gone take locks.
pub struct Incremental<'a> {
    previous: &'a OutputState,
    /// Which of the previous build's files this build produces again (also what keeps two
    /// outputs from claiming one file).
    kept: Vec<AtomicBool>,
    /// New states of the previous build's files, where they changed.
    updated: Mutex<Vec<(usize, FileState)>>,
    /// Files the previous build did not have.
    added: Mutex<HashMap<String, FileState>>,
    /// Input fingerprints of pages that are being rendered again.
    rendering: Mutex<HashMap<String, u64>>,
    /// Files whose bytes changed, written by `finish`.
    changed: Mutex<Vec<(String, Vec<u8>)>>,
    rendered: AtomicUsize,
}

/// What [`Incremental::finish`] did to the folder.
#[derive(Debug, Default)]
pub struct Applied {
    /// The folder's new state, for the next build.
    pub state: OutputState,
    /// Files written because their bytes changed (new files included), sorted.
    pub written: Vec<String>,
    /// Files removed because this build no longer produces them, sorted.
    pub removed: Vec<String>,
    /// Pages rendered (the others were reused).
    pub rendered: usize,
}

impl<'a> Incremental<'a> {
    /// A build on top of `previous`, the state [`Incremental::finish`] returned last time
    /// (empty for a first build into an empty folder).
    pub fn new(previous: &'a OutputState) -> Self {
        Incremental {
            previous,
            kept: previous.states.iter().map(|_| AtomicBool::new(false)).collect(),
            updated: Mutex::default(),
            added: Mutex::default(),
            rendering: Mutex::default(),
            changed: Mutex::default(),
            rendered: AtomicUsize::new(0),
        }
    }

    /// Brings `dir` to this build: writes changed files (each through a temporary file and
    /// a rename, so that the server never sends half a page), then removes stale ones.
    pub fn finish(self, dir: &Path) -> io::Result<Applied> {
        let previous = self.previous;
        let kept: Vec<bool> = self.kept.into_iter().map(AtomicBool::into_inner).collect();
        let added = self.added.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut states = previous.states.clone();
        for (place, state) in self.updated.into_inner().unwrap_or_else(|p| p.into_inner()) {
            states[place] = state;
        }
        let mut changed = self.changed.into_inner().unwrap_or_else(|p| p.into_inner());
        changed.sort_by(|a, b| a.0.cmp(&b.0));
        fs::create_dir_all(dir)?;
        changed.par_iter().try_for_each(|(rel, bytes)| replace_file(&dir.join(rel), bytes))?;
        let mut removed: Vec<String> = kept.iter().zip(&previous.index.names).filter(|(k, _)| !**k).map(|(_, name)| name.to_string()).collect();
        removed.sort();
        for rel in &removed {
            remove_file_and_empty_parents(dir, rel)?;
        }
        let state = if added.is_empty() && removed.is_empty() {
            OutputState { index: Arc::clone(&previous.index), states }
        } else {
            let (mut names, mut next): (Vec<Arc<str>>, Vec<FileState>) =
                previous.index.names.iter().zip(states).zip(&kept).filter(|(_, k)| **k).map(|((name, state), _)| (Arc::clone(name), state)).unzip();
            for (name, state) in added {
                names.push(name.into());
                next.push(state);
            }
            OutputState { index: Arc::new(FileIndex::new(names)), states: next }
        };
        Ok(Applied { written: changed.into_iter().map(|(rel, _)| rel).collect(), removed, rendered: self.rendered.into_inner(), state })
    }

    /// Takes `rel` (at `place` in the previous build, if it was there) for this build, as
    /// it will be.
    fn claim(&self, rel: &str, place: Option<usize>, state: FileState) -> io::Result<()> {
        let Some(place) = place else {
            return match lock(&self.added).entry(rel.to_string()) {
                Entry::Occupied(_) => Err(two_outputs(rel)),
                Entry::Vacant(slot) => {
                    slot.insert(state);
                    Ok(())
                }
            };
        };
        if self.kept[place].swap(true, Ordering::AcqRel) {
            return Err(two_outputs(rel));
        }
        if self.previous.states[place] != state {
            lock(&self.updated).push((place, state));
        }
        Ok(())
    }

    /// Claims `rel` with new bytes, to be written by `finish` when they changed.
    fn record(&self, rel: &str, state: FileState, bytes: &[u8]) -> io::Result<()> {
        let place = self.previous.index.place(rel);
        self.claim(rel, place, state)?;
        if place.map(|p| self.previous.states[p].bytes) != Some(state.bytes) {
            lock(&self.changed).push((rel.to_string(), bytes.to_vec()));
        }
        Ok(())
    }
}

impl Sink for Incremental<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        checked(rel)?;
        let inputs = lock(&self.rendering).remove(rel);
        if inputs.is_some() {
            self.rendered.fetch_add(1, Ordering::Relaxed);
        }
        self.record(rel, FileState { inputs, bytes: hash_bytes(bytes) }, bytes)
    }

    fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        checked(rel)?;
        // Copied files are known by size, time and place, not read while they stay so.
        let meta = fs::metadata(from)?;
        let stamp = hash_of((from, meta.len(), meta.modified().ok()));
        match self.previous.index.place(rel) {
            Some(place) if self.previous.states[place].inputs == Some(stamp) => self.claim(rel, Some(place), self.previous.states[place]),
            _ => {
                let bytes = fs::read(from)?;
                self.record(rel, FileState { inputs: Some(stamp), bytes: hash_bytes(&bytes) }, &bytes)
            }
        }
    }

    fn reuse(&self, rel: &str, inputs: &dyn Fn() -> u64) -> io::Result<bool> {
        // A name the last build had passed `checked` then.
        let place = self.previous.index.place(rel);
        if place.is_none() {
            checked(rel)?;
        }
        let fingerprint = inputs();
        match place {
            Some(place) if self.previous.states[place].inputs == Some(fingerprint) => {
                self.claim(rel, Some(place), self.previous.states[place]).map(|()| true)
            }
            _ => {
                lock(&self.rendering).insert(rel.to_string(), fingerprint);
                Ok(false)
            }
        }
    }
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    hash_of(bytes)
}

fn hash_of(value: impl Hash) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

// A panic on another thread must not hide the files this build produced.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Writes `path` whole or not at all: a temporary file beside it, renamed over it.
fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(".{name}.gazette-new"));
    fs::write(&temp, bytes)?;
    fs::rename(&temp, path)
}

/// Removes `dir/rel`, then each parent folder it leaves empty (up to `dir`).
fn remove_file_and_empty_parents(dir: &Path, rel: &str) -> io::Result<()> {
    let path = dir.join(checked(rel)?);
    match fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let mut parent = path.parent();
    while let Some(folder) = parent.filter(|p| *p != dir && p.starts_with(dir)) {
        // Fails (and stops) at the first folder that still has something in it.
        if fs::remove_dir(folder).is_err() {
            break;
        }
        parent = folder.parent();
    }
    Ok(())
}

/// `.public.gazette-<what>` beside `public`.
fn sibling(target: &Path, what: &str) -> PathBuf {
    let name = target.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.gazette-{what}"))
}

/// Removes the staging folders of builds that were killed (their process is gone), so
/// that they do not pile up beside the output. Best effort: only where `/proc` tells which
/// processes run; a folder of a build still running is left alone.
fn remove_abandoned_staging(target: &Path) {
    let (Some(parent), Some(prefix)) = (target.parent(), sibling(target, "staging-").file_name().map(|n| n.to_string_lossy().into_owned())) else {
        return;
    };
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(if parent.as_os_str().is_empty() { Path::new(".") } else { parent }) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(&prefix).and_then(|p| p.parse::<u32>().ok()) else { continue };
        if pid != std::process::id() && !proc.join(pid.to_string()).exists() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
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
    fn an_incremental_build_cannot_claim_a_file_twice_either() {
        let previous = OutputState::default();
        let sink = Incremental::new(&previous);
        assert!(!sink.reuse("regions/sichuan/index.html", &|| 7).unwrap());
        sink.write("regions/sichuan/index.html", "四川".as_bytes()).unwrap();
        assert_eq!(sink.write("regions/sichuan/index.html", b"x").unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        let tmp = tempfile::tempdir().unwrap();
        let applied = sink.finish(tmp.path()).unwrap();
        let again = Incremental::new(&applied.state);
        assert!(again.reuse("regions/sichuan/index.html", &|| 7).unwrap(), "same inputs: reused");
        assert_eq!(again.reuse("regions/sichuan/index.html", &|| 7).unwrap_err().kind(), io::ErrorKind::AlreadyExists);
    }

    #[test]
    fn an_incremental_build_keeps_adds_and_removes_files() {
        let tmp = tempfile::tempdir().unwrap();
        let empty = OutputState::default();
        let first = Incremental::new(&empty);
        for (rel, text) in [("index.html", "首页"), ("tags/a/index.html", "甲"), ("tags/b/index.html", "乙")] {
            assert!(!first.reuse(rel, &|| 1).unwrap());
            first.write(rel, text.as_bytes()).unwrap();
        }
        let first = first.finish(tmp.path()).unwrap();
        assert_eq!(first.written.len(), 3);

        let second = Incremental::new(&first.state);
        assert!(second.reuse("index.html", &|| 1).unwrap());
        assert!(!second.reuse("tags/a/index.html", &|| 2).unwrap());
        second.write("tags/a/index.html", "甲".as_bytes()).unwrap(); // new inputs, same bytes
        second.write("tags/c/index.html", "丙".as_bytes()).unwrap();
        let second = second.finish(tmp.path()).unwrap();
        assert_eq!((second.written.as_slice(), second.removed.as_slice()), (&["tags/c/index.html".to_string()][..], &["tags/b/index.html".to_string()][..]));
        assert!(!tmp.path().join("tags/b").exists() && tmp.path().join("tags/c/index.html").exists());
        assert_eq!(second.state.len(), 3);

        let third = Incremental::new(&second.state);
        assert!(third.reuse("index.html", &|| 1).unwrap());
        assert!(third.reuse("tags/a/index.html", &|| 2).unwrap(), "the inputs it was rendered from last time");
        assert!(!third.reuse("tags/c/index.html", &|| 3).unwrap());
        third.write("tags/c/index.html", "丙丙".as_bytes()).unwrap();
        let third = third.finish(tmp.path()).unwrap();
        assert_eq!(third.written, ["tags/c/index.html"]);
        assert!(Arc::ptr_eq(&third.state.index, &second.state.index), "the same files share one index");
        assert_eq!(fs::read_to_string(tmp.path().join("tags/c/index.html")).unwrap(), "丙丙");
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
