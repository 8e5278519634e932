//! Search (SPEC section 9): the page `/search/` and the static index its script reads.
//! Everything lives under `search/`:
//!
//! - `meta.z`: article count, shard count, years, categories, the region tree (JSON);
//! - `attrs.z`: each article's category and regions, for filters and counts, and whether
//!   its text goes on beyond its record's lead;
//! - `tlen.z`: each article's folded title length (title matches of longer terms);
//!   (these three raw-DEFLATE compressed: every query fetches them);
//! - `s/N.bin` and `t/*.d|.p`: the term lists ([`postings`]);
//! - `d/ID.bin`, `d/ID.z`: the result records ([`records`]), fetched for the results shown;
//! - `t2s/XX.txt`: the traditional → simplified table in blocks, for folding queries.
//!
//! In `serve --watch`, a quick rebuild may keep the last index and bring it up to date
//! with a delta in `meta.z` ([`delta`]).
//!
//! `docs/search.md` describes the format and the query algorithm.

pub mod delta;
pub mod grams;
pub mod postings;
pub mod records;
pub mod runs;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Map};

use super::context::SharedData;
use super::pages::{write_page, PageContext};
use super::Theme;
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::text::fold::t2s_pairs;
use crate::write::Sink;
use postings::varint;

/// The template of the search page; a theme without one gets the index and no page.
pub const TEMPLATE: &str = "search.html";
/// Index format version, bumped with any change search.js must know about.
const VERSION: u32 = 3;

/// What `serve --watch` keeps of the last index between rebuilds, so that a rebuild that
/// changes nothing searchable writes nothing, and one on a large site can leave the index
/// to a second pass after the reload (as related lists are).
#[derive(Default)]
pub struct SearchCache {
    /// The index now in the output.
    last: Option<Made>,
    /// The index this render made, until the output has it ([`Self::committed`]).
    made: Option<Made>,
    /// Set by the live preview for a quick rebuild: when the last index took this long or
    /// longer, keep it as it is this time.
    pub defer_after: Option<Duration>,
    /// The index in the output is the last one, not this site's (a second pass is due).
    pub pending: bool,
}

/// An index as made: from what, its files, and what it took.
struct Made {
    base: delta::Base,
    files: Vec<String>,
    took: Duration,
}

impl SearchCache {
    /// The output now holds what the last render wrote.
    pub fn committed(&mut self) {
        if let Some(made) = self.made.take() {
            self.last = Some(made);
        }
    }
}

