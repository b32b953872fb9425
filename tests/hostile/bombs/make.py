#!/usr/bin/env python3
"""Writes the cost bombs of the hostile suite into the folder given as the only argument.

Each bomb is a file or a folder; .ci/hostile.sh runs `connectorkit generate` on each and
prints its time and peak memory. A bomb whose name starts with `compile-` must also
generate a crate that compiles warning-free. Add a bomb by adding a function to BOMBS.
"""
import json
import os
import sys


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def openapi(paths=None, schemas=None):
    return {
        "openapi": "3.0.3",
        "info": {"title": "Bomb", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas or {}},
    }


def brackets(out):
    """100 KB of `[`: a syntax error, reported quickly."""
    write(os.path.join(out, "brackets.json"), "[" * 100_000)


def deep_valid(out):
    """Valid JSON 1,000 levels deep in an example: read, not refused."""
    doc = openapi({"/x": {"get": {"responses": {"200": {"description": "ok"}}}}})
    text = json.dumps(doc)
    deep = "[" * 1000 + "]" * 1000
    text = text[:-1] + ', "x-deep": ' + deep + "}"
    write(os.path.join(out, "deep-valid.json"), text)


def colliding_names(out):
    """20,000 schema names that collide once made identifiers."""
    schemas = {}
    for i in range(20_000):
        schemas["a" + "_" * (i % 7) + "b" + "-" * (i // 7 % 50) + str(i // 350)] = {"type": "string"}
    write(os.path.join(out, "colliding-names.json"), json.dumps(openapi(schemas=schemas)))


def postman_same_names(out):
    """10,000 Postman requests with the same name."""
    items = [
        {"name": "Get", "request": {"method": "GET", "url": "https://api.example.com/x"}}
        for _ in range(10_000)
    ]
    doc = {
        "info": {
            "name": "Same names",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": items,
    }
    write(os.path.join(out, "postman-same-names.postman_collection.json"), json.dumps(doc))


def ref_fanout(out):
    """External $refs that fan out: each file refers to the next one many times."""
    d = os.path.join(out, "ref-fanout")
    levels = 12
    for lvl in range(levels):
        props = {f"p{j}": {"$ref": f"l{lvl + 1}.json#/S"} for j in range(8)}
        if lvl == levels - 1:
            props = {"leaf": {"type": "string"}}
        write(os.path.join(d, f"l{lvl}.json"), json.dumps({"S": {"type": "object", "properties": props}}))
    doc = openapi(
        {"/x": {"get": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"$ref": "l0.json#/S"}}}}}}}}
    )
    write(os.path.join(d, "main.json"), json.dumps(doc))


def schema_chain(out):
    """A chain of 2,000 schemas, each holding the next: generates, and compiles."""
    schemas = {}
    for i in range(2000):
        schemas[f"S{i}"] = {"type": "object", "properties": {"next": {"$ref": f"#/components/schemas/S{i + 1}"}}}
    schemas["S2000"] = {"type": "string"}
    write(os.path.join(out, "compile-schema-chain.json"), json.dumps(openapi(schemas=schemas)))


def ref_fanout_inline(out):
    """The 7.4 GB pair: two small files whose non-schema `$ref`s fan out (each level refers to
    the next eight times; copied in place, 8^20 nodes). Refused by the inlining budget."""
    d = os.path.join(out, "ref-fanout-inline")
    levels = {}
    for i in range(20):
        levels[f"l{i}"] = {f"k{j}": {"$ref": f"#/l{i + 1}"} for j in range(8)}
    levels["l20"] = {"leaf": "x"}
    write(os.path.join(d, "b.json"), json.dumps(levels))
    doc = openapi({"/x": {"get": {"responses": {"200": {"description": "ok"}}}}})
    doc["x-fan"] = {"$ref": "b.json#/l0"}
    write(os.path.join(d, "main.json"), json.dumps(doc))


def yaml_alias_bomb(out):
    """Billion laughs: nine levels of YAML aliases, each repeating the one before nine times."""
    lines = ["openapi: 3.0.3", "info: {title: Laughs, version: '1'}", "paths: {}", "x-laughs:"]
    lines.append('  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]')
    for i in range(1, 10):
        prev = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"  a{i}: &a{i} [{prev}]")
    write(os.path.join(out, "yaml-alias-bomb.yaml"), "\n".join(lines) + "\n")


