//! Live reload: the build state that open pages follow, the script the server injects into
//! HTML responses (never into build output), and the server-sent events that carry each
//! rebuild — or its errors, for the in-page overlay — to those pages.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::BuildError;

/// The URL path of the event stream the injected script listens to.
pub const EVENTS_PATH: &str = "/__gazette/events";

/// One build error as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorEntry {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

/// What open pages need to know: which site build is current and whether the last build
/// failed. `version` changes on every event, so waiters can tell news from a timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub version: u64,
    pub site: String,
    pub errors: Vec<ErrorEntry>,
    pub closed: bool,
}

#[derive(Debug)]
struct State {
    version: u64,
    generation: u64,
    /// Every page changed in the build of this generation (first build, templates,
    /// site.toml, static files).
    floor: u64,
    /// Per output file (relative to the output folder), the generation that last wrote or
    /// removed it.
    changed_at: HashMap<String, u64>,
    errors: Vec<ErrorEntry>,
    closed: bool,
}

/// What a successful build changed, for deciding which open pages reload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changes {
    /// Anything may look different (styles, templates, configuration).
    Everything,
    /// Only these output files, relative to the output folder.
    Files(Vec<String>),
}

/// Shared between the rebuild loop (writer) and every event stream (readers).
#[derive(Debug)]
pub struct LiveState {
    state: Mutex<State>,
    changed: Condvar,
    /// Unique per server run, so a page from an earlier run reloads after a restart.
    session: String,
}

impl Default for LiveState {
    fn default() -> Self {
        Self::new()
    }
}

impl LiveState {
    pub fn new() -> Self {
        let millis = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or_default();
        LiveState {
            state: Mutex::new(State { version: 0, generation: 0, floor: 0, changed_at: HashMap::new(), errors: Vec::new(), closed: false }),
            changed: Condvar::new(),
            session: format!("{millis:x}{:x}", std::process::id()),
        }
    }

    /// A build succeeded: a new site is current and any error overlay goes away. Open
    /// pages reload when `changes` includes them.
    pub fn built(&self, changes: &Changes) {
        self.update(|state| {
            state.generation += 1;
            let generation = state.generation;
            match changes {
                Changes::Everything => state.floor = generation,
                Changes::Files(files) => {
                    for file in files {
                        state.changed_at.insert(file.clone(), generation);
                    }
                }
            }
            state.errors.clear();
        });
    }

    /// The build a page belongs to: the last one that changed its file. An empty `page`
    /// (a page that does not exist yet) belongs to the latest build.
    pub fn page_site(&self, page: &str) -> String {
        let state = self.lock();
        self.page_site_of(&state, page)
    }

    fn page_site_of(&self, state: &State, page: &str) -> String {
        let generation = if page.is_empty() {
            state.generation
        } else {
            state.changed_at.get(page).copied().unwrap_or(0).max(state.floor)
        };
        format!("{}-{generation}", self.session)
    }

    /// A build failed: the last good site stays current, and pages show these errors.
    pub fn failed(&self, error: &BuildError) {
        let entries = error_entries(error);
        self.update(|state| state.errors = entries);
    }

    /// The server is stopping: event streams end.
    pub fn close(&self) {
        self.update(|state| state.closed = true);
    }

    /// The state as the page `page` sees it (see [`LiveState::page_site`]).
    pub fn snapshot(&self, page: &str) -> Snapshot {
        let state = self.lock();
        self.snapshot_of(&state, page)
    }

    /// Waits until something newer than `seen_version` happens, or `timeout` passes.
    pub fn wait_newer(&self, seen_version: u64, timeout: Duration, page: &str) -> Snapshot {
        let state = self.lock();
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |s| s.version <= seen_version && !s.closed)
            .unwrap_or_else(PoisonError::into_inner);
        self.snapshot_of(&state, page)
    }

    fn update(&self, change: impl FnOnce(&mut State)) {
        let mut state = self.lock();
        change(&mut state);
        state.version += 1;
        drop(state);
        self.changed.notify_all();
    }

    // A panic elsewhere must not take live reload down with it: the state stays usable.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn snapshot_of(&self, state: &State, page: &str) -> Snapshot {
        Snapshot {
            version: state.version,
            site: self.page_site_of(state, page),
            errors: state.errors.clone(),
            closed: state.closed,
        }
    }
}

