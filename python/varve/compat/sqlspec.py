"""SQLSpec's programmatic migrations over varve:

    from varve.compat.sqlspec import SyncConfig, AsyncConfig
    config = SyncConfig(connection_config={"dsn": URL},
                        migration_config={"script_location": "migrations"})
    config.migrate_up("head"); config.migrate_down("-1")
    await AsyncConfig(...).migrate_up("0003")

SQLSpec's targets (head, a revision, -1, base) are varve's. Where varve
differs: the version table is the manifest's (migration_config's
version_table_name names SQLSpec's, adopted on first use when the folder
has no varve.yaml); Python migrations are not run.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from .. import aio
from .._core import Project
from .._types import Result
from ._base import connection, project_for

__all__ = ["SyncConfig", "AsyncConfig"]


def _dsn(connection_config: Optional[Dict[str, Any]]) -> Optional[str]:
    cc = connection_config or {}
    for key in ("dsn", "url", "conninfo", "connection_string"):
        if cc.get(key):
            return connection(cc[key])
    parts = ["%s='%s'" % ({"database": "dbname"}.get(k, k), v) for k, v in cc.items()
             if k in ("host", "port", "user", "password", "database", "dbname") and v]
    return " ".join(parts) or None


def _project(migration_config: Optional[Dict[str, Any]], dsn: Optional[str],
             asynchronous: bool) -> Any:
    mc = migration_config or {}
    return project_for(mc.get("script_location", "migrations"), "sqlspec", dsn,
                       table=mc.get("version_table_name") or mc.get("version_table"),
                       asynchronous=asynchronous)


class SyncConfig:
    def __init__(self, connection_config: Optional[Dict[str, Any]] = None,
                 migration_config: Optional[Dict[str, Any]] = None) -> None:
        self.connection_config = connection_config or {}
        self.migration_config = migration_config or {}
        self.project: Project = _project(migration_config, _dsn(connection_config), False)

    def migrate_up(self, revision: str = "head") -> List[Result]:
        return self.project.upgrade(revision)

    def migrate_down(self, revision: str = "-1") -> List[Result]:
        return self.project.downgrade(revision)


class AsyncConfig:
    def __init__(self, connection_config: Optional[Dict[str, Any]] = None,
                 migration_config: Optional[Dict[str, Any]] = None) -> None:
        self.connection_config = connection_config or {}
        self.migration_config = migration_config or {}
        self.project: aio.Project = _project(migration_config, _dsn(connection_config), True)

    async def migrate_up(self, revision: str = "head") -> List[Result]:
        return await self.project.upgrade(revision)

    async def migrate_down(self, revision: str = "-1") -> List[Result]:
        return await self.project.downgrade(revision)
