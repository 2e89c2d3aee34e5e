//! SQL of the message center.

use crate::domain::PageRequest;
use crate::query_fn;
use crate::server::db::Pool;
use crate::server::sql::Where;
use sqlx::FromRow;

#[derive(FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub kind: String,
    pub params: String,
    pub link: Option<String>,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// See [`partner_reach`].
#[derive(FromRow)]
pub struct PartnerReach {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub by_email: Option<i64>,
    pub by_sms: Option<i64>,
    pub lang: Option<String>,
}

query_fn! {
    pub fn insert(user: i64, kind: &str, params: &str, link: Option<&str>, now: i64) -> done =
        query("INSERT INTO messages (user_id, kind, params, link, created_at) VALUES ($1, $2, $3, $4, $5)");

    /// The same message to every account of a partner (its partner-role users), in one
    /// statement.
    pub fn insert_for_partner(conn, partner: i64, kind: &str, params: &str, link: Option<&str>, now: i64) -> done =
        query("INSERT INTO messages (user_id, kind, params, link, created_at) \
             SELECT id, $2, $3, $4, $5 FROM users WHERE partner_id = $1 AND role = 'partner' ORDER BY id");

    /// The same message to every account of a customer, in one statement.
    pub fn insert_for_customer(conn, customer: i64, kind: &str, params: &str, link: Option<&str>, now: i64) -> done =
        query("INSERT INTO messages (user_id, kind, params, link, created_at) \
             SELECT id, $2, $3, $4, $5 FROM users WHERE customer_id = $1 AND role = 'customer' ORDER BY id");

    /// Where a partner hears of `category` beyond the message center, in one statement: its
    /// contact email and mobile number, its administrator's (first partner user's) channel
    /// choices for the category if made, and its first user's language.
    pub fn partner_reach(conn, partner: i64, category: &str) -> optional PartnerReach =
        query_as("SELECT p.email, p.phone, n.email AS by_email, n.sms AS by_sms, \
               (SELECT u.lang FROM users u WHERE u.partner_id = p.id ORDER BY u.id LIMIT 1) AS lang \
             FROM partners p LEFT JOIN notification_prefs n ON n.category = $2 AND n.user_id = \
               (SELECT MIN(u.id) FROM users u WHERE u.partner_id = p.id AND u.role = 'partner') \
             WHERE p.id = $1");

    /// A user's channel choices: (category, email, sms), for the categories it changed.
    pub fn prefs(user: i64) -> all (String, i64, i64) =
        query_as("SELECT category, email, sms FROM notification_prefs WHERE user_id = $1");

    pub fn set_pref(conn, user: i64, category: &str, email: i64, sms: i64) -> done =
        query("INSERT INTO notification_prefs (user_id, category, email, sms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, category) DO UPDATE SET email = excluded.email, sms = excluded.sms");

    /// The channel choices of a partner's administrator (its first user) for `category`.
    pub fn partner_pref(conn, partner: i64, category: &str) -> optional (i64, i64) =
        query_as("SELECT n.email, n.sms FROM notification_prefs n \
             WHERE n.category = $2 AND n.user_id = \
               (SELECT MIN(u.id) FROM users u WHERE u.partner_id = $1 AND u.role = 'partner')");

    /// A user's own channel choices for `category`, if it made them.
    pub fn user_pref(conn, user: i64, category: &str) -> optional (i64, i64) =
        query_as("SELECT email, sms FROM notification_prefs WHERE user_id = $1 AND category = $2");

    /// A user's own email, mobile number and language; nothing for a disabled account.
    pub fn user_contact(conn, user: i64) -> optional (Option<String>, Option<String>, String) =
        query_as("SELECT email, phone, lang FROM users WHERE id = $1 AND disabled_at IS NULL");

    /// The user ids of a customer's accounts.
    pub fn customer_users(customer: i64) -> all i64 =
        query_scalar("SELECT id FROM users WHERE customer_id = $1 AND role = 'customer' ORDER BY id");

}

/// The user's messages, newest first; `kinds` empty is every kind.
pub async fn list(
    pool: &Pool,
    user: i64,
    unread_only: bool,
    kinds: &[&str],
    search: &super::service::Search,
    page: PageRequest,
) -> Result<(Vec<MessageRow>, i64), sqlx::Error> {
    let w = Where::new()
        .and("user_id = ?1", user)
        .and_text_in("kind", kinds);
    let w = if search.like.is_empty() {
        w
    } else {
        // The parameters' text, or a kind whose title matched (bound, `?2`…).
        let marks: Vec<String> = (2..search.titled.len() + 2)
            .map(|i| format!("?{i}"))
            .collect();
        let titled = if marks.is_empty() {
            String::new()
        } else {
            format!(" OR kind IN ({})", marks.join(", "))
        };
        let mut args = vec![crate::server::sql::Arg::from(search.like.as_str())];
        args.extend(
            search
                .titled
                .iter()
                .map(|k| crate::server::sql::Arg::from(*k)),
        );
        w.and_args(&format!("LOWER(params) LIKE ?1 ESCAPE '\\'{titled}"), args)
    };
    let w = if unread_only {
        w.and_sql("read_at IS NULL")
    } else {
        w
    };
    w.page(
        pool,
        "id, kind, params, link, created_at, read_at",
        "FROM messages",
        "created_at DESC, id DESC",
        page,
    )
    .await
}

query_fn! {
    pub fn unread(user: i64) -> one i64 =
        query_scalar("SELECT COUNT(*) FROM messages WHERE user_id = $1 AND read_at IS NULL");

    /// Marks one of the user's messages read; `false` when the user has no such message.
    pub fn mark_read(user: i64, id: i64, now: i64) -> changed =
        query("UPDATE messages SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3")
        binding (now, id, user);

    pub fn mark_all_read(user: i64, now: i64) -> count =
        query("UPDATE messages SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        binding (now, user);
}
