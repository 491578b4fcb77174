/*
 * varve check, the offline part (SPEC §3): the manifest, the graph, every
 * listed file and its SQL, and the files nobody lists.
 */
#include "common.h"
#include "buf.h"
#include "check.h"
#include "diag.h"
#include "error.h"
#include "graph.h"
#include "lint.h"
#include "manifest.h"
#include "sqlfile.h"
#include "strmap.h"

#include <dirent.h>
#include <pg_query.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>
#include <sys/stat.h>

typedef struct checker {
	const varve_manifest *m;
	varve_diag_list *diags;
	varve_strmap listed; /* directory-relative paths the manifest names */
	varve_arena arena;   /* keys of `listed` after normalising */
	bool timestamps;     /* every timestamp revision is a finding */
	int server_version;  /* newer than the parser's grammar, or 0 */
	/* The safety lint: what each migration's upgrade recorded, by
	 * manifest index; NULL when the lint is off (and in the runner). */
	varve_lint_mig **lint;
	bool lint_creates; /* check --against: record the tables each creates */
	varve_lint_reader *reader; /* this thread's, made on first use */
} checker;

/* A server major version newer than the parser's grammar, or 0. */
static int newer_than_parser(int server_version)
{
	return server_version > PG_VERSION_NUM / 10000 ? server_version : 0;
}

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * "./a//b.sql" and "a/b.sql" name the same file. A path that is already
 * plain is returned as it is (the manifest outlives the checker).
 */
static const char *normalise(varve_arena *arena, const char *rel)
{
	varve_buf b = VARVE_BUF_INIT;
	const char *p = rel;
	char *out;

	if (rel[0] != '/' && !strstr(rel, "//") && strncmp(rel, "./", 2) != 0 &&
	    !strstr(rel, "/./") && rel[strlen(rel) - 1] != '/')
		return rel;

	while (*p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len && !(len == 1 && p[0] == '.')) {
			if (b.len)
				varve_buf_putc(&b, '/');
			varve_buf_put(&b, p, len);
		}
		p += len;
		while (*p == '/')
			p++;
	}
	out = b.oom ? NULL : varve_arena_strdup(arena, varve_buf_cstr(&b));
	varve_buf_dispose(&b);
	return out;
}

static int note_listed(checker *c, const char *rel)
{
	const char *key = normalise(&c->arena, rel);

	if (!key)
		return varve_error__oom();
	return varve_strmap_put(&c->listed, key, 0, NULL) < 0 ? VARVE_ENOMEM : 0;
}

/*
 * How much of a statement to quote in a message: its first line, at most
 * four words, so "CREATE INDEX CONCURRENTLY posts_user_idx" names it.
 */
static int statement_head(const char *text, size_t len)
{
	size_t i = 0;
	int words = 0;

	while (i < len && text[i] != '\n' && text[i] != '\r') {
		if (text[i] == ' ' && ++words == 4)
			break;
		i++;
	}
	while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t'))
		i--;
	return (int)(i > 60 ? 60 : i);
}

const char *varve_parser_version(void)
{
	return PG_VERSION;
}

int varve_parser_major(void)
{
	return PG_VERSION_NUM / 10000;
}

/*
 * varve_sqlfile__analyze for a server newer than the parser's grammar: SQL
 * the parser rejects may be that server's new syntax (JSON_TABLE in 17),
 * so its sql-syntax findings become parser-too-old warnings. A NUL byte
 * is no grammar's: that one stays an error.
 */
static int analyze_newer(checker *c, const varve_sqlfile *f, varve_section_kind kind,
			 char *checksum, varve_statement **stmts, size_t *count,
			 varve_lint_reader *lm)
{
	varve_diag_list *found = NULL;
	size_t len;
	const char *text = varve_sqlfile_text(f, kind, &len);
	bool nul = text && memchr(text, '\0', len) != NULL;
	int error, status;

	if ((error = varve_diag_list_new(&found)) != 0)
		return error;
	status = varve_sqlfile__analyze_each(f, kind, checksum, stmts, count, found,
					     lm ? varve_lint__statement : NULL, lm);
	for (size_t i = 0; i < varve_diag_list_count(found) && !error; i++) {
		const varve_diag *d = varve_diag_list_at(found, i);

		if (strcmp(d->code, "sql-syntax") == 0 && !nul)
			error = varve_diag__warning(c->diags, "parser-too-old", d->file, d->line,
				d->column, "%s (varve's SQL parser knows PostgreSQL %s; the "
				"server is %d: this may be its newer syntax)", d->message,
				PG_VERSION, c->server_version);
		else
			error = varve_diag__add(c->diags, d->severity, d->code, d->file, d->line,
						d->column, "%s", d->message);
	}
	varve_diag_list_free(found);
	return error ? error : status;
}

