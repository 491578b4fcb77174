#!/usr/bin/env python3
"""Keep the reference (docs/, the man pages, README.md, varve.h) and the code
in agreement, so that they cannot drift apart.

Usage: tests/docs/reference.py PATH/TO/varve

Checks, each printed as "ok  ..." or "FAIL ...":

  outside   no line of README.md, docs/, share/man/ or lib/include/varve.h
            points outside the repository: `../shared`, `SPEC §N`, `SPEC.md`;
            every relative link of README.md and docs/*.md names a file
            that exists inside the repository
  commands  every command of the CLI's table (`varve --help`) and every
            option of `varve help CMD` (the command's and the global ones)
            appear in share/man/man1/varve.1 and docs/commands.md
  keys      every key the manifest loader accepts (the key tables of
            lib/manifest_load.c) appears in share/man/man5/varve.yaml.5 and
            docs/manifest.md, and schemas/varve.schema.json has the same keys
  codes     every finding code the library emits (lib/*.c) appears in
            docs/check.md and varve.1
  lint      every safety-lint rule (the code table of lib/lint.c) has its
            page docs/lint/CODE.md and a row in docs/lint/README.md, and
            every page there is a rule's

Exits 1 when a check fails.
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MAN1 = os.path.join(ROOT, "share", "man", "man1", "varve.1")
MAN5 = os.path.join(ROOT, "share", "man", "man5", "varve.yaml.5")

failures = 0


def report(ok, what, missing=()):
    global failures
    if ok:
        print(f"ok   {what}")
    else:
        failures += 1
        print(f"FAIL {what}")
        for m in missing:
            print(f"     {m}")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def rel(path):
    return os.path.relpath(path, ROOT)


def roff_text(path):
    """A man page's source as plain words: fonts, escapes and quotes gone."""
    out = []
    for line in read(path).split("\n"):
        if line.startswith('.\\"'):
            continue
        line = re.sub(r"\\f[BIRP]", "", line)
        line = line.replace("\\-", "-").replace("\\ ", " ").replace("\\(dq", '"')
        line = re.sub(r"^\.[A-Z]{1,2}\b ?", "", line)
        out.append(line.replace('"', " ").lstrip())
    return "\n".join(out)


def check_outside():
    files = [os.path.join(ROOT, "README.md"), os.path.join(ROOT, "lib", "include", "varve.h")]
    files += sorted(glob.glob(os.path.join(ROOT, "docs", "**", "*"), recursive=True))
    files += sorted(glob.glob(os.path.join(ROOT, "share", "**", "*"), recursive=True))
    files = [f for f in files if os.path.isfile(f)]
    bad = []
    for path in files:
        text = read(path)
        for m in re.finditer(r"\.\./shared|SPEC\s+§|SPEC\.md", text):
            line = text.count("\n", 0, m.start()) + 1
            bad.append(f"{rel(path)}:{line}: {m.group(0)!r}")
    report(not bad, "outside: no pointer out of the repository", bad)

    broken = []
    pages = [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "docs", "**", "*.md"), recursive=True))
    for page in pages:
        for m in re.finditer(r"\]\(([^)\s]+)\)", read(page)):
            target = m.group(1).split("#")[0]
            if not target or re.match(r"[a-z]+:", target):
                continue
            full = os.path.normpath(os.path.join(os.path.dirname(page), target))
            if not full.startswith(ROOT + os.sep) or not os.path.exists(full):
                broken.append(f"{rel(page)}: {m.group(1)}")
    report(not broken, "outside: every relative link exists in the repository", broken)


def cli_help(varve, *args):
    return subprocess.run([varve, *args], capture_output=True, text=True, check=True).stdout


def check_commands(varve):
    main = cli_help(varve, "--help")
    section = main.split("commands:\n", 1)[1].split("\n\n", 1)[0]
    commands = [line.split()[0] for line in section.split("\n") if line.strip()]
    options = {}
    for cmd in commands:
        text = cli_help(varve, "help", cmd)
        found = set()
        for m in re.finditer(r"^\s+(?:-([A-Za-z]), )?--([a-z][a-z0-9-]*)", text, re.M):
            found.add(f"--{m.group(2)}")
            if m.group(1):
                found.add(f"-{m.group(1)}")
        options[cmd] = found
    options[""] = {"--version", "--help"}

    man = roff_text(MAN1)
    commands_md = read(os.path.join(ROOT, "docs", "commands.md"))
    for name, text, cmd_pattern in (
        ("share/man/man1/varve.1", man, r"(?m)^{}\b"),
        ("docs/commands.md", commands_md, r"(?m)^### `varve {}\b"),
    ):
        missing = [f"command {c}" for c in commands if not re.search(cmd_pattern.format(re.escape(c)), text)]
        for cmd, opts in sorted(options.items()):
            for o in sorted(opts):
                if not re.search(r"(?<![\w-])" + re.escape(o) + r"(?![\w-])", text):
                    missing.append(f"option {o} (of {cmd or 'varve'})")
        report(not missing, f"commands: every command and option in {name}", missing)
    return commands


