/*
 * tmpl.c: compiles the command template and expands it for each job.
 *
 * Replacement strings are found once, at compile time: {} {.} {/} {//} {/.}
 * {#} {%} and the positional {N} {-N} with the same suffixes.  Each value
 * inserted into a shell line is quoted as GNU parallel quotes it, so it
 * reaches the job as one literal word.  A template with no replacement
 * string gets the values appended.  A job with several values (-n, -X)
 * inserts them all, separated by spaces; with context replacement (-X, -N)
 * the word around the reference is repeated for each value instead.  The
 * template also reports its lengths so that pack.c can fill command lines
 * as GNU parallel fills them.
 *
 * The template is also lexed into words, as the shell would split it.  When
 * its literal text holds nothing the shell would interpret (no $, globs,
 * redirections, ...) the job can be started without a shell: each word is
 * built from its literal parts and the raw values, which is exactly what
 * the shell would have made of the quoted line.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "rpl.h"
#include "tmpl.h"
#include "util.h"

enum refkind { REF_ALL, REF_POS, REF_SEQ, REF_SLOT };
enum refmod { MOD_NONE, MOD_DOT, MOD_BASE, MOD_DIR, MOD_BASEDOT, MOD_EXPR };

struct seg {
	int		 is_ref;
	char		*lit;		/* literal text (for words: unquoted) */
	size_t		 litlen;
	enum refkind	 kind;
	enum refmod	 mod;
	int		 pos;		/* REF_POS: 1-based, or negative */
	int		 blank;		/* context: literal blanks only */
	int		 gstart;	/* context: a tab, opening a group */
	struct expr	*expr;		/* MOD_EXPR: --plus, --rpl, {= =} */
};

struct word {
	struct seg	*segs;
	int		 nsegs;
	int		 solid;		/* exists even when it expands empty */
};

struct tmpl {
	int		 raw;		/* no command: values unquoted */
	int		 quote;		/* -q: every word quoted */
	struct seg	*segs;		/* the shell line (not -q) */
	int		 nsegs;
	struct word	*words;		/* the words, when lexable */
	int		 nwords;
	int		 lexable;
	char		*direct;	/* literal first word, if any */
	int		 context;	/* -X: groups repeat per value */
};

static void
seg_add(struct seg **segs, int *n, const struct seg *s)
{
	*segs = xreallocarray(*segs, (size_t)*n + 1, sizeof **segs);
	(*segs)[(*n)++] = *s;
}

static void
lit_add(struct seg **segs, int *n, const char *p, size_t len)
{
	struct seg s;

	if (len == 0)
		return;
	if (*n > 0 && !(*segs)[*n - 1].is_ref) {
		struct seg *last = &(*segs)[*n - 1];

		last->lit = xrealloc(last->lit, last->litlen + len + 1);
		memcpy(last->lit + last->litlen, p, len);
		last->litlen += len;
		last->lit[last->litlen] = '\0';
		return;
	}
	memset(&s, 0, sizeof s);
	s.lit = xmalloc(len + 1);
	memcpy(s.lit, p, len);
	s.lit[len] = '\0';
	s.litlen = len;
	seg_add(segs, n, &s);
}

/* A reference found by rpl.c, in this module's terms. */
static void
ref_from_piece(const struct rplpiece *p, struct seg *r)
{
	static const enum refmod mods[] = {
		[RPL_VALUE] = MOD_NONE, [RPL_DOT] = MOD_DOT,
		[RPL_BASE] = MOD_BASE, [RPL_DIR] = MOD_DIR,
		[RPL_BASEDOT] = MOD_BASEDOT, [RPL_EXPR] = MOD_EXPR
	};

	memset(r, 0, sizeof *r);
	r->is_ref = 1;
	if (p->op == RPL_SEQ || p->op == RPL_SLOT) {
		r->kind = p->op == RPL_SEQ ? REF_SEQ : REF_SLOT;
		return;
	}
	r->kind = p->positional ? REF_POS : REF_ALL;
	r->pos = p->pos;
	r->mod = mods[p->op];
	r->expr = p->expr;
}

