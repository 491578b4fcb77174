"""pycopg's Migrator over varve: `from varve.compat.pycopg import Migrator`.

    migrator = Migrator("postgresql://app@db/app", "migrations/")
    migrator.status()   # {'applied_count', 'pending_count', 'applied', 'pending'}
    migrator.migrate()  # [MigrationFile(version=1, name='create_users'), ...]
    migrator.rollback(steps=1)
    migrator.create("add_orders_table")

Where varve differs: versions come from the manifest's revisions (numbers
when they are digits); the version table is the manifest's (`table=` names
pycopg's, adopted on first use when the folder has no varve.yaml); a failed migration raises varve.MigrationFailed,
which MigrationError names here.
"""
from __future__ import annotations

import os
from datetime import datetime
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Union

from .._core import Project
from .._errors import Error
from ._base import connection, name_of, next_number, project_for, seed_folder, version

MigrationError = Error

__all__ = ["Migrator", "MigrationFile", "MigrationError"]


@dataclass(frozen=True)
class MigrationFile:
    version: Union[int, str]
    name: str
    path: Optional[str]


class Migrator:
    def __init__(self, db: Any, migrations_dir: Union[str, "os.PathLike[str]"] = "migrations",
                 table: Optional[str] = None) -> None:
        self.project: Project = project_for(migrations_dir, "pycopg", connection(db),
                                            table=table)
        self.table = table

    def _files(self) -> Dict[str, MigrationFile]:
        # pycopg's name is the file's, after the number.
        return {m.revision: MigrationFile(version(m.revision),
                                          name_of(None if m.file else m.description,
                                                  m.file, m.revision), m.file)
                for m in self.project.migrations()}

    def _revision(self, target: Union[int, str]) -> str:
        for rev in self._files():
            if rev == str(target) or version(rev) == target:
                return rev
        return str(target)

    def migrate(self, target: Optional[Union[int, str]] = None) -> List[MigrationFile]:
        """Apply pending migrations (up to version `target`); what ran."""
        files = self._files()
        done = self.project.upgrade("head" if target is None else self._revision(target))
        return [files[r.revision] for r in done]

    def rollback(self, steps: int = 1) -> List[Dict[str, Any]]:
        """Roll back the last `steps` migrations."""
        files = self._files()
        done = self.project.downgrade("-%d" % steps)
        return [{"version": files[r.revision].version, "name": files[r.revision].name}
                for r in done]

    def applied(self) -> List[Dict[str, Any]]:
        files = self._files()
        return [{"version": version(a.revision),
                 "name": files[a.revision].name if a.revision in files else a.revision,
                 "applied_at": a.applied_at}
                for a in self.project.applied() if not a.dirty]

    def pending(self) -> List[MigrationFile]:
        files = self._files()
        return [files[r] for r in self.project.pending()]

    def status(self) -> Dict[str, Any]:
        applied, pending = self.applied(), self.pending()
        return {"applied_count": len(applied), "pending_count": len(pending),
                "applied": applied,
                "pending": [{"version": m.version, "name": m.name} for m in pending]}

    def create(self, name: str) -> str:
        """A new migration file (next number); its path."""
        folder = seed_folder(self.project)
        if folder is not None:  # pycopg's own file and template
            path = os.path.join(folder, "%03d_%s.sql" % (next_number(folder, r"(\d+)_.*\.sql$"),
                                                         name))
            with open(path, "x") as f:
                f.write("-- Migration: %s\n-- Created: %s\n\n-- UP\n-- Write your migration "
                        "SQL here\n\n\n-- DOWN\n-- Write your rollback SQL here (optional)\n\n"
                        % (name, datetime.now().isoformat(timespec="seconds")))
            return path
        added = self.project.new(name, naming="sequential")
        return added.file or ""
