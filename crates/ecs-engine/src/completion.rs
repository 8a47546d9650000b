//! Completion of field names and enum values at a cursor, from AWS's model.
//!
//! Works on the forgiving token stream rather than the parsed tree, because
//! the document is usually half-typed (and so not valid JSON) at the moment
//! someone asks for a suggestion. The path to the cursor is followed through
//! the generated shape table, starting from the shape of the document's form:
//! register input, describe output or a bare container-definitions array.

use crate::check::schema::{Kind, ShapeDef, SHAPES};
use crate::check::shape::find_shape;
use crate::json::tokens::{tokenize, Token, TokenKind};
use crate::text::Span;

/// Suggestions for one cursor position.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// The text the chosen suggestion replaces (the partly typed word).
    pub replace: Span,
    /// The same range in UTF-16 code units, as a browser text control counts.
    pub replace_utf16: (u32, u32),
    pub items: Vec<CompletionItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompletionItem {
    /// What the list shows, such as `memoryReservation` or `awsvpc`.
    pub label: String,
    /// What replaces the range, such as `"memoryReservation": `.
    pub insert: String,
    /// A short note: `required`, or the member's kind.
    pub detail: &'static str,
}

/// One open container on the way to the cursor.
struct Frame {
    /// Objects track the last key and whether a key or a value comes next;
    /// arrays track the index of the current item.
    is_object: bool,
    key: Option<String>,
    expects_value: bool,
    index: usize,
    /// Index of the container's opening token.
    open: usize,
}

enum Step {
    Key(String),
    Index,
}

/// Suggestions at byte `offset` of `text`, or `None` where there is nothing
/// to suggest (outside any object, in a free-form value, in a number…).
pub fn complete(text: &str, offset: usize) -> Option<Completion> {
    let offset = floor_boundary(text, offset.min(text.len()));
    let tokens = tokenize(text);
    let current = current_word(text, &tokens, offset);
    let walk_end =
        current.unwrap_or_else(|| tokens.partition_point(|t| (t.span.end as usize) <= offset));
    let frames = frames_before(text, &tokens, walk_end);
    let top = frames.last()?;

    // The path of the innermost container, from the root.
    let mut steps = Vec::new();
    for pair in frames.windows(2) {
        if let [parent, _] = pair {
            steps.push(if parent.is_object {
                Step::Key(parent.key.clone().unwrap_or_default())
            } else {
                Step::Index
            });
        }
    }
    let container = resolve(text, &tokens, &frames, &steps)?;

    let (replace, typed) = match current.and_then(|i| tokens.get(i)) {
        Some(token) => {
            let start = token.span.start as usize;
            let typed_from = if matches!(token.kind, TokenKind::Key | TokenKind::String) {
                start + 1
            } else {
                start
            };
            // An unterminated string runs to the end of the line; what
            // follows the caret there (a comma, say) is kept.
            let end = token.span.end as usize;
            let closed = end > typed_from && text.as_bytes().get(end - 1) == Some(&b'"');
            let replace = if typed_from > start && !closed {
                Span::new(start, offset)
            } else {
                token.span
            };
            (
                replace,
                text.get(typed_from.min(offset)..offset).unwrap_or(""),
            )
        }
        None => (Span::new(offset, offset), ""),
    };

    let mut items = if top.is_object && !top.expects_value {
        let container = container?;
        let present = keys_of_object(text, &tokens, top.open, current);
        let colon_follows = tokens
            .get(current.map_or(walk_end, |i| i + 1))
            .is_some_and(|t| t.kind == TokenKind::Colon);
        member_items(container, &present, colon_follows)
    } else {
        let value_shape = if top.is_object {
            match container?.kind {
                Kind::Structure => member_shape(container?, top.key.as_deref()?),
                Kind::Map => SHAPES.get(usize::from(container?.target)),
                _ => None,
            }
        } else {
            container
                .filter(|c| c.kind == Kind::List)
                .and_then(|c| SHAPES.get(usize::from(c.target)))
        };
        value_items(value_shape?)
    };
    filter_and_rank(&mut items, typed);
    if items.is_empty() {
        return None;
    }
    let utf16 = |byte: usize| text.get(..byte).map_or(0, |s| s.encode_utf16().count()) as u32;
    Some(Completion {
        replace,
        replace_utf16: (utf16(replace.start as usize), utf16(replace.end as usize)),
        items,
    })
}

