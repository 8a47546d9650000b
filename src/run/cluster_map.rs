//! The cluster map: instances by cluster, Availability Zone and capacity
//! provider, each with its reservation bars and its tasks, plus Fargate lanes
//! and the tasks waiting for placement. Small scopes draw one card per
//! instance; large ones a canvas heat map (see `heat`). The user zooms into a
//! zone or an instance, with the mouse or the keyboard. A table of the same
//! data is the text alternative.

pub mod cells;
pub mod heat;
mod table;

use std::collections::HashSet;
use std::rc::Rc;

use yew::prelude::*;

use cells::{task_cell, usage_bar, CellContext};
use ecs_engine::place::InstanceStatus;
use ecs_engine::sim::playback::{
    ClusterView, Frame, InstanceGroupView, InstanceView, ServiceView, TaskCell, ZoneView,
};
use ecs_engine::sim::state::DeploymentStatus;
use heat::HeatMap;
use table::MapTable;

/// What the user asked to look at or explain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    Task(String),
    Instance(String),
    Deployment {
        service: String,
        deployment_id: String,
    },
    /// A service's next task, which ECS could not place (it exists only as a shortfall).
    Unplaced {
        service: String,
    },
}

/// How much of the cluster the map shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Zoom {
    All,
    Zone {
        cluster: String,
        zone: String,
    },
    Instance {
        cluster: String,
        zone: String,
        id: String,
    },
}

/// Scopes with at most this many instances draw one card per instance; more
/// than that and the cards would be too small to read, so the heat map takes over.
pub const CARD_LIMIT: usize = 60;

/// Lanes (waiting, Fargate) show at most this many task cells; the rest are counted
/// and listed in the table.
pub const LANE_LIMIT: usize = 120;

#[derive(Properties)]
pub struct ClusterMapProps {
    pub frame: Rc<Frame>,
    #[prop_or_default]
    pub selected: Option<String>,
    pub on_select: Callback<Selection>,
}

/// Frames are compared by identity: a new frame from the engine is a new Rc,
/// and comparing 5,000 instances field by field on every render would cost more than drawing them.
impl PartialEq for ClusterMapProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.frame, &other.frame)
            && self.selected == other.selected
            && self.on_select == other.on_select
    }
}

#[function_component(ClusterMap)]
pub fn cluster_map(props: &ClusterMapProps) -> Html {
    let zoom = use_state(|| Zoom::All);
    let table_open = use_state(|| false);
    let frame = &props.frame;

    let set_zoom = {
        let zoom = zoom.clone();
        Callback::from(move |z: Zoom| zoom.set(z))
    };
    let current = CellContext::new(frame);
    let ctx = MapContext {
        frame: frame.clone(),
        cells: Rc::new(current),
        selected: props.selected.clone(),
        on_select: props.on_select.clone(),
        set_zoom: set_zoom.clone(),
    };

    let instance_count: usize = frame
        .clusters
        .iter()
        .map(|c| instances_in(c.zones.iter()).count())
        .sum();
    let body = match &*zoom {
        Zoom::All => {
            let many = frame.clusters.len() > 1;
            frame
                .clusters
                .iter()
                .enumerate()
                .map(|(ci, cluster)| cluster_section(&ctx, ci, cluster, many))
                .collect::<Html>()
        }
        Zoom::Zone { cluster, zone } => match find_zone(frame, cluster, zone) {
            Some((ci, zi, z)) => zone_section(&ctx, ci, zi, z, true),
            None => gone(
                &format!("{zone} has no instances or Fargate tasks at this time."),
                &set_zoom,
            ),
        },
        Zoom::Instance { cluster, id, .. } => match find_instance(frame, cluster, id) {
            Some(instance) => html! {
                <div class="map-instance-zoom">{ instance_card(&ctx, instance, true) }</div>
            },
            None => gone(
                &format!("Instance {id} is not in the cluster at this time."),
                &set_zoom,
            ),
        },
    };

    let toggle_table = {
        let table_open = table_open.clone();
        Callback::from(move |_: MouseEvent| table_open.set(!*table_open))
    };
    let waiting = waiting_lane(&ctx, &frame.unplaced);
    html! {
        <section class="cluster-map" aria-labelledby="cluster-map-heading" data-testid="cluster-map">
            <div class="map-head">
                <h2 id="cluster-map-heading">{ "Cluster map" }</h2>
                <p class="map-summary" data-testid="map-summary">{ summary(frame, instance_count) }</p>
                <Legend />
            </div>
            { breadcrumbs(&zoom, &set_zoom) }
            { waiting }
            <div class="map-body">{ body }</div>
            <div class="map-table-toggle">
                <button type="button" class="map-button" aria-expanded={(*table_open).to_string()}
                    aria-controls="cluster-map-table" onclick={toggle_table}>
                    { if *table_open { "Hide the table" } else { "Show the map as a table" } }
                </button>
            </div>
            if *table_open {
                <MapTable frame={frame.clone()} zoom={(*zoom).clone()} selected={props.selected.clone()}
                    on_select={props.on_select.clone()} set_zoom={set_zoom.clone()} />
            }
        </section>
    }
}

