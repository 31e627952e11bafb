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
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
	char		**pre;		/* preloaded tuples, width each */
	size_t		*prelen;
	size_t		 npre, prepos;
	int		 preloaded;
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

/* The next record of a source after -E and -r are applied. */
static int
source_record(struct input *in, struct source *s, struct sbuf *rec)
{
	int got;

	for (;;) {
		if (s->done)
			return 0;
		if (s->spec->kind == SRC_ARGS)
			got = args_record(in, s, rec);
		else
			got = file_record(in, s, rec);
		if (!got) {
			s->done = 1;
			return 0;
		}
		if (in->o->eof_str != NULL &&
		    strcmp(rec->s, in->o->eof_str) == 0 &&
		    strlen(in->o->eof_str) == rec->len) {
			s->done = 1;
			return 0;
		}
		if (memchr(rec->s, '\0', rec->len) != NULL)
			nul_to_text(in, rec);
		if (in->o->no_run_if_empty && blank(rec->s, rec->len))
			continue;
		return 1;
	}
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
	return in;
}

int
input_width(const struct input *in)
{
	return in->nsrcs;
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

static int input_next_live(struct input *, struct arg *);

unsigned long
input_preload(struct input *in)
{
	struct arg *a = xcalloc((size_t)in->nsrcs, sizeof *a);
	size_t cap = 0, k;
	int i;

	while (input_next_live(in, a)) {
		if (in->npre + (size_t)in->nsrcs > cap) {
			cap = cap ? cap * 2 : 64 * (size_t)in->nsrcs;
			in->pre = xreallocarray(in->pre, cap, sizeof *in->pre);
			in->prelen = xreallocarray(in->prelen, cap,
			    sizeof *in->prelen);
		}
		for (i = 0; i < in->nsrcs; i++) {
			k = in->npre++;
			in->pre[k] = xmemdup(a[i].s, a[i].len + 1);
			in->prelen[k] = a[i].len;
		}
	}
	free(a);
	in->preloaded = 1;
	return (unsigned long)(in->npre / (size_t)in->nsrcs);
}

void
input_shuffle(struct input *in)
{
	size_t n = in->npre / (size_t)in->nsrcs, i, j, k, w = (size_t)in->nsrcs;
	char *ts;
	size_t tl;
	unsigned int seed = (unsigned int)getpid() ^ (unsigned int)time(NULL);

	/* Fisher-Yates over whole tuples. */
	for (i = n; i > 1; i--) {
		j = (size_t)rand_r(&seed) % i;
		for (k = 0; k < w; k++) {
			ts = in->pre[(i - 1) * w + k];
			in->pre[(i - 1) * w + k] = in->pre[j * w + k];
			in->pre[j * w + k] = ts;
			tl = in->prelen[(i - 1) * w + k];
			in->prelen[(i - 1) * w + k] = in->prelen[j * w + k];
			in->prelen[j * w + k] = tl;
		}
	}
}

int
input_next(struct input *in, struct arg *args)
{
	int i;

	if (!in->preloaded)
		return input_next_live(in, args);
	if (in->prepos >= in->npre)
		return 0;
	for (i = 0; i < in->nsrcs; i++, in->prepos++) {
		args[i].s = in->pre[in->prepos];
		args[i].len = in->prelen[in->prepos];
	}
	return 1;
}

static int
input_next_live(struct input *in, struct arg *args)
{
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
	return 1;
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
	free(in->srcs);
	free(in->groups);
	free(in);
}
