//! JSON with positions: the parser and the located tree it builds.

pub mod edit;
mod node;
mod parse;
pub mod tokens;

pub use node::{JsonPath, Member, Node, NodeKind, Segment};
pub use parse::{parse, SyntaxError, MAX_DEPTH};
