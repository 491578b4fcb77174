#!/usr/bin/env python3
"""Signals at random moments of `varve fix --yes` and `varve new` (issue 10
section 5): counts the runs that left a state that is neither wholly the
one before nor wholly the one after, and the files left behind.

For `fix`: a git repository with MIGRATIONS committed timestamp
migrations. Each run resets it, starts `varve fix --yes`, sends the signal
after a random delay within the time a whole fix takes, waits, runs
`varve fix --recover` when a journal was left (kill -9), and compares the
manifest, the file names and the git index with the state before and the
state after a fix. It also counts temporary files, journals and
.git/index.lock left over (after the recovery).

For `new`: each run starts `varve new`, signals it at a random moment, then
runs the next `varve new` (which removes what a kill -9 left), and counts
SQL files no entry lists, entries whose file is missing, and temporary
files.

Usage: bench/fix_signals.py --varve zig-out/bin/varve [--runs 40]
       [--migrations 1000] [--signals 9,2,15]
It prints figures; nothing here is a pass/fail test (the transcripts
tests/cli/fix.t and authoring.t stop varve at every step instead).
"""
import argparse
import hashlib
import os
import random
import signal
import subprocess
import tempfile
import time

SQL = "-- upgrade --\nCREATE TABLE t{i} (id int);\n-- downgrade --\nDROP TABLE t{i};\n"
ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null",
           GIT_AUTHOR_NAME="a", GIT_AUTHOR_EMAIL="a@example.com",
           GIT_COMMITTER_NAME="a", GIT_COMMITTER_EMAIL="a@example.com")


def run(cmd, cwd, **kw):
    return subprocess.run(cmd, cwd=cwd, env=ENV, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, **kw)


def make_repo(path, n):
    os.makedirs(os.path.join(path, "migrations"))
    lines = ["varve: 1\nmigrations:\n"]
    parent = "null"
    for i in range(n):
        rev = "2025%02d%02d%06d" % (1 + i // 28 % 12, 1 + i % 28, i)
        name = "%s_m%d.sql" % (rev, i)
        with open(os.path.join(path, "migrations", name), "w") as f:
            f.write(SQL.format(i=i))
        lines.append('  - revision: "%s"\n    down_revision: %s\n    file: %s\n'
                     % (rev, parent, name))
        parent = '"%s"' % rev
    with open(os.path.join(path, "varve.yaml"), "w") as f:
        f.write("".join(lines))
    run(["git", "init", "-q", "-b", "main"], path)
    run(["git", "add", "-A"], path)
    run(["git", "commit", "-qm", "base"], path)


def state(path):
    h = hashlib.sha256()
    with open(os.path.join(path, "varve.yaml"), "rb") as f:
        h.update(f.read())
    h.update("\n".join(sorted(os.listdir(os.path.join(path, "migrations")))).encode())
    h.update(run(["git", "ls-files", "-s"], path).stdout)
    return h.hexdigest()


def leftovers(path):
    found = []
    for folder in (path, os.path.join(path, "migrations")):
        found += [n for n in os.listdir(folder) if n.endswith(".tmp")]
    if os.path.exists(os.path.join(path, ".varve-fix.journal")):
        found.append(".varve-fix.journal")
    if os.path.exists(os.path.join(path, ".git", "index.lock")):
        found.append("index.lock")
    return found


def reset(path):
    lock = os.path.join(path, ".git", "index.lock")
    if os.path.exists(lock):
        os.unlink(lock)
    run(["git", "reset", "-q", "--hard", "HEAD"], path)
    run(["git", "clean", "-qfdx"], path)


def bench_fix(varve, work, n, runs, signals, has_recover):
    repo = os.path.join(work, "fix")
    make_repo(repo, n)
    before = state(repo)
    t0 = time.monotonic()
    run([varve, "fix", "-q", "--yes"], repo)
    whole = time.monotonic() - t0
    after = state(repo)
    reset(repo)
    print("fix of %d migrations takes %.0f ms" % (n, whole * 1e3))
    for sig in signals:
        mixed = left = 0
        for _ in range(runs):
            p = subprocess.Popen([varve, "fix", "-q", "--yes"], cwd=repo, env=ENV,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(random.uniform(0, whole))
            p.send_signal(sig)
            p.wait()
            # The next varve: recover (which also removes the temporary
            # files of a process that is gone, as every edit does).
            if has_recover:
                lock = os.path.join(repo, ".git", "index.lock")
                run([varve, "fix", "-q", "--recover"], repo)
                if os.path.exists(lock):  # as the message says: no git runs
                    os.unlink(lock)
                    run([varve, "fix", "-q", "--recover"], repo)
            s = state(repo)
            mixed += s not in (before, after)
            left += bool(leftovers(repo))
            reset(repo)
        print("fix, signal %2d: %d/%d runs mixed, %d/%d left files behind"
              % (sig, mixed, runs, left, runs))


def bench_new(varve, work, runs, signals):
    proj = os.path.join(work, "new")
    os.makedirs(proj)
    run([varve, "init", "-q"], proj)
    t0 = time.monotonic()
    run([varve, "new", "-q", "-m", "first"], proj)
    whole = time.monotonic() - t0
    for sig in signals:
        orphans = missing = left = 0
        seen_orphans, seen_missing, seen_left = set(), set(), set()
        for i in range(runs):
            p = subprocess.Popen([varve, "new", "-q", "-m", "k%d" % i], cwd=proj, env=ENV,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(random.uniform(0, whole))
            p.send_signal(sig)
            p.wait()
            run([varve, "new", "-q", "-m", "next%d" % i], proj)
            with open(os.path.join(proj, "varve.yaml")) as f:
                text = f.read()
            files = os.listdir(os.path.join(proj, "migrations"))
            listed = [l.split("file: ", 1)[1].strip() for l in text.splitlines()
                      if "file: " in l]
            # Count the runs that added one (earlier ones stay).
            o = {f for f in files if f.endswith(".sql") and f not in listed}
            m = {f for f in listed if f not in files}
            t = set(leftovers(proj))
            orphans += bool(o - seen_orphans)
            missing += bool(m - seen_missing)
            left += bool(t - seen_left)
            seen_orphans |= o
            seen_missing |= m
            seen_left |= t
        print("new, signal %2d: %d/%d runs left a file no entry lists, %d an entry "
              "without its file, %d temporary files" % (sig, orphans, runs, missing, left))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--varve", default="zig-out/bin/varve")
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--migrations", type=int, default=1000)
    ap.add_argument("--signals", default="9,2,15")
    ap.add_argument("--no-recover", action="store_true",
                    help="for a varve that predates fix --recover")
    a = ap.parse_args()
    varve = os.path.abspath(a.varve)
    signals = [int(s) for s in a.signals.split(",")]
    with tempfile.TemporaryDirectory() as work:
        bench_fix(varve, work, a.migrations, a.runs, signals, not a.no_recover)
        bench_new(varve, work, a.runs, signals)


if __name__ == "__main__":
    main()
