//! SQL of vouchers. Balances change only through the conditional updates here, always inside a
//! transaction that also writes the operation record.

use sqlx::{Any, AnyConnection, AnyPool, Executor, FromRow};

#[derive(FromRow, Clone)]
pub struct QuotaRow {
    pub id: i64,
    pub partner_id: i64,
    pub kind: String,
    pub quota_type: i64,
    pub parent_id: Option<i64>,
    pub status: i64,
    pub value_fen: i64,
    pub balance_fen: i64,
    pub max_face_fen: Option<i64>,
    pub service_types: String,
    pub products: String,
    pub effective_at: i64,
    pub expires_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub reseller_name: Option<String>,
}

const QUOTA_COLUMNS: &str = "q.id, q.partner_id, q.kind, q.quota_type, q.parent_id, q.status, q.value_fen, \
     q.balance_fen, q.max_face_fen, q.service_types, q.products, q.effective_at, q.expires_at, \
     q.created_at, q.updated_at, rp.name AS reseller_name";
const QUOTA_FROM: &str = "FROM coupon_quotas q LEFT JOIN partners rp ON rp.id = q.partner_id AND q.parent_id IS NOT NULL";

pub struct NewQuota<'a> {
    pub partner: i64,
    pub kind: &'a str,
    pub parent: Option<i64>,
    pub value_fen: i64,
    pub max_face_fen: Option<i64>,
    pub service_types: &'a str,
    pub products: &'a str,
    pub effective_at: i64,
    pub expires_at: i64,
    pub now: i64,
}

pub async fn insert_quota(conn: &mut AnyConnection, q: &NewQuota<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO coupon_quotas (partner_id, kind, quota_type, parent_id, status, value_fen, balance_fen, \
            max_face_fen, service_types, products, effective_at, expires_at, created_at, updated_at) \
         VALUES ($1, $2, 0, $3, 0, $4, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(q.partner)
    .bind(q.kind)
    .bind(q.parent)
    .bind(q.value_fen)
    .bind(q.max_face_fen)
    .bind(q.service_types)
    .bind(q.products)
    .bind(q.effective_at)
    .bind(q.expires_at)
    .bind(q.now)
    .fetch_one(conn)
    .await
}

/// A quota of this partner.
pub async fn quota<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner: i64,
    id: i64,
) -> Result<Option<QuotaRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {QUOTA_COLUMNS} {QUOTA_FROM} WHERE q.id = $1 AND q.partner_id = $2"
    ))
    .bind(id)
    .bind(partner)
    .fetch_optional(ex)
    .await
}

/// A quota this distributor gave one of its resellers (its parent is the distributor's).
pub async fn child_quota<'e>(
    ex: impl Executor<'e, Database = Any>,
    distributor: i64,
    id: i64,
) -> Result<Option<QuotaRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {QUOTA_COLUMNS} {QUOTA_FROM} JOIN coupon_quotas pq ON pq.id = q.parent_id \
         WHERE q.id = $1 AND pq.partner_id = $2"
    ))
    .bind(id)
    .bind(distributor)
    .fetch_optional(ex)
    .await
}

pub async fn list_quotas(
    pool: &AnyPool,
    partner: i64,
    kind: &str,
    offset: i64,
    limit: i64,
) -> Result<(Vec<QuotaRow>, i64), sqlx::Error> {
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM coupon_quotas WHERE partner_id = $1 AND kind = $2",
    )
    .bind(partner)
    .bind(kind)
    .fetch_one(pool)
    .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT {QUOTA_COLUMNS} {QUOTA_FROM} WHERE q.partner_id = $1 AND q.kind = $2 \
         ORDER BY q.id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(partner)
    .bind(kind)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    Ok((rows, total))
}

/// 已发放代金券额度: the quotas a distributor gave its resellers.
pub async fn issued_quotas(
    pool: &AnyPool,
    distributor: i64,
    offset: i64,
    limit: i64,
) -> Result<(Vec<QuotaRow>, i64), sqlx::Error> {
    let from = format!(
        "{QUOTA_FROM} JOIN coupon_quotas pq ON pq.id = q.parent_id WHERE pq.partner_id = $1"
    );
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {from}"))
        .bind(distributor)
        .fetch_one(pool)
        .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT {QUOTA_COLUMNS} {from} ORDER BY q.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(distributor)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    Ok((rows, total))
}

