//! Typed reads of request members, failing as AWS does on wrong types.

use serde_json::Value;

use super::state::StrategyItem;
use super::AwsError;

fn type_error(key: &str, expected: &str) -> AwsError {
    AwsError::new(
        "SerializationException",
        format!("{key}: expected {expected}"),
    )
}

/// The member `key`, treating JSON null as absent.
pub fn member<'a>(r: &'a Value, key: &str) -> Option<&'a Value> {
    r.get(key).filter(|v| !v.is_null())
}

pub fn opt_str<'a>(r: &'a Value, key: &str) -> Result<Option<&'a str>, AwsError> {
    match member(r, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(type_error(key, "a string")),
    }
}

pub fn req_str<'a>(r: &'a Value, key: &str) -> Result<&'a str, AwsError> {
    opt_str(r, key)?.ok_or_else(|| required(key))
}

/// The error for a required member the request leaves out.
pub fn required(key: &str) -> AwsError {
    AwsError::invalid(format!("{key} is required."))
}

pub fn opt_int(r: &Value, key: &str) -> Result<Option<i64>, AwsError> {
    match member(r, key) {
        None => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| type_error(key, "an integer")),
    }
}

pub fn opt_u32(r: &Value, key: &str) -> Result<Option<u32>, AwsError> {
    match opt_int(r, key)? {
        None => Ok(None),
        Some(n) => u32::try_from(n)
            .map(Some)
            .map_err(|_| AwsError::invalid(format!("{key} must be between 0 and 2147483647."))),
    }
}

pub fn opt_bool(r: &Value, key: &str) -> Result<Option<bool>, AwsError> {
    match member(r, key) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(type_error(key, "a boolean")),
    }
}

pub fn opt_list<'a>(r: &'a Value, key: &str) -> Result<Option<&'a Vec<Value>>, AwsError> {
    match member(r, key) {
        None => Ok(None),
        Some(Value::Array(items)) => Ok(Some(items)),
        Some(_) => Err(type_error(key, "a list")),
    }
}

pub fn list<'a>(r: &'a Value, key: &str) -> Result<&'a [Value], AwsError> {
    Ok(opt_list(r, key)?.map_or(&[][..], Vec::as_slice))
}

/// A list of strings.
pub fn str_list(r: &Value, key: &str) -> Result<Vec<String>, AwsError> {
    list(r, key)?
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_string)
                .ok_or_else(|| type_error(key, "a list of strings"))
        })
        .collect()
}

pub fn strategy(r: &Value, key: &str) -> Result<Option<Vec<StrategyItem>>, AwsError> {
    let Some(items) = opt_list(r, key)? else {
        return Ok(None);
    };
    items
        .iter()
        .map(|item| {
            Ok(StrategyItem {
                capacity_provider: req_str(item, "capacityProvider")?.to_string(),
                weight: opt_u32(item, "weight")?.unwrap_or(0),
                base: opt_u32(item, "base")?.unwrap_or(0),
            })
        })
        .collect::<Result<Vec<_>, AwsError>>()
        .map(Some)
}

pub fn opt_f64(r: &Value, key: &str) -> Result<Option<f64>, AwsError> {
    match member(r, key) {
        None => Ok(None),
        Some(v) => v
            .as_f64()
            .filter(|f| f.is_finite())
            .map(Some)
            .ok_or_else(|| type_error(key, "a number")),
    }
}

/// A structure member (a JSON object).
pub fn opt_object<'a>(r: &'a Value, key: &str) -> Result<Option<&'a Value>, AwsError> {
    match member(r, key) {
        None => Ok(None),
        Some(v @ Value::Object(_)) => Ok(Some(v)),
        Some(_) => Err(type_error(key, "a structure")),
    }
}

/// A timestamp member: seconds since the epoch, as the JSON protocol sends it.
pub fn opt_timestamp(r: &Value, key: &str) -> Result<Option<f64>, AwsError> {
    match member(r, key) {
        None => Ok(None),
        Some(v) => v
            .as_f64()
            .map(Some)
            .ok_or_else(|| type_error(key, "a timestamp")),
    }
}
