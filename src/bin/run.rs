//! Starts the run page: a scenario played back, with its timeline, events and
//! actions. Its own wasm, so the authoring page's first load does not carry it.

fn main() {
    ecs_playground_web::run::start();
}
