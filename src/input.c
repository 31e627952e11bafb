/*
 * input.c: reads the input sources and yields argument tuples.
 *
 * Each source yields records: a file (or stdin) split at the delimiter, or
 * the ::: values, each of which is itself split at the delimiter as GNU
 * parallel does.  A record equal to the -E string ends its source; with -r
 * a record of only white space is skipped.  The first source is streamed a
 * record at a time when nothing is linked to it; every other source is read
 * whole, since its values repeat for each value of the sources before it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "columns.h"
#include "input.h"
#include "opts.h"
#include "sbuf.h"
#include "util.h"

#define READ_CHUNK	65536

struct source {
	const struct srcspec *spec;
	struct source	*reader;	/* whose buffer to read: self, or the
					   first source reading stdin */
	int		 fd;		/* files: the descriptor, -1 when closed */
	char		*buf;		/* files: read buffer */
	size_t		 start, end, cap;
	int		 eof;		/* files: read() returned 0 */
	int		 argi;		/* ::: values: the next value */
	size_t		 argoff;	/* ... and the offset in it */
	int		 done;		/* no more records */

	char		**vals;		/* loaded sources: the records */
	size_t		 *lens;
	size_t		  nvals, capvals;
};

struct group {
	int		 first, n;	/* sources [first, first + n) */
	size_t		 len;		/* number of tuples */
	size_t		 idx;		/* current tuple */
};

struct input {
	const struct opts *o;
	struct source	*srcs;
	int		 nsrcs;
	struct group	*groups;
	int		 ngroups;
	int		 streamed;	/* group 0 is one source read lazily */
	struct sbuf	 cur0;		/* streamed: the current record */
	int		 started, finished;
	int		 warned_nul;
	char		**pre;		/* preloaded values */
	size_t		*prelen;
	size_t		 npre, prepos;
	size_t		*pretup;	/* tuple i: values [pretup[i], ...[i+1]) */
	size_t		 ntup, tuppos;
	int		 preloaded;
	struct arg	*tuple;		/* the current tuple, nsrcs values */
	struct arg	*out;		/* what input_next hands out */
	size_t		 capout;
	struct columns	*cols;		/* --colsep, --csv, --trim */
	char		**names;	/* --header: column names */
	int		 nnames;
};

static int
open_file(const char *path)
{
	int fd;

	if (strcmp(path, "-") == 0)
		return STDIN_FILENO;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		fatal("cannot open input file '%s': %s", path, strerror(errno));
	return fd;
}

/* The next raw record of a file source, without its delimiter. */
static int
file_record(struct input *in, struct source *src, struct sbuf *rec)
{
	/* Sources that all read stdin share one buffer, as Perl's do. */
	struct source *s = src->reader;
	const char *d = in->o->delim, *p, *hit;
	size_t dl = in->o->delimlen;
	ssize_t n;

	for (;;) {
		/* Look for a delimiter in what is buffered. */
		p = s->buf != NULL ? s->buf + s->start : NULL;
		hit = NULL;
		while (p != NULL && p + dl <= s->buf + s->end) {
			p = memchr(p, d[0], (size_t)(s->buf + s->end - p));
			if (p == NULL || p + dl > s->buf + s->end)
				break;
			if (dl == 1 || memcmp(p, d, dl) == 0) {
				hit = p;
				break;
			}
			p++;
		}
		if (hit != NULL) {
			sbuf_reset(rec);
			sbuf_add(rec, s->buf + s->start,
			    (size_t)(hit - s->buf - s->start));
			s->start = (size_t)(hit - s->buf) + dl;
			return 1;
		}
		if (s->eof) {
			if (s->start == s->end)
				return 0;
			sbuf_reset(rec);
			sbuf_add(rec, s->buf + s->start, s->end - s->start);
			s->start = s->end;
			return 1;
		}
		/* Make room and read more. */
		if (s->start > 0) {
			memmove(s->buf, s->buf + s->start, s->end - s->start);
			s->end -= s->start;
			s->start = 0;
		}
		if (s->cap - s->end < READ_CHUNK) {
			s->cap = s->cap == 0 ? READ_CHUNK * 2 : s->cap * 2;
			s->buf = xrealloc(s->buf, s->cap);
		}
		n = read(s->fd, s->buf + s->end, s->cap - s->end);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fatal("cannot read input file '%s': %s",
			    src->spec->path, strerror(errno));
		}
		if (n == 0)
			s->eof = 1;
		s->end += (size_t)n;
	}
}

