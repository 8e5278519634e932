//! Rebuilds of `serve --watch` (the library's `LiveSite`), without a server or watcher:
//! after every kind of change an editor makes, the output folder must equal a fresh
//! `gazette build` of the same site, byte for byte, and the rebuild must have done only
//! part of the work.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::TestSite;
use gazette::{BuildOptions, LiveSite, Rebuilt};

const WANGCANG: &str = "content/2024/wangcang-consultation.md";
const WANGCANG_PAGE: &str = "2024/03/wangcang-county-consultation/index.html";
const GUANGAN_PAGE: &str = "2016/11/guangan-third-consultation/index.html";

/// The sample site plus enough generated articles for several list pages.
fn site() -> TestSite {
    let site = TestSite::sample();
    let places = ["四川省/成都市/郫都区", "重庆市/北碚区", "江苏省/镇江市", "四川省/绵阳市"];
    let topics = ["科技成果转化", "县域创新", "科技金融", "创新平台"];
    for i in 0..44 {
        let (place, topic) = (places[i % places.len()], topics[i % topics.len()]);
        let day = 1 + i % 28;
        site.article(
            &format!("gen/{i:02}"),
            &format!("第{i}期{topic}工作简报"),
            &format!("2023-{:02}-{day:02}", 1 + i % 12),
            place,
            "科技合作",
            &format!("tags: [{topic}, 工作简报]\n"),
            &format!("{place}推进{topic}，第{i}期。科技部门召开会议部署{topic}工作。"),
        );
    }
    site
}

struct Live {
    site: TestSite,
    live: LiveSite,
}

impl Live {
    fn start(site: TestSite, defer_related_after: Duration) -> Live {
        Live::start_with(site, defer_related_after, 49)
    }

    /// `files`: how many articles the site has.
    fn start_with(site: TestSite, defer_related_after: Duration, files: usize) -> Live {
        let options = BuildOptions { root: site.root().to_path_buf(), output: Some(site.root().join(".gazette/live")), ..Default::default() };
        let mut live = LiveSite::new(options).defer_related_after(defer_related_after);
        let first = live.rebuild(&[]).unwrap_or_else(|e| panic!("first build failed:\n{e}"));
        assert!(first.full && first.reloaded == files, "{first:?}");
        Live { site, live }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.site.root().join(rel)
    }

    /// Rebuilds after `changed` (site-relative) and settles pending related lists.
    fn rebuild(&mut self, changed: &[&str]) -> Rebuilt {
        let paths: Vec<PathBuf> = changed.iter().map(|rel| self.path(rel)).collect();
        let rebuilt = self.live.rebuild(&paths).unwrap_or_else(|e| panic!("rebuild failed:\n{e}"));
        self.live.settle().unwrap_or_else(|e| panic!("settling related lists failed:\n{e}"));
        rebuilt
    }

    fn output(&self) -> PathBuf {
        self.live.output_dir()
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.output().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// The output folder equals a fresh build of the same site.
    fn assert_fresh(&self) {
        let elsewhere = tempfile::tempdir().unwrap();
        let fresh = elsewhere.path().join("fresh");
        // Plain asset URLs, as the preview links them (docs/live-preview.md).
        let options = BuildOptions { root: self.site.root().to_path_buf(), output: Some(fresh.clone()), plain_assets: true, ..Default::default() };
        gazette::build(&options).unwrap_or_else(|e| panic!("fresh build failed:\n{e}"));
        let (ours, theirs) = (tree(&self.output()), tree(&fresh));
        let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<std::collections::BTreeSet<_>>();
        let (ours_only, theirs_only): (Vec<_>, Vec<_>) =
            (names(&ours).difference(&names(&theirs)).cloned().collect(), names(&theirs).difference(&names(&ours)).cloned().collect());
        assert!(ours_only.is_empty() && theirs_only.is_empty(), "only served: {ours_only:?}; only in the fresh build: {theirs_only:?}");
        for ((name, a), (_, b)) in ours.iter().zip(&theirs) {
            assert!(a == b, "{name} differs from a fresh build:\n--- served\n{}\n--- fresh\n{}", String::from_utf8_lossy(a), String::from_utf8_lossy(b));
        }
    }
}

fn tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        // gazette's own bookkeeping in a built output folder, not part of the site
        .filter_entry(|e| !(e.depth() == 1 && e.file_name() == ".gazette"))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(root).unwrap().to_string_lossy().into_owned(), fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    assert!(out.len() > 100, "a real site: {} files", out.len());
    out
}

