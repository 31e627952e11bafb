/*
 * remote.c: the command line of a job on a remote sshlogin.
 *
 * As GNU parallel does, a remote job is one local shell line:
 *
 *   [rsync each --tf file to host:workdir;]
 *   ssh host -- 'exec env VAR=... sh -c '\''cd workdir; "$SHELL" -c CMD'\''';
 *   [_EXIT_status=$?; rsync each --return file back; ssh host -- rm the
 *    --cleanup files; exit $_EXIT_status;]
 *
 * The remote login shell reads one string, so everything after "--" is
 * quoted once for it and once more for the local shell.  The job sees the
 * same PARALLEL_* variables as a local one (PARALLEL_SSHLOGIN and
 * PARALLEL_SSHHOST name the host), the --env variables, and the --env
 * bash functions defined in front of the command, and runs under the
 * remote $SHELL (or $PARALLEL_SHELL when set here).  A watcher beside the
 * job kills it when the ssh here dies.  Files go with rsync
 * over the host's own ssh command, with $PARALLEL_RSYNC_OPTS (-rlDzR).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "input.h"
#include "launch.h"
#include "opts.h"
#include "remote.h"
#include "sbuf.h"
#include "sshlogin.h"
#include "tmpl.h"
#include "util.h"

extern char **environ;

struct rjob {
	char		*cmd;		/* the job's command line */
	char		**files;	/* --tf files, then --return files */
	int		 ntf, nret;
	char		*wd;		/* the work dir, "." when none */
	unsigned long	 seq;
	int		 slot;
	char		*tmpname;	/* PARALLEL_TMP's file name */
	char		*agrp;		/* --hostgroups: the value's groups */
	struct sbuf	 line;
};

static const struct opts *opt;
static struct tmpl **tf_tmpl, **ret_tmpl, *wd_tmpl;
static char *rsync_cmd;		/* rsync [--protocol 30] OPTS */
static char hostname_[256];

static void
q(struct sbuf *b, const char *s)
{
	shell_quote(b, s, strlen(s));
}

/* rsync 3.1 and later talk protocol 30 so older remote ones follow. */
static char *
rsync_base(void)
{
	const char *opts = opt->rsync_opts != NULL ? opt->rsync_opts :
	    getenv("PARALLEL_RSYNC_OPTS");
	struct sbuf b = SBUF_INIT;
	char buf[256];
	FILE *f;
	int major = 0, minor = 0;

	if ((f = popen("rsync --version 2>/dev/null", "r")) != NULL) {
		if (fgets(buf, sizeof buf, f) != NULL &&
		    sscanf(buf, "rsync version v%d.%d", &major, &minor) != 2 &&
		    sscanf(buf, "rsync version %d.%d", &major, &minor) != 2)
			major = 0;
		pclose(f);
	}
	if (major == 0)
		fatal("rsync is needed for --transferfile, --return and "
		    "--basefile, and it is not in PATH");
	sbuf_adds(&b, "rsync");
	if (major > 3 || (major == 3 && minor >= 1))
		sbuf_adds(&b, " --protocol 30");
	sbuf_addc(&b, ' ');
	sbuf_adds(&b, opts != NULL ? opts : "-rlDzR");
	return sbuf_take(&b);
}

static struct tmpl **
compile_list(const struct strlist *l)
{
	struct tmpl **t = xcalloc((size_t)l->n + 1, sizeof *t);
	int i;

	for (i = 0; i < l->n; i++)
		t[i] = tmpl_compile_raw(l->v[i]);
	return t;
}

/* The work dir of --wd . : the current dir, relative to $HOME if below. */
static char *
wd_here(void)
{
	char cwd[4096];
	const char *home = getenv("HOME");
	size_t n;

	if (getcwd(cwd, sizeof cwd) == NULL)
		fatal("--wd .: cannot tell the current directory: %s",
		    strerror(errno));
	if (home != NULL && (n = strlen(home)) > 1 &&
	    strncmp(cwd, home, n) == 0 && (cwd[n] == '/' || cwd[n] == '\0'))
		return xstrdup(cwd[n] == '\0' ? "." : cwd + n + 1);
	return xstrdup(cwd);
}

