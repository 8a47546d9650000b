//! Recursive-descent parser for the cluster query language.
//!
//! Grammar (ecs-semantics A2, proposed EBNF):
//! ```text
//! expr     := and_expr ( ("||" | "or") and_expr )*
//! and_expr := unary ( ("&&" | "and") unary )*
//! unary    := ("!" | "not") unary | "(" expr ")" | cmp
//! cmp      := subject ( binop value | ("in" | "!in" | "not_in") list
//!                     | "exists" | "!exists" | "not_exists" )
//! list     := "[" value ( "," value )* "]"
//! ```
//! Nesting is bounded by [`MAX_DEPTH`] so hostile input cannot exhaust the stack.

use super::lexer::{Lexer, Symbol, Token, TokenKind};
use super::{
    Comparison, Expr, Operand, Operator, Query, QueryError, Subject, MAX_EXPRESSION_CHARS,
};
use crate::text::Span;

/// Deepest nesting of `(`/`not` accepted.
pub const MAX_DEPTH: u32 = 32;

const SUBJECTS: &str =
    "agentConnected, agentVersion, attribute:NAME, ec2InstanceId, registeredAt, runningTasksCount, task:group";
const OPERATORS: &str =
    "==, !=, >, >=, <, <=, exists, !exists, in, !in, =~, !~ (or their words: equals, not_equals, …)";

/// Parses a cluster query language expression.
pub fn parse(source: &str) -> Result<Query, QueryError> {
    if let Some((cut, _)) = source.char_indices().nth(MAX_EXPRESSION_CHARS) {
        return Err(QueryError::new(
            source,
            Span::new(cut, source.len()),
            &format!(
                "the expression is longer than {MAX_EXPRESSION_CHARS} characters, the most ECS accepts"
            ),
        ));
    }
    if source.trim().is_empty() {
        return Err(QueryError::new(
            source,
            Span::new(0, source.len()),
            "the expression is empty; write a clause such as `attribute:ecs.instance-type == t2.small`",
        ));
    }
    let mut parser = Parser {
        lexer: Lexer::new(source),
        depth: 0,
    };
    let expr = parser.or_expr()?;
    let next = parser.lexer.next_token()?;
    match next.kind {
        TokenKind::End => Ok(Query {
            source: source.to_string(),
            expr,
        }),
        TokenKind::Symbol(Symbol::CloseParen) => {
            Err(parser.error(next.span, "this `)` has no matching `(`"))
        }
        _ => Err(parser.error(
            next.span,
            &format!(
                "unexpected `{}` after a complete clause; join clauses with `and` or `or`",
                parser.text(next.span)
            ),
        )),
    }
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    depth: u32,
}

fn is_keyword(token: &Token, keyword: &str) -> bool {
    matches!(&token.kind, TokenKind::Word(w) if w.eq_ignore_ascii_case(keyword))
}

impl<'a> Parser<'a> {
    fn error(&self, span: Span, message: &str) -> QueryError {
        QueryError::new(self.lexer.source(), span, message)
    }

