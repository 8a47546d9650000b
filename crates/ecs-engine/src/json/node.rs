//! The located JSON tree, and paths into it.

use std::fmt;

use crate::text::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The whole value, brackets and quotes included.
    pub span: Span,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    /// The number exactly as written, so that nothing is lost to rounding.
    Number(String),
    String(String),
    Array(Vec<Node>),
    /// Members in the order the user wrote them; duplicates are kept.
    Object(Vec<Member>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    /// The value of the last member named `key` (JSON's "last one wins").
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }

    pub fn member(&self, key: &str) -> Option<&Member> {
        match &self.kind {
            NodeKind::Object(members) => members.iter().rev().find(|m| m.key == key),
            _ => None,
        }
    }

    pub fn members(&self) -> &[Member] {
        match &self.kind {
            NodeKind::Object(members) => members,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Array(items) => items,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            NodeKind::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// An integer value; `None` for fractions, strings and numbers out of range.
    pub fn as_i64(&self) -> Option<i64> {
        match &self.kind {
            NodeKind::Number(raw) => raw.parse().ok(),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            NodeKind::Number(raw) => super::number::parse_f64(raw),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        self.kind == NodeKind::Null
    }

    pub fn is_object(&self) -> bool {
        matches!(self.kind, NodeKind::Object(_))
    }

    pub fn is_array(&self) -> bool {
        matches!(self.kind, NodeKind::Array(_))
    }

    pub fn type_name(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Number(_) => "a number",
            NodeKind::String(_) => "a string",
            NodeKind::Array(_) => "an array",
            NodeKind::Object(_) => "an object",
        }
    }

    /// Follows a path from this node.
    pub fn at(&self, path: &JsonPath) -> Option<&Node> {
        let mut node = self;
        for segment in &path.0 {
            node = match segment {
                Segment::Key(k) => node.get(k)?,
                Segment::Index(i) => node.items().get(*i)?,
            };
        }
        Some(node)
    }

    /// Converts to serde_json, keeping member order. Numbers that do not fit
    /// serde_json's types are kept as strings rather than lost.
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Number(raw) => raw
                .parse::<serde_json::Number>()
                .map(Value::Number)
                .unwrap_or_else(|_| Value::String(raw.clone())),
            NodeKind::String(s) => Value::String(s.clone()),
            NodeKind::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            NodeKind::Object(members) => {
                let mut map = serde_json::Map::with_capacity(members.len());
                for m in members {
                    map.insert(m.key.clone(), m.value.to_value());
                }
                Value::Object(map)
            }
        }
    }
}

impl Node {
    /// The tree of a value serde_json has already parsed, without writing it
    /// out and parsing it again: each node's span is where it would stand in
    /// the value's compact text (`Value::to_string`), so findings sort as
    /// they would on that text. `None` when the value nests deeper than
    /// [`super::MAX_DEPTH`] levels, which [`super::parse`] refuses too.
    pub fn from_value(value: &serde_json::Value) -> Option<Node> {
        let mut at = 0;
        from_value_at(value, &mut at, 0)
    }
}

fn from_value_at(value: &serde_json::Value, at: &mut usize, depth: usize) -> Option<Node> {
    use serde_json::Value;
    let start = *at;
    let kind = match value {
        Value::Null => {
            *at += 4;
            NodeKind::Null
        }
        Value::Bool(b) => {
            *at += if *b { 4 } else { 5 };
            NodeKind::Bool(*b)
        }
        Value::Number(n) => {
            let raw = n.to_string();
            *at += raw.len();
            NodeKind::Number(raw)
        }
        Value::String(s) => {
            *at += quoted_len(s);
            NodeKind::String(s.clone())
        }
        Value::Array(items) => {
            if depth >= super::MAX_DEPTH {
                return None;
            }
            *at += 1;
            let mut nodes = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                *at += usize::from(i > 0);
                nodes.push(from_value_at(item, at, depth + 1)?);
            }
            *at += 1;
            NodeKind::Array(nodes)
        }
        Value::Object(map) => {
            if depth >= super::MAX_DEPTH {
                return None;
            }
            *at += 1;
            let mut members = Vec::with_capacity(map.len());
            for (i, (key, member)) in map.iter().enumerate() {
                *at += usize::from(i > 0);
                let key_start = *at;
                *at += quoted_len(key);
                let key_span = Span::new(key_start, *at);
                *at += 1; // `:`
                members.push(Member {
                    key: key.clone(),
                    key_span,
                    value: from_value_at(member, at, depth + 1)?,
                });
            }
            *at += 1;
            NodeKind::Object(members)
        }
    };
    Some(Node {
        span: Span::new(start, *at),
        kind,
    })
}

