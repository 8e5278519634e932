//! Issue 22 on real-looking content: long titles and tags that share their first 48
//! characters of pinyin keep readable, distinct URLs (a number only for names that read
//! the same), old URLs stay where they were, and articles of one day come in the order
//! the editor gives (`weight:`, then time of day).

mod common;

use common::*;

/// Two 60-character notices, simplified, that read the same for their first 29
/// characters (far past the 48 characters of pinyin of a slug) and differ at 创新 / 成果.
const NOTICE_A: &str = "关于印发《四川省科学技术厅 四川省财政厅关于进一步加强科技创新平台建设、运行与绩效管理工作的若干政策措施（试行）》的通知";
const NOTICE_B: &str = "关于印发《四川省科学技术厅 四川省财政厅关于进一步加强科技成果转化、知识产权保护与运用工作的若干政策措施（试行）》的通知";
/// Three shorter rules of one month: the second and third read the same further than the
/// first and second.
const RULES_A: &str = "关于印发《四川省科学技术厅关于进一步加强科技创新平台建设与运行管理工作的若干措施（试行）》的通知";
const RULES_B: &str = "关于印发《四川省科学技术厅关于进一步加强科技成果转化与知识产权保护工作的若干措施（试行）》的通知";
const RULES_C: &str = "关于印发《四川省科学技术厅关于进一步加强科技成果转化与技术转移体系建设工作的若干措施》的通知";
/// Their plain slug: the first 48 characters of the pinyin, cut between syllables.
const PLAIN: &str = "guan-yu-yin-fa-si-chuan-sheng-ke-xue-ji-shu-ting";

fn notice(site: &TestSite, file: &str, title: &str, date: &str) {
    site.article(file, title, date, "四川省", "政策解读", "", "正文。");
}

