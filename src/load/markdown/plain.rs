//! The plain text of an article for summaries, word counts and similarity: one line per
//! block, without markup, code blocks, footnote definitions or image alt text.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::emphasis::is_cjk;

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
                push_html_block(&mut writer, &html);
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
            Event::SoftBreak | Event::HardBreak => writer.separate(),
            Event::Html(html) => match writer.html_block.as_mut() {
                Some(block) => block.push_str(html),
                None => push_html_block(&mut writer, html),
            },
            Event::InlineHtml(tag) if is_line_break_tag(tag) => writer.separate(),
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

fn is_line_break_tag(tag: &str) -> bool {
    let name = tag.trim_start_matches('<').trim_start_matches('/');
    name.get(..2).is_some_and(|n| n.eq_ignore_ascii_case("br"))
}

/// Raw HTML blocks: the tags are dropped, the text between them kept, line by line;
/// script and style contents are dropped entirely.
fn push_html_block(writer: &mut PlainWriter, html: &str) {
    for line in strip_tags(html).lines() {
        writer.push_text(line.trim());
        writer.end_line();
    }
}

/// Removes `<…>` tags and comments, and the contents of `<script>` and `<style>`.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(rest.get(..open).unwrap_or(""));
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
            tail.find('>').map(|i| i + 1)
        } else {
            // A lone `<` (as in "a < b") is text.
            out.push('<');
            Some(1)
        };
        match skip_to {
            Some(n) => rest = tail.get(n..).unwrap_or(""),
            // Unclosed tag or comment: the rest is markup.
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

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
        assert_eq!(plain(src), "通知正文\n行內重點文字下一行");
    }

    #[test]
    fn strip_tags_handles_comments_and_lone_brackets() {
        assert_eq!(strip_tags("<!-- 注释 -->a < b <b>粗</b>"), "a < b 粗");
        assert_eq!(strip_tags("<STYLE>p{}</STYLE>文"), "文");
        assert_eq!(strip_tags("文<div"), "文");
    }
}
