//! One parameter's words to the JSON the CLI sends, in the CLI's order of
//! steps: a value naming a file or URL is refused (the CLI would read it);
//! complex values are shorthand unless they look like JSON (`argprocess.py`),
//! then shorthand's strings are converted by the model (`BackCompatVisitor`);
//! scalars are converted as `unpack_scalar_cli_arg` does. The whole request
//! is then validated as botocore's `ParamValidator` does and serialised as its
//! JSON serializer does (timestamps become whole epoch seconds).

use serde_json::{Map, Number, Value};

use super::model::SHAPES;
use super::shorthand::{self, Shorthand};
use crate::check::schema::{Kind, ShapeDef};

/// Prefixes whose value the CLI would read from a file or fetch from the web.
const UNAVAILABLE_PREFIXES: &[(&str, &str)] = &[
    ("file://", "reads a local file"),
    ("fileb://", "reads a local file"),
    ("http://", "fetches a URL"),
    ("https://", "fetches a URL"),
];

pub(super) fn shape(index: u16) -> Option<&'static ShapeDef> {
    SHAPES.get(usize::from(index))
}

/// A value that names a file or URL for the CLI to read: refused here.
pub(super) fn refuse_paramfile(cli_name: &str, value: &str) -> Result<(), String> {
    for (prefix, what) in UNAVAILABLE_PREFIXES {
        if value.starts_with(prefix) {
            return Err(format!(
                "Error parsing parameter '{cli_name}': a value starting with {prefix} {what} in the \
                 AWS CLI, which is not available here. Paste the value itself (JSON or shorthand)."
            ));
        }
    }
    Ok(())
}

fn is_complex(shape: &ShapeDef) -> bool {
    match shape.kind {
        Kind::Structure | Kind::Map => true,
        Kind::List => self::shape(shape.target)
            .is_some_and(|m| matches!(m.kind, Kind::Structure | Kind::Map | Kind::List)),
        _ => false,
    }
}

/// The value of one top-level parameter from its words (one word, or one or
/// more for a list).
pub(super) fn unpack(
    shape_def: &ShapeDef,
    words: &[String],
    is_list: bool,
    cli_name: &str,
) -> Result<Value, String> {
    let error = |message: String| format!("Error parsing parameter '{cli_name}': {message}");
    let first = words.first().map(String::as_str).unwrap_or("");
    let looks_json = first.trim().starts_with(['[', '{']);
    if is_complex(shape_def) && !looks_json {
        let mut parsed = Vec::with_capacity(words.len());
        for word in words {
            let pairs = shorthand::parse(word).map_err(|e| error(e.0))?;
            parsed.push(Shorthand::Map(pairs));
        }
        let mut value = if is_list {
            Value::Array(parsed.into_iter().map(shorthand_value).collect())
        } else {
            parsed
                .into_iter()
                .next()
                .map(shorthand_value)
                .unwrap_or(Value::Null)
        };
        back_compat(&mut value, shape_def).map_err(error)?;
        return Ok(value);
    }
    match shape_def.kind {
        Kind::Structure | Kind::Map | Kind::Document => {
            if first.trim_start().starts_with('{') {
                json(first).map_err(error)
            } else {
                Err(error(format!("Invalid JSON:\n{first}")))
            }
        }
        Kind::List => {
            if words.len() == 1 && first.trim().starts_with('[') {
                return json(first).map_err(error);
            }
            let member = shape(shape_def.target).ok_or_else(|| error("no model".into()))?;
            let mut items = Vec::with_capacity(words.len());
            for word in words {
                items.push(unpack(member, std::slice::from_ref(word), false, cli_name)?);
            }
            Ok(Value::Array(items))
        }
        _ => scalar(shape_def, first).map_err(error),
    }
}

fn json(text: &str) -> Result<Value, String> {
    serde_json::from_str::<Value>(text)
        .map_err(|e| format!("Invalid JSON: {e}\nJSON received: {text}"))
}

/// `unpack_scalar_cli_arg`: integers and doubles parsed, booleans true
/// unless the word is `false`, anything else kept as text.
fn scalar(shape: &ShapeDef, word: &str) -> Result<Value, String> {
    match shape.kind {
        Kind::Integer => python_int(word).map(Value::from),
        Kind::Double => python_float(word),
        Kind::Boolean => Ok(Value::Bool(!word.eq_ignore_ascii_case("false"))),
        _ => Ok(Value::String(word.to_string())),
    }
}

