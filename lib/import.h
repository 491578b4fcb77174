/*
 * varve import: another tool's migrations folder read as that tool wrote
 * it, planned as a manifest, and the tool's applied state (SPEC §11).
 */
#ifndef VARVE_IMPORT_H
#define VARVE_IMPORT_H

#include "common.h"
#include "arena.h"

/* One entry while planning; the public varve_import_entry points into it. */
struct import_entry {
	varve_import_entry pub;
	const char *key;  /* the version normalised for matching the table */
	const char *path; /* the (first) file as the user would open it */
	char **parents;   /* pub.parents */
	bool has_links;   /* the file names its parents (sqlspec's headers) */
	char checksum[VARVE_CHECKSUM_LEN + 1]; /* of the upgrade, or "" */
};

struct import_applied {
	varve_import_applied pub;
	size_t entry; /* (size_t)-1 when no file */
	const char *applied_at; /* as the tool recorded it, or NULL */
};

struct varve_import {
	varve_arena arena;
	varve_import_tool tool;
	const char *reason;
	const char *manifest_path;
	const char *base;      /* the manifest's folder, "." if none */
	const char *dir_user;  /* the folder as the user would open it */
	const char *directory; /* relative to base */

	struct import_entry *entries;
	size_t count, cap;

	char *yaml;
	size_t yaml_len;

	struct import_applied *applied;
	size_t applied_count, applied_cap;
	const char *applied_table;
	const char *project; /* Sqitch's %project, or NULL */
};

#endif
