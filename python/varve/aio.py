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
from typing import Any, Callable, List, Optional, Tuple, TypeVar, Union

from . import _core
from ._types import (Added, Applied, Event, Finding, FleetEvent, FleetReport, Migration,
                     Result, Status, TestOutcome, TestReport)

T = TypeVar("T")


async def _cancellable(fn: Callable[[], T], cancel: Callable[[], None]) -> T:
    """Run fn in a worker thread; on cancellation call cancel() (which
    makes fn return soon), wait for the thread, then re-raise, so what fn
    holds (a connection, a lock, a scratch server) is released first."""
    loop = asyncio.get_running_loop()
    fut = loop.run_in_executor(None, fn)
    try:
        return await asyncio.shield(fut)
    except asyncio.CancelledError:
        cancel()
        try:
            await fut
        except BaseException:
            pass
        raise


def _on_loop(loop: asyncio.AbstractEventLoop,
             user: Optional[Callable[[Any], Any]]) -> Optional[Callable[[Any], None]]:
    """A callback for the worker thread that schedules `user` on the loop."""
    if user is None:
        return None

    def relay(value: Any) -> None:
        loop.call_soon_threadsafe(user, value)
    return relay


async def wait(url: str, timeout: float = 60.0) -> float:
    """varve.wait's asyncio twin: the polling runs in a worker thread;
    cancelling the task stops it at the next attempt."""
    stop = _core._Stop()
    return await _cancellable(functools.partial(_core.wait, url, timeout, _stop=stop),
                              stop.set)


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

    async def redo(self, target: Optional[str] = None, *,
                   progress: Optional[Callable[[Event], Any]] = None) -> List[Result]:
        """varve.Project.redo as a coroutine; cancellable as upgrade()."""
        loop = asyncio.get_running_loop()
        run = _core._Run(None)
        return await _cancellable(functools.partial(
            self.sync.redo, target, progress=_on_loop(loop, progress or self.progress),
            _run=run), run.cancel)

    async def test(self, from_: Optional[str] = None, to: Optional[str] = None,
                   data: bool = False, *, database: Optional[str] = None,
                   progress: Optional[Callable[[TestOutcome], Any]] = None) -> TestReport:
        """varve.Project.test as a coroutine. Cancelling the task cancels
        the statement under way, stops the walk, and waits until the
        connection (and the scratch server) are gone."""
        loop = asyncio.get_running_loop()
        run = _core._Run(None)
        return await _cancellable(functools.partial(
            self.sync.test, from_, to, data, database=database,
            progress=_on_loop(loop, progress), _run=run), run.cancel)

    async def schema_dump(self, database: Optional[str] = None, *,
                          owners: bool = False) -> str:
        """varve.Project.schema_dump as a coroutine (in a worker thread).
        A capture cannot be interrupted: cancelling the task returns at
        once and the thread finishes (and frees everything) on its own."""
        return await self._call(self.sync.schema_dump, database, owners=owners)

    async def upgrade(self, target: str = "head", *,
                      progress: Optional[Callable[[Event], Any]] = None,
                      single_transaction: bool = False) -> List[Result]:
        return await self._migrate(self.sync.upgrade, target, progress, single_transaction)

    async def downgrade(self, target: str = "-1", *,
                        progress: Optional[Callable[[Event], Any]] = None,
                        single_transaction: bool = False) -> List[Result]:
        return await self._migrate(self.sync.downgrade, target, progress, single_transaction)

    async def check(self, strict: bool = False, *, sequential: bool = False,
                    against: Optional[str] = None, database: bool = False,
                    lint: bool = True) -> List[Finding]:
        return await self._call(self.sync.check, strict, sequential=sequential,
                                against=against, database=database, lint=lint)

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


class Fleet:
    """The asyncio twin of varve.Fleet. The fleet runs (one thread driving
    every target, as the CLI's) in a worker thread; progress events are
    delivered on the loop. Cancelling the task sets the fleet's stop: no
    target starts, the statements under way are cancelled and their
    migrations roll back; CancelledError comes once every connection is
    closed."""

    def __init__(self, path: _core.PathLike, manifest: _core.PathLike = "varve.yaml", *,
                 lock_wait: float = 60.0,
                 progress: Optional[Callable[[FleetEvent], Any]] = None) -> None:
        self.sync = _core.Fleet(path, manifest, lock_wait=lock_wait)
        self.progress = progress

    @property
    def path(self) -> str:
        return self.sync.path

    async def _go(self, fn: Callable[..., FleetReport], *args: Any, **kwargs: Any) -> FleetReport:
        stop = _core._Stop()
        return await _cancellable(functools.partial(fn, *args, _stop=stop, **kwargs), stop.set)

    async def upgrade(self, target: str = "head", *, only: Union[None, str, List[str]] = None,
                      concurrency: Optional[int] = None, on_failure: Optional[str] = None,
                      progress: Optional[Callable[[FleetEvent], Any]] = None) -> FleetReport:
        loop = asyncio.get_running_loop()
        return await self._go(self.sync.upgrade, target, only=only, concurrency=concurrency,
                              on_failure=on_failure,
                              progress=_on_loop(loop, progress or self.progress))

    async def downgrade(self, target: str = "-1", *, only: Union[None, str, List[str]] = None,
                        concurrency: Optional[int] = None, on_failure: Optional[str] = None,
                        progress: Optional[Callable[[FleetEvent], Any]] = None) -> FleetReport:
        loop = asyncio.get_running_loop()
        return await self._go(self.sync.downgrade, target, only=only,
                              concurrency=concurrency, on_failure=on_failure,
                              progress=_on_loop(loop, progress or self.progress))

    async def status(self, *, only: Union[None, str, List[str]] = None,
                     concurrency: Optional[int] = None) -> FleetReport:
        return await self._go(self.sync.status, only=only, concurrency=concurrency)
