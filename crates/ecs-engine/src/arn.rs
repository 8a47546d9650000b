//! ARNs and short names: the one place that builds and resolves them.
//!
//! ECS accepts either a short name or a full ARN wherever it takes a
//! reference. Task definitions are `family`, `family:revision` or
//! `arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION`. Services,
//! tasks and container instances have two ARN formats: the old one without the
//! cluster (`service/NAME`) and the new one with it (`service/CLUSTER/NAME`).

use std::fmt;

/// The cluster a request uses when it names none.
pub const DEFAULT_CLUSTER: &str = "default";

/// The partition a region belongs to: `aws-cn` for `cn-*`, `aws-us-gov` for
/// `us-gov-*`, otherwise `aws`.
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// Any AWS ARN in the partition of `region`:
/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
pub fn arn_in_region(service: &str, region: &str, account: &str, resource: &str) -> String {
    arn_of_parts(service, region, account, &[resource])
}

/// An ECS ARN in the partition of `region`; `resource` is `TYPE/NAME`.
pub fn ecs_arn(region: &str, account: &str, resource: &str) -> String {
    arn_of_parts("ecs", region, account, &[resource])
}

/// An ECS ARN whose resource is `parts` joined by `/` (`["task", CLUSTER,
/// ID]` gives `task/CLUSTER/ID`). The same text as [`ecs_arn`] of the joined
/// resource, written in one allocation: the simulator names every task it
/// creates this way.
pub fn ecs_arn_of(region: &str, account: &str, parts: &[&str]) -> String {
    arn_of_parts("ecs", region, account, parts)
}

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:` then `resource` joined by `/`,
/// sized before it is written (no formatting machinery).
fn arn_of_parts(service: &str, region: &str, account: &str, resource: &[&str]) -> String {
    let partition = partition_of(region);
    let head = [partition, service, region, account];
    let len = "arn:".len()
        + head.iter().map(|p| p.len() + 1).sum::<usize>()
        + resource.iter().map(|p| p.len() + 1).sum::<usize>();
    let mut arn = String::with_capacity(len);
    arn.push_str("arn");
    for part in head {
        arn.push(':');
        arn.push_str(part);
    }
    arn.push(':');
    for (k, part) in resource.iter().enumerate() {
        if k > 0 {
            arn.push('/');
        }
        arn.push_str(part);
    }
    arn
}

/// An IAM ARN, `arn:PARTITION:iam::ACCOUNT:RESOURCE`: IAM is global, so its
/// ARNs name no region, but the partition is still the region's.
pub fn iam_arn(region: &str, account: &str, resource: &str) -> String {
    format!("arn:{}:iam::{account}:{resource}", partition_of(region))
}

/// The account's root principal, `arn:PARTITION:iam::ACCOUNT:root`.
pub fn account_root_arn(region: &str, account: &str) -> String {
    iam_arn(region, account, "root")
}

/// The last segment of an ARN's resource path (`NAME` in `…:cluster/NAME`,
/// the ID in `…:task/CLUSTER/ID`, `FAMILY:REVISION` in a task-definition
/// ARN), or the value itself when it is not an ARN. Lenient, for lookups
/// and display: the request rules check references with the parsers below.
pub fn short_name(value: &str) -> &str {
    if value.starts_with("arn:") {
        value.rsplit('/').next().unwrap_or(value)
    } else {
        value
    }
}

/// The family and, when written, the revision text of `family`,
/// `family:revision` or a task-definition ARN. Lenient like [`short_name`].
pub fn task_definition_parts(reference: &str) -> (&str, Option<&str>) {
    let tail = short_name(reference);
    match tail.rsplit_once(':') {
        Some((family, revision)) => (family, Some(revision)),
        None => (tail, None),
    }
}

/// The family of `family`, `family:revision` or a task-definition ARN.
pub fn task_definition_family(reference: &str) -> &str {
    task_definition_parts(reference).0
}

/// The revision of `family:revision` or a task-definition ARN, when it is a number.
pub fn task_definition_revision(reference: &str) -> Option<u32> {
    task_definition_parts(reference).1?.parse().ok()
}

/// Where resources live: partition, region and account. Builds their ARNs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountScope {
    pub partition: String,
    pub region: String,
    pub account: String,
}

impl AccountScope {
    /// A scope in the partition the region belongs to.
    pub fn new(region: &str, account: &str) -> AccountScope {
        let partition = partition_of(region);
        AccountScope {
            partition: partition.to_string(),
            region: region.to_string(),
            account: account.to_string(),
        }
    }

    fn arn(&self, resource: &str) -> String {
        format!(
            "arn:{}:ecs:{}:{}:{resource}",
            self.partition, self.region, self.account
        )
    }

    pub fn cluster_arn(&self, cluster: &str) -> String {
        self.arn(&format!("cluster/{cluster}"))
    }

    pub fn task_definition_arn(&self, family: &str, revision: u32) -> String {
        self.arn(&format!("task-definition/{family}:{revision}"))
    }

    /// A service ARN in the new (cluster-qualified) format.
    pub fn service_arn(&self, cluster: &str, service: &str) -> String {
        self.arn(&format!("service/{cluster}/{service}"))
    }

    /// A task ARN in the new (cluster-qualified) format.
    pub fn task_arn(&self, cluster: &str, task_id: &str) -> String {
        self.arn(&format!("task/{cluster}/{task_id}"))
    }

    /// A container instance ARN in the new (cluster-qualified) format.
    pub fn container_instance_arn(&self, cluster: &str, id: &str) -> String {
        self.arn(&format!("container-instance/{cluster}/{id}"))
    }

    pub fn capacity_provider_arn(&self, name: &str) -> String {
        self.arn(&format!("capacity-provider/{name}"))
    }

    pub fn service_revision_arn(&self, cluster: &str, service: &str, id: &str) -> String {
        self.arn(&format!("service-revision/{cluster}/{service}/{id}"))
    }
}

/// A parsed ECS ARN: `arn:PARTITION:ecs:REGION:ACCOUNT:TYPE/RESOURCE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcsArn {
    pub partition: String,
    pub region: String,
    pub account: String,
    /// Such as `task-definition`, `cluster` or `service`.
    pub resource_type: String,
    /// Everything after the first `/`.
    pub resource: String,
}

