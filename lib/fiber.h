/*
 * Fibers: many runs of the single-database runner in one thread, each on
 * a small stack of its own, switched wherever the runner would wait for
 * the server (a reply, the room to send, a connection being made, a
 * pause between lock attempts). The waiting itself is one poll(2) over
 * every fiber's socket (lib/fleet.c). No threads, no processes: a fiber
 * runs only while the others wait.
 *
 * Outside a fiber (the main context), the waits below are plain blocking
 * calls, so the runner's code is the same for one database and for many.
 */
#ifndef VARVE_FIBER_H
#define VARVE_FIBER_H

#include "common.h"

typedef struct varve_fiber varve_fiber;
typedef void (*varve_fiber_fn)(void *arg);

/* A fiber that will run fn(arg) when first resumed. */
int varve_fiber__new(varve_fiber **out, varve_fiber_fn fn, void *arg);
/* Free a fiber that has ended (or never started). Accepts NULL. */
void varve_fiber__free(varve_fiber *f);
/*
 * Run `f` until it waits or ends; `revents` is what poll(2) reported for
 * the descriptor it waits on (0 after its deadline). Returns true when fn
 * has returned.
 */
bool varve_fiber__resume(varve_fiber *f, short revents);
/* What a suspended fiber waits for: a descriptor (-1: none) and its
 * events, and a deadline in varve_fiber__now_ms() time (< 0: none). */
int varve_fiber__fd(const varve_fiber *f, short *events);
double varve_fiber__deadline(const varve_fiber *f);

/* Whether the caller runs in a fiber. */
bool varve_fiber__active(void);
/*
 * Wait until `fd` is ready for `events` (POLLIN, POLLOUT) or until
 * `deadline` (< 0: none) has passed; returns the events that came, 0 at
 * the deadline. In a fiber, the other fibers run meanwhile.
 */
short varve_fiber__wait(int fd, short events, double deadline);
/* Pause for `ms` milliseconds; in a fiber, the others run meanwhile. */
void varve_fiber__sleep(double ms);
/* CLOCK_MONOTONIC in milliseconds. */
double varve_fiber__now_ms(void);

#endif