/// Bytes of `text` as serde_json writes it: quoted, with `"`, `\\` and
/// control characters escaped (short forms where JSON has them, else `\u00XX`).
fn quoted_len(text: &str) -> usize {
    2 + text
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | 0x08 | 0x09 | 0x0a | 0x0c | 0x0d => 2,
            0x00..=0x1f => 6,
            _ => 1,
        })
        .sum::<usize>()
}

/// A path from the document root, like `containerDefinitions[0].memory`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct JsonPath(pub Vec<Segment>);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    Key(String),
    Index(usize),
}

impl JsonPath {
    pub fn root() -> JsonPath {
        JsonPath(Vec::new())
    }

    pub fn key(&self, key: &str) -> JsonPath {
        self.with(Segment::Key(key.to_string()))
    }

    pub fn index(&self, index: usize) -> JsonPath {
        self.with(Segment::Index(index))
    }

    /// This path and one more segment, allocated once at its final size
    /// (rules build many paths; cloning then pushing would reallocate each).
    fn with(&self, last: Segment) -> JsonPath {
        let mut segments = Vec::with_capacity(self.0.len() + 1);
        segments.extend_from_slice(&self.0);
        segments.push(last);
        JsonPath(segments)
    }

    pub fn parent(&self) -> Option<JsonPath> {
        let mut path = self.clone();
        path.0.pop()?;
        Some(path)
    }

    pub fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Segment::Key(k)) => Some(k),
            _ => None,
        }
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("$");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(k) if is_identifier(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Segment::Key(k) => write!(f, "[{}]", super::write::quoted(k))?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    /// A value serde_json parsed reads into the tree, spans included, that
    /// parsing its compact text gives: escapes, non-ASCII text, floats,
    /// nesting and empty containers.
    #[test]
    fn a_parsed_value_reads_as_its_compact_text_parses() {
        let values = [
            r#"{"a": [1, -2, 3.5, 1e300, 0.1, true, false, null], "b": {}, "c": []}"#,
            r#"{"quote\"d": "line\nbreak\ttab\u0001\u001f\\ back\b\f\r", "é✓": "日本"}"#,
            r#"[[[[{"deep": [{"x": "y"}]}]]], "", {"": ""}]"#,
            r#""just a string""#,
            "18446744073709551615",
        ];
        for text in values {
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            let expected = parse(&value.to_string()).unwrap();
            assert_eq!(Node::from_value(&value), Some(expected), "{text}");
        }
        let nested = |depth: usize| {
            (0..depth).fold(serde_json::Value::Null, |inner, _| {
                serde_json::Value::Array(vec![inner])
            })
        };
        let at_limit = nested(super::super::MAX_DEPTH);
        assert!(Node::from_value(&at_limit).is_some());
        assert!(parse(&at_limit.to_string()).is_ok());
        let beyond = nested(super::super::MAX_DEPTH + 1);
        assert_eq!(Node::from_value(&beyond), None);
        assert!(parse(&beyond.to_string()).is_err());
    }

    #[test]
    fn paths_render_like_javascript() {
        let path = JsonPath::root()
            .key("containerDefinitions")
            .index(0)
            .key("memory");
        assert_eq!(path.to_string(), "containerDefinitions[0].memory");
        assert_eq!(JsonPath::root().key("a-b").to_string(), "[\"a-b\"]");
        assert_eq!(JsonPath::root().to_string(), "$");
    }

    #[test]
    fn paths_find_nodes() {
        let node = parse(r#"{"a": [{"b": 7}]}"#).unwrap();
        let path = JsonPath::root().key("a").index(0).key("b");
        assert_eq!(node.at(&path).and_then(Node::as_i64), Some(7));
        assert!(node.at(&JsonPath::root().key("a").index(3)).is_none());
    }

    #[test]
    fn the_last_duplicate_key_wins_and_order_is_kept() {
        let node = parse(r#"{"z": 1, "a": 2, "z": 3}"#).unwrap();
        assert_eq!(node.get("z").and_then(Node::as_i64), Some(3));
        let value = node.to_value();
        let keys: Vec<_> = value.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["z", "a"]);
    }
}
