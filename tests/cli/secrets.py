#!/usr/bin/python3
"""Every message varve can print that echoes what it was given, with a
password in what it was given.

Usage: tests/cli/secrets.py ROOT   (varve on PATH; run by tests/cli/security.t,
whose PostgreSQL gives the commands that connect a server to talk to)

The formats are read from the sources: every string passed to
cli_usage_error, out_error, varve_error__set, report or varve_buf_printf in
cmd/varve/*.c and in the library files whose messages quote the command
line, the environment or the manifest (lib/target.c, lib/manifest_load.c,
lib/pg.c), when it has a %s or %c. Each format must be either triggered
below, by a command whose input holds the password (and the message must
then appear with the password masked), or listed in EXEMPT with the reason
it cannot echo one. A new format fails this test until it is one or the
other. Prints one line per case and exits 1 on any failure.
"""

import glob
import os
import re
import subprocess
import sys

SECRET = "s3cretpw"
URL = f"postgresql://u:{SECRET}@127.0.0.1:1/db"
USERINFO = f"u:{SECRET}@h"

# format -> why no password can reach it
EXEMPT = {
    "unknown lint rule '%.*s'%s in %s (the rules: docs/check.md, Safety lint)":
        "a value of the manifest's lint lists, never a url or a variable's expansion",
    "%s": "the library's message, passed on: its own formats are listed here",
    "%s; nothing changed": "the library's message, passed on",
    "unknown command '%s' (did you mean '%s'?)":
        "only for a word within two edits of a command's name; 'unknown command' is tested",
    "--format %s is not supported: %s takes %s": "varve's own names of formats and commands",
    "--sql prints a psql script: --format %s does not apply": "varve's own name of a format",
    "option '--%s' needs a value": "the option's name from varve's table",
    "option '-%c' needs a value": "the option's letter from varve's table",
    "not a terminal: pass --yes to renumber %zu migration%s (or --dry-run to see them)":
        "a count",
    "'%s' is dirty: a non-transactional migration failed part way; repair the database, "
    "then run 'varve resolve %s --applied' or '--rolled-back'":
        "a revision from the version table, written by varve from the manifest "
        "(revisions are letters, digits and '_')",
    "no revision or branch '%s'": "reached only by a target of letters, digits, '_' and '-'",
    "multiple revisions start with '%s': ": "likewise",
    "no branch '%s'": "a label: letters, digits, '_' and '-' (others are 'invalid target')",
    "branch '%s' has no head": "likewise",
    "branch '%s' has several heads: ": "likewise",
    "cannot walk '%s': walked past the %s at '%s'": "a revision and a manifest revision",
    "cannot walk '%s': '%s' %s ": "likewise",
    "cannot walk '%s': '%s' is not one revision": "likewise",
    "cannot resolve '%s': no migrations are %s": "a relative target: digits",
    "cannot resolve '%s': only %zu migration%s %s %s": "likewise",
    "cannot upgrade to '%s': it is a downgrade target": "'base' or '-N'",
    "cannot downgrade to '%s': it is an upgrade target": "'+N' or 'heads'",
    "cannot upgrade to '%s': '%s' is part of a cycle": "a resolved revision",
    "target '%s' is relative to the applied state": "'+N' or '-N'",
    "%s (0x%x)": "libyaml's own words about a byte",
    "%s (%s at %u:%u)": "libyaml's own words",
    "%s must be a string, not %s; quote it: \\\"%s\\\"": "a number or a boolean",
    "%s must be %s, not %s": "varve's names of keys and of YAML types",
    "%s is too long (%zu bytes; at most %zu)": "a key's name",
    "%s must not contain a NUL character": "a key's name",
    "%s is not a valid integer": "a key's name",
    "%s must be true or false": "a key's name",
    "keys %s must be strings, not %s": "a key's name and a YAML type",
    "revision '%s' is listed twice in 'down_revision'": "a revision that passed its pattern",
    "'down_revision' lists %zu revision%s; a merge needs 2 or more "
    "(write a single parent as a string)": "a count",
    "%s must not be empty": "a key's name",
    "%s%s%sis missing required key 'down_revision' (null for a first migration)":
        "a revision that passed its pattern",
    "'file' cannot be combined with '%s'": "'up' or 'down'",
    "%s%s%shas no SQL: add 'file' or 'up' (only a merge may have none)":
        "a revision that passed its pattern",
    "cannot run '%s': %s": "varve's own SET statements and libpq's message, scrubbed",
    "cannot load '%s': a token longer than %zu MiB":
        "the manifest's path, as in 'cannot load '%s': larger than %zu MiB' (tested)",
    "stopped while waiting for %s": "the conninfo as varve_conninfo_redact shows it "
        "(the same text as 'did not accept connections', tested), after a signal",
    "%s%s": "not a message: varve's own SET statements joined into one query (lib/pg.c)",
    "--%s needs --fleet FILE": "an option's name from varve's table",
    "--fleet does not go with %s": "an option's name",
    "cannot connect to '%s': timeout expired":
        "the same redacted string and scrub as 'cannot connect to '%s': ' (tested); "
        "reached when a fleet's connection outlives connect_timeout",
    "%s must be a string, not %s": "a key's name and a YAML type (lib/fleet.c)",
    "%s%s%s": "libyaml's own words about a fleet file",
    "%s.%s": "not a message: a schema target's version table, schema.table (lib/fleet.c)",
    "%s: environment variable '%s' is unset or empty (give it a value, or a default: ${%s:-...})":
        "a key's name and a variable's name (letters, digits, '_')",
    "%s: the query returned no column": "varve's name of the query",
    "'%s' has errors": "never printed: the CLI prints the findings of the fleet file instead",
    "'concurrency' must be an integer, not %s": "a YAML type",
    "'on_failure' must be stop or continue, not %s": "a YAML type",
    "'concurrency' must be from 1 to %d, not %.*s": "an integer (digits)",
    "'query' must be a mapping with 'database' and 'sql', not %s": "a YAML type",
    "'schemas' must be a mapping with 'database' and 'names' or 'sql', not %s": "a YAML type",
    "'schemas.names' must be a list of schema names, not %s": "a YAML type",
    "'targets' must be a list of {url, label}, not %s": "a YAML type",
    "'varve_fleet' must be an integer, not %s": "a YAML type",
    "a target must be a mapping with 'url' (and an optional 'label'), not %s": "a YAML type",
    "invalid variable reference in %s (expected ${NAME} or ${NAME:-default})": "a key's name",
    "keys %s must be strings": "varve's words for where",
    "poll failed: %s": "strerror",
    "stopped after %zu migration%s": "a count",
    "the fleet file must be a mapping with 'varve_fleet: 1' and targets, not %s": "a YAML type",
    "unsupported fleet format 'varve_fleet: %.*s' (this varve reads format 1)":
        "an integer (digits)",
    "%s already records %zu migration%s; nothing written (--force records only what it lacks)":
        "the version table import opens, the literal \"varve_version\" (import writes the "
        "manifest, so no version_table names another), and a count",
}

