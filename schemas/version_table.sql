-- varve's version table: one row per applied (or dirty) migration.
--
-- This is a template, not a script to run as is. `{{table}}` stands for the
-- table named by the manifest's `version_table` (default varve_version). The
-- runner replaces every `{{table}}` with that name as quoted identifiers, each
-- part passed through PQescapeIdentifier: `varve_version` becomes
-- "varve_version", `ops.schema_version` becomes "ops"."schema_version". The
-- schema part must already exist. Run by hand with psql:
--   sed 's/{{table}}/"public"."varve_version"/g' schemas/version_table.sql | psql
--
-- Columns:
--   revision     the migration's revision, as in the manifest (renamed in
--                place by `varve fix --database`)
--   description  the manifest's description when it was applied
--   checksum     `sha256:...` of the upgrade SQL that was applied (as the
--                manifest's `checksum`); `check --database` compares it
--   applied_at   when the migration committed
--   applied_by   the database role that applied it
--   duration_ms  how long the migration's SQL took
--   seq          application order: `downgrade -N` undoes the N highest
--   state        'applied', or 'dirty' when a `transaction: false` migration
--                failed part-way; `varve resolve` clears it
--
-- Idempotent: CREATE TABLE IF NOT EXISTS. Any change to this table must stay
-- readable by older rows (add columns with defaults; never rename).

CREATE TABLE IF NOT EXISTS {{table}} (
    revision     text        PRIMARY KEY,
    description  text,
    checksum     text,
    applied_at   timestamptz NOT NULL DEFAULT now(),
    applied_by   text        NOT NULL DEFAULT current_user,
    duration_ms  bigint,
    seq          bigint      GENERATED ALWAYS AS IDENTITY,
    state        text        NOT NULL DEFAULT 'applied'
                             CHECK (state IN ('applied', 'dirty'))
);
