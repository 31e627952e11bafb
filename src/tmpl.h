/*
 * tmpl.h: the command template.  It is compiled once from the command words
 * into literal text and replacement strings, then expanded for each job:
 * as a shell command line quoted exactly as GNU parallel quotes it, or, when
 * the line needs no shell, straight into an argument vector.
 */
#ifndef FANOUT_TMPL_H
#define FANOUT_TMPL_H

#include <stddef.h>

#include "input.h"
#include "sbuf.h"

struct tmpl;

struct jobvars {
	const struct arg *args;		/* the job's values */
	int		  nargs;
	unsigned long	  seq;		/* {#} */
	int		  slot;		/* {%} */
	unsigned long	  total;	/* total_jobs(), {##}; 0 if unknown */
	int		  nslots;	/* the number of job slots, for {0%} */
	int		 *skipped;	/* set when an expression calls skip() */
	int		  noarg;	/* -N0: the values are not inserted */
	int		  width;	/* values per input record, 0: nargs */
	int		  raw;		/* values go in unquoted ($PARALLEL_TMP) */
};

/* The template's lengths as GNU parallel counts them for packing (-X,
 * -m, -s): text outside and inside the blank-separated groups that hold
 * a replacement string, the number of such groups and of references. */
struct tmpl_size {
	size_t		  noncontext;
	size_t		  context;
	size_t		  groups;
	size_t		  refs;
};

/* Compile the command words; quote is -q; append: add the values when
 * the words hold no replacement string.  No words: each value is the
 * command itself. */
struct tmpl	*tmpl_compile(char **, int, int, int);
/* A template whose values go in unquoted (--tagstring). */
struct tmpl	*tmpl_compile_raw(const char *);
/* Does a replacement string need the number of jobs (total_jobs())? */
int		 tmpl_needs_total(void);
/* Does the template hold a replacement string? */
int		 tmpl_has_refs(const struct tmpl *);
/* The literal command word when the line can run without a shell, else
 * NULL. */
const char	*tmpl_direct_word(const struct tmpl *);
/* The command line as the shell would get it. */
void		 tmpl_line(const struct tmpl *, const struct jobvars *,
		    struct sbuf *);
/* The argument vector: words NUL-separated in the sbuf; returns their
 * number.  Only for templates with a direct word. */
int		 tmpl_argv(const struct tmpl *, const struct jobvars *,
		    struct sbuf *);
/* Context replacement (-X, -N, -L): repeat the word around {} for each
 * value.  Call once, right after compiling. */
void		 tmpl_set_context(struct tmpl *);
void		 tmpl_size(const struct tmpl *, struct tmpl_size *);
/* Buffers that tmpl_rec_len reuses from call to call. */
struct tmpl_scratch {
	struct sbuf	  value;
};
/* What one record's values (rec->args) add to the references' length. */
size_t		 tmpl_rec_len(const struct tmpl *, const struct jobvars *,
		    struct tmpl_scratch *);
/* Append s quoted for a Bourne shell as GNU parallel quotes it. */
void		 shell_quote(struct sbuf *, const char *, size_t);
void		 tmpl_free(struct tmpl *);

#endif
