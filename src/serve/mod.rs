//! `gazette serve [--watch]`: builds the site into a private folder, serves it on a local
//! port, and with `--watch` rebuilds on every change and reloads the open pages.
//!
//! The private folder is `<root>/.gazette/serve-<port>`: never the user's `public/`, never
//! watched (hidden, and outside content/, themes/, static/), one per port so that two
//! servers on one site do not overwrite each other's `base_url`.

mod head;
mod http;
mod mime;
mod reload;
mod resolve;
mod response;
mod server;
mod watch;

use std::fmt;
use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, ToSocketAddrs};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::build::incremental::DEFER_RELATED_AFTER;
use crate::{BuildError, BuildOptions, Diagnostic, LiveSite, Rebuilt};

use self::http::Site;
use self::reload::{Changes, LiveState};
use self::server::Server;
use self::watch::{WatchEvent, Watcher};

pub use self::server::Limits;
pub use self::watch::is_editor_temp;

/// The port tried first when none is given.
pub const DEFAULT_PORT: u16 = 1111;
/// The address bound when none is given: loopback only.
pub const DEFAULT_BIND: &str = "127.0.0.1";
/// How many ports are tried, counting up from the one asked for, when it is taken.
const PORT_ATTEMPTS: u16 = 20;

/// Everything `gazette serve` needs; `build.output` and `build.base_url` are replaced by
/// the private folder and the server's own URL.
pub struct ServeOptions {
    pub build: BuildOptions,
    pub port: u16,
    pub bind: String,
    pub watch: bool,
    pub open: bool,
    /// Related lists that took longer than this are made exact after each rebuild rather
    /// than within it (see [`crate::build::incremental`]).
    pub defer_related_after: Duration,
    /// How many connections, how large a request head and how much idle time a client
    /// gets.
    pub limits: Limits,
}

impl ServeOptions {
    /// The defaults of the command line: port 1111 on 127.0.0.1, no watching.
    pub fn new(build: BuildOptions) -> Self {
        ServeOptions {
            build,
            port: DEFAULT_PORT,
            bind: DEFAULT_BIND.to_string(),
            watch: false,
            open: false,
            defer_related_after: DEFER_RELATED_AFTER,
            limits: Limits::default(),
        }
    }
}

/// Why the server could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The site folder is missing or unreadable.
    Root { path: PathBuf, error: io::Error },
    /// `--bind` does not name an address of this machine.
    Address { bind: String, error: io::Error },
    /// Binding failed for another reason than the port being taken.
    Bind { address: SocketAddr, error: io::Error },
    /// Every port tried was taken.
    NoFreePort { bind: String, first: u16, last: u16 },
    /// The first build failed (without `--watch`; with it, the server starts anyway and
    /// shows the errors in the browser until they are fixed).
    Build(BuildError),
    /// The watcher or the server could not start.
    Start(String),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::Root { path, error } => write!(f, "{}: error: cannot serve this folder: {error}", path.display()),
            ServeError::Address { bind, error } => write!(f, "error: cannot bind to `{bind}`: {error}"),
            ServeError::Bind { address, error } => write!(f, "error: cannot listen on {address}: {error}"),
            ServeError::NoFreePort { bind, first, last } => {
                write!(f, "error: ports {first}–{last} on {bind} are all in use\n  help: choose another with --port")
            }
            ServeError::Build(error) => write!(f, "{error}"),
            ServeError::Start(message) => write!(f, "error: {message}"),
        }
    }
}

impl std::error::Error for ServeError {}

impl From<BuildError> for ServeError {
    fn from(error: BuildError) -> Self {
        ServeError::Build(error)
    }
}

/// A running server. `wait` blocks for as long as it runs; dropping it stops it.
pub struct ServeHandle {
    url: String,
    address: SocketAddr,
    output: PathBuf,
    /// Stopped in `drop` after the live state closes, so open event streams end first.
    server: Option<Server>,
    live: Arc<LiveState>,
    watcher: Option<Watcher>,
}

impl ServeHandle {
    /// The site's URL, e.g. `http://127.0.0.1:1111/` (also its `base_url`).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The private folder the site is built into.
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// How many client connections are open now (each holds one thread).
    pub fn connections(&self) -> usize {
        self.server.as_ref().map_or(0, Server::connections)
    }

    /// Blocks while the server runs (until the process ends).
    pub fn wait(self) {
        loop {
            std::thread::park();
        }
    }
}

impl Drop for ServeHandle {
    fn drop(&mut self) {
        self.watcher.take();
        self.live.close();
        self.server.take();
    }
}

/// Builds, then serves until the process ends.
pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    start(options)?.wait();
    Ok(())
}

