#include "diag.h"
#include "arena.h"
#include "error.h"

/* A finding and what only the library needs of it: the table a lint
 * finding concerns, and whether its rule depends on that table's size. */
typedef struct diag_item {
	varve_diag d; /* first: varve_diag_list_at returns its address */
	const char *subject;
	const char *origin; /* the revision whose SQL a lint finding is in */
	bool size_dependent;
} diag_item;

struct varve_diag_list {
	diag_item *items;
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
	return &list->items[i].d;
}

static size_t count_severity(const varve_diag_list *list, varve_severity sev)
{
	size_t n = 0;

	for (size_t i = 0; i < list->count; i++)
		n += list->items[i].d.severity == sev;
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
	diag_item *item;
	varve_diag *d;
	va_list ap;
	char small[512];
	char *message;
	int n;

	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		diag_item *items = realloc(list->items, cap * sizeof(*items));

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
	item = &list->items[list->count];
	memset(item, 0, sizeof(*item));
	d = &item->d;
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

int varve_diag__annotate(varve_diag_list *list, const char *hint, const char *docs,
			 const char *subject, bool size_dependent, const char *origin)
{
	diag_item *item;

	assert(list->count > 0);
	item = &list->items[list->count - 1];
	if ((hint && !(item->d.hint = varve_arena_strdup(&list->strings, hint))) ||
	    (docs && !(item->d.docs = varve_arena_strdup(&list->strings, docs))) ||
	    (subject && !(item->subject = varve_arena_strdup(&list->strings, subject))) ||
	    (origin && !(item->origin = varve_arena_strdup(&list->strings, origin))))
		return varve_error__oom();
	item->size_dependent = size_dependent;
	return 0;
}

const char *varve_diag__subject(const varve_diag_list *list, size_t i, bool *size_dependent,
				const char **origin)
{
	assert(i < list->count);
	if (size_dependent)
		*size_dependent = list->items[i].size_dependent;
	if (origin)
		*origin = list->items[i].origin;
	return list->items[i].subject;
}

void varve_diag__remove(varve_diag_list *list, const bool *drop)
{
	size_t j = 0;

	for (size_t i = 0; i < list->count; i++)
		if (!drop[i])
			list->items[j++] = list->items[i];
	list->count = j;
}

int varve_diag__append(varve_diag_list *dst, const varve_diag_list *src)
{
	for (size_t i = 0; i < src->count; i++) {
		const diag_item *it = &src->items[i];
		const varve_diag *d = &it->d;
		int error = varve_diag__add(dst, d->severity, d->code, d->file,
					    d->line, d->column, "%s", d->message);

		if (!error && (d->hint || d->docs || it->subject || it->origin))
			error = varve_diag__annotate(dst, d->hint, d->docs, it->subject,
						     it->size_dependent, it->origin);
		if (error)
			return error;
	}
	return 0;
}

/* A merge sort keeps findings at one position in discovery order. */
static int diag_cmp(const diag_item *x, const diag_item *y)
{
	const varve_diag *a = &x->d, *b = &y->d;
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

static void merge_sort(diag_item *items, diag_item *tmp, size_t n)
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
	diag_item *tmp;

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
		if (strcmp(list->items[i].d.code, code) == 0)
			list->items[i].d.severity = VARVE_SEVERITY_ERROR;
}
