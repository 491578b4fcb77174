"""The values the API returns: plain frozen dataclasses."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple


@dataclass(frozen=True)
class Finding:
    """One finding of check: `file:line:column: severity: message [code]`."""
    severity: str  # "error" or "warning"
    code: str
    message: str
    file: Optional[str]
    line: int
    column: int

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
