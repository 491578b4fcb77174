"""The values the API returns: plain frozen dataclasses."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List, Optional, Tuple


@dataclass(frozen=True)
class Finding:
    """One finding of check: `file:line:column: severity: message [code]`.
    Safety-lint findings also carry `hint` (the safe alternative, one
    line) and `docs` (the rule's page); None elsewhere."""
    severity: str  # "error" or "warning"
    code: str
    message: str
    file: Optional[str]
    line: int
    column: int
    hint: Optional[str] = None
    docs: Optional[str] = None

    def __str__(self) -> str:
        where = self.file or "varve"
        if self.file and self.line:
            where += ":%d" % self.line
            if self.column:
                where += ":%d" % self.column
        return "%s: %s: %s [%s]" % (where, self.severity, self.message, self.code)


@dataclass(frozen=True)
class Result:
    """A migration a run applied or rolled back."""
    revision: str
    description: Optional[str]
    direction: str  # "upgrade" or "downgrade"
    duration_ms: float


@dataclass(frozen=True)
class Event:
    """Progress of a run: kind is "start", "done", "failed", "retry" (hit
    lock_timeout: `attempt`, the pause in `duration_ms`) or "renamed" (an
    applied row took the new name `varve fix` gave it: `old_revision`)."""
    kind: str
    revision: str
    description: Optional[str]
    direction: str
    duration_ms: float
    attempt: int = 0
    old_revision: Optional[str] = None


@dataclass(frozen=True)
class Migration:
    """An entry of the manifest."""
    revision: str
    down_revisions: Tuple[str, ...]
    description: Optional[str]
    branch: Optional[str]
    file: Optional[str]
    transaction: bool


@dataclass(frozen=True)
class Applied:
    """A row of the version table, in application order."""
    revision: str
    description: Optional[str]
    checksum: Optional[str]
    applied_at: str
    applied_by: str
    duration_ms: int
    dirty: bool


@dataclass(frozen=True)
class Counts:
    applied: int
    pending: int
    dirty: int
    unknown: int


@dataclass(frozen=True)
class Status:
    """Where the database stands against the manifest. The lists hold
    revisions: applied, pending and dirty in graph order; unknown (recorded,
    in no entry) in application order."""
    database: str  # the connection, password masked
    table: str
    applied: List[str] = field(default_factory=list)
    pending: List[str] = field(default_factory=list)
    dirty: List[str] = field(default_factory=list)
    unknown: List[str] = field(default_factory=list)
    counts: Counts = field(default_factory=lambda: Counts(0, 0, 0, 0))


@dataclass(frozen=True)
class Added:
    """What new() created: the revision, its SQL file, its parents."""
    revision: str
    file: Optional[str]
    down_revisions: Tuple[str, ...]


@dataclass(frozen=True)
class Difference:
    """One difference between two schema captures: `change` is "added",
    "removed" or "changed"; `kind` "table", "column", "index", ...; `name`
    qualified as SQL writes it; `before`/`after` the definitions (None on
    the side where the object does not exist)."""
    change: str
    kind: str
    name: str
    before: Optional[str]
    after: Optional[str]


@dataclass(frozen=True)
class TestOutcome:
    """What `test()` found for one migration. `outcome` is "passed",
    "irreversible" (a comment-only downgrade: applied, not tested),
    "no-downgrade" (applied, not tested) or "failed"; then `problem` is
    "upgrade-failed", "downgrade-failed", "not-restored" (the downgrade
    left another schema: `diff`), "rows-left" (with data=True: `detail`),
    "reupgrade-failed" or "not-repeatable" (the second upgrade gave
    another schema: `diff`). `failure` is the SQL failure of *-failed
    (a MigrationFailed, not raised); `detail` the diff or row counts as
    text; `file`, `line`, `column` where to look."""
    __test__ = False  # not a pytest class
    revision: str
    outcome: str
    problem: Optional[str]
    diff: List[Difference]
    detail: Optional[str]
    failure: Optional[Any]
    file: Optional[str]
    line: int
    column: int
    up_ms: float
    down_ms: float
    reup_ms: float
    capture_ms: float
    total_ms: float


@dataclass(frozen=True)
class TestReport:
    """What `test()` did: `results` one TestOutcome per migration reported
    (the walk stops at the first failure; `not_run` counts the migrations
    left untested), the counts, and where it ran (`scratch`, or
    `database`, password masked). `ok` when nothing failed."""
    __test__ = False
    scratch: bool
    database: Optional[str]
    results: List[TestOutcome]
    tested: int
    passed: int
    irreversible: int
    no_downgrade: int
    failed: int
    not_run: int
    total_ms: float

    @property
    def ok(self) -> bool:
        return self.failed == 0


@dataclass(frozen=True)
class FleetTarget:
    """One target of a fleet and its outcome. `url` is the connection
    string with any password masked; `state` is "done", "failed",
    "unreachable", "stopped", "skipped" (or "waiting", "running" in a
    progress event); `error` the reason (masked), `failure` the failed
    migration (a MigrationFailed, not raised). `planned`, `applied`,
    `dirty` are what status() read; `done` the migrations run."""
    index: int
    label: Optional[str]
    url: str
    schema: Optional[str]
    state: str
    error: Optional[str]
    failure: Optional[Any]
    planned: int
    done: int
    applied: int
    dirty: int
    duration_ms: float


@dataclass(frozen=True)
class FleetReport:
    """The outcome of a fleet run: one FleetTarget per target selected, in
    the fleet's order. `ok` when every one of them is "done"."""
    targets: List[FleetTarget]

    @property
    def ok(self) -> bool:
        return all(t.state == "done" for t in self.targets)

    def __getitem__(self, label: str) -> FleetTarget:
        for t in self.targets:
            if t.label == label:
                return t
        raise KeyError(label)


@dataclass(frozen=True)
class FleetEvent:
    """Progress of a fleet run: kind "start" or "end" (of `target`), or
    "migration" (one of its migrations' Event, in `event`)."""
    kind: str
    target: FleetTarget
    event: Optional[Event] = None
