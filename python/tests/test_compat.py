"""The compat layers run the seed docs' own examples, adapted only by the
import line (and a URL where the seed built a database object)."""
import asyncio
import os

import pytest

import varve


def test_manticore_sync_example(tmp_path, db, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from varve.compat.manticore import Migration

    # Create migration instance
    migration = Migration(db, migrations_dir="./migrations")

    # Create a new migration
    migration.create_migration(
        "create users table",
        """
        CREATE TABLE users (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            name TEXT NOT NULL,
            email TEXT UNIQUE NOT NULL,
            created_at TIMESTAMPTZ DEFAULT now()
        );
        """,
        """
        DROP TABLE users;
        """
    )
    migration.create_migration(
        "add age column",
        "ALTER TABLE users ADD COLUMN age INTEGER;",
        "ALTER TABLE users DROP COLUMN age;"
    )

    # Load migrations
    migrations = migration.load_migrations()
    assert len(migrations) == 2
    first = migrations[0].version
    assert migrations[0].description == "create users table"

    # Apply migrations
    applied = migration.migrate()
    assert applied == 2
    assert migration.get_current_version() == migrations[1].version
    assert migration.is_applied(first)
    rows = migration.get_applied_migrations()
    assert [m["version"] for m in rows] == [first, migrations[1].version]
    assert rows[0]["description"] == "create users table" and rows[0]["applied_at"]

    # Rollback last migration
    rollback_count = migration.rollback(count=1)
    assert rollback_count == 1
    assert migration.get_current_version() == first
    assert migration.rollback(target_version=first) == 0
    assert varve.execute(db, "SELECT count(*) FROM users") == [("0",)]


async def test_manticore_async_example(tmp_path, db, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from varve.compat.manticore import AsyncMigration

    migration = AsyncMigration(db, migrations_dir="./async_migrations")
    await migration.create_migration(
        "create async users table",
        """
        CREATE TABLE async_users (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            name TEXT NOT NULL,
            email TEXT UNIQUE NOT NULL,
            created_at TIMESTAMPTZ DEFAULT now()
        );
        """,
        """
        DROP TABLE async_users;
        """
    )
    await migration.create_migration(
        "add email verification",
        "ALTER TABLE async_users ADD COLUMN email_verified BOOLEAN DEFAULT FALSE;",
        "ALTER TABLE async_users DROP COLUMN email_verified;"
    )
    migrations = await migration.load_migrations()
    assert len(migrations) == 2
    applied_count = await migration.migrate()
    assert applied_count == 2
    assert await migration.is_applied(migrations[0].version)
    rollback_count = await migration.rollback(count=1)
    assert rollback_count == 1
    assert await migration.get_current_version() == migrations[0].version


def test_pycopg_example(tmp_path, db, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from varve.compat.pycopg import Migrator, MigrationError

    migrator = Migrator(db, "migrations/")
    # pycopg's workflow: create a file, then write its SQL.
    for name, up, down in (
            ("create_users", "CREATE TABLE users (id SERIAL PRIMARY KEY, name TEXT NOT NULL);",
             "DROP TABLE users;"),
            ("add_email_column", "ALTER TABLE users ADD COLUMN email TEXT;",
             "ALTER TABLE users DROP COLUMN email;"),
            ("create_orders", "CREATE TABLE orders (id SERIAL PRIMARY KEY, "
             "user_id INTEGER NOT NULL REFERENCES users(id));", "DROP TABLE orders;")):
        path = migrator.create(name)
        with open(path, "w") as f:
            f.write("-- UP\n%s\n\n-- DOWN\n%s\n" % (up, down))
    assert path.endswith("0003_create_orders.sql")

    # Check status
    status = migrator.status()
    assert (status['applied_count'], status['pending_count']) == (0, 3)
    assert status['pending'][0] == {'version': 1, 'name': 'create_users'}

    # Run pending migrations up to a version, then the rest
    applied = migrator.migrate(target=2)
    assert ["%03d_%s" % (m.version, m.name) for m in applied] == [
        "001_create_users", "002_add_email_column"]
    assert [m.version for m in migrator.pending()] == [3]
    assert [m.version for m in migrator.migrate()] == [3]
    infos = migrator.applied()
    assert [i['version'] for i in infos] == [1, 2, 3] and infos[0]['applied_at']

    # Rollback last migration, then 2 more
    rolled_back = migrator.rollback()
    assert [(i['version'], i['name']) for i in rolled_back] == [(3, 'create_orders')]
    assert [i['version'] for i in migrator.rollback(steps=2)] == [2, 1]

    # Re-apply
    assert len(migrator.migrate()) == 3

    # Error handling
    path = migrator.create("broken")
    with open(path, "w") as f:
        f.write("-- UP\nSELECT * FROM no_such_table;\n")
    with pytest.raises(MigrationError) as e:
        migrator.migrate()
    assert "no_such_table" in str(e.value)
    assert migrator.status()['pending_count'] == 1  # not marked as applied


def _no_manifest(folder):
    """Nothing written: no varve.yaml in the folder or beside it."""
    assert not os.path.exists(os.path.join(folder, "varve.yaml"))
    assert not os.path.exists(os.path.join(os.path.dirname(folder), "varve.yaml"))


def _tables(db):
    return {r[0] for r in varve.execute(
        db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


def test_pycopg_seed_folder_and_table_are_adopted(tmp_path, db):
    from varve.compat.pycopg import Migrator

    mig = tmp_path / "migrations"
    mig.mkdir()
    for n, table in ((1, "users"), (2, "posts"), (3, "tags")):
        (mig / ("%03d_create_%s.sql" % (n, table))).write_text(
            "-- UP\nCREATE TABLE %s (id int);\n-- DOWN\nDROP TABLE %s;\n" % (table, table))
    # What pycopg's own migrator left behind: 001 and 002 applied.
    varve.execute(db, "CREATE TABLE users (id int); CREATE TABLE posts (id int);"
                      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
                      " name VARCHAR(255) NOT NULL, applied_at TIMESTAMPTZ DEFAULT now());"
                      "INSERT INTO schema_migrations (version, name, applied_at) VALUES"
                      " (1, 'create_users', '2025-01-01T00:00:00Z'),"
                      " (2, 'create_posts', '2025-01-02T00:00:00Z')")

    migrator = Migrator(db, str(mig))
    st = migrator.status()
    assert st["applied_count"] == 2 and st["pending_count"] == 1
    assert [a["version"] for a in st["applied"]] == [1, 2]
    assert st["pending"] == [{"version": 3, "name": "create_tags"}]
    assert [m.version for m in migrator.pending()] == [3]
    assert [m.version for m in migrator.migrate()] == [3]
    assert migrator.status()["pending_count"] == 0
    assert "tags" in _tables(db)
    # pycopg's table is read, not touched; varve's holds all three now.
    assert varve.execute(db, "SELECT count(*) FROM schema_migrations") == [("2",)]
    assert [r["version"] for r in Migrator(db, str(mig)).applied()] == [1, 2, 3]
    assert [r["version"] for r in migrator.rollback()] == [3]
    assert "tags" not in _tables(db)
    # create(): pycopg's own file, which the next call reads.
    path = migrator.create("create_orders")
    assert os.path.basename(path) == "004_create_orders.sql"
    assert "-- UP" in open(path).read()
    with open(path, "w") as f:
        f.write("-- UP\nCREATE TABLE orders (id int);\n-- DOWN\nDROP TABLE orders;\n")
    assert [m.version for m in migrator.migrate()] == [3, 4]
    assert "orders" in _tables(db)
    _no_manifest(str(mig))


def test_pycopg_seed_folder_new_database(tmp_path, db):
    """No pycopg table: nothing to adopt, everything pending."""
    from varve.compat.pycopg import Migrator

    mig = tmp_path / "migrations"
    mig.mkdir()
    (mig / "001_create_users.sql").write_text(
        "-- UP\nCREATE TABLE users (id int);\n-- DOWN\nDROP TABLE users;\n")
    migrator = Migrator(db, str(mig))
    assert migrator.status()["pending_count"] == 1
    assert [m.version for m in migrator.migrate()] == [1]
    assert "users" in _tables(db)
    _no_manifest(str(mig))


def test_pycopg_seed_table_with_a_version_without_file(tmp_path, db):
    """Adoption refuses (nothing recorded) when pycopg's table applied a
    version the folder has no file for, as `varve import` does."""
    from varve.compat.pycopg import Migrator

    mig = tmp_path / "migrations"
    mig.mkdir()
    (mig / "001_create_users.sql").write_text(
        "-- UP\nCREATE TABLE users (id int);\n-- DOWN\nDROP TABLE users;\n")
    varve.execute(db, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
                      " name VARCHAR(255) NOT NULL, applied_at TIMESTAMPTZ DEFAULT now());"
                      "INSERT INTO schema_migrations (version, name) VALUES (1, 'a'), (9, 'gone')")
    with pytest.raises(varve.Error) as e:
        Migrator(db, str(mig)).status()
    assert "'9'" in str(e.value) and "no file" in str(e.value)
    assert "users" not in _tables(db)


def _manticore_seed(tmp_path, db):
    mig = tmp_path / "migrations"
    mig.mkdir()
    (mig / "V1__create users table.sql").write_text(
        "CREATE TABLE users (id int);\n\n-- DOWN\nDROP TABLE users;\n")
    (mig / "V2__add age column.sql").write_text(
        "ALTER TABLE users ADD COLUMN age INTEGER;\n\n-- DOWN\n"
        "ALTER TABLE users DROP COLUMN age;\n")
    varve.execute(db, "CREATE TABLE users (id int);"
                      "CREATE TABLE _migrations (version TEXT PRIMARY KEY,"
                      " description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());"
                      "INSERT INTO _migrations (version, description)"
                      " VALUES ('1', 'create users table')")
    return mig


def _columns(db, table):
    return [r[0] for r in varve.execute(
        db, "SELECT column_name FROM information_schema.columns WHERE table_name = '%s'"
            " ORDER BY ordinal_position" % table)]


def test_manticore_seed_folder_and_table_are_adopted(tmp_path, db):
    from varve.compat.manticore import Migration

    mig = _manticore_seed(tmp_path, db)
    migration = Migration(db, migrations_dir=str(mig))
    records = migration.load_migrations()
    assert [r.description for r in records] == ["create users table", "add age column"]
    first, second = records[0].version, records[1].version
    assert migration.is_applied(first) and not migration.is_applied(second)
    assert migration.get_current_version() == first
    assert migration.migrate() == 1
    assert _columns(db, "users") == ["id", "age"]
    assert migration.get_current_version() == second
    assert migration.rollback() == 1
    assert _columns(db, "users") == ["id"]
    rec = migration.create_migration("create posts", "CREATE TABLE posts (id int);",
                                     "DROP TABLE posts;")
    assert os.path.basename(rec.file) == "V3__create posts.sql"
    assert [r.version for r in migration.load_migrations()][-1] == rec.version
    assert migration.migrate() == 2
    assert "posts" in _tables(db)
    assert migration.rollback() == 1 and "posts" not in _tables(db)
    _no_manifest(str(mig))


async def test_manticore_async_seed_folder_and_table_are_adopted(tmp_path, db):
    from varve.compat.manticore import AsyncMigration

    mig = _manticore_seed(tmp_path, db)
    migration = AsyncMigration(db, migrations_dir=str(mig))
    assert len(await migration.get_applied_migrations()) == 1
    assert await migration.migrate() == 1
    assert _columns(db, "users") == ["id", "age"]
    _no_manifest(str(mig))


def _sqlspec_seed(tmp_path, db):
    mig = tmp_path / "migrations"
    mig.mkdir()
    for n, table in ((1, "users"), (2, "posts"), (3, "tags")):
        (mig / ("%04d_create_%s.sql" % (n, table))).write_text(
            "-- name: migrate-%04d-up\nCREATE TABLE %s (id int);\n\n"
            "-- name: migrate-%04d-down\nDROP TABLE %s;\n" % (n, table, n, table))
    varve.execute(db, "CREATE TABLE users (id int);"
                      "CREATE TABLE ddl_migrations (version_num VARCHAR(32) PRIMARY KEY,"
                      " version_type VARCHAR(16), execution_sequence INTEGER,"
                      " description TEXT, applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
                      " execution_time_ms INTEGER, checksum VARCHAR(64), applied_by VARCHAR(255));"
                      "INSERT INTO ddl_migrations (version_num, version_type, execution_sequence,"
                      " description) VALUES ('0001', 'sequential', 1, 'create users')")
    return mig


def test_sqlspec_seed_folder_and_table_are_adopted(tmp_path, db):
    from varve.compat.sqlspec import SyncConfig

    mig = _sqlspec_seed(tmp_path, db)
    config = SyncConfig(connection_config={"dsn": db},
                        migration_config={"script_location": str(mig)})
    assert [r.revision for r in config.migrate_up("head")] == ["0002", "0003"]
    assert {"users", "posts", "tags"} <= _tables(db)
    assert [r.revision for r in config.migrate_down("-1")] == ["0003"]
    assert "tags" not in _tables(db)
    _no_manifest(str(mig))


async def test_sqlspec_async_seed_folder_and_table_are_adopted(tmp_path, db):
    from varve.compat.sqlspec import AsyncConfig

    mig = _sqlspec_seed(tmp_path, db)
    config = AsyncConfig(connection_config={"dsn": db},
                         migration_config={"script_location": str(mig)})
    assert [r.revision for r in await config.migrate_up("head")] == ["0002", "0003"]
    _no_manifest(str(mig))


def _sqlspec_project(tmp_path):
    p = varve.Project.init(str(tmp_path / "varve.yaml"))
    for rev, table in (("0001", "users"), ("0002", "posts"), ("0003", "tags"), ("0004", "x")):
        p.new("create " + table, "CREATE TABLE %s (id int);" % table,
              "DROP TABLE %s;" % table, naming="sequential")
    return str(tmp_path / "migrations")


def test_sqlspec_sync(tmp_path, db):
    from varve.compat.sqlspec import SyncConfig

    config = SyncConfig(connection_config={"dsn": db},
                        migration_config={"script_location": _sqlspec_project(tmp_path),
                                          "version_table": "sqlspec_version"})
    assert [r.revision for r in config.migrate_up("0003")] == ["0001", "0002", "0003"]
    config.migrate_up("head")
    assert [r.revision for r in config.migrate_down("-1")] == ["0004"]
    assert len(config.migrate_down("base")) == 3


async def test_sqlspec_async(tmp_path, db):
    from varve.compat.sqlspec import AsyncConfig

    config = AsyncConfig(connection_config={"dsn": db},
                         migration_config={"script_location": _sqlspec_project(tmp_path)})
    assert len(await config.migrate_up("head")) == 4  # Apply all
    await config.migrate_down("-1")  # Rollback one
    assert len(await config.migrate_down("base")) == 3  # Rollback all
