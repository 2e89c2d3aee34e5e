//! Wire types and pure rules of vouchers.

use super::VoucherError;
use crate::domain::{Amount, Money};
use serde::{Deserialize, Serialize};

mod search;
pub use search::{CouponQuery, CouponSearch, QuotaSearch, Span};

/// Customers per issue on the page (the API allows 100).
pub const MAX_CUSTOMERS_PAGE: usize = 10;
pub const MAX_CUSTOMERS_API: usize = 100;
/// Service types and products a coupon may name.
pub const MAX_LIMITS: usize = 10;
/// Coupons reclaimed in one request.
pub const MAX_RECLAIM: usize = 100;

/// 代金券 (coupon) or 提货券 (pickup voucher); their quotas have the same kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Coupon,
    Pickup,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Coupon => "coupon",
            Kind::Pickup => "pickup",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "coupon" => Some(Kind::Coupon),
            "pickup" => Some(Kind::Pickup),
            _ => None,
        }
    }

    /// 代金券 / 提货券.
    pub fn label_key(self) -> &'static str {
        match self {
            Kind::Coupon => "voucher.coupon",
            Kind::Pickup => "voucher.pickup",
        }
    }
}

crate::coded! {
    /// A quota's status (`quota_status`).
    pub enum QuotaStatus {
        /// 0 正常
        Normal = 0 => "quota.status.normal",
        /// 3 失效 (expired or set invalid)
        Invalid = 3 => "quota.status.invalid",
        /// 4 额度调整中: visible, cannot issue
        Adjusting = 4 => "quota.status.adjusting",
        /// 5 冻结
        Frozen = 5 => "quota.status.frozen",
    }
}

impl QuotaStatus {
    /// The status as seen at `now`: a 正常 quota past its expiry is 失效.
    pub fn at(self, expires_at: i64, now: i64) -> Self {
        if self == QuotaStatus::Normal && now >= expires_at {
            QuotaStatus::Invalid
        } else {
            self
        }
    }
}

crate::coded! {
    /// A coupon's status.
    pub enum CouponStatus {
        /// 2 可使用
        Usable = 2 => "coupon.status.usable",
        /// 3 已使用
        Used = 3 => "coupon.status.used",
        /// 4 已过期
        Expired = 4 => "coupon.status.expired",
        /// 5 已回收
        Reclaimed = 5 => "coupon.status.reclaimed",
    }
}

impl CouponStatus {
    /// The status as seen at `now`: a usable coupon past its expiry is 已过期 even before the
    /// sweep has recorded it.
    pub fn at(self, expires_at: i64, now: i64) -> Self {
        if self == CouponStatus::Usable && now >= expires_at {
            CouponStatus::Expired
        } else {
            self
        }
    }
}

crate::coded! {
    /// Operation types of the log.
    pub enum Operation {
        /// 1 发放
        Issue = 1 => "voucher.op.1",
        /// 2 手动回收
        Reclaim = 2 => "voucher.op.2",
        /// 3 解绑自动回收
        UnbindReclaim = 3 => "voucher.op.3",
        /// 4 过期回收
        ExpiryReclaim = 4 => "voucher.op.4",
        /// 5 退订回收
        RefundReclaim = 5 => "voucher.op.5",
        /// 10 发放额度 (to a reseller)
        QuotaIssue = 10 => "voucher.op.10",
        /// 11 回收额度 (from a reseller)
        QuotaReclaim = 11 => "voucher.op.11",
    }
}

/// A list of service types or products: comma- or newline-separated codes, deduplicated, at most
/// [`MAX_LIMITS`], each of letters, digits, `.`, `-` and `_` (≤ 64 characters).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Limits(Vec<String>);

impl Limits {
    pub fn parse(raw: &str, too_many: VoucherError) -> Result<Self, VoucherError> {
        let mut items: Vec<String> = Vec::new();
        for part in raw.split([',', '\n', '，']) {
            let p = part.trim();
            if p.is_empty() {
                continue;
            }
            if p.len() > 64
                || !p
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
            {
                return Err(VoucherError::LimitFormat);
            }
            if !items.iter().any(|i| i == p) {
                items.push(p.to_string());
            }
        }
        if items.len() > MAX_LIMITS {
            return Err(too_many);
        }
        Ok(Limits(items))
    }

    /// From the stored form (comma-separated).
    pub fn stored(s: &str) -> Self {
        Limits(
            s.split(',')
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
        )
    }

    pub fn to_stored(&self) -> String {
        self.0.join(",")
    }

    pub fn items(&self) -> &[String] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A coupon's limits within its quota's: an empty list inherits the quota's; a list must be
    /// a subset of a non-empty quota list.
    pub fn within(self, quota: &Limits) -> Option<Limits> {
        if self.is_empty() {
            return Some(quota.clone());
        }
        if quota.is_empty() || self.0.iter().all(|i| quota.0.contains(i)) {
            Some(self)
        } else {
            None
        }
    }