/* Split text into literal and replacement-string segments. */
static int
parse(const char *text, struct seg **segs, int *n)
{
	struct rplpiece *ps;
	struct seg r;
	int i, np, refs = 0;

	np = rpl_split(text, &ps);
	for (i = 0; i < np; i++) {
		if (ps[i].ref) {
			ref_from_piece(&ps[i], &r);
			seg_add(segs, n, &r);
			refs++;
		} else {
			lit_add(segs, n, ps[i].lit, ps[i].litlen);
			free(ps[i].lit);
		}
	}
	free(ps);
	return refs;
}

/* A value that uq() may leave unquoted needs the shell to read it. */
static int
may_unquote(const struct seg *s)
{
	return s->mod == MOD_EXPR &&
	    (expr_traits(s->expr) & EXPR_MAY_UNQUOTE);
}

static int
safe_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80 ||
	    strchr("_./,:=+@%^-", c) != NULL;
}

static void
word_new(struct tmpl *t)
{
	t->words = xreallocarray(t->words, (size_t)t->nwords + 1,
	    sizeof *t->words);
	memset(&t->words[t->nwords++], 0, sizeof *t->words);
}

/*
 * Lex the shell line into words the way the shell would, accepting only
 * plain characters, blanks and quotes that hold no expansions.  Anything
 * else means the line needs a real shell.
 */
static int
lex(struct tmpl *t)
{
	struct word *w = NULL;
	const char *p, *end, *close;
	int i;

	for (i = 0; i < t->nsegs; i++) {
		struct seg *s = &t->segs[i];

		if (s->is_ref) {
			if (may_unquote(s))
				return 0;
			if (w == NULL) {
				word_new(t);
				w = &t->words[t->nwords - 1];
			}
			seg_add(&w->segs, &w->nsegs, s);
			continue;
		}
		for (p = s->lit, end = s->lit + s->litlen; p < end; ) {
			if (*p == ' ' || *p == '\t') {
				w = NULL;
				p++;
				continue;
			}
			if (w == NULL) {
				word_new(t);
				w = &t->words[t->nwords - 1];
			}
			w->solid = 1;
			if (*p == '\'' || *p == '"') {
				close = memchr(p + 1, *p, (size_t)(end - p - 1));
				if (close == NULL)
					return 0;	/* quote spans a value */
				if (*p == '"' && strpbrk(p + 1, "$`\\!") != NULL &&
				    strpbrk(p + 1, "$`\\!") < close)
					return 0;
				lit_add(&w->segs, &w->nsegs, p + 1,
				    (size_t)(close - p - 1));
				p = close + 1;
				continue;
			}
			if (!safe_char((unsigned char)*p))
				return 0;
			lit_add(&w->segs, &w->nsegs, p, 1);
			p++;
		}
	}
	return 1;
}

/* The -q form: each command word is its own word, values inserted raw. */
static void
words_quoted(struct tmpl *t, char **argv, int argc)
{
	int i;

	for (i = 0; i < argc; i++) {
		word_new(t);
		t->words[i].solid = 1;
		parse(argv[i], &t->words[i].segs, &t->words[i].nsegs);
	}
}

static int
words_refs(const struct tmpl *t)
{
	int i, j, refs = 0;

	for (i = 0; i < t->nwords; i++)
		for (j = 0; j < t->words[i].nsegs; j++)
			refs += t->words[i].segs[j].is_ref;
	return refs;
}

/*
 * A replacement string in the command word itself (parallel {}, parallel
 * my_{}, parallel {2} ...): GNU parallel then inserts every value unquoted,
 * so that a value can be a whole command line.
 */
static int
in_command_word(const struct tmpl *t)
{
	int i;

	for (i = 0; i < t->nsegs; i++) {
		if (t->segs[i].is_ref)
			return 1;
		if (strpbrk(t->segs[i].lit, " \t\n=") != NULL)
			return 0;
	}
	return 0;
}

