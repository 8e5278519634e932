//! Markdown as a Chinese editor writes it, on real sites: emphasis by the CJK-friendly
//! emphasis specification (full-width punctuation, symbols, variation selectors, `_`,
//! strikethrough), Latin text around it exactly as CommonMark renders it, and link
//! destinations with escaped punctuation.

mod common;

use common::{TestSite, SITE_TOML};
use gazette::load::markdown::{render_markdown, MarkdownOptions};
use proptest::prelude::*;
use pulldown_cmark::{html, Options, Parser};

/// The article body of a one-article site built from `body`.
fn article_html(body: &str) -> String {
    let site = TestSite::new(SITE_TOML);
    site.article("notice", "关于科技成果转化的通知", "2024-03-15", "四川省", "政策解读", "slug: notice\n", body);
    site.build_ok();
    site.read("2024/03/notice/index.html")
}

#[test]
fn bold_next_to_full_width_punctuation_on_a_page() {
    let page = article_html(concat!(
        "**通知：**各市（州）科技局按时报送材料。\n\n",
        "请依据**《四川省科技创新促进条例》**制定实施细则。\n\n",
        "申报截止**（以邮戳为准）**为三月底。\n\n",
        "**第一条、**总则\n",
    ));
    for kept in [
        "<p><strong>通知：</strong>各市（州）科技局按时报送材料。</p>",
        "请依据<strong>《四川省科技创新促进条例》</strong>制定实施细则。",
        "申报截止<strong>（以邮戳为准）</strong>为三月底。",
        "<strong>第一条、</strong>总则",
    ] {
        assert!(page.contains(kept), "{kept} missing in {page}");
    }
    assert!(!page.contains("**"), "{page}");
}

#[test]
fn symbols_count_as_punctuation_next_to_chinese() {
    // ¥ and ⻲ are symbols (category S), ㊗ a CJK symbol: CommonMark 0.31 and the
    // specification count all of them as punctuation.
    let page = article_html("单项资助金额**¥500万**元。\n\n本期**㊗**获奖名单\n\n**⻲山**科技园挂牌。\n");
    for kept in [
        "单项资助金额<strong>¥500万</strong>元。",
        "本期<strong>㊗</strong>获奖名单",
        "<strong>⻲山</strong>科技园挂牌。",
    ] {
        assert!(page.contains(kept), "{kept} missing in {page}");
    }
}

#[test]
fn variation_selectors_and_new_ideograph_planes_are_cjk() {
    // 葛 with an ideographic variation selector, and a character of CJK Extension H (U+31350).
    let page = article_html("葛\u{E0100}**(异体字)**已收录。\n\n\u{31350}**(扩展H区)**字形\n");
    assert!(page.contains("葛\u{E0100}<strong>(异体字)</strong>已收录。"), "{page}");
    assert!(page.contains("\u{31350}<strong>(扩展H区)</strong>字形"), "{page}");
}

#[test]
fn underscore_emphasis_next_to_chinese_punctuation() {
    let page = article_html("__特别提示__：逾期不予受理。\n\n提示：__材料一式两份__\n\n漢_abc_\n");
    assert!(page.contains("<strong>特别提示</strong>：逾期不予受理。"), "{page}");
    assert!(page.contains("提示：<strong>材料一式两份</strong>"), "{page}");
    // `_` still cannot open inside a word, next to Chinese as elsewhere.
    assert!(page.contains("漢_abc_"), "{page}");
}

#[test]
fn strikethrough_next_to_chinese_punctuation() {
    let page = article_html("~~旧标准~~：新标准自四月起施行。\n\n“~~试行~~”二字删去。\n");
    assert!(page.contains("<del>旧标准</del>：新标准自四月起施行。"), "{page}");
    assert!(page.contains("“<del>试行</del>”二字删去。"), "{page}");
}

