/*
 * joblog.h: --joblog, and --resume, --resume-failed and --retry-failed,
 * which read it back.  The file has GNU parallel's exact columns.
 */
#ifndef FANOUT_JOBLOG_H
#define FANOUT_JOBLOG_H

struct opts;

struct logentry {
	unsigned long	 seq;
	double		 start;		/* epoch seconds */
	double		 runtime;	/* seconds */
	long long	 send, receive;	/* bytes */
	int		 exitval;	/* -1: killed by --timeout */
	int		 signal;
	const char	*cmd;
	const char	*host;		/* the sshlogin, NULL for : */
};

/* Read the old log when resuming, then open it for writing (truncated
 * unless resuming or named +FILE).  Bad paths are fatal before any job. */
void	joblog_open(const struct opts *);
void	joblog_write(const struct logentry *);
/* --resume / --resume-failed: is job seq already done? */
int	joblog_skip(unsigned long);
/* --retry-failed: the failed jobs of the old log, in order; NULL cmd at
 * the end. */
int	joblog_failed(unsigned long *, const char **);
/* Was there an old log to read?  Without one, --retry-failed runs the
 * command line as usual. */
int	joblog_old(void);
void	joblog_close(void);

#endif
