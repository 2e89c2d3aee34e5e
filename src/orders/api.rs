//! Server functions of orders: the customer's (我的订单) and the partner's (客户订单).

use super::model::{Order, OrderDetail, OrderQuery};
use crate::domain::Page;
#[cfg(feature = "ssr")]
use crate::domain::Role;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::server::ctx;
use leptos::prelude::*;

/// Places an order; `payment` is `self` or `partner` (伙伴代付).
#[server(prefix = "/api", endpoint = "orders/create")]
pub async fn create_order(
    product: String,
    quantity: String,
    payment: String,
) -> Result<Order, AppError> {
    let cx = ctx::acting(&[Role::Customer]).await?;
    let input =
        super::model::NewOrder::parse(&product, &quantity, &payment).map_err(AppError::invalid)?;
    let order = super::service::create(&cx, &input).await?;
    leptos_axum::redirect("/customer/orders?tab=unpaid&created=1");
    Ok(order)
}

/// The caller's orders (a customer's own, a partner's customers') for a tab (`unpaid`,
/// `awaiting`, `paid`, `cancelled`, `refunded`, or all), searched, filtered and sorted as the
/// list's link says (see [`OrderQuery`]).
#[server(prefix = "/api", endpoint = "orders/list")]
pub async fn list_orders(#[server(flatten)] q: OrderQuery) -> Result<Page<Order>, AppError> {
    let cx = ctx::acting(&[Role::Partner, Role::Customer]).await?;
    super::service::list(&cx, &q, crate::domain::page_of(&q.page, &q.size)).await
}

/// 客户订单 as CSV or XLSX with the list's filters and order (see `domain::export`).
#[cfg(feature = "ssr")]
pub async fn orders_export(
    export: crate::domain::export::PartnerExport,
) -> Result<axum::response::Response, AppError> {
    use crate::domain::export::{Cell, Sheet, respond};
    let q = OrderQuery::read(|k| export.get(k).to_string());
    let sheet = Sheet {
        name: "orders",
        header: &[
            "number",
            "customer",
            "product",
            "quantity",
            "amount",
            "coupon",
            "payment",
            "payer",
            "state",
            "created_at",
        ],
        row: |o: Order| {
            vec![
                o.number.into(),
                o.customer_name.into(),
                o.product.into(),
                Cell::Int(o.quantity),
                o.amount.into(),
                o.coupon_amount.into(),
                if o.partner_requested {
                    "partner"
                } else {
                    "self"
                }
                .into(),
                o.payer.map_or("", |p| p.as_str()).into(),
                o.state.as_str().into(),
                Cell::Time(o.created_at),
            ]
        },
        id: |o| o.id,
    };
    let cx = export.cx;
    respond(export.format, sheet, move |page| {
        let (cx, q) = (cx.clone(), q.clone());
        async move { super::service::list(&cx, &q, page).await }
    })
    .await
}

#[server(prefix = "/api", endpoint = "orders/detail")]
pub async fn get_order(id: i64) -> Result<OrderDetail, AppError> {
    let cx = ctx::acting(&[Role::Partner, Role::Customer]).await?;
    super::service::detail(&cx, id).await
}

/// Something done to an order: `pay` (the customer itself), `cancel`, `refund` (退订) by the
/// customer; `partner-pay`, `reject` (with a reason) by the partner.
#[server(prefix = "/api", endpoint = "orders/act")]
pub async fn act_on_order(
    id: i64,
    action: String,
    #[server(default)] reason: String,
    #[server(default)] coupon: String,
) -> Result<Order, AppError> {
    use super::model::Event;
    let cx = ctx::acting(&[Role::Partner, Role::Customer]).await?;
    let event = match action.as_str() {
        "pay" => Event::PayByCustomer,
        "cancel" => Event::Cancel,
        "refund" => Event::Refund,
        "partner-pay" => Event::PayByPartner,
        "reject" => Event::PartnerReject,
        _ => return Err(AppError::BadRequest),
    };
    let reason = if event == Event::PartnerReject {
        Some(crate::plans::model::Reason::parse(&reason).map_err(AppError::invalid)?)
    } else {
        None
    };
    let coupon = crate::domain::optional(&coupon, |c| c.parse().ok(), AppError::BadRequest)?;
    let order = super::service::act(&cx, id, event, reason.as_ref(), coupon).await?;
    let back = if cx.user.role == crate::domain::Role::Partner {
        format!("/center/sales/orders?tab=all&done={}", order.number)
    } else {
        format!("/customer/orders?done={}", order.number)
    };
    leptos_axum::redirect(&back);
    Ok(order)
}

/// For the order form: whether this customer may ask its partner to pay.
#[server(prefix = "/api", endpoint = "orders/partner-pay-allowed")]
pub async fn partner_pay_allowed() -> Result<bool, AppError> {
    let cx = ctx::acting(&[Role::Customer]).await?;
    super::service::may_request_partner_pay(&cx).await
}

#[server(prefix = "/api", endpoint = "orders/consulting-pay")]
pub async fn consulting_pay() -> Result<bool, AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    super::service::allows_consulting_pay(&cx).await
}

/// The partner lets (`allow` = "true") or stops its consulting customers asking it to pay.
#[server(prefix = "/api", endpoint = "orders/set-consulting-pay")]
pub async fn set_consulting_pay(allow: String) -> Result<(), AppError> {
    let cx = ctx::acting(&[Role::Partner]).await?;
    let allow = ctx::choice(&allow, "true", "false")?;
    super::service::set_allow_consulting_pay(&cx, allow).await?;
    ctx::redirect("/center/sales/orders")
}

/// The customer's coupons usable on one of its orders (the pay page's choice).
#[server(prefix = "/api", endpoint = "orders/coupons")]
pub async fn order_coupons(id: i64) -> Result<Vec<crate::vouchers::model::Coupon>, AppError> {
    let cx = ctx::acting(&[Role::Customer]).await?;
    super::service::coupons_for(&cx, id).await
}