struct tmpl *
tmpl_compile(char **argv, int argc, int quote, int append)
{
	struct tmpl *t = xcalloc(1, sizeof *t);
	struct seg all;
	struct word *w0;
	char **words;
	int i, refs, nwords;

	memset(&all, 0, sizeof all);
	all.is_ref = 1;
	all.kind = REF_ALL;

	if (argc == 0) {
		/* No command: the values are the command line, quoted as
		 * any value with -q, as in GNU parallel. */
		t->raw = !quote;
		seg_add(&t->segs, &t->nsegs, &all);
		return t;
	}
	t->quote = quote;
	/* A {= ... =} may span words; it is one word to GNU parallel. */
	words = rpl_merge(argv, argc, &nwords);
	if (quote) {
		words_quoted(t, words, nwords);
		if (words_refs(t) == 0 && append) {
			word_new(t);
			seg_add(&t->words[t->nwords - 1].segs,
			    &t->words[t->nwords - 1].nsegs, &all);
		}
		t->lexable = 1;
	} else {
		/* Each word is searched on its own: {2 .} is no reference. */
		refs = 0;
		for (i = 0; i < nwords; i++) {
			if (i > 0)
				lit_add(&t->segs, &t->nsegs, " ", 1);
			refs += parse(words[i], &t->segs, &t->nsegs);
		}
		if (refs == 0 && append) {
			lit_add(&t->segs, &t->nsegs, " ", 1);
			seg_add(&t->segs, &t->nsegs, &all);
		}
		t->raw = in_command_word(t);
		t->lexable = !t->raw && lex(t);
	}
	for (i = 0; i < nwords; i++)
		free(words[i]);
	free(words);
	/* A command word made of literal text alone may be run directly. */
	if (t->lexable && t->nwords > 0) {
		w0 = &t->words[0];
		if (w0->nsegs == 1 && !w0->segs[0].is_ref &&
		    strchr(w0->segs[0].lit, '=') == NULL)
			t->direct = w0->segs[0].lit;
	}
	return t;
}

struct tmpl *
tmpl_compile_raw(const char *text)
{
	struct tmpl *t = xcalloc(1, sizeof *t);

	t->raw = 1;
	parse(text, &t->segs, &t->nsegs);
	return t;
}

int
tmpl_has_refs(const struct tmpl *t)
{
	int i;

	for (i = 0; i < t->nsegs; i++)
		if (t->segs[i].is_ref)
			return 1;
	return 0;
}

const char *
tmpl_direct_word(const struct tmpl *t)
{
	return t->direct;
}

/* {.}: Perl's s:\.[^/.]*$:: */
static size_t
strip_ext(const char *s, size_t len)
{
	const char *dot = NULL, *p;

	for (p = s + len; p > s; p--)
		if (p[-1] == '.') {
			dot = p - 1;
			break;
		}
	if (dot == NULL || memchr(dot, '/', len - (size_t)(dot - s)) != NULL)
		return len;
	return (size_t)(dot - s);
}

/* {/}: Perl's s:.*\/:: -- '.' stops at a newline, so the first line that
 * holds a slash loses everything up to its last slash. */
static void
basename_of(const char *s, size_t len, size_t *off, size_t *outlen)
{
	const char *line = s, *end = s + len, *nl, *slash;

	*off = 0;
	*outlen = len;
	while (line < end) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (nl == NULL)
			nl = end;
		slash = NULL;
		for (const char *p = line; p < nl; p++)
			if (*p == '/')
				slash = p;
		if (slash != NULL) {
			/* Remove [line, slash]: keep the parts around it. */
			*off = (size_t)(line - s);
			*outlen = (size_t)(slash + 1 - line);
			return;
		}
		line = nl + 1;
	}
	*outlen = 0;
}

/* File::Basename's directory part, trailing slashes stripped but one. */
static void
dir_part(const char *s, size_t len, const char **d, size_t *dlen)
{
	const char *slash = NULL, *p;

	for (p = s; p < s + len; p++)
		if (*p == '/')
			slash = p;
	if (slash == NULL) {
		*d = "./";
		*dlen = 2;
	} else {
		*d = s;
		*dlen = (size_t)(slash - s) + 1;
	}
	while (*dlen > 1 && (*d)[*dlen - 1] == '/')
		(*dlen)--;
}

/* {//}: Perl's File::Basename::dirname on Unix. */
static void
dirname_of(const char *s, size_t len, struct sbuf *out)
{
	const char *d;
	size_t dlen;

	dir_part(s, len, &d, &dlen);
	/* An empty basename (a trailing slash) means one level up. */
	if (len == 0 || s[len - 1] == '/')
		dir_part(d, dlen, &d, &dlen);
	sbuf_add(out, d, dlen);
}

