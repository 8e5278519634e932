//! One article's search terms: every character, every pair of neighbouring characters, and
//! every four characters that start with a frequent pair ([`Extended`]), of its folded
//! title and text ([`crate::text::fold`]), counted, with the positions of each pair and
//! four, so that a longer query term can be confirmed exactly (its pieces at their offsets
//! from one start) without the text.

use rustc_hash::FxHashMap;

use crate::text::fold::{fold_char, is_separator};

/// Positions are kept in 22 bits of a packed `u64` beside the 42-bit key; text past this
/// many folded characters (about 12 MB of Chinese, beyond the 8 MB file limit) is not
/// indexed.
pub const MAX_POSITION: usize = (1 << 22) - 1;
const POSITION_BITS: u32 = 22;
/// Marks the key of four characters: `QUAD | pair index << 42 | c3 << 21 | c4`, where the
/// pair index names the first two characters in [`Extended::pairs`].
const QUAD: u64 = 1 << 63;

/// A character (`c1`, with `c2` = 0) or a pair of neighbouring characters, as one number.
pub fn key(c1: char, c2: Option<char>) -> u64 {
    ((c1 as u64) << 21) | c2.map_or(0, |c| c as u64)
}

/// The pairs whose every following four characters are indexed too, so that a phrase made
/// of very common pairs (`科技创新`) has an exact list of its own instead of the long
/// position lists of its pairs.
#[derive(Default)]
pub struct Extended {
    /// Pair keys, ascending; a four's key holds its first pair's index here.
    pub pairs: Vec<u64>,
    index: FxHashMap<u64, u32>,
    /// A bit per code point that starts an extended pair: most pairs are ruled out
    /// without a hash lookup.
    first: Vec<u64>,
}

impl Extended {
    pub fn new(mut pairs: Vec<u64>) -> Extended {
        pairs.sort_unstable();
        pairs.dedup();
        pairs.truncate(1 << 20); // the index's bits in a four's key
        let index = pairs.iter().enumerate().map(|(i, &k)| (k, i as u32)).collect();
        let mut first = vec![0u64; 0x11_0000 / 64];
        for &k in &pairs {
            let c = (k >> 21) as usize;
            first[c / 64] |= 1 << (c % 64);
        }
        Extended { pairs, index, first }
    }

    /// The index of `pair` (first character `c1`), if it is extended.
    #[inline]
    fn find(&self, c1: char, pair: u64) -> Option<u32> {
        let c = c1 as usize;
        if self.first.get(c / 64).is_none_or(|w| w >> (c % 64) & 1 == 0) {
            return None;
        }
        self.index.get(&pair).copied()
    }

    pub fn contains(&self, pair: u64) -> bool {
        self.index.contains_key(&pair)
    }

    /// The code points of a key (1, 2 or 4 of them; unused ones 0).
    pub fn chars_of(&self, key: u64) -> [u32; 4] {
        if key & QUAD != 0 {
            let pair = self.pairs[((key >> 42) & 0xF_FFFF) as usize];
            [(pair >> 21) as u32, (pair & 0x1F_FFFF) as u32, ((key >> 21) & 0x1F_FFFF) as u32, (key & 0x1F_FFFF) as u32]
        } else {
            [((key >> 21) & 0x1F_FFFF) as u32, (key & 0x1F_FFFF) as u32, 0, 0]
        }
    }
}

/// FNV-1a (32-bit) over a term's code points (the non-zero ones), as search.js computes it:
/// the term's shard is this modulo the shard count.
pub fn term_hash(cs: &[u32]) -> u32 {
    cs.iter().filter(|&&c| c != 0).fold(FNV_BASIS, |h, &c| fnv_step(h, c))
}

const FNV_BASIS: u32 = 0x811C_9DC5;

/// The hash of a term one code point longer.
#[inline]
fn fnv_step(h: u32, c: u32) -> u32 {
    (h ^ c).wrapping_mul(0x0100_0193)
}

/// The index is merged in this many parts, each term always in the same part.
pub const PARTITIONS: usize = 16;

/// The part that merges a term: the low bits of its hash, so that each shard file (hash
/// modulo a larger power of two) is made from one part.
pub fn partition(hash: u32) -> usize {
    hash as usize & (PARTITIONS - 1)
}

/// An article's folded title, a separator, and folded text.
pub struct Folded {
    pub chars: Vec<char>,
    /// Folded characters of the title (positions below it are in the title).
    pub title_len: u32,
    /// `雙双經经…`: each traditional character of the title and text that the table folds,
    /// once, with its simplified form (what the page needs to mark matches in the text).
    pub fold_pairs: String,
}