# (formats it shows, argv, exit status); "{dir}" is the case's project folder
CASES = [
    (["unexpected argument '%s'"], ["check", URL], 2),
    (["unexpected argument '%s'"], ["check", "--database", URL, URL], 2),
    (["unexpected argument '%s'"], ["fix", URL], 2),
    (["unexpected argument '%s'"], ["history", URL], 2),
    (["unexpected argument '%s'"], ["init", URL], 2),
    (["unexpected argument '%s'"], ["upgrade", "head", URL], 2),
    (["unexpected argument '%s'"], ["status", URL], 2),
    (["unexpected argument '%s'"], ["resolve", URL, URL, "--applied"], 2),
    (["unknown command '%s'"], [URL, "status"], 2),
    (["unknown command '%s'"], ["help", URL], 2),
    (["--lock-wait needs a number of seconds, not '%s'"], ["--lock-wait", URL, "status"], 2),
    (["--lock-wait needs a number of seconds, not '%s'"], ["status", "--lock-wait=" + URL], 2),
    (["unknown format '%s'"], ["status", "--format", URL], 2),
    (["--color must be auto, always or never, not '%s'"], ["--color=" + URL, "status"], 2),
    (["option '--%s' takes no value"], ["status", "--exit-code=" + URL], 2),
    (["unknown option '-%c'"], ["status", "-x" + URL], 2),
    (["option '--%.*s' is ambiguous"], ["upgrade", "--s=" + URL], 2),
    (["unknown option '--%s' (did you mean '--%s'?)"], ["--databse=" + URL, "status"], 2),
    (["unknown option '--%s' (did you mean '--%s'?)"], ["check", "--databse=" + URL], 2),
    (["unknown option '--%s'"], ["status", "--" + URL], 2),
    (["invalid target '%s'"], ["upgrade", "--sql", USERINFO], 1),
    (["invalid target '%s'"], ["upgrade", URL], 1),
    (["invalid target '%s'"], ["downgrade", URL], 1),
    (["invalid target '%s'"], ["stamp", URL], 1),
    (["invalid target '%s': expected '<branch>@head' or '<branch>@-N'"],
     ["upgrade", "--sql", f"{USERINFO}@head"], 1),
    (["invalid target '%s'"], ["upgrade", "--sql", URL], 1),
    # lib/run.c (not scanned: the runner's own messages name revisions
    # and the redacted connection), for a revision given on the command line
    (["'%s' is not dirty"], ["resolve", URL, "--applied"], 1),
    (["step count of '%s' is too large"], ["upgrade", "--sql", "+99999999999999999999999"], 1),
    (["cannot %s '%s': %s"], ["-f", URL, "status"], 2),
    (["cannot %s '%s': %s"], ["--manifest=" + URL, "check"], 2),
    (["cannot open '%s': not a regular file"], ["-f", "{dir}/" + USERINFO + ".fifo", "check"], 2),
    (["cannot parse '%s': invalid YAML"], ["-f", "{dir}/" + USERINFO + ".yaml", "hash"], 1),
    (["%s:%u:%u: error: did not find expected"], ["-f", "{dir}/" + USERINFO + ".yaml", "check"], 1),
    (["cannot load '%s': larger than %zu MiB"], ["-f", "{dir}/" + USERINFO + ".big", "hash"], 1),
    (["the manifest is larger than"], ["-f", "{dir}/" + USERINFO + ".big", "check"], 1),
    (["invalid %s '%.*s'%s (expected %s)"], ["-f", "{dir}/timeout.yaml", "check"], 1),
    (["unknown key '%.*s'%s %s (allowed: %s)", "duplicate key '%s' (first at line %u)"],
     ["-f", "{dir}/keys.yaml", "check"], 1),
    (["'naming' must be timestamp or sequential, not '%.*s'%s"],
     ["-f", "{dir}/naming.yaml", "check"], 1),
    (["%s '%.*s'%s is outside the project: %s"], ["-f", "{dir}/outside.yaml", "check"], 1),
    (["aliases are not allowed ('*%.*s')", "anchors are not allowed ('&%.*s')"],
     ["-f", "{dir}/alias.yaml", "check"], 1),
    (["%s must be %s; tag '%.*s' is not supported"], ["-f", "{dir}/tag.yaml", "check"], 1),
    (["invalid connection string '%s': unknown scheme '%.*s' (use postgresql:// or postgres://)"],
     ["-d", f"pg://u:{SECRET}@h/db", "status"], 1),
    (["invalid connection string '%s': "], ["-d", f"host=h password={SECRET} bogus=1", "status"], 1),
    (["cannot connect to '%s': "], ["-d", URL, "status"], 3),
    (["cannot connect to '%s': "], ["-d" + URL, "status"], 3),
    (["cannot connect to '%s': "], ["--database=" + URL, "status"], 3),
    (["cannot connect to '%s': "], ["check", "--database", URL], 3),
    (["cannot connect to '%s': "], ["check", "--database=" + URL], 3),
    (["%s did not accept connections within %gs: %s"], ["wait", "--timeout", "1", "-d", URL], 3),
    (["--timeout needs a duration (60, 60s, 500ms, 2m), not '%s'"],
     ["wait", "--timeout=" + URL], 2),
    (["unexpected argument '%s'"], ["wait", URL], 2),
    (["unexpected argument '%s'"], ["redo", "head", URL], 2),
    (["--server-version needs a PostgreSQL major version (10 to 99), not '%s'"],
     ["check", "--server-version=" + URL], 2),
    (["cannot build head: '%s' failed%s%s%s: %s"], ["-f", "{dir}/sf/varve.yaml", "check", "--schema"], 1),
    (["cannot write '%s': %s"],
     ["-d", "postgresql:///postgres", "schema", "dump", "-o", "{dir}/nodir/" + USERINFO + "/x.sql"], 2),
    (["unknown subcommand '%s' (schema has 'dump')"], ["schema", URL], 2),
    # fleets (lib/fleet.c, cmd/varve/cmd_fleet.c)
    (["cannot open '%s': %s"], ["status", "--fleet", URL], 2),
    (["--only '%s': no target of '%s' has that label"],
     ["upgrade", "--fleet", "{dir}/" + USERINFO + ".fleet", "--only", URL], 2),
    (["--concurrency must be a number from 1 to 1024, not '%s'"],
     ["upgrade", "--fleet", "{dir}/" + USERINFO + ".fleet", "--concurrency", URL], 2),
    (["unknown key '%.*s' %s (allowed: %s)", "invalid label '%.*s' (letters, digits, '_', '.' and '-')",
      "invalid schema name '%.*s' (1 to 63 bytes, no '.')",
      "'on_failure' must be stop or continue, not '%.*s'"],
     ["status", "--fleet", "{dir}/bad.fleet"], 1),
    (["'%s' has schema targets, but the manifest's version_table '%s' names a schema: each "
      "tenant's schema needs its own table; give version_table without a schema"],
     ["-f", "{dir}/vt.yaml", "status", "--fleet", "{dir}/" + USERINFO + ".schemas"], 1),
    (["%s: %s"], ["status", "--fleet", "{dir}/control.fleet"], 3),
    (["%s: the query failed: %s"], ["status", "--fleet", "{dir}/query.fleet"], 1),
    (["'%s': invalid schema name '%.*s' (1 to 63 bytes, no '.')"],
     ["status", "--fleet", "{dir}/" + USERINFO + ".names"], 1),
    (["%s; nothing written"],
     ["-f", "{dir}/" + USERINFO + ".yaml", "import", "--from", "golang-migrate", "{dir}/gm"], 1),
]

