//! Server functions of the funds domain: who is calling → parse → one service call.

use super::model::{
    AdjustRecord, Balances, Direction, FundedParty, Funding, FundingRequest, LowBalance, Preview,
    Receipt,
};
use crate::domain::Page;
#[cfg(feature = "ssr")]
use crate::domain::{Amount, Money, PageRequest, Role};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::funds::FundsError;
#[cfg(feature = "ssr")]
use crate::server::ctx;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use super::model::Target;

impl Direction {
    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "allocate" => Some(Direction::Allocate),
            "reclaim" => Some(Direction::Reclaim),
            _ => None,
        }
    }

    pub fn segment(self) -> &'static str {
        match self {
            Direction::Allocate => "allocate",
            Direction::Reclaim => "reclaim",
        }
    }
}

/// A date field (YYYY-MM-DD, China time) as unix ms; `end` gives the end of that day.
pub fn parse_day(raw: &str, end: bool) -> Result<Option<i64>, AppError> {
    crate::domain::parse_day(raw, end).map_err(|_| AppError::invalid("error.date.format"))
}

#[cfg(feature = "ssr")]
fn counterparty(target: Target, id: i64) -> super::service::Counterparty {
    match target {
        Target::Reseller => super::service::Counterparty::Reseller(id),
        Target::Customer => super::service::Counterparty::Customer(id),
    }
}

/// Step 1 of 拨款/回收: what would change. Moves nothing.
#[server(prefix = "/api", endpoint = "funds/preview")]
pub async fn preview_adjust(
    target: Target,
    id: i64,
    direction: Direction,
    amount: String,
) -> Result<Preview, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let amount = Amount::parse(&amount).map_err(AppError::invalid)?;
    super::service::preview(&cx, counterparty(target, id), direction, amount).await
}

/// Step 2 of 拨款/回收, after 是否确定调整: moves the money (idempotent per `trans_id`).
#[server(prefix = "/api", endpoint = "funds/adjust")]
pub async fn confirm_adjust(
    target: Target,
    id: i64,
    direction: Direction,
    amount: String,
    trans_id: String,
) -> Result<Receipt, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let amount = Amount::parse(&amount).map_err(AppError::invalid)?;
    let receipt = super::service::adjust(
        &cx,
        counterparty(target, id),
        direction,
        amount,
        Some(trans_id),
    )
    .await?;
    leptos_axum::redirect(&format!(
        "/center/sales/{}?done={}",
        target.segment(),
        receipt.trans_id
    ));
    Ok(receipt)
}

/// 批量拨款, step 1: what would change. Moves nothing.
#[server(prefix = "/api", endpoint = "funds/bulk-preview")]
pub async fn bulk_preview(
    ids: String,
    amount: String,
) -> Result<super::model::BulkPreview, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let ids = super::model::parse_bulk_ids(&ids).map_err(FundsError::invalid)?;
    let amount = Amount::parse(&amount).map_err(AppError::invalid)?;
    super::service::bulk_preview(&cx, &ids, amount).await
}

/// 批量拨款, step 2 after 是否确定调整.
#[server(prefix = "/api", endpoint = "funds/bulk-allocate")]
pub async fn bulk_allocate(
    ids: String,
    amount: String,
    trans_id: String,
) -> Result<usize, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let ids = super::model::parse_bulk_ids(&ids).map_err(FundsError::invalid)?;
    let amount = Amount::parse(&amount).map_err(AppError::invalid)?;
    let receipts = super::service::bulk_allocate(&cx, &ids, amount, &trans_id).await?;
    leptos_axum::redirect(&format!("/center/sales/customers?done={trans_id}"));
    Ok(receipts.len())
}

