/* A growable NUL-terminated byte buffer (as git's strbuf). */
#ifndef VARVE_BUF_H
#define VARVE_BUF_H

#include "common.h"

typedef struct varve_buf {
	char *ptr; /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
	bool oom; /* set once an allocation failed; later adds do nothing */
} varve_buf;

#define VARVE_BUF_INIT { NULL, 0, 0, false }

int varve_buf_grow(varve_buf *buf, size_t extra);
int varve_buf_put(varve_buf *buf, const char *data, size_t len);
int varve_buf_puts(varve_buf *buf, const char *s);
int varve_buf_putc(varve_buf *buf, char c);
int varve_buf_printf(varve_buf *buf, const char *fmt, ...) VARVE_PRINTF(2, 3);
/* The contents, "" when empty. Borrowed. */
const char *varve_buf_cstr(const varve_buf *buf);
/* Hand the malloc'd string to the caller (never NULL unless oom). */
char *varve_buf_detach(varve_buf *buf);
void varve_buf_clear(varve_buf *buf);
void varve_buf_dispose(varve_buf *buf);

/*
 * Read a whole file into `buf`. Refuses files larger than `limit` bytes
 * (0: no limit) with VARVE_EINVALID. Returns VARVE_EIO with errno kept
 * when the file cannot be read.
 */
int varve_buf_read_file(varve_buf *buf, const char *path, size_t limit);

#endif
