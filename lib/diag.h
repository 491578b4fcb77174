/* Internal side of the diagnostic list. */
#ifndef VARVE_DIAG_H
#define VARVE_DIAG_H

#include "common.h"

/*
 * Add a finding. `code` must be a string literal (it is kept, not copied);
 * `file` and the formatted message are copied. Returns VARVE_ENOMEM only.
 */
int varve_diag__add(varve_diag_list *list, varve_severity severity,
		    const char *code, const char *file, unsigned line,
		    unsigned column, const char *fmt, ...) VARVE_PRINTF(7, 8);

/*
 * Give the last finding added a hint, a docs link (both copied; either may
 * be NULL), and, for a safety-lint finding, the table it concerns (copied,
 * or NULL), whether its rule matters only on a large table (check
 * --database drops those on small tables), and the revision whose SQL it
 * is in (`origin`, copied, or NULL). Returns VARVE_ENOMEM only.
 */
int varve_diag__annotate(varve_diag_list *list, const char *hint, const char *docs,
			 const char *subject, bool size_dependent, const char *origin);

/* The table finding `i` concerns, or NULL; whether its rule is
 * size-dependent; its origin (may be NULL). */
const char *varve_diag__subject(const varve_diag_list *list, size_t i, bool *size_dependent,
				const char **origin);

/* Remove every finding `i` with drop[i] (drop has one flag per finding). */
void varve_diag__remove(varve_diag_list *list, const bool *drop);

/* Copy every finding of `src` to the end of `dst`. Returns VARVE_ENOMEM only. */
int varve_diag__append(varve_diag_list *dst, const varve_diag_list *src);

#define varve_diag__error(list, code, file, line, column, ...)                \
	varve_diag__add(list, VARVE_SEVERITY_ERROR, code, file, line, column, \
			__VA_ARGS__)
#define varve_diag__warning(list, code, file, line, column, ...)                \
	varve_diag__add(list, VARVE_SEVERITY_WARNING, code, file, line, column, \
			__VA_ARGS__)

#endif
