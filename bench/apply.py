#!/usr/bin/env python3
"""Benchmark the runner against psql on a private PostgreSQL (SPEC §9).

Starts its own server with varve-testpg (stopped when its stdin closes),
generates linear projects of small migrations and measures, each run in a
fresh database (CREATE DATABASE before, DROP DATABASE after, neither timed):

  upgrade    `varve upgrade` of N migrations (a table with a primary key and
             an index each) from empty to head, beside psql running the same
             SQL with the same transactions and version-table inserts in one
             session (`psql -X -q -v ON_ERROR_STOP=1 -f script`, the version
             table created first by the script, as varve creates it);
  select 1   the same with N migrations of `SELECT 1`: the runner's own cost;
  downgrade  `varve downgrade base` of N beside psql doing the same DELETEs
             and DROPs, each in its transaction;
  status,    `varve status` and a no-op `varve upgrade` with N and BIG
  no-op      applied (BIG reached with `varve stamp head`), beside psql
             reading the version table (its connect-and-query floor);
  memory     the peak RSS (ru_maxrss of the child) of the N upgrade and of
             psql's.

Prints best and median of each, the ratio varve/psql (of the medians) and
the runner's overhead per migration in microseconds ((varve - psql) / N).

Usage: bench/apply.py [--varve PATH] [--testpg PATH] [--runs 5] [--quick]
Build with -Doptimize=ReleaseFast first for figures worth quoting:
  tools/dev zig build -Doptimize=ReleaseFast && tools/dev zig build testpg
Not part of `zig build test`: benchmarks print figures, tests do not time.
"""
import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


# --- the projects ---------------------------------------------------------

def ddl_migration(i):
    return (f"CREATE TABLE t{i} (id bigint PRIMARY KEY, name text NOT NULL);\n"
            f"CREATE INDEX t{i}_name ON t{i} (name);\n",
            f"DROP TABLE t{i};\n")


def select1_migration(i):
    return "SELECT 1;\n", "SELECT 1;\n"


class Project:
    """A linear manifest of n migrations with their files, and the psql
    scripts that do what `varve upgrade` and `varve downgrade base` do."""

    def __init__(self, n, kind):
        self.n = n
        self.root = tempfile.mkdtemp(prefix=f"varve-bench-apply-{kind}-{n}-")
        make = ddl_migration if kind == "ddl" else select1_migration
        mig = os.path.join(self.root, "migrations")
        os.makedirs(mig)
        width = max(4, len(str(n)))
        with open(os.path.join(ROOT, "schemas", "version_table.sql")) as f:
            table_ddl = f.read().replace("{{table}}", "varve_version")
        up = [table_ddl]
        down = []
        with open(os.path.join(self.root, "varve.yaml"), "w") as m:
            m.write("varve: 1\nmigrations:\n")
            prev = "null"
            for i in range(1, n + 1):
                rev = f"{i:0{width}d}"
                desc = f"create t{i}"
                name = f"{rev}_create_t{i}.sql"
                m.write(f'  - revision: "{rev}"\n    down_revision: {prev}\n'
                        f"    description: {desc}\n    file: {name}\n")
                prev = f'"{rev}"'
                u, d = make(i)
                with open(os.path.join(mig, name), "w") as f:
                    f.write(f"-- upgrade --\n{u}-- downgrade --\n{d}")
                checksum = "sha256:" + hashlib.sha256(u.encode()).hexdigest()
                up.append(f"BEGIN;\n{u}INSERT INTO varve_version (revision, description, "
                          f"checksum, duration_ms) VALUES ('{rev}', '{desc}', '{checksum}', 0);\n"
                          "COMMIT;\n")
                down.append(f"BEGIN;\n{d}DELETE FROM varve_version WHERE revision = '{rev}';\n"
                            "COMMIT;\n")
        self.up_script = os.path.join(self.root, "up.psql")
        self.down_script = os.path.join(self.root, "down.psql")
        with open(self.up_script, "w") as f:
            f.write("".join(up))
        with open(self.down_script, "w") as f:
            f.write("".join(reversed(down)))

    def remove(self):
        shutil.rmtree(self.root)


# --- the server and the processes -----------------------------------------

