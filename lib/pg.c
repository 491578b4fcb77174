/*
 * Connections. A password never reaches the screen: conninfo strings are
 * redacted before display, and libpq's messages are scrubbed of every
 * password the string (or PGPASSWORD) holds, because libpq may echo a host
 * or a whole connection string back.
 */
#include "pg.h"
#include "error.h"
#include "fiber.h"

#include <ctype.h>
#include <poll.h>
#include <strings.h>
#include <time.h>

#define MASK "***"
/* The connect_timeout (seconds) when neither the string nor PGCONNECT_TIMEOUT sets one. */
#define VARVE_CONNECT_TIMEOUT "10"
/* Secrets collected from one conninfo (its own and a nested dbname's). */
#define MAX_SECRETS 32

typedef struct secrets {
	char *v[MAX_SECRETS];
	size_t n;
} secrets;

static void secrets_add(secrets *sec, const char *s, size_t len)
{
	if (!sec || len == 0 || sec->n == MAX_SECRETS)
		return;
	if ((sec->v[sec->n] = strndup(s, len)) != NULL)
		sec->n++;
}

static void secrets_dispose(secrets *sec)
{
	for (size_t i = 0; i < sec->n; i++)
		free(sec->v[i]);
	sec->n = 0;
}

/*
 * The length of a URI scheme at the start of `s` ("postgresql" in
 * "postgresql://..."; letters, digits, '+', '.', '-'), followed by ':';
 * 0 when there is none.
 */