/// Python's `int(text)`: surrounding whitespace, a sign, digits with single
/// underscores between them.
pub(super) fn python_int(text: &str) -> Result<i64, String> {
    let invalid = || format!("invalid literal for int() with base 10: '{text}'");
    let t = text.trim();
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return Err(invalid());
    }
    let mut value: i64 = 0;
    for c in digits.chars().filter(|&c| c != '_') {
        let d = c.to_digit(10).ok_or_else(invalid)?;
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(d)))
            .ok_or_else(|| format!("{text} is too large for this console"))?;
    }
    Ok(if negative { -value } else { value })
}

/// Python's `float(text)`, finite values only (JSON has no others).
fn python_float(text: &str) -> Result<Value, String> {
    let error = || format!("could not convert string to float: '{text}'");
    let t = text.trim().replace('_', "");
    let (sign, body) = match t.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", t.strip_prefix('+').unwrap_or(&t)),
    };
    let mut body = body.to_string();
    if body.starts_with('.') {
        body.insert(0, '0');
    }
    if body.ends_with('.') {
        body.push('0');
    }
    let body = body.replace(".e", ".0e").replace(".E", ".0E");
    let x = crate::json::number::parse_f64(&format!("{sign}{body}")).ok_or_else(error)?;
    Number::from_f64(x).map(Value::Number).ok_or_else(error)
}

fn shorthand_value(value: Shorthand) -> Value {
    match value {
        Shorthand::Str(s) => Value::String(s),
        Shorthand::List(items) => Value::Array(items.into_iter().map(shorthand_value).collect()),
        Shorthand::Map(pairs) => Value::Object(
            pairs
                .into_iter()
                .map(|(k, v)| (k, shorthand_value(v)))
                .collect::<Map<_, _>>(),
        ),
    }
}

/// `BackCompatVisitor`: with the model in hand, a lone value where a list
/// belongs becomes a one-item list, and numbers and booleans are converted.
fn back_compat(value: &mut Value, shape_def: &ShapeDef) -> Result<(), String> {
    match shape_def.kind {
        Kind::Document => Err(
            "Shorthand syntax does not support document types. Use JSON input for top-level \
             argument to specify nested parameter."
                .to_string(),
        ),
        Kind::Structure => {
            let Value::Object(members) = value else {
                return Ok(());
            };
            for member in shape_def.members {
                if let (Some(v), Some(s)) = (members.get_mut(member.0), shape(member.1)) {
                    back_compat(v, s).map_err(|e| {
                        if s.kind == Kind::Document {
                            format!(
                                "Shorthand syntax does not support document types. Use JSON input \
                                 for top-level argument to specify nested parameter: {}",
                                member.0
                            )
                        } else {
                            e
                        }
                    })?;
                }
            }
            Ok(())
        }
        Kind::List => {
            let Some(item) = shape(shape_def.target) else {
                return Ok(());
            };
            match value {
                Value::Array(items) => items.iter_mut().try_for_each(|v| back_compat(v, item)),
                Value::Null => Ok(()),
                other => {
                    *other = Value::Array(vec![other.take()]);
                    Ok(())
                }
            }
        }
        Kind::Map => {
            let Some(item) = shape(shape_def.target) else {
                return Ok(());
            };
            match value {
                Value::Object(members) => {
                    members.values_mut().try_for_each(|v| back_compat(v, item))
                }
                _ => Ok(()),
            }
        }
        Kind::Integer | Kind::Double | Kind::Boolean => {
            let Value::String(text) = value else {
                return Err(format!("expected a single value, got {value}"));
            };
            *value = match shape_def.kind {
                Kind::Integer => Value::from(python_int(text)?),
                Kind::Double => python_float(text)?,
                _ if text.eq_ignore_ascii_case("true") => Value::Bool(true),
                _ if text.eq_ignore_ascii_case("false") => Value::Bool(false),
                _ => return Ok(()),
            };
            Ok(())
        }
        Kind::String | Kind::Timestamp => Ok(()),
    }
}

