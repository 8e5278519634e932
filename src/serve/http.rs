//! Answers one HTTP request of the preview server: files of the built site (with the
//! live-reload script in HTML when watching), folder redirects, 404s, and the event stream.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::head::Head;
use super::mime::{content_type, is_html};
use super::reload::{self, LiveState, EVENTS_PATH, FALLBACK_404, KEEPALIVE_EVENT};
use super::resolve::{query_value, resolve, Resolved};
use super::response::{Body, Response};
use super::server::Answer;

/// How often an idle event stream sends a comment, so closed tabs free their thread.
const KEEPALIVE_EVERY: Duration = Duration::from_secs(15);

/// What every request handler needs to know about the site being served.
#[derive(Debug)]
pub struct Site {
    /// The private output folder that builds are swapped into.
    pub output: PathBuf,
    pub live: Arc<LiveState>,
    /// Inject the script and serve the event stream (only with `--watch`).
    pub live_reload: bool,
}

/// The answer to `request`.
pub fn handle(request: &Head, site: &Site) -> Answer {
    let method = request.method.as_str();
    if method != "GET" && method != "HEAD" {
        return Answer::Response(text_response(405, "only GET and HEAD are supported\n").with_header("Allow", "GET, HEAD"));
    }
    let target = request.target.as_str();
    if site.live_reload && method == "GET" && request_path(target) == EVENTS_PATH {
        let page = query_value(target, "page").unwrap_or_default();
        return event_stream(Arc::clone(&site.live), page);
    }
    Answer::Response(match resolve(&site.output, target) {
        Resolved::File(path) => serve_file(&path, 200, site),
        Resolved::AddSlash(location) => text_response(302, "moved to the folder URL\n").with_header("Location", &location),
        Resolved::NotFound => serve_not_found(site),
        Resolved::BadRequest(reason) => text_response(400, &format!("bad request: {reason}\n")),
        Resolved::Forbidden(reason) => text_response(403, &format!("forbidden: {reason}\n")),
    })
}

/// The file's path relative to the output folder, as builds name what they changed.
fn page_key(output: &Path, file: &Path) -> String {
    let output = fs::canonicalize(output).unwrap_or_else(|_| output.to_path_buf());
    let relative = file.strip_prefix(&output).unwrap_or(file);
    relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// The request target without its query or fragment.
fn request_path(target: &str) -> &str {
    target.split(['?', '#']).next().unwrap_or_default()
}

/// Serves a file; HTML gets the live-reload script when watching. A 404 page stands for
/// a page that is not there yet, so it follows every build.
fn serve_file(path: &Path, status: u16, site: &Site) -> Response {
    let kind = content_type(path);
    if site.live_reload && is_html(kind) {
        let page = if status == 404 { String::new() } else { page_key(&site.output, path) };
        // Taken before the file is read: if a build lands meanwhile, the page is marked as
        // older than it may be and reloads once more, never the other way round.
        let page_site = site.live.page_site(&page);
        return match fs::read(path) {
            Ok(html) => html_response(status, reload::inject_script(&html, &page_site, &page)),
            // Gone between resolving and reading: a rebuild is swapping folders.
            Err(_) => text_response(404, "not found\n"),
        };
    }
    match File::open(path) {
        Ok(file) => common_headers(Response::new(status, Body::File(file)), kind),
        Err(_) => text_response(404, "not found\n"),
    }
}

/// The site's own `404.html` with status 404, or a built-in page when it has none.
fn serve_not_found(site: &Site) -> Response {
    if let Resolved::File(page) = resolve(&site.output, "/404.html") {
        return serve_file(&page, 404, site);
    }
    if site.live_reload {
        html_response(404, reload::inject_script(FALLBACK_404.as_bytes(), &site.live.page_site(""), ""))
    } else {
        html_response(404, FALLBACK_404.as_bytes().to_vec())
    }
}

fn html_response(status: u16, html: Vec<u8>) -> Response {
    common_headers(Response::new(status, Body::Bytes(html)), "text/html; charset=utf-8")
}

fn text_response(status: u16, text: &str) -> Response {
    common_headers(Response::new(status, Body::Bytes(text.as_bytes().to_vec())), "text/plain; charset=utf-8")
}

/// Content type, and no caching: a preview must always show the latest build.
fn common_headers(response: Response, kind: &str) -> Response {
    response.with_header("Content-Type", kind).with_header("Cache-Control", "no-store").with_header("X-Content-Type-Options", "nosniff")
}

/// Server-sent events: the current state at once, then every change, until the client
/// leaves or the server stops. The body is unframed and ends when the connection closes
/// (plain HTTP/1.1, which EventSource reads as it arrives).
fn event_stream(live: Arc<LiveState>, page: String) -> Answer {
    let head = Response::new(200, Body::Bytes(Vec::new()))
        .with_header("Content-Type", "text/event-stream; charset=utf-8")
        .with_header("Cache-Control", "no-store");
    Answer::Stream(head, Box::new(move |stream: &mut dyn Write| stream_events(stream, &live, &page)))
}

fn stream_events(stream: &mut dyn Write, live: &LiveState, page: &str) {
    let mut seen = live.snapshot(page);
    // `retry` makes a tab reconnect quickly after the server restarts.
    let first = format!("retry: 1000\n\n{}", reload::state_event(&seen));
    if send(stream, &first).is_err() {
        return;
    }
    loop {
        let next = live.wait_newer(seen.version, KEEPALIVE_EVERY, page);
        if next.closed {
            return;
        }
        let message = if next.version == seen.version { KEEPALIVE_EVENT.to_string() } else { reload::state_event(&next) };
        if send(stream, &message).is_err() {
            return;
        }
        seen = next;
    }
}

fn send(stream: &mut dyn Write, message: &str) -> std::io::Result<()> {
    stream.write_all(message.as_bytes())?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_path_drops_query_and_fragment() {
        assert_eq!(request_path("/__gazette/events?t=1"), EVENTS_PATH);
        assert_eq!(request_path("/新闻/#顶部"), "/新闻/");
        assert_eq!(request_path("/臺灣"), "/臺灣");
    }
}
