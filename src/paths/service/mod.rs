//! Development paths: joining, requirements computed from the partner's data, evidence and
//! applications decided by operators, annual reviews inside their windows, and the distributor
//! path's invitations.
//!
//! By subject: [`partner`] (a partner on its paths), [`operator`] (decisions and review
//! windows) and [`invitations`] (the distributor path's links). This file holds what they share.

mod invitations;
mod jobs;
mod operator;
mod partner;

pub use invitations::*;
pub use jobs::*;
pub use operator::*;
pub use partner::*;

use super::model::{
    self, Application, Certification, Decision, Evidence, EvidenceKind, ExploreItem, JoinedPath,
    PathDetail, PathKind, ReviewOpen, ReviewWindow, Stage, StageView,
};
pub use super::repo::Decided;
use super::repo::{self, NewApplication, NewEvidence, WindowRow};
use crate::accounts::audit::Caller;
use crate::accounts::audit::Target;
use crate::domain::HcpnState;
use crate::error::AppError;
use crate::messages::service::{To, params, send};
use crate::server::db::{Db, Tx, is_unique_violation, now_ms};
use crate::server::security::token_hash;

/// How long a certification (or a passed review) is valid.
pub const VALIDITY_MS: i64 = 365 * model::DAY_MS;
/// How far back a case counts.
pub const CASE_WINDOW_MS: i64 = 365 * model::DAY_MS;
/// How long a distributor-path invitation link works.
pub const INVITATION_MS: i64 = 7 * model::DAY_MS;

/// The explore page: every path, whether the partner is on it, and why it may not select it.
pub async fn explore(cx: &Caller) -> Result<Vec<ExploreItem>, AppError> {
    let Caller { db, user, .. } = cx;
    let (partner, hcpn) = user.as_partner().map(|p| (p.id, p.hcpn))?;
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
pub async fn select(cx: &Caller, path: PathKind) -> Result<bool, AppError> {
    let Caller { user, .. } = cx;
    let (partner, hcpn) = user.as_partner().map(|p| (p.id, p.hcpn))?;
    if hcpn != HcpnState::Onboarded {
        return Err(AppError::conflict("error.paths.hcpn_required"));
    }
    if path.by_invitation() {
        return Err(AppError::conflict("error.paths.invitation_only"));
    }
    join(cx, partner, path, "paths.select").await
}

async fn join(cx: &Caller, partner: i64, path: PathKind, action: &str) -> Result<bool, AppError> {
    let Caller { db, .. } = cx;
    let now = now_ms();
    db.write(|tx| {
        Box::pin(async move {
            let new = repo::insert_membership(&mut **tx, partner, path.code(), now).await?;
            if new {
                let target = Target::Partner(partner);
                cx.actor
                    .record(tx, action, target, path.code(), now)
                    .await?;
            }
            Ok(new)
        })
    })
    .await
}

fn window(r: WindowRow, now: i64) -> ReviewWindow {
    ReviewWindow {
        id: r.id,
        year: r.year,
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        covers: model::parse_covers(&r.covers).unwrap_or_default(),
        open: model::window_open(r.starts_at, r.ends_at, now),
        upcoming: r.starts_at > now,
    }
}
