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
/// launched with `launch_type` (`None`: neither a launch type nor a capacity
/// provider strategy was given).
///
/// - A launch type the definition was not validated for is refused with
///   AWS's message ("Task definition does not support launch_type FARGATE.").
///   Every definition is EC2-compatible in the simulator, as its
///   `compatibilities` say.
/// - With no launch type, a definition that requires exactly one launch type
///   runs there (a FARGATE-only definition runs on Fargate, never on an EC2
///   instance); otherwise EC2. AWS's RunTask defaults to EC2 when nothing is
///   given; following the definition's single requirement is the simulator's
///   model (INFERENCE) so that the preview and the run agree.
pub fn launch_target(
    requires_compatibilities: &[String],
    launch_type: Option<&str>,
) -> Result<LaunchTarget, String> {
    let requires = |name: &str| requires_compatibilities.iter().any(|c| c == name);
    match launch_type {
        Some("FARGATE") if !requires("FARGATE") => {
            Err("Task definition does not support launch_type FARGATE.".into())
        }
        Some("FARGATE") => Ok(LaunchTarget::Fargate),
        Some("EXTERNAL") if !requires("EXTERNAL") && !requires_compatibilities.is_empty() => {
            Err("Task definition does not support launch_type EXTERNAL.".into())
        }
        Some("EXTERNAL") => Ok(LaunchTarget::External),
        Some(_) => Ok(LaunchTarget::Ec2),
        None => Ok(match requires_compatibilities {
            [only] if only == "FARGATE" => LaunchTarget::Fargate,
            [only] if only == "EXTERNAL" => LaunchTarget::External,
            _ => LaunchTarget::Ec2,
        }),
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
        type Case<'a> = (&'a [&'a str], Option<&'a str>, Result<LaunchTarget, ()>);
        let cases: &[Case] = &[
            (&["FARGATE"], None, Ok(LaunchTarget::Fargate)),
            (&["EC2"], None, Ok(LaunchTarget::Ec2)),
            (&[], None, Ok(LaunchTarget::Ec2)),
            (&["EC2", "FARGATE"], None, Ok(LaunchTarget::Ec2)),
            (&["EXTERNAL"], None, Ok(LaunchTarget::External)),
            (&["EC2"], Some("FARGATE"), Err(())),
            (&[], Some("FARGATE"), Err(())),
            (&["FARGATE"], Some("EC2"), Ok(LaunchTarget::Ec2)),
            (
                &["EC2", "FARGATE"],
                Some("FARGATE"),
                Ok(LaunchTarget::Fargate),
            ),
        ];
        for (requires, launch_type, want) in cases {
            let got = launch_target(&names(requires), *launch_type).map_err(|_| ());
            assert_eq!(got, *want, "{requires:?} {launch_type:?}");
        }
    }
}
