//! Exports for use outside the playground.

pub mod cli_script;
