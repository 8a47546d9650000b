//! Seed-checklist IDs (shared/spec/seed-checklist.md §2) that no rule in
//! [`RULES`](super::RULES) covers, each with the reason. The coverage test
//! below fails when a checklist ID is neither covered by some rule's
//! `covers` nor listed here, so a new checklist row cannot be forgotten.

/// Covered by the AWS-model-driven shape check (`check/shape.rs`): required
/// members, enums and length limits the model carries.
const SHAPE: &str = "shape check: the AWS model carries this required member, enum or length";

/// IDs handled elsewhere than the task-definition rules, with the reason.
pub const OUT_OF_SCOPE: &[(&str, &str)] = &[
    ("V-PL-002", SHAPE),
    ("V-TD-005", SHAPE),
    ("V-TD-023", SHAPE),
    ("V-TD-026", SHAPE),
    ("V-CD-003", SHAPE),
    ("V-CD-012", SHAPE),
    ("V-CD-015", SHAPE),
    ("V-CD-031", SHAPE),
    ("V-CD-046", SHAPE),
    ("V-CD-057", SHAPE),
    ("V-VOL-006", SHAPE),
    ("V-VOL-010", SHAPE),
    ("V-VOL-011", SHAPE),
    (
        "V-TD-029",
        "ephemeralStorage needs Fargate platform 1.4.0, known only at run time; on EC2 the documentation says it is unsupported but does not say registration fails, so no error is raised",
    ),
    ("V-TD-014", LAUNCH_PLATFORM),
    ("V-CD-019", LAUNCH_PLATFORM),
    ("V-CD-035", LAUNCH_PLATFORM),
    ("V-CD-036", LAUNCH_PLATFORM),
    ("V-CD-054", LAUNCH_PLATFORM),
    (
        "V-TD-032",
        "compares the task definition with a service's platform family: a launch-time state check for the simulated ECS, not a property of either document",
    ),
    (
        "V-TD-035",
        "whether an INACTIVE revision can still be described depends on which tasks and services reference it: simulator state",
    ),
    (
        "V-TS-001",
        "task sets (CreateTaskSet, UpdateTaskSet) belong to the EXTERNAL deployment controller, which the simulated operations do not include",
    ),
    ("V-PL-012", PLACEMENT),
    ("V-PL-014", PLACEMENT),
    ("V-PL-015", PLACEMENT),
    ("V-PL-016", PLACEMENT),
    ("V-PL-017", PLACEMENT),
    ("V-PL-018", PLACEMENT),
    ("V-PL-019", PLACEMENT),
];

/// Fargate platform-version requirements: a task definition carries no
/// platform version; RunTask and CreateService name it (default LATEST, which
/// satisfies every one of these), so they are checked at launch.
const LAUNCH_PLATFORM: &str = "needs the Fargate platform version, which only RunTask or CreateService carry (LATEST satisfies it): a launch-time check";

const PLACEMENT: &str = "placement feasibility, decided when a task is placed (src/place)";

/// True when the request checks explain why they leave `id` to something
/// else (the shape check, or state a request cannot see); the reasons are in
/// [`NOT_COVERED_HERE`](super::request::NOT_COVERED_HERE).
pub fn is_explained_by_request_checks(id: &str) -> bool {
    super::request::NOT_COVERED_HERE
        .iter()
        .any(|(i, _)| *i == id)
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
                    && !is_explained_by_request_checks(id)
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
        for (id, _) in super::super::request::NOT_COVERED_HERE {
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
