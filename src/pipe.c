/*
 * pipe.c: --pipe and --pipepart, the data plane.
 *
 * --pipe: a reader thread reads standard input a block at a time and cuts
 * it at the last record border in the block (--recend followed by
 * --recstart, fixed strings or, with --regexp, PCRE2 patterns), or after N
 * records (-N) or N lines (-L), the way GNU parallel's spreadstdin() does,
 * so every job gets the same bytes it would get there.  A record longer
 * than the block grows the block by 1.3x, with a warning.  Chunks wait in
 * a one-place queue; the control plane takes them without blocking and is
 * woken by a signal when one is ready.  The reader reads on only when the
 * queue is empty, so memory stays at about (job slots + 2) blocks,
 * whatever the input size.
 *
 * --pipepart: the split positions in the -a files are found up front by
 * seeking, and each part is copied from the file to the job's stdin with
 * splice(2), so its bytes never pass through user space.
 *
 * Feeder threads write each chunk to its job's stdin, so a slow child
 * holds up nobody; with --round-robin a feeder takes the next chunk itself
 * as soon as its child has swallowed the last one.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pcre2.h>
#include <pthread.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/fs.h>
#endif

#include "fastpath.h"
#include "opts.h"
#include "pipe.h"
#include "sbuf.h"
#include "util.h"

extern char **environ;

#define TWO_GB		2147483647LL
#define SPLIT_READ	131072

struct chunk {
	char		*data;		/* --pipe: the records */
	size_t		 len;
	size_t		 cap;		/* data's size, when it can be reused */
	int		 fd;		/* --pipepart: the file, else -1 */
	off_t		 off;		/* ... and the part of it */
	off_t		 flen;
	const char	*hdr;		/* --header: sent first */
	size_t		 hdrlen;
};

struct part {
	int		 fd;
	off_t		 start, end;
	char		*hdr;
	size_t		 hdrlen;
};

static const struct opts *o;

/* Record borders: strings, or PCRE2 patterns with --regexp. */
static struct sbuf recstart, recend, recendstart;
static pcre2_code *re_last;	/* \A(.*END)START: the last border */
static pcre2_code *re_nrec;	/* -N records with --regexp */
static pcre2_code *re_garbage;	/* text before the first START */
static pcre2_code *re_start;	/* \ASTART */
static long long blocksize;

/* The header, once found; shared by every chunk. */
static struct sbuf header;

/* --pipe: the queue between the reader and the consumers. */
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qspace = PTHREAD_COND_INITIALIZER;
static pthread_cond_t qready = PTHREAD_COND_INITIALIZER;
static struct chunk *ready;
/* Block buffers handed back by feeders, so that a chunk can take the
 * reader's buffer whole instead of a copy of it. */
#define POOL_MAX	8
static char *pool[POOL_MAX];
static size_t poolcap[POOL_MAX];
static int npool;
static int input_ended;
static int all_started;
static pthread_t main_thread;
static int wake_signal;

/*
 * --group-by, --shard, --bin: lines are keyed by a column (a number, or a
 * name found in the header line) and optionally a Perl expression, which
 * runs in a perl filter process as it does in GNU parallel.
 */
struct linesrc {
	int		 fd;
	struct sbuf	 buf;
	size_t		 pos;
	int		 eof;
	int		 perl;		/* records come as LEN:KEY LEN:LINE */
};

static struct linesrc lines;
static pcre2_code *colsep_re;
static int keycol;		/* 1-based; 0: the whole line */
static const char *keyexpr;	/* the Perl expression, or "" */
static int keyed;		/* one of the three modes is on */
static char gbsep[21];		/* --group-by: the border between groups */
static struct sbuf gbpending;	/* --group-by: transformed, not yet read */
static struct sbuf gblast;	/* --group-by: the previous line's key */
static int gbfirst = 1;

/* --tee, --shard, --bin: the jobs' pipes, fed by one thread. */
static int *outfds;
static int noutfds;

/* --pipepart: every part, found before the first job. */
static struct part *parts;
static size_t nparts, nextpart;

/* Match re against buf from the start; the end of group g, or -1. */
static long long
re_end(pcre2_code *re, const char *buf, size_t len, int g)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	PCRE2_SIZE *ov;
	long long end = -1;
	int rc;

	rc = pcre2_match(re, (PCRE2_SPTR)buf, len, 0, 0, md, NULL);
	if (rc > g) {
		ov = pcre2_get_ovector_pointer(md);
		if (ov[2 * g + 1] != PCRE2_UNSET)
			end = (long long)ov[2 * g + 1];
	}
	pcre2_match_data_free(md);
	return end;
}

/* --recstart/--recend as printf-like strings: \0 \r \n \t \' \" \\. */
static void
unescape_rec(const char *s, struct sbuf *out)
{
	static const char from[] = "0rnt'\"\\", to[] = "\0\r\n\t'\"\\";
	const char *p;

	for (; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] != '\0' &&
		    (p = strchr(from, s[1])) != NULL) {
			sbuf_addc(out, to[p - from]);
			s++;
		} else
			sbuf_addc(out, *s);
	}
	sbuf_grow(out, 0);
}

/* One record after its start: anything that does not cross a border,
 * up to the nearest end. */
static void
add_record_rest(struct sbuf *pat)
{
	sbuf_adds(pat, "(?:(?!");
	sbuf_adds(pat, recend.s);
	sbuf_adds(pat, recstart.s);
	sbuf_adds(pat, ").)*?");
	sbuf_adds(pat, recend.s);
}

