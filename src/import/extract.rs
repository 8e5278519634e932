//! Finds the article in a parsed page, as readability and trafilatura do: the page is
//! cut into text blocks, blocks vote for their containers by how much prose they hold
//! (clause punctuation, length) less their link text, chrome containers (navigation,
//! share bars, sidebars, comments, related lists) are left out, and the best container
//! is the article. Gives the lines the Chinese line rules (`clean`) then tidy.

use super::dom::{Dom, Kind, NodeId, NEVER_SHOWN};

/// The article part of a page, as lines, with what the markup says about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The headline first, then the short lines printed between it and the article
    /// (date, source, byline), then the article's blocks: one line each.
    pub text: String,
    pub title: Option<String>,
    /// Date candidates from the markup, best first (meta tags, then `<time>`).
    pub markup_dates: Vec<String>,
    /// Short lines right after the article (`发布日期：…`, `责任编辑：…`), where pages
    /// print dates and bylines too; link lists (related reading) are not among them.
    pub tail: Vec<String>,
    pub source: Option<String>,
    /// The page's address: the original it links to (`查看原文`), else the one it
    /// declares (canonical, og:url, the browser's "saved from" note).
    pub url: Option<String>,
    /// Whether [`Extracted::url`] is a link to the original of a reprint.
    pub url_is_original: bool,
}

/// Elements that start a new line of text.
const BLOCKS: &[&str] = &[
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article",
    "header", "footer", "nav", "aside", "blockquote", "dd", "dt", "dl", "hr", "form", "center", "main", "figure", "figcaption",
    "pre", "body", "html", "tbody", "thead", "caption", "address",
];

/// Elements that are page chrome whatever their class says.
const CHROME_ELEMENTS: &[&str] = &["nav", "aside", "footer", "button", "input", "label", "option", "menu"];

/// Class or id words of chrome containers. Words of three letters or fewer match a
/// whole word only (`ad`, `nav`); longer ones anywhere in a word (`sidebar`, `commentList`).
const CHROME_WORDS: &[&str] = &[
    "comment", "reply", "share", "footer", "sidebar", "breadcrumb", "crumb", "copyright", "related", "recommend", "advert",
    "banner", "social", "toolbar", "navbar", "navigation", "menu", "pagination", "pager", "login", "popup", "sponsor",
    "fenxiang", "pinglun", "xiangguan", "tuijian", "nav", "ad", "ads", "hot", "rank", "foot", "side", "tag", "tags", "qrcode",
    "erweima", "friend", "links", "bshare", "jiathis", "modal", "dialog", "overlay",
];

/// Class or id words of article containers.
const ARTICLE_WORDS: &[&str] = &["content", "article", "artic", "text", "body", "main", "detail", "post", "entry", "story", "zw", "zhengwen", "cont", "txt", "news_con"];

/// A line of text and the block element it sits in.
#[derive(Debug, Clone)]
struct Block {
    owner: NodeId,
    text: String,
    chars: usize,
    link_chars: usize,
}

