//! Request-side placement (seed-checklist §2.6, V-PL-001..011): constraint
//! and strategy limits and forms. Feasibility belongs to the placement engine,
//! and memberOf expressions are only checked for being present and short
//! enough here; their query language is parsed elsewhere.

use super::{char_len, check_max_items, json_string, Request};
use crate::check::{Rule, Sink};
use crate::diagnostic::Severity;

pub const PLACEMENT_CONSTRAINTS_LIMIT: Rule = Rule {
    code: "placement-constraints-limit",
    severity: Severity::Error,
    summary: "At most 10 placement constraints per task, counting the task definition's and the request's together.",
    covers: &["V-PL-001", "V-RUN-011"],
    exception: Some("InvalidParameterException"),
};

pub const PLACEMENT_EXPRESSION_TOO_LONG: Rule = Rule {
    code: "placement-expression-too-long",
    severity: Severity::Error,
    summary: "A placement constraint expression is at most 2000 characters.",
    covers: &["V-PL-003"],
    exception: Some("InvalidParameterException"),
};

pub const DISTINCT_INSTANCE_EXPRESSION: Rule = Rule {
    code: "distinct-instance-expression",
    severity: Severity::Error,
    summary: "A `distinctInstance` constraint takes no expression.",
    covers: &["V-PL-004"],
    exception: Some("InvalidParameterException"),
};

pub const MEMBER_OF_EXPRESSION_REQUIRED: Rule = Rule {
    code: "member-of-expression-required",
    severity: Severity::Error,
    summary: "A `memberOf` constraint needs a non-empty cluster query language expression.",
    covers: &["V-PL-005"],
    exception: Some("InvalidParameterException"),
};

pub const FARGATE_PLACEMENT: Rule = Rule {
    code: "fargate-placement",
    severity: Severity::Error,
    summary: "Placement constraints and strategies are not supported on Fargate.",
    covers: &["V-PL-006", "V-RUN-011"],
    exception: Some("InvalidParameterException"),
};

pub const PLACEMENT_STRATEGIES_LIMIT: Rule = Rule {
    code: "placement-strategies-limit",
    severity: Severity::Error,
    summary: "At most 5 placement strategy rules per service or task.",
    covers: &["V-PL-007", "V-RUN-011"],
    exception: Some("InvalidParameterException"),
};

pub const PLACEMENT_STRATEGY_FIELD: Rule = Rule {
    code: "placement-strategy-field",
    severity: Severity::Error,
    summary: "spread uses instanceId, host or attribute:NAME; binpack uses cpu or memory; random ignores field.",
    covers: &["V-PL-009", "V-PL-010", "V-PL-011"],
    exception: Some("InvalidParameterException"),
};

pub const MAX_CONSTRAINTS: usize = 10;
pub const MAX_EXPRESSION_CHARS: usize = 2000;

