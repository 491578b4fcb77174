/*
 * bench/gitlog_walk: time the history walk that varve fix orders
 * migrations by (lib/gitlog.c), on the repository that holds the current
 * folder. Prints the files found, the chain's length and the wall time of
 * each run, then the best.
 *
 * Usage: varve-bench-gitlog FOLDER [RUNS]   (FOLDER relative to the
 * working tree, e.g. migrations)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "gitlog.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	git_repository *repo = NULL;
	varve_gitlog *log = NULL;
	double best = -1;
	long runs = argc > 2 ? strtol(argv[2], NULL, 10) : 5;

	if (argc < 2) {
		fprintf(stderr, "usage: varve-bench-gitlog FOLDER [RUNS]\n");
		return 2;
	}
	for (long r = 0; r < runs; r++) {
		double start = now_ms(), ms;
		size_t uncommitted = 0;

		/* Open included: varve fix pays for it too. */
		if (varve_gitlog__open(&repo, ".") ||
		    varve_gitlog__entries(&log, repo, argv[1], false)) {
			fprintf(stderr, "varve-bench-gitlog: %s\n", varve_error_last());
			varve_gitlog__close(repo);
			return 1;
		}
		ms = now_ms() - start;
		for (size_t i = 0; i < log->count; i++)
			uncommitted += log->files[i].order == VARVE_GITLOG_UNCOMMITTED;
		printf("run %ld: %zu files (%zu uncommitted), %zu commits on the "
		       "first-parent chain: %.1f ms\n",
		       r + 1, log->count, uncommitted, log->commits, ms);
		if (best < 0 || ms < best)
			best = ms;
		varve_gitlog__free(log);
		varve_gitlog__close(repo);
		log = NULL;
		repo = NULL;
	}
	printf("best: %.1f ms\n", best);
	return 0;
}
