"""manticore-cockroachdb's Migration and AsyncMigration over varve:
`from varve.compat.manticore import Migration, AsyncMigration`.

Same method names and return types: create_migration(description, up_sql,
down_sql) -> MigrationRecord, load_migrations() -> list, migrate(
target_version=None) -> count applied, rollback(count=1,
target_version=None) -> count rolled back, get_current_version(),
is_applied(version), get_applied_migrations() -> list of dicts.

Where varve differs: runs take varve's lock and check the SQL; the version
table is the manifest's; rollback(target_version=V) keeps V applied.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from .. import aio
from .._core import Project
from ._base import connection, next_number, project_for, seed_folder

__all__ = ["Migration", "AsyncMigration", "MigrationRecord"]


@dataclass(frozen=True)
class MigrationRecord:
    version: str
    description: str
    file: Optional[str]


def _records(project: Project) -> List[MigrationRecord]:
    return [MigrationRecord(m.revision, m.description or "", m.file)
            for m in project.migrations()]


def _seed_file(project: Any, description: str, up_sql: str,
               down_sql: Optional[str]) -> Optional[MigrationRecord]:
    """In a manticore folder read in memory: manticore's own file."""
    folder = seed_folder(project)
    if folder is None:
        return None
    n = next_number(folder, r"V(\d+)__.*\.sql$")
    path = os.path.join(folder, "V%d__%s.sql" % (n, description))
    with open(path, "x") as f:
        f.write(up_sql.strip() + "\n" + ("\n-- DOWN\n%s\n" % down_sql.strip()
                                        if down_sql else ""))
    return MigrationRecord(str(n), description, path)


def _applied(project: Project) -> List[Dict[str, Any]]:
    return [{"version": a.revision, "description": a.description or "",
             "applied_at": a.applied_at} for a in project.applied() if not a.dirty]


class Migration:
    def __init__(self, db: Any = None, migrations_dir: str = "./migrations") -> None:
        self.db = db
        self.migrations_dir = migrations_dir
        self.project: Project = project_for(migrations_dir, "manticore", connection(db))

    def create_migration(self, description: str, up_sql: str,
                         down_sql: Optional[str] = None) -> MigrationRecord:
        seed = _seed_file(self.project, description, up_sql, down_sql)
        if seed is not None:
            return seed
        a = self.project.new(description, up_sql, down_sql)
        return MigrationRecord(a.revision, description, a.file)

    def load_migrations(self) -> List[MigrationRecord]:
        return _records(self.project)

    def migrate(self, target_version: Optional[str] = None) -> int:
        return len(self.project.upgrade(target_version or "head"))

    def rollback(self, count: int = 1, target_version: Optional[str] = None) -> int:
        return len(self.project.downgrade(target_version or "-%d" % count))

    def get_current_version(self) -> Optional[str]:
        applied = _applied(self.project)
        return applied[-1]["version"] if applied else None

    def is_applied(self, version: str) -> bool:
        return self.project.is_applied(version)

    def get_applied_migrations(self) -> List[Dict[str, Any]]:
        return _applied(self.project)


class AsyncMigration:
    """Migration's methods as coroutines (varve.aio: a worker thread per
    call, cancellation cancels the statement)."""

    def __init__(self, db: Any = None, migrations_dir: str = "./async_migrations") -> None:
        self.db = db
        self.migrations_dir = migrations_dir
        self._dir = migrations_dir
        self._project: Optional[aio.Project] = None

    def _p(self) -> aio.Project:
        if self._project is None:
            self._project = project_for(self._dir, "manticore", connection(self.db),
                                        asynchronous=True)
        return self._project

    async def create_migration(self, description: str, up_sql: str,
                               down_sql: Optional[str] = None) -> MigrationRecord:
        seed = _seed_file(self._p(), description, up_sql, down_sql)
        if seed is not None:
            return seed
        a = await self._p().new(description, up_sql, down_sql)
        return MigrationRecord(a.revision, description, a.file)

    async def load_migrations(self) -> List[MigrationRecord]:
        return [MigrationRecord(m.revision, m.description or "", m.file)
                for m in await self._p().migrations()]

    async def migrate(self, target_version: Optional[str] = None) -> int:
        return len(await self._p().upgrade(target_version or "head"))

    async def rollback(self, count: int = 1, target_version: Optional[str] = None) -> int:
        return len(await self._p().downgrade(target_version or "-%d" % count))

    async def get_current_version(self) -> Optional[str]:
        applied = await self.get_applied_migrations()
        return applied[-1]["version"] if applied else None

    async def is_applied(self, version: str) -> bool:
        return await self._p().is_applied(version)

    async def get_applied_migrations(self) -> List[Dict[str, Any]]:
        return [{"version": a.revision, "description": a.description or "",
                 "applied_at": a.applied_at}
                for a in await self._p().applied() if not a.dirty]
