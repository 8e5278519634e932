//! `gazette deploy`: the built output folder to a `[[deploy.targets]]` target (SPEC 11,
//! docs/deploy.md). Data flows [`local`] files + the target's listing ([`backend`]) →
//! [`plan`] → [`upload`]; [`headers`] says how each file is sent.

pub mod backend;
pub mod config;
pub mod credentials;
pub mod headers;
pub mod local;
pub mod plan;
pub mod upload;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::diagnostics::{BuildError, Diagnostic};

use backend::{dir::DirBackend, s3, Backend};
use config::{Target, TargetKind};
use local::Siblings;
use plan::Plan;

/// Deletions a deploy makes without being told more (`--max-deletes`).
pub const DEFAULT_MAX_DELETES: usize = 256;

#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// The site folder (holding site.toml).
    pub root: PathBuf,
    /// The built site (default: `<root>/public`).
    pub output: Option<PathBuf>,
    /// The target's name; `None` when site.toml has just one.
    pub target: Option<String>,
    pub dry_run: bool,
    /// Upload every file, changed or not.
    pub force: bool,
    pub max_deletes: usize,
    /// Write the URLs of replaced and deleted files here (`--purge-list`).
    pub purge_list: Option<PathBuf>,
}

/// What a deploy did (or, with `dry_run`, would do: `plan`).
#[derive(Debug, Clone)]
pub struct DeployReport {
    pub target: String,
    pub url: String,
    pub dry_run: bool,
    /// The plan for people; printed by `--dry-run`.
    pub plan: String,
    pub uploaded: usize,
    pub bytes: u64,
    pub unchanged: usize,
    pub deleted: usize,
    pub elapsed: Duration,
    /// URLs written to `--purge-list`.
    pub purged: usize,
}

pub fn deploy(opts: &DeployOptions) -> Result<DeployReport, BuildError> {
    let started = Instant::now();
    let config = Config::load(&opts.root).map_err(BuildError::new)?;
    let target = choose(&config, opts.target.as_deref())?;
    let output = opts.output.clone().unwrap_or_else(|| opts.root.join("public"));
    check_output(&output)?;
    let fail = |d: Diagnostic| BuildError::one(d);
    let (backend, siblings) = match &target.kind {
        TargetKind::S3(t) => {
            let creds = s3::Credentials::from_env(&target.name, t.provider).map_err(fail)?;
            let siblings = if t.gzip { Siblings::Gzip } else { Siblings::Drop };
            (Backend::S3(s3::S3Backend::new(&target.name, &target.url, t, &creds).map_err(fail)?), siblings)
        }
        TargetKind::Dir(dir) => {
            check_folder_target(&target.name, dir, &opts.root, &output)?;
            (Backend::Dir(DirBackend { dir: dir.clone(), target: target.name.clone() }), Siblings::Keep)
        }
    };
    let local = local::files(&output, siblings).map_err(|e| BuildError::io(&output, "read the built site in", &e))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| BuildError::one(Diagnostic::general(format!("cannot start the deploy's I/O runtime: {e}"))))?;
    runtime.block_on(async {
        let remote = backend.list().await.map_err(fail)?;
        let plan = Plan::new(local, remote, opts.force);
        let mut report = DeployReport {
            target: target.name.clone(),
            url: target.url.clone(),
            dry_run: opts.dry_run,
            plan: plan.describe(),
            uploaded: 0,
            bytes: 0,
            unchanged: plan.unchanged,
            deleted: 0,
            elapsed: Duration::ZERO,
            purged: 0,
        };
        if plan.delete.len() > opts.max_deletes {
            let d = Diagnostic::general(format!(
                "deploy to `{}` would delete {} files, more than --max-deletes {}: nothing was uploaded or deleted",
                target.name,
                plan.delete.len(),
                opts.max_deletes
            ))
            .help(format!(
                "check that {} holds the whole site (run `gazette build`) and that the target is the right one (`gazette deploy --dry-run` lists the files); to go on, run `gazette deploy --max-deletes {}`",
                output.display(),
                plan.delete.len()
            ));
            if opts.dry_run {
                report.plan.push_str(&format!("note: {}\n", d.message));
                return Ok(report);
            }
            return Err(fail(d));
        }
        if !opts.dry_run {
            let stale = purge_urls(&config.base_url, &plan.stale());
            let done = upload::run(&backend, plan).await.map_err(fail)?;
            if let Some(file) = &opts.purge_list {
                let text: String = stale.iter().map(|u| format!("{u}\n")).collect();
                std::fs::write(file, text).map_err(|e| BuildError::io(file, "write the purge list", &e))?;
                report.purged = stale.len();
            }
            (report.uploaded, report.bytes, report.deleted) = (done.uploaded, done.bytes, done.deleted);
        }
        report.elapsed = started.elapsed();
        Ok(report)
    })
}

