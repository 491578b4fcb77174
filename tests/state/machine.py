#!/usr/bin/env python3
"""Randomised state-machine test of the runner (issue 10 §7).

Random sequences of upgrade, downgrade, resolve, stamp, injected failures,
kills (SIGKILL, SIGTERM) and concurrent runners (naming the version table
two ways) against one database. After every step the
version table and the schema must agree:

- a row 'applied' has every table its migration makes;
- no row: none of them (a migration's tables come and go together);
- a row 'dirty' (a `transaction: false` migration cut part way): any;
- every table belongs to some migration;
- the rows are closed under the graph: an applied migration's parents are
  applied (before it);
- and a run that said it succeeded did what it was asked.

Usage: machine.py VARVE VARVE_TESTPG [--steps N] [--seed S] [-v]
The environment can give VARVE_STATE_STEPS and VARVE_STATE_SEED instead.
The seed is printed first: `--seed S --steps N` replays a failure (the
kills' timing is real time, so a replay is close, not exact).
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# The graph: revision -> (parents, tables it makes, kind). Kinds: "tx" (one
# transaction), "notx" (`transaction: false`, two statements with the hook
# between, so a failure or kill leaves it dirty), "merge" (no SQL),
# "uponly" (no downgrade section: a downgrade through it is refused),
# "noopdown" (a deliberately empty downgrade section, as `check`'s
# missing-downgrade warning suggests: rolling it back deletes its row and
# leaves its table, by design).
GRAPH = {
    "0001": ([], ["t1"], "tx"),
    "0002": (["0001"], ["t2"], "tx"),
    "0003": (["0001"], ["t3"], "notx"),
    "0004": (["0002", "0003"], [], "merge"),
    "0005": (["0004"], ["t5"], "tx"),
    "0006": (["0005"], ["t6a", "t6b"], "notx"),
    "0007": (["0006"], ["t7"], "uponly"),
    "0008": (["0007"], ["t8"], "tx"),
    "0009": (["0008"], ["t9"], "noopdown"),
}
ORDER = list(GRAPH)
WITH_SQL = [r for r in ORDER if GRAPH[r][2] != "merge"]

HARNESS_SQL = """
CREATE SCHEMA harness;
CREATE TABLE harness.ctl (key text PRIMARY KEY, fail bool NOT NULL DEFAULT false,
                          sleep float NOT NULL DEFAULT 0);
