//! A deployment's state explained: the minimum and maximum arithmetic the
//! engine did (each step as it wrote it), how many tasks may start or stop
//! now, and the circuit breaker's count against its threshold.

use yew::prelude::*;

use super::approximation;
use ecs_engine::sim::playback::DeploymentExplanation;

pub fn deployment_explanation(
    service: &str,
    deployment_id: &str,
    e: &DeploymentExplanation,
) -> Html {
    let facts = [
        ("Desired tasks", e.desired.to_string()),
        (
            "minimumHealthyPercent",
            format!("{}%", e.minimum_healthy_percent),
        ),
        ("maximumPercent", format!("{}%", e.maximum_percent)),
        ("Must stay healthy", e.minimum_healthy_tasks.to_string()),
        ("May run at most", e.maximum_tasks.to_string()),
        ("Healthy now", e.healthy.to_string()),
        ("Running or pending now", e.running_or_pending.to_string()),
    ];
    html! {
        <div class="explain-deployment" data-testid="explain-deployment">
            <h3>{ format!("Deployment {deployment_id} of {service}") }</h3>
            <p class="explain-line"><span class="explain-key">{ "Status" }</span>{ format!("{}, rollout {}", e.status.as_str(), e.rollout_state.as_str()) }</p>
            <div class="explain-now">
                <p class="explain-big" data-testid="explain-may-start">
                    <span class="explain-big-number">{ e.may_start_now }</span>
                    <span>{ if e.may_start_now == 1 { "task may start now" } else { "tasks may start now" } }</span>
                </p>
                <p class="explain-big" data-testid="explain-may-stop">
                    <span class="explain-big-number">{ e.may_stop_now }</span>
                    <span>{ if e.may_stop_now == 1 { "task may stop now" } else { "tasks may stop now" } }</span>
                </p>
            </div>
            <dl class="explain-facts">
                { for facts.iter().map(|(k, v)| html! { <><dt>{ *k }</dt><dd>{ v }</dd></> }) }
            </dl>
            if !e.arithmetic.is_empty() {
                <h4>{ "The arithmetic" }</h4>
                <ol class="explain-arithmetic" data-testid="explain-arithmetic">
                    { for e.arithmetic.iter().map(|line| html! { <li><code>{ line }</code></li> }) }
                </ol>
            }
            if let Some(cb) = &e.circuit_breaker {
                <div class="explain-breaker" data-testid="explain-circuit-breaker">
                    <h4>{ "Deployment circuit breaker" }</h4>
                    <p>{ format!("{} failed task{} of a threshold of {}", cb.failed, if cb.failed == 1 { "" } else { "s" }, cb.threshold) }</p>
                    { breaker_meter(cb.failed, cb.threshold) }
                    <p class="explain-line"><code>{ &cb.formula }</code></p>
                    <p class="explain-line">{ if cb.rollback { "On failure ECS rolls back to the last completed deployment." } else { "Rollback is off: on failure the deployment is marked FAILED and stays." } }</p>
                </div>
            }
            { for e.approximations.iter().map(|a| approximation(a)) }
        </div>
    }
}

/// The failure count against the threshold, as an SVG meter (widths are attributes: the CSP allows those).
fn breaker_meter(failed: u32, threshold: u32) -> Html {
    let fraction = if threshold == 0 {
        1.0
    } else {
        (f64::from(failed) / f64::from(threshold)).min(1.0)
    };
    let tripped = threshold > 0 && failed >= threshold;
    html! {
        <svg class="explain-meter" viewBox="0 0 100 8" preserveAspectRatio="none" role="img"
            aria-label={format!("{failed} of {threshold} failures")}>
            <rect class="explain-meter-track" x="0" y="0" width="100" height="8" rx="2" />
            <rect class={classes!("explain-meter-fill", tripped.then_some("tripped"))} x="0" y="0"
                width={format!("{:.1}", fraction * 100.0)} height="8" rx="2" />
        </svg>
    }
}