/* The value of one argument under a reference's modifier, into out;
 * returns the EXPR_* flags of an expression. */
static int
transform(const struct seg *r, const struct arg *a, const struct jobvars *jv,
    struct sbuf *out)
{
	size_t off, cut, len;
	int flags;

	sbuf_reset(out);
	switch (r->mod) {
	case MOD_EXPR:
		flags = expr_eval(r->expr, a->s, a->len, (int)(a - jv->args),
		    jv, out);
		if ((flags & EXPR_SKIP) && jv->skipped != NULL)
			*jv->skipped = 1;
		return flags;
	case MOD_NONE:
		sbuf_add(out, a->s, a->len);
		break;
	case MOD_DOT:
		sbuf_add(out, a->s, strip_ext(a->s, a->len));
		break;
	case MOD_BASE:
	case MOD_BASEDOT:
		basename_of(a->s, a->len, &off, &cut);
		sbuf_add(out, a->s, off);
		sbuf_add(out, a->s + off + cut, a->len - off - cut);
		if (r->mod == MOD_BASEDOT) {
			len = strip_ext(out->s, out->len);
			out->len = len;
			out->s[len] = '\0';
		}
		break;
	case MOD_DIR:
		dirname_of(a->s, a->len, out);
		break;
	}
	return 0;
}

void
shell_quote(struct sbuf *b, const char *s, size_t len)
{
	size_t i, start;
	int plain = 1;

	if (len == 0) {
		sbuf_add(b, "''", 2);
		return;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '+' || c == '/')) {
			plain = 0;
			break;
		}
	}
	if (plain) {
		sbuf_add(b, s, len);
		return;
	}
	/* 'text' with each ' written as '"'"', minus empty '' at the ends. */
	start = b->len;
	sbuf_addc(b, '\'');
	for (i = 0; i < len; i++) {
		if (s[i] == '\'')
			sbuf_add(b, "'\"'\"'", 5);
		else
			sbuf_addc(b, s[i]);
	}
	sbuf_addc(b, '\'');
	if (b->len - start >= 2 && memcmp(b->s + start, "''", 2) == 0) {
		memmove(b->s + start, b->s + start + 2, b->len - start - 2);
		b->len -= 2;
	}
	if (b->len - start >= 2 && memcmp(b->s + b->len - 2, "''", 2) == 0)
		b->len -= 2;
	b->s[b->len] = '\0';
}

/* Which argument a positional reference names, as Perl indexes it. */
static const struct arg *
positional(const struct jobvars *jv, int pos)
{
	int idx = pos > 0 ? pos - 1 : jv->nargs + pos;

	if (idx < 0)
		idx += jv->nargs;
	if (idx < 0 || idx >= jv->nargs)
		return NULL;
	return &jv->args[idx];
}

/*
 * Where expanded text goes: a shell line or argument words.  lit takes
 * template text, val one value (its flag: put it in unquoted), brk separates two values (a space in a
 * line, a word break in words).
 */
struct sink {
	void	(*lit)(void *, const char *, size_t);
	void	(*val)(void *, const char *, size_t, int);
	void	(*brk)(void *);
	void	*ctx;
};

/* Emit the values of a reference; returns how many. */
static int
ref_values(const struct seg *r, const struct jobvars *jv, struct sbuf *tmp,
    const struct sink *k)
{
	static const struct arg empty = { "", 0 };
	struct jobvars one;
	const struct arg *a;
	char num[32];
	int i, n, fl;

	if (jv->nargs == 0) {
		/* A job without arguments (--pipe) has one empty argument,
		 * as in GNU parallel. */
		one = *jv;
		one.args = &empty;
		one.nargs = 1;
		jv = &one;
	}
	switch (r->kind) {
	case REF_SEQ:
		n = snprintf(num, sizeof num, "%lu", jv->seq);
		k->val(k->ctx, num, (size_t)n, 0);
		return 1;
	case REF_SLOT:
		n = snprintf(num, sizeof num, "%d", jv->slot);
		k->val(k->ctx, num, (size_t)n, 0);
		return 1;
	case REF_POS:
		if ((a = positional(jv, r->pos)) == NULL)
			return 0;
		if (!jv->noarg) {
			fl = transform(r, a, jv, tmp);
			k->val(k->ctx, tmp->s, tmp->len, fl & EXPR_UNQUOTED);
		}
		return 1;
	case REF_ALL:
		for (i = 0; i < jv->nargs; i++) {
			if (i > 0)
				k->brk(k->ctx);
			if (jv->noarg)
				continue;
			fl = transform(r, &jv->args[i], jv, tmp);
			k->val(k->ctx, tmp->s, tmp->len, fl & EXPR_UNQUOTED);
		}
		return jv->nargs;
	}
	return 0;
}

