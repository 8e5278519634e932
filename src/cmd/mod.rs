//! One file per command: each parses nothing itself (clap did), calls the library and
//! reports the outcome. What they share: the site arguments, the output format, and how
//! errors are printed.

pub mod build;
pub mod check;
pub mod deploy;
pub mod import;
pub mod new;
pub mod serve;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;

use gazette::BuildError;

#[derive(clap::Args)]
pub struct SiteArgs {
    /// The site folder (holding site.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include articles dated in the future.
    #[arg(long)]
    pub future: bool,
}

/// How `build` and `check` report their outcome.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people: errors on stderr with the source line and a caret.
    Human,
    /// One JSON document on stdout, for editors and CI (see docs/errors.md).
    Json,
}

/// With `--format json`, a panic (a bug in gazette) still ends in one JSON document, so
/// that an editor's tool always has something to parse; people get Rust's usual message.
fn guarded<T>(format: Format, run: impl FnOnce() -> Result<T, BuildError>) -> Result<T, BuildError> {
    if format == Format::Human {
        return run();
    }
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|_| {
        Err(BuildError::one(gazette::Diagnostic::general("gazette crashed (a bug: the message is on stderr); the previous output is untouched")))
    })
}

/// Errors for people, on stderr, with the source lines of files under the site `root`.
fn report(err: &BuildError, root: &Path) -> ExitCode {
    eprintln!("{}", err.with_sources(root));
    ExitCode::FAILURE
}

/// One JSON document on stdout (pretty: tools parse it either way, people read it).
fn print_json(doc: &serde_json::Value, status: ExitCode) -> ExitCode {
    match serde_json::to_string_pretty(doc) {
        Ok(text) => {
            println!("{text}");
            status
        }
        Err(e) => {
            eprintln!("error: cannot write the JSON report: {e}");
            ExitCode::FAILURE
        }
    }
}
