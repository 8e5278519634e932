//! Markdown to safe HTML for one article: CommonMark plus tables, footnotes, strikethrough,
//! task lists and heading ids, with highlighted code, emphasis that works next to Chinese
//! punctuation, and the plain text and headings the rest of the site needs.

mod emphasis;
mod footnotes;
mod headings;
mod highlight;
mod plain;
pub mod raw_html;
mod sanitize;

use crate::escape::html as html_escape;
use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

/// How an article's Markdown is rendered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MarkdownOptions {
    /// Let raw HTML through unchanged. Off by default: it is then sanitised.
    pub allow_raw_html: bool,
}

/// A heading of the article, for tables of contents and anchors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// The rendered article body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markdown {
    /// Body HTML, safe to print unescaped.
    pub html: String,
    /// Text without markup, as a reader sees it (character references decoded, also in raw
    /// HTML), one line per block, code blocks left out. The loader takes
    /// it for the summary, the length and the related-article terms, and keeps none of it.
    pub plain: String,
    /// A highlighted code block is present (the site then writes syntax.css).
    pub has_code: bool,
    pub headings: Vec<Heading>,
}

/// Renders one article. Safe to call from many threads at once; never panics.
pub fn render_markdown(src: &str, opts: &MarkdownOptions) -> Markdown {
    let events: Vec<_> = Parser::new_ext(src, parser_options())
        .into_offset_iter()
        .collect();
    let has_raw_html = events
        .iter()
        .any(|(event, _)| matches!(event, Event::Html(_) | Event::InlineHtml(_)));
    let mut events = emphasis::pair_cjk_emphasis(src, events, parser_options());
    let footnote_numbers = footnotes::number_footnotes(&events);
    headings::close_heading_level_gaps(&mut events);
    let headings = headings::assign_heading_ids(&mut events, &footnote_numbers.reserved_ids());
    let plain = plain::plain_text(&events);

    let (events, has_code) = render_code_blocks(events);
    let events = drop_unsafe_links(drop_heading_attributes(events));
    let events = footnotes::place_footnotes(events, &footnote_numbers);

    let mut body = String::with_capacity(src.len() * 3 / 2);
    html::push_html(&mut body, events.into_iter());
    // Our own output is safe by construction; ammonia (slow) only runs when the author's
    // raw HTML is in the page.
    let html = if has_raw_html && !opts.allow_raw_html {
        sanitize::sanitize_html(&body)
    } else {
        body
    };
    // Every article's HTML is held until its page is written, and the buffer above is a
    // guess: an exact copy saves about 3 KB an article (a tenth of a 10k build's memory).
    let html = String::from(html.as_str());
    Markdown {
        html,
        plain,
        has_code,
        headings,
    }
}

/// The CSS for the highlight classes, written once per site.
pub fn syntax_css() -> String {
    highlight::theme_css()
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Replaces each code block with finished HTML: highlighted when syntect knows the language,
/// otherwise escaped with a `language-x` class. Also reports whether anything was highlighted.
fn render_code_blocks(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, bool) {
    let mut out = Vec::with_capacity(events.len());
    let mut has_code = false;
    // Language and collected text of the code block being read.
    let mut block: Option<(String, String)> = None;
    for event in events {
        match (event, block.as_mut()) {
            (Event::Start(Tag::CodeBlock(kind)), None) => {
                block = Some((fence_language(&kind), String::new()));
            }
            (Event::End(TagEnd::CodeBlock), Some(_)) => {
                let (lang, code) = block.take().unwrap_or_default();
                let highlighted = if lang.is_empty() {
                    None
                } else {
                    highlight::highlight_code_block(&code, &lang)
                };
                has_code |= highlighted.is_some();
                let html = highlighted.unwrap_or_else(|| plain_code_block(&code, &lang));
                out.push(Event::Html(CowStr::from(html)));
            }
            (Event::Text(text), Some((_, code))) => code.push_str(&text),
            (_, Some(_)) => {}
            (event, None) => out.push(event),
        }
    }
    (out, has_code)
}

/// The language of a fence: the first word of its info string (`rust,ignore` → `rust`).
fn fence_language(kind: &CodeBlockKind<'_>) -> String {
    match kind {
        CodeBlockKind::Fenced(info) => info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .unwrap_or("")
            .to_string(),
        CodeBlockKind::Indented => String::new(),
    }
}

fn plain_code_block(code: &str, lang: &str) -> String {
    if lang.is_empty() {
        format!("<pre><code>{}</code></pre>\n", html_escape(code))
    } else {
        format!(
            "<pre><code class=\"language-{}\">{}</code></pre>\n",
            html_escape(lang),
            html_escape(code)
        )
    }
}

/// Heading attributes other than `#id` and `.class` (`{onclick=…}`) are printed verbatim by
/// pulldown-cmark, so they are removed.
fn drop_heading_attributes(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    events
        .into_iter()
        .map(|event| match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs: Vec::new(),
            }),
            other => other,
        })
        .collect()
}

