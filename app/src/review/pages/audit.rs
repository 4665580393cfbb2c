//! An audit table: when, who, what and on which object, in the reader's language. Used by
//! a case's trail on the review sheet and by the Fund's audit log.
use crate::i18n::*;
use crate::lang::{audit_action_text, audit_object_text, digits, when};
use crate::review::AuditEntry;
use leptos::prelude::*;

#[component]
pub fn AuditTable(entries: Vec<AuditEntry>, caption: String) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=caption.clone()>
            <table class="grid audit-table">
                <caption class="visually-hidden">{caption.clone()}</caption>
                <thead>
                    <tr>
                        <th scope="col">{td!(i18n, audit.when)}</th>
                        <th scope="col">{td!(i18n, audit.actor)}</th>
                        <th scope="col">{td!(i18n, audit.action)}</th>
                        <th scope="col">{td!(i18n, audit.object)}</th>
                        <th scope="col">{td!(i18n, audit.detail)}</th>
                    </tr>
                </thead>
                <tbody>
                    {entries
                        .into_iter()
                        .map(|entry| {
                            let object = match entry.object_id {
                                Some(id) => digits(locale, format!("{} {id}", audit_object_text(locale, entry.object))),
                                None => audit_object_text(locale, entry.object),
                            };
                            let actor = entry
                                .actor_name
                                .unwrap_or_else(|| td_string!(locale, audit.system).to_string());
                            view! {
                                <tr>
                                    <td>{when(locale, entry.at)}</td>
                                    <td>
                                        <bdi>{actor}</bdi>
                                    </td>
                                    <td>{audit_action_text(locale, entry.action)}</td>
                                    <td>{object}</td>
                                    <td>
                                        <bdi class="audit-detail">{entry.detail}</bdi>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