/* The next raw record of ::: values: each value split at the delimiter. */
static int
args_record(struct input *in, struct source *s, struct sbuf *rec)
{
	const char *d = in->o->delim, *v, *p;
	size_t dl = in->o->delimlen, vlen;

	if (s->argi >= s->spec->nargs)
		return 0;
	v = s->spec->args[s->argi];
	vlen = strlen(v);
	p = NULL;
	if (dl <= vlen) {
		for (p = v + s->argoff; p + dl <= v + vlen; p++)
			if (memcmp(p, d, dl) == 0)
				break;
		if (p + dl > v + vlen)
			p = NULL;
	}
	sbuf_reset(rec);
	if (p != NULL) {
		sbuf_add(rec, v + s->argoff, (size_t)(p - v) - s->argoff);
		s->argoff = (size_t)(p - v) + dl;
	} else {
		sbuf_add(rec, v + s->argoff, vlen - s->argoff);
		s->argi++;
		s->argoff = 0;
	}
	return 1;
}

/* Perl's \s: the white space -r looks for. */
static int
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strchr(" \t\n\r\f\v", s[i]) == NULL || s[i] == '\0')
			return 0;
	return 1;
}

/*
 * A NUL cannot reach a job in its argument list: GNU parallel writes it as
 * the two characters \0 and warns.
 */
static void
nul_to_text(struct input *in, struct sbuf *rec)
{
	struct sbuf out = SBUF_INIT;
	size_t i;

	for (i = 0; i < rec->len; i++) {
		if (rec->s[i] == '\0')
			sbuf_add(&out, "\\0", 2);
		else
			sbuf_addc(&out, rec->s[i]);
	}
	sbuf_free(rec);
	*rec = out;
	if (!in->warned_nul) {
		in->warned_nul = 1;
		warning("a NUL character in the input was replaced with \\0; "
		    "NUL cannot be passed in an argument list (use --null?)");
	}
}

/* Perl's \s at the end: with -L such a line goes on in the next one. */
static int
ends_blank(const struct sbuf *rec)
{
	return rec->len > 0 && strchr(" \t\n\r\f\v", rec->s[rec->len - 1]) !=
	    NULL && rec->s[rec->len - 1] != '\0';
}

static size_t
count_quotes(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += s[i] == '"';
	return n;
}

static int
raw_record(struct input *in, struct source *s, struct sbuf *rec)
{
	if (s->spec->kind == SRC_ARGS)
		return args_record(in, s, rec);
	return file_record(in, s, rec);
}

/*
 * The next record of a source after -E and -r are applied.  With --csv a
 * record whose double quotes are unbalanced goes on after the delimiter;
 * with -L a record ending in white space goes on in the next one.
 */
static int
source_record(struct input *in, struct source *s, struct sbuf *rec)
{
	const struct opts *o = in->o;
	struct sbuf more = SBUF_INIT;
	int got, cont = 0;

	for (;;) {
		if (s->done)
			break;
		got = raw_record(in, s, cont ? &more : rec);
		if (got && o->csv && count_quotes(cont ? more.s : rec->s,
		    cont ? more.len : rec->len) % 2 == 1) {
			/* An open quote: the delimiter is part of the field. */
			if (cont)
				sbuf_add(rec, more.s, more.len);
			sbuf_add(rec, o->delim, o->delimlen);
			while ((got = raw_record(in, s, &more))) {
				sbuf_add(rec, more.s, more.len);
				if (count_quotes(more.s, more.len) % 2 == 1)
					break;
				sbuf_add(rec, o->delim, o->delimlen);
			}
			if (!got) {
				/* The source ended inside quotes. */
				s->done = 1;
				rec->len -= o->delimlen;
				rec->s[rec->len] = '\0';
			}
			got = 1;
			cont = 0;
		}
		if (!got) {
			s->done = 1;
			break;
		}
		if (o->eof_str != NULL) {
			const struct sbuf *r = cont ? &more : rec;

			if (r->len == strlen(o->eof_str) &&
			    memcmp(r->s, o->eof_str, r->len) == 0) {
				s->done = 1;
				if (cont)
					break;
				sbuf_free(&more);
				return 0;
			}
		}
		if (cont) {
			sbuf_add(rec, more.s, more.len);
			cont = 0;
		}
		if (memchr(rec->s, '\0', rec->len) != NULL)
			nul_to_text(in, rec);
		if (o->no_run_if_empty && blank(rec->s, rec->len))
			continue;
		if (o->max_lines && !o->pipe && ends_blank(rec)) {
			cont = 1;
			continue;
		}
		sbuf_free(&more);
		return 1;
	}
	sbuf_free(&more);
	/* A record still open when the source ends is the last one. */
	return cont;
}

