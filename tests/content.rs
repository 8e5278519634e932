//! What an article's text becomes on the page: Chinese emphasis, highlighted code, safe
//! HTML, summaries and reading time, place-name slugs.

mod common;

use common::*;

fn one(body: &str, more: &str) -> TestSite {
    let site = TestSite::new(SITE_TOML);
    site.article("a", "测试文章", "2024-03-15", "四川省/广元市", "科技合作", &format!("slug: a\n{more}"), body);
    site
}

#[test]
fn chinese_emphasis_renders_bold() {
    let site = one("**通知：**正文内容。\n\n实行**“揭榜挂帅”**机制。\n\n*《行动方案》*提出三项任务。", "");
    site.build_ok();
    let html = site.read("2024/03/a/index.html");
    assert!(html.contains("<strong>通知：</strong>正文内容"), "{html}");
    assert!(html.contains("<strong>“揭榜挂帅”</strong>机制"));
    assert!(html.contains("<em>《行动方案》</em>提出"));
    assert!(!html.contains("**"));
}

#[test]
fn code_is_highlighted_with_classes_and_one_stylesheet() {
    let site = one("统计脚本：\n\n```python\nprint(\"局县会商\", 30)\n```\n", "");
    site.build_ok();
    let html = site.read("2024/03/a/index.html");
    assert!(html.contains("class=\"hl-"), "{html}");
    // By its content-hashed name (docs/templates.md, `asset`).
    let linked = html.split("href=\"/").map(|s| s.split('"').next().unwrap_or_default()).find(|s| s.starts_with("css/syntax.")).expect("the page links the stylesheet");
    assert_eq!(site.read(linked), site.read("css/syntax.css"));
    assert!(site.read("css/syntax.css").contains(".hl-"));
    let plain = one("没有代码。", "");
    plain.build_ok();
    assert!(!plain.files().iter().any(|f| f.starts_with("css/syntax.")), "no stylesheet, hashed or not");
}

#[test]
fn raw_html_cannot_run_script() {
    let site = one(
        "正文<script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\">\n\n[点我](javascript:alert(3))\n\n<iframe src=\"https://evil.example\"></iframe>\n\n<sup>1</sup>",
        "",
    );
    site.build_ok();
    let html = site.read("2024/03/a/index.html");
    let body = html.split("<article").nth(1).unwrap();
    for bad in ["<script>alert", "onerror", "javascript:", "<iframe"] {
        assert!(!body.contains(bad), "{bad} reached the page");
    }
    assert!(body.contains("<sup>1</sup>"), "harmless HTML stays");
}

#[test]
fn titles_and_front_matter_are_escaped_everywhere() {
    let site = TestSite::new(SITE_TOML);
    site.article("a", "\"<script>alert(1)</script>\"", "2024-03-15", "四川省", "科技合作", "slug: a\ntags: [\"<b>标签</b>\"]\nauthor: \"<i>记者</i>\"\n", "正文。");
    site.build_ok();
    for file in ["2024/03/a/index.html", "index.html", "feed.xml", "tags/index.html"] {
        let text = site.read(file);
        assert!(!text.contains("<script>alert"), "{file}");
        assert!(!text.contains("<b>标签"), "{file}");
    }
    feed_items(&site.read("feed.xml"));
}

#[test]
fn summary_is_cut_at_a_sentence_end_and_reading_time_counts_han() {
    let sentence = "广元市科学技术局与旺苍县人民政府开展局县会商工作会议，设置三类事项合作模式，涉及高新技术、农业农村、创新人才等多领域的支持事项。";
    let body = sentence.repeat(30);
    let site = one(&body, "");
    site.build_ok();
    let feed = site.read("feed.xml");
    let description = feed.split("<description>").nth(2).unwrap().split("</description>").next().unwrap();
    assert!(description.ends_with('。'), "{description}");
    let n = description.chars().count();
    assert!((60..=180).contains(&n), "{n} characters: {description}");
    // 30 × 62 Han characters ≈ 1,900 → 5 minutes at 400 a minute
    assert!(site.read("2024/03/a/index.html").contains("5 分钟"), "reading time shown");
}

