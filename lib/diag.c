#include "diag.h"
#include "arena.h"
#include "error.h"

struct varve_diag_list {
	varve_diag *items;
	size_t count;
	size_t cap;
	varve_arena strings;
};

int varve_diag_list_new(varve_diag_list **out)
{
	varve_diag_list *list = calloc(1, sizeof(*list));

	*out = list;
	return list ? 0 : varve_error__oom();
}

void varve_diag_list_free(varve_diag_list *list)
{
	if (!list)
		return;
	varve_arena_dispose(&list->strings);
	free(list->items);
	free(list);
}

size_t varve_diag_list_count(const varve_diag_list *list)
{
	return list->count;
}

const varve_diag *varve_diag_list_at(const varve_diag_list *list, size_t i)
{
	assert(i < list->count);
	return &list->items[i];
}

static size_t count_severity(const varve_diag_list *list, varve_severity sev)
{
	size_t n = 0;

	for (size_t i = 0; i < list->count; i++)
		n += list->items[i].severity == sev;
	return n;
}

size_t varve_diag_list_errors(const varve_diag_list *list)
{
	return count_severity(list, VARVE_SEVERITY_ERROR);
}

size_t varve_diag_list_warnings(const varve_diag_list *list)
{
	return count_severity(list, VARVE_SEVERITY_WARNING);
}

int varve_diag__add(varve_diag_list *list, varve_severity severity,
		    const char *code, const char *file, unsigned line,
		    unsigned column, const char *fmt, ...)
{
	varve_diag *d;
	va_list ap;
	char small[512];
	char *message;
	int n;

	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		varve_diag *items = realloc(list->items, cap * sizeof(*items));

		if (!items)
			return varve_error__oom();
		list->items = items;
		list->cap = cap;
	}
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	message = varve_arena_alloc(&list->strings, (size_t)n + 1);
	if (!message)
		return varve_error__oom();
	if ((size_t)n < sizeof(small)) {
		memcpy(message, small, (size_t)n + 1);
	} else {
		va_start(ap, fmt);
		vsnprintf(message, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	d = &list->items[list->count];
	d->severity = severity;
	d->code = code;
	d->message = message;
	d->file = NULL;
	if (file && !(d->file = varve_arena_strdup(&list->strings, file)))
		return varve_error__oom();
	d->line = line;
	d->column = column;
	list->count++;
	return 0;
}

int varve_diag__append(varve_diag_list *dst, const varve_diag_list *src)
{
	for (size_t i = 0; i < src->count; i++) {
		const varve_diag *d = &src->items[i];
		int error = varve_diag__add(dst, d->severity, d->code, d->file,
					    d->line, d->column, "%s", d->message);

		if (error)
			return error;
	}
	return 0;
}

/* A merge sort keeps findings at one position in discovery order. */
static int diag_cmp(const varve_diag *a, const varve_diag *b)
{
	int c;

	if (!a->file || !b->file) {
		if (a->file || b->file)
			return a->file ? 1 : -1;
	} else if ((c = strcmp(a->file, b->file)) != 0) {
		return c;
	}
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	return 0;
}

static void merge_sort(varve_diag *items, varve_diag *tmp, size_t n)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	merge_sort(items, tmp, mid);
	merge_sort(items + mid, tmp, n - mid);
	while (i < mid && j < n)
		tmp[k++] = diag_cmp(&items[j], &items[i]) < 0 ? items[j++] : items[i++];
	while (i < mid)
		tmp[k++] = items[i++];
	while (j < n)
		tmp[k++] = items[j++];
	memcpy(items, tmp, n * sizeof(*items));
}

void varve_diag_list_sort(varve_diag_list *list)
{
	varve_diag *tmp;

	if (list->count < 2)
		return;
	tmp = malloc(list->count * sizeof(*tmp));
	if (!tmp)
		return; /* unsorted output is still correct output */
	merge_sort(list->items, tmp, list->count);
	free(tmp);
}

void varve_diag_list_promote(varve_diag_list *list, const char *code)
{
	for (size_t i = 0; i < list->count; i++)
		if (strcmp(list->items[i].code, code) == 0)
			list->items[i].severity = VARVE_SEVERITY_ERROR;
}
