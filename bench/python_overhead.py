#!/usr/bin/env python3
"""What the Python binding costs: varve.Project.upgrade() of N `SELECT 1`
migrations (1,000 by default) against `varve upgrade` (the CLI, the same
library) doing the same, each run in a fresh database on a scratch
PostgreSQL (CREATE DATABASE before, DROP after, neither timed).

Both pay for loading the manifest, connecting, the lock and N transactions;
the CLI also for starting a process. The Python side is timed twice: with
no progress callback, and with one (each migration's events cross into
Python). Prints best and median wall time of each, and the client's CPU
time (the CLI's from getrusage of the child, Python's from
time.process_time): the server's work and the machine's other load are
in the wall time only, so the binding's cost per migration, (python -
cli) / N, is read from the CPU time; the target is under 50 µs.

Usage: bench/python_overhead.py [--varve zig-out/bin/varve] [--n 1000] [--runs 5]
Run it with a Python where varve is installed (tools/dev python makes
zig-out/python-venv). For figures worth quoting, build both in release:
  tools/dev zig build -Doptimize=ReleaseFast --prefix /tmp/rel
  VARVE_PREFIX=/tmp/rel zig-out/python-venv/bin/pip install --no-build-isolation ./python
  zig-out/python-venv/bin/python bench/python_overhead.py --varve /tmp/rel/bin/varve
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import varve

ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def make_project(folder, n):
    os.makedirs(os.path.join(folder, "migrations"))
    lines = ["varve: 1\nmigrations:\n"]
    for i in range(1, n + 1):
        rev = "%05d" % i
        with open(os.path.join(folder, "migrations", rev + ".sql"), "w") as f:
            f.write("-- upgrade --\nSELECT 1;\n-- downgrade --\nSELECT 1;\n")
        parent = "null" if i == 1 else "'%05d'" % (i - 1)
        lines.append("- {revision: '%s', down_revision: %s, file: %s.sql}\n" % (rev, parent, rev))
    path = os.path.join(folder, "varve.yaml")
    with open(path, "w") as f:
        f.write("".join(lines))
    return path


def cpu():
    """CPU seconds of this process and of its waited-for children."""
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + c.ru_utime + c.ru_stime


def timed(server, name, fn):
    """(wall, client CPU) seconds of fn on a fresh database."""
    varve.execute(server.conninfo, 'CREATE DATABASE "%s"' % name)
    conninfo = "%s dbname=%s" % (server.conninfo, name)
    try:
        start, start_cpu = time.perf_counter(), cpu()
        fn(conninfo)
        return time.perf_counter() - start, cpu() - start_cpu
    finally:
        varve.execute(server.conninfo, 'DROP DATABASE "%s"' % name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--varve", default=os.path.join(ROOT, "zig-out", "bin", "varve"))
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()

    def cli(conninfo):
        subprocess.run([a.varve, "-q", "--manifest", manifest, "--database", conninfo, "upgrade"],
                       check=True, stdout=subprocess.DEVNULL)

    def python(conninfo):
        assert len(varve.Project(manifest, database=conninfo).upgrade()) == a.n

    def python_progress(conninfo):
        seen = []
        varve.Project(manifest, database=conninfo, progress=seen.append).upgrade()
        assert len(seen) == 2 * a.n

    with tempfile.TemporaryDirectory() as tmp, varve.Scratch() as server:
        manifest = make_project(tmp, a.n)
        times = {"cli": [], "python": [], "python+progress": []}
        for run in range(a.runs):
            for name, fn in (("cli", cli), ("python", python), ("python+progress", python_progress)):
                times[name].append(timed(server, "bench_%d_%s" % (run, name.replace("+", "_")), fn))
    print("upgrade of %d SELECT 1 migrations, %d runs (libvarve %s, %s)" % (
        a.n, a.runs, varve.__version__, sys.executable))
    cli_cpu = statistics.median(c for _, c in times["cli"])
    for name, t in times.items():
        wall = [w for w, _ in t]
        med_cpu = statistics.median(c for _, c in t)
        extra = "" if name == "cli" else "   binding: %+.1f µs per migration" % (
            (med_cpu - cli_cpu) / a.n * 1e6)
        print("  %-16s wall best %7.1f ms median %7.1f ms   client CPU median %6.1f ms%s" % (
            name, min(wall) * 1e3, statistics.median(wall) * 1e3, med_cpu * 1e3, extra))

if __name__ == "__main__":
    main()
