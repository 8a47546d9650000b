//! Seed-checklist IDs (shared/spec/seed-checklist.md §2) that no rule in
//! [`RULES`](super::RULES) covers, each with the reason. The coverage test
//! below fails when a checklist ID is neither covered by some rule's
//! `covers` nor listed here, so a new checklist row cannot be forgotten.

/// Covered by the AWS-model-driven shape check (`check/shape.rs`): required
/// members, enums and length limits the model carries.
const SHAPE: &str = "shape check: the AWS model carries this required member, enum or length";

/// IDs handled elsewhere than the task-definition rules, with the reason.
pub const OUT_OF_SCOPE: &[(&str, &str)] = &[
    ("V-TAG-004", SHAPE),
    ("V-TAG-005", SHAPE),
    ("V-PL-002", SHAPE),
    ("V-TD-005", SHAPE),
    ("V-TD-023", SHAPE),
    ("V-TD-026", SHAPE),
    ("V-TD-031", SHAPE),
    ("V-CD-003", SHAPE),
    ("V-CD-012", SHAPE),
    ("V-CD-015", SHAPE),
    ("V-CD-031", SHAPE),
    ("V-CD-045", SHAPE),
    ("V-CD-046", SHAPE),
    ("V-CD-057", SHAPE),
    ("V-VOL-006", SHAPE),
    ("V-VOL-010", SHAPE),
    ("V-VOL-011", SHAPE),
    (
        "V-TD-029",
        "ephemeralStorage needs Fargate platform 1.4.0, known only at run time; on EC2 the documentation says it is unsupported but does not say registration fails, so no error is raised",
    ),
    ("V-PL-012", PLACEMENT),
    ("V-PL-014", PLACEMENT),
    ("V-PL-015", PLACEMENT),
    ("V-PL-016", PLACEMENT),
    ("V-PL-017", PLACEMENT),
    ("V-PL-018", PLACEMENT),
    ("V-PL-019", PLACEMENT),
];

const PLACEMENT: &str = "placement feasibility, decided when a task is placed (src/place)";

/// Checklist groups that are request rules, implemented by the request
/// checks (`check/request/`, another branch). The lead reconciles this list
/// with their `covers` when merging.
pub const REQUEST_CHECK_GROUPS: &[&str] = &[
    "V-CL", "V-CP", "V-NET", "V-SVC", "V-DEP", "V-LB", "V-SR", "V-SC", "V-RUN", "V-OVR", "V-START",
    "V-STOP", "V-DESC", "V-EBS", "V-TS",
];

/// Single IDs from the task-definition groups that belong to request checks:
/// they depend on the operation or on the platform version, known only when
/// a task or service is launched.
pub const REQUEST_CHECK_IDS: &[&str] = &[
    "V-TAG-008",
    "V-TAG-009",
    "V-ATTR-003",
    "V-PL-007",
    "V-PL-008",
    "V-PL-009",
    "V-PL-010",
    "V-PL-011",
    "V-TD-014",
    "V-TD-032",
    "V-TD-033",
    "V-TD-034",
    "V-TD-035",
    "V-CD-019",
    "V-CD-035",
    "V-CD-036",
    "V-CD-054",
];

/// True when `id` is accounted for by the request checks.
pub fn is_request_check(id: &str) -> bool {
    REQUEST_CHECK_IDS.contains(&id)
        || REQUEST_CHECK_GROUPS.iter().any(|group| {
            id.strip_prefix(group)
                .is_some_and(|rest| rest.starts_with('-'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::RULES;

    fn checklist_ids() -> Vec<String> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/spec/seed-checklist.md"
        );
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("the seed checklist is missing at {path}: {e}"));
        let start = text
            .find("## 2. Validation-rule catalogue")
            .expect("§2 heading");
        let end = text[start..]
            .find("\n## 3.")
            .map_or(text.len(), |i| start + i);
        text[start..end]
            .lines()
            .filter_map(|line| line.strip_prefix("| V-"))
            .filter_map(|rest| rest.split_once(' ').map(|(id, _)| format!("V-{id}")))
            // Rule rows, not the counts table: IDs end in a number.
            .filter(|id| {
                id.rsplit('-')
                    .next()
                    .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
            })
            .collect()
    }

    #[test]
    fn every_checklist_id_is_covered_or_explained() {
        let ids = checklist_ids();
        assert!(
            ids.len() >= 290,
            "expected the full §2 catalogue, found {} IDs",
            ids.len()
        );
        let uncovered: Vec<&String> = ids
            .iter()
            .filter(|id| {
                !RULES.iter().any(|r| r.covers.contains(&id.as_str()))
                    && !OUT_OF_SCOPE.iter().any(|(o, _)| o == id)
                    && !is_request_check(id)
            })
            .collect();
        assert!(
            uncovered.is_empty(),
            "checklist IDs neither covered by a rule nor listed in out_of_scope.rs: {uncovered:?}"
        );
    }

    #[test]
    fn listed_ids_exist_and_no_rule_covers_them() {
        let ids = checklist_ids();
        for (id, _) in OUT_OF_SCOPE {
            assert!(ids.iter().any(|i| i == id), "{id} is not in the checklist");
            let rule = RULES.iter().find(|r| r.covers.contains(id));
            assert!(
                rule.is_none(),
                "{id} is covered by {}; remove it from OUT_OF_SCOPE",
                rule.map_or("", |r| r.code)
            );
        }
        for id in REQUEST_CHECK_IDS {
            assert!(ids.iter().any(|i| i == id), "{id} is not in the checklist");
        }
        for rule in RULES {
            for id in rule.covers {
                assert!(
                    ids.iter().any(|i| i == id),
                    "{} covers {id}, which is not in the checklist",
                    rule.code
                );
            }
        }
    }
}
