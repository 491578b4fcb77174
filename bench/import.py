#!/usr/bin/env python3
"""Benchmark `varve import` (SPEC §9: under 1 s each).

Generates a golang-migrate folder of N files pairs (N up files, N down
files, N = 10,000 by default), then measures, each run from scratch:

  folder   `varve import --from golang-migrate` of the folder: list, order,
           read every file (checksum, transaction detection), write the
           manifest;
  adopt    the same with `-d DB` against golang-migrate's table saying
           version N is applied: the N rows recorded in varve's version
           table (one transaction under the lock) on a private PostgreSQL
           started with varve-testpg; the manifest is removed and the
           version table dropped between runs (not timed).

Prints best and median of each.

Usage: bench/import.py [--varve PATH] [--testpg PATH] [--n 10000] [--runs 5]
Build with -Doptimize=ReleaseFast for figures worth quoting:
  python3 -m ziglang build -Doptimize=ReleaseFast && python3 -m ziglang build testpg
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run(argv, env, cwd=None):
    p = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return p.stdout


def generate(folder, n):
    mig = os.path.join(folder, "migrations")
    os.makedirs(mig)
    for i in range(1, n + 1):
        with open(os.path.join(mig, f"{i:06d}_table_{i}.up.sql"), "w") as f:
            f.write(f"CREATE TABLE t{i} (id bigint PRIMARY KEY, name text NOT NULL);\n")
        with open(os.path.join(mig, f"{i:06d}_table_{i}.down.sql"), "w") as f:
            f.write(f"DROP TABLE t{i};\n")


CPU = []


def timed(argv, env, cwd):
    """Wall time; the child's CPU time (user + system) goes to CPU, since on
    a shared machine the wall time also counts waiting for a core."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    run(argv, env, cwd)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return wall


def report(name, times):
    cpu = CPU[-len(times):]
    print(f"{name:8} wall best {min(times) * 1000:7.1f} ms, median "
          f"{statistics.median(times) * 1000:7.1f} ms; cpu median "
          f"{statistics.median(cpu) * 1000:7.1f} ms")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--varve", default="zig-out/bin/varve")
    ap.add_argument("--testpg", default="zig-out/bin/varve-testpg")
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    varve = os.path.realpath(a.varve)
    tmp = tempfile.mkdtemp(prefix="varve-bench-import-")
    server = None
    try:
        generate(tmp, a.n)
        env = dict(os.environ)
        env.pop("VARVE_DATABASE_URL", None)
        manifest = os.path.join(tmp, "varve.yaml")
        folder = []
        for _ in range(a.runs):
            if os.path.exists(manifest):
                os.unlink(manifest)
            folder.append(timed([varve, "-q", "import", "--from", "golang-migrate"], env, tmp))
        print(f"import of {a.n} golang-migrate migrations ({2 * a.n} files)")
        report("folder", folder)

        server = subprocess.Popen([os.path.realpath(a.testpg)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = server.stdout.readline().decode()
        if not line.startswith("export "):
            raise SystemExit(f"varve-testpg did not start:\n{server.stderr.read().decode()}")
        for word in line.split()[1:]:
            key, _, value = word.partition("=")
            env[key] = value
        env["PGDATABASE"] = "postgres"
        psql = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c"]
        run(psql + ["CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, "
                    f"dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES ({a.n}, false)"],
            env)
        adopt = []
        for _ in range(a.runs):
            os.unlink(manifest)
            run(psql + ["DROP TABLE IF EXISTS varve_version"], env)
            adopt.append(timed([varve, "-q", "import", "--from", "golang-migrate",
                                "-d", "postgres"], env, tmp))
        rows = subprocess.run(["psql", "-XAt", "-c", "SELECT count(*) FROM varve_version"],
                              env=env, capture_output=True, text=True).stdout.strip()
        if rows != str(a.n):
            raise SystemExit(f"expected {a.n} rows in varve_version, found {rows}")
        report("adopt", adopt)
        print(f"         (folder + {a.n} applied rows recorded; target under 1 s each)")
    finally:
        if server:
            server.stdin.close()
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