/// Takes `fen` from a quota if its balance allows; the new balance, or `None`.
pub async fn debit_quota(
    conn: &mut AnyConnection,
    id: i64,
    fen: i64,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE coupon_quotas SET balance_fen = balance_fen - $1, updated_at = $2 \
         WHERE id = $3 AND balance_fen >= $1 RETURNING balance_fen",
    )
    .bind(fen)
    .bind(now)
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn credit_quota(
    conn: &mut AnyConnection,
    id: i64,
    fen: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE coupon_quotas SET balance_fen = balance_fen + $1, updated_at = $2 WHERE id = $3 RETURNING balance_fen",
    )
    .bind(fen)
    .bind(now)
    .bind(id)
    .fetch_one(conn)
    .await
}

/// Empties a reseller's quota and ends it (失效), if it still holds `balance`; `false` otherwise.
pub async fn empty_quota(
    conn: &mut AnyConnection,
    id: i64,
    balance: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE coupon_quotas SET balance_fen = 0, status = 3, updated_at = $1 \
         WHERE id = $2 AND status = 0 AND balance_fen = $3",
    )
    .bind(now)
    .bind(id)
    .bind(balance)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn set_quota_status(
    conn: &mut AnyConnection,
    id: i64,
    status: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("UPDATE coupon_quotas SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

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

pub async fn insert_coupon(
    conn: &mut AnyConnection,
    c: &NewCoupon<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO coupons (number, kind, quota_id, partner_id, customer_id, face_fen, balance_fen, \
            min_order_fen, service_types, products, effective_at, expires_at, status, remark, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, $11, 2, $12, $13, $13) RETURNING id",
    )
    .bind(c.number)
    .bind(c.kind)
    .bind(c.quota)
    .bind(c.partner)
    .bind(c.customer)
    .bind(c.face_fen)
    .bind(c.min_order_fen)
    .bind(c.service_types)
    .bind(c.products)
    .bind(c.effective_at)
    .bind(c.expires_at)
    .bind(c.remark)
    .bind(c.now)
    .fetch_one(conn)
    .await
}

/// A coupon this partner issued.
pub async fn coupon_of_partner<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner: i64,
    id: i64,
) -> Result<Option<CouponRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COUPON_COLUMNS} {COUPON_FROM} WHERE k.id = $1 AND k.partner_id = $2"
    ))
    .bind(id)
    .bind(partner)
    .fetch_optional(ex)
    .await
}

/// A coupon this customer holds.
pub async fn coupon_of_customer<'e>(
    ex: impl Executor<'e, Database = Any>,
    customer: i64,
    id: i64,
) -> Result<Option<CouponRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COUPON_COLUMNS} {COUPON_FROM} WHERE k.id = $1 AND k.customer_id = $2"
    ))
    .bind(id)
    .bind(customer)
    .fetch_optional(ex)
    .await
}

/// Usable coupons and pickup vouchers a partner gave a customer.
pub async fn usable_of_customer<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner: i64,
    customer: i64,
) -> Result<Vec<CouponRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COUPON_COLUMNS} {COUPON_FROM} WHERE k.partner_id = $1 AND k.customer_id = $2 AND k.status = 2 ORDER BY k.id"
    ))
    .bind(partner)
    .bind(customer)
    .fetch_all(ex)
    .await
}

/// Usable coupons whose expiry has come, oldest first.
pub async fn due_coupons<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: i64,
    limit: i64,
) -> Result<Vec<CouponRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COUPON_COLUMNS} {COUPON_FROM} WHERE k.status = 2 AND k.expires_at <= $1 ORDER BY k.expires_at, k.id LIMIT $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(ex)
    .await
}

/// Empties a usable coupon still holding `balance` and gives it `status` (4 or 5); `false` when
/// it changed meanwhile.
pub async fn empty_coupon(
    conn: &mut AnyConnection,
    id: i64,
    balance: i64,
    status: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE coupons SET balance_fen = 0, status = $1, updated_at = $2 \
         WHERE id = $3 AND status = 2 AND balance_fen = $4",
    )
    .bind(status)
    .bind(now)
    .bind(id)
    .bind(balance)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
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

pub async fn use_of_order<'e>(
    ex: impl Executor<'e, Database = Any>,
    order: i64,
) -> Result<Option<OrderUse>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.coupon_id, k.quota_id, k.partner_id, k.customer_id, k.kind, u.amount_fen \
         FROM coupon_uses u JOIN coupons k ON k.id = u.coupon_id WHERE u.order_id = $1",
    )
    .bind(order)
    .fetch_optional(ex)
    .await
}

/// Filters of coupon lists.
pub struct CouponFilter {
    pub partner: Option<i64>,
    pub customer: Option<i64>,
    pub kind: Option<&'static str>,
    /// A stored status code, or `None` for all. Usable/expired use `now`.
    pub status: Option<i64>,
    pub now: i64,
    pub offset: i64,
    pub limit: i64,
}