/// Writes the search page and the index, unless `[search] enabled = false`.
pub fn write(site: &Site, theme: &Theme, data: &SharedData, sink: &dyn Sink, cache: Option<&mut SearchCache>) -> Result<(), Diagnostic> {
    if !site.config.search.enabled {
        return Ok(());
    }
    if theme.tera.get_template_names().any(|n| n == TEMPLATE) {
        write_page(&mut PageContext::new(data), theme, TEMPLATE, Map::new(), "search/", sink)?;
    }
    let failed = |rel: &str, e: std::io::Error| Diagnostic::general(format!("cannot write {rel}: {e}"));
    let inputs = delta::Inputs::of(site);
    // A build from disk: the last build's index stays when nothing it was made from changed.
    if cache.is_none() {
        if let Some(files) = sink.previous(INPUTS).and_then(|bytes| files_if_made_from(&bytes, inputs.hash)) {
            if files.iter().all(|f| sink.can_keep(&format!("search/{f}"))) {
                keep_all(sink, &files).map_err(|e| failed("search/", e))?;
                sink.keep(INPUTS).map_err(|e| failed(INPUTS, e))?;
                return Ok(());
            }
        }
    }
    let mut cache = cache;
    if let Some(c) = cache.as_deref_mut() {
        c.made = None; // what a render whose output was not committed made
        if let Some(last) = c.last.take() {
            let unchanged = last.base.inputs.hash == inputs.hash;
            if unchanged || c.defer_after.is_some_and(|after| last.took >= after) {
                // Every file of the last index is claimed as it is, but meta.z, which
                // carries the delta of what changed since (none when nothing did). One
                // gone from the output (removed by hand) cannot be told apart before the
                // others are claimed: that rebuild fails, and the next one makes the
                // index anew.
                let meta = match unchanged {
                    true => None,
                    false => delta::meta(site, &inputs, &last.base)?,
                };
                let kept = keep_all(sink, last.files.iter().filter(|f| *f != META)).map_err(|e| failed("search/", e))?;
                if !kept || !sink.keep(INPUTS).map_err(|e| failed(INPUTS, e))? {
                    return Err(Diagnostic::general("the search index in the preview folder was changed by something else than gazette; it is made anew on the next rebuild"));
                }
                let bytes = match meta {
                    Some(with_delta) => deflate(with_delta.to_string().as_bytes(), DELTA_LEVEL),
                    None => last.base.meta_z.clone(),
                };
                sink.write(&format!("search/{META}"), &bytes).map_err(|e| failed(META, e))?;
                c.pending = !unchanged;
                c.last = Some(last);
                return Ok(());
            }
        }
    }

    let started = Instant::now();
    let written = std::sync::Mutex::new(Vec::new());
    let put = |rel: &str, bytes: &[u8]| {
        let full = format!("search/{rel}");
        written.lock().unwrap_or_else(|e| e.into_inner()).push(rel.to_string());
        sink.write(&full, bytes).map_err(|e| failed(&full, e))
    };
    let texts = |id: usize| {
        let a = &site.articles[id];
        let text = a.src.search_text.unpack().map_err(|e| Diagnostic::general(format!("cannot read the text of {} back for the search index: {e}", a.src.path.display())))?;
        Ok((a.src.meta.title.clone(), text))
    };
    // each article's result record, made as the index reads its text
    let longer: Vec<AtomicBool> = site.articles.iter().map(|_| AtomicBool::new(false)).collect();
    let record = |id: usize, text: &str, folded: &grams::Folded| {
        let (head, rest) = records::files(site, id, text, &folded.fold_pairs);
        put(&format!("d/{id}.bin"), &head)?;
        let Some(rest) = rest else { return Ok(()) };
        longer[id].store(true, Ordering::Relaxed);
        put(&format!("d/{id}.z"), &rest)
    };
    let spill_failed = |e: std::io::Error| Diagnostic::general(format!("cannot make the search index: a temporary file failed: {e} (is the temporary folder full? TMPDIR chooses it)"));
    let index = postings::write(site.articles.len(), texts, record, &put, spill_failed)?;
    let mut tlen = Vec::with_capacity(site.articles.len());
    index.title_lens.iter().for_each(|&n| varint(&mut tlen, n));
    put("tlen.z", &deflate(&tlen, BEST))?;

    let meta = meta(site, index.shards);
    let meta_z = deflate(meta.to_string().as_bytes(), BEST);
    put(META, &meta_z)?;
    let longer: Vec<bool> = longer.into_iter().map(AtomicBool::into_inner).collect();
    put("attrs.z", &deflate(&attrs(site, &longer), BEST))?;
    for (block, pairs) in t2s_blocks() {
        put(&format!("t2s/{block:x}.txt"), pairs.as_bytes())?;
    }
    let mut files = written.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_unstable(); // written from many threads
    let mut record = format!("{INPUTS_HEAD}{:016x}\n", inputs.hash);
    files.iter().for_each(|f| {
        record.push_str(f);
        record.push('\n');
    });
    sink.write(INPUTS, record.as_bytes()).map_err(|e| failed(INPUTS, e))?;
    if let Some(cache) = cache {
        cache.made = Some(Made { base: delta::Base { inputs, meta, meta_z }, files, took: started.elapsed() });
        cache.pending = false;
    }
    Ok(())
}

/// The index's record in the output: what it was made from and its files, so that the next
/// build can keep it when nothing changed (a rebuild into the same folder then costs no
/// indexing).
const INPUTS: &str = "search/inputs.txt";
/// Under `search/`: what every query fetches first (and, in the live preview, the delta).
const META: &str = "meta.z";
const INPUTS_HEAD: &str = "gazette search index ";

