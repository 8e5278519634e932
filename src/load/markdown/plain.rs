//! The plain text of an article for summaries, word counts and similarity: one line per
//! block, without markup, code blocks, footnote definitions or image alt text. It is the
//! text a reader sees: character references are decoded here, once, in raw HTML as
//! pulldown-cmark does in Markdown, so that every value made from it (summary, length,
//! related terms, search text) is escaped exactly once where it is printed.

use crate::text::entities::decode as decode_entities;
use pulldown_cmark::{Event, Tag, TagEnd};

/// Builds the text line by line.
#[derive(Default)]
struct PlainWriter {
    lines: Vec<String>,
    line: String,
    /// A break or cell boundary was seen: separate the next text (unless CJK meets CJK).
    pending_space: bool,
    /// A table cell ended: the next text always gets a space (cells are separate values).
    pending_cell_gap: bool,
    /// Depth of containers whose text is left out (code blocks, footnotes, images).
    hidden_depth: usize,
    /// The raw HTML block being read: stripped as a whole, since a `<script>` may span lines.
    html_block: Option<String>,
}

impl PlainWriter {
    fn push_text(&mut self, text: &str) {
        if self.hidden_depth > 0 || text.is_empty() {
            return;
        }
        let last = self.line.chars().last();
        let space = if self.pending_cell_gap {
            last.is_some_and(|c| !c.is_whitespace())
        } else {
            self.pending_space && needs_space(last, text.chars().next())
        };
        if space {
            self.line.push(' ');
        }
        self.pending_space = false;
        self.pending_cell_gap = false;
        self.line.push_str(text);
    }

    fn separate(&mut self) {
        self.pending_space = true;
    }

    fn end_line(&mut self) {
        let line = self.line.trim();
        if !line.is_empty() {
            self.lines.push(line.to_string());
        }
        self.line.clear();
        self.pending_space = false;
        self.pending_cell_gap = false;
    }
}

/// Chinese text has no spaces between words, so a line break inside a paragraph joins
/// Chinese characters directly; anywhere else it becomes one space.
fn needs_space(before: Option<char>, after: Option<char>) -> bool {
    match (before, after) {
        (Some(b), Some(a)) => !(b.is_whitespace() || a.is_whitespace() || (is_cjk(b) && is_cjk(a))),
        _ => false,
    }
}

/// Chinese, Japanese or Korean characters, including full-width punctuation and forms: the
/// characters between which a line break adds no space. (Broader than, and kept apart from,
/// the emphasis rules' own CJK class, so summaries do not change with those rules.)
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}' | '\u{2E80}'..='\u{2FDF}' | '\u{3000}'..='\u{303F}'
        | '\u{3040}'..='\u{30FF}' | '\u{3100}'..='\u{312F}' | '\u{3130}'..='\u{318F}'
        | '\u{31A0}'..='\u{31FF}' | '\u{3200}'..='\u{33FF}' | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}' | '\u{A960}'..='\u{A97F}' | '\u{AC00}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FAFF}' | '\u{FE10}'..='\u{FE1F}' | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{3134F}')
}

/// The plain text of a parsed document.
pub(super) fn plain_text(events: &[Event<'_>]) -> String {
    let mut writer = PlainWriter::default();
    for event in events {
        match event {
            Event::Start(Tag::HtmlBlock) => {
                writer.end_line();
                writer.html_block = Some(String::new());
            }
            Event::End(TagEnd::HtmlBlock) => {
                let html = writer.html_block.take().unwrap_or_default();
                push_html(&mut writer, &html);
                writer.end_line();
            }
            Event::Start(tag) => {
                if hides_text(tag) {
                    writer.hidden_depth += 1;
                }
                if starts_line(tag) {
                    writer.end_line();
                }
            }
            Event::End(end) => {
                if ends_hidden(end) {
                    writer.hidden_depth = writer.hidden_depth.saturating_sub(1);
                }
                if matches!(end, TagEnd::TableCell) {
                    writer.pending_cell_gap = true;
                } else if ends_line(end) {
                    writer.end_line();
                }
            }
            Event::Text(text) | Event::Code(text) => writer.push_text(text),
            Event::SoftBreak => writer.separate(),
            // An explicit break (a signature above its date) is a boundary like a block's.
            Event::HardBreak => writer.end_line(),
            Event::Html(html) => match writer.html_block.as_mut() {
                Some(block) => block.push_str(html),
                None => {
                    writer.end_line();
                    push_html(&mut writer, html);
                    writer.end_line();
                }
            },
            Event::InlineHtml(tag) => inline_html(&mut writer, tag),
            Event::Rule => writer.end_line(),
            _ => {}
        }
    }
    writer.end_line();
    writer.lines.join("\n")
}

fn hides_text(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::CodeBlock(_) | Tag::FootnoteDefinition(_) | Tag::Image { .. } | Tag::MetadataBlock(_)
    )
}