def long_string(out):
    """One 20 MB description (a single line)."""
    doc = openapi({"/x": {"get": {"description": "x" * 20_000_000,
                                  "responses": {"200": {"description": "ok"}}}}})
    write(os.path.join(out, "long-string.json"), json.dumps(doc))


def huge_numbers(out):
    """Numbers no machine type holds: 1e999999, 400-digit integers, in every numeric keyword."""
    big = "9" * 400
    text = json.dumps(openapi(
        {"/x": {"get": {"parameters": [{"name": "n", "in": "query", "schema": {
            "type": "integer", "minimum": 0, "maximum": 1, "default": 2, "multipleOf": 3}}],
            "responses": {"200": {"description": "ok"}}}}},
        {"N": {"type": "object", "properties": {"v": {"type": "number", "maxLength": 5,
                                                       "enum": [6, 7], "example": 8}}}}))
    for k, v in [("0", "1e999999"), ('"maximum": 1', '"maximum": ' + big), ("2", "-" + big),
                 ("3", "1e-999999"), ("5", big), ("6", big + ".5"), ("7", "-1e400"), ("8", big)]:
        text = text.replace(f": {k}" if k.isdigit() else k, f": {v}" if k.isdigit() else v, 1)
    write(os.path.join(out, "huge-numbers.json"), text)


def wide_enum(out):
    """50,000 enum values whose variant names collide (`a-1`, `a_1`, `A1`, …)."""
    values = []
    for i in range(50_000):
        values.append(["a-", "a_", "A", "a ", "a."][i % 5] + str(i // 5 % 100))
    doc = openapi(schemas={"E": {"type": "string", "enum": values}})
    write(os.path.join(out, "wide-enum.json"), json.dumps(doc))


def deep_yaml(out):
    """YAML flow collections 1,000 levels deep: refused quickly with a located error."""
    text = "openapi: 3.0.3\ninfo: {title: Deep, version: '1'}\npaths: {}\nx-deep: " + "[" * 1000 + "]" * 1000 + "\n"
    write(os.path.join(out, "deep-yaml.yaml"), text)


def deep_unclosed(out):
    """1,500 levels of `[`, one closer missing: the repairs must stay quick."""
    doc = openapi({"/x": {"get": {"responses": {"200": {"description": "ok"}}}}})
    text = json.dumps(doc)[:-1] + ', "x-deep": ' + "[" * 1500 + "]" * 1499
    write(os.path.join(out, "deep-unclosed.json"), text)


def many_files(out):
    """2,000 external files, each referred to from 2,000 places: read once each."""
    d = os.path.join(out, "many-files")
    schemas = {}
    for i in range(2000):
        write(os.path.join(d, "m", f"s{i}.json"), json.dumps({"type": "object", "properties": {
            "next": {"$ref": f"s{(i + 1) % 2000}.json"}}}))
        schemas[f"S{i}"] = {"type": "object", "properties": {
            f"p{j}": {"$ref": f"m/s{(i * 7 + j) % 2000}.json"} for j in range(20)}}
    write(os.path.join(d, "main.json"), json.dumps(openapi(schemas=schemas)))


def colliding_names_one_base(out):
    """20,000 schema names that all become the same identifier (`a` and `b` joined by every
    sequence of separators up to 7 long): de-duplication must not rescan."""
    import itertools
    names = []
    for n in range(8):
        for seps in itertools.product("_-. ", repeat=n):
            names.append("a" + "".join(seps) + "b")
            if len(names) == 20_000:
                break
        if len(names) == 20_000:
            break
    schemas = {name: {"type": "string"} for name in names}
    write(os.path.join(out, "colliding-names-one-base.json"), json.dumps(openapi(schemas=schemas)))


BOMBS = [brackets, deep_valid, colliding_names, postman_same_names, ref_fanout, schema_chain,
         ref_fanout_inline, yaml_alias_bomb, long_string, huge_numbers, wide_enum, deep_yaml,
         deep_unclosed, many_files, colliding_names_one_base]

if __name__ == "__main__":
    target = sys.argv[1]
    os.makedirs(target, exist_ok=True)
    for bomb in BOMBS:
        bomb(target)
