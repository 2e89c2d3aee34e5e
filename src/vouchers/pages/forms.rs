//! Issuing and reclaiming, each a form and a confirmation step: coupons, pickup vouchers, reseller quotas.

use super::*;
use crate::ui::Field;

/// 发放代金券 / 为客户下发提货券: the form (a GET, so it works before hydration), then the
/// confirmation with the quota before and after.
#[component]
pub fn IssuePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let kind = move || Kind::parse(&q(query, "kind")).unwrap_or(Kind::Coupon);
    let field = move |k: &'static str| move || q(query, k);
    let customers = Resource::new(kind, |k| eligible_customers(k.as_str().to_string()));
    let args = move || {
        let form = IssueForm {
            quota: q(query, "quota"),
            face: q(query, "face"),
            min_order: q(query, "min_order"),
            valid_from: q(query, "valid_from"),
            expires: q(query, "expires"),
            service_types: q(query, "service_types"),
            products: q(query, "products"),
            customers: q_all(query, "customers"),
            remark: q(query, "remark"),
        };
        (kind(), form)
    };
    let preview = Resource::new(args, |(k, form)| async move {
        if form.face.trim().is_empty() {
            return None;
        }
        Some(preview_issue(k.as_str().to_string(), form).await)
    });
    let confirm = ServerAction::<ConfirmIssue>::new();
    let error = failure(confirm);
    let chosen = move || q_all(query, "customers");
    view! {
        <h1>{move || t(lang, if kind() == Kind::Coupon { "voucher.issue_coupon" } else { "voucher.issue_pickup" })}</h1>
        <form method="get" class="form">
            <input type="hidden" name="kind" value=move || kind().as_str() />
            <input type="hidden" name="quota" value=field("quota") />
            <p>{t(lang, "voucher.col.quota")}": "{field("quota")}</p>
            <label for="issue-face">{t(lang, "voucher.col.face")}</label>
            <input id="issue-face" name="face" inputmode="decimal" autocomplete="off" value=field("face") />
            <label for="issue-min">{t(lang, "voucher.col.min_order")}</label>
            <input id="issue-min" name="min_order" inputmode="decimal" autocomplete="off" value=field("min_order") />
            <label for="issue-from">{t(lang, "voucher.valid_from")}</label>
            <input id="issue-from" name="valid_from" type="date" value=field("valid_from") />
            <label for="issue-to">{t(lang, "voucher.expires")}</label>
            <input id="issue-to" name="expires" type="date" value=field("expires") />
            <p class="muted">{t(lang, "voucher.validity_hint")}</p>
            <label for="issue-st">{t(lang, "voucher.service_types")}</label>
            <input id="issue-st" name="service_types" value=field("service_types") placeholder="hws.service.type.ec2" />
            <label for="issue-pr">{t(lang, "voucher.products")}</label>
            <input id="issue-pr" name="products" value=field("products") placeholder="ecs-c7-large" />
            <fieldset>
                <legend>{move || t(lang, if kind() == Kind::Coupon { "voucher.customers_resale" } else { "voucher.customers_whitelisted" })}</legend>
                <Loaded resource=customers body=move |v| match v {
                    c if c.is_empty() => view! { <p class="muted" data-testid="no-eligible">{t(lang, "voucher.no_eligible")}</p> }.into_any(),
                    c => c.into_iter().map(|(id, name, mode)| {
                        let checked = chosen().split(',').any(|x| x == id.to_string());
                        let mode = crate::domain::CustomerMode::parse(&mode).map(|m| t(lang, m.label_key())).unwrap_or_default();
                        view! { <label class="check"><input type="checkbox" name="customers" value=id checked=checked data-testid=format!("customer-{id}") />" "{name}" ("{mode}")"</label> }
                    }).collect_view().into_any(),
                } />
                <p class="muted">{t(lang, "voucher.customers_hint")}</p>
            </fieldset>
            <label for="issue-remark">{t(lang, "voucher.col.remark")}</label>
            <input id="issue-remark" name="remark" maxlength="200" value=field("remark") />
            <button type="submit" class="btn btn-primary" data-testid="issue-next">{t(lang, "funds.next")}</button>
        </form>
        <Loaded resource=preview silent=true body=move |p| view! {
                <section class="panel confirm-box" data-testid="issue-preview">
                    <h2>{t(lang, "voucher.confirm_issue")}</h2>
                    <dl class="facts">
                        <dt>{t(lang, "voucher.col.face")}</dt><dd>{p.face.to_string()}</dd>
                        <dt>{t(lang, "voucher.col.customer")}</dt><dd>{p.customers.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>().join("、")}</dd>
                        <dt>{t(lang, "voucher.total")}</dt><dd data-testid="preview-total">{p.total.to_string()}</dd>
                        <dt>{t(lang, "voucher.quota_balance")}</dt><dd data-testid="preview-quota">{format!("{} → {}", p.quota_before, p.quota_after)}</dd>
                        <dt>{t(lang, "voucher.col.validity")}</dt><dd>{format_time(p.effective_at)}" ~ "{format_time(p.expires_at)}</dd>
                    </dl>
                    <ActionForm action=confirm>
                        <input type="hidden" name="kind" value=p.kind.as_str() />
                        <input type="hidden" name="quota" value=p.quota_id />
                        {["face", "min_order", "valid_from", "expires", "service_types", "products", "remark"].into_iter().map(|k| view! {
                            <input type="hidden" name=k value=q(query, k) />
                        }).collect_view()}
                        <input type="hidden" name="customers" value=chosen() />
                        <input type="hidden" name="trans_id" value=p.trans_id.clone() />
                        <FormError error />
                        <div class="button-row">
                            <button type="submit" class="btn btn-primary" data-testid="issue-confirm" disabled=move || confirm.pending().get()>{t(lang, "common.confirm")}</button>
                            <a class="btn" href=format!("/center/sales/vouchers?tab={}", p.kind.as_str())>{t(lang, "common.cancel")}</a>
                        </div>
                    </ActionForm>
                </section>
            }.into_any()
        />
    }
}

