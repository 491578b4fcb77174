# Sourced by runner transcripts (after pg.sh): shell functions they share.

# Durations in varve's output become "N ms", so that transcripts compare.
ms() { sed -E 's/[0-9]+(\.[0-9])? (ms|s)(;|$)/N ms\3/'; }

# The version table's rows (with their state) in application order, and
# the tables the migrations made.
state() {
	psql -XAt -c "SELECT 'rows: ' || coalesce(string_agg(revision || ' ' || state, ', ' ORDER BY seq), '')
	  FROM varve_version"
	psql -XAt -c "SELECT 'tables: ' || coalesce(string_agg(relname, ' ' ORDER BY relname), '')
	  FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace
	    AND relname <> 'varve_version'"
}
