"""varve.Project: libvarve's calls, handles owned and freed here, failures
turned into exceptions. Behaviour (planning, SQL, locking) is the library's."""
from __future__ import annotations

import os
import re
import threading
from typing import Any, Callable, Iterator, List, Optional, Tuple, Union
from contextlib import contextmanager

from ._varve import ffi, lib
from ._errors import Error, ManifestInvalid, MigrationFailed, error_class
from ._types import (Added, Applied, Counts, Difference, Event, Finding, FleetEvent,
                     FleetReport, FleetTarget, Migration, Result, Status, TestOutcome,
                     TestReport)

ProgressFn = Callable[[Event], Any]
PathLike = Union[str, "os.PathLike[str]"]

_EVENT_KINDS = {
    lib.VARVE_EVENT_START: "start",
    lib.VARVE_EVENT_DONE: "done",
    lib.VARVE_EVENT_FAILED: "failed",
    lib.VARVE_EVENT_RETRY: "retry",
    lib.VARVE_EVENT_RENAMED: "renamed",
}
_DIRECTIONS = {lib.VARVE_UPGRADE: "upgrade", lib.VARVE_DOWNGRADE: "downgrade"}
# Findings that make a manifest unusable for running: all errors but these,
# which only say there are several heads or roots (what heads() is for).
_NOT_FATAL = {"multiple-heads", "multiple-roots"}


def _str(p: Any) -> Optional[str]:
    return None if p == ffi.NULL else ffi.string(p).decode("utf-8", "replace")


def _bytes(s: Optional[str]) -> Any:
    return ffi.NULL if s is None else s.encode("utf-8")


def _cstr(s: Optional[str]) -> Any:
    """A C string for a struct field: keep the result alive while in use."""
    return ffi.NULL if s is None else ffi.new("char[]", s.encode("utf-8"))


_URI_PASSWORD = re.compile(r"(://[^:/?#@\s]*:)([^@/?#\s]*)(@)")
_KV_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]*)", re.I)


def _secrets(conninfo: Optional[str]) -> List[str]:
    """The passwords a connection string holds, to keep out of messages."""
    found = []
    for m in _URI_PASSWORD.finditer(conninfo or ""):
        found.append(m.group(2))
    for m in _KV_PASSWORD.finditer(conninfo or ""):
        found.append(m.group(2).strip("'"))
    return [s for s in found if s and s != "***"]


class _Errors:
    """Raises the exception of a status code with varve_error_last(),
    scrubbed of the passwords it knows (the library masks them already;
    this is a second guard for text that came from elsewhere)."""

    def __init__(self) -> None:
        self.secrets: List[str] = []

    def scrub(self, text: str) -> str:
        for s in self.secrets:
            text = text.replace(s, "***")
        return text

    def message(self) -> str:
        return self.scrub(ffi.string(lib.varve_error_last()).decode("utf-8", "replace"))

    def fail(self, code: int) -> "Error":
        return error_class(code)(self.message() or _str(lib.varve_strerror(code)) or "", code)

    def check(self, code: int) -> None:
        if code != lib.VARVE_OK:
            raise self.fail(code)


def _findings(diags: Any) -> List[Finding]:
    out = []
    for i in range(lib.varve_diag_list_count(diags)):
        d = lib.varve_diag_list_at(diags, i)
        out.append(Finding(
            "error" if d.severity == lib.VARVE_SEVERITY_ERROR else "warning",
            _str(d.code) or "", _str(d.message) or "", _str(d.file),
            int(d.line), int(d.column), _str(d.hint), _str(d.docs)))
    return out


def _migration(m: Any) -> Migration:
    return Migration(
        _str(lib.varve_migration_revision(m)) or "",
        tuple(_str(lib.varve_migration_parent(m, i)) or ""
              for i in range(lib.varve_migration_parent_count(m))),
        _str(lib.varve_migration_description(m)),
        _str(lib.varve_migration_branch(m)),
        _str(lib.varve_migration_file(m)) or _str(lib.varve_migration_up(m)),
        bool(lib.varve_migration_transaction(m)))


class _Run:
    """One run under way: what cancel() needs, guarded by a lock because
    cancel() comes from another thread (asyncio, a signal handler's thread)."""

    def __init__(self, progress: Optional[ProgressFn]) -> None:
        self.progress = progress
        self.results: List[Result] = []
        self.error: Optional[BaseException] = None
        self.stop = ffi.new("sig_atomic_t *")
        self.canceller: Any = None
        self.cancelled = False
        self.lock = threading.Lock()

    def attach(self, db: Any) -> None:
        pp = ffi.new("varve_canceller **")
        if lib.varve_db_canceller(pp, db) == lib.VARVE_OK:
            with self.lock:
                self.canceller = pp[0]
                if self.cancelled:
                    lib.varve_canceller_cancel(self.canceller)

    def detach(self) -> None:
        with self.lock:
            lib.varve_canceller_free(self.canceller or ffi.NULL)
            self.canceller = None

    def cancel(self) -> None:
        with self.lock:
            self.cancelled = True
            self.stop[0] = 1
            if self.canceller:
                lib.varve_canceller_cancel(self.canceller)


@ffi.def_extern()  # type: ignore[untyped-decorator]
def _varve_on_event(event: Any, payload: Any) -> None:
    run: _Run = ffi.from_handle(payload)
    m = event.migration
    ev = Event(_EVENT_KINDS.get(event.kind, str(event.kind)),
               _str(lib.varve_migration_revision(m)) or "",
               _str(lib.varve_migration_description(m)),
               _DIRECTIONS[event.direction], float(event.duration_ms),
               int(event.attempt), _str(event.old_revision))
    if ev.kind == "done":
        run.results.append(Result(ev.revision, ev.description, ev.direction, ev.duration_ms))
    if run.progress is not None and run.error is None:
        try:
            run.progress(ev)
        except BaseException as e:  # raised after the run; start nothing more
            run.error = e
            run.stop[0] = 1


