/*
 * Included first by every library source: the public API, the standard
 * headers every module uses, and the banned-call list.
 */
#ifndef VARVE_COMMON_H
#define VARVE_COMMON_H

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "varve.h"

#define VARVE_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__) || defined(__clang__)
#define VARVE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define VARVE_PRINTF(f, a)
#endif

#include "banned.h"

#endif