/* Set up the record borders as GNU parallel's recstartrecend() does. */
static void
borders(void)
{
	const char *rs = o->recstart, *re = o->recend;
	struct sbuf pat = SBUF_INIT;
	char num[32];

	if (rs == NULL && re == NULL)
		re = "\n";
	if (rs == NULL)
		rs = "";
	if (re == NULL)
		re = "";
	if (!o->regexp) {
		unescape_rec(rs, &recstart);
		unescape_rec(re, &recend);
		sbuf_add(&recendstart, recend.s, recend.len);
		sbuf_add(&recendstart, recstart.s, recstart.len);
		sbuf_grow(&recendstart, 0);
		return;
	}
	/* Each is embedded in larger patterns below: check it alone first, so
	 * an error shows what the user wrote. */
	re_check(rs, 0, "--recstart");
	re_check(re, 0, "--recend");
	/* --regexp --recend '' alone cuts anywhere; with --recstart the
	 * empty end stays empty, as in GNU. */
	if (*re == '\0' && o->recstart == NULL)
		re = "(?s:.)";
	sbuf_adds(&recstart, "(?:(?-x:");
	sbuf_adds(&recstart, rs);
	sbuf_adds(&recstart, "))");
	sbuf_adds(&recend, "(?:(?-x:");
	sbuf_adds(&recend, re);
	sbuf_adds(&recend, "))");

	sbuf_adds(&pat, "(?s)\\A(.*");
	sbuf_adds(&pat, recend.s);
	sbuf_adds(&pat, ")");
	sbuf_adds(&pat, recstart.s);
	re_last = re_compile(pat.s, 0, "--recstart/--recend");

	sbuf_reset(&pat);
	sbuf_adds(&pat, "\\A");
	sbuf_adds(&pat, recstart.s);
	re_start = re_compile(pat.s, 0, "--recstart");

	sbuf_reset(&pat);
	sbuf_adds(&pat, "(?s)\\A(");
	add_record_rest(&pat);
	sbuf_adds(&pat, ")(?=");
	sbuf_adds(&pat, recstart.s);
	sbuf_adds(&pat, ")");
	re_garbage = re_compile(pat.s, 0, "--recstart/--recend");

	snprintf(num, sizeof num, "%lld",
	    (long long)(o->max_args ? o->max_args : 1) *
	    (o->max_lines ? o->max_lines : 1));
	sbuf_reset(&pat);
	sbuf_adds(&pat, "(?s)\\A((?:");
	sbuf_adds(&pat, recstart.s);
	add_record_rest(&pat);
	sbuf_adds(&pat, "){");
	sbuf_adds(&pat, num);
	sbuf_adds(&pat, "})(?=");
	sbuf_adds(&pat, recstart.s);
	sbuf_adds(&pat, ")");
	re_nrec = re_compile(pat.s, 0, "--recstart/--recend");
	sbuf_free(&pat);
}

/* --header: ':' is one line, N is N lines, anything else a regexp. */
static pcre2_code *
header_re(void)
{
	struct sbuf pat = SBUF_INIT;
	const char *h = o->header, *p;
	pcre2_code *re;
	long n;

	sbuf_adds(&pat, "\\A(");
	for (p = h; *p >= '0' && *p <= '9'; p++)
		;
	if (strcmp(h, ":") == 0)
		sbuf_adds(&pat, "(.*\\n)");
	else if (*h != '\0' && *p == '\0') {
		for (n = strtol(h, NULL, 10); n > 0; n--)
			sbuf_adds(&pat, "(.*\\n)");
	} else {
		re_check(h, 0, "--header");
		sbuf_adds(&pat, h);
	}
	sbuf_adds(&pat, ")");
	re = re_compile(pat.s, 0, "--header");
	sbuf_free(&pat);
	return re;
}

static ssize_t
read_some(int fd, struct sbuf *buf, size_t n)
{
	ssize_t r;

	sbuf_grow(buf, n);
	do
		r = read(fd, buf->s + buf->len, n);
	while (r == -1 && errno == EINTR);
	if (r == -1)
		fatal("cannot read the input: %s", strerror(errno));
	buf->len += (size_t)r;
	buf->s[buf->len] = '\0';
	return r;
}

/* Read until the header is complete; it is taken out of buf. */
static void
find_header(int fd, struct sbuf *buf)
{
	pcre2_code *re;
	long long end;

	if (o->header == NULL)
		return;
	re = header_re();
	/* What --skip-first-line read may hold the header already. */
	while (buf->len > 0 || read_some(fd, buf, (size_t)blocksize) > 0) {
		if ((end = re_end(re, buf->s, buf->len, 1)) >= 0) {
			sbuf_add(&header, buf->s, (size_t)end);
			memmove(buf->s, buf->s + end, buf->len - (size_t)end);
			buf->len -= (size_t)end;
			buf->s[buf->len] = '\0';
			break;
		}
		if (read_some(fd, buf, (size_t)blocksize) <= 0)
			break;
	}
	pcre2_code_free(re);
}

static void
shorten(struct sbuf *buf, size_t n)
{
	memmove(buf->s, buf->s + n, buf->len - n);
	buf->len -= n;
	buf->s[buf->len] = '\0';
}

/* --skip-first-line: drop the input's first line (the #! line of a
 * --shebang script); returns its length. */
static size_t
skip_first_line(int fd, struct sbuf *buf)
{
	const char *nl;
	size_t n;

	if (!o->skip_first_line)
		return 0;
	sbuf_grow(buf, 0);
	while ((nl = memchr(buf->s, '\n', buf->len)) == NULL)
		if (read_some(fd, buf, 65536) <= 0)
			break;
	n = nl != NULL ? (size_t)(nl + 1 - buf->s) : buf->len;
	shorten(buf, n);
	return n;
}

/* --rrs: take the record separators out of a chunk, as GNU does. */
static void
remove_rec_sep(struct chunk *c)
{
	struct sbuf out = SBUF_INIT;
	size_t i, n = recendstart.len;
	char *s = c->data;
	size_t len = c->len;

	if (o->regexp) {
		/* Rare enough to leave to a general substitution. */
		pcre2_code *re;
		struct sbuf pat = SBUF_INIT;
		PCRE2_SIZE outlen;
		PCRE2_UCHAR *res;
		int pass;

		for (pass = 0; pass < 3; pass++) {
			sbuf_reset(&pat);
			if (pass == 0) {
				sbuf_adds(&pat, "(?m)");
				sbuf_adds(&pat, recend.s);
				sbuf_adds(&pat, recstart.s);
			} else if (pass == 1) {
				sbuf_adds(&pat, "(?s)\\A");
				sbuf_adds(&pat, recstart.s);
			} else {
				sbuf_adds(&pat, "(?s)");
				sbuf_adds(&pat, recend.s);
				sbuf_adds(&pat, "$");
			}
			re = re_compile(pat.s, 0, "--rrs");
			outlen = len * 2 + 16;
			res = xmalloc(outlen);
			c->cap = 0;
			if (pcre2_substitute(re, (PCRE2_SPTR)s, len, 0,
			    pass == 0 ? PCRE2_SUBSTITUTE_GLOBAL : 0, NULL,
			    NULL, (PCRE2_SPTR)"", 0, res, &outlen) >= 0) {
				memcpy(s, res, outlen);
				len = outlen;
			}
			free(res);
			pcre2_code_free(re);
		}
		sbuf_free(&pat);
		c->len = len;
		return;
	}
	for (i = 0; i < len; ) {
		if (n > 0 && i + n <= len && memcmp(s + i, recendstart.s, n) == 0) {
			i += n;
			continue;
		}
		sbuf_addc(&out, s[i++]);
	}
	if (recstart.len > 0 && out.len >= recstart.len &&
	    memcmp(out.s, recstart.s, recstart.len) == 0)
		shorten(&out, recstart.len);
	/* Perl's $ also matches before a final newline. */
	if (recend.len > 0) {
		if (out.len >= recend.len && memcmp(out.s + out.len -
		    recend.len, recend.s, recend.len) == 0)
			out.len -= recend.len;
		else if (out.len > recend.len && out.s[out.len - 1] == '\n' &&
		    memcmp(out.s + out.len - 1 - recend.len, recend.s,
		    recend.len) == 0) {
			out.s[out.len - 1 - recend.len] = '\n';
			out.len -= recend.len;
		}
	}
	free(c->data);
	c->cap = 0;
	c->len = out.len;
	c->data = out.len > 0 ? out.s : (free(out.s), xmalloc(1));
}

