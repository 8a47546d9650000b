//! Where a task runs: on an EC2 container instance (the placement pipeline),
//! on Fargate (no instance: spread across Availability Zones) or on an
//! EXTERNAL (ECS Anywhere) instance. The authoring preview and the simulator
//! both decide it here.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum LaunchTarget {
    Ec2,
    Fargate,
    External,
}

impl LaunchTarget {
    pub fn as_str(self) -> &'static str {
        match self {
            LaunchTarget::Ec2 => "EC2",
            LaunchTarget::Fargate => "FARGATE",
            LaunchTarget::External => "EXTERNAL",
        }
    }
}

/// The launch target of a task of a definition with `requires_compatibilities`
/// launched with `launch_type`.
///
/// - A launch type the definition was not validated for is refused with
///   AWS's message ("Task definition does not support launch_type FARGATE.").
///   Every definition is EC2-compatible in the simulator, as its
///   `compatibilities` say.
/// - RunTask and CreateService with neither a launch type nor a capacity
///   provider strategy use the cluster's default strategy, and with none
///   launch type EC2 (AWS's API reference): callers pass `"EC2"` then, never
///   the definition's requirement.
pub fn launch_target(
    requires_compatibilities: &[String],
    launch_type: &str,
) -> Result<LaunchTarget, String> {
    let requires = |name: &str| requires_compatibilities.iter().any(|c| c == name);
    match launch_type {
        "FARGATE" if !requires("FARGATE") => {
            Err("Task definition does not support launch_type FARGATE.".into())
        }
        "FARGATE" => Ok(LaunchTarget::Fargate),
        "EXTERNAL" if !requires("EXTERNAL") && !requires_compatibilities.is_empty() => {
            Err("Task definition does not support launch_type EXTERNAL.".into())
        }
        "EXTERNAL" => Ok(LaunchTarget::External),
        _ => Ok(LaunchTarget::Ec2),
    }
}

/// Where the authoring preview, which has no launch type, shows a task: a
/// definition that requires exactly one launch type as launched with that
/// launch type (a FARGATE-only definition on Fargate), otherwise EC2. The
/// preview labels it "when launched with launchType …": the simulator, like
/// AWS, launches with EC2 when nothing is given (`launch_target`).
pub fn preview_target(requires_compatibilities: &[String]) -> LaunchTarget {
    match requires_compatibilities {
        [only] if only == "FARGATE" => LaunchTarget::Fargate,
        [only] if only == "EXTERNAL" => LaunchTarget::External,
        _ => LaunchTarget::Ec2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_definition_and_the_launch_type_decide() {
        type Case<'a> = (&'a [&'a str], &'a str, Result<LaunchTarget, ()>);
        let cases: &[Case] = &[
            (&["FARGATE"], "EC2", Ok(LaunchTarget::Ec2)),
            (&["EC2"], "EC2", Ok(LaunchTarget::Ec2)),
            (&[], "EC2", Ok(LaunchTarget::Ec2)),
            (&["EXTERNAL"], "EXTERNAL", Ok(LaunchTarget::External)),
            (&[], "EXTERNAL", Ok(LaunchTarget::External)),
            (&["EC2"], "EXTERNAL", Err(())),
            (&["EC2"], "FARGATE", Err(())),
            (&[], "FARGATE", Err(())),
            (&["EC2", "FARGATE"], "FARGATE", Ok(LaunchTarget::Fargate)),
        ];
        for (requires, launch_type, want) in cases {
            let got = launch_target(&names(requires), launch_type).map_err(|_| ());
            assert_eq!(got, *want, "{requires:?} {launch_type:?}");
        }
    }

    #[test]
    fn the_preview_follows_a_single_requirement() {
        let cases: &[(&[&str], LaunchTarget)] = &[
            (&["FARGATE"], LaunchTarget::Fargate),
            (&["EXTERNAL"], LaunchTarget::External),
            (&["EC2"], LaunchTarget::Ec2),
            (&[], LaunchTarget::Ec2),
            (&["EC2", "FARGATE"], LaunchTarget::Ec2),
        ];
        for (requires, want) in cases {
            assert_eq!(preview_target(&names(requires)), *want, "{requires:?}");
        }
    }
}