fn ends_hidden(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::CodeBlock | TagEnd::FootnoteDefinition | TagEnd::Image | TagEnd::MetadataBlock(_)
    )
}

/// Blocks that begin on a fresh line (inline tags and table cells do not).
fn starts_line(tag: &Tag<'_>) -> bool {
    !super::is_inline(tag) && !matches!(tag, Tag::TableCell)
}

fn ends_line(end: &TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::TableCell
    )
}


/// Raw HTML (a block, or a tag inside a paragraph): the tags are dropped and the text
/// between them kept with its character references decoded once (`&nbsp;` is a no-break
/// space, `&amp;nbsp;` the text `&nbsp;`), as a browser shows it; script and style
/// contents are dropped entirely. Block tags (`<p>`, `<div>`, `<h2>`, `<li>`, `<tr>` …)
/// start a new line, as `<br>` does (an explicit break); `<td>`/`<th>` separate cells; line
/// breaks in the source separate like a soft break (nothing between Chinese characters).
fn push_html(writer: &mut PlainWriter, html: &str) {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_html_text(writer, rest.get(..open).unwrap_or(""));
        let tail = rest.get(open..).unwrap_or("");
        let skip_to = if tail.starts_with("<!--") {
            tail.find("-->").map(|i| i + 3)
        } else if let Some(name) = raw_text_element(tail) {
            find_ignore_ascii_case(tail, &format!("</{name}"))
                .and_then(|i| tail.get(i..)?.find('>').map(|j| i + j + 1))
        } else if tail
            .get(1..)
            .and_then(|t| t.chars().next())
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?')
        {
            let end = tail.find('>').map(|i| i + 1);
            if end.is_some() {
                apply_tag_break(writer, tail);
            }
            end
        } else {
            // A lone `<` (as in "a < b") is text.
            writer.push_text("<");
            Some(1)
        };
        match skip_to {
            Some(n) => rest = tail.get(n..).unwrap_or(""),
            // Unclosed tag or comment: the rest is markup.
            None => return,
        }
    }
    push_html_text(writer, rest);
}

/// A tag inside a paragraph. Markdown gives the text of an inline `<script>…</script>` as
/// text between two tags, so it is hidden here like a code block.
fn inline_html(writer: &mut PlainWriter, tag: &str) {
    if let Some(name) = raw_text_element(tag) {
        if find_ignore_ascii_case(tag, &format!("</{name}")).is_none() {
            writer.hidden_depth += 1;
            return;
        }
    }
    let closes_raw_text = tag
        .strip_prefix("</")
        .is_some_and(|t| raw_text_element(&format!("<{t}")).is_some());
    if closes_raw_text {
        writer.hidden_depth = writer.hidden_depth.saturating_sub(1);
        return;
    }
    push_html(writer, tag);
}

/// Text between tags: references decoded, source line breaks as soft breaks.
fn push_html_text(writer: &mut PlainWriter, text: &str) {
    if text.is_empty() {
        return;
    }
    let decoded = decode_entities(text);
    let mut lines = decoded.split('\n').peekable();
    let mut first = true;
    while let Some(line) = lines.next() {
        let line = if first { line } else { line.trim_start() };
        let line = if lines.peek().is_some() { line.trim_end() } else { line };
        if !first {
            writer.separate();
        }
        writer.push_text(line);
        first = false;
    }
}

/// What a tag does to the text around it.
fn apply_tag_break(writer: &mut PlainWriter, tag: &str) {
    let name: String = tag
        .trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match name.as_str() {
        "br" => writer.end_line(),
        "td" | "th" => writer.pending_cell_gap = true,
        name if BLOCK_TAGS.contains(&name) => writer.end_line(),
        _ => {}
    }
}

/// HTML elements that are blocks on the page: their text is a line of its own.
const BLOCK_TAGS: &[&str] = &[
    "address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "legend", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "tfoot", "thead", "tr", "ul",
];

/// `script` or `style` if `tail` starts with that opening tag.
fn raw_text_element(tail: &str) -> Option<&'static str> {
    ["script", "style"].into_iter().find(|name| {
        tail.get(1..1 + name.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(name))
    })
}