/* A buffer for the reader: a reused block buffer when there is one. */
static void
pool_get(struct sbuf *b)
{
	pthread_mutex_lock(&qlock);
	if (npool > 0) {
		npool--;
		b->s = pool[npool];
		b->cap = poolcap[npool];
		b->len = 0;
		b->s[0] = '\0';
	}
	pthread_mutex_unlock(&qlock);
}

static void
wake_main(void)
{
	pthread_kill(main_thread, wake_signal);
}

/* Hand buf[0, endpos) on as a chunk; waits while the queue is full. */
static int
emit(struct sbuf *buf, size_t endpos)
{
	struct chunk *c;

	if (endpos == 0)
		return 0;
	c = xcalloc(1, sizeof *c);
	c->fd = -1;
	c->len = endpos;
	c->hdr = header.s;
	c->hdrlen = header.len;
	if (endpos >= buf->len / 2 && buf->cap >= (size_t)blocksize) {
		/* Most of the buffer: the chunk takes it, the rest moves. */
		struct sbuf rest = SBUF_INIT;

		pool_get(&rest);
		sbuf_add(&rest, buf->s + endpos, buf->len - endpos);
		c->data = buf->s;
		c->cap = buf->cap;
		*buf = rest;
	} else {
		c->data = xmemdup(buf->s, endpos);
		shorten(buf, endpos);
	}
	if (o->rrs || o->group_by != NULL)
		remove_rec_sep(c);
	if (c->len == 0 && c->hdrlen == 0) {
		/* Only separators, now removed: GNU parallel starts no
		 * command for a job without input. */
		pipe_chunk_free(c);
		return 1;
	}

	pthread_mutex_lock(&qlock);
	while (ready != NULL)
		pthread_cond_wait(&qspace, &qlock);
	ready = c;
	pthread_cond_broadcast(&qready);
	pthread_mutex_unlock(&qlock);
	wake_main();
	/*
	 * Read on only once a job has taken the chunk.  The chunk waiting
	 * here is the one that starts the next job at once; a second full
	 * block read ahead would only add a block of memory.
	 */
	pthread_mutex_lock(&qlock);
	while (ready == c)
		pthread_cond_wait(&qspace, &qlock);
	pthread_mutex_unlock(&qlock);
	return 1;
}

/* Perl's index(): the first place of needle at or after from, or -1. */
static long long
find(const struct sbuf *b, const struct sbuf *needle, size_t from)
{
	const char *p;

	if (from > b->len)
		return -1;
	if (needle->len == 0)
		return (long long)from;
	for (p = b->s + from; (size_t)(p - b->s) + needle->len <= b->len; p++) {
		p = memchr(p, needle->s[0], b->len - (size_t)(p - b->s));
		if (p == NULL || (size_t)(p - b->s) + needle->len > b->len)
			return -1;
		if (memcmp(p, needle->s, needle->len) == 0)
			return p - b->s;
	}
	return -1;
}

/* Perl's rindex(): the last place of needle at or before from. */
static long long
rfind(const struct sbuf *b, const struct sbuf *needle, long long from)
{
	long long i;

	if (needle->len > b->len)
		return -1;
	if (from > (long long)(b->len - needle->len))
		from = (long long)(b->len - needle->len);
	for (i = from; i >= 0; i--)
		if (memcmp(b->s + i, needle->s, needle->len) == 0)
			return i;
	return -1;
}

/* -r: drop lines of only white space, as s/^\s*\n//gm does. */
static void
drop_blank_lines(struct sbuf *buf)
{
	size_t i = 0, o2 = 0, j;
	int blank;

	while (i < buf->len) {
		for (j = i, blank = 1; j < buf->len && buf->s[j] != '\n'; j++)
			if (strchr(" \t\r\f\v", buf->s[j]) == NULL ||
			    buf->s[j] == '\0')
				blank = 0;
		if (j < buf->len && blank) {
			i = j + 1;
			continue;
		}
		if (j < buf->len)
			j++;
		memmove(buf->s + o2, buf->s + i, j - i);
		o2 += j - i;
		i = j;
	}
	buf->len = o2;
	sbuf_grow(buf, 0);
	buf->s[buf->len] = '\0';
}

/* Read one line, byte by byte, so nothing after it is consumed. */
static void
read_header_line(struct sbuf *out)
{
	char c;
	ssize_t r;

	do {
		r = read(STDIN_FILENO, &c, 1);
		if (r == 1)
			sbuf_addc(out, c);
	} while ((r == 1 && c != '\n') || (r == -1 && errno == EINTR));
	sbuf_grow(out, 0);
}

/* Perl's split(/sep/, line, limit), field idx (0-based) into out. */
static int
split_field(const char *line, size_t len, int idx, int limit, struct sbuf *out)
{
	pcre2_match_data *md;
	PCRE2_SIZE *ov, start = 0, from = 0;
	int field = 0, found = 0;

	md = pcre2_match_data_create_from_pattern(colsep_re, NULL);
	for (;;) {
		if (limit > 0 && field == limit - 1)
			break;
		if (pcre2_match(colsep_re, (PCRE2_SPTR)line, len, from, 0, md,
		    NULL) < 0)
			break;
		ov = pcre2_get_ovector_pointer(md);
		if (ov[1] == ov[0]) {
			/* A zero-width match splits between characters. */
			if (ov[0] >= len)
				break;
			if (ov[0] == start) {
				from = ov[0] + 1;
				if (from > len)
					break;
				continue;
			}
		} else if (ov[0] == 0 && ov[1] > 0 && start == 0 && field == 0) {
			/* A leading separator gives an empty first field. */
		}
		if (field == idx) {
			sbuf_add(out, line + start, ov[0] - start);
			found = 1;
			break;
		}
		field++;
		start = ov[1];
		from = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
		if (from > len)
			break;
	}
	if (!found && field == idx && start <= len) {
		sbuf_add(out, line + start, len - start);
		found = 1;
	}
	pcre2_match_data_free(md);
	sbuf_grow(out, 0);
	return found;
}

