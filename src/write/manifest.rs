//! The files gazette wrote into an output folder (`.gazette/manifest`): what a build may
//! replace or remove (nothing else), and what tells an unchanged file without reading it:
//! a hash of its bytes, its size and its modification time.

use std::fs::Metadata;
use std::hash::Hasher;
use std::io;
use std::path::Path;

use rustc_hash::FxHashMap;

/// The first line of a manifest; a manifest of another version is not trusted.
const HEADER: &str = "gazette-manifest 1";

/// What gazette knows of one file it wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// A 128-bit hash of the bytes ([`content_hash`]).
    pub hash: u128,
    pub size: u64,
    /// Nanoseconds since the epoch when gazette last wrote the file; `None` for files
    /// taken over from an older gazette's output (they are always written again).
    pub modified: Option<i128>,
}

impl Record {
    /// Whether the file on disk, as `meta` describes it, still is what gazette wrote.
    pub fn matches_disk(&self, meta: &Metadata) -> bool {
        meta.is_file() && meta.len() == self.size && self.modified.is_some() && modified_ns(meta) == self.modified
    }
}

/// Path relative to the output folder (with `/`) → record.
#[derive(Debug, Default, Clone)]
pub struct Manifest {
    pub files: FxHashMap<String, Record>,
}

impl Manifest {
    /// The manifest at `path`, or `None` when there is none.
    pub fn read(path: &Path) -> io::Result<Option<Manifest>> {
        match std::fs::read_to_string(path) {
            Ok(text) => Manifest::parse(&text).map(Some).map_err(|msg| io::Error::new(io::ErrorKind::InvalidData, format!("{}: {msg}", path.display()))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn parse(text: &str) -> Result<Manifest, String> {
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Err(format!("not a manifest of this gazette (the first line is not `{HEADER}`)"));
        }
        let mut files = FxHashMap::default();
        for (n, line) in lines.enumerate() {
            let bad = || format!("line {}: cannot read {line:?}", n + 2);
            let mut parts = line.splitn(4, ' ');
            let (Some(hash), Some(size), Some(modified), Some(path)) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
                return Err(bad());
            };
            let hash = u128::from_str_radix(hash, 16).map_err(|_| bad())?;
            let size = size.parse().map_err(|_| bad())?;
            let modified = if modified == "-" { None } else { Some(modified.parse().map_err(|_| bad())?) };
            files.insert(unescape(path), Record { hash, size, modified });
        }
        Ok(Manifest { files })
    }

    /// The text of a manifest holding `records`, in the order given (sorted by path:
    /// the same files give the same text).
    #[cfg(test)]
    pub fn text_of<'a>(records: impl ExactSizeIterator<Item = (&'a str, &'a Record)>) -> String {
        let mut text = String::new();
        Manifest::text_into(&mut text, &mut Vec::new(), records);
        text
    }

    /// [`Manifest::text_of`] into `text` (emptied first; its memory is reused), with
    /// where each record's line starts in `starts` (and, last, where the text ends).
    pub fn text_into<'a>(text: &mut String, starts: &mut Vec<usize>, records: impl ExactSizeIterator<Item = (&'a str, &'a Record)>) {
        text.clear();
        starts.clear();
        text.reserve(100 * records.len() + HEADER.len() + 1);
        starts.reserve(records.len() + 1);
        Manifest::header_into(text);
        for (path, r) in records {
            starts.push(text.len());
            Manifest::line_into(text, path, r);
        }
        starts.push(text.len());
    }

    /// The first line.
    pub fn header_into(text: &mut String) {
        text.push_str(HEADER);
        text.push('\n');
    }

    /// The line of one file.
    pub fn line_into(text: &mut String, path: &str, r: &Record) {
        use std::fmt::Write;
        // By hand rather than through `format!`: a rebuild of `serve --watch` writes the
        // line of every file it does not patch (17,000 lines at 10,000 articles).
        let mut hex = [0u8; 32];
        let mut hash = r.hash;
        for digit in hex.iter_mut().rev() {
            *digit = b"0123456789abcdef"[(hash & 0xf) as usize];
            hash >>= 4;
        }
        text.push_str(std::str::from_utf8(&hex).unwrap_or_default());
        let _ = write!(text, " {} ", r.size);
        match r.modified.map(i64::try_from) {
            // i128's formatting is several times slower than i64's.
            Some(Ok(m)) => {
                let _ = write!(text, "{m}");
            }
            Some(Err(_)) => {
                let _ = write!(text, "{}", r.modified.unwrap_or_default());
            }
            None => text.push('-'),
        }
        text.push(' ');
        text.push_str(&escape(path));
        text.push('\n');
    }
}

/// A hash of `bytes` that stays the same across gazette versions and machines (SipHash
/// 1-3 with 128-bit output and fixed keys; `std`'s hasher makes no such promise).
pub fn content_hash(bytes: &[u8]) -> u128 {
    let mut hasher = siphasher::sip128::SipHasher13::new();
    hasher.write(bytes);
    siphasher::sip128::Hasher128::finish128(&hasher).as_u128()
}

/// The modification time of a file in nanoseconds since the epoch.
pub fn modified_ns(meta: &Metadata) -> Option<i128> {
    let time = meta.modified().ok()?;
    Some(match time.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => after.as_nanos() as i128,
        Err(before) => -(before.duration().as_nanos() as i128),
    })
}

/// Paths go one to a line: a line break or backslash in a name is escaped.
fn escape(path: &str) -> std::borrow::Cow<'_, str> {
    if path.contains(['\\', '\n', '\r']) {
        path.replace('\\', "\\\\").replace('\n', "\\n").replace('\r', "\\r").into()
    } else {
        path.into()
    }
}

fn unescape(path: &str) -> String {
    if !path.contains('\\') {
        return path.to_string();
    }
    let mut out = String::with_capacity(path.len());
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_what_was_written() {
        let mut records = vec![
            ("2024/03/局县会商/index.html".to_string(), Record { hash: content_hash("正文".as_bytes()), size: 6, modified: Some(1_700_000_000_123_456_789) }),
            ("a b\\c\nd.txt".to_string(), Record { hash: 1, size: 0, modified: None }),
            ("index.html".to_string(), Record { hash: u128::MAX, size: 10, modified: Some(-5) }),
        ];
        records.sort_by(|a, b| a.0.cmp(&b.0));
        let text = Manifest::text_of(records.iter().map(|(path, r)| (path.as_str(), r)));
        assert!(text.starts_with("gazette-manifest 1\n"));
        let back = Manifest::parse(&text).unwrap();
        assert_eq!(back.files.len(), 3);
        for (path, record) in &records {
            assert_eq!(back.files.get(path), Some(record), "{path:?}");
        }
    }

    #[test]
    fn a_damaged_manifest_is_an_error_naming_the_line() {
        assert!(Manifest::parse("something else\n").unwrap_err().contains("first line"));
        let err = Manifest::parse("gazette-manifest 1\nzz 1 - a.html\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
    }

    #[test]
    fn the_content_hash_is_stable() {
        // Written down once: a different value means every site's files are rewritten
        // once after an upgrade, so a change here must be deliberate.
        assert_eq!(format!("{:032x}", content_hash("局县会商".as_bytes())), "e3b2029ff4e92a8a877f2c01ea50f5f4");
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
    }
}