CREATE FUNCTION harness.hook(k text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  SELECT * INTO r FROM harness.ctl WHERE key = k;
  IF FOUND THEN
    IF r.sleep > 0 THEN PERFORM pg_catalog.pg_sleep(r.sleep); END IF;
    IF r.fail THEN RAISE EXCEPTION 'injected failure at %', k; END IF;
  END IF;
END $$;
CREATE FUNCTION harness.snapshot() RETURNS json LANGUAGE plpgsql AS $$
DECLARE rows json;
BEGIN
  IF pg_catalog.to_regclass('public.varve_version') IS NULL THEN
    rows := '[]';
  ELSE
    EXECUTE 'SELECT coalesce(json_agg(json_build_array(revision, state) ORDER BY seq), ''[]'')
             FROM public.varve_version' INTO rows;
  END IF;
  RETURN json_build_object('rows', rows, 'tables',
    (SELECT coalesce(json_agg(relname ORDER BY relname), '[]') FROM pg_catalog.pg_class
      WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace
        AND relname <> 'varve_version'));
END $$;
"""


def migration_file(rev):
    parents, tables, kind = GRAPH[rev]
    hook = "SELECT harness.hook('%s');\n"
    if kind == "noopdown":
        return ("-- upgrade --\n" + "".join("CREATE TABLE IF NOT EXISTS %s (id int);\n" % t
                                             for t in tables)
                + hook % rev + "-- downgrade --\n-- deliberately none: the table stays\n")
    up = "".join("CREATE TABLE %s (id int);\n" % t for t in tables[:1])
    up += hook % rev
    up += "".join("CREATE TABLE %s (id int);\n" % t for t in tables[1:])
    down = "".join("DROP TABLE %s;\n" % t for t in reversed(tables[1:]))
    down += hook % (rev + ":down")
    down += "".join("DROP TABLE %s;\n" % t for t in reversed(tables[:1]))
    text = "-- upgrade --\n" + up
    if kind != "uponly":
        text += "-- downgrade --\n" + down
    return text


def manifest():
    lines = ["varve: 1", "migrations:"]
    for rev in ORDER:
        parents, tables, kind = GRAPH[rev]
        down = "null" if not parents else (
            '"%s"' % parents[0] if len(parents) == 1
            else "[" + ", ".join('"%s"' % p for p in parents) + "]")
        entry = '  - {revision: "%s", down_revision: %s' % (rev, down)
        if kind != "merge":
            entry += ", file: %s.sql" % rev
        if kind == "notx":
            entry += ", transaction: false"
        lines.append(entry + "}")
    return "\n".join(lines) + "\n"


class Failure(Exception):
    pass


class Machine:
    def __init__(self, varve, testpg, seed, verbose):
        self.varve = varve
        self.rng = random.Random(seed)
        self.verbose = verbose
        self.log = []
        self.dir = tempfile.mkdtemp(prefix="varve-state-")
        os.makedirs(os.path.join(self.dir, "migrations"))
        for rev in WITH_SQL:
            with open(os.path.join(self.dir, "migrations", rev + ".sql"), "w") as f:
                f.write(migration_file(rev))
        with open(os.path.join(self.dir, "varve.yaml"), "w") as f:
            f.write(manifest())
        # The same table spelt another way: one lock all the same.
        with open(os.path.join(self.dir, "qualified.yaml"), "w") as f:
            f.write(manifest().replace("varve: 1\n", "varve: 1\nversion_table: public.varve_version\n"))
        # The scratch server lives while its stdin is open.
        self.pg = subprocess.Popen([testpg], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   text=True)
        line = self.pg.stdout.readline()
        if not line.startswith("export "):
            raise SystemExit("machine.py: the scratch server did not start")
        self.env = dict(os.environ)
        for kv in line[len("export "):].split():
            k, v = kv.split("=", 1)
            self.env[k] = v
        self.env["DATABASE_URL"] = "postgresql:///postgres"
        self.env.pop("NO_COLOR", None)
        # One psql for the harness's own queries: starting one per query
        # cost more than the runs on a busy machine.
        self.sql = subprocess.Popen(["psql", "-XAtq"], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    env=self.env, text=True)
        self.psql(HARNESS_SQL)

    def close(self):
        self.sql.stdin.close()
        self.sql.wait()
        self.pg.stdin.close()
        self.pg.wait()
        try:
            shutil.rmtree(self.dir)
        except OSError:
            time.sleep(0.5)  # a racing runner's last file, say
            shutil.rmtree(self.dir, ignore_errors=True)

    def psql(self, sql):
        self.sql.stdin.write(sql.rstrip().rstrip(";") + ";\n\\echo __done__\n")
        self.sql.stdin.flush()
        out = []
        while True:
            line = self.sql.stdout.readline()
            if not line:
                raise Failure("the harness's psql exited")
            if line.rstrip("\n") == "__done__":
                break
            out.append(line)
        text = "".join(out).strip()
        if "ERROR:" in text or "FATAL:" in text:
            raise Failure("psql failed: %s\n%s" % (sql, text))
        return text

    def note(self, what):
        self.log.append(what)
        if self.verbose:
            print("  " + what, flush=True)

    def run(self, *args, expect=None):
        r = subprocess.run([self.varve, *args], cwd=self.dir, env=self.env,
                           capture_output=True, text=True, timeout=120)
        self.note("varve %s -> %d %s" % (" ".join(args), r.returncode,
                                         r.stderr.strip().replace("\n", " | ")[:300]))
        if expect is not None and r.returncode not in expect:
            raise Failure("varve %s exited %d, expected %s:\n%s%s" % (
                " ".join(args), r.returncode, expect, r.stdout, r.stderr))
        return r

    def snapshot(self):
        d = json.loads(self.psql("SELECT harness.snapshot()"))
        return {rev: state for rev, state in d["rows"]}, [r for r, _ in d["rows"]], set(d["tables"])

    def check(self):
        rows, order, tables = self.snapshot()
        if len(order) != len(set(order)):
            raise Failure("a revision has two rows: %s" % order)
        known = set()
        for rev in ORDER:
            parents, made, kind = GRAPH[rev]
            known.update(made)
            state = rows.get(rev)
            if state == "applied" and not set(made) <= tables:
                raise Failure("%s is applied but %s is missing" % (rev, sorted(set(made) - tables)))
            if state is None and set(made) & tables and kind != "noopdown":
                raise Failure("%s has no row but %s exists" % (rev, sorted(set(made) & tables)))
            if state is not None:
                for p in parents:
                    if rows.get(p) != "applied" or order.index(p) > order.index(rev):
                        raise Failure("%s is recorded but its parent %s is not applied before it"
                                      % (rev, p))
        for rev in rows:
            if rev not in GRAPH:
                raise Failure("a row for an unknown revision %s" % rev)
        if tables - known:
            raise Failure("tables no migration makes: %s" % sorted(tables - known))
        return rows, tables

    def ctl(self, key, fail=False, sleep=0.0):
        self.psql("INSERT INTO harness.ctl VALUES ('%s', %s, %s) ON CONFLICT (key) DO UPDATE "
                  "SET fail = excluded.fail, sleep = excluded.sleep" % (key, fail, sleep))

    def clear(self):
        self.psql("DELETE FROM harness.ctl")

    def wait_backends_gone(self):
        for _ in range(200):
            if self.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'varve'") == "0":
                return
            time.sleep(0.05)
        raise Failure("varve's backend outlived varve by 10 s")

    # The steps -----------------------------------------------------------

    def dirty(self):
        rows, _, _ = self.snapshot()
        return [r for r, s in rows.items() if s == "dirty"]

    def target(self, direction):
        pick = self.rng.random()
        if direction == "upgrade":
            if pick < 0.4:
                return "head"
            if pick < 0.6:
                return "+%d" % self.rng.randint(1, 3)
            return self.rng.choice(ORDER)
        if pick < 0.35:
            return "base"
        if pick < 0.6:
            return "-%d" % self.rng.randint(1, 3)
        return self.rng.choice(ORDER)

    def step_upgrade(self):
        dirty = self.dirty()
        t = self.target("upgrade")
        r = self.run("upgrade", t, *(["-q"] if self.rng.random() < 0.3 else []), expect=[0, 1])
        if dirty and r.returncode == 0:
            raise Failure("upgrade ran with %s dirty" % dirty)
        if r.returncode == 0 and t in GRAPH:
            rows, _, _ = self.snapshot()
            if rows.get(t) != "applied":
                raise Failure("upgrade %s succeeded but %s is not applied" % (t, t))
        if r.returncode == 0 and t == "head":
            rows, _, _ = self.snapshot()
            if set(rows) != set(ORDER):
                raise Failure("upgrade head succeeded but rows are %s" % sorted(rows))

    def step_downgrade(self):
        dirty = self.dirty()
        t = self.target("downgrade")
        before, _, _ = self.snapshot()
        r = self.run("downgrade", t, *(["-q"] if self.rng.random() < 0.5 else []),
                     expect=[0, 1])
        after, _, _ = self.snapshot()
        if dirty and r.returncode == 0:
            raise Failure("downgrade ran with %s dirty" % dirty)
        if r.returncode == 0 and t == "base" and after:
            raise Failure("downgrade base succeeded but rows remain: %s" % sorted(after))
        # Through the up-only migration nothing at all may run.
        if r.returncode != 0 and "no downgrade" in r.stderr and after != before:
            raise Failure("a downgrade refused for an up-only migration changed rows: "
                          "%s -> %s" % (sorted(before.items()), sorted(after.items())))

    def step_fail(self):
        rev = self.rng.choice(WITH_SQL)
        down = self.rng.random() < 0.5
        self.ctl(rev + (":down" if down else ""), fail=True)
        try:
            if down:
                self.run("downgrade", "base", expect=[0, 1])
            else:
                self.run("upgrade", "head", expect=[0, 1])
        finally:
            self.clear()

    def step_kill(self):
        rev = self.rng.choice(WITH_SQL)
        down = self.rng.random() < 0.5
        key = rev + (":down" if down else "")
        self.ctl(key, sleep=3)
        sig = signal.SIGKILL if self.rng.random() < 0.6 else signal.SIGTERM
        args = ["downgrade", "base"] if down else ["upgrade", "head"]
        p = subprocess.Popen([self.varve, *args], cwd=self.dir, env=self.env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        # A random moment: often while the hook sleeps, sometimes before.
        deadline = time.monotonic() + self.rng.choice([0.01, 0.03, 0.08, 0.15, 0.3])
        while time.monotonic() < deadline and p.poll() is None:
            time.sleep(0.01)
        p.send_signal(sig)
        try:
            err = p.communicate(timeout=30)[1]
        except subprocess.TimeoutExpired:
            p.kill()
            raise Failure("varve %s did not exit within 30 s of %s" % (" ".join(args), sig.name))
        self.note("varve %s, %s at %s -> %d %s" % (" ".join(args), sig.name, key, p.returncode,
                                                   err.strip().replace("\n", " | ")[:200]))
        if sig == signal.SIGTERM and p.returncode not in (0, 1, 143, -15):
            raise Failure("SIGTERM: exit %d\n%s" % (p.returncode, err))
        self.clear()
        # After SIGKILL the server notices the dead client within a second
        # (client_connection_check_interval); half the time, stand in for
        # that with pg_terminate_backend, which ends it the same way.
        if sig == signal.SIGKILL and self.rng.random() < 0.5:
            self.psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                      "WHERE application_name = 'varve'")
        self.wait_backends_gone()

    def repair(self, rev, applied):
        """What a person does before `resolve`: finish the migration by
        hand, or undo what of it ran."""
        made = GRAPH[rev][1]
        if applied:
            for t in made:
                self.psql("CREATE TABLE IF NOT EXISTS public.%s (id int)" % t)
        else:
            for t in made:
                self.psql("DROP TABLE IF EXISTS public.%s" % t)

    def step_resolve(self):
        dirty = self.dirty()
        if not dirty:
            rev = self.rng.choice(ORDER)
            r = self.run("resolve", rev, "--applied", expect=[1])
            if "not dirty" not in r.stderr:
                raise Failure("resolve of a clean revision: %s" % r.stderr)
            return
        rev = dirty[0]
        applied = self.rng.random() < 0.5
        self.repair(rev, applied)
        self.run("resolve", rev, "--applied" if applied else "--rolled-back", expect=[0])

    def step_stamp(self):
        if self.dirty():
            return self.step_resolve()
        t = self.target(self.rng.choice(["upgrade", "downgrade"]))
        before, _, _ = self.snapshot()
        r = self.run("stamp", t, expect=[0, 1])
        if r.returncode != 0:
            return
        after, _, _ = self.snapshot()
        # stamp writes rows only: a person makes the schema match.
        for rev in set(after) - set(before):
            self.repair(rev, True)
        for rev in set(before) - set(after):
            self.repair(rev, False)

    def step_race(self):
        """Two or three runners at once, some naming the table
        `public.varve_version`: the lock keeps them apart."""
        procs = []
        for _ in range(self.rng.randint(2, 3)):
            args = self.rng.choice([["upgrade", "head"], ["upgrade", "+1"], ["downgrade", "-1"],
                                    ["downgrade", "base"]])
            if self.rng.random() < 0.5:
                args = ["-f", "qualified.yaml"] + args
            procs.append((args, subprocess.Popen([self.varve, "-q", *args], cwd=self.dir,
                                                 env=self.env, stdout=subprocess.DEVNULL,
                                                 stderr=subprocess.PIPE, text=True)))
        for args, p in procs:
            err = p.communicate(timeout=120)[1]
            self.note("varve %s (racing) -> %d %s" % (" ".join(args), p.returncode,
                                                      err.strip().replace("\n", " | ")[:200]))
            if p.returncode not in (0, 1):
                raise Failure("a racing runner exited %d:\n%s" % (p.returncode, err))
            if "already exists" in err or "duplicate key" in err:
                raise Failure("two runners ran one migration:\n%s" % err)

    STEPS = [("upgrade", 25), ("downgrade", 20), ("fail", 15), ("kill", 15),
             ("resolve", 15), ("stamp", 10), ("race", 8)]

    def step(self, i):
        names = [n for n, _ in self.STEPS]
        weights = [w for _, w in self.STEPS]
        name = self.rng.choices(names, weights)[0]
        self.note("step %d: %s" % (i, name))
        getattr(self, "step_" + name)()
        self.check()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("varve")
    ap.add_argument("testpg")
    ap.add_argument("--steps", type=int, default=int(os.environ.get("VARVE_STATE_STEPS", "300")))
    ap.add_argument("--seed", type=int, default=int(os.environ.get("VARVE_STATE_SEED", "20261129")))
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    print("state machine: seed %d, %d steps (replay: --seed %d --steps %d)"
          % (a.seed, a.steps, a.seed, a.steps), flush=True)
    m = Machine(os.path.abspath(a.varve), os.path.abspath(a.testpg), a.seed, a.verbose)
    start = time.monotonic()
    try:
        for i in range(a.steps):
            m.step(i)
    except Failure as e:
        print("state machine: FAILED at step %d (seed %d): %s" % (i, a.seed, e))
        print("the last steps:")
        for line in m.log[-15:]:
            print("  " + line)
        return 1
    finally:
        m.close()
    counts = {}
    for line in m.log:
        if line.startswith("step "):
            counts[line.split(": ")[1]] = counts.get(line.split(": ")[1], 0) + 1
    print("state machine: ok, %d steps in %.0f s (%s)" % (
        a.steps, time.monotonic() - start,
        ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
