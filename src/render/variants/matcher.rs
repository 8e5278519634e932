//! The simplified → traditional phrase table (OpenCC `s2t` as zhconv ships it) as a trie
//! read leftmost-longest, the way zhconv's own converter reads it, only cheaper for
//! gazette's text.
//!
//! Why not zhconv's converter: its Aho–Corasick automaton costs about 35 ns for every
//! character of text, whether or not anything there converts, and the twin's text is
//! a third of a gigabyte at 10,000 articles: it alone cost more CPU than rendering the
//! pages. Here a character that starts no entry costs one table lookup, and one that
//! does walks the trie only as far as the text still matches an entry (one or two steps
//! for nearly every character). Same table, same rule (at each position the longest
//! entry that starts there; else the character is left as it is and the next one is
//! tried), so the same output: `tests` compares the two on every entry of the table.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use zhconv::{tables::ZH_HANT_TABLE, Variant, ZhConverterBuilder};

/// Characters below this have their trie root in a plain array (the BMP: every
/// character of the table but a few in the supplementary planes).
const DENSE: usize = 0x1_0000;

/// No node / no entry ends here.
const NONE: u32 = u32::MAX;

pub struct Table {
    /// The root's child for each BMP character, or [`NONE`].
    dense: Vec<u32>,
    /// The root's children for the other characters.
    sparse: FxHashMap<char, u32>,
    /// Every other edge: (node, next character) → node.
    edges: FxHashMap<(u32, char), u32>,
    /// For each node, the index in `targets` of the entry that ends there, or [`NONE`].
    ends: Vec<u32>,
    targets: Vec<Box<str>>,
}

/// The table, built on first use (a few milliseconds; once per process).
pub fn s2t() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mapping = ZhConverterBuilder::new().target(Variant::ZhHant).table(ZH_HANT_TABLE).build_mapping();
        Table::new(mapping)
    })
}

impl Table {
    fn new(mapping: impl IntoIterator<Item = (String, String)>) -> Table {
        let mut t = Table { dense: vec![NONE; DENSE], sparse: FxHashMap::default(), edges: FxHashMap::default(), ends: Vec::new(), targets: Vec::new() };
        for (from, to) in mapping {
            let mut chars = from.chars();
            let Some(first) = chars.next() else { continue };
            let mut node = match t.root(first) {
                NONE => {
                    let n = t.new_node();
                    t.set_root(first, n);
                    n
                }
                n => n,
            };
            for c in chars {
                node = match t.edges.get(&(node, c)) {
                    Some(&n) => n,
                    None => {
                        let n = t.new_node();
                        t.edges.insert((node, c), n);
                        n
                    }
                };
            }
            t.ends[node as usize] = t.targets.len() as u32;
            t.targets.push(to.into_boxed_str());
        }
        t
    }

    fn new_node(&mut self) -> u32 {
        self.ends.push(NONE);
        (self.ends.len() - 1) as u32
    }

    fn set_root(&mut self, c: char, node: u32) {
        match self.dense.get_mut(c as usize) {
            Some(slot) => *slot = node,
            None => {
                self.sparse.insert(c, node);
            }
        }
    }

    #[inline]
    fn root(&self, c: char) -> u32 {
        match self.dense.get(c as usize) {
            Some(&n) => n,
            None => self.sparse.get(&c).copied().unwrap_or(NONE),
        }
    }

    /// Calls `each(start, end, target)` for every entry found in `text`, leftmost-longest
    /// and without overlap, in order (as zhconv's `search`).
    #[inline]
    pub fn search(&self, text: &str, mut each: impl FnMut(usize, usize, &str)) {
        let mut chars = text.char_indices();
        while let Some((start, c)) = chars.next() {
            let mut node = self.root(c);
            if node == NONE {
                continue;
            }
            let mut found = (self.ends[node as usize] != NONE).then(|| (start + c.len_utf8(), self.ends[node as usize]));
            // Walk on as far as an entry still matches; remember the longest that ended.
            let mut ahead = chars.clone();
            while let Some((at, d)) = ahead.next() {
                match self.edges.get(&(node, d)) {
                    Some(&n) => {
                        node = n;
                        if self.ends[n as usize] != NONE {
                            found = Some((at + d.len_utf8(), self.ends[n as usize]));
                        }
                    }
                    None => break,
                }
            }
            if let Some((end, target)) = found {
                each(start, end, &self.targets[target as usize]);
                // Continue after the match.
                while chars.offset() < end {
                    chars.next();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhconv::get_builtin_converter;

    fn both(text: &str) -> (Vec<(usize, usize, String)>, Vec<(usize, usize, String)>) {
        let mut ours = Vec::new();
        s2t().search(text, |s, e, t| ours.push((s, e, t.to_string())));
        let theirs = get_builtin_converter(Variant::ZhHant).search(text).map(|(s, e, t)| (s, e, t.to_string())).collect();
        (ours, theirs)
    }

    #[test]
    fn finds_what_zhconv_finds_on_every_entry_and_between_them() {
        let mapping = ZhConverterBuilder::new().target(Variant::ZhHant).table(ZH_HANT_TABLE).build_mapping();
        let mut keys: Vec<&String> = mapping.keys().collect();
        keys.sort();
        assert!(keys.len() > 40_000, "{} entries", keys.len());
        // Every entry alone, all of them run together (so entries overlap and compete),
        // and with text between them.
        let joined: String = keys.iter().map(|k| k.as_str()).collect();
        let spaced: String = keys.iter().map(|k| format!("{k}的a发展，")).collect();
        let reversed: String = keys.iter().rev().map(|k| k.as_str()).collect();
        for text in [joined.as_str(), spaced.as_str(), reversed.as_str(), "软件发展，头发与干部；广安市3万亿元 ascii 𠮷"] {
            let (ours, theirs) = both(text);
            assert_eq!(ours.len(), theirs.len());
            for (o, t) in ours.iter().zip(&theirs) {
                assert_eq!(o, t, "near {}", &text[o.0.min(t.0)..]);
            }
        }
        for k in keys {
            let (ours, theirs) = both(k);
            assert_eq!(ours, theirs, "{k}");
        }
    }
}
