//! The problems list: every diagnostic, and choosing one moves the cursor to
//! it. Diagnostics with a machine-applicable fix offer it as one action, and
//! "Fix all" applies every fix that does not overlap another.

use ecs_engine::quick_fix::combine_fixes;
use ecs_engine::{Diagnostic, Fix};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProblemsProps {
    pub diagnostics: Vec<Diagnostic>,
    /// Called with the diagnostic's range as UTF-16 offsets.
    pub on_select: Callback<(u32, u32)>,
    /// Called with a fix to apply; without it no fix is offered.
    #[prop_or_default]
    pub on_fix: Option<Callback<Fix>>,
}

#[function_component(Problems)]
pub fn problems(props: &ProblemsProps) -> Html {
    if props.diagnostics.is_empty() {
        return html! {
            <section class="problems" aria-labelledby="problems-heading">
                <h3 id="problems-heading">{ "Problems" }</h3>
                <p class="problems-empty">{ "No problems found." }</p>
            </section>
        };
    }
    // Errors first, then warnings, then notes; each in the order of the text.
    let mut ordered: Vec<&ecs_engine::Diagnostic> = props.diagnostics.iter().collect();
    ecs_engine::order::sort_by_key(&mut ordered, |d| match d.severity {
        ecs_engine::Severity::Error => 0,
        ecs_engine::Severity::Warning => 1,
        ecs_engine::Severity::Info => 2,
    });
    let items = ordered.into_iter().map(|d| {
        let range = (d.range.start.offset_utf16, d.range.end.offset_utf16);
        let onclick = {
            let on_select = props.on_select.clone();
            Callback::from(move |_: MouseEvent| on_select.emit(range))
        };
        let fix_button = props.on_fix.clone().zip(d.fix.clone()).map(|(on_fix, fix)| {
            let label = format!("Fix: {}", fix.title);
            let onclick = Callback::from(move |_: MouseEvent| on_fix.emit(fix.clone()));
            html! { <button type="button" class="problem-fix" onclick={onclick}>{ label }</button> }
        });
        let severity = d.severity.as_str();
        // Screen readers hear "error at line 2, column 13: …"; sighted users see "2:13".
        let spoken_location = format!(
            " at line {}, column {}: ",
            d.range.start.line, d.range.start.column
        );
        html! {
            <li class={classes!("problem", format!("problem-{severity}"))}>
                <button type="button" class="problem-button" onclick={onclick}>
                    <span class="problem-severity">{ severity }</span>
                    <span class="visually-hidden">{ spoken_location }</span>
                    <span class="problem-location" aria-hidden="true">{ format!("{}:{}", d.range.start.line, d.range.start.column) }</span>
                    <span class="problem-message">{ &d.message }</span>
                    <code class="problem-code">{ &d.code }</code>
                </button>
                { for fix_button }
                if let Some(exception) = &d.exception {
                    <span class="problem-exception">{ format!("AWS: {exception}") }</span>
                }
                <span class="problem-path">{ &d.path }</span>
            </li>
        }
    });
    // "Fix all" appears once there is more than one fix to apply.
    let fix_all = props
        .on_fix
        .clone()
        .zip(combine_fixes(&props.diagnostics))
        .filter(|(_, (_, count))| *count > 1)
        .map(|(on_fix, (fix, count))| {
            let onclick = Callback::from(move |_: MouseEvent| on_fix.emit(fix.clone()));
            html! { <button type="button" class="fix-all" onclick={onclick}>{ format!("Fix all ({count})") }</button> }
        });
    html! {
        <section class="problems" aria-labelledby="problems-heading">
            <div class="problems-head">
                <h3 id="problems-heading">{ format!("Problems ({})", props.diagnostics.len()) }</h3>
                { for fix_all }
            </div>
            <ul class="problem-list" data-testid="problems">{ for items }</ul>
        </section>
    }
}
