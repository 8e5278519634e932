//! The traditional twin of one rendered file: an HTML page, an RSS feed or a script.
//!
//! A small tokenizer over gazette's own output (well-formed: templates plus sanitised
//! article HTML) that copies the file and changes only:
//! - text nodes, converted simplified → traditional (OpenCC `s2t`, phrase level), except
//!   inside `<pre>`, `<code>`, `<kbd>`, `<samp>`, `<script>`, `<style>` and any element
//!   marked `translate="no"`, as OpenCC's document converters leave code alone;
//! - the human-readable attributes `title`, `alt`, `aria-label`, `placeholder`, `label`,
//!   and `content` of a `<meta>` that names a text (description, og:title …);
//! - links to pages of the site (`href`, `action`, `src`, `data-home`, og:url, a refresh
//!   target, and in feeds `<link>`/`<guid>`), pointed at their twins ([`Twins::map`]);
//!   elements with `hreflang` name their script themselves and keep their link;
//! - `<html lang>` (and a feed's `<language>`), which become `zh-Hant`; and among the
//!   links that carry `hreflang` (the 简/繁 switch), `aria-current` moves to `zh-Hant`.
//!
//! Everything else — URLs, ids, classes, slugs, dates, entities — is copied byte for byte.

use std::sync::OnceLock;

use crate::escape;
use crate::text::entities;

use super::Twins;

/// The language tag of the traditional twin.
pub const HANT: &str = "zh-Hant";

/// Characters OpenCC's `s2t` converts to the first of several candidates that include the
/// character itself (STCharacters.txt `广	廣 广`), which zhconv's table leaves out to be
/// "conservative": without them 广安, 3万亿, 后来, 台湾 stayed simplified in otherwise
/// traditional text. (simplified, traditional) pairs from OpenCC's STCharacters.txt
/// (Apache-2.0), those whose first candidate differs from the character, by code point.
const FIRST_CANDIDATES: &str = "㐹㑶万萬丑醜丰豐于於云雲亘亙仆僕价價伙夥余餘佣傭党黨准準几幾凶兇划劃占佔厂廠厘釐台臺叶葉吁籲吃喫后後咨諮咸鹹唇脣夸誇尸屍岩巖岳嶽帘簾干幹广廣征徵愿願挂掛据據斗鬥朴樸杠槓杰傑极極柜櫃涂塗涌湧淀澱游遊熏燻皂皁确確种種筑築胜勝腊臘腌醃膻羶苹蘋范範荐薦虫蟲蚝蠔蜡蠟蝎蠍跖蹠辟闢适適郁鬱采採里裏雇僱";

fn first_candidates() -> &'static [(char, char)] {
    static PAIRS: OnceLock<Vec<(char, char)>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        let chars: Vec<char> = FIRST_CANDIDATES.chars().collect();
        let mut pairs: Vec<(char, char)> = chars.chunks(2).map(|p| (p[0], p[1])).collect();
        pairs.sort_unstable();
        pairs
    })
}

/// Appends `text` converted to traditional characters: OpenCC's `s2t` (STPhrases, then
/// STCharacters, as zhconv ships them, leftmost-longest: [`super::matcher`]), and in the text no entry
/// of it matched, [`FIRST_CANDIDATES`]. Its phrases still win (公里, 皇后, 万俟 stay, as
/// in OpenCC). ASCII text has nothing to convert.
pub fn text_to(text: &str, out: &mut String) {
    if text.is_ascii() {
        out.push_str(text);
        return;
    }
    let mut last = 0;
    super::matcher::s2t().search(text, |start, end, to| {
        unmatched_to(&text[last..start], out);
        out.push_str(to);
        last = end;
    });
    unmatched_to(&text[last..], out);
}

/// Text no table entry matched: copied, but for [`FIRST_CANDIDATES`].
fn unmatched_to(text: &str, out: &mut String) {
    let pairs = first_candidates();
    let mut run = 0;
    for (at, c) in text.char_indices() {
        // All of them are in the CJK blocks (3400..).
        if (c as u32) < 0x3400 {
            continue;
        }
        if let Ok(i) = pairs.binary_search_by_key(&c, |&(s, _)| s) {
            out.push_str(&text[run..at]);
            out.push(pairs[i].1);
            run = at + c.len_utf8();
        }
    }
    out.push_str(&text[run..]);
}

/// `text` converted to traditional characters.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    text_to(text, &mut out);
    out
}

