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
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::Lazy;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{MatchNestedRoutes, SsrMode, path};

/// The document around the app, rendered on the server only. It also fixes the page's
/// Content-Security-Policy with a fresh nonce for the hydration script.
pub fn shell(options: &LeptosOptions) -> impl IntoView + use<> {
    let lang = request_lang();
    // The signed-in user, for the browser to read before hydrating (see `ui::Auth`). `<` is
    // escaped so the JSON cannot close the script element.
    let user_json = serde_json::to_string(&request_user())
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c");
    // The request's nonce: leptos_axum provides one per request.
    #[cfg(feature = "ssr")]
    {
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
                {page_assets(options)}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The stylesheet and the hydration scripts (see `server::assets`: what Leptos'
/// `HashedStylesheet` and `HydrationScripts` link, with the file names found once instead of
/// read from `hash.txt` twice per page).
#[cfg(feature = "ssr")]
fn page_assets(options: &LeptosOptions) -> impl IntoView + use<> {
    let assets = crate::server::assets::assets(options);
    if let Some(split) = &assets.split {
        provide_context(split.clone());
    }
    let nonce = leptos::nonce::use_nonce();
    view! {
        <link id="leptos" rel="stylesheet" href=assets.stylesheet.as_str() />
        <link rel="modulepreload" href=assets.script.as_str() crossorigin="" />
        <link rel="preload" href=assets.wasm.as_str() r#as="fetch" r#type="application/wasm" crossorigin="" />
        <script type="module" nonce=nonce>{assets.bootstrap.as_str()}</script>
    }
}

#[cfg(not(feature = "ssr"))]
fn page_assets(_: &LeptosOptions) -> impl IntoView + use<> {}

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
                {routes()}
            </main>
        </Router>
    }
}

/// The router's `<Routes>` over the route table.
fn routes() -> impl IntoView {
    use leptos::children::ToChildren;
    use leptos_router::components::{RouteChildren, RoutesProps};
    Routes(
        RoutesProps::builder()
            .fallback(NotFound)
            .children(RouteChildren::to_children(route_table))
            .build(),
    )
}

/// The route table, built once per thread and cloned for each page rendered: building it runs
/// seventy `Route` components (each with its own allocations), which cost a tenth of a page's
/// time on the server; a clone is a copy of the same definitions.
fn route_table() -> impl MatchNestedRoutes + Clone + Send + 'static {
    built_once(route_definitions)
}

