#include "arena.h"

#define BLOCK_SIZE (64 * 1024)

struct varve_arena_block {
	varve_arena_block *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

void *varve_arena_alloc(varve_arena *arena, size_t size)
{
	const size_t align = sizeof(max_align_t);
	varve_arena_block *b = arena->head;
	size_t need = (size + align - 1) / align * align;
	void *p;

	if (need < size)
		return NULL;
	if (!b || b->size - b->used < need) {
		/* Large requests get a block of their own, placed behind the
		 * current one so its free space is not lost. */
		size_t data = need > BLOCK_SIZE / 4 ? need : BLOCK_SIZE;
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
	}
	p = (char *)b->data + b->used;
	b->used += need;
	return p;
}

char *varve_arena_strndup(varve_arena *arena, const char *s, size_t len)
{
	char *p = varve_arena_alloc(arena, len + 1);

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
