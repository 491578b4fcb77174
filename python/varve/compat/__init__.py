"""Drop-in layers for the migrators varve replaces: change the import.

    varve.compat.pycopg     Migrator(db, "migrations/")
    varve.compat.manticore  Migration / AsyncMigration(db, migrations_dir=...)
    varve.compat.sqlspec    SyncConfig / AsyncConfig(...).migrate_up / migrate_down

They run the folder's varve project: a varve.yaml in the folder (or in its
parent). A new or empty folder becomes one (varve init, SQL files beside
the manifest). A folder of the seed tool's own files without a varve.yaml
raises NeedsImport: convert it once with `varve import` (reading such a
folder in memory is not built yet).
"""
from ._base import NeedsImport

__all__ = ["NeedsImport"]