/// Reads the article and its markup facts from a parsed page.
pub fn extract(dom: &Dom) -> Extracted {
    let sizes = Sizes::measure(dom);
    let body = dom.elements("body").into_iter().next().unwrap_or(0);
    let named_title = find_title_node(dom);
    // The headline's container is never chrome (gamersky puts it in an <aside>).
    let chrome = |id: NodeId| is_chrome(dom, id, &sizes, body) && named_title.is_none_or(|t| !dom.is_within(t, id));
    let mut blocks = Vec::new();
    collect_blocks(dom, body, body, &chrome, &mut blocks, &mut Vec::new(), &mut String::new(), &mut 0);
    let article = best_container(dom, &blocks, &sizes, body);
    let title_node = named_title.or_else(|| heading_before_article(dom, &blocks, article));
    let title = title_node.map(|id| dom.text(id)).or_else(|| fallback_title(dom)).filter(|t| !t.is_empty());
    let in_article = |b: &Block| dom.is_within(b.owner, article) && title_node.is_none_or(|t| !dom.is_within(b.owner, t));
    let first = blocks.iter().position(in_article);
    let last = blocks.iter().rposition(in_article);
    let mut lines: Vec<String> = Vec::new();
    if let Some(title) = &title {
        lines.push(title.clone());
    }
    // What a page prints between the headline and the article: date, source, byline.
    let title_at = title_node.and_then(|t| blocks.iter().position(|b| dom.is_within(b.owner, t)));
    if let Some(first) = first {
        let header_from = title_at.map_or(first.saturating_sub(6), |t| t + 1);
        let header = blocks.get(header_from.min(first)..first).unwrap_or_default();
        let near = header.len() <= 12 || title_at.is_none();
        lines.extend(header.iter().filter(|b| near && is_short_plain(b)).map(|b| b.text.clone()));
    }
    if let (Some(first), Some(last)) = (first, last) {
        for block in blocks.get(first..=last).unwrap_or_default() {
            if in_article(block) && !is_link_list(block) {
                lines.push(block.text.clone());
            }
        }
    }
    // Below the article, chrome containers count too (`<div class="foot-info">发布日期：…`);
    // link lists (related reading, with other articles' dates) never do.
    let mut everything = Vec::new();
    collect_blocks(dom, body, body, &|_| false, &mut everything, &mut Vec::new(), &mut String::new(), &mut 0);
    let end = everything.iter().rposition(|b| in_article(b));
    let tail = end.map_or_else(Vec::new, |end| {
        everything.iter().skip(end + 1).take(8).filter(|b| is_short_plain(b)).map(|b| b.text.clone()).collect()
    });
    let original = original_link(dom);
    Extracted {
        text: lines.join("\n") + "\n",
        title,
        markup_dates: markup_dates(dom),
        tail,
        source: ["og:site_name", "contentsource", "sitename", "source"].iter().find_map(|name| meta_content(dom, name)),
        url: original.clone().or_else(|| canonical_url(dom)).or_else(|| meta_content(dom, "og:url")).or_else(|| saved_from(dom)),
        url_is_original: original.is_some(),
    }
}

/// `<a href="https://…">查看原文</a>`: a page that reprints a story links to the
/// original, and that address is the story's source.
fn original_link(dom: &Dom) -> Option<String> {
    const LABELS: &[&str] = &["查看原文", "阅读原文", "閱讀原文", "查看原文链接", "原文链接", "原文鏈接", "原文地址", "点击查看原文"];
    dom.elements("a").into_iter().find_map(|a| {
        let text = dom.text(a).replace(['>', '》', '【', '】', '[', ']', ' ', '：', ':'], "");
        let href = dom.attr(a, "href")?.trim();
        (LABELS.contains(&text.as_str()) && (href.starts_with("http://") || href.starts_with("https://"))).then(|| href.to_string())
    })
}

/// The address a saved page came from, in a comment: `<!-- saved from
/// url=(0054)https://… -->` (browsers) or a comment that is only the address.
fn saved_from(dom: &Dom) -> Option<String> {
    dom.descendants(0).into_iter().find_map(|id| match dom.node(id).map(|n| &n.kind) {
        Some(Kind::Comment(text)) => {
            let text = text.trim();
            let after = text.split_once("saved from url=").map_or(text, |(_, rest)| rest.trim_start_matches(|c: char| c != 'h'));
            let url = after.split_whitespace().next().unwrap_or_default();
            (url.starts_with("http://") || url.starts_with("https://")).then(|| url.to_string())
        }
        _ => None,
    })
}

/// A short line that is not mostly link text: header and footer facts.
fn is_short_plain(block: &Block) -> bool {
    block.chars <= 80 && block.link_chars * 2 <= block.chars
}

/// A line that is mostly link text: a menu, a related list, a tag cloud.
fn is_link_list(block: &Block) -> bool {
    block.link_chars * 2 > block.chars && block.link_chars > 0
}

/// Visible characters and link characters under each node.
struct Sizes {
    chars: Vec<usize>,
    link_chars: Vec<usize>,
}

