/*
 * joblog.c: the job log.  One line per finished job, tab-separated, as GNU
 * parallel writes it: Seq Host Starttime JobRuntime Send Receive Exitval
 * Signal Command.  Each line is written whole with one write(2), so a log
 * cut short by a crash ends at a line border and --resume can trust it.
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
#include "sbuf.h"
#include "util.h"

static const char header[] =
    "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\t"
    "Command\n";

static int fd = -1;
static const struct opts *o;

/* The old log: state per seq (1 done ok, 2 done failed) and the failed. */
static unsigned char *state;
static size_t nstate;
static unsigned long *failseq;
static char **failcmd;
static size_t nfail, failnext;
static int old_log;		/* the old log could be read */

static void
remember(unsigned long seq, int ok, const char *cmd)
{
	size_t i;

	if (seq >= nstate) {
		size_t n = nstate ? nstate : 1024;

		while (n <= seq)
			n *= 2;
		state = xrealloc(state, n);
		memset(state + nstate, 0, n - nstate);
		nstate = n;
	}
	state[seq] = ok ? 1 : 2;
	/* A later line for the same job replaces the earlier one. */
	for (i = 0; i < nfail; i++)
		if (failseq[i] == seq) {
			free(failcmd[i]);
			memmove(&failseq[i], &failseq[i + 1],
			    (nfail - i - 1) * sizeof *failseq);
			memmove(&failcmd[i], &failcmd[i + 1],
			    (nfail - i - 1) * sizeof *failcmd);
			nfail--;
			break;
		}
	if (!ok) {
		failseq = xreallocarray(failseq, nfail + 1, sizeof *failseq);
		failcmd = xreallocarray(failcmd, nfail + 1, sizeof *failcmd);
		failseq[nfail] = seq;
		failcmd[nfail++] = xstrdup(cmd);
	}
}

static void
read_old(const char *path)
{
	struct sbuf all = SBUF_INIT;
	char buf[65536], *line, *next, *f[9];
	ssize_t n;
	int rfd, i;

	if ((rfd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return;
		fatal("cannot read --joblog '%s': %s", path, strerror(errno));
	}
	old_log = 1;
	while ((n = read(rfd, buf, sizeof buf)) > 0)
		sbuf_add(&all, buf, (size_t)n);
	close(rfd);
	sbuf_grow(&all, 0);
	for (line = all.s; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next == NULL)
			break;		/* a torn last line: not done */
		*next++ = '\0';
		for (i = 0, f[0] = line; i < 8 && f[i] != NULL; i++) {
			f[i + 1] = strchr(f[i], '\t');
			if (f[i + 1] != NULL)
				*f[i + 1]++ = '\0';
		}
		if (i < 8 || f[8] == NULL || strspn(f[0], "0123456789") !=
		    strlen(f[0]) || *f[0] == '\0')
			continue;	/* the header, or not a job line */
		remember(strtoul(f[0], NULL, 10),
		    atoi(f[6]) == 0 && atoi(f[7]) == 0, f[8]);
	}
	sbuf_free(&all);
}

void
joblog_open(const struct opts *opts)
{
	const char *path;
	int append, flags;
	struct stat st;

	o = opts;
	if (o->joblog == NULL || o->dry_run)
		return;
	path = o->joblog;
	/* +FILE appends, and then no header is written, as in GNU. */
	append = *path == '+';
	if (append)
		path++;
	if (o->resume || o->resume_failed || o->retry_failed) {
		read_old(path);
		/* An old log that has lines is added to, else started anew. */
		if (stat(path, &st) == 0 && st.st_size > 0)
			append = 1;
	}
	if (strcmp(path, "-") == 0 && !append)
		fd = STDOUT_FILENO;
	else {
		flags = O_WRONLY | O_CREAT | O_CLOEXEC |
		    (append ? O_APPEND : O_TRUNC);
		if ((fd = open(path, flags, 0644)) == -1)
			fatal("cannot write --joblog '%s': %s", path,
			    strerror(errno));
	}
	/* A log that takes no header would take no line either. */
	if (!append && write_all(fd, header, sizeof header - 1) == -1)
		fatal("cannot write --joblog '%s': %s", path, strerror(errno));
}

void
joblog_write(const struct logentry *e)
{
	struct sbuf b = SBUF_INIT;
	char num[160];

	if (fd == -1)
		return;
	snprintf(num, sizeof num, "%lu\t", e->seq);
	sbuf_adds(&b, num);
	sbuf_adds(&b, e->host != NULL ? e->host : ":");
	snprintf(num, sizeof num, "\t%.3f\t%10.3f\t%lld\t%lld\t%d\t%d\t",
	    e->start, e->runtime, e->send, e->receive, e->exitval,
	    e->signal);
	sbuf_adds(&b, num);
	sbuf_adds(&b, e->cmd != NULL ? e->cmd : "");
	sbuf_addc(&b, '\n');
	if (write_all(fd, b.s, b.len) == -1)
		warning("cannot write to --joblog: %s", strerror(errno));
	sbuf_free(&b);
}

int
joblog_skip(unsigned long seq)
{
	if (seq >= nstate || state[seq] == 0)
		return 0;
	if (o->resume)
		return 1;
	/* --resume-failed: only the jobs that succeeded are done. */
	return state[seq] == 1;
}

int
joblog_old(void)
{
	return old_log;
}

int
joblog_failed(unsigned long *seq, const char **cmd)
{
	if (failnext >= nfail)
		return 0;
	*seq = failseq[failnext];
	*cmd = failcmd[failnext++];
	return 1;
}

void
joblog_close(void)
{
	size_t i;

	if (fd > STDOUT_FILENO)
		close(fd);
	fd = -1;
	for (i = 0; i < nfail; i++)
		free(failcmd[i]);
	free(failcmd);
	free(failseq);
	free(state);
}
