//! `--var NAME=VALUE`: values for a template's placeholders (`${IMAGE}`,
//! `${var.image}`, `{{ must_env `IMAGE` }}`), given on the command line.
//!
//! Parsing lives here; substitution belongs to the engine's placeholder
//! handling (one implementation of what a placeholder is), which [`apply`]
//! is the single place to call.

/// Parses one `NAME=VALUE` (clap's value parser for `--var`).
pub fn parse_assignment(argument: &str) -> Result<(String, String), String> {
    let (name, value) = argument
        .split_once('=')
        .ok_or_else(|| format!("`{argument}` is not NAME=VALUE"))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("`{argument}` has no NAME before `=`"));
    }
    Ok((name.to_string(), value.to_string()))
}

/// Where a template's placeholders get their values: `--var NAME=VALUE`
/// (the last one given wins) and, with `--env`, the environment for
/// `${NAME}` and ecspresso's `must_env`/`env`.
pub struct Values<'a> {
    pub vars: &'a [(String, String)],
    pub environment: bool,
}

impl Values<'_> {
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty() && !self.environment
    }

    /// The value of one placeholder's variable, if one was given.
    pub fn lookup(&self, var: &ecs_engine::template::Variable<'_>) -> Option<String> {
        let given = self.vars.iter().rev().find(|(name, _)| name == var.name);
        given.map(|(_, value)| value.clone()).or_else(|| {
            (self.environment && var.from_environment)
                .then(|| std::env::var(var.name).ok())
                .flatten()
        })
    }
}

/// The document's bytes with the given values substituted for their
/// placeholders (by the engine's one renderer), for the forms whose findings
/// are not mapped back into the template: export, services, Terraform.
/// Task definitions are checked through `ecs_engine::analyze_template_bytes`
/// instead, which points findings into the template itself.
pub fn apply(bytes: Vec<u8>, values: &Values<'_>) -> Vec<u8> {
    if values.is_empty() {
        return bytes;
    }
    match std::str::from_utf8(&bytes) {
        Ok(text) => ecs_engine::template::render(text, &|var| values.lookup(var))
            .text
            .into_bytes(),
        Err(_) => bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_split_at_the_first_equals_sign() {
        assert_eq!(
            parse_assignment("IMAGE=nginx:1.27"),
            Ok(("IMAGE".into(), "nginx:1.27".into()))
        );
        assert_eq!(parse_assignment("Q=a=b"), Ok(("Q".into(), "a=b".into())));
        assert_eq!(
            parse_assignment("EMPTY="),
            Ok(("EMPTY".into(), String::new()))
        );
        assert!(parse_assignment("IMAGE").is_err());
        assert!(parse_assignment("=x").is_err());
    }
}
