//! The patterns of `=~` / `matches`: a small regular-expression matcher.
//!
//! ECS documents Java regular expressions for these clauses; attribute values
//! are short (instance types, zones, ids), so this covers the syntax people
//! write there — literals, `.`, classes (`[a-z0-9]`, `[^…]`, `\d \w \s` and
//! their negations), groups (`(…)`, `(?:…)`), `|`, the quantifiers
//! `* + ? {n} {n,} {n,m}` (a trailing `?` or `+` for lazy or possessive
//! forms is accepted and changes nothing for a yes/no match), and `^ $`. The
//! whole value must match. Matching simulates all alternatives at once (a
//! Pike VM without captures), so its time is linear in the value's length
//! times the pattern's size, and nothing recurses while matching.
//! It replaces a general regex crate, which cost about 9 KB of the browser
//! build's first load.

/// Deepest nesting of groups a pattern may have.
const NEST_LIMIT: usize = 64;
/// Largest compiled program, in instructions.
const SIZE_LIMIT: usize = 20_000;
/// Largest bound of a counted repetition.
const REPEAT_LIMIT: u32 = 1000;

#[derive(Debug, Clone)]
pub(crate) struct Regex {
    program: Vec<Inst>,
}

#[derive(Debug, Clone)]
enum Inst {
    Char(char),
    /// Any character but a line break.
    Any,
    Class(Class),
    /// Try both: the first, then the second.
    Split(usize, usize),
    Jump(usize),
    AssertStart,
    AssertEnd,
    Match,
}

#[derive(Debug, Clone, PartialEq)]
struct Class {
    negated: bool,
    items: Vec<ClassItem>,
}

#[derive(Debug, Clone, PartialEq)]
enum ClassItem {
    Range(char, char),
    /// Everything outside these ranges (`\D`, `\W`, `\S`).
    Outside(&'static [(char, char)]),
}

impl Class {
    fn matches(&self, c: char) -> bool {
        let inside = self.items.iter().any(|item| match item {
            ClassItem::Range(from, to) => (*from..=*to).contains(&c),
            ClassItem::Outside(ranges) => !in_ranges(ranges, c),
        });
        inside != self.negated
    }
}

fn in_ranges(ranges: &[(char, char)], c: char) -> bool {
    ranges.iter().any(|(from, to)| (*from..=*to).contains(&c))
}

const DIGIT: &[(char, char)] = &[('0', '9')];
const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
const SPACE: &[(char, char)] = &[('\t', '\r'), (' ', ' ')];

#[derive(Debug, Clone)]
enum Node {
    Empty,
    Char(char),
    Any,
    Class(Class),
    Start,
    End,
    Concat(Vec<Node>),
    Alternation(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

impl Regex {
    /// Compiles `pattern`, or says in a short sentence why it does not compile.
    pub(crate) fn new(pattern: &str) -> Result<Regex, String> {
        let mut parser = Parser {
            chars: pattern.chars().collect(),
            at: 0,
        };
        let node = parser.alternation(0)?;
        if parser.at < parser.chars.len() {
            // The only thing that stops an alternation early is a `)`.
            return Err("found a closing ')' without a matching '('".into());
        }
        let mut program = Vec::new();
        compile(&node, &mut program)?;
        program.push(Inst::Match);
        Ok(Regex { program })
    }

    /// Whether the whole of `text` matches.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let mut threads = Threads::new(self.program.len());
        let mut next = Threads::new(self.program.len());
        let count = text.chars().count();
        threads.add(&self.program, 0, 0, count);
        for (position, c) in text.chars().enumerate() {
            if threads.list.is_empty() {
                return false;
            }
            next.clear();
            for &pc in &threads.list {
                let advance = match self.program.get(pc) {
                    Some(Inst::Char(want)) => *want == c,
                    Some(Inst::Any) => c != '\n',
                    Some(Inst::Class(class)) => class.matches(c),
                    _ => false,
                };
                if advance {
                    next.add(&self.program, pc + 1, position + 1, count);
                }
            }
            std::mem::swap(&mut threads, &mut next);
        }
        threads
            .list
            .iter()
            .any(|&pc| matches!(self.program.get(pc), Some(Inst::Match)))
    }
}

/// The instructions waiting for the next character, each once.
struct Threads {
    list: Vec<usize>,
    seen: Vec<bool>,
    stack: Vec<usize>,
}

impl Threads {
    fn new(size: usize) -> Threads {
        Threads {
            list: Vec::new(),
            seen: vec![false; size],
            stack: Vec::new(),
        }
    }

