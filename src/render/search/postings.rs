//! The inverted index: for every character, pair of characters and four characters after a
//! frequent pair, the articles that hold it (with counts and a title flag) and, for pairs
//! and fours, where; split into shard files so a query fetches only the lists of its own
//! terms. The format is documented in `docs/search.md` and read by
//! `themes/default/static/js/search.js`.
//!
//! Memory: the lists of the whole index would be about as large as the index (≈ 100 MB
//! at 10,000 articles), so they are made in groups of parts: each group reads every
//! article again (folding is a table lookup per character), keeps only its own terms,
//! writes their shards and lets them go.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::grams::{term_hash, ArticleGrams, Extended, Folded, PARTITIONS};

/// A list larger than this (article list and positions together) gets files of its own;
/// smaller ones share shard files.
const OWN_FILE_BYTES: usize = 4 * 1024;
/// What a shard file aims at, so a rare term's query fetches a few KB.
const SHARD_BYTES: usize = 4 * 1024;
/// Articles turned into terms at a time: bounds the memory of terms not yet merged.
const CHUNK: usize = 128;
/// A pair this frequent gets its fours indexed: one of every 1,500 pair occurrences of the
/// site (estimated from a sample), and at least 1,000 times. At 10,000 generated articles
/// that is 20,000 occurrences, 32 KB of positions, about 180 pairs, whose fours add about
/// a quarter to the lists; as a share, the same pairs and the same quarter at any size.
const EXTEND_SHARE: u64 = 1_500;
const EXTEND_MIN: u64 = 1_000;
/// Articles sampled to estimate the pairs' frequencies.
const SAMPLE: usize = 1_000;
/// Articles per group of parts: a larger site merges in more groups (less memory, each
/// group folds every article again).
const ARTICLES_PER_GROUP: usize = 2_500;
/// At most this many groups, so that each merges at least two parts at once.
const MAX_GROUPS: usize = PARTITIONS / 2;

/// One term's lists, encoded as they are built (article ids ascending).
#[derive(Default)]
struct TermList {
    articles: u32,
    /// One past the last article id appended.
    next_id: u32,
    /// Per article: varint(id gap), varint(count << 1 | in title).
    docs: Vec<u8>,
    /// Pairs and fours, per article: its positions as varint gaps (as many as its count).
    positions: Vec<u8>,
}

/// What the index of a site gives the rest of the search files.
pub struct Written {
    pub shards: u32,
    /// Folded title length per article.
    pub title_lens: Vec<u32>,
    /// Per article, [`Folded::fold_pairs`].
    pub fold_pairs: Vec<String>,
}

pub fn varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Builds the index of `count` articles whose title and plain text `text(id)` gives and
/// hands each file to `put` (path under `search/`, bytes), shards in parallel.
pub fn write<E: Send>(count: usize, text: impl Fn(usize) -> (String, String) + Sync, put: &(dyn Fn(&str, &[u8]) -> Result<(), E> + Sync)) -> Result<Written, E> {
    let folded = |id: usize| {
        let (title, plain) = text(id);
        Folded::of(&title, &plain)
    };
    let ext = extended_pairs(count, &folded);
    let groups = count.div_ceil(ARTICLES_PER_GROUP).clamp(1, MAX_GROUPS).next_power_of_two();
    let per_group = PARTITIONS / groups;
    let mut out = Written { shards: 0, title_lens: Vec::with_capacity(count), fold_pairs: Vec::with_capacity(count) };
    for g in 0..groups {
        let mine: Vec<usize> = (g * per_group..(g + 1) * per_group).collect();
        let mask = mine.iter().fold(0u32, |m, &p| m | 1 << p);
        let mut parts: Vec<FxHashMap<u64, TermList>> = mine.iter().map(|_| FxHashMap::default()).collect();
        let mut start = 0;
        while start < count {
            let end = (start + CHUNK).min(count);
            let grams: Vec<ArticleGrams> = (start..end)
                .into_par_iter()
                .map(|id| {
                    let f = folded(id);
                    (f.title_len, f.fold_pairs.clone(), ArticleGrams::of(&f, &ext, mask))
                })
                .collect::<Vec<_>>()
                .into_iter()
                .map(|(title_len, fold_pairs, grams)| {
                    if g == 0 {
                        out.title_lens.push(title_len);
                        out.fold_pairs.push(fold_pairs);
                    }
                    grams
                })
                .collect();
            parts.par_iter_mut().zip(&mine).for_each(|(terms, &part)| {
                for (offset, gr) in grams.iter().enumerate() {
                    add(terms, (start + offset) as u32, gr, part);
                }
            });
            start = end;
        }
        if g == 0 {
            // the shard count, from this group's share of the small lists
            let shared: usize = parts.iter().flat_map(|p| p.values()).map(|t| t.docs.len() + t.positions.len()).filter(|&n| n <= OWN_FILE_BYTES).sum();
            let shards = (shared * groups).div_ceil(SHARD_BYTES).clamp(1, 1 << 16).next_power_of_two();
            // with several groups each shard must come from one (its number's low bits)
            out.shards = if groups > 1 { shards.max(PARTITIONS) } else { shards } as u32;
        }
        write_shards(parts, &ext, out.shards, groups == 1, &mine, put)?;
    }
    Ok(out)
}

