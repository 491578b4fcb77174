#!/usr/bin/env python3
"""Let a seed package's own migrator write and apply a migrations folder.

Run with a Python that has the packages (see tests/pypi/import-pypi.t):
  seed_migrate.py pycopg|manticore DIR
against the server in PGHOST/PGPORT/PGUSER/PGDATABASE (a unix socket).
Each tool creates three migrations through its own API and applies the
first two with its own migrator, as a project would have.
"""
import os
import sys

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


if __name__ == "__main__":
    {"pycopg": pycopg, "manticore": manticore}[sys.argv[1]](sys.argv[2])
