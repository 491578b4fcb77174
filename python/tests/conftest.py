"""Fixtures: copies of the repository's examples in a temporary folder, and
databases of their own on one scratch PostgreSQL (varve.testing's server)."""
import os
import shutil
import subprocess
import textwrap

import pytest

from varve.testing import scratch_database

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.fixture
def blog(tmp_path):
    """examples/blog copied: its manifest's path."""
    shutil.copytree(os.path.join(REPO, "examples", "blog"), tmp_path / "blog")
    return str(tmp_path / "blog" / "varve.yaml")


@pytest.fixture
def db(varve_server):
    """An empty database of this test's own: its libpq string."""
    with scratch_database(target=None, server=varve_server) as d:
        yield d.conninfo


@pytest.fixture
def make_project(tmp_path):
    """make_project({"0001": "SQL", ...}, transaction={"0002": False}): a
    linear manifest of sequential migrations with those upgrade sections."""
    def make(migrations, transaction=None):
        root = tmp_path / "proj"
        (root / "migrations").mkdir(parents=True)
        entries, parent = [], None
        for rev, sql in migrations.items():
            (root / "migrations" / ("%s.sql" % rev)).write_text(
                "-- upgrade --\n%s\n-- downgrade --\nSELECT 1;\n" % sql)
            e = "- revision: '%s'\n  down_revision: %s\n  file: %s.sql\n" % (
                rev, "null" if parent is None else "'%s'" % parent, rev)
            if transaction and transaction.get(rev) is False:
                e += "  transaction: false\n"
            entries.append(e)
            parent = rev
        (root / "varve.yaml").write_text(
            "varve: 1\nnaming: sequential\nmigrations:\n" + "".join(entries))
        return str(root / "varve.yaml")
    return make


@pytest.fixture
def varve_cli():
    path = os.environ.get("VARVE_CLI", os.path.join(REPO, "zig-out", "bin", "varve"))
    if not os.path.exists(path):
        pytest.skip("no varve binary at %s" % path)
    return path


def dedent(s):
    return textwrap.dedent(s).lstrip()
