//! Server functions of 券管理 and 我的优惠券. Lists are read by the pages; every change goes
//! through a preview (moves nothing) and a confirmation carrying a transaction id.
// The issue form's fields are the server functions' arguments, one per form field.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use super::model::Kind;
use super::model::{
    Coupon, CustomerCoupons, IssuePreview, Outcome, Quota, ReclaimPreview, Record, Use,
    WhitelistEntry,
};
use crate::domain::Page;
#[cfg(feature = "ssr")]
use crate::domain::{Amount, Money, PageRequest, Role};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::ctx;
#[cfg(feature = "ssr")]
use crate::vouchers::VoucherError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn kind(raw: &str) -> Result<Kind, AppError> {
    Kind::parse(raw).ok_or(AppError::BadRequest)
}

#[server(prefix = "/api", endpoint = "vouchers/quotas")]
pub async fn list_quotas(kind: String, page: Option<u32>) -> Result<Page<Quota>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::quotas(&cx, self::kind(&kind)?, PageRequest::new(page, None)).await
}

#[server(prefix = "/api", endpoint = "vouchers/issued-quotas")]
pub async fn list_issued_quotas(page: Option<u32>) -> Result<Page<Quota>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::issued_quotas(&cx, PageRequest::new(page, None)).await
}

/// Issued coupons or pickup vouchers as the list's link filters them (see [`CouponQuery`]:
/// status code 2–5, number or customer, quota, expiry days, sort, page and size).
#[server(prefix = "/api", endpoint = "vouchers/coupons")]
pub async fn list_coupons(
    kind: String,
    #[server(flatten)] q: super::model::CouponQuery,
) -> Result<Page<Coupon>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let page = crate::domain::page_of(&q.page, &q.size);
    super::service::coupons(&cx, self::kind(&kind)?, &q, page).await
}

/// 已发放代金券 / 提货券 as CSV or XLSX with the list's filters and order.
#[cfg(feature = "ssr")]
pub async fn coupons_export(
    export: crate::domain::export::PartnerExport,
) -> Result<axum::response::Response, AppError> {
    use crate::domain::export::{Cell, Sheet, respond};
    let kind = kind(export.get("tab"))?;
    let search = super::model::CouponQuery::read(|k| export.get(k).to_string()).search()?;
    let sheet = Sheet {
        name: "coupons",
        header: &[
            "number",
            "kind",
            "quota_id",
            "customer",
            "face",
            "balance",
            "min_order",
            "status",
            "effective_at",
            "expires_at",
            "created_at",
            "remark",
        ],
        row: |c: Coupon| {
            vec![
                c.number.into(),
                c.kind.as_str().into(),
                Cell::Int(c.quota_id),
                c.customer_name.into(),
                c.face.into(),
                c.balance.into(),
                c.min_order.into(),
                Cell::Int(c.status.code()),
                Cell::Time(c.effective_at),
                Cell::Time(c.expires_at),
                Cell::Time(c.created_at),
                c.remark.into(),
            ]
        },
        id: |c| c.id,
    };
    let cx = export.cx;
    respond(export.format, sheet, move |page| {
        let (cx, search) = (cx.clone(), search.clone());
        async move { super::service::search_coupons(&cx, kind, &search, page).await }
    })
    .await
}

#[cfg(feature = "ssr")]
pub fn record_search(
    operation: &str,
    from: &str,
    to: &str,
) -> Result<super::service::RecordSearch, AppError> {
    use super::model::{Operation, parse_day};
    let code = |s: &str| s.parse().ok().and_then(Operation::from_code);
    let operation = crate::domain::optional(operation, code, VoucherError::Operation.invalid())?;
    Ok(super::service::RecordSearch {
        operations: operation.map(|o| vec![o]),
        from_ms: parse_day(from, false)
            .map_err(VoucherError::invalid)?
            .unwrap_or(0),
        to_ms: parse_day(to, true)
            .map_err(VoucherError::invalid)?
            .unwrap_or(i64::MAX),
        ..Default::default()
    })
}

#[server(prefix = "/api", endpoint = "vouchers/records")]
pub async fn list_records(
    kind: String,
    #[server(default)] operation: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    page: Option<u32>,
) -> Result<Page<Record>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let search = record_search(&operation, &from, &to)?;
    super::service::records(
        &cx,
        self::kind(&kind)?,
        &search,
        PageRequest::new(page, None),
    )
    .await
}

#[server(prefix = "/api", endpoint = "vouchers/uses")]
pub async fn list_uses(kind: String, page: Option<u32>) -> Result<Page<Use>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::uses(&cx, self::kind(&kind)?, PageRequest::new(page, None)).await
}

#[server(prefix = "/api", endpoint = "vouchers/whitelist")]
pub async fn list_whitelist() -> Result<Vec<WhitelistEntry>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::whitelist(&cx).await
}

