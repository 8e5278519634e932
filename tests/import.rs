//! `gazette import` on a folder, as an editor runs it: every good page is written, every
//! bad one is reported, one summary ends the run, and the exit status says whether any
//! page was refused.

use std::path::Path;
use std::process::Command;

const NOTICE: &str = "<html><head><meta charset=\"gb2312\"><title>关于开展科技型中小企业评价工作的通知_某省科学技术厅</title></head><body>\
    <div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/news\">新闻中心</a></div>\
    <h1>关于开展科技型中小企业评价工作的通知</h1><div class=\"info\">发布日期：2024-03-15 来源：省科技厅</div>\
    <div class=\"article-content\"><p>为深入实施创新驱动发展战略，省科技厅决定组织开展2024年度科技型中小企业评价工作，现将有关事项通知如下。</p>\
    <p>一、评价对象为在省内注册的科技型中小企业，企业应当如实填报相关信息。</p>\
    <p>二、各市州科技局要加强组织协调，确保评价工作按时完成，并于6月30日前报送汇总情况。</p></div>\
    <div class=\"footer\">版权所有 某省科学技术厅</div></body></html>";

fn run_import(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_gazette")).arg("import").args(args).current_dir(dir).output().expect("gazette runs");
    (output.status.success(), String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn a_folder_imports_every_good_page_and_reports_every_bad_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pages = dir.path().join("pages");
    std::fs::create_dir_all(pages.join("more")).expect("pages folder");
    // The notice is valid UTF-8 although it declares GB2312, as many converted sites are.
    std::fs::write(pages.join("a-notice.html"), NOTICE).expect("write");
    std::fs::write(pages.join("b-empty.html"), "").expect("write");
    std::fs::write(pages.join("more/c-index.htm"), "<ul><li><a href=\"/1\">首页</a></li></ul>").expect("write");
    std::fs::write(pages.join("notes.md"), "not a page").expect("write");
    let (ok, out, err) = run_import(dir.path(), &["pages", "--into", "content"]);
    assert!(!ok, "refused pages make the run fail: {out}");
    assert!(err.contains("error: pages/b-empty.html: is empty: there is no page to import"), "{err}");
    assert!(err.contains("error: pages/more/c-index.htm: no headline and article text found in an HTML page"), "{err}");
    assert!(!err.contains("notes.md") && !out.contains("notes.md"), "only pages are imported: {out}{err}");
    assert!(out.contains("summary:\n  imported:   1 page(s), 1 article(s)\n"), "{out}");
    assert!(out.contains("  refused:    2 page(s)\n"), "{out}");
    assert!(out.contains("warning:  the page declares GBK but is written in UTF-8"), "{out}");
    let written = dir.path().join("content/2024");
    let files: Vec<_> = std::fs::read_dir(&written).expect("the good page is written").filter_map(|e| e.ok()).collect();
    assert_eq!(files.len(), 1);
    let article = std::fs::read_to_string(files[0].path()).expect("article");
    assert!(article.contains("title: 关于开展科技型中小企业评价工作的通知\n"), "{article}");
    assert!(article.contains("date: 2024-03-15\n"), "{article}");
    assert!(article.contains("并于6月30日前报送汇总情况。"), "{article}");
    for chrome in ["新闻中心", "版权所有", "发布日期"] {
        assert!(!article.contains(chrome), "{chrome} kept: {article}");
    }
}

#[test]
fn a_batch_of_good_pages_succeeds() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("notice.html"), NOTICE).expect("write");
    let (ok, out, err) = run_import(dir.path(), &["notice.html", "--dry-run"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("1 file(s), 1 article(s)"), "{out}");
    assert!(!out.contains("summary:"), "one page needs no summary: {out}");
}

/// A foreign science story as a news site prints it: no category keyword of the site.
const FOREIGN: &str = "<html><head><meta charset=\"utf-8\"><title>美国佛罗里达州遭飓风袭击 多地停电_国际新闻</title></head><body>\
    <h1>美国佛罗里达州遭飓风袭击 多地停电</h1><div class=\"info\">2024-10-10 08:30 来源：新华社</div>\
    <div class=\"content\"><p>新华社华盛顿10月9日电 飓风“米尔顿”9日晚在美国佛罗里达州登陆，佛罗里达州多地停电，数十万户居民受到影响。</p>\
    <p>美国国家飓风中心表示，飓风带来强降雨和风暴潮，沿海地区居民已按要求撤离。佛罗里达州州长宣布全州进入紧急状态。</p></div></body></html>";

