//! Ordering, paying (by the customer or its partner), rejecting, cancelling and refunding: each
//! a conditional state change and its money movement in one transaction, retried on conflicts.

use super::model::{Event, NewOrder, Order, OrderDetail, OrderState, Payer, next};
use super::repo::{self, NewRow, OrderRow, OwnerColumn};
use crate::accounts::audit::{Caller, Target};
use crate::accounts::model::SessionUser;
use crate::domain::{Amount, CustomerMode, Money, Page, PageRequest, Role};
use crate::error::AppError;
use crate::funds::model::Operation;
use crate::funds::model::Owner;
use crate::funds::service::transfer_in;
use crate::i18n::{Lang, t};
use crate::messages::service::{To, params, send};
use crate::notify::service::{Via, queue};
use crate::server::db::{Tx, now_ms};

/// Whose orders a caller sees: a customer its own, a partner its customers'.
enum Viewer {
    Customer(i64),
    Partner(i64),
}

fn viewer(user: &SessionUser) -> Result<Viewer, AppError> {
    match (user.role, &user.customer, &user.partner) {
        (Role::Customer, Some(c), _) => Ok(Viewer::Customer(c.id)),
        (Role::Partner, _, Some(p)) => Ok(Viewer::Partner(p.id)),
        _ => Err(AppError::Forbidden),
    }
}

fn order_number(now: i64) -> String {
    let stamp = chrono::DateTime::from_timestamp_millis(now + 8 * 3_600_000)
        .map(|t| t.format("%y%m%d%H%M%S").to_string())
        .unwrap_or_default();
    format!("CS{stamp}{:06}", rand::random::<u32>() % 1_000_000)
}

/// Places an order. With `partner_pays` the partner is asked to pay: notified by email, SMS and
/// in the message center, like the customer.
#[tracing::instrument(skip(cx, input), fields(user = cx.user.id))]
pub async fn create(cx: &Caller, input: &NewOrder) -> Result<Order, AppError> {
    let Caller { db, user, .. } = cx;
    let Viewer::Customer(customer) = viewer(user)? else {
        return Err(AppError::Forbidden);
    };
    let amount_fen = input
        .amount_fen()
        .ok_or_else(|| AppError::invalid("error.orders.quantity"))?;
    db.write(|tx| {
        Box::pin(async move {
            let link = repo::customer_link(&mut **tx, customer)
                .await?
                .ok_or_else(|| AppError::conflict("error.orders.no_partner"))?;
            let mode = CustomerMode::parse(&link.mode).ok_or(AppError::Internal)?;
            if input.partner_pays
                && mode == CustomerMode::Consulting
                && link.allow_consulting_pay != 1
            {
                return Err(AppError::conflict("error.orders.partner_pay_not_allowed"));
            }
            let now = now_ms();
            let number = order_number(now);
            let state = if input.partner_pays {
                OrderState::AwaitingPartner
            } else {
                OrderState::PendingPayment
            };
            let row = NewRow {
                number: &number,
                customer,
                partner: link.partner_id,
                product: input.product.code,
                quantity: input.quantity,
                amount_fen,
                state: state.as_str(),
                partner_requested: input.partner_pays,
                now,
            };
            let id = repo::insert(&mut *tx, &row).await?;
            if input.partner_pays {
                let amount = Money::from_fen(amount_fen)
                    .ok_or(AppError::Internal)?
                    .to_string();
                let product = t(Lang::Zh, input.product.name_key);
                let p = params([
                    ("number", number.as_str()),
                    ("customer", link.customer_name.as_str()),
                    ("amount", amount.as_str()),
                ]);
                send(
                    &mut *tx,
                    To::Partner(link.partner_id),
                    "order.requested",
                    &p,
                    Some("/center/sales/orders"),
                    now,
                )
                .await?;
                send(
                    &mut *tx,
                    To::User(user.id),
                    "order.submitted",
                    &p,
                    Some("/customer/orders?tab=unpaid"),
                    now,
                )
                .await?;
                // The partner hears of it by email and SMS too.
                let qty = input.quantity.to_string();
                let params = [
                    ("partner", link.partner_name.as_str()),
                    ("customer", link.customer_name.as_str()),
                    ("number", number.as_str()),
                    ("product", product),
                    ("qty", qty.as_str()),
                    ("amount", amount.as_str()),
                ];
                // Where it has them, and as the partner chose for order notices.
                let (by_email, by_sms) = crate::messages::service::partner_channels(
                    &mut *tx,
                    link.partner_id,
                    crate::messages::model::Group::Order,
                )
                .await?;
                let known = |c: &Option<String>, wanted: bool| {
                    c.clone().filter(|c| wanted && !c.is_empty())
                };
                let (email, phone) = (
                    known(&link.partner_email, by_email),
                    known(&link.partner_phone, by_sms),
                );
                let vias = [
                    email.as_deref().map(Via::Email),
                    phone.as_deref().map(Via::Sms),
                ];
                let lang =
                    crate::accounts::service::partner_lang(&mut *tx, link.partner_id).await?;
                for via in vias.into_iter().flatten() {
                    queue(&mut *tx, via, lang, "order.partner_pay", &params, now).await?;
                }
            }
            cx.actor
                .record(
                    tx,
                    if input.partner_pays {
                        "orders.request_partner_pay"
                    } else {
                        "orders.create"
                    },
                    Target::Order(id),
                    "",
                    now,
                )
                .await?;
            let row = repo::get(&mut **tx, id).await?.ok_or(AppError::Internal)?;
            Ok(row.order)
        })
    })
    .await
}

