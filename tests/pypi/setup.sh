#!/usr/bin/env bash
# A virtualenv with the seed packages at the versions SPEC §11 describes,
# for tests/pypi/import-pypi.t (not part of `zig build test`: it needs the
# network once); the transcript looks for it in /tmp/varve-seeds.
# Usage: tests/pypi/setup.sh
set -eu
venv=/tmp/varve-seeds
python3 -m venv "$venv"
"$venv/bin/pip" install -q pycopg==1.2.0 manticore-cockroachdb==0.3.1 "sqlspec[psycopg]==0.69.0"
