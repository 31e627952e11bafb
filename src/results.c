/*
 * results.c: --results, as GNU parallel lays it out.
 *
 * A plain name is a directory: each job's files go in
 * NAME/1/VALUE1/2/VALUE2/... as seq, stdout and stderr, the values written
 * with \\, \t, \0 and / escaped as \\\\, \\t, \\0 and \\_.  A name with
 * replacement strings is expanded per job: ending in / it is that
 * directory, else the job's stdout file, with .err and .seq beside it.
 * A name ending in .csv, .tsv or .json is one table of all jobs (-.csv
 * and friends: standard output).  Nothing else is printed.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "joblog.h"
#include "opts.h"
#include "results.h"
#include "sbuf.h"
#include "tmpl.h"
#include "util.h"

enum rkind { R_DIR, R_TEMPLATE, R_CSV, R_TSV, R_JSON };

static const struct opts *o;
static enum rkind kind;
static struct tmpl *name;
static int fd = -1;
static int header_done;
static char **colnames;		/* --header */
static int ncolnames;

void
results_names(char **names, int n)
{
	colnames = names;
	ncolnames = n;
}

/* Column i's name: its --header name, else its number. */
static const char *
col_name(int i, char *buf, size_t size)
{
	if (i < ncolnames)
		return colnames[i];
	snprintf(buf, size, "%d", i + 1);
	return buf;
}

/* GNU orders the columns by name, numerically and then as text. */
static int
col_before(int a, int b)
{
	char ba[16], bb[16];
	const char *na = col_name(a, ba, sizeof ba);
	const char *nb = col_name(b, bb, sizeof bb);
	double va = strtod(na, NULL), vb = strtod(nb, NULL);

	if (va != vb)
		return va < vb;
	return strcmp(na, nb) < 0;
}

/* Once a value made too long a directory name: the longest allowed. */
static size_t maxname;

/* NAME/VALUE/ for one value, escaped as GNU escapes it. */
static void
dir_part(struct sbuf *dir, const char *cname, const struct arg *a)
{
	const char *c;
	size_t i, start;

	sbuf_addc(dir, '/');
	sbuf_adds(dir, cname);
	sbuf_addc(dir, '/');
	start = dir->len;
	for (i = 0, c = a->s; i < a->len; i++, c++) {
		if (*c == '\\')
			sbuf_adds(dir, "\\\\");
		else if (*c == '\t')
			sbuf_adds(dir, "\\t");
		else if (*c == '/')
			sbuf_adds(dir, "\\_");
		else
			sbuf_addc(dir, *c);
	}
	/* As GNU parallel does, cut the escaped value to fit. */
	if (maxname > 0 && dir->len - start > maxname) {
		dir->len = start + maxname;
		dir->s[dir->len] = '\0';
	}
}

static int	make_dirs(const char *, int);

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