/* Split "COL [perlexpr]" as GNU parallel's column_perlexpr() does. */
static void
keyed_setup(const char *spec, const char *what, const char *defsep)
{
	char name[256];
	const char *p = spec;
	struct sbuf hdr = SBUF_INIT, field = SBUF_INIT;
	size_t n;
	int i, isnum = 1;

	keyed = 1;
	colsep_re = re_compile(o->colsep != NULL ? o->colsep : defsep, 0,
	    "--colsep");
	n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-");
	if (n > 0 && (p[n] == '\0' || p[n] == ' ' || p[n] == '\t' ||
	    p[n] == '\n')) {
		for (i = p[0] == '-' ? 1 : 0; (size_t)i < n; i++)
			if (p[i] < '0' || p[i] > '9')
				isnum = 0;
		if (n >= sizeof name)
			fatal("%s: the column name is too long", what);
		memcpy(name, p, n);
		name[n] = '\0';
		p += n;
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (isnum) {
			keycol = atoi(name);
			if (keycol <= 0)
				fatal("%s: column %s: columns count from 1",
				    what, name);
		} else {
			/* A column name: the first line is the header. */
			if (o->pipepart)
				fatal("%s: a column name needs --pipe, not "
				    "--pipepart", what);
			read_header_line(&hdr);
			if (hdr.len > 0 && hdr.s[hdr.len - 1] == '\n')
				hdr.s[--hdr.len] = '\0';
			for (i = 0; ; i++) {
				sbuf_reset(&field);
				if (!split_field(hdr.s, hdr.len, i, 0, &field))
					fatal("%s: column '%s' is not in the "
					    "header", what, name);
				if (strcmp(field.s, name) == 0)
					break;
			}
			keycol = i + 1;
			if (o->group_by != NULL) {
				sbuf_add(&header, hdr.s, hdr.len);
				sbuf_addc(&header, '\n');
			}
		}
	}
	keyexpr = p;
	sbuf_free(&hdr);
	sbuf_free(&field);
}

/* Start the perl filter that computes the keys for a Perl expression. */
static void
perl_filter(void)
{
	static const char script[] =
	    "$sep=shift;$col=shift;$lim=shift;"
	    "$sub=eval(\"sub { no strict; no warnings; \".shift.\" }\");"
	    "defined $sub or die $@;"
	    "while(defined($l=<STDIN>)){"
	    "if($col){@F=split /$sep/o,$l,$lim;$_=$F[$col-1]}else{$_=$l}"
	    "&$sub();$_=\"\" unless defined;"
	    "print length($_),\":\",$_,length($l),\":\",$l}";
	char col[32], lim[32];
	char *argv[8];
	int fds[2];
	pid_t pid;

	snprintf(col, sizeof col, "%d", keycol);
	snprintf(lim, sizeof lim, "%d", o->group_by != NULL ? 0 : keycol + 1);
	argv[0] = "perl";
	argv[1] = "-e";
	argv[2] = (char *)script;
	argv[3] = (char *)(o->colsep != NULL ? o->colsep :
	    o->group_by != NULL ? "\t" : ",");
	argv[4] = col;
	argv[5] = lim;
	argv[6] = (char *)keyexpr;
	argv[7] = NULL;
	if (pipe2(fds, O_CLOEXEC) == -1)
		fatal("cannot make a pipe: %s", strerror(errno));
	{
		posix_spawn_file_actions_t fa;
		char *path = NULL;
		const char *dirs[] = { "/usr/bin/perl", "/bin/perl",
		    "/usr/local/bin/perl", NULL };
		int i;

		for (i = 0; dirs[i] != NULL; i++)
			if (access(dirs[i], X_OK) == 0) {
				path = (char *)dirs[i];
				break;
			}
		if (path == NULL)
			fatal("a Perl expression in --group-by, --shard or --bin "
			    "needs perl, which is not installed");
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
		if (posix_spawn(&pid, path, &fa, NULL, argv, environ) != 0)
			fatal("cannot start perl: %s", strerror(errno));
		posix_spawn_file_actions_destroy(&fa);
	}
	close(fds[1]);
	lines.fd = fds[0];
	lines.perl = 1;
}

/* Make sure lines.buf holds n bytes from lines.pos on; 0 at the end. */
static int
lines_fill(size_t n)
{
	while (lines.buf.len - lines.pos < n) {
		if (lines.eof)
			return 0;
		if (lines.pos > 0) {
			shorten(&lines.buf, lines.pos);
			lines.pos = 0;
		}
		if (read_some(lines.fd, &lines.buf, 65536) == 0)
			lines.eof = 1;
	}
	return 1;
}

/* A LEN: prefix of the perl filter's records. */
static int
lines_len(size_t *len)
{
	size_t v = 0;

	for (;;) {
		if (!lines_fill(1))
			return 0;
		if (lines.buf.s[lines.pos] == ':') {
			lines.pos++;
			*len = v;
			return 1;
		}
		v = v * 10 + (size_t)(lines.buf.s[lines.pos++] - '0');
	}
}

/* The next input line (with its newline) and its key; 0 at the end. */
static int
line_next(struct sbuf *line, struct sbuf *key)
{
	const char *nl;
	size_t n, klen;

	sbuf_reset(line);
	sbuf_reset(key);
	sbuf_grow(key, 0);
	if (lines.perl) {
		if (!lines_len(&klen) || !lines_fill(klen))
			return 0;
		sbuf_add(key, lines.buf.s + lines.pos, klen);
		lines.pos += klen;
		if (!lines_len(&n) || !lines_fill(n))
			return 0;
		sbuf_add(line, lines.buf.s + lines.pos, n);
		lines.pos += n;
		return 1;
	}
	for (;;) {
		nl = memchr(lines.buf.s + lines.pos, '\n',
		    lines.buf.len - lines.pos);
		if (nl != NULL || lines.eof)
			break;
		if (!lines_fill(lines.buf.len - lines.pos + 1))
			break;
	}
	if (lines.pos >= lines.buf.len)
		return 0;
	n = nl != NULL ? (size_t)(nl - lines.buf.s) + 1 - lines.pos :
	    lines.buf.len - lines.pos;
	sbuf_add(line, lines.buf.s + lines.pos, n);
	lines.pos += n;
	if (keycol == 0)
		sbuf_add(key, line->s, line->len);
	else
		split_field(line->s, line->len, keycol - 1,
		    o->group_by != NULL ? 0 : keycol + 1, key);
	return 1;
}

