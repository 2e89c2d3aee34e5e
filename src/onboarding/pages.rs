//! Pages of HCPN onboarding: 成为合作伙伴 (`/join`), the email confirmation, the pending
//! partner's application card on its home, and the operator's queue (入驻审核).

use super::api::{
    ApproveOnboarding, ConfirmEmail, RegisterPartner, RejectOnboarding, ResendConfirmation,
    SubmitEnterprise, distributor_choices, my_application, onboarding_queue,
};
use super::model::{AppState, Application, EnterpriseInput};
use crate::domain::{PartnerKind, Role, format_time};
use crate::i18n::{Lang, t, use_lang};
use crate::ui::{Col, FormError, Loaded, PagedList, RequireRole, failure};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A labelled text input with a value already in it.
fn input(
    lang: Lang,
    id: &'static str,
    name: &'static str,
    label: &'static str,
    value: String,
    max: u32,
) -> AnyView {
    view! {
        <label for=id>{t(lang, label)}</label>
        <input id=id name=name value=value maxlength=max />
    }
    .into_any()
}

/// The enterprise information fields (企业信息), filled with `v`.
fn enterprise_fields(lang: Lang, v: EnterpriseInput) -> AnyView {
    let distributors = Resource::new(|| (), |_| distributor_choices());
    let kind = v.kind.clone();
    let parent = v.parent.clone();
    view! {
        {input(lang, "ob-company", "company", "onboarding.company", v.company, 100)}
        {input(lang, "ob-uscc", "uscc", "onboarding.uscc", v.uscc, 18)}
        {input(lang, "ob-address", "address", "onboarding.address", v.address, 200)}
        {input(lang, "ob-contact", "contact_name", "onboarding.contact_name", v.contact_name, 50)}
        {input(lang, "ob-email", "contact_email", "onboarding.contact_email", v.contact_email, 254)}
        {input(lang, "ob-phone", "contact_phone", "onboarding.contact_phone", v.contact_phone, 20)}
        <label for="ob-kind">{t(lang, "onboarding.kind")}</label>
        <select id="ob-kind" name="kind">
            {[PartnerKind::SolutionProvider, PartnerKind::Distributor, PartnerKind::Reseller].into_iter().map(|k| {
                let selected = kind == k.as_str();
                view! { <option value=k.as_str() selected=selected>{t(lang, k.label_key())}</option> }
            }).collect_view()}
        </select>
        <label for="ob-parent">{t(lang, "onboarding.parent")}</label>
        <Loaded resource=distributors silent=true body=move |list| {
            let parent = parent.clone();
            view! {
                <select id="ob-parent" name="parent">
                    <option value="">{t(lang, "onboarding.parent.none")}</option>
                    {list.into_iter().map(|d| {
                        let selected = parent == d.id.to_string();
                        view! { <option value=d.id.to_string() selected=selected>{d.name}</option> }
                    }).collect_view()}
                </select>
            }.into_any()
        } />
        <p class="muted hint">{t(lang, "onboarding.parent.hint")}</p>
    }
    .into_any()
}

/// 成为合作伙伴: the administrator's account and the enterprise information in one form.
#[component]
pub fn JoinPage() -> impl IntoView {
    let lang = use_lang();
    let register = ServerAction::<RegisterPartner>::new();
    let error = failure(register);
    view! {
        <section class="panel join" data-testid="join">
            <h1>{t(lang, "onboarding.join")}</h1>
            <p class="lead">{t(lang, "onboarding.join.lead")}</p>
            <ActionForm action=register attr:class="form-grid" attr:novalidate=true>
                <h2 class="span-all">{t(lang, "onboarding.account")}</h2>
                {input(lang, "ob-login", "login", "login.account", String::new(), 64)}
                <label for="ob-password">{t(lang, "login.password")}</label>
                <input id="ob-password" name="password" type="password" autocomplete="new-password" maxlength="128" />
                <p class="muted hint">{t(lang, "onboarding.password.hint")}</p>
                <h2 class="span-all">{t(lang, "onboarding.enterprise")}</h2>
                {enterprise_fields(lang, EnterpriseInput { kind: "solution_provider".into(), ..Default::default() })}
                <button type="submit" class="btn btn-primary" disabled=move || register.pending().get()>
                    {t(lang, "onboarding.register")}
                </button>
            </ActionForm>
            <FormError error />
            <p>{t(lang, "onboarding.have_account")}" "<a href="/login">{t(lang, "onboarding.sign_in")}</a></p>
        </section>
    }
}