/// Builds and starts serving in the background; the returned handle keeps it running.
pub fn start(options: ServeOptions) -> Result<ServeHandle, ServeError> {
    let ServeOptions { mut build, port, bind, watch, open, defer_related_after, limits } = options;
    let root = build.root.canonicalize().map_err(|error| ServeError::Root { path: build.root.clone(), error })?;
    let listener = bind_free_port(&bind, port)?;
    let address = listener.local_addr().map_err(|error| ServeError::Start(format!("no local address: {error}")))?;
    let url = site_url(address);
    let output = private_output(&root, address.port());
    build.output = Some(output.clone());
    build.base_url = Some(url.clone());

    build.root = root.clone();

    let live = Arc::new(LiveState::new());
    // One build at a time: the watcher starts before the first build, so that edits made
    // while it runs are not missed, and waits on this lock until it is done.
    let builder = Arc::new(Builder { root: root.clone(), site: Mutex::new(LiveSite::new(build).defer_related_after(defer_related_after)), settling: AtomicBool::new(false), live: Arc::clone(&live) });
    let watcher = if watch { Some(start_watching(&root, &output, Arc::clone(&builder))?) } else { None };
    first_build(&builder, watch)?;
    let site = Site { output: output.clone(), live: Arc::clone(&live), live_reload: watch };
    let server = Server::start(listener, limits, Arc::new(move |request| http::handle(request, &site)))
        .map_err(|error| ServeError::Start(format!("cannot start the server thread: {error}")))?;

    say(&banner(&root, &output, &url, watch));
    if open {
        open_browser(&url);
    }
    Ok(ServeHandle { url, address, output, server: Some(server), live, watcher })
}

/// The line that says what is served: built from the site folder into the private one,
/// which is what the server reads (never `public/`).
fn banner(root: &Path, output: &Path, url: &str, watch: bool) -> String {
    let built_into = match output.strip_prefix(root) {
        Ok(relative) => relative.display().to_string(),
        Err(_) => output.display().to_string(),
    };
    let watching = if watch { ", watching content/, themes/, static/ and site.toml" } else { "" };
    format!("Serving {} (built into {built_into}/) at {url}{watching} (Ctrl+C to stop)", root.display())
}

/// Binds `bind:port`, or the next free port when it is taken (saying so).
fn bind_free_port(bind: &str, port: u16) -> Result<TcpListener, ServeError> {
    let ip = parse_bind(bind)?;
    if port == 0 {
        // The system picks a free port (useful for tests).
        let address = SocketAddr::new(ip, 0);
        return TcpListener::bind(address).map_err(|error| ServeError::Bind { address, error });
    }
    let last = port.saturating_add(PORT_ATTEMPTS - 1);
    for candidate in port..=last {
        let address = SocketAddr::new(ip, candidate);
        match TcpListener::bind(address) {
            Ok(listener) => return Ok(listener),
            Err(error) if error.kind() == io::ErrorKind::AddrInUse => {
                if candidate < last {
                    say(&format!("Port {candidate} is in use, trying {}", candidate + 1));
                }
            }
            Err(error) => return Err(ServeError::Bind { address, error }),
        }
    }
    Err(ServeError::NoFreePort { bind: bind.to_string(), first: port, last })
}

/// An IP address, or a host name of this machine such as `localhost`.
fn parse_bind(bind: &str) -> Result<IpAddr, ServeError> {
    if let Ok(ip) = bind.parse::<IpAddr>() {
        return Ok(ip);
    }
    let mut addresses = (bind, 0).to_socket_addrs().map_err(|error| ServeError::Address { bind: bind.to_string(), error })?;
    addresses.next().map(|a| a.ip()).ok_or_else(|| ServeError::Address {
        bind: bind.to_string(),
        error: io::Error::new(io::ErrorKind::NotFound, "the name has no address"),
    })
}

/// The URL a browser on this machine uses; `0.0.0.0` and `::` are not addresses one can
/// visit, so those become loopback.
fn site_url(address: SocketAddr) -> String {
    let port = address.port();
    match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("http://127.0.0.1:{port}/"),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("http://[::1]:{port}/"),
        IpAddr::V4(ip) => format!("http://{ip}:{port}/"),
        IpAddr::V6(ip) => format!("http://[{ip}]:{port}/"),
    }
}

fn private_output(root: &Path, port: u16) -> PathBuf {
    let folder = root.join(".gazette");
    // Best effort: keeps the preview build out of git without the user doing anything.
    if std::fs::create_dir_all(&folder).is_ok() && !folder.join(".gitignore").exists() {
        let _ = std::fs::write(folder.join(".gitignore"), "*\n");
    }
    folder.join(format!("serve-{port}"))
}

