//! SMS through Huawei Cloud's Message & SMS service (消息&短信 MSGSMS): `batchSendSms` with its
//! WSSE authentication, one approved template per kind of text.
//!
//! The product's SMS texts (`sms.<key>`) are what the templates say; a template's parameters
//! are the text's `{name}`s in the order the Chinese text names them, so the outbox keeps the
//! template key and those values beside the rendered text.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::time::Duration;

/// One SMS to deliver.
#[derive(Debug, Clone)]
pub struct Sms<'a> {
    pub to: &'a str,
    /// The text's key (`order.partner_pay` for `sms.order.partner_pay`).
    pub template: &'a str,
    pub params: Vec<String>,
}

/// The app secret: never printed.
#[derive(Clone)]
pub struct AppSecret(String);

impl std::fmt::Debug for AppSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AppSecret([redacted])")
    }
}

/// The gateway's settings (`PC_SMS_*`).
#[derive(Debug, Clone)]
pub struct SmsConfig {
    /// The service's address, e.g. `https://smsapi.cn-north-4.myhuaweicloud.com:443`.
    pub url: String,
    pub app_key: String,
    pub app_secret: AppSecret,
    /// The sender channel number (通道号).
    pub sender: String,
    /// Template id per text key.
    pub templates: BTreeMap<String, String>,
    /// The signature name, for general templates.
    pub signature: Option<String>,
}

impl SmsConfig {
    /// `templates` is `key=templateId,key=templateId`.
    pub fn new(
        url: &str,
        app_key: &str,
        app_secret: &str,
        sender: &str,
        templates: &str,
        signature: Option<&str>,
    ) -> Result<SmsConfig, String> {
        let url = url.trim().trim_end_matches('/');
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(
                "the SMS URL must start with https:// (or http:// for a local test)".into(),
            );
        }
        if app_key.trim().is_empty() || app_secret.is_empty() || sender.trim().is_empty() {
            return Err("SMS needs an app key, app secret and sender (PC_SMS_APP_KEY, PC_SMS_APP_SECRET, PC_SMS_SENDER)".into());
        }
        let mut map = BTreeMap::new();
        for pair in templates
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let (key, id) = pair
                .split_once('=')
                .ok_or_else(|| format!("SMS template {pair:?}: write key=templateId"))?;
            map.insert(key.trim().to_string(), id.trim().to_string());
        }
        Ok(SmsConfig {
            url: url.to_string(),
            app_key: app_key.trim().to_string(),
            app_secret: AppSecret(app_secret.to_string()),
            sender: sender.trim().to_string(),
            templates: map,
            signature: signature
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from),
        })
    }
}

/// The `X-WSSE` password digest: Base64 of the lowercase hex SHA-256 of nonce + created +
/// secret (the form of the service's own example).
pub fn password_digest(nonce: &str, created: &str, secret: &str) -> String {
    use base64::Engine;
    let hash = Sha256::digest(format!("{nonce}{created}{secret}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(hex::encode(hash))
}

/// The two authentication headers of one request.
pub fn wsse_headers(
    app_key: &str,
    secret: &str,
    nonce: &str,
    created: &str,
) -> [(String, String); 2] {
    let digest = password_digest(nonce, created, secret);
    [
        (
            "Authorization".into(),
            r#"WSSE realm="SDP",profile="UsernameToken",type="Appkey""#.into(),
        ),
        (
            "X-WSSE".into(),
            format!(
                r#"UsernameToken Username="{app_key}",PasswordDigest="{digest}",Nonce="{nonce}",Created="{created}""#
            ),
        ),
    ]
}

/// A mainland number as the service wants it (`+86…`); numbers with a country code stay.
pub fn e164(number: &str) -> String {
    let n = number.trim();
    if n.starts_with('+') {
        n.to_string()
    } else {
        format!("+86{n}")
    }
}

impl SmsConfig {
    /// The template id a text is sent by: its own (`order.partner_pay`, `msg.plan.approved`), or
    /// for a notice (`msg.…`) without one the general `notice` template.
    pub fn template_id(&self, key: &str) -> Option<&String> {
        self.templates.get(key).or_else(|| {
            key.starts_with("msg.")
                .then(|| self.templates.get("notice"))
                .flatten()
        })
    }
}

/// The gateway: an HTTP client and its settings.
pub struct HuaweiSms {
    client: reqwest::Client,
    config: SmsConfig,
}

impl HuaweiSms {
    pub fn new(config: SmsConfig) -> Result<HuaweiSms, String> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| format!("SMS client: {e}"))?;
        Ok(HuaweiSms { client, config })
    }

    /// Whether a text can be sent at all: no template id for it is not worth retrying.
    pub fn knows(&self, template: &str) -> bool {
        self.config.template_id(template).is_some()
    }

    /// Why a text without a template id is not sent.
    pub fn missing(&self, template: &str) -> String {
        format!("no SMS template id for {template} (PC_SMS_TEMPLATES)")
    }

    /// Sends one SMS; an error says why (the service's code and description, or the transport's).
    pub async fn send(&self, sms: &Sms<'_>) -> Result<(), String> {
        let c = &self.config;
        let template = c
            .template_id(sms.template)
            .ok_or_else(|| self.missing(sms.template))?;
        let nonce = format!("{:032x}", rand::random::<u128>());
        let created = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let params = serde_json::to_string(&sms.params).map_err(|e| e.to_string())?;
        let to = e164(sms.to);
        let mut form = vec![
            ("from", c.sender.as_str()),
            ("to", to.as_str()),
            ("templateId", template.as_str()),
            ("templateParas", params.as_str()),
        ];
        if let Some(signature) = &c.signature {
            form.push(("signature", signature.as_str()));
        }
        let mut request = self
            .client
            .post(format!("{}/sms/batchSendSms/v1", c.url))
            .header("Accept", "application/json")
            .form(&form);
        for (name, value) in wsse_headers(&c.app_key, &c.app_secret.0, &nonce, &created) {
            request = request.header(name, value);
        }
        let response = request
            .send()
            .await
            .map_err(|e| format!("SMS request: {e}"))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| format!("SMS answer ({status}): {e}"))?;
        let body: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("SMS answer ({status}) is not JSON: {e}"))?;
        answer(status.as_u16(), &body)
    }
}

