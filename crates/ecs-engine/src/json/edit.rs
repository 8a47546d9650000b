//! Format-preserving edits of JSON text at a path.
//!
//! Forms write through these functions so that the text stays the single
//! source of truth: every edit is one splice of the original text, so members
//! the form does not know, the user's indentation, line endings and number
//! spelling outside the edited range stay byte-identical. New values are laid
//! out in the style of the container they land in (inline containers stay
//! inline; indented ones get the document's indent unit and line ending).

use std::fmt;

use serde_json::Value;

use super::node::{JsonPath, Node, NodeKind, Segment};
use super::parse::{parse, SyntaxError, MAX_DEPTH};
use crate::text::Span;

/// The result of an edit: the new text, and where the change is in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    pub text: String,
    /// The bytes of the original text that were replaced.
    pub replaced: Span,
    /// The replacement's range in the new text (empty for a removal).
    pub range: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The document is not JSON, so there is no tree to edit.
    Syntax(SyntaxError),
    /// Nothing is at the path (for remove and rename).
    NotFound { path: String },
    /// A value on the path is not the object or array the path needs.
    WrongType {
        path: String,
        expected: &'static str,
        found: &'static str,
    },
    /// An array index past the end (appending at the length is allowed).
    IndexOutOfRange { path: String, len: usize },
    /// The root value can only be replaced, not removed or renamed.
    RootNotEditable,
    /// Renaming onto a key that the object already has.
    DuplicateKey { key: String },
    /// The value would nest deeper than the parser accepts.
    TooDeep,
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::Syntax(e) => write!(f, "the JSON does not parse: {}", e.message),
            EditError::NotFound { path } => write!(f, "nothing is at {path}"),
            EditError::WrongType {
                path,
                expected,
                found,
            } => write!(f, "{path} is {found}, not {expected}"),
            EditError::IndexOutOfRange { path, len } => {
                write!(f, "{path} is past the end of an array of {len}")
            }
            EditError::RootNotEditable => {
                f.write_str("the root value cannot be removed or renamed")
            }
            EditError::DuplicateKey { key } => write!(
                f,
                "the object already has a member {}",
                super::write::quoted(key)
            ),
            EditError::TooDeep => f.write_str("the value nests too deeply"),
        }
    }
}

impl std::error::Error for EditError {}

/// Sets the value at `path`, creating missing parent objects and arrays. An
/// array index equal to the array's length appends; a JSON `null` on the way
/// is replaced as if absent.
pub fn set(text: &str, path: &JsonPath, value: &Value) -> Result<Edited, EditError> {
    let root = parse(text).map_err(EditError::Syntax)?;
    let style = Style::infer(text);
    let mut node = &root;
    let mut parent_multiline = text.contains('\n');
    for (depth, segment) in path.0.iter().enumerate() {
        let here = JsonPath(path.0.get(..depth).unwrap_or_default().to_vec());
        let rest = path.0.get(depth + 1..).unwrap_or_default();
        let child = match (&node.kind, segment) {
            (NodeKind::Object(_), Segment::Key(key)) => node.get(key),
            (NodeKind::Array(items), Segment::Index(i)) => {
                if *i > items.len() {
                    return Err(EditError::IndexOutOfRange {
                        path: here.index(*i).to_string(),
                        len: items.len(),
                    });
                }
                items.get(*i)
            }
            (NodeKind::Null, _) => {
                let nested = nest(path.0.get(depth..).unwrap_or_default(), value, &here)?;
                return replace(text, node, &nested, &style, parent_multiline);
            }
            (_, Segment::Key(_)) => return Err(wrong_type(&here, "an object", node)),
            (_, Segment::Index(_)) => return Err(wrong_type(&here, "an array", node)),
        };
        match child {
            Some(child) => {
                parent_multiline = is_multiline(text, node.span);
                node = child;
            }
            None => {
                let mut missing = here.clone();
                missing.0.push(segment.clone());
                let nested = nest(rest, value, &missing)?;
                return match segment {
                    Segment::Key(key) => insert_member(text, node, key, &nested, &style),
                    Segment::Index(i) => insert_item(text, node, *i, &nested, &style),
                };
            }
        }
    }
    replace(text, node, value, &style, parent_multiline)
}

