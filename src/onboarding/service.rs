//! Registering, submitting, confirming and deciding onboarding applications.

use super::model::{AppState, Application, DistributorChoice, Enterprise};
use super::repo;
use crate::accounts::audit::{Actor, Caller, Origin, Target};
use crate::accounts::links::{self, Purpose, Redeemable};
use crate::accounts::repo::NewPartnerRow;
use crate::accounts::service::{hash_password, insert_partner_and_admin};
use crate::domain::{AccountName, HcpnState, NewPassword, Page, PageRequest, Reason, Role};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::server::db::{Backend, Db, Tx, is_unique_violation, now_ms};

/// Registrations allowed from one client address per hour.
pub const REGISTRATIONS_PER_HOUR: i64 = 10;

/// The path of an email-confirmation link.
pub fn confirm_path(token: &str) -> String {
    format!("/join/confirm/{token}")
}

/// A registration: the partner administrator's account and the enterprise information.
pub struct Registration {
    pub login: AccountName,
    pub password: NewPassword,
    pub enterprise: Enterprise,
    pub lang: Lang,
}

/// Where links in mails point.
pub struct Links<'a> {
    pub base_url: &'a str,
}

/// The distributors a cloud reseller may apply under.
pub async fn distributors(db: &Db) -> Result<Vec<DistributorChoice>, AppError> {
    Ok(repo::distributors(&db.pool).await?)
}

/// Creates the company's partner record, its administrator and its application (waiting for the
/// email to be confirmed, the link mailed), in one transaction. Returns the new user's id.
pub async fn register(
    db: &Db,
    origin: &Origin,
    r: Registration,
    links: &Links<'_>,
) -> Result<i64, AppError> {
    let hash = hash_password(&r.password).await?;
    let now = now_ms();
    let (r, hash) = (&r, &hash);
    db.write(|tx| {
        Box::pin(async move {
            let ip = origin.ip.as_str();
            if db.backend == Backend::Postgres {
                repo::lock_address(&mut *tx, ip).await?;
            }
            if repo::registrations_from(&mut *tx, ip, now - 3_600_000).await?
                >= REGISTRATIONS_PER_HOUR
            {
                return Err(AppError::TooManyAttempts);
            }
            let e = &r.enterprise;
            let row = NewPartnerRow {
                name: e.company.as_str(),
                kind: e.kind,
                parent_id: e.parent,
                hcpn: HcpnState::Pending,
                email: Some(e.contact_email.as_str()),
                now,
            };
            check_parent(tx, e).await?;
            let (partner, user) = insert_partner_and_admin(tx, row, &r.login, hash, false).await?;
            crate::accounts::repo::set_lang(&mut *tx, user, r.lang.code()).await?;
            let actor = Actor {
                user_id: Some(user),
                name: r.login.as_str().to_string(),
                origin: origin.clone(),
            };
            actor
                .record(
                    tx,
                    "onboarding.register",
                    Target::Partner(partner),
                    e.kind.as_str(),
                    now,
                )
                .await?;
            write_application(tx, partner, user, e, None, r.lang, links, now).await?;
            Ok(user)
        })
    })
    .await
}

/// A reseller's distributor must be an onboarded distributor.
async fn check_parent(tx: &mut Tx<'_>, e: &Enterprise) -> Result<(), AppError> {
    if let Some(parent) = e.parent
        && repo::is_distributor(&mut *tx, parent).await? == 0
    {
        return Err(AppError::invalid("error.onboarding.parent"));
    }
    Ok(())
}

