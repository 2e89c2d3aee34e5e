//! Server functions of development paths.

use super::model::{
    Evidence, ExploreItem, InvitationView, JoinedPath, PathDetail, QueuedApplication, ReviewWindow,
};
use crate::domain::Page;
#[cfg(feature = "ssr")]
use crate::domain::{Email, Role};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::ctx;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn path(code: &str) -> Result<super::model::PathKind, AppError> {
    super::model::PathKind::parse(code).ok_or(AppError::NotFound)
}

#[cfg(feature = "ssr")]
fn stage(code: &str) -> Result<super::model::Stage, AppError> {
    super::model::Stage::parse(code).ok_or(AppError::BadRequest)
}

#[server(prefix = "/api", endpoint = "paths/explore")]
pub async fn explore() -> Result<Vec<ExploreItem>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::explore(&cx).await
}

/// `选择该路径`: `true` when the partner joined now, `false` when it was on the path already.
#[server(prefix = "/api", endpoint = "paths/select")]
pub async fn select_path(code: String) -> Result<bool, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::select(&cx, path(&code)?).await
}

#[server(prefix = "/api", endpoint = "paths/joined")]
pub async fn joined_paths() -> Result<Vec<JoinedPath>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::joined(&cx).await
}

#[server(prefix = "/api", endpoint = "paths/detail")]
pub async fn detail_of_path(code: String) -> Result<PathDetail, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::detail(&cx, path(&code)?).await
}

/// Records evidence. `holder`: an employee's user id (certificates); `occurred_on`: a case's
/// delivery date, `YYYY-MM-DD`.
#[server(prefix = "/api", endpoint = "paths/evidence")]
pub async fn record_evidence(
    code: String,
    kind: String,
    title: String,
    #[server(default)] holder: String,
    #[server(default)] occurred_on: String,
) -> Result<i64, AppError> {
    use super::model::{EvidenceKind, parse_title};
    use crate::domain::optional;
    let cx = ctx::acting(&[Role::Partner]).await?;
    let kind = EvidenceKind::parse(&kind).ok_or(AppError::BadRequest)?;
    let holder =
        optional(&holder, |h| h.parse().ok(), "error.paths.holder").map_err(AppError::invalid)?;
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    let occurred_at = optional(&occurred_on, day, "error.paths.case_date")
        .map_err(AppError::invalid)?
        .map(super::model::day_start);
    let input = super::service::NewEvidenceInput {
        path: path(&code)?,
        kind,
        title: parse_title(&title).map_err(AppError::invalid)?,
        holder,
        occurred_at,
    };
    super::service::record_evidence(&cx, &input).await
}

/// `申请角色认证` / `申请能力差异化认证`.
#[server(prefix = "/api", endpoint = "paths/apply")]
pub async fn apply_stage(code: String, stage_code: String) -> Result<i64, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::apply(&cx, path(&code)?, stage(&stage_code)?).await
}

/// `提交复核申请`.
#[server(prefix = "/api", endpoint = "paths/review")]
pub async fn submit_review(code: String, stage_code: String) -> Result<i64, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::submit_review(&cx, path(&code)?, stage(&stage_code)?).await
}

#[server(prefix = "/api", endpoint = "paths/invitation")]
pub async fn open_invitation(token: String) -> Result<InvitationView, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::open_invitation(&cx, &token).await
}

#[server(prefix = "/api", endpoint = "paths/invitation-accept")]
pub async fn accept_invitation(token: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::accept_invitation(&cx, &token).await?;
    ctx::redirect("/center/paths/distributor?joined=1")
}

