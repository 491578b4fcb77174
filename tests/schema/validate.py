#!/usr/bin/python3
"""Validate one JSON document on stdin against a schema of schemas/.

Usage: /usr/bin/python3 tests/schema/validate.py SCHEMA.json < document

Prints "valid" and exits 0, or prints each violation (with its path in the
document) and exits 1. stdin must hold exactly one JSON document. Needs
Debian's python3-jsonschema (run with /usr/bin/python3).
"""

import json
import sys

import jsonschema


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    text = sys.stdin.read()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        print(f"not one JSON document: {e}")
        return 1
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors:
        print("/".join(str(p) for p in e.absolute_path) or "(document)", ":", e.message)
    if errors:
        return 1
    print("valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
