//! SQL of access keys and replay protection.

use crate::query_fn;
use sqlx::FromRow;

query_fn! {
    pub fn count_keys(user: i64) -> one i64 =
        query_scalar("SELECT COUNT(*) FROM access_keys WHERE user_id = $1");

    pub fn insert_key(user: i64, ak: &str, sk: &str, description: &str, now: i64) -> done =
        query("INSERT INTO access_keys (ak, sk, user_id, state, description, created_at) VALUES ($2, $3, $1, 'active', $4, $5)");
}

#[derive(FromRow)]
pub struct KeyRow {
    pub ak: String,
    pub state: String,
    pub description: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

query_fn! {
    pub fn list_keys(user: i64) -> all KeyRow =
        query_as("SELECT ak, state, description, created_at, last_used_at FROM access_keys WHERE user_id = $1 ORDER BY id");

    pub fn set_state(user: i64, ak: &str, state: &str) -> changed =
        query("UPDATE access_keys SET state = $3 WHERE ak = $2 AND user_id = $1");

    pub fn delete_key(user: i64, ak: &str) -> changed =
        query("DELETE FROM access_keys WHERE ak = $2 AND user_id = $1");

    /// (secret key, user) of an active key.
    pub fn active_key(ak: &str) -> optional (String, i64) =
        query_as("SELECT sk, user_id FROM access_keys WHERE ak = $1 AND state = 'active'");

    pub fn touch(conn, ak: &str, now: i64) -> done =
        query("UPDATE access_keys SET last_used_at = $2 WHERE ak = $1");
}

/// Records an accepted signature; `false` when it was seen already (a replay).
pub async fn remember_signature(
    conn: &mut sqlx::AnyConnection,
    signature: &str,
    expires_at: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM api_replays WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    let r = sqlx::query(
        "INSERT INTO api_replays (signature, expires_at) VALUES ($1, $2) ON CONFLICT (signature) DO NOTHING",
    )
    .bind(signature)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

query_fn! {
    pub fn user_by_login(login: &str) -> optional (i64, Option<i64>) =
        query_as("SELECT id, partner_id FROM users WHERE login = $1 AND role = 'partner'")
        binding (login.to_lowercase());
}

/// Stores a token's hash; expired tokens are dropped on the way.
pub async fn insert_token(
    conn: &mut sqlx::AnyConnection,
    hash: &str,
    user: i64,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM api_tokens WHERE expires_at < $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO api_tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(hash)
    .bind(user)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

query_fn! {
    /// (user, expires_at) of a token, expired or not.
    pub fn token(hash: &str) -> optional (i64, i64) =
        query_as("SELECT user_id, expires_at FROM api_tokens WHERE token_hash = $1");

    /// Every access key with its stored (sealed) secret, for re-sealing.
    pub fn all_secrets() -> all (String, String) =
        query_as("SELECT ak, sk FROM access_keys ORDER BY id");

    /// Replaces a stored secret if it is still `old` (another process may have re-sealed it).
    pub fn replace_secret(ak: &str, old: &str, new: &str) -> changed =
        query("UPDATE access_keys SET sk = $3 WHERE ak = $1 AND sk = $2");
}
