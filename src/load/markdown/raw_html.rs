//! Raw HTML that would swallow the rest of an article. After `<script>`, `<style>`,
//! `<textarea>`, `<title>`, `<xmp>`, `<iframe>`, `<noscript>`, `<noembed>`, `<noframes>`
//! and `<plaintext>`, an HTML parser (ammonia's, and every browser's) reads the text as the
//! element's content up to its end tag; after `<!--` up to `-->`; after `<?` or `<!x` up
//! to `>`; after `<template>`, `<math>` or `<svg>` everything is the element's (and the
//! sanitiser drops it). Left open, such an opening takes the whole rest of the article off
//! the page, silently. So an opening that is never closed is an error, placed on its line.
//!
//! Only raw HTML counts: `<script>` in a code span or block, or written `&lt;script>`, is
//! text. A closed `<script>…</script>` is the sanitiser's business (it drops it).

use pulldown_cmark::{Event, Parser};

/// An opening that nothing closes, at a byte offset of the Markdown it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unclosed {
    pub offset: usize,
    pub opening: Opening,
}

/// What was left open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opening {
    /// An element whose content runs to its end tag (`script`, `template`, …), lower case.
    Element(String),
    /// `<!--`
    Comment,
    /// `<?` or `<!x`, which run to the next `>`.
    Declaration,
    /// A tag whose `>` never comes; `quote` when an attribute's quote is still open.
    Tag { name: String, quote: Option<char> },
}

impl Unclosed {
    /// What is wrong, in words, as an error message.
    pub fn message(&self) -> String {
        let rest = "so the rest of the article would disappear from the page";
        match &self.opening {
            Opening::Element(name) if name == "plaintext" => format!("`<plaintext>` can never be closed, {rest}"),
            Opening::Element(name) => format!("`<{name}>` is opened here and never closed, {rest}"),
            Opening::Comment => format!("the comment `<!--` is opened here and never closed, {rest}"),
            Opening::Declaration => format!("`<?` or `<!` starts here and is never ended with `>`, {rest}"),
            Opening::Tag { name, quote: Some(q) } => format!("the tag `<{name}` has an attribute whose `{q}` is never closed, {rest}"),
            Opening::Tag { name, quote: None } => format!("the tag `<{name}` is never ended with `>`, {rest}"),
        }
    }

    /// How to fix it.
    pub fn help(&self) -> String {
        let as_text = |shown: &str| format!("to show `{shown}` as text, write `&lt;` for its `<`, or put it in a code span: `` `{shown}` ``");
        match &self.opening {
            Opening::Element(name) if name == "plaintext" => format!("remove it; {}", as_text("<plaintext>")),
            Opening::Element(name) => format!("close it with `</{name}>`; {}", as_text(&format!("<{name}>"))),
            Opening::Comment => format!("end the comment with `-->`; {}", as_text("<!--")),
            Opening::Declaration => format!("end it with `>`; {}", as_text("<?")),
            Opening::Tag { quote: Some(q), .. } => format!("close the attribute with `{q}` and end the tag with `>`; {}", as_text("<")),
            Opening::Tag { .. } => format!("end the tag with `>`; {}", as_text("<")),
        }
    }
}

/// The first opening in the raw HTML of `markdown` that nothing closes, if any. Cheap for
/// text without raw HTML: the Markdown is parsed only when a `<` could start a tag.
pub fn find_unclosed(markdown: &str) -> Option<Unclosed> {
    if !may_hold_raw_html(markdown) {
        return None;
    }
    let mut reader = Reader::default();
    for (event, range) in Parser::new_ext(markdown, super::parser_options()).into_offset_iter() {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                // The text is the source as written, except inside a block quote (its `>`
                // markers are taken out): then every character is placed at the piece's start.
                let exact = markdown.get(range.clone()).is_some_and(|source| source.starts_with(&*html));
                reader.read(&html, range.start, exact);
            }
            Event::Start(pulldown_cmark::Tag::HtmlBlock) | Event::End(pulldown_cmark::TagEnd::HtmlBlock) => {}
            _ => reader.markdown_between(),
        }
        if let Some(found) = reader.found.take() {
            return Some(found);
        }
    }
    reader.at_end()
}

