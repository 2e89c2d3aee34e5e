//! SQL of coupons and pickup vouchers, and their uses on orders.

use super::*;
use crate::query_fn;

#[derive(FromRow, Clone)]
pub struct CouponRow {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub quota_id: i64,
    pub partner_id: i64,
    pub partner_name: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub face_fen: i64,
    pub balance_fen: i64,
    pub min_order_fen: i64,
    pub service_types: String,
    pub products: String,
    pub effective_at: i64,
    pub expires_at: i64,
    pub status: i64,
    pub remark: String,
    pub created_at: i64,
}

const COUPON_COLUMNS: &str = "k.id, k.number, k.kind, k.quota_id, k.partner_id, p.name AS partner_name, \
     k.customer_id, c.name AS customer_name, k.face_fen, k.balance_fen, k.min_order_fen, k.service_types, \
     k.products, k.effective_at, k.expires_at, k.status, k.remark, k.created_at";
const COUPON_FROM: &str = "FROM coupons k JOIN partners p ON p.id = k.partner_id JOIN customers c ON c.id = k.customer_id";

pub struct NewCoupon<'a> {
    pub number: &'a str,
    pub kind: &'a str,
    pub quota: i64,
    pub partner: i64,
    pub customer: i64,
    pub face_fen: i64,
    pub min_order_fen: i64,
    pub service_types: &'a str,
    pub products: &'a str,
    pub effective_at: i64,
    pub expires_at: i64,
    pub remark: &'a str,
    pub now: i64,
}

/// Whose coupon is looked up: the partner that issued it, or the customer that holds it.
#[derive(Debug, Clone, Copy)]
pub enum Holder {
    Partner(i64),
    Customer(i64),
}

impl Holder {
    fn column(self) -> &'static str {
        match self {
            Holder::Partner(_) => "partner_id",
            Holder::Customer(_) => "customer_id",
        }
    }

    fn id(self) -> i64 {
        match self {
            Holder::Partner(id) | Holder::Customer(id) => id,
        }
    }
}

query_fn! {
    pub fn insert_coupon(conn, c: &NewCoupon<'_>) -> one i64 =
        query_scalar("INSERT INTO coupons (number, kind, quota_id, partner_id, customer_id, face_fen, balance_fen, \
            min_order_fen, service_types, products, effective_at, expires_at, status, remark, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, $11, 2, $12, $13, $13) RETURNING id")
        binding (c.number, c.kind, c.quota, c.partner, c.customer, c.face_fen, c.min_order_fen, c.service_types, c.products, c.effective_at, c.expires_at, c.remark, c.now);

    /// A coupon this partner issued, or this customer holds.
    pub fn coupon_of(holder: Holder, id: i64) -> optional CouponRow =
        query_as(&format!(
            "SELECT {COUPON_COLUMNS} {COUPON_FROM} WHERE k.id = $2 AND k.{} = $1", holder.column()
        ))
        binding (holder.id(), id);

    /// Usable coupons and pickup vouchers a partner gave a customer.
    pub fn usable_of_customer(partner: i64, customer: i64) -> all CouponRow =
        query_as(&format!(
            "SELECT {COUPON_COLUMNS} {COUPON_FROM} WHERE k.partner_id = $1 AND k.customer_id = $2 AND k.status = 2 ORDER BY k.id"
        ));

    /// Usable coupons expiring by `until` whose holder has not been told: (id, number, customer,
    /// balance, expiry).
    pub fn expiring_coupons(conn, now: i64, until: i64, limit: i64) -> all (i64, String, i64, i64, i64) =
        query_as("SELECT id, number, customer_id, balance_fen, expires_at FROM coupons \
             WHERE status = 2 AND expires_at > $1 AND expires_at <= $2 AND expiry_noticed_at IS NULL \
             ORDER BY expires_at, id LIMIT $3");

    pub fn mark_expiry_noticed(conn, id: i64, now: i64) -> changed =
        query("UPDATE coupons SET expiry_noticed_at = $2 WHERE id = $1 AND expiry_noticed_at IS NULL");

    /// Usable coupons whose expiry has come, oldest first.
    pub fn due_coupons(now: i64, limit: i64) -> all CouponRow =
        query_as(&format!(
            "SELECT {COUPON_COLUMNS} {COUPON_FROM} WHERE k.status = 2 AND k.expires_at <= $1 ORDER BY k.expires_at, k.id LIMIT $2"
        ));

    /// Empties a usable coupon still holding `balance` and gives it `status` (4 or 5); `false` when
    /// it changed meanwhile.
    pub fn empty_coupon(conn, id: i64, balance: i64, status: i64, now: i64) -> changed =
        query("UPDATE coupons SET balance_fen = 0, status = $3, updated_at = $4 \
         WHERE id = $1 AND status = 2 AND balance_fen = $2");
}

/// Spends `fen` of a usable, valid coupon on an order; it becomes 已使用 when nothing is left.
/// `false` when it is no longer usable (spent, reclaimed or expired meanwhile).
pub async fn spend(
    conn: &mut AnyConnection,
    coupon: i64,
    order: i64,
    fen: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE coupons SET balance_fen = balance_fen - $1, \
            status = CASE WHEN balance_fen = $1 THEN 3 ELSE 2 END, updated_at = $2 \
         WHERE id = $3 AND status = 2 AND balance_fen >= $1 AND effective_at <= $2 AND expires_at > $2",
    )
    .bind(fen)
    .bind(now)
    .bind(coupon)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("INSERT INTO coupon_uses (coupon_id, order_id, amount_fen, created_at) VALUES ($1, $2, $3, $4)")
        .bind(coupon)
        .bind(order)
        .bind(fen)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(true)
}