void
results_open(const struct opts *opts)
{
	const char *r;

	o = opts;
	if ((r = o->results) == NULL)
		return;
	if (ends_with(r, ".csv"))
		kind = R_CSV;
	else if (ends_with(r, ".tsv"))
		kind = R_TSV;
	else if (ends_with(r, ".json"))
		kind = R_JSON;
	else {
		name = tmpl_compile_raw(r);
		kind = tmpl_has_refs(name) ? R_TEMPLATE : R_DIR;
		/* A directory that cannot be made is an error before any
		 * job runs, not one warning per job. */
		if (kind == R_DIR && !make_dirs(r, 1))
			fatal("cannot make --results directory '%s': %s", r,
			    strerror(errno));
		return;
	}
	if (strncmp(r, "-.", 2) == 0)
		fd = STDOUT_FILENO;
	else if ((fd = open(r, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1)
		fatal("cannot open --results file '%s': %s", r,
		    strerror(errno));
}

int
results_table(void)
{
	return o != NULL && o->results != NULL && kind >= R_CSV;
}

/* mkdir -p for the directory part of path (all of it with whole). */
static int
make_dirs(const char *path, int whole)
{
	char *p, *copy = xstrdup(path);
	size_t n = strlen(copy);

	if (!whole) {
		p = strrchr(copy, '/');
		if (p == NULL) {
			free(copy);
			return 1;
		}
		*p = '\0';
		n = strlen(copy);
	}
	/* Usually only the last directory is new: one mkdir, not one per
	 * level, as creating is what costs on a disk file system. */
	if (n > 0 && (mkdir(copy, 0777) == 0 || errno == EEXIST)) {
		free(copy);
		return 1;
	}
	for (p = copy + 1; p < copy + n; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(copy, 0777) == -1 && errno != EEXIST)
				goto fail;
			*p = '/';
		}
	if (n > 0 && mkdir(copy, 0777) == -1 && errno != EEXIST)
		goto fail;
	free(copy);
	return 1;
fail:
	free(copy);
	return 0;
}

/* The longest file name the file system under dir takes. */
static size_t
name_max(const char *dir)
{
	long n = pathconf(dir, _PC_NAME_MAX);

	return n > 0 ? (size_t)n : 255;
}

static int
create(const char *path)
{
	return open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
}

int
results_files(const struct jobvars *jv, int *out, int *err, char **outpath)
{
	struct sbuf dir = SBUF_INIT, p = SBUF_INIT;
	char num[32];
	size_t i;
	int k, r, w, *order, seqfd, ok = 0, isdir;

again:
	if (kind == R_DIR) {
		sbuf_reset(&dir);
		sbuf_adds(&dir, o->results);
		w = jv->width > 0 ? jv->width : jv->nargs;
		order = xcalloc((size_t)w + 1, sizeof *order);
		for (k = 0; k < w; k++) {
			for (i = (size_t)k; i > 0 &&
			    col_before(k, order[i - 1]); i--)
				order[i] = order[i - 1];
			order[i] = k;
		}
		/* Each record's values, numbered (or named) from 1. */
		for (r = 0; r + w <= jv->nargs && w > 0; r += w)
			for (k = 0; k < w; k++)
				dir_part(&dir, col_name(order[k], num,
				    sizeof num), &jv->args[r + order[k]]);
		free(order);
		sbuf_addc(&dir, '/');
		isdir = 1;
	} else {
		tmpl_line(name, jv, &dir);
		isdir = dir.len > 0 && dir.s[dir.len - 1] == '/';
	}
	if (!make_dirs(dir.s, isdir)) {
		/* A value too long for a directory name: from now on each is
		 * cut to the longest name the file system takes. */
		if (errno == ENAMETOOLONG && kind == R_DIR && maxname == 0) {
			maxname = name_max(o->results);
			goto again;
		}
		goto done;
	}
	/* NAME/.../stdout, stderr, seq; or FILE, FILE.err, FILE.seq */
	sbuf_add(&p, dir.s, dir.len);
	sbuf_adds(&p, isdir ? "seq" : ".seq");
	if ((seqfd = create(p.s)) == -1)
		goto done;
	snprintf(num, sizeof num, "%lu", jv->seq);
	write_all(seqfd, num, strlen(num));
	close(seqfd);
	sbuf_reset(&p);
	sbuf_add(&p, dir.s, dir.len);
	if (isdir)
		sbuf_adds(&p, "stdout");
	if ((*out = create(p.s)) == -1)
		goto done;
	if (outpath != NULL)
		*outpath = xstrdup(p.s);
	sbuf_reset(&p);
	sbuf_add(&p, dir.s, dir.len);
	sbuf_adds(&p, isdir ? "stderr" : ".err");
	if ((*err = create(p.s)) == -1) {
		close(*out);
		if (outpath != NULL) {
			free(*outpath);
			*outpath = NULL;
		}
		goto done;
	}
	ok = 1;
done:
	sbuf_free(&dir);
	sbuf_free(&p);
	return ok;
}

/* One CSV/TSV field, quoted as GNU parallel (Text::CSV) quotes it. */
static void
csv_field(struct sbuf *b, const char *s, size_t n, int first)
{
	char sep = kind == R_TSV ? '\t' : ',';
	int quote = 0;
	size_t i;

	if (!first)
		sbuf_addc(b, sep);
	for (i = 0; i < n; i++)
		if (s[i] == '"' || s[i] == sep || s[i] == '\0' ||
		    strchr(" \t\n\r\f\v", s[i]) != NULL)
			quote = 1;
	if (!quote) {
		sbuf_add(b, s, n);
		return;
	}
	sbuf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			sbuf_addc(b, '"');
		sbuf_addc(b, s[i]);
	}
	sbuf_addc(b, '"');
}

