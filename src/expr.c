/*
 * expr.c: compiles and evaluates the Perl expressions of replacement
 * strings.  GNU parallel evaluates every replacement string as Perl code
 * with $_ set to the argument.  fanout recognises the statements people
 * write in practice -- s/// with any delimiter and the g, i, m, s, x flags,
 * tr/// and y///, $_ = uc($_) and friends, Q(), uq(), skip(), seq(),
 * slot(), total_jobs(), $arg[n], string assignments -- and runs them on
 * PCRE2, whose regular expressions are Perl's.  Only when a statement falls
 * outside that subset is the whole expression sent to one perl co-process,
 * so that it still means exactly what it means to GNU parallel.
 *
 * Perl strings in GNU parallel are bytes, so matching is done without UTF
 * and case changes touch ASCII letters only, as Perl does for byte strings.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "perl.h"
#include "tmpl.h"
#include "util.h"

enum opkind {
	OP_SUBST,	/* s/re/repl/flags */
	OP_TR,		/* tr/// and y/// */
	OP_UC, OP_LC, OP_UCFIRST, OP_LCFIRST,
	OP_QUOTE,	/* $_ = Q($_) */
	OP_UNQUOTE,	/* uq() */
	OP_SKIP,	/* skip() */
	OP_SEQ, OP_SLOT, OP_TOTAL,
	OP_ARGN,	/* $_ = $arg[n] */
	OP_SET,		/* $_ = "text" */
	OP_DEFAULT,	/* $_ ||= "text" */
	OP_CUT,		/* substr($_, 0, n) = "" */
	OP_SUBSTR,	/* $_ = substr($_, n, m) */
	OP_PADSLOT,	/* {0%} */
	OP_PADSEQ	/* {0#} */
};

struct op {
	enum opkind	 kind;
	pcre2_code	*re;
	pcre2_match_data *md;
	char		*repl;		/* replacement: $$ \\ ${n} \U \L \E \u \l */
	size_t		 repllen;
	int		 global;
	short		 tr[256];	/* -1 keep, -2 delete, else byte */
	int		 squeeze;
	long		 n, m;
	char		*str;
	size_t		 len;
	struct op	*orelse;	/* s/// || this */
};

struct expr {
	struct op	*ops;
	int		 nops;
	int		 perl;		/* co-process expression id, or -1 */
	int		 traits;
	/* The perl result of the current job, per argument. */
	unsigned long	 cseq;
	int		 cn;
	char		**cval;
	size_t		*clen;
	int		*cflags;
};

struct parser {
	const char	*p;
	char		**groups;
	int		 ngroups;
};

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Take a literal word (and optional whitespace before it). */
static int
take(struct parser *ps, const char *word)
{
	const char *p = skip_ws(ps->p);
	size_t l = strlen(word);

	if (strncmp(p, word, l) != 0)
		return 0;
	ps->p = p + l;
	return 1;
}

/* A $$N group reference at p: its group text, or NULL. */
static const char *
group_at(const struct parser *ps, const char *p, const char **end)
{
	long n;
	char *e;

	if (p[0] != '$' || p[1] != '$' || p[2] < '0' || p[2] > '9')
		return NULL;
	n = strtol(p + 2, &e, 10);
	*end = e;
	if (n < 1 || n > ps->ngroups)
		return "";
	return ps->groups[n - 1];
}

static char
closing(char open)
{
	switch (open) {
	case '(': return ')';
	case '[': return ']';
	case '{': return '}';
	case '<': return '>';
	}
	return open;
}

/*
 * One delimited part of s/// or tr///, raw (escapes kept), from just after
 * the opening delimiter; NULL if it does not end.  Bracketing delimiters
 * nest, as in Perl.
 */
static char *
delimited(const char **pp, char open, size_t *len)
{
	const char *p = *pp, *start = p;
	char close = closing(open);
	int depth = 0;
	char *s;

	for (; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (open != close && *p == open)
			depth++;
		else if (*p == close && depth-- == 0) {
			*len = (size_t)(p - start);
			s = xmalloc(*len + 1);
			memcpy(s, start, *len);
			s[*len] = '\0';
			*pp = p + 1;
			return s;
		}
	}
	return NULL;
}

/* The pattern of s///: interpolate $$N groups; any other variable needs
 * perl.  Returns 0 for "needs perl". */
static int
pattern_native(const struct parser *ps, const char *raw, char delim,
    struct sbuf *out)
{
	const char *p, *g, *end;

	for (p = raw; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0') {
			/* Perl drops the backslash of an escaped delimiter,
			 * so s|a\|b|| means a|b. */
			if (p[1] != delim || closing(delim) != delim)
				sbuf_addc(out, '\\');
			sbuf_addc(out, p[1]);
			p++;
			continue;
		}
		if (*p == '$') {
			if ((g = group_at(ps, p, &end)) != NULL) {
				sbuf_adds(out, g);
				p = end - 1;
				continue;
			}
			if (p[1] == '\0' || p[1] == ')' || p[1] == '|')
				sbuf_addc(out, '$');
			else
				return 0;
			continue;
		}
		if (*p == '@' && p[1] != '\0' && (p[1] == '_' || p[1] == '{' ||
		    p[1] == '$' || (p[1] >= 'a' && p[1] <= 'z') ||
		    (p[1] >= 'A' && p[1] <= 'Z')))
			return 0;
		sbuf_addc(out, *p);
	}
	return 1;
}

