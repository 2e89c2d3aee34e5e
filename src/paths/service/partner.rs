//! What a partner does on its paths: explore and select, its checklists, evidence, applications and reviews.

use super::*;
use crate::accounts::audit::Caller;
use crate::accounts::audit::Target;

/// One joined path with its stages' checklists, certifications, applications and reviews.
pub(super) async fn joined_path(
    db: &Db,
    partner: i64,
    path: PathKind,
    joined_at: i64,
    open: &[ReviewWindow],
    now: i64,
) -> Result<JoinedPath, AppError> {
    let facts = repo::facts(&db.pool, partner, path.code(), now - CASE_WINDOW_MS).await?;
    let certs = repo::certifications(&db.pool, partner, path.code()).await?;
    let apps: Vec<Application> = repo::applications(&db.pool, partner, path.code()).await?;
    let mut stages = Vec::new();
    for stage in Stage::ALL {
        let requirements = model::requirements(path, stage, &facts);
        let certification = certs
            .iter()
            .find(|c| c.stage == stage.code())
            .map(|c| Certification {
                active: c.state == "active" && c.valid_until > now,
                expired: c.state == "expired" || (c.state == "active" && c.valid_until <= now),
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
            .any(|c| c.stage == Stage::Role.code() && c.state == "active" && c.valid_until > now);
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

pub(super) async fn open_windows(db: &Db, now: i64) -> Result<Vec<ReviewWindow>, AppError> {
    Ok(repo::open_windows(&db.pool, now)
        .await?
        .into_iter()
        .map(|w| window(w, now))
        .collect())
}

/// The home page's path module: the paths the partner is on, with stage and progress.
pub async fn joined(cx: &Caller) -> Result<Vec<JoinedPath>, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
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
pub async fn detail(cx: &Caller, path: PathKind) -> Result<PathDetail, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    let now = now_ms();
    let joined_at = repo::memberships(&db.pool, partner)
        .await?
        .into_iter()
        .find(|(p, _)| p == path.code())
        .map(|(_, at)| at)
        .ok_or(AppError::NotFound)?;
    let open = open_windows(db, now).await?;
    let joined = joined_path(db, partner, path, joined_at, &open, now).await?;
    let evidence = repo::evidence(&db.pool, partner, path.code()).await?;
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
pub async fn record_evidence(cx: &Caller, input: &NewEvidenceInput) -> Result<i64, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
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
            cx.actor
                .record(
                    tx,
                    "paths.evidence",
                    Target::Evidence(id),
                    input.kind.code(),
                    now,
                )
                .await?;
            Ok(id)
        })
    })
    .await
}

pub(super) async fn on_path(db: &Db, partner: i64, path: PathKind) -> Result<(), AppError> {
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
pub async fn apply(cx: &Caller, path: PathKind, stage: Stage) -> Result<i64, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
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
    file(cx, partner, path, stage, None, now).await
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn file(
    cx: &Caller,
    partner: i64,
    path: PathKind,
    stage: Stage,
    review_year: Option<i64>,
    now: i64,
) -> Result<i64, AppError> {
    let Caller { db, .. } = cx;
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
            cx.actor
                .record(tx, action, Target::PathApplication(id), &detail, now)
                .await?;
            Ok(id)
        })
    })
    .await
}

/// `提交复核申请`: only inside an open window covering the stage, for a stage the partner holds,
/// once per window year.
pub async fn submit_review(cx: &Caller, path: PathKind, stage: Stage) -> Result<i64, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
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
    file(cx, partner, path, stage, Some(window.year), now).await
}
