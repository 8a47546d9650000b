#!/usr/bin/env python3
"""Generates the engine's compact ECS schema and `aws ecs` console model from AWS's service model.

Reads shared/aws-model/ecs-2014-11-13.service-2.json (beside the repository)
and writes:
  crates/ecs-engine/src/check/schema.rs     a compact table of every shape reachable
                                            from OPERATIONS' inputs and outputs, for
                                            the shape check (no documentation)
  crates/ecs-engine/src/aws_cli/model.rs    every operation with its input shape, and a
                                            table of all input shapes, for the `aws ecs`
                                            console (the AWS CLI's names derive from them)

Run from the repository root:  python3 scripts/gen-model.py [path/to/service-2.json]
Tests in check/shape/ and aws_cli/ fail when the output is stale.

The simulator's types are not generated: they are the typed account in
sim/state.rs (see ARCHITECTURE.md).
"""
import json
import os
import re
import sys

OPERATIONS = [
    "RegisterTaskDefinition", "DescribeTaskDefinition", "DeregisterTaskDefinition",
    "RunTask", "StartTask", "StopTask", "DescribeTasks",
    "CreateService", "UpdateService", "DeleteService", "DescribeServices",
    "CreateCluster", "DeleteCluster", "DescribeClusters", "UpdateCluster",
    "UpdateClusterSettings", "PutClusterCapacityProviders",
    "ListServicesByNamespace", "DiscoverPollEndpoint", "DescribeServiceRevisions",
]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_MODEL = os.path.join(ROOT, "..", "shared", "aws-model", "ecs-2014-11-13.service-2.json")
SCHEMA_OUT = os.path.join(ROOT, "crates", "ecs-engine", "src", "check", "schema.rs")
CLI_OUT = os.path.join(ROOT, "crates", "ecs-engine", "src", "aws_cli", "model.rs")


def reachable(shapes, model, extra, operations=OPERATIONS, keys=("input", "output")):
    seen = []
    stack = []
    for op in operations:
        spec = model["operations"][op]
        for key in keys:
            if key in spec:
                stack.append(spec[key]["shape"])
    stack.extend(extra)
    seen_set = set()
    while stack:
        name = stack.pop()
        if name in seen_set:
            continue
        seen_set.add(name)
        seen.append(name)
        shape = shapes[name]
        for key in ("member", "key", "value"):
            if key in shape:
                stack.append(shape[key]["shape"])
        for member in shape.get("members", {}).values():
            stack.append(member["shape"])
    return sorted(seen)


KIND = {
    "structure": "Structure", "list": "List", "map": "Map", "string": "String",
    "integer": "Integer", "long": "Integer", "double": "Double", "float": "Double",
    "boolean": "Boolean", "timestamp": "Timestamp",
}


def gen_schema(shapes, names):
    return "\n".join(SCHEMA_HEADER) + "\n" + shape_table(shapes, names)[0]


