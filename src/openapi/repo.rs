//! SQL of access keys and replay protection.

use sqlx::{Any, AnyPool, Executor, FromRow};

pub async fn count_keys<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM access_keys WHERE user_id = $1")
        .bind(user)
        .fetch_one(ex)
        .await
}

pub async fn insert_key<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: i64,
    ak: &str,
    sk: &str,
    description: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO access_keys (ak, sk, user_id, state, description, created_at) VALUES ($1, $2, $3, 'active', $4, $5)",
    )
    .bind(ak)
    .bind(sk)
    .bind(user)
    .bind(description)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

#[derive(FromRow)]
pub struct KeyRow {
    pub ak: String,
    pub state: String,
    pub description: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

pub async fn list_keys(pool: &AnyPool, user: i64) -> Result<Vec<KeyRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT ak, state, description, created_at, last_used_at FROM access_keys WHERE user_id = $1 ORDER BY id",
    )
    .bind(user)
    .fetch_all(pool)
    .await
}

pub async fn set_state<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: i64,
    ak: &str,
    state: &str,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("UPDATE access_keys SET state = $1 WHERE ak = $2 AND user_id = $3")
        .bind(state)
        .bind(ak)
        .bind(user)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn delete_key<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: i64,
    ak: &str,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM access_keys WHERE ak = $1 AND user_id = $2")
        .bind(ak)
        .bind(user)
        .execute(ex)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// (secret key, user) of an active key.
pub async fn active_key(pool: &AnyPool, ak: &str) -> Result<Option<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT sk, user_id FROM access_keys WHERE ak = $1 AND state = 'active'")
        .bind(ak)
        .fetch_optional(pool)
        .await
}

pub async fn touch(conn: &mut sqlx::AnyConnection, ak: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE access_keys SET last_used_at = $1 WHERE ak = $2")
        .bind(now)
        .bind(ak)
        .execute(&mut *conn)
        .await?;
    Ok(())
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

pub async fn user_by_login(
    pool: &AnyPool,
    login: &str,
) -> Result<Option<(i64, Option<i64>)>, sqlx::Error> {
    sqlx::query_as("SELECT id, partner_id FROM users WHERE login = $1 AND role = 'partner'")
        .bind(login.to_lowercase())
        .fetch_optional(pool)
        .await
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

/// (user, expires_at) of a token, expired or not.
pub async fn token(pool: &AnyPool, hash: &str) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT user_id, expires_at FROM api_tokens WHERE token_hash = $1")
        .bind(hash)
        .fetch_optional(pool)
        .await
}

/// Every access key with its stored (sealed) secret, for re-sealing.
pub async fn all_secrets(pool: &AnyPool) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT ak, sk FROM access_keys ORDER BY id")
        .fetch_all(pool)
        .await
}

/// Replaces a stored secret if it is still `old` (another process may have re-sealed it).
pub async fn replace_secret(
    pool: &AnyPool,
    ak: &str,
    old: &str,
    new: &str,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("UPDATE access_keys SET sk = $1 WHERE ak = $2 AND sk = $3")
        .bind(new)
        .bind(ak)
        .bind(old)
        .execute(pool)
        .await?;
    Ok(r.rows_affected() == 1)
}
