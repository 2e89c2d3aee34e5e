//! 额度管理 for operators: grant a partner a voucher or pickup quota, and set any quota's status
//! with the reason. The partner is told, and sees the change at once.

use super::*;
use crate::console::model::PickKind;
use crate::console::picker::Picker;
use crate::vouchers::api::{GrantQuota, SetQuotaStatus, operator_quotas};
use crate::vouchers::model::OperatorQuota;

const STATUSES: [QuotaStatus; 4] = [
    QuotaStatus::Normal,
    QuotaStatus::Invalid,
    QuotaStatus::Adjusting,
    QuotaStatus::Frozen,
];

#[component]
pub fn QuotaConsole() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let get = move |k: &str| q(query, k);
    let page = move || query.read().get("page").and_then(|p| p.parse::<u32>().ok());
    let grant = ServerAction::<GrantQuota>::new();
    let status = ServerAction::<SetQuotaStatus>::new();
    let list = Resource::new(
        move || {
            (
                get("kind"),
                get("status"),
                page(),
                grant.version().get(),
                status.version().get(),
            )
        },
        |(kind, st, page, ..)| operator_quotas(None, Some(kind), Some(st), page),
    );
    let error = failure(status);
    let saved = move || matches!(status.value().get(), Some(Ok(())));
    let row = move |o: OperatorQuota| {
        let qt = o.quota;
        let id = qt.id.to_string();
        let current = qt.status;
        view! {
            <tr data-testid=format!("quota-{}", qt.id)>
                <td>{qt.id}</td>
                <td>{o.partner_name.clone()}" (ID "{o.partner_id}")"</td>
                <td>{t(lang, Kind::label_key(qt.kind))}</td>
                <td class="num">{qt.value.grouped()}</td>
                <td class="num">{qt.balance.grouped()}</td>
                <td>{qt.max_face.map(|m| m.to_string()).unwrap_or_else(|| "-".into())}</td>
                <td>{format_time(qt.expires_at)[..10].to_string()}</td>
                <td data-testid="quota-status">{t(lang, qt.status.label_key())}</td>
                <td class="actions">
                    <ActionForm action=status attr:class="inline-form">
                        <input type="hidden" name="quota" value=id />
                        <select name="status" aria-label=t(lang, "voucher.col.status")>
                            {STATUSES.into_iter().map(|s| view! {
                                <option value=s.code().to_string() selected=s == current>{t(lang, s.label_key())}</option>
                            }).collect_view()}
                        </select>
                        <input name="reason" maxlength="200" aria-label=t(lang, "quota.reason") placeholder=t(lang, "quota.reason") />
                        <button type="submit" class="btn">{t(lang, "common.save")}</button>
                    </ActionForm>
                </td>
            </tr>
        }
        .into_any()
    };
    view! {
        <h1>{t(lang, "operator.quotas")}</h1>
        <GrantQuotaForm grant />
        <section class="panel" data-testid="quota-console">
            <h2>{t(lang, "quota.all")}</h2>
            <form method="get" class="search-bar">
                <label for="qc-kind">{t(lang, "quota.kind")}</label>
                <select id="qc-kind" name="kind">
                    <option value="">{t(lang, "common.all")}</option>
                    {[Kind::Coupon, Kind::Pickup].into_iter().map(|k| view! {
                        <option value=k.as_str() selected=move || get("kind") == k.as_str()>{t(lang, k.label_key())}</option>
                    }).collect_view()}
                </select>
                <label for="qc-status">{t(lang, "voucher.col.status")}</label>
                <select id="qc-status" name="status">
                    <option value="">{t(lang, "common.all")}</option>
                    {STATUSES.into_iter().map(|s| view! {
                        <option value=s.code().to_string() selected=move || get("status") == s.code().to_string()>{t(lang, s.label_key())}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="btn">{t(lang, "common.search")}</button>
            </form>
            {move || saved().then(|| view! { <p class="notice-ok" role="status">{t(lang, "quota.status.saved")}</p> })}
            <FormError error />
            <PagedList list empty="voucher.no_quotas" testid="quota-list"
                columns=vec![
                    Col::text("voucher.col.quota"), Col::text("operator.partner"), Col::text("quota.kind"),
                    Col::text("voucher.col.total"), Col::text("voucher.col.balance"), Col::text("voucher.max_face"),
                    Col::text("voucher.expires"), Col::text("voucher.col.status"), Col::text("common.actions"),
                ]
                row=row
            />
        </section>
    }
}

/// Grants a partner a voucher or pickup quota (on a partner's own page, that partner).
#[component]
pub fn GrantQuotaForm(grant: ServerAction<GrantQuota>) -> impl IntoView {
    let lang = use_lang();
    let granted = move || grant.value().get().and_then(Result::ok);
    let error = failure(grant);
    view! {
    <section class="panel" data-testid="grant-quota">
        <h2>{t(lang, "quota.grant")}</h2>
        <ActionForm action=grant attr:class="form-grid" attr:novalidate=true>
            <Picker id="gq-partner" name="partner" label="operator.partner" what=PickKind::Partner />
            <label for="gq-kind">{t(lang, "quota.kind")}</label>
            <select id="gq-kind" name="kind">
                <option value="coupon">{t(lang, "voucher.coupon")}</option>
                <option value="pickup">{t(lang, "voucher.pickup")}</option>
            </select>
            <label for="gq-amount">{t(lang, "voucher.col.total")}</label>
            <input id="gq-amount" name="amount" inputmode="decimal" />
            <label for="gq-days">{t(lang, "quota.days")}</label>
            <input id="gq-days" name="days" inputmode="numeric" value="365" />
            <label for="gq-max">{t(lang, "voucher.max_face")}</label>
            <input id="gq-max" name="max_face" inputmode="decimal" placeholder=t(lang, "quota.optional") />
            <label for="gq-types">{t(lang, "quota.service_types")}</label>
            <input id="gq-types" name="service_types" placeholder=t(lang, "quota.optional") />
            <label for="gq-products">{t(lang, "quota.products")}</label>
            <input id="gq-products" name="products" placeholder=t(lang, "quota.optional") />
            <button type="submit" class="btn btn-primary" disabled=move || grant.pending().get()>{t(lang, "quota.grant.submit")}</button>
        </ActionForm>
        <FormError error />
        {move || granted().map(|id| view! { <p class="notice-ok" role="status" data-testid="quota-granted">{t(lang, "quota.granted")}" "{id}</p> })}
    </section>
    }
}
