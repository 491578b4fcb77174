"""pytest support: a scratch PostgreSQL migrated to head, per test.

Installed as a pytest plugin (entry point `varve`), so a test suite only
names the fixture:

    # conftest.py
    import pytest

    @pytest.fixture
    def varve_manifest():
        return "db/varve.yaml"          # default: "varve.yaml"

    # test_app.py
    def test_signup(varve_database):
        varve_database.execute("INSERT INTO users (email) VALUES ('a@b.c')")
        connect(varve_database.conninfo)  # libpq string for psycopg & co.

One server per test session (libvarve's scratch server: initdb in a
temporary folder, a unix socket only, deleted even if the run is killed);
each test gets its own database in it, migrated to `varve_target`
(default "head") and dropped afterwards.
"""
from __future__ import annotations

import itertools
import os
from contextlib import contextmanager
from typing import Iterator, List, Optional, Tuple

import pytest

from ._core import Project, Scratch, execute

_names = itertools.count(1)


class ScratchDatabase:
    """A database of its own on a scratch server."""

    def __init__(self, server: Scratch, name: str, manifest: str) -> None:
        self.name = name
        # libpq takes the last of repeated keywords: this dbname wins.
        self.conninfo = "%s dbname=%s" % (server.conninfo, name)
        self.project = Project(manifest, database=self.conninfo)

    def execute(self, sql: str) -> List[Tuple[Optional[str], ...]]:
        """Run SQL; the rows of its last statement, as text."""
        return execute(self.conninfo, sql)


@contextmanager
def scratch_database(manifest: str = "varve.yaml", target: Optional[str] = "head",
                     server: Optional[Scratch] = None) -> Iterator[ScratchDatabase]:
    """A fresh database (on `server`, or a server of its own) with the
    project migrated to `target` (None: left empty); dropped on exit."""
    own = server is None
    srv = server if server is not None else Scratch()
    name = "varve_test_%d_%d" % (os.getpid(), next(_names))
    try:
        execute(srv.conninfo, 'CREATE DATABASE "%s"' % name)
        try:
            db = ScratchDatabase(srv, name, manifest)
            if target is not None:
                db.project.upgrade(target)
            yield db
        finally:
            execute(srv.conninfo, 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)
    finally:
        if own:
            srv.close()


@pytest.fixture
def varve_manifest() -> str:
    """The manifest the database is migrated with; override it in conftest."""
    return "varve.yaml"


@pytest.fixture
def varve_target() -> Optional[str]:
    """How far to migrate (None: not at all); override it to taste."""
    return "head"


@pytest.fixture(scope="session")
def varve_server() -> Iterator[Scratch]:
    """The session's scratch PostgreSQL server."""
    with Scratch() as s:
        yield s


@pytest.fixture
def varve_database(varve_server: Scratch, varve_manifest: str,
                   varve_target: Optional[str]) -> Iterator[ScratchDatabase]:
    """A database of this test's own, migrated to varve_target."""
    with scratch_database(varve_manifest, varve_target, varve_server) as db:
        yield db
