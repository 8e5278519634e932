//! `gazette build`: the site into its output folder.

use std::path::PathBuf;
use std::process::ExitCode;

use gazette::diagnostics::{json, warnings_with_sources};
use gazette::BuildOptions;

use super::{guarded, print_json, report, Format, SiteArgs};

pub fn run(site: SiteArgs, output: Option<PathBuf>, base_url: Option<String>, format: Format) -> ExitCode {
    let opts = BuildOptions { root: site.root, output, base_url, drafts: site.drafts, future: site.future };
    match (guarded(format, || gazette::build(&opts)), format) {
        (Ok(r), Format::Human) => {
            if !r.warnings.is_empty() {
                eprintln!("{}", warnings_with_sources(&r.warnings, &opts.root));
            }
            println!(
                "built {} articles into {}: {} files, {:.1} MB ({} written, {} unchanged, {} removed) in {} ms ({})",
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
