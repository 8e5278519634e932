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

/// What one article contributes to the index.
#[derive(Default)]
pub struct ArticleGrams {
    /// (key, occurrences, whether one is in the title): characters, then pairs, each sorted by key.
    pub entries: Vec<(u64, u32, bool)>,
    /// For each pair entry, in entry order, its positions (ascending).
    pub positions: Vec<u32>,
    /// Folded characters of the title (positions below it are in the title).
    pub title_len: u32,
}

impl ArticleGrams {
    /// The terms of `title` and the body's plain text: folded title, a separator, folded text.
    pub fn of(title: &str, plain: &str) -> ArticleGrams {
        let mut chars: Vec<char> = Vec::with_capacity(title.len() / 2 + plain.len() / 2 + 1);
        let mut push = |c: char| chars.push(c);
        title.chars().for_each(|c| fold_char(c, &mut push));
        let title_len = chars.len() as u32;
        chars.push('\n');
        plain.chars().for_each(|c| fold_char(c, &mut |f| chars.push(f)));
        chars.truncate(MAX_POSITION);

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

        let mut grams = ArticleGrams { title_len, ..ArticleGrams::default() };
        let mut merged = Vec::with_capacity(singles.len() / 3 + pairs.len() / 2);
        group(&singles, title_len, &mut merged, None);
        group(&pairs, title_len, &mut merged, Some(&mut grams.positions));
        // Characters first, then pairs, each sorted by key: positions follow pair order.
        grams.entries = merged;
        grams
    }
}

/// Counts runs of one key in `packed` (sorted), appending (key, count, in title).
fn group(packed: &[u64], title_len: u32, out: &mut Vec<(u64, u32, bool)>, mut positions: Option<&mut Vec<u32>>) {
    let mut i = 0;
    while i < packed.len() {
        let k = packed[i] >> POSITION_BITS;
        let start = i;
        while i < packed.len() && packed[i] >> POSITION_BITS == k {
            if let Some(p) = positions.as_deref_mut() {
                p.push((packed[i] & MAX_POSITION as u64) as u32);
            }
            i += 1;
        }
        let first = (packed[start] & MAX_POSITION as u64) as u32;
        out.push((k, (i - start) as u32, first < title_len));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'a>(g: &'a ArticleGrams, gram: &str) -> Option<(u32, bool, Vec<u32>)> {
        let cs: Vec<char> = gram.chars().collect();
        let k = key(cs[0], cs.get(1).copied());
        let mut pos_at = 0usize;
        for &(key, tf, title) in &g.entries {
            let is_pair = chars_of(key).1 != 0;
            if key == k {
                let p = if is_pair { g.positions[pos_at..pos_at + tf as usize].to_vec() } else { vec![] };
                return Some((tf, title, p));
            }
            if is_pair {
                pos_at += tf as usize;
            }
        }
        None
    }

    #[test]
    fn pairs_and_characters_are_counted_with_positions_and_title_flags() {
        let g = ArticleGrams::of("科技創新", "科技 创新\n技创");
        // folded: 科技创新 \n 科技 创新 \n 技创
        assert_eq!(g.title_len, 4);
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
        let pairs: Vec<u64> = g.entries.iter().map(|e| e.0).filter(|&k| chars_of(k).1 != 0).collect();
        assert!(pairs.windows(2).all(|w| w[0] < w[1]));
        let pair_occurrences: u32 = g.entries.iter().filter(|e| chars_of(e.0).1 != 0).map(|e| e.1).sum();
        assert_eq!(pair_occurrences as usize, g.positions.len());
        assert!(find(&g, "重庆").is_some_and(|(tf, title, _)| tf == 2 && title));
        assert!(find(&g, "ai").is_some());
    }
}