/// What every part of the map needs to draw itself and report clicks.
#[derive(Clone)]
struct MapContext {
    frame: Rc<Frame>,
    cells: Rc<CellContext>,
    selected: Option<String>,
    on_select: Callback<Selection>,
    set_zoom: Callback<Zoom>,
}

fn summary(frame: &Frame, instances: usize) -> String {
    let placed: usize = frame
        .clusters
        .iter()
        .flat_map(|c| c.zones.iter())
        .map(|z| {
            z.fargate.len()
                + z.groups
                    .iter()
                    .flat_map(|g| g.instances.iter())
                    .map(|i| i.tasks.len())
                    .sum::<usize>()
        })
        .sum();
    let mut parts = vec![
        count(instances, "EC2 instance", "EC2 instances"),
        count(placed, "task placed", "tasks placed"),
    ];
    if !frame.unplaced.is_empty() {
        parts.push(count(frame.unplaced.len(), "task waiting", "tasks waiting"));
    }
    for cluster in &frame.clusters {
        parts.push(format!(
            "{}: CPU {:.0}% and memory {:.0}% reserved",
            cluster.name, cluster.reserved_cpu_percent, cluster.reserved_memory_percent
        ));
    }
    parts.join(" · ")
}

pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", thousands(n))
    }
}

pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn instances_in<'a>(
    zones: impl Iterator<Item = &'a ZoneView>,
) -> impl Iterator<Item = &'a InstanceView> {
    zones.flat_map(|z| z.groups.iter().flat_map(|g| g.instances.iter()))
}

fn find_zone<'a>(
    frame: &'a Frame,
    cluster: &str,
    zone: &str,
) -> Option<(usize, usize, &'a ZoneView)> {
    let (ci, c) = frame
        .clusters
        .iter()
        .enumerate()
        .find(|(_, c)| c.name == cluster)?;
    let (zi, z) = c
        .zones
        .iter()
        .enumerate()
        .find(|(_, z)| z.availability_zone == zone)?;
    Some((ci, zi, z))
}

fn find_instance<'a>(frame: &'a Frame, cluster: &str, id: &str) -> Option<&'a InstanceView> {
    let c = frame.clusters.iter().find(|c| c.name == cluster)?;
    instances_in(c.zones.iter()).find(|i| i.id == id)
}

fn gone(message: &str, set_zoom: &Callback<Zoom>) -> Html {
    let back = {
        let set_zoom = set_zoom.clone();
        Callback::from(move |_: MouseEvent| set_zoom.emit(Zoom::All))
    };
    html! {
        <p class="map-gone">{ message }{ " " }
            <button type="button" class="map-link" onclick={back}>{ "Show the whole cluster" }</button>
        </p>
    }
}

