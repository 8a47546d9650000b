//! The simulated ECS as a local AWS endpoint: AWS JSON 1.1 over HTTP/1.1 for
//! the AWS CLI, the SDKs and Terraform (docs/endpoint.md).
//!
//! Its own crate, above the engine, because it does I/O (sockets, the state
//! file, the wall clock) and the engine must not: every answer comes from
//! the engine's wire form (`ecs_engine::sim::wire`, `Ecs::answer`), and this
//! crate only moves bytes, time and the journal around it.

mod options;

// Everything else is native only: the workspace's clippy also builds this
// crate for wasm32, where there are no sockets to serve on.
#[cfg(not(target_family = "wasm"))]
mod native {
    pub mod accounts;
    pub mod clock;
    pub mod http;
    pub mod journal;
    pub mod serve;
    pub mod sts;
    pub mod wire;
}
#[cfg(not(target_family = "wasm"))]
use native::{accounts, clock, http, sts, wire};

#[cfg(all(test, not(target_family = "wasm")))]
mod tests;

/// The wire form is the engine's: the endpoint answers as a page does.
pub use ecs_engine::sim::wire::{is_read_only, ECS_TARGET_PREFIX, SIMULATOR_TARGET_PREFIX};
#[cfg(not(target_family = "wasm"))]
pub use native::http::Limits;
#[cfg(not(target_family = "wasm"))]
pub use native::journal;
#[cfg(not(target_family = "wasm"))]
pub use native::serve::{run, start, Running};
pub use options::{ClockMode, ServeOptions, DEFAULT_PORT, DEFAULT_SPEED, USAGE};

/// The account id of a fresh state (moto's and LocalStack's default too).
pub const DEFAULT_ACCOUNT: &str = "123456789012";

/// Without sockets there is nothing to serve.
#[cfg(target_family = "wasm")]
pub fn run(_options: ServeOptions) -> Result<(), String> {
    Err("serve needs sockets: it is not available in WebAssembly".into())
}
