"""Drop-in layers for the migrators varve replaces: change the import.

    varve.compat.pycopg     Migrator(db, "migrations/")
    varve.compat.manticore  Migration / AsyncMigration(db, migrations_dir=...)
    varve.compat.sqlspec    SyncConfig / AsyncConfig(...).migrate_up / migrate_down

They run the folder's varve project: a varve.yaml in the folder (or in its
parent). A folder of the seed tool's own files without a varve.yaml is read
as `varve import --from TOOL` reads it, in memory (nothing is written), and
on first use of a database whose varve table is still empty, the tool's
version table is adopted (its applied versions recorded in varve's). A new
or empty folder becomes a varve project (varve init, SQL files beside the
manifest).
"""
__all__: list = []
