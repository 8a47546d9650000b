//! The AWS CLI's shorthand syntax (`key=value,key2=[a,b],key3={k=v}`), parsed
//! as `awscli/shorthand.py`'s `ShorthandParser` does: purely by syntax, with
//! no model. The model-driven conversions that follow it (a lone value where a
//! list is expected, numbers, booleans) are in `value.rs`.

/// A parsed shorthand value: a string, a list, or keys and values in the
/// order written.
#[derive(Debug, Clone, PartialEq)]
pub enum Shorthand {
    Str(String),
    List(Vec<Shorthand>),
    Map(Vec<(String, Shorthand)>),
}

/// A syntax error, worded as the CLI words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShorthandError(pub String);

/// Python's `\s` (Unicode whitespace, which includes U+001C–U+001F).
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `string.whitespace`, which the parser skips between tokens.
fn is_ascii_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}')
}

// The regexes' character classes (shorthand.py's _START_WORD and friends).
// None of them reaches beyond U+FFFF.
fn starts_word(c: char) -> bool {
    let c = c as u32;
    matches!(c, 0x21 | 0x23..=0x26 | 0x28..=0x2b | 0x2d..=0x3c | 0x3e..=0x5a | 0x5c..=0x7a | 0x7c..=0xffff)
}

fn follows_first(ch: char) -> bool {
    let c = ch as u32;
    is_py_space(ch)
        || matches!(c, 0x21 | 0x23..=0x26 | 0x28..=0x2b | 0x2d..=0x5c | 0x5e..=0x7c | 0x7e..=0xffff)
}

fn follows_second(ch: char) -> bool {
    let c = ch as u32;
    is_py_space(ch) || matches!(c, 0x21 | 0x23..=0x26 | 0x28..=0x2b | 0x2d..=0x3c | 0x3e..=0xffff)
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '#' | '/' | ':')
}

/// Parses one shorthand value (`a=b,c=d`) into its keys and values.
pub fn parse(input: &str) -> Result<Vec<(String, Shorthand)>, ShorthandError> {
    let mut parser = Parser {
        chars: input.chars().collect(),
        index: 0,
    };
    parser.parameter()
}

struct Parser {
    chars: Vec<char>,
    index: usize,
}

/// A failed expectation; `Parser::error` words it.
struct Expected {
    expected: String,
    index: usize,
}

type Step<T> = Result<T, Expected>;

impl Parser {
    fn current(&self) -> Option<char> {
        self.chars.get(self.index).copied()
    }

    fn at_eof(&self) -> bool {
        self.index >= self.chars.len()
    }

    fn error(&self, e: Expected) -> ShorthandError {
        let value: String = self.chars.iter().collect();
        let actual = match self.chars.get(e.index) {
            Some(c) => c.to_string(),
            None => "EOF".to_string(),
        };
        let before: String = self.chars.iter().take(e.index).collect();
        let column = match before.rfind('\n') {
            Some(n) => before[n + 1..].chars().count(),
            None => e.index,
        };
        let (consumed, remaining) = match self.chars.iter().skip(e.index).position(|&c| c == '\n') {
            Some(offset) => {
                let split = e.index + offset;
                (
                    self.chars[..split].iter().collect(),
                    self.chars[split..].iter().collect(),
                )
            }
            None => (value, String::new()),
        };
        ShorthandError(format!(
            "Expected: '{}', received: '{}' for input:\n{}\n{}^{}",
            e.expected,
            actual,
            consumed,
            " ".repeat(column),
            remaining
        ))
    }

    fn parameter(&mut self) -> Result<Vec<(String, Shorthand)>, ShorthandError> {
        let mut params: Vec<(String, Shorthand)> = Vec::new();
        let first = self.keyval().map_err(|e| self.error(e))?;
        params.push(first);
        let mut last_index = self.index;
        while !self.at_eof() {
            self.expect(',', true).map_err(|e| self.error(e))?;
            let (key, value) = self.keyval().map_err(|e| self.error(e))?;
            if params.iter().any(|(k, _)| *k == key) {
                let input: String = self.chars.iter().collect();
                let pointer = " ".repeat(last_index + 1);
                return Err(ShorthandError(format!(
                    "Second instance of key \"{key}\" encountered for input:\n{input}\n{pointer}^\n\
                     This is often because there is a preceding \",\" instead of a space."
                )));
            }
            params.push((key, value));
            last_index = self.index;
        }
        Ok(params)
    }

