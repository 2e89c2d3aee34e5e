//! Development paths: joining, requirements computed from the partner's data, evidence and
//! applications decided by operators, annual reviews inside their windows, and the distributor
//! path's invitations.

use super::model::{
    self, Application, Certification, Decision, Evidence, EvidenceKind, ExploreItem, JoinedPath,
    PathDetail, PathKind, ReviewOpen, ReviewWindow, Stage, StageView,
};
use super::repo::{self, Decided, NewApplication, NewEvidence, WindowRow};
use crate::accounts::audit::{AuditEntry, audit};
use crate::accounts::model::SessionUser;
use crate::domain::{HcpnState, Role};
use crate::error::AppError;
use crate::messages::service::{params, send_to_partner};
use crate::server::db::{Db, is_unique_violation, now_ms};
use crate::server::security::token_hash;

/// How long a certification (or a passed review) is valid.
pub const VALIDITY_MS: i64 = 365 * model::DAY_MS;
/// How far back a case counts.
pub const CASE_WINDOW_MS: i64 = 365 * model::DAY_MS;
/// How long a distributor-path invitation link works.
pub const INVITATION_MS: i64 = 7 * model::DAY_MS;

fn partner_of(user: &SessionUser) -> Result<(i64, HcpnState), AppError> {
    match (&user.role, &user.partner) {
        (Role::Partner, Some(p)) => Ok((p.id, p.hcpn)),
        _ => Err(AppError::Forbidden),
    }
}

async fn log(
    ex: &mut crate::server::db::Tx<'_>,
    who: &Actor,
    action: &str,
    target: &str,
    detail: &str,
    now: i64,
) -> Result<(), AppError> {
    let entry = AuditEntry {
        actor: who,
        action,
        target,
        detail,
    };
    audit(&mut **ex, entry, now).await?;
    Ok(())
}

/// The explore page: every path, whether the partner is on it, and why it may not select it.
pub async fn explore(db: &Db, user: &SessionUser) -> Result<Vec<ExploreItem>, AppError> {
    let (partner, hcpn) = partner_of(user)?;
    let joined: Vec<String> = repo::memberships(&db.pool, partner)
        .await?
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    Ok(PathKind::ALL
        .into_iter()
        .map(|path| {
            let on = joined.iter().any(|j| j == path.code());
            let blocked = if on {
                Some("path.blocked.joined")
            } else if hcpn != HcpnState::Onboarded {
                Some("error.paths.hcpn_required")
            } else if path.by_invitation() {
                Some("error.paths.invitation_only")
            } else {
                None
            };
            ExploreItem {
                path,
                joined: on,
                blocked: blocked.map(str::to_string),
            }
        })
        .collect())
}

/// `选择该路径`. Returns `false` when the partner was on the path already (nothing changes).
pub async fn select(
    db: &Db,
    user: &SessionUser,
    origin: &Origin,
    path: PathKind,
) -> Result<bool, AppError> {
    let (partner, hcpn) = partner_of(user)?;
    if hcpn != HcpnState::Onboarded {
        return Err(AppError::conflict("error.paths.hcpn_required"));
    }
    if path.by_invitation() {
        return Err(AppError::conflict("error.paths.invitation_only"));
    }
    join(db, user, origin, partner, path, "paths.select").await
}

async fn join(
    db: &Db,
    user: &SessionUser,
    origin: &Origin,
    partner: i64,
    path: PathKind,
    action: &str,
) -> Result<bool, AppError> {
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            let new = repo::insert_membership(&mut **tx, partner, path.code(), now).await?;
            if new {
                let target = format!("partner:{partner}");
                log(
                    &mut *tx,
                    &Actor::user(user, origin),
                    action,
                    &target,
                    path.code(),
                    now,
                )
                .await?;
            }
            Ok(new)
        })
    })
    .await
}

fn application(r: repo::ApplicationRow) -> Option<Application> {
    Some(Application {
        id: r.id,
        partner_id: r.partner_id,
        partner_name: r.partner_name,
        path: PathKind::parse(&r.path)?,
        stage: Stage::parse(&r.stage)?,
        review_year: r.review_year,
        state: Decision::parse(&r.state)?,
        reason: r.reason,
        created_at: r.created_at,
        decided_at: r.decided_at,
    })
}

