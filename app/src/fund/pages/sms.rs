//! `/fund/sms`: the text messages of the current month per chamber — sent (and their
//! segments), failed, waiting, held back by the daily caps — with the estimated cost, so the
//! Fund sees the SMS bill coming and any burst the caps stopped.
use crate::components::load_error::{LoadError, LoadingCard};
use crate::fund::{get_sms_use, SmsRow, SmsUse};
use crate::i18n::*;
use crate::lang::{count, digits, money, pick};
use domain::plan::financials::Currency;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn SmsPage() -> impl IntoView {
    let i18n = use_i18n();
    let figures = Resource::new(|| (), |_| get_sms_use());
    view! {
        <Title text=move || td_string!(i18n, sms_use.title) />
        <Suspense fallback=|| {
            view! { <LoadingCard /> }
        }>
            {move || Suspend::new(async move {
                match figures.await {
                    Ok(figures) => view! { <Figures figures /> }.into_any(),
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Figures(figures: SmsUse) -> impl IntoView {
    let i18n = use_i18n();
    let month = digits(i18n, figures.month.clone());
    let cost = money(i18n, figures.segment_cost_agorot, Currency::ILS);
    let caps = td_string!(
        i18n,
        sms_use.caps,
        person = count(i18n, figures.person_daily_cap),
        global = count(i18n, figures.global_daily_cap),
        cost = cost
    )
    .to_string();
    let SmsUse {
        available, rows, total, ..
    } = figures;
    view! {
        <section class="card">
            <h1>{td!(i18n, sms_use.title)}</h1>
            <p>{td!(i18n, sms_use.intro, month = month)}</p>
            {if available {
                view! { <p id="sms-caps">{caps}</p> }.into_any()
            } else {
                view! { <p class="notice">{td!(i18n, sms_use.off)}</p> }.into_any()
            }}
            <p>
                <A href=super::places::DASHBOARD>{td!(i18n, sms_use.back)}</A>
            </p>
        </section>
        <section class="card">
            {if rows.is_empty() {
                view! { <p>{td!(i18n, sms_use.none)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="sms-caption">
                        <table class="figures" id="sms-table">
                            <caption id="sms-caption">{td!(i18n, sms_use.title)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{td!(i18n, sms_use.col_chamber)}</th>
                                    <th scope="col">{td!(i18n, sms_use.col_sent)}</th>
                                    <th scope="col">{td!(i18n, sms_use.col_segments)}</th>
                                    <th scope="col">{td!(i18n, sms_use.col_failed)}</th>
                                    <th scope="col">{td!(i18n, sms_use.col_waiting)}</th>
                                    <th scope="col">{td!(i18n, sms_use.col_held_back)}</th>
                                    <th scope="col">{td!(i18n, sms_use.col_cost)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|row| {
                                        let name = match &row.chamber {
                                            Some(name) => pick(i18n, name).to_string(),
                                            None => td_string!(i18n, sms_use.no_chamber).to_string(),
                                        };
                                        view! { <Row name row /> }
                                    })
                                    .collect_view()}
                            </tbody>
                            <tfoot>
                                <Row name=td_string!(i18n, sms_use.total).to_string() row=total />
                            </tfoot>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn Row(name: String, row: SmsRow) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <tr>
            <th scope="row">{name}</th>
            <td>{count(i18n, row.sent)}</td>
            <td>{count(i18n, row.segments)}</td>
            <td>{count(i18n, row.failed)}</td>
            <td>{count(i18n, row.waiting)}</td>
            <td>{count(i18n, row.held_back)}</td>
            <td>{money(i18n, row.cost_agorot, Currency::ILS)}</td>
        </tr>
    }
}
