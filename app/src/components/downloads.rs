//! The pair of download links under a table: CSV and an Excel workbook of exactly what the
//! table shows (same filters), plain links so they work without JavaScript.
use crate::components::query::page_link;
use crate::i18n::*;
use leptos::prelude::*;

/// The CSV and XLSX addresses of the file `base` (a path without its extension) with the
/// search `pairs`, leaving out the page cursor `cursor` (a download holds every page).
pub fn download_hrefs(base: &str, pairs: Vec<(&'static str, &str)>, cursor: &str) -> (String, String) {
    (
        page_link(&format!("{base}.csv"), pairs.clone(), cursor, None),
        page_link(&format!("{base}.xlsx"), pairs, cursor, None),
    )
}

/// "CSV · Excel" links; their accessible names say which table and which format.
#[component]
pub fn DownloadLinks(title: String, csv: String, xlsx: String) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n;
    let csv_label = td_string!(locale, downloads.csv_label, table = title.clone()).to_string();
    let xlsx_label = td_string!(locale, downloads.xlsx_label, table = title).to_string();
    view! {
        <span class="downloads">
            <a href=csv download="" aria-label=csv_label>
                {td!(i18n, downloads.csv)}
            </a>
            <a href=xlsx download="" aria-label=xlsx_label>
                {td!(i18n, downloads.xlsx)}
            </a>
        </span>
    }
}
