//! SQL of the workbench: one query answers every count and figure of a partner's landing page.

use crate::query_fn;
use sqlx::FromRow;

/// A partner's counts and figures as the records say (fen for money).
#[derive(FromRow, Debug, Clone, Default, PartialEq)]
pub struct PartnerCounts {
    pub orders_to_pay: i64,
    pub orders_to_pay_fen: i64,
    pub hos: i64,
    pub ho_due: Option<i64>,
    pub plans_returned: i64,
    pub quotas_expiring: i64,
    pub coupons_expiring: i64,
    pub employee_invitations: i64,
    pub member_invitations: i64,
    pub unread: i64,
    pub available_fen: Option<i64>,
    pub allocated_fen: i64,
    pub issued_fen: i64,
    pub used_fen: i64,
    pub customers: i64,
    pub resellers: i64,
}

/// The instants a partner's counts are taken at.
pub struct When {
    pub now: i64,
    /// The end of the "expiring soon" window.
    pub soon: i64,
    pub month_start: i64,
}

query_fn! {
    /// Every count and figure of a partner's workbench; `user` is the reader (unread messages).
    pub fn partner_counts(partner: i64, user: i64, w: &When) -> one PartnerCounts =
        query_as("SELECT \
           (SELECT COUNT(*) FROM orders WHERE partner_id = $1 AND state = 'awaiting_partner') AS orders_to_pay, \
           (SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM orders \
              WHERE partner_id = $1 AND state = 'awaiting_partner') AS orders_to_pay_fen, \
           (SELECT COUNT(*) FROM opportunities WHERE partner_id = $1 AND direction = 'ho' AND ho_state = 'pending') AS hos, \
           (SELECT MIN(respond_by) FROM opportunities WHERE partner_id = $1 AND direction = 'ho' AND ho_state = 'pending') AS ho_due, \
           (SELECT COUNT(*) FROM plan_applications a WHERE a.partner_id = $1 AND a.state = 'rejected' \
              AND NOT EXISTS (SELECT 1 FROM plan_applications b WHERE b.partner_id = a.partner_id AND b.plan = a.plan AND b.id > a.id)) AS plans_returned, \
           (SELECT COUNT(*) FROM coupon_quotas WHERE partner_id = $1 AND status = 0 AND balance_fen > 0 \
              AND expires_at > $3 AND expires_at <= $4) AS quotas_expiring, \
           (SELECT COUNT(*) FROM coupons WHERE partner_id = $1 AND status = 2 AND expires_at > $3 AND expires_at <= $4) AS coupons_expiring, \
           (SELECT COUNT(*) FROM employee_links WHERE partner_id = $1 AND state = 'pending') AS employee_invitations, \
           (SELECT COUNT(*) FROM users WHERE partner_id = $1 AND invite_pending = 1 AND disabled_at IS NULL) AS member_invitations, \
           (SELECT COUNT(*) FROM messages WHERE user_id = $2 AND read_at IS NULL) AS unread, \
           (SELECT balance_fen - designated_fen FROM fund_accounts WHERE partner_id = $1) AS available_fen, \
           (SELECT CAST(COALESCE(SUM(t.amount_fen), 0) AS BIGINT) FROM fund_transfers t \
              JOIN fund_accounts f ON f.id = t.from_account JOIN fund_accounts c ON c.id = t.to_account \
              WHERE f.partner_id = $1 AND c.owner = 'customer' AND t.operation = 'BEADJUST' AND t.created_at >= $5) AS allocated_fen, \
           (SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM voucher_records \
              WHERE partner_id = $1 AND kind = 'coupon' AND operation = 1 AND created_at >= $5) AS issued_fen, \
           (SELECT CAST(COALESCE(SUM(u.amount_fen), 0) AS BIGINT) FROM coupon_uses u JOIN coupons c ON c.id = u.coupon_id \
              WHERE c.partner_id = $1 AND u.created_at >= $5) AS used_fen, \
           (SELECT COUNT(*) FROM customers WHERE partner_id = $1) AS customers, \
           (SELECT COUNT(*) FROM partners WHERE parent_id = $1) AS resellers")
        binding (partner, user, w.now, w.soon, w.month_start);
}

/// The programme's queues and money, as the records say (fen for money).
#[derive(FromRow, Debug, Clone, Default, PartialEq)]
pub struct ProgrammeCounts {
    pub onboarding: i64,
    pub plans: i64,
    pub paths: i64,
    pub contracts: i64,
    pub funding: i64,
    pub failed: i64,
    pub funded_fen: i64,
    pub held_partners_fen: i64,
    pub held_customers_fen: i64,
    /// The ledger's sum over the same accounts: what every entry ever written adds up to.
    pub ledger_fen: i64,
}

