//! The authorization matrix: every page, server function and HTTP route the server answers (as
//! `partner-center routes` lists them, so a new endpoint without an entry here fails), called
//! by every role and by an anonymous visitor. A caller the matrix does not allow is refused
//! (server functions and HTTP routes: 401 signed out, 403 signed in; pages: the sign-in redirect
//! signed out, the 403 page signed in; the open API: 401 without a partner's token, whatever
//! session cookie comes along) and nothing changes in the database. An allowed caller is never
//! answered 401/403 (calls carry no arguments, so most answer 400: that is not a refusal).

use crate::common;

use common::{PASSWORD, TestApp};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

on_both_backends!(every_route_refuses_every_caller_the_matrix_does_not_allow);

/// Who calls: `A` anonymous, `P` partner user (its administrator), `C` customer, `O` operator,
/// `E` a person's own account (employee), and two members of the same partner: `F` of the
/// finance role (funds, vouchers, orders) and `B` of the business role (customers,
/// opportunities, plans, paths). An entry lists who may call; `*` is everyone (public).
const WHO: [char; 7] = ['A', 'P', 'C', 'O', 'E', 'F', 'B'];

/// The matrix. Keys: `PAGE <path>`, `<METHOD> <path>` for server functions and HTTP routes.
const MATRIX: &[(&str, &str)] = &[
    // Pages.
    ("PAGE /", "*"),
    ("PAGE /login", "*"),
    ("PAGE /help", "*"),
    ("PAGE /verify", "*"),
    ("PAGE /verify/{number}", "*"),
    ("PAGE /center", "PFB"),
    ("PAGE /center/sales", "PFB"),
    ("PAGE /center/sales/customers", "PB"),
    ("PAGE /center/sales/customers/bulk", "PF"),
    ("PAGE /center/sales/customers/invite", "PB"),
    ("PAGE /center/sales/vouchers", "PF"),
    ("PAGE /center/sales/vouchers/issue", "PF"),
    ("PAGE /center/sales/vouchers/reclaim", "PF"),
    ("PAGE /center/sales/vouchers/quota-issue", "PF"),
    ("PAGE /center/sales/vouchers/quota-reclaim", "PF"),
    ("PAGE /center/sales/resellers", "PF"),
    ("PAGE /center/sales/funds", "PF"),
    ("PAGE /center/sales/opportunities", "PB"),
    ("PAGE /center/sales/orders", "PF"),
    ("PAGE /center/sales/orders/{id}", "PF"),
    ("PAGE /center/sales/{target}/{id}/{direction}", "PF"),
    ("PAGE /center/plans", "PB"),
    ("PAGE /center/plans/apply/{plan}", "PB"),
    ("PAGE /center/plans/joined", "PB"),
    ("PAGE /center/plans/applications", "PB"),
    ("PAGE /center/capability", "PB"),
    ("PAGE /center/org", "P"),
    ("PAGE /center/keys", "P"),
    ("PAGE /center/api-explorer", "P"),
    ("PAGE /center/paths/explore", "PB"),
    ("PAGE /center/paths/{code}", "PB"),
    ("PAGE /messages", "PCOEFB"),
    ("PAGE /customer", "C"),
    ("PAGE /customer/billing", "C"),
    ("PAGE /customer/coupons", "C"),
    ("PAGE /customer/orders", "C"),
    ("PAGE /customer/orders/new", "C"),
    ("PAGE /customer/orders/{id}", "C"),
    ("PAGE /personal", "E"),
    ("PAGE /invite/{token}", "C"),
    ("PAGE /paths/invitation/{token}", "PB"),
    ("PAGE /leave", "*"),
    ("PAGE /operator", "O"),
    ("PAGE /operator/plans", "O"),
    ("PAGE /operator/paths", "O"),
    ("PAGE /operator/whitelist", "O"),
    ("PAGE /operator/holidays", "O"),
    ("PAGE /operator/onboarding", "O"),
    ("PAGE /operator/audit", "O"),
    ("PAGE /operator/outbox", "O"),
    ("PAGE /operator/accounts", "O"),
    ("PAGE /operator/funding", "O"),
    ("PAGE /operator/quotas", "O"),
    ("PAGE /operator/contracts", "O"),
    ("PAGE /operator/partners/{id}", "O"),
    ("PAGE /operator/customers", "O"),
    ("PAGE /operator/opportunities", "O"),
    ("PAGE /join", "*"),
    ("PAGE /join/confirm/{token}", "*"),
    ("PAGE /login/forgot", "*"),
    ("PAGE /reset-password/{token}", "*"),
    ("PAGE /account", "PCOEFB"),
    ("PAGE /account/password", "PCOEFB"),
    ("PAGE /center/members", "P"),
    ("PAGE /join/member/{token}", "*"),
    // Server functions: accounts and messages.
    ("POST /api/login", "*"),
    ("POST /api/logout", "*"),
    ("POST /api/me", "*"),
    ("POST /api/certificates/verify", "*"),
    ("POST /api/messages/list", "PCOEFB"),
    ("POST /api/messages/unread", "PCOEFB"),
    ("POST /api/messages/read", "PCOEFB"),
    ("POST /api/messages/read-all", "PCOEFB"),
    ("POST /api/workbench/partner", "PFB"),
    ("POST /api/workbench/operator", "O"),
    ("POST /api/workbench/customer", "C"),
    ("POST /api/workbench/sales", "PFB"),
    ("POST /api/messages/prefs", "PCEFB"),
    ("POST /api/messages/prefs-set", "PCEFB"),
    // Customers and employees.
    ("POST /api/customers/invite", "PB"),
    ("POST /api/customers/invitations", "PB"),
    ("POST /api/customers/invitation-cancel", "PB"),
    ("POST /api/customers/unbind", "PB"),
    ("POST /api/customers/invitation", "C"),
    ("POST /api/customers/accept", "C"),
    ("POST /api/customers/unbind-answer", "C"),
    ("POST /api/customers/my-partner", "C"),
    ("POST /api/customers/contract", "C"),
    ("POST /api/employees/invite", "P"),
    ("POST /api/employees/list", "P"),
    ("POST /api/employees/cancel", "P"),
    ("POST /api/employees/unbind", "P"),
    ("POST /api/employees/mine", "E"),
    ("POST /api/employees/exam", "E"),
    ("POST /api/employees/accept", "E"),
    ("POST /api/employees/decline", "E"),
    // Funds (拨款/回收 and the operator's funding and designation).
    ("POST /api/funds/preview", "PF"),
    ("POST /api/funds/adjust", "PF"),
    ("POST /api/funds/bulk-preview", "PF"),
    ("POST /api/funds/bulk-allocate", "PF"),
    ("POST /api/funds/resellers", "PF"),
    ("POST /api/funds/customers", "PB"),
    ("POST /api/funds/balances", "PF"),
    ("POST /api/funds/records", "PF"),
    ("POST /api/funds/low-balance", "PF"),
    ("POST /api/funds/low-balance-set", "PF"),
    ("POST /api/funds/my-balance", "C"),
    ("POST /api/operator/fund", "O"),
    ("POST /api/operator/designate", "O"),
    ("POST /api/operator/fund-preview", "O"),
    ("POST /api/operator/fund-request", "O"),
    ("POST /api/operator/funding-requests", "O"),
    ("POST /api/operator/fund-approve", "O"),
    ("POST /api/operator/fund-reject", "O"),
    ("POST /api/operator/partners", "O"),
    ("POST /api/console/partner", "O"),
    ("POST /api/operator/customers", "O"),
    ("POST /api/operator/opportunities", "O"),
    ("POST /api/console/partner-contact", "O"),
    ("POST /api/operator/real-name", "O"),
    // Open API keys and the API Explorer.
    ("POST /api/openapi/keys", "P"),
    ("POST /api/openapi/key-create", "P"),
    ("POST /api/openapi/key-change", "P"),
    ("POST /api/openapi/explore", "P"),
    // Orders.
    ("POST /api/orders/create", "C"),
    ("POST /api/orders/list", "PCF"),
    ("POST /api/orders/detail", "PCF"),
    ("POST /api/orders/act", "PCF"),
    ("POST /api/orders/partner-pay-allowed", "C"),
    ("POST /api/orders/consulting-pay", "PF"),
    ("POST /api/orders/set-consulting-pay", "PF"),
    ("POST /api/orders/coupons", "C"),
    // Development paths (the partner's and the operator's actions).
    ("POST /api/paths/explore", "PB"),
    ("POST /api/paths/select", "PB"),
    ("POST /api/paths/joined", "PB"),
    ("POST /api/paths/detail", "PB"),
    ("POST /api/paths/evidence", "PB"),
    ("POST /api/paths/apply", "PB"),
    ("POST /api/paths/review", "PB"),
    ("POST /api/paths/invitation", "PB"),
    ("POST /api/paths/invitation-accept", "PB"),
    ("POST /api/paths/op-queue", "O"),
    ("POST /api/paths/op-decide", "O"),
    ("POST /api/paths/op-window", "O"),
    ("POST /api/paths/op-invite", "O"),
    ("POST /api/paths/op-invitations", "O"),
    ("POST /api/paths/op-window-edit", "O"),
    ("POST /api/paths/op-window-close", "O"),
    ("POST /api/paths/op-invitation-cancel", "O"),
    ("POST /api/paths/op-invitation-resend", "O"),
    // Engagement (PCE) and partner plans.
    ("POST /api/pce/list", "PB"),
    ("POST /api/pce/register", "PB"),
    ("POST /api/pce/answer", "PB"),
    ("POST /api/pce/stage", "PB"),
    ("POST /api/operator/share-ho", "O"),
    ("POST /api/plans/catalogue", "PB"),
    ("POST /api/plans/apply", "PB"),
    ("POST /api/plans/applications", "PB"),
    ("POST /api/plans/joined", "PB"),
    ("POST /api/operator/plan-applications", "O"),
    ("POST /api/operator/plan-approve", "O"),
    ("POST /api/operator/plan-reject", "O"),
    ("POST /api/operator/certificate-revoke", "O"),
    // Vouchers.
    ("POST /api/vouchers/quotas", "PF"),
    ("POST /api/vouchers/issued-quotas", "PF"),
    ("POST /api/vouchers/coupons", "PF"),
    ("POST /api/vouchers/records", "PF"),
    ("POST /api/vouchers/uses", "PF"),
    ("POST /api/vouchers/whitelist", "PF"),
    ("POST /api/operator/whitelist", "O"),
    ("POST /api/operator/whitelist-set", "O"),
    // The holiday calendar.
    ("POST /api/calendar/year", "O"),
    ("POST /api/calendar/set", "O"),
    ("POST /api/calendar/remove", "O"),
    ("POST /api/calendar/load", "O"),
    // HCPN onboarding.
    ("POST /api/onboarding/distributors", "*"),
    ("POST /api/onboarding/register", "*"),
    ("POST /api/onboarding/confirm", "*"),
    ("POST /api/onboarding/mine", "P"),
    ("POST /api/onboarding/submit", "P"),
    // Partner members (成员管理): administrators only; the invitation link is public.
    ("POST /api/members/list", "P"),
    ("POST /api/members/invite", "P"),
    ("POST /api/members/resend", "P"),
    ("POST /api/members/role", "P"),
    ("POST /api/members/remove", "P"),
    ("POST /api/members/invitation", "*"),
    ("POST /api/members/join", "*"),
    ("POST /api/onboarding/resend", "P"),
    ("POST /api/onboarding/queue", "O"),
    ("POST /api/onboarding/approve", "O"),
    ("POST /api/onboarding/reject", "O"),
    // The operator console's audit trail and deliveries.
    ("POST /api/console/audit", "O"),
    ("POST /api/console/audit-actions", "O"),
    ("POST /api/console/deliveries", "O"),
    ("POST /api/console/retry", "O"),
    ("POST /api/console/accounts", "O"),
    ("POST /api/console/account-state", "O"),
    ("POST /api/console/reset-password", "O"),
    ("POST /api/contracts/queue", "O"),
    ("POST /api/operator/quotas", "O"),
    ("POST /api/operator/grant-quota", "O"),
    ("POST /api/operator/quota-status", "O"),
    ("POST /api/contracts/approve", "O"),
    ("POST /api/contracts/reject", "O"),
    ("POST /api/console/pick", "O"),
    ("POST /api/console/create-account", "O"),
    ("POST /api/account/profile", "PCOEFB"),
    ("POST /api/account/contact", "PCOEFB"),
    ("POST /api/account/password", "PCOEFB"),
    ("POST /api/account/forgot", "*"),
    ("POST /api/account/reset-check", "*"),
    ("POST /api/account/reset", "*"),
    ("GET /operator/audit.csv", "O"),
    ("GET /operator/audit.xlsx", "O"),
    ("GET /messages/export.csv", "PCOEFB"),
    ("GET /messages/export.xlsx", "PCOEFB"),
    ("GET /operator/plan-applications.csv", "O"),
    ("GET /operator/plan-applications.xlsx", "O"),
    ("POST /api/vouchers/issue-preview", "PF"),
    ("POST /api/vouchers/issue", "PF"),
    ("POST /api/vouchers/reclaim-preview", "PF"),
    ("POST /api/vouchers/reclaim", "PF"),
    ("POST /api/vouchers/quota-issue-preview", "PF"),
    ("POST /api/vouchers/quota-issue", "PF"),
    ("POST /api/vouchers/quota-reclaim-preview", "PF"),
    ("POST /api/vouchers/quota-reclaim", "PF"),
    ("POST /api/vouchers/eligible", "PF"),
    ("POST /api/vouchers/mine", "C"),
    // Plain HTTP routes: downloads, health, language.
    ("GET /healthz", "*"),
    ("GET /lang", "*"),
    ("GET /center/sales/funds/records.csv", "PF"),
    ("GET /center/sales/funds/records.xlsx", "PF"),
    ("GET /center/sales/vouchers/records.csv", "PF"),
    ("GET /center/sales/vouchers/records.xlsx", "PF"),
    ("GET /center/sales/customers/export.csv", "PB"),
    ("GET /center/sales/customers/export.xlsx", "PB"),
    ("GET /center/sales/resellers/export.csv", "PF"),
    ("GET /center/sales/resellers/export.xlsx", "PF"),
    ("GET /center/sales/vouchers/coupons.csv", "PF"),
    ("GET /center/sales/vouchers/coupons.xlsx", "PF"),
    ("GET /center/sales/orders/export.csv", "PF"),
    ("GET /center/sales/orders/export.xlsx", "PF"),
    ("GET /center/certificates/{number}/pdf", "PB"),
    // The open API: a partner user's token; the token endpoint and the document are public.
    ("POST /v3/auth/tokens", "*"),
    ("GET /openapi.json", "*"),
    ("POST /v2/partners/coupon-quotas/query", "P"),
    ("POST /v2/promotions/benefits/partner-coupons", "P"),
    ("GET /v2/promotions/benefits/partner-coupons", "P"),
    (
        "POST /v2/partners/coupon-quotas/indirect-partner-adjust",
        "P",
    ),
    (
        "POST /v2/partners/coupon-quotas/indirect-partner-reclaim",
        "P",
    ),
    ("GET /v2/partners/issued-coupon-quotas", "P"),
    ("GET /v2/partners/coupon-quotas/records", "P"),
    ("POST /v2/promotions/benefits/partner-coupons/reclaim", "P"),
    (
        "POST /v2/accounts/partner-accounts/indirect-partner-adjust",
        "P",
    ),
    (
        "POST /v2/accounts/partner-accounts/indirect-partner-reclaim",
        "P",
    ),
    ("POST /v2/partners/indirect-partners/query", "P"),
    ("GET /v2/accounts/partner-accounts/balances", "P"),
    ("GET /v3/accounts/partner-accounts/adjust-records", "P"),
    ("POST /v2/accounts/partner-accounts/adjust-amount", "P"),
    ("POST /v2/accounts/partner-accounts/reclaim", "P"),
    ("POST /v2/partners/sub-customers/query", "P"),
];

