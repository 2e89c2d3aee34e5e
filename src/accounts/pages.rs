//! Pages of the accounts domain: the landing page, sign-in, the customer's and the operator's
//! homes.

use super::api::list_partners;
use super::model::PartnerListItem;
use crate::domain::{HcpnState, PartnerKind, Role, format_time};
use crate::i18n::{t, use_lang};
use crate::ui::{Auth, Col, Field, FormError, PagedList, RequireRole, failure};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Landing() -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="hero">
            <h1>{t(lang, "landing.title")}</h1>
            <p class="lead">{t(lang, "landing.lead")}</p>
            <ul class="features">
                <li>{t(lang, "landing.feature.paths")}</li>
                <li>{t(lang, "landing.feature.sales")}</li>
                <li>{t(lang, "landing.feature.api")}</li>
            </ul>
            <p class="button-row">
                <a class="btn btn-primary" href="/join" data-testid="join-link">{t(lang, "landing.join")}</a>
            </p>
        </section>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let auth = expect_context::<Auth>();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = Signal::derive(move || auth.login.value().get().and_then(|r| r.err()));
    view! {
        <section class="login-card">
            <h1>{t(lang, "login.title")}</h1>
            {move || query.read().get("reset").map(|_| view! { <p class="notice-ok" role="status">{t(lang, "profile.reset.done")}</p> })}
            {move || query.read().get("joined").map(|_| view! { <p class="notice-ok" role="status">{t(lang, "members.joined")}</p> })}
            <ActionForm action=auth.login attr:class="form" attr:novalidate=true>
                <input type="hidden" name="next" prop:value=next />
                <label for="login-account">{t(lang, "login.account")}</label>
                <input id="login-account" name="account" type="text" autocomplete="username" maxlength="64" />
                <label for="login-password">{t(lang, "login.password")}</label>
                <input id="login-password" name="password" type="password" autocomplete="current-password" />
                <FormError error />
                <button type="submit" class="btn btn-primary" disabled=move || auth.login.pending().get()>
                    {t(lang, "login.submit")}
                </button>
            </ActionForm>
            <p><a href="/login/forgot" data-testid="forgot-link">{t(lang, "profile.forgot.ask")}</a></p>
            <p class="muted">{t(lang, "onboarding.join.ask")}" "<a href="/join">{t(lang, "landing.join")}</a></p>
        </section>
    }
}

#[component]
pub fn CustomerHome() -> impl IntoView {
    let lang = use_lang();
    view! {
        <RequireRole role=Role::Customer>
            <section class="panel">
                <h1>{t(lang, "customer.my_partner")}</h1>
                <crate::customers::pages::MyPartnerPanel />
                <p class="button-row">
                    <a class="btn" href="/customer/billing">{t(lang, "billing.title")}</a>
                    <a class="btn" href="/customer/orders">{t(lang, "orders.mine")}</a>
                    <a class="btn" href="/customer/coupons" data-testid="my-coupons">{t(lang, "voucher.mine")}</a>
                </p>
            </section>
            <crate::workbench::pages::CustomerWorkbench />
        </RequireRole>
    }
}

#[component]
pub fn OperatorHome() -> impl IntoView {
    let lang = use_lang();
    view! {
        <RequireRole role=Role::Operator>
            <section class="panel">
                <h1>{t(lang, "operator.title")}</h1>
            </section>
            <crate::workbench::pages::OperatorWorkbenchPanel />
            <section class="panel">
                <h2>{t(lang, "operator.partners")}</h2>
                <PartnerTable />
            </section>
        </RequireRole>
    }
}

#[component]
fn PartnerTable() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok());
    let partners = Resource::new(
        move || (get("q"), get("kind"), get("hcpn"), get("parent"), page()),
        |(q, kind, hcpn, parent, page)| {
            list_partners(Some(q), Some(kind), Some(hcpn), Some(parent), page)
        },
    );
    view! {
        <form method="get" class="search-bar" data-testid="partner-search">
            <label for="pl-q">{t(lang, "operator.partners.search")}</label>
            <input id="pl-q" name="q" prop:value=move || get("q") maxlength="64" />
            <label for="pl-kind">{t(lang, "partner.kind")}</label>
            <select id="pl-kind" name="kind">
                <option value="">{t(lang, "common.all")}</option>
                {[PartnerKind::SolutionProvider, PartnerKind::Distributor, PartnerKind::Reseller].into_iter().map(|k| view! {
                    <option value=k.as_str() selected=move || get("kind") == k.as_str()>{t(lang, k.label_key())}</option>
                }).collect_view()}
            </select>
            <label for="pl-hcpn">{t(lang, "partner.hcpn")}</label>
            <select id="pl-hcpn" name="hcpn">
                <option value="">{t(lang, "common.all")}</option>
                {[HcpnState::Onboarded, HcpnState::Pending].into_iter().map(|h| view! {
                    <option value=h.as_str() selected=move || get("hcpn") == h.as_str()>{t(lang, h.label_key())}</option>
                }).collect_view()}
            </select>
            <label for="pl-parent">{t(lang, "partner.parent")}</label>
            <input id="pl-parent" name="parent" prop:value=move || get("parent") maxlength="64" />
            <button type="submit" class="btn">{t(lang, "common.search")}</button>
        </form>
        <PagedList list=partners empty="operator.no_partners" testid="partner-list"
            columns=vec![
                Col::raw("ID"), Col::text("partner.name"), Col::text("partner.kind"),
                Col::text("partner.hcpn"), Col::text("partner.parent"), Col::text("partner.customers"),
                Col::text("common.created_at"),
            ]
            row=move |row: PartnerListItem| view! {
                <tr>
                    <td>{row.id}</td>
                    <td><a href=format!("/operator/partners/{}", row.id) data-testid="partner-link">{row.name}</a></td>
                    <td>{t(lang, row.kind.label_key())}</td>
                    <td>{t(lang, row.hcpn.label_key())}</td>
                    <td>{row.parent_name.unwrap_or_else(|| "-".into())}</td>
                    <td>{row.customers}</td>
                    <td>{format_time(row.created_at)}</td>
                </tr>
            }.into_any()
        />
    }
}

/// Operator: record a personal account's real-name verification (实名认证).
#[component]
pub fn RealNameForm() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let set = ServerAction::<super::api::SetRealName>::new();
    let error = failure(set);
    view! {
        <section class="panel" data-testid="real-name">
            <h2>{t(lang, "operator.real_name")}</h2>
            {move || query.read().get("real_name").map(|_| view! { <p class="notice-ok" role="status">{t(lang, "common.saved")}</p> })}
            <ActionForm action=set attr:class="search-bar">
                <Field id="rn-login" name="login" label="employees.account" maxlength=64 />
                <label for="rn-verified">{t(lang, "operator.real_name.state")}</label>
                <select id="rn-verified" name="verified">
                    <option value="true">{t(lang, "operator.real_name.verified")}</option>
                    <option value="false">{t(lang, "operator.real_name.unverified")}</option>
                </select>
                <button type="submit" class="btn">{t(lang, "common.save")}</button>
            </ActionForm>
            <FormError error />
        </section>
    }
}
