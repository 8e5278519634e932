//! Turns the bytes of a saved page into text as a browser does (BOM, then valid UTF-8,
//! then the declared charset, then a guess; bad bytes become U+FFFD and are counted for
//! review, never a refusal), and tells HTML from page text.

use encoding_rs::{Encoding, UTF_8};

/// A decoded input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding used, when it was not UTF-8 (for the report).
    pub encoding: Option<&'static str>,
    /// True when the encoding was guessed rather than declared.
    pub guessed: bool,
    /// Byte sequences that were not valid in the encoding, shown as U+FFFD.
    pub replaced: usize,
    /// The charset the page declared when the bytes were not in it (valid UTF-8
    /// declared as GBK is common: a site converted its files but not its templates).
    pub wrong_declaration: Option<&'static str>,
}

/// Decodes bytes the way a browser settles a page's encoding: a BOM first; then bytes
/// that are valid UTF-8 are UTF-8 whatever the page declares; then the declared
/// charset; then a guess from the bytes. Never fails.
pub fn decode(bytes: &[u8]) -> Decoded {
    decode_with(bytes, None)
}

/// [`decode`] for a fetched page: the charset of the HTTP `Content-Type` header is the
/// declared one (it wins over the page's `<meta>`, as in a browser).
pub fn decode_with(bytes: &[u8], header_charset: Option<&'static Encoding>) -> Decoded {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_length..).unwrap_or(&[]);
        return finish(encoding, body, false, None);
    }
    let declared = header_charset.or_else(|| declared_charset(bytes));
    if let Ok(text) = std::str::from_utf8(bytes) {
        // ASCII-only text reads the same in every charset a page may declare.
        let wrong = declared.filter(|e| *e != UTF_8 && !bytes.is_ascii()).map(|e| e.name());
        return Decoded { text: text.to_string(), encoding: None, guessed: false, replaced: 0, wrong_declaration: wrong };
    }
    if let Some(encoding) = declared.filter(|e| *e != UTF_8) {
        return finish(encoding, bytes, false, None);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    finish(encoding, bytes, true, declared.map(|e| e.name()))
}

fn finish(encoding: &'static Encoding, bytes: &[u8], guessed: bool, wrong_declaration: Option<&'static str>) -> Decoded {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let before = bytes.windows(3).filter(|w| *w == [0xEF, 0xBF, 0xBD]).count();
    let replaced = text.matches('\u{FFFD}').count().saturating_sub(if encoding == UTF_8 { before } else { 0 });
    let name = (encoding != UTF_8).then(|| encoding.name());
    Decoded { text: text.into_owned(), encoding: name, guessed, replaced, wrong_declaration }
}

/// `<meta charset="gb2312">` or `content="text/html; charset=GBK"` in the first 4 KiB
/// (browsers look at 1 KiB; saved pages often carry a longer head before it).
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head: String = bytes.iter().take(4096).map(|&b| if b.is_ascii() { b.to_ascii_lowercase() as char } else { ' ' }).collect();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head.get(at..)?.trim_start_matches(['"', '\'', ' ']).chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    Encoding::for_label(label.as_bytes())
}

/// Tags that only appear in markup: a text holding two of them (or starting with a
/// tag) is HTML, wrapped page or body-only fragment alike. Page text quoting a stray
/// `</p>` or `<5亿元` is not.
const MARKUP_TAGS: &[&str] = &[
    "<html", "<!doctype", "<head", "<body", "<meta", "<title", "<div", "<p>", "<p ", "<br", "<span", "<table", "<td", "<li",
    "<h1", "<h2", "<h3", "<a ", "<img", "<script", "<section", "<article", "<strong", "<font", "</p>", "</div>", "</a>",
];

/// Whether the text is an HTML document (or fragment) rather than page text.
pub fn looks_like_html(text: &str) -> bool {
    let lower = text.trim_start().to_ascii_lowercase();
    let starts_with_tag = lower.starts_with('<') && lower.chars().nth(1).is_some_and(|c| c.is_ascii_alphabetic() || c == '!');
    let kinds = MARKUP_TAGS.iter().filter(|tag| lower.contains(*tag)).count();
    starts_with_tag || kinds >= 2
}

/// The wide and no-break spaces of `&nbsp;`, `&ensp;`, `&emsp;` and ideographic
/// indentation as plain spaces: the importer's line rules read indentation and gaps
/// from ordinary spaces.
pub fn plain_spaces(text: &str) -> String {
    text.replace(['\u{A0}', '\u{2002}', '\u{2003}', '\u{3000}'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<!DOCTYPE html><html><head><meta charset=\"gb2312\"><title>鎮江市行動方案解讀</title></head><body><p>鎮江新一輪創新發展藍圖已繪就。</p></body></html>";

    #[test]
    fn gbk_pages_are_decoded_by_their_declared_charset() {
        let (bytes, _, _) = encoding_rs::GBK.encode(PAGE);
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, Some("GBK"));
        assert!(!decoded.guessed);
        assert_eq!(decoded.replaced, 0);
        assert!(decoded.text.contains("鎮江新一輪創新發展藍圖已繪就"));
    }

    #[test]
    fn valid_utf8_wins_over_a_wrong_gbk_declaration() {
        let decoded = decode(PAGE.as_bytes());
        assert_eq!(decoded.encoding, None);
        assert_eq!(decoded.wrong_declaration, Some("GBK"));
        assert!(decoded.text.contains("鎮江新一輪創新發展藍圖已繪就"));
    }

    #[test]
    fn gbk_with_a_bad_byte_is_decoded_with_one_replacement_character() {
        let (bytes, _, _) = encoding_rs::GBK.encode(PAGE);
        let mut bytes = bytes.into_owned();
        // 0x81 followed by 0x7F is not a GBK character.
        let middle = bytes.len() - 30;
        bytes.splice(middle..middle, [0x81, 0x7F]);
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, Some("GBK"));
        assert_eq!(decoded.replaced, 1, "{}", decoded.text);
    }

    #[test]
    fn undeclared_gbk_text_is_guessed_and_reported() {
        let text = "四川省科技厅与广安市人民政府在广安召开第三次厅市工作会商会议，会商主题是实施创新驱动发展。";
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        let decoded = decode(&bytes);
        assert_eq!(decoded.text, text);
        assert!(decoded.guessed);
        assert!(decoded.encoding.is_some());
    }

    #[test]
    fn utf8_with_bom_is_plain_text() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("北碚：以科技为引领".as_bytes());
        let decoded = decode(&bytes);
        assert_eq!(decoded.text, "北碚：以科技为引领");
        assert_eq!(decoded.encoding, None);
    }

    #[test]
    fn wrapped_pages_and_fragments_are_html_and_page_text_is_not() {
        assert!(looks_like_html(PAGE));
        assert!(looks_like_html("<div id=\"header\"><h1 class=\"title\">标题</h1></div>"));
        assert!(looks_like_html("  \n<section>正文</section>"));
        assert!(looks_like_html("标题\n<p>第一段。</p><p>第二段。</p>"));
        assert!(!looks_like_html("企业规模<5亿元，增长>3%。"));
        assert!(!looks_like_html("推動兩地科技成果雙向轉移?/p>\n下一段"));
    }
}