/* Append literal text to a PCRE2 extended replacement. */
static void
repl_lit(struct sbuf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' || s[i] == '$')
			sbuf_addc(out, s[i]);
		sbuf_addc(out, s[i]);
	}
}

static void
repl_group(struct sbuf *out, long n)
{
	char buf[32];

	snprintf(buf, sizeof buf, "${%ld}", n);
	sbuf_adds(out, buf);
}

/* The replacement of s/// as a double-quoted Perl string, translated to
 * PCRE2's extended replacement syntax.  0: needs perl. */
static int
repl_native(const struct parser *ps, const char *raw, char delim,
    struct sbuf *out)
{
	const char *p, *g, *end;
	char c, *e;
	long n;

	for (p = raw; *p != '\0'; p++) {
		if (*p == '\\') {
			c = *++p;
			if (c >= '1' && c <= '9') {
				n = strtol(p, &e, 10);
				repl_group(out, n);
				p = e - 1;
			} else if ((c == 'u' || c == 'l') && p[1] == '\\' &&
			    (p[2] == 'U' || p[2] == 'L')) {
				/* Perl reads \u\L as \L\u; PCRE2 only the
				 * latter. */
				sbuf_addc(out, '\\');
				sbuf_addc(out, p[2]);
				sbuf_addc(out, '\\');
				sbuf_addc(out, c);
				p += 2;
			} else if (strchr("ULEul", c) != NULL) {
				sbuf_addc(out, '\\');
				sbuf_addc(out, c);
			} else if (c == 'n')
				repl_lit(out, "\n", 1);
			else if (c == 't')
				repl_lit(out, "\t", 1);
			else if (c == 'r')
				repl_lit(out, "\r", 1);
			else if (c == 'f')
				repl_lit(out, "\f", 1);
			else if (c == 'e')
				repl_lit(out, "\033", 1);
			else if (c == 'a')
				repl_lit(out, "\a", 1);
			else if (c != '\0' && (c == delim ||
			    !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '_')))
				repl_lit(out, &c, 1);
			else
				return 0;
			continue;
		}
		if (*p == '$') {
			if ((g = group_at(ps, p, &end)) != NULL) {
				repl_lit(out, g, strlen(g));
				p = end - 1;
			} else if (p[1] >= '0' && p[1] <= '9') {
				n = strtol(p + 1, &e, 10);
				repl_group(out, n);
				p = e - 1;
			} else if (p[1] == '{' && p[2] >= '0' && p[2] <= '9') {
				n = strtol(p + 2, &e, 10);
				if (*e != '}')
					return 0;
				repl_group(out, n);
				p = e;
			} else if (p[1] == '&') {
				repl_group(out, 0);
				p++;
			} else
				return 0;
			continue;
		}
		if (*p == '@' && (p[1] == '_' || p[1] == '{' || p[1] == '$' ||
		    (p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z')))
			return 0;
		repl_lit(out, p, 1);
	}
	return 1;
}

/*
 * A regular expression PCRE2 refuses may still be one Perl takes (Perl
 * allows a quantifier on an anchor, as in ^*), so the expression then goes
 * to perl, which gives the error if there is one.
 */
static int
subst_make(struct op *op, const char *re, size_t relen, uint32_t flags,
    const char *repl, size_t repllen, int global)
{
	PCRE2_SIZE off;
	int err;

	memset(op, 0, sizeof *op);
	op->kind = OP_SUBST;
	op->re = pcre2_compile((PCRE2_SPTR)re, relen, flags, &err, &off, NULL);
	if (op->re == NULL)
		return 0;
	op->md = pcre2_match_data_create_from_pattern(op->re, NULL);
	op->repl = xmemdup(repl, repllen + 1);
	op->repllen = repllen;
	op->global = global;
	return 1;
}

/*
 * The two parts of s/// or tr/// from the first delimiter on, raw, as
 * Perl reads them: with bracketing delimiters the second part has its
 * own pair, maybe after white space (s{a} {b}).  *delim is the second
 * part's delimiter, which decides quoting.  0 if either part does not
 * end; the caller frees what was set in *a and *b.
 */
static int
two_parts(const char **pp, char *delim, char **a, char **b)
{
	const char *p = *pp;
	char open;
	size_t len;

	open = *p++;
	if ((*a = delimited(&p, open, &len)) == NULL)
		return 0;
	if (closing(open) != open) {
		p = skip_ws(p);
		if (*p == '\0')
			return 0;
		open = *p++;
	}
	if ((*b = delimited(&p, open, &len)) == NULL)
		return 0;
	*delim = open;
	*pp = p;
	return 1;
}

/* s/re/repl/flags after the s. */
static int
parse_subst(struct parser *ps, struct op *op)
{
	struct sbuf re = SBUF_INIT, repl = SBUF_INIT;
	const char *p = ps->p;
	char open, *pat = NULL, *rep = NULL;
	uint32_t flags = 0;
	int global = 0, ok = 0;

	if (!two_parts(&p, &open, &pat, &rep))
		goto out;
	for (; *p >= 'a' && *p <= 'z'; p++) {
		switch (*p) {
		case 'g': global = 1; break;
		case 'i': flags |= PCRE2_CASELESS; break;
		case 'm': flags |= PCRE2_MULTILINE; break;
		case 's': flags |= PCRE2_DOTALL; break;
		case 'x': flags |= PCRE2_EXTENDED; break;
		default: goto out;	/* e, r, o, ...: perl */
		}
	}
	/* An empty pattern means the last one that matched; quotes stop
	 * interpolation: both are perl's business. */
	if (*pat == '\0' || open == '\'' ||
	    !pattern_native(ps, pat, open, &re) ||
	    !repl_native(ps, rep, open, &repl))
		goto out;
	sbuf_addc(&re, '\0');
	if (!subst_make(op, re.s, re.len - 1, flags, repl.s ? repl.s : "",
	    repl.len, global))
		goto out;
	ps->p = p;
	ok = 1;
out:
	free(pat);
	free(rep);
	sbuf_free(&re);
	sbuf_free(&repl);
	return ok;
}

/* The characters of a tr/// list with ranges expanded; -1 if it needs
 * perl. */
static int
tr_list(const char *raw, char delim, unsigned char *out)
{
	unsigned char chars[4096];
	int n = 0, i, c;
	const char *p;

	for (p = raw; *p != '\0'; p++) {
		c = (unsigned char)*p;
		if (c == '\\') {
			c = (unsigned char)*++p;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'f': c = '\f'; break;
			case 'e': c = 033; break;
			case 'a': c = 7; break;
			case '\\': case '-': break;
			default:
				if (c == (unsigned char)delim || (c != '\0' &&
				    !((c >= 'a' && c <= 'z') ||
				    (c >= 'A' && c <= 'Z') ||
				    (c >= '0' && c <= '9'))))
					break;
				return -1;
			}
		} else if (c == '-' && n > 0 && p[1] != '\0' && p[-1] != '\\') {
			int from = chars[n - 1], to;

			p++;
			to = (unsigned char)*p;
			if (to == '\\')
				return -1;
			if (to < from)
				return -1;
			for (i = from + 1; i <= to && n < (int)sizeof chars; i++)
				chars[n++] = (unsigned char)i;
			/* a-c-e: Perl calls it ambiguous; let perl say so. */
			if (p[1] == '-' && p[2] != '\0')
				return -1;
			continue;
		}
		if (n < (int)sizeof chars)
			chars[n++] = (unsigned char)c;
	}
	memcpy(out, chars, (size_t)n);
	return n;
}

/* tr/search/replace/flags after the tr or y. */
static int
parse_tr(struct parser *ps, struct op *op)
{
	unsigned char from[4096], to[4096];
	const char *p = ps->p;
	char open, *a = NULL, *b = NULL;
	int nf, nt, del = 0, squeeze = 0, ok = 0, i;

	if (!two_parts(&p, &open, &a, &b))
		goto out;
	for (; *p >= 'a' && *p <= 'z'; p++) {
		if (*p == 'd')
			del = 1;
		else if (*p == 's')
			squeeze = 1;
		else
			goto out;	/* c, r: perl */
	}
	if (open == '\'' || (nf = tr_list(a, open, from)) < 0 ||
	    (nt = tr_list(b, open, to)) < 0)
		goto out;
	if (nt == 0 && !del) {
		memcpy(to, from, (size_t)nf);
		nt = nf;
	}
	memset(op, 0, sizeof *op);
	op->kind = OP_TR;
	op->squeeze = squeeze;
	for (i = 0; i < 256; i++)
		op->tr[i] = -1;
	for (i = 0; i < nf; i++) {
		if (op->tr[from[i]] != -1)
			continue;
		if (i < nt)
			op->tr[from[i]] = to[i];
		else if (del)
			op->tr[from[i]] = -2;
		else
			op->tr[from[i]] = to[nt - 1];
	}
	ps->p = p;
	ok = 1;
out:
	free(a);
	free(b);
	return ok;
}

/* A Perl string literal with only simple escapes; NULL: needs perl. */
static char *
string_literal(struct parser *ps, size_t *len)
{
	const char *p = skip_ws(ps->p);
	struct sbuf s = SBUF_INIT;
	char q = *p;

	if (q != '"' && q != '\'')
		return NULL;
	for (p++; *p != q; p++) {
		if (*p == '\0')
			goto fail;
		if (*p == '\\' && (p[1] == q || p[1] == '\\' ||
		    (q == '"' && (p[1] == '$' || p[1] == '@')))) {
			sbuf_addc(&s, *++p);
			continue;
		}
		if (q == '"' && (*p == '$' || *p == '@' || *p == '\\'))
			goto fail;
		sbuf_addc(&s, *p);
	}
	ps->p = p + 1;
	sbuf_grow(&s, 1);
	*len = s.len;
	return sbuf_take(&s);
fail:
	sbuf_free(&s);
	return NULL;
}

/* A number or a $$N group holding one. */
static int
number(struct parser *ps, long *n)
{
	const char *p = skip_ws(ps->p), *g, *end;
	char *e;

	if ((g = group_at(ps, p, &end)) != NULL) {
		*n = strtol(g, &e, 10);
		if (*g == '\0' || *e != '\0')
			return 0;
		ps->p = end;
		return 1;
	}
	if (*p < '0' || *p > '9')
		return 0;
	*n = strtol(p, &e, 10);
	ps->p = e;
	return 1;
}

static int
take_call(struct parser *ps, const char *name)
{
	const char *save = ps->p;

	if (!take(ps, name)) {
		ps->p = save;
		return 0;
	}
	if (take(ps, "(")) {
		if (!take(ps, ")")) {
			ps->p = save;
			return 0;
		}
	}
	return 1;
}

/* The right-hand side of $_ = ... */
static int
parse_assign(struct parser *ps, struct op *op)
{
	static const struct { const char *name; enum opkind kind; } fn[] = {
		{ "ucfirst", OP_UCFIRST }, { "lcfirst", OP_LCFIRST },
		{ "uc", OP_UC }, { "lc", OP_LC }, { "Q", OP_QUOTE },
		{ NULL, OP_UC }
	};
	const char *save;
	int i;

	memset(op, 0, sizeof *op);
	for (i = 0; fn[i].name != NULL; i++) {
		save = ps->p;
		if (!take(ps, fn[i].name))
			continue;
		op->kind = fn[i].kind;
		if (take(ps, "(")) {
			if (take(ps, "$_") && take(ps, ")"))
				return 1;
		} else if (op->kind != OP_QUOTE && (*skip_ws(ps->p) == ';' ||
		    *skip_ws(ps->p) == '\0'))
			return 1;
		ps->p = save;
	}
	if (take_call(ps, "$job->seq") || take_call(ps, "seq")) {
		op->kind = OP_SEQ;
		return 1;
	}
	if (take_call(ps, "$job->slot") || take_call(ps, "slot")) {
		op->kind = OP_SLOT;
		return 1;
	}
	if (take_call(ps, "total_jobs")) {
		op->kind = OP_TOTAL;
		return 1;
	}
	save = ps->p;
	if (take(ps, "$arg[")) {
		op->kind = OP_ARGN;
		if (number(ps, &op->n) && take(ps, "]"))
			return 1;
		ps->p = save;
		return 0;
	}
	if (take(ps, "substr")) {
		op->kind = OP_SUBSTR;
		if (take(ps, "(") && take(ps, "$_") && take(ps, ",") &&
		    number(ps, &op->n) && take(ps, ",") &&
		    number(ps, &op->m) && take(ps, ")"))
			return 1;
		ps->p = save;
		return 0;
	}
	if ((op->str = string_literal(ps, &op->len)) != NULL) {
		op->kind = OP_SET;
		return 1;
	}
	return 0;
}

static int
parse_statement(struct parser *ps, struct op *op)
{
	const char *p, *g, *end;
	size_t len;

	ps->p = skip_ws(ps->p);
	p = ps->p;
	if (strncmp(p, "$_", 2) == 0 && (p = skip_ws(p + 2)) &&
	    strncmp(p, "=~", 2) == 0)
		ps->p = p = skip_ws(p + 2);
	else
		p = ps->p;
	if (p[0] == 's' && p[1] != '\0' && strchr("/:!|,#%{([<~;@'\"", p[1])) {
		ps->p = p + 1;
		return parse_subst(ps, op);
	}
	if ((p[0] == 'y' && p[1] != '\0' && strchr("/:!|,#%{([<~@'\"", p[1])) ||
	    (p[0] == 't' && p[1] == 'r' && p[2] != '\0' &&
	    strchr("/:!|,#%{([<~@'\"", p[2]))) {
		ps->p = p + (p[0] == 'y' ? 1 : 2);
		return parse_tr(ps, op);
	}
	memset(op, 0, sizeof *op);
	if (take_call(ps, "uq")) {
		op->kind = OP_UNQUOTE;
		return 1;
	}
	if (take_call(ps, "$job->skip") || take_call(ps, "skip")) {
		op->kind = OP_SKIP;
		return 1;
	}
	if (take(ps, "$_")) {
		if (take(ps, "||=")) {
			op->kind = OP_DEFAULT;
			p = skip_ws(ps->p);
			if ((g = group_at(ps, p, &end)) != NULL) {
				op->str = xstrdup(g);
				op->len = strlen(g);
				ps->p = end;
				return 1;
			}
			if ((op->str = string_literal(ps, &len)) != NULL) {
				op->len = len;
				return 1;
			}
			return 0;
		}
		if (take(ps, "=") && *ps->p != '=' && *ps->p != '~')
			return parse_assign(ps, op);
		return 0;
	}
	if (take(ps, "substr")) {
		op->kind = OP_CUT;
		if (take(ps, "(") && take(ps, "$_") && take(ps, ",") &&
		    take(ps, "0") && take(ps, ",") && number(ps, &op->n) &&
		    take(ps, ")") && take(ps, "=") && take(ps, "\"\""))
			return 1;
	}
	return 0;
}

static void
ops_free(struct op *ops, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (ops[i].orelse != NULL) {
			ops_free(ops[i].orelse, 1);
			free(ops[i].orelse);
		}
		if (ops[i].re != NULL) {
			pcre2_code_free(ops[i].re);
			pcre2_match_data_free(ops[i].md);
		}
		free(ops[i].repl);
		free(ops[i].str);
	}
}