/// Every argument any server function takes, with a value of its type, sent to each of them (a
/// function ignores the others): arguments are read before the function runs, so without them
/// every call would be a 400 and the caller's check would go untested. A new argument name
/// belongs here.
const ARGS: &[(&str, &str)] = &[
    ("accept", "1"),
    ("account", "nobody"),
    ("action", "1"),
    ("actor", "1"),
    ("address", "1"),
    ("ak", "1"),
    ("allow", "1"),
    ("amount", "1"),
    ("answer", "1"),
    ("body", "{}"),
    ("category", "1"),
    ("channel", "1"),
    ("client_token", "1"),
    ("code", "1"),
    ("company", "1"),
    ("confirm", "mismatch"),
    ("consent", "1"),
    ("contact_email", "1"),
    ("contact_name", "1"),
    ("contact_phone", "1"),
    ("coupon", "1"),
    ("covers", "1"),
    ("current", "1"),
    ("customer", "1"),
    ("customers", "1"),
    ("day", "1"),
    ("days", "1"),
    ("decision", "1"),
    ("description", "1"),
    ("direction", "Allocate"),
    ("disabled", "1"),
    ("email", "1"),
    ("expires", "1"),
    ("face", "1"),
    ("filter", "1"),
    ("first", "1"),
    ("from", "1"),
    ("group", "1"),
    ("hcpn", "1"),
    ("holder", "1"),
    ("id", "1"),
    ("ids", "1"),
    ("kind", "1"),
    ("label", "1"),
    ("last", "1"),
    ("login", "1"),
    ("lost_reason", "1"),
    ("max_face", ""),
    ("min_order", "1"),
    ("mode", "1"),
    ("name", "1"),
    ("next", "1"),
    ("number", "1"),
    ("occurred_on", "1"),
    ("operation", "1"),
    ("page", "1"),
    ("parent", "1"),
    ("partner", "1"),
    ("partner_email", "1"),
    ("partner_id", "1"),
    ("partner_phone", "1"),
    ("password", "nothing-like-it"),
    ("payment", "1"),
    ("phone", "1"),
    ("plan", "1"),
    ("product", "1"),
    ("products", "1"),
    ("q", "1"),
    ("quantity", "1"),
    ("query", "1"),
    ("quota", "1"),
    ("reason", "1"),
    ("recipient", "1"),
    ("remark", "1"),
    ("request", "1"),
    ("resellers", "1"),
    ("role", "1"),
    ("service_types", "1"),
    ("site", "1"),
    ("stage", "1"),
    ("stage_code", "1"),
    ("state", "1"),
    ("statement", "1"),
    ("status", "1"),
    ("tab", "1"),
    ("target", "Reseller"),
    ("threshold", "1"),
    ("title", "1"),
    ("to", "1"),
    ("token", "1"),
    ("trans_id", "1"),
    ("uscc", "1"),
    ("user", "0"),
    ("valid_from", "1"),
    ("verified", "1"),
    ("what", "1"),
    ("year", "2026"),
];