/// Elements whose text is code, copied as written.
const CODE: &[&str] = &["pre", "code", "kbd", "samp"];
/// Elements whose content is not HTML text at all (raw text in the HTML parser's terms).
const RAW: &[&str] = &["script", "style"];
/// Attributes that hold text a reader sees or hears.
const TEXT_ATTRS: &[&str] = &["title", "alt", "aria-label", "placeholder", "label"];
/// Attributes that hold a link.
const URL_ATTRS: &[&str] = &["href", "action", "src", "data-home"];

/// Whether the input is a page or a feed: feeds carry URLs in text (`<link>`, `<guid>`)
/// and HTML escaped in text (`<content:encoded>`).
#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    Html,
    Feed,
}

/// The traditional twin of `input`.
pub fn document(input: &str, kind: Kind, twins: &Twins) -> String {
    let mut c = Converter { input, pos: 0, out: String::with_capacity(input.len() + input.len() / 16), kind, twins, frozen: None, parent: String::new() };
    c.run();
    c.out
}

struct Converter<'a> {
    input: &'a str,
    pos: usize,
    out: String,
    kind: Kind,
    twins: &'a Twins,
    /// Inside an element whose text stays as written: its name and how many elements of
    /// that name are open (a `<code>` inside a `<code>`).
    frozen: Option<(String, usize)>,
    /// The name of the last element opened (a feed's text is read by its element).
    parent: String,
}

impl<'a> Converter<'a> {
    fn run(&mut self) {
        let input = self.input;
        while self.pos < input.len() {
            let rest = &input[self.pos..];
            let Some(lt) = rest.find('<') else {
                self.text(rest);
                self.pos = input.len();
                break;
            };
            if lt > 0 {
                self.text(&rest[..lt]);
                self.pos += lt;
                continue;
            }
            let after = &rest[1..];
            if after.starts_with("!--") {
                self.copy_through("-->");
            } else if after.starts_with('!') || after.starts_with('?') {
                self.copy_through(">");
            } else if after.starts_with('/') {
                self.close_tag();
            } else if after.starts_with(|c: char| c.is_ascii_alphabetic()) {
                self.open_tag();
            } else {
                // A lone `<` in text.
                self.out.push('<');
                self.pos += 1;
            }
        }
    }