/* The native program for code, or 0 when perl is needed. */
static int
compile_native(struct expr *e, const char *code, char **groups, int ngroups)
{
	struct parser ps;
	struct op op, *alt;

	ps.p = code;
	ps.groups = groups;
	ps.ngroups = ngroups;
	for (;;) {
		ps.p = skip_ws(ps.p);
		if (*ps.p == '\0')
			return 1;
		if (*ps.p == ';') {
			ps.p++;
			continue;
		}
		if (!parse_statement(&ps, &op))
			goto fail;
		e->ops = xreallocarray(e->ops, (size_t)e->nops + 1,
		    sizeof *e->ops);
		e->ops[e->nops++] = op;
		if (take(&ps, "||")) {
			if (op.kind != OP_SUBST)
				goto fail;
			alt = xcalloc(1, sizeof *alt);
			e->ops[e->nops - 1].orelse = alt;
			if (!parse_statement(&ps, alt) || alt->kind != OP_SUBST)
				goto fail;
		}
		ps.p = skip_ws(ps.p);
		if (*ps.p != ';' && *ps.p != '\0')
			goto fail;
	}
fail:
	ops_free(e->ops, e->nops);
	free(e->ops);
	e->ops = NULL;
	e->nops = 0;
	return 0;
}

char *
expr_ungreedy(const char *re)
{
	struct sbuf s = SBUF_INIT;
	int inclass = 0, escaped = 0, found = 0;
	const char *p;

	for (p = re; *p != '\0'; p++) {
		if (found && *p != '?')
			sbuf_addc(&s, '?');
		found = 0;
		sbuf_addc(&s, *p);
		if (escaped) {
			escaped = 0;
			continue;
		}
		if (*p == '\\') {
			escaped = 1;
			continue;
		}
		if (*p == '[') {
			inclass = 1;
			continue;
		}
		if (inclass) {
			if (*p == ']')
				inclass = 0;
			continue;
		}
		if (*p == '*' || *p == '}' || *p == '+')
			found = 1;
	}
	if (found)
		sbuf_addc(&s, '?');
	sbuf_grow(&s, 1);
	return sbuf_take(&s);
}

