/*
 * launch.h: starting one job.  Picks the shell GNU parallel would pick, and
 * decides whether a command word can be exec'd directly, skipping the
 * shell's start-up, without changing what the job does.
 */
#ifndef FANOUT_LAUNCH_H
#define FANOUT_LAUNCH_H

#include <sys/types.h>

/* The shell jobs run under: $PARALLEL_SHELL, the nearest shell among the
 * parent processes, $SHELL, or /bin/sh.  A missing $PARALLEL_SHELL is a
 * fatal error. */
const char	*launch_shell(void);
/* The path to exec for a literal command word when the shell would do
 * nothing but exec it, else NULL. */
char		*launch_resolve(const char *);
/* Whether this argv must go through the shell after all (echo --help). */
int		 launch_needs_shell(const char *, int, char *const *);

/* The job environment: the caller's plus the PARALLEL_* variables;
 * PARALLEL_TMP names a file in the given directory (--tmpdir). */
void		 launch_env_init(const char *);
char	       **launch_env(unsigned long, int);
/* The job's PARALLEL_TMP path, from the last launch_env(). */
const char	*launch_tmpname(void);

/* Start path with argv and envp, stdin/stdout/stderr from the given descriptors, in
 * its own process group.  Returns the pid, or -1 with errno set. */
pid_t		 launch_run(const char *, char *const *, char *const *, int, int,
		    int);

#endif