#[test]
fn summary_and_reading_time_read_the_whole_text_with_related_on_or_off() {
    // The loader keeps only what related articles read of a text (nothing when they are
    // off); the summary and the reading time must still come from all of it.
    let body = format!("{}\n\n{}", "科技创新驱动发展。".repeat(100), "广元市科学技术局召开会商会议。".repeat(800));
    let shown = |related: &str| {
        let site = TestSite::new(&format!("{SITE_TOML}\n[related]\n{related}\n"));
        site.article("a", "甲", "2024-03-15", "四川省", "科技合作", "slug: a\n", &body);
        site.article("b", "乙", "2024-03-16", "四川省", "科技合作", "slug: b\n", "科技创新驱动发展。");
        site.build_ok();
        let feed = site.read("feed.xml");
        let description = feed.split("<description>").nth(3).unwrap().split("</description>").next().unwrap().to_string();
        let page = site.read("2024/03/a/index.html");
        (description, page.contains("30 分钟"))
    };
    let (on, on_minutes) = shown("count = 5");
    let (off, off_minutes) = shown("count = 0");
    assert!(on.starts_with("科技创新驱动发展。"), "{on}");
    assert_eq!(on, off);
    // 800 + 11,200 Han characters at 400 a minute; the kept 6,000 characters would say 14
    assert!(on_minutes && off_minutes, "reading time counts every character");
}

#[test]
fn place_names_get_their_real_pinyin() {
    let site = TestSite::new(SITE_TOML);
    site.article("a", "甲", "2024-03-15", "[重庆市/北碚区, 湖南省/长沙市, 福建省/厦门市, 四川省/广元市/旺苍县, 陕西省/西安市, 山西省/太原市]", "科技合作", "slug: a\n", "正文。");
    site.build_ok();
    for dir in ["chongqing/beibei", "hunan/changsha", "fujian/xiamen", "sichuan/guangyuan/wangcang", "shaanxi/xian", "shanxi/taiyuan"] {
        assert!(site.exists(&format!("regions/{dir}/index.html")), "regions/{dir}/ missing: {:#?}", site.files());
    }
}

#[test]
fn traditional_titles_get_pinyin_slugs() {
    let site = TestSite::new(SITE_TOML);
    site.article("a", "鎮江：以科技創新引領產業強市", "2024-02-21", "江苏省/镇江市", "政策解读", "", "鎮江新一輪創新發展藍圖已繪就。");
    site.build_ok();
    assert!(site.exists("2024/02/zhen-jiang-yi-ke-ji-chuang-xin-yin-ling-chan-ye/index.html"), "{:#?}", site.files());
}

#[test]
fn an_unclosed_comment_or_script_is_an_error_not_vanished_text() {
    let site = one("广元市科技局召开会商会议。\n\n<!-- 注释：以下待审核\n\n旺苍县将设立科技创新专项资金。\n\n会议强调，要强化协同。", "");
    let out = site.run(&["build"]);
    assert!(!out.status.success(), "build must fail");
    let err = String::from_utf8_lossy(&out.stderr);
    // front matter: 7 lines, a blank line, the first paragraph, a blank line, then the comment
    assert!(err.contains("content/a.md:11:1: error: the comment `<!--` is opened here and never closed, so the rest of the article would disappear from the page"), "{err}");
    assert!(err.contains("help: end the comment with `-->`; to show `<!--` as text, write `&lt;` for its `<`, or put it in a code span"), "{err}");
    assert!(!site.public().exists(), "nothing written");
    let out = site.run(&["check"]);
    assert!(!out.status.success(), "check must fail too");
    assert!(String::from_utf8_lossy(&out.stderr).contains("content/a.md:11:1: error: the comment `<!--`"));

    let site = one("鎮江市科技局發布通知。<script>統計代碼\n\n鎮江新一輪創新發展藍圖已繪就。", "draft: true\n");
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("content/a.md:10:12: error: `<script>` is opened here and never closed"), "drafts too: {err}");
    assert!(err.contains("help: close it with `</script>`"), "{err}");
}

#[test]
fn closed_raw_html_and_tags_in_code_stay_as_they_were() {
    let site = one("前文<script>alert(1)</script>正文。\n\n<!-- 编者注 -->\n\n用 `<script>` 与 `<!--` 标签。\n\n```html\n<style>\n```\n\n正文第二段。", "");
    site.build_ok();
    let html = site.read("2024/03/a/index.html");
    let body = html.split("<article").nth(1).unwrap();
    assert!(body.contains("前文正文。"), "a closed script is dropped by the sanitiser: {body}");
    assert!(!body.contains("编者注"), "a closed comment is dropped: {body}");
    assert!(body.contains("<code>&lt;script&gt;</code>") && body.contains("<code>&lt;!--</code>"), "{body}");
    assert!(body.contains("正文第二段。"), "{body}");
}
