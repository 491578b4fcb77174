"""What the compat layers share: finding the project, the connection."""
from __future__ import annotations

import os
import re
from typing import Any, Optional

from .. import aio
from .._core import Project


def connection(db: Any) -> Optional[str]:
    """A libpq string from what the seed tool was given: a URL or libpq
    string, None (the environment, as the CLI), or a database object with
    a dsn/url attribute or host/port/user/password/database attributes."""
    if db is None or isinstance(db, str):
        return db
    for attr in ("dsn", "url", "conninfo", "connection_string", "database_url"):
        v = getattr(db, attr, None)
        if isinstance(v, str) and v:
            return v
    parts = []
    for key, attrs in (("host", ("host",)), ("port", ("port",)), ("user", ("user", "username")),
                       ("password", ("password",)), ("dbname", ("database", "dbname", "name"))):
        for a in attrs:
            v = getattr(db, a, None)
            if v not in (None, ""):
                parts.append("%s='%s'" % (key, str(v).replace("\\", "\\\\").replace("'", "\\'")))
                break
    if parts:
        return " ".join(parts)
    raise TypeError("cannot tell which database %r is: pass a URL" % (db,))


def project_for(folder: Any, tool: str, database: Optional[str], *,
                table: Optional[str] = None, asynchronous: bool = False) -> Any:
    """The project that runs `folder`: its varve.yaml (in it, or in its
    parent); else, when it holds files, the seed tool's folder read as
    `varve import --from TOOL` reads it, in memory, adopting the tool's
    version table (`table`: the tool's default when None) on first use; a
    missing or empty folder is made a varve project (SQL beside it)."""
    cls = aio.Project if asynchronous else Project
    folder = os.fspath(folder)
    for cand in (os.path.join(folder, "varve.yaml"),
                 os.path.join(os.path.dirname(os.path.abspath(folder)), "varve.yaml")):
        if os.path.exists(cand):
            return cls(cand, database)
    if os.path.isdir(folder) and any(not n.startswith(".") for n in os.listdir(folder)):
        return cls.imported(folder, tool, database, table=table)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "varve.yaml")
    Project.init(path, ".")
    return cls(path, database)


def seed_folder(project: Any) -> Optional[str]:
    """The folder a project reads in memory (no varve.yaml), or None."""
    imp = getattr(getattr(project, "sync", project), "_import", None)
    return imp[1] if imp else None


def next_number(folder: str, pattern: str) -> int:
    """One more than the largest number the seed tool's file names hold."""
    nums = [int(m.group(1)) for m in (re.match(pattern, n) for n in os.listdir(folder)) if m]
    return max(nums, default=0) + 1


def version(revision: str) -> Any:
    """pycopg's versions are numbers: '007' -> 7; others stay strings."""
    return int(revision) if revision.isdigit() else revision


def name_of(description: Optional[str], file: Optional[str], revision: str) -> str:
    if description:
        return description
    if file:
        base = os.path.splitext(os.path.basename(file))[0]
        if base.startswith(revision):
            base = base[len(revision):].lstrip("_-")
        return base
    return revision
