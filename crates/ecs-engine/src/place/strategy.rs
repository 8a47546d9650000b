//! Placement strategies and constraints as the API writes them, with the
//! documented limits and defaults (ecs-semantics A1, seed-checklist §2.6).

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// At most 10 constraints per task, task definition and request together (V-PL-001).
pub const MAX_CONSTRAINTS: usize = 10;
/// At most 5 strategy rules (V-PL-007; the sources conflict with 4, 5 is current).
pub const MAX_STRATEGIES: usize = 5;

/// The attribute ECS spreads services across by default.
pub const AVAILABILITY_ZONE: &str = "ecs.availability-zone";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SpreadField {
    /// `instanceId`, or `host`, which has the same effect.
    Instance,
    /// `attribute:NAME`.
    Attribute(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BinpackField {
    Cpu,
    Memory,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PlacementStrategy {
    Random,
    Spread(SpreadField),
    Binpack(BinpackField),
}

impl PlacementStrategy {
    pub fn spread_zone() -> PlacementStrategy {
        PlacementStrategy::Spread(SpreadField::Attribute(AVAILABILITY_ZONE.into()))
    }

    /// Services with no strategy: the replica scheduler favours the AZ with
    /// the fewest tasks of the service, then the instance with the fewest
    /// (in effect spread(AZ) then spread(instanceId); INFERENCE, A1).
    pub fn service_default() -> Vec<PlacementStrategy> {
        vec![
            PlacementStrategy::spread_zone(),
            PlacementStrategy::Spread(SpreadField::Instance),
        ]
    }

    /// RunTask with no strategy places randomly.
    pub fn run_task_default() -> Vec<PlacementStrategy> {
        vec![PlacementStrategy::Random]
    }

    /// From the API's `{type, field}`; the message says what is wrong.
    pub fn from_api(kind: &str, field: Option<&str>) -> Result<PlacementStrategy, String> {
        PlacementStrategy::of_api(kind, field).ok_or_else(|| match (kind, field) {
            ("spread", Some(field)) => {
                format!("spread takes the field instanceId, host or attribute:NAME, not `{field}`")
            }
            ("spread" | "binpack", None) => format!("{kind} needs a field"),
            ("binpack", Some(field)) => {
                format!("binpack takes the field cpu or memory, not `{field}`")
            }
            _ => format!("the strategy type must be random, spread or binpack, not `{kind}`"),
        })
    }

    /// [`PlacementStrategy::from_api`] without the message (the authoring
    /// page reads strategies request validation has already judged).
    pub fn of_api(kind: &str, field: Option<&str>) -> Option<PlacementStrategy> {
        match (kind, field) {
            // V-PL-011: random ignores any field.
            ("random", _) => Some(PlacementStrategy::Random),
            ("spread", Some("instanceId" | "host")) => {
                Some(PlacementStrategy::Spread(SpreadField::Instance))
            }
            ("spread", Some(field)) => field
                .strip_prefix("attribute:")
                .filter(|name| !name.is_empty())
                .map(|name| PlacementStrategy::Spread(SpreadField::Attribute(name.into()))),
            ("binpack", Some(f)) if f.eq_ignore_ascii_case("cpu") => {
                Some(PlacementStrategy::Binpack(BinpackField::Cpu))
            }
            ("binpack", Some(f)) if f.eq_ignore_ascii_case("memory") => {
                Some(PlacementStrategy::Binpack(BinpackField::Memory))
            }
            _ => None,
        }
    }

    /// The compact form used in traces and case files: `spread(instanceId)`.
    pub fn parse(text: &str) -> Result<PlacementStrategy, String> {
        let text = text.trim();
        if text == "random" || text == "random()" {
            return Ok(PlacementStrategy::Random);
        }
        let (kind, rest) = text
            .split_once('(')
            .ok_or_else(|| format!("write a strategy as type(field), not `{text}`"))?;
        let field = rest
            .strip_suffix(')')
            .ok_or_else(|| format!("`{text}` is missing its closing `)`"))?;
        PlacementStrategy::from_api(kind.trim(), Some(field.trim()).filter(|f| !f.is_empty()))
    }
}

impl fmt::Display for PlacementStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlacementStrategy::Random => write!(f, "random"),
            PlacementStrategy::Spread(SpreadField::Instance) => write!(f, "spread(instanceId)"),
            PlacementStrategy::Spread(SpreadField::Attribute(name)) => {
                write!(f, "spread(attribute:{name})")
            }
            PlacementStrategy::Binpack(BinpackField::Cpu) => write!(f, "binpack(cpu)"),
            PlacementStrategy::Binpack(BinpackField::Memory) => write!(f, "binpack(memory)"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PlacementConstraint {
    /// Each task of the group on a different instance. Not allowed in task
    /// definitions and takes no expression.
    DistinctInstance,
    MemberOf(String),
}

impl fmt::Display for PlacementConstraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlacementConstraint::DistinctInstance => write!(f, "distinctInstance"),
            PlacementConstraint::MemberOf(expression) => write!(f, "memberOf({expression})"),
        }
    }
}

pub fn chain_to_string(strategies: &[PlacementStrategy]) -> String {
    if strategies.is_empty() {
        return "none".into();
    }
    strategies
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A request's `placementConstraints` as the pipeline's constraints; entries
/// request validation rejects are skipped.
pub fn constraints_from_json(values: &[Value]) -> Vec<PlacementConstraint> {
    values
        .iter()
        .filter_map(|c| match c.get("type").and_then(Value::as_str) {
            Some("distinctInstance") => Some(PlacementConstraint::DistinctInstance),
            Some("memberOf") => c
                .get("expression")
                .and_then(Value::as_str)
                .map(|e| PlacementConstraint::MemberOf(e.to_string())),
            _ => None,
        })
        .collect()
}

/// A request's `placementStrategy` as the pipeline's strategies.
pub fn strategies_from_json(values: &[Value]) -> Vec<PlacementStrategy> {
    values
        .iter()
        .filter_map(|s| {
            let kind = s.get("type").and_then(Value::as_str)?;
            PlacementStrategy::of_api(kind, s.get("field").and_then(Value::as_str))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strategies_round_trip_through_their_compact_form() {
        for text in [
            "random",
            "spread(instanceId)",
            "spread(attribute:ecs.availability-zone)",
            "binpack(cpu)",
            "binpack(memory)",
        ] {
            assert_eq!(PlacementStrategy::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(
            PlacementStrategy::parse("spread(host)").unwrap(),
            PlacementStrategy::Spread(SpreadField::Instance)
        );
        assert_eq!(
            PlacementStrategy::from_api("random", Some("memory")),
            Ok(PlacementStrategy::Random)
        );
    }

    #[test]
    fn bad_strategies_say_what_is_accepted() {
        assert!(PlacementStrategy::parse("binpack(disk)")
            .unwrap_err()
            .contains("cpu or memory"));
        assert!(PlacementStrategy::parse("spread(zone)")
            .unwrap_err()
            .contains("attribute:NAME"));
        assert!(PlacementStrategy::parse("pack(cpu)")
            .unwrap_err()
            .contains("random, spread or binpack"));
        assert!(PlacementStrategy::parse("spread()")
            .unwrap_err()
            .contains("needs a field"));
    }
}
