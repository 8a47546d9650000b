//! YAML into the same located tree as JSON, for CloudFormation templates.
//!
//! saphyr-parser produces events with character positions; this module builds
//! [`Node`]s from them without recursion, with byte spans, so that everything
//! downstream (rules, diagnostics, fixes) works on YAML exactly as on JSON.
//! CloudFormation's short-form tags (`!Ref X`, `!Sub ...`) become the long
//! form (`{"Ref": X}`, `{"Fn::Sub": ...}`) spanning the tagged text.

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use crate::json::{Member, Node, NodeKind, SyntaxError, MAX_DEPTH};
use crate::text::Span;

/// Parses a YAML document into a located tree.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let offsets = ByteOffsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    while let Some(event) = parser.next_event() {
        let (event, span) = event.map_err(|e| {
            let at = offsets.byte(e.marker().index());
            SyntaxError {
                message: format!("this is not valid YAML: {}", e.info()),
                span: Span::new(at, next_char_end(text, at)),
            }
        })?;
        let span = Span::new(
            offsets.byte(span.start.index()),
            offsets.byte(span.end.index()),
        );
        let done = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => None,
            Event::DocumentStart(_) => {
                if root.is_some() {
                    return Err(SyntaxError {
                        message: "the text holds several YAML documents; paste one template".into(),
                        span: Span::new(
                            span.start as usize,
                            next_char_end(text, span.start as usize),
                        ),
                    });
                }
                None
            }
            Event::Alias(_) => {
                return Err(SyntaxError {
                    message: "YAML aliases (`*name`) are not supported in CloudFormation templates"
                        .into(),
                    span,
                })
            }
            Event::Scalar(value, style, _, tag) => {
                Some(scalar(&value, style, tag.as_deref(), span))
            }
            Event::SequenceStart(_, ref tag) | Event::MappingStart(_, ref tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(SyntaxError {
                        message: format!(
                            "the document nests deeper than {MAX_DEPTH} levels; no ECS document does"
                        ),
                        span,
                    });
                }
                let flow = text
                    .get(span.start as usize..)
                    .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('{'));
                stack.push(Frame {
                    start: span.start as usize,
                    flow,
                    tag: tag.as_deref().and_then(short_form_name),
                    content: if matches!(event, Event::SequenceStart(..)) {
                        Content::Sequence(Vec::new())
                    } else {
                        Content::Mapping(Vec::new(), None)
                    },
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => stack.pop().map(|frame| frame.close(span)),
        };
        let Some(node) = done else { continue };
        match stack.last_mut() {
            Some(frame) => frame.add(node, text)?,
            None => root = Some(node),
        }
    }
    root.ok_or_else(|| SyntaxError {
        message: "the document is empty".into(),
        span: Span::new(0, 0),
    })
}

struct Frame {
    start: usize,
    flow: bool,
    /// The intrinsic function a short-form tag names, like `Fn::Sub`.
    tag: Option<String>,
    content: Content,
}

enum Content {
    Sequence(Vec<Node>),
    /// Members so far, and a key waiting for its value.
    Mapping(Vec<Member>, Option<(String, Span)>),
}

impl Frame {
    fn add(&mut self, node: Node, text: &str) -> Result<(), SyntaxError> {
        match &mut self.content {
            Content::Sequence(items) => items.push(node),
            Content::Mapping(members, pending) => {
                match pending.take() {
                    Some((key, key_span)) => members.push(Member {
                        key,
                        key_span,
                        value: node,
                    }),
                    None => {
                        let key = match node.kind {
                            NodeKind::String(s) => s,
                            NodeKind::Number(raw) => raw,
                            NodeKind::Bool(b) => b.to_string(),
                            NodeKind::Null => String::new(),
                            _ => {
                                let at = node.span.start as usize;
                                return Err(SyntaxError {
                                message: "a mapping key must be a plain value, not a list or a mapping".into(),
                                span: Span::new(at, next_char_end(text, at)),
                            });
                            }
                        };
                        *pending = Some((key, node.span));
                    }
                }
            }
        }
        Ok(())
    }

    fn close(self, end: Span) -> Node {
        let (kind, last_end) = match self.content {
            Content::Sequence(items) => {
                let last = items.last().map(|n| n.span.end);
                (NodeKind::Array(items), last)
            }
            Content::Mapping(mut members, pending) => {
                // A key without a value (`Key:` at the end) means null.
                if let Some((key, key_span)) = pending {
                    members.push(Member {
                        key,
                        key_span,
                        value: Node {
                            span: Span::new(key_span.end as usize, key_span.end as usize),
                            kind: NodeKind::Null,
                        },
                    });
                }
                let last = members.last().map(|m| m.value.span.end);
                (NodeKind::Object(members), last)
            }
        };
        // Block collections end where their last value ends; flow ones at the bracket.
        let end = if self.flow {
            end.end as usize
        } else {
            last_end.map_or(self.start, |e| e as usize)
        };
        let node = Node {
            span: Span::new(self.start, end),
            kind,
        };
        wrap_in_intrinsic(node, self.tag)
    }
}

fn wrap_in_intrinsic(node: Node, function: Option<String>) -> Node {
    match function {
        Some(name) => Node {
            span: node.span,
            kind: NodeKind::Object(vec![Member {
                key: name,
                key_span: node.span,
                value: node,
            }]),
        },
        None => node,
    }
}

/// `!Ref` → `Ref`, `!Sub` → `Fn::Sub`; core-schema tags (`!!str`) are not functions.
fn short_form_name(tag: &Tag) -> Option<String> {
    if tag.handle != "!" || tag.suffix.is_empty() {
        return None;
    }
    Some(match tag.suffix.as_str() {
        "Ref" | "Condition" => tag.suffix.clone(),
        other => format!("Fn::{other}"),
    })
}

