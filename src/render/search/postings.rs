//! The inverted index: for every character and pair of characters, the articles that hold
//! it (with counts and a title flag) and, for pairs, where; split into shard files so a
//! query fetches only the lists of its own terms. The format is documented in
//! `docs/search.md` and read by `themes/default/static/js/search.js`.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::grams::{chars_of, ArticleGrams, PARTITIONS};

/// A list larger than this (article list and positions together) gets files of its own;
/// smaller ones share shard files.
const OWN_FILE_BYTES: usize = 4 * 1024;
/// What a shard file aims at, so a rare term's query fetches a few KB.
const SHARD_BYTES: usize = 8 * 1024;
/// Articles turned into terms at a time: bounds the memory of terms not yet merged.
const CHUNK: usize = 128;

/// One term's lists, encoded as they are built (article ids ascending).
#[derive(Default)]
struct TermList {
    articles: u32,
    /// One past the last article id appended.
    next_id: u32,
    /// Per article: varint(id gap), varint(count << 1 | in title).
    docs: Vec<u8>,
    /// Pairs only, per article: its positions as varint gaps (as many as its count).
    positions: Vec<u8>,
}

/// The index of a site, ready to be written.
pub struct Postings {
    /// Each term in the part [`super::grams::partition`] names: parts are merged in parallel.
    parts: Vec<FxHashMap<u64, TermList>>,
    /// Folded title length per article.
    pub title_lens: Vec<u32>,
    /// Per article, [`ArticleGrams::fold_pairs`].
    pub fold_pairs: Vec<String>,
}

pub fn varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

impl Postings {
    /// Builds the index of `count` articles whose title and plain text `text(id)` gives.
    pub fn build(count: usize, text: impl Fn(usize) -> (String, String) + Sync) -> Postings {
        let mut postings = Postings { parts: (0..PARTITIONS).map(|_| FxHashMap::default()).collect(), title_lens: Vec::with_capacity(count), fold_pairs: Vec::with_capacity(count) };
        let mut start = 0;
        while start < count {
            let end = (start + CHUNK).min(count);
            let mut grams: Vec<ArticleGrams> = (start..end)
                .into_par_iter()
                .map(|id| {
                    let (title, plain) = text(id);
                    ArticleGrams::of(&title, &plain)
                })
                .collect();
            postings.title_lens.extend(grams.iter().map(|g| g.title_len));
            postings.fold_pairs.extend(grams.iter_mut().map(|g| std::mem::take(&mut g.fold_pairs)));
            postings.parts.par_iter_mut().enumerate().for_each(|(part, terms)| {
                for (offset, g) in grams.iter().enumerate() {
                    add(terms, (start + offset) as u32, g, part);
                }
            });
            start = end;
        }
        postings
    }

    /// Hands each file of the index to `put` (path under `search/`, bytes), shards in
    /// parallel, each list let go once written; returns the shard count.
    pub fn write<E: Send>(&mut self, put: &(dyn Fn(&str, &[u8]) -> Result<(), E> + Sync)) -> Result<u32, E> {
        let terms: Vec<(u64, TermList)> = std::mem::take(&mut self.parts).into_iter().flatten().collect();
        let shared: usize = terms.iter().map(|(_, t)| t.docs.len() + t.positions.len()).filter(|&n| n <= OWN_FILE_BYTES).sum();
        let shards = (shared.div_ceil(SHARD_BYTES)).clamp(1, 1 << 14).next_power_of_two() as u32;
        let mut per_shard: Vec<Vec<(u64, TermList)>> = (0..shards).map(|_| Vec::new()).collect();
        for term in terms {
            per_shard[(shard_hash(term.0) & (shards - 1)) as usize].push(term);
        }
        per_shard.into_par_iter().enumerate().try_for_each(|(n, mut members)| {
            members.sort_unstable_by_key(|t| t.0);
            let mut head = Vec::new();
            let mut body = Vec::new();
            varint(&mut head, members.len() as u32);
            for (key, list) in members {
                let (c1, c2) = chars_of(key);
                let own = list.docs.len() + list.positions.len() > OWN_FILE_BYTES;
                for n in [c1, c2, list.articles, list.docs.len() as u32, list.positions.len() as u32, own as u32] {
                    varint(&mut head, n);
                }
                if own {
                    let name = term_file(c1, c2);
                    put(&format!("t/{name}.d"), &list.docs)?;
                    if !list.positions.is_empty() {
                        put(&format!("t/{name}.p"), &list.positions)?;
                    }
                } else {
                    body.extend_from_slice(&list.docs);
                    body.extend_from_slice(&list.positions);
                }
            }
            head.extend_from_slice(&body);
            put(&format!("s/{n}.bin"), &head)
        })?;
        Ok(shards)
    }
}

