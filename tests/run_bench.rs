//! The run page's cluster map in headless Chromium: frame times during
//! playback, scrub redraws, and small clusters. It prints figures (run with
//! `-- --nocapture`) and asserts only that the work was done, never how fast.
//!
//! `cargo test --release --target wasm32-unknown-unknown -p ecs-playground-web --test run_bench -- --nocapture`
//!
//! A frame's time is the engine's `frame_at` plus the component's render to
//! its end (Yew's diff, the DOM patch, the heat map's canvas drawing) plus the
//! browser's style and layout, forced by reading the map's height. Painting is
//! left to the browser and not counted.

use std::rc::Rc;

use ecs_playground_web::run::cluster_map::{ClusterMap, ClusterMapProps};
use ecs_playground_web::run::playback::{
    ClusterView, DeploymentView, Frame, InstanceGroupView, InstanceView, ServiceView, TaskCell,
    ZoneView,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn report(line: String) {
    web_sys::console::log_1(&format!("run bench: {line}").into());
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// The page's style sheets, so that layout is what the run page gets.
fn add_styles() {
    let document = document();
    if document.get_element_by_id("bench-styles").is_some() {
        return;
    }
    let style = document.create_element("style").expect("style");
    style.set_id("bench-styles");
    style.set_text_content(Some(concat!(
        include_str!("../www/styles.css"),
        include_str!("../www/cluster-map.css"),
        ".bench-root { width: 1200px; }"
    )));
    if let Some(head) = document.head() {
        let _ = head.append_child(&style);
    }
}

/// A root that is laid out like the run page's map column.
fn attached_root() -> web_sys::HtmlElement {
    add_styles();
    let root = document().create_element("div").expect("div");
    let _ = root.set_attribute("class", "bench-root");
    document()
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    root.dyn_into().expect("an HTML element")
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let i = ((values.len() as f64 - 1.0) * p).round() as usize;
    values.get(i).copied().unwrap_or(f64::NAN)
}

/// A rolling deployment of one service, one task per instance, `progress`
/// of the way from revision 1 to revision 2: the instances below the front run
/// the new task, those at the front run both (new starting, old stopping),
/// the rest the old one.
fn rolling_frame(instances: usize, progress: f64) -> Frame {
    let zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
    let front = (instances as f64 * progress) as usize;
    let band = (instances / 20).max(1);
    let task = |n: usize, revision: u32, last: &str, desired: &str| TaskCell {
        id: format!("arn:aws:ecs:us-east-1:123456789012:task/default/{n:032x}"),
        service: Some("web".into()),
        service_index: 0,
        deployment_id: Some(format!("ecs-svc/{revision}")),
        revision: Some(revision),
        last_status: last.into(),
        desired_status: desired.into(),
        health: if last == "RUNNING" {
            "HEALTHY".into()
        } else {
            "UNKNOWN".into()
        },
    };
    let mut per_zone: Vec<Vec<InstanceView>> = vec![Vec::new(); zones.len()];
    for i in 0..instances {
        let tasks = if i + band < front {
            vec![task(i + instances, 2, "RUNNING", "RUNNING")]
        } else if i < front {
            vec![
                task(i, 1, "RUNNING", "STOPPED"),
                task(i + instances, 2, "PENDING", "RUNNING"),
            ]
        } else {
            vec![task(i, 1, "RUNNING", "RUNNING")]
        };
        let reserved = tasks.len() as u32;
        per_zone[i % zones.len()].push(InstanceView {
            id: format!("i-{i:017x}"),
            instance_type: "m5.large".into(),
            status: "ACTIVE".into(),
            agent_connected: true,
            cpu: 2048,
            memory: 7680,
            reserved_cpu: 256 * reserved,
            reserved_memory: 512 * reserved,
            tasks,
        });
    }
    Frame {
        at: (progress * 3_600_000.0) as u64,
        clusters: vec![ClusterView {
            name: "default".into(),
            zones: zones
                .iter()
                .zip(per_zone)
                .map(|(z, instances)| ZoneView {
                    availability_zone: z.to_string(),
                    groups: vec![InstanceGroupView {
                        capacity_provider: None,
                        instances,
                    }],
                    fargate: vec![],
                })
                .collect(),
            reserved_cpu_percent: 12.5,
            reserved_memory_percent: 6.7,
        }],
        services: vec![ServiceView {
            cluster: "default".into(),
            name: "web".into(),
            desired: instances as u32,
            running: instances as u32,
            pending: 0,
            deployments: vec![
                DeploymentView {
                    id: "ecs-svc/2".into(),
                    status: "PRIMARY".into(),
                    rollout_state: "IN_PROGRESS".into(),
                    task_definition: "web:2".into(),
                    revision: 2,
                    desired: instances as u32,
                    ..Default::default()
                },
                DeploymentView {
                    id: "ecs-svc/1".into(),
                    status: "ACTIVE".into(),
                    rollout_state: "COMPLETED".into(),
                    task_definition: "web:1".into(),
                    revision: 1,
                    ..Default::default()
                },
            ],
        }],
        unplaced: vec![],
    }
}

fn props(frame: Rc<Frame>) -> ClusterMapProps {
    ClusterMapProps {
        frame,
        selected: None,
        on_select: Callback::noop(),
    }
}

/// Renders `frame` into the mounted map and returns the milliseconds from
/// `start` to the end of layout.
async fn render(
    handle: &mut yew::AppHandle<ClusterMap>,
    root: &web_sys::HtmlElement,
    frame: Frame,
    start: f64,
) -> f64 {
    handle.update(props(Rc::new(frame)));
    yew::scheduler::flush().await;
    let _ = root.offset_height();
    now_ms() - start
}

#[wasm_bindgen_test]
async fn cluster_map_frame_times() {
    for (instances, frames) in [(3, 30), (50, 30), (5000, 60)] {
        let root = attached_root();
        let mut handle = yew::Renderer::<ClusterMap>::with_root_and_props(
            root.clone().into(),
            props(Rc::new(rolling_frame(instances, 0.0))),
        )
        .render();
        yew::scheduler::flush().await;

        // Playback: consecutive frames through the deployment.
        let mut playing = Vec::new();
        for i in 0..frames {
            let progress = f64::from(i) / f64::from(frames - 1);
            let start = now_ms();
            let frame = rolling_frame(instances, progress);
            playing.push(render(&mut handle, &root, frame, start).await);
        }
        // Scrubbing: jumps to scattered points (a fixed sequence, not random).
        let mut scrubs = Vec::new();
        for k in 0..20u32 {
            let progress = f64::from((k * 7919) % 101) / 100.0;
            let start = now_ms();
            let frame = rolling_frame(instances, progress);
            scrubs.push(render(&mut handle, &root, frame, start).await);
        }
        let drawn = root
            .query_selector_all(".map-heat-canvas, .map-instance")
            .map_or(0, |l| l.length());
        assert!(drawn > 0, "the map drew instances");
        report(format!(
            "{instances} instances, {} ({}): playback median {:.1} ms, p95 {:.1} ms over {frames} frames; scrub median {:.1} ms, worst {:.1} ms",
            if instances > 60 { "heat map" } else { "cards" },
            "synthetic frames",
            median(&mut playing.clone()),
            percentile(&mut playing, 0.95),
            median(&mut scrubs.clone()),
            percentile(&mut scrubs, 1.0),
        ));
        handle.destroy();
        root.remove();
    }
}

/// The alternative the heat map did not take: one SVG rect per instance.
#[derive(Properties)]
struct SvgGridProps {
    frame: Rc<Frame>,
}

impl PartialEq for SvgGridProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.frame, &other.frame)
    }
}

