/*
 * util.c: error reporting, allocation that cannot fail, and small system
 * helpers shared by every module.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
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
