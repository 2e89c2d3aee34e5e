//! SQL of partner members: the partner's users, scoped to the partner on every statement.

use super::model::MemberRole;
use crate::query_fn;

/// A new member's row: an invited one (`pending`) has no usable password (`!`) until its
/// invitation link sets one.
pub struct NewMember<'a> {
    pub partner: i64,
    pub login: &'a str,
    pub hash: &'a str,
    pub email: &'a str,
    pub role: MemberRole,
    pub pending: bool,
    pub invited_by: Option<i64>,
    pub now: i64,
}

/// One member as stored: (id, login, email, role, invite pending, disabled at, created at).
pub type MemberRow = (
    i64,
    String,
    Option<String>,
    MemberRole,
    i64,
    Option<i64>,
    i64,
);

query_fn! {
    pub fn insert_member(m: NewMember<'_>) -> one i64 =
        query_scalar("INSERT INTO users (login, password_hash, role, partner_id, email, member_role, \
                      invite_pending, invited_by, created_at) \
                      VALUES ($1, $2, 'partner', $3, $4, $5, $6, $7, $8) RETURNING id")
        binding (m.login, m.hash, m.partner, m.email, m.role, i64::from(m.pending), m.invited_by, m.now);

    /// Every user of a partner, oldest first.
    pub fn members(partner: i64) -> all MemberRow =
        query_as("SELECT id, login, email, member_role, invite_pending, disabled_at, created_at \
                  FROM users WHERE partner_id = $1 AND role = 'partner' ORDER BY id");

    /// One user of the partner.
    pub fn member(conn, partner: i64, user: i64) -> optional MemberRow =
        query_as("SELECT id, login, email, member_role, invite_pending, disabled_at, created_at \
                  FROM users WHERE partner_id = $1 AND id = $2 AND role = 'partner'");


    /// Changes an enabled member's role (`true` when it changed).
    pub fn set_role(conn, partner: i64, user: i64, role: MemberRole) -> changed =
        query("UPDATE users SET member_role = $3 \
               WHERE partner_id = $1 AND id = $2 AND role = 'partner' AND disabled_at IS NULL AND member_role <> $3");

    /// Removes a member: it cannot sign in any more, and its sessions end (the signed-in user is
    /// looked up enabled on every request).
    pub fn remove(conn, partner: i64, user: i64, now: i64) -> changed =
        query("UPDATE users SET disabled_at = $3, session_epoch = session_epoch + 1 \
               WHERE partner_id = $1 AND id = $2 AND role = 'partner' AND disabled_at IS NULL");

    /// The invited member chooses its password (once).
    pub fn activate(conn, user: i64, hash: &str) -> changed =
        query("UPDATE users SET password_hash = $2, invite_pending = 0 \
               WHERE id = $1 AND invite_pending = 1 AND disabled_at IS NULL");

    /// The partner's name, for the invitation.
    pub fn partner_name(conn, partner: i64) -> optional String =
        query_scalar("SELECT name FROM partners WHERE id = $1");
}

query_fn! {
    /// An enabled member's (login, partner name, role), for its invitation.
    pub fn invitation(conn, user: i64) -> optional (String, String, MemberRole) =
        query_as("SELECT u.login, p.name, u.member_role FROM users u JOIN partners p ON p.id = u.partner_id \
                  WHERE u.id = $1 AND u.disabled_at IS NULL AND u.role = 'partner'");
}
