//! 销售 > 机会点管理 > 机会点共享: POs the partner registered and HOs Huawei Cloud shared.

use super::api::{Answer, Register, SetStage, list};
use super::model::{HoState, LostReason, Opportunity, Stage};
use crate::domain::format_time;
use crate::i18n::{Lang, t, use_lang};
use crate::ui::{Col, Field, FormError, PagedList, either, failure};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn stage_cell(lang: Lang, o: &Opportunity) -> String {
    match o.lost_reason {
        Some(r) => format!(
            "{} ({})",
            t(lang, o.stage.label_key()),
            t(lang, r.label_key())
        ),
        None => t(lang, o.stage.label_key()).to_string(),
    }
}

#[component]
pub fn OpportunitiesPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let tab = move || {
        if query.read().get("tab").as_deref() == Some("ho") {
            "ho"
        } else {
            "po"
        }
    };
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok());
    let items = Resource::new(move || (tab(), page()), |(d, p)| list(d.to_string(), p));
    let register = ServerAction::<Register>::new();
    let answer = ServerAction::<Answer>::new();
    let stage = ServerAction::<SetStage>::new();
    let register_error = failure(register);
    let row_error = either(failure(answer), failure(stage));
    let tab_class = move |name: &str| if tab() == name { "tab active" } else { "tab" };
    view! {
        <h1>{t(lang, "pce.title")}</h1>
        <nav class="tabs" role="tablist">
            <a role="tab" href="/center/sales/opportunities" class=move || tab_class("po") aria-selected=move || (tab() == "po").to_string()>{t(lang, "pce.po")}</a>
            <a role="tab" href="/center/sales/opportunities?tab=ho" class=move || tab_class("ho") aria-selected=move || (tab() == "ho").to_string()>{t(lang, "pce.ho")}</a>
        </nav>
        {move || query.read().get("registered").map(|_| view! { <p class="notice-ok" role="status">{t(lang, "pce.registered")}</p> })}
        <Show when=move || tab() == "po">
            <section class="panel">
                <h2>{t(lang, "pce.register")}</h2>
                <ActionForm action=register attr:class="form" attr:novalidate=true>
                    <Field id="po-customer" name="customer" label="pce.customer" maxlength=100 />
                    <Field id="po-product" name="product" label="pce.product" maxlength=100 />
                    <Field id="po-amount" name="amount" label="pce.amount" inputmode="decimal" />
                    <label for="po-stage">{t(lang, "pce.stage")}</label>
                    <select id="po-stage" name="stage">
                        {Stage::ALL.into_iter().filter(|s| !s.closed()).map(|s| view! { <option value=s.as_str()>{t(lang, s.label_key())}</option> }).collect_view()}
                    </select>
                    <label class="check"><input type="checkbox" name="consent" value="on" />" "{t(lang, "pce.consent")}</label>
                    <FormError error=register_error />
                    <button type="submit" class="btn btn-primary">{t(lang, "pce.register.submit")}</button>
                </ActionForm>
            </section>
        </Show>
        <FormError error=row_error />
        <PagedList list=items empty="pce.empty" empty_hint="pce.empty.hint" testid="opportunities"
            columns=vec![
                Col::text("pce.customer"), Col::text("pce.product"), Col::num("pce.amount"),
                Col::text("pce.stage"), Col::text("pce.ho.state"), Col::text("common.created_at"),
                Col::text("common.actions"),
            ]
            row=move |o: Opportunity| view! { <OpportunityRow o answer stage /> }.into_any()
        />
    }
}