fn route_definitions() -> impl MatchNestedRoutes + Clone + Send + 'static {
    view! {
        <Route path=path!("/") view=Landing ssr=SsrMode::Async />
        <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
        <Route path=path!("/login/forgot") view={Lazy::<LazyForgotPage>::new()} ssr=SsrMode::Async />
        <Route path=path!("/reset-password/:token") view={Lazy::<LazyResetPage>::new()} ssr=SsrMode::Async />
        <Route path=path!("/account") view={Lazy::<LazyProfilePage>::new()} ssr=SsrMode::Async />
        <Route path=path!("/account/password") view={Lazy::<LazyPasswordPage>::new()} ssr=SsrMode::Async />
        <Route path=path!("/join") view={Lazy::<LazyJoinPage>::new()} ssr=SsrMode::Async />
        <Route path=path!("/join/confirm/:token") view={Lazy::<LazyConfirmEmailPage>::new()} ssr=SsrMode::Async />
        <Route path=path!("/join/member/:token") view={Lazy::<LazyJoinMemberPage>::new()} ssr=SsrMode::Async />
        <ParentRoute path=path!("/center") view={Lazy::<LazyCenterShell>::new()} ssr=SsrMode::Async>
            <Route path=path!("") view={Lazy::<LazyCenterHome>::new()} />
            <ParentRoute path=path!("sales") view={Lazy::<LazySalesShell>::new()}>
                <Route path=path!("") view={Lazy::<LazySalesOverview>::new()} />
                <Route path=path!("customers") view={Lazy::<LazyCustomersPage>::new()} />
                <Route path=path!("customers/bulk") view={Lazy::<LazyBulkAllocatePage>::new()} />
                <Route path=path!("customers/invite") view={Lazy::<LazyInvitePage>::new()} />
                <Route path=path!("vouchers") view={Lazy::<LazyVouchersPage>::new()} />
                <Route path=path!("vouchers/issue") view={Lazy::<LazyIssuePage>::new()} />
                <Route path=path!("vouchers/reclaim") view={Lazy::<LazyReclaimPage>::new()} />
                <Route path=path!("vouchers/quota-issue") view={Lazy::<LazyQuotaIssuePage>::new()} />
                <Route path=path!("vouchers/quota-reclaim") view={Lazy::<LazyQuotaReclaimPage>::new()} />
                <Route path=path!("resellers") view={Lazy::<LazyResellersPage>::new()} />
                <Route path=path!("funds") view={Lazy::<LazyFundsPage>::new()} />
                <Route path=path!("opportunities") view={Lazy::<LazyOpportunitiesPage>::new()} />
                <Route path=path!("orders") view={Lazy::<LazyPartnerOrders>::new()} />
                <Route path=path!("orders/:id") view={Lazy::<LazyPartnerOrderAction>::new()} />
                <Route path=path!(":target/:id/:direction") view={Lazy::<LazyAdjustPage>::new()} />
            </ParentRoute>
            <ParentRoute path=path!("plans") view={Lazy::<LazyPlansShell>::new()}>
                <Route path=path!("") view={Lazy::<LazyPlanCatalogue>::new()} />
                <Route path=path!("apply/:plan") view={Lazy::<LazyApplyPage>::new()} />
                <Route path=path!("joined") view={Lazy::<LazyJoinedPage>::new()} />
                <Route path=path!("applications") view={Lazy::<LazyApplicationsPage>::new()} />
            </ParentRoute>
            <Route path=path!("capability") view={Lazy::<LazyCapabilityPage>::new()} />
            <Route path=path!("org") view={Lazy::<LazyEmployeesPage>::new()} />
            <Route path=path!("members") view={Lazy::<LazyMembersPage>::new()} />
            <Route path=path!("keys") view={Lazy::<LazyAccessKeysPage>::new()} />
            <Route path=path!("api-explorer") view={Lazy::<LazyApiExplorerPage>::new()} />
            <Route path=path!("paths/explore") view={Lazy::<LazyExplorePaths>::new()} />
            <Route path=path!("paths/:code") view={Lazy::<LazyPathPage>::new()} />
        </ParentRoute>
        <Route path=path!("/messages") view={Lazy::<LazyMessagesPage>::new()} ssr=SsrMode::Async />
        <Route path=path!("/customer") view={Lazy::<LazyCustomerHome>::new()} ssr=SsrMode::Async />
        <Route path=path!("/personal") view={Lazy::<LazyPersonalHome>::new()} ssr=SsrMode::Async />
        <Route path=path!("/help") view={Lazy::<LazyHelpPage>::new()} ssr=SsrMode::Async />
        <Route path=path!("/customer/billing") view={Lazy::<LazyCustomerBilling>::new()} ssr=SsrMode::Async />
        <Route path=path!("/customer/coupons") view={Lazy::<LazyMyCouponsPage>::new()} ssr=SsrMode::Async />
        <Route path=path!("/invite/:token") view={Lazy::<LazyInvitationPage>::new()} ssr=SsrMode::Async />
        <Route path=path!("/paths/invitation/:token") view={Lazy::<LazyPathInvitationPage>::new()} ssr=SsrMode::Async />
        <Route path=path!("/leave") view={Lazy::<LazyLeavePage>::new()} ssr=SsrMode::Async />
        <Route path=path!("/customer/orders") view={Lazy::<LazyCustomerOrders>::new()} ssr=SsrMode::Async />
        <Route path=path!("/customer/orders/new") view={Lazy::<LazyNewOrderPage>::new()} ssr=SsrMode::Async />
        <Route path=path!("/customer/orders/:id") view={Lazy::<LazyCustomerOrderAction>::new()} ssr=SsrMode::Async />
        <ParentRoute path=path!("/operator") view={Lazy::<LazyOperatorShell>::new()} ssr=SsrMode::Async>
            <Route path=path!("") view={Lazy::<LazyOperatorHome>::new()} />
            <Route path=path!("plans") view={Lazy::<LazyOperatorPlans>::new()} />
            <Route path=path!("paths") view={Lazy::<LazyOperatorPaths>::new()} />
            <Route path=path!("whitelist") view={Lazy::<LazyOperatorWhitelist>::new()} />
            <Route path=path!("holidays") view={Lazy::<LazyOperatorHolidays>::new()} />
            <Route path=path!("onboarding") view={Lazy::<LazyOperatorOnboarding>::new()} />
            <Route path=path!("audit") view={Lazy::<LazyAuditPage>::new()} />
            <Route path=path!("outbox") view={Lazy::<LazyOutboxPage>::new()} />
            <Route path=path!("accounts") view={Lazy::<LazyAccountsPage>::new()} />
            <Route path=path!("funding") view={Lazy::<LazyFundingPage>::new()} />
            <Route path=path!("quotas") view={Lazy::<LazyQuotaConsole>::new()} />
            <Route path=path!("contracts") view={Lazy::<LazyContractsPage>::new()} />
            <Route path=path!("partners/:id") view={Lazy::<LazyPartnerPage>::new()} />
            <Route path=path!("customers") view={Lazy::<LazyOperatorCustomers>::new()} />
            <Route path=path!("opportunities") view={Lazy::<LazyOperatorOpportunities>::new()} />
        </ParentRoute>
        <Route path=path!("/verify") view={Lazy::<LazyVerifyPage>::new()} ssr=SsrMode::Async />
        <Route path=path!("/verify/:number") view={Lazy::<LazyVerifyPage>::new()} ssr=SsrMode::Async />
    }
    .into_inner()
}

