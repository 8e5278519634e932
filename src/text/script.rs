//! Which script a Chinese text is written in: simplified or traditional. The default
//! theme marks traditional-script articles `lang="zh-Hant"`, so that its traditional font
//! rules apply to them.
//!
//! The rule (docs/templates.md, `page.lang`): count the characters that only one of the
//! two scripts writes, by the traditional → simplified table of [`crate::text::fold`]. A
//! character that folds to another one (`發` → `发`) is traditional; a character that some
//! traditional one folds to and that folds to nothing itself (`发`) is simplified. The text
//! is traditional when at least [`MIN_MARKED`] characters are marked either way and more
//! than [`TRADITIONAL_SHARE`] of them are traditional. Characters both scripts write alike
//! (`科`, `技`) say nothing and are not counted.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::text::fold::t2s_pairs;

/// Fewer marked characters than this decide nothing: a title of two words may hold a
/// single traditional name in a simplified article.
pub const MIN_MARKED: usize = 4;
/// The share of marked characters that must be traditional.
pub const TRADITIONAL_SHARE: f64 = 0.6;

fn simplified_forms() -> &'static HashSet<char> {
    static SET: OnceLock<HashSet<char>> = OnceLock::new();
    SET.get_or_init(|| {
        let pairs = t2s_pairs();
        let traditional: HashSet<char> = pairs.iter().map(|&(t, _)| t).collect();
        pairs.iter().map(|&(_, s)| s).filter(|s| !traditional.contains(s)).collect()
    })
}

fn is_traditional_form(c: char) -> bool {
    t2s_pairs().binary_search_by(|&(t, _)| t.cmp(&c)).is_ok()
}

/// True when `texts`, read together, are written in traditional characters.
pub fn is_traditional<'a>(texts: impl IntoIterator<Item = &'a str>) -> bool {
    let simplified = simplified_forms();
    let (mut trad, mut simp) = (0usize, 0usize);
    for c in texts.into_iter().flat_map(str::chars).filter(|c| !c.is_ascii()) {
        if is_traditional_form(c) {
            trad += 1;
        } else if simplified.contains(&c) {
            simp += 1;
        }
    }
    let marked = trad + simp;
    marked >= MIN_MARKED && trad as f64 > TRADITIONAL_SHARE * marked as f64
}

#[cfg(test)]
mod tests {
    use super::is_traditional;

    #[test]
    fn traditional_text_is_told_from_simplified() {
        assert!(is_traditional(["北碚區與綿陽市簽署科技合作協議", "雙方將共建成渝地區雙城經濟圈協同創新平台。"]));
        assert!(!is_traditional(["成渝地区双城经济圈建设推进会召开", "会议强调，要以科技创新引领双城经济圈建设。"]));
        // A simplified article quoting one traditional name stays simplified.
        assert!(!is_traditional(["重庆与臺灣企业合作发展新能源汽车产业"]));
        // Too few marked characters to tell.
        assert!(!is_traditional(["科技"]));
        assert!(!is_traditional(["國"]));
    }
}
