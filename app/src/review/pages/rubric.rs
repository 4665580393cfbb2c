//! The Fund's rubric editor (`/staff/rubric`): the criteria in force with their weights,
//! and room for more. Saving makes a new version; scores already given keep theirs.
use crate::components::form::{successes, ErrorSignal, ErrorSummary, Notice};
use crate::components::load_error::LoadError;
use crate::components::server_form::ServerForm;
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::{digits, problem_text};
use crate::review::{get_rubric, SaveRubric};
use domain::review::rubric::{Rubric, RubricProblem, CRITERIA_MAX};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn RubricPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveRubric>::new();
    let saved = successes(save);
    let rubric = Resource::new(move || saved.get(), |_| get_rubric());
    view! {
        <Title text=move || td_string!(i18n, rubric.title) />
        <Suspense fallback=move || {
            view! { <p>{td!(i18n, common.loading)}</p> }
        }>
            {move || Suspend::new(async move {
                match rubric.await {
                    Ok(rubric) => view! { <Editor rubric save /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn problem_line(locale: Locale, problem: RubricProblem) -> String {
    let row = |position: u32| digits(locale, (position + 1).to_string());
    match problem {
        RubricProblem::NoCriteria => td_string!(locale, rubric.no_criteria).to_string(),
        RubricProblem::TooManyCriteria { max } => {
            td_string!(locale, rubric.too_many, max = digits(locale, max.to_string())).to_string()
        }
        RubricProblem::WeightsTotal { total } => {
            td_string!(locale, rubric.weights_total, total = digits(locale, total.to_string())).to_string()
        }
        RubricProblem::Weight { position, problem }
        | RubricProblem::ArabicName { position, problem }
        | RubricProblem::EnglishName { position, problem } => td_string!(
            locale,
            rubric.row_problem,
            row = row(position),
            problem = problem_text(locale, problem)
        )
        .to_string(),
        RubricProblem::DuplicateName { position } => {
            td_string!(locale, rubric.duplicate, row = row(position)).to_string()
        }
    }
}

#[component]
fn Editor(rubric: Rubric, save: ServerAction<SaveRubric>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let value = Signal::derive(move || save.value().get());
    let error: ErrorSignal = Signal::derive(move || value.get().and_then(Result::err));
    let saved = Signal::derive(move || matches!(value.get(), Some(Ok(_))));
    let problems = move || match error.get() {
        Some(AppError::RubricInvalid(problems)) => problems,
        _ => Vec::new(),
    };
    let version = digits(locale, rubric.version.to_string());
    // The criteria in force, then empty rows up to the limit.
    let rows: Vec<(usize, String, String, String)> = (0..CRITERIA_MAX)
        .map(|i| match rubric.criteria.get(i) {
            Some(c) => (i, c.name.ar.clone(), c.name.en.clone(), c.weight.to_string()),
            None => (i, String::new(), String::new(), String::new()),
        })
        .collect();
    view! {
        <section class="card">
            <h1>{td!(i18n, rubric.title)}</h1>
            <p>{td_string!(locale, rubric.intro, version = version)}</p>
            <ServerForm action=save attr:novalidate=true>
                <ErrorSummary error />
                <Notice show=saved>{move || td!(i18n, rubric.saved)}</Notice>
                <div role="alert">
                    <ul class="form-error-list">
                        {move || {
                            problems()
                                .into_iter()
                                .map(|p| view! { <li class="field-error">{problem_line(i18n, p)}</li> })
                                .collect_view()
                        }}
                    </ul>
                </div>
                <div class="table-wrap" tabindex="0" role="region" aria-label=td_string!(locale, rubric.title)>
                    <table class="grid rubric-grid">
                        <thead>
                            <tr>
                                <th scope="col">"#"</th>
                                <th scope="col">{td!(i18n, rubric.name_ar)}</th>
                                <th scope="col">{td!(i18n, rubric.name_en)}</th>
                                <th scope="col">{td!(i18n, rubric.weight)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|(i, ar, en, weight)| {
                                    let n = digits(locale, (i + 1).to_string());
                                    view! {
                                        <tr>
                                            <th scope="row">{n.clone()}</th>
                                            <td>
                                                <input
                                                    type="text"
                                                    name=format!("criteria[{i}][name_ar]")
                                                    value=ar
                                                    maxlength="120"
                                                    aria-label=td_string!(locale, rubric.name_ar_row, row = n.clone())
                                                />
                                            </td>
                                            <td>
                                                <input
                                                    type="text"
                                                    dir="ltr"
                                                    name=format!("criteria[{i}][name_en]")
                                                    value=en
                                                    maxlength="120"
                                                    aria-label=td_string!(locale, rubric.name_en_row, row = n.clone())
                                                />
                                            </td>
                                            <td>
                                                <input
                                                    type="text"
                                                    inputmode="numeric"
                                                    name=format!("criteria[{i}][weight]")
                                                    value=weight
                                                    maxlength="3"
                                                    aria-label=td_string!(locale, rubric.weight_row, row = n)
                                                />
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
                <p class="hint">{td!(i18n, rubric.hint)}</p>
                <button type="submit" class="button primary">
                    {td!(i18n, rubric.save)}
                </button>
            </ServerForm>
        </section>
    }
}
