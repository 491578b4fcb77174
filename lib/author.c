/*
 * The authoring commands (SPEC §6): init, new, merge and hash. Each loads
 * the manifest for its positions, plans its edits on the text with the
 * rewriter, and writes the manifest once, atomically.
 */
#include "common.h"
#include "author.h"
#include "buf.h"
#include "diag.h"
#include "error.h"
#include "fix.h"
#include "graph.h"
#include "manifest.h"
#include "path.h"
#include "rewrite.h"
#include "sqlfile.h"

#include <dirent.h>
#include <fcntl.h>
#include <iconv.h>
#include <locale.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SLUG_MAX 50
#define TIMESTAMP_LEN 14

/* ---------------------------------------------------------------------------
 * Shared steps
 */

void varve_added_dispose(varve_added *added)
{
	if (!added)
		return;
	free(added->revision);
	free(added->file);
	for (size_t i = 0; i < added->parent_count; i++)
		free(added->parents[i]);
	free(added->parents);
	memset(added, 0, sizeof(*added));
}

/*
 * Load the manifest (and with `graph`, its graph) for an edit. Findings
 * go to `diags`; any error among them refuses the edit, except several
 * heads or roots, which are what `merge` is for.
 */
int varve_author__load(varve_manifest **m, varve_graph **g, const char *path,
		       varve_diag_list *diags)
{
	varve_diag_list *own = NULL;
	size_t errors = 0;
	int error;

	*m = NULL;
	if (g)
		*g = NULL;
	if ((error = varve_fix__pending(path)) != 0)
		return error;
	if ((error = varve_diag_list_new(&own)) != 0)
		return error;
	if ((error = varve_manifest_load(m, path, own)) != 0)
		goto done;
	if (g && (error = varve_graph_build(g, *m, own)) != 0)
		goto done;
	for (size_t i = 0; i < varve_diag_list_count(own); i++) {
		const varve_diag *d = varve_diag_list_at(own, i);

		if (d->severity == VARVE_SEVERITY_ERROR && strcmp(d->code, "multiple-heads") != 0 &&
		    strcmp(d->code, "multiple-roots") != 0)
			errors++;
	}
	if (errors)
		error = varve_error__set(VARVE_EINVALID,
					 "cannot edit '%s': it has %zu "
					 "error%s (see 'varve check')",
					 path, errors, errors == 1 ? "" : "s");
done:
	/* The findings explain a refusal; on success they are not news
	 * (several heads are what merge is for). */
	if (error && diags && varve_diag__append(diags, own) != 0)
		error = varve_error__oom();
	varve_diag_list_free(own);
	if (error) {
		if (g) {
			varve_graph_free(*g);
			*g = NULL;
		}
		varve_manifest_free(*m);
		*m = NULL;
	}
	return error;
}

/* Whether an entry of `m` names `name` (relative to the directory). */
static bool listed(const varve_manifest *m, const char *name)
{
	for (size_t i = 0; i < m->count; i++) {
		const varve_migration *mig = m->migrations[i];

		if ((mig->file && strcmp(mig->file, name) == 0) ||
		    (mig->up && strcmp(mig->up, name) == 0) ||
		    (mig->down && strcmp(mig->down, name) == 0))
			return true;
	}
	return false;
}

/*
 * The stale temporary files in `folder`; with `m`, a file `new` linked
 * into place from one goes too when the manifest does not list it. With
 * `only` (len bytes), only those of that base name.
 */
static void sweep_folder(const char *folder, const char *only, size_t only_len,
			 const char *only2, const varve_manifest *m)
{
	varve_buf at = VARVE_BUF_INIT, final = VARVE_BUF_INIT;
	DIR *dir = opendir(folder);
	struct dirent *de;

	if (!dir)
		return;
	while ((de = readdir(dir))) {
		size_t base_len;
		struct stat t, f;

		if (!varve_rewrite__stale(de->d_name, &base_len))
			continue;
		/* In the migrations folder, only what `new` writes. */
		if (!only && (base_len < 4 || memcmp(de->d_name + 1 + base_len - 4, ".sql", 4) != 0))
			continue;
		if (only && !(base_len == only_len && memcmp(de->d_name + 1, only, only_len) == 0) &&
		    !(only2 && base_len == strlen(only2) &&
		      memcmp(de->d_name + 1, only2, base_len) == 0))
			continue;
		varve_buf_clear(&at);
		varve_buf_clear(&final);
		varve_buf_printf(&at, "%s/%s", folder, de->d_name);
		varve_buf_printf(&final, "%s/%.*s", folder, (int)base_len, de->d_name + 1);
		if (at.oom || final.oom)
			break;
		if (m && lstat(at.ptr, &t) == 0 && S_ISREG(t.st_mode) && lstat(final.ptr, &f) == 0 &&
		    t.st_dev == f.st_dev && t.st_ino == f.st_ino) {
			char name[4096];

			snprintf(name, sizeof(name), "%.*s", (int)base_len, de->d_name + 1);
			if (!listed(m, name))
				unlink(final.ptr);
		}
		unlink(at.ptr);
	}
	closedir(dir);
	varve_buf_dispose(&at);
	varve_buf_dispose(&final);
}

