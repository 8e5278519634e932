//! Turns the bytes of a saved page into text: decodes its charset (declared, BOM, or
//! guessed for GBK/Big5 pages) and, for HTML, strips markup while keeping one line per
//! block and reading the `<title>`, `<h1>` and meta tags.

use encoding_rs::{Encoding, UTF_8};

/// What the markup says about the article, beside its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlMeta {
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
}

/// A decoded input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The encoding used, when it was not UTF-8 (for the report).
    pub encoding: Option<&'static str>,
    /// True when the encoding was guessed rather than declared.
    pub guessed: bool,
}

/// Decodes bytes: BOM first, then a charset declared in HTML, then UTF-8, then a guess.
/// Errors when the bytes cannot be decoded without replacement characters.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_length..).unwrap_or(&[]);
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        return finish(text.into_owned(), encoding, false, had_errors);
    }
    if let Some(encoding) = declared_charset(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        return finish(text.into_owned(), encoding, false, had_errors);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded { text: text.to_string(), encoding: None, guessed: false });
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    finish(text.into_owned(), encoding, true, had_errors)
}

fn finish(text: String, encoding: &'static Encoding, guessed: bool, had_errors: bool) -> Result<Decoded, String> {
    if had_errors {
        let how = if guessed { "looks like" } else { "declares" };
        return Err(format!("the file {how} {} but is not valid in it", encoding.name()));
    }
    let name = (encoding != UTF_8).then(|| encoding.name());
    Ok(Decoded { text, encoding: name, guessed })
}

/// `<meta charset="gb2312">` or `content="text/html; charset=GBK"` in the first 2 KiB.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head: String = bytes.iter().take(2048).map(|&b| if b.is_ascii() { b.to_ascii_lowercase() as char } else { ' ' }).collect();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head.get(at..)?.trim_start_matches(['"', '\'']).chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    Encoding::for_label(label.as_bytes())
}

/// Whether the text is an HTML document rather than page text.
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text.chars().take(1024).collect::<String>().to_lowercase();
    head.contains("<html") || head.contains("<!doctype html") || (head.contains("<body") && head.contains("</"))
}

/// Elements whose content is never text.
const SKIPPED_ELEMENTS: &[&str] = &["script", "style", "noscript", "template", "svg", "iframe", "head"];

/// Elements that start a new line.
const BLOCK_ELEMENTS: &[&str] = &[
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article",
    "header", "footer", "nav", "aside", "title", "blockquote", "dd", "dt", "dl", "hr", "form", "center", "main", "figure",
    "figcaption", "pre",
];

/// Strips markup, returning the text (one line per block) and what the tags said.
pub fn html_to_text(html: &str) -> (String, HtmlMeta) {
    let meta = read_meta(html);
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&decode_entities(rest.get(..open).unwrap_or_default()));
        let after = rest.get(open..).unwrap_or_default();
        if !starts_tag(after) {
            // `规模<5亿元` is text, not a tag.
            out.push('<');
            rest = after.get(1..).unwrap_or_default();
            continue;
        }
        let (tag_name, closing, tag_length) = read_tag(after);
        rest = after.get(tag_length..).unwrap_or_default();
        if !closing && SKIPPED_ELEMENTS.contains(&tag_name.as_str()) {
            rest = skip_to_closing(rest, &tag_name);
            continue;
        }
        if BLOCK_ELEMENTS.contains(&tag_name.as_str()) {
            out.push('\n');
        }
    }
    out.push_str(&decode_entities(rest));
    let lines: Vec<&str> = out.lines().map(str::trim).collect();
    (collapse_blank_lines(&lines), meta)
}

