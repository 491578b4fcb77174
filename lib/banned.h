/*
 * Unsafe libc calls become compile errors (as in git's banned.h).
 * Use snprintf, varve_buf or strtol with checks instead.
 */
#ifndef VARVE_BANNED_H
#define VARVE_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_varve

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef gets
#define gets(x) BANNED(gets)

#endif
