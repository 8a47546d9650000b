//! The ECS data model: serde types for the shapes the simulated ECS uses.
//!
//! The types in [`generated`] are produced by `scripts/gen-model.py` from AWS's
//! machine-readable model (shared/aws-model/ecs-2014-11-13.service-2.json), so
//! JSON member names and enum spellings are exactly AWS's. Every structure
//! keeps the members it does not know in `extra`, and every member is optional:
//! importing and exporting a document never loses what the user wrote.
//! Validation happens separately, with positions, in `check::shape`.
//!
//! Enums are Rust enums with an `Unknown(String)` fallback rather than plain
//! strings: the simulator can `match` on known values, while a value AWS does
//! not list (a typo, or one newer than this model) still round-trips unchanged
//! and is reported by the shape check instead of failing the import.

pub mod arn;
#[allow(clippy::all)]
pub mod generated;

pub use generated::*;

use serde::{Deserialize, Serialize};

/// Members of a JSON object that the model does not know, in the order written.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// Access to a structure's unknown members.
pub trait HasExtra {
    fn extra(&self) -> &Extra;
}

/// A point in time as AWS writes it: epoch seconds over the wire (possibly
/// fractional), or ISO 8601 text in the CLI's output. Kept as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Timestamp {
    EpochSeconds(serde_json::Number),
    Text(String),
}

impl Timestamp {
    /// Seconds since the epoch, when written as a number.
    pub fn epoch_seconds(&self) -> Option<f64> {
        match self {
            Timestamp::EpochSeconds(n) => n.as_f64(),
            Timestamp::Text(_) => None,
        }
    }
}

/// Declares an AWS string enum: known values as variants, anything else kept
/// in `Unknown` so that it survives a round trip.
macro_rules! string_enum {
    ($name:ident { $($variant:ident = $value:literal,)* }) => {
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)*
            /// A value AWS's model does not list, kept as written.
            Unknown(String),
        }

        impl $name {
            /// The values AWS's model lists, in its order.
            pub const VALUES: &'static [&'static str] = &[$($value),*];

            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(other) => other,
                }
            }

            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other.to_string()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    };
}
pub(crate) use string_enum;

/// Declares a model structure: every member optional, unknown members kept
/// in `extra`. Serialization is written out here rather than derived: going
/// through a JSON map with one generic helper per member type keeps the
/// WebAssembly code several times smaller than `#[derive]` with `flatten`.
macro_rules! model_struct {
    ($name:ident { $($field:ident : $ty:ty = $json:literal,)* }) => {
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name {
            $(pub $field: Option<$ty>,)*
            /// Members this model does not know, kept as written.
            pub extra: $crate::model::Extra,
        }

        impl $crate::model::HasExtra for $name {
            fn extra(&self) -> &$crate::model::Extra {
                &self.extra
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                $(
                    if let Some(value) = &self.$field {
                        $crate::model::serialize_member(&mut map, $json, value)?;
                    }
                )*
                for (key, value) in &self.extra {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #[allow(unused_mut)]
                let mut extra = <$crate::model::Extra as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok($name {
                    $(
                        $field: $crate::model::take_member(&mut extra, $json)
                            .map_err(<D::Error as ::serde::de::Error>::custom)?,
                    )*
                    extra,
                })
            }
        }
    };
}
pub(crate) use model_struct;

/// Removes member `key` from `map` and converts it; `null` counts as absent.
/// Not inlined: one copy per member type, not one per member, keeps wasm small.
#[inline(never)]
pub(crate) fn take_member<T: serde::de::DeserializeOwned>(
    map: &mut Extra,
    key: &str,
) -> Result<Option<T>, String> {
    match map.shift_remove(key) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(value) => serde_json::from_value(value)
            .map(Some)
            .map_err(|e| format!("{key}: {e}")),
    }
}

/// Writes one member. Not inlined, for the same reason as [`take_member`].
#[inline(never)]
pub(crate) fn serialize_member<M: serde::ser::SerializeMap, T: Serialize>(
    map: &mut M,
    key: &'static str,
    value: &T,
) -> Result<(), M::Error> {
    map.serialize_entry(key, value)
}

/// What a round trip through a model type showed: the value written back, and
/// the members that landed in `extra` (top level only).
#[cfg(test)]
pub(crate) struct RoundTrip {
    pub exported: serde_json::Value,
    pub unknown: Vec<String>,
}

#[cfg(test)]
pub(crate) fn round_trip<T>(value: serde_json::Value) -> Result<RoundTrip, String>
where
    T: serde::de::DeserializeOwned + Serialize + HasExtra,
{
    let typed: T = serde_json::from_value(value).map_err(|e| e.to_string())?;
    let unknown = typed.extra().keys().cloned().collect();
    let exported = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
    Ok(RoundTrip { exported, unknown })
}

#[cfg(test)]
pub(crate) mod tests;
