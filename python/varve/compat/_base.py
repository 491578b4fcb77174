"""What the compat layers share: finding the project, the connection."""
from __future__ import annotations

import os
from typing import Any, Optional

from .._core import Project
from .._errors import Error


class NeedsImport(Error):
    """The folder holds another tool's migrations and no varve.yaml."""


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


def manifest_for(folder: Any, tool: str) -> str:
    """The varve.yaml that runs `folder`: in it, or in its parent; a
    missing or empty folder is made a varve project (SQL beside it)."""
    folder = os.fspath(folder)
    for cand in (os.path.join(folder, "varve.yaml"),
                 os.path.join(os.path.dirname(os.path.abspath(folder)), "varve.yaml")):
        if os.path.exists(cand):
            return cand
    if os.path.isdir(folder) and any(not n.startswith(".") for n in os.listdir(folder)):
        raise NeedsImport("'%s' has %s migrations and no varve.yaml: convert it once with "
                          "'varve import --from %s %s'" % (folder, tool, tool, folder))
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "varve.yaml")
    Project.init(path, ".")
    return path


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
