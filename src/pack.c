/*
 * pack.c: gathers input records into jobs.
 *
 * By default each job gets one record (one value per source, or one per
 * column).  -n and -N give a job up to N records, -L up to N lines, and -X,
 * -m and --xargs as many as fit on a command line.  The length of a
 * candidate line is estimated as GNU parallel estimates it, from the
 * template's text and the quoted values, so that jobs hold the same
 * arguments as there; the limit is the system's longest command line,
 * found the way GNU parallel finds it, or -s.  With -X and -m the records
 * left when the input ends are spread evenly over the job slots.
 *
 * Records are kept in one buffer; a job's values are handed out as
 * pointers into it and dropped when the next job is packed, so packing is
 * linear in the number of arguments.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opts.h"
#include "pack.h"
#include "sbuf.h"
#include "util.h"

extern char **environ;

struct pack {
	const struct opts *o;
	struct input	*in;
	const struct tmpl *t;
	struct tmpl_size sz;
	long		 maxargs;	/* records per job; 0: no limit */
	int		 context;	/* -X, -N, -L: context replacement */
	int		 spread;	/* -X, -m: spread the last records */
	int		 spread_done;
	int		 nslots;
	int		 noarg;		/* -N0 */
	int		 check;		/* measure command lines */
	size_t		 maxlen;
	int		 scale;		/* -q, --shell-quote: pessimism */

	struct sbuf	 data;		/* the values, NUL-terminated */
	size_t		*voff, *vlen;	/* value i */
	size_t		 nv, capv;
	size_t		*rfirst;	/* record i: values [rfirst[i], +rn[i]) */
	int		*rn;
	size_t		 nr, capr;
	size_t		 handed;	/* records given to the last job */
	int		 eof;
	unsigned long	 argno;		/* records read so far */
	struct arg	*args;		/* the job's values */
	size_t		 capargs;
	struct arg	*rec;		/* one record's values, to measure */
	size_t		 caprec;
	struct tmpl_scratch scratch;	/* tmpl_rec_len's buffers */
};

/*
 * The longest command line, as GNU parallel's probe finds it: it runs
 * echo with one ever longer argument, so the kernel's limit on a single
 * argument (MAX_ARG_STRLEN on Linux) or ARG_MAX less the environment
 * decides; the same search is run against that limit, so the result is
 * the number GNU parallel reports.
 */
static long
real_limit(void)
{
	long argmax = sysconf(_SC_ARG_MAX), page = sysconf(_SC_PAGESIZE);
	long env = 0, lim;
	char **e;

	if (argmax <= 0)
		argmax = 131072;
	for (e = environ; e != NULL && *e != NULL; e++)
		env += (long)strlen(*e) + 1 + (long)sizeof(char *);
	lim = argmax - env - 4096;
#ifdef __linux__
	if (page <= 0)
		page = 4096;
	if (32 * page + (long)strlen("/bin/echo") < lim)
		lim = 32 * page + (long)strlen("/bin/echo");
#else
	(void)page;
#endif
	return lim;
}

long
pack_max_line(void)
{
	long limit = real_limit(), len = 324, lower, upper, mid;

	do {
		if (len > 100000000)
			return len;
		lower = len;
		len *= 16;
	} while (len <= limit);
	upper = len;
	while (!(lower == upper || lower == upper - 1 ||
	    (double)lower / (double)upper > 0.99)) {
		mid = (long)((double)(upper - lower) * 0.5 + (double)lower);
		if (mid <= limit)
			lower = mid;
		else
			upper = mid;
	}
	return lower;
}

/* What GNU parallel leaves of it for the arguments. */
static long
usable_line(void)
{
	return (pack_max_line() - 3000) / 2;
}

void
pack_show_limits(void)
{
	printf("Maximal size of command: %ld\n"
	    "Maximal usable size of command: %ld\n"
	    "\n"
	    "Execution will continue now, and it will try to read its input\n"
	    "and run commands; if this is not what you wanted to happen, please\n"
	    "press CTRL-D or CTRL-C\n", pack_max_line(), usable_line());
	fflush(stdout);
}

