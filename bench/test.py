#!/usr/bin/env python3
"""Benchmark `varve test` (docs/commands.md: test) on a private PostgreSQL.

Starts its own server with varve-testpg (stopped when its stdin closes) and,
for each project, in fresh databases (CREATE DATABASE before, DROP after,
neither timed):

  varve test   `varve test -d DB --format json`: its wall time, and from its
               document the time of the runs (sql_ms: each migration's SQL
               and bookkeeping, three times) and of the catalog reads
               (capture_ms: three captures a migration, one more at the start);
  psql x3      psql running the same SQL in one session, each migration up,
               down and up again, each step in its own transaction: the
               floor of running the SQL three times.

Prints, per migration: the time of `varve test`, of psql x3, varve's own
overhead beyond running the SQL three times ((varve - psql) / N), and the
part of it that is catalog reads (capture_ms / N, and per capture).

Projects: examples/blog (6 migrations) and 200 generated ones of the kinds
real projects have (tables with keys and foreign keys, columns with
defaults, indexes, enum types, functions, views, comments), each with the
downgrade that undoes it, so the schema grows as the walk goes.

Usage: bench/test.py [--varve PATH] [--testpg PATH] [--runs 3] [--n 200]
Build with -Doptimize=ReleaseFast first for figures worth quoting:
  tools/dev zig build -Doptimize=ReleaseFast && tools/dev zig build testpg
Not part of `zig build test`: benchmarks print figures, tests do not time.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def generated(n):
    """n migrations (upgrade, downgrade) of the kinds real projects have."""
    out = []
    tables = []
    for i in range(1, n + 1):
        k = i % 8
        if k == 1 or not tables:
            t = f"entity_{i}"
            ref = f",\n    parent_id bigint REFERENCES {tables[-1]} (id) ON DELETE CASCADE" if tables else ""
            out.append((f"CREATE TABLE {t} (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                        f"    name text NOT NULL,\n    created_at timestamptz NOT NULL DEFAULT now(){ref}\n);\n"
                        f"CREATE INDEX {t}_created_idx ON {t} (created_at);\n",
                        f"DROP TABLE {t};\n"))
            tables.append(t)
        elif k == 2:
            t = tables[-1]
            out.append((f"ALTER TABLE {t} ADD COLUMN note_{i} varchar(200) NOT NULL DEFAULT '';\n",
                        f"ALTER TABLE {t} DROP COLUMN note_{i};\n"))
        elif k == 3:
            t = tables[-1]
            out.append((f"CREATE UNIQUE INDEX {t}_name_{i}_key ON {t} (lower(name));\n",
                        f"DROP INDEX {t}_name_{i}_key;\n"))
        elif k == 4:
            t = tables[-1]
            out.append((f"CREATE TYPE state_{i} AS ENUM ('new', 'active', 'closed');\n"
                        f"ALTER TABLE {t} ADD COLUMN state_{i} state_{i} NOT NULL DEFAULT 'new';\n",
                        f"ALTER TABLE {t} DROP COLUMN state_{i};\nDROP TYPE state_{i};\n"))
        elif k == 5:
            out.append((f"CREATE FUNCTION slug_{i}(s text) RETURNS text LANGUAGE sql IMMUTABLE\n"
                        f"    AS $$ SELECT lower(regexp_replace(s, '[^a-z0-9]+', '-', 'gi')) $$;\n",
                        f"DROP FUNCTION slug_{i}(text);\n"))
        elif k == 6:
            t = tables[-1]
            out.append((f"CREATE VIEW recent_{i} AS SELECT id, name FROM {t}\n"
                        f"    WHERE created_at > now() - interval '7 days';\n",
                        f"DROP VIEW recent_{i};\n"))
        elif k == 7:
            t = tables[-1]
            out.append((f"COMMENT ON TABLE {t} IS 'entity {i}';\n"
                        f"ALTER TABLE {t} ALTER COLUMN name SET DEFAULT 'unnamed';\n",
                        f"COMMENT ON TABLE {t} IS NULL;\n"
                        f"ALTER TABLE {t} ALTER COLUMN name DROP DEFAULT;\n"))
        else:
            t = tables[-1]
            out.append((f"ALTER TABLE {t} ADD CONSTRAINT {t}_name_{i}_check CHECK (length(name) < 1000);\n",
                        f"ALTER TABLE {t} DROP CONSTRAINT {t}_name_{i}_check;\n"))
    return out


def write_project(migs):
    root = tempfile.mkdtemp(prefix="varve-bench-test-")
    os.makedirs(os.path.join(root, "migrations"))
    with open(os.path.join(root, "varve.yaml"), "w") as m:
        m.write("varve: 1\nmigrations:\n")
        prev = "null"
        for i, (up, down) in enumerate(migs, 1):
            rev = f"{i:04d}"
            name = f"{rev}_m.sql"
            with open(os.path.join(root, "migrations", name), "w") as f:
                f.write(f"-- upgrade --\n{up}\n-- downgrade --\n{down}")
            m.write(f'  - revision: "{rev}"\n    down_revision: {prev}\n    file: {name}\n')
            prev = f'"{rev}"'
    return root


def read_project(root):
    """(upgrade, downgrade) of each migration of a linear project whose
    entries are in graph order (`file:` with the canonical markers, or
    `up:` and `down:`)."""
    text = open(os.path.join(root, "varve.yaml")).read()
    out = []
    path = lambda name: os.path.join(root, "migrations", name)
    for m in re.finditer(r"file: (\S+)|up: (\S+)\s+down: (\S+)", text):
        if m.group(1):
            body = open(path(m.group(1))).read()
            up, _, down = body.partition("-- downgrade --")
            out.append((up.replace("-- upgrade --", ""), down))
        else:
            out.append((open(path(m.group(2))).read(), open(path(m.group(3))).read()))
    return out


def psql_script(migs):
    parts = []
    for up, down in migs:
        for sql in (up, down, up):
            # CONCURRENTLY cannot run in a transaction (varve runs such a
            # migration outside one too)
            if re.search(r"\bCONCURRENTLY\b", sql, re.I):
                parts.append(f"{sql}\n;\n")
            else:
                parts.append(f"BEGIN;\n{sql}\n;\nCOMMIT;\n")
    return "".join(parts)


class Server:
    def __init__(self, testpg):
        self.proc = subprocess.Popen([testpg], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("export "):
            self.proc.stdin.close()
            raise SystemExit(f"varve-testpg did not start:\n{self.proc.stderr.read().decode()}")
        self.env = dict(os.environ)
        for word in line.split()[1:]:
            key, _, value = word.partition("=")
            self.env[key] = value
        for k in ("VARVE_DATABASE_URL", "DATABASE_URL"):
            self.env.pop(k, None)
        self.serial = 0

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait()

    def psql(self, db, *args, stdin=None):
        return subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, *args],
                              env=self.env, input=stdin, capture_output=True, text=True,
                              check=True)

    def fresh(self):
        self.serial += 1
        db = f"benchtest{self.serial}"
        self.psql("postgres", "-c", f"CREATE DATABASE {db}")
        return db

    def drop(self, db):
        self.psql("postgres", "-c", f"DROP DATABASE {db}")


def measure(server, varve, root, migs, runs):
    n = len(migs)
    script = psql_script(migs)
    walls, sqls, caps, floors = [], [], [], []
    for _ in range(runs):
        db = server.fresh()
        t = time.perf_counter()
        p = subprocess.run([varve, "-f", os.path.join(root, "varve.yaml"), "test", "-d", db,
                            "--format", "json"], env=server.env, capture_output=True, text=True)
        walls.append(time.perf_counter() - t)
        server.drop(db)
        if p.returncode != 0:
            raise SystemExit(f"varve test failed ({p.returncode}):\n{p.stdout[-2000:]}{p.stderr}")
        doc = json.loads(p.stdout)
        assert doc["summary"]["passed"] == n, doc["summary"]
        sqls.append(doc["sql_ms"] / 1000)
        caps.append(doc["capture_ms"] / 1000)
        db = server.fresh()
        t = time.perf_counter()
        server.psql(db, "-f", "-", stdin=script)
        floors.append(time.perf_counter() - t)
        server.drop(db)
    wall, sql, cap, floor = (statistics.median(x) for x in (walls, sqls, caps, floors))
    ms = lambda s: s * 1000 / n
    print(f"  migrations               {n}")
    print(f"  varve test               {wall:8.3f} s   {ms(wall):7.2f} ms a migration (median of {runs})")
    print(f"  psql x3 (same SQL)       {floor:8.3f} s   {ms(floor):7.2f} ms a migration")
    print(f"  varve's own overhead                {ms(wall - floor):7.2f} ms a migration")
    print(f"    of which catalog reads            {ms(cap):7.2f} ms a migration "
          f"({cap * 1000 / (3 * n + 1):.2f} ms a capture, {3 * n + 1} captures)")
    print(f"    runs beyond psql's                {ms(sql - floor):7.2f} ms a migration "
          f"(varve's three runs {ms(sql):.2f} ms, bookkeeping and lock checks included)")
    print(f"    the rest                          {ms(wall - sql - cap):7.2f} ms a migration "
          f"(start, manifest, files, diffs)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--varve", default=os.path.join(ROOT, "zig-out", "bin", "varve"))
    ap.add_argument("--testpg", default=None)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args()
    varve = os.path.realpath(args.varve)
    testpg = args.testpg or os.path.join(os.path.dirname(varve), "varve-testpg")
    if not os.path.exists(testpg):
        testpg = os.path.join(ROOT, "zig-out", "bin", "varve-testpg")
    server = Server(testpg)
    gen = None
    try:
        print("examples/blog")
        blog = os.path.join(ROOT, "examples", "blog")
        measure(server, varve, blog, read_project(blog), args.runs)
        migs = generated(args.n)
        gen = write_project(migs)
        print(f"\n{args.n} generated migrations (tables, columns, indexes, enums, functions, "
              "views, comments, checks)")
        measure(server, varve, gen, migs, args.runs)
    finally:
        server.stop()
        if gen:
            shutil.rmtree(gen, ignore_errors=True)
    print("\nThe target: varve's own overhead under 20 ms a migration, mostly catalog reads.")


if __name__ == "__main__":
    sys.exit(main())