/// Appends the entries of article `id` that belong to `part`.
fn add(terms: &mut FxHashMap<u64, TermList>, id: u32, g: &ArticleGrams, part: usize) {
    let entries = &g.entries[g.partition_starts[part] as usize..g.partition_starts[part + 1] as usize];
    for e in entries {
        let list = terms.entry(e.key).or_default();
        varint(&mut list.docs, id - list.next_id);
        varint(&mut list.docs, e.count.min(0x7FFF_FFFF) << 1 | e.in_title as u32);
        list.next_id = id + 1;
        list.articles += 1;
        if chars_of(e.key).1 != 0 {
            // no count: the article list has it
            let mut last = 0;
            for &p in &g.positions[e.positions_at as usize..(e.positions_at + e.count) as usize] {
                varint(&mut list.positions, p - last);
                last = p;
            }
        }
    }
}

/// `79d1-6280` for 科技, `79d1` for 科.
fn term_file(c1: u32, c2: u32) -> String {
    if c2 == 0 {
        format!("{c1:x}")
    } else {
        format!("{c1:x}-{c2:x}")
    }
}

/// FNV-1a over the term's characters (code points), as search.js computes it.
pub fn shard_hash(key: u64) -> u32 {
    let (c1, c2) = chars_of(key);
    let mut h: u32 = 0x811C_9DC5;
    for c in [c1, c2].into_iter().filter(|&c| c != 0) {
        h ^= c;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
        let mut n = 0u32;
        let mut shift = 0;
        loop {
            let b = bytes[*at];
            *at += 1;
            n |= ((b & 0x7F) as u32) << shift;
            if b < 0x80 {
                return n;
            }
            shift += 7;
        }
    }

    #[test]
    fn every_term_is_in_the_shard_its_hash_names_with_its_articles() {
        let texts = [("科技创新", "旺苍县召开会议。"), ("雙城經濟圈", "川渝科技合作"), ("通知", "旺苍县科技局")];
        let p = Postings::build(texts.len(), |id| (texts[id].0.to_string(), texts[id].1.to_string()));
        let files = std::sync::Mutex::new(Vec::new());
        let shards = { let mut p = p; p.write(&|name: &str, bytes: &[u8]| -> Result<(), ()> { files.lock().unwrap().push((name.to_string(), bytes.to_vec())); Ok(()) }).unwrap() };
        let files = files.into_inner().unwrap();
        let key = super::super::grams::key('旺', Some('苍'));
        let shard = &files.iter().find(|(n, _)| *n == format!("s/{}.bin", shard_hash(key) & (shards - 1))).unwrap().1;
        let mut at = 0;
        let count = read_varint(shard, &mut at);
        let mut offset = 0;
        let mut found = None;
        for _ in 0..count {
            let f: Vec<u32> = (0..6).map(|_| read_varint(shard, &mut at)).collect();
            if (f[0], f[1]) == ('旺' as u32, '苍' as u32) {
                found = Some((f[2], offset, f[3]));
            }
            if f[5] == 0 {
                offset += (f[3] + f[4]) as usize;
            }
        }
        let (articles, offset, len) = found.expect("旺苍 in its shard");
        assert_eq!(articles, 2);
        let docs = &shard[at + offset..at + offset + len as usize];
        let mut i = 0;
        let first = read_varint(docs, &mut i);
        let _count = read_varint(docs, &mut i);
        let gap = read_varint(docs, &mut i);
        assert_eq!((first, first + 1 + gap), (0, 2), "articles 0 and 2");
    }
}