fn find_ignore_ascii_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .to_ascii_lowercase()
        .find(&needle.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn plain(src: &str) -> String {
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS;
        let events: Vec<Event> = Parser::new_ext(src, options).collect();
        plain_text(&events)
    }

    #[test]
    fn one_line_per_block() {
        let src = "# 携手共谋县域创新\n\n广元市科技局与**旺苍县**首次开展\n局县科技会商。\n\n- 绿色家居\n- 县域创新\n\n> 引用段落一\n>\n> 引用段落二";
        assert_eq!(
            plain(src),
            "携手共谋县域创新\n广元市科技局与旺苍县首次开展局县科技会商。\n绿色家居\n县域创新\n引用段落一\n引用段落二"
        );
    }

    #[test]
    fn traditional_text_and_mixed_line_breaks() {
        let src = "臺灣科技部發布\n新政策 and\nmore text";
        assert_eq!(plain(src), "臺灣科技部發布新政策 and more text");
    }

    #[test]
    fn table_rows_are_lines_with_cells_separated() {
        let src = "| 地区 | 项目数 |\n| --- | ---: |\n| 四川省 | 12 |\n| 重慶市 | 8 |";
        assert_eq!(plain(src), "地区 项目数\n四川省 12\n重慶市 8");
    }

    #[test]
    fn code_blocks_footnotes_and_image_alt_are_left_out() {
        let src = "正文[^1]见`gazette build`。\n\n```rust\nfn 代码() {}\n```\n\n    縮排代碼\n\n![现场照片](a.jpg)图后文字\n\n[^1]: 脚注内容";
        assert_eq!(plain(src), "正文见gazette build。\n图后文字");
    }

    #[test]
    fn nested_list_items_each_on_a_line() {
        let src = "1. 第一項\n   - 子項甲\n   - 子項乙\n2. 第二項\n\n- [x] 已完成任務";
        assert_eq!(plain(src), "第一項\n子項甲\n子項乙\n第二項\n已完成任務");
    }

    #[test]
    fn raw_html_tags_are_dropped_text_kept() {
        let src = "<div class=\"note\">\n<p>通知正文</p>\n<script>\nalert('x')\n</script>\n</div>\n\n行內<span>重點</span>文字<br>下一行";
        assert_eq!(plain(src), "通知正文\n行內重點文字\n下一行");
    }

    fn html_text(html: &str) -> String {
        let mut writer = PlainWriter::default();
        push_html(&mut writer, html);
        writer.end_line();
        writer.lines.join("\n")
    }

    #[test]
    fn html_tags_are_dropped_with_comments_and_lone_brackets() {
        assert_eq!(html_text("<!-- 注释 -->a < b <b>粗</b>"), "a < b 粗");
        assert_eq!(html_text("<STYLE>p{}</STYLE>文"), "文");
        assert_eq!(html_text("文<div"), "文");
    }

    #[test]
    fn html_block_tags_start_lines_and_source_lines_are_soft_breaks() {
        assert_eq!(
            html_text("<p><strong>以巴冲突再起3名巴勒斯坦人死亡</strong></p><p>巴勒斯坦卫生部12日说，</p>"),
            "以巴冲突再起3名巴勒斯坦人死亡\n巴勒斯坦卫生部12日说，"
        );
        assert_eq!(html_text("<h2>鎮江市</h2><ul><li>第一項</li><li>第二項</li></ul>"), "鎮江市\n第一項\n第二項");
        assert_eq!(html_text("<table><tr><td>地区</td><td>12</td></tr><tr><th>重慶市</th><th>8</th></tr></table>"), "地区 12\n重慶市 8");
        assert_eq!(html_text("<p>四川省科技厅\n  召开会议 and\nmore<br>下一行</p>"), "四川省科技厅召开会议 and more\n下一行");
    }

    #[test]
    fn character_references_in_html_are_decoded_once() {
        assert_eq!(
            html_text("<p>更加美好的未来。&nbsp;</p><p>&#12288;&#x3000;R&amp;D经费&lt;b&gt;&amp;nbsp;&ldquo;雙城&rdquo;&hellip;</p>"),
            "更加美好的未来。\nR&D经费<b>&nbsp;“雙城”…"
        );
        // Windows-1252 numbers, a number without `;`, Greek, unknown names and bare `&`
        assert_eq!(html_text("&#147;引號&#148;&#8212;&#12288x &alpha;&Omega;&sigmaf; &foo; AT&T &amp"), "“引號”—\u{3000}x αΩς &foo; AT&T &amp");
        assert_eq!(html_text("&#0;&#xD800;&#99999999999;"), "\u{FFFD}\u{FFFD}\u{FFFD}");
        // a multi-byte character right after a reference
        assert_eq!(html_text("&#12288;&#12288;R&amp;D经费&nbsp;增长&quot;雙城&quot;"), "R&D经费\u{a0}增长\"雙城\"");
    }

    #[test]
    fn entities_in_markdown_and_in_raw_html_give_the_same_text() {
        let markdown = plain("更加美好的未来。&nbsp;R&amp;D &lt;b&gt; &#12288;雙城");
        let html = plain("<p>更加美好的未来。&nbsp;R&amp;D &lt;b&gt; &#12288;雙城</p>");
        assert_eq!(markdown, html);
        assert_eq!(plain("行內<span>重&amp;點</span>正文<script>alert(1)</script>結束"), "行內重&點正文結束");
    }
}
