/*
 * output.c: prints jobs' output.
 *
 * Grouped jobs write into a pair of unlinked temporary files (O_TMPFILE in
 * --tmpdir), so output of any size never sits in memory.  When a job ends
 * its files are copied to fanout's stdout and stderr with sendfile, then
 * truncated and put back in a pool for the next job.  With -k, ended jobs
 * wait in a ring indexed by sequence number until every earlier job has
 * printed.  fanout's own lines (--dry-run, -v) go through one buffer that
 * is flushed before any job output is copied, so nothing is reordered.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef HAVE_SYS_SENDFILE_H
#include <sys/sendfile.h>
#endif

#include "fastpath.h"
#include "launch.h"
#include "opts.h"
#include "output.h"
#include "sbuf.h"
#include "util.h"

extern char **environ;

#define OUTBUF_MAX	65536

static const struct opts *o;
static struct sbuf outbuf;
static int *pool;		/* free temp files */
static size_t npool, cappool;
static struct jobout **ring;	/* -k: ended jobs waiting for their turn */
static size_t ringcap;
static unsigned long next_seq = 1;
static void (*pipe_closed)(void);
static void (*job_printed)(struct jobout *);

void
output_init(const struct opts *opts, void (*closed)(void),
    void (*printed)(struct jobout *))
{
	struct stat st;

	o = opts;
	pipe_closed = closed;
	job_printed = printed;
	if (!o->ungroup && !o->dry_run) {
		if (stat(o->tmpdir, &st) == -1 || !S_ISDIR(st.st_mode))
			fatal("--tmpdir '%s' is not a directory", o->tmpdir);
		if (access(o->tmpdir, W_OK | X_OK) == -1)
			fatal("--tmpdir '%s' is not writable", o->tmpdir);
	}
}

static void
die_write(const char *what)
{
	sigset_t set;

	/*
	 * The reader went away: pass SIGPIPE on to the jobs' process groups
	 * and die of it, as GNU parallel does.
	 */
	if (errno == EPIPE) {
		if (pipe_closed != NULL)
			pipe_closed();
		signal(SIGPIPE, SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, SIGPIPE);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(SIGPIPE);
	}
	fatal("cannot write to %s: %s", what, strerror(errno));
}

void
output_flush(void)
{
	if (outbuf.len == 0)
		return;
	if (write_all(STDOUT_FILENO, outbuf.s, outbuf.len) == -1)
		die_write("standard output");
	sbuf_reset(&outbuf);
}

void
output_write(const void *p, size_t n)
{
	sbuf_add(&outbuf, p, n);
	if (outbuf.len >= OUTBUF_MAX)
		output_flush();
}

