//! The scheduler's work on paths: certifications end at their validity, and review windows
//! tell partners and withdraw what was not reviewed.

use super::*;
use crate::accounts::audit::Actor;
use crate::server::jobs::{BATCH, Batch, drain};
use model::ReviewNotice;

/// Reasons the product writes itself (stored as message keys, shown in the reader's language).
const EXPIRED: &str = "path.end.expired";
const WITH_ROLE: &str = "path.end.with_role";
const REVIEW_MISSED: &str = "path.end.review_missed";

/// Ends every active certification whose validity is over at `now`: `expired`; a role takes
/// its path's differentiation with it. The partner is told; each end is audited.
pub async fn expire_certifications(db: &Db, actor: &Actor, now: i64) -> Result<u64, AppError> {
    drain(db, |tx| {
        Box::pin(async move {
            let due = repo::due_certifications(&mut *tx, now, BATCH).await?;
            let mut done = 0;
            for c in &due {
                let (Some(path), Some(stage)) = (PathKind::parse(&c.path), Stage::parse(&c.stage))
                else {
                    continue;
                };
                done += end(
                    tx,
                    actor,
                    c.partner_id,
                    (path, stage),
                    "expired",
                    EXPIRED,
                    now,
                )
                .await?;
            }
            Ok(Batch::new(due.len(), done))
        })
    })
    .await
}

/// Ends one active certification (and, for a role, the differentiation that depends on it),
/// tells the partner and audits it. Returns how many ended.
async fn end(
    tx: &mut Tx<'_>,
    actor: &Actor,
    partner: i64,
    (path, stage): (PathKind, Stage),
    state: &str,
    reason: &str,
    now: i64,
) -> Result<u64, AppError> {
    let mut ended = 0;
    let mut stages = vec![(stage, reason)];
    if stage == Stage::Role {
        stages.push((Stage::Differentiation, WITH_ROLE));
    }
    for (stage, why) in stages {
        if !repo::end_certification(
            &mut *tx,
            partner,
            path.code(),
            stage.code(),
            state,
            why,
            now,
        )
        .await?
        {
            continue;
        }
        ended += 1;
        let kind = if state == "expired" {
            "path.certification_expired"
        } else {
            "path.review_missed"
        };
        send(
            &mut *tx,
            To::Partner(partner),
            kind,
            &params([
                ("path", path.label_key()),
                ("stage", stage.label_key()),
                ("reason", why),
            ]),
            Some(&format!("/center/paths/{}", path.code())),
            now,
        )
        .await?;
        let detail = format!("{}:{} {why}", path.code(), stage.code());
        let action = if state == "expired" {
            "paths.certification_expired"
        } else {
            "paths.review_missed"
        };
        actor
            .record(tx, action, Target::Partner(partner), &detail, now)
            .await?;
    }
    Ok(ended)
}

/// Review windows at `now`: each partner holding a covered stage (since before the window
/// opened) that has not submitted its review is told once when the window opens, once 7 days
/// and once 1 day before it closes; after the close the stage is withdrawn (`revoked`, a role
/// with its differentiation) and the partner told why. Windows closed more than a year ago are
/// left alone.
pub async fn review_windows(db: &Db, actor: &Actor, now: i64) -> Result<u64, AppError> {
    let windows = repo::windows_in_play(&db.pool, now, now - VALIDITY_MS).await?;
    let mut total = 0;
    for w in windows {
        let Some(notice) = ReviewNotice::at(w.starts_at, w.ends_at, now) else {
            continue;
        };
        for (path, stage) in model::parse_covers(&w.covers).unwrap_or_default() {
            let w = &w;
            total += drain(db, |tx| {
                Box::pin(async move {
                    let due = repo::review_due(
                        &mut *tx,
                        w.id,
                        path.code(),
                        stage.code(),
                        w.starts_at,
                        w.year,
                        notice.code(),
                        BATCH,
                    )
                    .await?;
                    let mut done = 0;
                    for &partner in &due {
                        done += review_notice(tx, actor, w, partner, (path, stage), notice, now)
                            .await?;
                    }
                    Ok(Batch::new(due.len(), done))
                })
            })
            .await?;
        }
    }
    Ok(total)
}

async fn review_notice(
    tx: &mut Tx<'_>,
    actor: &Actor,
    w: &WindowRow,
    partner: i64,
    (path, stage): (PathKind, Stage),
    notice: ReviewNotice,
    now: i64,
) -> Result<u64, AppError> {
    let (p, s) = (path.code(), stage.code());
    if !repo::record_notice(&mut *tx, w.id, partner, p, s, notice.code(), now).await? {
        return Ok(0);
    }
    if notice == ReviewNotice::Closed {
        return end(
            tx,
            actor,
            partner,
            (path, stage),
            "revoked",
            REVIEW_MISSED,
            now,
        )
        .await;
    }
    let last = crate::domain::format_time(w.ends_at);
    let days = model::days_left(w.ends_at, now).to_string();
    send(
        &mut *tx,
        To::Partner(partner),
        notice.message(),
        &params([
            ("path", path.label_key()),
            ("stage", stage.label_key()),
            ("last", &last[..10]),
            ("days", days.as_str()),
        ]),
        Some(&format!("/center/paths/{p}")),
        now,
    )
    .await?;
    Ok(1)
}
