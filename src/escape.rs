//! Escaping for HTML, XML and link URLs, shared by the loaders and the renderers, and
//! removal of the control characters XML forbids (common in text pasted from Word).

/// HTML text and attribute escaping. Unlike Tera's default it leaves `/` alone, so URLs
/// stay readable and pages smaller.
pub fn html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    // The five characters are ASCII, so the text between them is copied in whole runs
    // (every page prints dozens of escaped values; char by char was measurable).
    let mut run_start = 0;
    for (index, byte) in input.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&input[run_start..index]);
        out.push_str(entity);
        run_start = index + 1;
    }
    out.push_str(&input[run_start..]);
    out
}

/// XML text escaping, dropping characters that XML 1.0 does not allow at all.
pub fn xml(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Percent-encodes what may not stand raw in a link (spaces, quotes, `<>`, `|`, `[]` in the
/// path, a stray `%`, a second `#` …), common in addresses copied from old CMS pages, so the
/// `href` is valid HTML. Non-ASCII stays as written: browsers and HTML accept it.
pub fn href(url: &str) -> String {
    let after_scheme = |i: usize| url.get(i + 3..).unwrap_or("");
    let path_start = url.find("://").map_or(0, |i| after_scheme(i).find('/').map_or(url.len(), |j| i + 3 + j));
    let mut out = String::with_capacity(url.len());
    let mut seen_hash = false;
    for (index, c) in url.char_indices() {
        let in_path = index >= path_start;
        let unsafe_char = c.is_whitespace()
            || c.is_control()
            || matches!(c, '"' | '<' | '>' | '`' | '{' | '}' | '|' | '\\' | '^')
            || (in_path && matches!(c, '[' | ']'))
            || (c == '%' && !starts_with_two_hex_digits(url.get(index + 1..).unwrap_or("")))
            || (c == '#' && seen_hash);
        seen_hash |= c == '#';
        if unsafe_char {
            let mut bytes = [0u8; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn starts_with_two_hex_digits(text: &str) -> bool {
    let mut digits = text.chars().take(2).filter(char::is_ascii_hexdigit);
    digits.next().is_some() && digits.next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_drops_forbidden_controls() {
        assert_eq!(xml("a\u{0}b\u{b}c\u{1f}<&>"), "abc&lt;&amp;&gt;");
        assert_eq!(xml("局县会商\t\n"), "局县会商\t\n");
    }

    #[test]
    fn html_escapes_quotes_but_not_slashes() {
        assert_eq!(html("<a href=\"/x/\">'"), "&lt;a href=&quot;/x/&quot;&gt;&#39;");
    }

    #[test]
    fn html_keeps_chinese_text_around_entities_whole() {
        assert_eq!(html("「科技」&《規劃》<旺苍县>"), "「科技」&amp;《規劃》&lt;旺苍县&gt;");
        assert_eq!(html("川渝科技政策观察"), "川渝科技政策观察");
        assert_eq!(html("&"), "&amp;");
        assert_eq!(html(""), "");
    }

    #[test]
    fn href_percent_encodes_only_what_html_forbids() {
        assert_eq!(href("http://[::1]/a|b%zz%41"), "http://[::1]/a%7Cb%25zz%41");
        assert_eq!(href("https://cq.gov.cn/新聞/政策解讀.html"), "https://cq.gov.cn/新聞/政策解讀.html");
        assert_eq!(href("/2024/03/旺苍 会商/#第一节#二"), "/2024/03/旺苍%20会商/#第一节%23二");
        assert_eq!(href("?q=[科技]&r=^"), "?q=%5B科技%5D&r=%5E");
    }
}
