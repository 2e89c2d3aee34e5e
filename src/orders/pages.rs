//! 我的订单 (customer), 客户订单 (partner), the order form and the confirmation step of every
//! action on an order.

use super::api::{
    ActOnOrder, CreateOrder, SetConsultingPay, consulting_pay, get_order, list_orders,
    partner_pay_allowed,
};
use super::model::{CATALOGUE, Order, OrderQuery, OrderState, Payer};
use crate::domain::{Money, Role, format_time};
use crate::i18n::{Lang, t, use_lang};
use crate::ui::{
    Col, DataTable, ErrorNotice, ExportLinks, Field, FormError, Paged, RequireRole, failure,
    loading,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn payment_label(lang: Lang, o: &Order) -> &'static str {
    match (o.payer, o.partner_requested) {
        (Some(Payer::Partner), _) => t(lang, "orders.paid_by_partner"),
        (Some(Payer::Customer), _) => t(lang, "orders.paid_by_self"),
        (None, true) if o.state == OrderState::AwaitingPartner => t(lang, "orders.partner_pay"),
        _ => t(lang, "orders.self_pay"),
    }
}

/// Tabs as links (`?tab=`), so they work before the WebAssembly loads.
#[component]
fn Tabs(base: &'static str, tabs: Vec<(&'static str, &'static str)>) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let current = move || query.read().get("tab").unwrap_or_default();
    view! {
        <nav class="tabs" role="tablist">
            {tabs.into_iter().map(|(tab, key)| {
                let href = if tab.is_empty() { base.to_string() } else { format!("{base}?tab={tab}") };
                let selected = move || current() == tab;
                view! {
                    <a role="tab" href=href class=move || if selected() { "tab active" } else { "tab" } aria-selected=move || selected().to_string()>{t(lang, key)}</a>
                }
            }).collect_view()}
        </nav>
    }
}

#[component]
fn OrderTable(orders: Vec<Order>, partner: bool) -> impl IntoView {
    let lang = use_lang();
    let base = if partner {
        "/center/sales/orders"
    } else {
        "/customer/orders"
    };
    let rows = orders.into_iter().map(|o| {
        let link = |action: &str| format!("{base}/{}?action={action}", o.id);
        let actions = if partner {
            (o.state == OrderState::AwaitingPartner).then(|| view! {
                <a href=link("partner-pay")>{t(lang, "orders.pay")}</a>
                <a href=link("reject")>{t(lang, "orders.reject")}</a>
            }.into_any())
        } else if o.state.unpaid() {
            Some(view! {
                <a href=link("pay")>{t(lang, "orders.continue_pay")}</a>
                <a href=link("cancel")>{t(lang, "orders.cancel")}</a>
            }.into_any())
        } else if o.state == OrderState::Paid {
            Some(view! { <a href=link("refund")>{t(lang, "orders.refund")}</a> }.into_any())
        } else {
            None
        };
        view! {
            <tr data-testid=format!("order-{}", o.number)>
                <td><code>{o.number.clone()}</code></td>
                {partner.then(|| view! { <td>{o.customer_name.clone()}</td> })}
                <td>{t(lang, o.product_key())}</td>
                <td class="num">{o.quantity}</td>
                <td class="num">{o.amount.grouped()}</td>
                <td>{payment_label(lang, &o)}</td>
                <td>
                    {t(lang, o.state.label_key())}
                    {o.reject_reason.clone().map(|r| view! { <br /><span class="muted">{t(lang, "orders.rejected_because")}" "{crate::i18n::text_or_key(lang, &r).to_string()}</span> })}
                </td>
                <td>{format_time(o.created_at)}</td>
                <td class="actions">{actions}</td>
            </tr>
        }
    }).collect_view();
    view! { <DataTable testid="orders" rows=rows.into_any()
    columns=vec![Col::text("orders.number"), Col::text("customer.name").shown_if(partner), Col::text("orders.product"),
        Col::num("orders.quantity"), Col::num("orders.amount").sorts("amount"), Col::text("orders.payment"), Col::text("orders.state"),
        Col::text("common.created_at").sorts("created"), Col::text("common.actions")] /> }
}

