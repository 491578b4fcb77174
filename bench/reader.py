#!/usr/bin/env python3
"""Time `varve check` on one SQL file of the 16 MiB limit, per kind of input.

The kinds that made libpg_query's scanner quadratic (nested comments,
operator runs) and the worst linear one (a token per byte) are refused by
the reader's pre-pass; the others are read. Prints the best wall and CPU
times of --runs runs and the outcome for each (issue 10 §6: every file under 2 s).

Usage: bench/reader.py [--varve zig-out/bin/varve] [--runs 3]
Build with -Doptimize=ReleaseFast first for figures worth quoting.
"""
import argparse
import os
import resource
import subprocess
import tempfile
import time

SIZE = 16 * 1024 * 1024 - 16


def fill(head, unit, tail=""):
    n = (SIZE - len(head) - len(tail)) // len(unit)
    return head + unit * n + tail


KINDS = {
    "nested comments (8M levels)": lambda: fill("", "/*"),
    "comments of 200 levels": lambda: fill("SELECT 1;", "/*" * 200 + "*/" * 200 + " "),
    "comments of 64 levels": lambda: fill("SELECT 1;", "/*" * 64 + "*/" * 64 + " "),
    "one run of '+'": lambda: fill("SELECT 1 ", "+", " 1;"),
    "runs of 250 '+'": lambda: fill("", "SELECT 1 " + "+" * 250 + " 1;\n"),
    "semicolons": lambda: fill("", ";"),
    "INSERT statements": lambda: fill("CREATE TABLE t (id int, s text);\n",
                                      "INSERT INTO t VALUES (1, 'a long string, "
                                      "/* not a comment */ -- nor this');\n"),
    # Just under the bounds: the most work a file that is read can take.
    "7,000 comments of 64 levels": lambda: ("SELECT 1 /*" + "/*" * 64 + "*/" * 65 + ";\n") * 7000,
    "1,000 runs of 250 '+'": lambda: ("SELECT 1 " + "+" * 250 + " 1;\n") * 1000,
    "999,990 semicolons": lambda: ";" * 999990,
    "99,990 INSERTs (8 MiB)": lambda: "CREATE TABLE t (id int, s text);\n" + (
        "INSERT INTO t VALUES (1, 'a long string, /* not a comment */ -- nor this');\n") * 99990,
    "one string": lambda: fill("SELECT '", "x", "';"),
    "one comment": lambda: fill("SELECT 1; /*", "x", "*/"),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--varve", default="zig-out/bin/varve")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    varve = os.path.abspath(a.varve)
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "migrations"))
        with open(os.path.join(root, "varve.yaml"), "w") as m:
            m.write('varve: 1\nmigrations:\n  - {revision: "0001", down_revision: null,'
                    ' file: 0001_big.sql}\n')
        for name, make in KINDS.items():
            with open(os.path.join(root, "migrations", "0001_big.sql"), "w") as f:
                f.write(make())
            best, cpu, out = None, None, ""
            for _ in range(a.runs):
                u = resource.getrusage(resource.RUSAGE_CHILDREN)
                t = time.monotonic()
                r = subprocess.run([varve, "check"], cwd=root, capture_output=True, text=True)
                d = time.monotonic() - t
                v = resource.getrusage(resource.RUSAGE_CHILDREN)
                c = v.ru_utime + v.ru_stime - u.ru_utime - u.ru_stime
                best = d if best is None else min(best, d)
                cpu = c if cpu is None else min(cpu, c)
                out = next((l for l in r.stderr.splitlines() + r.stdout.splitlines()
                            if ": error:" in l), "read")
            code = out[out.rfind("[") + 1:-1] if out.endswith("]") else out
            print(f"{name:30} {best:6.2f} s wall {cpu:6.2f} s CPU  {code}")


if __name__ == "__main__":
    main()
