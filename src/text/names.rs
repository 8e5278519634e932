//! Names of tags, categories and regions: text that looks the same is the same name.
//!
//! Every name passes [`normalize`] where it enters gazette (front matter, site.toml's
//! `[categories]`); [`key`] then says which names are one tag, category or region, and
//! [`Spellings`] which of their spellings a page shows. The rules, for editors, are in
//! docs/names.md.

use std::borrow::Cow;

use icu_normalizer::ComposingNormalizerBorrowed;

/// A name as gazette keeps it:
/// - invisible characters removed (zero-width spaces and joiners, soft hyphens, byte-order
///   marks, direction marks, variation selectors: [`is_invisible`]) and control characters;
/// - every kind of space (full-width U+3000, no-break U+00A0, tab, newline …) one ASCII
///   space, runs of them one, none at either end, and none between two Chinese characters
///   (`科技 创新` is `科技创新`; `New Energy` keeps its space);
/// - full-width Latin letters and digits in ASCII (`５Ｇ` is `5G`);
/// - Unicode NFC (`Québec` typed with a combining accent is the precomposed `Québec`).
///
/// The result may be empty (a name of spaces and invisible characters only).
#[must_use]
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space_pending = false;
    for c in name.chars() {
        if c.is_whitespace() {
            space_pending = true;
            continue;
        }
        if is_invisible(c) || c.is_control() {
            continue;
        }
        let c = full_width_to_ascii(c);
        if std::mem::take(&mut space_pending) && out.chars().next_back().is_some_and(|before| !(is_chinese(before) && is_chinese(c))) {
            out.push(' ');
        }
        out.push(c);
    }
    // Last, so that a combining accent after a removed zero-width space still composes.
    match ComposingNormalizerBorrowed::new_nfc().normalize(&out) {
        Cow::Borrowed(_) => out,
        Cow::Owned(composed) => composed,
    }
}

/// What makes two [normalised](normalize) names one: they are equal after letter case is
/// folded (`AI`, `ai`) and spaces next to a Chinese character are dropped (`5G网络`,
/// `5G 网络`). Output paths then can never differ only in case.
#[must_use]
pub fn key(name: &str) -> String {
    let lower = name.to_lowercase();
    if !lower.contains(' ') {
        return lower;
    }
    let chars: Vec<char> = lower.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            let next_to_chinese = || chars.get(i.wrapping_sub(1)).into_iter().chain(chars.get(i + 1)).any(|&n| is_chinese(n));
            c != ' ' || !next_to_chinese()
        })
        .map(|(_, &c)| c)
        .collect()
}

/// Characters that show nothing: Unicode's default-ignorable code points (zero-width space
/// U+200B, joiners U+200C/U+200D, word joiner U+2060, BOM U+FEFF, soft hyphen U+00AD,
/// direction marks and embeddings, variation selectors, Hangul fillers, tags). Removed from
/// names, and shown as `<U+200B>` in messages.
#[must_use]
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// A character written without spaces around it in Chinese (and Japanese) text: Han
/// characters, kana, bopomofo, and CJK and full-width punctuation. Not Hangul: Korean
/// separates words with spaces.
fn is_chinese(c: char) -> bool {
    matches!(
        c,
        '\u{2E80}'..='\u{2FDF}'
            | '\u{3000}'..='\u{312F}'
            | '\u{3190}'..='\u{31FF}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FE10}'..='\u{FE1F}'
            | '\u{FE30}'..='\u{FE4F}'
            | '\u{FF01}'..='\u{FF9F}'
            | '\u{20000}'..='\u{3134F}'
    )
}

/// `Ａ` → `A`, `５` → `5`; every other character as it is.
fn full_width_to_ascii(c: char) -> char {
    match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// The spellings one name (one [`key`]) is written in across the site, counted, to choose
/// the one its page shows.
#[derive(Debug, Clone, Default)]
pub struct Spellings<'a> {
    /// (spelling, uses, age of the oldest article using it)
    seen: Vec<(&'a str, usize, usize)>,
}

impl<'a> Spellings<'a> {
    /// Counts one article's use of `spelling`; `age` is larger for older articles (the
    /// article's index in the newest-first site order).
    pub fn add(&mut self, spelling: &'a str, age: usize) {
        match self.seen.iter_mut().find(|(s, _, _)| *s == spelling) {
            Some((_, uses, oldest)) => {
                *uses += 1;
                *oldest = (*oldest).max(age);
            }
            None => self.seen.push((spelling, 1, age)),
        }
    }

    /// The spelling most articles use; on a tie the one of the oldest article, so that a
    /// new article does not rename a page; then the smallest text, so the choice is total.
    #[must_use]
    pub fn shown(&self) -> &'a str {
        self.seen
            .iter()
            .max_by(|a, b| (a.1, a.2).cmp(&(b.1, b.2)).then_with(|| b.0.cmp(a.0)))
            .map_or("", |(s, _, _)| s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alike_spellings_become_one() {
        for spelling in ["科技创新", "科技　创新", "科技\u{200B}创新", " 科技 创新\u{FEFF} ", "科技\u{00A0}\u{00AD}创新", "科技\t创新"] {
            assert_eq!(normalize(spelling), "科技创新", "{spelling:?}");
        }
        assert_eq!(normalize("科技創新"), "科技創新", "traditional stays traditional");
        assert_eq!(normalize("Que\u{0301}bec"), "Québec");
        assert_eq!(normalize("Que\u{200B}\u{0301}bec"), "Québec");
        assert_eq!(normalize("５Ｇ网络"), "5G网络");
    }

    #[test]
    fn spaces_between_latin_words_stay_single() {
        assert_eq!(normalize("  New\u{3000}\u{3000}Energy "), "New Energy");
        assert_eq!(normalize("5G 网络"), "5G 网络");
        assert_eq!(normalize("과학 기술"), "과학 기술", "Korean words keep their spaces");
        assert_eq!(normalize("\u{200B} \u{3000}"), "");
    }

    #[test]
    fn keys_fold_case_and_spaces_next_to_chinese() {
        assert_eq!(key("AI"), key("ai"));
        assert_eq!(key(&normalize("ＡＩ")), "ai");
        assert_eq!(key("5G 网络"), key("5G网络"));
        assert_eq!(key("AI 赋能 产业"), "ai赋能产业");
        assert_ne!(key("New Energy"), key("NewEnergy"));
        assert_eq!(key("科技创新"), "科技创新");
    }

    #[test]
    fn the_most_used_spelling_is_shown_ties_going_to_the_oldest() {
        let mut s = Spellings::default();
        s.add("ai", 0);
        s.add("AI", 5);
        assert_eq!(s.shown(), "AI", "tie: the older article's spelling");
        s.add("ai", 1);
        assert_eq!(s.shown(), "ai", "most used");
        assert_eq!(Spellings::default().shown(), "");
    }
}