fn collapse_blank_lines(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut blank = false;
    for line in lines {
        if line.is_empty() {
            blank = true;
            continue;
        }
        if blank && !out.is_empty() {
            out.push('\n');
        }
        blank = false;
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Whether the `<` at the start of `text` opens a tag, a closing tag or a comment.
fn starts_tag(text: &str) -> bool {
    text.chars().nth(1).is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!')
}

/// Reads the tag at the start of `text` (which begins with `<`): (lower-case name,
/// whether it closes, length in bytes including `>`). Comments count as unnamed tags.
fn read_tag(text: &str) -> (String, bool, usize) {
    if text.starts_with("<!--") {
        let length = text.find("-->").map_or(text.len(), |end| end + 3);
        return (String::new(), false, length);
    }
    let length = text.find('>').map_or(text.len(), |end| end + 1);
    let inner = text.get(1..length.saturating_sub(1)).unwrap_or_default();
    let closing = inner.starts_with('/');
    let name: String = inner.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    (name, closing, length)
}

/// The text after `</name>` (or nothing, when the element never closes).
fn skip_to_closing<'a>(text: &'a str, name: &str) -> &'a str {
    let lower = text.to_ascii_lowercase();
    let closing = format!("</{name}");
    match lower.find(&closing) {
        Some(at) => {
            let after = text.get(at..).unwrap_or_default();
            after.find('>').and_then(|end| after.get(end + 1..)).unwrap_or_default()
        }
        None => "",
    }
}

/// Character references decoded (`crate::text::entities`), with the wide and no-break
/// spaces of `&nbsp;`, `&ensp;` and `&emsp;` as plain spaces: the importer's line rules
/// read indentation and gaps from ordinary spaces.
pub fn decode_entities(text: &str) -> String {
    crate::text::entities::decode(text).replace(['\u{A0}', '\u{2002}', '\u{2003}'], " ")
}

/// `<title>`, the first `<h1>`, and the usual meta tags for date, site, URL and author.
fn read_meta(html: &str) -> HtmlMeta {
    let h1 = element_text(html, "h1");
    let title = h1.or_else(|| element_text(html, "title").map(|t| strip_site_suffix(&t)));
    let date_names = ["article:published_time", "publishdate", "pubdate", "publish_date", "firstpublishedtime", "dc.date", "date"];
    HtmlMeta {
        title,
        date: date_names.iter().find_map(|name| meta_content(html, name)),
        source: ["og:site_name", "contentsource", "sitename", "source"].iter().find_map(|name| meta_content(html, name)),
        url: canonical_url(html).or_else(|| meta_content(html, "og:url")),
        author: meta_content(html, "author"),
    }
}

/// `标题_镇江新闻网` / `标题 - 某某网` → `标题`.
fn strip_site_suffix(title: &str) -> String {
    let cut = ['_', '|', '｜'].iter().filter_map(|s| title.find(*s)).chain(title.find(" - ")).min();
    cut.and_then(|at| title.get(..at)).unwrap_or(title).trim().to_string()
}

