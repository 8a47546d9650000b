//! Account settings: PutAccountSetting, PutAccountSettingDefault,
//! ListAccountSettings and DeleteAccountSetting, and the effective value
//! the rest of the simulator reads ([`Ecs::account_setting`]).
//!
//! The simulated caller is the account's root user, so a setting put
//! without `principalArn` is the root's, which is also the default every
//! other principal inherits (as AWS documents). Effects in the simulator:
//! `containerInsights` is the default of new clusters' containerInsights
//! setting; `serviceLongArnFormat`, `taskLongArnFormat` and
//! `containerInstanceLongArnFormat` choose the ARN format of resources
//! created afterwards; `awsvpcTrunking` is readable for placement's ENI
//! limits. The others are kept and listed but change nothing simulated.

use serde_json::{json, Value};

use super::ops_cluster::with_token;
use super::paging::page;
use super::request::required;
use super::requests::{AccountSettingRequest, ListAccountSettingsRequest};
use super::{AwsError, CallResult, Ecs};

/// Every setting name of the model, with AWS's default and accepted values.
/// AWS's default for the setting `name` (empty for an unknown one).
fn setting_default(name: &str) -> &'static str {
    SETTINGS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map_or("", |(_, d, _)| *d)
}

const SETTINGS: &[(&str, &str, &[&str])] = &[
    ("serviceLongArnFormat", "enabled", &["enabled", "disabled"]),
    ("taskLongArnFormat", "enabled", &["enabled", "disabled"]),
    (
        "containerInstanceLongArnFormat",
        "enabled",
        &["enabled", "disabled"],
    ),
    ("awsvpcTrunking", "disabled", &["enabled", "disabled"]),
    (
        "containerInsights",
        "disabled",
        &["enabled", "disabled", "enhanced"],
    ),
    ("fargateFIPSMode", "disabled", &["enabled", "disabled"]),
    ("tagResourceAuthorization", "on", &["on", "off"]),
    ("fargateTaskRetirementWaitPeriod", "7", &["0", "7", "14"]),
    ("guardDutyActivate", "off", &["on", "off"]),
    (
        "defaultLogDriverMode",
        "non-blocking",
        &["blocking", "non-blocking"],
    ),
    ("fargateEventWindows", "disabled", &["enabled", "disabled"]),
];

/// ListAccountSettings pages hold at most 10 settings.
const MAX_SETTINGS_PAGE: i64 = 10;

impl Ecs {
    /// The root user's ARN: the simulated caller.
    pub(crate) fn root_principal(&self) -> String {
        crate::arn::account_root_arn(&self.config.region, &self.config.account)
    }

    /// The effective value of an account setting for the caller: its own
    /// explicit setting, else AWS's default.
    pub fn account_setting(&self, name: &str) -> &str {
        // Most accounts set nothing: every task, service and instance
        // created reads a setting, and then needs no principal's ARN.
        if !self
            .state
            .ops
            .account_settings
            .keys()
            .any(|(_, n)| n == name)
        {
            return setting_default(name);
        }
        let root = self.root_principal();
        self.effective_setting(&root, name).0
    }

    /// The ARN of a `kind` resource in the long format
    /// (`task/cluster/id`) unless the setting `setting` is disabled, then in
    /// the short one (`task/id`).
    pub(crate) fn arn_in_format(
        &self,
        setting: &str,
        kind: &str,
        cluster: &str,
        id: &str,
    ) -> String {
        let (region, account) = (&self.config.region, &self.config.account);
        if self.account_setting(setting) == "disabled" {
            crate::arn::ecs_arn_of(region, account, &[kind, id])
        } else {
            crate::arn::ecs_arn_of(region, account, &[kind, cluster, id])
        }
    }

    /// (value, principal holding it, AWS-managed) for `principal`.
    fn effective_setting(&self, principal: &str, name: &str) -> (&str, String, bool) {
        let settings = &self.state.ops.account_settings;
        let root = self.root_principal();
        // Looked up without building owned keys: every task, service and
        // instance created reads a setting, and an account holds few.
        let held_by = |holder: &str| {
            settings
                .iter()
                .find(|((p, n), _)| p == holder && n == name)
                .map(|(_, v)| v.as_str())
        };
        let explicit = held_by(principal)
            .map(|v| (v, principal.to_string()))
            .or_else(|| held_by(&root).map(|v| (v, root.clone())));
        match explicit {
            Some((value, holder)) => (value, holder, false),
            None => (setting_default(name), root, name == "guardDutyActivate"),
        }
    }

    fn setting_json(name: &str, value: &str, principal: &str, aws_managed: bool) -> Value {
        json!({
            "name": name,
            "value": value,
            "principalArn": principal,
            "type": if aws_managed { "aws_managed" } else { "user" },
        })
    }

