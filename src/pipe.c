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
 * woken by a signal when one is ready.  Memory stays at about (job slots +
 * 3) blocks, whatever the input size.
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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/fs.h>
#endif

#include "opts.h"
#include "pipe.h"
#include "sbuf.h"
#include "util.h"

#define TWO_GB		2147483647LL
#define SPLIT_READ	131072

struct chunk {
	char		*data;		/* --pipe: the records */
	size_t		 len;
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
static int input_ended;
static int all_started;
static pthread_t main_thread;
static int wake_signal;

/* --pipepart: every part, found before the first job. */
static struct part *parts;
static size_t nparts, nextpart;

static pcre2_code *
re_compile(const char *pat, const char *what)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	pcre2_code *re;
	int err;

	re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, 0, &err,
	    &off, NULL);
	if (re == NULL) {
		pcre2_get_error_message(err, msg, sizeof msg);
		fatal("%s: bad regular expression: %s", what, msg);
	}
	return re;
}

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
	if (*re == '\0')
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
	re_last = re_compile(pat.s, "--recstart/--recend");

	sbuf_reset(&pat);
	sbuf_adds(&pat, "\\A");
	sbuf_adds(&pat, recstart.s);
	re_start = re_compile(pat.s, "--recstart");

	sbuf_reset(&pat);
	sbuf_adds(&pat, "(?s)\\A((?:(?!");
	sbuf_adds(&pat, recend.s);
	sbuf_adds(&pat, recstart.s);
	sbuf_adds(&pat, ").)*?");
	sbuf_adds(&pat, recend.s);
	sbuf_adds(&pat, ")(?=");
	sbuf_adds(&pat, recstart.s);
	sbuf_adds(&pat, ")");
	re_garbage = re_compile(pat.s, "--recstart/--recend");

	snprintf(num, sizeof num, "%lld",
	    (long long)(o->max_args ? o->max_args : 1) *
	    (o->max_lines ? o->max_lines : 1));
	sbuf_reset(&pat);
	sbuf_adds(&pat, "(?s)\\A((?:");
	sbuf_adds(&pat, recstart.s);
	sbuf_adds(&pat, "(?:(?!");
	sbuf_adds(&pat, recend.s);
	sbuf_adds(&pat, recstart.s);
	sbuf_adds(&pat, ").)*?");
	sbuf_adds(&pat, recend.s);
	sbuf_adds(&pat, "){");
	sbuf_adds(&pat, num);
	sbuf_adds(&pat, "})(?=");
	sbuf_adds(&pat, recstart.s);
	sbuf_adds(&pat, ")");
	re_nrec = re_compile(pat.s, "--recstart/--recend");
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
	} else
		sbuf_adds(&pat, h);
	sbuf_adds(&pat, ")");
	re = re_compile(pat.s, "--header");
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
	while (read_some(fd, buf, (size_t)blocksize) > 0) {
		if ((end = re_end(re, buf->s, buf->len, 1)) >= 0) {
			sbuf_add(&header, buf->s, (size_t)end);
			memmove(buf->s, buf->s + end, buf->len - (size_t)end);
			buf->len -= (size_t)end;
			buf->s[buf->len] = '\0';
			break;
		}
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
			re = re_compile(pat.s, "--rrs");
			outlen = len * 2 + 16;
			res = xmalloc(outlen);
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
	c->len = out.len;
	c->data = out.len > 0 ? out.s : (free(out.s), xmalloc(1));
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
	c->data = xmemdup(buf->s, endpos);
	c->len = endpos;
	c->hdr = header.s;
	c->hdrlen = header.len;
	if (o->rrs)
		remove_rec_sep(c);
	shorten(buf, endpos);

	pthread_mutex_lock(&qlock);
	while (ready != NULL)
		pthread_cond_wait(&qspace, &qlock);
	ready = c;
	pthread_cond_broadcast(&qready);
	pthread_mutex_unlock(&qlock);
	wake_main();
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

/* One round of cutting: what GNU parallel's pass*() functions do. */
static int
cut(struct sbuf *buf, int eof)
{
	long long i, n, lines, pos;
	int written = 0;

	if (o->max_lines && !o->max_args) {
		/* Whole groups of -L lines. */
		for (lines = 0, i = 0; (size_t)i < buf->len; i++)
			lines += buf->s[i] == '\n';
		pos = (long long)buf->len - 1;
		while (pos >= 0 && buf->s[pos] != '\n')
			pos--;
		while (lines % o->max_lines != 0) {
			lines--;
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
	int eof, written;

	sbuf_grow(&buf, 0);
	find_header(STDIN_FILENO, &buf);
	for (;;) {
		/* Fill up to the next whole block. */
		want = blocksize - (long long)(buf.len % (size_t)blocksize);
		do {
			r = read_some(STDIN_FILENO, &buf, (size_t)want);
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
		if (!written && blocksize < TWO_GB) {
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
	if (o->header != NULL) {
		find_header(fd, &buf);
		sbuf_add(&hdr, header.s, header.len);
		sbuf_reset(&header);
	}
	skip = (off_t)hdr.len;

#define ADDPOS(p) do {							\
	if (npts == cap) {						\
		cap = cap ? cap * 2 : 64;				\
		pts = xreallocarray(pts, cap, sizeof *pts);		\
	}								\
	pts[npts++] = (p);						\
} while (0)

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
	off_t total = 0;
	int i, fd, nfiles = 0;

	o = opts;
	borders();
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
	if (!o->pipe)
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
	int use_splice = 1;

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
			if (errno != EINVAL && errno != ENOSYS)
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
	free(c->data);
	free(c);
}
