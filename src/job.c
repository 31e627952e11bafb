/*
 * job.c: runs the jobs.
 *
 * The loop starts jobs while slots are free and input remains, then sleeps
 * in sigwaitinfo() on SIGCHLD, SIGINT, SIGTERM and SIGHUP, which stay
 * blocked the whole time, so no signal is lost and no handler runs in the
 * middle of anything.  SIGCHLD reaps; SIGINT and SIGTERM kill every running
 * job's process group with the termination sequence and exit 255; SIGHUP
 * stops new jobs and lets the running ones finish.
 *
 * Job states: a slot is FREE or RUNNING; a job that ended is handed to
 * output.c and its slot is FREE again.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fastpath.h"
#include "input.h"
#include "job.h"
#include "joblog.h"
#include "launch.h"
#include "opts.h"
#include "output.h"
#include "pack.h"
#include "pipe.h"
#include "progress.h"
#include "remote.h"
#include "perl.h"
#include "results.h"
#include "sbuf.h"
#include "sem.h"
#include "sshlogin.h"
#include "sysload.h"
#include "tmpl.h"
#include "util.h"

extern char **environ;

enum slotstate { SLOT_FREE, SLOT_RUNNING };

struct slot {
	enum slotstate	 state;
	pid_t		 pid;
	struct jobout	 jo;
	char		*tmpfile;	/* --cat/--fifo: removed at the end */
	struct sbuf	 tmplfiles;	/* --template --cleanup: to remove */
	unsigned long	 seq;		/* {#} */
	char		*cmd;		/* the command line (joblog, halt) */
	int		 vfile;		/* -v's line heads the stdout file */
	double		 start_real;	/* epoch seconds */
	double		 start;		/* monotonic seconds */
	long long	 sent;		/* bytes given on stdin */
	int		 tries;		/* runs so far (--retries) */
	char		*rpath;		/* --retries: what to run again */
	struct sbuf	 rargv;
	int		 rargc;
	struct chunk	*rchunk;	/* ... and, piped, the input it had */
	int		 timedout;	/* killed by --timeout */
	int		 requeue;	/* killed for memory: run it later */
	int		 stopped;	/* suspended by --memsuspend */
	pid_t		 cpid[2];	/* --compress: compressors of out, err */
	int		 compressed;	/* ... which this job's output went to */
	int		 killstep;	/* next step of --term-seq, -1 none */
	struct sbuf	 vals;		/* --results tables: the values */
	int		 nvals;
	double		 killat;	/* ... due at this time */
	struct sshlogin	*host;		/* -S: where it runs, NULL locally */
	struct rjob	*rjob;		/* -S, --wd: what to wrap for a host */
};

struct runner {
	const struct opts *o;
	int		 pending;	/* input taken, start waits for fds */
	struct input	*in;
	struct tmpl	*t;
	struct pack	*pack;		/* input records gathered into jobs */
	const struct arg *args;		/* the next job's values */
	int		 width;
	int		 noarg;		/* -N0 */
	int		 recwidth;	/* values per input record */
	int		 toolong;	/* a value fits no command line */
	struct sbuf	 qline;		/* --shell-quote: the line run */

	struct slot	*slots;
	int		 nslots;	/* slots in use now (-j) */
	int		 capslots;
	int		 running;
	const char	*jobsfile;	/* -j FILE: re-read as jobs end */

	unsigned long	 seq;		/* the last job's {#} */
	unsigned long	 outseq;	/* output order of started jobs */
	unsigned long	 failed;
	unsigned long	 started, completed, succeeded;
	unsigned long	 total;		/* known total of jobs, or 0 */
	double		 runtime_sum;	/* of completed jobs (--eta) */
	int		 halt_status;	/* -1: no --halt decision yet */
	double		 next_start;	/* --delay: earliest next start */
	double		 delay;		/* --delay now (it adapts with auto) */
	double		*runtimes;	/* --timeout N%: completed runtimes */
	size_t		 nruntimes;
	struct tmpl	*tagtmpl;	/* --tagstring */
	const char	*retry_cmd;	/* --retry-failed: the next command */
	unsigned long	 retry_seq;	/* ... and its {#} */
	int		 needline;	/* keep each job's command line */
	int		 keepargv;	/* keep what each job ran (retry, requeue) */
	struct slot	*requeued;	/* jobs killed for memory, to run again */
	int		 nrequeued;
	double		 next_check;	/* --load etc.: when to look again */
	double		 next_limit;	/* --limit: when to run it again */
	char		*compress;	/* --compress: the two programs */
	char		*decompress;
	int		 sem_status;	/* --semaphore: as a shell reports it */
	int		 input_done;
	int		 stop_new;	/* SIGHUP */
	int		 piped;		/* --pipe or --pipepart */
	struct chunk	*chunk;		/* piped: the next job's input */
	int		 fed;		/* --tee/--shard/--bin: feeding began */
	int		 remote;	/* -S/--slf: jobs go to sshlogins */
	int		 wrap;		/* -S, --wd: command lines are wrapped */
	struct sshlogin	*nexthost;	/* -S: the host of the next job */
	struct tmpl	**tmplname;	/* --template: the files' names */
	struct tmpl	**tmplbody;	/* ... and their text */
	int		 ntmpl;
	struct tmpl	**filters;	/* --filter */
	int		 nfilters;
	int		 filter_code;	/* ... the perl that evaluates them */
	struct hgjob	**hgq;		/* --hostgroups: jobs waiting for */
	int		 nhgq;		/* a host of their groups */
	struct hgjob	*hgcur;		/* ... the one starting now */

	const char	*direct;	/* the command word's path, if direct */
	const char	*word;
	int		 devnull;
	struct sbuf	 line;
	struct sbuf	 argbuf;
	char		**argv;
	size_t		 capargv;
	sigset_t	 waitset;
};

/*
 * --hostgroups: a job read from the input, its values without their
 * @group suffixes, and the groups of its first value.  Its {#} and its
 * place in the output are taken when it is read, so a job that waits for
 * a host of its groups keeps them while later jobs go ahead of it.
 */
struct hgjob {
	unsigned long	 seq;
	unsigned long	 outseq;
	struct arg	*args;
	int		 nargs;
	int		 noarg;
	int		 recwidth;
	char		**groups;	/* NULL: any host */
	int		 ngroups;
	char		*agrp;		/* $PARALLEL_ARGHOSTGROUPS */
	struct sbuf	 buf;		/* the values' text */
};

static double
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
now_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The most jobs fanout can hold open at once with this descriptor limit. */
static int
max_slots(const struct opts *o)
{
	struct rlimit rl;
	rlim_t fds = 1024, per;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		fds = rl.rlim_cur;
	else if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		fds = 65536;
	if (fds < 32)
		return 1;
	/* Two temp files per grouped job, the write end of a piped job's
	 * stdin, and room for fanout itself. */
	per = (o->ungroup || o->dry_run ? 0 : 2) + (o->pipe || o->pipepart);
	fds = per == 0 ? fds - 16 : (fds - 16) / per;
	return fds > 32768 ? 32768 : (int)fds;
}

/* Parse a -j value; -1 when it is not one of GNU parallel's forms. */
static double
jobs_value(const char *s)
{
	char *end;
	double v;
	int cpus = cpu_count();
	size_t len = strlen(s);

	/* A file's content may end in one newline, as Perl's $ allows. */
	if (len > 0 && s[len - 1] == '\n')
		len--;
	if (len == 0)
		return -1;
	if (s[0] == '+' || s[0] == '-') {
		if (!isdigit((unsigned char)s[1]))
			return -1;
		v = strtod(s + 1, &end);
		if ((size_t)(end - s) != len || memchr(s + 1, '.', len) != NULL)
			return -1;
		/* Fewer than none is none: no job can run. */
		return s[0] == '+' ? cpus + v : cpus > v ? cpus - v : 0;
	}
	if (!isdigit((unsigned char)s[0]))
		return -1;
	v = strtod(s, &end);
	if ((size_t)(end - s) == len - 1 && *end == '%')
		return cpus * v / 100;
	if ((size_t)(end - s) != len || memchr(s, '.', len) != NULL)
		return -1;
	return v == 0 ? (double)INT_MAX : v;
}

/* Read a -j file; -1 when it cannot be read or parsed. */
static double
jobs_file(const char *path)
{
	char buf[256];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return jobs_value(buf);
}

static int
jobs_slots(const struct opts *o, double v)
{
	int max = max_slots(o);

	static int warned;

	v = (double)ceil_ll(v);
	if (v < 1)
		v = 1;
	/* -j0 asks for as many as possible; a number asked for is owed a
	 * word when fanout cannot give it. */
	if (v > max && v < INT_MAX && !warned) {
		warned = 1;
		warning("only enough file descriptors to run %d jobs at once; "
		    "raise 'ulimit -n' to run more", max);
	}
	return v > max ? max : (int)v;
}

void
job_check_slots(const struct opts *o)
{
	double v;

	if (o->jobs == NULL)
		return;
	if ((v = jobs_value(o->jobs)) < 0 && access(o->jobs, F_OK) == 0) {
		if ((v = jobs_file(o->jobs)) < 0)
			fatal("-j %s: the file does not hold a number of jobs",
			    o->jobs);
	}
	if (v < 0)
		fatal("-j %s: not a number of jobs (N, +N, -N, N%% or a file)",
		    o->jobs);
	/* -j -N beyond the CPU count, or 0%: GNU parallel refuses too.
	 * Remote hosts have CPU counts of their own, asked later. */
	if (ceil_ll(v) < 1 && o->sshlogins.n == 0 && o->slfs.n == 0)
		fatal("-j %s: cannot run any jobs (that is %g job slots)",
		    o->jobs, v);
}

static int
initial_slots(struct runner *s)
{
	const struct opts *o = s->o;
	double v;

	if (o->jobs == NULL)
		return jobs_slots(o, o->tee ? (double)INT_MAX : cpu_count());
	if ((v = jobs_value(o->jobs)) >= 0)
		return jobs_slots(o, v);
	s->jobsfile = o->jobs;
	return jobs_slots(o, jobs_file(o->jobs));
}

static void
slots_resize(struct runner *s, int n)
{
	int i;

	if (n > s->capslots) {
		s->slots = xreallocarray(s->slots, (size_t)n, sizeof *s->slots);
		for (i = s->capslots; i < n; i++)
			memset(&s->slots[i], 0, sizeof s->slots[i]);
		s->capslots = n;
	}
	s->nslots = n;
}

static int
free_slot(struct runner *s)
{
	int i;

	for (i = 0; i < s->capslots; i++)
		if (s->slots[i].state == SLOT_FREE)
			return i;
	return -1;
}

