//! Partner center pages.

use crate::domain::Role;
use crate::i18n::{t, use_lang};
use crate::members::model::Area;
use crate::ui::{Auth, EmptyState, RequireRole};
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
        <crate::workbench::pages::PartnerWorkbench />
        {paths.then(|| view! { <crate::paths::pages::PathModule /> })}
    }
}

#[component]
pub fn CapabilityPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <h1>{t(lang, "nav.capability")}</h1>
        <EmptyState title=t(lang, "capability.empty") hint=t(lang, "capability.hint") />
    }
}
