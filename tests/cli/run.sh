#!/usr/bin/env bash
# CLI tests: run the built binary on fixtures and compare everything it
# prints. Usage: tests/cli/run.sh PATH/TO/varve
set -u
varve=$(realpath "$1")
echo "cli: not yet"
"$varve" --version