/// Inserts `value` into the array at `array_path` before `index` (or at the
/// end when `index` is the length). A missing array is created.
pub fn insert(
    text: &str,
    array_path: &JsonPath,
    index: usize,
    value: &Value,
) -> Result<Edited, EditError> {
    let root = parse(text).map_err(EditError::Syntax)?;
    match root.at(array_path) {
        Some(array) if array.is_array() => {
            insert_item(text, array, index, value, &Style::infer(text))
        }
        Some(other) if !other.is_null() => Err(wrong_type(array_path, "an array", other)),
        _ if index == 0 => set(text, array_path, &Value::Array(vec![value.clone()])),
        _ => Err(EditError::IndexOutOfRange {
            path: array_path.index(index).to_string(),
            len: 0,
        }),
    }
}

/// Removes the member or array item at `path`, with its comma. Every
/// duplicate of a removed key goes too, so that reading the path finds nothing.
pub fn remove(text: &str, path: &JsonPath) -> Result<Edited, EditError> {
    let mut edited = remove_once(text, path)?;
    if !matches!(path.0.last(), Some(Segment::Key(_))) {
        return Ok(edited);
    }
    let mut rounds = 0;
    // Each round removes one duplicate; a document has finitely many.
    while let Ok(again) = remove_once(&edited.text, path) {
        edited = again;
        rounds += 1;
        if rounds > text.len() {
            break;
        }
    }
    if rounds == 0 {
        return Ok(edited);
    }
    let (replaced, range) = changed_spans(text, &edited.text);
    Ok(Edited {
        text: edited.text,
        replaced,
        range,
    })
}

/// The smallest spans that differ between two texts, on character boundaries.
fn changed_spans(old: &str, new: &str) -> (Span, Span) {
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !(old.is_char_boundary(prefix) && new.is_char_boundary(prefix)) {
        prefix -= 1;
    }
    let limit = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(limit)
        .take_while(|(a, b)| a == b)
        .count();
    while !(old.is_char_boundary(old.len() - suffix) && new.is_char_boundary(new.len() - suffix)) {
        suffix -= 1;
    }
    (
        Span::new(prefix, old.len() - suffix),
        Span::new(prefix, new.len() - suffix),
    )
}

/// Moves the array item at `from` so that it ends up at index `to`, keeping
/// the item's own text (its inner formatting) unchanged.
pub fn move_item(
    text: &str,
    array_path: &JsonPath,
    from: usize,
    to: usize,
) -> Result<Edited, EditError> {
    let root = parse(text).map_err(EditError::Syntax)?;
    let array = root.at(array_path).ok_or_else(|| not_found(array_path))?;
    if !array.is_array() {
        return Err(wrong_type(array_path, "an array", array));
    }
    let len = array.items().len();
    let item = array.items().get(from).ok_or(EditError::IndexOutOfRange {
        path: array_path.index(from).to_string(),
        len,
    })?;
    if to >= len {
        return Err(EditError::IndexOutOfRange {
            path: array_path.index(to).to_string(),
            len,
        });
    }
    let item_text = text
        .get(item.span.start as usize..item.span.end as usize)
        .unwrap_or_default()
        .to_string();
    if from == to {
        return splice(text, item.span, &item_text);
    }
    let removed = remove_once(text, &array_path.index(from))?;
    let root = parse(&removed.text).map_err(EditError::Syntax)?;
    let array = root.at(array_path).ok_or_else(|| not_found(array_path))?;
    let starts: Vec<u32> = array.items().iter().map(|n| n.span.start).collect();
    let ends: Vec<u32> = array.items().iter().map(|n| n.span.end).collect();
    let style = Style::infer(text);
    let place = Placement::find(&removed.text, array, &starts, &ends, &style);
    let moved = place.insert(&removed.text, array, &starts, &ends, to, &item_text)?;
    let (replaced, range) = changed_spans(text, &moved.text);
    Ok(Edited {
        text: moved.text,
        replaced,
        range,
    })
}

