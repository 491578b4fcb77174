/* The per-thread message of the last failure (read with varve_error_last). */
#ifndef VARVE_ERROR_H
#define VARVE_ERROR_H

#include "common.h"

/* The longest message, with its NUL. */
#define VARVE_ERROR_MESSAGE_MAX 1024

/* Set the message and return `code`, so a failure is one line:
 *   return varve_error__set(VARVE_EIO, "cannot read '%s': %s", p, strerror(errno));
 */
int varve_error__set(int code, const char *fmt, ...) VARVE_PRINTF(2, 3);
/* The out-of-memory failure. */
int varve_error__oom(void);
void varve_error__clear(void);
/* Exchange the thread's message with `other` (a fiber's, lib/fiber.c). */
void varve_error__swap(char other[VARVE_ERROR_MESSAGE_MAX]);
/* strerror(err) in lower case, as our messages are; written to `buf`. */
const char *varve_error__reason(int err, char *buf, size_t size);

#endif