/// The index of the token the cursor is typing in: a key, a string value or
/// a bare word. The cursor is inside a string until its closing quote.
fn current_word(text: &str, tokens: &[Token], offset: usize) -> Option<usize> {
    let i = tokens.partition_point(|t| (t.span.end as usize) < offset);
    let token = tokens.get(i)?;
    let (start, end) = (token.span.start as usize, token.span.end as usize);
    if start >= offset || offset > end {
        return None;
    }
    match token.kind {
        TokenKind::Key | TokenKind::String => {
            let closed = end - start >= 2 && text.as_bytes().get(end - 1) == Some(&b'"');
            (offset < end || !closed).then_some(i)
        }
        TokenKind::Invalid | TokenKind::Literal | TokenKind::Number => Some(i),
        _ => None,
    }
}

/// The containers open before token `end`, outermost first.
fn frames_before(text: &str, tokens: &[Token], end: usize) -> Vec<Frame> {
    let mut frames: Vec<Frame> = Vec::new();
    for (i, token) in tokens.iter().take(end).enumerate() {
        match token.kind {
            TokenKind::Open => {
                let is_object = text.as_bytes().get(token.span.start as usize) == Some(&b'{');
                frames.push(Frame {
                    is_object,
                    key: None,
                    expects_value: false,
                    index: 0,
                    open: i,
                });
            }
            TokenKind::Close => {
                frames.pop();
            }
            TokenKind::Colon => {
                if let Some(f) = frames.last_mut() {
                    f.expects_value = true;
                }
            }
            TokenKind::Comma => {
                if let Some(f) = frames.last_mut() {
                    f.expects_value = false;
                    f.index += 1;
                }
            }
            TokenKind::Key => {
                if let Some(f) = frames.last_mut() {
                    f.key = Some(unquote(text, token.span).to_string());
                }
            }
            _ => {}
        }
    }
    frames
}

/// The shape of the innermost container, following `steps` from the root
/// shape of the document's form. `None` (outer) when the path leaves the
/// model; `Some(None)` never happens: a missing shape is `None` too.
fn resolve(
    text: &str,
    tokens: &[Token],
    frames: &[Frame],
    steps: &[Step],
) -> Option<Option<&'static ShapeDef>> {
    let root = frames.first()?;
    let mut steps = steps.iter();
    let mut shape = if !root.is_object {
        // A bare containerDefinitions array: its items are container definitions.
        if frames.len() == 1 {
            return Some(None);
        }
        steps.next();
        find_shape("ContainerDefinition")?
    } else if keys_of_object(text, tokens, root.open, None)
        .iter()
        .any(|k| k == "taskDefinition")
    {
        find_shape("DescribeTaskDefinitionResponse")?
    } else {
        find_shape("RegisterTaskDefinitionRequest")?
    };
    for step in steps {
        shape = match (step, shape.kind) {
            (Step::Key(key), Kind::Structure) => member_shape(shape, key)?,
            (Step::Key(_), Kind::Map) | (Step::Index, Kind::List) => {
                SHAPES.get(usize::from(shape.target))?
            }
            _ => return None,
        };
    }
    Some(Some(shape))
}

fn member_shape(shape: &ShapeDef, key: &str) -> Option<&'static ShapeDef> {
    let member = shape.members.iter().find(|m| m.0 == key)?;
    SHAPES.get(usize::from(member.1))
}

/// The keys written directly in the object opened at token `open`, leaving
/// out the token being typed.
fn keys_of_object(text: &str, tokens: &[Token], open: usize, typing: Option<usize>) -> Vec<String> {
    let mut keys = Vec::new();
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(open + 1) {
        match token.kind {
            TokenKind::Open => depth += 1,
            TokenKind::Close if depth == 0 => break,
            TokenKind::Close => depth -= 1,
            TokenKind::Key if depth == 0 && Some(i) != typing => {
                keys.push(unquote(text, token.span).to_string());
            }
            _ => {}
        }
    }
    keys
}