pub async fn list_coupons(
    pool: &AnyPool,
    f: &CouponFilter,
) -> Result<(Vec<CouponRow>, i64), sqlx::Error> {
    // Status 2 (可使用) excludes what has expired; 4 (已过期) includes usable ones past expiry.
    let filter = "WHERE ($1 < 0 OR k.partner_id = $1) AND ($2 < 0 OR k.customer_id = $2) \
           AND ($3 = '' OR k.kind = $3) \
           AND ($4 < 0 \
                OR ($4 = 2 AND k.status = 2 AND k.expires_at > $5) \
                OR ($4 = 4 AND (k.status = 4 OR (k.status = 2 AND k.expires_at <= $5))) \
                OR ($4 IN (3, 5) AND k.status = $4))";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM coupons k {filter}"))
        .bind(f.partner.unwrap_or(-1))
        .bind(f.customer.unwrap_or(-1))
        .bind(f.kind.unwrap_or(""))
        .bind(f.status.unwrap_or(-1))
        .bind(f.now)
        .fetch_one(pool)
        .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT {COUPON_COLUMNS} {COUPON_FROM} {filter} ORDER BY k.id DESC LIMIT $6 OFFSET $7"
    ))
    .bind(f.partner.unwrap_or(-1))
    .bind(f.customer.unwrap_or(-1))
    .bind(f.kind.unwrap_or(""))
    .bind(f.status.unwrap_or(-1))
    .bind(f.now)
    .bind(f.limit)
    .bind(f.offset)
    .fetch_all(pool)
    .await?;
    Ok((rows, total))
}

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

pub async fn insert_record(conn: &mut AnyConnection, r: &NewRecord<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO voucher_records (partner_id, kind, operation, quota_id, parent_quota_id, coupon_id, \
            customer_id, reseller_id, amount_fen, remark, actor_user_id, actor, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(r.partner)
    .bind(r.kind)
    .bind(r.operation)
    .bind(r.quota)
    .bind(r.parent_quota)
    .bind(r.coupon)
    .bind(r.customer)
    .bind(r.reseller)
    .bind(r.amount_fen)
    .bind(r.remark)
    .bind(r.actor_user_id)
    .bind(r.actor)
    .bind(r.now)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(FromRow)]
pub struct RecordRow {
    pub id: i64,
    pub kind: String,
    pub operation: i64,
    pub quota_id: i64,
    pub parent_quota_id: Option<i64>,
    pub coupon_number: Option<String>,
    pub customer_name: Option<String>,
    pub reseller_name: Option<String>,
    pub reseller_id: Option<i64>,
    pub amount_fen: i64,
    pub remark: String,
    pub actor: String,
    pub created_at: i64,
}

pub struct RecordFilter<'a> {
    pub partner: i64,
    pub kind: &'a str,
    /// An operation code, or -1 for all.
    pub operation: i64,
    pub from_ms: i64,
    pub to_ms: i64,
    pub offset: i64,
    pub limit: i64,
}

pub async fn list_records(
    pool: &AnyPool,
    f: &RecordFilter<'_>,
) -> Result<(Vec<RecordRow>, i64), sqlx::Error> {
    let filter = "WHERE (r.partner_id = $1 OR r.reseller_id = $1) AND r.kind = $2 AND ($3 < 0 OR r.operation = $3) \
           AND r.created_at >= $4 AND r.created_at < $5";
    let total: i64 =
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM voucher_records r {filter}"))
            .bind(f.partner)
            .bind(f.kind)
            .bind(f.operation)
            .bind(f.from_ms)
            .bind(f.to_ms)
            .fetch_one(pool)
            .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT r.id, r.kind, r.operation, r.quota_id, r.parent_quota_id, k.number AS coupon_number, \
                c.name AS customer_name, rp.name AS reseller_name, r.reseller_id, r.amount_fen, r.remark, r.actor, r.created_at \
         FROM voucher_records r LEFT JOIN coupons k ON k.id = r.coupon_id \
           LEFT JOIN customers c ON c.id = r.customer_id LEFT JOIN partners rp ON rp.id = r.reseller_id \
         {filter} ORDER BY r.id DESC LIMIT $6 OFFSET $7"
    ))
    .bind(f.partner)
    .bind(f.kind)
    .bind(f.operation)
    .bind(f.from_ms)
    .bind(f.to_ms)
    .bind(f.limit)
    .bind(f.offset)
    .fetch_all(pool)
    .await?;
    Ok((rows, total))
}

