/*
 * input.h: input sources turned into argument tuples, one tuple per job.
 * Sources combine as GNU parallel combines them: every combination of the
 * sources' values, the first source varying slowest; linked sources (:::+,
 * ::::+, --link) advance together.  A single source is streamed.
 */
#ifndef FANOUT_INPUT_H
#define FANOUT_INPUT_H

#include <stddef.h>

struct opts;

struct arg {
	const char	*s;	/* NUL-terminated */
	size_t		 len;
};

struct input;

/* Open every source; an unreadable file is a fatal error (exit 255). */
struct input	*input_open(const struct opts *);
/* The number of values in each tuple. */
int		 input_width(const struct input *);
/* Fill args[width] with the next tuple; 0 when the input is exhausted.
 * The values stay valid until the next call. */
int		 input_next(struct input *, struct arg *);
/* Read every tuple now (--halt N% needs the total); returns how many.
 * Memory then grows with the input. */
unsigned long	 input_preload(struct input *);
/* --shuf: put the preloaded tuples in random order. */
void		 input_shuffle(struct input *);
void		 input_free(struct input *);

#endif
