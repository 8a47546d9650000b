//! Validation: rules that turn a located document into findings.
//!
//! Every rule is a [`Rule`] constant (its stable code, severity, what it checks
//! and which seed-checklist IDs it covers) plus the code that applies it. The
//! constants are listed in [`RULES`], from which the rule catalogue is built.

pub mod audit;
pub mod out_of_scope;
pub mod request;
// Generated, one line per shape; rustfmt would triple its size.
#[rustfmt::skip]
pub mod schema;
pub mod shape;
pub mod tags;
pub mod task_definition;

use crate::diagnostic::{Finding, RawFix, Severity};
use crate::json::{JsonPath, Node};
use crate::text::Span;

/// A validation rule's identity and documentation.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable, kebab-case; never reused for a different meaning.
    pub code: &'static str,
    pub severity: Severity,
    /// One sentence: what the rule checks.
    pub summary: &'static str,
    /// Seed-checklist rule IDs (shared/spec/seed-checklist.md §2) this rule covers.
    pub covers: &'static [&'static str],
    /// The exception AWS raises, where known.
    pub exception: Option<&'static str>,
}

/// The rule lists of each module, in catalogue order. Add a module's list here.
const RULE_GROUPS: &[&[&Rule]] = &[
    crate::import::RULES,
    shape::RULES,
    task_definition::RULES,
    tags::RULES,
    request::RULES,
    &[&MORE_FINDINGS],
];

/// Every rule the engine applies, in catalogue order.
pub const RULES: &[&Rule] = &flatten_rules::<{ count_rules(RULE_GROUPS) }>(RULE_GROUPS);

const fn count_rules(groups: &[&[&Rule]]) -> usize {
    let mut total = 0;
    let mut i = 0;
    while i < groups.len() {
        total += groups[i].len();
        i += 1;
    }
    total
}

