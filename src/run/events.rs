//! The service events in ECS's wording (newest first) with a live region that
//! announces new ones during playback, the task list, and a task's
//! DescribeTasks details. All of it is what the recording returns at the
//! current time.

use ecs_engine::sim::core::format_time;
use ecs_engine::sim::playback::{Frame, ServiceEventView, TaskCell, TaskDetail};
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
    /// The full id of the instance it is on, for the tooltip.
    pub instance: Option<String>,
}

/// Every task in the frame: on instances, on Fargate, and not yet placed.
pub fn task_rows(frame: &Frame) -> Vec<TaskRow> {
    let mut rows = Vec::new();
    for cluster in &frame.clusters {
        for zone in &cluster.zones {
            for group in &zone.groups {
                for instance in &group.instances {
                    rows.extend(instance.tasks.iter().map(|t| TaskRow {
                        task: t.clone(),
                        place: format!("{} ({})", instance.short_id, zone.availability_zone),
                        instance: Some(instance.id.clone()),
                    }));
                }
            }
            rows.extend(zone.fargate.iter().map(|t| TaskRow {
                task: t.clone(),
                place: format!("Fargate {}", zone.availability_zone),
                instance: None,
            }));
        }
    }
    rows.extend(frame.unplaced.iter().map(|t| TaskRow {
        task: t.clone(),
        place: "not placed".into(),
        instance: None,
    }));
    rows
}

pub fn state_class(status: &str) -> &'static str {
    match status {
        "RUNNING" | "HEALTHY" | "COMPLETED" | "PRIMARY" | "ACTIVE" => "state state-good",
        "STOPPED" | "UNHEALTHY" | "FAILED" | "INACTIVE" => "state state-bad",
        _ => "state state-busy",
    }
}

/// A task's or a deployment's id as the run page shows it: the first 8
/// characters of the id's last `/` segment. That is a task ARN's id, and a
/// deployment id's number: a deployment id (`ecs-svc/N`) is not an ARN, so
/// `arn::short_name` leaves it whole, and its first 8 characters would be
/// `ecs-svc/` for every deployment.
pub fn short_id(id: &str) -> &str {
    let tail = id.rsplit('/').next().unwrap_or(id);
    match tail.char_indices().nth(8) {
        Some((i, _)) => &tail[..i],
        None => tail,
    }
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
                                        <td><span class={state_class(t.last_status.as_str())}>{ t.last_status.as_str() }</span></td>
                                        <td>{ t.desired_status.as_str() }</td>
                                        <td><span class={state_class(t.health.as_str())}>{ t.health.as_str() }</span></td>
                                        <td title={row.instance.clone()}>{ &row.place }</td>
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

fn optional_time(at: Option<u64>) -> String {
    at.map(format_time).unwrap_or_else(|| "—".into())
}

/// A task's DescribeTasks details, containers included (times are virtual).
pub fn task_details(d: &TaskDetail) -> Html {
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let rows: Vec<(&str, String)> = vec![
        ("Last status", d.last_status.as_str().to_string()),
        ("Desired status", d.desired_status.as_str().to_string()),
        ("Health", d.health_status.as_str().to_string()),
        (
            "Task definition",
            ecs_engine::arn::short_name(&d.task_definition_arn).to_string(),
        ),
        ("Launch type", d.launch_type.clone()),
        ("Group", d.group.clone()),
        ("Started by", text(&d.started_by)),
        ("Container instance", text(&d.container_instance)),
        ("Availability Zone", text(&d.availability_zone)),
        ("Created", format_time(d.created_at)),
        ("Pull started", optional_time(d.pull_started_at)),
        ("Pull stopped", optional_time(d.pull_stopped_at)),
        ("Started", optional_time(d.started_at)),
        ("Stopping", optional_time(d.stopping_at)),
        ("Execution stopped", optional_time(d.execution_stopped_at)),
        ("Stopped", optional_time(d.stopped_at)),
        ("Stop code", text(&d.stop_code)),
        ("Stopped reason", text(&d.stopped_reason)),
        ("Version", d.version.to_string()),
        ("Task ARN", d.task_arn.clone()),
    ];
    html! {
        <div class="task-detail" data-testid="task-detail">
            <dl class="detail-list">
                { for rows.into_iter().map(|(label, value)| html! { <><dt>{ label }</dt><dd>{ value }</dd></> }) }
            </dl>
            if !d.containers.is_empty() {
                <div class="table-wide" tabindex="0" role="region" aria-label="Containers (scrolls sideways)">
                <table class="data-table">
                    <caption class="visually-hidden">{ "Containers" }</caption>
                    <thead><tr><th>{ "Container" }</th><th>{ "Image" }</th><th>{ "Last status" }</th><th class="num">{ "Exit code" }</th><th>{ "Health" }</th><th>{ "Reason" }</th></tr></thead>
                    <tbody>
                        { for d.containers.iter().map(|c| html! {
                            <tr><td>{ &c.name }</td><td>{ &c.image }</td><td>{ c.last_status.as_str() }</td>
                                <td class="num">{ c.exit_code.map(|e| e.to_string()).unwrap_or_else(|| "—".into()) }</td>
                                <td>{ c.health_status.as_str() }</td><td>{ text(&c.reason) }</td></tr>
                        }) }
                    </tbody>
                </table>
                </div>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::short_id;

    #[test]
    fn ids_are_shown_by_the_first_eight_characters_of_their_last_segment() {
        for (id, shown) in [
            // Deployments: their ids are not ARNs.
            ("ecs-svc/7846979591750165373", "78469795"),
            ("ecs-svc/5563211379022650726", "55632113"),
            (
                "arn:aws:ecs:us-east-1:123456789012:task/demo/9e5a81d60b1747862ca3e84dbc887417",
                "9e5a81d6",
            ),
            ("9e5a81d60b1747862ca3e84dbc887417", "9e5a81d6"),
            ("short", "short"),
            ("ééééééééé", "éééééééé"),
        ] {
            assert_eq!(short_id(id), shown, "{id}");
        }
    }
}
