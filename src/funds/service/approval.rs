//! 资金管理 maker–checker: operator funding above the threshold is a request until a second,
//! different operator approves it; the approval funds the partner in the same transaction as it
//! decides the request, with the request's transaction id in the requester's scope, so approving
//! twice (even at once) moves the money once.

use super::*;
use crate::accounts::audit::Target as AuditTarget;
use crate::domain::Reason;
use crate::funds::FundsError;
use crate::funds::model::{Funding, FundingRequest, RequestState};

fn operator_scope(requester: i64) -> Scope {
    Scope::Operator(OperatorKey::User(requester))
}

/// Operator funding through the console: at or below `threshold` the money moves at once (as
/// `fund_partner`); above it, a request waits for another operator. A retried request (same
/// transaction id) is the same request.
pub async fn fund_or_request(
    cx: &Caller,
    partner: i64,
    amount: Amount,
    trans_id: Option<String>,
    threshold: Amount,
) -> Result<Funding, AppError> {
    if amount.fen() <= threshold.fen() {
        return fund_partner(&cx.db, &cx.actor, partner, amount, trans_id)
            .await
            .map(Funding::Funded);
    }
    let trans_id = match trans_id {
        Some(t) => model::parse_trans_id(&t).map_err(AppError::invalid)?,
        None => new_trans_id(),
    };
    let (by, trans_id) = (cx.user.id, trans_id.as_str());
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                if !partner_exists_in(tx, partner).await? {
                    return Err(AppError::invalid("error.partner.not_found"));
                }
                let id =
                    match repo::insert_request(&mut *tx, partner, amount.fen(), trans_id, by, now)
                        .await?
                    {
                        Some(id) => id,
                        None => {
                            let (id, p, fen) = repo::request_by_trans_id(&mut *tx, by, trans_id)
                                .await?
                                .ok_or(AppError::Internal)?;
                            if (p, fen) != (partner, amount.fen()) {
                                return Err(FundsError::TransIdReused.conflict());
                            }
                            return Ok(Funding::Requested { request: id });
                        }
                    };
                let detail = format!("request:{id} amount:{amount}");
                cx.actor
                    .record(
                        tx,
                        "funds.fund_requested",
                        AuditTarget::Partner(partner),
                        &detail,
                        now,
                    )
                    .await?;
                Ok(Funding::Requested { request: id })
            })
        })
        .await
}

/// The request, checked to be pending.
async fn pending(tx: &mut Tx<'_>, id: i64) -> Result<(i64, Amount, String, i64), AppError> {
    let (partner, fen, trans_id, requester, state) = repo::request(&mut *tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if RequestState::parse(&state) != Some(RequestState::Pending) {
        return Err(AppError::conflict("error.funds.request_decided"));
    }
    let amount = Amount::from_fen(fen).ok_or(AppError::Internal)?;
    Ok((partner, amount, trans_id, requester))
}

/// A second operator approves a request: the partner is funded, once.
pub async fn approve_request(cx: &Caller, id: i64) -> Result<Receipt, AppError> {
    let approver = cx.user.id;
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                let (partner, amount, trans_id, requester) = pending(tx, id).await?;
                if requester == approver {
                    return Err(AppError::conflict("error.funds.own_request"));
                }
                if !repo::decide_request(&mut *tx, id, "approved", approver, None, now).await? {
                    return Err(AppError::conflict("error.funds.request_decided"));
                }
                let receipt = transfer_in(
                    tx,
                    Operation::Fund,
                    Owner::External,
                    Owner::Partner(partner),
                    amount,
                    &operator_scope(requester),
                    &trans_id,
                    &cx.actor,
                )
                .await?;
                let detail = format!("request:{id} trans_id:{trans_id}");
                cx.actor
                    .record(
                        tx,
                        "funds.fund_approved",
                        AuditTarget::Partner(partner),
                        &detail,
                        now,
                    )
                    .await?;
                Ok(receipt)
            })
        })
        .await
}

/// Rejects a request with the reason (its requester may withdraw it the same way).
pub async fn reject_request(cx: &Caller, id: i64, reason: &Reason) -> Result<(), AppError> {
    let by = cx.user.id;
    cx.db
        .write(|tx| {
            Box::pin(async move {
                let now = now_ms();
                let (partner, ..) = pending(tx, id).await?;
                let why = Some(reason.as_str());
                if !repo::decide_request(&mut *tx, id, "rejected", by, why, now).await? {
                    return Err(AppError::conflict("error.funds.request_decided"));
                }
                let detail = format!("request:{id} {}", reason.as_str());
                cx.actor
                    .record(
                        tx,
                        "funds.fund_rejected",
                        AuditTarget::Partner(partner),
                        &detail,
                        now,
                    )
                    .await
            })
        })
        .await
}

/// The requests in `state` (all when `None`), newest first.
pub async fn funding_requests(
    db: &Db,
    state: Option<RequestState>,
    page: PageRequest,
) -> Result<Page<FundingRequest>, AppError> {
    let (items, total) = repo::requests(&db.pool, state.map(RequestState::as_str), page).await?;
    Ok(page.answer(items, total))
}