struct pack *
pack_new(const struct opts *o, struct input *in, struct tmpl *t, int nslots)
{
	struct pack *p = xcalloc(1, sizeof *p);
	long usable;
	int i;

	p->o = o;
	p->in = in;
	p->t = t;
	p->nslots = nslots > 0 ? nslots : 1;
	if (o->pipe || o->pipepart) {
		/* -N and -L count records of the piped input instead. */
		p->maxargs = 1;
		return p;
	}
	p->check = 1;
	p->context = o->context_replace;
	p->spread = o->multi == 'X' || o->multi == 'm';
	if ((o->max_args_set && o->max_args == 0) ||
	    (o->max_lines_zero && !o->max_args_set)) {
		/* -N0, -L 0: records are read, their values never used;
		 * -X and -m still pack them. */
		p->noarg = 1;
		p->maxargs = o->multi == 'X' || o->multi == 'm' ? 0 : 1;
	} else if (o->max_args_set)
		p->maxargs = o->max_args;
	else if (o->max_lines)
		p->maxargs = o->max_lines;
	else if (o->multi)
		p->maxargs = 0;
	else
		p->maxargs = 1;
	if (p->context)
		tmpl_set_context(t);
	tmpl_size(t, &p->sz);
	p->scale = 1;
	if (o->quote)
		p->scale *= 3;
	if (o->shellquote) {
		for (i = 0; i < o->shellquote; i++)
			p->scale *= 3;
		p->scale *= 5;
	}
	usable = usable_line();
	p->maxlen = (size_t)usable;
	if (o->max_chars > 0) {
		if (o->max_chars <= usable)
			p->maxlen = (size_t)o->max_chars;
		else
			warning("Value for option -s should be < %ld.", usable);
	}
	return p;
}

/* Forget the records of the job handed out last. */
static void
drop_handed(struct pack *p)
{
	size_t v, d, i;

	if (p->handed == 0)
		return;
	v = p->handed < p->nr ? p->rfirst[p->handed] : p->nv;
	d = v < p->nv ? p->voff[v] : p->data.len;
	memmove(p->data.s, p->data.s + d, p->data.len - d);
	p->data.len -= d;
	for (i = v; i < p->nv; i++) {
		p->voff[i - v] = p->voff[i] - d;
		p->vlen[i - v] = p->vlen[i];
	}
	p->nv -= v;
	for (i = p->handed; i < p->nr; i++) {
		p->rfirst[i - p->handed] = p->rfirst[i] - v;
		p->rn[i - p->handed] = p->rn[i];
	}
	p->nr -= p->handed;
	p->handed = 0;
}

/* Read one more record into the buffer; 0 at the end of the input. */
static int
fetch(struct pack *p)
{
	const struct arg *a;
	int n, i;

	if (p->eof)
		return 0;
	if ((n = input_next(p->in, &a)) <= 0) {
		p->eof = 1;
		return 0;
	}
	p->argno++;
	if (p->nr == p->capr) {
		p->capr = p->capr ? p->capr * 2 : 16;
		p->rfirst = xreallocarray(p->rfirst, p->capr,
		    sizeof *p->rfirst);
		p->rn = xreallocarray(p->rn, p->capr, sizeof *p->rn);
	}
	p->rfirst[p->nr] = p->nv;
	p->rn[p->nr++] = n;
	for (i = 0; i < n; i++) {
		if (p->nv == p->capv) {
			p->capv = p->capv ? p->capv * 2 : 16;
			p->voff = xreallocarray(p->voff, p->capv,
			    sizeof *p->voff);
			p->vlen = xreallocarray(p->vlen, p->capv,
			    sizeof *p->vlen);
		}
		p->voff[p->nv] = p->data.len;
		p->vlen[p->nv++] = a[i].len;
		sbuf_add(&p->data, a[i].s, a[i].len);
		sbuf_addc(&p->data, '\0');
	}
	return 1;
}

/* Point p->args at the values of records [0, nrec). */
static size_t
fill_args(struct pack *p, size_t nrec)
{
	size_t nv = nrec < p->nr ? p->rfirst[nrec] : p->nv, i;

	if (nv > p->capargs) {
		p->capargs = nv;
		p->args = xreallocarray(p->args, nv, sizeof *p->args);
	}
	for (i = 0; i < nv; i++) {
		p->args[i].s = p->data.s + p->voff[i];
		p->args[i].len = p->vlen[i];
	}
	return nv;
}

/* The values of record k alone. */
static struct arg *
rec_args(struct pack *p, size_t k)
{
	size_t i, n = (size_t)p->rn[k];

	if (n > p->caprec) {
		p->caprec = n;
		p->rec = xreallocarray(p->rec, n, sizeof *p->rec);
	}
	for (i = 0; i < n; i++) {
		p->rec[i].s = p->data.s + p->voff[p->rfirst[k] + i];
		p->rec[i].len = p->vlen[p->rfirst[k] + i];
	}
	return p->rec;
}

/* What record k adds to the references, exactly as GNU counts it. */
static size_t
rec_len(struct pack *p, struct jobvars *rec, size_t k)
{
	rec->args = rec_args(p, k);
	rec->nargs = p->rn[k];
	return tmpl_rec_len(p->t, rec, &p->scratch);
}

/* No less than rec_len(): a quoted value is at most 5 times as long plus
 * its quotes, {//} of a short value is "." and {#} has at most 20 digits. */
static size_t
rec_bound(const struct pack *p, size_t k)
{
	size_t i, sum = 24;

	for (i = 0; i < (size_t)p->rn[k]; i++)
		sum += 5 * p->vlen[p->rfirst[k] + i] + 4;
	return sum * p->sz.refs;
}