/*
 * The --plus strings whose GNU definitions use Perl beyond the subset
 * (make_regexp_ungreedy, s///e with uc/lc, sprintf): built natively from
 * their captured groups, with the same meaning.
 */
static int
compile_known(struct expr *e, const char *code, char **g, int ng)
{
	struct sbuf re = SBUF_INIT;
	char *ug;
	int caseop = 0, global = 0, ok;
	const char *repl = NULL;
	struct op op;

	memset(&op, 0, sizeof op);
	if (strcmp(code, "$nongreedy=::make_regexp_ungreedy($$1);"
	    "s/^$nongreedy(.*)/$1/;") == 0 && ng >= 1) {
		ug = expr_ungreedy(g[0]);
		sbuf_adds(&re, "^");
		sbuf_adds(&re, ug);
		sbuf_adds(&re, "(.*)");
		free(ug);
		repl = "${1}";
	} else if (strcmp(code, "$nongreedy=::make_regexp_ungreedy($$1);"
	    "s/(.*)$nongreedy$/$1/;") == 0 && ng >= 1) {
		ug = expr_ungreedy(g[0]);
		sbuf_adds(&re, "(.*)");
		sbuf_adds(&re, ug);
		sbuf_adds(&re, "$");
		free(ug);
		repl = "${1}";
	} else if ((strcmp(code, "s/^($$1)/uc($1)/e;") == 0 && (caseop = 'U')) ||
	    (strcmp(code, "s/($$1)/uc($1)/eg;") == 0 && (caseop = 'U') &&
	    (global = 1)) ||
	    (strcmp(code, "s/^($$1)/lc($1)/e;") == 0 && (caseop = 'L')) ||
	    (strcmp(code, "s/($$1)/lc($1)/eg;") == 0 && (caseop = 'L') &&
	    (global = 1))) {
		if (ng < 1)
			return 0;
		sbuf_adds(&re, global ? "(" : "^(");
		sbuf_adds(&re, g[0]);
		sbuf_adds(&re, ")");
		repl = caseop == 'U' ? "\\U${1}" : "\\L${1}";
	} else if (strcmp(code, "$f=1+int((log($Global::max_jobs_running||1)"
	    "/log(10)));$_=sprintf(\"%0${f}d\",slot())") == 0) {
		op.kind = OP_PADSLOT;
	} else if (strcmp(code, "$f=1+int((log(total_jobs())/log(10)));"
	    "$_=sprintf(\"%0${f}d\",seq())") == 0) {
		op.kind = OP_PADSEQ;
	} else
		return 0;
	if (repl != NULL) {
		sbuf_addc(&re, '\0');
		ok = subst_make(&op, re.s, re.len - 1, 0, repl, strlen(repl),
		    global);
		sbuf_free(&re);
		if (!ok)
			return 0;
	}
	e->ops = xmalloc(sizeof *e->ops);
	e->ops[0] = op;
	e->nops = 1;
	return 1;
}

