"""varve.aio.Project: the same methods as coroutines, on a loop that keeps
running; cancellation cancels the statement, rolls back, releases the lock."""
import asyncio
import time

import pytest

import varve
import varve.aio
from varve import execute


async def test_every_method(blog, db):
    p = varve.aio.Project(blog, database=db)
    assert await p.heads() == ["0006"]
    assert [f for f in await p.check() if f.severity == "error"] == []
    assert len(await p.history()) == 6
    assert (await p.status()).counts.pending == 6
    events = []
    results = await p.upgrade("0003", progress=events.append)
    await asyncio.sleep(0)  # progress callbacks are scheduled on the loop
    assert [r.revision for r in results] == ["0001", "0002", "0003"]
    assert [e.kind for e in events] == ["start", "done"] * 3
    assert await p.current() == ["0003"]
    assert await p.is_applied("0002")
    assert [r.revision for r in await p.applied()] == ["0001", "0002", "0003"]
    assert await p.pending() == ["0004", "0005", "0006"]
    assert [r.revision for r in await p.downgrade()] == ["0003"]
    assert await p.stamp("0004") == (2, 0)
    assert await p.stamp("0002") == (0, 2)
    with pytest.raises(varve.NotFound):
        await p.resolve("0001")
    assert [r.revision for r in await p.upgrade()] == ["0003", "0004", "0005", "0006"]


async def test_new(tmp_path, db):
    varve.Project.init(str(tmp_path / "varve.yaml"))
    p = varve.aio.Project(str(tmp_path / "varve.yaml"), database=db)
    a = await p.new("t", "CREATE TABLE t (id int);", "DROP TABLE t;", naming="sequential")
    assert a.revision == "0001"
    await p.upgrade()
    assert execute(db, "SELECT to_regclass('t') IS NOT NULL") == [("t",)]


async def test_failure_raises_the_same_exception(make_project, db):
    m = make_project({"0001": "SELECT * FROM missing_table;"})
    with pytest.raises(varve.MigrationFailed) as e:
        await varve.aio.Project(m, database=db).upgrade()
    assert e.value.sqlstate == "42P01" and e.value.line == 2


async def test_heartbeat_keeps_ticking_during_pg_sleep(make_project, db):
    m = make_project({"0001": "SELECT pg_sleep(2);"})
    ticks = 0
    stop = False

    async def heartbeat():
        nonlocal ticks
        while not stop:
            await asyncio.sleep(0.05)
            ticks += 1

    hb = asyncio.create_task(heartbeat())
    start = time.monotonic()
    results = await varve.aio.Project(m, database=db).upgrade()
    elapsed = time.monotonic() - start
    stop = True
    await hb
    assert [r.revision for r in results] == ["0001"] and elapsed >= 2
    # A loop blocked for 2 s would tick once or twice; a free one ~40 times.
    assert ticks >= 25, ticks


async def test_cancel_cancels_statement_rolls_back_releases_lock(make_project, db):
    m = make_project({"0001": "CREATE TABLE a (id int);",
                      "0002": "CREATE TABLE b (id int);\nSELECT pg_sleep(60);"})
    p = varve.aio.Project(m, database=db)
    task = asyncio.create_task(p.upgrade())
    # Wait until the statement runs on the server.
    for _ in range(100):
        await asyncio.sleep(0.1)
        if execute(db, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE "
                       "'%pg_sleep(60)%' AND pid <> pg_backend_pid()") == [("1",)]:
            break
    start = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - start < 5
    # The statement is gone, the migration rolled back, the lock released.
    assert execute(db, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE "
                       "'%pg_sleep(60)%' AND pid <> pg_backend_pid()") == [("0",)]
    assert execute(db, "SELECT to_regclass('b') IS NULL") == [("t",)]
    assert execute(db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") == [("0",)]
    assert [r.revision for r in await p.applied()] == ["0001"]
    # Another runner gets the lock at once.
    other = varve.aio.Project(m, database=db, lock_wait=0.5)
    assert await other.stamp("0001") == (0, 0)


async def test_timeout_is_a_cancellation(make_project, db):
    m = make_project({"0001": "SELECT pg_sleep(60);"})
    p = varve.aio.Project(m, database=db)
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(p.upgrade(), 1.0)
    assert await p.applied() == []


async def test_cancel_while_waiting_for_the_lock(make_project, db):
    import threading
    m = make_project({"0001": "SELECT pg_sleep(4);"})
    holder = threading.Thread(target=varve.Project(m, database=db).upgrade)
    holder.start()
    try:
        await asyncio.sleep(1)
        task = asyncio.create_task(varve.aio.Project(m, database=db, lock_wait=30).upgrade())
        await asyncio.sleep(0.5)
        start = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert time.monotonic() - start < 1.5
    finally:
        holder.join()


async def test_lock_timeout_names_the_whole_wait(make_project, db):
    import threading
    m = make_project({"0001": "SELECT pg_sleep(4);"})
    holder = threading.Thread(target=varve.Project(m, database=db).upgrade)
    holder.start()
    try:
        await asyncio.sleep(1)
        with pytest.raises(varve.LockTimeout) as e:
            await varve.aio.Project(m, database=db, lock_wait=1.2).upgrade()
        assert "after 1s of waiting" in str(e.value)
    finally:
        holder.join()
