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


def test_pycopg_folder_without_manifest_needs_import(tmp_path, db):
    from varve.compat import NeedsImport
    from varve.compat.pycopg import Migrator

    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "001_create_users.sql").write_text(
        "-- UP\nCREATE TABLE users (id int);\n-- DOWN\nDROP TABLE users;\n")
    with pytest.raises(NeedsImport) as e:
        Migrator(db, str(tmp_path / "migrations"))
    assert "varve import --from pycopg" in str(e.value)


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