/* Is the reference replaced once per value ({}), not once per job? */
static int
ref_per_value(const struct seg *r)
{
	return r->kind == REF_ALL;
}

/*
 * Context replacement (-X, -N, -L): a group of template text without
 * blanks that holds a per-value reference is repeated for every value,
 * as GNU parallel repeats the word around {}.  A group with only
 * positional references is expanded once.
 */
static void
expand_context(const struct seg *segs, int n, const struct jobvars *jv,
    struct sbuf *tmp, const struct sink *k)
{
	struct jobvars one;
	int i, j, g, v, nv, refs, per_value;

	for (i = 0; i < n; i = j) {
		if (!segs[i].is_ref && segs[i].blank) {
			k->lit(k->ctx, segs[i].lit, segs[i].litlen);
			j = i + 1;
			continue;
		}
		refs = per_value = 0;
		for (j = i; j < n && (segs[j].is_ref || !segs[j].blank) &&
		    (j == i || !segs[j].gstart); j++) {
			refs += segs[j].is_ref;
			per_value |= segs[j].is_ref && ref_per_value(&segs[j]);
		}
		nv = per_value && jv->nargs > 1 ? jv->nargs : 1;
		for (v = 0; v < nv; v++) {
			if (v > 0)
				k->brk(k->ctx);
			for (g = i; g < j; g++) {
				if (!segs[g].is_ref)
					k->lit(k->ctx, segs[g].lit,
					    segs[g].litlen);
				else if (refs > 0 && ref_per_value(&segs[g]) &&
				    jv->nargs > 0) {
					one = *jv;
					one.args = &jv->args[v];
					one.nargs = 1;
					ref_values(&segs[g], &one, tmp, k);
				} else
					ref_values(&segs[g], jv, tmp, k);
			}
		}
	}
}

/* Expand a list of segments into the sink. */
static void
expand_segs(const struct tmpl *t, const struct seg *segs, int n,
    const struct jobvars *jv, const struct sink *k)
{
	struct sbuf tmp = SBUF_INIT;
	int i;

	if (t->context)
		expand_context(segs, n, jv, &tmp, k);
	else {
		for (i = 0; i < n; i++) {
			if (segs[i].is_ref)
				ref_values(&segs[i], jv, &tmp, k);
			else
				k->lit(k->ctx, segs[i].lit, segs[i].litlen);
		}
	}
	sbuf_free(&tmp);
}

struct linectx {
	struct sbuf	*out;
	int		 raw;
};

static void
line_lit(void *vctx, const char *s, size_t len)
{
	struct linectx *c = vctx;

	sbuf_add(c->out, s, len);
}

static void
line_val(void *vctx, const char *s, size_t len, int raw)
{
	struct linectx *c = vctx;

	if (c->raw || raw)
		sbuf_add(c->out, s, len);
	else
		shell_quote(c->out, s, len);
}

static void
line_brk(void *vctx)
{
	struct linectx *c = vctx;

	sbuf_addc(c->out, ' ');
}

/* Word building: values split a word as the quoted line would. */
struct wordctx {
	struct sbuf	*cur;		/* the word being built */
	int		 exists;
	void		(*done)(void *, const char *, size_t);
	void		*arg;
};

static void
word_lit(void *vctx, const char *s, size_t len)
{
	struct wordctx *c = vctx;

	sbuf_add(c->cur, s, len);
}

static void
word_val(void *vctx, const char *s, size_t len, int raw)
{
	struct wordctx *c = vctx;

	(void)raw;	/* such templates are not lexed into words */
	sbuf_add(c->cur, s, len);
	c->exists = 1;
}