/// The operator's queue: a page of the pending evidence (`evidence_page`), a page of the pending
/// applications (`application_page`), both oldest first, and the review windows.
#[server(prefix = "/api", endpoint = "paths/op-queue")]
pub async fn operator_queue(
    evidence_page: Option<u32>,
    application_page: Option<u32>,
) -> Result<(Page<Evidence>, Page<QueuedApplication>, Vec<ReviewWindow>), AppError> {
    let (db, _) = ctx::caller(Role::Operator).await?;
    let db = &db;
    Ok((
        super::service::pending_evidence(db, evidence_page).await?,
        super::service::pending_applications(db, application_page).await?,
        super::service::windows(db).await?,
    ))
}

/// Approves or rejects (`decision`) evidence or an application (`what`), with a reason.
#[server(prefix = "/api", endpoint = "paths/op-decide")]
pub async fn operator_decide(
    what: String,
    id: i64,
    decision: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let approve = ctx::choice(&decision, "approve", "reject")?;
    let (db, op) = (&cx.db, &cx.actor);
    let what = match what.as_str() {
        "evidence" => super::service::Decided::Evidence,
        "application" => super::service::Decided::Application,
        _ => return Err(AppError::BadRequest),
    };
    super::service::decide(db, op, what, id, approve, &reason).await
}

/// Opens an annual review window: year, first and last day (`YYYY-MM-DD`), and the
/// path:stage pairs it covers (`service:role,si:differentiation`).
#[server(prefix = "/api", endpoint = "paths/op-window")]
pub async fn open_window(
    year: i64,
    first: String,
    last: String,
    covers: String,
) -> Result<ReviewWindow, AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let date = |s: &str| {
        chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid("error.paths.window"))
    };
    let covers = super::model::parse_covers(&covers).map_err(AppError::invalid)?;
    super::service::open_window(
        &cx.db,
        &cx.actor,
        year,
        date(&first)?,
        date(&last)?,
        &covers,
    )
    .await
}

/// Mails a partner the distributor-path invitation.
#[server(prefix = "/api", endpoint = "paths/op-invite")]
pub async fn invite_distributor(partner_id: i64, email: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let email = Email::parse(&email).map_err(AppError::invalid)?;
    let state = ctx::state()?;
    super::service::invite_distributor(
        &cx.db,
        &cx.actor,
        partner_id,
        &email,
        &state.config.public_url,
    )
    .await?;
    Ok(())
}

/// Changes a review window before it opens: first and last day, and what it covers.
#[server(prefix = "/api", endpoint = "paths/op-window-edit")]
pub async fn edit_window(
    id: i64,
    first: String,
    last: String,
    covers: String,
) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let date = |s: &str| {
        chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid("error.paths.window"))
    };
    let covers = super::model::parse_covers(&covers).map_err(AppError::invalid)?;
    super::service::edit_window(&cx.db, &cx.actor, id, date(&first)?, date(&last)?, &covers).await
}

/// Closes an open review window now.
#[server(prefix = "/api", endpoint = "paths/op-window-close")]
pub async fn close_window(id: i64) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    super::service::close_window(&cx.db, &cx.actor, id).await
}

/// The operator's distributor-path invitations, newest first, with their state.
#[server(prefix = "/api", endpoint = "paths/op-invitations")]
pub async fn operator_invitations(
    page: Option<u32>,
) -> Result<crate::domain::Page<super::model::OperatorInvitation>, AppError> {
    let (db, _) = ctx::caller(Role::Operator).await?;
    super::service::invitations(&db, crate::domain::PageRequest::new(page, None)).await
}

/// Cancels an invitation not used yet (its link stops working).
#[server(prefix = "/api", endpoint = "paths/op-invitation-cancel")]
pub async fn cancel_invitation(id: i64) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    super::service::cancel_invitation(&cx.db, &cx.actor, id).await
}

/// Sends an invitation not used yet again: a new link replaces the old one.
#[server(prefix = "/api", endpoint = "paths/op-invitation-resend")]
pub async fn resend_invitation(id: i64) -> Result<i64, AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let base = ctx::state()?.config.public_url.clone();
    super::service::resend_invitation(&cx.db, &cx.actor, id, &base).await
}
