//! `gazette import URL`: fetches the page an editor is reading over HTTP(S), with a
//! timeout, a size cap and a limited number of redirects, and says in words why a page
//! could not be fetched (host not found, no connection, HTTP status, not a web page).

use std::path::Path;
use std::time::Duration;

use encoding_rs::Encoding;

/// The most redirects followed before giving up (browsers allow about 20; a news page
/// needs one or two: http → https, an old address → the new one).
const MAX_REDIRECTS: usize = 10;

/// The most bytes read of one fetched page: far more than any news page (with inline
/// images a long one is a few MB), little enough to stop a video or a disk image.
pub const MAX_FETCH_BYTES: u64 = 20 * 1024 * 1024;

/// How long a fetch may take by default (`--timeout SECONDS` changes it).
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 20;

/// How pages are fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchOptions {
    /// For the whole fetch: connecting, redirects and reading the body.
    pub timeout: Duration,
    pub max_bytes: u64,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions { timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECONDS), max_bytes: MAX_FETCH_BYTES }
    }
}

/// A fetched page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub bytes: Vec<u8>,
    /// The address after redirects: the page's `source.url`.
    pub final_url: String,
    /// The charset of the `Content-Type` header, when it names one.
    pub charset: Option<&'static Encoding>,
}

/// The address when an input is one (`http://` or `https://`), not a file.
pub fn as_url(input: &Path) -> Option<&str> {
    let text = input.to_str()?;
    let scheme = text.split_once("://")?.0.to_ascii_lowercase();
    (scheme == "http" || scheme == "https").then_some(text)
}

/// One HTTP client and I/O runtime for a batch (made on the first address).
pub struct Fetcher {
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
    opts: FetchOptions,
}

impl Fetcher {
    pub fn new(opts: FetchOptions) -> Result<Fetcher, String> {
        // One TLS provider for the process, as the deploy installs it (an error only
        // means one is installed already).
        #[allow(deprecated)]
        let _ = rustls::crypto::ring::default_provider().install_default();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| format!("cannot start the I/O runtime: {e}"))?;
        let client = reqwest::Client::builder()
            .timeout(opts.timeout)
            .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
            .user_agent(concat!("gazette/", env!("CARGO_PKG_VERSION"), " (import)"))
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {}", chain(&e)))?;
        Ok(Fetcher { runtime, client, opts })
    }

    /// Fetches one page; the error says why in words and what to check.
    pub fn fetch(&self, url: &str) -> Result<Fetched, String> {
        let parsed = reqwest::Url::parse(url).map_err(|e| format!("is not a web address ({e})"))?;
        self.runtime.block_on(self.get(parsed))
    }

    async fn get(&self, url: reqwest::Url) -> Result<Fetched, String> {
        let host = url.host_str().unwrap_or_default().to_string();
        let mut response = self.client.get(url).send().await.map_err(|e| self.explain(&e, &host))?;
        let final_url = response.url().to_string();
        let status = response.status();
        if !status.is_success() {
            return Err(format!(
                "the server answered {status}; nothing was written (is the address right? a page behind a login must be saved from the browser and imported as a file)"
            ));
        }
        let content_type = response.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if !(media.is_empty() || media == "text/html" || media == "application/xhtml+xml" || media == "text/plain") {
            return Err(format!(
                "is not a web page: the server sent {media}; gazette import reads HTML and text pages (for a PDF or Word file, copy its text into a .txt file and import that)"
            ));
        }
        let too_large = || format!("is larger than {} MiB, the most gazette import fetches of one page; nothing was written (is this the article's address?)", self.opts.max_bytes >> 20);
        if response.content_length().is_some_and(|n| n > self.opts.max_bytes) {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.explain(&e, &host))? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() as u64 > self.opts.max_bytes {
                return Err(too_large());
            }
        }
        Ok(Fetched { bytes, final_url, charset: header_charset(&content_type) })
    }

    /// A failed request in words: which step failed and what to check. The host is
    /// quoted so that a batch summary counts the same failure on many hosts once.
    fn explain(&self, error: &reqwest::Error, host: &str) -> String {
        let detail = chain(error).to_ascii_lowercase();
        if error.is_timeout() {
            return format!("cannot fetch: no complete answer within {} s (--timeout SECONDS waits longer)", self.opts.timeout.as_secs());
        }
        if error.is_redirect() {
            return format!("cannot fetch: more than {MAX_REDIRECTS} redirects (a redirect loop?)");
        }
        if detail.contains("dns error") || detail.contains("failed to lookup address") || detail.contains("name or service not known") {
            return format!("cannot fetch: the host '{host}' was not found (DNS); check the address and the network");
        }
        if error.is_connect() {
            return format!("cannot fetch: no connection to '{host}' ({}); check the address and whether the site is up", innermost(error));
        }
        format!("cannot fetch: {}", innermost(error))
    }
}

/// The first cause of an error: `Connection refused (os error 111)` rather than
/// reqwest's "error sending request for url (…)".
fn innermost(error: &dyn std::error::Error) -> String {
    let mut current = error;
    while let Some(cause) = current.source() {
        current = cause;
    }
    current.to_string()
}

/// An error with its causes, `outer: inner: …` (reqwest's own message is only the
/// outermost step, "error sending request").
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let part = cause.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = cause.source();
    }
    text
}

/// `text/html; charset=GBK` → GBK.
fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|part| {
        let (key, value) = part.split_once('=')?;
        (key.trim().eq_ignore_ascii_case("charset")).then(|| Encoding::for_label(value.trim().trim_matches(['"', '\'']).as_bytes()))?
    })
}

/// The host of an address, for `source.name` when the page names no source.
pub fn host_of(url: &str) -> Option<String> {
    reqwest::Url::parse(url).ok()?.host_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_told_from_files() {
        assert_eq!(as_url(Path::new("https://www.gov.cn/a.htm")), Some("https://www.gov.cn/a.htm"));
        assert_eq!(as_url(Path::new("HTTP://example.org/")), Some("HTTP://example.org/"));
        assert_eq!(as_url(Path::new("pages/http-notes.html")), None);
        assert_eq!(as_url(Path::new("ftp://example.org/a.html")), None);
    }

    #[test]
    fn the_header_charset_is_read() {
        assert_eq!(header_charset("text/html; charset=GBK"), Some(encoding_rs::GBK));
        assert_eq!(header_charset("text/html;charset=\"gb2312\""), Some(encoding_rs::GBK));
        assert_eq!(header_charset("text/html"), None);
        assert_eq!(header_charset("text/html; charset=nonsense"), None);
    }
}
