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
    /// Number or customer name contains (a LIKE pattern, see `server::sql::like_pattern`), or
    /// empty.
    pub text: String,
    /// Only coupons of this quota.
    pub quota: Option<i64>,
    /// The list's order (`expires`, `face`, `balance`, `created`).
    pub sort: crate::domain::SortBy,
}

/// The issued-coupon list's filters as its link gives them (missing reads as empty): status
/// code, number or customer name, quota id, expiry days (`YYYY-MM-DD`, inclusive), sort, page
/// and its size.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CouponQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub quota: String,
    #[serde(default)]
    pub expires_from: String,
    #[serde(default)]
    pub expires_to: String,
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub dir: String,
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub size: String,
}

impl CouponQuery {
    /// The query of a link, read through `get` (a page's query map or an export's request).
    pub fn read(get: impl Fn(&str) -> String) -> CouponQuery {
        CouponQuery {
            status: get("status"),
            q: get("q"),
            quota: get("quota"),
            expires_from: get("expires_from"),
            expires_to: get("expires_to"),
            sort: get("sort"),
            dir: get("dir"),
            page: get("page"),
            size: get("size"),
        }
    }

    /// The search it asks for; a malformed status, quota or day is refused.
    #[cfg(feature = "ssr")]
    pub fn search(&self) -> Result<CouponSearch, crate::error::AppError> {
        use crate::error::AppError;
        let code = |s: &str| s.trim().parse().ok().and_then(CouponStatus::from_code);
        let status = crate::domain::optional(
            &self.status,
            code,
            crate::vouchers::error::VoucherError::Status.invalid(),
        )?;
        let quota =
            crate::domain::optional(&self.quota, |s| s.trim().parse().ok(), AppError::BadRequest)?;
        let from = crate::domain::parse_day(&self.expires_from, false)?;
        // The end of the last day, inclusive as the other bounds are.
        let to = crate::domain::parse_day(&self.expires_to, true)?.map(|t| t - 1);
        Ok(CouponSearch {
            status,
            quota,
            expires: (from, to),
            text: crate::server::sql::like_pattern(&self.q),
            sort: crate::domain::SortBy::parse(&self.sort, &self.dir),
            ..CouponSearch::default()
        })
    }
}
