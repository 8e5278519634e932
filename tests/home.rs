//! The home page as a portal front (issue #20, part 2): the lead story (头条,
//! `featured: true`), the newest titles, a block per category, the way into the regions;
//! and the article page's related list beside the text. Each test builds a real site and
//! reads what a reader gets.

mod common;

use std::fs;

use common::{entry_links, TestSite};

const SITE_TOML: &str = r#"title = "川渝科技政策观察"
base_url = "https://policy.example.org/"
language = "zh-CN"
timezone = "Asia/Shanghai"
theme = "default"
paginate = 4

[categories]
"科技合作" = "cooperation"
"政策解读" = "interpretation"
"区域协同" = "regional"
"人才政策" = "talent"

[regions]
home = ["重庆市", "四川省"]
"#;

/// Seven 科技合作 articles (one a day in January), two 政策解读, none in 区域协同 or
/// 人才政策; 江苏省 has the most articles, then 四川省, then 重庆市.
fn site() -> TestSite {
    let site = TestSite::new(SITE_TOML);
    let places = ["江苏省/南京市", "江苏省/苏州市", "四川省/成都市", "江苏省/镇江市", "四川省/广元市", "重庆市/北碚区", "江苏省/无锡市"];
    for (i, place) in places.iter().enumerate() {
        let day = i + 1;
        site.article(&format!("c{day}"), &format!("科技合作第{day}篇"), &format!("2024-01-0{day}"), place, "科技合作", &format!("slug: c{day}\n"), &format!("第{day}篇合作新闻的正文。"));
    }
    site.article("p1", "政策解读甲", "2024-02-01", "江苏省/南京市", "政策解读", "slug: p1\n", "政策解读甲的正文。");
    site.article("p2", "政策解读乙", "2024-02-02", "江苏省/常州市", "政策解读", "slug: p2\nsummary: 乙文的摘要。\n", "政策解读乙的正文。");
    site
}

/// The part of `html` from `start` to the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start} in:\n{html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The `href`s in `html`, in order.
fn hrefs(html: &str) -> Vec<&str> {
    html.split("href=\"").skip(1).filter_map(|s| s.split('"').next()).collect()
}

#[test]
fn the_newest_article_leads_then_the_newest_titles_without_summaries() {
    let s = site();
    s.build_ok();
    let home = s.read("index.html");
    let lead = between(&home, "<section class=\"lead entry\"", "</section>");
    assert!(lead.contains(">头条<"), "{lead}");
    assert!(lead.contains("<a href=\"/2024/02/p2/\">政策解读乙</a>"), "{lead}");
    assert!(lead.contains("乙文的摘要。"), "the lead keeps its summary: {lead}");
    assert!(lead.contains("href=\"/categories/interpretation/\""), "{lead}");
    // The list entries (SPEC section 7): the lead, then the rest of the first page.
    assert_eq!(entry_links(&home), ["/2024/02/p2/", "/2024/02/p1/", "/2024/01/c7/", "/2024/01/c6/"]);
    let latest = between(&home, "<section class=\"block block--latest\"", "</section>");
    assert!(latest.contains("<a href=\"/2024/02/p1/\">政策解读甲</a> <time datetime=\"2024-02-01T00:00:00+08:00\">2024-02-01</time>"), "{latest}");
    assert!(!latest.contains("entry__summary") && !latest.contains("的正文"), "compact: no summaries: {latest}");
    // Page 2 goes on where the first page stopped.
    assert!(latest.contains("href=\"/page/2/\" rel=\"next\""), "{latest}");
    assert_eq!(entry_links(&s.read("page/2/index.html")), ["/2024/01/c5/", "/2024/01/c4/", "/2024/01/c3/", "/2024/01/c2/"]);
    assert!(!s.read("page/2/index.html").contains("class=\"lead"), "later pages have no lead story");
}

#[test]
fn a_featured_article_leads_even_when_older() {
    let s = site();
    s.article("c3", "科技合作第3篇", "2024-01-03", "四川省/成都市", "科技合作", "slug: c3\nfeatured: true\n", "第3篇合作新闻的正文。");
    s.build_ok();
    let home = s.read("index.html");
    let lead = between(&home, "<section class=\"lead entry\"", "</section>");
    assert!(lead.contains("<a href=\"/2024/01/c3/\">科技合作第3篇</a>"), "{lead}");
    // The first page of the newest articles follows in full (the lead is not among them).
    assert_eq!(entry_links(&home), ["/2024/01/c3/", "/2024/02/p2/", "/2024/02/p1/", "/2024/01/c7/", "/2024/01/c6/"]);
    assert!(lead.contains("href=\"/regions/sichuan/chengdu/\""), "{lead}");
}

