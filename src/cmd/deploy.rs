//! `gazette deploy`: the built site to a `[[deploy.targets]]` target; prints the plan
//! (`--dry-run`) or a summary of what was done.

use std::process::ExitCode;

use gazette::deploy::{deploy, DeployOptions};

use super::report;

pub fn run(opts: DeployOptions) -> ExitCode {
    match deploy(&opts) {
        Ok(r) if r.dry_run => {
            println!("dry run: deploy to `{}` ({}) would send\n{}nothing was changed", r.target, r.url, r.plan);
            ExitCode::SUCCESS
        }
        Ok(r) => {
            if let Some(file) = &opts.purge_list {
                println!("{} URLs to purge from a CDN written to {}", r.purged, file.display());
            }
            println!(
                "deployed to `{}` ({}): uploaded {} files ({:.1} MB), skipped {} unchanged, deleted {} in {:.1} s",
                r.target,
                r.url,
                r.uploaded,
                r.bytes as f64 / 1e6,
                r.unchanged,
                r.deleted,
                r.elapsed.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(err) => report(&err, &opts.root),
    }
}