/// Reads the service's answer: `code` 000000 and every recipient's `status` 000000.
pub fn answer(status: u16, body: &serde_json::Value) -> Result<(), String> {
    let code = body["code"].as_str().unwrap_or_default();
    if status != 200 || code != "000000" {
        return Err(format!(
            "SMS refused ({status} {code}): {}",
            body["description"].as_str().unwrap_or_default()
        ));
    }
    let results = body["result"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    match results.iter().find(|r| r["status"] != "000000") {
        Some(r) => Err(format!("SMS not sent to a recipient: {}", r["status"])),
        None if results.is_empty() => Err("SMS answer without results".into()),
        None => Ok(()),
    }
}

/// The parameter names of a text in the order it names them (`{customer}…{number}`).
pub fn parameter_order(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !names.contains(&name) {
            names.push(name);
        }
        rest = &after[close + 1..];
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_base64_of_the_hex_sha256() {
        let d = password_digest("7226249334", "2018-07-03T09:01:24Z", "secret");
        use base64::Engine;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(&d)
            .unwrap();
        let hex = String::from_utf8(decoded).unwrap();
        assert_eq!(hex.len(), 64);
        assert!(
            hex.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_eq!(
            hex,
            hex::encode(Sha256::digest(b"72262493342018-07-03T09:01:24Zsecret"))
        );
        let [auth, wsse] = wsse_headers("key", "secret", "7226249334", "2018-07-03T09:01:24Z");
        assert_eq!(
            auth.1,
            r#"WSSE realm="SDP",profile="UsernameToken",type="Appkey""#
        );
        assert!(
            wsse.1
                .starts_with(r#"UsernameToken Username="key",PasswordDigest=""#)
        );
        assert!(
            wsse.1
                .ends_with(r#"Nonce="7226249334",Created="2018-07-03T09:01:24Z""#)
        );
    }

    #[test]
    fn answers_numbers_and_parameters() {
        let ok = serde_json::json!({"code": "000000", "description": "Success",
            "result": [{"originTo": "+8613800138000", "status": "000000", "smsMsgId": "x"}]});
        assert_eq!(answer(200, &ok), Ok(()));
        let refused =
            serde_json::json!({"code": "E000510", "description": "The SMS fails to be sent."});
        assert!(answer(200, &refused).unwrap_err().contains("E000510"));
        let partly = serde_json::json!({"code": "000000", "result": [{"status": "E200028"}]});
        assert!(answer(200, &partly).is_err());
        assert!(answer(401, &serde_json::json!({})).is_err());
        assert_eq!(e164("13800138000"), "+8613800138000");
        assert_eq!(e164("+85261234567"), "+85261234567");
        assert_eq!(
            parameter_order("客户{customer}申请订单{number}，金额{amount}元，{customer}"),
            ["customer", "number", "amount"]
        );
        let c = SmsConfig::new(
            "https://sms.example.com/",
            "k",
            "s",
            "csms1",
            "a=1, b = 2",
            None,
        )
        .unwrap();
        assert_eq!(c.url, "https://sms.example.com");
        assert_eq!(c.templates["b"], "2");
        assert!(
            !format!("{c:?}").contains("\"s\""),
            "the secret is never printed"
        );
        let notices = SmsConfig::new(
            "https://x",
            "k",
            "s",
            "n",
            "notice=9, msg.plan.approved=7",
            None,
        )
        .unwrap();
        assert_eq!(
            notices.template_id("msg.plan.approved").map(String::as_str),
            Some("7")
        );
        assert_eq!(
            notices
                .template_id("msg.funds.allocated")
                .map(String::as_str),
            Some("9")
        );
        assert_eq!(
            notices.template_id("order.partner_pay"),
            None,
            "only notices fall back"
        );
        assert_eq!(c.template_id("msg.funds.allocated"), None);
        assert!(SmsConfig::new("ftp://x", "k", "s", "n", "", None).is_err());
        assert!(SmsConfig::new("https://x", "k", "s", "n", "broken", None).is_err());
    }
}
