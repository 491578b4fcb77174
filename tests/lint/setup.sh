#!/usr/bin/env bash
# A virtualenv with squawk-cli (squawk's PyPI package, which ships the
# `squawk` binary) for tests/lint/compare.py, which `tools/dev test` runs
# (not `zig build test`: it needs PyPI once). The version is pinned so that
# the listed disagreements (tests/lint/disagreements.yaml) stay true; it was
# the current release when the corpus was written (2.70.0, October 2026).
# Idempotent: a virtualenv whose squawk is that version is kept.
# Usage: tests/lint/setup.sh   (prints the path of the squawk binary)
set -eu
version=2.70.0
venv=/tmp/varve-squawk
if [ "$("$venv/bin/squawk" --version 2>/dev/null)" != "squawk $version" ]; then
	rm -rf "$venv"
	python3 -m venv "$venv"
	"$venv/bin/pip" install -q --disable-pip-version-check "squawk-cli==$version"
fi
echo "$venv/bin/squawk"
