//! Pages of the plans domain: 华为云伙伴计划 (catalogue, application, 已加入伙伴计划, 申请记录),
//! the operator's review, and the public certificate verification page.

use super::api::{
    Apply, Approve, Reject, Revoke, catalogue, joined, my_applications, review_list, verify,
};
use super::model::{Certificate, CertificateState, Plan, PlanCard, ReviewItem, Standing};
use crate::domain::{Role, format_time};
use crate::i18n::{Lang, t, use_lang};
use crate::ui::{
    Col, DataList, ErrorNotice, ExportLinks, Field, FormError, Loaded, PagedList, RequireRole,
    failure, loading, set_status,
};
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::{use_params_map, use_query_map};

fn day(ms: i64) -> String {
    format_time(ms).chars().take(10).collect()
}

/// 华为云伙伴计划: a side menu beside the page.
#[component]
pub fn PlansShell() -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="with-side">
            <nav class="side-menu" aria-label=t(lang, "plans.title")>
                <p class="side-group">{t(lang, "plans.title")}</p>
                <A href="/center/plans" exact=true>{t(lang, "plans.intro")}</A>
                <A href="/center/plans/joined">{t(lang, "plans.joined")}</A>
                <A href="/center/plans/applications">{t(lang, "plans.applications")}</A>
            </nav>
            <div class="side-body">
                <Outlet />
            </div>
        </div>
    }
}

fn standing_view(lang: Lang, card: &PlanCard) -> AnyView {
    let code = card.plan.code();
    match &card.standing {
        Standing::Open => view! {
            <a class="btn btn-primary" href=format!("/center/plans/apply/{code}")>{t(lang, "plans.apply")}</a>
        }
        .into_any(),
        Standing::NotEligible(key) => view! {
            <p class="muted" data-testid="not-eligible">{t(lang, key)}</p>
        }
        .into_any(),
        Standing::Pending => view! {
            <span class="tag tag-warn">{t(lang, "plans.state.pending")}</span>
        }
        .into_any(),
        Standing::Rejected { reason } => view! {
            <p><span class="tag tag-bad">{t(lang, "plans.state.rejected")}</span>" "{t(lang, "plans.reason")}": "{reason.clone()}</p>
            <a class="btn btn-primary" href=format!("/center/plans/apply/{code}")>{t(lang, "plans.reapply")}</a>
        }
        .into_any(),
        Standing::Joined { until } => view! {
            <p><span class="tag tag-ok">{t(lang, "plans.state.joined")}</span>" "{t(lang, "cert.expires_at")}" "{day(*until)}</p>
            <a class="btn" href="/center/plans/joined">{t(lang, "plans.joined")}</a>
        }
        .into_any(),
    }
}

/// 伙伴计划简介 and the catalogue, with this partner's standing in each plan.
#[component]
pub fn PlanCatalogue() -> impl IntoView {
    let lang = use_lang();
    let cards = Resource::new(|| (), |_| catalogue());
    view! {
        <h1>{t(lang, "plans.title")}</h1>
        <section class="panel">
            <h2>{t(lang, "plans.intro")}</h2>
            <p>{t(lang, "plans.intro.text")}</p>
        </section>
        <Loaded resource=cards body=move |cards| view! {
                <div class="cards plan-cards">
                    {cards.into_iter().map(|card| view! {
                        <article class="card" data-testid=format!("plan-{}", card.plan.code())>
                            <h3>{t(lang, card.plan.name_key())}</h3>
                            <p>{t(lang, card.plan.desc_key())}</p>
                            <p class="muted">{t(lang, card.plan.audience_key())}</p>
                            {standing_view(lang, &card)}
                        </article>
                    }).collect_view()}
                </div>
            }.into_any()
        />
    }
}

