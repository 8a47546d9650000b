//! Container health checks (V-CD-049..053) and timing that cannot work.

use super::{name_of, Context};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;

/// Ranges in seconds (retries in attempts) and defaults (000:12103-12115,
/// unchanged in today's API reference).
const RANGES: &[(&str, i64, i64, i64)] = &[
    ("interval", 5, 300, 30),
    ("timeout", 2, 60, 5),
    ("retries", 1, 10, 3),
    ("startPeriod", 0, 300, 0),
];

/// Below this many seconds of failing checks without a grace period, a
/// container that takes a moment to boot is marked unhealthy and replaced.
pub const MIN_UNHEALTHY_WINDOW: i64 = 30;

/// AWS's API text says the command should start with CMD or CMD-SHELL, but
/// the service registers other forms (ecs-semantics E3: the ECS agent's own
/// test definitions start with `powershell`), so this warns, with a fix.
pub const HEALTH_CHECK_COMMAND: Rule = Rule {
    code: "health-check-command",
    severity: Severity::Warning,
    summary:
        "A health check `command` should start with `CMD` or `CMD-SHELL` and name something to run; AWS registers other forms, which Docker then runs as they are.",
    covers: &["V-CD-049"],
    exception: None,
};

pub const HEALTH_CHECK_RANGE: Rule = Rule {
    code: "health-check-range",
    severity: Severity::Error,
    summary: "Health check `interval` is 5–300 s, `timeout` 2–60 s, `retries` 1–10 and `startPeriod` 0–300 s.",
    covers: &["V-CD-050", "V-CD-051", "V-CD-052", "V-CD-053"],
    exception: Some("ClientException"),
};

pub const HEALTH_CHECK_TIMING: Rule = Rule {
    code: "health-check-timing",
    severity: Severity::Warning,
    summary: "A health check whose timeout is not shorter than its interval, or that gives a container under 30 seconds to become healthy with no `startPeriod`.",
    covers: &[],
    exception: None,
};

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    for container in &context.containers {
        let Some(health_check) = container.field("healthCheck") else {
            continue;
        };
        let name = name_of(container);
        check_command(&health_check, name, sink);
        let in_range = check_ranges(&health_check, name, sink);
        if in_range {
            check_timing(&health_check, name, sink);
        }
    }
}

fn check_command(health_check: &Located<'_>, name: &str, sink: &mut Sink) {
    let Some(command) = health_check.field("command") else {
        return; // A missing command is a shape error.
    };
    let items = command.node.items();
    let Some(first) = items.first() else {
        if command.node.is_array() {
            sink.report(
                &HEALTH_CHECK_COMMAND,
                command.path.clone(),
                command.span(),
                format!("container '{name}': the health check command is empty: write [\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"] or [\"CMD\", \"executable\", \"arg\"]"),
            );
        }
        return;
    };
    let Some(kind) = first.as_str() else {
        return;
    };
    let path = command.path.index(0);
    if kind != "CMD" && kind != "CMD-SHELL" {
        let finding = sink.report(
            &HEALTH_CHECK_COMMAND,
            path,
            first.span,
            format!("container '{name}': the health check command should start with CMD to run the arguments directly, or CMD-SHELL to run the command with the container's default shell; found \"{kind}\". AWS registers it, but the check may not run as meant"),
        );
        // A lone shell command was meant for CMD-SHELL; an argument list
        // for CMD.
        if items.len() == 1 {
            finding.with_fix(
                "Run it with CMD-SHELL",
                vec![(
                    first.span,
                    format!("\"CMD-SHELL\", {}", super::json_string(kind)),
                )],
            );
        } else {
            let at = crate::text::Span::new(first.span.start as usize, first.span.start as usize);
            finding.with_fix("Run it with CMD", vec![(at, "\"CMD\", ".to_string())]);
        }
    } else if items.len() < 2 {
        sink.report(
            &HEALTH_CHECK_COMMAND,
            path,
            first.span,
            format!("container '{name}': the health check command has {kind} but nothing to run"),
        );
    }
}

/// Reports values out of range; returns true when all are in range.
fn check_ranges(health_check: &Located<'_>, name: &str, sink: &mut Sink) -> bool {
    let mut in_range = true;
    for (key, min, max, default) in RANGES {
        let Some(field) = health_check.field(key) else {
            continue;
        };
        let Some(value) = field.node.as_i64() else {
            continue;
        };
        if (*min..=*max).contains(&value) {
            continue;
        }
        in_range = false;
        let nearest = value.clamp(*min, *max);
        sink.report(
            &HEALTH_CHECK_RANGE,
            field.path.clone(),
            field.span(),
            format!("container '{name}': healthCheck.{key} {value} is out of range: you may specify between {min} and {max} (the default is {default})"),
        )
        .with_fix(format!("Use {nearest}"), vec![(field.span(), nearest.to_string())]);
    }
    in_range
}

fn setting(health_check: &Located<'_>, key: &str) -> i64 {
    let default = RANGES
        .iter()
        .find(|(k, ..)| *k == key)
        .map_or(0, |(_, _, _, d)| *d);
    health_check.int_field(key).unwrap_or(default)
}

fn check_timing(health_check: &Located<'_>, name: &str, sink: &mut Sink) {
    let interval = setting(health_check, "interval");
    let timeout = setting(health_check, "timeout");
    let retries = setting(health_check, "retries");
    if timeout >= interval {
        let field = health_check
            .field("timeout")
            .or_else(|| health_check.field("interval"));
        let (path, span) = field.map_or(
            (health_check.path.clone(), super::key_span(health_check)),
            |f| (f.path.clone(), f.span()),
        );
        sink.report(
            &HEALTH_CHECK_TIMING,
            path,
            span,
            format!("container '{name}': the health check timeout ({timeout} s) is not shorter than its interval ({interval} s): a slow check is still running when the next one is due, so checks pile up and time out. Make the timeout shorter than the interval"),
        );
        return;
    }
    let window = interval * retries;
    if health_check.field("startPeriod").is_none() && window < MIN_UNHEALTHY_WINDOW {
        sink.report(
            &HEALTH_CHECK_TIMING,
            health_check.path.clone(),
            super::key_span(health_check),
            format!("container '{name}': with no startPeriod, the container is marked unhealthy after {retries} failed checks {interval} s apart, {window} s after it starts; a container that takes longer to boot is replaced before it is ready. Set startPeriod to its start-up time"),
        )
        .with_fix_insert_start_period(health_check);
    }
}

trait StartPeriodFix {
    fn with_fix_insert_start_period(&mut self, health_check: &Located<'_>);
}

impl StartPeriodFix for crate::diagnostic::Finding {
    /// Inserts `"startPeriod": 60,` right after the health check's opening brace.
    fn with_fix_insert_start_period(&mut self, health_check: &Located<'_>) {
        let at = health_check.node.span.start as usize + 1;
        self.with_fix(
            "Add a 60-second startPeriod",
            vec![(
                crate::text::Span::new(at, at),
                " \"startPeriod\": 60,".to_string(),
            )],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_settings_take_their_documented_defaults() {
        let node = crate::json::parse(r#"{"command": ["CMD", "true"], "retries": 5}"#).unwrap();
        let health_check = Located::root(&node, crate::json::JsonPath::root());
        assert_eq!(setting(&health_check, "interval"), 30);
        assert_eq!(setting(&health_check, "timeout"), 5);
        assert_eq!(setting(&health_check, "retries"), 5);
    }
}
