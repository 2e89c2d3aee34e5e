//! SQL of the workbench: one query answers every count and figure of a partner's landing page.

use crate::query_fn;
use sqlx::FromRow;

/// A partner's counts and figures as the records say (fen for money).
#[derive(FromRow, Debug, Clone, Default, PartialEq)]
pub struct PartnerCounts {
    pub orders_to_pay: i64,
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
