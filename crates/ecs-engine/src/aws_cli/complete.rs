//! Completion for the console: what can be typed at the cursor (the word
//! `ecs`, an operation, a parameter not yet given, an enum value, a shorthand
//! key or value), and the byte range of the line it replaces.

use super::words::{split_lenient, Tail};
use super::{
    arguments, commands, input_shape, looks_like_option, operation, value, Argument, Target,
    GLOBALS,
};
use crate::check::schema::{Kind, ShapeDef};

/// Candidates for the text between `start` and `end` (byte offsets; `end` is
/// the cursor), sorted, each the whole replacement.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Completion {
    pub start: usize,
    pub end: usize,
    pub candidates: Vec<String>,
}

/// Completion at byte offset `cursor` of `line` (clamped to the line and to
/// a character boundary).
pub fn complete(line: &str, cursor: usize) -> Completion {
    let mut cursor = cursor.min(line.len());
    while !line.is_char_boundary(cursor) {
        cursor -= 1;
    }
    let before = &line[..cursor];
    let (mut words, tail, _) = split_lenient(before);
    let at_new_word =
        tail == Tail::Closed && before.ends_with([' ', '\t', '\n', '\r']) || words.is_empty();
    let (current, start) = if at_new_word {
        (String::new(), cursor)
    } else {
        match words.pop() {
            Some(w) => (w.text, w.start),
            None => (String::new(), cursor),
        }
    };
    let quoted = tail != Tail::Closed || line.get(start..cursor).is_some_and(|raw| raw != current);
    let mut texts: Vec<String> = words.into_iter().map(|w| w.text).collect();
    let mut result = Completion {
        start,
        end: cursor,
        candidates: Vec::new(),
    };
    if texts.is_empty() {
        result.candidates = filter(["aws"], &current);
        return result;
    }
    if texts.first().map(String::as_str) == Some("aws") {
        texts.remove(0);
    }
    // Skip global options (and their values) to find the service and operation.
    let mut positionals = Vec::new();
    let mut rest_start = texts.len();
    let mut i = 0;
    while let Some(word) = texts.get(i) {
        if positionals.len() == 2 {
            rest_start = i;
            break;
        }
        i += 1;
        if looks_like_option(word) {
            if GLOBALS.iter().any(|g| g.0 == word && g.1) {
                i += 1;
            }
        } else {
            positionals.push(word.clone());
        }
    }
    match positionals.len() {
        0 => {
            result.candidates = filter(["ecs"], &current);
            return result;
        }
        1 => {
            if positionals.first().map(String::as_str) == Some("ecs") {
                let names = commands();
                result.candidates = filter(names.iter().map(String::as_str), &current);
            }
            return result;
        }
        _ => {}
    }
    let Some(op) = positionals.get(1).and_then(|c| operation(c)) else {
        return result;
    };
    let arguments = arguments(op);
    let rest = texts.get(rest_start..).unwrap_or(&[]);
    if current.starts_with('-') && !quoted {
        let used: Vec<&str> = rest
            .iter()
            .filter(|w| looks_like_option(w))
            .map(|w| w.split('=').next().unwrap_or(w))
            .collect();
        let names: Vec<&str> = arguments
            .iter()
            .filter(|a| a.documented && !used.contains(&a.name.as_str()))
            .map(|a| a.name.as_str())
            .collect();
        result.candidates = filter(names, &current);
        return result;
    }
    // A value: of the last option before the cursor, if it takes this word.
    let Some(option_index) = rest.iter().rposition(|w| looks_like_option(w)) else {
        return result;
    };
    let Some(option) = rest
        .get(option_index)
        .and_then(|w| arguments.iter().find(|a| &a.name == w))
    else {
        return result;
    };
    let values_before = rest.len() - option_index - 1;
    let Some(shape) = member_shape(op, option) else {
        return result;
    };
    if shape.kind != Kind::List && values_before > 0 {
        return result;
    }
    let shape = if shape.kind == Kind::List {
        value::shape(shape.target).unwrap_or(shape)
    } else {
        shape
    };
    match shape.kind {
        Kind::String if !shape.enum_values.is_empty() => {
            result.candidates = filter(shape.enum_values.iter().copied(), &current);
        }
        Kind::Structure if !quoted => {
            let (offset, candidates) = shorthand_candidates(shape, &current);
            result.start = start + offset;
            result.candidates = candidates;
        }
        _ => {}
    }
    result
}

fn member_shape(op: &super::model::Operation, argument: &Argument) -> Option<&'static ShapeDef> {
    match argument.target {
        Target::Member(m) => input_shape(op)?
            .members
            .get(m)
            .and_then(|d| value::shape(d.1)),
        _ => None,
    }
}

fn filter<'a>(names: impl IntoIterator<Item = &'a str>, prefix: &str) -> Vec<String> {
    let mut out: Vec<String> = names
        .into_iter()
        .filter(|n| n.starts_with(prefix) && *n != prefix)
        .map(str::to_string)
        .collect();
    crate::order::sort(&mut out);
    out.dedup();
    out
}

