//! Pages of account self-service: 账号设置 (`/account`), 修改密码 (`/account/password`), 忘记密码
//! (`/login/forgot`) and the page a reset link opens (`/reset-password/:token`).

use super::api::{
    ChangePassword, ForgotPassword, ResetPassword, SaveContact, check_reset_link, my_profile,
};
use super::model::{PASSWORD_PATH, Profile};
use crate::i18n::{Lang, t, use_lang};
use crate::ui::{Auth, FormError, Loaded, RequireLogin, failure};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A labelled input holding `value`.
fn field(
    lang: Lang,
    id: &'static str,
    name: &'static str,
    label: &'static str,
    value: Option<String>,
    kind: &'static str,
) -> AnyView {
    view! {
        <label for=id>{t(lang, label)}</label>
        <input id=id name=name type=kind value=value.unwrap_or_default() maxlength="254" />
    }
    .into_any()
}

/// A password input.
fn password(
    lang: Lang,
    id: &'static str,
    name: &'static str,
    label: &'static str,
    auto: &'static str,
) -> AnyView {
    view! {
        <label for=id>{t(lang, label)}</label>
        <input id=id name=name type="password" autocomplete=auto maxlength="128" />
    }
    .into_any()
}

/// A green line when the query has `key` (the redirect after a plain form post says it).
fn banner(key: &'static str, text: &'static str) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    move || {
        query
            .read()
            .get(key)
            .map(|_| view! { <p class="notice-ok" role="status">{t(lang, text)}</p> })
    }
}

/// 账号设置: the account, one's contact details and (for a partner user) the partner's.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveContact>::new();
    let profile = Resource::new(move || save.version().get(), |_| my_profile());
    let error = failure(save);
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    let body = move |p: Profile| {
        let role_key = format!("accounts.role.{}", p.role.as_str());
        let partner = p.partner.clone();
        view! {
            <dl class="facts">
                <dt>{t(lang, "accounts.login")}</dt><dd data-testid="profile-login">{p.login.clone()}</dd>
                <dt>{t(lang, "accounts.role")}</dt><dd>{t(lang, &role_key)}</dd>
            </dl>
            <ActionForm action=save attr:class="form-grid" attr:novalidate=true>
                <h2 class="span-all">{t(lang, "profile.mine")}</h2>
                {field(lang, "pf-email", "email", "profile.email", p.email.clone(), "email")}
                {field(lang, "pf-phone", "phone", "profile.phone", p.phone.clone(), "tel")}
                <p class="muted hint span-all">{t(lang, "profile.email.hint")}</p>
                {partner.map(|c| view! {
                    <h2 class="span-all">{t(lang, "profile.partner")}" · "{c.name.clone()}</h2>
                    {field(lang, "pf-partner-email", "partner_email", "profile.email", c.email.clone(), "email")}
                    {field(lang, "pf-partner-phone", "partner_phone", "profile.phone", c.phone.clone(), "tel")}
                    <p class="muted hint span-all">{t(lang, "profile.partner.hint")}</p>
                })}
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>{t(lang, "common.save")}</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <RequireLogin>
            <section class="panel" data-testid="profile">
                <h1>{t(lang, "profile.title")}</h1>
                {banner("saved", "common.saved")}
                {move || saved().then(|| view! { <p class="notice-ok" role="status">{t(lang, "common.saved")}</p> })}
                <Loaded resource=profile body />
                <FormError error />
                <p><a class="btn" href=PASSWORD_PATH data-testid="change-password-link">{t(lang, "profile.password")}</a></p>
            </section>
        </RequireLogin>
    }
}

/// 修改密码: the current password and the new one twice. A user whose password an operator set
/// lands here and stays until it has chosen its own.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let lang = use_lang();
    let auth = expect_context::<Auth>();
    let forced = auth.user.as_ref().is_some_and(|u| u.must_change_password);
    let change = ServerAction::<ChangePassword>::new();
    let error = failure(change);
    let done = move || matches!(change.value().get(), Some(Ok(())));
    view! {
        <RequireLogin>
            <section class="panel login-card" data-testid="password-page">
                <h1>{t(lang, "profile.password")}</h1>
                {forced.then(|| view! { <p class="notice-warn" role="alert" data-testid="must-change">{t(lang, "profile.password.forced")}</p> })}
                {banner("changed", "profile.password.changed")}
                {move || done().then(|| view! { <p class="notice-ok" role="status">{t(lang, "profile.password.changed")}</p> })}
                <ActionForm action=change attr:class="form" attr:novalidate=true>
                    {password(lang, "pw-current", "current", "profile.password.current", "current-password")}
                    {password(lang, "pw-new", "password", "profile.password.new", "new-password")}
                    {password(lang, "pw-confirm", "confirm", "profile.password.confirm", "new-password")}
                    <p class="muted hint">{t(lang, "onboarding.password.hint")}</p>
                    <FormError error />
                    <button type="submit" class="btn btn-primary" disabled=move || change.pending().get()>{t(lang, "profile.password.submit")}</button>
                </ActionForm>
                <p class="muted">{t(lang, "profile.password.sessions")}</p>
            </section>
        </RequireLogin>
    }
}

/// 忘记密码: the account name; a reset link is mailed if the account has an email.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let lang = use_lang();
    let ask = ServerAction::<ForgotPassword>::new();
    let error = failure(ask);
    let sent = move || matches!(ask.value().get(), Some(Ok(())));
    view! {
        <section class="login-card" data-testid="forgot">
            <h1>{t(lang, "profile.forgot")}</h1>
            <p class="muted">{t(lang, "profile.forgot.lead")}</p>
            {banner("sent", "profile.forgot.sent")}
            {move || sent().then(|| view! { <p class="notice-ok" role="status">{t(lang, "profile.forgot.sent")}</p> })}
            <ActionForm action=ask attr:class="form" attr:novalidate=true>
                <label for="fg-account">{t(lang, "login.account")}</label>
                <input id="fg-account" name="account" type="text" autocomplete="username" maxlength="64" />
                <FormError error />
                <button type="submit" class="btn btn-primary" disabled=move || ask.pending().get()>{t(lang, "profile.forgot.submit")}</button>
            </ActionForm>
            <p><a href="/login">{t(lang, "onboarding.sign_in")}</a></p>
        </section>
    }
}

/// The page a reset link opens: the new password twice, or why the link no longer works.
#[component]
pub fn ResetPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let state = Resource::new(token, check_reset_link);
    let reset = ServerAction::<ResetPassword>::new();
    let error = failure(reset);
    let form = move |_: ()| {
        view! {
            <ActionForm action=reset attr:class="form" attr:novalidate=true>
                <input type="hidden" name="token" prop:value=token />
                {password(lang, "rs-new", "password", "profile.password.new", "new-password")}
                {password(lang, "rs-confirm", "confirm", "profile.password.confirm", "new-password")}
                <p class="muted hint">{t(lang, "onboarding.password.hint")}</p>
                <FormError error />
                <button type="submit" class="btn btn-primary" disabled=move || reset.pending().get()>{t(lang, "profile.password.submit")}</button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <section class="login-card" data-testid="reset-password">
            <h1>{t(lang, "profile.reset")}</h1>
            <Loaded resource=state body=form />
            <p><a href="/login/forgot">{t(lang, "profile.forgot.again")}</a></p>
        </section>
    }
}
