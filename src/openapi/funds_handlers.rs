//! The BSS funds and customer operations (拨款, 回收, balances, adjustment records, resellers and
//! customers) over the console's funds service, reading and answering the typed shapes of
//! [`super::ops`].

use super::handlers::{ApiError, Change, Read, own_reseller_id};
use super::ops::*;
use super::schema::{Decimal, Num};
use super::wire::*;
use crate::accounts::model::SessionUser;
use crate::domain::Money;
use crate::funds::model::{Direction, Operation};
use crate::funds::service::{self as funds, Counterparty, RecordSearch, Search};
use axum::Json;

/// A 拨款 or 回收 request of the SDK: which way the money goes, with whom, and how much.
pub trait TransferRequest: serde::de::DeserializeOwned {
    const DIRECTION: Direction;
    /// The reseller or customer, as the caller may name it (a reseller names only itself as
    /// `indirect_partner_id`).
    fn counterparty(&self, user: &SessionUser) -> Result<Counterparty, ApiError>;
    fn amount(&self) -> &Decimal;
}

/// The answer of a transfer: its id, under the SDK's name for it.
pub trait TransferAnswer: serde::Serialize {
    fn answer(id: String) -> Self;
}

impl TransferAnswer for TransferResponse {
    fn answer(transfer_id: String) -> Self {
        TransferResponse { transfer_id }
    }
}

impl TransferAnswer for TransResponse {
    fn answer(trans_id: String) -> Self {
        TransResponse { trans_id }
    }
}

/// Declares a transfer request: its direction and whether it names a reseller
/// (`indirect_partner_id`) or a customer (`customer_id`).
macro_rules! transfer_request {
    ($req:ty, $direction:ident, reseller) => {
        transfer_request!($req, $direction, |r: &$req, _user: &SessionUser| Ok(
            Counterparty::Reseller(id(&r.indirect_partner_id, "indirect_partner_id")?)
        ));
    };
    ($req:ty, $direction:ident, customer) => {
        transfer_request!($req, $direction, |r: &$req, user: &SessionUser| {
            own_reseller_id(user, r.indirect_partner_id.as_deref())?;
            Ok(Counterparty::Customer(id(&r.customer_id, "customer_id")?))
        });
    };
    ($req:ty, $direction:ident, $counterparty:expr) => {
        impl TransferRequest for $req {
            const DIRECTION: Direction = Direction::$direction;
            fn counterparty(&self, user: &SessionUser) -> Result<Counterparty, ApiError> {
                ($counterparty)(self, user)
            }
            fn amount(&self) -> &Decimal {
                &self.amount
            }
        }
    };
}

// update_indirect_partner_account: 向云经销商账户拨款 (distributors only).
transfer_request!(AdjustToIndirectPartnerReq, Allocate, reseller);
// reclaim_indirect_partner_account: 回收云经销商账户拨款 (distributors only).
transfer_request!(ReclaimIndirectPartnerAccountReq, Reclaim, reseller);
// update_customer_account_amount: 向客户账户拨款 (resale customers only).
transfer_request!(AdjustAccountReq, Allocate, customer);
// reclaim_to_partner_account: 回收客户账户余额.
transfer_request!(ReclaimToPartnerAccountBalancesReq, Reclaim, customer);

/// The four transfer operations: one 拨款 or 回收 with a reseller or a customer, answered with
/// the transfer's id.
pub async fn transfer<R: TransferRequest, A: TransferAnswer>(
    signed: Change<R>,
) -> Result<Json<A>, ApiError> {
    let counterparty = signed.req.counterparty(&signed.cx.user)?;
    let amount = amount(signed.req.amount())?;
    let token = signed.client_token.clone();
    let receipt = funds::adjust(&signed.cx, counterparty, R::DIRECTION, amount, token).await?;
    Ok(Json(A::answer(receipt.trans_id)))
}

/// list_indirect_partners: 查询云经销商列表 (distributors only).
pub async fn list_indirect_partners(
    Read { cx, req, .. }: Read<QueryIndirectPartnersReq>,
) -> Result<Json<ListIndirectPartnersResponse>, ApiError> {
    let page = window(req.offset, req.limit)?;
    let (from_ms, to_ms) = range(&req.associated_on_begin, &req.associated_on_end)?;
    let search = Search {
        login: req.account_name.unwrap_or_default(),
        from_ms,
        to_ms,
        id: optional_id(&req.indirect_partner_id, "indirect_partner_id")?,
        ..Search::default()
    };
    let found = funds::parties(&cx, crate::funds::model::Target::Reseller, &search, page).await?;
    Ok(Json(ListIndirectPartnersResponse {
        count: found.total,
        indirect_partners: found
            .items
            .into_iter()
            .map(|r| IndirectPartnerInfo {
                indirect_partner_id: r.id.to_string(),
                name: r.name,
                account_name: r.login,
                email: None,
                mobile_phone: None,
                associated_on: utc(r.since),
                account_manager_id: None,
                account_manager_name: None,
            })
            .collect(),
    }))
}

