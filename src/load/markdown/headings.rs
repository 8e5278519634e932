//! Heading anchors: collects each heading's text and gives it a unique `id`, keeping Chinese
//! characters as they are (like Hugo), so `## 二、重点任务` links as `#二重点任务`.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::Heading;
use crate::text::chars::is_alphanumeric;

/// Used when a heading has nothing an id can be made from (e.g. only punctuation).
const FALLBACK_ID: &str = "section";

/// Fills in a missing `id` on every heading and returns the headings in document order.
/// Ids the author set with `{#id}` are kept and never handed out again; `reserved` ids
/// (e.g. footnote anchors) are avoided too.
pub(super) fn assign_heading_ids(
    events: &mut [Event<'_>],
    reserved: &HashSet<String>,
) -> Vec<Heading> {
    let mut used: HashSet<String> = reserved.clone();
    used.extend(events.iter().filter_map(|event| match event {
        Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
        _ => None,
    }));
    let mut headings = Vec::new();
    let mut index = 0;
    while index < events.len() {
        if let Some(Event::Start(Tag::Heading { level, id, .. })) = events.get(index) {
            let level = level_number(*level);
            let custom_id = id.as_ref().map(|id| id.to_string());
            let text = heading_text(events.get(index + 1..).unwrap_or_default());
            let id = custom_id.unwrap_or_else(|| unique_id(&slugify_heading(&text), &mut used));
            if let Some(Event::Start(Tag::Heading { id: slot, .. })) = events.get_mut(index) {
                *slot = Some(CowStr::from(id.clone()));
            }
            headings.push(Heading { level, id, text });
        }
        index += 1;
    }
    headings
}

/// Closes gaps in heading levels while keeping the outline the author wrote: a heading goes
/// one level below its nearest shallower heading, or to h2 (h1 for `#`) when it has none,
/// since the page title is the `<h1>` before the body. Authors and pasted CMS text often
/// start at `###`; a skipped level is an error for the Nu HTML checker and breaks screen
/// readers' outline.
pub(super) fn close_heading_level_gaps(events: &mut [Event<'_>]) {
    // (level written, level given) of the headings that enclose the current position.
    let mut ancestors: Vec<(u8, u8)> = Vec::new();
    // The level given to the heading that is open, for its end tag.
    let mut open: Option<HeadingLevel> = None;
    for event in events.iter_mut() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let written = level_number(*level);
                while ancestors.last().is_some_and(|&(w, _)| w >= written) {
                    ancestors.pop();
                }
                let given = match ancestors.last() {
                    Some(&(_, parent)) => parent.saturating_add(1).min(written),
                    None => written.min(2),
                };
                ancestors.push((written, given));
                *level = heading_level(given);
                open = Some(*level);
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(given) = open.take() {
                    *level = given;
                }
            }
            _ => {}
        }
    }
}

fn heading_level(number: u8) -> HeadingLevel {
    HeadingLevel::try_from(usize::from(number)).unwrap_or(HeadingLevel::H6)
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The visible text of a heading: text and code up to its end tag, image alt text left out.
fn heading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    let mut image_depth = 0usize;
    for event in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if image_depth == 0 => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// Lowercase ASCII, keep letters and digits of any script (CJK included), `-` and `_`;
/// whitespace becomes `-`, everything else (punctuation, symbols) is dropped.
pub(super) fn slugify_heading(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        let piece = if is_alphanumeric(c) || c == '_' {
            Some(c.to_ascii_lowercase())
        } else if c.is_whitespace() || c == '-' {
            Some('-')
        } else {
            None
        };
        if let Some(piece) = piece {
            // No doubled or leading dashes: "A - B" gives "a-b", not "a---b".
            if piece != '-' || !(slug.is_empty() || slug.ends_with('-')) {
                slug.push(piece);
            }
        }
    }
    let trimmed = slug.trim_end_matches('-');
    if trimmed.is_empty() {
        FALLBACK_ID.to_string()
    } else {
        trimmed.to_string()
    }
}