impl Folded {
    pub fn of(title: &str, plain: &str) -> Folded {
        let mut chars: Vec<char> = Vec::with_capacity(title.len() / 2 + plain.len() / 2 + 1);
        let mut pairs_seen: Vec<(char, char)> = Vec::new();
        let mut fold_into = |text: &str, chars: &mut Vec<char>| {
            for c in text.chars() {
                let before = chars.len();
                fold_char(c, &mut |f| chars.push(f));
                // an ideograph that folds to another one: a pair of the table
                if chars.len() == before + 1 && chars[before] != c && is_ideograph(c) {
                    pairs_seen.push((c, chars[before]));
                }
            }
        };
        fold_into(title, &mut chars);
        let title_len = chars.len() as u32;
        chars.push('\n');
        fold_into(plain, &mut chars);
        chars.truncate(MAX_POSITION);
        pairs_seen.sort_unstable();
        pairs_seen.dedup();
        let fold_pairs: String = pairs_seen.into_iter().flat_map(|(t, s)| [t, s]).collect();
        Folded { chars, title_len, fold_pairs }
    }

    /// Each pair's occurrences (for choosing the [`Extended`] pairs).
    pub fn count_pairs(&self, counts: &mut FxHashMap<u64, u32>) {
        for w in self.chars.windows(2) {
            if !is_separator(w[0]) && !is_separator(w[1]) {
                *counts.entry(key(w[0], Some(w[1]))).or_default() += 1;
            }
        }
    }
}

/// One term of an article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: u64,
    /// Occurrences.
    pub count: u32,
    /// Whether one is in the title.
    pub in_title: bool,
    /// Where its positions start in [`ArticleGrams::positions`] (pairs and fours).
    pub positions_at: u32,
}

/// What one article contributes to the parts of the index being merged.
#[derive(Default)]
pub struct ArticleGrams {
    /// Its terms grouped by the index partition that merges them ([`partition`]).
    pub entries: Vec<Entry>,
    /// Where each partition's entries start in `entries` (and one past the last).
    pub partition_starts: Vec<u32>,
    /// The positions of each pair and four (ascending), at its entry's `positions_at`.
    pub positions: Vec<u32>,
}

impl ArticleGrams {
    /// The terms of `f`, grouped by partition.
    pub fn of(f: &Folded, ext: &Extended) -> ArticleGrams {
        let chars = &f.chars;
        // (key << 22 | position) for every term: sorting these groups each term's
        // occurrences, in position order. Fours go in u128 (their key is 64 bits).
        let mut singles: Vec<u64> = Vec::with_capacity(chars.len());
        let mut pairs: Vec<u64> = Vec::with_capacity(chars.len());
        let mut quads: Vec<u128> = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            if is_separator(c) {
                continue;
            }
            singles.push(key(c, None) << POSITION_BITS | i as u64);
            let Some(&next) = chars.get(i + 1).filter(|n| !is_separator(**n)) else { continue };
            let pair = key(c, Some(next));
            pairs.push(pair << POSITION_BITS | i as u64);
            if let Some(at) = ext.find(c, pair) {
                if let (Some(&c3), Some(&c4)) = (chars.get(i + 2), chars.get(i + 3)) {
                    if !is_separator(c3) && !is_separator(c4) {
                        let k = QUAD | (at as u64) << 42 | key(c3, Some(c4));
                        quads.push((k as u128) << POSITION_BITS | i as u128);
                    }
                }
            }
        }
        singles.sort_unstable();
        pairs.sort_unstable();
        quads.sort_unstable();

        let title_len = f.title_len;
        let mut grams = ArticleGrams::default();
        let mut merged = Vec::with_capacity(singles.len() / 3 + pairs.len() / 2 + quads.len() / 2);
        group(singles.iter().map(|&p| (p >> POSITION_BITS, (p & MAX_POSITION as u64) as u32)), title_len, &mut merged, None);
        group(pairs.iter().map(|&p| (p >> POSITION_BITS, (p & MAX_POSITION as u64) as u32)), title_len, &mut merged, Some(&mut grams.positions));
        group(quads.iter().map(|&p| ((p >> POSITION_BITS) as u64, (p & MAX_POSITION as u128) as u32)), title_len, &mut merged, Some(&mut grams.positions));
        // grouped by partition (a counting sort: the order within a part does not matter)
        let parts: Vec<u8> = merged.iter().map(|e| partition(term_hash(&ext.chars_of(e.key))) as u8).collect();
        let mut starts = vec![0u32; PARTITIONS + 1];
        for &p in &parts {
            starts[p as usize + 1] += 1;
        }
        for p in 0..PARTITIONS {
            starts[p + 1] += starts[p];
        }
        let mut next = starts.clone();
        let mut grouped = vec![Entry { key: 0, count: 0, in_title: false, positions_at: 0 }; merged.len()];
        for (e, &p) in merged.iter().zip(&parts) {
            grouped[next[p as usize] as usize] = *e;
            next[p as usize] += 1;
        }
        grams.entries = grouped;
        grams.partition_starts = starts;
        grams
    }
}