impl Sizes {
    fn measure(dom: &Dom) -> Sizes {
        let count = dom.nodes.len();
        let mut sizes = Sizes { chars: vec![0; count], link_chars: vec![0; count] };
        // Children always come after their parent in the arena except when the parser
        // moved them (foster parenting, adoption), so sum over an explicit post-order.
        let mut order = dom.descendants(0);
        order.reverse();
        for id in order {
            if NEVER_SHOWN.contains(&dom.name(id)) {
                continue;
            }
            let own = match dom.node(id).map(|n| &n.kind) {
                Some(Kind::Text(text)) => text.chars().filter(|c| !c.is_whitespace()).count(),
                _ => 0,
            };
            let (mut chars, mut links) = (own, 0);
            for &child in dom.children(id) {
                chars += sizes.chars.get(child).copied().unwrap_or(0);
                links += sizes.link_chars.get(child).copied().unwrap_or(0);
            }
            if dom.name(id) == "a" {
                links = chars;
            }
            if let (Some(c), Some(l)) = (sizes.chars.get_mut(id), sizes.link_chars.get_mut(id)) {
                *c = chars;
                *l = links;
            }
        }
        sizes
    }

    fn chars(&self, id: NodeId) -> usize {
        self.chars.get(id).copied().unwrap_or(0)
    }

    fn link_density(&self, id: NodeId) -> f64 {
        let chars = self.chars(id);
        if chars == 0 {
            return 0.0;
        }
        self.link_chars.get(id).copied().unwrap_or(0) as f64 / chars as f64
    }
}

/// The words of an element's class and id.
fn class_words(dom: &Dom, id: NodeId) -> Vec<String> {
    let attrs = [dom.attr(id, "class").unwrap_or(""), dom.attr(id, "id").unwrap_or("")].join(" ");
    attrs.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(|w| w.to_ascii_lowercase()).collect()
}

fn matches_words(words: &[String], list: &[&str]) -> bool {
    words.iter().any(|word| list.iter().any(|w| if w.len() <= 4 { word == w } else { word.contains(w) }))
}

/// Whether an element is page chrome: a chrome element, a hidden one, or one whose
/// class names chrome and not the article. An element holding most of the page's
/// text is never chrome (some sites wrap the whole page in `class="main-side"`).
fn is_chrome(dom: &Dom, id: NodeId, sizes: &Sizes, body: NodeId) -> bool {
    if id == body || sizes.chars(id) * 2 > sizes.chars(body) {
        return false;
    }
    let name = dom.name(id);
    if CHROME_ELEMENTS.contains(&name) {
        return true;
    }
    let style = dom.attr(id, "style").unwrap_or("").to_ascii_lowercase().replace(' ', "");
    if style.contains("display:none") || style.contains("visibility:hidden") || dom.attr(id, "hidden").is_some() {
        return true;
    }
    let words = class_words(dom, id);
    matches_words(&words, CHROME_WORDS) && !matches_words(&words, ARTICLE_WORDS)
}

/// Walks the tree in document order, cutting text into blocks at block elements and
/// `<br>`, leaving out what is never shown and chrome containers.
#[allow(clippy::too_many_arguments)]
fn collect_blocks(
    dom: &Dom,
    id: NodeId,
    owner: NodeId,
    chrome: &dyn Fn(NodeId) -> bool,
    blocks: &mut Vec<Block>,
    links: &mut Vec<bool>,
    buffer: &mut String,
    buffer_links: &mut usize,
) {
    let flush = |owner: NodeId, buffer: &mut String, buffer_links: &mut usize, blocks: &mut Vec<Block>| {
        let text = buffer.split_whitespace().collect::<Vec<_>>().join(" ");
        let chars = text.chars().filter(|c| !c.is_whitespace()).count();
        if chars > 0 {
            blocks.push(Block { owner, text, chars, link_chars: (*buffer_links).min(chars) });
        }
        buffer.clear();
        *buffer_links = 0;
    };
    for &child in dom.children(id) {
        match dom.node(child).map(|n| &n.kind) {
            Some(Kind::Text(text)) => {
                buffer.push_str(text);
                if links.last().copied().unwrap_or(false) {
                    *buffer_links += text.chars().filter(|c| !c.is_whitespace()).count();
                }
            }
            Some(Kind::Element { name, .. }) => {
                if NEVER_SHOWN.contains(&name.as_str()) || chrome(child) {
                    continue;
                }
                if name == "img" {
                    continue;
                }
                let block = BLOCKS.contains(&name.as_str());
                if block {
                    flush(owner, buffer, buffer_links, blocks);
                }
                let in_link = name == "a" || links.last().copied().unwrap_or(false);
                links.push(in_link);
                collect_blocks(dom, child, if block { child } else { owner }, chrome, blocks, links, buffer, buffer_links);
                links.pop();
                if block {
                    flush(child, buffer, buffer_links, blocks);
                }
            }
            _ => {}
        }
    }
}

