/*
 * spawnfloor - the dispatch floor for the fanout benchmarks.
 *
 * Runs N trivial jobs with posix_spawn(), keeping J of them in flight and
 * reaping each with waitpid(), then exits.  Nothing is read, parsed, quoted,
 * buffered or printed: this is what the kernel and libc charge to spawn and
 * reap a process, and no job runner can be faster than this on the same
 * machine.  tests/bench/run.sh compiles it into a temporary directory:
 *
 *     ${CC:-cc} -O2 -o "$tmp/spawnfloor" spawnfloor.c
 *
 * Usage: spawnfloor [N [J [PROGRAM [ARG...]]]]
 *     N        number of jobs (default 5000)
 *     J        jobs in flight (default 2)
 *     PROGRAM  absolute path of the program to run, with its arguments
 *              (default /bin/true); it is not looked up in PATH.
 *
 * Exit status: 0 when every job exited 0, 1 when some job failed,
 * 2 on a usage or spawn error.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>

extern char **environ;

static long
number(const char *s, const char *what)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 1) {
		fprintf(stderr, "spawnfloor: bad %s: %s\n", what, s);
		exit(2);
	}
	return n;
}

int
main(int argc, char **argv)
{
	static char *true_argv[] = { "/bin/true", NULL };
	char **cmd = true_argv;
	long n = 5000, jobs = 2, started = 0, running = 0;
	int failed = 0;

	if (argc > 1)
		n = number(argv[1], "job count");
	if (argc > 2)
		jobs = number(argv[2], "jobs in flight");
	if (argc > 3)
		cmd = argv + 3;

	while (started < n || running > 0) {
		while (started < n && running < jobs) {
			pid_t pid;
			int err = posix_spawn(&pid, cmd[0], NULL, NULL, cmd,
			    environ);

			if (err != 0) {
				fprintf(stderr, "spawnfloor: %s: %s\n", cmd[0],
				    strerror(err));
				exit(2);
			}
			started++;
			running++;
		}

		int status;
		pid_t pid = waitpid(-1, &status, 0);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			perror("spawnfloor: waitpid");
			exit(2);
		}
		running--;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed = 1;
	}
	return failed;
}
