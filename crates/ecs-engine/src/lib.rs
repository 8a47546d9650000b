//! The ECS Playground engine.
//!
//! Pure Rust with no web dependencies: it compiles to WebAssembly for the web
//! app and natively for tests, benchmarks and the `ecs-playground` command.
//! Everything it returns is plain serializable data.

pub mod analysis;
pub mod arn;
pub mod aws_cli;
pub mod check;
pub mod completion;
pub mod console;
pub mod diagnostic;
pub mod diff;
pub mod document;
pub mod edit;
pub mod examples;
pub mod export;
pub mod import;
pub mod json;
pub mod lesson;
pub mod order;
pub mod place;
pub mod quick_fix;
pub mod request_analysis;
pub mod sdk;
pub mod share;
pub mod template;
pub mod text;
pub mod units;
pub mod workspace;

pub use analysis::{
    analyze_bytes, analyze_registered_task_definition, analyze_task_definition, analyze_template,
    analyze_template_bytes, Analysis,
};
pub use diagnostic::{apply_fix, Diagnostic, Fix, Severity, TextEdit};
pub use request_analysis::{analyze_request, Account, DocumentAccount};
pub mod sim;
