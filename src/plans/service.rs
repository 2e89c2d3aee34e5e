//! Plan applications, their review, and certificates: each write in one transaction with its
//! audit entry.

use super::model::{
    ApplicationForm, ApplicationState, ApplicationView, Certificate, CertificateNumber,
    CertificateState, Plan, PlanCard, Reason, ReviewItem, Standing, VALIDITY_DAYS,
};
use super::repo::{self, CertificateRow, NewCertificate};
use crate::accounts::audit::{Caller, Target};
use crate::domain::{HcpnState, Page, PageRequest, PartnerKind};
use crate::error::AppError;
use crate::server::db::{Db, Tx, is_unique_violation, now_ms};
use sqlx::AnyConnection;

const DAY_MS: i64 = 86_400_000;

fn certificate(row: CertificateRow, now: i64) -> Certificate {
    let c = row.cert;
    let state = CertificateState::at(now, c.expires_at, c.revoked_at.is_some());
    Certificate { state, ..c }
}

fn view(row: ReviewItem) -> ApplicationView {
    ApplicationView {
        id: row.id,
        plan: row.plan,
        state: row.state,
        reason: row.reason,
        submitted_at: row.submitted_at,
        decided_at: row.decided_at,
    }
}

/// The catalogue as one partner sees it: for each plan whether it may apply, waits, was
/// rejected (and why) or has joined.
pub async fn catalogue(cx: &Caller) -> Result<Vec<PlanCard>, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?;
    let now = now_ms();
    let apps = repo::applications_of(&db.pool, partner.id).await?;
    let certs: Vec<Certificate> = repo::certificates_of(&db.pool, partner.id, "plan")
        .await?
        .into_iter()
        .map(|r| certificate(r, now))
        .collect();
    Ok(Plan::ALL
        .into_iter()
        .map(|plan| {
            let joined = certs
                .iter()
                .filter(|c| c.subject == plan.code() && c.state == CertificateState::Valid)
                .map(|c| c.expires_at)
                .max();
            // Newest first, so the first one is the latest decision.
            let last = apps.iter().find(|a| a.plan == plan);
            let standing = if let Some(until) = joined {
                Standing::Joined { until }
            } else if last.is_some_and(|a| a.state == ApplicationState::Pending) {
                Standing::Pending
            } else if let Err(key) = plan.eligibility(partner.kind, partner.hcpn) {
                Standing::NotEligible(key.to_string())
            } else if let Some(a) = last.filter(|a| a.state == ApplicationState::Rejected) {
                Standing::Rejected {
                    reason: a.reason.clone().unwrap_or_default(),
                }
            } else {
                Standing::Open
            };
            PlanCard { plan, standing }
        })
        .collect())
}

/// Submits an application. Refused when the partner may not join the plan, already waits for a
/// decision on it, or has joined it.
#[tracing::instrument(skip(cx, form), fields(user = cx.user.id))]
pub async fn apply(cx: &Caller, plan: Plan, form: &ApplicationForm) -> Result<i64, AppError> {
    let partner = cx.user.as_partner()?;
    cx.db
        .write(|tx| {
            Box::pin(async move {
                // Kind and onboarding state are read again inside the transaction, not from the session.
                let (_, kind, hcpn) = repo::partner_profile(&mut **tx, partner.id)
                    .await?
                    .ok_or(AppError::Forbidden)?;
                let kind = PartnerKind::parse(&kind).ok_or(AppError::Internal)?;
                let hcpn = HcpnState::parse(&hcpn).ok_or(AppError::Internal)?;
                plan.eligibility(kind, hcpn).map_err(AppError::conflict)?;
                let now = now_ms();
                if repo::holds_valid(&mut **tx, partner.id, "plan", plan.code(), now).await? {
                    return Err(AppError::conflict("error.plans.joined"));
                }
                let id =
                    match repo::insert_application(&mut *tx, partner.id, plan.code(), form, now)
                        .await
                    {
                        Ok(id) => id,
                        Err(e) if is_unique_violation(&e) => {
                            return Err(AppError::conflict("error.plans.pending"));
                        }
                        Err(e) => return Err(e.into()),
                    };
                cx.actor
                    .record(
                        &mut *tx,
                        "plans.apply",
                        Target::Partner(partner.id),
                        &format!("plan={} application={id}", plan.code()),
                        now,
                    )
                    .await?;
                Ok(id)
            })
        })
        .await
}

