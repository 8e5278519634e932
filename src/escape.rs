//! Escaping for HTML and XML, shared by the Markdown loader and the renderers, and removal
//! of the control characters XML forbids (common in text pasted from Word).

/// HTML text and attribute escaping. Unlike Tera's default it leaves `/` alone, so URLs
/// stay readable and pages smaller.
pub fn html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
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
}
