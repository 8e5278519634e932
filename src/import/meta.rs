//! Reads an article's metadata from a segmented page: date, source, author, category
//! (keyword rules over the site's categories) and tags (TF-IDF over jieba segments).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jieba_rs::{Jieba, KeywordExtract, TfIdf};

use super::clean::{is_name_line, parse_byline, Line, Page};
use super::repair::is_cjk;

/// A calendar date with an optional time of day, as printed on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageDate {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub time: Option<(u32, u32)>,
}

impl PageDate {
    /// `2020-09-10T07:22:00+08:00` or `2020-09-10` (pages are in China Standard Time).
    pub fn to_front_matter(&self) -> String {
        match self.time {
            Some((hour, minute)) => format!("{:04}-{:02}-{:02}T{:02}:{:02}:00+08:00", self.year, self.month, self.day, hour, minute),
            None => format!("{:04}-{:02}-{:02}", self.year, self.month, self.day),
        }
    }
}

/// Where a date came from, which decides whether the article needs review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateSource {
    /// A full date printed in the page header.
    Page,
    /// `--date` given on the command line.
    Option,
    /// Month and day from the text, year from the page's context: needs review.
    Inferred(String),
    /// Nothing usable: needs review.
    Missing(String),
}

/// Full dates (`2020-09-10 07:22`, `2024/3/15`, `2024年3月15日`) in order of appearance.
pub fn full_dates(text: &str) -> Vec<PageDate> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut index = 0;
    while index < chars.len() {
        match parse_full_date_at(&chars, index) {
            Some((date, length)) => {
                found.push(date);
                index += length;
            }
            None => index += 1,
        }
    }
    found
}

/// Reads a run of ASCII digits at `index`: (value, length).
fn digits_at(chars: &[char], index: usize, max: usize) -> Option<(u32, usize)> {
    let run: String = chars.get(index..)?.iter().take_while(|c| c.is_ascii_digit()).take(max + 1).collect();
    if run.is_empty() || run.len() > max {
        return None;
    }
    run.parse().ok().map(|value| (value, run.len()))
}

fn parse_full_date_at(chars: &[char], index: usize) -> Option<(PageDate, usize)> {
    if index > 0 && chars.get(index - 1).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    if let Some(found) = parse_us_date_at(chars, index) {
        return Some(found);
    }
    let (year, year_length) = digits_at(chars, index, 4)?;
    if year_length != 4 || !(1990..=2100).contains(&year) {
        return None;
    }
    let separator = *chars.get(index + 4)?;
    let mut position = index + 5;
    let (month, month_length) = digits_at(chars, position, 2)?;
    position += month_length;
    let expected = match separator {
        '-' | '/' | '.' => separator,
        '年' => '月',
        _ => return None,
    };
    if chars.get(position) != Some(&expected) {
        return None;
    }
    position += 1;
    let (day, day_length) = digits_at(chars, position, 2)?;
    position += day_length;
    if separator == '年' && chars.get(position) == Some(&'日') {
        position += 1;
    }
    let valid = (1..=12).contains(&month) && (1..=31).contains(&day);
    let (time, time_length) = parse_time_at(chars, position);
    valid.then_some((PageDate { year, month, day, time }, position + time_length - index))
}

/// `7/5/2005` (month first, as US-made CMS print it), with its time.
fn parse_us_date_at(chars: &[char], index: usize) -> Option<(PageDate, usize)> {
    let (month, month_length) = digits_at(chars, index, 2)?;
    let mut position = index + month_length;
    (chars.get(position) == Some(&'/')).then_some(())?;
    let (day, day_length) = digits_at(chars, position + 1, 2)?;
    position += 1 + day_length;
    (chars.get(position) == Some(&'/')).then_some(())?;
    let (year, year_length) = digits_at(chars, position + 1, 4)?;
    position += 1 + year_length;
    let valid = year_length == 4 && (1990..=2100).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day);
    let (time, time_length) = parse_time_at(chars, position);
    valid.then_some((PageDate { year, month, day, time }, position + time_length - index))
}

/// ` 07:22`, ` 14:34:05` or ` 9:23:57 PM` after a date (seconds are read and dropped).
fn parse_time_at(chars: &[char], index: usize) -> (Option<(u32, u32)>, usize) {
    let spaces = chars.get(index..).map_or(0, |rest| rest.iter().take_while(|c| **c == ' ' || **c == 'T').count());
    let start = index + spaces;
    let parsed = (|| {
        let (hour, hour_length) = digits_at(chars, start, 2)?;
        if !matches!(chars.get(start + hour_length), Some(':' | '：')) {
            return None;
        }
        let (minute, minute_length) = digits_at(chars, start + hour_length + 1, 2)?;
        let mut end = start + hour_length + 1 + minute_length;
        if chars.get(end) == Some(&':') {
            end += 1 + digits_at(chars, end + 1, 2).map_or(0, |(_, length)| length);
        }
        let gap = chars.get(end..).map_or(0, |rest| rest.iter().take_while(|c| **c == ' ').count());
        let marker: String = chars.get(end + gap..).map_or(String::new(), |rest| rest.iter().take(2).collect::<String>().to_ascii_uppercase());
        let hour = match marker.as_str() {
            "PM" if hour < 12 => hour + 12,
            "AM" if hour == 12 => 0,
            _ => hour,
        };
        if marker == "PM" || marker == "AM" {
            end += gap + 2;
        }
        (hour < 24 && minute < 60).then_some(((hour, minute), end - index))
    })();
    match parsed {
        Some((time, length)) => (Some(time), length),
        None => (None, 0),
    }
}

