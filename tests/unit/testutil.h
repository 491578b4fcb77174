/*
 * What the unit tests that work in a temporary folder share. The test
 * defines _XOPEN_SOURCE 700 before its first include (for nftw).
 */
#ifndef VARVE_TESTUTIL_H
#define VARVE_TESTUTIL_H

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

static int testutil_remove_entry(const char *p, const struct stat *st, int flag,
				 struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* Remove a folder and everything in it, symlinks not followed. */
static inline int testutil_rmtree(const char *dir)
{
	return nftw(dir, testutil_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
