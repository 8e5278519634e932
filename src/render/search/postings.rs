//! The inverted index: for every character, pair of characters and four characters after a
//! frequent pair, the articles that hold it (with counts and a title flag) and, for pairs
//! and fours, where; split into shard files so a query fetches only the lists of its own
//! terms. The format is documented in `docs/search.md` and read by
//! `themes/default/static/js/search.js`.
//!
//! Each article is read, folded and cut into terms once; its terms go to runs by
//! partition ([`super::runs`]), and the lists are merged from the runs one partition at a
//! time, so the memory held is a partition's lists.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::grams::{term_hash, ArticleGrams, Extended, Folded, PARTITIONS};
use super::runs::{ArticleRun, Run, Runs};

/// A list larger than this (article list and positions together) gets files of its own;
/// smaller ones share shard files.
const OWN_FILE_BYTES: usize = 4 * 1024;
/// What a shard file aims at, so a rare term's query fetches a few KB.
const SHARD_BYTES: usize = 4 * 1024;
/// Articles turned into terms at a time (in parallel), then appended to the runs in order.
const CHUNK: usize = 64;
/// A pair this frequent gets its fours indexed: one of every 1,500 pair occurrences of the
/// site (estimated from a sample), and at least 1,000 times. At 10,000 generated articles
/// that is 20,000 occurrences, 32 KB of positions, about 180 pairs, whose fours add about
/// a quarter to the lists; as a share, the same pairs and the same quarter at any size.
const EXTEND_SHARE: u64 = 1_500;
const EXTEND_MIN: u64 = 1_000;
/// Articles sampled to estimate the pairs' frequencies.
const SAMPLE: usize = 1_000;
/// A site of up to this many articles merges all its lists at once, in memory (its
/// shards may then mix partitions); a larger one merges one partition at a time, with
/// runs on temporary files.
const IN_MEMORY_ARTICLES: usize = 2_500;

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
}

pub fn varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Builds the index of `count` articles whose title and plain text `text(id)` gives and
/// hands each file to `put` (path under `search/`, bytes). `each(id, text, folded)` is
/// called once per article as it is read (its result record is made there: the text is
/// read once). `spill_failed` names an error of the temporary files.
pub fn write<E: Send>(
    count: usize,
    text: impl Fn(usize) -> Result<(String, String), E> + Sync,
    each: impl Fn(usize, &str, &Folded) -> Result<(), E> + Sync,
    put: &(dyn Fn(&str, &[u8]) -> Result<(), E> + Sync),
    spill_failed: impl Fn(std::io::Error) -> E + Sync,
) -> Result<Written, E> {
    let ext = extended_pairs(count, &|id| {
        let (title, plain) = text(id)?;
        Ok(Folded::of(&title, &plain))
    })?;
    let in_memory = count <= IN_MEMORY_ARTICLES;
    let mut runs = Runs::new(!in_memory);
    let mut title_lens = Vec::with_capacity(count);
    for start in (0..count).step_by(CHUNK) {
        let chunk: Vec<(u32, ArticleRun)> = (start..(start + CHUNK).min(count))
            .into_par_iter()
            .map(|id| {
                let (title, plain) = text(id)?;
                let f = Folded::of(&title, &plain);
                each(id, &plain, &f)?;
                Ok((f.title_len, ArticleRun::of(id as u32, &ArticleGrams::of(&f, &ext))))
            })
            .collect::<Result<_, E>>()?;
        for (title_len, run) in chunk {
            title_lens.push(title_len);
            runs.append(&run).map_err(&spill_failed)?;
        }
    }
    let parts = runs.into_parts();
    if in_memory {
        let mut terms = FxHashMap::default();
        for run in parts {
            merge(&mut terms, run).map_err(&spill_failed)?;
        }
        let shards = shard_count(shared_bytes(&terms));
        write_shards(terms, &ext, shards, None, put)?;
        return Ok(Written { shards, title_lens });
    }
    // Partition 0's lists give the shard count (each shard made from one partition: the
    // low bits of its number); then the others, one at a time (its shards in parallel).
    let mut parts = parts.into_iter();
    let mut terms = FxHashMap::default();
    merge(&mut terms, parts.next().unwrap_or_default()).map_err(&spill_failed)?;
    let shards = shard_count(shared_bytes(&terms) * PARTITIONS).max(PARTITIONS as u32);
    write_shards(terms, &ext, shards, Some(0), put)?;
    for (i, run) in parts.enumerate() {
        let mut terms = FxHashMap::default();
        merge(&mut terms, run).map_err(&spill_failed)?;
        write_shards(terms, &ext, shards, Some(i + 1), put)?;
    }
    Ok(Written { shards, title_lens })
}

