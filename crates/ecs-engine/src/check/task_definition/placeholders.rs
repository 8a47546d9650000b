//! Template placeholders (ecs-semantics E7): a task definition kept in a
//! repository is checked before a tool renders it. Each placeholder gets one
//! info; no rule judges the value holding it (its format, range, enum or
//! JSON type is only known after substitution), and every other value is
//! checked as usual.

use crate::check::Rule;
use crate::diagnostic::{Finding, Severity};
use crate::json::{JsonPath, Node, NodeKind, Segment};
use crate::template::placeholders;
use crate::text::Span;

pub const TEMPLATE_PLACEHOLDER: Rule = Rule {
    code: "template-placeholder",
    severity: Severity::Info,
    summary: "A template placeholder (`{{ must_env `TAG` }}`, `${IMAGE}`, `$$$$IMAGE$$$$`, `<region>`, …): the value holding it is checked after substitution (`ecs-playground check --var NAME=VALUE`).",
    covers: &[],
    exception: None,
};

/// Deeper than any task definition; bounds the walk on hostile input.
const MAX_DEPTH: usize = 64;

/// Reports every placeholder in the string values of `root` (skipping those
/// inside `skipped` spans, such as CloudFormation functions, which have their
/// own finding), and drops the other findings on the values holding one.
pub fn apply(root: &Node, text: &str, skipped: &[Span], findings: &mut Vec<Finding>) {
    // Most documents hold no placeholder at all: one pass over the text
    // (memchr-fast) spares the walk.
    if !crate::template::may_hold_placeholder(text) {
        return;
    }
    let mut holders = Vec::new();
    let mut infos = Vec::new();
    let mut path = Vec::new();
    walk(root, text, skipped, &mut path, 0, &mut holders, &mut infos);
    if holders.is_empty() {
        return;
    }
    findings.retain(|f| {
        !holders
            .iter()
            .any(|h: &Span| h.start <= f.span.start && f.span.end <= h.end)
    });
    findings.extend(infos);
}

/// One step of the path to the value being walked, borrowed from the tree:
/// a path is built only for values that hold a placeholder.
#[derive(Clone, Copy)]
enum Step<'n> {
    Key(&'n str),
    Index(usize),
}

fn walk<'n>(
    node: &'n Node,
    text: &str,
    skipped: &[Span],
    path: &mut Vec<Step<'n>>,
    depth: usize,
    holders: &mut Vec<Span>,
    infos: &mut Vec<Finding>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    match &node.kind {
        NodeKind::String(_) => {
            let (start, end) = (node.span.start as usize, node.span.end as usize);
            let Some(raw) = text.get(start..end) else {
                return;
            };
            if skipped
                .iter()
                .any(|s| s.start <= node.span.start && node.span.end <= s.end)
            {
                return;
            }
            let found = placeholders(raw);
            if found.is_empty() {
                return;
            }
            holders.push(node.span);
            for p in found {
                infos.push(Finding {
                    code: TEMPLATE_PLACEHOLDER.code,
                    severity: TEMPLATE_PLACEHOLDER.severity,
                    path: JsonPath(
                        path.iter()
                            .map(|step| match step {
                                Step::Key(key) => Segment::Key((*key).to_string()),
                                Step::Index(i) => Segment::Index(*i),
                            })
                            .collect(),
                    ),
                    span: Span::new(start + p.start, start + p.end),
                    message: format!(
                        "placeholder {}: checked after substitution",
                        &raw[p.start..p.end]
                    ),
                    exception: None,
                    fix: None,
                });
            }
        }
        NodeKind::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                walk(item, text, skipped, path, depth + 1, holders, infos);
                path.pop();
            }
        }
        NodeKind::Object(members) => {
            for member in members {
                path.push(Step::Key(&member.key));
                walk(
                    &member.value,
                    text,
                    skipped,
                    path,
                    depth + 1,
                    holders,
                    infos,
                );
                path.pop();
            }
        }
        _ => {}
    }
}
