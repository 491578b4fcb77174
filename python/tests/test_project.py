"""varve.Project (sync) on the examples and on failing migrations, against
real PostgreSQL (a scratch server)."""
import os
import subprocess
import threading
import time

import pytest

import varve
from varve import execute


def test_version_matches_cli(varve_cli):
    out = subprocess.run([varve_cli, "--version"], capture_output=True, text=True).stdout
    assert out.split()[1] == varve.__version__
    assert varve.__version__.count(".") == 2


def test_check_clean_and_with_findings(blog, tmp_path):
    assert [f for f in varve.Project(blog).check() if f.severity == "error"] == []
    bad = tmp_path / "bad.yaml"
    bad.write_text("varve: 1\nmigrations:\n- revision: '1'\n  down_revision: '9'\n")
    findings = varve.Project(str(bad)).check()
    codes = {f.code for f in findings}
    assert "unknown-down-revision" in codes
    f = next(f for f in findings if f.code == "unknown-down-revision")
    assert f.file.endswith("bad.yaml") and f.line == 4 and f.column > 0
    assert str(f).startswith(f.file + ":4:")


def test_offline_views(blog):
    p = varve.Project(blog)
    assert p.heads() == ["0006"]
    hist = p.history()
    assert [m.revision for m in hist] == ["0006", "0005", "0004", "0003", "0002", "0001"]
    assert hist[-1].down_revisions == () and hist[0].down_revisions == ("0005",)
    assert hist[-1].description == "create users"


def test_upgrade_status_downgrade(blog, db):
    p = varve.Project(blog, database=db)
    st = p.status()
    assert st.pending == ["0001", "0002", "0003", "0004", "0005", "0006"]
    assert st.counts == varve.Counts(0, 6, 0, 0)
    results = p.upgrade()
    assert [r.revision for r in results] == ["0001", "0002", "0003", "0004", "0005", "0006"]
    assert all(r.direction == "upgrade" and r.duration_ms >= 0 for r in results)
    assert p.upgrade() == []
    st = p.status()
    assert st.applied == ["0001", "0002", "0003", "0004", "0005", "0006"]
    assert (st.pending, st.dirty, st.unknown) == ([], [], [])
    assert st.counts == varve.Counts(6, 0, 0, 0)
    assert p.current() == ["0006"]
    assert p.is_applied("0003") and not p.is_applied("0042")
    rows = p.applied()
    assert [r.revision for r in rows][:2] == ["0001", "0002"] and not rows[0].dirty
    assert execute(db, "SELECT count(*) FROM users") == [("0",)]
    down = p.downgrade()
    assert [(r.revision, r.direction) for r in down] == [("0006", "downgrade")]
    assert p.pending() == ["0006"] and p.current() == ["0005"]
    assert len(p.downgrade("base")) == 5
    assert p.applied() == []
    assert execute(db, "SELECT to_regclass('users') IS NULL") == [("t",)]


def test_upgrade_to_target_and_relative(blog, db):
    p = varve.Project(blog, database=db)
    assert [r.revision for r in p.upgrade("0002")] == ["0001", "0002"]
    assert [r.revision for r in p.upgrade("+1")] == ["0003"]
    with pytest.raises(varve.NotFound):
        p.upgrade("nosuch")
    with pytest.raises(varve.UsageError):
        p.upgrade("base")


def test_stamp_and_resolve(blog, db):
    p = varve.Project(blog, database=db)
    assert p.stamp("0003") == (3, 0)
    assert p.is_applied("0003") and not p.is_applied("0004")
    assert execute(db, "SELECT to_regclass('users') IS NULL") == [("t",)]  # no SQL ran
    assert p.stamp("base") == (0, 3)
    with pytest.raises(varve.NotFound):
        p.resolve("0001")  # not dirty


