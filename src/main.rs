//! The `gazette` command line: parse arguments, call the library, print the outcome.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use gazette::diagnostics::json;
use gazette::{BuildError, BuildOptions};

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

/// How `build` and `check` report their outcome.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Text for people: errors on stderr with the source line and a caret.
    Human,
    /// One JSON document on stdout, for editors and CI (see docs/errors.md).
    Json,
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
        /// The pages to import.
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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { site, output, base_url, format } => build(site, output, base_url, format),
        Command::Check { site, format } => check(site, format),
        Command::New { title, regions, category, tags, date, slug, root } => {
            let req = gazette::new::NewArticle { root: root.clone(), title, regions, category, tags, date, slug };
            match gazette::new::new_article(&req) {
                Ok(path) => {
                    println!("wrote {} (a draft: preview with `gazette serve --watch --drafts`, publish by removing `draft: true`)", path.display());
                    ExitCode::SUCCESS
                }
                Err(d) => report(&BuildError::from(d), &root),
            }
        }
        Command::Serve { site, port, bind, watch, open } => {
            let build = BuildOptions { root: site.root, drafts: site.drafts, future: site.future, ..Default::default() };
            let opts = gazette::serve::ServeOptions { port, bind, watch, open, ..gazette::serve::ServeOptions::new(build) };
            match gazette::serve::serve(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("{err}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Import { files, root, into, dry_run, force, split, explain, date, simplify } => {
            import(files, root, into, ImportFlags { dry_run, force, split, explain, simplify }, date)
        }
    }
}

fn build(site: SiteArgs, output: Option<PathBuf>, base_url: Option<String>, format: Format) -> ExitCode {
    let opts = BuildOptions { root: site.root, output, base_url, drafts: site.drafts, future: site.future };
    match (guarded(format, || gazette::build(&opts)), format) {
        (Ok(r), Format::Human) => {
            println!(
                "built {} articles into {}: {} files, {:.1} MB ({} written, {} removed, the rest unchanged) in {} ms ({})",
                r.articles,
                r.output.display(),
                r.files,
                r.bytes as f64 / 1e6,
                r.written,
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

fn check(site: SiteArgs, format: Format) -> ExitCode {
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

/// With `--format json`, a panic (a bug in gazette) still ends in one JSON document, so
/// that an editor's tool always has something to parse; people get Rust's usual message.
fn guarded<T>(format: Format, run: impl FnOnce() -> Result<T, BuildError>) -> Result<T, BuildError> {
    if format == Format::Human {
        return run();
    }
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|_| {
        Err(BuildError::one(gazette::Diagnostic::general("gazette crashed (a bug: the message is on stderr); the previous output is untouched")))
    })
}

/// Errors for people, on stderr, with the source lines of files under the site `root`.
fn report(err: &BuildError, root: &Path) -> ExitCode {
    eprintln!("{}", err.with_sources(root));
    ExitCode::FAILURE
}

/// One JSON document on stdout (pretty: tools parse it either way, people read it).
fn print_json(doc: &serde_json::Value, status: ExitCode) -> ExitCode {
    match serde_json::to_string_pretty(doc) {
        Ok(text) => {
            println!("{text}");
            status
        }
        Err(e) => {
            eprintln!("error: cannot write the JSON report: {e}");
            ExitCode::FAILURE
        }
    }
}

struct ImportFlags {
    dry_run: bool,
    force: bool,
    split: bool,
    explain: bool,
    simplify: bool,
}

fn import(files: Vec<PathBuf>, root: PathBuf, into: Option<PathBuf>, flags: ImportFlags, date: Option<String>) -> ExitCode {
    // The categories come from site.toml when there is one; import works without a site too.
    let categories = match gazette::config::Config::load(&root) {
        Ok(config) => config.categories.into_iter().map(|(name, _)| name).collect(),
        Err(_) if !root.join("site.toml").exists() => Vec::new(),
        Err(errors) => return report(&BuildError::new(errors), &root),
    };
    let opts = gazette::import::ImportOptions {
        files,
        into: into.unwrap_or_else(|| root.join("content")),
        dry_run: flags.dry_run,
        force: flags.force,
        split: flags.split,
        explain: flags.explain,
        date,
        simplify: flags.simplify,
        categories,
    };
    match gazette::import::import(&opts) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
