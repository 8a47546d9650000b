//! Evaluating a query against one container instance.

use std::cmp::Ordering;

use super::parser::parse_version;
use super::{Comparison, Expr, Operand, Operator, Query, Subject};
use crate::json::number::parse_f64;
use crate::text::Span;

/// What a query can ask about a container instance.
pub trait QueryContext {
    fn attribute(&self, name: &str) -> Option<&str>;
    fn ec2_instance_id(&self) -> Option<&str>;
    fn agent_connected(&self) -> bool;
    fn agent_version(&self) -> &str;
    /// Seconds since the Unix epoch.
    fn registered_at(&self) -> i64;
    fn running_tasks_count(&self) -> u32;
    /// Whether any task on the instance has a group satisfying `test`.
    fn any_task_group(&self, test: &mut dyn FnMut(&str) -> bool) -> bool;
}

impl Query {
    pub fn matches<C: QueryContext + ?Sized>(&self, instance: &C) -> bool {
        evaluate(&self.expr, instance)
    }

    /// The byte span of the clause that made the query false; `None` when
    /// the query holds.
    pub fn false_span<C: QueryContext + ?Sized>(&self, instance: &C) -> Option<Span> {
        if self.matches(instance) {
            return None;
        }
        Some(blame(&self.expr, instance).unwrap_or(Span::new(0, self.source.len())))
    }

    /// The source text of the clause that made the query false, if it is.
    pub fn false_clause<C: QueryContext + ?Sized>(&self, instance: &C) -> Option<&str> {
        if self.matches(instance) {
            return None;
        }
        let span = blame(&self.expr, instance).unwrap_or(Span::new(0, self.source.len()));
        self.source.get(span.start as usize..span.end as usize)
    }
}

fn evaluate<C: QueryContext + ?Sized>(expr: &Expr, instance: &C) -> bool {
    match expr {
        Expr::And(parts) => parts.iter().all(|p| evaluate(p, instance)),
        Expr::Or(parts) => parts.iter().any(|p| evaluate(p, instance)),
        Expr::Not(inner, _) => !evaluate(inner, instance),
        Expr::Compare(comparison) => compare(comparison, instance),
    }
}

/// The clause to blame for a false expression: the first false part of an
/// `and`, the whole `or` when every part is false, the `not` whose inner
/// expression held.
fn blame<C: QueryContext + ?Sized>(expr: &Expr, instance: &C) -> Option<Span> {
    match expr {
        Expr::And(parts) => parts
            .iter()
            .find(|p| !evaluate(p, instance))
            .and_then(|p| blame(p, instance)),
        Expr::Or(parts) => {
            let first = parts.first().and_then(|p| blame(p, instance))?;
            let last = parts
                .last()
                .and_then(|p| blame(p, instance))
                .unwrap_or(first);
            Some(Span::new(
                first.start as usize,
                last.end.max(first.end) as usize,
            ))
        }
        Expr::Not(_, span) => Some(*span),
        Expr::Compare(comparison) => Some(comparison.span),
    }
}

/// The positive twin of a negative operator, so `!x` is exactly `not x`.
fn positive(operator: Operator) -> (Operator, bool) {
    match operator {
        Operator::NotEqual => (Operator::Equal, true),
        Operator::NotExists => (Operator::Exists, true),
        Operator::NotIn => (Operator::In, true),
        Operator::NotMatch => (Operator::Match, true),
        other => (other, false),
    }
}

fn compare<C: QueryContext + ?Sized>(comparison: &Comparison, instance: &C) -> bool {
    let (operator, negate) = positive(comparison.operator);
    let operand = &comparison.operand;
    let held = match &comparison.subject {
        Subject::Attribute(name) => instance
            .attribute(name)
            .is_some_and(|value| test_text(value, operator, operand)),
        Subject::Ec2InstanceId => instance
            .ec2_instance_id()
            .is_some_and(|value| test_text(value, operator, operand)),
        Subject::AgentConnected => {
            let value = if instance.agent_connected() {
                "true"
            } else {
                "false"
            };
            test_text(value, operator, operand)
        }
        Subject::TaskGroup => {
            instance.any_task_group(&mut |group| test_text(group, operator, operand))
        }
        Subject::AgentVersion => match (parse_version(instance.agent_version()), operand) {
            (Some(have), Operand::Version(want)) => {
                ordered(compare_versions(&have, want), operator)
            }
            _ => false,
        },
        Subject::RegisteredAt => match operand {
            Operand::Date(want) => ordered(instance.registered_at().cmp(want), operator),
            _ => false,
        },
        Subject::RunningTasksCount => match operand {
            Operand::Count(want) => ordered(
                i64::from(instance.running_tasks_count()).cmp(want),
                operator,
            ),
            _ => false,
        },
    };
    held != negate
}

fn ordered(ordering: Ordering, operator: Operator) -> bool {
    match operator {
        Operator::Equal => ordering == Ordering::Equal,
        Operator::Greater => ordering == Ordering::Greater,
        Operator::GreaterEqual => ordering != Ordering::Less,
        Operator::Less => ordering == Ordering::Less,
        Operator::LessEqual => ordering != Ordering::Greater,
        _ => false,
    }
}

fn test_text(value: &str, operator: Operator, operand: &Operand) -> bool {
    match (operator, operand) {
        (Operator::Exists, _) => true,
        (Operator::In, Operand::List(items)) => items.iter().any(|item| item == value),
        (Operator::Match, Operand::Pattern(pattern)) => pattern.is_match(value),
        // The documentation defines `==` as string equality.
        (Operator::Equal, Operand::Text(want)) => value == want,
        (_, Operand::Text(want)) => ordered(compare_text(value, want), operator),
        _ => false,
    }
}

/// Numbers compare as numbers, anything else as text.
fn compare_text(value: &str, want: &str) -> Ordering {
    match (parse_f64(value), parse_f64(want)) {
        (Some(a), Some(b)) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
        _ => value.cmp(want),
    }
}

pub(crate) fn compare_versions(have: &[u64], want: &[u64]) -> Ordering {
    let len = have.len().max(want.len());
    (0..len)
        .map(|i| {
            let a = have.get(i).copied().unwrap_or(0);
            let b = want.get(i).copied().unwrap_or(0);
            a.cmp(&b)
        })
        .find(|o| *o != Ordering::Equal)
        .unwrap_or(Ordering::Equal)
}
