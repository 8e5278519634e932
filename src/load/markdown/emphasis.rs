//! Emphasis next to Chinese punctuation: re-pairs `*`/`**` with the CJK-friendly flanking
//! rules, so that `**通知：**正文` or `这是**“重点”**工作` become `<strong>`.
//!
//! CommonMark decides whether a `*` run can open or close emphasis from its neighbours; a run
//! with full-width punctuation inside and a Chinese character outside qualifies as neither,
//! so pulldown-cmark prints the asterisks, and may pair the remaining runs wrongly. This pass
//! runs on the event stream after parsing. For each inline segment (the direct children of
//! one inline container, up to a nested block) it gathers every `*` delimiter: literal `*`
//! left in text (unescaped in the source, not in a code span, autolink or bare URL) and the
//! `*` that produced pulldown-cmark's own Emphasis/Strong tags. Only if some run there is
//! classified differently by the CJK rule does it redo CommonMark's delimiter matching with
//! that rule and rewrite the segment; every other segment (all Latin text) keeps exactly
//! what pulldown-cmark produced.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

/// One `*` delimiter character: literal text, or part of a parsed Emphasis/Strong tag.
#[derive(Clone, Copy)]
struct Star {
    /// Index of the event that holds it (a Text event, or a Start/End of `*` emphasis).
    event: usize,
    /// Byte offset of the `*` inside a Text event, or its place within a tag's delimiter.
    byte: usize,
    /// Byte offset in the Markdown source.
    pos: usize,
}

/// Source-adjacent asterisks that act as one delimiter run.
struct Run {
    stars: Vec<Star>,
    /// Asterisks not yet used by a pair.
    remaining: usize,
    can_open: bool,
    can_close: bool,
    /// Whether the CJK rule changed what this run can do.
    cjk_dependent: bool,
    /// Asterisks used (from the left) to close earlier openers.
    used_closing: usize,
    /// Asterisks used (from the right) to open later closers.
    used_opening: usize,
    /// End tags to print before the leftover asterisks, innermost first.
    closing_tags: Vec<Kind>,
    /// Start tags to print after the leftover asterisks, outermost first.
    opening_tags: Vec<Kind>,
}

#[derive(Clone, Copy)]
enum Kind {
    Emphasis,
    Strong,
}

/// What to print in place of one `*`.
struct StarEdit {
    before: Vec<Event<'static>>,
    keep: bool,
    after: Vec<Event<'static>>,
}

/// One inline container (or block) being scanned.
struct Frame {
    /// Text here is not prose (code, autolinks, image alt text).
    skip: bool,
    /// A `*` Emphasis/Strong tag: its children belong to the enclosing segment, and its own
    /// delimiters join that segment's stars.
    transparent: Option<Delimiter>,
    /// The delimiter stars among the direct children since the last block-level child.
    stars: Vec<Star>,
}

/// Where a parsed `*` emphasis tag's delimiters are: its Start event and source range.
#[derive(Clone)]
struct Delimiter {
    start_event: usize,
    width: usize,
    range: Range<usize>,
}

/// Planned rewrite: per-star edits and the tag events they replace.
#[derive(Default)]
struct Plan {
    edits: BTreeMap<(usize, usize), StarEdit>,
    replaced_tags: HashSet<usize>,
}

/// Returns the events with emphasis re-paired under the CJK-friendly rules.
/// `events` must come from `into_offset_iter()` over `src`.
pub(super) fn pair_cjk_emphasis<'a>(
    src: &str,
    events: Vec<(Event<'a>, Range<usize>)>,
) -> Vec<Event<'a>> {
    if !src.contains('*') {
        return events.into_iter().map(|(event, _)| event).collect();
    }
    let plan = plan_edits(src, &events);
    if plan.edits.is_empty() {
        return events.into_iter().map(|(event, _)| event).collect();
    }
    apply_edits(events, plan)
}

