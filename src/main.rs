//! Starts the playground in the page.

fn main() {
    ecs_playground_web::start();
}
