//! Vouchers (券管理): coupon quotas (代金券额度) and pickup-voucher quotas (提货券额度), the coupons
//! and pickup vouchers partners issue from them to their customers, distributors' quotas for
//! their resellers, and the operation log (操作记录).
//!
//! Invariants:
//! - Amounts are integer fen; no quota or coupon balance is ever negative, and no balance exceeds
//!   what it started with (CHECK constraints back the service's checks).
//! - Conservation, per quota: balance = value − Σ issued (1) + Σ returned from its coupons
//!   (2 手动回收, 3 解绑自动回收, 4 过期回收, 5 退订回收) − Σ given to resellers (10) + Σ taken back
//!   (11). Per coupon: balance = face − Σ uses − Σ reclaimed (2, 3, 4). Every change of a balance
//!   is written with its operation record in the same transaction; records are never changed.
//! - A quota can issue only while it is 正常 (0) and inside its validity; 额度调整中 (4) is visible
//!   but cannot issue; 冻结 (5) and 失效 (3) cannot either. A coupon's face value is > 0, at most
//!   the quota's single-coupon limit, and the quota must cover face × customers. A coupon lives
//!   inside its quota's validity and inherits its service-type and product limits (a coupon may
//!   narrow them, never widen them); at most 10 service types and 10 products.
//! - Coupons (代金券) go only to the partner's own resale (代售) customers, at most 10 at once on
//!   the page and 100 through the API; pickup vouchers (提货券) only to the partner's customers on
//!   its pickup whitelist. Quotas for resellers only from a distributor to its own resellers.
//! - The pickup whitelist is granted by an operator, per partner and only with that partner's
//!   resale customers, each change audited; the partner reads it and cannot change it (else
//!   "only whitelisted customers" would restrict nothing). Entries a partner added itself before
//!   this rule were kept: they were granted in good faith, and an operator can remove them.
//! - Reclaim takes the whole remaining balance of a usable coupon back to its quota; a coupon that
//!   is used, expired or reclaimed cannot be reclaimed (nor a reseller quota that is not 正常).
//!   A batch is reclaimed all or nothing.
//! - Expiry is by time: from its expiry instant a coupon shows 已过期 and cannot be used or
//!   reclaimed; the sweep then returns its balance to the quota with a 过期回收 record.
//! - Each issuing or reclaiming request carries a transaction id, unique per partner: a retry with
//!   the same id and request returns the first result and changes nothing; the same id with a
//!   different request is refused.
//! - A customer pays at most one coupon per order (its own, usable, inside its validity and
//!   limits, the order at least its minimum): the deduction is min(balance, order) and the rest
//!   is paid from the balance, in the payment's transaction. A coupon with nothing left is
//!   已使用. When such an order is unsubscribed, only the paid part is refunded; the coupon's
//!   part returns to its quota (5 退订回收).
//! - Error codes (the reference names the failures, not their codes): CBC.30000010 quota not
//!   found, CBC.30000011 quota not usable (失效/调整中/冻结), CBC.30000012 quota insufficient,
//!   CBC.30000013 face value or validity out of range, CBC.30000014 too many customers,
//!   CBC.5021 not a resale customer, CBC.50000021 not the partner's customer, CBC.30000015
//!   coupon already used/expired/reclaimed, CBC.30000016 not on the pickup whitelist,
//!   CBC.30000017 coupon not found, CBC.30000018 coupon does not apply to the order. Each is a
//!   variant of [`VoucherError`], which carries its key and code.
//! - A partner sees and acts on its own quotas, coupons and records only; a customer sees its own
//!   coupons only.

pub mod api;
mod error;
pub use error::VoucherError;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod service;
pub mod text;