/// Prose points of a block: one, plus one per clause mark, plus one per hundred
/// characters (at most three), less its share of link text. Short lines score nothing.
fn block_score(block: &Block) -> f64 {
    if block.chars < 10 || is_legal_notice(&block.text) {
        return 0.0;
    }
    let marks = block.text.chars().filter(|c| "，。；、,;！？".contains(*c)).count() as f64;
    let length = (block.chars as f64 / 100.0).min(3.0);
    let link_density = block.link_chars as f64 / block.chars as f64;
    (1.0 + marks + length) * (1.0 - link_density)
}

/// Disclaimers and copyright lines are long and well punctuated, and never the article.
fn is_legal_notice(text: &str) -> bool {
    let stance = text.contains("不代表") && (text.contains("立场") || text.contains("观点") || text.contains("立場") || text.contains("觀點"));
    let marks = ["免责声明", "免責聲明", "版权声明", "版權聲明", "版权所有", "版權所有", "ICP备", "ICP證", "ICP证", "Copyright", "转载请注明", "未经授权"];
    stance || marks.iter().any(|m| text.contains(m))
}

/// The container holding the article: blocks give their score to the element they
/// sit in and its parent, and half to the grandparent; the container's class words
/// and link density then weigh it. On a tie the deeper (smaller) container wins.
fn best_container(dom: &Dom, blocks: &[Block], sizes: &Sizes, body: NodeId) -> NodeId {
    let mut scores = vec![0.0f64; dom.nodes.len()];
    for block in blocks {
        let score = block_score(block);
        let parent = dom.node(block.owner).and_then(|n| n.parent);
        let grandparent = parent.and_then(|p| dom.node(p)).and_then(|n| n.parent);
        for (id, share) in [(Some(block.owner), 1.0), (parent, 1.0), (grandparent, 0.5)] {
            if let Some(slot) = id.and_then(|id| scores.get_mut(id)) {
                *slot += score * share;
            }
        }
    }
    let mut best = (body, f64::MIN);
    for id in dom.descendants(body) {
        let raw = scores.get(id).copied().unwrap_or(0.0);
        if raw <= 0.0 || !matches!(dom.node(id).map(|n| &n.kind), Some(Kind::Element { .. })) {
            continue;
        }
        let words = class_words(dom, id);
        let weight = if matches_words(&words, ARTICLE_WORDS) { 1.25 } else { 1.0 } * if matches_words(&words, CHROME_WORDS) { 0.5 } else { 1.0 };
        let score = raw * weight * (1.0 - sizes.link_density(id));
        // `>` keeps the first (outer) of equal scores; prefer the inner one on ties.
        if score > best.1 || (score == best.1 && dom.is_within(id, best.0)) {
            best = (id, score);
        }
    }
    best.0
}

/// The headline element: an `<h1>` (or `<h2>`) whose text the `<title>` or `og:title`
/// holds, else the first `<h1>` that reads like a headline.
fn find_title_node(dom: &Dom) -> Option<NodeId> {
    let page_titles: Vec<String> = [meta_content(dom, "og:title"), dom.elements("title").first().map(|&t| raw_text(dom, t))]
        .into_iter()
        .flatten()
        .map(|t| squash(&t))
        .filter(|t| !t.is_empty())
        .collect();
    let headings: Vec<NodeId> = ["h1", "h2", "h3"].iter().flat_map(|h| dom.elements(h)).collect();
    let named = headings.iter().copied().find(|&h| {
        let text = squash(&dom.text(h));
        text.chars().count() >= 4 && page_titles.iter().any(|t| t.contains(&text))
    });
    named.or_else(|| {
        dom.elements("h1").into_iter().find(|&h| {
            let text = dom.text(h);
            (5..=80).contains(&text.chars().count())
        })
    })
}

