The fleet file (docs/fleet.md): every mistake is a finding with its
position, and nothing runs (exit 1). schemas/fleet.schema.json gives the
same verdict as varve on each file here, but for aliases, which a JSON
Schema cannot see.

  $ mkdir -p "$TESTTMP/p/migrations" && cd "$TESTTMP/p"
  $ printf 'varve: 1\nmigrations:\n  - {revision: "0001", down_revision: null, up: 0001.sql}\n' > varve.yaml
  $ echo 'CREATE TABLE t (id int);' > migrations/0001.sql
  $ schema() { /usr/bin/python3 -c '
  > import json, sys, yaml, jsonschema
  > s = json.load(open(sys.argv[1]))
  > try:
  >     doc = yaml.safe_load(open(sys.argv[2]))
  > except yaml.YAMLError:
  >     print("schema: invalid"); sys.exit()
  > print("schema:", "valid" if jsonschema.Draft7Validator(s).is_valid(doc) else "invalid")
  > ' "$ROOT/schemas/fleet.schema.json" "$1"; }

A good file whose one target does not exist: read, run, reported
unreachable (exit 3). Labels, both forms of URL, a variable with a default:

  $ cat > good.yaml <<'YAML'
  > varve_fleet: 1
  > concurrency: 2
  > on_failure: continue
  > targets:
  >   - url: host=/nonexistent/a dbname=x
  >     label: a-1
  >   - {url: "postgresql:///y?host=${NOWHERE:-/nonexistent/b}"}
  > YAML
  $ schema good.yaml
  schema: valid
  $ varve -q status --fleet good.yaml
  [3]
  $ varve status --fleet good.yaml | cut -c1-60 | sed -E "s/in [0-9.]+ m?s$/in N ms/"; echo "exit ${PIPESTATUS[0]}"
    TARGET                               STATE        APPLIED 
    a-1                                  unreachable          
    postgresql:///y?host=/nonexistent/b  unreachable          
  2 targets: 0 current, 0 pending, 2 unreachable in N ms
  exit 3

Mistakes, each with its line and column:

  $ bad() { cat > bad.yaml; schema bad.yaml; varve status --fleet bad.yaml; }
  $ printf 'varve_fleet: 2\ntargets: []\n' | bad
  schema: invalid
  ! bad.yaml:1:14: error: unsupported fleet format 'varve_fleet: 2' (this varve reads format 1) [fleet-schema]
  [1]
  $ printf 'targets:\n  - url: postgresql:///a\n' | bad
  schema: invalid
  ! bad.yaml:1:1: error: the fleet file is missing required key 'varve_fleet' (the format version: varve_fleet: 1) [fleet-schema]
  [1]
  $ printf 'varve_fleet: 1\nconcurrency: 0\non_failure: halt\ntargets:\n  - uri: postgresql:///a\n  - url: 5432\n  - url: x\n    label: "a b"\n' | bad
  schema: invalid
  ! bad.yaml:2:14: error: 'concurrency' must be from 1 to 1024, not 0 [fleet-schema]
  ! bad.yaml:3:13: error: 'on_failure' must be stop or continue, not 'halt' [fleet-schema]
  ! bad.yaml:5:5: error: unknown key 'uri' in a target (allowed: url, label) [fleet-schema]
  ! bad.yaml:5:5: error: a target needs 'url' [fleet-schema]
  ! bad.yaml:6:10: error: 'url' must be a string, not an integer [fleet-schema]
  ! bad.yaml:8:12: error: invalid label 'a b' (letters, digits, '_', '.' and '-') [fleet-schema]
  [1]
  $ printf 'varve_fleet: 1\ntargets:\n  - url: ${TENANT_URL}\n' | bad
  schema: valid
  ! bad.yaml:3:10: error: 'url': environment variable 'TENANT_URL' is unset or empty (give it a value, or a default: ${TENANT_URL:-...}) [fleet-schema]
  [1]
  $ printf 'varve_fleet: 1\nvarve_fleet: 1\nquery: {database: x}\nschemas: {database: y, names: [a.b], sql: SELECT 1}\n' | bad
  schema: invalid
  ! bad.yaml:2:1: error: duplicate key 'varve_fleet' (first at line 1) [fleet-schema]
  ! bad.yaml:3:8: error: 'query' needs 'database' and 'sql' [fleet-schema]
  ! bad.yaml:4:32: error: invalid schema name 'a.b' (1 to 63 bytes, no '.') [fleet-schema]
  ! bad.yaml:4:10: error: 'schemas' needs either 'names' or 'sql' [fleet-schema]
  [1]
  $ printf 'varve_fleet: 1\ntargets:\n  - &t {url: x}\n  - *t\n' | bad
  schema: valid
  ! bad.yaml:3:5: error: aliases are not allowed [fleet-schema]
  [1]
  $ printf 'varve_fleet: 1\ntargets: [\n' | bad
  schema: invalid
  ! bad.yaml:3:1: error: did not find expected node content while parsing a flow node [yaml-syntax]
  [1]
  $ printf '' | bad
  schema: invalid
  ! bad.yaml:1:1: error: the fleet file is empty (expected 'varve_fleet: 1' and targets) [fleet-schema]
  [1]

A fleet file that cannot be read is a usage error (exit 2); --fleet does
not go with the options of a single database:

  $ varve status --fleet nosuch.yaml
  ! varve: error: cannot open 'nosuch.yaml': no such file or directory
  [2]
  $ varve upgrade --fleet good.yaml --dry-run
  ! varve upgrade: --fleet does not go with --dry-run
  ! run 'varve upgrade --help' for usage
  [2]
  $ varve -d postgresql:///x upgrade --fleet good.yaml
  ! varve upgrade: --fleet does not go with --database
  ! run 'varve upgrade --help' for usage
  [2]
  $ varve upgrade --fleet good.yaml --format github
  ! varve upgrade: --fleet prints --format text or json, not github
  ! run 'varve upgrade --help' for usage
  [2]
  $ varve upgrade --only failed
  ! varve upgrade: --only needs --fleet FILE
  ! run 'varve upgrade --help' for usage
  [2]
  $ varve upgrade --fleet good.yaml --concurrency 0
  ! varve upgrade: --concurrency must be a number from 1 to 1024, not '0'
  ! run 'varve upgrade --help' for usage
  [2]
  $ varve upgrade --fleet good.yaml --only nolabel
  ! varve: error: --only 'nolabel': no target of 'good.yaml' has that label
  [2]

Passwords in a fleet file never print: in the table, the messages, JSON.

  $ printf 'varve_fleet: 1\ntargets:\n  - url: postgresql://app:s3cr3t@/db?host=/nonexistent\n' > secret.yaml
  $ varve upgrade --fleet secret.yaml 2>&1 | grep -c s3cr3t
  0
  [1]
  $ varve --format json upgrade --fleet secret.yaml | grep -o '"database": "[^"]*"'
  "database": "postgresql://app:***@/db?host=/nonexistent"