/// The public URLs of output files, for a CDN's purge: a folder's `index.html` as the
/// folder's URL (what visitors request) and as itself.
fn purge_urls(base_url: &str, rels: &[&str]) -> Vec<String> {
    let base = base_url.trim_end_matches('/');
    let mut out = Vec::new();
    for rel in rels {
        if let Some(dir) = rel.strip_suffix("index.html").filter(|d| d.is_empty() || d.ends_with('/')) {
            out.push(format!("{base}/{dir}"));
        }
        out.push(format!("{base}/{rel}"));
    }
    out
}

/// The target named, or the only one.
fn choose<'a>(config: &'a Config, name: Option<&str>) -> Result<&'a Target, BuildError> {
    let targets = &config.deploy.targets;
    let names = || targets.iter().map(|t| format!("`{}`", t.name)).collect::<Vec<_>>().join(", ");
    let error = |message: String, help: String| Err(BuildError::one(Diagnostic::general(message).help(help)));
    match (name, targets.len()) {
        (_, 0) => error(
            "site.toml has no deploy target".into(),
            "add one, e.g.\n[[deploy.targets]]\nname = \"oss\"\nurl = \"s3://bucket/prefix\"\nendpoint = \"https://oss-cn-hangzhou.aliyuncs.com\"\n(docs/deploy.md)".into(),
        ),
        (Some(name), _) => match targets.iter().find(|t| t.name == name) {
            Some(t) => Ok(t),
            None => error(format!("site.toml has no deploy target named `{name}`"), format!("the targets are: {}", names())),
        },
        (None, 1) => Ok(&targets[0]),
        (None, _) => error(format!("site.toml has {} deploy targets: say which with --target", targets.len()), format!("the targets are: {}", names())),
    }
}

/// The output folder must be one that `gazette build` wrote.
fn check_output(output: &Path) -> Result<(), BuildError> {
    let missing = |what: String| {
        Err(BuildError::one(Diagnostic::general(what).help("run `gazette build` first (or pass the folder it wrote with --output)")))
    };
    if !output.is_dir() {
        return missing(format!("there is no built site at {}", output.display()));
    }
    if !output.join(crate::write::BOOKKEEPING).join("manifest").is_file() {
        return missing(format!("{} is not an output folder of gazette (it has no .gazette/manifest)", output.display()));
    }
    Ok(())
}

/// A folder target may not hold the site or its output, nor be inside the output: its
/// files not in the build are deleted.
fn check_folder_target(name: &str, dir: &Path, root: &Path, output: &Path) -> Result<(), BuildError> {
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (dir_real, root_real, out_real) = (real(dir), real(root), real(output));
    if root_real.starts_with(&dir_real) || out_real.starts_with(&dir_real) || dir_real.starts_with(&out_real) {
        return Err(BuildError::one(
            Diagnostic::general(format!("deploy to `{name}`: the folder {} holds the site or its output, or is inside the output", dir.display()))
                .help("a folder target is the published copy, and files in it that the build does not make are deleted: give a folder of its own, e.g. url = \"file:///srv/www/site\""),
        ));
    }
    Ok(())
}
