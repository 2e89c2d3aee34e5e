//! The operator's side: pending applications and evidence, decisions, review windows.

use super::*;
use crate::accounts::audit::Target;

/// Who acts, for the audit trail: a partner user, or an operator (console or CLI).
pub use crate::accounts::audit::{Actor, Origin};

/// How many pending items a queue page holds.
pub const QUEUE_PAGE: u32 = 50;

/// One page of the pending applications (oldest first) and how many there are, each with its
/// partner's live checklist (the facts read once per partner and path on the page).
pub async fn pending_applications(
    db: &Db,
    page: Option<u32>,
) -> Result<crate::domain::Page<model::QueuedApplication>, AppError> {
    let page = crate::domain::PageRequest::new(page, Some(QUEUE_PAGE));
    let items = repo::pending_applications(&db.pool, page.limit(), page.offset()).await?;
    let since = now_ms() - CASE_WINDOW_MS;
    let mut facts = std::collections::HashMap::new();
    let mut queued = Vec::with_capacity(items.len());
    for a in items {
        let key = (a.partner_id, a.path);
        if let std::collections::hash_map::Entry::Vacant(e) = facts.entry(key) {
            e.insert(repo::facts(&db.pool, a.partner_id, a.path.code(), since).await?);
        }
        let checklist = model::requirements(a.path, a.stage, &facts[&key]);
        queued.push(model::QueuedApplication {
            application: a,
            checklist,
        });
    }
    Ok(page.answer(queued, repo::pending_application_count(&db.pool).await?))
}

/// One page of the pending evidence (oldest first) and how many there is.
pub async fn pending_evidence(
    db: &Db,
    page: Option<u32>,
) -> Result<crate::domain::Page<Evidence>, AppError> {
    let page = crate::domain::PageRequest::new(page, Some(QUEUE_PAGE));
    let items = repo::pending_evidence(&db.pool, page.limit(), page.offset()).await?;
    Ok(page.answer(items, repo::pending_evidence_count(&db.pool).await?))
}

/// Approves or rejects (with a reason) a pending application or evidence. Approving a
/// certification grants the stage for a year; approving a review extends it by a year;
/// rejecting a review revokes it.
pub async fn decide(
    db: &Db,
    op: &Actor,
    what: Decided,
    id: i64,
    approve: bool,
    reason: &str,
) -> Result<(), AppError> {
    let reason = &model::parse_reason(reason, approve).map_err(AppError::invalid)?;
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            let d = Decision(op, id, approve, reason, now);
            match what {
                Decided::Application => application(tx, d).await,
                Decided::Evidence => evidence(tx, d).await,
            }
        })
    })
    .await
}

/// One operator decision: who decides, on which application or evidence, whether to approve,
/// why, and when.
#[derive(Clone, Copy)]
struct Decision<'a>(&'a Actor, i64, bool, &'a str, i64);

async fn application(tx: &mut Tx<'_>, d: Decision<'_>) -> Result<(), AppError> {
    let Decision(op, id, approve, reason, now) = d;
    let app = repo::application(&mut **tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    settle(&mut *tx, Decided::Application, id, approve, reason, now, op).await?;
    let (p, path, stage) = (app.partner_id, app.path.code(), app.stage.code());
    match (app.review_year.is_some(), approve) {
        (false, true) => repo::certify(&mut **tx, p, path, stage, now, now + VALIDITY_MS).await?,
        (false, false) => {}
        (true, true) => {
            let until = repo::active_certification(&mut **tx, p, path, stage)
                .await?
                .unwrap_or(now);
            repo::extend_certification(&mut **tx, p, path, stage, until.max(now) + VALIDITY_MS)
                .await?
        }
        (true, false) => {
            repo::revoke_certification(&mut **tx, p, path, stage, reason, now).await?;
            // A revoked role takes its differentiation with it.
            if app.stage == Stage::Role {
                repo::revoke_certification(
                    &mut **tx,
                    p,
                    path,
                    Stage::Differentiation.code(),
                    reason,
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
    // The path and stage as message keys: each reader sees them in its language.
    let names = [
        ("path", app.path.label_key()),
        ("stage", app.stage.label_key()),
        ("reason", reason),
    ];
    send(
        &mut *tx,
        To::Partner(p),
        kind,
        &params(names),
        Some(&format!("/center/paths/{path}")),
        now,
    )
    .await?;
    op.record(
        tx,
        if approve {
            "paths.application_approve"
        } else {
            "paths.application_reject"
        },
        Target::PathApplication(id),
        reason,
        now,
    )
    .await
}

/// Records an operator's decision on a pending application or evidence; one decided already is
/// refused.
pub(super) async fn settle(
    tx: &mut Tx<'_>,
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

async fn evidence(tx: &mut Tx<'_>, d: Decision<'_>) -> Result<(), AppError> {
    let Decision(op, id, approve, reason, now) = d;
    let (partner, title) = repo::evidence_owner(&mut **tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    settle(&mut *tx, Decided::Evidence, id, approve, reason, now, op).await?;
    send(
        &mut *tx,
        To::Partner(partner),
        if approve {
            "path.evidence_approved"
        } else {
            "path.evidence_rejected"
        },
        &params([("item", title.as_str()), ("reason", reason)]),
        None,
        now,
    )
    .await?;
    op.record(
        tx,
        if approve {
            "paths.evidence_approve"
        } else {
            "paths.evidence_reject"
        },
        Target::Evidence(id),
        reason,
        now,
    )
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
            op.record(
                tx,
                "paths.window_open",
                Target::ReviewWindow(row.id),
                &row.covers,
                now,
            )
            .await?;
            Ok(window(row, now))
        })
    })
    .await
}

/// Changes a window before it opens: its days and what it covers.
pub async fn edit_window(
    db: &Db,
    op: &Actor,
    id: i64,
    first: chrono::NaiveDate,
    last: chrono::NaiveDate,
    covers: &[(PathKind, Stage)],
) -> Result<(), AppError> {
    if covers.is_empty() {
        return Err(AppError::invalid("error.paths.window"));
    }
    let (starts_at, ends_at) =
        model::window_span(first, last).ok_or_else(|| AppError::invalid("error.paths.window"))?;
    let covers = model::format_covers(covers);
    let covers = &covers;
    db.write(|tx| {
        Box::pin(async move {
            let now = now_ms();
            if starts_at <= now {
                return Err(AppError::invalid("error.paths.window_past"));
            }
            if !repo::update_window(&mut *tx, id, starts_at, ends_at, covers, now).await? {
                return Err(AppError::conflict("error.paths.window_started"));
            }
            op.record(
                tx,
                "paths.window_edit",
                Target::ReviewWindow(id),
                covers,
                now,
            )
            .await
        })
    })
    .await
}

/// Closes an open window now: the scheduler's next run treats partners that never submitted
/// as having missed the review.
pub async fn close_window(db: &Db, op: &Actor, id: i64) -> Result<(), AppError> {
    db.write(|tx| {
        Box::pin(async move {
            let now = now_ms();
            if !repo::close_window(&mut *tx, id, now).await? {
                return Err(AppError::conflict("error.paths.window_not_open"));
            }
            op.record(tx, "paths.window_close", Target::ReviewWindow(id), "", now)
                .await
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
