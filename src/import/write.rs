//! Renders an imported article as a Markdown file with the front matter of SPEC
//! section 2, and decides where it goes (`<into>/<year>/<slug>.md`).

use std::path::{Path, PathBuf};

use super::clean::{Paragraph, ParagraphKind};

/// The front matter of one imported article, in the order it is written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FrontMatter {
    pub title: String,
    /// `2024-03-15` or `2020-09-10T07:22:00+08:00`; None leaves the key out (review).
    pub date: Option<String>,
    pub regions: Vec<String>,
    /// None leaves the key out (review): a category is never guessed.
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub source_name: Option<String>,
    pub source_url: Option<String>,
    pub author: Option<String>,
    /// Why a person must look at this article; non-empty makes it a draft.
    pub reviews: Vec<String>,
}

/// The whole file: front matter and Markdown body, ending in one newline.
pub fn render_article(front: &FrontMatter, paragraphs: &[Paragraph]) -> String {
    let mut out = String::from("---\n");
    out.push_str(&format!("title: {}\n", yaml_scalar(&front.title)));
    if let Some(date) = &front.date {
        out.push_str(&format!("date: {date}\n"));
    }
    match front.regions.as_slice() {
        [one] => out.push_str(&format!("region: {}\n", yaml_scalar(one))),
        many => out.push_str(&format!("region: {}\n", yaml_flow_list(many))),
    }
    if let Some(category) = &front.category {
        out.push_str(&format!("category: {}\n", yaml_scalar(category)));
    }
    out.push_str(&format!("tags: {}\n", yaml_flow_list(&front.tags)));
    if let Some(name) = &front.source_name {
        match &front.source_url {
            Some(url) => out.push_str(&format!("source: {{ name: {}, url: {} }}\n", yaml_flow_item(name), yaml_quoted(url))),
            None => out.push_str(&format!("source: {{ name: {} }}\n", yaml_flow_item(name))),
        }
    }
    if let Some(author) = &front.author {
        out.push_str(&format!("author: {}\n", yaml_scalar(author)));
    }
    if !front.reviews.is_empty() {
        out.push_str("draft: true\n");
        for review in &front.reviews {
            out.push_str(&format!("# review: {}\n", review.replace('\n', " ")));
        }
    }
    out.push_str("---\n");
    for paragraph in paragraphs {
        out.push('\n');
        match paragraph.kind {
            ParagraphKind::Text => out.push_str(&escape_markdown_start(&paragraph.text)),
            ParagraphKind::Heading => {
                out.push_str("## ");
                out.push_str(&escape_markdown_start(&paragraph.text));
            }
            // Bold, as papers set the kicker apart from the story.
            ParagraphKind::Kicker => out.push_str(&format!("**{}**", escape_inline_markers(&paragraph.text))),
        }
        out.push('\n');
    }
    out
}

/// Text inside `**…**`: asterisks and underscores are escaped so that the emphasis
/// closes where the kicker ends, and `<` cannot open HTML.
fn escape_inline_markers(text: &str) -> String {
    text.replace('\\', "\\\\").replace('*', "\\*").replace('_', "\\_").replace('<', "&lt;")
}

/// `<into>/<year>/<slug>.md`, or `<into>/undated/<slug>.md` when the date is unknown.
pub fn output_path(into: &Path, year: Option<u32>, slug: &str) -> PathBuf {
    let folder = year.map_or_else(|| "undated".to_string(), |y| format!("{y:04}"));
    let slug = if slug.is_empty() { "article" } else { slug };
    into.join(folder).join(format!("{slug}.md"))
}

/// Characters that make a plain YAML scalar mean something else.
fn needs_quotes(text: &str, in_flow: bool) -> bool {
    let special_start = text.starts_with(['-', '?', ':', '!', '&', '*', '|', '>', '\'', '"', '%', '@', '`', '#', '[', ']', '{', '}', ',', ' ']);
    let flow_chars = in_flow && text.contains([',', '[', ']', '{', '}']);
    let lower = text.to_ascii_lowercase();
    let looks_typed = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"].contains(&lower.as_str())
        || text.parse::<f64>().is_ok()
        || text.chars().next().is_some_and(|c| c.is_ascii_digit());
    text.is_empty()
        || special_start
        || flow_chars
        || looks_typed
        || text.ends_with(' ')
        || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || text.chars().any(|c| c.is_control())
}

/// A block-context scalar: plain when safe, else double-quoted.
fn yaml_scalar(text: &str) -> String {
    if needs_quotes(text, false) {
        yaml_quoted(text)
    } else {
        text.to_string()
    }
}

fn yaml_flow_item(text: &str) -> String {
    if needs_quotes(text, true) {
        yaml_quoted(text)
    } else {
        text.to_string()
    }
}

fn yaml_flow_list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|item| yaml_flow_item(item)).collect::<Vec<_>>().join(", "))
}