pub fn check(req: &Request<'_>, sink: &mut Sink) {
    let fargate = req.is_fargate();
    if let Some(list) = req.root.field("placementConstraints") {
        let own = list.node.items().len();
        let inherited = req
            .task_def()
            .map_or(0, |td| td.placement_constraint_count());
        if own + inherited > MAX_CONSTRAINTS {
            let detail = if inherited > 0 {
                format!("{own} here plus {inherited} in the task definition")
            } else {
                format!("{own}")
            };
            sink.report(
                &PLACEMENT_CONSTRAINTS_LIMIT,
                list.path.clone(),
                list.key_span.unwrap_or(list.span()),
                format!("{} placement constraints ({detail}): you can specify a maximum of {MAX_CONSTRAINTS} constraints for each task, including those in the task definition", own + inherited),
            );
        }
        if fargate && own > 0 {
            sink.report(
                &FARGATE_PLACEMENT,
                list.path.clone(),
                list.key_span.unwrap_or(list.span()),
                "task placement constraints aren't supported for tasks run on Fargate",
            );
        }
        for constraint in req.root.items("placementConstraints") {
            let kind = constraint.str_field("type");
            let expression = constraint.field("expression");
            let text = expression.as_ref().and_then(|e| e.node.as_str());
            match (kind, &expression) {
                (Some("distinctInstance"), Some(expression)) => {
                    sink.report(
                        &DISTINCT_INSTANCE_EXPRESSION,
                        expression.path.clone(),
                        expression.key_span.unwrap_or(expression.span()),
                        "an expression can't be specified for a distinctInstance constraint: it places each task on a different container instance",
                    );
                }
                (Some("memberOf"), _) if text.is_none_or(|t| t.trim().is_empty()) => {
                    let message = "a memberOf constraint needs an expression in the cluster query language, such as attribute:ecs.instance-type =~ t2.*";
                    match &expression {
                        Some(e) => sink.report(
                            &MEMBER_OF_EXPRESSION_REQUIRED,
                            e.path.clone(),
                            e.span(),
                            message,
                        ),
                        None => sink.report_missing(
                            &MEMBER_OF_EXPRESSION_REQUIRED,
                            &constraint,
                            "expression",
                            message,
                        ),
                    };
                }
                _ => {}
            }
            if let (Some(expression), Some(text)) = (&expression, text) {
                let len = char_len(text);
                if len > MAX_EXPRESSION_CHARS {
                    sink.report(
                        &PLACEMENT_EXPRESSION_TOO_LONG,
                        expression.path.clone(),
                        expression.span(),
                        format!("the expression is {len} characters: the maximum length is {MAX_EXPRESSION_CHARS}"),
                    );
                }
            }
        }
    }
    if let Some(list) = req.root.field("placementStrategy") {
        check_max_items(sink, &PLACEMENT_STRATEGIES_LIMIT, &list, 5, |n| {
            format!("{n} placement strategy rules: you can specify a maximum of 5 strategy rules for each service or task")
        });
        if fargate && !list.node.items().is_empty() {
            sink.report(
                &FARGATE_PLACEMENT,
                list.path.clone(),
                list.key_span.unwrap_or(list.span()),
                "task placement strategies aren't supported for tasks run on Fargate",
            );
        }
        for strategy in req.root.items("placementStrategy") {
            check_strategy_field(&strategy, sink);
        }
    }
}

fn check_strategy_field(strategy: &crate::check::Located<'_>, sink: &mut Sink) {
    let Some(kind) = strategy.str_field("type") else {
        return;
    };
    let field = strategy.field("field");
    let text = field.as_ref().and_then(|f| f.node.as_str());
    let (valid, allowed, suggestion): (fn(&str) -> bool, &str, &str) = match kind {
        "spread" => (
            |f| {
                f.eq_ignore_ascii_case("instanceId")
                    || f.eq_ignore_ascii_case("host")
                    || f.strip_prefix("attribute:")
                        .is_some_and(|name| !name.is_empty())
            },
            "instanceId, host, or attribute:NAME such as attribute:ecs.availability-zone",
            "attribute:ecs.availability-zone",
        ),
        "binpack" => (
            |f| f.eq_ignore_ascii_case("cpu") || f.eq_ignore_ascii_case("memory"),
            "cpu or memory",
            "memory",
        ),
        // V-PL-011: random does not use field; AWS accepts and ignores it.
        _ => return,
    };
    match (&field, text) {
        (Some(field), Some(text)) if !valid(text) => {
            sink.report(
                &PLACEMENT_STRATEGY_FIELD,
                field.path.clone(),
                field.span(),
                format!("\"{text}\" is not a valid field for the {kind} strategy: use {allowed}"),
            )
            .with_fix(
                format!("Use {suggestion}"),
                vec![(field.span(), json_string(suggestion))],
            );
        }
        (None, _) => {
            sink.report_missing(
                &PLACEMENT_STRATEGY_FIELD,
                strategy,
                "field",
                format!("the {kind} strategy needs a field: {allowed}"),
            );
        }
        _ => {}
    }
}