/// The caller's orders that match `q` (see [`super::model::OrderQuery`]) in `page`.
pub async fn list(
    cx: &Caller,
    q: &super::model::OrderQuery,
    page: PageRequest,
) -> Result<Page<Order>, AppError> {
    let Caller { db, user, .. } = cx;
    let (column, owner) = match viewer(user)? {
        Viewer::Customer(c) => (OwnerColumn::Customer, c),
        Viewer::Partner(p) => (OwnerColumn::Partner, p),
    };
    let states: &[&str] = match q.tab.as_str() {
        "unpaid" => &["pending_payment", "awaiting_partner"],
        "awaiting" => &["awaiting_partner"],
        "paid" => &["paid"],
        "cancelled" => &["cancelled"],
        "refunded" => &["refunded"],
        _ => &[],
    };
    let partner_requested = match q.payment.as_str() {
        "" => None,
        "partner" => Some(true),
        "self" => Some(false),
        _ => return Err(AppError::BadRequest),
    };
    let like = crate::server::sql::like_pattern(&q.q);
    let sort = crate::domain::SortBy::parse(&q.sort, &q.dir);
    let f = repo::OrderFilter {
        states,
        like: &like,
        partner_requested,
        from_ms: crate::domain::parse_day(&q.from, false)?,
        to_ms: crate::domain::parse_day(&q.to, true)?,
        sort: &sort,
    };
    let (rows, total) = repo::list(&db.pool, column, owner, &f, page).await?;
    Ok(page.answer(rows, total))
}

/// The caller's own order, or "not found".
async fn own(ex: &mut Tx<'_>, user: &SessionUser, id: i64) -> Result<OrderRow, AppError> {
    let row = repo::get(&mut **ex, id).await?.ok_or(AppError::NotFound)?;
    match viewer(user)? {
        Viewer::Customer(c) if row.customer_id == c => Ok(row),
        Viewer::Partner(p) if row.partner_id == p => Ok(row),
        _ => Err(AppError::NotFound),
    }
}

/// An order with the balance of whoever the caller's next step would charge or credit.
pub async fn detail(cx: &Caller, id: i64) -> Result<OrderDetail, AppError> {
    let Caller { db, user, .. } = cx;
    let mut tx = db.pool.begin().await?;
    let row = own(&mut tx, user, id).await?;
    let owner = match viewer(user)? {
        Viewer::Customer(c) => Owner::Customer(c),
        Viewer::Partner(p) => Owner::Partner(p),
    };
    let b = crate::funds::service::balances_in(&mut tx, owner).await?;
    tx.commit().await?;
    let balance = b.balance.checked_sub(b.designated).unwrap_or(Money::ZERO);
    Ok(OrderDetail {
        order: row.order,
        balance,
    })
}