/*
 * --group-by: the input as GNU parallel's filter rewrites it, a border
 * string before every line whose key differs from the line before.  Up to
 * n bytes of it go into buf; 0 at the end.
 */
static ssize_t
group_by_read(struct sbuf *buf, size_t n)
{
	struct sbuf line = SBUF_INIT, key = SBUF_INIT;
	size_t take;

	while (gbpending.len < n && line_next(&line, &key)) {
		if (gbfirst || key.len != gblast.len ||
		    memcmp(key.s, gblast.s, key.len) != 0) {
			sbuf_adds(&gbpending, gbsep);
			sbuf_reset(&gblast);
			sbuf_add(&gblast, key.s, key.len);
			gbfirst = 0;
		}
		sbuf_add(&gbpending, line.s, line.len);
	}
	sbuf_free(&line);
	sbuf_free(&key);
	take = gbpending.len < n ? gbpending.len : n;
	sbuf_add(buf, gbpending.s, take);
	shorten(&gbpending, take);
	return (ssize_t)take;
}

/* The input of the block reader: stdin, or the --group-by rewrite. */
static ssize_t
input_read(struct sbuf *buf, size_t n)
{
	if (o->group_by != NULL)
		return group_by_read(buf, n);
	if (o->block_timeout > 0) {
		struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };
		int ms = (int)(o->block_timeout * 1000);

		/* Nothing for a while: cut what there is (not an end). */
		if (poll(&pfd, 1, ms) == 0)
			return -2;
	}
	return read_some(STDIN_FILENO, buf, n);
}

static void
keyed_start(void)
{
	static const char letters[] =
	    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	unsigned long long x = (unsigned long long)getpid() * 0x9E3779B97F4A7C15ULL;
	int i;

	lines.fd = STDIN_FILENO;
	if (*keyexpr != '\0' && !o->pipepart)
		perl_filter();
	sbuf_grow(&lines.buf, 0);
	for (i = 0; i < 20; i++) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		gbsep[i] = letters[(x * 2685821657736338717ULL >> 58) % 62];
	}
	gbsep[20] = '\0';
}

/* FNV-1a: the same key always goes to the same job. */
static unsigned long long
key_hash(const struct sbuf *k)
{
	unsigned long long h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < k->len; i++) {
		h ^= (unsigned char)k->s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Which of n jobs a line goes to under --shard or --bin. */
static int
route(const struct sbuf *key, int n)
{
	long long v, m;

	if (o->shard != NULL)
		return (int)(key_hash(key) % (unsigned long long)n);
	/* --bin: the value modulo n; 0 goes to the last job. */
	v = strtoll(key->s, NULL, 10);
	m = ((v % n) + n) % n;
	return m == 0 ? n - 1 : (int)m - 1;
}

static void
out_write(int i, const char *p, size_t len)
{
	if (outfds[i] != -1 && write_all(outfds[i], p, len) == -1) {
		/* That job stopped reading: drop its share. */
		close(outfds[i]);
		outfds[i] = -1;
	}
}

/* The thread that feeds --shard and --bin jobs. */
static void *
router(void *unused)
{
	struct sbuf line = SBUF_INIT, key = SBUF_INIT, *bufs;
	int i;

	bufs = xcalloc((size_t)noutfds, sizeof *bufs);
	while (line_next(&line, &key)) {
		i = route(&key, noutfds);
		sbuf_add(&bufs[i], line.s, line.len);
		if (bufs[i].len >= 65536) {
			out_write(i, bufs[i].s, bufs[i].len);
			sbuf_reset(&bufs[i]);
		}
	}
	for (i = 0; i < noutfds; i++) {
		out_write(i, bufs[i].s, bufs[i].len);
		sbuf_free(&bufs[i]);
		if (outfds[i] != -1)
			close(outfds[i]);
	}
	free(bufs);
	sbuf_free(&line);
	sbuf_free(&key);
	return NULL;
}

/* The thread that copies all of stdin to every --tee job. */
static void *
teer(void *unused)
{
	char buf[65536];
	ssize_t n;
	int i;

	for (;;) {
		n = read(STDIN_FILENO, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (i = 0; i < noutfds; i++)
			out_write(i, buf, (size_t)n);
	}
	for (i = 0; i < noutfds; i++)
		if (outfds[i] != -1)
			close(outfds[i]);
	return NULL;
}

int
pipe_fanout(void)
{
	return o->tee || o->shard != NULL || o->bin != NULL;
}

void
pipe_attach(int fd)
{
	outfds = xreallocarray(outfds, (size_t)noutfds + 1, sizeof *outfds);
	outfds[noutfds++] = fd;
}

void
pipe_attach_done(void)
{
	pthread_attr_t attr;
	pthread_t t;

	if (noutfds == 0)
		return;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, o->tee ? teer : router, NULL) != 0)
		fatal("cannot start the input thread");
	pthread_attr_destroy(&attr);
}

/* One round of cutting: what GNU parallel's pass*() functions do. */
static int
cut(struct sbuf *buf, int eof)
{
	long long i, n, nlines, pos;
	int written = 0;

	if (o->max_lines && !o->max_args) {
		/* Whole groups of -L lines. */
		for (nlines = 0, i = 0; (size_t)i < buf->len; i++)
			nlines += buf->s[i] == '\n';
		pos = (long long)buf->len - 1;
		while (pos >= 0 && buf->s[pos] != '\n')
			pos--;
		while (nlines % o->max_lines != 0) {
			nlines--;
			pos--;
			while (pos >= 0 && buf->s[pos] != '\n')
				pos--;
		}
		return emit(buf, (size_t)(pos + 1));
	}
	if (o->regexp) {
		if (o->max_args) {
			static int garbage_done;

			if (!garbage_done) {
				garbage_done = 1;
				if (re_end(re_start, buf->s, buf->len, 0) < 0 &&
				    (i = re_end(re_garbage, buf->s, buf->len,
				    1)) > 0)
					written += emit(buf, (size_t)i);
			}
			while (buf->len > 0 &&
			    (i = re_end(re_nrec, buf->s, buf->len, 1)) > 0)
				written += emit(buf, (size_t)i);
			return written;
		}
		if (eof)
			return 0;
		if ((i = re_end(re_last, buf->s, buf->len, 1)) > 0)
			return emit(buf, (size_t)i);
		return 0;
	}
	if (o->max_args) {
		/* The Nth border, counting from the second byte on. */
		n = (long long)o->max_args * (o->max_lines ? o->max_lines : 1);
		for (;;) {
			long long k;

			for (k = 0, i = 0; k < n; k++) {
				i = find(buf, &recendstart, (size_t)i + 1);
				if (i == -1)
					break;
			}
			if (i == -1 || buf->len == 0)
				break;
			written += emit(buf, (size_t)i + recend.len);
		}
		return written;
	}
	if (eof)
		return 0;
	if ((i = rfind(buf, &recendstart, (long long)buf->len)) != -1 &&
	    i + (long long)recend.len > 0)
		return emit(buf, (size_t)i + recend.len);
	return 0;
}