_OUTCOMES = {
    lib.VARVE_TEST_PASSED: "passed",
    lib.VARVE_TEST_IRREVERSIBLE: "irreversible",
    lib.VARVE_TEST_NO_DOWNGRADE: "no-downgrade",
    lib.VARVE_TEST_FAILED: "failed",
}
_PROBLEMS = {
    lib.VARVE_TEST_OK: None,
    lib.VARVE_TEST_UPGRADE_FAILED: "upgrade-failed",
    lib.VARVE_TEST_DOWNGRADE_FAILED: "downgrade-failed",
    lib.VARVE_TEST_NOT_RESTORED: "not-restored",
    lib.VARVE_TEST_ROWS_LEFT: "rows-left",
    lib.VARVE_TEST_REUPGRADE_FAILED: "reupgrade-failed",
    lib.VARVE_TEST_NOT_REPEATABLE: "not-repeatable",
}
_CHANGES = {lib.VARVE_SCHEMA_ADDED: "added", lib.VARVE_SCHEMA_REMOVED: "removed",
            lib.VARVE_SCHEMA_CHANGED: "changed"}


def _differences(diff: Any) -> List[Difference]:
    if diff == ffi.NULL:
        return []
    out = []
    for i in range(lib.varve_schema_diff_list_count(diff)):
        d = lib.varve_schema_diff_list_at(diff, i)
        out.append(Difference(_CHANGES.get(d.change, str(d.change)), _str(d.kind) or "",
                              _str(d.name) or "", _str(d.before), _str(d.after)))
    return out


class _TestWalk:
    """test()'s callback state: the outcomes so far, the user's callback."""

    def __init__(self, project: "Project",
                 progress: Optional[Callable[[TestOutcome], Any]]) -> None:
        self.project = project
        self.progress = progress
        self.results: List[TestOutcome] = []
        self.error: Optional[BaseException] = None
        self.stop: Any = None


@ffi.def_extern()  # type: ignore[untyped-decorator]
def _varve_on_test(result: Any, payload: Any) -> None:
    walk: _TestWalk = ffi.from_handle(payload)
    r = result
    failure = None if r.failure == ffi.NULL else walk.project._failed(r.failure, [])
    detail = _str(r.detail)
    out = TestOutcome(
        _str(lib.varve_migration_revision(r.migration)) or "",
        _OUTCOMES.get(r.outcome, str(r.outcome)), _PROBLEMS.get(r.problem, str(r.problem)),
        _differences(r.diff), walk.project._errors.scrub(detail) if detail else None,
        failure, _str(r.file), int(r.line), int(r.column), float(r.up_ms),
        float(r.down_ms), float(r.reup_ms), float(r.capture_ms), float(r.total_ms))
    walk.results.append(out)
    if walk.progress is not None and walk.error is None:
        try:
            walk.progress(out)
        except BaseException as e:  # raised after the walk, which stops
            walk.error = e
            if walk.stop is not None:
                walk.stop[0] = 1


