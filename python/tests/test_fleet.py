"""varve.Fleet and varve.aio.Fleet: one manifest on several databases of a
scratch server, as `varve upgrade --fleet` runs it."""
import asyncio
import contextlib
import threading
import time

import pytest

import varve
import varve.aio
from varve import execute
from varve.testing import scratch_database


@pytest.fixture
def three(varve_server):
    """Three empty databases: their libpq strings."""
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(scratch_database(target=None, server=varve_server)).conninfo
               for _ in range(3)]


def fleet_file(tmp_path, urls, labels=("a", "b", "c"), extra=""):
    text = "varve_fleet: 1\n%stargets:\n" % extra
    for url, label in zip(urls, labels):
        text += "  - url: '%s'\n    label: %s\n" % (url, label)
    (tmp_path / "fleet.yaml").write_text(text)
    return str(tmp_path / "fleet.yaml")


def test_status_upgrade_only(blog, tmp_path, three):
    f = varve.Fleet(fleet_file(tmp_path, three), blog)
    st = f.status()
    assert [(t.label, t.state, t.planned, t.applied) for t in st.targets] == [
        ("a", "done", 6, 0), ("b", "done", 6, 0), ("c", "done", 6, 0)]
    events = []
    r = f.upgrade("0002", only=["a"], progress=events.append)
    assert r.ok and [t.label for t in r.targets] == ["a"]
    assert (r["a"].done, r["a"].state) == (2, "done")
    assert [(e.kind, e.target.label) for e in events if e.kind != "migration"] == [
        ("start", "a"), ("end", "a")]
    assert [(e.event.kind, e.event.revision) for e in events if e.kind == "migration"] == [
        ("start", "0001"), ("done", "0001"), ("start", "0002"), ("done", "0002")]
    # "failed": only the targets not at the goal (b and c here).
    r = f.upgrade("0002", only="failed", concurrency=1)
    assert [(t.label, t.done) for t in r.targets] == [("b", 2), ("c", 2)]
    r = f.upgrade()
    assert r.ok and [t.done for t in r.targets] == [4, 4, 4]
    assert all(execute(u, "SELECT count(*) FROM varve_version") == [("6",)] for u in three)
    assert [t.planned for t in f.status().targets] == [0, 0, 0]
    r = f.downgrade("0005", only="b,c")
    assert [(t.label, t.done) for t in r.targets] == [("b", 1), ("c", 1)]
    with pytest.raises(varve.UsageError):
        f.upgrade(only=["nobody"])


def test_failures_and_redacted_urls(blog, tmp_path, three):
    execute(three[1], "CREATE TABLE posts (id int)")  # 0002 will fail there
    bad = "postgresql://app:sekrit@127.0.0.1:1/nowhere"
    f = varve.Fleet(fleet_file(tmp_path, three + [bad], labels="abcd",
                               extra="on_failure: continue\n"), blog)
    r = f.upgrade()
    assert not r.ok
    assert [t.state for t in r.targets] == ["done", "failed", "done", "unreachable"]
    failed = r["b"]
    assert isinstance(failed.failure, varve.MigrationFailed)
    assert failed.failure.revision == "0002" and failed.failure.sqlstate == "42P07"
    assert failed.done == 1
    d = r["d"]
    assert "sekrit" not in d.url and "sekrit" not in (d.error or "")
    assert "***" in d.url or "app@" in d.url
    # on_failure="stop" with concurrency 1: after b fails, nothing starts.
    for u in three:
        execute(u, "DROP TABLE IF EXISTS varve_version; DROP SCHEMA public CASCADE; "
                   "CREATE SCHEMA public")
    execute(three[1], "CREATE TABLE posts (id int)")
    r = f.upgrade(concurrency=1, on_failure="stop")
    assert [t.state for t in r.targets] == ["done", "failed", "skipped", "skipped"]