/// The files of the index recorded in `bytes`, if it was made from `inputs`.
fn files_if_made_from(bytes: &[u8], inputs: u64) -> Option<Vec<String>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut lines = text.lines();
    let made_from = lines.next()?.strip_prefix(INPUTS_HEAD)?;
    (made_from == format!("{inputs:016x}")).then(|| lines.map(str::to_string).collect())
}

/// Keeps every file of the last index as it is; false when one is gone.
fn keep_all<'a>(sink: &dyn Sink, files: impl IntoIterator<Item = &'a String>) -> std::io::Result<bool> {
    for rel in files {
        if !sink.keep(&format!("search/{rel}"))? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Raw DEFLATE (the page inflates with the browser's DecompressionStream) at `level`: the
/// files every query fetches first shrink to about half.
pub(super) fn deflate(bytes: &[u8], level: u32) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::with_capacity(bytes.len() / 2), flate2::Compression::new(level));
    // writing to a Vec cannot fail
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// For the few files every query fetches.
const BEST: u32 = 9;
/// For `meta.z` with a live preview's delta: made at every quick rebuild.
const DELTA_LEVEL: u32 = 1;
/// For the result records, two files per article: zlib-rs's fast level with its own
/// Huffman codes (level 1 uses fixed codes, poor for Chinese), 2.4 % larger than level 6
/// at 10,000 articles (47.0 against 45.9 MB), with zlib's fast strategy instead of its lazy one.
pub(super) const RECORD_LEVEL: u32 = 2;

/// What a query needs before any term list: sizes, names and the region tree (each node
/// as name, parent, slug; the page joins the names of a node's chain into its path).
fn meta(site: &Site, shards: u32) -> serde_json::Value {
    let mut years: Vec<(i16, usize)> = Vec::new();
    for (id, a) in site.articles.iter().enumerate() {
        if years.last().is_none_or(|&(y, _)| y != a.year) {
            years.push((a.year, id));
        }
    }
    let regions: Vec<serde_json::Value> = site
        .regions
        .nodes
        .iter()
        .map(|n| json!([n.name, n.parent.map_or(-1, |p| p as i64), n.slug]))
        .collect();
    let mut meta = json!({
        "version": VERSION,
        "articles": site.articles.len(),
        "shards": shards,
        "years": years,
        "categories": site.categories.iter().map(|c| &c.name).collect::<Vec<_>>(),
        "regions": regions,
        "t2s": t2s_blocks().keys().collect::<Vec<_>>(),
    });
    // The filter names as /zh-hant/search/ shows them (SPEC 10); the filters' values in
    // its links stay the site's own names, so both pages share one index.
    if site.config.variants.traditional {
        let hant = |names: Vec<&String>| names.into_iter().map(|n| crate::render::variants::convert::text(n)).collect::<Vec<_>>();
        meta["hant"] = json!({
            "categories": hant(site.categories.iter().map(|c| &c.name).collect()),
            "regions": hant(site.regions.nodes.iter().map(|n| &n.name).collect()),
        });
    }
    meta
}

/// In columns (each compresses better alone): every article's varint(category), then
/// every article's varint(region count), then the varint(deepest node) of each region of
/// each article, then a bit per article (low bit first), set when its text goes on beyond
/// its record's lead (`d/ID.z` exists: a refined query fetches it with the record).
fn attrs(site: &Site, longer: &[bool]) -> Vec<u8> {
    let mut out = Vec::with_capacity(site.articles.len() * 4);
    site.articles.iter().for_each(|a| varint(&mut out, a.category));
    site.articles.iter().for_each(|a| varint(&mut out, a.regions.len() as u32));
    for a in &site.articles {
        for path in &a.regions {
            varint(&mut out, path.last().copied().unwrap_or(0));
        }
    }
    out.extend(longer.chunks(8).map(|bits| bits.iter().rev().fold(0u8, |byte, &bit| byte << 1 | bit as u8)));
    out
}

/// The fold table by block of 1,024 code points of the traditional character: a query
/// fetches only the blocks of its own characters.
fn t2s_blocks() -> BTreeMap<u32, String> {
    let mut blocks: BTreeMap<u32, String> = BTreeMap::new();
    for &(t, s) in t2s_pairs() {
        let block = blocks.entry(t as u32 >> 10).or_default();
        block.push(t);
        block.push(s);
    }
    blocks
}