/// True unless no `<` in the text is followed by a letter, `!`, `?` or `/`.
fn may_hold_raw_html(markdown: &str) -> bool {
    markdown.as_bytes().windows(2).any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || matches!(w[1], b'!' | b'?' | b'/')))
}

/// Elements whose content is text up to their end tag (RAWTEXT, RCDATA and script data in
/// the HTML standard), and `plaintext`, which has none.
const TEXT_ELEMENTS: &[&str] = &["script", "style", "textarea", "title", "xmp", "iframe", "noscript", "noembed", "noframes", "plaintext"];
/// Elements whose whole content the page loses (template contents are inert, MathML and
/// SVG are dropped by the sanitiser): unclosed, they take the rest of the article.
const CONTAINERS: &[&str] = &["template", "math", "svg"];

/// Where the reader is in the raw HTML.
#[derive(Debug, Clone, Default)]
enum State {
    #[default]
    Data,
    /// Just after `<`.
    Open { at: usize },
    /// After `<!`, reading up to two `-`.
    Bang { at: usize, dashes: u8 },
    Comment { at: usize },
    Declaration { at: usize },
    /// Reading a tag: its name so far, then its attributes.
    Tag { at: usize, name: String, end: bool, in_name: bool, after_equals: bool, quote: Option<char> },
    /// Inside a text element, looking for its end tag.
    Text { at: usize, name: &'static str },
}

/// A tokenizer for just enough of HTML to see what is left open, fed the raw HTML pieces
/// of an article in order.
#[derive(Debug, Default)]
struct Reader {
    state: State,
    /// The last characters read, to recognise `-->` and `</script`.
    recent: String,
    /// Open containers (`template`, `math`, `svg`) and where they were opened.
    open: Vec<(&'static str, usize)>,
    /// An unfinished tag cut off by Markdown, reported at once.
    found: Option<Unclosed>,
}

impl Reader {
    /// Reads one piece of raw HTML that starts at byte `start` of the Markdown; `exact`
    /// when the piece is the source text itself, so that each character's offset is known.
    fn read(&mut self, html: &str, start: usize, exact: bool) {
        for (i, c) in html.char_indices() {
            self.step(c, if exact { start + i } else { start });
        }
    }

    /// Markdown's own output comes between two raw pieces: it closes nothing (its text is
    /// escaped), and a tag still being read was cut off by it.
    fn markdown_between(&mut self) {
        self.recent.clear();
        match std::mem::take(&mut self.state) {
            State::Tag { at, name, end: false, quote, .. } if !name.is_empty() => {
                self.found = Some(Unclosed { offset: at, opening: Opening::Tag { name, quote } });
            }
            // A lone `<` or `<!x` followed by Markdown: the next tag Markdown writes ends it.
            State::Data | State::Open { .. } | State::Bang { .. } | State::Declaration { .. } | State::Tag { .. } => {}
            swallowing => self.state = swallowing,
        }
    }

    /// What is still open when the article ends.
    fn at_end(self) -> Option<Unclosed> {
        let opening = |offset, opening| Some(Unclosed { offset, opening });
        match self.state {
            State::Comment { at } | State::Bang { at, dashes: 2 } => opening(at, Opening::Comment),
            State::Declaration { at } | State::Bang { at, .. } => opening(at, Opening::Declaration),
            State::Text { at, name } => opening(at, Opening::Element(name.to_string())),
            State::Tag { at, name, end: false, quote, .. } if !name.is_empty() => opening(at, Opening::Tag { name, quote }),
            _ => self.open.first().and_then(|&(name, at)| opening(at, Opening::Element(name.to_string()))),
        }
    }

    /// Keeps `c` among the last characters read: at least the last 12 bytes, enough for
    /// the longest thing looked for (`</plaintext`).
    fn remember(&mut self, c: char) {
        self.recent.push(c.to_ascii_lowercase());
        if self.recent.len() > 32 {
            let cut = (self.recent.len() - 12..self.recent.len()).find(|&i| self.recent.is_char_boundary(i)).unwrap_or(0);
            self.recent.drain(..cut);
        }
    }

