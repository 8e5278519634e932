//! Search folding (SPEC section 9): one character at a time, NFKC, then lower case, then
//! traditional → simplified, so that `雙城` finds `双城`, `ＡＩ` finds `ai` and `技创` finds
//! `科技创新`. The search index folds article text with it and the browser folds queries
//! with the same rules (`themes/default/static/js/search.js`), so both must stay in step:
//! the table is written into the index for the browser, and the rules are short.
//!
//! Per character, not per string: a character's folding never depends on its neighbours,
//! so a position in the folded text is found again by folding any piece of it.

use std::sync::OnceLock;

use icu_normalizer::ComposingNormalizerBorrowed;

/// Traditional → simplified pairs, one pair of characters per line: OpenCC's `ZhHans`
/// conversion (through zhconv) of every CJK ideograph it changes to one other character.
/// Regenerated and checked by the test `table_is_what_opencc_gives`.
const T2S: &str = include_str!("data/t2s.txt");

/// The table as sorted (traditional, simplified) pairs.
pub fn t2s_pairs() -> &'static [(char, char)] {
    static PAIRS: OnceLock<Vec<(char, char)>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        let mut pairs: Vec<(char, char)> = T2S
            .lines()
            .filter_map(|l| {
                let mut cs = l.chars();
                Some((cs.next()?, cs.next()?))
            })
            .collect();
        pairs.sort_unstable();
        pairs
    })
}

/// Characters a reader does not see, dropped from both text and queries (a zero-width
/// space pasted into a title must not hide a word).
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Separators: no search term crosses one. The `White_Space` property, as Rust has it.
pub fn is_separator(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

fn simplified(c: char) -> char {
    let pairs = t2s_pairs();
    match pairs.binary_search_by(|&(t, _)| t.cmp(&c)) {
        Ok(i) => pairs[i].1,
        Err(_) => c,
    }
}

/// Calls `out` with the folded form of `c`: none (invisible), one, or a few characters
/// (NFKC expands some, such as `㈱` → `(株)`).
#[inline]
pub fn fold_char(c: char, out: &mut impl FnMut(char)) {
    if let Some(&f) = bmp_table().get(c as usize) {
        if f != SLOW {
            return out(f);
        }
    }
    fold_char_slow(c, out)
}

/// Marks a character of the table whose folding is not one character.
const SLOW: char = '\u{FFFF}';

/// Every character of the Basic Multilingual Plane folded, where that gives one character:
/// folding text is then a table lookup per character (the search index folds every
/// character of every article), not a normalisation.
fn bmp_table() -> &'static [char] {
    static TABLE: OnceLock<Vec<char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0..0x1_0000u32)
            .map(|cp| {
                let Some(c) = char::from_u32(cp) else { return SLOW };
                let mut folded = Vec::new();
                fold_char_slow(c, &mut |f| folded.push(f));
                if folded.len() == 1 { folded[0] } else { SLOW }
            })
            .collect()
    })
}

fn fold_char_slow(c: char, out: &mut impl FnMut(char)) {
    if c.is_ascii() {
        return out(c.to_ascii_lowercase());
    }
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        // CJK Unified Ideographs: NFKC leaves them, lower case does not apply
        return out(simplified(c));
    }
    if is_invisible(c) {
        return;
    }
    let mut buf = [0u8; 4];
    let nfkc = ComposingNormalizerBorrowed::new_nfkc().normalize(c.encode_utf8(&mut buf));
    for n in nfkc.chars() {
        for l in n.to_lowercase() {
            out(simplified(l));
        }
    }
}

/// `text` folded.
pub fn fold(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut |f| s.push(f));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_fullwidth_and_upper_case_fold_to_one_form() {
        assert_eq!(fold("雙城經濟圈"), "双城经济圈");
        assert_eq!(fold("ＡＩ芯片"), "ai芯片");
        assert_eq!(fold("Chongqing 軟件"), "chongqing 软件");
        assert_eq!(fold("科技\u{200B}創新"), "科技创新");
        assert_eq!(fold("㈱"), "(株)");
        assert_eq!(fold("臺灣"), "台湾");
    }

    #[test]
    fn the_table_folds_as_the_rules_do() {
        for c in ['A', 'Ａ', '雙', '，', '\u{3000}', 'İ', '㈱', '\u{200B}', '科', 'ß'] {
            let (mut fast, mut slow) = (String::new(), String::new());
            fold_char(c, &mut |f| fast.push(f));
            fold_char_slow(c, &mut |f| slow.push(f));
            assert_eq!(fast, slow, "{c:?}");
        }
    }

    #[test]
    fn folding_twice_changes_nothing() {
        for &(t, s) in t2s_pairs() {
            assert_eq!(fold(&t.to_string()), s.to_string(), "{t}");
            assert_eq!(fold(&s.to_string()), s.to_string(), "{s} is itself folded");
        }
    }

    /// The committed table is OpenCC's (zhconv's) character mapping; `GAZETTE_BLESS=1`
    /// rewrites it after a zhconv update.
    #[test]
    fn table_is_what_opencc_gives() {
        let mut lines = Vec::new();
        let ranges = ['\u{3400}'..='\u{4DBF}', '\u{4E00}'..='\u{9FFF}', '\u{F900}'..='\u{FAFF}', '\u{20000}'..='\u{2A6DF}'];
        for range in ranges {
            for c in range {
                let s = zhconv::zhconv(&c.to_string(), zhconv::Variant::ZhHans);
                let mut cs = s.chars();
                if let (Some(one), None) = (cs.next(), cs.next()) {
                    if one != c {
                        lines.push(format!("{c}{one}"));
                    }
                }
            }
        }
        // A chain (A → B, B → C) would make folding depend on how often it is applied.
        let keys: std::collections::HashSet<char> = lines.iter().map(|l| l.chars().next().unwrap()).collect();
        let lines: Vec<String> = lines.into_iter().filter(|l| !keys.contains(&l.chars().nth(1).unwrap())).collect();
        let expected = lines.join("\n") + "\n";
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/text/data/t2s.txt");
        if std::env::var_os("GAZETTE_BLESS").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        assert!(T2S == expected, "src/text/data/t2s.txt differs from zhconv's table; rerun with GAZETTE_BLESS=1");
    }
}
