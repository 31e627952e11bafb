/*
 * columns.c: splits each input record into columns for {1} {2} ...
 *
 * With --colsep a record is cut at every match of a Perl-compatible regular
 * expression, keeping empty columns, as Perl's split with a negative limit
 * does; with --csv it is parsed as one CSV line (fields in double quotes may
 * hold the separator, "" for a quote and line breaks), as Text::CSV parses
 * it for GNU parallel.  --trim then strips white space from every value.
 * --header names the columns: the first record of each source is split the
 * same way, and {name} in the command becomes the column's number.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "opts.h"
#include "sbuf.h"
#include "util.h"

struct columns {
	const struct opts *o;
	pcre2_code	*re;		/* NULL: no splitting, only --trim */
	pcre2_match_data *md;
	int		 csv;
	const char	*sep;		/* --csv: the separator */
	size_t		 seplen;	/* always 1 */
	struct sbuf	 buf;		/* the values' bytes */
	size_t		*offs;		/* value i: buf.s + offs[i] */
	size_t		*lens;
	size_t		 n, cap;
	struct arg	*out;
	size_t		 capout;
};

struct columns *
columns_new(const struct opts *o)
{
	struct columns *c;
	pcre2_code *re = NULL;

	if (o->colsep == NULL && !o->csv && o->trim == TRIM_N)
		return NULL;
	/* A bad pattern is fatal: find out before allocating. */
	if (o->colsep != NULL)
		re = re_compile(o->colsep, 0, "--colsep");
	c = xcalloc(1, sizeof *c);
	c->o = o;
	c->csv = o->csv;
	if (re != NULL) {
		c->re = re;
		c->md = pcre2_match_data_create_from_pattern(c->re, NULL);
	}
	if (o->csv) {
		/* Text::CSV's separator is one character: the first. */
		c->sep = o->colsep != NULL && *o->colsep != '\0' ?
		    o->colsep : ",";
		c->seplen = 1;
	}
	return c;
}

static void
col_add(struct columns *c, const char *s, size_t len)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->offs = xreallocarray(c->offs, c->cap, sizeof *c->offs);
		c->lens = xreallocarray(c->lens, c->cap, sizeof *c->lens);
	}
	c->offs[c->n] = c->buf.len;
	c->lens[c->n++] = len;
	sbuf_add(&c->buf, s, len);
	sbuf_addc(&c->buf, '\0');
}

/*
 * Perl's split /RE/: a match ends a column; a match of nothing at the start
 * makes no empty first column; capture groups become columns too.  keep:
 * keep empty columns at the end (a negative limit).
 */
static void
split_re(struct columns *c, const char *s, size_t len, int keep)
{
	PCRE2_SIZE *ov;
	size_t from = 0, start = 0, mstart, mend, first = c->n;
	uint32_t i, ng;
	int rc;

	ov = pcre2_get_ovector_pointer(c->md);
	while (from <= len) {
		rc = pcre2_match(c->re, (PCRE2_SPTR)s, len, from, 0, c->md,
		    NULL);
		if (rc < 0)
			break;
		mstart = ov[0];
		mend = ov[1];
		if (mend == mstart) {
			/* An empty match splits between characters, never
			 * at the very start or end. */
			if (mstart == 0 || mstart >= len) {
				from = mstart + 1;
				if (mstart >= len)
					break;
				continue;
			}
			if (mstart == start) {
				from = mstart + 1;
				continue;
			}
		}
		col_add(c, s + start, mstart - start);
		ng = (uint32_t)rc;
		for (i = 1; i < ng; i++) {
			if (ov[2 * i] == PCRE2_UNSET)
				col_add(c, "", 0);
			else
				col_add(c, s + ov[2 * i],
				    ov[2 * i + 1] - ov[2 * i]);
		}
		start = mend;
		from = mend > mstart ? mend : mend + 1;
	}
	col_add(c, s + start, len - start);
	if (!keep)
		while (c->n > first && c->lens[c->n - 1] == 0)
			c->n--;
}

/*
 * A line end outside quotes: Text::CSV's parse() stops at it and ignores
 * the rest, which only a record read with -0 or -d can hold.
 */
static int
csv_eol(const char *p, const char *end)
{
	return *p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n');
}

/*
 * One CSV line as Text::CSV reads it with binary on: a field either has no
 * quote at all or is wholly in double quotes, "" standing for one quote.
 * Returns 0 on a line that is not CSV.
 */