/// 我的订单, with the 待支付 tab.
#[component]
pub fn CustomerOrders() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let args = move || OrderQuery::read(|k| query.read().get(k).unwrap_or_default());
    let orders = Resource::new(args, list_orders);
    view! {
        <RequireRole role=Role::Customer>
            <section class="panel">
                <h1>{t(lang, "orders.mine")}</h1>
                <p><a class="btn btn-primary" href="/customer/orders/new">{t(lang, "orders.new")}</a></p>
                {move || query.read().get("created").map(|_| view! { <p class="notice-ok" role="status">{t(lang, "orders.created")}</p> })}
                {move || query.read().get("done").map(|n| view! { <p class="notice-ok" role="status">{t(lang, "orders.done")}" "{n}</p> })}
                <Tabs base="/customer/orders" tabs=vec![("", "common.all"), ("unpaid", "orders.tab.unpaid"), ("paid", "orders.state.paid"), ("cancelled", "orders.state.cancelled"), ("refunded", "orders.state.refunded")] />
                <Paged list=orders empty="orders.empty" sizes=true
                    body=|orders| view! { <OrderTable orders partner=false /> }.into_any()
                />
            </section>
        </RequireRole>
    }
}

/// The order form: product, quantity, who pays.
#[component]
pub fn NewOrderPage() -> impl IntoView {
    let lang = use_lang();
    let allowed = Resource::new(|| (), |_| partner_pay_allowed());
    let create = ServerAction::<CreateOrder>::new();
    let error = failure(create);
    view! {
        <RequireRole role=Role::Customer>
            <section class="panel">
                <h1>{t(lang, "orders.new")}</h1>
                <ActionForm action=create attr:class="form" attr:novalidate=true>
                    <label for="order-product">{t(lang, "orders.product")}</label>
                    <select id="order-product" name="product">
                        {CATALOGUE.into_iter().map(|p| {
                            let price = Money::from_fen(p.price_fen).map(|m| m.to_string()).unwrap_or_default();
                            view! { <option value=p.code>{t(lang, p.name_key)}" · "{price}" "{t(lang, "orders.per_month")}</option> }
                        }).collect_view()}
                    </select>
                    <label for="order-quantity">{t(lang, "orders.quantity")}</label>
                    <input id="order-quantity" name="quantity" inputmode="numeric" value="1" />
                    <fieldset class="checks">
                        <legend>{t(lang, "orders.payment")}</legend>
                        <label><input type="radio" name="payment" value="self" checked=true />" "{t(lang, "orders.self_pay")}</label>
                        <Suspense>
                            {move || Suspend::new(async move {
                                match allowed.await {
                                    Ok(true) => view! { <label><input type="radio" name="payment" value="partner" />" "{t(lang, "orders.partner_pay")}</label> }.into_any(),
                                    _ => view! { <p class="muted" data-testid="partner-pay-unavailable">{t(lang, "orders.partner_pay_unavailable")}</p> }.into_any(),
                                }
                            })}
                        </Suspense>
                    </fieldset>
                    <FormError error />
                    <div class="button-row">
                        <button type="submit" class="btn btn-primary">{t(lang, "orders.submit")}</button>
                        <a class="btn" href="/customer/orders">{t(lang, "common.cancel")}</a>
                    </div>
                </ActionForm>
            </section>
        </RequireRole>
    }
}

