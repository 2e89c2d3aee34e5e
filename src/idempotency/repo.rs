//! The stored answers of idempotent requests (table `idempotent_requests`).

use sqlx::{Any, Executor};

/// The hash and stored answer of the request `key` names in `scope`, if any.
pub async fn find<'e>(
    ex: impl Executor<'e, Database = Any>,
    scope: &str,
    key: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT request_hash, result FROM idempotent_requests WHERE scope = $1 AND trans_id = $2",
    )
    .bind(scope)
    .bind(key)
    .fetch_optional(ex)
    .await
}

/// Stores an answer; a unique violation means another copy of the request stored one first.
pub async fn insert<'e>(
    ex: impl Executor<'e, Database = Any>,
    scope: &str,
    key: &str,
    hash: &str,
    result: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO idempotent_requests (scope, trans_id, request_hash, result, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(scope)
    .bind(key)
    .bind(hash)
    .bind(result)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}