fn breadcrumbs(zoom: &Zoom, set_zoom: &Callback<Zoom>) -> Html {
    let to = |z: Zoom| {
        let set_zoom = set_zoom.clone();
        Callback::from(move |_: MouseEvent| set_zoom.emit(z.clone()))
    };
    let crumbs = match zoom {
        Zoom::All => return html! {},
        Zoom::Zone { zone, .. } => html! {
            <>
                <li><button type="button" class="map-link" onclick={to(Zoom::All)}>{ "All zones" }</button></li>
                <li aria-current="location">{ zone }</li>
            </>
        },
        Zoom::Instance { cluster, zone, id } => html! {
            <>
                <li><button type="button" class="map-link" onclick={to(Zoom::All)}>{ "All zones" }</button></li>
                <li><button type="button" class="map-link"
                    onclick={to(Zoom::Zone { cluster: cluster.clone(), zone: zone.clone() })}>{ zone }</button></li>
                <li aria-current="location">{ id }</li>
            </>
        },
    };
    html! { <nav class="map-crumbs" aria-label="Map zoom"><ol>{ crumbs }</ol></nav> }
}

fn cluster_section(ctx: &MapContext, ci: usize, cluster: &ClusterView, titled: bool) -> Html {
    let instances = instances_in(cluster.zones.iter()).count();
    let heat = instances > CARD_LIMIT;
    html! {
        <div class={classes!("map-cluster", heat.then_some("map-heat-mode"))}>
            if titled { <h3 class="map-cluster-name">{ &cluster.name }</h3> }
            if cluster.zones.is_empty() {
                <p class="map-empty">{ "No instances are registered in this cluster yet." }</p>
            }
            <div class="map-zones">
                { for cluster.zones.iter().enumerate().map(|(zi, z)| zone_section(ctx, ci, zi, z, false)) }
            </div>
        </div>
    }
}

fn zone_section(ctx: &MapContext, ci: usize, zi: usize, zone: &ZoneView, zoomed: bool) -> Html {
    let cluster = ctx
        .frame
        .clusters
        .get(ci)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let instances = instances_in(std::iter::once(zone)).count();
    let tasks: usize = instances_in(std::iter::once(zone))
        .map(|i| i.tasks.len())
        .sum::<usize>()
        + zone.fargate.len();
    let heat = instances > CARD_LIMIT;
    let zoom_in = (!zoomed).then(|| {
        let (set_zoom, z) = (
            ctx.set_zoom.clone(),
            Zoom::Zone {
                cluster: cluster.clone(),
                zone: zone.availability_zone.clone(),
            },
        );
        let onclick = Callback::from(move |_: MouseEvent| set_zoom.emit(z.clone()));
        html! {
            <button type="button" class="map-button map-zoom" onclick={onclick}>
                { "Zoom in" }<span class="visually-hidden">{ format!(" to {}", zone.availability_zone) }</span>
            </button>
        }
    });
    let heading_id = format!("map-zone-{ci}-{zi}");
    html! {
        <section class={classes!("map-zone", heat.then_some("heat"), zoomed.then_some("zoomed"))} aria-labelledby={heading_id.clone()}>
            <div class="map-zone-head">
                <h3 id={heading_id}>{ &zone.availability_zone }</h3>
                <span class="map-zone-counts">{ format!("{} · {}", count(instances, "instance", "instances"), count(tasks, "task", "tasks")) }</span>
                { for zoom_in }
            </div>
            { for zone.groups.iter().enumerate().filter(|(_, g)| !g.instances.is_empty()).map(|(gi, g)| group_view(ctx, ci, zi, gi, g, &cluster, &zone.availability_zone, heat)) }
            if !zone.fargate.is_empty() {
                { lane(ctx, "Fargate", "map-lane fargate", &zone.fargate) }
            }
        </section>
    }
}