/// The pairs whose fours are indexed: those that occur often enough ([`EXTEND_SHARE`]),
/// estimated from every k-th article (a pair missed makes queries of it cost more, never
/// answer wrong: the page asks each pair's header whether it is extended).
fn extended_pairs(count: usize, folded: &(impl Fn(usize) -> Folded + Sync)) -> Extended {
    let step = count.div_ceil(SAMPLE).max(1);
    let sampled: Vec<usize> = (0..count).step_by(step).collect();
    let counts = sampled
        .par_iter()
        .fold(FxHashMap::default, |mut counts, &id| {
            folded(id).count_pairs(&mut counts);
            counts
        })
        .reduce(FxHashMap::default, |a, b| {
            let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
            for (k, n) in small {
                *big.entry(k).or_default() += n;
            }
            big
        });
    let total: u64 = counts.values().map(|&n| n as u64).sum();
    let scale = count as f64 / sampled.len().max(1) as f64;
    let least = ((total as f64 * scale) as u64 / EXTEND_SHARE).max(EXTEND_MIN);
    Extended::new(counts.into_iter().filter(|&(_, n)| (n as f64 * scale) as u64 >= least).map(|(k, _)| k).collect())
}

/// Writes the shards made from `parts` (every shard when `all`, else those whose number's
/// low bits are one of `mine`), each list let go once written.
fn write_shards<E: Send>(parts: Vec<FxHashMap<u64, TermList>>, ext: &Extended, shards: u32, all: bool, mine: &[usize], put: &(dyn Fn(&str, &[u8]) -> Result<(), E> + Sync)) -> Result<(), E> {
    let numbers: Vec<u32> = (0..shards).filter(|&n| all || mine.contains(&(n as usize & (PARTITIONS - 1)))).collect();
    let slot: FxHashMap<u32, usize> = numbers.iter().enumerate().map(|(i, &n)| (n, i)).collect();
    let mut per_shard: Vec<Vec<([u32; 4], TermList)>> = numbers.iter().map(|_| Vec::new()).collect();
    for (k, list) in parts.into_iter().flatten() {
        let cs = ext.chars_of(k);
        per_shard[slot[&(term_hash(&cs) & (shards - 1))]].push((cs, list));
    }
    per_shard.into_par_iter().zip(numbers).try_for_each(|(mut members, n)| {
        members.sort_unstable_by_key(|t| t.0);
        let mut head = Vec::new();
        let mut body = Vec::new();
        varint(&mut head, members.len() as u32);
        for (cs, list) in members {
            let len = cs.iter().filter(|&&c| c != 0).count();
            let own = list.docs.len() + list.positions.len() > OWN_FILE_BYTES;
            let extended = len == 2 && ext.contains((cs[0] as u64) << 21 | cs[1] as u64);
            varint(&mut head, len as u32);
            for &c in &cs[..len] {
                varint(&mut head, c);
            }
            for v in [list.articles, list.docs.len() as u32, list.positions.len() as u32, own as u32 | (extended as u32) << 1] {
                varint(&mut head, v);
            }
            if own {
                let name = term_file(&cs[..len]);
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
    })
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
        if e.key & 0x1F_FFFF != 0 || e.key >> 63 == 1 {
            // a pair or four (no count: the article list has it)
            let mut last = 0;
            for &p in &g.positions[e.positions_at as usize..(e.positions_at + e.count) as usize] {
                varint(&mut list.positions, p - last);
                last = p;
            }
        }
    }
}

/// `79d1-6280` for 科技, `79d1` for 科, `79d1-6280-521b-65b0` for 科技创新.
fn term_file(cs: &[u32]) -> String {
    cs.iter().map(|c| format!("{c:x}")).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::text::fold::fold;

    /// The files of an index, read back as search.js reads them.
    struct Index {
        files: BTreeMap<String, Vec<u8>>,
        shards: u32,
        title_lens: Vec<u32>,
    }

    struct Term {
        articles: u32,
        extended: bool,
        docs: Vec<u8>,
        positions: Vec<u8>,
    }

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

    fn build(texts: &[(String, String)]) -> Index {
        let files = std::sync::Mutex::new(BTreeMap::new());
        let put = |name: &str, bytes: &[u8]| -> Result<(), ()> {
            assert!(files.lock().unwrap().insert(name.to_string(), bytes.to_vec()).is_none(), "{name} written twice");
            Ok(())
        };
        let w = write(texts.len(), |id| texts[id].clone(), &put).unwrap();
        Index { files: files.into_inner().unwrap(), shards: w.shards, title_lens: w.title_lens }
    }

    impl Index {
        fn term(&self, cs: &[u32]) -> Option<Term> {
            let shard = &self.files[&format!("s/{}.bin", term_hash(cs) & (self.shards - 1))];
            let mut at = 0;
            let count = read_varint(shard, &mut at);
            let mut offset = 0;
            let mut found = None;
            for _ in 0..count {
                let len = read_varint(shard, &mut at) as usize;
                let chars: Vec<u32> = (0..len).map(|_| read_varint(shard, &mut at)).collect();
                let f: Vec<u32> = (0..4).map(|_| read_varint(shard, &mut at)).collect();
                if chars == cs {
                    found = Some((f.clone(), offset));
                }
                if f[3] & 1 == 0 {
                    offset += (f[1] + f[2]) as usize;
                }
            }
            let (f, offset) = found?;
            let (docs, positions) = if f[3] & 1 == 1 {
                let name = term_file(cs);
                (self.files[&format!("t/{name}.d")].clone(), self.files.get(&format!("t/{name}.p")).cloned().unwrap_or_default())
            } else {
                let body = &shard[at + offset..];
                (body[..f[1] as usize].to_vec(), body[f[1] as usize..(f[1] + f[2]) as usize].to_vec())
            };
            Some(Term { articles: f[0], extended: f[3] & 2 == 2, docs, positions })
        }

        /// id → (count, in title, positions)
        fn lists(&self, t: &Term) -> BTreeMap<u32, (u32, bool, Vec<u32>)> {
            let (mut d, mut p, mut next) = (0, 0, 0);
            let mut out = BTreeMap::new();
            for _ in 0..t.articles {
                let id = next + read_varint(&t.docs, &mut d);
                let v = read_varint(&t.docs, &mut d);
                let mut ps = Vec::new();
                if !t.positions.is_empty() {
                    let mut last = 0;
                    for _ in 0..v >> 1 {
                        last += read_varint(&t.positions, &mut p);
                        ps.push(last);
                    }
                }
                out.insert(id, (v >> 1, v & 1 == 1, ps));
                next = id + 1;
            }
            out
        }

        /// What search.js answers for one folded term: id → (count, in title). Every pair
        /// and every four after an extended pair, all used (the page picks the cheapest
        /// cover; any cover gives the same answer, and all of them checks the fours too).
        fn query(&self, term: &str) -> BTreeMap<u32, (u32, bool)> {
            let cp: Vec<u32> = term.chars().map(|c| c as u32).collect();
            if cp.len() <= 2 {
                return self.term(&cp).map(|t| self.lists(&t).into_iter().map(|(id, (n, title, _))| (id, (n, title))).collect()).unwrap_or_default();
            }
            let mut pieces = Vec::new();
            for o in 0..cp.len() - 1 {
                let Some(t) = self.term(&cp[o..o + 2]) else { return BTreeMap::new() };
                if t.extended && o + 4 <= cp.len() {
                    let Some(four) = self.term(&cp[o..o + 4]) else { return BTreeMap::new() };
                    pieces.push((o as u32, self.lists(&four)));
                }
                pieces.push((o as u32, self.lists(&t)));
            }
            let mut out = BTreeMap::new();
            for (id, (_, _, starts)) in &pieces[0].1 {
                let mut count = 0;
                let mut title = false;
                for &s in starts {
                    if pieces.iter().all(|(o, l)| l.get(id).is_some_and(|(_, _, ps)| ps.binary_search(&(s + o)).is_ok())) {
                        count += 1;
                        title |= s < self.title_lens[*id as usize];
                    }
                }
                if count > 0 {
                    out.insert(*id, (count, title));
                }
            }
            out
        }
    }

    /// Occurrences of `term` in the folded title and text, overlapping ones too.
    fn brute(texts: &[(String, String)], term: &str) -> BTreeMap<u32, (u32, bool)> {
        let mut out = BTreeMap::new();
        for (id, (title, text)) in texts.iter().enumerate() {
            let (title, text) = (fold(title), fold(text));
            let all = format!("{title}\n{text}");
            let count = (0..all.len()).filter(|&i| all.is_char_boundary(i) && all[i..].starts_with(term)).count() as u32;
            if count > 0 {
                out.insert(id as u32, (count, title.contains(term)));
            }
        }
        out
    }

    /// A small random generator (xorshift), so the test needs no crate and repeats.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Articles of common policy words, so that many pairs are frequent enough to be
    /// extended (their fours indexed).
    fn corpus(rng: &mut Rng, articles: usize) -> Vec<(String, String)> {
        const WORDS: &[&str] = &["科技", "创新", "科技创新", "高新技术企业", "技术", "企业", "高新区", "旺苍县", "雙城經濟圈", "双城", "经济", "。", "，", " ", "AI", "芯片", "新技", "推进", "发展"];
        let mut text = |n: usize| (0..n).map(|_| WORDS[rng.below(WORDS.len())]).collect::<String>();
        (0..articles).map(|_| (text(4), text(300))).collect()
    }

    #[test]
    fn every_term_and_random_substring_counts_as_a_brute_force_count() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let texts = corpus(&mut rng, 100);
        let index = build(&texts);
        let four = index.term(&"科技创新".chars().map(|c| c as u32).collect::<Vec<_>>()).expect("科技创新 is a four of the index");
        assert!(four.articles > 0);
        assert!(index.term(&['科' as u32, '技' as u32]).is_some_and(|t| t.extended), "科技 is frequent: extended");
        let mut terms: Vec<String> = ["科技创新", "高新技术企业", "技术企业", "新技术", "技创新高", "科技企业", "双城经济圈", "创新科技", "ai芯片", "县雙", "企业。高新", "科技科技创新"].iter().map(|s| fold(s)).collect();
        for _ in 0..300 {
            let (title, text) = &texts[rng.below(texts.len())];
            let all: Vec<char> = fold(&format!("{title}{text}")).chars().collect();
            let len = 1 + rng.below(7);
            let at = rng.below(all.len() - len);
            let s: String = all[at..at + len].iter().collect();
            if !s.chars().any(|c| c.is_whitespace()) {
                terms.push(s);
            }
        }
        for t in &terms {
            assert_eq!(index.query(t), brute(&texts, t), "{t}");
        }
    }

    #[test]
    fn a_large_site_is_made_in_groups_of_shards_with_every_shard_written_once() {
        let mut rng = Rng(7);
        let texts = corpus(&mut rng, ARTICLES_PER_GROUP + 10);
        let index = build(&texts);
        assert!(index.shards as usize >= PARTITIONS);
        for n in 0..index.shards {
            assert!(index.files.contains_key(&format!("s/{n}.bin")), "shard {n}");
        }
        for t in ["科技创新", "旺苍县", "高新技术企业", "济圈ai"] {
            assert_eq!(index.query(t), brute(&texts, t), "{t}");
        }
    }
}