/// CJK unified ideographs (the blocks the fold table's keys are in).
fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{20000}'..='\u{3134F}')
}

/// Counts runs of one key in `sorted` (key, position), appending an entry for each.
fn group(sorted: impl Iterator<Item = (u64, u32)>, title_len: u32, out: &mut Vec<Entry>, mut positions: Option<&mut Vec<u32>>) {
    let mut last: Option<u64> = None;
    for (k, p) in sorted {
        if last != Some(k) {
            let positions_at = positions.as_deref().map_or(0, |ps| ps.len() as u32);
            out.push(Entry { key: k, count: 0, in_title: p < title_len, positions_at });
            last = Some(k);
        }
        if let Some(ps) = positions.as_deref_mut() {
            ps.push(p);
        }
        if let Some(e) = out.last_mut() {
            e.count += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(g: &ArticleGrams, ext: &Extended, gram: &str) -> Option<(u32, bool, Vec<u32>)> {
        let want: Vec<u32> = gram.chars().map(|c| c as u32).collect();
        let e = g.entries.iter().find(|e| ext.chars_of(e.key).iter().copied().filter(|&c| c != 0).eq(want.iter().copied()))?;
        let at = e.positions_at as usize;
        let p = if want.len() > 1 { g.positions[at..at + e.count as usize].to_vec() } else { vec![] };
        Some((e.count, e.in_title, p))
    }

    #[test]
    fn pairs_and_characters_are_counted_with_positions_and_title_flags() {
        let f = Folded::of("科技創新", "科技 创新\n技创");
        let ext = Extended::default();
        let g = ArticleGrams::of(&f, &ext);
        // folded: 科技创新 \n 科技 创新 \n 技创
        assert_eq!(f.title_len, 4);
        assert_eq!(f.fold_pairs, "創创");
        assert_eq!(find(&g, &ext, "科技"), Some((2, true, vec![0, 5])));
        assert_eq!(find(&g, &ext, "创新"), Some((2, true, vec![2, 8])));
        assert_eq!(find(&g, &ext, "技创"), Some((2, true, vec![1, 11])));
        assert_eq!(find(&g, &ext, "科"), Some((2, true, vec![])));
        assert_eq!(find(&g, &ext, "技科"), None, "no pair across the title's end or a space");
        assert_eq!(find(&g, &ext, "技 "), None);
        assert_eq!(find(&g, &ext, "科技创新"), None, "no fours without extended pairs");
    }

    #[test]
    fn fours_follow_extended_pairs_only_and_never_cross_a_separator() {
        let f = Folded::of("科技创新", "科技创新。科技 创新，创新科技园");
        let ext = Extended::new(vec![key('科', Some('技'))]);
        let g = ArticleGrams::of(&f, &ext);
        assert_eq!(find(&g, &ext, "科技创新"), Some((2, true, vec![0, 5])));
        assert_eq!(find(&g, &ext, "科技园"), None);
        assert_eq!(find(&g, &ext, "创新科技"), None, "创新 is not extended");
        assert!(!g.entries.iter().any(|e| ext.chars_of(e.key)[3] != 0 && ext.chars_of(e.key)[0] != '科' as u32));
        // 科技 创 crosses a space: only 科技创新 twice, and 科技园 has no four
        let fours: u32 = g.entries.iter().filter(|e| ext.chars_of(e.key)[3] != 0).map(|e| e.count).sum();
        assert_eq!(fours, 2);
    }

    #[test]
    fn entries_are_grouped_by_the_partition_of_their_hash() {
        let f = Folded::of("重慶市科技局", "成渝地区双城经济圈建设。AI 与 5G：重庆、成都。科技创新");
        let ext = Extended::new(vec![key('科', Some('技')), key('重', Some('庆'))]);
        let all = ArticleGrams::of(&f, &ext);
        assert_eq!(all.partition_starts[PARTITIONS] as usize, all.entries.len());
        let term_occurrences: u32 = all.entries.iter().filter(|e| ext.chars_of(e.key)[1] != 0).map(|e| e.count).sum();
        assert_eq!(term_occurrences as usize, all.positions.len());
        assert!(find(&all, &ext, "重庆").is_some_and(|(tf, title, _)| tf == 2 && title));
        assert!(find(&all, &ext, "ai").is_some());
        for part in 0..PARTITIONS {
            let entries = &all.entries[all.partition_starts[part] as usize..all.partition_starts[part + 1] as usize];
            assert!(entries.iter().all(|e| partition(term_hash(&ext.chars_of(e.key))) == part), "partition {part}");
        }
    }
}
