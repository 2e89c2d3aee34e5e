//! The HTML shell and the route table.

use crate::accounts::pages::{CustomerHome, Landing, LoginPage, OperatorHome};
use crate::center::pages::{CapabilityPage, CenterHome, CenterShell};
use crate::customers::pages::{InvitationPage, InvitePage};
use crate::employees::pages::{EmployeesPage, PersonalHome};
use crate::funds::pages::{
    AdjustPage, BulkAllocatePage, CustomerBilling, CustomersPage, FundsPage, ResellersPage,
    SalesOverview, SalesShell,
};
use crate::help::pages::HelpPage;
use crate::i18n::{Lang, t};
use crate::messages::pages::MessagesPage;
use crate::orders::pages::{
    CustomerOrderAction, CustomerOrders, NewOrderPage, PartnerOrderAction, PartnerOrders,
};
use crate::pce::pages::OpportunitiesPage;
use crate::plans::pages::{
    ApplicationsPage, ApplyPage, JoinedPage, OperatorPlans, PlanCatalogue, PlansShell, VerifyPage,
};
use crate::ui::{Auth, Header, NotFound};
use crate::vouchers::pages::{
    IssuePage, MyCouponsPage, QuotaIssuePage, QuotaReclaimPage, ReclaimPage, VouchersPage,
};
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The document around the app, rendered on the server only. It also fixes the page's
/// Content-Security-Policy with a fresh nonce for the hydration script.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = request_lang();
    // The signed-in user, for the browser to read before hydrating (see `ui::Auth`). `<` is
    // escaped so the JSON cannot close the script element.
    let user_json = serde_json::to_string(&request_user())
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c");
    #[cfg(feature = "ssr")]
    {
        leptos::nonce::provide_nonce();
        if let (Some(nonce), Some(res)) = (
            leptos::nonce::use_nonce(),
            use_context::<leptos_axum::ResponseOptions>(),
        ) && let Ok(v) =
            axum::http::HeaderValue::from_str(&crate::server::security::page_csp(&nonce))
        {
            res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <script id="pc-user" type="application/json" nonce=leptos::nonce::use_nonce() inner_html=user_json></script>
                <HashedStylesheet id="leptos" options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The page language: from the `pc_lang` cookie on the server, from `<html lang>` in the browser.
fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|p| {
                p.headers
                    .get(axum::http::header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Lang::from_code(&l))
            .unwrap_or_default()
    }
}

/// The signed-in user: loaded by the server's `load_user` middleware into the request, or read
/// back in the browser from the JSON the shell embedded.
fn request_user() -> Option<crate::accounts::model::SessionUser> {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|p| {
                p.extensions
                    .get::<crate::accounts::model::CurrentUser>()
                    .cloned()
            })
            .and_then(|c| c.0)
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .get_element_by_id("pc-user")
            .and_then(|e| e.text_content())
            .and_then(|json| serde_json::from_str(&json).ok())
            .flatten()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = request_lang();
    provide_context(lang);
    Auth::provide(request_user());
    view! {
        <Title text=t(lang, "brand") />
        <Router>
            <Header />
            <main class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Landing ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/login/forgot") view=crate::profile::pages::ForgotPage ssr=SsrMode::Async />
                    <Route path=path!("/reset-password/:token") view=crate::profile::pages::ResetPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=crate::profile::pages::ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/account/password") view=crate::profile::pages::PasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/join") view=crate::onboarding::pages::JoinPage ssr=SsrMode::Async />
                    <Route path=path!("/join/confirm/:token") view=crate::onboarding::pages::ConfirmEmailPage ssr=SsrMode::Async />
                    <Route path=path!("/join/member/:token") view=crate::members::pages::JoinMemberPage ssr=SsrMode::Async />
                    <ParentRoute path=path!("/center") view=CenterShell ssr=SsrMode::Async>
                        <Route path=path!("") view=CenterHome />
                        <ParentRoute path=path!("sales") view=SalesShell>
                            <Route path=path!("") view=SalesOverview />
                            <Route path=path!("customers") view=CustomersPage />
                            <Route path=path!("customers/bulk") view=BulkAllocatePage />
                            <Route path=path!("customers/invite") view=InvitePage />
                            <Route path=path!("vouchers") view=VouchersPage />
                            <Route path=path!("vouchers/issue") view=IssuePage />
                            <Route path=path!("vouchers/reclaim") view=ReclaimPage />
                            <Route path=path!("vouchers/quota-issue") view=QuotaIssuePage />
                            <Route path=path!("vouchers/quota-reclaim") view=QuotaReclaimPage />
                            <Route path=path!("resellers") view=ResellersPage />
                            <Route path=path!("funds") view=FundsPage />
                            <Route path=path!("opportunities") view=OpportunitiesPage />
                            <Route path=path!("orders") view=PartnerOrders />
                            <Route path=path!("orders/:id") view=PartnerOrderAction />
                            <Route path=path!(":target/:id/:direction") view=AdjustPage />
                        </ParentRoute>
                        <ParentRoute path=path!("plans") view=PlansShell>
                            <Route path=path!("") view=PlanCatalogue />
                            <Route path=path!("apply/:plan") view=ApplyPage />
                            <Route path=path!("joined") view=JoinedPage />
                            <Route path=path!("applications") view=ApplicationsPage />
                        </ParentRoute>
                        <Route path=path!("capability") view=CapabilityPage />
                        <Route path=path!("org") view=EmployeesPage />
                        <Route path=path!("members") view=crate::members::pages::MembersPage />
                        <Route path=path!("keys") view=crate::openapi::pages::AccessKeysPage />
                        <Route path=path!("api-explorer") view=crate::openapi::pages::ApiExplorerPage />
                        <Route path=path!("paths/explore") view=crate::paths::pages::ExplorePaths />
                        <Route path=path!("paths/:code") view=crate::paths::pages::PathPage />
                    </ParentRoute>
                    <Route path=path!("/messages") view=MessagesPage ssr=SsrMode::Async />
                    <Route path=path!("/customer") view=CustomerHome ssr=SsrMode::Async />
                    <Route path=path!("/personal") view=PersonalHome ssr=SsrMode::Async />
                    <Route path=path!("/help") view=HelpPage ssr=SsrMode::Async />
                    <Route path=path!("/customer/billing") view=CustomerBilling ssr=SsrMode::Async />
                    <Route path=path!("/customer/coupons") view=MyCouponsPage ssr=SsrMode::Async />
                    <Route path=path!("/invite/:token") view=InvitationPage ssr=SsrMode::Async />
                    <Route path=path!("/paths/invitation/:token") view=crate::paths::pages::PathInvitationPage ssr=SsrMode::Async />
                    <Route path=path!("/leave") view=crate::paths::pages::LeavePage ssr=SsrMode::Async />
                    <Route path=path!("/customer/orders") view=CustomerOrders ssr=SsrMode::Async />
                    <Route path=path!("/customer/orders/new") view=NewOrderPage ssr=SsrMode::Async />
                    <Route path=path!("/customer/orders/:id") view=CustomerOrderAction ssr=SsrMode::Async />
                    <ParentRoute path=path!("/operator") view=crate::console::pages::OperatorShell ssr=SsrMode::Async>
                        <Route path=path!("") view=OperatorHome />
                        <Route path=path!("plans") view=OperatorPlans />
                        <Route path=path!("paths") view=crate::paths::pages::OperatorPaths />
                        <Route path=path!("whitelist") view=crate::vouchers::pages::OperatorWhitelist />
                        <Route path=path!("holidays") view=crate::calendar::pages::OperatorHolidays />
                        <Route path=path!("onboarding") view=crate::onboarding::pages::OperatorOnboarding />
                        <Route path=path!("audit") view=crate::console::pages::AuditPage />
                        <Route path=path!("outbox") view=crate::console::pages::OutboxPage />
                        <Route path=path!("accounts") view=crate::console::pages::AccountsPage />
                        <Route path=path!("funding") view=crate::funds::pages::FundingPage />
                        <Route path=path!("quotas") view=crate::vouchers::pages::QuotaConsole />
                        <Route path=path!("contracts") view=crate::customers::pages::ContractsPage />
                        <Route path=path!("partners/:id") view=crate::console::partner::PartnerPage />
                        <Route path=path!("customers") view=crate::customers::pages::OperatorCustomers />
                        <Route path=path!("opportunities") view=crate::pce::pages::OperatorOpportunities />
                    </ParentRoute>
                    <Route path=path!("/verify") view=VerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/verify/:number") view=VerifyPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
