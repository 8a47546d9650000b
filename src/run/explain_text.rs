//! A plain-text explain view over the engine's explanations, used until the
//! cluster-map helper's explain panel takes over: it shows the engine's own
//! fields (summaries, checks, the min/max arithmetic) as text.

use ecs_engine::sim::core::format_time;
use ecs_engine::sim::playback::{DeploymentExplanation, TaskExplanation};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TaskExplainerProps {
    pub explanation: Option<TaskExplanation>,
}

#[function_component(TaskExplainer)]
pub fn task_explainer(props: &TaskExplainerProps) -> Html {
    match &props.explanation {
        None => html! { <p class="empty">{ "No explanation for this task at this moment." }</p> },
        Some(TaskExplanation::Placed {
            instance_id,
            placed_at,
            approximation,
            ..
        }) => html! { <>
            <p class="explain-summary" data-testid="explain-summary">{ format!("Placed on {instance_id} at {}.", format_time(*placed_at)) }</p>
            if let Some(note) = approximation { <p class="approximation">{ format!("Approximation: {note}") }</p> }
        </> },
        Some(TaskExplanation::Pending {
            summary,
            ecs_event,
            checks,
        }) => html! { <>
            <p class="explain-summary" data-testid="explain-summary">{ summary }</p>
            if let Some(event) = ecs_event { <p class="panel-note">{ format!("ECS says: {event}") }</p> }
            if !checks.is_empty() { <ul class="arithmetic">{ for checks.iter().map(|c| html! { <li>{ c }</li> }) }</ul> }
        </> },
        Some(TaskExplanation::Fargate { summary }) => html! {
            <p class="explain-summary" data-testid="explain-summary">{ summary }</p>
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct DeploymentExplainerProps {
    pub explanation: Option<DeploymentExplanation>,
}

#[function_component(DeploymentExplainer)]
pub fn deployment_explainer(props: &DeploymentExplainerProps) -> Html {
    let Some(e) = &props.explanation else {
        return html! { <p class="empty">{ "No explanation for this deployment at this moment." }</p> };
    };
    html! { <>
        <p class="explain-summary" data-testid="explain-summary">
            { format!("It may start {} and stop {} task(s) now: at least {} must stay healthy and at most {} may run or be pending (desired {}, minimumHealthyPercent {}, maximumPercent {}).",
                e.may_start_now, e.may_stop_now, e.minimum_healthy_tasks, e.maximum_tasks, e.desired, e.minimum_healthy_percent, e.maximum_percent) }
        </p>
        <ul class="arithmetic">{ for e.arithmetic.iter().map(|a| html! { <li>{ a }</li> }) }</ul>
        if let Some(cb) = &e.circuit_breaker {
            <p>{ format!("Circuit breaker: {} of {} failed tasks ({})", cb.failed, cb.threshold, cb.formula) }</p>
        }
        { for e.approximations.iter().map(|a| html! { <p class="approximation">{ format!("Approximation: {a}") }</p> }) }
    </> }
}
