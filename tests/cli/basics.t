The command line itself: version, help, usage errors.

  $ varve --version
  varve 0.1.0
  SQL parser: libpg_query, PostgreSQL 15.1 grammar
  $ varve frobnicate
  ! varve: unknown command 'frobnicate'
  ! run 'varve --help' for usage
  [2]
  $ varve check --frob
  ! varve check: unknown option '--frob'
  ! run 'varve check --help' for usage
  [2]
  $ varve check --format yaml
  ! varve check: unknown format 'yaml'
  ! run 'varve check --help' for usage
  [2]
  $ varve -f does-not-exist.yaml check
  ! varve: error: cannot open 'does-not-exist.yaml': no such file or directory
  [2]
