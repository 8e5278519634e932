//! Related articles as a reader sees them: on article pages, in rank order, as data for themes.

mod common;

use common::*;

fn related_of(site: &TestSite, article_file: &str) -> Vec<String> {
    related_links(&site.read(article_file))
}

#[test]
fn the_two_sichuan_consultation_meetings_list_each_other_first() {
    let site = TestSite::sample();
    site.build_ok();
    let jvxian = "/2024/03/wangcang-county-consultation/";
    let tingshi = "/2016/11/guangan-third-consultation/";
    assert_eq!(related_of(&site, "2024/03/wangcang-county-consultation/index.html").first().map(String::as_str), Some(tingshi));
    assert_eq!(related_of(&site, "2016/11/guangan-third-consultation/index.html").first().map(String::as_str), Some(jvxian));
}

#[test]
fn an_article_never_lists_itself_and_lists_are_stable() {
    let site = TestSite::sample();
    site.build_ok();
    let pages: Vec<String> = site.files().into_iter().filter(|f| f.starts_with("20") && f.ends_with("index.html")).collect();
    assert_eq!(pages.len(), 5);
    let first: Vec<Vec<String>> = pages.iter().map(|p| related_of(&site, p)).collect();
    for (page, links) in pages.iter().zip(&first) {
        let own = format!("/{}", page.trim_end_matches("index.html"));
        assert!(!links.contains(&own), "{page} lists itself");
        assert!(!links.is_empty(), "{page} has related articles");
    }
    site.build_ok();
    let again: Vec<Vec<String>> = pages.iter().map(|p| related_of(&site, p)).collect();
    assert_eq!(first, again);
}

#[test]
fn an_article_without_tags_is_related_by_its_text() {
    let site = TestSite::new(SITE_TOML);
    // Different provinces, categories and no tags: only the text links a and b.
    site.article("a", "绿色家居产业科技赋能", "2024-03-01", "江苏省/镇江市", "科技合作", "slug: a\n", "通过实施绿色家居加工关键技术研发项目，引导家具企业运用云计算、物联网、人工智能，开展网络化协同制造和大规模个性化定制。");
    site.article("b", "家具企业的智能制造之路", "2024-03-02", "四川省/广元市", "政策解读", "slug: b\n", "家具企业运用云计算、物联网和人工智能开展网络化协同制造，绿色家居加工关键技术实现大规模个性化定制。");
    site.article("c", "农业科技园区获批", "2024-03-03", "重庆市/北碚区", "区域协同", "slug: c\n", "旺苍农业科技园区成功获批创建省级农业科技示范园区，柑桔研究所开展品种培育。");
    site.build_ok();
    assert_eq!(related_of(&site, "2024/03/a/index.html").first().map(String::as_str), Some("/2024/03/b/"));
    assert_eq!(related_of(&site, "2024/03/b/index.html").first().map(String::as_str), Some("/2024/03/a/"));
}

#[test]
fn count_comes_from_site_toml_and_zero_turns_it_off() {
    let make = |count: usize| {
        let site = TestSite::new(&format!("{SITE_TOML}\n[related]\ncount = {count}\n"));
        for i in 0..6 {
            site.article(&format!("r{i}"), &format!("局县科技会商第{i}次"), &format!("2024-01-0{}", i + 1), "四川省/广元市/旺苍县", "科技合作", &format!("slug: r{i}\ntags: [局县会商]\n"), "广元市科技局与旺苍县开展局县科技会商。");
        }
        site.build_ok();
        site
    };
    assert_eq!(related_of(&make(2), "2024/01/r0/index.html").len(), 2);
    assert!(related_of(&make(0), "2024/01/r0/index.html").is_empty());
}

#[test]
fn unknown_related_key_is_an_error() {
    let site = TestSite::new(&format!("{SITE_TOML}\n[related]\ncuont = 3\n"));
    site.article("a", "标题", "2024-01-01", "四川省", "科技合作", "", "正文。");
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("cuont"), "{err}");
}

#[test]
fn themes_get_the_related_list_as_data() {
    let site = TestSite::sample();
    site.write(
        "themes/default/templates/article.html",
        "{{ page.related | length }}|{% for r in page.related %}{{ r.title }}@{{ r.url }}@{{ r.date_ymd }}@{{ r.region.name }};{% endfor %}",
    );
    site.build_ok();
    let out = site.read("2024/03/wangcang-county-consultation/index.html");
    let (count, items) = out.split_once('|').unwrap();
    assert_eq!(count, "3", "three of the four other sample articles share something with it");
    assert!(items.starts_with("四川省科学技术厅广安市人民政府第三次厅市工作会商会议在广安召开@/2016/11/guangan-third-consultation/@2016-11-17@广安市;"), "{items}");
}