class _Session:
    """A manifest, its graph and (when asked) an open database; freed in
    reverse order by close(), which releases the lock with the connection."""

    def __init__(self, project: "Project", need_db: bool) -> None:
        self.errors = project._errors
        self.imported = ffi.NULL
        self.manifest = ffi.NULL
        self.graph = ffi.NULL
        self.db = ffi.NULL
        try:
            self._open(project, need_db)
        except BaseException:
            self.close()
            raise

    def _open(self, project: "Project", need_db: bool) -> None:
        pdiags = ffi.new("varve_diag_list **")
        self.errors.check(lib.varve_diag_list_new(pdiags))
        diags = ffi.gc(pdiags[0], lib.varve_diag_list_free)
        pm = ffi.new("varve_manifest **")
        if project._import is None:
            status = lib.varve_manifest_load(pm, project._manifest_b, diags)
        else:
            # Another tool's folder, read as `varve import --from TOOL` would,
            # its manifest kept in memory (nothing written).
            tool = ffi.new("varve_import_tool *")
            self.errors.check(lib.varve_import_tool_parse(tool, project._import[0].encode()))
            pi = ffi.new("varve_import **")
            status = lib.varve_import_plan(pi, project._manifest_b,
                                           project._import[1].encode("utf-8"), tool[0], diags)
            self.imported = pi[0]
            if status == lib.VARVE_OK:
                status = lib.varve_import_manifest(pm, self.imported, diags)
        self.manifest = pm[0]
        if status == lib.VARVE_OK:
            pg = ffi.new("varve_graph **")
            status = lib.varve_graph_build(pg, self.manifest, diags)
            self.graph = pg[0]
        lib.varve_diag_list_sort(diags)
        findings = _findings(diags)
        fatal = [f for f in findings if f.severity == "error" and f.code not in _NOT_FATAL]
        if status != lib.VARVE_OK and not findings:
            raise self.errors.fail(status)
        if status != lib.VARVE_OK or fatal:
            raise ManifestInvalid("%s: %d error%s: %s" % (
                project.manifest, len(fatal), "" if len(fatal) == 1 else "s",
                "; ".join(str(f) for f in fatal[:3])), findings, lib.VARVE_EINVALID)
        if need_db:
            self._connect(project)

    def _conninfo(self, project: "Project") -> str:
        out = ffi.new("char **")
        self.errors.check(lib.varve_conninfo_resolve(out, _bytes(project.database), ffi.NULL))
        try:
            conninfo = str(ffi.string(out[0]).decode("utf-8"))
        finally:
            lib.free(out[0])
        if conninfo:
            return conninfo
        # Nothing before the manifest names a database: its url, without holes.
        pdiags = ffi.new("varve_diag_list **")
        self.errors.check(lib.varve_diag_list_new(pdiags))
        diags = ffi.gc(pdiags[0], lib.varve_diag_list_free)
        self.errors.check(lib.varve_manifest_check_url(self.manifest, diags))
        findings = _findings(diags)
        if findings:
            raise ManifestInvalid("; ".join(str(f) for f in findings), findings,
                                  lib.VARVE_EINVALID)
        self.errors.check(lib.varve_conninfo_resolve(
            out, ffi.NULL, lib.varve_manifest_database_url(self.manifest)))
        try:
            return str(ffi.string(out[0]).decode("utf-8"))
        finally:
            lib.free(out[0])

    def _connect(self, project: "Project") -> None:
        conninfo = self._conninfo(project)
        self.errors.secrets = _secrets(conninfo) + _secrets(project.database)
        pdb = ffi.new("varve_db **")
        status = lib.varve_db_open(pdb, conninfo.encode("utf-8"),
                                   lib.varve_manifest_version_table(self.manifest))
        self.db = pdb[0]
        self.errors.check(status)
        lib.varve_db_set_lock_wait(self.db, float(project.lock_wait))
        if self.imported != ffi.NULL:
            self._adopt(project)

    def _adopt(self, project: "Project") -> None:
        """On first use of an imported folder's database (varve's table has
        no rows yet): record what the tool's own table says is applied, as
        `varve import` does; no migration SQL runs, the tool's table stays."""
        assert project._import is not None
        n = ffi.new("size_t *")
        lib.varve_db_applied(self.db, n)
        if n[0]:
            return
        status = lib.varve_import_read_applied(self.imported, self.db,
                                               _bytes(project._import[2]))
        if status == lib.VARVE_ENOTFOUND:  # a new database: nothing to adopt
            return
        self.errors.check(status)
        if lib.varve_import_applied_count(self.imported):
            status = lib.varve_import_record(self.imported, self.db, False)
            lib.varve_db_applied(self.db, n)
            if status == lib.VARVE_EINVALID and n[0]:
                return  # another runner adopted it while this one waited for the lock
            self.errors.check(status)

    def close(self) -> None:
        lib.varve_db_free(self.db)
        lib.varve_graph_free(self.graph)
        lib.varve_manifest_free(self.manifest)
        lib.varve_import_free(self.imported)
        self.db = self.graph = self.manifest = self.imported = ffi.NULL

    # Views over the graph and the applied rows.
    def nodes(self, seq: Any, count: int) -> List[int]:
        return [int(seq[i]) for i in range(count)]

    def order(self) -> List[int]:
        n = ffi.new("size_t *")
        seq = lib.varve_graph_order(self.graph, n)
        return self.nodes(seq, n[0])

    def revision(self, node: int) -> str:
        return _str(lib.varve_migration_revision(lib.varve_graph_node(self.graph, node))) or ""

    def rows(self) -> List[Applied]:
        n = ffi.new("size_t *")
        rows = lib.varve_db_applied(self.db, n)
        return [Applied(_str(r.revision) or "", _str(r.description), _str(r.checksum),
                        _str(r.applied_at) or "", _str(r.applied_by) or "",
                        int(r.duration_ms), bool(r.dirty))
                for r in (rows[i] for i in range(n[0]))]


