//! `gazette import`: raw scraped policy-news pages (text or HTML) in, clean Markdown
//! articles with SPEC front matter out, with a report of what was detected and dropped.

pub mod bulletin;
pub mod clean;
pub mod dom;
pub mod extract;
pub mod fetch;
pub mod html;
pub mod meta;
pub mod regions;
pub mod repair;
pub mod world;
pub mod write;

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use clean::{Dropped, Hints, Line, Page, Paragraph, ParagraphKind, Story};
use meta::{DateSource, PageDate};
use write::FrontMatter;

/// Number of tags written per article.
const TAG_COUNT: usize = 5;

/// What `gazette import` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    pub files: Vec<PathBuf>,
    /// Folder the articles go under (`content/` by default).
    pub into: PathBuf,
    pub dry_run: bool,
    pub force: bool,
    /// Import every story of a multi-story page, not only the lead.
    pub split: bool,
    /// List every dropped line with its reason.
    pub explain: bool,
    /// `--date YYYY-MM-DD` for pages without a full date.
    pub date: Option<String>,
    /// Convert traditional characters to simplified.
    pub simplify: bool,
    /// The site's category names, in site.toml order.
    pub categories: Vec<String>,
    /// `--category NAME`: the editor's choice for pages that match no category keyword.
    /// Without it such a page gets no category (a draft for review): never a guess.
    pub category: Option<String>,
    /// How inputs that are web addresses are fetched (timeout, size cap).
    pub fetch: fetch::FetchOptions,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            files: Vec::new(),
            into: PathBuf::from("content"),
            dry_run: false,
            force: false,
            split: false,
            explain: false,
            date: None,
            simplify: false,
            categories: Vec::new(),
            category: None,
            fetch: fetch::FetchOptions::default(),
        }
    }
}

/// An import that could not be done; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub file: PathBuf,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.message)
    }
}

impl std::error::Error for ImportError {}

/// What happened to an output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Written,
    Overwritten,
    /// The file already had exactly this content.
    Unchanged,
    /// `--dry-run`: nothing written.
    WouldWrite,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Written => "written",
            Outcome::Overwritten => "overwritten (--force)",
            Outcome::Unchanged => "unchanged",
            Outcome::WouldWrite => "would write (dry run)",
        })
    }
}

/// One article produced from a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleReport {
    pub output: PathBuf,
    pub outcome: Outcome,
    pub front: FrontMatter,
    /// Where the date came from, in words.
    pub date_note: String,
    /// The kicker (引题) above the headline, kept as the body's first paragraph.
    pub kicker: Option<String>,
    /// The file's full text.
    pub content: String,
}

impl ArticleReport {
    /// Whether the article was written as a draft that needs review.
    pub fn needs_review(&self) -> bool {
        !self.front.reviews.is_empty()
    }
}

/// Everything detected in one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    pub file: PathBuf,
    /// The encoding the file was decoded from, when not UTF-8.
    pub encoding: Option<String>,
    /// The lead story first, then (with `--split`) the other stories.
    pub articles: Vec<ArticleReport>,
    /// Headlines of other stories on the page that were not imported.
    pub skipped_stories: Vec<String>,
    pub dropped: Vec<Dropped>,
    pub warnings: Vec<String>,
}

/// What `gazette import` prints.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportReport {
    /// The files imported (or, with `--dry-run`, that would be).
    pub files: Vec<FileReport>,
    /// The files that could not be imported, with why; nothing of them was written.
    pub refused: Vec<ImportError>,
    pub explain: bool,
}

/// Imports every file: analyses all of them first, checks that no existing file would
/// be overwritten (without `--force`), then writes (unless `--dry-run`). A file that
/// cannot be imported is refused with its reason and the others go on; only a bad
/// option (`--date`) stops everything.
pub fn import(opts: &ImportOptions) -> Result<ImportReport, ImportError> {
    let option_date = parse_date_option(opts)?;
    let mut files = Vec::with_capacity(opts.files.len());
    let mut refused = Vec::new();
    let mut taken: BTreeSet<PathBuf> = BTreeSet::new();
    // Made on the first web address of the batch, then shared by all of them.
    let mut fetcher: Option<fetch::Fetcher> = None;
    for path in &opts.files {
        let input = match fetch::as_url(path) {
            Some(url) => fetch_input(url, &mut fetcher, opts),
            None => read_input(path),
        };
        match input.and_then(|input| analyse(path, &input, opts, option_date)) {
            Ok(mut report) => {
                for article in &mut report.articles {
                    article.output = unique_path(&article.output, &mut taken);
                }
                files.push(report);
            }
            Err(error) => refused.push(error),
        }
    }
    let mut planned = Vec::with_capacity(files.len());
    for mut report in files {
        let outcomes: Result<Vec<Outcome>, ImportError> = report.articles.iter().map(|a| plan_outcome(a, opts)).collect();
        match outcomes {
            Ok(outcomes) => {
                for (article, outcome) in report.articles.iter_mut().zip(outcomes) {
                    article.outcome = outcome;
                }
                planned.push(report);
            }
            Err(error) => refused.push(ImportError { file: report.file.clone(), message: format!("{}: {}", error.file.display(), error.message) }),
        }
    }
    let mut files = Vec::with_capacity(planned.len());
    for report in planned {
        if opts.dry_run {
            files.push(report);
            continue;
        }
        match report.articles.iter().try_for_each(write_article) {
            Ok(()) => files.push(report),
            Err(error) => refused.push(error),
        }
    }
    Ok(ImportReport { files, refused, explain: opts.explain })
}

/// The most `import` reads of one input: far more than any real page (a long policy
/// document with inline images is a few MB), little enough to stop a wrong path such as
/// `/dev/zero` or a disk image before it fills memory.
pub const MAX_INPUT_BYTES: u64 = 32 * 1024 * 1024;

/// The bytes of one input, and what the fetch told about them.
struct Input {
    bytes: Vec<u8>,
    /// The charset of the HTTP `Content-Type` header.
    charset: Option<&'static encoding_rs::Encoding>,
    /// The address the page was fetched from, after redirects.
    url: Option<String>,
}

impl Input {
    fn file(bytes: Vec<u8>) -> Input {
        Input { bytes, charset: None, url: None }
    }
}

/// Fetches one web address (the batch's fetcher is made on the first one).
fn fetch_input(url: &str, fetcher: &mut Option<fetch::Fetcher>, opts: &ImportOptions) -> Result<Input, ImportError> {
    let fail = |message: String| ImportError { file: PathBuf::from(url), message };
    if fetcher.is_none() {
        *fetcher = Some(fetch::Fetcher::new(opts.fetch).map_err(fail)?);
    }
    let fetched = fetcher.as_ref().map(|f| f.fetch(url)).unwrap_or_else(|| Err("no HTTP client".to_string())).map_err(fail)?;
    Ok(Input { bytes: fetched.bytes, charset: fetched.charset, url: Some(fetched.final_url) })
}

/// Reads one input, refusing it once it passes [`MAX_INPUT_BYTES`]. Reads at most one byte
/// more than the cap, so a device, a pipe or a growing file never takes more memory than
/// that (their size is not known in advance).
fn read_input(path: &Path) -> Result<Input, ImportError> {
    use std::io::Read;
    let cannot = |e: std::io::Error| ImportError { file: path.to_path_buf(), message: format!("cannot read: {e}") };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(ImportError {
            file: path.to_path_buf(),
            message: format!(
                "is larger than {} MiB, the most gazette import reads of one page; nothing was written (is this the right file?)",
                MAX_INPUT_BYTES >> 20
            ),
        });
    }
    Ok(Input::file(bytes))
}

fn parse_date_option(opts: &ImportOptions) -> Result<Option<PageDate>, ImportError> {
    match &opts.date {
        None => Ok(None),
        Some(text) => meta::parse_option_date(text)
            .map(Some)
            .ok_or_else(|| ImportError { file: PathBuf::from("--date"), message: format!("'{text}' is not a date like 2024-03-15") }),
    }
}

/// Two pages with the same headline and year get `-2`, `-3` … in input order.
fn unique_path(path: &Path, taken: &mut BTreeSet<PathBuf>) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut candidate = path.to_path_buf();
    let mut counter = 2;
    while taken.contains(&candidate) {
        candidate = path.with_file_name(format!("{stem}-{counter}.md"));
        counter += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

fn plan_outcome(article: &ArticleReport, opts: &ImportOptions) -> Result<Outcome, ImportError> {
    let existing = std::fs::read(&article.output).ok();
    let outcome = match existing {
        Some(bytes) if bytes == article.content.as_bytes() => Outcome::Unchanged,
        Some(_) if !opts.force => {
            return Err(ImportError {
                file: article.output.clone(),
                message: "already exists with different content; nothing was written (use --force to overwrite)".to_string(),
            })
        }
        Some(_) if opts.dry_run => Outcome::WouldWrite,
        Some(_) => Outcome::Overwritten,
        None if opts.dry_run => Outcome::WouldWrite,
        None => Outcome::Written,
    };
    Ok(outcome)
}

fn write_article(article: &ArticleReport) -> Result<(), ImportError> {
    if article.outcome == Outcome::Unchanged || article.outcome == Outcome::WouldWrite {
        return Ok(());
    }
    let error = |e: std::io::Error| ImportError { file: article.output.clone(), message: format!("cannot write: {e}") };
    if let Some(folder) = article.output.parent() {
        std::fs::create_dir_all(folder).map_err(error)?;
    }
    std::fs::write(&article.output, &article.content).map_err(error)
}

/// Reads one page's bytes into its articles (output paths not yet de-duplicated).
fn analyse(path: &Path, input: &Input, opts: &ImportOptions, option_date: Option<PageDate>) -> Result<FileReport, ImportError> {
    let fail = |message: String| ImportError { file: path.to_path_buf(), message };
    if input.bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(fail("is empty: there is no page to import".to_string()));
    }
    let decoded = html::decode_with(&input.bytes, input.charset);
    let mut warnings = Vec::new();
    let mut page_reviews = Vec::new();
    let encoding = decoded.encoding.unwrap_or("UTF-8");
    if let Some(declared) = decoded.wrong_declaration {
        warnings.push(format!("the page declares {declared} but is written in {encoding}; read as {encoding}"));
    }
    if decoded.encoding.is_some() {
        let how = if decoded.guessed { "guessed" } else { "declared" };
        warnings.push(format!("decoded from {encoding} ({how})"));
    }
    if decoded.replaced > 0 {
        let what = format!("{} byte sequence(s) are not valid {encoding} and show as \u{FFFD}; check the text against the page", decoded.replaced);
        warnings.push(what.clone());
        page_reviews.push(what);
    }
    let (text, extracted) = if html::looks_like_html(&decoded.text) {
        let extracted = extract::extract(&dom::parse(&decoded.text));
        (html::plain_spaces(&extracted.text), Some(extracted))
    } else {
        (decoded.text, None)
    };
    let mut hints = Hints { title: extracted.as_ref().and_then(|m| m.title.clone()).map(|t| html::plain_spaces(&t)), one_story: extracted.is_some() && !opts.split, markup: extracted.is_some() };
    if opts.simplify {
        hints.title = hints.title.map(|t| simplify(&t));
    }
    let (lines, damage) = page_lines(&text, opts.simplify);
    let page = clean::segment(lines, &hints).ok_or_else(|| {
        let what = if extracted.is_some() { "an HTML page" } else { "page text" };
        fail(format!("no headline and article text found in {what}: it holds no paragraph of running text (is it an index or a login page?)"))
    })?;
    let page = if opts.split { bulletin::split(page) } else { page };
    let shared = PageFacts::read(&page, extracted.as_ref(), input.url.as_deref(), option_date, damage, page_reviews);
    let mut articles = vec![build_article(&page, &page.lead, true, &shared, opts)];
    let mut skipped_stories = Vec::new();
    let mut dropped = page.dropped.clone();
    for story in &page.others {
        if opts.split {
            articles.push(build_article(&page, story, false, &shared, opts));
        } else {
            skipped_stories.push(story.title.clone());
            let reason = format!("another story on the page ({} paragraphs; --split imports it)", story.paragraphs.len());
            dropped.push(Dropped { line: story.title_line, text: story.title.clone(), reason });
        }
    }
    dropped.sort_by_key(|d| d.line);
    Ok(FileReport {
        file: path.to_path_buf(),
        encoding: decoded.encoding.map(str::to_string),
        articles,
        skipped_stories,
        dropped,
        warnings,
    })
}

