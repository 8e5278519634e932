//! Footnotes: numbers them by first reference, links references and definitions with
//! `fn-N`/`fnref-N` anchors, and moves all definitions to a section at the end.

use std::collections::{BTreeMap, HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// Footnote numbers by (case-folded) label, in order of first reference; definitions that
/// are never referenced come after, in document order.
pub(super) struct FootnoteNumbers {
    numbers: HashMap<String, usize>,
    referenced: HashSet<String>,
}

impl FootnoteNumbers {
    pub(super) fn count(&self) -> usize {
        self.numbers.len()
    }

    /// The anchor ids footnotes use, so headings can avoid them.
    pub(super) fn reserved_ids(&self) -> HashSet<String> {
        (1..=self.count())
            .flat_map(|n| [format!("fn-{n}"), format!("fnref-{n}")])
            .collect()
    }
}

fn fold(label: &str) -> String {
    label.to_lowercase()
}

pub(super) fn number_footnotes(events: &[Event<'_>]) -> FootnoteNumbers {
    let defined: HashSet<String> = events
        .iter()
        .filter_map(|event| match event {
            Event::Start(Tag::FootnoteDefinition(label)) => Some(fold(label)),
            _ => None,
        })
        .collect();
    let mut numbers = HashMap::new();
    let mut referenced = HashSet::new();
    let references = events.iter().filter_map(|event| match event {
        Event::FootnoteReference(label) => Some(fold(label)),
        _ => None,
    });
    for label in references.filter(|label| defined.contains(label)) {
        let next = numbers.len() + 1;
        numbers.entry(label.clone()).or_insert(next);
        referenced.insert(label);
    }
    for event in events {
        if let Event::Start(Tag::FootnoteDefinition(label)) = event {
            let next = numbers.len() + 1;
            numbers.entry(fold(label)).or_insert(next);
        }
    }
    FootnoteNumbers {
        numbers,
        referenced,
    }
}

/// Replaces references with numbered links and moves definitions to the end. A second
/// definition of the same label is dropped (the first one wins).
pub(super) fn place_footnotes<'a>(
    events: Vec<Event<'a>>,
    numbers: &FootnoteNumbers,
) -> Vec<Event<'a>> {
    if numbers.count() == 0 {
        return events;
    }
    let mut body = Vec::with_capacity(events.len());
    let mut definitions: BTreeMap<usize, Vec<Event<'a>>> = BTreeMap::new();
    let mut first_reference_seen = HashSet::new();
    // (number, events) of the definition being read, and its nesting depth.
    let mut current: Option<(usize, Vec<Event<'a>>)> = None;
    let mut depth = 0usize;
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(ref label)) => {
                depth += 1;
                if depth == 1 {
                    let number = numbers.numbers.get(&fold(label)).copied().unwrap_or(0);
                    current = Some((number, Vec::new()));
                    continue;
                }
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if let Some((number, content)) = current.take() {
                        definitions.entry(number).or_insert(content);
                    }
                    continue;
                }
            }
            _ => {}
        }
        let event = render_reference(event, numbers, &mut first_reference_seen);
        match current.as_mut() {
            Some((_, content)) => content.push(event),
            None => body.push(event),
        }
    }
    if !definitions.is_empty() {
        append_section(&mut body, definitions, numbers);
    }
    body
}

fn render_reference<'a>(
    event: Event<'a>,
    numbers: &FootnoteNumbers,
    seen: &mut HashSet<usize>,
) -> Event<'a> {
    let Event::FootnoteReference(label) = event else {
        return event;
    };
    match numbers.numbers.get(&fold(&label)) {
        Some(&n) => {
            // Only the first reference carries the id the back-link points to.
            let id = if seen.insert(n) {
                format!(" id=\"fnref-{n}\"")
            } else {
                String::new()
            };
            Event::InlineHtml(CowStr::from(format!(
                "<sup class=\"footnote-reference\"{id}><a href=\"#fn-{n}\">{n}</a></sup>"
            )))
        }
        None => Event::Text(CowStr::from(format!("[^{label}]"))),
    }
}

fn append_section<'a>(
    body: &mut Vec<Event<'a>>,
    definitions: BTreeMap<usize, Vec<Event<'a>>>,
    numbers: &FootnoteNumbers,
) {
    let referenced: HashSet<usize> = numbers
        .referenced
        .iter()
        .filter_map(|label| numbers.numbers.get(label).copied())
        .collect();
    body.push(Event::Html(CowStr::from("<section class=\"footnotes\">\n")));
    for (n, content) in definitions {
        body.push(Event::Html(CowStr::from(format!(
            "<div class=\"footnote-definition\" id=\"fn-{n}\"><sup class=\"footnote-definition-label\">{n}</sup>\n"
        ))));
        body.extend(content);
        if referenced.contains(&n) {
            body.push(Event::Html(CowStr::from(format!(
                "<a href=\"#fnref-{n}\" class=\"footnote-backref\">↩</a>\n"
            ))));
        }
        body.push(Event::Html(CowStr::from("</div>\n")));
    }
    body.push(Event::Html(CowStr::from("</section>\n")));
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{html, Options, Parser};

    fn render(src: &str) -> String {
        let events: Vec<Event> = Parser::new_ext(src, Options::ENABLE_FOOTNOTES).collect();
        let numbers = number_footnotes(&events);
        let mut out = String::new();
        html::push_html(&mut out, place_footnotes(events, &numbers).into_iter());
        out
    }

    #[test]
    fn numbered_by_first_reference_and_moved_to_the_end() {
        let out =
            render("[^乙]: 定義乙\n\n正文甲[^甲]，正文乙[^乙]。\n\n[^甲]: 定義甲\n\n結尾段落");
        assert!(out.starts_with("<p>正文甲<sup class=\"footnote-reference\" id=\"fnref-1\"><a href=\"#fn-1\">1</a></sup>"), "{out}");
        assert!(out.contains("<a href=\"#fn-2\">2</a>"));
        let ending = out.find("結尾段落").unwrap();
        let first = out.find("id=\"fn-1\"").unwrap();
        let second = out.find("id=\"fn-2\"").unwrap();
        assert!(ending < first && first < second, "{out}");
        assert!(out.find("定義甲").unwrap() < out.find("定義乙").unwrap());
        assert!(out.contains("<a href=\"#fnref-1\" class=\"footnote-backref\">↩</a>"));
        assert!(out.trim_end().ends_with("</section>"));
    }

    #[test]
    fn repeated_references_share_a_number_but_not_the_id() {
        let out = render("一[^注]二[^注]\n\n[^注]: 注释");
        assert_eq!(out.matches("id=\"fnref-1\"").count(), 1);
        assert_eq!(out.matches("href=\"#fn-1\"").count(), 2);
    }

    #[test]
    fn unreferenced_definitions_are_kept_without_back_link() {
        let out = render("正文\n\n[^孤]: 孤立註腳");
        assert!(out.contains("id=\"fn-1\""));
        assert!(out.contains("孤立註腳"));
        assert!(!out.contains("footnote-backref"));
    }

    #[test]
    fn no_footnotes_no_section() {
        assert_eq!(render("沒有註腳的段落"), "<p>沒有註腳的段落</p>\n");
    }

    #[test]
    fn reserved_ids_cover_both_anchors() {
        let events: Vec<Event> =
            Parser::new_ext("a[^x]\n\n[^x]: y", Options::ENABLE_FOOTNOTES).collect();
        let ids = number_footnotes(&events).reserved_ids();
        assert!(ids.contains("fn-1") && ids.contains("fnref-1"));
        assert_eq!(ids.len(), 2);
    }
}