/// Keys (`name=`) or enum values for the end of a shorthand value: follows
/// `{`, `}`, `[`, `]`, `,` and `=` to know which structure and which member
/// the cursor is in. Returns the byte offset in `text` the candidates replace.
fn shorthand_candidates(root: &'static ShapeDef, text: &str) -> (usize, Vec<String>) {
    // The structure each open brace is in; the member shape after `key=`.
    let mut structs: Vec<&'static ShapeDef> = vec![root];
    let mut member: Option<&'static ShapeDef> = None;
    let mut segment_start = 0;
    let mut in_key = true;
    for (i, c) in text.char_indices() {
        match c {
            '=' if in_key => {
                let key = text.get(segment_start..i).unwrap_or("").trim();
                member = structs
                    .last()
                    .and_then(|s| s.members.iter().find(|m| m.0 == key))
                    .and_then(|m| value::shape(m.1));
                in_key = false;
                segment_start = i + 1;
            }
            '{' if !in_key => {
                let inner = member.map(|m| {
                    if m.kind == Kind::List {
                        value::shape(m.target).unwrap_or(m)
                    } else {
                        m
                    }
                });
                structs.push(
                    inner
                        .filter(|s| s.kind == Kind::Structure)
                        .unwrap_or(&EMPTY),
                );
                in_key = true;
                segment_start = i + 1;
            }
            '[' if !in_key => segment_start = i + 1,
            '}' => {
                structs.pop();
                if structs.is_empty() {
                    return (text.len(), Vec::new());
                }
                segment_start = i + 1;
            }
            ',' => {
                // A comma after a value starts the next key, unless it continues a list.
                let is_list = member.is_some_and(|m| m.kind == Kind::List);
                if in_key || !is_list {
                    in_key = true;
                }
                segment_start = i + 1;
            }
            _ => {}
        }
    }
    let partial = text.get(segment_start..).unwrap_or("");
    let candidates = if in_key {
        let names = structs
            .last()
            .map_or(&[][..], |s| s.members)
            .iter()
            .map(|m| format!("{}=", m.0));
        let names: Vec<String> = names.collect();
        filter(names.iter().map(String::as_str), partial)
    } else {
        match member.map(|m| {
            if m.kind == Kind::List {
                value::shape(m.target).unwrap_or(m)
            } else {
                m
            }
        }) {
            Some(s) if !s.enum_values.is_empty() => filter(s.enum_values.iter().copied(), partial),
            Some(s) if s.kind == Kind::Boolean => filter(["true", "false"], partial),
            _ => Vec::new(),
        }
    };
    (segment_start, candidates)
}

static EMPTY: ShapeDef = ShapeDef {
    name: "",
    kind: Kind::Structure,
    members: &[],
    target: 0,
    enum_values: &[],
    min: None,
    max: None,
};

/// Every operation's name is reachable by completion (used by tests).
#[cfg(test)]
pub(super) fn operation_count() -> usize {
    super::model::OPERATIONS.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_end(line: &str) -> Completion {
        complete(line, line.len())
    }

    #[test]
    fn completes_each_kind_of_word() {
        assert_eq!(at_end("").candidates, vec!["aws"]);
        assert_eq!(at_end("aws e").candidates, vec!["ecs"]);
        assert_eq!(
            at_end("aws ecs create-s").candidates,
            vec!["create-service"]
        );
        assert_eq!(at_end("aws ecs ").candidates.len(), operation_count());
        let c = at_end("aws ecs create-service --cluster demo --desired");
        assert_eq!(c.candidates, vec!["--desired-count"]);
        assert_eq!(c.start, "aws ecs create-service --cluster demo ".len());
        let c = at_end("aws ecs create-service --cluster demo --c");
        assert!(
            !c.candidates.contains(&"--cluster".to_string()),
            "{:?}",
            c.candidates
        );
        assert!(c
            .candidates
            .contains(&"--capacity-provider-strategy".to_string()));
        assert_eq!(
            at_end("aws ecs create-service --launch-type F").candidates,
            vec!["FARGATE"]
        );
        assert_eq!(
            at_end("aws ecs create-service --launch-type ").candidates,
            vec!["EC2", "EXTERNAL", "FARGATE", "MANAGED_INSTANCES"]
        );
    }

    #[test]
    fn completes_inside_shorthand() {
        let line = "aws ecs create-service --placement-strategy type=sp";
        let c = at_end(line);
        assert_eq!(c.candidates, vec!["spread"]);
        assert_eq!(c.start, line.len() - 2);
        let c = at_end("aws ecs create-service --placement-strategy type=spread,f");
        assert_eq!(c.candidates, vec!["field="]);
        let c =
            at_end("aws ecs update-service --deployment-configuration deploymentCircuitBreaker={e");
        assert_eq!(c.candidates, vec!["enable="]);
        let c = at_end(
            "aws ecs update-service --deployment-configuration deploymentCircuitBreaker={enable=t",
        );
        assert_eq!(c.candidates, vec!["true"]);
    }

    #[test]
    fn never_panics_at_any_cursor() {
        let line = "aws ecs create-service --cluster 'dé mo' --tags key=a,value=\"b\" --x={[,]}";
        for cursor in 0..=line.len() + 2 {
            let c = complete(line, cursor);
            assert!(c.start <= c.end && c.end <= line.len());
        }
    }
}