    fn text(&self, span: Span) -> &'a str {
        self.lexer
            .source()
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    fn or_expr(&mut self) -> Result<Expr, QueryError> {
        let mut parts = vec![self.and_expr()?];
        loop {
            let next = self.lexer.peek()?;
            if next.kind == TokenKind::Symbol(Symbol::OrOr) || is_keyword(&next, "or") {
                self.lexer.next_token()?;
                parts.push(self.and_expr()?);
            } else {
                break;
            }
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and_expr(&mut self) -> Result<Expr, QueryError> {
        let mut parts = vec![self.unary()?];
        loop {
            let next = self.lexer.peek()?;
            if next.kind == TokenKind::Symbol(Symbol::AndAnd) || is_keyword(&next, "and") {
                self.lexer.next_token()?;
                parts.push(self.unary()?);
            } else {
                break;
            }
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn deeper(&mut self, span: Span) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(
                span,
                &format!("the expression nests deeper than {MAX_DEPTH} levels; simplify it"),
            ));
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        let token = self.lexer.next_token()?;
        match &token.kind {
            TokenKind::Symbol(Symbol::Bang) => {
                self.deeper(token.span)?;
                let inner = self.unary()?;
                self.depth -= 1;
                let span = Span::new(token.span.start as usize, self.lexer.offset());
                Ok(Expr::Not(Box::new(inner), span))
            }
            _ if is_keyword(&token, "not") => {
                self.deeper(token.span)?;
                let inner = self.unary()?;
                self.depth -= 1;
                let span = Span::new(token.span.start as usize, self.lexer.offset());
                Ok(Expr::Not(Box::new(inner), span))
            }
            TokenKind::Symbol(Symbol::OpenParen) => {
                self.deeper(token.span)?;
                let inner = self.or_expr()?;
                self.depth -= 1;
                let close = self.lexer.next_token()?;
                if close.kind != TokenKind::Symbol(Symbol::CloseParen) {
                    let found = match close.kind {
                        TokenKind::End => "the end".to_string(),
                        _ => format!("`{}`", self.text(close.span)),
                    };
                    return Err(self.error(
                        token.span,
                        &format!("this `(` is never closed (found {found} where `)` was expected)"),
                    ));
                }
                Ok(inner)
            }
            TokenKind::Word(word) => {
                let word = word.clone();
                self.comparison(&word, token.span)
            }
            TokenKind::End => Err(self.error(
                token.span,
                "the expression ends where a clause was expected, such as `attribute:stack == prod`",
            )),
            _ => Err(self.error(
                token.span,
                &format!(
                    "expected a subject here, found `{}`; subjects are {SUBJECTS}",
                    self.text(token.span)
                ),
            )),
        }
    }

    fn subject(&self, word: &str, span: Span) -> Result<Subject, QueryError> {
        let fixed = [
            ("agentConnected", Subject::AgentConnected),
            ("agentVersion", Subject::AgentVersion),
            ("ec2InstanceId", Subject::Ec2InstanceId),
            ("registeredAt", Subject::RegisteredAt),
            ("runningTasksCount", Subject::RunningTasksCount),
            ("task:group", Subject::TaskGroup),
        ];
        for (name, subject) in &fixed {
            if word == *name {
                return Ok(subject.clone());
            }
        }
        if let Some(name) = word.strip_prefix("attribute:") {
            return match validate_attribute_name(name) {
                Ok(()) => Ok(Subject::Attribute(name.to_string())),
                Err(why) => Err(self.error(span, &why)),
            };
        }
        for (name, _) in &fixed {
            if word.eq_ignore_ascii_case(name) {
                return Err(self.error(
                    span,
                    &format!("unknown subject `{word}`; subjects are case-sensitive: did you mean `{name}`?"),
                ));
            }
        }
        if word.eq_ignore_ascii_case("attribute")
            || word.to_ascii_lowercase().starts_with("attribute:")
        {
            return Err(self.error(
                span,
                "write an attribute as `attribute:NAME`, e.g. `attribute:ecs.instance-type`",
            ));
        }
        Err(self.error(
            span,
            &format!("unknown subject `{word}`; subjects are {SUBJECTS}"),
        ))
    }

    fn operator(&mut self, subject: &Subject) -> Result<(Operator, Span), QueryError> {
        let token = self.lexer.next_token()?;
        let operator = match &token.kind {
            TokenKind::Symbol(symbol) => match symbol {
                Symbol::Equal => Some(Operator::Equal),
                Symbol::NotEqual => Some(Operator::NotEqual),
                Symbol::Greater => Some(Operator::Greater),
                Symbol::GreaterEqual => Some(Operator::GreaterEqual),
                Symbol::Less => Some(Operator::Less),
                Symbol::LessEqual => Some(Operator::LessEqual),
                Symbol::Match => Some(Operator::Match),
                Symbol::NotMatch => Some(Operator::NotMatch),
                Symbol::Bang => {
                    let word = self.lexer.peek()?;
                    let adjacent = word.span.start == token.span.end;
                    let negated = match &word.kind {
                        TokenKind::Word(w) if adjacent && w == "in" => Some(Operator::NotIn),
                        TokenKind::Word(w) if adjacent && w == "exists" => {
                            Some(Operator::NotExists)
                        }
                        _ => None,
                    };
                    let Some(negated) = negated else {
                        return Err(self.error(
                            token.span,
                            "after a subject, `!` must be part of `!=`, `!~`, `!in` or `!exists`",
                        ));
                    };
                    self.lexer.next_token()?;
                    let span = Span::new(token.span.start as usize, word.span.end as usize);
                    return Ok((negated, span));
                }
                _ => None,
            },
            TokenKind::Word(word) => Operator::from_word(word),
            _ => None,
        };
        match operator {
            Some(operator) => Ok((operator, token.span)),
            None => {
                let found = match token.kind {
                    TokenKind::End => "nothing".to_string(),
                    _ => format!("`{}`", self.text(token.span)),
                };
                Err(self.error(
                    token.span,
                    &format!(
                        "`{}` needs an operator after it, found {found}; operators are {OPERATORS}",
                        subject.name()
                    ),
                ))
            }
        }
    }

    fn comparison(&mut self, word: &str, subject_span: Span) -> Result<Expr, QueryError> {
        let subject = self.subject(word, subject_span)?;
        let (operator, operator_span) = self.operator(&subject)?;
        let allowed = subject.allowed();
        if !allowed.contains(&operator) {
            let list: Vec<&str> = allowed.iter().map(|o| o.symbol()).collect();
            return Err(self.error(
                operator_span,
                &format!(
                    "`{}` does not apply to `{}`; it takes {}",
                    operator.symbol(),
                    subject.name(),
                    list.join(", ")
                ),
            ));
        }
        let (operand, end) = match operator {
            Operator::Exists | Operator::NotExists => (Operand::None, operator_span.end),
            Operator::In | Operator::NotIn => self.list(operator)?,
            _ => {
                let Some(value) = self.lexer.value(false)? else {
                    let at = self.lexer.peek()?.span;
                    return Err(self.error(
                        Span::new(
                            operator_span.start as usize,
                            at.end.max(operator_span.end) as usize,
                        ),
                        &format!("`{}` needs a value after it", operator.symbol()),
                    ));
                };
                let TokenKind::Value { text, .. } = value.kind else {
                    return Err(self.error(value.span, "expected a value"));
                };
                (
                    self.operand(&subject, operator, &text, value.span)?,
                    value.span.end,
                )
            }
        };
        Ok(Expr::Compare(Comparison {
            subject,
            operator,
            operand,
            span: Span::new(subject_span.start as usize, end as usize),
        }))
    }

    fn list(&mut self, operator: Operator) -> Result<(Operand, u32), QueryError> {
        let open = self.lexer.next_token()?;
        if open.kind != TokenKind::Symbol(Symbol::OpenBracket) {
            return Err(self.error(
                open.span,
                &format!(
                    "`{}` takes a list such as `[us-east-1a, us-east-1b]`",
                    operator.symbol()
                ),
            ));
        }
        let mut items = Vec::new();
        loop {
            let Some(item) = self.lexer.value(true)? else {
                let at = self.lexer.peek()?.span;
                return Err(self.error(at, "expected a list item here"));
            };
            if let TokenKind::Value { text, .. } = item.kind {
                items.push(text);
            }
            let next = self.lexer.next_token()?;
            match next.kind {
                TokenKind::Symbol(Symbol::Comma) => continue,
                TokenKind::Symbol(Symbol::CloseBracket) => {
                    return Ok((Operand::List(items), next.span.end));
                }
                TokenKind::End => {
                    return Err(
                        self.error(open.span, "this `[` is never closed; end the list with `]`")
                    )
                }
                _ => {
                    return Err(self.error(
                        next.span,
                        "separate list items with `,` and end the list with `]`",
                    ))
                }
            }
        }
    }

    fn operand(
        &self,
        subject: &Subject,
        operator: Operator,
        text: &str,
        span: Span,
    ) -> Result<Operand, QueryError> {
        if matches!(operator, Operator::Match | Operator::NotMatch) {
            return super::pattern::Regex::new(text)
                .map(|regex| Operand::Pattern(super::Pattern::new(regex)))
                .map_err(|err| self.error(span, &format!("this pattern does not compile: {err}")));
        }
        match subject {
            Subject::AgentVersion => parse_version(text).map(Operand::Version).ok_or_else(|| {
                self.error(
                    span,
                    &format!("`{text}` is not an agent version; write numbers with dots, such as 1.14.5"),
                )
            }),
            Subject::RegisteredAt => parse_date(text).map(Operand::Date).ok_or_else(|| {
                self.error(
                    span,
                    &format!(
                        "`{text}` is not a date; write 2018-06-18, 2018-06-18T22:28:28, 2018-06-18T22:28:28Z or 2018-06-18T22:28:28+00:00"
                    ),
                )
            }),
            Subject::RunningTasksCount => text
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .map(Operand::Count)
                .ok_or_else(|| {
                    self.error(span, &format!("`{text}` is not a task count; write a whole number such as 1"))
                }),
            Subject::AgentConnected => {
                if text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false") {
                    Ok(Operand::Text(text.to_ascii_lowercase()))
                } else {
                    Err(self.error(span, &format!("agentConnected is `true` or `false`, not `{text}`")))
                }
            }
            _ => Ok(Operand::Text(text.to_string())),
        }
    }
}

/// Custom attribute names: 1–128 letters, digits, `-`, `_`, `/`, `\`, `.`
/// (ecs-semantics A2).
fn validate_attribute_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("`attribute:` needs a name, e.g. `attribute:ecs.availability-zone`".into());
    }
    if name.chars().count() > 128 {
        return Err("an attribute name has at most 128 characters".into());
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-_/\\.".contains(*c)))
    {
        return Err(format!(
            "`{bad}` cannot appear in an attribute name (letters, digits, -, _, /, \\ and . only)"
        ));
    }
    Ok(())
}

