#!/usr/bin/env bash
# The demo behind `tools/dev demo`: varve on the examples, against a private
# PostgreSQL started for the demo (zig-out/bin/varve-testpg) and stopped at
# the end, also on Ctrl-C. Needs nothing running beforehand.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/zig-out/bin/varve
testpg=$root/zig-out/bin/varve-testpg

if [ ! -x "$bin" ] || [ ! -x "$testpg" ]; then
	printf '\033[1m==>\033[0m zig build testpg\n' >&2
	python3 -m ziglang build
	python3 -m ziglang build testpg
fi

# What the newcomer sees: `$ varve ARGS` in bold, then its output.
varve() { "$bin" "$@"; }
show() {
	# Ctrl-C also stops the server, and a child that handles SIGINT (psql)
	# keeps bash from acting on it: stop here rather than fail confusingly.
	if ! kill -0 "$pg_pid" 2>/dev/null; then
		echo "demo: interrupted (the private PostgreSQL has stopped)" >&2
		exit 130
	fi
	printf '\n\033[1m$ %s\033[0m\n' "$*"
	"$@"
}
say() { printf '\n\033[1;34m# %s\033[0m\n' "$*"; }

# The private server: it stops (and its folder goes) when its stdin closes.
coproc PG { exec "$testpg"; }
pg_in=${PG[1]}
pg_pid=$PG_PID
stop_server() {
	trap - EXIT INT TERM HUP
	if [ -n "${pg_in:-}" ]; then
		exec {pg_in}>&-
		pg_in=
		wait "$pg_pid" 2>/dev/null || true
	fi
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT
trap 'stop_server; exit 143' TERM HUP
read -r pg_env <&"${PG[0]}" || { echo "demo: the private PostgreSQL did not start" >&2; exit 1; }
eval "$pg_env"

# Never touch a database of the caller's: only the private server's `blog`.
unset VARVE_DATABASE_URL
psql=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1 || true)
if [ -n "$psql" ] && "$psql" -X -q -d postgres -c 'CREATE DATABASE blog' 2>/dev/null; then
	export DATABASE_URL=postgresql:///blog
else
	export DATABASE_URL=postgresql:///postgres
fi
say "a private PostgreSQL on $PGHOST; DATABASE_URL=$DATABASE_URL"

cd "$root/examples/blog"
say "examples/blog: six migrations in a line (see varve.yaml)"
show varve check --strict
show varve status
show varve upgrade
show varve status
show varve history --graph --applied
show varve downgrade -2
show varve status
show varve upgrade --dry-run

cd "$root/examples/branches"
say "examples/branches: two branches joined by a merge migration"
show varve history --graph
show varve graph --format mermaid

stop_server