/* The code as GNU parallel hands it to perl: groups become variables. */
static char *
perl_text(const char *code, char **groups, int ngroups)
{
	struct sbuf s = SBUF_INIT;
	const char *p;
	char buf[48];
	int i;

	for (i = 0; i < ngroups; i++) {
		snprintf(buf, sizeof buf, "$_pAr_gRp%d = \"", i + 1);
		sbuf_adds(&s, buf);
		for (p = groups[i]; *p != '\0'; p++) {
			if (strchr("\\\"$@", *p) != NULL)
				sbuf_addc(&s, '\\');
			sbuf_addc(&s, *p);
		}
		sbuf_adds(&s, "\";");
	}
	for (p = code; *p != '\0'; p++) {
		if (p[0] == '$' && p[1] == '$' && p[2] >= '0' && p[2] <= '9') {
			sbuf_adds(&s, "$_pAr_gRp");
			for (p += 2; *p >= '0' && *p <= '9'; p++)
				sbuf_addc(&s, *p);
			p--;
			continue;
		}
		sbuf_addc(&s, *p);
	}
	sbuf_grow(&s, 1);
	return sbuf_take(&s);
}

/*
 * A regular expression made of what a --plus string captured is only
 * compiled by perl when it first runs; run it once now, so that a bad one
 * stops fanout before any job starts.  Only for expressions without side
 * effects: a --rpl of the user's runs when the jobs do.
 */
