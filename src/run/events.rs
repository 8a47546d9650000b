//! The service events in ECS's wording (newest first) with a live region that
//! announces new ones during playback, the task list, and a task's
//! DescribeTasks details. All of it is what the recording returns at the
//! current time.

use ecs_engine::sim::core::format_time;
use ecs_engine::sim::playback::{Frame, ServiceEventView, TaskCell};
use serde_json::Value;
use yew::prelude::*;

/// Rows shown before "and N more".
const SHOWN_EVENTS: usize = 60;
const SHOWN_TASKS: usize = 150;

#[derive(Properties, PartialEq)]
pub struct EventsProps {
    pub events: Vec<ServiceEventView>,
    pub playing: bool,
}

#[function_component(ServiceEvents)]
pub fn service_events(props: &EventsProps) -> Html {
    // Announced: the newest event, while playing (a scrub would flood it).
    let announcement = props
        .events
        .first()
        .filter(|_| props.playing)
        .map(|e| format!("{}: {}", e.service, e.message))
        .unwrap_or_default();
    html! {
        <section class="panel" aria-labelledby="events-heading">
            <h3 id="events-heading">{ "Service events" }</h3>
            <div class="visually-hidden" aria-live="polite" data-testid="event-announcer">{ announcement }</div>
            if props.events.is_empty() {
                <p class="empty">{ "No service events yet." }</p>
            } else {
                <ol class="events" data-testid="service-events" tabindex="0" aria-label="Service events, newest first">
                    { for props.events.iter().take(SHOWN_EVENTS).map(|e| html! {
                        <li class="event"><span class="event-time">{ format_time(e.at) }</span><span class="event-message">{ &e.message }</span></li>
                    }) }
                </ol>
                if props.events.len() > SHOWN_EVENTS {
                    <p class="panel-note">{ format!("and {} older events", props.events.len() - SHOWN_EVENTS) }</p>
                }
            }
        </section>
    }
}

/// A task and where it is, as the task list shows it.
#[derive(Clone, PartialEq)]
pub struct TaskRow {
    pub task: TaskCell,
    pub place: String,
}

/// Every task in the frame: on instances, on Fargate, and not yet placed.
pub fn task_rows(frame: &Frame) -> Vec<TaskRow> {
    let mut rows = Vec::new();
    for cluster in &frame.clusters {
        for zone in &cluster.zones {
            for group in &zone.groups {
                for instance in &group.instances {
                    rows.extend(instance.tasks.iter().map(|t| TaskRow { task: t.clone(), place: instance.id.clone() }));
                }
            }
            rows.extend(zone.fargate.iter().map(|t| TaskRow { task: t.clone(), place: format!("Fargate {}", zone.availability_zone) }));
        }
    }
    rows.extend(frame.unplaced.iter().map(|t| TaskRow { task: t.clone(), place: "not placed".into() }));
    rows
}

pub fn state_class(status: &str) -> &'static str {
    match status {
        "RUNNING" | "HEALTHY" | "COMPLETED" | "PRIMARY" | "ACTIVE" => "state state-good",
        "STOPPED" | "UNHEALTHY" | "FAILED" | "INACTIVE" => "state state-bad",
        _ => "state state-busy",
    }
}

pub fn short_id(id: &str) -> &str {
    let id = id.rsplit('/').next().unwrap_or(id);
    id.get(..8).unwrap_or(id)
}

#[derive(Properties, PartialEq)]
pub struct TasksProps {
    pub rows: Vec<TaskRow>,
    pub selected: Option<String>,
    pub on_select: Callback<String>,
}

