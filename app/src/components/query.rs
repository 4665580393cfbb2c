//! Links that carry a search in their URL (the queue's filters, the audit log's search), so
//! that a filtered list works without JavaScript and can be shared.

/// `name=value&…`, each value percent-encoded for a URL's query.
fn encode(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| {
            format!(
                "{name}={}",
                percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The link to `path` with `pairs` (the search as the page shows it) but without the
/// cursor named `cursor`, then with the cursor `value` if given: the first or the next
/// page of the same search.
pub fn page_link(path: &str, pairs: Vec<(&'static str, &str)>, cursor: &str, value: Option<String>) -> String {
    let mut kept: Vec<(&str, String)> = pairs
        .into_iter()
        .filter(|(name, _)| *name != cursor)
        .map(|(name, v)| (name, v.to_string()))
        .collect();
    if let Some(value) = value {
        kept.push((cursor, value));
    }
    format!("{path}?{}", encode(&kept))
}
