/*
 * perl.h: the perl co-process.  Expressions outside fanout's native subset
 * are compiled and evaluated by one long-lived perl, started on first use,
 * in the environment GNU parallel gives them ($_, @arg, $job, seq(),
 * slot(), skip(), uq(), Q(), total_jobs()).
 */
#ifndef FANOUT_PERL_H
#define FANOUT_PERL_H

#include "sbuf.h"

struct jobvars;

/* Compile the code; returns its id.  shown names the string in errors;
 * a compile error or a missing perl is fatal (exit 255). */
int	perl_compile(const char *, const char *);
/* Evaluate expression id with $_ = v (replaced by the result); returns
 * EXPR_* flags. */
int	perl_eval(int, const struct jobvars *, struct sbuf *);

#endif