/*
 * Parse a section, then report the statements a transaction cannot hold.
 * Returns VARVE_ENOMEM only; SQL problems are findings.
 */
static int check_section(checker *c, const varve_migration *mig, bool transaction,
			 const varve_sqlfile *f, varve_section_kind kind,
			 const char *display, char *checksum, size_t *statements)
{
	varve_statement *stmts = NULL;
	varve_lint_reader *lm = NULL;
	size_t count = 0;
	int error;

	*statements = 0;
	/* The lint reads the upgrade's statements as they are found. */
	if (c->lint && kind == VARVE_SECTION_UP) {
		if ((error = varve_lint__begin(&c->reader, c->m, mig, f, kind, display,
					       transaction, c->lint_creates)) != 0)
			return error;
		lm = c->reader;
	}
	/* One scan and one parse give both the checksum and the statements. */
	if (c->server_version)
		error = analyze_newer(c, f, kind, checksum, &stmts, &count, lm);
	else
		error = varve_sqlfile__analyze_each(f, kind, checksum, &stmts, &count, c->diags,
						    lm ? varve_lint__statement : NULL, lm);
	if (error == VARVE_EINVALID) {
		varve_lint__mig_free(varve_lint__end(lm));
		*statements = 1; /* it holds something, just not valid SQL */
		return 0;
	}
	if (error) {
		varve_lint__mig_free(varve_lint__end(lm));
		return error;
	}
	if (lm) {
		varve_lint__mig_free(c->lint[mig->index]);
		c->lint[mig->index] = varve_lint__end(lm);
	}
	*statements = count;
	for (size_t i = 0; i < count && transaction; i++) {
		unsigned line, column;
		int shown;
		const char *text;

		if (!stmts[i].needs_no_transaction && !stmts[i].transaction_control)
			continue;
		varve_sqlfile_position(f, kind, stmts[i].offset, &line, &column);
		text = varve_sqlfile_text(f, kind, NULL) + stmts[i].offset;
		shown = statement_head(text, stmts[i].length);
		if (stmts[i].needs_no_transaction)
			error = varve_diag__error(c->diags, "needs-no-transaction",
				display, line, column,
				"'%.*s' cannot run inside a transaction block; "
				"set 'transaction: false' on '%s'", shown, text,
				mig->revision);
		else
			error = varve_diag__error(c->diags, "transaction-control",
				display, line, column,
				"'%.*s' in '%s': varve runs each migration in a "
				"transaction of its own; remove it, or set "
				"'transaction: false' to let the file manage its own",
				shown, text, mig->revision);
		if (error)
			break;
	}
	free(stmts);
	return error;
}

static int check_checksum(checker *c, const varve_migration *mig,
			  const char *sum)
{
	if (!mig->checksum || !*sum || strcmp(sum, mig->checksum) == 0)
		return 0; /* an unscannable text is already an sql-syntax finding */
	return varve_diag__error(c->diags, "checksum-mismatch",
		c->m->path, mig->checksum_pos.line, mig->checksum_pos.column,
		"checksum of '%s' is %s, not the recorded one; run 'varve hash' "
		"if the change is intended", mig->revision, sum);
}

/*
 * Open one listed file: missing-file and the section reader's findings.
 * *out is NULL when there is nothing to look at.
 */
static int open_sql(checker *c, const varve_migration *mig, const char *rel,
		    varve_pos pos, bool split, varve_section_kind kind,
		    varve_sqlfile **out, char **display)
{
	char *joined = NULL;
	int error = 0;

	*out = NULL;
	*display = NULL;
	/* The loader cleared every path that escapes the project, so what is
	 * left is safe to open. */
	if (!(joined = varve_manifest__file_path(c->m, rel))) {
		error = varve_error__oom();
		goto done;
	}
	error = varve_sqlfile_read(out, joined, joined, split, kind, c->diags);
	if (error == VARVE_EINVALID) {
		error = varve_diag__error(c->diags, "file-too-large", c->m->path, pos.line,
			pos.column, "'%s' of '%s' is larger than %zu MiB", joined,
			mig->revision, VARVE_SQLFILE_MAX_SIZE >> 20);
		goto done;
	}
	if (error == VARVE_EIO) {
		char reason[128];
		const char *why = errno == ENOENT ? "no such file"
			: errno == EINVAL ? "not a regular file"
			: varve_error__reason(errno, reason, sizeof(reason));

		error = varve_diag__error(c->diags, "missing-file", c->m->path, pos.line, pos.column,
			"cannot read '%s' of '%s': %s", joined, mig->revision, why);
		goto done;
	}
	if (!error) {
		*display = joined;
		joined = NULL;
	}
done:
	free(joined);
	return error;
}

