Argument parsing (glibc's getopt_long): short options bundle, long ones
take `--name value` or `--name=value`, a typo gets the nearest name, every
command takes the formats it can print and refuses the others (exit 2).

  $ cd "$TESTTMP"
  $ mkdir -p p/migrations && cd p
  $ printf -- '-- upgrade --\nCREATE TABLE t (id int);\n-- downgrade --\nDROP TABLE t;\n' > migrations/0001_t.sql
  $ printf 'varve: 1\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    description: create t\n    file: 0001_t.sql\n' > m.yaml

Bundled short options, and a short option's value attached or apart:

  $ varve -vf m.yaml heads
  0001 (head)  create t
  $ varve -fm.yaml heads
  0001 (head)  create t
  $ varve heads -vfm.yaml
  0001 (head)  create t
  $ varve --manifest=m.yaml heads --format=json | python3 -c 'import json,sys; print(json.load(sys.stdin)["heads"][0]["revision"])'
  0001
  $ varve --manif m.yaml heads
  0001 (head)  create t

"-2" after a command is a target, not an option; after "--" everything is:

  $ varve -f m.yaml downgrade -2 --dry-run -1
  ! varve downgrade: unexpected argument '-1'
  ! run 'varve downgrade --help' for usage
  [2]
  $ varve -f m.yaml upgrade --sql -- --dry-run
  ! varve: error: invalid target '--dry-run'
  [1]

Typos get the nearest command or option; `help` with an unknown command
is a usage error:

  $ varve updrade
  ! varve: unknown command 'updrade' (did you mean 'upgrade'?)
  ! run 'varve --help' for usage
  [2]
  $ varve help stauts
  ! varve: unknown command 'stauts' (did you mean 'status'?)
  ! run 'varve --help' for usage
  [2]
  $ varve help nosuch
  ! varve: unknown command 'nosuch'
  ! run 'varve --help' for usage
  [2]
  $ varve check --stirct
  ! varve check: unknown option '--stirct' (did you mean '--strict'?)
  ! run 'varve check --help' for usage
  [2]
  $ varve upgrade --dryrun
  ! varve upgrade: unknown option '--dryrun' (did you mean '--dry-run'?)
  ! run 'varve upgrade --help' for usage
  [2]
  $ varve --verbsoe heads
  ! varve: unknown option '--verbsoe' (did you mean '--verbose'?)
  ! run 'varve --help' for usage
  [2]
  $ varve status -x
  ! varve status: unknown option '-x'
  ! run 'varve status --help' for usage
  [2]
  $ varve upgrade --s
  ! varve upgrade: option '--s' is ambiguous
  ! run 'varve upgrade --help' for usage
  [2]
  $ varve status --exit-code=yes
  ! varve status: option '--exit-code' takes no value
  ! run 'varve status --help' for usage
  [2]
  $ varve new -m
  ! varve new: option '-m' needs a value
  ! run 'varve new --help' for usage
  [2]
  $ varve check --against
  ! varve check: option '--against' needs a value
  ! run 'varve check --help' for usage
  [2]

--help anywhere after the command, also bundled, prints the command's help:

  $ varve upgrade -qh | head -1
  usage: varve upgrade [TARGET] [--dry-run] [--sql] [--single-transaction] [--fleet FILE] [--format text|json|github]
  $ varve help upgrade | head -1
  usage: varve upgrade [TARGET] [--dry-run] [--sql] [--single-transaction] [--fleet FILE] [--format text|json|github]

Every command takes the formats it prints, and refuses the others:

  $ for c in init new merge hash fix check upgrade downgrade status current stamp resolve heads graph history; do
  >   for f in text json github dot mermaid; do
  >     varve -f m.yaml $c --format $f </dev/null >/dev/null 2>err; [ $? = 2 ] && grep -q 'is not supported' err && echo "$c: no $f"
  >   done
  > done
  init: no json
  init: no github
  init: no dot
  init: no mermaid
  new: no json
  new: no github
  new: no dot
  new: no mermaid
  merge: no json
  merge: no github
  merge: no dot
  merge: no mermaid
  hash: no github
  hash: no dot
  hash: no mermaid
  fix: no github
  fix: no dot
  fix: no mermaid
  check: no dot
  check: no mermaid
  upgrade: no dot
  upgrade: no mermaid
  downgrade: no dot
  downgrade: no mermaid
  status: no github
  status: no dot
  status: no mermaid
  current: no github
  current: no dot
  current: no mermaid
  stamp: no github
  stamp: no dot
  stamp: no mermaid
  resolve: no github
  resolve: no dot
  resolve: no mermaid
  heads: no github
  heads: no dot
  heads: no mermaid
  graph: no text
  graph: no json
  graph: no github
  history: no github
  history: no dot
  history: no mermaid
  $ varve init --format json
  ! varve init: --format json is not supported: init takes text
  ! run 'varve init --help' for usage
  [2]
