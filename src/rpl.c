/*
 * rpl.c: finds replacement strings in command words, the way GNU parallel
 * does.  Every replacement string is a shorthand for a Perl expression; a
 * shorthand may capture parts of itself with a parenthesised regular
 * expression (--rpl '{:(\d+)} ...', the --plus strings), which the
 * expression then uses as $$1, $$2, ...  A word is searched first for
 * {= expr =} (the innermost pairs of --parens), then for each shorthand,
 * longest first, in the text that is still literal: as written ({.}) and
 * with a position ({2.}, {-1.}).  Each reference found is compiled once,
 * here, into a built-in transformation or an expression.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "opts.h"
#include "rpl.h"
#include "sbuf.h"
#include "util.h"

/* GNU parallel's definitions, which the built-in operations implement. */
#define CODE_DOT	"s:\\.[^/.]*$::"
#define CODE_BASE	"s:.*/::"
#define CODE_DIR	"$Global::use{\"File::Basename\"} ||= eval \"use " \
			"File::Basename; 1;\"; $_ = dirname($_);"
#define CODE_BASEDOT	"s:.*/::; s:\\.[^/.]*$::;"
#define CODE_SEQ	"1 $_=$job->seq()"
#define CODE_SLOT	"1 $_=$job->slot()"

static const char *const defaults[][2] = {
	{ "{}", "" },
	{ "{#}", CODE_SEQ },
	{ "{%}", CODE_SLOT },
	{ "{/}", CODE_BASE },
	{ "{//}", CODE_DIR },
	{ "{/.}", CODE_BASEDOT },
	{ "{.}", CODE_DOT },
	{ NULL, NULL }
};

/* --plus: the strings GNU parallel 20221122 adds, with its meanings. */
static const char *const plus[][2] = {
	{ "{+/}", "s:/[^/]*$:: || s:.*$::" },
	{ "{+.}", "s:.*\\.:: || s:.*$::" },
	{ "{+..}", "s:.*\\.([^/.]*\\.[^/.]*)$:$1: || s:.*$::" },
	{ "{+...}", "s:.*\\.([^/.]*\\.[^/.]*\\.[^/.]*)$:$1: || s:.*$::" },
	{ "{..}", "s:\\.[^/.]*\\.[^/.]*$::" },
	{ "{...}", "s:\\.[^/.]*\\.[^/.]*\\.[^/.]*$::" },
	{ "{/..}", "s:.*/::; s:\\.[^/.]*\\.[^/.]*$::" },
	{ "{/...}", "s:.*/::; s:\\.[^/.]*\\.[^/.]*\\.[^/.]*$::" },
	{ "{choose_k}",
	    "for $t (2..$#arg){ if($arg[$t-1] ge $arg[$t]) { skip() } }" },
	{ "{uniq}", "if(::uniq(@arg) != @arg) { skip(); }" },
	{ "{##}", "1 $_=total_jobs()" },
	{ "{0%}", "1 $f=1+int((log($Global::max_jobs_running||1)/log(10)));"
	    "$_=sprintf(\"%0${f}d\",slot())" },
	{ "{0#}", "1 $f=1+int((log(total_jobs())/log(10)));"
	    "$_=sprintf(\"%0${f}d\",seq())" },
	{ "{:-([^}]+?)}", "$_ ||= $$1" },
	{ "{:(\\d+?)}", "substr($_,0,$$1) = \"\"" },
	{ "{:(\\d+?):(\\d+?)}", "$_ = substr($_,$$1,$$2);" },
	{ "{#([^#}][^}]*?)}",
	    "$nongreedy=::make_regexp_ungreedy($$1);s/^$nongreedy(.*)/$1/;" },
	{ "{##([^#}][^}]*?)}", "s/^$$1//;" },
	{ "{%([^}]+?)}",
	    "$nongreedy=::make_regexp_ungreedy($$1);s/(.*)$nongreedy$/$1/;" },
	{ "{%%([^}]+?)}", "s/$$1$//;" },
	{ "{/([^#%}/]+?)/([^}]*?)}", "s/$$1/$$2/;" },
	{ "{/#([^}]+?)/([^}]*?)}", "s/^$$1/$$2/g;" },
	{ "{/%([^}]+?)/([^}]*?)}", "s/$$1$/$$2/g;" },
	{ "{//([^}]+?)/([^}]*?)}", "s/$$1/$$2/g;" },
	{ "{^([^}]+?)}", "s/^($$1)/uc($1)/e;" },
	{ "{^^([^}]+?)}", "s/($$1)/uc($1)/eg;" },
	{ "{,([^}]+?)}", "s/^($$1)/lc($1)/e;" },
	{ "{,,([^}]+?)}", "s/($$1)/lc($1)/eg;" },
	{ "{slot}", "1 $_=\"\\${PARALLEL_JOBSLOT}\";uq()" },
	{ "{host}", "1 $_=\"\\${PARALLEL_SSHHOST}\";uq()" },
	{ "{sshlogin}", "1 $_=\"\\${PARALLEL_SSHLOGIN}\";uq()" },
	{ "{hgrp}", "1 $_=\"\\${PARALLEL_HOSTGROUPS}\";uq()" },
	{ "{agrp}", "1 $_=\"\\${PARALLEL_ARGHOSTGROUPS}\";uq()" },
	{ NULL, NULL }
};

