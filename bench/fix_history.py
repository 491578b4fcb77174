#!/usr/bin/env python3
"""Benchmark the git history walk behind `varve fix` (SPEC §9: fix of 1,000
timestamp migrations in a repository of 10,000 commits, under 2 s).

Generates, with `git fast-import`, a repository of COMMITS commits in which
MIGRATIONS feature branches each add one timestamp migration and are merged
into main with a merge commit (timestamps shuffled, so merge order differs
from them); the other commits change files outside the migrations folder.
The last commit writes a manifest listing every migration. Then it times:

  - the first-parent walk alone (bench/gitlog_walk.c, lib/gitlog.c), which
    is what `varve fix` adds to a check: where every file entered main;
  - `varve check` and `varve check --against main~1` on the repository.

  - `varve fix --dry-run` (the plan: walk, numbering, destination checks)
    and the real `varve fix --yes` (renames in the work tree and the git
    index, the manifest rewritten), each on a fresh clone of the same
    repository state (the real fix changes it).

Usage: bench/fix_history.py [--commits 10000] [--migrations 1000] [--runs 5]
Build first (ReleaseFast for figures worth quoting):
  python3 -m ziglang build bench -Doptimize=ReleaseFast
"""
import argparse
import os
import random
import statistics
import subprocess
import tempfile
import time

SQL = ("-- upgrade --\nCREATE TABLE t{i} (id bigint PRIMARY KEY);\n"
       "-- downgrade --\nDROP TABLE t{i};\n")


def data(text):
    raw = text.encode()
    return b"data %d\n%s\n" % (len(raw), raw)


def stream(commits, migrations):
    """The fast-import stream: yields chunks of bytes."""
    rng = random.Random(7)
    stamps = sorted(rng.sample(range(10**6), migrations))
    rng.shuffle(stamps)  # the merge order is not the timestamp order
    revs = [f"2025{1 + s // 100000:02d}{1 + s // 4000 % 25:02d}{s % 4000 // 240:02d}"
            f"{s % 240 // 4:02d}{s % 4 * 15:02d}" for s in stamps]
    # Every (commits / migrations)-th step is a branch commit and its merge.
    plain = commits - 2 * migrations
    assert plain >= 1, "need at least 2 commits per migration plus one"
    every = (plain + migrations) // migrations
    mark, t, m, i = 0, 1_700_000_000, 0, 0
    main = None
    while mark < commits:
        t += 60
        last = mark + 1 == commits
        if m < migrations and i % every == 1 and mark + 2 < commits:
            rev, name = revs[m], f"migrations/{revs[m]}_m{m}.sql"
            mark += 1
            side = mark
            yield b"commit refs/heads/side\nmark :%d\n" % side
            yield b"committer Ada <ada@example.com> %d +0000\n" % (t - 30)
            yield data(f"add {name}")
            if main:
                yield b"from :%d\n" % main
            yield b"M 100644 inline %s\n" % name.encode() + data(SQL.format(i=m))
            mark += 1
            yield b"commit refs/heads/main\nmark :%d\n" % mark
            yield b"committer Ada <ada@example.com> %d +0000\n" % t
            yield data(f"merge {name}")
            if main:
                yield b"from :%d\n" % main
            yield b"merge :%d\n" % side
            yield b"M 100644 inline %s\n" % name.encode() + data(SQL.format(i=m))
            m += 1
        else:
            mark += 1
            yield b"commit refs/heads/main\nmark :%d\n" % mark
            yield b"committer Ada <ada@example.com> %d +0000\n" % t
            yield data(f"change {mark}")
            if main:
                yield b"from :%d\n" % main
            yield b"M 100644 inline src/f%d.txt\n" % (mark % 97) + data(f"{mark}\n")
            if last:
                manifest = ["varve: 1\nmigrations:\n"]
                prev = "null"
                for k in range(m):
                    manifest.append(f'  - revision: "{revs[k]}"\n    down_revision: {prev}\n'
                                    f"    file: {revs[k]}_m{k}.sql\n")
                    prev = f'"{revs[k]}"'
                yield b"M 100644 inline varve.yaml\n" + data("".join(manifest))
        main = mark
        i += 1
    return m


def generate(root, commits, migrations):
    subprocess.run(["git", "init", "-q", "-b", "main", root], check=True)
    p = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=root, stdin=subprocess.PIPE)
    for chunk in stream(commits, migrations):
        p.stdin.write(chunk)
    p.stdin.close()
    assert p.wait() == 0
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=root, check=True)
    subprocess.run(["git", "branch", "-q", "-D", "side"], cwd=root, check=True)


def timed(cmd, cwd, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if p.returncode not in (0, 1):
            raise SystemExit(f"{cmd}: exit {p.returncode}: {p.stderr.decode()}")
    return min(times), statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--commits", type=int, default=10000)
    ap.add_argument("--migrations", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--bin", default="zig-out/bin")
    args = ap.parse_args()
    bindir = os.path.abspath(args.bin)
    with tempfile.TemporaryDirectory(prefix="varve-fixbench-") as tmp:
        root = os.path.join(tmp, "repo")
        start = time.perf_counter()
        generate(root, args.commits, args.migrations)
        count = int(subprocess.run(["git", "rev-list", "--count", "main"], cwd=root,
                                   capture_output=True, check=True).stdout)
        chain = int(subprocess.run(["git", "rev-list", "--count", "--first-parent", "main"],
                                   cwd=root, capture_output=True, check=True).stdout)
        print(f"repository: {count} commits ({chain} on main's first-parent chain), "
              f"{len(os.listdir(os.path.join(root, 'migrations')))} migration files; "
              f"generated in {time.perf_counter() - start:.1f} s")
        walk = subprocess.run([os.path.join(bindir, "varve-bench-gitlog"), "migrations",
                               str(args.runs)], cwd=root, capture_output=True, text=True)
        if walk.returncode:
            raise SystemExit(walk.stderr)
        print("history walk (lib/gitlog.c), repository opened each run:")
        for line in walk.stdout.splitlines():
            print("  " + line)
        varve = os.path.join(bindir, "varve")
        for label, cmd in (("varve check", [varve, "check"]),
                           ("varve check --against main~1",
                            [varve, "check", "--against", "main~1"])):
            best, median = timed(cmd, root, args.runs)
            print(f"{label}: best {best * 1e3:.1f} ms, median {median * 1e3:.1f} ms")
        best, median = timed([varve, "fix", "--dry-run"], root, args.runs)
        print(f"varve fix --dry-run: best {best * 1e3:.1f} ms, median {median * 1e3:.1f} ms")
        times = []
        for k in range(args.runs):
            work = os.path.join(tmp, f"fix{k}")
            subprocess.run(["git", "clone", "-q", root, work], check=True)
            start = time.perf_counter()
            p = subprocess.run([varve, "fix", "--yes"], cwd=work, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
            times.append(time.perf_counter() - start)
            if p.returncode:
                raise SystemExit(f"varve fix --yes: exit {p.returncode}: {p.stderr.decode()}")
            renamed = subprocess.run(["git", "status", "--porcelain"], cwd=work,
                                     capture_output=True, text=True, check=True).stdout
            assert renamed.count("\nR  ") + renamed.startswith("R  ") == args.migrations, \
                "every migration renamed in the index"
            subprocess.run(["rm", "-rf", work], check=True)
        print(f"varve fix --yes ({args.migrations} files renamed): best {min(times) * 1e3:.1f} ms, "
              f"median {statistics.median(times) * 1e3:.1f} ms")
        print("SPEC §9: fix of 1,000 timestamp migrations in 10,000 commits under 2 s")


if __name__ == "__main__":
    main()