    fn clear(&mut self) {
        self.list.clear();
        self.seen.iter_mut().for_each(|s| *s = false);
    }

    /// Adds `pc` and everything reachable from it without reading a character.
    fn add(&mut self, program: &[Inst], pc: usize, position: usize, count: usize) {
        self.stack.push(pc);
        while let Some(pc) = self.stack.pop() {
            match self.seen.get_mut(pc) {
                Some(seen) if !*seen => *seen = true,
                _ => continue,
            }
            match program.get(pc) {
                Some(Inst::Split(first, second)) => {
                    self.stack.push(*second);
                    self.stack.push(*first);
                }
                Some(Inst::Jump(to)) => self.stack.push(*to),
                Some(Inst::AssertStart) if position == 0 => self.stack.push(pc + 1),
                Some(Inst::AssertEnd) if position == count => self.stack.push(pc + 1),
                Some(Inst::AssertStart | Inst::AssertEnd) | None => {}
                Some(_) => self.list.push(pc),
            }
        }
    }
}

fn compile(node: &Node, program: &mut Vec<Inst>) -> Result<(), String> {
    if program.len() > SIZE_LIMIT {
        return Err("the pattern is too large".into());
    }
    match node {
        Node::Empty => {}
        Node::Char(c) => program.push(Inst::Char(*c)),
        Node::Any => program.push(Inst::Any),
        Node::Class(class) => program.push(Inst::Class(class.clone())),
        Node::Start => program.push(Inst::AssertStart),
        Node::End => program.push(Inst::AssertEnd),
        Node::Concat(nodes) => {
            for n in nodes {
                compile(n, program)?;
            }
        }
        Node::Alternation(branches) => {
            // split L1, next; L1: branch; jump end; next: split …
            let mut jumps = Vec::new();
            for (i, branch) in branches.iter().enumerate() {
                if i + 1 < branches.len() {
                    let split = program.len();
                    program.push(Inst::Split(split + 1, 0));
                    compile(branch, program)?;
                    jumps.push(program.len());
                    program.push(Inst::Jump(0));
                    let next = program.len();
                    program[split] = Inst::Split(split + 1, next);
                } else {
                    compile(branch, program)?;
                }
            }
            let end = program.len();
            for jump in jumps {
                program[jump] = Inst::Jump(end);
            }
        }
        Node::Repeat { node, min, max } => {
            for _ in 0..*min {
                compile(node, program)?;
            }
            match max {
                None => {
                    // loop: split body, end; body; jump loop
                    let split = program.len();
                    program.push(Inst::Split(split + 1, 0));
                    compile(node, program)?;
                    program.push(Inst::Jump(split));
                    let end = program.len();
                    program[split] = Inst::Split(split + 1, end);
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(program.len());
                        program.push(Inst::Split(0, 0));
                        compile(node, program)?;
                    }
                    let end = program.len();
                    for split in splits {
                        program[split] = Inst::Split(split + 1, end);
                    }
                }
            }
        }
    }
    if program.len() > SIZE_LIMIT {
        return Err("the pattern is too large".into());
    }
    Ok(())
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.peek() == Some(c);
        if found {
            self.at += 1;
        }
        found
    }

    fn alternation(&mut self, depth: usize) -> Result<Node, String> {
        if depth > NEST_LIMIT {
            return Err("the pattern nests groups too deeply".into());
        }
        let mut branches = vec![self.concat(depth)?];
        while self.eat('|') {
            branches.push(self.concat(depth)?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alternation(branches)
        })
    }

