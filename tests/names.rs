//! Names of tags, categories and regions: spellings that look alike are one name with one
//! page, case never splits a name, and messages show the characters a reader cannot see.

mod common;

use common::*;

fn site_with(articles: &[(&str, &str, &str)]) -> TestSite {
    let site = TestSite::new(SITE_TOML);
    for (i, (region, category, tags)) in articles.iter().enumerate() {
        let date = format!("2024-03-{:02}", i + 1);
        site.article(&format!("a{i}"), &format!("第{i}篇"), &date, region, category, &format!("slug: a{i}\ntags: {tags}\n"), "正文。");
    }
    site
}

/// The links of a list page's entries, for `rel` (e.g. `tags/ke-ji-chuang-xin/`).
fn entries(site: &TestSite, rel: &str) -> Vec<String> {
    entry_links(&site.read(&format!("{rel}index.html")))
}

#[test]
fn look_alike_tags_are_one_tag_with_one_page() {
    let site = site_with(&[
        ("四川省", "科技合作", "[科技创新]"),
        ("四川省", "科技合作", "[科技　创新]"),
        ("四川省", "科技合作", "[\"科技\\u200b创新\"]"),
        ("四川省", "科技合作", "[\"Que\\u0301bec\"]"),
        ("四川省", "科技合作", "[Québec]"),
    ]);
    site.build_ok();
    let tag_pages: Vec<String> = site.files().into_iter().filter(|f| f.starts_with("tags/") && f.ends_with("index.html")).collect();
    assert_eq!(tag_pages.len(), 3, "the tag index and two tags: {tag_pages:#?}");
    assert_eq!(entries(&site, "tags/ke-ji-chuang-xin/").len(), 3);
    let quebec = tag_pages.iter().find(|p| p.contains("qu")).unwrap_or_else(|| panic!("{tag_pages:#?}"));
    assert_eq!(entries(&site, quebec.trim_end_matches("index.html")).len(), 2);
    let index = site.read("tags/index.html");
    assert!(index.contains("科技创新") && !index.contains("科技　创新") && !index.contains('\u{200B}'), "{index}");
}

#[test]
fn tags_differing_only_in_case_are_one_tag_in_the_most_used_spelling() {
    let site = site_with(&[
        ("四川省", "科技合作", "[AI]"),
        ("四川省", "科技合作", "[ai]"),
        ("四川省", "科技合作", "[Ai, 5G网络]"),
        ("四川省", "科技合作", "[ai, ５Ｇ 网络]"),
    ]);
    site.build_ok();
    assert_eq!(entries(&site, "tags/ai/").len(), 4);
    assert!(!site.exists("tags/ai-2/index.html"), "{:#?}", site.files());
    assert_eq!(entries(&site, "tags/5g-wang-luo/").len(), 2);
    assert!(!site.exists("tags/5g-wang-luo-2/index.html"), "{:#?}", site.files());
    // `ai` is written twice, `AI` and `Ai` once each.
    let index = site.read("tags/index.html");
    assert!(index.contains("/tags/ai/\">ai</a> <span class=\"count\">4 篇</span>"), "{index}");
    assert!(index.contains("/tags/5g-wang-luo/\">5G网络</a> <span class=\"count\">2 篇</span>"), "the older article's spelling wins the tie: {index}");
    let article = site.read("2024/03/a0/index.html");
    assert!(article.contains("/tags/ai/"), "the article written `AI` links the one page");
}

#[test]
fn categories_and_regions_match_whatever_the_spelling() {
    let site = site_with(&[
        ("四川省/广元市", "\"科技合作\\u200b\"", "[]"),
        ("\"四川省/广元市\\u200b\"", "科技　合作", "[]"),
        ("[\"四川省\\u3000/ 广元市\"]", "科技合作", "[]"),
    ]);
    site.build_ok();
    assert_eq!(entries(&site, "categories/cooperation/").len(), 3);
    assert_eq!(entries(&site, "regions/sichuan/guangyuan/").len(), 3);
    let files = site.files();
    assert_eq!(files.iter().filter(|f| f.starts_with("regions/") && f.ends_with("index.html")).count(), 3, "regions, 四川省, 广元市: {files:#?}");
}

#[test]
fn taxonomy_paths_are_lowercase_whatever_the_names() {
    let toml = SITE_TOML.replace("[categories]\n", "").replace("\"科技合作\" = \"cooperation\"\n\"政策解读\" = \"interpretation\"\n\"区域协同\" = \"regional\"\n", "");
    let site = TestSite::new(&toml);
    for (i, (region, category, tag)) in [("Hong Kong/Central", "AI Policy", "GPU"), ("hong kong/central", "ai policy", "gpu"), ("Macao/SÉ", "Open Data", "Québec")].iter().enumerate() {
        site.article(&format!("a{i}"), "甲", &format!("2024-03-{:02}", i + 1), region, category, &format!("slug: a{i}\ntags: [{tag}]\n"), "正文。");
    }
    site.build_ok();
    for file in site.files() {
        assert_eq!(file, file.to_lowercase(), "an output path with capitals could clash on a case-insensitive disk");
    }
    assert_eq!(entries(&site, "tags/gpu/").len(), 2);
    assert_eq!(site.files().iter().filter(|f| f.starts_with("categories/") && f.ends_with("index.html")).count(), 3, "{:#?}", site.files());
}

#[test]
fn messages_show_invisible_characters() {
    let site = TestSite::new(SITE_TOML);
    site.write("content/key.md", "---\ntitle: 甲\ndate: 2024-03-15\nregion: 四川省\ncatego\u{200B}ry: 科技合作\n---\n正文\n");
    site.write("content/slug.md", "---\ntitle: 乙\ndate: 2024-03-15\nregion: 四川省\ncategory: 科技合作\nslug: \"wang\\u200bcang\"\n---\n正文\n");
    let out = site.run(&["check"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("content/key.md:5:1: error: front matter: unknown field `catego<U+200B>ry`"), "{err}");
    assert!(err.contains("help: did you mean `category`?"), "{err}");
    assert!(err.contains("content/slug.md:6: error: slug `wang<U+200B>cang` may only hold"), "{err}");
    assert!(!err.contains('\u{200B}'), "{err}");
    // A category name loses its invisible characters before it is looked up.
    let site = TestSite::new(SITE_TOML);
    site.article("cat", "丙", "2024-03-15", "四川省", "\"科技合做\\u200b\"", "", "正文。");
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("content/cat.md:5: error: unknown category `科技合做`\n  help: did you mean `科技合作`?"), "{err}");
}
