//! SQL of customer association.

use crate::domain::PageRequest;
use crate::query_fn;
use crate::server::db::Pool;
use crate::server::sql::Where;
use sqlx::{AnyConnection, FromRow};

#[derive(FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub channel: super::model::Channel,
    pub email: Option<String>,
    pub label: String,
    pub mode: crate::domain::CustomerMode,
    pub state: String,
    pub expires_at: Option<i64>,
    pub accepted: i64,
    pub created_at: i64,
    /// An offline link's token, sealed under the master key (`server::secrets`).
    pub token: Option<String>,
    pub token_hash: String,
}

pub struct NewInvitationRow<'a> {
    pub partner: i64,
    pub token_hash: &'a str,
    pub token: Option<&'a str>,
    pub channel: &'a str,
    pub email: Option<&'a str>,
    pub label: &'a str,
    pub mode: &'a str,
    pub expires_at: Option<i64>,
    pub now: i64,
}

query_fn! {
    pub fn insert_invitation(conn, r: &NewInvitationRow<'_>) -> one i64 =
        query_scalar("INSERT INTO customer_invitations \
           (partner_id, token_hash, token, channel, email, label, mode, state, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9) RETURNING id")
        binding (r.partner, r.token_hash, r.token, r.channel, r.email, r.label, r.mode, r.expires_at, r.now);
}

const INVITATION_COLUMNS: &str =
    "id, channel, email, label, mode, state, expires_at, accepted, created_at, token, token_hash";

pub async fn list_invitations(
    pool: &Pool,
    partner: i64,
    page: PageRequest,
) -> Result<(Vec<InvitationRow>, i64), sqlx::Error> {
    Where::new()
        .and("partner_id = ?1", partner)
        .page(
            pool,
            INVITATION_COLUMNS,
            "FROM customer_invitations",
            "id DESC",
            page,
        )
        .await
}

query_fn! {
    pub fn get_invitation(partner: i64, id: i64) -> optional InvitationRow =
        query_as(&format!(
            "SELECT {INVITATION_COLUMNS} FROM customer_invitations WHERE id = $2 AND partner_id = $1"
        ));

    /// Cancels an active invitation of this partner; `false` when there is none.
    pub fn cancel_invitation(conn, partner: i64, id: i64) -> changed =
        query("UPDATE customer_invitations SET state = 'cancelled' \
         WHERE id = $2 AND partner_id = $1 AND state = 'active'");
}

#[derive(FromRow)]
pub struct LinkRow {
    pub id: i64,
    pub partner_id: i64,
    pub partner_name: String,
    pub channel: super::model::Channel,
    pub mode: crate::domain::CustomerMode,
    pub label: String,
    pub state: String,
    pub expires_at: Option<i64>,
}

query_fn! {
    /// The invitation behind a link's token (by its hash).
    pub fn invitation_by_hash(token_hash: &str) -> optional LinkRow =
        query_as("SELECT i.id, i.partner_id, p.name AS partner_name, i.channel, i.mode, i.label, i.state, i.expires_at \
             FROM customer_invitations i JOIN partners p ON p.id = i.partner_id WHERE i.token_hash = $1");
}

/// Counts an acceptance; an email invitation becomes used. `false` when it is no longer
/// active (someone else used or the partner cancelled it meanwhile).
pub async fn record_acceptance(
    conn: &mut AnyConnection,
    id: i64,
    single_use: bool,
) -> Result<bool, sqlx::Error> {
    let state = if single_use { "used" } else { "active" };
    let r = sqlx::query(
        "UPDATE customer_invitations SET accepted = accepted + 1, state = $1 \
         WHERE id = $2 AND state = 'active'",
    )
    .bind(state)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

query_fn! {
    /// The customer's current partner, if any.
    pub fn current_partner(customer: i64) -> optional Option<i64> =
        query_scalar("SELECT partner_id FROM customers WHERE id = $1");
}

/// Associates a free customer; `false` when it is no longer free.
pub async fn associate(
    conn: &mut AnyConnection,
    customer: i64,
    partner: i64,
    mode: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE customers SET partner_id = $1, mode = $2, associated_at = $3, unbind_requested_at = NULL \
         WHERE id = $4 AND partner_id IS NULL",
    )
    .bind(partner)
    .bind(mode)
    .bind(now)
    .bind(customer)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO customer_associations (customer_id, partner_id, mode, started_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(customer)
    .bind(partner)
    .bind(mode)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(true)
}

query_fn! {
    /// The partner asks to disassociate; `false` when the customer is not its own or already asked.
    pub fn request_unbind(conn, partner: i64, customer: i64, now: i64) -> changed =
        query("UPDATE customers SET unbind_requested_at = $3 \
         WHERE id = $2 AND partner_id = $1 AND unbind_requested_at IS NULL");

    /// Withdraws a pending request (the partner cancels or the customer declines).
    pub fn clear_unbind(conn, customer: i64, partner: i64) -> changed =
        query("UPDATE customers SET unbind_requested_at = NULL \
         WHERE id = $1 AND partner_id = $2 AND unbind_requested_at IS NOT NULL");
}

#[derive(FromRow)]
pub struct AssociationRow {
    pub id: i64,
    pub partner_id: i64,
    pub unbind_requested_at: Option<i64>,
}

query_fn! {
    pub fn current_association(customer: i64) -> optional AssociationRow =
        query_as("SELECT a.id, c.partner_id, c.unbind_requested_at FROM customers c \
             JOIN customer_associations a ON a.customer_id = c.id AND a.partner_id = c.partner_id AND a.ended_at IS NULL \
             WHERE c.id = $1");
}

/// Ends the association whose disassociation was requested; `false` when it changed meanwhile.
pub async fn end_association(
    conn: &mut AnyConnection,
    customer: i64,
    partner: i64,
    association: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE customers SET partner_id = NULL, mode = NULL, associated_at = NULL, unbind_requested_at = NULL \
         WHERE id = $1 AND partner_id = $2 AND unbind_requested_at IS NOT NULL",
    )
    .bind(customer)
    .bind(partner)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE customer_associations SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL",
    )
    .bind(now)
    .bind(association)
    .execute(conn)
    .await?;
    Ok(true)
}