/// Walks the events with a stack of containers and re-pairs each segment's runs.
fn plan_edits(src: &str, events: &[(Event<'_>, Range<usize>)]) -> Plan {
    let mut plan = Plan::default();
    let url_spans = bare_url_spans(src, events);
    let mut stack = vec![Frame {
        skip: false,
        transparent: None,
        stars: Vec::new(),
    }];
    for (index, (event, range)) in events.iter().enumerate() {
        match event {
            Event::Start(tag) => open_container(src, index, tag, range, &mut stack, &mut plan),
            Event::End(_) => close_container(src, index, &mut stack, &mut plan),
            Event::Html(_) => {
                if let Some(frame) = segment_frame(&mut stack) {
                    pair_segment(src, std::mem::take(&mut frame.stars), &mut plan);
                }
            }
            Event::Text(text) => {
                if let Some(frame) = segment_frame(&mut stack).filter(|frame| !frame.skip) {
                    collect_literal_stars(src, &url_spans, index, text, range, &mut frame.stars);
                }
            }
            _ => {}
        }
    }
    while let Some(frame) = stack.pop() {
        pair_segment(src, frame.stars, &mut plan);
    }
    plan
}

/// The nearest frame that collects stars (transparent frames forward to their parent).
fn segment_frame(stack: &mut [Frame]) -> Option<&mut Frame> {
    stack
        .iter_mut()
        .rev()
        .find(|frame| frame.transparent.is_none())
}

fn open_container(
    src: &str,
    index: usize,
    tag: &Tag<'_>,
    range: &Range<usize>,
    stack: &mut Vec<Frame>,
    plan: &mut Plan,
) {
    let parent_skips = stack.last().is_some_and(|frame| frame.skip);
    if is_block(tag) {
        // Emphasis never spans a nested block: close the parent's segment here.
        if let Some(frame) = segment_frame(stack) {
            pair_segment(src, std::mem::take(&mut frame.stars), plan);
        }
    }
    let transparent = if parent_skips {
        None
    } else {
        star_delimiter(src, index, tag, range)
    };
    if let (Some(delimiter), Some(frame)) = (&transparent, segment_frame(stack)) {
        for i in 0..delimiter.width {
            frame.stars.push(Star {
                event: index,
                byte: i,
                pos: delimiter.range.start + i,
            });
        }
    }
    stack.push(Frame {
        skip: parent_skips || is_not_prose(tag),
        transparent,
        stars: Vec::new(),
    });
}

fn close_container(src: &str, index: usize, stack: &mut Vec<Frame>, plan: &mut Plan) {
    if stack.len() <= 1 {
        return;
    }
    let Some(frame) = stack.pop() else {
        return;
    };
    match frame.transparent {
        Some(delimiter) => {
            if let Some(parent) = segment_frame(stack) {
                let first = delimiter.range.end.saturating_sub(delimiter.width);
                for i in 0..delimiter.width {
                    parent.stars.push(Star {
                        event: index,
                        byte: i,
                        pos: first + i,
                    });
                }
            }
            // Remember which Start this End belongs to (for the rewrite).
            plan.replaced_tags.insert(delimiter.start_event);
        }
        None => pair_segment(src, frame.stars, plan),
    }
}

/// For an Emphasis/Strong tag written with `*`, its delimiter width and source range.
fn star_delimiter(
    src: &str,
    index: usize,
    tag: &Tag<'_>,
    range: &Range<usize>,
) -> Option<Delimiter> {
    let width = match tag {
        Tag::Emphasis => 1,
        Tag::Strong => 2,
        _ => return None,
    };
    let bytes = src.as_bytes();
    let all_stars = |from: usize| (from..from + width).all(|i| bytes.get(i) == Some(&b'*'));
    let closing = range.end.checked_sub(width)?;
    (closing >= range.start + width && all_stars(range.start) && all_stars(closing)).then(|| {
        Delimiter {
            start_event: index,
            width,
            range: range.clone(),
        }
    })
}

/// Block-level tags end an inline segment.
fn is_block(tag: &Tag<'_>) -> bool {
    !super::is_inline(tag)
}

/// Containers whose text must never be reinterpreted as emphasis.
fn is_not_prose(tag: &Tag<'_>) -> bool {
    match tag {
        Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_) | Tag::Image { .. } => true,
        Tag::Link { link_type, .. } => matches!(link_type, LinkType::Autolink | LinkType::Email),
        _ => false,
    }
}

/// Records the asterisks of one Text event that are written literally (not escaped, not
/// from an entity) in the source and are not part of a bare URL.
fn collect_literal_stars(
    src: &str,
    url_spans: &[Range<usize>],
    event: usize,
    text: &str,
    range: &Range<usize>,
    stars: &mut Vec<Star>,
) {
    if !text.contains('*') || src.get(range.clone()) != Some(text) {
        // An entity (`&#42;`) or other rewritten text: not a delimiter.
        return;
    }
    for (byte, c) in text.char_indices() {
        if c != '*' {
            continue;
        }
        let pos = range.start + byte;
        // pulldown-cmark starts a new Text event at an escaped character, so `\*` shows up
        // as a `*` at the very start of an event with an odd number of backslashes before it.
        let escaped = byte == 0 && preceding_backslashes(src, pos) % 2 == 1;
        if !escaped && !inside_any(url_spans, pos) {
            stars.push(Star { event, byte, pos });
        }
    }
}

fn preceding_backslashes(src: &str, pos: usize) -> usize {
    src.get(..pos).map_or(0, |before| {
        before.bytes().rev().take_while(|&b| b == b'\\').count()
    })
}

/// Byte ranges of bare URLs written in the text (`https://example.com/a*b`,
/// `www.example.com/*`): from the scheme (or `www.`) to the next space or non-ASCII
/// character. Only URLs that start inside Text events count (not link destinations).
fn bare_url_spans(src: &str, events: &[(Event<'_>, Range<usize>)]) -> Vec<Range<usize>> {
    let mut spans: Vec<Range<usize>> = Vec::new();
    for (event, range) in events {
        if let Event::Text(text) = event {
            if src.get(range.clone()) == Some(text.as_ref()) {
                spans.extend(url_spans_in(src, range));
            }
        }
    }
    spans.sort_by_key(|span| span.start);
    merge_overlapping(spans)
}

/// The URL spans whose `://` or `www.` lies in `src[range]`.
fn url_spans_in(src: &str, range: &Range<usize>) -> Vec<Range<usize>> {
    let bytes = src.as_bytes();
    let text = src.get(range.clone()).unwrap_or("");
    let starts = text
        .match_indices("://")
        .map(|(i, _)| range.start + i)
        .map(|i| {
            let scheme_len = bytes.get(..i).map_or(0, |b| {
                b.iter()
                    .rev()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
                    .count()
            });
            i - scheme_len
        })
        .chain(text.match_indices("www.").map(|(i, _)| range.start + i));
    starts
        .map(|start| {
            let len = bytes
                .get(start..)
                .map_or(0, |b| b.iter().take_while(|c| c.is_ascii_graphic()).count());
            start..start + len
        })
        .collect()
}

/// Sorted spans into disjoint ones (a `www.` inside an `https://` URL overlaps it).
fn merge_overlapping(spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

/// Whether `pos` lies in one of the sorted, disjoint `spans`.
fn inside_any(spans: &[Range<usize>], pos: usize) -> bool {
    let candidates = spans.partition_point(|span| span.start <= pos);
    candidates
        .checked_sub(1)
        .and_then(|last| spans.get(last))
        .is_some_and(|span| span.contains(&pos))
}

/// Groups one segment's stars into runs and, if the CJK rule matters here, re-pairs them.
fn pair_segment(src: &str, stars: Vec<Star>, plan: &mut Plan) {
    if stars.len() < 2 {
        return;
    }
    let mut runs = group_into_runs(src, stars);
    if !runs.iter().any(|run| run.cjk_dependent) {
        // Nothing next to Chinese text: pulldown-cmark's pairing stands as it is.
        return;
    }
    match_delimiters(&mut runs);
    for run in runs {
        record_edits(run, &mut plan.edits);
    }
}

fn group_into_runs(src: &str, mut stars: Vec<Star>) -> Vec<Run> {
    // Tag delimiters are collected at their Start/End events, so restore source order.
    stars.sort_by_key(|star| star.pos);
    let mut groups: Vec<Vec<Star>> = Vec::new();
    for star in stars {
        match groups.last_mut() {
            Some(group) if group.last().is_some_and(|last| last.pos + 1 == star.pos) => {
                group.push(star)
            }
            _ => groups.push(vec![star]),
        }
    }
    groups
        .into_iter()
        .map(|stars| new_run(src, stars))
        .collect()
}

fn new_run(src: &str, stars: Vec<Star>) -> Run {
    let start = stars.first().map_or(0, |s| s.pos);
    let end = stars.last().map_or(0, |s| s.pos + 1);
    let (before, after) = neighbours(src, start, end);
    let flanking = Flanking::classify(before, after);
    Run {
        remaining: stars.len(),
        stars,
        can_open: flanking.left_cjk,
        can_close: flanking.right_cjk,
        cjk_dependent: flanking.left != flanking.left_cjk || flanking.right != flanking.right_cjk,
        used_closing: 0,
        used_opening: 0,
        closing_tags: Vec::new(),
        opening_tags: Vec::new(),
    }
}

/// The characters just outside the whole `*` sequence around `start..end` in the source
/// (CommonMark judges a delimiter run by its full extent).
fn neighbours(src: &str, start: usize, end: usize) -> (Option<char>, Option<char>) {
    let before = src
        .get(..start)
        .and_then(|s| s.chars().rev().find(|&c| c != '*'));
    let after = src.get(end..).and_then(|s| s.chars().find(|&c| c != '*'));
    (before, after)
}

/// Left/right-flanking, by CommonMark and by the CJK-friendly extension.
struct Flanking {
    left: bool,
    right: bool,
    left_cjk: bool,
    right_cjk: bool,
}

impl Flanking {
    fn classify(before: Option<char>, after: Option<char>) -> Flanking {
        // Start and end of line count as whitespace.
        let before_space = before.is_none_or(char::is_whitespace);
        let after_space = after.is_none_or(char::is_whitespace);
        let before_punct = before.is_some_and(is_punctuation);
        let after_punct = after.is_some_and(is_punctuation);
        let before_cjk = before.is_some_and(is_cjk);
        let after_cjk = after.is_some_and(is_cjk);

        let left = !after_space && (!after_punct || before_space || before_punct);
        let right = !before_space && (!before_punct || after_space || after_punct);
        // A Chinese character outside, or full-width punctuation inside, stands in for the
        // space that Chinese text never has.
        let left_cjk =
            left || (!after_space && after_punct && (before_cjk || after.is_some_and(is_cjk)));
        let right_cjk =
            right || (!before_space && before_punct && (after_cjk || before.is_some_and(is_cjk)));
        Flanking {
            left,
            right,
            left_cjk,
            right_cjk,
        }
    }
}

/// CommonMark's delimiter matching ("process emphasis") for `*` runs.
fn match_delimiters(runs: &mut [Run]) {
    let mut openers: Vec<usize> = Vec::new();
    for closer in 0..runs.len() {
        if runs.get(closer).is_some_and(|run| run.can_close) {
            while runs.get(closer).is_some_and(|run| run.remaining > 0) {
                let Some(slot) = find_opener(runs, &openers, closer) else {
                    break;
                };
                let Some(&opener) = openers.get(slot) else {
                    break;
                };
                pair_runs(runs, opener, closer);
                // Openers between the pair can no longer be matched (they would cross it).
                openers.truncate(slot + 1);
                if runs.get(opener).is_some_and(|run| run.remaining == 0) {
                    openers.pop();
                }
            }
        }
        if runs
            .get(closer)
            .is_some_and(|run| run.can_open && run.remaining > 0)
        {
            openers.push(closer);
        }
    }
}

/// The stack slot of the nearest opener that may pair with `closer`.
fn find_opener(runs: &[Run], openers: &[usize], closer: usize) -> Option<usize> {
    let close = runs.get(closer)?;
    openers.iter().rposition(|&index| {
        runs.get(index)
            .is_some_and(|open| open.remaining > 0 && !breaks_rule_of_three(open, close))
    })
}

/// CommonMark: if either run can both open and close, the lengths must not add up to a
/// multiple of 3 unless both are multiples of 3 (keeps `*a**b*` sensible).
fn breaks_rule_of_three(open: &Run, close: &Run) -> bool {
    let either_both = (open.can_open && open.can_close) || (close.can_open && close.can_close);
    let (a, b) = (open.stars.len(), close.stars.len());
    either_both && (a + b) % 3 == 0 && !(a % 3 == 0 && b % 3 == 0)
}

fn pair_runs(runs: &mut [Run], opener: usize, closer: usize) {
    let open_left = runs.get(opener).map_or(0, |run| run.remaining);
    let close_left = runs.get(closer).map_or(0, |run| run.remaining);
    let (width, kind) = if open_left >= 2 && close_left >= 2 {
        (2, Kind::Strong)
    } else {
        (1, Kind::Emphasis)
    };
    if let Some(open) = runs.get_mut(opener) {
        open.remaining -= width;
        open.used_opening += width;
        // Later matches are further out, so they go in front.
        open.opening_tags.insert(0, kind);
    }
    if let Some(close) = runs.get_mut(closer) {
        close.remaining -= width;
        close.used_closing += width;
        close.closing_tags.push(kind);
    }
}

/// Turns a run into per-asterisk edits: used asterisks vanish, end tags go before the
/// first, start tags after the last, the rest stays literal text.
fn record_edits(run: Run, edits: &mut BTreeMap<(usize, usize), StarEdit>) {
    let count = run.stars.len();
    let literal = run.used_closing..count.saturating_sub(run.used_opening);
    for (i, star) in run.stars.iter().enumerate() {
        let before = if i == 0 {
            run.closing_tags.iter().map(|&k| end_event(k)).collect()
        } else {
            Vec::new()
        };
        let after = if i + 1 == count {
            run.opening_tags.iter().map(|&k| start_event(k)).collect()
        } else {
            Vec::new()
        };
        edits.insert(
            (star.event, star.byte),
            StarEdit {
                before,
                keep: literal.contains(&i),
                after,
            },
        );
    }
}

fn start_event(kind: Kind) -> Event<'static> {
    match kind {
        Kind::Emphasis => Event::Start(Tag::Emphasis),
        Kind::Strong => Event::Start(Tag::Strong),
    }
}

fn end_event(kind: Kind) -> Event<'static> {
    match kind {
        Kind::Emphasis => Event::End(TagEnd::Emphasis),
        Kind::Strong => Event::End(TagEnd::Strong),
    }
}

/// Rebuilds the event list: Text events are split at their edited asterisks, and the
/// re-paired `*` tags are replaced by what their delimiters now print.
fn apply_edits<'a>(events: Vec<(Event<'a>, Range<usize>)>, plan: Plan) -> Vec<Event<'a>> {
    let Plan {
        edits,
        replaced_tags,
    } = plan;
    let mut out = Vec::with_capacity(events.len() + edits.len() * 2);
    let mut edits = edits.into_iter().peekable();
    let mut open_replaced: Vec<bool> = Vec::new();
    for (index, (event, _)) in events.into_iter().enumerate() {
        let mut mine = Vec::new();
        while let Some(entry) = edits.next_if(|((e, _), _)| *e == index) {
            mine.push(entry);
        }
        match event {
            Event::Text(text) if !mine.is_empty() => split_text(&text, mine, &mut out),
            Event::Start(tag @ (Tag::Emphasis | Tag::Strong)) => {
                let replaced = replaced_tags.contains(&index) && !mine.is_empty();
                open_replaced.push(replaced);
                if replaced {
                    emit_delimiter(mine, &mut out);
                } else {
                    out.push(Event::Start(tag));
                }
            }
            Event::End(end @ (TagEnd::Emphasis | TagEnd::Strong)) => {
                if open_replaced.pop().unwrap_or(false) {
                    emit_delimiter(mine, &mut out);
                } else {
                    out.push(Event::End(end));
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// What the asterisks of a replaced tag print now.
fn emit_delimiter<'a>(edits: Vec<((usize, usize), StarEdit)>, out: &mut Vec<Event<'a>>) {
    for (_, edit) in edits {
        out.extend(edit.before);
        if edit.keep {
            push_text("*", out);
        }
        out.extend(edit.after);
    }
}

fn split_text<'a>(text: &str, edits: Vec<((usize, usize), StarEdit)>, out: &mut Vec<Event<'a>>) {
    let mut start = 0;
    for ((_, byte), edit) in edits {
        push_text(text.get(start..byte).unwrap_or(""), out);
        out.extend(edit.before);
        if edit.keep {
            push_text("*", out);
        }
        out.extend(edit.after);
        start = byte + 1;
    }
    push_text(text.get(start..).unwrap_or(""), out);
}

fn push_text<'a>(text: &str, out: &mut Vec<Event<'a>>) {
    if !text.is_empty() {
        out.push(Event::Text(CowStr::from(text.to_string())));
    }
}

/// Unicode punctuation or symbol, as CommonMark 0.31 counts it, for the ranges that occur
/// in Chinese and Western text (std has no general-category lookup).
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c,
            '\u{A1}'..='\u{BF}' | '\u{D7}' | '\u{F7}'
            | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}'
            | '\u{20A0}'..='\u{20CF}' | '\u{2100}'..='\u{214F}' | '\u{2190}'..='\u{23FF}'
            | '\u{2500}'..='\u{27BF}' | '\u{2E00}'..='\u{2E7F}'
            | '\u{3001}'..='\u{3004}' | '\u{3008}'..='\u{3020}' | '\u{3030}' | '\u{303D}'
            | '\u{30FB}'
            | '\u{FE10}'..='\u{FE19}' | '\u{FE30}'..='\u{FE6B}'
            | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}'
            | '\u{FF5B}'..='\u{FF65}' | '\u{FFE0}'..='\u{FFEE}')
}