    fn step(&mut self, c: char, at: usize) {
        match &mut self.state {
            State::Data => {
                if c == '<' {
                    self.state = State::Open { at };
                }
            }
            State::Open { at: start } => {
                let start = *start;
                self.state = match c {
                    '!' => State::Bang { at: start, dashes: 0 },
                    '?' => State::Declaration { at: start },
                    '/' => State::Tag { at: start, name: String::new(), end: true, in_name: true, after_equals: false, quote: None },
                    c if c.is_ascii_alphabetic() => {
                        State::Tag { at: start, name: c.to_ascii_lowercase().to_string(), end: false, in_name: true, after_equals: false, quote: None }
                    }
                    '<' => State::Open { at },
                    _ => State::Data,
                };
            }
            State::Bang { at: start, dashes } => {
                let start = *start;
                self.state = match (c, *dashes) {
                    ('-', 0) => State::Bang { at: start, dashes: 1 },
                    ('-', 1) => {
                        self.recent.clear();
                        self.recent.push_str("--");
                        State::Comment { at: start }
                    }
                    ('>', _) => State::Data,
                    _ => State::Declaration { at: start },
                };
            }
            State::Comment { .. } => {
                self.remember(c);
                // `<!-->` and `<!--->` end at once, as browsers read them.
                if c == '>' && (self.recent.ends_with("-->") || self.recent.ends_with("--!>")) {
                    self.state = State::Data;
                }
            }
            State::Declaration { .. } => {
                if c == '>' {
                    self.state = State::Data;
                }
            }
            State::Tag { in_name: true, name, .. } if c.is_ascii_alphanumeric() || c == '-' || c == ':' => {
                name.push(c.to_ascii_lowercase());
            }
            State::Tag { at: start, name, end, in_name, after_equals, quote } => {
                *in_name = false;
                match (*quote, *after_equals) {
                    (Some(q), _) if c == q => *quote = None,
                    (Some(_), _) => {}
                    (None, true) if c.is_whitespace() => {}
                    (None, true) => {
                        *after_equals = false;
                        if c == '"' || c == '\'' {
                            *quote = Some(c);
                        } else if c == '>' {
                            let (start, name, end) = (*start, std::mem::take(name), *end);
                            self.tag_done(start, &name, end, false);
                        }
                    }
                    (None, false) if c == '=' => *after_equals = true,
                    (None, false) if c == '>' => {
                        let (start, name, end) = (*start, std::mem::take(name), *end);
                        let self_closing = self.recent.ends_with('/');
                        self.tag_done(start, &name, end, self_closing);
                    }
                    (None, false) => {}
                }
                self.remember(c);
            }
            State::Text { name, .. } => {
                let name = *name;
                // The end tag: `</name` then a space, `/` or `>`.
                if (c.is_whitespace() || c == '/' || c == '>') && self.recent.strip_suffix(name).is_some_and(|r| r.ends_with("</")) {
                    self.state = State::Data;
                    if c != '>' {
                        self.state = State::Tag { at, name: name.to_string(), end: true, in_name: false, after_equals: false, quote: None };
                    }
                }
                self.remember(c);
            }
        }
    }