/* The reader thread of --pipe: GNU parallel's spreadstdin(). */
static void *
reader(void *unused)
{
	struct sbuf buf = SBUF_INIT;
	long long want, old;
	ssize_t r = 0;
	int eof, written, timed_out;

#ifdef F_SETPIPE_SZ
	/* A bigger input pipe means fewer, larger reads. */
	if (fastpath_on(FP_PIPESZ))
		(void)fcntl(STDIN_FILENO, F_SETPIPE_SZ, 1024 * 1024);
#endif
	sbuf_grow(&buf, (size_t)blocksize);
	skip_first_line(STDIN_FILENO, &buf);
	if (o->group_by == NULL)
		find_header(STDIN_FILENO, &buf);
	for (;;) {
		/* Fill up to the next whole block. */
		want = blocksize - (long long)(buf.len % (size_t)blocksize);
		timed_out = 0;
		do {
			r = input_read(&buf, (size_t)want);
			if (r == -2) {
				timed_out = 1;
				break;
			}
			want -= r;
		} while (want > 0 && r > 0);
		eof = r == 0;
		if (o->no_run_if_empty) {
			drop_blank_lines(&buf);
			if (buf.len == 0) {
				if (eof)
					break;
				continue;
			}
		}
		written = cut(&buf, eof);
		if (eof)
			break;
		if (!written && !timed_out && o->block_timeout <= 0 &&
		    blocksize < TWO_GB) {
			old = blocksize;
			blocksize = ceil_ll((double)blocksize * 1.3 + 1);
			if (blocksize > TWO_GB)
				blocksize = TWO_GB;
			warning("A record was longer than %lld. Increasing to "
			    "--blocksize %lld.", old, blocksize);
		}
	}
	emit(&buf, buf.len);
	sbuf_free(&buf);

	pthread_mutex_lock(&qlock);
	input_ended = 1;
	pthread_cond_broadcast(&qready);
	pthread_mutex_unlock(&qlock);
	wake_main();
	return NULL;
}

static off_t
file_size(const char *path, int fd)
{
	struct stat st;
	unsigned long long bytes = 0;

	if (fstat(fd, &st) == -1)
		fatal("cannot stat '%s': %s", path, strerror(errno));
	if (S_ISREG(st.st_mode))
		return st.st_size;
#ifdef BLKGETSIZE64
	if (S_ISBLK(st.st_mode) && ioctl(fd, BLKGETSIZE64, &bytes) == 0)
		return (off_t)bytes;
#endif
	fatal("--pipepart only works on seekable files: '%s' is neither a "
	    "regular file nor a block device", path);
}

/* --pipepart --group-by: the line that starts at pos into line. */
static off_t
line_at(int fd, off_t pos, off_t size, struct sbuf *line)
{
	char buf[4096];
	char *nl;
	ssize_t n;

	sbuf_reset(line);
	sbuf_grow(line, 0);
	while (pos < size) {
		n = pread(fd, buf, sizeof buf, pos);
		if (n <= 0)
			break;
		nl = memchr(buf, '\n', (size_t)n);
		if (nl != NULL)
			n = nl - buf + 1;
		sbuf_add(line, buf, (size_t)n);
		pos += n;
		if (nl != NULL)
			break;
	}
	return pos;
}

/*
 * GNU parallel's value_at(): the key of the first line that starts after
 * pos - 1, and where that line starts.  *at_eof is Perl's eof() after it.
 */
static void
value_at(int fd, off_t pos, off_t size, struct sbuf *v, off_t *linepos,
    int *at_eof)
{
	struct sbuf line = SBUF_INIT;
	off_t end;

	if (pos > size)
		pos = size;
	if (pos != 0)
		pos = line_at(fd, pos - 1, size, &line);
	*linepos = pos;
	end = line_at(fd, pos, size, &line);
	sbuf_reset(v);
	sbuf_grow(v, 0);
	if (line.len > 0) {
		if (keycol == 0)
			sbuf_add(v, line.s, line.len);
		else
			split_field(line.s, line.len, keycol - 1, 0, v);
	}
	*at_eof = end >= size;
	sbuf_free(&line);
}

static int
same(const struct sbuf *a, const struct sbuf *b)
{
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* GNU parallel's binary_search_end() and binary_search_start(). */
static void
group_search(int fd, off_t size, int to_end, struct sbuf *s, off_t spos,
    off_t epos, struct sbuf *v, off_t *vpos)
{
	off_t posdif = epos - spos;
	int eof;

	while (posdif) {
		value_at(fd, spos + posdif, size, v, vpos, &eof);
		if (same(v, s) == to_end) {
			spos = *vpos;
			posdif = epos - spos;
		} else
			epos = *vpos;
		posdif /= 2;
	}
}

/* Split positions for --pipepart --group-by: groups are never cut. */
static void
group_positions(int fd, off_t size, off_t skip, off_t **ptsp, size_t *np)
{
	struct sbuf a = SBUF_INIT, b = SBUF_INIT, c = SBUF_INIT, t = SBUF_INIT;
	off_t apos, bpos, cpos, *pts = NULL, block = (off_t)blocksize;
	size_t n = 0;
	int eof;

#define PUSH(p) do {							\
	pts = xreallocarray(pts, n + 1, sizeof *pts);			\
	pts[n++] = (p);							\
} while (0)

	if (*keyexpr != '\0')
		fatal("--group-by with a Perl expression needs --pipe, not "
		    "--pipepart");
	value_at(fd, skip, size, &a, &apos, &eof);
	while (apos < size) {
		PUSH(apos);
		value_at(fd, apos + block, size, &b, &bpos, &eof);
		if (eof) {
			PUSH(size);
			break;
		}
		cpos = bpos + block;
		value_at(fd, cpos, size, &c, &cpos, &eof);
		if (same(&a, &b)) {
			while (same(&b, &c)) {
				bpos = cpos;
				cpos += block;
				value_at(fd, cpos, size, &c, &cpos, &eof);
				if (cpos >= size) {
					cpos = size;
					break;
				}
			}
			sbuf_reset(&t);
			sbuf_add(&t, b.s, b.len);
			group_search(fd, size, 1, &t, bpos, cpos, &b, &bpos);
		} else if (same(&b, &c)) {
			sbuf_reset(&t);
			sbuf_add(&t, b.s, b.len);
			group_search(fd, size, 0, &t, apos, bpos, &b, &bpos);
		} else {
			sbuf_reset(&t);
			sbuf_add(&t, b.s, b.len);
			group_search(fd, size, 1, &t, bpos, cpos, &b, &bpos);
		}
		sbuf_reset(&a);
		sbuf_add(&a, b.s, b.len);
		sbuf_grow(&a, 0);
		apos = bpos;
	}
	if (n == 0 || pts[n - 1] != size)
		PUSH(size);
#undef PUSH
	sbuf_free(&a);
	sbuf_free(&b);
	sbuf_free(&c);
	sbuf_free(&t);
	*ptsp = pts;
	*np = n;
}