/// botocore's `ParamValidator`: every problem in the request, one a line.
pub(super) fn validate(value: &Value, shape_def: &ShapeDef, name: &str, errors: &mut Vec<String>) {
    let shown = if name.is_empty() {
        "input"
    } else {
        name.strip_prefix('.').unwrap_or(name)
    };
    let invalid_type = |errors: &mut Vec<String>, valid: &str| {
        errors.push(format!(
            "Invalid type for parameter {shown}, value: {}, type: {}, valid types: {valid}",
            python_str(value),
            python_type(value)
        ));
    };
    match shape_def.kind {
        Kind::Document => {}
        Kind::Structure => {
            let Value::Object(members) = value else {
                return invalid_type(errors, "<class 'dict'>");
            };
            for member in shape_def.members.iter().filter(|m| m.2) {
                if !members.contains_key(member.0) {
                    errors.push(format!(
                        "Missing required parameter in {shown}: \"{}\"",
                        member.0
                    ));
                }
            }
            let names: Vec<&str> = shape_def.members.iter().map(|m| m.0).collect();
            for key in members.keys() {
                if !names.contains(&key.as_str()) {
                    errors.push(format!(
                        "Unknown parameter in {shown}: \"{key}\", must be one of: {}",
                        names.join(", ")
                    ));
                }
            }
            for (key, item) in members {
                if let Some(member) = shape_def.members.iter().find(|m| m.0 == key) {
                    if let Some(s) = shape(member.1) {
                        validate(item, s, &format!("{name}.{key}"), errors);
                    }
                }
            }
        }
        Kind::List => {
            let Value::Array(items) = value else {
                return invalid_type(errors, "<class 'list'>, <class 'tuple'>");
            };
            check_min(errors, shown, items.len() as i64, shape_def.min, "length");
            if let Some(item_shape) = shape(shape_def.target) {
                for (i, item) in items.iter().enumerate() {
                    validate(item, item_shape, &format!("{name}[{i}]"), errors);
                }
            }
        }
        Kind::Map => {
            let Value::Object(members) = value else {
                return invalid_type(errors, "<class 'dict'>");
            };
            if let Some(item_shape) = shape(shape_def.target) {
                for (key, item) in members {
                    validate(item, item_shape, &format!("{name}.{key}"), errors);
                }
            }
        }
        Kind::String => match value {
            Value::String(s) => check_min(
                errors,
                shown,
                s.chars().count() as i64,
                shape_def.min,
                "length",
            ),
            _ => invalid_type(errors, "<class 'str'>"),
        },
        Kind::Integer => match value.as_i64() {
            Some(n) => check_min(errors, shown, n, shape_def.min, "value"),
            None => invalid_type(errors, "<class 'int'>"),
        },
        Kind::Double => match value.as_f64() {
            Some(n) if value.is_number() => {
                if shape_def.min.is_some_and(|min| n < f64::from(min)) {
                    check_min(errors, shown, i64::MIN, shape_def.min, "value");
                }
            }
            _ => invalid_type(
                errors,
                "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>",
            ),
        },
        Kind::Boolean => {
            if !value.is_boolean() {
                invalid_type(errors, "<class 'bool'>");
            }
        }
        Kind::Timestamp => {
            if epoch_seconds(value).is_err() {
                invalid_type(errors, "<class 'datetime.datetime'>, timestamp-string");
            }
        }
    }
}

fn check_min(errors: &mut Vec<String>, name: &str, actual: i64, min: Option<i32>, what: &str) {
    if let Some(min) = min {
        if actual < i64::from(min) {
            let kind = if what == "length" {
                "Invalid length"
            } else {
                "Invalid value"
            };
            let shown = if actual == i64::MIN {
                "below".to_string()
            } else {
                actual.to_string()
            };
            errors.push(format!(
                "{kind} for parameter {name}, value: {shown}, valid min {what}: {min}"
            ));
        }
    }
}

fn python_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "<class 'NoneType'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Number(n) if n.is_f64() => "<class 'float'>",
        Value::Number(_) => "<class 'int'>",
        Value::String(_) => "<class 'str'>",
        Value::Array(_) => "<class 'list'>",
        Value::Object(_) => "<class 'dict'>",
    }
}

fn python_str(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::String(s) => s.clone(),
        other => super::output::request_body(other),
    }
}