/// Repaired lines of the page, and by line number the damage the repairs found and
/// could not mend (lost or garbled characters).
fn page_lines(text: &str, to_simplified: bool) -> (Vec<Line>, Vec<(usize, String)>) {
    let mut lines = Vec::new();
    let mut warnings = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let repaired = repair::repair_line(raw);
        let trimmed = repaired.text.trim().to_string();
        let text = if to_simplified { simplify(&trimmed) } else { trimmed };
        let simplified = simplify(&text);
        warnings.extend(repaired.warnings.into_iter().map(|w| (index + 1, w)));
        lines.push(Line { number: index + 1, text, simplified });
    }
    (lines, warnings)
}

fn simplify(text: &str) -> String {
    zhconv::zhconv(text, zhconv::Variant::ZhHans)
}

/// Facts about the page shared by all its stories.
struct PageFacts {
    date: Option<PageDate>,
    date_source: DateSource,
    source_name: Option<String>,
    source_url: Option<String>,
    /// A byline printed below the article (`作者：…`, `记者 …`), for the lead story.
    tail_author: Option<String>,
    /// Damaged text a person must check, by line number; it goes into the review of
    /// the article whose text holds the line (damage in dropped lines does not matter).
    damage: Vec<(usize, String)>,
    /// What every article of the page must be reviewed for (undecodable bytes).
    page_reviews: Vec<String>,
}

impl PageFacts {
    fn read(page: &Page, markup: Option<&extract::Extracted>, fetched_from: Option<&str>, option_date: Option<PageDate>, damage: Vec<(usize, String)>, page_reviews: Vec<String>) -> PageFacts {
        // A fetched page's source is the address it was fetched from (after redirects),
        // unless it reprints a story and links to the original (`查看原文`).
        let original = markup.filter(|m| m.url_is_original).and_then(|m| m.url.clone());
        let source_url = original.or_else(|| fetched_from.map(str::to_string)).or_else(|| markup.and_then(|m| m.url.clone()));
        // Where pages print their date, most trusted first: publication meta tags and
        // `<time>`, the header, the lines right below the article, the address.
        let printed = markup
            .and_then(|m| m.markup_dates.iter().find_map(|d| meta::full_dates(d).into_iter().next()))
            .or_else(|| meta::header_date(page))
            .or_else(|| markup.and_then(|m| meta::tail_date(&m.tail)))
            .or_else(|| source_url.as_deref().and_then(meta::url_date));
        let (date, date_source) = match printed {
            Some(date) => (Some(date), DateSource::Page),
            None => meta::detect_date(page, option_date),
        };
        PageFacts {
            date,
            date_source,
            // A fetched page that names no source is sourced to its site (the host).
            source_name: markup.and_then(|m| m.source.clone()).or_else(|| meta::detect_source(page)).or_else(|| fetched_from.and_then(fetch::host_of)),
            source_url,
            tail_author: markup.and_then(|m| m.tail.iter().find_map(|line| meta::labelled_author(line))),
            damage,
            page_reviews,
        }
    }

    fn damage_in(&self, story: &Story) -> impl Iterator<Item = String> + '_ {
        let lines: BTreeSet<usize> = story.lines.iter().copied().collect();
        self.damage.iter().filter(move |(line, _)| lines.contains(line)).map(|(line, what)| format!("line {line}: {what}"))
    }
}

/// The story's paragraphs without the byline that closes the last one when that
/// byline is where the author came from (it is in `author:` now).
fn paragraphs_without_byline(story: &Story, author: Option<&str>) -> Vec<Paragraph> {
    let mut paragraphs = story.paragraphs.clone();
    let byline_line = meta::byline_paragraph(story);
    let Some(last) = paragraphs.last_mut() else { return paragraphs };
    let names_author = author.is_some_and(|a| meta::byline_author(&last.text).as_deref() == Some(a));
    if last.kind == ParagraphKind::Text && names_author {
        if let Some(text) = clean::strip_byline(&last.text) {
            last.text = text;
        }
    }
    // `扬子晚报记者 张楠` under the text, `执笔/叨叨姐` above it (short, so read as a
    // subheading): the author now.
    if let Some(line) = byline_line.and_then(|index| paragraphs.get_mut(index)) {
        if author.is_some() && meta::labelled_author(&line.text).as_deref() == author {
            line.text.clear();
        }
    }
    paragraphs.retain(|p| !p.text.is_empty());
    paragraphs
}

/// One story → its front matter, output path and file text.
fn build_article(page: &Page, story: &Story, is_lead: bool, facts: &PageFacts, opts: &ImportOptions) -> ArticleReport {
    let author = meta::detect_author(page, story, is_lead).or_else(|| if is_lead { facts.tail_author.clone() } else { None });
    let paragraphs = paragraphs_without_byline(story, author.as_deref());
    let title_simplified = simplify(&story.title);
    let body_simplified = simplify(&paragraphs.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n"));
    let mut reviews = Vec::new();
    let regions = world::detect(&title_simplified, &body_simplified);
    if regions.is_empty() {
        reviews.push("no Chinese place, country or national body found; set region: (全国 for national news)".to_string());
    }
    let category = match meta::detect_category(&opts.categories, &title_simplified, &body_simplified) {
        Some((name, true)) => Some(name),
        _ if opts.category.is_some() => opts.category.clone(),
        Some(_) => {
            reviews.push(format!("no category keyword matched; set category: to one of {} (or import with --category NAME)", opts.categories.join("、")));
            None
        }
        None => {
            reviews.push("the site has no categories; set category:".to_string());
            None
        }
    };
    let date_note = match &facts.date_source {
        DateSource::Page => "from the page".to_string(),
        DateSource::Option => "from --date".to_string(),
        DateSource::Inferred(why) => {
            reviews.push(format!("date {why}"));
            why.clone()
        }
        DateSource::Missing(why) => {
            reviews.push(why.clone());
            why.clone()
        }
    };
    reviews.extend(facts.damage_in(story));
    reviews.extend(facts.page_reviews.iter().cloned());
    let avoid: Vec<String> = regions.iter().cloned().chain(author.as_deref().map(simplify)).collect();
    let tags = meta::detect_tags(&title_simplified, &body_simplified, &avoid, TAG_COUNT);
    let front = FrontMatter {
        title: story.title.clone(),
        date: facts.date.map(|d| d.to_front_matter()),
        regions,
        category,
        tags,
        source_name: facts.source_name.clone(),
        source_url: facts.source_url.clone(),
        author,
        reviews,
    };
    let slug = crate::text::slug::pinyin_slug(&title_simplified);
    let output = write::output_path(&opts.into, facts.date.map(|d| d.year), &slug);
    let content = write::render_article(&front, &paragraphs);
    let kicker = paragraphs.iter().find(|p| p.kind == ParagraphKind::Kicker).map(|p| p.text.clone());
    ArticleReport { output, outcome: Outcome::WouldWrite, front, date_note, kicker, content }
}

/// At most this many characters of a dropped line are printed.
const EXPLAIN_WIDTH: usize = 60;

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for file in &self.files {
            write_file_report(f, file, self.explain)?;
        }
        for refused in &self.refused {
            writeln!(f, "refused:  {refused}")?;
        }
        let articles: Vec<&ArticleReport> = self.files.iter().flat_map(|f| f.articles.iter()).collect();
        let drafts = articles.iter().filter(|a| a.needs_review()).count();
        let refused = if self.refused.is_empty() { String::new() } else { format!("; {} file(s) refused, nothing written for them", self.refused.len()) };
        writeln!(f, "{} file(s), {} article(s), {} marked draft for review{refused}", self.files.len(), articles.len(), drafts)?;
        if self.files.len() + self.refused.len() > 1 {
            write_summary(f, self)?;
        }
        Ok(())
    }
}

/// The end of a batch: how many pages were imported, how many need review and for
/// what, and which were refused and why (the same reasons counted together).
fn write_summary(f: &mut fmt::Formatter<'_>, report: &ImportReport) -> fmt::Result {
    use std::collections::BTreeMap;
    let articles: Vec<&ArticleReport> = report.files.iter().flat_map(|f| f.articles.iter()).collect();
    let mut review_reasons: BTreeMap<String, usize> = BTreeMap::new();
    for article in &articles {
        let kinds: BTreeSet<String> = article.front.reviews.iter().map(|r| review_kind(r)).collect();
        for kind in kinds {
            *review_reasons.entry(kind).or_insert(0) += 1;
        }
    }
    let mut refusal_reasons: BTreeMap<String, usize> = BTreeMap::new();
    for refused in &report.refused {
        *refusal_reasons.entry(review_kind(&refused.message)).or_insert(0) += 1;
    }
    writeln!(f, "summary:")?;
    writeln!(f, "  imported:   {} page(s), {} article(s)", report.files.len(), articles.len())?;
    writeln!(f, "  for review: {} article(s)", articles.iter().filter(|a| a.needs_review()).count())?;
    for (reason, count) in &review_reasons {
        writeln!(f, "    {count} × {reason}")?;
    }
    writeln!(f, "  refused:    {} page(s)", report.refused.len())?;
    for (reason, count) in &refusal_reasons {
        writeln!(f, "    {count} × {reason}")?;
    }
    Ok(())
}

