//! Pages of 券管理 (代金券管理 / 提货券管理), their confirmation steps, and the customer's
//! 我的优惠券.
//!
//! By subject: [`lists`], [`whitelist`], [`quota_console`] (the operator's 额度管理), [`forms`] (issue and reclaim with their confirmations)
//! and [`customer`]; this file holds the 券管理 page and what they share.

mod customer;
mod forms;
mod lists;
mod quota_console;
mod whitelist;

pub use customer::*;
pub use forms::*;
pub use lists::*;
pub use quota_console::*;
pub use whitelist::*;

use super::api::{
    ConfirmIssue, ConfirmQuotaIssue, ConfirmQuotaReclaim, ConfirmReclaim, IssueForm,
    SetWhitelisted, eligible_customers, list_coupons, list_issued_quotas, list_quotas,
    list_records, list_uses, list_whitelist, my_coupons, preview_issue, preview_quota_issue,
    preview_quota_reclaim, preview_reclaim, whitelist_console,
};
use super::model::{
    Coupon, CouponQuery, CouponStatus, Kind, Operation, Quota, QuotaStatus, Record, Use,
};
use crate::domain::{PartnerKind, Role, format_time};
use crate::i18n::{Lang, t, use_lang};
use crate::ui::{
    Auth, Col, DataTable, EmptyState, ErrorNotice, ExportLinks, FormError, Loaded, Paged,
    PagedList, RequireRole, failure, loading, table_head, too_many_to_export,
};
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