    /// Copies up to and including the next `end`, or the rest of the input.
    fn copy_through(&mut self, end: &str) -> &'a str {
        let input = self.input;
        let rest = &input[self.pos..];
        let len = rest[1..].find(end).map_or(rest.len(), |i| i + 1 + end.len());
        self.out.push_str(&rest[..len]);
        self.pos += len;
        &rest[..len]
    }

    fn text(&mut self, text: &str) {
        if self.frozen.is_some() {
            self.out.push_str(text);
            return;
        }
        if self.kind == Kind::Feed {
            match self.parent.as_str() {
                "link" | "guid" => return self.out.push_str(&self.twins.map(text).unwrap_or_else(|| text.to_string())),
                "language" => return self.out.push_str(HANT),
                // Escaped HTML: converted as a page is, and escaped again.
                "content:encoded" => {
                    let html = entities::decode(text);
                    return self.out.push_str(&escape::xml(&document(&html, Kind::Html, self.twins)));
                }
                _ => {}
            }
        }
        text_to(text, &mut self.out);
    }

    fn close_tag(&mut self) {
        let tag = self.copy_through(">");
        let name = tag_name(&tag[2..]).to_ascii_lowercase();
        if let Some((frozen, depth)) = &mut self.frozen {
            if *frozen == name {
                *depth -= 1;
                if *depth == 0 {
                    self.frozen = None;
                }
            }
        }
        self.parent.clear();
    }

    fn open_tag(&mut self) {
        let input = self.input;
        let rest = &input[self.pos..];
        let name = tag_name(&rest[1..]);
        let lname = name.to_ascii_lowercase();
        let (attrs, end) = attributes(rest, 1 + name.len());
        let tag = &rest[..end];
        self.pos += end;
        self.rewrite_tag(tag, &lname, &attrs);
        let self_closing = tag.ends_with("/>");
        if self_closing {
            return;
        }
        self.parent = lname.clone();
        match &mut self.frozen {
            Some((frozen, depth)) if *frozen == lname => *depth += 1,
            Some(_) => {}
            None if self.kind == Kind::Html && RAW.contains(&lname.as_str()) => {
                // Copied through its end tag, whatever it holds.
                let rest = &input[self.pos..];
                let close = format!("</{lname}");
                let len = find_ascii_ci(rest, &close).unwrap_or(rest.len());
                self.out.push_str(&rest[..len]);
                self.pos += len;
            }
            None => {
                let no_translate = attrs.iter().any(|a| a.name.eq_ignore_ascii_case("translate") && a.value.eq_ignore_ascii_case("no"));
                if (self.kind == Kind::Html && CODE.contains(&lname.as_str())) || no_translate {
                    self.frozen = Some((lname, 1));
                }
            }
        }
    }

    /// Writes the tag, with the values of the attributes that change replaced.
    fn rewrite_tag(&mut self, tag: &str, name: &str, attrs: &[Attr]) {
        let get = |n: &str| attrs.iter().find(|a| a.name.eq_ignore_ascii_case(n)).map(|a| a.value);
        let hreflang = get("hreflang");
        let is_meta = name == "meta";
        let mut last = 0;
        for a in attrs {
            let attr = a.name.to_ascii_lowercase();
            let new_value: Option<String> = if name == "html" && attr == "lang" {
                Some(HANT.to_string())
            } else if hreflang.is_some() && attr == "aria-current" {
                // Dropped here; put back on the zh-Hant link below.
                self.out.push_str(&tag[last..a.start]);
                last = a.end;
                continue;
            } else if hreflang.is_none() && URL_ATTRS.contains(&attr.as_str()) {
                self.twins.map(a.value)
            } else if is_meta && attr == "content" {
                self.meta_content(a.value, get("name").or(get("property")), get("http-equiv"))
            } else if TEXT_ATTRS.contains(&attr.as_str()) && self.frozen.is_none() {
                Some(text(a.value))
            } else {
                None
            };
            if let Some(v) = new_value {
                self.out.push_str(&tag[last..a.value_start]);
                self.out.push_str(&v);
                last = a.value_end;
            }
        }
        let close = if tag.ends_with("/>") { tag.len() - 2 } else { tag.len() - 1 };
        self.out.push_str(&tag[last..close]);
        if name == "a" && hreflang.is_some_and(|h| h.eq_ignore_ascii_case(HANT)) {
            self.out.push_str(" aria-current=\"page\"");
        }
        self.out.push_str(&tag[close..]);
    }

    /// A `<meta content>`: the refresh target or og:url mapped, a text converted; other
    /// values (a viewport, a generator) have nothing to convert and stay.
    fn meta_content(&self, value: &str, name: Option<&str>, http_equiv: Option<&str>) -> Option<String> {
        if http_equiv.is_some_and(|h| h.eq_ignore_ascii_case("refresh")) {
            let at = find_ascii_ci(value, "url=")? + 4;
            return self.twins.map(&value[at..]).map(|twin| format!("{}{twin}", &value[..at]));
        }
        if let Some(twin) = self.twins.map(value) {
            return Some(twin);
        }
        let name = name?.to_ascii_lowercase();
        let is_url = name.ends_with(":url") || name.ends_with(":image") || name == "viewport" || name == "robots" || name == "generator";
        (!is_url).then(|| text(value))
    }
}

/// One attribute of a tag: its name, value, and byte spans within the tag (`start`..`end`
/// covers the space before it, the name and the value; `value_start`..`value_end` the
/// value without quotes).
struct Attr<'a> {
    name: &'a str,
    value: &'a str,
    start: usize,
    end: usize,
    value_start: usize,
    value_end: usize,
}

/// The attributes of the tag at the start of `tag` (after its name, at `from`), and where
/// the tag ends (just past its `>`).
fn attributes(tag: &str, from: usize) -> (Vec<Attr<'_>>, usize) {
    let b = tag.as_bytes();
    let mut attrs = Vec::new();
    let mut i = from;
    loop {
        let start = i;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            return (attrs, b.len());
        }
        if b[i] == b'>' {
            return (attrs, i + 1);
        }
        if b[i] == b'/' {
            i += 1;
            continue;
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = &tag[name_start..i];
        let (mut value_start, mut value_end) = (i, i);
        if i < b.len() && b[i] == b'=' {
            i += 1;
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let quote = b[i];
                value_start = i + 1;
                value_end = tag[value_start..].find(quote as char).map_or(b.len(), |j| value_start + j);
                i = (value_end + 1).min(b.len());
            } else {
                value_start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value_end = i;
            }
        }
        attrs.push(Attr { name, value: &tag[value_start..value_end], start, end: i, value_start, value_end });
    }
}

/// The element name at the start of `s` (`a`, `content:encoded`).
fn tag_name(s: &str) -> &str {
    let end = s.find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/').unwrap_or(s.len());
    &s[..end]
}