static size_t scheme_len(const char *s)
{
	size_t n = 0;

	if (!isalpha((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '+' || s[n] == '.' || s[n] == '-')
		n++;
	return s[n] == ':' ? n : 0;
}

/*
 * Any scheme, in either case: libpq takes only postgresql:// and
 * postgres:// in lower case, but it echoes a string it cannot parse
 * (SQLAlchemy's postgresql+psycopg2://, a typo such as postgress://), and
 * that must be masked too.
 */
static bool is_uri(const char *s)
{
	size_t n = scheme_len(s);

	return n && strncmp(s + n, "://", 3) == 0;
}

/* The schemes libpq reads as URIs (it wants them in lower case). */
static bool is_libpq_scheme(const char *s, size_t n)
{
	return (n == 10 && strncmp(s, "postgresql", 10) == 0) ||
	       (n == 8 && strncmp(s, "postgres", 8) == 0);
}

/*
 * SQLAlchemy's dialect+driver form, postgresql+psycopg2://...: the driver
 * means nothing to libpq. A malloc'd copy without it, or NULL (when `s` is
 * not of that form, or out of memory: *oom says which).
 */
static char *strip_driver(const char *s, bool *oom)
{
	size_t n = scheme_len(s);
	const char *plus;
	char *out;

	*oom = false;
	if (!n || strncmp(s + n, "://", 3) != 0 || !(plus = memchr(s, '+', n)) ||
	    !is_libpq_scheme(s, (size_t)(plus - s)) || plus + 1 == s + n)
		return NULL;
	if (!(out = malloc(strlen(s) + 1))) {
		*oom = true;
		return NULL;
	}
	memcpy(out, s, (size_t)(plus - s));
	memcpy(out + (plus - s), s + n, strlen(s + n) + 1);
	return out;
}

int varve_conninfo_resolve(char **out, const char *flag, const char *manifest_url)
{
	const char *candidates[4];
	const char *pick = "";
	bool oom;

	assert(out);
	candidates[0] = flag;
	candidates[1] = getenv("VARVE_DATABASE_URL");
	candidates[2] = getenv("DATABASE_URL");
	candidates[3] = manifest_url;
	for (size_t i = 0; i < VARVE_ARRAY_SIZE(candidates); i++) {
		if (candidates[i] && *candidates[i]) {
			pick = candidates[i];
			break;
		}
	}
	if ((*out = strip_driver(pick, &oom)) != NULL)
		return 0;
	if (oom)
		return varve_error__oom();
	/* A bare name is a database name, as `psql mydb` takes it. */
	if (*pick && !strchr(pick, '=') && !strstr(pick, "://")) {
		varve_buf b = VARVE_BUF_INIT;

		varve_buf_puts(&b, "dbname='");
		for (const char *c = pick; *c; c++) {
			if (*c == '\'' || *c == '\\')
				varve_buf_putc(&b, '\\');
			varve_buf_putc(&b, *c);
		}
		varve_buf_putc(&b, '\'');
		if (b.oom) {
			varve_buf_dispose(&b);
			return varve_error__oom();
		}
		*out = varve_buf_detach(&b);
		varve_buf_dispose(&b);
		return 0;
	}
	if (!(*out = strdup(pick)))
		return varve_error__oom();
	return 0;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A piece of a URI as written and percent-decoded, as libpq would show it. */
static void secrets_add_piece(secrets *sec, const char *s, size_t len)
{
	char *decoded;
	size_t n = 0;

	if (!sec || !len)
		return;
	secrets_add(sec, s, len);
	if (!memchr(s, '%', len) || !(decoded = malloc(len + 1)))
		return;
	for (size_t i = 0; i < len; i++) {
		int hi, lo;

		if (s[i] == '%' && i + 2 < len && (hi = hex_value(s[i + 1])) >= 0 &&
		    (lo = hex_value(s[i + 2])) >= 0) {
			decoded[n++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			decoded[n++] = s[i];
		}
	}
	secrets_add(sec, decoded, n);
	free(decoded);
}

/*
 * A password written into the userinfo with a '/' or '@' it did not
 * percent-encode: libpq reads its pieces as a port, a host or the
 * dbname, and echoes them in its messages. Each piece is a secret too.
 */
static void secrets_add_pieces(secrets *sec, const char *s, size_t len)
{
	const char *end = s + len;

	secrets_add_piece(sec, s, len);
	while (s < end) {
		size_t n = strcspn(s, "/@");

		if (n > (size_t)(end - s))
			n = (size_t)(end - s);
		if (n < len)
			secrets_add_piece(sec, s, n);
		s += n + 1;
	}
}

/* The last '@' in [p, end), or NULL. */
static const char *last_at(const char *p, const char *end)
{
	const char *at = NULL;

	for (; p < end; p++)
		if (*p == '@')
			at = p;
	return at;
}

/*
 * postgres://user:secret@host/db?password=x&sslmode=y: mask the password
 * of the userinfo and any password parameter. libpq ends the userinfo at
 * the first '@' before a '/'; the mask goes to the last one, and when no
 * '@' comes before the first '/' (a '/' in the password), to the last one
 * before the first '?'. So it masks more than libpq would parse as a
 * password, never less; a '?' in the password does not start the query.
 */
static void redact_uri(varve_buf *out, const char *s, secrets *sec)
{
	const char *p = strstr(s, "://") + 3;
	const char *at = last_at(p, p + strcspn(p, "/"));
	const char *query;

	if (!at)
		at = last_at(p, p + strcspn(p, "?"));
	if (at) {
		const char *colon = memchr(p, ':', (size_t)(at - p));

		if (colon && colon + 1 < at) {
			varve_buf_put(out, s, (size_t)(colon + 1 - s));
			varve_buf_puts(out, MASK);
			secrets_add_pieces(sec, colon + 1, (size_t)(at - colon - 1));
			p = at;
		} else {
			p = s;
		}
	} else {
		p = s;
	}
	query = at ? at + strcspn(at, "?") : p + strcspn(p, "?");
	varve_buf_put(out, p, (size_t)(query - p));
	if (!*query)
		return;
	/* The parameters: key=value separated by '&'. */
	p = query;
	while (*p) {
		const char *sep = p + 1 + strcspn(p + 1, "&");
		const char *eq = memchr(p + 1, '=', (size_t)(sep - p - 1));

		if (eq && (size_t)(eq - p - 1) == 8 && strncmp(p + 1, "password", 8) == 0) {
			varve_buf_put(out, p, (size_t)(eq + 1 - p));
			varve_buf_puts(out, MASK);
			secrets_add_piece(sec, eq + 1, (size_t)(sep - eq - 1));
		} else {
			varve_buf_put(out, p, (size_t)(sep - p));
		}
		p = sep;
	}
}

static void redact(varve_buf *out, const char *s, secrets *sec);

/*
 * key=value ... as libpq reads it: values are bare words or single-quoted
 * with backslash escapes. Mask password values; a dbname holding a whole
 * connection string (expand_dbname) is redacted in turn. A string that does
 * not parse is copied from the point where it stops parsing.
 */
static void redact_kv(varve_buf *out, const char *s, secrets *sec)
{
	const char *p = s, *copied = s;

	while (*p) {
		const char *key, *key_end, *val, *val_end;
		bool quoted = false;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		key = p;
		while (*p && *p != '=' && !isspace((unsigned char)*p))
			p++;
		key_end = p;
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '=')
			break;
		p++;
		while (isspace((unsigned char)*p))
			p++;
		val = p;
		if (*p == '\'') {
			quoted = true;
			p++;
			while (*p && *p != '\'') {
				if (*p == '\\' && p[1])
					p++;
				p++;
			}
			if (*p == '\'')
				p++;
		} else {
			while (*p && !isspace((unsigned char)*p)) {
				if (*p == '\\' && p[1])
					p++;
				p++;
			}
		}
		val_end = p;

		if ((size_t)(key_end - key) == 8 && strncmp(key, "password", 8) == 0) {
			varve_buf_put(out, copied, (size_t)(val - copied));
			varve_buf_puts(out, MASK);
			copied = val_end;
			/* The raw text as written; the parsed value is added by the caller. */
			if (quoted && val_end - val >= 2)
				secrets_add(sec, val + 1, (size_t)(val_end - val - 2));
			else
				secrets_add(sec, val, (size_t)(val_end - val));
		} else if ((size_t)(key_end - key) == 6 && strncmp(key, "dbname", 6) == 0) {
			varve_buf inner = VARVE_BUF_INIT, red = VARVE_BUF_INIT;
			const char *v = quoted ? val + 1 : val;
			const char *v_end = quoted && val_end > v ? val_end - 1 : val_end;

			/* Unescape, redact, and write back quoted only when it changed. */
			for (const char *q = v; q < v_end; q++) {
				if (*q == '\\' && q + 1 < v_end)
					q++;
				varve_buf_putc(&inner, *q);
			}
			redact(&red, varve_buf_cstr(&inner), sec);
			if (strcmp(varve_buf_cstr(&red), varve_buf_cstr(&inner)) != 0) {
				varve_buf_put(out, copied, (size_t)(val - copied));
				varve_buf_putc(out, '\'');
				for (const char *q = varve_buf_cstr(&red); *q; q++) {
					if (*q == '\'' || *q == '\\')
						varve_buf_putc(out, '\\');
					varve_buf_putc(out, *q);
				}
				varve_buf_putc(out, '\'');
				copied = val_end;
			}
			varve_buf_dispose(&inner);
			varve_buf_dispose(&red);
		}
	}
	varve_buf_puts(out, copied);
}

/*
 * Something that is not a URI to libpq but holds a user:password@ all the
 * same: "u:pw@host/db", or "postgresql:/u:pw@host/db" with one slash. libpq
 * takes it for a database name, which the server echoes back. The
 * password is masked the way redact_uri masks it.
 */
static void redact_userinfo(varve_buf *out, const char *s, secrets *sec)
{
	const char *r = s, *at, *colon;
	size_t n = scheme_len(s);

	if (n && s[n + 1] == '/')
		for (r = s + n + 1; *r == '/'; r++)
			;
	if (!(at = last_at(r, r + strcspn(r, "/"))))
		at = last_at(r, r + strcspn(r, "?"));
	if (at && (colon = memchr(r, ':', (size_t)(at - r))) && colon + 1 < at) {
		varve_buf_put(out, s, (size_t)(colon + 1 - s));
		varve_buf_puts(out, MASK);
		secrets_add_pieces(sec, colon + 1, (size_t)(at - colon - 1));
		varve_buf_puts(out, at);
		return;
	}
	varve_buf_puts(out, s);
}

static void redact(varve_buf *out, const char *s, secrets *sec)
{
	if (is_uri(s))
		redact_uri(out, s, sec);
	else if (strchr(s, '='))
		redact_kv(out, s, sec);
	else
		redact_userinfo(out, s, sec);
}

static bool is_delimiter(char c)
{
	return c == '\0' || strchr("/:@?&=,;' \"\t\r\n()[]", c) != NULL;
}

/*
 * Replace each secret in `s` by the mask: every occurrence, or with
 * `whole_fields` only one that stands as a whole field (between
 * delimiters of a URI or a key=value string), since a password equal to
 * another field's value (application_name=<the password>) would show it.
 */
static void scrub(varve_buf *out, const char *s, const secrets *sec, bool whole_fields)
{
	const char *start = s;

	while (*s) {
		size_t best = 0;

		if (!whole_fields || s == start || is_delimiter(s[-1])) {
			for (size_t i = 0; i < sec->n; i++) {
				size_t len = strlen(sec->v[i]);

				if (len > best && strncmp(s, sec->v[i], len) == 0 &&
				    (!whole_fields || is_delimiter(s[len])))
					best = len;
			}
		}
		if (best) {
			varve_buf_puts(out, MASK);
			s += best;
		} else {
			varve_buf_putc(out, *s++);
		}
	}
}

static void parsed_secrets(secrets *sec, const char *conninfo, int depth);

char *varve_conninfo_redact(const char *conninfo)
{
	varve_buf first = VARVE_BUF_INIT, out = VARVE_BUF_INIT;
	secrets sec = {{NULL}, 0};

	assert(conninfo);
	redact(&first, conninfo, &sec);
	parsed_secrets(&sec, conninfo, 0);
	scrub(&out, varve_buf_cstr(&first), &sec, true);
	secrets_dispose(&sec);
	out.oom = out.oom || first.oom;
	varve_buf_dispose(&first);
	if (out.oom) {
		varve_buf_dispose(&out);
		return NULL;
	}
	return varve_buf_detach(&out);
}

/*
 * password = value anywhere in free text: the value is masked, and kept in
 * `sec` (as written, without its quotes).
 */
static void mask_password_values(varve_buf *out, const char *s, secrets *sec)
{
	while (*s) {
		const char *v = s + 8;

		if (strncasecmp(s, "password", 8) != 0) {
			varve_buf_putc(out, *s++);
			continue;
		}
		v += strspn(v, " \t");
		if (*v != '=') {
			varve_buf_put(out, s, 8);
			s += 8;
			continue;
		}
		v++;
		v += strspn(v, " \t");
		varve_buf_put(out, s, (size_t)(v - s));
		s = v;
		if (*v == '\'') {
			for (v++; *v && *v != '\''; v++)
				if (*v == '\\' && v[1])
					v++;
			if (*v)
				v++;
			if (v - s >= 2)
				secrets_add(sec, s + 1, (size_t)(v - s - 2));
		} else {
			v += strcspn(v, " \t\r\n'\"&,;)");
			secrets_add_piece(sec, s, (size_t)(v - s));
		}
		if (v > s)
			varve_buf_puts(out, MASK);
		s = v;
	}
}

static bool mentions_password(const char *s)
{
	for (; *s; s++)
		if ((*s == 'p' || *s == 'P') && strncasecmp(s, "password", 8) == 0)
			return true;
	return false;
}

char *varve_text_redact(const char *text)
{
	varve_buf first = VARVE_BUF_INIT, mid = VARVE_BUF_INIT, out = VARVE_BUF_INIT;
	secrets sec = {{NULL}, 0};
	const char *p;

	assert(text);
	/* Nothing shaped like a credential: every finding of a large check
	 * passes here, so say so quickly. */
	if (!strchr(text, '@') && !mentions_password(text))
		return strdup(text);
	mask_password_values(&first, text, &sec);
	for (p = varve_buf_cstr(&first); *p;) {
		size_t n = strcspn(p, " \t\r\n'\"`");
		char *token;

		if (n == 0) {
			varve_buf_putc(&mid, *p++);
			continue;
		}
		if (!(token = strndup(p, n))) {
			mid.oom = true;
			break;
		}
		redact(&mid, token, &sec);
		if (strchr(token, '='))
			parsed_secrets(&sec, token, 0);
		free(token);
		p += n;
	}
	/* A password equal to another word of the text shows it. */
	scrub(&out, varve_buf_cstr(&mid), &sec, true);
	out.oom = out.oom || mid.oom || first.oom;
	secrets_dispose(&sec);
	varve_buf_dispose(&first);
	varve_buf_dispose(&mid);
	if (out.oom) {
		varve_buf_dispose(&out);
		return NULL;
	}
	return varve_buf_detach(&out);
}

int varve_pg__oneline(varve_buf *out, const char *msg)
{
	size_t len = strlen(msg);

	while (len > 0 && isspace((unsigned char)msg[len - 1]))
		len--;
	for (size_t i = 0; i < len; i++) {
		if (msg[i] == '\n' || msg[i] == '\r') {
			while (i + 1 < len && isspace((unsigned char)msg[i + 1]))
				i++;
			varve_buf_putc(out, ' ');
		} else {
			varve_buf_putc(out, msg[i]);
		}
	}
	return out->oom ? VARVE_ENOMEM : 0;
}

/*
 * Whatever follows "password" and '=' anywhere in the string, up to a
 * space, quote or '&': a string libpq cannot parse (an unterminated quote
 * before the password, say) is not redacted key by key, yet may be echoed.
 */
static void loose_secrets(secrets *sec, const char *s)
{
	for (const char *p = s; *p; p++) {
		const char *v;

		if (strncasecmp(p, "password", 8) != 0)
			continue;
		p += 7;
		v = p + 1 + strspn(p + 1, " \t\r\n");
		if (*v != '=')
			continue;
		v++;
		v += strspn(v, " \t\r\n'");
		secrets_add_piece(sec, v, strcspn(v, " \t\r\n'&"));
	}
}

/* The parsed (percent-decoded, unescaped) passwords libpq will use. */
static void parsed_secrets(secrets *sec, const char *conninfo, int depth)
{
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);

	if (!opts)
		return;
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (!o->val)
			continue;
		if (strcmp(o->keyword, "password") == 0)
			secrets_add(sec, o->val, strlen(o->val));
		else if (strcmp(o->keyword, "dbname") == 0 && depth == 0 &&
			 (is_uri(o->val) || strchr(o->val, '=')))
			parsed_secrets(sec, o->val, 1);
	}
	PQconninfoFree(opts);
}

/* The library never prints: notices are for the caller to collect. */
static void quiet_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/*
 * In a fiber: send what is queued and read until a result is ready, so
 * that PQgetResult will not block. A connection that fails on the way
 * leaves PQgetResult to report it (it does not wait on a dead socket).
 */
static void await_result(PGconn *conn)
{
	int sock = PQsocket(conn), sent;

	if (sock < 0)
		return;
	while ((sent = PQflush(conn)) > 0) {
		short ev = varve_fiber__wait(sock, POLLIN | POLLOUT, -1);

		/* The server may answer while we send: read, or both block. */
		if ((ev & (POLLIN | POLLERR | POLLHUP)) && !PQconsumeInput(conn))
			return;
	}
	if (sent < 0)
		return;
	while (PQisBusy(conn)) {
		(void)varve_fiber__wait(sock, POLLIN, -1);
		if (!PQconsumeInput(conn))
			return;
	}
}

PGresult *varve_pg__get_result(PGconn *conn)
{
	if (varve_fiber__active())
		await_result(conn);
	return PQgetResult(conn);
}

/* PQexec's ending: the last result, or the first error (the rest are
 * cleared); NULL when nothing came. */
static PGresult *collect(PGconn *conn)
{
	PGresult *res, *kept = NULL;

	while ((res = varve_pg__get_result(conn)) != NULL) {
		if (kept && PQresultStatus(kept) == PGRES_FATAL_ERROR) {
			PQclear(res);
			continue;
		}
		PQclear(kept);
		kept = res;
	}
	return kept;
}

PGresult *varve_pg__exec(PGconn *conn, const char *sql)
{
	if (!varve_fiber__active())
		return PQexec(conn, sql);
	if (!PQsendQuery(conn, sql))
		return NULL;
	return collect(conn);
}

PGresult *varve_pg__exec_params(PGconn *conn, const char *sql, int nparams,
				const char *const *values)
{
	if (!varve_fiber__active())
		return PQexecParams(conn, sql, nparams, NULL, values, NULL, NULL, 0);
	if (!PQsendQueryParams(conn, sql, nparams, NULL, values, NULL, NULL, 0))
		return NULL;
	return collect(conn);
}

static int run_set(PGconn *conn, const char *sql)
{
	PGresult *res = varve_pg__exec(conn, sql);
	int error = 0;

	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		varve_buf msg = VARVE_BUF_INIT;

		varve_pg__oneline(&msg, PQerrorMessage(conn));
		error = varve_error__set(VARVE_ECONNECT, "cannot run '%s': %s", sql,
					 varve_buf_cstr(&msg));
		varve_buf_dispose(&msg);
	}
	PQclear(res);
	return error;
}