/// Renames the member at `path` to `new_key`, keeping its value and place.
pub fn rename(text: &str, path: &JsonPath, new_key: &str) -> Result<Edited, EditError> {
    let root = parse(text).map_err(EditError::Syntax)?;
    let (parent_path, key) = match (path.parent(), path.0.last()) {
        (Some(parent), Some(Segment::Key(key))) => (parent, key),
        (Some(_), Some(Segment::Index(_))) => {
            return Err(EditError::WrongType {
                path: path.to_string(),
                expected: "an object member",
                found: "an array item",
            })
        }
        _ => return Err(EditError::RootNotEditable),
    };
    let parent = root.at(&parent_path).ok_or_else(|| not_found(path))?;
    let member = parent.member(key).ok_or_else(|| not_found(path))?;
    if key == new_key {
        return splice(text, member.key_span, &quote(key));
    }
    if parent.member(new_key).is_some() {
        return Err(EditError::DuplicateKey {
            key: new_key.to_string(),
        });
    }
    splice(text, member.key_span, &quote(new_key))
}

fn remove_once(text: &str, path: &JsonPath) -> Result<Edited, EditError> {
    let root = parse(text).map_err(EditError::Syntax)?;
    let parent_path = path.parent().ok_or(EditError::RootNotEditable)?;
    let parent = root.at(&parent_path).ok_or_else(|| not_found(path))?;
    // Element spans: a member runs from its key to the end of its value.
    let elements: Vec<Span> = match &parent.kind {
        NodeKind::Object(members) => members
            .iter()
            .map(|m| Span::new(m.key_span.start as usize, m.value.span.end as usize))
            .collect(),
        NodeKind::Array(items) => items.iter().map(|n| n.span).collect(),
        _ => return Err(not_found(path)),
    };
    let position = match (&parent.kind, path.0.last()) {
        (NodeKind::Object(members), Some(Segment::Key(key))) => {
            members.iter().rposition(|m| &m.key == key)
        }
        (NodeKind::Array(items), Some(Segment::Index(i))) => (*i < items.len()).then_some(*i),
        _ => None,
    }
    .ok_or_else(|| not_found(path))?;
    let Some(last) = elements.last() else {
        return Err(not_found(path));
    };
    let cut = if elements.len() == 1 {
        // The only element: leave an empty `{}` or `[]`.
        Span::new(
            parent.span.start as usize + 1,
            (parent.span.end as usize).saturating_sub(1),
        )
    } else if let Some(next) = elements.get(position + 1) {
        // Up to the next element: the comma and the whitespace go with it.
        Span::new(
            elements.get(position).map_or(0, |s| s.start) as usize,
            next.start as usize,
        )
    } else {
        // The last element: cut from the end of the one before.
        let previous = elements
            .get(position.wrapping_sub(1))
            .ok_or_else(|| not_found(path))?;
        Span::new(previous.end as usize, last.end as usize)
    };
    splice(text, cut, "")
}

fn not_found(path: &JsonPath) -> EditError {
    EditError::NotFound {
        path: path.to_string(),
    }
}

fn wrong_type(path: &JsonPath, expected: &'static str, node: &Node) -> EditError {
    EditError::WrongType {
        path: path.to_string(),
        expected,
        found: node.type_name(),
    }
}

/// Wraps `value` in the objects and arrays the remaining path segments name.
fn nest(segments: &[Segment], value: &Value, at: &JsonPath) -> Result<Value, EditError> {
    let mut nested = value.clone();
    let mut path = at.clone();
    for segment in segments {
        path.0.push(segment.clone());
    }
    for segment in segments.iter().rev() {
        path.0.pop();
        nested = match segment {
            Segment::Key(key) => {
                let mut object = serde_json::Map::new();
                object.insert(key.clone(), nested);
                Value::Object(object)
            }
            Segment::Index(0) => Value::Array(vec![nested]),
            Segment::Index(i) => {
                return Err(EditError::IndexOutOfRange {
                    path: path.index(*i).to_string(),
                    len: 0,
                })
            }
        };
    }
    Ok(nested)
}

fn replace(
    text: &str,
    node: &Node,
    value: &Value,
    style: &Style,
    multiline: bool,
) -> Result<Edited, EditError> {
    // A container the user wrote on one line stays on one line.
    let was_inline = (node.is_object() || node.is_array()) && !is_multiline(text, node.span);
    let layout = if multiline && !was_inline && (value.is_object() || value.is_array()) {
        Layout::Block(line_indent(text, node.span.start as usize).to_string())
    } else {
        Layout::Inline
    };
    let rendered = render(value, style, &layout, 0)?;
    splice(text, node.span, &rendered)
}

