//! The pickup whitelist: the partner's read-only view and the operator's console.

use super::*;

/// The partner's pickup whitelist, read-only: Huawei Cloud operations grant it.
#[component]
pub(super) fn Whitelist() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| list_whitelist());
    view! {
        <p class="muted">{t(lang, "voucher.whitelist_hint")}</p>
        <p class="notice-info" data-testid="whitelist-granted">{t(lang, "voucher.whitelist_granted")}</p>
        <Loaded resource=list body=move |v| match v {
            l if l.is_empty() => view! { <EmptyState title=t(lang, "voucher.whitelist_empty") /> }.into_any(),
            l => whitelist_table(lang, l, None),
        } />
    }
}

/// A whitelist as a table; with `remove` (the operator's console) each row can be removed.
pub(super) fn whitelist_table(
    lang: Lang,
    entries: Vec<crate::vouchers::model::WhitelistEntry>,
    remove: Option<(ServerAction<SetWhitelisted>, i64)>,
) -> AnyView {
    let rows = entries.into_iter().map(|w| view! {
        <tr data-testid=format!("wl-{}", w.login)>
            <td>{w.login.clone()}</td><td>{w.customer_name.clone()}</td><td>{format_time(w.created_at)}</td>
            {remove.map(|(set, partner)| view! {
                <td>
                    <ActionForm action=set attr:class="inline">
                        <input type="hidden" name="partner" value=partner />
                        <input type="hidden" name="action" value="remove" />
                        <input type="hidden" name="customer" value=w.customer_id />
                        <button type="submit" class="btn-link">{t(lang, "voucher.whitelist_remove")}</button>
                    </ActionForm>
                </td>
            })}
        </tr>
    }).collect_view();
    view! { <DataTable testid="whitelist" rows=rows.into_any()
    columns=vec![Col::text("funds.col.login"), Col::text("voucher.col.customer"), Col::text("common.created_at"),
        Col::text("common.actions").shown_if(remove.is_some())] /> }.into_any()
}

/// 提货券白名单 for operators: choose a partner, then add one of its resale customers or remove
/// one from its whitelist. Every change is audited.
#[component]
pub fn OperatorWhitelist() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let partner = move || q(query, "partner");
    let set = ServerAction::<SetWhitelisted>::new();
    let error = failure(set);
    let console = Resource::new(partner, |p| whitelist_console(Some(p)));
    view! {
        <RequireRole role=Role::Operator>
            <section class="panel" data-testid="operator-whitelist">
                <h1>{t(lang, "operator.whitelist")}</h1>
                <p class="muted">{t(lang, "voucher.whitelist_hint")}</p>
                <FormError error />
                <Suspense fallback=move || loading(lang)>
                    {move || Suspend::new(async move {
                        let c = match console.await {
                            Err(e) => return view! { <ErrorNotice error=e /> }.into_any(),
                            Ok(c) => c,
                        };
                        if c.partners.is_empty() {
                            return view! { <EmptyState title=t(lang, "operator.whitelist.no_partners") /> }.into_any();
                        }
                        let chosen = c.partner;
                        view! {
                            <form method="get" class="search-bar">
                                <label for="wl-partner">{t(lang, "partner.name")}</label>
                                <select id="wl-partner" name="partner">
                                    <option value="" selected=chosen.is_none()>{t(lang, "operator.whitelist.choose")}</option>
                                    {c.partners.into_iter().map(|(id, name)| view! {
                                        <option value=id selected=chosen == Some(id)>{name}</option>
                                    }).collect_view()}
                                </select>
                                <button type="submit" class="btn">{t(lang, "common.search")}</button>
                            </form>
                            {chosen.map(|p| view! {
                                {(!c.candidates.is_empty()).then(|| view! {
                                    <ActionForm action=set attr:class="search-bar">
                                        <input type="hidden" name="partner" value=p />
                                        <input type="hidden" name="action" value="add" />
                                        <label for="wl-customer">{t(lang, "voucher.col.customer")}</label>
                                        <select id="wl-customer" name="customer">
                                            {c.candidates.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                                        </select>
                                        <button type="submit" class="btn btn-primary" data-testid="whitelist-add">{t(lang, "voucher.whitelist_add")}</button>
                                    </ActionForm>
                                })}
                                {if c.entries.is_empty() {
                                    view! { <EmptyState title=t(lang, "voucher.whitelist_empty") /> }.into_any()
                                } else {
                                    whitelist_table(lang, c.entries, Some((set, p)))
                                }}
                            })}
                        }.into_any()
                    })}
                </Suspense>
            </section>
        </RequireRole>
    }
}
