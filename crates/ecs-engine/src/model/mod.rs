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
//!
//! Serialization is not derived: each type converts to and from a
//! `serde_json::Value` through [`JsonValue`], and its serde impls go through
//! that. Measured on wasm32 (opt-level z, LTO, names stripped), importing and
//! exporting a RegisterTaskDefinitionRequest costs about 24 KB brotli this way
//! against about 45 KB with `#[derive]` and `#[serde(flatten)]`. A `null`
//! member is read as absent and not written back.

pub mod arn;
#[allow(clippy::all)]
pub mod generated;

pub use generated::*;

use indexmap::IndexMap;
use serde_json::{Map, Number, Value};

/// Members of a JSON object that the model does not know, in the order written.
pub type Extra = Map<String, Value>;

/// Access to a structure's unknown members.
pub trait HasExtra {
    fn extra(&self) -> &Extra;
}

/// Why a JSON value does not fit a model type, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    /// Like `containerDefinitions[1].portMappings`; empty at the top.
    pub path: String,
    pub message: String,
}

impl ModelError {
    #[inline(never)]
    fn expected(what: &str, found: &Value) -> ModelError {
        let found = match found {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        ModelError {
            path: String::new(),
            message: format!("expected {what}, found {found}"),
        }
    }

    #[inline(never)]
    fn under_key(mut self, key: &str) -> ModelError {
        self.path = match self.path.is_empty() || self.path.starts_with('[') {
            true => format!("{key}{}", self.path),
            false => format!("{key}.{}", self.path),
        };
        self
    }

    #[inline(never)]
    fn under_index(mut self, index: usize) -> ModelError {
        self.path = match self.path.is_empty() || self.path.starts_with('[') {
            true => format!("[{index}]{}", self.path),
            false => format!("[{index}].{}", self.path),
        };
        self
    }
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Conversion between model types and JSON values.
///
/// Written out rather than derived with serde: one small, non-generic-over-
/// the-format function per type keeps the WebAssembly code several times
/// smaller than `#[derive]` with `#[serde(flatten)]`. The serde impls of the
/// model types go through these.
pub trait JsonValue: Sized {
    fn from_json(value: Value) -> Result<Self, ModelError>;
    fn to_json(&self) -> Value;
}

impl JsonValue for String {
    fn from_json(value: Value) -> Result<Self, ModelError> {
        match value {
            Value::String(s) => Ok(s),
            other => Err(ModelError::expected("a string", &other)),
        }
    }

    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl JsonValue for bool {
    fn from_json(value: Value) -> Result<Self, ModelError> {
        value
            .as_bool()
            .ok_or_else(|| ModelError::expected("a boolean", &value))
    }

    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl JsonValue for i32 {
    fn from_json(value: Value) -> Result<Self, ModelError> {
        value
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .ok_or_else(|| ModelError::expected("a 32-bit integer", &value))
    }

    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl JsonValue for i64 {
    fn from_json(value: Value) -> Result<Self, ModelError> {
        value
            .as_i64()
            .ok_or_else(|| ModelError::expected("an integer", &value))
    }

    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl JsonValue for f64 {
    fn from_json(value: Value) -> Result<Self, ModelError> {
        value
            .as_f64()
            .ok_or_else(|| ModelError::expected("a number", &value))
    }

    fn to_json(&self) -> Value {
        Number::from_f64(*self).map_or(Value::Null, Value::Number)
    }
}

/// A free-form JSON document.
impl JsonValue for Value {
    fn from_json(value: Value) -> Result<Self, ModelError> {
        Ok(value)
    }

    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl<T: JsonValue> JsonValue for Vec<T> {
    fn from_json(value: Value) -> Result<Self, ModelError> {
        let Value::Array(items) = value else {
            return Err(ModelError::expected("an array", &value));
        };
        let mut list = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            match T::from_json(item) {
                Ok(item) => list.push(item),
                Err(e) => return Err(e.under_index(i)),
            }
        }
        Ok(list)
    }

    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(T::to_json).collect())
    }
}

impl<T: JsonValue> JsonValue for IndexMap<String, T> {
    fn from_json(value: Value) -> Result<Self, ModelError> {
        match value {
            Value::Object(map) => map
                .into_iter()
                .map(|(key, item)| match T::from_json(item) {
                    Ok(item) => Ok((key, item)),
                    Err(e) => Err(e.under_key(&key)),
                })
                .collect(),
            other => Err(ModelError::expected("an object", &other)),
        }
    }

    fn to_json(&self) -> Value {
        Value::Object(
            self.iter()
                .map(|(key, item)| (key.clone(), item.to_json()))
                .collect(),
        )
    }
}

impl<T: JsonValue> JsonValue for Box<T> {
    fn from_json(value: Value) -> Result<Self, ModelError> {
        T::from_json(value).map(Box::new)
    }

    fn to_json(&self) -> Value {
        T::to_json(self)
    }
}

/// Removes member `key` from `map` and converts it; `null` counts as absent.
/// A conversion error is kept in `error` (the first one wins) rather than
/// returned early: early returns from a struct literal make the compiler
/// emit drop code for every prefix of the members, which bloats the wasm.
/// The generic part is kept tiny; the rest lives in non-generic helpers.
#[inline(never)]
pub(crate) fn take_member<T: JsonValue>(
    map: &mut Extra,
    key: &str,
    error: &mut Option<ModelError>,
) -> Option<T> {
    let value = take_raw(map, key)?;
    match T::from_json(value) {
        Ok(value) => Some(value),
        Err(e) => {
            record_error(error, e, key);
            None
        }
    }
}

#[inline(never)]
fn take_raw(map: &mut Extra, key: &str) -> Option<Value> {
    map.shift_remove(key).filter(|value| !value.is_null())
}

#[inline(never)]
fn record_error(error: &mut Option<ModelError>, e: ModelError, key: &str) {
    if error.is_none() {
        *error = Some(e.under_key(key));
    }
}

/// Writes member `key` when it is set.
#[inline(never)]
pub(crate) fn put_member<T: JsonValue>(map: &mut Extra, key: &str, value: &Option<T>) {
    if let Some(value) = value {
        put_raw(map, key, value.to_json());
    }
}

#[inline(never)]
fn put_raw(map: &mut Extra, key: &str, value: Value) {
    map.insert(key.to_string(), value);
}

/// The object a structure's JSON value must be.
pub(crate) fn expect_object(value: Value) -> Result<Extra, ModelError> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(ModelError::expected("an object", &other)),
    }
}

/// Implements serde for a type through its [`JsonValue`] conversion.
macro_rules! serde_via_json_value {
    ($name:ident) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                ::serde::Serialize::serialize(&$crate::model::JsonValue::to_json(self), serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let value =
                    <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                <$name as $crate::model::JsonValue>::from_json(value)
                    .map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    };
}
pub(crate) use serde_via_json_value;

/// A point in time as AWS writes it: epoch seconds over the wire (possibly
/// fractional), or ISO 8601 text in the CLI's output. Kept as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Timestamp {
    EpochSeconds(Number),
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

impl JsonValue for Timestamp {
    fn from_json(value: Value) -> Result<Self, ModelError> {
        match value {
            Value::Number(n) => Ok(Timestamp::EpochSeconds(n)),
            Value::String(s) => Ok(Timestamp::Text(s)),
            other => Err(ModelError::expected("a timestamp", &other)),
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Timestamp::EpochSeconds(n) => Value::Number(n.clone()),
            Timestamp::Text(s) => Value::String(s.clone()),
        }
    }
}

serde_via_json_value!(Timestamp);

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

        impl $crate::model::JsonValue for $name {
            fn from_json(value: ::serde_json::Value) -> Result<Self, $crate::model::ModelError> {
                <String as $crate::model::JsonValue>::from_json(value).map(|s| Self::from(s.as_str()))
            }

            fn to_json(&self) -> ::serde_json::Value {
                ::serde_json::Value::String(self.as_str().to_string())
            }
        }

        $crate::model::serde_via_json_value!($name);
    };
}
pub(crate) use string_enum;