MANIFEST = 'varve: 1\nmigrations:\n  - revision: "0001"\n    down_revision: null\n    file: 0001_a.sql\n'
FILES = {
    USERINFO + ".yaml": "varve: 1\nmigrations: [\n",
    "timeout.yaml": f"varve: 1\ndatabase:\n  lock_timeout: {URL}\nmigrations: []\n",
    "keys.yaml": f"varve: 1\n'{URL}': 1\n'{URL}': 2\nmigrations: []\n",
    "naming.yaml": f"varve: 1\nnaming: {URL}\nmigrations: []\n",
    "outside.yaml": f"varve: 1\ndirectory: /{USERINFO}\nmigrations: []\n",
    "alias.yaml": f"varve: 1\nx: &{USERINFO} 1\ny: *{USERINFO}\nmigrations: []\n",
    "tag.yaml": f"varve: 1\nnaming: !{USERINFO} x\nmigrations: []\n",
    "sf/varve.yaml": MANIFEST + "schema: schema.sql\n",
    "sf/migrations/0001_a.sql": f"SELECT '{USERINFO}'::int;\n",
    "gm/1_a.up.sql": "CREATE TABLE a (id int);\n",
    USERINFO + ".fleet": f"varve_fleet: 1\ntargets:\n  - url: {URL}\n    label: ok\n",
    "bad.fleet": f"varve_fleet: 1\non_failure: '{URL}'\n'{URL}': 1\ntargets:\n"
                 f"  - {{url: x, label: '{URL}'}}\nschemas: {{database: x, names: ['{URL}']}}\n",
    "vt.yaml": MANIFEST.replace("varve: 1\n", "varve: 1\nversion_table: public.varve_version\n"),
    USERINFO + ".schemas": "varve_fleet: 1\nschemas: {database: x, names: [a]}\n",
    "control.fleet": f"varve_fleet: 1\nquery: {{database: '{URL}', sql: SELECT 1}}\n",
    "query.fleet": f"varve_fleet: 1\nquery: {{database: '', sql: 'SELECT * FROM \"{URL}\"'}}\n",
    USERINFO + ".names": f"varve_fleet: 1\nschemas: {{database: '', sql: \"SELECT '{URL}'\"}}\n",
    "gm/1_a.down.sql": "DROP TABLE a;\n",
}

