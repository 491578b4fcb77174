#!/usr/bin/env bash
# A virtualenv with the seed packages (pycopg 1.2.0, manticore-cockroachdb
# 0.3.1, sqlspec 0.69.0) for tests/pypi/import-pypi.t, which `tools/dev test`
# runs (not `zig build test`: it needs PyPI once); the transcript looks for
# it in /tmp/varve-seeds.
# Idempotent: a virtualenv that already imports them is kept.
# Usage: tests/pypi/setup.sh
set -eu
venv=/tmp/varve-seeds
"$venv/bin/python" -c "import pycopg, manticore_cockroachdb, sqlspec" 2>/dev/null && exit 0
python3 -m venv "$venv"
"$venv/bin/pip" install -q pycopg==1.2.0 manticore-cockroachdb==0.3.1 "sqlspec[psycopg]==0.69.0"
