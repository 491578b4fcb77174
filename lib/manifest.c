#include "manifest.h"
#include "buf.h"
#include "diag.h"
#include "error.h"

int varve_manifest__new(varve_manifest **out, const char *path)
{
	varve_manifest *m;
	const char *slash;
	int error = 0;

	*out = NULL;
	if (!(m = calloc(1, sizeof(*m))))
		return varve_error__oom();
	slash = strrchr(path, '/');
	if (!(m->path = varve_arena_strdup(&m->arena, path)))
		goto oom;
	if (!slash)
		m->base = ".";
	else if (slash == path)
		m->base = "/";
	else if (!(m->base = varve_arena_strndup(&m->arena, path,
						  (size_t)(slash - path))))
		goto oom;
	m->format_version = 1;
	m->version_table = "varve_version";
	m->naming = VARVE_NAMING_TIMESTAMP;
	m->lint_small_table_rows = 10000; /* VARVE_LINT_SMALL_TABLE_ROWS */
	if ((error = varve_manifest__set_directory(m, "migrations")) != 0)
		goto fail;
	*out = m;
	return 0;
oom:
	error = varve_error__oom();
fail:
	varve_manifest_free(m);
	return error;
}

int varve_manifest__set_directory(varve_manifest *m, const char *dir)
{
	varve_buf b = VARVE_BUF_INIT;

	if (!(m->directory = varve_arena_strdup(&m->arena, dir)))
		return varve_error__oom();
	if (strcmp(m->base, ".") == 0)
		varve_buf_puts(&b, dir);
	else
		varve_buf_printf(&b, "%s/%s", m->base, dir);
	/* Trailing slashes would double up in joined paths. */
	while (b.len > 1 && b.ptr[b.len - 1] == '/')
		b.ptr[--b.len] = '\0';
	if (b.oom || !(m->directory_path = varve_arena_strdup(&m->arena, b.ptr))) {
		varve_buf_dispose(&b);
		return varve_error__oom();
	}
	varve_buf_dispose(&b);
	return 0;
}

void varve_manifest_free(varve_manifest *m)
{
	if (!m)
		return;
	free(m->migrations);
	varve_arena_dispose(&m->arena);
	free(m);
}

char *varve_manifest__strdup(varve_manifest *m, const char *s)
{
	return varve_arena_strdup(&m->arena, s);
}

char *varve_manifest__strndup(varve_manifest *m, const char *s, size_t len)
{
	return varve_arena_strndup(&m->arena, s, len);
}

int varve_manifest__add(varve_manifest *m, varve_migration **out,
			const char *revision, const char *const *parents,
			size_t parent_count)
{
	varve_migration *mig;

	if (m->count == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		varve_migration **grown = realloc(m->migrations,
						  cap * sizeof(*grown));

		if (!grown)
			return varve_error__oom();
		m->migrations = grown;
		m->cap = cap;
	}
	if (!(mig = varve_arena_alloc(&m->arena, sizeof(*mig))))
		return varve_error__oom();
	m->migrations[m->count] = mig;
	memset(mig, 0, sizeof(*mig));
	mig->index = m->count;
	mig->transaction = true;
	if (revision && !(mig->revision = varve_arena_strdup(&m->arena, revision)))
		return varve_error__oom();
	if (parent_count) {
		mig->parents = varve_arena_alloc(&m->arena,
						 parent_count * sizeof(char *));
		mig->parent_pos = varve_arena_alloc(&m->arena,
						    parent_count * sizeof(varve_pos));
		if (!mig->parents || !mig->parent_pos)
			return varve_error__oom();
		memset(mig->parent_pos, 0, parent_count * sizeof(varve_pos));
		for (size_t i = 0; i < parent_count; i++)
			if (!(mig->parents[i] = varve_arena_strdup(&m->arena,
								   parents[i])))
				return varve_error__oom();
	}
	mig->parent_count = parent_count;
	m->count++;
	if (out)
		*out = mig;
	return 0;
}