def shape_table(shapes, names):
    """`pub static SHAPES` for the named shapes, and each shape's index in it."""
    # Non-structure shapes with the same constraints share one table entry.
    entries = []  # (key, text)
    index_of = {}
    key_index = {}

    def key_for(name):
        s = shapes[name]
        if s["type"] == "structure":
            return ("structure", name)
        if s["type"] == "list":
            return ("list", key_for(s["member"]["shape"]), s.get("min"), s.get("max"))
        if s["type"] == "map":
            return ("map", key_for(s["value"]["shape"]))
        return (KIND[s["type"]], tuple(s.get("enum", ())), s.get("min"), s.get("max"))

    order = [n for n in names if shapes[n]["type"] == "structure"]
    order += [n for n in names if shapes[n]["type"] != "structure"]
    for name in order:
        key = key_for(name)
        if key not in key_index:
            key_index[key] = len(entries)
            entries.append((key, name))
        index_of[name] = key_index[key]
    if len(entries) > 65535:
        raise SystemExit("too many shapes for u16 indices")

    def opt(v):
        if v is None:
            return "N"
        if not -2**31 <= int(v) < 2**31:
            raise SystemExit(f"bound {v} does not fit the table's i32")
        return f"Some({int(v)})"

    lines = ["pub static SHAPES: &[ShapeDef] = &["]
    for key, name in entries:
        s = shapes[name]
        kind = "Document" if s.get("document") else KIND[s["type"]]
        bounds = f"{opt(s.get('min'))}, {opt(s.get('max'))}"
        if kind == "Structure":
            required = set(s.get("required", []))
            parts = [f"{'r' if m in required else 'm'}({json.dumps(m)}, {index_of[spec['shape']]})"
                     for m, spec in s.get("members", {}).items()]
            lines.append(f"    st({json.dumps(name)}, &[")
            for i in range(0, len(parts), 5):
                lines.append("        " + ", ".join(parts[i:i + 5]) + ",")
            lines.append("    ]),")
        elif kind == "List":
            lines.append(f"    list({index_of[s['member']['shape']]}, {bounds}),")
        elif kind == "Map":
            lines.append(f"    map({index_of[s['value']['shape']]}),")
        elif kind == "String":
            values = ", ".join(json.dumps(v) for v in s.get("enum", []))
            lines.append(f"    text(&[{values}], {bounds}),")
        elif kind == "Document":
            lines.append(f"    num(Kind::Document, {bounds}),")
        else:
            lines.append(f"    num(Kind::{kind}, {bounds}),")
    lines.append("];")
    lines.append("")
    return "\n".join(lines), index_of


SCHEMA_HEADER = [
        "// @generated by scripts/gen-model.py from ecs-2014-11-13.service-2.json. Do not edit.",
        "// Regenerate with `python3 scripts/gen-model.py`; a test fails when this is stale.",
        "//! The compact shape table the shape check walks: kinds, members, required",
        "//! members, enum values and bounds. No documentation, to stay small in wasm.",
        "",
        "/// A shape's JSON kind.",
        "#[derive(Debug, Clone, Copy, PartialEq, Eq)]",
        "pub enum Kind {",
        "    Structure,",
        "    /// A free-form JSON document.",
        "    Document,",
        "    List,",
        "    Map,",
        "    String,",
        "    Integer,",
        "    Double,",
        "    Boolean,",
        "    Timestamp,",
        "}",
        "",
        "/// One structure member: its JSON name, the index of its shape in [`SHAPES`], and whether it is required.",
        "#[derive(Debug, Clone, Copy)]",
        "pub struct MemberDef(pub &'static str, pub u16, pub bool);",
        "",
        "/// One shape. `target` is a list's item shape or a map's value shape; `min`",
        "/// and `max` bound a string's or list's length, or a number's value. Only",
        "/// structures keep their name: nothing looks the others up.",
        "#[derive(Debug, Clone, Copy)]",
        "pub struct ShapeDef {",
        "    pub name: &'static str,",
        "    pub kind: Kind,",
        "    pub members: &'static [MemberDef],",
        "    pub target: u16,",
        "    pub enum_values: &'static [&'static str],",
        "    pub min: Option<i32>,",
        "    pub max: Option<i32>,",
        "}",
        "",
        "/// A member, optional or required.",
        "pub(crate) const fn m(name: &'static str, shape: u16) -> MemberDef {",
        "    MemberDef(name, shape, false)",
        "}",
        "pub(crate) const fn r(name: &'static str, shape: u16) -> MemberDef {",
        "    MemberDef(name, shape, true)",
        "}",
        "",
        "pub(crate) const fn shape(name: &'static str, kind: Kind, members: &'static [MemberDef], target: u16, enum_values: &'static [&'static str], min: Option<i32>, max: Option<i32>) -> ShapeDef {",
        "    ShapeDef { name, kind, members, target, enum_values, min, max }",
        "}",
        "pub(crate) const fn st(name: &'static str, members: &'static [MemberDef]) -> ShapeDef {",
        "    shape(name, Kind::Structure, members, 0, &[], None, None)",
        "}",
        "pub(crate) const fn list(target: u16, min: Option<i32>, max: Option<i32>) -> ShapeDef {",
        "    shape(\"\", Kind::List, &[], target, &[], min, max)",
        "}",
        "pub(crate) const fn map(target: u16) -> ShapeDef {",
        "    shape(\"\", Kind::Map, &[], target, &[], None, None)",
        "}",
        "pub(crate) const fn text(enum_values: &'static [&'static str], min: Option<i32>, max: Option<i32>) -> ShapeDef {",
        "    shape(\"\", Kind::String, &[], 0, enum_values, min, max)",
        "}",
        "pub(crate) const fn num(kind: Kind, min: Option<i32>, max: Option<i32>) -> ShapeDef {",
        "    shape(\"\", kind, &[], 0, &[], min, max)",
        "}",
        "pub(crate) const N: Option<i32> = None;",
        "",
    ]


