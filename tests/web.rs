//! The app and the engine, running as WebAssembly in headless Chromium.

use ecs_engine::examples::DEFAULT_TASK_DEFINITION;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// Text of the first match inside `root`: tests share one page, so every
/// lookup is scoped to the app that test mounted.
fn text_of(root: &web_sys::Element, selector: &str) -> String {
    root.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

async fn mount_app() -> web_sys::Element {
    // The app autosaves: each test starts from the example, not from what the last one typed.
    if let Ok(Some(storage)) = web_sys::window().expect("window").local_storage() {
        storage
            .remove_item(ecs_engine::workspace::storage::STORAGE_KEY)
            .expect("clear the saved workspace");
    }
    let root = document().create_element("div").expect("div");
    document()
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    yew::Renderer::<ecs_playground_web::workspace::opening::Playground>::with_root(root.clone())
        .render();
    TimeoutFuture::new(50).await;
    root
}

#[wasm_bindgen_test]
fn the_engine_validates_in_wasm() {
    let analysis = ecs_engine::analyze_task_definition(DEFAULT_TASK_DEFINITION);
    assert!(
        analysis.diagnostics.is_empty(),
        "{:?}",
        analysis.diagnostics
    );
    let broken = ecs_engine::analyze_task_definition("{\"family\": }");
    assert_eq!(broken.diagnostics[0].code, "json-syntax");
}

#[wasm_bindgen_test]
fn validation_speed_in_wasm_is_reported() {
    let performance = web_sys::window().and_then(|w| w.performance());
    let Some(performance) = performance else {
        return;
    };
    let runs = 200;
    let start = performance.now();
    for _ in 0..runs {
        let analysis = ecs_engine::analyze_task_definition(DEFAULT_TASK_DEFINITION);
        assert!(analysis.diagnostics.is_empty());
    }
    let per_run_us = (performance.now() - start) * 1000.0 / f64::from(runs);
    web_sys::console::log_1(
        &format!("wasm: import + validation of the default example: {per_run_us:.1} µs per run")
            .into(),
    );
}

#[wasm_bindgen_test]
async fn the_app_shows_the_example_as_valid_and_placed() {
    let root = mount_app().await;
    assert_eq!(
        text_of(&root, "[data-testid=validation-status]"),
        "Valid: AWS would accept this task definition"
    );
    let summary = text_of(&root, "[data-testid=placement-summary]");
    assert!(summary.starts_with("Placed on i-"), "{summary}");
}

#[wasm_bindgen_test]
async fn typing_a_mistake_shows_a_located_problem() {
    let root = mount_app().await;
    let area: web_sys::HtmlTextAreaElement = root
        .query_selector("textarea")
        .ok()
        .flatten()
        .expect("textarea")
        .dyn_into()
        .expect("a textarea element");
    area.set_value(
        &DEFAULT_TASK_DEFINITION.replace("\"family\": \"web-app\",", "\"family\": \"web app\","),
    );
    let event = web_sys::InputEvent::new("input").expect("input event");
    area.dispatch_event(&event).expect("dispatch");
    TimeoutFuture::new(50).await;
    let problems = root
        .query_selector("[data-testid=problems]")
        .ok()
        .flatten()
        .expect("problems list");
    let text = problems.text_content().unwrap_or_default();
    assert!(text.contains("2:13"), "{text}");
    assert!(text.contains("family-format"), "{text}");
    assert!(root
        .query_selector(".gutter-line.has-error")
        .ok()
        .flatten()
        .is_some());
}
