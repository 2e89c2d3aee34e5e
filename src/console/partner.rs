//! 伙伴管理 → one partner (`/operator/partners/:id`): its profile and contacts (editable), balances,
//! quotas, certificates and path certifications, customers, resellers, members and the latest
//! audit entries, and the actions that concern it on the page itself — funding and designated
//! funds, a quota, an HO, the distributor path's invitation — each form with the partner already
//! chosen ([`FixedPartner`]: no search, and no WebAssembly needed), coming back here after it.

use super::api::{SetPartnerContact, partner_detail};
use super::model::{FixedPartner, HeldCertificate, HeldPath, PartnerDetail, Pick};
use crate::domain::{PartnerKind, format_time};
use crate::i18n::{Lang, t, use_lang};
use crate::paths::api::InviteDistributor;
use crate::ui::{FormError, Loaded, failure};
use crate::vouchers::api::GrantQuota;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A table with a caption, its head and rows; an empty state when there are none.
fn section(
    lang: Lang,
    title: &str,
    testid: &'static str,
    head: &[&str],
    rows: Vec<AnyView>,
) -> AnyView {
    let body = if rows.is_empty() {
        view! { <p class="muted">{t(lang, "console.partner.none")}</p> }.into_any()
    } else {
        let head: Vec<_> = head
            .iter()
            .map(|k| view! { <th>{t(lang, k)}</th> })
            .collect();
        view! {
            <table class="data-table" data-testid=testid>
                <thead><tr>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="panel">
            <h2>{t(lang, title)}</h2>
            {body}
        </section>
    }
    .into_any()
}

fn certificate_row(lang: Lang, c: HeldCertificate) -> AnyView {
    let name = crate::plans::model::Plan::parse(&c.subject)
        .map_or(c.subject.clone(), |p| t(lang, p.name_key()).to_string());
    let state = if c.revoked_at.is_some() {
        "console.partner.revoked"
    } else {
        "console.partner.valid"
    };
    view! {
        <tr>
            <td>{name}</td>
            <td>{c.number}</td>
            <td>{format_time(c.issued_at)}</td>
            <td>{format_time(c.expires_at)}</td>
            <td>{t(lang, state)}</td>
        </tr>
    }
    .into_any()
}

fn path_row(lang: Lang, p: HeldPath) -> AnyView {
    use crate::paths::model::{PathKind, Stage};
    let path =
        PathKind::parse(&p.path).map_or(p.path.clone(), |k| t(lang, k.label_key()).to_string());
    let stage =
        Stage::parse(&p.stage).map_or(p.stage.clone(), |s| t(lang, s.label_key()).to_string());
    let state = format!("console.partner.cert.{}", p.state);
    view! {
        <tr>
            <td>{path}</td>
            <td>{stage}</td>
            <td>{t(lang, &state)}</td>
            <td>{format_time(p.valid_until)}</td>
        </tr>
    }
    .into_any()
}

/// The partner's contacts, which the operator may change.
#[component]
fn ContactForm(
    save: ServerAction<SetPartnerContact>,
    partner: i64,
    email: Option<String>,
    phone: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let error = failure(save);
    view! {
        <ActionForm action=save attr:class="form form-grid" attr:novalidate=true attr:data-testid="partner-contact">
            <input type="hidden" name="partner" value=partner.to_string() />
            <label for="pd-email">{t(lang, "profile.email")}</label>
            <input id="pd-email" name="email" type="email" maxlength="254" value=email.unwrap_or_default() />
            <label for="pd-phone">{t(lang, "profile.phone")}</label>
            <input id="pd-phone" name="phone" type="tel" maxlength="20" value=phone.unwrap_or_default() />
            <FormError error />
            <button type="submit" class="btn">{t(lang, "common.save")}</button>
        </ActionForm>
    }
}

/// What the page's forms change, so the page reloads its data after each.
#[derive(Clone, Copy)]
struct Actions {
    save: ServerAction<SetPartnerContact>,
    grant: ServerAction<GrantQuota>,
    invite: ServerAction<InviteDistributor>,
}

/// The actions that concern the partner, on its page: every form's partner is this one.
#[component]
fn PartnerActions(id: i64, name: String, kind: PartnerKind, actions: Actions) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let has = move |k: &str| query.read().get(k).is_some();
    let audit = format!("/operator/audit?partner={}", crate::ui::urlencode(&name));
    provide_context(FixedPartner(Pick {
        id,
        label: name,
        detail: kind.as_str().to_string(),
    }));
    let Actions { grant, invite, .. } = actions;
    view! {
        <section class="panel" data-testid="partner-actions">
            <h2>{t(lang, "console.partner.actions")}</h2>
            <p class="muted">{t(lang, "console.partner.actions.hint")}</p>
            <details data-testid="action-fund" open=move || has("fund_amount") || has("funded") || has("requested")>
                <summary>{t(lang, "console.partner.fund")}</summary>
                <crate::funds::pages::OperatorFunding />
            </details>
            // A form's section stays open after it answered (the page reloads its data).
            <details data-testid="action-quota" open=move || grant.value().with(Option::is_some)>
                <summary>{t(lang, "console.partner.quota")}</summary>
                <crate::vouchers::pages::GrantQuotaForm grant />
            </details>
            <details data-testid="action-share-ho" open=move || has("shared")>
                <summary>{t(lang, "console.partner.share_ho")}</summary>
                <crate::pce::pages::ShareHoForm />
            </details>
            {(kind == PartnerKind::Distributor).then(|| view! {
                <details data-testid="action-invite" open=move || invite.value().with(Option::is_some)>
                    <summary>{t(lang, "console.partner.invite_path")}</summary>
                    <crate::paths::pages::InviteDistributorForm invite />
                </details>
            })}
            <p><a class="btn" href=audit rel="external">{t(lang, "console.partner.audit_all")}</a></p>
        </section>
    }
}