/* Point argv at the NUL-separated words in argbuf. */
static void
build_argv(struct runner *s, int n)
{
	char *p = s->argbuf.s;
	int i;

	if ((size_t)n + 1 > s->capargv) {
		s->capargv = (size_t)n + 16;
		s->argv = xreallocarray(s->argv, s->capargv, sizeof *s->argv);
	}
	for (i = 0; i < n; i++) {
		s->argv[i] = p;
		p += strlen(p) + 1;
	}
	s->argv[n] = NULL;
}

/* Remove a job's --cat file or --fifo. */
static void
slot_cleanup(struct slot *sl)
{
	size_t off;

	if (sl->tmpfile != NULL) {
		unlink(sl->tmpfile);
		free(sl->tmpfile);
		sl->tmpfile = NULL;
	}
	for (off = 0; off < sl->tmplfiles.len;
	    off += strlen(sl->tmplfiles.s + off) + 1)
		unlink(sl->tmplfiles.s + off);
	sbuf_reset(&sl->tmplfiles);
}

/*
 * --template FILE=NAME: write FILE's text, its replacement strings filled
 * in, to NAME (filled in too) before the job starts; with --cleanup the
 * files go when the job ends.
 */
static void
write_templates(struct runner *s, struct slot *sl, const struct jobvars *jv)
{
	struct sbuf name = SBUF_INIT, body = SBUF_INIT;
	int i, fd;

	for (i = 0; i < s->ntmpl; i++) {
		sbuf_reset(&name);
		sbuf_reset(&body);
		tmpl_line(s->tmplname[i], jv, &name);
		tmpl_line(s->tmplbody[i], jv, &body);
		sbuf_grow(&name, 0);
		fd = open(name.s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0666);
		if (fd == -1 || write_all(fd, body.s, body.len) == -1)
			fatal("--template: cannot write '%s': %s", name.s,
			    strerror(errno));
		close(fd);
		if (s->o->cleanup)
			sbuf_add(&sl->tmplfiles, name.s, name.len + 1);
	}
	sbuf_free(&name);
	sbuf_free(&body);
}

/* A piped job could not start: drop what was prepared for its input. */
static void
piped_abort(struct runner *s, struct slot *sl, int infd, int feedfd)
{
	if (infd != s->devnull && infd != -1)
		close(infd);
	if (feedfd != -1)
		close(feedfd);
	pipe_chunk_free(s->chunk);
	s->chunk = NULL;
	slot_cleanup(sl);
}

static void	kill_all(struct runner *);

/*
 * Whether n more descriptors can be opened now.  Far below the limit (the
 * usual case: a few jobs, a limit of a thousand or more) this is known
 * without asking the kernel; near it, n descriptors are opened and closed
 * again to see.  The margin covers fanout's own descriptors (the joblog,
 * the perl co-process, the standard ones) and --results files.
 */
static int
fds_free(int fd, int n, int running)
{
	static rlim_t soft;
	struct rlimit rl;
	int got[8], i, k, ok = 1;

	if (soft == 0) {
		soft = 1024;
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
			soft = rl.rlim_cur;
	}
	if (soft == RLIM_INFINITY ||
	    (rlim_t)(running + 1) * (rlim_t)(n + 4) + 256 < soft)
		return 1;
	for (k = 0; k < n && k < 8; k++)
		if ((got[k] = fcntl(fd, F_DUPFD_CLOEXEC, 0)) == -1) {
			ok = 0;
			break;
		}
	for (i = 0; i < k; i++)
		close(got[i]);
	return ok;
}

static void
job_failed_to_start(struct runner *s, struct jobout *jo, const char *what)
{
	warning("job %lu: %s: %s", jo->seq, what, strerror(errno));
	s->failed++;
	if (jo->out != -1) {
		/* Nothing was written; print the -v line if any. */
		output_done(jo);
	} else {
		free(jo->line);
		output_skip(jo->seq);
	}
}

/*
 * A piped job's stdin: a pipe fed by a feeder thread, or with --cat and
 * --fifo a file or FIFO named by {} (PARALLEL_TMP).  Returns the
 * descriptor for the child, or -1 with errno set.
 */
static int
piped_stdin(struct runner *s, struct slot *sl, const char *tmp, int *feedfd)
{
	const struct opts *o = s->o;
	struct chunk *c = s->chunk;
	int fds[2];

	s->chunk = NULL;
	*feedfd = -1;
	if (o->pipepart && o->tee)
		return open(o->teefile, O_RDONLY | O_CLOEXEC);
	if (pipe_fanout()) {
		/* One thread feeds every job of --tee, --shard, --bin. */
		if (pipe2(fds, O_CLOEXEC) == -1)
			return -1;
		*feedfd = fds[1];
		return fds[0];
	}
	if (o->cat || o->fifo) {
		sl->tmpfile = xstrdup(tmp);
		if (o->cat) {
			if (pipe_to_file(c, tmp) == -1)
				return -1;
		} else {
			if (mkfifo(tmp, 0600) == -1) {
				pipe_chunk_free(c);
				return -1;
			}
			pipe_feed_fifo(c, tmp);
		}
		return s->devnull;
	}
	if (pipe2(fds, O_CLOEXEC) == -1) {
		pipe_chunk_free(c);
		return -1;
	}
#ifdef F_SETPIPE_SZ
	/* Bigger pipes mean fewer wake-ups for feeder and child. */
	if (fastpath_on(FP_PIPESZ))
		(void)fcntl(fds[1], F_SETPIPE_SZ, 1024 * 1024);
#endif
	s->chunk = c;
	*feedfd = fds[1];
	return fds[0];
}

/*
 * --compress: the job writes into pipes, and a compress program for each
 * writes into the job's temp file.  *out and *err become the pipes.
 */
static void
compressors(struct runner *s, struct slot *sl, int *out, int *err)
{
	const char *shell = launch_shell();
	char *argv[4];
	int *fds[2], p[2], k;

	fds[0] = out;
	fds[1] = err;
	argv[0] = (char *)shell;
	argv[1] = "-c";
	argv[2] = s->compress;
	argv[3] = NULL;
	for (k = 0; k < 2; k++) {
		if (pipe2(p, O_CLOEXEC) == -1)
			fatal("cannot make a pipe for --compress: %s",
			    strerror(errno));
		sl->cpid[k] = launch_run(shell, argv, environ, p[0], *fds[k],
		    STDERR_FILENO);
		close(p[0]);
		if (sl->cpid[k] == -1)
			fatal("cannot start --compress-program: %s",
			    strerror(errno));
		*fds[k] = p[1];
	}
}

/* Wait for a job's compressors to finish writing. */
static void
compressors_done(struct slot *sl)
{
	int k, status;

	for (k = 0; k < 2; k++) {
		while (sl->cpid[k] > 0 && waitpid(sl->cpid[k], &status, 0) == -1 &&
		    errno == EINTR)
			;
		sl->cpid[k] = 0;
	}
}

/* --nice: run the job under nice(1) at that niceness. */
static const char *
nice_argv(struct runner *s)
{
	static char *nicepath;
	static char level[32];
	int n, cur;

	if (nicepath == NULL && (nicepath = launch_which("nice")) == NULL)
		fatal("--nice needs the nice program, which is not in PATH");
	/* The niceness itself, as GNU parallel's setpriority() sets it,
	 * whatever fanout's own is. */
	errno = 0;
	cur = getpriority(PRIO_PROCESS, 0);
	if (cur == -1 && errno != 0)
		cur = 0;
	snprintf(level, sizeof level, "%d", s->o->nice - cur);
	for (n = 0; s->argv[n] != NULL; n++)
		;
	if ((size_t)n + 5 > s->capargv) {
		s->capargv = (size_t)n + 5;
		s->argv = xreallocarray(s->argv, s->capargv, sizeof *s->argv);
	}
	/* nice finds the command word in PATH, as the shell would have. */
	memmove(s->argv + 3, s->argv, ((size_t)n + 1) * sizeof *s->argv);
	s->argv[0] = "nice";
	s->argv[1] = "-n";
	s->argv[2] = level;
	return nicepath;
}

/*
 * --color: GNU parallel's readable background/foreground pairs, ordered so
 * that neighbours differ, picked by the job's sequence number.
 */
static char *
job_color(unsigned long seq)
{
	static const short bg_black[][2] = { { 6, 7 }, { 9, 11 }, { 13, 15 },
	    { 40, 51 }, { 75, 87 }, { 113, 123 }, { 147, 159 }, { 171, 182 },
	    { 185, 231 }, { 249, 254 } };
	static const short bg_white[][2] = { { 1, 9 }, { 12, 13 }, { 16, 45 },
	    { 52, 81 }, { 88, 114 }, { 124, 149 }, { 160, 178 }, { 180, 180 },
	    { 182, 184 }, { 196, 214 }, { 232, 250 } };
	static short bg[512], fg[512];
	static int order[512], n;
	char buf[64];
	size_t r;
	int i, j, k, t;

	if (n == 0) {
		for (r = 0; r < sizeof bg_black / sizeof bg_black[0]; r++)
			for (k = bg_black[r][0]; k <= bg_black[r][1]; k++) {
				bg[n] = (short)k;
				fg[n++] = 0;
			}
		for (r = 0; r < sizeof bg_white / sizeof bg_white[0]; r++)
			for (k = bg_white[r][0]; k <= bg_white[r][1]; k++) {
				bg[n] = (short)k;
				fg[n++] = 231;
			}
		/* A stable sort by i % 23 up, then i % 7 down. */
		for (i = 0; i < n; i++)
			order[i] = i;
		for (i = 1; i < n; i++) {
			t = order[i];
			for (j = i; j > 0 && (order[j - 1] % 23 > t % 23 ||
			    (order[j - 1] % 23 == t % 23 &&
			    order[j - 1] % 7 < t % 7)); j--)
				order[j] = order[j - 1];
			order[j] = t;
		}
	}
	k = order[seq % (unsigned long)n];
	snprintf(buf, sizeof buf, "\033[48;5;%03d;38;5;%03dm\033[K", bg[k],
	    fg[k]);
	return xstrdup(buf);
}

/*
 * -v with --files or --results: as in GNU parallel, the command line is
 * the first line of the job's stdout file instead of going to stdout.
 * The job inherits the file's offset, so its output follows.
 */
static void
verbose_to_file(int fd, const char *line, size_t len)
{
	if (write_all(fd, line, len) == -1 || write_all(fd, "\n", 1) == -1)
		warning("cannot write -v's line to the output file: %s",
		    strerror(errno));
}