    /// Whether a code passes the limit (an empty limit lets everything pass).
    pub fn allows(&self, code: &str) -> bool {
        self.is_empty() || self.0.iter().any(|i| i == code)
    }
}

/// A free-text remark, at most 200 characters, no control characters except newlines.
pub fn parse_remark(raw: &str) -> Result<String, VoucherError> {
    let s = raw.trim();
    if s.chars().count() > 200 || s.chars().any(|c| c.is_control() && c != '\n') {
        return Err(VoucherError::Remark);
    }
    Ok(s.to_string())
}

/// A list of ids from a form (`1,2 3`) or the API: deduplicated, 1..=`max`.
pub fn parse_ids(raw: &str, max: usize, too_many: VoucherError) -> Result<Vec<i64>, VoucherError> {
    use crate::domain::{IdListError, parse_id_list};
    parse_id_list(raw, &[',', ' ', '\n'], max).map_err(|e| match e {
        IdListError::Malformed => VoucherError::Ids,
        IdListError::Empty => VoucherError::IdsRequired,
        IdListError::TooMany => too_many,
    })
}

/// A date from the form (`YYYY-MM-DD`, China time) as the start (00:00) or, for an expiry, the
/// end (24:00) of that day in unix milliseconds.
pub fn parse_day(raw: &str, end_of_day: bool) -> Result<Option<i64>, VoucherError> {
    crate::domain::parse_day(raw, end_of_day).map_err(|_| VoucherError::Date)
}

/// What a quota is, as far as issuing from it is concerned.
#[derive(Debug, Clone, PartialEq)]
pub struct QuotaFacts {
    pub kind: Kind,
    pub status: QuotaStatus,
    pub balance_fen: i64,
    pub max_face_fen: Option<i64>,
    pub effective_at: i64,
    pub expires_at: i64,
    pub service_types: Limits,
    pub products: Limits,
}

/// An issue request, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueRequest {
    pub quota: i64,
    pub face: Amount,
    pub min_order: Money,
    pub valid_from: Option<i64>,
    pub expires_at: Option<i64>,
    pub service_types: Limits,
    pub products: Limits,
    pub customers: Vec<i64>,
    pub remark: String,
}

impl IssueRequest {
    /// Parses the issue form or API fields; `max_customers` is 10 on the page, 100 in the API.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        quota: &str,
        face: &str,
        min_order: &str,
        valid_from: &str,
        expires: &str,
        service_types: &str,
        products: &str,
        customers: &str,
        remark: &str,
        max_customers: usize,
    ) -> Result<Self, VoucherError> {
        let quota = quota
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|q| *q > 0)
            .ok_or(VoucherError::QuotaNotFound)?;
        let face = Amount::parse(face).map_err(|_| VoucherError::FaceValue)?;
        let min_order = if min_order.trim().is_empty() {
            Money::ZERO
        } else {
            Money::parse(min_order).map_err(|_| VoucherError::MinOrder)?
        };
        Ok(IssueRequest {
            quota,
            face,
            min_order,
            valid_from: parse_day(valid_from, false)?,
            expires_at: parse_day(expires, true)?,
            service_types: Limits::parse(service_types, VoucherError::TooManyServiceTypes)?,
            products: Limits::parse(products, VoucherError::TooManyProducts)?,
            customers: parse_ids(customers, max_customers, VoucherError::TooManyCustomers)
                .map_err(|e| {
                    if e == VoucherError::IdsRequired {
                        VoucherError::CustomersRequired
                    } else {
                        e
                    }
                })?,
            remark: parse_remark(remark)?,
        })
    }
}

/// The coupon terms an issue request gets from a quota, or why not. Pure: the quota as read in
/// the transaction, the request, and the time.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    pub total_fen: i64,
    pub effective_at: i64,
    pub expires_at: i64,
    pub service_types: Limits,
    pub products: Limits,
}

pub fn check_issue(q: &QuotaFacts, r: &IssueRequest, now: i64) -> Result<Terms, VoucherError> {
    if q.status.at(q.expires_at, now) != QuotaStatus::Normal || now < q.effective_at {
        return Err(match q.status.at(q.expires_at, now) {
            QuotaStatus::Adjusting => VoucherError::QuotaAdjusting,
            QuotaStatus::Frozen => VoucherError::QuotaFrozen,
            _ => VoucherError::QuotaInvalid,
        });
    }
    let face = r.face.fen();
    if q.max_face_fen.is_some_and(|m| face > m) {
        return Err(VoucherError::FaceValue);
    }
    let n = i64::try_from(r.customers.len()).map_err(|_| VoucherError::TooManyCustomers)?;
    let total = face.checked_mul(n).ok_or(VoucherError::QuotaInsufficient)?;
    if total > q.balance_fen {
        return Err(VoucherError::QuotaInsufficient);
    }
    let effective_at = r.valid_from.unwrap_or(q.effective_at);
    let expires_at = r.expires_at.unwrap_or(q.expires_at);
    if effective_at < q.effective_at
        || expires_at > q.expires_at
        || expires_at <= effective_at
        || expires_at <= now
    {
        return Err(VoucherError::Validity);
    }
    let service_types = r
        .service_types
        .clone()
        .within(&q.service_types)
        .ok_or(VoucherError::ServiceTypesOutside)?;
    let products = r
        .products
        .clone()
        .within(&q.products)
        .ok_or(VoucherError::ProductsOutside)?;
    Ok(Terms {
        total_fen: total,
        effective_at,
        expires_at,
        service_types,
        products,
    })
}