/// No heading the `<title>` names: the last heading-like element (`<h1>`…`<h6>`,
/// `<strong>`, a class with `title`) in the few blocks before the article.
fn heading_before_article(dom: &Dom, blocks: &[Block], article: NodeId) -> Option<NodeId> {
    let first = blocks.iter().position(|b| dom.is_within(b.owner, article))?;
    let heading_like = |id: NodeId| {
        let name = dom.name(id);
        let words = class_words(dom, id);
        matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") || words.iter().any(|w| w.contains("title") || w == "tit" || w == "bt" || w.contains("headline"))
    };
    let window = blocks.get(first.saturating_sub(6)..first)?;
    // A heading inside the article (its first line) counts too.
    let candidates = window.iter().chain(blocks.get(first..=first).unwrap_or_default());
    candidates
        .filter(|b| (5..=80).contains(&b.chars) && b.link_chars == 0 && heading_like(b.owner) && !is_metadata_text(&b.text))
        .last()
        .map(|b| b.owner)
}

/// `发布日期：… 来源：…`: a line of facts about the article, not its headline.
fn is_metadata_text(text: &str) -> bool {
    let labels = ["来源", "來源", "发布", "發布", "日期", "时间", "時間", "浏览", "瀏覽", "作者", "点击", "點擊", "次数", "次數"];
    labels.iter().any(|label| [":", "：", " :", " ："].iter().any(|colon| text.contains(&format!("{label}{colon}"))))
}

/// No headline element: `og:title`, else `<title>`, without the site name.
fn fallback_title(dom: &Dom) -> Option<String> {
    let title = meta_content(dom, "og:title").or_else(|| dom.elements("title").first().map(|&t| raw_text(dom, t)))?;
    Some(strip_site_name(&title))
}

