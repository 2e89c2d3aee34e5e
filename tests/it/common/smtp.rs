//! A local SMTP sink for the tests: accepts every message and keeps it for inspection. Plain
//! (`start`) or with implicit TLS (`start_tls`, smtps) using the test certificate in
//! `tests/fixtures/tls`, whose CA the server is told to trust. It records whether each message
//! arrived over TLS and the credentials a client authenticated with.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body as received (dot-unstuffed).
    pub data: String,
    /// It came over TLS.
    pub tls: bool,
    /// `user:password` of the session's AUTH, if any.
    pub auth: Option<String>,
}

/// A part's body, its transfer encoding (base64, quoted-printable or none) undone.
fn decode(headers: &str, body: &str) -> String {
    use base64::Engine;
    let h = headers.to_ascii_lowercase();
    if h.contains("content-transfer-encoding: base64") {
        let compact: String = body.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(compact)
            .expect("base64 body");
        String::from_utf8(bytes).expect("utf-8 body")
    } else if h.contains("content-transfer-encoding: quoted-printable") {
        let joined = body.replace("=\n", "");
        let bytes = joined.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let hex = (bytes[i] == b'=' && i + 3 <= bytes.len())
                .then(|| std::str::from_utf8(&bytes[i + 1..i + 3]).ok())
                .flatten()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(v) => {
                    out.push(v);
                    i += 3;
                }
                None => {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
        }
        String::from_utf8(out).expect("utf-8 body")
    } else {
        body.to_string()
    }
}

impl Mail {
    /// The part of `content_type` (`text/plain`, `text/html`), or the whole body of a
    /// single-part message.
    fn part(&self, content_type: &str) -> Option<String> {
        let (headers, body) = self.data.split_once("\n\n").unwrap_or((&self.data, ""));
        let lower = headers.to_ascii_lowercase();
        let Some(at) = lower.find("boundary=") else {
            return lower
                .contains(content_type)
                .then(|| decode(headers, body))
                .or_else(|| (content_type == "text/plain").then(|| decode(headers, body)));
        };
        let boundary = headers[at + 9..]
            .split(['\n', ';'])
            .next()
            .unwrap_or_default()
            .trim()
            .trim_matches('"')
            .to_string();
        body.split(&format!("--{boundary}"))
            .filter_map(|p| p.trim_start_matches('\n').split_once("\n\n"))
            .find(|(h, _)| h.to_ascii_lowercase().contains(content_type))
            .map(|(h, b)| decode(h, b.trim_end_matches('\n')))
    }

    /// The plain-text body.
    pub fn text(&self) -> String {
        self.part("text/plain").expect("a text/plain part")
    }

    /// The HTML body.
    pub fn html(&self) -> Option<String> {
        self.part("text/html")
    }
}

pub struct SmtpSink {
    pub addr: String,
    tls: bool,
    mails: Arc<Mutex<Vec<Mail>>>,
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tls")
        .join(name)
}

/// The CA the TLS sink's certificate is signed by (for `--smtp-ca-file`).
pub fn test_ca() -> String {
    fixture("ca.pem").display().to_string()
}

