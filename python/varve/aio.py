"""varve.aio.Project: varve.Project's methods as coroutines.

How: each call runs the blocking library call in a worker thread
(loop.run_in_executor), so the event loop never waits on the database; the
coroutine awaits the thread. Cancelling the task (task.cancel(), a
timeout) cancels the statement under way with the library's canceller
(PQcancel: the server rolls that migration back), tells the run to start
no other migration, waits for the thread to return, and so the connection
and its advisory lock are released before CancelledError reaches the
caller. A thread rather than libpq's non-blocking API driven by the loop:
the runner (locking, retries, statement-by-statement migrations) is one
blocking C function shared with the CLI, and keeping it one place matters
more than saving a thread per running call; the library's calls release
the GIL, so other threads and the loop run meanwhile.

Progress callbacks run on the event loop (call_soon_threadsafe), so they
may touch loop objects; they cannot stop the run by raising.
"""
from __future__ import annotations

import asyncio
import functools
from typing import Any, Callable, List, Optional, Tuple, TypeVar

from . import _core
from ._types import Added, Applied, Event, Finding, Migration, Result, Status

T = TypeVar("T")


class Project:
    """The asyncio twin of varve.Project (same arguments, same methods)."""

    def __init__(self, manifest: _core.PathLike = "varve.yaml", database: Optional[str] = None,
                 *, lock_wait: float = 60.0,
                 progress: Optional[Callable[[Event], Any]] = None) -> None:
        self.sync = _core.Project(manifest, database, lock_wait=lock_wait)
        self.progress = progress

    @classmethod
    def imported(cls, directory: _core.PathLike, tool: str = "auto",
                 database: Optional[str] = None, *, table: Optional[str] = None,
                 lock_wait: float = 60.0,
                 progress: Optional[Callable[[Event], Any]] = None) -> "Project":
        """varve.Project.imported's asyncio twin: another tool's folder, in memory."""
        p = cls.__new__(cls)
        p.sync = _core.Project.imported(directory, tool, database, table=table,
                                        lock_wait=lock_wait)
        p.progress = progress
        return p

    @property
    def manifest(self) -> str:
        return self.sync.manifest

    @property
    def database(self) -> Optional[str]:
        return self.sync.database

    async def _call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, functools.partial(fn, *args, **kwargs))

    async def _migrate(self, fn: Callable[..., List[Result]], target: str,
                       progress: Optional[Callable[[Event], Any]],
                       single_transaction: bool) -> List[Result]:
        loop = asyncio.get_running_loop()
        user = progress if progress is not None else self.progress
        run = _core._Run(None)

        def relay(ev: Event) -> None:
            if user is not None:
                loop.call_soon_threadsafe(user, ev)

        fut = loop.run_in_executor(None, functools.partial(
            fn, target, progress=relay, single_transaction=single_transaction, _run=run))
        try:
            return await asyncio.shield(fut)
        except asyncio.CancelledError:
            run.cancel()
            # The thread returns once the server has cancelled; only then
            # are the migration rolled back and the lock released.
            try:
                await fut
            except BaseException:
                pass
            raise

    async def upgrade(self, target: str = "head", *,
                      progress: Optional[Callable[[Event], Any]] = None,
                      single_transaction: bool = False) -> List[Result]:
        return await self._migrate(self.sync.upgrade, target, progress, single_transaction)

    async def downgrade(self, target: str = "-1", *,
                        progress: Optional[Callable[[Event], Any]] = None,
                        single_transaction: bool = False) -> List[Result]:
        return await self._migrate(self.sync.downgrade, target, progress, single_transaction)

    async def check(self, strict: bool = False, *, sequential: bool = False,
                    against: Optional[str] = None, database: bool = False) -> List[Finding]:
        return await self._call(self.sync.check, strict, sequential=sequential,
                                against=against, database=database)

    async def status(self) -> Status:
        return await self._call(self.sync.status)

    async def current(self) -> List[str]:
        return await self._call(self.sync.current)

    async def heads(self) -> List[str]:
        return await self._call(self.sync.heads)

    async def history(self) -> List[Migration]:
        return await self._call(self.sync.history)

    async def migrations(self) -> List[Migration]:
        return await self._call(self.sync.migrations)

    async def is_applied(self, revision: str) -> bool:
        return await self._call(self.sync.is_applied, revision)

    async def applied(self) -> List[Applied]:
        return await self._call(self.sync.applied)

    async def pending(self) -> List[str]:
        return await self._call(self.sync.pending)

    async def stamp(self, target: str) -> Tuple[int, int]:
        return await self._call(self.sync.stamp, target)

    async def resolve(self, revision: str, applied: bool = True) -> None:
        return await self._call(self.sync.resolve, revision, applied)

    async def new(self, message: Optional[str] = None, upgrade_sql: Optional[str] = None,
                  downgrade_sql: Optional[str] = None, transaction: bool = True,
                  *, naming: Optional[str] = None) -> Added:
        return await self._call(self.sync.new, message, upgrade_sql, downgrade_sql,
                                transaction, naming=naming)