/// A review or refusal message without its particulars (`line 15: …`, quoted text),
/// so that the same reason on many pages is counted once.
fn review_kind(message: &str) -> String {
    let message = message.strip_prefix("line ").and_then(|m| m.split_once(": ")).map_or(message, |(_, rest)| rest);
    // `…kept as is: 证券时报e公司讯`: the excerpt after the last colon is the particular.
    let message = message.rsplit_once(": ").filter(|(_, excerpt)| !excerpt.is_ascii()).map_or(message, |(kind, _)| kind);
    let mut kind = String::new();
    let mut quoted = false;
    for c in message.chars() {
        match c {
            '\'' | '‘' | '’' => {
                quoted = !quoted;
                kind.push_str(if quoted { "'…" } else { "'" });
            }
            _ if quoted => {}
            _ if c.is_ascii_digit() => {
                if !kind.ends_with('N') {
                    kind.push('N');
                }
            }
            _ => kind.push(c),
        }
    }
    kind
}

fn write_file_report(f: &mut fmt::Formatter<'_>, file: &FileReport, explain: bool) -> fmt::Result {
    writeln!(f, "{}", file.file.display())?;
    for article in &file.articles {
        write_article_report(f, article)?;
    }
    for warning in &file.warnings {
        writeln!(f, "  warning:  {warning}")?;
    }
    for story in &file.skipped_stories {
        writeln!(f, "  skipped story (use --split): {story}")?;
    }
    if explain {
        for dropped in &file.dropped {
            let text: String = dropped.text.chars().take(EXPLAIN_WIDTH).collect();
            let more = if dropped.text.chars().count() > EXPLAIN_WIDTH { "…" } else { "" };
            writeln!(f, "  dropped line {} [{}]: {text}{more}", dropped.line, dropped.reason)?;
        }
    } else if !file.dropped.is_empty() {
        writeln!(f, "  dropped:  {} line(s) (--explain lists them with reasons)", file.dropped.len())?;
    }
    Ok(())
}

