//! References between parts of a task definition: containers named by
//! dependsOn, volumesFrom, links and the proxy configuration, and volumes
//! named by mount points (V-CD-008, V-CD-020, V-CD-021, V-CD-032, V-TD-024).

use super::{is_simple_name, json_string, name_of, Context};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

pub const UNKNOWN_CONTAINER_REFERENCE: Rule = Rule {
    code: "unknown-container-reference",
    severity: Severity::Error,
    summary: "dependsOn, volumesFrom, links and proxyConfiguration name another container of the same task definition.",
    covers: &["V-CD-021", "V-CD-032", "V-TD-024"],
    exception: Some("ClientException"),
};

pub const UNKNOWN_VOLUME_REFERENCE: Rule = Rule {
    code: "unknown-volume-reference",
    severity: Severity::Error,
    summary: "A mount point's `sourceVolume` names a volume of the task definition.",
    covers: &["V-CD-020"],
    exception: Some("ClientException"),
};

pub const LINK_FORMAT: Rule = Rule {
    code: "link-format",
    severity: Severity::Error,
    summary: "A link is `name` or `name:alias`, each part up to 255 letters, digits, hyphens and underscores.",
    covers: &["V-CD-008"],
    exception: Some("ClientException"),
};

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    let names: Vec<&str> = context
        .containers
        .iter()
        .filter_map(|c| c.str_field("name"))
        .collect();
    for container in &context.containers {
        let own = name_of(container);
        for dependency in container.items("dependsOn") {
            if let Some(target) = dependency.field("containerName") {
                check_container(&target, own, "dependsOn", &names, sink);
            }
        }
        for source in container.items("volumesFrom") {
            if let Some(target) = source.field("sourceContainer") {
                check_container(&target, own, "volumesFrom", &names, sink);
            }
        }
        for link in container.items("links") {
            check_link(&link, own, &names, sink);
        }
        if context.task_def.is_some() {
            check_mount_points(context, container, sink);
        }
    }
    if let Some(target) = context
        .task_field("proxyConfiguration")
        .and_then(|p| p.field("containerName"))
    {
        check_container(&target, "", "proxyConfiguration", &names, sink);
    }
}

fn check_container(target: &Located<'_>, own: &str, via: &str, names: &[&str], sink: &mut Sink) {
    let Some(name) = target.node.as_str() else {
        return;
    };
    if name == own {
        sink.report(
            &UNKNOWN_CONTAINER_REFERENCE,
            target.path.clone(),
            target.span(),
            format!("container '{own}' names itself in {via}: {via} must name another container in the same task definition"),
        );
        return;
    }
    if names.contains(&name) {
        return;
    }
    report_unknown(
        &UNKNOWN_CONTAINER_REFERENCE,
        target,
        &format!("{via} names container \"{name}\", which is not in this task definition"),
        name,
        names,
        sink,
    );
}

fn report_unknown(
    rule: &Rule,
    target: &Located<'_>,
    message: &str,
    name: &str,
    known: &[&str],
    sink: &mut Sink,
) {
    let candidates = known.iter().filter(|k| **k != name);
    let suggestion = candidates
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(distance, k)| *distance <= k.len().max(name.len()) / 2 + 1)
        .min();
    let listing = if known.is_empty() {
        "none".to_string()
    } else {
        known.join(", ")
    };
    let finding = sink.report(
        rule,
        target.path.clone(),
        target.span(),
        format!("{message} (defined: {listing})"),
    );
    if let Some((_, suggestion)) = suggestion {
        finding.with_fix(
            format!("Use \"{suggestion}\""),
            vec![(target.span(), json_string(suggestion))],
        );
    }
}

fn check_link(link: &Located<'_>, own: &str, names: &[&str], sink: &mut Sink) {
    let Some(text) = link.node.as_str() else {
        return;
    };
    let (name, alias) = match text.split_once(':') {
        Some((name, alias)) => (name, Some(alias)),
        None => (text, None),
    };
    if !is_simple_name(name) || alias.is_some_and(|a| !is_simple_name(a)) {
        sink.report(
            &LINK_FORMAT,
            link.path.clone(),
            link.span(),
            format!("container '{own}': link \"{text}\" is invalid: write name:internalName, each up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens"),
        );
        return;
    }
    if name == own {
        sink.report(
            &UNKNOWN_CONTAINER_REFERENCE,
            link.path.clone(),
            link.span(),
            format!("container '{own}' links to itself: links must name another container in the same task definition"),
        );
    } else if !names.contains(&name) {
        sink.report(
            &UNKNOWN_CONTAINER_REFERENCE,
            link.path.clone(),
            link.span(),
            format!("container '{own}': link \"{text}\" names container \"{name}\", which is not in this task definition (defined: {})", names.join(", ")),
        );
    }
}

fn check_mount_points(context: &Context<'_>, container: &Located<'_>, sink: &mut Sink) {
    let volumes: Vec<&str> = context
        .task_items("volumes")
        .iter()
        .filter_map(|v| v.str_field("name"))
        .collect();
    for mount in container.items("mountPoints") {
        let Some(source) = mount.field("sourceVolume") else {
            continue;
        };
        let Some(name) = source.node.as_str() else {
            continue;
        };
        if volumes.contains(&name) {
            continue;
        }
        report_unknown(
            &UNKNOWN_VOLUME_REFERENCE,
            &source,
            &format!("container '{}': mount point sourceVolume \"{name}\" is not a volume of this task definition", name_of(container)),
            name,
            &volumes,
            sink,
        );
    }
}

/// Levenshtein distance, for "did you mean" fixes. Names are at most a few
/// hundred characters, so the quadratic cost is small.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b_chars: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b_chars.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b_chars.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            let deletion = previous[j + 1] + 1;
            let insertion = current[j] + 1;
            current.push(substitution.min(deletion).min(insertion));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("web", "web"), 0);
        assert_eq!(edit_distance("wbe", "web"), 2);
        assert_eq!(edit_distance("app", "apps"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
