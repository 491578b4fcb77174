#!/usr/bin/python3
"""examples/ci/github-actions.yml parses as YAML and is the complete workflow
docs/check.md promises: a PostgreSQL service, varve built, `check --strict
--format github`, `check --against origin/main` (with the history it needs),
`upgrade` and `status --exit-code`, each step well formed.

Usage: /usr/bin/python3 tests/docs/ci_example.py   (needs python3-yaml)
"""
import os
import sys

import yaml

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PATH = os.path.join(ROOT, "examples", "ci", "github-actions.yml")


def main():
    with open(PATH, encoding="utf-8") as f:
        wf = yaml.safe_load(f)
    problems = []
    # YAML 1.1 reads the key `on` as true; GitHub reads it as "on".
    on = wf.get("on", wf.get(True))
    if not isinstance(on, dict) or "pull_request" not in on:
        problems.append("'on' must include pull_request")
    jobs = wf.get("jobs") or {}
    if len(jobs) != 1:
        problems.append("one job expected")
    job = next(iter(jobs.values()), {})
    if "runs-on" not in job:
        problems.append("the job needs runs-on")
    images = [s.get("image", "") for s in (job.get("services") or {}).values()]
    if not any(i.startswith("postgres:") for i in images):
        problems.append("a postgres service is missing")
    steps = job.get("steps") or []
    for i, step in enumerate(steps):
        if not isinstance(step, dict) or ("run" in step) == ("uses" in step):
            problems.append(f"step {i + 1} needs exactly one of run and uses")
    runs = "\n".join(s.get("run", "") for s in steps if isinstance(s, dict))
    if "zig build" not in runs and "ziglang build" not in runs:
        problems.append("no step builds varve (zig build)")
    for need in ("varve check --strict --format github",
                 "varve check --against origin/main", "varve upgrade",
                 "varve status --exit-code"):
        if need not in runs:
            problems.append(f"no step runs '{need}'")
    checkout = [s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@")]
    if not checkout or (checkout[0].get("with") or {}).get("fetch-depth") != 0:
        problems.append("--against needs actions/checkout with fetch-depth: 0")
    order = [runs.find(n) for n in ("varve check --strict", "varve upgrade", "varve status --exit-code")]
    if order != sorted(order):
        problems.append("check, upgrade and status must run in that order")
    for p in problems:
        print(f"examples/ci/github-actions.yml: {p}")
    if not problems:
        print(f"examples/ci/github-actions.yml: valid ({len(steps)} steps)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