/// How a route is reached.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Page,
    ServerFn,
    Http,
    OpenApi,
}

struct Route {
    key: String,
    kind: Kind,
    method: String,
    path: String,
}

/// The routes as the binary lists them (`partner-center routes`).
fn listed_routes(app: &TestApp) -> Vec<Route> {
    let list = app.cli_ok(&["routes"]);
    let mut out = Vec::new();
    for p in list["pages"].as_array().expect("pages") {
        let path = p.as_str().unwrap().to_string();
        out.push(Route {
            key: format!("PAGE {path}"),
            kind: Kind::Page,
            method: "GET".into(),
            path,
        });
    }
    for f in list["server_fns"].as_array().expect("server_fns") {
        let (path, method) = (f["path"].as_str().unwrap(), f["method"].as_str().unwrap());
        out.push(Route {
            key: format!("{method} {path}"),
            kind: Kind::ServerFn,
            method: method.into(),
            path: path.into(),
        });
    }
    for h in list["http"].as_array().expect("http") {
        if h.get("only_with").is_some() {
            continue; // not served by default (tested below)
        }
        let path = h["path"].as_str().unwrap();
        let kind = if path.starts_with("/v2/") || path.starts_with("/v3/accounts") {
            Kind::OpenApi
        } else {
            Kind::Http
        };
        for method in h["methods"].as_str().unwrap().split(',') {
            out.push(Route {
                key: format!("{method} {path}"),
                kind,
                method: method.into(),
                path: path.into(),
            });
        }
    }
    out
}

