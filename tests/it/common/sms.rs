//! A local stand-in for Huawei Cloud's SMS service (`POST /sms/batchSendSms/v1`): it checks each
//! request as the service documents it — the WSSE headers (app key, nonce, a fresh `Created`, and
//! the digest recomputed here from the app secret), the form fields — records it, and answers
//! like the service (or with its failure answer, when told to fail).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

pub const APP_KEY: &str = "c8RWg3ggEcyd4D3p94bf3Y7x1Ile";
pub const APP_SECRET: &str = "q4Ii87BhST9vcs8wvrzN80SfD7Al";
pub const SENDER: &str = "csms12345678";
pub const TEMPLATE: &str = "8ff55eac1d0b478ab3c06c3c6a492300";
/// A second approved template (a notice's), for the tests that configure one.
pub const NOTICE_TEMPLATE: &str = "3b1f0c2a9d6e4f70a5c8e2d1b4a69f07";

/// One request as received, and whether it was correct.
#[derive(Debug, Clone)]
pub struct SmsRequest {
    pub form: BTreeMap<String, String>,
    /// `Err` says what was wrong with it.
    pub verified: Result<(), String>,
}

pub struct SmsSink {
    pub url: String,
    requests: Arc<Mutex<Vec<SmsRequest>>>,
    failing: Arc<AtomicBool>,
}

impl SmsSink {
    pub async fn start() -> SmsSink {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind SMS sink");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let failing = Arc::new(AtomicBool::new(false));
        let (store, fail) = (requests.clone(), failing.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (store, fail) = (store.clone(), fail.clone());
                tokio::spawn(async move {
                    let _ = handle(socket, store, fail).await;
                });
            }
        });
        SmsSink {
            url,
            requests,
            failing,
        }
    }

    /// The server's SMS arguments for this sink (the order-payment text's template).
    pub fn args(&self) -> Vec<String> {
        self.args_with(&format!("order.partner_pay={TEMPLATE}"))
    }

    /// The server's SMS arguments with these template ids (`key=id,key=id`).
    pub fn args_with(&self, templates: &str) -> Vec<String> {
        [
            "--sms-url",
            &self.url,
            "--sms-app-key",
            APP_KEY,
            "--sms-app-secret",
            APP_SECRET,
            "--sms-sender",
            SENDER,
            "--sms-templates",
            templates,
        ]
        .map(String::from)
        .to_vec()
    }

    /// From now on answer with the service's failure (E000510), or succeed again.
    pub fn set_failing(&self, failing: bool) {
        self.failing.store(failing, Ordering::SeqCst);
    }

    pub fn requests(&self) -> Vec<SmsRequest> {
        self.requests.lock().expect("lock").clone()
    }

    /// Waits up to 20 s for `n` requests.
    pub async fn wait_for(&self, n: usize) -> Vec<SmsRequest> {
        for _ in 0..200 {
            let r = self.requests();
            if r.len() >= n {
                return r;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{n} SMS requests expected; received {:#?}", self.requests());
    }

    /// Waits up to 20 s for a request that `f` accepts.
    pub async fn wait_for_match(&self, f: impl Fn(&SmsRequest) -> bool) -> SmsRequest {
        for _ in 0..200 {
            if let Some(r) = self.requests().into_iter().find(|r| f(r)) {
                return r;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no such SMS request; received {:#?}", self.requests());
    }
}

fn form(body: &str) -> BTreeMap<String, String> {
    body.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| {
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

/// The `name="value"` pairs of the X-WSSE header.
fn wsse(header: &str) -> BTreeMap<String, String> {
    header
        .trim_start_matches("UsernameToken ")
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().trim_matches('"').to_string()))
        .collect()
}

fn verify(
    request_line: &str,
    headers: &BTreeMap<String, String>,
    form: &BTreeMap<String, String>,
) -> Result<(), String> {
    use base64::Engine;
    use sha2::Digest;
    let check = |ok: bool, what: &str| if ok { Ok(()) } else { Err(what.to_string()) };
    check(
        request_line.starts_with("POST /sms/batchSendSms/v1 "),
        "method or path",
    )?;
    check(
        headers
            .get("content-type")
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded")),
        "content type",
    )?;
    check(
        headers.get("authorization").map(String::as_str)
            == Some(r#"WSSE realm="SDP",profile="UsernameToken",type="Appkey""#),
        "Authorization header",
    )?;
    let w = wsse(headers.get("x-wsse").ok_or("no X-WSSE header")?);
    check(
        w.get("Username").map(String::as_str) == Some(APP_KEY),
        "Username",
    )?;
    let nonce = w.get("Nonce").ok_or("no Nonce")?;
    check(
        (1..=128).contains(&nonce.len()) && nonce.chars().all(|c| c.is_ascii_alphanumeric()),
        "Nonce",
    )?;
    let created = w.get("Created").ok_or("no Created")?;
    let at = chrono::NaiveDateTime::parse_from_str(created, "%Y-%m-%dT%H:%M:%SZ")
        .map_err(|_| format!("Created {created}"))?;
    let age = chrono::Utc::now().naive_utc() - at;
    check(age.num_seconds().abs() < 300, "Created is not now")?;
    let hash = sha2::Sha256::digest(format!("{nonce}{created}{APP_SECRET}").as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(hex::encode(hash));
    check(w.get("PasswordDigest") == Some(&expected), "PasswordDigest")?;
    check(form.get("from").map(String::as_str) == Some(SENDER), "from")?;
    check(
        form.get("to").is_some_and(|t| {
            t.split(',')
                .all(|n| n.starts_with('+') && n[1..].chars().all(|c| c.is_ascii_digit()))
        }),
        "to",
    )?;
    check(
        form.get("templateId")
            .is_some_and(|t| t == TEMPLATE || t == NOTICE_TEMPLATE),
        "templateId",
    )?;
    let paras: Vec<String> =
        serde_json::from_str(form.get("templateParas").ok_or("no templateParas")?)
            .map_err(|_| "templateParas is not a JSON array of strings".to_string())?;
    check(!paras.is_empty(), "templateParas is empty")
}

async fn handle(
    mut socket: tokio::net::TcpStream,
    store: Arc<Mutex<Vec<SmsRequest>>>,
    failing: Arc<AtomicBool>,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_string();
    let headers: BTreeMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..]).into_owned();
    let form = form(&body);
    let verified = verify(&request_line, &headers, &form);
    let to = form.get("to").cloned().unwrap_or_default();
    store
        .lock()
        .expect("lock")
        .push(SmsRequest { form, verified });
    let answer = if failing.load(Ordering::SeqCst) {
        serde_json::json!({"code": "E000510", "description": "The SMS fails to be sent. Check the cause."})
    } else {
        serde_json::json!({"code": "000000", "description": "Success", "result": [{
            "originTo": to, "createTime": "2026-12-01T08:00:00Z", "from": SENDER,
            "smsMsgId": "5c1b7c1a-2dbc-4ffc-9a05-2a7e4a1f2a2b_8799364", "status": "000000"
        }]})
    }
    .to_string();
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    );
    socket.write_all(response.as_bytes()).await?;
    socket.shutdown().await
}
