/*
 * A bump allocator for the many small strings and nodes of a manifest:
 * everything is freed at once with varve_arena_dispose().
 */
#ifndef VARVE_ARENA_H
#define VARVE_ARENA_H

#include "common.h"

typedef struct varve_arena_block varve_arena_block;

typedef struct varve_arena {
	varve_arena_block *head;
} varve_arena;

#define VARVE_ARENA_INIT { NULL }

/* Aligned memory for `size` bytes, or NULL when out of memory. */
void *varve_arena_alloc(varve_arena *arena, size_t size);
/* A NUL-terminated copy of `len` bytes of `s`, or NULL. */
char *varve_arena_strndup(varve_arena *arena, const char *s, size_t len);
char *varve_arena_strdup(varve_arena *arena, const char *s);
void varve_arena_dispose(varve_arena *arena);

#endif