static void
json_str(struct sbuf *b, const char *s, size_t n)
{
	char esc[8];
	size_t i;

	sbuf_addc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\' || c == '"') {
			sbuf_addc(b, '\\');
			sbuf_addc(b, (char)c);
		} else if (c < 32) {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			sbuf_adds(b, esc);
		} else
			sbuf_addc(b, (char)c);
	}
	sbuf_addc(b, '"');
}

void
results_row(const struct logentry *e, const struct arg *args, int nargs,
    const char *out, size_t outlen, const char *err, size_t errlen)
{
	static const char *cols[] = { "Seq", "Host", "Starttime",
	    "JobRuntime", "Send", "Receive", "Exitval", "Signal", "Command" };
	struct sbuf b = SBUF_INIT;
	char num[64];
	const char *cmd = e->cmd != NULL ? e->cmd : "";
	int i;

	if (kind == R_JSON) {
		snprintf(num, sizeof num, "%lu", e->seq);
		sbuf_adds(&b, "{ \"Seq\": ");
		sbuf_adds(&b, num);
		snprintf(num, sizeof num, ", \"Host\": \":\", \"Starttime\": "
		    "%.3f, ", e->start);
		sbuf_adds(&b, num);
		snprintf(num, sizeof num, "\"JobRuntime\": %.3f, ", e->runtime);
		sbuf_adds(&b, num);
		snprintf(num, sizeof num, "\"Send\": %lld, \"Receive\": %lld, ",
		    e->send, e->receive);
		sbuf_adds(&b, num);
		snprintf(num, sizeof num, "\"Exitval\": %d, \"Signal\": %d, ",
		    e->exitval, e->signal);
		sbuf_adds(&b, num);
		sbuf_adds(&b, "\"Command\": ");
		json_str(&b, cmd, strlen(cmd));
		sbuf_adds(&b, ", \"V\": [ ");
		for (i = 0; i < nargs; i++) {
			if (i > 0)
				sbuf_addc(&b, ',');
			json_str(&b, args[i].s, args[i].len);
		}
		sbuf_adds(&b, " ], \"Stdout\": ");
		json_str(&b, out, outlen);
		sbuf_adds(&b, ", \"Stderr\": ");
		json_str(&b, err, errlen);
		sbuf_adds(&b, " }\n");
	} else {
		if (!header_done) {
			header_done = 1;
			for (i = 0; i < 9; i++)
				csv_field(&b, cols[i], strlen(cols[i]), i == 0);
			for (i = 0; i < nargs; i++) {
				/* --header: the column's name. */
				if (i < ncolnames)
					csv_field(&b, colnames[i],
					    strlen(colnames[i]), 0);
				else {
					snprintf(num, sizeof num, "V%d",
					    i + 1);
					csv_field(&b, num, strlen(num), 0);
				}
			}
			csv_field(&b, "Stdout", 6, 0);
			csv_field(&b, "Stderr", 6, 0);
			sbuf_addc(&b, '\n');
		}
		snprintf(num, sizeof num, "%lu", e->seq);
		csv_field(&b, num, strlen(num), 1);
		csv_field(&b, ":", 1, 0);
		snprintf(num, sizeof num, "%.3f", e->start);
		csv_field(&b, num, strlen(num), 0);
		snprintf(num, sizeof num, "%.3f", e->runtime);
		csv_field(&b, num, strlen(num), 0);
		snprintf(num, sizeof num, "%lld", e->send);
		csv_field(&b, num, strlen(num), 0);
		snprintf(num, sizeof num, "%lld", e->receive);
		csv_field(&b, num, strlen(num), 0);
		snprintf(num, sizeof num, "%d", e->exitval);
		csv_field(&b, num, strlen(num), 0);
		snprintf(num, sizeof num, "%d", e->signal);
		csv_field(&b, num, strlen(num), 0);
		csv_field(&b, cmd, strlen(cmd), 0);
		for (i = 0; i < nargs; i++)
			csv_field(&b, args[i].s, args[i].len, 0);
		csv_field(&b, out, outlen, 0);
		csv_field(&b, err, errlen, 0);
		sbuf_addc(&b, '\n');
	}
	if (write_all(fd, b.s, b.len) == -1)
		warning("cannot write to --results: %s", strerror(errno));
	sbuf_free(&b);
}

void
results_close(void)
{
	if (fd > STDOUT_FILENO)
		close(fd);
	fd = -1;
	if (name != NULL)
		tmpl_free(name);
	name = NULL;
}
