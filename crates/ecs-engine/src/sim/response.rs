//! An operation's answer, in the form its readers want it.
//!
//! Most operations build their answer as a JSON value. The hot ones
//! (RunTask, StartTask, StopTask, DescribeTasks) write it as JSON text
//! straight from the account's typed records
//! (`json::write::ObjectWriter`): the local endpoint and the
//! wasm boundary send text, and building a value tree only to write it out
//! again cost more than the placement itself. A reader that wants a value
//! (a test, a scenario's record, a lesson's goal) gets one, read from the
//! text the first time it asks.

use std::cell::OnceCell;
use std::fmt;
use std::ops::Deref;

use serde_json::Value;

/// The answer of [`super::Ecs::call`]: JSON text, a JSON value, or both.
/// Derefs to the value (read from the text on first use).
#[derive(Debug, Clone)]
pub struct Response {
    /// The answer as written, for an operation that writes text.
    text: Option<String>,
    value: OnceCell<Value>,
}

impl Response {
    /// An answer written as JSON text (always a JSON object).
    pub(crate) fn written(text: String) -> Response {
        Response {
            text: Some(text),
            value: OnceCell::new(),
        }
    }

    /// The answer as a JSON value.
    pub fn value(&self) -> &Value {
        self.value.get_or_init(|| match &self.text {
            Some(text) => read(text),
            None => Value::Null,
        })
    }

    pub fn into_value(self) -> Value {
        match (self.value.into_inner(), self.text) {
            (Some(value), _) => value,
            (None, Some(text)) => read(&text),
            (None, None) => Value::Null,
        }
    }

    /// The answer as the wire sends it: minified JSON, member order kept.
    pub fn into_json(self) -> String {
        match self.text {
            Some(text) => text,
            None => self
                .value
                .get()
                .map(crate::json::write::compact)
                .unwrap_or_default(),
        }
    }
}

/// The text the engine wrote, read back. It is always valid JSON (the
/// writers are `json::write`'s); were it not, the reader would see null rather than
/// a panic.
fn read(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

impl From<Value> for Response {
    fn from(value: Value) -> Response {
        Response {
            text: None,
            value: OnceCell::from(value),
        }
    }
}

impl Deref for Response {
    type Target = Value;

    fn deref(&self) -> &Value {
        self.value()
    }
}

impl PartialEq for Response {
    fn eq(&self, other: &Response) -> bool {
        self.value() == other.value()
    }
}

impl PartialEq<Value> for Response {
    fn eq(&self, other: &Value) -> bool {
        self.value() == other
    }
}

impl PartialEq<Response> for Value {
    fn eq(&self, other: &Response) -> bool {
        self == other.value()
    }
}

impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.text {
            Some(text) => f.write_str(text),
            None => fmt::Display::fmt(self.value(), f),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_written_answer_reads_as_the_value_it_writes() {
        let value = json!({"tasks": [{"b": 1, "a": 1767225600.5}], "failures": []});
        let written = Response::written(crate::json::write::compact(&value));
        assert_eq!(written, value);
        assert_eq!(written["tasks"][0]["a"], 1767225600.5);
        assert_eq!(
            written.to_string(),
            r#"{"tasks":[{"b":1,"a":1767225600.5}],"failures":[]}"#
        );
        assert_eq!(written.clone().into_value(), value);
        let built = Response::from(value.clone());
        assert_eq!(built, written);
        assert_eq!(built.into_json(), written.into_json());
    }
}
