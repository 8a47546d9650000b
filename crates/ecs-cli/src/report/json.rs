//! One JSON array of every finding, each with its file and 1-based range.

use std::io::{self, Write};

use ecs_engine::{Fix, Severity};
use serde::Serialize;

use crate::check::Outcome;

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
    fix: Option<&'a Fix>,
}

pub fn write(out: &mut impl Write, outcome: &Outcome) -> io::Result<()> {
    let all: Vec<JsonDiagnostic<'_>> = outcome
        .checked
        .iter()
        .flat_map(|checked| {
            checked.diagnostics.iter().map(|d| JsonDiagnostic {
                file: &checked.name,
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
    serde_json::to_writer_pretty(&mut *out, &all)?;
    writeln!(out)
}
