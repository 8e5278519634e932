//! Carries out a [`Plan`]: uploads with a bounded number in flight, all assets before
//! any page, deletions last (in batches). The first failure stops the deploy (what was
//! sent stays sent; the next run sends the rest). A progress line on stderr when it is
//! a terminal.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use super::backend::Backend;
use super::local::LocalFile;
use super::plan::Plan;
use crate::diagnostics::Diagnostic;

/// Keys per delete request (S3's DeleteObjects takes at most 1,000).
const DELETE_BATCH: usize = 1000;

/// What was done.
#[derive(Debug, Default, Clone, Copy)]
pub struct Done {
    pub uploaded: usize,
    pub bytes: u64,
    pub deleted: usize,
}

pub async fn run(backend: &Backend, plan: Plan) -> Result<Done, Diagnostic> {
    let progress = Arc::new(Progress::new(plan.uploads(), plan.upload_bytes()));
    for wave in [plan.assets, plan.pages] {
        upload_all(backend, wave, &progress).await?;
    }
    progress.finish();
    let mut deleted = 0;
    for batch in plan.delete.chunks(DELETE_BATCH) {
        backend.delete(batch.to_vec()).await?;
        deleted += batch.len();
    }
    Ok(Done { uploaded: progress.files.load(Ordering::Relaxed), bytes: progress.bytes.load(Ordering::Relaxed), deleted })
}

/// Uploads `files`, at most `backend.concurrency()` at a time; returns when all are sent.
async fn upload_all(backend: &Backend, files: Vec<LocalFile>, progress: &Arc<Progress>) -> Result<(), Diagnostic> {
    let mut running = JoinSet::new();
    let mut files = files.into_iter();
    loop {
        while running.len() < backend.concurrency() {
            let Some(file) = files.next() else { break };
            let (backend, progress) = (backend.clone(), progress.clone());
            running.spawn(async move {
                let f = file.clone();
                let bytes = tokio::task::spawn_blocking(move || f.bytes())
                    .await
                    .map_err(|e| Diagnostic::general(e.to_string()))?
                    .map_err(|e| Diagnostic::general(format!("cannot read {}: {e}", file.rel)).help("the output folder changed during the deploy: build again, then deploy"))?;
                let size = bytes.len() as u64;
                backend.put(&file, bytes).await?;
                progress.sent(size);
                Ok::<(), Diagnostic>(())
            });
        }
        match running.join_next().await {
            None => return Ok(()),
            Some(Ok(Ok(()))) => {}
            Some(Ok(Err(e))) => return Err(e),
            Some(Err(e)) => return Err(Diagnostic::general(format!("an upload task failed: {e}"))),
        }
    }
}

/// Counts, and the progress line.
struct Progress {
    files: AtomicUsize,
    bytes: AtomicU64,
    total_files: usize,
    total_bytes: u64,
    /// Draw the line at all (stderr is a terminal and there is enough to send).
    shown: bool,
    started: Instant,
    /// Milliseconds since `started` of the last line drawn.
    drawn: AtomicU64,
    /// Test hook: stop the process (as a kill would) after this many uploads.
    stop_after: Option<usize>,
}

impl Progress {
    fn new(total_files: usize, total_bytes: u64) -> Progress {
        Progress {
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            total_files,
            total_bytes,
            shown: total_files >= 50 && std::io::stderr().is_terminal(),
            started: Instant::now(),
            drawn: AtomicU64::new(0),
            stop_after: std::env::var("GAZETTE_DEPLOY_STOP_AFTER").ok().and_then(|v| v.parse().ok()),
        }
    }

    fn sent(&self, size: u64) {
        let files = self.files.fetch_add(1, Ordering::Relaxed) + 1;
        let bytes = self.bytes.fetch_add(size, Ordering::Relaxed) + size;
        if self.stop_after.is_some_and(|n| files >= n) {
            eprintln!("GAZETTE_DEPLOY_STOP_AFTER: stopping after {files} uploads");
            std::process::exit(9);
        }
        if !self.shown {
            return;
        }
        let now = self.started.elapsed().as_millis() as u64;
        let last = self.drawn.load(Ordering::Relaxed);
        // the first file at once (the line shows the deploy has started), then at most
        // five lines a second, and the last file
        if (files == 1 || now >= last + 200 || files == self.total_files) && self.drawn.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok() {
            let secs = Duration::from_millis(now).as_secs_f64().max(0.001);
            eprint!(
                "\r  uploaded {files}/{} files, {:.1}/{:.1} MB ({:.1} MB/s)   ",
                self.total_files,
                bytes as f64 / 1e6,
                self.total_bytes as f64 / 1e6,
                bytes as f64 / 1e6 / secs
            );
            let _ = std::io::stderr().flush();
        }
    }

    fn finish(&self) {
        if self.shown {
            eprintln!();
        }
    }
}
