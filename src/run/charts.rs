//! The deployment timeline (running and pending per deployment, the desired,
//! minimum-healthy and maximum bands, event markers) and the cluster
//! reservation chart, in SVG with geometry in attributes; the same data as
//! tables beside them. Everything drawn comes from the recording's chart.

use ecs_engine::sim::core::format_time;
use ecs_engine::sim::playback::{
    DeploymentChart, Marker, MarkerKind, ReservationSeries, ServiceChart,
};
use wasm_bindgen::JsCast;
use yew::prelude::*;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 38.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 26.0;
/// Rows of a data table shown before the rest is summarised.
const TABLE_ROWS: usize = 400;

/// Maps virtual time and values into the chart's box.
#[derive(Clone, Copy)]
struct Scale {
    end: f64,
    top_value: f64,
    height: f64,
}

impl Scale {
    fn x(&self, at: u64) -> f64 {
        LEFT + (at as f64 / self.end.max(1.0)).clamp(0.0, 1.0) * (WIDTH - LEFT - RIGHT)
    }
    fn y(&self, value: f64) -> f64 {
        TOP + (1.0 - (value / self.top_value.max(1.0)).clamp(0.0, 1.0))
            * (self.height - TOP - BOTTOM)
    }
}

fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// A step line through `(at, value)` points, held to the end.
fn step_path(scale: Scale, points: impl Iterator<Item = (u64, f64)>, end: u64) -> String {
    let mut d = String::new();
    for (i, (at, value)) in points.enumerate() {
        let (x, y) = (scale.x(at), scale.y(value));
        if i == 0 {
            d.push_str(&format!("M{} {}", n(x), n(y)));
        } else {
            d.push_str(&format!(" H{} V{}", n(x), n(y)));
        }
    }
    if !d.is_empty() {
        d.push_str(&format!(" H{}", n(scale.x(end))));
    }
    d
}

/// Clicking the chart seeks to the time under the pointer.
fn seek_on_click(on_seek: Callback<u64>, end: u64) -> Callback<MouseEvent> {
    Callback::from(move |e: MouseEvent| {
        let Some(target) = e
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let rect = target.get_bounding_client_rect();
        if rect.width() <= 0.0 {
            return;
        }
        let x = (f64::from(e.client_x()) - rect.left()) / rect.width() * WIDTH;
        let fraction = ((x - LEFT) / (WIDTH - LEFT - RIGHT)).clamp(0.0, 1.0);
        on_seek.emit((fraction * end as f64) as u64);
    })
}

fn time_axis(scale: Scale, end: u64) -> Html {
    let ticks = (0..=4).map(|i| end / 4 * i);
    html! {
        <g>
            <line class="axis" x1={n(LEFT)} x2={n(WIDTH - RIGHT)} y1={n(scale.height - BOTTOM)} y2={n(scale.height - BOTTOM)} />
            { for ticks.map(|t| {
                let x = scale.x(t);
                let anchor = if t == 0 { "start" } else if t >= end { "end" } else { "middle" };
                html! { <text x={n(x)} y={n(scale.height - 8.0)} text-anchor={anchor}>{ format_time(t).trim_end_matches(".000").to_string() }</text> }
            }) }
        </g>
    }
}

fn value_axis(scale: Scale, top: u32, suffix: &str) -> Html {
    let values = [0, top / 2, top];
    html! {
        <g>
            { for values.iter().map(|v| {
                let y = scale.y(f64::from(*v));
                html! { <>
                    <line class="grid" x1={n(LEFT)} x2={n(WIDTH - RIGHT)} y1={n(y)} y2={n(y)} />
                    <text x={n(LEFT - 6.0)} y={n(y + 4.0)} text-anchor="end">{ format!("{v}{suffix}") }</text>
                </> }
            }) }
        </g>
    }
}

fn cursor(scale: Scale, at: u64) -> Html {
    let x = n(scale.x(at));
    html! { <line class="cursor" x1={x.clone()} x2={x} y1={n(TOP - 6.0)} y2={n(scale.height - BOTTOM)} /> }
}

