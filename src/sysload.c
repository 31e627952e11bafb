/*
 * sysload.c: reads the machine's state from /proc for the options that
 * hold jobs back when it is busy, and runs --limit commands.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "launch.h"
#include "sysload.h"
#include "util.h"

extern char **environ;

/* The value of "key" in a /proc file of "key value" lines, or -1. */
static long long
proc_value(const char *path, const char *key)
{
	char line[256];
	size_t n = strlen(key);
	long long v = -1;
	FILE *f;

	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, key, n) == 0 &&
		    (line[n] == ' ' || line[n] == ':' || line[n] == '\t')) {
			v = strtoll(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

long long
sysload_mem_available(void)
{
	long long kb = proc_value("/proc/meminfo", "MemAvailable");

	return kb < 0 ? -1 : kb * 1024;
}

int
sysload_busy(void)
{
	long long r = proc_value("/proc/stat", "procs_running");
	long long b = proc_value("/proc/stat", "procs_blocked");

	/* fanout itself is running while it asks. */
	return (int)((r > 0 ? r - 1 : 0) + (b > 0 ? b : 0));
}

int
sysload_swapping(void)
{
	static long long last = -1;
	long long now = proc_value("/proc/vmstat", "pswpin") +
	    proc_value("/proc/vmstat", "pswpout");
	int swapped = last >= 0 && now > last;

	last = now;
	return swapped;
}

/*
 * "io N": the busiest disk's utilisation in percent (0 idle, 100 at least
 * one disk saturated) over the time since the last call, from the time
 * each device in /proc/diskstats spent doing I/O.  -1 on the first call,
 * when there is nothing to compare with yet.
 */
static int
disk_busy(void)
{
	static struct { char name[32]; unsigned long long ticks; } dev[256];
	static int ndev;
	static double last;
	char line[512], name[32];
	unsigned long long ticks;
	double t, pct, max = 0;
	struct timespec ts;
	FILE *f;
	int i, first = last == 0;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	t = (double)ts.tv_sec * 1000 + ts.tv_nsec / 1e6;
	if ((f = fopen("/proc/diskstats", "re")) == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%*u %*u %31s %*u %*u %*u %*u %*u %*u %*u "
		    "%*u %*u %llu", name, &ticks) != 2)
			continue;
		for (i = 0; i < ndev && strcmp(dev[i].name, name) != 0; i++)
			;
		if (i == ndev) {
			if (ndev == (int)(sizeof dev / sizeof dev[0]))
				continue;
			snprintf(dev[ndev++].name, sizeof dev[0].name, "%s",
			    name);
		} else if (!first && t > last) {
			pct = (double)(ticks - dev[i].ticks) / (t - last) * 100;
			if (pct > max)
				max = pct;
		}
		dev[i].ticks = ticks;
	}
	fclose(f);
	last = t;
	return first ? -1 : (int)max;
}

int
sysload_check(const char *cmd, const char *shell)
{
	char *argv[4];
	long long size, avail, cached;
	pid_t pid;
	int status, busy;

	if (strncmp(cmd, "mem ", 4) == 0 && parse_size(cmd + 4, &size) == 0) {
		/* Free, buffers and caches, as GNU parallel's mem limit. */
		avail = proc_value("/proc/meminfo", "MemFree") +
		    proc_value("/proc/meminfo", "Buffers");
		cached = proc_value("/proc/meminfo", "Cached") +
		    proc_value("/proc/meminfo", "SwapCached");
		avail = (avail + cached) * 1024;
		return avail < size / 2 ? 2 : avail < size;
	}
	if (strncmp(cmd, "load ", 5) == 0)
		return sysload_busy() > atof(cmd + 5);
	if (strncmp(cmd, "io ", 3) == 0) {
		/* Until there are two readings, as if over the limit. */
		busy = disk_busy();
		return busy < 0 || busy > atof(cmd + 3);
	}
	argv[0] = (char *)shell;
	argv[1] = "-c";
	argv[2] = (char *)cmd;
	argv[3] = NULL;
	pid = launch_run(shell, argv, environ, STDIN_FILENO, STDOUT_FILENO,
	    STDERR_FILENO);
	if (pid == -1)
		return 1;
	while (waitpid(pid, &status, 0) == -1)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