static void
word_brk(void *vctx)
{
	struct wordctx *c = vctx;

	if (c->exists || c->cur->len > 0)
		c->done(c->arg, c->cur->s, c->cur->len);
	sbuf_reset(c->cur);
	c->exists = 0;
}

static void
expand_words(const struct tmpl *t, const struct jobvars *jv,
    void (*done)(void *, const char *, size_t), void *arg)
{
	struct sbuf cur = SBUF_INIT;
	struct wordctx c;
	struct sink k = { word_lit, word_val, word_brk, NULL };
	int i;

	c.cur = &cur;
	c.done = done;
	c.arg = arg;
	k.ctx = &c;
	for (i = 0; i < t->nwords; i++) {
		const struct word *w = &t->words[i];

		sbuf_reset(&cur);
		sbuf_grow(&cur, 0);
		c.exists = w->solid;
		expand_segs(t, w->segs, w->nsegs, jv, &k);
		if (c.exists || cur.len > 0)
			done(arg, cur.s, cur.len);
	}
	sbuf_free(&cur);
}

struct quotectx {
	struct sbuf	*out;
	int		 n;
};

static void
done_quoted(void *vctx, const char *s, size_t len)
{
	struct quotectx *c = vctx;

	if (c->n++ > 0)
		sbuf_addc(c->out, ' ');
	shell_quote(c->out, s, len);
}

void
tmpl_line(const struct tmpl *t, const struct jobvars *jv, struct sbuf *out)
{
	struct linectx lc;
	struct quotectx qc;
	struct sink k = { line_lit, line_val, line_brk, NULL };

	sbuf_reset(out);
	sbuf_grow(out, 0);
	if (t->quote) {
		qc.out = out;
		qc.n = 0;
		expand_words(t, jv, done_quoted, &qc);
		return;
	}
	lc.out = out;
	lc.raw = t->raw || jv->raw;
	k.ctx = &lc;
	expand_segs(t, t->segs, t->nsegs, jv, &k);
}

struct argvctx {
	struct sbuf	*out;
	int		 n;
};

static void
done_argv(void *vctx, const char *s, size_t len)
{
	struct argvctx *c = vctx;

	sbuf_add(c->out, s, len);
	sbuf_addc(c->out, '\0');
	c->n++;
}

int
tmpl_argv(const struct tmpl *t, const struct jobvars *jv, struct sbuf *out)
{
	struct argvctx c;

	sbuf_reset(out);
	c.out = out;
	c.n = 0;
	expand_words(t, jv, done_argv, &c);
	return c.n;
}

/*
 * Lengths for packing several values into one job, measured as GNU
 * parallel measures them: the template's text outside and inside the
 * blank-separated groups that hold a reference, and what one record's
 * values add to the references.
 */
static int
perl_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

static void
size_segs(const struct seg *segs, int n, struct tmpl_size *sz)
{
	size_t run = 0;
	int i, inref = 0;
	const char *p;

	for (i = 0; i < n; i++) {
		if (segs[i].is_ref) {
			inref = 1;
			sz->refs++;
			continue;
		}
		for (p = segs[i].lit; p < segs[i].lit + segs[i].litlen; p++) {
			if (!perl_space(*p)) {
				run++;
				continue;
			}
			if (inref) {
				sz->context += run;
				sz->groups++;
			} else
				sz->noncontext += run;
			sz->noncontext++;
			run = 0;
			inref = 0;
		}
	}
	if (inref) {
		sz->context += run;
		sz->groups++;
	} else
		sz->noncontext += run;
}

void
tmpl_size(const struct tmpl *t, struct tmpl_size *sz)
{
	int i;

	memset(sz, 0, sizeof *sz);
	if (!t->quote) {
		size_segs(t->segs, t->nsegs, sz);
		return;
	}
	for (i = 0; i < t->nwords; i++) {
		if (i > 0)
			sz->noncontext++;
		size_segs(t->words[i].segs, t->words[i].nsegs, sz);
	}
}

struct lenctx {
	size_t	 len;
	int	 quoted;
};

static void
len_lit(void *vctx, const char *s, size_t len)
{
	(void)vctx;
	(void)s;
	(void)len;
}

