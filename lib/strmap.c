#include "strmap.h"
#include "error.h"

/* FNV-1a: short keys, no adversary that profits from collisions here. */
static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t slot_of(const varve_strmap *map, const char *key, bool *found)
{
	size_t mask = map->cap - 1, i = (size_t)hash(key) & mask;

	while (map->keys[i]) {
		if (strcmp(map->keys[i], key) == 0) {
			*found = true;
			return i;
		}
		i = (i + 1) & mask;
	}
	*found = false;
	return i;
}

static int grow(varve_strmap *map)
{
	size_t cap = map->cap ? map->cap * 2 : 64;
	varve_strmap bigger = { calloc(cap, sizeof(char *)),
				malloc(cap * sizeof(size_t)), cap, 0 };

	if (!bigger.keys || !bigger.values) {
		free(bigger.keys);
		free(bigger.values);
		return varve_error__oom();
	}
	for (size_t i = 0; i < map->cap; i++) {
		bool found;
		size_t s;

		if (!map->keys[i])
			continue;
		s = slot_of(&bigger, map->keys[i], &found);
		bigger.keys[s] = map->keys[i];
		bigger.values[s] = map->values[i];
		bigger.count++;
	}
	varve_strmap_dispose(map);
	*map = bigger;
	return 0;
}

int varve_strmap_put(varve_strmap *map, const char *key, size_t value,
		     size_t *existing)
{
	bool found;
	size_t s;
	int error;

	if ((map->count + 1) * 2 > map->cap && (error = grow(map)) != 0)
		return error;
	s = slot_of(map, key, &found);
	if (found) {
		if (existing)
			*existing = map->values[s];
		return 1;
	}
	map->keys[s] = key;
	map->values[s] = value;
	map->count++;
	return 0;
}

bool varve_strmap_get(const varve_strmap *map, const char *key, size_t *value)
{
	bool found;
	size_t s;

	if (!map->cap)
		return false;
	s = slot_of(map, key, &found);
	if (found && value)
		*value = map->values[s];
	return found;
}

bool varve_strmap_set(varve_strmap *map, const char *key, size_t value)
{
	bool found;
	size_t s;

	if (!map->cap)
		return false;
	s = slot_of(map, key, &found);
	if (found)
		map->values[s] = value;
	return found;
}

void varve_strmap_dispose(varve_strmap *map)
{
	free(map->keys);
	free(map->values);
	map->keys = NULL;
	map->values = NULL;
	map->cap = map->count = 0;
}