/// The site being served, rebuilt one change at a time, and the open pages following it.
struct Builder {
    /// The site folder (canonical), which error snippets are read from.
    root: PathBuf,
    site: Mutex<LiveSite>,
    /// Whether a thread is making carried-over related lists exact.
    settling: AtomicBool,
    live: Arc<LiveState>,
}

impl Builder {
    // A build that panicked must not stop the next one: the next rebuild starts over
    // from the files (see `guarded`).
    fn lock(&self) -> MutexGuard<'_, LiveSite> {
        self.site.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Builds after `changed` (empty: everything that changed since the last build) and
    /// tells open pages; a failure keeps the last good site served.
    fn rebuild(self: &Arc<Self>, changed: &[PathBuf]) -> Result<Rebuilt, BuildError> {
        let result = guarded(|| self.lock().rebuild(changed));
        match &result {
            Ok(rebuilt) => {
                self.live.built(&changes(rebuilt));
                if rebuilt.related_pending {
                    self.settle_in_background();
                }
            }
            Err(error) => self.live.failed(error),
        }
        result
    }

    /// Computes exact related lists on a thread of its own, without holding the site, and
    /// renders the pages whose lists changed; edits meanwhile make it start over.
    fn settle_in_background(self: &Arc<Self>) {
        if self.settling.swap(true, Ordering::AcqRel) {
            return; // the running thread picks up the newest job when it is done
        }
        let builder = Arc::clone(self);
        let spawned = std::thread::Builder::new().name("gazette-related".into()).spawn(move || loop {
            loop {
                // Its own statement: the lock must be released before the job runs.
                let job = builder.lock().related_job();
                let Some(job) = job else { break };
                let lists = job.compute();
                let applied = guarded(|| builder.lock().apply_related(lists));
                match applied {
                    Ok(Some(rebuilt)) => {
                        builder.live.built(&changes(&rebuilt));
                        say(&format!("Related lists and search settled: {} in {} ms", rendered_summary(&rebuilt), rebuilt.elapsed.as_millis()));
                    }
                    Ok(None) => {}
                    Err(error) => {
                        builder.live.failed(&error);
                        tell_errors(&error, &builder.root);
                    }
                }
            }
            builder.settling.store(false, Ordering::Release);
            // A rebuild that finished just now saw this thread running and left its job.
            let pending = builder.lock().related_job().is_some();
            if !pending || builder.settling.swap(true, Ordering::AcqRel) {
                return;
            }
        });
        if spawned.is_err() {
            self.settling.store(false, Ordering::Release);
            say("Cannot start a thread for related lists; they are exact after the next full build");
        }
    }
}

/// Which open pages a build changed: all of them when styles, scripts, images or the
/// whole site changed, otherwise the pages written or removed.
fn changes(rebuilt: &Rebuilt) -> Changes {
    // The search index is data of one page: a change to it reloads the search page only.
    let as_page = |f: &String| match f {
        f if f.starts_with("search/") && !f.ends_with(".html") => Some("search/index.html".to_string()),
        f if f.ends_with(".html") || f.ends_with(".xml") || f.ends_with(".txt") => Some(f.clone()),
        _ => None,
    };
    let pages: Option<Vec<String>> = rebuilt.written.iter().chain(&rebuilt.removed).map(as_page).collect();
    match pages {
        Some(mut pages) if !rebuilt.full => {
            pages.sort_unstable();
            pages.dedup();
            Changes::Files(pages)
        }
        _ => Changes::Everything,
    }
}

/// The first build: without `--watch` a failure stops the server from starting; with it
/// the server starts anyway so the browser can show the errors until they are fixed.
fn first_build(builder: &Arc<Builder>, watch: bool) -> Result<(), ServeError> {
    let started = Instant::now();
    match builder.rebuild(&[]) {
        Ok(rebuilt) => {
            say(&format!(
                "Built {} ({} files, {} written) in {} ms",
                count_of(rebuilt.articles, "article", "articles"),
                rebuilt.files,
                rebuilt.written.len(),
                started.elapsed().as_millis()
            ));
            Ok(())
        }
        Err(error) if watch => {
            say(&format!("Build failed in {} ms; serving anyway, fix the errors and the page will reload", started.elapsed().as_millis()));
            tell_errors(&error, &builder.root);
            Ok(())
        }
        Err(error) => Err(ServeError::Build(error)),
    }
}

/// Runs a build with a panic turned into a build error: a preview kept open all day must
/// survive a bug in one build and pick up again with the next change.
fn guarded<T>(build: impl FnOnce() -> Result<T, BuildError>) -> Result<T, BuildError> {
    std::panic::catch_unwind(AssertUnwindSafe(build)).unwrap_or_else(|_| {
        let crashed = Diagnostic {
            file: PathBuf::new(),
            line: None,
            column: None,
            message: "the build crashed (a bug in gazette, reported above); the last good site is still served".into(),
            help: None,
        };
        Err(BuildError { diagnostics: vec![crashed] })
    })
}