fn insert_member(
    text: &str,
    object: &Node,
    key: &str,
    value: &Value,
    style: &Style,
) -> Result<Edited, EditError> {
    let members = object.members();
    let colon = members
        .first()
        .and_then(|m| text.get(m.key_span.end as usize..m.value.span.start as usize))
        .unwrap_or(style.colon);
    let starts: Vec<u32> = members.iter().map(|m| m.key_span.start).collect();
    let ends: Vec<u32> = members.iter().map(|m| m.value.span.end).collect();
    let place = Placement::find(text, object, &starts, &ends, style);
    let layout = place.layout(style);
    let entry = format!("{}{colon}{}", quote(key), render(value, style, &layout, 0)?);
    place.insert(text, object, &starts, &ends, members.len(), &entry)
}

fn insert_item(
    text: &str,
    array: &Node,
    index: usize,
    value: &Value,
    style: &Style,
) -> Result<Edited, EditError> {
    let items = array.items();
    if index > items.len() {
        return Err(EditError::IndexOutOfRange {
            path: format!("item {index}"),
            len: items.len(),
        });
    }
    let starts: Vec<u32> = items.iter().map(|n| n.span.start).collect();
    let ends: Vec<u32> = items.iter().map(|n| n.span.end).collect();
    let place = Placement::find(text, array, &starts, &ends, style);
    let layout = place.layout(style);
    let entry = render(value, style, &layout, 0)?;
    place.insert(text, array, &starts, &ends, index, &entry)
}

/// Where a new element goes and what separates it from its neighbours.
struct Placement {
    /// The whitespace before an element (after `[`, `{` or a comma).
    separator: String,
    /// The whitespace before the closing bracket, for an empty container.
    closing: String,
    multiline: bool,
}

impl Placement {
    fn find(text: &str, container: &Node, starts: &[u32], ends: &[u32], style: &Style) -> Self {
        let open = container.span.start as usize + 1;
        let close = (container.span.end as usize).saturating_sub(1);
        let between = |a: usize, b: usize| text.get(a..b).unwrap_or_default();
        let multiline = is_multiline(text, container.span);
        if let (Some(first_start), Some(last_end)) = (starts.first(), ends.last()) {
            let leading = between(open, *first_start as usize);
            let closing = between(*last_end as usize, close).to_string();
            // After the first comma, if there are two elements: that is how
            // this container separates them.
            let after_comma = match (ends.first(), starts.get(1)) {
                (Some(end), Some(next)) => {
                    let gap = between(*end as usize, *next as usize);
                    gap.find(',').and_then(|c| gap.get(c + 1..))
                }
                _ => None,
            };
            let separator = match after_comma {
                Some(gap) => gap.to_string(),
                None if leading.contains('\n') => leading.to_string(),
                None => style.item_gap.to_string(),
            };
            return Placement {
                separator,
                closing,
                multiline: multiline && leading.contains('\n'),
            };
        }
        // An empty container: open it up in the document's style.
        let indent = line_indent(text, container.span.start as usize);
        if style.multiline() {
            Placement {
                separator: format!("{}{indent}{}", style.newline, style.indent),
                closing: format!("{}{indent}", style.newline),
                multiline: true,
            }
        } else {
            Placement {
                separator: String::new(),
                closing: String::new(),
                multiline: false,
            }
        }
    }

    fn layout(&self, _style: &Style) -> Layout {
        if self.multiline {
            let indent = self.separator.rsplit('\n').next().unwrap_or_default();
            Layout::Block(indent.to_string())
        } else {
            Layout::Inline
        }
    }

    fn insert(
        &self,
        text: &str,
        container: &Node,
        starts: &[u32],
        ends: &[u32],
        index: usize,
        entry: &str,
    ) -> Result<Edited, EditError> {
        let open = container.span.start as usize + 1;
        let close = (container.span.end as usize).saturating_sub(1);
        if starts.is_empty() {
            let new = format!("{}{entry}{}", self.separator, self.closing);
            return splice(text, Span::new(open, close), &new);
        }
        if let Some(start) = starts.get(index) {
            // Before an existing element: the entry, a comma, then the gap
            // that element had.
            let new = format!("{entry},{}", self.separator);
            return splice(text, Span::new(*start as usize, *start as usize), &new);
        }
        let end = ends.last().map_or(open, |e| *e as usize);
        let new = format!(",{}{entry}", self.separator);
        splice(text, Span::new(end, end), &new)
    }
}

