//! Defects that real pasted news content shows and generated content never triggers
//! (issue #22): character references in summaries, headings glued to the text after them,
//! articles without text.

mod common;

use common::*;

/// The `content` of `<meta name|property="{key}" content="…">`.
fn meta(html: &str, key: &str) -> String {
    let tag = html
        .split("<meta ")
        .find(|t| t.starts_with(&format!("name=\"{key}\"")) || t.starts_with(&format!("property=\"{key}\"")))
        .unwrap_or_else(|| panic!("no meta {key} in {html}"));
    tag.split("content=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or_default().to_string()
}

/// The text of the `<p class="entry__summary">` of a list page's first entry.
fn first_entry_summary(html: &str) -> String {
    html.split("class=\"entry__summary\">").nth(1).and_then(|s| s.split("</p>").next()).unwrap_or_default().to_string()
}

/// The `<description>` of the feed's first item (the first one is the channel's).
fn first_item_description(xml: &str) -> String {
    feed_items(xml);
    xml.split("<description>").nth(2).and_then(|s| s.split("</description>").next()).unwrap_or_default().to_string()
}

/// Every place a summary is shown: meta description, og:description, the home page's
/// entry and the feed item.
fn summaries(site: &TestSite, page: &str) -> [String; 4] {
    let html = site.read(page);
    [meta(&html, "description"), meta(&html, "og:description"), first_entry_summary(&site.read("index.html")), first_item_description(&site.read("feed.xml"))]
}

#[test]
fn character_references_in_pasted_html_are_decoded_once_in_every_summary() {
    let site = TestSite::new(SITE_TOML);
    // As an editor pastes it from a CMS: paragraphs of raw HTML full of references.
    site.article(
        "a",
        "携手共创美好未来",
        "2024-03-15",
        "四川省/广元市",
        "科技合作",
        "slug: a\n",
        "<p>&#12288;&#12288;R&amp;D经费投入增长&nbsp;32.4%，&lt;规划&gt;提出&ldquo;双城&rdquo;建设，共创更加美好的未来。&nbsp;</p>",
    );
    site.article(
        "b",
        "鎮江：以科技創新引領產業強市",
        "2024-03-14",
        "江苏省/镇江市",
        "政策解读",
        "slug: b\n",
        "鎮江新一輪創新發展藍圖已繪就&nbsp;&#x3000;&amp;nbsp;是網頁代碼。",
    );
    site.build_ok();
    for shown in summaries(&site, "2024/03/a/index.html") {
        assert_eq!(shown, "R&amp;D经费投入增长32.4%，&lt;规划&gt;提出“双城”建设，共创更加美好的未来。", "decoded once, escaped once");
    }
    // Markdown text: `&amp;nbsp;` is the text `&nbsp;`, shown escaped once.
    let page = site.read("2024/03/b/index.html");
    assert_eq!(meta(&page, "description"), "鎮江新一輪創新發展藍圖已繪就&amp;nbsp;是網頁代碼。");
    // the words counted are those a reader sees (not `nbsp`, `12288`, `amp` …)
    assert!(site.read("2024/03/a/index.html").contains("全文约 27 字"), "{}", site.read("2024/03/a/index.html"));
}

#[test]
fn a_heading_is_not_glued_to_the_paragraph_after_it() {
    let site = TestSite::new(SITE_TOML);
    site.article("a", "以巴冲突再起", "2024-03-15", "四川省", "科技合作", "slug: a\n", "## 以巴冲突再起3名巴勒斯坦人死亡\n\n巴勒斯坦卫生部12日发表声明。");
    // pasted HTML: a bold paragraph standing for the heading, on one line with the text
    site.article(
        "b",
        "北碚",
        "2024-03-14",
        "重庆市/北碚区",
        "科技合作",
        "slug: b\n",
        "<p><strong>北碚：以科技為引領唱好雙城記</strong></p><p>北碚將搶抓戰略機遇，體現新擔當。</p>",
    );
    site.build_ok();
    for shown in summaries(&site, "2024/03/a/index.html") {
        assert_eq!(shown, "以巴冲突再起3名巴勒斯坦人死亡 巴勒斯坦卫生部12日发表声明。");
    }
    let page = site.read("2024/03/b/index.html");
    assert_eq!(meta(&page, "description"), "北碚：以科技為引領唱好雙城記 北碚將搶抓戰略機遇，體現新擔當。");
}

#[test]
fn an_article_without_text_is_a_warning_in_check_and_build() {
    let site = TestSite::new(SITE_TOML);
    site.article("empty", "空白文章", "2024-03-15", "四川省", "科技合作", "slug: empty\n", "");
    // pasted HTML with nothing to read in it but a no-break space and an image
    site.article("blank", "鎮江：空白頁", "2024-03-14", "江苏省/镇江市", "政策解读", "slug: blank\n", "<p>&nbsp;&#12288;</p>\n\n![現場](photo.jpg)");
    site.article("full", "北碚：以科技為引領", "2024-03-13", "重庆市/北碚区", "科技合作", "slug: full\n", "北碚將搶抓戰略機遇。");
    // a new article is a draft without text: not reported until it is published
    site.article("draft", "草稿", "2024-03-12", "四川省", "科技合作", "slug: draft\ndraft: true\n", "");
    for command in ["check", "build"] {
        let out = site.run(&[command]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{command}: warnings do not fail: {err}");
        // named at the front matter's closing `---` (line 7), as errors are
        assert!(err.contains("content/empty.md:7: warning: the article has no text"), "{command}: {err}");
        assert!(err.contains("content/blank.md:7: warning: the article has no text"), "{command}: {err}");
        assert!(err.contains("help: write its text below the front matter"), "{command}: {err}");
        assert!(err.contains("2 warnings"), "{command}: {err}");
        assert!(!err.contains("full.md") && !err.contains("draft.md") && !err.contains("error"), "{command}: {err}");
    }
    assert!(String::from_utf8_lossy(&site.run(&["check"]).stdout).contains("ok: 3 articles, no errors, 2 warnings"));
    let out = site.run(&["build", "--drafts"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("content/draft.md:8: warning: the article has no text"));

    for command in ["check", "build"] {
        let out = site.run(&[command, "--format", "json"]);
        assert!(out.status.success());
        assert!(out.stderr.is_empty(), "JSON mode prints nothing on stderr");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!((doc["ok"].as_bool(), doc["error_count"].as_u64(), doc["warning_count"].as_u64()), (Some(true), Some(0), Some(2)), "{doc}");
        let warning = &doc["warnings"][1];
        assert_eq!(warning["severity"], "warning");
        assert_eq!(warning["file"], "content/empty.md");
        assert_eq!(warning["line"], 7);
        assert_eq!(warning["message"], "the article has no text");
        assert_eq!(warning["snippet"]["text"], "---");
    }
}