/// The URL with what HTML forbids in an `href` percent-encoded (pulldown-cmark leaves a
/// stray `%`, a second `#` and `^` as they are); untouched when already valid.
fn valid_href(url: CowStr<'_>) -> CowStr<'_> {
    let encoded = crate::escape::href(&url);
    if encoded == *url {
        url
    } else {
        CowStr::from(encoded)
    }
}

/// Markdown links and images with a dangerous URL (`javascript:`, `data:` outside images…)
/// lose their tag: a link becomes its text, an image its alt text.
fn drop_unsafe_links(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    // Whether each open link / image was kept, innermost last.
    let mut links: Vec<bool> = Vec::new();
    let mut images: Vec<bool> = Vec::new();
    for event in events {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let keep = sanitize::is_safe_url(&dest_url, false);
                links.push(keep);
                if keep {
                    let dest_url = valid_href(dest_url);
                    out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                if links.pop().unwrap_or(true) {
                    out.push(event);
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let keep = sanitize::is_safe_url(&dest_url, true);
                images.push(keep);
                if keep {
                    let dest_url = valid_href(dest_url);
                    out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Image) => {
                if images.pop().unwrap_or(true) {
                    out.push(event);
                }
            }
            other => out.push(other),
        }
    }
    out
}


/// Tags that live inside a block's text (emphasis, links, images …), as opposed to blocks.
fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Superscript | Tag::Subscript | Tag::Link { .. } | Tag::Image { .. }
    )
}