fn detail(lang: Lang, actions: Actions, d: PartnerDetail) -> AnyView {
    let id = d.id;
    let save = actions.save;
    let quotas = d
        .quotas
        .into_iter()
        .map(|q| {
            let q = q.quota;
            view! {
                <tr>
                    <td>{q.id}</td>
                    <td>{t(lang, q.kind.label_key())}</td>
                    <td class="num">{q.value.grouped()}</td>
                    <td class="num">{q.balance.grouped()}</td>
                    <td>{format_time(q.expires_at)}</td>
                    <td>{t(lang, q.status.label_key())}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let certificates = d
        .certificates
        .into_iter()
        .map(|c| certificate_row(lang, c))
        .collect();
    let paths = d.paths.into_iter().map(|p| path_row(lang, p)).collect();
    let resellers = d
        .resellers
        .into_iter()
        .map(|(rid, name)| {
            view! {
            <tr><td>{rid}</td><td><a href=format!("/operator/partners/{rid}")>{name}</a></td></tr>
        }.into_any()
        })
        .collect();
    let members = d
        .members
        .into_iter()
        .map(|m| {
            view! {
                <tr>
                    <td>{m.login}</td>
                    <td>{m.email.unwrap_or_else(|| "-".into())}</td>
                    <td>{t(lang, m.role.label_key())}</td>
                    <td>{t(lang, m.state.label_key())}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let audit = d
        .audit
        .into_iter()
        .map(|l| {
            view! {
                <tr>
                    <td>{format_time(l.at)}</td>
                    <td>{l.actor}</td>
                    <td><code>{l.action}</code></td>
                    <td class="wrap">{l.detail}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let parent = d.parent_id.zip(d.parent_name).map(|(pid, name)| {
        view! {
            <dt>{t(lang, "partner.parent")}</dt>
            <dd><a href=format!("/operator/partners/{pid}")>{name}</a></dd>
        }
    });
    view! {
        <h1 data-testid="partner-name">{d.name.clone()}</h1>
        <section class="panel">
            <h2>{t(lang, "console.partner.profile")}</h2>
            <dl class="facts" data-testid="partner-facts">
                <dt>"ID"</dt><dd>{id}</dd>
                <dt>{t(lang, "partner.kind")}</dt><dd>{t(lang, d.kind.label_key())}</dd>
                <dt>{t(lang, "partner.hcpn")}</dt><dd>{t(lang, d.hcpn.label_key())}</dd>
                {parent}
                <dt>{t(lang, "common.created_at")}</dt><dd>{format_time(d.created_at)}</dd>
                <dt>{t(lang, "funds.balance")}</dt><dd class="num" data-testid="partner-balance">{d.balances.balance.grouped()}</dd>
                <dt>{t(lang, "funds.designated")}</dt><dd class="num">{d.balances.designated.grouped()}</dd>
                <dt>{t(lang, "partner.customers")}</dt><dd data-testid="partner-customers">{d.customers}</dd>
            </dl>
            <h3>{t(lang, "profile.partner")}</h3>
            <ContactForm save partner=id email=d.email phone=d.phone />
        </section>
        {section(lang, "console.partner.quotas", "partner-quotas",
            &["voucher.col.quota", "quota.kind", "voucher.col.total", "voucher.col.balance", "voucher.expires", "voucher.col.status"], quotas)}
        {section(lang, "console.partner.certificates", "partner-certificates",
            &["console.partner.plan", "console.partner.number", "console.partner.issued", "voucher.expires", "voucher.col.status"], certificates)}
        {section(lang, "console.partner.paths", "partner-paths",
            &["console.partner.path", "console.partner.stage", "voucher.col.status", "console.partner.valid_until"], paths)}
        {(d.kind == PartnerKind::Distributor).then(|| section(lang, "sales.resellers", "partner-resellers", &["console.partner.id", "partner.name"], resellers))}
        {section(lang, "members.title", "partner-members", &["members.login", "members.email", "members.role", "members.state"], members)}
        {section(lang, "console.partner.audit", "partner-audit", &["audit.time", "audit.actor", "audit.action", "audit.detail"], audit)}
        <PartnerActions id name=d.name kind=d.kind actions />
    }
    .into_any()
}

#[component]
pub fn PartnerPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    // Every action on the page reloads its data (and its audit entries): the forms' own, and
    // those that come back here with a result in the address.
    let actions = Actions {
        save: ServerAction::<SetPartnerContact>::new(),
        grant: ServerAction::<GrantQuota>::new(),
        invite: ServerAction::<InviteDistributor>::new(),
    };
    let returned = move || {
        let q = query.read();
        ["funded", "requested", "shared"].map(|k| q.get(k))
    };
    let partner = Resource::new(
        move || {
            (
                id(),
                actions.save.version().get(),
                actions.grant.version().get(),
                actions.invite.version().get(),
                returned(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => partner_detail(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    let body = move |d: PartnerDetail| detail(lang, actions, d);
    view! {
        <p><a href="/operator">{t(lang, "console.partner.back")}</a></p>
        {move || query.read().get("saved").map(|_| view! { <p class="notice-ok" role="status">{t(lang, "console.partner.saved")}</p> })}
        <Loaded resource=partner body not_found=("console.partner.not_found", "partner-not-found") />
    }
}