static int
tempfile(void)
{
	struct sbuf path = SBUF_INIT;
	int fd;

#ifdef O_TMPFILE
	if (fastpath_on(FP_TMPFILE)) {
		fd = open(o->tmpdir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		if (fd != -1)
			return fd;
	}
#endif
	sbuf_adds(&path, o->tmpdir);
	sbuf_adds(&path, "/fanoutXXXXXX");
	fd = mkostemp(path.s, O_CLOEXEC);
	if (fd != -1)
		unlink(path.s);
	sbuf_free(&path);
	return fd;
}

/* --files: a named file that stays, for the job's stdout. */
static int
named_file(struct jobout *jo)
{
	struct sbuf path = SBUF_INIT;
	int fd;

	sbuf_adds(&path, o->tmpdir);
	sbuf_adds(&path, "/parXXXXXX.par");
	fd = mkostemps(path.s, 4, O_CLOEXEC);
	if (fd == -1) {
		sbuf_free(&path);
		return -1;
	}
	jo->outpath = sbuf_take(&path);
	return fd;
}

int
output_open(struct jobout *jo)
{
	int fds[2], i;

	for (i = 0; i < 2; i++) {
		if (i == 0 && o->files) {
			if ((fds[0] = named_file(jo)) == -1)
				return 0;
			continue;
		}
		if (npool > 0)
			fds[i] = pool[--npool];
		else if ((fds[i] = tempfile()) == -1) {
			if (i == 1)
				close(fds[0]);
			return 0;
		}
	}
	jo->out = fds[0];
	jo->err = fds[1];
	return 1;
}

static void
release(int fd)
{
	if (npool == cappool) {
		cappool = cappool ? cappool * 2 : 16;
		pool = xreallocarray(pool, cappool, sizeof *pool);
	}
	pool[npool++] = fd;
}

/* The end of a coloured line (GNU parallel's fallback for tput sgr0). */
#define COLOR_RESET	"\033[m"

/* The first line end in p[0, n): a newline or, as GNU parallel counts
 * them when it tags, a carriage return. */
static const char *
line_end(const char *p, size_t n)
{
	const char *nl, *cr;

	nl = memchr(p, '\n', n);
	cr = memchr(p, '\r', nl != NULL ? (size_t)(nl - p) : n);
	return cr != NULL ? cr : nl;
}

/*
 * Append p[0, n) to b, each line started with color (if any) and the
 * tag, and a coloured line ended by the reset before its newline or
 * carriage return.
 */
static void
tag_lines(struct sbuf *b, const char *p, size_t n, const struct jobout *jo,
    const char *color, int *midline)
{
	const char *nl, *end = p + n;

	while (p < end) {
		if (*midline != 1) {
			if (color != NULL)
				sbuf_adds(b, color);
			if (jo->tag != NULL)
				sbuf_add(b, jo->tag, jo->taglen);
		}
		nl = line_end(p, (size_t)(end - p));
		if (nl == NULL) {
			sbuf_add(b, p, (size_t)(end - p));
			*midline = 1;
			break;
		}
		sbuf_add(b, p, (size_t)(nl - p));
		if (color != NULL)
			sbuf_adds(b, COLOR_RESET);
		sbuf_addc(b, *nl);
		*midline = *nl == '\r' ? 2 : 0;
		p = nl + 1;
	}
}

/*
 * Print a command line (-v, --dry-run) to stdout with the colour and the
 * tag before each of its lines, as GNU parallel prints a job's output.
 */
void
output_tagged(const char *color, const char *tag, size_t taglen,
    const char *p, size_t n)
{
	struct jobout jo;
	struct sbuf b = SBUF_INIT;
	int midline = 0;

	memset(&jo, 0, sizeof jo);
	jo.tag = (char *)tag;
	jo.taglen = taglen;
	if (n == 0) {
		if (color != NULL)
			sbuf_adds(&b, color);
		if (tag != NULL)
			sbuf_add(&b, tag, taglen);
	}
	tag_lines(&b, p, n, &jo, color, &midline);
	if (color != NULL)
		sbuf_adds(&b, COLOR_RESET);
	sbuf_addc(&b, '\n');
	output_write(b.s, b.len);
	sbuf_free(&b);
}

/* Write p[0, n) to fd in the job's colour and with its tag. */
static void
write_tagged(int fd, const char *p, size_t n, const struct jobout *jo,
    int *midline, const char *what)
{
	struct sbuf b = SBUF_INIT;

	tag_lines(&b, p, n, jo, jo->color, midline);
	if (b.len > 0 && write_all(fd, b.s, b.len) == -1)
		die_write(what);
	sbuf_free(&b);
}

/*
 * Copy a temp file to fd from byte *off on: everything, or with whole
 * only the whole lines.  Untagged whole copies use sendfile.
 */
static void
copy_from(struct jobout *jo, int which, int to, int whole, const char *what)
{
	char buf[65536];
	int from = which == 0 ? jo->out : jo->err;
	off_t off = jo->done[which], end;
	struct stat st;
	ssize_t n;
	size_t len;
	char *nl;

	if (fstat(from, &st) == -1 || st.st_size <= off)
		return;
	end = st.st_size;
#ifdef HAVE_SENDFILE
	while (jo->tag == NULL && jo->color == NULL && !whole && off < end &&
	    fastpath_on(FP_SENDFILE)) {
		n = sendfile(to, from, &off, (size_t)(end - off));
		if (n <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			/* O_APPEND output, for one, refuses sendfile. */
			if (n == -1 && fastpath_refused(errno))
				break;
			if (n == -1)
				die_write(what);
			break;
		}
	}
#endif
	while (off < end) {
		len = end - off < (off_t)sizeof buf ? (size_t)(end - off) :
		    sizeof buf;
		n = pread(from, buf, len, off);
		if (n <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			break;
		}
		len = (size_t)n;
		if (whole) {
			/* Hold back a last line that is not finished yet. */
			nl = memrchr(buf, '\n', len);
			if (nl == NULL) {
				if (len == sizeof buf)
					nl = buf + len - 1;
				else
					break;
			}
			len = (size_t)(nl + 1 - buf);
		}
		if (jo->tag != NULL || jo->color != NULL)
			write_tagged(to, buf, len, jo, &jo->midline[which],
			    what);
		else if (write_all(to, buf, len) == -1)
			die_write(what);
		off += (off_t)len;
	}
	jo->done[which] = off;
}

/*
 * Empty a temp file for its next job.  Most jobs write nothing to one of
 * their files, and truncating an empty file still makes the file system
 * update its inode, so an empty one is only rewound.
 */
static void
truncate_file(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && st.st_size == 0) {
		if (lseek(fd, 0, SEEK_SET) == -1)
			fatal("cannot reuse a temporary file: %s",
			    strerror(errno));
		return;
	}
	if (ftruncate(fd, 0) == -1 || lseek(fd, 0, SEEK_SET) == -1)
		fatal("cannot reuse a temporary file: %s", strerror(errno));
}

