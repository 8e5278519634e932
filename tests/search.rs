//! Search (SPEC section 9) as a reader uses it: a site is built with a `base_url` below the
//! host's root, served by a plain static file server, and queried in headless Chromium
//! through `/policy/search/?q=…` (driver: tests/browser/search.mjs). Every count is
//! checked against the articles written here, and every result must hold its terms.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::TestSite;

const SITE_TOML: &str = r#"title = "川渝科技政策观察"
base_url = "https://policy.example.org/policy/"

[categories]
"科技合作" = "cooperation"
"政策解读" = "interpretation"
"区域协同" = "regional"
"#;

/// (file, title, date, region, category, body): the facts every expectation below counts on.
const ARTICLES: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("wangcang", "携手共谋县域创新 四川首次举办局县科技会商", "2024-03-20", "四川省/广元市/旺苍县", "科技合作", "旺苍县地处四川盆地北缘。科技创新推动高新技术企业发展。"),
    ("cangxi", "苍溪县推进科技特派员工作", "2024-05-08", "四川省/广元市/苍溪县", "政策解读", "苍溪县科技局召开会议，旺苍县代表列席。科技和创新分开说。"),
    ("beibei", "北碚區與綿陽市簽署科技合作協議", "2023-11-02", "重庆市/北碚区", "科技合作", "雙方將共建成渝地區雙城經濟圈協同創新平台。"),
    ("chengdu", "成渝地区双城经济圈建设推进会召开", "2022-06-15", "四川省/成都市", "区域协同", "会议强调，要以科技创新引领双城经济圈建设。重庆与成都携手。"),
    ("zhenjiang", "镇江市发布高新技术企业培育方案", "2021-09-01", "江苏省/镇江市", "政策解读", "科技局支持高新技术企业做大做强；技术企业与高新区合作。ＡＩ芯片项目落地。"),
];

fn site() -> TestSite {
    let site = TestSite::new(SITE_TOML);
    for (file, title, date, region, category, body) in ARTICLES {
        site.article(file, title, date, region, category, &format!("slug: {file}\n"), body);
    }
    site
}

/// Which articles (by file) hold every term of `terms`, by the rule of SPEC 9, worked out
/// here from the texts above with gazette's own folding.
fn expected(terms: &[&str]) -> Vec<&'static str> {
    let fold = |s: &str| gazette::text::fold::fold(s);
    ARTICLES
        .iter()
        .filter(|a| {
            let text = fold(&format!("{}\n{}", a.1, a.5));
            terms.iter().all(|t| text.contains(&fold(t)))
        })
        .map(|a| a.0)
        .collect()
}

/// Runs `queries` (URL query strings, each in a fresh browser unless it starts with `+`,
/// on the traditional variant's page when it then starts with `zh-hant/`)
/// against the built site and returns what the page showed for each.
fn run(site: &TestSite, queries: &[&str]) -> Option<Vec<serde_json::Value>> {
    run_on(&site.public(), queries)
}

/// [`run`] on the output folder `public`.
fn run_on(public: &Path, queries: &[&str]) -> Option<Vec<serde_json::Value>> {
    let chromium = common::browser::chromium("search")?;
    // the site lives at /policy/ on the host: serve the folder above a copy named so
    let www = tempfile::tempdir().unwrap();
    common::copy_dir(public, &www.path().join("policy"));
    let port = common::browser::static_server(www.path().to_path_buf());
    let plan = serde_json::json!({
        "chromium": chromium,
        "queries": queries.iter().map(|q| {
            let (fresh, q) = match q.strip_prefix('+') { Some(rest) => (false, rest), None => (true, *q) };
            // `zh-hant/?q=…`: the search page of the traditional variant
            let (page, q) = match q.strip_prefix("zh-hant/") { Some(rest) => ("zh-hant/search/", rest), None => ("search/", q) };
            serde_json::json!({"url": format!("http://127.0.0.1:{port}/policy/{page}?{}", q.trim_start_matches('?')), "fresh": fresh})
        }).collect::<Vec<_>>(),
    });
    let plan_file = www.path().join("plan.json");
    fs::write(&plan_file, plan.to_string()).unwrap();
    let driver = common::repo().join("tests/browser/search.mjs");
    let output = Command::new("node").arg("--experimental-websocket").arg(&driver).arg(&plan_file).output().unwrap();
    let said = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "the search browser run failed:\n{said}{}", String::from_utf8_lossy(&output.stderr));
    Some(said.lines().map(|l| serde_json::from_str(l).unwrap()).collect())
}

