/*
 * Fuzz entry point for the manifest loader: the input becomes a manifest
 * file (one temporary file per process, rewritten on each call, since the
 * loader reads from a path) and is loaded; everything is freed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "varve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[] = "/tmp/varve-fuzz-manifest-XXXXXX";
static int fd = -1;

static void remove_file(void)
{
	unlink(path);
}

static int write_input(const uint8_t *data, size_t size)
{
	size_t done = 0;

	if (fd < 0) {
		if ((fd = mkstemp(path)) < 0)
			return -1;
		atexit(remove_file);
	}
	if (ftruncate(fd, 0) < 0)
		return -1;
	while (done < size) {
		ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);

		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	varve_diag_list *diags = NULL;
	varve_manifest *manifest = NULL;

	if (write_input(data, size) < 0 || varve_diag_list_new(&diags) < 0)
		abort(); /* the harness itself failed, not the loader */
	varve_manifest_load(&manifest, path, diags);
	for (size_t i = 0; i < varve_diag_list_count(diags); i++)
		if (varve_diag_list_at(diags, i)->line == 0)
			abort(); /* every loader finding has a position */
	varve_manifest_free(manifest);
	varve_diag_list_free(diags);
	return 0;
}
