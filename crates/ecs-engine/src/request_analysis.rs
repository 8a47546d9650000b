//! The front door for API requests other than RegisterTaskDefinition:
//! operation name, request body and known context in, located diagnostics out.
//!
//! Like task-definition analysis it never fails: an unknown operation, bad
//! JSON or a body of the wrong type come back as diagnostics.
//!
//! Only the semantic, conditional and limit rules run here; the model-driven
//! shape check (types, enums, required members) is meant to run beside them.

use crate::analysis::{Analysis, MAX_INPUT_BYTES};
use crate::check::request::{self, Operation};
use crate::check::{Located, Sink};
use crate::diagnostic::{sort_diagnostics, Diagnostic};
use crate::json::{self, JsonPath, Node};
use crate::text::{LineIndex, Span};

pub use crate::check::request::account::{Account, DocumentAccount};

/// Analyses the body of an `operation` request (`RunTask` or `run-task`)
/// against what `account` knows; rules needing what it does not know are skipped.
pub fn analyze_request(operation: &str, text: &str, account: &dyn Account) -> Analysis {
    let Some(op) = Operation::parse(operation) else {
        let names: Vec<&str> = Operation::ALL.iter().map(|op| op.name()).collect();
        let hint = closest_operation(operation)
            .map(|name| format!(" (did you mean {name}?)"))
            .unwrap_or_default();
        return crate::analysis::input_error(
            request::UNKNOWN_OPERATION.code,
            text,
            Span::new(0, 0),
            format!(
                "unknown operation \"{operation}\"{hint}: the playground analyses {}",
                names.join(", ")
            ),
        );
    };
    if text.len() > MAX_INPUT_BYTES {
        return crate::analysis::input_error(
            "input-too-large",
            "",
            Span::new(0, 0),
            format!("the request is {} bytes, more than the {MAX_INPUT_BYTES} bytes the playground reads", text.len()),
        );
    }
    let root = match json::parse(text) {
        Ok(root) => root,
        Err(e) => return crate::analysis::input_error("json-syntax", text, e.span, e.message),
    };
    check_parsed(op, text, &root, account)
}

/// [`analyze_request`] of a body already parsed (by
/// `document::classify_parsed`): the same analysis without parsing again.
/// `root` must be `text`'s own tree.
pub fn analyze_parsed_request(
    op: Operation,
    text: &str,
    root: &Node,
    account: &dyn Account,
) -> Analysis {
    if text.len() > MAX_INPUT_BYTES {
        return analyze_request(op.name(), text, account);
    }
    check_parsed(op, text, root, account)
}

fn check_parsed(op: Operation, text: &str, root: &Node, account: &dyn Account) -> Analysis {
    let mut sink = Sink::default();
    request::check(
        op,
        &Located::root(root, JsonPath::root()),
        account,
        &mut sink,
    );
    let index = LineIndex::new(text);
    let mut diagnostics: Vec<Diagnostic> = sink.findings.iter().map(|f| f.locate(&index)).collect();
    sort_diagnostics(&mut diagnostics);
    Analysis {
        form: None,
        diagnostics,
        requirements: None,
    }
}

/// The operation name within three edits of `name`, ignoring case, if any.
fn closest_operation(name: &str) -> Option<&'static str> {
    let wanted: Vec<char> = name.to_ascii_lowercase().chars().take(64).collect();
    Operation::ALL
        .iter()
        .map(|op| {
            let candidate: Vec<char> = op.name().to_ascii_lowercase().chars().collect();
            (edit_distance(&wanted, &candidate), op.name())
        })
        .filter(|(distance, _)| *distance <= 3)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// Levenshtein distance over characters, with one row of memory.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row.get(j + 1).copied().unwrap_or(usize::MAX - 1);
            let cost = if ca == cb { diagonal } else { diagonal + 1 };
            let value = cost.min(up + 1).min(left + 1);
            diagonal = up;
            if let Some(slot) = row.get_mut(j + 1) {
                *slot = value;
            }
            left = value;
        }
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
    }
    row.last().copied().unwrap_or(0)
}
