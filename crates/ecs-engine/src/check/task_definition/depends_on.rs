//! Container dependencies: conditions and cycles (V-CD-033, V-CD-034,
//! checklist §7 "detection of cycles in dependsOn").

use super::{is_essential, name_of, Context};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

pub const DEPENDS_ON_ESSENTIAL: Rule = Rule {
    code: "depends-on-essential-container",
    severity: Severity::Error,
    summary: "The COMPLETE and SUCCESS conditions cannot name an essential container.",
    covers: &["V-CD-033"],
    exception: Some("ClientException"),
};

pub const DEPENDS_ON_HEALTHY: Rule = Rule {
    code: "depends-on-healthy-without-health-check",
    severity: Severity::Error,
    summary: "The HEALTHY condition needs the named container to have a `healthCheck`.",
    covers: &["V-CD-034"],
    exception: Some("ClientException"),
};

pub const DEPENDS_ON_CYCLE: Rule = Rule {
    code: "depends-on-cycle",
    severity: Severity::Error,
    summary: "Container dependencies must not form a cycle: no container could ever start.",
    covers: &[],
    exception: Some("ClientException"),
};

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    for container in &context.containers {
        for dependency in container.items("dependsOn") {
            check_condition(context, container, &dependency, sink);
        }
    }
    check_cycles(context, sink);
}

fn check_condition(
    context: &Context<'_>,
    container: &Located<'_>,
    dependency: &Located<'_>,
    sink: &mut Sink,
) {
    let (Some(target_name), Some(condition)) = (
        dependency.str_field("containerName"),
        dependency.field("condition"),
    ) else {
        return;
    };
    let Some(target) = context.container(target_name) else {
        return; // Reported by unknown-container-reference.
    };
    let own = name_of(container);
    match condition.node.as_str() {
        Some(kind @ ("COMPLETE" | "SUCCESS")) if is_essential(target) => {
            let finding = sink.report(
                &DEPENDS_ON_ESSENTIAL,
                condition.path.clone(),
                condition.span(),
                format!("container '{own}' depends on '{target_name}' with condition {kind}, but '{target_name}' is essential: the {kind} condition cannot be set on an essential container"),
            );
            if let Some(flag) = target.field("essential") {
                finding.with_fix(
                    format!("Mark '{target_name}' not essential"),
                    vec![(flag.span(), "false".to_string())],
                );
            }
        }
        Some("HEALTHY") if target.field("healthCheck").is_none() => {
            sink.report(
                &DEPENDS_ON_HEALTHY,
                condition.path.clone(),
                condition.span(),
                format!("container '{own}' depends on '{target_name}' being HEALTHY, but '{target_name}' has no healthCheck: the HEALTHY condition requires a container health check"),
            )
            .with_fix("Wait for START instead", vec![(condition.span(), "\"START\"".to_string())]);
        }
        _ => {}
    }
}

/// Finds dependency cycles with an iterative depth-first search and reports
/// each one once, at the dependsOn entry that closes it.
fn check_cycles(context: &Context<'_>, sink: &mut Sink) {
    let count = context.containers.len();
    // edges[i] = (target index, the dependsOn entry's containerName node).
    let edges: Vec<Vec<(usize, Located<'_>)>> = context
        .containers
        .iter()
        .map(|container| {
            container
                .items("dependsOn")
                .iter()
                .filter_map(|d| {
                    let field = d.field("containerName")?;
                    let name = field.node.as_str()?;
                    let target = context
                        .containers
                        .iter()
                        .position(|c| c.str_field("name") == Some(name))?;
                    Some((target, field))
                })
                .collect()
        })
        .collect();
    // 0 = unvisited, 1 = on the current path, 2 = done.
    let mut state = vec![0u8; count];
    for start in 0..count {
        if state.get(start) != Some(&0) {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        if let Some(s) = state.get_mut(start) {
            *s = 1;
        }
        while let Some(top) = stack.last_mut() {
            let (node, edge_index) = *top;
            top.1 += 1;
            let Some((target, field)) = edges.get(node).and_then(|e| e.get(edge_index)) else {
                if let Some(s) = state.get_mut(node) {
                    *s = 2;
                }
                stack.pop();
                continue;
            };
            // A container naming itself is reported as a self-reference.
            if *target == node {
                continue;
            }
            match state.get(*target) {
                Some(0) => {
                    if let Some(s) = state.get_mut(*target) {
                        *s = 1;
                    }
                    stack.push((*target, 0));
                }
                Some(1) => {
                    let from = stack.iter().position(|(n, _)| n == target).unwrap_or(0);
                    let mut cycle: Vec<&str> = stack
                        .get(from..)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|(n, _)| context.containers.get(*n).map(name_of))
                        .collect();
                    cycle.extend(context.containers.get(*target).map(name_of));
                    sink.report(
                        &DEPENDS_ON_CYCLE,
                        field.path.clone(),
                        field.span(),
                        format!(
                            "dependsOn forms a cycle: {}; none of these containers can start",
                            cycle.join(" → ")
                        ),
                    );
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_is_reported_once_however_many_containers_it_has() {
        let found = super::super::findings(
            r#"{"family": "a", "containerDefinitions": [
                {"name": "a", "image": "x:1", "memory": 64, "dependsOn": [{"containerName": "b", "condition": "START"}]},
                {"name": "b", "image": "x:1", "memory": 64, "dependsOn": [{"containerName": "c", "condition": "START"}]},
                {"name": "c", "image": "x:1", "memory": 64, "dependsOn": [{"containerName": "a", "condition": "START"}, {"containerName": "b", "condition": "START"}]}
            ]}"#,
        );
        let cycles: Vec<_> = found
            .iter()
            .filter(|(code, _)| code == DEPENDS_ON_CYCLE.code)
            .collect();
        // a → b → c → a, and b → c → b: two distinct cycles.
        assert_eq!(cycles.len(), 2, "{found:?}");
    }
}