#[function_component(TaskList)]
pub fn task_list(props: &TasksProps) -> Html {
    html! {
        <section class="panel" aria-labelledby="tasks-heading">
            <h3 id="tasks-heading">{ format!("Tasks ({})", props.rows.len()) }</h3>
            if props.rows.is_empty() {
                <p class="empty">{ "No tasks at this moment." }</p>
            } else {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Task list">
                    <table class="data-table" data-testid="task-list">
                        <thead><tr><th>{ "Task" }</th><th>{ "Service" }</th><th>{ "Last status" }</th><th>{ "Desired" }</th><th>{ "Health" }</th><th>{ "Where" }</th></tr></thead>
                        <tbody>
                            { for props.rows.iter().take(SHOWN_TASKS).map(|row| {
                                let t = &row.task;
                                let selected = props.selected.as_deref() == Some(t.id.as_str());
                                let onclick = { let (on_select, id) = (props.on_select.clone(), t.id.clone()); Callback::from(move |_: MouseEvent| on_select.emit(id.clone())) };
                                let service = match (&t.service, t.revision) {
                                    (Some(s), Some(r)) => format!("{s} (rev {r})"),
                                    (Some(s), None) => s.clone(),
                                    (None, Some(r)) => format!("standalone (rev {r})"),
                                    (None, None) => "standalone".into(),
                                };
                                html! {
                                    <tr class={classes!(selected.then_some("selected"))}>
                                        <td><button type="button" class="row-button" onclick={onclick} aria-pressed={selected.to_string()}
                                            aria-label={format!("Task {}", short_id(&t.id))}>{ short_id(&t.id) }</button></td>
                                        <td>{ service }</td>
                                        <td><span class={state_class(&t.last_status)}>{ &t.last_status }</span></td>
                                        <td>{ &t.desired_status }</td>
                                        <td><span class={state_class(&t.health)}>{ &t.health }</span></td>
                                        <td>{ &row.place }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
                if props.rows.len() > SHOWN_TASKS {
                    <p class="panel-note">{ format!("Showing {} of {} tasks.", SHOWN_TASKS, props.rows.len()) }</p>
                }
            }
        </section>
    }
}

/// Labels for DescribeTasks members, in the order the details list them.
const DETAIL_FIELDS: &[(&str, &str)] = &[
    ("lastStatus", "Last status"),
    ("desiredStatus", "Desired status"),
    ("healthStatus", "Health"),
    ("group", "Group"),
    ("startedBy", "Started by"),
    ("availabilityZone", "Availability Zone"),
    ("containerInstance", "Container instance"),
    ("createdAt", "Created"),
    ("pullStartedAt", "Pull started"),
    ("pullStoppedAt", "Pull stopped"),
    ("startedAt", "Started"),
    ("stoppingAt", "Stopping"),
    ("executionStoppedAt", "Execution stopped"),
    ("stoppedAt", "Stopped"),
    ("stopCode", "Stop code"),
    ("stoppedReason", "Stopped reason"),
    ("taskArn", "Task ARN"),
];

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A value's members as a definition list: known DescribeTasks members first
/// with their labels, then any others by name.
pub fn value_details(value: &Value) -> Html {
    let Some(object) = value.as_object() else {
        return html! {};
    };
    let known = DETAIL_FIELDS.iter().filter_map(|(key, label)| {
        object.get(*key).and_then(scalar).map(|v| (label.to_string(), v))
    });
    let others = object
        .iter()
        .filter(|(k, _)| !DETAIL_FIELDS.iter().any(|(key, _)| key == k))
        .filter_map(|(k, v)| scalar(v).map(|v| (k.clone(), v)));
    html! {
        <dl class="detail-list">
            { for known.chain(others).map(|(label, value)| html! { <><dt>{ label }</dt><dd>{ value }</dd></> }) }
        </dl>
    }
}

/// A task's DescribeTasks details, containers included.
pub fn task_details(detail: &Value) -> Html {
    let containers = detail.get("containers").and_then(Value::as_array).cloned().unwrap_or_default();
    html! {
        <div class="task-detail" data-testid="task-detail">
            { value_details(detail) }
            if !containers.is_empty() {
                <table class="data-table">
                    <caption class="visually-hidden">{ "Containers" }</caption>
                    <thead><tr><th>{ "Container" }</th><th>{ "Last status" }</th><th class="num">{ "Exit code" }</th><th>{ "Health" }</th><th>{ "Reason" }</th></tr></thead>
                    <tbody>
                        { for containers.iter().map(|c| {
                            let text = |k: &str| c.get(k).and_then(scalar).unwrap_or_default();
                            html! { <tr><td>{ text("name") }</td><td>{ text("lastStatus") }</td><td class="num">{ text("exitCode") }</td><td>{ text("healthStatus") }</td><td>{ text("reason") }</td></tr> }
                        }) }
                    </tbody>
                </table>
            }
        </div>
    }
}
