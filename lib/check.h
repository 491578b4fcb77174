/* Internal side of varve check: the git-aware part, for callers that hold
 * the manifest already. */
#ifndef VARVE_CHECK_H
#define VARVE_CHECK_H

#include "common.h"
#include "manifest.h"
#include "sqlfile.h"
#include "strmap.h"
#include "arena.h"

/*
 * varve_check_against on a loaded manifest (see varve.h). Findings are
 * positioned in `manifest`. With `new_timestamps`, also a
 * timestamp-revision warning for each timestamp revision this branch adds
 * (in neither REF's manifest nor the merge base's). With `known` (may be
 * NULL), also the revisions of REF's manifest and the merge base's, as
 * keys copied into `arena`: the migrations that are not new.
 */
int varve_check__against(const varve_manifest *manifest, const char *ref, bool new_timestamps,
			 varve_diag_list *diags, varve_strmap *known, varve_arena *arena);

/* The SQL of one migration as `check` read it, for the runner. */
typedef struct varve_check_sql {
	varve_sqlfile *up;   /* NULL without upgrade SQL (a merge) or when unreadable */
	varve_sqlfile *down; /* `up` itself for a `file`; NULL without a down file */
	char *up_path, *down_path; /* as shown (may be the same pointer) */
	char checksum[VARVE_CHECKSUM_LEN + 1]; /* of the upgrade; "" if unknown */
	/* The manifest's `transaction`, false when the file says
	 * `-- +goose NO TRANSACTION`. */
	bool transaction;
} varve_check_sql;

/*
 * Read and check one migration exactly as `varve check` does (all but the
 * safety lint, a review gate that never stops the runner): its files,
 * their sections, markers, bytes, limits, SQL syntax, the statements a
 * transaction cannot hold, the checksum and the file names. Findings go to
 * `diags`. With `out` (may be NULL), the files read stay open there for the
 * caller, who runs only what this accepted, and releases them with
 * varve_check__sql_dispose(). Returns 0, or VARVE_ENOMEM.
 */
int varve_check__migration(const varve_manifest *manifest,
			   const varve_migration *mig, varve_diag_list *diags,
			   varve_check_sql *out);

void varve_check__sql_dispose(varve_check_sql *sql);

#endif