class Project:
    """A varve project: its manifest and (for the methods that need one) its
    database. `database` is a URL or libpq string; when None it comes from
    the same places as the CLI's: $VARVE_DATABASE_URL, $DATABASE_URL, then
    the manifest's database.url. Every method opens what it needs and
    closes it before returning (so the lock never outlives a call); a
    Project may be used from one thread at a time, and several Projects
    from several threads at once (the library keeps no global state)."""

    def __init__(self, manifest: PathLike = "varve.yaml", database: Optional[str] = None,
                 *, lock_wait: float = 60.0, progress: Optional[ProgressFn] = None) -> None:
        self.manifest = os.fspath(manifest)
        self.database = database
        self.lock_wait = lock_wait
        self.progress = progress
        self._manifest_b = self.manifest.encode("utf-8")
        # (tool, folder, tool's version table or None) for imported().
        self._import: Optional[Tuple[str, str, Optional[str]]] = None
        self._errors = _Errors()
        self._errors.secrets = _secrets(database)
        self._runs: List[_Run] = []
        self._runs_lock = threading.Lock()

    def __repr__(self) -> str:
        if self._import is not None:
            return "varve.Project.imported(%r, %r)" % (self._import[1], self._import[0])
        return "varve.Project(%r)" % self.manifest

    @classmethod
    def imported(cls, directory: PathLike, tool: str = "auto", database: Optional[str] = None,
                 *, table: Optional[str] = None, lock_wait: float = 60.0,
                 progress: Optional[ProgressFn] = None) -> "Project":
        """Another tool's migrations folder (no varve.yaml) as a project:
        read as `varve import --from TOOL DIRECTORY` reads it, in memory
        (nothing is written). On first use of a database whose varve table
        has no rows yet, the tool's version table (`table`, or the tool's
        default) is adopted: its applied versions are recorded in varve's,
        as `varve import` records them. check() and new() need a manifest
        file and raise Error here."""
        directory = os.fspath(directory)
        p = cls(os.path.join(directory, "varve.yaml"), database, lock_wait=lock_wait,
                progress=progress)
        p._import = (tool, directory, table)
        return p

    def _on_disk(self, what: str) -> None:
        if self._import is not None:
            raise Error("%s needs a varve.yaml: '%s' is read in memory as a %s folder "
                        "(convert it once with 'varve import --from %s %s')"
                        % (what, self._import[1], self._import[0], self._import[0],
                           self._import[1]))

    @contextmanager
    def _session(self, need_db: bool) -> Iterator[_Session]:
        s = _Session(self, need_db)
        try:
            yield s
        finally:
            s.close()

    # -- offline ---------------------------------------------------------
    @staticmethod
    def init(manifest: PathLike = "varve.yaml", directory: str = "migrations") -> "Project":
        """Write a starter manifest and create its migrations folder."""
        path = os.fspath(manifest)
        errors = _Errors()
        errors.check(lib.varve_init(path.encode("utf-8"), directory.encode("utf-8")))
        return Project(path)

    def check(self, strict: bool = False, *, sequential: bool = False,
              against: Optional[str] = None, database: bool = False,
              lint: bool = True) -> List[Finding]:
        """Every check of `varve check` (with database=True, also those of
        `check --database`; lint=False leaves the safety lint out, as
        `--no-lint`). Returns the findings, sorted; a manifest with
        errors is a result here, not an exception."""
        self._on_disk("check()")
        pdiags = ffi.new("varve_diag_list **")
        self._errors.check(lib.varve_diag_list_new(pdiags))
        diags = ffi.gc(pdiags[0], lib.varve_diag_list_free)
        opts = ffi.new("varve_check_options *")
        opts.strict = strict
        opts.sequential = sequential
        opts.no_lint = not lint
        against_b = _cstr(against)
        opts.against = against_b
        self._errors.check(lib.varve_check(self._manifest_b, opts, diags))
        if database:
            with self._session(True) as s:
                self._errors.check(lib.varve_check_database(s.db, s.graph, diags))
            lib.varve_diag_list_sort(diags)
        return _findings(diags)

    def migrations(self) -> List[Migration]:
        """The manifest's entries in graph order (parents first)."""
        with self._session(False) as s:
            return [_migration(lib.varve_graph_node(s.graph, n)) for n in s.order()]

    def history(self) -> List[Migration]:
        """The migrations newest first, as `varve history` lists them."""
        return list(reversed(self.migrations()))

    def heads(self) -> List[str]:
        """The revisions without children, in manifest order."""
        with self._session(False) as s:
            n = ffi.new("size_t *")
            seq = lib.varve_graph_heads(s.graph, n)
            return [s.revision(i) for i in s.nodes(seq, n[0])]

    def new(self, message: Optional[str] = None, upgrade_sql: Optional[str] = None,
            downgrade_sql: Optional[str] = None, transaction: bool = True,
            *, naming: Optional[str] = None) -> Added:
        """`varve new -m MESSAGE`: a migration file (holding the given SQL)
        and its entry, a child of the single head. naming: "sequential" or
        "timestamp" overrides the manifest's."""
        self._on_disk("new()")
        opts = ffi.new("varve_new_options *")
        keep = [_cstr(message), _cstr(upgrade_sql), _cstr(downgrade_sql)]
        opts.description, opts.upgrade_sql, opts.downgrade_sql = keep
        opts.transaction = transaction
        opts.override_naming = naming is not None
        if naming is not None:
            if naming not in ("sequential", "timestamp"):
                raise ValueError("naming must be 'sequential' or 'timestamp'")
            opts.naming = (lib.VARVE_NAMING_SEQUENTIAL if naming == "sequential"
                           else lib.VARVE_NAMING_TIMESTAMP)
        added = ffi.new("varve_added *")
        pdiags = ffi.new("varve_diag_list **")
        self._errors.check(lib.varve_diag_list_new(pdiags))
        diags = ffi.gc(pdiags[0], lib.varve_diag_list_free)
        status = lib.varve_new(added, self._manifest_b, opts, diags)
        if status != lib.VARVE_OK:
            findings = _findings(diags)
            if status == lib.VARVE_EINVALID and findings:
                raise ManifestInvalid(self._errors.message(), findings, status)
            raise self._errors.fail(status)
        try:
            return Added(_str(added.revision) or "", _str(added.file),
                         tuple(_str(added.parents[i]) or ""
                               for i in range(added.parent_count)))
        finally:
            lib.varve_added_dispose(added)

    # -- the database -----------------------------------------------------
    def _run(self, target: str, direction: int, progress: Optional[ProgressFn],
             single_transaction: bool, run: Optional[_Run]) -> List[Result]:
        def migrate(s: _Session, opts: Any, count: Any, failure: Any) -> int:
            opts.single_transaction = single_transaction
            return int(lib.varve_migrate(s.db, s.graph, target.encode("utf-8"),
                                         direction, opts, count, failure))
        return self._runner(migrate, progress, run)

    def _runner(self, call: Callable[[_Session, Any, Any, Any], int],
                progress: Optional[ProgressFn], run: Optional[_Run]) -> List[Result]:
        run = run or _Run(None)
        run.progress = progress if progress is not None else self.progress
        with self._runs_lock:
            self._runs.append(run)
        failure = ffi.new("varve_failure **")
        try:
            if run.cancelled:
                raise error_class(lib.VARVE_EINTERRUPTED)("cancelled before it started",
                                                          lib.VARVE_EINTERRUPTED)
            with self._session(True) as s:
                opts = ffi.new("varve_run_options *")
                handle = ffi.new_handle(run)
                opts.progress = lib._varve_on_event
                opts.payload = handle
                opts.stop = run.stop
                count = ffi.new("size_t *")
                run.attach(s.db)
                try:
                    status = call(s, opts, count, failure)
                finally:
                    run.detach()
                if run.error is not None:
                    raise run.error
                if status == lib.VARVE_EMIGRATION and failure[0] != ffi.NULL:
                    raise self._failed(failure[0], run.results)
                self._errors.check(status)
                return run.results
        finally:
            lib.varve_failure_free(failure[0])
            with self._runs_lock:
                self._runs.remove(run)

    def _failed(self, f: Any, results: List[Result]) -> MigrationFailed:
        scrub = self._errors.scrub
        file, msg = _str(f.file), scrub(_str(f.message) or "")
        where = file or "varve"
        if file and f.line:
            where += ":%d" % f.line + (":%d" % f.column if f.column else "")
        sqlstate = _str(f.sqlstate) or ""
        text = "%s: error: %s%s" % (where, "" if file else "'%s' failed: " % _str(f.revision),
                                    msg + (" [%s]" % sqlstate if sqlstate else ""))
        detail, hint = _str(f.detail), _str(f.hint)
        return MigrationFailed(
            text, revision=_str(f.revision) or "", file=file, line=int(f.line),
            column=int(f.column), sqlstate=sqlstate, server_message=msg,
            detail=scrub(detail) if detail else None, hint=scrub(hint) if hint else None,
            dirty=bool(f.dirty), cleanup=_str(f.cleanup), results=list(results))

    def upgrade(self, target: str = "head", *, progress: Optional[ProgressFn] = None,
                single_transaction: bool = False, _run: Optional[_Run] = None) -> List[Result]:
        """Apply the migrations up to `target` (see the README's targets):
        under the runners' lock, each in its own transaction. Returns what
        was applied; raises MigrationFailed (earlier ones stay applied),
        LockTimeout, Dirty, ConnectionLost, Interrupted."""
        return self._run(target, lib.VARVE_UPGRADE, progress, single_transaction, _run)

    def downgrade(self, target: str = "-1", *, progress: Optional[ProgressFn] = None,
                  single_transaction: bool = False, _run: Optional[_Run] = None) -> List[Result]:
        """Roll back down to `target` ("-1": the last applied, "base": all)."""
        return self._run(target, lib.VARVE_DOWNGRADE, progress, single_transaction, _run)

    def redo(self, target: Optional[str] = None, *, progress: Optional[ProgressFn] = None,
             _run: Optional[_Run] = None) -> List[Result]:
        """`varve redo [TARGET]`: roll back the most recently applied
        migration (or `target` and every applied one that descends from
        it) and apply them again, under one hold of the lock, each in its
        own transaction. Returns the downgrades then the upgrades run.
        Raises InvalidInput when one has no downgrade or is irreversible,
        NotFound when nothing is applied, UsageError when `target` is not
        applied, and upgrade()'s exceptions."""
        target_b = _cstr(target)

        def call(s: _Session, opts: Any, count: Any, failure: Any) -> int:
            return int(lib.varve_redo(s.db, s.graph, target_b, opts, count, failure))
        return self._runner(call, progress, _run)

    def test(self, from_: Optional[str] = None, to: Optional[str] = None, data: bool = False,
             *, database: Optional[str] = None,
             progress: Optional[Callable[[TestOutcome], Any]] = None,
             _run: Optional[_Run] = None) -> TestReport:
        """`varve test`: every migration upgraded, downgraded and upgraded
        again, the schema compared after each step; with data=True the row
        counts too. On a scratch server started for the call (the default,
        as the CLI: never the Project's database), or on `database`, a URL
        of a database with no varve history (it is written to). `from_`:
        test from this migration on (the ones before are applied only);
        `to`: only it and its ancestors. Returns a TestReport whatever the
        migrations did (report.ok); `progress` gets each TestOutcome.
        Raises InvalidInput when the database records applied migrations
        or from_/to name no single migration, Interrupted on cancel()."""
        run = _run or _Run(None)
        with self._runs_lock:
            self._runs.append(run)
        scratch: Optional[Scratch] = None
        session: Optional[_Session] = None
        db = ffi.NULL
        try:
            session = _Session(self, False)
            if run.cancelled:
                raise error_class(lib.VARVE_EINTERRUPTED)("cancelled before it started",
                                                          lib.VARVE_EINTERRUPTED)
            if database is None:
                scratch = Scratch()
                conninfo = scratch.conninfo
            else:
                self._errors.secrets = _secrets(database) + _secrets(self.database)
                conninfo = database
            pdb = ffi.new("varve_db **")
            status = lib.varve_db_open(pdb, conninfo.encode("utf-8"),
                                       lib.varve_manifest_version_table(session.manifest))
            db = pdb[0]
            self._errors.check(status)
            lib.varve_db_set_lock_wait(db, float(self.lock_wait))
            walk = _TestWalk(self, progress)
            walk.stop = run.stop
            opts = ffi.new("varve_test_options *")
            keep = [_cstr(from_), _cstr(to)]
            opts.to = keep[1]
            opts.data = data
            setattr(opts, "from", keep[0])
            handle = ffi.new_handle(walk)
            opts.progress = lib._varve_on_test
            opts.payload = handle
            opts.stop = run.stop
            summary = ffi.new("varve_test_summary *")
            run.attach(db)
            try:
                status = lib.varve_test(db, session.graph, opts, summary)
            finally:
                run.detach()
            if walk.error is not None:
                raise walk.error
            if run.cancelled and status == lib.VARVE_OK:
                status = lib.VARVE_EINTERRUPTED
            self._errors.check(status)
            return TestReport(
                database is None,
                None if database is None else _str(lib.varve_db_display(db)),
                walk.results, int(summary.tested), int(summary.passed),
                int(summary.irreversible), int(summary.no_downgrade), int(summary.failed),
                int(summary.not_run), float(summary.total_ms))
        finally:
            lib.varve_db_free(db)
            if session is not None:
                session.close()
            if scratch is not None:
                scratch.close()
            with self._runs_lock:
                self._runs.remove(run)

    def schema_dump(self, database: Optional[str] = None, *, owners: bool = False) -> str:
        """`varve schema dump`: the schema as readable SQL DDL in a stable
        order. Of `database` (a URL; the manifest's version table is left
        out), or, when None, of the manifest's head built on a scratch
        server (as the CLI without -d). owners=True adds the owners.
        Raises MigrationFailed when a migration fails to build head."""
        opts = ffi.new("varve_schema_options *")
        opts.owners = owners
        ps = ffi.new("varve_schema **")
        failure = ffi.new("varve_failure **")
        db = ffi.NULL
        try:
            if database is None:
                with self._session(False) as s:
                    status = lib.varve_schema_head(ps, s.graph, opts, failure)
                    if status == lib.VARVE_EMIGRATION and failure[0] != ffi.NULL:
                        raise self._failed(failure[0], [])
                    self._errors.check(status)
            else:
                self._errors.secrets = _secrets(database) + _secrets(self.database)
                table: Any = b"varve_version"
                s2: Optional[_Session] = None
                if os.path.exists(self.manifest) or self._import is not None:
                    s2 = _Session(self, False)
                try:
                    if s2 is not None and lib.varve_manifest_version_table(s2.manifest) != ffi.NULL:
                        table = lib.varve_manifest_version_table(s2.manifest)
                    pdb = ffi.new("varve_db **")
                    status = lib.varve_db_open(pdb, database.encode("utf-8"), table)
                    db = pdb[0]
                    self._errors.check(status)
                finally:
                    if s2 is not None:
                        s2.close()
                opts.exclude_table = lib.varve_db_table(db)
                self._errors.check(lib.varve_schema_capture(ps, lib.varve_db_conn(db), opts))
            out = ffi.new("char **")
            try:
                self._errors.check(lib.varve_schema_sql(out, ps[0]))
                return str(ffi.string(out[0]).decode("utf-8"))
            finally:
                lib.free(out[0])
        finally:
            lib.varve_schema_free(ps[0])
            lib.varve_failure_free(failure[0])
            lib.varve_db_free(db)

    def cancel(self) -> None:
        """From another thread: cancel the statement under way in this
        Project's runs (the server rolls that migration back) and start no
        other; the run raises Interrupted."""
        with self._runs_lock:
            runs = list(self._runs)
        for r in runs:
            r.cancel()

    def status(self) -> Status:
        with self._session(True) as s:
            rows = s.rows()
            by_rev = {r.revision: r for r in rows}
            order = [s.revision(n) for n in s.order()]
            counts = ffi.new("varve_status_counts *")
            self._errors.check(lib.varve_status(s.db, s.graph, counts))
            known = set(order)
            return Status(
                _str(lib.varve_db_display(s.db)) or "", _str(lib.varve_db_table(s.db)) or "",
                [r for r in order if r in by_rev and not by_rev[r].dirty],
                [r for r in order if r not in by_rev],
                [r for r in order if r in by_rev and by_rev[r].dirty],
                [r.revision for r in rows if r.revision not in known],
                Counts(int(counts.applied), int(counts.pending), int(counts.dirty),
                       int(counts.unknown)))

    def applied(self) -> List[Applied]:
        """The version table's rows, in application order."""
        with self._session(True) as s:
            return s.rows()

    def pending(self) -> List[str]:
        """The revisions not applied, in graph order."""
        return self.status().pending

    def is_applied(self, revision: str) -> bool:
        """Whether `revision` is recorded applied (and not dirty)."""
        with self._session(True) as s:
            row = lib.varve_db_find(s.db, revision.encode("utf-8"))
            return row != ffi.NULL and not row.dirty

    def current(self) -> List[str]:
        """The applied heads: applied migrations none of whose children is
        applied (what `varve current` prints)."""
        with self._session(True) as s:
            applied = {r.revision for r in s.rows()}
            out = []
            for node in range(lib.varve_graph_count(s.graph)):
                if s.revision(node) not in applied:
                    continue
                n = ffi.new("size_t *")
                kids = lib.varve_graph_children(s.graph, node, n)
                if not any(s.revision(k) in applied for k in s.nodes(kids, n[0])):
                    out.append(s.revision(node))
            return out

    def stamp(self, target: str) -> Tuple[int, int]:
        """Record the target's state without running SQL. Returns (rows
        recorded, rows removed)."""
        with self._session(True) as s:
            rec, rem = ffi.new("size_t *"), ffi.new("size_t *")
            self._errors.check(lib.varve_stamp_target(s.db, s.graph, target.encode("utf-8"),
                                                      rec, rem))
            return int(rec[0]), int(rem[0])

    def resolve(self, revision: str, applied: bool = True) -> None:
        """Clear a dirty migration: keep it as applied, or (applied=False)
        count it as rolled back."""
        with self._session(True) as s:
            self._errors.check(lib.varve_resolve(s.db, revision.encode("utf-8"), applied))


