//! A command line split into words as a POSIX shell quotes them (Python's
//! `shlex.split`): single quotes keep everything, double quotes keep all but
//! `\"`, `\\`, `\$` and `` \` ``, a backslash outside quotes escapes the next
//! character. There is no shell here, so what a shell would expand or run
//! (`$NAME`, `` `cmd` ``, pipes, redirections, `;`, `&`) is refused rather than
//! passed on as text the user did not mean.

/// One word: its text after quoting, and the byte range it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Why a line cannot be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    UnclosedQuote(char),
    /// A character that a shell would treat as an operator or expansion.
    Shell(char),
}

impl SplitError {
    pub fn message(&self) -> String {
        match self {
            SplitError::UnclosedQuote(q) => format!("No closing quotation: a {q} is left open."),
            SplitError::Shell('$') | SplitError::Shell('`') => {
                "There is no shell here to expand $variables or `commands`: write the value itself \
                 (or put a literal $ in single quotes)."
                    .to_string()
            }
            SplitError::Shell(c) => format!(
                "There is no shell here: pipes, redirections and command lists ({c}) are not \
                 available. Quote the {c} if it is part of a value."
            ),
        }
    }
}

/// How a split ended, for completion: inside an open quote or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tail {
    Closed,
    Open(char),
}

/// The words of `line`; an error for an unclosed quote or a shell operator.
pub fn split(line: &str) -> Result<Vec<Word>, SplitError> {
    let (words, tail, refused) = split_lenient(line);
    if let Some(c) = refused {
        return Err(SplitError::Shell(c));
    }
    match tail {
        Tail::Open(q) => Err(SplitError::UnclosedQuote(q)),
        Tail::Closed => Ok(words),
    }
}

/// The words of `line` as far as they go: an open quote ends the last word,
/// and the first character a shell would act on is reported, not fatal.
pub fn split_lenient(line: &str) -> (Vec<Word>, Tail, Option<char>) {
    let mut words = Vec::new();
    let mut refused = None;
    let mut chars = line.char_indices().peekable();
    let mut current: Option<Word> = None;
    let mut tail = Tail::Closed;
    while let Some((i, c)) = chars.next() {
        let word_end = i + c.len_utf8();
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if let Some(w) = current.take() {
                    words.push(w);
                }
                continue;
            }
            _ => {}
        }
        let word = current.get_or_insert_with(|| Word {
            text: String::new(),
            start: i,
            end: i,
        });
        match c {
            '\'' => {
                let mut closed = false;
                for (j, d) in chars.by_ref() {
                    word.end = j + d.len_utf8();
                    if d == '\'' {
                        closed = true;
                        break;
                    }
                    word.text.push(d);
                }
                if !closed {
                    tail = Tail::Open('\'');
                    word.end = line.len();
                }
            }
            '"' => {
                let mut closed = false;
                while let Some((j, d)) = chars.next() {
                    word.end = j + d.len_utf8();
                    match d {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\\' => match chars.peek().copied() {
                            Some((k, e @ ('"' | '\\' | '$' | '`'))) => {
                                chars.next();
                                word.text.push(e);
                                word.end = k + e.len_utf8();
                            }
                            Some((k, '\n')) => {
                                chars.next();
                                word.end = k + 1;
                            }
                            _ => word.text.push('\\'),
                        },
                        '$' | '`' => {
                            refused.get_or_insert(d);
                            word.text.push(d);
                        }
                        _ => word.text.push(d),
                    }
                }
                if !closed {
                    tail = Tail::Open('"');
                    word.end = line.len();
                }
            }
            '\\' => match chars.next() {
                Some((j, '\n')) => word.end = j + 1,
                Some((j, d)) => {
                    word.text.push(d);
                    word.end = j + d.len_utf8();
                }
                None => word.end = word_end,
            },
            '$' | '`' | '|' | '&' | ';' | '<' | '>' | '(' | ')' => {
                refused.get_or_insert(c);
                word.text.push(c);
                word.end = word_end;
            }
            _ => {
                word.text.push(c);
                word.end = word_end;
            }
        }
    }
    if let Some(w) = current.take() {
        words.push(w);
    }
    (words, tail, refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Result<Vec<String>, SplitError> {
        split(line).map(|w| w.into_iter().map(|w| w.text).collect())
    }

    #[test]
    fn splits_as_shlex_does() {
        let cases: &[(&str, &[&str])] = &[
            ("aws ecs list-clusters", &["aws", "ecs", "list-clusters"]),
            ("  a\t b\n", &["a", "b"]),
            ("--x 'a b' \"c d\"", &["--x", "a b", "c d"]),
            (r#"--x '{"a": 1}'"#, &["--x", r#"{"a": 1}"#]),
            (r#"--x "say \"hi\" \\ \n""#, &["--x", r#"say "hi" \ \n"#]),
            (r"a\ b c\'d", &["a b", "c'd"]),
            ("x='a b'c", &["x=a bc"]),
            ("'it'\\''s'", &["it's"]),
            ("'$HOME'", &["$HOME"]),
            ("a \\\nb", &["a", "b"]),
            ("\"\"", &[""]),
        ];
        for (line, want) in cases {
            assert_eq!(
                texts(line),
                Ok(want.iter().map(|s| s.to_string()).collect()),
                "{line}"
            );
        }
    }

    #[test]
    fn refuses_what_a_shell_would_do_and_open_quotes() {
        for line in [
            "a $X", "a \"$X\"", "a `b`", "a | b", "a > f", "a; b", "a && b", "(a)",
        ] {
            assert!(matches!(split(line), Err(SplitError::Shell(_))), "{line}");
        }
        assert_eq!(split("a 'b"), Err(SplitError::UnclosedQuote('\'')));
        assert_eq!(split("a \"b"), Err(SplitError::UnclosedQuote('"')));
    }

    #[test]
    fn words_keep_their_byte_ranges() {
        let words = split("aws  'ecs' é").unwrap();
        let ranges: Vec<(usize, usize)> = words.iter().map(|w| (w.start, w.end)).collect();
        assert_eq!(ranges, vec![(0, 3), (5, 10), (11, 13)]);
    }
}