/* The --tag or --tagstring prefix with its TAB; 0 when there is none. */
static int
job_tagtext(struct runner *s, const struct jobvars *jv, struct sbuf *tag)
{
	int i;

	if (s->tagtmpl != NULL)
		tmpl_line(s->tagtmpl, jv, tag);
	else if (s->o->tag) {
		for (i = 0; i < jv->nargs; i++) {
			if (i > 0)
				sbuf_addc(tag, ' ');
			sbuf_add(tag, jv->args[i].s, jv->args[i].len);
		}
	} else
		return 0;
	sbuf_addc(tag, '\t');
	return 1;
}

/* --tag and --tagstring: the prefix of each of the job's lines. */
static void
job_tag(struct runner *s, struct slot *sl, const struct jobvars *jv)
{
	struct sbuf tag = SBUF_INIT;

	if (s->o->color)
		sl->jo.color = job_color(jv->seq);
	if (!job_tagtext(s, jv, &tag))
		return;
	sl->jo.taglen = tag.len;
	sl->jo.tag = sbuf_take(&tag);
}

/*
 * --shell-quote: the job prints its command line quoted once per
 * --shell-quote instead of running it.
 */
static void
shellquote_line(struct runner *s)
{
	struct sbuf a = SBUF_INIT, b = SBUF_INIT, t;
	int i;

	sbuf_add(&a, s->line.s, s->line.len);
	for (i = 0; i < s->o->shellquote; i++) {
		sbuf_reset(&b);
		shell_quote(&b, a.s, a.len);
		t = a;
		a = b;
		b = t;
	}
	sbuf_reset(&s->qline);
	sbuf_adds(&s->qline, "printf '%s\\n' ");
	shell_quote(&s->qline, a.s, a.len);
	sbuf_free(&a);
	sbuf_free(&b);
}

/* The next job's values from the packer; 0 at the end of the input. */
static int
next_args(struct runner *s)
{
	struct jobvars jv;
	int rc;

	if (s->pack == NULL)
		return 0;
	memset(&jv, 0, sizeof jv);
	jv.seq = s->seq + 1;
	jv.slot = 1;
	rc = pack_next(s->pack, &jv);
	if (rc == 1) {
		s->args = jv.args;
		s->width = jv.nargs;
		s->noarg = jv.noarg;
		s->recwidth = jv.width;
		return 1;
	}
	if (rc == -1)
		s->toolong = 1;
	return 0;
}

/*
 * skip() in a replacement string: the job does not run.  As in GNU
 * parallel it counts as failed and is logged with exit value -2.
 */
static void
job_skipped(struct runner *s, unsigned long seq)
{
	struct logentry e;

	memset(&e, 0, sizeof e);
	e.seq = seq;
	e.start = now_real();
	e.exitval = -2;
	e.cmd = s->line.s;
	joblog_write(&e);
	s->failed++;
}

/*
 * -S and --wd: the job's shell line becomes the one that runs it on its
 * host (remote.c), on the host picked for it in fill_slots().
 */
static void
remote_hook(struct runner *s, struct slot *sl, const struct jobvars *jv)
{
	sl->host = s->nexthost;
	s->nexthost = NULL;
	remote_free(sl->rjob);
	sl->rjob = NULL;
	/* Wrapping turns direct exec off: the line runs under the shell. */
	if (!s->wrap)
		return;
	sl->rjob = remote_job(jv, s->line.s);
	if (s->hgcur != NULL)
		remote_job_groups(sl->rjob, s->hgcur->agrp);
	s->argv[2] = (char *)remote_line(sl->rjob, sl->host);
}

/* The job's host has a free slot again; lost: ssh failed. */
static void
remote_done(struct slot *sl, int lost, int ok)
{
	if (sl->host != NULL)
		sshlogin_release(sl->host, lost, ok);
}

/* -S: a host with a free slot for the next job; 0 if none has. */
static int
pick_host(struct runner *s)
{
	double wake;

	if (!s->remote || s->nexthost != NULL)
		return 1;
	s->nexthost = sshlogin_pick(NULL, &wake);
	if (s->nexthost == NULL && sshlogin_reread()) {
		/* --slf: hosts may have come back. */
		slots_resize(s, sshlogin_slots());
		s->nexthost = sshlogin_pick(NULL, &wake);
	}
	if (s->nexthost == NULL) {
		/* Look again when a host comes back, or the file may have
		 * changed. */
		if (wake == 0 || wake > now_mono() + 1)
			wake = now_mono() + 1;
		s->next_check = wake;
	}
	return s->nexthost != NULL;
}

static void
remote_unpick(struct runner *s)
{
	if (s->nexthost != NULL)
		sshlogin_release(s->nexthost, 0, 0);
	s->nexthost = NULL;
}

static int	next_input(struct runner *);

static void
hg_free(struct hgjob *j)
{
	if (j == NULL)
		return;
	strv_free(j->groups, j->ngroups);
	free(j->args);
	free(j->agrp);
	sbuf_free(&j->buf);
	free(j);
}

/*
 * --hostgroups: the job just read, its values copied without what
 * follows their first '@' (the groups, '+'-separated).  The first value's
 * groups are the job's; a job whose first value names none may run on any
 * host.  Groups no host is in become hosts of that name, as in GNU
 * parallel, when none of the value's groups is known.
 */
static struct hgjob *
hg_take(struct runner *s, int hosts)
{
	struct hgjob *j = xcalloc(1, sizeof *j);
	const char *at;
	struct sbuf unknown = SBUF_INIT;
	size_t *off;
	int i, known = 0;

	j->nargs = s->width;
	j->noarg = s->noarg;
	j->recwidth = s->recwidth;
	j->args = xcalloc((size_t)j->nargs + 1, sizeof *j->args);
	off = xcalloc((size_t)j->nargs + 1, sizeof *off);
	for (i = 0; i < j->nargs; i++) {
		const struct arg *a = &s->args[i];
		size_t len = a->len;

		if ((at = memchr(a->s, '@', a->len)) != NULL &&
		    at + 1 < a->s + a->len) {
			len = (size_t)(at - a->s);
			if (i == 0) {
				strv_split(&j->groups, &j->ngroups, at + 1,
				    (size_t)(a->s + a->len - at - 1), '+');
				j->agrp = xmalloc((size_t)(a->s + a->len - at));
				memcpy(j->agrp, at + 1,
				    (size_t)(a->s + a->len - at - 1));
				j->agrp[a->s + a->len - at - 1] = '\0';
			}
		}
		off[i] = j->buf.len;
		sbuf_add(&j->buf, a->s, len);
		sbuf_addc(&j->buf, '\0');
		j->args[i].len = len;
	}
	sbuf_grow(&j->buf, 0);
	for (i = 0; i < j->nargs; i++)
		j->args[i].s = j->buf.s + off[i];
	free(off);
	if (!hosts)
		return j;	/* --dry-run: only the values */
	for (i = 0; i < j->ngroups; i++)
		known |= sshlogin_group_known(j->groups[i]);
	if (j->ngroups > 0 && !known) {
		for (i = 0; i < j->ngroups; i++) {
			if (i > 0)
				sbuf_addc(&unknown, ' ');
			sbuf_adds(&unknown, j->groups[i]);
		}
		warning("Adding hostgroups: %s", unknown.s);
		for (i = 0; i < j->ngroups; i++)
			if (!sshlogin_group_known(j->groups[i]))
				sshlogin_add(j->groups[i]);
		slots_resize(s, sshlogin_slots());
		sbuf_free(&unknown);
	}
	if (j->agrp == NULL)
		j->agrp = xstrdup(sshlogin_all_groups());
	return j;
}

/* Make j the job to start now, on host h. */
static void
hg_use(struct runner *s, struct hgjob *j, struct sshlogin *h)
{
	hg_free(s->hgcur);
	s->hgcur = j;
	s->nexthost = h;
	s->args = j->args;
	s->width = j->nargs;
	s->noarg = j->noarg;
	s->recwidth = j->recwidth;
}

/*
 * --hostgroups: the next job that a host of its groups has a free slot
 * for, and that host.  Jobs that wait go first, in the order they were
 * read; then the input is read while some host has room, and a job that
 * no free host of its groups can take waits.  0 when nothing can start.
 */
static int
hg_next(struct runner *s)
{
	struct sshlogin *h;
	struct hgjob *j;
	double wake;
	int i;

	hg_free(s->hgcur);
	s->hgcur = NULL;
	for (i = 0; i < s->nhgq; i++) {
		j = s->hgq[i];
		h = sshlogin_pick_in(j->groups, j->ngroups, NULL, &wake);
		if (h == NULL && wake > 0 &&
		    (s->next_check == 0 || wake < s->next_check))
			s->next_check = wake;	/* its host comes back then */
		if (h != NULL) {
			memmove(&s->hgq[i], &s->hgq[i + 1],
			    (size_t)(s->nhgq - i - 1) * sizeof *s->hgq);
			s->nhgq--;
			hg_use(s, j, h);
			return 1;
		}
	}
	for (;;) {
		/* Some host must have room, or reading on is no use. */
		if (!pick_host(s))
			return 0;
		remote_unpick(s);
		if (s->input_done || !next_input(s))
			return 0;
		if ((s->o->resume || s->o->resume_failed) &&
		    joblog_skip(s->seq + 1)) {
			s->seq++;
			continue;
		}
		j = hg_take(s, 1);
		j->seq = ++s->seq;
		j->outseq = ++s->outseq;
		if ((h = sshlogin_pick_in(j->groups, j->ngroups, NULL,
		    &wake)) != NULL) {
			hg_use(s, j, h);
			return 1;
		}
		s->hgq = xreallocarray(s->hgq, (size_t)s->nhgq + 1,
		    sizeof *s->hgq);
		s->hgq[s->nhgq++] = j;
	}
}

/*
 * A host for a job to run again, other than its last if another has room;
 * with --hostgroups, one in the job's groups.
 */
static struct sshlogin *
retry_pick(struct runner *s, const struct slot *sl, double *wake)
{
	struct sshlogin *h;
	const char *agrp;
	char **groups = NULL;
	int n = 0;

	if (!s->o->hostgroups || sl->rjob == NULL ||
	    (agrp = remote_job_agrp(sl->rjob)) == NULL)
		return sshlogin_pick(sl->host, wake);
	strv_split(&groups, &n, agrp, strlen(agrp), '+');
	h = sshlogin_pick_in(groups, n, sl->host, wake);
	strv_free(groups, n);
	return h;
}

/*
 * A failed remote job to be retried while no host has room for it (the
 * others busy, its own taken out): it waits among the requeued jobs.
 */
