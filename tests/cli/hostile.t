Hostile manifests: each gives a positioned diagnostic and exit 1 or 2,
never a crash or a hang (every command runs under `timeout`; a crash would
show as exit 134/139 or a sanitizer report).

  $ cd "$TESTTMP"

Truncated YAML:

  $ printf 'varve: 1\nmigrations:\n  - revision: "0001"\n    down_revision: [nu' > truncated.yaml
  $ timeout 20 varve -f truncated.yaml check
  ! truncated.yaml:5:1: error: did not find expected ',' or ']' (while parsing a flow sequence at 4:20) [yaml-syntax]
  ! 1 error, 0 warnings
  [1]

Binary bytes:

  $ python3 -c "import sys; sys.stdout.buffer.write(bytes(range(256)) * 16)" > binary.yaml
  $ timeout 20 varve -f binary.yaml check
  ! binary.yaml:1:1: error: control characters are not allowed (0x0) [yaml-syntax]
  ! 1 error, 0 warnings
  [1]

Invalid UTF-8 inside a scalar:

  $ printf 'varve: 1\nmigrations:\n  - revision: "0001"\n    description: "caf\xe9"\n' > latin1.yaml
  $ timeout 20 varve -f latin1.yaml check
  ! latin1.yaml:4:23: error: invalid trailing UTF-8 octet (0x22) [yaml-syntax]
  ! 1 error, 0 warnings
  [1]

A 10 MB scalar:

  $ python3 -c "print('varve: 1\nmigrations:\n  - revision: \"0001\"\n    down_revision: null\n    description: ' + 'a' * 10000000)" > huge.yaml
  $ timeout 20 varve -f huge.yaml check
  ! huge.yaml:3:5: error: migration '0001' has no SQL: add 'file' or 'up' (only a merge may have none) [manifest-schema]
  ! huge.yaml:5:18: error: 'description' is too long (10000000 bytes; at most 65536) [manifest-schema]
  ! 2 errors, 0 warnings
  [1]

10,000-deep nesting, as flow sequences and as block mappings:

  $ python3 -c "print('varve: 1\nmigrations: ' + '[' * 10000 + ']' * 10000)" > deep.yaml
  $ timeout 20 varve -f deep.yaml check
  ! deep.yaml:2:14: error: a migration entry must be a mapping, not a sequence [manifest-schema]
  ! deep.yaml:2:44: error: nesting deeper than 32 levels [manifest-schema]
  ! 2 errors, 0 warnings
  [1]
  $ python3 -c "print('varve: 1\nmigrations:\n' + ''.join(' ' * i + 'a:\n' for i in range(2, 10002)))" > deep-map.yaml
  $ timeout 20 varve -f deep-map.yaml check
  ! deep-map.yaml:3:3: error: 'migrations' must be a sequence, not a mapping [manifest-schema]
  ! deep-map.yaml:34:34: error: nesting deeper than 32 levels [manifest-schema]
  ! 2 errors, 0 warnings
  [1]

