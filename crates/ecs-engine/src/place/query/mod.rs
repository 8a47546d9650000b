//! The cluster query language of `memberOf` constraints (ecs-semantics A2).
//!
//! `parse` turns an expression into a [`Query`] or a [`QueryError`] that points
//! at the offending column; [`Query::matches`] evaluates it against one
//! container instance through [`QueryContext`].
//!
//! Choices where AWS documents nothing (each is UNCERTAIN, this is the model):
//! - A missing subject (an attribute the instance lacks) makes every positive
//!   operator (`==`, `>`…, `in`, `=~`, `exists`) false and every negative one
//!   (`!=`, `!in`, `!~`, `!exists`) true: a negative operator is exactly
//!   `not` of its positive twin.
//! - `task:group` is many-valued (the groups of the tasks on the instance):
//!   a positive operator holds when any group satisfies it.
//! - Patterns match the whole value, as Java's `String.matches` does.
//!   They are compiled by `pattern.rs`, a small matcher, not `java.util.regex`
//!   (a modelling choice: AWS documents only examples such as `t2.*`): it has
//!   literals, `.`, classes, groups, `|`, every quantifier and `^ $`; it has no
//!   lookaround, backreferences, inline flags such as `(?i)`, `\b` or `\p{…}`
//!   classes (these are refused with a message), and `\w`, `\d`, `\s` are
//!   ASCII-only. Both agree on the documented examples (`t2.*`, `g2.*`).
//! - Ordering on `attribute:` values compares numbers numerically when both
//!   sides are numbers, otherwise as text.
//! - `registeredAt` dates without a time mean midnight UTC; without an offset,
//!   UTC.

mod eval;
mod lexer;
mod parser;
mod pattern;

pub use eval::QueryContext;
pub use parser::parse;

use std::fmt;

use serde::Serialize;

use crate::text::Span;

/// Longest expression AWS accepts (V-PL-003).
pub const MAX_EXPRESSION_CHARS: usize = 2000;

/// A parsed query, with its source for explanations.
#[derive(Debug, Clone)]
pub struct Query {
    pub(crate) source: String,
    pub(crate) expr: Expr,
}

impl Query {
    pub fn source(&self) -> &str {
        &self.source
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    /// The span runs from `not`/`!` to the end of its operand, closing
    /// parenthesis included.
    Not(Box<Expr>, Span),
    Compare(Comparison),
}

#[derive(Debug, Clone)]
pub(crate) struct Comparison {
    pub subject: Subject,
    pub operator: Operator,
    pub operand: Operand,
    /// From the subject to the end of the value, for "which clause was false".
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    AgentConnected,
    AgentVersion,
    Attribute(String),
    Ec2InstanceId,
    RegisteredAt,
    RunningTasksCount,
    TaskGroup,
}

impl Subject {
    /// Operators the documentation lists for each subject (A2 table).
    fn allowed(&self) -> &'static [Operator] {
        use Operator::*;
        match self {
            Subject::AgentConnected | Subject::Ec2InstanceId => {
                &[Equal, NotEqual, In, NotIn, Match, NotMatch]
            }
            Subject::AgentVersion | Subject::RegisteredAt | Subject::RunningTasksCount => {
                &[Equal, NotEqual, Greater, GreaterEqual, Less, LessEqual]
            }
            Subject::TaskGroup => &[
                Equal, NotEqual, In, NotIn, Match, NotMatch, Exists, NotExists,
            ],
            Subject::Attribute(_) => &[
                Equal,
                NotEqual,
                Greater,
                GreaterEqual,
                Less,
                LessEqual,
                Exists,
                NotExists,
                In,
                NotIn,
                Match,
                NotMatch,
            ],
        }
    }

