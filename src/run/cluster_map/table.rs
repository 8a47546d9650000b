//! The map as a table: the text alternative, with the same scope as the map's
//! zoom. One row per instance, then a row per Fargate lane and the waiting
//! tasks; a page holds 100 rows so that 5,000 instances stay quick.

use std::rc::Rc;

use yew::prelude::*;

use super::cells::{task_label, CellContext};
use super::{thousands, Selection, Zoom};
use crate::run::events::short_id;
use ecs_engine::sim::playback::{Frame, InstanceView, TaskCell};
use ecs_engine::sim::state::HealthStatus;

const PAGE: usize = 100;

#[derive(Properties)]
pub struct MapTableProps {
    pub frame: Rc<Frame>,
    pub zoom: Zoom,
    pub selected: Option<String>,
    pub on_select: Callback<Selection>,
    pub set_zoom: Callback<Zoom>,
}

impl PartialEq for MapTableProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.frame, &other.frame)
            && self.zoom == other.zoom
            && self.selected == other.selected
            && self.on_select == other.on_select
            && self.set_zoom == other.set_zoom
    }
}

enum Row<'a> {
    Instance {
        cluster: &'a str,
        zone: &'a str,
        provider: Option<&'a str>,
        instance: &'a InstanceView,
    },
    Lane {
        zone: &'a str,
        title: &'static str,
        tasks: &'a [TaskCell],
    },
}

fn rows<'a>(frame: &'a Frame, zoom: &Zoom) -> Vec<Row<'a>> {
    let mut out = Vec::new();
    for cluster in &frame.clusters {
        for zone in &cluster.zones {
            let zone_in_scope = match zoom {
                Zoom::All => true,
                Zoom::Zone {
                    cluster: c,
                    zone: z,
                }
                | Zoom::Instance {
                    cluster: c,
                    zone: z,
                    ..
                } => *c == cluster.name && *z == zone.availability_zone,
            };
            if !zone_in_scope {
                continue;
            }
            for group in &zone.groups {
                for instance in &group.instances {
                    if let Zoom::Instance { id, .. } = zoom {
                        if *id != instance.id {
                            continue;
                        }
                    }
                    out.push(Row::Instance {
                        cluster: &cluster.name,
                        zone: &zone.availability_zone,
                        provider: group.capacity_provider.as_deref(),
                        instance,
                    });
                }
            }
            if !zone.fargate.is_empty() && !matches!(zoom, Zoom::Instance { .. }) {
                out.push(Row::Lane {
                    zone: &zone.availability_zone,
                    title: "Fargate",
                    tasks: &zone.fargate,
                });
            }
        }
    }
    if !frame.unplaced.is_empty() {
        out.push(Row::Lane {
            zone: "—",
            title: "Waiting for placement",
            tasks: &frame.unplaced,
        });
    }
    out
}

#[function_component(MapTable)]
pub fn map_table(props: &MapTableProps) -> Html {
    let page = use_state(|| 0usize);
    let cells = CellContext::new(&props.frame);
    let all = rows(&props.frame, &props.zoom);
    let pages = all.len().div_ceil(PAGE).max(1);
    let current = (*page).min(pages - 1);
    let shown = all.iter().skip(current * PAGE).take(PAGE);

    let task_buttons = |tasks: &[TaskCell]| -> Html {
        let listed = tasks.len().min(12);
        html! {
            <>
                { for tasks[..listed].iter().map(|t| {
                    let (on_select, id) = (props.on_select.clone(), t.id.clone());
                    let onclick = Callback::from(move |_: MouseEvent| on_select.emit(Selection::Task(id.clone())));
                    let label = task_label(&cells, t);
                    html! {
                        <button type="button" class="map-link map-table-task" aria-label={format!("Explain {label}")}
                            aria-pressed={(props.selected.as_deref() == Some(t.id.as_str())).to_string()} {onclick}>
                            { format!("{} {}{}", short_id(&t.id), t.last_status.as_str(),
                                if t.health == HealthStatus::Unhealthy { " unhealthy" } else { "" }) }
                        </button>
                    }
                }) }
                if tasks.len() > listed { <span class="map-more">{ format!("and {} more", thousands(tasks.len() - listed)) }</span> }
            </>
        }
    };

    let body = shown.map(|row| match row {
        Row::Instance { cluster, zone, provider, instance } => {
            let zoom_to = {
                let (set_zoom, on_select) = (props.set_zoom.clone(), props.on_select.clone());
                let z = Zoom::Instance { cluster: cluster.to_string(), zone: zone.to_string(), id: instance.id.clone() };
                let id = instance.id.clone();
                Callback::from(move |_: MouseEvent| {
                    on_select.emit(Selection::Instance(id.clone()));
                    set_zoom.emit(z.clone());
                })
            };
            let status = if instance.agent_connected {
                instance.status.as_str().to_string()
            } else {
                format!("{} (agent disconnected)", instance.status.as_str())
            };
            html! {
                <tr>
                    <td>{ *zone }</td>
                    <td>{ provider.unwrap_or("—") }</td>
                    <th scope="row">
                        <button type="button" class="map-link" onclick={zoom_to}
                            aria-label={format!("Show instance {} on the map", instance.short_id)} title={instance.id.clone()}>{ &instance.short_id }</button>
                    </th>
                    <td>{ &instance.instance_type }</td>
                    <td>{ status }</td>
                    <td class="num">{ format!("{} / {}", instance.reserved_cpu, instance.cpu) }</td>
                    <td class="num">{ format!("{} / {}", instance.reserved_memory, instance.memory) }</td>
                    <td>{ task_buttons(&instance.tasks) }</td>
                </tr>
            }
        }
        Row::Lane { zone, title, tasks } => html! {
            <tr class="map-table-lane">
                <td>{ *zone }</td>
                <td>{ "—" }</td>
                <th scope="row">{ format!("{title} ({})", thousands(tasks.len())) }</th>
                <td>{ "—" }</td><td>{ "—" }</td><td class="num">{ "—" }</td><td class="num">{ "—" }</td>
                <td>{ task_buttons(tasks) }</td>
            </tr>
        },
    });

    let go = |to: usize| {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| page.set(to))
    };
    html! {
        <div class="map-table-wrap" id="cluster-map-table">
            <table class="map-table" data-testid="cluster-map-table">
                <caption>{ format!("Instances and tasks at this time ({} rows)", thousands(all.len())) }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Zone" }</th><th scope="col">{ "Capacity provider" }</th>
                        <th scope="col">{ "Instance" }</th><th scope="col">{ "Type" }</th><th scope="col">{ "Status" }</th>
                        <th scope="col">{ "CPU reserved / registered" }</th><th scope="col">{ "Memory reserved / registered (MiB)" }</th>
                        <th scope="col">{ "Tasks" }</th>
                    </tr>
                </thead>
                <tbody>{ for body }</tbody>
            </table>
            if pages > 1 {
                <nav class="map-pager" aria-label="Table pages">
                    <button type="button" class="map-button" disabled={current == 0} onclick={go(current.saturating_sub(1))}>{ "Previous rows" }</button>
                    <span>{ format!("Page {} of {}", current + 1, pages) }</span>
                    <button type="button" class="map-button" disabled={current + 1 >= pages} onclick={go(current + 1)}>{ "Next rows" }</button>
                </nav>
            }
        </div>
    }
}