fn url_of(file: &str) -> String {
    let a = ARTICLES.iter().find(|a| a.0 == file).unwrap();
    let (year, month) = (&a.2[..4], &a.2[5..7]);
    format!("/policy/{year}/{month}/{file}/")
}

fn q(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"=&-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn results(r: &serde_json::Value) -> Vec<String> {
    let mut v: Vec<String> = r["results"].as_array().unwrap().iter().map(|h| h.as_str().unwrap().to_string()).collect();
    v.sort();
    v
}

fn urls(files: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = files.iter().map(|f| url_of(f)).collect();
    v.sort();
    v
}

#[test]
fn queries_in_a_browser_find_exactly_the_articles_that_hold_every_term() {
    let site = site();
    site.build_ok();
    let cases: &[(&str, Vec<&str>)] = &[
        // a county name: the words a browser's segmenter would split
        ("q=旺苍县", expected(&["旺苍县"])),
        // across word boundaries, and never an article with the characters apart
        ("q=技创", expected(&["技创"])),
        ("q=城经济", expected(&["城经济"])),
        // simplified finds traditional and back
        ("q=双城", expected(&["双城"])),
        ("q=雙城", expected(&["双城"])),
        ("q=协同创新", expected(&["协同创新"])),
        // a long phrase and several terms (AND)
        ("q=高新技术企业", expected(&["高新技术企业"])),
        ("q=科技 创新", expected(&["科技", "创新"])),
        // full-width Latin folds to lower case
        ("q=ai芯片", expected(&["ai芯片"])),
        // one character
        ("q=县", expected(&["县"])),
    ];
    let queries: Vec<String> = cases.iter().map(|(query, _)| q(query)).collect();
    let refs: Vec<&str> = queries.iter().map(String::as_str).collect();
    let Some(seen) = run(&site, &refs) else { return };
    for ((query, want), got) in cases.iter().zip(&seen) {
        assert_eq!(got["state"], "done", "{query}: {got}");
        assert_eq!(got["total"].as_u64().unwrap() as usize, want.len(), "{query}: {got}");
        assert_eq!(results(got), urls(want), "{query}");
        if !want.is_empty() {
            assert!(got["marks"].as_array().is_some_and(|m| !m.is_empty()), "{query}: matched text is highlighted: {got}");
        }
        // only the site's own files, below its base path
        for f in got["fetched"].as_array().unwrap() {
            assert!(f[0].as_str().unwrap().starts_with("/policy/"), "{query}: fetched {f}");
        }
    }
    // 旺苍县 is marked in the snippet of the article that holds it
    assert!(seen[0]["marks"].as_array().unwrap().iter().any(|m| m == "旺苍县"), "{}", seen[0]);
    // traditional text is marked where the simplified query matched it
    assert!(seen[3]["marks"].as_array().unwrap().iter().any(|m| m == "雙城"), "{}", seen[3]);
}

