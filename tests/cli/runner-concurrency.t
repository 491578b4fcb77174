Four `varve upgrade` processes at once on one database: the advisory lock
lets one run at a time, and the others re-read the state once they hold it,
so every migration is applied exactly once and none of them fails.

  $ source "$ROOT/tests/cli/pg.sh"
  $ mkdir -p "$TESTTMP/p/migrations" && cd "$TESTTMP/p"
  $ { echo 'varve: 1'; echo 'migrations:'
  >   parent=null
  >   for i in $(seq -w 1 12); do
  >     printf 'CREATE TABLE t%s (id int);\nSELECT pg_sleep(0.05);\n' $i > migrations/00$i.sql
  >     echo "  - {revision: \"00$i\", down_revision: $parent, up: 00$i.sql}"
  >     parent="\"00$i\""
  >   done; } > varve.yaml
  $ varve check
  ! varve.yaml:3:16: warning: '0001' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  ! varve.yaml:4:16: warning: '0002' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  ! varve.yaml:5:16: warning: '0003' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  ! varve.yaml:6:16: warning: '0004' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  ! varve.yaml:7:16: warning: '0005' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  ! varve.yaml:8:16: warning: '0006' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  ! varve.yaml:9:16: warning: '0007' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  ! varve.yaml:10:16: warning: '0008' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  ! varve.yaml:11:16: warning: '0009' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  ! varve.yaml:12:16: warning: '0010' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  ! varve.yaml:13:16: warning: '0011' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  ! varve.yaml:14:16: warning: '0012' has no downgrade; add one, or an empty downgrade section with a comment to say it is deliberate [missing-downgrade]
  ! 0 errors, 12 warnings
  $ for i in 1 2 3 4; do varve upgrade > out$i 2> err$i & pids[$i]=$!; done
  $ for i in 1 2 3 4; do wait ${pids[$i]}; echo "runner $i: exit $?"; done
  runner 1: exit 0
  runner 2: exit 0
  runner 3: exit 0
  runner 4: exit 0
  $ cat err1 err2 err3 err4
  $ cat out1 out2 out3 out4 | grep -c '✓'
  12
  $ cat out1 out2 out3 out4 | grep -c 'Nothing to do'
  3
  $ psql -XAt -c "SELECT count(*), count(DISTINCT revision), min(revision), max(revision) FROM varve_version"
  12|12|0001|0012
  $ psql -XAt -c "SELECT count(*) FROM pg_class WHERE relname ~ '^t[0-9]+$' AND relkind = 'r'"
  12
  $ psql -XAt -c "SELECT string_agg(revision, ' ' ORDER BY seq) FROM varve_version"
  0001 0002 0003 0004 0005 0006 0007 0008 0009 0010 0011 0012

Four at once again, on a database at head: nothing to do for any of them.

  $ for i in 1 2 3 4; do varve upgrade > out$i 2> err$i & pids[$i]=$!; done
  $ for i in 1 2 3 4; do wait ${pids[$i]}; echo "runner $i: exit $?"; done
  runner 1: exit 0
  runner 2: exit 0
  runner 3: exit 0
  runner 4: exit 0
  $ cat out1 out2 out3 out4 err1 err2 err3 err4
  Nothing to do: every migration up to the target is applied
  Nothing to do: every migration up to the target is applied
  Nothing to do: every migration up to the target is applied
  Nothing to do: every migration up to the target is applied
