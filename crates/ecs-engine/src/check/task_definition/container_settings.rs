//! Per-container process settings: user, stop timeout and Docker security
//! options (V-CD-037, V-CD-039, V-CD-040, V-CD-044).

use super::{name_of, Context};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

/// The longest stopTimeout ECS accepts, in seconds (000:11837).
pub const MAX_STOP_TIMEOUT: i64 = 120;

pub const USER_FORMAT: Rule = Rule {
    code: "user-format",
    severity: Severity::Error,
    summary: "`user` is `user`, `user:group`, `uid`, `uid:gid`, `user:gid` or `uid:group`, with positive numeric ids.",
    covers: &["V-CD-039"],
    exception: Some("ClientException"),
};

pub const ROOT_IN_HOST_MODE: Rule = Rule {
    code: "root-in-host-mode",
    severity: Severity::Warning,
    summary: "In host network mode, a container running as root (the default) shares the instance's network stack with full privileges.",
    covers: &["V-CD-040"],
    exception: None,
};

pub const STOP_TIMEOUT_RANGE: Rule = Rule {
    code: "stop-timeout-range",
    severity: Severity::Error,
    summary: "`stopTimeout` is at most 120 seconds.",
    covers: &["V-CD-037"],
    exception: Some("ClientException"),
};

pub const DOCKER_SECURITY_OPTION_FORMAT: Rule = Rule {
    code: "docker-security-option-format",
    severity: Severity::Error,
    summary: "A Docker security option is `no-new-privileges`, `apparmor:PROFILE`, `label:value` or `credentialspec:PATH`.",
    covers: &["V-CD-044"],
    exception: Some("ClientException"),
};

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    for container in &context.containers {
        check_user(context, container, sink);
        check_stop_timeout(container, sink);
        for option in container.items("dockerSecurityOptions") {
            check_security_option(container, &option, sink);
        }
    }
}

fn is_user_part(part: &str) -> bool {
    !part.is_empty()
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
        && !part.starts_with('-')
}

fn check_user(context: &Context<'_>, container: &Located<'_>, sink: &mut Sink) {
    let name = name_of(container);
    let Some(field) = container.field("user") else {
        if context.network_mode() == Some("host") {
            let span = container
                .field("name")
                .map_or(container.span(), |n| n.span());
            sink.report(
                &ROOT_IN_HOST_MODE,
                container.path.key("user"),
                span,
                format!("container '{name}' runs as root (no user is set) in host network mode: when using the host network mode, don't run containers using the root user (UID 0). Set a non-root user"),
            );
        }
        return;
    };
    let Some(user) = field.node.as_str() else {
        return;
    };
    let (who, group) = match user.split_once(':') {
        Some((who, group)) => (who, Some(group)),
        None => (user, None),
    };
    if !is_user_part(who) || group.is_some_and(|g| !is_user_part(g)) {
        sink.report(
            &USER_FORMAT,
            field.path.clone(),
            field.span(),
            format!("container '{name}': user \"{user}\" is invalid: use user, user:group, uid, uid:gid, user:gid or uid:group"),
        );
        return;
    }
    if context.network_mode() == Some("host") && (who == "root" || who == "0") {
        sink.report(
            &ROOT_IN_HOST_MODE,
            field.path.clone(),
            field.span(),
            format!("container '{name}' runs as root (user \"{user}\") in host network mode: when using the host network mode, don't run containers using the root user (UID 0)"),
        );
    }
}

fn check_stop_timeout(container: &Located<'_>, sink: &mut Sink) {
    let Some(field) = container.field("stopTimeout") else {
        return;
    };
    let Some(seconds) = field.node.as_i64() else {
        return;
    };
    if (0..=MAX_STOP_TIMEOUT).contains(&seconds) {
        return;
    }
    let nearest = seconds.clamp(0, MAX_STOP_TIMEOUT);
    sink.report(
        &STOP_TIMEOUT_RANGE,
        field.path.clone(),
        field.span(),
        format!("container '{}': stopTimeout {seconds} is out of range: the maximum stop timeout value is 120 seconds", name_of(container)),
    )
    .with_fix(format!("Use {nearest}"), vec![(field.span(), nearest.to_string())]);
}

fn check_security_option(container: &Located<'_>, option: &Located<'_>, sink: &mut Sink) {
    let Some(text) = option.node.as_str() else {
        return;
    };
    let valid = text == "no-new-privileges"
        || ["apparmor:", "label:", "credentialspec:"]
            .iter()
            .any(|p| text.strip_prefix(p).is_some_and(|rest| !rest.is_empty()));
    if valid {
        return;
    }
    sink.report(
        &DOCKER_SECURITY_OPTION_FORMAT,
        option.path.clone(),
        option.span(),
        format!("container '{}': docker security option \"{text}\" is invalid: use no-new-privileges, apparmor:PROFILE, label:value or credentialspec:CredentialSpecFilePath", name_of(container)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_parts_are_names_or_ids() {
        assert!(is_user_part("www-data"));
        assert!(is_user_part("1000"));
        assert!(!is_user_part(""));
        assert!(!is_user_part("-x"));
        assert!(!is_user_part("a b"));
    }
}
