//! `ecs-playground`: the engine on the command line.
//!
//! A separate crate from the engine so that the engine stays a library with no
//! file system, process or terminal code, which it must not have in the browser.

use std::io::Write;
use std::process::ExitCode;

use ecs_engine::export::{export_bytes, ExportTarget};
use ecs_engine::{analyze_bytes, Analysis, Severity};
use serde::Serialize;

const USAGE: &str = "\
ecs-playground: Amazon ECS, simulated

Usage:
  ecs-playground check [--format text|json] [--var NAME=VALUE]... [--env] FILE...
      Validate task definitions as AWS would, in any form export accepts.
      Template placeholders (${NAME}, {{ must_env `NAME` }}, $$NAME$$, <name>)
      are checked after substitution: --var gives a value (repeatable), --env
      also reads ${NAME} and must_env/env from the environment.
      Exits 1 if any error is found.
  ecs-playground export --to register|cloudformation FILE
      Print the task definition (any accepted form: register or describe JSON,
      a containerDefinitions array, a CloudFormation template in JSON or YAML)
      as register-task-definition input or as a CloudFormation resource.
      Exits 1, printing the diagnostics, if the document has errors.
  ecs-playground simulate [--until TIME] [--format text|json] SCENARIO.json
      Run a scenario on the simulated ECS: every call's result, the timeline
      and the final clusters, services and tasks. TIME is seconds or a
      duration such as 90s, 10m, 1h.
  ecs-playground --version
  ecs-playground --help
";

/// `serve`: the simulated ECS as a local AWS endpoint (crates/ecs-server).
fn serve(args: &[String]) -> Result<ExitCode, String> {
    if args.iter().any(|a| a == "--help" || a == "-h") {
        print!("{}", ecs_server::USAGE);
        return Ok(ExitCode::SUCCESS);
    }
    let options = ecs_server::ServeOptions::from_args(args)?;
    ecs_server::run(options)?;
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("ecs-playground: {message}");
            eprintln!("Run `ecs-playground --help` for usage.");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    match args.first().map(String::as_str) {
        Some("--version" | "-V") => {
            println!("ecs-playground {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        Some("--help" | "-h" | "help") => {
            print!("{USAGE}{}", ecs_server::USAGE);
            Ok(ExitCode::SUCCESS)
        }
        Some("check") => check(&args[1..]),
        Some("simulate") => simulate(&args[1..]),
        Some("export") => export(&args[1..]),
        Some("serve") => serve(&args[1..]),
        Some(other) => Err(format!("unknown command `{other}`")),
        None => {
            print!("{USAGE}{}", ecs_server::USAGE);
            Ok(ExitCode::from(2))
        }
    }
}

/// Values for template placeholders: `--var NAME=VALUE` (repeatable) and
/// `--env` (the environment supplies `${NAME}` and ecspresso's must_env/env).
/// The engine renders and maps findings back (`ecs_engine::analyze_template`).
#[derive(Default)]
struct Template {
    vars: Vec<(String, String)>,
    environment: bool,
}

impl Template {
    /// Takes `arg` (and its value from `rest`) if it is a template option.
    fn parse_option<'a>(
        &mut self,
        arg: &str,
        rest: &mut impl Iterator<Item = &'a String>,
    ) -> Result<bool, String> {
        let assignment = match arg {
            "--env" => {
                self.environment = true;
                return Ok(true);
            }
            "--var" => rest.next().ok_or("--var needs NAME=VALUE")?.as_str(),
            other => match other.strip_prefix("--var=") {
                Some(value) => value,
                None => return Ok(false),
            },
        };
        let (name, value) = assignment
            .split_once('=')
            .ok_or_else(|| format!("--var {assignment}: expected NAME=VALUE"))?;
        self.vars.push((name.to_string(), value.to_string()));
        Ok(true)
    }

    fn analyze(&self, bytes: &[u8]) -> Analysis {
        if self.vars.is_empty() && !self.environment {
            return analyze_bytes(bytes);
        }
        ecs_engine::analyze_template_bytes(bytes, &|var| {
            let given = self.vars.iter().rev().find(|(name, _)| name == var.name);
            given.map(|(_, value)| value.clone()).or_else(|| {
                (self.environment && var.from_environment)
                    .then(|| std::env::var(var.name).ok())
                    .flatten()
            })
        })
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Text,
    Json,
}

/// One diagnostic as `check --format json` prints it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonDiagnostic<'a> {
    file: &'a str,
    code: &'a str,
    severity: Severity,
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
    fix: Option<&'a ecs_engine::Fix>,
}

