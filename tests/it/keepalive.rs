//! Responses on a kept-alive connection come back without a stall (issue #22). A streamed
//! response (a file from `ServeDir`, the stylesheet, the JavaScript bootstrap) is written in
//! more than one piece; without TCP_NODELAY on the server's socket, Nagle's algorithm holds the
//! last piece until the client's delayed ACK (~40 ms), so 20 sequential requests on one
//! connection took ~800 ms. With it they take a few milliseconds. The bound (300 ms for 20) is
//! far from both, so a noisy machine cannot make this test flaky.

use crate::common;

use common::{Backend, TestApp};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads until `buf` holds at least `n` bytes.
async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>, n: usize) {
    while buf.len() < n {
        let mut chunk = [0u8; 64 * 1024];
        let got = stream.read(&mut chunk).await.expect("read");
        assert!(got > 0, "connection closed mid-response");
        buf.extend_from_slice(&chunk[..got]);
    }
}

/// Reads until `buf` holds `needle`; returns the index just after it.
async fn fill_until(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    from: usize,
    needle: &[u8],
) -> usize {
    loop {
        if let Some(i) = buf[from..].windows(needle.len()).position(|w| w == needle) {
            return from + i + needle.len();
        }
        let have = buf.len();
        fill(stream, buf, have + 1).await;
    }
}

/// Reads one HTTP/1.1 response (a Content-Length or a chunked body); returns (status, body
/// length) and leaves what follows in `buf`.
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> (u16, usize) {
    let head_end = fill_until(stream, buf, 0, b"\r\n\r\n").await;
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    if let Some(length) = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map(|v| v.trim().parse::<usize>().expect("content-length"))
    {
        fill(stream, buf, head_end + length).await;
        buf.drain(..head_end + length);
        return (status, length);
    }
    assert!(
        head.contains("transfer-encoding: chunked"),
        "neither length nor chunks: {head}"
    );
    let (mut at, mut total) = (head_end, 0);
    loop {
        let line_end = fill_until(stream, buf, at, b"\r\n").await;
        let size_text = String::from_utf8_lossy(&buf[at..line_end - 2]).to_string();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
            .expect("chunk size");
        fill(stream, buf, line_end + size + 2).await;
        at = line_end + size + 2;
        total += size;
        if size == 0 {
            break;
        }
    }
    buf.drain(..at);
    (status, total)
}

/// 20 sequential GETs of `path` on one kept-alive connection; the total time.
async fn sequential(base: &str, path: &str) -> Duration {
    let addr = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let mut buf = Vec::new();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: */*\r\nAccept-Encoding: identity\r\n\r\n"
    );
    // One request first, so the connection and the file cache are warm.
    stream.write_all(request.as_bytes()).await.expect("write");
    let (status, len) = read_response(&mut stream, &mut buf).await;
    assert_eq!(status, 200, "{path}");
    assert!(len > 0, "{path} is empty");
    let start = Instant::now();
    for _ in 0..20 {
        stream.write_all(request.as_bytes()).await.expect("write");
        let (status, _) = read_response(&mut stream, &mut buf).await;
        assert_eq!(status, 200, "{path}");
    }
    start.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_files_on_a_kept_alive_connection_do_not_stall() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    // Files (public/ and the built /pkg, named by content: read from the page that links them),
    // and a page rendered by streaming.
    let client = app.client();
    let html = app.page(&client, "/help").await.text().await.expect("page");
    let linked = |ext: &str| {
        html.split('"')
            .find(|s| s.starts_with("/pkg/") && s.ends_with(ext))
            .unwrap_or_else(|| panic!("no /pkg/…{ext} linked from /help"))
            .to_string()
    };
    let (css, js) = (linked(".css"), linked(".js"));
    for path in ["/favicon.svg", css.as_str(), js.as_str(), "/help"] {
        let took = sequential(&app.base, path).await;
        eprintln!("{path}: 20 requests on one connection in {took:?}");
        assert!(
            took < Duration::from_millis(300),
            "{path}: 20 kept-alive requests took {took:?} (a ~40 ms stall each?)"
        );
    }
}