/// 确定回收以下提货券吗? / 确定回收以下代金券吗?: the coupons to reclaim with what each holds.
#[component]
pub fn ReclaimPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let kind = move || Kind::parse(&q(query, "kind")).unwrap_or(Kind::Coupon);
    let ids = move || q_all(query, "ids");
    let preview = Resource::new(
        move || (kind(), ids()),
        |(k, ids)| preview_reclaim(k.as_str().to_string(), ids),
    );
    let confirm = ServerAction::<ConfirmReclaim>::new();
    let error = failure(confirm);
    view! {
        <h1>{move || format!("{}{}", t(lang, "voucher.reclaim"), kind_word(lang, kind()))}</h1>
        <Suspense fallback=move || loading(lang)>
            {move || Suspend::new(async move {
                match preview.await {
                    Err(e) => view! { <ErrorNotice error=e /> <p><a class="btn" href=format!("/center/sales/vouchers?tab={}&view=issued", kind().as_str())>{t(lang, "common.back")}</a></p> }.into_any(),
                    Ok(p) => view! {
                        <section class="panel confirm-box" data-testid="reclaim-preview">
                            <h2>{t(lang, if kind() == Kind::Pickup { "voucher.confirm_reclaim_pickup" } else { "voucher.confirm_reclaim_coupon" })}</h2>
                            <CouponRows rows=p.coupons.clone() selectable=false />
                            <p>{t(lang, "voucher.reclaim_total")}" "<strong data-testid="reclaim-total">{p.total.to_string()}</strong>" "{t(lang, "common.yuan")}</p>
                            <ActionForm action=confirm>
                                <input type="hidden" name="kind" value=kind().as_str() />
                                <input type="hidden" name="ids" value=ids() />
                                <input type="hidden" name="trans_id" value=p.trans_id.clone() />
                                <FormError error />
                                <div class="button-row">
                                    <button type="submit" class="btn btn-primary" data-testid="reclaim-confirm" disabled=move || confirm.pending().get()>{t(lang, "common.confirm")}</button>
                                    <a class="btn" href=format!("/center/sales/vouchers?tab={}&view=issued", kind().as_str())>{t(lang, "common.cancel")}</a>
                                </div>
                            </ActionForm>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// 发放代金券额度 to resellers (distributors): quota, resellers, amount each → confirm.
#[component]
pub fn QuotaIssuePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let quotas = Resource::new(|| (), |_| list_quotas("coupon".to_string(), None));
    let resellers = Resource::new(
        || (),
        |_| crate::funds::api::list_resellers(Default::default()),
    );
    let args = move || {
        (
            q(query, "quota"),
            q_all(query, "resellers"),
            q(query, "amount"),
        )
    };
    let preview = Resource::new(args, |(quota, rs, amount)| async move {
        if amount.trim().is_empty() {
            return None;
        }
        Some(preview_quota_issue(quota, rs, amount).await)
    });
    let confirm = ServerAction::<ConfirmQuotaIssue>::new();
    let error = failure(confirm);
    view! {
        <h1>{t(lang, "voucher.give_quota")}</h1>
        <Suspense fallback=move || loading(lang)>
            {move || Suspend::new(async move {
                let quotas = quotas.await;
                let resellers = resellers.await;
                match (quotas, resellers) {
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                    (Ok(qs), Ok(rs)) => view! {
                        <form method="get" class="form">
                            <label for="give-quota">{t(lang, "voucher.col.quota")}</label>
                            <select id="give-quota" name="quota">
                                {qs.items.into_iter().filter(|x| x.status == QuotaStatus::Normal).map(|x| {
                                    let selected = q(query, "quota") == x.id.to_string();
                                    view! { <option value=x.id selected=selected>{format!("{} · {} {}", x.id, x.balance, t(lang, "common.yuan"))}</option> }
                                }).collect_view()}
                            </select>
                            <fieldset>
                                <legend>{t(lang, "sales.resellers.mine")}</legend>
                                {rs.items.into_iter().map(|r| {
                                    let checked = q_all(query, "resellers").split(',').any(|x| x == r.id.to_string());
                                    view! { <label class="check"><input type="checkbox" name="resellers" value=r.id checked=checked data-testid=format!("reseller-{}", r.login) />" "{r.name.clone()}</label> }
                                }).collect_view()}
                            </fieldset>
                            <label for="give-amount">{t(lang, "voucher.amount_each")}</label>
                            <input id="give-amount" name="amount" inputmode="decimal" value=move || q(query, "amount") />
                            <button type="submit" class="btn btn-primary" data-testid="give-next">{t(lang, "funds.next")}</button>
                        </form>
                    }.into_any(),
                }
            })}
        </Suspense>
        <Loaded resource=preview silent=true body=move |p| view! {
                <section class="panel confirm-box" data-testid="give-preview">
                    <h2>{t(lang, "voucher.confirm_give")}</h2>
                    <dl class="facts">
                        <dt>{t(lang, "sales.resellers.mine")}</dt><dd>{p.customers.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>().join("、")}</dd>
                        <dt>{t(lang, "voucher.amount_each")}</dt><dd>{p.face.to_string()}</dd>
                        <dt>{t(lang, "voucher.total")}</dt><dd>{p.total.to_string()}</dd>
                        <dt>{t(lang, "voucher.quota_balance")}</dt><dd data-testid="give-quota-after">{format!("{} → {}", p.quota_before, p.quota_after)}</dd>
                    </dl>
                    <ActionForm action=confirm>
                        <input type="hidden" name="quota" value=p.quota_id />
                        <input type="hidden" name="resellers" value={p.customers.iter().map(|(id, _)| id.to_string()).collect::<Vec<_>>().join(",")} />
                        <input type="hidden" name="amount" value=p.face.to_string() />
                        <input type="hidden" name="trans_id" value=p.trans_id.clone() />
                        <FormError error />
                        <div class="button-row">
                            <button type="submit" class="btn btn-primary" data-testid="give-confirm" disabled=move || confirm.pending().get()>{t(lang, "common.confirm")}</button>
                            <a class="btn" href="/center/sales/vouchers?tab=coupon&view=issued-quotas">{t(lang, "common.cancel")}</a>
                        </div>
                    </ActionForm>
                </section>
            }.into_any()
        />
    }
}

/// 回收代金券额度 from resellers: the quotas and what each still holds → confirm.
#[component]
pub fn QuotaReclaimPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let ids = move || q_all(query, "ids");
    let preview = Resource::new(ids, preview_quota_reclaim);
    let confirm = ServerAction::<ConfirmQuotaReclaim>::new();
    let error = failure(confirm);
    view! {
        <h1>{t(lang, "voucher.take_quota")}</h1>
        <Loaded resource=preview body=move |p| view! {
                <section class="panel confirm-box" data-testid="take-preview">
                    <h2>{t(lang, "voucher.confirm_take")}</h2>
                    <QuotaRows rows=p.quotas.clone() issue_link=None reclaim_link=false />
                    <p>{t(lang, "voucher.reclaim_total")}" "<strong data-testid="take-total">{p.total.to_string()}</strong>" "{t(lang, "common.yuan")}</p>
                    <ActionForm action=confirm>
                        <input type="hidden" name="ids" value=ids() />
                        <input type="hidden" name="trans_id" value=p.trans_id.clone() />
                        <Field id="take-remark" name="remark" label="voucher.col.remark" maxlength=200 />
                        <FormError error />
                        <div class="button-row">
                            <button type="submit" class="btn btn-primary" data-testid="take-confirm" disabled=move || confirm.pending().get()>{t(lang, "common.confirm")}</button>
                            <a class="btn" href="/center/sales/vouchers?tab=coupon&view=issued-quotas">{t(lang, "common.cancel")}</a>
                        </div>
                    </ActionForm>
                </section>
            }.into_any()
        />
    }
}
