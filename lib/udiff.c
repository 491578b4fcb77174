/*
 * A unified diff of two texts, for `check --schema`: Myers' O(ND)
 * algorithm ("An O(ND) Difference Algorithm and Its Variations", 1986)
 * over lines, with the common prefix and suffix set aside first.
 */
#include "schema.h"
#include "error.h"

typedef struct line {
	const char *p;
	size_t len;
} line;

static int split(const char *text, line **out, size_t *n)
{
	size_t cap = 16, count = 0;
	line *v = malloc(cap * sizeof(*v));

	if (!v)
		return varve_error__oom();
	while (*text) {
		size_t len = strcspn(text, "\n");

		if (count == cap) {
			line *grown = realloc(v, (cap *= 2) * sizeof(*v));

			if (!grown) {
				free(v);
				return varve_error__oom();
			}
			v = grown;
		}
		v[count].p = text;
		v[count++].len = len;
		text += len + (text[len] == '\n');
	}
	*out = v;
	*n = count;
	return 0;
}

static bool same(const line *a, const line *b)
{
	return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

/* Edit operations: ' ' keep a line of both, '-' a line of a, '+' of b. */
typedef struct script {
	char *ops;
	size_t n;
} script;

/*
 * The shortest edit script from a[0..n) to b[0..m). The search keeps the
 * furthest reaching paths of each step d; their number grows as d², so a
 * difference of more than `limit` lines is shown as all removed, all
 * added.
 */
static int myers(const line *a, size_t n, const line *b, size_t m, script *s)
{
	enum { LIMIT = 4000 };
	long max = (long)(n + m), dmax = max < LIMIT ? max : LIMIT, d, found = -1;
	long *v = NULL, **trace = NULL;
	size_t x, y, len;
	int error = 0;

	s->ops = malloc(n + m + 1);
	s->n = 0;
	v = calloc((size_t)(2 * dmax + 3), sizeof(*v));
	trace = calloc((size_t)dmax + 1, sizeof(*trace));
	if (!s->ops || !v || !trace) {
		error = varve_error__oom();
		goto done;
	}
	for (d = 0; d <= dmax && found < 0; d++) {
		for (long k = -d; k <= d; k += 2) {
			long xx = (k == -d || (k != d && v[k - 1 + dmax + 1] < v[k + 1 + dmax + 1]))
				      ? v[k + 1 + dmax + 1]
				      : v[k - 1 + dmax + 1] + 1;
			long yy = xx - k;

			while (xx < (long)n && yy < (long)m && same(&a[xx], &b[yy])) {
				xx++;
				yy++;
			}
			v[k + dmax + 1] = xx;
			if (xx >= (long)n && yy >= (long)m) {
				found = d;
				break;
			}
		}
		if (!(trace[d] = malloc((size_t)(2 * dmax + 3) * sizeof(long)))) {
			error = varve_error__oom();
			goto done;
		}
		memcpy(trace[d], v, (size_t)(2 * dmax + 3) * sizeof(long));
	}
	if (found < 0) {
		memset(s->ops, '-', n);
		memset(s->ops + n, '+', m);
		s->n = n + m;
		goto done;
	}
	/* Walk back from (n, m), writing the script from its end. */
	len = n + m;
	x = n;
	y = m;
	{
		size_t w = len;

		for (d = found; d > 0; d--) {
			long *pv = trace[d - 1];
			long k = (long)x - (long)y, pk, px, py;

			if (k == -d || (k != d && pv[k - 1 + dmax + 1] < pv[k + 1 + dmax + 1]))
				pk = k + 1;
			else
				pk = k - 1;
			px = pv[pk + dmax + 1];
			py = px - pk;
			while ((long)x > px && (long)y > py) {
				s->ops[--w] = ' ';
				x--;
				y--;
			}
			if (pk == k + 1) {
				s->ops[--w] = '+';
				y--;
			} else {
				s->ops[--w] = '-';
				x--;
			}
		}
		while (x > 0 && y > 0) {
			s->ops[--w] = ' ';
			x--;
			y--;
		}
		memmove(s->ops, s->ops + w, len - w);
		s->n = len - w;
	}
done:
	if (trace)
		for (d = 0; d <= dmax; d++)
			free(trace[d]);
	free(trace);
	free(v);
	return error;
}

int varve_schema__unified(char **out, const char *ta, const char *tb, const char *name)
{
	enum { CONTEXT = 3 };
	line *a = NULL, *b = NULL;
	size_t n = 0, m = 0, pre = 0, suf = 0;
	script s = {NULL, 0};
	char *ops = NULL;
	size_t total;
	varve_buf text = VARVE_BUF_INIT;
	int error;

	*out = NULL;
	if ((error = split(ta, &a, &n)) != 0 || (error = split(tb, &b, &m)) != 0)
		goto done;
	while (pre < n && pre < m && same(&a[pre], &b[pre]))
		pre++;
	while (suf < n - pre && suf < m - pre && same(&a[n - 1 - suf], &b[m - 1 - suf]))
		suf++;
	if ((error = myers(a + pre, n - pre - suf, b + pre, m - pre - suf, &s)) != 0)
		goto done;
	total = pre + s.n + suf;
	if (!(ops = malloc(total + 1))) {
		error = varve_error__oom();
		goto done;
	}
	memset(ops, ' ', pre);
	memcpy(ops + pre, s.ops, s.n);
	memset(ops + pre + s.n, ' ', suf);
	varve_buf_puts(&text, "");
	if (pre == n && pre == m)
		goto finish;
	varve_buf_printf(&text, "--- %s (checked in)\n+++ %s (from the migrations)\n", name, name);
	/* Hunks: runs of changes with CONTEXT lines around, joined when
	 * their contexts meet. */
	for (size_t i = 0, ai = 0, bi = 0; i < total;) {
		size_t start, end, as, bs, ac = 0, bc = 0, j, gap;

		if (ops[i] == ' ') {
			i++;
			ai++;
			bi++;
			continue;
		}
		start = i > CONTEXT ? i - CONTEXT : 0;
		as = ai - (i - start);
		bs = bi - (i - start);
		end = i;
		for (;;) {
			while (end < total && ops[end] != ' ')
				end++;
			for (gap = 0; end + gap < total && ops[end + gap] == ' '; gap++)
				;
			if (end + gap < total && gap <= 2 * CONTEXT)
				end += gap;
			else
				break;
		}
		end = end + CONTEXT < total ? end + CONTEXT : total;
		for (j = start; j < end; j++) {
			ac += ops[j] != '+';
			bc += ops[j] != '-';
		}
		varve_buf_printf(&text, "@@ -%zu,%zu +%zu,%zu @@\n", ac ? as + 1 : as, ac,
				 bc ? bs + 1 : bs, bc);
		for (j = start, ai = as, bi = bs; j < end; j++) {
			const line *l = ops[j] == '+' ? &b[bi] : &a[ai];

			varve_buf_putc(&text, ops[j]);
			varve_buf_put(&text, l->p, l->len);
			varve_buf_putc(&text, '\n');
			ai += ops[j] != '+';
			bi += ops[j] != '-';
		}
		i = end;
	}
finish:
	if (text.oom) {
		error = varve_error__oom();
		goto done;
	}
	*out = varve_buf_detach(&text);
	if (!*out)
		error = varve_error__oom();
done:
	varve_buf_dispose(&text);
	free(ops);
	free(s.ops);
	free(a);
	free(b);
	return error;
}