query_fn! {
    pub fn customer_name(customer: i64) -> optional String =
        query_scalar("SELECT name FROM customers WHERE id = $1");
}

#[derive(FromRow)]
pub struct MyPartnerRow {
    pub partner_name: String,
    pub partner_email: Option<String>,
    pub partner_phone: Option<String>,
    pub mode: crate::domain::CustomerMode,
    pub associated_at: i64,
    pub unbind_requested_at: Option<i64>,
    pub partner_id: i64,
}

query_fn! {
    pub fn my_partner(customer: i64) -> optional MyPartnerRow =
        query_as("SELECT p.name AS partner_name, p.email AS partner_email, p.phone AS partner_phone, c.mode, \
                    c.associated_at, c.unbind_requested_at, p.id AS partner_id \
             FROM customers c JOIN partners p ON p.id = c.partner_id WHERE c.id = $1");

    pub fn contracts(customer: i64) -> all super::model::Contract =
        query_as("SELECT id, state, reason, created_at, decided_at FROM contract_applications WHERE customer_id = $1 ORDER BY id DESC LIMIT 20");

    pub fn has_open_contract(customer: i64) -> exists =
        query_scalar("SELECT COUNT(*) FROM contract_applications WHERE customer_id = $1 AND state IN ('submitted', 'approved')");

    pub fn insert_contract(conn, customer: i64, partner: i64, now: i64) -> one i64 =
        query_scalar("INSERT INTO contract_applications (customer_id, partner_id, state, created_at) VALUES ($1, $2, 'submitted', $3) RETURNING id");

    /// Offline invitations whose token is still stored in plaintext (an older version): (id, token).
    pub fn plaintext_offline_tokens() -> all (i64, String) =
        query_as("SELECT id, token FROM customer_invitations WHERE token IS NOT NULL AND token NOT LIKE 'v1:%'");

    pub fn set_sealed_token(id: i64, old: &str, sealed: &str) -> done =
        query("UPDATE customer_invitations SET token = $3 WHERE id = $1 AND token = $2");

    /// Forgets the sealed tokens of offline links that expired before `now` (or were cancelled):
    /// a dead link is never shown again.
    pub fn forget_dead_links(conn, now: i64) -> count =
        query("UPDATE customer_invitations SET token = NULL \
             WHERE channel = 'offline' AND token IS NOT NULL AND (expires_at <= $1 OR state = 'cancelled')");

    /// Email invitations the partner created since `since`.
    pub fn email_invitations_since(conn, partner: i64, since: i64) -> one i64 =
        query_scalar("SELECT COUNT(*) FROM customer_invitations WHERE partner_id = $1 AND channel = 'email' AND created_at >= $2");

    /// Locks a customer's row until the transaction ends (a no-op UPDATE: the row lock on
    /// PostgreSQL; SQLite serializes writers already).
    pub fn hold_customer(conn, customer: i64) -> done =
        query("UPDATE customers SET partner_id = partner_id WHERE id = $1");
}

