//! The customer's 我的优惠券.

use super::*;

/// 我的优惠券: the customer's coupons and pickup vouchers.
#[component]
pub fn MyCouponsPage() -> impl IntoView {
    let lang = use_lang();
    let mine = Resource::new(|| (), |_| my_coupons());
    view! {
        <RequireRole role=Role::Customer>
            <section class="panel">
                <h1>{t(lang, "voucher.mine")}</h1>
                <Loaded resource=mine body=move |m| view! {
                        <h2>{t(lang, "voucher.coupon")}</h2>
                        {if m.coupons.is_empty() {
                            view! { <EmptyState title=t(lang, "voucher.no_coupons") /> }.into_any()
                        } else {
                            view! { <CouponRows rows=m.coupons selectable=false /> }.into_any()
                        }}
                        <h2>{t(lang, "voucher.pickup")}</h2>
                        {if m.pickups.is_empty() {
                            view! { <EmptyState title=t(lang, "voucher.no_pickups") /> }.into_any()
                        } else {
                            view! { <CouponRows rows=m.pickups selectable=false /> }.into_any()
                        }}
                    }.into_any()
                />
            </section>
        </RequireRole>
    }
}