/// The bytes of the lists that share shard files.
fn shared_bytes(terms: &FxHashMap<u64, TermList>) -> usize {
    terms.values().map(|t| t.docs.len() + t.positions.len()).filter(|&n| n <= OWN_FILE_BYTES).sum()
}

/// Shards of about [`SHARD_BYTES`] for `shared` bytes of small lists: a power of two.
fn shard_count(shared: usize) -> u32 {
    shared.div_ceil(SHARD_BYTES).clamp(1, 1 << 16).next_power_of_two() as u32
}

/// The pairs whose fours are indexed: those that occur often enough ([`EXTEND_SHARE`]),
/// estimated from every k-th article (a pair missed makes queries of it cost more, never
/// answer wrong: the page asks each pair's header whether it is extended).
fn extended_pairs<E: Send>(count: usize, folded: &(impl Fn(usize) -> Result<Folded, E> + Sync)) -> Result<Extended, E> {
    let step = count.div_ceil(SAMPLE).max(1);
    let sampled: Vec<usize> = (0..count).step_by(step).collect();
    let counts = sampled
        .par_iter()
        .try_fold(FxHashMap::default, |mut counts, &id| {
            folded(id)?.count_pairs(&mut counts);
            Ok(counts)
        })
        .try_reduce(FxHashMap::default, |a, b| {
            let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
            for (k, n) in small {
                *big.entry(k).or_default() += n;
            }
            Ok(big)
        })?;
    let total: u64 = counts.values().map(|&n| n as u64).sum();
    let scale = count as f64 / sampled.len().max(1) as f64;
    let least = ((total as f64 * scale) as u64 / EXTEND_SHARE).max(EXTEND_MIN);
    Ok(Extended::new(counts.into_iter().filter(|&(_, n)| (n as f64 * scale) as u64 >= least).map(|(k, _)| k).collect()))
}

/// Writes the shards of `terms`: every shard, or (with a partition) those whose number's
/// low bits are that partition, each list let go once written.
fn write_shards<E: Send>(terms: FxHashMap<u64, TermList>, ext: &Extended, shards: u32, partition: Option<usize>, put: &(dyn Fn(&str, &[u8]) -> Result<(), E> + Sync)) -> Result<(), E> {
    let numbers: Vec<u32> = (0..shards).filter(|&n| partition.is_none_or(|p| n as usize & (PARTITIONS - 1) == p)).collect();
    let slot: FxHashMap<u32, usize> = numbers.iter().enumerate().map(|(i, &n)| (n, i)).collect();
    let mut per_shard: Vec<Vec<([u32; 4], TermList)>> = numbers.iter().map(|_| Vec::new()).collect();
    for (k, list) in terms {
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

/// Appends a run's entries to their lists (the run is in article order).
fn merge(terms: &mut FxHashMap<u64, TermList>, run: Run) -> std::io::Result<()> {
    run.for_each_entry(|id, key, flags, positions| {
        let list = terms.entry(key).or_default();
        varint(&mut list.docs, id - list.next_id);
        varint(&mut list.docs, flags);
        list.next_id = id + 1;
        list.articles += 1;
        list.positions.extend_from_slice(positions);
    })
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
        let w = write(texts.len(), |id| Ok(texts[id].clone()), |_, _, _| Ok(()), &put, |_| ()).unwrap();
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
    fn a_large_site_is_merged_by_partition_with_every_shard_written_once() {
        let mut rng = Rng(7);
        let texts = corpus(&mut rng, IN_MEMORY_ARTICLES + 10);
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
