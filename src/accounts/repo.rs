//! SQL of the accounts domain. Nothing else in the crate touches these tables.

use super::model::{CustomerSummary, PartnerListItem, PartnerSummary, SessionUser};
use crate::domain::PageRequest;
use crate::domain::{CustomerMode, HcpnState, PartnerKind, Role};
use crate::members::model::MemberRole;
use crate::query_fn;
use crate::server::db::Pool;
use crate::server::sql::Where;
use sqlx::FromRow;

/// An argon2id hash in PHC format. Deliberately neither `Serialize` nor printable.
pub struct PasswordHash(pub String);

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(***)")
    }
}

pub struct Credentials {
    pub user_id: i64,
    pub hash: PasswordHash,
    /// An operator disabled the account.
    pub disabled: bool,
}

pub async fn credentials(pool: &Pool, login: &str) -> Result<Option<Credentials>, sqlx::Error> {
    let row: Option<(i64, String, Option<i64>)> =
        sqlx::query_as("SELECT id, password_hash, disabled_at FROM users WHERE login = $1")
            .bind(login)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(user_id, hash, disabled_at)| Credentials {
        user_id,
        hash: PasswordHash(hash),
        disabled: disabled_at.is_some(),
    }))
}

#[derive(FromRow)]
struct SessionUserRow {
    id: i64,
    login: String,
    role: String,
    p_id: Option<i64>,
    p_name: Option<String>,
    p_kind: Option<String>,
    p_hcpn: Option<String>,
    p_parent: Option<String>,
    c_id: Option<i64>,
    c_name: Option<String>,
    c_mode: Option<String>,
    c_partner_id: Option<i64>,
    c_partner_name: Option<String>,
    unread: i64,
    session_epoch: i64,
    must_change_password: i64,
    member_role: Option<String>,
}

/// An enabled user by id. With `epoch` (a browser session's), only while the user's sessions are
/// still in that epoch: a password change moves it on and ends the other sessions.
pub async fn session_user(
    pool: &Pool,
    user_id: i64,
    epoch: Option<i64>,
) -> Result<Option<SessionUser>, sqlx::Error> {
    let row: Option<SessionUserRow> = sqlx::query_as(
        "SELECT u.id, u.login, u.role, u.session_epoch, u.must_change_password, u.member_role, \
                p.id AS p_id, p.name AS p_name, p.kind AS p_kind, p.hcpn_state AS p_hcpn, \
                pp.name AS p_parent, \
                c.id AS c_id, c.name AS c_name, c.mode AS c_mode, \
                cp.id AS c_partner_id, cp.name AS c_partner_name, \
                (SELECT COUNT(*) FROM messages m WHERE m.user_id = u.id AND m.read_at IS NULL) AS unread \
         FROM users u \
         LEFT JOIN partners p ON p.id = u.partner_id \
         LEFT JOIN partners pp ON pp.id = p.parent_id \
         LEFT JOIN customers c ON c.id = u.customer_id \
         LEFT JOIN partners cp ON cp.id = c.partner_id \
         WHERE u.id = $1 AND u.disabled_at IS NULL",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    let Some(r) = row.filter(|r| epoch.is_none_or(|e| e == r.session_epoch)) else {
        return Ok(None);
    };
    let Some(role) = Role::parse(&r.role) else {
        return Ok(None);
    };
    let partner = match (
        r.p_id,
        r.p_name,
        r.p_kind.as_deref().and_then(PartnerKind::parse),
        r.p_hcpn.as_deref().and_then(HcpnState::parse),
        r.member_role.as_deref().and_then(MemberRole::parse),
    ) {
        (Some(id), Some(name), Some(kind), Some(hcpn), Some(member_role)) => Some(PartnerSummary {
            id,
            name,
            kind,
            hcpn,
            parent_name: r.p_parent,
            role: member_role,
        }),
        _ => None,
    };
    let customer = match (
        r.c_id,
        r.c_name,
        r.c_mode.as_deref().and_then(CustomerMode::parse),
        r.c_partner_id,
        r.c_partner_name,
    ) {
        (Some(id), Some(name), mode, partner_id, partner_name) => Some(CustomerSummary {
            id,
            name,
            mode,
            partner_id,
            partner_name,
        }),
        _ => None,
    };
    Ok(Some(SessionUser {
        id: r.id,
        login: r.login,
        role,
        partner,
        customer,
        unread: r.unread,
        must_change_password: r.must_change_password == 1,
        epoch: r.session_epoch,
    }))
}

query_fn! {
    pub fn partner_kind(partner_id: i64) -> optional PartnerKind =
        query_scalar("SELECT kind FROM partners WHERE id = $1");

    pub fn set_lang(conn, user: i64, lang: &str) -> done =
        query("UPDATE users SET lang = $2 WHERE id = $1 AND lang <> $2");

    /// The language of a partner's first user (its administrator).
    pub fn partner_lang(conn, partner: i64) -> optional String =
        query_scalar("SELECT lang FROM users WHERE partner_id = $1 ORDER BY id LIMIT 1");
}

pub struct NewPartnerRow<'a> {
    pub name: &'a str,
    pub kind: PartnerKind,
    pub parent_id: Option<i64>,
    pub hcpn: HcpnState,
    pub email: Option<&'a str>,
    pub now: i64,
}

