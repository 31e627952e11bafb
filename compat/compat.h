/*
 * compat.h: prototypes for the replacements of libc functions the platform
 * may lack.  configure picks which of the replacements get built.
 */
#ifndef FANOUT_COMPAT_H
#define FANOUT_COMPAT_H

#include <stddef.h>

#ifndef HAVE_STRLCPY
size_t	strlcpy(char *, const char *, size_t);
#endif
#ifndef HAVE_REALLOCARRAY
void	*reallocarray(void *, size_t, size_t);
#endif

#endif