static void
try_once(struct expr *e)
{
	struct sbuf v = SBUF_INIT;
	struct jobvars jv;

	memset(&jv, 0, sizeof jv);	/* seq 0: no job has it */
	jv.slot = 1;
	jv.nslots = 1;
	perl_eval(e->perl, &jv, &v);
	sbuf_free(&v);
}

struct expr *
expr_compile(const char *code, char **groups, int ngroups, const char *shown,
    int pure)
{
	struct expr *e = xcalloc(1, sizeof *e);
	char *text;
	int i;

	e->perl = -1;
	if (compile_known(e, code, groups, ngroups) ||
	    compile_native(e, code, groups, ngroups)) {
		for (i = 0; i < e->nops; i++) {
			if (e->ops[i].kind == OP_UNQUOTE)
				e->traits |= EXPR_MAY_UNQUOTE;
			if (e->ops[i].kind == OP_TOTAL ||
			    e->ops[i].kind == OP_PADSEQ)
				e->traits |= EXPR_NEEDS_TOTAL;
		}
		return e;
	}
	text = perl_text(code, groups, ngroups);
	e->perl = perl_compile(text, shown);
	if (ngroups > 0 && pure)
		try_once(e);
	if (strstr(text, "uq") != NULL)
		e->traits |= EXPR_MAY_UNQUOTE;
	if (strstr(text, "total_jobs") != NULL)
		e->traits |= EXPR_NEEDS_TOTAL;
	free(text);
	return e;
}

int
expr_traits(const struct expr *e)
{
	return e->traits;
}

/* Perl's case escapes while a replacement is expanded. */
struct caser {
	char	mode;		/* 'U', 'L' or 0 */
	char	once;		/* 'u', 'l' or 0: the next character only */
};

static void
case_add(struct sbuf *out, struct caser *cs, const char *s, size_t len)
{
	size_t i;
	char c, how;

	for (i = 0; i < len; i++) {
		c = s[i];
		how = cs->once ? cs->once : cs->mode;
		cs->once = 0;
		if ((how == 'U' || how == 'u') && c >= 'a' && c <= 'z')
			c -= 32;
		else if ((how == 'L' || how == 'l') && c >= 'A' && c <= 'Z')
			c += 32;
		sbuf_addc(out, c);
	}
}