struct rplent {
	char		*key;
	char		*code;
	char		*prefix;	/* the key split around its group */
	char		*grp;
	char		*postfix;
	pcre2_code	*re;		/* with a group: the key as written */
	pcre2_code	*posre;		/* {N...}: the key with a position */
};

/* A compiled expression, shared by every reference with the same text. */
struct known {
	char		*text;
	struct expr	*expr;
};

static struct rplent	*tab;
static int		 ntab;
static char		*lparen = "{=", *rparen = "=}";
static int		 plus_on;
static struct known	*knowns;
static int		 nknowns;
static int		 needs_total;

static struct rplent *
find(const char *key)
{
	int i;

	for (i = 0; i < ntab; i++)
		if (strcmp(tab[i].key, key) == 0)
			return &tab[i];
	return NULL;
}

static void
set(const char *key, const char *code)
{
	struct rplent *e;

	if ((e = find(key)) != NULL) {
		free(e->code);
		e->code = xstrdup(code);
		return;
	}
	tab = xreallocarray(tab, (size_t)ntab + 1, sizeof *tab);
	e = &tab[ntab++];
	memset(e, 0, sizeof *e);
	e->key = xstrdup(key);
	e->code = xstrdup(code);
}

/* -I, --er, ...: the string old is now called new. */
static void
rename_rpl(const char *old, const char *new)
{
	struct rplent *e, *n;

	if (new == NULL || strcmp(old, new) == 0)
		return;
	if ((e = find(old)) == NULL) {
		set(new, "");
		return;
	}
	if ((n = find(new)) != NULL) {
		free(n->code);
		n->code = e->code;
		free(e->key);
		*e = tab[--ntab];
		return;
	}
	free(e->key);
	e->key = xstrdup(new);
}

/* Append s with every non-word byte escaped, as Perl's quotemeta. */
static void
quotemeta(struct sbuf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_'))
			sbuf_addc(b, '\\');
		sbuf_addc(b, *s);
	}
}

/* Split a key into prefix, (group regex) and postfix; compile its
 * searches. */
static void
prepare(struct rplent *e)
{
	const uint32_t flags = PCRE2_EXTENDED | PCRE2_DOTALL;
	struct sbuf pat = SBUF_INIT, what = SBUF_INIT;
	const char *open, *close;

	open = strchr(e->key, '(');
	close = strrchr(e->key, ')');
	if (open == NULL) {
		e->prefix = xstrdup(e->key);
		e->grp = xstrdup("");
		e->postfix = xstrdup("");
	} else {
		e->prefix = xmemdup(e->key, (size_t)(open - e->key) + 1);
		e->prefix[open - e->key] = '\0';
		if (close != NULL && close > open) {
			e->grp = xmemdup(open, (size_t)(close - open) + 2);
			e->grp[close - open + 1] = '\0';
			e->postfix = xstrdup(close + 1);
		} else {
			e->grp = xstrdup("");
			e->postfix = xstrdup(open);
		}
	}
	sbuf_adds(&what, "--rpl ");
	sbuf_adds(&what, e->key);
	if (*e->grp != '\0') {
		/* Alone first, so an error shows the group as written. */
		re_check(e->grp, flags, what.s);
		quotemeta(&pat, e->prefix);
		sbuf_adds(&pat, e->grp);
		quotemeta(&pat, e->postfix);
		e->re = re_compile(pat.s, flags, what.s);
	}
	if (e->key[0] == '{') {
		sbuf_reset(&pat);
		sbuf_adds(&pat, "\\{(-?\\d+)\\s*");
		quotemeta(&pat, e->prefix + 1);
		sbuf_adds(&pat, e->grp);
		quotemeta(&pat, e->postfix);
		e->posre = re_compile(pat.s, flags, what.s);
	}
	sbuf_free(&pat);
	sbuf_free(&what);
}