/// The document's formatting habits, inferred from its text.
struct Style {
    newline: &'static str,
    /// One level of indentation; empty for a document on one line.
    indent: String,
    colon: &'static str,
    item_gap: &'static str,
}

impl Style {
    fn infer(text: &str) -> Style {
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let indent = if text.contains('\n') {
            text.lines()
                .skip(1)
                .map(|line| {
                    let width = line.len() - line.trim_start_matches([' ', '\t']).len();
                    line.get(..width).unwrap_or_default()
                })
                .filter(|ws| !ws.is_empty() && ws.len() < line_limit())
                .min_by_key(|ws| ws.len())
                .unwrap_or("  ")
                .to_string()
        } else {
            String::new()
        };
        // Minified only on evidence: separators with no space after them.
        let spacious = text.contains(": ") || text.contains(", ") || text.contains('\n');
        let compact = !spacious && (text.contains(':') || text.contains(','));
        Style {
            newline,
            indent,
            colon: if compact { ":" } else { ": " },
            item_gap: if compact { "" } else { " " },
        }
    }

    fn multiline(&self) -> bool {
        !self.indent.is_empty()
    }
}

/// Indents longer than this are alignment, not a unit of nesting.
const fn line_limit() -> usize {
    17
}

enum Layout {
    Inline,
    /// One member or item per line; the string is the indentation of the
    /// line the value starts on.
    Block(String),
}

fn render(
    value: &Value,
    style: &Style,
    layout: &Layout,
    depth: usize,
) -> Result<String, EditError> {
    if depth > MAX_DEPTH {
        return Err(EditError::TooDeep);
    }
    let (open, close, parts) = match value {
        Value::Object(map) if !map.is_empty() => {
            let inner = deeper(layout, style);
            let mut parts = Vec::with_capacity(map.len());
            for (key, v) in map {
                parts.push(format!(
                    "{}{}{}",
                    quote(key),
                    style.colon,
                    render(v, style, &inner, depth + 1)?
                ));
            }
            ('{', '}', parts)
        }
        Value::Array(items) if !items.is_empty() => {
            let inner = deeper(layout, style);
            let mut parts = Vec::with_capacity(items.len());
            for v in items {
                parts.push(render(v, style, &inner, depth + 1)?);
            }
            ('[', ']', parts)
        }
        Value::Object(_) => return Ok("{}".to_string()),
        Value::Array(_) => return Ok("[]".to_string()),
        scalar => return Ok(super::write::compact(scalar)),
    };
    Ok(match layout {
        Layout::Block(indent) => {
            let inner = format!("{}{indent}{}", style.newline, style.indent);
            format!(
                "{open}{inner}{}{}{indent}{close}",
                parts.join(&format!(",{inner}")),
                style.newline
            )
        }
        Layout::Inline => {
            let gap = format!(",{}", style.item_gap);
            let pad = if style.item_gap.is_empty() || close == ']' {
                ""
            } else {
                " "
            };
            format!("{open}{pad}{}{pad}{close}", parts.join(&gap))
        }
    })
}

fn deeper(layout: &Layout, style: &Style) -> Layout {
    match layout {
        Layout::Block(indent) => Layout::Block(format!("{indent}{}", style.indent)),
        Layout::Inline => Layout::Inline,
    }
}

fn quote(key: &str) -> String {
    super::write::quoted(key)
}

fn is_multiline(text: &str, span: Span) -> bool {
    text.get(span.start as usize..span.end as usize)
        .is_some_and(|s| s.contains('\n'))
}

/// The spaces and tabs that start the line holding `offset`.
fn line_indent(text: &str, offset: usize) -> &str {
    let before = text.get(..offset).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..).unwrap_or_default();
    let width = line.len() - line.trim_start_matches([' ', '\t']).len();
    line.get(..width).unwrap_or_default()
}

fn splice(text: &str, span: Span, new: &str) -> Result<Edited, EditError> {
    let (start, end) = (span.start as usize, span.end as usize);
    let (Some(before), Some(after)) = (text.get(..start), text.get(end..)) else {
        return Err(EditError::NotFound {
            path: format!("bytes {start}..{end}"),
        });
    };
    Ok(Edited {
        text: format!("{before}{new}{after}"),
        replaced: span,
        range: Span::new(start, start + new.len()),
    })
}

#[cfg(test)]
mod tests;
