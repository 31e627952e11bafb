/*
 * sshlogin.c: the hosts of -S and --slf and their job slots.
 *
 * An sshlogin is [ncpus/][sshcommand ][user@]host[:port], or ":" for the
 * local machine, as GNU parallel reads it.  Each host gets job slots from
 * -j applied to its CPU count, which is given (ncpus/) or asked of the host
 * once with nproc over ssh.  A host whose ssh fails is taken out for a
 * while, longer each time in a row, so its jobs go elsewhere.  --slf files
 * are read again when they change: new hosts join, hosts no longer listed
 * take no new jobs.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "launch.h"
#include "opts.h"
#include "sbuf.h"
#include "sshlogin.h"
#include "util.h"

extern char **environ;

static const struct opts *opt;
static struct sshlogin **hosts;
static int nhosts;
static char *cmdir;		/* -M: the directory of control sockets */
static pid_t *masters;		/* -M: the master connections */
static int nmasters;
static struct timespec *slf_mtime;	/* --slf: when each was read */
static off_t *slf_size;
static char **wanted;		/* -S @group: only hosts in these */
static int nwanted;
static struct sshlogin **dropped;	/* ... and the others */
static int ndropped;
static struct sbuf allgroups;	/* sshlogin_all_groups() */

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The ssh command line for a host: ssh [-S socket] [-p port] [-l user]. */
static char *
ssh_command(const char *given, const char *port, const char *user)
{
	struct sbuf b = SBUF_INIT;

	sbuf_adds(&b, given != NULL ? given : opt->ssh != NULL ? opt->ssh :
	    "ssh");
	if (cmdir != NULL) {
		sbuf_adds(&b, " -S ");
		sbuf_adds(&b, cmdir);
		sbuf_adds(&b, "/ssh-%r@%h:%p");
	}
	if (port != NULL) {
		sbuf_adds(&b, " -p ");
		sbuf_adds(&b, port);
	}
	if (user != NULL) {
		sbuf_adds(&b, " -l ");
		sbuf_adds(&b, user);
	}
	return sbuf_take(&b);
}

static char *
span(const char *p, size_t n)
{
	char *s = xmalloc(n + 1);

	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/* Add the '+'-separated groups in p[0..n) to l's. */
static void
add_groups(struct sshlogin *l, const char *p, size_t n)
{
	strv_split(&l->groups, &l->ngroups, p, n, '+');
}

static void
free_groups(struct sshlogin *l)
{
	strv_free(l->groups, l->ngroups);
	l->groups = NULL;
	l->ngroups = 0;
}

static int
in_groups(const struct sshlogin *l, char *const *groups, int n)
{
	int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < l->ngroups; j++)
			if (strcmp(groups[i], l->groups[j]) == 0)
				return 1;
	return 0;
}

