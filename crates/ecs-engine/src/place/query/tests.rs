use super::*;
use crate::place::rng::SplitMix64;

struct Fixture {
    name: &'static str,
    id: &'static str,
    attributes: &'static [(&'static str, &'static str)],
    connected: bool,
    version: &'static str,
    registered: &'static str,
    running: u32,
    groups: &'static [&'static str],
}

impl QueryContext for Fixture {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
    }
    fn ec2_instance_id(&self) -> Option<&str> {
        Some(self.id)
    }
    fn agent_connected(&self) -> bool {
        self.connected
    }
    fn agent_version(&self) -> &str {
        self.version
    }
    fn registered_at(&self) -> i64 {
        parser::parse_date(self.registered).expect("fixture dates are valid")
    }
    fn running_tasks_count(&self) -> u32 {
        self.running
    }
    fn any_task_group(&self, test: &mut dyn FnMut(&str) -> bool) -> bool {
        self.groups.iter().any(|g| test(g))
    }
}

const FIXTURES: &[Fixture] = &[
    Fixture {
        name: "A",
        id: "i-abcd1234",
        attributes: &[
            ("ecs.instance-type", "t2.small"),
            ("ecs.availability-zone", "us-east-1a"),
            ("stack", "prod"),
        ],
        connected: true,
        version: "1.14.2",
        registered: "2018-01-01",
        running: 1,
        groups: &["service:production"],
    },
    Fixture {
        name: "B",
        id: "i-wxyx7890",
        attributes: &[
            ("ecs.instance-type", "g2.2xlarge"),
            ("ecs.availability-zone", "us-east-1d"),
        ],
        connected: false,
        version: "1.20.0",
        registered: "2018-06-18T22:28:28Z",
        running: 0,
        groups: &[],
    },
    Fixture {
        name: "C",
        id: "i-0000",
        attributes: &[
            ("ecs.instance-type", "t2.medium"),
            ("ecs.availability-zone", "us-east-1b"),
            ("stack", "dev"),
        ],
        connected: true,
        version: "1.14.5",
        registered: "2018-03-01",
        running: 2,
        groups: &["database", "family:web"],
    },
];

const CASES: &str = include_str!("cases.txt");

#[test]
fn every_case_in_the_table_gives_its_expected_result() {
    let mut failures = Vec::new();
    let mut count = 0;
    for (number, line) in CASES.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((expression, expected)) = line.split_once('⇒') else {
            panic!("line {}: missing ⇒", number + 1);
        };
        count += 1;
        let expression = expression.trim();
        let expected = expected.trim();
        let actual = match parse(expression) {
            Ok(query) => FIXTURES
                .iter()
                .filter(|f| query.matches(*f))
                .map(|f| f.name)
                .collect::<Vec<_>>()
                .join(" "),
            Err(err) => format!("error {}: {}", err.column, err.message),
        };
        let ok = match expected.strip_prefix("error ") {
            Some(want) => {
                let (column, fragment) = want.split_once(": ").unwrap_or((want, ""));
                actual.starts_with(&format!("error {column}: ")) && actual.contains(fragment)
            }
            None => actual == expected,
        };
        if !ok {
            failures.push(format!(
                "line {}: `{expression}`\n  expected {expected}\n  got      {actual}",
                number + 1
            ));
        }
    }
    assert!(count > 90, "the case table was not read ({count} cases)");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_false_clause_names_the_part_that_failed() {
    let query = parse("attribute:stack exists and runningTasksCount > 1").unwrap();
    let a = &FIXTURES[0];
    assert_eq!(query.false_clause(a), Some("runningTasksCount > 1"));
    assert_eq!(query.false_clause(&FIXTURES[2]), None);
    let negated = parse("not(task:group == database)").unwrap();
    assert_eq!(
        negated.false_clause(&FIXTURES[2]),
        Some("not(task:group == database)")
    );
}

