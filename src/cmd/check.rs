//! `gazette check`: everything a build validates, plus internal links, writing nothing.

use std::process::ExitCode;

use gazette::diagnostics::{json, warnings_with_sources};
use gazette::BuildOptions;

use super::{guarded, print_json, report, Format, SiteArgs};

pub fn run(site: SiteArgs, format: Format) -> ExitCode {
    let opts = BuildOptions { root: site.root, drafts: site.drafts, future: site.future, ..Default::default() };
    match (guarded(format, || gazette::check(&opts)), format) {
        (Ok(r), Format::Human) => {
            if !r.warnings.is_empty() {
                eprintln!("{}", warnings_with_sources(&r.warnings, &opts.root));
            }
            let warned = match r.warnings.len() {
                0 => String::new(),
                1 => ", 1 warning".to_string(),
                n => format!(", {n} warnings"),
            };
            println!("ok: {} articles, no errors{warned}", r.articles);
            ExitCode::SUCCESS
        }
        (Ok(r), Format::Json) => print_json(&json::checked(r.articles, &r.warnings, &opts.root), ExitCode::SUCCESS),
        (Err(err), Format::Human) => report(&err, &opts.root),
        (Err(err), Format::Json) => print_json(&json::failure("check", &err, &opts.root), ExitCode::FAILURE),
    }
}
