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


BOMBS = [brackets, deep_valid, colliding_names, postman_same_names, ref_fanout, schema_chain]

if __name__ == "__main__":
    target = sys.argv[1]
    os.makedirs(target, exist_ok=True)
    for bomb in BOMBS:
        bomb(target)