fn error_entries(error: &BuildError) -> Vec<ErrorEntry> {
    error
        .diagnostics
        .iter()
        .map(|d| ErrorEntry {
            file: d.file.display().to_string(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            help: d.help.clone(),
        })
        .collect()
}

/// One server-sent event carrying `snapshot`, as a single `data:` line of JSON (JSON
/// escapes newlines, so a message can never break the event framing).
pub fn state_event(snapshot: &Snapshot) -> String {
    let errors: Vec<serde_json::Value> = snapshot
        .errors
        .iter()
        .map(|e| {
            serde_json::json!({
                "file": e.file, "line": e.line, "column": e.column, "message": e.message, "help": e.help,
            })
        })
        .collect();
    let data = serde_json::json!({ "site": snapshot.site, "errors": errors });
    format!("event: state\ndata: {data}\n\n")
}

/// A comment line that keeps the stream alive and finds closed connections.
pub const KEEPALIVE_EVENT: &str = ": keep-alive\n\n";

/// Inserts the live-reload script before the last `</body>` (or at the end when there is
/// none), for the page `page` (its output file, or empty for a miss) of the build `site`.
pub fn inject_script(html: &[u8], site: &str, page: &str) -> Vec<u8> {
    let script = live_script(site, page);
    let at = find_last_ignore_case(html, b"</body>").unwrap_or(html.len());
    let (before, after) = html.split_at(at);
    [before, script.as_bytes(), after].concat()
}

fn find_last_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// The injected script. Error text reaches the page only through `textContent`, so a
/// message such as `<script>` in a title shows as text and never runs.
fn live_script(site: &str, page: &str) -> String {
    // JSON quoting makes both safe inside the script (`<` included, see `script_string`).
    let script = LIVE_JS.replace("\"__SITE__\"", &script_string(site)).replace("\"__PAGE__\"", &script_string(page));
    format!("<script data-gazette-live>\n{script}</script>\n")
}

/// A JSON string that cannot end the script element it sits in.
fn script_string(text: &str) -> String {
    serde_json::Value::from(text).to_string().replace('<', "\\u003c")
}

const LIVE_JS: &str = r#"(function () {
  var site = "__SITE__";
  var page = "__PAGE__";
  if (!window.EventSource) return;
  var overlay = null;
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  function line(parent, tag, text, style) {
    var el = document.createElement(tag);
    el.textContent = text;
    if (style) el.setAttribute("style", style);
    parent.appendChild(el);
  }
  function show(errors) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "gazette-error-overlay";
    overlay.setAttribute("style", "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(24,24,27,.95);color:#f4f4f5;padding:2em;font:15px/1.6 system-ui,sans-serif");
    line(overlay, "h2", "构建失败 · Build failed", "color:#f87171;margin-top:0");
    errors.forEach(function (e) {
      var where = e.file + (e.line ? ":" + e.line + (e.column ? ":" + e.column : "") : "");
      var text = (where ? where + "\n" : "") + e.message + (e.help ? "\nhelp: " + e.help : "");
      line(overlay, "pre", text, "white-space:pre-wrap;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;" +
        "background:#27272a;padding:1em;border-left:4px solid #f87171");
    });
    line(overlay, "p", "显示的是上次成功构建的页面；修复后自动刷新。 The last good build is shown; this page reloads once the site builds again.", "color:#a1a1aa");
    (document.body || document.documentElement).appendChild(overlay);
  }
  // The server tells this page which build it belongs to: it reloads only when a build
  // changed its own file (or anything, for styles and templates).
  var events = new EventSource("/__gazette/events?page=" + encodeURIComponent(page));
  events.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (state.errors.length) { show(state.errors); return; }
    hide();
    if (state.site !== site) { events.close(); location.reload(); }
  });
})();
"#;