fn acceptor() -> tokio_rustls::TlsAcceptor {
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(fixture("server.pem"))
        .expect("server.pem")
        .map(|c| c.expect("certificate"))
        .collect();
    let key = PrivateKeyDer::from_pem_file(fixture("server.key")).expect("server.key");
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(Arc::new(
        tokio_rustls::rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocols")
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .expect("server certificate");
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

impl SmtpSink {
    /// A plain SMTP sink.
    pub async fn start() -> SmtpSink {
        Self::listen(false).await
    }

    /// An SMTP sink with implicit TLS (smtps).
    pub async fn start_tls() -> SmtpSink {
        Self::listen(true).await
    }

    async fn listen(tls: bool) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind SMTP sink");
        let addr = listener.local_addr().expect("addr").to_string();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let store = mails.clone();
        let acceptor = tls.then(acceptor);
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (store, acceptor) = (store.clone(), acceptor.clone());
                tokio::spawn(async move {
                    let _ = match acceptor {
                        Some(a) => match a.accept(socket).await {
                            Ok(s) => session(s, store, true).await,
                            Err(_) => Ok(()),
                        },
                        None => session(socket, store, false).await,
                    };
                });
            }
        });
        SmtpSink { addr, tls, mails }
    }

    /// The token of the `nth` link to `path` (e.g. `/reset-password/`) mailed to `to`, waiting
    /// for the mail to arrive.
    pub async fn link_token(&self, to: &str, path: &str, nth: usize) -> String {
        let mut mails = Vec::new();
        for _ in 0..150 {
            mails = self
                .mails()
                .into_iter()
                .filter(|m| m.to.iter().any(|t| t == to) && m.text().contains(path))
                .collect();
            if mails.len() >= nth {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(mails.len() >= nth, "{nth} links {path} to {to}: {mails:#?}");
        let text = mails[nth - 1].text();
        let line = text.lines().find(|l| l.contains(path)).unwrap();
        line.trim().rsplit('/').next().unwrap().to_string()
    }

    /// The server's `--smtp-url` for this sink (with `user:password` when given).
    pub fn url_with(&self, credentials: Option<&str>) -> String {
        let scheme = if self.tls { "smtps" } else { "smtp" };
        match credentials {
            Some(c) => format!("{scheme}://{c}@{}", self.addr),
            None => format!("{scheme}://{}", self.addr),
        }
    }

    pub fn url(&self) -> String {
        self.url_with(None)
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().expect("lock").clone()
    }

    /// Waits up to 15 s for a message that satisfies `f`.
    pub async fn wait_for(&self, f: impl Fn(&Mail) -> bool) -> Mail {
        for _ in 0..150 {
            if let Some(m) = self.mails().into_iter().find(|m| f(m)) {
                return m;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no matching mail arrived; received: {:#?}", self.mails());
    }
}

async fn session<S: AsyncRead + AsyncWrite>(
    socket: S,
    store: Arc<Mutex<Vec<Mail>>>,
    tls: bool,
) -> std::io::Result<()> {
    use base64::Engine;
    let (read, mut write) = tokio::io::split(socket);
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 sink ESMTP ready\r\n").await?;
    let (mut from, mut to, mut auth) = (String::new(), Vec::new(), None);
    while let Some(line) = lines.next_line().await? {
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-sink\r\n250-8BITMIME\r\n250-AUTH PLAIN\r\n250 SIZE 10485760\r\n"
        } else if upper.starts_with("AUTH PLAIN") {
            // AUTH PLAIN <base64 of \0user\0password>, or the credentials on the next line.
            let encoded = match line.split_whitespace().nth(2) {
                Some(e) => e.to_string(),
                None => {
                    write.write_all(b"334 \r\n").await?;
                    lines.next_line().await?.unwrap_or_default()
                }
            };
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(encoded.trim())
                .unwrap_or_default();
            let parts: Vec<String> = decoded
                .split(|b| *b == 0)
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .collect();
            auth = Some(format!(
                "{}:{}",
                parts.get(1).cloned().unwrap_or_default(),
                parts.get(2).cloned().unwrap_or_default()
            ));
            b"235 2.7.0 Authentication successful\r\n"
        } else if upper.starts_with("HELO")
            || upper.starts_with("RSET")
            || upper.starts_with("NOOP")
        {
            b"250 OK\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = line[10..].trim().to_string();
            to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            to.push(line[8..].trim().trim_matches(['<', '>']).to_string());
            b"250 OK\r\n"
        } else if upper.starts_with("DATA") {
            write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
            let mut data = String::new();
            while let Some(l) = lines.next_line().await? {
                if l == "." {
                    break;
                }
                data.push_str(
                    l.strip_prefix('.')
                        .filter(|_| l.starts_with(".."))
                        .unwrap_or(&l),
                );
                data.push('\n');
            }
            store.lock().expect("lock").push(Mail {
                from: from.clone(),
                to: to.clone(),
                data,
                tls,
                auth: auth.clone(),
            });
            b"250 OK queued\r\n"
        } else if upper.starts_with("QUIT") {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            b"502 not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
    Ok(())
}