    fn keyval(&mut self) -> Step<(String, Shorthand)> {
        let key = self.key();
        self.refuse_paramfile()?;
        self.expect('=', true)?;
        let value = self.values()?;
        Ok((key, value))
    }

    /// `key@=file://…` reads a file into the value: not available here.
    fn refuse_paramfile(&mut self) -> Step<()> {
        self.consume_whitespace();
        if self.current() == Some('@') {
            return Err(Expected {
                expected: "= (key@=file:// reads a file, which is not available here)".into(),
                index: self.index,
            });
        }
        Ok(())
    }

    fn key(&mut self) -> String {
        let start = self.index;
        while self.current().is_some_and(is_key_char) {
            self.index += 1;
        }
        self.slice(start, self.index)
    }

    fn slice(&self, start: usize, end: usize) -> String {
        self.chars
            .get(start..end)
            .map(|s| s.iter().collect())
            .unwrap_or_default()
    }

    fn values(&mut self) -> Step<Shorthand> {
        match self.current() {
            None => Ok(Shorthand::Str(String::new())),
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            Some(_) => self.csv_value(),
        }
    }

    fn csv_value(&mut self) -> Step<Shorthand> {
        let first = self.first_value()?;
        self.consume_whitespace();
        if self.current() != Some(',') {
            return Ok(Shorthand::Str(first));
        }
        self.expect(',', true)?;
        let mut list = vec![first.clone()];
        loop {
            match self.second_value_then_comma() {
                Ok((value, true)) => {
                    list.push(value);
                    break;
                }
                Ok((value, false)) => list.push(value),
                Err(e) => {
                    if self.at_eof() {
                        return Err(e);
                    }
                    self.backtrack_to(',');
                    break;
                }
            }
        }
        if list.len() == 1 {
            return Ok(Shorthand::Str(first));
        }
        Ok(Shorthand::List(
            list.into_iter().map(Shorthand::Str).collect(),
        ))
    }

    /// One more value of a comma-separated list and the comma after it;
    /// `true` when the input ended after the value.
    fn second_value_then_comma(&mut self) -> Step<(String, bool)> {
        let value = self.second_value()?;
        self.consume_whitespace();
        if self.at_eof() {
            return Ok((value, true));
        }
        self.expect(',', true)?;
        Ok((value, false))
    }

    fn backtrack_to(&mut self, c: char) {
        while self.index > 0 && self.chars.get(self.index) != Some(&c) {
            self.index -= 1;
        }
    }

    fn explicit_list(&mut self) -> Step<Shorthand> {
        self.expect('[', true)?;
        let mut values = Vec::new();
        while self.current() != Some(']') {
            values.push(self.explicit_values()?);
            self.consume_whitespace();
            if self.current() != Some(']') {
                self.expect(',', false)?;
                self.consume_whitespace();
            }
        }
        self.expect(']', false)?;
        Ok(Shorthand::List(values))
    }

    fn explicit_values(&mut self) -> Step<Shorthand> {
        match self.current() {
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            _ => self.first_value().map(Shorthand::Str),
        }
    }

