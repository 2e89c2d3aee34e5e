//! Partner center pages.

use crate::domain::Role;
use crate::domain::format_time;
use crate::i18n::Lang;
use crate::i18n::{t, use_lang};
use crate::members::model::Area;
use crate::paths::model::JoinedPath;
use crate::ui::{Auth, EmptyState, Loaded, RequireRole};
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

/// The partner center's menu: each entry shown to the members whose role opens it.
const NAV: &[(&str, &str, Area)] = &[
    ("/center/sales", "nav.sales", Area::Everyone),
    ("/center/plans", "nav.plans", Area::Plans),
    ("/center/capability", "nav.capability", Area::Paths),
    ("/center/org", "nav.org", Area::Company),
    ("/center/members", "nav.members", Area::Company),
];

#[component]
pub fn CenterShell() -> impl IntoView {
    let lang = use_lang();
    let user = expect_context::<Auth>().user;
    let works_in = move |area: Area| user.as_ref().is_some_and(|u| u.works_in(area));
    view! {
        <RequireRole role=Role::Partner>
            <div class="center">
                <nav class="center-nav" aria-label=t(lang, "center.title")>
                    <span class="center-title">{t(lang, "center.title")}</span>
                    <A href="/center" exact=true>{t(lang, "nav.home")}</A>
                    {NAV.iter().filter(|(_, _, area)| works_in(*area)).map(|(href, key, _)| view! {
                        <A href=*href>{t(lang, key)}</A>
                    }).collect_view()}
                </nav>
                <div class="center-body">
                    <Outlet />
                </div>
            </div>
        </RequireRole>
    }
}

#[component]
pub fn CenterHome() -> impl IntoView {
    let lang = use_lang();
    let partner = expect_context::<Auth>().user.and_then(|u| u.partner);
    let pending = partner
        .as_ref()
        .is_some_and(|p| p.hcpn == crate::domain::HcpnState::Pending && p.role.may(Area::Company));
    let paths = partner.as_ref().is_some_and(|p| p.role.may(Area::Paths));
    let data = crate::workbench::pages::partner_workbench_resource();
    view! {
        <h1>{t(lang, "nav.home")}</h1>
        {partner.map(|p| view! {
                    <section class="panel" data-testid="partner-profile">
                        <h2>{p.name.clone()}</h2>
                        <dl class="facts">
                            <dt>{t(lang, "partner.kind")}</dt><dd>{t(lang, p.kind.label_key())}</dd>
                            <dt>{t(lang, "partner.hcpn")}</dt><dd>{t(lang, p.hcpn.label_key())}</dd>
                            {p.parent_name.clone().map(|parent| view! {
                                <dt>{t(lang, "partner.parent")}</dt><dd>{parent}</dd>
                            })}
                        </dl>
                    </section>
                })}
        {pending.then(|| view! { <crate::onboarding::pages::OnboardingCard /> })}
        <crate::workbench::pages::PartnerWorkbench data />
        {paths.then(|| view! { <crate::paths::pages::PathModule data /> })}
    }
}

/// 能力: each joined path's certifications and their validity, every requirement's progress as
/// a bar, what is missing next, and the decisions so far, newest first.
#[component]
pub fn CapabilityPage() -> impl IntoView {
    let lang = use_lang();
    let paths = Resource::new(|| (), |_| crate::paths::api::joined_paths());
    let body = move |v: Vec<JoinedPath>| {
        if v.is_empty() {
            view! {
                <EmptyState title=t(lang, "capability.empty") hint=t(lang, "capability.hint") />
                <p><a class="btn btn-primary" href="/center/paths/explore">{t(lang, "path.explore")}</a></p>
            }
            .into_any()
        } else {
            v.into_iter()
                .map(|j| capability(lang, j))
                .collect_view()
                .into_any()
        }
    };
    view! {
        <h1>{t(lang, "nav.capability")}</h1>
        <Loaded resource=paths body />
    }
}

fn capability(lang: Lang, j: JoinedPath) -> AnyView {
    let code = j.path.code();
    let mut timeline: Vec<(i64, String)> = Vec::new();
    let stages = j
        .stages
        .into_iter()
        .map(|s| {
            let stage = t(lang, s.stage.label_key());
            let state = match &s.certification {
                Some(c) if c.active => format!(
                    "{} · {} {}",
                    t(lang, "path.certified"),
                    t(lang, "path.valid_until"),
                    &format_time(c.valid_until)[..10]
                ),
                Some(c) if c.expired => t(lang, "capability.expired").to_string(),
                _ => t(lang, "path.not_certified").to_string(),
            };
            if let Some(c) = &s.certification {
                timeline.push((c.certified_at, format!("{stage} · {}", t(lang, "path.certified"))));
            }
            if let Some(a) = &s.latest {
                let at = a.decided_at.unwrap_or(a.created_at);
                let reason = if a.reason.is_empty() {
                    String::new()
                } else {
                    format!("（{}）", a.reason)
                };
                timeline.push((at, format!("{stage} · {}{reason}", t(lang, a.state.label_key()))));
            }
            let next = s.requirements.iter().find(|r| !r.met()).map(|r| {
                crate::i18n::fill(
                    lang,
                    "capability.next",
                    [("item", t(lang, &r.key)), ("missing", r.missing().to_string().as_str())],
                )
            });
            let bars = s
                .requirements
                .iter()
                .map(|r| {
                    let pct = if r.needed == 0 { 100 } else { (r.have.min(r.needed) * 100 / r.needed).clamp(0, 100) };
                    view! {
                        <li class="progress-row" data-met=r.met().to_string()>
                            <span class="progress-label">{t(lang, &r.key)}</span>
                            <span class="progress" role="progressbar" aria-valuemin="0" aria-valuemax=r.needed.to_string()
                                aria-valuenow=r.have.min(r.needed).to_string()>
                                <span class="progress-fill" style=format!("width: {pct}%")></span>
                            </span>
                            <span class="num">{format!("{}/{}", r.have, r.needed)}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="stage" data-testid=format!("capability-{code}-{}", s.stage.code())>
                    <h3>{stage}</h3>
                    <p data-testid="stage-state">{state}</p>
                    <ul class="progress-list">{bars}</ul>
                    <p class="muted" data-testid="stage-next">{next.unwrap_or_else(|| t(lang, "capability.all_met").to_string())}</p>
                </div>
            }
        })
        .collect_view();
    timeline.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    let timeline = timeline
        .into_iter()
        .map(|(at, text)| view! { <li><span class="muted">{format_time(at)}</span>" "{text}</li> })
        .collect_view();
    view! {
        <section class="panel" data-testid=format!("capability-{code}")>
            <div class="panel-head">
                <h2>{t(lang, j.path.label_key())}</h2>
                <a class="btn" href=format!("/center/paths/{code}")>{t(lang, "capability.open")}</a>
            </div>
            {stages}
            <h3>{t(lang, "capability.timeline")}</h3>
            <ul class="timeline" data-testid="timeline">{timeline}</ul>
        </section>
    }
    .into_any()
}
