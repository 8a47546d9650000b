//! The `aws ecs` console's engine: an AWS CLI v1 command line
//! (`aws ecs create-service --cluster demo --desired-count 3 …`) turned into
//! the operation and the JSON request the real CLI would send, byte for byte;
//! completion of what can be typed next; and the CLI's JSON output.
//!
//! Operation and parameter names come from AWS's model (`model.rs`, generated
//! by `scripts/gen-model.py`), named as botocore names them (`names.rs`).
//! Words are split as a POSIX shell quotes them (`words.rs`), values are JSON
//! or the CLI's shorthand (`shorthand.rs`, `value.rs`). What the CLI would do
//! outside the request (read `file://` values, fetch URLs, `--query`,
//! `--cli-input-json`, `--output text`) is refused with a message: this
//! module does no I/O. `oracle.jsonl` holds command lines with what the real
//! CLI sent for each (recorded by `scripts/aws-cli-oracle.py`), and the tests
//! here compare.

mod complete;
// Generated, one line per shape; rustfmt would triple its size.
#[rustfmt::skip]
pub mod model;
mod names;
mod output;
pub mod session;
mod shorthand;
mod value;
mod words;

#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

pub use complete::{complete, Completion};
pub use names::cli_name;
pub use output::{print_error, print_json};

use crate::check::schema::{Kind, ShapeDef};
use model::{Operation, OPERATIONS};

/// The JSON protocol's `X-Amz-Target` prefix for ECS.
pub const TARGET_PREFIX: &str = "AmazonEC2ContainerServiceV20141113";

/// A command line understood: the call it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct CliCall {
    /// The CLI's name of the operation (`create-service`).
    pub command: String,
    /// The API's name (`CreateService`).
    pub operation: &'static str,
    /// The request, members in the order the CLI sends them.
    pub request: Value,
    /// The CLI would follow `nextToken` and fetch every page, printing them
    /// as one result (paginated operations without `--no-paginate`).
    pub paginate: bool,
    /// `--max-items`: how many results the CLI prints across pages.
    pub max_items: Option<i64>,
    /// `--region`, if given.
    pub region: Option<String>,
}

impl CliCall {
    /// The `X-Amz-Target` header the CLI sends.
    pub fn target(&self) -> String {
        format!("{TARGET_PREFIX}.{}", self.operation)
    }

    /// The request body exactly as botocore writes it.
    pub fn body(&self) -> String {
        output::request_body(&self.request)
    }
}

/// Why a line is not a call, worded as the CLI words it where it refuses the
/// same line, and saying what is unavailable here where the CLI would go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub message: String,
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn fail<T>(message: impl Into<String>) -> Result<T, CliError> {
    Err(CliError {
        message: message.into(),
    })
}

/// What an argument of an operation sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A member of the input (its index among the input shape's members).
    Member(usize),
    /// A boolean member set to a fixed value (`--flag`, `--no-flag`).
    Flag(usize, bool),
    CliInputJson,
    GenerateCliSkeleton,
    StartingToken,
    PageSize,
    MaxItems,
}

/// One argument of an operation as the CLI lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Argument {
    pub name: String,
    pub target: Target,
    /// The CLI hides it from help (the page token and size of paginated
    /// operations) but accepts it.
    pub documented: bool,
}

/// The operation named `command` (`create-service`).
pub fn operation(command: &str) -> Option<&'static Operation> {
    // Only names with the same letters can match: a cheap test before naming.
    let letters = |a: &str, b: &str| {
        a.bytes()
            .filter(|&c| c != b'-')
            .map(|c| c.to_ascii_lowercase())
            .eq(b.bytes().map(|c| c.to_ascii_lowercase()))
    };
    OPERATIONS
        .iter()
        .find(|op| letters(command, op.name) && cli_name(op.name) == command)
}

/// Every operation's CLI name, sorted.
pub fn commands() -> Vec<String> {
    let mut names: Vec<String> = OPERATIONS.iter().map(|op| cli_name(op.name)).collect();
    crate::order::sort_by(&mut names, |a, b| a.cmp(b));
    names
}

fn input_shape(op: &Operation) -> Option<&'static ShapeDef> {
    value::shape(op.input)
}