#[test]
fn a_featured_value_that_is_not_true_or_false_is_an_error_on_its_line() {
    let s = site();
    s.article("bad", "标题", "2024-01-03", "四川省", "科技合作", "featured: 是\n", "正文。");
    let err = s.build().expect_err("`featured: 是` must fail").to_string();
    assert!(err.contains("content/bad.md"), "{err}");
    assert!(err.contains(":6"), "names the line of `featured`: {err}");
    assert!(err.contains("`true` or `false`"), "says what to write: {err}");
}

#[test]
fn each_category_with_articles_has_a_block_of_its_five_newest_titles() {
    let s = site();
    s.build_ok();
    let home = s.read("index.html");
    let blocks = between(&home, "<div class=\"blocks\">", "<aside");
    let coop = between(blocks, "<a href=\"/categories/cooperation/\">科技合作</a>", "</section>");
    let titles: Vec<&str> = hrefs(coop).into_iter().filter(|h| h.starts_with("/2024/")).collect();
    assert_eq!(titles, ["/2024/01/c7/", "/2024/01/c6/", "/2024/01/c5/", "/2024/01/c4/", "/2024/01/c3/"], "{coop}");
    assert!(coop.contains(">更多<"), "a more link to the category: {coop}");
    assert!(coop.contains("<time datetime=\"2024-01-07T00:00:00+08:00\">2024-01-07</time>"), "{coop}");
    let interp = between(blocks, "<a href=\"/categories/interpretation/\">政策解读</a>", "</section>");
    assert_eq!(hrefs(interp).into_iter().filter(|h| h.starts_with("/2024/")).collect::<Vec<_>>(), ["/2024/02/p2/", "/2024/02/p1/"]);
    // Blocks in site.toml order; no block for a category without articles.
    assert!(blocks.find("科技合作").unwrap() < blocks.find("政策解读").unwrap());
    assert!(!home.contains("区域协同</a></h2>") && !home.contains("/categories/regional/\">区域协同</a></h2>"), "empty category shown");
    assert!(!blocks.contains("/categories/talent/"), "empty category shown: {blocks}");
}

#[test]
fn the_regions_entry_lists_the_sites_own_regions_first_with_counts() {
    let s = site();
    s.build_ok();
    let home = s.read("index.html");
    let side = between(&home, "<section class=\"side-box\" aria-labelledby=\"home-regions-title\"", "</section>");
    let order: Vec<&str> = ["重庆市", "四川省", "江苏省"].into_iter().collect();
    let at = |name: &str| side.find(&format!(">{name}</a>")).unwrap_or_else(|| panic!("{name} not in {side}"));
    assert!(at(order[0]) < at(order[1]) && at(order[1]) < at(order[2]), "[regions] home first, in its order: {side}");
    assert!(side.contains("<li class=\"region-links__home\"><a href=\"/regions/chongqing/\">重庆市</a> <span class=\"count\">1 篇</span>"), "{side}");
    assert!(side.contains("<a href=\"/regions/jiangsu/\">江苏省</a> <span class=\"count\">6 篇</span>"), "{side}");
    // The site's own regions show the regions below them; the link to the whole index.
    assert!(side.contains("<a href=\"/regions/sichuan/chengdu/\">成都市</a>"), "{side}");
    assert!(side.contains("href=\"/regions/\""), "{side}");
}

#[test]
fn without_home_regions_the_most_used_come_first() {
    let s = site();
    fs::write(s.root().join("site.toml"), SITE_TOML.replace("[regions]\nhome = [\"重庆市\", \"四川省\"]\n", "")).unwrap();
    s.build_ok();
    let home = s.read("index.html");
    let side = between(&home, "<section class=\"side-box\" aria-labelledby=\"home-regions-title\"", "</section>");
    let at = |name: &str| side.find(&format!(">{name}</a>")).unwrap_or_else(|| panic!("{name} not in {side}"));
    assert!(at("江苏省") < at("四川省") && at("四川省") < at("重庆市"), "most articles first: {side}");
    assert!(!side.contains("region-links__home"), "{side}");
}

#[test]
fn the_article_page_puts_its_related_list_beside_the_text() {
    let s = site();
    s.build_ok();
    let html = s.read("2024/01/c1/index.html");
    assert!(html.contains("<div class=\"article-layout article-layout--side\">"), "{html}");
    let layout = &html[html.find("<div class=\"article-layout").unwrap()..];
    let main_end = layout.find("<aside class=\"related\"").expect("related list inside the layout");
    assert!(layout[..main_end].contains("<article class=\"article\""));
}