/// Chinese, Japanese or Korean characters, including full-width punctuation and forms.
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}' | '\u{2E80}'..='\u{2FDF}' | '\u{3000}'..='\u{303F}'
        | '\u{3040}'..='\u{30FF}' | '\u{3100}'..='\u{312F}' | '\u{3130}'..='\u{318F}'
        | '\u{31A0}'..='\u{31FF}' | '\u{3200}'..='\u{33FF}' | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}' | '\u{A960}'..='\u{A97F}' | '\u{AC00}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FAFF}' | '\u{FE10}'..='\u{FE1F}' | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{3134F}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{html, Options, Parser};

    fn render(src: &str) -> String {
        let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
        let events = Parser::new_ext(src, options).into_offset_iter().collect();
        let mut out = String::new();
        html::push_html(&mut out, pair_cjk_emphasis(src, events).into_iter());
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
        let src = "见<https://example.com/**通知：**正文> 和 https://example.com/*《方案》*提出";
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
    fn bare_url_spans_start_at_the_scheme() {
        let src = "见**通知：**https://a.cn/*x*，又见 www.b.cn/**y** 與 https://www.c.cn/*z*";
        let events: Vec<_> = pulldown_cmark::Parser::new(src)
            .into_offset_iter()
            .collect();
        let spans = bare_url_spans(src, &events);
        assert_eq!(spans.len(), 3);
        let first = spans[0].clone();
        assert_eq!(&src[first], "https://a.cn/*x*");
        assert!(!inside_any(&spans, src.find("**").unwrap()));
        assert!(inside_any(&spans, src.find("*x").unwrap()));
        assert!(inside_any(&spans, src.find("*z").unwrap()));
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
