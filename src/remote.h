/*
 * remote.h: turning a job's command line into one that runs it on its
 * sshlogin: files sent with rsync before, the command through ssh with the
 * job's variables, files fetched back and removed after.  Also --wd for
 * local jobs.
 */
#ifndef FANOUT_REMOTE_H
#define FANOUT_REMOTE_H

struct opts;
struct jobvars;
struct sshlogin;
struct rjob;

/* Compile the --tf, --return and --wd templates; copy the --bf files to
 * every remote host.  Returns whether jobs need wrapping at all. */
int		 remote_init(const struct opts *);
/* Remember what a job runs (its command line and its files), to wrap it
 * for a host now or another one when it is retried. */
struct rjob	*remote_job(const struct jobvars *, const char *);
/* The shell command line that runs the job on the host (NULL: the local
 * machine), valid until the next call for this job. */
const char	*remote_line(struct rjob *, const struct sshlogin *);
void		 remote_free(struct rjob *);
/* --hostgroups: the groups of the job's first value, for the remote
 * $PARALLEL_ARGHOSTGROUPS. */
void		 remote_job_groups(struct rjob *, const char *);
const char	*remote_job_agrp(const struct rjob *);
/* --cleanup with --bf: remove the base files from the hosts. */
void		 remote_end(void);

#endif
