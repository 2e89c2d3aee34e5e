//! The operator's 节假日 page: one year's days off and make-up working days.

use super::api::{LoadOfficialHolidays, RemoveHoliday, SetHoliday, holidays};
use super::model::DayKind;
use crate::domain::Role;
use crate::i18n::{t, use_lang};
use crate::ui::{Col, Field, FormError, Loaded, RequireRole, failure, list_table};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The holiday calendar of the year in the URL (`?year=2026`; default the current year).
#[component]
pub fn OperatorHolidays() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let year = move || query.with(|q| q.get("year").and_then(|y| y.trim().parse::<i32>().ok()));
    let set = ServerAction::<SetHoliday>::new();
    let remove = ServerAction::<RemoveHoliday>::new();
    let load = ServerAction::<LoadOfficialHolidays>::new();
    let calendar = Resource::new(
        move || {
            (
                year(),
                set.version().get(),
                remove.version().get(),
                load.version().get(),
            )
        },
        |(y, ..)| holidays(y),
    );
    let set_error = failure(set);
    let remove_error = failure(remove);
    let load_error = failure(load);
    view! {
        <RequireRole role=Role::Operator>
            <h1>{t(lang, "operator.holidays")}</h1>
            <p><a href="/operator">{t(lang, "operator.title")}</a></p>
            <p class="muted">{t(lang, "holiday.hint")}</p>
            <FormError error=remove_error />
            <FormError error=load_error />
            <Loaded resource=calendar body=move |c| {
                let y = c.year;
                view! {
                    <section class="panel" data-testid="holidays">
                        <form method="get" class="search-bar">
                            <label for="holiday-year">{t(lang, "operator.paths.year")}</label>
                            <input id="holiday-year" name="year" type="number" min="2000" max="2100" value=y />
                            <button type="submit" class="btn">{t(lang, "common.search")}</button>
                        </form>
                        {(c.official && c.days.is_empty()).then(|| view! {
                            <ActionForm action=load attr:class="inline">
                                <input type="hidden" name="year" value=y />
                                <button type="submit" class="btn" data-testid="holiday-load">{t(lang, "holiday.load")}</button>
                            </ActionForm>
                        })}
                        {list_table(lang, c.days, "holiday.empty", None, "holiday-table",
                            &[Col::text("holiday.day"), Col::text("holiday.kind"), Col::text("holiday.name"), Col::text("common.actions")],
                            move |h| {
                                let testid = format!("holiday-{}", h.day);
                                view! {
                                    <tr data-testid=testid>
                                        <td>{h.day.clone()}</td>
                                        <td>{t(lang, h.kind.label_key())}</td>
                                        <td>{h.name}</td>
                                        <td>
                                            <ActionForm action=remove attr:class="inline">
                                                <input type="hidden" name="day" value=h.day />
                                                <button type="submit" class="btn">{t(lang, "holiday.remove")}</button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }.into_any()
                            })}
                    </section>
                }.into_any()
            } />
            <section class="panel">
                <h2>{t(lang, "holiday.add")}</h2>
                <ActionForm action=set attr:class="form-grid">
                    <Field id="holiday-day" name="day" label="holiday.day" kind="date" required=true />
                    <label for="holiday-kind">{t(lang, "holiday.kind")}</label>
                    <select id="holiday-kind" name="kind">
                        {DayKind::ALL.into_iter().map(|k| view! {
                            <option value=k.code()>{t(lang, k.label_key())}</option>
                        }).collect_view()}
                    </select>
                    <Field id="holiday-name" name="name" label="holiday.name" maxlength=20 />
                    <button type="submit" class="btn btn-primary">{t(lang, "holiday.save")}</button>
                </ActionForm>
                <FormError error=set_error />
            </section>
        </RequireRole>
    }
}