/// `3 pages rendered, 5 files written, 1 removed`.
fn rendered_summary(rebuilt: &Rebuilt) -> String {
    let mut text = format!("{} rendered, {} written", count_of(rebuilt.rendered, "page", "pages"), count_of(rebuilt.written.len(), "file", "files"));
    if !rebuilt.removed.is_empty() {
        text.push_str(&format!(", {} removed", rebuilt.removed.len()));
    }
    text
}

fn count_of(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn start_watching(root: &Path, output: &Path, builder: Arc<Builder>) -> Result<Watcher, ServeError> {
    let root_for_lines = root.to_path_buf();
    watch::watch(root, output, move |event| match event {
        WatchEvent::Changed(paths) => rebuild(&builder, &paths, &watch::describe(&root_for_lines, &paths)),
        WatchEvent::Error(message) => say(&format!("Watch error: {message}")),
    })
    .map_err(|error| ServeError::Start(format!("cannot watch {}: {error}", root.display())))
}

/// One rebuild after a change, and its one line in the terminal (errors follow it).
fn rebuild(builder: &Arc<Builder>, paths: &[PathBuf], what_changed: &str) {
    let started = Instant::now();
    match builder.rebuild(paths) {
        Ok(rebuilt) => {
            let pending = if rebuilt.related_pending { "; related lists and search follow" } else { "" };
            say(&format!(
                "Changed {what_changed}: {}, {} read again, in {} ms ({}){pending}",
                rendered_summary(&rebuilt),
                count_of(rebuilt.reloaded, "article", "articles"),
                started.elapsed().as_millis(),
                rebuilt.stages
            ));
        }
        Err(error) => {
            say(&format!(
                "Changed {what_changed}: build FAILED in {} ms ({}), still serving the last good build",
                started.elapsed().as_millis(),
                count_of(error.diagnostics.len(), "error", "errors")
            ));
            tell_errors(&error, &builder.root);
        }
    }
}

/// Opens the site in the default browser; only a note if that is not possible here.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd").args(["/C", "start", "", url]).spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    match command {
        // Reaped on a thread of its own so that no zombie process is left behind.
        Ok(mut child) => drop(std::thread::Builder::new().spawn(move || child.wait())),
        Err(error) => say(&format!("Could not open a browser ({error}); visit {url}")),
    }
}

/// Status lines go to stdout as they happen (a long-running command has no caller to
/// return them to).
fn say(line: &str) {
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Build errors go to stderr with the source line and a caret, as `gazette build` prints them.
fn tell_errors(error: &BuildError, root: &Path) {
    let mut err = io::stderr().lock();
    for line in error.with_sources(root).to_string().lines() {
        let _ = writeln!(err, "  {line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    #[test]
    fn the_url_is_one_a_browser_can_visit() {
        assert_eq!(site_url(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 1111)), "http://127.0.0.1:1111/");
        assert_eq!(site_url(SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 8080)), "http://127.0.0.1:8080/");
        assert_eq!(site_url(SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), 1111)), "http://[::1]:1111/");
    }

    #[test]
    fn a_taken_port_moves_on_to_the_next_free_one() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        if port == u16::MAX {
            return; // nothing above it to move to
        }
        let next = bind_free_port("127.0.0.1", port).unwrap();
        assert!(next.local_addr().unwrap().port() > port);
    }

    #[test]
    fn a_bad_bind_address_is_an_error_that_names_it() {
        let error = bind_free_port("不是地址.invalid", 1111).unwrap_err();
        assert!(error.to_string().contains("不是地址.invalid"), "{error}");
    }

    #[test]
    fn the_banner_says_where_the_site_is_built_and_served_from() {
        let root = Path::new("/home/编辑/川渝科技");
        let line = banner(root, &root.join(".gazette/serve-1111"), "http://127.0.0.1:1111/", false);
        assert_eq!(line, "Serving /home/编辑/川渝科技 (built into .gazette/serve-1111/) at http://127.0.0.1:1111/ (Ctrl+C to stop)");
    }

    #[test]
    fn the_private_output_is_hidden_per_port_and_ignored_by_git() {
        let dir = tempfile::tempdir().unwrap();
        let output = private_output(dir.path(), 1111);
        assert_eq!(output, dir.path().join(".gazette/serve-1111"));
        assert_eq!(std::fs::read_to_string(dir.path().join(".gazette/.gitignore")).unwrap(), "*\n");
    }
}