/// Operator: the pickup-whitelist console, for `partner` when one is chosen.
#[server(prefix = "/api", endpoint = "operator/whitelist")]
pub async fn whitelist_console(
    partner: Option<String>,
) -> Result<super::model::WhitelistConsole, AppError> {
    let (db, _) = ctx::caller(Role::Operator).await?;
    let partner = match partner.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => Some(
            p.parse::<i64>()
                .map_err(|_| AppError::invalid("error.partner.not_found"))?,
        ),
    };
    super::service::whitelist_console(&db, partner).await
}

/// Operator: adds (`action` = `add`) or removes (`remove`) one of a partner's resale customers
/// on its pickup whitelist.
#[server(prefix = "/api", endpoint = "operator/whitelist-set")]
pub async fn set_whitelisted(
    partner: i64,
    customer: String,
    action: String,
) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let customer = customer
        .trim()
        .parse::<i64>()
        .map_err(|_| VoucherError::CustomersRequired.invalid())?;
    let add = ctx::choice(&action, "add", "remove")?;
    super::service::set_whitelisted(&cx.db, &cx.actor, partner, customer, add).await?;
    ctx::redirect(&format!("/operator/whitelist?partner={partner}"))
}

/// The issue form's fields as posted (both steps carry them; the page reads them from its URL).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IssueForm {
    pub quota: String,
    pub face: String,
    #[serde(default)]
    pub min_order: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub expires: String,
    #[serde(default)]
    pub service_types: String,
    #[serde(default)]
    pub products: String,
    /// Customer ids, comma-separated.
    #[serde(default)]
    pub customers: String,
    #[serde(default)]
    pub remark: String,
}

#[cfg(feature = "ssr")]
impl IssueForm {
    fn parse(&self) -> Result<super::model::IssueRequest, AppError> {
        super::model::IssueRequest::parse(
            &self.quota,
            &self.face,
            &self.min_order,
            &self.valid_from,
            &self.expires,
            &self.service_types,
            &self.products,
            &self.customers,
            &self.remark,
            super::model::MAX_CUSTOMERS_PAGE,
        )
        .map_err(VoucherError::invalid)
    }
}

/// Step 1 of issuing: what would be issued. Moves nothing.
#[server(prefix = "/api", endpoint = "vouchers/issue-preview")]
pub async fn preview_issue(
    kind: String,
    #[server(flatten)] form: IssueForm,
) -> Result<IssuePreview, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::preview_issue(&cx, self::kind(&kind)?, &form.parse()?).await
}

/// Step 2 of issuing, after the confirmation (idempotent per `trans_id`).
#[server(prefix = "/api", endpoint = "vouchers/issue")]
pub async fn confirm_issue(
    kind: String,
    #[server(flatten)] form: IssueForm,
    trans_id: String,
) -> Result<Outcome, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let kind = self::kind(&kind)?;
    let outcome = super::service::issue(&cx, kind, &form.parse()?, Some(&trans_id)).await?;
    leptos_axum::redirect(&format!(
        "/center/sales/vouchers?tab={}&view=issued&issued={}",
        kind.as_str(),
        outcome.items.len()
    ));
    Ok(outcome)
}

/// Step 1 of reclaiming: the coupons and what each still holds. Moves nothing.
#[server(prefix = "/api", endpoint = "vouchers/reclaim-preview")]
pub async fn preview_reclaim(kind: String, ids: String) -> Result<ReclaimPreview, AppError> {
    use super::model::{MAX_RECLAIM, parse_ids};
    let cx = ctx::acting(&[Role::Partner]).await?;
    let ids = parse_ids(&ids, MAX_RECLAIM, VoucherError::TooMany).map_err(VoucherError::invalid)?;
    let coupons = super::service::preview_reclaim(&cx, self::kind(&kind)?, &ids).await?;
    let total = coupons.iter().fold(crate::domain::Money::ZERO, |t, c| {
        t.checked_add(c.balance).unwrap_or(t)
    });
    Ok(ReclaimPreview {
        coupons,
        quotas: vec![],
        total,
        trans_id: super::service::new_trans_id(),
    })
}

/// Step 2 of reclaiming (all or nothing, idempotent per `trans_id`); the page then shows the
/// amount actually reclaimed.
#[server(prefix = "/api", endpoint = "vouchers/reclaim")]
pub async fn confirm_reclaim(
    kind: String,
    ids: String,
    trans_id: String,
) -> Result<Outcome, AppError> {
    use super::model::{MAX_RECLAIM, parse_ids};
    let cx = ctx::acting(&[Role::Partner]).await?;
    let kind = self::kind(&kind)?;
    let ids = parse_ids(&ids, MAX_RECLAIM, VoucherError::TooMany).map_err(VoucherError::invalid)?;
    let outcome = super::service::reclaim(&cx, kind, &ids, Some(&trans_id)).await?;
    leptos_axum::redirect(&format!(
        "/center/sales/vouchers?tab={}&view=issued&reclaimed={}&count={}",
        kind.as_str(),
        outcome.total,
        outcome.items.len()
    ));
    Ok(outcome)
}

