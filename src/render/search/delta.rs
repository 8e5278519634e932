//! The index `serve --watch` keeps between rebuilds, brought up to date by a delta.
//!
//! On a large site making the index takes seconds, so a quick rebuild keeps the last one
//! and a background pass makes it anew (as related lists are). Meanwhile the kept index
//! would miss an edited word. So the quick rebuild writes `meta.z` again with a `delta`:
//! the ids of the indexed articles that changed or went (`gone`), and every article the
//! index does not hold as it is now, whole — its folded title and text, which the page
//! searches directly, its result record with the whole text, category, regions, year, and
//! its place in site order. An edited word is then found after the page reloads, and the
//! delta costs what the edit changed: only the edited articles are read and folded.
//!
//! An article is "as indexed" when its key (its file's fingerprint, URL, category and
//! region names, and year: everything its lists and record are made from) is the one it
//! had. When the category names or the region tree changed (a new article in a new
//! county), the delta carries the new ones and where each of the index's went. The site's
//! shape (base URL, variants, index format) must be the index's; when it is not, or the
//! kept articles changed order, or too much changed, no delta is made and search catches
//! up with the background pass as before.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use serde_json::{json, Value};

use super::grams::Folded;
use super::records;
use crate::diagnostics::Diagnostic;
use crate::model::{Article, Site};

/// Beyond this many changed articles (or this much of their folded text) the delta would
/// cost the page more than waiting for the index: none is made.
const MAX_ARTICLES: usize = 1_000;
const MAX_TEXT_BYTES: usize = 16 << 20;

/// What an index of the site is made from, in numbers.
pub struct Inputs {
    /// One number for all of it (`search/inputs.txt`): a build into the same folder keeps
    /// an index made from the same.
    pub hash: u64,
    /// Base URL, variants and index format: a delta cannot stand for a change of these.
    shape: u64,
    /// The category names and the region tree.
    names: u64,
    /// Each article's [`article_key`], in site order.
    keys: Vec<u64>,
}

impl Inputs {
    pub fn of(site: &Site) -> Inputs {
        let shape = hash_of(&(
            env!("CARGO_PKG_VERSION"),
            super::VERSION,
            &site.config.base_url,
            site.config.variants.traditional,
        ));
        let mut h = FxHasher::default();
        site.categories.iter().for_each(|c| c.name.hash(&mut h));
        site.regions
            .nodes
            .iter()
            .for_each(|n| (&n.name, n.parent, &n.slug).hash(&mut h));
        let names = h.finish();
        let keys: Vec<u64> = site.articles.iter().map(|a| article_key(site, a)).collect();
        let mut h = FxHasher::default();
        (shape, names, &keys).hash(&mut h);
        Inputs {
            hash: h.finish(),
            shape,
            names,
            keys,
        }
    }
}

/// The index in the output as `serve --watch` keeps it: what it was made from, and the
/// `meta.z` it was written with (JSON, and the file's bytes, written back as they were
/// when nothing searchable changed).
pub struct Base {
    pub inputs: Inputs,
    pub meta: Value,
    pub meta_z: Vec<u8>,
}

