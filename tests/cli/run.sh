#!/usr/bin/env bash
# The CLI and end-to-end tests: transcripts (tests/cli/*.t) run against the
# built binary, then the JSON Schema agreement test and the runner's
# randomised state machine (tests/state/machine.py: VARVE_STATE_STEPS and
# VARVE_STATE_SEED choose a longer run or another seed).
# Usage: tests/cli/run.sh PATH/TO/varve PATH/TO/varve-testpg
set -u
varve=$(realpath "$1")
export VARVE_TESTPG=$(realpath "${2:-$(dirname "$1")/varve-testpg}")
cd "$(dirname "$0")/../.."
status=0
python3 tests/cli/cram.py "$varve" || status=1
if [ -f tests/schema/agree.py ]; then
	/usr/bin/python3 tests/schema/agree.py "$varve" || status=1
fi
python3 tests/state/machine.py "$varve" "$VARVE_TESTPG" || status=1
exit $status
