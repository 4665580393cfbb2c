//! Charts drawn on the server as SVG: no chart code runs in the browser. Each mirrors for
//! right-to-left reading (labels on the inline-start side, time running from the right in
//! Arabic) and is decorative next to the data table every caller puts under it, which is the
//! chart's accessible alternative; the SVG itself is hidden from screen readers.

use leptos::prelude::*;

const WIDTH: f64 = 640.0;
const ROW: f64 = 30.0;
const HEIGHT: f64 = 220.0;

/// One bar: what it is called, its value and the value as the reader reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub shown: String,
}

/// Horizontal bars, one row each, the label on the inline-start side.
#[component]
pub fn BarChart(bars: Vec<Bar>, rtl: bool) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1) as f64;
    // The label column takes the first 40%; bars and their values the rest.
    let label_w = WIDTH * 0.4;
    let track = WIDTH - label_w - 70.0;
    let height = ROW * bars.len().max(1) as f64 + 8.0;
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = 4.0 + ROW * i as f64;
            let length = track * (bar.value.max(0) as f64) / max;
            // Text anchors at "start", which the page's direction turns to the right edge
            // of Arabic text: placing the point at the inline start is enough.
            let (label_x, bar_x, value_x) = if rtl {
                (WIDTH - 4.0, WIDTH - label_w - length, WIDTH - label_w - length - 6.0)
            } else {
                (4.0, label_w, label_w + length + 6.0)
            };
            view! {
                <text x=format!("{label_x:.1}") y=format!("{:.1}", y + ROW * 0.62) class="chart-label">
                    {bar.label}
                </text>
                <rect
                    x=format!("{bar_x:.1}")
                    y=format!("{:.1}", y + 4.0)
                    width=format!("{length:.1}")
                    height=format!("{:.1}", ROW - 10.0)
                    class="bar-cash"
                />
                <text x=format!("{value_x:.1}") y=format!("{:.1}", y + ROW * 0.62) class="chart-value">
                    {bar.shown}
                </text>
            }
        })
        .collect_view();
    view! {
        <svg
            viewBox=format!("0 0 {WIDTH} {height:.0}")
            class="chart"
            aria-hidden="true"
            focusable="false"
            preserveAspectRatio="xMidYMid meet"
        >
            {rows}
        </svg>
    }
}

/// Columns over time for two series side by side (the first drawn first in reading order),
/// with a label under every `label_every`-th slot.
#[component]
pub fn ColumnChart(
    /// Per slot: its label and the two values.
    slots: Vec<(String, i64, i64)>,
    rtl: bool,
    label_every: usize,
) -> impl IntoView {
    let count = slots.len().max(1);
    let max = slots.iter().map(|(_, a, b)| (*a).max(*b)).max().unwrap_or(0).max(1) as f64;
    let slot = WIDTH / count as f64;
    let bar = slot * 0.38;
    let base = HEIGHT - 24.0;
    let scale = (base - 8.0) / max;
    let columns = slots
        .into_iter()
        .enumerate()
        .map(|(i, (label, first, second))| {
            let left = if rtl {
                WIDTH - slot * (i as f64 + 1.0)
            } else {
                slot * i as f64
            };
            let x = left + slot * 0.12;
            let (x_first, x_second) = if rtl { (x + bar, x) } else { (x, x + bar) };
            let rect = move |x: f64, v: i64, class: &'static str| {
                let h = v.max(0) as f64 * scale;
                view! {
                    <rect
                        x=format!("{x:.1}")
                        y=format!("{:.1}", base - h)
                        width=format!("{bar:.1}")
                        height=format!("{h:.1}")
                        class=class
                    />
                }
            };
            let shown = (i % label_every.max(1) == 0).then(|| {
                view! {
                    <text
                        x=format!("{:.1}", left + slot / 2.0)
                        y=format!("{:.1}", HEIGHT - 6.0)
                        class="axis-label"
                        text-anchor="middle"
                    >
                        {label}
                    </text>
                }
            });
            view! {
                {rect(x_first, first, "bar-revenue")}
                {rect(x_second, second, "bar-costs")}
                {shown}
            }
        })
        .collect_view();
    view! {
        <svg
            viewBox=format!("0 0 {WIDTH} {HEIGHT}")
            class="chart"
            aria-hidden="true"
            focusable="false"
            preserveAspectRatio="xMidYMid meet"
        >
            <line x1="0" x2=WIDTH.to_string() y1=format!("{base:.1}") y2=format!("{base:.1}") class="axis" />
            {columns}
        </svg>
    }
}