fn evidence(r: repo::EvidenceRow) -> Option<Evidence> {
    Some(Evidence {
        id: r.id,
        partner_id: r.partner_id,
        partner_name: r.partner_name,
        path: PathKind::parse(&r.path)?,
        kind: EvidenceKind::parse(&r.kind)?,
        title: r.title,
        holder: r.holder,
        occurred_at: r.occurred_at,
        state: Decision::parse(&r.state)?,
        reason: r.reason,
        created_at: r.created_at,
    })
}

fn window(r: WindowRow, now: i64) -> ReviewWindow {
    ReviewWindow {
        id: r.id,
        year: r.year,
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        covers: model::parse_covers(&r.covers).unwrap_or_default(),
        open: model::window_open(r.starts_at, r.ends_at, now),
    }
}

/// One joined path with its stages' checklists, certifications, applications and reviews.
async fn joined_path(
    db: &Db,
    partner: i64,
    path: PathKind,
    joined_at: i64,
    open: &[ReviewWindow],
    now: i64,
) -> Result<JoinedPath, AppError> {
    let facts = repo::facts(&db.pool, partner, path.code(), now - CASE_WINDOW_MS).await?;
    let certs = repo::certifications(&db.pool, partner, path.code()).await?;
    let apps: Vec<Application> = repo::applications(&db.pool, partner, path.code())
        .await?
        .into_iter()
        .filter_map(application)
        .collect();
    let mut stages = Vec::new();
    for stage in Stage::ALL {
        let requirements = model::requirements(path, stage, &facts);
        let certification = certs
            .iter()
            .find(|c| c.stage == stage.code())
            .map(|c| Certification {
                active: c.state == "active",
                certified_at: c.certified_at,
                valid_until: c.valid_until,
                revoked_reason: c.revoked_reason.clone(),
            });
        let latest = apps
            .iter()
            .find(|a| a.stage == stage && a.review_year.is_none())
            .cloned();
        let active = certification.as_ref().is_some_and(|c| c.active);
        let role_active = certs
            .iter()
            .any(|c| c.stage == Stage::Role.code() && c.state == "active");
        let blocked = if active {
            Some("path.blocked.certified")
        } else if latest
            .as_ref()
            .is_some_and(|a| a.state == Decision::Pending)
        {
            Some("path.blocked.pending")
        } else if stage == Stage::Differentiation && !role_active {
            Some("path.blocked.role_first")
        } else if !model::all_met(&requirements) {
            Some("path.blocked.requirements")
        } else {
            None
        };
        let review = if active {
            match open.iter().find(|w| w.covers.contains(&(path, stage))) {
                Some(w) => Some(ReviewOpen {
                    window_id: w.id,
                    year: w.year,
                    ends_at: w.ends_at,
                    days_left: model::days_left(w.ends_at, now),
                    submitted: repo::review_state(
                        &db.pool,
                        partner,
                        path.code(),
                        stage.code(),
                        w.year,
                    )
                    .await?
                    .and_then(|s| Decision::parse(&s)),
                }),
                None => None,
            }
        } else {
            None
        };
        stages.push(StageView {
            stage,
            requirements,
            certification,
            latest,
            blocked: blocked.map(str::to_string),
            review,
        });
    }
    Ok(JoinedPath {
        path,
        joined_at,
        stages,
    })
}

async fn open_windows(db: &Db, now: i64) -> Result<Vec<ReviewWindow>, AppError> {
    Ok(repo::open_windows(&db.pool, now)
        .await?
        .into_iter()
        .map(|w| window(w, now))
        .collect())
}

/// The home page's path module: the paths the partner is on, with stage and progress.
pub async fn joined(db: &Db, user: &SessionUser) -> Result<Vec<JoinedPath>, AppError> {
    let (partner, _) = partner_of(user)?;
    let now = now_ms();
    let open = open_windows(db, now).await?;
    let mut out = Vec::new();
    for (code, joined_at) in repo::memberships(&db.pool, partner).await? {
        if let Some(path) = PathKind::parse(&code) {
            out.push(joined_path(db, partner, path, joined_at, &open, now).await?);
        }
    }
    Ok(out)
}