    /// A whole tag was read: enter a text element, or open or close a container.
    fn tag_done(&mut self, at: usize, name: &str, end: bool, self_closing: bool) {
        self.state = State::Data;
        self.recent.clear();
        if end {
            if let Some(i) = self.open.iter().rposition(|(open, _)| *open == name) {
                self.open.truncate(i);
            }
            return;
        }
        if let Some(&text) = TEXT_ELEMENTS.iter().find(|&&t| t == name) {
            self.state = State::Text { at, name: text };
        } else if let Some(&container) = CONTAINERS.iter().find(|&&t| t == name) {
            // `<svg/>` and `<math/>` are complete (foreign elements may close themselves).
            if !(self_closing && container != "template") {
                self.open.push((container, at));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unclosed(markdown: &str) -> Option<(usize, Opening)> {
        find_unclosed(markdown).map(|u| (u.offset, u.opening))
    }

    fn element(name: &str) -> Opening {
        Opening::Element(name.to_string())
    }

    #[test]
    fn every_swallowing_opening_is_found_where_it_starts() {
        for name in TEXT_ELEMENTS.iter().chain(CONTAINERS) {
            let markdown = format!("前文。\n\n<{name}>\n注释\n\n正文第一段。\n\n正文第二段。\n");
            assert_eq!(unclosed(&markdown), Some((11, element(name))), "{name}");
            let inline = format!("前文<{name} class=\"x\">正文第一段。\n\n正文第二段。\n");
            assert_eq!(unclosed(&inline), Some((6, element(name))), "{name} inline");
        }
        assert_eq!(unclosed("前文。\n\n<!-- 注释\n\n正文第一段。\n"), Some((11, Opening::Comment)));
        assert_eq!(unclosed("前文。\n\n<?php echo 1;\n\n正文第一段。\n"), Some((11, Opening::Declaration)));
        assert_eq!(unclosed("前文。\n\n<![CDATA[ 数据\n\n正文第一段。\n"), Some((11, Opening::Declaration)));
        assert_eq!(unclosed("<SCRIPT>\nalert(1)\n"), Some((0, element("script"))), "any case");
    }

    #[test]
    fn closed_openings_are_fine() {
        for markdown in [
            "前文<script>alert(1)</script>正文。",
            "<script>\nif (a < b) { x = \"</div>\"; }\n</script >\n\n正文。",
            "<style>p { color: red }</STYLE>\n\n正文。",
            "<!-- 注释 -->\n\n正文。",
            "<!-- 注释\n\n被注释掉的段落。\n\n-->\n\n正文。",
            "文字<!---->与<!-->与<!--->。",
            "<template><template>甲</template>乙</template>\n\n正文。",
            "<svg viewBox=\"0 0 1 1\"><title>图</title><rect/></svg>\n\n正文。",
            "<math/> <svg />\n\n正文。",
            "<textarea rows=\"3\">文本</textarea>\n\n正文。",
            "<div class=\"note\" title='说明>'>\n\n正文。\n\n</div>",
            "<?xml version=\"1.0\"?>\n\n正文。",
            "<!DOCTYPE html>\n\n正文。",
            "<br>\n<sup>1</sup> a < b 和 <scripts> 不是标签",
        ] {
            assert_eq!(unclosed(markdown), None, "{markdown}");
        }
    }

    #[test]
    fn text_that_only_looks_like_html_is_not_raw_html() {
        for markdown in [
            "用 `<script>` 标签。\n\n正文。",
            "```html\n<script>\n<!--\n```\n\n正文。",
            "    <style>\n\n正文。",
            "前文 &lt;script> 与 \\<!-- 转义。",
            "前文<!-- 不完整的注释不是 HTML\n\n正文。",
        ] {
            assert_eq!(unclosed(markdown), None, "{markdown}");
        }
    }

    #[test]
    fn an_end_tag_written_as_markdown_text_closes_nothing() {
        // `&lt;/script>` is text, which the browser sees escaped: the script stays open.
        assert_eq!(unclosed("前文<script>正文\n\n段落 `</script>`\n"), Some((6, element("script"))));
        assert_eq!(unclosed("前文<template>正文\n\n&lt;/template>\n"), Some((6, element("template"))));
    }

    #[test]
    fn a_tag_cut_off_by_markdown_is_found() {
        let markdown = "前文\n\n<div title=\"说明\n\n正文第一段。[链接](/a)\n";
        assert_eq!(unclosed(markdown), Some((8, Opening::Tag { name: "div".into(), quote: Some('"') })));
        assert_eq!(unclosed("前文\n\n<div class=x\n"), Some((8, Opening::Tag { name: "div".into(), quote: None })));
    }

    #[test]
    fn messages_name_the_opening_and_the_fix() {
        let u = find_unclosed("<!-- 注释\n\n正文").unwrap();
        assert_eq!(u.message(), "the comment `<!--` is opened here and never closed, so the rest of the article would disappear from the page");
        assert!(u.help().starts_with("end the comment with `-->`; to show `<!--` as text, write `&lt;`"), "{}", u.help());
        let u = find_unclosed("<template>\n\n正文").unwrap();
        assert!(u.help().starts_with("close it with `</template>`"), "{}", u.help());
    }

    #[test]
    fn inside_a_block_quote_the_line_is_still_found() {
        let u = find_unclosed("前文\n\n> 引用\n> <script>\n> alert(1)\n").unwrap();
        assert_eq!(u.opening, element("script"));
        assert_eq!("前文\n\n> 引用\n> <script>\n> alert(1)\n"[..u.offset].matches('\n').count(), 3);
    }
}