void varve_author__sweep(const char *path, const varve_manifest *m)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char folder[4096];

	if (slash)
		snprintf(folder, sizeof(folder), "%.*s", (int)(slash - path), path);
	else
		snprintf(folder, sizeof(folder), ".");
	if (!*folder)
		snprintf(folder, sizeof(folder), "/");
	sweep_folder(folder, base, strlen(base), VARVE_FIX_JOURNAL, NULL);
	if (m && !m->directory_refused && m->directory_path)
		sweep_folder(m->directory_path, NULL, 0, NULL, m);
}

/*
 * The revision for a new entry: a timestamp not yet taken (one second later
 * while it is), or one more than the highest sequential number, at the
 * widest width in use (default 4). Timestamps do not count as sequential.
 */
static int next_revision(char *out, size_t size, const varve_manifest *m, const varve_graph *g,
			 const varve_new_options *o)
{
	varve_naming naming = o->override_naming ? o->naming : m->naming;

	if (naming == VARVE_NAMING_TIMESTAMP) {
		time_t t = o->now ? (time_t)o->now : time(NULL);

		for (;; t++) {
			struct tm tm;

			if (!gmtime_r(&t, &tm) ||
			    strftime(out, size, "%Y%m%d%H%M%S", &tm) != TIMESTAMP_LEN)
				return varve_error__set(VARVE_ERROR, "cannot format the time");
			if (varve_graph_find(g, out) < 0)
				return 0;
		}
	} else {
		unsigned long long max = 0;
		int width = 0;

		varve_manifest__sequential_max(m, &max, &width);
		snprintf(out, size, "%0*llu", width ? width : 4, max + 1);
		return 0;
	}
}

/*
 * Latin-1's letters without their marks, for a C library without a UTF-8
 * locale to transliterate with (U+00C0 to U+00FF; "_" for the signs).
 */
static const char *const latin1[64] = {
	"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
	"D", "N", "O", "O", "O", "O", "O", "_", "O", "U", "U", "U", "U", "Y", "TH", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "_", "o", "u", "u", "u", "u", "y", "th", "y",
};

/* The fallback: Latin-1 letters by the table, anything else not ASCII '_'. */
static void ascii_by_table(varve_buf *b, const char *desc)
{
	const unsigned char *u = (const unsigned char *)desc;

	while (*u) {
		if (*u < 0x80) {
			varve_buf_putc(b, (char)*u++);
		} else if ((*u == 0xC3) && u[1] >= 0x80 && u[1] <= 0xBF) {
			varve_buf_puts(b, latin1[u[1] - 0x80]);
			u += 2;
		} else {
			varve_buf_putc(b, '_');
			u++;
			while ((*u & 0xC0) == 0x80)
				u++;
		}
	}
}

/*
 * The description in ASCII for a file name, transliterated as iconv's
 * "ASCII//TRANSLIT" does under a UTF-8 locale (Ünïcode → Unicode,
 * Straße → Strasse, Łódź → Lodz). The locale is the calling thread's for
 * the conversion only (uselocale), never the process's. Without such a
 * locale (or iconv), Latin-1 letters lose their marks by a table. What
 * has no ASCII form (CJK, emoji) becomes '?' or '_': a separator in the
 * slug. Malloc'd; NULL when out of memory.
 */
