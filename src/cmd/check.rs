//! `gazette check`: everything a build validates, plus internal links, writing nothing.

use std::process::ExitCode;

use gazette::diagnostics::json;
use gazette::BuildOptions;

use super::{guarded, print_json, report, Format, SiteArgs};

pub fn run(site: SiteArgs, format: Format) -> ExitCode {
    let opts = BuildOptions { root: site.root, drafts: site.drafts, future: site.future, ..Default::default() };
    match (guarded(format, || gazette::check(&opts)), format) {
        (Ok(n), Format::Human) => {
            println!("ok: {n} articles, no errors");
            ExitCode::SUCCESS
        }
        (Ok(n), Format::Json) => print_json(&json::checked(n, &opts.root), ExitCode::SUCCESS),
        (Err(err), Format::Human) => report(&err, &opts.root),
        (Err(err), Format::Json) => print_json(&json::failure("check", &err, &opts.root), ExitCode::FAILURE),
    }
}
