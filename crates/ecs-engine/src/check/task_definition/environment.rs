//! Environment variables, environment files and secrets (V-CD-017, V-CD-018,
//! V-CD-030, V-LOG-007), and secret-looking values in plain `environment`.

use super::{name_of, Context};
use crate::check::{Located, Rule, Sink};
use crate::diagnostic::Severity;
use crate::json::Node;

/// Environment files per container (000:11563).
pub const MAX_ENVIRONMENT_FILES: usize = 10;

pub const ENVIRONMENT_FILES_LIMIT: Rule = Rule {
    code: "environment-files-limit",
    severity: Severity::Error,
    summary: "A container lists at most 10 environment files.",
    covers: &["V-CD-017"],
    exception: Some("ClientException"),
};

pub const ENVIRONMENT_FILE_EXTENSION: Rule = Rule {
    code: "environment-file-extension",
    severity: Severity::Error,
    summary: "An environment file is an S3 object ARN with the `.env` extension.",
    covers: &["V-CD-018"],
    exception: Some("ClientException"),
};

pub const SECRET_IN_ENVIRONMENT: Rule = Rule {
    code: "secret-in-environment",
    severity: Severity::Warning,
    summary: "A password, token, key or AWS access key id in plain `environment` is visible to anyone who can describe the task definition; use `secrets`.",
    covers: &[],
    exception: None,
};

pub const SECRET_VALUE_FROM: Rule = Rule {
    code: "secret-value-from",
    severity: Severity::Error,
    summary: "A secret's `valueFrom` is a Secrets Manager ARN, an SSM parameter ARN, or an SSM parameter name.",
    covers: &["V-CD-030", "V-LOG-007"],
    exception: Some("ClientException"),
};

pub fn check(context: &Context<'_>, sink: &mut Sink) {
    for container in &context.containers {
        check_environment_files(container, sink);
        if let Some(list) = container.field("environment") {
            for (i, variable) in list.node.items().iter().enumerate() {
                check_plain_variable(container, &list, i, variable, sink);
            }
        }
        let mut secrets = container.items("secrets");
        if let Some(logging) = container.field("logConfiguration") {
            secrets.extend(logging.items("secretOptions"));
        }
        for secret in secrets {
            check_value_from(container, &secret, sink);
        }
    }
}

fn check_environment_files(container: &Located<'_>, sink: &mut Sink) {
    let files = container.items("environmentFiles");
    if let Some(extra) = files.get(MAX_ENVIRONMENT_FILES) {
        sink.report(
            &ENVIRONMENT_FILES_LIMIT,
            extra.path.clone(),
            extra.span(),
            format!("container '{}' lists {} environment files: you can specify up to ten environment files", name_of(container), files.len()),
        );
    }
    for file in &files {
        let Some(value) = file.field("value") else {
            continue;
        };
        let Some(text) = value.node.as_str() else {
            continue;
        };
        if !text.starts_with("arn:") || !text.contains(":s3:::") {
            sink.report(
                &ENVIRONMENT_FILE_EXTENSION,
                value.path.clone(),
                value.span(),
                format!("environment file \"{text}\" must be the Amazon Resource Name (ARN) of an Amazon S3 object, like arn:aws:s3:::bucket/app.env"),
            );
        } else if !text.ends_with(".env") {
            sink.report(
                &ENVIRONMENT_FILE_EXTENSION,
                value.path.clone(),
                value.span(),
                format!("environment file \"{text}\" must have a .env file extension"),
            );
        }
    }
}

/// Words that mark a variable as holding a credential.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
    "AUTH_KEY",
    "CLIENT_KEY",
    "LICENSE_KEY",
];

/// Suffixes that mean the variable points at a secret rather than holding it.
const REFERENCE_SUFFIXES: &[&str] = &[
    "_FILE", "_PATH", "_ARN", "_NAME", "_ID", "_URL", "_ENABLED", "_HEADER", "_TYPE",
];

/// A name with one of [`SECRET_WORDS`] as a part (between `_ - .`) or, for
/// words with an underscore, anywhere; unless it ends in a reference suffix.
/// Compared ignoring ASCII case, without copying the name.
fn looks_like_secret_name(name: &str) -> bool {
    let name = name.as_bytes();
    let ends_with = |suffix: &str| {
        name.len()
            .checked_sub(suffix.len())
            .and_then(|start| name.get(start..))
            .is_some_and(|end| end.eq_ignore_ascii_case(suffix.as_bytes()))
    };
    if REFERENCE_SUFFIXES.iter().any(|s| ends_with(s)) {
        return false;
    }
    let is_word = |part: &[u8]| {
        SECRET_WORDS
            .iter()
            .any(|w| part.eq_ignore_ascii_case(w.as_bytes()))
    };
    name.split(|b| matches!(b, b'_' | b'-' | b'.')).any(is_word)
        || SECRET_WORDS.iter().any(|w| {
            w.contains('_')
                && name
                    .windows(w.len())
                    .any(|window| window.eq_ignore_ascii_case(w.as_bytes()))
        })
}

