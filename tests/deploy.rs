//! `gazette deploy` (SPEC 11): the built site to an S3-compatible store (a real one: moto
//! in server mode, started on 127.0.0.1 by these tests and read back with plain HTTP
//! requests) and to a folder. Outside CI the S3 tests are skipped, with a note, when moto
//! is not installed (`pip install 'moto[server]'`); under CI that is a failure.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::*;
use md5::{Digest, Md5};

// --- the S3 server ------------------------------------------------------------------------------

/// A moto server for the whole test binary; `None` (skip) when moto is missing outside CI.
fn moto() -> Option<u16> {
    static SERVER: OnceLock<Option<u16>> = OnceLock::new();
    *SERVER.get_or_init(|| start_moto(&[]))
}

/// A second server that checks credentials (moto's IAM: no key is known), for the
/// bad-credentials case.
fn moto_with_auth() -> Option<u16> {
    static SERVER: OnceLock<Option<u16>> = OnceLock::new();
    *SERVER.get_or_init(|| start_moto(&[("INITIAL_NO_AUTH_ACTION_COUNT", "0")]))
}

fn start_moto(env: &[(&str, &str)]) -> Option<u16> {
    let installed = Command::new("python3").args(["-c", "import moto.server, flask"]).output().is_ok_and(|o| o.status.success());
    if !installed {
        assert!(std::env::var_os("CI").is_none(), "the deploy tests need moto (pip install 'moto[server]'), and CI is set; .ci/run must install it");
        eprintln!("skipped: moto not found (pip install 'moto[server]'; with CI set this is a failure)");
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    // The shell kills the server when its standard input closes, that is when this test
    // process ends (the pipe's write end is kept open until then).
    let mut child = Command::new("sh")
        .args(["-c", &format!("python3 -m moto.server -H 127.0.0.1 -p {port} >/dev/null 2>&1 & read _; kill $!")])
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .spawn()
        .expect("start moto");
    std::mem::forget(child.stdin.take());
    let started = Instant::now();
    while http(port, "GET", "/", &[], b"").map_or(true, |r| r.status != 200 && r.status != 403) {
        assert!(started.elapsed() < Duration::from_secs(60), "moto did not start on port {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(port)
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// One plain HTTP/1.1 request (moto answers unsigned requests).
fn http(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> std::io::Result<Response> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    // moto checks no signature (unless told to), but answers 403 to an object request
    // with no Authorization header at all
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\nAuthorization: AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0\r\n",
        body.len()
    );
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())?;
    s.write_all(body)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| std::io::Error::other("no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|c| c.parse().ok()).unwrap_or(0);
    let headers: Vec<(String, String)> = lines.filter_map(|l| l.split_once(':')).map(|(n, v)| (n.trim().to_string(), v.trim().to_string())).collect();
    let mut body = raw[split + 4..].to_vec();
    if headers.iter().any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked")) {
        body = dechunk(&body);
    }
    Ok(Response { status, headers, body })
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = b.windows(2).position(|w| w == b"\r\n") {
        let n = usize::from_str_radix(String::from_utf8_lossy(&b[..i]).trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.extend_from_slice(&b[i + 2..i + 2 + n]);
        b = &b[i + 4 + n..];
    }
    out
}

/// A new, empty bucket on the server.
fn bucket(port: u16, name: &str) -> String {
    let r = http(port, "PUT", &format!("/{name}"), &[], b"").unwrap();
    assert_eq!(r.status, 200, "create bucket {name}: {}", String::from_utf8_lossy(&r.body));
    name.to_string()
}

/// Every key of the bucket (under `site/`, the targets' prefix) with its ETag.
fn listing(port: u16, bucket: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut token: Option<String> = None;
    loop {
        let mut path = format!("/{bucket}?list-type=2&max-keys=1000");
        if let Some(t) = &token {
            path.push_str(&format!("&continuation-token={}", t.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D")));
        }
        let r = http(port, "GET", &path, &[], b"").unwrap();
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let text = String::from_utf8(r.body).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        let child = |n: roxmltree::Node, name: &str| n.children().find(|c| c.has_tag_name(name)).and_then(|c| c.text()).unwrap_or_default().to_string();
        for c in doc.descendants().filter(|n| n.has_tag_name("Contents")) {
            out.insert(child(c, "Key"), child(c, "ETag").trim_matches('"').to_string());
        }
        token = doc.descendants().find(|n| n.has_tag_name("NextContinuationToken")).and_then(|n| n.text()).map(String::from);
        if token.is_none() {
            return out;
        }
    }
}

fn head(port: u16, bucket: &str, key: &str) -> Response {
    let r = http(port, "HEAD", &format!("/{bucket}/site/{}", percent_encode(key)), &[], b"").unwrap();
    assert_eq!(r.status, 200, "HEAD {key}");
    r
}

fn percent_encode(key: &str) -> String {
    key.bytes().map(|b| if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

// --- sites and runs ---------------------------------------------------------------------------------

/// A small site with targets `moto` (s3://BUCKET/site on `port`), `moto-gzip` (the same,
/// sent gzip-compressed) and `folder` (file://`folder`).
fn site(port: u16, bucket: &str, folder: &Path) -> TestSite {
    let toml = format!(
        "{SITE_TOML}\n[[deploy.targets]]\nname = \"moto\"\nurl = \"s3://{bucket}/site\"\nendpoint = \"http://127.0.0.1:{port}\"\n\n\
         [[deploy.targets]]\nname = \"moto-gzip\"\nurl = \"s3://{bucket}/site\"\nendpoint = \"http://127.0.0.1:{port}\"\ncontent_encoding = \"gzip\"\n\n\
         [[deploy.targets]]\nname = \"folder\"\nurl = \"file://{}\"\n",
        folder.display()
    );
    let site = TestSite::new(&toml);
    site.article("good", "局县会商", "2024-03-15", "四川省/广元市", "科技合作", "slug: good\ntags: [县域创新]\n", "正文。科技创新推动县域发展。");
    site.article("second", "第二篇 重庆市科技局", "2023-05-01", "重庆市/北碚区", "政策解读", "slug: second\n", "重庆正文。");
    site.article("third", "第三篇 成都市", "2023-06-01", "四川省/成都市", "区域协同", "slug: third\n", "成都正文。");
    site.write("static/app.0123456789.js", "console.log(1)\n");
    site.write("static/logo.png", b"\x89PNG\r\n\x1a\n fake");
    site
}

/// `gazette deploy ARGS` with test credentials (and no other AWS_* variable of the caller).
fn deploy(site: &TestSite, args: &[&str]) -> Output {
    deploy_env(site, args, &[("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing")])
}

fn deploy_env(site: &TestSite, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gazette"));
    cmd.arg("deploy").args(args).current_dir(site.root());
    // every variable a provider's keys may come from (src/deploy/credentials.rs)
    let prefixes = ["AWS_", "OSS_", "ALIBABA_CLOUD_", "COS_", "TENCENTCLOUD_", "OBS_"];
    for (k, _) in std::env::vars() {
        if prefixes.iter().any(|p| k.starts_with(p)) || k == "ACCESS_KEY_ID" || k == "SECRET_ACCESS_KEY" {
            cmd.env_remove(k);
        }
    }
    cmd.envs(env.iter().copied()).output().expect("run gazette deploy")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// The numbers of the summary line: (uploaded, unchanged, deleted).
fn summary(out: &Output) -> (usize, usize, usize) {
    let said = text(out);
    assert!(out.status.success(), "deploy failed:\n{said}");
    let line = said.lines().find(|l| l.starts_with("deployed to")).unwrap_or_else(|| panic!("no summary:\n{said}"));
    let after = |word: &str| line.split(word).nth(1).and_then(|r| r.split_whitespace().next()).and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("{word} in {line}"));
    (after("uploaded "), after("skipped "), after("deleted "))
}

/// The files a store target gets: the site's, without `.gz`/`.br` siblings.
fn site_files(site: &TestSite) -> Vec<String> {
    let files = site.files();
    files.iter().filter(|f| !(f.ends_with(".gz") || f.ends_with(".br")) || !files.contains(&f[..f.len() - 3].to_string())).cloned().collect()
}

fn keys(listing: &BTreeMap<String, String>) -> Vec<String> {
    listing.keys().map(|k| k.strip_prefix("site/").unwrap_or_else(|| panic!("{k} outside the prefix")).to_string()).collect()
}

/// Files whose bytes differ between two snapshots, and files only in the first.
fn changed(before: &[(String, Vec<u8>)], after: &[(String, Vec<u8>)]) -> (Vec<String>, Vec<String>) {
    let b: BTreeMap<_, _> = before.iter().cloned().collect();
    let a: BTreeMap<_, _> = after.iter().cloned().collect();
    let changed = a.iter().filter(|(k, v)| b.get(*k) != Some(v)).map(|(k, _)| k.clone()).collect();
    let gone = b.keys().filter(|k| !a.contains_key(*k)).cloned().collect();
    (changed, gone)
}

// --- S3 ---------------------------------------------------------------------------------------------

#[test]
fn a_first_deploy_uploads_every_file_with_its_headers_and_a_second_uploads_nothing() {
    let Some(port) = moto() else { return };
    let b = bucket(port, "first");
    let folder = tempfile::tempdir().unwrap();
    let site = site(port, &b, folder.path());
    site.build_ok();
    let out = deploy(&site, &["--target", "moto"]);
    let files = site_files(&site);
    assert_eq!(summary(&out), (files.len(), 0, 0), "{}", text(&out));
    let listed = listing(port, &b);
    assert_eq!(keys(&listed), files, "the bucket holds the site, and nothing of .gazette/");
    for (key, etag) in &listed {
        let local = fs::read(site.public().join(key.strip_prefix("site/").unwrap())).unwrap();
        assert_eq!(etag, &md5_hex(&local), "{key}: the bytes as built");
    }
    let page = head(port, &b, "2024/03/good/index.html");
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(page.header("cache-control"), Some("public, max-age=300"));
    assert_eq!(page.header("content-encoding"), None);
    let js = head(port, &b, "app.0123456789.js");
    assert_eq!(js.header("content-type"), Some("text/javascript; charset=utf-8"));
    assert_eq!(js.header("cache-control"), Some("public, max-age=31536000, immutable"));
    let png = head(port, &b, "logo.png");
    assert_eq!(png.header("content-type"), Some("image/png"));
    assert_eq!(png.header("cache-control"), Some("public, max-age=86400"));
    let feed = files.iter().find(|f| f.ends_with(".xml")).expect("a feed or sitemap");
    assert_eq!(head(port, &b, feed).header("content-type"), Some("application/xml; charset=utf-8"));

    let again = deploy(&site, &["--target", "moto"]);
    assert_eq!(summary(&again), (0, files.len(), 0));
    assert_eq!(listing(port, &b), listed);
}

#[test]
fn after_a_one_article_edit_only_the_changed_files_go_up_and_a_deleted_article_goes_away() {
    let Some(port) = moto() else { return };
    let b = bucket(port, "edit");
    let folder = tempfile::tempdir().unwrap();
    let site = site(port, &b, folder.path());
    site.build_ok();
    summary(&deploy(&site, &["--target", "moto"]));
    let before = site.snapshot();
    let listed_before = listing(port, &b);

    site.article("second", "第二篇 重庆市科技局", "2023-05-01", "重庆市/北碚区", "政策解读", "slug: second\n", "重庆正文，补充一句。");
    site.build_ok();
    let (edited, _) = changed(&before, &site.snapshot());
    assert!(edited.contains(&"2023/05/second/index.html".to_string()), "{edited:?}");
    let (uploaded, unchanged, deleted) = summary(&deploy(&site, &["--target", "moto"]));
    assert_eq!((uploaded, deleted), (edited.len(), 0), "only the files whose bytes changed: {edited:?}");
    assert_eq!(unchanged, site_files(&site).len() - edited.len());
    let listed = listing(port, &b);
    let new_etags: Vec<String> = listed.iter().filter(|(k, e)| listed_before.get(*k) != Some(e)).map(|(k, _)| k["site/".len()..].to_string()).collect();
    assert_eq!(new_etags, edited, "the server's changed objects are the edited files");

    let before = site.snapshot();
    fs::remove_file(site.root().join("content/third.md")).unwrap();
    site.build_ok();
    let (edited, gone) = changed(&before, &site.snapshot());
    assert!(gone.contains(&"2023/06/third/index.html".to_string()), "{gone:?}");
    let purge = site.root().join("purge.txt");
    let out = deploy(&site, &["--target", "moto", "--purge-list", purge.to_str().unwrap()]);
    assert_eq!(summary(&out), (edited.len(), site_files(&site).len() - edited.len(), gone.len()));
    let listed = listing(port, &b);
    assert_eq!(keys(&listed), site_files(&site));
    assert!(!listed.contains_key("site/2023/06/third/index.html"));

    // the purge list: the replaced and the deleted files' URLs, a page also as its folder
    let mut stale: Vec<&String> = edited.iter().filter(|rel| before.iter().any(|(k, _)| k == *rel)).chain(&gone).collect();
    stale.sort();
    let mut expected = Vec::new();
    for rel in stale {
        if let Some(dir) = rel.strip_suffix("index.html") {
            expected.push(format!("https://policy.example.org/{dir}"));
        }
        expected.push(format!("https://policy.example.org/{rel}"));
    }
    let written = fs::read_to_string(&purge).unwrap();
    assert!(written.lines().any(|l| l == "https://policy.example.org/2023/06/third/"), "{written}");
    assert_eq!(written.lines().collect::<Vec<_>>(), expected);
    assert!(text(&out).contains(&format!("{} URLs to purge from a CDN written to", expected.len())), "{}", text(&out));
    // nothing replaced, nothing deleted: an empty list
    summary(&deploy(&site, &["--target", "moto", "--purge-list", purge.to_str().unwrap()]));
    assert_eq!(fs::read_to_string(&purge).unwrap(), "");
}

#[test]
fn max_deletes_stops_a_mass_deletion_before_anything_changes_and_dry_run_changes_nothing() {
    let Some(port) = moto() else { return };
    let b = bucket(port, "many");
    let folder = tempfile::tempdir().unwrap();
    let site = site(port, &b, folder.path());
    site.build_ok();

    let dry = deploy(&site, &["--target", "moto", "--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry));
    let said = text(&dry);
    assert!(said.contains(&format!("{} to upload", site_files(&site).len())) && said.contains("2024/03/good/index.html") && said.contains("nothing was changed"), "{said}");
    assert!(listing(port, &b).is_empty(), "a dry run uploads nothing");

    summary(&deploy(&site, &["--target", "moto"]));
    let listed = listing(port, &b);
    fs::remove_file(site.root().join("content/third.md")).unwrap();
    fs::remove_file(site.root().join("content/second.md")).unwrap();
    site.build_ok();
    let gone = keys(&listed).into_iter().filter(|k| !site_files(&site).contains(k)).count();
    assert!(gone > 2, "{gone}");

    let dry = deploy(&site, &["--target", "moto", "--dry-run"]);
    assert!(dry.status.success() && text(&dry).contains(&format!("{gone} to delete")), "{}", text(&dry));
    assert_eq!(listing(port, &b), listed, "a dry run deletes nothing");

    let out = deploy(&site, &["--target", "moto", "--max-deletes", "2"]);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains(&format!("would delete {gone} files, more than --max-deletes 2")) && said.contains(&format!("--max-deletes {gone}")), "{said}");
    assert_eq!(listing(port, &b), listed, "nothing uploaded or deleted");

    let (_, _, deleted) = summary(&deploy(&site, &["--target", "moto", "--max-deletes", &gone.to_string()]));
    assert_eq!(deleted, gone);
    assert_eq!(keys(&listing(port, &b)), site_files(&site));
}

#[test]
fn a_deploy_killed_half_way_is_finished_by_the_next_and_ends_like_a_clean_one() {
    let Some(port) = moto() else { return };
    let (killed, clean) = (bucket(port, "killed"), bucket(port, "clean"));
    let folder = tempfile::tempdir().unwrap();
    let site = site(port, &killed, folder.path());
    site.build_ok();
    let total = site_files(&site).len();
    // stopped just after the first page: assets go first, so every asset is there already
    let is_page = |k: &str| k.ends_with(".html") || k.ends_with(".xml");
    let assets: Vec<String> = site_files(&site).into_iter().filter(|f| !is_page(f)).collect();
    let stop = (assets.len() + 1).to_string();
    let out = deploy_env(&site, &["--target", "moto"], &[("AWS_ACCESS_KEY_ID", "t"), ("AWS_SECRET_ACCESS_KEY", "t"), ("GAZETTE_DEPLOY_STOP_AFTER", &stop)]);
    assert_eq!(out.status.code(), Some(9), "{}", text(&out));
    let partial_listing = listing(port, &killed);
    let partial = partial_listing.len();
    assert!(partial > assets.len() && partial < total, "{partial} of {total} sent before the stop");
    assert!(partial_listing.keys().any(|k| is_page(k)), "a page was sent");
    for a in &assets {
        assert!(partial_listing.contains_key(&format!("site/{a}")), "{a}: a page went up before this asset");
    }

    let (uploaded, unchanged, _) = summary(&deploy(&site, &["--target", "moto"]));
    // (an upload in flight at the stop may still land after the listing above)
    assert!(uploaded + unchanged == total && unchanged >= partial && uploaded < total, "the rerun sends only what is missing: {uploaded} sent, {unchanged} kept, {partial} there before");

    let clean_site = self::site(port, &clean, folder.path());
    fs::remove_dir_all(clean_site.root().join("content")).ok();
    copy_dir(&site.root().join("content"), &clean_site.root().join("content"));
    clean_site.build_ok();
    summary(&deploy(&clean_site, &["--target", "moto"]));
    assert_eq!(listing(port, &killed), listing(port, &clean), "same keys, same ETags");
    for key in ["2024/03/good/index.html", "app.0123456789.js"] {
        let (a, c) = (head(port, &killed, key), head(port, &clean, key));
        for h in ["content-type", "cache-control"] {
            assert_eq!(a.header(h), c.header(h), "{key} {h}");
        }
    }
    // deletions come last: a deploy stopped after its first upload has deleted nothing
    fs::remove_file(site.root().join("content/third.md")).unwrap();
    site.build_ok();
    let out = deploy_env(&site, &["--target", "moto"], &[("AWS_ACCESS_KEY_ID", "t"), ("AWS_SECRET_ACCESS_KEY", "t"), ("GAZETTE_DEPLOY_STOP_AFTER", "1")]);
    assert_eq!(out.status.code(), Some(9), "{}", text(&out));
    assert!(listing(port, &killed).contains_key("site/2023/06/third/index.html"), "deleted before the uploads were done");
    assert!(summary(&deploy(&site, &["--target", "moto"])).2 >= 1, "the rerun deletes the article");
    assert!(!listing(port, &killed).contains_key("site/2023/06/third/index.html"));
}

#[test]
fn content_encoding_gzip_sends_the_gz_sibling_or_compresses_and_never_uploads_siblings() {
    let Some(port) = moto() else { return };
    let b = bucket(port, "gzip");
    let folder = tempfile::tempdir().unwrap();
    let site = site(port, &b, folder.path());
    site.build_ok();
    // what `build --compress` leaves beside a text file
    let page = site.public().join("2024/03/good/index.html");
    let html = fs::read(&page).unwrap();
    let sibling = gzip(&html);
    fs::write(page.with_extension("html.gz"), &sibling).unwrap();
    fs::write(page.with_extension("html.br"), b"brotli bytes").unwrap();

    let out = deploy(&site, &["--target", "moto-gzip"]);
    let files = site_files(&site);
    assert_eq!(summary(&out).0, files.len(), "{}", text(&out));
    let listed = listing(port, &b);
    assert_eq!(keys(&listed), files, "no .gz or .br object");
    let r = head(port, &b, "2024/03/good/index.html");
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(listed["site/2024/03/good/index.html"], md5_hex(&sibling), "the sibling's bytes");
    // a text file without a sibling is compressed here; its body unpacks to the file
    let got = http(port, "GET", &format!("/{b}/site/2023/05/second/index.html"), &[], b"").unwrap();
    assert_eq!(got.header("content-encoding"), Some("gzip"));
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(&got.body[..]).read_to_end(&mut unpacked).unwrap();
    assert_eq!(unpacked, fs::read(site.public().join("2023/05/second/index.html")).unwrap());
    assert_eq!(head(port, &b, "logo.png").header("content-encoding"), None, "images are sent as they are");
    // the compressed bytes are the same every time: a second deploy sends nothing
    assert_eq!(summary(&deploy(&site, &["--target", "moto-gzip"])).0, 0);
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn bad_or_missing_credentials_and_an_unreachable_endpoint_are_clear_errors() {
    let folder = tempfile::tempdir().unwrap();
    // no server needed: nothing is sent without credentials, and nothing listens on `closed`
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let site = site(closed, "nowhere", folder.path());
    site.build_ok();
    let out = deploy_env(&site, &["--target", "moto"], &[("AWS_ACCESS_KEY_ID", "x")]);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("deploy to `moto`: AWS_SECRET_ACCESS_KEY is not set"), "{said}");

    let out = deploy(&site, &["--target", "moto"]);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("deploy to `moto`") && said.contains(&format!("cannot reach http://127.0.0.1:{closed}")) && said.contains("check the endpoint"), "{said}");
    assert!(!said.contains("panicked"), "{said}");

    let Some(port) = moto_with_auth() else { return };
    let site = self::site(port, "locked", folder.path());
    site.build_ok();
    let out = deploy(&site, &["--target", "moto"]);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("deploy to `moto`") && said.contains("refused the credentials") && said.contains("check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), "{said}");
}

#[test]
fn a_provider_reads_its_own_variables_and_names_them_when_missing() {
    let port = moto();
    // without a server, only the missing-key errors are checked (nothing is sent before)
    let port_or_closed = port.unwrap_or_else(|| TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port());
    let b = match port {
        Some(p) => bucket(p, "provider"),
        None => "provider".to_string(),
    };
    let toml = format!(
        "{SITE_TOML}\n[[deploy.targets]]\nname = \"oss\"\nurl = \"s3://{b}/site\"\nendpoint = \"http://127.0.0.1:{port_or_closed}\"\nprovider = \"oss\"\n\n\
         [[deploy.targets]]\nname = \"cos\"\nurl = \"s3://{b}/site\"\nendpoint = \"http://127.0.0.1:{port_or_closed}\"\nprovider = \"cos\"\n\n\
         [[deploy.targets]]\nname = \"obs\"\nurl = \"s3://{b}/site\"\nendpoint = \"http://127.0.0.1:{port_or_closed}\"\nprovider = \"obs\"\n"
    );
    let site = TestSite::new(&toml);
    site.article("good", "局县会商", "2024-03-15", "四川省/广元市", "科技合作", "slug: good\n", "正文。");
    site.build_ok();

    // the AWS pair does not stand in for a missing half of the store's own
    let out = deploy_env(&site, &["--target", "oss"], &[("OSS_ACCESS_KEY_ID", "k"), ("AWS_SECRET_ACCESS_KEY", "s")]);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("deploy to `oss`: OSS_ACCESS_KEY_SECRET is not set (OSS_ACCESS_KEY_ID is)"), "{said}");
    for (target, missing, named) in [("oss", "OSS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_SECRET"), ("cos", "COS_SECRET_ID", "COS_SECRET_KEY"), ("obs", "OBS_ACCESS_KEY_ID", "OBS_SECRET_ACCESS_KEY")] {
        let out = deploy_env(&site, &["--target", target], &[]);
        let said = text(&out);
        assert_eq!(out.status.code(), Some(1), "{said}");
        assert!(said.contains(&format!("deploy to `{target}`: {missing} is not set (provider {target})")) && said.contains(named), "{said}");
        assert!(said.contains("AWS_ACCESS_KEY_ID"), "the fallback is named too: {said}");
    }

    let Some(port) = port else { return };
    let out = deploy_env(&site, &["--target", "oss"], &[("OSS_ACCESS_KEY_ID", "oss-key"), ("OSS_ACCESS_KEY_SECRET", "oss-secret")]);
    let (uploaded, _, _) = summary(&out);
    assert!(uploaded > 0 && uploaded == keys(&listing(port, &b)).len(), "{}", text(&out));
    // COS's names, and Huawei's sample names for OBS, reach the same bucket
    assert_eq!(summary(&deploy_env(&site, &["--target", "cos"], &[("COS_SECRET_ID", "a"), ("COS_SECRET_KEY", "b")])).0, 0);
    assert_eq!(summary(&deploy_env(&site, &["--target", "obs"], &[("ACCESS_KEY_ID", "a"), ("SECRET_ACCESS_KEY", "b")])).0, 0);

    // a store that refuses the key: the message names the variables it came from
    let Some(locked) = moto_with_auth() else { return };
    let site = TestSite::new(&format!("{SITE_TOML}\n[[deploy.targets]]\nname = \"oss\"\nurl = \"s3://locked/site\"\nendpoint = \"http://127.0.0.1:{locked}\"\nprovider = \"oss\"\n"));
    site.article("good", "局县会商", "2024-03-15", "四川省/广元市", "科技合作", "slug: good\n", "正文。");
    site.build_ok();
    let out = deploy_env(&site, &[], &[("OSS_ACCESS_KEY_ID", "oss-key"), ("OSS_ACCESS_KEY_SECRET", "oss-secret"), ("AWS_ACCESS_KEY_ID", "x"), ("AWS_SECRET_ACCESS_KEY", "y")]);
    let said = text(&out);
    assert!(said.contains("refused the credentials") && said.contains("check OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET"), "{said}");
}

// --- without a server -------------------------------------------------------------------------------

#[test]
fn a_folder_target_gets_the_same_incremental_deploy_with_siblings_deletions_and_max_deletes() {
    let folder = tempfile::tempdir().unwrap();
    let www = folder.path().join("www");
    let site = site(1, "unused", &www);
    site.build_ok();
    let sibling = site.public().join("index.html.gz");
    fs::write(&sibling, gzip(&fs::read(site.public().join("index.html")).unwrap())).unwrap();
    let files = site.files();
    assert_eq!(summary(&deploy(&site, &["--target", "folder"])), (files.len(), 0, 0));
    let tree = |dir: &Path| {
        let mut t: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()).map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), fs::read(e.path()).unwrap())).collect();
        t.sort();
        t
    };
    assert_eq!(tree(&www), site.snapshot(), "the site as built, siblings included, .gazette/ not");
    assert!(!www.join(".gazette").exists());

    let before = site.snapshot();
    site.article("second", "第二篇 重庆市科技局", "2023-05-01", "重庆市/北碚区", "政策解读", "slug: second\n", "重庆正文，补充一句。");
    site.build_ok();
    let (edited, _) = changed(&before, &site.snapshot());
    assert_eq!(summary(&deploy(&site, &["--target", "folder"])), (edited.len(), files.len() - edited.len(), 0));
    assert_eq!(tree(&www), site.snapshot());

    let before = site.snapshot();
    fs::remove_file(site.root().join("content/third.md")).unwrap();
    fs::remove_file(site.root().join("content/second.md")).unwrap();
    site.build_ok();
    let (_, gone) = changed(&before, &site.snapshot());
    let out = deploy(&site, &["--target", "folder", "--max-deletes", "1"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(tree(&www), before, "nothing changed");
    let (_, _, deleted) = summary(&deploy(&site, &["--target", "folder", "--max-deletes", "1000"]));
    assert_eq!(deleted, gone.len());
    assert_eq!(tree(&www), site.snapshot());
    assert!(!www.join("2023/06/third").exists(), "emptied folders go too");
}

#[test]
fn deploy_needs_a_built_site_a_known_target_and_a_folder_of_its_own() {
    let folder = tempfile::tempdir().unwrap();
    let site = site(1, "unused", &folder.path().join("www"));
    let out = deploy(&site, &["--target", "folder"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("run `gazette build` first"), "{}", text(&out));
    site.build_ok();
    let out = deploy(&site, &[]);
    assert!(text(&out).contains("say which with --target") && text(&out).contains("`moto-gzip`"), "{}", text(&out));
    let out = deploy(&site, &["--target", "nope"]);
    assert!(text(&out).contains("no deploy target named `nope`"), "{}", text(&out));

    let own = site.root().display().to_string();
    site.write("site.toml", format!("{SITE_TOML}\n[[deploy.targets]]\nname = \"self\"\nurl = \"file://{own}\"\n"));
    let out = deploy(&site, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("holds the site or its output"), "{}", text(&out));
    assert!(site.root().join("content/good.md").exists());

    site.write("site.toml", format!("{SITE_TOML}\n[[deploy.targets]]\nname = \"s3\"\nurl = \"s3://b\"\nsecret_access_key = \"abc\"\n"));
    let out = deploy(&site, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("secret_access_key") && text(&out).contains("AWS_SECRET_ACCESS_KEY"), "{}", text(&out));
}

// --- retries: a fault-injecting proxy in front of moto ---------------------------------------------

/// What the proxy does to a request.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// Forward it to moto and relay the answer.
    None,
    /// Answer `503 Service Unavailable` (what S3 says when it is overloaded).
    Unavailable,
    /// Close the connection without an answer, the request body unread: the kernel
    /// resets the connection.
    Reset,
}

/// An HTTP/1.1 proxy on 127.0.0.1 in front of `upstream`: a thread per connection, each
/// request read whole, then answered by `fault` or forwarded byte for byte on a
/// connection of its own to moto. It logs every request as (method, path, fault).
struct Proxy {
    port: u16,
    log: std::sync::Arc<std::sync::Mutex<Vec<(String, String, Fault)>>>,
}

impl Proxy {
    fn start(upstream: u16, fault: impl Fn(&str, &str, &[(String, String, Fault)]) -> Fault + Send + Sync + 'static) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let fault = std::sync::Arc::new(fault);
        let shared = log.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (log, fault) = (shared.clone(), fault.clone());
                std::thread::spawn(move || {
                    let _ = serve_connection(client, upstream, &log, &*fault);
                });
            }
        });
        Proxy { port, log }
    }

    fn log(&self) -> Vec<(String, String, Fault)> {
        self.log.lock().unwrap().clone()
    }
}

type Log = std::sync::Mutex<Vec<(String, String, Fault)>>;

fn serve_connection(mut client: TcpStream, upstream: u16, log: &Log, fault: &dyn Fn(&str, &str, &[(String, String, Fault)]) -> Fault) -> std::io::Result<()> {
    let mut moto: Option<TcpStream> = None;
    loop {
        // the head a byte at a time, so that a body stays unread in the socket until wanted
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            if client.read(&mut byte)? == 0 {
                return Ok(());
            }
            head.push(byte[0]);
        }
        let text = String::from_utf8_lossy(&head).into_owned();
        let mut words = text.split_whitespace();
        let (method, path) = (words.next().unwrap_or_default().to_string(), words.next().unwrap_or_default().to_string());
        assert!(!text.to_ascii_lowercase().contains("transfer-encoding: chunked"), "the proxy reads bodies by Content-Length only:\n{text}");
        let length = header_value(&text, "content-length").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
        let decided = {
            let mut log = log.lock().unwrap();
            let f = fault(&method, &path, &log);
            log.push((method.clone(), path.clone(), f));
            f
        };
        if decided == Fault::Reset {
            // give the body time to arrive, so that closing with it unread sends a reset
            std::thread::sleep(Duration::from_millis(50));
            return Ok(());
        }
        let mut body = vec![0u8; length];
        client.read_exact(&mut body)?;
        if decided == Fault::Unavailable {
            let msg = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";
            client.write_all(format!("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\nContent-Length: {}\r\n\r\n", msg.len()).as_bytes())?;
            client.write_all(msg)?;
            continue;
        }
        // on the connection kept from the last request; if moto closed that one meanwhile,
        // once more on a new one (so that no failure but the planned ones reaches gazette)
        let mut answered = None;
        for _ in 0..2 {
            let reused = moto.is_some();
            if moto.is_none() {
                moto = Some(TcpStream::connect(("127.0.0.1", upstream))?);
            }
            let up = moto.as_mut().unwrap();
            let sent = up.write_all(&head).and_then(|_| up.write_all(&body)).and_then(|_| read_response(up, method == "HEAD"));
            match sent {
                Ok(answer) => {
                    answered = Some(answer);
                    break;
                }
                Err(e) if !reused => return Err(e),
                Err(_) => moto = None,
            }
        }
        let Some((answer, close)) = answered else { return Ok(()) };
        client.write_all(&answer)?;
        if close {
            return Ok(());
        }
    }
}

/// One response of moto, whole (Content-Length or chunked), and whether it closes the
/// connection.
fn read_response(s: &mut TcpStream, head_only: bool) -> std::io::Result<(Vec<u8>, bool)> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut buf)?;
        if n == 0 {
            return Err(std::io::Error::other("moto closed the connection"));
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let close = header_value(&head, "connection").is_some_and(|v| v == "close") || head.starts_with("http/1.0");
    let chunked = header_value(&head, "transfer-encoding").is_some_and(|v| v.contains("chunked"));
    let length = header_value(&head, "content-length").and_then(|v| v.parse::<usize>().ok());
    let complete = |raw: &[u8]| -> bool {
        if head_only || head.starts_with("http/1.1 204") || head.starts_with("http/1.1 304") {
            true
        } else if chunked {
            raw[end..].ends_with(b"0\r\n\r\n")
        } else if let Some(n) = length {
            raw.len() >= end + n
        } else {
            false // until moto closes
        }
    };
    while !complete(&raw) {
        let n = s.read(&mut buf)?;
        if n == 0 {
            return Ok((raw, true));
        }
        raw.extend_from_slice(&buf[..n]);
    }
    Ok((raw, close || (!chunked && length.is_none() && !head_only)))
}

