//! SQL of the operator console's lists.

use super::model::{Account, AuditLine, Delivery, PICKS, Pick, PickKind};
use crate::domain::PageRequest;
use crate::query_fn;
use crate::server::db::Pool;
use crate::server::sql::Where;

/// Parsed audit filters: times in unix ms.
#[derive(Clone)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub partner: Option<String>,
    /// Entries about this partner (its detail page).
    pub partner_id: Option<i64>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

fn like(s: &str) -> String {
    format!("%{}%", s.replace(['%', '_'], ""))
}

/// One page of the audit trail, newest first.
pub async fn audit(
    pool: &Pool,
    f: &AuditFilter,
    page: PageRequest,
) -> Result<(Vec<AuditLine>, i64), sqlx::Error> {
    Where::new()
        .and_some("a.actor = ?1", f.actor.clone())
        .and_some(
            "a.action LIKE ?1",
            f.action
                .as_ref()
                .map(|a| format!("{}%", a.replace(['%', '_'], ""))),
        )
        .and_some(
            // The partner itself, or a movement from or to it (`platform->partner:7`).
            "EXISTS (SELECT 1 FROM partners p WHERE p.name LIKE ?1 AND (a.target = 'partner:' || p.id \
               OR a.target LIKE '%>partner:' || p.id OR a.target LIKE 'partner:' || p.id || '->%'))",
            f.partner.as_deref().map(like),
        )
        .and_some(
            "(a.target = 'partner:' || ?1 OR a.target LIKE '%>partner:' || ?1 \
               OR a.target LIKE 'partner:' || ?1 || '->%')",
            f.partner_id.map(|id| id.to_string()),
        )
        .and_some("a.at >= ?1", f.from_ms)
        .and_some("a.at < ?1", f.to_ms)
        .page(
            pool,
            "a.id, a.at, a.actor, a.action, a.target, a.ip, a.channel, a.detail",
            "FROM audit_log a",
            "a.id DESC",
            page,
        )
        .await
}

/// One page of the outbox, newest first, in `state` (any when `None`), searched by recipient.
pub async fn deliveries(
    pool: &Pool,
    state: Option<&str>,
    recipient: Option<String>,
    page: PageRequest,
) -> Result<(Vec<Delivery>, i64), sqlx::Error> {
    Where::new()
        .and_some("o.state = ?1", state.map(String::from))
        .and_some("o.recipient LIKE ?1", recipient.as_deref().map(like))
        .page(
            pool,
            "o.id, o.channel, o.recipient, o.subject, o.state, o.attempts, o.last_error, o.created_at, o.updated_at",
            "FROM outbox o",
            "o.id DESC",
            page,
        )
        .await
}

/// One page of the accounts, by login, searched by login or organisation, of `role` (any when
/// `None`).
pub async fn accounts(
    pool: &Pool,
    role: Option<&str>,
    search: Option<String>,
    page: PageRequest,
) -> Result<(Vec<Account>, i64), sqlx::Error> {
    Where::new()
        .and_some("u.role = ?1", role.map(String::from))
        .and_some(
            "(u.login LIKE ?1 OR p.name LIKE ?1 OR c.name LIKE ?1)",
            search.as_deref().map(like),
        )
        .page(
            pool,
            "u.id, u.login, u.role, COALESCE(p.name, c.name) AS organisation, u.created_at, u.disabled_at",
            "FROM users u LEFT JOIN partners p ON p.id = u.partner_id LEFT JOIN customers c ON c.id = u.customer_id",
            "u.login",
            page,
        )
        .await
}

