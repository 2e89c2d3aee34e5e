//! Registering POs, sharing and answering HOs, moving stages.

use super::model::{HoState, LostReason, NewOpportunity, Opportunity, Stage, ho_deadlines};
use super::repo::{self, NewRow};
use crate::accounts::audit::{Actor, Caller, Target};
use crate::domain::{Page, PageRequest};
use crate::error::AppError;
use crate::plans::model::Plan;
use crate::server::db::{Db, Tx, now_ms};

async fn require_member(tx: &mut Tx<'_>, partner: i64, now: i64) -> Result<(), AppError> {
    if crate::plans::service::is_member(&mut **tx, partner, Plan::CoExpansion, now).await? {
        Ok(())
    } else {
        Err(AppError::conflict("error.pce.not_member"))
    }
}

async fn log(
    tx: &mut Tx<'_>,
    actor: &Actor,
    action: &str,
    id: i64,
    now: i64,
) -> Result<(), AppError> {
    actor
        .record(tx, action, Target::Opportunity(id), "", now)
        .await
}

/// Registers a PO (shared with Huawei Cloud).
#[tracing::instrument(skip(cx, input), fields(user = cx.user.id))]
pub async fn register_po(cx: &Caller, input: &NewOpportunity) -> Result<i64, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    db.write(|tx| {
        Box::pin(async move {
            let now = now_ms();
            require_member(&mut *tx, partner, now).await?;
            let row = NewRow {
                partner,
                direction: "po",
                customer: &input.customer,
                product: &input.product,
                expected_fen: input.expected.fen(),
                stage: input.stage.as_str(),
                ho_state: None,
                respond_by: None,
                remind_at: None,
                now,
            };
            let id = repo::insert(&mut *tx, &row).await?;
            log(&mut *tx, &cx.actor, "pce.po", id, now).await?;
            Ok(id)
        })
    })
    .await
}

/// Huawei Cloud shares an HO with a partner: an operator in the console, or the command line.
/// `shared_at` defaults to now; the deadline is 3 business days after it.
pub async fn share_ho(
    db: &Db,
    actor: &Actor,
    partner: i64,
    input: &NewOpportunity,
    shared_at: Option<i64>,
) -> Result<i64, AppError> {
    db.write(|tx| {
        Box::pin(async move {
            let now = now_ms();
            require_member(&mut *tx, partner, now).await?;
            let shared = shared_at.unwrap_or(now);
            let calendar = crate::calendar::service::around(&mut *tx, shared).await?;
            let (respond_by, remind_at) = ho_deadlines(shared, &calendar);
            let row = NewRow {
                partner,
                direction: "ho",
                customer: &input.customer,
                product: &input.product,
                expected_fen: input.expected.fen(),
                stage: input.stage.as_str(),
                ho_state: Some("pending"),
                respond_by: Some(respond_by),
                remind_at: Some(remind_at),
                now: shared,
            };
            let id = repo::insert(&mut *tx, &row).await?;
            crate::messages::service::send(
                &mut *tx,
                crate::messages::service::To::Partner(partner),
                "pce.ho_shared",
                &crate::messages::service::params([("customer", input.customer.as_str())]),
                Some("/center/sales/opportunities?tab=ho"),
                now,
            )
            .await?;
            log(&mut *tx, actor, "pce.ho_share", id, now).await?;
            Ok(id)
        })
    })
    .await
}

/// The partner's POs or HOs (`po` / `ho`), newest first. Overdue HOs are taken back first.
pub async fn list(
    cx: &Caller,
    direction: &str,
    page: PageRequest,
) -> Result<Page<Opportunity>, AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    let direction = if direction == "ho" { "ho" } else { "po" };
    if direction == "ho" {
        expire_due(db, &Actor::system(), Some(partner), now_ms()).await?;
    }
    let (rows, total) = repo::list(&db.pool, partner, direction, page).await?;
    Ok(page.answer(rows, total))
}

/// Takes back every HO past its deadline at `now` (one partner's, or all): each counts as
/// rejected from then on, and the partner is told. The scheduler runs it for everyone; a
/// partner's HO list runs it for that partner first, so a late job never shows a lapsed HO as
/// pending.
pub async fn expire_due(
    db: &Db,
    actor: &Actor,
    partner: Option<i64>,
    now: i64,
) -> Result<u64, AppError> {
    sweep(db, actor, Sweep::TakeBack(partner.unwrap_or(0)), now).await
}

/// Reminds partners of HOs one business day before their deadline (once per HO).
pub async fn remind_due(db: &Db, actor: &Actor, now: i64) -> Result<u64, AppError> {
    sweep(db, actor, Sweep::Remind, now).await
}

/// What the scheduler does to pending HOs: take back the overdue ones (of one partner, or all
/// with 0), or remind partners of those due within a business day.
#[derive(Clone, Copy)]
enum Sweep {
    TakeBack(i64),
    Remind,
}

