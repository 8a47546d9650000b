use serde_json::{json, Value};

use super::*;

/// Parses a path written like `a.b[0].c` (keys are identifiers here).
fn path(text: &str) -> JsonPath {
    let mut path = JsonPath::root();
    for part in text.split('.').filter(|p| !p.is_empty()) {
        let mut pieces = part.split('[');
        if let Some(key) = pieces.next().filter(|k| !k.is_empty()) {
            path = path.key(key);
        }
        for index in pieces {
            path = path.index(index.trim_end_matches(']').parse().expect("index"));
        }
    }
    path
}

enum Op {
    Set(&'static str, Value),
    Insert(&'static str, usize, Value),
    Remove(&'static str),
    Rename(&'static str, &'static str),
    Move(&'static str, usize, usize),
}

fn apply(text: &str, op: &Op) -> Result<Edited, EditError> {
    match op {
        Op::Set(p, v) => set(text, &path(p), v),
        Op::Insert(p, i, v) => insert(text, &path(p), *i, v),
        Op::Remove(p) => remove(text, &path(p)),
        Op::Rename(p, k) => rename(text, &path(p), k),
        Op::Move(p, from, to) => move_item(text, &path(p), *from, *to),
    }
}

/// Input text, edit, expected output text.
fn cases() -> Vec<(&'static str, &'static str, Op, &'static str)> {
    vec![
        (
            "replace a scalar",
            "{\n  \"a\": 1,\n  \"b\": 2\n}",
            Op::Set("b", json!(3)),
            "{\n  \"a\": 1,\n  \"b\": 3\n}",
        ),
        (
            "replace a string with unicode",
            "{\"name\": \"caf\u{e9}\", \"x\": 1}",
            Op::Set("name", json!("\u{1f680} r\u{e9}sum\u{e9}")),
            "{\"name\": \"\u{1f680} r\u{e9}sum\u{e9}\", \"x\": 1}",
        ),
        (
            "add a member to an indented object",
            "{\n  \"a\": 1\n}\n",
            Op::Set("b", json!("x")),
            "{\n  \"a\": 1,\n  \"b\": \"x\"\n}\n",
        ),
        (
            "add a member to a minified object",
            "{\"a\":1,\"b\":2}",
            Op::Set("c", json!(true)),
            "{\"a\":1,\"b\":2,\"c\":true}",
        ),
        (
            "add a member to an object with tabs",
            "{\n\t\"a\": {\n\t\t\"b\": 1\n\t}\n}",
            Op::Set("a.c", json!([1, 2])),
            "{\n\t\"a\": {\n\t\t\"b\": 1,\n\t\t\"c\": [\n\t\t\t1,\n\t\t\t2\n\t\t]\n\t}\n}",
        ),
        (
            "CRLF documents get CRLF",
            "{\r\n  \"a\": {}\r\n}\r\n",
            Op::Set("a.b", json!({"c": 1})),
            "{\r\n  \"a\": {\r\n    \"b\": {\r\n      \"c\": 1\r\n    }\r\n  }\r\n}\r\n",
        ),
        (
            "trailing spaces outside the edit stay",
            "{  \n  \"a\": 1,   \n  \"b\": 2 \n}",
            Op::Set("a", json!(10)),
            "{  \n  \"a\": 10,   \n  \"b\": 2 \n}",
        ),
        (
            "create missing parents",
            "{\n  \"family\": \"x\"\n}",
            Op::Set("runtimePlatform.cpuArchitecture", json!("ARM64")),
            "{\n  \"family\": \"x\",\n  \"runtimePlatform\": {\n    \"cpuArchitecture\": \"ARM64\"\n  }\n}",
        ),
        (
            "create a missing array through index 0",
            "{\"a\": 1}",
            Op::Set("list[0].name", json!("n")),
            "{\"a\": 1, \"list\": [{ \"name\": \"n\" }]}",
        ),
        (
            "a null on the way is replaced",
            "{\n  \"healthCheck\": null\n}",
            Op::Set("healthCheck.retries", json!(3)),
            "{\n  \"healthCheck\": {\n    \"retries\": 3\n  }\n}",
        ),
        (
            "append to an inline array in an indented document",
            "{\n  \"c\": [\"EC2\"]\n}",
            Op::Set("c[1]", json!("FARGATE")),
            "{\n  \"c\": [\"EC2\", \"FARGATE\"]\n}",
        ),
        (
            "append to an empty array in an indented document",
            "{\n  \"c\": []\n}",
            Op::Insert("c", 0, json!({"a": 1})),
            "{\n  \"c\": [\n    {\n      \"a\": 1\n    }\n  ]\n}",
        ),
        (
            "insert before the first item",
            "[\n  1,\n  2\n]",
            Op::Insert("", 0, json!(0)),
            "[\n  0,\n  1,\n  2\n]",
        ),
        (
            "insert in the middle of an inline array",
            "[1, 3]",
            Op::Insert("", 1, json!(2)),
            "[1, 2, 3]",
        ),
        (
            "insert into a missing array creates it",
            "{\"a\": 1}",
            Op::Insert("env", 0, json!({"name": "A", "value": "1"})),
            "{\"a\": 1, \"env\": [{ \"name\": \"A\", \"value\": \"1\" }]}",
        ),
        (
            "remove a middle member with its comma",
            "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3\n}",
            Op::Remove("b"),
            "{\n  \"a\": 1,\n  \"c\": 3\n}",
        ),
        (
            "remove the last member and the comma before it",
            "{\n  \"a\": 1,\n  \"b\": 2\n}",
            Op::Remove("b"),
            "{\n  \"a\": 1\n}",
        ),
        (
            "remove the first member",
            "{\"a\":1,\"b\":2}",
            Op::Remove("a"),
            "{\"b\":2}",
        ),
        (
            "remove the only member",
            "{\n  \"a\": {\n    \"b\": 1\n  }\n}",
            Op::Remove("a.b"),
            "{\n  \"a\": {}\n}",
        ),
        (
            "remove an array item",
            "{\"p\": [{\"x\": 1}, {\"x\": 2}, {\"x\": 3}]}",
            Op::Remove("p[1]"),
            "{\"p\": [{\"x\": 1}, {\"x\": 3}]}",
        ),
        (
            "remove every duplicate of a key",
            "{\"a\": 1, \"b\": 2, \"a\": 3}",
            Op::Remove("a"),
            "{\"b\": 2}",
        ),
        (
            "rename a key",
            "{\n  \"memory\": 512,\n  \"cpu\": 1\n}",
            Op::Rename("memory", "memoryReservation"),
            "{\n  \"memoryReservation\": 512,\n  \"cpu\": 1\n}",
        ),
        (
            "move an item up keeps its inner formatting",
            "{\n  \"c\": [\n    { \"name\": \"a\" },\n    {\n      \"name\": \"b\"\n    }\n  ]\n}",
            Op::Move("c", 1, 0),
            "{\n  \"c\": [\n    {\n      \"name\": \"b\"\n    },\n    { \"name\": \"a\" }\n  ]\n}",
        ),
        (
            "move the first item to the end",
            "[1, 2, 3]",
            Op::Move("", 0, 2),
            "[2, 3, 1]",
        ),
        (
            "replace the root",
            "[1, 2]",
            Op::Set("", json!({"a": "b"})),
            "{ \"a\": \"b\" }",
        ),
        (
            "replace an object in an indented document keeps its indentation",
            "{\n  \"o\": 1\n}",
            Op::Set("o", json!({"k": [true]})),
            "{\n  \"o\": {\n    \"k\": [\n      true\n    ]\n  }\n}",
        ),
        (
            "replacing an inline array keeps it inline",
            "{\n  \"zones\": [\"a\", \"b\"],\n  \"n\": 1\n}",
            Op::Set("zones", json!(["a", "d", "e"])),
            "{\n  \"zones\": [\"a\", \"d\", \"e\"],\n  \"n\": 1\n}",
        ),
        (
            "keys and strings are escaped",
            "{}",
            Op::Set("we\"ird", json!("<img src=x onerror=alert(1)>\n")),
            "{\"we\\\"ird\": \"<img src=x onerror=alert(1)>\\n\"}",
        ),
    ]
}

#[test]
fn edits_give_the_expected_text() {
    for (name, input, op, expected) in cases() {
        let edited = apply(input, &op).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(edited.text, expected, "{name}");
        assert!(parse(&edited.text).is_ok(), "{name}: result parses");
        let (s, e) = (edited.replaced.start as usize, edited.replaced.end as usize);
        assert_eq!(&edited.text[..s], &input[..s], "{name}: prefix kept");
        assert_eq!(
            &edited.text[edited.range.end as usize..],
            &input[e..],
            "{name}: suffix kept"
        );
    }
}

#[test]
fn errors_are_typed() {
    let cases: Vec<(&str, Op, EditError)> = vec![
        (
            "{\"a\": ",
            Op::Set("a", json!(1)),
            EditError::Syntax(parse("{\"a\": ").unwrap_err()),
        ),
        (
            "{\"a\": 1}",
            Op::Remove("b"),
            EditError::NotFound { path: "b".into() },
        ),
        (
            "{\"a\": 1}",
            Op::Set("a.b", json!(1)),
            EditError::WrongType {
                path: "a".into(),
                expected: "an object",
                found: "a number",
            },
        ),
        (
            "{\"a\": [1]}",
            Op::Set("a[3]", json!(1)),
            EditError::IndexOutOfRange {
                path: "a[3]".into(),
                len: 1,
            },
        ),
        ("{}", Op::Remove(""), EditError::RootNotEditable),
        (
            "{\"a\": 1, \"b\": 2}",
            Op::Rename("a", "b"),
            EditError::DuplicateKey { key: "b".into() },
        ),
        (
            "{\"a\": 1}",
            Op::Set("x[2]", json!(1)),
            EditError::IndexOutOfRange {
                path: "x[2]".into(),
                len: 0,
            },
        ),
    ];
    for (input, op, expected) in cases {
        assert_eq!(apply(input, &op), Err(expected), "{input}");
    }
}

#[test]
fn a_value_nested_too_deeply_is_refused() {
    let mut value = json!(1);
    for _ in 0..(MAX_DEPTH + 2) {
        value = json!([value]);
    }
    assert_eq!(set("{}", &path("a"), &value), Err(EditError::TooDeep));
}

/// A small deterministic generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn every_path(node: &Node, here: JsonPath, out: &mut Vec<JsonPath>) {
    out.push(here.clone());
    match &node.kind {
        NodeKind::Object(members) => {
            for m in members {
                every_path(&m.value, here.key(&m.key), out);
            }
        }
        NodeKind::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                every_path(item, here.index(i), out);
            }
        }
        _ => {}
    }
}

/// Every scalar or empty container, with its path.
fn leaves(node: &Node, here: JsonPath, out: &mut Vec<(JsonPath, Value)>) {
    let children = node.members().len() + node.items().len();
    if children == 0 {
        out.push((here, node.to_value()));
        return;
    }
    for m in node.members() {
        leaves(&m.value, here.key(&m.key), out);
    }
    for (i, item) in node.items().iter().enumerate() {
        leaves(item, here.index(i), out);
    }
}

const DOCUMENTS: &[&str] = &[
    crate::examples::DEFAULT_TASK_DEFINITION,
    "{\"family\":\"f\",\"containerDefinitions\":[{\"name\":\"a\",\"portMappings\":[{\"containerPort\":80}]}],\"cpu\":\"256\"}",
    "{\r\n\t\"s\": \"\u{e9}\u{1f600}\",  \r\n\t\"list\": [ 1 , 2 ,3 ],\r\n\t\"o\": { \"k\" : null }\r\n}\r\n",
];

#[test]
fn property_set_then_read_gives_the_value_and_leaves_the_rest_alone() {
    let values = [
        json!(42),
        json!("t\u{e9}xt \"q\""),
        json!(null),
        json!({"a": [1, {"b": false}]}),
        json!([]),
        json!({}),
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut applied = 0;
    for document in DOCUMENTS {
        let root = parse(document).expect("fixture parses");
        let mut paths = Vec::new();
        every_path(&root, JsonPath::root(), &mut paths);
        for _ in 0..200 {
            let mut target = paths[rng.below(paths.len())].clone();
            if rng.below(3) == 0 {
                target = target.key("new");
            }
            let value = &values[rng.below(values.len())];
            let Ok(edited) = set(document, &target, value) else {
                continue;
            };
            applied += 1;
            let after = parse(&edited.text).expect("edited text parses");
            let read = after.at(&target).map(Node::to_value);
            assert_eq!(read.as_ref(), Some(value), "{target} in {document:?}");
            let (s, e) = (edited.replaced.start as usize, edited.replaced.end as usize);
            assert_eq!(edited.text[..s], document[..s]);
            assert_eq!(edited.text[edited.range.end as usize..], document[e..]);
            let mut before = Vec::new();
            leaves(&root, JsonPath::root(), &mut before);
            for (leaf, old) in before {
                if leaf.0.starts_with(&target.0) || target.0.starts_with(&leaf.0) {
                    continue;
                }
                let now = after.at(&leaf).map(Node::to_value);
                assert_eq!(
                    now.as_ref(),
                    Some(&old),
                    "{leaf} unchanged by setting {target}"
                );
                // Byte-identical, not just equal.
                let old_span = root.at(&leaf).map(|n| n.span).unwrap_or_default();
                let new_span = after.at(&leaf).map(|n| n.span).unwrap_or_default();
                assert_eq!(
                    document[old_span.start as usize..old_span.end as usize],
                    edited.text[new_span.start as usize..new_span.end as usize]
                );
            }
        }
    }
    assert!(applied > 400, "most generated edits apply ({applied})");
}

#[test]
fn property_remove_then_read_finds_nothing_and_insert_then_read_finds_the_item() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for document in DOCUMENTS {
        let root = parse(document).expect("fixture parses");
        let mut paths = Vec::new();
        every_path(&root, JsonPath::root(), &mut paths);
        for _ in 0..200 {
            let target = paths[rng.below(paths.len())].clone();
            if target.is_root() {
                continue;
            }
            let edited = remove(document, &target).expect("an existing path removes");
            let after = parse(&edited.text).expect("edited text parses");
            if let Some(Segment::Key(_)) = target.0.last() {
                assert!(after.at(&target).is_none(), "{target} gone");
            }
            let parent = target.parent().unwrap_or_default();
            let node = root.at(&parent).expect("parent exists");
            if node.is_array() {
                let index = rng.below(node.items().len() + 1);
                let edited = insert(document, &parent, index, &json!({"n": index}))
                    .expect("insert into an array");
                let after = parse(&edited.text).expect("parses");
                let read = after.at(&parent.index(index)).map(Node::to_value);
                assert_eq!(read, Some(json!({"n": index})));
                assert_eq!(
                    after.at(&parent).map(|n| n.items().len()),
                    Some(node.items().len() + 1)
                );
            }
        }
    }
}

#[test]
fn edits_never_panic_on_odd_input() {
    let texts = [
        "",
        " ",
        "{",
        "[1,]",
        "\u{feff}{}",
        "{\"a\":1}x",
        "null",
        "\"s\"",
        "[[[[]]]]",
    ];
    let ops = [
        Op::Set("a.b[0]", json!(1)),
        Op::Insert("a", 3, json!(1)),
        Op::Remove("a[0]"),
        Op::Rename("a", "b"),
        Op::Set("[0][0][0][0]", json!(1)),
    ];
    for text in texts {
        for op in &ops {
            let _ = apply(text, op);
        }
    }
}