fn hash_of(value: &impl Hash) -> u64 {
    let mut h = FxHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// What an article's lists and record are made from (the same in any process of this
/// binary): names, not ids, so that a new region elsewhere leaves it as it was.
fn article_key(site: &Site, a: &Article) -> u64 {
    let mut h = FxHasher::default();
    (a.src.fingerprint, &a.url, a.year).hash(&mut h);
    site.categories
        .get(a.category as usize)
        .map(|c| &c.name)
        .hash(&mut h);
    for path in &a.regions {
        path.len().hash(&mut h);
        path.iter().for_each(|&n| {
            site.regions
                .nodes
                .get(n as usize)
                .map(|n| &n.name)
                .hash(&mut h)
        });
    }
    h.finish()
}

/// `meta.z`'s JSON for the index `base` serving `site` (whose inputs are `now`): the
/// base's with a `delta` of the articles that differ (docs/search.md, "The live preview's
/// delta"); `None` when no delta can stand for them.
pub fn meta(site: &Site, now: &Inputs, base: &Base) -> Result<Option<Value>, Diagnostic> {
    if now.shape != base.inputs.shape {
        return Ok(None);
    }
    let indexed: FxHashMap<u64, u32> = base
        .inputs
        .keys
        .iter()
        .enumerate()
        .map(|(id, &k)| (k, id as u32))
        .collect();
    let mut kept = vec![false; base.inputs.keys.len()];
    // (current id, the last kept indexed id before it in site order, or -1)
    let mut changed: Vec<(usize, i64)> = Vec::new();
    let mut last_kept = -1i64;
    for (id, key) in now.keys.iter().enumerate() {
        match indexed.get(key) {
            // the kept articles must keep their order: ids are ranks
            Some(&old) if i64::from(old) > last_kept => {
                kept[old as usize] = true;
                last_kept = i64::from(old);
            }
            Some(_) => return Ok(None),
            None => changed.push((id, last_kept)),
        }
        if changed.len() > MAX_ARTICLES {
            return Ok(None);
        }
    }
    let gone: Vec<usize> = kept
        .iter()
        .enumerate()
        .filter(|(_, &k)| !k)
        .map(|(id, _)| id)
        .collect();
    let mut articles = Vec::with_capacity(changed.len());
    let mut text_bytes = 0;
    for (id, after) in changed {
        let a = &site.articles[id];
        let text = a.src.search_text.unpack().map_err(|e| {
            Diagnostic::general(format!(
                "cannot read the text of {} back for the search index: {e}",
                a.src.path.display()
            ))
        })?;
        let folded = Folded::of(&a.src.meta.title, &text);
        let title_len = folded.title_len as usize;
        let (title, body) = folded.chars.split_at(title_len);
        let body: String = body.iter().skip(1).collect(); // after the separator
        text_bytes += body.len() + text.len();
        if text_bytes > MAX_TEXT_BYTES {
            return Ok(None);
        }
        articles.push(json!({
            "after": after,
            "c": a.category,
            "g": a.regions.iter().map(|path| path.last().copied().unwrap_or(0)).collect::<Vec<_>>(),
            "y": a.year,
            "ft": title.iter().collect::<String>(),
            "fx": body,
            "r": records::whole(site, id, &text, &folded.fold_pairs),
        }));
    }
    let mut meta = base.meta.clone();
    let mut delta = json!({ "gone": gone, "articles": articles });
    if now.names != base.inputs.names {
        names(site, &meta, &mut delta);
    }
    meta["delta"] = delta;
    Ok(Some(meta))
}

/// The site's category names and region tree, which are not the index's (`meta`), in
/// `delta` (`categories`, `regions`, `hant`), and where each of the index's went (`cmap`,
/// `rmap`: its new id, or -1).
fn names(site: &Site, meta: &Value, delta: &mut Value) {
    let now = super::meta(site, 0);
    let new_category = |name: &Value| {
        now["categories"]
            .as_array()
            .and_then(|cs| cs.iter().position(|c| c == name))
            .map_or(-1, |i| i as i64)
    };
    let cmap: Vec<i64> = meta["categories"]
        .as_array()
        .map_or(vec![], |cs| cs.iter().map(new_category).collect());
    let new_paths: FxHashMap<String, usize> = paths(&now["regions"])
        .into_iter()
        .enumerate()
        .map(|(i, p)| (p, i))
        .collect();
    let rmap: Vec<i64> = paths(&meta["regions"])
        .iter()
        .map(|p| new_paths.get(p).map_or(-1, |&i| i as i64))
        .collect();
    delta["categories"] = now["categories"].clone();
    delta["regions"] = now["regions"].clone();
    if let Some(hant) = now.get("hant") {
        delta["hant"] = hant.clone();
    }
    delta["cmap"] = json!(cmap);
    delta["rmap"] = json!(rmap);
}

/// Each region node's path of names (`四川省/广元市`) in meta's `regions` ([name, parent,
/// slug] per node; a parent comes before its children).
fn paths(regions: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for node in regions.as_array().into_iter().flatten() {
        let name = node[0].as_str().unwrap_or_default();
        let path = match node[1].as_i64().and_then(|p| out.get(p as usize)) {
            Some(parent) => format!("{parent}/{name}"),
            None => name.to_string(),
        };
        out.push(path);
    }
    out
}