/// A joined path's detail page.
pub async fn detail(db: &Db, user: &SessionUser, path: PathKind) -> Result<PathDetail, AppError> {
    let (partner, _) = partner_of(user)?;
    let now = now_ms();
    let joined_at = repo::memberships(&db.pool, partner)
        .await?
        .into_iter()
        .find(|(p, _)| p == path.code())
        .map(|(_, at)| at)
        .ok_or(AppError::NotFound)?;
    let open = open_windows(db, now).await?;
    let joined = joined_path(db, partner, path, joined_at, &open, now).await?;
    let evidence = repo::evidence(&db.pool, partner, path.code())
        .await?
        .into_iter()
        .filter_map(evidence)
        .collect();
    Ok(PathDetail {
        joined,
        evidence,
        employees: repo::employees(&db.pool, partner).await?,
        exam: crate::employees::service::exam_candidates(db, partner).await?,
    })
}

/// Evidence as a form sends it, parsed.
pub struct NewEvidenceInput {
    pub path: PathKind,
    pub kind: EvidenceKind,
    pub title: String,
    pub holder: Option<i64>,
    pub occurred_at: Option<i64>,
}

/// Records evidence for an operator to approve.
pub async fn record_evidence(
    db: &Db,
    user: &SessionUser,
    origin: &Origin,
    input: &NewEvidenceInput,
) -> Result<i64, AppError> {
    let (partner, _) = partner_of(user)?;
    let now = now_ms();
    if !input.path.evidence_kinds().contains(&input.kind) {
        return Err(AppError::invalid("error.paths.evidence_kind"));
    }
    on_path(db, partner, input.path).await?;
    let holder = match (input.kind, input.holder) {
        (EvidenceKind::EmployeeCert, Some(h)) => {
            let ok = repo::employees(&db.pool, partner)
                .await?
                .iter()
                .any(|(id, _, _)| *id == h);
            if !ok {
                return Err(AppError::invalid("error.paths.holder"));
            }
            Some(h)
        }
        (EvidenceKind::EmployeeCert, None) => {
            return Err(AppError::invalid("error.paths.holder"));
        }
        _ => None,
    };
    let occurred_at = match (input.kind, input.occurred_at) {
        (EvidenceKind::Case, Some(at)) if at <= now => Some(at),
        (EvidenceKind::Case, _) => return Err(AppError::invalid("error.paths.case_date")),
        _ => None,
    };
    db.write(|tx| {
        Box::pin(async move {
            let id = repo::insert_evidence(
                &mut **tx,
                &NewEvidence {
                    partner,
                    path: input.path.code(),
                    kind: input.kind.code(),
                    title: &input.title,
                    holder,
                    occurred_at,
                    now,
                },
            )
            .await?;
            log(
                &mut *tx,
                &Actor::user(user, origin),
                "paths.evidence",
                &format!("evidence:{id}"),
                input.kind.code(),
                now,
            )
            .await?;
            Ok(id)
        })
    })
    .await
}

async fn on_path(db: &Db, partner: i64, path: PathKind) -> Result<(), AppError> {
    let on = repo::memberships(&db.pool, partner)
        .await?
        .iter()
        .any(|(p, _)| p == path.code());
    if on {
        Ok(())
    } else {
        Err(AppError::conflict("error.paths.not_joined"))
    }
}

/// `申请角色认证` / `申请能力差异化认证`: allowed when the stage's requirements are met, the role is
/// held before differentiation, nothing is pending and the stage is not held already.
pub async fn apply(
    db: &Db,
    user: &SessionUser,
    origin: &Origin,
    path: PathKind,
    stage: Stage,
) -> Result<i64, AppError> {
    let (partner, _) = partner_of(user)?;
    on_path(db, partner, path).await?;
    let now = now_ms();
    let open = open_windows(db, now).await?;
    let joined = joined_path(db, partner, path, 0, &open, now).await?;
    let view = joined
        .stages
        .iter()
        .find(|s| s.stage == stage)
        .ok_or(AppError::Internal)?;
    if let Some(key) = &view.blocked {
        return Err(AppError::conflict(
            &key.replace("path.blocked.", "error.paths."),
        ));
    }
    file(db, user, origin, partner, path, stage, None, now).await
}

