//! SQL of orders.

use super::model::Order;
use crate::domain::PageRequest;
use crate::query_fn;
use crate::server::db::Pool;
use crate::server::sql::Where;
use sqlx::{Any, Executor, FromRow};

/// A customer's link to its partner, as ordering needs it.
#[derive(FromRow)]
pub struct CustomerLink {
    pub customer_id: i64,
    pub customer_name: String,
    pub mode: String,
    pub partner_id: i64,
    pub partner_name: String,
    pub allow_consulting_pay: i64,
    pub partner_email: Option<String>,
    pub partner_phone: Option<String>,
}

query_fn! {
    pub fn customer_link(customer: i64) -> optional CustomerLink =
        query_as("SELECT c.id AS customer_id, c.name AS customer_name, c.mode, p.id AS partner_id, \
                    p.name AS partner_name, p.allow_consulting_pay, p.email AS partner_email, \
                    p.phone AS partner_phone \
             FROM customers c JOIN partners p ON p.id = c.partner_id WHERE c.id = $1");
}

pub struct NewRow<'a> {
    pub number: &'a str,
    pub customer: i64,
    pub partner: i64,
    pub product: &'a str,
    pub quantity: i64,
    pub amount_fen: i64,
    pub state: &'a str,
    pub partner_requested: bool,
    pub now: i64,
}

query_fn! {
    pub fn insert(conn, r: &NewRow<'_>) -> one i64 =
        query_scalar("INSERT INTO orders (number, customer_id, partner_id, product, quantity, amount_fen, state, \
             partner_requested, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id")
        binding (r.number, r.customer, r.partner, r.product, r.quantity, r.amount_fen, r.state, i64::from(r.partner_requested), r.now);
}

/// An order with the parties it belongs to (whom a caller must be to see it).
#[derive(FromRow)]
pub struct OrderRow {
    #[sqlx(flatten)]
    pub order: Order,
    pub customer_id: i64,
    pub partner_id: i64,
}

const COLUMNS: &str = "o.id, o.number, o.customer_id, c.name AS customer_name, o.partner_id, o.product, \
     o.quantity, o.amount_fen AS amount, o.state, o.payer, o.partner_requested, o.reject_reason, o.created_at, \
     o.coupon_fen AS coupon_amount";
const FROM: &str = "FROM orders o JOIN customers c ON c.id = o.customer_id";

query_fn! {
    pub fn get(id: i64) -> optional OrderRow =
        query_as(&format!("SELECT {COLUMNS} {FROM} WHERE o.id = $1"));
}

/// What an order list shows beyond its owner: the states (all when empty), a number or customer
/// name (a LIKE pattern, or empty), the payment mode, the days placed, the order.
pub struct OrderFilter<'a> {
    pub states: &'a [&'a str],
    pub like: &'a str,
    /// 伙伴代付 requested (`Some(true)`), the customer's own (`Some(false)`), or both.
    pub partner_requested: Option<bool>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub sort: &'a crate::domain::SortBy,
}

/// Orders of a customer or of a partner's customers that match `f`.
pub async fn list(
    pool: &Pool,
    column: OwnerColumn,
    owner: i64,
    f: &OrderFilter<'_>,
    page: PageRequest,
) -> Result<(Vec<Order>, i64), sqlx::Error> {
    let order = f
        .sort
        .order(&super::model::ORDER_SORTS, "o.created_at DESC, o.id DESC");
    Where::new()
        .and(&format!("o.{} = ?1", column.sql()), owner)
        .and_text_in("o.state", f.states)
        .and_some(
            "(LOWER(o.number) LIKE ?1 ESCAPE '\\' OR LOWER(c.name) LIKE ?1 ESCAPE '\\')",
            Some(f.like).filter(|l| !l.is_empty()),
        )
        .and_some(
            "o.partner_requested = ?1",
            f.partner_requested.map(i64::from),
        )
        .and_some("o.created_at >= ?1", f.from_ms)
        .and_some("o.created_at < ?1", f.to_ms)
        .page(pool, COLUMNS, FROM, &order, page)
        .await
}

#[derive(Clone, Copy)]
pub enum OwnerColumn {
    Customer,
    Partner,
}

impl OwnerColumn {
    fn sql(self) -> &'static str {
        match self {
            OwnerColumn::Customer => "customer_id",
            OwnerColumn::Partner => "partner_id",
        }
    }
}

query_fn! {
    /// Moves an order from the state it was read in; `false` when it is no longer in that state.
    pub fn transition(conn, id: i64, from: &str, to: &str, payer: Option<&str>, reject_reason: Option<&str>, now: i64) -> changed =
        query("UPDATE orders SET state = $3, payer = COALESCE($4, payer), reject_reason = COALESCE($5, reject_reason), \
         updated_at = $6 WHERE id = $1 AND state = $2");

    pub fn set_allow_consulting_pay(partner: i64, allow: bool) -> done =
        query("UPDATE partners SET allow_consulting_pay = $1 WHERE id = $2")
        binding (i64::from(allow), partner);
}

pub async fn allow_consulting_pay<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner: i64,
) -> Result<bool, sqlx::Error> {
    let v: i64 = sqlx::query_scalar("SELECT allow_consulting_pay FROM partners WHERE id = $1")
        .bind(partner)
        .fetch_one(ex)
        .await?;
    Ok(v == 1)
}

query_fn! {
    /// On disassociation: orders waiting for the partner to pay go back to the customer, with the
    /// reason kept like a rejection. Returns how many.
    pub fn release_partner_requests(conn, customer: i64, partner: i64, reason: &str, now: i64) -> count =
        query("UPDATE orders SET state = 'pending_payment', reject_reason = $3, updated_at = $4 \
         WHERE customer_id = $1 AND partner_id = $2 AND state = 'awaiting_partner'");

    /// Records the part of an order a coupon paid.
    pub fn set_coupon_fen(conn, order: i64, fen: i64) -> done =
        query("UPDATE orders SET coupon_fen = $2 WHERE id = $1");
}

/// An order left unpaid.
#[derive(FromRow)]
pub struct Unpaid {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub partner_id: i64,
    pub state: String,
}

query_fn! {
    /// Orders waiting for payment (by the customer or its partner) placed at or before `before`.
    pub fn unpaid(conn, before: i64, limit: i64) -> all Unpaid =
        query_as("SELECT o.id, o.number, o.customer_id, c.name AS customer_name, o.partner_id, o.state \
             FROM orders o JOIN customers c ON c.id = o.customer_id \
             WHERE o.state IN ('pending_payment', 'awaiting_partner') AND o.created_at <= $1 \
             ORDER BY o.created_at, o.id LIMIT $2");
}
