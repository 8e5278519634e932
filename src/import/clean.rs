//! Splits a scraped page into its headline, header lines, lead story and any other
//! stories, dropping site chrome (spam, breadcrumbs, share links, footers, related
//! lists) and recording every dropped line with the reason.

use super::regions::divisions;
use super::repair::{is_cjk, normalize_punctuation};

/// One line of the page after character repairs; `number` is 1-based in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub number: usize,
    pub text: String,
    /// The same line in simplified characters, for matching word lists.
    pub simplified: String,
}

/// A line that is not in the output, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    pub line: usize,
    pub text: String,
    pub reason: String,
}

/// A paragraph of an article body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub text: String,
    pub kind: ParagraphKind,
}

/// What a paragraph is in the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParagraphKind {
    Text,
    /// A subheading inside the story.
    Heading,
    /// The kicker (引题) printed above the headline: article text that leads into the
    /// headline, kept as the body's first paragraph.
    Kicker,
}

impl Paragraph {
    pub fn text(text: impl Into<String>) -> Paragraph {
        Paragraph { text: text.into(), kind: ParagraphKind::Text }
    }
}

/// One story of the page: its headline and paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Story {
    pub title: String,
    pub title_line: usize,
    pub paragraphs: Vec<Paragraph>,
    /// The byline in parentheses that closed the story (`文露敏`, `记者 陈志奎`).
    pub byline: Option<String>,
    /// Numbers of the page lines the story's text comes from (headline included).
    pub lines: Vec<usize>,
}

/// The page split into its parts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    pub lines: Vec<Line>,
    /// Indexes into `lines` of the lines before the lead's first paragraph (the
    /// headline excluded): where dates, sources and bylines are printed.
    pub header: Vec<usize>,
    pub lead: Story,
    pub others: Vec<Story>,
    pub dropped: Vec<Dropped>,
    /// The lines come from a page's markup: a name alone on a line there is a link or
    /// a label more often than a byline.
    pub from_markup: bool,
}

/// Hints from an HTML page's markup.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hints {
    pub title: Option<String>,
    /// The lines are one article found in a page's markup: subheadings and bylines
    /// inside it never start another story.
    pub one_story: bool,
    /// The lines come from a page's markup (not page text).
    pub markup: bool,
}

