"""The exceptions: one class per VARVE_E* status code, under varve.Error."""
from __future__ import annotations

from typing import TYPE_CHECKING, Dict, List, Optional, Type

if TYPE_CHECKING:
    from ._types import Finding, Result


class Error(Exception):
    """A libvarve call failed: `code` is its VARVE_E* status, `message` the
    library's one-line reason (any password masked)."""

    code: int = -1

    def __init__(self, message: str, code: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.message


class OutOfMemory(Error):
    code = -2


class NotFound(Error):
    """A revision, label or file does not exist."""
    code = -3


class Ambiguous(Error):
    """A revision prefix or walk matches several migrations."""
    code = -4


class InvalidInput(Error):
    """Input that does not parse or validate (a target, a manifest)."""
    code = -5


class ManifestInvalid(InvalidInput):
    """The manifest has errors; `findings` lists them (file:line:col)."""

    def __init__(self, message: str, findings: "List[Finding]",
                 code: Optional[int] = None) -> None:
        super().__init__(message, code)
        self.findings = findings


class FileError(Error):
    """Reading or writing a file failed."""
    code = -6


class UsageError(Error):
    """A target not valid in this direction (e.g. `base` for an upgrade)."""
    code = -7


class ConnectionLost(Error):
    """Cannot connect to the database, or the connection was lost."""
    code = -8


class LockTimeout(Error):
    """Another runner held the lock for longer than `lock_wait`; the
    message names the holder."""
    code = -9


class MigrationFailed(Error):
    """A migration's SQL failed. Earlier migrations of the run stay applied
    (`results`); this one was rolled back, or recorded dirty when it ran
    outside a transaction (`dirty`). str() is the whole diagnostic,
    `file:line:col: error: message [SQLSTATE]`; `message` (also
    `server_message`) is the server's message alone."""
    code = -10

    def __init__(self, message: str, *, revision: str, file: Optional[str],
                 line: int, column: int, sqlstate: str, server_message: str,
                 detail: Optional[str], hint: Optional[str], dirty: bool,
                 cleanup: Optional[str], results: "List[Result]") -> None:
        super().__init__(message)
        self.message = server_message
        self.revision = revision
        self.file = file
        self.line = line
        self.column = column
        self.sqlstate = sqlstate
        self.server_message = server_message
        self.detail = detail
        self.hint = hint
        self.dirty = dirty
        self.cleanup = cleanup
        self.results = results


class Dirty(Error):
    """A dirty migration awaits Project.resolve()."""
    code = -11


class Interrupted(Error):
    """The run was cancelled (Project.cancel, or an asyncio cancellation)."""
    code = -12


class AlreadyExists(Error):
    code = -13


class ManifestChanged(Error):
    code = -14


_BY_CODE: Dict[int, Type[Error]] = {
    c.code: c for c in (OutOfMemory, NotFound, Ambiguous, InvalidInput, FileError,
                        UsageError, ConnectionLost, LockTimeout, MigrationFailed,
                        Dirty, Interrupted, AlreadyExists, ManifestChanged)
}


def error_class(code: int) -> Type[Error]:
    return _BY_CODE.get(code, Error)
