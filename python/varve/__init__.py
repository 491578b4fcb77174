"""varve: declarative PostgreSQL migrations, from Python.

    import varve
    project = varve.Project("varve.yaml", database="postgresql://app@db/app")
    for f in project.check(strict=True): print(f)
    project.upgrade()            # to head

varve.aio.Project has the same methods as coroutines. The behaviour is
libvarve's (the C library of the varve CLI), bound with cffi.
"""
from ._varve import ffi as _ffi, lib as _lib
from ._errors import (Error, OutOfMemory, NotFound, Ambiguous, InvalidInput,
                      ManifestInvalid, FileError, UsageError, ConnectionLost,
                      LockTimeout, MigrationFailed, Dirty, Interrupted,
                      AlreadyExists, ManifestChanged)
from ._types import (Added, Applied, Counts, Difference, Event, Finding, FleetEvent,
                     FleetReport, FleetTarget, Migration, Result, Status, TestOutcome,
                     TestReport)
from ._core import Fleet, Project, Scratch, execute, wait

#: The version of the loaded libvarve ("MAJOR.MINOR.PATCH").
__version__: str = _ffi.string(_lib.varve_version()).decode()

__all__ = [
    "Project", "Fleet", "Scratch", "execute", "wait", "__version__",
    "Added", "Applied", "Counts", "Difference", "Event", "Finding", "FleetEvent",
    "FleetReport", "FleetTarget", "Migration", "Result", "Status", "TestOutcome",
    "TestReport",
    "Error", "OutOfMemory", "NotFound", "Ambiguous", "InvalidInput", "ManifestInvalid",
    "FileError", "UsageError", "ConnectionLost", "LockTimeout", "MigrationFailed",
    "Dirty", "Interrupted", "AlreadyExists", "ManifestChanged",
]
