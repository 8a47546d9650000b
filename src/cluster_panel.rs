//! The simulated cluster and where the task from the editor would be placed.

use ecs_engine::console::ShortIds;
use ecs_engine::place::{CandidateTrace, ContainerInstance, PlacementDecision};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ClusterPanelProps {
    pub instances: Vec<ContainerInstance>,
    pub decision: Option<PlacementDecision>,
    /// The task definition has errors, so nothing is placed.
    pub blocked: bool,
}

#[function_component(ClusterPanel)]
pub fn cluster_panel(props: &ClusterPanelProps) -> Html {
    let ids: Vec<&str> = props.instances.iter().map(|i| i.id.as_str()).collect();
    let ids = ShortIds::for_few(&ids);
    let summary = match (&props.decision, props.blocked) {
        (_, true) => {
            html! { <p class="placement-summary muted" data-testid="placement-summary">{ "Fix the errors to see where this task would be placed." }</p> }
        }
        (Some(d), _) => match (&d.chosen, &d.unplaced_reason) {
            (Some(id), _) => html! {
                <p class="placement-summary placed" data-testid="placement-summary">
                    { "Placed on " }<strong title={id.clone()}>{ ids.show(id) }</strong>{ format!(" by {}.", d.strategy) }
                </p>
            },
            (None, Some(reason)) => html! {
                <p class="placement-summary unplaced" data-testid="placement-summary">{ format!("service (web-app) {reason}") }</p>
            },
            (None, None) => html! {},
        },
        (None, false) if props.instances.is_empty() => {
            html! { <p class="placement-summary muted" data-testid="placement-summary">{ "Add a cluster with instance groups to see where this task would be placed." }</p> }
        }
        (None, false) => {
            html! { <p class="placement-summary muted" data-testid="placement-summary">{ "This form has no task-level requirements to place." }</p> }
        }
    };

    let cards = props.instances.iter().map(|instance| {
        let trace = props
            .decision
            .as_ref()
            .and_then(|d| d.candidates.iter().find(|c| c.instance_id == instance.id));
        let chosen = props.decision.as_ref().and_then(|d| d.chosen.as_ref()) == Some(&instance.id);
        instance_card(instance, ids.show(&instance.id), trace, chosen)
    });

    html! {
        <section class="panel cluster-panel" aria-labelledby="cluster-heading">
            <div class="panel-head">
                <h2 id="cluster-heading">{ "Cluster" }</h2>
                <span class="form-tag" title="The instances of the workspace's cluster">{ format!("{} EC2 instance{}", props.instances.len(), if props.instances.len() == 1 { "" } else { "s" }) }</span>
            </div>
            { summary }
            <ul class="instances" data-testid="instances">{ for cards }</ul>
            <p class="footnote">{ "Each instance goes through ECS's placement checks in order, with their numbers; those that pass are ranked by the strategy. Registered memory is an approximation of what ECS registers." }</p>
        </section>
    }
}

fn instance_card(
    instance: &ContainerInstance,
    short_id: &str,
    trace: Option<&CandidateTrace>,
    chosen: bool,
) -> Html {
    let checks = trace.map(|t| {
        t.checks
            .iter()
            .map(|c| {
                let class = if c.passed { "check pass" } else { "check fail" };
                let mark = if c.passed { "✓" } else { "✗" };
                html! {
                    <li class={class}>
                        <span class="check-mark" aria-hidden="true">{ mark }</span>
                        <span class="check-name">{ c.check.as_ref() }</span>
                        <span class="check-detail">{ c.detail.as_ref() }</span>
                    </li>
                }
            })
            .collect::<Html>()
    });
    html! {
        <li class={classes!("instance", chosen.then_some("chosen"))} data-instance-id={instance.id.clone()}>
            <div class="instance-head">
                <span class="instance-id" title={instance.id.clone()}>{ short_id }</span>
                if chosen { <span class="badge">{ "task placed here" }</span> }
            </div>
            <div class="instance-meta">{ format!("{} · {}", instance.instance_type, instance.availability_zone) }</div>
            { usage_bar("CPU", instance.used_cpu, instance.registered_cpu, "units") }
            { usage_bar("Memory", instance.used_memory, instance.registered_memory, "MiB") }
            if let Some(checks) = checks { <ul class="checks" aria-label={format!("Checks on {}", instance.id)}>{ checks }</ul> }
        </li>
    }
}

/// A reserved-versus-registered bar. Drawn in SVG so that the width is an
/// attribute, not an inline style (the page's Content-Security-Policy allows none).
fn usage_bar(label: &str, used: u32, registered: u32, unit: &str) -> Html {
    // The percentage in tenths, rounded, by integer arithmetic: a float's
    // `{:.1}` would bring core's float formatter (about 5 KB brotli) into
    // the first load for an SVG width.
    let tenths = if registered == 0 {
        0
    } else {
        (u64::from(used.min(registered)) * 1000 + u64::from(registered) / 2) / u64::from(registered)
    };
    let width = format!("{}.{}", tenths / 10, tenths % 10);
    let text = format!("{label}: {used} of {registered} {unit} reserved");
    html! {
        <div class="usage">
            <span class="usage-label">{ &text }</span>
            <svg class="usage-bar" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label={text.clone()}>
                <rect class="usage-track" x="0" y="0" width="100" height="6" rx="1" />
                <rect class="usage-fill" x="0" y="0" width={width} height="6" rx="1" />
            </svg>
        </div>
    }
}
