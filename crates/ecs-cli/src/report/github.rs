//! GitHub Actions workflow commands: `::error file=…,line=…,col=…::message`,
//! which Actions turns into annotations on the changed lines.

use std::io::{self, Write};

use ecs_engine::Severity;

use crate::check::Outcome;

pub fn write(out: &mut impl Write, outcome: &Outcome) -> io::Result<()> {
    for checked in &outcome.checked {
        for d in &checked.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&checked.name),
                d.range.start.line,
                d.range.start.column,
                d.range.end.line,
                d.range.end.column,
                escape_property(&format!("ecs-playground [{}]", d.code)),
                escape_data(&d.message)
            )?;
        }
    }
    out.flush()
}

/// The message: `%`, CR and LF are escaped (the runner's `escapeData`).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: also `:` and `,`, which separate properties (`escapeProperty`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_in_names_and_messages_are_escaped() {
        assert_eq!(escape_data("50% of a\nb: c"), "50%25 of a%0Ab: c");
        assert_eq!(escape_property("a,b:c%"), "a%2Cb%3Ac%25");
    }
}