pub async fn my_applications(cx: &Caller) -> Result<Vec<ApplicationView>, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?;
    Ok(repo::applications_of(&db.pool, partner.id)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

/// 已加入伙伴计划: the partner's plan certificates, newest first, in every state.
pub async fn joined(cx: &Caller) -> Result<Vec<Certificate>, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?;
    let now = now_ms();
    Ok(repo::certificates_of(&db.pool, partner.id, "plan")
        .await?
        .into_iter()
        .map(|r| certificate(r, now))
        .collect())
}

/// The operator's review list, filtered by state.
/// The operator's plan-application list: a state (or all), partner name contains (a LIKE
/// pattern, or empty), and the order (`submitted`, `partner`; oldest first by default).
#[derive(Debug, Clone, Default)]
pub struct ReviewSearch {
    pub state: Option<ApplicationState>,
    pub like: String,
    pub sort: crate::domain::SortBy,
}

pub async fn review_list(
    db: &Db,
    search: &ReviewSearch,
    page: PageRequest,
) -> Result<Page<ReviewItem>, AppError> {
    let state = search.state.map(ApplicationState::as_str);
    let (items, total) =
        repo::applications_in(&db.pool, state, &search.like, &search.sort, page).await?;
    Ok(page.answer(items, total))
}

/// Issues a certificate, valid from `now` for [`VALIDITY_DAYS`]. Used for joined plans and, with
/// `subject_kind` `path`, for development-path certifications.
pub async fn issue_certificate(
    conn: &mut AnyConnection,
    partner: i64,
    subject_kind: &str,
    subject: &str,
    application: Option<i64>,
    now: i64,
) -> Result<String, AppError> {
    let (name, _, _) = repo::partner_profile(&mut *conn, partner)
        .await?
        .ok_or(AppError::NotFound)?;
    let year = chrono::DateTime::from_timestamp_millis(now + 8 * 3_600_000)
        .map(|t| chrono::Datelike::year(&t))
        .unwrap_or(2026);
    let number = CertificateNumber::generate(year, rand::random());
    let c = NewCertificate {
        number: number.as_str(),
        partner,
        partner_name: &name,
        subject_kind,
        subject,
        application,
        issued_at: now,
        expires_at: now + VALIDITY_DAYS * DAY_MS,
    };
    repo::insert_certificate(conn, &c).await?;
    Ok(number.as_str().to_string())
}

/// Decides a pending application (`approved` or `rejected`) in the write's transaction; an
/// unknown application is not found, one decided already a conflict.
async fn decide(
    tx: &mut Tx<'_>,
    cx: &Caller,
    id: i64,
    state: &str,
    reason: Option<&str>,
    now: i64,
) -> Result<ReviewItem, AppError> {
    let app = repo::application(&mut **tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !repo::decide(&mut *tx, id, state, reason, cx.user.id, now).await? {
        return Err(AppError::conflict("error.plans.already_decided"));
    }
    Ok(app)
}

/// Tells a partner of a decision on its plans, in the decision's transaction.
async fn tell<const N: usize>(
    tx: &mut Tx<'_>,
    partner: i64,
    kind: &str,
    p: [(&str, &str); N],
    now: i64,
) -> Result<(), AppError> {
    let link = match kind {
        "plan.rejected" => "/center/plans/applications",
        _ => "/center/plans/joined",
    };
    crate::messages::service::tell_partner(tx, partner, kind, p, link, now).await
}

/// Approves a pending application: the partner joins the plan and gets its certificate.
#[tracing::instrument(skip(cx), fields(user = cx.user.id))]
pub async fn approve(cx: &Caller, id: i64) -> Result<String, AppError> {
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                let app = decide(tx, cx, id, "approved", None, now).await?;
                if repo::holds_valid(&mut **tx, app.partner_id, "plan", app.plan.code(), now)
                    .await?
                {
                    return Err(AppError::conflict("error.plans.joined"));
                }
                let number = issue_certificate(
                    &mut *tx,
                    app.partner_id,
                    "plan",
                    app.plan.code(),
                    Some(id),
                    now,
                )
                .await?;
                tell(
                    tx,
                    app.partner_id,
                    "plan.approved",
                    [("plan", app.plan.name_key()), ("number", &number)],
                    now,
                )
                .await?;
                cx.actor
                    .record(
                        &mut *tx,
                        "plans.approve",
                        Target::Partner(app.partner_id),
                        &format!(
                            "plan={} application={id} certificate={number}",
                            app.plan.code()
                        ),
                        now,
                    )
                    .await?;
                Ok(number)
            })
        })
        .await
}

