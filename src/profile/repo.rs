//! SQL of account self-service: the user's contact details, password and session epoch.

use crate::query_fn;

query_fn! {
    /// (login, role, email, phone, partner id, partner name, partner email, partner phone).
    pub fn profile(user: i64) -> optional (String, String, Option<String>, Option<String>, Option<i64>, Option<String>, Option<String>, Option<String>) =
        query_as("SELECT u.login, u.role, u.email, u.phone, p.id, p.name, p.email, p.phone \
                  FROM users u LEFT JOIN partners p ON p.id = u.partner_id WHERE u.id = $1");

    pub fn password_hash(user: i64) -> optional String =
        query_scalar("SELECT password_hash FROM users WHERE id = $1 AND disabled_at IS NULL");

    /// Sets the password (and whether it must be changed at the next sign-in) and moves the
    /// user's session epoch on (ending its sessions); returns the new epoch. An invited member
    /// given a password this way (a reset link to its address) has joined.
    pub fn set_password(conn, user: i64, hash: &str, must_change: i64) -> optional i64 =
        query_scalar("UPDATE users SET password_hash = $2, must_change_password = $3, invite_pending = 0, \
                      session_epoch = session_epoch + 1 WHERE id = $1 RETURNING session_epoch");

    pub fn set_contact(conn, user: i64, email: Option<&str>, phone: Option<&str>) -> changed =
        query("UPDATE users SET email = $2, phone = $3 WHERE id = $1");

    /// A confirmed address becomes the user's email unless it has one.
    pub fn set_email_if_empty(conn, user: i64, email: &str) -> done =
        query("UPDATE users SET email = $2 WHERE id = $1 AND email IS NULL");

    /// Who a forgotten-password link goes to: (id, login, lang, email) of an enabled account;
    /// the email is the user's own, or for a partner user without one, its partner's.
    pub fn reset_target(conn, login: &str) -> optional (i64, String, String, Option<String>) =
        query_as("SELECT u.id, u.login, u.lang, COALESCE(u.email, p.email) FROM users u \
                  LEFT JOIN partners p ON p.id = u.partner_id \
                  WHERE u.login = $1 AND u.disabled_at IS NULL");

    /// Forgotten-password requests from one address since `since` (counted in the audit trail).
    pub fn requests_from(conn, ip: &str, since: i64) -> one i64 =
        query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'login.forgot' AND ip = $1 AND at >= $2");

    /// Serialises requests from one address on PostgreSQL (SQLite writes are serial).
    pub fn lock_address(conn, ip: &str) -> done =
        query("SELECT pg_advisory_xact_lock(4, hashtext($1))");

    /// (login, role) of a user, for the operator's reset.
    pub fn user(conn, user: i64) -> optional (String, String) =
        query_as("SELECT login, role FROM users WHERE id = $1");
}
