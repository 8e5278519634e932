//! `gazette build` on real site folders: the pages, URLs, feeds and errors a user sees.

mod common;

use common::*;

/// Three Sichuan/Chongqing articles, enough to exercise every kind of page.
fn small_site() -> TestSite {
    let site = TestSite::new(SITE_TOML);
    site.article("a", "携手共谋县域创新 四川首次举办局县科技会商", "2024-03-15", "四川省/广元市/旺苍县", "科技合作", "tags: [局县会商, 县域创新]\n", "旺苍县地处四川盆地北缘。作为四川省科技系统首次开展的局县科技会商，正成为一项崭新探索。");
    site.article("b", "四川省科学技术厅广安市人民政府第三次厅市工作会商会议在广安召开", "2016-11-17", "四川省/广安市", "科技合作", "tags: [厅市会商, 县域创新]\n", "为加快实施创新驱动发展战略，四川省科技厅与广安市人民政府召开了第三次厅市工作会商会议。");
    site.article("c", "北碚：以科技為引領唱好“雙城記”", "2020-09-10T07:22:00+08:00", "[重庆市/北碚区, 四川省/绵阳市]", "区域协同", "tags: [成渝地区双城经济圈]\nsource: { name: 今日重慶, url: \"https://example.com/a\" }\nauthor: 高維微\n", "北碚與綿陽兩地以科技為引領，打造具有全國影響力的科技創新中心。");
    site
}

#[test]
fn every_page_of_the_spec_exists() {
    let site = small_site();
    let report = site.build_ok();
    assert_eq!(report.articles, 3);
    for file in [
        "index.html",
        "2024/03/xie-shou-gong-mou-xian-yu-chuang-xin-si-chuan/index.html",
        "tags/index.html",
        "tags/ju-xian-hui-shang/index.html",
        "tags/ju-xian-hui-shang/feed.xml",
        "categories/index.html",
        "categories/cooperation/index.html",
        "categories/cooperation/feed.xml",
        "regions/index.html",
        "regions/sichuan/index.html",
        "regions/sichuan/guangyuan/wangcang/index.html",
        "regions/sichuan/guangyuan/wangcang/feed.xml",
        "regions/chongqing/beibei/index.html",
        "archive/index.html",
        "archive/2024/index.html",
        "archive/2016/index.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
    ] {
        assert!(site.exists(file), "missing {file}; have:\n{}", site.files().join("\n"));
    }
}

#[test]
fn term_pages_match_the_input() {
    let site = small_site();
    site.build_ok();
    let files = site.files();
    let pages_under = |prefix: &str| files.iter().filter(|f| f.starts_with(prefix) && f.ends_with("/index.html") && f.matches('/').count() == 2).count();
    assert_eq!(pages_under("tags/"), 4, "局县会商 县域创新 厅市会商 成渝地区双城经济圈");
    assert_eq!(pages_under("categories/"), 3, "every configured category has a page, even an empty one");
    assert_eq!(pages_under("archive/"), 3);
    // 四川省 广元市 旺苍县 广安市 绵阳市 重庆市 北碚区
    let regions = files.iter().filter(|f| f.starts_with("regions/") && f.ends_with("index.html") && f != &"regions/index.html").count();
    assert_eq!(regions, 7, "{files:#?}");
}

#[test]
fn region_pages_include_everything_below_them() {
    let site = small_site();
    site.build_ok();
    let sichuan = entry_links(&site.read("regions/sichuan/index.html"));
    assert_eq!(sichuan.len(), 3, "旺苍 (via 广元), 广安 and 绵阳 are all in 四川");
    let guangyuan = site.read("regions/sichuan/guangyuan/index.html");
    assert_eq!(entry_links(&guangyuan).len(), 1);
    assert!(guangyuan.contains("/regions/sichuan/guangyuan/wangcang/"), "a region page links its child regions");
    let chongqing = entry_links(&site.read("regions/chongqing/index.html"));
    assert_eq!(chongqing.len(), 1, "the two-region article is in 重庆 too");
    let top = site.read("regions/index.html");
    // Without `[regions] home`, the most-used provinces first (四川 3 articles, 重庆 1):
    // code order (重庆 50 before 四川 51) only among equals.
    assert!(top.find("四川省").unwrap() < top.find("重庆市").unwrap(), "the most-used province first");
}