const fn flatten_rules<const N: usize>(groups: &[&[&'static Rule]]) -> [&'static Rule; N] {
    const PLACEHOLDER: Rule = Rule {
        code: "",
        severity: Severity::Info,
        summary: "",
        covers: &[],
        exception: None,
    };
    let mut out: [&'static Rule; N] = [&PLACEHOLDER; N];
    let (mut group, mut at) = (0, 0);
    while group < groups.len() {
        let mut i = 0;
        while i < groups[group].len() {
            out[at] = groups[group][i];
            at += 1;
            i += 1;
        }
        group += 1;
    }
    out
}

/// A document can hold a million mistakes of one kind (10 MB of unknown
/// keys); nobody reads more than a screenful, and keeping them all costs
/// seconds and hundreds of megabytes. Past this many findings of one rule,
/// the rest are counted, not kept.
pub const MAX_FINDINGS_PER_RULE: usize = 200;

pub const MORE_FINDINGS: Rule = Rule {
    code: "more-findings-not-shown",
    severity: Severity::Info,
    summary: "Past 200 findings of one rule, the rest are counted and summarised.",
    covers: &[],
    exception: None,
};

/// Collects findings while rules run.
#[derive(Debug, Default)]
pub struct Sink {
    pub findings: Vec<Finding>,
    /// How many findings of each rule were past [`MAX_FINDINGS_PER_RULE`].
    pub dropped: Vec<(&'static str, usize)>,
    kept: Vec<(&'static str, usize)>,
    /// Where a finding past the limit goes, so that callers can still add a fix.
    overflow: Option<Finding>,
}

/// What a finding takes from its rule. Rules reach the sink by reference;
/// the sink's entry points are inlined so that the compiler reads these three
/// fields as constants and never places a rule, with its summary and
/// checklist IDs (documentation), in the wasm build.
#[derive(Clone, Copy)]
struct Reported {
    code: &'static str,
    severity: Severity,
    exception: Option<&'static str>,
}

impl Reported {
    #[inline(always)]
    fn of(rule: &Rule) -> Reported {
        Reported {
            code: rule.code,
            severity: rule.severity,
            exception: rule.exception,
        }
    }
}

impl Sink {
    #[inline(always)]
    pub fn report(
        &mut self,
        rule: &Rule,
        path: JsonPath,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.report_code(Reported::of(rule), path, span, message.into())
    }

    fn report_code(
        &mut self,
        rule: Reported,
        path: JsonPath,
        span: Span,
        message: String,
    ) -> &mut Finding {
        let finding = Finding {
            code: rule.code,
            severity: rule.severity,
            path,
            span,
            message,
            exception: rule.exception,
            fix: None,
        };
        if self.is_full_code(rule.code) {
            self.skip_code(rule.code);
            return self.overflow.insert(finding);
        }
        match self.kept.iter_mut().find(|(code, _)| *code == rule.code) {
            Some((_, n)) => *n += 1,
            None => self.kept.push((rule.code, 1)),
        }
        let last = self.findings.len();
        self.findings.push(finding);
        &mut self.findings[last]
    }

    /// Whether findings of `rule` are past the limit: costly reports can
    /// [`skip`](Sink::skip) instead of building a message nobody will see.
    #[inline(always)]
    pub fn is_full(&self, rule: &Rule) -> bool {
        self.is_full_code(rule.code)
    }

    fn is_full_code(&self, rule: &str) -> bool {
        self.kept
            .iter()
            .any(|(code, n)| *code == rule && *n >= MAX_FINDINGS_PER_RULE)
    }

    /// Counts a finding of `rule` that is past the limit.
    #[inline(always)]
    pub fn skip(&mut self, rule: &Rule) {
        self.skip_code(rule.code)
    }

    fn skip_code(&mut self, rule: &'static str) {
        match self.dropped.iter_mut().find(|(code, _)| *code == rule) {
            Some((_, n)) => *n += 1,
            None => self.dropped.push((rule, 1)),
        }
    }

    /// One info per rule that went past the limit, saying how many more there were.
    pub fn summarise_dropped(&mut self) {
        for (code, n) in std::mem::take(&mut self.dropped) {
            self.findings.push(Finding {
                code: MORE_FINDINGS.code,
                severity: MORE_FINDINGS.severity,
                path: JsonPath::root(),
                span: Span::new(0, 0),
                message: format!(
                    "{n} more {code} findings are not shown: the playground lists the first {MAX_FINDINGS_PER_RULE} of each kind"
                ),
                exception: None,
                fix: None,
            });
        }
    }

    /// Reports a rule against a member that is absent: the finding points at
    /// the key of the object that should hold it, or at its opening brace.
    #[inline(always)]
    pub fn report_missing(
        &mut self,
        rule: &Rule,
        parent: &Located<'_>,
        key: &str,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.report_missing_code(Reported::of(rule), parent, key, message.into())
    }

    fn report_missing_code(
        &mut self,
        rule: Reported,
        parent: &Located<'_>,
        key: &str,
        message: String,
    ) -> &mut Finding {
        let span = parent.key_span.unwrap_or(Span::new(
            parent.node.span.start as usize,
            parent.node.span.start as usize + 1,
        ));
        self.report_code(rule, parent.path.key(key), span, message)
    }
}

impl Finding {
    pub fn with_fix(
        &mut self,
        title: impl Into<String>,
        edits: Vec<(Span, String)>,
    ) -> &mut Finding {
        self.fix = Some(RawFix {
            title: title.into(),
            edits,
        });
        self
    }
}

/// A node together with where it is: its path and, for members, its key's span.
#[derive(Debug, Clone)]
pub struct Located<'a> {
    pub node: &'a Node,
    pub path: JsonPath,
    pub key_span: Option<Span>,
}

impl<'a> Located<'a> {
    pub fn root(node: &'a Node, path: JsonPath) -> Located<'a> {
        Located {
            node,
            path,
            key_span: None,
        }
    }

    /// The member `key`, if present and not `null` (console exports write
    /// `null` for absent fields).
    pub fn field(&self, key: &str) -> Option<Located<'a>> {
        let member = self.node.member(key)?;
        if member.value.is_null() {
            return None;
        }
        Some(Located {
            node: &member.value,
            path: self.path.key(key),
            key_span: Some(member.key_span),
        })
    }

    /// The items of an array member, each with its path.
    pub fn items(&self, key: &str) -> Vec<Located<'a>> {
        let Some(list) = self.field(key) else {
            return Vec::new();
        };
        list.node
            .items()
            .iter()
            .enumerate()
            .map(|(i, node)| Located {
                node,
                path: list.path.index(i),
                key_span: None,
            })
            .collect()
    }

    pub fn str_field(&self, key: &str) -> Option<&'a str> {
        self.node.get(key).and_then(Node::as_str)
    }

    /// An integer member. A quoted integer (`"512"`) counts too: the shape
    /// check warns about the quotes, so rules judge the value it stands for.
    pub fn int_field(&self, key: &str) -> Option<i64> {
        let node = self.node.get(key)?;
        node.as_i64()
            .or_else(|| node.as_str().and_then(|s| s.trim().parse().ok()))
    }

    pub fn bool_field(&self, key: &str) -> Option<bool> {
        self.node.get(key).and_then(Node::as_bool)
    }

    pub fn span(&self) -> Span {
        self.node.span
    }
}

/// Names ECS limits to 1–255 letters, digits, hyphens and underscores
/// (family, clusterName, serviceName): reports `rule` on `field` (named
/// `what` in the message), with a fix that turns every other character into
/// a hyphen. Values that are not strings are the shape check's to report.
pub fn check_simple_name(field: &Located<'_>, what: &str, rule: &Rule, sink: &mut Sink) {
    use task_definition::{clean_name, is_simple_name, json_string};
    let Some(name) = field.node.as_str() else {
        return;
    };
    if is_simple_name(name) {
        return;
    }
    let cleaned = clean_name(name);
    let finding = sink.report(
        rule,
        field.path.clone(),
        field.span(),
        format!("{what} \"{name}\" is invalid: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed"),
    );
    if !cleaned.is_empty() {
        finding.with_fix(
            format!("Rename to \"{cleaned}\""),
            vec![(field.span(), json_string(&cleaned))],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_codes_are_unique_and_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.code), "duplicate rule code {}", rule.code);
            let kebab = !rule.code.is_empty()
                && rule
                    .code
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            assert!(kebab, "rule code {} is not kebab-case", rule.code);
        }
        assert!(seen.contains("unknown-field") && seen.contains("family-required"));
    }

    #[test]
    fn findings_past_the_limit_are_counted_and_summarised() {
        let mut sink = Sink::default();
        for i in 0..MAX_FINDINGS_PER_RULE + 5 {
            sink.report(&MORE_FINDINGS, JsonPath::root(), Span::new(i, i), "x")
                .with_fix("f", Vec::new());
        }
        assert_eq!(sink.findings.len(), MAX_FINDINGS_PER_RULE);
        assert!(sink.is_full(&MORE_FINDINGS));
        sink.summarise_dropped();
        let last = sink.findings.last().unwrap();
        assert!(
            last.message
                .starts_with("5 more more-findings-not-shown findings"),
            "{}",
            last.message
        );
    }
}
