//! JUnit XML, which most CI systems show as a test report: a test suite per
//! checked file, a test case per finding (failed when the finding reaches
//! --fail-on, passed with its message otherwise), and one passing test case
//! for a file with no findings.

use std::io::{self, Write};

use ecs_engine::Diagnostic;

use crate::check::{Checked, Outcome};
use crate::FailOn;

pub fn write(out: &mut impl Write, outcome: &Outcome, fail_on: FailOn) -> io::Result<()> {
    let failing = |c: &Checked| {
        c.diagnostics
            .iter()
            .filter(|d| fail_on.fails(d.severity))
            .count()
    };
    let tests: usize = outcome
        .checked
        .iter()
        .map(|c| c.diagnostics.len().max(1))
        .sum();
    let failures: usize = outcome.checked.iter().map(failing).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="ecs-playground" tests="{tests}" failures="{failures}" errors="0">"#
    )?;
    for checked in &outcome.checked {
        let name = escape(&checked.name);
        writeln!(
            out,
            r#"  <testsuite name="{name}" tests="{}" failures="{}" errors="0">"#,
            checked.diagnostics.len().max(1),
            failing(checked)
        )?;
        if checked.diagnostics.is_empty() {
            writeln!(
                out,
                r#"    <testcase name="no findings" classname="{name}"/>"#
            )?;
        }
        for d in &checked.diagnostics {
            write_case(out, &name, d, fail_on)?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")?;
    out.flush()
}

fn write_case(out: &mut impl Write, file: &str, d: &Diagnostic, fail_on: FailOn) -> io::Result<()> {
    let at = format!("{file}:{}:{}", d.range.start.line, d.range.start.column);
    writeln!(
        out,
        r#"    <testcase name="{}[{}] at {}" classname="{file}" file="{file}" line="{}">"#,
        d.severity.as_str(),
        escape(&d.code),
        at,
        d.range.start.line
    )?;
    let detail = escape(&format!("{at}: {} ({})", d.message, d.path));
    if fail_on.fails(d.severity) {
        writeln!(
            out,
            r#"      <failure message="{}" type="{}">{detail}</failure>"#,
            escape(&d.message),
            escape(&d.code)
        )?;
    } else {
        writeln!(out, "      <system-out>{detail}</system-out>")?;
    }
    writeln!(out, "    </testcase>")
}

/// Text and attribute values: the five XML entities, and control characters
/// XML 1.0 cannot hold replaced.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\t' | '\n' | '\r' => escaped.push(c),
            c if c < ' ' => escaped.push('\u{FFFD}'),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(
            escape("a<b & \"c\"\u{1}"),
            "a&lt;b &amp; &quot;c&quot;\u{FFFD}"
        );
    }
}