/// botocore's serializer: the validated request with timestamps as whole
/// epoch seconds and null members left out.
pub(super) fn serialize(value: &Value, shape_def: &ShapeDef) -> Value {
    match (shape_def.kind, value) {
        (Kind::Structure, Value::Object(members)) => Value::Object(
            members
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    let member = shape_def
                        .members
                        .iter()
                        .find(|m| m.0 == k)
                        .and_then(|m| shape(m.1));
                    (
                        k.clone(),
                        member.map_or_else(|| v.clone(), |s| serialize(v, s)),
                    )
                })
                .collect(),
        ),
        (Kind::List, Value::Array(items)) => match shape(shape_def.target) {
            Some(item) => Value::Array(items.iter().map(|v| serialize(v, item)).collect()),
            None => value.clone(),
        },
        (Kind::Map, Value::Object(members)) => match shape(shape_def.target) {
            Some(item) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), serialize(v, item)))
                    .collect(),
            ),
            None => value.clone(),
        },
        (Kind::Timestamp, _) => epoch_seconds(value)
            .map(Value::from)
            .unwrap_or_else(|_| value.clone()),
        _ => value.clone(),
    }
}

/// A timestamp as botocore reads it, in whole seconds since the epoch
/// (`int(calendar.timegm(dt.timetuple()))`, so fractions are dropped).
/// Numbers and numeric text are epoch seconds; other text must be ISO 8601
/// (`2024-01-01`, `2024-01-01T12:00:00Z`, `…+02:00`). botocore also reads the
/// free forms of dateutil (`Jan 1 2024`), which this console refuses.
pub(super) fn epoch_seconds(value: &Value) -> Result<i64, String> {
    let seconds = |x: f64| -> Result<i64, String> {
        if x.is_finite() && x.abs() < 1e13 {
            Ok(x.floor() as i64)
        } else {
            Err(format!("timestamp {x} is out of range"))
        }
    };
    match value {
        Value::Number(n) => match n.as_i64() {
            Some(i) => Ok(i),
            None => seconds(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(text) => {
            let t = text.trim();
            if let Ok(n) = t.parse::<Number>() {
                return epoch_seconds(&Value::Number(n));
            }
            iso8601(t).ok_or_else(|| {
                format!(
                    "Invalid timestamp \"{text}\": write ISO 8601 (2024-01-01T00:00:00Z) or seconds \
                     since the epoch"
                )
            })
        }
        _ => Err("not a timestamp".into()),
    }
}

fn iso8601(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        if part.bytes().all(|c| c.is_ascii_digit()) && !part.is_empty() {
            part.parse().ok()
        } else {
            None
        }
    };
    let year = num(0..4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let (month, day) = (num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    let mut rest = text.get(10..)?;
    if rest.is_empty() {
        return Some(seconds);
    }
    if !rest.starts_with(['T', 't', ' ']) {
        return None;
    }
    rest = rest.get(1..)?;
    let time_end = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (time, zone) = rest.split_at(time_end);
    let (clock, _fraction) = match time.split_once('.') {
        Some((c, f)) if !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()) => (c, f),
        Some(_) => return None,
        None => (time, ""),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.len() != 2 || !p.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let field = |i: usize| {
        parts
            .get(i)
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let (h, m, s) = (field(0), field(1), field(2));
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    seconds += h * 3600 + m * 60 + s;
    match zone {
        "" | "Z" | "z" => Some(seconds),
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone.get(1..)?.chars().filter(|&c| c != ':').collect();
            if digits.len() != 4 || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let offset = digits.get(0..2)?.parse::<i64>().ok()? * 3600
                + digits.get(2..4)?.parse::<i64>().ok()? * 60;
            Some(seconds - sign * offset)
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_timestamps_as_botocore_sends_them() {
        let cases = [
            (json!("2024-01-01"), Ok(1_704_067_200)),
            (json!("2024-01-01T00:00:00.5Z"), Ok(1_704_067_200)),
            (json!("2024-01-01T02:00:00+02:00"), Ok(1_704_067_200)),
            (json!("2023-12-31T19:00-0500"), Ok(1_704_067_200)),
            (json!("1700000000.7"), Ok(1_700_000_000)),
            (json!(1_700_000_000), Ok(1_700_000_000)),
            (json!(-1.5), Ok(-2)),
        ];
        for (value, want) in cases {
            assert_eq!(epoch_seconds(&value), want, "{value}");
        }
        assert!(epoch_seconds(&json!("Jan 1 2024")).is_err());
        assert!(epoch_seconds(&json!("2024-13-01")).is_err());
    }

    #[test]
    fn reads_integers_as_python_does() {
        assert_eq!(python_int(" 12 "), Ok(12));
        assert_eq!(python_int("-1_000"), Ok(-1000));
        assert_eq!(python_int("+3"), Ok(3));
        for bad in ["", "1.5", "_1", "1__0", "x", "99999999999999999999"] {
            assert!(python_int(bad).is_err(), "{bad}");
        }
    }
}
