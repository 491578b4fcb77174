#!/usr/bin/env python3
"""Side by side: varve's safety lint and squawk on one corpus.

Usage: VARVE_TESTPG=PATH/TO/varve-testpg tests/lint/compare.py PATH/TO/varve PATH/TO/squawk [-v]

Each case of tests/lint/corpus/*.sql is one or more migrations; the last one
is the case under test. Its header says what a reviewer should see:

    -- expect: safe                       (or: -- expect: CODE, CODE)
    -- about: why (one line)
    -- database: lock_timeout: 2s         (optional: a manifest database key)
    -- table-rows: orders=500             (optional: check --database, where
                                           orders has that many rows)
    -- migration: 0001 applied            (optional: earlier migrations first)
    CREATE TABLE ...;
    -- migration: 0002 transaction=false
    CREATE INDEX CONCURRENTLY ...;

`applied` marks the migrations that production has run already: those of
the base branch. Without it, an earlier migration is new on this branch.

For each case the harness writes a project in a temporary folder (varve.yaml
listing the migrations in order, one file each) and runs

  - `varve check --format json` there, keeping the findings in the last
    migration's file; where a case has several migrations, the folder is a
    git repository whose commit lists only the applied ones (if any), and
    the check runs with `--against HEAD`, as CI runs it with `--against
    origin/main` (without it, varve takes every earlier migration as run);
    With `table-rows`, a scratch PostgreSQL (varve-testpg, one for the run)
    gets a database of its own for the case, holding those tables with that
    many rows, analyzed, and the check runs with `--database` on it;
  - `squawk --reporter json --pg-version 15` on that same file, with
    `--assume-in-transaction` unless the migration says transaction=false
    (varve runs a migration in one transaction by default), its rule names
    mapped to varve's codes by tests/lint/squawk-rules.yaml.

and compares the two sets of codes. It fails (exit 1) when:

  - the two differ and tests/lint/disagreements.yaml does not list the case
    with exactly these two sets, or lists a case on which they agree;
  - varve's codes differ from the case's `expect` and the list's
    `varve_wrong` section does not say so (with exactly varve's codes), or
    says so of a case varve gets right;
  - a case does not run as written (varve reports a structural error, squawk
    a syntax error or a rule the mapping does not know);
  - a rule of lib/lint.c has no case that expects it;
  - README.md's table of figures is not this run's.

Then it prints the figures: false alarms (a tool flags a case marked safe,
and findings whose code the case does not expect) and misses, per tool.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(HERE, "..", "docs"))
from reference import lint_codes  # noqa: E402  (the rule table of lib/lint.c)

# varve's codes that say the project itself is broken: the case is miswritten.
BROKEN = {
    "yaml-syntax", "manifest-schema", "duplicate-revision", "unknown-down-revision",
    "cycle", "multiple-roots", "multiple-heads", "missing-file", "file-outside-project",
    "file-too-large", "empty-upgrade", "sql-syntax", "invalid-encoding",
    "unrecognised-marker", "psql-meta-command", "sql-too-complex", "checksum-mismatch",
}
# varve's codes about the project's bookkeeping, not the SQL's safety.
BOOKKEEPING = {"missing-downgrade", "unlisted-file", "timestamp-revision", "filename-mismatch"}

HEADER = re.compile(r"--\s*(expect|about|database|table-rows):\s*(.*?)\s*$")
MIGRATION = re.compile(r"--\s*migration:\s*(\w+)((?:\s+(?:\w+=\w+|applied))*)\s*$")


class CaseError(Exception):
    pass


def parse_case(path):
    name = os.path.basename(path)[:-4]
    head = {"expect": None, "about": None, "database": [], "table-rows": {}}
    migrations = []
    for line in open(path, encoding="utf-8").read().split("\n"):
        m = MIGRATION.match(line)
        if m:
            words = m.group(2).split()
            opts = dict(kv.split("=") for kv in words if kv != "applied")
            if set(opts) - {"transaction"} or opts.get("transaction", "true") not in ("true", "false"):
                raise CaseError(f"{name}: bad migration options {m.group(2)!r}")
            if migrations and "applied" in words and not migrations[-1]["applied"]:
                raise CaseError(f"{name}: an applied migration after one that is not")
            migrations.append({"revision": m.group(1), "transaction": opts.get("transaction") != "false",
                               "applied": "applied" in words, "sql": []})
            continue
        m = HEADER.match(line)
        if m and not migrations:
            if m.group(1) == "database":
                head["database"].append(m.group(2))
            elif m.group(1) == "table-rows":
                for item in m.group(2).split(","):
                    table, _, rows = item.strip().partition("=")
                    if not re.fullmatch(r"[a-z_]+", table) or not rows.isdigit():
                        raise CaseError(f"{name}: bad table-rows {item!r}")
                    head["table-rows"][table] = int(rows)
            else:
                head[m.group(1)] = m.group(2)
            continue
        if not migrations:
            if line.strip():
                migrations.append({"revision": "0001", "transaction": True, "applied": False, "sql": []})
            else:
                continue
        migrations[-1]["sql"].append(line)
    if head["expect"] is None or not head["about"]:
        raise CaseError(f"{name}: needs '-- expect:' and '-- about:'")
    if not migrations:
        raise CaseError(f"{name}: no SQL")
    if migrations[-1]["applied"]:
        raise CaseError(f"{name}: the migration under test cannot be applied already")
    expect = head["expect"]
    head["expect"] = set() if expect == "safe" else {c.strip() for c in expect.split(",") if c.strip()}
    for m in migrations:
        m["sql"] = "\n".join(m["sql"]).strip("\n") + "\n"
    return name, head, migrations


def write_project(tmp, head, migrations):
    os.makedirs(os.path.join(tmp, "migrations"), exist_ok=True)
    lines = ["varve: 1", "directory: migrations"]
    if head["database"]:
        lines.append("database:")
        lines += ["  " + d for d in head["database"]]
    lines.append("migrations:")
    parent = "null"
    for m in migrations:
        m["file"] = f"{m['revision']}_case.sql"
        with open(os.path.join(tmp, "migrations", m["file"]), "w", encoding="utf-8") as f:
            f.write(m["sql"])
        lines += [f'  - revision: "{m["revision"]}"', f"    down_revision: {parent}",
                  f"    file: {m['file']}"]
        if not m["transaction"]:
            lines.append("    transaction: false")
        parent = f'"{m["revision"]}"'
    with open(os.path.join(tmp, "varve.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def git(tmp, *args):
    subprocess.run(["git", "-c", "user.name=varve", "-c", "user.email=varve@localhost",
                    "-c", "init.defaultBranch=main", *args], cwd=tmp, check=True, capture_output=True)


def setup_project(tmp, head, migrations):
    """The project. With more than one migration, a git repository whose
    commit (the base branch) has the applied ones, if any: `check --against
    HEAD` then knows which ones production has run. (Without --against,
    varve takes every earlier migration as applied.)"""
    if len(migrations) == 1:
        write_project(tmp, head, migrations)
        return []
    applied = [m for m in migrations if m["applied"]]
    git(tmp, "init", "-q")
    if applied:
        write_project(tmp, head, applied)
        git(tmp, "add", "-A")
    git(tmp, "commit", "-q", "--allow-empty", "-m", "applied")
    write_project(tmp, head, migrations)
    return ["--against", "HEAD"]


class ScratchPG:
    """One varve-testpg server for the run; a database per case."""

    def __init__(self, testpg):
        self.proc = subprocess.Popen([testpg], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith("export "):
            raise SystemExit(f"compare.py: {testpg} did not start: {line!r}")
        self.env = dict(os.environ)
        self.env.update(kv.split("=", 1) for kv in line[len("export "):].split())
        self.count = 0

    def psql(self, db, sql):
        p = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql],
                           env=self.env, capture_output=True, text=True)
        if p.returncode != 0:
            raise CaseError(f"psql: {p.stderr.strip()}")

    def database(self, tables):
        """A new database holding `tables` (name -> rows), analyzed; its URL."""
        self.count += 1
        db = f"varve_lint_{self.count}"
        self.psql("postgres", f"CREATE DATABASE {db}")
        for table, rows in tables.items():
            self.psql(db, f"CREATE TABLE {table} AS SELECT g::bigint AS id FROM generate_series(1, {rows}) g;"
                          f" ANALYZE {table}")
        return db

    def drop(self, db):
        self.psql("postgres", f"DROP DATABASE {db}")

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def run_varve(varve, tmp, name, last, extra, env=None):
    p = subprocess.run([varve, "check", "--format", "json", *extra], cwd=tmp, capture_output=True, text=True,
                       env=env)
    if p.returncode not in (0, 1):
        raise CaseError(f"{name}: varve check exited {p.returncode}: {p.stderr.strip()}")
    try:
        findings = json.loads(p.stdout)
    except ValueError:
        raise CaseError(f"{name}: varve check printed no JSON: {p.stdout[:200]!r} {p.stderr.strip()}")
    codes, where = set(), []
    for f in findings:
        if f["code"] in BROKEN:
            raise CaseError(f"{name}: {f['file']}:{f['line']}:{f['column']}: {f['message']} [{f['code']}]")
        if f["code"] in BOOKKEEPING or f["file"] != os.path.join("migrations", last["file"]):
            continue
        codes.add(f["code"])
        where.append(f"{f['line']}:{f['column']} {f['code']}")
    return codes, where


def run_squawk(squawk, rules, tmp, name, last):
    cmd = [squawk, "--reporter", "json", "--pg-version", rules["pg_version"]]
    if last["transaction"]:
        cmd.append("--assume-in-transaction")
    cmd.append(os.path.join("migrations", last["file"]))
    p = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise CaseError(f"{name}: squawk exited {p.returncode}: {p.stderr.strip()}")
    try:
        findings = json.loads(p.stdout) if p.stdout.strip() else []
    except ValueError:
        raise CaseError(f"{name}: squawk printed no JSON: {p.stdout[:200]!r}")
    codes, where = set(), []
    for f in findings:
        rule = f["rule_name"]
        if rule in rules["ignored"]:
            continue
        if rule not in rules["map"]:
            raise CaseError(f"{name}: squawk's {rule!r} at {f['line'] + 1}:{f['column'] + 1}"
                            f" is in neither list of squawk-rules.yaml: {f['message']}")
        codes.add(rules["map"][rule])
        where.append(f"{f['line'] + 1}:{f['column'] + 1} {rule}")
    return codes, where


def load_list(path):
    data = yaml.safe_load(open(path, encoding="utf-8")) or {}
    out = {}
    for section in ("disagreements", "varve_wrong"):
        entries = {}
        for e in data.get(section) or []:
            if e["case"] in entries:
                sys.exit(f"compare.py: {path}: {e['case']} listed twice in {section}")
            if not str(e.get("why", "")).strip():
                sys.exit(f"compare.py: {path}: {e['case']} in {section} has no 'why'")
            entries[e["case"]] = e
        out[section] = entries
    return out


def fmt(codes):
    return "[" + ", ".join(sorted(codes)) + "]"


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    verbose = "-v" in sys.argv[1:]
    if len(args) != 2:
        sys.exit("usage: tests/lint/compare.py PATH/TO/varve PATH/TO/squawk [-v]")
    varve, squawk = (os.path.abspath(a) for a in args)
    rules = yaml.safe_load(open(os.path.join(HERE, "squawk-rules.yaml"), encoding="utf-8"))
    version = subprocess.run([squawk, "--version"], capture_output=True, text=True).stdout.strip()
    if version != f"squawk {rules['squawk']}":
        sys.exit(f"compare.py: {squawk} is {version!r}, the mapping is for squawk {rules['squawk']}"
                 " (tests/lint/setup.sh installs it)")
    listed = load_list(os.path.join(HERE, "disagreements.yaml"))

    failures, results = [], []
    paths = sorted(p for p in os.listdir(CORPUS) if p.endswith(".sql"))
    pg = None
    for p in paths:
        try:
            name, head, migrations = parse_case(os.path.join(CORPUS, p))
            with tempfile.TemporaryDirectory(prefix="varve-lint-") as tmp:
                extra, env, db = setup_project(tmp, head, migrations), None, None
                if head["table-rows"]:
                    if pg is None:
                        if not os.environ.get("VARVE_TESTPG"):
                            sys.exit(f"compare.py: {name} needs a database: set VARVE_TESTPG"
                                     " (zig build testpg makes zig-out/bin/varve-testpg)")
                        pg = ScratchPG(os.environ["VARVE_TESTPG"])
                    db, env = pg.database(head["table-rows"]), pg.env
                    extra = extra + [f"--database=postgresql:///{db}"]
                try:
                    v, vwhere = run_varve(varve, tmp, name, migrations[-1], extra, env)
                finally:
                    if db:
                        pg.drop(db)
                s, swhere = run_squawk(squawk, rules, tmp, name, migrations[-1])
        except CaseError as e:
            failures.append(f"broken case: {e}")
            continue
        results.append((name, head["expect"], v, s))
        if verbose:
            print(f"{name}: expect {fmt(head['expect'])}  varve {vwhere}  squawk {swhere}")

        d = listed["disagreements"].get(name)
        if v != s and d is None:
            failures.append(f"{name}: unlisted disagreement: varve {fmt(v)}, squawk {fmt(s)}"
                            f" (expect {fmt(head['expect'])})")
        elif v == s and d is not None:
            failures.append(f"{name}: listed as a disagreement, but both say {fmt(v)}: remove it")
        elif d is not None and (set(d.get("varve") or []) != v or set(d.get("squawk") or []) != s):
            failures.append(f"{name}: the list says varve {fmt(d.get('varve') or [])}, squawk"
                            f" {fmt(d.get('squawk') or [])}; now varve {fmt(v)}, squawk {fmt(s)}")

        w = listed["varve_wrong"].get(name)
        if v != head["expect"] and w is None:
            failures.append(f"{name}: varve says {fmt(v)}, the case expects {fmt(head['expect'])}")
        elif v == head["expect"] and w is not None:
            failures.append(f"{name}: listed under varve_wrong, but varve now says what the case"
                            f" expects, {fmt(v)}: remove it")
        elif w is not None and set(w.get("varve") or []) != v:
            failures.append(f"{name}: varve_wrong says varve {fmt(w.get('varve') or [])}, now {fmt(v)}")

    if pg:
        pg.close()
    names = {r[0] for r in results}
    for section in ("disagreements", "varve_wrong"):
        for case in listed[section]:
            if case not in names and not any(f.startswith(f"broken case: {case}:") for f in failures):
                failures.append(f"{case}: listed in {section}, but no such case in tests/lint/corpus")

    # Every rule has a case that should fire it (the meta-codes about
    # varve:allow comments are varve's own).
    expected = set().union(*(r[1] for r in results)) if results else set()
    for code in lint_codes() or []:
        if not code.startswith("allow-") and code not in expected:
            failures.append(f"no case of tests/lint/corpus expects {code}")

    safe = [r for r in results if not r[1]]
    unsafe = [r for r in results if r[1]]

    def figures(i):
        alarms = sum(1 for r in safe if r[i])
        extra = sum(len(r[i] - r[1]) for r in results)
        missed = sum(1 for r in unsafe if not (r[i] & r[1]))
        exact = sum(1 for r in results if r[i] == r[1])
        return alarms, extra, missed, exact

    print(f"{len(results)} cases ({len(safe)} safe, {len(unsafe)} unsafe), squawk {rules['squawk']}"
          f" --pg-version {rules['pg_version']}")
    print(f"{'':8} {'false alarms':>12} {'extra codes':>11} {'missed':>6} {'exact':>5}")
    print(f"{'':8} {'(safe cases)':>12} {'(findings)':>11} {'':>6} {'':>5}")
    for label, i in (("varve", 2), ("squawk", 3)):
        a, e, m, x = figures(i)
        print(f"{label:8} {a:>12} {e:>11} {m:>6} {x:>5}")
    print(f"disagreements: {sum(1 for r in results if r[2] != r[3])} (each listed with its reason in"
          " tests/lint/disagreements.yaml);"
          f" varve wrong: {sum(1 for r in results if r[2] != r[1])}")
    # README.md's CI section prints these figures: they must be this run's.
    va, _, vm, vx = figures(2)
    sa, _, sm, sx = figures(3)
    n, ns, nu = len(results), len(safe), len(unsafe)
    want = [f"| safe cases flagged (false alarms) | {va} of {ns} | {sa} of {ns} |",
            f"| unsafe cases missed | {vm} of {nu} | {sm} of {nu} |",
            f"| cases with exactly the expected findings | {vx} of {n} | {sx} of {n} |",
            f"on a shared corpus of {n} migrations"]
    readme = open(os.path.join(HERE, "..", "..", "README.md"), encoding="utf-8").read()
    readme = re.sub(r"\s+", " ", readme)
    stale = [w for w in want if w not in readme]
    if stale:
        failures.append("README.md's figures are not this run's; they should read: " + "; ".join(stale))
    for f in failures:
        print(f"FAIL {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
