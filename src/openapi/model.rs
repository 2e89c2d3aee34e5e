//! Wire types of access-key management.

use serde::{Deserialize, Serialize};

/// Access keys per user.
pub const MAX_KEYS: i64 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessKey {
    pub ak: String,
    pub active: bool,
    pub description: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// A key just created: the only time the secret key is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewKey {
    pub ak: String,
    pub sk: String,
    /// The partner's id, which the SDK's `GlobalCredentials` take as `domain_id`.
    pub domain_id: String,
}

/// A key's description: at most 64 characters, no control characters.
pub fn parse_description(raw: &str) -> Result<String, &'static str> {
    let s = raw.trim();
    if s.chars().count() > 64 || s.chars().any(char::is_control) {
        return Err("error.openapi.description");
    }
    Ok(s.to_string())
}

/// One API Explorer call: the request as sent and the answer as received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    pub method: String,
    pub url: String,
    pub request_body: String,
    pub status: u16,
    /// The answer, pretty-printed when it is JSON.
    pub response_body: String,
}