class Scratch:
    """A private PostgreSQL server (initdb in a temporary folder, a unix
    socket only), stopped and deleted by close() or when this process dies.
    `conninfo` is its libpq string."""

    def __init__(self, bindir: Optional[str] = None) -> None:
        p = ffi.new("varve_scratch **")
        _Errors().check(lib.varve_scratch_start(p, _bytes(bindir)))
        self._s = p[0]
        self.conninfo: str = _str(lib.varve_scratch_conninfo(self._s)) or ""

    def close(self) -> None:
        if self._s is not None:
            lib.varve_scratch_free(self._s)
            self._s = None

    def __enter__(self) -> "Scratch":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()


def execute(conninfo: str, sql: str) -> List[Tuple[Optional[str], ...]]:
    """Run `sql` on a new connection (libpq through libvarve) and return the
    rows of its last statement as text. For tests and fixtures."""
    errors = _Errors()
    errors.secrets = _secrets(conninfo)
    pc = ffi.new("PGconn **")
    errors.check(lib.varve_pg_connect(pc, conninfo.encode("utf-8")))
    conn = pc[0]
    try:
        res = lib.PQexec(conn, sql.encode("utf-8"))
        try:
            st = lib.PQresultStatus(res)
            if st not in (lib.PGRES_COMMAND_OK, lib.PGRES_TUPLES_OK):
                raise Error(errors.scrub((_str(lib.PQresultErrorMessage(res)) or "").strip()))
            return [tuple(None if lib.PQgetisnull(res, r, c) else _str(lib.PQgetvalue(res, r, c))
                          for c in range(lib.PQnfields(res)))
                    for r in range(lib.PQntuples(res))]
        finally:
            lib.PQclear(res)
    finally:
        lib.PQfinish(conn)


