//! The `gazette` command line: parse arguments, call the library, print the outcome.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use gazette::{BuildError, BuildOptions};

#[derive(Parser)]
#[command(name = "gazette", version, about = "Static sites for regional science-and-technology policy news")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct SiteArgs {
    /// The site folder (holding site.toml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Include articles dated in the future.
    #[arg(long)]
    future: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --output).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from site.toml.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Check every article and template without writing anything.
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { site, output, base_url } => {
            let opts = BuildOptions { root: site.root, output, base_url, drafts: site.drafts, future: site.future };
            gazette::build(&opts).map(|r| {
                println!(
                    "built {} articles into {}: {} files, {:.1} MB in {} ms",
                    r.articles,
                    r.output.display(),
                    r.files,
                    r.bytes as f64 / 1e6,
                    r.elapsed.as_millis()
                );
            })
        }
        Command::Check { site } => {
            let opts = BuildOptions { root: site.root, drafts: site.drafts, future: site.future, ..Default::default() };
            gazette::check(&opts).map(|n| println!("ok: {n} articles, no errors"))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => report(&err),
    }
}

fn report(err: &BuildError) -> ExitCode {
    eprintln!("{err}");
    ExitCode::FAILURE
}
