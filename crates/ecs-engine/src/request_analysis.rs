//! The front door for API requests other than RegisterTaskDefinition:
//! operation name, request body and known context in, located diagnostics out.
//!
//! Like task-definition analysis it never fails: an unknown operation, bad
//! JSON or a body of the wrong type come back as diagnostics.

use crate::analysis::{Analysis, MAX_INPUT_BYTES};
use crate::check::request::{self, Operation};
use crate::check::{Located, Sink};
use crate::diagnostic::{sort_diagnostics, Diagnostic, Finding, Severity};
use crate::json::{self, JsonPath};
use crate::text::{LineIndex, Span};

pub use crate::check::request::context::{
    CapacityProviderState, ClusterState, RequestContext, ServiceState, TaskState,
};

/// Analyses the body of an `operation` request (`RunTask` or `run-task`)
/// against what `context` knows; rules needing unknown context are skipped.
pub fn analyze_request(operation: &str, text: &str, context: &RequestContext) -> Analysis {
    let Some(op) = Operation::parse(operation) else {
        let names: Vec<&str> = Operation::ALL.iter().map(|op| op.name()).collect();
        return single_error(
            request::UNKNOWN_OPERATION.code,
            text,
            Span::new(0, 0),
            format!(
                "unknown operation \"{operation}\": the playground analyses {}",
                names.join(", ")
            ),
        );
    };
    if text.len() > MAX_INPUT_BYTES {
        return single_error(
            "input-too-large",
            "",
            Span::new(0, 0),
            format!("the request is {} bytes, more than the {MAX_INPUT_BYTES} bytes the playground reads", text.len()),
        );
    }
    let root = match json::parse(text) {
        Ok(root) => root,
        Err(e) => return single_error("json-syntax", text, e.span, e.message),
    };
    let mut sink = Sink::default();
    request::check(
        op,
        &Located::root(&root, JsonPath::root()),
        context,
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

fn single_error(code: &'static str, text: &str, span: Span, message: String) -> Analysis {
    let finding = Finding {
        code,
        severity: Severity::Error,
        path: JsonPath::root(),
        span,
        message,
        exception: None,
        fix: None,
    };
    Analysis {
        form: None,
        diagnostics: vec![finding.locate(&LineIndex::new(text))],
        requirements: None,
    }
}
