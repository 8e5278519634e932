//! Reads one HTTP/1.x request head (request line and headers) from a connection, within
//! a size cap and a deadline, and parses it; the body, if any, is never read.

use std::io::{self, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A parsed request head.
#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    pub method: String,
    /// The request target as sent (`/tags/%E7%A7%91/?p=2`), query included.
    pub target: String,
    /// The minor version: 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub minor: u8,
    headers: Vec<(String, String)>,
}

impl Head {
    /// The value of the first header named `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Whether the client asked to keep the connection open after the answer. HTTP/1.0
    /// connections are always closed: one request each is plenty for a preview.
    pub fn keep_alive(&self) -> bool {
        let close = self.header("Connection").is_some_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case("close")));
        self.minor == 1 && !close
    }

    /// Whether a body follows the head. Bodies are never read, so such a connection is
    /// closed after its answer (where the next request would start is unknown).
    pub fn has_body(&self) -> bool {
        self.header("Transfer-Encoding").is_some() || self.header("Content-Length").is_some_and(|v| v.trim() != "0")
    }
}

/// Why no request head could be read; `status` says what the client is told.
#[derive(Debug, PartialEq, Eq)]
pub enum HeadError {
    /// The client closed the connection (or it failed) between requests.
    Closed,
    /// Nothing arrived within the idle time: the connection is closed without a word.
    Idle,
    /// A head was started but not finished in time (a trickling client).
    TimedOut,
    /// The head is longer than the cap.
    TooLarge,
    /// Not HTTP/1.0 or HTTP/1.1, e.g. the HTTP/2 preface `PRI * HTTP/2.0`.
    Version,
    /// Not a well-formed request head; the reason is for the answer's body.
    Malformed(&'static str),
}

impl HeadError {
    /// The status to answer with before closing, if any.
    pub fn status(&self) -> Option<u16> {
        match self {
            HeadError::Closed | HeadError::Idle => None,
            HeadError::TimedOut => Some(408),
            HeadError::TooLarge => Some(431),
            HeadError::Version => Some(505),
            HeadError::Malformed(_) => Some(400),
        }
    }

    /// A line for the answer's body.
    pub fn reason(&self) -> &'static str {
        match self {
            HeadError::Closed | HeadError::Idle => "",
            HeadError::TimedOut => "the request head did not arrive in time",
            HeadError::TooLarge => "the request head is too large",
            HeadError::Version => "only HTTP/1.0 and HTTP/1.1 are supported (HTTP/2 needs TLS, which this preview server does not speak)",
            HeadError::Malformed(reason) => reason,
        }
    }
}

/// How much a head may weigh and how long it may take.
#[derive(Debug, Clone, Copy)]
pub struct HeadLimits {
    /// The request line and all headers together, in bytes.
    pub max_bytes: usize,
    /// How long a connection may wait for the first byte of its next request.
    pub idle: Duration,
    /// How long a head may take from its first byte to its end.
    pub complete: Duration,
}

/// Reads heads one after another from one connection, keeping bytes that arrived after
/// a head (a pipelined request) for the next one.
#[derive(Default)]
pub struct HeadReader {
    buffer: Vec<u8>,
}

impl HeadReader {
    /// Blocks until the next head has arrived, the limits are exceeded, or the client
    /// closes the connection.
    pub fn next(&mut self, stream: &mut TcpStream, limits: &HeadLimits) -> Result<Head, HeadError> {
        let waiting_since = Instant::now();
        let mut started: Option<Instant> = None;
        let mut chunk = [0u8; 8192];
        loop {
            skip_blank_lines(&mut self.buffer);
            // A TLS handshake or binary junk is refused at once, not after the head's time.
            if self.buffer.first().is_some_and(|&b| !is_token_byte(b)) {
                return Err(HeadError::Malformed("not an HTTP/1.x request (https:// to an http:// server?)"));
            }
            if let Some(end) = head_end(&self.buffer) {
                if end > limits.max_bytes {
                    return Err(HeadError::TooLarge);
                }
                let head = parse_head(&self.buffer[..end]);
                self.buffer.drain(..end);
                return head;
            }
            if self.buffer.len() >= limits.max_bytes {
                return Err(HeadError::TooLarge);
            }
            if !self.buffer.is_empty() && started.is_none() {
                started = Some(Instant::now());
            }
            // Before the first byte the idle time runs; after it, the time for the head.
            let (since, allowed, late) = match started {
                None => (waiting_since, limits.idle, HeadError::Idle),
                Some(at) => (at, limits.complete, HeadError::TimedOut),
            };
            let left = allowed.saturating_sub(since.elapsed());
            if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
                return Err(late);
            }
            // Never buffer past the cap, whatever the client sends (the buffer is shorter
            // than the cap here).
            let room = (limits.max_bytes - self.buffer.len()).min(chunk.len());
            match stream.read(&mut chunk[..room]) {
                Ok(0) => return Err(HeadError::Closed),
                Ok(n) => self.buffer.extend_from_slice(&chunk[..n]),
                Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted) => {}
                Err(_) => return Err(HeadError::Closed),
            }
        }
    }
}