/// The filters of the resellers and customers lists: login, association days (`YYYY-MM-DD`,
/// China time, inclusive) and the page, as the pages send them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartyQuery {
    #[serde(default)]
    pub login: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// The page number (a string: flattened fields reach the server as text).
    #[serde(default)]
    pub page: String,
    /// Name contains.
    #[serde(default)]
    pub name: String,
    /// Customers of this mode (`resale`, `consulting`), or all.
    #[serde(default)]
    pub mode: String,
    /// Balance at least / at most (yuan), or open.
    #[serde(default)]
    pub min: String,
    #[serde(default)]
    pub max: String,
    /// `since`, `balance` or `name` (see `SortBy`), and `asc`.
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub dir: String,
    #[serde(default)]
    pub size: String,
}

impl PartyQuery {
    /// The query of a link, read through `get` (a page's query map or an export's request).
    pub fn read(get: impl Fn(&str) -> String) -> PartyQuery {
        PartyQuery {
            login: get("login"),
            from: get("from"),
            to: get("to"),
            page: get("page"),
            name: get("name"),
            mode: get("mode"),
            min: get("min"),
            max: get("max"),
            sort: get("sort"),
            dir: get("dir"),
            size: get("size"),
        }
    }
}

pub type Parties = Page<FundedParty>;

/// The search of a management list's query.
#[cfg(feature = "ssr")]
fn party_search(q: &PartyQuery) -> Result<super::service::Search, AppError> {
    let bound = |raw: &str| match raw.trim() {
        "" => Ok(None),
        v => Money::parse(v)
            .map(|m| Some(m.fen()))
            .map_err(AppError::invalid),
    };
    let mode = match q.mode.trim() {
        "" => None,
        "resale" => Some("resale"),
        "consulting" => Some("consulting"),
        _ => return Err(AppError::BadRequest),
    };
    Ok(super::service::Search {
        login: q.login.clone(),
        name: q.name.clone(),
        mode,
        from_ms: parse_day(&q.from, false)?,
        to_ms: parse_day(&q.to, true)?,
        min_fen: bound(&q.min)?,
        max_fen: bound(&q.max)?,
        sort: crate::domain::SortBy::parse(&q.sort, &q.dir),
        ..Default::default()
    })
}

#[cfg(feature = "ssr")]
async fn parties(target: Target, q: PartyQuery) -> Result<Parties, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let search = party_search(&q)?;
    let page = crate::domain::page_of(&q.page, &q.size);
    super::service::parties(&cx, target, &search, page).await
}

/// 客户管理 or 我的云经销商 as CSV or XLSX, with the list's filters and order.
#[cfg(feature = "ssr")]
pub async fn parties_export(
    export: crate::domain::export::PartnerExport,
) -> Result<axum::response::Response, AppError> {
    use crate::domain::export::{Cell, Sheet, respond};
    let target = if export.path.starts_with("/center/sales/resellers/") {
        Target::Reseller
    } else {
        Target::Customer
    };
    let search = party_search(&PartyQuery::read(|k| export.get(k).to_string()))?;
    let sheet = Sheet {
        name: match target {
            Target::Reseller => "resellers",
            Target::Customer => "customers",
        },
        header: &[
            "id",
            "login",
            "name",
            "mode",
            "since",
            "balance",
            "unbind_pending",
        ],
        row: |p: FundedParty| {
            vec![
                Cell::Int(p.id),
                p.login.into(),
                p.name.into(),
                p.mode_key.rsplit('.').next().unwrap_or_default().into(),
                Cell::Time(p.since),
                p.balance.into(),
                if p.unbind_pending { "yes" } else { "" }.into(),
            ]
        },
        id: |p| p.id,
    };
    let cx = export.cx;
    respond(export.format, sheet, move |page| {
        let (cx, search) = (cx.clone(), search.clone());
        async move { super::service::parties(&cx, target, &search, page).await }
    })
    .await
}

#[server(prefix = "/api", endpoint = "funds/resellers")]
pub async fn list_resellers(#[server(flatten)] q: PartyQuery) -> Result<Parties, AppError> {
    parties(Target::Reseller, q).await
}

#[server(prefix = "/api", endpoint = "funds/customers")]
pub async fn list_customers(#[server(flatten)] q: PartyQuery) -> Result<Parties, AppError> {
    parties(Target::Customer, q).await
}