/// A quota for resellers as posted: the distributor's quota, the resellers, the amount each.
#[cfg(feature = "ssr")]
fn quota_grant(
    quota: &str,
    resellers: &str,
    amount: &str,
) -> Result<(i64, Vec<i64>, Amount), AppError> {
    let quota = quota.trim().parse::<i64>();
    let quota = quota.map_err(|_| VoucherError::QuotaNotFound.invalid())?;
    let resellers = super::model::parse_ids(resellers, 20, VoucherError::TooMany);
    let resellers = resellers.map_err(VoucherError::invalid)?;
    Ok((
        quota,
        resellers,
        Amount::parse(amount).map_err(AppError::invalid)?,
    ))
}

/// Step 1 of giving resellers a quota: what would change. Moves nothing.
#[server(prefix = "/api", endpoint = "vouchers/quota-issue-preview")]
pub async fn preview_quota_issue(
    quota: String,
    resellers: String,
    amount: String,
) -> Result<IssuePreview, AppError> {
    use super::model::{IssueRequest, Limits};
    let cx = ctx::acting(&[Role::Partner]).await?;
    let (quota, resellers, amount) = quota_grant(&quota, &resellers, &amount)?;
    let req = IssueRequest {
        quota,
        face: amount,
        min_order: Money::ZERO,
        valid_from: None,
        expires_at: None,
        service_types: Limits::default(),
        products: Limits::default(),
        customers: resellers,
        remark: String::new(),
    };
    super::service::preview_quota_issue(&cx, &req).await
}

#[server(prefix = "/api", endpoint = "vouchers/quota-issue")]
pub async fn confirm_quota_issue(
    quota: String,
    resellers: String,
    amount: String,
    trans_id: String,
) -> Result<Outcome, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let (quota, resellers, amount) = quota_grant(&quota, &resellers, &amount)?;
    let outcome =
        super::service::issue_quota(&cx, quota, &resellers, amount, Some(&trans_id)).await?;
    leptos_axum::redirect(&format!(
        "/center/sales/vouchers?tab=coupon&view=issued-quotas&given={}",
        outcome.total
    ));
    Ok(outcome)
}

/// Step 1 of taking back resellers' quotas: the quotas and their balances. Moves nothing.
#[server(prefix = "/api", endpoint = "vouchers/quota-reclaim-preview")]
pub async fn preview_quota_reclaim(ids: String) -> Result<ReclaimPreview, AppError> {
    use super::model::parse_ids;
    let cx = ctx::acting(&[Role::Partner]).await?;
    let ids = parse_ids(&ids, 20, VoucherError::TooMany).map_err(VoucherError::invalid)?;
    let quotas = super::service::preview_quota_reclaim(&cx, &ids).await?;
    let total = quotas.iter().fold(crate::domain::Money::ZERO, |t, q| {
        t.checked_add(q.balance).unwrap_or(t)
    });
    Ok(ReclaimPreview {
        coupons: vec![],
        quotas,
        total,
        trans_id: super::service::new_trans_id(),
    })
}

#[server(prefix = "/api", endpoint = "vouchers/quota-reclaim")]
pub async fn confirm_quota_reclaim(
    ids: String,
    #[server(default)] remark: String,
    trans_id: String,
) -> Result<Outcome, AppError> {
    use super::model::{parse_ids, parse_remark};
    let cx = ctx::acting(&[Role::Partner]).await?;
    let ids = parse_ids(&ids, 20, VoucherError::TooMany).map_err(VoucherError::invalid)?;
    let remark = parse_remark(&remark).map_err(VoucherError::invalid)?;
    let outcome = super::service::reclaim_quotas(&cx, &ids, &remark, Some(&trans_id)).await?;
    leptos_axum::redirect(&format!(
        "/center/sales/vouchers?tab=coupon&view=issued-quotas&taken={}",
        outcome.total
    ));
    Ok(outcome)
}

/// Customers to choose from: all of the partner's for coupons (only resale ones are accepted,
/// the others are refused with the reason), or whitelisted ones for pickup vouchers.
/// (id, name, mode)
#[server(prefix = "/api", endpoint = "vouchers/eligible")]
pub async fn eligible_customers(kind: String) -> Result<Vec<(i64, String, String)>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::eligible_customers(&cx, &kind).await
}

/// 我的优惠券.
#[server(prefix = "/api", endpoint = "vouchers/mine")]
pub async fn my_coupons() -> Result<CustomerCoupons, AppError> {
    let cx = ctx::acting(&[Role::Customer]).await?;
    super::service::customer_coupons(&cx).await
}