#[test]
fn latin_text_beside_chinese_bold_is_left_as_commonmark_renders_it() {
    let page = article_html("**通知：**正文 a**µ**b\n\n**通知：**正文~~旧**文**本~~\n");
    // CommonMark makes `a**µ**b` bold (µ is a letter); a Chinese bold elsewhere in the
    // paragraph must not change that.
    assert!(page.contains("<strong>通知：</strong>正文 a<strong>µ</strong>b"), "{page}");
    assert!(page.contains("<strong>通知：</strong>正文<del>旧<strong>文</strong>本</del>"), "{page}");
}

#[test]
fn link_destination_with_escaped_punctuation_keeps_its_link() {
    let page = article_html("详见[附件](foo\\)\\:)与[说明](政策:解读.html)。\n");
    assert!(page.contains("<a href=\"foo):\">附件</a>"), "{page}");
    assert!(page.contains(">说明</a>"), "{page}");
    // A real script scheme is still refused.
    let page = article_html("[点我](javascript:alert(1))\n");
    assert!(!page.contains("javascript:"), "{page}");
}

fn plain_pulldown_cmark(src: &str) -> String {
    // The options of src/load/markdown.rs parser_options().
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(src, options));
    out
}

/// Pieces of a mixed paragraph: delimiters, Latin words, URLs, symbols, Chinese words and
/// punctuation, code spans and links.
const DELIMITERS: &[&str] = &["*", "**", "***", "_", "__", "~", "~~"];
const LATIN: &[&str] = &[
    "a", "foo", "µ", "é", " ", " ", ".", ",", "(", ")", "\"", "'", "-", "2", "+", "=", "!",
    "https://example.org/a_b*c", "www.example.org/~x", "[link](/a)", "`code*`", "\\*", "&amp;",
];
const CHINESE: &[&str] = &["通知", "正文", "：", "，", "。", "《条例》", "（一）", "“重点”", "科技厅"];

/// Builds a paragraph from piece choices, keeping every Chinese piece away from delimiters
/// (an ASCII space or letter goes between them).
fn paragraph(choices: &[(u8, usize)]) -> String {
    let mut out = String::from("x ");
    let mut last_kind = 1u8;
    for &(kind, index) in choices {
        let kind = kind % 3;
        let piece = match kind {
            0 => DELIMITERS[index % DELIMITERS.len()],
            1 => LATIN[index % LATIN.len()],
            _ => CHINESE[index % CHINESE.len()],
        };
        if (kind == 0 && last_kind == 2) || (kind == 2 && last_kind == 0) {
            out.push_str(if index % 2 == 0 { " " } else { "z" });
        }
        out.push_str(piece);
        last_kind = kind;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    /// Without a Chinese character next to any delimiter, the page's Markdown is exactly
    /// what plain pulldown-cmark makes of it, even with Chinese elsewhere in the paragraph.
    #[test]
    fn no_cjk_neighbour_means_plain_commonmark(choices in proptest::collection::vec((0u8..3, 0usize..64), 0..40)) {
        let src = paragraph(&choices);
        let ours = render_markdown(&src, &MarkdownOptions::default()).html;
        prop_assert_eq!(ours, plain_pulldown_cmark(&src), "{:?}", src);
    }

    /// A Chinese bold that needs the CJK rules, earlier in the same paragraph, leaves the
    /// rest exactly as plain pulldown-cmark renders it on its own.
    #[test]
    fn a_chinese_bold_does_not_change_the_rest_of_its_paragraph(choices in proptest::collection::vec((0u8..3, 0usize..64), 0..40)) {
        let rest = paragraph(&choices);
        let src = format!("**通知：**正文 {rest}");
        let ours = render_markdown(&src, &MarkdownOptions::default()).html;
        let expected = plain_pulldown_cmark(&rest).replacen("<p>", "<p><strong>通知：</strong>正文 ", 1);
        prop_assert_eq!(ours, expected, "{:?}", src);
    }
}