/// Path parameters get values that exist for the allowed caller where it matters.
fn concrete(path: &str, ids: &BTreeMap<&str, String>) -> String {
    let mut out = String::new();
    for seg in path.split('/').skip(1) {
        out.push('/');
        let name = seg
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .or_else(|| seg.strip_prefix(':'));
        match name {
            Some(n) => out.push_str(ids.get(n).map_or("1", String::as_str)),
            None => out.push_str(seg),
        }
    }
    if out.is_empty() { "/".into() } else { out }
}

struct Callers {
    clients: BTreeMap<char, reqwest::Client>,
    partner_token: String,
}

async fn callers(app: &TestApp) -> Callers {
    let mut clients = BTreeMap::new();
    clients.insert('A', app.client());
    for (who, login) in [
        ('P', "m-dist"),
        ('C', "m-cust"),
        ('O', "m-ops"),
        ('E', "m-pers"),
        ('F', "m-fin"),
        ('B', "m-biz"),
    ] {
        clients.insert(who, app.signed_in(login).await);
    }
    let res = app.api_token("m-dist", PASSWORD).await;
    assert_eq!(res.status(), 201);
    let partner_token = res.headers()["x-subject-token"]
        .to_str()
        .unwrap()
        .to_string();
    Callers {
        clients,
        partner_token,
    }
}