fn check(args: &[String]) -> Result<ExitCode, String> {
    let mut format = Format::Text;
    let mut files = Vec::new();
    let mut template = Template::default();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if template.parse_option(arg, &mut rest)? {
            continue;
        }
        let value = match arg.as_str() {
            "--format" => Some(
                rest.next()
                    .cloned()
                    .ok_or("--format needs a value: text or json")?,
            ),
            flag => flag.strip_prefix("--format=").map(str::to_string),
        };
        if let Some(value) = value {
            format = match value.as_str() {
                "text" => Format::Text,
                "json" => Format::Json,
                other => return Err(format!("unknown format `{other}` (expected text or json)")),
            };
            continue;
        }
        match arg.as_str() {
            flag if flag.starts_with('-') && flag != "-" => {
                return Err(format!("unknown option `{flag}`"))
            }
            file => files.push(file.to_string()),
        }
    }
    if files.is_empty() {
        return Err("check needs at least one FILE".into());
    }

    let mut any_error = false;
    let mut unreadable = false;
    let mut results = Vec::new();
    for file in &files {
        match read_input(file) {
            Ok(bytes) => {
                let analysis = template.analyze(&bytes);
                any_error |= analysis.error_count() > 0;
                results.push((file.as_str(), analysis));
            }
            Err(e) => {
                eprintln!("ecs-playground: cannot read {file}: {e}");
                unreadable = true;
            }
        }
    }

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Text => {
            for (file, analysis) in &results {
                print_text(&mut out, file, analysis);
            }
        }
        Format::Json => {
            let all: Vec<JsonDiagnostic<'_>> = results
                .iter()
                .flat_map(|(file, analysis)| {
                    analysis.diagnostics.iter().map(move |d| JsonDiagnostic {
                        file,
                        code: &d.code,
                        severity: d.severity,
                        path: &d.path,
                        line: d.range.start.line,
                        column: d.range.start.column,
                        end_line: d.range.end.line,
                        end_column: d.range.end.column,
                        message: &d.message,
                        fix: d.fix.as_ref(),
                    })
                })
                .collect();
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&all).unwrap_or_else(|_| "[]".into())
            );
        }
    }
    Ok(if unreadable {
        ExitCode::from(2)
    } else if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn simulate(args: &[String]) -> Result<ExitCode, String> {
    let mut format = Format::Text;
    let mut until = None;
    let mut file = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--format" => {
                format = match rest.next().map(String::as_str) {
                    Some("text") => Format::Text,
                    Some("json") => Format::Json,
                    other => return Err(format!("--format takes text or json, not {other:?}")),
                }
            }
            "--until" => {
                let value = rest
                    .next()
                    .ok_or("--until needs a time such as 600 or 10m")?;
                let parsed = match value.parse::<f64>() {
                    Ok(seconds) => serde_json::json!(seconds),
                    Err(_) => serde_json::json!(value),
                };
                until = Some(
                    ecs_engine::sim::scenario::parse_time(&parsed)
                        .map_err(|e| format!("--until: {e}"))?,
                );
            }
            other if other.starts_with("--") => return Err(format!("unknown option `{other}`")),
            other => {
                if file.replace(other.to_string()).is_some() {
                    return Err("simulate takes one scenario file".into());
                }
            }
        }
    }
    let file = file.ok_or("simulate needs a scenario file")?;
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{file}: {e}"))?;
    let scenario =
        ecs_engine::sim::scenario::Scenario::parse(&text).map_err(|e| format!("{file}: {e}"))?;
    let run = scenario.run(until);
    let output = match format {
        Format::Text => run.to_text(),
        Format::Json => serde_json::to_string_pretty(&run).map_err(|e| e.to_string())? + "\n",
    };
    std::io::stdout()
        .write_all(output.as_bytes())
        .map_err(|e| format!("writing output: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

fn read_input(file: &str) -> std::io::Result<Vec<u8>> {
    if file == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map(|_| buf)
    } else {
        std::fs::read(file)
    }
}

/// `file:line:column: severity[code]: message`, one diagnostic a line.
fn print_text(out: &mut impl Write, file: &str, analysis: &Analysis) {
    for d in &analysis.diagnostics {
        let _ = writeln!(
            out,
            "{file}:{}:{}: {}[{}]: {}",
            d.range.start.line,
            d.range.start.column,
            d.severity.as_str(),
            d.code,
            d.message
        );
    }
}

fn export(args: &[String]) -> Result<ExitCode, String> {
    let mut target = None;
    let mut file = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let value = match arg.as_str() {
            "--to" => Some(
                rest.next()
                    .cloned()
                    .ok_or("--to needs a value: register or cloudformation")?,
            ),
            flag => flag.strip_prefix("--to=").map(str::to_string),
        };
        if let Some(value) = value {
            target = Some(match value.as_str() {
                "register" => ExportTarget::Register,
                "cloudformation" => ExportTarget::CloudFormation,
                other => {
                    return Err(format!(
                        "unknown export target `{other}` (expected register or cloudformation)"
                    ))
                }
            });
            continue;
        }
        match arg.as_str() {
            flag if flag.starts_with('-') && flag != "-" => {
                return Err(format!("unknown option `{flag}`"))
            }
            name if file.is_none() => file = Some(name.to_string()),
            _ => return Err("export takes one FILE".into()),
        }
    }
    let target = target.ok_or("export needs --to register or --to cloudformation")?;
    let file = file.ok_or("export needs a FILE")?;
    let bytes = match read_input(&file) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("ecs-playground: cannot read {file}: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    match export_bytes(&bytes, target) {
        Ok(text) => {
            print!("{text}");
            if target == ExportTarget::Register {
                // Functions CloudFormation would evaluate are copied as written:
                // say so, on stderr so that stdout stays the document.
                let analysis = analyze_bytes(&bytes);
                let mut err = std::io::stderr().lock();
                for d in analysis
                    .diagnostics
                    .iter()
                    .filter(|d| d.code == "cloudformation-intrinsic")
                {
                    let _ = writeln!(
                        err,
                        "{file}:{}:{}: note: {} is copied as written; replace it with its value before registering",
                        d.range.start.line, d.range.start.column, d.path
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(analysis) => {
            print_text(&mut std::io::stdout().lock(), &file, &analysis);
            Ok(ExitCode::from(1))
        }
    }
}