size_t varve_pg__session_settings(int server_version, const char *const **out)
{
	static const char *const sets[] = {
		"SET client_min_messages = warning",
		/* PostgreSQL 14 on: a dead client is noticed mid-statement. */
		"SET client_connection_check_interval = '1s'",
	};

	*out = sets;
	return server_version >= 140000 ? 2 : 1;
}

/*
 * Set the error `code` with `line` scrubbed of every secret, and of
 * whatever else looks like one.
 */
static int set_scrubbed(int code, const varve_buf *line, const secrets *sec)
{
	varve_buf clean = VARVE_BUF_INIT;
	char *masked;
	int error;

	scrub(&clean, varve_buf_cstr(line), sec, false);
	if (clean.oom || !(masked = varve_text_redact(varve_buf_cstr(&clean)))) {
		varve_buf_dispose(&clean);
		return varve_error__oom();
	}
	error = varve_error__set(code, "%s", masked);
	free(masked);
	varve_buf_dispose(&clean);
	return error;
}

/* The connect_timeout set in `conninfo` (or a connection string in its
 * dbname), in seconds; -1 when it sets none. */
static long connect_timeout_of(const char *conninfo, int depth)
{
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
	long found = -1;

	if (!opts)
		return -1;
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (!o->val || !*o->val)
			continue;
		if (strcmp(o->keyword, "connect_timeout") == 0) {
			found = strtol(o->val, NULL, 10);
			found = found < 0 ? 0 : found;
		}
		else if (strcmp(o->keyword, "dbname") == 0 && depth == 0 && found < 0 &&
			 (is_uri(o->val) || strchr(o->val, '=')))
			found = connect_timeout_of(o->val, 1);
	}
	PQconninfoFree(opts);
	return found;
}