An alias bomb (billion laughs) is refused at the first alias, never expanded:

  $ printf 'varve: 1\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nmigrations: *g\n' > bomb.yaml
  $ timeout 20 varve -f bomb.yaml check
  ! bomb.yaml:2:1: error: unknown key 'a' in the manifest (allowed: varve, directory, version_table, naming, database, migrations, lint, schema) [manifest-schema]
  ! bomb.yaml:2:4: error: anchors are not allowed ('&a') [manifest-schema]
  ! bomb.yaml:3:1: error: unknown key 'b' in the manifest (allowed: varve, directory, version_table, naming, database, migrations, lint, schema) [manifest-schema]
  ! bomb.yaml:3:4: error: anchors are not allowed ('&b') [manifest-schema]
  ! bomb.yaml:3:8: error: aliases are not allowed ('*a') [manifest-schema]
  ! bomb.yaml:3:11: error: aliases are not allowed ('*a') [manifest-schema]
  ! bomb.yaml:3:14: error: aliases are not allowed ('*a') [manifest-schema]
  ! bomb.yaml:3:17: error: aliases are not allowed ('*a') [manifest-schema]
  ! bomb.yaml:3:20: error: aliases are not allowed ('*a') [manifest-schema]
  ! bomb.yaml:3:23: error: aliases are not allowed ('*a') [manifest-schema]
  ! bomb.yaml:3:26: error: aliases are not allowed ('*a') [manifest-schema]
  ! bomb.yaml:3:29: error: aliases are not allowed ('*a') [manifest-schema]
  ! bomb.yaml:3:32: error: aliases are not allowed ('*a') [manifest-schema]
  ! bomb.yaml:4:1: error: unknown key 'c' in the manifest (allowed: varve, directory, version_table, naming, database, migrations, lint, schema) [manifest-schema]
  ! bomb.yaml:4:4: error: anchors are not allowed ('&c') [manifest-schema]
  ! bomb.yaml:4:8: error: aliases are not allowed ('*b') [manifest-schema]
  ! bomb.yaml:4:11: error: aliases are not allowed ('*b') [manifest-schema]
  ! bomb.yaml:4:14: error: aliases are not allowed ('*b') [manifest-schema]
  ! bomb.yaml:4:17: error: aliases are not allowed ('*b') [manifest-schema]
  ! bomb.yaml:4:20: error: aliases are not allowed ('*b') [manifest-schema]
  ! bomb.yaml:4:23: error: aliases are not allowed ('*b') [manifest-schema]
  ! bomb.yaml:4:26: error: aliases are not allowed ('*b') [manifest-schema]
  ! bomb.yaml:4:29: error: aliases are not allowed ('*b') [manifest-schema]
  ! bomb.yaml:4:32: error: aliases are not allowed ('*b') [manifest-schema]
  ! bomb.yaml:5:1: error: unknown key 'd' in the manifest (allowed: varve, directory, version_table, naming, database, migrations, lint, schema) [manifest-schema]
  ! bomb.yaml:5:4: error: anchors are not allowed ('&d') [manifest-schema]
  ! bomb.yaml:5:8: error: aliases are not allowed ('*c') [manifest-schema]
  ! bomb.yaml:5:11: error: aliases are not allowed ('*c') [manifest-schema]
  ! bomb.yaml:5:14: error: aliases are not allowed ('*c') [manifest-schema]
  ! bomb.yaml:5:17: error: aliases are not allowed ('*c') [manifest-schema]
  ! bomb.yaml:5:20: error: aliases are not allowed ('*c') [manifest-schema]
  ! bomb.yaml:5:23: error: aliases are not allowed ('*c') [manifest-schema]
  ! bomb.yaml:5:26: error: aliases are not allowed ('*c') [manifest-schema]
  ! bomb.yaml:5:29: error: aliases are not allowed ('*c') [manifest-schema]
  ! bomb.yaml:5:32: error: aliases are not allowed ('*c') [manifest-schema]
  ! bomb.yaml:6:1: error: unknown key 'e' in the manifest (allowed: varve, directory, version_table, naming, database, migrations, lint, schema) [manifest-schema]
  ! bomb.yaml:6:4: error: anchors are not allowed ('&e') [manifest-schema]
  ! bomb.yaml:6:8: error: aliases are not allowed ('*d') [manifest-schema]
  ! bomb.yaml:6:11: error: aliases are not allowed ('*d') [manifest-schema]
  ! bomb.yaml:6:14: error: aliases are not allowed ('*d') [manifest-schema]
  ! bomb.yaml:6:17: error: aliases are not allowed ('*d') [manifest-schema]
  ! bomb.yaml:6:20: error: aliases are not allowed ('*d') [manifest-schema]
  ! bomb.yaml:6:23: error: aliases are not allowed ('*d') [manifest-schema]
  ! bomb.yaml:6:26: error: aliases are not allowed ('*d') [manifest-schema]
  ! bomb.yaml:6:29: error: aliases are not allowed ('*d') [manifest-schema]
  ! bomb.yaml:6:32: error: aliases are not allowed ('*d') [manifest-schema]
  ! bomb.yaml:7:1: error: unknown key 'f' in the manifest (allowed: varve, directory, version_table, naming, database, migrations, lint, schema) [manifest-schema]
  ! bomb.yaml:7:4: error: anchors are not allowed ('&f') [manifest-schema]
  ! bomb.yaml:7:8: error: aliases are not allowed ('*e') [manifest-schema]
  ! bomb.yaml:7:11: error: aliases are not allowed ('*e') [manifest-schema]
  ! bomb.yaml:7:14: error: aliases are not allowed ('*e') [manifest-schema]
  ! bomb.yaml:7:17: error: aliases are not allowed ('*e') [manifest-schema]
  ! bomb.yaml:7:20: error: aliases are not allowed ('*e') [manifest-schema]
  ! bomb.yaml:7:23: error: aliases are not allowed ('*e') [manifest-schema]
  ! bomb.yaml:7:26: error: aliases are not allowed ('*e') [manifest-schema]
  ! bomb.yaml:7:29: error: aliases are not allowed ('*e') [manifest-schema]
  ! bomb.yaml:7:32: error: aliases are not allowed ('*e') [manifest-schema]
  ! bomb.yaml:8:1: error: unknown key 'g' in the manifest (allowed: varve, directory, version_table, naming, database, migrations, lint, schema) [manifest-schema]
  ! bomb.yaml:8:4: error: anchors are not allowed ('&g') [manifest-schema]
  ! bomb.yaml:8:8: error: aliases are not allowed ('*f') [manifest-schema]
  ! bomb.yaml:8:11: error: aliases are not allowed ('*f') [manifest-schema]
  ! bomb.yaml:8:14: error: aliases are not allowed ('*f') [manifest-schema]
  ! bomb.yaml:8:17: error: aliases are not allowed ('*f') [manifest-schema]
  ! bomb.yaml:8:20: error: aliases are not allowed ('*f') [manifest-schema]
  ! bomb.yaml:8:23: error: aliases are not allowed ('*f') [manifest-schema]
  ! bomb.yaml:8:26: error: aliases are not allowed ('*f') [manifest-schema]
  ! bomb.yaml:8:29: error: aliases are not allowed ('*f') [manifest-schema]
  ! bomb.yaml:8:32: error: aliases are not allowed ('*f') [manifest-schema]
  ! bomb.yaml:9:13: error: aliases are not allowed ('*g') [manifest-schema]
  ! 69 errors, 0 warnings
  [1]