/// How a chrome line relates to the article around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chrome {
    /// Noise that may sit anywhere (spam, stray symbols, counters): just dropped.
    Noise(&'static str),
    /// Page furniture after which the article never continues (footer, related list).
    Footer(&'static str),
    /// A sidebar such as photo news: ends the current story.
    Sidebar(&'static str),
}

/// Where the reader is while walking the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    InStory,
    /// The story ended with its byline; only a new story may follow.
    Closed,
    InSidebar,
    Footer,
}

/// Splits repaired lines into a page. None when no headline can be found.
pub fn segment(lines: Vec<Line>, hints: &Hints) -> Option<Page> {
    let body_start = first_prose_line(&lines, hints)?;
    let title_index = find_title(&lines, body_start, hints);
    let mut page = Page { lines, from_markup: hints.markup, ..Page::default() };
    let (title, title_line) = match title_index {
        Some(index) => {
            let line = page.lines.get(index)?;
            (line.text.trim().to_string(), line.number)
        }
        None => (hints.title.clone()?, 0),
    };
    page.lead = Story { title: tidy_title(&title), title_line, lines: vec![title_line], ..Story::default() };
    let kicker = title_index.and_then(|t| find_kicker(&page.lines, t));
    if let Some(line) = kicker.and_then(|k| page.lines.get(k)) {
        page.lead.paragraphs.push(Paragraph { text: tidy_title(&line.text), kind: ParagraphKind::Kicker });
        page.lead.lines.push(line.number);
    }
    let first_heading = title_index.and_then(|t| first_heading(&page.lines, t, body_start));
    if let Some(line) = first_heading.and_then(|h| page.lines.get(h)) {
        page.lead.paragraphs.push(Paragraph { text: normalize_punctuation(line.text.trim()), kind: ParagraphKind::Heading });
        page.lead.lines.push(line.number);
    }
    drop_header(&mut page, body_start, [title_index, kicker, first_heading]);
    walk_body(&mut page, body_start, hints.one_story);
    Some(page)
}

/// A heading right above the first paragraph, in an article that has more headings
/// below (`一、总体要求`, a bulletin's first item): part of the text, not of the header.
/// A caption under a lead photo (`图为……`, `……摄`) is not one.
fn first_heading(lines: &[Line], title_index: usize, body_start: usize) -> Option<usize> {
    let index = lines.get(..body_start)?.iter().rposition(|l| !l.text.trim().is_empty())?;
    let text = lines.get(index)?.text.trim();
    let caption = text.starts_with("图为") || text.starts_with("圖為") || ["摄", "攝", "供图", "供圖"].iter().any(|end| text.ends_with(end));
    let is_heading = index > title_index
        && is_headline_candidate(text)
        && !caption
        && lines.get(index).is_some_and(|l| chrome_reason(l).is_none() && !is_header_metadata(l) && !is_rubric(text) && !is_name_line(text));
    let more_headings = lines
        .iter()
        .enumerate()
        .skip(body_start)
        .any(|(i, l)| is_headline_candidate(l.text.trim()) && next_prose(lines, i + 1).is_some_and(looks_like_prose));
    (is_heading && more_headings).then_some(index)
}

/// A headline's single spaces separate its clauses and stay; runs of spaces collapse
/// and ASCII punctuation inside Chinese becomes full-width.
pub fn tidy_title(title: &str) -> String {
    let joined = title.split_whitespace().collect::<Vec<_>>().join(" ");
    // Hide the deliberate spaces from the body rule that removes stray spaces.
    normalize_punctuation(&joined.replace(' ', "\u{1}")).replace('\u{1}', " ")
}

/// The index of the lead's first paragraph.
fn first_prose_line(lines: &[Line], hints: &Hints) -> Option<usize> {
    let after_hint = hints
        .title
        .as_ref()
        .and_then(|title| lines.iter().position(|line| same_text(&line.text, title)))
        .map_or(0, |index| index + 1);
    let mut candidates = lines
        .iter()
        .enumerate()
        .skip(after_hint)
        .filter(|(_, line)| chrome_reason(line).is_none() && !is_header_metadata(line));
    let (index, line) = candidates.find(|(_, line)| looks_like_prose(&line.text))?;
    // A headline with a comma looks like prose: it is short and has no full stop.
    let is_headline = hints.title.is_none() && !has_title_before(lines, index) && is_headline_shaped(&line.text);
    if is_headline {
        return candidates.find(|(_, line)| looks_like_prose(&line.text)).map(|(i, _)| i);
    }
    Some(index)
}

fn has_title_before(lines: &[Line], end: usize) -> bool {
    lines.get(..end).is_some_and(|before| before.iter().any(is_title_candidate))
}

fn is_headline_shaped(text: &str) -> bool {
    let length = text.chars().count();
    length <= 40 && !text.contains('。') && !ends_sentence(text)
}

fn same_text(a: &str, b: &str) -> bool {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    squash(a) == squash(b)
}

/// The headline: the hinted one, else the last headline-like line before the body.
fn find_title(lines: &[Line], body_start: usize, hints: &Hints) -> Option<usize> {
    let before = lines.get(..body_start)?;
    if let Some(title) = &hints.title {
        return before.iter().position(|line| same_text(&line.text, title));
    }
    match before.iter().rposition(is_title_candidate) {
        Some(index) => Some(index),
        // The headline itself looked like prose (it has a comma): take that line.
        None => lines.get(body_start).filter(|l| is_headline_shaped(&l.text)).map(|_| body_start),
    }
}

fn is_title_candidate(line: &Line) -> bool {
    let length = line.text.chars().count();
    (5..=80).contains(&length)
        && line.text.chars().any(is_cjk)
        && chrome_reason(line).is_none()
        && !is_header_metadata(line)
        && !is_rubric(&line.text)
}

/// Fewer characters (spaces not counted) make a section or column name (地方科技动态,
/// 新春走基层), not a kicker: kickers are clauses of a headline.
const MIN_KICKER_CHARS: usize = 8;

/// The kicker (引题): a headline-like line right above the headline. Site names,
/// section names, place names and navigation menus that may sit there are not kickers.
fn find_kicker(lines: &[Line], title_index: usize) -> Option<usize> {
    let before = lines.get(..title_index)?;
    let index = before.iter().rposition(|l| !l.text.trim().is_empty())?;
    let line = before.get(index)?;
    let text = line.text.trim();
    let long_enough = text.chars().filter(|c| !c.is_whitespace()).count() >= MIN_KICKER_CHARS;
    let names_a_site = super::meta::is_site_name(text) || contains_any(&line.simplified, &["网站", "门户", "官网", "频道", "栏目", "专栏"]);
    let is_kicker = long_enough
        && is_title_candidate(line)
        && !names_a_site
        && !divisions().is_only_place_names(&line.simplified)
        && !is_menu(text);
    is_kicker.then_some(index)
}

/// `首页 新闻中心 科技动态 通知公告`, `首頁 要聞`: three or more words separated by
/// spaces, or two of at most two characters. (A kicker may have two clauses:
/// `聚焦两会 科技先行`.)
fn is_menu(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() >= 3 || (words.len() == 2 && words.iter().all(|w| w.chars().count() <= 2))
}

/// Every line before the body except the headline, its kicker and a first heading
/// (`kept`) is dropped, with its reason.
fn drop_header(page: &mut Page, body_start: usize, kept: [Option<usize>; 3]) {
    let title_index = kept[0];
    let mut dropped = Vec::new();
    let mut header = Vec::new();
    for (index, line) in page.lines.iter().enumerate().take(body_start) {
        if kept.contains(&Some(index)) || line.text.trim().is_empty() {
            continue;
        }
        header.push(index);
        let after_title = title_index.is_some_and(|t| index > t);
        let reason = match chrome_reason(line) {
            Some(Chrome::Noise(reason) | Chrome::Footer(reason) | Chrome::Sidebar(reason)) => reason,
            None if is_header_metadata(line) => "metadata line (date, source, keywords or byline)",
            None if is_rubric(&line.text) => "column label",
            None if after_title && is_name_line(&line.text) => "byline",
            None if after_title => "header line between the headline and the article",
            None => "page header above the headline",
        };
        dropped.push(Dropped { line: line.number, text: line.text.clone(), reason: reason.to_string() });
    }
    page.header = header;
    page.dropped.extend(dropped);
}

/// Walks the lines from the lead's first paragraph on, filling the lead and other
/// stories and recording dropped lines.
fn walk_body(page: &mut Page, body_start: usize, one_story: bool) {
    let mut state = State::InStory;
    let mut current = std::mem::take(&mut page.lead);
    let mut finished: Vec<Story> = Vec::new();
    let mut dropped: Vec<Dropped> = Vec::new();
    let lines = &page.lines;
    let mut index = body_start;
    while let Some(line) = lines.get(index) {
        index += 1;
        let text = line.text.trim();
        if text.is_empty() {
            continue;
        }
        let mut drop = |reason: &str| dropped.push(Dropped { line: line.number, text: text.to_string(), reason: reason.to_string() });
        if state == State::Footer {
            drop(chrome_label(line).unwrap_or("page footer after the article"));
            continue;
        }
        // A share bar or related link above the text is furniture, not the end.
        let before_text = !current.paragraphs.iter().any(|p| p.kind == ParagraphKind::Text);
        match chrome_reason(line) {
            Some(Chrome::Footer(reason)) if before_text => {
                drop(reason);
                continue;
            }
            Some(Chrome::Footer(reason)) => {
                state = State::Footer;
                drop(reason);
                continue;
            }
            Some(Chrome::Sidebar(reason)) => {
                state = State::InSidebar;
                drop(reason);
                continue;
            }
            Some(Chrome::Noise(reason)) => {
                drop(reason);
                continue;
            }
            None => {}
        }
        if divisions().is_only_place_names(&line.simplified) && !looks_like_prose(text) {
            drop("list of place names");
            continue;
        }
        let starts_story = is_headline_candidate(text) && next_prose(lines, index).is_some_and(looks_like_prose);
        // A sidebar (photo news) holds its own little stories: wait for it to close.
        if starts_story && state == State::Closed {
            finished.push(std::mem::take(&mut current));
            current = Story { title: tidy_title(text), title_line: line.number, lines: vec![line.number], ..Story::default() };
            state = State::InStory;
            continue;
        }
        match state {
            State::InSidebar => {
                drop("photo-news sidebar");
                if parse_byline(text).is_some() {
                    state = State::Closed;
                }
            }
            State::Closed => drop("outside any story (caption or fragment after a byline)"),
            State::InStory => {
                match add_to_story(&mut current, text, page.from_markup) {
                    Some(reason) => drop(reason),
                    None => current.lines.push(line.number),
                }
                if current.byline.is_some() && !one_story {
                    state = State::Closed;
                }
            }
            State::Footer => {}
        }
    }
    finished.push(current);
    let mut stories = finished.into_iter();
    page.lead = stories.next().unwrap_or_default();
    page.others = stories.filter(|story| !story.paragraphs.is_empty()).collect();
    page.dropped.extend(dropped);
    page.dropped.sort_by_key(|d| d.line);
}

/// Adds a line to a story: joins a sentence broken across lines, keeps subheadings,
/// drops repeated paragraphs. Returns the reason when the line is dropped.
fn add_to_story(story: &mut Story, text: &str, markup: bool) -> Option<&'static str> {
    let text = normalize_punctuation(text);
    let text = without_back_link(&text);
    if let Some(last) = story.paragraphs.last_mut() {
        // Page text breaks sentences across lines; a page's markup does not (its lines
        // are its blocks), so a caption or a byline line is not glued to the next one.
        if !markup && last.kind == ParagraphKind::Text && continues_previous(&last.text, &text) {
            last.text.push_str(&text);
            story.byline = parse_byline(&last.text).map(|b| b.to_string());
            return None;
        }
    }
    if is_layout_repeat(story, &text) {
        return Some("repeated paragraph (page layout repeated it)");
    }
    // The kicker leads into the headline: the line after it is still the first one.
    let has_text = story.paragraphs.iter().any(|p| p.kind != ParagraphKind::Kicker);
    let heading = is_headline_candidate(&text) && has_text;
    story.byline = if heading { None } else { parse_byline(&text).map(|b| b.to_string()) };
    let kind = if heading { ParagraphKind::Heading } else { ParagraphKind::Text };
    story.paragraphs.push(Paragraph { text, kind });
    None
}

