/*
 * rpl.h: the table of replacement strings and the search for them in
 * command words.  The table starts as GNU parallel's ({} {.} {/} {//} {/.}
 * {#} {%}), gains the --plus strings, is renamed by -I, --er, --bnr, ...,
 * and extended or redefined by --rpl.  Each string found becomes a
 * reference: which argument it takes (each one, or a position) and how the
 * value is computed (a built-in transformation or an expression).
 */
#ifndef FANOUT_RPL_H
#define FANOUT_RPL_H

#include <stddef.h>

struct opts;
struct expr;

enum rplop {
	RPL_VALUE,	/* {}: the argument itself */
	RPL_DOT,	/* {.} */
	RPL_BASE,	/* {/} */
	RPL_DIR,	/* {//} */
	RPL_BASEDOT,	/* {/.} */
	RPL_SEQ,	/* {#} */
	RPL_SLOT,	/* {%} */
	RPL_EXPR	/* anything else: an expression */
};

struct rplpiece {
	int		 ref;		/* 0: literal text */
	char		*lit;		/* literal text (owned) */
	size_t		 litlen;
	int		 positional;	/* takes one argument, number pos */
	int		 pos;		/* 1-based, negative from the end */
	enum rplop	 op;
	struct expr	*expr;		/* RPL_EXPR; shared, never freed */
};

/* Build the table from the options; a bad --rpl is fatal. */
void	rpl_init(const struct opts *);
/* Join command words that a {= ... =} spans, as GNU parallel does;
 * returns a new vector (the strings are new too). */
char	**rpl_merge(char **, int, int *);
/* Split one word into pieces; returns how many, *out is malloc'd.
 * Bad input (unbalanced {=, bad regex, unknown {+...}) is fatal. */
int	rpl_split(const char *, struct rplpiece **);
/* Do any of the compiled expressions need the number of jobs? */
int	rpl_needs_total(void);

#endif