/// `2月19日` mentions: (month, day) in order; char positions are not needed by callers.
pub fn month_day_positions(text: &str) -> Vec<(u32, u32)> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for index in 0..chars.len() {
        let after_digit = index > 0 && chars.get(index - 1).is_some_and(|c| c.is_ascii_digit());
        if after_digit {
            continue;
        }
        let Some((month, length)) = digits_at(&chars, index, 2) else { continue };
        if chars.get(index + length) != Some(&'月') {
            continue;
        }
        let Some((day, day_length)) = digits_at(&chars, index + length + 1, 2) else { continue };
        let closes = matches!(chars.get(index + length + 1 + day_length), Some('日' | '号'));
        if closes && (1..=12).contains(&month) && (1..=31).contains(&day) {
            found.push((month, day));
        }
    }
    found
}

/// The year a page is about: the one it names most often (`2024年`), when it names it
/// at least twice and more often than any other year.
pub fn context_year(text: &str) -> Option<u32> {
    let chars: Vec<char> = text.chars().collect();
    let mut counts: BTreeMap<u32, u32> = BTreeMap::new();
    for index in 0..chars.len() {
        if index > 0 && chars.get(index - 1).is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        if let Some((year, 4)) = digits_at(&chars, index, 4) {
            if chars.get(index + 4) == Some(&'年') && (1990..=2100).contains(&year) {
                *counts.entry(year).or_insert(0) += 1;
            }
        }
    }
    let mut ranked: Vec<(u32, u32)> = counts.into_iter().map(|(year, count)| (count, year)).collect();
    ranked.sort_unstable_by(|a, b| b.cmp(a));
    match ranked.as_slice() {
        [(count, year)] if *count >= 2 => Some(*year),
        [(count, year), (second, _), ..] if *count >= 2 && count > second => Some(*year),
        _ => None,
    }
}

/// The first full date printed in the page header (between the headline and the text).
pub fn header_date(page: &Page) -> Option<PageDate> {
    page.header.iter().filter_map(|&i| page.lines.get(i)).flat_map(|line| full_dates(&line.text)).next()
}

/// A date printed right below the article: a labelled one (`发布日期：2019-09-23`)
/// first, else a line that is only a date.
pub fn tail_date(lines: &[String]) -> Option<PageDate> {
    let labels = ["发布", "發布", "日期", "时间", "時間", "发表", "發表", "更新"];
    let labelled = lines.iter().filter(|l| labels.iter().any(|label| l.contains(label))).find_map(|l| full_dates(l).into_iter().next());
    labelled.or_else(|| lines.iter().filter(|l| l.chars().count() <= 24).find_map(|l| full_dates(l).into_iter().next()))
}