/* -v: the command line, coloured and tagged as the job's lines are. */
/* --files: the name of the job's output file, tagged but not coloured
 * as in GNU parallel. */
static void
print_path(const struct jobout *jo)
{
	if (jo->tag != NULL)
		output_write(jo->tag, jo->taglen);
	output_write(jo->outpath, strlen(jo->outpath));
	output_write("\n", 1);
}

static void
print_line(const struct jobout *jo)
{
	output_tagged(jo->color, jo->tag, jo->taglen, jo->line, jo->linelen);
}

/*
 * A coloured last line with no newline still gets its reset.  Grouped, GNU
 * parallel ends coloured output with a newline, and after a final carriage
 * return with one more coloured tag.
 */
static void
end_color(struct jobout *jo)
{
	struct sbuf b = SBUF_INIT;
	int fd, i;

	if (jo->color == NULL)
		return;
	for (i = 0; i < 2; i++) {
		fd = i == 0 ? STDOUT_FILENO : STDERR_FILENO;
		sbuf_reset(&b);
		if (jo->midline[i] == 2 && !o->line_buffer) {
			sbuf_adds(&b, jo->color);
			if (jo->tag != NULL)
				sbuf_add(&b, jo->tag, jo->taglen);
		}
		if (jo->midline[i] == 1 ||
		    (jo->midline[i] == 2 && !o->line_buffer))
			sbuf_adds(&b, COLOR_RESET);
		if (jo->midline[i] != 0 && !o->line_buffer)
			sbuf_addc(&b, '\n');
		if (b.len > 0)
			write_all(fd, b.s, b.len);
	}
	sbuf_free(&b);
}

/* Tell the caller the job has printed, before its files are let go. */
static void
printed(struct jobout *jo)
{
	if (jo->ended != NULL && job_printed != NULL) {
		output_flush();
		job_printed(jo);
	}
	jo->ended = NULL;
}

static void
print_job(struct jobout *jo)
{
	if (jo->line != NULL && !jo->quiet)
		print_line(jo);
	free(jo->line);
	jo->line = NULL;
	if (jo->out != -1 && jo->ownfiles) {
		/* --results files: they stay as they are; with --files or
		 * --line-buffer their names are printed. */
		if (jo->outpath != NULL) {
			print_path(jo);
			free(jo->outpath);
			jo->outpath = NULL;
		}
		printed(jo);
		close(jo->out);
		close(jo->err);
	} else if (jo->out != -1 && jo->quiet && jo->outpath == NULL) {
		printed(jo);
		truncate_file(jo->out);
		truncate_file(jo->err);
		release(jo->out);
		release(jo->err);
	} else if (jo->out != -1 && jo->outpath != NULL) {
		/* --files: the name of the file that holds the output. */
		print_path(jo);
		output_flush();
		if (!jo->quiet)
			copy_from(jo, 1, STDERR_FILENO, 0, "standard error");
		printed(jo);
		truncate_file(jo->err);
		close(jo->out);
		release(jo->err);
		free(jo->outpath);
		jo->outpath = NULL;
	} else if (jo->out != -1) {
		output_flush();
		copy_from(jo, 0, STDOUT_FILENO, 0, "standard output");
		copy_from(jo, 1, STDERR_FILENO, 0, "standard error");
		end_color(jo);
		printed(jo);
		truncate_file(jo->out);
		truncate_file(jo->err);
		release(jo->out);
		release(jo->err);
	} else
		printed(jo);
	free(jo->tag);
	jo->tag = NULL;
	free(jo->color);
	jo->color = NULL;
}

void
output_live(struct jobout *jo)
{
	if (jo->out == -1 || jo->outpath != NULL || jo->quiet ||
	    (o->keep_order && jo->seq != next_seq))
		return;
	if (jo->line != NULL) {
		print_line(jo);
		free(jo->line);
		jo->line = NULL;
	}
	output_flush();
	copy_from(jo, 0, STDOUT_FILENO, 1, "standard output");
	copy_from(jo, 1, STDERR_FILENO, 1, "standard error");
}

/*
 * A job writing into a full --tmpdir gets ENOSPC, which fanout cannot see;
 * GNU parallel probes with a write of 8193 bytes (less may seem to fit) and
 * so does fanout, but only when statvfs says the room is nearly gone, so
 * the usual job costs one system call.
 */
