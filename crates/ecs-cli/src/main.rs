//! `ecs-playground`: the engine on the command line.
//!
//! A separate crate from the engine so that the engine stays a library with no
//! file system, process or terminal code, which it must not have in the browser.
//! This crate reads files, walks repositories and prints; every ECS answer
//! comes from the engine.

mod check;
mod config;
mod inputs;
mod report;
mod template_vars;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use ecs_engine::document::{classify, DocumentKind};
use ecs_engine::export::{export_bytes, ExportTarget};
use ecs_engine::{analyze_bytes, analyze_request, DocumentAccount, Severity};

use report::Format;

/// Amazon ECS, simulated: validate task definitions and services as AWS
/// would, convert them, and run scenarios on a simulated cluster.
#[derive(Parser)]
#[command(name = "ecs-playground", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate task definitions and services as AWS would: files,
    /// directories (walked recursively, honouring .gitignore), globs, or `-`
    /// for standard input.
    ///
    /// Files found in directories and globs are chosen by content: a JSON or
    /// YAML file holding a task definition or a service (or a template of
    /// one) is checked; others are skipped and counted. Files named
    /// explicitly are always checked. Exit status: 0 when nothing reaches
    /// --fail-on, 1 when something does, 2 when a file cannot be read or the
    /// arguments are wrong.
    Check(CheckArgs),
    /// Print a task definition (any accepted form: register or describe JSON,
    /// a containerDefinitions array, a CloudFormation template in JSON or
    /// YAML) as register-task-definition input, a CloudFormation resource or
    /// a Terraform resource; a service (CreateService input) as a Terraform
    /// resource. Exits 1, printing the diagnostics, if the document has errors.
    Export(ExportArgs),
    /// Run a scenario on the simulated ECS: every call's result, the timeline
    /// and the final clusters, services and tasks.
    Simulate(SimulateArgs),
    /// Compare two task-definition revisions (any accepted form, e.g. a file
    /// and `aws ecs describe-task-definition` output) field by field, and say
    /// whether UpdateService with the second starts a deployment and what
    /// that deployment may do. Exits 0 when they register the same task
    /// definition, 1 when they differ.
    Diff(DiffArgs),
    /// Serve the simulated ECS as a local AWS endpoint that the AWS CLI,
    /// boto3 and Terraform talk to (docs/endpoint.md; `serve --help`).
    #[command(disable_help_flag = true)]
    Serve {
        /// serve's own options: --host, --port, --speed, --clock, --state, --region.
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "OPTION"
        )]
        options: Vec<String>,
    },
    /// Print a shell completion script, e.g.
    /// `ecs-playground completions bash > /etc/bash_completion.d/ecs-playground`.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files, directories, globs (`'infra/**/*.json'`), or `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The lowest severity that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "SEVERITY")]
    pub fail_on: FailOn,
    /// Leave out findings with this code (repeatable); adds to the config file's `ignore`.
    #[arg(long = "ignore", value_name = "CODE")]
    pub ignore: Vec<String>,
    /// Substitute a template variable before checking (repeatable), e.g.
    /// `--var IMAGE=nginx:1.27` for `${IMAGE}`.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = template_vars::parse_assignment)]
    pub vars: Vec<(String, String)>,
    /// Let the environment give `${NAME}` and `{{ must_env `NAME` }}` their values too.
    #[arg(long)]
    pub env: bool,
    /// The config file to use instead of the nearest `.ecs-playground.toml`
    /// from the working directory upward.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Use no config file.
    #[arg(long)]
    pub no_config: bool,
    /// Skip named files that hold no ECS document, as files found by walking
    /// are (what the pre-commit hook uses: it names every changed JSON and YAML file).
    #[arg(long)]
    pub skip_unrelated: bool,
    /// Check files one at a time on one thread (the default uses every core).
    #[arg(long, hide = true)]
    pub sequential: bool,
}

/// The lowest severity that fails the check.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    /// Whether a finding of `severity` fails the check.
    pub fn fails(self, severity: Severity) -> bool {
        let threshold = match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        };
        // Severity orders Error < Warning < Info.
        severity <= threshold
    }
}