fn scalar(value: &str, style: ScalarStyle, tag: Option<&Tag>, span: Span) -> Node {
    let forced_string = tag.is_some_and(|t| t.handle == "!!" && t.suffix == "str");
    let kind = if style != ScalarStyle::Plain || forced_string {
        NodeKind::String(value.to_string())
    } else {
        plain_scalar(value)
    };
    let node = Node { span, kind };
    wrap_in_intrinsic(node, tag.and_then(short_form_name))
}

/// YAML 1.2 core-schema typing of a plain scalar, limited to what JSON can hold.
fn plain_scalar(value: &str) -> NodeKind {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" => NodeKind::Bool(true),
        "false" | "False" | "FALSE" => NodeKind::Bool(false),
        _ if is_json_number(value) => NodeKind::Number(value.to_string()),
        _ => NodeKind::String(value.to_string()),
    }
}

fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let int_start = i;
    let n = digits(&mut i);
    if n == 0 || (n > 1 && b.get(int_start) == Some(&b'0')) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

fn next_char_end(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(at, |c| at + c.len_utf8())
}

/// Character index → byte offset, with a checkpoint every 64 characters so
/// that non-ASCII text costs little memory and each lookup little time.
struct ByteOffsets<'a> {
    text: &'a str,
    ascii: bool,
    checkpoints: Vec<usize>,
}

const CHECKPOINT_EVERY: usize = 64;

impl<'a> ByteOffsets<'a> {
    fn new(text: &'a str) -> ByteOffsets<'a> {
        let ascii = text.is_ascii();
        let checkpoints = if ascii {
            Vec::new()
        } else {
            text.char_indices()
                .step_by(CHECKPOINT_EVERY)
                .map(|(i, _)| i)
                .collect()
        };
        ByteOffsets {
            text,
            ascii,
            checkpoints,
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let Some(&base) = self.checkpoints.get(char_index / CHECKPOINT_EVERY) else {
            return self.text.len();
        };
        let rest = char_index % CHECKPOINT_EVERY;
        self.text
            .get(base..)
            .and_then(|tail| tail.char_indices().nth(rest))
            .map_or(self.text.len(), |(i, _)| base + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of<'a>(text: &'a str, node: &Node) -> &'a str {
        &text[node.span.start as usize..node.span.end as usize]
    }

    #[test]
    fn block_and_flow_yaml_become_a_located_tree() {
        let text = "Resources:\n  TD:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Cpu: '256'\n      Memory: 512\n      Tags: {a: \"b\"}\n      L: [1, x, null, true]\n      É: é\n";
        let root = parse(text).unwrap();
        let props = root
            .get("Resources")
            .and_then(|r| r.get("TD"))
            .and_then(|t| t.get("Properties"))
            .unwrap();
        assert_eq!(
            props.get("Cpu").unwrap().kind,
            NodeKind::String("256".into())
        );
        assert_eq!(text_of(text, props.get("Cpu").unwrap()), "'256'");
        assert_eq!(props.get("Memory").unwrap().as_i64(), Some(512));
        assert_eq!(text_of(text, props.get("Tags").unwrap()), "{a: \"b\"}");
        let list = props.get("L").unwrap();
        assert_eq!(text_of(text, list), "[1, x, null, true]");
        assert!(list.items()[2].is_null());
        assert_eq!(list.items()[3].as_bool(), Some(true));
        let e = props.member("É").unwrap();
        assert_eq!(text_of(text, &e.value), "é");
        assert_eq!(
            &text[e.key_span.start as usize..e.key_span.end as usize],
            "É"
        );
    }

    #[test]
    fn short_form_tags_become_long_form_intrinsics() {
        let text =
            "Family: !Ref FamilyName\nImage: !Sub '${Repo}:latest'\nL: !Split [',', 'a,b']\n";
        let root = parse(text).unwrap();
        let family = root.get("Family").unwrap();
        assert_eq!(family.members()[0].key, "Ref");
        assert_eq!(text_of(text, family), "!Ref FamilyName");
        assert_eq!(root.get("Image").unwrap().members()[0].key, "Fn::Sub");
        let split = root.get("L").unwrap();
        assert_eq!(split.members()[0].key, "Fn::Split");
        assert_eq!(split.members()[0].value.items().len(), 2);
    }

    #[test]
    fn errors_and_unsupported_features_are_located() {
        let bad = parse("a: [1, 2\nb: 3").unwrap_err();
        assert!(bad.message.contains("not valid YAML"), "{}", bad.message);
        let alias = parse("a: &x 1\nb: *x\n").unwrap_err();
        assert!(alias.message.contains("aliases"));
        let deep = format!(
            "{}1{}",
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        assert!(parse(&deep).unwrap_err().message.contains("nests deeper"));
        assert!(parse("a: 1\n---\nb: 2\n")
            .unwrap_err()
            .message
            .contains("several"));
    }

    #[test]
    fn plain_scalars_are_typed_like_json_where_they_can_be() {
        let cases = [
            ("12", NodeKind::Number("12".into())),
            ("-1.5e3", NodeKind::Number("-1.5e3".into())),
            ("012", NodeKind::String("012".into())),
            ("0x1F", NodeKind::String("0x1F".into())),
            ("~", NodeKind::Null),
            ("False", NodeKind::Bool(false)),
            ("nginx:1.27", NodeKind::String("nginx:1.27".into())),
        ];
        for (raw, kind) in cases {
            assert_eq!(plain_scalar(raw), kind, "{raw}");
        }
    }
}
