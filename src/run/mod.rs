//! The run page: watching a scenario play and asking why.

pub mod cluster_map;
pub mod explain;
// TEMPORARY until helper/playback is merged: the contract's types.
#[path = "contract_shim.rs"]
pub mod playback;