/// One attempt of a state change with its money movement; `Busy` asks for another attempt.
async fn attempt(
    cx: &Caller,
    id: i64,
    event: Event,
    reason: Option<&str>,
    coupon: Option<i64>,
) -> Result<Order, AppError> {
    let Caller { db, user, .. } = cx;
    if coupon.is_some() && event != Event::PayByCustomer {
        return Err(AppError::BadRequest);
    }
    db.write(|tx| {
        Box::pin(async move {
            let row = own(&mut *tx, user, id).await?;
            let viewer = viewer(user)?;
            // Who may raise which event.
            let allowed = matches!(
                (&viewer, event),
                (
                    Viewer::Customer(_),
                    Event::PayByCustomer | Event::Cancel | Event::Refund
                ) | (
                    Viewer::Partner(_),
                    Event::PayByPartner | Event::PartnerReject
                )
            );
            if !allowed {
                return Err(AppError::Forbidden);
            }
            let state = row.order.state;
            let to = next(state, event).map_err(AppError::conflict)?;
            let now = now_ms();
            let payer = match event {
                Event::PayByCustomer => Some(Payer::Customer),
                Event::PayByPartner => Some(Payer::Partner),
                _ => None,
            };
            if !repo::transition(
                &mut *tx,
                id,
                state.as_str(),
                to.as_str(),
                payer.map(Payer::as_str),
                reason,
                now,
            )
            .await?
            {
                // Someone else changed it since we read it: read again and answer from the new state.
                return Err(AppError::Busy);
            }
            let actor = cx.actor.clone();
            let customer = Owner::Customer(row.customer_id);
            let partner = Owner::Partner(row.partner_id);
            match event {
                Event::PayByCustomer | Event::PayByPartner => {
                    let from = if event == Event::PayByCustomer {
                        customer
                    } else {
                        partner
                    };
                    // A coupon pays its part first (one per order); the balance pays the rest.
                    let coupon_fen = match coupon {
                        Some(c) => {
                            let product =
                                super::model::product(&row.order.product).ok_or_else(|| {
                                    crate::vouchers::VoucherError::CouponNotApplicable.conflict()
                                })?;
                            let fen = crate::vouchers::service::spend_in(
                                &mut *tx,
                                row.customer_id,
                                c,
                                id,
                                &product,
                                row.order.amount.fen(),
                                now,
                            )
                            .await?;
                            repo::set_coupon_fen(&mut *tx, id, fen).await?;
                            fen
                        }
                        None => 0,
                    };
                    if let Some(amount) = Amount::from_fen(row.order.amount.fen() - coupon_fen) {
                        transfer_in(
                            &mut *tx,
                            Operation::Pay,
                            from,
                            Owner::External,
                            amount,
                            &crate::idempotency::Scope::Orders,
                            &format!("order-{id}-pay"),
                            &actor,
                        )
                        .await?;
                    }
                }
                Event::Refund => {
                    let to = match row.order.payer {
                        Some(Payer::Partner) => partner,
                        _ => customer,
                    };
                    // Only what was paid comes back; a coupon's part returns to its quota (退订回收).
                    crate::vouchers::service::refund_in(&mut *tx, id, &actor, now).await?;
                    if let Some(amount) =
                        Amount::from_fen(row.order.amount.fen() - row.order.coupon_amount.fen())
                    {
                        transfer_in(
                            &mut *tx,
                            Operation::Refund,
                            Owner::External,
                            to,
                            amount,
                            &crate::idempotency::Scope::Orders,
                            &format!("order-{id}-refund"),
                            &actor,
                        )
                        .await?;
                    }
                }
                Event::PartnerReject | Event::Cancel => {}
            }
            let p = params([
                ("number", row.order.number.as_str()),
                ("customer", row.order.customer_name.as_str()),
                ("reason", reason.unwrap_or("")),
            ]);
            let to_customer = match event {
                Event::PayByPartner => Some("order.paid"),
                Event::PartnerReject => Some("order.rejected"),
                _ => None,
            };
            if let Some(kind) = to_customer {
                let to = To::Customer(row.customer_id);
                send(&mut *tx, to, kind, &p, Some("/customer/orders"), now).await?;
            }
            if event == Event::Refund && row.order.payer == Some(Payer::Partner) {
                send(
                    &mut *tx,
                    To::Partner(row.partner_id),
                    "order.refunded",
                    &p,
                    Some("/center/sales/orders?tab=all"),
                    now,
                )
                .await?;
            }
            let action = match event {
                Event::PayByCustomer => "orders.pay",
                Event::PayByPartner => "orders.partner_pay",
                Event::PartnerReject => "orders.partner_reject",
                Event::Cancel => "orders.cancel",
                Event::Refund => "orders.refund",
            };
            cx.actor
                .record(tx, action, Target::Order(id), "", now)
                .await?;
            let row = repo::get(&mut **tx, id).await?.ok_or(AppError::Internal)?;
            Ok(row.order)
        })
    })
    .await
}

/// Applies an event to an order (through the one write path, which retries conflicting writes).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn act(
    cx: &Caller,
    id: i64,
    event: Event,
    reason: Option<&crate::plans::model::Reason>,
    coupon: Option<i64>,
) -> Result<Order, AppError> {
    attempt(cx, id, event, reason.map(|r| r.as_str()), coupon).await
}