impl EcsArn {
    pub fn scope(&self) -> AccountScope {
        AccountScope {
            partition: self.partition.clone(),
            region: self.region.clone(),
            account: self.account.clone(),
        }
    }
}

/// Why a reference could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferenceError {
    /// Starts with `arn:` but is not a well-formed ECS ARN.
    MalformedArn { input: String, reason: &'static str },
    /// A well-formed ARN of another resource type.
    WrongResourceType {
        input: String,
        expected: &'static str,
        found: String,
    },
    /// A short name with characters ECS does not allow, or empty.
    InvalidName { input: String, what: &'static str },
    /// A task definition revision that is not a positive integer.
    InvalidRevision { input: String },
}

impl fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReferenceError::MalformedArn { input, reason } => {
                write!(f, "\"{input}\" is not a valid ECS ARN: {reason}")
            }
            ReferenceError::WrongResourceType {
                input,
                expected,
                found,
            } => write!(
                f,
                "\"{input}\" is a {found} ARN, but a {expected} ARN or name is expected"
            ),
            ReferenceError::InvalidName { input, what } => write!(
                f,
                "\"{input}\" is not a valid {what} name: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed"
            ),
            ReferenceError::InvalidRevision { input } => write!(
                f,
                "\"{input}\" has an invalid revision: a revision is a positive integer"
            ),
        }
    }
}

/// Parses any ECS ARN.
pub fn parse_arn(input: &str) -> Result<EcsArn, ReferenceError> {
    let malformed = |reason| ReferenceError::MalformedArn {
        input: input.to_string(),
        reason,
    };
    let mut parts = input.splitn(6, ':');
    let (Some("arn"), Some(partition), Some(service), Some(region), Some(account), Some(rest)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(malformed(
            "expected arn:PARTITION:ecs:REGION:ACCOUNT:TYPE/NAME",
        ));
    };
    if !partition.starts_with("aws") {
        return Err(malformed("the partition must be aws, aws-cn or aws-us-gov"));
    }
    if service != "ecs" {
        return Err(malformed("the service must be ecs"));
    }
    if region.is_empty() {
        return Err(malformed("the region is empty"));
    }
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed("the account must be 12 digits"));
    }
    let Some((resource_type, resource)) = rest.split_once('/') else {
        return Err(malformed("expected TYPE/NAME after the account"));
    };
    if resource_type.is_empty() || resource.is_empty() {
        return Err(malformed("expected TYPE/NAME after the account"));
    }
    Ok(EcsArn {
        partition: partition.to_string(),
        region: region.to_string(),
        account: account.to_string(),
        resource_type: resource_type.to_string(),
        resource: resource.to_string(),
    })
}

