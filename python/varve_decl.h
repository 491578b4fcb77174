/*
 * The part of varve.h (and of libpq-fe.h) that the Python package uses,
 * for cffi's cdef: written from the header, compiled against it in API
 * mode (a field or signature that drifts from varve.h fails the build).
 * "...;" lets the compiler lay out a struct; "#define X ..." takes a
 * constant's value from the header.
 */
#define VARVE_VERSION_MAJOR ...
#define VARVE_VERSION_MINOR ...
#define VARVE_VERSION_PATCH ...

#define VARVE_OK ...
#define VARVE_ERROR ...
#define VARVE_ENOMEM ...
#define VARVE_ENOTFOUND ...
#define VARVE_EAMBIGUOUS ...
#define VARVE_EINVALID ...
#define VARVE_EIO ...
#define VARVE_EUSAGE ...
#define VARVE_ECONNECT ...
#define VARVE_ELOCK ...
#define VARVE_EMIGRATION ...
#define VARVE_EDIRTY ...
#define VARVE_EINTERRUPTED ...
#define VARVE_EEXISTS ...
#define VARVE_ECHANGED ...

const char *varve_version(void);
const char *varve_error_last(void);
const char *varve_strerror(int code);
void free(void *);

typedef enum { VARVE_SEVERITY_ERROR = 0, VARVE_SEVERITY_WARNING = 1 } varve_severity;
typedef struct varve_diag {
	varve_severity severity;
	const char *code;
	const char *message;
	const char *file;
	unsigned line;
	unsigned column;
	const char *hint;
	const char *docs;
} varve_diag;
typedef struct varve_diag_list varve_diag_list;
int varve_diag_list_new(varve_diag_list **out);
void varve_diag_list_free(varve_diag_list *list);
size_t varve_diag_list_count(const varve_diag_list *list);
const varve_diag *varve_diag_list_at(const varve_diag_list *list, size_t i);
void varve_diag_list_sort(varve_diag_list *list);

typedef struct varve_manifest varve_manifest;
typedef struct varve_migration varve_migration;
typedef enum { VARVE_NAMING_TIMESTAMP = 0, VARVE_NAMING_SEQUENTIAL = 1 } varve_naming;
int varve_manifest_load(varve_manifest **out, const char *path, varve_diag_list *diags);
void varve_manifest_free(varve_manifest *manifest);
const char *varve_manifest_version_table(const varve_manifest *manifest);
const char *varve_manifest_database_url(const varve_manifest *manifest);
int varve_manifest_check_url(const varve_manifest *manifest, varve_diag_list *diags);
const char *varve_migration_revision(const varve_migration *m);
size_t varve_migration_parent_count(const varve_migration *m);
const char *varve_migration_parent(const varve_migration *m, size_t i);
const char *varve_migration_description(const varve_migration *m);
const char *varve_migration_branch(const varve_migration *m);
const char *varve_migration_file(const varve_migration *m);
const char *varve_migration_up(const varve_migration *m);
const char *varve_migration_down(const varve_migration *m);
const char *varve_migration_checksum(const varve_migration *m);
bool varve_migration_transaction(const varve_migration *m);

typedef struct varve_graph varve_graph;
int varve_graph_build(varve_graph **out, const varve_manifest *manifest, varve_diag_list *diags);
void varve_graph_free(varve_graph *graph);
size_t varve_graph_count(const varve_graph *graph);
const varve_migration *varve_graph_node(const varve_graph *graph, size_t node);
long varve_graph_find(const varve_graph *graph, const char *revision);
const size_t *varve_graph_order(const varve_graph *graph, size_t *count);
const size_t *varve_graph_heads(const varve_graph *graph, size_t *count);
const size_t *varve_graph_children(const varve_graph *graph, size_t node, size_t *count);

typedef enum { VARVE_UPGRADE = 0, VARVE_DOWNGRADE = 1 } varve_direction;

typedef struct varve_check_options {
	bool strict;
	bool sequential;
	const char *against;
	bool no_lint;
	...;
} varve_check_options;
int varve_check(const char *path, const varve_check_options *options, varve_diag_list *diags);

int varve_conninfo_resolve(char **out, const char *flag, const char *manifest_url);
char *varve_conninfo_redact(const char *conninfo);

typedef struct varve_scratch varve_scratch;
int varve_scratch_start(varve_scratch **out, const char *bindir);
const char *varve_scratch_conninfo(const varve_scratch *s);
void varve_scratch_free(varve_scratch *s);

typedef struct varve_db varve_db;
typedef struct varve_applied {
	const char *revision;
	const char *description;
	const char *checksum;
	const char *applied_at;
	const char *applied_by;
	int64_t duration_ms;
	int64_t seq;
	bool dirty;
} varve_applied;
int varve_db_open(varve_db **out, const char *conninfo, const char *version_table);
void varve_db_free(varve_db *db);
const char *varve_db_display(const varve_db *db);
const char *varve_db_table(const varve_db *db);
void varve_db_set_lock_wait(varve_db *db, double seconds);
const varve_applied *varve_db_applied(const varve_db *db, size_t *count);
const varve_applied *varve_db_find(const varve_db *db, const char *revision);
typedef struct varve_status_counts {
	size_t applied;
	size_t pending;
	size_t dirty;
	size_t unknown;
} varve_status_counts;
int varve_status(varve_db *db, const varve_graph *graph, varve_status_counts *out);
int varve_check_database(varve_db *db, const varve_graph *graph, varve_diag_list *diags);

