//! The run page's cluster map in headless Chromium: frame times during
//! playback, scrub redraws, and small clusters. It prints figures (run with
//! `-- --nocapture`) and asserts only that the work was done, never how fast.
//!
//! `WASM_BINDGEN_TEST_TIMEOUT=900 cargo test --release --target wasm32-unknown-unknown -p ecs-playground-web --test run_bench -- --nocapture`
//! (the 5,000-instance recording takes longer than the runner's default 20 s).
//!
//! A frame's time is the engine's `frame_at` plus the component's render to
//! its end (Yew's diff, the DOM patch, the heat map's canvas drawing) plus the
//! browser's style and layout, forced by reading the map's height. Painting is
//! left to the browser and not counted.

use std::rc::Rc;

use ecs_engine::sim::playback::{Frame, Recording};
use ecs_engine::sim::scenario::Scenario;
use ecs_playground_web::run::cluster_map::CARD_LIMIT;
use ecs_playground_web::run::cluster_map::{ClusterMap, ClusterMapProps};
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/timing.rs"]
mod timing;
use timing::now_ms;

fn report(line: String) {
    timing::report("run bench", line);
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

/// The rolling deployment of `tests/../crates/ecs-engine/benches/simulation.rs`
/// as a scenario: a 5,000-task service on 5,000 m5.large instances, then
/// web:1 → web:2 with the default 100% / 200%. Smaller sizes for the small figures.
fn rolling_scenario(size: u32) -> Scenario {
    let task_definition = |image: &str| json!({"family": "web", "containerDefinitions": [{"name": "app", "image": image, "cpu": 256, "memory": 512, "portMappings": [{"containerPort": 80}]}]});
    let doc = json!({
        "format": "ecs-playground-scenario/1",
        "name": format!("rolling deployment at {size}"),
        "seed": 7,
        "steps": [
            {"at": 0, "call": "CreateCluster", "input": {}},
            {"at": 0, "call": "Simulator.LaunchInstances", "input": {"instanceType": "m5.large", "count": size}},
            {"at": 0, "call": "RegisterTaskDefinition", "input": task_definition("web:1")},
            {"at": "5s", "call": "CreateService", "input": {"serviceName": "web", "taskDefinition": "web:1", "desiredCount": size}},
            {"at": UPDATE_AT_S, "call": "RegisterTaskDefinition", "input": task_definition("web:2")},
            {"at": UPDATE_AT_S, "call": "UpdateService", "input": {"service": "web", "taskDefinition": "web:2"}}
        ],
        "until": "60m"
    });
    Scenario::from_value(&doc).expect("the bench scenario is valid")
}

/// When the deployment starts (virtual seconds): the first rollout is steady by then.
const UPDATE_AT_S: u64 = 600;

/// `count` times spread evenly over the deployment's event times.
fn deployment_times(recording: &Recording, count: usize) -> Vec<u64> {
    let times: Vec<u64> = recording
        .event_times()
        .iter()
        .copied()
        .filter(|t| *t >= UPDATE_AT_S * 1000)
        .collect();
    (0..count)
        .filter_map(|i| {
            times
                .get(i * times.len().saturating_sub(1) / count.max(1))
                .copied()
        })
        .collect()
}

fn props(frame: Rc<Frame>) -> ClusterMapProps {
    ClusterMapProps {
        frame,
        selected: None,
        on_select: Callback::noop(),
    }
}

/// Renders `frame` into the mounted map, to the end of layout.
async fn render(
    handle: &mut yew::AppHandle<ClusterMap>,
    root: &web_sys::HtmlElement,
    frame: Frame,
) {
    handle.update(props(Rc::new(frame)));
    yew::scheduler::flush().await;
    let _ = root.offset_height();
}

#[wasm_bindgen_test]
async fn cluster_map_frame_times() {
    for (size, frames, scrubs) in [(3u32, 30usize, 20usize), (50, 30, 20), (5000, 24, 8)] {
        let started = now_ms();
        let recording = rolling_scenario(size);
        let recording = Recording::record(&recording);
        report(format!(
            "{size} instances: Recording::record {:.0} ms (virtual run {:.1} min, {} event times)",
            now_ms() - started,
            recording.end() as f64 / 60_000.0,
            recording.event_times().len()
        ));
        let root = attached_root();
        let mut handle = yew::Renderer::<ClusterMap>::with_root_and_props(
            root.clone().into(),
            props(Rc::new(recording.frame_at(UPDATE_AT_S * 1000))),
        )
        .render();
        yew::scheduler::flush().await;

        // Playback: frames in order through the deployment.
        let (mut frame_ms, mut render_ms, mut total_ms) = (Vec::new(), Vec::new(), Vec::new());
        for at in deployment_times(&recording, frames) {
            let start = now_ms();
            let frame = recording.frame_at(at);
            let framed = now_ms();
            render(&mut handle, &root, frame).await;
            let end = now_ms();
            frame_ms.push(framed - start);
            render_ms.push(end - framed);
            total_ms.push(end - start);
        }
        // Scrubbing: jumps back and forth (a fixed order, not random).
        let mut times = deployment_times(&recording, scrubs);
        let half = times.len() / 2;
        times.rotate_left(half);
        times.reverse();
        let mut scrub_ms = Vec::new();
        for at in times {
            let start = now_ms();
            let frame = recording.frame_at(at);
            render(&mut handle, &root, frame).await;
            scrub_ms.push(now_ms() - start);
        }
        let drawn = root
            .query_selector_all(".map-heat-canvas, .map-instance")
            .map_or(0, |l| l.length());
        assert!(drawn > 0, "the map drew instances");
        report(format!(
            "{size} instances ({}): playback frame median {:.1} ms (frame_at {:.1} + render {:.1}), p95 {:.1} ms over {} frames; scrub median {:.1} ms, worst {:.1} ms over {} jumps",
            if size as usize > CARD_LIMIT { "heat map" } else { "cards" },
            median(&mut total_ms.clone()),
            median(&mut frame_ms),
            median(&mut render_ms.clone()),
            percentile(&mut total_ms, 0.95),
            render_ms.len(),
            median(&mut scrub_ms.clone()),
            percentile(&mut scrub_ms, 1.0),
            scrub_ms.len(),
        ));
        report(format!(
            "{size} instances: render alone (Yew + canvas + layout) p95 {:.1} ms",
            percentile(&mut render_ms, 0.95)
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
    let recording = Recording::record(&rolling_scenario(5000));
    let frames: Vec<Rc<Frame>> = deployment_times(&recording, 12)
        .into_iter()
        .map(|at| Rc::new(recording.frame_at(at)))
        .collect();
    let root = attached_root();
    let mut handle = yew::Renderer::<SvgGrid>::with_root_and_props(
        root.clone().into(),
        SvgGridProps {
            frame: Rc::new(recording.frame_at(0)),
        },
    )
    .render();
    yew::scheduler::flush().await;
    let mut times = Vec::new();
    for frame in frames {
        let start = now_ms();
        handle.update(SvgGridProps { frame });
        yew::scheduler::flush().await;
        let _ = root.offset_height();
        times.push(now_ms() - start);
    }
    assert_eq!(
        root.query_selector_all("rect").map_or(0, |l| l.length()),
        5000
    );
    report(format!(
        "5000 instances as SVG rects (the alternative not taken): render alone median {:.1} ms per frame",
        median(&mut times)
    ));
    handle.destroy();
    root.remove();
}
