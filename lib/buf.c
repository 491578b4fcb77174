#include "buf.h"
#include "error.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int varve_buf_grow(varve_buf *buf, size_t extra)
{
	size_t want, cap;
	char *p;

	if (buf->oom)
		return VARVE_ENOMEM;
	want = buf->len + extra + 1;
	if (want < buf->len)
		goto oom;
	if (want <= buf->cap)
		return 0;
	cap = buf->cap ? buf->cap : 64;
	while (cap < want) {
		if (cap > SIZE_MAX / 2)
			goto oom;
		cap *= 2;
	}
	p = realloc(buf->ptr, cap);
	if (!p)
		goto oom;
	buf->ptr = p;
	buf->cap = cap;
	return 0;
oom:
	buf->oom = true;
	return varve_error__oom();
}

int varve_buf_put(varve_buf *buf, const char *data, size_t len)
{
	int error = varve_buf_grow(buf, len);

	if (error)
		return error;
	if (len)
		memcpy(buf->ptr + buf->len, data, len);
	buf->len += len;
	buf->ptr[buf->len] = '\0';
	return 0;
}

int varve_buf_puts(varve_buf *buf, const char *s)
{
	return varve_buf_put(buf, s, strlen(s));
}

int varve_buf_putc(varve_buf *buf, char c)
{
	return varve_buf_put(buf, &c, 1);
}

int varve_buf_printf(varve_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int n, error;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return varve_error__set(VARVE_ERROR, "invalid format");
	if ((error = varve_buf_grow(buf, (size_t)n)) != 0)
		return error;
	va_start(ap, fmt);
	vsnprintf(buf->ptr + buf->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf->len += (size_t)n;
	return 0;
}

const char *varve_buf_cstr(const varve_buf *buf)
{
	return buf->ptr ? buf->ptr : "";
}

char *varve_buf_detach(varve_buf *buf)
{
	char *p;

	if (buf->oom)
		return NULL;
	if (!buf->ptr && varve_buf_grow(buf, 0))
		return NULL;
	buf->ptr[buf->len] = '\0';
	p = buf->ptr;
	buf->ptr = NULL;
	buf->len = buf->cap = 0;
	return p;
}

void varve_buf_clear(varve_buf *buf)
{
	buf->len = 0;
	if (buf->ptr)
		buf->ptr[0] = '\0';
}

void varve_buf_dispose(varve_buf *buf)
{
	free(buf->ptr);
	buf->ptr = NULL;
	buf->len = buf->cap = 0;
	buf->oom = false;
}

int varve_buf_read_file(varve_buf *buf, const char *path, size_t limit)
{
	struct stat st;
	int fd, error = 0;

	/* O_NONBLOCK: opening a FIFO would wait for a writer, forever. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return VARVE_EIO;
	if (fstat(fd, &st) < 0) {
		error = VARVE_EIO;
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		error = VARVE_EIO;
		goto done;
	}
	if (fcntl(fd, F_SETFL, 0) < 0) {
		error = VARVE_EIO;
		goto done;
	}
	if (limit && (uint64_t)st.st_size > limit) {
		error = VARVE_EINVALID;
		goto done;
	}
	if ((error = varve_buf_grow(buf, (size_t)st.st_size)) != 0)
		goto done;
	for (size_t want = buf->len + (size_t)st.st_size;;) {
		ssize_t n;

		/* Grow only when full: the buffer may be kept for a long time
		 * (a run keeps every migration's file), so no slack per file. */
		if (buf->cap - buf->len <= 1 && (error = varve_buf_grow(buf, 4096)) != 0)
			goto done;
		n = read(fd, buf->ptr + buf->len, buf->cap - buf->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			error = VARVE_EIO;
			goto done;
		}
		if (n == 0)
			break;
		buf->len += (size_t)n;
		/* The size fstat gave is all there is: spare the read of EOF. */
		if (st.st_size > 0 && buf->len == want)
			break;
		if (limit && buf->len > limit) {
			error = VARVE_EINVALID;
			goto done;
		}
	}
	buf->ptr[buf->len] = '\0';
done:
	if (error == VARVE_EIO) {
		int saved = errno;

		close(fd);
		errno = saved;
	} else {
		close(fd);
	}
	return error;
}