static int
split_csv(struct columns *c, const char *s, size_t len)
{
	struct sbuf f = SBUF_INIT;
	const char *p = s, *end = s + len;
	int ok = 1;

	for (;;) {
		sbuf_reset(&f);
		sbuf_grow(&f, 0);
		if (p < end && *p == '"') {
			for (p++;; p++) {
				if (p >= end) {
					ok = 0;
					goto out;
				}
				if (*p != '"') {
					sbuf_addc(&f, *p);
					continue;
				}
				if (p + 1 < end && p[1] == '"') {
					sbuf_addc(&f, '"');
					p++;
					continue;
				}
				p++;
				break;
			}
			if (p < end && !csv_eol(p, end) &&
			    ((size_t)(end - p) < c->seplen ||
			    memcmp(p, c->sep, c->seplen) != 0)) {
				ok = 0;
				goto out;
			}
		} else {
			while (p < end && !csv_eol(p, end) &&
			    ((size_t)(end - p) < c->seplen ||
			    memcmp(p, c->sep, c->seplen) != 0)) {
				/* Quotes and a lone CR belong in quotes. */
				if (*p == '"' || *p == '\r') {
					ok = 0;
					goto out;
				}
				sbuf_addc(&f, *p++);
			}
		}
		col_add(c, f.s, f.len);
		if (p >= end || csv_eol(p, end))
			break;
		p += c->seplen;
	}
out:
	sbuf_free(&f);
	return ok;
}

static int
perl_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
	    ch == '\f' || ch == '\v';
}

/* --trim: strip white space at the start (l), the end (r) or both. */
static void
trim(int how, const char **s, size_t *len)
{
	if (how == TRIM_L || how == TRIM_LR)
		while (*len > 0 && perl_space(**s)) {
			(*s)++;
			(*len)--;
		}
	if (how == TRIM_R || how == TRIM_LR)
		while (*len > 0 && perl_space((*s)[*len - 1]))
			(*len)--;
}

int
columns_apply(struct columns *c, const struct arg *in, int n,
    const struct arg **out)
{
	const char *s;
	size_t i, len;
	int k;

	sbuf_reset(&c->buf);
	c->n = 0;
	for (k = 0; k < n; k++) {
		if (in[k].len == 0 || (c->re == NULL && !c->csv))
			col_add(c, in[k].s, in[k].len);
		else if (c->csv) {
			if (!split_csv(c, in[k].s, in[k].len))
				fatal("--csv: the input is not CSV: ^%.*s^",
				    (int)in[k].len, in[k].s);
		} else
			split_re(c, in[k].s, in[k].len, 1);
	}
	if (c->n > c->capout) {
		c->capout = c->n;
		c->out = xreallocarray(c->out, c->capout, sizeof *c->out);
	}
	for (i = 0; i < c->n; i++) {
		s = c->buf.s + c->offs[i];
		len = c->lens[i];
		trim(c->o->trim, &s, &len);
		/* Values are NUL-terminated: cut the trimmed end. */
		((char *)s)[len] = '\0';
		c->out[i].s = s;
		c->out[i].len = len;
	}
	*out = c->out;
	return (int)c->n;
}

int
columns_names(struct columns *c, const char *s, size_t len, char ***names)
{
	size_t i;

	sbuf_reset(&c->buf);
	c->n = 0;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (c->re != NULL)
		split_re(c, s, len, 0);
	else if (len > 0)
		col_add(c, s, len);
	*names = xcalloc(c->n + 1, sizeof **names);
	for (i = 0; i < c->n; i++)
		(*names)[i] = xmemdup(c->buf.s + c->offs[i], c->lens[i] + 1);
	return (int)c->n;
}

/*
 * {name} {name/} {name//} {name.} {name/.} and {=name ...=} in text become
 * the column's number: {3} {3/} ... {=3 ...=}.
 */
char *
columns_rename(const char *text, const char *name, int id)
{
	static const char *sfx[] = { "}", "/}", "//}", ".}", "/.}", NULL };
	struct sbuf out = SBUF_INIT;
	size_t nl = strlen(name), l;
	const char *p = text;
	char num[24];
	int i;

	while (*p != '\0') {
		if (p[0] == '{' && strncmp(p + 1, name, nl) == 0) {
			for (i = 0; sfx[i] != NULL; i++) {
				l = strlen(sfx[i]);
				if (strncmp(p + 1 + nl, sfx[i], l) == 0)
					break;
			}
			if (sfx[i] != NULL) {
				snprintf(num, sizeof num, "{%d", id);
				sbuf_adds(&out, num);
				sbuf_adds(&out, sfx[i]);
				p += 1 + nl + strlen(sfx[i]);
				continue;
			}
		}
		if (p[0] == '{' && p[1] == '=' && nl > 0 &&
		    strncmp(p + 2, name, nl) == 0 &&
		    strstr(p + 2 + nl, "=}") != NULL) {
			snprintf(num, sizeof num, "{=%d", id);
			sbuf_adds(&out, num);
			p += 2 + nl;
			continue;
		}
		sbuf_addc(&out, *p++);
	}
	sbuf_grow(&out, 0);
	return sbuf_take(&out);
}

void
columns_free(struct columns *c)
{
	if (c == NULL)
		return;
	if (c->md != NULL)
		pcre2_match_data_free(c->md);
	if (c->re != NULL)
		pcre2_code_free(c->re);
	sbuf_free(&c->buf);
	free(c->offs);
	free(c->lens);
	free(c->out);
	free(c);
}