/// The date in a page address: `/2019-09/23/`, `/201909/23/`, `/20190923/`,
/// `t20190923_`, `/2019/09/23/`.
pub fn url_date(url: &str) -> Option<PageDate> {
    // The path only: a host or port (`127.0.0.1:8765`) holds no date.
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = rest.find('/').map_or("", |at| &rest[at..]);
    let digits: Vec<(usize, String)> = {
        let mut runs = Vec::new();
        let mut current = String::new();
        let mut start = 0;
        for (index, c) in path.char_indices() {
            if c.is_ascii_digit() {
                if current.is_empty() {
                    start = index;
                }
                current.push(c);
            } else if !current.is_empty() {
                runs.push((start, std::mem::take(&mut current)));
            }
        }
        if !current.is_empty() {
            runs.push((start, current));
        }
        runs
    };
    let number = |s: &str| s.parse::<u32>().ok();
    let make = |year: u32, month: u32, day: u32| {
        ((1990..=2100).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day)).then_some(PageDate { year, month, day, time: None })
    };
    for (index, (_, run)) in digits.iter().enumerate() {
        let next = |k: usize| digits.get(index + k).map(|(_, r)| r.as_str());
        let found = match run.len() {
            8 => make(number(&run[..4])?, number(&run[4..6])?, number(&run[6..])?),
            6 => next(1).filter(|d| d.len() == 2).and_then(|d| make(number(&run[..4])?, number(&run[4..])?, number(d)?)),
            4 => match (next(1), next(2)) {
                (Some(m), Some(d)) if m.len() == 2 && d.len() == 2 => make(number(run)?, number(m)?, number(d)?),
                // `/2019/0923/`, as people.com.cn and many government sites file pages.
                (Some(md), _) if md.len() == 4 => make(number(run)?, number(&md[..2])?, number(&md[2..])?),
                _ => None,
            },
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The date of the lead story: a full date in the page header, else `--date`, else
/// the latest month-day in the stories with the context year (flagged for review).
pub fn detect_date(page: &Page, option: Option<PageDate>) -> (Option<PageDate>, DateSource) {
    if let Some(date) = header_date(page) {
        return (Some(date), DateSource::Page);
    }
    if let Some(date) = option {
        return (Some(date), DateSource::Option);
    }
    let lead_text = story_text(&page.lead);
    let all_stories: String = std::iter::once(&page.lead).chain(page.others.iter()).map(story_text).collect::<Vec<_>>().join("\n");
    let year = context_year(&all_stories);
    let latest_in = |text: &str| month_day_positions(text).into_iter().max();
    let month_day = latest_in(&lead_text).or_else(|| latest_in(&all_stories));
    match (month_day, year) {
        (Some((month, day)), Some(year)) => {
            let why = format!("inferred from '{month}月{day}日' in the text and the year {year} the page names most; check it");
            (Some(PageDate { year, month, day, time: None }), DateSource::Inferred(why))
        }
        (Some((month, day)), None) => (None, DateSource::Missing(format!("the page says {month}月{day}日 but not the year; give --date or add date:"))),
        (None, _) => (None, DateSource::Missing("the page gives no date; give --date or add date:".to_string())),
    }
}

fn story_text(story: &super::clean::Story) -> String {
    story.paragraphs.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n")
}

/// Parses `YYYY-MM-DD` as given to `--date`.
pub fn parse_option_date(text: &str) -> Option<PageDate> {
    let date = full_dates(text.trim()).into_iter().next()?;
    (date.to_front_matter().len() >= 10 && text.trim().chars().count() == 10).then_some(date)
}

/// The site or publication that printed the page.
pub fn detect_source(page: &Page) -> Option<String> {
    let header_lines = || page.header.iter().filter_map(|&i| page.lines.get(i));
    let labelled = header_lines().find_map(|line| labelled_value(&line.text, &["来源", "來源"]));
    let issue = header_lines().find_map(|line| issue_publication(&line.text));
    let stance = page.lines.iter().find_map(|line| disclaimer_site(&line.text));
    let copyright = page.lines.iter().find_map(|line| copyright_holder(&line.text));
    let site_line = header_lines().find_map(|line| site_name_line(&line.text));
    labelled.or(issue).or(stance).or(copyright).or(site_line)
}

/// `来源：四川日报 时间：…` → 四川日报; an empty value gives None.
fn labelled_value(text: &str, labels: &[&str]) -> Option<String> {
    let start = labels.iter().find_map(|label| text.find(label).map(|at| at + label.len()))?;
    let rest = text.get(start..)?.trim_start_matches([':', '：', ' ']);
    let value: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
    let stop_words = ["时间", "時間", "作者", "发布", "發布", "编辑", "編輯", "浏览", "瀏覽"];
    let value = stop_words.iter().fold(value, |v, stop| v.split(stop).next().unwrap_or_default().to_string());
    let value = value.trim_end_matches([':', '：']).to_string();
    (value.chars().count() >= 2).then_some(value)
}

/// `今日重慶 2020年6期` → 今日重慶.
fn issue_publication(text: &str) -> Option<String> {
    let (name, issue) = text.trim().split_once(' ')?;
    let is_issue = issue.trim().ends_with('期') && issue.chars().any(|c| c.is_ascii_digit());
    (is_issue && (2..=20).contains(&name.chars().count()) && name.chars().all(is_cjk)).then(|| name.to_string())
}

/// `本文来源于网络,不代表石家庄地方网立场` → 石家庄地方网.
fn disclaimer_site(text: &str) -> Option<String> {
    let after = text.split("不代表").nth(1)?;
    let (name, _) = after.split_once("立场").or_else(|| after.split_once("立場"))?;
    let own_site = ["本网", "本網", "本站", "赞同", "贊同"].iter().any(|w| name.contains(w));
    let plausible = (2..=20).contains(&name.chars().count()) && name.chars().all(is_cjk);
    (plausible && !own_site).then(|| name.to_string())
}

/// `版权所有:中国技术交易所有限公司` or `Copyright … by 石家庄地方网 …` → the holder.
fn copyright_holder(text: &str) -> Option<String> {
    let after = text
        .split_once("版权所有")
        .or_else(|| text.split_once("版權所有"))
        .map(|(_, rest)| rest)
        .or_else(|| text.split_once(" by ").map(|(_, rest)| rest))?;
    let name: String = after
        .trim_start_matches([':', '：', ' ', '©'])
        .chars()
        .take_while(|c| is_cjk(*c))
        .collect();
    let name = ["股份有限公司", "有限责任公司", "有限公司"].iter().fold(name, |n, suffix| n.strip_suffix(suffix).map(str::to_string).unwrap_or(n));
    (name.chars().count() >= 2).then_some(name)
}

/// Whether a line is only a site's or paper's name (`四川科技网`, `今日重慶`).
pub fn is_site_name(text: &str) -> bool {
    site_name_line(text).is_some()
}

/// A short header line that names a site: `四川科技网`.
fn site_name_line(text: &str) -> Option<String> {
    let t = text.trim();
    let is_site = ["网", "網", "报", "報", "日报", "在线", "新闻网"].iter().any(|s| t.ends_with(s));
    (is_site && (3..=12).contains(&t.chars().count()) && t.chars().all(is_cjk)).then(|| t.to_string())
}

/// The author: a byline in the header, else the byline closing the story.
pub fn detect_author(page: &Page, story: &super::clean::Story, is_lead: bool) -> Option<String> {
    let header_author = if is_lead { header_byline(page) } else { None };
    header_author
        .or_else(|| story.byline.as_deref().and_then(author_from_byline))
        .or_else(|| story.paragraphs.last().and_then(|p| parse_byline(&p.text)).and_then(author_from_byline))
        .or_else(|| story.paragraphs.iter().filter(|p| p.kind == super::clean::ParagraphKind::Text).take(3).find_map(|p| dateline_author(&p.text)))
        .or_else(|| byline_paragraph(story).and_then(|index| story.paragraphs.get(index)).and_then(|p| labelled_author(&p.text)))
}

/// The paragraph that is only a byline (`执笔/叨叨姐`, `《棱镜》作者 周纯`, `扬子晚报记者
/// 张楠`): among the last two, else the first six paragraphs of the story.
pub fn byline_paragraph(story: &super::clean::Story) -> Option<usize> {
    let count = story.paragraphs.len();
    let is_byline = |index: &usize| story.paragraphs.get(*index).is_some_and(|p| is_byline_line(&p.text));
    (count.saturating_sub(2)..count).rev().find(is_byline).or_else(|| (0..count.min(6)).find(is_byline))
}

/// `新京报讯（记者 陆一夫）11月25日…`, `新华社巴黎12月9日电（记者唐霁）…`: the byline
/// in parentheses after the dateline at the start of the first paragraph.
pub fn dateline_author(paragraph: &str) -> Option<String> {
    let open = paragraph.find(['（', '('])?;
    if paragraph.get(..open)?.chars().count() > 40 {
        return None;
    }
    let inside = paragraph.get(open..)?.trim_start_matches(['（', '(']);
    let close = inside.find(['）', ')'])?;
    labelled_author(inside.get(..close)?)
}

/// A short line that is only a byline (`扬子晚报记者 张楠`, `采写：南都见习记者 林子沛`),
/// not a sentence.
pub fn is_byline_line(text: &str) -> bool {
    let text = text.trim();
    text.chars().count() <= 30 && !text.contains(['。', '，', '！', '？']) && labelled_author(text).is_some()
}

fn header_byline(page: &Page) -> Option<String> {
    let lines: Vec<&Line> = page.header.iter().filter_map(|&i| page.lines.get(i)).filter(|l| l.number > page.lead.title_line).collect();
    // `2020-09-10 07:22高維微` in page text; on a web page a name after the time is
    // the source (`18:57 参考消息`) far more often.
    let after_date = lines.iter().filter(|_| !page.from_markup).find_map(|line| name_after_date(&line.text));
    let labelled = lines.iter().find_map(|line| labelled_author(&line.text));
    let alone = lines
        .iter()
        .filter(|_| !page.from_markup)
        .find(|line| is_name_line(&line.text) && !is_interface_word(line.text.trim()))
        .map(|line| line.text.trim().to_string());
    let name_slash_media = lines.iter().find_map(|line| name_before_media(&line.text));
    after_date.or(labelled).or(name_slash_media).or(alone)
}

/// `石佳/中国青年报`: a writer's name, a slash and the paper or site.
fn name_before_media(text: &str) -> Option<String> {
    let (name, media) = text.trim().split_once(['/', '／'])?;
    let name = name.trim();
    let media = media.trim();
    let is_media = ["报", "報", "网", "網", "社", "台", "新闻", "新聞", "日报", "杂志", "雜誌"].iter().any(|m| media.ends_with(m));
    let is_name = (2..=4).contains(&name.chars().count()) && name.chars().all(is_cjk) && !is_interface_word(name);
    (is_media && is_name && media.chars().count() <= 12).then(|| name.to_string())
}

/// Words of page furniture that look like a two-to-four character name.
fn is_interface_word(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "首页", "首頁", "搜索", "发表评论", "發表評論", "评论", "評論", "登录", "登錄", "注册", "註冊", "分享", "收藏", "打印", "关闭", "關閉",
        "返回", "更多", "大中小", "字号", "字號", "责任编辑", "責任編輯", "相关阅读", "热门推荐", "我要评论", "查看原文", "阅读原文", "閱讀原文",
        "原标题", "原標題", "编辑", "編輯", "来源", "來源", "作者", "未知", "佚名", "匿名", "网络整理", "網絡整理", "最新文章", "赞赏", "讚賞", "主页", "主頁", "简介", "簡介", "网络", "網絡", "本站编辑", "整合", "综合", "綜合", "报道", "報道", "编译", "編譯", "摄影", "攝影", "实习生", "實習生", "见习", "特约", "融媒体", "本站", "本网", "本網", "网友", "網友",
    ];
    WORDS.contains(&text)
}

/// The writer a byline names: `作者：张三`, `记者 李四 王五`, `文/赵六`, `通讯员：孙七`,
/// `编辑：周八` (not `责任编辑`, the desk editor). A name is two to four ideographs
/// (`·` allowed), up to three of them.
pub fn labelled_author(text: &str) -> Option<String> {
    let text = text.trim();
    let labels = ["作者", "记者", "記者", "撰文", "采写", "採寫", "执笔", "執筆", "文/", "文／", "文 /", "通讯员", "通訊員", "编辑", "編輯"];
    for label in labels {
        let mut from = 0;
        while let Some(at) = text.get(from..).and_then(|t| t.find(label)).map(|a| a + from) {
            from = at + label.len();
            let before = text.get(..at).unwrap_or_default();
            if before.ends_with("责任") || before.ends_with("責任") {
                continue;
            }
            let after = text.get(from..).unwrap_or_default();
            let separated = after.starts_with([':', '：', ' ', '　', '|', '/', '／']) || label.ends_with('/') || label.ends_with('／');
            let rest = after.trim_start_matches([':', '：', ' ', '　', '|', '/', '／']).replace(['【', '】', '[', ']', '（', '）', '(', ')', '&'], " ");
            let rest = rest.as_str();
            let token_end = rest.find([' ', '　']).unwrap_or(rest.len());
            let first_token = rest.get(..token_end).unwrap_or_default();
            // `记者张三` is a byline; `记者了解到，…` is prose.
            let whole_token = first_token.chars().all(|c| is_cjk(c) || c == '·' || c == '、');
            // Reporters' bylines are written glued (`本报记者张三`), and `作者魏星` alone on
            // a line; `作者最新文章` is a sidebar heading.
            let alone = first_token == rest.trim_end() && first_token.chars().count() <= 4;
            let may_glue = ["记者", "記者", "通讯员", "通訊員"].contains(&label) || (label == "作者" && alone);
            if !separated && !(whole_token && may_glue) {
                continue;
            }
            let names: Vec<String> = rest
                .split([' ', '　', '、', ',', '，'])
                .take_while(|part| !part.is_empty() && part.chars().all(|c| is_cjk(c) || c == '·') && !labels.iter().any(|l| part.starts_with(l)))
                .take(3)
                .map(cut_at_label)
                .filter(|part| (2..=4).contains(&part.chars().filter(|c| *c != '·').count()) && !is_interface_word(part))
                .collect();
            if !names.is_empty() {
                return Some(names.join("、"));
            }
        }
    }
    None
}

/// `张三来源` → `张三`: a name glued to the next label.
fn cut_at_label(name: &str) -> String {
    ["来源", "來源", "发布", "發布", "时间", "時間", "编辑", "編輯", "日期"].iter().fold(name.to_string(), |n, label| n.split(label).next().unwrap_or_default().to_string())
}

/// `2020-09-10 07:22高維微` → 高維微.
fn name_after_date(text: &str) -> Option<String> {
    full_dates(text).first()?;
    let tail: String = text.chars().rev().take_while(|c| is_cjk(*c)).collect::<Vec<_>>().into_iter().rev().collect();
    let starts_with_digit_before = text.trim_end_matches(tail.as_str()).trim_end().chars().last().is_some_and(|c| c.is_ascii_digit());
    ((2..=4).contains(&tail.chars().count()) && starts_with_digit_before).then_some(tail)
}

/// The person named by the byline closing a paragraph (`……成效。（記者 陳志奎）` →
/// 陳志奎); None when there is no byline or it names no person (`（本报综合）`).
pub fn byline_author(paragraph: &str) -> Option<String> {
    parse_byline(paragraph).and_then(author_from_byline)
}

/// `記者 陳志奎` → 陳志奎; `杨尚威 摄影报道` → 杨尚威; `本报综合` → None.
fn author_from_byline(byline: &str) -> Option<String> {
    let roles = ["本报记者", "本報記者", "记者", "記者", "通讯员", "通訊員", "文/", "摄影报道", "攝影報道", "摄影", "攝影", "报道", "報道", "摄", "攝"];
    if ["本报", "本報", "综合", "綜合", "整理"].iter().any(|w| byline.contains(w)) {
        return None;
    }
    let names: Vec<String> = byline
        .split([' ', '、', '/'])
        .map(|part| roles.iter().fold(part.to_string(), |p, role| p.replace(role, "")))
        .filter(|name| (2..=4).contains(&name.chars().count()))
        .collect();
    (!names.is_empty()).then(|| names.join("、"))
}

/// Words that point at a kind of policy news, for category names a site commonly uses
/// (the sample site's ten and a few more). Other names vote with their own words.
const CATEGORY_KEYWORDS: &[(&str, &[&str])] = &[
    ("科技合作", &["合作", "会商", "协议", "签约", "签署", "携手", "对接", "厅市", "局县", "战略合作"]),
    ("区域协同", &["协同", "双城", "经济圈", "一体化", "川渝", "成渝", "毗邻", "两地", "跨区域", "区域"]),
    ("规划部署", &["规划", "部署", "任务书", "任务", "工作会议", "要点", "目标", "计划", "确定"]),
    ("工作部署", &["部署", "任务", "工作会议", "要点", "安排", "任务书"]),
    ("工作动态", &["会议", "召开", "调研", "座谈", "开展", "举办"]),
    ("政策解读", &["解读", "印发", "方案", "意见", "办法", "条例", "细则", "答记者问", "政策"]),
    ("成果转化", &["成果转化", "转移转化", "技术交易", "技术合同", "中试", "技术转移"]),
    ("创新平台", &["平台", "实验室", "研究院", "孵化器", "新型研发机构", "工程技术研究中心"]),
    ("人才政策", &["人才", "引才", "专家", "院士", "科技特派员"]),
    ("科技人才", &["人才", "引才", "专家", "院士", "科技特派员"]),
    ("科技金融", &["金融", "基金", "贷款", "融资", "投资"]),
    ("县域创新", &["县域", "县级", "创新型县"]),
    ("产业创新", &["产业链", "新质生产力", "制造业", "产业强市", "未来产业", "新兴产业"]),
    ("农业科技", &["农业", "乡村", "农村", "种业", "农产品"]),
    ("企业创新", &["高新技术企业", "科技型中小企业", "企业创新", "创新联合体"]),
];

/// Headline words that name the kind of piece outright (an interpretation is filed as
/// one whatever its topic).
const TITLE_GENRE_MARKERS: &[(&str, &[&str])] = &[("政策解读", &["解读", "答记者问", "一图读懂", "图解"])];

fn category_named_by_title(categories: &[String], title: &str) -> Option<String> {
    categories.iter().find_map(|name| {
        let simplified = zhconv::zhconv(name, zhconv::Variant::ZhHans);
        let (_, markers) = TITLE_GENRE_MARKERS.iter().find(|(genre, _)| *genre == simplified)?;
        markers.iter().any(|m| title.contains(m)).then(|| name.clone())
    })
}

/// Bigrams too common in this domain to tell categories apart.
const COMMON_BIGRAMS: &[&str] = &["科技", "创新", "工作", "发展", "建设"];

/// The site category the text fits best (texts in simplified characters), with
/// whether any keyword matched at all.
pub fn detect_category(categories: &[String], title: &str, body: &str) -> Option<(String, bool)> {
    if let Some(genre) = category_named_by_title(categories, title) {
        return Some((genre, true));
    }
    let scored: Vec<(u32, usize)> = categories
        .iter()
        .enumerate()
        .map(|(order, name)| {
            let words = category_words(name);
            let count = |text: &str| words.iter().map(|w| text.matches(w.as_str()).count() as u32).sum::<u32>();
            (count(title) * 3 + count(body), order)
        })
        .collect();
    // Highest score wins; ties go to the category listed first in site.toml.
    let best = scored.iter().max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))?;
    categories.get(best.1).map(|name| (name.clone(), best.0 > 0))
}