/* Append the replacement for the match in md. */
static void
expand(const struct op *op, const char *subj, pcre2_match_data *md,
    int rc, struct sbuf *out)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	struct caser cs = { 0, 0 };
	const char *p = op->repl, *end = op->repl + op->repllen;
	char *e;
	long n;

	while (p < end) {
		if (*p == '$' && p[1] == '{') {
			n = strtol(p + 2, &e, 10);
			p = e + 1;
			if (n < rc && ov[2 * n] != PCRE2_UNSET)
				case_add(out, &cs, subj + ov[2 * n],
				    ov[2 * n + 1] - ov[2 * n]);
		} else if (*p == '\\' && p[1] != '\\') {
			if (p[1] == 'E')
				cs.mode = 0;
			else if (p[1] == 'U' || p[1] == 'L')
				cs.mode = p[1];
			else
				cs.once = p[1];
			p += 2;
		} else {
			/* $$ and \\\\ stand for one $ or \\. */
			case_add(out, &cs, p, 1);
			p += *p == '$' || *p == '\\' ? 2 : 1;
		}
	}
}

/*
 * s///: matches as Perl does, with an empty match followed by an attempt at
 * a non-empty one at the same place before moving on, so that s/x* /-/g
 * turns abc into -a-b-c-.  *changed says whether anything matched.
 */
static void
run_subst(struct op *op, struct sbuf *v, struct sbuf *tmp, int *changed)
{
	const char *subj = v->s ? v->s : "";
	PCRE2_SIZE *ov, off = 0, last = 0;
	uint32_t opts = 0;
	int rc, n = 0;

	sbuf_reset(tmp);
	while (off <= v->len) {
		rc = pcre2_match(op->re, (PCRE2_SPTR)subj, v->len, off, opts,
		    op->md, NULL);
		if (rc == PCRE2_ERROR_NOMATCH && opts != 0) {
			off++;
			opts = 0;
			continue;
		}
		if (rc < 0)
			break;
		ov = pcre2_get_ovector_pointer(op->md);
		sbuf_add(tmp, subj + last, ov[0] - last);
		expand(op, subj, op->md, rc == 0 ? 1 : rc, tmp);
		last = ov[1];
		n++;
		if (!op->global)
			break;
		off = ov[1];
		opts = ov[0] == ov[1] ?
		    PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED : 0;
	}
	*changed = n > 0;
	if (n == 0)
		return;
	sbuf_add(tmp, subj + last, v->len - last);
	sbuf_reset(v);
	sbuf_add(v, tmp->s, tmp->len);
}

static void
run_tr(const struct op *op, struct sbuf *v)
{
	size_t i, o = 0;
	int c, last = -1;

	for (i = 0; i < v->len; i++) {
		c = op->tr[(unsigned char)v->s[i]];
		if (c == -1) {
			v->s[o++] = v->s[i];
			last = -1;
		} else if (c == -2)
			continue;
		else if (!(op->squeeze && c == last)) {
			v->s[o++] = (char)c;
			last = c;
		}
	}
	v->len = o;
	if (v->s != NULL)
		v->s[o] = '\0';
}

static void
set_number(struct sbuf *v, unsigned long n, int width)
{
	char buf[64];
	int len;

	len = snprintf(buf, sizeof buf, "%0*lu", width, n);
	sbuf_reset(v);
	sbuf_add(v, buf, (size_t)len);
}

/*
 * GNU parallel pads {0%} and {0#} to 1+int(log(n)/log(10)) digits.  The
 * floating point quotient falls just short of the integer for some powers
 * of ten, which then get one digit fewer; those are listed here so that
 * fanout pads the same way without libm.
 */
static int
pad_width(unsigned long n)
{
	static const unsigned long short_pow[] = {
		1000UL, 1000000UL, 1000000000UL, 1000000000000UL,
		10000000000000UL, 1000000000000000UL, 1000000000000000000UL
	};
	unsigned long m;
	size_t i;
	int w = 0;

	if (n == 0)
		return 1;
	for (m = n; m > 0; m /= 10)
		w++;
	for (i = 0; i < sizeof short_pow / sizeof *short_pow; i++)
		if (n == short_pow[i])
			w--;
	return w;
}