/// The page a confirmation link opens: one button confirms (a mail scanner's visit does not).
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let confirm = ServerAction::<ConfirmEmail>::new();
    let error = failure(confirm);
    let done = move || matches!(confirm.value().get(), Some(Ok(())));
    view! {
        <section class="panel login-card" data-testid="confirm-email">
            <h1>{t(lang, "onboarding.confirm.title")}</h1>
            <Show when=done fallback=move || view! {
                <p>{t(lang, "onboarding.confirm.lead")}</p>
                <ActionForm action=confirm>
                    <input type="hidden" name="token" prop:value=token />
                    <button type="submit" class="btn btn-primary">{t(lang, "onboarding.confirm.submit")}</button>
                </ActionForm>
                <FormError error />
            }>
                <p class="notice-ok" role="status">{t(lang, "onboarding.confirm.done")}</p>
                <p><a class="btn" href="/center">{t(lang, "onboarding.to_center")}</a></p>
            </Show>
        </section>
    }
}

/// A pending partner's onboarding on its home: where its application stands, and the form to
/// submit (or correct and submit again) its enterprise information.
#[component]
pub fn OnboardingCard() -> impl IntoView {
    let lang = use_lang();
    let submit = ServerAction::<SubmitEnterprise>::new();
    let resend = ServerAction::<ResendConfirmation>::new();
    let mine = Resource::new(
        move || (submit.version().get(), resend.version().get()),
        |_| my_application(),
    );
    let submit_error = failure(submit);
    let resend_error = failure(resend);
    let resent = move || matches!(resend.value().get(), Some(Ok(())));
    let form = move |title: &'static str, v: EnterpriseInput| {
        view! {
            <h3>{t(lang, title)}</h3>
            <ActionForm action=submit attr:class="form-grid" attr:novalidate=true>
                {enterprise_fields(lang, v)}
                <button type="submit" class="btn btn-primary">{t(lang, "onboarding.submit")}</button>
            </ActionForm>
            <FormError error=submit_error />
        }
        .into_any()
    };
    let card = move |app: Option<Application>| {
        match app {
                None => view! {
                    <p>{t(lang, "onboarding.none")}</p>
                    {form("onboarding.form", EnterpriseInput { kind: "solution_provider".into(), ..Default::default() })}
                }.into_any(),
                Some(a) => {
                    let state = a.state();
                    let facts = view! {
                        <p data-testid="onboarding-state"><strong>{t(lang, state.label_key())}</strong></p>
                        <dl class="facts">
                            <dt>{t(lang, "onboarding.company")}</dt><dd>{a.company.clone()}</dd>
                            <dt>{t(lang, "onboarding.uscc")}</dt><dd>{a.uscc.clone()}</dd>
                            <dt>{t(lang, "onboarding.kind")}</dt><dd>{t(lang, a.kind().label_key())}</dd>
                            <dt>{t(lang, "onboarding.contact_email")}</dt><dd>{a.contact_email.clone()}</dd>
                            <dt>{t(lang, "onboarding.submitted_at")}</dt><dd>{format_time(a.submitted_at)}</dd>
                        </dl>
                    };
                    let rest = match state {
                        AppState::Unconfirmed => view! {
                            <p>{crate::i18n::fill(lang, "onboarding.unconfirmed.hint", [("email", a.contact_email.as_str())])}</p>
                            <ActionForm action=resend>
                                <button type="submit" class="btn">{t(lang, "onboarding.resend")}</button>
                            </ActionForm>
                            {move || resent().then(|| view! { <p class="notice-ok" role="status">{t(lang, "onboarding.resent")}</p> })}
                            <FormError error=resend_error />
                            <details>
                                <summary>{t(lang, "onboarding.edit")}</summary>
                                {form("onboarding.edit", a.input())}
                            </details>
                        }.into_any(),
                        AppState::Pending => view! { <p>{t(lang, "onboarding.pending.hint")}</p> }.into_any(),
                        AppState::Rejected => view! {
                            <p class="notice-error" data-testid="onboarding-reason">
                                {t(lang, "onboarding.reason")}": "{a.reason.clone().unwrap_or_default()}
                            </p>
                            {form("onboarding.resubmit", a.input())}
                        }.into_any(),
                        AppState::Approved => view! { <p>{t(lang, "onboarding.approved.hint")}</p> }.into_any(),
                    };
                    view! { {facts}{rest} }.into_any()
                }
    }
    };
    view! {
        <section class="panel" data-testid="onboarding">
            <h2>{t(lang, "onboarding.title")}</h2>
            <Loaded resource=mine body=card />
        </section>
    }
}

