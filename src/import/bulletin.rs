//! Bulletins (快讯, 简讯, 联播 …): one page title over several short stories, each under
//! its own heading. With `--split` each becomes an article of its own. Only a page whose
//! title says it is a bulletin is split this way: in any other article a heading is a
//! subheading, and an article is never cut at its subheadings.

use super::clean::{Page, ParagraphKind, Story};

/// Words of a page title that name a bulletin of short news items.
const BULLETIN_WORDS: &[&str] = &["快讯", "简讯", "短讯", "联播", "要闻", "速览", "速递", "一览", "集锦", "摘编", "播报", "早报", "晚报", "周报", "动态"];

/// The page with its lead split at headings when it is a bulletin of at least two
/// stories: every heading followed by running text starts a story, and nothing is left
/// before the first heading but a kicker. Otherwise the page as it was.
pub fn split(mut page: Page) -> Page {
    let title = zhconv::zhconv(&page.lead.title, zhconv::Variant::ZhHans);
    if !BULLETIN_WORDS.iter().any(|word| title.contains(word)) {
        return page;
    }
    let Some(stories) = stories_of(&page) else { return page };
    let mut stories = stories.into_iter();
    let Some(lead) = stories.next() else { return page };
    // The stories that followed a byline on a newspaper page stay after the bulletin's.
    let others: Vec<Story> = stories.chain(std::mem::take(&mut page.others)).collect();
    page.lead = lead;
    page.others = others;
    page
}

/// The bulletin's stories, or None when the lead is not a sequence of at least two
/// heading + text sections.
fn stories_of(page: &Page) -> Option<Vec<Story>> {
    let lead = &page.lead;
    let mut paragraphs = lead.paragraphs.iter().skip_while(|p| p.kind == ParagraphKind::Kicker).peekable();
    if paragraphs.peek().map(|p| p.kind) != Some(ParagraphKind::Heading) {
        return None;
    }
    let mut stories: Vec<Story> = Vec::new();
    for paragraph in paragraphs {
        match paragraph.kind {
            ParagraphKind::Heading => {
                let title_line = line_of(page, &paragraph.text).unwrap_or(lead.title_line);
                stories.push(Story { title: paragraph.text.clone(), title_line, lines: vec![title_line], ..Story::default() });
            }
            _ => {
                let story = stories.last_mut()?;
                story.paragraphs.push(paragraph.clone());
                story.lines.extend(line_of(page, &paragraph.text));
            }
        }
    }
    let every_story_has_text = stories.iter().all(|s| s.paragraphs.iter().any(|p| p.kind == ParagraphKind::Text));
    (stories.len() >= 2 && every_story_has_text).then_some(stories)
}

/// The page line number a paragraph came from (its first line), for reports.
fn line_of(page: &Page, text: &str) -> Option<usize> {
    let start: String = text.chars().take(12).collect();
    page.lines.iter().find(|line| line.text.trim().starts_with(&start)).map(|line| line.number)
}
