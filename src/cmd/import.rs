//! `gazette import`: scraped pages into articles.

use std::path::PathBuf;
use std::process::ExitCode;

use gazette::BuildError;

use super::report;

/// The switches of `import`.
pub struct ImportFlags {
    pub dry_run: bool,
    pub force: bool,
    pub split: bool,
    pub explain: bool,
    pub simplify: bool,
}

pub fn run(files: Vec<PathBuf>, root: PathBuf, into: Option<PathBuf>, flags: ImportFlags, date: Option<String>) -> ExitCode {
    // The categories come from site.toml when there is one; import works without a site too.
    let categories = match gazette::config::Config::load(&root) {
        Ok(config) => config.categories.into_iter().map(|(name, _)| name).collect(),
        Err(_) if !root.join("site.toml").exists() => Vec::new(),
        Err(errors) => return report(&BuildError::new(errors), &root),
    };
    let opts = gazette::import::ImportOptions {
        files,
        into: into.unwrap_or_else(|| root.join("content")),
        dry_run: flags.dry_run,
        force: flags.force,
        split: flags.split,
        explain: flags.explain,
        date,
        simplify: flags.simplify,
        categories,
    };
    match gazette::import::import(&opts) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
