//! The lists of 券管理: quotas, issued quotas, coupons, operation records, uses.

use super::*;

#[component]
pub(super) fn QuotaRows(
    rows: Vec<Quota>,
    issue_link: Option<Kind>,
    reclaim_link: bool,
) -> impl IntoView {
    let lang = use_lang();
    let rows = rows.into_iter().map(|r| {
        let normal = r.status == QuotaStatus::Normal;
        let limits = format!(
            "{}{}{}",
            r.max_face.map(|m| format!("{} ≤ {m}", t(lang, "voucher.max_face"))).unwrap_or_default(),
            if r.service_types.is_empty() { String::new() } else { format!(" {}", r.service_types.join(",")) },
            if r.products.is_empty() { String::new() } else { format!(" {}", r.products.join(",")) },
        );
        view! {
            <tr data-testid=format!("quota-{}", r.id)>
                <td>{r.id}</td>
                {reclaim_link.then(|| view! { <td>{r.reseller_name.clone().unwrap_or_default()}</td> })}
                <td data-testid="quota-status">{t(lang, r.status.label_key())}</td>
                <td class="num">{r.value.grouped()}</td>
                <td class="num">{r.used.grouped()}</td>
                <td class="num" data-testid="quota-balance">{r.balance.grouped()}</td>
                <td>{format_time(r.effective_at)}" ~ "{format_time(r.expires_at)}</td>
                <td>{if limits.is_empty() { "-".to_string() } else { limits }}</td>
                <td class="actions">
                    {issue_link.filter(|_| normal).map(|k| view! {
                        <a href=format!("/center/sales/vouchers/issue?kind={}&quota={}", k.as_str(), r.id) data-testid=format!("issue-from-{}", r.id)>
                            {t(lang, if k == Kind::Coupon { "voucher.issue_coupon" } else { "voucher.issue_pickup" })}
                        </a>
                    })}
                    {(reclaim_link && normal).then(|| view! {
                        <a href=format!("/center/sales/vouchers/quota-reclaim?ids={}", r.id) data-testid=format!("reclaim-quota-{}", r.id)>{t(lang, "voucher.reclaim")}</a>
                    })}
                </td>
            </tr>
        }
    }).collect_view();
    view! { <DataTable testid="quota-table" rows=rows.into_any()
    columns=vec![Col::text("voucher.col.quota"), Col::text("voucher.col.reseller").shown_if(reclaim_link), Col::text("voucher.col.status"),
        Col::num("voucher.col.total"), Col::num("voucher.col.used"), Col::num("voucher.col.remaining"),
        Col::text("voucher.col.validity"), Col::text("voucher.col.limits"), Col::text("common.actions")] /> }
}

#[component]
pub(super) fn QuotaList(kind: Kind) -> impl IntoView {
    let query = use_query_map();
    let list = Resource::new(
        move || (kind, q(query, "page").parse::<u32>().ok()),
        |(k, page)| list_quotas(k.as_str().to_string(), page),
    );
    view! {
        <Paged list empty="voucher.no_quotas" empty_hint=Some("voucher.no_quotas_hint")
            body=move |rows| view! { <QuotaRows rows issue_link=Some(kind) reclaim_link=false /> }.into_any()
        />
    }
}

#[component]
pub(super) fn IssuedQuotaList() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let list = Resource::new(
        move || q(query, "page").parse::<u32>().ok(),
        list_issued_quotas,
    );
    view! {
        <p><a class="btn" href="/center/sales/vouchers/quota-issue" data-testid="give-quota">{t(lang, "voucher.give_quota")}</a></p>
        <Paged list empty="voucher.no_issued_quotas"
            body=|rows| view! { <QuotaRows rows issue_link=None reclaim_link=true /> }.into_any()
        />
    }
}

