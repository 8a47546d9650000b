//! What the ECS console calls things, for the form views: placement templates
//! and the cluster document the cluster form edits.
//!
//! The forms edit JSON text; this module says which JSON a console choice
//! stands for and which choice a piece of JSON is, so the UI never decides.

use serde_json::{json, Value};

use crate::json::Node;
use crate::place::catalogue::{instance_types, InstanceType};

/// The console's placement templates for services and tasks on EC2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlacementTemplate {
    /// No strategy and no constraint: ECS spreads service tasks across AZs.
    None,
    AzBalancedSpread,
    AzBalancedBinpack,
    Binpack,
    OneTaskPerHost,
    /// Anything else: what the JSON says is kept as it is.
    Custom,
}

impl PlacementTemplate {
    pub const ALL: [PlacementTemplate; 6] = [
        PlacementTemplate::None,
        PlacementTemplate::AzBalancedSpread,
        PlacementTemplate::AzBalancedBinpack,
        PlacementTemplate::Binpack,
        PlacementTemplate::OneTaskPerHost,
        PlacementTemplate::Custom,
    ];

    /// The console's name.
    pub fn label(self) -> &'static str {
        match self {
            PlacementTemplate::None => "None",
            PlacementTemplate::AzBalancedSpread => "AZ balanced spread",
            PlacementTemplate::AzBalancedBinpack => "AZ balanced binpack",
            PlacementTemplate::Binpack => "BinPack",
            PlacementTemplate::OneTaskPerHost => "One task per host",
            PlacementTemplate::Custom => "Custom",
        }
    }

    /// A stable identifier for form controls and tests.
    pub fn id(self) -> &'static str {
        match self {
            PlacementTemplate::None => "none",
            PlacementTemplate::AzBalancedSpread => "az-balanced-spread",
            PlacementTemplate::AzBalancedBinpack => "az-balanced-binpack",
            PlacementTemplate::Binpack => "binpack",
            PlacementTemplate::OneTaskPerHost => "one-task-per-host",
            PlacementTemplate::Custom => "custom",
        }
    }

    pub fn from_id(id: &str) -> Option<PlacementTemplate> {
        PlacementTemplate::ALL.into_iter().find(|t| t.id() == id)
    }

    /// What the template does, in a sentence.
    pub fn explanation(self) -> &'static str {
        match self {
            PlacementTemplate::None => "No placement strategy or constraint.",
            PlacementTemplate::AzBalancedSpread => {
                "Spread tasks across Availability Zones, then across instances in each zone."
            }
            PlacementTemplate::AzBalancedBinpack => {
                "Spread tasks across Availability Zones, then pack each zone's instances by memory."
            }
            PlacementTemplate::Binpack => {
                "Pack tasks onto the fewest instances, by the memory left on each."
            }
            PlacementTemplate::OneTaskPerHost => "Place each task on a different instance.",
            PlacementTemplate::Custom => {
                "The strategy and constraints in the JSON, kept as written."
            }
        }
    }

    /// The `placementStrategy` and `placementConstraints` the template writes
    /// (`None` means the member is removed); `Custom` writes nothing.
    pub fn json(self) -> Option<(Option<Value>, Option<Value>)> {
        let az = json!({"type": "spread", "field": "attribute:ecs.availability-zone"});
        match self {
            PlacementTemplate::None => Some((None, None)),
            PlacementTemplate::AzBalancedSpread => Some((
                Some(json!([az, {"type": "spread", "field": "instanceId"}])),
                None,
            )),
            PlacementTemplate::AzBalancedBinpack => Some((
                Some(json!([az, {"type": "binpack", "field": "memory"}])),
                None,
            )),
            PlacementTemplate::Binpack => {
                Some((Some(json!([{"type": "binpack", "field": "memory"}])), None))
            }
            PlacementTemplate::OneTaskPerHost => {
                Some((None, Some(json!([{"type": "distinctInstance"}]))))
            }
            PlacementTemplate::Custom => None,
        }
    }

    /// Which template a request's strategy and constraints are. Field names
    /// compare without case, as ECS accepts them; BinPack by cpu counts too.
    pub fn recognise(request: &Node) -> PlacementTemplate {
        let strategy = steps(request.get("placementStrategy"));
        let constraints = steps(request.get("placementConstraints"));
        let az = ("spread", "attribute:ecs.availability-zone");
        let pairs: Vec<(&str, &str)> = strategy
            .iter()
            .map(|(t, f)| (t.as_str(), f.as_str()))
            .collect();
        let constraint_types: Vec<&str> = constraints.iter().map(|(t, _)| t.as_str()).collect();
        match (pairs.as_slice(), constraint_types.as_slice()) {
            ([], []) => PlacementTemplate::None,
            ([], ["distinctinstance"]) => PlacementTemplate::OneTaskPerHost,
            ([first, ("spread", "instanceid")], []) if *first == az => {
                PlacementTemplate::AzBalancedSpread
            }
            ([first, ("binpack", "memory")], []) if *first == az => {
                PlacementTemplate::AzBalancedBinpack
            }
            ([("binpack", "memory" | "cpu")], []) => PlacementTemplate::Binpack,
            _ => PlacementTemplate::Custom,
        }
    }
}

