//! Tokens of the cluster query language.
//!
//! The lexer has two modes because values are free-form: a regex such as
//! `(m5|c5).*` or a list item such as `us-east-1a` would otherwise be cut at
//! characters that are operators elsewhere. The parser asks for a value exactly
//! where the grammar expects one.

use super::QueryError;
use crate::text::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbol {
    Equal,
    NotEqual,
    Greater,
    GreaterEqual,
    Less,
    LessEqual,
    Match,
    NotMatch,
    Bang,
    AndAnd,
    OrOr,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    Comma,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenKind {
    /// A bare word: a subject, a word operator or a keyword.
    Word(String),
    /// A value read in value mode; `quoted` tells `'a b'` from `a`.
    Value {
        text: String,
        quoted: bool,
    },
    Symbol(Symbol),
    End,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// Characters that end a bare word outside value mode.
fn is_word_char(c: char) -> bool {
    !c.is_whitespace() && !"()[],'\"=!<>&|".contains(c)
}

#[derive(Debug, Clone)]
pub struct Lexer<'a> {
    source: &'a str,
    offset: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(source: &'a str) -> Lexer<'a> {
        Lexer { source, offset: 0 }
    }

    /// Byte offset just after the last token read.
    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn source(&self) -> &'a str {
        self.source
    }

    fn rest(&self) -> &'a str {
        self.source.get(self.offset..).unwrap_or("")
    }

    fn skip_whitespace(&mut self) {
        let rest = self.rest();
        self.offset += rest.len() - rest.trim_start().len();
    }

    /// The next token without consuming it.
    pub fn peek(&self) -> Result<Token, QueryError> {
        self.clone().next_token()
    }

    /// The next token in normal mode.
    pub fn next_token(&mut self) -> Result<Token, QueryError> {
        self.skip_whitespace();
        let start = self.offset;
        let rest = self.rest();
        let Some(first) = rest.chars().next() else {
            return Ok(Token {
                kind: TokenKind::End,
                span: Span::new(start, start),
            });
        };
        let two = rest.get(..2).unwrap_or("");
        let symbol = match two {
            "==" => Some((Symbol::Equal, 2)),
            "!=" => Some((Symbol::NotEqual, 2)),
            ">=" => Some((Symbol::GreaterEqual, 2)),
            "<=" => Some((Symbol::LessEqual, 2)),
            "=~" => Some((Symbol::Match, 2)),
            "!~" => Some((Symbol::NotMatch, 2)),
            "&&" => Some((Symbol::AndAnd, 2)),
            "||" => Some((Symbol::OrOr, 2)),
            _ => match first {
                '>' => Some((Symbol::Greater, 1)),
                '<' => Some((Symbol::Less, 1)),
                '!' => Some((Symbol::Bang, 1)),
                '(' => Some((Symbol::OpenParen, 1)),
                ')' => Some((Symbol::CloseParen, 1)),
                '[' => Some((Symbol::OpenBracket, 1)),
                ']' => Some((Symbol::CloseBracket, 1)),
                ',' => Some((Symbol::Comma, 1)),
                _ => None,
            },
        };
        if let Some((symbol, len)) = symbol {
            self.offset += len;
            return Ok(Token {
                kind: TokenKind::Symbol(symbol),
                span: Span::new(start, start + len),
            });
        }
        let hint = match first {
            '=' => Some("`=` is not an operator; write `==` (or `equals`), or `=~` for a pattern"),
            '&' => Some("`&` is not an operator; write `&&` or `and`"),
            '|' => Some("`|` is not an operator; write `||` or `or`"),
            '\'' | '"' => Some("a quoted value can only follow an operator or sit in a list"),
            _ => None,
        };
        if let Some(hint) = hint {
            return Err(QueryError::new(
                self.source,
                Span::new(start, start + first.len_utf8()),
                hint,
            ));
        }
        let len = rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len());
        self.offset += len;
        Ok(Token {
            kind: TokenKind::Word(rest.get(..len).unwrap_or("").to_string()),
            span: Span::new(start, start + len),
        })
    }

    /// A value where the grammar expects one: `'quoted'`, `"quoted"` or bare.
    /// A bare value runs to whitespace, to a `)` that closes an enclosing
    /// group, and inside a list also to `,` or `]`; brackets and parentheses
    /// inside the value (regex groups and classes) are kept whole.
    /// Returns `None` when there is no value here.
    pub fn value(&mut self, in_list: bool) -> Result<Option<Token>, QueryError> {
        self.skip_whitespace();
        let start = self.offset;
        let rest = self.rest();
        let Some(first) = rest.chars().next() else {
            return Ok(None);
        };
        if first == '\'' || first == '"' {
            let body = rest.get(1..).unwrap_or("");
            let Some(close) = body.find(first) else {
                return Err(QueryError::new(
                    self.source,
                    Span::new(start, start + 1),
                    &format!("this quote is never closed; add a closing {first}"),
                ));
            };
            let text = body.get(..close).unwrap_or("").to_string();
            let len = close + 2;
            self.offset += len;
            return Ok(Some(Token {
                kind: TokenKind::Value { text, quoted: true },
                span: Span::new(start, start + len),
            }));
        }
        let mut depth = 0u32;
        let mut len = rest.len();
        for (i, c) in rest.char_indices() {
            let stop = match c {
                c if c.is_whitespace() => depth == 0,
                '(' | '[' => {
                    depth += 1;
                    false
                }
                ')' | ']' if depth > 0 => {
                    depth -= 1;
                    false
                }
                ')' => true,
                ',' | ']' => in_list,
                _ => false,
            };
            if stop {
                len = i;
                break;
            }
        }
        if len == 0 {
            return Ok(None);
        }
        self.offset += len;
        Ok(Some(Token {
            kind: TokenKind::Value {
                text: rest.get(..len).unwrap_or("").to_string(),
                quoted: false,
            },
            span: Span::new(start, start + len),
        }))
    }
}