    pub(crate) fn put_account_setting(&mut self, r: &Value, default: bool) -> CallResult {
        let r = AccountSettingRequest::read(r)?;
        let name = setting_name(r.name)?;
        let value = r.value.ok_or_else(|| required("value"))?;
        let root = self.root_principal();
        let principal = if default {
            root.clone()
        } else {
            r.principal_arn.map_or_else(|| root.clone(), str::to_string)
        };
        let accepted = SETTINGS
            .iter()
            .find(|(n, _, _)| *n == name)
            .map_or(&[][..], |(_, _, values)| *values);
        if name == "guardDutyActivate" {
            return Err(AwsError::invalid(
                "guardDutyActivate is managed by AWS and can't be changed with an account setting.",
            ));
        }
        if !accepted.contains(&value) {
            return Err(AwsError::invalid(format!(
                "Invalid value {value} for setting {name}: accepted values are {}.",
                accepted.join(", ")
            )));
        }
        if name == "fargateTaskRetirementWaitPeriod" && principal != root {
            return Err(AwsError::invalid(
                "fargateTaskRetirementWaitPeriod can only be set by the root user.",
            ));
        }
        self.state
            .ops
            .account_settings
            .insert((principal.clone(), name.to_string()), value.to_string());
        Ok(json!({"setting": Self::setting_json(name, value, &principal, false)}))
    }

    pub(crate) fn list_account_settings(&mut self, r: &Value) -> CallResult {
        let r = ListAccountSettingsRequest::read(r)?;
        let name = match r.name {
            Some(name) => Some(setting_name(name)?),
            None => None,
        };
        let value = r.value;
        if value.is_some() && name.is_none() {
            return Err(AwsError::invalid(
                "A setting name must be specified when a value is specified.",
            ));
        }
        if let Some(max) = r.page.max_results {
            if !(1..=MAX_SETTINGS_PAGE).contains(&max) {
                return Err(AwsError::invalid("maxResults must be between 1 and 10."));
            }
        }
        let principal = r
            .principal_arn
            .map_or_else(|| self.root_principal(), str::to_string);
        let effective = r.effective_settings;
        let names = SETTINGS
            .iter()
            .map(|(n, _, _)| *n)
            .filter(|n| name.is_none_or(|wanted| wanted == *n));
        let mut settings = Vec::new();
        for n in names {
            let found = if effective {
                Some(self.effective_setting(&principal, n))
            } else {
                self.state
                    .ops
                    .account_settings
                    .get(&(principal.clone(), n.to_string()))
                    .map(|v| (v.as_str(), principal.clone(), false))
            };
            if let Some((v, holder, managed)) = found {
                if value.is_none_or(|wanted| wanted == v) {
                    settings.push(Self::setting_json(n, v, &holder, managed));
                }
            }
        }
        let (items, next) = page(&r.page, &settings, MAX_SETTINGS_PAGE as usize)?;
        Ok(with_token(json!({"settings": items}), next))
    }

    /// Removes the principal's own setting and returns it; with none set,
    /// returns the setting in effect (an approximation: AWS documents no
    /// error for deleting a setting that was never put).
    pub(crate) fn delete_account_setting(&mut self, r: &Value) -> CallResult {
        let r = AccountSettingRequest::read(r)?;
        let name = setting_name(r.name)?;
        let principal = r
            .principal_arn
            .map_or_else(|| self.root_principal(), str::to_string);
        let removed = self
            .state
            .ops
            .account_settings
            .remove(&(principal.clone(), name.to_string()));
        let setting = match removed {
            Some(value) => Self::setting_json(name, &value, &principal, false),
            None => {
                let (value, holder, managed) = self.effective_setting(&principal, name);
                Self::setting_json(name, value, &holder, managed)
            }
        };
        Ok(json!({"setting": setting}))
    }
}