/// list_partner_balances: 查询(云经销商)账户余额. A distributor names one of its resellers.
pub async fn list_partner_balances(
    Read { cx, req, .. }: Read<ListPartnerBalancesRequest>,
) -> Result<Json<ListPartnerBalancesResponse>, ApiError> {
    let reseller = optional_id(&req.indirect_partner_id, "indirect_partner_id")?;
    let (partner, b) = funds::balances_of(&cx.db, &cx.user, reseller).await?;
    // One cash account: this service grants no credit lines (see `funds/mod.rs`), so there is
    // no credit account (account_type 2) and `credit_amount` is 0.
    Ok(Json(ListPartnerBalancesResponse {
        account_balances: vec![AccountBalanceV2 {
            account_id: format!("{partner}-1"),
            account_type: 1,
            amount: Num(b.balance),
            currency: "CNY",
            designated_amount: Num(b.designated),
            credit_amount: Num(Money::ZERO),
            measure_id: 1,
            memo: String::new(),
        }],
    }))
}

/// list_partner_adjust_records: 查询调账记录 with customers (拨款, 回收, 解绑回收) and, for a
/// distributor, its resellers. A distributor may name one of its resellers to see that
/// reseller's records.
pub async fn list_partner_adjust_records(
    Read { cx, req, .. }: Read<ListPartnerAdjustRecordsRequest>,
) -> Result<Json<ListPartnerAdjustRecordsResponse>, ApiError> {
    let page = window(req.offset, req.limit)?;
    let reseller = optional_id(&req.indirect_partner_id, "indirect_partner_id")?;
    let operation = match req.operation_type.as_deref() {
        None | Some("") => None,
        Some("SOURCE_OPERATION_BEADJUST") => Some(Operation::Adjust),
        Some("SOURCE_OPERATION_BERETRIEVE") => Some(Operation::Retrieve),
        Some("SOURCE_OPERATION_BEUNBIND") => Some(Operation::Unbind),
        Some(_) => return Err(ApiError::Bad("Invalid operation_type.".into())),
    };
    let partner = funds::acting_partner(&cx.db, &cx.user, reseller).await?;
    let (from_ms, to_ms) = range(&req.operation_time_begin, &req.operation_time_end)?;
    let search = RecordSearch {
        operation,
        trans_id: req.trans_id.unwrap_or_default(),
        from_ms,
        to_ms,
        // 调账记录 are the partner's with its customers and, for a distributor, its resellers
        // (the SDK: "此处的客户包含伙伴的子客户，以及华为云总经销商关联的云经销商").
        adjustments_only: true,
        counterparty: optional_id(&req.customer_id, "customer_id")?,
    };
    let (items, total_count) = funds::records_window(&cx.db, partner, &search, page).await?;
    Ok(Json(ListPartnerAdjustRecordsResponse {
        total_count,
        records: items
            .into_iter()
            .map(|r| AdjustRecordV3 {
                customer_id: r
                    .counterparty_customer
                    .or(r.counterparty_partner)
                    .unwrap_or(0)
                    .to_string(),
                amount: r.amount().to_string(),
                customer_name: r.counterparty,
                operation_type: format!("SOURCE_OPERATION_{}", r.operation.code()),
                currency: "CNY",
                apply_scene: String::new(),
                operation_time: utc(r.created_at),
                measure_id: 1,
                trans_id: r.trans_id,
                memo: String::new(),
            })
            .collect(),
    }))
}

/// list_sub_customers: 查询客户列表 (association_type 1 顾问销售, 2 代售). A distributor may name
/// one of its resellers to list that reseller's customers.
pub async fn list_sub_customers(
    Read { cx, req, .. }: Read<QuerySubCustomerListReq>,
) -> Result<Json<ListSubCustomersResponse>, ApiError> {
    let page = window(req.offset, req.limit)?;
    let (from_ms, to_ms) = range(&req.associated_on_begin, &req.associated_on_end)?;
    let mode = match req.association_type.as_deref() {
        None | Some("") => None,
        Some("1") => Some("consulting"),
        Some("2") => Some("resale"),
        Some(_) => return Err(ApiError::Bad("association_type is 1 or 2.".into())),
    };
    let reseller = optional_id(&req.indirect_partner_id, "indirect_partner_id")?;
    let partner = funds::acting_partner(&cx.db, &cx.user, reseller).await?;
    let search = Search {
        login: req.account_name.unwrap_or_default(),
        from_ms,
        to_ms,
        id: optional_id(&req.customer_id, "customer_id")?,
        name: req.customer.unwrap_or_default(),
        mode,
        ..Default::default()
    };
    // Customers carry no labels here: a label filter matches none of them.
    let found = if req.label.as_deref().is_some_and(|l| !l.is_empty()) {
        page.answer(Vec::new(), 0)
    } else {
        funds::parties_of(
            &cx.db,
            crate::funds::model::Target::Customer,
            partner,
            &search,
            page,
        )
        .await?
    };
    Ok(Json(ListSubCustomersResponse {
        count: found.total,
        customer_infos: found
            .items
            .into_iter()
            .map(|c| CustomerInformation {
                association_type: if c.mode_key == "customer_mode.resale" {
                    "2"
                } else {
                    "1"
                },
                customer: c.name,
                account_name: c.login,
                customer_id: c.id.to_string(),
                associated_on: utc(c.since),
                label: String::new(),
                telephone: None,
                verified_status: None,
                country_code: None,
                customer_type: -1,
                is_frozen: 0,
                account_managers: Vec::new(),
                xaccount_id: None,
                xaccount_type: None,
                customer_level: None,
                email: None,
            })
            .collect(),
    }))
}
