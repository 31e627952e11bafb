/*
 * sem.c: the counting semaphore behind sem and --semaphore.
 *
 * GNU parallel's layout, so that both can share a semaphore: in
 * $PARALLEL_HOME/semaphores (or ~/.parallel/semaphores) the directory
 * id-NAME holds a file id-NAME and one hard link to it per holder, named
 * PID@HOST.  The link count of id-NAME is the number of holders plus one.
 * A holder that died without releasing is found by kill(pid, 0) and its
 * link removed.  Changes are made under flock() on id-NAME.lock.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include "opts.h"
#include "sbuf.h"
#include "sem.h"
#include "util.h"

static char lockdir[4096], lockfile[4200], idfile[8400], pidfile[8400];
static char host[256];
static int count;

/* snprintf that refuses to cut a path short. */
#define PATHF(buf, size, ...) do {					\
	if (snprintf((buf), (size), __VA_ARGS__) >= (int)(size))	\
		fatal("semaphore path too long");			\
} while (0)

static void
mkdir_p(const char *dir)
{
	char tmp[4096], *p;

	PATHF(tmp, sizeof tmp, "%s", dir);
	for (p = tmp + 1; *p != '\0'; p++)
		if (*p == '/') {
			*p = '\0';
			(void)mkdir(tmp, 0777);
			*p = '/';
		}
	if (mkdir(tmp, 0777) == -1 && errno != EEXIST)
		fatal("cannot make the semaphore directory '%s': %s", dir,
		    strerror(errno));
}

/* GNU parallel's cache directory: $PARALLEL_HOME, $XDG_CACHE_HOME/parallel,
 * else ~/.parallel. */
