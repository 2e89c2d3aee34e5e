//! The BSS funds and customer operations (拨款, 回收, balances, adjustment records, resellers and
//! customers) over the console's funds service, with the SDK models' field names.

use super::handlers::{
    ApiError, Signed, body_window, id, number, optional_id, own_reseller_id, parse, query,
    time_range, utc, window,
};
use crate::domain::{Amount, Money};
use crate::error::AppError;
use crate::funds::model::{Direction, Operation};
use crate::funds::service::{self as funds, Counterparty, RecordSearch, Search};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

fn amount(raw: &str) -> Result<Amount, ApiError> {
    Amount::parse(raw).map_err(|k| ApiError::App(AppError::invalid(k)))
}

/// A begin/end pair of UTC times as list bounds (unix ms, the end inclusive).
fn bounds(begin: Option<&str>, end: Option<&str>) -> Result<(Option<i64>, Option<i64>), ApiError> {
    let begin = begin.map(super::handlers::parse_utc).transpose()?;
    let end = end
        .map(super::handlers::parse_utc)
        .transpose()?
        .map(|e| e.saturating_add(1));
    Ok((begin, end))
}

fn json(v: serde_json::Value) -> Response {
    axum::Json(v).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartnerAmountReq {
    indirect_partner_id: String,
    #[serde(deserialize_with = "super::handlers::amount")]
    amount: String,
}

/// update_indirect_partner_account: 向云经销商账户拨款 (distributors only).
pub async fn update_indirect_partner_account(
    Signed {
        origin,
        state,
        user,
        body,
        client_token,
        ..
    }: Signed<true>,
) -> Result<Response, ApiError> {
    let req: PartnerAmountReq = parse(&body)?;
    let reseller = id(&req.indirect_partner_id, "indirect_partner_id")?;
    let receipt = funds::adjust(
        &state.db,
        &user,
        &origin,
        Counterparty::Reseller(reseller),
        Direction::Allocate,
        amount(&req.amount)?,
        client_token,
    )
    .await?;
    Ok(json(json!({ "transfer_id": receipt.trans_id })))
}

/// reclaim_indirect_partner_account: 回收云经销商账户拨款 (distributors only).
pub async fn reclaim_indirect_partner_account(
    Signed {
        origin,
        state,
        user,
        body,
        client_token,
        ..
    }: Signed<true>,
) -> Result<Response, ApiError> {
    let req: PartnerAmountReq = parse(&body)?;
    let reseller = id(&req.indirect_partner_id, "indirect_partner_id")?;
    let receipt = funds::adjust(
        &state.db,
        &user,
        &origin,
        Counterparty::Reseller(reseller),
        Direction::Reclaim,
        amount(&req.amount)?,
        client_token,
    )
    .await?;
    Ok(json(json!({ "trans_id": receipt.trans_id })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomerAmountReq {
    customer_id: String,
    #[serde(deserialize_with = "super::handlers::amount")]
    amount: String,
    indirect_partner_id: Option<String>,
}

async fn customer_transfer(
    Signed {
        origin,
        state,
        user,
        body,
        client_token,
        ..
    }: Signed<true>,
    direction: Direction,
) -> Result<String, ApiError> {
    let req: CustomerAmountReq = parse(&body)?;
    own_reseller_id(&user, req.indirect_partner_id.as_deref())?;
    let customer = id(&req.customer_id, "customer_id")?;
    let receipt = funds::adjust(
        &state.db,
        &user,
        &origin,
        Counterparty::Customer(customer),
        direction,
        amount(&req.amount)?,
        client_token,
    )
    .await?;
    Ok(receipt.trans_id)
}

/// update_customer_account_amount: 向客户账户拨款 (resale customers only).
pub async fn update_customer_account_amount(signed: Signed<true>) -> Result<Response, ApiError> {
    let id = customer_transfer(signed, Direction::Allocate).await?;
    Ok(json(json!({ "transfer_id": id })))
}

/// reclaim_to_partner_account: 回收客户账户余额.
pub async fn reclaim_to_partner_account(signed: Signed<true>) -> Result<Response, ApiError> {
    let id = customer_transfer(signed, Direction::Reclaim).await?;
    Ok(json(json!({ "trans_id": id })))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct QueryIndirectPartnersReq {
    account_name: Option<String>,
    associated_on_begin: Option<String>,
    associated_on_end: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    indirect_partner_id: Option<String>,
}

/// list_indirect_partners: 查询云经销商列表 (distributors only).
pub async fn list_indirect_partners(
    Signed {
        state, user, body, ..
    }: Signed<false>,
) -> Result<Response, ApiError> {
    let req: QueryIndirectPartnersReq = if body.is_empty() {
        QueryIndirectPartnersReq::default()
    } else {
        parse(&body)?
    };
    let page = body_window(req.offset, req.limit)?;
    let (from_ms, to_ms) = bounds(
        req.associated_on_begin.as_deref(),
        req.associated_on_end.as_deref(),
    )?;
    let search = Search {
        login: req.account_name.unwrap_or_default(),
        from_ms,
        to_ms,
        id: optional_id(req.indirect_partner_id.as_deref(), "indirect_partner_id")?,
        ..Search::default()
    };
    let found = funds::resellers(&state.db, &user, &search, page).await?;
    let count = found.total;
    let partners: Vec<serde_json::Value> = found
        .items
        .into_iter()
        .map(|r| {
            json!({
                "indirect_partner_id": r.id.to_string(),
                "account_name": r.login,
                "name": r.name,
                "associated_on": utc(r.since),
            })
        })
        .collect();
    Ok(json(
        json!({ "count": count, "indirect_partners": partners }),
    ))
}

/// list_partner_balances: 查询(云经销商)账户余额. A distributor names one of its resellers.
pub async fn list_partner_balances(
    Signed {
        state, user, uri, ..
    }: Signed<false>,
) -> Result<Response, ApiError> {
    let q = query(&uri, &["indirect_partner_id"])?;
    let reseller = optional_id(
        q.get("indirect_partner_id").map(String::as_str),
        "indirect_partner_id",
    )?;
    let (partner, b) = funds::balances_of(&state.db, &user, reseller).await?;
    // One cash account: this service grants no credit lines (see `funds/mod.rs`), so there is
    // no credit account (account_type 2) and `credit_amount` is 0.
    let balances = vec![json!({
        "account_id": format!("{partner}-1"),
        "account_type": 1,
        "amount": number(b.balance),
        "currency": "CNY",
        "designated_amount": number(b.designated),
        "credit_amount": number(Money::ZERO),
        "measure_id": 1,
        "memo": "",
    })];
    Ok(json(json!({ "account_balances": balances })))
}

/// list_partner_adjust_records: 查询调账记录 with customers (拨款, 回收, 解绑回收). A distributor may
/// name one of its resellers to see that reseller's records.
pub async fn list_partner_adjust_records(
    Signed {
        state, user, uri, ..
    }: Signed<false>,
) -> Result<Response, ApiError> {
    let q = query(
        &uri,
        &[
            "customer_id",
            "operation_type",
            "operation_time_begin",
            "operation_time_end",
            "trans_id",
            "offset",
            "limit",
            "indirect_partner_id",
        ],
    )?;
    let page = window(&q)?;
    let reseller = optional_id(
        q.get("indirect_partner_id").map(String::as_str),
        "indirect_partner_id",
    )?;
    let operation = match q.get("operation_type").map(String::as_str) {
        None | Some("") => None,
        Some("SOURCE_OPERATION_BEADJUST") => Some(Operation::Adjust),
        Some("SOURCE_OPERATION_BERETRIEVE") => Some(Operation::Retrieve),
        Some("SOURCE_OPERATION_BEUNBIND") => Some(Operation::Unbind),
        Some(_) => return Err(ApiError::Bad("Invalid operation_type.".into())),
    };
    let partner = funds::acting_partner(&state.db, &user, reseller).await?;
    let (from_ms, to_ms) = time_range(&q, "operation_time_begin", "operation_time_end")?;
    let counterparty = match q.get("customer_id").map(String::as_str) {
        None | Some("") => None,
        Some(v) => Some(id(v, "customer_id")?),
    };
    let search = RecordSearch {
        operation,
        trans_id: q.get("trans_id").cloned().unwrap_or_default(),
        from_ms,
        to_ms,
        // 调账记录 are the partner's with its customers and, for a distributor, its resellers
        // (the SDK: "此处的客户包含伙伴的子客户，以及华为云总经销商关联的云经销商").
        adjustments_only: true,
        counterparty,
    };
    let (items, total_count) = funds::records_window(&state.db, partner, &search, page).await?;
    let records: Vec<serde_json::Value> = items
        .into_iter()
        .map(|r| {
            let customer = r
                .counterparty_customer
                .or(r.counterparty_partner)
                .unwrap_or(0);
            json!({
                "customer_id": customer.to_string(),
                "customer_name": r.counterparty,
                "operation_type": format!("SOURCE_OPERATION_{}", r.operation.code()),
                "amount": r.amount().to_string(),
                "currency": "CNY",
                "apply_scene": "",
                "operation_time": utc(r.created_at),
                "measure_id": 1,
                "trans_id": r.trans_id,
                "memo": "",
            })
        })
        .collect();
    Ok(json(
        json!({ "total_count": total_count, "records": records }),
    ))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct QuerySubCustomerListReq {
    account_name: Option<String>,
    customer: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
    label: Option<String>,
    association_type: Option<String>,
    associated_on_begin: Option<String>,
    associated_on_end: Option<String>,
    customer_id: Option<String>,
    indirect_partner_id: Option<String>,
}

/// list_sub_customers: 查询客户列表 (association_type 1 顾问销售, 2 代售). A distributor may name
/// one of its resellers to list that reseller's customers.
pub async fn list_sub_customers(
    Signed {
        state, user, body, ..
    }: Signed<false>,
) -> Result<Response, ApiError> {
    let req: QuerySubCustomerListReq = if body.is_empty() {
        QuerySubCustomerListReq::default()
    } else {
        parse(&body)?
    };
    let page = body_window(req.offset, req.limit)?;
    let (from_ms, to_ms) = bounds(
        req.associated_on_begin.as_deref(),
        req.associated_on_end.as_deref(),
    )?;
    let mode = match req.association_type.as_deref() {
        None | Some("") => None,
        Some("1") => Some("consulting"),
        Some("2") => Some("resale"),
        Some(_) => return Err(ApiError::Bad("association_type is 1 or 2.".into())),
    };
    let reseller = optional_id(req.indirect_partner_id.as_deref(), "indirect_partner_id")?;
    let partner = funds::acting_partner(&state.db, &user, reseller).await?;
    let search = Search {
        login: req.account_name.unwrap_or_default(),
        from_ms,
        to_ms,
        id: optional_id(req.customer_id.as_deref(), "customer_id")?,
        name: req.customer.unwrap_or_default(),
        mode,
    };
    // Customers carry no labels here: a label filter matches none of them.
    let found = if req.label.as_deref().is_some_and(|l| !l.is_empty()) {
        page.answer(Vec::new(), 0)
    } else {
        funds::customers_of(&state.db, partner, &search, page).await?
    };
    let count = found.total;
    let infos: Vec<serde_json::Value> = found
        .items
        .into_iter()
        .map(|c| {
            let kind = if c.mode_key == "customer_mode.resale" {
                "2"
            } else {
                "1"
            };
            json!({
                "customer": c.name,
                "account_name": c.login,
                "customer_id": c.id.to_string(),
                "associated_on": utc(c.since),
                "association_type": kind,
                "label": "",
                "customer_type": -1,
                "is_frozen": 0,
            })
        })
        .collect();
    Ok(json(json!({ "count": count, "customer_infos": infos })))
}