/// `base`, or `base-1`, `base-2`, … whichever is still free; marks the result as used.
fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let mut candidate = base.to_string();
    let mut n = 0u64;
    while used.contains(&candidate) {
        n += 1;
        candidate = format!("{base}-{n}");
    }
    used.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn headings_of(src: &str) -> Vec<Heading> {
        let mut events: Vec<Event> =
            Parser::new_ext(src, Options::ENABLE_HEADING_ATTRIBUTES).collect();
        assign_heading_ids(&mut events, &HashSet::new())
    }

    fn ids_of(src: &str) -> Vec<String> {
        headings_of(src).into_iter().map(|h| h.id).collect()
    }

    fn levels_after_gap_closing(src: &str) -> Vec<u8> {
        let mut events: Vec<Event> = Parser::new(src).collect();
        close_heading_level_gaps(&mut events);
        let starts = events.iter().filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(level_number(*level)),
            _ => None,
        });
        let ends = events.iter().filter_map(|e| match e {
            Event::End(TagEnd::Heading(level)) => Some(level_number(*level)),
            _ => None,
        });
        let (starts, ends): (Vec<u8>, Vec<u8>) = (starts.collect(), ends.collect());
        assert_eq!(starts, ends, "end tags follow their start tags");
        starts
    }

    #[test]
    fn skipped_heading_levels_are_closed_up() {
        // Simplified: a CMS paste that starts at ###, then jumps to #####.
        assert_eq!(
            levels_after_gap_closing(
                "### 一、总体要求\n\n正文\n\n##### （一）目标\n\n### 二、重点任务\n"
            ),
            vec![2, 3, 2]
        );
        // Traditional: going back up any number of levels is kept as written.
        assert_eq!(
            levels_after_gap_closing("## 總體要求\n\n### 主要目標\n\n#### 指標\n\n## 保障措施\n"),
            vec![2, 3, 4, 2]
        );
        assert_eq!(
            levels_after_gap_closing("# 標題\n\n###### 小節\n"),
            vec![1, 2]
        );
        assert_eq!(
            levels_after_gap_closing("## 背景\n\n#### 政策依據\n\n### 實施範圍\n\n##### 附則\n"),
            vec![2, 3, 3, 4]
        );
    }

    #[test]
    fn chinese_is_kept_and_punctuation_dropped() {
        assert_eq!(slugify_heading("二、重点任务"), "二重点任务");
        assert_eq!(
            slugify_heading("（一）加強「科技」合作！"),
            "一加強科技合作"
        );
        assert_eq!(
            slugify_heading("关于印发《行动方案》的通知"),
            "关于印发行动方案的通知"
        );
    }

    #[test]
    fn ascii_is_lowercased_and_spaces_become_dashes() {
        assert_eq!(slugify_heading("AI 赋能 Smart City"), "ai-赋能-smart-city");
        assert_eq!(slugify_heading("  Step 1 -- 準備  "), "step-1-準備");
        assert_eq!(slugify_heading("snake_case"), "snake_case");
    }

    #[test]
    fn never_empty() {
        assert_eq!(slugify_heading("！？……"), "section");
        assert_eq!(slugify_heading(""), "section");
        assert_eq!(ids_of("## ！！！\n\n## ？？？"), ["section", "section-1"]);
    }

    #[test]
    fn duplicates_get_numbered() {
        let ids = ids_of("## 工作目标\n\n## 工作目标\n\n## 工作目标\n\n## 工作目標");
        assert_eq!(ids, ["工作目标", "工作目标-1", "工作目标-2", "工作目標"]);
    }

    #[test]
    fn custom_ids_are_kept_and_reserved() {
        let ids = ids_of("## 背景 {#工作目标}\n\n## 工作目标\n\n## 總結 {#summary}");
        assert_eq!(ids, ["工作目标", "工作目标-1", "summary"]);
    }

    #[test]
    fn reserved_ids_are_avoided() {
        let mut events: Vec<Event> = Parser::new("## fn 1").collect();
        let reserved = HashSet::from(["fn-1".to_string()]);
        let headings = assign_heading_ids(&mut events, &reserved);
        assert_eq!(headings[0].id, "fn-1-1");
    }

    #[test]
    fn heading_text_levels_and_inline_markup() {
        let headings = headings_of("# 四川省*科技*厅\n\n### 使用 `gazette` 構建 ![圖](a.png)");
        assert_eq!(headings[0].level, 1);
        assert_eq!(headings[0].text, "四川省科技厅");
        assert_eq!(headings[1].level, 3);
        assert_eq!(headings[1].text, "使用 gazette 構建");
        assert_eq!(headings[1].id, "使用-gazette-構建");
    }

    #[test]
    fn id_is_written_into_the_event() {
        let mut events: Vec<Event> = Parser::new("## 政策解读").collect();
        assign_heading_ids(&mut events, &HashSet::new());
        let has_id = events.iter().any(|e| {
            matches!(e, Event::Start(Tag::Heading { id: Some(id), .. }) if id.as_ref() == "政策解读")
        });
        assert!(has_id);
    }
}