// 合同申请: the operator's decisions.

query_fn! {
    /// An application's customer and partner, and its customer's name: (customer, partner, name).
    pub fn contract_parties(conn, id: i64) -> optional (i64, i64, String) =
        query_as("SELECT a.customer_id, a.partner_id, c.name FROM contract_applications a \
                  JOIN customers c ON c.id = a.customer_id WHERE a.id = $1");

    /// Decides a submitted application (once: only a submitted one changes).
    pub fn decide_contract(conn, id: i64, state: &str, reason: Option<&str>, now: i64) -> changed =
        query("UPDATE contract_applications SET state = $2, reason = $3, decided_at = $4 \
               WHERE id = $1 AND state = 'submitted'");
}

/// The operator's queue: applications in `state`, oldest first, searched by customer or partner.
pub async fn contract_queue(
    pool: &Pool,
    state: &str,
    search: Option<String>,
    page: PageRequest,
) -> Result<(Vec<super::model::ContractApplication>, i64), sqlx::Error> {
    Where::new()
        .and("a.state = ?1", state.to_string())
        .and_some(
            "(c.name LIKE ?1 OR p.name LIKE ?1)",
            search.map(|s| format!("%{}%", s.replace(['%', '_'], ""))),
        )
        .page(
            pool,
            "a.id, a.customer_id, c.name AS customer_name, a.partner_id, p.name AS partner_name, \
             a.state, a.reason, a.created_at, a.decided_at",
            "FROM contract_applications a JOIN customers c ON c.id = a.customer_id \
             JOIN partners p ON p.id = a.partner_id",
            "a.created_at, a.id",
            page,
        )
        .await
}

/// 客户管理 (operator): customers searched by name, sign-in or id, by their partner's name and
/// by mode (`none`: without a partner), newest first.
pub async fn operator_list(
    pool: &Pool,
    search: Option<String>,
    partner: Option<String>,
    mode: Option<&str>,
    page: PageRequest,
) -> Result<(Vec<super::model::CustomerListItem>, i64), sqlx::Error> {
    let like = |s: &str| format!("%{}%", s.replace(['%', '_'], ""));
    let mut w = Where::new();
    if let Some(s) = search.as_deref() {
        let id = s.trim().parse::<i64>().unwrap_or(-1);
        w = w.and_args(
            "(c.name LIKE ?1 OR u.login LIKE ?1 OR c.id = ?2)",
            vec![like(s).into(), id.into()],
        );
    }
    w = w.and_some("p.name LIKE ?1", partner.as_deref().map(like));
    w = match mode {
        Some("none") => w.and_args("c.partner_id IS NULL", vec![]),
        Some(m) => w.and("c.mode = ?1", m.to_string()),
        None => w,
    };
    w.page(
        pool,
        "c.id, c.name, u.login, c.partner_id, p.name AS partner_name, c.mode, c.associated_at, c.created_at",
        "FROM customers c LEFT JOIN partners p ON p.id = c.partner_id \
         LEFT JOIN users u ON u.customer_id = c.id AND u.role = 'customer'",
        "c.id DESC",
        page,
    )
    .await
}