/// Where `needle` (ASCII) first occurs in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn twins() -> Twins {
        Twins::new("https://ex.org/p/")
    }

    fn page(html: &str) -> String {
        document(html, Kind::Html, &twins())
    }

    #[test]
    fn phrases_convert_with_the_opencc_standard_table() {
        assert_eq!(text("软件发展，头发与干部"), "軟件發展，頭髮與幹部");
        // Characters with several candidates take OpenCC's first; its phrases still win.
        assert_eq!(text("广安市3万亿元，后来台湾的范围"), "廣安市3萬億元，後來臺灣的範圍");
        assert_eq!(text("十公里外的皇后，万俟先生，干燥"), "十公里外的皇后，万俟先生，乾燥");
    }

    #[test]
    fn text_and_readable_attributes_convert_urls_and_code_do_not() {
        let html = r#"<html lang="zh-CN"><p class="发展" title="软件">发展<a href="/p/2024/03/fa-zhan/" id="发展">软件</a><img src="/p/img/发展.png" alt="头发"><code>发展</code><pre><code>软件</code> 发展</pre></p></html>"#;
        assert_eq!(
            page(html),
            r#"<html lang="zh-Hant"><p class="发展" title="軟件">發展<a href="/p/zh-hant/2024/03/fa-zhan/" id="发展">軟件</a><img src="/p/img/发展.png" alt="頭髮"><code>发展</code><pre><code>软件</code> 发展</pre></p></html>"#
        );
    }

    #[test]
    fn scripts_styles_comments_and_untranslated_elements_stay() {
        let html = "<script>var a = \"<b>发展</b>\";</script><style>p::before{content:\"发展\"}</style><!-- 发展 --><span translate=\"no\">简<b>发展</b></span>发展";
        assert_eq!(page(html), "<script>var a = \"<b>发展</b>\";</script><style>p::before{content:\"发展\"}</style><!-- 发展 --><span translate=\"no\">简<b>发展</b></span>發展");
    }

    #[test]
    fn the_switch_keeps_its_links_and_marks_the_traditional_one() {
        let html = r#"<link rel="alternate" hreflang="zh-Hans" href="https://ex.org/p/a/"><nav translate="no"><a href="/p/a/" hreflang="zh-Hans" lang="zh-Hans" aria-current="page">简</a><a href="/p/zh-hant/a/" hreflang="zh-Hant" lang="zh-Hant">繁</a></nav>"#;
        assert_eq!(
            page(html),
            r#"<link rel="alternate" hreflang="zh-Hans" href="https://ex.org/p/a/"><nav translate="no"><a href="/p/a/" hreflang="zh-Hans" lang="zh-Hans">简</a><a href="/p/zh-hant/a/" hreflang="zh-Hant" lang="zh-Hant" aria-current="page">繁</a></nav>"#
        );
    }

    #[test]
    fn meta_texts_convert_and_meta_urls_map() {
        let html = r#"<meta name="description" content="软件发展"><meta property="og:url" content="https://ex.org/p/a/"><meta name="viewport" content="width=device-width"><meta http-equiv="refresh" content="0; url=https://ex.org/p/b/">"#;
        assert_eq!(
            page(html),
            r#"<meta name="description" content="軟件發展"><meta property="og:url" content="https://ex.org/p/zh-hant/a/"><meta name="viewport" content="width=device-width"><meta http-equiv="refresh" content="0; url=https://ex.org/p/zh-hant/b/">"#
        );
    }

    #[test]
    fn feeds_map_links_and_convert_escaped_bodies() {
        let feed = "<?xml version=\"1.0\"?><rss><channel><title>软件</title><link>https://ex.org/p/</link><language>zh-CN</language><atom:link href=\"https://ex.org/p/feed.xml\" rel=\"self\"/><item><guid isPermaLink=\"true\">https://ex.org/p/a/</guid><content:encoded>&lt;p&gt;发展&lt;code&gt;发展&lt;/code&gt;&lt;/p&gt;</content:encoded></item></channel></rss>";
        assert_eq!(
            document(feed, Kind::Feed, &twins()),
            "<?xml version=\"1.0\"?><rss><channel><title>軟件</title><link>https://ex.org/p/zh-hant/</link><language>zh-Hant</language><atom:link href=\"https://ex.org/p/zh-hant/feed.xml\" rel=\"self\"/><item><guid isPermaLink=\"true\">https://ex.org/p/zh-hant/a/</guid><content:encoded>&lt;p&gt;發展&lt;code&gt;发展&lt;/code&gt;&lt;/p&gt;</content:encoded></item></channel></rss>"
        );
    }
}
