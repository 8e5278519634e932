//! What an open [`super::OutputFolder`] knows of the files in it between builds: the
//! manifest's records, indexed by path, and, in memory only, the fingerprint of the inputs
//! each file was made from (`serve --watch` keeps the folder open from one rebuild to the
//! next, so a page whose inputs did not change is neither rendered nor read).

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::manifest::{Manifest, Record};

/// The files of the last build, with their records and input fingerprints.
#[derive(Debug, Clone, Default)]
pub(super) struct Known {
    /// Which files there are; shared by the states of builds that keep the same files.
    pub index: Arc<FileIndex>,
    /// Per file, by its place in `index`.
    pub records: Vec<Record>,
    /// Per file: the fingerprint of what it was rendered or copied from, when this
    /// process made it (never read from disk).
    pub inputs: Vec<Option<u64>>,
}

/// File names, sorted (the manifest is written in this order), and their places, looked
/// up by every page of every rebuild.
#[derive(Debug, Default)]
pub(super) struct FileIndex {
    pub names: Vec<Arc<str>>,
    /// FxHash: several times quicker than SipHash on short keys, and the keys are our own
    /// output paths, not input from the network.
    places: FxHashMap<Arc<str>, u32>,
    /// The places of names with an upper-case letter: only those can meet another name by
    /// letter case.
    pub upper: Vec<u32>,
}

impl FileIndex {
    /// An index of `names`, which must be sorted and distinct.
    pub fn new(names: Vec<Arc<str>>) -> FileIndex {
        debug_assert!(names.windows(2).all(|w| w[0] < w[1]));
        let places = names.iter().enumerate().map(|(i, name)| (Arc::clone(name), i as u32)).collect();
        let upper = names.iter().enumerate().filter(|(_, name)| has_upper(name)).map(|(i, _)| i as u32).collect();
        FileIndex { names, places, upper }
    }

    pub fn place(&self, rel: &str) -> Option<usize> {
        self.places.get(rel).map(|&i| i as usize)
    }
}

/// Whether folding `name` to lower case changes it.
pub(super) fn has_upper(name: &str) -> bool {
    if name.is_ascii() {
        name.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        name.to_lowercase() != name
    }
}

impl Known {
    /// The records of a manifest read from disk (no inputs known).
    pub fn from_manifest(manifest: Manifest) -> Known {
        let mut files: Vec<(String, Record)> = manifest.files.into_iter().collect();
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let (names, records): (Vec<Arc<str>>, Vec<Record>) = files.into_iter().map(|(name, record)| (Arc::<str>::from(name), record)).unzip();
        let inputs = vec![None; records.len()];
        Known { index: Arc::new(FileIndex::new(names)), records, inputs }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// The manifest's text for these files (they are sorted already), into `text`, with
    /// where each line starts (see [`Manifest::text_into`]).
    pub fn manifest_text(&self, text: &mut String, starts: &mut Vec<usize>) {
        Manifest::text_into(text, starts, self.index.names.iter().map(|name| &**name).zip(&self.records));
    }

    /// The same text made from `old`, the text of the same files before the records at
    /// `changed` (sorted places) changed: the other lines are copied, not formatted.
    pub fn patched_text(&self, old: &str, old_starts: &[usize], changed: &[usize], text: &mut String, starts: &mut Vec<usize>) {
        text.clear();
        starts.clear();
        text.reserve(old.len() + 64 * changed.len());
        starts.reserve(old_starts.len());
        Manifest::header_into(text);
        let mut next = 0;
        let copy = |text: &mut String, starts: &mut Vec<usize>, from: usize, to: usize| {
            let (a, b) = (old_starts[from], old_starts[to]);
            let base = text.len();
            starts.extend(old_starts[from..to].iter().map(|s| s - a + base));
            text.push_str(&old[a..b]);
        };
        for &place in changed {
            copy(text, starts, next, place);
            starts.push(text.len());
            Manifest::line_into(text, &self.index.names[place], &self.records[place]);
            next = place + 1;
        }
        copy(text, starts, next, self.records.len());
        starts.push(text.len());
    }
}