#[allow(clippy::too_many_arguments)]
fn group_view(
    ctx: &MapContext,
    ci: usize,
    zi: usize,
    gi: usize,
    group: &InstanceGroupView,
    cluster: &str,
    zone: &str,
    heat: bool,
) -> Html {
    let label = group.capacity_provider.as_ref().map(|cp| html! {
        <h4 class="map-group-name"><span class="map-group-kind">{ "Capacity provider" }</span>{ cp }</h4>
    });
    let body = if heat {
        let open = {
            let (set_zoom, on_select, cluster, zone) = (
                ctx.set_zoom.clone(),
                ctx.on_select.clone(),
                cluster.to_string(),
                zone.to_string(),
            );
            Callback::from(move |id: String| {
                on_select.emit(Selection::Instance(id.clone()));
                set_zoom.emit(Zoom::Instance {
                    cluster: cluster.clone(),
                    zone: zone.clone(),
                    id,
                });
            })
        };
        html! {
            <HeatMap frame={ctx.frame.clone()} cells={ctx.cells.clone()} cluster={ci} zone={zi} group={gi}
                selected={ctx.selected.clone()} on_open={open} />
        }
    } else {
        html! {
            <ul class="map-instances">
                { for group.instances.iter().map(|i| html! { <li key={i.id.clone()}>{ instance_card(ctx, i, false) }</li> }) }
            </ul>
        }
    };
    html! { <div class="map-group">{ for label }{ body }</div> }
}

fn instance_card(ctx: &MapContext, instance: &InstanceView, zoomed: bool) -> Html {
    // Only the card holding the selected task hears about the selection, so
    // selecting re-renders two cards, not all of them.
    let selected = ctx
        .selected
        .as_ref()
        .filter(|s| instance.tasks.iter().any(|t| &t.id == *s))
        .cloned();
    html! {
        <InstanceCard instance={instance.clone()} cells={ctx.cells.clone()}
            {selected} on_select={ctx.on_select.clone()} {zoomed} />
    }
}

#[derive(Properties, PartialEq)]
struct InstanceCardProps {
    instance: InstanceView,
    /// Compared by value: it changes only when a deployment changes state.
    cells: Rc<CellContext>,
    selected: Option<String>,
    on_select: Callback<Selection>,
    zoomed: bool,
}

/// One instance: its id, type, status, reservation bars and task cells. A
/// component so that an unchanged instance is not re-rendered on each frame.
#[function_component(InstanceCard)]
fn instance_card_view(props: &InstanceCardProps) -> Html {
    let instance = &props.instance;
    let status = (instance.status != InstanceStatus::Active).then(|| html! {
        <span class={classes!("map-status", format!("status-{}", instance.status.as_str().to_ascii_lowercase()))}>{ instance.status.as_str() }</span>
    });
    let agent = (!instance.agent_connected).then(|| {
        html! {
            <span class="map-status status-disconnected">{ "agent disconnected" }</span>
        }
    });
    let select_instance = {
        let (on_select, id) = (props.on_select.clone(), instance.id.clone());
        Callback::from(move |_: MouseEvent| on_select.emit(Selection::Instance(id.clone())))
    };
    let tasks_label = format!("Tasks on {}", instance.id);
    html! {
        <article class={classes!("map-instance", props.selected.is_some().then_some("holds-selected"), props.zoomed.then_some("zoomed"),
            (instance.status != InstanceStatus::Active || !instance.agent_connected).then_some("unusual"))}
            data-instance-id={instance.id.clone()} aria-label={format!("Instance {}", instance.id)}>
            <div class="map-instance-head">
                <button type="button" class="map-instance-id" onclick={select_instance}
                    title={format!("Select instance {}", instance.id)}>{ &instance.short_id }</button>
                <span class="map-instance-type">{ &instance.instance_type }</span>
                { for status }{ for agent }
            </div>
            { usage_bar("CPU", instance.reserved_cpu, instance.cpu, "") }
            { usage_bar("Mem", instance.reserved_memory, instance.memory, " MiB") }
            <ul class="map-cells" aria-label={tasks_label}>
                { for instance.tasks.iter().map(|t| html! { <li key={t.id.clone()}>{ task_cell(&props.cells, t, props.selected.as_deref(), &props.on_select) }</li> }) }
            </ul>
            if instance.tasks.is_empty() { <p class="map-no-tasks">{ "no tasks" }</p> }
        </article>
    }
}