/*
 * PQconnectdbParams in a fiber: PQconnectStartParams and PQconnectPoll,
 * waiting on the socket while the other fibers run. PQconnectPoll does
 * not time out by itself: the deadline is connect_timeout (of the string,
 * else PGCONNECT_TIMEOUT, else varve's default; libpq's minimum of 2 s),
 * counted for the whole attempt.
 */
static PGconn *connect_polled(const char *const *keywords, const char *const *values,
			      const char *conninfo, bool *timed_out)
{
	PGconn *conn = PQconnectStartParams(keywords, values, 1);
	const char *env = getenv("PGCONNECT_TIMEOUT");
	long timeout = connect_timeout_of(conninfo, 0);
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	double deadline;

	if (!conn || PQstatus(conn) == CONNECTION_BAD)
		return conn;
	if (timeout < 0)
		timeout = env && *env ? strtol(env, NULL, 10) : strtol(VARVE_CONNECT_TIMEOUT, NULL, 10);
	if (timeout > 0 && timeout < 2)
		timeout = 2;
	deadline = timeout > 0 ? varve_fiber__now_ms() + (double)timeout * 1000 : -1;
	while (st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
		short ev = varve_fiber__wait(PQsocket(conn), st == PGRES_POLLING_READING
					     ? POLLIN : POLLOUT, deadline);

		if (ev == 0 && deadline >= 0 && varve_fiber__now_ms() >= deadline) {
			*timed_out = true;
			return conn;
		}
		st = PQconnectPoll(conn);
	}
	if (st == PGRES_POLLING_OK)
		(void)PQsetnonblocking(conn, 1);
	return conn;
}

