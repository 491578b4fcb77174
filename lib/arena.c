#include "arena.h"

#define BLOCK_SIZE (64 * 1024)

struct varve_arena_block {
	varve_arena_block *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

/* Strings need no alignment; packing them saves a fifth of a large manifest. */
static void *alloc_aligned(varve_arena *arena, size_t size, size_t align)
{
	varve_arena_block *b = arena->head;
	size_t at = b ? (b->used + align - 1) / align * align : 0;

	if (size > SIZE_MAX - sizeof(max_align_t))
		return NULL;
	if (!b || at > b->size || b->size - at < size) {
		/* Large requests get a block of their own, placed behind the
		 * current one so its free space is not lost. */
		size_t data = size > BLOCK_SIZE / 4 ? size : BLOCK_SIZE;
		varve_arena_block *nb = malloc(sizeof(*nb) + data);

		if (!nb)
			return NULL;
		nb->used = 0;
		nb->size = data;
		if (b && data != BLOCK_SIZE) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			arena->head = nb;
		}
		b = nb;
		at = 0;
	}
	b->used = at + size;
	return (char *)b->data + at;
}

void *varve_arena_alloc(varve_arena *arena, size_t size)
{
	return alloc_aligned(arena, size, sizeof(max_align_t));
}

char *varve_arena_strndup(varve_arena *arena, const char *s, size_t len)
{
	char *p = len < SIZE_MAX ? alloc_aligned(arena, len + 1, 1) : NULL;

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *varve_arena_strdup(varve_arena *arena, const char *s)
{
	return varve_arena_strndup(arena, s, strlen(s));
}

void varve_arena_dispose(varve_arena *arena)
{
	varve_arena_block *b = arena->head;

	while (b) {
		varve_arena_block *next = b->next;

		free(b);
		b = next;
	}
	arena->head = NULL;
}
