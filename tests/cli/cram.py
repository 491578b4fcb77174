#!/usr/bin/env python3
"""Transcript tests for the varve command line (in the style of cram).

A test file (tests/cli/*.t) is prose with indented transcripts:

    A cycle is reported with its path:

      $ cd "$FIXTURES/check/cycle"
      $ varve check
      ! varve.yaml:4:15: error: cycle: 0001 -> 0002 -> 0001 [cycle]
      ! 1 error, 0 warnings
      [1]

Lines indented by two spaces and starting with "$ " are shell commands, run
in one bash session per file (so `cd` and variables carry over). The
indented lines after a command are what it must print: stdout lines as they
are, then stderr lines prefixed "! ", then "[N]" when the exit status is not
0. A command continues on lines starting "> ". Everything is compared exactly. `varve` on PATH is the binary under test;
$ROOT is the repository, $FIXTURES is tests/fixtures and $TESTTMP a fresh
folder per file. $VARVE_TESTPG starts a private PostgreSQL server (see
tests/cli/pg.sh: `source "$ROOT/tests/cli/pg.sh"` gives each file its own). A file runs under a time limit (60 s a command), so a hang
fails the test instead of the suite.

Usage: cram.py VARVE [--update] [FILE.t ...]
  --update rewrites the expected output in place (review the diff!).
"""
import difflib
import os
import shlex
import subprocess
import sys
import tempfile

TIME_LIMIT = 60


def parse(path):
    """Split a .t file into (prose lines, [(command, expected lines, line no)])."""
    blocks = []
    cur = None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for no, line in enumerate(lines, 1):
        if line.startswith("  $ "):
            cur = [line[4:], [], no]
            blocks.append(cur)
        elif line.startswith("  > ") and cur is not None and not cur[1]:
            cur[0] += "\n" + line[4:]  # a continuation line (heredocs)
        elif line.startswith("  ") and cur is not None:
            cur[1].append(line[2:])
        else:
            cur = None
    return lines, blocks


def collect(tmp, i):
    """The transcript of command i: stdout, stderr with "! ", [status]."""
    got = []
    base = os.path.join(tmp, str(i))
    if not os.path.exists(base + ".rc"):
        return ["(not run: an earlier command ended the file or it timed out)"]
    with open(base + ".out", encoding="utf-8", errors="backslashreplace") as f:
        got += f.read().splitlines()
    with open(base + ".err", encoding="utf-8", errors="backslashreplace") as f:
        got += ["! " + l for l in f.read().splitlines()]
    with open(base + ".rc") as f:
        status = int(f.read().strip() or "0")
    if status != 0:
        got.append(f"[{status}]")
    return got


def run_file(path, env, update):
    """Run a file's commands in one bash session, so cd and exports carry."""
    lines, blocks = parse(path)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="varve-cram-") as tmp:
        script = ['cd "$ROOT"']
        for i, (cmd, _, _) in enumerate(blocks):
            b = shlex.quote(os.path.join(tmp, str(i)))
            script.append(f"{{ {cmd}\n}} >{b}.out 2>{b}.err </dev/null; echo $? >{b}.rc")
        work = os.path.join(tmp, "work")
        os.mkdir(work)
        try:
            subprocess.run(["bash", "-c", "\n".join(script)],
                           env=dict(env, TESTTMP=work), timeout=TIME_LIMIT * max(1, len(blocks)))
        except subprocess.TimeoutExpired:
            pass
        for i, block in enumerate(blocks):
            cmd, expected, no = block
            got = collect(tmp, i)
            if got != expected:
                failed += 1
                if not update:
                    print(f"--- {path}:{no}: $ {cmd}")
                    for d in difflib.unified_diff(expected, got, "expected", "got", lineterm="", n=2):
                        print("    " + d)
            block[1] = got
    if update and failed:
        out = []
        byline = {b[2]: b for b in blocks}
        i = 0
        while i < len(lines):
            out.append(lines[i])
            i += 1
            block = byline.get(i)  # i is now the 1-based number of that line
            if block is None:
                continue
            while i < len(lines) and lines[i].startswith("  > "):
                out.append(lines[i])
                i += 1
            while i < len(lines) and lines[i].startswith("  ") and not lines[i].startswith("  $ "):
                i += 1
            out += ["  " + l for l in block[1]]
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(out))
    return len(blocks), failed


def main():
    args = sys.argv[1:]
    update = "--update" in args
    args = [a for a in args if a != "--update"]
    varve = os.path.realpath(args[0])
    here = os.path.dirname(os.path.realpath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    files = args[1:] or sorted(
        os.path.join(here, f) for f in os.listdir(here) if f.endswith(".t"))
    with tempfile.TemporaryDirectory(prefix="varve-bin-") as bindir:
        os.symlink(varve, os.path.join(bindir, "varve"))
        env = {
            "PATH": bindir + ":" + os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/tmp"),
            "LC_ALL": "C.UTF-8",
            "TERM": "dumb",
            "ROOT": root,
            "FIXTURES": os.path.join(root, "tests", "fixtures"),
            "VARVE": varve,
            "VARVE_TESTPG": os.environ.get("VARVE_TESTPG") or
            os.path.join(os.path.dirname(varve), "varve-testpg"),
        }
        total = failed = 0
        for f in files:
            n, bad = run_file(f, env, update)
            total += n
            failed += bad
            rel = os.path.relpath(f, root)
            print(f"{'ok  ' if not bad else 'FAIL'} {rel} ({n - bad}/{n})")
    print(f"cli: {total - failed} passed, {failed} failed")
    return 1 if failed and not update else 0


if __name__ == "__main__":
    sys.exit(main())