/// Text of an element whose content is never shown (`<title>`).
fn raw_text(dom: &Dom, id: NodeId) -> String {
    let text: String = dom
        .children(id)
        .iter()
        .filter_map(|&c| match dom.node(c).map(|n| &n.kind) {
            Some(Kind::Text(t)) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `标题_镇江新闻网`, `标题 - 某某网`, `标题|网易` → `标题`: the longest part of the
/// title cut at the separators sites put before their name.
pub fn strip_site_name(title: &str) -> String {
    let mut parts = vec![title.to_string()];
    for separator in ["_", "|", "｜", " - ", " — ", " – ", "－", " -", "- "] {
        parts = parts.iter().flat_map(|p| p.split(separator).map(str::to_string).collect::<Vec<_>>()).collect();
    }
    // `标题-新华网`, but not `2020-2022` or `COVID-19`.
    parts = parts.iter().flat_map(|p| split_bare_hyphens(p)).collect();
    let best = parts.iter().map(|p| p.trim()).max_by_key(|p| p.chars().count()).unwrap_or(title.trim());
    best.to_string()
}

fn split_bare_hyphens(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut parts = vec![String::new()];
    for (index, &c) in chars.iter().enumerate() {
        let digit_near = |at: Option<usize>| at.and_then(|i| chars.get(i)).is_some_and(|c| c.is_ascii_digit());
        if c == '-' && !digit_near(index.checked_sub(1)) && !digit_near(Some(index + 1)) {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
}

/// Dates the markup gives, best first: publication meta tags, then `<time>`.
fn markup_dates(dom: &Dom) -> Vec<String> {
    let names = [
        "article:published_time", "og:release_date", "publishdate", "pubdate", "publish_date", "publishtime", "firstpublishedtime",
        "datepublished", "dc.date.issued", "dc.date", "date", "weibo:article:create_at", "og:time", "apub:time", "pubtime",
    ];
    let mut dates: Vec<String> = names.iter().filter_map(|name| meta_content(dom, name)).collect();
    // `<time>` in a list or a link dates another article (related reading).
    let in_list = |id: NodeId| ["li", "a", "ul", "ol"].iter().any(|tag| dom.ancestors(id).any(|a| dom.name(a) == *tag));
    for time in dom.elements("time").into_iter().filter(|&t| !in_list(t)) {
        dates.extend(dom.attr(time, "datetime").map(str::to_string));
        dates.push(dom.text(time));
    }
    dates.retain(|d| !d.trim().is_empty());
    dates
}

/// The `content` of `<meta name=…>` (or `property=`, `itemprop=`), names compared
/// without case.
pub fn meta_content(dom: &Dom, wanted: &str) -> Option<String> {
    dom.elements("meta").into_iter().find_map(|meta| {
        let named = ["name", "property", "itemprop"].iter().any(|a| dom.attr(meta, a).is_some_and(|v| v.trim().eq_ignore_ascii_case(wanted)));
        let content = dom.attr(meta, "content").map(str::trim).filter(|c| !c.is_empty());
        if named {
            content.map(str::to_string)
        } else {
            None
        }
    })
}

fn canonical_url(dom: &Dom) -> Option<String> {
    dom.elements("link").into_iter().find(|&l| dom.attr(l, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical"))).and_then(|l| dom.attr(l, "href").map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::dom::parse;

    fn lines(html: &str) -> Vec<String> {
        extract(&parse(html)).text.lines().map(str::to_string).collect()
    }

    const PROSE: &str = "<p>省科技厅近日印发通知，部署开展科技型中小企业评价工作，各市州要高度重视，认真组织。</p>\
        <p>评价工作按照企业自主评价、省级审核、公示公告的程序进行，全年常态化开展。</p>\
        <p>符合条件的企业可登录服务平台填报信息，经审核后纳入全国科技型中小企业信息库。</p>";

    #[test]
    fn navigation_sidebars_comments_and_related_lists_are_left_out() {
        let html = format!(
            "<html><head><title>关于开展评价工作的通知_某省科技厅</title></head><body>\
             <div class=\"nav\"><a href=/>首页</a> <a href=/a>新闻中心</a> <a href=/b>通知公告</a></div>\
             <div class=\"wrap\"><div class=\"left\"><h1>关于开展评价工作的通知</h1><div class=\"info\">发布时间：2024-03-15 来源：省科技厅</div>\
             <div class=\"article-content\">{PROSE}</div>\
             <div class=\"share\">分享到：<a>微信</a><a>微博</a></div>\
             <div class=\"related\"><h3>相关阅读</h3><ul><li><a>2024-01-02 另一篇新闻的标题很长很长</a></li></ul></div>\
             <div id=\"comment\">网友评论：写得好，支持一下，非常有用的通知。</div></div>\
             <div class=\"sidebar\"><h3>热点新闻</h3><ul><li><a>某地召开会议，部署重点工作，推动高质量发展。</a></li></ul></div></div>\
             <div class=\"footer\">版权所有 某省科技厅 ICP备123号</div></body></html>"
        );
        let got = lines(&html);
        assert_eq!(got[0], "关于开展评价工作的通知");
        assert_eq!(got[1], "发布时间：2024-03-15 来源：省科技厅");
        assert!(got[2].starts_with("省科技厅近日印发通知"), "{got:?}");
        assert_eq!(got.len(), 5, "{got:?}");
    }

    #[test]
    fn text_in_a_div_with_line_breaks_is_found() {
        let html = "<body><table><tr><td><a>首页</a> | <a>要闻</a></td></tr><tr><td id=zoom>\
            第一段，科技成果转化工作取得新进展，全年技术合同成交额增长三成。<br><br>\
            第二段，下一步将继续完善政策体系，推动创新链产业链深度融合。</td></tr></table></body>";
        let got = lines(html);
        assert_eq!(got, vec!["第一段，科技成果转化工作取得新进展，全年技术合同成交额增长三成。", "第二段，下一步将继续完善政策体系，推动创新链产业链深度融合。"]);
    }

    #[test]
    fn site_names_are_cut_from_the_title_tag() {
        assert_eq!(strip_site_name("四川确定新一年科技创新任务书_四川科技网"), "四川确定新一年科技创新任务书");
        assert_eq!(strip_site_name("北碚：以科技为引领 - 今日重庆"), "北碚：以科技为引领");
        assert_eq!(strip_site_name("网易娱乐"), "网易娱乐");
        assert_eq!(strip_site_name("合作三年行动计划(2020-2022年)|新闻|某网"), "合作三年行动计划(2020-2022年)");
    }

    #[test]
    fn the_title_element_named_by_the_title_tag_wins_over_a_logo_heading() {
        let html = format!("<title>加快培育新质生产力_新闻中心</title><h1><a>某某新闻网</a></h1><div><h2>加快培育新质生产力</h2>{PROSE}</div>");
        let extracted = extract(&parse(&html));
        assert_eq!(extracted.title.as_deref(), Some("加快培育新质生产力"));
    }
}