class _Stop:
    """A stop flag another thread may set (varve.aio's cancellation)."""

    def __init__(self) -> None:
        self.flag = ffi.new("sig_atomic_t *")

    def set(self) -> None:
        self.flag[0] = 1


def wait(url: str, timeout: float = 60.0, *, _stop: Optional[_Stop] = None) -> float:
    """`varve wait`: wait up to `timeout` seconds until the server of `url`
    accepts connections (polled as pg_isready polls; a server starting up
    counts as not yet), then connect once to see that it lets varve in.
    Returns the seconds waited. Raises ConnectionLost when the time ran
    out or the connection was refused (the message says what the last
    attempt saw), InvalidInput for a string that does not parse."""
    errors = _Errors()
    errors.secrets = _secrets(url)
    stop = _stop or _Stop()
    waited = ffi.new("double *")
    errors.check(lib.varve_pg_wait(url.encode("utf-8"), float(timeout), stop.flag, waited))
    return float(waited[0])


_TARGET_STATES = {
    lib.VARVE_TARGET_WAITING: "waiting",
    lib.VARVE_TARGET_RUNNING: "running",
    lib.VARVE_TARGET_DONE: "done",
    lib.VARVE_TARGET_FAILED: "failed",
    lib.VARVE_TARGET_UNREACHABLE: "unreachable",
    lib.VARVE_TARGET_STOPPED: "stopped",
    lib.VARVE_TARGET_SKIPPED: "skipped",
}
_FLEET_EVENTS = {lib.VARVE_FLEET_EVENT_START: "start", lib.VARVE_FLEET_EVENT_END: "end",
                 lib.VARVE_FLEET_EVENT_MIGRATION: "migration"}