/// Empty lines before a request line are ignored (RFC 9112 §2.2): some clients send a
/// stray CRLF after a body.
fn skip_blank_lines(buffer: &mut Vec<u8>) {
    let blank = buffer.iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
    buffer.drain(..blank);
}

/// The length of the head including its blank line (`\r\n\r\n`, or `\n\n` from lax clients).
fn head_end(buffer: &[u8]) -> Option<usize> {
    let at = buffer.iter().enumerate().position(|(i, &b)| {
        b == b'\n' && (buffer.get(i + 1) == Some(&b'\n') || (buffer.get(i + 1) == Some(&b'\r') && buffer.get(i + 2) == Some(&b'\n')))
    })?;
    Some(if buffer[at + 1] == b'\n' { at + 2 } else { at + 3 })
}

/// Parses a complete head (its blank line included).
pub fn parse_head(bytes: &[u8]) -> Result<Head, HeadError> {
    let mut lines = bytes.split(|&b| b == b'\n').map(|line| line.strip_suffix(b"\r").unwrap_or(line));
    let request_line = lines.next().unwrap_or_default();
    let (method, target, minor) = parse_request_line(request_line)?;
    let mut headers = Vec::new();
    for line in lines.take_while(|line| !line.is_empty()) {
        if line.starts_with(b" ") || line.starts_with(b"\t") {
            return Err(HeadError::Malformed("a folded header line (obsolete, and refused)"));
        }
        let colon = line.iter().position(|&b| b == b':').ok_or(HeadError::Malformed("a header line without a colon"))?;
        let name = std::str::from_utf8(&line[..colon]).ok().filter(|n| is_token(n)).ok_or(HeadError::Malformed("a header name that is not a token"))?;
        let value = String::from_utf8_lossy(&line[colon + 1..]).trim().to_string();
        headers.push((name.to_string(), value));
    }
    Ok(Head { method, target, minor, headers })
}

/// `GET /path HTTP/1.1`: the method, the target and the minor version. The target may be
/// raw UTF-8 (some clients do not encode Chinese paths); control characters are refused.
fn parse_request_line(line: &[u8]) -> Result<(String, String, u8), HeadError> {
    let line = std::str::from_utf8(line).map_err(|_| HeadError::Malformed("the request line is not UTF-8"))?;
    if line.chars().any(char::is_control) {
        return Err(HeadError::Malformed("a control character in the request line"));
    }
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(HeadError::Malformed("the request line is not `METHOD TARGET HTTP/1.1`"));
    };
    if !is_token(method) || target.is_empty() {
        return Err(HeadError::Malformed("the request line is not `METHOD TARGET HTTP/1.1`"));
    }
    let minor = match version {
        "HTTP/1.1" => 1,
        "HTTP/1.0" => 0,
        other if other.starts_with("HTTP/") => return Err(HeadError::Version),
        _ => return Err(HeadError::Malformed("the request line does not end in an HTTP version")),
    };
    Ok((method.to_string(), target.to_string(), minor))
}