/// The words that vote for a category: its own name, its known keywords, and the
/// name's distinctive two-character pieces.
fn category_words(name: &str) -> Vec<String> {
    let simplified = zhconv::zhconv(name, zhconv::Variant::ZhHans);
    let mut words = vec![simplified.clone()];
    if let Some((_, keywords)) = CATEGORY_KEYWORDS.iter().find(|(category, _)| *category == simplified) {
        words.extend(keywords.iter().map(|k| k.to_string()));
    } else {
        let chars: Vec<char> = simplified.chars().collect();
        words.extend(chars.chunks(2).map(|pair| pair.iter().collect::<String>()).filter(|b| b.chars().count() == 2 && !COMMON_BIGRAMS.contains(&b.as_str())));
    }
    words.sort();
    words.dedup();
    words
}

/// The segmenter and the TF-IDF extractor, built once (about 0.1 s).
fn keyword_tools() -> &'static (Jieba, TfIdf) {
    static TOOLS: OnceLock<(Jieba, TfIdf)> = OnceLock::new();
    TOOLS.get_or_init(|| {
        let mut jieba = Jieba::new();
        for term in POLICY_TERMS {
            // Frequent enough to beat the split into its parts (新质 + 生产力).
            let frequency = jieba.suggest_freq(term).max(1000);
            jieba.add_word(term, Some(frequency), Some("n"));
        }
        (jieba, TfIdf::default())
    })
}