/* GNU parallel's estimate of the command line's length. */
static size_t
line_len(const struct pack *p, size_t recargs, size_t vals)
{
	const struct tmpl_size *z = &p->sz;
	size_t len = z->noncontext + vals;

	if (p->context)
		len += recargs * z->context + (recargs - 1) * z->groups;
	else
		len += z->context + (recargs - 1) * z->refs;
	return len * (size_t)p->scale;
}

static void
too_long(struct pack *p, size_t len, const struct arg *a, int n)
{
	struct sbuf s = SBUF_INIT;
	int i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			sbuf_addc(&s, ' ');
		sbuf_add(&s, a[i].s, a[i].len);
	}
	sbuf_grow(&s, 0);
	error("Command line too long (%zu >= %zu) at input %lu: %.50s%s",
	    len, p->maxlen, p->argno - 1, s.s, s.len > 50 ? "..." : "");
	sbuf_free(&s);
}

/*
 * One record per job, the common case: the input's own values are handed
 * out, with no copy, once the line is known to fit.
 */
static int
pack_one(struct pack *p, struct jobvars *jv)
{
	struct jobvars rec;
	const struct arg *a;
	size_t len;
	int n, i;

	if ((n = input_next(p->in, &a)) <= 0)
		return 0;
	p->argno++;
	if (p->check) {
		memset(&rec, 0, sizeof rec);
		rec.seq = jv->seq;
		rec.slot = jv->slot;
		rec.noarg = p->noarg;
		len = 24;
		for (i = 0; i < n; i++)
			len += 5 * a[i].len + 4;
		if (line_len(p, (size_t)n, len * p->sz.refs) >= p->maxlen) {
			rec.args = a;
			rec.nargs = n;
			len = line_len(p, (size_t)n,
			    tmpl_rec_len(p->t, &rec, &p->scratch));
			if (len >= p->maxlen) {
				too_long(p, len, a, n);
				return -1;
			}
		}
	}
	jv->args = a;
	jv->nargs = n;
	jv->noarg = p->noarg;
	jv->width = n;
	return 1;
}

int
pack_next(struct pack *p, struct jobvars *jv)
{
	struct jobvars rec;
	size_t njob = 0, vals = 0, bound = 0, recargs, len, nv, k;
	int exact = 0;

	if (p->maxargs == 1 && !p->spread)
		return pack_one(p, jv);
	drop_handed(p);
	memset(&rec, 0, sizeof rec);
	rec.seq = jv->seq;
	rec.slot = jv->slot;
	rec.noarg = p->noarg;
	for (;;) {
		if (njob == p->nr && !fetch(p))
			break;
		njob++;
		if (!p->check)
			goto counted;
		/* A cheap upper bound first; the exact length, as GNU counts
		 * it, only once the bound comes near the limit. */
		bound += rec_bound(p, njob - 1);
		recargs = njob * (size_t)p->rn[0];
		if (!exact && line_len(p, recargs, bound) >= p->maxlen) {
			exact = 1;
			for (k = 0; k < njob - 1; k++)
				vals += rec_len(p, &rec, k);
		}
		if (!exact)
			goto counted;
		vals += rec_len(p, &rec, njob - 1);
		if ((len = line_len(p, recargs, vals)) >= p->maxlen) {
			if (njob > 1) {
				njob--;
				break;
			}
			too_long(p, len, rec_args(p, 0), p->rn[0]);
			return -1;
		}
counted:
		if (p->maxargs > 0 && njob >= (size_t)p->maxargs)
			break;
	}
	if (p->spread && !p->spread_done && njob > 0 &&
	    njob == p->nr && !fetch(p)) {
		/* The input has ended: share what is left among the slots. */
		p->spread_done = 1;
		if (njob > 1) {
			p->maxargs = (long)((njob + (size_t)p->nslots - 1) /
			    (size_t)p->nslots);
			njob = (size_t)p->maxargs;
		}
	}
	if (njob == 0)
		return 0;
	nv = fill_args(p, njob);
	p->handed = njob;
	jv->args = p->args;
	jv->nargs = (int)nv;
	jv->noarg = p->noarg;
	jv->width = p->rn[0];
	return 1;
}

/* The number of jobs that n records make, for --eta and --halt N%. */
unsigned long
pack_jobs(const struct pack *p, unsigned long n)
{
	unsigned long m = p->maxargs > 1 ? (unsigned long)p->maxargs : 1;

	return (n + m - 1) / m;
}

void
pack_free(struct pack *p)
{
	if (p == NULL)
		return;
	sbuf_free(&p->data);
	free(p->voff);
	free(p->vlen);
	free(p->rfirst);
	free(p->rn);
	free(p->args);
	free(p->rec);
	sbuf_free(&p->scratch.value);
	free(p);
}
