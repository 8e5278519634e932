//! `gazette serve`: build into a private folder and serve it; with `--watch`, rebuild and
//! reload on every change.

use std::process::ExitCode;

use gazette::serve::ServeOptions;

pub fn run(opts: ServeOptions) -> ExitCode {
    match gazette::serve::serve(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}