/// A paragraph without the "back to the home page" link some sites put after its last
/// sentence (`……仍将持续。返回腾讯网首页>>`).
fn without_back_link(text: &str) -> String {
    let Some(at) = text.rfind("返回") else { return text.to_string() };
    let (before, link) = text.split_at(at);
    let link = link.trim_end_matches(['>', '＞', '»', ' ']);
    let is_link = link.ends_with("首页") && link.chars().count() <= 12;
    if is_link && ends_sentence(before) {
        before.trim_end().to_string()
    } else {
        text.to_string()
    }
}

/// At least this many characters make a repeated paragraph a layout repeat wherever it
/// is: a short line may recur on purpose (an interview asks each guest the same
/// question, a recurring subheading).
const REPEATED_PARAGRAPH_CHARS: usize = 40;

/// Whether the text repeats a paragraph because the page layout printed it twice: right
/// after itself, or a long paragraph anywhere in the story.
fn is_layout_repeat(story: &Story, text: &str) -> bool {
    let right_after = story.paragraphs.last().is_some_and(|p| p.text == text);
    right_after || (text.chars().count() >= REPEATED_PARAGRAPH_CHARS && story.paragraphs.iter().any(|p| p.text == text))
}

/// A line continues the previous paragraph when that one stopped mid-sentence.
fn continues_previous(previous: &str, next: &str) -> bool {
    looks_like_prose(previous) && !ends_sentence(previous) && !next.starts_with('【')
}