An empty file, a directory, a file of only a document marker:

  $ : > empty.yaml
  $ timeout 20 varve -f empty.yaml check
  ! empty.yaml:1:1: error: the manifest is empty (expected a mapping with 'varve' and 'migrations') [manifest-schema]
  ! 1 error, 0 warnings
  [1]
  $ mkdir -p adir.yaml
  $ timeout 20 varve -f adir.yaml check
  ! varve: error: cannot open 'adir.yaml': is a directory
  [2]
  $ printf -- '---\n' > dashes.yaml
  $ timeout 20 varve -f dashes.yaml check
  ! dashes.yaml:2:1: error: the manifest must be a mapping, not null [manifest-schema]
  ! 1 error, 0 warnings
  [1]

Paths that escape the project, through `..`, an absolute path and a
symlink; the file behind them is never read:

  $ mkdir -p escape/migrations outside
  $ printf 'CREATE TABLE secret (x int);\n' > outside/0001_secret.sql
  $ ln -s "$TESTTMP/outside/0001_secret.sql" escape/migrations/0002_link.sql
  $ ln -s "$TESTTMP/outside" escape/migrations/linked
  $ printf 'varve: 1\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    file: ../../outside/0001_secret.sql\n  - revision: "0002"\n    down_revision: "0001"\n    file: 0002_link.sql\n  - revision: "0003"\n    down_revision: "0002"\n    file: /etc/passwd\n  - revision: "0004"\n    down_revision: "0003"\n    file: linked/0001_secret.sql\n' > escape/varve.yaml
  $ timeout 20 varve -f escape/varve.yaml check
  ! escape/migrations/0002_link.sql: warning: no entry of 'escape/varve.yaml' lists this file [unlisted-file]
  ! escape/varve.yaml:5:11: error: file '../../outside/0001_secret.sql' is outside the project: '..' escapes the project [file-outside-project]
  ! escape/varve.yaml:8:11: error: file '0002_link.sql' is outside the project: symlink leads outside the project [file-outside-project]
  ! escape/varve.yaml:11:11: error: file '/etc/passwd' is outside the project: absolute path [file-outside-project]
  ! escape/varve.yaml:14:11: error: file 'linked/0001_secret.sql' is outside the project: symlink leads outside the project [file-outside-project]
  ! 4 errors, 1 warning
  [1]
  $ printf 'varve: 1\ndirectory: ../outside\nmigrations: []\n' > escape/dir.yaml
  $ timeout 20 varve -f escape/dir.yaml check
  ! escape/dir.yaml:2:12: error: directory '../outside' is outside the project: '..' escapes the project [file-outside-project]
  ! 1 error, 0 warnings
  [1]
