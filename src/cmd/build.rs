//! `gazette build`: the site into its output folder.

use std::path::PathBuf;
use std::process::ExitCode;

use gazette::diagnostics::{json, warnings_with_sources};
use gazette::BuildOptions;

use super::{guarded, print_json, report, Format, SiteArgs};

/// How `build` publishes, beyond the site arguments.
#[derive(clap::Args)]
pub struct PublishArgs {
    /// Also write FILE.gz and FILE.br beside every text file, for servers that send
    /// precompressed files (nginx gzip_static, Caddy precompressed); wins over site.toml's
    /// `[build] compress`.
    #[arg(long, overrides_with = "no_compress")]
    pub compress: bool,
    /// Write no .gz and .br files even if site.toml's `[build] compress` is true.
    #[arg(long, overrides_with = "compress")]
    pub no_compress: bool,
}

impl PublishArgs {
    /// `Some` when a flag was given (the last one wins).
    fn compress(&self) -> Option<bool> {
        match (self.compress, self.no_compress) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }
}

pub fn run(site: SiteArgs, output: Option<PathBuf>, base_url: Option<String>, publish: PublishArgs, format: Format) -> ExitCode {
    let opts = BuildOptions { root: site.root, output, base_url, drafts: site.drafts, future: site.future, compress: publish.compress(), ..Default::default() };
    match (guarded(format, || gazette::build(&opts)), format) {
        (Ok(r), Format::Human) => {
            if !r.warnings.is_empty() {
                eprintln!("{}", warnings_with_sources(&r.warnings, &opts.root));
            }
            let compressed = if r.compress { format!(", {} compressed", r.compressed) } else { String::new() };
            println!(
                "built {} articles into {}: {} files, {:.1} MB ({} written, {} unchanged, {} removed{compressed}) in {} ms ({})",
                r.articles,
                r.output.display(),
                r.files,
                r.bytes as f64 / 1e6,
                r.written,
                r.files - r.written,
                r.removed,
                r.elapsed.as_millis(),
                r.stages
            );
            ExitCode::SUCCESS
        }
        (Ok(r), Format::Json) => print_json(&json::built(&r, &opts.root), ExitCode::SUCCESS),
        (Err(err), Format::Human) => report(&err, &opts.root),
        (Err(err), Format::Json) => print_json(&json::failure("build", &err, &opts.root), ExitCode::FAILURE),
    }
}