    fn hash_literal(&mut self) -> Step<Shorthand> {
        self.expect('{', true)?;
        let mut members: Vec<(String, Shorthand)> = Vec::new();
        while self.current() != Some('}') {
            let key = self.key();
            self.refuse_paramfile()?;
            self.expect('=', true)?;
            let value = self.explicit_values()?;
            self.consume_whitespace();
            if self.current() != Some('}') {
                self.expect(',', false)?;
                self.consume_whitespace();
            }
            // A repeated key keeps its first place and takes the last value, as a Python dict does.
            match members.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => members.push((key, value)),
            }
        }
        self.expect('}', false)?;
        Ok(Shorthand::Map(members))
    }

    fn first_value(&mut self) -> Step<String> {
        match self.current() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            _ => Ok(self.unquoted(follows_first).unwrap_or_default()),
        }
    }

    fn second_value(&mut self) -> Step<String> {
        match self.current() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            _ => self.unquoted(follows_second).ok_or(Expected {
                expected: "<second>".into(),
                index: self.index,
            }),
        }
    }

    /// A run of word characters (`\,` is a comma inside the value), trailing
    /// whitespace trimmed; `None` if not even the first character fits.
    fn unquoted(&mut self, follows: fn(char) -> bool) -> Option<String> {
        let start = self.index;
        let mut end = start;
        let mut first = true;
        loop {
            let here = self.chars.get(end).copied();
            if here == Some('\\') && self.chars.get(end + 1) == Some(&',') {
                end += 2;
            } else if here.is_some_and(|c| if first { starts_word(c) } else { follows(c) }) {
                end += 1;
            } else {
                break;
            }
            first = false;
        }
        if end == start {
            return None;
        }
        self.index = end;
        let text = self.slice(start, end).replace("\\,", ",");
        Some(text.trim_end_matches(is_py_space).to_string())
    }

    /// A quoted value: the regex `'(?:\\'|[^'])*'`, whose greedy match ends at
    /// the first quote without a backslash before it, or failing that at the
    /// last escaped one.
    fn quoted(&mut self, quote: char) -> Step<String> {
        let open = self.index;
        let mut close = None;
        let mut last_escaped = None;
        for i in open + 1..self.chars.len() {
            if self.chars.get(i) == Some(&quote) {
                if self.chars.get(i - 1) == Some(&'\\') && i - 1 > open {
                    last_escaped = Some(i);
                } else {
                    close = Some(i);
                    break;
                }
            }
        }
        let Some(close) = close.or(last_escaped) else {
            let name = if quote == '\'' {
                "singled quoted"
            } else {
                "double quoted"
            };
            return Err(Expected {
                expected: format!("<{name}>"),
                index: self.index,
            });
        };
        self.index = close + 1;
        let inner = self.slice(open + 1, close);
        Ok(inner
            .replace(&format!("\\{quote}"), &quote.to_string())
            .replace("\\\\", "\\"))
    }

    fn expect(&mut self, c: char, consume_whitespace: bool) -> Step<()> {
        if consume_whitespace {
            self.consume_whitespace();
        }
        if self.current() != Some(c) {
            return Err(Expected {
                expected: c.to_string(),
                index: self.index,
            });
        }
        self.index += 1;
        if consume_whitespace {
            self.consume_whitespace();
        }
        Ok(())
    }

    fn consume_whitespace(&mut self) {
        while self.current().is_some_and(is_ascii_space) {
            self.index += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Shorthand::{List, Map, Str};
    use super::*;

    fn s(v: &str) -> Shorthand {
        Str(v.to_string())
    }

    fn kv(pairs: &[(&str, Shorthand)]) -> Vec<(String, Shorthand)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn parses_as_the_cli_does() {
        let cases: Vec<(&str, Vec<(String, Shorthand)>)> = vec![
            ("a=b", kv(&[("a", s("b"))])),
            ("a=b,c", kv(&[("a", List(vec![s("b"), s("c")]))])),
            ("a=b,c=d", kv(&[("a", s("b")), ("c", s("d"))])),
            (
                "a=b,c,d=e",
                kv(&[("a", List(vec![s("b"), s("c")])), ("d", s("e"))]),
            ),
            ("a = b , c = d ", kv(&[("a", s("b")), ("c", s("d"))])),
            ("a=", kv(&[("a", s(""))])),
            ("a=[b,c]", kv(&[("a", List(vec![s("b"), s("c")]))])),
            ("a=[]", kv(&[("a", List(vec![]))])),
            (
                "a={b=c,d=[e]}",
                kv(&[("a", Map(kv(&[("b", s("c")), ("d", List(vec![s("e")]))])))]),
            ),
            ("a='x,y',b=\"p=q\"", kv(&[("a", s("x,y")), ("b", s("p=q"))])),
            ("a=x\\,y", kv(&[("a", s("x,y"))])),
            (
                "field=attribute:ecs.availability-zone",
                kv(&[("field", s("attribute:ecs.availability-zone"))]),
            ),
            ("a='it\\'s'", kv(&[("a", s("it's"))])),
            ("a={b=1,b=2}", kv(&[("a", Map(kv(&[("b", s("2"))])))])),
            (
                "expression=attribute:ecs.instance-type =~ t3.*",
                kv(&[("expression", s("attribute:ecs.instance-type =~ t3.*"))]),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input), Ok(want), "{input}");
        }
    }

    #[test]
    fn reports_errors_as_the_cli_does() {
        assert_eq!(
            parse("a").unwrap_err().0,
            "Expected: '=', received: 'EOF' for input:\na\n ^"
        );
        assert!(parse("a=b,a=c")
            .unwrap_err()
            .0
            .starts_with("Second instance of key \"a\""));
        assert!(parse("a=[b").is_err());
        assert!(parse("a={b=c").is_err());
        assert!(parse("a@=file://x")
            .unwrap_err()
            .0
            .contains("not available"));
        assert!(parse("a='open").is_err());
    }
}
