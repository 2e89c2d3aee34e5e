//! Reading the audit trail and the outbox; retrying a failed delivery.

use super::model::{Account, AuditLine, AuditQuery, DELIVERY_STATES, Delivery, ROLES};
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

/// One page of the accounts (账号管理).
pub async fn accounts(
    db: &Db,
    role: &str,
    search: &str,
    page: PageRequest,
) -> Result<Page<Account>, AppError> {
    let role = match role.trim() {
        "" => None,
        r => Some(
            *ROLES
                .iter()
                .find(|k| **k == r)
                .ok_or_else(|| AppError::invalid("error.console.role"))?,
        ),
    };
    let (items, total) = repo::accounts(&db.pool, role, text(search, 64), page).await?;
    Ok(page.answer(items, total))
}

/// Disables (`true`) or enables an account, audited. A disabled account cannot sign in, and its
/// sessions, API tokens and access keys stop working at once (the signed-in user is looked up
/// enabled on every request). An operator cannot disable itself.
pub async fn set_disabled(cx: &Caller, id: i64, disabled: bool) -> Result<(), AppError> {
    if disabled && id == cx.user.id {
        return Err(AppError::conflict("error.console.disable_self"));
    }
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                if repo::account_exists(&mut *tx, id).await? == 0 {
                    return Err(AppError::NotFound);
                }
                let changed = if disabled {
                    repo::disable(&mut *tx, id, now).await?
                } else {
                    repo::enable(&mut *tx, id).await?
                };
                if !changed {
                    let key = if disabled {
                        "error.console.already_disabled"
                    } else {
                        "error.console.already_enabled"
                    };
                    return Err(AppError::conflict(key));
                }
                let action = if disabled {
                    repo::drop_tokens(&mut *tx, id).await?;
                    "account.disable"
                } else {
                    "account.enable"
                };
                cx.actor.record(tx, action, Target::User(id), "", now).await
            })
        })
        .await
}
