//! `check`: every document the arguments name, checked by the engine in
//! parallel, then reported in one format with one exit status.

use std::process::ExitCode;

use ecs_engine::document::{self, classify_parsed, Classified, DocumentKind};
use ecs_engine::{analyze_bytes, analyze_request, Diagnostic, DocumentAccount, Severity};
use rayon::prelude::*;

use crate::config::Config;
use crate::inputs::{self, Input};
use crate::{report, template_vars, CheckArgs, FailOn};

/// One checked document and what the engine found in it.
#[derive(Debug)]
pub struct Checked {
    pub name: String,
    pub kind: DocumentKind,
    pub diagnostics: Vec<Diagnostic>,
}

/// Everything a check found, in the order of the arguments.
#[derive(Debug, Default)]
pub struct Outcome {
    pub checked: Vec<Checked>,
    /// Files found by walking that hold no ECS document (or are not JSON, YAML or a template).
    pub skipped: usize,
    /// Files that could not be read, with the reason.
    pub unreadable: Vec<(String, String)>,
}

impl Outcome {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics()
            .filter(|d| d.severity == severity)
            .count()
    }

    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.checked.iter().flat_map(|c| c.diagnostics.iter())
    }

    /// 0 when nothing reaches `fail_on`, 1 when something does, 2 when a file could not be read.
    pub fn exit_code(&self, fail_on: FailOn) -> u8 {
        if !self.unreadable.is_empty() {
            2
        } else if self.diagnostics().any(|d| fail_on.fails(d.severity)) {
            1
        } else {
            0
        }
    }
}

/// What happened to one input.
enum Handled {
    Checked(Checked),
    Skipped,
    Unreadable(String, String),
}

pub fn run(args: &CheckArgs) -> Result<ExitCode, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("working directory: {e}"))?;
    let config = match (&args.config, args.no_config) {
        (_, true) => Config::empty(),
        // Absolute, so that its exclusions compare with the absolute paths walked.
        (Some(path), false) => Config::load(&cwd.join(path))?,
        (None, false) => Config::discover(&cwd)?,
    };
    let mut expanded = inputs::expand(&args.paths, &cwd, &config);
    if args.skip_unrelated {
        for input in &mut expanded.inputs {
            input.explicit = false;
        }
    }
    let mut ignored: Vec<&str> = config.ignored_codes.iter().map(String::as_str).collect();
    ignored.extend(args.ignore.iter().map(String::as_str));
    let values = template_vars::Values {
        vars: &args.vars,
        environment: args.env,
    };
    let check_one = |input: &Input| check_input(input, &values, &ignored);
    let results: Vec<Handled> = if args.sequential {
        expanded.inputs.iter().map(check_one).collect()
    } else {
        expanded.inputs.par_iter().map(check_one).collect()
    };

    let mut outcome = Outcome {
        skipped: expanded.skipped_by_name,
        ..Outcome::default()
    };
    for result in results {
        match result {
            Handled::Checked(checked) => outcome.checked.push(checked),
            Handled::Skipped => outcome.skipped += 1,
            Handled::Unreadable(name, reason) => outcome.unreadable.push((name, reason)),
        }
    }
    for problem in &expanded.problems {
        eprintln!("ecs-playground: {problem}");
    }
    for (name, reason) in &outcome.unreadable {
        eprintln!("ecs-playground: cannot read {name}: {reason}");
    }
    let mut out = std::io::stdout().lock();
    report::write(args.format, &mut out, &outcome, args.fail_on)
        .map_err(|e| format!("writing output: {e}"))?;
    let settings = config
        .source
        .as_ref()
        .map(|path| format!(" (settings from {})", path.display()))
        .unwrap_or_default();
    eprintln!("ecs-playground: {}{settings}", summary(&outcome));
    let code = if expanded.problems.is_empty() {
        outcome.exit_code(args.fail_on)
    } else {
        2
    };
    Ok(ExitCode::from(code))
}

fn check_input(input: &Input, values: &template_vars::Values<'_>, ignored: &[&str]) -> Handled {
    let bytes = match inputs::read(&input.source) {
        Ok(bytes) => bytes,
        Err(e) => return Handled::Unreadable(input.name.clone(), e.to_string()),
    };
    let classified = match std::str::from_utf8(&bytes) {
        Ok(text) => classify_parsed(text),
        Err(_) => Classified {
            kind: DocumentKind::Unrelated,
            parsed: None,
        },
    };
    let kind = classified.kind;
    let beside = |name: &str| inputs::read_beside(&input.source, name);
    let analysis = match (kind, std::str::from_utf8(&bytes)) {
        // Named explicitly: the user says it is a task definition, so say what is wrong with it.
        (DocumentKind::Unrelated, _) if input.explicit => analyze_bytes(&bytes),
        (DocumentKind::Unrelated, _) => return Handled::Skipped,
        // As written: the check takes the tree classification parsed.
        (_, Ok(text)) if values.is_empty() => match document::check(text, classified, &beside) {
            Some(analysis) => analysis,
            None => return Handled::Skipped,
        },
        // With values for its placeholders, a template is checked as rendered,
        // its findings pointing into the template.
        (DocumentKind::TaskDefinition, _) => {
            ecs_engine::analyze_template_bytes(&bytes, &|var| values.lookup(var))
        }
        (DocumentKind::Service, _) => {
            let bytes = template_vars::apply(bytes, values);
            let text = String::from_utf8_lossy(&bytes);
            analyze_request("CreateService", &text, &DocumentAccount::default())
        }
        (DocumentKind::Terraform, _) => {
            let bytes = template_vars::apply(bytes, values);
            let text = String::from_utf8_lossy(&bytes);
            ecs_engine::analysis::analyze_terraform(&text, &beside)
        }
    };
    let mut diagnostics = analysis.diagnostics;
    diagnostics.retain(|d| !ignored.contains(&d.code.as_str()));
    Handled::Checked(Checked {
        name: input.name.clone(),
        kind,
        diagnostics,
    })
}

/// One line for people: what was checked, skipped and found.
pub fn summary(outcome: &Outcome) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let of_kind = |kind| outcome.checked.iter().filter(|c| c.kind == kind).count();
    let mut line = format!("checked {}", plural(outcome.checked.len(), "file", "files"));
    let kinds: Vec<String> = [
        (
            DocumentKind::TaskDefinition,
            "task definition",
            "task definitions",
        ),
        (DocumentKind::Service, "service", "services"),
        (DocumentKind::Terraform, "Terraform file", "Terraform files"),
    ]
    .into_iter()
    .map(|(kind, one, many)| (of_kind(kind), one, many))
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| plural(n, one, many))
    .collect();
    if kinds.len() > 1 {
        line += &format!(" ({})", kinds.join(", "));
    }
    line += &format!(
        ", skipped {} with no ECS document; {}, {}, {}",
        outcome.skipped,
        plural(outcome.count(Severity::Error), "error", "errors"),
        plural(outcome.count(Severity::Warning), "warning", "warnings"),
        plural(outcome.count(Severity::Info), "note", "notes"),
    );
    if !outcome.unreadable.is_empty() {
        line += &format!("; {} unreadable", outcome.unreadable.len());
    }
    line
}
