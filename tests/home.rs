//! The home page as a portal front and the elderly-friendly mode (issue #20, part 2): the
//! lead story (头条, `featured: true`), the newest titles, a block per category, the way
//! into the regions, the article page's related list beside the text, and the 适老模式
//! button on every page, clicked in headless Chromium
//! (driver: tests/browser/elder.mjs). Each test builds a real site and reads what a
//! reader gets.

mod common;

use std::fs;
use std::process::Command;

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
fn traditional_titles_on_the_home_page_are_marked_zh_hant() {
    let s = site();
    s.article("hant", "北碚區與綿陽市簽署科技合作協議", "2024-01-05T12:00:00+08:00", "重庆市/北碚区", "政策解读", "slug: hant\n", "雙方將共建成渝地區雙城經濟圈協同創新平台，推動科技成果轉化與產業發展。");
    s.build_ok();
    let home = s.read("index.html");
    // In the category block, and not on a simplified title.
    assert!(home.contains("<li lang=\"zh-Hant\"><a href=\"/2024/01/hant/\">北碚區與綿陽市簽署科技合作協議</a>"), "{home}");
    assert!(!home.contains("lang=\"zh-Hant\"><a href=\"/2024/02/p1/\""), "{home}");
    // As the lead.
    s.article("hant", "北碚區與綿陽市簽署科技合作協議", "2024-03-01", "重庆市/北碚区", "政策解读", "slug: hant\n", "雙方將共建成渝地區雙城經濟圈協同創新平台，推動科技成果轉化與產業發展。");
    s.build_ok();
    assert!(s.read("index.html").contains("<section class=\"lead entry\" aria-labelledby=\"lead-title\" lang=\"zh-Hant\">"));
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
fn every_page_has_the_elder_button_and_its_script_is_published() {
    let s = site();
    s.build_ok();
    let pages = [
        "index.html",
        "page/2/index.html",
        "2024/01/c1/index.html",
        "regions/index.html",
        "regions/sichuan/index.html",
        "categories/cooperation/index.html",
        "tags/index.html",
        "archive/2024/index.html",
        "404.html",
    ];
    for rel in pages {
        let html = s.read(rel);
        let header = between(&html, "<header class=\"site-header\"", "</header>");
        assert!(
            header.contains("<button type=\"button\" class=\"elder-toggle\" data-elder-toggle aria-pressed=\"false\">") && header.contains("适老模式</button>"),
            "{rel}: {header}"
        );
        // In <head>, not deferred: the stored mode is applied before the first paint.
        let head = between(&html, "<head>", "</head>");
        let hashed = between(head, "<script src=\"/js/elder.", ".js\"></script>").trim_start_matches("<script src=\"/js/elder.");
        assert!(hashed.len() == 10 && hashed.chars().all(|c| c.is_ascii_hexdigit()), "{rel}: the content-hashed script, not deferred: {head}");
        assert!(!html.contains("<script>"), "{rel}: no inline script");
    }
    let script = s.read("js/elder.js");
    let index = s.read("index.html");
    let hashed_name = between(&index, "/js/elder.", "\"").trim_start_matches("/js/");
    assert_eq!(s.read(&format!("js/{hashed_name}")), script, "the hashed copy holds the script");
    assert!(script.contains("localStorage") && script.contains("aria-pressed") && script.contains("elder"), "{script}");
    // Without scripting the button is never shown: the style sheet shows it only when
    // the script has marked <html>.
    let css = s.read("css/style.css");
    assert!(css.contains(".elder-toggle { display: none; }") && css.contains(".elder-js .elder-toggle {"), "button hidden without script");
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

// ---- the mode in a browser ----

#[test]
fn the_elder_button_and_the_font_size_switch_are_remembered_after_a_reload() {
    let s = site();
    s.build_ok();
    let Some(chromium) = common::browser::chromium("elder-mode") else { return };
    let port = common::browser::static_server(s.public());
    let base = format!("http://127.0.0.1:{port}");
    let plan = serde_json::json!({"chromium": chromium, "url": format!("{base}/2024/01/c1/"), "other": format!("{base}/")});
    let dir = tempfile::tempdir().unwrap();
    let plan_file = dir.path().join("plan.json");
    fs::write(&plan_file, plan.to_string()).unwrap();
    let driver = common::repo().join("tests/browser/elder.mjs");
    let output = Command::new("node").arg("--experimental-websocket").arg(&driver).arg(&plan_file).output().unwrap();
    let said = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "the browser run failed:\n{said}{}", String::from_utf8_lossy(&output.stderr));
    let steps: Vec<serde_json::Value> = said.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let step = |name: &str| steps.iter().find(|s| s["step"] == name).unwrap_or_else(|| panic!("no step {name}: {said}")).clone();
    let has_class = |s: &serde_json::Value, class: &str| s["html_class"].as_str().unwrap().split_whitespace().any(|c| c == class);
    let px = |s: &serde_json::Value, key: &str| s[key].as_f64().unwrap_or_else(|| panic!("{key}: {s}"));

    let before = step("before");
    assert!(before["button_shown"] == true && before["pressed"] == "false", "{before}");
    assert!(!has_class(&before, "elder"), "{before}");
    assert!(px(&before, "body_px") < 20.0, "{before}");

    let on = step("clicked");
    assert!(has_class(&on, "elder") && on["pressed"] == "true", "{on}");
    assert!(px(&on, "body_px") >= 20.0 && px(&on, "text_px") >= 20.0, "larger type: {on}");
    assert_eq!(on["body_color"], "rgb(0, 0, 0)", "{on}");
    assert_eq!(on["stored"], "on", "{on}");

    for name in ["reloaded", "other"] {
        let s = step(name);
        assert!(has_class(&s, "elder") && s["pressed"] == "true" && px(&s, "body_px") >= 20.0, "remembered after {name}: {s}");
    }

    let off = step("off");
    assert!(!has_class(&off, "elder") && off["pressed"] == "false" && px(&off, "body_px") < 20.0, "{off}");
    assert_eq!(off["stored"], "off", "{off}");

    // The article's font-size switch (大/中/小) is remembered the same way.
    let article = step("article");
    assert!(article["text_size"].is_null() && article["large_pressed"] == "false", "中 by default: {article}");
    for name in ["large", "large-reloaded"] {
        let s = step(name);
        assert!(s["text_size"] == "l" && s["large_pressed"] == "true", "{name}: {s}");
        assert!(px(&s, "text_px") > px(&article, "text_px"), "larger text after {name}: {s} vs {article}");
    }
}
