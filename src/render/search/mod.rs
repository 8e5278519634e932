//! Search (SPEC section 9): the page `/search/` and the static index its script reads.
//! Everything lives under `search/`:
//!
//! - `meta.z`: article count, shard count, years, categories, the region tree (JSON);
//! - `attrs.z`: each article's category and regions, for filters and counts;
//! - `tlen.z`: each article's folded title length (title matches of longer terms);
//!   (these three raw-DEFLATE compressed: every query fetches them);
//! - `s/N.bin` and `t/*.d|.p`: the term lists ([`postings`]);
//! - `d/ID.bin`: each article's URL, title, date and region, then its compressed text,
//!   fetched for the results shown (snippets);
//! - `t2s/XX.txt`: the traditional → simplified table in blocks, for folding queries.
//!
//! `docs/search.md` describes the format and the query algorithm.

pub mod grams;
pub mod postings;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde_json::{json, Map};

use super::context::SharedData;
use super::pages::{write_page, PageContext};
use super::Theme;
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::text::fold::t2s_pairs;
use crate::write::Sink;
use postings::{varint, Postings};

/// The template of the search page; a theme without one gets the index and no page.
pub const TEMPLATE: &str = "search.html";
/// Index format version, bumped with any change search.js must know about.
const VERSION: u32 = 1;

/// Writes the search page and the index, unless `[search] enabled = false`.
pub fn write(site: &Site, theme: &Theme, data: &SharedData, sink: &dyn Sink) -> Result<(), Diagnostic> {
    if !site.config.search.enabled {
        return Ok(());
    }
    if theme.tera.get_template_names().any(|n| n == TEMPLATE) {
        write_page(&mut PageContext::new(data), theme, TEMPLATE, Map::new(), "search/", sink)?;
    }
    let put = |rel: &str, bytes: &[u8]| {
        let rel = format!("search/{rel}");
        sink.write(&rel, bytes).map_err(|e| Diagnostic::general(format!("cannot write {rel}: {e}")))
    };

    let texts = |id: usize| {
        let a = &site.articles[id];
        let plain = miniz_oxide::inflate::decompress_to_vec(&a.src.search_text).unwrap_or_default();
        (a.src.meta.title.clone(), String::from_utf8(plain).unwrap_or_default())
    };
    let mut postings = Postings::build(site.articles.len(), texts);
    let mut tlen = Vec::with_capacity(site.articles.len());
    postings.title_lens.iter().for_each(|&n| varint(&mut tlen, n));
    put("tlen.z", &deflate(&tlen))?;
    let shards = postings.write(&put)?;

    put("meta.z", &deflate(meta(site, shards).to_string().as_bytes()))?;
    put("attrs.z", &deflate(&attrs(site)))?;
    let pairs = &postings.fold_pairs;
    (0..site.articles.len()).into_par_iter().try_for_each(|id| put(&format!("d/{id}.bin"), &article_file(site, id, &pairs[id])))?;
    for (block, pairs) in t2s_blocks() {
        put(&format!("t2s/{block:x}.txt"), pairs.as_bytes())?;
    }
    Ok(())
}

/// Raw DEFLATE (the page inflates with the browser's DecompressionStream): the files every
/// query fetches first shrink to about half.
fn deflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(bytes, 9)
}

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
    json!({
        "version": VERSION,
        "articles": site.articles.len(),
        "shards": shards,
        "years": years,
        "categories": site.categories.iter().map(|c| &c.name).collect::<Vec<_>>(),
        "regions": regions,
        "t2s": t2s_blocks().keys().collect::<Vec<_>>(),
    })
}

/// Per article: varint(category), varint(region count), varint(deepest node of each).
fn attrs(site: &Site) -> Vec<u8> {
    let mut out = Vec::with_capacity(site.articles.len() * 4);
    for a in &site.articles {
        varint(&mut out, a.category);
        varint(&mut out, a.regions.len() as u32);
        for path in &a.regions {
            varint(&mut out, path.last().copied().unwrap_or(0));
        }
    }
    out
}

/// A JSON line (`u` URL, `t` title, `d` date, `r` region, `f` the fold table's pairs for
/// the traditional characters of its title and text, so that the page can mark matches
/// without fetching table blocks), then the raw-DEFLATE text.
fn article_file(site: &Site, id: usize, fold_pairs: &str) -> Vec<u8> {
    let a = &site.articles[id];
    let region = a.regions.first().map(|path| path.iter().map(|&n| site.regions.nodes[n as usize].name.as_str()).collect::<Vec<_>>().join(" "));
    let head = json!({
        "u": a.url,
        "t": a.src.meta.title,
        "d": a.src.meta.date.strftime("%Y-%m-%d").to_string(),
        "r": region.unwrap_or_default(),
        "f": fold_pairs,
    });
    let mut out = head.to_string().into_bytes();
    out.push(b'\n');
    out.extend_from_slice(&a.src.search_text);
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