typedef enum {
	VARVE_EVENT_START = 0,
	VARVE_EVENT_DONE,
	VARVE_EVENT_FAILED,
	VARVE_EVENT_RETRY,
	VARVE_EVENT_RENAMED,
} varve_event_kind;
typedef struct varve_event {
	varve_event_kind kind;
	varve_direction direction;
	const varve_migration *migration;
	double duration_ms;
	int attempt;
	const char *old_revision;
} varve_event;
typedef void (*varve_progress_fn)(const varve_event *event, void *payload);
typedef int... sig_atomic_t;
typedef struct varve_run_options {
	bool single_transaction;
	varve_progress_fn progress;
	void *payload;
	volatile sig_atomic_t *stop;
} varve_run_options;
typedef struct varve_canceller varve_canceller;
int varve_db_canceller(varve_canceller **out, varve_db *db);
void varve_canceller_cancel(varve_canceller *canceller);
void varve_canceller_free(varve_canceller *canceller);
typedef struct varve_failure {
	char *revision;
	char *file;
	unsigned line;
	unsigned column;
	char *sqlstate;
	char *message;
	char *detail;
	char *hint;
	char *cleanup;
	bool dirty;
} varve_failure;
void varve_failure_free(varve_failure *failure);
int varve_migrate(varve_db *db, const varve_graph *graph, const char *target,
		  varve_direction direction, const varve_run_options *options,
		  size_t *count, varve_failure **failure);
int varve_stamp_target(varve_db *db, const varve_graph *graph, const char *target,
		       size_t *recorded, size_t *removed);
int varve_resolve(varve_db *db, const char *revision, bool applied);

int varve_init(const char *path, const char *directory);
typedef struct varve_new_options {
	const char *description;
	bool override_naming;
	varve_naming naming;
	bool transaction;
	int64_t now;
	const char *upgrade_sql;
	const char *downgrade_sql;
	...;
} varve_new_options;
typedef struct varve_added {
	char *revision;
	char *file;
	char **parents;
	size_t parent_count;
} varve_added;
void varve_added_dispose(varve_added *added);
int varve_new(varve_added *out, const char *path, const varve_new_options *options,
	      varve_diag_list *diags);

typedef int... varve_import_tool;
typedef struct varve_import varve_import;
int varve_import_tool_parse(varve_import_tool *out, const char *name);
int varve_import_plan(varve_import **out, const char *manifest_path,
		      const char *directory, varve_import_tool tool,
		      varve_diag_list *diags);
void varve_import_free(varve_import *import);
int varve_import_manifest(varve_manifest **out, const varve_import *import,
			  varve_diag_list *diags);
int varve_import_read_applied(varve_import *import, varve_db *db, const char *table);
size_t varve_import_applied_count(const varve_import *import);
int varve_import_record(varve_import *import, varve_db *db, bool force);

typedef struct pg_conn PGconn;
int varve_pg_wait(const char *conninfo, double timeout, volatile sig_atomic_t *stop,
		  double *waited);
PGconn *varve_db_conn(varve_db *db);
int varve_fix_interrupted(const char *path);

typedef struct varve_schema varve_schema;
typedef struct varve_schema_options {
	const char *exclude_table;
	bool owners;
	...;
} varve_schema_options;
int varve_schema_capture(varve_schema **out, PGconn *conn,
			 const varve_schema_options *options);
void varve_schema_free(varve_schema *schema);
int varve_schema_sql(char **out, const varve_schema *schema);
int varve_schema_head(varve_schema **out, const varve_graph *graph,
		      const varve_schema_options *options, varve_failure **failure);
typedef enum {
	VARVE_SCHEMA_ADDED = 0,
	VARVE_SCHEMA_REMOVED = 1,
	VARVE_SCHEMA_CHANGED = 2,
} varve_schema_change;
typedef struct varve_schema_difference {
	varve_schema_change change;
	const char *kind;
	const char *name;
	const char *before;
	const char *after;
} varve_schema_difference;
typedef struct varve_schema_diff_list varve_schema_diff_list;
size_t varve_schema_diff_list_count(const varve_schema_diff_list *list);
const varve_schema_difference *
varve_schema_diff_list_at(const varve_schema_diff_list *list, size_t i);

int varve_redo(varve_db *db, const varve_graph *graph, const char *target,
	       const varve_run_options *options, size_t *count, varve_failure **failure);

