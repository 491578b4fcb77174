/*
 * varve_migrate: `varve upgrade TARGET` / `downgrade TARGET` as one call,
 * for programs that embed the library (the Python package): the steps the
 * CLI takes one by one, in the order that is safe under concurrency.
 */
#include "common.h"
#include "db.h"
#include "error.h"

#include <time.h>

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Take the lock, waiting up to the db's lock_wait; with a stop flag, in
 * slices of half a second so that a stop (a cancelled task) ends the wait
 * too, not only a run under way: VARVE_EINTERRUPTED.
 */
static int take_lock(varve_db *db, volatile sig_atomic_t *stop)
{
	double deadline = now_seconds() + db->lock_wait, left;
	int error;

	if (!stop)
		return varve_db_lock(db, db->lock_wait);
	for (;;) {
		if (*stop)
			return varve_error__set(VARVE_EINTERRUPTED, "stopped while waiting for the lock");
		left = deadline - now_seconds();
		error = varve_db_lock(db, left < 0.5 ? (left > 0 ? left : 0) : 0.5);
		if (error != VARVE_ELOCK)
			return error;
		if (now_seconds() >= deadline)
			break;
	}
	/* The message counts the last slice's wait: say the whole wait. */
	{
		const char *holder = strstr(varve_error_last(), "of waiting: ");
		char *copy = holder ? strdup(holder + strlen("of waiting: ")) : NULL;

		if (copy)
			varve_error__set(VARVE_ELOCK,
				"another runner holds the lock on %s after %.0fs of waiting: %s",
				db->table, db->lock_wait, copy);
		free(copy);
	}
	return VARVE_ELOCK;
}

int varve_migrate(varve_db *db, const varve_graph *graph, const char *target,
		  varve_direction direction, const varve_run_options *options,
		  size_t *count, varve_failure **failure)
{
	static const varve_run_options defaults = VARVE_RUN_OPTIONS_INIT;
	varve_steps *steps = NULL;
	const char **revs = NULL;
	const varve_applied *rows;
	size_t n;
	int error;

	assert(db && graph && target);
	if (!options)
		options = &defaults;
	if (count)
		*count = 0;
	if (failure)
		*failure = NULL;
	/* Rows that `varve fix` renamed elsewhere take their new names. */
	if ((error = varve_reconcile(db, graph, options->progress, options->payload)) != 0)
		goto done;
	/* Plan under the lock: another runner may have moved the state. */
	if (!db->locked && (error = take_lock(db, options->stop)) != 0)
		goto done;
	rows = varve_db_applied(db, &n);
	for (size_t i = 0; i < n; i++) {
		if (rows[i].dirty) {
			error = varve_error__set(VARVE_EDIRTY,
				"'%s' is dirty: a non-transactional migration failed part way; "
				"repair the database, then resolve it as applied or rolled back",
				rows[i].revision);
			goto done;
		}
	}
	if (!(revs = calloc(n ? n : 1, sizeof(*revs)))) {
		error = varve_error__oom();
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		revs[i] = rows[i].revision;
	if ((error = varve_target_resolve(&steps, graph, target, direction, revs, n)) != 0)
		goto done;
	if (count)
		*count = varve_steps_count(steps);
	if (varve_steps_count(steps) == 0)
		goto done;
	error = varve_run(db, graph, steps, direction, options, failure);
done:
	free(revs);
	varve_steps_free(steps);
	return error;
}

/* The applied revisions as an array the caller frees (strings borrowed). */
static int applied_revisions(varve_db *db, const char ***out, size_t *n)
{
	const varve_applied *rows = varve_db_applied(db, n);

	if (!(*out = calloc(*n ? *n : 1, sizeof(**out))))
		return varve_error__oom();
	for (size_t i = 0; i < *n; i++)
		(*out)[i] = rows[i].revision;
	return 0;
}

int varve_stamp_target(varve_db *db, const varve_graph *graph, const char *target,
		       size_t *recorded, size_t *removed)
{
	varve_steps *up = NULL, *down = NULL;
	const char **revs = NULL;
	size_t n;
	int error;

	assert(db && graph && target);
	if ((!db->locked && (error = varve_db_lock(db, db->lock_wait)) != 0) ||
	    (error = applied_revisions(db, &revs, &n)) != 0)
		goto done;
	/* The state of the target exactly: what it lacks and what it has. */
	error = varve_target_resolve(&down, graph, target, VARVE_DOWNGRADE, revs, n);
	if (error == VARVE_EUSAGE)
		error = varve_target_resolve(&down, graph, "heads", VARVE_DOWNGRADE, revs, n);
	if (error == 0) {
		error = varve_target_resolve(&up, graph, target, VARVE_UPGRADE, revs, n);
		if (error == VARVE_EUSAGE) /* base: nothing to add */
			error = varve_target_resolve(&up, graph, "+0", VARVE_UPGRADE, revs, n);
	}
	if (error != 0 ||
	    (error = varve_stamp(db, graph, down, VARVE_DOWNGRADE)) != 0 ||
	    (error = varve_stamp(db, graph, up, VARVE_UPGRADE)) != 0)
		goto done;
	if (recorded)
		*recorded = varve_steps_count(up);
	if (removed)
		*removed = varve_steps_count(down);
done:
	free(revs);
	varve_steps_free(up);
	varve_steps_free(down);
	return error;
}