fn element_text(html: &str, name: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let open = lower.find(&format!("<{name}"))?;
    let content_start = open + lower.get(open..)?.find('>')? + 1;
    let content_end = content_start + lower.get(content_start..)?.find(&format!("</{name}"))?;
    let (text, _) = html_to_text_inline(html.get(content_start..content_end)?);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// Text of a small fragment, without meta reading (avoids recursion into `read_meta`).
fn html_to_text_inline(fragment: &str) -> (String, ()) {
    let mut out = String::new();
    let mut rest = fragment;
    while let Some(open) = rest.find('<') {
        out.push_str(&decode_entities(rest.get(..open).unwrap_or_default()));
        let after = rest.get(open..).unwrap_or_default();
        let (_, _, length) = read_tag(after);
        rest = after.get(length..).unwrap_or_default();
    }
    out.push_str(&decode_entities(rest));
    (out, ())
}

/// The `content` of `<meta name=… >` or `<meta property=… >` with the given name.
fn meta_content(html: &str, wanted: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower.get(from..)?.find("<meta") {
        let start = from + at;
        let end = start + lower.get(start..)?.find('>')?;
        let tag_lower = lower.get(start..end)?;
        let tag = html.get(start..end)?;
        let named = ["name", "property", "itemprop"].iter().any(|attribute| attribute_value(tag_lower, attribute).as_deref() == Some(wanted));
        if named {
            if let Some(value) = attribute_value(tag, "content").filter(|v| !v.trim().is_empty()) {
                return Some(decode_entities(value.trim()));
            }
        }
        from = end;
    }
    None
}

fn canonical_url(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let at = lower.find("rel=\"canonical\"").or_else(|| lower.find("rel='canonical'"))?;
    let start = lower.get(..at)?.rfind('<')?;
    let end = at + lower.get(at..)?.find('>')?;
    attribute_value(html.get(start..end)?, "href")
}

/// The value of `attribute="…"` (or single-quoted) inside a tag's text. Attribute names
/// are matched case-insensitively; values keep their case.
fn attribute_value(tag: &str, attribute: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower.get(from..)?.find(attribute) {
        let start = from + at;
        let boundary = start == 0 || lower.get(..start)?.ends_with([' ', '\t', '\n']);
        let rest = tag.get(start + attribute.len()..)?.trim_start();
        if boundary {
            if let Some(value) = rest.strip_prefix('=') {
                let value = value.trim_start();
                let quote = value.chars().next()?;
                return if quote == '"' || quote == '\'' {
                    value.get(1..)?.split(quote).next().map(str::to_string)
                } else {
                    Some(value.split([' ', '>']).next()?.to_string())
                };
            }
        }
        from = start + attribute.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html><head><meta charset="gb2312">
<title>鎮江市科技創新引領產業強市行動方案解讀_中國江蘇網</title>
<meta name="PubDate" content="2024-03-15 09:30">
<meta property="og:site_name" content="中國江蘇網">
<link rel="canonical" href="https://example.org/a/1.html">
<script>var x = "<p>不是正文</p>";</script><style>p{color:red}</style></head>
<body><div class="crumb">首頁&gt;地方頻道&gt;鎮江</div>
<h1>加快培育新質生產力 以科技創新推動產業創新</h1>
<p>鎮江新一輪創新發展藍圖已繪就。&nbsp;日前，市委辦公室印發《行動方案》。</p><!-- 廣告 -->
<p>&ldquo;深入實施&rdquo;創新引領工程。<br>第二行。</p></body></html>"#;

    #[test]
    fn gbk_pages_are_decoded_by_their_declared_charset() {
        let (bytes, _, _) = encoding_rs::GBK.encode(PAGE);
        let decoded = decode(&bytes).expect("decodes");
        assert_eq!(decoded.encoding, Some("GBK"));
        assert!(!decoded.guessed);
        assert!(decoded.text.contains("鎮江新一輪創新發展藍圖已繪就"));
    }

    #[test]
    fn undeclared_gbk_text_is_guessed_and_reported() {
        let text = "四川省科技厅与广安市人民政府在广安召开第三次厅市工作会商会议，会商主题是实施创新驱动发展。";
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        let decoded = decode(&bytes).expect("decodes");
        assert_eq!(decoded.text, text);
        assert!(decoded.guessed);
        assert!(decoded.encoding.is_some());
    }

    #[test]
    fn utf8_with_bom_is_plain_text() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("北碚：以科技为引领".as_bytes());
        let decoded = decode(&bytes).expect("decodes");
        assert_eq!(decoded.text, "北碚：以科技为引领");
        assert_eq!(decoded.encoding, None);
    }

    #[test]
    fn markup_is_stripped_one_line_per_block() {
        assert!(looks_like_html(PAGE));
        let (text, meta) = html_to_text(PAGE);
        let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(
            lines,
            vec![
                "首頁>地方頻道>鎮江",
                "加快培育新質生產力 以科技創新推動產業創新",
                "鎮江新一輪創新發展藍圖已繪就。 日前，市委辦公室印發《行動方案》。",
                "“深入實施”創新引領工程。",
                "第二行。",
            ]
        );
        assert_eq!(meta.title.as_deref(), Some("加快培育新質生產力 以科技創新推動產業創新"));
        assert_eq!(meta.date.as_deref(), Some("2024-03-15 09:30"));
        assert_eq!(meta.source.as_deref(), Some("中國江蘇網"));
        assert_eq!(meta.url.as_deref(), Some("https://example.org/a/1.html"));
    }

    #[test]
    fn a_less_than_sign_in_text_is_not_a_tag() {
        let (text, _) = html_to_text("<p>企业规模<5亿元，增长>3%。</p>");
        assert_eq!(text.trim(), "企业规模<5亿元，增长>3%。");
    }

    #[test]
    fn title_tag_loses_the_site_name() {
        assert_eq!(strip_site_suffix("四川确定新一年科技创新任务书_四川科技网"), "四川确定新一年科技创新任务书");
        assert_eq!(strip_site_suffix("北碚：以科技为引领 - 今日重庆"), "北碚：以科技为引领");
    }
}
