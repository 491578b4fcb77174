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

/* Copy every finding of `src` to the end of `dst`. Returns VARVE_ENOMEM only. */
int varve_diag__append(varve_diag_list *dst, const varve_diag_list *src);

#define varve_diag__error(list, code, file, line, column, ...)                \
	varve_diag__add(list, VARVE_SEVERITY_ERROR, code, file, line, column, \
			__VA_ARGS__)
#define varve_diag__warning(list, code, file, line, column, ...)                \
	varve_diag__add(list, VARVE_SEVERITY_WARNING, code, file, line, column, \
			__VA_ARGS__)

#endif