/// The arguments of `op` in the CLI's order: one per member (two for a
/// boolean: `--x` and `--no-x`, with `--no-enable-execute-command` renamed
/// `--disable-execute-command` and listed after the members), then
/// `--cli-input-json`, the paging arguments, `--generate-cli-skeleton`.
pub fn arguments(op: &Operation) -> Vec<Argument> {
    let mut out = Vec::new();
    let mut renamed = Vec::new();
    let members = input_shape(op).map_or(&[][..], |s| s.members);
    let paging_member = |name: &str| op.paginated && (name == "nextToken" || name == "maxResults");
    for (i, member) in members.iter().enumerate() {
        let name = cli_name(member.0);
        let documented = !paging_member(member.0);
        let is_bool = value::shape(member.1).is_some_and(|s| s.kind == Kind::Boolean);
        if is_bool {
            out.push(Argument {
                name: format!("--{name}"),
                target: Target::Flag(i, true),
                documented,
            });
            let negative = Argument {
                name: format!("--no-{name}"),
                target: Target::Flag(i, false),
                documented,
            };
            // awscli/customizations/argrename.py renames two negatives for ECS.
            let rename = match (name.as_str(), op.name) {
                ("enable-execute-command", _) => Some("--disable-execute-command"),
                ("interactive", "ExecuteCommand") => Some("--non-interactive"),
                _ => None,
            };
            if let Some(new_name) = rename {
                renamed.push(Argument {
                    name: new_name.into(),
                    ..negative
                });
            } else {
                out.push(negative);
            }
        } else {
            out.push(Argument {
                name: format!("--{name}"),
                target: Target::Member(i),
                documented,
            });
        }
    }
    out.extend(renamed);
    out.push(Argument {
        name: "--cli-input-json".into(),
        target: Target::CliInputJson,
        documented: true,
    });
    if op.paginated {
        for (name, target) in [
            ("--starting-token", Target::StartingToken),
            ("--page-size", Target::PageSize),
            ("--max-items", Target::MaxItems),
        ] {
            out.push(Argument {
                name: name.into(),
                target,
                documented: true,
            });
        }
    }
    out.push(Argument {
        name: "--generate-cli-skeleton".into(),
        target: Target::GenerateCliSkeleton,
        documented: true,
    });
    out
}

/// The CLI's global options, whether each takes a value, and why it is
/// refused here (`None`: accepted).
const GLOBALS: &[(&str, bool, Option<&str>)] = &[
    ("--debug", false, Some("there is no debug log here")),
    (
        "--endpoint-url",
        true,
        Some("the console always calls this simulated ECS"),
    ),
    ("--no-verify-ssl", false, Some("there is no TLS here")),
    ("--no-paginate", false, None),
    ("--output", true, None),
    (
        "--query",
        true,
        Some("JMESPath queries are not available here: read the JSON output"),
    ),
    (
        "--profile",
        true,
        Some("there are no profiles or credentials here"),
    ),
    ("--region", true, None),
    (
        "--version",
        false,
        Some("this console is not a full AWS CLI"),
    ),
    ("--color", true, None),
    ("--no-sign-request", false, Some("there is no signing here")),
    ("--ca-bundle", true, Some("there is no TLS here")),
    (
        "--cli-read-timeout",
        true,
        Some("there are no network timeouts here"),
    ),
    (
        "--cli-connect-timeout",
        true,
        Some("there are no network timeouts here"),
    ),
];

/// What an option word names.
#[derive(Debug, Clone, Copy)]
enum Named<'a> {
    Global(usize),
    Operation(&'a Argument),
}

/// argparse's reading of an option word: exact first, then a unique prefix
/// (the CLI's parsers allow abbreviations), globals before the operation's.
fn resolve<'a>(word: &str, arguments: &'a [Argument]) -> Result<Option<Named<'a>>, CliError> {
    if let Some(i) = GLOBALS.iter().position(|g| g.0 == word) {
        return Ok(Some(Named::Global(i)));
    }
    if let Some(a) = arguments.iter().find(|a| a.name == word) {
        return Ok(Some(Named::Operation(a)));
    }
    if word.len() < 3 {
        return Ok(None);
    }
    let globals: Vec<usize> = (0..GLOBALS.len())
        .filter(|&i| GLOBALS.get(i).is_some_and(|g| g.0.starts_with(word)))
        .collect();
    match globals.as_slice() {
        [one] => return Ok(Some(Named::Global(*one))),
        [] => {}
        many => {
            let names: Vec<&str> = many
                .iter()
                .filter_map(|&i| GLOBALS.get(i).map(|g| g.0))
                .collect();
            return fail(format!(
                "aws: error: ambiguous option: {word} could match {}",
                names.join(", ")
            ));
        }
    }
    let matches: Vec<&Argument> = arguments
        .iter()
        .filter(|a| a.name.starts_with(word))
        .collect();
    match matches.as_slice() {
        [one] => Ok(Some(Named::Operation(one))),
        [] => Ok(None),
        many => {
            let names: Vec<&str> = many.iter().map(|a| a.name.as_str()).collect();
            fail(format!(
                "aws: error: ambiguous option: {word} could match {}",
                names.join(", ")
            ))
        }
    }
}