#[component]
fn OpportunityRow(
    o: Opportunity,
    answer: ServerAction<Answer>,
    stage: ServerAction<SetStage>,
) -> impl IntoView {
    let lang = use_lang();
    let id = o.id.to_string();
    let state_cell = match (o.ho_state, &o.reject_reason, o.respond_by) {
        (Some(HoState::Pending), _, Some(by)) => format!(
            "{} · {} {}",
            t(lang, HoState::Pending.label_key()),
            t(lang, "pce.respond_by"),
            format_time(by)
        ),
        (Some(HoState::Rejected), Some(r), _) => {
            format!("{} ({r})", t(lang, HoState::Rejected.label_key()))
        }
        (Some(s), _, _) => t(lang, s.label_key()).to_string(),
        (None, _, _) => "-".to_string(),
    };
    let pending = o.ho_state == Some(HoState::Pending);
    let movable =
        !o.stage.closed() && (o.ho_state.is_none() || o.ho_state == Some(HoState::Accepted));
    let (a1, a2, a3) = (id.clone(), id.clone(), id);
    view! {
        <tr data-testid=format!("opportunity-{}", o.customer)>
            <td>{o.customer.clone()}</td>
            <td>{o.product.clone()}</td>
            <td class="num">{o.expected.grouped()}</td>
            <td>{stage_cell(lang, &o)}</td>
            <td>{state_cell}</td>
            <td>{format_time(o.created_at)}</td>
            <td class="actions">
                {pending.then(move || view! {
                    <ActionForm action=answer>
                        <input type="hidden" name="id" value=a1 />
                        <input type="hidden" name="accept" value="true" />
                        <button type="submit" class="btn btn-primary">{t(lang, "pce.accept")}</button>
                    </ActionForm>
                    <ActionForm action=answer attr:class="inline-form">
                        <input type="hidden" name="id" value=a2 />
                        <input type="hidden" name="accept" value="false" />
                        <input name="reason" aria-label=t(lang, "pce.reject_reason") placeholder=t(lang, "pce.reject_reason") maxlength="200" />
                        <button type="submit" class="btn">{t(lang, "pce.reject")}</button>
                    </ActionForm>
                })}
                {movable.then(move || view! {
                    <ActionForm action=stage attr:class="inline-form">
                        <input type="hidden" name="id" value=a3 />
                        <select name="stage" aria-label=t(lang, "pce.stage")>
                            {Stage::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{t(lang, s.label_key())}</option> }).collect_view()}
                        </select>
                        <select name="lost_reason" aria-label=t(lang, "pce.lost_reason")>
                            <option value="">{t(lang, "pce.lost_reason.none")}</option>
                            {LostReason::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{t(lang, r.label_key())}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="btn">{t(lang, "pce.update_stage")}</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}

/// Operator: share an HO with a partner.
#[component]
pub fn ShareHoForm() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let share = ServerAction::<super::api::ShareHo>::new();
    let error = failure(share);
    view! {
        <section class="panel" id="share-ho" data-testid="share-ho">
            <h2>{t(lang, "operator.share_ho")}</h2>
            {move || query.read().get("shared").map(|_| view! { <p class="notice-ok" role="status">{t(lang, "operator.share_ho.done")}</p> })}
            <ActionForm action=share attr:class="search-bar">
                <crate::console::picker::Picker id="ho-partner" name="partner" label="operator.partner" what=crate::console::model::PickKind::Partner />
                <crate::console::picker::BackHere />
                <Field id="ho-customer" name="customer" label="pce.customer" maxlength=100 />
                <Field id="ho-product" name="product" label="pce.product" maxlength=100 />
                <Field id="ho-amount" name="amount" label="pce.amount" inputmode="decimal" />
                <button type="submit" class="btn btn-primary">{t(lang, "operator.share_ho.submit")}</button>
            </ActionForm>
            <FormError error />
        </section>
    }
}

/// 机会点 (operator): every partner's POs and HOs, filtered in the URL, and sharing an HO.
#[component]
pub fn OperatorOpportunities() -> impl IntoView {
    use super::api::operator_opportunities;
    use super::model::OperatorOpportunity;
    let lang = use_lang();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok());
    let list = Resource::new(
        move || (get("direction"), get("state"), get("q"), page()),
        |(direction, state, q, page)| {
            operator_opportunities(Some(direction), Some(state), Some(q), page)
        },
    );
    let row = move |r: OperatorOpportunity| {
        let o = r.opportunity;
        let stage = stage_cell(lang, &o);
        let state = o
            .ho_state
            .map(|s| t(lang, s.label_key()).to_string())
            .unwrap_or_else(|| "-".into());
        let direction = if o.direction == "ho" { "HO" } else { "PO" };
        view! {
            <tr data-testid=format!("opportunity-{}", o.id)>
                <td>{o.id}</td>
                <td>{direction}</td>
                <td><a href=format!("/operator/partners/{}", r.partner_id)>{r.partner_name}</a></td>
                <td>{o.customer}</td>
                <td>{o.product}</td>
                <td class="num">{o.expected.grouped()}</td>
                <td>{stage}</td>
                <td>{state}</td>
                <td>{format_time(o.created_at)}</td>
            </tr>
        }
        .into_any()
    };
    view! {
        <h1>{t(lang, "operator.opportunities")}</h1>
        <form method="get" class="search-bar" data-testid="opportunity-search">
            <label for="oo-direction">{t(lang, "operator.opportunities.direction")}</label>
            <select id="oo-direction" name="direction">
                <option value="">{t(lang, "common.all")}</option>
                <option value="po" selected=move || get("direction") == "po">"PO"</option>
                <option value="ho" selected=move || get("direction") == "ho">"HO"</option>
            </select>
            <label for="oo-state">{t(lang, "pce.ho.state")}</label>
            <select id="oo-state" name="state">
                <option value="">{t(lang, "common.all")}</option>
                {[HoState::Pending, HoState::Accepted, HoState::Rejected, HoState::Expired].into_iter().map(|s| view! {
                    <option value=s.as_str() selected=move || get("state") == s.as_str()>{t(lang, s.label_key())}</option>
                }).collect_view()}
            </select>
            <label for="oo-q">{t(lang, "operator.opportunities.search")}</label>
            <input id="oo-q" name="q" prop:value=move || get("q") maxlength="64" />
            <button type="submit" class="btn">{t(lang, "common.search")}</button>
        </form>
        <PagedList list empty="pce.empty" testid="operator-opportunities"
            columns=vec![
                Col::raw("ID"), Col::raw("PO/HO"), Col::text("contract.partner"), Col::text("pce.customer"),
                Col::text("pce.product"), Col::num("pce.amount"), Col::text("pce.stage"),
                Col::text("pce.ho.state"), Col::text("common.created_at"),
            ]
            row=row
        />
        <ShareHoForm />
    }
}