/// One call as `who`; its status and, for a redirect, where it goes.
async fn call(app: &TestApp, c: &Callers, who: char, r: &Route, url_path: &str) -> (u16, String) {
    let client = &c.clients[&who];
    let url = app.url(url_path);
    let req = match (r.kind, r.method.as_str()) {
        (Kind::Page, _) => client
            .get(&url)
            .header("accept", "text/html,application/xhtml+xml"),
        (Kind::ServerFn, "GET") => client.get(&url).query(ARGS),
        (Kind::ServerFn, _) => client.post(&url).form(ARGS),
        (_, method) => {
            let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let mut req = client
                .request(method, &url)
                .header("content-type", "application/json");
            if r.kind == Kind::OpenApi && who == 'P' {
                req = req.header("x-auth-token", &c.partner_token);
            }
            if r.method != "GET" {
                req = req.body("{}");
            }
            req
        }
    };
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, location)
}

/// Whether an answer is the refusal this kind of route gives `who`.
fn refused(kind: Kind, who: char, (status, location): &(u16, String)) -> bool {
    match (kind, who) {
        (Kind::Page, 'A') => (300..400).contains(status) && location.starts_with("/login"),
        (Kind::Page, _) => *status == 403,
        (Kind::OpenApi, _) => *status == 401,
        (_, 'A') => *status == 401,
        _ => *status == 403,
    }
}