#[test]
fn lists_are_newest_first_with_ties_by_title() {
    let site = TestSite::new(SITE_TOML);
    site.article("x1", "乙 同日文章", "2024-05-01", "四川省", "科技合作", "slug: yi\n", "正文。");
    site.article("x2", "甲 同日文章", "2024-05-01", "四川省", "科技合作", "slug: jia\n", "正文。");
    site.article("x3", "最新文章", "2024-06-01", "四川省", "科技合作", "slug: new\n", "正文。");
    site.article("x4", "最早文章", "2023-01-01", "四川省", "科技合作", "slug: old\n", "正文。");
    site.build_ok();
    let home = entry_links(&site.read("index.html"));
    assert_eq!(home, ["/2024/06/new/", "/2024/05/jia/", "/2024/05/yi/", "/2023/01/old/"]);
}

#[test]
fn pagination_pages_and_links() {
    let site = TestSite::new(&SITE_TOML.replace("paginate = 20", "paginate = 2"));
    for i in 0..5 {
        site.article(&format!("p{i}"), &format!("文章{i}"), &format!("2024-01-0{}", i + 1), "四川省/成都市", "科技合作", &format!("slug: p{i}\n"), "正文。");
    }
    site.build_ok();
    assert!(site.exists("page/2/index.html") && site.exists("page/3/index.html"));
    assert!(!site.exists("page/4/index.html"));
    assert!(site.exists("regions/sichuan/chengdu/page/3/index.html"));
    let all: Vec<String> = ["index.html", "page/2/index.html", "page/3/index.html"].iter().flat_map(|p| entry_links(&site.read(p))).collect();
    assert_eq!(all, ["/2024/01/p4/", "/2024/01/p3/", "/2024/01/p2/", "/2024/01/p1/", "/2024/01/p0/"]);
    let page2 = site.read("page/2/index.html");
    assert!(page2.contains("rel=\"prev\"") && page2.contains("rel=\"next\""));
    assert!(!site.read("index.html").contains("rel=\"prev\""));
    assert!(!site.read("page/3/index.html").contains("rel=\"next\""));
    assert!(page2.contains("<link rel=\"canonical\" href=\"https://policy.example.org/page/2/\">"));
}

#[test]
fn a_long_list_shows_a_window_of_page_links() {
    let site = TestSite::new(&SITE_TOML.replace("paginate = 20", "paginate = 1"));
    for i in 0..12 {
        site.article(&format!("w{i}"), &format!("文章{i}"), &format!("2024-01-{:02}", i + 1), "四川省", "科技合作", &format!("slug: w{i}\n"), "正文。");
    }
    site.build_ok();
    let page6 = site.read("page/6/index.html");
    let bar = page6.split("class=\"pagination__pages\"").nth(1).unwrap().split("</ol>").next().unwrap();
    let linked: Vec<&str> = bar.split("href=\"").skip(1).filter_map(|s| s.split('"').next()).collect();
    assert_eq!(linked, ["/", "/page/4/", "/page/5/", "/page/7/", "/page/8/", "/page/12/"]);
    assert_eq!(bar.matches("pagination__gap").count(), 2);
}

#[test]
fn feeds_are_rss_with_the_right_items() {
    let site = small_site();
    site.build_ok();
    let items = feed_items(&site.read("feed.xml"));
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].0, "携手共谋县域创新 四川首次举办局县科技会商");
    assert!(items[0].1.starts_with("https://policy.example.org/2024/03/"));
    let feed = site.read("feed.xml");
    assert!(feed.contains("<pubDate>Fri, 15 Mar 2024 00:00:00 +0800</pubDate>"), "RFC 822 in the site's time zone");
    assert!(feed.contains("<atom:link href=\"https://policy.example.org/feed.xml\" rel=\"self\""));
    let wangcang = feed_items(&site.read("regions/sichuan/guangyuan/wangcang/feed.xml"));
    assert_eq!(wangcang.len(), 1);
    let tag = feed_items(&site.read("tags/xian-yu-chuang-xin/feed.xml"));
    assert_eq!(tag.len(), 2);
}

#[test]
fn feed_limit_and_forbidden_characters() {
    let site = TestSite::new(&format!("{SITE_TOML}\n[feed]\nlimit = 2\n"));
    for i in 0..4 {
        site.article(&format!("f{i}"), &format!("标题{i}\u{0008}含控制符 & <符号>"), &format!("2024-02-0{}", i + 1), "四川省", "科技合作", "", "正文\u{000B}内容。");
    }
    site.build_ok();
    let items = feed_items(&site.read("feed.xml"));
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].0, "标题3含控制符 & <符号>");
}

