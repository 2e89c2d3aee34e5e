//! Queueing notifications (inside the caller's transaction) and delivering them.

use super::repo;
pub use super::sms::HuaweiSms;
use crate::error::AppError;
use crate::server::db::{Db, now_ms};
use sqlx::AnyConnection;
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
    repo::insert(conn, "email", to, subject, body, "", "[]", now).await?;
    Ok(())
}

/// Queues an SMS: its text for the record, and the template key and parameters it is sent by.
pub async fn sms(
    conn: &mut AnyConnection,
    to: &str,
    text: &str,
    template: &str,
    params: &[&str],
    now: i64,
) -> Result<(), AppError> {
    let params = serde_json::to_string(params).map_err(|_| AppError::Internal)?;
    repo::insert(conn, "sms", to, "", text, template, &params, now).await?;
    Ok(())
}

/// Where a text goes: an email address or a mobile number.
#[derive(Debug, Clone, Copy)]
pub enum Via<'a> {
    Email(&'a str),
    Sms(&'a str),
}

/// Queues the text `key` of the texts (the email `email.{key}.subject` / `.body`, or the SMS
/// `sms.{key}`) in the recipient's language `lang`, filled with `params` (a text uses those it
/// names; a parameter that is a message key is written in `lang` too).
pub async fn queue(
    conn: &mut AnyConnection,
    via: Via<'_>,
    lang: crate::i18n::Lang,
    key: &str,
    params: &[(&str, &str)],
    now: i64,
) -> Result<(), AppError> {
    let params: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (*k, crate::i18n::text_or_key(lang, v)))
        .collect();
    let params = params.as_slice();
    let fill = |key: String| crate::i18n::fill(lang, &key, params.iter().copied());
    match via {
        Via::Email(to) => {
            let subject = fill(format!("email.{key}.subject"));
            email(conn, to, &subject, &fill(format!("email.{key}.body")), now).await
        }
        Via::Sms(to) => {
            let template = format!("sms.{key}");
            // The template's parameters, in the order its (Chinese) text names them.
            let values: Vec<&str> =
                super::sms::parameter_order(crate::i18n::t(crate::i18n::Lang::Zh, &template))
                    .into_iter()
                    .map(|name| {
                        params
                            .iter()
                            .find(|(k, _)| *k == name)
                            .map_or("", |(_, v)| *v)
                    })
                    .collect();
            sms(conn, to, &fill(template), key, &values, now).await
        }
    }
}

/// How email leaves: SMTP to the configured server, over TLS unless the operator chose a plain
/// relay.
#[derive(Clone)]
pub struct Mailer {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: lettre::message::Mailbox,
}

/// How a connection to the SMTP server is secured, as its URL says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtps://`: TLS from the first byte (port 465 by default).
    Implicit,
    /// `smtp://…?tls=required`: STARTTLS, refused without it (port 587 by default).
    StartTls,
    /// `smtp://…?tls=opportunistic`: STARTTLS when offered, else plain.
    Opportunistic,
    /// `smtp://`: plain (port 25 by default), for a relay the operator chose.
    Plain,
}

/// What the mailer needs to know of its URL before lettre reads it: how the connection is
/// secured, the host, and whether credentials are given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpUrl {
    pub security: SmtpSecurity,
    pub host: String,
    pub credentials: bool,
    /// `insecure_auth=yes`: the operator accepts credentials on a connection that may be plain.
    pub insecure_auth: bool,
}

impl SmtpUrl {
    /// Reads lettre's URL form (`scheme://[user[:password]@]host[:port][/name][?tls=…]`).
    pub fn parse(url: &str) -> Result<SmtpUrl, String> {
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| "the SMTP URL must start with smtps:// or smtp://".to_string())?;
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let authority = rest.split('/').next().unwrap_or_default();
        let (credentials, host_port) = match authority.rsplit_once('@') {
            Some((c, h)) => (!c.is_empty(), h),
            None => (false, authority),
        };
        let host = if let Some(v6) = host_port.strip_prefix('[') {
            v6.split(']').next().unwrap_or_default()
        } else {
            host_port.split(':').next().unwrap_or_default()
        };
        if host.is_empty() {
            return Err("the SMTP URL has no host".into());
        }
        let param = |name: &str| {
            query
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v)
        };
        let security = match (scheme, param("tls")) {
            ("smtps", _) => SmtpSecurity::Implicit,
            ("smtp", Some("required")) => SmtpSecurity::StartTls,
            ("smtp", Some("opportunistic")) => SmtpSecurity::Opportunistic,
            ("smtp", None) => SmtpSecurity::Plain,
            ("smtp", Some(other)) => {
                return Err(format!(
                    "tls={other}: use tls=required or tls=opportunistic (or smtps://)"
                ));
            }
            (other, _) => return Err(format!("unknown SMTP scheme {other}://")),
        };
        Ok(SmtpUrl {
            security,
            host: host.to_string(),
            credentials,
            insecure_auth: param("insecure_auth") == Some("yes"),
        })
    }

    fn loopback(&self) -> bool {
        self.host == "localhost"
            || self
                .host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// Credentials never travel on a connection that may be plain to another machine unless
    /// the URL says so (`insecure_auth=yes`).
    pub fn check(&self) -> Result<(), String> {
        let may_be_plain = matches!(
            self.security,
            SmtpSecurity::Plain | SmtpSecurity::Opportunistic
        );
        if self.credentials && may_be_plain && !self.loopback() && !self.insecure_auth {
            return Err(format!(
                "refusing to send SMTP credentials to {} on a connection that may not be \
                 encrypted: use smtps:// or ?tls=required (or add insecure_auth=yes)",
                self.host
            ));
        }
        Ok(())
    }
}