/// A request's setting `name`, one of the model's setting names.
fn setting_name(name: &str) -> Result<&'static str, AwsError> {
    SETTINGS
        .iter()
        .map(|(n, _, _)| *n)
        .find(|n| *n == name)
        .ok_or_else(|| {
            AwsError::invalid(format!(
                "Invalid setting name {name}: valid names are {}.",
                SETTINGS
                    .iter()
                    .map(|(n, _, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::sim::tests::{cluster_with, ecs, ok};

    #[test]
    fn settings_are_put_listed_and_deleted_per_principal() {
        let mut ecs = ecs();
        let root = "arn:aws:iam::123456789012:root";
        let user = "arn:aws:iam::123456789012:user/dev";
        let put = ok(
            &mut ecs,
            "PutAccountSettingDefault",
            json!({"name": "awsvpcTrunking", "value": "enabled"}),
        );
        assert_eq!(
            put["setting"],
            json!({"name": "awsvpcTrunking", "value": "enabled", "principalArn": root, "type": "user"})
        );
        ok(
            &mut ecs,
            "PutAccountSetting",
            json!({"name": "awsvpcTrunking", "value": "disabled", "principalArn": user}),
        );
        // Only what was set for the principal, unless effective settings are asked for.
        let own = ok(
            &mut ecs,
            "ListAccountSettings",
            json!({"principalArn": user}),
        );
        assert_eq!(own["settings"].as_array().unwrap().len(), 1);
        let effective = ok(
            &mut ecs,
            "ListAccountSettings",
            json!({"principalArn": user, "effectiveSettings": true, "maxResults": 10}),
        );
        let all = effective["settings"].as_array().unwrap();
        assert_eq!(all.len(), 10);
        assert!(effective["nextToken"].is_string());
        let trunking = ok(
            &mut ecs,
            "ListAccountSettings",
            json!({"name": "awsvpcTrunking", "principalArn": user, "effectiveSettings": true}),
        );
        assert_eq!(trunking["settings"][0]["value"], "disabled");
        // Deleting the user's own setting falls back to the root's.
        let deleted = ok(
            &mut ecs,
            "DeleteAccountSetting",
            json!({"name": "awsvpcTrunking", "principalArn": user}),
        );
        assert_eq!(deleted["setting"]["value"], "disabled");
        let trunking = ok(
            &mut ecs,
            "ListAccountSettings",
            json!({"name": "awsvpcTrunking", "value": "enabled", "principalArn": user, "effectiveSettings": true}),
        );
        assert_eq!(trunking["settings"][0]["principalArn"], root);
        assert_eq!(ecs.account_setting("awsvpcTrunking"), "enabled");
        let guard = ok(
            &mut ecs,
            "ListAccountSettings",
            json!({"name": "guardDutyActivate", "effectiveSettings": true}),
        );
        assert_eq!(guard["settings"][0]["type"], "aws_managed");
    }

    #[test]
    fn bad_settings_are_refused() {
        let mut ecs = ecs();
        for (operation, request) in [
            (
                "PutAccountSetting",
                json!({"name": "nope", "value": "enabled"}),
            ),
            (
                "PutAccountSetting",
                json!({"name": "containerInsights", "value": "on"}),
            ),
            (
                "PutAccountSetting",
                json!({"name": "guardDutyActivate", "value": "on"}),
            ),
            (
                "PutAccountSetting",
                json!({"name": "fargateTaskRetirementWaitPeriod", "value": "14", "principalArn": "arn:aws:iam::123456789012:user/dev"}),
            ),
            ("PutAccountSetting", json!({"name": "awsvpcTrunking"})),
            ("ListAccountSettings", json!({"value": "enabled"})),
            ("ListAccountSettings", json!({"maxResults": 11})),
        ] {
            let e = ecs.call(operation, &request).unwrap_err();
            assert_eq!(e.error_type, "InvalidParameterException", "{request}");
        }
    }

    #[test]
    fn settings_change_what_is_created_afterwards() {
        let mut ecs = ecs();
        ok(
            &mut ecs,
            "PutAccountSettingDefault",
            json!({"name": "containerInsights", "value": "enhanced"}),
        );
        for name in ["serviceLongArnFormat", "taskLongArnFormat"] {
            ok(
                &mut ecs,
                "PutAccountSetting",
                json!({"name": name, "value": "disabled"}),
            );
        }
        cluster_with(&mut ecs, 1);
        let cluster = ok(
            &mut ecs,
            "DescribeClusters",
            json!({"include": ["SETTINGS"]}),
        );
        assert_eq!(
            cluster["clusters"][0]["settings"],
            json!([{"name": "containerInsights", "value": "enhanced"}])
        );
        let service = ok(
            &mut ecs,
            "CreateService",
            json!({"serviceName": "web", "taskDefinition": "web", "desiredCount": 1}),
        );
        assert_eq!(
            service["service"]["serviceArn"],
            "arn:aws:ecs:us-east-1:123456789012:service/web"
        );
        let run = ok(&mut ecs, "RunTask", json!({"taskDefinition": "web"}));
        let arn = run["tasks"][0]["taskArn"].as_str().unwrap().to_string();
        assert_eq!(arn.matches('/').count(), 1, "{arn}");
        // Short ARNs still resolve.
        let described = ok(&mut ecs, "DescribeTasks", json!({"tasks": [arn]}));
        assert_eq!(described["failures"], json!([]));
        let instances = ok(&mut ecs, "ListContainerInstances", json!({}));
        let instance = instances["containerInstanceArns"][0].as_str().unwrap();
        assert!(
            instance.contains("container-instance/default/"),
            "{instance}"
        );
    }
}