/* The length of shell_quote()'s result, without building it. */
static size_t
quoted_len(const char *s, size_t len)
{
	size_t i, n;
	int plain = 1;

	if (len == 0)
		return 2;
	for (i = 0, n = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\'')
			n++;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '+' || c == '/'))
			plain = 0;
	}
	if (plain)
		return len;
	/* '...' with each ' as '"'"'; an empty '' at either end dropped. */
	n = len + 2 + 4 * n;
	if (s[0] == '\'')
		n -= 2;
	if (s[len - 1] == '\'')
		n -= 2;
	return n;
}

static void
len_val(void *vctx, const char *s, size_t len, int raw)
{
	struct lenctx *c = vctx;

	c->len += c->quoted && !raw ? quoted_len(s, len) : len;
}

static void
len_brk(void *vctx)
{
	(void)vctx;
}

static void
len_segs(const struct seg *segs, int n, const struct jobvars *rec,
    struct sbuf *tmp, const struct sink *k)
{
	int i;

	for (i = 0; i < n; i++)
		if (segs[i].is_ref)
			ref_values(&segs[i], rec, tmp, k);
}

size_t
tmpl_rec_len(const struct tmpl *t, const struct jobvars *rec,
    struct tmpl_scratch *sc)
{
	struct lenctx c;
	struct sink k = { len_lit, len_val, len_brk, NULL };
	int i;

	memset(&c, 0, sizeof c);
	c.quoted = !t->raw && !t->quote;
	k.ctx = &c;
	if (!t->quote)
		len_segs(t->segs, t->nsegs, rec, &sc->value, &k);
	else
		for (i = 0; i < t->nwords; i++)
			len_segs(t->words[i].segs, t->words[i].nsegs, rec,
			    &sc->value, &k);
	return c.len;
}

/*
 * Cut literal segments at blanks, so that context groups are whole
 * segments: a piece is all spaces, or has none.  A tab ends a group too,
 * but as GNU parallel does it, it then opens the next group.
 */
static void
split_blanks(struct seg **segs, int *n)
{
	struct seg *out = NULL, piece;
	const char *p, *end, *q;
	int i, nout = 0, blank;

	for (i = 0; i < *n; i++) {
		if ((*segs)[i].is_ref) {
			seg_add(&out, &nout, &(*segs)[i]);
			continue;
		}
		p = (*segs)[i].lit;
		end = p + (*segs)[i].litlen;
		while (p < end) {
			blank = *p == ' ';
			for (q = p + 1; q < end && (*q == ' ') == blank &&
			    *q != '\t'; q++)
				;
			memset(&piece, 0, sizeof piece);
			piece.lit = xmemdup(p, (size_t)(q - p) + 1);
			piece.lit[q - p] = '\0';
			piece.litlen = (size_t)(q - p);
			piece.blank = blank;
			piece.gstart = *p == '\t';
			seg_add(&out, &nout, &piece);
			p = q;
		}
		free((*segs)[i].lit);
	}
	free(*segs);
	*segs = out;
	*n = nout;
}

void
tmpl_set_context(struct tmpl *t)
{
	int i;

	t->context = 1;
	/* Groups are cut at blanks whatever the quotes say, as GNU does;
	 * only the shell then makes sense of a quote inside a group. */
	for (i = 0; i < t->nsegs; i++)
		if (!t->segs[i].is_ref &&
		    strpbrk(t->segs[i].lit, "'\"") != NULL && !t->quote) {
			t->lexable = 0;
			t->direct = NULL;
		}
	split_blanks(&t->segs, &t->nsegs);
	for (i = 0; i < t->nwords; i++)
		split_blanks(&t->words[i].segs, &t->words[i].nsegs);
	/* The command word was one literal segment and still is. */
	if (t->direct != NULL)
		t->direct = t->words[0].segs[0].lit;
}

static void
segs_free(struct seg *segs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(segs[i].lit);
	free(segs);
}

void
tmpl_free(struct tmpl *t)
{
	int i;

	segs_free(t->segs, t->nsegs);
	for (i = 0; i < t->nwords; i++)
		segs_free(t->words[i].segs, t->words[i].nsegs);
	free(t->words);
	free(t);
}

int
tmpl_needs_total(void)
{
	return rpl_needs_total();
}
