//! Answers one HTTP request of the preview server: files of the built site (with the
//! live-reload script in HTML when watching), folder redirects, 404s, and the event stream.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::mime::{content_type, is_html};
use super::reload::{self, LiveState, EVENTS_PATH, FALLBACK_404, KEEPALIVE_EVENT};
use super::resolve::{query_value, resolve, Resolved};

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

/// Answers `request`; errors writing the answer only mean the client went away.
pub fn handle(request: Request, site: &Site) {
    let method = request.method().clone();
    if method != Method::Get && method != Method::Head {
        let response = text_response(405, "only GET and HEAD are supported\n");
        respond(request, with_header(response, "Allow", "GET, HEAD"));
        return;
    }
    if site.live_reload && method == Method::Get && request_path(request.url()) == EVENTS_PATH {
        let page = query_value(request.url(), "page").unwrap_or_default();
        stream_events(request, &site.live, &page);
        return;
    }
    match resolve(&site.output, request.url()) {
        Resolved::File(path) => serve_file(request, &path, 200, site),
        Resolved::AddSlash(location) => {
            let response = text_response(302, "moved to the folder URL\n");
            respond(request, with_header(response, "Location", &location));
        }
        Resolved::NotFound => serve_not_found(request, site),
        Resolved::BadRequest(reason) => respond(request, text_response(400, &format!("bad request: {reason}\n"))),
        Resolved::Forbidden(reason) => respond(request, text_response(403, &format!("forbidden: {reason}\n"))),
    }
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
fn serve_file(request: Request, path: &Path, status: u16, site: &Site) {
    let kind = content_type(path);
    if site.live_reload && is_html(kind) {
        let page = if status == 404 { String::new() } else { page_key(&site.output, path) };
        // Taken before the file is read: if a build lands meanwhile, the page is marked as
        // older than it may be and reloads once more, never the other way round.
        let page_site = site.live.page_site(&page);
        match fs::read(path) {
            Ok(html) => respond_html(request, status, &reload::inject_script(&html, &page_site, &page)),
            // Gone between resolving and reading: a rebuild is swapping folders.
            Err(_) => respond(request, text_response(404, "not found\n")),
        }
        return;
    }
    match File::open(path) {
        Ok(file) => {
            let response = Response::from_file(file).with_status_code(status);
            respond(request, common_headers(response, kind));
        }
        Err(_) => respond(request, text_response(404, "not found\n")),
    }
}

/// The site's own `404.html` with status 404, or a built-in page when it has none.
fn serve_not_found(request: Request, site: &Site) {
    if let Resolved::File(page) = resolve(&site.output, "/404.html") {
        serve_file(request, &page, 404, site);
        return;
    }
    if site.live_reload {
        respond_html(request, 404, &reload::inject_script(FALLBACK_404.as_bytes(), &site.live.page_site(""), ""));
    } else {
        respond_html(request, 404, FALLBACK_404.as_bytes());
    }
}

fn respond_html(request: Request, status: u16, html: &[u8]) {
    let response = Response::from_data(html.to_vec()).with_status_code(status);
    respond(request, common_headers(response, "text/html; charset=utf-8"));
}

fn text_response(status: u16, text: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let response = Response::from_data(text.as_bytes().to_vec()).with_status_code(status);
    common_headers(response, "text/plain; charset=utf-8")
}

/// Content type, and no caching: a preview must always show the latest build.
fn common_headers<R: Read>(response: Response<R>, kind: &str) -> Response<R> {
    let response = with_header(response, "Content-Type", kind);
    let response = with_header(response, "Cache-Control", "no-store");
    with_header(response, "X-Content-Type-Options", "nosniff")
}

fn with_header<R: Read>(mut response: Response<R>, name: &str, value: &str) -> Response<R> {
    // Values are built here from ASCII (paths are percent-encoded), so this cannot fail;
    // if it ever did, the header is left out rather than the request dropped.
    if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        response.add_header(header);
    }
    response
}

fn respond<R: Read>(request: Request, response: Response<R>) {
    // An error here means the client hung up; there is no one left to tell.
    let _ = request.respond(response);
}

/// Server-sent events: the current state at once, then every change, until the client
/// leaves or the server stops.
///
/// tiny_http buffers chunked bodies, so the stream takes over the raw connection (its
/// `upgrade`) and writes an unframed body that ends when the connection closes — plain
/// HTTP/1.1, which EventSource reads as it arrives.
fn stream_events(request: Request, live: &LiveState, page: &str) {
    let head = with_header(Response::empty(StatusCode(200)), "Content-Type", "text/event-stream; charset=utf-8");
    let head = with_header(head, "Cache-Control", "no-store");
    let mut stream = request.upgrade("gazette-events", head);
    let mut seen = live.snapshot(page);
    // `retry` makes a tab reconnect quickly after the server restarts.
    let first = format!("retry: 1000\n\n{}", reload::state_event(&seen));
    if send(&mut stream, &first).is_err() {
        return;
    }
    loop {
        let next = live.wait_newer(seen.version, KEEPALIVE_EVERY, page);
        if next.closed {
            return;
        }
        let message = if next.version == seen.version { KEEPALIVE_EVENT.to_string() } else { reload::state_event(&next) };
        if send(&mut stream, &message).is_err() {
            return;
        }
        seen = next;
    }
}

fn send(stream: &mut impl Write, message: &str) -> std::io::Result<()> {
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