/// An AWS access key id: AKIA or ASIA followed by 16 uppercase letters or digits.
fn is_access_key_id(value: &str) -> bool {
    (value.starts_with("AKIA") || value.starts_with("ASIA"))
        && value.len() == 20
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// A URL with a password in it: `scheme://user:password@host`.
fn has_url_password(value: &str) -> bool {
    let Some((_, rest)) = value.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let Some((userinfo, _host)) = authority.rsplit_once('@') else {
        return false;
    };
    userinfo
        .split_once(':')
        .is_some_and(|(_, password)| !password.is_empty() && !super::has_placeholder(password))
}

fn looks_like_secret_value(value: &str) -> bool {
    has_url_password(value)
        || is_access_key_id(value)
        || value.contains("-----BEGIN")
        || ["ghp_", "gho_", "github_pat_", "xoxb-", "xoxp-", "sk_live_"]
            .iter()
            .any(|p| value.starts_with(p))
}

/// Checks `variable`, item `index` of the `environment` list. Its path is
/// built only for a finding: containers can hold hundreds of variables.
fn check_plain_variable(
    container: &Located<'_>,
    list: &Located<'_>,
    index: usize,
    variable: &Node,
    sink: &mut Sink,
) {
    let name = variable.get("name").and_then(Node::as_str).unwrap_or("");
    let Some(value_node) = variable.get("value").filter(|v| !v.is_null()) else {
        return;
    };
    let value = value_node.as_str().unwrap_or("");
    if value.is_empty() || value.starts_with("arn:") {
        return;
    }
    let why = if looks_like_secret_value(value) {
        if is_access_key_id(value) {
            "holds an AWS access key id"
        } else if has_url_password(value) {
            "holds a URL with a password in it"
        } else {
            "holds what looks like a credential"
        }
    } else if looks_like_secret_name(name) {
        "looks like a secret by its name"
    } else {
        return;
    };
    sink.report(
        &SECRET_IN_ENVIRONMENT,
        list.path.index(index).key("value"),
        value_node.span,
        format!("container '{}': environment variable {name} {why}: environment values are stored in plain text and shown to anyone who can describe the task definition. Store it in Secrets Manager or SSM Parameter Store and reference it from secrets", name_of(container)),
    );
}

/// SSM parameter names: letters, digits, `_ . - /`.
fn is_parameter_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 2048
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c))
}

fn check_value_from(container: &Located<'_>, secret: &Located<'_>, sink: &mut Sink) {
    let Some(field) = secret.field("valueFrom") else {
        return;
    };
    let Some(text) = field.node.as_str() else {
        return;
    };
    if super::has_placeholder(text) {
        return;
    }
    let valid = if let Some(rest) = text.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        match parts.as_slice() {
            [partition, "secretsmanager", region, account, resource] => {
                partition.starts_with("aws")
                    && !region.is_empty()
                    && !account.is_empty()
                    && resource.starts_with("secret:")
            }
            [partition, "ssm", region, account, resource] => {
                partition.starts_with("aws")
                    && !region.is_empty()
                    && !account.is_empty()
                    && resource.starts_with("parameter")
            }
            _ => false,
        }
    } else {
        is_parameter_name(text)
    };
    if valid {
        return;
    }
    sink.report(
        &SECRET_VALUE_FROM,
        field.path.clone(),
        field.span(),
        format!("container '{}': valueFrom \"{text}\" is not a secret reference: use the full ARN of a Secrets Manager secret or an SSM Parameter Store parameter, or the name of a parameter in the same Region", name_of(container)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_and_values_are_recognised() {
        assert!(looks_like_secret_name("DB_PASSWORD"));
        assert!(looks_like_secret_name("github-token"));
        assert!(looks_like_secret_name("STRIPE_API_KEY"));
        assert!(!looks_like_secret_name("DB_PASSWORD_FILE"));
        assert!(!looks_like_secret_name("LOG_LEVEL"));
        assert!(!looks_like_secret_name("TOKENIZER_MODEL"));
        assert!(looks_like_secret_name("app.Client_Key"));
        assert!(!looks_like_secret_name("stripe_api_key_file"));
        assert!(is_access_key_id("AKIAIOSFODNN7EXAMPLE"));
        assert!(!is_access_key_id("AKIA"));
        assert!(is_parameter_name("/prod/db/password"));
        assert!(has_url_password("postgres://app:s3cret@db:5432/app"));
        assert!(!has_url_password("postgres://app@db:5432/app"));
        assert!(!has_url_password("https://example.com/a:b@c"));
        assert!(!has_url_password("redis://:${REDIS_PASSWORD}@cache:6379"));
    }
}