    fn name(&self) -> String {
        match self {
            Subject::AgentConnected => "agentConnected".into(),
            Subject::AgentVersion => "agentVersion".into(),
            Subject::Attribute(name) => format!("attribute:{name}"),
            Subject::Ec2InstanceId => "ec2InstanceId".into(),
            Subject::RegisteredAt => "registeredAt".into(),
            Subject::RunningTasksCount => "runningTasksCount".into(),
            Subject::TaskGroup => "task:group".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    Equal,
    NotEqual,
    Greater,
    GreaterEqual,
    Less,
    LessEqual,
    Exists,
    NotExists,
    In,
    NotIn,
    Match,
    NotMatch,
}

impl Operator {
    pub fn symbol(self) -> &'static str {
        match self {
            Operator::Equal => "==",
            Operator::NotEqual => "!=",
            Operator::Greater => ">",
            Operator::GreaterEqual => ">=",
            Operator::Less => "<",
            Operator::LessEqual => "<=",
            Operator::Exists => "exists",
            Operator::NotExists => "!exists",
            Operator::In => "in",
            Operator::NotIn => "!in",
            Operator::Match => "=~",
            Operator::NotMatch => "!~",
        }
    }

    /// The word aliases of the documentation's operator table.
    fn from_word(word: &str) -> Option<Operator> {
        Some(match word {
            "equals" => Operator::Equal,
            "not_equals" => Operator::NotEqual,
            "greater_than" => Operator::Greater,
            "greater_than_equal" => Operator::GreaterEqual,
            "less_than" => Operator::Less,
            "less_than_equal" => Operator::LessEqual,
            "exists" => Operator::Exists,
            "not_exists" => Operator::NotExists,
            "in" => Operator::In,
            "not_in" => Operator::NotIn,
            "matches" => Operator::Match,
            "not_matches" => Operator::NotMatch,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Operand {
    None,
    Text(String),
    List(Vec<String>),
    Pattern(Pattern),
    Version(Vec<u64>),
    /// Seconds since the Unix epoch.
    Date(i64),
    Count(i64),
}

/// A compiled pattern that remembers its answers: a cluster has few distinct
/// values (instance types, zones), so each is matched once, not once per
/// instance and change.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    regex: pattern::Regex,
    memo: std::cell::RefCell<std::collections::HashMap<String, bool>>,
}

/// Distinct values remembered per pattern; beyond that, matching just runs.
const PATTERN_MEMO_LIMIT: usize = 4096;

impl Pattern {
    pub(crate) fn new(regex: pattern::Regex) -> Pattern {
        Pattern {
            regex,
            memo: Default::default(),
        }
    }

    pub(crate) fn is_match(&self, value: &str) -> bool {
        if let Ok(memo) = self.memo.try_borrow() {
            if let Some(&known) = memo.get(value) {
                return known;
            }
        }
        let result = self.regex.is_match(value);
        if let Ok(mut memo) = self.memo.try_borrow_mut() {
            if memo.len() < PATTERN_MEMO_LIMIT {
                memo.insert(value.to_string(), result);
            }
        }
        result
    }
}

/// A syntax or value error, located in the expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryError {
    pub message: String,
    /// Byte range in the expression.
    pub span: Span,
    /// 1-based column (in characters) where the problem starts.
    pub column: u32,
}

impl QueryError {
    pub(crate) fn new(source: &str, span: Span, message: &str) -> QueryError {
        let start = (span.start as usize).min(source.len());
        let column = source
            .char_indices()
            .take_while(|(i, _)| *i < start)
            .count();
        QueryError {
            message: message.to_string(),
            span,
            column: u32::try_from(column).unwrap_or(u32::MAX).saturating_add(1),
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

/// Whether an agent version string is at least `minimum` (false when it is
/// not a version).
pub fn version_at_least(version: &str, minimum: &[u64]) -> bool {
    parser::parse_version(version)
        .is_some_and(|have| eval::compare_versions(&have, minimum) != std::cmp::Ordering::Less)
}

#[cfg(test)]
mod tests;