FleetProgressFn = Callable[[FleetEvent], Any]


def _event(event: Any) -> Event:
    m = event.migration
    return Event(_EVENT_KINDS.get(event.kind, str(event.kind)),
                 _str(lib.varve_migration_revision(m)) or "",
                 _str(lib.varve_migration_description(m)),
                 _DIRECTIONS[event.direction], float(event.duration_ms),
                 int(event.attempt), _str(event.old_revision))


class _FleetRun:
    """One fleet run under way: its handle, the user's callback, the stop
    flag that cancel() (another thread) sets."""

    def __init__(self, progress: Optional[FleetProgressFn], stop: Optional[_Stop]) -> None:
        self.progress = progress
        self.stop = stop or _Stop()
        self.fleet: Any = ffi.NULL
        self.project: Optional[Project] = None
        self.error: Optional[BaseException] = None

    def target(self, i: int) -> FleetTarget:
        t = lib.varve_fleet_at(self.fleet, i)
        assert self.project is not None
        failure = None if t.failure == ffi.NULL else self.project._failed(t.failure, [])
        return FleetTarget(i, _str(t.label), _str(t.display) or "", _str(t.schema),
                           _TARGET_STATES.get(t.state, str(t.state)), _str(t.error), failure,
                           int(t.planned), int(t.done), int(t.applied), int(t.dirty),
                           float(t.duration_ms))


@ffi.def_extern()  # type: ignore[untyped-decorator]
def _varve_on_fleet(event: Any, payload: Any) -> None:
    run: _FleetRun = ffi.from_handle(payload)
    kind = _FLEET_EVENTS.get(event.kind)
    if kind is None or run.progress is None or run.error is not None:
        return
    try:
        run.progress(FleetEvent(kind, run.target(int(event.target)),
                                _event(event.event) if kind == "migration" else None))
    except BaseException as e:  # raised after the run; start nothing more
        run.error = e
        run.stop.set()