/// Writes the application (first or again): to the queue when its address is the one already
/// confirmed, else waiting for a mailed link. Returns the state it is in.
#[allow(clippy::too_many_arguments)]
async fn write_application(
    tx: &mut Tx<'_>,
    partner: i64,
    user: i64,
    e: &Enterprise,
    confirmed: Option<&str>,
    lang: Lang,
    links: &Links<'_>,
    now: i64,
) -> Result<AppState, AppError> {
    if repo::uscc_taken(&mut *tx, e.uscc.as_str(), partner).await? > 0 {
        return Err(AppError::conflict("error.onboarding.uscc_taken"));
    }
    let state = if confirmed == Some(e.contact_email.as_str()) {
        AppState::Pending
    } else {
        AppState::Unconfirmed
    };
    repo::upsert(&mut *tx, partner, e, state.code(), confirmed, now)
        .await
        .map_err(|err| {
            if is_unique_violation(&err) {
                AppError::conflict("error.onboarding.uscc_taken")
            } else {
                AppError::from(err)
            }
        })?;
    if state == AppState::Unconfirmed {
        mail_link(
            tx,
            user,
            e.company.as_str(),
            e.contact_email.as_str(),
            lang,
            links,
            now,
        )
        .await?;
    }
    Ok(state)
}

/// Mails a new confirmation link for `email` (ending the user's older ones).
async fn mail_link(
    tx: &mut Tx<'_>,
    user: i64,
    company: &str,
    email: &str,
    lang: Lang,
    links: &Links<'_>,
    now: i64,
) -> Result<(), AppError> {
    let token = links::issue(&mut *tx, user, Purpose::ConfirmEmail, email, now).await?;
    let link = format!("{}{}", links.base_url, confirm_path(&token));
    crate::notify::service::queue(
        &mut *tx,
        crate::notify::service::Via::Email(email),
        lang,
        "onboarding.confirm",
        &[("company", company), ("link", &link)],
        now,
    )
    .await
}

/// The signed-in partner's application, if it has one.
pub async fn mine(cx: &Caller) -> Result<Option<Application>, AppError> {
    let partner = cx.user.as_partner()?.id;
    Ok(repo::of_partner(&cx.db.pool, partner).await?)
}

/// A pending partner submits its enterprise information (first time, or again after a
/// rejection or to correct it before the decision).
pub async fn submit(
    cx: &Caller,
    e: &Enterprise,
    lang: Lang,
    links: &Links<'_>,
) -> Result<AppState, AppError> {
    let p = cx.user.as_partner()?;
    if p.hcpn == HcpnState::Onboarded {
        return Err(AppError::conflict("error.onboarding.done"));
    }
    let (partner, user) = (p.id, cx.user.id);
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                let confirmed = match repo::state_of(&mut *tx, partner).await? {
                    Some((s, _)) if s == "approved" => {
                        return Err(AppError::conflict("error.onboarding.done"));
                    }
                    Some((_, confirmed)) => confirmed,
                    None => None,
                };
                check_parent(tx, e).await?;
                let state =
                    write_application(tx, partner, user, e, confirmed.as_deref(), lang, links, now)
                        .await?;
                if !repo::set_partner_kind(&mut *tx, partner, e).await? {
                    return Err(AppError::conflict("error.onboarding.done"));
                }
                cx.actor
                    .record(
                        tx,
                        "onboarding.submit",
                        Target::Partner(partner),
                        state.code(),
                        now,
                    )
                    .await?;
                Ok(state)
            })
        })
        .await
}

/// Mails the confirmation link again (the older one stops working).
pub async fn resend(cx: &Caller, lang: Lang, links: &Links<'_>) -> Result<(), AppError> {
    let partner = cx.user.as_partner()?.id;
    let user = cx.user.id;
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                let app = repo::of_partner(&mut **tx, partner)
                    .await?
                    .filter(|a| a.state() == AppState::Unconfirmed)
                    .ok_or_else(|| AppError::conflict("error.onboarding.not_unconfirmed"))?;
                mail_link(tx, user, &app.company, &app.contact_email, lang, links, now).await?;
                cx.actor
                    .record(tx, "onboarding.resend", Target::Partner(partner), "", now)
                    .await
            })
        })
        .await
}

