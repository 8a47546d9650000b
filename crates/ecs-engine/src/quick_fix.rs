//! Applying fixes as an editor does: several at once, and as one text change.

use crate::diagnostic::{Diagnostic, Fix, TextEdit};

/// All the diagnostics' fixes that can be applied together, as one fix.
/// Fixes are taken in order; one whose edits overlap an edit already taken
/// is left out whole (it can be applied after the others). Returns the fix
/// and how many diagnostics' fixes it holds; `None` when no diagnostic has one.
pub fn combine_fixes(diagnostics: &[Diagnostic]) -> Option<(Fix, usize)> {
    let mut edits: Vec<TextEdit> = Vec::new();
    let mut count = 0;
    for fix in diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
        let clashes = fix
            .edits
            .iter()
            .any(|new| edits.iter().any(|taken| overlaps(new, taken)));
        if clashes {
            continue;
        }
        edits.extend(fix.edits.iter().cloned());
        count += 1;
    }
    (count > 0).then(|| {
        let title = format!("Apply {count} fix{}", if count == 1 { "" } else { "es" });
        (Fix { title, edits }, count)
    })
}

/// Two edits overlap when their ranges share text, or both insert at the
/// same point (their order would be ambiguous).
fn overlaps(a: &TextEdit, b: &TextEdit) -> bool {
    let (a0, a1) = (a.range.start.offset_utf16, a.range.end.offset_utf16);
    let (b0, b1) = (b.range.start.offset_utf16, b.range.end.offset_utf16);
    (a0 < b1 && b0 < a1) || a0 == b0
}

/// The smallest single replacement that turns `old` into `new`: the UTF-16
/// range of `old` to replace and the text to put there. An editor applies it
/// as one undoable step that moves as little of the text as possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChange {
    pub start_utf16: u32,
    pub end_utf16: u32,
    pub insert: String,
}

pub fn minimal_change(old: &str, new: &str) -> TextChange {
    let prefix: usize = old
        .char_indices()
        .zip(new.chars())
        .take_while(|((_, a), b)| a == b)
        .map(|((_, a), _)| a.len_utf8())
        .sum();
    let (old_rest, new_rest) = (
        old.get(prefix..).unwrap_or(""),
        new.get(prefix..).unwrap_or(""),
    );
    let suffix: usize = old_rest
        .chars()
        .rev()
        .zip(new_rest.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>()
        .min(old_rest.len())
        .min(new_rest.len());
    let utf16 = |s: &str| s.encode_utf16().count() as u32;
    let start = utf16(old.get(..prefix).unwrap_or(""));
    let removed = old_rest.get(..old_rest.len() - suffix).unwrap_or("");
    TextChange {
        start_utf16: start,
        end_utf16: start + utf16(removed),
        insert: new_rest
            .get(..new_rest.len() - suffix)
            .unwrap_or("")
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze_task_definition;
    use crate::diagnostic::apply_fix;

    #[test]
    fn minimal_changes_replace_only_what_differs() {
        // (old, new, expected start, end, insert)
        let cases: &[(&str, &str, u32, u32, &str)] = &[
            ("abc", "abc", 3, 3, ""),
            ("abc", "abXc", 2, 2, "X"),
            ("abc", "ac", 1, 2, ""),
            ("\"fargate\"", "\"FARGATE\"", 1, 8, "FARGATE"),
            ("aaa", "aa", 2, 3, ""),
            ("é😀x", "é😀y", 3, 4, "y"),
            ("", "new", 0, 0, "new"),
        ];
        for (old, new, start, end, insert) in cases {
            let change = minimal_change(old, new);
            assert_eq!(
                (change.start_utf16, change.end_utf16, change.insert.as_str()),
                (*start, *end, *insert),
                "{old:?} -> {new:?}"
            );
            // Applying the change to `old` gives `new`.
            let units: Vec<u16> = old.encode_utf16().collect();
            let mut out = units[..*start as usize].to_vec();
            out.extend(change.insert.encode_utf16());
            out.extend(&units[*end as usize..]);
            assert_eq!(String::from_utf16(&out).unwrap(), *new);
        }
    }

    #[test]
    fn fix_all_applies_every_non_overlapping_fix() {
        let text = r#"{
  "family": "web",
  "networkMode": "AWSVPC",
  "requiresCompatibilities": ["fargate"],
  "cpu": "256",
  "memory": "512",
  "containerDefinitions": [{"name": "a", "image": "nginx", "essential": true}]
}"#;
        let analysis = analyze_task_definition(text);
        let fixable = analysis
            .diagnostics
            .iter()
            .filter(|d| d.fix.is_some())
            .count();
        assert!(fixable >= 2, "{:?}", analysis.diagnostics);
        let (fix, count) = combine_fixes(&analysis.diagnostics).unwrap();
        assert_eq!(count, fixable);
        let fixed = apply_fix(text, &fix);
        assert!(
            fixed.contains("\"awsvpc\"") && fixed.contains("[\"FARGATE\"]"),
            "{fixed}"
        );
        assert!(analyze_task_definition(&fixed)
            .diagnostics
            .iter()
            .all(|d| d.fix.is_none()));
    }

    #[test]
    fn overlapping_fixes_are_left_for_later() {
        let text = "ab";
        let index = crate::text::LineIndex::new(text);
        let diagnostic = |start: usize, end: usize, new_text: &str| Diagnostic {
            code: "x".into(),
            severity: crate::Severity::Error,
            path: "$".into(),
            range: index.range(crate::text::Span::new(start, end)),
            message: String::new(),
            exception: None,
            fix: Some(Fix {
                title: String::new(),
                edits: vec![TextEdit {
                    range: index.range(crate::text::Span::new(start, end)),
                    new_text: new_text.into(),
                }],
            }),
        };
        let diagnostics = [
            diagnostic(0, 2, "XY"),
            diagnostic(1, 2, "Z"),
            diagnostic(2, 2, "!"),
        ];
        let (fix, count) = combine_fixes(&diagnostics).unwrap();
        assert_eq!((fix.title.as_str(), count), ("Apply 2 fixes", 2));
        assert_eq!(apply_fix(text, &fix), "XY!");
        assert_eq!(combine_fixes(&diagnostics[..0]), None);
    }
}