/// Whether text ends a sentence (or a clause that never continues on the next line).
pub fn ends_sentence(text: &str) -> bool {
    text.trim_end().chars().last().is_some_and(|c| "。！？!?…”」』）)：:；;".contains(c))
}

/// Running text: long enough and punctuated like sentences.
pub fn looks_like_prose(text: &str) -> bool {
    let length = text.chars().count();
    let has_clause_marks = text.chars().any(|c| "，。；,;、".contains(c));
    (length >= 12 && has_clause_marks) || (length >= 8 && text.ends_with('。'))
}

/// A short unpunctuated line: a headline or subheading.
fn is_headline_candidate(text: &str) -> bool {
    let length = text.chars().count();
    (4..=40).contains(&length)
        && text.chars().any(is_cjk)
        && !text.chars().any(|c| "，。；,;！!".contains(c))
        && !ends_sentence(text)
}

/// The first prose line at or after `index`.
fn next_prose(lines: &[Line], index: usize) -> Option<&str> {
    lines.get(index..)?.iter().map(|l| l.text.trim()).find(|t| !t.is_empty())
}

/// The byline in parentheses at the end of a paragraph: `（文露敏）`, `(記者 陳志奎)`,
/// `(杨尚威 摄影报道)`, `（本报综合）`. Returns the text inside.
pub fn parse_byline(text: &str) -> Option<&str> {
    let trimmed = text.trim_end();
    let inner = trimmed.strip_suffix('）').or_else(|| trimmed.strip_suffix(')'))?;
    let open = inner.rfind(['（', '('])?;
    let content = inner.get(open..)?.trim_start_matches(['（', '(']);
    let length = content.chars().count();
    let plain = content.chars().all(|c| is_cjk(c) || c == ' ' || c == '、' || c == '/' || c == '·');
    let marked = ["记者", "記者", "通讯员", "通訊員", "摄", "攝", "本报", "本報", "综合", "綜合", "整理", "供图", "文/"]
        .iter()
        .any(|m| content.contains(m));
    let name_like = content.split([' ', '、']).all(|part| (2..=4).contains(&part.chars().count()));
    let not_a_name = NOT_BYLINES.iter().any(|w| content == *w || content.ends_with(w));
    ((2..=16).contains(&length) && plain && (marked || name_like) && !not_a_name).then_some(content)
}

