//! An article's plain text put aside between the load stage, which extracts it, and the
//! search index, which reads it once, late in the render stage.
//!
//! Why not in memory: 10,000 articles hold about 75 MB of plain text, 40–50 MB compressed,
//! for the whole build (a sixth of its memory). So each text is compressed (raw DEFLATE,
//! fastest level) and appended to one anonymous temporary file of the process (the system's
//! temporary folder, `TMPDIR`; gone when gazette ends, even if killed); the article keeps
//! where it is. The operating system keeps the file in its page cache, which it can drop
//! under pressure, instead of in gazette's own memory. When no temporary file can be made,
//! the texts stay in memory. In `serve --watch`, a reloaded article's new text is appended
//! and the old one left: the file grows by an edit's text per edit.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::{Mutex, OnceLock};

use flate2::{read::DeflateDecoder, write::DeflateEncoder, Compression};

/// A packed text: where it is.
#[derive(Debug, Clone, Default)]
pub struct PackedText(Place);

#[derive(Debug, Clone, Default)]
enum Place {
    #[default]
    Empty,
    Memory(Box<[u8]>),
    File { at: u64, len: u32 },
}

/// The process's file of texts, if one could be made.
fn spill() -> Option<&'static Mutex<File>> {
    static SPILL: OnceLock<Option<Mutex<File>>> = OnceLock::new();
    SPILL.get_or_init(|| tempfile::tempfile().ok().map(Mutex::new)).as_ref()
}

/// `text`, compressed and put aside.
pub fn pack(text: &str) -> PackedText {
    let mut encoder = DeflateEncoder::new(Vec::with_capacity(text.len() / 2), Compression::fast());
    // writing to a Vec cannot fail
    let _ = encoder.write_all(text.as_bytes());
    let bytes = encoder.finish().unwrap_or_default();
    if let Some(file) = spill() {
        let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
        let at = file.seek(SeekFrom::End(0));
        if let Ok(at) = at {
            if file.write_all(&bytes).is_ok() {
                return PackedText(Place::File { at, len: bytes.len() as u32 });
            }
            // a partial write: the next text is appended after it, and this one kept here
        }
    }
    PackedText(Place::Memory(bytes.into_boxed_slice()))
}

impl PackedText {
    /// The text [`pack`] was given.
    pub fn unpack(&self) -> io::Result<String> {
        let read;
        let bytes: &[u8] = match &self.0 {
            Place::Empty => return Ok(String::new()),
            Place::Memory(bytes) => bytes,
            Place::File { at, len } => {
                let file = spill().ok_or_else(|| io::Error::other("the texts' temporary file is gone"))?;
                let mut buf = vec![0; *len as usize];
                let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
                file.seek(SeekFrom::Start(*at))?;
                file.read_exact(&mut buf)?;
                read = buf;
                &read
            }
        };
        let mut text = String::with_capacity(bytes.len() * 2);
        DeflateDecoder::new(bytes).read_to_string(&mut text)?;
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_comes_back_as_it_was_from_the_file() {
        let texts: Vec<String> = (0..50).map(|i| format!("成渝地区双城经济圈建设推进会召开{i}。會議強調，要以科技创新引领发展。").repeat(i)).collect();
        let packed: Vec<PackedText> = texts.iter().map(|t| pack(t)).collect();
        assert!(packed.iter().all(|p| matches!(p.0, Place::File { .. })), "put aside in the file");
        for (p, t) in packed.iter().zip(&texts).rev() {
            assert_eq!(&p.unpack().unwrap(), t);
        }
        assert_eq!(PackedText::default().unpack().unwrap(), "");
        assert!(PackedText(Place::Memory(b"\xff\xfe not deflate".to_vec().into_boxed_slice())).unpack().is_err());
    }
}
