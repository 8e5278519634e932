//! One article's search terms: every character and every pair of neighbouring characters
//! of its folded title and text ([`crate::text::fold`]), counted, with the positions of
//! each pair, so that a longer query term can be confirmed exactly (its pairs at
//! consecutive positions) without the text.

use crate::text::fold::{fold_char, is_separator};

/// Positions are kept in 22 bits of a packed `u64` beside the 42-bit key; text past this
/// many folded characters (about 12 MB of Chinese, beyond the 8 MB file limit) is not
/// indexed.
pub const MAX_POSITION: usize = (1 << 22) - 1;
const POSITION_BITS: u32 = 22;

/// A character (`c1`, with `c2` = 0) or a pair of neighbouring characters, as one number.
pub fn key(c1: char, c2: Option<char>) -> u64 {
    ((c1 as u64) << 21) | c2.map_or(0, |c| c as u64)
}

/// The characters of a key.
pub fn chars_of(key: u64) -> (u32, u32) {
    ((key >> 21) as u32, (key & 0x1F_FFFF) as u32)
}

/// One term of an article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: u64,
    /// Occurrences.
    pub count: u32,
    /// Whether one is in the title.
    pub in_title: bool,
    /// Where its positions start in [`ArticleGrams::positions`] (pairs only).
    pub positions_at: u32,
}

/// What one article contributes to the index.
#[derive(Default)]
pub struct ArticleGrams {
    /// Its terms grouped by the index partition that merges them ([`partition`]).
    pub entries: Vec<Entry>,
    /// Where each partition's entries start in `entries` (and one past the last).
    pub partition_starts: Vec<u32>,
    /// The positions of each pair (ascending), at its entry's `positions_at`.
    pub positions: Vec<u32>,
    /// Folded characters of the title (positions below it are in the title).
    pub title_len: u32,
    /// `雙双經经…`: each traditional character of the title and text that the table folds,
    /// once, with its simplified form (what the page needs to mark matches in the text).
    pub fold_pairs: String,
}

impl ArticleGrams {
    /// The terms of `title` and the body's plain text: folded title, a separator, folded text.
    pub fn of(title: &str, plain: &str) -> ArticleGrams {
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

        // (key << 22 | position) for every character and every pair: sorting these groups
        // each term's occurrences, in position order.
        let mut singles: Vec<u64> = Vec::with_capacity(chars.len());
        let mut pairs: Vec<u64> = Vec::with_capacity(chars.len());
        for (i, &c) in chars.iter().enumerate() {
            if is_separator(c) {
                continue;
            }
            singles.push(key(c, None) << POSITION_BITS | i as u64);
            if let Some(&next) = chars.get(i + 1) {
                if !is_separator(next) {
                    pairs.push(key(c, Some(next)) << POSITION_BITS | i as u64);
                }
            }
        }
        singles.sort_unstable();
        pairs.sort_unstable();

        let mut grams = ArticleGrams { title_len, fold_pairs, ..ArticleGrams::default() };
        let mut merged = Vec::with_capacity(singles.len() / 3 + pairs.len() / 2);
        group(&singles, title_len, &mut merged, None);
        group(&pairs, title_len, &mut merged, Some(&mut grams.positions));
        // grouped by partition (a counting sort: the order within a part does not matter)
        let parts: Vec<u8> = merged.iter().map(|e| partition(e.key) as u8).collect();
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
        let merged = grouped;
        grams.entries = merged;
        grams.partition_starts = starts;
        grams
    }
}

/// CJK unified ideographs (the blocks the fold table's keys are in).
fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{20000}'..='\u{3134F}')
}

/// The index is merged in this many parts at once, each term always in the same part.
pub const PARTITIONS: usize = 16;

/// The part that merges `key`: the low bits of its shard hash, so that each shard file
/// (hash modulo a larger power of two) is made from one part.
pub fn partition(key: u64) -> usize {
    (super::postings::shard_hash(key) as usize) & (PARTITIONS - 1)
}

/// Counts runs of one key in `packed` (sorted), appending an entry for each.
fn group(packed: &[u64], title_len: u32, out: &mut Vec<Entry>, mut positions: Option<&mut Vec<u32>>) {
    let mut i = 0;
    while i < packed.len() {
        let k = packed[i] >> POSITION_BITS;
        let start = i;
        let positions_at = positions.as_deref().map_or(0, |p| p.len() as u32);
        while i < packed.len() && packed[i] >> POSITION_BITS == k {
            if let Some(p) = positions.as_deref_mut() {
                p.push((packed[i] & MAX_POSITION as u64) as u32);
            }
            i += 1;
        }
        let first = (packed[start] & MAX_POSITION as u64) as u32;
        out.push(Entry { key: k, count: (i - start) as u32, in_title: first < title_len, positions_at });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'a>(g: &'a ArticleGrams, gram: &str) -> Option<(u32, bool, Vec<u32>)> {
        let cs: Vec<char> = gram.chars().collect();
        let k = key(cs[0], cs.get(1).copied());
        let e = g.entries.iter().find(|e| e.key == k)?;
        let at = e.positions_at as usize;
        let p = if chars_of(k).1 != 0 { g.positions[at..at + e.count as usize].to_vec() } else { vec![] };
        Some((e.count, e.in_title, p))
    }

    #[test]
    fn pairs_and_characters_are_counted_with_positions_and_title_flags() {
        let g = ArticleGrams::of("科技創新", "科技 创新\n技创");
        // folded: 科技创新 \n 科技 创新 \n 技创
        assert_eq!(g.title_len, 4);
        assert_eq!(g.fold_pairs, "創创");
        assert_eq!(find(&g, "科技"), Some((2, true, vec![0, 5])));
        assert_eq!(find(&g, "创新"), Some((2, true, vec![2, 8])));
        assert_eq!(find(&g, "技创"), Some((2, true, vec![1, 11])));
        assert_eq!(find(&g, "科"), Some((2, true, vec![])));
        assert_eq!(find(&g, "技科"), None, "no pair across the title's end or a space");
        assert_eq!(find(&g, "技 "), None);
    }

    #[test]
    fn entries_are_sorted_and_positions_match_their_counts() {
        let g = ArticleGrams::of("重慶市科技局", "成渝地区双城经济圈建设。AI 与 5G：重庆、成都。");
        assert!(g.entries.windows(2).all(|w| partition(w[0].key) <= partition(w[1].key)));
        assert_eq!(g.partition_starts[PARTITIONS] as usize, g.entries.len());
        let pair_occurrences: u32 = g.entries.iter().filter(|e| chars_of(e.key).1 != 0).map(|e| e.count).sum();
        assert_eq!(pair_occurrences as usize, g.positions.len());
        assert!(find(&g, "重庆").is_some_and(|(tf, title, _)| tf == 2 && title));
        assert!(find(&g, "ai").is_some());
    }
}