/* A name that starts with its revision, or Flyway's and manticore's
 * `V<revision>__` prefix, matches. */
/*
 * Whether `base` is Flyway's name for `rev`: V (or U, its undo), the
 * version with its dots where the revision has underscores (varve import
 * maps Flyway's 1.10 to 1_10), then "__" (manticore's V1__ too).
 */
static bool flyway_name(const char *base, const char *rev)
{
	if (base[0] != 'V' && base[0] != 'U')
		return false;
	for (base++; *rev; base++, rev++)
		if (*base != *rev && !(*rev == '_' && *base == '.'))
			return false;
	return strncmp(base, "__", 2) == 0;
}

static int check_filename(checker *c, const varve_migration *mig,
			  const char *rel, varve_pos pos)
{
	const char *base = basename_of(rel);
	size_t n = strlen(mig->revision);

	if (strncmp(base, mig->revision, n) == 0 || flyway_name(base, mig->revision))
		return 0;
	return varve_diag__warning(c->diags, "filename-mismatch", c->m->path,
		pos.line, pos.column,
		"file name '%s' does not start with its revision '%s'", base,
		mig->revision);
}

void varve_check__sql_dispose(varve_check_sql *sql)
{
	if (!sql)
		return;
	if (sql->down != sql->up)
		varve_sqlfile_free(sql->down);
	varve_sqlfile_free(sql->up);
	if (sql->down_path != sql->up_path)
		free(sql->down_path);
	free(sql->up_path);
	memset(sql, 0, sizeof(*sql));
}

/*
 * One migration as `c` reads it: its findings into c->diags and, when
 * `out` is not NULL, its SQL for the runner.
 */
static int check_migration(checker *c, const varve_migration *mig, varve_check_sql *out)
{
	varve_check_sql s;
	size_t up_count = 0, down_count = 0;
	bool has_down = false;
	int error = 0;

	memset(&s, 0, sizeof(s));
	s.transaction = mig->transaction;
	if (out)
		memset(out, 0, sizeof(*out));
	if (c->timestamps && mig->revision && varve_manifest__is_timestamp(mig->revision) &&
	    (error = varve_diag__warning(c->diags, "timestamp-revision",
		c->m->path, mig->revision_pos.line, mig->revision_pos.column,
		"'%s' is a timestamp revision; run 'varve fix' before merging",
		mig->revision)) != 0)
		goto done;
	if (!mig->file && !mig->up)
		goto done; /* a merge without SQL, or the loader said why */

	if (mig->file) {
		if ((error = check_filename(c, mig, mig->file, mig->file_pos)) != 0 ||
		    (error = open_sql(c, mig, mig->file, mig->file_pos, true,
				      VARVE_SECTION_UP, &s.up, &s.up_path)) != 0 || !s.up)
			goto done;
		s.down = s.up;
		s.down_path = s.up_path;
		has_down = varve_sqlfile_has(s.up, VARVE_SECTION_DOWN);
	} else {
		if ((error = check_filename(c, mig, mig->up, mig->up_pos)) != 0 ||
		    (error = open_sql(c, mig, mig->up, mig->up_pos, false,
				      VARVE_SECTION_UP, &s.up, &s.up_path)) != 0)
			goto done;
		if (mig->down) {
			if ((error = check_filename(c, mig, mig->down, mig->down_pos)) != 0 ||
			    (error = open_sql(c, mig, mig->down, mig->down_pos, false,
					      VARVE_SECTION_DOWN, &s.down,
					      &s.down_path)) != 0)
				goto done;
			has_down = s.down != NULL;
		}
	}
	if (s.up && varve_sqlfile__no_transaction(s.up))
		s.transaction = false;
	if (s.up) {
		varve_pos at = mig->file ? mig->file_pos : mig->up_pos;

		if ((error = check_section(c, mig, s.transaction, s.up, VARVE_SECTION_UP,
					   s.up_path, s.checksum, &up_count)) != 0)
			goto done;
		if (!up_count &&
		    (error = varve_diag__error(c->diags, "empty-upgrade",
			c->m->path, at.line, at.column,
			"the upgrade SQL of '%s' is empty", mig->revision)) != 0)
			goto done;
		if ((error = check_checksum(c, mig, s.checksum)) != 0)
			goto done;
	}
	if (s.down && has_down &&
	    (error = check_section(c, mig, s.transaction, s.down, VARVE_SECTION_DOWN,
				   s.down_path, NULL, &down_count)) != 0)
		goto done;
	/* A missing file is already an error; do not also ask for its downgrade. */
	if (mig->file ? s.up && !has_down : !mig->down)
		error = varve_diag__warning(c->diags, "missing-downgrade",
			c->m->path, mig->revision_pos.line, mig->revision_pos.column,
			"'%s' has no downgrade; add one, or an empty downgrade "
			"section with a comment to say it is deliberate",
			mig->revision);
done:
	if (out && !error)
		*out = s;
	else
		varve_check__sql_dispose(&s);
	return error;
}