#[allow(clippy::too_many_arguments)]
async fn file(
    db: &Db,
    user: &SessionUser,
    origin: &Origin,
    partner: i64,
    path: PathKind,
    stage: Stage,
    review_year: Option<i64>,
    now: i64,
) -> Result<i64, AppError> {
    db.write(|tx| {
        Box::pin(async move {
            let id = match repo::insert_application(
                &mut **tx,
                &NewApplication {
                    partner,
                    path: path.code(),
                    stage: stage.code(),
                    review_year,
                    now,
                },
            )
            .await
            {
                Ok(id) => id,
                Err(e) if is_unique_violation(&e) => {
                    return Err(AppError::conflict("error.paths.pending"));
                }
                Err(e) => return Err(e.into()),
            };
            let action = if review_year.is_some() {
                "paths.review_submit"
            } else {
                "paths.apply"
            };
            let detail = format!("{}:{}", path.code(), stage.code());
            log(
                &mut *tx,
                &Actor::user(user, origin),
                action,
                &format!("path_application:{id}"),
                &detail,
                now,
            )
            .await?;
            Ok(id)
        })
    })
    .await
}

/// `提交复核申请`: only inside an open window covering the stage, for a stage the partner holds,
/// once per window year.
pub async fn submit_review(
    db: &Db,
    user: &SessionUser,
    origin: &Origin,
    path: PathKind,
    stage: Stage,
) -> Result<i64, AppError> {
    let (partner, _) = partner_of(user)?;
    let now = now_ms();
    let window = open_windows(db, now)
        .await?
        .into_iter()
        .find(|w| w.covers.contains(&(path, stage)))
        .ok_or_else(|| AppError::conflict("error.paths.no_review_window"))?;
    if repo::active_certification(&db.pool, partner, path.code(), stage.code())
        .await?
        .is_none()
    {
        return Err(AppError::conflict("error.paths.not_certified"));
    }
    if repo::review_state(&db.pool, partner, path.code(), stage.code(), window.year)
        .await?
        .is_some_and(|s| s != "rejected")
    {
        return Err(AppError::conflict("error.paths.review_submitted"));
    }
    file(
        db,
        user,
        origin,
        partner,
        path,
        stage,
        Some(window.year),
        now,
    )
    .await
}

/// Who acts, for the audit trail: a partner user, or an operator (console or CLI).
pub use crate::accounts::audit::{Actor, Origin};

pub async fn pending_applications(db: &Db) -> Result<Vec<Application>, AppError> {
    Ok(repo::pending_applications(&db.pool)
        .await?
        .into_iter()
        .filter_map(application)
        .collect())
}

pub async fn pending_evidence(db: &Db) -> Result<Vec<Evidence>, AppError> {
    Ok(repo::pending_evidence(&db.pool)
        .await?
        .into_iter()
        .filter_map(evidence)
        .collect())
}

