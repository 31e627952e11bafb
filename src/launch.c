/*
 * launch.c: starts jobs.
 *
 * Jobs run as SHELL -c LINE, under the shell GNU parallel would choose, so
 * that every command line means what it means there.  When the line is one
 * simple command whose word is a program in PATH (not a builtin, keyword or
 * exported function), the shell would only exec that program: fanout execs
 * it itself, which saves the shell's start-up on every job.
 *
 * Jobs are started with posix_spawn (vfork semantics), each in a process
 * group of its own so it can be killed whole, with an empty signal mask and
 * default signal actions.  Jobs that read the terminal (-o, --tty) stay
 * in fanout's group instead, as only the foreground group may read it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sbuf.h"
#include "launch.h"
#include "util.h"

extern char **environ;

static const char *shells[] = {
	"ash", "bash", "bsd-csh", "csh", "dash", "fdsh", "fish", "fizsh",
	"ksh", "ksh93", "lksh", "mksh", "pdksh", "posh", "rbash", "rc", "rush",
	"rzsh", "sash", "sh", "static-sh", "tcsh", "yash", "zsh", NULL
};

/* Shells whose simple commands behave as a plain exec would. */
static const char *posix_shells[] = {
	"ash", "bash", "dash", "ksh", "ksh93", "lksh", "mksh", "pdksh", "posh",
	"sh", "yash", "zsh", NULL
};

/* Builtins and keywords of the Bourne family: never exec'd directly. */
static const char *builtins[] = {
	".", ":", "[", "[[", "]]", "!", "{", "}", "alias", "bg", "bind",
	"break", "builtin", "caller", "case", "cd", "command", "compgen",
	"complete", "compopt", "continue", "coproc", "declare", "dirs",
	"disown", "do", "done", "elif", "else", "enable", "esac", "eval",
	"exec", "exit", "export", "fc", "fg", "fi", "for", "function",
	"getopts", "hash", "help", "history", "if", "in", "jobs", "kill",
	"let", "local", "logout", "mapfile", "popd", "print", "printf",
	"pushd", "pwd", "read", "readarray", "readonly", "return", "select",
	"set", "setopt", "shift", "shopt", "source", "suspend", "test", "then",
	"time", "times", "trap", "type", "typeset", "ulimit", "umask",
	"unalias", "unset", "until", "wait", "whence", "while", NULL
};

