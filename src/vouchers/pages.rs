//! Pages of 券管理 (代金券管理 / 提货券管理), their confirmation steps, and the customer's
//! 我的优惠券.

use super::api::{
    ConfirmIssue, ConfirmQuotaIssue, ConfirmQuotaReclaim, ConfirmReclaim, SetWhitelisted,
    eligible_customers, list_coupons, list_issued_quotas, list_quotas, list_records, list_uses,
    list_whitelist, my_coupons, preview_issue, preview_quota_issue, preview_quota_reclaim,
    preview_reclaim, whitelist_console,
};
use super::model::{Coupon, CouponStatus, Kind, Operation, Quota, QuotaStatus};
use crate::domain::{PartnerKind, Role, format_time};
use crate::i18n::{Lang, t, use_lang};
use crate::ui::{Auth, EmptyState, ErrorNotice, FormError, Pagination, RequireRole, urlencode};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

type Query = Memo<leptos_router::params::ParamsMap>;

fn q(query: Query, key: &str) -> String {
    query.read().get(key).unwrap_or_default()
}

/// Every value of a repeated query parameter (checkboxes), comma-joined.
fn q_all(query: Query, key: &str) -> String {
    query.read().get_all(key).unwrap_or_default().join(",")
}

fn kind_of(query: Query) -> Kind {
    Kind::parse(&q(query, "tab")).unwrap_or(Kind::Coupon)
}

fn kind_word(lang: Lang, kind: Kind) -> &'static str {
    t(
        lang,
        if kind == Kind::Coupon {
            "voucher.coupon"
        } else {
            "voucher.pickup"
        },
    )
}

fn loading(lang: Lang) -> impl IntoView {
    view! { <p class="loading">{t(lang, "common.loading")}</p> }
}

/// 券管理: the two tabs and their sub-views.
#[component]
pub fn VouchersPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let distributor = expect_context::<Auth>()
        .user
        .and_then(|u| u.partner)
        .is_some_and(|p| p.kind == PartnerKind::Distributor);
    let view_name = move || {
        let v = q(query, "view");
        if v.is_empty() {
            "quotas".to_string()
        } else {
            v
        }
    };
    let tab_link = move |kind: Kind, label: &'static str| {
        let active = kind_of(query) == kind;
        view! {
            <a href=format!("/center/sales/vouchers?tab={}", kind.as_str()) role="tab" aria-selected=active.to_string()
               class=if active { "tab active" } else { "tab" } data-testid=format!("tab-{}", kind.as_str())>{t(lang, label)}</a>
        }
    };
    let sub = move |name: &'static str, label: &'static str| {
        let active = view_name() == name;
        view! {
            <a href=format!("/center/sales/vouchers?tab={}&view={name}", kind_of(query).as_str())
               class=if active { "tab active" } else { "tab" } data-testid=format!("view-{name}")>{t(lang, label)}</a>
        }
    };
    view! {
        <h1>{t(lang, "sales.vouchers")}</h1>
        <div class="tabs" role="tablist">
            {move || tab_link(Kind::Coupon, "voucher.tab.coupon")}
            {move || tab_link(Kind::Pickup, "voucher.tab.pickup")}
        </div>
        <Banners />
        {move || match kind_of(query) {
            Kind::Coupon => view! {
                <nav class="tabs sub-tabs">
                    {sub("quotas", "voucher.view.coupon_quotas")}
                    {sub("issued", "voucher.view.issued_coupons")}
                    {distributor.then(|| sub("issued-quotas", "voucher.view.issued_quotas"))}
                    {sub("records", "voucher.view.records")}
                </nav>
            }.into_any(),
            Kind::Pickup => view! {
                <nav class="tabs sub-tabs">
                    {sub("quotas", "voucher.view.pickup_quotas")}
                    {sub("issued", "voucher.view.reclaim_pickups")}
                    {sub("uses", "voucher.view.uses")}
                    {sub("records", "voucher.view.records")}
                    {sub("whitelist", "voucher.view.whitelist")}
                </nav>
            }.into_any(),
        }}
        {move || {
            let kind = kind_of(query);
            match view_name().as_str() {
                "issued" => view! { <CouponList kind /> }.into_any(),
                "issued-quotas" => view! { <IssuedQuotaList /> }.into_any(),
                "records" => view! { <RecordList kind /> }.into_any(),
                "uses" => view! { <UseList kind /> }.into_any(),
                "whitelist" => view! { <Whitelist /> }.into_any(),
                _ => view! { <QuotaList kind /> }.into_any(),
            }
        }}
    }
}