static int
remote_wait(struct runner *s, struct slot *sl)
{
	struct sshlogin *h;
	double wake;

	if (sl->rjob == NULL || !s->remote)
		return 0;
	if ((h = retry_pick(s, sl, &wake)) != NULL) {
		sshlogin_release(h, 0, 0);
		return 0;
	}
	s->requeued = xreallocarray(s->requeued, (size_t)s->nrequeued + 1,
	    sizeof *s->requeued);
	s->requeued[s->nrequeued++] = *sl;
	sl->rchunk = NULL;
	memset(&sl->rargv, 0, sizeof sl->rargv);
	memset(&sl->vals, 0, sizeof sl->vals);
	sl->cmd = sl->rpath = NULL;
	sl->rjob = NULL;
	sl->host = NULL;
	sl->state = SLOT_FREE;
	sl->pid = 0;
	s->running--;
	return 1;
}

/* A job run again goes to another host if one has room (--retries). */
static const char *
remote_rehost(struct runner *s, struct slot *sl)
{
	struct sshlogin *h = NULL;
	double wake;

	if (s->remote && (h = retry_pick(s, sl, &wake)) == NULL) {
		/* Every host is busy or out: try the same one again. */
		h = sl->host;
		if (h != NULL)
			h->running++;
	}
	if (s->remote)
		sl->host = h;
	return remote_line(sl->rjob, sl->host);
}

/*
 * A job that does not run (skip(), --filter, a "no" to -p) still shows
 * its command line with -t and -v, in its place in the output, as in GNU
 * parallel.
 */
static void
job_skipped_shown(struct runner *s)
{
	const struct opts *o = s->o;
	unsigned long oseq = s->hgcur != NULL ? s->hgcur->outseq : 0;
	struct jobout jo;

	if (o->trace && !o->interactive) {
		write_all(STDERR_FILENO, s->line.s, s->line.len);
		write_all(STDERR_FILENO, "\n", 1);
	}
	if (o->verbose && !s->piped &&
	    !(o->ungroup && (o->results == NULL || results_table()))) {
		memset(&jo, 0, sizeof jo);
		jo.seq = oseq != 0 ? oseq : ++s->outseq;
		jo.out = jo.err = -1;
		jo.line = xmemdup(s->line.s, s->line.len + 1);
		jo.linelen = s->line.len;
		output_done(&jo);
		return;
	}
	if (o->verbose && !s->piped) {
		output_write(s->line.s, s->line.len);
		output_write("\n", 1);
	}
	if (oseq != 0)
		output_skip(oseq);
}

/*
 * --filter: every filter, its replacement strings filled in unquoted,
 * run as Perl code; the job runs only if all are true.
 */
static int
filters_pass(struct runner *s, const struct jobvars *jv)
{
	struct sbuf v = SBUF_INIT;
	int i, ok = 1;

	for (i = 0; i < s->nfilters && ok; i++) {
		sbuf_reset(&v);
		tmpl_line(s->filters[i], jv, &v);
		sbuf_grow(&v, 0);
		perl_eval(s->filter_code, jv, &v);
		ok = v.len > 0 && strcmp(v.s, "1") == 0;
	}
	sbuf_free(&v);
	return ok;
}

/*
 * -p: show the command line on standard error and run the job only if
 * the answer read from the terminal starts with y or Y.
 */
