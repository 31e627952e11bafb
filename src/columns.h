/*
 * columns.h: input records cut into columns (--colsep, --csv), trimmed
 * (--trim), and column names from the header line (--header).
 */
#ifndef FANOUT_COLUMNS_H
#define FANOUT_COLUMNS_H

#include <stddef.h>

#include "input.h"

struct opts;
struct columns;

/* NULL when records are used as they are.  A bad --colsep is fatal. */
struct columns	*columns_new(const struct opts *);
/* Cut the n values of a tuple into columns and trim them; *out stays
 * valid until the next call.  Returns the number of columns. */
int		 columns_apply(struct columns *, const struct arg *, int,
		    const struct arg **);
/* The column names in a header line; returns how many. */
int		 columns_names(struct columns *, const char *, size_t,
		    char ***);
/* text with {name} {name.} ... and {=name ...=} made {id} ...; malloc'd. */
char		*columns_rename(const char *, const char *, int);
void		 columns_free(struct columns *);

#endif
