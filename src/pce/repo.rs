//! SQL of PCE opportunities.

use super::model::Opportunity;
use crate::domain::PageRequest;
use crate::query_fn;
use crate::server::db::Pool;
use crate::server::sql::Where;

const COLUMNS: &str = "id, direction, customer_name AS customer, product, expected_fen AS expected, stage, \
     lost_reason, ho_state, reject_reason, respond_by, created_at";

pub struct NewRow<'a> {
    pub partner: i64,
    pub direction: &'a str,
    pub customer: &'a str,
    pub product: &'a str,
    pub expected_fen: i64,
    pub stage: &'a str,
    pub ho_state: Option<&'a str>,
    pub respond_by: Option<i64>,
    pub remind_at: Option<i64>,
    pub now: i64,
}

/// An HO whose deadline or reminder has come.
#[derive(sqlx::FromRow)]
pub struct DueHo {
    pub id: i64,
    pub partner_id: i64,
    pub customer_name: String,
    pub respond_by: i64,
}

query_fn! {
    pub fn insert(conn, r: &NewRow<'_>) -> one i64 =
        query_scalar("INSERT INTO opportunities (partner_id, direction, customer_name, product, expected_fen, stage, \
             customer_consent, ho_state, respond_by, remind_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9, $10, $10) RETURNING id")
        binding (r.partner, r.direction, r.customer, r.product, r.expected_fen, r.stage, r.ho_state, r.respond_by, r.remind_at, r.now);

    /// Pending HOs past their deadline (of one partner, or of all with `partner` 0), oldest
    /// deadline first.
    pub fn overdue(conn, partner: i64, now: i64, limit: i64) -> all DueHo =
        query_as("SELECT id, partner_id, customer_name, respond_by FROM opportunities \
             WHERE ho_state = 'pending' AND respond_by <= $2 AND ($1 = 0 OR partner_id = $1) \
             ORDER BY respond_by, id LIMIT $3");

    /// An overdue HO is taken back: it counts as rejected from then on.
    pub fn take_back(conn, id: i64, now: i64) -> changed =
        query("UPDATE opportunities SET ho_state = 'expired', updated_at = $2 \
             WHERE id = $1 AND ho_state = 'pending' AND respond_by <= $2");

    /// Pending HOs whose reminder is due and not yet sent, before their deadline.
    pub fn reminders_due(conn, now: i64, limit: i64) -> all DueHo =
        query_as("SELECT id, partner_id, customer_name, respond_by FROM opportunities \
             WHERE ho_state = 'pending' AND reminded_at IS NULL AND remind_at <= $1 AND respond_by > $1 \
             ORDER BY respond_by, id LIMIT $2");

    pub fn mark_reminded(conn, id: i64, now: i64) -> changed =
        query("UPDATE opportunities SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL");
}

pub async fn list(
    pool: &Pool,
    partner: i64,
    direction: &str,
    page: PageRequest,
) -> Result<(Vec<Opportunity>, i64), sqlx::Error> {
    Where::new()
        .and_args(
            "partner_id = ?1 AND direction = ?2",
            vec![partner.into(), direction.into()],
        )
        .page(
            pool,
            COLUMNS,
            "FROM opportunities",
            "created_at DESC, id DESC",
            page,
        )
        .await
}

query_fn! {
    /// One of this partner's opportunities.
    pub fn get(partner: i64, id: i64) -> optional Opportunity =
        query_as(&format!(
            "SELECT {COLUMNS} FROM opportunities WHERE partner_id = $1 AND id = $2"
        ));

    /// Answers a pending HO before its deadline; `false` if it was not pending or the deadline passed.
    pub fn answer_ho(conn, id: i64, partner: i64, state: &str, reason: Option<&str>, now: i64) -> changed =
        query("UPDATE opportunities SET ho_state = $3, reject_reason = $4, responded_at = $5, updated_at = $5 \
         WHERE id = $1 AND partner_id = $2 AND direction = 'ho' AND ho_state = 'pending' AND respond_by > $5");

    /// Moves an open opportunity to a stage; `false` if it is closed (won or lost) already.
    pub fn set_stage(conn, id: i64, partner: i64, stage: &str, lost_reason: Option<&str>, now: i64) -> changed =
        query("UPDATE opportunities SET stage = $3, lost_reason = $4, updated_at = $5 \
         WHERE id = $1 AND partner_id = $2 AND stage NOT IN ('won', 'lost') \
         AND (direction = 'po' OR ho_state = 'accepted')");
}

/// 机会点 (operator): every partner's opportunities, by direction (`po` / `ho`), HO state and
/// the partner's or the customer's name, newest first.
pub async fn operator_list(
    pool: &Pool,
    direction: Option<&str>,
    ho_state: Option<&str>,
    search: Option<String>,
    page: PageRequest,
) -> Result<(Vec<super::model::OperatorOpportunity>, i64), sqlx::Error> {
    Where::new()
        .and_some("o.direction = ?1", direction.map(String::from))
        .and_some("o.ho_state = ?1", ho_state.map(String::from))
        .and_some(
            "(p.name LIKE ?1 OR o.customer_name LIKE ?1)",
            search.map(|s| format!("%{}%", s.replace(['%', '_'], ""))),
        )
        .page(
            pool,
            "o.id, o.direction, o.customer_name AS customer, o.product, o.expected_fen AS expected, \
             o.stage, o.lost_reason, o.ho_state, o.reject_reason, o.respond_by, o.created_at, \
             o.partner_id, p.name AS partner_name",
            "FROM opportunities o JOIN partners p ON p.id = o.partner_id",
            "o.created_at DESC, o.id DESC",
            page,
        )
        .await
}
