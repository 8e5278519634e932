//! Emphasis next to Chinese text by the CJK-friendly emphasis specification
//! (tats-u/markdown-cjk-friendly), so that `**通知：**正文` or `这是**“重点”**工作` become
//! `<strong>`, where plain CommonMark prints the asterisks.
//!
//! TO BE DELETED: pulldown-cmark merged this specification as a parser option (PR #1059) but
//! has not published it (0.13.6 lacks it). When a release has it, enable the option in
//! `parser_options()` and delete this module (the tests in tests/markdown.rs stay).
//!
//! The specification only changes which delimiter runs (`*`, `_`, `~`) can open or
//! close emphasis; the pairing is CommonMark's. So this pass decides per delimiter run: a
//! run whose neighbours are not CJK is never touched. For a run next to CJK text whose
//! open/close abilities differ under the amended rules, it inserts one invisible sentinel
//! character beside the run, chosen so that pulldown-cmark's own CommonMark rules give the
//! amended answer, parses the document again and removes the sentinels from the text. All
//! pairing, nesting, links and the rule of three stay pulldown-cmark's. For `~~`, which
//! pulldown-cmark opens before anything but whitespace, only closing follows the amended
//! right-flanking rule.

mod punctuation_table;
mod unicode;

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag};

use unicode::{is_cjk, is_ideographic_variation_selector, is_punctuation, is_text_variation_selector, After, Before};

/// How pulldown-cmark sees a neighbour of a delimiter run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Whitespace,
    Punctuation,
    Other,
}

impl Class {
    fn of(c: Option<char>) -> Class {
        match c {
            None => Class::Whitespace,
            Some(c) if c.is_whitespace() => Class::Whitespace,
            Some(c) if is_punctuation(c) => Class::Punctuation,
            Some(_) => Class::Other,
        }
    }

    /// The sentinel that makes pulldown-cmark see this class. Private-use U+E000 is neither
    /// whitespace nor punctuation; U+2E19 (a rare punctuation mark) and U+2000 (en quad) are.
    fn sentinel(self) -> char {
        match self {
            Class::Whitespace => '\u{2000}',
            Class::Punctuation => '\u{2E19}',
            Class::Other => '\u{E000}',
        }
    }
}

/// One maximal run of a delimiter character in the prose of the source.
struct Run {
    delimiter: u8,
    range: Range<usize>,
    /// The run starts or ends its line (pulldown-cmark then counts the outside as whitespace).
    at_line_start: bool,
    at_line_end: bool,
}

/// Where prose is in the source, from the first parse.
#[derive(Default)]
struct Prose {
    /// Source ranges whose delimiters pulldown-cmark read as emphasis delimiters (text
    /// printed verbatim, and the delimiters of its own emphasis tags).
    ranges: Vec<Range<usize>>,
    /// Where the inline content of a line (paragraph, heading, table cell…) starts / ends.
    line_starts: Vec<usize>,
    line_ends: Vec<usize>,
}

/// Returns the events with emphasis decided by the CJK-friendly rules.
/// `events` must come from `into_offset_iter()` over `src` with `options`.
pub(super) fn pair_cjk_emphasis<'a>(
    src: &'a str,
    events: Vec<(Event<'a>, Range<usize>)>,
    options: pulldown_cmark::Options,
) -> Vec<Event<'a>> {
    // Pure ASCII has no CJK neighbours; most documents have no delimiters at all.
    if src.is_ascii() || !src.bytes().any(|b| matches!(b, b'*' | b'_' | b'~')) {
        return events.into_iter().map(|(event, _)| event).collect();
    }
    let prose = find_prose(src, &events);
    let mut inserts: Vec<(usize, char)> = Vec::new();
    for run in find_runs(src, &prose) {
        inserts.extend(sentinels_for(src, &run));
    }
    if inserts.is_empty() {
        return events.into_iter().map(|(event, _)| event).collect();
    }
    reparse_with_sentinels(src, inserts, options)
}