/* Longest key first, as GNU parallel replaces them; ties keep table
 * order. */
static void
sort_table(void)
{
	struct rplent t;
	int i, j;

	for (i = 1; i < ntab; i++) {
		t = tab[i];
		for (j = i; j > 0 && strlen(tab[j - 1].key) < strlen(t.key); j--)
			tab[j] = tab[j - 1];
		tab[j] = t;
	}
}

void
rpl_init(const struct opts *o)
{
	const char *r, *sp;
	char *key;
	size_t half;
	int i;

	for (i = 0; defaults[i][0] != NULL; i++)
		set(defaults[i][0], defaults[i][1]);
	if (o == NULL)
		goto done;
	if (o->parens != NULL) {
		half = strlen(o->parens) / 2;
		if (half == 0)
			fatal("--parens %s: give the left and the right "
			    "parenthesis, as in {==}", o->parens);
		lparen = xmemdup(o->parens, half + 1);
		lparen[half] = '\0';
		rparen = xstrdup(o->parens + half);
	}
	if (o->plus) {
		plus_on = 1;
		for (i = 0; plus[i][0] != NULL; i++)
			if (find(plus[i][0]) == NULL)
				set(plus[i][0], plus[i][1]);
	}
	rename_rpl("{}", o->rpl_I);
	if (o->rpl_i != NULL && *o->rpl_i != '\0')
		rename_rpl("{}", o->rpl_i);
	rename_rpl("{.}", o->rpl_er);
	rename_rpl("{/}", o->rpl_bnr);
	rename_rpl("{//}", o->rpl_dnr);
	rename_rpl("{#}", o->rpl_seq);
	rename_rpl("{%}", o->rpl_slot);
	rename_rpl("{/.}", o->rpl_bner);
	for (i = 0; i < o->nrpls; i++) {
		r = o->rpls[i];
		for (sp = r; *sp != '\0' && strchr(" \t\n\r\f\v", *sp) == NULL;
		    sp++)
			;
		if (sp == r)
			fatal("--rpl '%s': it must start with the replacement "
			    "string, then a space and a Perl expression", r);
		key = xmemdup(r, (size_t)(sp - r) + 1);
		key[sp - r] = '\0';
		set(key, *sp != '\0' ? sp + 1 : "");
		free(key);
	}
done:
	for (i = 0; i < ntab; i++)
		prepare(&tab[i]);
	sort_table();
}

/*
 * Does the word hold a left parenthesis without its right one?  As GNU
 * parallel finds out: remove the rightmost complete pair again and again,
 * then look for a left one.
 */
static int
parens_open(const char *word)
{
	size_t ll = strlen(lparen), rl = strlen(rparen);
	char *w = xstrdup(word), *l, *r, *found;

	for (;;) {
		found = NULL;
		for (l = strstr(w, lparen); l != NULL;
		    l = strstr(l + 1, lparen))
			if (strstr(l + ll, rparen) != NULL)
				found = l;
		if (found == NULL)
			break;
		r = strstr(found + ll, rparen);
		memmove(found, r + rl, strlen(r + rl) + 1);
	}
	l = strstr(w, lparen);
	free(w);
	return l != NULL;
}

char **
rpl_merge(char **argv, int argc, int *n)
{
	char **out = xcalloc((size_t)argc + 1, sizeof *out);
	struct sbuf w = SBUF_INIT;
	int i = 0, k = 0;

	while (i < argc) {
		sbuf_reset(&w);
		sbuf_adds(&w, argv[i++]);
		while (i < argc && parens_open(w.s)) {
			sbuf_addc(&w, ' ');
			sbuf_adds(&w, argv[i++]);
		}
		sbuf_grow(&w, 1);
		out[k++] = sbuf_take(&w);
	}
	*n = k;
	return out;
}

static void
piece_lit(struct rplpiece **ps, int *n, const char *s, size_t len)
{
	struct rplpiece *p;

	if (len == 0)
		return;
	*ps = xreallocarray(*ps, (size_t)*n + 1, sizeof **ps);
	p = &(*ps)[(*n)++];
	memset(p, 0, sizeof *p);
	p->lit = xmemdup(s, len + 1);
	p->lit[len] = '\0';
	p->litlen = len;
}

/* Is code one of the --plus definitions, which have no side effects? */
static int
is_plus(const char *code)
{
	int i;

	for (i = 0; plus[i][0] != NULL; i++)
		if (strcmp(plus[i][1], code) == 0)
			return 1;
	return 0;
}