/// The coupon an order used and how much.
#[derive(FromRow)]
pub struct OrderUse {
    pub coupon_id: i64,
    pub quota_id: i64,
    pub partner_id: i64,
    pub customer_id: i64,
    pub kind: String,
    pub amount_fen: i64,
}

query_fn! {
    pub fn use_of_order(order: i64) -> optional OrderUse =
        query_as("SELECT u.coupon_id, k.quota_id, k.partner_id, k.customer_id, k.kind, u.amount_fen \
             FROM coupon_uses u JOIN coupons k ON k.id = u.coupon_id WHERE u.order_id = $1");
}

/// Filters of coupon lists: whose (the partner that issued, the customer that holds), which
/// kind, and the caller's search.
pub struct CouponFilter<'a> {
    pub partner: Option<i64>,
    pub customer: Option<i64>,
    pub kind: Option<&'static str>,
    pub search: &'a CouponSearch,
    /// Usable coupons past their expiry count as 已过期 from this instant.
    pub now: i64,
}

pub async fn list_coupons(
    pool: &Pool,
    f: &CouponFilter<'_>,
    page: PageRequest,
) -> Result<(Vec<CouponRow>, i64), sqlx::Error> {
    use crate::vouchers::model::CouponStatus;
    let s = f.search;
    let w = Where::new()
        .and_some("k.partner_id = ?1", f.partner)
        .and_some("k.customer_id = ?1", f.customer)
        .and_some("k.kind = ?1", f.kind)
        .and_some("k.id = ?1", s.id)
        .and_some("k.customer_id = ?1", s.customer)
        .and_between("k.created_at", s.created.0, s.created.1)
        .and_between("k.effective_at", s.effective.0, s.effective.1)
        .and_between("k.expires_at", s.expires.0, s.expires.1)
        .and_some("k.quota_id = ?1", s.quota)
        .and_some(
            "(LOWER(k.number) LIKE ?1 ESCAPE '\\' OR LOWER(c.name) LIKE ?1 ESCAPE '\\')",
            Some(s.text.as_str()).filter(|t| !t.is_empty()),
        );
    // 可使用 excludes what has expired; 已过期 includes usable ones past expiry.
    let w = match s.status {
        None => w,
        Some(CouponStatus::Usable) => w.and("k.status = 2 AND k.expires_at > ?1", f.now),
        Some(CouponStatus::Expired) => w.and(
            "k.status = 4 OR (k.status = 2 AND k.expires_at <= ?1)",
            f.now,
        ),
        Some(other) => w.and("k.status = ?1", other.code()),
    };
    let order = s.sort.order(
        &[
            ("expires", "k.expires_at"),
            ("face", "k.face_fen"),
            ("balance", "k.balance_fen"),
            ("created", "k.created_at"),
        ],
        "k.id DESC",
    );
    w.page(pool, COUPON_COLUMNS, COUPON_FROM, &order, page)
        .await
}
