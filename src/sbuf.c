/*
 * sbuf.c: growable byte buffers, used for command lines, records and
 * buffered output.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "util.h"

/* Make room for n more bytes plus the terminating NUL. */
void
sbuf_grow(struct sbuf *b, size_t n)
{
	size_t want = b->len + n + 1;

	if (want <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < want)
		b->cap *= 2;
	b->s = xrealloc(b->s, b->cap);
}

void
sbuf_add(struct sbuf *b, const void *p, size_t n)
{
	sbuf_grow(b, n);
	if (n > 0)	/* p may be an empty sbuf's NULL */
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
sbuf_adds(struct sbuf *b, const char *s)
{
	sbuf_add(b, s, strlen(s));
}

void
sbuf_addc(struct sbuf *b, char c)
{
	sbuf_grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

void
sbuf_reset(struct sbuf *b)
{
	b->len = 0;
	if (b->s != NULL)
		b->s[0] = '\0';
}

void
sbuf_free(struct sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

char *
sbuf_take(struct sbuf *b)
{
	char *s;

	sbuf_grow(b, 0);
	s = b->s;
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}
