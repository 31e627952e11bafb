/*
 * util.c: error reporting, allocation that cannot fail, the one PCRE2
 * compile that reports a bad pattern, and small system helpers shared by
 * every module.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "sbuf.h"
#include "util.h"

const char *progname = "fanout";

static void report(const char *, const char *, va_list)
    __attribute__((format(printf, 2, 0)));

static void
report(const char *kind, const char *fmt, va_list ap)
{
	char msg[4096];

	vsnprintf(msg, sizeof msg, fmt, ap);
	/* One write, so concurrent writers never split the line. */
	dprintf(STDERR_FILENO, "%s: %s: %s\n", progname, kind, msg);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("Error", fmt, ap);
	va_end(ap);
	exit(EXIT_USAGE);
}

void
error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("Error", fmt, ap);
	va_end(ap);
}

void
warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("Warning", fmt, ap);
	va_end(ap);
}

void *
xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n ? n : 1)) == NULL)
		fatal("out of memory allocating %zu bytes", n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n ? n : 1, size ? size : 1)) == NULL)
		fatal("out of memory allocating %zu x %zu bytes", n, size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		fatal("out of memory allocating %zu bytes", n);
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if ((p = reallocarray(p, n ? n : 1, size ? size : 1)) == NULL)
		fatal("out of memory allocating %zu x %zu bytes", n, size);
	return p;
}

char *
xstrdup(const char *s)
{
	return xmemdup(s, strlen(s) + 1);
}

void *
xmemdup(const void *s, size_t n)
{
	void *p = xmalloc(n);

	memcpy(p, s, n);
	return p;
}

int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
cpu_threads(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

/* The first line of a small file, without its newline; 0 if unreadable. */
static int
read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	int ok;

	if (f == NULL)
		return 0;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* Whether s is among the n strings of v; if not, add it (up to max). */
static int
count_new(char v[][80], int *n, int max, const char *s)
{
	int i;

	for (i = 0; i < *n; i++)
		if (strcmp(v[i], s) == 0)
			return 0;
	if (*n < max)
		snprintf(v[(*n)++], 80, "%s", s);
	return 1;
}

static int	cpu_unit_;

void
cpu_topology(int *sockets, int *cores, int *threads)
{
	static char pkgs[256][80], sibs[1024][80];
	char path[128], buf[80];
	int npkg = 0, nsib = 0, n, active = cpu_threads();

	/* Sockets: package ids; cores: sets of sibling threads; threads:
	 * the CPUs, each counted as the kernel lists its topology. */
	for (n = 0;; n++) {
		snprintf(path, sizeof path,
		    "/sys/devices/system/cpu/cpu%d/topology/physical_package_id",
		    n);
		if (!read_line(path, buf, sizeof buf))
			break;
		count_new(pkgs, &npkg, 256, buf);
		snprintf(path, sizeof path,
		    "/sys/devices/system/cpu/cpu%d/topology/thread_siblings", n);
		if (read_line(path, buf, sizeof buf))
			count_new(sibs, &nsib, 1024, buf);
	}
	*threads = n > 0 ? n : active;
	*cores = nsib > 0 ? nsib : *threads;
	*sockets = npkg > 0 ? npkg : 1;
	/* No more than this process may run on (taskset). */
	if (*threads > active)
		*threads = active;
	if (*cores > active)
		*cores = active;
	if (*sockets > active)
		*sockets = active;
}

void
cpu_unit(int unit)
{
	cpu_unit_ = unit;
}

int
cpu_count(void)
{
	int sockets, cores, threads;

	if (cpu_unit_ == CPU_THREADS)
		return cpu_threads();
	cpu_topology(&sockets, &cores, &threads);
	return cpu_unit_ == CPU_CORES ? cores : sockets;
}

int
parse_size(const char *s, long long *out)
{
	static const char units[] = "kmgtpezyx";
	const char *p;
	char *end;
	double v, mult = 1;
	int i, pow;
	size_t n;

	/* Plain decimals only: in 1e3 the e is exa, as in GNU parallel. */
	p = s + (*s == '-');
	n = strspn(p, "0123456789");
	if (p[n] == '.')
		n += 1 + strspn(p + n + 1, "0123456789");
	if (n == 0 || (n == 1 && *p == '.'))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0)
		return -1;
	end = (char *)p + n;
	p = end;
	if (*p != '\0' && (p = strchr(units, tolower((unsigned char)*end))) != NULL) {
		pow = (int)(p - units) + 1;
		/* Upper case, or an i after it, is binary; lower case decimal. */
		for (i = 0; i < pow; i++)
			mult *= (isupper((unsigned char)*end) || end[1] == 'i') ?
			    1024 : 1000;
		end++;
		if (*end == 'i')
			end++;
	}
	if (*end == 'b' || *end == 'B')
		end++;
	if (*end != '\0')
		return -1;
	/* GNU takes any size; beyond what fits is as good as endless. */
	v *= mult;
	if (v > 9e18)
		v = 9e18;
	if (v < -9e18)
		v = -9e18;
	*out = (long long)v;
	return 0;
}