/* GNU parallel's find_split_positions() for one file. */
static void
split_file(const char *path)
{
	struct sbuf buf = SBUF_INIT, hdr = SBUF_INIT;
	off_t size, pos, skip, *pts = NULL;
	size_t npts = 0, cap = 0, k;
	long long i;
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		fatal("cannot open input file '%s': %s", path, strerror(errno));
	size = file_size(path, fd);
	skip = (off_t)skip_first_line(fd, &buf);
	if (o->header != NULL) {
		find_header(fd, &buf);
		sbuf_add(&hdr, header.s, header.len);
		sbuf_reset(&header);
	}
	skip += (off_t)hdr.len;

#define ADDPOS(p) do {							\
	if (npts == cap) {						\
		cap = cap ? cap * 2 : 64;				\
		pts = xreallocarray(pts, cap, sizeof *pts);		\
	}								\
	pts[npts++] = (p);						\
} while (0)

	if (o->group_by != NULL) {
		group_positions(fd, size, skip, &pts, &npts);
		goto parts;
	}
	ADDPOS(skip);
	for (pos = (off_t)blocksize + skip; pos < size; pos += blocksize) {
		if (recendstart.len == 0 && !o->regexp) {
			ADDPOS(pos);
			continue;
		}
		sbuf_reset(&buf);
		for (;;) {
			sbuf_grow(&buf, SPLIT_READ);
			r = pread(fd, buf.s + buf.len, SPLIT_READ,
			    pos + (off_t)buf.len);
			if (r <= 0)
				break;
			buf.len += (size_t)r;
			buf.s[buf.len] = '\0';
			if (o->regexp)
				i = re_end(re_last, buf.s, buf.len, 1);
			else if ((i = find(&buf, &recendstart, 0)) != -1)
				i += (long long)recend.len;
			if (i != -1) {
				pos += (off_t)i;
				ADDPOS(pos);
				break;
			}
		}
	}
	if (pts[npts - 1] != size)
		ADDPOS(size);
#undef ADDPOS
parts:
	for (k = 0; k + 1 < npts; k++) {
		parts = xreallocarray(parts, nparts + 1, sizeof *parts);
		parts[nparts].fd = fd;
		parts[nparts].start = pts[k];
		parts[nparts].end = pts[k + 1];
		parts[nparts].hdr = hdr.len ? xmemdup(hdr.s, hdr.len) : NULL;
		parts[nparts].hdrlen = hdr.len;
		nparts++;
	}
	free(pts);
	sbuf_free(&buf);
	sbuf_free(&hdr);
}

void
pipe_setup(const struct opts *opts, int nslots)
{
	struct stat st;
	off_t total = 0;
	int i, fd, nfiles = 0;

	o = opts;
	if (o->group_by != NULL) {
		/* Groups are records: borders are inserted between them. */
		keyed_setup(o->group_by, "--group-by", "\t");
		keyed_start();
		sbuf_adds(&recstart, gbsep);
		sbuf_adds(&recendstart, gbsep);
		sbuf_grow(&recend, 0);
	} else
		borders();
	if (o->shard != NULL)
		keyed_setup(o->shard, "--shard", ",");
	if (o->bin != NULL)
		keyed_setup(o->bin, "--bin", ",");
	if (o->shard != NULL || o->bin != NULL)
		keyed_start();
	if (o->pipepart && o->tee) {
		if (o->teefile == NULL)
			fatal("--pipepart --tee needs the file to read: give it "
			    "with -a");
		if (stat(o->teefile, &st) == 0 && !S_ISREG(st.st_mode) &&
		    !S_ISBLK(st.st_mode))
			fatal("--pipepart only works on seekable files: '%s' is "
			    "neither a regular file nor a block device",
			    o->teefile);
		if ((i = open(o->teefile, O_RDONLY | O_CLOEXEC)) == -1)
			fatal("cannot open input file '%s': %s", o->teefile,
			    strerror(errno));
		(void)file_size(o->teefile, i);
		close(i);
		return;
	}
	if (o->pipe) {
		blocksize = o->block != 0 ? o->block : 1024 * 1024;
		if (blocksize < 0)
			fatal("--block: a negative size needs --pipepart");
		if (blocksize > TWO_GB)
			blocksize = TWO_GB;
		return;
	}
	/* --pipepart: sizes per job slot when --block is negative. */
	blocksize = o->block != 0 ? o->block : -10;
	if (o->round_robin)
		blocksize = -1;
	for (i = 0; i < o->nsrcs; i++) {
		if (o->srcs[i].kind != SRC_FILE)
			continue;
		nfiles++;
		if (strcmp(o->srcs[i].path, "-") == 0)
			fatal("--pipepart only works on seekable files, not on "
			    "standard input");
		/* Never block on a FIFO: look before opening. */
		if (stat(o->srcs[i].path, &st) == 0 && !S_ISREG(st.st_mode) &&
		    !S_ISBLK(st.st_mode))
			fatal("--pipepart only works on seekable files: '%s' is "
			    "neither a regular file nor a block device",
			    o->srcs[i].path);
		if ((fd = open(o->srcs[i].path, O_RDONLY | O_CLOEXEC)) == -1)
			fatal("cannot open input file '%s': %s",
			    o->srcs[i].path, strerror(errno));
		total += file_size(o->srcs[i].path, fd);
		close(fd);
	}
	if (nfiles == 0)
		fatal("--pipepart needs the file to read: give it with -a or "
		    "::::");
	if (blocksize < 0)
		blocksize = 1 + (long long)((double)total / nslots /
		    (double)-blocksize);
	for (i = 0; i < o->nsrcs; i++)
		if (o->srcs[i].kind == SRC_FILE)
			split_file(o->srcs[i].path);
}

