//! Tags in requests: the shared tag rules, plus what ECS reserves for EBS volumes.

use super::Request;
use crate::check::tags::check_tags;
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

const RESERVED_EBS_KEYS: [&str; 2] = ["AmazonECSCreated", "AmazonECSManaged"];

pub const EBS_TAG_RESERVED_KEY: Rule = Rule {
    code: "ebs-tag-reserved-key",
    severity: Severity::Error,
    summary: "EBS volume tags cannot use the keys `AmazonECSCreated` or `AmazonECSManaged`.",
    covers: &["V-TAG-008"],
    exception: Some("InvalidParameterException"),
};

/// Checks the request's top-level `tags`, whatever the operation.
pub fn check_request_tags(req: &Request<'_>, sink: &mut Sink) {
    if let Some(list) = req.root.field("tags") {
        check_tags(&list, sink);
    }
}

/// Checks EBS `tagSpecifications[].tags`: the general rules plus the keys ECS reserves.
pub fn check_ebs_tags(list: &Located<'_>, sink: &mut Sink) {
    check_tags(list, sink);
    for (i, tag) in list.node.items().iter().enumerate() {
        let Some(member) = tag.member("key") else {
            continue;
        };
        if let Some(key) = member
            .value
            .as_str()
            .filter(|k| RESERVED_EBS_KEYS.contains(k))
        {
            sink.report(
                &EBS_TAG_RESERVED_KEY,
                list.path.index(i).key("key"),
                member.value.span,
                format!("the tag key {key} is reserved: ECS adds AmazonECSCreated and AmazonECSManaged to the volumes it creates"),
            );
        }
    }
}