/// The end of a tag [`is_inline`] accepts.
fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Superscript | TagEnd::Subscript | TagEnd::Link | TagEnd::Image
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The distinct `id="…"` values in some HTML.
    fn ids_in(html: &str) -> HashSet<String> {
        html.split("id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(str::to_string)
            .collect()
    }

    fn render(src: &str) -> Markdown {
        render_markdown(src, &MarkdownOptions::default())
    }

    fn html(src: &str) -> String {
        render(src).html
    }

    // --- CommonMark and extensions -------------------------------------------------------

    #[test]
    fn tables_footnotes_strikethrough_tasks() {
        let out = html(concat!(
            "| 地区 | 项目 |\n|:--|--:|\n| 四川省 | 12 |\n\n",
            "~~旧政策~~新政策[^注]\n\n",
            "- [x] 已完成\n- [ ] 未完成\n\n",
            "[^注]: 註腳內容",
        ));
        assert!(
            out.contains("<th style=\"text-align: left\">地区</th>"),
            "{out}"
        );
        assert!(out.contains("<td style=\"text-align: right\">12</td>"));
        assert!(out.contains("<del>旧政策</del>"));
        assert!(out.contains("<input disabled=\"\" type=\"checkbox\" checked=\"\"/>"));
        assert!(out.contains("<a href=\"#fn-1\">1</a>"));
        assert!(out.contains("註腳內容"));
    }

    #[test]
    fn heading_ids_generated_custom_and_deduplicated() {
        let doc = render(
            "# 二、重点任务\n\n## 工作目標 {#goal}\n\n## 二、重点任务\n\n## Smart City 建設",
        );
        let ids: Vec<&str> = doc.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            ["二重点任务", "goal", "二重点任务-1", "smart-city-建設"]
        );
        assert!(
            doc.html.contains("<h1 id=\"二重点任务\">二、重点任务</h1>"),
            "{}",
            doc.html
        );
        assert!(doc.html.contains("<h2 id=\"goal\">工作目標</h2>"));
        assert_eq!(doc.headings[1].text, "工作目標");
        assert_eq!(doc.headings[1].level, 2);
    }

    #[test]
    fn heading_ids_never_collide_with_footnotes() {
        let doc = render("## fn 1\n\n正文[^a]\n\n[^a]: 注");
        assert_eq!(doc.headings[0].id, "fn-1-1");
        assert_eq!(ids_in(&doc.html).len(), 3, "{}", doc.html);
    }

    #[test]
    fn heading_attributes_cannot_add_event_handlers() {
        let out = html("## 標題 {#x onclick=alert(1) .note}");
        assert_eq!(out, "<h2 id=\"x\" class=\"note\">標題</h2>\n");
    }

    // --- Code ----------------------------------------------------------------------------

    #[test]
    fn known_language_is_highlighted() {
        let doc = render("说明：\n\n```python\nprint(\"科技厅\")\n```\n");
        assert!(doc.has_code);
        assert!(
            doc.html
                .contains("<pre class=\"hl-code\"><code class=\"language-python\">"),
            "{}",
            doc.html
        );
        assert!(doc.html.contains("class=\"hl-"));
        assert!(doc.html.contains("科技厅"));
    }

    #[test]
    fn unknown_or_missing_language_is_escaped_plain_code() {
        let doc = render("```政策语言\n<b>粗體</b> & 1\n```\n\n```\n無語言\n```\n\n    縮排 <i>\n");
        assert!(!doc.has_code);
        assert!(doc.html.contains("<pre><code class=\"language-政策语言\">&lt;b&gt;粗體&lt;/b&gt; &amp; 1\n</code></pre>"), "{}", doc.html);
        assert!(doc.html.contains("<pre><code>無語言\n</code></pre>"));
        assert!(doc
            .html
            .contains("<pre><code>縮排 &lt;i&gt;\n</code></pre>"));
    }

    #[test]
    fn language_name_is_escaped() {
        let out = html("```\"><script>x\n代码\n```\n");
        assert!(!out.contains("<script>"), "{out}");
    }

    #[test]
    fn no_code_no_flag() {
        assert!(!render("普通段落，`行内代码`不算。").has_code);
    }

    #[test]
    fn syntax_css_is_class_based() {
        let css = syntax_css();
        assert!(css.contains(".hl-"), "{css}");
    }

    // --- Chinese emphasis ----------------------------------------------------------------

    #[test]
    fn chinese_emphasis_renders() {
        assert_eq!(
            html("**通知：**正文"),
            "<p><strong>通知：</strong>正文</p>\n"
        );
        assert_eq!(
            html("**“揭榜挂帅”**机制"),
            "<p><strong>“揭榜挂帅”</strong>机制</p>\n"
        );
        assert_eq!(
            html("这是**“重点”**工作"),
            "<p>这是<strong>“重点”</strong>工作</p>\n"
        );
        assert_eq!(
            html("*《行动方案》*提出"),
            "<p><em>《行动方案》</em>提出</p>\n"
        );
        assert_eq!(
            html("**通知：**正文。**要求：**內容"),
            "<p><strong>通知：</strong>正文。<strong>要求：</strong>內容</p>\n"
        );
    }

    #[test]
    fn chinese_emphasis_leaves_code_escapes_urls_and_math_alone() {
        assert_eq!(
            html("`**通知：**正文`"),
            "<p><code>**通知：**正文</code></p>\n"
        );
        assert_eq!(html("\\*\\*通知：\\*\\*正文"), "<p>**通知：**正文</p>\n");
        assert_eq!(html("2*3*4"), "<p>2<em>3</em>4</p>\n");
        assert_eq!(html("2 * 3 * 4"), "<p>2 * 3 * 4</p>\n");
        let url = html("[文件](https://example.com/**通知：**正文)");
        assert!(
            url.contains(
                "href=\"https://example.com/**%E9%80%9A%E7%9F%A5%EF%BC%9A**%E6%AD%A3%E6%96%87\""
            ) || url.contains("href=\"https://example.com/**通知：**正文\""),
            "{url}"
        );
        assert!(!url.contains("<strong>"));
    }

    #[test]
    fn chinese_emphasis_in_plain_text_and_headings() {
        let doc = render("## **通知：**正文\n\n**要求：**落實");
        assert_eq!(doc.plain, "通知：正文\n要求：落實");
        assert_eq!(doc.headings[0].text, "通知：正文");
    }

    // --- Raw HTML and URLs ---------------------------------------------------------------

    #[test]
    fn raw_html_is_sanitised_by_default() {
        let out = html(concat!(
            "<script>alert('x')</script>\n\n",
            "<div onclick=\"steal()\">通知<iframe src=\"https://evil.example\"></iframe></div>\n\n",
            "<style>p{color:red}</style>\n\n",
            "段落<img src=x onerror=alert(1)>與<a href=\"javascript:alert(1)\">連結</a>",
            "<object data=\"x\"></object>",
        ));
        for banned in [
            "<script",
            "alert",
            "onclick",
            "<iframe",
            "<style",
            "color:red",
            "onerror",
            "javascript:",
            "<object",
        ] {
            assert!(!out.contains(banned), "{banned} in {out}");
        }
        assert!(out.contains("通知") && out.contains("連結"), "{out}");
    }

    #[test]
    fn safe_pasted_html_stays() {
        let out = html("第一行<br>第二行，面積10<sup>2</sup>平方米，<span>重點</span>。\n\n<table><tr><td>地區</td></tr></table>");
        for kept in [
            "<br>",
            "<sup>2</sup>",
            "<span>重點</span>",
            "<table>",
            "<td>地區</td>",
        ] {
            assert!(out.contains(kept), "{kept} missing in {out}");
        }
    }

    #[test]
    fn our_markup_survives_sanitising() {
        let out = html(concat!(
            "<span>觸發清理</span>\n\n",
            "## 工作目標\n\n",
            "| 甲 | 乙 |\n|:-:|--:|\n| 1 | 2 |\n\n",
            "- [x] 完成\n\n",
            "正文[^1]\n\n[^1]: 註腳\n\n",
            "```rust\nlet a = 1;\n```\n",
        ));
        for kept in [
            "<h2 id=\"工作目標\">",
            "style=\"text-align:center\"",
            "type=\"checkbox\"",
            "checked",
            "id=\"fnref-1\"",
            "href=\"#fn-1\"",
            "id=\"fn-1\"",
            "class=\"footnote-definition\"",
            "class=\"hl-code\"",
            "class=\"language-rust\"",
            "<span class=\"hl-",
        ] {
            assert!(out.contains(kept), "{kept} missing in {out}");
        }
    }

    #[test]
    fn link_urls_get_what_html_forbids_percent_encoded() {
        let out = html("[通知](https://kjt.sc.gov.cn/a%zz.html#第一條#注) ![圖](<圖片/會商 現場.jpg>) [舊站](/新闻/?q=^)");
        // pulldown-cmark percent-encodes non-ASCII itself; the stray `%`, the second `#`
        // and `^` are ours.
        assert!(out.contains("href=\"https://kjt.sc.gov.cn/a%25zz.html#%E7%AC%AC%E4%B8%80%E6%A2%9D%23%E6%B3%A8\""), "{out}");
        assert!(
            out.contains("src=\"%E5%9C%96%E7%89%87/%E6%9C%83%E5%95%86%20%E7%8F%BE%E5%A0%B4.jpg\""),
            "{out}"
        );
        assert!(out.contains("href=\"/%E6%96%B0%E9%97%BB/?q=%5E\""), "{out}");
    }

    #[test]
    fn markdown_links_and_images_with_bad_urls_lose_their_tag() {
        let out = html(concat!(
            "[點我](javascript:alert(1)) [b](JaVaScRiPt:x) [c](&#106;avascript:x) ",
            "[d](vbscript:x) [e](data:text/html,x) <javascript:alert(1)> ",
            "![圖](javascript:alert(1)) ![好圖](data:image/png;base64,AAAA) [正常](/新闻/)",
        ));
        for banned in ["javascript:", "JaVaScRiPt", "vbscript:", "data:text"] {
            assert!(!out.contains(&format!("=\"{banned}")), "{banned} in {out}");
            assert!(
                !out.to_lowercase()
                    .contains(&format!("href=\"{}", banned.to_lowercase())),
                "{out}"
            );
        }
        assert!(out.contains("點我"));
        assert!(
            out.contains("<img src=\"data:image/png;base64,AAAA\" alt=\"好圖\" />"),
            "{out}"
        );
        assert!(
            out.contains("<a href=\"/%E6%96%B0%E9%97%BB/\">正常</a>")
                || out.contains("<a href=\"/新闻/\">正常</a>"),
            "{out}"
        );
        assert!(!out.contains("<img src=\"javascript"));
    }

    #[test]
    fn raw_html_passes_when_allowed() {
        let src = "<div onclick=\"x()\">原樣<script>s()</script></div>\n\n段落";
        let out = render_markdown(
            src,
            &MarkdownOptions {
                allow_raw_html: true,
            },
        )
        .html;
        assert!(
            out.contains("<div onclick=\"x()\">原樣<script>s()</script></div>"),
            "{out}"
        );
    }

    // --- Plain text ----------------------------------------------------------------------

    #[test]
    fn plain_text_lines() {
        let doc = render(concat!(
            "# 标题\n\n段落一**加粗**。\n\n> 引用\n\n- 項目一\n- 項目二\n\n",
            "| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n\n```rust\nlet 代码 = 1;\n```\n\n",
            "<div>原始<b>HTML</b></div>\n\n![圖片說明](a.png)\n\n正文[^1]\n\n[^1]: 註腳不要",
        ));
        assert_eq!(
            doc.plain,
            "标题\n段落一加粗。\n引用\n項目一\n項目二\n甲 乙\n1 2\n原始HTML\n正文"
        );
    }

    // --- Robustness ----------------------------------------------------------------------

    #[test]
    fn deeply_nested_quotes_and_lists_do_not_panic() {
        let quotes = format!("{}**通知：**正文", ">".repeat(10_000));
        let doc = render(&quotes);
        assert!(doc.plain.contains("通知：正文"));
        assert!(doc.html.contains("<strong>通知：</strong>正文"));
        // With raw HTML, ammonia parses the nesting too (slow in debug builds: keep it smaller).
        let quotes = format!("{}**通知：**正文 <b>x</b>", ">".repeat(2_000));
        assert!(render(&quotes).html.contains("<b>x</b>"));
        let lists: String = (0..2_000)
            .map(|i| format!("{}- 第{i}项\n", "  ".repeat(i)))
            .collect();
        let doc = render(&lists);
        assert!(doc.plain.starts_with("第0项"));
        let stars = format!("{}通知：{}正文", "*".repeat(5_000), "*".repeat(5_000));
        render(&stars);
    }

    /// A small deterministic generator, so the junk test needs no extra crate.
    struct Junk(u64);

    impl Junk {
        fn next(&mut self) -> u64 {
            // xorshift64
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn document(&mut self) -> String {
            const PIECES: &[&str] = &[
                "*",
                "**",
                "***",
                "_",
                "`",
                "```",
                "\n",
                "\n\n",
                " ",
                "\\",
                "<",
                ">",
                "[",
                "]",
                "(",
                ")",
                "!",
                "#",
                "|",
                "-",
                ":",
                "^",
                "~",
                "{#",
                "}",
                "&#42;",
                "&",
                "https://",
                "通知",
                "：",
                "“",
                "”",
                "《",
                "》",
                "臺灣",
                "，",
                "。",
                "<b>",
                "</b>",
                "<script>",
                "javascript:",
                "[^1]",
                "[^1]: ",
                "- [x] ",
                "1. ",
                "    ",
                "\t",
                "\r\n",
                "é",
                "\u{0}",
                "🎉",
                "ｱ",
            ];
            let len = (self.next() % 60) as usize;
            (0..len)
                .map(|_| {
                    PIECES
                        .get((self.next() % PIECES.len() as u64) as usize)
                        .copied()
                        .unwrap_or("")
                })
                .collect()
        }
    }

    #[test]
    fn junk_input_never_panics_and_is_deterministic() {
        let mut junk = Junk(0x9E37_79B9_7F4A_7C15);
        for _ in 0..1_500 {
            let src = junk.document();
            let first = render(&src);
            assert_eq!(first, render(&src), "not deterministic for {src:?}");
            assert!(!first.html.contains("<script"), "{src:?} -> {}", first.html);
        }
    }

    #[test]
    fn emphasis_tags_always_balance() {
        let mut junk = Junk(42);
        for _ in 0..1_500 {
            let src = junk.document();
            let out = html(&src);
            for tag in ["strong", "em"] {
                let opens = out.matches(&format!("<{tag}>")).count();
                let closes = out.matches(&format!("</{tag}>")).count();
                assert_eq!(opens, closes, "<{tag}> unbalanced for {src:?}: {out}");
            }
        }
    }

    #[test]
    fn usable_from_many_threads() {
        fn assert_sync<T: Sync + Send>() {}
        assert_sync::<Markdown>();
        let handles: Vec<_> = (0..4)
            .map(|i| {
                std::thread::spawn(move || {
                    render(&format!(
                        "**通知{i}：**正文\n\n```rust\nlet x = {i};\n```\n"
                    ))
                })
            })
            .collect();
        for handle in handles {
            let doc = handle.join().expect("no panic");
            assert!(doc.has_code && doc.html.contains("<strong>"));
        }
    }
}