static char *
workdir(const struct jobvars *jv)
{
	struct sbuf b = SBUF_INIT;
	char *s, *p;
	size_t n;

	if (opt->workdir == NULL)
		return xstrdup(".");
	if (strcmp(opt->workdir, ".") == 0)
		return wd_here();
	if (strcmp(opt->workdir, "...") == 0) {
		sbuf_adds(&b, ".parallel/tmp/");
		sbuf_adds(&b, hostname_);
		{
			char num[64];

			snprintf(num, sizeof num, "-%ld-%lu", (long)getpid(),
			    jv->seq);
			sbuf_adds(&b, num);
		}
		return sbuf_take(&b);
	}
	tmpl_line(wd_tmpl, jv, &b);
	s = sbuf_take(&b);
	/* rsync gives /./ a meaning of its own: drop it, and a trailing
	 * slash, and a leading ./ */
	while ((p = strstr(s, "/./")) != NULL)
		memmove(p, p + 2, strlen(p + 2) + 1);
	n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
	while (strncmp(s, "./", 2) == 0 && s[2] != '\0')
		memmove(s, s + 2, strlen(s + 2) + 1);
	return s;
}

/* Run shell lines at once, wait for all; their output goes to stderr. */
static void
run_all(struct sbuf *lines)
{
	char *argv[] = { "/bin/sh", "-c", lines->s, NULL };
	int status;
	pid_t pid;

	if (lines->len == 0)
		return;
	sbuf_adds(lines, " wait");
	pid = launch_run("/bin/sh", argv, environ, STDIN_FILENO, STDERR_FILENO,
	    STDERR_FILENO);
	while (pid > 0 && waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
}

/* ssh HOST -- QUOTED: run a remote shell string on the host. */
static void
ssh_wrap(struct sbuf *b, const struct sshlogin *l, const char *remote)
{
	sbuf_adds(b, l->sshcmd);
	sbuf_addc(b, ' ');
	sbuf_adds(b, l->host);
	sbuf_adds(b, " -- ");
	q(b, remote);
}

static int
relative(const char *f)
{
	return f[0] != '/' || strstr(f, "/./") != NULL;
}

/* rsync one file to host:wd, making the dir first. */
static void
transfer_cmd(struct sbuf *b, const struct sshlogin *l, const char *f,
    const char *wd)
{
	struct sbuf r = SBUF_INIT;
	const char *dest = relative(f) ? wd : "/";

	if (access(f, R_OK) != 0) {
		warning("%s is not readable and will not be transferred.", f);
		return;
	}
	sbuf_adds(&r, "exec mkdir -p ");
	q(&r, dest);
	ssh_wrap(b, l, r.s);
	sbuf_adds(b, " && ");
	sbuf_adds(b, rsync_cmd);
	sbuf_adds(b, " -e ");
	q(b, l->sshcmd);
	sbuf_addc(b, ' ');
	q(b, f);
	sbuf_addc(b, ' ');
	sbuf_reset(&r);
	sbuf_adds(&r, l->host);
	sbuf_addc(&r, ':');
	q(&r, dest);
	sbuf_adds(b, r.s);
	sbuf_adds(b, ";");
	sbuf_free(&r);
}

/* dirname(1) of a path. */
static char *
dir_of(const char *f)
{
	const char *slash = strrchr(f, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == f)
		return xstrdup("/");
	{
		char *d = xmemdup(f, (size_t)(slash - f) + 1);

		d[slash - f] = '\0';
		return d;
	}
}

/* rsync one --return file back from host:wd, into the same relative
 * place here. */
static void
return_cmd(struct sbuf *b, const struct sshlogin *l, const char *file,
    const char *wd)
{
	struct sbuf r = SBUF_INIT, basedir = SBUF_INIT, path = SBUF_INIT;
	const char *f = file, *dot, *base;
	char *cd;

	while (strncmp(f, "./", 2) == 0)
		f += 2;
	if ((dot = strstr(f, "/./")) != NULL) {
		sbuf_add(&basedir, f, (size_t)(dot - f) + 1);
		f = dot + 3;
	}
	cd = dir_of(f);
	base = strrchr(f, '/') != NULL ? strrchr(f, '/') + 1 : f;
	sbuf_adds(b, "mkdir -p ");
	if (basedir.len > 0)
		q(b, basedir.s);
	q(b, cd);
	sbuf_adds(b, " && ");
	sbuf_adds(b, rsync_cmd);
	sbuf_adds(b, " -e ");
	q(b, l->sshcmd);
	sbuf_adds(&r, "--rsync-path=cd ");
	if (relative(file)) {
		sbuf_adds(&path, wd);
		sbuf_addc(&path, '/');
	}
	sbuf_adds(&path, cd);
	q(&r, path.s);
	sbuf_adds(&r, "; rsync");
	sbuf_addc(b, ' ');
	q(b, r.s);
	sbuf_adds(b, " -- ");
	sbuf_reset(&r);
	sbuf_adds(&r, l->host);
	sbuf_addc(&r, ':');
	sbuf_reset(&path);
	q(&path, base);
	q(&r, path.s);
	sbuf_adds(b, r.s);
	sbuf_addc(b, ' ');
	if (basedir.len > 0)
		q(b, basedir.s);
	q(b, cd);
	sbuf_adds(b, ";");
	free(cd);
	sbuf_free(&r);
	sbuf_free(&path);
	sbuf_free(&basedir);
}

/* Remove a file from host:wd, and the dirs it leaves empty. */
static void
cleanup_cmd(struct sbuf *b, const struct sshlogin *l, const char *file,
    const char *wd)
{
	struct sbuf f = SBUF_INIT, rm = SBUF_INIT, dirs = SBUF_INIT;
	struct sbuf r = SBUF_INIT;
	const char *dot;
	char *dir, *p;

	if ((dot = strstr(file, "/./")) != NULL) {
		sbuf_adds(&f, wd);
		sbuf_addc(&f, '/');
		sbuf_adds(&f, dot + 3);
	} else if (file[0] != '/') {
		sbuf_adds(&f, wd);
		sbuf_addc(&f, '/');
		sbuf_adds(&f, file);
	} else
		sbuf_adds(&f, file);
	/* The parent dirs, deepest first: rmdir leaves non-empty ones. */
	dir = dir_of(f.s);
	for (p = dir; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		sbuf_reset(&r);
		sbuf_add(&r, dir, (size_t)(p - dir));
		sbuf_addc(&r, '/');
		sbuf_reset(&rm);
		q(&rm, r.s);
		sbuf_addc(&rm, ' ');
		sbuf_add(&rm, dirs.s, dirs.len);
		sbuf_reset(&dirs);
		sbuf_add(&dirs, rm.s, rm.len);
		if (*p == '\0')
			break;
	}
	sbuf_reset(&rm);
	sbuf_reset(&r);
	sbuf_adds(&rm, "rm -f ");
	q(&rm, f.s);
	sbuf_adds(&rm, " 2>/dev/null;");
	if (dirs.len > 0) {
		sbuf_adds(&rm, "rmdir ");
		sbuf_adds(&rm, dirs.s);
		sbuf_adds(&rm, " 2>/dev/null;");
	}
	sbuf_adds(&r, "exec sh -c ");
	q(&r, rm.s);
	ssh_wrap(b, l, r.s);
	sbuf_adds(b, ";");
	free(dir);
	sbuf_free(&f);
	sbuf_free(&rm);
	sbuf_free(&dirs);
	sbuf_free(&r);
}

int
remote_init(const struct opts *o)
{
	struct sbuf b = SBUF_INIT;
	struct sshlogin *l;
	char *wd;
	int i, k;

	opt = o;
	if (gethostname(hostname_, sizeof hostname_ - 1) == -1)
		snprintf(hostname_, sizeof hostname_, "localhost");
	tf_tmpl = compile_list(&o->transfer_files);
	ret_tmpl = compile_list(&o->returns);
	if (o->workdir != NULL)
		wd_tmpl = tmpl_compile_raw(o->workdir);
	if (!sshlogin_any_remote()) {
		if (o->transfer_files.n > 0)
			warning("--transferfile ignored as there are no remote "
			    "--sshlogin.");
		else if (o->returns.n > 0)
			warning("--return ignored as there are no remote "
			    "--sshlogin.");
		else if (o->cleanup && o->templates.n == 0)
			warning("--cleanup ignored as there are no remote "
			    "--sshlogin.");
		else if (o->basefiles.n > 0)
			warning("--basefile ignored as there are no remote "
			    "--sshlogin.");
		/* --hostgroups may add remote hosts as it reads. */
		return o->workdir != NULL || o->hostgroups;
	}
	if (o->transfer_files.n > 0 || o->returns.n > 0 || o->basefiles.n > 0)
		rsync_cmd = rsync_base();
	if (o->basefiles.n > 0) {
		wd = workdir(&(struct jobvars){ .args = NULL });
		for (k = 0; k < sshlogin_count(); k++) {
			l = sshlogin_nth(k);
			if (l->local)
				continue;
			for (i = 0; i < o->basefiles.n; i++) {
				if (o->basefiles.v[i][0] != '/' &&
				    o->workdir != NULL &&
				    strcmp(o->workdir, "...") == 0)
					fatal("--wd ... does not work with the "
					    "relative --basefile %s",
					    o->basefiles.v[i]);
				sbuf_addc(&b, '(');
				transfer_cmd(&b, l, o->basefiles.v[i], wd);
				sbuf_adds(&b, ") &");
			}
		}
		free(wd);
		run_all(&b);
	}
	sbuf_free(&b);
	return 1;
}

void
remote_end(void)
{
	struct sbuf b = SBUF_INIT;
	struct sshlogin *l;
	char *wd;
	int i, k;

	if (opt == NULL || !opt->cleanup || opt->basefiles.n == 0 ||
	    !sshlogin_any_remote())
		return;
	wd = workdir(&(struct jobvars){ .args = NULL });
	for (k = 0; k < sshlogin_count(); k++) {
		l = sshlogin_nth(k);
		if (l->local)
			continue;
		for (i = 0; i < opt->basefiles.n; i++) {
			sbuf_addc(&b, '(');
			cleanup_cmd(&b, l, opt->basefiles.v[i], wd);
			sbuf_adds(&b, ") &");
		}
	}
	free(wd);
	run_all(&b);
	sbuf_free(&b);
}

struct rjob *
remote_job(const struct jobvars *jv, const char *cmd)
{
	struct rjob *j = xcalloc(1, sizeof *j);
	struct sbuf b = SBUF_INIT;
	const char *tmp = launch_tmpname(), *slash;
	int i, n = opt->transfer_files.n + opt->returns.n;

	j->cmd = xstrdup(cmd);
	j->seq = jv->seq;
	j->slot = jv->slot;
	j->wd = workdir(jv);
	slash = strrchr(tmp, '/');
	j->tmpname = xstrdup(slash != NULL ? slash + 1 : tmp);
	j->files = xcalloc((size_t)n + 1, sizeof *j->files);
	for (i = 0; i < opt->transfer_files.n; i++) {
		sbuf_reset(&b);
		tmpl_line(tf_tmpl[i], jv, &b);
		j->files[j->ntf++] = xstrdup(b.s != NULL ? b.s : "");
	}
	for (i = 0; i < opt->returns.n; i++) {
		sbuf_reset(&b);
		tmpl_line(ret_tmpl[i], jv, &b);
		j->files[j->ntf + j->nret++] = xstrdup(b.s != NULL ? b.s : "");
	}
	sbuf_free(&b);
	return j;
}

const char *
remote_job_agrp(const struct rjob *j)
{
	return j->agrp;
}

void
remote_job_groups(struct rjob *j, const char *agrp)
{
	free(j->agrp);
	j->agrp = xstrdup(agrp);
}

void
remote_free(struct rjob *j)
{
	int i;

	if (j == NULL)
		return;
	for (i = 0; i < j->ntf + j->nret; i++)
		free(j->files[i]);
	free(j->files);
	free(j->cmd);
	free(j->wd);
	free(j->tmpname);
	free(j->agrp);
	sbuf_free(&j->line);
	free(j);
}

/* env NAME=VALUE for one variable, quoted for the remote shell. */
static void
env_arg(struct sbuf *b, const char *name, const char *value)
{
	struct sbuf a = SBUF_INIT;

	sbuf_adds(&a, name);
	sbuf_addc(&a, '=');
	sbuf_adds(&a, value);
	sbuf_addc(b, ' ');
	shell_quote(b, a.s, a.len);
	sbuf_free(&a);
}

/* The --env names, split at commas; every variable with _. */
static void
env_vars(struct sbuf *envs, struct sbuf *funcs)
{
	struct sbuf name = SBUF_INIT, fn = SBUF_INIT;
	const char *p, *v;
	int i;

	for (i = 0; i < opt->envs.n; i++) {
		for (p = opt->envs.v[i]; ; p++) {
			if (*p != ',' && *p != '\0') {
				sbuf_addc(&name, *p);
				continue;
			}
			sbuf_grow(&name, 0);
			if (name.len > 0 && strcmp(name.s, "_") == 0)
				fatal("--env _ is not supported by fanout: name "
				    "the variables");
			if (name.len > 0 && (v = getenv(name.s)) != NULL) {
				if (strncmp(v, "() {", 4) == 0) {
					sbuf_adds(funcs, name.s);
					sbuf_adds(funcs, v);
					sbuf_adds(funcs, ";\nexport -f ");
					sbuf_adds(funcs, name.s);
					sbuf_adds(funcs, " 2> /dev/null;\n");
				} else
					env_arg(envs, name.s, v);
			}
			sbuf_reset(&fn);
			sbuf_adds(&fn, "BASH_FUNC_");
			sbuf_adds(&fn, name.s != NULL ? name.s : "");
			sbuf_adds(&fn, "%%");
			if (name.len > 0 && (v = getenv(fn.s)) != NULL) {
				sbuf_adds(funcs, name.s);
				sbuf_adds(funcs, v);
				sbuf_adds(funcs, ";\nexport -f ");
				sbuf_adds(funcs, name.s);
				sbuf_adds(funcs, " 2> /dev/null;\n");
			}
			sbuf_reset(&name);
			if (*p == '\0')
				break;
		}
	}
	sbuf_free(&name);
	sbuf_free(&fn);
}

/* --wd on the local machine: cd there first, as GNU parallel does. */
static const char *
local_line(struct rjob *j)
{
	struct sbuf *b = &j->line;
	const char *home = getenv("HOME");
	struct sbuf wd = SBUF_INIT;

	sbuf_reset(b);
	if (opt->workdir == NULL) {
		sbuf_adds(b, j->cmd);
		return b->s;
	}
	if (j->wd[0] != '/' && home != NULL &&
	    (strcmp(opt->workdir, ".") == 0 ||
	    strcmp(opt->workdir, "...") == 0)) {
		sbuf_adds(&wd, home);
		sbuf_addc(&wd, '/');
	}
	sbuf_adds(&wd, j->wd);
	sbuf_adds(b, "mkdir -p ");
	q(b, wd.s);
	sbuf_adds(b, " 2>/dev/null; cd ");
	q(b, wd.s);
	sbuf_adds(b, " || exit 255; ");
	sbuf_adds(b, j->cmd);
	if (strcmp(opt->workdir, "...") == 0) {
		sbuf_adds(b, ";_EXIT_status=$?; rm -rf ");
		q(b, wd.s);
		sbuf_adds(b, ";exit $_EXIT_status;");
	}
	sbuf_free(&wd);
	return b->s;
}

const char *
remote_line(struct rjob *j, const struct sshlogin *l)
{
	struct sbuf *b = &j->line;
	struct sbuf inner = SBUF_INIT, remote = SBUF_INIT, post = SBUF_INIT;
	struct sbuf funcs = SBUF_INIT;
	const char *psh = getenv("PARALLEL_SHELL");
	char num[64];
	int i;

	if (l == NULL || l->local)
		return local_line(j);
	sbuf_reset(b);
	/* The remote login shell runs: exec env VARS sh -c INNER */
	sbuf_adds(&remote, "exec env");
	snprintf(num, sizeof num, "%lu", j->seq);
	env_arg(&remote, "PARALLEL_SEQ", num);
	snprintf(num, sizeof num, "%ld", (long)getpid());
	env_arg(&remote, "PARALLEL_PID", num);
	env_arg(&remote, "PARALLEL_SSHLOGIN", l->string);
	env_arg(&remote, "PARALLEL_SSHHOST", l->host);
	if (j->agrp != NULL) {
		struct sbuf g = SBUF_INIT;

		for (i = 0; i < l->ngroups; i++) {
			if (i > 0)
				sbuf_addc(&g, '+');
			sbuf_adds(&g, l->groups[i]);
		}
		env_arg(&remote, "PARALLEL_HOSTGROUPS", g.s);
		env_arg(&remote, "PARALLEL_ARGHOSTGROUPS", j->agrp);
		sbuf_free(&g);
	}
	snprintf(num, sizeof num, "%d", j->slot);
	env_arg(&remote, "PARALLEL_JOBSLOT", num);
	snprintf(num, sizeof num, "%d", j->slot - 1);
	env_arg(&remote, opt->slotvar != NULL ? opt->slotvar :
	    "PARALLEL_JOBSLOT0", num);
	env_vars(&remote, &funcs);
	sbuf_adds(&remote, " sh -c ");

	sbuf_adds(&inner, "PARALLEL_TMP=\"${TMPDIR:-/tmp}\"/");
	sbuf_adds(&inner, j->tmpname);
	sbuf_adds(&inner, "; export PARALLEL_TMP; ");
	if (opt->workdir != NULL) {
		sbuf_adds(&inner, "mkdir -p -- ");
		q(&inner, j->wd);
		sbuf_adds(&inner, "; cd -- ");
		q(&inner, j->wd);
		sbuf_adds(&inner, " || { echo >&2 'fanout: Cannot chdir to '");
		q(&inner, j->wd);
		sbuf_adds(&inner, "; exit 255; }; ");
	}
	/*
	 * The job runs in the background, in a session of its own where
	 * setsid(1) exists, with the standard input it would have had.  A
	 * watcher kills it (TERM, then KILL) when sshd, its parent, goes
	 * away because the ssh here was killed: --timeout, --halt now,
	 * CTRL-C.  The shell waits for the job and exits with its status, so
	 * a job killed by a signal gives 128+N rather than making ssh fail.
	 */
	sbuf_adds(&inner, "exec 3<&0; _fo_p=$PPID; _fo_s=; command -v setsid "
	    ">/dev/null 2>&1 && _fo_s=setsid; $_fo_s ");
	if (psh != NULL && *psh != '\0')
		q(&inner, psh);
	else
		sbuf_adds(&inner, "\"${SHELL:-/bin/sh}\"");
	sbuf_adds(&inner, " -c ");
	sbuf_adds(&funcs, j->cmd);
	shell_quote(&inner, funcs.s, funcs.len);
	sbuf_adds(&inner, " <&3 3<&- & _fo_j=$!; exec 3<&-; "
	    "( while kill -0 $_fo_p 2>/dev/null; do sleep 1; done; "
	    "kill -TERM -$_fo_j || kill -TERM $_fo_j; sleep 1; "
	    "kill -KILL -$_fo_j || kill -KILL $_fo_j ) >/dev/null 2>&1 & "
	    "_fo_m=$!; wait $_fo_j; _fo_x=$?; kill $_fo_m 2>/dev/null; "
	    "exit $_fo_x");
	shell_quote(&remote, inner.s, inner.len);

	for (i = 0; i < j->ntf; i++)
		transfer_cmd(b, l, j->files[i], j->wd);
	ssh_wrap(b, l, remote.s);
	sbuf_adds(b, ";");
	for (i = 0; i < j->nret; i++)
		return_cmd(&post, l, j->files[j->ntf + i], j->wd);
	if (opt->cleanup)
		for (i = 0; i < j->ntf + j->nret; i++)
			cleanup_cmd(&post, l, j->files[i], j->wd);
	if (opt->workdir != NULL && strcmp(opt->workdir, "...") == 0) {
		sbuf_reset(&inner);
		sbuf_adds(&inner, "exec rm -rf ");
		q(&inner, j->wd);
		ssh_wrap(&post, l, inner.s);
		sbuf_adds(&post, ";");
	}
	if (post.len > 0) {
		sbuf_adds(b, "_EXIT_status=$?; ");
		sbuf_add(b, post.s, post.len);
		sbuf_adds(b, "exit $_EXIT_status;");
	}
	sbuf_free(&inner);
	sbuf_free(&remote);
	sbuf_free(&post);
	sbuf_free(&funcs);
	return b->s;
}
