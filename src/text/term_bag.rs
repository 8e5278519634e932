//! What similarity reads of an article: its distinct text terms, each with the number of
//! times it counts, made once when the article is loaded.
//!
//! Related articles compare these bags, not the text. Counting an article's terms where
//! its text is read replaces holding the text until the related stage and reading it
//! twice there (once for document frequencies, once for the article's own counts): the
//! tokeniser was a sixth of a build's CPU, and a bag is smaller than the text it counts.

use super::tokens::{for_each_term_of, TermId, SIMILARITY_CHARS};

/// Each term of the title counts this many times: titles say what an article is about.
pub const TITLE_BOOST: u8 = 3;

/// An article's similarity terms: distinct 32-bit term ids (see [`fold_term`]) and how
/// many times each counts, saturating at 255, in the order the terms first appear.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermBag {
    terms: Box<[u32]>,
    counts: Box<[u8]>,
}

impl TermBag {
    /// The bag of an article's title and plain body text, each cut at
    /// [`SIMILARITY_CHARS`] characters (bounding the work on huge articles).
    pub fn of(title: &str, body: &str) -> TermBag {
        // No more terms than characters read, and no more characters than bytes.
        let most = title.len().min(SIMILARITY_CHARS) + body.len().min(SIMILARITY_CHARS);
        // Han text has about one term per three bytes, and about three in five of an
        // article's terms are distinct; the table grows if a text has more.
        let mut places = TermTable::<u32>::with_capacity(most.div_ceil(5));
        // Terms as first seen, and their counts: `places` holds each term's index + 1.
        // Every term is written to `terms[len]` and kept only if new, so that no branch
        // depends on whether it is (half of them are, at random: mispredicted branches
        // cost more than the counting).
        let mut terms = vec![0u32; most];
        let mut counts = vec![0u8; most];
        let mut len = 0;
        for_each_article_term(title, body, |t, times| {
            let Some((place, is_new)) = places.place(t, len as u32 + 1) else {
                return;
            };
            if let (Some(term), Some(count)) = (terms.get_mut(len), counts.get_mut(place as usize - 1)) {
                *term = t;
                *count = count.saturating_add(times);
            }
            len += usize::from(is_new);
        });
        // Exact copies: every article's bag is held until related lists are made.
        TermBag {
            terms: Box::from(terms.get(..len).unwrap_or_default()),
            counts: Box::from(counts.get(..len).unwrap_or_default()),
        }
    }