def loader_keys():
    src = read(os.path.join(ROOT, "lib", "manifest_load.c"))
    keys = {}
    for table in ("top", "database", "entry"):
        m = re.search(r"static const char \*const " + table + r"_names\[[^\]]*\]\s*=\s*\{(.*?)\};", src, re.S)
        if not m:
            sys.exit(f"reference.py: no {table}_names table in lib/manifest_load.c")
        keys[table] = re.findall(r'"([a-z_]+)"', m.group(1))
    return keys


def check_keys():
    keys = loader_keys()
    schema = __import__("json").loads(read(os.path.join(ROOT, "schemas", "varve.schema.json")))
    schema_keys = {
        "top": set(schema["properties"]),
        "database": set(schema["properties"]["database"]["properties"]),
        "entry": set(schema["definitions"]["migration"]["properties"]),
    }
    man = roff_text(MAN5)
    manifest_md = read(os.path.join(ROOT, "docs", "manifest.md"))
    for name, text, pattern in (
        ("share/man/man5/varve.yaml.5", man, r"(?m)^{}$"),
        ("docs/manifest.md", manifest_md, r"(?m)^\| `{}` \|"),
    ):
        missing = [f"{table} key {k}" for table, ks in keys.items() for k in ks
                   if not re.search(pattern.format(re.escape(k)), text)]
        report(not missing, f"keys: every manifest key in {name}", missing)
    differ = [f"{t}: loader {sorted(set(keys[t]))} vs schema {sorted(schema_keys[t])}"
              for t in keys if set(keys[t]) != schema_keys[t]]
    report(not differ, "keys: the loader and schemas/varve.schema.json accept the same keys", differ)


def library_codes():
    codes = set()
    for path in glob.glob(os.path.join(ROOT, "lib", "*.c")):
        src = read(path)
        defines = dict(re.findall(r'#define\s+([A-Z_]+)\s+"([a-z-]+)"', src))
        for m in re.finditer(r'(?:varve_diag__(?:error|warning)|\breport)\s*\(\s*[^,]+,\s*("([a-z-]+)"|([A-Z_]+))', src):
            code = m.group(2) or defines.get(m.group(3))
            if code:
                codes.add(code)
    return codes


def check_codes():
    codes = sorted(library_codes())
    check_md = read(os.path.join(ROOT, "docs", "check.md"))
    man = roff_text(MAN1)
    missing = [c for c in codes if not re.search(r"(?m)^\| `" + re.escape(c) + r"` \|", check_md)]
    report(not missing, "codes: every finding code in docs/check.md", missing)
    missing = [c for c in codes if not re.search(r"(?<![\w-])" + re.escape(c) + r"(?![\w-])", man)]
    report(not missing, "codes: every finding code in varve.1", missing)


def lint_codes():
    """The codes of lib/lint.c's rule table: the initializer that holds
    "require-concurrent-index" (one literal per rule, or a table of structs
    whose first literal is the code). None before the lint exists."""
    path = os.path.join(ROOT, "lib", "lint.c")
    if not os.path.exists(path):
        return None
    src = re.sub(r"/\*.*?\*/|//[^\n]*", "", read(path), flags=re.S)
    at = src.find('"require-concurrent-index"')
    if at < 0:
        sys.exit("reference.py: lib/lint.c has no rule table (no \"require-concurrent-index\")")
    opens = [m.end() - 1 for m in re.finditer(r"=\s*\{", src[:at])]
    if not opens:
        sys.exit("reference.py: lib/lint.c: the rule table is not an initializer")
    start, depth = opens[-1], 0
    for end in range(start, len(src)):
        depth += {"{": 1, "}": -1}.get(src[end], 0)
        if depth == 0:
            break
    body = src[start + 1:end]
    groups = re.findall(r"\{([^{}]*)\}", body) if "{" in body else [body]
    codes = []
    for g in groups:
        lits = re.findall(r'"([^"\\]*)"', g)
        codes += lits[:1] if "{" in body else lits
    return [c for c in codes if re.fullmatch(r"[a-z]+(-[a-z]+)*", c)]


def check_lint():
    found = lint_codes()
    codes = found or []
    pages = {os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, "docs", "lint", "*.md"))} - {"README"}
    index = read(os.path.join(ROOT, "docs", "lint", "README.md"))
    missing = [f"docs/lint/{c}.md" for c in codes if c not in pages]
    missing += [f"docs/lint/README.md: no row for {c}" for c in codes
                if not re.search(r"(?m)^\| \[`" + re.escape(c) + r"`\]\(" + re.escape(c) + r"\.md\) \|", index)]
    report(not missing, "lint: every lint rule has its page in docs/lint/ and its row in the index", missing)
    extra = [f"docs/lint/{p}.md" for p in sorted(pages - set(codes))] if found is not None else []
    report(not extra, "lint: every page in docs/lint/ is a rule's", extra)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: tests/docs/reference.py PATH/TO/varve")
    check_outside()
    check_commands(os.path.abspath(sys.argv[1]))
    check_keys()
    check_codes()
    check_lint()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
