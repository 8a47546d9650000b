//! Positions in the user's text.
//!
//! The engine works in byte offsets internally and converts to line and
//! column only at the edge, where a diagnostic is reported. Columns count
//! Unicode scalar values (what a person sees as characters); `offset_utf16`
//! is what a browser text control uses for selections.

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: clamp_u32(start),
            end: clamp_u32(end.max(start)),
        }
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A point in the text, 1-based like every editor shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Position {
    pub line: u32,
    pub column: u32,
    /// Offset from the start of the text in UTF-16 code units.
    pub offset_utf16: u32,
}

/// A located range, as diagnostics carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextRange {
    pub start: Position,
    pub end: Position,
}

/// Maps byte offsets to positions. Built once per text.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset at which each line starts.
    line_starts: Vec<usize>,
    /// Character and UTF-16 counts at regular byte offsets; empty for ASCII
    /// text, where both equal the byte offset. Each lookup then scans at most
    /// one stride, however long the lines and however many diagnostics.
    checkpoints: Vec<Checkpoint>,
}

#[derive(Clone, Copy)]
struct Checkpoint {
    byte: usize,
    chars: usize,
    utf16: usize,
}

const CHECKPOINT_STRIDE: usize = 4096;

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut checkpoints = Vec::new();
        if !text.is_ascii() {
            let mut at = Checkpoint {
                byte: 0,
                chars: 0,
                utf16: 0,
            };
            checkpoints.push(at);
            while at.byte < text.len() {
                let next = ceil_char_boundary(text, at.byte + CHECKPOINT_STRIDE);
                let chunk = &text[at.byte..next];
                at = Checkpoint {
                    byte: next,
                    chars: at.chars + chunk.chars().count(),
                    utf16: at.utf16 + chunk.encode_utf16().count(),
                };
                checkpoints.push(at);
            }
        }
        LineIndex {
            text,
            line_starts,
            checkpoints,
        }
    }

    /// (characters, UTF-16 units) before a byte offset on a character boundary.
    fn counts(&self, offset: usize) -> (usize, usize) {
        let i = match self.checkpoints.binary_search_by_key(&offset, |c| c.byte) {
            Ok(i) => i,
            Err(0) => return (offset, offset),
            Err(i) => i - 1,
        };
        let Some(base) = self.checkpoints.get(i) else {
            return (offset, offset);
        };
        let rest = &self.text[base.byte..offset];
        (
            base.chars + rest.chars().count(),
            base.utf16 + rest.encode_utf16().count(),
        )
    }

    pub fn position(&self, byte_offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, byte_offset.min(self.text.len()));
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line_idx];
        let (chars, offset_utf16) = self.counts(offset);
        let (line_start_chars, _) = self.counts(line_start);
        Position {
            line: clamp_u32(line_idx + 1),
            column: clamp_u32(chars - line_start_chars + 1),
            offset_utf16: clamp_u32(offset_utf16),
        }
    }

    pub fn range(&self, span: Span) -> TextRange {
        TextRange {
            start: self.position(span.start as usize),
            end: self.position(span.end as usize),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `text` with every character but ASCII letters, digits, `-` and `_` made a
/// `-`: the one form of a name taken from the user's text for a file or a
/// volume (export file names, Compose bind-mount volumes).
pub fn dashed_name(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The byte offset in `text` of a UTF-16 offset (a browser's selection),
/// clamped to the text and never inside a character.
pub fn byte_offset_of_utf16(text: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in text.char_indices() {
        units += c.len_utf16() as u32;
        if units > utf16 {
            return i;
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let text = "{\n  \"é\": 1\n}";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0).line, 1);
        assert_eq!(index.position(0).column, 1);
        // The `1` after the two-byte é is at line 2, column 8.
        let one = text.find('1').unwrap();
        let p = index.position(one);
        assert_eq!((p.line, p.column), (2, 8));
        assert_eq!(p.offset_utf16 as usize, text[..one].encode_utf16().count());
    }

    #[test]
    fn positions_agree_with_counting_from_the_start_in_long_mixed_text() {
        let text = "aé\u{1F600}\nb".repeat(3000);
        let index = LineIndex::new(&text);
        for offset in (0..text.len())
            .step_by(997)
            .filter(|&i| text.is_char_boundary(i))
        {
            let p = index.position(offset);
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            assert_eq!(
                p.offset_utf16 as usize,
                text[..offset].encode_utf16().count()
            );
            assert_eq!(
                p.column as usize,
                text[line_start..offset].chars().count() + 1
            );
        }
    }

    #[test]
    fn utf16_offsets_map_back_to_bytes() {
        let text = "aé😀b";
        for (utf16, byte) in [(0, 0), (1, 1), (2, 3), (3, 3), (4, 7), (5, 8), (99, 8)] {
            assert_eq!(byte_offset_of_utf16(text, utf16), byte, "utf16 {utf16}");
        }
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let index = LineIndex::new("ab");
        let p = index.position(99);
        assert_eq!((p.line, p.column), (1, 3));
    }

    #[test]
    fn a_span_never_runs_backwards() {
        let s = Span::new(5, 2);
        assert_eq!((s.start, s.end), (5, 5));
        assert!(s.is_empty());
    }
}