static void
semdir(char *out, size_t size)
{
	const char *ph = getenv("PARALLEL_HOME"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	struct stat st;
	char cand[4096];

	if (ph != NULL && *ph != '\0' && stat(ph, &st) == 0 &&
	    S_ISDIR(st.st_mode)) {
		PATHF(out, size, "%s/semaphores", ph);
		return;
	}
	if (xdg != NULL && *xdg != '\0') {
		PATHF(cand, sizeof cand, "%s/parallel", xdg);
		if (stat(cand, &st) == 0 && S_ISDIR(st.st_mode)) {
			PATHF(out, size, "%s/semaphores", cand);
			return;
		}
	}
	PATHF(out, size, "%s/.parallel/semaphores",
	    home != NULL ? home : "/tmp");
}

static int
lock(void)
{
	int fd;

	if ((fd = open(lockfile, O_WRONLY | O_CREAT | O_CLOEXEC, 0666)) == -1)
		fatal("cannot open the semaphore lock '%s': %s", lockfile,
		    strerror(errno));
	(void)fchmod(fd, 0666);
	while (flock(fd, LOCK_EX) == -1 && errno == EINTR)
		;
	return fd;
}

static void
unlock(int fd)
{
	flock(fd, LOCK_UN);
	close(fd);
}

static nlink_t
nlinks(void)
{
	struct stat st;

	return stat(idfile, &st) == 0 ? st.st_nlink : 0;
}

/* Take a slot if fewer than count are taken. */
static int
try_take(void)
{
	int fd, ok = 0, idfd;

	fd = lock();
	if (nlinks() < (nlink_t)count + 1) {
		(void)mkdir(lockdir, 0777);
		if (access(idfile, F_OK) == -1) {
			idfd = open(idfile, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
			if (idfd != -1)
				close(idfd);
		}
		ok = link(idfile, pidfile) == 0;
	}
	unlock(fd);
	return ok;
}

/* Remove the links of holders on this host that have died. */
static void
remove_dead(void)
{
	struct dirent *d;
	char path[8400], *at;
	long pid;
	DIR *dir;

	if ((dir = opendir(lockdir)) == NULL)
		return;
	while ((d = readdir(dir)) != NULL) {
		pid = strtol(d->d_name, &at, 10);
		if (at == d->d_name || *at != '@' || strcmp(at + 1, host) != 0)
			continue;
		if (kill((pid_t)pid, 0) == -1 && errno == ESRCH) {
			PATHF(path, sizeof path, "%s/%s", lockdir, d->d_name);
			unlink(path);
		}
	}
	closedir(dir);
}

static void
set_pidfile(void)
{
	PATHF(pidfile, sizeof pidfile, "%s/%ld@%s", lockdir, (long)getpid(),
	    host);
}

void
sem_acquire(const struct opts *o, int slots)
{
	struct sbuf id = SBUF_INIT;
	struct timespec ts;
	char dir[4096], name[4096], old[8400], hex[4];
	const char *n = o->sem_name, *p;
	double waited = 0, sleep_ms = 1;
	ssize_t len;
	int idfd, moved[2];
	pid_t pid;
	char c;

	count = slots;
	if (gethostname(host, sizeof host) == -1 || *host == '\0')
		strcpy(host, "nohostname");
	if (n == NULL) {
		/* Without --id the terminal names the semaphore. */
		len = ttyname_r(STDIN_FILENO, name, sizeof name) == 0 ?
		    (ssize_t)strlen(name) : -1;
		if (len < 0)
			strcpy(name, "not a tty");
		n = name;
	}
	sbuf_adds(&id, "id-");
	for (p = n; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')
			sbuf_addc(&id, *p);
		else {
			snprintf(hex, sizeof hex, "%02x", (unsigned char)*p);
			sbuf_adds(&id, hex);
		}
	}
	semdir(dir, sizeof dir);
	mkdir_p(dir);
	if (access(dir, W_OK | X_OK) == -1)
		fatal("the semaphore directory must be writable: '%s'", dir);
	PATHF(lockdir, sizeof lockdir, "%s/%s", dir, id.s);
	PATHF(lockfile, sizeof lockfile, "%s.lock", lockdir);
	PATHF(idfile, sizeof idfile, "%s/%s", lockdir, id.s);
	sbuf_free(&id);
	set_pidfile();

	while (!try_take()) {
		remove_dead();
		if (o->sem_timeout > 0 && waited > o->sem_timeout) {
			warning("Semaphore timed out. Stealing the semaphore.");
			(void)mkdir(lockdir, 0777);
			if ((idfd = open(idfile, O_WRONLY | O_CREAT | O_CLOEXEC,
			    0666)) != -1)
				close(idfd);
			(void)link(idfile, pidfile);
			break;
		}
		if (o->sem_timeout < 0 && waited > -o->sem_timeout) {
			warning("Semaphore timed out. Exiting.");
			exit(1);
		}
		/* Slower and slower, up to a second, never in step. */
		if (sleep_ms < 1000)
			sleep_ms *= 1.1;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)((double)rand() / RAND_MAX * sleep_ms * 1e6);
		nanosleep(&ts, NULL);
		waited += (double)ts.tv_nsec / 1e9;
	}
	if (o->fg)
		return;
	/*
	 * In the background: the slot moves to the child's pid, and the
	 * parent returns only once it has.  A dead holder's link is taken
	 * away by the next caller, so were the parent gone first, a sem
	 * --wait run right after this one could find the slot free.
	 */
	if (pipe(moved) == -1)
		fatal("cannot make a pipe: %s", strerror(errno));
	fflush(stdout);
	if ((pid = fork()) == -1)
		fatal("cannot fork: %s", strerror(errno));
	if (pid > 0) {
		close(moved[1]);
		while (read(moved[0], &c, 1) == -1 && errno == EINTR)
			;
		exit(0);
	}
	close(moved[0]);
	PATHF(old, sizeof old, "%s", pidfile);
	set_pidfile();
	(void)link(idfile, pidfile);
	unlink(old);
	close(moved[1]);
}

void
sem_release(void)
{
	int fd;

	unlink(pidfile);
	if (nlinks() == 1) {
		fd = lock();
		if (nlinks() == 1) {
			unlink(idfile);
			rmdir(lockdir);
		}
		unlock(fd);
	}
}