/// Rejects a pending application with a reason the partner will see.
#[tracing::instrument(skip(cx, reason), fields(user = cx.user.id))]
pub async fn reject(cx: &Caller, id: i64, reason: &Reason) -> Result<(), AppError> {
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                let app = decide(tx, cx, id, "rejected", Some(reason.as_str()), now).await?;
                tell(
                    tx,
                    app.partner_id,
                    "plan.rejected",
                    [("plan", app.plan.name_key()), ("reason", reason.as_str())],
                    now,
                )
                .await?;
                cx.actor
                    .record(
                        &mut *tx,
                        "plans.reject",
                        Target::Partner(app.partner_id),
                        &format!("plan={} application={id}", app.plan.code()),
                        now,
                    )
                    .await
            })
        })
        .await
}

/// Revokes a certificate (and so the membership it records).
#[tracing::instrument(skip(cx, reason), fields(user = cx.user.id))]
pub async fn revoke(
    cx: &Caller,
    number: &CertificateNumber,
    reason: &Reason,
) -> Result<(), AppError> {
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let cert = repo::certificate(&mut **tx, number.as_str())
                    .await?
                    .ok_or(AppError::NotFound)?;
                let now = now_ms();
                if !repo::revoke(&mut *tx, number.as_str(), reason.as_str(), now).await? {
                    return Err(AppError::conflict("error.cert.already_revoked"));
                }
                let subject = match (
                    cert.cert.subject_kind.as_str(),
                    Plan::parse(&cert.cert.subject),
                ) {
                    ("plan", Some(plan)) => plan.name_key(),
                    _ => cert.cert.subject.as_str(),
                };
                tell(
                    tx,
                    cert.partner_id,
                    "plan.certificate_revoked",
                    [
                        ("plan", subject),
                        ("number", number.as_str()),
                        ("reason", reason.as_str()),
                    ],
                    now,
                )
                .await?;
                cx.actor
                    .record(
                        &mut *tx,
                        "certificates.revoke",
                        Target::Partner(cert.partner_id),
                        &format!("certificate={}", number.as_str()),
                        now,
                    )
                    .await
            })
        })
        .await
}

/// The public view of a certificate, for /verify. `None` when no such number was issued.
pub async fn verify(db: &Db, number: &str) -> Result<Option<Certificate>, AppError> {
    let Some(number) = CertificateNumber::parse(number) else {
        return Ok(None);
    };
    Ok(repo::certificate(&db.pool, number.as_str())
        .await?
        .map(|r| certificate(r, now_ms())))
}

/// A certificate of the signed-in partner. Anyone else's number is "not found", so the answer
/// does not reveal that it exists.
pub async fn own_certificate(cx: &Caller, number: &str) -> Result<Certificate, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?;
    let number = CertificateNumber::parse(number).ok_or(AppError::NotFound)?;
    match repo::certificate(&db.pool, number.as_str()).await? {
        Some(row) if row.partner_id == partner.id => Ok(certificate(row, now_ms())),
        _ => Err(AppError::NotFound),
    }
}

/// Makes a partner a member of a plan without an application (demo data, operator tooling).
pub async fn grant(
    db: &Db,
    partner: i64,
    plan: Plan,
    actor: &crate::accounts::audit::Actor,
) -> Result<String, AppError> {
    db.write(|tx| {
        Box::pin(async move {
            let now = now_ms();
            let number =
                issue_certificate(&mut *tx, partner, "plan", plan.code(), None, now).await?;
            let detail = format!("plan={} certificate={number}", plan.code());
            actor
                .record(tx, "plans.grant", Target::Partner(partner), &detail, now)
                .await?;
            Ok(number)
        })
    })
    .await
}

/// Whether the partner is a member of the plan at `now` (a valid certificate).
pub async fn is_member<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    partner: i64,
    plan: Plan,
    now: i64,
) -> Result<bool, AppError> {
    Ok(repo::holds_valid(ex, partner, "plan", plan.code(), now).await?)
}
