/*
 * onall.c: --onall and --nonall.
 *
 * Every job runs on every host.  As GNU parallel does, fanout runs itself
 * once per sshlogin (sorted by name), each run with -j1 and that one host,
 * from an outer run that starts the per-host runs -j at a time (all at
 * once by default) and groups each one's output.  The outer run's exit
 * status counts the hosts where something failed.  Standard input, when it
 * is a source, is saved to a file first so that every host gets it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "onall.h"
#include "opts.h"
#include "sbuf.h"
#include "sshlogin.h"
#include "tmpl.h"
#include "util.h"

static void
q(struct sbuf *b, const char *s)
{
	shell_quote(b, s, strlen(s));
}

int
onall_wanted(const struct opts *o)
{
	if (!o->onall && !o->nonall)
		return 0;
	/* One host given with --nonall: its one job runs here. */
	return !(o->nonall && o->slfs.n == 0 && o->sshlogins.n == 1 &&
	    strchr(o->sshlogins.v[0], ',') == NULL &&
	    strchr(o->sshlogins.v[0], '\n') == NULL);
}

/* Save standard input to a file every host's run can read. */
static char *
save_stdin(const struct opts *o)
{
	struct sbuf b = SBUF_INIT;
	char buf[65536];
	ssize_t n;
	int fd;

	sbuf_adds(&b, o->tmpdir);
	sbuf_adds(&b, "/fanout-onall-XXXXXX");
	if ((fd = mkstemp(b.s)) == -1)
		fatal("--onall: cannot make a file in %s: %s", o->tmpdir,
		    strerror(errno));
	while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0)
		if (write_all(fd, buf, (size_t)n) == -1)
			fatal("--onall: cannot write %s: %s", b.s,
			    strerror(errno));
	close(fd);
	return sbuf_take(&b);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The options each host's run gets from this one. */
static void
sub_options(const struct opts *o, struct sbuf *b)
{
	char num[64];
	int i;

	if (o->ssh != NULL) {
		sbuf_adds(b, " --ssh ");
		q(b, o->ssh);
	}
	if (o->ssh_delay > 0) {
		snprintf(num, sizeof num, " --delay %g", o->ssh_delay);
		sbuf_adds(b, num);
	}
	if (o->keep_order)
		sbuf_adds(b, " -k");
	if (o->ungroup)
		sbuf_adds(b, " -u");
	if (o->line_buffer)
		sbuf_adds(b, " --line-buffer");
	if (o->files)
		sbuf_adds(b, " --files");
	if (o->cleanup)
		sbuf_adds(b, " --cleanup");
	if (o->verbose)
		sbuf_adds(b, " -v");
	if (o->retries > 1) {
		snprintf(num, sizeof num, " --retries %d", o->retries);
		sbuf_adds(b, num);
	}
	if (o->timeout > 0) {
		snprintf(num, sizeof num, " --timeout %g", o->timeout);
		sbuf_adds(b, num);
	}
	if (o->workdir != NULL) {
		sbuf_adds(b, " --wd ");
		q(b, o->workdir);
	}
	for (i = 0; i < o->transfer_files.n; i++) {
		sbuf_adds(b, " --tf ");
		q(b, o->transfer_files.v[i]);
	}
	for (i = 0; i < o->returns.n; i++) {
		sbuf_adds(b, " --return ");
		q(b, o->returns.v[i]);
	}
	for (i = 0; i < o->basefiles.n; i++) {
		sbuf_adds(b, " --bf ");
		q(b, o->basefiles.v[i]);
	}
	for (i = 0; i < o->envs.n; i++) {
		sbuf_adds(b, " --env ");
		q(b, o->envs.v[i]);
	}
	if (o->nonall)
		sbuf_adds(b, " --nonall");
}

/* The input sources, as words of the per-host command line. */
static void
sub_sources(const struct opts *o, struct sbuf *b, char **saved)
{
	int i, k;

	if (o->nonall)
		return;
	if (o->nsrcs == 0) {
		*saved = save_stdin(o);
		sbuf_adds(b, " :::: ");
		q(b, *saved);
		return;
	}
	for (i = 0; i < o->nsrcs; i++) {
		if (o->srcs[i].kind == SRC_ARGS) {
			sbuf_adds(b, o->srcs[i].linked ? " :::+" : " :::");
			for (k = 0; k < o->srcs[i].nargs; k++) {
				sbuf_addc(b, ' ');
				q(b, o->srcs[i].args[k]);
			}
			continue;
		}
		sbuf_adds(b, o->srcs[i].linked ? " ::::+ " : " :::: ");
		if (strcmp(o->srcs[i].path, "-") == 0) {
			if (*saved == NULL)
				*saved = save_stdin(o);
			q(b, *saved);
		} else
			q(b, o->srcs[i].path);
	}
}

void
onall_run(const struct opts *o)
{
	struct sbuf common = SBUF_INIT, srcs = SBUF_INIT, line = SBUF_INIT;
	char self[4096], **names, **argv, *saved = NULL;
	ssize_t len;
	int i, n, argc = 0, status;
	pid_t pid;

	if ((len = readlink("/proc/self/exe", self, sizeof self - 1)) <= 0)
		fatal("--onall: cannot find fanout's own program: %s",
		    strerror(errno));
	self[len] = '\0';
	/* No sshlogin given: the local machine is the one host. */
	n = sshlogin_read(o, 0) ? sshlogin_count() : 0;
	names = xcalloc((size_t)n + 2, sizeof *names);
	for (i = 0; i < n; i++)
		names[i] = sshlogin_nth(i)->string;
	if (n == 0)
		names[n++] = ":";
	qsort(names, (size_t)n, sizeof *names, cmp_str);

	q(&common, self);
	sub_options(o, &common);
	sbuf_adds(&common, " -j1");
	sub_sources(o, &srcs, &saved);

	argv = xcalloc((size_t)n + 12, sizeof *argv);
	argv[argc++] = self;
	argv[argc++] = "--plain";
	argv[argc++] = "-j";
	argv[argc++] = (char *)(o->jobs != NULL ? o->jobs : "0");
	if (o->keep_order)
		argv[argc++] = "-k";
	if (o->ungroup)
		argv[argc++] = "-u";
	if (o->line_buffer)
		argv[argc++] = "--line-buffer";
	argv[argc++] = ":::";
	for (i = 0; i < n; i++) {
		sbuf_reset(&line);
		sbuf_add(&line, common.s, common.len);
		if (o->tag) {
			sbuf_adds(&line, " --tagstring ");
			q(&line, names[i]);
		}
		sbuf_adds(&line, " -S ");
		q(&line, names[i]);
		{
			int k;

			for (k = 0; k < o->ncmd; k++) {
				sbuf_addc(&line, ' ');
				q(&line, o->cmd[k]);
			}
		}
		if (srcs.len > 0)
			sbuf_add(&line, srcs.s, srcs.len);
		argv[argc++] = sbuf_take(&line);
	}
	argv[argc] = NULL;
	fflush(NULL);
	if ((pid = fork()) == -1)
		fatal("--onall: cannot fork: %s", strerror(errno));
	if (pid == 0) {
		execv(self, argv);
		_exit(255);
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (saved != NULL)
		unlink(saved);
	if (WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		raise(WTERMSIG(status));
	}
	status = WIFEXITED(status) ? WEXITSTATUS(status) : 255;
	exit(status > 254 ? 254 : status);
}