/// (type, field) of each strategy step or constraint, lower-cased. A value
/// that is not a list of objects makes the whole thing custom.
fn steps(node: Option<&Node>) -> Vec<(String, String)> {
    let Some(node) = node.filter(|n| !n.is_null()) else {
        return Vec::new();
    };
    if !node.is_array() {
        return vec![("?".into(), "?".into())];
    }
    node.items()
        .iter()
        .map(|item| {
            let text = |key| {
                item.get(key)
                    .and_then(Node::as_str)
                    .unwrap_or_default()
                    .to_ascii_lowercase()
            };
            if item.members().iter().any(|m| m.key == "expression") {
                return ("expression".into(), text("expression"));
            }
            (text("type"), text("field"))
        })
        .collect()
}

/// Instance types grouped by family (`m5`, `c6g` …), families in catalogue order.
pub fn instance_type_families() -> Vec<(&'static str, Vec<&'static InstanceType>)> {
    let mut families: Vec<(&'static str, Vec<&'static InstanceType>)> = Vec::new();
    for instance in instance_types() {
        let family = instance.name.split('.').next().unwrap_or(&instance.name);
        match families.iter_mut().find(|(name, _)| *name == family) {
            Some((_, members)) => members.push(instance),
            None => families.push((family, vec![instance])),
        }
    }
    families
}

/// The cluster document the cluster form edits, in the workspace's shape
/// (`workspace::DocumentKind::Cluster`): a CreateCluster request plus the
/// playground's `instanceGroups`, each launched as EC2 instances:
///
/// ```json
/// {
///   "clusterName": "playground",
///   "capacityProviders": ["FARGATE", "FARGATE_SPOT", "web-asg"],
///   "defaultCapacityProviderStrategy": [{ "capacityProvider": "FARGATE", "weight": 1 }],
///   "instanceGroups": [
///     { "name": "web", "instanceType": "m5.large", "availabilityZones": ["us-east-1a"],
///       "count": 2, "attributes": { "stack": "prod" }, "capacityProvider": "web-asg" }
///   ]
/// }
/// ```
///
/// An instance group's `capacityProvider` names the Auto Scaling group
/// capacity provider its instances belong to.
pub const EXAMPLE_CLUSTER_DOCUMENT: &str = r#"{
  "clusterName": "playground",
  "capacityProviders": ["FARGATE", "FARGATE_SPOT", "web-asg"],
  "defaultCapacityProviderStrategy": [
    { "capacityProvider": "FARGATE", "base": 1, "weight": 1 }
  ],
  "instanceGroups": [
    {
      "name": "web",
      "instanceType": "m5.large",
      "availabilityZones": ["us-east-1a", "us-east-1b"],
      "count": 2,
      "attributes": { "stack": "prod" },
      "capacityProvider": "web-asg"
    },
    {
      "name": "arm",
      "instanceType": "c6g.xlarge",
      "availabilityZones": ["us-east-1c"],
      "count": 1
    }
  ]
}
"#;