int
sshlogin_parse(const char *given, const char *ssh, struct sshlogin *l)
{
	const char *s = given, *p, *sp;
	char *sshcmd = NULL;
	struct sbuf str = SBUF_INIT;

	memset(l, 0, sizeof *l);
	/* @g1+g2/ puts the host in groups g1 and g2; @g1 alone asks for the
	 * hosts in g1.  Every host is in the group of its own name too. */
	if (*s == '@' && s[1] != '\0' && s[1] != '/') {
		p = s + 1 + strcspn(s + 1, "/");
		add_groups(l, s + 1, (size_t)(p - s - 1));
		s = *p == '/' ? p + 1 : p;
		if (*s == '\0')
			return 2;
	}
	add_groups(l, s, strlen(s));
	l->ngroups--;	/* its own name: one group, whatever its '+' */
	free(l->groups[l->ngroups]);
	l->groups[l->ngroups++] = xstrdup(s);
	for (p = s; isdigit((unsigned char)*p); p++)
		;
	if (p > s && *p == '/') {
		l->ncpus = atoi(s);
		s = p + 1;
	}
	if ((sp = strrchr(s, ' ')) != NULL) {
		sshcmd = span(s, (size_t)(sp - s));
		s = sp + 1;
	}
	if ((p = strchr(s, '@')) != NULL) {
		if (memchr(s, ':', (size_t)(p - s)) != NULL) {
			free(sshcmd);
			fatal("--sshlogin with a password is not supported by "
			    "fanout: '%s' (use ssh keys)", given);
		}
		l->user = span(s, (size_t)(p - s));
		s = p + 1;
	}
	if (strcmp(s, ":") == 0) {
		l->host = xstrdup(":");
		s++;
	} else if (*s == '[' && (p = strchr(s, ']')) != NULL) {
		l->host = span(s + 1, (size_t)(p - s - 1));
		s = p + 1;
	} else {
		for (p = s; isalnum((unsigned char)*p) || *p == '-' ||
		    *p == '.' || *p == '_'; p++)
			;
		if (p > s)
			l->host = span(s, (size_t)(p - s));
		s = p;
	}
	if (*s == ':' && s[1] != '\0') {
		for (p = s + 1; isalnum((unsigned char)*p) || *p == '_'; p++)
			;
		l->port = span(s + 1, (size_t)(p - s - 1));
		s = p;
	}
	if ((*s != '\0' && strcmp(s, ":") != 0) || l->host == NULL) {
		free(sshcmd);
		free(l->user);
		free(l->host);
		free(l->port);
		free_groups(l);
		return 0;
	}
	if (strcmp(l->host, ":") == 0) {
		l->local = 1;
		l->string = xstrdup(":");
		free(sshcmd);
		return 1;
	}
	if (sshcmd != NULL) {
		sbuf_adds(&str, sshcmd);
		sbuf_addc(&str, ' ');
	}
	if (l->user != NULL) {
		sbuf_adds(&str, l->user);
		sbuf_addc(&str, '@');
	}
	sbuf_adds(&str, l->host);
	if (l->port != NULL) {
		sbuf_addc(&str, ':');
		sbuf_adds(&str, l->port);
	}
	l->string = sbuf_take(&str);
	l->sshcmd = ssh_command(sshcmd != NULL ? sshcmd : ssh, l->port,
	    l->user);
	free(sshcmd);
	return 1;
}

static struct sshlogin *
find(const char *string)
{
	int i;

	for (i = 0; i < nhosts; i++)
		if (strcmp(hosts[i]->string, string) == 0)
			return hosts[i];
	return NULL;
}

static void	read_file(const char *, struct sbuf *);

/* Add one -S value or --slf line: comma-separated sshlogins, where ,, and
 * \, stand for a comma. */
static void
add_logins(const char *val, int reread)
{
	struct sshlogin l, *old;
	struct sbuf one = SBUF_INIT, file = SBUF_INIT;
	const char *p = val;
	int i, rc;

	for (;;) {
		sbuf_reset(&one);
		while (*p != '\0' && *p != ',' && *p != '\n') {
			if ((p[0] == '\\' && p[1] == ',') ||
			    (p[0] == ',' && p[1] == ','))
				p++;
			sbuf_addc(&one, *p++);
		}
		while (one.len > 0 && isspace((unsigned char)one.s[one.len - 1]))
			one.s[--one.len] = '\0';
		sbuf_grow(&one, 0);
		if (one.len == 0)
			;
		else if (strcmp(one.s, "..") == 0 || strcmp(one.s, "-") == 0) {
			read_file(one.s, &file);
			add_logins(file.s != NULL ? file.s : "", reread);
		} else if ((rc = sshlogin_parse(one.s, NULL, &l)) == 0)
			fatal("cannot parse the sshlogin '%s'", one.s);
		else if (rc == 2) {
			/* -S @group: only the hosts in these groups. */
			for (i = 0; i < l.ngroups; i++) {
				wanted = xreallocarray(wanted,
				    (size_t)nwanted + 1, sizeof *wanted);
				wanted[nwanted++] = l.groups[i];
			}
			free(l.groups);
		} else if ((old = find(l.string)) != NULL) {
			/* Listed again: back on duty. */
			if (l.ncpus > 0)
				old->ncpus = l.ncpus;
			old->slots = -1;
			free(l.string);
			free(l.host);
			free(l.user);
			free(l.port);
			free(l.sshcmd);
			free_groups(&l);
		} else {
			hosts = xreallocarray(hosts, (size_t)nhosts + 1,
			    sizeof *hosts);
			l.slots = -1;
			hosts[nhosts] = xmalloc(sizeof **hosts);
			*hosts[nhosts++] = l;
		}
		if (*p == '\0')
			break;
		p++;
	}
	sbuf_free(&one);
	sbuf_free(&file);
	(void)reread;
}

