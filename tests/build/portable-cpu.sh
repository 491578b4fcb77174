#!/usr/bin/env bash
# Fails when a built artifact holds an instruction that a baseline x86-64
# CPU cannot run: any AVX, AVX2 or AVX-512 instruction (VEX or EVEX coded,
# which objdump shows as a v-mnemonic or a %ymm, %zmm or mask register).
# A binary built on a machine with AVX-512 once crashed elsewhere and under
# valgrind with SIGILL.
# Usage: tests/build/portable-cpu.sh ARTIFACT...
set -u
status=0 checked=0
for f in "$@"; do
	count=$(objdump -d --no-show-raw-insn "$f" |
		grep -cE '%(ymm|zmm)[0-9]|%k[0-7]\b|^\s+[0-9a-f]+:\s+v[a-z0-9]+\s.*%xmm')
	checked=$((checked + 1))
	if [ "$count" -ne 0 ]; then
		echo "portable-cpu: $f: $count instructions beyond baseline x86-64, e.g.:" >&2
		objdump -d --no-show-raw-insn "$f" |
			grep -E '%(ymm|zmm)[0-9]|%k[0-7]\b|^\s+[0-9a-f]+:\s+v[a-z0-9]+\s.*%xmm' | head -3 >&2
		status=1
	fi
done
echo "portable-cpu: $checked artifacts, $([ $status -eq 0 ] && echo 'all baseline x86-64' || echo 'some need a newer CPU')"
exit $status
