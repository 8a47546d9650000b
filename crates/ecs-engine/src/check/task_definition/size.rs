//! The task definition's size quota: 64 KiB (ecs-semantics A6).

use super::Context;
use crate::check::{Rule, Sink};
use crate::diagnostic::Severity;
use crate::json::{Node, NodeKind};

/// "Task definition size: 64 KiB, not adjustable" (ecs-semantics A6).
pub const MAX_TASK_DEFINITION_BYTES: usize = 64 * 1024;

/// Fields of a described task definition that AWS fills in itself; they are
/// not part of what is registered, so they do not count toward the quota.
const READ_ONLY_FIELDS: &[&str] = &[
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
];

pub const TASK_DEFINITION_TOO_LARGE: Rule = Rule {
    code: "task-definition-too-large",
    severity: Severity::Error,
    summary: "The task definition, written as minified JSON, is at most 64 KiB.",
    covers: &[],
    exception: Some("ClientException"),
};

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    let Some(task_def) = &context.task_def else {
        return;
    };
    let size = minified_register_size(task_def.node);
    if size <= MAX_TASK_DEFINITION_BYTES {
        return;
    }
    let span = task_def.key_span.unwrap_or(crate::text::Span::new(
        task_def.node.span.start as usize,
        task_def.node.span.start as usize + 1,
    ));
    sink.report(
        &TASK_DEFINITION_TOO_LARGE,
        task_def.path.clone(),
        span,
        format!("Actual length: '{size}'. Max allowed length is '{MAX_TASK_DEFINITION_BYTES}' bytes: the task definition is larger than the 64 KiB quota once minified"),
    );
}

/// The byte length of the register input as minified JSON.
pub fn minified_register_size(task_def: &Node) -> usize {
    let mut value = task_def.to_value();
    if let (serde_json::Value::Object(map), NodeKind::Object(_)) = (&mut value, &task_def.kind) {
        for field in READ_ONLY_FIELDS {
            map.remove(*field);
        }
    }
    serde_json::to_string(&value).map_or(0, |s| s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_is_that_of_the_minified_register_input() {
        let node = crate::json::parse("{ \"family\" : \"a\",\n  \"revision\": 3 }").unwrap();
        assert_eq!(minified_register_size(&node), r#"{"family":"a"}"#.len());
    }
}