#[derive(clap::Args)]
struct ExportArgs {
    /// What to print.
    #[arg(long, value_enum)]
    to: ExportTo,
    /// Substitute a template variable before exporting (repeatable).
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = template_vars::parse_assignment)]
    vars: Vec<(String, String)>,
    /// Let the environment give `${NAME}` and `{{ must_env `NAME` }}` their values too.
    #[arg(long)]
    env: bool,
    /// The task definition, or `-` for standard input.
    file: String,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportTo {
    /// Input for `aws ecs register-task-definition --cli-input-json`.
    Register,
    /// An AWS::ECS::TaskDefinition resource.
    Cloudformation,
    /// An aws_ecs_task_definition resource, an aws_ecs_service resource for
    /// a service (CreateService input), or an aws_ecs_cluster resource (and
    /// aws_ecs_cluster_capacity_providers) for a cluster (CreateCluster input), in HCL.
    Terraform,
}

#[derive(clap::Args)]
struct DiffArgs {
    /// The revision the service runs now, or `-` for standard input.
    before: String,
    /// The revision to update it to.
    after: String,
    /// The service's desiredCount.
    #[arg(long, default_value_t = 1)]
    desired_count: u32,
    /// The service's deploymentConfiguration.minimumHealthyPercent.
    #[arg(long, default_value_t = 100)]
    minimum_healthy_percent: u32,
    /// The service's deploymentConfiguration.maximumPercent.
    #[arg(long, default_value_t = 200)]
    maximum_percent: u32,
    /// How to print the comparison.
    #[arg(long, value_enum, default_value_t = SimulateFormat::Text)]
    format: SimulateFormat,
}

#[derive(clap::Args)]
struct SimulateArgs {
    /// Stop at this time: seconds, or a duration such as 90s, 10m, 1h.
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
    /// How to print the run.
    #[arg(long, value_enum, default_value_t = SimulateFormat::Text)]
    format: SimulateFormat,
    /// The scenario file.
    scenario: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum SimulateFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Export(args) => export(&args),
        Command::Simulate(args) => simulate(&args),
        Command::Diff(args) => diff(&args),
        Command::Serve { options } => serve(&options),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "ecs-playground",
                &mut std::io::stdout(),
            );
            Ok(ExitCode::SUCCESS)
        }
    };
    result.unwrap_or_else(|message| {
        eprintln!("ecs-playground: {message}");
        ExitCode::from(2)
    })
}