/// A quota as listed (代金券额度 / 提货券额度 / 已发放代金券额度).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quota {
    pub id: i64,
    pub kind: Kind,
    pub quota_type: i64,
    pub status: QuotaStatus,
    pub value: Money,
    pub balance: Money,
    /// value − balance: issued as coupons or given to resellers, net of what came back.
    pub used: Money,
    pub max_face: Option<Money>,
    pub service_types: Vec<String>,
    pub products: Vec<String>,
    pub effective_at: i64,
    pub expires_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub parent_id: Option<i64>,
    /// For a quota given to a reseller: the reseller.
    pub reseller_id: Option<i64>,
    pub reseller_name: Option<String>,
}

/// A quota in the operator's 额度管理: whose it is, and the quota.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperatorQuota {
    pub partner_id: i64,
    pub partner_name: String,
    pub quota: Quota,
}

/// A coupon or pickup voucher as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coupon {
    pub id: i64,
    pub number: String,
    pub kind: Kind,
    pub quota_id: i64,
    pub partner_name: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub face: Money,
    pub balance: Money,
    pub min_order: Money,
    pub service_types: Vec<String>,
    pub products: Vec<String>,
    pub effective_at: i64,
    pub expires_at: i64,
    pub status: CouponStatus,
    pub remark: String,
    pub created_at: i64,
}

#[cfg(feature = "ssr")]
crate::sql_text!(as_str: Kind);
#[cfg(feature = "ssr")]
crate::sql_code!(Operation);

/// A line of the operation log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Record {
    pub id: i64,
    pub kind: Kind,
    pub operation: Operation,
    pub quota_id: i64,
    pub parent_quota_id: Option<i64>,
    pub coupon_number: Option<String>,
    pub customer_name: Option<String>,
    pub reseller_name: Option<String>,
    #[serde(default)]
    pub reseller_id: Option<i64>,
    #[cfg_attr(feature = "ssr", sqlx(rename = "amount_fen"))]
    pub amount: Money,
    pub remark: String,
    pub actor: String,
    pub created_at: i64,
}

/// A use of a coupon or pickup voucher on an order (提货券使用记录).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Use {
    pub coupon_number: String,
    pub customer_name: String,
    pub order_number: String,
    #[cfg_attr(feature = "ssr", sqlx(rename = "amount_fen"))]
    pub amount: Money,
    pub created_at: i64,
}

/// What an issue or reclaim did: each coupon touched and the amount it moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub items: Vec<OutcomeItem>,
    pub total: Money,
    pub quota_balance_after: Option<Money>,
    pub replayed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeItem {
    pub id: i64,
    pub number: String,
    pub customer_name: String,
    pub amount: Money,
}

/// What an issue would do, for the confirmation step. Moves nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssuePreview {
    pub quota_id: i64,
    pub kind: Kind,
    pub face: Money,
    pub customers: Vec<(i64, String)>,
    pub total: Money,
    pub quota_before: Money,
    pub quota_after: Money,
    pub effective_at: i64,
    pub expires_at: i64,
    pub trans_id: String,
}

/// What a reclaim would take back, for the confirmation. Moves nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReclaimPreview {
    pub coupons: Vec<Coupon>,
    pub quotas: Vec<Quota>,
    pub total: Money,
    pub trans_id: String,
}

/// A customer on the pickup whitelist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhitelistEntry {
    pub customer_id: i64,
    pub customer_name: String,
    pub login: String,
    pub created_at: i64,
}

/// The operator's pickup-whitelist console: the partners to choose from (those with resale
/// customers), and for the chosen partner its whitelist and the resale customers not yet on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhitelistConsole {
    pub partners: Vec<(i64, String)>,
    pub partner: Option<i64>,
    pub entries: Vec<WhitelistEntry>,
    pub candidates: Vec<(i64, String)>,
}

/// The customer's side (我的优惠券).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerCoupons {
    pub coupons: Vec<Coupon>,
    pub pickups: Vec<Coupon>,
}

/// The deduction a coupon gives an order: its balance, never more than the order.
pub fn deduction(balance_fen: i64, order_fen: i64) -> i64 {
    balance_fen.min(order_fen).max(0)
}

#[cfg(test)]
mod tests;