/// The text of the one article imported into `folder`.
fn only_article(folder: &Path) -> String {
    let files: Vec<_> = std::fs::read_dir(folder).expect("articles written").filter_map(|e| e.ok()).map(|e| e.path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    std::fs::read_to_string(&files[0]).expect("article readable")
}

fn site_with_categories(dir: &Path) {
    std::fs::write(dir.join("site.toml"), "title = \"测试站\"\nbase_url = \"https://example.org\"\n\n[categories]\n\"政策解读\" = \"zhengce\"\n\"科技合作\" = \"hezuo\"\n").expect("site.toml");
}

#[test]
fn a_page_that_matches_no_category_gets_none_and_is_a_draft_for_review() {
    let dir = tempfile::tempdir().expect("temp dir");
    site_with_categories(dir.path());
    std::fs::write(dir.path().join("storm.html"), FOREIGN).expect("write");
    let (ok, out, err) = run_import(dir.path(), &["storm.html"]);
    assert!(ok, "{out}{err}");
    let text = only_article(&dir.path().join("content/2024"));
    assert!(!text.contains("\ncategory:"), "a category is never guessed:\n{text}");
    assert!(text.contains("draft: true\n"), "{text}");
    assert!(text.contains("# review: no category keyword matched; set category: to one of 政策解读、科技合作 (or import with --category NAME)"), "{text}");
    // A foreign story is filed under its country, not under 四川省/达州市.
    assert!(text.contains("\nregion: 国际/美国\n"), "{text}");
}

#[test]
fn category_chooses_the_category_of_pages_no_keyword_matches() {
    let dir = tempfile::tempdir().expect("temp dir");
    site_with_categories(dir.path());
    std::fs::write(dir.path().join("storm.html"), FOREIGN).expect("write");
    let (ok, out, err) = run_import(dir.path(), &["storm.html", "--category", "科技合作"]);
    assert!(ok, "{out}{err}");
    let text = only_article(&dir.path().join("content/2024"));
    assert!(text.contains("\ncategory: 科技合作\n"), "{text}");
    assert!(!text.contains("draft: true"), "the editor chose the category; nothing left to review:\n{text}");
    // A name that is not in site.toml is refused before anything is written.
    let (ok, _, err) = run_import(dir.path(), &["storm.html", "--force", "--category", "国际新闻"]);
    assert!(!ok);
    assert!(err.contains("--category '国际新闻' is not a category of") && err.contains("use one of 政策解读、科技合作"), "{err}");
}

/// A bulletin as a TV news site prints it: three short items under one page title.
const BULLETIN: &str = "<html><head><meta charset=\"utf-8\"><title>国内联播快讯_新闻频道</title></head><body>\
    <h1>国内联播快讯</h1><div class=\"info\">2024-03-12 19:30 来源：央视网</div><div class=\"content\">\
    <p><strong>我国首个深远海养殖平台投产</strong></p>\
    <p>3月12日，我国首个自主设计建造的深远海智能化养殖平台在山东青岛正式投产，年产高品质海产品可达1500吨。</p>\
    <p><strong>全国春耕备耕有序推进</strong></p>\
    <p>农业农村部数据显示，目前全国已春播粮食超过5000万亩，各地抢抓农时，农资供应充足。</p>\
    <p><strong>成渝地区双城经济圈科技创新合作深化</strong></p>\
    <p>记者从重庆市科技局获悉，今年以来川渝两地联合实施科技项目50余项，共建创新平台12个。</p>\
    </div></body></html>";

/// The titles of the articles an import wrote under `folder`, sorted.
fn written_titles(folder: &Path) -> Vec<String> {
    let mut titles: Vec<String> = std::fs::read_dir(folder)
        .expect("articles written")
        .filter_map(|e| e.ok())
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter_map(|text| text.lines().find_map(|l| l.strip_prefix("title: ").map(str::to_string)))
        .collect();
    titles.sort();
    titles
}

#[test]
fn split_makes_an_article_of_every_item_of_a_bulletin() {
    let dir = tempfile::tempdir().expect("temp dir");
    site_with_categories(dir.path());
    std::fs::write(dir.path().join("kuaixun.html"), BULLETIN).expect("write");
    let (ok, out, err) = run_import(dir.path(), &["kuaixun.html", "--split", "--category", "科技合作"]);
    assert!(ok, "{out}{err}");
    assert_eq!(written_titles(&dir.path().join("content/2024")), ["全国春耕备耕有序推进", "成渝地区双城经济圈科技创新合作深化", "我国首个深远海养殖平台投产"]);
    assert!(out.contains("region:   全国\n"), "the ministry's item is national news: {out}");
}

#[test]
fn without_split_a_bulletin_is_one_article_that_keeps_its_first_item_heading() {
    let dir = tempfile::tempdir().expect("temp dir");
    site_with_categories(dir.path());
    std::fs::write(dir.path().join("kuaixun.html"), BULLETIN).expect("write");
    let (ok, out, err) = run_import(dir.path(), &["kuaixun.html", "--category", "科技合作"]);
    assert!(ok, "{out}{err}");
    let text = only_article(&dir.path().join("content/2024"));
    // The first item's heading sits between the page title and the first paragraph: it
    // was once dropped as header furniture.
    for heading in ["## 我国首个深远海养殖平台投产\n", "## 全国春耕备耕有序推进\n", "## 成渝地区双城经济圈科技创新合作深化\n"] {
        assert!(text.contains(heading), "{heading} missing:\n{text}");
    }
}

#[test]
fn split_never_cuts_an_ordinary_article_at_its_subheadings() {
    let page = "<html><head><meta charset=\"utf-8\"><title>四川省科技厅关于开展科技型中小企业评价工作的通知</title></head><body>\
        <h1>四川省科技厅关于开展科技型中小企业评价工作的通知</h1><div class=\"info\">发布日期：2024-03-15</div><div class=\"content\">\
        <p><strong>一、评价对象</strong></p><p>在四川省内注册的科技型中小企业，应当如实填报相关信息，接受社会监督。</p>\
        <p><strong>二、工作要求</strong></p><p>各市州科技局要加强组织协调，确保评价工作按时完成，并于6月30日前报送。</p>\
        </div></body></html>";
    let dir = tempfile::tempdir().expect("temp dir");
    site_with_categories(dir.path());
    std::fs::write(dir.path().join("notice.html"), page).expect("write");
    let (ok, out, err) = run_import(dir.path(), &["notice.html", "--split", "--category", "政策解读"]);
    assert!(ok, "{out}{err}");
    let text = only_article(&dir.path().join("content/2024"));
    assert!(text.contains("## 一、评价对象\n") && text.contains("## 二、工作要求\n"), "{text}");
}

/// A notice as a county site serves it over HTTP: GBK bytes, the charset named only in
/// the `Content-Type` header, no date on the page (the address carries it), no source line.
const FETCHED: &str = "<html><head><title>县科技局组织开展科技特派员下乡服务活动_某县人民政府</title></head><body>\
    <div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/news\">新闻中心</a></div>\
    <h1>县科技局组织开展科技特派员下乡服务活动</h1>\
    <div class=\"content\"><p>为推动科技成果进村入户，县科技局近日组织十二名科技特派员深入各乡镇开展技术服务，现场解答种植养殖难题。</p>\
    <p>活动期间，特派员走访农业园区和专业合作社，发放技术资料三百余份，帮助农户解决病虫害防治等实际问题。</p></div>\
    <div class=\"footer\">版权所有 某县人民政府</div></body></html>";

/// What the test server answers for a path: status line, headers, body.
fn answer(path: &str) -> (&'static str, Vec<(&'static str, String)>, Vec<u8>) {
    let html = |charset: &str| vec![("Content-Type", format!("text/html; charset={charset}"))];
    match path {
        "/2024/0315/notice.html" => ("200 OK", html("GBK"), encoding_rs::GBK.encode(FETCHED).0.into_owned()),
        "/old-notice" => ("301 Moved Permanently", vec![("Location", "/2024/0315/notice.html".to_string())], Vec::new()),
        "/loop" => ("302 Found", vec![("Location", "/loop".to_string())], Vec::new()),
        // More than the 20 MiB cap, with no Content-Length to refuse it early.
        "/huge.html" => ("200 OK", html("utf-8"), "<p>很长的页面。</p>".repeat(21 * 1024 * 1024 / 20).into_bytes()),
        "/report.pdf" => ("200 OK", vec![("Content-Type", "application/pdf".to_string())], b"%PDF-1.4 not a page".to_vec()),
        "/slow.html" => {
            std::thread::sleep(std::time::Duration::from_secs(5));
            ("200 OK", html("utf-8"), FETCHED.as_bytes().to_vec())
        }
        _ => ("404 Not Found", html("utf-8"), b"<h1>404</h1>".to_vec()),
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 answering with [`answer`], a thread per
/// connection; returns its address (`http://127.0.0.1:PORT`).
fn serve() -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let address = format!("http://{}", listener.local_addr().expect("local address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut request = String::new();
                let _ = reader.read_line(&mut request);
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                let (status, headers, body) = answer(&path);
                let mut head = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                // The huge page is sent without a length: read until the connection closes.
                if path != "/huge.html" {
                    head.push_str(&format!("Content-Length: {}\r\n", body.len()));
                }
                head.push_str("\r\n");
                let mut stream = &stream;
                // The client may hang up early (size cap, timeout): not an error here.
                let _ = stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(&body));
            });
        }
    });
    address
}