/// Tasks that exist but have no instance yet, and services whose tasks ECS
/// has not started (the scheduler places a service's task only when it fits,
/// so those have no task to show: the service's counts stand in for them).
fn waiting_lane(ctx: &MapContext, tasks: &[TaskCell]) -> Html {
    let short: Vec<&ServiceView> = ctx
        .frame
        .services
        .iter()
        .filter(|s| s.running + s.pending < s.desired)
        .collect();
    if tasks.is_empty() && short.is_empty() {
        return html! {};
    }
    let services = short.iter().map(|s| {
        let (on_select, service) = (ctx.on_select.clone(), s.name.clone());
        let onclick = Callback::from(move |_: MouseEvent| on_select.emit(Selection::Unplaced { service: service.clone() }));
        let selected = ctx.selected.as_deref() == Some(unplaced_key(&s.name).as_str());
        html! {
            <li>
                <button type="button" class={classes!("map-shortfall", selected.then_some("selected"))} {onclick}
                    aria-pressed={selected.to_string()}>
                    <span class={classes!("cell", format!("svc-{}", s.service_index % cells::PALETTE), "st-starting")} aria-hidden="true"></span>
                    <span class="map-shortfall-text">{ format!("{}: desired {}, running {}, pending {}", s.name, s.desired, s.running, s.pending) }</span>
                    <span class="map-shortfall-why">{ "Why?" }</span>
                </button>
            </li>
        }
    });
    html! {
        <div class="map-waiting" data-testid="map-waiting">
            if !short.is_empty() {
                <div class="map-lane waiting">
                    <span class="map-lane-title">{ "Not at desired count" }</span>
                    <ul class="map-shortfalls">{ for services }</ul>
                </div>
            }
            if !tasks.is_empty() { { lane(ctx, "Waiting for placement", "map-lane waiting", tasks) } }
        </div>
    }
}

/// The `selected` value the page passes while a service's shortfall is explained.
pub fn unplaced_key(service: &str) -> String {
    format!("unplaced:{service}")
}

fn lane(ctx: &MapContext, title: &str, class: &str, tasks: &[TaskCell]) -> Html {
    let shown = tasks.len().min(LANE_LIMIT);
    let more = tasks.len() - shown;
    html! {
        <div class={class.to_string()}>
            <span class="map-lane-title">{ format!("{title} ({})", thousands(tasks.len())) }</span>
            <ul class="map-cells" aria-label={title.to_string()}>
                { for tasks[..shown].iter().map(|t| html! { <li>{ task_cell(&ctx.cells, t, ctx.selected.as_deref(), &ctx.on_select) }</li> }) }
            </ul>
            if more > 0 { <span class="map-more">{ format!("and {} more (see the table)", thousands(more)) }</span> }
        </div>
    }
}

/// The key to the colours, patterns and marks on the map.
#[function_component(Legend)]
fn legend() -> Html {
    html! {
        <details class="map-legend">
            <summary>{ "Legend" }</summary>
            <ul>
                <li><span class="cell svc-0 st-running" aria-hidden="true"></span>{ "Running, current deployment (colour = service)" }</li>
                <li><span class="cell svc-0 st-running old" aria-hidden="true"></span>{ "Striped: an older deployment or revision" }</li>
                <li><span class="cell svc-0 st-starting" aria-hidden="true"></span>{ "Hollow: provisioning, pending or activating" }</li>
                <li><span class="cell svc-0 st-stopping" aria-hidden="true"></span>{ "Faded with ↓: stopping" }</li>
                <li><span class="cell svc-0 st-running h-healthy" aria-hidden="true"></span>{ "✓ healthy" }</li>
                <li><span class="cell svc-0 st-running h-unhealthy" aria-hidden="true"></span>{ "! unhealthy (red ring)" }</li>
                <li><span class="legend-heat" aria-hidden="true"></span>{ "In the heat map each square is one instance; its fill is its tasks" }</li>
            </ul>
        </details>
    }
}

/// Tasks of the deployments that are not PRIMARY (old revisions) are drawn striped.
pub(crate) fn primary_deployments(frame: &Frame) -> HashSet<String> {
    frame
        .services
        .iter()
        .flat_map(|s| s.deployments.iter())
        .filter(|d| d.status == DeploymentStatus::Primary)
        .map(|d| d.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (5000, "5,000"),
            (1234567, "1,234,567"),
        ] {
            assert_eq!(thousands(n), text);
        }
    }
}
