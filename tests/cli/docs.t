The reference lives in the repository and follows the code: no line of
README.md, docs/, the man pages or varve.h points outside the repository;
every command, option, manifest key and finding code is documented in
docs/ and the man pages, and every safety-lint rule has its page in
docs/lint/ (tests/docs/reference.py reads them from the CLI's help, the
manifest loader's key tables and the library's sources).

  $ python3 "$ROOT/tests/docs/reference.py" "$(command -v varve)"
  ok   outside: no pointer out of the repository
  ok   outside: every relative link exists in the repository
  ok   commands: every command and option in share/man/man1/varve.1
  ok   commands: every command and option in docs/commands.md
  ok   keys: every manifest key in share/man/man5/varve.yaml.5
  ok   keys: every manifest key in docs/manifest.md
  ok   keys: the loader and schemas/varve.schema.json accept the same keys
  ok   codes: every finding code in docs/check.md
  ok   codes: every finding code in varve.1
  ok   lint: every lint rule has its page in docs/lint/ and its row in the index
  ok   lint: every page in docs/lint/ is a rule's

The man pages format without warnings:

  $ for p in man1/varve.1 man5/varve.yaml.5; do LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -l "$ROOT/share/man/$p" 2>&1 >/dev/null; done

The GitHub Actions example parses as YAML and has every step:

  $ /usr/bin/python3 "$ROOT/tests/docs/ci_example.py"
  examples/ci/github-actions.yml: valid (8 steps)