fn yaml_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A paragraph must stay a paragraph: escape what Markdown would read as a heading,
/// list, quote, HTML block or code at the start of a line.
fn escape_markdown_start(text: &str) -> String {
    let escaped_inline = text.replace('<', "&lt;");
    let marker_end = escaped_inline.chars().take_while(|c| c.is_ascii_digit()).count();
    let after_digits = escaped_inline.get(marker_end..).unwrap_or_default();
    let ordered_list = marker_end > 0 && (after_digits.starts_with(". ") || after_digits.starts_with(") "));
    let bullet = ["- ", "+ ", "* ", "#", ">", "    ", "```", "~~~", "=", "|"].iter().any(|m| escaped_inline.starts_with(m));
    if ordered_list {
        let (digits, rest) = escaped_inline.split_at(marker_end);
        format!("{digits}\\{rest}")
    } else if bullet {
        format!("\\{escaped_inline}")
    } else {
        escaped_inline
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> FrontMatter {
        FrontMatter {
            title: "北碚：以科技為引領唱好“雙城記”".to_string(),
            date: Some("2020-09-10T07:22:00+08:00".to_string()),
            regions: vec!["重庆市/北碚区".to_string(), "四川省/绵阳市".to_string()],
            category: Some("科技合作".to_string()),
            tags: vec!["双城记".to_string(), "科技城".to_string()],
            source_name: Some("今日重慶".to_string()),
            source_url: None,
            author: Some("高維微".to_string()),
            reviews: Vec::new(),
        }
    }

    #[test]
    fn front_matter_follows_the_spec_layout() {
        let paragraphs = vec![
            Paragraph::text("1月3日，中央財經委員會第六次會議作出重大決策。"),
            Paragraph { text: "尋找高質量發展新契機".to_string(), kind: ParagraphKind::Heading },
        ];
        let text = render_article(&sample(), &paragraphs);
        assert_eq!(
            text,
            "---\ntitle: 北碚：以科技為引領唱好“雙城記”\ndate: 2020-09-10T07:22:00+08:00\nregion: [重庆市/北碚区, 四川省/绵阳市]\ncategory: 科技合作\ntags: [双城记, 科技城]\nsource: { name: 今日重慶 }\nauthor: 高維微\n---\n\n1月3日，中央財經委員會第六次會議作出重大決策。\n\n## 尋找高質量發展新契機\n"
        );
    }

    #[test]
    fn review_makes_a_draft_with_comment_lines() {
        let mut front = sample();
        front.date = None;
        front.regions.truncate(1);
        front.reviews = vec!["the page gives no date; give --date or add date:".to_string()];
        let text = render_article(&front, &[]);
        assert!(text.contains("region: 重庆市/北碚区\n"));
        assert!(text.contains("draft: true\n# review: the page gives no date"));
        assert!(!text.contains("date: 20"));
    }

    #[test]
    fn front_matter_is_valid_yaml_even_for_awkward_values() {
        let mut front = sample();
        front.title = "2024: 科技 #1, [重点]".to_string();
        front.tags = vec!["a,b".to_string(), "yes".to_string()];
        front.source_url = Some("https://example.org/a?b=1#c".to_string());
        let text = render_article(&front, &[]);
        let yaml = text.trim_start_matches("---\n").split("---\n").next().unwrap_or_default();
        let value: serde_yaml::Value = serde_yaml::from_str(yaml).expect("valid yaml");
        assert_eq!(value["title"].as_str(), Some("2024: 科技 #1, [重点]"));
        assert_eq!(value["tags"][0].as_str(), Some("a,b"));
        assert_eq!(value["tags"][1].as_str(), Some("yes"));
        assert_eq!(value["source"]["url"].as_str(), Some("https://example.org/a?b=1#c"));
        assert_eq!(value["region"][1].as_str(), Some("四川省/绵阳市"));
    }

    #[test]
    fn kicker_is_a_bold_first_paragraph() {
        let paragraphs = vec![
            Paragraph { text: "高新技术产业力争实现营业收入3万亿元".to_string(), kind: ParagraphKind::Kicker },
            Paragraph::text("力争全年高新技术企业达1.8万家。"),
        ];
        let text = render_article(&sample(), &paragraphs);
        assert!(text.ends_with("---\n\n**高新技术产业力争实现营业收入3万亿元**\n\n力争全年高新技术企业达1.8万家。\n"), "{text}");
        let starred = vec![Paragraph { text: "聚焦*兩會*_科技".to_string(), kind: ParagraphKind::Kicker }];
        assert!(render_article(&sample(), &starred).ends_with("\n**聚焦\\*兩會\\*\\_科技**\n"));
    }

    #[test]
    fn paragraphs_never_turn_into_markdown_blocks() {
        assert_eq!(escape_markdown_start("1. 推進關鍵核心技術攻堅"), "1\\. 推進關鍵核心技術攻堅");
        assert_eq!(escape_markdown_start("# 標籤"), "\\# 標籤");
        assert_eq!(escape_markdown_start("<o:p>正文"), "&lt;o:p>正文");
        assert_eq!(escape_markdown_start("2024年，四川將深入實施"), "2024年，四川將深入實施");
    }

    #[test]
    fn files_go_under_year_or_undated() {
        assert_eq!(output_path(Path::new("content"), Some(2024), "si-chuan"), PathBuf::from("content/2024/si-chuan.md"));
        assert_eq!(output_path(Path::new("content"), None, ""), PathBuf::from("content/undated/article.md"));
    }
}