#[server(prefix = "/api", endpoint = "funds/balances")]
pub async fn my_balances() -> Result<Balances, AppError> {
    let (db, user) = ctx::caller(Role::Partner).await?;
    let partner = user.as_partner()?.id;
    super::service::partner_balances(&db, partner).await
}

/// The signed-in partner's low-balance alert (余额预警).
#[server(prefix = "/api", endpoint = "funds/low-balance")]
pub async fn low_balance_state() -> Result<LowBalance, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::low_balance(&cx.db, cx.user.as_partner()?.id).await
}

/// Sets the low-balance threshold in yuan (blank turns the alert off).
#[server(prefix = "/api", endpoint = "funds/low-balance-set")]
pub async fn set_low_balance(threshold: String) -> Result<LowBalance, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let threshold = match threshold.trim() {
        "" => None,
        raw => Some(Amount::parse(raw).map_err(AppError::invalid)?),
    };
    super::service::set_low_balance(&cx, threshold).await
}

#[server(prefix = "/api", endpoint = "funds/records")]
pub async fn adjust_records(
    operation: String,
    trans_id: String,
    from: String,
    to: String,
    page: Option<u32>,
) -> Result<Page<AdjustRecord>, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let search = record_search(&operation, &trans_id, &from, &to)?;
    super::service::records(&cx, &search, PageRequest::new(page, None)).await
}

#[cfg(feature = "ssr")]
pub fn record_search(
    operation: &str,
    trans_id: &str,
    from: &str,
    to: &str,
) -> Result<super::service::RecordSearch, AppError> {
    let operation = crate::domain::optional(
        operation,
        super::model::Operation::parse,
        FundsError::Operation.invalid(),
    )?;
    Ok(super::service::RecordSearch {
        adjustments_only: false,
        counterparty: None,
        operation,
        trans_id: trans_id.to_string(),
        from_ms: parse_day(from, false)?,
        to_ms: parse_day(to, true)?,
    })
}

/// A customer's balance and the partner it must contact to top up.
#[server(prefix = "/api", endpoint = "funds/my-balance")]
pub async fn customer_balance() -> Result<Balances, AppError> {
    let (db, user) = ctx::caller(Role::Customer).await?;
    let customer = user.as_customer()?.id;
    super::service::customer_balances(&db, customer).await
}

/// Operator: fund a partner (money entering from outside), at most the funding threshold
/// (`--funding-threshold`); above it the funding is a request (`operator/fund-request`).
#[server(prefix = "/api", endpoint = "operator/fund")]
pub async fn fund_partner(
    partner: i64,
    amount: String,
    trans_id: String,
) -> Result<Receipt, AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let amount = Amount::parse(&amount).map_err(AppError::invalid)?;
    if amount.fen() > ctx::state()?.config.funding_threshold.fen() {
        return Err(AppError::conflict("error.funds.needs_approval"));
    }
    let trans_id = Some(trans_id).filter(|t| !t.trim().is_empty());
    let r = super::service::fund_partner(&cx.db, &cx.actor, partner, amount, trans_id).await?;
    leptos_axum::redirect(&format!("/operator/funding?funded={}", r.trans_id));
    Ok(r)
}

/// Operator: funding of any amount; above the threshold it waits for a second operator
/// (资金管理 maker–checker). Answers what happened.
#[server(prefix = "/api", endpoint = "operator/fund-request")]
pub async fn request_funding(
    partner: i64,
    amount: String,
    trans_id: String,
    #[server(default)] back: Option<String>,
) -> Result<Funding, AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let amount = Amount::parse(&amount).map_err(AppError::invalid)?;
    let trans_id = Some(trans_id).filter(|t| !t.trim().is_empty());
    let threshold = ctx::state()?.config.funding_threshold;
    let done = super::service::fund_or_request(&cx, partner, amount, trans_id, threshold).await?;
    // Back to the partner's page when the form was there, else to 资金管理.
    let page = crate::console::model::partner_page(back.as_deref()).unwrap_or("/operator/funding");
    match &done {
        Funding::Funded(r) => leptos_axum::redirect(&format!("{page}?funded={}", r.trans_id)),
        Funding::Requested { request } => {
            leptos_axum::redirect(&format!("{page}?requested={request}"))
        }
    }
    Ok(done)
}