/// `1.14.5` (an optional leading `v`) as numbers; missing parts compare as 0.
pub(crate) fn parse_version(text: &str) -> Option<Vec<u64>> {
    let text = text.strip_prefix('v').unwrap_or(text);
    if text.is_empty() {
        return None;
    }
    text.split('.')
        .map(|part| {
            if part.is_empty() || part.len() > 18 || !part.bytes().all(|b| b.is_ascii_digit()) {
                None
            } else {
                part.parse().ok()
            }
        })
        .collect()
}

/// The four documented date forms, as seconds since the Unix epoch.
pub(crate) fn parse_date(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        if part.bytes().all(|b| b.is_ascii_digit()) && !part.is_empty() {
            part.parse().ok()
        } else {
            None
        }
    };
    if bytes.len() < 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    if bytes.len() == 10 {
        return Some(seconds);
    }
    if bytes.len() < 19
        || bytes.get(10) != Some(&b'T')
        || bytes.get(13) != Some(&b':')
        || bytes.get(16) != Some(&b':')
    {
        return None;
    }
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    seconds += hour * 3600 + minute * 60 + second;
    match text.get(19..)? {
        "" | "Z" => Some(seconds),
        zone if zone.len() == 6 && zone.as_bytes().get(3) == Some(&b':') => {
            let sign = match zone.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            let (zh, zm) = (number(20..22)?, number(23..25)?);
            if zh > 23 || zm > 59 {
                return None;
            }
            Some(seconds - sign * (zh * 3600 + zm * 60))
        }
        _ => None,
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
