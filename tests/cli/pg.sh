# Sourced by transcripts that need a database: starts a private PostgreSQL
# (the same scratch mechanism as `varve --scratch`) for the rest of the file
# and exports PGHOST, PGPORT, PGUSER, PGDATABASE. The server stops and its
# folder goes when the file's shell exits (the server's guardian sees its
# stdin close), even if the shell is killed.
coproc VARVE_PG { "$VARVE_TESTPG"; }
read -r varve_pg_env <&"${VARVE_PG[0]}" || { echo "pg.sh: the scratch server did not start" >&2; return 1; }
eval "$varve_pg_env"
unset varve_pg_env
# The manifest's database.url must not win over the test server.
export DATABASE_URL="postgresql:///postgres"
