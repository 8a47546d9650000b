//! The explainer: why the selected task is where it is (or is not placed),
//! and what the selected deployment may do now. Everything shown comes from
//! the engine's `TaskExplanation` and `DeploymentExplanation`; this module
//! only lays it out. Modelling choices the engine labels are shown as
//! "Approximation: …".

mod deployment;
mod trace;

use std::rc::Rc;

use ecs_engine::sim::core::format_time;
use yew::prelude::*;

use super::cluster_map::{count, Selection};
use super::events::short_id;
pub use deployment::deployment_explanation;
use ecs_engine::sim::playback::{Frame, Recording, TaskExplanation};
pub use trace::placement_trace;

#[derive(Properties)]
pub struct ExplainPanelProps {
    pub recording: Rc<Recording>,
    /// The virtual time being shown.
    pub at: u64,
    /// The frame at `at`, for instance facts.
    pub frame: Rc<Frame>,
    pub selection: Option<Selection>,
    /// Asks the page to select something else (a candidate instance, a task).
    #[prop_or_default]
    pub on_select: Callback<Selection>,
}

impl PartialEq for ExplainPanelProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.recording, &other.recording)
            && Rc::ptr_eq(&self.frame, &other.frame)
            && self.at == other.at
            && self.selection == other.selection
            && self.on_select == other.on_select
    }
}

#[function_component(ExplainPanel)]
pub fn explain_panel(props: &ExplainPanelProps) -> Html {
    let body = match &props.selection {
        None => html! {
            <p class="explain-empty">{ "Select a task on the map, or a deployment, to see why it is where it is." }</p>
        },
        Some(Selection::Task(id)) => match props.recording.explain_task(props.at, id) {
            Some(explanation) => task_explanation(&format!("task {}", short_id(id)), &explanation),
            None => html! {
                <p class="explain-empty">{ format!("Task {id} does not exist at this time.") }</p>
            },
        },
        Some(Selection::Deployment {
            service,
            deployment_id,
        }) => {
            match props
                .recording
                .explain_deployment(props.at, service, deployment_id)
            {
                Some(explanation) => deployment_explanation(service, deployment_id, &explanation),
                None => html! {
                    <p class="explain-empty">{ format!("Deployment {deployment_id} of {service} does not exist at this time.") }</p>
                },
            }
        }
        Some(Selection::Unplaced { service }) => {
            match props.recording.explain_unplaced(props.at, service) {
                Some(explanation) => {
                    task_explanation(&format!("the next task of service {service}"), &explanation)
                }
                None => html! {
                    <p class="explain-empty" data-testid="explain-no-failure">
                        { format!("ECS has not reported a placement failure for service {service} at this time: its tasks are starting or stopping as the deployment allows.") }
                    </p>
                },
            }
        }
        Some(Selection::Instance(id)) => instance_facts(&props.frame, id),
    };
    html! {
        <section class="explain" aria-labelledby="explain-heading" data-testid="explain">
            <h2 id="explain-heading">{ "Explain" }</h2>
            { body }
        </section>
    }
}

pub fn approximation(text: &str) -> Html {
    html! {
        <p class="explain-approx" role="note"><strong>{ "Approximation: " }</strong>{ text }</p>
    }
}

/// `subject` names what is explained: "task 0123abcd", "the next task of service web".
pub fn task_explanation(subject: &str, explanation: &TaskExplanation) -> Html {
    match explanation {
        TaskExplanation::Placed {
            instance_id,
            placed_at,
            trace,
            approximation: note,
        } => {
            let shown = trace::short_ids(trace).show(instance_id).to_string();
            html! {
            <div class="explain-task" data-testid="explain-placed">
                <h3>{ format!("Why {subject} is on {shown}") }</h3>
                <p class="explain-verdict placed" data-testid="explain-summary">
                    { "Placed on " }<strong data-testid="explain-chosen" title={instance_id.clone()}>{ shown }</strong>
                    { format!(" at {} by {}.", format_time(*placed_at), trace.strategy) }
                </p>
                { placement_trace(trace, Some(instance_id)) }
                { for note.iter().map(|n| approximation(n)) }
            </div>
            }
        }
        TaskExplanation::Pending {
            summary,
            ecs_event,
            checks,
        } => html! {
            <div class="explain-task" data-testid="explain-pending">
                <h3>{ format!("Why {subject} is waiting") }</h3>
                <p class="explain-verdict pending" data-testid="explain-summary">{ summary }</p>
                if let Some(event) = ecs_event {
                    <figure class="explain-ecs-event">
                        <figcaption>{ "What ECS says (service event)" }</figcaption>
                        <blockquote data-testid="explain-ecs-event">{ event }</blockquote>
                    </figure>
                }
                if !checks.is_empty() {
                    <h4>{ "Checks that failed" }</h4>
                    <ul class="explain-checks">{ for checks.iter().map(|c| html! { <li>{ c }</li> }) }</ul>
                }
            </div>
        },
        TaskExplanation::Fargate { summary } => html! {
            <div class="explain-task" data-testid="explain-fargate">
                <h3>{ format!("Where {subject} runs: Fargate") }</h3>
                <p class="explain-verdict placed" data-testid="explain-summary">{ summary }</p>
            </div>
        },
    }
}

fn instance_facts(frame: &Frame, id: &str) -> Html {
    let found = frame
        .clusters
        .iter()
        .flat_map(|c| c.zones.iter())
        .flat_map(|z| z.groups.iter().map(move |g| (z, g)))
        .flat_map(|(z, g)| g.instances.iter().map(move |i| (z, g, i)))
        .find(|(_, _, i)| i.id == id);
    let Some((zone, group, instance)) = found else {
        return html! { <p class="explain-empty">{ format!("Instance {id} is not in the cluster at this time.") }</p> };
    };
    html! {
        <div class="explain-instance" data-testid="explain-instance">
            <h3>{ format!("Instance {id}") }</h3>
            <dl class="explain-facts">
                <dt>{ "Type" }</dt><dd>{ &instance.instance_type }</dd>
                <dt>{ "Availability Zone" }</dt><dd>{ &zone.availability_zone }</dd>
                if let Some(cp) = &group.capacity_provider { <dt>{ "Capacity provider" }</dt><dd>{ cp }</dd> }
                <dt>{ "Status" }</dt><dd>{ instance.status.as_str() }{ if instance.agent_connected { "" } else { ", agent disconnected" } }</dd>
                <dt>{ "CPU reserved" }</dt><dd>{ format!("{} of {} units", instance.reserved_cpu, instance.cpu) }</dd>
                <dt>{ "Memory reserved" }</dt><dd>{ format!("{} of {} MiB", instance.reserved_memory, instance.memory) }</dd>
                <dt>{ "Tasks" }</dt><dd>{ count(instance.tasks.len(), "task", "tasks") }</dd>
            </dl>
            <p class="explain-hint">{ "Select one of its tasks on the map to see why it was placed here." }</p>
        </div>
    }
}
