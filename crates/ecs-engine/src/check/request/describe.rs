//! Describe and list operations (seed-checklist §2.18).

use super::{Operation, Request};
use crate::check::{Rule, Sink};
use crate::diagnostic::Severity;
use crate::json::float_text;

pub const DESCRIBE_LIST_LIMIT: Rule = Rule {
    code: "describe-list-limit",
    severity: Severity::Error,
    summary: "Describe calls take bounded lists: clusters ≤100, services 1-10, tasks 1-100, service revisions 1-20.",
    covers: &["V-CL-016", "V-DESC-001", "V-DESC-002", "V-DESC-004", "V-DESC-007"],
    exception: Some("InvalidParameterException"),
};

// D20: `cluster` only scopes the lookup; a service elsewhere becomes a
// failures[] entry, so this is a warning, not an error.
pub const SERVICE_MISSING: Rule = Rule {
    code: "service-missing",
    severity: Severity::Warning,
    summary: "DescribeServices looks only in the given cluster; services not there come back as failures.",
    covers: &["V-DESC-006"],
    exception: None,
};

pub const MAX_RESULTS_RANGE: Rule = Rule {
    code: "max-results-range",
    severity: Severity::Error,
    summary: "ListServicesByNamespace `maxResults` is 1 to 100.",
    covers: &["V-DESC-009"],
    exception: Some("InvalidParameterException"),
};

pub fn check(req: &Request<'_>, sink: &mut Sink) {
    let (key, min, max) = match req.operation {
        Operation::DescribeClusters => ("clusters", 0, 100),
        Operation::DescribeServices => ("services", 1, 10),
        Operation::DescribeTasks => ("tasks", 1, 100),
        Operation::DescribeServiceRevisions => ("serviceRevisionArns", 1, 20),
        Operation::ListServicesByNamespace => {
            check_max_results(req, sink);
            return;
        }
        _ => return,
    };
    if let Some(list) = req.root.field(key) {
        let count = list.node.items().len();
        if list.node.is_array() && !(min..=max).contains(&count) {
            sink.report(
                &DESCRIBE_LIST_LIMIT,
                list.path.clone(),
                list.key_span.unwrap_or(list.span()),
                format!(
                    "{count} {key}: {} accepts {} {key} per call",
                    req.operation.name(),
                    if min > 0 {
                        format!("{min} to {max}")
                    } else {
                        format!("up to {max}")
                    }
                ),
            );
        }
    }
    if req.is(Operation::DescribeServices) {
        let Some(cluster) = req.cluster() else {
            return;
        };
        for item in req.root.items("services") {
            let Some(name) = item.node.as_str() else {
                continue;
            };
            let short = super::account::short_name(name);
            if cluster.service(name).is_none() {
                sink.report(
                    &SERVICE_MISSING,
                    item.path.clone(),
                    item.span(),
                    format!("the cluster \"{}\" has no service \"{short}\": it will be listed in failures with reason MISSING (DescribeServices looks only in the given cluster, default when omitted)", cluster.name),
                );
            }
        }
    }
}

fn check_max_results(req: &Request<'_>, sink: &mut Sink) {
    let Some(field) = req.root.field("maxResults") else {
        return;
    };
    let Some(n) = field.node.as_f64() else {
        return;
    };
    if !(1.0..=100.0).contains(&n) {
        let fix = if n < 1.0 { "1" } else { "100" };
        sink.report(
            &MAX_RESULTS_RANGE,
            field.path.clone(),
            field.span(),
            format!(
                "maxResults {} is out of range: it can be between 1 and 100 (the default is 10)",
                float_text::display(n)
            ),
        )
        .with_fix(format!("Use {fix}"), vec![(field.span(), fix.to_string())]);
    }
}