/// argparse's test for a word that is an option rather than a value: it
/// starts with `-`, is not a negative number and has no space.
fn looks_like_option(word: &str) -> bool {
    if !word.starts_with('-') || word.len() < 2 || word.contains(' ') {
        return false;
    }
    let rest = &word[1..];
    let negative_number = !rest.is_empty()
        && rest.bytes().all(|c| c.is_ascii_digit() || c == b'.')
        && rest.bytes().filter(|&c| c == b'.').count() <= 1
        && rest.bytes().any(|c| c.is_ascii_digit())
        && !rest.ends_with('.');
    !negative_number
}

/// Parses an `aws ecs …` command line. `idempotency_token` is what the CLI
/// would fill in as a fresh UUID for an operation with an idempotency token
/// (RunTask's `clientToken`) when the line does not give one.
pub fn parse(line: &str, idempotency_token: &str) -> Result<CliCall, CliError> {
    let words = words::split(line).map_err(|e| CliError {
        message: e.message(),
    })?;
    let mut texts: Vec<String> = words.into_iter().map(|w| w.text).collect();
    if texts.first().map(String::as_str) == Some("aws") {
        texts.remove(0);
    }
    if texts.is_empty() {
        return fail("Type an AWS CLI command line, for example: aws ecs list-clusters");
    }
    // The service and operation are the first two words that are not global options.
    let mut globals: Vec<(usize, Option<String>)> = Vec::new();
    let mut positionals: Vec<String> = Vec::new();
    let mut rest: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(word) = texts.get(i) {
        i += 1;
        if positionals.len() == 2 {
            rest.push(word.clone());
            continue;
        }
        if looks_like_option(word) {
            let (name, inline) = split_inline(word);
            match resolve(name, &[])? {
                Some(Named::Global(g)) => {
                    let takes_value = GLOBALS.get(g).is_some_and(|x| x.1);
                    let value = global_value(name, takes_value, inline, &texts, &mut i)?;
                    globals.push((g, value));
                }
                _ if positionals.is_empty() => {
                    return fail(format!(
                    "aws: error: unrecognized option {name}: the line must start aws ecs OPERATION"
                ))
                }
                _ => rest.push(word.clone()),
            }
        } else {
            positionals.push(word.clone());
        }
    }
    let service = positionals.first().cloned().unwrap_or_default();
    if service != "ecs" {
        if service == "help" || service.is_empty() {
            return fail(
                "This console speaks aws ecs: type aws ecs and an operation (Tab completes).",
            );
        }
        return fail(format!(
            "Only aws ecs is available here, not aws {service}."
        ));
    }
    let Some(command) = positionals.get(1).cloned() else {
        return fail(
            "aws: error: the following arguments are required: operation (Tab lists them)",
        );
    };
    let special = ["help", "wait", "deploy", "execute-command"].contains(&command.as_str());
    let Some(op) = operation(&command).filter(|_| !special) else {
        let message = match command.as_str() {
            "help" => "Help pages are not available here: Tab lists the operations, and after an operation its parameters.".to_string(),
            "wait" => "aws ecs wait polls until a state is reached: not available here. Play the run forward and describe again.".to_string(),
            "deploy" => "aws ecs deploy is a CodeDeploy blue/green helper: not available here.".to_string(),
            "execute-command" => "aws ecs execute-command opens a session in a container: not available here.".to_string(),
            _ => {
                let all = commands();
                match names::nearest(&command, all.iter().map(String::as_str)) {
                    Some(near) => format!("aws: error: argument operation: Invalid choice: {command}. Did you mean {near}?"),
                    None => format!("aws: error: argument operation: Invalid choice: {command} (Tab lists the operations)"),
                }
            }
        };
        return fail(message);
    };
    let arguments = arguments(op);
    let shape = input_shape(op).ok_or_else(|| CliError {
        message: "no input shape".into(),
    })?;

    // argparse: each option takes its values; the last occurrence wins.
    let mut given: Vec<(Target, String, Vec<String>)> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut j = 0;
    while let Some(word) = rest.get(j) {
        j += 1;
        if !looks_like_option(word) {
            unknown.push(word.clone());
            continue;
        }
        let (name, inline) = split_inline(word);
        let argument = match resolve(name, &arguments)? {
            Some(Named::Global(g)) => {
                let takes_value = GLOBALS.get(g).is_some_and(|x| x.1);
                let value = global_value(name, takes_value, inline, &rest, &mut j)?;
                globals.push((g, value));
                continue;
            }
            Some(Named::Operation(a)) => a,
            None => {
                unknown.push(word.clone());
                continue;
            }
        };
        let member_shape = match argument.target {
            Target::Member(m) => shape.members.get(m).and_then(|d| value::shape(d.1)),
            _ => None,
        };
        let values = match argument.target {
            Target::Flag(..) | Target::GenerateCliSkeleton => {
                if let Some(v) = inline {
                    return fail(format!(
                        "aws: error: argument {}: ignored explicit argument '{v}'",
                        argument.name
                    ));
                }
                Vec::new()
            }
            _ => {
                let is_list = member_shape.is_some_and(|s| s.kind == Kind::List);
                let mut values = Vec::new();
                if let Some(v) = inline {
                    values.push(v.to_string());
                } else {
                    while let Some(next) = rest.get(j) {
                        if looks_like_option(next) || (!is_list && !values.is_empty()) {
                            break;
                        }
                        values.push(next.clone());
                        j += 1;
                    }
                }
                if values.is_empty() {
                    let expected = if is_list {
                        "expected at least one argument"
                    } else {
                        "expected one argument"
                    };
                    return fail(format!(
                        "aws: error: argument {}: {expected}",
                        argument.name
                    ));
                }
                values
            }
        };
        given.retain(|(t, _, _)| !same_member(*t, argument.target));
        given.push((argument.target, argument.name.clone(), values));
    }
    if !unknown.is_empty() {
        let suggestion = unknown.first().and_then(|u| {
            let (name, _) = split_inline(u);
            if !name.starts_with("--") {
                return None;
            }
            names::nearest(
                name,
                arguments
                    .iter()
                    .filter(|a| a.documented)
                    .map(|a| a.name.as_str()),
            )
        });
        let mut message = format!("aws: error: Unknown options: {}", unknown.join(", "));
        if let Some(near) = suggestion {
            message.push_str(&format!(". Did you mean {near}?"));
        }
        return fail(message);
    }

    // Globals: what the CLI would do is either what this console does or refused.
    let mut region = None;
    let mut no_paginate = false;
    for (g, value) in &globals {
        let Some((name, _, refusal)) = GLOBALS.get(*g) else {
            continue;
        };
        if let Some(why) = refusal {
            return fail(format!("{name} is not available here: {why}."));
        }
        match (*name, value.as_deref()) {
            ("--output", Some("json")) | ("--color", _) => {}
            ("--output", Some(other)) => {
                return fail(format!("--output {other} is not available here: this console prints JSON, as --output json does."))
            }
            ("--region", v) => region = v.map(str::to_string),
            ("--no-paginate", _) => no_paginate = true,
            _ => {}
        }
    }

    // Arguments the console does not carry out.
    for (target, name, _) in &given {
        match target {
            Target::CliInputJson => {
                return fail(format!(
                "{name} reads the whole request as JSON in the AWS CLI; here, give its members as \
                     arguments (the JSON of each is accepted)."
            ))
            }
            Target::GenerateCliSkeleton => {
                return fail(format!(
                    "{name} prints an empty request in the AWS CLI: not available here."
                ))
            }
            Target::StartingToken => {
                return fail(format!(
                    "{name} resumes from a token the CLI printed earlier: not available here; use \
                     --next-token with the nextToken of a response."
                ))
            }
            _ => {}
        }
    }

    // Required top-level members, in argument order, as argparse reports them.
    let missing: Vec<String> = arguments
        .iter()
        .filter(|a| a.documented)
        .filter_map(|a| match a.target {
            Target::Member(m) if shape.members.get(m).is_some_and(|d| d.2) => Some((m, &a.name)),
            _ => None,
        })
        .filter(|(m, _)| {
            !given
                .iter()
                .any(|(t, _, _)| same_member(*t, Target::Member(*m)))
        })
        .map(|(_, name)| name.clone())
        .collect();
    if !missing.is_empty() {
        return fail(format!(
            "aws: error: the following arguments are required: {}",
            missing.join(", ")
        ));
    }

    // Paging: the page token or size given by hand turns paging off.
    let mut page_size = None;
    let mut max_items = None;
    let mut paginate = op.paginated && !no_paginate;
    let manual_paging = given.iter().any(|(t, _, _)| match t {
        Target::Member(m) => shape
            .members
            .get(*m)
            .is_some_and(|d| d.0 == "nextToken" || d.0 == "maxResults"),
        _ => false,
    });
    if op.paginated && manual_paging {
        paginate = false;
    }
    for (target, name, values) in &given {
        let first = values.first().map(String::as_str).unwrap_or("");
        match target {
            Target::PageSize => {
                page_size = Some(value::python_int(first).map_err(|e| parse_error(name, &e))?)
            }
            Target::MaxItems => {
                max_items = Some(value::python_int(first).map_err(|e| parse_error(name, &e))?)
            }
            _ => {}
        }
    }
    if op.paginated && !paginate {
        let used: Vec<&str> = [
            ("--page-size", page_size.is_some()),
            ("--max-items", max_items.is_some()),
        ]
        .iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| *n)
        .collect();
        if !used.is_empty() {
            return fail(format!(
                "Cannot specify --no-paginate along with pagination arguments: {}",
                used.join(", ")
            ));
        }
    }

    // The request: members in the model's order, each value as the CLI reads it.
    let mut request = Map::new();
    for (index, member) in shape.members.iter().enumerate() {
        let Some((target, name, values)) = given
            .iter()
            .find(|(t, _, _)| same_member(*t, Target::Member(index)))
        else {
            continue;
        };
        let Some(member_shape) = value::shape(member.1) else {
            continue;
        };
        let v = match target {
            Target::Flag(_, on) => Value::Bool(*on),
            _ => {
                if let [single] = values.as_slice() {
                    value::refuse_paramfile(name, single)
                        .map_err(|message| CliError { message })?;
                }
                let is_list = member_shape.kind == Kind::List;
                value::unpack(member_shape, values, is_list, name)
                    .map_err(|message| CliError { message })?
            }
        };
        request.insert(member.0.to_string(), v);
    }
    let request = Value::Object(request);
    let mut problems = Vec::new();
    value::validate(&request, shape, "", &mut problems);
    if !problems.is_empty() {
        return fail(format!(
            "Parameter validation failed:\n{}",
            problems.join("\n")
        ));
    }
    let mut request = value::serialize(&request, shape);
    if let (Some(token), Value::Object(members)) = (op.idempotency_token, &mut request) {
        if !members.contains_key(token) {
            members.insert(
                token.to_string(),
                Value::String(idempotency_token.to_string()),
            );
        }
    }
    if let (Some(size), true, Value::Object(members)) = (page_size, paginate, &mut request) {
        members.insert("maxResults".to_string(), Value::from(size));
    }
    Ok(CliCall {
        command,
        operation: op.name,
        request,
        paginate,
        max_items,
        region,
    })
}

fn parse_error(name: &str, message: &str) -> CliError {
    CliError {
        message: format!("Error parsing parameter '{name}': {message}"),
    }
}

/// Whether two targets set the same member (`--x` and `--no-x` do).
fn same_member(a: Target, b: Target) -> bool {
    let member = |t: Target| match t {
        Target::Member(m) | Target::Flag(m, _) => Some(m),
        _ => None,
    };
    match (member(a), member(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// `--name=value` as the name and the value.
fn split_inline(word: &str) -> (&str, Option<&str>) {
    match word.split_once('=') {
        Some((name, value)) if name.starts_with("--") => (name, Some(value)),
        _ => (word, None),
    }
}

fn global_value(
    name: &str,
    takes_value: bool,
    inline: Option<&str>,
    texts: &[String],
    i: &mut usize,
) -> Result<Option<String>, CliError> {
    if !takes_value {
        return Ok(None);
    }
    if let Some(v) = inline {
        return Ok(Some(v.to_string()));
    }
    match texts.get(*i) {
        Some(v) if !looks_like_option(v) => {
            *i += 1;
            Ok(Some(v.clone()))
        }
        _ => fail(format!(
            "aws: error: argument {name}: expected one argument"
        )),
    }
}
