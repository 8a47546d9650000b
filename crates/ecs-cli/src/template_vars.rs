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

/// The document's bytes with `vars` substituted for their placeholders.
///
/// Until the engine's substitution is connected, the bytes pass through
/// unchanged: placeholders then stay templates, which the checks treat as
/// values they cannot know. This is the one call site to connect.
pub fn apply(bytes: Vec<u8>, vars: &[(String, String)]) -> Vec<u8> {
    let _ = vars;
    bytes
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