/// Walks the first parse and records the prose ranges and where lines start and end.
fn find_prose(src: &str, events: &[(Event<'_>, Range<usize>)]) -> Prose {
    let mut prose = Prose::default();
    // For each open tag: whether its content is not prose (code, autolinks, link labels).
    let mut skips: Vec<bool> = Vec::new();
    let mut skipping = 0usize;
    let mut line_open = false;
    let mut last_end: Option<usize> = None;
    for (event, range) in events {
        match event {
            Event::Start(tag) => {
                let inline = super::is_inline(tag);
                if inline {
                    inline_at(&mut prose, &mut line_open, range.start);
                    if skipping == 0 {
                        prose.ranges.extend(delimiter_ranges(src, tag, range));
                    }
                } else {
                    close_line(&mut prose, &mut line_open, &mut last_end);
                }
                let skip = is_not_prose(tag);
                skipping += usize::from(skip);
                skips.push(skip);
            }
            Event::End(end) => {
                if skips.pop().unwrap_or(false) {
                    skipping = skipping.saturating_sub(1);
                }
                if super::is_inline_end(end) {
                    last_end = Some(range.end);
                } else {
                    close_line(&mut prose, &mut line_open, &mut last_end);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                close_line(&mut prose, &mut line_open, &mut last_end);
            }
            Event::Rule | Event::Html(_) => {
                close_line(&mut prose, &mut line_open, &mut last_end);
            }
            Event::Text(text) => {
                inline_at(&mut prose, &mut line_open, range.start);
                last_end = Some(range.end);
                if skipping == 0 && src.get(range.clone()) == Some(text.as_ref()) {
                    prose.ranges.push(range.clone());
                }
            }
            _ => {
                inline_at(&mut prose, &mut line_open, range.start);
                last_end = Some(range.end);
            }
        }
    }
    prose.ranges.sort_by_key(|r| r.start);
    prose.ranges = merge_touching(std::mem::take(&mut prose.ranges));
    prose.line_starts.sort_unstable();
    prose.line_ends.sort_unstable();
    prose
}

/// An inline event at `start`: the first of its line starts the line.
fn inline_at(prose: &mut Prose, line_open: &mut bool, start: usize) {
    if !*line_open {
        prose.line_starts.push(start);
        *line_open = true;
    }
}

fn close_line(prose: &mut Prose, line_open: &mut bool, last_end: &mut Option<usize>) {
    if let Some(end) = last_end.take() {
        prose.line_ends.push(end);
    }
    *line_open = false;
}

/// The source ranges of the delimiters of an emphasis tag pulldown-cmark made.
fn delimiter_ranges(src: &str, tag: &Tag<'_>, range: &Range<usize>) -> Vec<Range<usize>> {
    let width = match tag {
        Tag::Emphasis => 1,
        Tag::Strong => 2,
        Tag::Strikethrough => {
            if src.get(range.start..range.start + 2) == Some("~~") {
                2
            } else {
                1
            }
        }
        _ => return Vec::new(),
    };
    if range.end < range.start + 2 * width {
        return Vec::new();
    }
    vec![range.start..range.start + width, range.end - width..range.end]
}

/// Containers whose text pulldown-cmark does not parse as emphasis, or whose text must not
/// change (a shortcut or collapsed reference link finds its definition by its text).
fn is_not_prose(tag: &Tag<'_>) -> bool {
    match tag {
        Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_) => true,
        Tag::Link { link_type, .. } | Tag::Image { link_type, .. } => matches!(
            link_type,
            LinkType::Autolink
                | LinkType::Email
                | LinkType::Shortcut
                | LinkType::ShortcutUnknown
                | LinkType::Collapsed
                | LinkType::CollapsedUnknown
        ),
        _ => false,
    }
}

/// Sorted ranges into disjoint ones, joining those that touch.
fn merge_touching(ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// The delimiter runs (`*`, `_`, `~`, `~~`) inside prose.
fn find_runs(src: &str, prose: &Prose) -> Vec<Run> {
    let bytes = src.as_bytes();
    let mut runs = Vec::new();
    for range in &prose.ranges {
        let mut i = range.start;
        while i < range.end {
            let Some(&b) = bytes.get(i) else { break };
            if !matches!(b, b'*' | b'_' | b'~') {
                i += 1;
                continue;
            }
            let start = i;
            while i < range.end && bytes.get(i) == Some(&b) {
                i += 1;
            }
            // Runs of three or more `~` never delimit; a run that continues outside the
            // prose is not pulldown-cmark's run.
            let tildes_ok = b != b'~' || i - start <= 2;
            let maximal = bytes.get(i) != Some(&b) && (start == 0 || bytes.get(start - 1) != Some(&b));
            if tildes_ok && maximal {
                runs.push(Run {
                    delimiter: b,
                    range: start..i,
                    at_line_start: prose.line_starts.binary_search(&start).is_ok(),
                    at_line_end: prose.line_ends.binary_search(&i).is_ok(),
                });
            }
        }
    }
    runs
}

/// The sentinels (position, character) that give `run` its CJK-friendly abilities, or
/// none when it has no CJK neighbour or already has them.
fn sentinels_for(src: &str, run: &Run) -> Vec<(usize, char)> {
    let (last, second_last) = if run.at_line_start {
        (None, None)
    } else {
        let mut before = src.get(..run.range.start).unwrap_or("").chars().rev();
        (before.next(), before.next())
    };
    let next = if run.at_line_end {
        None
    } else {
        src.get(run.range.end..).and_then(|rest| rest.chars().next())
    };
    let cjk_neighbour = last.is_some_and(|c| is_cjk(c) || is_text_variation_selector(c) || is_ideographic_variation_selector(c))
        || next.is_some_and(is_cjk);
    if !cjk_neighbour {
        return Vec::new();
    }
    let kind = Kind::of(run);
    let wanted = cjk_friendly_abilities(kind, Before::classify(last, second_last), After::classify(next));
    let (prev_class, next_class) = (Class::of(last), Class::of(next));
    if pulldown_abilities(kind, prev_class, next_class) == wanted {
        return Vec::new();
    }
    // A side can take a sentinel unless it is a line edge (that could change the block
    // structure) or another delimiter (whose own neighbours would change).
    let is_delimiter = |c: Option<char>| matches!(c, Some('*' | '_' | '~'));
    let prev_options: &[Option<Class>] = if last.is_none() || is_delimiter(last) {
        &[None]
    } else {
        &[None, Some(Class::Punctuation), Some(Class::Other), Some(Class::Whitespace)]
    };
    let next_options: &[Option<Class>] = if next.is_none() || is_delimiter(next) {
        &[None]
    } else {
        &[None, Some(Class::Punctuation), Some(Class::Other), Some(Class::Whitespace)]
    };
    let mut best: Option<(usize, Option<Class>, Option<Class>)> = None;
    for &p in prev_options {
        for &n in next_options {
            let abilities = pulldown_abilities(kind, p.unwrap_or(prev_class), n.unwrap_or(next_class));
            let cost = usize::from(p.is_some()) + usize::from(n.is_some());
            if abilities == wanted && best.is_none_or(|(c, _, _)| cost < c) {
                best = Some((cost, p, n));
            }
        }
    }
    let Some((_, p, n)) = best else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(p) = p {
        out.push((run.range.start, p.sentinel()));
    }
    if let Some(n) = n {
        out.push((run.range.end, n.sentinel()));
    }
    out
}

/// The delimiter kinds whose rules differ.
#[derive(Clone, Copy)]
enum Kind {
    /// `*` runs: may be intraword.
    Star,
    /// `_` runs and a single `~`: may not be intraword.
    Underscore,
    /// `~~`: pulldown-cmark opens it before anything but whitespace.
    DoubleTilde,
}

impl Kind {
    fn of(run: &Run) -> Kind {
        match run.delimiter {
            b'*' => Kind::Star,
            b'~' if run.range.len() == 2 => Kind::DoubleTilde,
            _ => Kind::Underscore,
        }
    }
}

/// (can open, can close) under the CJK-friendly specification, §6.2. For `~~` only the
/// closing side follows the amended right-flanking rule; opening stays pulldown-cmark's.
fn cjk_friendly_abilities(kind: Kind, before: Before, after: After) -> (bool, bool) {
    let left = !after.whitespace
        && (!after.non_cjk_punctuation
            || before.whitespace
            || before.non_cjk_punctuation
            || before.cjk
            || before.ideographic_selector);
    let right = !before.whitespace
        && (!before.non_cjk_punctuation || after.whitespace || after.non_cjk_punctuation || after.cjk);
    match kind {
        Kind::Star => (left, right),
        Kind::Underscore => (left && (!right || before.punctuation), right && (!left || after.punctuation)),
        Kind::DoubleTilde => (!after.whitespace, right),
    }
}

/// (can open, can close) as pulldown-cmark computes them from the two neighbours.
fn pulldown_abilities(kind: Kind, before: Class, after: Class) -> (bool, bool) {
    let left = after != Class::Whitespace
        && (after != Class::Punctuation || before == Class::Whitespace || before == Class::Punctuation);
    let right = before != Class::Whitespace
        && (before != Class::Punctuation || after == Class::Whitespace || after == Class::Punctuation);
    match kind {
        Kind::Star => (left, right),
        Kind::Underscore => (
            left && (!right || before == Class::Punctuation),
            right && (!left || after == Class::Punctuation),
        ),
        Kind::DoubleTilde => (after != Class::Whitespace, right),
    }
}

/// Parses `src` again with the sentinels inserted and returns its events without them.
fn reparse_with_sentinels<'a>(
    src: &str,
    mut inserts: Vec<(usize, char)>,
    options: pulldown_cmark::Options,
) -> Vec<Event<'a>> {
    inserts.sort_by_key(|&(pos, _)| pos);
    let mut marked = String::with_capacity(src.len() + inserts.len() * 3);
    // Where each sentinel is in `marked`.
    let mut placed: Vec<usize> = Vec::with_capacity(inserts.len());
    let mut from = 0;
    for (pos, sentinel) in inserts {
        marked.push_str(src.get(from..pos).unwrap_or(""));
        placed.push(marked.len());
        marked.push(sentinel);
        from = pos;
    }
    marked.push_str(src.get(from..).unwrap_or(""));

    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(&marked, options).into_offset_iter() {
        match event {
            Event::Text(text) => {
                let clean = remove_sentinels(&marked, &placed, &text, &range);
                if !clean.is_empty() {
                    out.push(Event::Text(CowStr::from(clean)));
                }
            }
            other => out.push(other.into_static()),
        }
    }
    out
}

/// The text of one event without the sentinels placed in it.
fn remove_sentinels(marked: &str, placed: &[usize], text: &str, range: &Range<usize>) -> String {
    let first = placed.partition_point(|&p| p < range.start);
    let mine: Vec<usize> = placed
        .get(first..)
        .unwrap_or(&[])
        .iter()
        .copied()
        .take_while(|&p| p < range.end)
        .collect();
    if mine.is_empty() {
        return text.to_string();
    }
    if marked.get(range.clone()) == Some(text) {
        let mut clean = String::with_capacity(text.len());
        let mut from = range.start;
        for p in mine {
            clean.push_str(marked.get(from..p).unwrap_or(""));
            from = p + marked.get(p..).and_then(|s| s.chars().next()).map_or(1, char::len_utf8);
        }
        clean.push_str(marked.get(from..range.end).unwrap_or(""));
        clean
    } else {
        // Text pulldown-cmark rewrote: drop every sentinel character in it.
        text.chars()
            .filter(|&c| !matches!(c, '\u{2000}' | '\u{2E19}' | '\u{E000}'))
            .collect()
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{html, Options, Parser};

    fn render(src: &str) -> String {
        let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
        let events = Parser::new_ext(src, options).into_offset_iter().collect();
        let mut out = String::new();
        html::push_html(&mut out, pair_cjk_emphasis(src, events, options).into_iter());
        out
    }

    fn render_plain_commonmark(src: &str) -> String {
        let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
        let mut out = String::new();
        html::push_html(&mut out, Parser::new_ext(src, options));
        out
    }

    #[test]
    fn commonmark_alone_fails_on_these() {
        // Guards the premise: if pulldown-cmark ever fixes this, the pass must stay a no-op.
        assert!(render_plain_commonmark("**通知：**正文").contains("**"));
    }

    #[test]
    fn strong_after_fullwidth_colon() {
        assert_eq!(
            render("**通知：**正文"),
            "<p><strong>通知：</strong>正文</p>\n"
        );
        assert_eq!(
            render("**通知：**正文，請查收"),
            "<p><strong>通知：</strong>正文，請查收</p>\n"
        );
    }

    #[test]
    fn strong_around_quotes() {
        assert_eq!(
            render("**“揭榜挂帅”**机制"),
            "<p><strong>“揭榜挂帅”</strong>机制</p>\n"
        );
        assert_eq!(
            render("这是**“重点”**工作"),
            "<p>这是<strong>“重点”</strong>工作</p>\n"
        );
        assert_eq!(
            render("這是**「重點」**工作"),
            "<p>這是<strong>「重點」</strong>工作</p>\n"
        );
    }

    #[test]
    fn emphasis_around_book_title_marks() {
        assert_eq!(
            render("*《行动方案》*提出"),
            "<p><em>《行动方案》</em>提出</p>\n"
        );
        assert_eq!(
            render("依據*《行動方案》*提出"),
            "<p>依據<em>《行動方案》</em>提出</p>\n"
        );
    }

    #[test]
    fn several_pairs_and_brackets_in_one_paragraph() {
        assert_eq!(
            render("**（一）**总体要求。**（二）**工作目标。"),
            "<p><strong>（一）</strong>总体要求。<strong>（二）</strong>工作目标。</p>\n"
        );
    }

    #[test]
    fn works_in_headings_lists_tables_and_inside_links() {
        assert_eq!(
            render("## **通知：**正文"),
            "<h2><strong>通知：</strong>正文</h2>\n"
        );
        assert_eq!(
            render("- **要求：**落實"),
            "<ul>\n<li><strong>要求：</strong>落實</li>\n</ul>\n"
        );
        let table = render("| 項目 |\n| --- |\n| **說明：**內容 |");
        assert!(
            table.contains("<td><strong>說明：</strong>內容</td>"),
            "{table}"
        );
        assert_eq!(
            render("[**通知：**详见](https://kjt.sc.gov.cn/)"),
            "<p><a href=\"https://kjt.sc.gov.cn/\"><strong>通知：</strong>详见</a></p>\n"
        );
    }

    #[test]
    fn mixes_with_emphasis_commonmark_already_found() {
        assert_eq!(
            render("**通知：**请*务必*按时提交"),
            "<p><strong>通知：</strong>请<em>务必</em>按时提交</p>\n"
        );
    }

    #[test]
    fn does_not_touch_code_spans_and_blocks() {
        assert_eq!(
            render("`**通知：**正文`"),
            "<p><code>**通知：**正文</code></p>\n"
        );
        let block = render("```\n**通知：**正文\n```\n");
        assert_eq!(block, "<pre><code>**通知：**正文\n</code></pre>\n");
        assert_eq!(
            render("    **通知：**正文\n"),
            "<pre><code>**通知：**正文\n</code></pre>\n"
        );
    }

    #[test]
    fn does_not_touch_escaped_asterisks() {
        assert_eq!(render("\\*\\*通知：\\*\\*正文"), "<p>**通知：**正文</p>\n");
        assert_eq!(
            render("\\**通知：**正文"),
            render_plain_commonmark("\\**通知：**正文")
        );
        assert!(!render("\\**通知：**正文").contains("<strong>"));
        assert_eq!(
            render("&#42;&#42;通知：&#42;&#42;正文"),
            "<p>**通知：**正文</p>\n"
        );
    }

    #[test]
    fn does_not_touch_urls() {
        let src = "见<https://example.com/**通知：**正文> 和 `https://example.com/*《方案》*提出`";
        assert_eq!(render(src), render_plain_commonmark(src));
        let link = "[链接](https://example.com/**通知：**正文)";
        assert_eq!(render(link), render_plain_commonmark(link));
        assert_eq!(
            render("**通知：**[链接](http://a.cn)**正文：**内容"),
            "<p><strong>通知：</strong><a href=\"http://a.cn\">链接</a><strong>正文：</strong>内容</p>\n"
        );
    }

    #[test]
    fn math_and_latin_behave_exactly_as_commonmark() {
        for src in [
            "2*3*4",
            "面积 2 * 3 * 4 平方米",
            "5*6=30，7*8=56",
            "**foo.**bar",
            "*foo bar *",
            "a * b * c",
            "**a*",
            "*a **b* c**",
            "***strong emph***",
            "foo**bar**baz",
            "**Note.**Text and *(paren)*x",
            "__通知：__正文",
        ] {
            assert_eq!(render(src), render_plain_commonmark(src), "{src}");
        }
    }

    #[test]
    fn random_latin_text_is_exactly_commonmark() {
        const PIECES: &[&str] = &[
            "*",
            "**",
            "***",
            "_",
            "__",
            "a",
            "foo",
            " ",
            ".",
            ",",
            "(",
            ")",
            "\"",
            "\\",
            "`",
            "\n",
            "[",
            "](u)",
            "2",
            "é",
            "<",
            "https://x.org/",
            "~~",
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..3_000 {
            let len = (next() % 24) as usize;
            let src: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            assert_eq!(render(&src), render_plain_commonmark(&src), "{src:?}");
        }
    }

    #[test]
    fn unmatched_asterisks_stay_literal() {
        assert_eq!(render("**通知：正文"), "<p>**通知：正文</p>\n");
        assert_eq!(render("注：*号表示必填"), "<p>注：*号表示必填</p>\n");
    }

    #[test]
    fn leftover_asterisks_keep_their_place() {
        assert_eq!(
            render("***通知：**正文"),
            "<p>*<strong>通知：</strong>正文</p>\n"
        );
    }

    #[test]
    fn no_pair_across_paragraphs_or_blocks() {
        assert_eq!(
            render("**通知：\n\n**正文"),
            "<p>**通知：</p>\n<p>**正文</p>\n"
        );
    }

    #[test]
    fn pairs_across_a_soft_break() {
        assert_eq!(
            render("**通知：\n全文**如下"),
            "<p><strong>通知：\n全文</strong>如下</p>\n"
        );
    }
}
