/* The library's version and the descriptions of its status codes. */
#include "common.h"

/*
 * build.zig passes build.zig.zon's version as VARVE_ZON_*: the header's
 * macros must agree with it, so the version is written in one place that
 * counts and checked in the other.
 */
#if defined(VARVE_ZON_MAJOR) &&                                         \
	(VARVE_ZON_MAJOR != VARVE_VERSION_MAJOR ||                      \
	 VARVE_ZON_MINOR != VARVE_VERSION_MINOR ||                      \
	 VARVE_ZON_PATCH != VARVE_VERSION_PATCH)
#error "VARVE_VERSION_* in varve.h differ from the version in build.zig.zon"
#endif

const char *varve_version(void)
{
	return VARVE_VERSION;
}

const char *varve_strerror(int code)
{
	switch (code) {
	case VARVE_OK: return "success";
	case VARVE_ERROR: return "error";
	case VARVE_ENOMEM: return "out of memory";
	case VARVE_ENOTFOUND: return "not found";
	case VARVE_EAMBIGUOUS: return "ambiguous";
	case VARVE_EINVALID: return "invalid input";
	case VARVE_EIO: return "input/output error";
	case VARVE_EUSAGE: return "not valid here";
	case VARVE_ECONNECT: return "cannot connect to the database";
	case VARVE_ELOCK: return "another runner holds the lock";
	case VARVE_EMIGRATION: return "a migration failed";
	case VARVE_EDIRTY: return "a dirty migration awaits resolve";
	case VARVE_EINTERRUPTED: return "interrupted";
	case VARVE_EEXISTS: return "already exists";
	case VARVE_ECHANGED: return "the manifest changed";
	default: return "unknown error";
	}
}
