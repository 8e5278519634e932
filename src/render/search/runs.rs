//! Every article's terms, read once, put aside by index partition until the lists are
//! merged one partition at a time ([`super::postings`]).
//!
//! Why: the lists of a whole index are about as large as the index (≈ 110 MB at 10,000
//! articles) and a site's text is read, folded and cut into terms once (reading it again
//! for each part of the index cost most of the build's indexing time). So each article's
//! terms go out compactly, by partition, in article order; past [`SPILL_BYTES`] a
//! partition's run goes to an anonymous temporary file (the system's temporary folder,
//! gone when the build ends, never in the site or output folder), and the merge reads back
//! one partition at a time: the memory is a partition's lists, not the index's.
//!
//! An article's bytes in a run: varint(id), varint(entries), then per entry
//! varint(key >> 32), varint(key & 0xFFFF_FFFF), varint(count << 1 | in title),
//! varint(position bytes) and those bytes (the positions as varint gaps, pairs and fours
//! only): what a term list appends, ready to copy.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};

use super::grams::{ArticleGrams, PARTITIONS};
use super::postings::varint;

/// A partition's run held in memory up to this size before it is appended to its file.
const SPILL_BYTES: usize = 64 << 10;

/// One article's terms, encoded, by partition.
pub struct ArticleRun {
    bytes: Vec<u8>,
    /// Where each partition's bytes start in `bytes` (and one past the last).
    starts: [u32; PARTITIONS + 1],
}

impl ArticleRun {
    pub fn of(id: u32, g: &ArticleGrams) -> ArticleRun {
        let mut bytes = Vec::with_capacity(g.entries.len() * 6 + g.positions.len() * 2);
        let mut starts = [0u32; PARTITIONS + 1];
        let mut gaps = Vec::new();
        for part in 0..PARTITIONS {
            starts[part] = bytes.len() as u32;
            let entries = &g.entries[g.partition_starts[part] as usize..g.partition_starts[part + 1] as usize];
            if entries.is_empty() {
                continue;
            }
            varint(&mut bytes, id);
            varint(&mut bytes, entries.len() as u32);
            for e in entries {
                varint(&mut bytes, (e.key >> 32) as u32);
                varint(&mut bytes, e.key as u32);
                varint(&mut bytes, e.count.min(0x7FFF_FFFF) << 1 | e.in_title as u32);
                gaps.clear();
                if e.key & 0x1F_FFFF != 0 || e.key >> 63 == 1 {
                    // a pair or four: where it is (a character's count is enough)
                    let mut last = 0;
                    for &p in &g.positions[e.positions_at as usize..(e.positions_at + e.count) as usize] {
                        varint(&mut gaps, p - last);
                        last = p;
                    }
                }
                varint(&mut bytes, gaps.len() as u32);
                bytes.extend_from_slice(&gaps);
            }
        }
        starts[PARTITIONS] = bytes.len() as u32;
        ArticleRun { bytes, starts }
    }
}

/// The runs of every partition, appended in article order.
pub struct Runs {
    parts: Vec<Run>,
    spill: bool,
}

/// One partition's run: what is on file, then what is in memory.
#[derive(Default)]
pub struct Run {
    file: Option<File>,
    buffer: Vec<u8>,
}

impl Runs {
    /// With `spill`, runs past [`SPILL_BYTES`] go to temporary files; without (a small
    /// site), or when no temporary file can be made, all stays in memory.
    pub fn new(spill: bool) -> Runs {
        Runs { parts: (0..PARTITIONS).map(|_| Run::default()).collect(), spill }
    }

    pub fn append(&mut self, article: &ArticleRun) -> io::Result<()> {
        for (part, run) in self.parts.iter_mut().enumerate() {
            let bytes = &article.bytes[article.starts[part] as usize..article.starts[part + 1] as usize];
            run.buffer.extend_from_slice(bytes);
            if self.spill && run.buffer.len() >= SPILL_BYTES {
                let file = match &mut run.file {
                    Some(file) => file,
                    None => match tempfile::tempfile() {
                        Ok(file) => run.file.insert(file),
                        // no temporary file to be had: the runs stay in memory
                        Err(_) => {
                            self.spill = false;
                            continue;
                        }
                    },
                };
                file.write_all(&run.buffer)?;
                run.buffer.clear();
            }
        }
        Ok(())
    }

    /// The runs by partition, each to be read once.
    pub fn into_parts(self) -> Vec<Run> {
        self.parts
    }
}