async fn every_route_refuses_every_caller_the_matrix_does_not_allow(app: TestApp) {
    // One caller of each kind, each with things of its own to point at.
    let dist = app.partner("m-dist", "distributor", None);
    let res = app.partner("m-res", "reseller", Some(dist));
    let cust = app.customer(res, "m-cust", "resale");
    app.operator("m-ops");
    app.cli_ok(&[
        "admin",
        "create-personal",
        "--login",
        "m-pers",
        "--password",
        PASSWORD,
    ]);
    for (login, role) in [("m-fin", "finance"), ("m-biz", "business")] {
        let dist = dist.to_string();
        let email = format!("{login}@example.com");
        app.cli_ok(&[
            "admin",
            "create-member",
            "--partner",
            &dist,
            "--login",
            login,
            "--email",
            &email,
            "--role",
            role,
            "--password",
            PASSWORD,
        ]);
    }
    app.fund(dist, "100");
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    ids.insert("id", res.to_string());
    ids.insert("target", "Reseller".into());
    ids.insert("direction", "Allocate".into());
    ids.insert("number", "HWPC-0000-0000".into());
    ids.insert("token", "no-such-token".into());
    ids.insert("plan", "capability".into());
    ids.insert("code", "solution".into());
    let _ = cust;

    let routes = listed_routes(&app);
    let matrix: BTreeMap<&str, &str> = MATRIX.iter().copied().collect();
    assert_eq!(
        matrix.len(),
        MATRIX.len(),
        "a route is listed twice in MATRIX"
    );
    let listed: BTreeSet<&str> = routes.iter().map(|r| r.key.as_str()).collect();
    let unlisted: Vec<&&str> = listed
        .iter()
        .filter(|k| !matrix.contains_key(**k))
        .collect();
    assert!(
        unlisted.is_empty(),
        "routes without an entry in the authorization matrix: {unlisted:#?}"
    );
    let stale: Vec<&&str> = matrix.keys().filter(|k| !listed.contains(**k)).collect();
    assert!(stale.is_empty(), "matrix entries for no route: {stale:#?}");

    let c = callers(&app).await;
    let allowed = |key: &str, who: char| {
        let a = matrix[key];
        a == "*" || a.contains(who)
    };
    // Refusals first: nobody refused may change anything.
    let mut wrong = Vec::new();
    for r in &routes {
        let url_path = concrete(&r.path, &ids);
        let before = app.snapshot(&["sessions"]).await;
        for who in WHO.iter().copied().filter(|w| !allowed(&r.key, *w)) {
            let answer = call(&app, &c, who, r, &url_path).await;
            if !refused(r.kind, who, &answer) {
                wrong.push(format!("{who} {} → {answer:?} (should be refused)", r.key));
            }
        }
        let after = app.snapshot(&["sessions"]).await;
        TestApp::assert_unchanged(&before, &after, &format!("refused calls of {}", r.key));
    }
    // Then the allowed callers: never answered as refused. Signing out goes last.
    let mut order: Vec<&Route> = routes.iter().collect();
    order.sort_by_key(|r| r.path.ends_with("/logout"));
    for r in order {
        let url_path = concrete(&r.path, &ids);
        for who in WHO.iter().copied().filter(|w| allowed(&r.key, *w)) {
            let answer = call(&app, &c, who, r, &url_path).await;
            let (status, location) = &answer;
            // Signing in with a wrong password is a 401 by design (the caller may sign in).
            let refusal = (matches!(status, 401 | 403) && r.key != "POST /api/login")
                || (r.kind == Kind::Page && location.starts_with("/login") && who != 'A');
            if refusal {
                wrong.push(format!("{who} {} → {answer:?} (should be allowed)", r.key));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} answers disagree with the matrix:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    // The open API ignores session cookies: a signed-in partner without a token is refused.
    let (s, e) = common::json(
        c.clients[&'P']
            .get(app.url("/v2/accounts/partner-accounts/balances"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((s, e["error_code"].is_string()), (401, true), "{e}");
    app.assert_ledger_sound().await;
    app.assert_audit_sound().await;
}

on_both_backends!(the_bench_route_exists_only_with_its_flag);

async fn the_bench_route_exists_only_with_its_flag(mut app: TestApp) {
    let listed = app.cli_ok(&["routes"]);
    let bench: Vec<&Value> = listed["http"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["path"] == "/__bench/static")
        .collect();
    assert_eq!(bench.len(), 1);
    assert_eq!(bench[0]["only_with"], "--bench-routes");
    // Without the flag: GET is the 404 page and PUT stores nothing.
    let c = app.client();
    let url = app.url("/__bench/static");
    assert_eq!(c.get(&url).send().await.unwrap().status(), 404);
    let put = c.put(&url).body("<p>stored</p>").send().await.unwrap();
    assert_eq!(put.status(), 405, "PUT without the flag");
    let get = c.get(&url).send().await.unwrap();
    assert_eq!(get.status(), 404);
    assert!(!get.text().await.unwrap().contains("stored"));
    // With the flag, the same PUT is stored and served back.
    app.kill().await;
    app.start(&["--bench-routes"]).await;
    let c = app.client();
    let url = app.url("/__bench/static");
    assert_eq!(
        c.put(&url)
            .body("<p>stored</p>")
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    let get = c.get(&url).send().await.unwrap();
    assert_eq!(get.status(), 200);
    assert_eq!(get.text().await.unwrap(), "<p>stored</p>");
}
