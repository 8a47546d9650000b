//! JSON with positions: the parser and the located tree it builds.

pub mod edit;
pub mod float_text;
mod node;
pub mod number;
mod parse;
pub mod tokens;
pub mod write;

pub use node::{JsonPath, Member, Node, NodeKind, Segment};
pub use parse::{parse, SyntaxError, MAX_DEPTH};
