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
/* The next tuple: points *args at its values and returns how many (with
 * --colsep each column is a value), 0 when the input is exhausted.  The
 * values stay valid until the next call. */
int		 input_next(struct input *, const struct arg **);
/* --header: the column names, in column order; returns how many. */
int		 input_names(const struct input *, char ***);
/* Read every tuple now (--halt N% needs the total); returns how many.
 * Memory then grows with the input. */
unsigned long	 input_preload(struct input *);
/* --shuf: put the preloaded tuples in random order. */
void		 input_shuffle(struct input *);
void		 input_free(struct input *);

#endif