#[derive(FromRow)]
pub struct UseRow {
    pub coupon_number: String,
    pub customer_name: String,
    pub order_number: String,
    pub amount_fen: i64,
    pub created_at: i64,
}

/// Uses of this partner's coupons or pickup vouchers on orders.
pub async fn list_uses(
    pool: &AnyPool,
    partner: i64,
    kind: &str,
    offset: i64,
    limit: i64,
) -> Result<(Vec<UseRow>, i64), sqlx::Error> {
    let from = "FROM coupon_uses u JOIN coupons k ON k.id = u.coupon_id JOIN customers c ON c.id = k.customer_id \
         JOIN orders o ON o.id = u.order_id WHERE k.partner_id = $1 AND k.kind = $2";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {from}"))
        .bind(partner)
        .bind(kind)
        .fetch_one(pool)
        .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT k.number AS coupon_number, c.name AS customer_name, o.number AS order_number, u.amount_fen, u.created_at \
         {from} ORDER BY u.id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(partner)
    .bind(kind)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    Ok((rows, total))
}

pub async fn whitelist_add(
    conn: &mut AnyConnection,
    partner: i64,
    customer: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "INSERT INTO pickup_whitelist (partner_id, customer_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (partner_id, customer_id) DO NOTHING",
    )
    .bind(partner)
    .bind(customer)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn whitelist_remove(
    conn: &mut AnyConnection,
    partner: i64,
    customer: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query("DELETE FROM pickup_whitelist WHERE partner_id = $1 AND customer_id = $2")
        .bind(partner)
        .bind(customer)
        .execute(conn)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn whitelisted<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner: i64,
    customer: i64,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pickup_whitelist WHERE partner_id = $1 AND customer_id = $2",
    )
    .bind(partner)
    .bind(customer)
    .fetch_one(ex)
    .await?;
    Ok(n > 0)
}

#[derive(FromRow)]
pub struct WhitelistRow {
    pub customer_id: i64,
    pub customer_name: String,
    pub login: Option<String>,
    pub created_at: i64,
}

/// Partners that have resale customers (the only ones a pickup whitelist can name), by name.
pub async fn partners_with_resale_customers(
    pool: &AnyPool,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, p.name FROM partners p \
         WHERE EXISTS (SELECT 1 FROM customers c WHERE c.partner_id = p.id AND c.mode = 'resale') \
         ORDER BY p.name, p.id LIMIT 1000",
    )
    .fetch_all(pool)
    .await
}

/// The whitelist, limited to customers still associated with the partner.
pub async fn list_whitelist(
    pool: &AnyPool,
    partner: i64,
) -> Result<Vec<WhitelistRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT w.customer_id, c.name AS customer_name, \
                (SELECT MIN(u.login) FROM users u WHERE u.customer_id = c.id) AS login, w.created_at \
         FROM pickup_whitelist w JOIN customers c ON c.id = w.customer_id AND c.partner_id = w.partner_id \
         WHERE w.partner_id = $1 ORDER BY w.created_at DESC LIMIT 200",
    )
    .bind(partner)
    .fetch_all(pool)
    .await
}

/// Resellers of a distributor by id, with their names (only its own).
pub async fn reseller_names<'e>(
    ex: impl Executor<'e, Database = Any>,
    distributor: i64,
    ids: &[i64],
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    // Ids are integers parsed by the model, so they are safe to list in SQL.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    sqlx::query_as(&format!(
        "SELECT id, name FROM partners WHERE parent_id = $1 AND kind = 'reseller' AND id IN ({list}) ORDER BY id"
    ))
    .bind(distributor)
    .fetch_all(ex)
    .await
}

/// The partner's customers for a form: `coupon` (all, so a refusal can be explained),
/// `pickup` (whitelisted ones), `whitelist` (resale ones not yet whitelisted): id, name, mode.
pub async fn customers_for(
    pool: &AnyPool,
    partner: i64,
    which: &str,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    let extra = match which {
        "pickup" => {
            "AND EXISTS (SELECT 1 FROM pickup_whitelist w WHERE w.partner_id = c.partner_id AND w.customer_id = c.id)"
        }
        "whitelist" => {
            "AND c.mode = 'resale' AND NOT EXISTS (SELECT 1 FROM pickup_whitelist w WHERE w.partner_id = c.partner_id AND w.customer_id = c.id)"
        }
        _ => "",
    };
    sqlx::query_as(&format!(
        "SELECT c.id, c.name, c.mode FROM customers c WHERE c.partner_id = $1 {extra} ORDER BY c.id LIMIT 500"
    ))
    .bind(partner)
    .fetch_all(pool)
    .await
}
