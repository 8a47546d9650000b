//! `check`'s output formats, one module each. Each writes the whole outcome
//! to one stream; the human summary goes to standard error separately.

pub mod github;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod text;

use std::io::{self, Write};

use clap::ValueEnum;

use crate::check::Outcome;
use crate::FailOn;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `file:line:col: severity[code]: message`, one finding a line.
    Text,
    /// One JSON array of findings.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML: a test suite per file, a test case per finding.
    Junit,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
}

pub fn write(
    format: Format,
    out: &mut impl Write,
    outcome: &Outcome,
    fail_on: FailOn,
) -> io::Result<()> {
    match format {
        Format::Text => text::write(out, outcome),
        Format::Json => json::write(out, outcome),
        Format::Sarif => sarif::write(out, outcome),
        Format::Junit => junit::write(out, outcome, fail_on),
        Format::Github => github::write(out, outcome),
    }
}
