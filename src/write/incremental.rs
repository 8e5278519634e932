//! The private folder of `serve --watch`, kept up to date page by page: pages whose inputs
//! are unchanged are not rendered, files whose bytes are unchanged are not written.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

use super::{checked, lock, remove_empty_parents, remove_file_and_empty_parents, two_outputs, Sink};

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

    /// Brings `dir` to this build: writes changed files (all of them beside their places
    /// first, then each renamed over its old version, so that the server never sends half
    /// a page and a full disk leaves the last good site as it was), then removes stale ones.
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
        write_all_or_nothing(dir, &changed)?;
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

    fn keep(&self, rel: &str) -> io::Result<bool> {
        match self.previous.index.place(rel) {
            Some(place) => self.claim(rel, Some(place), self.previous.states[place]).map(|()| true),
            None => Ok(false),
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

/// Writes every changed file beside its place (`.name.gazette-new`), then renames each
/// over the old one. If any write fails (a full disk), the ones already written are
/// removed and the folder is left exactly as it was.
fn write_all_or_nothing(dir: &Path, changed: &[(String, Vec<u8>)]) -> io::Result<()> {
    let written: Mutex<Vec<(PathBuf, PathBuf)>> = Mutex::default();
    let result = changed.par_iter().try_for_each(|(rel, bytes)| {
        let path = dir.join(rel);
        let temp = temp_beside(&path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let outcome = fs::write(&temp, bytes);
        // Recorded even when the write failed part-way: a partial file is removed too.
        lock(&written).push((temp, path));
        outcome
    });
    let written = written.into_inner().unwrap_or_else(|p| p.into_inner());
    if let Err(e) = result {
        for (temp, _) in &written {
            let _ = fs::remove_file(temp);
            remove_empty_parents(dir, temp);
        }
        return Err(e);
    }
    written.into_iter().try_for_each(|(temp, path)| fs::rename(temp, path))
}

/// `.index.html.gazette-new` beside `index.html`.
fn temp_beside(path: &Path) -> PathBuf {
    let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.gazette-new"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_failed_write_leaves_the_folder_as_the_last_build_left_it() {
        let tmp = tempfile::tempdir().unwrap();
        let empty = OutputState::default();
        let first = Incremental::new(&empty);
        first.write("a/index.html", "甲一".as_bytes()).unwrap();
        first.write("z/index.html", "乙一".as_bytes()).unwrap();
        let first = first.finish(tmp.path()).unwrap();

        // A file where the folder of a new page must go makes its write fail, as a full
        // disk would, after the other pages were written.
        fs::write(tmp.path().join("blocked"), "").unwrap();
        let second = Incremental::new(&first.state);
        second.write("a/index.html", "甲二".as_bytes()).unwrap();
        second.write("blocked/index.html", "新".as_bytes()).unwrap();
        assert!(second.finish(tmp.path()).is_err());
        assert_eq!(fs::read_to_string(tmp.path().join("a/index.html")).unwrap(), "甲一", "no page of the failed build is served");
        assert_eq!(fs::read_to_string(tmp.path().join("z/index.html")).unwrap(), "乙一", "nothing removed");
        let mut left: Vec<String> = walkdir::WalkDir::new(tmp.path()).into_iter().flatten().filter(|e| e.file_type().is_file()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, ["blocked", "index.html", "index.html"], "no temporary file left");

        // The next good build starts from the last good state and removes what it drops.
        fs::remove_file(tmp.path().join("blocked")).unwrap();
        let third = Incremental::new(&first.state);
        third.write("a/index.html", "甲三".as_bytes()).unwrap();
        let third = third.finish(tmp.path()).unwrap();
        assert_eq!(third.removed, ["z/index.html"]);
        assert!(!tmp.path().join("z").exists());
    }
}