char *varve_manifest__file_path(const varve_manifest *m, const char *rel)
{
	varve_buf b = VARVE_BUF_INIT;

	varve_buf_printf(&b, "%s/%s", m->directory_path, rel);
	return varve_buf_detach(&b);
}

const char *varve_manifest_path(const varve_manifest *m) { return m->path; }
const char *varve_manifest_directory(const varve_manifest *m) { return m->directory; }
const char *varve_manifest_version_table(const varve_manifest *m) { return m->version_table; }
varve_naming varve_manifest_naming(const varve_manifest *m) { return m->naming; }
const char *varve_manifest_schema(const varve_manifest *m) { return m->schema; }
const char *varve_manifest_database_url(const varve_manifest *m) { return m->database_url; }
int varve_manifest_server_version(const varve_manifest *m) { return m->server_version; }
size_t varve_manifest_count(const varve_manifest *m) { return m->count; }

int varve_manifest_check_url(const varve_manifest *m, varve_diag_list *diags)
{
	if (!m->database_url_unset)
		return 0;
	return varve_diag__error(diags, "unset-variable", m->path,
		m->database_url_pos.line, m->database_url_pos.column,
		"'database.url' uses ${%s}, which is not set; set it, or give a "
		"default: ${%s:-...}", m->database_url_unset, m->database_url_unset);
}

const varve_migration *varve_manifest_at(const varve_manifest *m, size_t i)
{
	assert(i < m->count);
	return m->migrations[i];
}

const char *varve_migration_revision(const varve_migration *m) { return m->revision; }
size_t varve_migration_parent_count(const varve_migration *m) { return m->parent_count; }

const char *varve_migration_parent(const varve_migration *m, size_t i)
{
	assert(i < m->parent_count);
	return m->parents[i];
}

const char *varve_migration_description(const varve_migration *m) { return m->description; }
const char *varve_migration_branch(const varve_migration *m) { return m->branch; }
const char *varve_migration_file(const varve_migration *m) { return m->file; }
const char *varve_migration_up(const varve_migration *m) { return m->up; }
const char *varve_migration_down(const varve_migration *m) { return m->down; }
const char *varve_migration_checksum(const varve_migration *m) { return m->checksum; }
bool varve_migration_transaction(const varve_migration *m) { return m->transaction; }
size_t varve_migration_index(const varve_migration *m) { return m->index; }
unsigned varve_migration_line(const varve_migration *m) { return m->pos.line; }

bool varve_manifest__is_sequential(const char *rev)
{
	size_t n = strlen(rev);

	if (!n || n == 14 || n > 18)
		return false;
	for (size_t i = 0; i < n; i++)
		if (rev[i] < '0' || rev[i] > '9')
			return false;
	return true;
}

void varve_manifest__sequential_max(const varve_manifest *m,
				    unsigned long long *max, int *width)
{
	for (size_t i = 0; i < m->count; i++) {
		const char *rev = m->migrations[i]->revision;
		unsigned long long v;

		if (!rev || !varve_manifest__is_sequential(rev))
			continue;
		v = strtoull(rev, NULL, 10);
		if (v > *max)
			*max = v;
		if ((int)strlen(rev) > *width)
			*width = (int)strlen(rev);
	}
}

/* A 14-digit revision that reads as YYYYMMDDHHMMSS. */
bool varve_manifest__is_timestamp(const char *rev)
{
	int month, day, hour, minute, second;

	if (strlen(rev) != 14)
		return false;
	for (int i = 0; i < 14; i++)
		if (rev[i] < '0' || rev[i] > '9')
			return false;
#define FIELD(at) ((rev[at] - '0') * 10 + (rev[(at) + 1] - '0'))
	month = FIELD(4);
	day = FIELD(6);
	hour = FIELD(8);
	minute = FIELD(10);
	second = FIELD(12);
#undef FIELD
	return month >= 1 && month <= 12 && day >= 1 && day <= 31 &&
	       hour <= 23 && minute <= 59 && second <= 60;
}