int
output_room_left(const struct jobout *jo)
{
	static char probe[8193];
	struct statvfs sv;
	ssize_t n;
	int fd, ok;

	if (jo->out == -1 || jo->ownfiles)
		return 1;
	if (fstatvfs(jo->out, &sv) == 0 &&
	    (unsigned long long)sv.f_bavail * sv.f_frsize > sizeof probe * 4)
		return 1;
	if ((fd = tempfile()) == -1)
		return errno != ENOSPC && errno != EDQUOT;
	n = write(fd, probe, sizeof probe);
	ok = n == (ssize_t)sizeof probe;
	close(fd);
	return ok;
}

long long
output_size(const struct jobout *jo)
{
	struct stat st;

	if (jo->out == -1 || fstat(jo->out, &st) == -1)
		return 0;
	return (long long)st.st_size;
}

void
output_slurp(const struct jobout *jo, int which, struct sbuf *b)
{
	char buf[65536];
	int fd = which == 0 ? jo->out : jo->err;
	off_t off = 0;
	ssize_t n;
	int midline = 0;

	sbuf_reset(b);
	sbuf_grow(b, 0);
	if (fd == -1)
		return;
	/* A --results table holds the lines tagged, as GNU parallel's does,
	 * but not coloured. */
	while ((n = pread(fd, buf, sizeof buf, off)) > 0) {
		if (jo->tag != NULL)
			tag_lines(b, buf, (size_t)n, jo, NULL, &midline);
		else
			sbuf_add(b, buf, (size_t)n);
		off += n;
	}
}

/*
 * --compress: replace a job's compressed temp file by a new one holding
 * what the decompress program makes of it, so that printing goes on as
 * for any job.
 */
static int
decompress_file(int *fdp, const char *shell, const char *prog)
{
	char *argv[4];
	int plain, status;
	pid_t pid;

	if ((plain = tempfile()) == -1)
		return -1;
	if (lseek(*fdp, 0, SEEK_SET) == -1)
		return -1;
	argv[0] = (char *)shell;
	argv[1] = "-c";
	argv[2] = (char *)prog;
	argv[3] = NULL;
	pid = launch_run(shell, argv, environ, *fdp, plain, STDERR_FILENO);
	if (pid == -1) {
		close(plain);
		return -1;
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	truncate_file(*fdp);
	release(*fdp);
	*fdp = plain;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int
output_decompress(struct jobout *jo, const char *shell, const char *prog)
{
	int rc = 0;

	if (jo->out == -1 || jo->ownfiles || jo->outpath != NULL)
		return 0;
	if (decompress_file(&jo->out, shell, prog) == -1)
		rc = -1;
	if (decompress_file(&jo->err, shell, prog) == -1)
		rc = -1;
	return rc;
}

void
output_discard(struct jobout *jo)
{
	if (jo->out == -1)
		return;
	truncate_file(jo->out);
	truncate_file(jo->err);
	jo->done[0] = jo->done[1] = 0;
}

/* Print every waiting job whose turn has come. */
static void
ring_drain(void)
{
	struct jobout *jo;

	while (ringcap > 0 && (jo = ring[next_seq % ringcap]) != NULL) {
		ring[next_seq % ringcap] = NULL;
		if (!jo->skip)
			print_job(jo);
		free(jo);
		next_seq++;
	}
}

/* Keep a job until its turn; the ring grows to span every waiting one. */
static void
ring_put(struct jobout *jo)
{
	struct jobout **old = ring;
	size_t oldcap = ringcap, i;

	if (jo->seq - next_seq >= ringcap) {
		while (jo->seq - next_seq >= ringcap)
			ringcap = ringcap ? ringcap * 2 : 64;
		ring = xcalloc(ringcap, sizeof *ring);
		for (i = 0; i < oldcap; i++)
			if (old[i] != NULL)
				ring[old[i]->seq % ringcap] = old[i];
		free(old);
	}
	ring[jo->seq % ringcap] = jo;
}

void
output_done(struct jobout *jo)
{
	struct jobout *copy;

	if (!o->keep_order || jo->seq == next_seq) {
		print_job(jo);
		if (o->keep_order) {
			next_seq++;
			ring_drain();
		}
		return;
	}
	copy = xmemdup(jo, sizeof *jo);
	jo->line = NULL;
	ring_put(copy);
}

void
output_skip(unsigned long seq)
{
	struct jobout *jo;

	if (!o->keep_order)
		return;
	if (seq == next_seq) {
		next_seq++;
		ring_drain();
		return;
	}
	jo = xcalloc(1, sizeof *jo);
	jo->seq = seq;
	jo->out = jo->err = -1;
	jo->skip = 1;
	ring_put(jo);
}

void
output_end(void)
{
	size_t i;

	output_flush();
	for (i = 0; i < npool; i++)
		close(pool[i]);
	free(pool);
	pool = NULL;
	npool = cappool = 0;
	free(ring);
	ring = NULL;
	ringcap = 0;
}