static int
in_list(const char **list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* Search PATH as the shell would; a malloc'd path or NULL. */
char *
launch_which(const char *prog)
{
	const char *path = getenv("PATH"), *p, *colon;
	struct sbuf b = SBUF_INIT;
	struct stat st;

	if (strchr(prog, '/') != NULL) {
		if (stat(prog, &st) == 0 && !S_ISDIR(st.st_mode) &&
		    access(prog, X_OK) == 0)
			return xstrdup(prog);
		return NULL;
	}
	if (path == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = colon + 1) {
		colon = strchr(p, ':');
		sbuf_reset(&b);
		if (colon == p || *p == '\0')
			sbuf_adds(&b, ".");
		else
			sbuf_add(&b, p, colon ? (size_t)(colon - p) : strlen(p));
		sbuf_addc(&b, '/');
		sbuf_adds(&b, prog);
		if (stat(b.s, &st) == 0 && !S_ISDIR(st.st_mode) &&
		    access(b.s, X_OK) == 0)
			return sbuf_take(&b);
		if (colon == NULL)
			break;
	}
	sbuf_free(&b);
	return NULL;
}

/* Read /proc/PID/FILE into b; 0 on failure. */
static int
read_proc(long pid, const char *file, struct sbuf *b)
{
	char path[64], buf[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%ld/%s", pid, file);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	sbuf_reset(b);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		sbuf_add(b, buf, (size_t)n);
	close(fd);
	sbuf_grow(b, 0);
	return 1;
}

/*
 * The shell name in a process's argv[0] as GNU parallel recognises it:
 * "bash", "-bash", "/bin/bash", "busybox sh", "[sh]".
 */
static const char *
shell_name(const char *argv0, int *dash)
{
	const char *p = argv0, *q, *slash = NULL;
	static char name[64];
	size_t n;

	*dash = 0;
	if (strncmp(p, "busybox ", 8) == 0)
		p += 8;
	else if (*p == '[')
		p++;
	else {
		/* A path in front: up to the last slash before a blank. */
		for (q = p; *q != '\0' && *q != ' '; q++)
			if (*q == '/')
				slash = q;
		if (slash != NULL)
			p = slash + 1;
	}
	if (*p == '-') {
		*dash = 1;
		p++;
	}
	n = strcspn(p, " ]");
	if (n == 0 || n >= sizeof name)
		return NULL;
	memcpy(name, p, n);
	name[n] = '\0';
	if (p[n] == ']')
		n++;
	/* After the name: the end, or a blank not followed by '('. */
	if (p[n] == ' ' && p[n + 1] == '(')
		return NULL;
	return in_list(shells, name) ? name : NULL;
}

/* Walk up the process tree to the nearest shell, as GNU parallel does. */
static char *
parent_shell(void)
{
	struct sbuf b = SBUF_INIT;
	const char *name, *rp;
	char exe[4096], link[64];
	long pid = (long)getpid();
	ssize_t n;
	int dash, depth;
	char *found = NULL;

	for (depth = 0; pid > 0 && depth < 256 && found == NULL; depth++) {
		if (read_proc(pid, "cmdline", &b) && b.len > 0 &&
		    (name = shell_name(b.s, &dash)) != NULL) {
			if (strcmp(name, "sh") == 0 && dash) {
				snprintf(link, sizeof link, "/proc/%ld/exe",
				    pid);
				n = readlink(link, exe, sizeof exe - 1);
				if (n > 0) {
					exe[n] = '\0';
					rp = strrchr(exe, '/');
					if (rp != NULL &&
					    in_list(shells, rp + 1)) {
						found = xstrdup(exe);
						break;
					}
				}
			}
			found = launch_which(name);
			break;
		}
		if (!read_proc(pid, "stat", &b))
			break;
		/* The parent pid is the second field after "(comm)". */
		rp = strrchr(b.s, ')');
		if (rp == NULL || sscanf(rp + 1, " %*c %ld", &pid) != 1)
			break;
	}
	sbuf_free(&b);
	return found;
}

const char *
launch_shell(void)
{
	static char *shell;
	const char *env;

	if (shell != NULL)
		return shell;
	if ((env = getenv("PARALLEL_SHELL")) != NULL && *env != '\0') {
		if ((shell = launch_which(env)) == NULL)
			fatal("shell '%s' not found ($PARALLEL_SHELL)", env);
		free(shell);
		shell = xstrdup(env);
		return shell;
	}
	if ((shell = parent_shell()) != NULL)
		return shell;
	if ((env = getenv("SHELL")) != NULL && *env != '\0' &&
	    (shell = launch_which(env)) != NULL) {
		free(shell);
		shell = xstrdup(env);
		return shell;
	}
	shell = xstrdup("/bin/sh");
	return shell;
}

static const char *
shell_base(void)
{
	const char *sh = launch_shell(), *slash = strrchr(sh, '/');

	return slash != NULL ? slash + 1 : sh;
}

char *
launch_resolve(const char *word)
{
	char fn[256];

	if (!in_list(posix_shells, shell_base()))
		return NULL;
	if (in_list(builtins, word))
		return NULL;
	/* echo is a builtin; bash's matches /bin/echo but for --help. */
	if (strcmp(word, "echo") == 0 && strcmp(shell_base(), "bash") != 0)
		return NULL;
	snprintf(fn, sizeof fn, "BASH_FUNC_%s%%%%", word);
	if (getenv(fn) != NULL)
		return NULL;
	return launch_which(word);
}

int
launch_needs_shell(const char *word, int argc, char *const *argv)
{
	/* /bin/echo answers a lone --help or --version; the builtin doesn't. */
	return argc == 2 && strcmp(word, "echo") == 0 &&
	    (strcmp(argv[1], "--help") == 0 ||
	     strcmp(argv[1], "--version") == 0);
}

/* The job environment: environ plus our variables at the end. */
enum { ENV_SEQ, ENV_SLOT, ENV_PID, ENV_TMP, ENV_LOGIN, ENV_HOST, ENV_SLOTVAR,
    ENV_N };
static char **jobenv;
static size_t jobenv_base;
static char envbuf[ENV_N][256];
static const char *tmpdir_for_env = "/tmp";
/* --process-slot-var: the slot counted from 0 (GNU's default name). */
static char slotvar[128] = "PARALLEL_JOBSLOT0";

static int
our_var(const char *e)
{
	static const char *names[] = { "PARALLEL_SEQ=", "PARALLEL_JOBSLOT=",
	    "PARALLEL_PID=", "PARALLEL_TMP=", "PARALLEL_SSHLOGIN=",
	    "PARALLEL_SSHHOST=", NULL };
	int i;

	size_t n = strlen(slotvar);

	for (i = 0; names[i] != NULL; i++)
		if (strncmp(e, names[i], strlen(names[i])) == 0)
			return 1;
	return strncmp(e, slotvar, n) == 0 && e[n] == '=';
}

void
launch_env_init(const char *tmpdir, const char *slotname)
{
	size_t n = 0, i;
	const char *t;

	if (slotname != NULL && strlen(slotname) < sizeof slotvar - 32)
		snprintf(slotvar, sizeof slotvar, "%s", slotname);
	for (i = 0; environ[i] != NULL; i++)
		n++;
	jobenv = xcalloc(n + ENV_N + 3, sizeof *jobenv);
	for (i = 0; environ[i] != NULL; i++)
		if (!our_var(environ[i]))
			jobenv[jobenv_base++] = environ[i];
	for (i = 0; i < ENV_N; i++)
		jobenv[jobenv_base + i] = envbuf[i];
	jobenv[jobenv_base + ENV_N] = NULL;
	if ((t = tmpdir) != NULL && *t != '\0' && strlen(t) < 200)
		tmpdir_for_env = t;
	snprintf(envbuf[ENV_PID], sizeof envbuf[ENV_PID], "PARALLEL_PID=%ld",
	    (long)getpid());
	snprintf(envbuf[ENV_LOGIN], sizeof envbuf[ENV_LOGIN],
	    "PARALLEL_SSHLOGIN=:");
	snprintf(envbuf[ENV_HOST], sizeof envbuf[ENV_HOST],
	    "PARALLEL_SSHHOST=:");
}

char **
launch_env(unsigned long seq, int slot)
{
	static const char letters[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static unsigned long state;
	char name[6];
	int i;

	snprintf(envbuf[ENV_SEQ], sizeof envbuf[ENV_SEQ], "PARALLEL_SEQ=%lu",
	    seq);
	snprintf(envbuf[ENV_SLOT], sizeof envbuf[ENV_SLOT],
	    "PARALLEL_JOBSLOT=%d", slot);
	snprintf(envbuf[ENV_SLOTVAR], sizeof envbuf[ENV_SLOTVAR], "%s=%d",
	    slotvar, slot - 1);
	/* A fresh name for the job's own temporary file, not created. */
	if (state == 0)
		state = (unsigned long)getpid() * 2654435761UL + 1;
	for (i = 0; i < 5; i++) {
		state = state * 6364136223846793005UL + 1442695040888963407UL;
		name[i] = letters[(state >> 33) % (sizeof letters - 1)];
	}
	name[5] = '\0';
	snprintf(envbuf[ENV_TMP], sizeof envbuf[ENV_TMP],
	    "PARALLEL_TMP=%s/par%s", tmpdir_for_env, name);
	return jobenv;
}

char **
launch_env_groups(char *const *hgroups, int n, const char *agrp)
{
	static struct sbuf h, a;
	static int cleaned;
	size_t i, j;
	int k;

	if (!cleaned) {
		/* Inherited values would shadow the job's own. */
		for (i = j = 0; i < jobenv_base; i++)
			if (strncmp(jobenv[i], "PARALLEL_HOSTGROUPS=", 20) != 0 &&
			    strncmp(jobenv[i], "PARALLEL_ARGHOSTGROUPS=",
			    23) != 0)
				jobenv[j++] = jobenv[i];
		for (k = 0; k < ENV_N; k++)
			jobenv[j + (size_t)k] = envbuf[k];
		jobenv_base = j;
		cleaned = 1;
	}
	sbuf_reset(&h);
	sbuf_adds(&h, "PARALLEL_HOSTGROUPS=");
	for (k = 0; k < n; k++) {
		if (k > 0)
			sbuf_addc(&h, '+');
		sbuf_adds(&h, hgroups[k]);
	}
	sbuf_reset(&a);
	sbuf_adds(&a, "PARALLEL_ARGHOSTGROUPS=");
	sbuf_adds(&a, agrp);
	jobenv[jobenv_base + ENV_N] = h.s;
	jobenv[jobenv_base + ENV_N + 1] = a.s;
	jobenv[jobenv_base + ENV_N + 2] = NULL;
	return jobenv;
}

const char *
launch_tmpname(void)
{
	return envbuf[ENV_TMP] + strlen("PARALLEL_TMP=");
}

static int own_group = 1;

void
launch_own_group(int on)
{
	own_group = on;
}

int
launch_kill(pid_t pid, int sig)
{
	return kill(own_group ? -pid : pid, sig);
}

pid_t
launch_run(const char *path, char *const *argv, char *const *envp, int in,
    int out, int err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	pid_t pid;
	int rc;

	posix_spawn_file_actions_init(&fa);
	if (in != STDIN_FILENO)
		posix_spawn_file_actions_adddup2(&fa, in, STDIN_FILENO);
	if (out != STDOUT_FILENO)
		posix_spawn_file_actions_adddup2(&fa, out, STDOUT_FILENO);
	if (err != STDERR_FILENO)
		posix_spawn_file_actions_adddup2(&fa, err, STDERR_FILENO);

	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGHUP);
	sigaddset(&dfl, SIGCHLD);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGQUIT);
	sigaddset(&dfl, SIGUSR2);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | (own_group ? POSIX_SPAWN_SETPGROUP : 0));

	rc = posix_spawn(&pid, path, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	return pid;
}