#[test]
fn an_expression_over_2000_characters_is_refused_at_character_2001() {
    let long = format!("attribute:x == {}", "a".repeat(2000));
    let err = parse(&long).unwrap_err();
    assert_eq!(err.column, 2001);
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep = format!(
        "{}runningTasksCount == 1{}",
        "(".repeat(500),
        ")".repeat(500)
    );
    let err = parse(&deep).unwrap_err();
    assert!(err.message.contains("nests deeper"), "{err}");
    let nots = format!("{}runningTasksCount == 1", "not ".repeat(500));
    assert!(parse(&nots).is_err());
}

/// Random inputs built from the language's own pieces and from stray
/// characters: the parser never panics, every error points inside the input,
/// and every accepted query evaluates.
#[test]
fn random_inputs_never_panic_and_errors_carry_positions() {
    const PIECES: &[&str] = &[
        "attribute:ecs.instance-type",
        "attribute:",
        "task:group",
        "agentVersion",
        "registeredAt",
        "runningTasksCount",
        "agentConnected",
        "ec2InstanceId",
        "==",
        "!=",
        "=~",
        "!~",
        ">",
        ">=",
        "<",
        "<=",
        "in",
        "!in",
        "not_in",
        "exists",
        "!exists",
        "and",
        "or",
        "not",
        "&&",
        "||",
        "!",
        "(",
        ")",
        "[",
        "]",
        ",",
        "'",
        "\"",
        "t2.*",
        "1.14.5",
        "2018-06-18",
        "prod",
        "1",
        "true",
        " ",
        " ",
        " ",
        "=",
        "&",
        "|",
        "é",
        "\\",
        "*",
        "?",
        "{",
        "}",
        "0x",
        "-",
        "日本",
    ];
    let mut rng = SplitMix64::new(0x5eed);
    let mut accepted = 0;
    for _ in 0..20_000 {
        let mut input = if rng.below(2) == 0 {
            grammatical(&mut rng)
        } else {
            let mut soup = String::new();
            for _ in 0..1 + rng.below(12) {
                soup.push_str(PIECES[rng.below(PIECES.len())]);
                if rng.below(2) == 0 {
                    soup.push(' ');
                }
            }
            soup
        };
        // Damage some grammatical inputs: cut out a run of characters.
        if rng.below(3) == 0 {
            let chars: Vec<char> = input.chars().collect();
            let from = rng.below(chars.len() + 1);
            let to = (from + rng.below(4)).min(chars.len());
            input = chars[..from].iter().chain(&chars[to..]).collect();
        }
        match parse(&input) {
            Ok(query) => {
                accepted += 1;
                for fixture in FIXTURES {
                    let held = query.matches(fixture);
                    assert_eq!(held, query.false_clause(fixture).is_none(), "{input}");
                }
            }
            Err(err) => {
                assert!(err.column >= 1, "{input}: {err}");
                assert!(err.span.start <= err.span.end, "{input}: {err}");
                assert!((err.span.end as usize) <= input.len(), "{input}: {err}");
                assert!(
                    input.is_char_boundary(err.span.start as usize),
                    "{input}: {err}"
                );
                assert!(!err.message.is_empty());
            }
        }
    }
    assert!(
        accepted > 3000,
        "the generator produced too few valid queries ({accepted})"
    );
}

/// A random well-formed expression of up to three clauses.
fn grammatical(rng: &mut SplitMix64) -> String {
    const CLAUSES: &[&str] = &[
        "attribute:stack == prod",
        "attribute:ecs.instance-type =~ t2.*",
        "task:group != database",
        "agentVersion >= 1.14.5",
        "registeredAt < 2018-02-13T00:00:00+01:00",
        "runningTasksCount <= 1",
        "ec2InstanceId in ['i-abcd1234', i-0000]",
        "agentConnected equals true",
        "attribute:x !exists",
        "attribute:ecs.availability-zone not_in [us-east-1a, us-east-1b]",
    ];
    let mut out = String::new();
    for i in 0..1 + rng.below(3) {
        if i > 0 {
            out.push_str([" and ", " or ", " && ", " || "][rng.below(4)]);
        }
        let clause = CLAUSES[rng.below(CLAUSES.len())];
        match rng.below(3) {
            0 => out.push_str(&format!("not({clause})")),
            1 => out.push_str(&format!("({clause})")),
            _ => out.push_str(clause),
        }
    }
    out
}