/// Parses an ARN that must be of `expected` type.
fn parse_typed_arn(input: &str, expected: &'static str) -> Result<EcsArn, ReferenceError> {
    let arn = parse_arn(input)?;
    if arn.resource_type != expected {
        return Err(ReferenceError::WrongResourceType {
            input: input.to_string(),
            expected,
            found: arn.resource_type,
        });
    }
    Ok(arn)
}

/// Whether `name` is a valid family, cluster or service name.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn checked_name(input: &str, name: &str, what: &'static str) -> Result<String, ReferenceError> {
    if is_valid_name(name) {
        Ok(name.to_string())
    } else {
        Err(ReferenceError::InvalidName {
            input: input.to_string(),
            what,
        })
    }
}

/// A reference to a task definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskDefinitionRef {
    pub family: String,
    /// `None` means the latest ACTIVE revision.
    pub revision: Option<u32>,
    /// Set when the reference was a full ARN.
    pub scope: Option<AccountScope>,
}

/// Resolves `family`, `family:revision` or a task-definition ARN.
pub fn parse_task_definition(input: &str) -> Result<TaskDefinitionRef, ReferenceError> {
    let (body, scope) = if input.starts_with("arn:") {
        let arn = parse_typed_arn(input, "task-definition")?;
        let scope = arn.scope();
        (arn.resource, Some(scope))
    } else {
        (input.to_string(), None)
    };
    let (family, revision) = match body.split_once(':') {
        Some((family, revision)) => {
            let number = revision
                .parse::<u32>()
                .ok()
                .filter(|&n| n > 0 && revision.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| ReferenceError::InvalidRevision {
                    input: input.to_string(),
                })?;
            (family, Some(number))
        }
        None if scope.is_some() => {
            return Err(ReferenceError::MalformedArn {
                input: input.to_string(),
                reason: "a task definition ARN ends in FAMILY:REVISION",
            })
        }
        None => (body.as_str(), None),
    };
    Ok(TaskDefinitionRef {
        family: checked_name(input, family, "task definition family")?,
        revision,
        scope,
    })
}

/// Resolves a cluster short name or ARN to its name; absent or empty means `default`.
pub fn cluster_name(input: Option<&str>) -> Result<String, ReferenceError> {
    let input = match input {
        None | Some("") => return Ok(DEFAULT_CLUSTER.to_string()),
        Some(input) => input,
    };
    if input.starts_with("arn:") {
        let arn = parse_typed_arn(input, "cluster")?;
        return checked_name(input, &arn.resource, "cluster");
    }
    checked_name(input, input, "cluster")
}

/// A reference to a resource that belongs to a cluster: a service, a task or
/// a container instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterScopedRef {
    /// The cluster named in a new-format ARN; `None` for short names and
    /// old-format ARNs, which leave the cluster to the request.
    pub cluster: Option<String>,
    /// The service name, or the task or container instance ID.
    pub id: String,
    pub scope: Option<AccountScope>,
}

fn parse_cluster_scoped(
    input: &str,
    resource_type: &'static str,
    what: &'static str,
) -> Result<ClusterScopedRef, ReferenceError> {
    if !input.starts_with("arn:") {
        let id = if resource_type == "service" {
            checked_name(input, input, what)?
        } else {
            checked_id(input, input, what)?
        };
        return Ok(ClusterScopedRef {
            cluster: None,
            id,
            scope: None,
        });
    }
    let arn = parse_typed_arn(input, resource_type)?;
    let (cluster, id) = match arn.resource.split_once('/') {
        Some((cluster, id)) => (Some(checked_name(input, cluster, "cluster")?), id),
        None => (None, arn.resource.as_str()),
    };
    let id = if resource_type == "service" {
        checked_name(input, id, what)?
    } else {
        checked_id(input, id, what)?
    };
    Ok(ClusterScopedRef {
        cluster,
        id,
        scope: Some(arn.scope()),
    })
}

