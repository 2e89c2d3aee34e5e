//! The stored answers of idempotent requests (table `idempotent_requests`).

use crate::query_fn;

query_fn! {
    /// The hash and stored answer of the request `key` names in `scope`, if any.
    pub fn find(scope: &str, key: &str) -> optional (String, String) =
        query_as("SELECT request_hash, result FROM idempotent_requests WHERE scope = $1 AND trans_id = $2");

    /// Stores an answer; a unique violation means another copy of the request stored one first.
    pub fn insert(scope: &str, key: &str, hash: &str, result: &str, now: i64) -> done =
        query("INSERT INTO idempotent_requests (scope, trans_id, request_hash, result, created_at) \
             VALUES ($1, $2, $3, $4, $5)");
}
