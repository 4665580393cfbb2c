//! The filters the dashboard and the labour-demand page share: read from the URL, and the
//! GET form that writes them back into it.
use crate::auth::ReferenceData;
use crate::components::form::{ChamberFilter, DateRangeFilter, FilterChoice};
use crate::fund::DashboardParams;
use crate::i18n::*;
use crate::lang::{digits, pick, problem_text};
use crate::plan::report::choice_label;
use domain::plan::financials::{LEGAL_FORMS, SECTORS};
use domain::plan::tables::Choices;
use domain::review::queue::AgeGroup;
use domain::stats::Region;
use domain::validation::{Field, FieldError};
use leptos::prelude::*;
use leptos_router::components::{Form, A};

/// The dashboard's filters as the URL carries them (the labour page shares them).
pub fn params_of(q: &leptos_router::params::ParamsMap) -> DashboardParams {
    let get = |name: &str| q.get(name).unwrap_or_default();
    DashboardParams {
        chamber: get("chamber"),
        region: get("region"),
        governorate: get("governorate"),
        sector: get("sector"),
        legal_form: get("legal_form"),
        gender: get("gender"),
        age: get("age"),
        from: get("from"),
        to: get("to"),
    }
}

/// The filter form. Every value it shows comes from the URL; it submits to `action` (the
/// dashboard or the labour page).
#[component]
pub fn Filters(
    #[prop(default = super::places::DASHBOARD)] action: &'static str,
    params: DashboardParams,
    reference: ReferenceData,
    every_chamber: bool,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let problem = move |field: Field| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| problem_text(locale, e.problem))
    };
    let chambers: Vec<(String, String)> = reference
        .chambers
        .iter()
        .map(|c| (c.id.to_string(), pick(locale, &c.name).to_string()))
        .collect();
    let regions = Region::ALL
        .into_iter()
        .map(|r| {
            let name = match r {
                Region::Gaza => td_string!(locale, dashboard.region_gaza),
                Region::WestBank => td_string!(locale, dashboard.region_west_bank),
            };
            (r.key().to_string(), name.to_string())
        })
        .collect();
    let governorates = reference
        .governorates
        .iter()
        .map(|g| (g.code.clone(), pick(locale, &g.name).to_string()))
        .collect();
    let sectors = SECTORS
        .iter()
        .map(|s| (s.to_string(), choice_label(locale, Choices::Sector, s).to_string()))
        .collect();
    let legal_forms = LEGAL_FORMS
        .iter()
        .map(|s| (s.to_string(), choice_label(locale, Choices::LegalForm, s).to_string()))
        .collect();
    let genders = crate::lang::gender_choices(locale);
    let ages = AgeGroup::ALL
        .into_iter()
        .map(|a| (a.key().to_string(), digits(locale, a.key().replace('-', "–"))))
        .collect();
    let any = td_string!(locale, queue.any).to_string();
    view! {
        <Form method="get" action=action>
            <div class="queue-filters">
                <ChamberFilter
                    prefix="dashboard"
                    every_chamber
                    any=any.clone()
                    chambers
                    selected=params.chamber.clone()
                />
                <FilterChoice
                    prefix="dashboard"
                    id="region"
                    label=td_string!(locale, dashboard.region)
                    any=any.clone()
                    options=regions
                    selected=params.region.clone()
                />
                <FilterChoice
                    prefix="dashboard"
                    id="governorate"
                    label=td_string!(locale, queue.governorate)
                    any=any.clone()
                    options=governorates
                    selected=params.governorate.clone()
                />
                <FilterChoice
                    prefix="dashboard"
                    id="sector"
                    label=td_string!(locale, queue.sector)
                    any=any.clone()
                    options=sectors
                    selected=params.sector.clone()
                />
                <FilterChoice
                    prefix="dashboard"
                    id="legal_form"
                    label=td_string!(locale, dashboard.legal_form)
                    any=any.clone()
                    options=legal_forms
                    selected=params.legal_form.clone()
                />
                <FilterChoice
                    prefix="dashboard"
                    id="gender"
                    label=td_string!(locale, queue.gender)
                    any=any.clone()
                    options=genders
                    selected=params.gender.clone()
                />
                <FilterChoice
                    prefix="dashboard"
                    id="age"
                    label=td_string!(locale, queue.age)
                    any=any.clone()
                    options=ages
                    selected=params.age.clone()
                />
                <DateRangeFilter
                    prefix="dashboard"
                    from_label=td_string!(locale, queue.from)
                    to_label=td_string!(locale, queue.to)
                    from=params.from.clone()
                    to=params.to.clone()
                    from_problem=problem(Field::SubmittedFrom)
                    to_problem=problem(Field::SubmittedTo)
                />
            </div>
            <div class="actions">
                <button type="submit" class="button primary">
                    {td!(i18n, queue.apply)}
                </button>
                <A href=action>{td!(i18n, queue.clear)}</A>
            </div>
        </Form>
    }
}