/* The shared compiled expression for code with groups. */
static struct expr *
expr_for(const char *code, char **groups, int ngroups, const char *shown)
{
	struct sbuf key = SBUF_INIT;
	struct expr *e;
	int i;

	sbuf_adds(&key, code);
	for (i = 0; i < ngroups; i++) {
		sbuf_addc(&key, '\001');
		sbuf_adds(&key, groups[i]);
	}
	sbuf_grow(&key, 1);
	for (i = 0; i < nknowns; i++)
		if (strcmp(knowns[i].text, key.s) == 0) {
			sbuf_free(&key);
			return knowns[i].expr;
		}
	e = expr_compile(code, groups, ngroups, shown, is_plus(code));
	if (expr_traits(e) & EXPR_NEEDS_TOTAL)
		needs_total = 1;
	knowns = xreallocarray(knowns, (size_t)nknowns + 1, sizeof *knowns);
	knowns[nknowns].text = sbuf_take(&key);
	knowns[nknowns].expr = e;
	nknowns++;
	return e;
}

/*
 * A reference: posstr is the position written in it ({2.}) or "", code the
 * expression.  GNU parallel reads a position from the front of the text
 * "position + expression" (so {#}, "1 $_=...", is positional 1), then
 * drops the spaces after it.
 */
static void
piece_ref(struct rplpiece **ps, int *n, const char *posstr,
    const char *code, char **groups, int ngroups, const char *shown)
{
	struct sbuf full = SBUF_INIT;
	struct rplpiece *p;
	const char *c, *d;
	long pos = 0;
	int positional = 0;

	/* With groups the text goes on with "$_pAr_gRp1 = ...": no digits. */
	sbuf_adds(&full, posstr);
	if (ngroups == 0)
		sbuf_adds(&full, code);
	sbuf_grow(&full, 1);
	c = full.s;
	d = *c == '-' ? c + 1 : c;
	if (*d >= '0' && *d <= '9') {
		pos = strtol(c, (char **)&d, 10);
		if (pos > 1000000 || pos < -1000000)
			pos = 1000000;
		/* Perl's truth: "0" means none, but "00" and "-0" are a
		 * position (one past the last argument). */
		positional = d - c != 1 || *c != '0';
		c = d;
	}
	if (ngroups == 0)
		while (*c == ' ')
			c++;
	else
		c = code;
	*ps = xreallocarray(*ps, (size_t)*n + 1, sizeof **ps);
	p = &(*ps)[(*n)++];
	memset(p, 0, sizeof *p);
	p->ref = 1;
	p->positional = positional;
	p->pos = (int)pos;
	if (ngroups > 0)
		p->op = RPL_EXPR;
	else if (*c == '\0')
		p->op = RPL_VALUE;
	else if (strcmp(c, CODE_DOT) == 0)
		p->op = RPL_DOT;
	else if (strcmp(c, CODE_BASE) == 0)
		p->op = RPL_BASE;
	else if (strcmp(c, CODE_DIR) == 0)
		p->op = RPL_DIR;
	else if (strcmp(c, CODE_BASEDOT) == 0)
		p->op = RPL_BASEDOT;
	else if (positional && pos == 1 && strcmp(c, &CODE_SEQ[2]) == 0)
		p->op = RPL_SEQ;
	else if (positional && pos == 1 && strcmp(c, &CODE_SLOT[2]) == 0)
		p->op = RPL_SLOT;
	else
		p->op = RPL_EXPR;
	if (p->op == RPL_EXPR)
		p->expr = expr_for(c, groups, ngroups, shown);
	sbuf_free(&full);
}

/* {= expr =} pairs: the innermost, leftmost first. */
static void
split_parens(const char *s, struct rplpiece **ps, int *n)
{
	size_t ll = strlen(lparen), rl = strlen(rparen);
	const char *lit = s, *l, *p;
	char *shown, *code;

	for (l = strstr(s, lparen); l != NULL; ) {
		for (p = l + ll; *p != '\0'; p++) {
			if (strncmp(p, rparen, rl) == 0 ||
			    strncmp(p, lparen, ll) == 0)
				break;
		}
		if (*p == '\0')
			break;
		if (strncmp(p, rparen, rl) != 0) {
			l = p;		/* a nearer {= */
			continue;
		}
		piece_lit(ps, n, lit, (size_t)(l - lit));
		shown = xmemdup(l, (size_t)(p + rl - l) + 1);
		shown[p + rl - l] = '\0';
		code = xmemdup(l + ll, (size_t)(p - l - ll) + 1);
		code[p - l - ll] = '\0';
		piece_ref(ps, n, "", code, NULL, 0, shown);
		free(code);
		free(shown);
		lit = p + rl;
		l = strstr(lit, lparen);
	}
	piece_lit(ps, n, lit, strlen(lit));
}

