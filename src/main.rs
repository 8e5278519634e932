//! The `gazette` command line: parse arguments and hand each command to its file in
//! `cmd/`, which calls the library and prints the outcome.

mod cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cmd::{Format, SiteArgs};
use gazette::BuildOptions;

// A build allocates millions of small strings and maps (template contexts, one per page)
// and frees them from two threads; glibc's malloc spent a fifth of the build in itself.
// Built `no_thp`: with transparent huge pages, the kernel zeroed a 2 MiB page at each
// fault and again after each purge, a sixth of a 10k build's cycles (perf); without them
// a build takes about 0.7 s less system time at 10k and 10% less memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "gazette", version, about = "Static sites for regional science-and-technology policy news")]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
        #[command(flatten)]
        publish: cmd::build::PublishArgs,
        /// How to report the outcome.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Check every article and template without writing anything.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// How to report the outcome.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Write a new article (a draft) with its front matter at content/<year>/<slug>.md.
    New {
        /// The article's title.
        title: String,
        /// Region path, province first (repeat for several): 四川省/广元市/旺苍县
        #[arg(long = "region", required = true)]
        regions: Vec<String>,
        /// One of the categories in site.toml.
        #[arg(long)]
        category: String,
        /// Tags, comma-separated: 局县会商,县域创新
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
        /// Date (YYYY-MM-DD); today by default.
        #[arg(long)]
        date: Option<String>,
        /// URL slug (ASCII); pinyin of the title by default.
        #[arg(long)]
        slug: Option<String>,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Build the site and serve it locally; with --watch, rebuild on every change and reload open pages.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port to listen on (the next free one if it is taken).
        #[arg(long, default_value_t = gazette::serve::DEFAULT_PORT)]
        port: u16,
        /// Address to listen on.
        #[arg(long, default_value = gazette::serve::DEFAULT_BIND)]
        bind: String,
        /// Rebuild when content/, themes/, static/ or site.toml change.
        #[arg(long)]
        watch: bool,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
    },
    /// Turn scraped policy-news pages (text or HTML) into articles.
    Import {
        /// The pages to import: files, folders (their .html/.htm/.shtml/.txt files) and
        /// web addresses (http:// or https://, fetched).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The site folder whose site.toml gives the categories.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the articles (default: <root>/content).
        #[arg(long)]
        into: Option<PathBuf>,
        /// Show what would be written, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
        /// Import every story of a page that holds several, not just the lead story.
        #[arg(long)]
        split: bool,
        /// Print every dropped line with the reason.
        #[arg(long)]
        explain: bool,
        /// Date (YYYY-MM-DD) for pages that give none.
        #[arg(long)]
        date: Option<String>,
        /// Convert traditional characters to simplified.
        #[arg(long)]
        simplify: bool,
        /// Category (from site.toml) for pages that match no category keyword; without
        /// it such pages are written without one, as drafts for review.
        #[arg(long)]
        category: Option<String>,
        /// Seconds to wait for a page fetched from a web address.
        #[arg(long, value_name = "SECONDS", default_value_t = gazette::import::fetch::DEFAULT_TIMEOUT_SECONDS)]
        timeout: u64,
    },
    /// Upload the built site to a [[deploy.targets]] target of site.toml (S3-compatible store or folder).
    Deploy {
        /// The site folder (holding site.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The built site (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// The target's name (needed when site.toml has several).
        #[arg(long)]
        target: Option<String>,
        /// Print what would be uploaded and deleted; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Upload every file, changed or not.
        #[arg(long)]
        force: bool,
        /// Stop, deleting nothing, if more files than this would be deleted.
        #[arg(long, default_value_t = gazette::deploy::DEFAULT_MAX_DELETES)]
        max_deletes: usize,
        /// Write the URLs a CDN may hold stale copies of (replaced and deleted files) to FILE,
        /// one a line, for the CDN's purge console or CLI.
        #[arg(long, value_name = "FILE")]
        purge_list: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build { site, output, base_url, publish, format } => cmd::build::run(site, output, base_url, publish, format),
        Command::Check { site, format } => cmd::check::run(site, format),
        Command::New { title, regions, category, tags, date, slug, root } => {
            cmd::new::run(gazette::new::NewArticle { root, title, regions, category, tags, date, slug })
        }
        Command::Serve { site, port, bind, watch, open } => {
            let build = BuildOptions { root: site.root, drafts: site.drafts, future: site.future, ..Default::default() };
            cmd::serve::run(gazette::serve::ServeOptions { port, bind, watch, open, ..gazette::serve::ServeOptions::new(build) })
        }
        Command::Import { files, root, into, dry_run, force, split, explain, date, simplify, category, timeout } => {
            cmd::import::run(files, root, into, cmd::import::ImportFlags { dry_run, force, split, explain, simplify, timeout }, date, category)
        }
        Command::Deploy { root, output, target, dry_run, force, max_deletes, purge_list } => {
            cmd::deploy::run(gazette::deploy::DeployOptions { root, output, target, dry_run, force, max_deletes, purge_list })
        }
    }
}