#[function_component(SvgGrid)]
fn svg_grid(props: &SvgGridProps) -> Html {
    let instances = props
        .frame
        .clusters
        .iter()
        .flat_map(|c| c.zones.iter())
        .flat_map(|z| z.groups.iter())
        .flat_map(|g| g.instances.iter());
    html! {
        <svg viewBox="0 0 1200 400" width="1200" height="400">
            { for instances.enumerate().map(|(i, inst)| {
                let class = match inst.tasks.first().map(|t| (t.revision, t.last_status.as_str())) {
                    Some((Some(2), "RUNNING")) => "new",
                    Some((_, "RUNNING")) => "old",
                    Some(_) => "starting",
                    None => "empty",
                };
                html! { <rect class={class} x={((i % 171) * 7).to_string()} y={((i / 171) * 7).to_string()} width="6" height="6" /> }
            }) }
        </svg>
    }
}

#[wasm_bindgen_test]
async fn svg_alternative_frame_times() {
    let root = attached_root();
    let mut handle = yew::Renderer::<SvgGrid>::with_root_and_props(
        root.clone().into(),
        SvgGridProps {
            frame: Rc::new(rolling_frame(5000, 0.0)),
        },
    )
    .render();
    yew::scheduler::flush().await;
    let mut times = Vec::new();
    for i in 0..30 {
        let start = now_ms();
        handle.update(SvgGridProps {
            frame: Rc::new(rolling_frame(5000, f64::from(i) / 29.0)),
        });
        yew::scheduler::flush().await;
        let _ = root.offset_height();
        times.push(now_ms() - start);
    }
    assert_eq!(
        root.query_selector_all("rect").map_or(0, |l| l.length()),
        5000
    );
    report(format!(
        "5000 instances as SVG rects (the alternative not taken): median {:.1} ms per frame",
        median(&mut times)
    ));
    handle.destroy();
    root.remove();
}