long long
ceil_ll(double v)
{
	long long i = (long long)v;

	return (double)i < v ? i + 1 : i;
}

int
parse_duration(const char *s, double *out)
{
	double total = 0, v;
	char *end;

	if (*s == '\0')
		return -1;
	while (*s != '\0') {
		errno = 0;
		v = strtod(s, &end);
		if (end == s || errno != 0)
			return -1;
		/* GNU takes the units in either case: 1M is a minute. */
		switch (tolower((unsigned char)*end)) {
		case 's': end++; break;
		case 'm': v *= 60; end++; break;
		case 'h': v *= 3600; end++; break;
		case 'd': v *= 86400; end++; break;
		case '\0': break;
		default: return -1;
		}
		total += v;
		s = end;
	}
	*out = total;
	return 0;
}

int
signal_number(const char *s)
{
	static const struct { const char *name; int sig; } sigs[] = {
		{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
		{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
		{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
		{ "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "TSTP", SIGTSTP },
		{ "ABRT", SIGABRT }, { NULL, 0 }
	};
	char *end;
	long v;
	int i;

	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; sigs[i].name != NULL; i++)
		if (strcmp(s, sigs[i].name) == 0)
			return sigs[i].sig;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || v <= 0 || v >= 65)
		return -1;
	return (int)v;
}

int
read_whole_file(const char *path, struct sbuf *out)
{
	char buf[65536];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	sbuf_reset(out);
	sbuf_grow(out, 0);
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		sbuf_add(out, buf, (size_t)n);
	}
	close(fd);
	return 0;
}

pcre2_code *
re_compile(const char *pat, uint32_t flags, const char *what)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	pcre2_code *re;
	int err;

	re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, flags, &err,
	    &off, NULL);
	if (re == NULL) {
		pcre2_get_error_message(err, msg, sizeof msg);
		fatal("%s: '%s' is not a valid regular expression: %s at "
		    "offset %zu", what, pat, (char *)msg, (size_t)off);
	}
	return re;
}

void
re_check(const char *pat, uint32_t flags, const char *what)
{
	pcre2_code_free(re_compile(pat, flags, what));
}

void
strv_split(char ***v, int *n, const char *s, size_t len, int sep)
{
	const char *end = s + len, *e;

	for (;;) {
		if ((e = memchr(s, sep, (size_t)(end - s))) == NULL)
			e = end;
		*v = xreallocarray(*v, (size_t)*n + 1, sizeof **v);
		(*v)[*n] = xmalloc((size_t)(e - s) + 1);
		memcpy((*v)[*n], s, (size_t)(e - s));
		(*v)[(*n)++][e - s] = '\0';
		if (e == end)
			break;
		s = e + 1;
	}
}

void
strv_free(char **v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