int varve_check__migration(const varve_manifest *m, const varve_migration *mig,
			   varve_diag_list *diags, varve_check_sql *out)
{
	/* The runner's reading: no timestamp finding (a choice, not a fault),
	 * and the manifest's server version, as check takes it. */
	checker c = { m, diags, VARVE_STRMAP_INIT, VARVE_ARENA_INIT, false,
		      newer_than_parser(m->server_version), NULL, false, NULL };

	return check_migration(&c, mig, out);
}

/*
 * Reading and parsing the SQL files is most of the work of a check and
 * each migration's is independent, so they are shared among threads, each
 * with its own findings; the findings are sorted afterwards anyway.
 */
#define CHUNK 64
#define MAX_THREADS 8

typedef struct worker {
	checker c; /* a copy whose `diags` is the worker's own */
	atomic_size_t *next;
	int error;
	pthread_t thread;
} worker;

static void *work(void *arg)
{
	worker *w = arg;
	size_t count = w->c.m->count;

	for (;;) {
		size_t start = atomic_fetch_add(w->next, CHUNK);

		if (start >= count || w->error)
			break;
		for (size_t i = start; i < count && i < start + CHUNK && !w->error; i++)
			w->error = check_migration(&w->c, w->c.m->migrations[i], NULL);
	}
	return NULL;
}

static int check_migrations(checker *c)
{
	worker workers[MAX_THREADS];
	atomic_size_t next = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = cpus > 1 ? (size_t)cpus : 1, started = 0;
	int error = 0;

	if (n > MAX_THREADS)
		n = MAX_THREADS;
	if (c->m->count < 4 * CHUNK)
		n = 1;
	for (size_t i = 0; n > 1 && i < n; i++) {
		workers[i].c = *c;
		workers[i].c.reader = NULL; /* each thread its own */
		workers[i].next = &next;
		workers[i].error = 0;
		if (varve_diag_list_new(&workers[i].c.diags) != 0)
			break;
		if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0) {
			varve_diag_list_free(workers[i].c.diags);
			break;
		}
		started++;
	}
	if (!started) {
		for (size_t i = 0; i < c->m->count && !error; i++)
			error = check_migration(c, c->m->migrations[i], NULL);
		return error;
	}
	/* Threads that did not start leave their share to those that did. */
	for (size_t i = 0; i < started; i++) {
		pthread_join(workers[i].thread, NULL);
		if (!error && workers[i].error)
			error = varve_error__set(workers[i].error, "cannot check the SQL files: %s",
						 workers[i].error == VARVE_ENOMEM ? "out of memory" : "failed");
		if (!error)
			error = varve_diag__append(c->diags, workers[i].c.diags);
		varve_diag_list_free(workers[i].c.diags);
		varve_lint__reader_free(workers[i].c.reader);
	}
	return error;
}

static int unlisted(checker *c, const char *rel)
{
	char *full = varve_manifest__file_path(c->m, rel);
	int error;

	if (!full)
		return varve_error__oom();
	error = varve_diag__warning(c->diags, "unlisted-file", full, 0, 0,
				    "no entry of '%s' lists this file", c->m->path);
	free(full);
	return error;
}

static bool ends_with_sql(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcmp(name + n - 4, ".sql") == 0;
}