fn marker_class(kind: &MarkerKind) -> &'static str {
    match kind {
        MarkerKind::DeploymentStarted => "marker marker-started",
        MarkerKind::CircuitBreakerFailure { .. } => "marker marker-failure",
        MarkerKind::RolledBack | MarkerKind::Failed => "marker marker-bad",
        MarkerKind::SteadyState => "marker marker-steady",
    }
}

pub fn marker_label(marker: &Marker) -> String {
    match &marker.kind {
        MarkerKind::CircuitBreakerFailure { failed, threshold } => {
            format!("{} (circuit breaker {failed} of {threshold})", marker.text)
        }
        _ => marker.text.clone(),
    }
}

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub chart: ServiceChart,
    pub markers: Vec<Marker>,
    pub end: u64,
    pub at: u64,
    pub on_seek: Callback<u64>,
}

/// One service's deployment timeline.
#[function_component(DeploymentTimeline)]
pub fn deployment_timeline(props: &TimelineProps) -> Html {
    let chart = &props.chart;
    let end = props.end;
    let top = chart
        .bands
        .iter()
        .map(|b| b.maximum.max(b.desired))
        .chain(chart.deployments.iter().flat_map(|d| {
            d.points
                .iter()
                .map(|p| (p.running + p.pending).max(p.failed))
        }))
        .max()
        .unwrap_or(1)
        .max(1);
    // Headroom above the highest line, rounded to an even number so the
    // middle grid line falls on a whole task.
    let top = (top + top.div_ceil(8)).next_multiple_of(2);
    let scale = Scale {
        end: end as f64,
        top_value: f64::from(top),
        height: HEIGHT,
    };
    // The band between minimum healthy and maximum, as one closed step shape.
    let band = {
        let upper = step_path(
            scale,
            chart.bands.iter().map(|b| (b.at, f64::from(b.maximum))),
            end,
        );
        let lower: Vec<(u64, f64)> = chart
            .bands
            .iter()
            .map(|b| (b.at, f64::from(b.minimum_healthy)))
            .collect();
        let mut back = String::new();
        if let Some(last) = lower.last() {
            back.push_str(&format!(" V{}", n(scale.y(last.1))));
            for (i, (at, value)) in lower.iter().enumerate().rev() {
                back.push_str(&format!(" H{} V{}", n(scale.x(*at)), n(scale.y(*value))));
                if let Some(previous) = i.checked_sub(1).and_then(|p| lower.get(p)) {
                    back.push_str(&format!(" V{}", n(scale.y(previous.1))));
                }
            }
            back.push_str(" Z");
        }
        if upper.is_empty() {
            String::new()
        } else {
            format!("{upper}{back}")
        }
    };
    let maximum = step_path(
        scale,
        chart.bands.iter().map(|b| (b.at, f64::from(b.maximum))),
        end,
    );
    let minimum = step_path(
        scale,
        chart
            .bands
            .iter()
            .map(|b| (b.at, f64::from(b.minimum_healthy))),
        end,
    );
    let desired = step_path(
        scale,
        chart.bands.iter().map(|b| (b.at, f64::from(b.desired))),
        end,
    );
    let label = format!(
        "Deployment timeline of {}: running and pending tasks per deployment over virtual time, with the desired count and the minimum-healthy to maximum band. The same data is in the table below.",
        chart.service
    );
    html! {
        <figure class="chart-figure">
            <svg class="chart" viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" aria-label={label}
                onclick={seek_on_click(props.on_seek.clone(), end)} data-testid="deployment-chart">
                { value_axis(scale, top, "") }
                <path class="band" d={band} />
                <path class="band-edge" d={maximum} />
                <path class="band-edge" d={minimum} />
                <path class="desired" d={desired} />
                { for chart.deployments.iter().enumerate().map(|(i, d)| {
                    let class = format!("series-{}", i % 5);
                    let running = step_path(scale, d.points.iter().map(|p| (p.at, f64::from(p.running))), end);
                    let pending = step_path(scale, d.points.iter().map(|p| (p.at, f64::from(p.pending))), end);
                    // failedTasks, the circuit breaker's count, where it ever rose.
                    let failed = d.points.iter().any(|p| p.failed > 0).then(|| step_path(scale, d.points.iter().map(|p| (p.at, f64::from(p.failed))), end));
                    html! { <g>
                        <path class={classes!("running", class.clone())} d={running} />
                        <path class={classes!("pending", class)} d={pending} />
                        if let Some(failed) = failed {
                            <path class="failed" d={failed} data-testid="failed-series" />
                        }
                    </g> }
                }) }
                { for props.markers.iter().map(|m| {
                    let x = n(scale.x(m.at));
                    html! { <g class={marker_class(&m.kind)}>
                        <title>{ format!("{} — {}", format_time(m.at), marker_label(m)) }</title>
                        <line x1={x.clone()} x2={x.clone()} y1={n(TOP)} y2={n(HEIGHT - BOTTOM)} stroke-dasharray="2 2" />
                        <circle cx={x} cy={n(TOP - 4.0)} r="4" />
                    </g> }
                }) }
                { time_axis(scale, end) }
                { cursor(scale, props.at) }
            </svg>
            <ul class="legend">
                { for chart.deployments.iter().enumerate().map(|(i, d)| html! {
                    <li><span class={classes!("legend-swatch", format!("swatch-{}", i % 5))}></span>{ format!("{}:{} running (dotted: pending)", family(&d.task_definition), d.revision) }</li>
                }) }
                if chart.deployments.iter().any(|d| d.points.iter().any(|p| p.failed > 0)) {
                    <li><span class="legend-swatch swatch-failed"></span>{ "failed tasks (the circuit breaker's count)" }</li>
                }
                <li><span class="legend-swatch swatch-desired"></span>{ "desired" }</li>
                <li><span class="legend-swatch swatch-band"></span>{ "minimum healthy to maximum" }</li>
            </ul>
            <details class="chart-data">
                <summary>{ format!("Timeline of {} as a table", chart.service) }</summary>
                <table class="data-table">
                    <caption class="visually-hidden">{ format!("Tasks per deployment of {} over time", chart.service) }</caption>
                    <thead><tr><th>{ "Time" }</th><th>{ "Deployment" }</th><th class="num">{ "Running" }</th><th class="num">{ "Pending" }</th><th class="num">{ "Failed" }</th></tr></thead>
                    <tbody>
                        { for chart.deployments.iter().flat_map(|d| d.points.iter().map(move |p| (d, p))).take(TABLE_ROWS).map(|(d, p)| html! {
                            <tr><td>{ format_time(p.at) }</td><td>{ format!("{}:{}", family(&d.task_definition), d.revision) }</td>
                                <td class="num">{ p.running }</td><td class="num">{ p.pending }</td><td class="num">{ p.failed }</td></tr>
                        }) }
                    </tbody>
                </table>
                <table class="data-table">
                    <caption class="visually-hidden">{ "Desired, minimum healthy and maximum tasks over time" }</caption>
                    <thead><tr><th>{ "Time" }</th><th class="num">{ "Desired" }</th><th class="num">{ "Minimum healthy" }</th><th class="num">{ "Maximum" }</th></tr></thead>
                    <tbody>
                        { for chart.bands.iter().take(TABLE_ROWS).map(|b| html! {
                            <tr><td>{ format_time(b.at) }</td><td class="num">{ b.desired }</td><td class="num">{ b.minimum_healthy }</td><td class="num">{ b.maximum }</td></tr>
                        }) }
                    </tbody>
                </table>
                <table class="data-table">
                    <caption class="visually-hidden">{ "Markers" }</caption>
                    <thead><tr><th>{ "Time" }</th><th>{ "Marker" }</th></tr></thead>
                    <tbody>
                        { for props.markers.iter().map(|m| html! { <tr><td>{ format_time(m.at) }</td><td>{ marker_label(m) }</td></tr> }) }
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// The family of a task definition reference, for labels.
fn family(task_definition: &str) -> &str {
    ecs_engine::arn::task_definition_family(task_definition)
}

#[derive(Properties, PartialEq)]
pub struct ReservationProps {
    pub series: ReservationSeries,
    pub end: u64,
    pub at: u64,
    pub on_seek: Callback<u64>,
}

/// CPU and memory reserved in a cluster over time (CloudWatch's
/// CPUReservation and MemoryReservation).
#[function_component(ReservationChart)]
pub fn reservation_chart(props: &ReservationProps) -> Html {
    let height = 150.0;
    let end = props.end;
    let scale = Scale {
        end: end as f64,
        top_value: 100.0,
        height,
    };
    let series = &props.series;
    let cpu = step_path(
        scale,
        series.points.iter().map(|p| (p.at, p.cpu_percent)),
        end,
    );
    let memory = step_path(
        scale,
        series.points.iter().map(|p| (p.at, p.memory_percent)),
        end,
    );
    let label = format!(
        "CPU and memory reserved in cluster {}, in percent over virtual time. The same data is in the table below.",
        series.cluster
    );
    html! {
        <figure class="chart-figure">
            <svg class="chart" viewBox={format!("0 0 {WIDTH} {height}")} role="img" aria-label={label}
                onclick={seek_on_click(props.on_seek.clone(), end)}>
                { value_axis(scale, 100, "%") }
                <path class="cpu" d={cpu} />
                <path class="memory" d={memory} />
                { time_axis(scale, end) }
                { cursor(scale, props.at) }
            </svg>
            <ul class="legend">
                <li><span class="legend-swatch swatch-cpu"></span>{ "CPUReservation" }</li>
                <li><span class="legend-swatch swatch-memory"></span>{ "MemoryReservation" }</li>
            </ul>
            <details class="chart-data">
                <summary>{ format!("Reservation of {} as a table", series.cluster) }</summary>
                <table class="data-table">
                    <caption class="visually-hidden">{ format!("CPU and memory reserved in {} over time", series.cluster) }</caption>
                    <thead><tr><th>{ "Time" }</th><th class="num">{ "CPU reserved" }</th><th class="num">{ "Memory reserved" }</th></tr></thead>
                    <tbody>
                        { for series.points.iter().take(TABLE_ROWS).map(|p| html! {
                            <tr><td>{ format_time(p.at) }</td><td class="num">{ format!("{:.1}%", p.cpu_percent) }</td><td class="num">{ format!("{:.1}%", p.memory_percent) }</td></tr>
                        }) }
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    pub chart: DeploymentChart,
    pub end: u64,
    pub at: u64,
    pub on_seek: Callback<u64>,
}

/// Every service's timeline, then every cluster's reservation.
#[function_component(Charts)]
pub fn charts(props: &ChartsProps) -> Html {
    html! {
        <>
            <section class="panel" aria-labelledby="timeline-heading">
                <h3 id="timeline-heading">{ "Deployment timeline" }</h3>
                <p class="panel-note">{ "Click the chart to jump to that moment." }</p>
                if props.chart.services.is_empty() {
                    <p class="empty">{ "No service in this run." }</p>
                }
                { for props.chart.services.iter().map(|s| {
                    let markers: Vec<Marker> = props.chart.markers.iter().filter(|m| m.service == s.service).cloned().collect();
                    html! { <>
                        if props.chart.services.len() > 1 { <h4 class="chart-title">{ &s.service }</h4> }
                        <DeploymentTimeline chart={s.clone()} markers={markers} end={props.end} at={props.at} on_seek={props.on_seek.clone()} />
                    </> }
                }) }
            </section>
            <section class="panel" aria-labelledby="reservation-heading">
                <h3 id="reservation-heading">{ "Cluster reservation" }</h3>
                { for props.chart.reservation.iter().map(|r| html! {
                    <ReservationChart series={r.clone()} end={props.end} at={props.at} on_seek={props.on_seek.clone()} />
                }) }
            </section>
        </>
    }
}