int varve_pg_connect(PGconn **out, const char *conninfo)
{
	const char *keywords[4], *values[4];
	PGconn *conn = NULL;
	secrets sec = {{NULL}, 0};
	varve_buf shown = VARVE_BUF_INIT, line = VARVE_BUF_INIT;
	char *parse_error = NULL, *stripped = NULL;
	PQconninfoOption *opts;
	const char *env_password = getenv("PGPASSWORD");
	const char *env_timeout = getenv("PGCONNECT_TIMEOUT");
	size_t n = 0, scheme;
	bool oom, timed_out = false;
	int error = 0;

	assert(out && conninfo);
	*out = NULL;

	redact(&shown, conninfo, &sec);
	parsed_secrets(&sec, conninfo, 0);
	loose_secrets(&sec, conninfo);
	if (env_password)
		secrets_add(&sec, env_password, strlen(env_password));
	stripped = strip_driver(conninfo, &oom);
	if (shown.oom || oom) {
		error = varve_error__oom();
		goto done;
	}
	if (stripped)
		conninfo = stripped;

	/* A scheme libpq does not know: it would take the URI for a key. */
	if (is_uri(conninfo) && !is_libpq_scheme(conninfo, scheme = scheme_len(conninfo))) {
		varve_buf_printf(&line, "invalid connection string '%s': unknown scheme '%.*s' "
				 "(use postgresql:// or postgres://)", varve_buf_cstr(&shown),
				 (int)scheme, conninfo);
		error = set_scrubbed(VARVE_EINVALID, &line, &sec);
		goto done;
	}
	/* A string that does not parse: say so without echoing it raw. */
	if (*conninfo && (opts = PQconninfoParse(conninfo, &parse_error)) == NULL) {
		if (!parse_error) {
			error = varve_error__oom();
			goto done;
		}
		varve_buf_printf(&line, "invalid connection string '%s': ", varve_buf_cstr(&shown));
		varve_pg__oneline(&line, parse_error);
		error = set_scrubbed(VARVE_EINVALID, &line, &sec);
		goto done;
	} else if (*conninfo) {
		PQconninfoFree(opts);
	}

	/*
	 * Keywords later in the array win, so an application_name or a
	 * connect_timeout in the user's string (expanded from dbname) beats
	 * ours. Without a timeout, an endpoint that never answers would keep
	 * every command waiting forever: 10 s unless the string or
	 * PGCONNECT_TIMEOUT says otherwise (an explicit keyword would beat
	 * the variable).
	 */
	keywords[n] = "application_name";
	values[n++] = "varve";
	if ((!env_timeout || !*env_timeout) && connect_timeout_of(conninfo, 0) < 0) {
		keywords[n] = "connect_timeout";
		values[n++] = VARVE_CONNECT_TIMEOUT;
	}
	keywords[n] = "dbname";
	values[n++] = conninfo;
	keywords[n] = NULL;
	values[n] = NULL;

	conn = varve_fiber__active() ? connect_polled(keywords, values, conninfo, &timed_out)
				     : PQconnectdbParams(keywords, values, 1);
	if (!conn) {
		error = varve_error__oom();
		goto done;
	}
	if (timed_out) {
		/* libpq's own words for it. */
		if (*conninfo)
			varve_buf_printf(&line, "cannot connect to '%s': timeout expired",
					 varve_buf_cstr(&shown));
		else
			varve_buf_puts(&line, "cannot connect: timeout expired");
		error = set_scrubbed(VARVE_ECONNECT, &line, &sec);
		goto done;
	}
	if (PQstatus(conn) != CONNECTION_OK) {
		/* Scrub the whole line: a password may equal a host or user too. */
		if (*conninfo)
			varve_buf_printf(&line, "cannot connect to '%s': ", varve_buf_cstr(&shown));
		else
			varve_buf_puts(&line, "cannot connect: ");
		varve_pg__oneline(&line, PQerrorMessage(conn));
		error = set_scrubbed(VARVE_ECONNECT, &line, &sec);
		goto done;
	}
	PQsetNoticeProcessor(conn, quiet_notices, NULL);
	/* One round trip for both. */
	{
		const char *const *sets;
		size_t nsets = varve_pg__session_settings(PQserverVersion(conn), &sets);

		varve_buf_clear(&line);
		for (size_t i = 0; i < nsets; i++)
			varve_buf_printf(&line, "%s%s", i ? "; " : "", sets[i]);
		if (line.oom) {
			error = varve_error__oom();
			goto done;
		}
		if ((error = run_set(conn, line.ptr)) != 0)
			goto done;
	}

	*out = conn;
	conn = NULL;
done:
	if (conn)
		PQfinish(conn);
	if (parse_error)
		PQfreemem(parse_error);
	secrets_dispose(&sec);
	free(stripped);
	varve_buf_dispose(&shown);
	varve_buf_dispose(&line);
	return error;
}