/// The article URLs of the home page, with the title each page shows.
fn urls_by_title(site: &TestSite) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = entry_links(&site.read("index.html"))
        .into_iter()
        .map(|url| {
            let html = site.read(&format!("{}index.html", url.trim_start_matches('/')));
            let title = html.split("<title>").nth(1).and_then(|t| t.split(" - ").next()).unwrap_or_default().to_string();
            (title, url)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn long_simplified_titles_sharing_their_slug_are_told_apart_by_reading_further() {
    assert_eq!((NOTICE_A.chars().count(), NOTICE_B.chars().count()), (60, 60));
    let site = TestSite::new(SITE_TOML);
    notice(&site, "a", NOTICE_A, "2024-03-01");
    notice(&site, "b", NOTICE_B, "2024-03-05");
    // The same title again, later: it reads the same, so only it gets a number.
    notice(&site, "c", NOTICE_A, "2024-03-09");
    site.build_ok();
    let older = format!("2024/03/{PLAIN}/index.html");
    let newer = format!("2024/03/{PLAIN}-si-chuan-sheng-cai-zheng-ting-guan-yu-jin-yi-bu-jia-qiang-ke-ji-cheng/index.html");
    let again = format!("2024/03/{PLAIN}-2/index.html");
    assert!(site.read(&older).contains(NOTICE_A), "the older notice keeps the plain slug");
    assert!(site.read(&newer).contains(NOTICE_B), "the newer one reads on to where it differs (成果, cheng): {:?}", site.files());
    assert!(site.read(&again).contains(NOTICE_A), "a title that reads the same gets a number");
    assert_eq!(site.files().iter().filter(|f| f.starts_with("2024/03/")).count(), 3);
}

#[test]
fn long_traditional_titles_sharing_their_slug_are_told_apart_by_reading_further() {
    let a = "關於印發《臺灣省科學技術廳關於進一步加強科技創新平臺建設管理辦法》的通知";
    let b = "關於印發《臺灣省科學技術廳關於進一步加強科技人才隊伍建設管理辦法》的通知";
    let site = TestSite::new(SITE_TOML);
    notice(&site, "old", a, "2024-03-15T09:30:00+08:00");
    notice(&site, "new", b, "2024-03-15T10:00:00+08:00");
    site.build_ok();
    let plain = "guan-yu-yin-fa-tai-wan-sheng-ke-xue-ji-shu-ting";
    assert!(site.read(&format!("2024/03/{plain}/index.html")).contains(a));
    assert!(site.read(&format!("2024/03/{plain}-guan-yu-jin-yi-bu-jia-qiang-ke-ji-ren/index.html")).contains(b), "{:?}", site.files());
}

#[test]
fn a_new_article_never_moves_the_url_of_an_older_one_and_file_order_does_not_matter() {
    let site = TestSite::new(SITE_TOML);
    notice(&site, "z-first", RULES_A, "2024-03-01");
    site.build_ok();
    let before = urls_by_title(&site);
    assert_eq!(before, [(RULES_A.to_string(), format!("/2024/03/{PLAIN}/"))]);
    // A newer notice sharing the slug, in a file that is read first.
    notice(&site, "a-second", RULES_B, "2024-03-20");
    site.build_ok();
    let after = urls_by_title(&site);
    assert!(after.contains(&before[0]), "{after:?}");
    // A third, sharing even more with the second: neither earlier URL moves.
    let third = RULES_C;
    notice(&site, "m-third", third, "2024-03-25");
    site.build_ok();
    let last = urls_by_title(&site);
    assert!(after.iter().all(|u| last.contains(u)), "{after:?} → {last:?}");
    let b = format!("/2024/03/{PLAIN}-guan-yu-jin-yi-bu-jia-qiang-ke-ji-cheng/");
    let c = format!("/2024/03/{PLAIN}-guan-yu-jin-yi-bu-jia-qiang-ke-ji-cheng-guo-zhuan-hua-yu-ji/");
    let mut expected = vec![(RULES_A.to_string(), format!("/2024/03/{PLAIN}/")), (RULES_B.to_string(), b), (RULES_C.to_string(), c)];
    expected.sort();
    assert_eq!(last, expected, "每个 URL 各不相同，没有编号");

    // The same articles in files named the other way round give the same URLs.
    let other = TestSite::new(SITE_TOML);
    notice(&other, "a-first", RULES_A, "2024-03-01");
    notice(&other, "z-second", RULES_B, "2024-03-20");
    notice(&other, "b-third", third, "2024-03-25");
    other.build_ok();
    assert_eq!(urls_by_title(&other), last);
}

#[test]
fn a_difference_beyond_the_longest_slug_gets_a_number() {
    // The two differ only in their last characters, about 230 characters into the pinyin.
    let head = "中共中央总书记、国家主席、中央军委主席习近平在四川省成都市考察调研时强调加快建设具有全国影响力的科技创新中心";
    let site = TestSite::new(SITE_TOML);
    notice(&site, "a", &format!("{head}（上）"), "2024-03-01");
    notice(&site, "b", &format!("{head}（下）"), "2024-03-02");
    site.build_ok();
    let plain = "zhong-gong-zhong-yang-zong-shu-ji-guo-jia-zhu-xi";
    assert!(site.exists(&format!("2024/03/{plain}/index.html")) && site.exists(&format!("2024/03/{plain}-2/index.html")), "{:?}", site.files());
}

#[test]
fn long_tags_sharing_their_slug_get_readable_distinct_slugs() {
    let old_tag = "成渝地区双城经济圈科技创新中心建设重点任务";
    let new_tag = "成渝地区双城经济圈科技创新中心建设项目清单";
    let site = TestSite::new(SITE_TOML);
    site.article("a", "旧文", "2023-01-01", "四川省", "科技合作", &format!("slug: a\ntags: [{old_tag}]\n"), "正文。");
    site.article("b", "新文", "2024-01-01", "四川省", "科技合作", &format!("slug: b\ntags: [{new_tag}]\n"), "正文。");
    site.build_ok();
    let plain = "cheng-yu-di-qu-shuang-cheng-jing-ji-quan-ke-ji";
    assert!(site.read(&format!("tags/{plain}/index.html")).contains(old_tag), "the tag used first keeps the plain slug");
    let longer = format!("tags/{plain}-chuang-xin-zhong-xin-jian-she-xiang/index.html");
    assert!(site.read(&longer).contains(new_tag), "{:?}", site.files());
}

/// An article with an explicit slug, so that URLs name it.
fn dated(site: &TestSite, slug: &str, date: &str, more: &str) {
    site.article(slug, &format!("{slug} 科技动态"), date, "四川省/成都市", "科技合作", &format!("slug: {slug}\ntags: [科技动态]\n{more}"), "正文。");
}

#[test]
fn weight_orders_the_articles_of_one_day_before_the_time_of_day_on_every_list_and_feed() {
    let site = TestSite::new(SITE_TOML);
    // 2024-03-15 in Shanghai, in the order an editor wants: two weighted, then by time.
    dated(&site, "a-midnight", "2024-03-15", "");
    dated(&site, "b-morning", "2024-03-15T09:30:00+08:00", "");
    dated(&site, "c-afternoon", "2024-03-15T15:00:00+08:00", "");
    dated(&site, "d-lead", "2024-03-15", "weight: 1\n");
    dated(&site, "e-second", "2024-03-15T16:00:00+08:00", "weight: 2\n");
    // 20:00 UTC on the 14th is 04:00 on the 15th in the site's time zone.
    dated(&site, "f-early-utc", "2024-03-14T20:00:00Z", "weight: 3\n");
    // A weight never lifts an article above a newer day.
    dated(&site, "g-next-day", "2024-03-16", "");
    dated(&site, "h-day-before", "2024-03-14", "weight: -5\n");
    site.build_ok();
    let expected: Vec<String> = ["g-next-day", "d-lead", "e-second", "f-early-utc", "c-afternoon", "b-morning", "a-midnight", "h-day-before"]
        .iter()
        .map(|s| format!("/2024/03/{s}/"))
        .collect();
    for list in ["index.html", "tags/ke-ji-dong-tai/index.html", "categories/cooperation/index.html", "regions/sichuan/chengdu/index.html", "archive/2024/index.html"] {
        assert_eq!(entry_links(&site.read(list)), expected, "{list}");
    }
    for feed in ["feed.xml", "tags/ke-ji-dong-tai/feed.xml", "regions/sichuan/feed.xml"] {
        let links: Vec<String> = feed_items(&site.read(feed)).into_iter().map(|(_, link)| link.replace("https://policy.example.org", "")).collect();
        assert_eq!(links, expected, "{feed}");
    }
}

#[test]
fn the_time_of_day_orders_a_day_without_weights() {
    let site = TestSite::new(SITE_TOML);
    dated(&site, "a-0930", "2024-03-15T09:30:00+08:00", "");
    dated(&site, "b-1600", "2024-03-15T16:00:00", "");
    dated(&site, "c-midnight", "2024-03-15", "");
    dated(&site, "d-0100utc", "2024-03-15T01:00:00Z", "");
    site.build_ok();
    let expected: Vec<String> = ["b-1600", "a-0930", "d-0100utc", "c-midnight"].iter().map(|s| format!("/2024/03/{s}/")).collect();
    assert_eq!(entry_links(&site.read("index.html")), expected);
}

#[test]
fn a_weight_that_is_not_a_whole_number_is_an_error_naming_the_file_and_line() {
    let site = TestSite::new(SITE_TOML);
    dated(&site, "bad", "2024-03-15", "weight: 第一\n");
    let out = site.run(&["build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("bad.md") && err.contains(":8") && err.contains("`weight: 第一` is not a whole number"), "{err}");
}

#[test]
fn reordering_a_day_with_weights_moves_no_url() {
    let site = TestSite::new(SITE_TOML);
    notice(&site, "a", NOTICE_A, "2024-03-15");
    notice(&site, "b", NOTICE_B, "2024-03-15");
    site.build_ok();
    let before = urls_by_title(&site);
    site.article("b", NOTICE_B, "2024-03-15", "四川省", "政策解读", "weight: 1\n", "正文。");
    site.build_ok();
    assert_eq!(urls_by_title(&site), before);
    let home = entry_links(&site.read("index.html"));
    assert!(home[0].ends_with("-cheng/"), "the weighted notice comes first: {home:?}");
}

#[test]
fn serve_watch_reorders_the_day_when_only_a_weight_is_edited() {
    let site = TestSite::new(SITE_TOML);
    dated(&site, "a", "2024-03-15", "");
    dated(&site, "b", "2024-03-15", "");
    let options = gazette::BuildOptions { root: site.root().to_path_buf(), output: Some(site.root().join(".gazette/live")), ..Default::default() };
    let mut live = gazette::LiveSite::new(options);
    live.rebuild(&[]).unwrap_or_else(|e| panic!("first build failed:\n{e}"));
    let home = || entry_links(&std::fs::read_to_string(live_home(&site)).unwrap_or_default());
    assert_eq!(home(), ["/2024/03/a/", "/2024/03/b/"]);
    // Only the weight changes: the article keeps its URL, but not its place.
    dated(&site, "b", "2024-03-15", "weight: 1\n");
    live.rebuild(&[site.root().join("content/b.md")]).unwrap_or_else(|e| panic!("rebuild failed:\n{e}"));
    assert_eq!(home(), ["/2024/03/b/", "/2024/03/a/"]);
}

fn live_home(site: &TestSite) -> std::path::PathBuf {
    site.root().join(".gazette/live/index.html")
}

#[test]
fn a_feed_led_by_a_weighted_article_still_dates_itself_by_its_newest_item() {
    let site = TestSite::new(SITE_TOML);
    site.article("morning", "上午发布的头条", "2024-03-15T08:00:00+08:00", "四川省", "科技合作", "slug: morning\nweight: 1\n", "正文。");
    site.article("evening", "晚间快讯", "2024-03-15T19:30:00+08:00", "四川省", "科技合作", "slug: evening\n", "正文。");
    site.build_ok();
    let feed = site.read("feed.xml");
    let items = feed_items(&feed);
    assert_eq!(items[0].0, "上午发布的头条", "the weighted article leads");
    assert!(feed.contains("<lastBuildDate>Fri, 15 Mar 2024 19:30:00 +0800</lastBuildDate>"), "{feed}");
}
