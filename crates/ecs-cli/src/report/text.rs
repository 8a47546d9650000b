//! `file:line:col: severity[code]: message`, the form compilers print and
//! editors and CI logs link.

use std::io::{self, Write};

use ecs_engine::Diagnostic;

use crate::check::Outcome;

pub fn write(out: &mut impl Write, outcome: &Outcome) -> io::Result<()> {
    for checked in &outcome.checked {
        write_file(out, &checked.name, &checked.diagnostics);
    }
    out.flush()
}

/// One file's findings, one a line.
pub fn write_file(out: &mut impl Write, file: &str, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
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