/// An HTTP token (RFC 9110 §5.6.2): method and header names.
fn is_token(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(is_token_byte)
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::TcpListener;

    #[test]
    fn parses_a_request_line_and_headers() {
        let head = parse_head(b"GET /tags/%E7%A7%91/?p=2 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nX-Empty:\r\n\r\n").unwrap();
        assert_eq!((head.method.as_str(), head.target.as_str(), head.minor), ("GET", "/tags/%E7%A7%91/?p=2", 1));
        assert_eq!(head.header("host"), Some("127.0.0.1"));
        assert_eq!(head.header("X-Empty"), Some(""));
        assert!(head.keep_alive() && !head.has_body());
    }

    #[test]
    fn raw_utf8_targets_and_bare_newlines_are_accepted() {
        let head = parse_head("GET /新闻/臺灣 HTTP/1.1\nHost: x\n\n".as_bytes()).unwrap();
        assert_eq!(head.target, "/新闻/臺灣");
    }

    #[test]
    fn keep_alive_follows_the_version_and_the_connection_header() {
        let keep = |raw: &str| parse_head(raw.as_bytes()).unwrap().keep_alive();
        assert!(!keep("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n"));
        assert!(!keep("GET / HTTP/1.1\r\nConnection: TE, close\r\n\r\n"));
        assert!(!keep("GET / HTTP/1.0\r\n\r\n"));
        assert!(!keep("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        let body = |raw: &str| parse_head(raw.as_bytes()).unwrap().has_body();
        assert!(body("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n"));
        assert!(body("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"));
        assert!(!body("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n"));
    }

    #[test]
    fn http2_and_other_versions_are_505_and_garbage_is_400() {
        assert_eq!(parse_head(b"PRI * HTTP/2.0\r\n\r\n"), Err(HeadError::Version));
        assert_eq!(parse_head(b"GET / HTTP/3\r\n\r\n"), Err(HeadError::Version));
        assert_eq!(HeadError::Version.status(), Some(505));
        for raw in [&b"GET /\r\n\r\n"[..], b"GET  / HTTP/1.1\r\n\r\n", b"G(T / HTTP/1.1\r\n\r\n", b"GET / HTTP/1.1\r\nNo colon\r\n\r\n", b"GET / HTTP/1.1\r\n folded\r\n\r\n", b"GET /\0 HTTP/1.1\r\n\r\n", b"\x16\x03\x01 / HTTP/1.1\r\n\r\n"] {
            assert!(matches!(parse_head(raw), Err(HeadError::Malformed(_))), "{}", String::from_utf8_lossy(raw));
        }
    }

    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        (client, listener.accept().unwrap().0)
    }

    const LIMITS: HeadLimits = HeadLimits { max_bytes: 1024, idle: Duration::from_millis(200), complete: Duration::from_millis(200) };

    #[test]
    fn pipelined_heads_are_read_one_after_another() {
        let (mut client, mut server) = pair();
        client.write_all(b"\r\nGET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut reader = HeadReader::default();
        assert_eq!(reader.next(&mut server, &LIMITS).unwrap().target, "/a");
        assert_eq!(reader.next(&mut server, &LIMITS).unwrap().target, "/b");
        drop(client);
        assert_eq!(reader.next(&mut server, &LIMITS), Err(HeadError::Closed));
    }

    #[test]
    fn a_head_over_the_cap_is_refused_without_reading_it_all() {
        let (mut client, mut server) = pair();
        let big = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(64 * 1024));
        // Written from a thread: the server stops reading long before the end.
        let writer = std::thread::spawn(move || {
            let _ = client.write_all(big.as_bytes());
            client
        });
        assert_eq!(HeadReader::default().next(&mut server, &LIMITS), Err(HeadError::TooLarge));
        drop(server);
        drop(writer.join());
    }

    #[test]
    fn silence_is_idle_and_a_trickle_times_out() {
        let (_quiet, mut server) = pair();
        assert_eq!(HeadReader::default().next(&mut server, &LIMITS), Err(HeadError::Idle));
        let (mut slow, mut server) = pair();
        slow.write_all(b"GET / HT").unwrap();
        let started = Instant::now();
        assert_eq!(HeadReader::default().next(&mut server, &LIMITS), Err(HeadError::TimedOut));
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_tls_handshake_is_refused_at_once() {
        let (mut client, mut server) = pair();
        client.write_all(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03").unwrap();
        assert!(matches!(HeadReader::default().next(&mut server, &LIMITS), Err(HeadError::Malformed(_))));
    }
}
