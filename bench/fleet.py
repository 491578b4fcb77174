#!/usr/bin/env python3
"""Benchmark fleets (docs/fleet.md): `varve upgrade --fleet` of many small
databases on a private PostgreSQL, against a shell loop of `varve upgrade`
and `xargs -P 8` of it.

Starts its own server with varve-testpg, creates DBS databases (default
500) and a manifest of MIGS small migrations (default 20: a table each),
then measures, each run from an empty state (every database taken back
with `varve downgrade --fleet base`, not timed):

  fleet C    `varve upgrade --fleet` at concurrency C (1, 8, 32): the total
             time, the slowest single database (the report's duration_ms),
             the peak RSS of the process (ru_maxrss through a small
             launcher) and the most file descriptors it held (/proc/PID/fd
             sampled every 5 ms);
  loop       `varve upgrade -d URL` for each database in turn, as a shell
             loop would: the total and the slowest;
  xargs -P 8 the same run by `xargs -P 8`: the total.

Prints each figure and the goal of SPEC-like form: the total at C within
1.2 x (the total at 1 / C), as long as the server is not saturated (on a
machine with fewer cores than C the server is: the figure says so).

Usage: bench/fleet.py [--varve PATH] [--testpg PATH] [--dbs 500] [--migs 20]
                      [--concurrency 1,8,32] [--quick]
Build with -Doptimize=ReleaseFast first for figures worth quoting.
Not part of `zig build test`: benchmarks print figures, tests do not time.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import apply  # noqa: E402  (the server, the launcher and run() are apply.py's)


def project(root, migs):
    mig = os.path.join(root, "migrations")
    os.makedirs(mig)
    with open(os.path.join(root, "varve.yaml"), "w") as m:
        m.write("varve: 1\nmigrations:\n")
        prev = "null"
        for i in range(1, migs + 1):
            rev = f"{i:04d}"
            with open(os.path.join(mig, f"{rev}.sql"), "w") as f:
                f.write(f"CREATE TABLE t{i} (id bigint PRIMARY KEY, name text);\n"
                        f"-- downgrade --\nDROP TABLE t{i};\n")
            m.write(f'  - {{revision: "{rev}", down_revision: {prev}, file: {rev}.sql}}\n')
            prev = f'"{rev}"'


def peak_fds(pid, stop, out):
    """Sample /proc/PID/fd until `stop` is set; the most seen goes to out[0]."""
    path = f"/proc/{pid}/fd"
    while not stop.is_set():
        try:
            out[0] = max(out[0], len(os.listdir(path)))
        except OSError:
            pass
        time.sleep(0.005)


def launch(argv, env, cwd):
    """argv through apply.py's launcher: (seconds, peak RSS KiB, peak fds,
    stdout). The launcher forks argv as its only child."""
    rss = tempfile.NamedTemporaryFile("r")
    t = time.perf_counter()
    p = subprocess.Popen([apply.LAUNCHER, rss.name] + argv, env=env, cwd=cwd,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    stop, fds = threading.Event(), [0]
    child = None
    for _ in range(200):
        try:
            with open(f"/proc/{p.pid}/task/{p.pid}/children") as f:
                kids = f.read().split()
            if kids:
                child = int(kids[0])
                break
        except OSError:
            break
        time.sleep(0.001)
    sampler = threading.Thread(target=peak_fds, args=(child or p.pid, stop, fds))
    sampler.start()
    out, err = p.communicate()
    elapsed = time.perf_counter() - t
    stop.set()
    sampler.join()
    kib = int(rss.read().strip() or 0)
    rss.close()
    if p.returncode not in (0,):
        raise SystemExit(f"{' '.join(argv[:4])}... exited {p.returncode}:\n{err.decode()[-2000:]}")
    return elapsed, kib, fds[0], out.decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--varve", default="zig-out/bin/varve")
    ap.add_argument("--testpg", default="zig-out/bin/varve-testpg")
    ap.add_argument("--dbs", type=int, default=500)
    ap.add_argument("--migs", type=int, default=20)
    ap.add_argument("--concurrency", default="1,8,32")
    ap.add_argument("--quick", action="store_true", help="50 databases, 5 migrations")
    a = ap.parse_args()
    if a.quick:
        a.dbs, a.migs = 50, 5
    varve = os.path.realpath(a.varve)
    levels = [int(c) for c in a.concurrency.split(",")]
    work = tempfile.mkdtemp(prefix="varve-bench-fleet-")
    apply.build_launcher(work)
    server = apply.Server(os.path.realpath(a.testpg))
    try:
        env = dict(server.env)
        env.pop("DATABASE_URL", None)
        host, port = env["PGHOST"], env["PGPORT"]
        print(f"{a.dbs} databases x {a.migs} migrations; {os.cpu_count()} CPUs; "
              f"server and varve on this machine")
        t = time.perf_counter()
        script = "".join(f"CREATE DATABASE f{i:04d};\n" for i in range(a.dbs))
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres"],
                       input=script.encode(), env=env, check=True)
        print(f"  created the databases in {time.perf_counter() - t:.1f} s (not counted)")
        project(work, a.migs)
        urls = [f"host={host} port={port} dbname=f{i:04d}" for i in range(a.dbs)]
        with open(os.path.join(work, "fleet.yaml"), "w") as f:
            f.write("varve_fleet: 1\non_failure: continue\ntargets:\n")
            for u in urls:
                f.write(f'  - url: "{u}"\n')
        fleet = ["--fleet", "fleet.yaml"]

        def reset():
            launch([varve, "-q", "downgrade", "base", "--concurrency", "16"] + fleet, env, work)

        results = {}
        for c in levels:
            reset()
            secs, kib, fds, out = launch([varve, "--format", "json", "upgrade",
                                          "--concurrency", str(c)] + fleet, env, work)
            doc = json.loads(out)
            assert doc["counts"]["done"] == a.dbs, doc["counts"]
            slowest = max(t["duration_ms"] for t in doc["targets"]) / 1000
            results[c] = secs
            print(f"  fleet, concurrency {c:2d}: {secs:7.2f} s total, slowest database "
                  f"{slowest:5.2f} s, peak RSS {kib / 1024:5.1f} MiB, at most {fds} file "
                  f"descriptors")
        if 1 in results:
            for c in levels:
                if c == 1:
                    continue
                goal = 1.2 * results[1] / c
                ideal = results[1] / min(c, os.cpu_count() or 1)
                print(f"  concurrency {c}: {results[c]:.2f} s against a goal of {goal:.2f} s "
                      f"(1.2 x serial / {c}): {'met' if results[c] <= goal else 'NOT met'}"
                      f"; with {os.cpu_count()} CPUs for varve and the server, "
                      f"serial / {min(c, os.cpu_count() or 1)} is {ideal:.2f} s")
        reset()
        t = time.perf_counter()
        slow = 0.0
        for u in urls:
            s = time.perf_counter()
            subprocess.run([varve, "-q", "-d", u, "upgrade"], env=env, cwd=work, check=True)
            slow = max(slow, time.perf_counter() - s)
        print(f"  shell loop of varve upgrade: {time.perf_counter() - t:7.2f} s total, "
              f"slowest database {slow:5.2f} s")
        reset()
        t = time.perf_counter()
        subprocess.run(["xargs", "-P", "8", "-I", "{}", varve, "-q", "-d", "{}", "upgrade"],
                       input="\n".join(urls).encode(), env=env, cwd=work, check=True)
        print(f"  xargs -P 8 varve upgrade:    {time.perf_counter() - t:7.2f} s total")
    finally:
        server.stop()
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