/// Task and container instance IDs: hex digits and hyphens (32 hex digits, or
/// a UUID in the old format).
fn checked_id(input: &str, id: &str, what: &'static str) -> Result<String, ReferenceError> {
    if !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
        Ok(id.to_string())
    } else {
        Err(ReferenceError::InvalidName {
            input: input.to_string(),
            what,
        })
    }
}

/// Resolves a service name or ARN (old or new format).
pub fn parse_service(input: &str) -> Result<ClusterScopedRef, ReferenceError> {
    parse_cluster_scoped(input, "service", "service")
}

/// Resolves a task ID or ARN (old or new format).
pub fn parse_task(input: &str) -> Result<ClusterScopedRef, ReferenceError> {
    parse_cluster_scoped(input, "task", "task ID")
}

/// Resolves a container instance ID or ARN (old or new format).
pub fn parse_container_instance(input: &str) -> Result<ClusterScopedRef, ReferenceError> {
    parse_cluster_scoped(input, "container-instance", "container instance ID")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCOUNT: &str = "123456789012";

    fn scope(region: &str) -> Option<AccountScope> {
        Some(AccountScope::new(region, ACCOUNT))
    }

    #[test]
    fn lenient_readers_take_the_name_out_of_any_reference() {
        let cases: &[(&str, &str, &str, Option<u32>)] = &[
            // reference, short name, family, revision
            ("web", "web", "web", None),
            ("web:7", "web:7", "web", Some(7)),
            (
                "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7",
                "web:7",
                "web",
                Some(7),
            ),
            (
                "arn:aws-cn:ecs:cn-north-1:1:task-definition/api:12",
                "api:12",
                "api",
                Some(12),
            ),
            ("arn:aws:ecs:us-east-1:1:cluster/shop", "shop", "shop", None),
            (
                "arn:aws:ecs:us-east-1:1:task/shop/abc123",
                "abc123",
                "abc123",
                None,
            ),
            ("web:latest", "web:latest", "web", None),
            ("", "", "", None),
        ];
        for (reference, short, family, revision) in cases {
            assert_eq!(short_name(reference), *short, "{reference}");
            assert_eq!(task_definition_family(reference), *family, "{reference}");
            assert_eq!(
                task_definition_revision(reference),
                *revision,
                "{reference}"
            );
        }
        // Only ARNs are cut at `/`: a short name is returned as written.
        assert_eq!(short_name("a/b"), "a/b");
    }

    #[test]
    fn arns_are_written_in_the_regions_partition() {
        let cases = [
            ("us-east-1", "aws"),
            ("cn-north-1", "aws-cn"),
            ("us-gov-west-1", "aws-us-gov"),
        ];
        for (region, partition) in cases {
            assert_eq!(
                ecs_arn(region, ACCOUNT, "cluster/shop"),
                format!("arn:{partition}:ecs:{region}:{ACCOUNT}:cluster/shop")
            );
            assert_eq!(
                ecs_arn(region, ACCOUNT, "cluster/shop"),
                AccountScope::new(region, ACCOUNT).cluster_arn("shop")
            );
            assert_eq!(
                arn_in_region("servicediscovery", region, ACCOUNT, "namespace/ns-1"),
                format!("arn:{partition}:servicediscovery:{region}:{ACCOUNT}:namespace/ns-1")
            );
            assert_eq!(
                account_root_arn(region, ACCOUNT),
                format!("arn:{partition}:iam::{ACCOUNT}:root")
            );
            assert_eq!(
                iam_arn(region, ACCOUNT, "user/dev"),
                format!("arn:{partition}:iam::{ACCOUNT}:user/dev")
            );
            // The parts form writes the same text as the joined resource.
            for parts in [&["task", "shop", "0a1b"][..], &["task", "0a1b"], &[""]] {
                assert_eq!(
                    ecs_arn_of(region, ACCOUNT, parts),
                    format!("arn:{partition}:ecs:{region}:{ACCOUNT}:{}", parts.join("/"))
                );
            }
            let parsed = parse_arn(&ecs_arn(region, ACCOUNT, "service/shop/web")).unwrap();
            assert_eq!(parsed.partition, partition);
            assert_eq!(parsed.resource, "shop/web");
        }
    }

    #[test]
    fn task_definition_references() {
        let ok = |family: &str, revision: Option<u32>, region: Option<&str>| {
            Ok(TaskDefinitionRef {
                family: family.to_string(),
                revision,
                scope: region.and_then(scope),
            })
        };
        let cases: &[(&str, Result<TaskDefinitionRef, &str>)] = &[
            ("web", ok("web", None, None)),
            ("web:3", ok("web", Some(3), None)),
            ("my_app-2:17", ok("my_app-2", Some(17), None)),
            (
                "arn:aws:ecs:us-east-1:123456789012:task-definition/web:12",
                ok("web", Some(12), Some("us-east-1")),
            ),
            (
                "arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/web:1",
                ok("web", Some(1), Some("cn-north-1")),
            ),
            ("web:0", Err("invalid revision")),
            ("web:-1", Err("invalid revision")),
            ("web:+1", Err("invalid revision")),
            ("web:latest", Err("invalid revision")),
            ("web:", Err("invalid revision")),
            ("", Err("not a valid task definition family")),
            ("my app", Err("not a valid task definition family")),
            (
                "arn:aws:ecs:us-east-1:123456789012:task-definition/web",
                Err("ends in FAMILY:REVISION"),
            ),
            (
                "arn:aws:ecs:us-east-1:123456789012:cluster/web",
                Err("is a cluster ARN"),
            ),
            (
                "arn:aws:ecr:us-east-1:123456789012:task-definition/web:1",
                Err("the service must be ecs"),
            ),
            (
                "arn:aws:ecs:us-east-1:1234:task-definition/web:1",
                Err("12 digits"),
            ),
            ("arn:aws:ecs", Err("expected arn:PARTITION")),
        ];
        for (input, expected) in cases {
            let actual = parse_task_definition(input);
            match (expected, &actual) {
                (Ok(expected), Ok(actual)) => assert_eq!(actual, expected, "{input}"),
                (Err(fragment), Err(error)) => assert!(
                    error.to_string().contains(fragment),
                    "{input}: {error} should mention {fragment}"
                ),
                _ => panic!("{input}: expected {expected:?}, got {actual:?}"),
            }
        }
    }

    #[test]
    fn cluster_references_default_to_default() {
        let cases: &[(Option<&str>, Result<&str, &str>)] = &[
            (None, Ok("default")),
            (Some(""), Ok("default")),
            (Some("prod"), Ok("prod")),
            (
                Some("arn:aws:ecs:eu-west-1:123456789012:cluster/prod-2"),
                Ok("prod-2"),
            ),
            (
                Some("arn:aws:ecs:eu-west-1:123456789012:service/prod/web"),
                Err("is a service ARN"),
            ),
            (Some("prod/west"), Err("not a valid cluster name")),
            (
                Some("arn:aws:ecs:eu-west-1:123456789012:cluster/"),
                Err("TYPE/NAME"),
            ),
        ];
        for (input, expected) in cases {
            let actual = cluster_name(*input);
            match (expected, &actual) {
                (Ok(name), Ok(actual)) => assert_eq!(actual, name, "{input:?}"),
                (Err(fragment), Err(error)) => assert!(
                    error.to_string().contains(fragment),
                    "{input:?}: {error} should mention {fragment}"
                ),
                _ => panic!("{input:?}: expected {expected:?}, got {actual:?}"),
            }
        }
    }

    #[test]
    fn cluster_scoped_references_in_both_arn_formats() {
        type Parser = fn(&str) -> Result<ClusterScopedRef, ReferenceError>;
        /// The cluster and ID expected, or a fragment of the expected error.
        type Expected = Result<(Option<&'static str>, &'static str), &'static str>;
        let cases: &[(Parser, &str, Expected)] = &[
            (parse_service, "web", Ok((None, "web"))),
            (
                parse_service,
                "arn:aws:ecs:us-east-1:123456789012:service/web",
                Ok((None, "web")),
            ),
            (
                parse_service,
                "arn:aws:ecs:us-east-1:123456789012:service/prod/web",
                Ok((Some("prod"), "web")),
            ),
            (
                parse_service,
                "arn:aws:ecs:us-east-1:123456789012:task/prod/0123abcd",
                Err("is a task ARN"),
            ),
            (parse_service, "web/api", Err("not a valid service name")),
            (
                parse_task,
                "0123456789abcdef0123456789abcdef",
                Ok((None, "0123456789abcdef0123456789abcdef")),
            ),
            (
                parse_task,
                "arn:aws:ecs:us-east-1:123456789012:task/1dc5c17a-422b-4dc4-b493-371970c6c4d6",
                Ok((None, "1dc5c17a-422b-4dc4-b493-371970c6c4d6")),
            ),
            (
                parse_task,
                "arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef",
                Ok((Some("prod"), "0123456789abcdef0123456789abcdef")),
            ),
            (parse_task, "not-a-task-id!", Err("not a valid task ID")),
            (
                parse_container_instance,
                "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/8f1b2a3c4d5e6f708192a3b4c5d6e7f8",
                Ok((Some("prod"), "8f1b2a3c4d5e6f708192a3b4c5d6e7f8")),
            ),
            (
                parse_container_instance,
                "arn:aws:ecs:us-east-1:123456789012:container-instance/0d3c1a2b-1111-2222-3333-444455556666",
                Ok((None, "0d3c1a2b-1111-2222-3333-444455556666")),
            ),
        ];
        for (parse, input, expected) in cases {
            let actual = parse(input);
            match (expected, &actual) {
                (Ok((cluster, id)), Ok(actual)) => {
                    assert_eq!(actual.cluster.as_deref(), *cluster, "{input}");
                    assert_eq!(actual.id, *id, "{input}");
                    assert_eq!(actual.scope.is_some(), input.starts_with("arn:"), "{input}");
                }
                (Err(fragment), Err(error)) => assert!(
                    error.to_string().contains(fragment),
                    "{input}: {error} should mention {fragment}"
                ),
                _ => panic!("{input}: expected {expected:?}, got {actual:?}"),
            }
        }
    }

    #[test]
    fn built_arns_parse_back_to_what_built_them() {
        let scope = AccountScope::new("us-east-1", ACCOUNT);
        assert_eq!(
            scope.task_definition_arn("web", 4),
            "arn:aws:ecs:us-east-1:123456789012:task-definition/web:4"
        );
        let td = parse_task_definition(&scope.task_definition_arn("web", 4)).unwrap();
        assert_eq!((td.family.as_str(), td.revision), ("web", Some(4)));
        assert_eq!(td.scope.as_ref(), Some(&scope));

        assert_eq!(
            cluster_name(Some(&scope.cluster_arn("prod"))).unwrap(),
            "prod"
        );
        let service = parse_service(&scope.service_arn("prod", "api")).unwrap();
        assert_eq!(
            (service.cluster.as_deref(), service.id.as_str()),
            (Some("prod"), "api")
        );
        let task = parse_task(&scope.task_arn("prod", "abc123")).unwrap();
        assert_eq!(
            (task.cluster.as_deref(), task.id.as_str()),
            (Some("prod"), "abc123")
        );
        let instance =
            parse_container_instance(&scope.container_instance_arn("prod", "ff00")).unwrap();
        assert_eq!(instance.id, "ff00");

        let arn = parse_arn(&scope.capacity_provider_arn("FARGATE_SPOT")).unwrap();
        assert_eq!(
            (arn.resource_type.as_str(), arn.resource.as_str()),
            ("capacity-provider", "FARGATE_SPOT")
        );
        let arn = parse_arn(&scope.service_revision_arn("prod", "api", "42")).unwrap();
        assert_eq!(arn.resource, "prod/api/42");
    }

    #[test]
    fn partitions_follow_the_region() {
        let cases = [
            ("us-east-1", "aws"),
            ("eu-central-1", "aws"),
            ("cn-northwest-1", "aws-cn"),
            ("us-gov-west-1", "aws-us-gov"),
        ];
        for (region, partition) in cases {
            let scope = AccountScope::new(region, ACCOUNT);
            assert_eq!(scope.partition, partition, "{region}");
            assert!(scope
                .cluster_arn("c")
                .starts_with(&format!("arn:{partition}:ecs:{region}:")));
        }
    }
}