/// The confirmation step of an action on one order (`?action=`): what it is, what it moves.
#[component]
fn OrderAction(role: Role) -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(0);
    let action = query.read_untracked().get("action").unwrap_or_default();
    let detail = Resource::new(move || id, get_order);
    let customer_pays = role == Role::Customer && action == "pay";
    let chosen = query
        .read_untracked()
        .get("coupon")
        .and_then(|c| c.parse::<i64>().ok());
    let coupons = Resource::new(
        move || id,
        move |id| async move {
            if customer_pays {
                super::api::order_coupons(id).await
            } else {
                Ok(vec![])
            }
        },
    );
    let act = ServerAction::<ActOnOrder>::new();
    let error = failure(act);
    let back = if role == Role::Partner {
        "/center/sales/orders"
    } else {
        "/customer/orders"
    };
    let (title, moves) = match action.as_str() {
        "pay" => ("orders.confirm.pay", true),
        "partner-pay" => ("orders.confirm.partner_pay", true),
        "refund" => ("orders.confirm.refund", true),
        "cancel" => ("orders.confirm.cancel", false),
        "reject" => ("orders.confirm.reject", false),
        _ => ("orders.confirm.unknown", false),
    };
    view! {
        <section class="panel confirm-box" data-testid="order-confirm">
            <h1>{t(lang, title)}</h1>
            <Suspense fallback=move || loading(lang)>
                {move || {
                    let action = action.clone();
                    Suspend::new(async move {
                    let coupons = coupons.await.unwrap_or_default();
                    match detail.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(d) => {
                            let o = d.order.clone();
                            let refund = action == "refund";
                            // A chosen coupon pays its part first; a refund returns only what was paid.
                            let coupon = chosen.and_then(|c| coupons.iter().find(|k| k.id == c).cloned());
                            let deduction = coupon.as_ref().map(|k| if k.balance < o.amount { k.balance } else { o.amount }).unwrap_or(crate::domain::Money::ZERO);
                            let payable = if refund { o.amount.checked_sub(o.coupon_amount) } else { o.amount.checked_sub(deduction) }.unwrap_or(crate::domain::Money::ZERO);
                            let after = if refund { d.balance.checked_add(payable) } else { d.balance.checked_sub(payable) };
                            let short = moves && after.is_none();
                            view! {
                                <dl class="facts">
                                    <dt>{t(lang, "orders.number")}</dt><dd>{o.number.clone()}</dd>
                                    <dt>{t(lang, "orders.product")}</dt><dd>{t(lang, o.product_key())}" × "{o.quantity}</dd>
                                    <dt>{t(lang, "orders.amount")}</dt><dd data-testid="confirm-amount">{o.amount.to_string()}</dd>
                                    <dt>{t(lang, "orders.state")}</dt><dd>{t(lang, o.state.label_key())}</dd>
                                    {(moves && !refund).then(|| view! {
                                        <dt>{t(lang, "funds.my_balance")}</dt>
                                        <dd>{d.balance.to_string()}" → "{after.map(|a| a.to_string()).unwrap_or_else(|| t(lang, "orders.insufficient").to_string())}</dd>
                                    })}
                                    {(deduction > crate::domain::Money::ZERO || o.coupon_amount > crate::domain::Money::ZERO).then(|| view! {
                                        <dt>{t(lang, "orders.coupon_deduction")}</dt>
                                        <dd data-testid="confirm-deduction">{if refund { o.coupon_amount.to_string() } else { deduction.to_string() }}</dd>
                                        <dt>{t(lang, if refund { "orders.refund_amount" } else { "orders.pay_amount" })}</dt>
                                        <dd data-testid="confirm-payable">{payable.to_string()}</dd>
                                    })}
                                    {refund.then(|| view! { <dt>{t(lang, "orders.refund_to")}</dt><dd>{payment_label(lang, &o)}</dd> })}
                                </dl>
                                {(customer_pays && !coupons.is_empty()).then(|| view! {
                                    <form method="get" class="search-bar" data-testid="coupon-choice">
                                        <input type="hidden" name="action" value="pay" />
                                        <label for="order-coupon">{t(lang, "orders.use_coupon")}</label>
                                        <select id="order-coupon" name="coupon">
                                            <option value="">{t(lang, "orders.no_coupon")}</option>
                                            {coupons.iter().map(|k| {
                                                let selected = chosen == Some(k.id);
                                                view! { <option value=k.id selected=selected>{format!("{} · {} {} · {}", k.number, k.balance, t(lang, "common.yuan"), k.partner_name)}</option> }
                                            }).collect_view()}
                                        </select>
                                        <button type="submit" class="btn">{t(lang, "orders.apply_coupon")}</button>
                                    </form>
                                })}
                                <ActionForm action=act>
                                    <input type="hidden" name="id" value=o.id.to_string() />
                                    <input type="hidden" name="action" value=action.clone() />
                                    <input type="hidden" name="coupon" value=coupon.as_ref().map(|k| k.id.to_string()).unwrap_or_default() />
                                    {(action == "reject").then(|| view! {
                                        <Field id="reject-reason" name="reason" label="orders.reject_reason" maxlength=200 />
                                    })}
                                    <FormError error />
                                    <div class="button-row">
                                        <button type="submit" class="btn btn-primary" disabled=short>{t(lang, "common.confirm")}</button>
                                        <a class="btn" href=back>{t(lang, "common.cancel")}</a>
                                    </div>
                                </ActionForm>
                            }.into_any()
                        }
                    }
                })}}
            </Suspense>
        </section>
    }
}

