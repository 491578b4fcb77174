#include "error.h"

static _Thread_local char last_message[1024];

const char *varve_error_last(void)
{
	return last_message;
}

int varve_error__set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_message, sizeof(last_message), fmt, ap);
	va_end(ap);
	return code;
}

int varve_error__oom(void)
{
	return varve_error__set(VARVE_ENOMEM, "out of memory");
}

const char *varve_error__reason(int err, char *buf, size_t size)
{
	const char *e = strerror(err);
	size_t i;

	for (i = 0; e[i] && i + 1 < size; i++)
		buf[i] = (char)((e[i] >= 'A' && e[i] <= 'Z') ? e[i] + 32 : e[i]);
	buf[i] = '\0';
	return buf;
}

void varve_error__clear(void)
{
	last_message[0] = '\0';
}