/// The Auto Scaling group capacity providers a cluster document names: the
/// distinct `capacityProvider` of its instance groups, in order.
pub fn instance_group_providers(cluster: &Node) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for group in cluster
        .get("instanceGroups")
        .map(Node::items)
        .unwrap_or_default()
    {
        if let Some(name) = group.get("capacityProvider").and_then(Node::as_str) {
            if !name.is_empty() && !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// A CreateService request the service form opens with.
pub const EXAMPLE_SERVICE: &str = r#"{
  "cluster": "playground",
  "serviceName": "web",
  "taskDefinition": "web-app",
  "desiredCount": 3,
  "launchType": "EC2",
  "deploymentConfiguration": {
    "minimumHealthyPercent": 100,
    "maximumPercent": 200,
    "deploymentCircuitBreaker": { "enable": true, "rollback": true }
  },
  "placementStrategy": [
    { "type": "spread", "field": "attribute:ecs.availability-zone" },
    { "type": "spread", "field": "instanceId" }
  ]
}
"#;

/// How every view shows a container instance's id where there is no room
/// for it in full (the map, the task table, the timeline, the authoring
/// page's cluster): its first [`ShortIds::MIN_CHARS`] characters, lengthened
/// for the whole cluster until no two of its instances look alike. The ECS
/// console shows ids in full; views put the full id in a tooltip. A prefix
/// (not the tail) because ids are read and typed left to right, and it is
/// how the run page already shortens task and deployment ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortIds {
    chars: usize,
}

impl Default for ShortIds {
    fn default() -> ShortIds {
        ShortIds {
            chars: ShortIds::MIN_CHARS,
        }
    }
}

impl ShortIds {
    /// Eight hex digits: two of a cluster's random 32-digit container
    /// instance ids rarely share them, and when they do the cluster's form
    /// grows.
    pub const MIN_CHARS: usize = 8;