static int
ask(struct runner *s)
{
	char buf[256];
	ssize_t n;
	size_t i;
	int fd;

	sbuf_adds(&s->line, " ?...");
	write_all(STDERR_FILENO, s->line.s, s->line.len);
	s->line.len -= 5;
	s->line.s[s->line.len] = '\0';
	if ((fd = open("/dev/tty", O_RDONLY | O_CLOEXEC)) == -1)
		fatal("--interactive: cannot open /dev/tty: %s",
		    strerror(errno));
	/* One line, read a byte at a time so nothing after it is lost. */
	i = 0;
	while (i < sizeof buf - 1 && (n = read(fd, buf + i, 1)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (buf[i++] == '\n')
			break;
	}
	buf[i] = '\0';
	close(fd);
	for (i = 0; buf[i] == ' ' || buf[i] == '\t'; i++)
		;
	return buf[i] == 'y' || buf[i] == 'Y';
}

/* Start the job for the current arguments (or chunk) in slot idx. */
static void
job_start(struct runner *s, int idx)
{
	const struct opts *o = s->o;
	struct slot *sl = &s->slots[idx];
	struct jobvars jv;
	struct arg tmparg;
	const char *path = NULL;
	char **envp;
	int n, outfd, errfd, infd = s->devnull, feedfd = -1, have_line = 1;
	int skipped = 0;
	long long sent = 0;
	pid_t pid;

	/* Out of descriptors while jobs run: start this one when one of
	 * them has ended, rather than fail it and lose its input. */
	s->pending = s->running > 0 && !fds_free(s->devnull,
	    (o->ungroup ? 2 : 4) + (s->piped ? 2 : 0), s->running);
	if (s->pending)
		return;
	memset(&jv, 0, sizeof jv);
	jv.args = s->args;
	jv.nargs = s->width;
	jv.noarg = s->noarg;
	jv.width = s->recwidth;
	jv.seq = s->hgcur != NULL ? s->hgcur->seq : ++s->seq;
	jv.slot = idx + 1;
	jv.total = s->total;
	jv.nslots = s->nslots;
	jv.skipped = &skipped;
	if (s->retry_cmd != NULL) {
		/* --retry-failed: the logged command is the job's value too,
		 * for --tag and --tagstring, as in GNU parallel. */
		jv.seq = s->seq = s->retry_seq;
		tmparg.s = s->retry_cmd;
		tmparg.len = strlen(s->retry_cmd);
		jv.args = &tmparg;
		jv.nargs = 1;
	}
	envp = launch_env(jv.seq, jv.slot);
	if (s->hgcur != NULL)
		envp = launch_env_groups(s->nexthost->groups,
		    s->nexthost->ngroups, s->hgcur->agrp);
	if (s->piped) {
		/* {} is the chunk's file with --cat/--fifo, the arguments
		 * with --tee, else nothing. */
		if (!o->tee) {
			jv.args = &tmparg;
			jv.nargs = 0;
		}
		if (o->cat || o->fifo) {
			/* As GNU parallel: the shell expands it, and -v and
			 * the joblog show it as written; -q has no shell. */
			jv.raw = !o->quote;
			tmparg.s = jv.raw ? "$PARALLEL_TMP" : launch_tmpname();
			tmparg.len = strlen(tmparg.s);
			jv.nargs = 1;
		}
		/* --cat and --fifo take the chunk now; Send counts it. */
		sent = s->chunk != NULL ? pipe_chunk_size(s->chunk) : 0;
		infd = piped_stdin(s, sl, launch_tmpname(), &feedfd);
		if (infd == -1) {
			/* The output ring counts outseq, not the job's seq. */
			memset(&sl->jo, 0, sizeof sl->jo);
			sl->jo.seq = ++s->outseq;
			sl->jo.out = sl->jo.err = -1;
			job_failed_to_start(s, &sl->jo, "cannot pass the input");
			slot_cleanup(sl);
			return;
		}
	}

	if (s->direct != NULL && s->retry_cmd == NULL && !o->shellquote &&
	    !jv.raw) {
		n = tmpl_argv(s->t, &jv, &s->argbuf);
		build_argv(s, n);
		if (!launch_needs_shell(s->word, n, s->argv))
			path = s->direct;
	}
	if (s->retry_cmd != NULL) {
		/* --retry-failed: the logged command, as it was run. */
		sbuf_reset(&s->line);
		sbuf_adds(&s->line, s->retry_cmd);
		s->retry_cmd = NULL;
	} else if (path == NULL || o->verbose || o->trace || s->needline ||
	    skipped || o->interactive)
		tmpl_line(s->t, &jv, &s->line);
	else
		have_line = 0;
	/* As in GNU parallel, -p asks even for a job skip() has skipped. */
	if (o->interactive && !ask(s))
		skipped = 1;
	if (!skipped && s->nfilters > 0 && !filters_pass(s, &jv))
		skipped = 1;
	if (skipped) {
		job_skipped_shown(s);
		job_skipped(s, jv.seq);
		if (s->piped)
			piped_abort(s, sl, infd, feedfd);
		return;
	}
	if (s->ntmpl > 0)
		write_templates(s, sl, &jv);
	if (path == NULL) {
		build_argv(s, 0);
		s->argv = xreallocarray(s->argv, 4, sizeof *s->argv);
		s->capargv = 4;
		path = launch_shell();
		s->argv[0] = (char *)path;
		s->argv[1] = "-c";
		s->argv[2] = s->line.s;
		s->argv[3] = NULL;
		if (o->shellquote && have_line) {
			shellquote_line(s);
			s->argv[2] = s->qline.s;
		}
	}
	remote_hook(s, sl, &jv);
	if (o->trace && !o->interactive) {
		sbuf_addc(&s->line, '\n');
		write_all(STDERR_FILENO, s->line.s, s->line.len);
		s->line.s[--s->line.len] = '\0';
	}

	memset(&sl->jo, 0, sizeof sl->jo);
	sl->jo.seq = s->hgcur != NULL ? s->hgcur->outseq : ++s->outseq;
	sl->jo.out = sl->jo.err = -1;
	sl->seq = jv.seq;
	sl->vfile = 0;
	job_tag(s, sl, &jv);
	progress_job(&jv);
	/* -u writes to the terminal, but never past --results files. */
	if (o->ungroup && (o->results == NULL || results_table())) {
		if (o->verbose) {
			output_write(s->line.s, s->line.len);
			output_write("\n", 1);
		}
		output_flush();
		outfd = STDOUT_FILENO;
		errfd = STDERR_FILENO;
	} else {
		if (o->verbose) {
			sl->jo.line = xmemdup(s->line.s, s->line.len + 1);
			sl->jo.linelen = s->line.len;
		}
		if (o->results != NULL && !results_table()) {
			/* With --files or --line-buffer GNU parallel
			 * prints the name of each job's stdout file. */
			if (!results_files(&jv, &sl->jo.out, &sl->jo.err,
			    o->files || o->line_buffer ? &sl->jo.outpath :
			    NULL)) {
				sl->jo.out = sl->jo.err = -1;
				job_failed_to_start(s, &sl->jo,
				    "cannot create its --results files");
				piped_abort(s, sl, infd, feedfd);
				remote_done(sl, 0, 0);
				sl->host = NULL;
				return;
			}
			sl->jo.ownfiles = sl->jo.quiet = 1;
		} else if (!output_open(&sl->jo)) {
			job_failed_to_start(s, &sl->jo,
			    "cannot create a temporary file in --tmpdir");
			piped_abort(s, sl, infd, feedfd);
			remote_done(sl, 0, 0);
			sl->host = NULL;
			return;
		}
		outfd = sl->jo.out;
		errfd = sl->jo.err;
		sl->vfile = sl->jo.line != NULL && !o->compress &&
		    (sl->jo.quiet || sl->jo.outpath != NULL || results_table());
		if (sl->vfile) {
			verbose_to_file(sl->jo.out, sl->jo.line,
			    sl->jo.linelen);
			free(sl->jo.line);
			sl->jo.line = NULL;
		}
		if (results_table()) {
			/* The values go in the table's V columns. */
			sl->jo.quiet = 1;
			sbuf_reset(&sl->vals);
			for (n = 0; n < jv.nargs; n++)
				sbuf_add(&sl->vals, jv.args[n].s,
				    jv.args[n].len + 1);
			sl->nvals = jv.nargs;
		}
	}
	free(sl->cmd);
	sl->cmd = have_line ? xmemdup(s->line.s, s->line.len + 1) : NULL;
	if (s->keepargv && (!s->piped || (s->chunk != NULL &&
	    o->retries > 1))) {
		/* Keep what was run, to run it again if it fails; a piped
		 * job fed from a pipe gets its block again, as in GNU. */
		free(sl->rpath);
		sl->rpath = xstrdup(path);
		sbuf_reset(&sl->rargv);
		for (n = 0; s->argv[n] != NULL; n++)
			sbuf_add(&sl->rargv, s->argv[n], strlen(s->argv[n]) + 1);
		sl->rargc = n;
		pipe_chunk_free(sl->rchunk);
		sl->rchunk = s->piped ? pipe_chunk_dup(s->chunk) : NULL;
	}
	sl->tries = 1;
	sl->requeue = sl->stopped = 0;
	sl->timedout = 0;
	sl->killstep = -1;
	sl->sent = sent;
	sl->start_real = now_real();
	sl->start = now_mono();
	s->next_start = sl->start + s->delay;
	s->started++;
	if (o->nice != 0)
		path = nice_argv(s);
	sl->cpid[0] = sl->cpid[1] = 0;
	sl->compressed = s->compress != NULL && !o->ungroup &&
	    !o->line_buffer && outfd != STDOUT_FILENO;
	if (sl->compressed)
		compressors(s, sl, &outfd, &errfd);
	pid = launch_run(path, s->argv, envp, infd, outfd, errfd);
	if (sl->cpid[0] > 0) {
		close(outfd);
		close(errfd);
	}
	if (pid == -1 && errno == E2BIG) {
		/* As GNU parallel: a line the kernel cannot take ends the
		 * run, rather than failing job after job. */
		size_t len = 0;

		for (n = 0; s->argv[n] != NULL; n++)
			len += strlen(s->argv[n]) + 1;
		kill_all(s);
		output_flush();
		fatal("command line too long (%zu bytes) at job %lu: "
		    "%.50s...", len, sl->seq, s->argv[n > 2 ? 2 : 0]);
	}
	if (pid == -1) {
		job_failed_to_start(s, &sl->jo, path);
		piped_abort(s, sl, infd, feedfd);
		remote_done(sl, 0, 0);
		sl->host = NULL;
		return;
	}
	if (infd != s->devnull)
		close(infd);
	if (feedfd != -1 && s->chunk == NULL)
		pipe_attach(feedfd);
	else if (feedfd != -1) {
		pipe_feed(s->chunk, feedfd);
		s->chunk = NULL;
	}
	sl->state = SLOT_RUNNING;
	sl->pid = pid;
	s->running++;
}

/* The next job's input: arguments, or a chunk when piped; 0 if none yet. */
static int
next_input(struct runner *s)
{
	int rc;

	if (s->o->semaphore) {
		/* The one job of a semaphore. */
		s->input_done = s->seq >= 1;
		return !s->input_done;
	}
	if (s->o->retry_failed && joblog_old()) {
		if (joblog_failed(&s->retry_seq, &s->retry_cmd))
			return 1;
		s->input_done = 1;
		return 0;
	}
	if (!s->piped || s->o->tee) {
		if (next_args(s))
			return 1;
		s->input_done = 1;
		return 0;
	}
	if (pipe_fanout() || (s->o->pipepart && s->o->tee)) {
		/* --shard, --bin: one job per slot, all at once. */
		if (s->seq < (unsigned long)s->nslots)
			return 1;
		s->input_done = 1;
		return 0;
	}
	rc = pipe_next(&s->chunk);
	if (rc == -1)
		s->input_done = 1;
	return rc == 1;
}

static int	job_respawn(struct runner *, struct slot *);

/* The youngest running job, or NULL. */
static struct slot *
youngest(struct runner *s)
{
	struct slot *y = NULL;
	int i;

	for (i = 0; i < s->capslots; i++)
		if (s->slots[i].state == SLOT_RUNNING &&
		    s->slots[i].killstep == -1 &&
		    (y == NULL || s->slots[i].start > y->start))
			y = &s->slots[i];
	return y;
}

/* --memfree: stop the youngest job and run it again later. */
static void
kill_youngest(struct runner *s)
{
	struct slot *y = youngest(s);

	if (y == NULL || s->running < 2)
		return;
	y->requeue = 1;
	y->killstep = 0;
	y->killat = now_mono();
}

/*
 * --limit's exit status 2: kill the youngest job with --term-seq.  As in
 * GNU parallel it fails, with Exitval -1 as a timed-out job, and runs
 * again only under --retries.
 */
static void
limit_kill(struct runner *s)
{
	struct slot *y = youngest(s);

	if (y == NULL)
		return;
	y->timedout = 1;
	y->killstep = 0;
	y->killat = now_mono();
}

/* --limit while jobs run: a job may have to go (at most every half
 * second, counting the checks before starts). */
static void
limit_watch(struct runner *s)
{
	double t = now_mono();

	if (t < s->next_limit)
		return;
	s->next_limit = t + 0.5;
	if (sysload_check(s->o->limit, launch_shell()) == 2)
		limit_kill(s);
}

/*
 * --load, --noswap, --memfree, --memsuspend, --limit: may another job
 * start now?  When not, look again a little later.
 */
static int
may_start(struct runner *s)
{
	const struct opts *o = s->o;
	long long avail;
	int i, rc;

	if (o->load <= 0 && !o->noswap && o->memfree <= 0 &&
	    o->memsuspend <= 0 && o->limit == NULL)
		return 1;
	if (now_mono() < s->next_check)
		return 0;
	s->next_check = now_mono() + 0.5;
	if (o->load > 0 && sysload_busy() >= o->load)
		return 0;
	if (o->noswap && sysload_swapping())
		return 0;
	avail = sysload_mem_available();
	if (o->memfree > 0 && avail >= 0 && avail < o->memfree)
		return 0;
	if (o->memsuspend > 0)
		for (i = 0; i < s->capslots; i++)
			if (s->slots[i].state == SLOT_RUNNING &&
			    s->slots[i].stopped)
				return 0;
	if (o->limit != NULL) {
		rc = sysload_check(o->limit, launch_shell());
		s->next_limit = now_mono() + 0.5;
		if (rc == 2)
			limit_kill(s);
		if (rc != 0)
			return 0;
	}
	s->next_check = 0;
	return 1;
}

/* Start a job killed for memory again, in slot idx. */
static int
start_requeued(struct runner *s, int idx)
{
	struct slot *sl = &s->slots[idx], *r;

	if (s->nrequeued == 0)
		return 0;
	r = &s->requeued[s->nrequeued - 1];
	if (r->rjob != NULL && s->remote) {
		/* Only when some host has room for it. */
		double wake;
		struct sshlogin *h = retry_pick(s, r, &wake);

		if (h == NULL) {
			s->next_check = wake;
			return 0;
		}
		sshlogin_release(h, 0, 0);
	}
	s->nrequeued--;
	/* What the slot's last job left behind. */
	free(sl->cmd);
	free(sl->rpath);
	sbuf_free(&sl->rargv);
	remote_free(sl->rjob);
	sl->seq = r->seq;
	sl->cmd = r->cmd;
	sl->rpath = r->rpath;
	sl->rargv = r->rargv;
	sl->rargc = r->rargc;
	pipe_chunk_free(sl->rchunk);
	sl->rchunk = r->rchunk;
	sl->jo = r->jo;
	sl->rjob = r->rjob;
	sl->host = r->host;
	sl->tries = r->tries;
	if (!job_respawn(s, sl)) {
		warning("job %lu: cannot start it again", sl->seq);
		s->failed++;
		output_done(&sl->jo);
		return 1;
	}
	sl->state = SLOT_RUNNING;
	s->running++;
	return 1;
}

static void
fill_slots(struct runner *s)
{
	int idx;

	while ((!s->input_done || s->nrequeued > 0 || s->pending ||
	    s->nhgq > 0) &&
	    !s->stop_new && s->running < s->nslots) {
		if ((idx = free_slot(s)) == -1 || idx >= s->nslots) {
			/* After -j shrank, wait for the high slots to end. */
			if (idx == -1 || s->running >= s->nslots)
				break;
		}
		if (s->delay > 0 && s->started > 0 &&
		    now_mono() < s->next_start)
			break;
		if (!may_start(s))
			break;
		if (!s->pending && start_requeued(s, idx))
			continue;
		if (s->o->hostgroups && s->remote && !s->piped) {
			if (!s->pending && !hg_next(s))
				break;
		} else if (!pick_host(s))
			break;
		else if (!s->pending && !next_input(s)) {
			remote_unpick(s);
			break;
		} else if (!s->pending && (s->o->resume || s->o->resume_failed) &&
		    (!s->piped || s->chunk != NULL) &&
		    joblog_skip(s->seq + 1)) {
			/* Done in an earlier run: keep its {#}, skip it;
			 * a piped job's block is dropped, as in GNU. */
			s->seq++;
			pipe_chunk_free(s->chunk);
			s->chunk = NULL;
			remote_unpick(s);
			continue;
		}
		job_start(s, idx);
		if (s->pending)
			break;
		/* --round-robin: one job per slot, then feeders share the
		 * rest of the input. */
		if (s->piped && s->o->round_robin && s->o->pipe &&
		    !pipe_fanout() && s->seq >= (unsigned long)s->nslots) {
			pipe_all_started();
			s->input_done = 1;
		}
	}
	if (s->piped && pipe_fanout() && !s->fed) {
		/* Every job must run at once: the input goes to all. */
		if (s->o->tee && !s->input_done && s->running >= s->nslots &&
		    next_args(s)) {
			kill_all(s);
			fatal("--tee needs a job slot for every argument; try "
			    "--jobs 0");
		}
		if (s->input_done || s->running >= s->nslots) {
			s->fed = 1;
			s->input_done = 1;
			pipe_attach_done();
		}
	}
}

/*
 * What is left to say of a finished job once its output has been printed:
 * its --joblog line and its row of a --results table.  GNU parallel says
 * both after the output, so with -k they come in the order of the jobs.
 */
struct jobend {
	struct logentry	 e;
	char		*cmd;
	char		*vals;		/* --results table: the values */
	size_t		 valslen;
	int		 nvals;
};

static void
job_keep_end(struct slot *sl, const struct logentry *e)
{
	struct jobend *je = xcalloc(1, sizeof *je);

	je->e = *e;
	je->cmd = sl->cmd != NULL ? xstrdup(sl->cmd) : NULL;
	je->e.cmd = je->cmd;
	if (results_table()) {
		je->vals = xmemdup(sl->vals.s != NULL ? sl->vals.s : "",
		    sl->vals.len + 1);
		je->valslen = sl->vals.len;
		je->nvals = sl->nvals;
	}
	sl->jo.ended = je;
}

/* output.c's printed hook: the job's log line and --results row. */
void
job_printed(struct jobout *jo)
{
	struct jobend *je = jo->ended;
	struct sbuf out = SBUF_INIT, err = SBUF_INIT;
	struct arg *a;
	const char *p;
	int i;

	joblog_write(&je->e);
	if (results_table()) {
		a = xcalloc((size_t)je->nvals + 1, sizeof *a);
		for (i = 0, p = je->vals; i < je->nvals; i++) {
			a[i].s = p;
			a[i].len = strlen(p);
			p += a[i].len + 1;
		}
		/* With --files the table holds the file's name. */
		if (jo->outpath != NULL)
			sbuf_adds(&out, jo->outpath);
		else
			output_slurp(jo, 0, &out);
		output_slurp(jo, 1, &err);
		results_row(&je->e, a, je->nvals, out.s, out.len, err.s,
		    err.len);
		sbuf_free(&out);
		sbuf_free(&err);
		free(a);
	}
	free(je->vals);
	free(je->cmd);
	free(je);
}

/* Run a failed job again (--retries), with fresh output files. */
static int
job_retry(struct runner *s, struct slot *sl)
{
	if (sl->rpath == NULL || sl->tries >= s->o->retries || s->stop_new)
		return 0;
	if (remote_wait(s, sl))
		return 1;
	return job_respawn(s, sl);
}

/* Run what the slot ran before again, with its output files emptied. */
static int
job_respawn(struct runner *s, struct slot *sl)
{
	char **argv;
	char *p;
	int i, infd = s->devnull, fds[2];
	pid_t pid;

	if (sl->rchunk != NULL) {
		/* A piped job: its block again, through a fresh pipe. */
		if (pipe2(fds, O_CLOEXEC) == -1)
			return 0;
		infd = fds[0];
	}
	argv = xcalloc((size_t)sl->rargc + 1, sizeof *argv);
	for (i = 0, p = sl->rargv.s; i < sl->rargc; i++, p += strlen(p) + 1)
		argv[i] = p;
	if (sl->rjob != NULL)
		argv[sl->rargc - 1] = (char *)remote_rehost(s, sl);
	else if (sl->host != NULL)
		sl->host->running++;	/* the same host again */
	output_discard(&sl->jo);
	if (sl->vfile && sl->cmd != NULL)
		verbose_to_file(sl->jo.out, sl->cmd, strlen(sl->cmd));
	pid = launch_run(sl->rpath, argv, launch_env(sl->seq,
	    (int)(sl - s->slots) + 1), infd,
	    sl->jo.out != -1 ? sl->jo.out : STDOUT_FILENO,
	    sl->jo.err != -1 ? sl->jo.err : STDERR_FILENO);
	free(argv);
	if (sl->rchunk != NULL) {
		close(fds[0]);
		if (pid == -1)
			close(fds[1]);
		else
			pipe_feed(pipe_chunk_dup(sl->rchunk), fds[1]);
	}
	if (pid == -1)
		return 0;
	sl->pid = pid;
	sl->tries++;
	sl->timedout = 0;
	sl->killstep = -1;
	sl->start_real = now_real();
	sl->start = now_mono();
	return 1;
}

/*
 * --halt: has the condition been met?  Follows GNU parallel's
 * should_we_halt(): the exit status is decided when it is.
 */
static enum haltwhen
should_halt(struct runner *s, struct slot *sl, int failed, int exitval,
    int sig)
{
	const struct opts *o = s->o;
	double limit, count;

	if (o->halt.when == HALT_NEVER)
		return HALT_NEVER;
	if (o->halt.kind == HALT_FAIL && failed)
		limit = (double)s->failed;
	else if (o->halt.kind == HALT_SUCCESS && !failed)
		limit = (double)s->succeeded;
	else if (o->halt.kind == HALT_DONE)
		limit = (double)s->completed;
	else
		return HALT_NEVER;
	if (o->halt.kind == HALT_FAIL || o->halt.kind == HALT_SUCCESS)
		dprintf(STDERR_FILENO, "%s: This job %s:\n%s\n", progname,
		    failed ? "failed" : "succeeded", sl->cmd ? sl->cmd : "");
	else
		dprintf(STDERR_FILENO, "%s: This job finished:\n%s\n",
		    progname, sl->cmd ? sl->cmd : "");
	count = o->halt.pct > 0 ? (double)(s->total ? s->total :
	    s->started) * o->halt.pct :
	    o->halt.count;
	if (limit < count)
		return HALT_NEVER;
	if (s->halt_status == -1) {
		if (o->halt.kind == HALT_SUCCESS)
			s->halt_status = 0;
		else if (o->halt.pct > 0)
			s->halt_status = (int)ceil_ll((double)s->failed /
			    (double)(s->total ? s->total : 1) * 100);
		else
			s->halt_status = s->failed > 101 ? 101 : (int)s->failed;
		/* fail=1 or done=1, or a percentage that comes to one job:
		 * the job's own status, as bash gives it. */
		if (o->halt.kind != HALT_SUCCESS && count == 1)
			s->halt_status = exitval != 0 ? exitval & 0xff :
			    sig != 0 ? sig + 128 : 0;
	}
	if (o->halt.when == HALT_SOON && !s->stop_new) {
		s->stop_new = 1;
		if (s->running > 0)
			dprintf(STDERR_FILENO, "%s: Starting no more jobs. "
			    "Waiting for %d jobs to finish.\n", progname,
			    s->running);
	}
	return o->halt.when;
}

static void
job_ended(struct runner *s, struct slot *sl, int status)
{
	struct logentry e;
	double v, end = now_mono();
	int failed, exitval, sig;

	if (sl->requeue && sl->rpath != NULL) {
		/* Killed for memory: it runs again when there is room. */
		remote_done(sl, 0, 0);
		sl->tries = 0;
		s->requeued = xreallocarray(s->requeued,
		    (size_t)s->nrequeued + 1, sizeof *s->requeued);
		s->requeued[s->nrequeued++] = *sl;
		sl->rchunk = NULL;
		memset(&sl->rargv, 0, sizeof sl->rargv);
		memset(&sl->vals, 0, sizeof sl->vals);
		sl->cmd = sl->rpath = NULL;
		sl->rjob = NULL;
		sl->host = NULL;
		sl->requeue = 0;
		sl->state = SLOT_FREE;
		sl->pid = 0;
		s->running--;
		return;
	}
	exitval = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
	sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	if (sl->timedout)
		exitval = -1;
	failed = exitval != 0 || sig != 0;
	if (s->o->delay_auto) {
		/* The next start moves with the delay, as in GNU parallel,
		 * which adds the delay to the last start when it looks. */
		v = s->delay * (exitval != 0 ? 1.3 : 0.9);
		s->next_start += v - s->delay;
		s->delay = v;
	}
	remote_done(sl, exitval == 255, !failed);
	if (failed && job_retry(s, sl))
		return;
	pipe_chunk_free(sl->rchunk);
	sl->rchunk = NULL;

	if (!output_room_left(&sl->jo)) {
		/* As GNU parallel: stop rather than print cut output. */
		kill_all(s);
		output_flush();
		fatal("output of job %lu%s%s%s is incomplete: no room left "
		    "in %s; free space there, or use --tmpdir elsewhere or "
		    "--compress", sl->seq, sl->cmd != NULL ? " (" : "",
		    sl->cmd != NULL ? sl->cmd : "", sl->cmd != NULL ? ")" : "",
		    s->o->tmpdir);
	}
	if (sl->compressed) {
		compressors_done(sl);
		if (output_decompress(&sl->jo, launch_shell(), s->decompress)
		    == -1)
			warning("job %lu: --decompress-program failed", sl->seq);
	}
	s->completed++;
	s->runtime_sum += end - sl->start;
	s->sem_status = exitval != 0 ? exitval & 0xff : sig != 0 ? sig + 128 : 0;
	if (failed)
		s->failed++;
	else
		s->succeeded++;
	if (s->o->timeout_pct > 0) {
		s->runtimes = xreallocarray(s->runtimes, s->nruntimes + 1,
		    sizeof *s->runtimes);
		s->runtimes[s->nruntimes++] = end - sl->start;
	}
	memset(&e, 0, sizeof e);
	e.seq = sl->seq;
	e.start = sl->start_real;
	e.runtime = end - sl->start;
	e.send = sl->sent;
	e.receive = output_size(&sl->jo);
	/* GNU counts the -v line as output the job received; with --files
	 * and --results it is in the file already. */
	if (s->o->verbose && sl->jo.out != -1 && sl->cmd != NULL &&
	    !sl->vfile)
		e.receive += (long long)strlen(sl->cmd) + 1;
	e.exitval = exitval;
	e.signal = sig;
	e.cmd = sl->cmd;
	e.host = sl->host != NULL ? sl->host->string : NULL;
	job_keep_end(sl, &e);
	remote_free(sl->rjob);
	sl->rjob = NULL;

	sl->state = SLOT_FREE;
	sl->pid = 0;
	s->running--;
	slot_cleanup(sl);
	if (failed && s->o->color_failed) {
		/* Red wins over the job's own --color. */
		free(sl->jo.color);
		sl->jo.color = xstrdup("\033[48;5;196;38;5;231m\033[K");
	}
	/* GNU parallel prints the job, then says why it halts. */
	output_done(&sl->jo);
	if (should_halt(s, sl, failed, exitval, sig) == HALT_NOW) {
		kill_all(s);
		output_flush();
		exit(s->halt_status);
	}
	if (s->jobsfile != NULL && (v = jobs_file(s->jobsfile)) >= 0) {
		slots_resize(s, jobs_slots(s->o, v));
	}
	if (s->remote && sshlogin_reread())
		slots_resize(s, sshlogin_slots());
}

static void
reap(struct runner *s, int report)
{
	pid_t pid;
	int status, i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < s->capslots; i++) {
			/* A compressor that ended before its job was seen. */
			if (s->slots[i].cpid[0] == pid)
				s->slots[i].cpid[0] = 0;
			if (s->slots[i].cpid[1] == pid)
				s->slots[i].cpid[1] = 0;
			if (s->slots[i].state == SLOT_RUNNING &&
			    s->slots[i].pid == pid) {
				if (report)
					job_ended(s, &s->slots[i], status);
				else {
					s->slots[i].state = SLOT_FREE;
					s->running--;
				}
				break;
			}
		}
	}
}

