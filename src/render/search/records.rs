//! The result records of the search index (`search/d/`): what the page shows of an article
//! in its results — URL, title, date, region and the text its snippet is cut from — in
//! two files per article, so that a page of results fetches little (docs/search.md,
//! "Records"):
//!
//! - `d/ID.bin`: raw DEFLATE of one JSON object: `u` URL, `t` title, `d` date, `r` region,
//!   `x` the lead of the text (its first [`LEAD`] characters, white space collapsed), `m`
//!   1 when the text goes on beyond the lead, `f` the fold pairs of the traditional
//!   characters it holds; with `[variants] traditional = true` also `h`, `hr`, `hx`: the
//!   title, region and lead in traditional characters (each only where it differs).
//! - `d/ID.z` (only when `m` = 1): the whole record: the same with `x` the whole text
//!   (and `hx` in traditional characters), no `m`: fetched when a query's first match is
//!   not in the lead, and instead of `d/ID.bin` by a refined query.
//!
//! The traditional text is converted here, by the variants module's converter, so that
//! `/zh-hant/search/` shows titles and snippets as the rest of its pages show them.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use super::{deflate, RECORD_LEVEL};
use crate::model::Site;
use crate::render::variants::convert;
use crate::text::fold::t2s_pairs;

/// Characters of the text in the first record: a snippet window (about 120) around a first
/// match that most broad queries find in the first paragraph.
pub const LEAD: usize = 360;

/// The record files of article `id`: the `d/ID.bin` bytes, and `d/ID.z` when the text goes
/// on beyond its lead. `fold_pairs` are the fold table's pairs of the traditional
/// characters of its title and text (so that the page marks matches without table blocks).
pub fn files(site: &Site, id: usize, text: &str, fold_pairs: &str) -> (Vec<u8>, Option<Vec<u8>>) {
    let text = collapsed(text);
    let cut = text.char_indices().nth(LEAD).map_or(text.len(), |(at, _)| at);
    let (head, rest) = fields(site, id, &text, cut, fold_pairs);
    let rest = rest.map(|whole| deflate(Value::Object(whole).to_string().as_bytes(), RECORD_LEVEL));
    (deflate(Value::Object(head).to_string().as_bytes(), RECORD_LEVEL), rest)
}

/// The record of article `id` with its whole text as the lead (no `m`, no `d/ID.z`): what
/// the live preview's delta carries ([`super::delta`]).
pub fn whole(site: &Site, id: usize, text: &str, fold_pairs: &str) -> Value {
    let text = collapsed(text);
    Value::Object(fields(site, id, &text, text.len(), fold_pairs).0)
}

/// The record's fields with the lead `text[..cut]` (white space collapsed), and those of
/// `d/ID.z` when the text goes on beyond it: the same with the whole text.
fn fields(site: &Site, id: usize, text: &str, cut: usize, fold_pairs: &str) -> (Map<String, Value>, Option<Map<String, Value>>) {
    let a = &site.articles[id];
    let region = a.regions.first().map(|path| path.iter().map(|&n| site.regions.nodes[n as usize].name.as_str()).collect::<Vec<_>>().join(" ")).unwrap_or_default();
    let lead = &text[..cut];
    let more = cut < text.len();
    let title = &a.src.meta.title;
    let mut head = Map::new();
    head.insert("u".into(), json!(a.url));
    head.insert("t".into(), json!(title));
    head.insert("d".into(), json!(a.src.meta.date.strftime("%Y-%m-%d").to_string()));
    head.insert("r".into(), json!(region));
    head.insert("x".into(), json!(lead));
    if more {
        head.insert("m".into(), json!(1));
    }
    let mut pairs = fold_pairs.to_string();
    let mut rest = more.then(|| Map::from_iter([("x".to_string(), json!(text))]));
    if site.config.variants.traditional {
        let mut seen = Pairs::default();
        let mut put = |key: &str, plain: &str, map: &mut Map<String, Value>| {
            let hant = convert::text(plain);
            seen.add(&hant);
            if hant != plain {
                map.insert(key.into(), json!(hant));
            }
        };
        put("h", title, &mut head);
        put("hr", &region, &mut head);
        put("hx", lead, &mut head);
        if let Some(whole) = rest.as_mut() {
            put("hx", text, whole);
        }
        pairs = seen.merged(fold_pairs);
    }
    head.insert("f".into(), json!(pairs));
    // d/ID.z is the whole record: a refined query fetches it alone
    if let Some(whole) = rest.as_mut() {
        for (key, value) in &head {
            if !matches!(key.as_str(), "x" | "hx" | "m") {
                whole.insert(key.clone(), value.clone());
            }
        }
    }
    (head, rest)
}

/// White space runs as one space, none at the ends: what a snippet shows (and smaller).
fn collapsed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The fold pairs of traditional characters met in converted text.
#[derive(Default)]
struct Pairs(BTreeSet<(char, char)>);

impl Pairs {
    fn add(&mut self, text: &str) {
        let table = t2s_pairs();
        for c in text.chars().filter(|&c| c as u32 >= 0x3400) {
            if let Ok(i) = table.binary_search_by(|&(t, _)| t.cmp(&c)) {
                self.0.insert(table[i]);
            }
        }
    }

    /// These and the pairs `known` (as the index writes them: characters in twos).
    fn merged(mut self, known: &str) -> String {
        let cs: Vec<char> = known.chars().collect();
        cs.chunks_exact(2).for_each(|p| {
            self.0.insert((p[0], p[1]));
        });
        self.0.into_iter().flat_map(|(t, s)| [t, s]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_is_collapsed() {
        assert_eq!(collapsed("  科技\n\n 创新\t发展 "), "科技 创新 发展");
    }

    #[test]
    fn pairs_of_converted_text_join_the_known_ones() {
        let mut p = Pairs::default();
        p.add("軟件發展");
        assert_eq!(p.merged("創创"), "創创發发軟软");
    }
}