# A child of this Python process inherits its peak RSS (Linux keeps the
# larger of the old and new image's at exec), so ru_maxrss would read
# Python's ~20 MiB for any child. This tiny launcher is forked and exec'd
# from a small image: its child's ru_maxrss is the child's own.
LAUNCHER_C = r"""
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid;
	FILE *out;

	if (argc < 3 || (pid = fork()) < 0)
		return 125;
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0 || !(out = fopen(argv[1], "w")))
		return 125;
	fprintf(out, "%ld\n", ru.ru_maxrss);
	fclose(out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
"""
LAUNCHER = None


def build_launcher(folder):
    global LAUNCHER
    src = os.path.join(folder, "launch.c")
    exe = os.path.join(folder, "launch")
    with open(src, "w") as f:
        f.write(LAUNCHER_C)
    for cc in (["cc"], [sys.executable, "-m", "ziglang", "cc"]):
        if cc[0] == "cc" and not shutil.which("cc"):
            continue
        if subprocess.run(cc + ["-O2", "-o", exe, src], stderr=subprocess.DEVNULL).returncode == 0:
            LAUNCHER = exe
            return
    raise SystemExit("cannot compile the launcher (no cc, no ziglang)")

class Server:
    """varve-testpg as a child: its stdin stays open while we measure."""

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
        self.env.pop("VARVE_DATABASE_URL", None)
        self.serial = 0

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait()

    def env_for(self, db):
        env = dict(self.env, PGDATABASE=db, DATABASE_URL=f"postgresql:///{db}")
        return env

    def admin(self, sql):
        run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-c", sql],
            self.env_for("postgres"))

    def query(self, db, sql):
        return run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                   self.env_for(db), capture=True)[2].strip()

    def fresh(self):
        self.serial += 1
        db = f"bench{self.serial}"
        self.admin(f"CREATE DATABASE {db}")
        return db

    def drop(self, db):
        self.admin(f"DROP DATABASE {db}")


def run(argv, env, cwd=None, capture=False):
    """Run argv to completion through the launcher: (seconds, the child's
    peak RSS in KiB, its stdout when `capture`)."""
    err = tempfile.TemporaryFile()
    out = tempfile.TemporaryFile() if capture else subprocess.DEVNULL
    with tempfile.NamedTemporaryFile("r") as rss:
        t = time.perf_counter()
        p = subprocess.run([LAUNCHER, rss.name] + argv, env=env, cwd=cwd,
                           stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        elapsed = time.perf_counter() - t
        if p.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(argv)} failed ({p.returncode}):\n"
                             f"{err.read().decode(errors='replace')[:2000]}")
        peak = int(rss.read())
    text = ""
    if capture:
        out.seek(0)
        text = out.read().decode()
    return elapsed, peak, text


# --- the measurements -----------------------------------------------------

class Sample:
    def __init__(self):
        self.times = []
        self.peak = 0

    def add(self, seconds, rss):
        self.times.append(seconds)
        self.peak = max(self.peak, rss)

    @property
    def best(self):
        return min(self.times)

    @property
    def median(self):
        return statistics.median(self.times)


def applied(server, db):
    return int(server.query(db, "SELECT count(*) FROM varve_version"))


def bench_upgrade(server, varve, project, runs):
    """varve upgrade vs the psql script, each in a fresh database."""
    v, p = Sample(), Sample()
    for _ in range(runs):
        db = server.fresh()
        v.add(*run([varve, "upgrade"], server.env_for(db), project.root)[:2])
        if applied(server, db) != project.n:
            raise SystemExit("varve upgrade did not apply every migration")
        server.drop(db)
        db = server.fresh()
        p.add(*run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", project.up_script],
                   server.env_for(db))[:2])
        if applied(server, db) != project.n:
            raise SystemExit("the psql script did not apply every migration")
        server.drop(db)
    return v, p


def bench_downgrade(server, varve, project, runs):
    """varve downgrade base vs the psql script, from everything applied."""
    v, p = Sample(), Sample()
    for _ in range(runs):
        db = server.fresh()
        run([varve, "upgrade"], server.env_for(db), project.root)
        v.add(*run([varve, "downgrade", "base"], server.env_for(db), project.root)[:2])
        if applied(server, db) != 0:
            raise SystemExit("varve downgrade base left rows behind")
        server.drop(db)
        db = server.fresh()
        run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", project.up_script],
            server.env_for(db))
        p.add(*run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", project.down_script],
                   server.env_for(db))[:2])
        if applied(server, db) != 0:
            raise SystemExit("the psql downgrade script left rows behind")
        server.drop(db)
    return v, p