    fn concat(&mut self, depth: usize) -> Result<Node, String> {
        let mut nodes = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom(depth)?;
            nodes.push(self.quantified(atom)?);
        }
        Ok(Node::Concat(nodes))
    }

    fn atom(&mut self, depth: usize) -> Result<Node, String> {
        let Some(c) = self.peek() else {
            return Ok(Node::Empty);
        };
        self.at += 1;
        Ok(match c {
            '.' => Node::Any,
            '^' => Node::Start,
            '$' => Node::End,
            '(' => {
                if self.eat('?') && !self.eat(':') {
                    return Err(
                        "only plain groups `(…)` and `(?:…)` are supported, not flags or look-arounds"
                            .into(),
                    );
                }
                let inner = self.alternation(depth + 1)?;
                if !self.eat(')') {
                    return Err("found an open group without a closing ')'".into());
                }
                inner
            }
            '[' => Node::Class(self.class()?),
            '\\' => match self.escape()? {
                Escaped::Char(c) => Node::Char(c),
                Escaped::Class(class) => Node::Class(class),
            },
            '*' | '+' | '?' => {
                return Err("a repetition operator must follow something to repeat".into())
            }
            '{' if self.counted_ahead() => {
                return Err("a counted repetition must follow something to repeat".into())
            }
            c => Node::Char(c),
        })
    }

    /// Whether the text from here (after a `{`) reads as `n}`, `n,}` or `n,m}`.
    fn counted_ahead(&self) -> bool {
        let rest: String = self.chars[self.at.min(self.chars.len())..]
            .iter()
            .take_while(|c| **c != '}')
            .collect();
        !rest.is_empty()
            && rest.chars().all(|c| c.is_ascii_digit() || c == ',')
            && rest.starts_with(|c: char| c.is_ascii_digit())
            && self.chars.get(self.at + rest.chars().count()) == Some(&'}')
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, String> {
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                self.at += 1;
                if !self.counted_ahead() {
                    // A `{` that is not a count is a literal, as in Java.
                    self.at -= 1;
                    return Ok(atom);
                }
                self.at -= 1;
                let (min, max) = self.counted()?;
                return self.finish_repeat(atom, min, max);
            }
            _ => return Ok(atom),
        };
        self.at += 1;
        self.finish_repeat(atom, min, max)
    }

    fn finish_repeat(&mut self, atom: Node, min: u32, max: Option<u32>) -> Result<Node, String> {
        // Lazy (`*?`) and possessive (`*+`) forms match the same values.
        if matches!(self.peek(), Some('?' | '+')) {
            self.at += 1;
        }
        if matches!(self.peek(), Some('*' | '+' | '?')) {
            return Err("a repetition operator cannot follow another one".into());
        }
        if matches!(atom, Node::Start | Node::End) {
            return Err("an anchor cannot be repeated".into());
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }

    /// Reads `{n}`, `{n,}` or `{n,m}` (known to be well formed).
    fn counted(&mut self) -> Result<(u32, Option<u32>), String> {
        self.at += 1; // {
        let number = |parser: &mut Parser| -> Result<Option<u32>, String> {
            let mut digits = String::new();
            while let Some(c) = parser.peek().filter(char::is_ascii_digit) {
                digits.push(c);
                parser.at += 1;
            }
            if digits.is_empty() {
                return Ok(None);
            }
            match digits.parse::<u32>() {
                Ok(n) if n <= REPEAT_LIMIT => Ok(Some(n)),
                _ => Err(format!(
                    "a counted repetition may be at most {{{REPEAT_LIMIT}}}"
                )),
            }
        };
        let min = number(self)?.unwrap_or(0);
        let max = if self.eat(',') {
            number(self)?
        } else {
            Some(min)
        };
        if !self.eat('}') {
            return Err("found a counted repetition that is not closed with '}'".into());
        }
        if max.is_some_and(|max| max < min) {
            return Err("a counted repetition {n,m} needs n ≤ m".into());
        }
        Ok((min, max))
    }

    fn class(&mut self) -> Result<Class, String> {
        let negated = self.eat('^');
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err("found a character class without a closing ']'".into());
            };
            self.at += 1;
            if c == ']' && !first {
                break;
            }
            first = false;
            let from = if c == '\\' {
                match self.escape()? {
                    Escaped::Char(c) => c,
                    Escaped::Class(class) => {
                        items.extend(class.items);
                        continue;
                    }
                }
            } else {
                c
            };
            // `a-z`, unless the `-` ends the class.
            if self.peek() == Some('-') && self.chars.get(self.at + 1).is_some_and(|c| *c != ']') {
                self.at += 1;
                let Some(to) = self.peek() else {
                    return Err("found a character class without a closing ']'".into());
                };
                self.at += 1;
                let to = if to == '\\' {
                    match self.escape()? {
                        Escaped::Char(c) => c,
                        Escaped::Class(_) => {
                            return Err("a class range cannot end in \\d, \\w or \\s".into())
                        }
                    }
                } else {
                    to
                };
                if to < from {
                    return Err(format!("the class range {from}-{to} is backwards"));
                }
                items.push(ClassItem::Range(from, to));
            } else {
                items.push(ClassItem::Range(from, from));
            }
        }
        Ok(Class { negated, items })
    }

    /// Reads what follows a `\`.
    fn escape(&mut self) -> Result<Escaped, String> {
        let Some(c) = self.peek() else {
            return Err("the pattern ends with a lone '\\'".into());
        };
        self.at += 1;
        let class = |ranges: &'static [(char, char)], negated: bool| {
            let item = if negated {
                ClassItem::Outside(ranges)
            } else {
                ClassItem::Range(ranges[0].0, ranges[0].1)
            };
            let mut items = vec![item];
            if !negated {
                items.extend(ranges[1..].iter().map(|(a, b)| ClassItem::Range(*a, *b)));
            }
            Escaped::Class(Class {
                negated: false,
                items,
            })
        };
        Ok(match c {
            'd' => class(DIGIT, false),
            'D' => class(DIGIT, true),
            'w' => class(WORD, false),
            'W' => class(WORD, true),
            's' => class(SPACE, false),
            'S' => class(SPACE, true),
            't' => Escaped::Char('\t'),
            'n' => Escaped::Char('\n'),
            'r' => Escaped::Char('\r'),
            'f' => Escaped::Char('\u{c}'),
            c if c.is_ascii_alphanumeric() => {
                return Err(format!("the escape \\{c} is not supported"))
            }
            c => Escaped::Char(c),
        })
    }
}

