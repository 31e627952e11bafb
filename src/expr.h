/*
 * expr.h: the Perl expressions behind replacement strings ({= =}, --rpl,
 * --plus).  An expression is compiled once.  The common subset (s///,
 * tr///, uc, lc, Q, uq, skip, seq, slot, ...) runs natively on PCRE2;
 * anything else is handed to one perl co-process (perl.c), so the result
 * is what GNU parallel, itself a Perl program, would compute.
 */
#ifndef FANOUT_EXPR_H
#define FANOUT_EXPR_H

#include <stddef.h>

#include "sbuf.h"

struct expr;
struct jobvars;

/* What an evaluation reports besides the value. */
#define EXPR_UNQUOTED	0x1	/* uq(): insert the value unquoted */
#define EXPR_SKIP	0x2	/* skip(): do not run the job */

/* What an expression may do or need, known at compile time. */
#define EXPR_MAY_UNQUOTE 0x1
#define EXPR_NEEDS_TOTAL 0x2

/* Compile code in which $$1, $$2, ... stand for groups (the parts a
 * --rpl shorthand captured).  shown names the string in errors; a bad
 * expression is fatal (exit 255).  pure: the code has no side effects, so
 * it may be tried once at compile time. */
struct expr	*expr_compile(const char *, char **, int, const char *, int);
int		 expr_traits(const struct expr *);
/* Evaluate with $_ set to value idx of the job (or the given text); the
 * result goes to out.  Returns EXPR_* flags. */
int		 expr_eval(struct expr *, const char *, size_t, int,
		    const struct jobvars *, struct sbuf *);
/* GNU parallel's make_regexp_ungreedy: a ? after each quantifier. */
char		*expr_ungreedy(const char *);

#endif