typedef enum {
	VARVE_TEST_PASSED = 0,
	VARVE_TEST_IRREVERSIBLE,
	VARVE_TEST_NO_DOWNGRADE,
	VARVE_TEST_FAILED,
} varve_test_outcome;
typedef enum {
	VARVE_TEST_OK = 0,
	VARVE_TEST_UPGRADE_FAILED,
	VARVE_TEST_DOWNGRADE_FAILED,
	VARVE_TEST_NOT_RESTORED,
	VARVE_TEST_ROWS_LEFT,
	VARVE_TEST_REUPGRADE_FAILED,
	VARVE_TEST_NOT_REPEATABLE,
} varve_test_problem;
typedef struct varve_test_result {
	const varve_migration *migration;
	varve_test_outcome outcome;
	varve_test_problem problem;
	const varve_schema_diff_list *diff;
	const char *detail;
	const varve_failure *failure;
	const char *file;
	unsigned line;
	unsigned column;
	double up_ms, down_ms, reup_ms, capture_ms, total_ms;
} varve_test_result;
typedef void (*varve_test_fn)(const varve_test_result *result, void *payload);
typedef struct varve_test_options {
	const char *from;
	const char *to;
	bool data;
	varve_test_fn progress;
	void *payload;
	volatile sig_atomic_t *stop;
} varve_test_options;
typedef struct varve_test_summary {
	size_t tested;
	size_t passed, irreversible, no_downgrade, failed;
	size_t not_run;
	double capture_ms, sql_ms, total_ms;
} varve_test_summary;
int varve_test(varve_db *db, const varve_graph *graph, const varve_test_options *options,
	       varve_test_summary *out);

typedef struct varve_fleet varve_fleet;
typedef enum { VARVE_FLEET_STOP = 0, VARVE_FLEET_CONTINUE } varve_fleet_on_failure;
int varve_fleet_load(varve_fleet **out, const char *path, varve_diag_list *diags);
void varve_fleet_free(varve_fleet *fleet);
unsigned varve_fleet_concurrency(const varve_fleet *fleet);
varve_fleet_on_failure varve_fleet_failure_mode(const varve_fleet *fleet);
int varve_fleet_resolve(varve_fleet *fleet);
size_t varve_fleet_count(const varve_fleet *fleet);
typedef enum {
	VARVE_TARGET_WAITING = 0,
	VARVE_TARGET_RUNNING,
	VARVE_TARGET_DONE,
	VARVE_TARGET_FAILED,
	VARVE_TARGET_UNREACHABLE,
	VARVE_TARGET_STOPPED,
	VARVE_TARGET_SKIPPED,
} varve_target_state;
typedef struct varve_fleet_target {
	const char *label;
	const char *display;
	const char *schema;
	varve_target_state state;
	int status;
	const char *error;
	const varve_failure *failure;
	size_t planned;
	size_t done;
	size_t applied;
	size_t dirty;
	double duration_ms;
	const varve_migration *running;
	double started_ms;
	const varve_diag_list *findings;
} varve_fleet_target;
const varve_fleet_target *varve_fleet_at(const varve_fleet *fleet, size_t i);
typedef enum { VARVE_FLEET_MIGRATE = 0, VARVE_FLEET_STATUS, VARVE_FLEET_CHECK } varve_fleet_action;
typedef enum {
	VARVE_FLEET_EVENT_START = 0,
	VARVE_FLEET_EVENT_END,
	VARVE_FLEET_EVENT_MIGRATION,
	VARVE_FLEET_EVENT_TICK,
} varve_fleet_event_kind;
typedef struct varve_fleet_event {
	varve_fleet_event_kind kind;
	size_t target;
	const varve_event *event;
} varve_fleet_event;
typedef void (*varve_fleet_progress_fn)(const varve_fleet_event *event, void *payload);
typedef struct varve_fleet_options {
	varve_fleet_action action;
	varve_direction direction;
	const char *target;
	double lock_wait;
	unsigned concurrency;
	int on_failure;
	const bool *selected;
	varve_fleet_progress_fn progress;
	void *payload;
	volatile sig_atomic_t *stop;
} varve_fleet_options;
int varve_fleet_run(varve_fleet *fleet, const varve_graph *graph,
		    const varve_fleet_options *options);

/* libpq, for varve.testing's SQL helper. */
typedef struct pg_result PGresult;
typedef int... ExecStatusType;
#define PGRES_COMMAND_OK ...
#define PGRES_TUPLES_OK ...
int varve_pg_connect(PGconn **out, const char *conninfo);
void PQfinish(PGconn *conn);
PGresult *PQexec(PGconn *conn, const char *query);
ExecStatusType PQresultStatus(const PGresult *res);
char *PQresultErrorMessage(const PGresult *res);
int PQntuples(const PGresult *res);
int PQnfields(const PGresult *res);
char *PQgetvalue(const PGresult *res, int tup_num, int field_num);
int PQgetisnull(const PGresult *res, int tup_num, int field_num);
void PQclear(PGresult *res);

extern "Python" void _varve_on_event(const varve_event *, void *);
extern "Python" void _varve_on_test(const varve_test_result *, void *);
extern "Python" void _varve_on_fleet(const varve_fleet_event *, void *);