/// 申请加入: the application form of one plan. An `ActionForm`, so it works before the
/// WebAssembly loads.
#[component]
pub fn ApplyPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let plan = Plan::parse(&params.read_untracked().get("plan").unwrap_or_default());
    let cards = Resource::new(|| (), |_| catalogue());
    let apply = ServerAction::<Apply>::new();
    let error = failure(apply);
    let Some(plan) = plan else {
        return view! { <crate::ui::NotFound /> }.into_any();
    };
    view! {
        <h1>{t(lang, "plans.apply")}" · "{t(lang, plan.name_key())}</h1>
        <p>{t(lang, plan.desc_key())}</p>
        <p class="muted">{t(lang, plan.audience_key())}</p>
        <Suspense fallback=move || loading(lang)>
            {move || Suspend::new(async move {
                let standing = cards
                    .await
                    .map(|cards| cards.into_iter().find(|c| c.plan == plan).map(|c| c.standing));
                match standing {
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(Some(Standing::Open)) | Ok(Some(Standing::Rejected { .. })) => view! {
                        <ActionForm action=apply attr:class="form" attr:novalidate=true>
                            <input type="hidden" name="plan" value=plan.code() />
                            <label for="apply-name">{t(lang, "plans.contact_name")}</label>
                            <input id="apply-name" name="contact_name" maxlength="100" autocomplete="name" />
                            <label for="apply-phone">{t(lang, "plans.contact_phone")}</label>
                            <input id="apply-phone" name="contact_phone" maxlength="24" inputmode="tel" autocomplete="tel" />
                            <label for="apply-statement">{t(lang, "plans.statement")}</label>
                            <textarea id="apply-statement" name="statement" rows="5" maxlength="500"></textarea>
                            <FormError error />
                            <div class="button-row">
                                <button type="submit" class="btn btn-primary">{t(lang, "plans.submit")}</button>
                                <a class="btn" href="/center/plans">{t(lang, "common.cancel")}</a>
                            </div>
                        </ActionForm>
                    }.into_any(),
                    Ok(Some(other)) => view! {
                        <div class="notice-info" data-testid="cannot-apply">
                            {standing_view(lang, &PlanCard { plan, standing: other })}
                        </div>
                    }.into_any(),
                    Ok(None) => view! { <crate::ui::NotFound /> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

/// 申请记录: every application with its state and the operator's reason.
#[component]
pub fn ApplicationsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let apps = Resource::new(|| (), |_| my_applications());
    view! {
        <h1>{t(lang, "plans.applications")}</h1>
        {move || query.read().get("applied").map(|_| view! {
            <p class="notice-ok" role="status">{t(lang, "plans.applied")}</p>
        })}
        <DataList list=apps empty="plans.no_applications" empty_hint="plans.no_applications.hint"
            testid="applications"
            columns=vec![Col::text("plans.plan"), Col::text("plans.submitted_at"), Col::text("plans.state"), Col::text("plans.reason")]
            row=move |a| view! {
                <tr>
                    <td>{t(lang, a.plan.name_key())}</td>
                    <td>{format_time(a.submitted_at)}</td>
                    <td>{t(lang, a.state.label_key())}</td>
                    <td>{a.reason.unwrap_or_else(|| "-".into())}</td>
                </tr>
            }.into_any()
        />
    }
}

/// 已加入伙伴计划: joined plans with their certificates.
#[component]
pub fn JoinedPage() -> impl IntoView {
    let lang = use_lang();
    let certs = Resource::new(|| (), |_| joined());
    view! {
        <h1>{t(lang, "plans.joined")}</h1>
        <DataList list=certs empty="plans.none_joined" empty_hint="plans.none_joined.hint"
            testid="joined"
            columns=vec![
                Col::text("plans.plan"), Col::text("plans.joined_at"), Col::text("cert.expires_at"),
                Col::text("cert.number"), Col::text("plans.state"), Col::text("common.actions"),
            ]
            row=move |c| {
                let pdf = format!("/center/certificates/{}/pdf", c.number);
                let check = format!("/verify/{}", c.number);
                view! {
                    <tr data-testid=format!("joined-{}", c.subject)>
                        <td>{t(lang, c.subject_key())}</td>
                        <td>{day(c.issued_at)}</td>
                        <td>{day(c.expires_at)}</td>
                        <td><code>{c.number.clone()}</code></td>
                        <td><span class=c.state.css()>{t(lang, c.state.label_key())}</span></td>
                        <td class="actions">
                            {if c.state == CertificateState::Revoked {
                                view! {
                                    <span class="muted" data-testid=format!("revoked-{}", c.subject)>
                                        {t(lang, "error.cert.revoked")}" "{t(lang, "plans.reason")}": "{c.revoke_reason.clone().unwrap_or_default()}
                                    </span>
                                }.into_any()
                            } else {
                                view! { <a href=pdf rel="external" download="">{t(lang, "plans.download")}</a> }.into_any()
                            }}
                            " "
                            <a href=check>{t(lang, "cert.verify")}</a>
                        </td>
                    </tr>
                }
            }.into_any()
        />
    }
}

/// What the verification page says about a certificate.
#[component]
fn CertificateFacts(cert: Certificate) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="verify-result" data-testid="verify-result" data-state=format!("{:?}", cert.state).to_lowercase()>
            <p class="verify-verdict"><span class=cert.state.css()>{t(lang, cert.state.label_key())}</span>" "{t(lang, "cert.genuine")}</p>
            <dl class="facts">
                <dt>{t(lang, "cert.number")}</dt><dd>{cert.number.clone()}</dd>
                <dt>{t(lang, "cert.holder")}</dt><dd data-testid="verify-holder">{cert.partner_name.clone()}</dd>
                <dt>{t(lang, "cert.subject")}</dt><dd>{t(lang, cert.subject_key())}</dd>
                <dt>{t(lang, "cert.issued_at")}</dt><dd>{day(cert.issued_at)}</dd>
                <dt>{t(lang, "cert.expires_at")}</dt><dd>{day(cert.expires_at)}</dd>
                {cert.revoked_at.map(|at| view! {
                    <dt>{t(lang, "cert.revoked_at")}</dt><dd>{day(at)}</dd>
                    <dt>{t(lang, "plans.reason")}</dt><dd>{cert.revoke_reason.clone().unwrap_or_default()}</dd>
                })}
            </dl>
        </div>
    }
}

/// The public verification page: `/verify/<number>` or `/verify?number=`. No sign-in needed.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let number = move || {
        params
            .read()
            .get("number")
            .or_else(|| query.read().get("number"))
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let result = Resource::new(number, |n| async move {
        if n.is_empty() {
            None
        } else {
            Some(verify(n).await)
        }
    });
    view! {
        <section class="panel verify">
            <h1>{t(lang, "cert.verify.title")}</h1>
            <form method="get" action="/verify" class="search-bar">
                <label for="verify-number">{t(lang, "cert.number")}</label>
                <input id="verify-number" name="number" value=number maxlength="40" autocomplete="off" />
                <button type="submit" class="btn btn-primary">{t(lang, "cert.verify")}</button>
            </form>
            <Suspense fallback=move || loading(lang)>
                {move || Suspend::new(async move {
                    match result.await {
                        None => view! { <p class="muted">{t(lang, "cert.verify.hint")}</p> }.into_any(),
                        Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                        Some(Ok(None)) => {
                            set_status(404);
                            view! {
                                <p class="form-error" role="alert" data-testid="verify-not-found">{t(lang, "cert.not_found")}</p>
                            }.into_any()
                        }
                        Some(Ok(Some(cert))) => view! { <CertificateFacts cert /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Operator: review plan applications and revoke certificates.
#[component]
pub fn OperatorPlans() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let state = move || {
        query
            .read()
            .get("state")
            .unwrap_or_else(|| "pending".into())
    };
    let number = move |k: &str| query.read().get(k).and_then(|p| p.parse::<u32>().ok());
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let args = move || {
        (
            state(),
            number("page"),
            get("q"),
            get("sort"),
            get("dir"),
            number("size"),
        )
    };
    let list = Resource::new(args, |(s, p, q, sort, dir, size)| {
        review_list(s, p, q, sort, dir, size)
    });
    let approve = ServerAction::<Approve>::new();
    let reject = ServerAction::<Reject>::new();
    let revoke = ServerAction::<Revoke>::new();
    let approve_error = failure(approve);
    let reject_error = failure(reject);
    let revoke_error = failure(revoke);
    let banner = move || {
        let q = query.read();
        q.get("approved")
            .map(|n| format!("{} {n}", t(lang, "operator.plans.approved")))
            .or_else(|| {
                q.get("rejected")
                    .map(|_| t(lang, "operator.plans.rejected").to_string())
            })
            .or_else(|| {
                q.get("revoked")
                    .map(|n| format!("{} {n}", t(lang, "operator.plans.revoked")))
            })
    };
    view! {
        <RequireRole role=Role::Operator>
            <section class="panel">
                <h1>{t(lang, "operator.plans")}</h1>
                <p><a href="/operator">{t(lang, "operator.title")}</a></p>
                {move || banner().map(|b| view! { <p class="notice-ok" role="status">{b}</p> })}
                <form method="get" class="search-bar">
                    <label for="review-state">{t(lang, "plans.state")}</label>
                    <select id="review-state" name="state">
                        {["pending", "approved", "rejected", "all"].into_iter().map(|s| {
                            let key = if s == "all" { "common.all".to_string() } else { format!("plans.state.{s}") };
                            view! { <option value=s selected=move || state() == s>{t(lang, &key)}</option> }
                        }).collect_view()}
                    </select>
                    <label for="review-q">{t(lang, "partner.name")}</label>
                    <input id="review-q" name="q" maxlength="64" prop:value=move || get("q") />
                    <button type="submit" class="btn">{t(lang, "common.search")}</button>
                    <ExportLinks path="/operator/plan-applications" />
                </form>
                <FormError error=approve_error />
                <FormError error=reject_error />
                <PagedList list empty="operator.plans.empty" testid="review-list" sizes=true
                    columns=vec![
                        Col::raw("ID"), Col::text("partner.name").sorts("partner"), Col::text("plans.plan"),
                        Col::text("plans.contact_name"), Col::text("plans.statement"), Col::text("plans.submitted_at").sorts("submitted"),
                        Col::text("plans.state"), Col::text("common.actions"),
                    ]
                    row=move |a: ReviewItem| {
                        let pending = a.state == super::model::ApplicationState::Pending;
                        let approve_id = a.id.to_string();
                        let reject_id = a.id.to_string();
                        view! {
                            <tr data-testid=format!("application-{}", a.id)>
                                <td>{a.id}</td>
                                <td>{a.partner_name.clone()}</td>
                                <td>{t(lang, a.plan.name_key())}</td>
                                <td>{a.contact_name.clone()}" · "{a.contact_phone.clone()}</td>
                                <td class="wrap">{a.statement.clone()}</td>
                                <td>{format_time(a.submitted_at)}</td>
                                <td>{t(lang, a.state.label_key())}{a.reason.clone().map(|r| format!(" ({r})"))}</td>
                                <td class="actions">
                                    {pending.then(move || view! {
                                        <ActionForm action=approve>
                                            <input type="hidden" name="id" value=approve_id />
                                            <button type="submit" class="btn btn-primary">{t(lang, "operator.approve")}</button>
                                        </ActionForm>
                                        <ActionForm action=reject attr:class="inline-form">
                                            <input type="hidden" name="id" value=reject_id />
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
            <section class="panel">
                <h2>{t(lang, "operator.revoke")}</h2>
                <ActionForm action=revoke attr:class="search-bar">
                    <Field id="revoke-number" name="number" label="cert.number" maxlength=40 />
                    <Field id="revoke-reason" name="reason" label="plans.reason" maxlength=200 />
                    <button type="submit" class="btn">{t(lang, "operator.revoke.submit")}</button>
                </ActionForm>
                <FormError error=revoke_error />
            </section>
        </RequireRole>
    }
}
