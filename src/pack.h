/*
 * pack.h: input records gathered into jobs: one record each by default,
 * several with -n, -N, -L, or as many as fit on a command line with -X, -m
 * and --xargs.
 */
#ifndef FANOUT_PACK_H
#define FANOUT_PACK_H

#include "input.h"
#include "tmpl.h"

struct opts;
struct pack;

/* The template is switched to context replacement when the options ask
 * for it; nslots is -j, over which -X and -m spread the last records. */
struct pack	*pack_new(const struct opts *, struct input *, struct tmpl *,
		    int);
/* The next job's values into jv (jv->seq and jv->slot are read for {#}
 * and {%}); 1 for a job, 0 at the end of the input, -1 after reporting a
 * value too long for any command line.  Values stay valid until the next
 * call. */
int		 pack_next(struct pack *, struct jobvars *);
/* How many jobs n records make. */
unsigned long	 pack_jobs(const struct pack *, unsigned long);
/* The longest command line (--max-line-length-allowed). */
long		 pack_max_line(void);
/* --show-limits. */
void		 pack_show_limits(void);
void		 pack_free(struct pack *);

#endif