static double wait_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep `seconds`, or less when a signal comes (the caller looks at stop). */
static void wait_sleep(double seconds)
{
	struct timespec ts;

	if (seconds <= 0)
		return;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	(void)nanosleep(&ts, NULL);
}

/*
 * Poll the server with PQping (as pg_isready does) until it answers that
 * it accepts connections, then connect once for real, so that a password
 * or a database that is wrong is said now rather than never. A server
 * that is starting up (or shutting down, or recovering) is "not yet",
 * like no server at all. Each ping is bounded by what is left of the wait
 * (libpq's connect_timeout, 2 s at least) unless the string sets its own.
 */
int varve_pg_wait(const char *conninfo, double timeout, volatile sig_atomic_t *stop,
		  double *waited)
{
	const char *keywords[4], *values[4];
	double start = wait_now(), deadline = start + (timeout > 0 ? timeout : 0);
	double pause = 0.05;
	char seconds[32], *shown = NULL, *stripped = NULL;
	PQconninfoOption *opts;
	PGPing last = PQPING_NO_RESPONSE;
	PGconn *conn = NULL;
	bool oom;
	int error = 0;

	assert(conninfo);
	if (waited)
		*waited = 0;
	stripped = strip_driver(conninfo, &oom);
	if (oom || !(shown = varve_conninfo_redact(conninfo))) {
		error = varve_error__oom();
		goto done;
	}
	/* A string libpq cannot read: varve_pg_connect says why, sending nothing. */
	opts = *conninfo ? PQconninfoParse(stripped ? stripped : conninfo, NULL) : NULL;
	if (*conninfo && (!opts || (is_uri(conninfo) &&
				    !is_libpq_scheme(conninfo, scheme_len(conninfo)) &&
				    !stripped))) {
		PQconninfoFree(opts);
		error = varve_pg_connect(&conn, conninfo);
		goto done;
	}
	PQconninfoFree(opts);
	for (;;) {
		double left = deadline - wait_now();
		int bound = left > 10 ? 10 : left < 2 ? 2 : (int)(left + 0.999);
		size_t n = 0;

		snprintf(seconds, sizeof(seconds), "%d", bound);
		keywords[n] = "application_name";
		values[n++] = "varve";
		keywords[n] = "connect_timeout";
		values[n++] = seconds;
		keywords[n] = "dbname";
		values[n++] = stripped ? stripped : conninfo;
		keywords[n] = NULL;
		values[n] = NULL;
		last = PQpingParams(keywords, values, 1);
		if (last == PQPING_OK || last == PQPING_NO_ATTEMPT) {
			/* Up: a real connection says whether it lets us in. */
			error = varve_pg_connect(&conn, conninfo);
			goto done;
		}
		if (stop && *stop) {
			error = varve_error__set(VARVE_EINTERRUPTED, "stopped while waiting for %s",
						 shown);
			goto done;
		}
		left = deadline - wait_now();
		if (left <= 0)
			break;
		wait_sleep(pause < left ? pause : left);
		pause = pause * 1.5 > 1 ? 1 : pause * 1.5;
	}
	error = varve_error__set(VARVE_ECONNECT, "%s did not accept connections within %gs: %s",
				 *conninfo ? shown : "the default server (PG* variables)", timeout,
				 last == PQPING_REJECT
				 ? "the server is starting up, shutting down or in recovery"
				 : "no server answered");
done:
	if (waited)
		*waited = wait_now() - start;
	if (conn)
		PQfinish(conn);
	free(shown);
	free(stripped);
	return error;
}
