"""Project.check's lint fields, redo(), test(), schema_dump(), varve.wait()
and their asyncio twins, against real PostgreSQL (scratch servers)."""
import asyncio
import time

import pytest

import varve
import varve.aio
from varve import execute


def write_project(root, migrations):
    """{"0001": (up, down or None), ...}: a linear sequential manifest."""
    (root / "migrations").mkdir(parents=True)
    entries, parent = [], None
    for rev, (up, down) in migrations.items():
        text = "-- upgrade --\n%s\n" % up
        if down is not None:
            text += "-- downgrade --\n%s\n" % down
        (root / "migrations" / ("%s.sql" % rev)).write_text(text)
        entries.append("- revision: '%s'\n  down_revision: %s\n  file: %s.sql\n" % (
            rev, "null" if parent is None else "'%s'" % parent, rev))
        parent = rev
    (root / "varve.yaml").write_text("varve: 1\nnaming: sequential\nmigrations:\n"
                                     + "".join(entries))
    return str(root / "varve.yaml")


def test_lint_findings_carry_hint_and_docs(tmp_path):
    m = write_project(tmp_path, {
        "0001": ("CREATE TABLE t (id bigint PRIMARY KEY, c text);", "DROP TABLE t;"),
        "0002": ("CREATE INDEX t_c ON t (c);", "DROP INDEX t_c;")})
    p = varve.Project(m)
    found = [f for f in p.check() if f.code == "require-concurrent-index"]
    assert len(found) == 1, p.check()
    f = found[0]
    assert f.file and f.file.endswith("0002.sql") and f.line == 2
    assert f.hint and "CONCURRENTLY" in f.hint
    assert f.docs and "require-concurrent-index" in f.docs
    # lint=False is check --no-lint: the lint's findings are gone, the rest stay.
    assert [f for f in p.check(lint=False) if f.code == "require-concurrent-index"] == []
    # A finding that is not the lint's has neither.
    (tmp_path / "migrations" / "0003.sql").write_text("SELECT 1;\n")
    unlisted = [f for f in p.check() if f.code == "unlisted-file"]
    assert unlisted and unlisted[0].hint is None and unlisted[0].docs is None


def test_redo_rolls_back_and_applies_again(tmp_path, db):
    m = write_project(tmp_path, {
        "0001": ("CREATE TABLE a (id int);", "DROP TABLE a;"),
        "0002": ("CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);", "DROP TABLE b;")})
    p = varve.Project(m, database=db)
    with pytest.raises(varve.NotFound):
        p.redo()
    p.upgrade()
    execute(db, "INSERT INTO b VALUES (2)")
    events = []
    results = p.redo(progress=events.append)
    assert [(r.revision, r.direction) for r in results] == [
        ("0002", "downgrade"), ("0002", "upgrade")]
    assert [e.kind for e in events] == ["start", "done"] * 2
    # The table was dropped and made again: the row added by hand is gone.
    assert execute(db, "SELECT id FROM b") == [("1",)]
    assert [r.revision for r in p.redo("0001")] == ["0002", "0001", "0001", "0002"]
    assert p.status().counts.applied == 2
    p.downgrade()
    with pytest.raises(varve.UsageError):
        p.redo("0002")


def test_redo_refuses_a_migration_without_downgrade(tmp_path, db):
    m = write_project(tmp_path, {"0001": ("CREATE TABLE a (id int);", None)})
    p = varve.Project(m, database=db)
    p.upgrade()
    with pytest.raises(varve.InvalidInput) as e:
        p.redo()
    assert "0001" in str(e.value)
    assert p.is_applied("0001")


def test_test_on_scratch_passes_the_blog(blog):
    seen = []
    report = varve.Project(blog).test(progress=seen.append)
    assert report.ok and report.scratch and report.database is None
    assert (report.tested, report.passed, report.failed) == (6, 6, 0)
    assert [r.revision for r in report.results] == ["0001", "0002", "0003", "0004",
                                                     "0005", "0006"]
    assert seen == report.results
    assert all(r.outcome == "passed" and r.problem is None and r.diff == []
               for r in report.results)
    part = varve.Project(blog).test(from_="0004", to="0005")
    assert [r.revision for r in part.results] == ["0004", "0005"]