query_fn! {
    /// The operator's queues (what waits for a decision) and the programme's money.
    pub fn programme_counts(month_start: i64) -> one ProgrammeCounts =
        query_as("SELECT \
           (SELECT COUNT(*) FROM onboarding_applications WHERE state = 'pending') AS onboarding, \
           (SELECT COUNT(*) FROM plan_applications WHERE state = 'pending') AS plans, \
           (SELECT COUNT(*) FROM path_applications WHERE state = 'pending') \
             + (SELECT COUNT(*) FROM path_evidence WHERE state = 'pending') AS paths, \
           (SELECT COUNT(*) FROM contract_applications WHERE state = 'submitted') AS contracts, \
           (SELECT COUNT(*) FROM funding_requests WHERE state = 'pending') AS funding, \
           (SELECT COUNT(*) FROM outbox WHERE state = 'failed') AS failed, \
           (SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM fund_transfers \
              WHERE operation = 'FUND' AND created_at >= $1) AS funded_fen, \
           (SELECT CAST(COALESCE(SUM(balance_fen), 0) AS BIGINT) FROM fund_accounts WHERE owner = 'partner') AS held_partners_fen, \
           (SELECT CAST(COALESCE(SUM(balance_fen), 0) AS BIGINT) FROM fund_accounts WHERE owner = 'customer') AS held_customers_fen, \
           (SELECT CAST(COALESCE(SUM(e.amount_fen), 0) AS BIGINT) FROM fund_entries e \
              JOIN fund_accounts a ON a.id = e.account_id WHERE a.owner IN ('partner', 'customer')) AS ledger_fen");

    /// Partners by kind and HCPN state: (kind, state, count).
    pub fn partners_by_kind() -> all (String, String, i64) =
        query_as("SELECT kind, hcpn_state, COUNT(*) FROM partners GROUP BY kind, hcpn_state ORDER BY kind, hcpn_state");
}

/// A customer's counts and figures (fen for money).
#[derive(FromRow, Debug, Clone, Default, PartialEq)]
pub struct CustomerCounts {
    pub unpaid: i64,
    pub unpaid_fen: i64,
    pub awaiting_partner: i64,
    pub awaiting_partner_fen: i64,
    pub coupons_expiring: i64,
    pub unread: i64,
    pub available_fen: Option<i64>,
}

query_fn! {
    /// Every count and figure of a customer's home page; `user` is the reader.
    pub fn customer_counts(customer: i64, user: i64, now: i64, soon: i64) -> one CustomerCounts =
        query_as("SELECT \
           (SELECT COUNT(*) FROM orders WHERE customer_id = $1 AND state = 'pending_payment') AS unpaid, \
           (SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM orders \
              WHERE customer_id = $1 AND state = 'pending_payment') AS unpaid_fen, \
           (SELECT COUNT(*) FROM orders WHERE customer_id = $1 AND state = 'awaiting_partner') AS awaiting_partner, \
           (SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM orders \
              WHERE customer_id = $1 AND state = 'awaiting_partner') AS awaiting_partner_fen, \
           (SELECT COUNT(*) FROM coupons WHERE customer_id = $1 AND status = 2 AND expires_at > $3 AND expires_at <= $4) AS coupons_expiring, \
           (SELECT COUNT(*) FROM messages WHERE user_id = $2 AND read_at IS NULL) AS unread, \
           (SELECT balance_fen - designated_fen FROM fund_accounts WHERE customer_id = $1) AS available_fen");
}

query_fn! {
    /// The partner's balance before `since` (day −1) and after the last entry of each day since
    /// (day number in China time), for the balance chart.
    pub fn balance_closes(partner: i64, since: i64) -> all (i64, i64) =
        query_as("SELECT -1 AS day, COALESCE((SELECT e.balance_after_fen FROM fund_entries e \
              JOIN fund_accounts a ON a.id = e.account_id \
              WHERE a.partner_id = $1 AND e.created_at < $2 ORDER BY e.id DESC LIMIT 1), 0) AS bal \
           UNION ALL \
           SELECT d.day, f.balance_after_fen FROM \
             (SELECT (e.created_at + 28800000) / 86400000 AS day, MAX(e.id) AS last FROM fund_entries e \
                JOIN fund_accounts a ON a.id = e.account_id \
                WHERE a.partner_id = $1 AND e.created_at >= $2 \
                GROUP BY (e.created_at + 28800000) / 86400000) d \
             JOIN fund_entries f ON f.id = d.last \
           ORDER BY 1");

    /// Per day since `since`: what the partner allocated (拨款, to customers and resellers) and
    /// reclaimed (回收).
    pub fn daily_flows(partner: i64, since: i64) -> all (i64, i64, i64) =
        query_as("SELECT (t.created_at + 28800000) / 86400000 AS day, \
             CAST(SUM(CASE WHEN t.operation = 'BEADJUST' AND t.from_account = a.id THEN t.amount_fen ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN t.operation = 'BERETRIEVE' AND t.to_account = a.id THEN t.amount_fen ELSE 0 END) AS BIGINT) \
           FROM fund_accounts a JOIN fund_transfers t ON t.from_account = a.id OR t.to_account = a.id \
           WHERE a.partner_id = $1 AND t.created_at >= $2 \
           GROUP BY (t.created_at + 28800000) / 86400000 ORDER BY 1");

    /// Per day since `since`: the partner's customers' orders paid (and not refunded) by the
    /// customer itself and by the partner (伙伴代付), by the day they were paid.
    pub fn daily_paid_orders(partner: i64, since: i64) -> all (i64, i64, i64) =
        query_as("SELECT (updated_at + 28800000) / 86400000 AS day, \
             CAST(SUM(CASE WHEN payer = 'customer' THEN amount_fen ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN payer = 'partner' THEN amount_fen ELSE 0 END) AS BIGINT) \
           FROM orders WHERE partner_id = $1 AND state = 'paid' AND updated_at >= $2 \
           GROUP BY (updated_at + 28800000) / 86400000 ORDER BY 1");

    /// The partner's current quotas (not expired nor invalid), newest first, at most `n`: each
    /// one's id, what has gone out of it (issued and not returned) and what remains.
    pub fn quota_use(partner: i64, now: i64, n: i64) -> all (i64, i64, i64) =
        query_as("SELECT id, value_fen - balance_fen, balance_fen FROM coupon_quotas \
           WHERE partner_id = $1 AND status <> 3 AND expires_at > $2 ORDER BY id DESC LIMIT $3");
}