enum Escaped {
    Char(char),
    Class(Class),
}

#[cfg(test)]
mod tests {
    use super::Regex;

    #[test]
    fn patterns_match_whole_values() {
        // (pattern, value, matches)
        let cases: &[(&str, &str, bool)] = &[
            ("t2.*", "t2.micro", true),
            ("t2.*", "t2", true),
            ("t2.*", "at2.micro", false),
            ("t2", "t2.micro", false),
            ("(t2|g2)\\.(small|2xlarge)", "g2.2xlarge", true),
            ("(t2|g2)\\.(small|2xlarge)", "t2.micro", false),
            ("(t2|g2).*", "g2.8xlarge", true),
            ("t2\\.[a-z]+", "t2.nano", true),
            ("t2\\.[a-z]+", "t2.2xlarge", false),
            ("i-[a-z]+[0-9]+", "i-abc123", true),
            ("i-[a-z]+[0-9]+", "i-123", false),
            ("family:.*", "family:web", true),
            ("f.*", "false", true),
            ("[^a-c]x", "dx", true),
            ("[^a-c]x", "bx", false),
            ("[]a]", "]", true),
            ("[a-]", "-", true),
            ("\\d{3}", "123", true),
            ("\\d{3}", "12", false),
            ("\\d{2,}", "1234", true),
            ("\\d{2,3}", "1234", false),
            ("a{0}", "", true),
            ("\\w+", "m5_large9", true),
            ("\\W", "-", true),
            ("\\W", "a", false),
            ("[\\d.]+", "1.14.5", true),
            ("\\s*x", "  x", true),
            ("\\S+", "a b", false),
            ("(?:ab)+", "ababab", true),
            ("(?:ab)+", "aba", false),
            ("a|", "", true),
            ("", "", true),
            ("", "a", false),
            ("^us-east-1[ab]$", "us-east-1b", true),
            ("a^b", "ab", false),
            ("colou?r", "color", true),
            ("a.*?b", "axxb", true),
            ("a*+b", "aab", true),
            ("x{1", "x{1", true),
            ("a{,2}", "a{,2}", true),
            ("(a*)*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", false),
            ("日本.", "日本語", true),
            ("\\.", ".", true),
            ("\\.", "a", false),
            (".", "\n", false),
        ];
        for (pattern, value, expected) in cases {
            let regex = Regex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
            assert_eq!(regex.is_match(value), *expected, "{pattern} on {value:?}");
        }
    }

    #[test]
    fn malformed_patterns_say_why() {
        // (pattern, part of the message)
        let cases: &[(&str, &str)] = &[
            ("(a", "without a closing ')'"),
            ("a)", "without a matching '('"),
            ("*a", "must follow something"),
            ("a**", "cannot follow another"),
            ("{2}", "must follow something"),
            ("[ab", "without a closing ']'"),
            ("[z-a]", "backwards"),
            ("a\\", "lone '\\'"),
            ("\\1", "not supported"),
            ("(?i)a", "not flags"),
            ("a{3,2}", "n ≤ m"),
            ("a{5000}", "at most"),
            ("(a{1000}){1000}", "too large"),
            ("^*", "anchor"),
        ];
        for (pattern, message) in cases {
            match Regex::new(pattern) {
                Ok(_) => panic!("{pattern} compiled"),
                Err(e) => assert!(e.contains(message), "{pattern}: {e}"),
            }
        }
        let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        assert!(Regex::new(&deep).unwrap_err().contains("too deeply"));
    }
}