/// Words in parentheses at a paragraph's end that name the kind of piece or a part of
/// it, not its writer: `……（图文）`, `（上）`, `（征求意见稿）`.
const NOT_BYLINES: &[&str] = &[
    "图文", "圖文", "组图", "組圖", "多图", "多圖", "附图", "附圖", "视频", "視頻", "全文", "原文", "续", "續", "试行", "試行",
    "征求意见稿", "徵求意見稿", "草案", "节选", "節選", "摘要", "附件", "暂行", "暫行", "修订", "修訂", "图表", "圖表",
];

/// The paragraph without its closing byline (`……权属制度改革。（文露敏）` →
/// `……权属制度改革。`); None when it has no byline. A paragraph that was only the
/// byline gives an empty string.
pub fn strip_byline(text: &str) -> Option<String> {
    let byline = parse_byline(text)?;
    let trimmed = text.trim_end();
    let inside = trimmed.strip_suffix('）').or_else(|| trimmed.strip_suffix(')'))?;
    let before = inside.strip_suffix(byline)?.trim_end_matches(['（', '(']);
    Some(before.trim_end().to_string())
}

/// A column label such as `【科技政策扎实落地·看招】`.
fn is_rubric(text: &str) -> bool {
    let t = text.trim();
    (t.starts_with('【') && t.ends_with('】')) || (t.starts_with('[') && t.ends_with(']'))
}

/// A person's name alone on a line (a byline): two to four Chinese characters.
pub fn is_name_line(text: &str) -> bool {
    let t = text.trim();
    (2..=4).contains(&t.chars().count()) && t.chars().all(is_cjk)
}

/// Date, source, keyword and issue lines printed around a headline.
fn is_header_metadata(line: &Line) -> bool {
    let s = line.simplified.trim();
    let labels = ["来源", "时间", "发布时间", "发布日期", "作者", "编辑", "责任编辑", "关键词", "点击", "浏览", "阅读量", "字号"];
    let labelled = labels.iter().any(|l| s.starts_with(l) && s.chars().nth(l.chars().count()).is_some_and(|c| c == ':' || c == '：' || c == ' '));
    let short = s.chars().count() <= 40;
    labelled || (short && !super::meta::full_dates(s).is_empty()) || (short && is_issue_line(s))
}

/// `今日重庆 2020年6期`: a magazine's name and issue.
fn is_issue_line(text: &str) -> bool {
    text.ends_with('期') && text.chars().any(|c| c.is_ascii_digit()) && !looks_like_prose(text)
}