fn header_value<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().filter_map(|l| l.split_once(':')).find(|(n, _)| n.trim().eq_ignore_ascii_case(name)).map(|(_, v)| v.trim())
}

/// `site`'s targets, plus `proxied`: the `moto` target reached through the proxy on `port`.
fn with_proxied_target(site: &TestSite, bucket: &str, port: u16) {
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    site.write("site.toml", format!("{toml}\n[[deploy.targets]]\nname = \"proxied\"\nurl = \"s3://{bucket}/site\"\nendpoint = \"http://127.0.0.1:{port}\"\n"));
}

#[test]
fn requests_the_store_fails_are_retried_and_the_deploy_ends_like_a_clean_one() {
    let Some(port) = moto() else { return };
    let (flaky, clean) = (bucket(port, "flaky"), bucket(port, "flaky-clean"));
    let folder = tempfile::tempdir().unwrap();
    let site = site(port, &flaky, folder.path());
    // The first listing is refused; of the files, every third one's first PUT is answered
    // 503, and the second file's first PUT is cut off with a reset.
    let proxy = Proxy::start(port, |method, path, log| {
        let seen = |m: &str| log.iter().filter(|(lm, lp, _)| lm == m && (m == "GET" || lp == path)).count();
        match method {
            "GET" if path.contains("list-type") && seen("GET") == 0 => Fault::Unavailable,
            "PUT" if seen("PUT") == 0 => {
                let order = log.iter().filter(|(m, _, _)| m == "PUT").map(|(_, p, _)| p).collect::<std::collections::BTreeSet<_>>().len();
                match order {
                    1 => Fault::Reset,
                    n if n % 3 == 0 => Fault::Unavailable,
                    _ => Fault::None,
                }
            }
            _ => Fault::None,
        }
    });
    with_proxied_target(&site, &flaky, proxy.port);
    site.build_ok();
    let files = site_files(&site);
    assert!(files.len() >= 9, "{files:?}");

    let out = deploy(&site, &["--target", "proxied"]);
    assert_eq!(summary(&out), (files.len(), 0, 0), "{}", text(&out));
    let log = proxy.log();
    let failed: Vec<&(String, String, Fault)> = log.iter().filter(|(_, _, f)| *f != Fault::None).collect();
    let puts = log.iter().filter(|(m, _, _)| m == "PUT").count();
    let put_paths: std::collections::BTreeSet<&String> = log.iter().filter(|(m, _, _)| m == "PUT").map(|(_, p, _)| p).collect();
    assert!(failed.iter().any(|(m, _, f)| m == "GET" && *f == Fault::Unavailable), "the listing was refused once");
    assert!(failed.iter().any(|(_, _, f)| *f == Fault::Reset), "a connection was reset");
    let failed_puts = failed.iter().filter(|(m, _, _)| m == "PUT").count();
    assert_eq!(failed_puts, (0..files.len()).filter(|i| *i == 1 || i % 3 == 0).count(), "the plan's PUT failures all happened");
    assert_eq!(put_paths.len(), files.len(), "every file was PUT");
    assert_eq!(puts, files.len() + failed_puts, "each failed PUT was sent again, and only those");
    for (m, p, _) in &failed {
        let after = log.iter().filter(|(lm, lp, f)| lm == m && lp == p && *f == Fault::None).count();
        assert_eq!(after, 1, "{m} {p}: answered after the failure");
    }

    // the same site, deployed straight to moto into another bucket
    let clean_site = self::site(port, &clean, folder.path());
    fs::remove_dir_all(clean_site.root().join("content")).ok();
    copy_dir(&site.root().join("content"), &clean_site.root().join("content"));
    clean_site.build_ok();
    summary(&deploy(&clean_site, &["--target", "moto"]));
    assert_eq!(listing(port, &flaky), listing(port, &clean), "same keys, same ETags");
    for key in ["2024/03/good/index.html", "app.0123456789.js", "logo.png"] {
        let (a, c) = (head(port, &flaky, key), head(port, &clean, key));
        for h in ["content-type", "cache-control"] {
            assert_eq!(a.header(h), c.header(h), "{key} {h}");
        }
    }
}

