//! The preview server's connections: accepts them on the listener, reads each request
//! head within a size cap and a deadline, hands it to the site's handler and writes the
//! answer; one thread per connection, with a cap on how many are open at once.
//!
//! Why not tiny_http (used before): it gives no hold on the accepted sockets (no
//! TCP_NODELAY, so every kept-alive request waited ~40 ms on delayed ACKs; no timeouts,
//! so an idle or trickling client held a thread forever), reads request heads of any
//! size, spawns a thread per connection without limit, and deadlocks on the HTTP/2
//! preface (`PRI * HTTP/2.0`), leaking the socket and its thread. A front layer would have
//! had to parse every request head anyway, so this small HTTP/1.1 server replaces it.
//! It only answers GET and HEAD without bodies, which is all a preview needs.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::head::{Head, HeadLimits, HeadReader};
use super::response::{Body, Response};

/// How long, and how many bytes, a closing connection keeps reading what the client
/// still sends, so that the kernel does not reset the connection (losing the answer)
/// because unread bytes were left behind.
const LINGER_TIME: Duration = Duration::from_secs(2);
const LINGER_BYTES: usize = 4 * 1024 * 1024;

/// What the server allows a client; [`Limits::default`] is what `gazette serve` uses.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections open at once (each holds a thread; an open tab's event stream is one).
    /// Past it, new connections get a 503 and are closed.
    pub max_connections: usize,
    /// The request line and headers together, in bytes; past it, a 431.
    pub max_head_bytes: usize,
    /// How long a connection may wait for its next request before it is closed.
    pub idle_timeout: Duration,
    /// How long a request head may take once it has started; past it, a 408.
    pub head_timeout: Duration,
    /// How long one write may block on a client that does not read.
    pub write_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 128,
            max_head_bytes: 64 * 1024,
            idle_timeout: Duration::from_secs(10),
            head_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
        }
    }
}

/// What the handler makes of a request.
pub enum Answer {
    Response(Response),
    /// A head, then a body that the writer writes until it returns; the connection
    /// closes then.
    Stream(Response, StreamWriter),
}

/// Writes an open-ended body (the event stream) to the connection.
pub type StreamWriter = Box<dyn FnOnce(&mut dyn Write) + Send>;

pub type Handler = Arc<dyn Fn(&Head) -> Answer + Send + Sync>;

/// The open connections, so that they can be counted, capped and closed at shutdown.
#[derive(Default)]
struct Connections {
    open: Mutex<HashMap<u64, TcpStream>>,
    next_id: AtomicU64,
}

impl Connections {
    fn lock(&self) -> MutexGuard<'_, HashMap<u64, TcpStream>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers `stream` if there is room; the slot frees itself when dropped.
    fn admit(self: &Arc<Self>, stream: &TcpStream, max: usize) -> Option<Slot> {
        let mut open = self.lock();
        if open.len() >= max {
            return None;
        }
        let handle = stream.try_clone().ok()?;
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        open.insert(id, handle);
        Some(Slot { id, connections: Arc::clone(self) })
    }

    /// Wakes every connection thread (its next read or write fails) so that it ends.
    fn close_all(&self) {
        for stream in self.lock().values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

struct Slot {
    id: u64,
    connections: Arc<Connections>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.connections.lock().remove(&self.id);
    }
}

/// A running server; dropping it stops accepting and closes every connection.
pub struct Server {
    address: SocketAddr,
    stop: Arc<AtomicBool>,
    connections: Arc<Connections>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts accepting on `listener` in a thread of its own.
    pub fn start(listener: TcpListener, limits: Limits, handler: Handler) -> io::Result<Server> {
        let address = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(Connections::default());
        let accept = {
            let (stop, connections) = (Arc::clone(&stop), Arc::clone(&connections));
            std::thread::Builder::new().name("gazette-serve".into()).spawn(move || accept_loop(&listener, &limits, &handler, &stop, &connections))?
        };
        Ok(Server { address, stop, connections, accept: Some(accept) })
    }

    /// How many connections are open now.
    pub fn connections(&self) -> usize {
        self.connections.lock().len()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // `accept` blocks until a client comes: be that client. If even that fails, the
        // thread is left to end with the process rather than waited for forever.
        let woken = TcpStream::connect_timeout(&reachable(self.address), Duration::from_secs(1)).is_ok();
        if let (true, Some(accept)) = (woken, self.accept.take()) {
            let _ = accept.join();
        }
        self.connections.close_all();
    }
}

/// The address to connect to for a listener bound to `address` (`0.0.0.0` is not one).
fn reachable(address: SocketAddr) -> SocketAddr {
    match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), address.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), address.port()),
        _ => address,
    }
}

