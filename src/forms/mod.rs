//! Form views over JSON documents.
//!
//! The text stays the single source of truth: a form reads values from the
//! engine's located tree and writes every change through `json::edit`, which
//! splices the text in place, so unknown members and the user's formatting
//! survive. A form takes the text and an `on_change` callback, so it plugs into
//! any shell that holds documents.

mod cluster;
mod fields;
mod service;
mod task_definition;

pub use cluster::ClusterForm;
pub use fields::Doc;
pub use service::ServiceForm;
pub use task_definition::TaskDefinitionForm;