/// The reason a line is site chrome, if it is.
fn chrome_reason(line: &Line) -> Option<Chrome> {
    let s = line.simplified.trim();
    let lower = s.to_lowercase();
    if is_spam(s) {
        return Some(Chrome::Noise("keyword-stuffing spam line"));
    }
    if !s.chars().any(|c| c.is_alphanumeric()) {
        return Some(Chrome::Noise("stray symbols"));
    }
    if s.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return Some(Chrome::Noise("counter (a number alone)"));
    }
    if is_breadcrumb(s) {
        return Some(Chrome::Noise("breadcrumb navigation"));
    }
    if contains_any(s, &["欢迎关注", "微信公众号", "扫一扫", "扫码关注", "关注我们"]) && s.chars().count() <= 30 {
        return Some(Chrome::Noise("follow-us promotion"));
    }
    if is_editor_credit(s) {
        return Some(Chrome::Noise("desk editor credit (not the author)"));
    }
    if is_romanized_label(s) {
        return Some(Chrome::Noise("romanized section label"));
    }
    if contains_any(s, &["图片新闻", "图片报道", "图说新闻"]) && s.chars().count() <= 8 {
        return Some(Chrome::Sidebar("photo-news sidebar"));
    }
    if is_disclaimer(s) {
        return Some(Chrome::Footer("disclaimer"));
    }
    if contains_any(&lower, &["copyright", "©", "版权所有", "all right reserved", "all rights reserved", "icp备", "icp证", "公网安备"]) {
        return Some(Chrome::Footer("copyright / ICP licence line"));
    }
    let related = ["拓展阅读", "相关阅读", "相关文章", "相关新闻", "相关链接", "猜你喜欢", "延伸阅读", "推荐阅读", "热点推荐", "热门推荐", "网友评论", "上一篇", "下一篇"];
    if contains_any(s, &related) && s.chars().count() <= 20 {
        return Some(Chrome::Footer("related-reading list"));
    }
    if is_share_line(s) {
        return Some(Chrome::Footer("share / print / favourite links"));
    }
    None
}

/// The label used for a line in the footer zone.
fn chrome_label(line: &Line) -> Option<&'static str> {
    chrome_reason(line).map(|chrome| match chrome {
        Chrome::Noise(reason) | Chrome::Footer(reason) | Chrome::Sidebar(reason) => reason,
    })
}

fn contains_any(text: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| text.contains(n))
}

/// Lines of many short pieces joined by `|` or `_`, or with adult-site vocabulary.
fn is_spam(s: &str) -> bool {
    let pieces: Vec<&str> = s.split(['|', '｜', '_']).map(str::trim).filter(|p| !p.is_empty()).collect();
    let stuffed = pieces.len() >= 5 && pieces.iter().all(|p| p.chars().count() <= 16);
    let lower = s.to_lowercase();
    let adult = ["av", "成人", "无码", "熟女", "波多野", "色片", "日韩", "欧美", "少妇", "强奸"];
    let adult_hits = adult.iter().filter(|w| lower.contains(*w)).count();
    stuffed || adult_hits >= 2
}

fn is_breadcrumb(s: &str) -> bool {
    let labelled = ["当前位置", "您的位置", "你的位置", "您现在的位置", "所在位置"].iter().any(|l| s.starts_with(l));
    let trail = s.contains("首页") && (s.contains('>') || s.contains('»') || s.contains('›') || s.contains('＞'));
    // A sentence that ends with a "back to the home page >>" link is text, not a trail.
    (labelled || (trail && !s.contains('。'))) && s.chars().count() <= 80
}

/// `责任编辑：霍琦`, `（责编：张迪）`: the desk editor, printed under the text.
fn is_editor_credit(s: &str) -> bool {
    let inner = s.trim_start_matches(['(', '（', '【', '[']);
    let labelled = ["责任编辑", "责编", "编辑"].iter().any(|l| inner.strip_prefix(l).is_some_and(|rest| rest.starts_with([':', '：', ' '])));
    labelled && s.chars().count() <= 30
}

fn is_romanized_label(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    words.len() >= 2 && words.iter().all(|w| w.chars().all(|c| c.is_ascii_uppercase()))
}

fn is_disclaimer(s: &str) -> bool {
    let stance = s.contains("不代表") && (s.contains("立场") || s.contains("观点"));
    let starts = ["声明：", "声明:", "【免责声明】", "免责声明", "版权声明"].iter().any(|p| s.starts_with(p));
    stance || starts || contains_any(s, &["本文来源于网络", "转载请注明", "如有侵权", "版权归原作者", "请联系删除"])
}