/* Walk the directory (and its subfolders) for .sql files nobody lists. */
static int check_unlisted(checker *c, const char *rel_dir, int depth)
{
	varve_buf path = VARVE_BUF_INIT, rel = VARVE_BUF_INIT;
	struct dirent *e;
	DIR *dir;
	int error = 0;

	if (depth > 16)
		return 0;
	if (*rel_dir)
		varve_buf_printf(&path, "%s/%s", c->m->directory_path, rel_dir);
	else
		varve_buf_puts(&path, c->m->directory_path);
	if (path.oom)
		return varve_error__oom();
	/* Unsorted is fine: the findings are sorted at the end. */
	if (!(dir = opendir(path.ptr)))
		goto done; /* no directory: missing-file findings say enough */
	while (!error && (e = readdir(dir)) != NULL) {
		unsigned char type = e->d_type;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		varve_buf_clear(&rel);
		if (*rel_dir)
			varve_buf_printf(&rel, "%s/", rel_dir);
		varve_buf_puts(&rel, e->d_name);
		if (rel.oom) {
			error = varve_error__oom();
			break;
		}
		/* The listing's type spares an lstat per file. */
		if (type == DT_UNKNOWN) {
			char *full = varve_manifest__file_path(c->m, rel.ptr);

			if (full && lstat(full, &st) == 0)
				type = S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
			free(full);
		}
		if (type == DT_DIR)
			error = check_unlisted(c, rel.ptr, depth + 1);
		else if (type != DT_UNKNOWN && ends_with_sql(e->d_name) &&
			 !varve_strmap_get(&c->listed, rel.ptr, NULL))
			error = unlisted(c, rel.ptr);
	}
	closedir(dir);
done:
	varve_buf_dispose(&rel);
	varve_buf_dispose(&path);
	return error;
}

int varve_check(const char *path, const varve_check_options *options,
		varve_diag_list *diags)
{
	static const varve_check_options defaults = VARVE_CHECK_OPTIONS_INIT;
	checker c = { NULL, diags, VARVE_STRMAP_INIT, VARVE_ARENA_INIT, false, 0, NULL, false,
		      NULL };
	varve_manifest *m = NULL;
	varve_graph *graph = NULL;
	varve_strmap known = VARVE_STRMAP_INIT;
	varve_arena known_arena = VARVE_ARENA_INIT;
	int error;

	if (!options)
		options = &defaults;
	error = varve_manifest_load(&m, path, diags);
	if (error == VARVE_EINVALID) {
		error = 0; /* a yaml-syntax finding says it all */
		goto done;
	}
	if (error)
		goto done;
	c.m = m;
	/* Timestamps are a choice (naming: timestamp, the default): a finding
	 * only where sequential numbers are asked for; with --against, the
	 * ones this branch adds are (varve_check__against). */
	c.timestamps = options->sequential ||
		       (m->has_naming && m->naming == VARVE_NAMING_SEQUENTIAL);
	c.lint_creates = options->against != NULL;
	c.server_version = newer_than_parser(options->server_version ? options->server_version
								     : m->server_version);
	if ((error = varve_graph_build(&graph, m, diags)) != 0)
		goto done;
	if (!options->no_lint && m->count &&
	    !(c.lint = calloc(m->count, sizeof(*c.lint)))) {
		error = varve_error__oom();
		goto done;
	}
	for (size_t i = 0; i < m->count; i++) {
		const varve_migration *mig = m->migrations[i];
		const char *paths[] = { mig->file, mig->up, mig->down };

		for (size_t k = 0; k < VARVE_ARRAY_SIZE(paths) && !error; k++)
			if (paths[k])
				error = note_listed(&c, paths[k]);
		if (error)
			goto done;
	}
	if ((error = check_migrations(&c)) != 0)
		goto done;
	/* A refused directory is not listed: its names are not ours to show. */
	if (!m->directory_refused && (error = check_unlisted(&c, "", 0)) != 0)
		goto done;
	if (options->against &&
	    (error = varve_check__against(m, options->against, !c.timestamps, diags,
					  c.lint ? &known : NULL, &known_arena)) != 0)
		goto done;
	if (c.lint && (error = varve_lint__report(graph, c.lint, options->against ? &known : NULL,
						  options->strict, diags)) != 0)
		goto done;
	if (options->strict) {
		varve_diag_list_promote(diags, "missing-downgrade");
		varve_diag_list_promote(diags, "unlisted-file");
	}
	if (options->sequential)
		varve_diag_list_promote(diags, "timestamp-revision");
	varve_diag_list_sort(diags);
done:
	for (size_t i = 0; c.lint && i < m->count; i++)
		varve_lint__mig_free(c.lint[i]);
	varve_lint__reader_free(c.reader);
	free(c.lint);
	varve_strmap_dispose(&known);
	varve_arena_dispose(&known_arena);
	varve_graph_free(graph);
	varve_manifest_free(m);
	varve_strmap_dispose(&c.listed);
	varve_arena_dispose(&c.arena);
	return error;
}