fn accept_loop(listener: &TcpListener, limits: &Limits, handler: &Handler, stop: &AtomicBool, connections: &Arc<Connections>) {
    for incoming in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let stream = match incoming {
            Ok(stream) => stream,
            // Out of file descriptors, or a client that gave up in the backlog: pause
            // briefly rather than spin, and go on.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        if configure(&stream, limits).is_err() {
            continue;
        }
        let Some(slot) = connections.admit(&stream, limits.max_connections) else {
            refuse(stream);
            continue;
        };
        let (limits, handler) = (*limits, Arc::clone(handler));
        // If the thread cannot start, the closure is dropped: the slot and socket with it.
        let _ = std::thread::Builder::new().name("gazette-connection".into()).spawn(move || {
            serve_connection(stream, &limits, &handler);
            drop(slot);
        });
    }
}

/// Sets up an accepted socket: TCP_NODELAY, so that each response leaves at once (with
/// Nagle's algorithm a response written after the client's delayed ACK waits ~40 ms),
/// and a bound on how long a write may block.
pub fn configure(stream: &TcpStream, limits: &Limits) -> io::Result<()> {
    stream.set_nodelay(true)?;
    stream.set_write_timeout(Some(limits.write_timeout))
}

/// The answer when every slot is taken, written from the accept thread without blocking.
fn refuse(stream: TcpStream) {
    if stream.set_nonblocking(true).is_err() {
        return;
    }
    let response = Response::new(503, Body::Bytes(b"too many open connections to the preview server; try again\n".to_vec()))
        .with_header("Content-Type", "text/plain; charset=utf-8")
        .with_header("Retry-After", "1");
    let _ = response.write_to(&stream, false, false);
    let _ = stream.shutdown(Shutdown::Write);
    // Read what already arrived (a little: this is the accept thread), so that closing
    // does not reset the connection and lose the answer.
    let mut sink = [0u8; 8192];
    for _ in 0..8 {
        if !matches!((&stream).read(&mut sink), Ok(n) if n > 0) {
            break;
        }
    }
}

/// Answers requests on one connection until it closes, fails, idles or misbehaves.
fn serve_connection(mut stream: TcpStream, limits: &Limits, handler: &Handler) {
    let head_limits = HeadLimits { max_bytes: limits.max_head_bytes, idle: limits.idle_timeout, complete: limits.head_timeout };
    let mut reader = HeadReader::default();
    loop {
        let head = match reader.next(&mut stream, &head_limits) {
            Ok(head) => head,
            Err(error) => {
                if let Some(status) = error.status() {
                    let body = format!("{}\n", error.reason()).into_bytes();
                    let response = Response::new(status, Body::Bytes(body)).with_header("Content-Type", "text/plain; charset=utf-8");
                    let _ = response.write_to(&stream, false, false);
                    close_gracefully(stream);
                }
                return;
            }
        };
        let keep_alive = head.keep_alive() && !head.has_body();
        let head_only = head.method == "HEAD";
        match handler(&head) {
            Answer::Response(response) => {
                if response.write_to(&stream, head_only, keep_alive).is_err() {
                    return;
                }
                if !keep_alive {
                    close_gracefully(stream);
                    return;
                }
            }
            Answer::Stream(response, run) => {
                if response.write_open_ended_head(&stream).is_ok() {
                    run(&mut stream);
                }
                let _ = stream.shutdown(Shutdown::Both);
                return;
            }
        }
    }
}

/// Ends the connection after a last answer: stops writing, then reads (and drops) what
/// the client still sends, for a bounded time and size, until it closes its side.
fn close_gracefully(stream: TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let until = Instant::now() + LINGER_TIME;
    let mut drained = 0;
    let mut sink = [0u8; 8192];
    while drained < LINGER_BYTES {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match (&stream).read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(n) => drained += n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_sockets_send_without_delay_and_writes_are_bounded() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let _client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (accepted, _) = listener.accept().unwrap();
        let limits = Limits::default();
        configure(&accepted, &limits).unwrap();
        assert!(accepted.nodelay().unwrap(), "TCP_NODELAY: no ~40 ms wait per kept-alive request");
        assert_eq!(accepted.write_timeout().unwrap(), Some(limits.write_timeout));
    }

    #[test]
    fn an_unspecified_address_is_reached_through_loopback() {
        assert_eq!(reachable("0.0.0.0:1111".parse().unwrap()), "127.0.0.1:1111".parse().unwrap());
        assert_eq!(reachable("[::]:1111".parse().unwrap()), "[::1]:1111".parse().unwrap());
        assert_eq!(reachable("127.0.0.2:1111".parse().unwrap()), "127.0.0.2:1111".parse().unwrap());
    }
}
