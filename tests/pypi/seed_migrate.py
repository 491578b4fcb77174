#!/usr/bin/env python3
"""Let a seed package's own migrator write and apply a migrations folder.

Run with a Python that has the packages (see tests/pypi/import-pypi.t):
  seed_migrate.py pycopg|manticore|sqlspec DIR
against the server in PGHOST/PGPORT/PGUSER/PGDATABASE (a unix socket).
Each tool creates three migrations through its own API and applies the
first two with its own migrator, as a project would have.
"""
import os
import sys
import time

MIGRATIONS = [
    ("create users", "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL);",
     "DROP TABLE users;"),
    ("add email", "ALTER TABLE users ADD COLUMN email text;",
     "ALTER TABLE users DROP COLUMN email;"),
    ("create orders", "CREATE TABLE orders (id serial PRIMARY KEY, user_id int REFERENCES users (id));",
     "DROP TABLE orders;"),
]


def params():
    return dict(host=os.environ["PGHOST"], port=int(os.environ["PGPORT"]),
                user=os.environ["PGUSER"], database=os.environ["PGDATABASE"])


def pycopg(folder):
    from pycopg import Config, Database
    from pycopg.migrations import Migrator

    p = params()
    db = Database(Config(host=p["host"], port=p["port"], user=p["user"], database=p["database"]))
    m = Migrator(db, folder)
    for desc, up, down in MIGRATIONS:
        path = m.create(desc)
        # The template has empty -- UP / -- DOWN sections: fill them in.
        text = open(path).read().replace("-- Write your migration SQL here\n", up + "\n")
        text = text.replace("-- Write your rollback SQL here (optional)\n", down + "\n")
        open(path, "w").write(text)
    m.migrate(target=2)


def manticore(folder):
    from manticore_cockroachdb import Database
    from manticore_cockroachdb.migration import Migrator

    p = params()
    # Its DSN is a URI: an empty host leaves the socket folder to PGHOST.
    db = Database(database=p["database"], host="", port=p["port"], user=p["user"])
    m = Migrator(db, migrations_dir=folder)
    for desc, up, down in MIGRATIONS:
        m.create_migration(desc, up, down)
    m.migrate(target_version=2)


def sqlspec(folder):
    import re

    from sqlspec.adapters.psycopg import PsycopgSyncConfig
    from sqlspec.migrations.commands import SyncMigrationCommands

    # "" : libpq's PG* variables name the server.
    cfg = PsycopgSyncConfig(connection_config={"conninfo": ""},
                            migration_config={"script_location": folder})
    cmd = SyncMigrationCommands(cfg)
    cmd.init(folder, package=False)
    for desc, up, down in MIGRATIONS:
        cmd.revision(desc, "sql")
        # Its template holds a placeholder table: put the migration in.
        path = max(f for f in os.listdir(folder) if f.endswith(".sql"))
        path = os.path.join(folder, path)
        text = open(path).read()
        text = re.sub(r"(-- name: migrate-\d+-up\n).*?\n\n", lambda m: m.group(1) + up + "\n\n",
                      text, flags=re.S)
        text = re.sub(r"(-- name: migrate-\d+-down\n).*", lambda m: m.group(1) + down + "\n",
                      text, flags=re.S)
        open(path, "w").write(text)
        time.sleep(1.1)  # its versions are timestamps, one a second
    # Its hybrid workflow: sequential numbers before merging.
    cmd.fix(yes=True)
    cmd.upgrade("0002")


if __name__ == "__main__":
    {"pycopg": pycopg, "manticore": manticore, "sqlspec": sqlspec}[sys.argv[1]](sys.argv[2])