/* The file an --slf value names: - is stdin, .. ~/.parallel/sshloginfile,
 * . /etc/parallel/sshloginfile. */
static char *
slf_path(const char *name)
{
	const char *home = getenv("PARALLEL_HOME"), *h = getenv("HOME");
	struct sbuf b = SBUF_INIT;

	if (strcmp(name, "..") == 0) {
		if (home != NULL)
			sbuf_adds(&b, home);
		else {
			sbuf_adds(&b, h != NULL ? h : "");
			sbuf_adds(&b, "/.parallel");
		}
		sbuf_adds(&b, "/sshloginfile");
		return sbuf_take(&b);
	}
	if (strcmp(name, ".") == 0)
		return xstrdup("/etc/parallel/sshloginfile");
	return xstrdup(name);
}

/* Read an sshloginfile's logins, one a line, # comments. */
static void
read_file(const char *name, struct sbuf *out)
{
	char *path = slf_path(name), buf[4096];
	struct sbuf all = SBUF_INIT;
	const char *p, *nl;
	ssize_t n;
	int fd;

	if (strcmp(name, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		fatal("cannot open the sshloginfile %s: %s", path,
		    strerror(errno));
	while ((n = read(fd, buf, sizeof buf)) > 0)
		sbuf_add(&all, buf, (size_t)n);
	if (fd != STDIN_FILENO)
		close(fd);
	sbuf_reset(out);
	sbuf_grow(&all, 0);
	for (p = all.s != NULL ? all.s : ""; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		while (p < nl && isspace((unsigned char)*p))
			p++;
		if (p < nl && *p != '#') {
			sbuf_add(out, p, (size_t)(nl - p));
			sbuf_addc(out, '\n');
		}
		if (*nl == '\0')
			break;
	}
	sbuf_grow(out, 0);
	sbuf_free(&all);
	free(path);
}

/* Run a shell line and keep what it prints; the spawned pid. */
static pid_t
capture_start(const char *line, int *fd)
{
	char *argv[] = { "/bin/sh", "-c", (char *)line, NULL };
	int p[2], devnull;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	pid = launch_run("/bin/sh", argv, environ, devnull, p[1], devnull);
	close(devnull);
	close(p[1]);
	*fd = p[0];
	return pid;
}

static int
capture_end(pid_t pid, int fd, struct sbuf *out)
{
	char buf[512];
	ssize_t n;
	int status = 0;

	sbuf_reset(out);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		sbuf_add(out, buf, (size_t)n);
	close(fd);
	sbuf_grow(out, 0);
	while (pid > 0 && waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	return status;
}

/* Does -j need the hosts' CPU counts? */
static int
jobs_need_cpus(const char *j)
{
	const char *p;

	if (j == NULL)
		return 1;
	for (p = j; isdigit((unsigned char)*p); p++)
		;
	return *p != '\0' || p == j;
}

/* Ask every remote host without a CPU count for one, all at once. */
static void
detect_cpus(void)
{
	struct sbuf line = SBUF_INIT, out = SBUF_INIT;
	pid_t *pids = xcalloc((size_t)nhosts + 1, sizeof *pids);
	int *fds = xcalloc((size_t)nhosts + 1, sizeof *fds);
	char *end;
	long v;
	int i;

	for (i = 0; i < nhosts; i++) {
		pids[i] = -1;
		if (hosts[i]->ncpus > 0 || hosts[i]->slots >= 0)
			continue;
		if (hosts[i]->local) {
			hosts[i]->ncpus = cpu_count();
			continue;
		}
		sbuf_reset(&line);
		sbuf_adds(&line, hosts[i]->sshcmd);
		sbuf_addc(&line, ' ');
		sbuf_adds(&line, hosts[i]->host);
		sbuf_adds(&line, " -- exec nproc");
		pids[i] = capture_start(line.s, &fds[i]);
	}
	for (i = 0; i < nhosts; i++) {
		if (pids[i] == -1)
			continue;
		capture_end(pids[i], fds[i], &out);
		v = strtol(out.s, &end, 10);
		while (isspace((unsigned char)*end))
			end++;
		if (end == out.s || *end != '\0' || v < 1) {
			while (out.len > 0 && out.s[out.len - 1] == '\n')
				out.s[--out.len] = '\0';
			warning("Could not figure out number of cpus on %s (%s). "
			    "Using 1.", hosts[i]->string, out.len ? out.s : "");
			v = 1;
		}
		hosts[i]->ncpus = (int)v;
	}
	sbuf_free(&line);
	sbuf_free(&out);
	free(pids);
	free(fds);
}

/* -j for one host, as GNU parallel reads it per sshlogin. */
static int
host_slots(const struct sshlogin *l)
{
	const char *j = opt->jobs;
	char buf[64];
	double v;
	char *end;
	ssize_t n;
	int fd;

	if (j == NULL)
		j = "100%";
	if (*j != '+' && *j != '-' && !isdigit((unsigned char)*j) &&
	    (fd = open(j, O_RDONLY | O_CLOEXEC)) != -1) {
		/* -j FILE: the number in it. */
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		j = buf;
	}
	if (*j == '+' || *j == '-')
		v = l->ncpus + strtod(j, &end);
	else {
		v = strtod(j, &end);
		if (*end == '%')
			v = l->ncpus * v / 100;
		else if (v == 0)
			v = 1000;
	}
	if (v < 1)
		v = 1;
	return (int)ceil_ll(v);
}

static void
set_slots(void)
{
	int i;

	if (jobs_need_cpus(opt->jobs))
		detect_cpus();
	for (i = 0; i < nhosts; i++)
		if (hosts[i]->slots < 0)
			hosts[i]->slots = host_slots(hosts[i]);
}

/* -M: one master connection per host, whose socket the jobs share. */
static void
start_masters(void)
{
	struct sbuf line = SBUF_INIT;
	int i, devnull;
	char *argv[4];

	masters = xcalloc((size_t)nhosts + 1, sizeof *masters);
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (i = 0; i < nhosts; i++) {
		if (hosts[i]->local)
			continue;
		sbuf_reset(&line);
		sbuf_adds(&line, "exec ");
		sbuf_adds(&line, hosts[i]->sshcmd);
		sbuf_adds(&line, " -MTN ");
		sbuf_adds(&line, hosts[i]->host);
		argv[0] = "/bin/sh";
		argv[1] = "-c";
		argv[2] = line.s;
		argv[3] = NULL;
		masters[nmasters] = launch_run("/bin/sh", argv, environ,
		    devnull, devnull, devnull);
		if (masters[nmasters] > 0)
			nmasters++;
	}
	close(devnull);
	sbuf_free(&line);
}

/* --filter-hosts: take out the hosts that cannot be logged in to. */
static void
filter_hosts(void)
{
	struct sbuf line = SBUF_INIT, out = SBUF_INIT;
	pid_t *pids = xcalloc((size_t)nhosts + 1, sizeof *pids);
	int *fds = xcalloc((size_t)nhosts + 1, sizeof *fds);
	int i;

	for (i = 0; i < nhosts; i++) {
		pids[i] = -1;
		if (hosts[i]->local)
			continue;
		sbuf_reset(&line);
		sbuf_adds(&line, hosts[i]->sshcmd);
		sbuf_addc(&line, ' ');
		sbuf_adds(&line, hosts[i]->host);
		sbuf_adds(&line, " -- exec echo fanout-host-up");
		pids[i] = capture_start(line.s, &fds[i]);
	}
	for (i = 0; i < nhosts; i++) {
		if (pids[i] == -1)
			continue;
		capture_end(pids[i], fds[i], &out);
		if (strstr(out.s, "fanout-host-up") == NULL) {
			warning("Removed %s.", hosts[i]->string);
			hosts[i]->slots = 0;
			hosts[i]->ncpus = 1;
		}
	}
	sbuf_free(&line);
	sbuf_free(&out);
	free(pids);
	free(fds);
}

/* -S @group: take the hosts in none of the groups asked for off duty. */
static void
keep_wanted(void)
{
	int i, j;

	if (nwanted == 0)
		return;
	for (i = j = 0; i < nhosts; i++)
		if (in_groups(hosts[i], wanted, nwanted))
			hosts[j++] = hosts[i];
		else {
			/* Kept, not freed: a running job may point at it. */
			dropped = xreallocarray(dropped, (size_t)ndropped + 1,
			    sizeof *dropped);
			dropped[ndropped++] = hosts[i];
		}
	nhosts = j;
}

/* Leave nothing behind: the masters and their sockets. */
static void
sshlogin_end(void)
{
	int i, status;

	for (i = 0; i < nmasters; i++) {
		kill(masters[i], SIGTERM);
		waitpid(masters[i], &status, 0);
	}
	if (cmdir != NULL) {
		char *argv[] = { "rm", "-rf", cmdir, NULL };
		pid_t pid = launch_run("/bin/rm", argv, environ, 0, 1, 2);

		if (pid > 0)
			waitpid(pid, &status, 0);
	}
}

int
sshlogin_init(const struct opts *o)
{
	int i, n;

	if (!sshlogin_read(o, o->controlmaster))
		return 0;
	if (cmdir != NULL)
		start_masters();
	atexit(sshlogin_end);
	if (o->filter_hosts)
		filter_hosts();
	set_slots();
	for (i = 0, n = 0; i < nhosts; i++)
		n += hosts[i]->slots;
	if (n == 0)
		fatal("no sshlogin is left to run jobs on");
	return 1;
}

int
sshlogin_read(const struct opts *o, int master)
{
	struct sbuf file = SBUF_INIT;
	struct stat st;
	int i;

	opt = o;
	/* --hostgroups without hosts: the local machine, in group ":". */
	if (o->sshlogins.n == 0 && o->slfs.n == 0 && !o->hostgroups)
		return 0;
	if (master) {
		struct sbuf b = SBUF_INIT;

		sbuf_adds(&b, o->tmpdir);
		sbuf_adds(&b, "/fanout-ssh-XXXXXX");
		cmdir = sbuf_take(&b);
		if (mkdtemp(cmdir) == NULL)
			fatal("-M: cannot make a directory in %s: %s",
			    o->tmpdir, strerror(errno));
	}
	for (i = 0; i < o->sshlogins.n; i++)
		add_logins(o->sshlogins.v[i], 0);
	slf_mtime = xcalloc((size_t)o->slfs.n + 1, sizeof *slf_mtime);
	slf_size = xcalloc((size_t)o->slfs.n + 1, sizeof *slf_size);
	for (i = 0; i < o->slfs.n; i++) {
		char *path = slf_path(o->slfs.v[i]);

		if (strcmp(o->slfs.v[i], "-") != 0 && stat(path, &st) == 0) {
			slf_mtime[i] = st.st_mtim;
			slf_size[i] = st.st_size;
		}
		free(path);
		read_file(o->slfs.v[i], &file);
		add_logins(file.s != NULL ? file.s : "", 0);
	}
	sbuf_free(&file);
	if (o->sshlogins.n == 0 && o->slfs.n == 0)
		add_logins(":", 0);
	keep_wanted();
	if (nhosts == 0)
		fatal("no sshlogin given: -S and --slf name no host");
	return 1;
}

int
sshlogin_reread(void)
{
	struct sbuf file = SBUF_INIT, all = SBUF_INIT;
	struct stat st;
	int i, j, changed = 0;
	char *path;

	for (i = 0; i < opt->slfs.n; i++) {
		if (strcmp(opt->slfs.v[i], "-") == 0)
			continue;
		path = slf_path(opt->slfs.v[i]);
		if (stat(path, &st) == 0 && (st.st_size != slf_size[i] ||
		    st.st_mtim.tv_sec != slf_mtime[i].tv_sec ||
		    st.st_mtim.tv_nsec != slf_mtime[i].tv_nsec)) {
			changed = 1;
			slf_mtime[i] = st.st_mtim;
			slf_size[i] = st.st_size;
		}
		free(path);
	}
	if (!changed)
		return 0;
	for (i = 0; i < opt->slfs.n; i++) {
		if (strcmp(opt->slfs.v[i], "-") == 0)
			continue;
		read_file(opt->slfs.v[i], &file);
		if (file.s != NULL)
			sbuf_adds(&all, file.s);
	}
	sbuf_free(&file);
	/* An empty file is most likely being written: keep the hosts, and
	 * read it again next time. */
	if (all.len == 0) {
		for (i = 0; i < opt->slfs.n; i++)
			slf_size[i] = -1;
		sbuf_free(&all);
		return 0;
	}
	for (j = 0; j < nhosts; j++)
		hosts[j]->slots = 0;
	add_logins(all.s, 1);
	/* The -S hosts stay. */
	for (i = 0; i < opt->sshlogins.n; i++)
		add_logins(opt->sshlogins.v[i], 1);
	sbuf_free(&all);
	keep_wanted();
	set_slots();
	return 1;
}

int
sshlogin_slots(void)
{
	int i, n = 0;

	for (i = 0; i < nhosts; i++)
		n += hosts[i]->slots;
	return n > 0 ? n : 1;
}

struct sshlogin *
sshlogin_pick(const struct sshlogin *avoid, double *wake)
{
	return sshlogin_pick_in(NULL, 0, avoid, wake);
}

struct sshlogin *
sshlogin_pick_in(char *const *groups, int n, const struct sshlogin *avoid,
    double *wake)
{
	struct sshlogin *best = NULL, *l;
	double now = mono();
	int i, free_, bestfree = 0;

	*wake = 0;
	for (i = 0; i < nhosts; i++) {
		l = hosts[i];
		if (groups != NULL && !in_groups(l, groups, n))
			continue;
		if (l->down_until > now) {
			if (*wake == 0 || l->down_until < *wake)
				*wake = l->down_until;
			continue;
		}
		free_ = l->slots - l->running;
		if (free_ <= 0)
			continue;
		/* A job that failed on a host goes elsewhere if it can. */
		if (l == avoid)
			free_ = 0;
		if (best == NULL || free_ > bestfree) {
			best = l;
			bestfree = free_;
		}
	}
	if (best != NULL)
		best->running++;
	return best;
}

int
sshlogin_group_known(const char *group)
{
	int i, j;

	for (i = 0; i < nhosts; i++)
		for (j = 0; j < hosts[i]->ngroups; j++)
			if (strcmp(hosts[i]->groups[j], group) == 0)
				return 1;
	return 0;
}

void
sshlogin_add(const char *login)
{
	add_logins(login, 0);
	set_slots();
}

const char *
sshlogin_all_groups(void)
{
	int i, j, k, seen;

	sbuf_reset(&allgroups);
	sbuf_grow(&allgroups, 0);
	for (i = 0; i < nhosts; i++)
		for (j = 0; j < hosts[i]->ngroups; j++) {
			/* Each group once, in the order the hosts give. */
			seen = 0;
			for (k = 0; k < i && !seen; k++)
				seen = in_groups(hosts[k], &hosts[i]->groups[j],
				    1);
			for (k = 0; k < j && !seen; k++)
				seen = strcmp(hosts[i]->groups[k],
				    hosts[i]->groups[j]) == 0;
			if (seen)
				continue;
			if (allgroups.len > 0)
				sbuf_addc(&allgroups, '+');
			sbuf_adds(&allgroups, hosts[i]->groups[j]);
		}
	return allgroups.s;
}

void
sshlogin_release(struct sshlogin *l, int lost, int ok)
{
	double pause;

	if (l == NULL)
		return;
	l->running--;
	if (lost && !l->local) {
		/* 2 s, 4 s, 8 s ... up to 5 minutes out. */
		l->fails++;
		pause = l->fails > 8 ? 300 : (double)(1 << l->fails);
		l->down_until = mono() + pause;
		warning("ssh to %s failed; no new jobs there for %g s",
		    l->string, pause);
	} else if (ok)
		l->fails = 0;
}

int
sshlogin_count(void)
{
	return nhosts;
}

struct sshlogin *
sshlogin_nth(int i)
{
	return hosts[i];
}

int
sshlogin_any_remote(void)
{
	int i;

	for (i = 0; i < nhosts; i++)
		if (!hosts[i]->local)
			return 1;
	return 0;
}
