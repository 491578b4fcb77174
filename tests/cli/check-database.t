`varve check --database`: what the database says about the manifest.

  $ source "$ROOT/tests/cli/pg.sh"
  $ cp -r "$ROOT/examples/blog" "$TESTTMP/blog" && cd "$TESTTMP/blog"
  $ varve -q upgrade
  $ varve check --database
  ✓ manifest and database agree

An applied revision no entry defines, an applied migration edited since,
and a dirty one:

  $ psql -qXc "INSERT INTO varve_version (revision, checksum) VALUES ('0099', 'sha256:00')"
  $ printf -- '-- a comment does not change the checksum\n' >> migrations/0001_create_users.sql
  $ sed -i 's/text        NOT NULL,/text,/' migrations/0001_create_users.sql
  $ psql -qXc "UPDATE varve_version SET state = 'dirty' WHERE revision = '0004'"
  $ varve check --database 2>&1 | sed -E 's/on [0-9T:-]+Z/on TIME/; s/sha256:[0-9a-f]{64}/sha256:HASH/g'
  varve.yaml: error: '0099' is applied in "varve_version" (postgresql:///postgres) but no entry defines it [applied-unknown]
  varve.yaml:32:15: error: the upgrade SQL of '0001' changed after it was applied on TIME (applied sha256:HASH, now sha256:HASH); revert the edit, or add a new migration [applied-modified]
  varve.yaml:52:15: error: '0004' is dirty: it failed part way; repair the database, then run 'varve resolve 0004 --applied' or '--rolled-back' [dirty]
  3 errors, 0 warnings
  $ varve check --database=$DATABASE_URL --format json | python3 -c "import json,sys; print(sorted(d['code'] for d in json.load(sys.stdin)))"
  ['applied-modified', 'applied-unknown', 'dirty']

Without a reachable database, exit 3:

  $ varve check --database -d "postgresql:///nosuchdb" 2>&1 | sed -E 's/varve-scratch-[A-Za-z0-9]+/SCRATCH/'; echo "exit ${PIPESTATUS[0]}"
  varve: error: cannot connect to 'postgresql:///nosuchdb': connection to server on socket "/tmp/SCRATCH/.s.PGSQL.5432" failed: FATAL:  database "nosuchdb" does not exist
  exit 3