static void
source_load(struct input *in, struct source *s)
{
	struct sbuf rec = SBUF_INIT;

	while (source_record(in, s, &rec)) {
		if (s->nvals == s->capvals) {
			s->capvals = s->capvals ? s->capvals * 2 : 16;
			s->vals = xreallocarray(s->vals, s->capvals,
			    sizeof *s->vals);
			s->lens = xreallocarray(s->lens, s->capvals,
			    sizeof *s->lens);
		}
		s->vals[s->nvals] = xmemdup(rec.s, rec.len + 1);
		s->lens[s->nvals++] = rec.len;
	}
	sbuf_free(&rec);
}

static void	read_header(struct input *);

struct input *
input_open(const struct opts *o)
{
	static struct srcspec stdin_spec = { SRC_FILE, NULL, 0, "-", 0 };
	struct input *in = xcalloc(1, sizeof *in);
	struct source *stdin_src = NULL;
	const struct srcspec *spec;
	int i, nspecs = o->nsrcs;

	in->o = o;
	in->nsrcs = nspecs > 0 ? nspecs : 1;
	in->srcs = xcalloc((size_t)in->nsrcs, sizeof *in->srcs);
	for (i = 0; i < in->nsrcs; i++) {
		spec = nspecs > 0 ? &o->srcs[i] : &stdin_spec;
		in->srcs[i].spec = spec;
		in->srcs[i].fd = -1;
		in->srcs[i].reader = &in->srcs[i];
		if (spec->kind != SRC_FILE)
			continue;
		if (strcmp(spec->path, "-") == 0 && stdin_src != NULL) {
			in->srcs[i].reader = stdin_src;
			continue;
		}
		in->srcs[i].fd = open_file(spec->path);
		if (strcmp(spec->path, "-") == 0)
			stdin_src = &in->srcs[i];
	}
	/* Linked sources form one group. */
	in->groups = xcalloc((size_t)in->nsrcs, sizeof *in->groups);
	for (i = 0; i < in->nsrcs; i++) {
		if (i == 0 || !in->srcs[i].spec->linked) {
			in->groups[in->ngroups].first = i;
			in->ngroups++;
		}
		in->groups[in->ngroups - 1].n++;
	}
	in->streamed = in->groups[0].n == 1;
	in->tuple = xcalloc((size_t)in->nsrcs, sizeof *in->tuple);
	in->cols = columns_new(o);
	if (o->skip_first_line && !o->pipe && !o->pipepart) {
		/* --shebang: the #! line of the script, the first source. */
		struct sbuf rec = SBUF_INIT;

		raw_record(in, &in->srcs[0], &rec);
		sbuf_free(&rec);
	}
	if (o->header != NULL && !o->pipe && !o->pipepart)
		read_header(in);
	return in;
}

static void
name_add(struct input *in, const char *name)
{
	in->names = xreallocarray(in->names, (size_t)in->nnames + 2,
	    sizeof *in->names);
	in->names[in->nnames++] = xstrdup(name);
	in->names[in->nnames] = NULL;
}

/*
 * --header: the first record of each source names its columns, numbered
 * on from one source to the next.  --header 0 reads no header; the -a
 * and :::: file names then name the sources.
 */
