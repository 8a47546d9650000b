//! The page: the task-definition editor, its problems, and where the task would land.

use ecs_engine::examples::DEFAULT_TASK_DEFINITION;
use ecs_engine::place::{demo_cluster, place};
use ecs_engine::{analyze_task_definition, Severity};
use yew::prelude::*;

use crate::cluster_panel::ClusterPanel;
use crate::editor::{CursorRequest, Editor, FixRequest};
use crate::problems::Problems;
use crate::shortcuts::ShortcutSheet;
use crate::theme::ThemeSwitch;

#[function_component(App)]
pub fn app() -> Html {
    let text = use_state(|| DEFAULT_TASK_DEFINITION.to_string());
    let cursor_request = use_state(|| None::<CursorRequest>);
    let fix_request = use_state(|| None::<FixRequest>);

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

    let on_fix = {
        let fix_request = fix_request.clone();
        let serial = fix_request.as_ref().map_or(0, |r| r.serial + 1);
        Callback::from(move |fix: ecs_engine::Fix| {
            fix_request.set(Some(FixRequest { fix, serial }));
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

    html! {
        <div class="page">
            <header class="topbar">
                <h1 class="brand">{ "ECS Playground" }</h1>
                <p class="tagline">{ "Amazon ECS, simulated in your browser. Nothing you write leaves it." }</p>
                <div class="header-tools">
                    <ShortcutSheet />
                    <ThemeSwitch />
                </div>
            </header>
            <main class="workspace">
                <section class="panel editor-panel" aria-labelledby="editor-heading">
                    <div class="panel-head">
                        <h2 id="editor-heading">{ "Task definition" }</h2>
                        <span class="form-tag" title="Recognised input form">{ form }</span>
                    </div>
                    <Editor
                        text={(*text).clone()}
                        diagnostics={analysis.diagnostics.clone()}
                        on_change={on_change}
                        cursor_request={(*cursor_request).clone()}
                        fix_request={(*fix_request).clone()}
                    />
                    <p class={status_class} role="status" aria-live="polite" data-testid="validation-status">{ status }</p>
                    <Problems diagnostics={analysis.diagnostics.clone()} on_select={on_select} on_fix={on_fix} />
                </section>
                <ClusterPanel
                    instances={(*cluster).clone()}
                    decision={(*decision).clone()}
                    blocked={errors > 0}
                />
            </main>
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
