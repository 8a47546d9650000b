//! Deployment configuration and controller (seed-checklist §2.11).

use super::{Launch, Request};
use crate::check::{Rule, Sink};
use crate::diagnostic::Severity;

// D13: both conditions apply, the ECS controller (000) and no Classic Load Balancer (004).
pub const CIRCUIT_BREAKER_CONTROLLER: Rule = Rule {
    code: "circuit-breaker-controller",
    severity: Severity::Error,
    summary: "The deployment circuit breaker is only for the rolling update (ECS) controller, not behind a Classic Load Balancer.",
    covers: &["V-DEP-001"],
    exception: Some("InvalidParameterException"),
};

// D14: the 2022 docs say AWS silently uses the default, newer ones say a
// custom value can't be specified. A warning is right under both readings.
pub const DEPLOYMENT_PERCENT_IGNORED: Rule = Rule {
    code: "deployment-percent-ignored",
    severity: Severity::Warning,
    summary: "With CODE_DEPLOY or EXTERNAL on EC2, custom minimumHealthyPercent and maximumPercent are not used; the defaults apply.",
    covers: &["V-DEP-005", "V-DEP-006"],
    exception: None,
};

pub const DEPLOYMENT_PERCENT_UNUSED: Rule = Rule {
    code: "deployment-percent-unused",
    severity: Severity::Info,
    summary: "With CODE_DEPLOY or EXTERNAL on Fargate, minimumHealthyPercent and maximumPercent are returned but not used.",
    covers: &["V-DEP-007"],
    exception: None,
};

pub fn check(req: &Request<'_>, sink: &mut Sink) {
    let Some(config) = req.root.field("deploymentConfiguration") else {
        return;
    };
    let controller = req.deployment_controller();
    if let Some(breaker) = config.field("deploymentCircuitBreaker") {
        if breaker.bool_field("enable") == Some(true) {
            let classic = req
                .root
                .items("loadBalancers")
                .iter()
                .any(|lb| lb.field("loadBalancerName").is_some());
            let reason = if controller != "ECS" {
                Some(format!(
                    "the service uses the {controller} deployment controller"
                ))
            } else if classic {
                Some("the service is behind a Classic Load Balancer".to_string())
            } else {
                None
            };
            if let Some(reason) = reason {
                let enable = breaker.field("enable");
                let finding = sink.report(
                    &CIRCUIT_BREAKER_CONTROLLER,
                    breaker.path.clone(),
                    breaker.key_span.unwrap_or(breaker.span()),
                    format!("the deployment circuit breaker can only be used for services using the rolling update (ECS) deployment type that are not behind a Classic Load Balancer, but {reason}"),
                );
                if let Some(enable) = enable {
                    finding.with_fix(
                        "Disable the circuit breaker",
                        vec![(enable.span(), "false".to_string())],
                    );
                }
            }
        }
    }
    if controller == "ECS" {
        return;
    }
    for key in ["maximumPercent", "minimumHealthyPercent"] {
        let Some(field) = config.field(key) else {
            continue;
        };
        let span = field.key_span.unwrap_or(field.span());
        match req.launch() {
            Some(Launch::Ec2) => {
                sink.report(
                    &DEPLOYMENT_PERCENT_IGNORED,
                    field.path.clone(),
                    span,
                    format!("with the {controller} deployment controller and the EC2 launch type you can't specify a custom {key}: the default value is used"),
                );
            }
            Some(Launch::Fargate) => {
                sink.report(
                    &DEPLOYMENT_PERCENT_UNUSED,
                    field.path.clone(),
                    span,
                    format!("with the {controller} deployment controller and Fargate, {key} is accepted and returned but not used"),
                );
            }
            _ => {}
        }
    }
}