/// Approves or rejects (with a reason) a pending application. Approving a certification grants
/// the stage for a year; approving a review extends it by a year; rejecting a review revokes it.
pub async fn decide_application(
    db: &Db,
    op: &Actor,
    id: i64,
    approve: bool,
    reason: &str,
) -> Result<(), AppError> {
    let reason = model::parse_reason(reason, approve).map_err(AppError::invalid)?;
    let now = now_ms();
    let reason = &reason;
    db.write(|tx| {
        Box::pin(async move {
            let app = repo::application(&mut **tx, id)
                .await?
                .and_then(application)
                .ok_or(AppError::NotFound)?;
            settle(
                &mut *tx,
                Decided::Application,
                id,
                approve,
                &reason,
                now,
                op,
            )
            .await?;
            let (p, path, stage) = (app.partner_id, app.path.code(), app.stage.code());
            match (app.review_year.is_some(), approve) {
                (false, true) => {
                    repo::certify(&mut **tx, p, path, stage, now, now + VALIDITY_MS).await?
                }
                (false, false) => {}
                (true, true) => {
                    let until = repo::active_certification(&mut **tx, p, path, stage)
                        .await?
                        .unwrap_or(now);
                    repo::extend_certification(
                        &mut **tx,
                        p,
                        path,
                        stage,
                        until.max(now) + VALIDITY_MS,
                    )
                    .await?
                }
                (true, false) => {
                    repo::revoke_certification(&mut **tx, p, path, stage, &reason, now).await?;
                    // A revoked role takes its differentiation with it.
                    if app.stage == Stage::Role {
                        repo::revoke_certification(
                            &mut **tx,
                            p,
                            path,
                            Stage::Differentiation.code(),
                            &reason,
                            now,
                        )
                        .await?;
                    }
                }
            }
            let kind = match (app.review_year.is_some(), approve) {
                (false, true) => "path.application_approved",
                (false, false) => "path.application_rejected",
                (true, true) => "path.review_passed",
                (true, false) => "path.review_failed",
            };
            let item = format!(
                "{} · {}",
                crate::i18n::t(crate::i18n::Lang::Zh, app.path.label_key()),
                crate::i18n::t(crate::i18n::Lang::Zh, app.stage.label_key())
            );
            send_to_partner(
                &mut *tx,
                p,
                kind,
                &params([("item", item.as_str()), ("reason", reason.as_str())]),
                Some(&format!("/center/paths/{path}")),
                now,
            )
            .await?;
            log(
                &mut *tx,
                op,
                if approve {
                    "paths.application_approve"
                } else {
                    "paths.application_reject"
                },
                &format!("path_application:{id}"),
                &reason,
                now,
            )
            .await?;
            Ok(())
        })
    })
    .await
}

/// Records an operator's decision on a pending application or evidence; one decided already is
/// refused.
async fn settle(
    tx: &mut crate::server::db::Tx<'_>,
    table: Decided,
    id: i64,
    approve: bool,
    reason: &str,
    now: i64,
    op: &Actor,
) -> Result<(), AppError> {
    let state = if approve { "approved" } else { "rejected" };
    if repo::decide(&mut **tx, table, id, state, reason, now, &op.name).await? {
        Ok(())
    } else {
        Err(AppError::conflict("error.paths.decided"))
    }
}

pub async fn decide_evidence(
    db: &Db,
    op: &Actor,
    id: i64,
    approve: bool,
    reason: &str,
) -> Result<(), AppError> {
    let reason = model::parse_reason(reason, approve).map_err(AppError::invalid)?;
    let now = now_ms();
    let reason = &reason;
    db.write(|tx| {
        Box::pin(async move {
            let (partner, title) = repo::evidence_owner(&mut **tx, id)
                .await?
                .ok_or(AppError::NotFound)?;
            settle(&mut *tx, Decided::Evidence, id, approve, &reason, now, op).await?;
            send_to_partner(
                &mut *tx,
                partner,
                if approve {
                    "path.evidence_approved"
                } else {
                    "path.evidence_rejected"
                },
                &params([("item", title.as_str()), ("reason", reason.as_str())]),
                None,
                now,
            )
            .await?;
            log(
                &mut *tx,
                op,
                if approve {
                    "paths.evidence_approve"
                } else {
                    "paths.evidence_reject"
                },
                &format!("evidence:{id}"),
                &reason,
                now,
            )
            .await?;
            Ok(())
        })
    })
    .await
}

/// Opens an annual review window from the first day to the last (inclusive, China time).
pub async fn open_window(
    db: &Db,
    op: &Actor,
    year: i64,
    first: chrono::NaiveDate,
    last: chrono::NaiveDate,
    covers: &[(PathKind, Stage)],
) -> Result<ReviewWindow, AppError> {
    if !(2000..=2100).contains(&year) || covers.is_empty() {
        return Err(AppError::invalid("error.paths.window"));
    }
    let (starts_at, ends_at) =
        model::window_span(first, last).ok_or_else(|| AppError::invalid("error.paths.window"))?;
    let now = now_ms();
    let row = WindowRow {
        id: 0,
        year,
        starts_at,
        ends_at,
        covers: model::format_covers(covers),
    };
    let row = &row;
    db.write(|tx| {
        Box::pin(async move {
            let row = WindowRow {
                id: repo::insert_window(&mut **tx, row, now, &op.name).await?,
                ..row.clone()
            };
            log(
                &mut *tx,
                op,
                "paths.window_open",
                &format!("review_window:{}", row.id),
                &row.covers,
                now,
            )
            .await?;
            Ok(window(row, now))
        })
    })
    .await
}

