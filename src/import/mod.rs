//! `gazette import`: raw scraped policy-news pages (text or HTML) in, clean Markdown
//! articles with SPEC front matter out, with a report of what was detected and dropped.

pub mod clean;
pub mod html;
pub mod meta;
pub mod regions;
pub mod repair;
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
    pub files: Vec<FileReport>,
    pub explain: bool,
}

/// Imports every file: analyses all of them first, checks that no existing file would
/// be overwritten (without `--force`), then writes (unless `--dry-run`).
pub fn import(opts: &ImportOptions) -> Result<ImportReport, ImportError> {
    let option_date = parse_date_option(opts)?;
    let mut files = Vec::with_capacity(opts.files.len());
    let mut taken: BTreeSet<PathBuf> = BTreeSet::new();
    for path in &opts.files {
        let bytes = read_input(path)?;
        let mut report = analyse(path, &bytes, opts, option_date)?;
        for article in &mut report.articles {
            article.output = unique_path(&article.output, &mut taken);
        }
        files.push(report);
    }
    for report in &mut files {
        for article in &mut report.articles {
            article.outcome = plan_outcome(article, opts)?;
        }
    }
    if !opts.dry_run {
        for article in files.iter().flat_map(|f| f.articles.iter()) {
            write_article(article)?;
        }
    }
    Ok(ImportReport { files, explain: opts.explain })
}

/// The most `import` reads of one input: far more than any real page (a long policy
/// document with inline images is a few MB), little enough to stop a wrong path such as
/// `/dev/zero` or a disk image before it fills memory.
pub const MAX_INPUT_BYTES: u64 = 32 * 1024 * 1024;

/// Reads one input, refusing it once it passes [`MAX_INPUT_BYTES`]. Reads at most one byte
/// more than the cap, so a device, a pipe or a growing file never takes more memory than
/// that (their size is not known in advance).
fn read_input(path: &Path) -> Result<Vec<u8>, ImportError> {
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
    Ok(bytes)
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
fn analyse(path: &Path, bytes: &[u8], opts: &ImportOptions, option_date: Option<PageDate>) -> Result<FileReport, ImportError> {
    let fail = |message: String| ImportError { file: path.to_path_buf(), message };
    let decoded = html::decode(bytes).map_err(fail)?;
    let mut warnings = Vec::new();
    if let Some(encoding) = decoded.encoding {
        let how = if decoded.guessed { "guessed" } else { "declared" };
        warnings.push(format!("decoded from {encoding} ({how})"));
    }
    let (text, markup) = if html::looks_like_html(&decoded.text) {
        let (text, markup) = html::html_to_text(&decoded.text);
        (text, Some(markup))
    } else {
        (decoded.text, None)
    };
    let mut hints = Hints { title: markup.as_ref().and_then(|m| m.title.clone()) };
    if opts.simplify {
        hints.title = hints.title.map(|t| simplify(&t));
    }
    let (lines, damage) = page_lines(&text, opts.simplify);
    let page = clean::segment(lines, &hints).ok_or_else(|| fail("no headline and article text found".to_string()))?;
    let shared = PageFacts::read(&page, markup.as_ref(), option_date, damage);
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
    html_author: Option<String>,
    /// Damaged text a person must check, by line number; it goes into the review of
    /// the article whose text holds the line (damage in dropped lines does not matter).
    damage: Vec<(usize, String)>,
}

impl PageFacts {
    fn read(page: &Page, markup: Option<&html::HtmlMeta>, option_date: Option<PageDate>, damage: Vec<(usize, String)>) -> PageFacts {
        let markup_date = markup.and_then(|m| m.date.as_deref()).and_then(|d| meta::full_dates(d).into_iter().next());
        let (date, date_source) = match markup_date {
            Some(date) => (Some(date), DateSource::Page),
            None => meta::detect_date(page, option_date),
        };
        PageFacts {
            date,
            date_source,
            source_name: markup.and_then(|m| m.source.clone()).or_else(|| meta::detect_source(page)),
            source_url: markup.and_then(|m| m.url.clone()),
            html_author: markup.and_then(|m| m.author.clone()),
            damage,
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
    let Some(last) = paragraphs.last_mut().filter(|p| p.kind == ParagraphKind::Text) else { return paragraphs };
    let names_author = author.is_some_and(|a| meta::byline_author(&last.text).as_deref() == Some(a));
    if let Some(text) = clean::strip_byline(&last.text).filter(|_| names_author) {
        last.text = text;
    }
    paragraphs.retain(|p| !p.text.is_empty());
    paragraphs
}

/// One story → its front matter, output path and file text.
fn build_article(page: &Page, story: &Story, is_lead: bool, facts: &PageFacts, opts: &ImportOptions) -> ArticleReport {
    let author = if is_lead { facts.html_author.clone() } else { None }.or_else(|| meta::detect_author(page, story, is_lead));
    let paragraphs = paragraphs_without_byline(story, author.as_deref());
    let title_simplified = simplify(&story.title);
    let body_simplified = simplify(&paragraphs.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n"));
    let mut reviews = Vec::new();
    let regions: Vec<String> = regions::divisions().detect(&title_simplified, &body_simplified).into_iter().map(|m| m.path).collect();
    if regions.is_empty() {
        reviews.push("no place from the division table found; set region:".to_string());
    }
    let category = match meta::detect_category(&opts.categories, &title_simplified, &body_simplified) {
        Some((name, true)) => name,
        Some((name, false)) => {
            reviews.push(format!("no category keyword matched; '{name}' (the first category) is a guess"));
            name
        }
        None => {
            reviews.push("the site has no categories; set category:".to_string());
            "未分类".to_string()
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
        let articles: Vec<&ArticleReport> = self.files.iter().flat_map(|f| f.articles.iter()).collect();
        let drafts = articles.iter().filter(|a| a.needs_review()).count();
        writeln!(f, "{} file(s), {} article(s), {} marked draft for review", self.files.len(), articles.len(), drafts)
    }
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
    writeln!(f, "    category: {}", front.category)?;
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
        assert_eq!(front.category, expected.category);
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
        let lead_only = analyse(Path::new("page.txt"), page.as_bytes(), &opts, None).expect("imports");
        assert!(lead_only.articles[0].front.reviews.iter().all(|r| !r.contains("鉁u")), "{:?}", lead_only.articles[0].front.reviews);
        opts.split = true;
        let split = analyse(Path::new("page.txt"), page.as_bytes(), &opts, None).expect("imports");
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
            let _ = analyse(Path::new("odd.txt"), text.as_bytes(), &opts, None);
        }
        let long_line = "科技，".repeat(20_000);
        let _ = analyse(Path::new("long.txt"), long_line.as_bytes(), &opts, None);
        let binary: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        let _ = analyse(Path::new("binary.bin"), &binary, &opts, None);
        let crlf = analyse(Path::new("crlf.txt"), odd[15].as_bytes(), &opts, None).expect("imports");
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
        let refused = import(&opts).expect_err("refuses to overwrite");
        assert!(refused.to_string().contains("--force"), "{refused}");
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
        let missing = PathBuf::from("/nonexistent/page.txt");
        let error = import(&options(vec![missing])).expect_err("missing file");
        assert!(error.to_string().starts_with("/nonexistent/page.txt: cannot read"), "{error}");
        let dir = scratch_dir("empty");
        std::fs::create_dir_all(&dir).expect("temp dir");
        let empty = dir.join("empty.txt");
        std::fs::write(&empty, "当前位置：首页 > 新闻\n版权所有").expect("write");
        let error = import(&options(vec![empty])).expect_err("no article");
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
