#include "error.h"

static _Thread_local char last_message[VARVE_ERROR_MESSAGE_MAX];

const char *varve_error_last(void)
{
	return last_message;
}

/*
 * Formatted into a buffer of its own, then copied: a caller may pass
 * varve_error_last() itself as an argument ("cannot hash '%s': %s" around
 * the scanner's message), and vsnprintf into the buffer it reads from
 * would garble the message.
 */
int varve_error__set(int code, const char *fmt, ...)
{
	char message[sizeof(last_message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	memcpy(last_message, message, sizeof(message));
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

void varve_error__swap(char other[VARVE_ERROR_MESSAGE_MAX])
{
	char keep[VARVE_ERROR_MESSAGE_MAX];

	memcpy(keep, last_message, sizeof(keep));
	memcpy(last_message, other, sizeof(keep));
	memcpy(other, keep, sizeof(keep));
}
