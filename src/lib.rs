//! Partner Center: a server-rendered console for Huawei Cloud partners, their customers and operators.
//!
//! One crate, two builds: `ssr` (the axum server, database and command line) and `hydrate`
//! (the WebAssembly that takes over the server-rendered pages in the browser).

pub mod accounts;
pub mod app;
pub mod calendar;
pub mod center;
pub mod console;
pub mod customers;
pub mod domain;
pub mod employees;
pub mod error;
pub mod funds;
pub mod help;
pub mod i18n;
pub mod idempotency;
pub mod members;
pub mod messages;
pub mod notify;
pub mod onboarding;
pub mod openapi;
pub mod orders;
pub mod paths;
pub mod pce;
pub mod plans;
pub mod profile;
pub mod ui;
pub mod vouchers;
pub mod workbench;

#[cfg(feature = "ssr")]
pub mod server;

/// Browser entry point: attach to the server-rendered HTML, then mark the page as interactive
/// so end-to-end tests can wait for it.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A server function that redirects (sign-in, sign-out, a confirmed payment) ends in a full
    // page load, so the next page is rendered by the server with the session as it now is. The
    // first hook set wins; the router would otherwise install a client-side one.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|location: &str| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_href(location);
        }
    });
    // Pages other than the first ones a visitor sees are loaded on demand (lazy routes, a
    // WebAssembly chunk each), so hydration waits for the chunk of the page being shown: it is
    // asynchronous, and the page is marked interactive only when it is done.
    wasm_bindgen_futures::spawn_local(async {
        let handle = leptos::mount::hydrate_from_async(leptos::tachys::dom::body(), app::App).await;
        handle.forget();
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            // The build's id (see build.rs) lives in the main module, so that module's
            // content-hashed name changes with every build that could change a chunk.
            let _ = body.set_attribute("data-build", env!("PC_BUILD_ID"));
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
