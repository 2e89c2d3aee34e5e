//! SQL of the operator console's lists.

use super::model::{AuditLine, Delivery};
use crate::domain::PageRequest;
use crate::query_fn;
use crate::server::sql::Where;
use sqlx::AnyPool;

/// Parsed audit filters: times in unix ms.
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub partner: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

fn like(s: &str) -> String {
    format!("%{}%", s.replace(['%', '_'], ""))
}

/// One page of the audit trail, newest first.
pub async fn audit(
    pool: &AnyPool,
    f: &AuditFilter,
    page: PageRequest,
) -> Result<(Vec<AuditLine>, i64), sqlx::Error> {
    Where::new()
        .and_some("a.actor = ?1", f.actor.clone())
        .and_some(
            "a.action LIKE ?1",
            f.action
                .as_ref()
                .map(|a| format!("{}%", a.replace(['%', '_'], ""))),
        )
        .and_some(
            // The partner itself, or a movement from or to it (`platform->partner:7`).
            "EXISTS (SELECT 1 FROM partners p WHERE p.name LIKE ?1 AND (a.target = 'partner:' || p.id \
               OR a.target LIKE '%>partner:' || p.id OR a.target LIKE 'partner:' || p.id || '->%'))",
            f.partner.as_deref().map(like),
        )
        .and_some("a.at >= ?1", f.from_ms)
        .and_some("a.at < ?1", f.to_ms)
        .page(
            pool,
            "a.id, a.at, a.actor, a.action, a.target, a.ip, a.channel, a.detail",
            "FROM audit_log a",
            "a.id DESC",
            page,
        )
        .await
}

/// One page of the outbox, newest first, in `state` (any when `None`), searched by recipient.
pub async fn deliveries(
    pool: &AnyPool,
    state: Option<&str>,
    recipient: Option<String>,
    page: PageRequest,
) -> Result<(Vec<Delivery>, i64), sqlx::Error> {
    Where::new()
        .and_some("o.state = ?1", state.map(String::from))
        .and_some("o.recipient LIKE ?1", recipient.as_deref().map(like))
        .page(
            pool,
            "o.id, o.channel, o.recipient, o.subject, o.state, o.attempts, o.last_error, o.created_at, o.updated_at",
            "FROM outbox o",
            "o.id DESC",
            page,
        )
        .await
}

query_fn! {
    /// The distinct actions in the trail, for the filter's choices.
    pub fn actions() -> all String =
        query_scalar("SELECT DISTINCT action FROM audit_log ORDER BY action");

    /// A failed delivery goes back to pending, due now, with its attempts reset.
    pub fn retry(conn, id: i64, now: i64) -> changed =
        query("UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $2, updated_at = $2 \
             WHERE id = $1 AND state = 'failed'");
}
