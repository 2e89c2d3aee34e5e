//! Queueing notifications (inside the caller's transaction) and delivering them.

use super::repo;
use crate::error::AppError;
use crate::server::db::{Db, now_ms};
use sqlx::AnyConnection;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// Deliveries are attempted this many times before a row is left `failed`.
pub const MAX_ATTEMPTS: i64 = 5;
const STALE_MS: i64 = 60_000;

/// Queues an email.
pub async fn email(
    conn: &mut AnyConnection,
    to: &str,
    subject: &str,
    body: &str,
    now: i64,
) -> Result<(), AppError> {
    repo::insert(conn, "email", to, subject, body, now).await?;
    Ok(())
}

/// Queues an SMS.
pub async fn sms(conn: &mut AnyConnection, to: &str, text: &str, now: i64) -> Result<(), AppError> {
    repo::insert(conn, "sms", to, "", text, now).await?;
    Ok(())
}

/// The language of emails and SMS. Recipients have no stored preference, so they are written
/// in the product's language; every text exists in English too (the `email.*`/`sms.*` rows).
pub const MAIL_LANG: crate::i18n::Lang = crate::i18n::Lang::Zh;

/// Where a text goes: an email address or a mobile number.
#[derive(Debug, Clone, Copy)]
pub enum Via<'a> {
    Email(&'a str),
    Sms(&'a str),
}

/// Queues the text `key` of the texts (the email `email.{key}.subject` / `.body`, or the SMS
/// `sms.{key}`), filled with `params` (a text uses those it names).
pub async fn queue(
    conn: &mut AnyConnection,
    via: Via<'_>,
    key: &str,
    params: &[(&str, &str)],
    now: i64,
) -> Result<(), AppError> {
    let fill = |key: String| crate::i18n::fill(MAIL_LANG, &key, params.iter().copied());
    match via {
        Via::Email(to) => {
            let subject = fill(format!("email.{key}.subject"));
            email(conn, to, &subject, &fill(format!("email.{key}.body")), now).await
        }
        Via::Sms(to) => sms(conn, to, &fill(format!("sms.{key}")), now).await,
    }
}

/// Where SMS go. A real gateway implements this; the default keeps them in the outbox.
pub trait SmsGateway: Send + Sync {
    fn send<'a>(
        &'a self,
        to: &'a str,
        text: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;
}

/// The default SMS gateway: the outbox row is the record of the SMS; nothing leaves the system.
pub struct OutboxOnly;

impl SmsGateway for OutboxOnly {
    fn send<'a>(
        &'a self,
        _to: &'a str,
        _text: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>> {
        Box::pin(async { Ok(()) })
    }
}

/// How email leaves: SMTP to the configured server.
#[derive(Clone)]
pub struct Mailer {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl Mailer {
    /// `url` is `smtp://[user:password@]host[:port]` (port 25 by default). The connection is
    /// plain SMTP: use a relay on the same host or network for TLS to the outside.
    pub fn new(url: &str, from: &str) -> Result<Mailer, String> {
        let rest = url
            .strip_prefix("smtp://")
            .ok_or_else(|| "the SMTP URL must start with smtp://".to_string())?
            .trim_end_matches('/');
        let (credentials, host_port) = match rest.rsplit_once('@') {
            Some((c, h)) => (Some(c), h),
            None => (None, rest),
        };
        let (host, port) = match host_port.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>()
                    .map_err(|_| format!("invalid SMTP port {p:?}"))?,
            ),
            None => (host_port, 25),
        };
        if host.is_empty() {
            return Err("the SMTP URL has no host".into());
        }
        let mut builder =
            lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::builder_dangerous(host)
                .port(port)
                .timeout(Some(Duration::from_secs(10)));
        if let Some((user, password)) = credentials.and_then(|c| c.split_once(':')) {
            builder =
                builder.credentials(lettre::transport::smtp::authentication::Credentials::new(
                    user.to_string(),
                    password.to_string(),
                ));
        }
        let from = from
            .parse()
            .map_err(|e| format!("invalid sender address {from:?}: {e}"))?;
        Ok(Mailer {
            transport: builder.build(),
            from,
        })
    }

    async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), String> {
        use lettre::AsyncTransport;
        use lettre::message::header::ContentType;
        let to: lettre::message::Mailbox = to.parse().map_err(|e| format!("recipient: {e}"))?;
        // lettre picks the transfer encoding (base64 for Chinese text), safe for any server.
        let body = lettre::message::Body::new(body.to_string());
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| format!("message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// Delivers due notifications until the process ends. Email is handled only with a mailer.
pub async fn dispatch_forever(db: Db, mailer: Option<Mailer>, sms: Arc<dyn SmsGateway>) {
    let channels: Vec<&str> = if mailer.is_some() {
        vec!["email", "sms"]
    } else {
        vec!["sms"]
    };
    loop {
        if let Err(e) = dispatch_once(&db, mailer.as_ref(), sms.as_ref(), &channels).await {
            tracing::warn!(error = ?e, "outbox dispatch");
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

async fn dispatch_once(
    db: &Db,
    mailer: Option<&Mailer>,
    sms: &dyn SmsGateway,
    channels: &[&str],
) -> Result<(), AppError> {
    let now = now_ms();
    for row in repo::due(&db.pool, channels, now - STALE_MS, 20).await? {
        let id = row.id;
        let claimed = db
            .write(|tx| {
                Box::pin(
                    async move { Ok(repo::claim(&mut **tx, id, now - STALE_MS, now_ms()).await?) },
                )
            })
            .await?;
        if !claimed {
            continue;
        }
        let result = match (row.channel.as_str(), mailer) {
            ("email", Some(m)) => m.send(&row.recipient, &row.subject, &row.body).await,
            ("sms", _) => sms.send(&row.recipient, &row.body).await,
            _ => Err("no SMTP server configured".to_string()),
        };
        let (state, error) = match &result {
            Ok(()) => ("sent", None),
            Err(e) => {
                // The recipient address is not logged: it is personal data.
                tracing::warn!(id = row.id, channel = %row.channel, error = %e, "delivery failed");
                let state = if row.attempts + 1 >= MAX_ATTEMPTS {
                    "failed"
                } else {
                    "pending"
                };
                (state, Some(e.as_str()))
            }
        };
        let redacted = (state != "pending").then(|| redact_tokens(&row.body));
        let body = redacted.as_deref();
        db.write(|tx| {
            Box::pin(
                async move { Ok(repo::finish(&mut **tx, id, state, error, body, now_ms()).await?) },
            )
        })
        .await?;
    }
    Ok(())
}

/// A delivered (or abandoned) message's text without its secrets: every run of 32 or more
/// letters, digits, `-` or `_` (the tokens of invitation links) becomes `[redacted]`, so the
/// outbox keeps a record of what was sent but no usable link.
pub fn redact_tokens(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() >= 32 {
            out.push_str("[redacted]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in body.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod redaction_tests {
    use super::redact_tokens;

    #[test]
    fn links_lose_their_tokens_and_the_rest_stays() {
        let token = "0123456789abcdef0123456789abcdef0123456789abcdef";
        let body = format!("请点击这里：\nhttp://127.0.0.1:3000/invite/{token}\n验证码 123456");
        let r = redact_tokens(&body);
        assert!(!r.contains(token));
        assert!(r.contains("/invite/[redacted]"));
        assert!(r.contains("验证码 123456"));
        assert_eq!(redact_tokens("short-words_only 42"), "short-words_only 42");
    }
}
