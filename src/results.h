/*
 * results.h: --results.  A directory tree of each job's seq, stdout and
 * stderr files, or one CSV, TSV or JSON table of all jobs.
 */
#ifndef FANOUT_RESULTS_H
#define FANOUT_RESULTS_H

#include <stddef.h>

#include "input.h"

struct opts;
struct logentry;
struct jobvars;

/* Check --results and open its table, if it is one; fatal on failure. */
void	results_open(const struct opts *);
/* Is --results a CSV, TSV or JSON table (else a directory tree)? */
int	results_table(void);
/* Directory tree: make the job's files; 0 on failure (errno set). */
int	results_files(const struct jobvars *, int *, int *, char **);
/* Table: one row for a finished job. */
void	results_row(const struct logentry *, const struct arg *, int,
	    const char *, size_t, const char *, size_t);
/* --header: column names for the directory tree, in column order. */
void	results_names(char **, int);
void	results_close(void);

#endif