/// An address where nothing listens: a port bound and let go.
fn closed_port_address() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    format!("http://{}/notice.html", listener.local_addr().expect("local address"))
}

#[test]
fn web_addresses_files_and_bad_addresses_import_in_one_batch() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("notice.html"), NOTICE).expect("write");
    let base = serve();
    let closed = closed_port_address();
    let urls = ["/old-notice", "/missing.html", "/huge.html", "/report.pdf", "/loop"].map(|p| format!("{base}{p}"));
    let mut args: Vec<&str> = vec![&urls[0], "notice.html"];
    args.extend(urls[1..].iter().map(String::as_str));
    args.extend([closed.as_str(), "--into", "content"]);
    let (ok, out, err) = run_import(dir.path(), &args);
    assert!(!ok, "refused addresses make the run fail: {out}{err}");
    // The redirect is followed; the header's charset decodes the page.
    assert!(out.contains(&format!("{base}/old-notice\n")), "{out}");
    assert!(out.contains("warning:  decoded from GBK (declared)"), "{out}");
    let article = std::fs::read_to_string(dir.path().join("content/2024").read_dir().expect("written").filter_map(|e| e.ok()).map(|e| e.path()).find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("特派员"))).expect("the fetched page is written")).expect("article");
    assert!(article.contains("title: 县科技局组织开展科技特派员下乡服务活动\n"), "{article}");
    // The date is the address's; the source is the address after the redirect.
    assert!(article.contains("date: 2024-03-15\n"), "{article}");
    assert!(article.contains(&format!("source: {{ name: \"127.0.0.1\", url: \"{base}/2024/0315/notice.html\" }}\n")), "{article}");
    assert!(article.contains("帮助农户解决病虫害防治等实际问题。"), "{article}");
    for chrome in ["新闻中心", "版权所有"] {
        assert!(!article.contains(chrome), "{chrome} kept: {article}");
    }
    // Every bad address is reported with why, and the batch ends with one summary.
    assert!(err.contains(&format!("error: {base}/missing.html: the server answered 404 Not Found; nothing was written")), "{err}");
    assert!(err.contains(&format!("error: {base}/huge.html: is larger than 20 MiB, the most gazette import fetches of one page")), "{err}");
    assert!(err.contains(&format!("error: {base}/report.pdf: is not a web page: the server sent application/pdf")), "{err}");
    assert!(err.contains(&format!("error: {base}/loop: cannot fetch: more than 10 redirects")), "{err}");
    assert!(err.contains(&format!("error: {closed}: cannot fetch: no connection to '127.0.0.1' (")), "{err}");
    assert!(out.contains("summary:\n  imported:   2 page(s), 2 article(s)\n"), "{out}");
    assert!(out.contains("  refused:    5 page(s)\n"), "{out}");
    assert!(out.contains("    1 × cannot fetch: no connection to '…' ("), "the summary counts a reason without its particulars: {out}");
}

#[test]
fn a_page_that_does_not_answer_in_time_is_refused_with_the_timeout_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("{}/slow.html", serve());
    let (ok, out, err) = run_import(dir.path(), &[&url, "--timeout", "1", "--into", "content"]);
    assert!(!ok, "{out}{err}");
    assert!(err.contains(&format!("error: {url}: cannot fetch: no complete answer within 1 s (--timeout SECONDS waits longer)")), "{err}");
    assert!(!dir.path().join("content").exists(), "nothing written");
}