class Fleet:
    """A fleet file (docs/fleet.md): one manifest applied to many databases
    or schemas, from one thread, at most `concurrency` at once. The file
    is read (and its findings raised as ManifestInvalid) here; the
    targets (`query:` and `schemas:` rows) are listed at each call. Each
    call opens what it needs and frees it before returning; a Fleet may
    be used from one thread at a time."""

    def __init__(self, path: PathLike, manifest: PathLike = "varve.yaml", *,
                 lock_wait: float = 60.0, progress: Optional[FleetProgressFn] = None) -> None:
        self.path = os.fspath(path)
        self.project = Project(manifest, lock_wait=lock_wait)
        self.lock_wait = lock_wait
        self.progress = progress
        self._runs: List[_FleetRun] = []
        self._runs_lock = threading.Lock()
        self._load().close()

    def __repr__(self) -> str:
        return "varve.Fleet(%r, %r)" % (self.path, self.project.manifest)

    @property
    def manifest(self) -> str:
        return self.project.manifest

    class _Handle:
        def __init__(self, fleet: Any) -> None:
            self.fleet = fleet

        def close(self) -> None:
            lib.varve_fleet_free(self.fleet)
            self.fleet = ffi.NULL

    def _load(self) -> "Fleet._Handle":
        errors = self.project._errors
        pdiags = ffi.new("varve_diag_list **")
        errors.check(lib.varve_diag_list_new(pdiags))
        diags = ffi.gc(pdiags[0], lib.varve_diag_list_free)
        pf = ffi.new("varve_fleet **")
        status = lib.varve_fleet_load(pf, self.path.encode("utf-8"), diags)
        if status != lib.VARVE_OK:
            lib.varve_diag_list_sort(diags)
            findings = _findings(diags)
            if findings:
                raise ManifestInvalid("%s: %s" % (self.path, "; ".join(
                    str(f) for f in findings[:3])), findings, status)
            raise errors.fail(status)
        return Fleet._Handle(pf[0])

    @property
    def concurrency(self) -> int:
        """The fleet file's `concurrency`."""
        h = self._load()
        try:
            return int(lib.varve_fleet_concurrency(h.fleet))
        finally:
            h.close()

    def _go(self, action: int, direction: int, target: Optional[str],
            only: Union[None, str, List[str], Tuple[str, ...]], concurrency: Optional[int],
            on_failure: Optional[str], progress: Optional[FleetProgressFn],
            stop: Optional[_Stop]) -> FleetReport:
        run = _FleetRun(progress if progress is not None else self.progress, stop)
        run.project = self.project
        errors = self.project._errors
        if on_failure not in (None, "stop", "continue"):
            raise ValueError("on_failure must be 'stop' or 'continue'")
        if concurrency is not None and not 1 <= concurrency <= 1024:
            raise ValueError("concurrency must be 1 to 1024")
        with self._runs_lock:
            self._runs.append(run)
        handle = self._load()
        try:
            with self.project._session(False) as s:
                run.fleet = handle.fleet
                errors.check(lib.varve_fleet_resolve(handle.fleet))
                n = int(lib.varve_fleet_count(handle.fleet))
                opts = ffi.new("varve_fleet_options *")
                opts.direction = direction
                target_b = _cstr(target)
                opts.target = target_b
                opts.lock_wait = float(self.lock_wait)
                opts.concurrency = concurrency or 0
                opts.stop = run.stop.flag
                selected = ffi.new("bool[]", max(n, 1))
                chosen = self._select(handle.fleet, n, only, s, opts, selected)
                opts.action = action
                opts.on_failure = (-1 if on_failure is None else
                                   lib.VARVE_FLEET_STOP if on_failure == "stop" else
                                   lib.VARVE_FLEET_CONTINUE)
                opts.selected = selected
                h = ffi.new_handle(run)
                opts.progress = lib._varve_on_fleet
                opts.payload = h
                if chosen:
                    errors.check(lib.varve_fleet_run(handle.fleet, s.graph, opts))
                if run.error is not None:
                    raise run.error
                if run.stop.flag[0]:
                    raise error_class(lib.VARVE_EINTERRUPTED)("the fleet run was cancelled",
                                                              lib.VARVE_EINTERRUPTED)
                return FleetReport([run.target(i) for i in chosen])
        finally:
            run.fleet = ffi.NULL
            handle.close()
            with self._runs_lock:
                self._runs.remove(run)

    def _select(self, fleet: Any, n: int,
                only: Union[None, str, List[str], Tuple[str, ...]],
                s: _Session, opts: Any, selected: Any) -> List[int]:
        """Mark the targets of `only` (None: all; "failed": those not at
        the goal, read first; else labels, a list or commas)."""
        if only is None:
            chosen = list(range(n))
        elif only == "failed":
            opts.action = lib.VARVE_FLEET_STATUS
            opts.on_failure = lib.VARVE_FLEET_CONTINUE
            self.project._errors.check(lib.varve_fleet_run(fleet, s.graph, opts))
            chosen = []
            for i in range(n):
                t = lib.varve_fleet_at(fleet, i)
                if t.state != lib.VARVE_TARGET_DONE or t.planned or t.dirty:
                    chosen.append(i)
        else:
            labels = set(only.split(",") if isinstance(only, str) else only)
            chosen = [i for i in range(n)
                      if _str(lib.varve_fleet_at(fleet, i).label) in labels]
            if not chosen:
                raise error_class(lib.VARVE_EUSAGE)(
                    "only=%r: no target of '%s' has that label" % (only, self.path),
                    lib.VARVE_EUSAGE)
        for i in range(n):
            selected[i] = i in chosen
        return chosen

    def upgrade(self, target: str = "head", *, only: Union[None, str, List[str]] = None,
                concurrency: Optional[int] = None, on_failure: Optional[str] = None,
                progress: Optional[FleetProgressFn] = None,
                _stop: Optional[_Stop] = None) -> FleetReport:
        """`varve upgrade --fleet FILE [TARGET]`: every target (or those of
        `only`: labels, or "failed" for the targets not at the goal) to
        `target`. `concurrency` and `on_failure` ("stop", "continue")
        override the file's. Returns a FleetReport whatever the targets
        did (report.ok); raises Interrupted on cancel()."""
        return self._go(lib.VARVE_FLEET_MIGRATE, lib.VARVE_UPGRADE, target, only,
                        concurrency, on_failure, progress, _stop)

    def downgrade(self, target: str = "-1", *, only: Union[None, str, List[str]] = None,
                  concurrency: Optional[int] = None, on_failure: Optional[str] = None,
                  progress: Optional[FleetProgressFn] = None,
                  _stop: Optional[_Stop] = None) -> FleetReport:
        """`varve downgrade --fleet FILE TARGET`: as upgrade(), down."""
        return self._go(lib.VARVE_FLEET_MIGRATE, lib.VARVE_DOWNGRADE, target, only,
                        concurrency, on_failure, progress, _stop)

    def status(self, *, only: Union[None, str, List[str]] = None,
               concurrency: Optional[int] = None, _stop: Optional[_Stop] = None) -> FleetReport:
        """`varve status --fleet FILE`: read every target (no lock, no
        change): `planned` (pending), `applied`, `dirty` per target; a
        target that cannot be reached is "unreachable"."""
        return self._go(lib.VARVE_FLEET_STATUS, lib.VARVE_UPGRADE, None, only,
                        concurrency, "continue", None, _stop)

    def cancel(self) -> None:
        """From another thread: start no other target and cancel the
        statements under way (their migrations roll back); the run
        raises Interrupted."""
        with self._runs_lock:
            runs = list(self._runs)
        for r in runs:
            r.stop.set()