fn is_share_line(s: &str) -> bool {
    let exact = ["收藏", "分享", "打印", "关闭", "关闭窗口", "返回顶部", "转发到:", "转发到：", "评论"];
    let count = s.chars().count();
    exact.contains(&s)
        || (count <= 24 && contains_any(s, &["转发到", "分享到", "【打印", "打印】", "打印本页", "关闭窗口", "收藏本页", "【字号", "字体：", "阿里云", "腾讯云"]))
        || (count <= 60 && contains_any(s, &["关于我们", "联系我们", "网站地图", "广告投放", "加入我们"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines()
            .enumerate()
            .map(|(i, t)| Line { number: i + 1, text: t.to_string(), simplified: zhconv::zhconv(t, zhconv::Variant::ZhHans) })
            .collect()
    }

    fn line(text: &str) -> Line {
        lines(text).remove(0)
    }

    #[test]
    fn chrome_lines_are_recognised_in_both_scripts() {
        assert!(chrome_reason(&line("当前位置: 首页 > 汽车")).is_some());
        assert!(chrome_reason(&line("可以预见的是，第三方数据行业的整顿仍将持续。返回腾讯网首页>>")).is_none());
        assert_eq!(without_back_link("可以预见的是，整顿仍将持续。返回腾讯网首页>>"), "可以预见的是，整顿仍将持续。");
        assert_eq!(without_back_link("他说，不如返回首页"), "他说，不如返回首页");
        for credit in ["责任编辑：霍琦 ", "（责任编辑：张迪）", "编辑：王五"] {
            assert!(chrome_reason(&line(credit)).is_some(), "{credit}");
        }
        assert!(chrome_reason(&line("编辑部的同志们在会上交流了经验。")).is_none());
        assert!(chrome_reason(&line("首頁>地方頻道>鎮江>要聞")).is_some());
        assert!(chrome_reason(&line("聲明:本媒體部分圖片、文章來源於網絡,版權歸原作者所有")).is_some());
        assert!(chrome_reason(&line("猜你喜歡")).is_some());
        assert!(chrome_reason(&line("京ICP备09093569号-1   |  京公网安备 11010802026296号")).is_some());
        assert!(chrome_reason(&line("本文来源于网络,不代表石家庄地方网立场,转载请注明出处")).is_some());
        assert!(chrome_reason(&line("TU PIAN XIN WEN")).is_some());
        assert!(chrome_reason(&line("1399")).is_some());
    }

    #[test]
    fn article_sentences_are_not_chrome() {
        assert!(chrome_reason(&line("首次会商收获满满,下一步如何做?")).is_none());
        assert!(chrome_reason(&line("這並不代表兩地合作已經完成,雙方將繼續推進。")).is_none());
        assert!(chrome_reason(&line("搭建平臺助力兩地取長補短")).is_none());
    }

    #[test]
    fn bylines_in_parentheses_are_parsed() {
        assert_eq!(parse_byline("全面深化职务科技成果权属制度改革。(文露敏)"), Some("文露敏"));
        assert_eq!(parse_byline("取得更大成效。(記者 陳志奎)"), Some("記者 陳志奎"));
        assert_eq!(parse_byline("（本报综合）"), Some("本报综合"));
        assert_eq!(parse_byline("中國(重慶)自由貿易試驗區"), None);
        assert_eq!(parse_byline("合作三年行動計劃(2020-2022年)"), None);
    }

    #[test]
    fn broken_sentences_are_joined_and_headings_kept() {
        let page = segment(
            lines("首頁>新聞\n\n四川確定新一年科技創新任務書\n\n科技厅相关负责人表示,新的一年,四川将一手抓提升科技创新内核能\n\n级、一手抓打造一流创新生态。\n\n搭建平臺助力兩地取長補短\n\n兩地將共建技術轉移服務平臺聯盟,推動成果雙向轉移。"),
            &Hints::default(),
        )
        .expect("page");
        assert_eq!(page.lead.title, "四川確定新一年科技創新任務書");
        let texts: Vec<(&str, bool)> = page.lead.paragraphs.iter().map(|p| (p.text.as_str(), p.kind == ParagraphKind::Heading)).collect();
        assert_eq!(
            texts,
            vec![
                ("科技厅相关负责人表示，新的一年，四川将一手抓提升科技创新内核能级、一手抓打造一流创新生态。", false),
                ("搭建平臺助力兩地取長補短", true),
                ("兩地將共建技術轉移服務平臺聯盟，推動成果雙向轉移。", false),
            ]
        );
        assert_eq!(page.dropped.len(), 1);
        assert_eq!(page.dropped[0].reason, "breadcrumb navigation");
    }

    #[test]
    fn a_second_story_after_a_byline_is_separated() {
        let page = segment(
            lines("四川确定新一年科技创新任务书\n今年,四川将深入推进改革试点。(文露敏)\n南江县高质量推进天府科技云服务工作\n本报讯 2023年,巴中市南江县科协紧紧围绕职责开展服务。(付建昌)\n版权所有 四川科技报"),
            &Hints::default(),
        )
        .expect("page");
        assert_eq!(page.lead.paragraphs.len(), 1);
        assert_eq!(page.lead.byline.as_deref(), Some("文露敏"));
        assert_eq!(page.others.len(), 1);
        assert_eq!(page.others[0].title, "南江县高质量推进天府科技云服务工作");
        assert_eq!(page.dropped.last().map(|d| d.reason.as_str()), Some("copyright / ICP licence line"));
    }

    #[test]
    fn kicker_above_the_headline_is_kept_as_the_first_paragraph() {
        let page = segment(
            lines("欢迎关注\n四川科技网\n\n高新技术产业力争实现营业收入3万亿元\n\n四川确定新一年科技创新“任务书”\n\n力争全年高新技术企业达1.8万家,备案入库科技型中小企业2.3万家。"),
            &Hints::default(),
        )
        .expect("page");
        assert_eq!(page.lead.title, "四川确定新一年科技创新“任务书”");
        let kinds: Vec<(&str, ParagraphKind)> = page.lead.paragraphs.iter().map(|p| (p.text.as_str(), p.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("高新技术产业力争实现营业收入3万亿元", ParagraphKind::Kicker),
                ("力争全年高新技术企业达1.8万家，备案入库科技型中小企业2.3万家。", ParagraphKind::Text),
            ]
        );
        assert!(page.lead.lines.contains(&4), "{:?}", page.lead.lines);
        assert!(page.dropped.iter().all(|d| d.line != 4), "{:?}", page.dropped);
        let traditional = segment(lines("首頁>鎮江\n聚焦創新 引領產業強市\n加快培育新質生產力\n近日,鎮江市印發行動方案,明確了重點產業方向。"), &Hints::default()).expect("page");
        assert_eq!(traditional.lead.title, "加快培育新質生產力");
        assert_eq!(traditional.lead.paragraphs.first().map(|p| (p.text.as_str(), p.kind)), Some(("聚焦創新 引領產業強市", ParagraphKind::Kicker)));
    }

    #[test]
    fn site_names_places_and_menus_above_the_headline_are_not_kickers() {
        for above in ["四川科技网", "中国技术交易所网", "四川省广元市旺苍县", "首页 新闻中心 科技动态 通知公告", "首頁 要聞", "地方科技動態", "四川省科学技术厅门户网站", "新華網江蘇頻道"] {
            let text = format!("{above}\n四川确定新一年科技创新“任务书”\n力争全年高新技术企业达1.8万家,备案入库科技型中小企业2.3万家。");
            let page = segment(lines(&text), &Hints::default()).expect("page");
            assert_eq!(page.lead.title, "四川确定新一年科技创新“任务书”", "{above}");
            assert!(page.lead.paragraphs.iter().all(|p| p.kind != ParagraphKind::Kicker), "{above}: {:?}", page.lead.paragraphs);
            assert!(page.dropped.iter().any(|d| d.line == 1), "{above}");
        }
    }

    #[test]
    fn bylines_are_cut_from_the_paragraph_end() {
        assert_eq!(strip_byline("全面深化职务科技成果权属制度改革。(文露敏)").as_deref(), Some("全面深化职务科技成果权属制度改革。"));
        assert_eq!(strip_byline("推進產業強市建設取得更大成效。（記者 陳志奎）").as_deref(), Some("推進產業強市建設取得更大成效。"));
        assert_eq!(strip_byline("（記者 陳志奎）").as_deref(), Some(""));
        assert_eq!(strip_byline("中國（重慶）自由貿易試驗區"), None);
        assert_eq!(strip_byline("合作三年行動計劃(2020-2022年)"), None);
    }

    #[test]
    fn headline_with_a_comma_is_still_the_title() {
        let page = segment(lines("政策落地見實效,創新發展添動能\n近日,鎮江市印發行動方案,明確了重點產業方向。"), &Hints::default()).expect("page");
        assert_eq!(page.lead.title, "政策落地見實效，創新發展添動能");
        assert_eq!(page.lead.paragraphs.len(), 1);
    }
}