fn unquote(text: &str, span: Span) -> &str {
    let raw = text
        .get(span.start as usize..span.end as usize)
        .unwrap_or("");
    let raw = raw.strip_prefix('"').unwrap_or(raw);
    raw.strip_suffix('"').unwrap_or(raw)
}

fn member_items(shape: &ShapeDef, present: &[String], colon_follows: bool) -> Vec<CompletionItem> {
    if shape.kind != Kind::Structure {
        return Vec::new();
    }
    shape
        .members
        .iter()
        .filter(|m| !present.iter().any(|p| p == m.0))
        .map(|m| CompletionItem {
            label: m.0.to_string(),
            insert: if colon_follows {
                format!("\"{}\"", m.0)
            } else {
                format!("\"{}\": ", m.0)
            },
            detail: if m.2 {
                "required"
            } else {
                SHAPES
                    .get(usize::from(m.1))
                    .map_or("", |s| kind_name(s.kind))
            },
        })
        .collect()
}

fn value_items(shape: &ShapeDef) -> Vec<CompletionItem> {
    let quoted = |v: &str, detail| CompletionItem {
        label: v.to_string(),
        insert: format!("\"{v}\""),
        detail,
    };
    match shape.kind {
        Kind::String => shape
            .enum_values
            .iter()
            .map(|v| quoted(v, "value"))
            .collect(),
        Kind::Boolean => ["true", "false"]
            .iter()
            .map(|v| CompletionItem {
                label: v.to_string(),
                insert: v.to_string(),
                detail: "boolean",
            })
            .collect(),
        Kind::List => SHAPES
            .get(usize::from(shape.target))
            .map(|item| {
                item.enum_values
                    .iter()
                    .map(|v| CompletionItem {
                        label: v.to_string(),
                        insert: format!("[\"{v}\"]"),
                        detail: "list",
                    })
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Structure => "object",
        Kind::Document => "any JSON",
        Kind::List => "list",
        Kind::Map => "map",
        Kind::String => "string",
        Kind::Integer | Kind::Double => "number",
        Kind::Boolean => "boolean",
        Kind::Timestamp => "timestamp",
    }
}

/// Keeps the items whose label contains what was typed (ignoring case),
/// those starting with it first, each group alphabetically.
fn filter_and_rank(items: &mut Vec<CompletionItem>, typed: &str) {
    let typed = typed.to_ascii_lowercase();
    items.retain(|item| item.label.to_ascii_lowercase().contains(&typed));
    crate::order::sort_by_key(items, |item| {
        let label = item.label.to_ascii_lowercase();
        (!label.starts_with(&typed), label)
    });
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Completes at the `|` in `marked`; returns the labels and the text
    /// after applying the first suggestion.
    fn complete_at(marked: &str) -> Option<(Vec<String>, String)> {
        let caret = marked.find('|').expect("a caret marker");
        let text = marked.replacen('|', "", 1);
        let completion = complete(&text, caret)?;
        let labels = completion.items.iter().map(|i| i.label.clone()).collect();
        let first = completion.items.first()?;
        let (start, end) = (
            completion.replace.start as usize,
            completion.replace.end as usize,
        );
        let applied = format!("{}{}{}", &text[..start], first.insert, &text[end..]);
        Some((labels, applied))
    }

    #[test]
    fn completes_member_names_and_values_in_every_form() {
        // (document with caret, first suggestion, text after accepting it)
        let cases: &[(&str, &str, &str)] = &[
            // Register input: a half-typed key at the top level.
            (
                r#"{"family": "web", "netw|"#,
                "networkMode",
                r#"{"family": "web", "networkMode": "#,
            ),
            // Inside a container definition; the colon is already there.
            (
                r#"{"containerDefinitions": [{"name": "a", "ima|": "x"}]}"#,
                "image",
                r#"{"containerDefinitions": [{"name": "a", "image": "x"}]}"#,
            ),
            // An enum value, typed in lower case.
            (
                r#"{"networkMode": "aw|"}"#,
                "awsvpc",
                r#"{"networkMode": "awsvpc"}"#,
            ),
            // A value with nothing typed yet.
            (
                r#"{"family": "a", "networkMode": |}"#,
                "awsvpc",
                r#"{"family": "a", "networkMode": "awsvpc"}"#,
            ),
            // An unterminated string keeps what follows the caret.
            (
                "{\"networkMode\": \"aw|,\n\"family\": \"x\"}",
                "awsvpc",
                "{\"networkMode\": \"awsvpc\",\n\"family\": \"x\"}",
            ),
            // Items of a list of enum values.
            (
                r#"{"requiresCompatibilities": ["FAR|"]}"#,
                "FARGATE",
                r#"{"requiresCompatibilities": ["FARGATE"]}"#,
            ),
            // Describe output: the root's shape is the describe response.
            (
                r#"{"taskDefinition": {"family": "x", "cpu": "256", "pidM|"}}"#,
                "pidMode",
                r#"{"taskDefinition": {"family": "x", "cpu": "256", "pidMode": }}"#,
            ),
            // A bare containerDefinitions array.
            (
                r#"[{"name": "a", "essen|"}]"#,
                "essential",
                r#"[{"name": "a", "essential": }]"#,
            ),
            // Booleans.
            (r#"[{"essential": t|}]"#, "true", r#"[{"essential": true}]"#),
            // Nested: log configuration's driver.
            (
                r#"{"containerDefinitions": [{"logConfiguration": {"logDriver": "awsl|"}}]}"#,
                "awslogs",
                r#"{"containerDefinitions": [{"logConfiguration": {"logDriver": "awslogs"}}]}"#,
            ),
        ];
        for (marked, first, applied) in cases {
            let (labels, text) =
                complete_at(marked).unwrap_or_else(|| panic!("no completion in {marked}"));
            assert_eq!(
                labels.first().map(String::as_str),
                Some(*first),
                "first suggestion in {marked}: {labels:?}"
            );
            assert_eq!(text, *applied, "accepting in {marked}");
        }
    }

    #[test]
    fn members_already_present_are_not_offered() {
        let (labels, _) = complete_at(r#"{"family": "a", "cpu": "256", |}"#).unwrap();
        assert!(!labels.iter().any(|l| l == "family" || l == "cpu"));
        assert!(labels.iter().any(|l| l == "memory"));
        // Required members are marked as such.
        let completion = complete("{\"\"}", 2).unwrap();
        let family = completion
            .items
            .iter()
            .find(|i| i.label == "family")
            .unwrap();
        assert_eq!(family.detail, "required");
    }

    #[test]
    fn nothing_is_offered_where_the_model_has_nothing() {
        let cases = [
            r#"{"family": "we|"}"#,       // a free-form string
            r#"{"memory": 5|}"#,          // a number
            r#"{"unknownThing": {"|"}}"#, // outside the model
            r#"{"containerDefinitions": [{"dockerLabels": {"a": "|"}}]}"#, // map of free strings
            r#"|"#,                       // no container at all
            r#"{"family": "x"}|"#,        // after the document
            r#"{"networkMode": "zzz|"}"#, // nothing matches
        ];
        for marked in cases {
            assert_eq!(complete_at(marked).map(|c| c.0), None, "in {marked}");
        }
    }

    #[test]
    fn utf16_range_counts_code_units() {
        let text = "{\"family\": \"é😀\", \"netw";
        let completion = complete(text, text.len()).unwrap();
        let start = completion.replace.start as usize;
        assert_eq!(
            completion.replace_utf16.0 as usize,
            text[..start].encode_utf16().count()
        );
        assert_eq!(
            completion.replace_utf16.1 as usize,
            text.encode_utf16().count()
        );
    }

    #[test]
    fn completion_never_panics_at_any_offset() {
        let text = "{\"a\u{e9}\": [\"x\\\"\", {\"b\": tr}], \"networkMode\": \"aw";
        for offset in 0..=text.len() + 2 {
            let _ = complete(text, offset);
        }
    }
}
