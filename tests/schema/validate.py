#!/usr/bin/python3
"""Validate one of varve's JSON outputs against its schema in schemas/.

Usage: varve ... --format json | /usr/bin/python3 tests/schema/validate.py NAME

NAME is the schema's name (check, status, history, heads, current, run): the
document on stdin is validated against schemas/NAME.schema.json, with the
JSON Schema draft that the schema's "$schema" names (draft-07, or 2020-12
for run). Prints "NAME: valid (N items)" (N: the array's length, or that of
the document's first list, such as "migrations") or each violation with its
path; exits 1 when the input is not one JSON document or breaks the schema.
The schema itself is checked first, so a broken schema cannot pass
everything.

Used by tests/cli/json-schemas.t and tests/cli/json.t on real outputs. Needs
Debian's python3-jsonschema, run with /usr/bin/python3 (as
tests/schema/agree.py).
"""
import json
import os
import sys

try:
    import jsonschema
except ImportError as e:  # pragma: no cover
    sys.exit(f"validate.py: {e}: install python3-jsonschema (apt)")

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[2])
    name = sys.argv[1]
    with open(os.path.join(ROOT, "schemas", f"{name}.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    if "$schema" not in schema:
        sys.exit(f"validate.py: schemas/{name}.schema.json names no draft in \"$schema\"")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    text = sys.stdin.read()
    try:
        doc = json.loads(text)
    except ValueError as e:
        print(f"{name}: not one JSON document: {e}")
        return 1
    errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors:
        where = "/".join(str(p) for p in e.absolute_path) or "(document)"
        print(f"{name}: {where}: {e.message}")
    if errors:
        return 1
    items = doc if isinstance(doc, list) else next((v for v in doc.values() if isinstance(v, list)), [])
    print(f"{name}: valid ({len(items)} items)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