#[component]
pub(super) fn CouponRows(rows: Vec<Coupon>, selectable: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="table" data-testid="coupon-table">
            {table_head(lang, &[
                Col::text("voucher.select").shown_if(selectable),
                Col::text("voucher.col.number"),
                Col::text("voucher.col.customer"),
                Col::num("voucher.col.face").sorts("face"),
                Col::num("voucher.col.balance").sorts("balance"),
                Col::num("voucher.col.min_order"),
                Col::text("voucher.col.validity").sorts("expires"),
                Col::text("voucher.col.status"),
                Col::text("voucher.col.remark").shown_if(selectable),
            ])}
            <tbody>
                {rows.into_iter().map(|c| {
                    let usable = c.status == CouponStatus::Usable;
                    view! {
                        <tr data-testid=format!("coupon-{}", c.number)>
                            {selectable.then(|| view! {
                                <td>{usable.then(|| view! { <input type="checkbox" name="ids" value=c.id aria-label=c.number.clone() data-testid=format!("pick-{}", c.id) /> })}</td>
                            })}
                            <td>{c.number.clone()}</td>
                            <td>{c.customer_name.clone()}</td>
                            <td class="num">{c.face.grouped()}</td>
                            <td class="num" data-testid="coupon-balance">{c.balance.grouped()}</td>
                            <td class="num">{c.min_order.grouped()}</td>
                            <td>{format_time(c.effective_at)}" ~ "{format_time(c.expires_at)}</td>
                            <td data-testid="coupon-status">{t(lang, c.status.label_key())}</td>
                            {selectable.then(|| view! { <td>{c.remark.clone()}</td> })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// 已发放代金券 / 回收已下发提货券: a status filter and a list to pick coupons to reclaim.
#[component]
pub(super) fn CouponList(kind: Kind) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let status = move || q(query, "status");
    let list = Resource::new(
        move || (kind, CouponQuery::read(|k| q(query, k))),
        |(k, cq)| list_coupons(k.as_str().to_string(), cq),
    );
    view! {
        <form method="get" class="search-bar" data-testid="coupon-filters">
            <input type="hidden" name="tab" value=kind.as_str() />
            <input type="hidden" name="view" value="issued" />
            <label for="coupon-q">{t(lang, "common.keyword")}</label>
            <input id="coupon-q" name="q" maxlength="64" prop:value=move || q(query, "q") placeholder=t(lang, "voucher.search_hint") />
            <label for="coupon-status">{t(lang, "voucher.col.status")}</label>
            <select id="coupon-status" name="status">
                <option value="" selected=move || status().is_empty()>{t(lang, "common.all")}</option>
                {[CouponStatus::Usable, CouponStatus::Used, CouponStatus::Expired, CouponStatus::Reclaimed].into_iter().map(|s| {
                    let code = s.code().to_string();
                    let selected = { let code = code.clone(); move || status() == code };
                    view! { <option value=code selected=selected>{t(lang, s.label_key())}</option> }
                }).collect_view()}
            </select>
            <label for="coupon-quota">{t(lang, "voucher.col.quota")}</label>
            <input id="coupon-quota" name="quota" inputmode="numeric" size="6" maxlength="18" prop:value=move || q(query, "quota") />
            <label for="coupon-exp-from">{t(lang, "voucher.expires_from")}</label>
            <input id="coupon-exp-from" name="expires_from" type="date" prop:value=move || q(query, "expires_from") />
            <label for="coupon-exp-to">{t(lang, "common.to_date")}</label>
            <input id="coupon-exp-to" name="expires_to" type="date" prop:value=move || q(query, "expires_to") />
            <button type="submit" class="btn">{t(lang, "common.search")}</button>
            <ExportLinks path="/center/sales/vouchers/coupons" with=vec![("tab", kind.as_str())] />
        </form>
        <Paged list empty="voucher.no_coupons" sizes=true
            body=move |rows| view! {
                <form method="get" action="/center/sales/vouchers/reclaim">
                    <input type="hidden" name="kind" value=kind.as_str() />
                    <CouponRows rows selectable=true />
                    <button type="submit" class="btn" data-testid="reclaim-selected">{t(lang, "voucher.reclaim_selected")}</button>
                </form>
            }.into_any()
        />
    }
}

#[component]
pub(super) fn RecordList(kind: Kind) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let args = move || {
        (
            kind,
            q(query, "operation"),
            q(query, "from"),
            q(query, "to"),
            q(query, "page").parse::<u32>().ok(),
        )
    };
    let list = Resource::new(args, |(k, op, from, to, page)| {
        list_records(k.as_str().to_string(), op, from, to, page)
    });
    let ops: &[Operation] = match kind {
        Kind::Coupon => &Operation::ALL,
        Kind::Pickup => &Operation::ALL[..5],
    };
    view! {
        <form method="get" class="search-bar">
            <input type="hidden" name="tab" value=kind.as_str() />
            <input type="hidden" name="view" value="records" />
            <label for="record-op">{t(lang, "funds.col.operation")}</label>
            <select id="record-op" name="operation">
                <option value="">{t(lang, "common.all")}</option>
                {ops.iter().map(|o| {
                    let code = o.code().to_string();
                    let selected = { let code = code.clone(); move || q(query, "operation") == code };
                    view! { <option value=code selected=selected>{t(lang, o.label_key())}</option> }
                }).collect_view()}
            </select>
            <label for="record-from">{t(lang, "funds.search.from")}</label>
            <input id="record-from" name="from" type="date" value=move || q(query, "from") />
            <label for="record-to">{t(lang, "funds.search.to")}</label>
            <input id="record-to" name="to" type="date" value=move || q(query, "to") />
            <button type="submit" class="btn">{t(lang, "common.search")}</button>
            <ExportLinks path="/center/sales/vouchers/records" with=vec![("tab", kind.as_str())] />
        </form>
        <PagedList list empty="voucher.no_records" testid="record-table" after=too_many_to_export
            columns=vec![
                Col::text("funds.col.operation"), Col::text("voucher.col.quota"), Col::text("voucher.col.number"),
                Col::text("voucher.col.target"), Col::num("voucher.col.amount"), Col::text("voucher.col.remark"),
                Col::text("funds.col.operator"), Col::text("funds.col.time"),
            ]
            row=move |r: Record| view! {
                <tr data-testid=format!("record-{}", r.operation.code())>
                    <td>{t(lang, r.operation.label_key())}</td>
                    <td>{r.quota_id}{r.parent_quota_id.map(|p| format!(" ← {p}"))}</td>
                    <td>{r.coupon_number.clone().unwrap_or_default()}</td>
                    <td>{r.customer_name.clone().or(r.reseller_name.clone()).unwrap_or_default()}</td>
                    <td class="num">{r.amount.grouped()}</td>
                    <td>{r.remark.clone()}</td>
                    <td>{r.actor.clone()}</td>
                    <td>{format_time(r.created_at)}</td>
                </tr>
            }.into_any()
        />
    }
}

#[component]
pub(super) fn UseList(kind: Kind) -> impl IntoView {
    let query = use_query_map();
    let list = Resource::new(
        move || (kind, q(query, "page").parse::<u32>().ok()),
        |(k, page)| list_uses(k.as_str().to_string(), page),
    );
    view! {
        <PagedList list empty="voucher.no_uses" testid="use-table"
            columns=vec![
                Col::text("voucher.col.number"), Col::text("voucher.col.customer"), Col::text("voucher.col.order"),
                Col::num("voucher.col.amount"), Col::text("funds.col.time"),
            ]
            row=|u: Use| view! {
                <tr><td>{u.coupon_number}</td><td>{u.customer_name}</td><td>{u.order_number}</td>
                    <td class="num">{u.amount.grouped()}</td><td>{format_time(u.created_at)}</td></tr>
            }.into_any()
        />
    }
}