query_fn! {
    /// Disables an enabled account (`true` when it changed).
    pub fn disable(conn, id: i64, now: i64) -> changed =
        query("UPDATE users SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL");

    /// Enables a disabled account.
    pub fn enable(conn, id: i64) -> changed =
        query("UPDATE users SET disabled_at = NULL WHERE id = $1 AND disabled_at IS NOT NULL");

    /// A disabled account's API tokens end with it.
    pub fn drop_tokens(conn, id: i64) -> count =
        query("DELETE FROM api_tokens WHERE user_id = $1");

    /// Whether the account exists.
    pub fn account_exists(conn, id: i64) -> one i64 =
        query_scalar("SELECT COUNT(*) FROM users WHERE id = $1");

    /// The distinct actions in the trail, for the filter's choices.
    pub fn actions() -> all String =
        query_scalar("SELECT DISTINCT action FROM audit_log ORDER BY action");

    /// A failed delivery goes back to pending, due now, with its attempts reset.
    pub fn retry(conn, id: i64, now: i64) -> changed =
        query("UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $2, updated_at = $2 \
             WHERE id = $1 AND state = 'failed'");
}

/// A picker's choices: names (or logins) containing `search`, or the id it is, best first.
pub async fn pick(pool: &Pool, kind: PickKind, search: &str) -> Result<Vec<Pick>, sqlx::Error> {
    let id = search.trim().parse::<i64>().unwrap_or(-1);
    let sql = match kind {
        PickKind::Partner | PickKind::Distributor => {
            "SELECT id, name AS label, kind AS detail FROM partners \
             WHERE (name LIKE $1 OR id = $2) AND ($3 = 0 OR kind = 'distributor') \
             ORDER BY id = $2 DESC, LENGTH(name), name LIMIT $4"
        }
        PickKind::Customer => {
            "SELECT c.id, c.name AS label, COALESCE(p.name, '') AS detail FROM customers c \
             LEFT JOIN partners p ON p.id = c.partner_id \
             WHERE (c.name LIKE $1 OR c.id = $2) AND $3 = $3 \
             ORDER BY c.id = $2 DESC, LENGTH(c.name), c.name LIMIT $4"
        }
        PickKind::Personal => {
            "SELECT id, login AS label, site AS detail FROM users \
             WHERE role = 'personal' AND (login LIKE $1 OR id = $2) AND $3 = $3 \
             ORDER BY id = $2 DESC, LENGTH(login), login LIMIT $4"
        }
    };
    sqlx::query_as(sql)
        .bind(like(search.trim()))
        .bind(id)
        .bind(i64::from(kind == PickKind::Distributor))
        .bind(PICKS)
        .fetch_all(pool)
        .await
}

/// A partner's row for its detail page.
pub type PartnerRow = (
    i64,
    String,
    crate::domain::PartnerKind,
    crate::domain::HcpnState,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

query_fn! {
    /// (id, name, kind, HCPN state, parent id, parent name, email, phone, created at).
    pub fn partner(id: i64) -> optional PartnerRow =
        query_as("SELECT p.id, p.name, p.kind, p.hcpn_state, p.parent_id, pp.name, p.email, p.phone, p.created_at \
                  FROM partners p LEFT JOIN partners pp ON pp.id = p.parent_id WHERE p.id = $1");

    /// Its plan certificates, newest first.
    pub fn certificates(partner: i64) -> all super::model::HeldCertificate =
        query_as("SELECT number, subject, issued_at, expires_at, revoked_at FROM certificates \
                  WHERE partner_id = $1 AND subject_kind = 'plan' ORDER BY issued_at DESC");

    /// Its path certifications.
    pub fn path_certifications(partner: i64) -> all super::model::HeldPath =
        query_as("SELECT path, stage, state, valid_until FROM path_certifications \
                  WHERE partner_id = $1 ORDER BY path, stage");

    /// How many customers it is associated with now.
    pub fn customer_count(partner: i64) -> one i64 =
        query_scalar("SELECT COUNT(*) FROM customers WHERE partner_id = $1");

    /// A distributor's resellers.
    pub fn resellers(partner: i64) -> all (i64, String) =
        query_as("SELECT id, name FROM partners WHERE parent_id = $1 ORDER BY name");
}