#[test]
fn a_store_that_answers_503_to_everything_ends_in_a_clear_error_after_the_retries() {
    let Some(port) = moto() else { return };
    let b = bucket(port, "down");
    let folder = tempfile::tempdir().unwrap();
    let site = site(port, &b, folder.path());
    let proxy = Proxy::start(port, |_, _, _| Fault::Unavailable);
    with_proxied_target(&site, &b, proxy.port);
    site.build_ok();
    let out = deploy(&site, &["--target", "proxied"]);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(!said.contains("panicked"), "{said}");
    assert!(said.contains("deploy to `proxied`: cannot list the bucket") && said.contains(&format!("http://127.0.0.1:{} is overloaded or unavailable", proxy.port)), "{said}");
    assert!(said.contains("status: 503") && said.contains("run the deploy again later"), "{said}");
    let log = proxy.log();
    // the listing is the first request: it and its 4 retries, then the deploy stops
    assert_eq!(log.len(), 5, "{:?}", log.iter().map(|(m, p, _)| format!("{m} {p}")).collect::<Vec<_>>());
    assert!(log.iter().all(|(m, _, _)| m == "GET"));
    assert!(listing(port, &b).is_empty(), "nothing was sent");
}

// --- the progress line ------------------------------------------------------------------------------

/// `gazette deploy ARGS` with its stderr on a pseudo-terminal (python3's `pty`); returns
/// the exit status and what the terminal showed.
fn deploy_on_a_terminal(site: &TestSite, args: &[&str]) -> (i32, String) {
    const SCRIPT: &str = r#"
import os, subprocess, sys
master, slave = os.openpty()
p = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
shown = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: the child closed its end
        break
    if not chunk:
        break
    shown += chunk
sys.stdout.buffer.write(shown)
sys.exit(p.wait())
"#;
    let out = Command::new("python3").arg("-c").arg(SCRIPT).arg(env!("CARGO_BIN_EXE_gazette")).arg("deploy").args(args).current_dir(site.root()).output().expect("python3");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The (sent, total) counts of each progress line drawn: `\r  uploaded 12/60 files, …`.
fn progress_counts(shown: &str) -> Vec<(usize, usize)> {
    shown
        .split('\r')
        .filter_map(|part| part.trim_start().strip_prefix("uploaded ")?.split_whitespace().next()?.split_once('/').map(|(a, b)| (a.parse().unwrap(), b.parse().unwrap())))
        .collect()
}

#[test]
fn a_long_upload_draws_a_progress_line_on_a_terminal_and_nothing_elsewhere() {
    let folder = tempfile::tempdir().unwrap();
    let site = site(1, "unused", &folder.path().join("www"));
    for i in 0..60 {
        site.write(&format!("static/files/{i:02}.txt"), format!("file {i}\n"));
    }
    site.build_ok();
    let total = site.files().len();
    assert!(total >= 60);

    let (status, shown) = deploy_on_a_terminal(&site, &["--target", "folder"]);
    assert_eq!(status, 0, "{shown}");
    let counts = progress_counts(&shown);
    assert!(counts.len() >= 2, "a line at the start and one at the end: {shown:?}");
    assert!(counts.iter().all(|&(_, t)| t == total), "{counts:?} of {total}");
    assert!(counts.windows(2).all(|w| w[0].0 < w[1].0), "the count rises: {counts:?}");
    assert_eq!(counts.last().map(|c| c.0), Some(total), "{shown:?}");
    assert!(shown.contains(" MB/s"), "{shown:?}");

    // stderr not a terminal (a pipe, as in CI or a log file): no progress line
    for i in 0..60 {
        site.write(&format!("static/files/{i:02}.txt"), format!("file {i}, again\n"));
    }
    site.build_ok();
    let out = deploy(&site, &["--target", "folder"]);
    assert_eq!(summary(&out).0, 60, "{}", text(&out));
    assert!(!text(&out).contains("uploaded 1/") && !text(&out).contains('\r'), "{}", text(&out));

    // a terminal, but fewer than 50 files to send: no line either
    for i in 0..10 {
        site.write(&format!("static/files/{i:02}.txt"), format!("file {i}, a third time\n"));
    }
    site.build_ok();
    let (status, shown) = deploy_on_a_terminal(&site, &["--target", "folder"]);
    assert_eq!(status, 0, "{shown}");
    assert!(progress_counts(&shown).is_empty(), "{shown:?}");
}
