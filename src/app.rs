//! The page: the task-definition editor, its problems, and where the task would land.

use ecs_engine::examples::DEFAULT_TASK_DEFINITION;
use ecs_engine::place::{demo_cluster, place};
use ecs_engine::{analyze_task_definition, Severity};
use yew::prelude::*;

use crate::cluster_panel::ClusterPanel;
use crate::editor::{CursorRequest, Editor};
use crate::forms::{Builders, TaskDefinitionForm};
use crate::problems::Problems;

#[function_component(App)]
pub fn app() -> Html {
    let text = use_state(|| DEFAULT_TASK_DEFINITION.to_string());
    let cursor_request = use_state(|| None::<CursorRequest>);
    let form_view = use_state(|| false);

    // Validation runs in the engine on every change; it takes well under a
    // millisecond for real task definitions, so it runs synchronously.
    let analysis = use_memo((*text).clone(), |text| analyze_task_definition(text));
    let cluster = use_memo((), |_| demo_cluster());
    let decision = use_memo((analysis.requirements.clone(), analysis.error_count()), {
        let cluster = cluster.clone();
        move |(requirements, errors)| match requirements {
            Some(requirements) if *errors == 0 => Some(place(requirements, &cluster)),
            _ => None,
        }
    });

    let on_change = {
        let text = text.clone();
        Callback::from(move |new_text: String| text.set(new_text))
    };
    let on_select = {
        let cursor_request = cursor_request.clone();
        let serial = cursor_request.as_ref().map_or(0, |r| r.serial + 1);
        Callback::from(move |(start, end): (u32, u32)| {
            cursor_request.set(Some(CursorRequest { start, end, serial }));
        })
    };

    let errors = analysis.count(Severity::Error);
    let warnings = analysis.count(Severity::Warning);
    let status = match (errors, warnings) {
        (0, 0) => "Valid: AWS would accept this task definition".to_string(),
        (0, w) => format!("Valid, with {w} warning{}", plural(w)),
        (e, _) => format!(
            "{e} error{}: AWS would reject this task definition",
            plural(e)
        ),
    };
    let status_class = if errors > 0 {
        "status status-error"
    } else {
        "status status-ok"
    };
    let form = analysis
        .form
        .map(|f| f.describe())
        .unwrap_or("not recognised");

    let view_button = |form: bool, label: &'static str| {
        let form_view = form_view.clone();
        let pressed = *form_view == form;
        let onclick = Callback::from(move |_: MouseEvent| form_view.set(form));
        html! {
            <button type="button" class={classes!("view-toggle", pressed.then_some("active"))}
                aria-pressed={if pressed { "true" } else { "false" }} onclick={onclick}>{ label }</button>
        }
    };

    html! {
        <div class="page">
            <header class="topbar">
                <h1 class="brand">{ "ECS Playground" }</h1>
                <p class="tagline">{ "Amazon ECS, simulated in your browser. Nothing you write leaves it." }</p>
            </header>
            <main class="workspace">
                <section class="panel editor-panel" aria-labelledby="editor-heading">
                    <div class="panel-head">
                        <h2 id="editor-heading">{ "Task definition" }</h2>
                        <div class="view-switch" role="group" aria-label="Task definition view">
                            { view_button(true, "Form") }{ view_button(false, "JSON") }
                        </div>
                        <span class="form-tag" title="Recognised input form">{ form }</span>
                    </div>
                    if *form_view {
                        <TaskDefinitionForm text={(*text).clone()} diagnostics={analysis.diagnostics.clone()} on_change={on_change} />
                    } else {
                        <Editor
                            text={(*text).clone()}
                            diagnostics={analysis.diagnostics.clone()}
                            on_change={on_change}
                            cursor_request={(*cursor_request).clone()}
                        />
                    }
                    <p class={status_class} role="status" aria-live="polite" data-testid="validation-status">{ status }</p>
                    <Problems diagnostics={analysis.diagnostics.clone()} on_select={on_select} />
                </section>
                <ClusterPanel
                    instances={(*cluster).clone()}
                    decision={(*decision).clone()}
                    blocked={errors > 0}
                />
            </main>
            <Builders />
        </div>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