fn write_article_report(f: &mut fmt::Formatter<'_>, article: &ArticleReport) -> fmt::Result {
    let front = &article.front;
    let draft = if article.needs_review() { ", draft: needs review" } else { "" };
    writeln!(f, "  → {} [{}{draft}]", article.output.display(), article.outcome)?;
    writeln!(f, "    title:    {}", front.title)?;
    if let Some(kicker) = &article.kicker {
        writeln!(f, "    kicker:   {kicker} (kept as the first paragraph, in bold)")?;
    }
    match &front.date {
        Some(date) => writeln!(f, "    date:     {date} ({})", article.date_note)?,
        None => writeln!(f, "    date:     none ({})", article.date_note)?,
    }
    writeln!(f, "    region:   {}", if front.regions.is_empty() { "none".to_string() } else { front.regions.join(", ") })?;
    writeln!(f, "    category: {}", front.category.as_deref().unwrap_or("none"))?;
    writeln!(f, "    tags:     {}", front.tags.join(", "))?;
    writeln!(f, "    source:   {}", front.source_name.as_deref().unwrap_or("none"))?;
    writeln!(f, "    author:   {}", front.author.as_deref().unwrap_or("none"))?;
    for review in &front.reviews {
        writeln!(f, "    review:   {review}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crate's folder: cargo's `CARGO_MANIFEST_DIR` when it runs the test, else the
    /// one the test was compiled in (a target folder shared by two checkouts may hold a
    /// binary compiled in the other one).
    fn manifest_dir() -> PathBuf {
        std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
    }

    /// A page of `src/import/testdata/`: written for these tests, modelled on scraped
    /// pages (its README says what each one reproduces). They are in every clone.
    fn fixture(name: &str) -> PathBuf {
        manifest_dir().join("src/import/testdata").join(name)
    }

    const COUNTY: &str = "county-consultation.txt";
    const PROVINCE_CITY: &str = "province-city-consultation.txt";
    const TWIN_CITIES: &str = "twin-cities-traditional-pinyin.txt";
    const NEWSPAPER: &str = "newspaper-page.txt";
    const INTERPRETATION: &str = "interpretation-traditional.txt";

    fn site_categories() -> Vec<String> {
        // The sample site's categories, in its site.toml order.
        ["科技合作", "政策解读", "成果转化", "创新平台", "人才政策", "科技金融", "县域创新", "规划部署", "产业创新", "区域协同"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    fn options(files: Vec<PathBuf>) -> ImportOptions {
        ImportOptions { files, dry_run: true, categories: site_categories(), ..ImportOptions::default() }
    }

    fn import_page(page: &Path) -> FileReport {
        let report = import(&options(vec![page.to_path_buf()])).expect("page imports");
        report.files.into_iter().next().expect("one file report")
    }

    /// Ideographs and digits only: compares text across punctuation width, spacing,
    /// pinyin annotations, line breaks and Markdown markers.
    fn canonical(text: &str) -> String {
        text.chars().filter(|c| repair::is_cjk(*c) || c.is_ascii_digit()).collect()
    }

    fn file_lines(page: &Path) -> Vec<String> {
        let text = std::fs::read_to_string(page).expect("page readable");
        text.lines().map(str::to_string).collect()
    }

    /// Lines (1-based, inclusive) of a page that are article text, canonical.
    fn text_of_lines(page: &Path, first: usize, last: usize) -> String {
        file_lines(page).iter().skip(first - 1).take(last + 1 - first).map(|l| canonical(l)).collect()
    }

    fn body_of(article: &ArticleReport) -> String {
        article.content.splitn(3, "---\n").nth(2).unwrap_or_default().to_string()
    }

    /// Every page line outside the article, the headline and the metadata lines must
    /// not appear in the output file.
    fn assert_no_chrome(page: &Path, article: &ArticleReport, first: usize, last: usize, keep: &[usize]) {
        let output = canonical(&article.content);
        for (index, line) in file_lines(page).iter().enumerate() {
            let number = index + 1;
            let chrome = canonical(line);
            let ideographs = chrome.chars().filter(|c| repair::is_cjk(*c)).count();
            if (first..=last).contains(&number) || keep.contains(&number) || ideographs < 4 {
                continue;
            }
            assert!(!output.contains(&chrome), "{} line {number} survived: {line}", page.display());
        }
    }

    struct Expected<'a> {
        title: &'a str,
        date: Option<&'a str>,
        regions: &'a [&'a str],
        category: &'a str,
        source: Option<&'a str>,
        author: Option<&'a str>,
        draft: bool,
    }

    fn assert_front(article: &ArticleReport, expected: &Expected) {
        let front = &article.front;
        assert_eq!(front.title, expected.title);
        assert_eq!(front.date.as_deref(), expected.date);
        assert_eq!(front.regions, expected.regions.iter().map(|r| r.to_string()).collect::<Vec<_>>());
        assert_eq!(front.category.as_deref(), Some(expected.category));
        assert_eq!(front.source_name.as_deref(), expected.source);
        assert_eq!(front.author.as_deref(), expected.author);
        assert_eq!(article.needs_review(), expected.draft, "reviews: {:?}", front.reviews);
        assert!(!front.tags.is_empty() && front.tags.len() <= TAG_COUNT, "{:?}", front.tags);
        let yaml = article.content.split("---\n").nth(1).unwrap_or_default();
        let parsed: Result<serde_yaml::Value, _> = serde_yaml::from_str(yaml);
        assert!(parsed.is_ok(), "front matter is not YAML: {yaml}");
    }

    fn has_tag(article: &ArticleReport, tag: &str) -> bool {
        article.front.tags.iter().any(|t| t == tag)
    }

    #[test]
    fn county_page_without_a_date_is_an_undated_draft() {
        let page = fixture(COUNTY);
        let file = import_page(&page);
        let article = &file.articles[0];
        assert_front(article, &Expected {
            title: "山区县借力科技会商 丽水首次举办局县创新对接",
            date: None,
            regions: &["浙江省/丽水市/遂昌县"],
            category: "科技合作",
            source: Some("华夏地方网"), // from the stance disclaimer
            author: None,
            draft: true,
        });
        assert!(article.output.starts_with("content/undated"), "{}", article.output.display());
        assert!(article.content.contains("draft: true\n# review: the page gives no date"), "{}", article.content);
        let body = body_of(article);
        assert_eq!(canonical(&body), text_of_lines(&page, 7, 23));
        // ASCII commas glued to `21%` and `R&D` are clause commas all the same.
        assert!(body.contains("增幅达21%，R&D经费投入强度增幅达18.5%，"), "{body}");
        assert!(body.contains("首次会商成果丰硕，下一步怎么干？\n"), "{body}");
        for tag in ["科技会商", "局县会商", "清单制"] {
            assert!(has_tag(article, tag), "{tag}: {:?}", article.front.tags);
        }
        assert_no_chrome(&page, article, 7, 23, &[3]);
        // The related list's dates belong to other articles.
        for date in ["2024-04-08", "2024-02-11", "2023-12-05"] {
            assert!(!article.content.contains(date), "{date}");
        }
    }

    #[test]
    fn date_option_dates_a_page_that_has_none() {
        let mut opts = options(vec![fixture(COUNTY)]);
        opts.date = Some("2024-04-10".to_string());
        let report = import(&opts).expect("imports");
        let article = &report.files[0].articles[0];
        assert_eq!(article.front.date.as_deref(), Some("2024-04-10"));
        assert_eq!(article.date_note, "from --date");
        assert!(!article.needs_review(), "{:?}", article.front.reviews);
        assert!(!article.content.contains("draft: true"), "{}", article.content);
        assert!(article.output.starts_with("content/2024"), "{}", article.output.display());
    }

    #[test]
    fn month_and_day_without_a_year_is_reviewed_and_the_source_is_the_copyright_holder() {
        let page = fixture(PROVINCE_CITY);
        let file = import_page(&page);
        let article = &file.articles[0];
        assert_front(article, &Expected {
            title: "湖南省科学技术厅株洲市人民政府第四次厅市工作会商会议在株洲召开",
            date: None,
            regions: &["湖南省/株洲市"],
            category: "科技合作",
            // `来源:` is empty and the disclaimer names the site itself: the holder of
            // `版权所有:华中技术市场有限公司`, without the company suffix.
            source: Some("华中技术市场"),
            author: None,
            draft: true,
        });
        assert!(article.front.reviews.iter().any(|r| r.contains("10月26日") && r.contains("not the year")), "{:?}", article.front.reviews);
        for generic in ["科技厅", "人民政府", "厅长", "书记", "株洲"] {
            assert!(!has_tag(article, generic), "{generic}: {:?}", article.front.tags);
        }
        let body = body_of(article);
        assert_eq!(canonical(&body), text_of_lines(&page, 7, 12));
        // Paragraphs on consecutive lines stay paragraphs.
        assert_eq!(body.trim().split("\n\n").count(), 6, "{body}");
        assert_no_chrome(&page, article, 7, 12, &[3]);
    }

    #[test]
    fn traditional_page_loses_its_pinyin_and_reports_damaged_characters() {
        let page = fixture(TWIN_CITIES);
        let file = import_page(&page);
        let article = &file.articles[0];
        assert_front(article, &Expected {
            title: "榮昌：以科技為引領答好“協同題”",
            date: Some("2021-06-18T09:35:00+08:00"),
            regions: &["重庆市/荣昌区", "四川省/内江市"],
            category: "区域协同",
            source: Some("巴渝視點"),
            author: Some("林曉雯"),
            draft: true, // two characters of the page are lost (新?zuò)?wéi))
        });
        assert!(article.output.starts_with("content/2021"), "{}", article.output.display());
        let reviews = &article.front.reviews;
        assert_eq!(reviews.len(), 4, "{reviews:?}");
        assert!(reviews.iter().any(|r| r.starts_with("line 15: ") && r.contains("'zuò' was lost")), "{reviews:?}");
        assert!(reviews.iter().any(|r| r.starts_with("line 15: ") && r.contains("'wéi' was lost")), "{reviews:?}");
        assert!(reviews.iter().any(|r| r.starts_with("line 15: ") && r.contains("U+E2FD")), "{reviews:?}");
        assert!(reviews.iter().any(|r| r.starts_with("line 25: ") && r.contains("祭w維")), "{reviews:?}");
        // Tags are simplified, whole terms, and not generic words or places.
        assert_eq!(article.front.tags.first().map(String::as_str), Some("成渝地区双城经济圈"), "{:?}", article.front.tags);
        for generic in ["平台", "交流", "技术", "大学", "荣昌", "内江"] {
            assert!(!has_tag(article, generic), "{generic}: {:?}", article.front.tags);
        }
        let body = body_of(article);
        assert!(!body.contains("(lǐng)") && !body.contains("qū") && !body.contains("/p>"), "{body}");
        assert!(body.contains("體現新□\u{E2FD}□，加快推進"), "{body}");
        assert!(body.contains("4月28日，兩地科學技術局"), "{body}");
        assert!(body.contains("\n## 尋找協同創新新路徑\n"), "{body}");
        assert!(body.contains("\n## 搭建平臺推動成果雙向流動\n"), "{body}");
        assert!(body.contains("推動兩地科技成果雙向轉移。”\n"), "{body}");
        assert!(body.contains("（即“88共享網”，www.88gxw.example）"), "{body}");
        assert_eq!(canonical(&body), text_of_lines(&page, 13, 55));
        assert_no_chrome(&page, article, 13, 55, &[5, 11]);
    }

    #[test]
    fn newspaper_page_gives_its_lead_story() {
        let page = fixture(NEWSPAPER);
        let file = import_page(&page);
        assert_eq!(file.articles.len(), 1);
        let article = &file.articles[0];
        assert_front(article, &Expected {
            title: "贵州确定新一年科技创新“路线图”",
            // The latest month-day of the stories (not the photo caption's 2月20日)
            // with the year the page names most.
            date: Some("2024-02-19"),
            regions: &["贵州省"],
            category: "规划部署",
            source: Some("贵州科技网"),
            author: Some("龙安娜"),
            draft: true, // the date is inferred
        });
        assert!(article.front.reviews.iter().any(|r| r.contains("inferred")), "{:?}", article.front.reviews);
        // The kicker (line 7) is article text: a bold first paragraph. The byline that
        // closed the story is the author now, not body text.
        let body = body_of(article);
        assert!(body.starts_with("\n**科技型企业力争突破2万家**\n\n力争全年"), "{body}");
        assert!(body.ends_with("全面深化职务科技成果赋权改革。\n"), "{body}");
        // Sentences broken across lines (and blank lines) are joined again.
        assert!(body.contains("一手抓关键核心技术攻关能力提升、一手抓"), "{body}");
        assert!(body.contains("构建更加高效的组织和推进体系。"), "{body}");
        assert_eq!(canonical(&body), text_of_lines(&page, 7, 7) + &text_of_lines(&page, 11, 37).replace("龙安娜", ""));
        assert_eq!(article.kicker.as_deref(), Some("科技型企业力争突破2万家"));
        assert_no_chrome(&page, article, 11, 37, &[5, 7, 9]);
        assert!(file.dropped.iter().all(|d| d.line != 7), "{:?}", file.dropped);
        assert!(!has_tag(article, "专项") && !has_tag(article, "科技成果"), "{:?}", article.front.tags);
        let reason = |line: usize| file.dropped.iter().find(|d| d.line == line).map(|d| d.reason.as_str());
        assert_eq!(reason(39), Some("photo-news sidebar"));
        assert_eq!(reason(41), Some("romanized section label"));
        assert_eq!(reason(48), Some("photo-news sidebar"));
        assert_eq!(reason(82), Some("repeated paragraph (page layout repeated it)"));
        assert_eq!(reason(104), Some("outside any story (caption or fragment after a byline)"));
        assert_eq!(file.skipped_stories, vec!["湄潭县高质量推进科技特派员服务工作", "节后返岗复工 我省开足马力抓生产促发展", "“新春第一会”吹响发展号角"]);
    }

    #[test]
    fn split_imports_every_story_of_a_newspaper_page_separately() {
        let mut opts = options(vec![fixture(NEWSPAPER)]);
        opts.split = true;
        let report = import(&opts).expect("imports");
        let file = &report.files[0];
        let articles = &file.articles;
        let titles: Vec<&str> = articles.iter().map(|a| a.front.title.as_str()).collect();
        assert_eq!(titles, vec!["贵州确定新一年科技创新“路线图”", "湄潭县高质量推进科技特派员服务工作", "节后返岗复工 我省开足马力抓生产促发展", "“新春第一会”吹响发展号角"]);
        assert!(file.skipped_stories.is_empty(), "{:?}", file.skipped_stories);
        let meitan = &articles[1];
        assert_eq!(meitan.front.regions, vec!["贵州省/遵义市/湄潭县".to_string()]);
        assert_eq!(meitan.front.author.as_deref(), Some("付晓东"));
        assert!(body_of(meitan).ends_with("获得省科协通报表扬。\n"), "{}", body_of(meitan));
        // 本报综合 names no person: no author, and the line stays.
        let roundup = &articles[2];
        assert_eq!(roundup.front.author, None);
        assert!(body_of(roundup).contains("\n## 重大项目施工正酣\n"), "{}", body_of(roundup));
        assert!(body_of(roundup).contains("所有窗口工作人员以饱满的热情迎接每一位办事群众，"), "{}", body_of(roundup));
        assert_eq!(body_of(roundup).matches("拼发展就是拼环境").count(), 1, "the repeated paragraph is dropped");
        // No story is glued onto another, and each has its own file.
        assert!(!body_of(&articles[0]).contains("湄潭"));
        assert!(!body_of(meitan).contains("返岗"));
        assert!(!body_of(roundup).contains("新春伊始"));
        let outputs: BTreeSet<&PathBuf> = articles.iter().map(|a| &a.output).collect();
        assert_eq!(outputs.len(), 4);
    }

    #[test]
    fn traditional_interpretation_with_gbk_text_read_one_byte_late() {
        let page = fixture(INTERPRETATION);
        let file = import_page(&page);
        let article = &file.articles[0];
        assert_front(article, &Expected {
            title: "聚力培育新質生產力 以科技創新賦能產業升級——解讀《常州市科技創新賦能產業強市三年行動計劃》",
            date: None,
            regions: &["江苏省/常州市"],
            category: "政策解读", // the headline says 解讀
            source: None,
            author: Some("周明遠"),
            draft: true,
        });
        // `?!笔锌萍季指本珠L` is `。”市科技局副局長` read one byte late.
        let body = body_of(article);
        assert!(body.contains("也是我們工作的主線主題。”市科技局副局長王立新表示"), "{body}");
        // `?!?o:p>` was `。”</o:p>`.
        assert!(body.contains("加快突破一批產業‘卡脖子’技術。”\n"), "{body}");
        assert_eq!(article.front.reviews.len(), 1, "only the date: {:?}", article.front.reviews);
        assert!(body.ends_with("推進產業強市建設取得更大成效。\n"), "the byline is the author now: {body}");
        let expected = text_of_lines(&page, 9, 23).replace("笔锌萍季指本珠", "市科技局副局長");
        assert_eq!(canonical(&body), expected.strip_suffix("記者周明遠").unwrap_or_default());
        assert_no_chrome(&page, article, 9, 23, &[7]);
        let reason = |line: usize| file.dropped.iter().find(|d| d.line == line).map(|d| d.reason.as_str());
        assert_eq!(reason(1), Some("keyword-stuffing spam line"));
        assert_eq!(reason(5), Some("breadcrumb navigation"));
        assert_eq!(reason(26), Some("counter (a number alone)"));
    }

    #[test]
    fn simplify_converts_the_article_text() {
        let mut opts = options(vec![fixture(INTERPRETATION)]);
        opts.simplify = true;
        let report = import(&opts).expect("imports");
        let article = &report.files[0].articles[0];
        assert_eq!(article.front.title, "聚力培育新质生产力 以科技创新赋能产业升级——解读《常州市科技创新赋能产业强市三年行动计划》");
        assert_eq!(article.front.author.as_deref(), Some("周明远"));
        let body = body_of(article);
        assert!(body.contains("常州新一轮科技创新蓝图正式出炉"), "{body}");
        assert!(body.contains("市科技局副局长王立新表示"), "{body}");
        assert!(!body.contains("產業"), "{body}");
    }

    #[test]
    fn a_closing_byline_goes_only_when_it_is_the_author() {
        let story = |last: &str| Story { paragraphs: vec![Paragraph::text("鎮江新一輪創新發展藍圖已繪就。"), Paragraph::text(last)], ..Story::default() };
        let texts = |paragraphs: Vec<Paragraph>| paragraphs.into_iter().map(|p| p.text).collect::<Vec<_>>();
        let signed = story("推進產業強市建設取得更大成效。（記者 陳志奎）");
        assert_eq!(texts(paragraphs_without_byline(&signed, Some("陳志奎")))[1], "推進產業強市建設取得更大成效。");
        // The author came from elsewhere (the page header): the byline stays.
        assert_eq!(texts(paragraphs_without_byline(&signed, Some("高維微")))[1], "推進產業強市建設取得更大成效。（記者 陳志奎）");
        let agency = story("全面深化职务科技成果权属制度改革。（本报综合）");
        assert_eq!(texts(paragraphs_without_byline(&agency, None))[1], "全面深化职务科技成果权属制度改革。（本报综合）");
        let alone = story("（文露敏）");
        assert_eq!(texts(paragraphs_without_byline(&alone, Some("文露敏"))), vec!["鎮江新一輪創新發展藍圖已繪就。"]);
    }

    #[test]
    fn damage_is_reviewed_in_the_story_that_holds_it() {
        let page = "四川确定新一年科技创新任务书\n今年，四川将深入推进改革试点，实施重大科技专项。(文露敏)\n南江县高质量推进天府科技云服务工作\n本报讯 2023年，巴中市南江县科协紧紧围绕职责开展鉁u服务。(付建昌)\n";
        let mut opts = options(Vec::new());
        let lead_only = analyse(Path::new("page.txt"), &Input::file(page.as_bytes().to_vec()), &opts, None).expect("imports");
        assert!(lead_only.articles[0].front.reviews.iter().all(|r| !r.contains("鉁u")), "{:?}", lead_only.articles[0].front.reviews);
        opts.split = true;
        let split = analyse(Path::new("page.txt"), &Input::file(page.as_bytes().to_vec()), &opts, None).expect("imports");
        assert!(split.articles[1].front.reviews.iter().any(|r| r.starts_with("line 4: ") && r.contains("鉁u")), "{:?}", split.articles[1].front.reviews);
    }

    #[test]
    fn explain_lists_every_dropped_line_with_a_reason() {
        let mut opts = options(vec![fixture(PROVINCE_CITY)]);
        opts.explain = true;
        let report = import(&opts).expect("imports");
        let printed = report.to_string();
        assert!(printed.contains("dropped line 1 [breadcrumb navigation]"), "{printed}");
        assert!(printed.contains("dropped line 5 [metadata line (date, source, keywords or byline)]: 来源: 时间:"), "{printed}");
        assert!(printed.contains("dropped line 16 [disclaimer]: 【免责声明】"), "{printed}");
        assert!(printed.contains("dropped line 25 [copyright / ICP licence line]: 湘ICP备"), "{printed}");
        assert!(printed.contains("dropped line 27 [follow-us promotion]"), "{printed}");
        assert!(printed.contains("region:   湖南省/株洲市"), "{printed}");
        // Without --explain only the count is printed.
        opts.explain = false;
        let short = import(&opts).expect("imports").to_string();
        assert!(short.contains("dropped:  12 line(s) (--explain lists them with reasons)"), "{short}");
        assert!(!short.contains("dropped line"), "{short}");
    }

    #[test]
    fn odd_inputs_never_panic() {
        let odd = [
            "",
            "   \n\n\t",
            "(",
            "?lián)?",
            "?!",
            "?!笔锌萍L",
            "<",
            "&#xFFFFFF;&#99999999999;&;&amp",
            "（（（）",
            "2024年13月40日 2024-02-30 99:99",
            "標題\n（",
            "当前位置：首页 > 新闻\n標題只有一行",
            "北碚：以科技為引領\n正文，只有一句。(",
            "<html><head><title>_</title></head><body><h1></h1><p>正文，测试一下。</p>",
            "<html><script>",
            "\u{FEFF}\u{200B}鎮江\r\n\r\n首頁>鎮江\r\n加快培育新質生產力\r\n近年來，鎮江深入貫徹落實，取得良好成效。",
        ];
        let opts = options(Vec::new());
        for text in odd {
            let _ = analyse(Path::new("odd.txt"), &Input::file(text.as_bytes().to_vec()), &opts, None);
        }
        let long_line = "科技，".repeat(20_000);
        let _ = analyse(Path::new("long.txt"), &Input::file(long_line.as_bytes().to_vec()), &opts, None);
        let binary: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        let _ = analyse(Path::new("binary.bin"), &Input::file(binary.clone()), &opts, None);
        let crlf = analyse(Path::new("crlf.txt"), &Input::file(odd[15].as_bytes().to_vec()), &opts, None).expect("imports");
        assert_eq!(crlf.articles[0].front.title, "加快培育新質生產力");
        assert_eq!(crlf.articles[0].front.regions, vec!["江苏省/镇江市".to_string()]);
    }

    fn scratch_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gazette-import-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn existing_files_need_force_and_reimport_is_stable() {
        let dir = scratch_dir("force");
        let mut opts = options(vec![fixture(TWIN_CITIES)]);
        opts.dry_run = false;
        opts.into = dir.clone();
        let first = import(&opts).expect("first import writes");
        let article = &first.files[0].articles[0];
        assert_eq!(article.outcome, Outcome::Written);
        assert!(article.output.starts_with(dir.join("2021")));
        assert_eq!(std::fs::read_to_string(&article.output).ok().as_deref(), Some(article.content.as_str()));
        let again = import(&opts).expect("same page again");
        assert_eq!(again.files[0].articles[0].outcome, Outcome::Unchanged);
        std::fs::write(&article.output, "edited by hand").expect("edit");
        let refused = import(&opts).expect("the batch runs");
        assert!(refused.files.is_empty());
        assert!(refused.refused[0].to_string().contains("--force"), "{:?}", refused.refused);
        assert_eq!(std::fs::read_to_string(&article.output).ok().as_deref(), Some("edited by hand"));
        opts.force = true;
        let forced = import(&opts).expect("force overwrites");
        assert_eq!(forced.files[0].articles[0].outcome, Outcome::Overwritten);
        assert_eq!(std::fs::read_to_string(&article.output).ok().as_deref(), Some(article.content.as_str()));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn gbk_html_page_imports_with_title_date_and_source_from_markup() {
        let dir = scratch_dir("html");
        let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
            <title>绵阳与北碚签署科技合作协议_绵阳新闻网</title><meta name=\"PubDate\" content=\"2020-05-13\">\
            <meta property=\"og:site_name\" content=\"绵阳新闻网\"></head><body>\
            <div>当前位置：首页 &gt; 要闻</div><h1>绵阳与北碚签署科技合作协议</h1>\
            <p>5月13日，四川省绵阳市科技局与重庆市北碚区科技局签署协同创新合作协议，两地将共建联合实验室。</p>\
            <p>北碚与绵阳将推动科技成果转移转化。（记者 李明）</p><p>版权所有：绵阳新闻网</p></body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(html);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let page = dir.join("page.html");
        std::fs::write(&page, &bytes).expect("write page");
        let report = import(&options(vec![page])).expect("imports");
        let file = &report.files[0];
        assert_eq!(file.encoding.as_deref(), Some("GBK"));
        let article = &file.articles[0];
        assert_eq!(article.front.title, "绵阳与北碚签署科技合作协议");
        assert_eq!(article.front.date.as_deref(), Some("2020-05-13"));
        assert_eq!(article.front.source_name.as_deref(), Some("绵阳新闻网"));
        assert_eq!(article.front.author.as_deref(), Some("李明"));
        assert!(article.content.ends_with("推动科技成果转移转化。\n"), "{}", article.content);
        assert_eq!(article.front.regions, vec!["四川省/绵阳市".to_string(), "重庆市/北碚区".to_string()]);
        assert!(!article.content.contains("当前位置") && !article.content.contains("版权所有"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn unreadable_and_headless_inputs_are_errors_naming_the_file() {
        let refused = |files: Vec<PathBuf>| import(&options(files)).expect("the batch runs").refused;
        let missing = PathBuf::from("/nonexistent/page.txt");
        let error = &refused(vec![missing])[0];
        assert!(error.to_string().starts_with("/nonexistent/page.txt: cannot read"), "{error}");
        let dir = scratch_dir("empty");
        std::fs::create_dir_all(&dir).expect("temp dir");
        let empty = dir.join("empty.txt");
        std::fs::write(&empty, "当前位置：首页 > 新闻\n版权所有").expect("write");
        let error = &refused(vec![empty])[0];
        assert!(error.to_string().contains("no headline"), "{error}");
        let mut bad_date = options(vec![fixture(COUNTY)]);
        bad_date.date = Some("2024/3".to_string());
        let error = import(&bad_date).expect_err("bad --date");
        assert!(error.to_string().starts_with("--date: '2024/3' is not a date"), "{error}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn every_fixture_page_is_used_and_described() {
        let dir = manifest_dir().join("src/import/testdata");
        let readme = std::fs::read_to_string(dir.join("README.md")).expect("testdata/README.md");
        let mut pages: Vec<String> = std::fs::read_dir(&dir)
            .expect("testdata folder")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".txt"))
            .collect();
        pages.sort();
        assert_eq!(pages, {
            let mut known = vec![COUNTY, PROVINCE_CITY, TWIN_CITIES, NEWSPAPER, INTERPRETATION];
            known.sort_unstable();
            known
        });
        for page in &pages {
            assert!(readme.contains(&format!("`{page}`")), "testdata/README.md does not describe {page}");
        }
    }

    /// Writes pages into a scratch folder: (file name, bytes).
    fn write_pages(name: &str, pages: &[(&str, &[u8])]) -> (PathBuf, Vec<PathBuf>) {
        let dir = scratch_dir(name);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let paths = pages
            .iter()
            .map(|(file, bytes)| {
                let path = dir.join(file);
                std::fs::write(&path, bytes).expect("write page");
                path
            })
            .collect();
        (dir, paths)
    }

    const NOTICE_PROSE: &str = "<p>为深入实施创新驱动发展战略，省科技厅决定组织开展2024年度科技型中小企业评价工作，现将有关事项通知如下。</p>\
        <p>一、评价对象为在省内注册的科技型中小企业，企业应当如实填报相关信息。</p>\
        <p>二、各市州科技局要加强组织协调，确保评价工作按时完成，并于6月30日前报送汇总情况。</p>";

    #[test]
    fn a_batch_imports_every_good_page_reports_every_bad_one_and_sums_up() {
        let good = format!("<html><head><title>关于开展科技型中小企业评价工作的通知_四川省科学技术厅</title></head><body><h1>关于开展科技型中小企业评价工作的通知</h1><div class=info>发布日期：2024-03-15</div><div class=content>{NOTICE_PROSE}</div></body></html>");
        let (dir, paths) = write_pages(
            "batch",
            &[("a-good.html", good.as_bytes()), ("b-empty.html", b""), ("c-index.html", "<ul><li><a href=/1>首页</a></li></ul>".as_bytes()), ("d-twin.txt", &std::fs::read(fixture(TWIN_CITIES)).expect("fixture"))],
        );
        let mut opts = options(paths);
        opts.dry_run = false;
        opts.into = dir.join("content");
        let report = import(&opts).expect("the batch runs");
        assert_eq!(report.files.len(), 2, "{report}");
        assert!(report.files.iter().all(|f| f.articles[0].output.exists()));
        let refused: Vec<String> = report.refused.iter().map(|r| r.to_string()).collect();
        assert_eq!(refused.len(), 2, "{refused:?}");
        assert!(refused[0].contains("b-empty.html: is empty"), "{refused:?}");
        assert!(refused[1].contains("c-index.html: no headline and article text found in an HTML page"), "{refused:?}");
        let printed = report.to_string();
        assert!(printed.contains("summary:\n  imported:   2 page(s), 2 article(s)\n"), "{printed}");
        assert!(printed.contains("  refused:    2 page(s)\n"), "{printed}");
        assert!(printed.contains("1 × is empty: there is no page to import"), "{printed}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn import_html(name: &str, bytes: &[u8]) -> FileReport {
        let (dir, paths) = write_pages(name, &[("page.html", bytes)]);
        let report = import(&options(paths)).expect("imports");
        let _ = std::fs::remove_dir_all(&dir);
        assert!(report.refused.is_empty(), "{:?}", report.refused);
        report.files.into_iter().next().expect("one file")
    }

    #[test]
    fn wrapped_pages_fragments_and_unclosed_heads_are_html() {
        let wrapped = format!("<div id=\"header\"><h1 class=\"title\">关于开展科技型中小企业评价工作的通知</h1></div><div id=\"main\">{NOTICE_PROSE}</div>");
        let unclosed = format!("<html><head><title>关于开展科技型中小企业评价工作的通知</title>\n<div class=\"text\">{NOTICE_PROSE}</div>");
        for (name, page) in [("wrapped", wrapped), ("unclosed", unclosed)] {
            let file = import_html(name, page.as_bytes());
            let article = &file.articles[0];
            assert_eq!(article.front.title, "关于开展科技型中小企业评价工作的通知", "{name}");
            let body = body_of(article);
            assert!(body.starts_with("\n为深入实施创新驱动发展战略"), "{name}: {body}");
            assert!(body.ends_with("并于6月30日前报送汇总情况。\n"), "{name}: {body}");
            assert!(!body.contains('<'), "{name}: {body}");
        }
    }

    #[test]
    fn a_wrong_charset_declaration_and_a_bad_byte_are_decoded_not_refused() {
        let page = format!("<html><head><meta charset=\"gb2312\"><title>通知</title></head><body><h1>关于开展科技型中小企业评价工作的通知</h1>{NOTICE_PROSE}</body></html>");
        let file = import_html("utf8-declared-gbk", page.as_bytes());
        assert!(file.warnings.iter().any(|w| w.contains("declares GBK but is written in UTF-8")), "{:?}", file.warnings);
        assert!(body_of(&file.articles[0]).contains("省科技厅决定组织开展"));
        let (gbk, _, _) = encoding_rs::GBK.encode(&page);
        let mut gbk = gbk.into_owned();
        let at = gbk.len() - 40;
        gbk.splice(at..at, [0x81, 0x7F]);
        let file = import_html("gbk-bad-byte", &gbk);
        let article = &file.articles[0];
        assert!(article.needs_review());
        assert!(article.front.reviews.iter().any(|r| r.contains("1 byte sequence(s) are not valid GBK")), "{:?}", article.front.reviews);
    }

    #[test]
    fn a_share_bar_above_the_text_and_a_picture_note_do_not_end_the_article() {
        let page = "<html><body><h1>关于开展科技型中小企业评价工作的通知</h1><div class=\"article\">\
            <p>分享到：</p><p>为深入实施创新驱动发展战略，省科技厅决定组织开展评价工作（图文）</p>\
            <p>一、评价对象为在省内注册的科技型中小企业，企业应当如实填报相关信息。</p>\
            <p>二、各市州科技局要加强组织协调，确保评价工作按时完成。</p></div></body></html>";
        let article = &import_html("share-bar", page.as_bytes()).articles[0];
        let body = body_of(article);
        assert!(body.contains("企业应当如实填报相关信息。"), "{body}");
        assert!(body.ends_with("确保评价工作按时完成。\n"), "{body}");
        assert!(!body.contains("分享到"), "{body}");
        assert_eq!(article.front.author, None);
    }

    #[test]
    fn an_agenda_with_speaker_lines_and_subheadings_stays_one_article() {
        let page = "<html><body><h1>第三届区域科技创新论坛举行</h1><div class=\"content\">\
            <p>9月20日，第三届区域科技创新论坛在成都举行，来自川渝两地的专家学者参加论坛。</p>\
            <h3>主旨演讲</h3><p>省科技厅负责人介绍了全省科技创新工作进展。（张明）</p>\
            <h3>圆桌对话</h3><p>与会嘉宾围绕成果转化和人才引进展开讨论，提出多项建议。（李华）</p>\
            <p>论坛期间还举行了项目签约仪式，共签约项目12个。</p></div></body></html>";
        let file = import_html("agenda", page.as_bytes());
        assert_eq!(file.articles.len(), 1);
        assert!(file.skipped_stories.is_empty(), "{:?}", file.skipped_stories);
        let body = body_of(&file.articles[0]);
        assert!(body.contains("\n## 圆桌对话\n"), "{body}");
        assert!(body.ends_with("共签约项目12个。\n"), "{body}");
    }

    #[test]
    fn dates_below_the_article_in_us_format_and_in_the_address_are_found() {
        let below = format!("<html><body><h1>关于开展科技型中小企业评价工作的通知</h1><div class=\"content\">{NOTICE_PROSE}</div><div class=\"foot-info\"><span>发布日期：2019-09-23 14:34:05</span></div>\
            <div class=\"list\"><h3>相关阅读</h3><ul><li><a href=/x>2024-01-02 另一篇通知</a></li></ul></div></body></html>");
        let file = import_html("date-below", below.as_bytes());
        assert_eq!(file.articles[0].front.date.as_deref(), Some("2019-09-23T14:34:00+08:00"));
        let us = format!("<html><body><h1>关于开展科技型中小企业评价工作的通知</h1><div>7/5/2005 9:23:57 PM</div><div class=\"content\">{NOTICE_PROSE}</div></body></html>");
        assert_eq!(import_html("date-us", us.as_bytes()).articles[0].front.date.as_deref(), Some("2005-07-05T21:23:00+08:00"));
        let address = format!("<!-- saved from url=(0050)https://www.example.gov.cn/2021-04/08/c_1127.htm -->\n<html><body><h1>关于开展科技型中小企业评价工作的通知</h1><div class=\"content\">{NOTICE_PROSE}</div></body></html>");
        let file = import_html("date-url", address.as_bytes());
        assert_eq!(file.articles[0].front.date.as_deref(), Some("2021-04-08"));
        assert_eq!(file.articles[0].front.source_url.as_deref(), Some("https://www.example.gov.cn/2021-04/08/c_1127.htm"));
    }

    #[test]
    fn authors_come_from_bylines_never_from_links_or_cms_meta() {
        let page = format!("<html><head><meta name=\"author\" content=\"Discuz! Team and Comsenz UI Team\"></head><body>\
            <div class=\"bar\"><a href=/c>发表评论</a></div><h1>关于开展科技型中小企业评价工作的通知</h1><div>来源：四川日报 <a href=/s>搜索</a></div>\
            <div class=\"content\">{NOTICE_PROSE}</div></body></html>");
        assert_eq!(import_html("link-authors", page.as_bytes()).articles[0].front.author, None);
        let bylined = format!("<html><body><h1>关于开展科技型中小企业评价工作的通知</h1><div>2024-03-15 来源：四川日报 记者 王小明 通讯员 李四</div><div class=\"content\">{NOTICE_PROSE}</div></body></html>");
        assert_eq!(import_html("byline", bylined.as_bytes()).articles[0].front.author.as_deref(), Some("王小明"));
    }

    #[test]
    fn dateline_and_closing_bylines_name_the_author_and_leave_the_body() {
        let dateline = "<html><body><h1>亚马逊海外购登陆拼多多</h1><div class=\"post_body\">\
            <p>新京报讯（记者 陆一夫）11月25日，新京报记者登录拼多多全球购页面发现，亚马逊海外购与拼多多达成合作。</p>\
            <p>亚马逊中国方面表示，“限时快闪店”将带来逾千款海外正品的优惠折扣，时间为11月25日至12月底。</p></div></body></html>";
        assert_eq!(import_html("dateline", dateline.as_bytes()).articles[0].front.author.as_deref(), Some("陆一夫"));
        let closing = format!("<html><body><h1>关于开展科技型中小企业评价工作的通知</h1><div class=\"content\">{NOTICE_PROSE}<p>扬子晚报记者 张楠</p></div>\
            <p>作者：未知 责任编辑：棒棒不是糖</p></body></html>");
        let article = &import_html("closing-byline", closing.as_bytes()).articles[0];
        assert_eq!(article.front.author.as_deref(), Some("张楠"));
        assert!(!body_of(article).contains("张楠"), "{}", article.content);
        let sidebar = format!("<html><body><h1>关于开展科技型中小企业评价工作的通知</h1><div class=\"content\">{NOTICE_PROSE}</div>\
            <div class=\"right\"><h2>作者最新文章</h2></div></body></html>");
        assert_eq!(import_html("sidebar-author", sidebar.as_bytes()).articles[0].front.author, None);
        let pen_names = format!("<html><body><h1>关于开展科技型中小企业评价工作的通知</h1><div class=\"content\"><p>执笔/叨叨姐、胡一刀&amp;李小飞刀</p>{NOTICE_PROSE}</div></body></html>");
        let article = &import_html("pen-names", pen_names.as_bytes()).articles[0];
        assert_eq!(article.front.author.as_deref(), Some("叨叨姐、胡一刀、李小飞刀"));
        assert!(body_of(article).starts_with("\n为深入实施创新驱动发展战略"), "{}", article.content);
        let unknown = format!("<html><body><h1>关于开展科技型中小企业评价工作的通知</h1><p>2019-09-05 11:10 作者：未知 责任编辑：张三</p><div class=\"content\">{NOTICE_PROSE}</div></body></html>");
        assert_eq!(import_html("unknown-author", unknown.as_bytes()).articles[0].front.author, None);
    }

    #[test]
    fn an_interview_that_asks_every_guest_the_same_questions_keeps_every_question() {
        let guest = |name: &str, answer: &str, outlook: &str| {
            format!("<p><strong>{name}</strong></p><p><strong>债券市场存在泡沫吗？</strong></p><p>{answer}</p><p><strong>央行现在应该做什么？</strong></p><p>{outlook}</p>")
        };
        let page = format!(
            "<html><body><h1>六位首席投资官谈债市：存在泡沫吗</h1><div class=\"article\">\
            <p>随着低增长、低利率成为新的常态，资金不断涌入避险资产，我们请几家资管公司的首席投资官回答同样的问题。</p>{}{}\
            <p>随着低增长、低利率成为新的常态，资金不断涌入避险资产，我们请几家资管公司的首席投资官回答同样的问题。</p></div></body></html>",
            guest("甲公司首席投资官", "估值确实过高，因此这可以被视为泡沫，负利率从长期来看不可持续。", "各国央行选择空间有限，但如有必要，它们将再次采取行动。"),
            guest("乙公司首席投资官", "完全没有泡沫，债券需求已远远超过供应，养老基金的需求还在上升。", "欧洲央行应开始鼓励技术和创新领域的股权投资。"),
        );
        let body = body_of(&import_html("interview", page.as_bytes()).articles[0]);
        assert_eq!(body.matches("债券市场存在泡沫吗？").count(), 2, "{body}");
        assert_eq!(body.matches("央行现在应该做什么？").count(), 2, "{body}");
        // A long paragraph printed twice by the layout is still kept once.
        assert_eq!(body.matches("我们请几家资管公司的首席投资官回答同样的问题").count(), 1, "{body}");
        assert!(body.contains("欧洲央行应开始鼓励技术和创新领域的股权投资。"), "{body}");
    }

    #[test]
    fn a_last_paragraph_ending_in_a_back_to_home_link_is_kept_and_the_desk_editor_credit_goes() {
        let page = format!(
            "<html><body><h1>关于开展科技型中小企业评价工作的通知</h1><div class=\"article\">{NOTICE_PROSE}\
            <p>可以预见的是，科技型中小企业评价工作将成为常态。<a href=\"http://www.example.com/\"><span>返回某某网首页&gt;&gt;</span></a></p>\
            <p class=\"article-editor\">责任编辑：霍琦 </p></div>\
            <div class=\"crumb\">当前位置：首页 &gt; 通知公告</div></body></html>"
        );
        let body = body_of(&import_html("back-link", page.as_bytes()).articles[0]);
        assert!(body.ends_with("科技型中小企业评价工作将成为常态。\n"), "{body}");
        assert!(!body.contains("首页") && !body.contains("霍琦"), "{body}");
    }

    #[test]
    fn the_same_item_as_page_text_imports_like_its_html() {
        let html = format!("<html><body><h1>关于开展科技型中小企业评价工作的通知</h1><div class=info>发布日期：2024-03-15</div><div class=content>{NOTICE_PROSE}</div></body></html>");
        let text = "关于开展科技型中小企业评价工作的通知\n发布日期：2024-03-15\n\
            为深入实施创新驱动发展战略，省科技厅决定组织开展2024年度科技型中小企业评价工作，现将有关事项通知如下。\n\
            一、评价对象为在省内注册的科技型中小企业，企业应当如实填报相关信息。\n\
            二、各市州科技局要加强组织协调，确保评价工作按时完成，并于6月30日前报送汇总情况。\n";
        let short = "关于开展科技型中小企业评价工作的通知\n\n为深入实施创新驱动发展战略，省科技厅决定组织开展2024年度科技型中小企业评价工作。\n";
        let (dir, paths) = write_pages("text-and-html", &[("item.html", html.as_bytes()), ("item.txt", text.as_bytes()), ("short.txt", short.as_bytes())]);
        let report = import(&options(paths)).expect("imports");
        let _ = std::fs::remove_dir_all(&dir);
        assert!(report.refused.is_empty(), "{:?}", report.refused);
        let [from_html, from_text, from_short] = [0, 1, 2].map(|i| &report.files[i].articles[0]);
        assert_eq!(from_text.front.title, from_html.front.title);
        assert_eq!(from_text.front.date, from_html.front.date);
        assert_eq!(body_of(from_text), body_of(from_html));
        assert_eq!(from_short.front.title, "关于开展科技型中小企业评价工作的通知");
        assert!(body_of(from_short).contains("省科技厅决定组织开展"), "{}", from_short.content);
    }

    #[test]
    fn a_forum_thread_keeps_the_first_post_without_the_poster_panel_replies_or_sidebar() {
        let page = format!(
            "<html><head><title>关于科技型中小企业评价的几点体会 - 政策讨论 - 科技论坛 - Powered by Discuz!</title>\
            <meta name=\"author\" content=\"Discuz! Team and Comsenz UI Team\"></head><body>\
            <div id=\"nav\"><a href=/>论坛</a> › <a href=/f>政策讨论</a></div>\
            <table class=\"plhin\"><tr><td class=\"pls\"><div class=\"pi\"><a href=/u/1>张三</a></div><p>帖子 120</p><p>积分 356</p></td>\
            <td class=\"plc\"><h1>关于科技型中小企业评价的几点体会</h1><div class=\"pi\">发表于 2024-03-15 10:20</div>\
            <div class=\"t_f\">{NOTICE_PROSE}</div><div class=\"po\"><a>回复</a> <a>引用</a> <a>举报</a></div></td></tr></table>\
            <table class=\"plhin\"><tr><td class=\"pls\"><a href=/u/2>李四</a></td><td class=\"plc\"><div class=\"pi\">发表于 2024-03-16 08:00 | 2#</div>\
            <div class=\"t_f\">楼主说得很对，我们公司去年也参加了评价，流程很顺利。</div><div class=\"po\"><a>回复</a> <a>引用</a></div></td></tr></table>\
            <div class=\"sidebar\"><h3>热门帖子</h3><ul><li><a href=/t/9>某市出台人才新政，最高补贴一百万元，引发热议。</a></li></ul></div></body></html>"
        );
        let article = &import_html("forum", page.as_bytes()).articles[0];
        assert_eq!(article.front.title, "关于科技型中小企业评价的几点体会");
        assert_eq!(article.front.date.as_deref(), Some("2024-03-15T10:20:00+08:00"));
        assert_eq!(article.front.author, None, "a poster's link and the CMS meta are not bylines");
        let body = body_of(article);
        assert!(body.starts_with("\n为深入实施创新驱动发展战略"), "{body}");
        assert!(body.ends_with("并于6月30日前报送汇总情况。\n"), "{body}");
        for chrome in ["楼主说得很对", "积分", "引用", "人才新政"] {
            assert!(!body.contains(chrome), "{chrome} kept: {body}");
        }
    }

    #[test]
    fn a_headline_without_h1_is_the_heading_above_the_article_not_the_site_title() {
        let page = format!("<html><head><title>新闻动态--中国某某学会官网</title></head><body><div class=\"crumb\"><h3>首页 - 新闻动态</h3></div>\
            <div class=\"news\"><h5>2019年区域科技创新学术年会在重庆成功举行！</h5><div class=\"ly\">发布时间：2019-05-18 来源：某某学会</div>\
            <div class=\"text\">{NOTICE_PROSE}</div></div>\
            <ul class=\"list\"><li><a href=/1>另一条新闻</a><time>2019-09-06</time></li></ul></body></html>");
        let article = &import_html("h5-title", page.as_bytes()).articles[0];
        assert_eq!(article.front.title, "2019年区域科技创新学术年会在重庆成功举行！");
        assert_eq!(article.front.date.as_deref(), Some("2019-05-18"));
    }

    #[test]
    fn a_link_to_the_original_is_the_source_and_not_a_heading() {
        let page = format!("<html><head><link rel=\"canonical\" href=\"https://repost.example.com/a/1.html\"></head><body>\
            <h1>关于开展科技型中小企业评价工作的通知</h1><div class=\"content\">{NOTICE_PROSE}\
            <p><a href=\"https://kjt.example.gov.cn/2024/0315/notice.html\">查看原文</a></p></div></body></html>");
        let article = &import_html("original-link", page.as_bytes()).articles[0];
        assert_eq!(article.front.source_url.as_deref(), Some("https://kjt.example.gov.cn/2024/0315/notice.html"));
        assert!(!article.content.contains("查看原文"), "{}", article.content);
    }

    /// The five scraped pages of `../shared/seeds/`, which are not in the repository.
    /// They run where that folder is beside the clone (always in CI) or where
    /// `GAZETTE_SEEDS` names one; elsewhere the tests above cover the same behaviours.
    mod seeds {
        use super::*;
        use std::ffi::OsString;

        /// Where the seed pages are: `GAZETTE_SEEDS` (which must then be a folder),
        /// else `default` when it exists. Missing seeds are an error under CI (`CI` set,
        /// and not `false` or `0`), which always has `../shared` beside the clone, so
        /// that CI cannot pass without running them.
        pub(super) fn locate(env_seeds: Option<OsString>, ci: Option<OsString>, default: &Path) -> Result<Option<PathBuf>, String> {
            if let Some(dir) = env_seeds.filter(|d| !d.is_empty()).map(PathBuf::from) {
                return if dir.is_dir() { Ok(Some(dir)) } else { Err(format!("GAZETTE_SEEDS={} is not a folder", dir.display())) };
            }
            if default.is_dir() {
                return Ok(Some(default.to_path_buf()));
            }
            let in_ci = ci.is_some_and(|v| !v.is_empty() && v != "false" && v != "0");
            if in_ci {
                return Err(format!("CI is set but the seed pages are missing: {} (CI keeps ../shared beside the clone)", default.display()));
            }
            Ok(None)
        }

        fn seeds_dir() -> Option<PathBuf> {
            let default = manifest_dir().join("../shared/seeds");
            match locate(std::env::var_os("GAZETTE_SEEDS"), std::env::var_os("CI"), &default) {
                Ok(Some(dir)) => Some(dir),
                Ok(None) => {
                    eprintln!("seed test skipped: no {} (set GAZETTE_SEEDS to run it)", default.display());
                    None
                }
                Err(message) => panic!("{message}"),
            }
        }

        /// The seed whose file name starts with `prefix`, or None when there are no seeds.
        fn seed(prefix: &str) -> Option<PathBuf> {
            let dir = seeds_dir()?;
            let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("seeds folder {}: {e}", dir.display()));
            let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
            names.sort();
            let found = names.into_iter().find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix)));
            Some(found.unwrap_or_else(|| panic!("seed {prefix} not found in {}", dir.display())))
        }

        #[test]
        fn missing_seeds_fail_under_ci_and_are_skipped_elsewhere() {
            let nowhere = Path::new("/nonexistent/shared/seeds");
            assert_eq!(locate(None, None, nowhere), Ok(None));
            assert_eq!(locate(None, Some("false".into()), nowhere), Ok(None));
            assert!(locate(None, Some("true".into()), nowhere).is_err_and(|e| e.contains("CI is set")));
            assert!(locate(Some("/nonexistent/seeds".into()), None, nowhere).is_err_and(|e| e.contains("GAZETTE_SEEDS")));
            let here = manifest_dir().join("src/import/testdata");
            assert_eq!(locate(Some(here.clone().into()), Some("true".into()), nowhere), Ok(Some(here.clone())));
            assert_eq!(locate(None, Some("true".into()), &here), Ok(Some(here)));
        }

        #[test]
        fn seed_000_county_consultation() {
            let Some(page) = seed("000") else { return };
            let file = import_page(&page);
            let article = &file.articles[0];
            assert_front(article, &Expected {
                title: "携手共谋县域创新 四川首次举办局县科技会商",
                date: None,
                regions: &["四川省/广元市/旺苍县"],
                category: "科技合作",
                source: Some("石家庄地方网"),
                author: None,
                draft: true,
            });
            assert!(article.output.starts_with("content/undated"), "{}", article.output.display());
            assert!(article.content.contains("draft: true\n# review: the page gives no date"));
            assert_eq!(canonical(&body_of(article)), text_of_lines(&page, 7, 23));
            assert!(body_of(article).contains("增幅达27%，R&D经费投入强度增幅达32.4%，"));
            assert_eq!(article.front.tags, vec!["科技会商", "绿色家居", "县域创新", "局县会商", "清单制"]);
            assert_no_chrome(&page, article, 7, 23, &[3]);
            // The related list's dates belong to other articles.
            assert!(!article.content.contains("2024-03-19"));
        }

        #[test]
        fn seed_000_with_date_option_is_not_a_draft() {
            let Some(page) = seed("000") else { return };
            let mut opts = options(vec![page]);
            opts.date = Some("2024-03-15".to_string());
            let report = import(&opts).expect("imports");
            let article = &report.files[0].articles[0];
            assert_eq!(article.front.date.as_deref(), Some("2024-03-15"));
            assert!(!article.needs_review(), "{:?}", article.front.reviews);
            assert!(article.output.starts_with("content/2024"));
        }

        #[test]
        fn seed_001_province_city_consultation() {
            let Some(page) = seed("001") else { return };
            let file = import_page(&page);
            let article = &file.articles[0];
            assert_front(article, &Expected {
                title: "四川省科学技术厅广安市人民政府第三次厅市工作会商会议在广安召开",
                date: None,
                regions: &["四川省/广安市"],
                category: "科技合作",
                source: Some("中国技术交易所"),
                author: None,
                draft: true,
            });
            assert!(article.front.reviews.iter().any(|r| r.contains("11月17日")), "{:?}", article.front.reviews);
            for generic in ["科技厅", "创业", "人民政府"] {
                assert!(!article.front.tags.iter().any(|t| t == generic), "{:?}", article.front.tags);
            }
            assert_eq!(canonical(&body_of(article)), text_of_lines(&page, 7, 13));
            assert_no_chrome(&page, article, 7, 13, &[3]);
        }

        #[test]
        fn seed_001_explain_lists_every_dropped_line_with_a_reason() {
            let Some(page) = seed("001") else { return };
            let mut opts = options(vec![page]);
            opts.explain = true;
            let report = import(&opts).expect("imports");
            let printed = report.to_string();
            assert!(printed.contains("dropped line 1 [breadcrumb navigation]"), "{printed}");
            assert!(printed.contains("[disclaimer]"));
            assert!(printed.contains("dropped line 26 [copyright / ICP licence line]: 京ICP备"));
            assert!(printed.contains("region:   四川省/广安市"));
        }

        #[test]
        fn seed_002_two_cities_traditional_with_pinyin() {
            let Some(page) = seed("002") else { return };
            let file = import_page(&page);
            let article = &file.articles[0];
            assert_front(article, &Expected {
                title: "北碚：以科技為引領唱好“雙城記”",
                date: Some("2020-09-10T07:22:00+08:00"),
                regions: &["重庆市/北碚区", "四川省/绵阳市"],
                category: "区域协同",
                source: Some("今日重慶"),
                author: Some("高維微"),
                draft: true, // two characters of the page are lost (新?lián)?dāng))
            });
            let reviews = &article.front.reviews;
            assert_eq!(reviews.len(), 5, "{reviews:?}");
            assert!(reviews.iter().any(|r| r.starts_with("line 15: ") && r.contains("U+E2FD")), "{reviews:?}");
            assert!(reviews.iter().any(|r| r.starts_with("line 25: ") && r.contains("鉁u輪")), "{reviews:?}");
            // Tags are simplified, whole terms, and not generic words.
            assert_eq!(article.front.tags.first().map(String::as_str), Some("成渝地区双城经济圈"), "{:?}", article.front.tags);
            assert!(!article.front.tags.iter().any(|t| ["平台", "交流", "技术", "大学"].contains(&t.as_str())), "{:?}", article.front.tags);
            let body = body_of(article);
            assert!(!body.contains("(lǐng)") && !body.contains("yáng") && !body.contains("/p>"), "{body}");
            assert!(body.contains("5月13日，兩地科學技術局"));
            assert!(body.contains("\n## 搭建平臺助力兩地取長補短\n"));
            assert!(body.contains("推動兩地科技成果雙向轉移。”"));
            assert_eq!(canonical(&body), text_of_lines(&page, 13, 65));
            assert_no_chrome(&page, article, 13, 65, &[5, 11]);
        }

        #[test]
        fn seed_002_reimport_is_stable() {
            let Some(page) = seed("002") else { return };
            let dir = scratch_dir("seed-002");
            let mut opts = options(vec![page]);
            opts.dry_run = false;
            opts.into = dir.clone();
            let first = import(&opts).expect("first import writes");
            assert_eq!(first.files[0].articles[0].outcome, Outcome::Written);
            assert!(first.files[0].articles[0].output.starts_with(dir.join("2020")));
            let again = import(&opts).expect("same page again");
            assert_eq!(again.files[0].articles[0].outcome, Outcome::Unchanged);
            let _ = std::fs::remove_dir_all(&dir);
        }

        #[test]
        fn seed_003_newspaper_page_gives_its_lead_story() {
            let Some(page) = seed("003") else { return };
            let file = import_page(&page);
            assert_eq!(file.articles.len(), 1);
            let article = &file.articles[0];
            assert_front(article, &Expected {
                title: "四川确定新一年科技创新“任务书”",
                date: Some("2024-02-19"),
                regions: &["四川省"],
                category: "规划部署",
                source: Some("四川科技网"),
                author: Some("文露敏"),
                draft: true, // the date is inferred
            });
            assert!(article.front.reviews.iter().any(|r| r.contains("inferred")));
            // The kicker (line 7) is article text: a bold first paragraph. The byline that
            // closed the story is the author now, not body text.
            let body = body_of(article);
            assert!(body.starts_with("\n**高新技术产业力争实现营业收入3万亿元**\n\n力争全年"), "{body}");
            assert!(body.ends_with("全面深化职务科技成果权属制度改革。\n"), "{body}");
            assert_eq!(canonical(&body), text_of_lines(&page, 7, 7) + &text_of_lines(&page, 11, 37).replace("文露敏", ""));
            assert_eq!(article.kicker.as_deref(), Some("高新技术产业力争实现营业收入3万亿元"));
            assert_no_chrome(&page, article, 11, 37, &[5, 7, 9]);
            assert!(file.dropped.iter().all(|d| d.line != 7), "{:?}", file.dropped);
            assert!(!article.front.tags.iter().any(|t| t == "专项" || t == "科技成果"), "{:?}", article.front.tags);
            assert!(file.dropped.iter().any(|d| d.line == 39 && d.reason == "photo-news sidebar"));
            assert_eq!(
                file.skipped_stories,
                vec!["南江县高质量推进天府科技云服务工作", "节后返岗复工 我省开足马力抓生产促发展", "“新春第一会”吹响发展号角"]
            );
        }

        #[test]
        fn seed_003_split_imports_every_story_separately() {
            let Some(page) = seed("003") else { return };
            let mut opts = options(vec![page]);
            opts.split = true;
            let report = import(&opts).expect("imports");
            let articles = &report.files[0].articles;
            let titles: Vec<&str> = articles.iter().map(|a| a.front.title.as_str()).collect();
            assert_eq!(titles[0], "四川确定新一年科技创新“任务书”");
            assert_eq!(articles.len(), 4, "{titles:?}");
            let nanjiang = &articles[1];
            assert_eq!(nanjiang.front.regions, vec!["四川省/巴中市/南江县".to_string()]);
            assert_eq!(nanjiang.front.author.as_deref(), Some("付建昌"));
            // No story is glued onto another.
            assert!(!body_of(&articles[0]).contains("南江县"));
            assert!(!body_of(nanjiang).contains("两河口"));
        }

        #[test]
        fn seed_004_policy_interpretation_in_traditional() {
            let Some(page) = seed("004") else { return };
            let file = import_page(&page);
            let article = &file.articles[0];
            assert_front(article, &Expected {
                title: "加快培育新質生產力 以科技創新推動產業創新——解讀《鎮江市科技創新引領產業強市行動方案》",
                date: None,
                regions: &["江苏省/镇江市"],
                category: "政策解读",
                source: None,
                author: Some("陳志奎"),
                draft: true,
            });
            // The page's GBK text read one byte late (`?!笔锌萍季志珠L`) is repaired.
            assert!(body_of(article).contains("也是我們工作的主線主題。”市科技局局長肖敬東表示"));
            assert_eq!(article.front.reviews.len(), 1, "only the date: {:?}", article.front.reviews);
            assert!(body_of(article).ends_with("推進產業強市建設取得更大成效。\n"), "the byline is the author now");
            let expected = text_of_lines(&page, 9, 23).replace("笔锌萍季志珠", "市科技局局長");
            assert_eq!(canonical(&body_of(article)), expected.strip_suffix("記者陳志奎").unwrap_or_default());
            assert_no_chrome(&page, article, 9, 23, &[7]);
        }

        #[test]
        fn seed_004_simplify_converts_the_article_text() {
            let Some(page) = seed("004") else { return };
            let mut opts = options(vec![page]);
            opts.simplify = true;
            let report = import(&opts).expect("imports");
            let article = &report.files[0].articles[0];
            assert_eq!(article.front.title, "加快培育新质生产力 以科技创新推动产业创新——解读《镇江市科技创新引领产业强市行动方案》");
            assert_eq!(article.front.author.as_deref(), Some("陈志奎"));
            assert!(body_of(article).contains("镇江新一轮创新发展蓝图已绘就"));
        }
    }
}