#[test]
fn sitemap_lists_articles_with_lastmod_and_robots_points_to_it() {
    let site = small_site();
    site.write("content/d.md", "---\ntitle: 更新过的文章\ndate: 2024-01-01\nupdated: 2024-02-01\nregion: 四川省\ncategory: 政策解读\nslug: updated\n---\n正文。\n");
    site.build_ok();
    let xml = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap is XML");
    let locs: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    assert!(locs.contains(&"https://policy.example.org/2024/01/updated/"));
    assert!(locs.contains(&"https://policy.example.org/regions/sichuan/guangyuan/wangcang/"));
    assert!(xml.contains("<loc>https://policy.example.org/2024/01/updated/</loc><lastmod>2024-02-01T00:00:00+08:00</lastmod>"));
    assert!(site.read("robots.txt").contains("Sitemap: https://policy.example.org/sitemap.xml"));
}

#[test]
fn base_url_with_a_sub_path_works_everywhere() {
    let site = TestSite::new(&SITE_TOML.replace("https://policy.example.org/", "https://example.org/policy/"));
    site.article("a", "局县会商", "2024-03-15", "四川省/广元市", "科技合作", "slug: a\ntags: [局县会商]\n", "正文。");
    site.build_ok();
    let home = site.read("index.html");
    assert_eq!(entry_links(&home), ["/policy/2024/03/a/"]);
    assert!(home.contains("href=\"/policy/css/style."), "the style sheet (by its hashed name) under the base path");
    assert!(home.contains("href=\"/policy/tags/\""));
    assert_eq!(feed_items(&site.read("feed.xml"))[0].1, "https://example.org/policy/2024/03/a/");
    assert!(site.read("sitemap.xml").contains("<loc>https://example.org/policy/regions/sichuan/guangyuan/</loc>"));
    assert!(site.read("2024/03/a/index.html").contains("href=\"/policy/regions/sichuan/\""));
}

