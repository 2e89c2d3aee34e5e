//! Issuing, reclaiming, expiring and spending vouchers: each a set of conditional balance
//! changes and their operation records in one transaction, idempotent per transaction id and
//! retried on conflicts (through the one write path).
//!
//! By subject: [`coupons`] (coupons and pickup vouchers: issue, reclaim, expire, spend),
//! [`quotas`] (a distributor's quotas for its resellers, the operator's grants), [`whitelist`]
//! (the pickup whitelist) and [`reads`] (the lists and records). This file holds what they share.

mod coupons;
mod quotas;
mod reads;
mod whitelist;

pub use coupons::*;
pub use quotas::*;
pub use reads::*;
pub use whitelist::*;

use super::model::{
    self, Coupon, CouponSearch, CouponStatus, CustomerCoupons, IssuePreview, IssueRequest, Kind,
    Limits, Operation, Outcome, OutcomeItem, Quota, QuotaFacts, QuotaSearch, QuotaStatus, Record,
    Use, WhitelistConsole, WhitelistEntry,
};
use super::repo::{self, CouponFilter, CouponRow, NewCoupon, NewQuota, NewRecord, QuotaRow};
use crate::accounts::audit::{Caller, Target};
use crate::accounts::model::SessionUser;
use crate::domain::{Amount, Money, Page, PageRequest, PartnerKind};
use crate::error::AppError;
use crate::funds::service::Actor;
use crate::idempotency::{self, Request, Scope};
use crate::server::db::{Db, Tx, WriteFuture, now_ms};

/// Stored or computed fen as money: a negative value breaks an invariant (balances never go
/// below zero) and is an error, never shown as 0.00.
fn m(fen: i64) -> Result<Money, AppError> {
    Money::from_fen(fen).ok_or_else(|| {
        tracing::error!(fen, "negative voucher amount");
        AppError::Internal
    })
}

fn scope(partner: i64) -> String {
    Scope::Partner(partner).to_string()
}

/// A fresh transaction id for a confirmation form.
pub fn new_trans_id() -> String {
    idempotency::new_key()
}

fn trans_id(raw: Option<&str>) -> Result<String, AppError> {
    idempotency::key_or_new(raw).map_err(AppError::invalid)
}

impl idempotency::Answer for Outcome {
    fn replayed(mut self) -> Self {
        self.replayed = true;
        self
    }
}

fn request<'a>(scope: &'a str, key: &'a str, hash: &'a str) -> Request<'a> {
    Request { scope, key, hash }
}

/// One idempotent voucher operation of a partner's: who acts, and the request (scope,
/// transaction id, hash) that a retry with the same transaction id replays.
struct Op {
    actor: Actor,
    partner: i64,
    scope: String,
    trans: String,
    hash: String,
}

impl Op {
    fn new(cx: &Caller, partner: i64, trans: Option<&str>, hash: String) -> Result<Op, AppError> {
        Ok(Op {
            actor: cx.actor.clone(),
            partner,
            scope: scope(partner),
            trans: trans_id(trans)?,
            hash,
        })
    }

    fn request(&self) -> Request<'_> {
        request(&self.scope, &self.trans, &self.hash)
    }

    /// Runs the operation through the one write path (see [`idempotency::settle`]): the stored
    /// answer of an earlier request with this transaction id (replayed if it was the same
    /// request, refused if the id was used for another), or `work` at this instant, which ends
    /// with [`Op::conclude`].
    async fn run<'a, F>(&'a self, db: &'a Db, work: &'a F) -> Result<Outcome, AppError>
    where
        F: for<'t> Fn(&'t mut Tx<'a>, i64) -> WriteFuture<'t, Outcome> + Sync,
    {
        idempotency::settle(db, self.request(), |tx| {
            Box::pin(async move {
                match idempotency::replay(tx, self.request()).await? {
                    Some(prev) => Ok(prev),
                    None => work(tx, now_ms()).await,
                }
            })
        })
        .await
    }

    /// The end of the operation, in its transaction: its audit entry, then its answer, kept for
    /// retries.
    async fn conclude(
        &self,
        tx: &mut Tx<'_>,
        action: &str,
        detail: &str,
        outcome: Outcome,
        now: i64,
    ) -> Result<Outcome, AppError> {
        let detail = format!("{detail} total={} trans_id={}", outcome.total, self.trans);
        let target = Target::Partner(self.partner);
        self.actor.record(tx, action, target, &detail, now).await?;
        idempotency::remember(tx, self.request(), &outcome, now).await?;
        Ok(outcome)
    }
}

/// What an operation did: its items, their total and (for an issue) the quota's balance after.
fn outcome(items: Vec<OutcomeItem>, total: i64, after: Option<i64>) -> Result<Outcome, AppError> {
    Ok(Outcome {
        items,
        total: m(total)?,
        quota_balance_after: after.map(m).transpose()?,
        replayed: false,
    })
}

fn coupon_number(kind: Kind) -> String {
    let prefix = match kind {
        Kind::Coupon => "CP",
        Kind::Pickup => "PV",
    };
    format!("{prefix}{:016X}", rand::random::<u64>())
}

fn facts(q: &QuotaRow) -> Result<QuotaFacts, AppError> {
    Ok(QuotaFacts {
        kind: Kind::parse(&q.kind).ok_or(AppError::Internal)?,
        status: QuotaStatus::from_code(q.status).ok_or(AppError::Internal)?,
        balance_fen: q.balance_fen,
        max_face_fen: q.max_face_fen,
        effective_at: q.effective_at,
        expires_at: q.expires_at,
        service_types: Limits::stored(&q.service_types),
        products: Limits::stored(&q.products),
    })
}

fn quota_view(q: QuotaRow, now: i64) -> Option<Quota> {
    let status = QuotaStatus::from_code(q.status)?.at(q.expires_at, now);
    Some(Quota {
        id: q.id,
        kind: Kind::parse(&q.kind)?,
        quota_type: q.quota_type,
        status,
        value: m(q.value_fen).ok()?,
        balance: m(q.balance_fen).ok()?,
        used: m(q.value_fen - q.balance_fen).ok()?,
        max_face: q.max_face_fen.map(m).transpose().ok()?,
        service_types: Limits::stored(&q.service_types).items().to_vec(),
        products: Limits::stored(&q.products).items().to_vec(),
        effective_at: q.effective_at,
        expires_at: q.expires_at,
        created_at: q.created_at,
        updated_at: q.updated_at,
        parent_id: q.parent_id,
        reseller_id: q.parent_id.map(|_| q.partner_id),
        reseller_name: q.reseller_name,
    })
}

fn coupon_view(c: CouponRow, now: i64) -> Option<Coupon> {
    Some(Coupon {
        id: c.id,
        number: c.number,
        kind: Kind::parse(&c.kind)?,
        quota_id: c.quota_id,
        partner_name: c.partner_name,
        customer_id: c.customer_id,
        customer_name: c.customer_name,
        face: m(c.face_fen).ok()?,
        balance: m(c.balance_fen).ok()?,
        min_order: m(c.min_order_fen).ok()?,
        service_types: Limits::stored(&c.service_types).items().to_vec(),
        products: Limits::stored(&c.products).items().to_vec(),
        effective_at: c.effective_at,
        expires_at: c.expires_at,
        status: CouponStatus::from_code(c.status)?.at(c.expires_at, now),
        remark: c.remark,
        created_at: c.created_at,
    })
}