pub async fn windows(db: &Db) -> Result<Vec<ReviewWindow>, AppError> {
    let now = now_ms();
    Ok(repo::windows(&db.pool)
        .await?
        .into_iter()
        .map(|w| window(w, now))
        .collect())
}

fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

/// The path of a distributor-path invitation link.
pub fn invitation_path(token: &str) -> String {
    format!("/paths/invitation/{token}")
}

/// Mails a partner the invitation to the distributor path (through the outbox, in the same
/// transaction). Returns the link, which only the mail carries otherwise.
pub async fn invite_distributor(
    db: &Db,
    op: &Actor,
    partner: i64,
    email: &crate::domain::Email,
    base_url: &str,
) -> Result<String, AppError> {
    let (name, hcpn) = repo::partner(&db.pool, partner)
        .await?
        .ok_or_else(|| AppError::invalid("error.partner.not_found"))?;
    if hcpn != "onboarded" {
        return Err(AppError::conflict("error.paths.hcpn_required"));
    }
    let token = new_token();
    let now = now_ms();
    let link = format!("{base_url}{}", invitation_path(&token));
    let (link, name, token) = (&link, &name, &token);
    db.write(|tx| {
        Box::pin(async move {
            let id = repo::insert_invitation(
                &mut **tx,
                partner,
                email.as_str(),
                &token_hash(&token),
                now + INVITATION_MS,
                now,
            )
            .await?;
            let params = [("name", name.as_str()), ("link", link.as_str())];
            crate::notify::service::email_text(
                &mut *tx,
                email.as_str(),
                "email.invite.distributor",
                &params,
                now,
            )
            .await?;
            log(
                &mut *tx,
                op,
                "paths.invite_distributor",
                &format!("path_invitation:{id}"),
                &format!("partner:{partner}"),
                now,
            )
            .await?;
            Ok(link.clone())
        })
    })
    .await
}

/// What the invitation page shows: the invited partner and why it cannot be used, if so.
pub async fn open_invitation(
    db: &Db,
    user: &SessionUser,
    token: &str,
) -> Result<model::InvitationView, AppError> {
    let (partner, _) = partner_of(user)?;
    let (_, invited, name, state, expires_at) = repo::invitation(&db.pool, &token_hash(token))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(model::InvitationView {
        partner_name: name,
        expires_at,
        refusal: refusal(partner, invited, &state, expires_at, now_ms()).map(str::to_string),
    })
}

fn refusal(
    partner: i64,
    invited: i64,
    state: &str,
    expires_at: i64,
    now: i64,
) -> Option<&'static str> {
    if partner != invited {
        Some("error.paths.invitation_other")
    } else if state == "used" {
        Some("error.paths.invitation_used")
    } else if state != "sent" {
        Some("error.paths.invitation_cancelled")
    } else if now >= expires_at {
        Some("error.paths.invitation_expired")
    } else {
        None
    }
}

/// Applies through an invitation link: the partner joins the distributor path; the link is used.
pub async fn accept_invitation(
    db: &Db,
    user: &SessionUser,
    origin: &Origin,
    token: &str,
) -> Result<(), AppError> {
    let (partner, _) = partner_of(user)?;
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            let (id, invited, _, state, expires_at) =
                repo::invitation(&mut **tx, &token_hash(token))
                    .await?
                    .ok_or(AppError::NotFound)?;
            if let Some(key) = refusal(partner, invited, &state, expires_at, now) {
                return Err(AppError::conflict(key));
            }
            if !repo::use_invitation(&mut **tx, id, now).await? {
                return Err(AppError::conflict("error.paths.invitation_used"));
            }
            repo::insert_membership(&mut **tx, partner, PathKind::Distributor.code(), now).await?;
            log(
                &mut *tx,
                &Actor::user(user, origin),
                "paths.join_distributor",
                &format!("path_invitation:{id}"),
                "",
                now,
            )
            .await?;
            Ok(())
        })
    })
    .await
}
