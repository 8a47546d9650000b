//! One run, played back: the engine records the scenario once, and every
//! redraw is `Recording::frame_at` (and the recording's other views) at the
//! current virtual time. Nothing about ECS is computed here.

use std::cell::Cell;
use std::rc::Rc;

use ecs_engine::sim::core::format_time;
use ecs_engine::sim::playback::{Frame, Recording};
use ecs_engine::workspace::run::{ActionRequest, Run, RunSource};
use yew::prelude::*;

use super::actions::{ActionsPanel, InstanceTarget, ServiceTarget};
use super::charts::Charts;
use super::cluster_map::{ClusterMap, Selection};
use super::console::ConsolePanel;
use super::events::{short_id, state_class, task_details, task_rows, ServiceEvents, TaskList};
use super::explain::ExplainPanel;
use super::lessons::{LessonPanel, LoadedLesson};
use super::playback::{
    next_event, previous_event, use_playback_clock, use_playback_keys, PlaybackBar, PlaybackKey,
    DEFAULT_SPEED,
};
use crate::workspace::notices::{Notice, Tone};

/// The recording, compared by identity (it is recorded once per run).
#[derive(Clone)]
pub struct Recorded(pub Rc<Recording>);

impl PartialEq for Recorded {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct RunViewProps {
    pub run: Rc<Run>,
    pub embed: bool,
    pub on_change: Callback<Run>,
    pub on_save: Callback<Run>,
    pub on_notice: Callback<Notice>,
    /// The lesson this run is of, shown above it.
    #[prop_or_default]
    pub lesson: Option<LoadedLesson>,
}

#[function_component(RunView)]
pub fn run_view(props: &RunViewProps) -> Html {
    let recording = use_memo(props.run.clone(), |run| {
        run.scenario()
            .map(|scenario| Recorded(Rc::new(Recording::record(&scenario))))
    });
    // An action ECS refused is taken back at once, with ECS's own error.
    {
        let (run, on_change, on_notice) = (
            props.run.clone(),
            props.on_change.clone(),
            props.on_notice.clone(),
        );
        use_effect_with(recording.clone(), move |recording| {
            if let (Ok(recorded), Some(action)) = (&**recording, run.actions.last()) {
                let errors = run.last_action_errors(recorded.0.calls());
                if let (false, Some(previous)) = (errors.is_empty(), run.without_last_action()) {
                    on_notice.emit(Notice::new(
                        Tone::Error,
                        format!("Refused: {}. {}", action.label, errors.join(" ")),
                    ));
                    on_change.emit(previous);
                }
            }
        });
    }
    match &*recording {
        Ok(recorded) => html! {
            <Player run={props.run.clone()} recorded={recorded.clone()} embed={props.embed}
                on_change={props.on_change.clone()} on_save={props.on_save.clone()} on_notice={props.on_notice.clone()} lesson={props.lesson.clone()} />
        },
        Err(message) => html! {
            <div class="run-failed">
                <p class="notice notice-error" role="alert">{ format!("This scenario cannot be run: {message}") }</p>
                <a class="button" href="#gallery">{ "Back to the gallery" }</a>
            </div>
        },
    }
}

#[derive(Properties, PartialEq)]
struct PlayerProps {
    run: Rc<Run>,
    recorded: Recorded,
    embed: bool,
    on_change: Callback<Run>,
    on_save: Callback<Run>,
    on_notice: Callback<Notice>,
    lesson: Option<LoadedLesson>,
}

#[function_component(Player)]
fn player(props: &PlayerProps) -> Html {
    let recording = props.recorded.0.clone();
    let end = recording.end();
    let at = use_state(|| props.run.position_ms.min(end));
    let at_now = use_memo((), |_| Rc::new(Cell::new(0u64)));
    let at_now: Rc<Cell<u64>> = (*at_now).clone();
    at_now.set(*at);
    let playing = use_state(|| false);
    let speed = use_state(|| DEFAULT_SPEED);
    let selection = use_state(|| None::<Selection>);
    let event_times = use_memo(props.recorded.clone(), |r| {
        Rc::new(r.0.event_times().to_vec())
    });
    let event_times: Rc<Vec<u64>> = (*event_times).clone();

    // A new recording (after an action or undo) starts where the run stands.
    {
        let (at, playing, position) = (at.clone(), playing.clone(), props.run.position_ms.min(end));
        use_effect_with(props.recorded.clone(), move |_| {
            at.set(position);
            playing.set(false);
        });
    }
    use_playback_clock(playing.clone(), at.clone(), at_now.clone(), *speed, end);

    let seek = {
        let (at, at_now) = (at.clone(), at_now.clone());
        Callback::from(move |t: u64| {
            let t = t.min(end);
            at_now.set(t);
            at.set(t);
        })
    };
    let on_play = {
        let playing = playing.clone();
        Callback::from(move |p: bool| playing.set(p))
    };
    let on_speed = {
        let speed = speed.clone();
        Callback::from(move |s: u32| speed.set(s))
    };
    {
        let (seek, playing, times, at_now) = (
            seek.clone(),
            playing.clone(),
            event_times.clone(),
            at_now.clone(),
        );
        let on_key = use_callback(
            (end, *playing),
            move |key: PlaybackKey, (end, is_playing)| {
                let now = at_now.get();
                match key {
                    PlaybackKey::Toggle => {
                        if !*is_playing && now >= *end {
                            seek.emit(0);
                        }
                        playing.set(!*is_playing);
                    }
                    PlaybackKey::PreviousEvent => seek.emit(previous_event(&times, now)),
                    PlaybackKey::NextEvent => seek.emit(next_event(&times, now, *end)),
                    PlaybackKey::Back => seek.emit(now.saturating_sub(1000)),
                    PlaybackKey::Forward => seek.emit(now.saturating_add(1000)),
                }
            },
        );
        use_playback_keys(on_key);
    }

    // Where playback stands is saved whenever it stops moving.
    {
        let (run, on_save) = (props.run.clone(), props.on_save.clone());
        use_effect_with((*at, *playing), move |(at, playing)| {
            if !*playing && run.position_ms != *at {
                let mut run = (*run).clone();
                run.position_ms = *at;
                on_save.emit(run);
            }
        });
    }

    let frame = use_memo((props.recorded.clone(), *at), |(r, at)| r.0.frame_at(*at));
    // Explanations replay the run, which is too slow to redo on every frame of
    // a large cluster: while playing they hold the moment playback started (or
    // the moment of the last selection) and catch up when it pauses.
    let explain_at = use_state(|| *at);
    {
        let explain_at = explain_at.clone();
        use_effect_with((*at, *playing), move |(at, playing)| {
            if !*playing {
                explain_at.set(*at);
            }
        });
    }
    let explaining_at = if *playing { *explain_at } else { *at };
    // The shown frame serves whenever the explanation is of the shown moment.
    let held_frame = use_memo(
        (props.recorded.clone(), explaining_at, explaining_at == *at),
        |(r, explain_at, same)| (!*same).then(|| Rc::new(r.0.frame_at(*explain_at))),
    );
    let explain_frame: Rc<Frame> = match held_frame.as_ref() {
        Some(held) => held.clone(),
        None => frame.clone(),
    };
    let events = use_memo((props.recorded.clone(), *at), |(r, at)| {
        r.0.service_events_until(*at, None)
    });

    let on_action = {
        let (run, on_change, on_notice, at) = (
            props.run.clone(),
            props.on_change.clone(),
            props.on_notice.clone(),
            *at,
        );
        Callback::from(move |request: ActionRequest| {
            match request
                .into_action(&run, at)
                .and_then(|action| run.with_action(action))
            {
                Ok(next) => {
                    if let Some(action) = next.actions.last() {
                        on_notice.emit(Notice::new(
                            Tone::Info,
                            format!("{}: added to the run and replayed.", action.label),
                        ));
                    }
                    on_change.emit(next);
                }
                Err(message) => on_notice.emit(Notice::new(Tone::Error, message)),
            }
        })
    };
    let on_undo = {
        let (run, on_change, on_notice) = (
            props.run.clone(),
            props.on_change.clone(),
            props.on_notice.clone(),
        );
        Callback::from(move |_: ()| {
            if let Some(previous) = run.without_last_action() {
                on_notice.emit(Notice::new(Tone::Info, "Undid the last action."));
                on_change.emit(previous);
            }
        })
    };
    let on_select_task = {
        let selection = selection.clone();
        Callback::from(move |id: String| selection.set(Some(Selection::Task(id))))
    };
    let on_select_deployment = {
        let selection = selection.clone();
        Callback::from(move |(service, deployment_id): (String, String)| {
            selection.set(Some(Selection::Deployment {
                service,
                deployment_id,
            }))
        })
    };
    let reset = {
        let (seek, playing) = (seek.clone(), playing.clone());
        Callback::from(move |_: MouseEvent| {
            playing.set(false);
            seek.emit(0);
        })
    };

    let rows = task_rows(&frame);
    let selected_task = match &*selection {
        Some(Selection::Task(id)) => Some(id.clone()),
        _ => None,
    };
    let selected_cluster = selected_task
        .as_ref()
        .and_then(|id| cluster_of_task(&frame, id));
    let bar = html! {
        <PlaybackBar at={*at} end={end} playing={*playing} speed={*speed} event_times={event_times.clone()}
            on_seek={seek.clone()} on_play={on_play} on_speed={on_speed} />
    };
    let on_select = {
        let (selection, explain_at, at_now) =
            (selection.clone(), explain_at.clone(), at_now.clone());
        Callback::from(move |s: Selection| {
            explain_at.set(at_now.get());
            selection.set(Some(s));
        })
    };
    let explain = html! {
        <div class="panel explain-box">
            <ExplainPanel recording={recording.clone()} at={explaining_at} frame={explain_frame.clone()} selection={(*selection).clone()} on_select={on_select.clone()} />
        </div>
    };
    let detail = task_detail_panel(&recording, *at, selected_task.as_ref());
    let map = html! {
        <section class="panel" aria-label="Cluster map">
            <ClusterMap frame={frame.clone()} selected={selected_task.clone()} on_select={on_select} />
        </section>
    };
    let services = services_panel(&frame, &selection, on_select_deployment);
    let guide = guide_view(&props.run);
    let failed_calls = failed_calls(&recording);
    let charts = html! { <Charts chart={recording.chart().clone()} end={end} at={*at} on_seek={seek.clone()} /> };
    let events_view = html! { <ServiceEvents events={(*events).clone()} playing={*playing} /> };
    let tasks = html! { <TaskList rows={rows} selected={selected_task.clone()} on_select={on_select_task} /> };

    if props.embed {
        let open = match &props.run.source {
            RunSource::Gallery { name } => format!("./#gallery={name}"),
            RunSource::Workspace => "./#workspace".into(),
            RunSource::Lesson { id } => format!("./#lesson={id}"),
        };
        return html! {
            <section class="run" aria-labelledby="run-title">
                <div class="embed-bar">
                    <h2 id="run-title">{ &props.run.title }</h2>
                    <button type="button" class="button" onclick={reset}>{ "Reset" }</button>
                    <a class="button" href={open} target="_blank" rel="noopener">{ "Open in ECS Playground" }</a>
                </div>
                { bar }
                <div class="run-grid">
                    <div class="run-column">{ services }{ map }{ charts }</div>
                    <div class="run-column">{ explain }{ detail }{ events_view }{ tasks }</div>
                </div>
            </section>
        };
    }

    let service_targets: Vec<ServiceTarget> = frame
        .services
        .iter()
        .map(|s| ServiceTarget {
            cluster: s.cluster.clone(),
            name: s.name.clone(),
            desired: s.desired,
            task_definition: s
                .deployments
                .iter()
                .find(|d| d.status == ecs_engine::sim::state::DeploymentStatus::Primary)
                .or(s.deployments.first())
                .map(|d| d.task_definition.clone())
                .unwrap_or_default(),
        })
        .collect();
    let instance_targets = instance_targets(&frame);
    html! {
        <section class="run" aria-labelledby="run-title">
            <div class="run-head">
                <h2 id="run-title">{ &props.run.title }</h2>
                <span class="run-source">{ match &props.run.source { RunSource::Gallery { .. } => "Gallery scenario: your workspace is untouched", RunSource::Workspace => "Your workspace, as the ECS calls that create it", RunSource::Lesson { .. } => "A lesson: your actions and console lines are checked against each step's goal" } }</span>
            </div>
            if let Some(lesson) = &props.lesson {
                <LessonPanel lesson={lesson.clone()} recorded={props.recorded.clone()} end={end} at={*at} on_seek={seek.clone()} />
            }
            { guide }
            if matches!(props.run.source, RunSource::Gallery { .. }) {
                <super::edit::EditScenario scenario={props.run.base.clone()} on_notice={props.on_notice.clone()} />
            }
            { failed_calls }
            { bar }
            <div class="run-grid">
                <div class="run-column">{ services }{ map }{ charts }{ tasks }</div>
                <div class="run-column">
                    <ConsolePanel run={props.run.clone()} recorded={props.recorded.clone()} at={*at} on_change={props.on_change.clone()} />
                    { explain }
                    { detail }
                    { events_view }
                    <ActionsPanel run={props.run.clone()} at={*at} services={service_targets} instances={instance_targets}
                        task={selected_task.zip(selected_cluster).map(|(t, c)| (c, t))} zones={zones_of(&frame)} on_action={on_action} on_undo={on_undo} />
                </div>
            </div>
        </section>
    }
}

fn guide_view(run: &Run) -> Html {
    let guide = ecs_engine::workspace::run::guide_of(&run.base);
    if guide.description.is_empty()
        && guide.look_for.is_empty()
        && guide.suggested_action.is_empty()
    {
        return html! {};
    }
    html! {
        <section class="panel guide" aria-label="About this scenario">
            if !guide.description.is_empty() { <p>{ guide.description }</p> }
            if !guide.look_for.is_empty() {
                <div><strong>{ "What to look for" }</strong><ul>{ for guide.look_for.iter().map(|l| html! { <li>{ l }</li> }) }</ul></div>
            }
            if !guide.suggested_action.is_empty() {
                <p class="suggested"><span class="suggested-label">{ "Try: " }</span>{ guide.suggested_action }</p>
            }
        </section>
    }
}

fn cluster_of_task(frame: &Frame, id: &str) -> Option<String> {
    for cluster in &frame.clusters {
        for zone in &cluster.zones {
            let on_instance = zone
                .groups
                .iter()
                .flat_map(|g| g.instances.iter())
                .any(|i| i.tasks.iter().any(|t| t.id == id));
            if on_instance || zone.fargate.iter().any(|t| t.id == id) {
                return Some(cluster.name.clone());
            }
        }
    }
    frame.clusters.first().map(|c| c.name.clone())
}

/// The Availability Zones the frame shows, each once.
fn zones_of(frame: &Frame) -> Vec<String> {
    let mut zones: Vec<String> = frame
        .clusters
        .iter()
        .flat_map(|c| c.zones.iter().map(|z| z.availability_zone.clone()))
        .collect();
    zones.sort();
    zones.dedup();
    zones
}

fn instance_targets(frame: &Frame) -> Vec<InstanceTarget> {
    let mut targets = Vec::new();
    for cluster in &frame.clusters {
        for zone in &cluster.zones {
            for instance in zone.groups.iter().flat_map(|g| g.instances.iter()) {
                targets.push(InstanceTarget {
                    cluster: cluster.name.clone(),
                    id: instance.id.clone(),
                    label: format!(
                        "{} ({}, {}, {})",
                        instance.short_id,
                        instance.instance_type,
                        zone.availability_zone,
                        instance.status.as_str()
                    ),
                });
            }
        }
    }
    targets
}

fn services_panel(
    frame: &Frame,
    selection: &Option<Selection>,
    on_select: Callback<(String, String)>,
) -> Html {
    html! {
        <section class="panel" aria-labelledby="services-heading">
            <h3 id="services-heading">{ "Services" }</h3>
            if frame.services.is_empty() { <p class="empty">{ "No service at this moment." }</p> }
            { for frame.services.iter().map(|s| html! {
                <div class="service" data-testid="service">
                    <h4>{ &s.name }<span class="run-source">{ format!(" in {}", s.cluster) }</span></h4>
                    <div class="service-summary">
                        <div class="figure"><span class="figure-value" data-testid="desired-count">{ s.desired }</span><span class="figure-label">{ "Desired" }</span></div>
                        <div class="figure"><span class="figure-value" data-testid="running-count">{ s.running }</span><span class="figure-label">{ "Running" }</span></div>
                        <div class="figure"><span class="figure-value" data-testid="pending-count">{ s.pending }</span><span class="figure-label">{ "Pending" }</span></div>
                    </div>
                    <div class="table-wide" tabindex="0" role="region" aria-label={format!("Deployments of {} (scrolls sideways)", s.name)}>
                    <table class="data-table" data-testid="deployments">
                        <caption class="visually-hidden">{ format!("Deployments of {}", s.name) }</caption>
                        <thead><tr><th>{ "Deployment" }</th><th>{ "Status" }</th><th>{ "Rollout" }</th><th>{ "Revision" }</th>
                            <th class="num">{ "Desired" }</th><th class="num">{ "Running" }</th><th class="num">{ "Pending" }</th><th class="num">{ "Failed" }</th></tr></thead>
                        <tbody>
                            { for s.deployments.iter().map(|d| {
                                let selected = *selection == Some(Selection::Deployment { service: s.name.clone(), deployment_id: d.id.clone() });
                                let onclick = { let (on_select, key) = (on_select.clone(), (s.name.clone(), d.id.clone())); Callback::from(move |_: MouseEvent| on_select.emit(key.clone())) };
                                html! {
                                    <tr class={classes!(selected.then_some("selected"))}>
                                        <td><button type="button" class="row-button" onclick={onclick} aria-pressed={selected.to_string()}
                                            aria-label={format!("Explain deployment {}", short_id(&d.id))}>{ short_id(&d.id) }</button></td>
                                        <td><span class={state_class(d.status.as_str())}>{ d.status.as_str() }</span></td>
                                        <td><span class={state_class(d.rollout_state.as_str())} title={d.rollout_state_reason.clone().unwrap_or_default()}>{ d.rollout_state.as_str() }</span></td>
                                        <td>{ format!("{}:{}", ecs_engine::arn::task_definition_family(&d.task_definition), d.revision) }</td>
                                        <td class="num">{ d.desired }</td><td class="num">{ d.running }</td><td class="num">{ d.pending }</td><td class="num" data-testid="deployment-failed">{ d.failed }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                    </div>
                    // rolloutStateReason of each deployment, as DescribeServices reports it.
                    <ul class="rollout-reasons" data-testid="rollout-reasons" aria-label={format!("Rollout state reasons of {}", s.name)}>
                        { for s.deployments.iter().filter_map(|d| d.rollout_state_reason.as_ref().map(|r| (d, r))).map(|(d, reason)| html! {
                            <li><span class="rollout-reason-id">{ format!("{} {}", short_id(&d.id), d.rollout_state.as_str()) }</span>{ " " }{ reason }</li>
                        }) }
                    </ul>
                </div>
            }) }
        </section>
    }
}

/// The selected task as DescribeTasks shows it at this moment.
fn task_detail_panel(recording: &Recording, at: u64, task: Option<&String>) -> Html {
    let Some(id) = task else {
        return html! {};
    };
    html! {
        <section class="panel" aria-labelledby="task-detail-heading">
            <h3 id="task-detail-heading">{ format!("Task {} (DescribeTasks)", short_id(id)) }</h3>
            if let Some(detail) = recording.task_detail(at, id) {
                { task_details(&detail) }
            } else {
                <p class="empty">{ "This task does not exist at this moment." }</p>
            }
        </section>
    }
}

/// Calls of the run that ECS refused, with its error: an action the user took
/// may not apply (for example a task that has already stopped).
fn failed_calls(recording: &Recording) -> Html {
    let failed: Vec<_> = recording
        .calls()
        .iter()
        .filter(|c| c.error.is_some())
        .collect();
    if failed.is_empty() {
        return html! {};
    }
    html! {
        <section class="panel call-errors" aria-labelledby="call-errors-heading" data-testid="call-errors">
            <h3 id="call-errors-heading">{ format!("{} call{} failed", failed.len(), if failed.len() == 1 { "" } else { "s" }) }</h3>
            <ul class="events">
                { for failed.iter().map(|c| {
                    let error = c.error.as_ref().map(|e| format!("{}: {}",
                        e.get("__type").and_then(|v| v.as_str()).unwrap_or("Error"),
                        e.get("message").and_then(|v| v.as_str()).unwrap_or_default())).unwrap_or_default();
                    html! { <li class="event"><span class="event-time">{ format_time((c.at * 1000.0) as u64) }</span>
                        <span class="event-message">{ format!("{} — {error}", c.call) }</span></li> }
                }) }
            </ul>
        </section>
    }
}
