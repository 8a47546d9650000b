//! Findings as data: what validation returns instead of errors.

use serde::{Deserialize, Serialize};

use crate::json::JsonPath;
use crate::text::{LineIndex, Span, TextRange};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// AWS would reject the request.
    Error,
    /// AWS accepts it, but it is very likely a mistake.
    Warning,
    /// Worth knowing; nothing is wrong.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One finding, located in the user's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Stable identifier of the rule, such as `fargate-cpu-memory`.
    pub code: String,
    pub severity: Severity,
    /// Where in the document, like `containerDefinitions[0].memory` (`$` is the root).
    pub path: String,
    pub range: TextRange,
    pub message: String,
    /// The exception AWS raises for this, where it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exception: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

/// A machine-applicable change that resolves a diagnostic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

/// A finding before it is located: byte spans instead of lines and columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub path: JsonPath,
    pub span: Span,
    pub message: String,
    pub exception: Option<&'static str>,
    pub fix: Option<RawFix>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RawFix {
    pub title: String,
    pub edits: Vec<(Span, String)>,
}

impl Finding {
    pub fn locate(&self, index: &LineIndex<'_>) -> Diagnostic {
        Diagnostic {
            code: self.code.to_string(),
            severity: self.severity,
            path: self.path.to_string(),
            range: index.range(self.span),
            message: self.message.clone(),
            exception: self.exception.map(str::to_string),
            fix: self.fix.as_ref().map(|fix| Fix {
                title: fix.title.clone(),
                edits: fix
                    .edits
                    .iter()
                    .map(|(span, new_text)| TextEdit {
                        range: index.range(*span),
                        new_text: new_text.clone(),
                    })
                    .collect(),
            }),
        }
    }
}

/// Applies a fix's edits to `text`. Edits are applied from the end backwards
/// so that earlier offsets stay valid; overlapping edits are skipped.
pub fn apply_fix(text: &str, fix: &Fix) -> String {
    let mut edits: Vec<&TextEdit> = fix.edits.iter().collect();
    crate::order::sort_by_key(&mut edits, |e| {
        std::cmp::Reverse(e.range.start.offset_utf16)
    });
    let mut units: Vec<u16> = text.encode_utf16().collect();
    let mut floor = usize::MAX;
    for edit in edits {
        let start = edit.range.start.offset_utf16 as usize;
        let end = (edit.range.end.offset_utf16 as usize).min(units.len());
        if start > end || end > floor {
            continue;
        }
        units.splice(start..end, edit.new_text.encode_utf16());
        floor = start;
    }
    String::from_utf16_lossy(&units)
}

/// Orders diagnostics as a problems list shows them: by position, then severity.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    crate::order::sort_by(diagnostics, |a, b| {
        (a.range.start.offset_utf16, a.severity, &a.code).cmp(&(
            b.range.start.offset_utf16,
            b.severity,
            &b.code,
        ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_apply_from_the_end_backwards() {
        let text = "ab cd ef";
        let index = LineIndex::new(text);
        let fix = Fix {
            title: "t".into(),
            edits: vec![
                TextEdit {
                    range: index.range(Span::new(0, 2)),
                    new_text: "XYZ".into(),
                },
                TextEdit {
                    range: index.range(Span::new(6, 8)),
                    new_text: "Q".into(),
                },
            ],
        };
        assert_eq!(apply_fix(text, &fix), "XYZ cd Q");
    }
}