#[component]
fn Banners() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    move || {
        let issued = q(query, "issued");
        let reclaimed = q(query, "reclaimed");
        let given = q(query, "given");
        let taken = q(query, "taken");
        view! {
            {(!issued.is_empty()).then(|| view! { <p class="notice-ok" role="status" data-testid="issued-banner">{t(lang, "voucher.issued_ok")}" "{issued.clone()}</p> })}
            {(!reclaimed.is_empty()).then(|| view! {
                <p class="notice-ok" role="status" data-testid="reclaimed-banner">
                    {t(lang, "voucher.reclaimed_ok")}" "{q(query, "count")}"; "{t(lang, "voucher.reclaimed_amount")}" "
                    <strong data-testid="reclaimed-amount">{reclaimed.clone()}</strong>" "{t(lang, "common.yuan")}
                </p>
            })}
            {(!given.is_empty()).then(|| view! { <p class="notice-ok" role="status" data-testid="given-banner">{t(lang, "voucher.given_ok")}" "{given.clone()}" "{t(lang, "common.yuan")}</p> })}
            {(!taken.is_empty()).then(|| view! { <p class="notice-ok" role="status" data-testid="taken-banner">{t(lang, "voucher.taken_ok")}" "{taken.clone()}" "{t(lang, "common.yuan")}</p> })}
        }
    }
}

