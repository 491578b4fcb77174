/*
 * A string-keyed open-addressing hash map to size_t values. Keys are
 * borrowed: they must outlive the map (manifest strings live in its arena).
 */
#ifndef VARVE_STRMAP_H
#define VARVE_STRMAP_H

#include "common.h"

typedef struct varve_strmap {
	const char **keys;
	size_t *values;
	size_t cap; /* a power of two, or 0 */
	size_t count;
} varve_strmap;

#define VARVE_STRMAP_INIT { NULL, NULL, 0, 0 }

/*
 * Insert `key` unless present. Returns 0 when inserted, 1 when the key was
 * already there (*existing, if given, gets its value), VARVE_ENOMEM.
 */
int varve_strmap_put(varve_strmap *map, const char *key, size_t value,
		     size_t *existing);
/* Change the value of a present key; false when it is absent. */
bool varve_strmap_set(varve_strmap *map, const char *key, size_t value);
/* Whether `key` is present; its value goes to *value. */
bool varve_strmap_get(const varve_strmap *map, const char *key, size_t *value);
void varve_strmap_dispose(varve_strmap *map);

#endif
