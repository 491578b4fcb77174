#!/usr/bin/env python3
"""Benchmark `varve check` on generated manifests (SPEC §9).

Generates linear manifests of N migrations (default 10,000 and 100,000),
each with a real SQL file (a table, a primary key and an index, with a
downgrade section), then runs `varve check` several times and prints the
wall time (best and median) and the peak resident memory of the process,
with the safety lint on (the default) and off (`check --no-lint`), and
what the lint adds (SPEC §9: at most 15%, on the medians).

Usage: bench/check.py [--varve zig-out/bin/varve] [--runs 5] [N ...]
Build with -Doptimize=ReleaseFast first for figures worth quoting:
  tools/dev zig build -Doptimize=ReleaseFast
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time


def generate(root, n):
    mig = os.path.join(root, "migrations")
    os.makedirs(mig)
    width = max(4, len(str(n)))
    with open(os.path.join(root, "varve.yaml"), "w") as m:
        m.write("varve: 1\nmigrations:\n")
        prev = "null"
        for i in range(1, n + 1):
            rev = f"{i:0{width}d}"
            name = f"{rev}_create_t{i}.sql"
            m.write(f'  - revision: "{rev}"\n    down_revision: {prev}\n'
                    f"    description: create t{i}\n    file: {name}\n")
            prev = f'"{rev}"'
            with open(os.path.join(mig, name), "w") as f:
                f.write(f"-- upgrade --\nCREATE TABLE t{i} (id bigint PRIMARY KEY, name text NOT NULL);\n"
                        f"CREATE INDEX t{i}_name ON t{i} (name);\n"
                        f"-- downgrade --\nDROP TABLE t{i};\n")


CPU = []  # (lint, user + system seconds) of each run


def measure(varve, root, runs, extra=()):
    """Wall times of `runs` runs and the peak RSS (KiB) over them."""
    times = []
    peak = 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu0 = ru.ru_utime + ru.ru_stime
        t = time.perf_counter()
        p = subprocess.run([varve, "check", *extra], cwd=root, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t)
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        CPU.append(("off" if extra else "on", ru.ru_utime + ru.ru_stime - cpu0))
        if p.returncode != 0:
            raise SystemExit(f"varve check failed:\n{p.stderr.decode()[:2000]}")
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return times, peak


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--varve", default="zig-out/bin/varve")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("sizes", nargs="*", type=int, default=[10000, 100000])
    a = ap.parse_args()
    varve = os.path.realpath(a.varve)
    print(f"varve check, {a.runs} runs each ({varve})")
    print(f"{'migrations':>10}  {'lint':>4}  {'best':>9}  {'median':>9}  {'peak RSS':>9}")
    for n in a.sizes:
        root = tempfile.mkdtemp(prefix=f"varve-bench-{n}-")
        try:
            generate(root, n)
            medians = {}
            # Alternate the two so that a busy machine weighs on both alike.
            runs = {"off": ([], 0), "on": ([], 0)}
            for _ in range(a.runs):
                for lint, extra in (("off", ("--no-lint",)), ("on", ())):
                    times, peak = measure(varve, root, 1, extra)
                    runs[lint] = (runs[lint][0] + times, max(runs[lint][1], peak))
            for lint in ("off", "on"):
                times, peak = runs[lint]
                medians[lint] = statistics.median(times)
                print(f"{n:>10}  {lint:>4}  {min(times) * 1000:>7.1f}ms"
                      f"  {medians[lint] * 1000:>7.1f}ms  {peak / 1024:>6.1f}MiB", flush=True)
            print(f"{n:>10}  lint adds {(medians['on'] / medians['off'] - 1) * 100:+.1f}%"
                  " (median on / median off; SPEC: at most +15%)", flush=True)
            # CPU time (user + system, all threads) is steadier than wall
            # time on a shared machine.
            cpu = {lint: statistics.median(c for l, c in CPU if l == lint) for lint in ("off", "on")}
            print(f"{n:>10}  CPU time: off {cpu['off'] * 1000:.1f}ms, on {cpu['on'] * 1000:.1f}ms,"
                  f" lint adds {(cpu['on'] / cpu['off'] - 1) * 100:+.1f}%", flush=True)
            CPU.clear()
        finally:
            shutil.rmtree(root)


if __name__ == "__main__":
    main()