/// Terms of Chinese science-and-technology policy that the general dictionary splits;
/// they make the best tags.
const POLICY_TERMS: &[&str] = &[
    "新质生产力", "产业强市", "局县会商", "厅市会商", "科技会商", "县域创新", "双城经济圈", "成果转化",
    "科技成果转移转化", "可持续发展实验区", "高新技术企业", "科技型中小企业", "创新联合体", "揭榜挂帅",
    "大科学装置", "基础研究", "绿色家居", "未来产业", "新兴产业", "关键核心技术", "行动方案", "任务书",
    "清单制", "全面创新改革", "技术转移", "军民融合", "中试熟化", "天府科技云", "科技金融", "创新平台",
    "科技人才", "科技特派员", "产业链", "创新生态", "技术合同", "工作会商", "科技合作", "协同创新",
    "成渝地区双城经济圈", "重大科技专项",
];

/// Parts of speech worth a tag: nouns, place/organisation names, verbal nouns (not
/// personal names or set phrases such as 紧紧围绕).
const TAG_POS: &[&str] = &["n", "nz", "nt", "ns", "vn", "eng"];

/// Words so common in policy news that they make useless tags: generic nouns, kinds
/// of institutions, verbs used as nouns (共谋, 助力), cut-off parts of terms (专项).
const TAG_STOP_WORDS: &[&str] = &[
    "科技", "创新", "发展", "工作", "建设", "推进", "推动", "实施", "加快", "全面", "重点", "相关", "负责人", "方面",
    "领域", "企业", "项目", "产业", "我们", "记者", "本报", "今年", "去年", "目前", "下一步", "进一步",
    "两地", "双方", "事项", "方式", "问题", "能力", "部门", "活动", "服务", "吹响", "高质量", "培育", "方案",
    "行动", "工程", "体系", "市局", "事业", "意见", "要求", "举措", "作用", "机制", "驱动", "资源", "目标", "精准",
    "大会", "群众", "合作",
    // generic nouns of the domain
    "技术", "平台", "交流", "创业", "专项", "科学技术", "科技成果", "成果", "议题", "会议", "会商", "载体", "主体",
    "基地", "中心", "优势", "特色", "布局", "战略", "生态", "活力", "关键", "智能", "营业", "评价", "地区", "领导",
    "影响力", "现代化", "总书记", "万众", "大众", "着力", "深度", "全国", "全省", "全市", "中国", "中国式", "西南",
    "西部", "东部", "国家", "政府",
    // kinds of institutions
    "大学", "学院", "研究院", "研究所", "高校", "院校", "机构",
    // verbs and verbal nouns that say what was done, not what about
    "共谋", "携手", "助力", "助推", "打造", "融合", "协同", "转型", "升级", "攻坚", "共用", "互通", "共享", "开展",
    "启动", "力争", "确定", "召开", "举办", "签署", "提升",
];