async fn sweep(db: &Db, actor: &Actor, what: Sweep, now: i64) -> Result<u64, AppError> {
    use crate::server::jobs::{BATCH, Batch, drain};
    let (kind, action) = match what {
        Sweep::TakeBack(_) => ("pce.ho_expired", "pce.ho_expire"),
        Sweep::Remind => ("pce.ho_expiring", "pce.ho_remind"),
    };
    drain(db, |tx| {
        Box::pin(async move {
            let due = match what {
                Sweep::TakeBack(partner) => repo::overdue(&mut *tx, partner, now, BATCH).await?,
                Sweep::Remind => repo::reminders_due(&mut *tx, now, BATCH).await?,
            };
            let mut done = 0;
            for ho in &due {
                let changed = match what {
                    Sweep::TakeBack(_) => repo::take_back(&mut *tx, ho.id, now).await?,
                    Sweep::Remind => repo::mark_reminded(&mut *tx, ho.id, now).await?,
                };
                if changed {
                    let deadline = crate::domain::format_time(ho.respond_by);
                    let p = [
                        ("customer", ho.customer_name.as_str()),
                        ("deadline", &deadline),
                    ];
                    let link = "/center/sales/opportunities?tab=ho";
                    crate::messages::service::tell_partner(tx, ho.partner_id, kind, p, link, now)
                        .await?;
                    log(&mut *tx, actor, action, ho.id, now).await?;
                    done += 1;
                }
            }
            Ok(Batch::new(due.len(), done))
        })
    })
    .await
}

/// Accepts an HO, or rejects it with a reason, before its deadline.
#[tracing::instrument(skip(cx, reason), fields(user = cx.user.id))]
pub async fn answer_ho(
    cx: &Caller,
    id: i64,
    accept: bool,
    reason: Option<&crate::plans::model::Reason>,
) -> Result<(), AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    db.write(|tx| {
        Box::pin(async move {
            let row = repo::get(&mut **tx, partner, id)
                .await?
                .filter(|r| r.direction == "ho")
                .ok_or(AppError::NotFound)?;
            let now = now_ms();
            let (state, reason) = if accept {
                ("accepted", None)
            } else {
                let reason =
                    reason.ok_or_else(|| AppError::invalid("error.plans.reason_required"))?;
                ("rejected", Some(reason.as_str()))
            };
            if !repo::answer_ho(&mut *tx, id, partner, state, reason, now).await? {
                let overdue = row.ho_state == Some(HoState::Expired)
                    || (row.ho_state == Some(HoState::Pending)
                        && row.respond_by.is_some_and(|d| d <= now));
                return Err(AppError::conflict(if overdue {
                    "error.pce.ho_expired"
                } else {
                    "error.pce.ho_answered"
                }));
            }
            log(
                &mut *tx,
                &cx.actor,
                if accept {
                    "pce.ho_accept"
                } else {
                    "pce.ho_reject"
                },
                id,
                now,
            )
            .await?;
            Ok(())
        })
    })
    .await
}

/// Moves a PO (or an accepted HO) to another stage; 丢单 needs a reason.
#[tracing::instrument(skip(cx), fields(user = cx.user.id))]
pub async fn set_stage(
    cx: &Caller,
    id: i64,
    stage: Stage,
    lost: Option<LostReason>,
) -> Result<(), AppError> {
    let Caller { db, user, .. } = cx;
    let partner = user.as_partner()?.id;
    if (stage == Stage::Lost) != lost.is_some() {
        return Err(AppError::invalid(if stage == Stage::Lost {
            "error.pce.lost_reason"
        } else {
            "error.pce.lost_reason_only_lost"
        }));
    }
    db.write(|tx| {
        Box::pin(async move {
            repo::get(&mut **tx, partner, id)
                .await?
                .ok_or(AppError::NotFound)?;
            let now = now_ms();
            if !repo::set_stage(
                &mut *tx,
                id,
                partner,
                stage.as_str(),
                lost.map(LostReason::as_str),
                now,
            )
            .await?
            {
                return Err(AppError::conflict("error.pce.closed"));
            }
            log(&mut *tx, &cx.actor, "pce.stage", id, now).await?;
            Ok(())
        })
    })
    .await
}

/// 机会点 (operator): every partner's POs and HOs, filtered (`direction`: po or ho; `state`: an
/// HO state), newest first. Overdue HOs are taken back first, so none shows as pending late.
pub async fn operator_list(
    db: &Db,
    direction: Option<String>,
    state: Option<String>,
    search: Option<String>,
    page: PageRequest,
) -> Result<Page<super::model::OperatorOpportunity>, AppError> {
    let blank = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let direction = match blank(direction).as_deref() {
        None => None,
        Some("po") => Some("po"),
        Some("ho") => Some("ho"),
        Some(_) => return Err(AppError::invalid("error.pce.direction")),
    };
    let state = match blank(state) {
        None => None,
        Some(s) => Some(
            HoState::parse(&s)
                .ok_or_else(|| AppError::invalid("error.pce.ho_state"))?
                .as_str(),
        ),
    };
    let search = blank(search).map(|s| s.chars().take(64).collect());
    expire_due(db, &Actor::system(), None, now_ms()).await?;
    let (items, total) = repo::operator_list(&db.pool, direction, state, search, page).await?;
    Ok(page.answer(items, total))
}