/// The page served for a miss when the site has no `404.html` (or no build yet).
pub const FALLBACK_404: &str = "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<title>404 · 页面不存在</title></head>\n<body><h1>404</h1><p>页面不存在 · Not found</p></body></html>\n";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Diagnostic;

    fn broken() -> BuildError {
        let d = Diagnostic {
            file: "content/四川/广元.md".into(),
            line: Some(3),
            column: Some(8),
            message: "标题含有 <script>alert(1)</script>\n第二行".into(),
            help: Some("檢查 YAML 縮排".into()),
        };
        BuildError { diagnostics: vec![d] }
    }

    #[test]
    fn injects_before_the_last_body_end_tag_in_any_case() {
        let page = "<html><body><p>&lt;/body&gt; 四川</p>\n</BODY></html>".as_bytes();
        let out = String::from_utf8(inject_script(page, "a-1", "2024/03/四川/index.html")).unwrap();
        let script_at = out.find("<script data-gazette-live>").unwrap();
        assert!(script_at > out.find("四川").unwrap());
        assert!(out.ends_with("</script>\n</BODY></html>"), "{out}");
        assert!(out.contains("var site = \"a-1\";"));
        assert!(out.contains("var page = \"2024/03/四川/index.html\";"));
    }

    #[test]
    fn appends_when_there_is_no_body_end_tag() {
        let out = String::from_utf8(inject_script("<p>臺灣科技</p>".as_bytes(), "b-2", "")).unwrap();
        assert!(out.starts_with("<p>臺灣科技</p><script data-gazette-live>"));
    }

    #[test]
    fn build_success_changes_the_site_and_clears_errors() {
        let live = LiveState::new();
        let first = live.snapshot("");
        live.failed(&broken());
        let failed = live.snapshot("");
        assert_eq!(failed.site, first.site, "a failed build keeps the last good site");
        assert_eq!(failed.errors.len(), 1);
        assert_eq!(failed.errors[0].file, "content/四川/广元.md");
        live.built(&Changes::Everything);
        let fixed = live.snapshot("");
        assert_ne!(fixed.site, first.site);
        assert!(fixed.errors.is_empty());
        assert!(fixed.version > failed.version && failed.version > first.version);
    }

    #[test]
    fn a_page_belongs_to_the_last_build_that_changed_it() {
        let live = LiveState::new();
        live.built(&Changes::Everything);
        let (article, list) = ("2024/03/旺苍/index.html", "index.html");
        let served = (live.page_site(article), live.page_site(list));
        live.built(&Changes::Files(vec![article.to_string(), "feed.xml".to_string()]));
        assert_ne!(live.page_site(article), served.0, "the edited article reloads");
        assert_eq!(live.page_site(list), served.1, "an untouched page stays");
        assert_eq!(live.snapshot(list).site, served.1);
        assert_ne!(live.page_site(""), served.1, "a missing page follows every build");
        live.built(&Changes::Everything);
        assert_ne!(live.page_site(list), served.1, "a style change reloads every page");
    }

    #[test]
    fn page_names_cannot_end_the_script() {
        let out = String::from_utf8(inject_script(b"<body></body>", "c-3", "</script><script>alert(1)//index.html")).unwrap();
        assert_eq!(out.matches("</script>").count(), 1, "{out}");
    }

    #[test]
    fn waiting_returns_on_news_and_on_timeout() {
        let live = std::sync::Arc::new(LiveState::new());
        let seen = live.snapshot("").version;
        let timed_out = live.wait_newer(seen, Duration::from_millis(10), "");
        assert_eq!(timed_out.version, seen);
        let writer = std::sync::Arc::clone(&live);
        let thread = std::thread::spawn(move || writer.built(&Changes::Everything));
        let news = live.wait_newer(seen, Duration::from_secs(10), "");
        assert!(news.version > seen);
        thread.join().unwrap();
    }

    #[test]
    fn the_event_is_one_json_line_with_errors_escaped() {
        let live = LiveState::new();
        live.failed(&broken());
        let event = state_event(&live.snapshot(""));
        assert!(event.starts_with("event: state\ndata: {"));
        assert!(event.ends_with("}\n\n"));
        assert_eq!(event.trim_end().lines().count(), 2, "the message's newline must not split the event: {event}");
        let json: serde_json::Value = serde_json::from_str(event.lines().nth(1).unwrap().trim_start_matches("data: ")).unwrap();
        assert_eq!(json["errors"][0]["line"], 3);
        assert_eq!(json["errors"][0]["message"], "标题含有 <script>alert(1)</script>\n第二行");
        assert_eq!(json["errors"][0]["help"], "檢查 YAML 縮排");
    }

    #[test]
    fn the_script_renders_errors_as_text_only() {
        assert!(LIVE_JS.contains("textContent"));
        assert!(!LIVE_JS.contains("innerHTML"));
        assert!(LIVE_JS.contains(EVENTS_PATH));
    }
}
