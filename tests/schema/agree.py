#!/usr/bin/python3
"""Keep schemas/varve.schema.json and varve's C validator in agreement.

Usage: /usr/bin/python3 tests/schema/agree.py [-v] [--schema-only] PATH/TO/varve

For every manifest in tests/fixtures/schema/valid/, tests/fixtures/schema/invalid/
and examples/*/varve.yaml, three verdicts must agree:

  expected  the folder: valid/ and examples/ are valid, invalid/ is invalid
  schema    the manifest, read as YAML 1.2 (core schema), against the JSON Schema
  varve     `varve -f MANIFEST check`, run from the repository root: exit 0
            valid, exit 1 invalid; anything else (a crash, exit 2, a timeout
            of AGREE_TIMEOUT seconds, default 60) fails the test

Prints one line per manifest and `N passed, M failed`; exits 1 on any failure.
`-v` also prints the schema's messages and varve's diagnostics for every file.
`--schema-only` skips varve (no binary needed): for working on the schema or
the corpus while the C side is unfinished; it is not the agreement test.

Needs Debian's python3-jsonschema (4.10) and python3-yaml, run with
/usr/bin/python3 so a virtualenv's packages do not stand in for them.
"""

import argparse
import json
import os
import re
import subprocess
import sys

try:
    import jsonschema
    import yaml
except ImportError as e:  # pragma: no cover
    sys.exit(f"agree.py: {e}: install python3-jsonschema and python3-yaml (apt)")

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SCHEMA = os.path.join(ROOT, "schemas", "varve.schema.json")
CORPUS = os.path.join(ROOT, "tests", "fixtures", "schema")
EXAMPLES = os.path.join(ROOT, "examples")
VARVE_TIMEOUT = int(os.environ.get("AGREE_TIMEOUT", "60"))


# ---------------------------------------------------------------------------
# A YAML loader that types plain scalars as YAML 1.2's core schema does, as
# varve's loader does, instead of PyYAML's YAML 1.1: only true/false (any of
# three casings) are booleans (not yes/no/on/off), integers are decimal, 0o
# octal or 0x hex (`0001` is 1, not octal; no sexagesimal, no `_`), no
# timestamps, no `<<` merge keys. It also refuses what varve refuses and a
# schema cannot see: anchors, aliases and duplicate keys.

class _Loader(yaml.SafeLoader):
    pass


_Loader.yaml_implicit_resolvers = {}


def _resolver(tag, regexp, first):
    _Loader.add_implicit_resolver(tag, re.compile(regexp, re.X), list(first))


_resolver("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])
_resolver("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_resolver("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789")
_resolver(
    "tag:yaml.org,2002:float",
    r"""^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
         |[-+]?\.(?:inf|Inf|INF)
         |\.(?:nan|NaN|NAN))$""",
    "-+.0123456789",
)


def _construct_bool(loader, node):
    return loader.construct_scalar(node).lower() == "true"


def _construct_int(loader, node):
    v = loader.construct_scalar(node)
    if v.startswith("0o"):
        return int(v[2:], 8)
    if v.startswith("0x"):
        return int(v[2:], 16)
    return int(v, 10)


def _construct_float(loader, node):
    v = loader.construct_scalar(node).lower()
    if v.endswith(".inf"):
        return float("-inf") if v.startswith("-") else float("inf")
    if v == ".nan":
        return float("nan")
    return float(v)


def _construct_mapping(loader, node, deep=False):
    if not isinstance(node, yaml.MappingNode):
        raise yaml.constructor.ConstructorError(
            None, None, f"expected a mapping, found {node.id}", node.start_mark)
    mapping = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark,
                "a key that is not a scalar", key_node.start_mark)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark,
                f"duplicate key {key!r}", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def _compose_node(self, parent, index):
    event = self.peek_event()
    if isinstance(event, yaml.AliasEvent):
        raise yaml.composer.ComposerError(
            None, None, "aliases are not allowed", event.start_mark)
    if getattr(event, "anchor", None) is not None:
        raise yaml.composer.ComposerError(
            None, None, "anchors are not allowed", event.start_mark)
    return yaml.SafeLoader.compose_node(self, parent, index)


_Loader.compose_node = _compose_node


def load_yaml(path):
    with open(path, "rb") as f:
        return yaml.load(f, Loader=_Loader)


# ---------------------------------------------------------------------------

def schema_verdict(validator, path):
    """(valid?, [messages])"""
    try:
        doc = load_yaml(path)
    except yaml.YAMLError as e:
        return False, ["yaml: " + " ".join(str(e).split())]
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    msgs = []
    for e in errors:
        where = "/".join(str(p) for p in e.absolute_path) or "(top)"
        msgs.append(f"{where}: {e.message}")
    return not errors, msgs


def varve_verdict(varve, path):
    """(verdict, detail): verdict is True (exit 0), False (exit 1) or None (anything else).

    Runs from the repository root with the manifest's path relative to it,
    so varve's diagnostics name files as a user there would open them."""
    try:
        r = subprocess.run(
            [varve, "-f", os.path.relpath(path, ROOT), "check"], cwd=ROOT, stdin=subprocess.DEVNULL,
            capture_output=True, text=True, errors="replace", timeout=VARVE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {VARVE_TIMEOUT} s"
    except OSError as e:
        return None, f"cannot run: {e}"
    out = (r.stderr + r.stdout).strip()
    if r.returncode == 0:
        return True, out
    if r.returncode == 1:
        return False, out
    if r.returncode < 0:
        return None, f"killed by signal {-r.returncode}\n{out}"
    return None, f"exit {r.returncode}\n{out}"


def manifests():
    found = []
    for kind in ("valid", "invalid"):
        d = os.path.join(CORPUS, kind)
        for name in sorted(os.listdir(d)):
            if name.endswith(".yaml"):
                found.append((os.path.join(d, name), kind == "valid"))
    for name in sorted(os.listdir(EXAMPLES)):
        m = os.path.join(EXAMPLES, name, "varve.yaml")
        if os.path.isfile(m):
            found.append((m, True))
    return found


def word(v):
    return {True: "valid", False: "invalid", None: "error"}[v]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("varve", nargs="?", help="path to the varve binary")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--schema-only", action="store_true",
                    help="check the schema against the folders only; do not run varve")
    args = ap.parse_args()
    if not args.schema_only:
        if not args.varve:
            ap.error("the path to varve is required (or --schema-only)")
        varve = os.path.abspath(args.varve)
        if not os.access(varve, os.X_OK):
            sys.exit(f"agree.py: {args.varve}: not an executable")

    with open(SCHEMA) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)

    passed = failed = 0
    for path, expected in manifests():
        rel = os.path.relpath(path, ROOT)
        s_ok, s_msgs = schema_verdict(validator, path)
        if args.schema_only:
            v_ok, v_out = expected, ""
        else:
            v_ok, v_out = varve_verdict(varve, path)
        good = s_ok == expected and v_ok == expected
        if good:
            passed += 1
            line = f"ok    {rel} ({word(expected)})"
        else:
            failed += 1
            line = f"FAIL  {rel}: expected {word(expected)}, schema says {word(s_ok)}"
            if not args.schema_only:
                line += f", varve says {word(v_ok)}"
        print(line)
        if not good or args.verbose:
            for m in s_msgs:
                print(f"        schema: {m}")
            if v_out and (args.verbose or v_ok != expected):
                for m in v_out.splitlines()[:20]:
                    print(f"        varve:  {m}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