/// Cancels every order still unpaid (待支付, 待伙伴支付) `unpaid_for` after it was placed: nothing
/// was charged, so nothing moves. The customer is told, and the partner too when it had been
/// asked to pay (伙伴代付). The scheduler's work.
pub async fn cancel_unpaid(
    db: &crate::server::db::Db,
    actor: &crate::accounts::audit::Actor,
    now: i64,
    unpaid_for: i64,
) -> Result<u64, AppError> {
    use crate::server::jobs::{BATCH, Batch, drain};
    let days = (unpaid_for / crate::domain::DAY_MS).to_string();
    let days = days.as_str();
    drain(db, |tx| {
        Box::pin(async move {
            let due = repo::unpaid(&mut *tx, now - unpaid_for, BATCH).await?;
            let mut done = 0;
            for o in &due {
                let Some(state) = OrderState::parse(&o.state) else {
                    continue;
                };
                next(state, Event::Cancel).map_err(AppError::conflict)?;
                if !repo::transition(
                    &mut *tx,
                    o.id,
                    &o.state,
                    OrderState::Cancelled.as_str(),
                    None,
                    None,
                    now,
                )
                .await?
                {
                    continue;
                }
                done += 1;
                let p = params([
                    ("number", o.number.as_str()),
                    ("customer", o.customer_name.as_str()),
                    ("days", days),
                ]);
                let to = To::Customer(o.customer_id);
                send(
                    &mut *tx,
                    to,
                    "order.auto_cancelled",
                    &p,
                    Some("/customer/orders"),
                    now,
                )
                .await?;
                if state == OrderState::AwaitingPartner {
                    send(
                        &mut *tx,
                        To::Partner(o.partner_id),
                        "order.auto_cancelled",
                        &p,
                        Some("/center/sales/orders?tab=all"),
                        now,
                    )
                    .await?;
                }
                actor
                    .record(tx, "orders.auto_cancel", Target::Order(o.id), days, now)
                    .await?;
            }
            Ok(Batch::new(due.len(), done))
        })
    })
    .await
}

/// On disassociation, inside its transaction: the customer's requests that its partner pay go
/// back to 待支付 with `reason`. Returns how many.
pub async fn release_partner_requests_in(
    tx: &mut Tx<'_>,
    customer: i64,
    partner: i64,
    reason: &str,
    now: i64,
) -> Result<u64, AppError> {
    Ok(repo::release_partner_requests(tx, customer, partner, reason, now).await?)
}

/// Whether the partner lets its consulting customers ask it to pay.
pub async fn allows_consulting_pay(cx: &Caller) -> Result<bool, AppError> {
    let Caller { db, user, .. } = cx;
    let Viewer::Partner(p) = viewer(user)? else {
        return Err(AppError::Forbidden);
    };
    Ok(repo::allow_consulting_pay(&db.pool, p).await?)
}

pub async fn set_allow_consulting_pay(cx: &Caller, allow: bool) -> Result<(), AppError> {
    let Caller { db, user, .. } = cx;
    let Viewer::Partner(p) = viewer(user)? else {
        return Err(AppError::Forbidden);
    };
    db.write(|tx| {
        Box::pin(async move {
            repo::set_allow_consulting_pay(&mut **tx, p, allow).await?;
            cx.actor
                .record(
                    tx,
                    if allow {
                        "orders.allow_consulting_pay"
                    } else {
                        "orders.deny_consulting_pay"
                    },
                    Target::Partner(p),
                    "",
                    now_ms(),
                )
                .await
        })
    })
    .await
}

/// For the customer's order form: may it ask its partner to pay?
pub async fn may_request_partner_pay(cx: &Caller) -> Result<bool, AppError> {
    let Caller { db, user, .. } = cx;
    let Viewer::Customer(c) = viewer(user)? else {
        return Err(AppError::Forbidden);
    };
    let link = repo::customer_link(&db.pool, c)
        .await?
        .ok_or(AppError::Forbidden)?;
    Ok(link.mode == "resale" || link.allow_consulting_pay == 1)
}

/// The coupons the customer could spend on this order of its own (for the pay page).
pub async fn coupons_for(
    cx: &Caller,
    id: i64,
) -> Result<Vec<crate::vouchers::model::Coupon>, AppError> {
    let Caller { db, user, .. } = cx;
    let Viewer::Customer(customer) = viewer(user)? else {
        return Err(AppError::Forbidden);
    };
    let row = {
        let mut tx = db.pool.begin().await?;
        let row = own(&mut tx, user, id).await?;
        tx.commit().await?;
        row
    };
    let Some(product) = super::model::product(&row.order.product) else {
        return Ok(vec![]);
    };
    crate::vouchers::service::usable_for_order(db, customer, &product, row.order.amount.fen()).await
}