#[test]
fn region_pinyin_and_filters_narrow_by_region_category_and_year() {
    let site = site();
    site.build_ok();
    let Some(seen) = run(
        &site,
        &[
            // a region's pinyin: its articles and those of every region below it, not the
            // articles that only name the place (chengdu's text says 重庆)
            "q=chongqing",
            "q=guangyuan",
            &q("q=科技 sichuan"),
            // filters, with counts beside them
            &q("q=科技&region=四川省/广元市"),
            &format!("+{}", q("q=科技&category=政策解读")),
            &format!("+{}", q("q=科技&year=2024")),
            &format!("+{}", q("q=科技")),
        ],
    ) else {
        return;
    };
    assert_eq!(results(&seen[0]), urls(&["beibei"]), "{}", seen[0]);
    assert_eq!(results(&seen[1]), urls(&["wangcang", "cangxi"]), "{}", seen[1]);
    assert_eq!(results(&seen[2]), urls(&["wangcang", "cangxi", "chengdu"]), "{}", seen[2]);
    assert_eq!(results(&seen[3]), urls(&["wangcang", "cangxi"]), "{}", seen[3]);
    assert_eq!(results(&seen[4]), urls(&["cangxi", "zhenjiang"]), "{}", seen[4]);
    assert_eq!(results(&seen[5]), urls(&["wangcang", "cangxi"]), "{}", seen[5]);
    let all = &seen[6];
    assert_eq!(all["total"], 5);
    let filters: Vec<&str> = all["filters"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    for shown in ["四川省 3", "重庆市 1", "江苏省 1", "科技合作 2", "政策解读 2", "区域协同 1", "2024年 2", "2023年 1", "2021年 1"] {
        assert!(filters.contains(&shown), "filter counts: {filters:?}");
    }
}

#[test]
fn the_page_works_without_script_as_a_form_and_search_can_be_turned_off() {
    let site = site();
    site.build_ok();
    let page = site.read("search/index.html");
    assert!(page.contains(r#"action="/policy/search/""#), "the form submits to the search page itself");
    assert!(page.contains("<noscript>"), "without JavaScript the page says why there are no results");
    // The script by its content-hashed name (docs/templates.md, `asset`).
    let script = page.split(r#"src="/policy/"#).find(|s| s.starts_with("js/search.")).and_then(|s| s.split('"').next()).unwrap_or_default();
    assert!(script.starts_with("js/search.") && script.ends_with(".js") && script.len() == "js/search..js".len() + 10, "{script}");
    assert_eq!(site.read(script), site.read("js/search.js"));
    let home = site.read("index.html");
    assert!(home.contains(r#"<form class="site-search" role="search" aria-label="全站搜索" action="/policy/search/""#), "every page has the search box");
    assert!(site.exists("search/meta.z"));

    site.write("site.toml", format!("{SITE_TOML}\n[search]\nenabled = false\n"));
    site.build_ok();
    assert!(!site.public().join("search").exists(), "no search page or index");
    assert!(!site.files().iter().any(|f| f.starts_with("js/search.")), "no search script, hashed or not");
    assert!(!site.read("index.html").contains("site-search"), "no search box");
}

#[test]
fn the_live_preview_finds_an_edited_word_after_its_rebuild() {
    let site = site();
    let output = site.root().join(".gazette/live");
    let options = gazette::BuildOptions { root: site.root().to_path_buf(), output: Some(output.clone()), ..Default::default() };
    let mut live = gazette::LiveSite::new(options);
    live.rebuild(&[]).unwrap();
    let edited = site.root().join("content/cangxi.md");
    let text = fs::read_to_string(&edited).unwrap().replace("科技和创新分开说。", "新增了猕猴桃产业園。");
    fs::write(&edited, text).unwrap();
    live.rebuild(std::slice::from_ref(&edited)).unwrap();
    // where the index took long (a debug build), it follows in the settling pass
    live.settle().unwrap();
    let Some(seen) = run_on(&output, &[&q("q=猕猴桃"), &q("q=产业园"), &q("q=分开说")]) else { return };
    assert_eq!(results(&seen[0]), urls(&["cangxi"]), "{}", seen[0]);
    assert_eq!(results(&seen[1]), urls(&["cangxi"]), "traditional 園 in the edit: {}", seen[1]);
    assert_eq!(seen[2]["total"], 0, "the removed words are gone: {}", seen[2]);
}

/// What a reader sees of a query, without its timing and fetches.
fn shown(r: &serde_json::Value) -> serde_json::Value {
    serde_json::json!([r["state"], r["total"], r["results"], r["titles"], r["marks"], r["snippets"], r["filters"], r["status"]])
}

#[test]
fn the_live_preview_searches_its_edits_at_once_through_the_delta_and_settles_to_the_same_answers() {
    let site = site();
    site.write("site.toml", format!("{SITE_TOML}\n[variants]\ntraditional = true\n"));
    let output = site.root().join(".gazette/live");
    let options = gazette::BuildOptions { root: site.root().to_path_buf(), output: Some(output.clone()), ..Default::default() };
    // the index is always left to the background pass, as on a large site
    let mut live = gazette::LiveSite::new(options).defer_related_after(std::time::Duration::ZERO);
    live.rebuild(&[]).unwrap();
    let meta_before = fs::read(output.join("search/meta.z")).unwrap();

    // an edit, a new article (the newest, in a new district), a removed one
    let edited = site.root().join("content/cangxi.md");
    fs::write(&edited, fs::read_to_string(&edited).unwrap().replace("科技和创新分开说。", "新增了猕猴桃产业園。")).unwrap();
    site.article("jiangbei", "江北區猕猴桃科技园开园", "2025-01-10", "重庆市/江北区", "区域协同", "slug: jiangbei\n", "猕猴桃与科技创新：江北区的新产业。");
    let added = site.root().join("content/jiangbei.md");
    let removed = site.root().join("content/chengdu.md");
    fs::remove_file(&removed).unwrap();
    let quick = live.rebuild(&[edited.clone(), added, removed]).unwrap();
    assert!(quick.related_pending, "the index follows after the reload");
    let index_written: Vec<&String> = quick.written.iter().filter(|f| f.starts_with("search/") && !f.ends_with(".html")).collect();
    assert_eq!(index_written, ["search/meta.z"], "only meta.z, with the delta, is written at once");
    assert_ne!(fs::read(output.join("search/meta.z")).unwrap(), meta_before);

    let queries = [
        q("q=猕猴桃"),
        q("q=产业园"),
        q("q=分开说"),
        q("q=双城经济圈"),
        q("q=chongqing"),
        q("q=科技&year=2025"),
        q("q=猕猴桃&region=重庆市"),
        q("q=科技 创新"),
        q("q=江北区"),
        format!("zh-hant/{}", q("q=獼猴桃")),
        format!("zh-hant/{}", q("q=产业园&region=四川省")),
    ];
    let queries: Vec<&str> = queries.iter().map(String::as_str).collect();
    let Some(quick_seen) = run_on(&output, &queries) else { return };
    let jiangbei = "/policy/2025/01/jiangbei/".to_string();
    let with_jiangbei = |files: &[&str]| {
        let mut v = urls(files);
        v.push(jiangbei.clone());
        v.sort();
        v
    };
    assert_eq!(results(&quick_seen[0]), with_jiangbei(&["cangxi"]), "the edited word, in the edit and the new article: {}", quick_seen[0]);
    assert_eq!(quick_seen[0]["results"][0], jiangbei.as_str(), "a title hit ranks first: {}", quick_seen[0]);
    assert_eq!(results(&quick_seen[1]), urls(&["cangxi"]), "traditional 園 in the edit: {}", quick_seen[1]);
    assert_eq!(quick_seen[2]["total"], 0, "the removed words are gone: {}", quick_seen[2]);
    assert_eq!(results(&quick_seen[3]), urls(&["beibei"]), "the removed article is gone: {}", quick_seen[3]);
    assert_eq!(results(&quick_seen[4]), with_jiangbei(&["beibei"]), "the new district is in Chongqing: {}", quick_seen[4]);
    assert_eq!(results(&quick_seen[5]), vec![jiangbei.clone()], "the new article's year: {}", quick_seen[5]);
    assert_eq!(results(&quick_seen[6]), vec![jiangbei.clone()], "the new article's region: {}", quick_seen[6]);
    assert!(quick_seen[0]["marks"].as_array().unwrap().iter().all(|m| m == "猕猴桃"), "matches marked in the delta's records: {}", quick_seen[0]);
    let hant = &quick_seen[9];
    assert_eq!(hant["results"][0], "/policy/zh-hant/2025/01/jiangbei/", "the traditional page links the new article's twin: {hant}");
    assert!(hant["titles"][0].as_str().unwrap().contains("獼猴桃"), "and shows its traditional title: {hant}");
    assert!(quick_seen[10]["snippets"][0].as_str().unwrap().contains("產業園"), "the edit's traditional text: {}", quick_seen[10]);

    // the background pass makes the index anew: every answer is the same
    live.settle().unwrap().expect("the index was pending");
    let settled = run_on(&output, &queries).unwrap();
    for (quick, settled) in quick_seen.iter().zip(&settled) {
        assert_eq!(shown(quick), shown(settled), "the delta answers as the index made anew does");
    }
}

#[test]
fn a_rebuild_with_nothing_changed_keeps_the_index_and_an_edit_makes_it_anew() {
    let site = site();
    site.build_ok();
    let public = site.public();
    let stamp = |rel: &str| fs::metadata(public.join(rel)).unwrap().modified().unwrap();
    let record = || fs::read_to_string(public.join("search/inputs.txt")).unwrap();
    let files = ["search/meta.z", "search/attrs.z", "search/d/0.bin", "search/s/0.bin", "search/inputs.txt"];
    let before: Vec<_> = files.iter().map(|f| stamp(f)).collect();
    let first = record();
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.build_ok();
    assert_eq!(files.iter().map(|f| stamp(f)).collect::<Vec<_>>(), before, "nothing changed: the index files stay as they were");
    assert_eq!(record(), first);

    // a file of the index changed by hand is put back, the others stay
    fs::write(public.join("search/attrs.z"), b"broken").unwrap();
    site.build_ok();
    assert_ne!(fs::read(public.join("search/attrs.z")).unwrap(), b"broken");

    // an edit makes the index anew
    let edited = site.root().join("content/cangxi.md");
    fs::write(&edited, fs::read_to_string(&edited).unwrap().replace("科技和创新分开说。", "新增猕猴桃产业。")).unwrap();
    site.build_ok();
    assert_ne!(record().lines().next(), first.lines().next(), "the index was made from the new text");

    // records carry traditional text only with the variant: turning it on makes the index anew
    let edited_once = record();
    site.write("site.toml", format!("{SITE_TOML}\n[variants]\ntraditional = true\n"));
    site.build_ok();
    assert_ne!(record().lines().next(), edited_once.lines().next(), "[variants] traditional is one of the index's inputs");
}

/// Articles full of the same policy words, so that their pairs are frequent enough for the
/// index to list the four characters after them (docs/search.md, "Terms"): the sample
/// articles plus 40 of these.
fn common_site() -> (TestSite, Vec<(String, String)>) {
    let site = site();
    let mut texts: Vec<(String, String)> = ARTICLES.iter().map(|a| (a.0.to_string(), format!("{}\n{}", a.1, a.5))).collect();
    for i in 0..40 {
        let mut body = String::new();
        for k in 0..(100 + i) {
            body.push_str(match (i + k) % 5 {
                0 => "科技创新推动高新技术企业发展，",
                1 => "技术创新与企业合作。",
                2 => "高新区科技服务，技术企业创新，",
                3 => "科技 创新 高新 技术 企业。",
                _ => "推动科技创新高地建设。",
            });
        }
        if i % 7 == 0 {
            body.push_str("新建科技企业孵化器。");
        }
        let (file, title) = (format!("common{i}"), format!("科技简报第{i}期"));
        site.article(&file, &title, "2020-01-01", "四川省/成都市", "政策解读", &format!("slug: {file}\n"), &body);
        texts.push((file, format!("{title}\n{body}")));
    }
    (site, texts)
}

#[test]
fn long_terms_of_common_pairs_are_counted_exactly_from_their_four_character_lists() {
    let (site, texts) = common_site();
    site.build_ok();
    // 科技, 技术 and 高新 are frequent here: the index has their fours (the unit tests of
    // src/render/search/postings.rs check that), and the page finds the phrases from them
    let fold = |s: &str| gazette::text::fold::fold(s);
    let count = |term: &str| texts.iter().filter(|(_, t)| fold(t).contains(&fold(term))).count() as u64;
    let terms = [
        "科技创新",     // one four
        "高新技术企业", // two fours, at offsets 0 and 2
        "新技术企",     // across the boundary of the fours 高新技术 and 技术企业
        "科技创新高地", // a four and a pair beyond it
        "科技企业",     // common pairs that stand apart but in three articles
        "创新高新",     // common pairs never adjacent
        "技术创新与企", // a four after a common pair, then pairs
    ];
    let queries: Vec<String> = terms.iter().map(|t| q(&format!("q={t}"))).collect();
    let refs: Vec<&str> = queries.iter().map(String::as_str).collect();
    let Some(seen) = run(&site, &refs) else { return };
    for (term, got) in terms.iter().zip(&seen) {
        assert_eq!(got["state"], "done", "{term}: {got}");
        assert_eq!(got["total"].as_u64().unwrap(), count(term), "{term}: {got}");
        // every result shown holds the term
        for url in results(got) {
            let file = url.trim_end_matches('/').rsplit('/').next().unwrap().to_string();
            let text = &texts.iter().find(|(f, _)| *f == file).unwrap().1;
            assert!(fold(text).contains(&fold(term)), "{term}: {file} does not hold it");
        }
    }
    assert_eq!(seen[4]["total"], 6, "科技企业: the six articles that say it");
    assert_eq!(seen[5]["total"], 0, "创新高新");
}

/// Paths of the files a query fetched, below the site's search folder.
fn fetched(r: &serde_json::Value) -> Vec<String> {
    r["fetched"].as_array().unwrap().iter().map(|f| f[0].as_str().unwrap().trim_start_matches("/policy/search/").to_string()).collect()
}

#[test]
fn a_refined_query_fetches_only_records_it_has_not_fetched_yet() {
    let site = site();
    // 24 more articles that all say 科技, over five years: more than a page of results
    for n in 0..24 {
        let year = 2020 + n % 5;
        site.article(&format!("extra{n}"), &format!("第{n}期科技简报"), &format!("{year}-02-{:02}", n + 1), "四川省/成都市", "政策解读", &format!("slug: extra{n}\n"), "本期简报介绍科技项目进展。");
    }
    site.build_ok();
    let Some(seen) = run(&site, &[&q("q=科技"), &format!("+{}", q("q=科技&year=2024")), &format!("+{}", q("q=科技")), &format!("+{}", q("q=科技&year=2024"))]) else { return };
    let records = |r: &serde_json::Value| fetched(r).into_iter().filter(|f| f.starts_with("d/")).collect::<Vec<_>>();
    assert_eq!(seen[0]["results"].as_array().unwrap().len(), 10, "a page of results: {}", seen[0]);
    // the records of the results shown, and of the next page while the reader reads
    assert!((10..=20).contains(&records(&seen[0]).len()), "{:?}", fetched(&seen[0]));
    assert_eq!(seen[1]["total"], 6, "{}", seen[1]);
    // the filter narrows the matches the page has: no index file again, and no record twice
    let index_files = fetched(&seen[1]).into_iter().filter(|f| !f.starts_with('/'));
    assert!(index_files.clone().all(|f| f.starts_with("d/")), "a filter fetches records only: {:?}", index_files.collect::<Vec<_>>());
    let mut all: Vec<String> = seen.iter().flat_map(records).collect();
    let count = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), count, "each record is fetched once");
    assert!(count <= 26, "only the records of the results shown and of the next page: {count}");
    // the same filter again: nothing to fetch
    assert!(fetched(&seen[3]).iter().all(|f| f.starts_with('/')), "the same filter again fetches nothing: {:?}", fetched(&seen[3]));
    assert_eq!(seen[3]["results"], seen[1]["results"]);
    assert_eq!(seen[2]["results"], seen[0]["results"]);
}

#[test]
fn a_refined_query_takes_a_long_articles_whole_record_in_one_request() {
    let site = site();
    // 30 long articles (text beyond a record's 360-character lead) whose match is at the end,
    // six a year: the first query shows the newest ten and prefetches the next ten records
    let filler = "本文介绍县域经济发展情况，".repeat(40);
    for n in 0..30 {
        let year = 2020 + n / 6;
        let body = format!("{filler}新建猕猴桃示范园{n}号。");
        site.article(&format!("long{n}"), &format!("县域简报第{n}期"), &format!("{year}-03-{:02}", n + 1), "四川省/成都市", "政策解读", &format!("slug: long{n}\n"), &body);
    }
    site.build_ok();
    let Some(seen) = run(&site, &[&q("q=猕猴桃"), &format!("+{}", q("q=猕猴桃&year=2020"))]) else { return };
    let records = |r: &serde_json::Value| fetched(r).into_iter().filter(|f| f.starts_with("d/")).collect::<Vec<_>>();
    assert_eq!(seen[0]["total"], 30, "{}", seen[0]);
    let first = records(&seen[0]);
    assert!(first.iter().filter(|f| f.ends_with(".z")).count() >= 10, "the first query reads the lead, then the whole text where the match is beyond it: {first:?}");
    assert_eq!(seen[1]["total"], 6, "{}", seen[1]);
    // (the first query's prefetched records may arrive during the second: counted there)
    let refined = records(&seen[1]);
    let whole: Vec<&String> = refined.iter().filter(|f| f.ends_with(".z")).collect();
    assert_eq!(whole.len(), 6, "one request per new result: {refined:?}");
    for z in whole {
        let lead = z.replace(".z", ".bin");
        assert!(!refined.contains(&lead) && !first.contains(&lead), "the whole record, not the lead first: {refined:?}");
    }
    for snippet in seen[1]["snippets"].as_array().unwrap() {
        assert!(snippet.as_str().unwrap().contains("猕猴桃示范园"), "the snippet is cut around the match: {}", seen[1]);
    }
    for title in seen[1]["titles"].as_array().unwrap() {
        assert!(title.as_str().unwrap().starts_with("县域简报第"), "the whole record has the title: {}", seen[1]);
    }
}

#[test]
fn the_traditional_search_page_shows_converted_records_and_links_their_twins() {
    let site = TestSite::new(&format!("{SITE_TOML}\n[variants]\ntraditional = true\n"));
    for (file, title, date, region, category, body) in ARTICLES {
        site.article(file, title, date, region, category, &format!("slug: {file}\n"), body);
    }
    // the match of a long article lies beyond its record's lead (d/ID.z)
    let long = format!("{}成都市软件园区发展迅速。", "这是政策背景的介绍。".repeat(60));
    site.article("software", "软件产业发展规划发布", "2024-06-01", "四川省/成都市", "政策解读", "slug: software\n", &long);
    site.build_ok();
    let Some(seen) = run(&site, &[&format!("zh-hant/{}", q("q=软件")), &format!("zh-hant/{}", q("q=软件园区")), &q("q=软件园区"), &format!("zh-hant/{}", q("q=雙城"))]) else { return };
    let hant = &seen[0];
    assert_eq!(hant["total"], 1, "{hant}");
    assert_eq!(hant["results"][0], "/policy/zh-hant/2024/06/software/", "results link the traditional twins: {hant}");
    // the filter names are traditional too (the index's meta.z carries them converted);
    // the filters' links keep the site's own names (one index for both pages)
    let filters: Vec<&str> = hant["filters"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert!(filters.iter().any(|f| f.starts_with("政策解讀")), "the category name converted: {filters:?}");
    assert!(!filters.iter().any(|f| f.contains("政策解读")), "{filters:?}");
    let simplified = &seen[2];
    let plain: Vec<&str> = simplified["filters"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert!(plain.iter().any(|f| f.starts_with("政策解读")), "the simplified page keeps the site's names: {plain:?}");
    assert_eq!(hant["titles"][0], "軟件產業發展規劃發佈", "the title as the twin page shows it (OpenCC phrases: 软件 → 軟件): {hant}");
    assert!(hant["marks"].as_array().unwrap().iter().any(|m| m == "軟件"), "the match is marked in traditional text: {hant}");
    // beyond the lead: the snippet is cut from the whole text, in both scripts
    let far = &seen[1];
    assert!(far["snippets"][0].as_str().unwrap().contains("軟件園區"), "{far}");
    assert!(far["marks"].as_array().unwrap().iter().any(|m| m == "軟件園區"), "{far}");
    assert!(far["fetched"].as_array().unwrap().iter().any(|f| f[0].as_str().unwrap().ends_with(".z") && f[0].as_str().unwrap().contains("/d/")), "{far}");
    let simplified = &seen[2];
    assert!(simplified["marks"].as_array().unwrap().iter().any(|m| m == "软件园区"), "{simplified}");
    assert_eq!(simplified["results"][0], "/policy/2024/06/software/");
    // every result of the traditional page links a /zh-hant/ page
    let pair = &seen[3];
    assert_eq!(pair["total"].as_u64().unwrap() as usize, expected(&["双城"]).len(), "{pair}");
    assert!(pair["results"].as_array().unwrap().iter().all(|h| h.as_str().unwrap().starts_with("/policy/zh-hant/")), "{pair}");
    assert!(pair["marks"].as_array().unwrap().iter().all(|m| m == "雙城"), "{pair}");
}
