//! Task-definition placement constraints (V-PL-001, V-PL-003..005). That
//! they are `memberOf` only is in the AWS model (shape check); that Fargate
//! does not support them is in `fargate.rs`.

use super::{key_span, Context};
use crate::check::{Rule, Sink};
use crate::diagnostic::Severity;

/// Constraints per task, counting the task definition's and the run-time
/// ones together (000:12323). The task definition alone can use them all.
pub const MAX_PLACEMENT_CONSTRAINTS: usize = 10;

/// The longest cluster-query-language expression (000:1214).
pub const MAX_EXPRESSION_CHARS: usize = 2000;

pub const PLACEMENT_CONSTRAINT_EXPRESSION: Rule = Rule {
    code: "placement-constraint-expression",
    severity: Severity::Error,
    summary: "A memberOf constraint needs an `expression` of at most 2000 characters; distinctInstance takes none.",
    covers: &["V-PL-003", "V-PL-004", "V-PL-005"],
    exception: Some("InvalidParameterException"),
};

pub const TOO_MANY_PLACEMENT_CONSTRAINTS: Rule = Rule {
    code: "too-many-placement-constraints",
    severity: Severity::Error,
    summary: "At most 10 placement constraints per task, and run-time constraints count toward the same limit.",
    covers: &["V-PL-001"],
    exception: Some("InvalidParameterException"),
};

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    let constraints = context.task_items("placementConstraints");
    if let (Some(extra), Some(list)) = (
        constraints.get(MAX_PLACEMENT_CONSTRAINTS),
        context.task_field("placementConstraints"),
    ) {
        sink.report(
            &TOO_MANY_PLACEMENT_CONSTRAINTS,
            extra.path.clone(),
            key_span(&list),
            format!("the task definition has {} placement constraints: you can specify a maximum of 10 constraints for a task, and constraints given at run time count too", constraints.len()),
        );
    }
    for constraint in &constraints {
        let kind = constraint.str_field("type");
        let expression = constraint.field("expression");
        match (kind, &expression) {
            (Some("distinctInstance"), Some(expression)) => {
                sink.report(
                    &PLACEMENT_CONSTRAINT_EXPRESSION,
                    expression.path.clone(),
                    key_span(expression),
                    "a distinctInstance constraint takes no expression: the expression is only used with memberOf",
                );
            }
            (Some("memberOf"), None) => {
                sink.report_missing(
                    &PLACEMENT_CONSTRAINT_EXPRESSION,
                    constraint,
                    "expression",
                    "a memberOf constraint needs an expression in the cluster query language, like \"attribute:ecs.instance-type =~ t3.*\"",
                );
            }
            (_, Some(expression)) => {
                let length = expression.node.as_str().map_or(0, |e| e.chars().count());
                if length > MAX_EXPRESSION_CHARS {
                    sink.report(
                        &PLACEMENT_CONSTRAINT_EXPRESSION,
                        expression.path.clone(),
                        expression.span(),
                        format!("the expression is {length} characters: the maximum length is 2000 characters"),
                    );
                }
            }
            _ => {}
        }
    }
}