static int
group_alive(pid_t pgid)
{
	return launch_kill(pgid, 0) == 0 || errno == EPERM;
}

/* Kill every running job's process group with --term-seq (by default
 * TERM,200,TERM,100,TERM,50,KILL,25), waiting between steps. */
static void
kill_all(struct runner *s)
{
	const struct opts *o = s->o;
	struct timespec ts;
	pid_t *pgids;
	int npg = 0, i, k, waited, alive;

	pgids = xcalloc((size_t)s->capslots + 1, sizeof *pgids);
	for (i = 0; i < s->capslots; i++)
		if (s->slots[i].state == SLOT_RUNNING)
			pgids[npg++] = s->slots[i].pid;
	for (k = 0; k < o->ntermseq && npg > 0; k++) {
		for (i = 0; i < npg; i++)
			launch_kill(pgids[i], o->termseq[k].sig);
		for (waited = 0; waited < o->termseq[k].ms; waited++) {
			reap(s, 0);
			for (i = 0, alive = 0; i < npg; i++)
				if (group_alive(pgids[i]))
					pgids[alive++] = pgids[i];
			npg = alive;
			if (npg == 0)
				break;
			ts.tv_sec = 0;
			ts.tv_nsec = 1000000;
			nanosleep(&ts, NULL);
		}
	}
	reap(s, 0);
	free(pgids);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Memory running out: --memfree kills the youngest job below half its
 * size (it runs again later); --memsuspend stops the youngest jobs below
 * twice its size, all but one below it, and lets them go on above it.
 */
static void
memory_watch(struct runner *s)
{
	const struct opts *o = s->o;
	long long avail = sysload_mem_available();
	struct slot *sl, *pick = NULL;
	int i, active = 0;

	if (avail < 0)
		return;
	if (o->memfree > 0 && avail < o->memfree / 2)
		kill_youngest(s);
	if (o->memsuspend <= 0)
		return;
	for (i = 0; i < s->capslots; i++)
		if (s->slots[i].state == SLOT_RUNNING && !s->slots[i].stopped)
			active++;
	for (i = 0; i < s->capslots; i++) {
		sl = &s->slots[i];
		if (sl->state != SLOT_RUNNING)
			continue;
		if (avail < 2 * o->memsuspend && active > 1 && !sl->stopped &&
		    (pick == NULL || sl->start > pick->start))
			pick = sl;
		if (avail > 2 * o->memsuspend && sl->stopped &&
		    (pick == NULL || sl->start < pick->start))
			pick = sl;
	}
	if (pick == NULL)
		return;
	pick->stopped = !pick->stopped;
	launch_kill(pick->pid, pick->stopped ? SIGSTOP : SIGCONT);
}

/* --compress: the programs given, or the first of GNU parallel's list
 * that is installed, or cat. */
static void
compress_setup(struct runner *s)
{
	static const char *progs[] = { "pzstd", "lbzip2", "pbzip2", "zstd",
	    "pixz", "lz4", "pigz", "lzop", "plzip", "lzip", "gzip", "lrz",
	    "pxz", "bzip2", "lzma", "xz", "clzip", NULL };
	struct sbuf b = SBUF_INIT;
	char *path;
	int i;

	if (s->o->compress_program != NULL) {
		s->compress = xstrdup(s->o->compress_program);
		sbuf_adds(&b, s->o->compress_program);
		sbuf_adds(&b, " -dc");
	} else {
		for (i = 0; progs[i] != NULL; i++)
			if ((path = launch_which(progs[i])) != NULL) {
				free(path);
				break;
			}
		if (progs[i] == NULL) {
			s->compress = xstrdup("cat");
			sbuf_adds(&b, "cat");
		} else {
			sbuf_adds(&b, progs[i]);
			sbuf_adds(&b, " -c -1");
			s->compress = sbuf_take(&b);
			sbuf_adds(&b, progs[i]);
			sbuf_adds(&b, " -dc");
		}
	}
	s->decompress = s->o->decompress_program != NULL ?
	    xstrdup(s->o->decompress_program) : sbuf_take(&b);
	sbuf_free(&b);
}

/* --progress, --eta, --bar: what has happened so far. */
static void
show_progress(struct runner *s, int final)
{
	struct progress p;

	p.total = s->total;
	p.started = s->started;
	p.completed = s->completed;
	p.running = s->running;
	p.slots = s->nslots;
	p.runtime = s->runtime_sum;
	progress_draw(&p, final);
}

/* The --timeout now in force: fixed, or N% of the median run time. */
static double
current_timeout(struct runner *s)
{
	if (s->o->timeout > 0)
		return s->o->timeout;
	if (s->o->timeout_pct <= 0 || s->nruntimes < 3)
		return 0;
	qsort(s->runtimes, s->nruntimes, sizeof *s->runtimes, cmp_double);
	return s->runtimes[s->nruntimes / 2] * s->o->timeout_pct;
}

/*
 * Timers: --timeout starts a job's termination sequence, whose later steps
 * fall due one by one; --line-buffer prints what jobs have written.
 * Returns the time of the next thing due, or 0 if nothing is.
 */
static double
run_timers(struct runner *s)
{
	const struct opts *o = s->o;
	struct slot *sl;
	double now = now_mono(), next = 0, tmo = current_timeout(s), at;
	int i;

#define SOONER(t) do { if (next == 0 || (t) < next) next = (t); } while (0)
	for (i = 0; i < s->capslots; i++) {
		sl = &s->slots[i];
		if (sl->state != SLOT_RUNNING)
			continue;
		if (tmo > 0 && sl->killstep == -1) {
			at = sl->start + tmo;
			if (now >= at) {
				sl->timedout = 1;
				sl->killstep = 0;
				sl->killat = now;
				dprintf(STDERR_FILENO, "%s: Warning: This job was "
				    "killed because it timed out:\n%s: Warning: "
				    "%s\n", progname, progname,
				    sl->cmd ? sl->cmd : "");
			} else
				SOONER(at);
		}
		if (sl->killstep >= 0 && sl->killstep < o->ntermseq) {
			if (now >= sl->killat) {
				if (group_alive(sl->pid))
					launch_kill(sl->pid,
					    o->termseq[sl->killstep].sig);
				sl->killat = now +
				    o->termseq[sl->killstep].ms / 1000.0;
				sl->killstep++;
			}
			if (sl->killstep < o->ntermseq)
				SOONER(sl->killat);
		}
		if (o->line_buffer) {
			output_live(&sl->jo);
			SOONER(now + 0.02);
		}
	}
	if (s->delay > 0 && !s->input_done && !s->stop_new &&
	    s->next_start > now)
		SOONER(s->next_start);
	if (o->progress || o->eta || o->bar) {
		show_progress(s, 0);
		SOONER(now + 0.1);
	}
	if (s->next_check > 0)
		SOONER(s->next_check);
	if (o->limit != NULL && s->running > 0) {
		limit_watch(s);
		SOONER(s->next_limit);
	}
	if ((o->memfree > 0 || o->memsuspend > 0) && s->running > 0) {
		memory_watch(s);
		SOONER(now + 1);
	}
#undef SOONER
	return next;
}

static void
on_signal(struct runner *s, int sig)
{
	switch (sig) {
	case SIGCHLD:
		reap(s, 1);
		break;
	case SIGHUP:
		if (!s->stop_new)
			dprintf(STDERR_FILENO, "%s: SIGHUP received. No new jobs "
			    "will be started.\n%s: Waiting for these %d jobs to "
			    "finish. Send SIGTERM to stop now.\n", progname,
			    progname, s->running);
		s->stop_new = 1;
		break;
	case SIGINT:
	case SIGTERM:
		s->stop_new = 1;
		kill_all(s);
		output_flush();
		exit(255);
	}
}

/* The runner of this process, for job_pipe_closed(). */
static struct runner *current;

void
job_pipe_closed(void)
{
	int i;

	if (current == NULL)
		return;
	for (i = 0; i < current->capslots; i++)
		if (current->slots[i].state == SLOT_RUNNING)
			launch_kill(current->slots[i].pid, SIGPIPE);
}

/* GNU parallel's halt(): the exit status once every job is done. */
static int
exit_status(const struct runner *s)
{
	const struct opts *o = s->o;

	if (s->toolong)
		return EXIT_USAGE;
	if (o->halt.when != HALT_NEVER) {
		if (s->halt_status != -1)
			return s->halt_status;
		if (o->halt.pct > 0)
			return (int)ceil_ll((double)s->failed /
			    (double)(s->started ? s->started : 1) * 100);
	}
	return s->failed > 100 ? 101 : (int)s->failed;
}

/*
 * --dry-run with --results: as in GNU parallel, the command line stands in
 * for the job's output, so it goes to the results instead of stdout.
 */
static void
dry_result(struct runner *s, const struct jobvars *jv)
{
	struct logentry e;
	char *cmd;
	int out, err;

	if (results_table()) {
		memset(&e, 0, sizeof e);
		e.seq = jv->seq;
		e.start = now_real();
		e.receive = (long long)s->line.len;
		cmd = xmemdup(s->line.s, s->line.len);
		cmd[s->line.len - 1] = '\0';
		e.cmd = cmd;
		results_row(&e, jv->args, jv->nargs, s->line.s, s->line.len,
		    "", 0);
		free(cmd);
		return;
	}
	if (!results_files(jv, &out, &err, NULL)) {
		warning("job %lu: cannot create its --results files: %s",
		    jv->seq, strerror(errno));
		return;
	}
	if (write_all(out, s->line.s, s->line.len) == -1)
		warning("cannot write to --results: %s", strerror(errno));
	close(out);
	close(err);
}

/* A --dry-run line, tagged and coloured as GNU parallel prints it. */
static void
dry_print(struct runner *s, const struct jobvars *jv)
{
	struct sbuf tag = SBUF_INIT;
	char *color = NULL;
	int tagged;

	if (s->o->color)
		color = job_color(jv->seq);
	tagged = job_tagtext(s, jv, &tag);
	output_tagged(color, tagged ? tag.s : NULL, tag.len, s->line.s,
	    s->line.len - 1);
	sbuf_free(&tag);
	free(color);
}

/* --dry-run: print each command; slots cycle as if every job were instant. */
static int
dry_run(struct runner *s)
{
	struct jobvars jv;
	struct arg tmparg;
	siginfo_t si;
	int rc, skipped;

	memset(&jv, 0, sizeof jv);
	jv.total = s->total;
	jv.nslots = s->nslots;
	jv.skipped = &skipped;
	for (;;) {
		if (s->o->semaphore) {
			/* The semaphore's one command. */
			if (s->seq >= 1)
				break;
			jv.noarg = 1;
		} else if (!s->piped) {
			if (!next_args(s))
				break;
			if (s->o->hostgroups) {
				/* The values without their @groups. */
				hg_free(s->hgcur);
				s->hgcur = hg_take(s, 0);
				s->args = s->hgcur->args;
			}
			jv.args = s->args;
			jv.nargs = s->width;
			jv.noarg = s->noarg;
			jv.width = s->recwidth;
		} else {
			/* One command per chunk; wait for the reader. */
			if ((rc = pipe_next(&s->chunk)) == -1)
				break;
			if (rc == 0) {
				sigwaitinfo(&s->waitset, &si);
				continue;
			}
			pipe_chunk_free(s->chunk);
			s->chunk = NULL;
			if ((s->o->cat || s->o->fifo) && !s->o->quote) {
				/* {} is the file, left to the shell. */
				tmparg.s = "$PARALLEL_TMP";
				tmparg.len = strlen(tmparg.s);
				jv.args = &tmparg;
				jv.nargs = 1;
				jv.raw = 1;
			}
		}
		jv.seq = ++s->seq;
		jv.slot = (int)((jv.seq - 1) % (unsigned long)s->nslots) + 1;
		skipped = 0;
		tmpl_line(s->t, &jv, &s->line);
		if (!skipped && s->nfilters > 0 && !filters_pass(s, &jv))
			skipped = 1;
		/* A skipped job is still shown, and counts as failed. */
		s->failed += skipped;
		sbuf_addc(&s->line, '\n');
		if (s->o->results != NULL) {
			dry_result(s, &jv);
			continue;
		}
		dry_print(s, &jv);
		if (s->o->trace)
			write_all(STDERR_FILENO, s->line.s, s->line.len);
	}
	if (s->toolong)
		return EXIT_USAGE;
	return s->failed > 100 ? 101 : (int)s->failed;
}

int
job_run_all(const struct opts *o, struct input *in, struct tmpl *t)
{
	struct runner s;
	struct timespec ts;
	siginfo_t si;
	double wake, wait;
	char *tag;
	size_t taglen;
	int sig, rc;

	memset(&s, 0, sizeof s);
	current = &s;
	s.o = o;
	s.in = in;
	s.t = t;
	s.piped = o->pipe || o->pipepart;
	slots_resize(&s, initial_slots(&s));
	if (in != NULL)
		s.pack = pack_new(o, in, t, s.nslots);
	if (o->semaphore) {
		/* -j is the semaphore's size (1 unless given); this process
		 * runs the one job once it holds a place. */
		sem_acquire(o, o->jobs != NULL && !o->sem_wait ? s.nslots : 1);
		slots_resize(&s, 1);
		s.noarg = 1;
	}
	if (s.piped)
		pipe_setup(o, s.nslots);
	s.halt_status = -1;
	s.delay = o->delay;
	/* The command line of each job is kept when something reports it. */
	s.keepargv = o->retries > 1 || o->memfree > 0 || o->limit != NULL;
	s.needline = o->joblog != NULL || o->halt.when != HALT_NEVER ||
	    o->results != NULL ||
	    o->timeout > 0 || o->timeout_pct > 0;
	if (o->tagstring != NULL) {
		/* GNU parallel decodes \t, \n, \r and octal in it, too. */
		tag = opts_unescape(o->tagstring, &taglen);
		s.tagtmpl = tmpl_compile_raw(tag);
		free(tag);
		if (o->context_replace)
			tmpl_set_context(s.tagtmpl);
	}
	if ((o->halt.pct > 0 || o->shuf || tmpl_needs_total() ||
	    ((o->eta || o->bar) && o->total_jobs == 0)) && in != NULL)
		s.total = pack_jobs(s.pack, input_preload(in));
	if (o->total_jobs > 0)
		s.total = (unsigned long)o->total_jobs;
	progress_start(o, s.nslots);
	/* A job run again (--retries, --memfree) writes plainly. */
	if (o->compress && !o->dry_run && !s.keepargv)
		compress_setup(&s);
	if (o->shuf && in != NULL)
		input_shuffle(in);
	joblog_open(o);
	results_open(o);

	s.devnull = -1;
	for (sig = 0; sig < o->filters.n; sig++) {
		s.filters = xreallocarray(s.filters, (size_t)s.nfilters + 1,
		    sizeof *s.filters);
		s.filters[s.nfilters++] = tmpl_compile_raw(o->filters.v[sig]);
	}
	for (sig = 0; sig < o->templates.n; sig++) {
		const char *v = o->templates.v[sig], *eq = strchr(v, '=');
		char *path = xmemdup(v, (size_t)(eq - v) + 1);
		struct sbuf text = SBUF_INIT;

		path[eq - v] = '\0';
		if (read_whole_file(path, &text) == -1)
			fatal("--template: cannot read '%s': %s", path,
			    strerror(errno));
		s.tmplname = xreallocarray(s.tmplname, (size_t)s.ntmpl + 1,
		    sizeof *s.tmplname);
		s.tmplbody = xreallocarray(s.tmplbody, (size_t)s.ntmpl + 1,
		    sizeof *s.tmplbody);
		s.tmplname[s.ntmpl] = tmpl_compile_raw(eq + 1);
		s.tmplbody[s.ntmpl++] = tmpl_compile_raw(text.s);
		sbuf_free(&text);
		free(path);
	}
	/* perl starts now, so a missing perl stops fanout before any job. */
	if (s.nfilters > 0)
		s.filter_code = perl_compile("$_ = (eval $_) ? 1 : 0;",
		    "--filter");
	if (!o->dry_run && !o->semaphore && sshlogin_init(o)) {
		s.remote = 1;
		slots_resize(&s, sshlogin_slots());
	}
	if (!o->dry_run && !o->semaphore)
		s.wrap = remote_init(o);
	if (!o->dry_run) {
		if (!s.wrap && (s.word = tmpl_direct_word(t)) != NULL)
			s.direct = launch_resolve(s.word);
		if (s.direct == NULL)
			launch_shell();
		launch_env_init(o->tmpdir, o->slotvar);
		/* -o, --tty: the jobs' input is the terminal, when there is
		 * one, and they stay in fanout's process group, the one the
		 * terminal lets read. */
		if (o->interactive) {
			int tty = open("/dev/tty", O_RDONLY | O_CLOEXEC);

			if (tty == -1)
				fatal("--interactive needs a terminal to ask "
				    "on: /dev/tty: %s", strerror(errno));
			close(tty);
		}
		if (o->open_tty && !s.piped && !o->semaphore &&
		    (s.devnull = open("/dev/tty", O_RDONLY | O_CLOEXEC)) != -1)
			launch_own_group(0);
		else
			s.devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (s.devnull == -1)
			fatal("cannot open /dev/null: %s", strerror(errno));
	}

	sigemptyset(&s.waitset);
	sigaddset(&s.waitset, SIGCHLD);
	sigaddset(&s.waitset, SIGINT);
	sigaddset(&s.waitset, SIGTERM);
	sigaddset(&s.waitset, SIGHUP);
	sigaddset(&s.waitset, SIGUSR2);	/* the pipe reader: a chunk is ready */
	sigprocmask(SIG_BLOCK, &s.waitset, NULL);
	if (s.piped)
		pipe_start(pthread_self(), SIGUSR2);
	if (o->dry_run) {
		rc = dry_run(&s);
		if (o->semaphore)
			sem_release();
		goto done;
	}

	for (;;) {
		fill_slots(&s);
		if (s.running == 0 && ((s.input_done && s.nrequeued == 0 &&
		    s.nhgq == 0) || s.stop_new))
			break;
		wake = run_timers(&s);
		if (wake > 0) {
			wait = wake - now_mono();
			if (wait < 0)
				wait = 0;
			ts.tv_sec = (time_t)wait;
			ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
			sig = sigtimedwait(&s.waitset, &si, &ts);
		} else
			sig = sigwaitinfo(&s.waitset, &si);
		if (sig == -1)
			continue;
		on_signal(&s, sig);
	}
	if (o->progress || o->eta || o->bar)
		show_progress(&s, 1);
	rc = exit_status(&s);
	if (o->semaphore) {
		sem_release();
		rc = s.sem_status;
	}
	remote_end();
done:
	output_flush();
	if (s.devnull != -1)
		close(s.devnull);
	joblog_close();
	results_close();
	for (sig = 0; sig < s.capslots; sig++) {
		free(s.slots[sig].cmd);
		free(s.slots[sig].rpath);
		sbuf_free(&s.slots[sig].rargv);
		pipe_chunk_free(s.slots[sig].rchunk);
		sbuf_free(&s.slots[sig].vals);
		sbuf_free(&s.slots[sig].tmplfiles);
	}
	if (s.tagtmpl != NULL)
		tmpl_free(s.tagtmpl);
	free(s.runtimes);
	for (sig = 0; sig < s.nrequeued; sig++) {
		free(s.requeued[sig].cmd);
		free(s.requeued[sig].rpath);
		sbuf_free(&s.requeued[sig].rargv);
		pipe_chunk_free(s.requeued[sig].rchunk);
		sbuf_free(&s.requeued[sig].vals);
	}
	free(s.requeued);
	hg_free(s.hgcur);
	for (sig = 0; sig < s.nhgq; sig++)
		hg_free(s.hgq[sig]);
	free(s.hgq);
	for (sig = 0; sig < s.nfilters; sig++)
		tmpl_free(s.filters[sig]);
	free(s.filters);
	for (sig = 0; sig < s.ntmpl; sig++) {
		tmpl_free(s.tmplname[sig]);
		tmpl_free(s.tmplbody[sig]);
	}
	free(s.tmplname);
	free(s.tmplbody);
	free(s.compress);
	free(s.decompress);
	pack_free(s.pack);
	sbuf_free(&s.qline);
	free(s.slots);
	free(s.argv);
	free((char *)s.direct);
	sbuf_free(&s.line);
	sbuf_free(&s.argbuf);
	current = NULL;
	return rc;
}