/// 资金管理: funding requests by state (`pending`, `approved`, `rejected`; all when empty).
#[server(prefix = "/api", endpoint = "operator/funding-requests")]
pub async fn funding_requests(
    state: Option<String>,
    page: Option<u32>,
) -> Result<Page<FundingRequest>, AppError> {
    use super::model::RequestState;
    let (db, _) = ctx::caller(Role::Operator).await?;
    let state = match state.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(RequestState::parse(s).ok_or(AppError::BadRequest)?),
    };
    super::service::funding_requests(&db, state, PageRequest::new(page, None)).await
}

/// A second operator approves a funding request: the partner is funded once.
#[server(prefix = "/api", endpoint = "operator/fund-approve")]
pub async fn approve_funding(request: i64) -> Result<Receipt, AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    super::service::approve_request(&cx, request).await
}

/// Rejects (or, its requester, withdraws) a funding request, with the reason.
#[server(prefix = "/api", endpoint = "operator/fund-reject")]
pub async fn reject_funding(request: i64, reason: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let reason = crate::domain::Reason::parse(&reason).map_err(AppError::invalid)?;
    super::service::reject_request(&cx, request, &reason).await
}

/// Operator: set a partner's designated funds (专款专用).
#[server(prefix = "/api", endpoint = "operator/designate")]
pub async fn set_designated(partner: i64, amount: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Operator]).await?;
    let amount = Money::parse(&amount).map_err(AppError::invalid)?;
    super::service::set_designated(&cx.db, &cx.actor, partner, amount).await
}

/// Operator: what funding a partner would do (confirmation step). Moves nothing.
#[server(prefix = "/api", endpoint = "operator/fund-preview")]
pub async fn fund_preview(partner: i64, amount: String) -> Result<Preview, AppError> {
    let (db, _) = ctx::caller(Role::Operator).await?;
    let amount = Amount::parse(&amount).map_err(AppError::invalid)?;
    let threshold = ctx::state()?.config.funding_threshold;
    super::service::fund_preview(&db, partner, amount, threshold).await
}

/// 调账记录 as CSV or XLSX, with the same filters as the page: every matching row, or a
/// refusal when more than `domain::export::MAX_ROWS` match (see `domain::export`).
#[cfg(feature = "ssr")]
pub async fn records_export(
    export: crate::domain::export::PartnerExport,
) -> Result<axum::response::Response, AppError> {
    use crate::domain::export::{Cell, Sheet, respond};
    let get = |k: &str| export.get(k);
    let search = record_search(get("operation"), get("trans_id"), get("from"), get("to"))?;
    let sheet = Sheet {
        name: "adjust-records",
        header: &[
            "operation_type",
            "amount",
            "counterparty",
            "operator",
            "time",
            "trans_id",
        ],
        row: |r: AdjustRecord| {
            vec![
                r.operation.code().into(),
                Cell::Fen(r.signed_fen),
                r.counterparty.into(),
                r.operator.into(),
                Cell::Time(r.created_at),
                r.trans_id.into(),
            ]
        },
        id: |r| r.id,
    };
    let cx = export.cx;
    respond(export.format, sheet, move |page| {
        let (cx, search) = (cx.clone(), search.clone());
        async move { super::service::records(&cx, &search, page).await }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_in_china_time() {
        assert_eq!(
            parse_day("1970-01-01", false).unwrap(),
            Some(-8 * 3_600_000)
        );
        assert_eq!(parse_day("1970-01-01", true).unwrap(), Some(16 * 3_600_000));
        assert_eq!(parse_day("", false).unwrap(), None);
        assert!(parse_day("2024-02-30", false).is_err());
        assert!(parse_day("'; DROP", false).is_err());
    }
}