/// TF-IDF scores of the known policy terms are multiplied by this. The IDF table
/// does not know terms added to the dictionary and gives them the median IDF, but
/// they are rarer (more telling) than most of its words.
const POLICY_TERM_BOOST: f64 = 2.0;

/// Up to `count` tags for a simplified text, best first. Words inside `avoid` (region
/// paths, the author) are left to their own fields; generic words, offices, titles
/// and place names are skipped; a word is replaced by the longest known term that
/// holds it when the text has that term (双城经济圈 → 成渝地区双城经济圈).
pub fn detect_tags(title: &str, body: &str, avoid: &[String], count: usize) -> Vec<String> {
    let (jieba, tfidf) = keyword_tools();
    // The title is repeated so that its words weigh like a headline should.
    let text = format!("{title}。{title}。{title}。{body}");
    let allowed: Vec<String> = TAG_POS.iter().map(|p| p.to_string()).collect();
    let keywords = tfidf.extract_keywords(jieba, &text, count * 8, allowed);
    let mut ranked: Vec<(f64, String)> = keywords
        .into_iter()
        .map(|k| {
            let word = longest_known_term(&k.keyword, &text);
            let boost = if POLICY_TERMS.contains(&word.as_str()) { POLICY_TERM_BOOST } else { 1.0 };
            (k.weight * boost, word)
        })
        .collect();
    // Best score first; equal scores in character order, so the output is stable.
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let words: Vec<String> = ranked.into_iter().map(|(_, word)| word).collect();
    let places: Vec<&str> = avoid.iter().flat_map(|path| path.split('/')).collect();
    let mut tags: Vec<String> = Vec::new();
    for word in &words {
        // 县域 adds nothing beside 县域创新.
        let part_of_longer = words.iter().any(|other| other.len() > word.len() && other.contains(word.as_str()));
        let useful = !part_of_longer
            && word.chars().count() >= 2
            && word.chars().any(is_cjk)
            && !is_generic_tag(word)
            && !places.iter().any(|place| place.contains(word.as_str()) || word.contains(place))
            && !tags.contains(word);
        if useful {
            tags.push(word.clone());
        }
        if tags.len() == count {
            break;
        }
    }
    tags
}

