//! The character classes of the CJK-friendly emphasis specification
//! (tats-u/markdown-cjk-friendly, specification.md §2.1 and ranges.md, Unicode 16), and
//! CommonMark 0.31's Unicode punctuation (general categories P and S).

use super::punctuation_table::PUNCTUATION_OR_SYMBOL;

/// CommonMark's "Unicode punctuation character": general category P or S.
pub(super) fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    let cp = u32::from(c);
    let after = PUNCTUATION_OR_SYMBOL.partition_point(|&(first, _)| first <= cp);
    after
        .checked_sub(1)
        .and_then(|i| PUNCTUATION_OR_SYMBOL.get(i))
        .is_some_and(|&(_, last)| cp <= last)
}

/// A "CJK character": East Asian Width W, F or H and not a default-emoji-presentation
/// character, or Hangul script. Unassigned code points of the CJK ideograph planes count
/// (their width is W by Unicode's rule), so CJK Extension H and later are included.
pub(super) fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x11FF
        | 0x20A9
        | 0x2329..=0x232A
        | 0x2630..=0x2637
        | 0x268A..=0x268F
        | 0x2E80..=0x2E99
        | 0x2E9B..=0x2EF3
        | 0x2F00..=0x2FD5
        | 0x2FF0..=0x303E
        | 0x3041..=0x3096
        | 0x3099..=0x30FF
        | 0x3105..=0x312F
        | 0x3131..=0x318E
        | 0x3190..=0x31E5
        | 0x31EF..=0x321E
        | 0x3220..=0x3247
        | 0x3250..=0xA48C
        | 0xA490..=0xA4C6
        | 0xA960..=0xA97C
        | 0xAC00..=0xD7A3
        | 0xD7B0..=0xD7C6
        | 0xD7CB..=0xD7FB
        | 0xF900..=0xFAFF
        | 0xFE10..=0xFE19
        | 0xFE30..=0xFE52
        | 0xFE54..=0xFE66
        | 0xFE68..=0xFE6B
        | 0xFF01..=0xFFBE
        | 0xFFC2..=0xFFC7
        | 0xFFCA..=0xFFCF
        | 0xFFD2..=0xFFD7
        | 0xFFDA..=0xFFDC
        | 0xFFE0..=0xFFE6
        | 0xFFE8..=0xFFEE
        | 0x16FE0..=0x16FE4
        | 0x16FF0..=0x16FF6
        | 0x17000..=0x18CD5
        | 0x18CFF..=0x18D1E
        | 0x18D80..=0x18DF2
        | 0x1AFF0..=0x1AFF3
        | 0x1AFF5..=0x1AFFB
        | 0x1AFFD..=0x1AFFE
        | 0x1B000..=0x1B122
        | 0x1B132
        | 0x1B150..=0x1B152
        | 0x1B155
        | 0x1B164..=0x1B167
        | 0x1B170..=0x1B2FB
        | 0x1D300..=0x1D356
        | 0x1D360..=0x1D376
        | 0x1F200
        | 0x1F202
        | 0x1F210..=0x1F219
        | 0x1F21B..=0x1F22E
        | 0x1F230..=0x1F231
        | 0x1F237
        | 0x1F23B
        | 0x1F240..=0x1F248
        | 0x1F260..=0x1F265
        | 0x20000..=0x3FFFD)
}

/// "Non-emoji general-use variation selector": U+FE00–U+FE0E (U+FE0F asks for emoji).
pub(super) fn is_text_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0E}')
}

/// "Ideographic variation selector": the Variation Selectors Supplement block.
pub(super) fn is_ideographic_variation_selector(c: char) -> bool {
    matches!(c, '\u{E0100}'..='\u{E01EF}')
}

/// A "CJK ambiguous punctuation sequence": a quotation mark of East Asian Width A with the
/// selector that asks for its full-width form (StandardizedVariants.txt).
pub(super) fn is_cjk_ambiguous_punctuation(c: char, selector: char) -> bool {
    matches!(c, '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}') && selector == '\u{FE01}'
}

/// What stands before a delimiter run, as the flanking rules see it.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Before {
    pub whitespace: bool,
    /// A "Unicode punctuation sequence" (punctuation, optionally with a text selector).
    pub punctuation: bool,
    /// A "non-CJK punctuation sequence".
    pub non_cjk_punctuation: bool,
    /// A "CJK sequence" (a CJK character, optionally with a text selector).
    pub cjk: bool,
    pub ideographic_selector: bool,
}

impl Before {
    /// `last` is the character just before the run (`None` at the start of a line) and
    /// `second_last` the one before it.
    pub(super) fn classify(last: Option<char>, second_last: Option<char>) -> Before {
        let Some(last) = last else {
            return Before {
                whitespace: true,
                ..Before::default()
            };
        };
        if is_ideographic_variation_selector(last) {
            return Before {
                ideographic_selector: true,
                ..Before::default()
            };
        }
        // A text selector makes a sequence with the character it follows.
        let (base, selector) = match second_last {
            Some(base) if is_text_variation_selector(last) => (base, Some(last)),
            _ => (last, None),
        };
        let punctuation = is_punctuation(base);
        let cjk = is_cjk(base);
        let ambiguous = selector.is_some_and(|s| is_cjk_ambiguous_punctuation(base, s));
        Before {
            whitespace: selector.is_none() && base.is_whitespace(),
            punctuation,
            non_cjk_punctuation: punctuation && !cjk && !ambiguous,
            cjk,
            ideographic_selector: false,
        }
    }
}

/// What follows a delimiter run, as the flanking rules see it.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct After {
    pub whitespace: bool,
    pub punctuation: bool,
    pub non_cjk_punctuation: bool,
    pub cjk: bool,
}

impl After {
    /// `next` is the character just after the run (`None` at the end of a line).
    pub(super) fn classify(next: Option<char>) -> After {
        let Some(next) = next else {
            return After {
                whitespace: true,
                ..After::default()
            };
        };
        let punctuation = is_punctuation(next);
        let cjk = is_cjk(next);
        After {
            whitespace: next.is_whitespace(),
            punctuation,
            non_cjk_punctuation: punctuation && !cjk,
            cjk,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_includes_symbols() {
        for c in ['：', '。', '“', '《', '¥', '⻲', '㊗', '∇', '«', '·', '—', '…', '*'] {
            assert!(is_punctuation(c), "{c}");
        }
        for c in ['a', '通', '１', 'µ', '\u{FE01}', '\u{E0100}', ' '] {
            assert!(!is_punctuation(c), "{c}");
        }
    }

    #[test]
    fn cjk_characters_by_the_specification() {
        for c in ['通', '：', '〽', '〰', '㊗', '🈂', '🈷', '가', 'ᄏ', '\u{31350}', '\u{323AF}', '﨑'] {
            assert!(is_cjk(c), "{c:?}");
        }
        // Emoji, ambiguous-width quotation marks, Latin.
        for c in ['🎉', '“', '”', 'a', 'µ', '«', '\u{FE00}'] {
            assert!(!is_cjk(c), "{c:?}");
        }
    }
}
