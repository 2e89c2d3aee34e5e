//! Server functions of the operator console's audit trail and deliveries.

#[cfg(feature = "ssr")]
use super::model::AuditQuery;
use super::model::{Account, AuditLine, Delivery};
use crate::domain::Page;
#[cfg(feature = "ssr")]
use crate::domain::{PageRequest, Role};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::ctx;
use leptos::prelude::*;

/// 审计日志: one page of the trail with the filters.
#[server(prefix = "/api", endpoint = "console/audit")]
pub async fn audit_trail(
    actor: Option<String>,
    action: Option<String>,
    partner: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<u32>,
) -> Result<Page<AuditLine>, AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let query = AuditQuery {
        actor: actor.unwrap_or_default(),
        action: action.unwrap_or_default(),
        partner: partner.unwrap_or_default(),
        from: from.unwrap_or_default(),
        to: to.unwrap_or_default(),
    };
    let filter = super::service::audit_filter(&query)?;
    super::service::audit(&cx.db, &filter, PageRequest::new(page, None)).await
}

/// The actions the trail holds (the filter's choices).
#[server(prefix = "/api", endpoint = "console/audit-actions")]
pub async fn audit_actions() -> Result<Vec<String>, AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    super::service::actions(&cx.db).await
}

/// 消息投递: one page of the outbox, by state and recipient.
#[server(prefix = "/api", endpoint = "console/deliveries")]
pub async fn deliveries(
    state: Option<String>,
    recipient: Option<String>,
    page: Option<u32>,
) -> Result<Page<Delivery>, AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    super::service::deliveries(
        &cx.db,
        state.as_deref().unwrap_or(""),
        recipient.as_deref().unwrap_or(""),
        PageRequest::new(page, None),
    )
    .await
}

/// Sends a failed email or SMS again.
#[server(prefix = "/api", endpoint = "console/retry")]
pub async fn retry_delivery(id: i64) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    super::service::retry(&cx, id).await
}

/// 账号管理: one page of the accounts, by role and login or organisation.
#[server(prefix = "/api", endpoint = "console/accounts")]
pub async fn accounts(
    role: Option<String>,
    q: Option<String>,
    page: Option<u32>,
) -> Result<Page<Account>, AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    super::service::accounts(
        &cx.db,
        role.as_deref().unwrap_or(""),
        q.as_deref().unwrap_or(""),
        PageRequest::new(page, None),
    )
    .await
}

/// Disables (`disabled` = "true") or enables an account.
#[server(prefix = "/api", endpoint = "console/account-state")]
pub async fn set_account_state(id: i64, disabled: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let disabled = ctx::choice(&disabled, "true", "false")?;
    super::service::set_disabled(&cx, id, disabled).await
}

/// 审计日志 as CSV with the page's filters: every matching row, or a refusal when more than
/// `domain::csv::MAX_ROWS` match.
#[cfg(feature = "ssr")]
pub async fn audit_csv(
    export: crate::domain::csv::OperatorExport,
) -> Result<axum::response::Response, AppError> {
    use crate::domain::csv::{Csv, complete};
    use crate::domain::format_time;
    let get = |k: &str| export.get(k).to_string();
    let query = AuditQuery {
        actor: get("actor"),
        action: get("action"),
        partner: get("partner"),
        from: get("from"),
        to: get("to"),
    };
    let filter = super::service::audit_filter(&query)?;
    let lines = super::service::audit(&export.cx.db, &filter, PageRequest::EXPORT).await?;
    let mut csv = Csv::new(&[
        "time", "actor", "action", "target", "ip", "channel", "detail",
    ]);
    for l in complete(lines.items)? {
        csv.row([
            format_time(l.at),
            l.actor,
            l.action,
            l.target,
            l.ip,
            l.channel,
            l.detail,
        ]);
    }
    Ok(csv.into_response("audit-log.csv"))
}