#[component]
fn QuotaRows(rows: Vec<Quota>, issue_link: Option<Kind>, reclaim_link: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="table" data-testid="quota-table">
            <thead><tr>
                <th>{t(lang, "voucher.col.quota")}</th>
                {reclaim_link.then(|| view! { <th>{t(lang, "voucher.col.reseller")}</th> })}
                <th>{t(lang, "voucher.col.status")}</th>
                <th class="num">{t(lang, "voucher.col.total")}</th>
                <th class="num">{t(lang, "voucher.col.used")}</th>
                <th class="num">{t(lang, "voucher.col.remaining")}</th>
                <th>{t(lang, "voucher.col.validity")}</th>
                <th>{t(lang, "voucher.col.limits")}</th>
                <th>{t(lang, "common.actions")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let normal = r.status == QuotaStatus::Normal;
                    let limits = format!(
                        "{}{}{}",
                        r.max_face.map(|m| format!("{} ≤ {m}", t(lang, "voucher.max_face"))).unwrap_or_default(),
                        if r.service_types.is_empty() { String::new() } else { format!(" {}", r.service_types.join(",")) },
                        if r.products.is_empty() { String::new() } else { format!(" {}", r.products.join(",")) },
                    );
                    view! {
                        <tr data-testid=format!("quota-{}", r.id)>
                            <td>{r.id}</td>
                            {reclaim_link.then(|| view! { <td>{r.reseller_name.clone().unwrap_or_default()}</td> })}
                            <td data-testid="quota-status">{t(lang, r.status.label_key())}</td>
                            <td class="num">{r.value.to_string()}</td>
                            <td class="num">{r.used.to_string()}</td>
                            <td class="num" data-testid="quota-balance">{r.balance.to_string()}</td>
                            <td>{format_time(r.effective_at)}" ~ "{format_time(r.expires_at)}</td>
                            <td>{if limits.is_empty() { "-".to_string() } else { limits }}</td>
                            <td class="actions">
                                {issue_link.filter(|_| normal).map(|k| view! {
                                    <a href=format!("/center/sales/vouchers/issue?kind={}&quota={}", k.as_str(), r.id) data-testid=format!("issue-from-{}", r.id)>
                                        {t(lang, if k == Kind::Coupon { "voucher.issue_coupon" } else { "voucher.issue_pickup" })}
                                    </a>
                                })}
                                {(reclaim_link && normal).then(|| view! {
                                    <a href=format!("/center/sales/vouchers/quota-reclaim?ids={}", r.id) data-testid=format!("reclaim-quota-{}", r.id)>{t(lang, "voucher.reclaim")}</a>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn QuotaList(kind: Kind) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let list = Resource::new(
        move || (kind, q(query, "page").parse::<u32>().ok()),
        |(k, page)| list_quotas(k.as_str().to_string(), page),
    );
    view! {
        <Suspense fallback=move || loading(lang)>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <EmptyState title=t(lang, "voucher.no_quotas") hint=t(lang, "voucher.no_quotas_hint") /> }.into_any(),
                    Ok(p) => {
                        let pages = p.pages();
                        view! { <QuotaRows rows=p.items issue_link=Some(kind) reclaim_link=false /> <Pagination number=p.number pages total=p.total /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn IssuedQuotaList() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let list = Resource::new(
        move || q(query, "page").parse::<u32>().ok(),
        list_issued_quotas,
    );
    view! {
        <p><a class="btn" href="/center/sales/vouchers/quota-issue" data-testid="give-quota">{t(lang, "voucher.give_quota")}</a></p>
        <Suspense fallback=move || loading(lang)>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <EmptyState title=t(lang, "voucher.no_issued_quotas") /> }.into_any(),
                    Ok(p) => {
                        let pages = p.pages();
                        view! { <QuotaRows rows=p.items issue_link=None reclaim_link=true /> <Pagination number=p.number pages total=p.total /> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn CouponRows(rows: Vec<Coupon>, selectable: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="table" data-testid="coupon-table">
            <thead><tr>
                {selectable.then(|| view! { <th><span class="visually-hidden">{t(lang, "voucher.select")}</span></th> })}
                <th>{t(lang, "voucher.col.number")}</th>
                <th>{t(lang, "voucher.col.customer")}</th>
                <th class="num">{t(lang, "voucher.col.face")}</th>
                <th class="num">{t(lang, "voucher.col.balance")}</th>
                <th class="num">{t(lang, "voucher.col.min_order")}</th>
                <th>{t(lang, "voucher.col.validity")}</th>
                <th>{t(lang, "voucher.col.status")}</th>
                {selectable.then(|| view! { <th>{t(lang, "voucher.col.remark")}</th> })}
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|c| {
                    let usable = c.status == CouponStatus::Usable;
                    view! {
                        <tr data-testid=format!("coupon-{}", c.number)>
                            {selectable.then(|| view! {
                                <td>{usable.then(|| view! { <input type="checkbox" name="ids" value=c.id aria-label=c.number.clone() data-testid=format!("pick-{}", c.id) /> })}</td>
                            })}
                            <td>{c.number.clone()}</td>
                            <td>{c.customer_name.clone()}</td>
                            <td class="num">{c.face.to_string()}</td>
                            <td class="num" data-testid="coupon-balance">{c.balance.to_string()}</td>
                            <td class="num">{c.min_order.to_string()}</td>
                            <td>{format_time(c.effective_at)}" ~ "{format_time(c.expires_at)}</td>
                            <td data-testid="coupon-status">{t(lang, c.status.label_key())}</td>
                            {selectable.then(|| view! { <td>{c.remark.clone()}</td> })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// 已发放代金券 / 回收已下发提货券: a status filter and a list to pick coupons to reclaim.
#[component]
fn CouponList(kind: Kind) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let status = move || q(query, "status");
    let list = Resource::new(
        move || (kind, status(), q(query, "page").parse::<u32>().ok()),
        |(k, s, page)| list_coupons(k.as_str().to_string(), s, page),
    );
    view! {
        <form method="get" class="search-bar">
            <input type="hidden" name="tab" value=kind.as_str() />
            <input type="hidden" name="view" value="issued" />
            <label for="coupon-status">{t(lang, "voucher.col.status")}</label>
            <select id="coupon-status" name="status">
                <option value="" selected=move || status().is_empty()>{t(lang, "common.all")}</option>
                {[CouponStatus::Usable, CouponStatus::Used, CouponStatus::Expired, CouponStatus::Reclaimed].into_iter().map(|s| {
                    let code = s.code().to_string();
                    let selected = { let code = code.clone(); move || status() == code };
                    view! { <option value=code selected=selected>{t(lang, s.label_key())}</option> }
                }).collect_view()}
            </select>
            <button type="submit" class="btn">{t(lang, "common.search")}</button>
        </form>
        <Suspense fallback=move || loading(lang)>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <EmptyState title=t(lang, "voucher.no_coupons") /> }.into_any(),
                    Ok(p) => {
                        let pages = p.pages();
                        view! {
                            <form method="get" action="/center/sales/vouchers/reclaim">
                                <input type="hidden" name="kind" value=kind.as_str() />
                                <CouponRows rows=p.items selectable=true />
                                <button type="submit" class="btn" data-testid="reclaim-selected">{t(lang, "voucher.reclaim_selected")}</button>
                            </form>
                            <Pagination number=p.number pages total=p.total />
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn RecordList(kind: Kind) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let args = move || {
        (
            kind,
            q(query, "operation"),
            q(query, "from"),
            q(query, "to"),
            q(query, "page").parse::<u32>().ok(),
        )
    };
    let list = Resource::new(args, |(k, op, from, to, page)| {
        list_records(k.as_str().to_string(), op, from, to, page)
    });
    let csv = move || {
        format!(
            "/center/sales/vouchers/records.csv?tab={}&operation={}&from={}&to={}",
            kind.as_str(),
            urlencode(&q(query, "operation")),
            urlencode(&q(query, "from")),
            urlencode(&q(query, "to"))
        )
    };
    let ops: &[Operation] = match kind {
        Kind::Coupon => &Operation::ALL,
        Kind::Pickup => &Operation::ALL[..5],
    };
    view! {
        <form method="get" class="search-bar">
            <input type="hidden" name="tab" value=kind.as_str() />
            <input type="hidden" name="view" value="records" />
            <label for="record-op">{t(lang, "funds.col.operation")}</label>
            <select id="record-op" name="operation">
                <option value="">{t(lang, "common.all")}</option>
                {ops.iter().map(|o| {
                    let code = o.code().to_string();
                    let selected = { let code = code.clone(); move || q(query, "operation") == code };
                    view! { <option value=code selected=selected>{t(lang, o.label_key())}</option> }
                }).collect_view()}
            </select>
            <label for="record-from">{t(lang, "funds.search.from")}</label>
            <input id="record-from" name="from" type="date" value=move || q(query, "from") />
            <label for="record-to">{t(lang, "funds.search.to")}</label>
            <input id="record-to" name="to" type="date" value=move || q(query, "to") />
            <button type="submit" class="btn">{t(lang, "common.search")}</button>
            <a class="btn" href=csv rel="external" data-testid="records-csv">{t(lang, "common.export_csv")}</a>
        </form>
        <Suspense fallback=move || loading(lang)>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <EmptyState title=t(lang, "voucher.no_records") /> }.into_any(),
                    Ok(p) => {
                        let pages = p.pages();
                        view! {
                            <table class="table" data-testid="record-table">
                                <thead><tr>
                                    <th>{t(lang, "funds.col.operation")}</th>
                                    <th>{t(lang, "voucher.col.quota")}</th>
                                    <th>{t(lang, "voucher.col.number")}</th>
                                    <th>{t(lang, "voucher.col.target")}</th>
                                    <th class="num">{t(lang, "voucher.col.amount")}</th>
                                    <th>{t(lang, "voucher.col.remark")}</th>
                                    <th>{t(lang, "funds.col.operator")}</th>
                                    <th>{t(lang, "funds.col.time")}</th>
                                </tr></thead>
                                <tbody>
                                    {p.items.into_iter().map(|r| view! {
                                        <tr data-testid=format!("record-{}", r.operation.code())>
                                            <td>{t(lang, r.operation.label_key())}</td>
                                            <td>{r.quota_id}{r.parent_quota_id.map(|p| format!(" ← {p}"))}</td>
                                            <td>{r.coupon_number.clone().unwrap_or_default()}</td>
                                            <td>{r.customer_name.clone().or(r.reseller_name.clone()).unwrap_or_default()}</td>
                                            <td class="num">{r.amount.to_string()}</td>
                                            <td>{r.remark.clone()}</td>
                                            <td>{r.actor.clone()}</td>
                                            <td>{format_time(r.created_at)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <Pagination number=p.number pages total=p.total />
                            {(p.total > i64::from(crate::domain::PageRequest::EXPORT_MAX_ROWS)).then(|| view! {
                                <p class="notice-warn" role="note" data-testid="export-too-many">{t(lang, "error.export.too_many")}</p>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn UseList(kind: Kind) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let list = Resource::new(
        move || (kind, q(query, "page").parse::<u32>().ok()),
        |(k, page)| list_uses(k.as_str().to_string(), page),
    );
    view! {
        <Suspense fallback=move || loading(lang)>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <EmptyState title=t(lang, "voucher.no_uses") /> }.into_any(),
                    Ok(p) => {
                        let pages = p.pages();
                        view! {
                            <table class="table" data-testid="use-table">
                                <thead><tr>
                                    <th>{t(lang, "voucher.col.number")}</th>
                                    <th>{t(lang, "voucher.col.customer")}</th>
                                    <th>{t(lang, "voucher.col.order")}</th>
                                    <th class="num">{t(lang, "voucher.col.amount")}</th>
                                    <th>{t(lang, "funds.col.time")}</th>
                                </tr></thead>
                                <tbody>
                                    {p.items.into_iter().map(|u| view! {
                                        <tr><td>{u.coupon_number}</td><td>{u.customer_name}</td><td>{u.order_number}</td>
                                            <td class="num">{u.amount.to_string()}</td><td>{format_time(u.created_at)}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <Pagination number=p.number pages total=p.total />
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The partner's pickup whitelist, read-only: Huawei Cloud operations grant it.
#[component]
fn Whitelist() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| list_whitelist());
    view! {
        <p class="muted">{t(lang, "voucher.whitelist_hint")}</p>
        <p class="notice-info" data-testid="whitelist-granted">{t(lang, "voucher.whitelist_granted")}</p>
        <Suspense fallback=move || loading(lang)>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(l) if l.is_empty() => view! { <EmptyState title=t(lang, "voucher.whitelist_empty") /> }.into_any(),
                    Ok(l) => whitelist_table(lang, l, None),
                }
            })}
        </Suspense>
    }
}

/// A whitelist as a table; with `remove` (the operator's console) each row can be removed.
fn whitelist_table(
    lang: Lang,
    entries: Vec<super::model::WhitelistEntry>,
    remove: Option<(ServerAction<SetWhitelisted>, i64)>,
) -> AnyView {
    view! {
        <table class="table" data-testid="whitelist">
            <thead><tr>
                <th>{t(lang, "funds.col.login")}</th><th>{t(lang, "voucher.col.customer")}</th><th>{t(lang, "common.created_at")}</th>
                {remove.is_some().then(|| view! { <th>{t(lang, "common.actions")}</th> })}
            </tr></thead>
            <tbody>
                {entries.into_iter().map(|w| view! {
                    <tr data-testid=format!("wl-{}", w.login)>
                        <td>{w.login.clone()}</td><td>{w.customer_name.clone()}</td><td>{format_time(w.created_at)}</td>
                        {remove.map(|(set, partner)| view! {
                            <td>
                                <ActionForm action=set attr:class="inline">
                                    <input type="hidden" name="partner" value=partner />
                                    <input type="hidden" name="action" value="remove" />
                                    <input type="hidden" name="customer" value=w.customer_id />
                                    <button type="submit" class="btn-link">{t(lang, "voucher.whitelist_remove")}</button>
                                </ActionForm>
                            </td>
                        })}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// 提货券白名单 for operators: choose a partner, then add one of its resale customers or remove
/// one from its whitelist. Every change is audited.
#[component]
pub fn OperatorWhitelist() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let partner = move || q(query, "partner");
    let set = ServerAction::<SetWhitelisted>::new();
    let error = Signal::derive(move || set.value().get().and_then(|r| r.err()));
    let console = Resource::new(partner, |p| whitelist_console(Some(p)));
    view! {
        <RequireRole role=Role::Operator>
            <section class="panel" data-testid="operator-whitelist">
                <h1>{t(lang, "operator.whitelist")}</h1>
                <p class="muted">{t(lang, "voucher.whitelist_hint")}</p>
                <FormError error />
                <Suspense fallback=move || loading(lang)>
                    {move || Suspend::new(async move {
                        let c = match console.await {
                            Err(e) => return view! { <ErrorNotice error=e /> }.into_any(),
                            Ok(c) => c,
                        };
                        if c.partners.is_empty() {
                            return view! { <EmptyState title=t(lang, "operator.whitelist.no_partners") /> }.into_any();
                        }
                        let chosen = c.partner;
                        view! {
                            <form method="get" class="search-bar">
                                <label for="wl-partner">{t(lang, "partner.name")}</label>
                                <select id="wl-partner" name="partner">
                                    <option value="" selected=chosen.is_none()>{t(lang, "operator.whitelist.choose")}</option>
                                    {c.partners.into_iter().map(|(id, name)| view! {
                                        <option value=id selected=chosen == Some(id)>{name}</option>
                                    }).collect_view()}
                                </select>
                                <button type="submit" class="btn">{t(lang, "common.search")}</button>
                            </form>
                            {chosen.map(|p| view! {
                                {(!c.candidates.is_empty()).then(|| view! {
                                    <ActionForm action=set attr:class="search-bar">
                                        <input type="hidden" name="partner" value=p />
                                        <input type="hidden" name="action" value="add" />
                                        <label for="wl-customer">{t(lang, "voucher.col.customer")}</label>
                                        <select id="wl-customer" name="customer">
                                            {c.candidates.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                                        </select>
                                        <button type="submit" class="btn btn-primary" data-testid="whitelist-add">{t(lang, "voucher.whitelist_add")}</button>
                                    </ActionForm>
                                })}
                                {if c.entries.is_empty() {
                                    view! { <EmptyState title=t(lang, "voucher.whitelist_empty") /> }.into_any()
                                } else {
                                    whitelist_table(lang, c.entries, Some((set, p)))
                                }}
                            })}
                        }.into_any()
                    })}
                </Suspense>
            </section>
        </RequireRole>
    }
}

/// 发放代金券 / 为客户下发提货券: the form (a GET, so it works before hydration), then the
/// confirmation with the quota before and after.
#[component]
pub fn IssuePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let kind = move || Kind::parse(&q(query, "kind")).unwrap_or(Kind::Coupon);
    let field = move |k: &'static str| move || q(query, k);
    let customers = Resource::new(kind, |k| eligible_customers(k.as_str().to_string()));
    let args = move || {
        (
            kind(),
            q(query, "quota"),
            q(query, "face"),
            q(query, "min_order"),
            q(query, "valid_from"),
            q(query, "expires"),
            q(query, "service_types"),
            q(query, "products"),
            q_all(query, "customers"),
            q(query, "remark"),
        )
    };
    let preview = Resource::new(
        args,
        |(k, quota, face, min, from, to, st, pr, cs, remark)| async move {
            if face.trim().is_empty() {
                return None;
            }
            Some(
                preview_issue(
                    k.as_str().to_string(),
                    quota,
                    face,
                    min,
                    from,
                    to,
                    st,
                    pr,
                    cs,
                    remark,
                )
                .await,
            )
        },
    );
    let confirm = ServerAction::<ConfirmIssue>::new();
    let error = Signal::derive(move || confirm.value().get().and_then(|r| r.err()));
    let chosen = move || q_all(query, "customers");
    view! {
        <h1>{move || t(lang, if kind() == Kind::Coupon { "voucher.issue_coupon" } else { "voucher.issue_pickup" })}</h1>
        <form method="get" class="form">
            <input type="hidden" name="kind" value=move || kind().as_str() />
            <input type="hidden" name="quota" value=field("quota") />
            <p>{t(lang, "voucher.col.quota")}": "{field("quota")}</p>
            <label for="issue-face">{t(lang, "voucher.col.face")}</label>
            <input id="issue-face" name="face" inputmode="decimal" autocomplete="off" value=field("face") />
            <label for="issue-min">{t(lang, "voucher.col.min_order")}</label>
            <input id="issue-min" name="min_order" inputmode="decimal" autocomplete="off" value=field("min_order") />
            <label for="issue-from">{t(lang, "voucher.valid_from")}</label>
            <input id="issue-from" name="valid_from" type="date" value=field("valid_from") />
            <label for="issue-to">{t(lang, "voucher.expires")}</label>
            <input id="issue-to" name="expires" type="date" value=field("expires") />
            <p class="muted">{t(lang, "voucher.validity_hint")}</p>
            <label for="issue-st">{t(lang, "voucher.service_types")}</label>
            <input id="issue-st" name="service_types" value=field("service_types") placeholder="hws.service.type.ec2" />
            <label for="issue-pr">{t(lang, "voucher.products")}</label>
            <input id="issue-pr" name="products" value=field("products") placeholder="ecs-c7-large" />
            <fieldset>
                <legend>{move || t(lang, if kind() == Kind::Coupon { "voucher.customers_resale" } else { "voucher.customers_whitelisted" })}</legend>
                <Suspense fallback=move || loading(lang)>
                    {move || Suspend::new(async move {
                        match customers.await {
                            Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                            Ok(c) if c.is_empty() => view! { <p class="muted" data-testid="no-eligible">{t(lang, "voucher.no_eligible")}</p> }.into_any(),
                            Ok(c) => c.into_iter().map(|(id, name, mode)| {
                                let checked = chosen().split(',').any(|x| x == id.to_string());
                                let mode = crate::domain::CustomerMode::parse(&mode).map(|m| t(lang, m.label_key())).unwrap_or_default();
                                view! { <label class="check"><input type="checkbox" name="customers" value=id checked=checked data-testid=format!("customer-{id}") />" "{name}" ("{mode}")"</label> }
                            }).collect_view().into_any(),
                        }
                    })}
                </Suspense>
                <p class="muted">{t(lang, "voucher.customers_hint")}</p>
            </fieldset>
            <label for="issue-remark">{t(lang, "voucher.col.remark")}</label>
            <input id="issue-remark" name="remark" maxlength="200" value=field("remark") />
            <button type="submit" class="btn btn-primary" data-testid="issue-next">{t(lang, "funds.next")}</button>
        </form>
        <Suspense>
            {move || Suspend::new(async move {
                match preview.await {
                    None => ().into_any(),
                    Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                    Some(Ok(p)) => view! {
                        <section class="panel confirm-box" data-testid="issue-preview">
                            <h2>{t(lang, "voucher.confirm_issue")}</h2>
                            <dl class="facts">
                                <dt>{t(lang, "voucher.col.face")}</dt><dd>{p.face.to_string()}</dd>
                                <dt>{t(lang, "voucher.col.customer")}</dt><dd>{p.customers.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>().join("、")}</dd>
                                <dt>{t(lang, "voucher.total")}</dt><dd data-testid="preview-total">{p.total.to_string()}</dd>
                                <dt>{t(lang, "voucher.quota_balance")}</dt><dd data-testid="preview-quota">{format!("{} → {}", p.quota_before, p.quota_after)}</dd>
                                <dt>{t(lang, "voucher.col.validity")}</dt><dd>{format_time(p.effective_at)}" ~ "{format_time(p.expires_at)}</dd>
                            </dl>
                            <ActionForm action=confirm>
                                <input type="hidden" name="kind" value=p.kind.as_str() />
                                <input type="hidden" name="quota" value=p.quota_id />
                                {["face", "min_order", "valid_from", "expires", "service_types", "products", "remark"].into_iter().map(|k| view! {
                                    <input type="hidden" name=k value=q(query, k) />
                                }).collect_view()}
                                <input type="hidden" name="customers" value=chosen() />
                                <input type="hidden" name="trans_id" value=p.trans_id.clone() />
                                <FormError error />
                                <div class="button-row">
                                    <button type="submit" class="btn btn-primary" data-testid="issue-confirm" disabled=move || confirm.pending().get()>{t(lang, "common.confirm")}</button>
                                    <a class="btn" href=format!("/center/sales/vouchers?tab={}", p.kind.as_str())>{t(lang, "common.cancel")}</a>
                                </div>
                            </ActionForm>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// 确定回收以下提货券吗? / 确定回收以下代金券吗?: the coupons to reclaim with what each holds.
#[component]
pub fn ReclaimPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let kind = move || Kind::parse(&q(query, "kind")).unwrap_or(Kind::Coupon);
    let ids = move || q_all(query, "ids");
    let preview = Resource::new(
        move || (kind(), ids()),
        |(k, ids)| preview_reclaim(k.as_str().to_string(), ids),
    );
    let confirm = ServerAction::<ConfirmReclaim>::new();
    let error = Signal::derive(move || confirm.value().get().and_then(|r| r.err()));
    view! {
        <h1>{move || format!("{}{}", t(lang, "voucher.reclaim"), kind_word(lang, kind()))}</h1>
        <Suspense fallback=move || loading(lang)>
            {move || Suspend::new(async move {
                match preview.await {
                    Err(e) => view! { <ErrorNotice error=e /> <p><a class="btn" href=format!("/center/sales/vouchers?tab={}&view=issued", kind().as_str())>{t(lang, "common.back")}</a></p> }.into_any(),
                    Ok(p) => view! {
                        <section class="panel confirm-box" data-testid="reclaim-preview">
                            <h2>{t(lang, if kind() == Kind::Pickup { "voucher.confirm_reclaim_pickup" } else { "voucher.confirm_reclaim_coupon" })}</h2>
                            <CouponRows rows=p.coupons.clone() selectable=false />
                            <p>{t(lang, "voucher.reclaim_total")}" "<strong data-testid="reclaim-total">{p.total.to_string()}</strong>" "{t(lang, "common.yuan")}</p>
                            <ActionForm action=confirm>
                                <input type="hidden" name="kind" value=kind().as_str() />
                                <input type="hidden" name="ids" value=ids() />
                                <input type="hidden" name="trans_id" value=p.trans_id.clone() />
                                <FormError error />
                                <div class="button-row">
                                    <button type="submit" class="btn btn-primary" data-testid="reclaim-confirm" disabled=move || confirm.pending().get()>{t(lang, "common.confirm")}</button>
                                    <a class="btn" href=format!("/center/sales/vouchers?tab={}&view=issued", kind().as_str())>{t(lang, "common.cancel")}</a>
                                </div>
                            </ActionForm>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// 发放代金券额度 to resellers (distributors): quota, resellers, amount each → confirm.
#[component]
pub fn QuotaIssuePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let quotas = Resource::new(|| (), |_| list_quotas("coupon".to_string(), None));
    let resellers = Resource::new(
        || (),
        |_| crate::funds::api::list_resellers(String::new(), String::new(), String::new(), None),
    );
    let args = move || {
        (
            q(query, "quota"),
            q_all(query, "resellers"),
            q(query, "amount"),
        )
    };
    let preview = Resource::new(args, |(quota, rs, amount)| async move {
        if amount.trim().is_empty() {
            return None;
        }
        Some(preview_quota_issue(quota, rs, amount).await)
    });
    let confirm = ServerAction::<ConfirmQuotaIssue>::new();
    let error = Signal::derive(move || confirm.value().get().and_then(|r| r.err()));
    view! {
        <h1>{t(lang, "voucher.give_quota")}</h1>
        <Suspense fallback=move || loading(lang)>
            {move || Suspend::new(async move {
                let quotas = quotas.await;
                let resellers = resellers.await;
                match (quotas, resellers) {
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                    (Ok(qs), Ok(rs)) => view! {
                        <form method="get" class="form">
                            <label for="give-quota">{t(lang, "voucher.col.quota")}</label>
                            <select id="give-quota" name="quota">
                                {qs.items.into_iter().filter(|x| x.status == QuotaStatus::Normal).map(|x| {
                                    let selected = q(query, "quota") == x.id.to_string();
                                    view! { <option value=x.id selected=selected>{format!("{} · {} {}", x.id, x.balance, t(lang, "common.yuan"))}</option> }
                                }).collect_view()}
                            </select>
                            <fieldset>
                                <legend>{t(lang, "sales.resellers.mine")}</legend>
                                {rs.items.into_iter().map(|r| {
                                    let checked = q_all(query, "resellers").split(',').any(|x| x == r.id.to_string());
                                    view! { <label class="check"><input type="checkbox" name="resellers" value=r.id checked=checked data-testid=format!("reseller-{}", r.login) />" "{r.name.clone()}</label> }
                                }).collect_view()}
                            </fieldset>
                            <label for="give-amount">{t(lang, "voucher.amount_each")}</label>
                            <input id="give-amount" name="amount" inputmode="decimal" value=move || q(query, "amount") />
                            <button type="submit" class="btn btn-primary" data-testid="give-next">{t(lang, "funds.next")}</button>
                        </form>
                    }.into_any(),
                }
            })}
        </Suspense>
        <Suspense>
            {move || Suspend::new(async move {
                match preview.await {
                    None => ().into_any(),
                    Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                    Some(Ok(p)) => view! {
                        <section class="panel confirm-box" data-testid="give-preview">
                            <h2>{t(lang, "voucher.confirm_give")}</h2>
                            <dl class="facts">
                                <dt>{t(lang, "sales.resellers.mine")}</dt><dd>{p.customers.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>().join("、")}</dd>
                                <dt>{t(lang, "voucher.amount_each")}</dt><dd>{p.face.to_string()}</dd>
                                <dt>{t(lang, "voucher.total")}</dt><dd>{p.total.to_string()}</dd>
                                <dt>{t(lang, "voucher.quota_balance")}</dt><dd data-testid="give-quota-after">{format!("{} → {}", p.quota_before, p.quota_after)}</dd>
                            </dl>
                            <ActionForm action=confirm>
                                <input type="hidden" name="quota" value=p.quota_id />
                                <input type="hidden" name="resellers" value={p.customers.iter().map(|(id, _)| id.to_string()).collect::<Vec<_>>().join(",")} />
                                <input type="hidden" name="amount" value=p.face.to_string() />
                                <input type="hidden" name="trans_id" value=p.trans_id.clone() />
                                <FormError error />
                                <div class="button-row">
                                    <button type="submit" class="btn btn-primary" data-testid="give-confirm" disabled=move || confirm.pending().get()>{t(lang, "common.confirm")}</button>
                                    <a class="btn" href="/center/sales/vouchers?tab=coupon&view=issued-quotas">{t(lang, "common.cancel")}</a>
                                </div>
                            </ActionForm>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// 回收代金券额度 from resellers: the quotas and what each still holds → confirm.
#[component]
pub fn QuotaReclaimPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let ids = move || q_all(query, "ids");
    let preview = Resource::new(ids, preview_quota_reclaim);
    let confirm = ServerAction::<ConfirmQuotaReclaim>::new();
    let error = Signal::derive(move || confirm.value().get().and_then(|r| r.err()));
    view! {
        <h1>{t(lang, "voucher.take_quota")}</h1>
        <Suspense fallback=move || loading(lang)>
            {move || Suspend::new(async move {
                match preview.await {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(p) => view! {
                        <section class="panel confirm-box" data-testid="take-preview">
                            <h2>{t(lang, "voucher.confirm_take")}</h2>
                            <QuotaRows rows=p.quotas.clone() issue_link=None reclaim_link=false />
                            <p>{t(lang, "voucher.reclaim_total")}" "<strong data-testid="take-total">{p.total.to_string()}</strong>" "{t(lang, "common.yuan")}</p>
                            <ActionForm action=confirm>
                                <input type="hidden" name="ids" value=ids() />
                                <input type="hidden" name="trans_id" value=p.trans_id.clone() />
                                <label for="take-remark">{t(lang, "voucher.col.remark")}</label>
                                <input id="take-remark" name="remark" maxlength="200" />
                                <FormError error />
                                <div class="button-row">
                                    <button type="submit" class="btn btn-primary" data-testid="take-confirm" disabled=move || confirm.pending().get()>{t(lang, "common.confirm")}</button>
                                    <a class="btn" href="/center/sales/vouchers?tab=coupon&view=issued-quotas">{t(lang, "common.cancel")}</a>
                                </div>
                            </ActionForm>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// 我的优惠券: the customer's coupons and pickup vouchers.
#[component]
pub fn MyCouponsPage() -> impl IntoView {
    let lang = use_lang();
    let mine = Resource::new(|| (), |_| my_coupons());
    view! {
        <RequireRole role=Role::Customer>
            <section class="panel">
                <h1>{t(lang, "voucher.mine")}</h1>
                <Suspense fallback=move || loading(lang)>
                    {move || Suspend::new(async move {
                        match mine.await {
                            Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                            Ok(m) => view! {
                                <h2>{t(lang, "voucher.coupon")}</h2>
                                {if m.coupons.is_empty() {
                                    view! { <EmptyState title=t(lang, "voucher.no_coupons") /> }.into_any()
                                } else {
                                    view! { <CouponRows rows=m.coupons selectable=false /> }.into_any()
                                }}
                                <h2>{t(lang, "voucher.pickup")}</h2>
                                {if m.pickups.is_empty() {
                                    view! { <EmptyState title=t(lang, "voucher.no_pickups") /> }.into_any()
                                } else {
                                    view! { <CouponRows rows=m.pickups selectable=false /> }.into_any()
                                }}
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </RequireRole>
    }
}
