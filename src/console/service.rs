//! Reading the audit trail and the outbox; retrying a failed delivery.

use super::model::{
    Account, AuditLine, AuditQuery, DELIVERY_STATES, Delivery, Pick, PickKind, ROLES,
};
use super::repo::{self, AuditFilter};
use crate::accounts::audit::{Caller, Target};
use crate::accounts::service::{FirstPassword, Site};
use crate::domain::{
    AccountName, CustomerMode, DisplayName, Email, HcpnState, Page, PageRequest, PartnerKind,
};
use crate::error::AppError;
use crate::profile::model::IssuedPassword;
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
        partner_id: None,
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

/// A picker's choices for what the operator typed (nothing for an empty search).
pub async fn pick(db: &Db, kind: PickKind, search: &str) -> Result<Vec<Pick>, AppError> {
    let Some(search) = text(search, 64) else {
        return Ok(Vec::new());
    };
    Ok(repo::pick(&db.pool, kind, &search).await?)
}

/// An account an operator creates in 账号管理 (the command line's `create-*`, in the browser).
pub enum NewAccount {
    Operator,
    Personal {
        verified: bool,
        site: Site,
    },
    /// A partner (organisation) with this account as its administrator.
    Partner {
        name: DisplayName,
        kind: PartnerKind,
        parent: Option<i64>,
        hcpn: HcpnState,
        email: Option<Email>,
    },
    /// A customer, associated with a partner in a mode, or free (to be invited).
    Customer {
        name: DisplayName,
        link: Option<(i64, CustomerMode)>,
    },
}

/// Creates an account with a generated password, shown once to the operator and to be changed
/// at the first sign-in. Audited like the command line's creations.
pub async fn create_account(
    cx: &Caller,
    login: AccountName,
    account: NewAccount,
) -> Result<IssuedPassword, AppError> {
    use crate::accounts::service as accounts;
    let password = crate::profile::service::temporary_password();
    let shown = password.expose().to_string();
    let first = FirstPassword {
        password,
        temporary: true,
    };
    let (db, actor) = (&cx.db, &cx.actor);
    let user_id = match account {
        NewAccount::Operator => accounts::create_operator(db, login.clone(), first, actor).await?,
        NewAccount::Personal { verified, site } => {
            accounts::create_personal(db, login.clone(), first, verified, site, actor).await?
        }
        NewAccount::Partner {
            name,
            kind,
            parent,
            hcpn,
            email,
        } => {
            let p = accounts::NewPartner {
                name,
                kind,
                parent_id: parent,
                hcpn,
                email: email.map(|e| e.as_str().to_string()),
                login: login.clone(),
                password: first,
            };
            accounts::create_partner(db, p, actor).await?.1
        }
        NewAccount::Customer { name, link } => {
            let c = accounts::NewCustomer {
                link,
                name,
                login: login.clone(),
                password: first,
            };
            accounts::create_customer(db, c, actor).await?.1
        }
    };
    Ok(IssuedPassword {
        user_id,
        login: login.as_str().to_string(),
        password: shown,
    })
}

/// 伙伴管理 → one partner: its profile and contacts, balances, quotas, certificates and path
/// certifications, customers, resellers, members and the latest audit entries about it.
pub async fn partner_detail(db: &Db, id: i64) -> Result<super::model::PartnerDetail, AppError> {
    let pool = &db.pool;
    let (id, name, kind, hcpn, parent_id, parent_name, email, phone, created_at) =
        repo::partner(pool, id).await?.ok_or(AppError::NotFound)?;
    let first = PageRequest::new(None, Some(20));
    let quotas = crate::vouchers::service::operator_quotas(db, Some(id), None, None, first).await?;
    let audit = AuditFilter {
        actor: None,
        action: None,
        partner: None,
        partner_id: Some(id),
        from_ms: None,
        to_ms: None,
    };
    Ok(super::model::PartnerDetail {
        id,
        name,
        kind,
        hcpn,
        parent_id,
        parent_name,
        email,
        phone,
        created_at,
        balances: crate::funds::service::partner_balances(db, id).await?,
        quotas: quotas.items,
        certificates: repo::certificates(pool, id).await?,
        paths: repo::path_certifications(pool, id).await?,
        customers: repo::customer_count(pool, id).await?,
        resellers: repo::resellers(pool, id).await?,
        members: crate::members::service::of_partner(db, id).await?,
        audit: repo::audit(pool, &audit, first).await?.0,
    })
}

/// The operator sets a partner's contacts (what its customers see, where its notices go).
pub async fn set_partner_contact(
    cx: &Caller,
    partner: i64,
    email: Option<&Email>,
    phone: Option<&crate::onboarding::model::Mobile>,
) -> Result<(), AppError> {
    let (email, phone) = (email.map(Email::as_str), phone.map(|p| p.as_str()));
    crate::accounts::service::set_partner_contact(&cx.db, partner, email, phone, &cx.actor).await
}
