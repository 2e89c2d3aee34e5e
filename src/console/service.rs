//! Reading the audit trail and the outbox; retrying a failed delivery.

use super::model::{AuditLine, AuditQuery, DELIVERY_STATES, Delivery};
use super::repo::{self, AuditFilter};
use crate::accounts::audit::{Caller, Target};
use crate::domain::{Page, PageRequest};
use crate::error::AppError;
use crate::server::db::{Db, now_ms};

fn text(s: &str, max: usize) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.chars().take(max).collect())
}

fn day(raw: &str, end: bool) -> Result<Option<i64>, AppError> {
    crate::domain::parse_day(raw, end).map_err(|_| AppError::invalid("error.date.format"))
}

/// The filters, checked: a date that is not `YYYY-MM-DD` is refused.
pub fn audit_filter(q: &AuditQuery) -> Result<AuditFilter, AppError> {
    Ok(AuditFilter {
        actor: text(&q.actor, 64),
        action: text(&q.action, 64),
        partner: text(&q.partner, 64),
        from_ms: day(&q.from, false)?,
        to_ms: day(&q.to, true)?,
    })
}

pub async fn audit(
    db: &Db,
    f: &AuditFilter,
    page: PageRequest,
) -> Result<Page<AuditLine>, AppError> {
    let (items, total) = repo::audit(&db.pool, f, page).await?;
    Ok(page.answer(items, total))
}

pub async fn actions(db: &Db) -> Result<Vec<String>, AppError> {
    Ok(repo::actions(&db.pool).await?)
}

pub async fn deliveries(
    db: &Db,
    state: &str,
    recipient: &str,
    page: PageRequest,
) -> Result<Page<Delivery>, AppError> {
    let state = match state.trim() {
        "" => None,
        s => Some(
            *DELIVERY_STATES
                .iter()
                .find(|k| **k == s)
                .ok_or_else(|| AppError::invalid("error.console.state"))?,
        ),
    };
    let (items, total) = repo::deliveries(&db.pool, state, text(recipient, 64), page).await?;
    Ok(page.answer(items, total))
}

/// Puts a failed delivery back in the queue (the dispatcher sends it at once), audited.
pub async fn retry(cx: &Caller, id: i64) -> Result<(), AppError> {
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                if !repo::retry(&mut *tx, id, now).await? {
                    return Err(AppError::conflict("error.console.not_failed"));
                }
                cx.actor
                    .record(
                        tx,
                        "outbox.retry",
                        Target::Named(&format!("outbox:{id}")),
                        "",
                        now,
                    )
                    .await
            })
        })
        .await
}