def bench_read(server, varve, project, runs, stamp):
    """status, no-op upgrade and psql's read of the version table, with the
    project applied (by upgrade, or by `stamp head` when `stamp`)."""
    db = server.fresh()
    run([varve, "stamp" if stamp else "upgrade", "head"], server.env_for(db), project.root)
    if applied(server, db) != project.n:
        raise SystemExit("the setup did not apply every migration")
    st, noop, floor = Sample(), Sample(), Sample()
    env = server.env_for(db)
    for _ in range(runs):
        st.add(*run([varve, "status"], env, project.root)[:2])
        noop.add(*run([varve, "upgrade"], env, project.root)[:2])
        floor.add(*run(["psql", "-X", "-At", "-c", "SELECT * FROM varve_version ORDER BY seq"],
                       env)[:2])
    server.drop(db)
    return st, noop, floor


def ms(s):
    return f"{s * 1000:8.1f}ms"


def row(label, v, p, n, limit):
    ratio = v.median / p.median
    over = (v.median - p.median) / n * 1e6
    print(f"{label:<24} {ms(v.best)} {ms(v.median)}  {ms(p.best)} {ms(p.median)}"
          f"  {ratio:5.2f}x  {over:+8.0f}us  {limit}", flush=True)


def single(label, s, limit):
    print(f"{label:<24} {ms(s.best)} {ms(s.median)}  {limit}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--varve", default="zig-out/bin/varve")
    ap.add_argument("--testpg", default="zig-out/bin/varve-testpg")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true",
                    help="a smoke run: 100 and 1,000 migrations, 2 runs")
    a = ap.parse_args()
    n, big, runs = (100, 1000, min(a.runs, 2)) if a.quick else (1000, 10000, a.runs)
    varve = os.path.realpath(a.varve)
    for tool in ("psql",):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is not on PATH")
    tools = tempfile.mkdtemp(prefix="varve-bench-apply-")
    server = None
    projects = []
    try:
        build_launcher(tools)
        server = Server(os.path.realpath(a.testpg))
        for size, kind in ((n, "ddl"), (n, "select1"), (big, "ddl")):
            projects.append(Project(size, kind))
        ddl, sel, bigp = projects
        print(f"varve {varve}, psql {shutil.which('psql')}, {runs} runs each, "
              f"fresh database per run")
        print(f"{'':<24} {'varve':>21}  {'psql':>21}")
        print(f"{'':<24} {'best':>10} {'median':>10}  {'best':>10} {'median':>10}"
              f"  {'ratio':>6}  {'per mig.':>10}  SPEC §9")
        up_v, up_p = bench_upgrade(server, varve, ddl, runs)
        row(f"upgrade {n:,}", up_v, up_p, n, "<= 1.15x")
        s_v, s_p = bench_upgrade(server, varve, sel, runs)
        row(f"upgrade {n:,} SELECT 1", s_v, s_p, n, "<= 1.10x")
        d_v, d_p = bench_downgrade(server, varve, ddl, runs)
        row(f"downgrade base {n:,}", d_v, d_p, n, "<= 1.10x")
        print()
        print(f"{'':<24} {'best':>10} {'median':>10}")
        for proj, stamp in ((ddl, False), (bigp, True)):
            st, noop, floor = bench_read(server, varve, proj, runs, stamp)
            limit = "<= 20 ms" if proj.n <= 1000 else "< 50 ms"
            single(f"status, {proj.n:,} applied", st, limit)
            single(f"no-op upgrade, {proj.n:,}", noop, limit)
            single(f"psql SELECT, {proj.n:,}", floor, "(floor)")
        print()
        print(f"peak RSS, upgrade {n:,}: varve {up_v.peak / 1024:.1f} MiB, "
              f"psql {up_p.peak / 1024:.1f} MiB  (SPEC §9: about psql's)")
    finally:
        if server:
            server.stop()
        for p in projects:
            p.remove()
        shutil.rmtree(tools)


if __name__ == "__main__":
    main()