def gen_cli_model(model, paginators):
    """Every operation (its input shape, whether the CLI paginates it, its idempotency
    token member) and one table of every input shape, for the `aws ecs` console."""
    shapes = model["shapes"]
    operations = sorted(model["operations"])
    names = reachable(shapes, model, [], operations, ("input",))
    table, index_of = shape_table(shapes, names)
    out = [
        "// @generated by scripts/gen-model.py from ecs-2014-11-13.service-2.json and",
        "// paginators-1.json. Do not edit. Regenerate with `python3 scripts/gen-model.py`;",
        "// a test fails when this is stale.",
        "//! Every ECS operation and a compact table of every input shape (the same",
        "//! layout as the shape check's table in `check::schema`).",
        "",
        "use crate::check::schema::{list, m, map, num, r, st, text, Kind, ShapeDef, N};",
        "",
        "/// One operation: its name, its input shape's index in [`SHAPES`], whether the",
        "/// AWS CLI paginates it (`nextToken` in, `maxResults` the page size), and the",
        "/// member botocore fills with a fresh UUID when it is not given.",
        "#[derive(Debug, Clone, Copy)]",
        "pub struct Operation {",
        "    pub name: &'static str,",
        "    pub input: u16,",
        "    pub paginated: bool,",
        "    pub idempotency_token: Option<&'static str>,",
        "}",
        "",
        "const fn op(name: &'static str, input: u16, paginated: bool, idempotency_token: Option<&'static str>) -> Operation {",
        "    Operation { name, input, paginated, idempotency_token }",
        "}",
        "",
        "pub static OPERATIONS: &[Operation] = &[",
    ]
    for name in operations:
        spec = model["operations"][name]
        if "input" not in spec:
            raise SystemExit(f"operation {name} has no input shape")
        input_shape = spec["input"]["shape"]
        pages = paginators.get(name)
        if pages and (pages.get("input_token") != "nextToken" or pages.get("limit_key") != "maxResults"):
            raise SystemExit(f"paginator of {name} is not nextToken/maxResults")
        tokens = [m for m, ms in shapes[input_shape].get("members", {}).items() if ms.get("idempotencyToken")]
        token = f"Some({json.dumps(tokens[0])})" if tokens else "None"
        out.append(f"    op({json.dumps(name)}, {index_of[input_shape]}, {'true' if pages else 'false'}, {token}),")
    out.append("];")
    out.append("")
    return "\n".join(out) + "\n" + table


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_MODEL
    with open(path) as f:
        model = json.load(f)
    shapes = model["shapes"]
    # The schema checks what users write: the operations' shapes are enough.
    names = reachable(shapes, model, [])
    with open(SCHEMA_OUT, "w") as f:
        f.write(gen_schema(shapes, names))
    # The schema is one line per shape and skipped by rustfmt (see check/mod.rs).
    with open(os.path.join(os.path.dirname(path), "paginators-1.json")) as f:
        paginators = json.load(f)["pagination"]
    with open(CLI_OUT, "w") as f:
        f.write(gen_cli_model(model, paginators))
    print(f"{len(names)} shapes -> {os.path.relpath(SCHEMA_OUT, ROOT)}, {os.path.relpath(CLI_OUT, ROOT)}")


if __name__ == "__main__":
    main()