#[test]
fn drafts_and_future_articles_only_when_asked() {
    let site = TestSite::new(SITE_TOML);
    site.article("now", "今天的文章", "2024-01-01", "四川省", "科技合作", "slug: now\n", "正文。");
    site.article("draft", "草稿", "2024-01-02", "四川省", "科技合作", "slug: draft\ndraft: true\n", "正文。");
    site.article("future", "未来", "2999-01-01", "四川省", "科技合作", "slug: future\n", "正文。");
    site.build_ok();
    assert!(site.exists("2024/01/now/index.html"));
    assert!(!site.exists("2024/01/draft/index.html"));
    assert!(!site.exists("2999/01/future/index.html"));
    let out = site.run(&["build", "--drafts", "--future"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(site.exists("2024/01/draft/index.html"));
    assert!(site.exists("2999/01/future/index.html"));
}

#[test]
fn homophone_tags_and_titles_get_distinct_slugs() {
    let site = TestSite::new(SITE_TOML);
    site.article("a", "科技", "2024-01-01", "四川省", "科技合作", "tags: [制造]\n", "正文。");
    site.article("b", "可记", "2024-01-20", "四川省", "科技合作", "tags: [智造]\n", "正文。");
    site.build_ok();
    assert!(site.exists("2024/01/ke-ji/index.html"));
    assert!(site.exists("2024/01/ke-ji-2/index.html"), "the later article gets the suffix");
    assert!(site.read("2024/01/ke-ji/index.html").contains("<title>科技"));
    assert!(site.exists("tags/zhi-zao/index.html") && site.exists("tags/zhi-zao-2/index.html"));
    assert!(site.read("tags/zhi-zao/index.html").contains("制造"), "the tag used first keeps the plain slug");
    // the same input gives the same URLs
    let first = site.files();
    site.build_ok();
    assert_eq!(site.files(), first);
}

#[test]
fn two_builds_are_byte_identical() {
    let site = TestSite::sample();
    site.build_ok();
    let snapshot = site.snapshot();
    site.build_ok();
    let again = site.snapshot();
    assert!(snapshot == again, "second build differs");
}

#[test]
fn aliases_redirect_to_the_article() {
    let site = TestSite::new(SITE_TOML);
    site.article("a", "局县会商", "2024-03-15", "四川省", "科技合作", "slug: a\naliases: [/old/news.html, /旧/地址/]\n", "正文。");
    site.build_ok();
    let page = site.read("old/news.html");
    assert!(page.contains("url=https://policy.example.org/2024/03/a/"));
    assert!(site.exists("旧/地址/index.html"));
}

#[test]
fn article_page_shows_its_metadata() {
    let site = small_site();
    site.build_ok();
    let html = site.read("2020/09/bei-bei-yi-ke-ji-wei-yin-ling-chang-hao-shuang/index.html");
    assert!(html.contains("<html lang=\"zh-CN\""));
    assert!(html.contains("<article"));
    assert!(html.contains("今日重慶") && html.contains("https://example.com/a"));
    assert!(html.contains("高維微"));
    assert!(html.contains("datetime=\"2020-09-10T07:22:00+08:00\""));
    assert!(html.contains("/regions/chongqing/beibei/") && html.contains("/regions/sichuan/mianyang/"));
}

#[test]
fn a_site_without_a_theme_folder_uses_the_built_in_default_theme() {
    let site = small_site();
    std::fs::remove_dir_all(site.root().join("themes")).unwrap();
    site.build_ok();
    assert!(site.exists("css/style.css"));
    assert_eq!(entry_links(&site.read("index.html")).len(), 3);
    site.write("static/css/style.css", "/* the site's own */");
    site.build_ok();
    assert_eq!(site.read("css/style.css"), "/* the site's own */", "the site's static files win");
}

#[test]
fn list_pages_print_each_articles_entry_html_with_a_few_keys_beside_it() {
    let site = small_site();
    site.write(
        "themes/default/templates/entry.html",
        "\n<li class=\"entry\"><a href=\"{{ entry.url }}\">{{ entry.title }}</a> 摘要：{{ entry.summary }} 标签数：{{ entry.tags | length }}</li>\n\n",
    );
    site.write(
        "themes/default/templates/entries.html",
        "<ol>{% for e in paginator.entries %}[{{ e.date_ymd }}]{{ e.html | safe }}{{ e.summary | default(value=\"(无摘要键)\") }}{% endfor %}</ol>",
    );
    site.build_ok();
    let tag_page = site.read("tags/xian-yu-chuang-xin/index.html");
    assert!(
        tag_page.contains("<ol>[2024-03-15]<li class=\"entry\"><a href=\"/2024/03/xie-shou-gong-mou-xian-yu-chuang-xin-si-chuan/\">"),
        "the fragment follows the light date key, trimmed of its blank lines: {tag_page}"
    );
    assert!(tag_page.contains("摘要：旺苍县地处四川盆地北缘。") && tag_page.contains("标签数：2</li>(无摘要键)"), "{tag_page}");
    assert_eq!(entry_links(&tag_page).len(), 2);
    // The same fragment on another list: the traditional-character article on its region page.
    let region_page = site.read("regions/chongqing/beibei/index.html");
    assert!(region_page.contains(">北碚：以科技為引領唱好“雙城記”</a> 摘要：北碚與綿陽兩地以科技為引領"), "{region_page}");
}

#[test]
fn a_theme_without_entry_html_gets_whole_entries_on_list_pages() {
    let site = small_site();
    std::fs::remove_file(site.root().join("themes/default/templates/entry.html")).unwrap();
    site.write(
        "themes/default/templates/entries.html",
        "<ol>{% for e in paginator.entries %}<li class=\"entry\"><a href=\"{{ e.url }}\">{{ e.title }}</a>{% for t in e.tags %}#{{ t.name }}{% endfor %}{{ e.html | default(value=\"\") }}</li>{% endfor %}</ol>",
    );
    site.build_ok();
    // A list page that prints entries.html (the home page's first page lays out `home`).
    let list = site.read("regions/sichuan/index.html");
    assert!(list.contains("唱好“雙城記”</a>#成渝地区双城经济圈</li>"), "{list}");
    assert_eq!(entry_links(&list).len(), 3);
}

#[test]
fn an_error_in_entry_html_names_the_template_and_the_article() {
    let site = small_site();
    site.write("themes/default/templates/entry.html", "<li class=\"entry\">{{ entry.source.name }}</li>\n");
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("themes/default/templates/entry.html"), "names the theme's file: {err}");
    assert!(err.contains("the list entry of /20"), "names the article whose entry failed: {err}");
}

/// The header's navigation as the default theme renders it (through `include_cached`,
/// once per section): (link text, marked is-current, marked aria-current).
fn nav_marks(html: &str) -> Vec<(String, bool, bool)> {
    let header = &html[html.find("<header").unwrap()..html.find("</header>").unwrap()];
    header
        .split("<li><a ")
        .skip(1)
        .map(|li| {
            let tag = &li[..li.find('>').unwrap()];
            let text = li[li.find('>').unwrap() + 1..li.find("</a>").unwrap()].to_string();
            (text, tag.contains("is-current"), tag.contains("aria-current=\"page\""))
        })
        .collect()
}

#[test]
fn the_navigation_marks_the_current_section_and_page() {
    let site = TestSite::new(&SITE_TOML.replace("paginate = 20", "paginate = 1"));
    site.article("a", "携手共谋县域创新", "2024-03-15", "四川省/广元市/旺苍县", "科技合作", "tags: [局县会商]\n", "正文。");
    site.article("b", "第三次厅市工作会商会议", "2016-11-17", "四川省/广安市", "科技合作", "", "正文。");
    site.build_ok();
    let marked = |file: &str| -> Vec<(String, bool, bool)> { nav_marks(&site.read(file)).into_iter().filter(|(_, c, a)| *c || *a).collect() };
    let mark = |text: &str, current: bool, aria: bool| vec![(text.to_string(), current, aria)];
    assert_eq!(marked("index.html"), mark("首页", true, true));
    assert_eq!(marked("page/2/index.html"), mark("首页", true, false), "a later page of the home list is not the home page");
    assert_eq!(marked("tags/index.html"), mark("标签", true, true));
    assert_eq!(marked("tags/ju-xian-hui-shang/index.html"), mark("标签", true, false));
    assert_eq!(marked("regions/sichuan/index.html"), mark("地区", true, false));
    assert_eq!(marked("archive/2024/index.html"), mark("归档", true, false));
    let category = [("分类".to_string(), true, false), ("科技合作".to_string(), true, true)];
    assert_eq!(marked("categories/cooperation/index.html"), category);
    assert_eq!(marked("categories/cooperation/page/2/index.html"), category, "every page of a category marks it");
    assert_eq!(marked("2024/03/xie-shou-gong-mou-xian-yu-chuang-xin/index.html"), vec![], "an article marks nothing");
    // Every page has the whole navigation, and the same footer.
    assert_eq!(nav_marks(&site.read("404.html")).len(), 5 + 3);
    let footer = |file: &str| site.read(file).split("<footer").nth(1).unwrap().to_string();
    assert_eq!(footer("index.html"), footer("tags/ju-xian-hui-shang/index.html"));
}

#[test]
fn a_theme_can_render_parts_once_with_include_cached() {
    let site = small_site();
    site.write(
        "themes/default/templates/footer.html",
        "<footer>{{ site.title }}｜{{ page.title | default(value=\"（部件看不到页面）\") }}｜{{ include_cached(template=\"mark.html\", text=\"<嵌套>\") | default(value=\"\") }}</footer>\n",
    );
    site.write("themes/default/templates/mark.html", "<b>{{ text }}</b>");
    let article = "themes/default/templates/article.html";
    let text = std::fs::read_to_string(site.root().join(article)).unwrap();
    site.write(article, text.replacen("<h1 class=\"article__title\">", "{{ include_cached(template=\"mark.html\", text=page.category.name) }}<h1 class=\"article__title\">", 1));
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("include_cached") && err.contains("footer.html"), "a part cannot include a cached part itself: {err}");

    site.write("themes/default/templates/footer.html", "<footer>{{ site.title }}｜{{ page.title | default(value=\"（部件看不到页面）\") }}</footer>\n");
    site.build_ok();
    let page = site.read("2024/03/xie-shou-gong-mou-xian-yu-chuang-xin-si-chuan/index.html");
    assert!(page.contains("<footer>川渝科技政策观察｜（部件看不到页面）</footer>\n</body>"), "{page}");
    assert!(page.contains("<b>科技合作</b><h1"), "arguments reach the part, escaped there: {page}");
    let other = site.read("2020/09/bei-bei-yi-ke-ji-wei-yin-ling-chang-hao-shuang/index.html");
    assert!(other.contains("<b>区域协同</b><h1"), "each set of arguments has its own render: {other}");
}