impl Mailer {
    /// `url` in lettre's form: `smtps://user:password@host` (implicit TLS, port 465),
    /// `smtp://user:password@host?tls=required` (STARTTLS, port 587) or `smtp://host` (plain,
    /// port 25: a relay the operator chose). Servers are verified against the public roots
    /// (webpki), plus the PEM certificate(s) in `ca_file` when given (a private CA, or a test
    /// server's own certificate).
    pub fn new(url: &str, from: &str, ca_file: Option<&std::path::Path>) -> Result<Mailer, String> {
        use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
        let parsed = SmtpUrl::parse(url)?;
        parsed.check()?;
        let mut builder = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
            .map_err(|e| format!("invalid SMTP URL: {e}"))?
            .timeout(Some(Duration::from_secs(10)));
        if let Some(path) = ca_file {
            let pem = std::fs::read(path)
                .map_err(|e| format!("cannot read the CA file {}: {e}", path.display()))?;
            let ca = Certificate::from_pem(&pem)
                .map_err(|e| format!("the CA file {} is not PEM: {e}", path.display()))?;
            let params = TlsParameters::builder(parsed.host.clone())
                .add_root_certificate(ca)
                .build_rustls()
                .map_err(|e| format!("TLS settings: {e}"))?;
            builder = match parsed.security {
                SmtpSecurity::Implicit => builder.tls(Tls::Wrapper(params)),
                SmtpSecurity::StartTls => builder.tls(Tls::Required(params)),
                SmtpSecurity::Opportunistic => builder.tls(Tls::Opportunistic(params)),
                SmtpSecurity::Plain => builder,
            };
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
        use lettre::message::MultiPart;
        let to: lettre::message::Mailbox = to.parse().map_err(|e| format!("recipient: {e}"))?;
        // A plain-text part and the same text as HTML; lettre encodes Chinese subjects and
        // picks each part's transfer encoding.
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .multipart(MultiPart::alternative_plain_html(
                body.to_string(),
                html_of(subject, body),
            ))
            .map_err(|e| format!("message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// A plain-text email as HTML: escaped, paragraphs kept, links clickable.
pub fn html_of(subject: &str, text: &str) -> String {
    fn escape(s: &str) -> String {
        html_escape::encode_double_quoted_attribute(s).into_owned()
    }
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            line.split(' ')
                .map(|word| {
                    if word.starts_with("https://") || word.starts_with("http://") {
                        let w = escape(word);
                        format!("<a href=\"{w}\">{w}</a>")
                    } else {
                        escape(word)
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family:sans-serif;line-height:1.6\"><p>{}</p></body></html>",
        escape(subject),
        lines.join("<br>\n")
    )
}

/// The pause before attempt `attempts + 1` of a failed delivery: `base` doubled at each
/// failure, at most an hour.
pub fn retry_after(base_ms: i64, attempts: i64) -> i64 {
    base_ms
        .saturating_mul(1_i64 << attempts.clamp(0, 20))
        .min(3_600_000)
}

/// How the outbox is delivered: the gateways configured (each may be absent) and the first
/// pause after a failure.
pub struct Delivery {
    pub mailer: Option<Mailer>,
    pub sms: Option<HuaweiSms>,
    pub retry_ms: i64,
}

/// Delivers due notifications until the process ends: email through the mailer, SMS through
/// the gateway. A channel without one waits in the outbox, and its rows say so.
pub async fn dispatch_forever(db: Db, delivery: Delivery) {
    let Delivery {
        mailer,
        sms,
        retry_ms,
    } = delivery;
    let mut channels = Vec::new();
    if mailer.is_some() {
        channels.push("email");
    }
    if sms.is_some() {
        channels.push("sms");
    }
    loop {
        if let Err(e) = dispatch_once(&db, mailer.as_ref(), sms.as_ref(), &channels, retry_ms).await
        {
            tracing::warn!(error = ?e, "outbox dispatch");
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

async fn dispatch_once(
    db: &Db,
    mailer: Option<&Mailer>,
    sms: Option<&HuaweiSms>,
    channels: &[&str],
    base: i64,
) -> Result<(), AppError> {
    for (channel, configured, why) in [
        (
            "email",
            mailer.is_some(),
            "no SMTP server configured (PC_SMTP_URL)",
        ),
        (
            "sms",
            sms.is_some(),
            "no SMS gateway configured (PC_SMS_URL)",
        ),
    ] {
        if !configured {
            db.write(|tx| {
                Box::pin(async move { Ok(repo::note_unconfigured(&mut **tx, channel, why).await?) })
            })
            .await?;
        }
    }
    if channels.is_empty() {
        return Ok(());
    }
    let now = now_ms();
    for row in repo::due(&db.pool, channels, now, now - STALE_MS, 20).await? {
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
        // A text the gateway has no template for fails at once: retrying cannot help.
        let hopeless = row.channel == "sms" && sms.is_some_and(|g| !g.knows(&row.template));
        let result = match (row.channel.as_str(), mailer, sms) {
            ("email", Some(m), _) => m.send(&row.recipient, &row.subject, &row.body).await,
            ("sms", _, Some(gateway)) if hopeless => Err(gateway.missing(&row.template)),
            ("sms", _, Some(gateway)) => {
                let params: Vec<String> = serde_json::from_str(&row.params).unwrap_or_default();
                let message = super::sms::Sms {
                    to: &row.recipient,
                    template: &row.template,
                    params,
                };
                gateway.send(&message).await
            }
            _ => Err("no gateway for this channel".to_string()),
        };
        let (state, error) = match &result {
            Ok(()) => ("sent", None),
            Err(e) => {
                // The recipient address is not logged: it is personal data.
                tracing::warn!(id = row.id, channel = %row.channel, error = %e, "delivery failed");
                let state = if hopeless || row.attempts + 1 >= MAX_ATTEMPTS {
                    "failed"
                } else {
                    "pending"
                };
                (state, Some(e.as_str()))
            }
        };
        let redacted = (state != "pending").then(|| redact_tokens(&row.body));
        let body = redacted.as_deref();
        let next = now_ms() + retry_after(base, row.attempts);
        db.write(|tx| {
            Box::pin(async move {
                Ok(repo::finish(&mut **tx, id, state, error, body, now_ms(), next).await?)
            })
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
    use super::*;

    #[test]
    fn smtp_urls_say_how_the_connection_is_secured() {
        let p = |u: &str| SmtpUrl::parse(u);
        assert_eq!(
            p("smtps://u:p@mail.example.com").unwrap().security,
            SmtpSecurity::Implicit
        );
        assert_eq!(
            p("smtp://u:p@mail.example.com:587?tls=required")
                .unwrap()
                .security,
            SmtpSecurity::StartTls
        );
        assert_eq!(
            p("smtp://127.0.0.1:25").unwrap().security,
            SmtpSecurity::Plain
        );
        assert_eq!(p("smtp://[::1]:25").unwrap().host, "::1");
        assert!(p("smtp://mail.example.com?tls=maybe").is_err());
        assert!(p("http://mail.example.com").is_err());
        assert!(p("smtps://").is_err());
        // Credentials go only over TLS, to a loopback relay, or where the URL says so.
        assert!(p("smtps://u:p@mail.example.com").unwrap().check().is_ok());
        assert!(
            p("smtp://u:p@mail.example.com?tls=required")
                .unwrap()
                .check()
                .is_ok()
        );
        assert!(p("smtp://u:p@mail.example.com").unwrap().check().is_err());
        assert!(
            p("smtp://u:p@mail.example.com?tls=opportunistic")
                .unwrap()
                .check()
                .is_err()
        );
        assert!(p("smtp://u:p@127.0.0.1:25").unwrap().check().is_ok());
        assert!(p("smtp://u:p@localhost").unwrap().check().is_ok());
        assert!(
            p("smtp://u:p@mail.example.com?insecure_auth=yes")
                .unwrap()
                .check()
                .is_ok()
        );
        assert!(
            p("smtp://mail.example.com").unwrap().check().is_ok(),
            "no credentials"
        );
        assert!(Mailer::new("smtp://u:p@mail.example.com", "a@b.c", None).is_err());
        assert!(Mailer::new("smtps://u:p@mail.example.com", "a@b.c", None).is_ok());
    }

    #[test]
    fn failed_deliveries_wait_longer_each_time() {
        assert_eq!(retry_after(30_000, 0), 30_000);
        assert_eq!(retry_after(30_000, 1), 60_000);
        assert_eq!(retry_after(30_000, 3), 240_000);
        assert_eq!(retry_after(30_000, 40), 3_600_000, "at most an hour");
    }

    #[test]
    fn the_html_part_is_the_text_escaped_with_links() {
        let h = html_of(
            "通知 <1>",
            "您好 <b>\n请打开 https://x.example/a?b=1&c=2 查看",
        );
        assert!(h.contains("<title>通知 &lt;1&gt;</title>"));
        assert!(h.contains("您好 &lt;b&gt;<br>"));
        assert!(h.contains("<a href=\"https://x.example/a?b=1&amp;c=2\">"));
    }

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
