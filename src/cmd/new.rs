//! `gazette new`: a draft article with its front matter.

use std::process::ExitCode;

use gazette::new::NewArticle;
use gazette::BuildError;

use super::report;

pub fn run(req: NewArticle) -> ExitCode {
    match gazette::new::new_article(&req) {
        Ok(path) => {
            println!("wrote {} (a draft: preview with `gazette serve --watch --drafts`, publish by removing `draft: true`)", path.display());
            ExitCode::SUCCESS
        }
        Err(d) => report(&BuildError::from(d), &req.root),
    }
}
