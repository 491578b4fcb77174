#!/usr/bin/env bash
# The demo behind `tools/dev demo`: varve on the examples.
set -euo pipefail
cd "$(dirname "$0")/.."
varve=$PWD/zig-out/bin/varve
for ex in examples/*/; do
	printf '\n\033[1m$ cd %s && varve check --strict\033[0m\n' "$ex"
	(cd "$ex" && "$varve" check --strict)
done
