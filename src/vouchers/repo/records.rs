//! SQL of the operation records and uses.

use super::*;
use crate::query_fn;

pub struct NewRecord<'a> {
    pub partner: i64,
    pub kind: &'a str,
    pub operation: i64,
    pub quota: i64,
    pub parent_quota: Option<i64>,
    pub coupon: Option<i64>,
    pub customer: Option<i64>,
    pub reseller: Option<i64>,
    pub amount_fen: i64,
    pub remark: &'a str,
    pub actor_user_id: Option<i64>,
    pub actor: &'a str,
    pub now: i64,
}

query_fn! {
    pub fn insert_record(conn, r: &NewRecord<'_>) -> done =
        query("INSERT INTO voucher_records (partner_id, kind, operation, quota_id, parent_quota_id, coupon_id, \
            customer_id, reseller_id, amount_fen, remark, actor_user_id, actor, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
        binding (r.partner, r.kind, r.operation, r.quota, r.parent_quota, r.coupon, r.customer, r.reseller, r.amount_fen, r.remark, r.actor_user_id, r.actor, r.now);
}

pub struct RecordFilter<'a> {
    pub partner: i64,
    pub kind: &'a str,
    /// Only these operation codes (an empty list matches none), or all.
    pub operations: Option<&'a [i64]>,
    pub from_ms: i64,
    pub to_ms: i64,
    pub reseller: Option<i64>,
    pub quota: Option<i64>,
    pub parent_quota: Option<i64>,
}

const RECORD_COLUMNS: &str = "r.id, r.kind, r.operation, r.quota_id, r.parent_quota_id, k.number AS coupon_number, \
     c.name AS customer_name, rp.name AS reseller_name, r.reseller_id, r.amount_fen, r.remark, r.actor, r.created_at";
const RECORD_FROM: &str = "FROM voucher_records r LEFT JOIN coupons k ON k.id = r.coupon_id \
     LEFT JOIN customers c ON c.id = r.customer_id LEFT JOIN partners rp ON rp.id = r.reseller_id";

pub async fn list_records(
    pool: &Pool,
    f: &RecordFilter<'_>,
    page: PageRequest,
) -> Result<(Vec<Record>, i64), sqlx::Error> {
    Where::new()
        .and("r.partner_id = ?1 OR r.reseller_id = ?1", f.partner)
        .and("r.kind = ?1", f.kind)
        .and_in("r.operation", f.operations)
        .and("r.created_at >= ?1", f.from_ms)
        .and("r.created_at < ?1", f.to_ms)
        .and_some("r.reseller_id = ?1", f.reseller)
        .and_some("r.quota_id = ?1", f.quota)
        .and_some("r.parent_quota_id = ?1", f.parent_quota)
        .page(pool, RECORD_COLUMNS, RECORD_FROM, "r.id DESC", page)
        .await
}

/// Uses of this partner's coupons or pickup vouchers on orders.
pub async fn list_uses(
    pool: &Pool,
    partner: i64,
    kind: &str,
    page: PageRequest,
) -> Result<(Vec<Use>, i64), sqlx::Error> {
    Where::new()
        .and_args("k.partner_id = ?1 AND k.kind = ?2", vec![partner.into(), kind.into()])
        .page(
            pool,
            "k.number AS coupon_number, c.name AS customer_name, o.number AS order_number, u.amount_fen, u.created_at",
            "FROM coupon_uses u JOIN coupons k ON k.id = u.coupon_id JOIN customers c ON c.id = k.customer_id \
             JOIN orders o ON o.id = u.order_id",
            "u.id DESC",
            page,
        )
        .await
}