/* Replace one key's occurrences in the literal pieces. */
static void
split_key(struct rplent *e, int positional, struct rplpiece **ps, int *n)
{
	struct rplpiece *in = *ps, *out = NULL;
	pcre2_match_data *md = NULL;
	pcre2_code *re = positional ? e->posre : e->re;
	PCRE2_SIZE *ov;
	size_t klen = strlen(e->key), off, mstart, mend;
	int nin = *n, nout = 0, i, k, rc, ng, first;
	char **groups, *posstr, *shown;
	const char *s, *hit;

	if (positional && re == NULL)
		return;
	if (re != NULL)
		md = pcre2_match_data_create_from_pattern(re, NULL);
	for (i = 0; i < nin; i++) {
		if (in[i].ref) {
			out = xreallocarray(out, (size_t)nout + 1, sizeof *out);
			out[nout++] = in[i];
			continue;
		}
		s = in[i].lit;
		off = 0;
		for (;;) {
			if (re == NULL) {
				hit = strstr(s + off, e->key);
				if (hit == NULL)
					break;
				mstart = (size_t)(hit - s);
				mend = mstart + klen;
				ng = 0;
				groups = NULL;
				posstr = xstrdup("");
			} else {
				rc = pcre2_match(re, (PCRE2_SPTR)s, in[i].litlen,
				    off, 0, md, NULL);
				if (rc < 0)
					break;
				ov = pcre2_get_ovector_pointer(md);
				mstart = ov[0];
				mend = ov[1];
				if (mend == mstart)
					break;	/* an empty key matches nothing */
				first = positional ? 2 : 1;
				if (positional) {
					posstr = xmemdup(s + ov[2],
					    ov[3] - ov[2] + 1);
					posstr[ov[3] - ov[2]] = '\0';
				} else
					posstr = xstrdup("");
				groups = NULL;
				for (ng = 0, k = first; k < rc &&
				    ov[2 * k] != PCRE2_UNSET; k++, ng++) {
					groups = xreallocarray(groups,
					    (size_t)ng + 1, sizeof *groups);
					groups[ng] = xmemdup(s + ov[2 * k],
					    ov[2 * k + 1] - ov[2 * k] + 1);
					groups[ng][ov[2 * k + 1] - ov[2 * k]] =
					    '\0';
				}
			}
			piece_lit(&out, &nout, s + off, mstart - off);
			shown = xmemdup(s + mstart, mend - mstart + 1);
			shown[mend - mstart] = '\0';
			piece_ref(&out, &nout, posstr, e->code, groups, ng,
			    shown);
			free(shown);
			free(posstr);
			for (k = 0; k < ng; k++)
				free(groups[k]);
			free(groups);
			off = mend;
		}
		if (off < in[i].litlen)
			piece_lit(&out, &nout, s + off, in[i].litlen - off);
		free(in[i].lit);
	}
	if (md != NULL)
		pcre2_match_data_free(md);
	free(in);
	*ps = out;
	*n = nout;
}

/* Text the user meant as a replacement string but that is none. */
static void
check_leftovers(const struct rplpiece *ps, int n)
{
	const char *p, *q;
	int i;

	for (i = 0; i < n; i++) {
		if (ps[i].ref)
			continue;
		if ((p = strstr(ps[i].lit, lparen)) != NULL)
			fatal("unbalanced %s in '%s': it needs a matching %s",
			    lparen, p, rparen);
		if (!plus_on)
			continue;
		for (p = ps[i].lit; (p = strstr(p, "{+")) != NULL; p++) {
			for (q = p + 2; *q != '\0' && *q != '}' && *q != '{' &&
			    *q != ' ' && *q != '\t' && *q != '\n'; q++)
				;
			if (*q == '}')
				fatal("unknown replacement string '%.*s' "
				    "(see --plus in fanout(1))",
				    (int)(q - p + 1), p);
		}
	}
}

int
rpl_split(const char *text, struct rplpiece **out)
{
	struct rplpiece *ps = NULL;
	int n = 0, i;

	if (ntab == 0)
		rpl_init(NULL);
	split_parens(text, &ps, &n);
	for (i = 0; i < ntab; i++) {
		split_key(&tab[i], 0, &ps, &n);
		split_key(&tab[i], 1, &ps, &n);
	}
	check_leftovers(ps, n);
	*out = ps;
	return n;
}

int
rpl_needs_total(void)
{
	return needs_total;
}
