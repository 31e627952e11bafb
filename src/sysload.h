/*
 * sysload.h: what the machine can take, for --load, --memfree,
 * --memsuspend, --noswap and --limit.
 */
#ifndef FANOUT_SYSLOAD_H
#define FANOUT_SYSLOAD_H

/* Memory available now, in bytes (MemAvailable); -1 if unknown. */
long long	sysload_mem_available(void);
/* Processes running or waiting for disk right now. */
int		sysload_busy(void);
/* Has the system swapped since the last call? */
int		sysload_swapping(void);
/* --limit: 0 start a job, 1 start none, 2 kill the youngest.  "mem SIZE",
 * "load N" and "io PCT" are built in; anything else runs under the shell. */
int		sysload_check(const char *, const char *);

#endif