query_fn! {
    pub fn insert_partner(p: NewPartnerRow<'_>) -> one i64 =
        query_scalar("INSERT INTO partners (name, kind, parent_id, hcpn_state, email, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        binding (p.name, p.kind.as_str(), p.parent_id, p.hcpn.as_str(), p.email, p.now);

    /// Sets the partner's contact email and phone (each only when given); `false` if no such partner.
    pub fn set_partner_contact(partner: i64, email: Option<&str>, phone: Option<&str>) -> changed =
        query("UPDATE partners SET email = COALESCE($1, email), phone = COALESCE($2, phone) WHERE id = $3")
        binding (email, phone, partner);
}

/// A customer, associated with a partner in a mode from the start, or free (to be invited).
pub async fn insert_customer(
    conn: &mut sqlx::AnyConnection,
    link: Option<(i64, CustomerMode)>,
    name: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO customers (partner_id, name, mode, created_at, associated_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(link.map(|l| l.0))
    .bind(name)
    .bind(link.map(|l| l.1.as_str()))
    .bind(now)
    .bind(link.map(|_| now))
    .fetch_one(&mut *conn)
    .await?;
    if let Some((partner, mode)) = link {
        sqlx::query(
            "INSERT INTO customer_associations (customer_id, partner_id, mode, started_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(partner)
        .bind(mode.as_str())
        .bind(now)
        .execute(conn)
        .await?;
    }
    Ok(id)
}

pub struct NewUserRow<'a> {
    pub login: &'a str,
    pub hash: &'a PasswordHash,
    pub role: Role,
    pub partner_id: Option<i64>,
    pub customer_id: Option<i64>,
    /// The password was set by an operator: to be changed at the first sign-in.
    pub must_change: bool,
    pub now: i64,
}

query_fn! {
    pub fn insert_user(u: NewUserRow<'_>) -> one i64 =
        query_scalar("INSERT INTO users (login, password_hash, role, partner_id, customer_id, must_change_password, created_at, member_role) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        binding (u.login, &u.hash.0, u.role.as_str(), u.partner_id, u.customer_id, i64::from(u.must_change), u.now,
                 (u.role == Role::Partner).then_some(MemberRole::Admin.as_str()));

    pub fn set_personal_profile(user: i64, verified: bool, site: &str) -> done =
        query("UPDATE users SET real_name_verified = $1, site = $2 WHERE id = $3")
        binding (i64::from(verified), site, user);

    /// Sets a personal account's verification flag; its id, or `None` if there is no such
    /// personal account.
    pub fn set_real_name(login: &str, verified: bool) -> optional i64 =
        query_scalar("UPDATE users SET real_name_verified = $1 WHERE login = $2 AND role = 'personal' RETURNING id")
        binding (i64::from(verified), login);

    pub fn user_count() -> one i64 =
        query_scalar("SELECT COUNT(*) FROM users");
}

/// On PostgreSQL, serializes sign-in reservations of one account and of one address across
/// every process until the transaction ends (SQLite's `BEGIN IMMEDIATE` already does).
pub async fn lock_attempts(
    conn: &mut sqlx::AnyConnection,
    account: &str,
    ip: &str,
) -> Result<(), sqlx::Error> {
    // Always the account first, then the address (two lock spaces): no two transactions can
    // wait on each other in a cycle.
    sqlx::query("SELECT pg_advisory_xact_lock(1, hashtext($1))")
        .bind(account)
        .execute(&mut *conn)
        .await?;
    sqlx::query("SELECT pg_advisory_xact_lock(2, hashtext($1))")
        .bind(ip)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Counts the attempts (failed or in progress) of the account and of the address since
/// `since`, and inserts this one if both are under their limits. Returns the new row, or `None`
/// when a limit is reached. Runs inside the caller's write transaction, after [`lock_attempts`].
pub async fn reserve_attempt(
    conn: &mut sqlx::AnyConnection,
    account: &str,
    ip: &str,
    since: i64,
    now: i64,
    limits: (i64, i64),
) -> Result<Option<i64>, sqlx::Error> {
    let (by_account, by_ip): (i64, i64) = sqlx::query_as(
        "SELECT \
           (SELECT COUNT(*) FROM login_failures WHERE account = $1 AND at >= $3), \
           (SELECT COUNT(*) FROM login_failures WHERE ip = $2 AND at >= $3)",
    )
    .bind(account)
    .bind(ip)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?;
    if by_account >= limits.0 || by_ip >= limits.1 {
        return Ok(None);
    }
    let id = sqlx::query_scalar(
        "INSERT INTO login_failures (account, ip, at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(account)
    .bind(ip)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some(id))
}

query_fn! {
    pub fn clear_failures(account: &str) -> done =
        query("DELETE FROM login_failures WHERE account = $1");

    pub fn delete_failures_before(before: i64) -> done =
        query("DELETE FROM login_failures WHERE at < $1");
}

query_fn! {
    // Mailed single-use links (`links`).

    /// Ends the user's unused links of a purpose (a newer one replaces them).
    pub fn end_links(conn, user: i64, purpose: &str, now: i64) -> done =
        query("UPDATE account_links SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL");

    pub fn insert_link(conn, hash: &str, user: i64, purpose: &str, target: &str, now: i64, expires: i64) -> done =
        query("INSERT INTO account_links (token_hash, user_id, purpose, target, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)");

    /// A link by its token's hash: (user, purpose, target, expires_at, used_at).
    pub fn link(conn, hash: &str) -> optional (i64, String, String, i64, Option<i64>) =
        query_as("SELECT user_id, purpose, target, expires_at, used_at FROM account_links WHERE token_hash = $1");

    /// Uses a link once: only an unused, unexpired one changes.
    pub fn use_link(conn, hash: &str, now: i64) -> changed =
        query("UPDATE account_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2");

    /// Links expired a week ago or more are deleted (housekeeping).
    pub fn purge_links(conn, before: i64) -> count =
        query("DELETE FROM account_links WHERE expires_at < $1");
}

pub use super::audit::AuditEntry;

query_fn! {
    /// Writes one audit entry (in the caller's transaction).
    pub fn audit(e: AuditEntry<'_>, now: i64) -> done =
        query("INSERT INTO audit_log (at, actor_user_id, actor, action, target, ip, detail, channel) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        binding (now, e.actor.user_id, &e.actor.name, e.action, e.target, &e.actor.origin.ip, e.detail, e.actor.origin.channel.as_str());
}

/// The operator's partner list filters: part of the name (or the id), kind, HCPN state, part of
/// the parent distributor's name.
#[derive(Debug, Default)]
pub struct PartnerFilter {
    pub search: Option<String>,
    pub kind: Option<PartnerKind>,
    pub hcpn: Option<HcpnState>,
    pub parent: Option<String>,
}

fn contains(s: &str) -> String {
    format!("%{}%", s.replace(['%', '_'], ""))
}

pub async fn list_partners(
    pool: &Pool,
    f: &PartnerFilter,
    page: PageRequest,
) -> Result<(Vec<PartnerListItem>, i64), sqlx::Error> {
    let mut w = Where::new();
    if let Some(search) = f.search.as_deref() {
        // A number may be the partner's id as well as part of its name.
        let id = search.trim().parse::<i64>().unwrap_or(-1);
        w = w.and_args(
            "(p.name LIKE ?1 OR p.id = ?2)",
            vec![contains(search).into(), id.into()],
        );
    }
    w.and_some("p.kind = ?1", f.kind.map(|k| k.as_str().to_string()))
        .and_some("p.hcpn_state = ?1", f.hcpn.map(|h| h.as_str().to_string()))
        .and_some("pp.name LIKE ?1", f.parent.as_deref().map(contains))
        .page(
            pool,
            "p.id, p.name, p.kind, p.hcpn_state AS hcpn, pp.name AS parent_name, \
             (SELECT COUNT(*) FROM customers c WHERE c.partner_id = p.id) AS customers, p.created_at",
            "FROM partners p LEFT JOIN partners pp ON pp.id = p.parent_id",
            "p.id",
            page,
        )
        .await
}