    /// (term, count) pairs.
    pub fn iter(&self) -> impl Iterator<Item = (u32, u8)> + '_ {
        self.terms.iter().copied().zip(self.counts.iter().copied())
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// Calls `f` with each term of an article and how many times it counts: title terms
/// are boosted; title and body are each cut at `SIMILARITY_CHARS`.
fn for_each_article_term(title: &str, body: &str, mut f: impl FnMut(u32, u8)) {
    for_each_term_of(title.chars().take(SIMILARITY_CHARS), |t| f(fold_term(t), TITLE_BOOST));
    for_each_term_of(body.chars().take(SIMILARITY_CHARS), |t| f(fold_term(t), 1));
}

/// Marks a free slot of a [`TermTable`]; [`fold_term`] never yields it.
const FREE: u32 = u32::MAX;

/// 32-bit term ids halve the size of the term tables; the rare collision only merges
/// two terms' weights.
pub fn fold_term(t: TermId) -> u32 {
    let folded = (t.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as u32;
    folded.min(FREE - 1)
}

/// An open-addressing table from folded term to value (linear probing, at most half
/// full). Term ids are already well mixed, so a probe is a mask and a compare, cheaper
/// than a general hash map; every term of every article goes through one.
pub struct TermTable<V> {
    keys: Vec<u32>,
    values: Vec<V>,
    len: usize,
}

impl<V: Copy + Default> TermTable<V> {
    /// A table that holds `n` terms without growing.
    pub fn with_capacity(n: usize) -> Self {
        let size = (n.max(8) * 2).next_power_of_two();
        TermTable {
            keys: vec![FREE; size],
            values: vec![V::default(); size],
            len: 0,
        }
    }

    /// How many terms the table holds.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The slot holding `term`, or the free slot where it would go. Never full (see
    /// `entry`), so a free slot ends every probe.
    #[inline]
    fn probe(&self, term: u32) -> usize {
        let mask = self.keys.len().saturating_sub(1);
        let mut slot = term as usize & mask;
        while let Some(&k) = self.keys.get(slot) {
            // One test for both exits (`|`, not `||`): which one it is, is not predictable.
            if (k == term) | (k == FREE) {
                break;
            }
            slot = (slot + 1) & mask;
        }
        slot
    }

    /// The value of `term`, if the table has it.
    #[inline]
    pub fn get(&self, term: u32) -> Option<V> {
        let slot = self.probe(term);
        if self.keys.get(slot) == Some(&term) {
            self.values.get(slot).copied()
        } else {
            None
        }
    }

    /// The value of `term`, inserted as `V::default()` on first sight. Inlined: called
    /// for every term of every article, and a call cost as much as the probe.
    #[inline]
    pub fn entry(&mut self, term: u32) -> Option<&mut V> {
        if (self.len + 1) * 2 > self.keys.len() {
            self.grow();
        }
        let slot = self.probe(term);
        let key = self.keys.get_mut(slot)?;
        if *key == FREE {
            *key = term;
            self.len += 1;
        }
        self.values.get_mut(slot)
    }

    /// The value of `term`, set to `fresh` if `term` is new; and whether it was. Written
    /// without a branch on the answer, for callers that also keep it branch-free.
    #[inline]
    pub fn place(&mut self, term: u32, fresh: V) -> Option<(V, bool)>
    where
        V: PartialEq,
    {
        if (self.len + 1) * 2 > self.keys.len() {
            self.grow();
        }
        let slot = self.probe(term);
        let (key, value) = (self.keys.get_mut(slot)?, self.values.get_mut(slot)?);
        let is_new = *key == FREE;
        *key = term;
        *value = if is_new { fresh } else { *value };
        self.len += usize::from(is_new);
        Some((*value, is_new))
    }

    fn grow(&mut self) {
        let mut bigger = TermTable::with_capacity(self.keys.len());
        for (term, value) in self.iter() {
            if let Some(v) = bigger.entry(term) {
                *v = value;
            }
        }
        *self = bigger;
    }

    /// (term, value) pairs, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, V)> + '_ {
        self.keys
            .iter()
            .zip(&self.values)
            .filter(|&(&k, _)| k != FREE)
            .map(|(&k, &v)| (k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(bag: &TermBag) -> Vec<(u32, u8)> {
        let mut pairs: Vec<(u32, u8)> = bag.iter().collect();
        pairs.sort_unstable();
        pairs
    }

    fn term(pair: &str) -> u32 {
        let bag = TermBag::of("", pair);
        assert_eq!(bag.len(), 1, "{pair}");
        bag.iter().map(|(t, _)| t).sum()
    }

    #[test]
    fn counts_each_distinct_term_with_the_title_boosted() {
        // 科技 twice in the body and once in the title; 创新 once in the body.
        let bag = TermBag::of("科技", "科技，科技创新");
        let mut expected = vec![(term("科技"), TITLE_BOOST + 2), (term("技创"), 1), (term("创新"), 1)];
        expected.sort_unstable();
        assert_eq!(sorted(&bag), expected);
        // Traditional characters count as their simplified forms.
        assert_eq!(sorted(&TermBag::of("", "創新")), vec![(term("创新"), 1)]);
        assert!(TermBag::of("", "").is_empty());
        assert!(TermBag::of("2024", "。").is_empty());
    }

    #[test]
    fn reads_only_the_first_characters_and_saturates_counts() {
        // Character SIMILARITY_CHARS is the last one read: 科技 is, 技创 is not.
        let cut = format!("{}技创", "科".repeat(SIMILARITY_CHARS - 1));
        for (title, body, times) in [(cut.as_str(), "", TITLE_BOOST), ("", cut.as_str(), 1)] {
            let bag = TermBag::of(title, body);
            let mut expected = vec![(term("科科"), u8::MAX), (term("科技"), times)];
            expected.sort_unstable();
            assert_eq!(sorted(&bag), expected);
        }
        // Four distinct bigrams (科技 技创 创新 新科), each counted up to the u8 cap.
        let huge = TermBag::of(&"科技创新".repeat(100_000), "");
        assert_eq!(huge.len(), 4);
        assert!(huge.iter().all(|(_, count)| count == u8::MAX));
    }

    #[test]
    fn table_grows_past_its_capacity_and_keeps_every_value() {
        let mut table = TermTable::<u32>::with_capacity(0);
        for t in 0..1000u32 {
            if let Some(v) = table.entry(t.wrapping_mul(2_654_435_761)) {
                *v = t;
            }
        }
        assert_eq!(table.len(), 1000);
        assert!((0..1000u32).all(|t| table.get(t.wrapping_mul(2_654_435_761)) == Some(t)));
        assert_eq!(table.get(7), None);
    }
}
