/*
 * Fibers on ucontext(3): each one a stack of its own (mapped lazily, so
 * only the pages a run touches cost memory) with a guard page below it.
 * The thread's error message (varve_error_last) belongs to whichever
 * fiber runs, so it is swapped at every switch. Under AddressSanitizer
 * the switches are announced to it, which otherwise takes a fiber's
 * stack for a corrupted one.
 */
#include "fiber.h"
#include "error.h"

#include <poll.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VARVE_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define VARVE_ASAN 1
#endif
#ifdef VARVE_ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom,
				    size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old,
				     size_t *size_old);
#endif

/* The runner's deepest stack is libpg_query's parser and the protobuf
 * reading of its output: 2 MiB of address space, of which a run touches
 * a few dozen KiB. */
#define STACK_SIZE ((size_t)2 << 20)

struct varve_fiber {
	ucontext_t ctx;
	ucontext_t *caller;
	void *map;     /* the guard page and the stack */
	size_t map_len;
	varve_fiber_fn fn;
	void *arg;
	bool started, ended;
	/* What it waits for, and what came. */
	int fd;
	short events, revents;
	double deadline;
	/* The error message of whichever side is not running. */
	char error[VARVE_ERROR_MESSAGE_MAX];
#ifdef VARVE_ASAN
	void *fake_stack;
	const void *caller_bottom;
	size_t caller_size;
#endif
};

static _Thread_local varve_fiber *current;

/*
 * swapcontext(save, to). Under AddressSanitizer its interceptor of
 * swapcontext warns on stderr at the first call, whatever it is told
 * about the stacks (which the annotations below do): getcontext and
 * setcontext, which it leaves alone, make the same switch.
 */
static void switch_to(ucontext_t *save, const ucontext_t *to)
{
#ifdef VARVE_ASAN
	volatile bool back = false;

	getcontext(save);
	if (!back) {
		back = true;
		setcontext(to);
	}
#else
	swapcontext(save, to);
#endif
}

double varve_fiber__now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

bool varve_fiber__active(void)
{
	return current != NULL;
}

/* makecontext passes ints: the fiber's address in two halves. */
static void entry(unsigned hi, unsigned lo)
{
	varve_fiber *f = (varve_fiber *)(((uintptr_t)hi << 32) | (uintptr_t)lo);

#ifdef VARVE_ASAN
	__sanitizer_finish_switch_fiber(NULL, &f->caller_bottom, &f->caller_size);
#endif
	f->fn(f->arg);
	f->ended = true;
	current = NULL;
	varve_error__swap(f->error);
#ifdef VARVE_ASAN
	/* NULL: this stack is gone for good. */
	__sanitizer_start_switch_fiber(NULL, f->caller_bottom, f->caller_size);
#endif
	setcontext(f->caller);
}

int varve_fiber__new(varve_fiber **out, varve_fiber_fn fn, void *arg)
{
	long page = sysconf(_SC_PAGESIZE);
	varve_fiber *f;

	*out = NULL;
	if (!(f = calloc(1, sizeof(*f))))
		return varve_error__oom();
	f->fn = fn;
	f->arg = arg;
	f->fd = -1;
	f->deadline = -1;
	f->map_len = STACK_SIZE + (size_t)(page > 0 ? page : 4096);
	f->map = mmap(NULL, f->map_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (f->map == MAP_FAILED) {
		free(f);
		return varve_error__oom();
	}
	/* The stack grows down: a run past its end faults instead of
	 * writing over another fiber's. */
	(void)mprotect(f->map, f->map_len - STACK_SIZE, PROT_NONE);
	if (getcontext(&f->ctx) != 0) {
		munmap(f->map, f->map_len);
		free(f);
		return varve_error__set(VARVE_ERROR, "cannot make a fiber: getcontext failed");
	}
	f->ctx.uc_stack.ss_sp = (char *)f->map + (f->map_len - STACK_SIZE);
	f->ctx.uc_stack.ss_size = STACK_SIZE;
	f->ctx.uc_link = NULL;
	makecontext(&f->ctx, (void (*)(void))entry, 2, (unsigned)((uintptr_t)f >> 32),
		    (unsigned)((uintptr_t)f & 0xffffffffu));
	*out = f;
	return 0;
}

void varve_fiber__free(varve_fiber *f)
{
	if (!f)
		return;
	/* A fiber that did not end holds resources on its stack. */
	assert(!f->started || f->ended);
	munmap(f->map, f->map_len);
	free(f);
}

bool varve_fiber__resume(varve_fiber *f, short revents)
{
	ucontext_t here;

	assert(!current && !f->ended);
	f->revents = revents;
	f->caller = &here;
	f->started = true;
	current = f;
	varve_error__swap(f->error);
#ifdef VARVE_ASAN
	{
		void *fake = NULL;

		__sanitizer_start_switch_fiber(&fake, f->ctx.uc_stack.ss_sp,
					       f->ctx.uc_stack.ss_size);
		switch_to(&here, &f->ctx);
		__sanitizer_finish_switch_fiber(fake, NULL, NULL);
	}
#else
	switch_to(&here, &f->ctx);
#endif
	/* Back: it waits (and swapped the messages back) or it ended. */
	return f->ended;
}

int varve_fiber__fd(const varve_fiber *f, short *events)
{
	*events = f->events;
	return f->fd;
}

double varve_fiber__deadline(const varve_fiber *f)
{
	return f->deadline;
}

/* Back to the scheduler until it resumes this fiber. */
static void yield(varve_fiber *f)
{
	current = NULL;
	varve_error__swap(f->error);
#ifdef VARVE_ASAN
	__sanitizer_start_switch_fiber(&f->fake_stack, f->caller_bottom, f->caller_size);
	switch_to(&f->ctx, f->caller);
	__sanitizer_finish_switch_fiber(f->fake_stack, &f->caller_bottom, &f->caller_size);
#else
	switch_to(&f->ctx, f->caller);
#endif
	/* resume() made it current again and swapped the messages. */
}

short varve_fiber__wait(int fd, short events, double deadline)
{
	varve_fiber *f = current;

	if (!f) {
		struct pollfd p = { fd, events, 0 };

		for (;;) {
			double left = deadline < 0 ? -1 : deadline - varve_fiber__now_ms();
			int n;

			if (deadline >= 0 && left <= 0)
				return 0;
			n = poll(&p, fd >= 0 ? 1 : 0, left < 0 ? -1 : (int)left + 1);
			if (n > 0)
				return p.revents;
			if (n == 0 && deadline >= 0 && varve_fiber__now_ms() >= deadline)
				return 0;
			if (n < 0 && errno != EINTR)
				return POLLERR;
		}
	}
	f->fd = fd;
	f->events = events;
	f->deadline = deadline;
	yield(f);
	f->fd = -1;
	f->events = 0;
	f->deadline = -1;
	return f->revents;
}

void varve_fiber__sleep(double ms)
{
	if (ms <= 0)
		return;
	if (!current) {
		struct timespec ts;

		ts.tv_sec = (time_t)(ms / 1000);
		ts.tv_nsec = (long)((ms - (double)ts.tv_sec * 1000) * 1e6);
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		return;
	}
	(void)varve_fiber__wait(-1, 0, varve_fiber__now_ms() + ms);
}
