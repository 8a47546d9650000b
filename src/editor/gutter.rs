//! Line numbers, with a mark and the messages on lines that have problems.

use std::collections::BTreeMap;

use ecs_engine::{Diagnostic, Severity};
use yew::prelude::*;

use super::layer::{LINE_HEIGHT, WINDOW_LINES};

/// The most severe diagnostic starting on each line, and all their messages.
pub struct LineProblems(BTreeMap<usize, (Severity, Vec<String>)>);

impl LineProblems {
    pub fn new(diagnostics: &[Diagnostic]) -> LineProblems {
        let mut lines: BTreeMap<usize, (Severity, Vec<String>)> = BTreeMap::new();
        for d in diagnostics {
            let line = d.range.start.line.saturating_sub(1) as usize;
            let entry = lines.entry(line).or_insert((d.severity, Vec::new()));
            entry.0 = entry.0.min(d.severity);
            entry.1.push(format!(
                "{}[{}]: {}",
                d.severity.as_str(),
                d.code,
                d.message
            ));
        }
        LineProblems(lines)
    }
}

/// The gutter's lines for the rendered window.
pub fn render_gutter(first: usize, line_count: usize, problems: &LineProblems) -> Html {
    let last = (first + WINDOW_LINES).min(line_count);
    let first = first.min(last);
    let lines = (first..last).map(|i| match problems.0.get(&i) {
        Some((severity, messages)) => {
            let class = match severity {
                Severity::Error => "gutter-line has-error",
                Severity::Warning => "gutter-line has-warning",
                Severity::Info => "gutter-line has-info",
            };
            html! { <div class={class} title={messages.join("\n")}>{ i + 1 }</div> }
        }
        None => html! { <div class="gutter-line">{ i + 1 }</div> },
    });
    html! {
        <>
            <svg class="spacer" width="1" height={(first as i32 * LINE_HEIGHT).to_string()} aria-hidden="true" focusable="false"></svg>
            { for lines }
        </>
    }
}
