//! The problems list: every diagnostic, and choosing one moves the cursor to it.

use ecs_engine::Diagnostic;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProblemsProps {
    pub diagnostics: Vec<Diagnostic>,
    /// Called with the diagnostic's range as UTF-16 offsets.
    pub on_select: Callback<(u32, u32)>,
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
    let items = props.diagnostics.iter().map(|d| {
        let range = (d.range.start.offset_utf16, d.range.end.offset_utf16);
        let onclick = {
            let on_select = props.on_select.clone();
            Callback::from(move |_: MouseEvent| on_select.emit(range))
        };
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
                if let Some(exception) = &d.exception {
                    <span class="problem-exception">{ format!("AWS: {exception}") }</span>
                }
                <span class="problem-path">{ &d.path }</span>
            </li>
        }
    });
    html! {
        <section class="problems" aria-labelledby="problems-heading">
            <h3 id="problems-heading">{ format!("Problems ({})", props.diagnostics.len()) }</h3>
            <ul class="problem-list" data-testid="problems">{ for items }</ul>
        </section>
    }
}