/// Declares a model structure: every member optional, unknown members kept
/// in `extra` in the order written. Known members are written back first,
/// in the model's order.
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

        impl $crate::model::JsonValue for $name {
            #[inline(never)]
            fn from_json(value: ::serde_json::Value) -> Result<Self, $crate::model::ModelError> {
                #[allow(unused_mut)]
                let mut extra = $crate::model::expect_object(value)?;
                let mut error = None;
                let value = $name {
                    $($field: $crate::model::take_member(&mut extra, $json, &mut error),)*
                    extra,
                };
                match error {
                    Some(error) => Err(error),
                    None => Ok(value),
                }
            }

            #[inline(never)]
            fn to_json(&self) -> ::serde_json::Value {
                let mut map = ::serde_json::Map::new();
                $($crate::model::put_member(&mut map, $json, &self.$field);)*
                for (key, value) in &self.extra {
                    map.insert(key.clone(), value.clone());
                }
                ::serde_json::Value::Object(map)
            }
        }

        $crate::model::serde_via_json_value!($name);
    };
}
pub(crate) use model_struct;

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
    T: serde::de::DeserializeOwned + serde::Serialize + HasExtra,
{
    let typed: T = serde_json::from_value(value).map_err(|e| e.to_string())?;
    let unknown = typed.extra().keys().cloned().collect();
    let exported = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
    Ok(RoundTrip { exported, unknown })
}

#[cfg(test)]
pub(crate) mod tests;
