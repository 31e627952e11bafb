/*
 * sbuf.h: the one growable byte buffer.  Contents may hold NUL bytes; the
 * buffer is always NUL-terminated after its length so it can be passed as a
 * C string when it holds none.
 */
#ifndef FANOUT_SBUF_H
#define FANOUT_SBUF_H

#include <stddef.h>

struct sbuf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

#define SBUF_INIT { NULL, 0, 0 }

void	sbuf_grow(struct sbuf *, size_t);
void	sbuf_add(struct sbuf *, const void *, size_t);
void	sbuf_adds(struct sbuf *, const char *);
void	sbuf_addc(struct sbuf *, char);
void	sbuf_reset(struct sbuf *);
void	sbuf_free(struct sbuf *);
/* Take ownership of the contents; the buffer is empty afterwards. */
char	*sbuf_take(struct sbuf *);

#endif
