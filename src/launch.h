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

/* Search PATH for a program as the shell would: a malloc'd path or NULL. */
char		*launch_which(const char *);
/* The job environment: the caller's plus the PARALLEL_* variables;
 * PARALLEL_TMP names a file in the given directory (--tmpdir); the slot
 * counted from 0 goes in the --process-slot-var variable. */
void		 launch_env_init(const char *, const char *);
char	       **launch_env(unsigned long, int);
/* --hostgroups: add $PARALLEL_HOSTGROUPS (the host's groups) and
 * $PARALLEL_ARGHOSTGROUPS to the environment launch_env() made. */
char	       **launch_env_groups(char *const *, int, const char *);
/* The job's PARALLEL_TMP path, from the last launch_env(). */
const char	*launch_tmpname(void);

/* Start path with argv and envp, stdin/stdout/stderr from the given descriptors, in
 * its own process group.  Returns the pid, or -1 with errno set. */
/* Whether jobs get a process group of their own (the default). */
void		 launch_own_group(int);
/* Send a job a signal: to its process group when it has its own. */
int		 launch_kill(pid_t, int);
pid_t		 launch_run(const char *, char *const *, char *const *, int, int,
		    int);

#endif
