//! Precompressed copies for `gazette build --compress`: which output files get a `.gz` and
//! a `.br` beside them, and those bytes. The bytes depend only on the file's bytes (gzip
//! header with mtime 0, no file name, OS byte 255; fixed levels), so an unchanged file
//! keeps unchanged siblings. The output folder decides when to make them
//! (`super::folder`); the rule is in docs/output-folder.md.

use std::io::{self, Write};

/// Files smaller than this get no siblings: a request for them costs more in headers
/// than compression saves, and servers (nginx `gzip_min_length`, CDNs) skip them too.
pub const MIN_SIZE: usize = 256;

/// zlib-style level 1–9, chosen by measurement on the text files of the 10,000-article
/// corpus (docs/performance.md, "build --compress"; zlib-rs): 3 leaves 0.356 of the bytes
/// at 116 MB/s, 6 leaves 0.349 at 90 MB/s, 1 (fixed codes) 0.450. The `.gz` only serves
/// clients without Brotli, so 2 % of its size is not worth a quarter more of its CPU.
pub const GZIP_LEVEL: u32 = 3;

/// Brotli quality 0–11, measured the same way with Google's encoder: 5 leaves 0.296 of
/// the bytes at about half gzip 6's speed; 6 is 0.2% smaller for 4% more CPU; 4 and below
/// are no smaller than the `.gz`; 7 gains 2% more for a third to a half more CPU. A build
/// from nothing with `--compress` is about twice the build without it: every bit counts.
pub const BROTLI_QUALITY: u32 = 5;

/// Brotli's window (log2 bytes) is the smallest that holds the file, but at least 18
/// and at most 22 (4 MB; a decoder needs no more memory than the window). Google's
/// encoder is as fast with 18 as with smaller windows (the pure-Rust port was 20 times
/// slower below 18), and a larger one gains nothing on pages that fit.
fn brotli_window(len: usize) -> u32 {
    let mut window = 18;
    while window < 22 && (1usize << window) - 16 < len {
        window += 1;
    }
    window
}

/// The kinds of sibling, in the order they are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gzip,
    Brotli,
}

impl Encoding {
    pub const ALL: [Encoding; 2] = [Encoding::Gzip, Encoding::Brotli];

    /// What the sibling's name adds to the file's: `index.html` → `index.html.gz`.
    pub fn suffix(self) -> &'static str {
        match self {
            Encoding::Gzip => ".gz",
            Encoding::Brotli => ".br",
        }
    }

    pub fn compress(self, bytes: &[u8]) -> io::Result<Vec<u8>> {
        match self {
            Encoding::Gzip => gzip(bytes),
            Encoding::Brotli => brotli(bytes),
        }
    }
}

/// File types that are text and compress (what nginx's `gzip_types` and CDNs compress);
/// images, fonts, PDFs and the search index's binary files are compressed already or do
/// not shrink.
const TEXT: &[&str] = &["html", "htm", "css", "js", "mjs", "json", "map", "webmanifest", "xml", "xsl", "rss", "atom", "txt", "csv", "svg"];

/// Whether the file at `rel`, `size` bytes long, gets siblings (if they pay:
/// [`worth_it`]).
pub fn wanted(rel: &str, size: usize) -> bool {
    size >= MIN_SIZE && is_text(rel)
}

/// Whether `rel` names a text file by its extension (any letter case).
pub fn is_text(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => TEXT.iter().any(|t| t.eq_ignore_ascii_case(ext)),
        _ => false,
    }
}

/// A sibling is written only when it is smaller than the file: otherwise a server that
/// sends it would send more bytes, and one that does not would have nothing to gain.
pub fn worth_it(compressed: &[u8], original: &[u8]) -> bool {
    compressed.len() < original.len()
}

/// gzip (RFC 1952) with a fixed header: mtime 0, no file name, OS "unknown". (Into
/// memory: an error would be the encoder's own.)
pub fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let out = Vec::with_capacity(bytes.len() / 3 + 64);
    let mut encoder = flate2::GzBuilder::new().mtime(0).operating_system(255).write(out, flate2::Compression::new(GZIP_LEVEL));
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// Brotli (RFC 7932) at [`BROTLI_QUALITY`], by Google's C encoder (`brotlic`), in one
/// call into a buffer of the encoder's worst-case size.
pub fn brotli(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let failed = |what: &str| io::Error::other(format!("brotli: {what}"));
    let quality = brotlic::Quality::new(BROTLI_QUALITY as u8).map_err(|_| failed("bad quality"))?;
    let window = brotlic::WindowSize::new(brotli_window(bytes.len()) as u8).map_err(|_| failed("bad window"))?;
    let bound = brotlic::compress_bound(bytes.len(), quality).ok_or_else(|| failed("no size bound"))?;
    let mut out = vec![0u8; bound];
    let n = brotlic::compress(bytes, &mut out, quality, window, brotlic::CompressionMode::Generic).map_err(|_| failed("the encoder failed"))?;
    out.truncate(n);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn page() -> Vec<u8> {
        "<p>四川省科技厅召开局县科技会商会议，推动县域创新发展。</p>\n".repeat(40).into_bytes()
    }

    #[test]
    fn siblings_decompress_to_the_bytes_and_are_the_same_every_time() {
        let bytes = page();
        let gz = gzip(&bytes).unwrap();
        assert_eq!(&gz[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255], "fixed header: no name, mtime 0, OS unknown");
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut back).unwrap();
        assert_eq!(back, bytes);
        let br = brotli(&bytes).unwrap();
        let mut back = Vec::new();
        // decoded by an independent decoder (the pure-Rust one), not Google's own
        brotli_decompressor::Decompressor::new(&br[..], 4096).read_to_end(&mut back).unwrap();
        assert_eq!(back, bytes);
        assert_eq!((gzip(&bytes).unwrap(), brotli(&bytes).unwrap()), (gz.clone(), br.clone()));
        assert!(worth_it(&gz, &bytes) && worth_it(&br, &bytes));
    }

    #[test]
    fn text_files_of_some_size_are_wanted_binary_and_tiny_ones_not() {
        for rel in ["index.html", "css/style.css", "js/search.js", "feed.xml", "sitemap.xml", "robots.txt", "search/t2s/4e.txt", "favicon.svg", "a/B.JSON"] {
            assert!(wanted(rel, 1000), "{rel}");
        }
        for rel in ["search/d/1.bin", "search/meta.z", "photo.jpg", "a.html.gz", "Makefile", ".html", "dir.html/file"] {
            assert!(!wanted(rel, 1000), "{rel}");
        }
        assert!(!wanted("index.html", MIN_SIZE - 1));
        assert!(wanted("index.html", MIN_SIZE));
    }

    #[test]
    fn the_window_holds_the_file_within_bounds() {
        assert_eq!(brotli_window(300), 18);
        assert_eq!(brotli_window((1 << 18) - 16), 18);
        assert_eq!(brotli_window(1 << 18), 19);
        assert_eq!(brotli_window(100 << 20), 22);
    }

    #[test]
    fn random_bytes_do_not_pay() {
        let mut x = 0x2545_f491_u32;
        let noise: Vec<u8> = (0..4000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        assert!(!worth_it(&gzip(&noise).unwrap(), &noise));
    }
}
