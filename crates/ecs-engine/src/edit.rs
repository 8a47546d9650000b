//! Changing the user's text surgically: removing object members with their
//! commas, and applying byte-span edits. Used by fixes and by export, which
//! keeps everything the user did not ask to change exactly as written.

use crate::json::Node;
use crate::text::Span;

/// Edits that remove the members at `remove` (indices into `object`'s
/// members) so that the object stays valid JSON and keeps its layout: no
/// dangling comma, and the next member takes the removed one's place.
pub fn remove_members(object: &Node, remove: &[usize]) -> Vec<(Span, String)> {
    let members = object.members();
    let removed = |i: usize| remove.contains(&i);
    if members.is_empty() || remove.is_empty() {
        return Vec::new();
    }
    if (0..members.len()).all(removed) {
        // Everything goes: leave `{}`.
        let start = object.span.start as usize + 1;
        let end = (object.span.end as usize).saturating_sub(1).max(start);
        return vec![(Span::new(start, end), String::new())];
    }
    let last_kept = (0..members.len()).rev().find(|&i| !removed(i));
    let mut edits = Vec::new();
    for (i, member) in members.iter().enumerate() {
        if !removed(i) {
            continue;
        }
        let span = match (last_kept, members.get(i + 1)) {
            // A kept member follows somewhere: cut up to the next member's key.
            (Some(k), Some(next)) if k > i => {
                Span::new(member.key_span.start as usize, next.key_span.start as usize)
            }
            // In the trailing run: cut from the end of the previous value.
            _ => match i.checked_sub(1).and_then(|p| members.get(p)) {
                Some(previous) => Span::new(
                    previous.value.span.end as usize,
                    member.value.span.end as usize,
                ),
                None => Span::new(
                    member.key_span.start as usize,
                    member.value.span.end as usize,
                ),
            },
        };
        edits.push((span, String::new()));
    }
    edits
}

/// Applies byte-span edits to `text`. Edits are sorted; one that overlaps an
/// earlier one, or falls outside the text or inside a character, is skipped.
pub fn apply_edits(text: &str, edits: &[(Span, String)]) -> String {
    let mut sorted: Vec<&(Span, String)> = edits.iter().collect();
    crate::order::sort_by_key(&mut sorted, |(span, _)| (span.start, span.end));
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0usize;
    for (span, replacement) in sorted {
        let (start, end) = (span.start as usize, span.end as usize);
        if start < cursor
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(text.get(cursor..start).unwrap_or(""));
        out.push_str(replacement);
        cursor = end;
    }
    out.push_str(text.get(cursor..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn remove(text: &str, keys: &[&str]) -> String {
        let node = parse(text).unwrap();
        let indices: Vec<usize> = node
            .members()
            .iter()
            .enumerate()
            .filter(|(_, m)| keys.contains(&m.key.as_str()))
            .map(|(i, _)| i)
            .collect();
        let out = apply_edits(text, &remove_members(&node, &indices));
        parse(&out).expect("removal keeps the JSON valid");
        out
    }

    #[test]
    fn members_are_removed_with_their_commas() {
        let text = "{\n  \"a\": 1,\n  \"b\": [2],\n  \"c\": {\"x\": 3}\n}";
        let cases: &[(&[&str], &str)] = &[
            (&["a"], "{\n  \"b\": [2],\n  \"c\": {\"x\": 3}\n}"),
            (&["b"], "{\n  \"a\": 1,\n  \"c\": {\"x\": 3}\n}"),
            (&["c"], "{\n  \"a\": 1,\n  \"b\": [2]\n}"),
            (&["b", "c"], "{\n  \"a\": 1\n}"),
            (&["a", "c"], "{\n  \"b\": [2]\n}"),
            (&["a", "b"], "{\n  \"c\": {\"x\": 3}\n}"),
            (&["a", "b", "c"], "{}"),
            (&[], text),
        ];
        for (keys, expected) in cases {
            assert_eq!(&remove(text, keys), expected, "removing {keys:?}");
        }
    }

    #[test]
    fn compact_json_stays_compact() {
        assert_eq!(remove(r#"{"a":1,"b":2}"#, &["a"]), r#"{"b":2}"#);
        assert_eq!(remove(r#"{"a":1,"b":2}"#, &["b"]), r#"{"a":1}"#);
    }

    #[test]
    fn overlapping_and_out_of_range_edits_are_skipped() {
        let edits = vec![
            (Span::new(0, 2), "X".to_string()),
            (Span::new(1, 3), "Y".to_string()),
            (Span::new(7, 9), "Z".to_string()),
        ];
        assert_eq!(apply_edits("abcdef", &edits), "Xcdef");
    }
}
