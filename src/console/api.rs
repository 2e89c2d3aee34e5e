//! Server functions of the operator console: the audit trail, deliveries, accounts and pickers.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use super::model::AuditQuery;
use super::model::{Account, AuditLine, Delivery, Pick};
use crate::domain::Page;
#[cfg(feature = "ssr")]
use crate::domain::{PageRequest, Role};
use crate::error::AppError;
use crate::profile::model::IssuedPassword;
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
    #[server(default)] size: Option<u32>,
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
    super::service::audit(&cx.db, &filter, PageRequest::new(page, size)).await
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

/// 审计日志 as CSV or XLSX with the page's filters: every matching row, or a refusal when more than
/// `domain::export::MAX_ROWS` match.
#[cfg(feature = "ssr")]
pub async fn audit_export(
    export: crate::domain::export::OperatorExport,
) -> Result<axum::response::Response, AppError> {
    use crate::domain::export::{Cell, Sheet, respond};
    let get = |k: &str| export.get(k).to_string();
    let query = AuditQuery {
        actor: get("actor"),
        action: get("action"),
        partner: get("partner"),
        from: get("from"),
        to: get("to"),
    };
    let filter = super::service::audit_filter(&query)?;
    let sheet = Sheet {
        name: "audit-log",
        header: &[
            "time", "actor", "action", "target", "ip", "channel", "detail",
        ],
        row: |l: super::model::AuditLine| {
            vec![
                Cell::Time(l.at),
                l.actor.into(),
                l.action.into(),
                l.target.into(),
                l.ip.into(),
                l.channel.into(),
                l.detail.into(),
            ]
        },
        id: |l| l.id,
    };
    let db = export.cx.db;
    respond(export.format, sheet, move |page| {
        let (db, filter) = (db.clone(), filter.clone());
        async move { super::service::audit(&db, &filter, page).await }
    })
    .await
}

/// A picker's choices (`what`: partner, distributor, customer or personal) for what was typed.
#[server(prefix = "/api", endpoint = "console/pick")]
pub async fn pick_choices(what: String, q: String) -> Result<Vec<Pick>, AppError> {
    use super::model::PickKind;
    let cx = ctx::acting(&[Role::Operator]).await?;
    let kind = PickKind::parse(&what).ok_or(AppError::BadRequest)?;
    super::service::pick(&cx.db, kind, &q).await
}

/// 账号管理: creates an operator, a personal account, a partner with its administrator, or a
/// customer, with a generated password shown once (to be changed at the first sign-in). The
/// fields beyond `role` and `login` are those of the role.
#[server(prefix = "/api", endpoint = "console/create-account")]
pub async fn create_account(
    role: String,
    login: String,
    name: Option<String>,
    kind: Option<String>,
    parent: Option<String>,
    email: Option<String>,
    partner: Option<String>,
    mode: Option<String>,
    site: Option<String>,
    verified: Option<String>,
) -> Result<IssuedPassword, AppError> {
    use super::service::NewAccount;
    use crate::accounts::service::Site;
    use crate::domain::{AccountName, CustomerMode, DisplayName, Email, HcpnState, PartnerKind};
    let cx = ctx::acting(&[Role::Operator]).await?;
    let login = AccountName::parse(&login).map_err(AppError::invalid)?;
    let given = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let id = |s: Option<String>, key: &'static str| -> Result<Option<i64>, AppError> {
        given(s)
            .map(|s| s.parse::<i64>().map_err(|_| AppError::invalid(key)))
            .transpose()
    };
    let name = || {
        DisplayName::parse(given(name.clone()).as_deref().unwrap_or("")).map_err(AppError::invalid)
    };
    let account = match Role::parse(role.trim()) {
        Some(Role::Operator) => NewAccount::Operator,
        Some(Role::Personal) => NewAccount::Personal {
            verified: ctx::choice(verified.as_deref().unwrap_or("false"), "true", "false")?,
            site: Site::parse(site.as_deref().unwrap_or("cn")).ok_or(AppError::BadRequest)?,
        },
        Some(Role::Partner) => NewAccount::Partner {
            name: name()?,
            kind: PartnerKind::parse(kind.as_deref().unwrap_or(""))
                .ok_or_else(|| AppError::invalid("error.partner.kind"))?,
            parent: id(parent, "error.partner.parent_not_found")?,
            hcpn: HcpnState::Onboarded,
            email: given(email)
                .map(|e| Email::parse(&e).map_err(AppError::invalid))
                .transpose()?,
        },
        Some(Role::Customer) => NewAccount::Customer {
            name: name()?,
            link: match id(partner, "error.partner.not_found")? {
                None => None,
                Some(p) => Some((
                    p,
                    CustomerMode::parse(mode.as_deref().unwrap_or(""))
                        .ok_or_else(|| AppError::invalid("error.console.mode"))?,
                )),
            },
        },
        None => return Err(AppError::invalid("error.console.role")),
    };
    super::service::create_account(&cx, login, account).await
}

/// 伙伴管理 → one partner's page.
#[server(prefix = "/api", endpoint = "console/partner")]
pub async fn partner_detail(id: i64) -> Result<super::model::PartnerDetail, AppError> {
    let (db, _) = ctx::caller(Role::Operator).await?;
    super::service::partner_detail(&db, id).await
}

/// Sets a partner's contacts from its page (each optional: empty clears it).
#[server(prefix = "/api", endpoint = "console/partner-contact")]
pub async fn set_partner_contact(
    partner: i64,
    email: Option<String>,
    phone: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::Email;
    use crate::onboarding::model::Mobile;
    let cx = ctx::acting(&[Role::Operator]).await?;
    let some = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let email = some(email)
        .map(|e| Email::parse(&e))
        .transpose()
        .map_err(AppError::invalid)?;
    let phone = some(phone)
        .map(|p| Mobile::parse(&p))
        .transpose()
        .map_err(AppError::invalid)?;
    super::service::set_partner_contact(&cx, partner, email.as_ref(), phone.as_ref()).await?;
    ctx::redirect(&format!("/operator/partners/{partner}?saved=1"))
}