impl Run {
    /// Calls `entry(id, key, count << 1 | in title, position bytes)` for every entry of the
    /// run, in article order, reading its file a block at a time (the file is gone after).
    pub fn for_each_entry(self, mut entry: impl FnMut(u32, u64, u32, &[u8])) -> io::Result<()> {
        let Run { file, buffer } = self;
        let on_file: Box<dyn Read> = match file {
            Some(mut file) => {
                file.seek(SeekFrom::Start(0))?;
                Box::new(file)
            }
            None => Box::new(io::empty()),
        };
        let mut input = BufReader::with_capacity(64 << 10, on_file.chain(&buffer[..]));
        let mut positions = Vec::new();
        while let Some(id) = varint_or_end(&mut input)? {
            for _ in 0..read_varint(&mut input)? {
                let key = (read_varint(&mut input)? as u64) << 32 | read_varint(&mut input)? as u64;
                let flags = read_varint(&mut input)?;
                positions.resize(read_varint(&mut input)? as usize, 0);
                input.read_exact(&mut positions)?;
                entry(id, key, flags, &positions);
            }
        }
        Ok(())
    }
}

/// The next varint, or none at the end of the input.
fn varint_or_end(input: &mut impl BufRead) -> io::Result<Option<u32>> {
    if input.fill_buf()?.is_empty() {
        return Ok(None);
    }
    read_varint(input).map(Some)
}

fn read_varint(input: &mut impl BufRead) -> io::Result<u32> {
    // from the buffer while it holds a whole varint (all but a few at each refill): a
    // read_exact per byte was a twentieth of a 10,000-article build's CPU
    let buffered = input.fill_buf()?;
    if buffered.len() >= 5 {
        let (mut n, mut shift) = (0u32, 0);
        for (i, &byte) in buffered.iter().enumerate() {
            n |= ((byte & 0x7F) as u32) << shift;
            if byte < 0x80 || shift >= 28 {
                input.consume(i + 1);
                return Ok(n);
            }
            shift += 7;
        }
    }
    let mut n = 0u32;
    let mut shift = 0;
    loop {
        let mut byte = [0u8];
        input.read_exact(&mut byte)?;
        n |= ((byte[0] & 0x7F) as u32) << shift;
        if byte[0] < 0x80 || shift >= 28 {
            return Ok(n);
        }
        shift += 7;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::grams::{Extended, Folded};

    fn entries(run: Run) -> Vec<(u32, u64, u32, Vec<u8>)> {
        let mut out = Vec::new();
        run.for_each_entry(|id, key, flags, positions| out.push((id, key, flags, positions.to_vec()))).unwrap();
        out
    }

    #[test]
    fn what_goes_in_comes_out_by_partition_in_article_order_from_memory_and_from_file() {
        let ext = Extended::default();
        let articles: Vec<ArticleGrams> = ["科技创新", "雙城經濟圈 科技", "ai 芯片"].iter().map(|t| ArticleGrams::of(&Folded::of(t, t), &ext)).collect();
        let mut want = Vec::new();
        for (id, g) in articles.iter().enumerate() {
            let one = ArticleRun::of(id as u32 * 7, g);
            want.extend(entries(Run { file: None, buffer: one.bytes }));
        }
        for spill in [false, true] {
            let mut runs = Runs::new(spill);
            for round in 0..if spill { 3_000 } else { 1 } {
                for (id, g) in articles.iter().enumerate() {
                    if round == 0 || spill {
                        runs.append(&ArticleRun::of(id as u32 * 7 + round * 21, g)).unwrap();
                    }
                }
            }
            assert_eq!(spill, runs.parts.iter().any(|r| r.file.is_some()), "spilled only when asked");
            let mut got: Vec<(u32, u64, u32, Vec<u8>)> = Vec::new();
            for run in runs.into_parts() {
                let mut part = entries(run);
                assert!(part.windows(2).all(|w| w[0].0 <= w[1].0), "article order within a partition");
                part.retain(|e| e.0 < 21);
                got.extend(part);
            }
            got.sort();
            let mut want = want.clone();
            want.sort();
            assert_eq!(got, want);
            assert!(got.iter().filter(|e| e.1 & 0x1F_FFFF != 0).all(|e| !e.3.is_empty()), "positions kept for pairs");
            assert!(got.iter().filter(|e| e.1 & 0x1F_FFFF == 0).all(|e| e.3.is_empty()), "none for characters");
        }
    }
}