/// The operator's queue (入驻审核): applications by state, searched by company or credit code,
/// approved or rejected with a reason.
#[component]
pub fn OperatorOnboarding() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let state = move || {
        query
            .read()
            .get("state")
            .unwrap_or_else(|| "pending".into())
    };
    let search = move || query.read().get("q").unwrap_or_default();
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok());
    let approve = ServerAction::<ApproveOnboarding>::new();
    let reject = ServerAction::<RejectOnboarding>::new();
    let list = Resource::new(
        move || {
            (
                state(),
                search(),
                page(),
                approve.version().get(),
                reject.version().get(),
            )
        },
        |(s, q, p, ..)| onboarding_queue(Some(s), Some(q), p),
    );
    let approve_error = failure(approve);
    let reject_error = failure(reject);
    let banner = move || {
        if matches!(approve.value().get(), Some(Ok(()))) {
            Some(t(lang, "onboarding.approved.done"))
        } else if matches!(reject.value().get(), Some(Ok(()))) {
            Some(t(lang, "onboarding.rejected.done"))
        } else {
            None
        }
    };
    view! {
        <RequireRole role=Role::Operator>
            <section class="panel">
                <h1>{t(lang, "operator.onboarding")}</h1>
                <p><a href="/operator">{t(lang, "operator.title")}</a></p>
                {move || banner().map(|b| view! { <p class="notice-ok" role="status">{b}</p> })}
                <form method="get" class="search-bar">
                    <label for="ob-state">{t(lang, "onboarding.state")}</label>
                    <select id="ob-state" name="state">
                        {[AppState::Pending, AppState::Unconfirmed, AppState::Rejected, AppState::Approved].into_iter().map(|s| {
                            view! { <option value=s.code() selected=move || state() == s.code()>{t(lang, s.label_key())}</option> }
                        }).collect_view()}
                    </select>
                    <label for="ob-q">{t(lang, "onboarding.search")}</label>
                    <input id="ob-q" name="q" prop:value=search maxlength="64" />
                    <button type="submit" class="btn">{t(lang, "common.search")}</button>
                </form>
                <FormError error=approve_error />
                <FormError error=reject_error />
                <PagedList list empty="onboarding.queue.empty" testid="onboarding-queue"
                    columns=vec![
                        Col::text("onboarding.company"), Col::text("onboarding.uscc"), Col::text("onboarding.kind"),
                        Col::text("onboarding.contact_name"), Col::text("onboarding.address"),
                        Col::text("onboarding.submitted_at"), Col::text("onboarding.state"), Col::text("common.actions"),
                    ]
                    row=move |a: Application| {
                        let pending = a.state() == AppState::Pending;
                        let id = a.partner_id.to_string();
                        let id2 = id.clone();
                        let kind = match &a.parent_name {
                            Some(p) => format!("{}（{p}）", t(lang, a.kind().label_key())),
                            None => t(lang, a.kind().label_key()).to_string(),
                        };
                        view! {
                            <tr data-testid=format!("onboarding-{}", a.uscc)>
                                <td>{a.company.clone()}</td>
                                <td>{a.uscc.clone()}</td>
                                <td>{kind}</td>
                                <td>{a.contact_name.clone()}<br />{a.contact_email.clone()}<br />{a.contact_phone.clone()}</td>
                                <td class="wrap">{a.address.clone()}</td>
                                <td>{format_time(a.submitted_at)}</td>
                                <td>{t(lang, a.state().label_key())}{a.reason.clone().map(|r| format!("（{r}）"))}</td>
                                <td class="actions">
                                    {pending.then(move || view! {
                                        <ActionForm action=approve>
                                            <input type="hidden" name="partner_id" value=id />
                                            <button type="submit" class="btn btn-primary">{t(lang, "operator.approve")}</button>
                                        </ActionForm>
                                        <ActionForm action=reject attr:class="inline-form">
                                            <input type="hidden" name="partner_id" value=id2 />
                                            <input name="reason" aria-label=t(lang, "plans.reason") placeholder=t(lang, "plans.reason") maxlength="200" />
                                            <button type="submit" class="btn">{t(lang, "operator.reject")}</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }.into_any()
                    }
                />
            </section>
        </RequireRole>
    }
}
