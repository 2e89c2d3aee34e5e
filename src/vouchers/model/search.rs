//! What a list of quotas or coupons can be narrowed to: the open API's filters (the console's
//! pages use the defaults). Bounds are inclusive unix ms; `None` does not filter.

use super::CouponStatus;

/// Inclusive bounds in unix ms, each open when `None`.
pub type Span = (Option<i64>, Option<i64>);

/// Filters of a quota list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuotaSearch {
    /// The quotas a distributor gave its resellers, instead of the partner's own.
    pub issued: bool,
    /// Only these quotas (an empty list matches none).
    pub ids: Option<Vec<i64>>,
    /// Only quotas in these statuses as seen now (codes; an empty list matches none).
    pub statuses: Option<Vec<i64>>,
    pub quota_type: Option<i64>,
    /// Only quotas a reseller holds (given by its distributor).
    pub reseller: Option<i64>,
    pub parent: Option<i64>,
    pub created: Span,
    pub effective: Span,
    pub expires: Span,
}

/// Filters of a coupon list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CouponSearch {
    pub status: Option<CouponStatus>,
    pub id: Option<i64>,
    pub customer: Option<i64>,
    pub created: Span,
    pub effective: Span,
    pub expires: Span,
}