static char *ascii_description(const char *desc)
{
	static const char *const names[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8"};
	varve_buf b = VARVE_BUF_INIT;
	locale_t loc = (locale_t)0, old;
	iconv_t cd = (iconv_t)-1;
	const unsigned char *u;

	for (u = (const unsigned char *)desc; *u && *u < 0x80; u++)
		;
	if (!*u)
		return strdup(desc);
	for (size_t i = 0; i < VARVE_ARRAY_SIZE(names) && !loc; i++)
		loc = newlocale(LC_CTYPE_MASK, names[i], (locale_t)0);
	if (loc) {
		old = uselocale(loc);
		cd = iconv_open("ASCII//TRANSLIT", "UTF-8");
		if (cd != (iconv_t)-1) {
			char *in = (char *)desc, out[256];
			size_t left = strlen(desc);

			/* The slug keeps at most SLUG_MAX characters: a few
			 * buffers of output are plenty. */
			while (left && b.len < 4 * SLUG_MAX && !b.oom) {
				char *o = out;
				size_t room = sizeof(out);

				if (iconv(cd, &in, &left, &o, &room) == (size_t)-1 &&
				    errno != E2BIG) {
					/* A byte that is not UTF-8: a separator. */
					in++;
					left--;
					*o++ = '_';
				}
				varve_buf_put(&b, out, (size_t)(o - out));
			}
			iconv_close(cd);
		}
		uselocale(old);
		freelocale(loc);
	}
	if (cd == (iconv_t)-1)
		ascii_by_table(&b, desc);
	varve_buf_puts(&b, "");
	if (b.oom) {
		varve_buf_dispose(&b);
		return NULL;
	}
	return varve_buf_detach(&b);
}

/*
 * lower-case [a-z0-9_] of the description transliterated to ASCII, runs
 * of anything else one '_', at most SLUG_MAX. VARVE_ENOMEM only.
 */
static int slugify(char *out, const char *desc)
{
	char *ascii = ascii_description(desc ? desc : "");
	size_t n = 0;

	if (!ascii)
		return varve_error__oom();
	for (const char *p = ascii; *p && n < SLUG_MAX; p++) {
		char c = *p;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[n++] = c;
		else if (n && out[n - 1] != '_')
			out[n++] = '_';
	}
	free(ascii);
	while (n && out[n - 1] == '_')
		n--;
	out[n] = '\0';
	if (!n)
		snprintf(out, SLUG_MAX + 1, "migration");
	return 0;
}

/* The description on one comment line: control characters become spaces. */
static void put_comment_text(varve_buf *b, const char *s)
{
	for (; *s; s++)
		varve_buf_putc(b, (unsigned char)*s < 0x20 ? ' ' : *s);
}

/* A section's SQL as given (ending with a newline), or a blank line. */
static void put_section(varve_buf *b, const char *sql)
{
	size_t len = sql ? strlen(sql) : 0;

	if (!len) {
		varve_buf_puts(b, "\n");
		return;
	}
	varve_buf_puts(b, sql);
	if (sql[len - 1] != '\n')
		varve_buf_putc(b, '\n');
}

/* Whether `a` and `b` are equal but for white space at either end. */
static bool same_trimmed(const char *a, size_t alen, const char *b)
{
	size_t blen = b ? strlen(b) : 0;

	while (alen && strchr(" \t\r\n", a[0]))
		a++, alen--;
	while (alen && strchr(" \t\r\n", a[alen - 1]))
		alen--;
	while (blen && strchr(" \t\r\n", b[0]))
		b++, blen--;
	while (blen && strchr(" \t\r\n", b[blen - 1]))
		blen--;
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/*
 * SQL given to `new` must read back as its own section: a line in it that
 * the reader takes for a marker (`-- downgrade --`, `-- DOWN`, ...) would
 * split it elsewhere. VARVE_EINVALID then, before anything is written.
 */
static int check_sections(const varve_buf *sql, const varve_new_options *o)
{
	varve_sqlfile *f = NULL;
	varve_diag_list *diags = NULL;
	const char *text;
	size_t len;
	int error;

	if ((error = varve_diag_list_new(&diags)) != 0 ||
	    (error = varve_sqlfile__read_buffer(&f, sql->ptr, sql->len, "new", true,
						VARVE_SECTION_UP, diags)) != 0) {
		varve_diag_list_free(diags);
		return error;
	}
	text = varve_sqlfile_text(f, VARVE_SECTION_UP, &len);
	if (varve_diag_list_count(diags) ||
	    !same_trimmed(text ? text : "", text ? len : 0, o->upgrade_sql))
		error = varve_error__set(VARVE_EINVALID, "the upgrade SQL holds a line that "
					 "reads as a section marker (such as '-- downgrade --')");
	text = varve_sqlfile_text(f, VARVE_SECTION_DOWN, &len);
	if (!error && !same_trimmed(text ? text : "", text ? len : 0, o->downgrade_sql))
		error = varve_error__set(VARVE_EINVALID, "the downgrade SQL holds a line that "
					 "reads as a section marker (such as '-- upgrade --')");
	varve_sqlfile_free(f);
	varve_diag_list_free(diags);
	return error;
}

/* The SQL file of `new`. */
static void sql_template(varve_buf *b, const char *rev, const char *parent,
			 const varve_new_options *o)
{
	varve_buf_printf(b, "-- Migration %s", rev);
	if (o->description && *o->description) {
		varve_buf_puts(b, ": ");
		put_comment_text(b, o->description);
	}
	if (parent)
		varve_buf_printf(b, "\n-- Child of %s.", parent);
	else
		varve_buf_puts(b, "\n-- The first migration.");
	if (!o->upgrade_sql && !o->downgrade_sql)
		varve_buf_puts(b, " Write the upgrade SQL under '-- upgrade --' and\n"
				  "-- the SQL that undoes it under '-- downgrade --'.");
	varve_buf_putc(b, '\n');
	if (!o->transaction)
		varve_buf_puts(b,
			       "-- transaction: false: each statement runs on its own, "
			       "outside a\n-- transaction (as CREATE INDEX CONCURRENTLY needs).\n");
	varve_buf_puts(b, "\n-- upgrade --\n");
	put_section(b, o->upgrade_sql);
	varve_buf_puts(b, "\n-- downgrade --\n");
	put_section(b, o->downgrade_sql);
}

/* Create `path` with `data`, refusing an existing file. */
static int create_file(const char *path, const char *data, size_t len)
{
	char why[128];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	ssize_t n;

	if (fd < 0 && errno == EEXIST)
		return varve_error__set(VARVE_EEXISTS, "'%s' already exists", path);
	if (fd < 0)
		return varve_error__set(VARVE_EIO, "cannot create '%s': %s", path,
					varve_error__reason(errno, why, sizeof(why)));
	while (len) {
		n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		data += n;
		len -= (size_t)n;
	}
	if (len || fsync(fd) != 0) {
		int err = errno;

		close(fd);
		unlink(path);
		return varve_error__set(VARVE_EIO, "cannot write '%s': %s", path,
					varve_error__reason(err, why, sizeof(why)));
	}
	close(fd);
	return 0;
}

/*
 * The manifest's new text in place, atomically (varve_rewrite__write),
 * with the test points a signal test stops at.
 */
static int write_manifest(const varve_rewrite *rw, const char *path)
{
	char *tmp;
	int error;

	if ((error = varve_rewrite__stage(rw, &tmp, path)) != 0)
		return error;
	varve_rewrite__test_point();
	if ((error = varve_rewrite__install(tmp, path)) != 0)
		return error;
	varve_rewrite__test_point();
	return 0;
}

/* Write the SQL file of `new` beside `path`, which must not exist. */
static int stage_sql(char **tmp, const char *path, const char *data, size_t len)
{
	struct stat st;
	char why[128];

	*tmp = NULL;
	if (lstat(path, &st) == 0)
		return varve_error__set(VARVE_EEXISTS, "'%s' already exists", path);
	if (errno != ENOENT)
		return varve_error__set(VARVE_EIO, "cannot create '%s': %s", path,
					varve_error__reason(errno, why, sizeof(why)));
	return varve_rewrite__stage_file(tmp, path, data, len, 0666);
}

/*
 * Link the staged SQL file to its name, never replacing a file; where
 * the file system has no hard links, a check and a rename.
 */
static int place(const char *tmp, const char *path)
{
	struct stat st;
	char why[128];

	if (link(tmp, path) == 0)
		return 0;
	if (errno == EEXIST)
		return varve_error__set(VARVE_EEXISTS, "'%s' already exists", path);
	if (errno == EPERM || errno == EXDEV || errno == EMLINK || errno == ENOSYS ||
	    errno == EOPNOTSUPP) {
		if (lstat(path, &st) == 0)
			return varve_error__set(VARVE_EEXISTS, "'%s' already exists", path);
		if (rename(tmp, path) == 0)
			return 0;
	}
	return varve_error__set(VARVE_EIO, "cannot create '%s': %s", path,
				varve_error__reason(errno, why, sizeof(why)));
}

/* mkdir for each component of `path` (relative), as `mkdir -p`. */
static int make_dirs(const char *path)
{
	char buf[4096], why[128];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return varve_error__set(VARVE_EIO, "cannot create '%s': path too long", path);
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		struct stat st;

		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return varve_error__set(VARVE_EIO, "cannot create '%s': %s", buf,
						varve_error__reason(errno, why, sizeof(why)));
		if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
			return varve_error__set(VARVE_EIO,
						"cannot create '%s': "
						"a file is in the way",
						buf);
		buf[i] = i < n ? '/' : '\0';
	}
	return 0;
}

/* A YAML scalar (see varve_rewrite__scalar) into a malloc'd string. */
static char *scalar(const char *value, char quote, bool force)
{
	varve_buf b = VARVE_BUF_INIT;

	varve_rewrite__scalar(&b, value, quote, force);
	if (b.oom) {
		varve_buf_dispose(&b);
		return NULL;
	}
	return varve_buf_detach(&b);
}

/* Copy the parents (graph nodes) into `out`. */
static int set_parents(varve_added *out, const varve_graph *g, const size_t *nodes, size_t n)
{
	if (!n)
		return 0;
	if (!(out->parents = calloc(n, sizeof(*out->parents))))
		return varve_error__oom();
	for (size_t i = 0; i < n; i++) {
		out->parent_count++;
		if (!(out->parents[i] = strdup(varve_graph_node(g, nodes[i])->revision)))
			return varve_error__oom();
	}
	return 0;
}

/* ---------------------------------------------------------------------------
 * init
 */

static const char starter[] =
    "# The migrations of this project and how they link: each entry names its\n"
    "# parent in down_revision. Check it with 'varve check'.\n"
    "varve: 1\n"
    "\n"
    "# The folder of the SQL files, relative to this file.\n"
    "directory: %s\n"
    "\n"
    "# What 'varve new' names migrations: timestamp (YYYYMMDDHHMMSS, no clashes\n"
    "# between branches; 'varve fix' renumbers them before merging) or sequential.\n"
    "naming: timestamp\n"
    "\n"
    "# database:\n"
    "#   url: ${DATABASE_URL}\n"
    "#   lock_timeout: 5s\n"
    "\n"
    "# Add migrations with: varve new -m \"create users\"\n"
    "migrations: []\n";

int varve_init(const char *path, const char *directory)
{
	varve_buf text = VARVE_BUF_INIT, dir = VARVE_BUF_INIT, yaml = VARVE_BUF_INIT;
	const char *slash = strrchr(path, '/'), *why;
	struct stat st;
	int error;

	if (!directory)
		directory = "migrations";
	if (slash)
		varve_buf_put(&dir, path, (size_t)(slash - path));
	else
		varve_buf_puts(&dir, ".");
	if (dir.oom) {
		error = varve_error__oom();
		goto done;
	}
	if (lstat(path, &st) == 0) {
		error = varve_error__set(VARVE_EEXISTS, "'%s' already exists", path);
		goto done;
	}
	error = varve_path__check(varve_buf_cstr(&dir), directory, &why);
	if (error == VARVE_ENOMEM)
		goto done;
	if (error) {
		error = varve_error__set(VARVE_EINVALID,
					 "directory '%s' is outside "
					 "the project: %s",
					 directory, why);
		goto done;
	}
	varve_rewrite__scalar(&yaml, directory, '"', false);
	varve_buf_printf(&text, starter, varve_buf_cstr(&yaml));
	varve_buf_clear(&dir);
	if (slash)
		varve_buf_printf(&dir, "%.*s/%s", (int)(slash - path), path, directory);
	else
		varve_buf_puts(&dir, directory);
	if (text.oom || dir.oom) {
		error = varve_error__oom();
		goto done;
	}
	/* The manifest first: O_EXCL makes a race with another init lose
	 * cleanly, before any folder was made. */
	if ((error = create_file(path, text.ptr, text.len)) != 0)
		goto done;
	if ((error = make_dirs(varve_buf_cstr(&dir))) != 0)
		unlink(path);
done:
	varve_buf_dispose(&text);
	varve_buf_dispose(&dir);
	varve_buf_dispose(&yaml);
	return error;
}

/* ---------------------------------------------------------------------------
 * new and merge
 */

/* The heads as "'a', 'b'" for a message. */
static char *head_list(const varve_graph *g, const size_t *heads, size_t n)
{
	varve_buf b = VARVE_BUF_INIT;

	varve_graph__list(g, &b, heads, n, 10);
	if (b.oom) {
		varve_buf_dispose(&b);
		return NULL;
	}
	return varve_buf_detach(&b);
}

/*
 * The head that `new --head` names (a revision, a unique prefix, a label,
 * LABEL@head: see varve_target_nodes). VARVE_ENOTFOUND, VARVE_EAMBIGUOUS
 * for several nodes, VARVE_EINVALID for a node that is not a head.
 */
static int chosen_head(size_t *out, const varve_graph *g, const size_t *heads, size_t n,
		       const char *target)
{
	size_t *nodes = NULL, count = 0;
	char *list = NULL;
	int error;

	if ((error = varve_target_nodes(&nodes, &count, g, target)) != 0)
		return error;
	if (count != 1) {
		free(nodes);
		return varve_error__set(count ? VARVE_EAMBIGUOUS : VARVE_EINVALID,
					"--head '%s' names %zu migrations; give one head", target,
					count);
	}
	*out = nodes[0];
	free(nodes);
	for (size_t i = 0; i < n; i++)
		if (heads[i] == *out)
			return 0;
	list = head_list(g, heads, n);
	error = varve_error__set(VARVE_EINVALID,
				 "--head '%s' names '%s', which is not a head (the heads: %s)",
				 target, varve_graph_node(g, *out)->revision, list ? list : "");
	free(list);
	return error;
}

int varve_new(varve_added *out, const char *path, const varve_new_options *o,
	      varve_diag_list *diags)
{
	varve_manifest *m = NULL;
	varve_graph *g = NULL;
	varve_rewrite *rw = NULL;
	varve_buf sql = VARVE_BUF_INIT;
	char rev[32], slug[SLUG_MAX + 1], name[sizeof(rev) + SLUG_MAX + 8];
	char *file = NULL, *q_rev = NULL, *q_parent = NULL, *q_desc = NULL;
	char *q_file = NULL, *list = NULL, *staged = NULL, *sql_tmp = NULL;
	const size_t *heads;
	const char *parent = NULL;
	size_t head_count, chosen;
	bool created = false;
	char quote;
	int error, lock = -1;

	memset(out, 0, sizeof(*out));
	if ((error = varve_rewrite__lock(path, &lock)) != 0 ||
	    (error = varve_author__load(&m, &g, path, diags)) != 0)
		goto done;
	varve_author__sweep(path, m);
	heads = varve_graph_heads(g, &head_count);
	if (o->head) {
		if ((error = chosen_head(&chosen, g, heads, head_count, o->head)) != 0)
			goto done;
		heads = &chosen;
		head_count = 1;
	} else if (head_count > 1) {
		list = head_list(g, heads, head_count);
		error = varve_error__set(VARVE_EAMBIGUOUS,
					 "several heads are present "
					 "(%s); choose the parent with --head REV|LABEL@head, "
					 "or join them with 'varve merge' first",
					 list ? list : "");
		goto done;
	}
	if (head_count)
		parent = varve_graph_node(g, heads[0])->revision;
	if ((error = varve_rewrite__open(&rw, path)) != 0 ||
	    (error = next_revision(rev, sizeof(rev), m, g, o)) != 0)
		goto done;
	if ((error = slugify(slug, o->description)) != 0)
		goto done;
	snprintf(name, sizeof(name), "%s_%s.sql", rev, slug);
	quote = varve_rewrite__quote_char(rw, m);
	if (!(file = varve_manifest__file_path(m, name)) || !(q_rev = scalar(rev, quote, true)) ||
	    !(q_parent = parent ? scalar(parent, quote, true) : strdup("null")) ||
	    !(q_file = scalar(name, quote, false)) ||
	    (o->description && !(q_desc = scalar(o->description, quote, false)))) {
		error = varve_error__oom();
		goto done;
	}
	{
		varve_rewrite_field fields[5];
		size_t n = 0;

		fields[n++] = (varve_rewrite_field){"revision", q_rev};
		fields[n++] = (varve_rewrite_field){"down_revision", q_parent};
		if (q_desc)
			fields[n++] = (varve_rewrite_field){"description", q_desc};
		fields[n++] = (varve_rewrite_field){"file", q_file};
		if (!o->transaction)
			fields[n++] = (varve_rewrite_field){"transaction", "false"};
		if ((error = varve_rewrite__append_entry(rw, m, fields, n)) != 0)
			goto done;
	}
	sql_template(&sql, rev, parent, o);
	if (sql.oom) {
		error = varve_error__oom();
		goto done;
	}
	if ((o->upgrade_sql || o->downgrade_sql) && (error = check_sections(&sql, o)) != 0)
		goto done;
	/* The manifest's new text goes beside it first: the big write, which
	 * a full disk refuses before anything changed. Then the file, then
	 * the manifest takes its place: a manifest naming a file that is not
	 * there would be worse than a stray file, and that one is removed
	 * when the manifest cannot be put in place. */
	if ((error = varve_rewrite__stage(rw, &staged, path)) != 0 ||
	    (error = make_dirs(m->directory_path)) != 0)
		goto done;
	varve_rewrite__test_point();
	/* The SQL file too is written beside its place and linked there (a
	 * name taken meanwhile fails the link), so that a kill -9 leaves a
	 * temporary file whose process is gone, which the next edit removes
	 * with the file linked from it when the manifest does not list it. */
	if ((error = stage_sql(&sql_tmp, file, sql.ptr, sql.len)) != 0)
		goto done;
	varve_rewrite__test_point();
	if ((error = place(sql_tmp, file)) != 0)
		goto done;
	created = true;
	varve_rewrite__test_point();
	error = varve_rewrite__install(staged, path);
	staged = NULL;
	if (error)
		goto done;
	created = false;
	varve_rewrite__test_point();
	out->file = file;
	file = NULL;
	if (!(out->revision = strdup(rev)) ||
	    (error = set_parents(out, g, heads, head_count)) != 0) {
		error = varve_error__oom();
		varve_added_dispose(out);
	}
done:
	varve_rewrite__discard(staged);
	if (created)
		unlink(file);
	varve_rewrite__discard(sql_tmp);
	free(file);
	free(q_rev);
	free(q_parent);
	free(q_desc);
	free(q_file);
	free(list);
	varve_buf_dispose(&sql);
	varve_rewrite__free(rw);
	varve_graph_free(g);
	varve_manifest_free(m);
	varve_rewrite__unlock(lock);
	return error;
}

int varve_merge(varve_added *out, const char *path, const varve_new_options *o,
		varve_diag_list *diags)
{
	varve_manifest *m = NULL;
	varve_graph *g = NULL;
	varve_rewrite *rw = NULL;
	varve_buf parents = VARVE_BUF_INIT;
	char rev[32], *q_rev = NULL, *q_desc = NULL;
	const size_t *heads;
	size_t head_count;
	char quote;
	int error, lock = -1;

	memset(out, 0, sizeof(*out));
	if ((error = varve_rewrite__lock(path, &lock)) != 0 ||
	    (error = varve_author__load(&m, &g, path, diags)) != 0)
		goto done;
	varve_author__sweep(path, m);
	heads = varve_graph_heads(g, &head_count);
	if (head_count < 2) {
		error = varve_error__set(VARVE_EINVALID, "nothing to merge: '%s' has %s", path,
					 head_count ? "a single head" : "no migrations");
		goto done;
	}
	if ((error = varve_rewrite__open(&rw, path)) != 0 ||
	    (error = next_revision(rev, sizeof(rev), m, g, o)) != 0)
		goto done;
	quote = varve_rewrite__quote_char(rw, m);
	varve_buf_putc(&parents, '[');
	for (size_t i = 0; i < head_count; i++) {
		if (i)
			varve_buf_puts(&parents, ", ");
		varve_rewrite__scalar(&parents, varve_graph_node(g, heads[i])->revision, quote,
				      true);
	}
	varve_buf_putc(&parents, ']');
	if (parents.oom || !(q_rev = scalar(rev, quote, true)) ||
	    (o->description && !(q_desc = scalar(o->description, quote, false)))) {
		error = varve_error__oom();
		goto done;
	}
	{
		varve_rewrite_field fields[3];
		size_t n = 0;

		fields[n++] = (varve_rewrite_field){"revision", q_rev};
		fields[n++] = (varve_rewrite_field){"down_revision", parents.ptr};
		if (q_desc)
			fields[n++] = (varve_rewrite_field){"description", q_desc};
		if ((error = varve_rewrite__append_entry(rw, m, fields, n)) != 0 ||
		    (error = write_manifest(rw, path)) != 0)
			goto done;
	}
	if (!(out->revision = strdup(rev)) ||
	    (error = set_parents(out, g, heads, head_count)) != 0) {
		error = varve_error__oom();
		varve_added_dispose(out);
	}
done:
	free(q_rev);
	free(q_desc);
	varve_buf_dispose(&parents);
	varve_rewrite__free(rw);
	varve_graph_free(g);
	varve_manifest_free(m);
	varve_rewrite__unlock(lock);
	return error;
}

/* ---------------------------------------------------------------------------
 * hash
 */

/* The checksum of an entry's upgrade SQL; "" for an entry without SQL. */
static int entry_checksum(char sum[VARVE_CHECKSUM_LEN + 1], const varve_manifest *m,
			  const varve_migration *mig, varve_diag_list *diags)
{
	varve_sqlfile *f = NULL;
	const char *rel = mig->file ? mig->file : mig->up;
	char *p;
	int error;

	sum[0] = '\0';
	if (!rel)
		return 0;
	if (!(p = varve_manifest__file_path(m, rel)))
		return varve_error__oom();
	error = varve_sqlfile_read(&f, p, NULL, mig->file != NULL, VARVE_SECTION_UP, diags);
	if (!error) {
		varve_statement *stmts = NULL;
		size_t count = 0;

		/* check's reading: the checksum and whether there is any SQL; the
		 * reader's finding carries its position ("P:3:1: ..."). */
		error = varve_sqlfile__analyze(f, VARVE_SECTION_UP, sum, &stmts, &count, diags);
		free(stmts);
		if (error == VARVE_EINVALID) {
			error = varve_error__set(VARVE_EINVALID, "cannot hash %s", varve_error_last());
		} else if (!error && count == 0) {
			varve_pos at = mig->file ? mig->file_pos : mig->up_pos;

			sum[0] = '\0';
			if (!(error = varve_diag__error(diags, "empty-upgrade", m->path,
					at.line, at.column, "the upgrade SQL of '%s' is empty",
					mig->revision)))
				error = varve_error__set(VARVE_EINVALID,
					"cannot hash '%s': the upgrade SQL of '%s' is empty", p,
					mig->revision);
		}
	}
	varve_sqlfile_free(f);
	free(p);
	return error;
}

int varve_hash(size_t *changed, const char *path, varve_diag_list *diags)
{
	varve_manifest *m = NULL;
	varve_rewrite *rw = NULL;
	varve_diag_list *sql_diags = NULL;
	size_t n = 0;
	int error, lock = -1;

	*changed = 0;
	if ((error = varve_diag_list_new(&sql_diags)) != 0 ||
	    (error = varve_rewrite__lock(path, &lock)) != 0 ||
	    (error = varve_author__load(&m, NULL, path, diags)) != 0 ||
	    (error = varve_rewrite__open(&rw, path)) != 0)
		goto done;
	varve_author__sweep(path, m);
	for (size_t i = 0; i < m->count; i++) {
		const varve_migration *mig = m->migrations[i];
		char sum[VARVE_CHECKSUM_LEN + 1];

		if ((error = entry_checksum(sum, m, mig, sql_diags)) != 0)
			goto done;
		if (!*sum || (mig->checksum && strcmp(mig->checksum, sum) == 0))
			continue;
		if (mig->checksum)
			error = varve_rewrite__replace_scalar(rw, mig->checksum_pos, mig->checksum,
							      sum);
		else
			error = varve_rewrite__insert_key(rw, mig, "checksum", sum);
		if (error)
			goto done;
		n++;
	}
	if (n && (error = write_manifest(rw, path)) != 0)
		goto done;
	*changed = n;
done:
	if (diags && sql_diags && varve_diag__append(diags, sql_diags) != 0 && !error)
		error = varve_error__oom();
	varve_diag_list_free(sql_diags);
	varve_rewrite__free(rw);
	varve_manifest_free(m);
	varve_rewrite__unlock(lock);
	return error;
}