/// Confirms an email address with a mailed link: once, before it expires. The application
/// that names that address joins the operator's queue. No sign-in needed: the link is the
/// credential.
pub async fn confirm(db: &Db, origin: &Origin, token: &str) -> Result<(), AppError> {
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            let Redeemable {
                user,
                target: email,
            } = links::redeem(&mut *tx, token, Purpose::ConfirmEmail, now).await?;
            let (partner, login) = repo::partner_of_user(&mut *tx, user)
                .await?
                .ok_or(AppError::Internal)?;
            let partner = partner.ok_or(AppError::Internal)?;
            if !repo::confirm(&mut *tx, partner, &email, now).await? {
                // The application changed address since (a newer link went there).
                return Err(AppError::conflict("error.link.used"));
            }
            // The confirmed address is the administrator's own too (for a forgotten password).
            crate::profile::repo::set_email_if_empty(&mut *tx, user, &email).await?;
            let actor = Actor {
                user_id: Some(user),
                name: login,
                origin: origin.clone(),
            };
            actor
                .record(
                    tx,
                    "onboarding.confirm_email",
                    Target::Partner(partner),
                    "",
                    now,
                )
                .await
        })
    })
    .await
}

/// The operator's queue of applications in `state` (default: pending review).
pub async fn queue(
    db: &Db,
    state: AppState,
    search: Option<String>,
    page: PageRequest,
) -> Result<Page<Application>, AppError> {
    let (items, total) = repo::queue(&db.pool, state.code(), search, page).await?;
    Ok(page.answer(items, total))
}

/// Approves a pending application: the partner is onboarded (已完成HCPN入驻) under the
/// application's name and contacts, and told.
pub async fn approve(cx: &Caller, partner: i64) -> Result<(), AppError> {
    require_operator(cx)?;
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                decide(tx, cx, partner, "approved", None, now).await?;
                if !repo::onboard(&mut *tx, partner).await? {
                    return Err(AppError::conflict("error.onboarding.not_pending"));
                }
                crate::messages::service::tell_partner(
                    &mut *tx,
                    partner,
                    "hcpn.approved",
                    [],
                    "/center",
                    now,
                )
                .await?;
                cx.actor
                    .record(tx, "onboarding.approve", Target::Partner(partner), "", now)
                    .await
            })
        })
        .await
}

/// Rejects a pending application with a reason; the partner edits and submits again.
pub async fn reject(cx: &Caller, partner: i64, reason: &Reason) -> Result<(), AppError> {
    require_operator(cx)?;
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                decide(tx, cx, partner, "rejected", Some(reason.as_str()), now).await?;
                crate::messages::service::tell_partner(
                    &mut *tx,
                    partner,
                    "hcpn.rejected",
                    [("reason", reason.as_str())],
                    "/center",
                    now,
                )
                .await?;
                cx.actor
                    .record(
                        tx,
                        "onboarding.reject",
                        Target::Partner(partner),
                        reason.as_str(),
                        now,
                    )
                    .await
            })
        })
        .await
}

fn require_operator(cx: &Caller) -> Result<(), AppError> {
    if cx.user.role == Role::Operator {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The decision itself: only a pending application changes, once.
async fn decide(
    tx: &mut Tx<'_>,
    cx: &Caller,
    partner: i64,
    state: &str,
    reason: Option<&str>,
    now: i64,
) -> Result<(), AppError> {
    if repo::decide(&mut *tx, partner, state, reason, Some(cx.user.id), now).await? {
        Ok(())
    } else {
        Err(AppError::conflict("error.onboarding.not_pending"))
    }
}

/// An application already confirmed and waiting for review, written for a partner by the
/// command line (`seed-demo`'s newcomer).
pub async fn record_pending(
    db: &Db,
    actor: &Actor,
    partner: i64,
    e: &Enterprise,
) -> Result<(), AppError> {
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            let email = Some(e.contact_email.as_str());
            repo::upsert(&mut *tx, partner, e, AppState::Pending.code(), email, now).await?;
            repo::set_partner_kind(&mut *tx, partner, e).await?;
            actor
                .record(
                    tx,
                    "onboarding.submit",
                    Target::Partner(partner),
                    "pending",
                    now,
                )
                .await
        })
    })
    .await
}