fn edit(live: &Live, rel: &str, from: &str, to: &str) {
    let path = live.path(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn nothing_changed_renders_and_writes_nothing() {
    let mut live = Live::start(site(), Duration::MAX);
    let again = live.rebuild(&[]);
    assert_eq!((again.reloaded, again.rendered), (0, 0), "{again:?}");
    assert!(again.written.is_empty() && again.removed.is_empty(), "{again:?}");
    live.assert_fresh();
}

#[test]
fn a_body_edit_reads_one_file_and_renders_only_the_pages_that_show_it() {
    let mut live = Live::start(site(), Duration::MAX);
    edit(&live, WANGCANG, "该县去年科技工作成绩不俗", "该县去年科技工作成績斐然");
    let rebuilt = live.rebuild(&[WANGCANG]);
    assert!(rebuilt.reloaded == 1 && rebuilt.patched, "{rebuilt:?}");
    assert!(rebuilt.written.contains(&WANGCANG_PAGE.to_string()), "{:?}", rebuilt.written);
    assert!(rebuilt.rendered < 20, "a body edit re-rendered {} pages", rebuilt.rendered);
    assert!(live.read(WANGCANG_PAGE).contains("成績斐然"));
    live.assert_fresh();
}

#[test]
fn a_title_edit_reaches_lists_feeds_and_the_related_lists_of_other_articles() {
    let mut live = Live::start(site(), Duration::MAX);
    assert!(live.read(GUANGAN_PAGE).contains("携手共谋县域创新"), "Guang'an lists Wangcang as related");
    edit(&live, WANGCANG, "title: 携手共谋县域创新 四川首次举办局县科技会商", "title: 旺苍县局县会商：科技赋能綠色家居");
    let rebuilt = live.rebuild(&[WANGCANG]);
    for page in [WANGCANG_PAGE, GUANGAN_PAGE, "index.html", "feed.xml", "regions/sichuan/guangyuan/wangcang/index.html", "tags/ke-ji-hui-shang/index.html"] {
        assert!(rebuilt.written.iter().any(|w| w == page), "{page} not written: {:?}", rebuilt.written);
    }
    assert!(live.read(GUANGAN_PAGE).contains("旺苍县局县会商：科技赋能綠色家居"));
    live.assert_fresh();
}

#[test]
fn tags_category_region_and_date_changes_move_the_article_between_lists() {
    let mut live = Live::start(site(), Duration::MAX);
    edit(&live, WANGCANG, "region: 四川省/广元市/旺苍县", "region: 重庆市/北碚区");
    edit(&live, WANGCANG, "category: 科技合作", "category: 县域创新");
    edit(&live, WANGCANG, "tags: [科技会商,", "tags: [工作简报,");
    edit(&live, WANGCANG, "date: 2024-03-20", "date: 2023-06-15");
    let rebuilt = live.rebuild(&[WANGCANG]);
    assert!(rebuilt.removed.iter().any(|r| r.starts_with("2024/03/")), "the old URL goes: {:?}", rebuilt.removed);
    assert!(rebuilt.removed.iter().any(|r| r.starts_with("regions/sichuan/guangyuan/")), "an emptied region goes: {:?}", rebuilt.removed);
    live.assert_fresh();
}

#[test]
fn added_deleted_and_renamed_articles_and_folders() {
    let mut live = Live::start(site(), Duration::MAX);
    live.site.article("2024/新文章", "成都高新区发布科技金融新政", "2024-05-06", "四川省/成都市", "科技合作", "tags: [科技金融]\n", "成都高新区发布科技金融新政。");
    live.rebuild(&["content/2024/新文章.md"]);
    live.assert_fresh();

    fs::rename(live.path("content/2024/新文章.md"), live.path("content/2024/改名.md")).unwrap();
    live.rebuild(&["content/2024/新文章.md", "content/2024/改名.md"]);
    live.assert_fresh();

    fs::remove_file(live.path("content/2024/改名.md")).unwrap();
    fs::remove_dir_all(live.path("content/gen")).unwrap();
    let rebuilt = live.rebuild(&["content/2024/改名.md", "content/gen"]);
    assert!(rebuilt.removed.len() > 40, "{} removed", rebuilt.removed.len());
    live.assert_fresh();
}

#[test]
fn changes_are_seen_without_the_watcher_naming_the_file() {
    let mut live = Live::start(site(), Duration::MAX);
    edit(&live, WANGCANG, "旺苍县地处四川盆地北缘", "旺蒼縣地處四川盆地北緣");
    let rebuilt = live.rebuild(&[]);
    assert_eq!(rebuilt.reloaded, 1);
    live.assert_fresh();
}

#[test]
fn a_template_edit_renders_every_page_without_reading_any_article() {
    let mut live = Live::start(site(), Duration::MAX);
    edit(&live, "themes/default/templates/article.html", "<h2 id=\"related-title\">相关文章</h2>", "<h2 id=\"related-title\">相關閱讀</h2>");
    let rebuilt = live.rebuild(&["themes/default/templates/article.html"]);
    assert_eq!(rebuilt.reloaded, 0);
    assert!(rebuilt.rendered >= 49, "{} rendered", rebuilt.rendered);
    assert!(live.read(GUANGAN_PAGE).contains("相關閱讀"));
    live.assert_fresh();
}

#[test]
fn static_files_are_copied_changed_and_removed() {
    let mut live = Live::start(site(), Duration::MAX);
    live.site.write("static/css/川渝.css", "body { color: #333 }");
    live.rebuild(&["static/css/川渝.css"]);
    live.assert_fresh();
    live.site.write("static/css/川渝.css", "body { color: #000; background: #fff }");
    let rebuilt = live.rebuild(&["static/css/川渝.css"]);
    assert_eq!(rebuilt.written, ["css/川渝.css"]);
    live.assert_fresh();
    fs::remove_file(live.path("static/css/川渝.css")).unwrap();
    let rebuilt = live.rebuild(&["static/css/川渝.css"]);
    assert_eq!(rebuilt.removed, ["css/川渝.css"]);
    live.assert_fresh();
}

#[test]
fn a_site_toml_change_reads_everything_again() {
    let mut live = Live::start(site(), Duration::MAX);
    edit(&live, "site.toml", "paginate = 20", "paginate = 7");
    let rebuilt = live.rebuild(&["site.toml"]);
    assert!(rebuilt.full && rebuilt.reloaded == 49, "{rebuilt:?}");
    live.assert_fresh();
    edit(&live, "site.toml", "count = 5", "count = 2");
    live.rebuild(&["site.toml"]);
    live.assert_fresh();
}

#[test]
fn a_broken_edit_leaves_the_output_as_it_was_and_the_fix_catches_up() {
    let mut live = Live::start(site(), Duration::MAX);
    let before = tree(&live.output());
    edit(&live, WANGCANG, "category: 科技合作", "category: [科技合作");
    let error = live.live.rebuild(&[live.path(WANGCANG)]).unwrap_err();
    assert!(error.to_string().contains("wangcang-consultation.md"), "{error}");
    assert!(tree(&live.output()) == before, "a failed rebuild changed the output");
    edit(&live, WANGCANG, "category: [科技合作", "category: 县域创新");
    live.rebuild(&[WANGCANG]);
    live.assert_fresh();
}

#[test]
fn a_full_disk_leaves_the_preview_as_the_last_good_build_and_the_next_rebuild_catches_up() {
    let site = site();
    // 5 MB: the sample site with its traditional twin (about 3 MB) fits, the edit below does not.
    let Some(disk) = common::Tmpfs::mount(&site.root().join(".gazette/live"), "5m") else { return };
    let mut live = Live::start(site, Duration::MAX);
    let before = tree(&live.output());
    // An edit whose pages no longer fit: 1.5 MB of text.
    edit(&live, WANGCANG, "携手共谋县域创新", &"科技创新推动县域经济高质量发展。".repeat(32000));
    let error = live.live.rebuild(&[live.path(WANGCANG)]).unwrap_err();
    assert!(error.to_string().contains("No space left on device"), "{error}");
    assert!(tree(&live.output()) == before, "a failed rebuild left the preview as the last good build");
    assert!(!live.output().join(".gazette/staging").exists() && !live.output().join(".gazette/journal").exists(), "nothing staged is left");

    // Space is freed, and meanwhile an article was removed: the preview follows both.
    disk.remount("size=160m"); // the edit lands in the title: pages and feeds of both scripts show it
    fs::remove_file(live.path("content/gen/07.md")).unwrap();
    live.rebuild(&[WANGCANG, "content/gen/07.md"]);
    live.assert_fresh();
}

#[test]
fn deferred_related_lists_show_the_edit_first_and_settle_to_the_fresh_build() {
    let site = site();
    let options = BuildOptions { root: site.root().to_path_buf(), output: Some(site.root().join(".gazette/live")), ..Default::default() };
    let mut live = LiveSite::new(options).defer_related_after(Duration::ZERO);
    live.rebuild(&[]).unwrap();
    let live = &mut Live { site, live };
    edit(live, WANGCANG, "title: 携手共谋县域创新 四川首次举办局县科技会商", "title: 旺苍县局县会商");
    edit(live, WANGCANG, "tags: [科技会商, 绿色家居, 县域创新, 局县会商, 清单制]", "tags: [科技金融, 工作简报]");
    let quick = live.live.rebuild(&[live.path(WANGCANG)]).unwrap();
    assert!(quick.related_pending);
    assert!(live.read(WANGCANG_PAGE).contains("旺苍县局县会商"), "the edit shows before related lists settle");
    assert!(
        quick.written.iter().filter(|f| f.starts_with("search/") && !f.ends_with(".html")).eq(["search/meta.z"].iter()),
        "the search index follows too; at once only meta.z, with the delta of the edit: {:?}",
        quick.written
    );
    let settled = live.live.settle().unwrap().expect("a pending job");
    assert!(settled.written.contains(&WANGCANG_PAGE.to_string()), "new tags, new related list: {:?}", settled.written);
    assert!(settled.written.iter().any(|f| f.starts_with("search/d/")), "the new title in the index: {:?}", settled.written);
    assert!(live.live.settle().unwrap().is_none(), "nothing left to settle");
    live.assert_fresh();
}

#[test]
fn a_stale_related_job_is_dropped() {
    let site = site();
    let options = BuildOptions { root: site.root().to_path_buf(), output: Some(site.root().join(".gazette/live")), ..Default::default() };
    let mut live = LiveSite::new(options).defer_related_after(Duration::ZERO);
    live.rebuild(&[]).unwrap();
    let live = &mut Live { site, live };
    edit(live, WANGCANG, "县域创新, 局县会商", "县域创新");
    live.live.rebuild(&[live.path(WANGCANG)]).unwrap();
    let old_job = live.live.related_job().expect("pending");
    edit(live, WANGCANG, "清单制", "清单制, 科技金融");
    live.live.rebuild(&[live.path(WANGCANG)]).unwrap();
    assert!(live.live.apply_related(old_job.compute()).unwrap().is_none(), "a job for an older build applies nothing");
    live.live.settle().unwrap();
    live.assert_fresh();
}

#[test]
fn edits_that_move_nothing_patch_the_model_and_equal_a_fresh_build() {
    let mut live = Live::start(site(), Duration::MAX);
    edit(&live, WANGCANG, "该县去年科技工作成绩不俗", "该县去年科技工作成績斐然");
    let rebuilt = live.rebuild(&[WANGCANG]);
    assert!(rebuilt.patched && rebuilt.rendered < 20, "{rebuilt:?}");
    live.assert_fresh();

    // Front matter that no list, URL or index depends on.
    edit(&live, WANGCANG, "summary: 作为四川省科技系统", "summary: 四川省科技系统");
    edit(&live, WANGCANG, "name: 石家庄地方网", "name: 广元日报");
    edit(&live, WANGCANG, "slug: wangcang-county-consultation\n", "slug: wangcang-county-consultation\nauthor: 广元市科学技术局\nextra: { 版次: 3 }\n");
    let rebuilt = live.rebuild(&[WANGCANG]);
    assert!(rebuilt.patched, "{rebuilt:?}");
    assert!(live.read("index.html").contains("四川省科技系统首次开展"));
    live.assert_fresh();

    // The first code block brings the highlighting stylesheet.
    edit(&live, WANGCANG, "他说。", "他说。\n\n```rust\nfn main() {}\n```\n");
    let rebuilt = live.rebuild(&[WANGCANG]);
    assert!(rebuilt.patched && rebuilt.written.contains(&"css/syntax.css".to_string()), "{rebuilt:?}");
    live.assert_fresh();

    // Two patches before the related lists settle, then the lists settle.
    let site = live.site;
    let options = BuildOptions { root: site.root().to_path_buf(), output: Some(site.root().join(".gazette/deferred")), ..Default::default() };
    let mut deferred = LiveSite::new(options).defer_related_after(Duration::ZERO);
    deferred.rebuild(&[]).unwrap();
    let live = &mut Live { site, live: deferred };
    for (from, to) in [("旺苍县地处四川盆地北缘", "旺苍县地处秦巴山区"), ("全县高新技术产业", "全县高新技术企业")] {
        edit(live, WANGCANG, from, to);
        let quick = live.live.rebuild(&[live.path(WANGCANG)]).unwrap();
        assert!(quick.patched && quick.related_pending, "{quick:?}");
    }
    live.live.settle().unwrap();
    live.assert_fresh();
}

#[test]
fn edits_that_look_local_but_move_the_article_build_the_model_anew() {
    const GEN: &str = "content/gen/05.md";
    let cases: &[(&str, &str, &str, &str)] = &[
        ("a later date", WANGCANG, "date: 2024-03-20", "date: 2024-03-21"),
        ("a time on the same day", WANGCANG, "date: 2024-03-21", "date: 2024-03-21T23:30:00+08:00"),
        ("a tag added", WANGCANG, "清单制]", "清单制, 科技金融]"),
        ("tags reordered", WANGCANG, "[科技会商, 绿色家居,", "[绿色家居, 科技会商,"),
        ("a title that changes the slug", GEN, "title: 第5期", "title: 第五期"),
        ("a title that changes the order only", WANGCANG, "title: 携手共谋县域创新", "title: 共谋县域创新"),
        ("a slug", WANGCANG, "slug: wangcang-county-consultation", "slug: wangcang-2024"),
        ("an alias", WANGCANG, "slug: wangcang-2024\n", "slug: wangcang-2024\naliases: [/old/wangcang.html]\n"),
        ("a region", GEN, "region: 重庆市/北碚区", "region: 重庆市/渝中区"),
        ("a category", GEN, "category: 科技合作", "category: 县域创新"),
        ("a draft", GEN, "category: 县域创新\n", "category: 县域创新\ndraft: true\n"),
        ("no longer a draft", GEN, "draft: true\n", ""),
    ];
    let mut live = Live::start(site(), Duration::MAX);
    for &(what, file, from, to) in cases {
        edit(&live, file, from, to);
        let rebuilt = live.rebuild(&[file]);
        assert!(!rebuilt.patched, "{what}: {rebuilt:?}");
        live.assert_fresh();
    }
}

#[test]
fn an_article_that_comes_due_is_not_missed_by_a_patch() {
    // A first build slower than the delay would find the article due already: then the
    // test starts over with a longer one.
    for delay in [4, 15, 60] {
        let site = site();
        let due = jiff::Timestamp::now().checked_add(jiff::SignedDuration::from_secs(delay)).unwrap();
        site.article("2026/soon", "即将发布的科技政策解读", &due.to_string(), "四川省/成都市", "科技合作", "", "定时发布。");
        let mut live = Live::start_with(site, Duration::MAX, 50);
        if jiff::Timestamp::now() >= due {
            continue;
        }
        assert!(!live.read("index.html").contains("即将发布"), "not yet due");
        while jiff::Timestamp::now() <= due {
            std::thread::sleep(Duration::from_millis(100));
        }
        edit(&live, WANGCANG, "该县去年科技工作成绩不俗", "该县去年科技工作成績斐然");
        let rebuilt = live.rebuild(&[WANGCANG]);
        assert!(!rebuilt.patched, "{rebuilt:?}");
        assert!(live.read("index.html").contains("即将发布的科技政策解读"));
        live.assert_fresh();
        return;
    }
    panic!("every first build took longer than its delay");
}