void
pipe_start(pthread_t main, int sig)
{
	pthread_attr_t attr;
	pthread_t t;

	main_thread = main;
	wake_signal = sig;
	if (!o->pipe || pipe_fanout())
		return;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, reader, NULL) != 0)
		fatal("cannot start the input reader thread");
	pthread_attr_destroy(&attr);
}

int
pipe_next(struct chunk **cp)
{
	struct chunk *c;
	int rc = 0;

	if (o->pipepart) {
		if (nextpart >= nparts)
			return -1;
		c = xcalloc(1, sizeof *c);
		c->fd = parts[nextpart].fd;
		c->off = parts[nextpart].start;
		c->flen = parts[nextpart].end - parts[nextpart].start;
		c->hdr = parts[nextpart].hdr;
		c->hdrlen = parts[nextpart].hdrlen;
		nextpart++;
		*cp = c;
		return 1;
	}
	pthread_mutex_lock(&qlock);
	if (ready != NULL) {
		*cp = ready;
		ready = NULL;
		pthread_cond_signal(&qspace);
		rc = 1;
	} else if (input_ended)
		rc = -1;
	pthread_mutex_unlock(&qlock);
	return rc;
}

void
pipe_all_started(void)
{
	pthread_mutex_lock(&qlock);
	all_started = 1;
	pthread_cond_broadcast(&qready);
	pthread_mutex_unlock(&qlock);
}

/* --round-robin: the next chunk for a feeder, NULL at the end. */
static struct chunk *
take_for_feeder(void)
{
	struct chunk *c = NULL;

	pthread_mutex_lock(&qlock);
	while (!((all_started && ready != NULL) ||
	    (input_ended && ready == NULL)))
		pthread_cond_wait(&qready, &qlock);
	if (ready != NULL) {
		c = ready;
		ready = NULL;
		pthread_cond_signal(&qspace);
	}
	pthread_mutex_unlock(&qlock);
	return c;
}

/* Copy a file range into fd: splice, or pread and write. */
static int
copy_range(int from, off_t off, off_t len, int to)
{
	char buf[65536];
	ssize_t n;
	int use_splice = fastpath_on(FP_SPLICE);

	while (len > 0) {
#ifdef SPLICE_F_MOVE
		if (use_splice) {
			loff_t loff = off;

			n = splice(from, &loff, to, NULL, (size_t)len,
			    SPLICE_F_MOVE);
			if (n > 0) {
				off += n;
				len -= n;
				continue;
			}
			if (n == 0)
				return 0;
			if (errno == EINTR)
				continue;
			if (!fastpath_refused(errno))
				return -1;
			use_splice = 0;
		}
#endif
		n = pread(from, buf, len < (off_t)sizeof buf ? (size_t)len :
		    sizeof buf, off);
		if (n <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			return n == 0 ? 0 : -1;
		}
		if (write_all(to, buf, (size_t)n) == -1)
			return -1;
		off += n;
		len -= n;
	}
	return 0;
}

/* Write one chunk; -1 when the reader has gone. */
static int
write_chunk(int fd, const struct chunk *c, int with_header)
{
	if (with_header && c->hdrlen > 0 &&
	    write_all(fd, c->hdr, c->hdrlen) == -1)
		return -1;
	if (c->fd != -1)
		return copy_range(c->fd, c->off, c->flen, fd);
	return write_all(fd, c->data, c->len);
}

int
pipe_to_file(struct chunk *c, const char *path)
{
	int fd, rc;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		pipe_chunk_free(c);
		return -1;
	}
	rc = write_chunk(fd, c, 1);
	if (close(fd) == -1)
		rc = -1;
	pipe_chunk_free(c);
	return rc;
}

struct feed {
	struct chunk	*c;
	int		 fd;
	char		*fifo;
};

static void *
feeder(void *arg)
{
	struct feed *f = arg;
	struct chunk *c = f->c;
	int first = 1;

	if (f->fifo != NULL) {
		do
			f->fd = open(f->fifo, O_WRONLY | O_CLOEXEC);
		while (f->fd == -1 && errno == EINTR);
	}
	while (c != NULL && f->fd != -1) {
		/* With --round-robin only a job's first chunk has the header. */
		if (write_chunk(f->fd, c, first || !o->round_robin) == -1) {
			pipe_chunk_free(c);
			break;
		}
		pipe_chunk_free(c);
		c = NULL;
		first = 0;
		if (o->round_robin && o->pipe)
			c = take_for_feeder();
	}
	if (f->fd != -1)
		close(f->fd);
	free(f->fifo);
	free(f);
	return NULL;
}

static void
start_feeder(struct chunk *c, int fd, const char *fifo)
{
	pthread_attr_t attr;
	struct feed *f = xcalloc(1, sizeof *f);
	pthread_t t;

	f->c = c;
	f->fd = fd;
	f->fifo = fifo != NULL ? xstrdup(fifo) : NULL;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	if (pthread_create(&t, &attr, feeder, f) != 0) {
		/* No thread: feed from here, which only costs concurrency. */
		feeder(f);
	}
	pthread_attr_destroy(&attr);
}

void
pipe_feed(struct chunk *c, int fd)
{
	start_feeder(c, fd, NULL);
}

void
pipe_feed_fifo(struct chunk *c, const char *path)
{
	start_feeder(c, -1, path);
}

void
pipe_chunk_free(struct chunk *c)
{
	if (c == NULL)
		return;
	if (c->cap >= (size_t)blocksize) {
		pthread_mutex_lock(&qlock);
		if (npool < POOL_MAX) {
			pool[npool] = c->data;
			poolcap[npool++] = c->cap;
			c->data = NULL;
		}
		pthread_mutex_unlock(&qlock);
	}
	free(c->data);
	free(c);
}

struct chunk *
pipe_chunk_dup(const struct chunk *c)
{
	struct chunk *d = xmalloc(sizeof *d);

	*d = *c;
	d->data = c->len > 0 ? xmemdup(c->data, c->len) : NULL;
	d->cap = c->len;
	return d;
}

long long
pipe_chunk_size(const struct chunk *c)
{
	return (long long)c->hdrlen + (c->fd != -1 ? (long long)c->flen :
	    (long long)c->len);
}