fn simulate(args: &SimulateArgs) -> Result<ExitCode, String> {
    let until = match &args.until {
        None => None,
        Some(value) => {
            let parsed = match value.parse::<f64>() {
                Ok(seconds) => serde_json::json!(seconds),
                Err(_) => serde_json::json!(value),
            };
            Some(
                ecs_engine::sim::scenario::parse_time(&parsed)
                    .map_err(|e| format!("--until: {e}"))?,
            )
        }
    };
    let file = args.scenario.display();
    let text = std::fs::read_to_string(&args.scenario).map_err(|e| format!("{file}: {e}"))?;
    let scenario =
        ecs_engine::sim::scenario::Scenario::parse(&text).map_err(|e| format!("{file}: {e}"))?;
    let run = scenario.run(until);
    let output = match args.format {
        SimulateFormat::Text => run.to_text(),
        SimulateFormat::Json => {
            serde_json::to_string_pretty(&run).map_err(|e| e.to_string())? + "\n"
        }
    };
    std::io::stdout()
        .write_all(output.as_bytes())
        .map_err(|e| format!("writing output: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

fn export(args: &ExportArgs) -> Result<ExitCode, String> {
    let file = &args.file;
    let bytes = match inputs::read_argument(file) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("ecs-playground: cannot read {file}: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let values = template_vars::Values {
        vars: &args.vars,
        environment: args.env,
    };
    let bytes = template_vars::apply(bytes, &values);
    let target = match args.to {
        ExportTo::Register => ExportTarget::Register,
        ExportTo::Cloudformation => ExportTarget::CloudFormation,
        ExportTo::Terraform => ExportTarget::Terraform,
    };
    let text = std::str::from_utf8(&bytes).unwrap_or("");
    if target == ExportTarget::Terraform {
        match classify(text) {
            DocumentKind::Service => {
                return export_request_to_terraform(
                    file,
                    text,
                    "CreateService",
                    ecs_engine::export::terraform::service,
                )
            }
            DocumentKind::Unrelated if is_create_cluster(text) => {
                return export_request_to_terraform(
                    file,
                    text,
                    "CreateCluster",
                    ecs_engine::export::terraform::cluster,
                )
            }
            _ => {}
        }
    }
    let source = inputs::Source::File(PathBuf::from(file));
    let beside = |name: &str| inputs::read_beside(&source, name);
    let exported = match std::str::from_utf8(&bytes) {
        Ok(text) => ecs_engine::export::export_with(text, target, &beside),
        Err(_) => export_bytes(&bytes, target),
    };
    match exported {
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
            let mut out = std::io::stdout().lock();
            report::text::write_file(&mut out, file, &analysis.diagnostics);
            Ok(ExitCode::from(1))
        }
    }
}

/// CreateCluster input: a JSON object naming `clusterName` (and, being
/// unclassified, no task definition or service).
fn is_create_cluster(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok_and(|value| {
        value
            .get("clusterName")
            .is_some_and(serde_json::Value::is_string)
    })
}

/// A service (CreateService input) as an `aws_ecs_service` resource, or a
/// cluster (CreateCluster input) as `aws_ecs_cluster`, unless the API would
/// reject it.
fn export_request_to_terraform(
    file: &str,
    text: &str,
    operation: &str,
    write: fn(&serde_json::Value) -> String,
) -> Result<ExitCode, String> {
    let analysis = analyze_request(operation, text, &DocumentAccount::default());
    let mut out = std::io::stdout().lock();
    if analysis.error_count() > 0 {
        report::text::write_file(&mut out, file, &analysis.diagnostics);
        return Ok(ExitCode::from(1));
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("{file}: {e}"))?;
    let _ = out.write_all(write(&value).as_bytes());
    Ok(ExitCode::SUCCESS)
}

fn diff(args: &DiffArgs) -> Result<ExitCode, String> {
    let read = |name: &str| -> Result<String, String> {
        let bytes = inputs::read_argument(name).map_err(|e| format!("cannot read {name}: {e}"))?;
        String::from_utf8(bytes).map_err(|_| format!("{name} is not UTF-8 text"))
    };
    let (before, after) = (read(&args.before)?, read(&args.after)?);
    let rollout = ecs_engine::diff::Rollout {
        desired_count: args.desired_count,
        minimum_healthy_percent: args.minimum_healthy_percent,
        maximum_percent: args.maximum_percent,
    };
    let diff = ecs_engine::diff::diff_task_definitions(&before, &after, rollout).map_err(|e| {
        // The engine names the documents "first" and "second".
        match (e.strip_prefix("first: "), e.strip_prefix("second: ")) {
            (Some(rest), _) => format!("{}: {rest}", args.before),
            (_, Some(rest)) => format!("{}: {rest}", args.after),
            _ => e,
        }
    })?;
    let mut out = std::io::stdout().lock();
    let shown = |value: &Option<serde_json::Value>| {
        value
            .as_ref()
            .map_or_else(|| "(absent)".to_string(), |v| v.to_string())
    };
    match args.format {
        SimulateFormat::Json => {
            let text = serde_json::to_string_pretty(&diff).map_err(|e| e.to_string())?;
            let _ = writeln!(out, "{text}");
        }
        SimulateFormat::Text => {
            for change in &diff.changes {
                let _ = writeln!(
                    out,
                    "{}: {} -> {}",
                    change.path,
                    shown(&change.before),
                    shown(&change.after)
                );
            }
            let _ = writeln!(out, "UpdateService: {}", diff.explanation);
            if let Some(plan) = &diff.deployment {
                let _ = writeln!(out, "Deployment: {}", plan.summary);
            }
        }
    }
    Ok(ExitCode::from(u8::from(diff.starts_deployment)))
}

/// `serve`: the simulated ECS as a local AWS endpoint (crates/ecs-server),
/// which parses its own options so that they stay beside the server.
fn serve(args: &[String]) -> Result<ExitCode, String> {
    if args.iter().any(|a| a == "--help" || a == "-h") {
        print!("{}", ecs_server::USAGE);
        return Ok(ExitCode::SUCCESS);
    }
    let options = ecs_server::ServeOptions::from_args(args)?;
    ecs_server::run(options)?;
    Ok(ExitCode::SUCCESS)
}