/// The longest known policy term that contains `word` when the text mostly uses the
/// word inside that term (at least half of its occurrences), else the word itself:
/// 双城经济圈 → 成渝地区双城经济圈, but not 合作 → 科技合作 in a text full of 合作.
fn longest_known_term(word: &str, text: &str) -> String {
    let occurrences = text.matches(word).count();
    POLICY_TERMS
        .iter()
        .filter(|term| term.len() > word.len() && term.contains(word))
        .filter(|term| text.matches(*term).count() * term.matches(word).count() * 2 >= occurrences.max(1))
        .fold(None::<&str>, |best, term| match best {
            Some(b) if b.chars().count() >= term.chars().count() => Some(b),
            _ => Some(term),
        })
        .unwrap_or(word)
        .to_string()
}

/// Words that say nothing about what an article is about: the stop list, names of
/// offices and officials' titles (科技厅, 市政府, 厅长), and place names (the region
/// field holds those).
fn is_generic_tag(word: &str) -> bool {
    TAG_STOP_WORDS.contains(&word) || is_office_or_title(word) || super::regions::divisions().is_only_place_names(word)
}

/// `科技厅`, `科技局`, `发改委`, `市政府`, `人民政府`, `管委会`, `厅长`, `书记`: short words
/// ending in the name of an office or an official's title.
fn is_office_or_title(word: &str) -> bool {
    const OFFICE_ENDINGS: &[&str] = &["厅", "局", "委", "办", "政府", "委员会", "管委会", "厅长", "局长", "市长", "县长", "区长", "书记", "主任"];
    word.chars().count() <= 5 && OFFICE_ENDINGS.iter().any(|ending| word.ends_with(ending))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_addresses_in_the_forms_sites_use() {
        let day = |url: &str| url_date(url).map(|d| (d.year, d.month, d.day));
        assert_eq!(day("http://politics.people.com.cn/n1/2019/0923/c1001-31367349.html"), Some((2019, 9, 23)));
        assert_eq!(day("https://www.example.gov.cn/2021-04/08/c_1127.htm"), Some((2021, 4, 8)));
        assert_eq!(day("https://news.example.com/a/20191125/123.html"), Some((2019, 11, 25)));
        assert_eq!(day("http://127.0.0.1:8765/2024/0315/notice.html"), Some((2024, 3, 15)));
        // A port or an address in the host is not a date.
        assert_eq!(day("http://10.2.20.1:2024/news/show.html"), None);
    }

    #[test]
    fn full_dates_in_several_forms() {
        let dates = full_dates("2020-09-10 07:22高維微");
        assert_eq!(dates, vec![PageDate { year: 2020, month: 9, day: 10, time: Some((7, 22)) }]);
        assert_eq!(dates[0].to_front_matter(), "2020-09-10T07:22:00+08:00");
        assert_eq!(full_dates("發布時間：2024年3月15日")[0].to_front_matter(), "2024-03-15");
        assert!(full_dates("合作三年行動計劃(2020-2022年)").is_empty());
        assert!(full_dates("電話:010-62679508").is_empty());
    }

    #[test]
    fn month_days_and_context_year() {
        assert_eq!(month_day_positions("2月19日,泸州市龙马潭区举办活动;2月18日复工"), vec![(2, 19), (2, 18)]);
        assert_eq!(month_day_positions("5月13日的簽約儀式"), vec![(5, 13)]);
        assert!(month_day_positions("去年12月开工").is_empty());
        assert_eq!(context_year("2024年四川省科技创新工作会议。2024年,四川将实施。在去年2023年基础上"), Some(2024));
        assert_eq!(context_year("自2012年建立机制以来,特别是2014年第二次会商以来"), None);
    }

    #[test]
    fn option_date_must_be_a_plain_day() {
        assert_eq!(parse_option_date("2024-03-15").map(|d| d.to_front_matter()).as_deref(), Some("2024-03-15"));
        assert_eq!(parse_option_date("2024-13-15"), None);
        assert_eq!(parse_option_date("三月十五"), None);
    }

    #[test]
    fn sources_from_labels_disclaimers_and_copyright() {
        assert_eq!(labelled_value("来源: 时间:", &["来源"]), None);
        assert_eq!(labelled_value("來源：四川日報 時間：2024-03-15", &["來源"]).as_deref(), Some("四川日報"));
        assert_eq!(issue_publication("今日重慶 2020年6期").as_deref(), Some("今日重慶"));
        assert_eq!(disclaimer_site("本文来源于网络,不代表石家庄地方网立场,转载请注明出处").as_deref(), Some("石家庄地方网"));
        assert_eq!(copyright_holder("版权所有:中国技术交易所有限公司 │ 业务洽谈").as_deref(), Some("中国技术交易所"));
        assert_eq!(site_name_line("四川科技网").as_deref(), Some("四川科技网"));
    }

    #[test]
    fn authors_from_bylines() {
        assert_eq!(author_from_byline("記者 陳志奎").as_deref(), Some("陳志奎"));
        assert_eq!(author_from_byline("文露敏").as_deref(), Some("文露敏"));
        assert_eq!(author_from_byline("杨尚威 摄影报道").as_deref(), Some("杨尚威"));
        assert_eq!(author_from_byline("本报综合"), None);
        assert_eq!(name_after_date("2020-09-10 07:22高維微").as_deref(), Some("高維微"));
    }

    #[test]
    fn category_by_keywords_in_site_order() {
        let categories: Vec<String> = ["科技合作", "政策解读", "规划部署", "产业创新"].iter().map(|s| s.to_string()).collect();
        // The headline names the genre: an interpretation, even of an industry plan.
        let (category, matched) = detect_category(
            &categories,
            "加快培育新质生产力 以科技创新推动产业创新——解读《镇江市科技创新引领产业强市行动方案》",
            "以创新引领产业强市，推动产业链升级，培育未来产业和新兴产业。",
        )
        .expect("category");
        assert_eq!((category.as_str(), matched), ("政策解读", true));
        let (category, _) = detect_category(&categories, "北碚与绵阳签署合作协议", "两地将共建平台。").expect("category");
        assert_eq!(category, "科技合作");
        let (category, matched) = detect_category(&categories, "春风送岗", "招聘会提供岗位。").expect("category");
        assert_eq!((category.as_str(), matched), ("科技合作", false));
        assert_eq!(detect_category(&[], "标题", "正文"), None);
    }

    fn simplified(text: &str) -> String {
        zhconv::zhconv(text, zhconv::Variant::ZhHans)
    }

    #[test]
    fn generic_words_verbs_and_offices_are_not_tags() {
        let tags = detect_tags(
            "四川省科学技术厅广安市人民政府第三次厅市工作会商会议在广安召开",
            "为全面推进大众创业、万众创新，四川省科技厅与广安市人民政府召开了第三次厅市工作会商会议。会商议题是推进创新平台载体建设促进广安大众创业万众创新。\
             刘东厅长为广安国家级可持续发展实验区进行了授牌。科技厅相关处室负责同志参会。厅市会商以来，双方围绕高新技术产业发展、创新平台建设、可持续发展实验区建设等重大问题，共同推进。",
            &["四川省/广安市".to_string()],
            5,
        );
        for generic in ["科技厅", "创业", "人民政府", "厅长", "会商", "平台", "大众"] {
            assert!(!tags.iter().any(|t| t == generic), "{generic} in {tags:?}");
        }
        assert!(tags.iter().any(|t| t == "可持续发展实验区") && tags.iter().any(|t| t == "创新平台"), "{tags:?}");
        let title = "携手共谋县域创新 四川首次举办局县科技会商";
        let tags = detect_tags(title, "这是广元市科学技术局与旺苍县人民政府开展局县会商工作会议的部分议题。作为四川省科技系统首次开展的局县科技会商，“清单制”议题设置方式正成为四川推动县域科技创新的一项崭新探索。", &["四川省/广元市/旺苍县".to_string()], 5);
        assert!(!tags.iter().any(|t| t == "共谋" || t == "携手" || t == "科学技术"), "{tags:?}");
        assert!(tags.iter().any(|t| t == "清单制"), "{tags:?}");
    }

    #[test]
    fn offices_and_officials_are_recognised() {
        for office in ["科技厅", "科技局", "发改委", "市政府", "人民政府", "管委会", "厅长", "书记"] {
            assert!(is_office_or_title(office), "{office}");
        }
        for topic in ["创新平台", "成果转化", "任务书", "科技会商"] {
            assert!(!is_office_or_title(topic), "{topic}");
        }
    }

    #[test]
    fn the_longest_term_the_text_uses_wins() {
        let text = "推动成渝地区双城经济圈建设。唱好双城记，助推成渝地区双城经济圈建设。";
        assert_eq!(longest_known_term("双城经济圈", text), "成渝地区双城经济圈");
        assert_eq!(longest_known_term("双城经济圈", "唱好双城经济圈建设"), "双城经济圈");
        // 合作 is mostly used on its own: it stays 合作 although the text has 科技合作.
        assert_eq!(longest_known_term("合作", "开展合作，深化合作，加强科技合作，务实合作"), "合作");
        assert_eq!(longest_known_term("专项", "启动实施重大科技专项。深入实施重大科技专项。提升专项行动"), "重大科技专项");
    }

    #[test]
    fn traditional_pages_get_simplified_whole_term_tags() {
        let title = simplified("北碚：以科技為引領唱好“雙城記”");
        let body = simplified(
            "1月3日，中央財經委員會第六次會議作出的推動成渝地區雙城經濟圈建設重大決策。北碚與綿陽簽署合作三年行動計劃，助推成渝地區雙城經濟圈建設。\
             兩地將支持西南大學、西南科技大學等院校開展交流合作，共建技術轉移服務平臺聯盟，共用科技創新平臺，推動兩地科技成果雙向轉移。",
        );
        let tags = detect_tags(&title, &body, &["重庆市/北碚区".to_string(), "四川省/绵阳市".to_string()], 5);
        assert_eq!(tags.first().map(String::as_str), Some("成渝地区双城经济圈"), "{tags:?}");
        assert!(tags.iter().all(|t| *t == simplified(t)), "{tags:?}");
        for generic in ["双城经济圈", "平台", "交流", "技术", "大学", "西南"] {
            assert!(!tags.iter().any(|t| t == generic), "{generic} in {tags:?}");
        }
    }

    #[test]
    fn tags_skip_regions_and_stop_words() {
        let tags = detect_tags(
            "携手共谋县域创新 四川首次举办局县科技会商",
            "旺苍县绿色家居产业城发展态势良好。局县会商机制推动绿色家居产业升级。会商议题采取清单制方式。",
            &["四川省/广元市/旺苍县".to_string()],
            5,
        );
        assert!(tags.iter().any(|t| t.contains("会商") || t.contains("家居")), "{tags:?}");
        assert!(!tags.iter().any(|t| t == "科技" || t == "旺苍县" || t == "四川"), "{tags:?}");
        assert!(tags.len() <= 5);
    }
}
