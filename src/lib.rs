//! The ECS Playground web app.
//!
//! It renders what the engine computes and never recomputes it: validation,
//! requirements and placement all come from `ecs_engine`.

pub mod app;
pub mod cluster_panel;
pub mod editor;
pub mod forms;
pub mod problems;
pub mod run;
pub mod shortcuts;
pub mod theme;
pub mod workspace;

/// Talc instead of the default dlmalloc: about 2 KB smaller in the first
/// load and faster at the many small allocations validation makes. The pages
/// are single-threaded.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Mounts the app on the page's `<main id="app">` element, or on the body.
pub fn start() {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            yew::Renderer::<workspace::opening::Playground>::with_root(root).render();
        }
        None => {
            yew::Renderer::<workspace::opening::Playground>::new().render();
        }
    }
}