/// 操作记录 as CSV or XLSX, with the list's filters: every matching row, or a refusal when more
/// than `domain::export::MAX_ROWS` match (see `domain::export`).
#[cfg(feature = "ssr")]
pub async fn records_export(
    export: crate::domain::export::PartnerExport,
) -> Result<axum::response::Response, AppError> {
    use crate::domain::export::{Cell, Sheet, respond};
    use crate::i18n::{Lang, t};
    let get = |k: &str| export.get(k);
    let kind = kind(get("tab"))?;
    let search = record_search(get("operation"), get("from"), get("to"))?;
    let sheet = Sheet {
        name: "voucher-records",
        header: &[
            "operation_type",
            "operation",
            "quota_id",
            "coupon_id",
            "customer",
            "reseller",
            "amount",
            "remark",
            "operator",
            "time",
        ],
        row: |r: super::model::Record| {
            vec![
                r.operation.code().to_string().into(),
                t(Lang::Zh, r.operation.label_key()).into(),
                Cell::Int(r.quota_id),
                r.coupon_number.unwrap_or_default().into(),
                r.customer_name.unwrap_or_default().into(),
                r.reseller_name.unwrap_or_default().into(),
                r.amount.into(),
                r.remark.into(),
                r.actor.into(),
                Cell::Time(r.created_at),
            ]
        },
        id: |r| r.id,
    };
    let cx = export.cx;
    respond(export.format, sheet, move |page| {
        let (cx, search) = (cx.clone(), search.clone());
        async move { super::service::records(&cx, kind, &search, page).await }
    })
    .await
}

/// 额度管理: every partner's quotas, by partner (its id, chosen with a picker), kind (`coupon` /
/// `pickup`) and status code.
#[server(prefix = "/api", endpoint = "operator/quotas")]
pub async fn operator_quotas(
    partner: Option<String>,
    kind: Option<String>,
    status: Option<String>,
    page: Option<u32>,
) -> Result<Page<super::model::OperatorQuota>, AppError> {
    use super::model::QuotaStatus;
    let (db, _) = ctx::caller(Role::Operator).await?;
    let given = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let partner = given(partner)
        .map(|p| {
            p.parse::<i64>()
                .map_err(|_| AppError::invalid("error.partner.not_found"))
        })
        .transpose()?;
    let kind = given(kind).map(|k| self::kind(&k)).transpose()?;
    let status = given(status)
        .map(|s| {
            s.parse::<i64>()
                .ok()
                .and_then(QuotaStatus::from_code)
                .ok_or(AppError::BadRequest)
        })
        .transpose()?;
    super::service::operator_quotas(&db, partner, kind, status, PageRequest::new(page, None)).await
}

/// 额度管理: grants a partner a voucher (`coupon`) or pickup (`pickup`) quota: amount, validity
/// in days, optional per-coupon limit, service types and products.
#[server(prefix = "/api", endpoint = "operator/grant-quota")]
pub async fn grant_quota(
    partner: String,
    kind: String,
    amount: String,
    days: String,
    #[server(default)] max_face: String,
    #[server(default)] service_types: String,
    #[server(default)] products: String,
) -> Result<i64, AppError> {
    use super::model::Limits;
    let cx = ctx::acting(&[Role::Operator]).await?;
    let grant = super::service::Grant {
        partner: partner
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::invalid("error.partner.not_found"))?,
        kind: self::kind(&kind)?,
        value: Amount::parse(&amount).map_err(AppError::invalid)?,
        days: days
            .trim()
            .parse::<i64>()
            .map_err(|_| VoucherError::Days.invalid())?,
        max_face: match max_face.trim() {
            "" => None,
            m => Some(Amount::parse(m).map_err(AppError::invalid)?),
        },
        service_types: Limits::parse(&service_types, VoucherError::TooManyServiceTypes)
            .map_err(VoucherError::invalid)?,
        products: Limits::parse(&products, VoucherError::TooManyProducts)
            .map_err(VoucherError::invalid)?,
    };
    super::service::grant_quota(&cx.db, &cx.actor, &grant).await
}

/// 额度管理: sets a quota's status (0 正常, 3 失效, 4 额度调整中, 5 冻结) with the reason.
#[server(prefix = "/api", endpoint = "operator/quota-status")]
pub async fn set_quota_status(quota: i64, status: String, reason: String) -> Result<(), AppError> {
    use super::model::QuotaStatus;
    let cx = ctx::acting(&[Role::Operator]).await?;
    let status = status
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(QuotaStatus::from_code)
        .ok_or(AppError::BadRequest)?;
    let reason = crate::domain::Reason::parse(&reason).map_err(AppError::invalid)?;
    super::service::set_quota_status(&cx.db, &cx.actor, quota, status, Some(reason.as_str())).await
}