/// `make()`'s value, made the first time on this thread and cloned afterwards. Its one caller
/// is `route_table` (a generic function's `static` is shared by every type it is used with, so
/// the value is checked to be of the asked type and made afresh if it is not).
fn built_once<T: Clone + 'static>(make: impl FnOnce() -> T) -> T {
    use std::any::Any;
    use std::cell::OnceCell;
    thread_local! {
        static BUILT: OnceCell<Box<dyn Any>> = const { OnceCell::new() };
    }
    BUILT.with(|cell| {
        if let Some(value) = cell.get().and_then(|v| v.downcast_ref::<T>()) {
            return value.clone();
        }
        let value = make();
        let _ = cell.set(Box::new(value.clone()));
        value
    })
}

/// The pages loaded on demand (`cargo leptos build --split`). A first visit (the landing and login
/// pages) downloads only the shell, the header and those two pages; each area's pages are one
/// WebAssembly chunk, fetched when one of them is first shown (few larger chunks rather than a
/// chunk per page: the splitter also cuts out every piece of code shared by a set of chunks, and
/// a chunk per page made a page need about a hundred files).
macro_rules! lazy_area {
    ($(#[$doc:meta])* $area:ident { $($name:ident => $page:path),* $(,)? }) => {
        #[allow(non_snake_case)]
        pub mod $area {
            use super::*;

            /// The area's pages, passed to its chunk as a number (a plain integer crosses
            /// the chunk's boundary as is).
            #[derive(Clone, Copy)]
            #[repr(u32)]
            #[allow(clippy::enum_variant_names)]
            enum Page {
                $($name),*
            }

            $(#[$doc])*
            /// Any other number only loads the chunk (see `preload`).
            #[leptos::lazy]
            fn $area(page: u32) -> Option<AnyView> {
                $(if page == Page::$name as u32 {
                    return Some($page().into_any());
                })*
                None
            }

            $(
                pub struct $name;

                impl leptos_router::LazyRoute for $name {
                    fn data() -> Self {
                        $name
                    }

                    async fn view(_this: Self) -> AnyView {
                        $area(Page::$name as u32).await.unwrap_or_else(|| ().into_any())
                    }

                    // Hydration loads the chunk first, then hydrates the page synchronously.
                    async fn preload() {
                        let _ = $area(u32::MAX).await;
                    }
                }
            )*
        }
        pub use $area::*;
    };
}

lazy_area! {
    /// The partner center (伙伴中心): every /center page.
    center_area {
        LazyCenterShell => CenterShell,
        LazyCenterHome => CenterHome,
        LazySalesShell => SalesShell,
        LazySalesOverview => SalesOverview,
        LazyCustomersPage => CustomersPage,
        LazyBulkAllocatePage => BulkAllocatePage,
        LazyInvitePage => InvitePage,
        LazyVouchersPage => VouchersPage,
        LazyIssuePage => IssuePage,
        LazyReclaimPage => ReclaimPage,
        LazyQuotaIssuePage => QuotaIssuePage,
        LazyQuotaReclaimPage => QuotaReclaimPage,
        LazyResellersPage => ResellersPage,
        LazyFundsPage => FundsPage,
        LazyOpportunitiesPage => OpportunitiesPage,
        LazyPartnerOrders => PartnerOrders,
        LazyPartnerOrderAction => PartnerOrderAction,
        LazyAdjustPage => AdjustPage,
        LazyPlansShell => PlansShell,
        LazyPlanCatalogue => PlanCatalogue,
        LazyApplyPage => ApplyPage,
        LazyJoinedPage => JoinedPage,
        LazyApplicationsPage => ApplicationsPage,
        LazyCapabilityPage => CapabilityPage,
        LazyEmployeesPage => EmployeesPage,
        LazyMembersPage => crate::members::pages::MembersPage,
        LazyAccessKeysPage => crate::openapi::pages::AccessKeysPage,
        LazyApiExplorerPage => crate::openapi::pages::ApiExplorerPage,
        LazyExplorePaths => crate::paths::pages::ExplorePaths,
        LazyPathPage => crate::paths::pages::PathPage,
    }
}

lazy_area! {
    /// The operator console (华为云运营).
    operator_area {
        LazyOperatorShell => crate::console::pages::OperatorShell,
        LazyOperatorHome => OperatorHome,
        LazyOperatorPlans => OperatorPlans,
        LazyOperatorPaths => crate::paths::pages::OperatorPaths,
        LazyOperatorWhitelist => crate::vouchers::pages::OperatorWhitelist,
        LazyOperatorHolidays => crate::calendar::pages::OperatorHolidays,
        LazyOperatorOnboarding => crate::onboarding::pages::OperatorOnboarding,
        LazyAuditPage => crate::console::pages::AuditPage,
        LazyOutboxPage => crate::console::pages::OutboxPage,
        LazyAccountsPage => crate::console::pages::AccountsPage,
        LazyFundingPage => crate::funds::pages::FundingPage,
        LazyQuotaConsole => crate::vouchers::pages::QuotaConsole,
        LazyContractsPage => crate::customers::pages::ContractsPage,
        LazyPartnerPage => crate::console::partner::PartnerPage,
        LazyOperatorCustomers => crate::customers::pages::OperatorCustomers,
        LazyOperatorOpportunities => crate::pce::pages::OperatorOpportunities,
    }
}

lazy_area! {
    /// The customer's pages (我的合作伙伴, orders, coupons, invitations).
    customer_area {
        LazyCustomerHome => CustomerHome,
        LazyCustomerBilling => CustomerBilling,
        LazyMyCouponsPage => MyCouponsPage,
        LazyInvitationPage => InvitationPage,
        LazyCustomerOrders => CustomerOrders,
        LazyNewOrderPage => NewOrderPage,
        LazyCustomerOrderAction => CustomerOrderAction,
    }
}

lazy_area! {
    /// The rest: profile, password, messages, joining, help, verification.
    account_area {
        LazyForgotPage => crate::profile::pages::ForgotPage,
        LazyResetPage => crate::profile::pages::ResetPage,
        LazyProfilePage => crate::profile::pages::ProfilePage,
        LazyPasswordPage => crate::profile::pages::PasswordPage,
        LazyJoinPage => crate::onboarding::pages::JoinPage,
        LazyConfirmEmailPage => crate::onboarding::pages::ConfirmEmailPage,
        LazyJoinMemberPage => crate::members::pages::JoinMemberPage,
        LazyMessagesPage => MessagesPage,
        LazyPersonalHome => PersonalHome,
        LazyHelpPage => HelpPage,
        LazyPathInvitationPage => crate::paths::pages::PathInvitationPage,
        LazyLeavePage => crate::paths::pages::LeavePage,
        LazyVerifyPage => VerifyPage,
    }
}