def test_fleet_file_findings(tmp_path, blog):
    (tmp_path / "fleet.yaml").write_text("varve_fleet: 1\non_failure: halt\ntargets: []\n")
    with pytest.raises(varve.ManifestInvalid) as e:
        varve.Fleet(str(tmp_path / "fleet.yaml"), blog)
    assert [f.code for f in e.value.findings] == ["fleet-schema"]
    assert e.value.findings[0].line == 2
    with pytest.raises(varve.FileError):
        varve.Fleet(str(tmp_path / "missing.yaml"), blog)


async def test_aio_fleet_runs_off_the_loop(make_project, tmp_path, three):
    m = make_project({"0001": "SELECT pg_sleep(1.5);"})
    f = varve.aio.Fleet(fleet_file(tmp_path, three), m)
    ticks = 0
    stop = False

    async def heartbeat():
        nonlocal ticks
        while not stop:
            await asyncio.sleep(0.05)
            ticks += 1

    hb = asyncio.create_task(heartbeat())
    events = []
    r = await f.upgrade(progress=events.append)
    stop = True
    await hb
    await asyncio.sleep(0)
    assert r.ok and [t.done for t in r.targets] == [1, 1, 1]
    assert sum(e.kind == "end" for e in events) == 3
    assert ticks >= 20, ticks
    assert [t.planned for t in (await f.status()).targets] == [0, 0, 0]


async def test_aio_fleet_cancel_rolls_back(make_project, tmp_path, three):
    m = make_project({"0001": "CREATE TABLE a (id int);",
                      "0002": "CREATE TABLE b (id int);\nSELECT pg_sleep(60);"})
    f = varve.aio.Fleet(fleet_file(tmp_path, three), m)
    task = asyncio.create_task(f.upgrade())
    sleeping = "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%'"
    for _ in range(200):
        await asyncio.sleep(0.05)
        if execute(three[0], sleeping) == [("3",)]:
            break
    start = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - start < 10
    assert execute(three[0], sleeping) == [("0",)]
    for u in three:
        # 0002 rolled back (its table gone), 0001 stays; no lock held.
        assert execute(u, "SELECT revision FROM varve_version") == [("0001",)]
        assert execute(u, "SELECT to_regclass('b')") == [(None,)]
        assert execute(u, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") == [("0",)]


def test_schema_per_tenant(blog, tmp_path, db):
    for s in ("t1", "t2"):
        execute(db, "CREATE SCHEMA %s" % s)
    (tmp_path / "fleet.yaml").write_text(
        "varve_fleet: 1\nschemas:\n  database: '%s'\n  names: [t1, t2]\n" % db)
    f = varve.Fleet(str(tmp_path / "fleet.yaml"), blog)
    r = f.upgrade("0001")
    assert [(t.label, t.schema, t.state, t.done) for t in r.targets] == [
        ("t1", "t1", "done", 1), ("t2", "t2", "done", 1)]
    assert execute(db, "SELECT to_regclass('t1.users') IS NOT NULL, "
                       "to_regclass('t2.users') IS NOT NULL") == [("t", "t")]


def test_sync_cancel_and_progress_errors(make_project, tmp_path, three):
    m = make_project({"0001": "SELECT pg_sleep(60);"})
    f = varve.Fleet(fleet_file(tmp_path, three), m)
    threading.Timer(1.0, f.cancel).start()
    start = time.monotonic()
    with pytest.raises(varve.Interrupted):
        f.upgrade()
    assert time.monotonic() - start < 10
    assert all(execute(u, "SELECT count(*) FROM varve_version") == [("0",)] for u in three)

    def boom(event):
        raise RuntimeError("from the callback")
    # A callback that raises stops the run (pg_sleep(60) is cancelled) and
    # its exception comes out of upgrade().
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="from the callback"):
        varve.Fleet(fleet_file(tmp_path, three), m, progress=boom).upgrade(concurrency=1)
    assert time.monotonic() - start < 10