def test_test_reports_a_downgrade_that_does_not_restore(tmp_path, db):
    m = write_project(tmp_path, {
        "0001": ("CREATE TABLE a (id int);", "DROP TABLE a;"),
        "0002": ("ALTER TABLE a ADD COLUMN email text;", "SELECT 1;"),
        "0003": ("CREATE TABLE c (id int);", "DROP TABLE c;"),
        "0004": ("CREATE TABLE d (id int);", "-- irreversible")})
    report = varve.Project(m).test(database=db)
    assert not report.ok
    assert report.database and report.scratch is False
    assert (report.passed, report.failed, report.not_run) == (1, 1, 2)
    bad = report.results[-1]
    assert (bad.revision, bad.outcome, bad.problem) == ("0002", "failed", "not-restored")
    # From before the upgrade to after the downgrade: the column stayed.
    assert [(d.change, d.kind, d.name) for d in bad.diff] == [
        ("added", "column", "public.a.email")]
    assert bad.diff[0].before is None
    assert bad.diff[0].after and "email text" in bad.diff[0].after
    assert bad.detail and "public.a.email" in bad.detail
    # The database now records history: test refuses it.
    with pytest.raises(varve.InvalidInput):
        varve.Project(m).test(database=db)


def test_test_data_and_sql_failures(tmp_path, db):
    m = write_project(tmp_path, {
        "0001": ("CREATE TABLE r (id int);", "DROP TABLE r;"),
        "0002": ("INSERT INTO r VALUES (1), (2);", "SELECT 1;")})
    report = varve.Project(m).test(data=True, database=db)
    bad = report.results[-1]
    assert (bad.revision, bad.problem) == ("0002", "rows-left")
    assert bad.detail and "public.r" in bad.detail
    m2 = write_project(tmp_path / "two", {
        "0001": ("CREATE TABLE r (id int);", "DROP TABLE nope;")})
    bad = varve.Project(m2).test().results[0]
    assert (bad.outcome, bad.problem) == ("failed", "downgrade-failed")
    assert isinstance(bad.failure, varve.MigrationFailed)
    assert bad.failure.sqlstate == "42P01"


def test_schema_dump_head_and_database(blog, db):
    head = varve.Project(blog).schema_dump()
    assert "CREATE TABLE public.posts" in head
    assert "varve_version" not in head
    p = varve.Project(blog, database=db)
    empty = p.schema_dump(db)
    assert "CREATE TABLE" not in empty
    p.upgrade()
    live = p.schema_dump(db)
    # The version table is left out; head built on scratch is the same DDL.
    assert live == head


def test_wait(db):
    waited = varve.wait(db, timeout=5)
    assert 0 <= waited < 5
    start = time.monotonic()
    with pytest.raises(varve.ConnectionLost) as e:
        varve.wait("host=/nonexistent-dir port=5999 dbname=x", timeout=0.5)
    assert 0.4 <= time.monotonic() - start < 5
    with pytest.raises(varve.ConnectionLost) as e:
        varve.wait("postgresql://u:sekrit@127.0.0.1:1/x", timeout=0.2)
    assert "sekrit" not in str(e.value)


async def test_aio_redo_test_schema_wait(blog, db):
    p = varve.aio.Project(blog, database=db)
    await p.upgrade()
    assert [r.revision for r in await p.redo()] == ["0006", "0006"]
    report = await p.test()
    assert report.ok and report.tested == 6
    assert "CREATE TABLE public.tags" in await p.schema_dump(db)
    assert await varve.aio.wait(db, timeout=5) < 5
    assert [f for f in await p.check(lint=False) if f.severity == "error"] == []


async def test_aio_wait_is_cancellable_and_keeps_the_loop_running():
    ticks = 0

    async def heartbeat():
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    hb = asyncio.create_task(heartbeat())
    start = time.monotonic()
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(varve.aio.wait("host=/nonexistent-dir port=5999", timeout=60),
                               1.0)
    elapsed = time.monotonic() - start
    hb.cancel()
    # Cancelled within a pause of the poll (at most 1 s), not after 60 s.
    assert elapsed < 4, elapsed
    assert ticks >= 10, ticks


async def test_aio_test_cancel_stops_the_walk(tmp_path, db):
    m = write_project(tmp_path, {
        "0001": ("CREATE TABLE a (id int);", "DROP TABLE a;"),
        "0002": ("SELECT pg_sleep(60);", "SELECT 1;")})
    p = varve.aio.Project(m)
    task = asyncio.create_task(p.test(database=db))
    for _ in range(200):
        await asyncio.sleep(0.05)
        if execute(db, "SELECT count(*) FROM pg_stat_activity "
                       "WHERE query LIKE 'SELECT pg_sleep(60)%'") != [("0",)]:
            break
    start = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - start < 10
    assert execute(db, "SELECT count(*) FROM pg_stat_activity "
                       "WHERE query LIKE 'SELECT pg_sleep(60)%'") == [("0",)]
