#!/usr/bin/env bash
# The CLI and end-to-end tests: transcripts (tests/cli/*.t) run against the
# built binary, then the JSON Schema agreement test.
# Usage: tests/cli/run.sh PATH/TO/varve
set -u
varve=$(realpath "$1")
cd "$(dirname "$0")/../.."
status=0
python3 tests/cli/cram.py "$varve" || status=1
if [ -f tests/schema/agree.py ]; then
	/usr/bin/python3 tests/schema/agree.py "$varve" || status=1
fi
exit $status