static int
run_native(struct expr *e, struct sbuf *v, const struct jobvars *jv)
{
	struct sbuf tmp = SBUF_INIT;
	struct op *op;
	size_t i;
	int flags = 0, changed, k;

	for (k = 0; k < e->nops; k++) {
		op = &e->ops[k];
		switch (op->kind) {
		case OP_SUBST:
			run_subst(op, v, &tmp, &changed);
			if (!changed && op->orelse != NULL)
				run_subst(op->orelse, v, &tmp, &changed);
			break;
		case OP_TR:
			run_tr(op, v);
			break;
		case OP_UC:
		case OP_LC:
			for (i = 0; i < v->len; i++) {
				if (op->kind == OP_UC && v->s[i] >= 'a' &&
				    v->s[i] <= 'z')
					v->s[i] -= 32;
				else if (op->kind == OP_LC && v->s[i] >= 'A' &&
				    v->s[i] <= 'Z')
					v->s[i] += 32;
			}
			break;
		case OP_UCFIRST:
			if (v->len > 0 && v->s[0] >= 'a' && v->s[0] <= 'z')
				v->s[0] -= 32;
			break;
		case OP_LCFIRST:
			if (v->len > 0 && v->s[0] >= 'A' && v->s[0] <= 'Z')
				v->s[0] += 32;
			break;
		case OP_QUOTE:
			sbuf_reset(&tmp);
			shell_quote(&tmp, v->s ? v->s : "", v->len);
			sbuf_reset(v);
			sbuf_add(v, tmp.s, tmp.len);
			break;
		case OP_UNQUOTE:
			flags |= EXPR_UNQUOTED;
			break;
		case OP_SKIP:
			flags |= EXPR_SKIP;
			break;
		case OP_SEQ:
			set_number(v, jv->seq, 0);
			break;
		case OP_SLOT:
			set_number(v, (unsigned long)jv->slot, 0);
			break;
		case OP_TOTAL:
			set_number(v, jv->total, 0);
			break;
		case OP_PADSLOT:
			set_number(v, (unsigned long)jv->slot,
			    pad_width((unsigned long)(jv->nslots > 0 ?
			    jv->nslots : 1)));
			break;
		case OP_PADSEQ:
			set_number(v, jv->seq, pad_width(jv->total));
			break;
		case OP_ARGN:
			sbuf_reset(v);
			/* @arg is 1-based: $arg[0] is undefined. */
			if (op->n >= 1 && op->n <= jv->nargs)
				sbuf_add(v, jv->args[op->n - 1].s,
				    jv->args[op->n - 1].len);
			else if (op->n < 0 && -op->n <= jv->nargs)
				sbuf_add(v, jv->args[jv->nargs + op->n].s,
				    jv->args[jv->nargs + op->n].len);
			break;
		case OP_SET:
			sbuf_reset(v);
			sbuf_add(v, op->str, op->len);
			break;
		case OP_DEFAULT:
			/* Perl's false strings: "" and "0". */
			if (v->len == 0 || (v->len == 1 && v->s[0] == '0')) {
				sbuf_reset(v);
				sbuf_add(v, op->str, op->len);
			}
			break;
		case OP_CUT:
			i = (size_t)op->n < v->len ? (size_t)op->n : v->len;
			memmove(v->s, v->s + i, v->len - i);
			v->len -= i;
			if (v->s != NULL)
				v->s[v->len] = '\0';
			break;
		case OP_SUBSTR:
			if ((size_t)op->n >= v->len) {
				sbuf_reset(v);
				break;
			}
			i = v->len - (size_t)op->n;
			if ((size_t)op->m < i)
				i = (size_t)op->m;
			memmove(v->s, v->s + op->n, i);
			v->len = i;
			v->s[i] = '\0';
			break;
		}
	}
	sbuf_free(&tmp);
	return flags;
}

/* GNU parallel computes an argument's value once per expression, so a
 * perl expression with side effects gives one value per job and argument
 * however often the job's command line is built. */
static int
cached(struct expr *e, int idx, const struct jobvars *jv, struct sbuf *out)
{
	if (idx < 0 || e->cseq != jv->seq || idx >= e->cn ||
	    e->cval[idx] == NULL)
		return -1;
	sbuf_reset(out);
	sbuf_add(out, e->cval[idx], e->clen[idx]);
	return e->cflags[idx];
}

static void
cache_put(struct expr *e, int idx, const struct jobvars *jv,
    const struct sbuf *v, int flags)
{
	int i;

	if (idx < 0)
		return;
	if (e->cseq != jv->seq) {
		for (i = 0; i < e->cn; i++) {
			free(e->cval[i]);
			e->cval[i] = NULL;
		}
		e->cseq = jv->seq;
	}
	if (idx >= e->cn) {
		e->cval = xreallocarray(e->cval, (size_t)idx + 1,
		    sizeof *e->cval);
		e->clen = xreallocarray(e->clen, (size_t)idx + 1,
		    sizeof *e->clen);
		e->cflags = xreallocarray(e->cflags, (size_t)idx + 1,
		    sizeof *e->cflags);
		for (i = e->cn; i <= idx; i++)
			e->cval[i] = NULL;
		e->cn = idx + 1;
	}
	free(e->cval[idx]);
	e->cval[idx] = xmemdup(v->s ? v->s : "", v->len + 1);
	e->clen[idx] = v->len;
	e->cflags[idx] = flags;
}

int
expr_eval(struct expr *e, const char *s, size_t len, int idx,
    const struct jobvars *jv, struct sbuf *out)
{
	int flags;

	if (e->perl >= 0 && (flags = cached(e, idx, jv, out)) != -1)
		return flags;
	sbuf_reset(out);
	sbuf_add(out, s, len);
	sbuf_grow(out, 1);
	if (e->perl < 0)
		return run_native(e, out, jv);
	flags = perl_eval(e->perl, jv, out);
	cache_put(e, idx, jv, out, flags);
	return flags;
}