CALL = re.compile(r"\b(cli_usage_error|out_error|varve_error__set|report|varve_buf_printf)\s*\(")
LITERALS = re.compile(r'"(?:[^"\\]|\\.)*"(?:\s*"(?:[^"\\]|\\.)*")*')
LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')


def formats(root):
    """The formats in the sources that take a string or a character."""
    files = sorted(glob.glob(os.path.join(root, "cmd", "varve", "*.c")))
    files += [os.path.join(root, "lib", f) for f in ("target.c", "manifest_load.c", "pg.c", "fleet.c")]
    found = {}
    for path in files:
        src = open(path, encoding="utf-8").read()
        for m in CALL.finditer(src):
            depth, j = 1, m.end()
            while j < len(src) and depth:
                c = src[j]
                if c == "(":
                    depth += 1
                elif c == ")":
                    depth -= 1
                elif c == '"':
                    j += 1
                    while src[j] != '"':
                        j += 2 if src[j] == "\\" else 1
                j += 1
            lits = LITERALS.search(src[m.end():j])
            if not lits:
                continue
            fmt = "".join(LITERAL.findall(lits.group(0)))
            if re.search(r"%(\.\*)?[sc]", fmt):
                found.setdefault(fmt, os.path.relpath(path, root))
    return found


def main():
    root = sys.argv[1]
    work = os.path.join(os.environ.get("TESTTMP", "/tmp"), "secrets")
    os.makedirs(os.path.join(work, "migrations"), exist_ok=True)
    with open(os.path.join(work, "migrations", "0001_a.sql"), "w") as f:
        f.write("SELECT 1;\n")
    with open(os.path.join(work, "varve.yaml"), "w") as f:
        f.write(MANIFEST)
    for name, text in FILES.items():
        os.makedirs(os.path.dirname(os.path.join(work, name)), exist_ok=True)
        with open(os.path.join(work, name), "w") as f:
            f.write(text)
    if not os.path.exists(os.path.join(work, USERINFO + ".fifo")):
        os.mkfifo(os.path.join(work, USERINFO + ".fifo"))
    with open(os.path.join(work, USERINFO + ".big"), "w") as f:
        f.truncate(300 << 20)

    failed = 0
    known = formats(root)
    covered = {f for fmts, _, _ in CASES for f in fmts if f in known}
    for fmt, path in sorted(known.items()):
        if fmt not in covered and fmt not in EXEMPT:
            print(f"FAIL {path}: {fmt!r} is neither tested here nor exempt")
            failed += 1
    for fmt in sorted(set(EXEMPT)):
        if fmt not in known:
            print(f"FAIL {fmt!r} is listed here but no longer in the sources")
            failed += 1

    for fmts, argv, want in CASES:
        argv = [a.replace("{dir}", work) for a in argv]
        p = subprocess.run(["varve"] + argv, cwd=work, capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, timeout=60)
        out = p.stdout + p.stderr
        # The format's fixed words around its first conversion must show.
        words = re.split(r"%(?:\.\*)?[a-z]+", fmts[0])
        shown = all(w.strip() in out for w in words if w.strip())
        ok = SECRET not in out and shown and (want is None or p.returncode == want)
        failed += not ok
        line = out.strip().splitlines()[0] if out.strip() else ""
        print(f"{'ok  ' if ok else 'FAIL'} [{p.returncode}] {line.replace(work, '$DIR')}")
        if not ok:
            print(f"     varve {' '.join(argv)}\n     " + out.replace("\n", "\n     "))
    print(f"{len(known)} formats, {len(CASES)} cases, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