def test_progress_callback(blog, db):
    events = []
    varve.Project(blog, database=db, progress=events.append).upgrade("0002")
    assert [(e.kind, e.revision) for e in events] == [
        ("start", "0001"), ("done", "0001"), ("start", "0002"), ("done", "0002")]
    assert events[1].description == "create users" and events[1].direction == "upgrade"


def test_progress_callback_that_raises_stops_the_run(blog, db):
    def boom(ev):
        if ev.kind == "done":
            raise KeyError("stop here")
    p = varve.Project(blog, database=db)
    with pytest.raises(KeyError):
        p.upgrade(progress=boom)
    assert [r.revision for r in p.applied()] == ["0001"]


def test_new_writes_the_sql(tmp_path, db):
    manifest = str(tmp_path / "varve.yaml")
    p = varve.Project.init(manifest)
    p.database = db
    a = p.new("create users", "CREATE TABLE users (id int);", "DROP TABLE users;",
              naming="sequential")
    assert a.revision == "0001" and a.down_revisions == ()
    text = open(a.file).read()
    assert "-- upgrade --\nCREATE TABLE users (id int);\n" in text
    assert "-- downgrade --\nDROP TABLE users;\n" in text
    b = p.new("no tx", "CREATE INDEX CONCURRENTLY users_id ON users (id);", transaction=False)
    assert b.down_revisions == ("0001",)
    assert [f for f in p.check() if f.severity == "error"] == []
    assert len(p.upgrade()) == 2
    assert execute(db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'users_id'") == [("1",)]


def test_migration_failed_fields(make_project, db):
    m = make_project({"0001": "CREATE TABLE a (id int);",
                      "0002": "CREATE TABLE b (id int);\nSELECT nope FROM  missing_table;"})
    p = varve.Project(m, database=db)
    with pytest.raises(varve.MigrationFailed) as e:
        p.upgrade()
    err = e.value
    assert err.code == -10 and isinstance(err, varve.Error)
    assert err.revision == "0002"
    assert err.file.endswith("0002.sql")
    assert (err.line, err.column) == (3, 19)
    assert err.sqlstate == "42P01"
    assert err.message == err.server_message == 'relation "missing_table" does not exist'
    assert str(err).startswith(err.file + ":3:19: error: ")
    assert not err.dirty
    assert [r.revision for r in err.results] == ["0001"]
    # Rolled back whole: no row, no table b.
    assert [r.revision for r in p.applied()] == ["0001"]
    assert execute(db, "SELECT to_regclass('b') IS NULL") == [("t",)]


def test_dirty_then_resolve(make_project, db):
    m = make_project({"0001": "CREATE TABLE a (id int);\nSELECT 1/0;"},
                     transaction={"0001": False})
    p = varve.Project(m, database=db)
    with pytest.raises(varve.MigrationFailed) as e:
        p.upgrade()
    assert e.value.dirty and e.value.sqlstate == "22012"
    assert p.status().dirty == ["0001"]
    with pytest.raises(varve.Dirty) as d:
        p.upgrade()
    assert "'0001' is dirty" in str(d.value)
    p.resolve("0001", applied=True)
    assert p.status().applied == ["0001"] and p.is_applied("0001")


def test_manifest_invalid(tmp_path, db):
    bad = tmp_path / "varve.yaml"
    bad.write_text("varve: 1\nmigrations:\n- revision: '1'\n  down_revision: '9'\n  file: x.sql\n")
    with pytest.raises(varve.ManifestInvalid) as e:
        varve.Project(str(bad), database=db).upgrade()
    assert any(f.code == "unknown-down-revision" for f in e.value.findings)
    assert isinstance(e.value, varve.InvalidInput)


def test_lock_held_by_another_runner(make_project, db):
    m = make_project({"0001": "SELECT pg_sleep(3);"})
    holder = threading.Thread(target=varve.Project(m, database=db).upgrade)
    holder.start()
    try:
        time.sleep(1)
        with pytest.raises(varve.LockTimeout) as e:
            varve.Project(m, database=db, lock_wait=0.5).upgrade()
        assert "lock" in str(e.value)
    finally:
        holder.join()
    assert varve.Project(m, database=db).is_applied("0001")


def test_connection_lost(make_project, db):
    m = make_project({"0001": "SELECT pg_sleep(30);"})
    p = varve.Project(m, database=db)
    errors = []

    def run():
        try:
            p.upgrade()
        except varve.Error as e:
            errors.append(e)
    t = threading.Thread(target=run)
    t.start()
    deadline = time.time() + 10
    killed = []
    while not killed and time.time() < deadline:
        time.sleep(0.2)
        killed = execute(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()")
    t.join(15)
    assert killed and len(errors) == 1
    assert isinstance(errors[0], varve.ConnectionLost), repr(errors[0])
    assert not p.is_applied("0001")


def test_password_never_in_exception_text(blog):
    p = varve.Project(blog, database="postgresql://alice:s3cr3t-pw@127.0.0.1:1/nodb")
    with pytest.raises(varve.ConnectionLost) as e:
        p.status()
    assert "s3cr3t-pw" not in str(e.value) and "s3cr3t-pw" not in repr(e.value)
    p = varve.Project(blog, database="host=127.0.0.1 port=1 password=s3cr3t-pw dbname=x")
    with pytest.raises(varve.ConnectionLost) as e:
        p.status()
    assert "s3cr3t-pw" not in str(e.value)


def test_cancel_from_another_thread(make_project, db):
    m = make_project({"0001": "CREATE TABLE a (id int);",
                      "0002": "CREATE TABLE b (id int);\nSELECT pg_sleep(30);"})
    p = varve.Project(m, database=db)
    threading.Timer(1.0, p.cancel).start()
    start = time.monotonic()
    with pytest.raises(varve.Interrupted):
        p.upgrade()
    assert time.monotonic() - start < 10
    assert [r.revision for r in p.applied()] == ["0001"]
    assert execute(db, "SELECT to_regclass('b') IS NULL") == [("t",)]


def test_two_threads_two_databases(blog, varve_server):
    from varve.testing import scratch_database
    out = {}

    def run(i):
        with scratch_database(blog, target=None, server=varve_server) as d:
            out[i] = [r.revision for r in varve.Project(blog, database=d.conninfo).upgrade()]
            out[i, "status"] = varve.Project(blog, database=d.conninfo).status().counts
    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(2):
        assert out[i] == ["0001", "0002", "0003", "0004", "0005", "0006"]
        assert out[i, "status"] == varve.Counts(6, 0, 0, 0)


def test_check_database(blog, db):
    p = varve.Project(blog, database=db)
    p.upgrade("0002")
    assert [f for f in p.check(database=True) if f.severity == "error"] == []
    sql = os.path.join(os.path.dirname(blog), "migrations", "0001_create_users.sql")
    with open(sql) as f:
        text = f.read()
    with open(sql, "w") as f:
        f.write(text.replace("CREATE TABLE users (", "CREATE TABLE users (extra int,"))
    codes = [(f.code, f.severity) for f in p.check(database=True)]
    assert ("applied-modified", "error") in codes


def test_database_from_the_environment(blog, db, monkeypatch):
    monkeypatch.setenv("VARVE_DATABASE_URL", db)
    assert len(varve.Project(blog).upgrade("0001")) == 1
    assert varve.Project(blog, database=db).current() == ["0001"]


def test_execute_reports_sql_errors(db):
    with pytest.raises(varve.Error) as e:
        execute(db, "SELECT * FROM nowhere")
    assert "nowhere" in str(e.value)


def test_new_refuses_sql_with_a_marker_line(tmp_path):
    p = varve.Project.init(str(tmp_path / "varve.yaml"))
    with pytest.raises(varve.InvalidInput) as e:
        p.new("x", "SELECT 1;\n-- downgrade --\nSELECT 2;")
    assert "section marker" in str(e.value)
    assert p.migrations() == [] and os.listdir(tmp_path / "migrations") == []
