//! SQL of quotas.

use super::*;
use crate::query_fn;

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

query_fn! {
    pub fn insert_quota(conn, q: &NewQuota<'_>) -> one i64 =
        query_scalar("INSERT INTO coupon_quotas (partner_id, kind, quota_type, parent_id, status, value_fen, balance_fen, \
            max_face_fen, service_types, products, effective_at, expires_at, created_at, updated_at) \
         VALUES ($1, $2, 0, $3, 0, $4, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id")
        binding (q.partner, q.kind, q.parent, q.value_fen, q.max_face_fen, q.service_types, q.products, q.effective_at, q.expires_at, q.now);

    /// A quota of this partner.
    pub fn quota(partner: i64, id: i64) -> optional QuotaRow =
        query_as(&format!(
            "SELECT {QUOTA_COLUMNS} {QUOTA_FROM} WHERE q.id = $2 AND q.partner_id = $1"
        ));

    /// A quota this distributor gave one of its resellers (its parent is the distributor's).
    pub fn child_quota(distributor: i64, id: i64) -> optional QuotaRow =
        query_as(&format!(
            "SELECT {QUOTA_COLUMNS} {QUOTA_FROM} JOIN coupon_quotas pq ON pq.id = q.parent_id \
             WHERE q.id = $2 AND pq.partner_id = $1"
        ));
}

/// A partner's quotas of one kind (or, with `s.issued`, those it gave its resellers) matching
/// `s`, newest first: one page and the total. `now` decides which 正常 quotas have lapsed (失效).
pub async fn list_quotas(
    pool: &Pool,
    partner: i64,
    kind: &str,
    s: &QuotaSearch,
    now: i64,
    page: PageRequest,
) -> Result<(Vec<QuotaRow>, i64), sqlx::Error> {
    let (from, owner) = if s.issued {
        (
            format!("{QUOTA_FROM} JOIN coupon_quotas pq ON pq.id = q.parent_id"),
            Where::new().and("pq.partner_id = ?1", partner),
        )
    } else {
        (
            QUOTA_FROM.to_string(),
            Where::new().and_args(
                "q.partner_id = ?1 AND q.kind = ?2",
                vec![partner.into(), kind.into()],
            ),
        )
    };
    let seen = format!("CASE WHEN q.status = 0 AND q.expires_at <= {now} THEN 3 ELSE q.status END");
    owner
        .and_in("q.id", s.ids.as_deref())
        .and_in(&seen, s.statuses.as_deref())
        .and_some("q.quota_type = ?1", s.quota_type)
        .and_some("q.parent_id IS NOT NULL AND q.partner_id = ?1", s.reseller)
        .and_some("q.parent_id = ?1", s.parent)
        .and_between("q.created_at", s.created.0, s.created.1)
        .and_between("q.effective_at", s.effective.0, s.effective.1)
        .and_between("q.expires_at", s.expires.0, s.expires.1)
        .page(pool, QUOTA_COLUMNS, &from, "q.id DESC", page)
        .await
}

query_fn! {
    /// Takes `fen` from a quota if its balance allows; the new balance, or `None`.
    pub fn debit_quota(conn, id: i64, fen: i64, now: i64) -> optional i64 =
        query_scalar("UPDATE coupon_quotas SET balance_fen = balance_fen - $2, updated_at = $3 \
         WHERE id = $1 AND balance_fen >= $2 RETURNING balance_fen");

    pub fn credit_quota(conn, id: i64, fen: i64, now: i64) -> one i64 =
        query_scalar("UPDATE coupon_quotas SET balance_fen = balance_fen + $2, updated_at = $3 WHERE id = $1 RETURNING balance_fen");

    /// Empties a reseller's quota and ends it (失效), if it still holds `balance`; `false` otherwise.
    pub fn empty_quota(conn, id: i64, balance: i64, now: i64) -> changed =
        query("UPDATE coupon_quotas SET balance_fen = 0, status = 3, updated_at = $3 \
         WHERE id = $1 AND status = 0 AND balance_fen = $2");

    pub fn set_quota_status(conn, id: i64, status: i64, now: i64) -> changed =
        query("UPDATE coupon_quotas SET status = $2, updated_at = $3 WHERE id = $1");

    /// The partner a quota belongs to.
    pub fn quota_owner(conn, id: i64) -> optional i64 =
        query_scalar("SELECT partner_id FROM coupon_quotas WHERE id = $1");

    /// 正常 quotas whose end has come: (id, partner, balance, end), oldest end first.
    pub fn lapsing_quotas(conn, now: i64, limit: i64) -> all (i64, i64, i64, i64) =
        query_as("SELECT id, partner_id, balance_fen, expires_at FROM coupon_quotas \
             WHERE status = 0 AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2");

    /// A 正常 quota past its end becomes 失效; `false` when it is no longer 正常.
    pub fn lapse_quota(conn, id: i64, now: i64) -> changed =
        query("UPDATE coupon_quotas SET status = 3, updated_at = $2 \
             WHERE id = $1 AND status = 0 AND expires_at <= $2");
}

/// A quota with its partner's name, for the operator (额度管理).
#[derive(FromRow)]
pub struct OperatorQuotaRow {
    #[sqlx(flatten)]
    pub quota: QuotaRow,
    pub partner_name: String,
}

/// Every partner's quotas (额度管理): by partner, kind and stored status; newest first.
pub async fn operator_quotas(
    pool: &Pool,
    partner: Option<i64>,
    kind: Option<&str>,
    status: Option<i64>,
    page: PageRequest,
) -> Result<(Vec<OperatorQuotaRow>, i64), sqlx::Error> {
    Where::new()
        .and_some("q.partner_id = ?1", partner)
        .and_some("q.kind = ?1", kind.map(String::from))
        .and_some("q.status = ?1", status)
        .page(
            pool,
            &format!("{QUOTA_COLUMNS}, p.name AS partner_name"),
            &format!("{QUOTA_FROM} JOIN partners p ON p.id = q.partner_id"),
            "q.id DESC",
            page,
        )
        .await
}