    /// The one length for every instance of a cluster: the shortest prefix,
    /// at least [`ShortIds::MIN_CHARS`], that tells its ids apart.
    pub fn for_cluster<'a>(ids: impl IntoIterator<Item = &'a str>) -> ShortIds {
        let mut ids: Vec<&str> = ids.into_iter().collect();
        crate::order::sort(&mut ids);
        let chars = ids
            .windows(2)
            .filter_map(|pair| match pair {
                [a, b] => Some(common_prefix(a, b) + 1),
                _ => None,
            })
            .fold(Self::MIN_CHARS, usize::max);
        ShortIds { chars }
    }

    /// [`ShortIds::for_cluster`] for the few instances a workspace shows,
    /// pair by pair: the same form without a sort, which keeps the sort's
    /// code out of the authoring page's first load.
    pub fn for_few(ids: &[&str]) -> ShortIds {
        ids.iter()
            .enumerate()
            .fold(ShortIds::default(), |form, (n, id)| {
                form.admit(id, ids.iter().take(n).copied())
            })
    }

    /// The form after `id` joins a cluster of `others` (one pass over them:
    /// the simulator keeps a cluster's form as instances register).
    pub fn admit<'a>(self, id: &str, others: impl IntoIterator<Item = &'a str>) -> ShortIds {
        let chars = others
            .into_iter()
            .filter(|other| *other != id)
            .map(|other| common_prefix(id, other) + 1)
            .fold(self.chars, usize::max);
        ShortIds { chars }
    }

    /// An id as every view shows it (the whole id when it is no longer).
    pub fn show<'a>(&self, id: &'a str) -> &'a str {
        id.get(..self.chars).unwrap_or(id)
    }
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    #[test]
    fn short_ids_are_prefixes_that_tell_a_cluster_apart() {
        let cases: [(&[&str], &[&str]); 5] = [
            (&[], &[]),
            (&["0123456789abcdef"], &["01234567"]),
            (&["i-0123"], &["i-0123"]),
            (
                &["0123456789abcdef", "01234567ffffffff", "fedcba9876543210"],
                &["012345678", "01234567f", "fedcba987"],
            ),
            (
                &[
                    "i-00001000000000001",
                    "i-00001000000000002",
                    "i-00002000000000001",
                ],
                &[
                    "i-00001000000000001",
                    "i-00001000000000002",
                    "i-00002000000000001",
                ],
            ),
        ];
        for (ids, shown) in cases {
            let form = ShortIds::for_cluster(ids.iter().copied());
            let got: Vec<&str> = ids.iter().map(|id| form.show(id)).collect();
            assert_eq!(got, shown, "{ids:?}");
            let admitted = ids
                .iter()
                .enumerate()
                .fold(ShortIds::default(), |form, (n, id)| {
                    form.admit(id, ids.iter().take(n).copied())
                });
            assert_eq!(admitted, form, "one id at a time: {ids:?}");
        }
    }

    use super::*;
    use crate::json::{edit, parse, JsonPath};

    #[test]
    fn each_template_recognises_what_it_writes() {
        for template in PlacementTemplate::ALL {
            let Some((strategy, constraints)) = template.json() else {
                assert_eq!(template, PlacementTemplate::Custom);
                continue;
            };
            let mut text =
                r#"{"serviceName": "s", "placementStrategy": [{"type": "random"}]}"#.to_string();
            for (key, value) in [
                ("placementStrategy", strategy),
                ("placementConstraints", constraints),
            ] {
                let path = JsonPath::root().key(key);
                text = match value {
                    Some(v) => edit::set(&text, &path, &v).expect("set").text,
                    None => edit::remove(&text, &path).map_or(text, |e| e.text),
                };
            }
            let node = parse(&text).expect("parses");
            assert_eq!(PlacementTemplate::recognise(&node), template, "{text}");
            assert_eq!(node.get("serviceName").and_then(Node::as_str), Some("s"));
        }
    }

    #[test]
    fn recognition_follows_the_console_names() {
        let cases = [
            (r#"{}"#, PlacementTemplate::None),
            (r#"{"placementStrategy": null}"#, PlacementTemplate::None),
            (
                r#"{"placementStrategy": [{"type": "binpack", "field": "CPU"}]}"#,
                PlacementTemplate::Binpack,
            ),
            (
                r#"{"placementStrategy": [{"type": "spread", "field": "instanceId"}]}"#,
                PlacementTemplate::Custom,
            ),
            (
                r#"{"placementConstraints": [{"type": "distinctInstance"}], "placementStrategy": []}"#,
                PlacementTemplate::OneTaskPerHost,
            ),
            (
                r#"{"placementConstraints": [{"type": "memberOf", "expression": "attribute:x == y"}]}"#,
                PlacementTemplate::Custom,
            ),
            (
                r#"{"placementStrategy": "binpack"}"#,
                PlacementTemplate::Custom,
            ),
        ];
        for (text, expected) in cases {
            let node = parse(text).expect("parses");
            assert_eq!(PlacementTemplate::recognise(&node), expected, "{text}");
        }
        let example = parse(EXAMPLE_SERVICE).expect("example parses");
        assert_eq!(
            PlacementTemplate::recognise(&example),
            PlacementTemplate::AzBalancedSpread
        );
    }

    #[test]
    fn template_ids_round_trip() {
        for template in PlacementTemplate::ALL {
            assert_eq!(PlacementTemplate::from_id(template.id()), Some(template));
        }
    }

    #[test]
    fn families_cover_the_catalogue_once() {
        let families = instance_type_families();
        let listed: usize = families.iter().map(|(_, types)| types.len()).sum();
        assert_eq!(listed, instance_types().len());
        for (family, types) in &families {
            assert!(types
                .iter()
                .all(|t| t.name.starts_with(&format!("{family}."))));
        }
        assert!(families.iter().any(|(f, _)| *f == "m5"));
    }

    #[test]
    fn the_example_cluster_names_only_catalogued_instance_types() {
        let root = parse(EXAMPLE_CLUSTER_DOCUMENT).expect("example parses");
        let groups = root
            .get("instanceGroups")
            .map(Node::items)
            .unwrap_or_default();
        assert_eq!(groups.len(), 2);
        assert_eq!(instance_group_providers(&root), ["web-asg"]);
        for group in groups {
            let name = group
                .get("instanceType")
                .and_then(Node::as_str)
                .unwrap_or_default();
            assert!(
                crate::place::catalogue::instance_type(name).is_some(),
                "{name}"
            );
        }
    }
}