static void
read_header(struct input *in)
{
	struct sbuf rec = SBUF_INIT;
	char **names;
	int i, j, n;

	for (i = 0; i < in->nsrcs; i++) {
		if (strcmp(in->o->header, "0") == 0) {
			/* As in GNU parallel, ::: sources take no number. */
			if (in->srcs[i].spec->kind == SRC_FILE)
				name_add(in, in->srcs[i].spec->path);
			continue;
		}
		if (!raw_record(in, &in->srcs[i], &rec))
			continue;
		n = columns_names(in->cols, rec.s, rec.len, &names);
		for (j = 0; j < n; j++) {
			name_add(in, names[j]);
			free(names[j]);
		}
		free(names);
	}
	sbuf_free(&rec);
}

int
input_names(const struct input *in, char ***names)
{
	*names = in->names;
	return in->nnames;
}


/* Read the sources that are not streamed and size the groups. */
static int
input_start(struct input *in)
{
	struct group *g;
	struct source *s;
	int i, j, any = 0, anyempty = 0, got0 = 0;

	/* The first record of the streamed source comes first: when two
	 * sources share stdin, GNU parallel reads them in this order. */
	if (in->streamed) {
		got0 = source_record(in, &in->srcs[0], &in->cur0);
		any |= got0;
		anyempty |= !got0;
	}
	for (i = in->streamed ? 1 : 0; i < in->nsrcs; i++)
		source_load(in, &in->srcs[i]);
	for (i = in->streamed ? 1 : 0; i < in->nsrcs; i++) {
		if (in->srcs[i].nvals > 0)
			any = 1;
		else
			anyempty = 1;
	}
	/* No value anywhere: no job.  GNU parallel treats an empty source
	 * beside non-empty ones as one empty value, except under --link. */
	if (!any || (anyempty && in->o->link))
		return 0;
	if (in->streamed && !got0) {
		sbuf_reset(&in->cur0);
		sbuf_adds(&in->cur0, "");
	}
	for (i = in->streamed ? 1 : 0; i < in->nsrcs; i++) {
		s = &in->srcs[i];
		if (s->nvals == 0) {
			s->vals = xcalloc(1, sizeof *s->vals);
			s->lens = xcalloc(1, sizeof *s->lens);
			s->vals[0] = xstrdup("");
			s->nvals = 1;
		}
	}
	for (i = in->streamed ? 1 : 0; i < in->ngroups; i++) {
		g = &in->groups[i];
		g->len = in->srcs[g->first].nvals;
		for (j = g->first + 1; j < g->first + g->n; j++) {
			if (in->o->link ? in->srcs[j].nvals > g->len :
			    in->srcs[j].nvals < g->len)
				g->len = in->srcs[j].nvals;
		}
	}
	return 1;
}

/* Step to the next combination; 0 when every one has been made. */
static int
input_advance(struct input *in)
{
	int g;

	for (g = in->ngroups - 1; g >= 0; g--) {
		if (g == 0 && in->streamed)
			return source_record(in, &in->srcs[0], &in->cur0);
		if (++in->groups[g].idx < in->groups[g].len)
			return 1;
		in->groups[g].idx = 0;
	}
	return 0;
}

static int input_next_live(struct input *, const struct arg **);

unsigned long
input_preload(struct input *in)
{
	const struct arg *a;
	size_t cap = 0, captup = 0;
	int i, n;

	while ((n = input_next_live(in, &a)) > 0) {
		while (in->npre + (size_t)n > cap) {
			cap = cap ? cap * 2 : 64;
			in->pre = xreallocarray(in->pre, cap, sizeof *in->pre);
			in->prelen = xreallocarray(in->prelen, cap,
			    sizeof *in->prelen);
		}
		if (in->ntup + 2 > captup) {
			captup = captup ? captup * 2 : 64;
			in->pretup = xreallocarray(in->pretup, captup,
			    sizeof *in->pretup);
		}
		in->pretup[in->ntup++] = in->npre;
		for (i = 0; i < n; i++) {
			in->pre[in->npre] = xmemdup(a[i].s, a[i].len + 1);
			in->prelen[in->npre++] = a[i].len;
		}
	}
	if (in->pretup == NULL)
		in->pretup = xcalloc(1, sizeof *in->pretup);
	in->pretup[in->ntup] = in->npre;
	in->preloaded = 1;
	return (unsigned long)in->ntup;
}

