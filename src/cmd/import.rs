//! `gazette import`: scraped pages (files, folders, web addresses) into articles.

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
    /// `--timeout SECONDS` for pages fetched from a web address.
    pub timeout: u64,
}

pub fn run(files: Vec<PathBuf>, root: PathBuf, into: Option<PathBuf>, flags: ImportFlags, date: Option<String>, category: Option<String>) -> ExitCode {
    // The categories come from site.toml when there is one; import works without a site too.
    let categories: Vec<String> = match gazette::config::Config::load(&root) {
        Ok(config) => config.categories.into_iter().map(|(name, _)| name).collect(),
        Err(_) if !root.join("site.toml").exists() => Vec::new(),
        Err(errors) => return report(&BuildError::new(errors), &root),
    };
    if let Some(name) = category.as_deref().filter(|name| !categories.is_empty() && !categories.iter().any(|c| c == name)) {
        eprintln!("error: --category '{name}' is not a category of {}: use one of {}", root.join("site.toml").display(), categories.join("、"));
        return ExitCode::FAILURE;
    }
    let opts = gazette::import::ImportOptions {
        files: expand_folders(files),
        into: into.unwrap_or_else(|| root.join("content")),
        dry_run: flags.dry_run,
        force: flags.force,
        split: flags.split,
        explain: flags.explain,
        date,
        simplify: flags.simplify,
        categories,
        category,
        fetch: gazette::import::fetch::FetchOptions { timeout: std::time::Duration::from_secs(flags.timeout), ..Default::default() },
    };
    match gazette::import::import(&opts) {
        Ok(report) => {
            print!("{report}");
            for refused in &report.refused {
                eprintln!("error: {refused}");
            }
            // A batch writes every good page; the exit status still tells a script
            // that some pages were refused.
            if report.refused.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// A folder stands for the pages in it (and its subfolders): `.html`, `.htm`, `.shtml`
/// and `.txt` files, in name order. Files and web addresses named on the command line are
/// taken as they are.
fn expand_folders(inputs: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for input in inputs {
        if !input.is_dir() {
            files.push(input);
            continue;
        }
        let mut found: Vec<PathBuf> = walkdir::WalkDir::new(&input)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .filter(|p| p.extension().and_then(|x| x.to_str()).is_some_and(|x| ["html", "htm", "shtml", "txt"].contains(&x.to_ascii_lowercase().as_str())))
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}