#[component]
pub fn CustomerOrderAction() -> impl IntoView {
    view! { <RequireRole role=Role::Customer><OrderAction role=Role::Customer /></RequireRole> }
}

#[component]
pub fn PartnerOrderAction() -> impl IntoView {
    view! { <OrderAction role=Role::Partner /> }
}

/// 客户订单 with 待付订单 (partner-paid requests) and the consulting-customer switch.
#[component]
pub fn PartnerOrders() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let tab = move || query.read().get("tab").unwrap_or_else(|| "awaiting".into());
    let args = move || OrderQuery {
        tab: tab(),
        ..OrderQuery::read(|k| query.read().get(k).unwrap_or_default())
    };
    let orders = Resource::new(args, list_orders);
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let payment = move |v: &str| get("payment") == v;
    let allow = Resource::new(|| (), |_| consulting_pay());
    let set = ServerAction::<SetConsultingPay>::new();
    view! {
        <h1>{t(lang, "orders.partner_title")}</h1>
        {move || query.read().get("done").map(|n| view! { <p class="notice-ok" role="status">{t(lang, "orders.done")}" "{n}</p> })}
        <nav class="tabs" role="tablist">
            <a role="tab" href="/center/sales/orders" class=move || if tab() == "awaiting" { "tab active" } else { "tab" }>{t(lang, "orders.tab.awaiting")}</a>
            <a role="tab" href="/center/sales/orders?tab=all" class=move || if tab() == "all" { "tab active" } else { "tab" }>{t(lang, "common.all")}</a>
        </nav>
        <Suspense>
            {move || Suspend::new(async move {
                let on = allow.await.unwrap_or(false);
                view! {
                    <ActionForm action=set attr:class="search-bar">
                        <input type="hidden" name="allow" value=(!on).to_string() />
                        <span>{t(lang, if on { "orders.consulting_pay.on" } else { "orders.consulting_pay.off" })}</span>
                        <button type="submit" class="btn">{t(lang, if on { "orders.consulting_pay.disable" } else { "orders.consulting_pay.enable" })}</button>
                    </ActionForm>
                }
            })}
        </Suspense>
        <form method="get" class="search-bar" data-testid="order-filters">
            <input type="hidden" name="tab" value=tab />
            <label for="order-q">{t(lang, "common.keyword")}</label>
            <input id="order-q" name="q" maxlength="64" prop:value=move || get("q") placeholder=t(lang, "orders.search_hint") />
            <label for="order-payment">{t(lang, "orders.payment")}</label>
            <select id="order-payment" name="payment">
                <option value="" selected=move || payment("")>{t(lang, "common.all")}</option>
                <option value="self" selected=move || payment("self")>{t(lang, "orders.self_pay")}</option>
                <option value="partner" selected=move || payment("partner")>{t(lang, "orders.partner_pay")}</option>
            </select>
            <label for="order-from">{t(lang, "common.from_date")}</label>
            <input id="order-from" name="from" type="date" prop:value=move || get("from") />
            <label for="order-to">{t(lang, "common.to_date")}</label>
            <input id="order-to" name="to" type="date" prop:value=move || get("to") />
            <button type="submit" class="btn">{t(lang, "common.search")}</button>
            <ExportLinks path="/center/sales/orders/export" with=vec![("tab", "awaiting")] />
        </form>
        <Paged list=orders empty="orders.partner_empty" sizes=true
            body=|orders| view! { <OrderTable orders partner=true /> }.into_any()
        />
    }
}