void
input_shuffle(struct input *in)
{
	size_t n = in->ntup, i, j, k, w, o;
	char **ts;
	size_t *tl, *order;
	unsigned int seed = (unsigned int)getpid() ^ (unsigned int)time(NULL);

	/* Fisher-Yates over whole tuples, then lay them out again. */
	order = xcalloc(n + 1, sizeof *order);
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n; i > 1; i--) {
		j = (size_t)rand_r(&seed) % i;
		k = order[i - 1];
		order[i - 1] = order[j];
		order[j] = k;
	}
	ts = xcalloc(in->npre + 1, sizeof *ts);
	tl = xcalloc(in->npre + 1, sizeof *tl);
	for (i = 0, o = 0; i < n; i++) {
		k = order[i];
		w = in->pretup[k + 1] - in->pretup[k];
		memcpy(ts + o, in->pre + in->pretup[k], w * sizeof *ts);
		memcpy(tl + o, in->prelen + in->pretup[k], w * sizeof *tl);
		order[i] = o;
		o += w;
	}
	order[n] = o;
	free(in->pre);
	free(in->prelen);
	free(in->pretup);
	in->pre = ts;
	in->prelen = tl;
	in->pretup = order;
}

int
input_next(struct input *in, const struct arg **args)
{
	size_t i, w;

	if (!in->preloaded)
		return input_next_live(in, args);
	if (in->tuppos >= in->ntup)
		return 0;
	w = in->pretup[in->tuppos + 1] - in->pretup[in->tuppos];
	if (w > in->capout) {
		in->capout = w;
		in->out = xreallocarray(in->out, w, sizeof *in->out);
	}
	for (i = 0; i < w; i++, in->prepos++) {
		in->out[i].s = in->pre[in->prepos];
		in->out[i].len = in->prelen[in->prepos];
	}
	in->tuppos++;
	*args = in->out;
	return (int)w;
}

static int
input_next_live(struct input *in, const struct arg **out)
{
	struct arg *args = in->tuple;
	struct group *g;
	struct source *s;
	size_t k;
	int i, j;

	if (in->finished)
		return 0;
	if (!in->started) {
		in->started = 1;
		if (!input_start(in)) {
			in->finished = 1;
			return 0;
		}
	} else if (!input_advance(in)) {
		in->finished = 1;
		return 0;
	}
	for (i = 0; i < in->ngroups; i++) {
		g = &in->groups[i];
		for (j = g->first; j < g->first + g->n; j++) {
			if (i == 0 && in->streamed) {
				args[j].s = in->cur0.s;
				args[j].len = in->cur0.len;
				continue;
			}
			s = &in->srcs[j];
			k = g->idx % s->nvals;
			args[j].s = s->vals[k];
			args[j].len = s->lens[k];
		}
	}
	if (in->cols != NULL)
		return columns_apply(in->cols, args, in->nsrcs, out);
	*out = args;
	return in->nsrcs;
}

void
input_free(struct input *in)
{
	struct source *s;
	size_t k;
	int i;

	for (i = 0; i < in->nsrcs; i++) {
		s = &in->srcs[i];
		if (s->fd > STDIN_FILENO)
			close(s->fd);
		free(s->buf);
		for (k = 0; k < s->nvals; k++)
			free(s->vals[k]);
		free(s->vals);
		free(s->lens);
	}
	sbuf_free(&in->cur0);
	for (k = 0; k < in->npre; k++)
		free(in->pre[k]);
	free(in->pre);
	free(in->prelen);
	free(in->pretup);
	free(in->tuple);
	free(in->out);
	columns_free(in->cols);
	for (i = 0; i < in->nnames; i++)
		free(in->names[i]);
	free(in->names);
	free(in->srcs);
	free(in->groups);
	free(in);
}
