//! An HTTP/1.1 response of the preview server, and how it goes on the wire: the head and
//! the start of the body leave in one write, so that a kept-alive connection never waits
//! on Nagle's algorithm and the client's delayed ACK (about 40 ms a request).

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};

/// How much of a file body is gathered, with the head, into each write.
const WRITE_BUFFER: usize = 64 * 1024;

/// What follows the head.
pub enum Body {
    Bytes(Vec<u8>),
    /// A file, sent from where it stands now; its length is taken from the open file.
    File(File),
}

pub struct Response {
    pub status: u16,
    headers: Vec<(&'static str, String)>,
    body: Body,
}

impl Response {
    pub fn new(status: u16, body: Body) -> Self {
        Response { status, headers: Vec::new(), body }
    }

    /// Adds a header. A value with a line break (it could forge headers) is left out; the
    /// values made here are ASCII built by the server, so that is only a safeguard.
    pub fn with_header(mut self, name: &'static str, value: &str) -> Self {
        if !value.contains(['\r', '\n']) {
            self.headers.push((name, value.to_string()));
        }
        self
    }

    /// Writes the response; with `head_only` (a HEAD request) the body is left out but its
    /// length is given. `keep_alive: false` tells the client the connection closes next.
    pub fn write_to(self, out: impl Write, head_only: bool, keep_alive: bool) -> io::Result<()> {
        let mut out = BufWriter::with_capacity(WRITE_BUFFER, out);
        match self.body {
            Body::Bytes(ref bytes) => {
                out.write_all(&head(self.status, &self.headers, Some(bytes.len() as u64), keep_alive))?;
                if !head_only {
                    out.write_all(bytes)?;
                }
            }
            Body::File(ref file) => {
                let length = file.metadata()?.len();
                out.write_all(&head(self.status, &self.headers, Some(length), keep_alive))?;
                if !head_only {
                    let sent = io::copy(&mut file.take(length), &mut out)?;
                    if sent != length {
                        // Truncated while being sent: the connection must not be reused.
                        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the file shrank while it was sent"));
                    }
                }
            }
        }
        out.flush()
    }

    /// Writes only the head of a response whose body runs until the connection closes
    /// (the event stream).
    pub fn write_open_ended_head(&self, mut out: impl Write) -> io::Result<()> {
        out.write_all(&head(self.status, &self.headers, None, false))?;
        out.flush()
    }
}

/// The status line and headers, with `Content-Length` when the length is known and
/// `Connection: close` when the connection ends after this response.
fn head(status: u16, headers: &[(&'static str, String)], length: Option<u64>, keep_alive: bool) -> Vec<u8> {
    let mut text = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(length) = length {
        text.push_str(&format!("Content-Length: {length}\r\n"));
    }
    if !keep_alive {
        text.push_str("Connection: close\r\n");
    }
    text.push_str("\r\n");
    text.into_bytes()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records each write call separately.
    #[derive(Default)]
    struct Writes(Vec<Vec<u8>>);

    impl Write for &mut Writes {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.push(buf.to_vec());
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn text(writes: &Writes) -> String {
        String::from_utf8(writes.0.concat()).unwrap()
    }

    #[test]
    fn head_and_body_leave_in_one_write() {
        let mut writes = Writes::default();
        let page = "<h1>科技政策</h1>".repeat(100).into_bytes();
        Response::new(200, Body::Bytes(page.clone())).with_header("Content-Type", "text/html").write_to(&mut writes, false, true).unwrap();
        assert_eq!(writes.0.len(), 1, "one write for head and body");
        assert!(text(&writes).starts_with("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"));
        assert!(text(&writes).ends_with(&format!("Content-Length: {}\r\n\r\n{}", page.len(), String::from_utf8(page).unwrap())));

        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.css"), "body{}").unwrap();
        let mut writes = Writes::default();
        let file = File::open(dir.path().join("a.css")).unwrap();
        Response::new(200, Body::File(file)).write_to(&mut writes, false, false).unwrap();
        assert_eq!(writes.0.len(), 1, "one write for head and a small file");
        assert!(text(&writes).ends_with("Content-Length: 6\r\nConnection: close\r\n\r\nbody{}"));
    }

    #[test]
    fn head_requests_get_the_length_without_the_body() {
        let mut writes = Writes::default();
        Response::new(404, Body::Bytes(b"not found\n".to_vec())).write_to(&mut writes, true, true).unwrap();
        assert_eq!(text(&writes), "HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\n\r\n");
    }

    #[test]
    fn a_header_value_cannot_add_lines() {
        let mut writes = Writes::default();
        Response::new(302, Body::Bytes(Vec::new())).with_header("Location", "/a\r\nSet-Cookie: x").write_to(&mut writes, false, true).unwrap();
        assert!(!text(&writes).contains("Set-Cookie"));
    }
}
