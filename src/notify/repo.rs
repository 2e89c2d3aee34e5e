//! SQL of the outbox.

use crate::query_fn;
use crate::server::db::Pool;
use sqlx::FromRow;

query_fn! {
    #[allow(clippy::too_many_arguments)]
    pub fn insert(conn, channel: &str, recipient: &str, subject: &str, body: &str, template: &str, params: &str, now: i64) -> done =
        query("INSERT INTO outbox (channel, recipient, subject, body, template, params, state, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7)");

    /// Says on waiting rows of `channel` why they wait (no server configured), once.
    pub fn note_unconfigured(channel: &str, why: &str) -> count =
        query("UPDATE outbox SET last_error = $2 WHERE channel = $1 AND state = 'pending' AND last_error IS NULL");
}

#[derive(FromRow, Debug)]
pub struct Row {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub template: String,
    pub params: String,
    pub attempts: i64,
}

/// Rows ready to deliver: pending ones of the given channels whose next attempt is due, and
/// ones stuck `sending` since before `stale`.
pub async fn due(
    pool: &Pool,
    channels: &[&str],
    now: i64,
    stale: i64,
    limit: i64,
) -> Result<Vec<Row>, sqlx::Error> {
    let email = channels.contains(&"email");
    let sms = channels.contains(&"sms");
    sqlx::query_as(
        "SELECT id, channel, recipient, subject, body, template, params, attempts FROM outbox \
         WHERE ((channel = 'email' AND $1 = 1) OR (channel = 'sms' AND $2 = 1)) \
         AND ((state = 'pending' AND next_attempt_at <= $5) OR (state = 'sending' AND updated_at < $3)) \
         ORDER BY id LIMIT $4",
    )
    .bind(i64::from(email))
    .bind(i64::from(sms))
    .bind(stale)
    .bind(limit)
    .bind(now)
    .fetch_all(pool)
    .await
}

query_fn! {
    /// Claims a row for delivery; `false` when another process has it.
    pub fn claim(id: i64, stale: i64, now: i64) -> changed =
        query("UPDATE outbox SET state = 'sending', updated_at = $1 \
         WHERE id = $2 AND (state = 'pending' OR (state = 'sending' AND updated_at < $3))")
        binding (now, id, stale);

    /// Records an attempt's outcome; `body`, when given, replaces the text (with its secrets
    /// removed once it is delivered or abandoned).
    pub fn finish(id: i64, state: &str, error: Option<&str>, body: Option<&str>, now: i64, next_attempt_at: i64) -> done =
        query("UPDATE outbox SET state = $2, last_error = $3, attempts = attempts + 1, updated_at = $5, \
             body = COALESCE($4, body), next_attempt_at = $6 WHERE id = $1");
}
