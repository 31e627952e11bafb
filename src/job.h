/*
 * job.h: the control plane.  One thread, one loop: fill the job slots,
 * wait for a child or a signal, reap, repeat.
 */
#ifndef FANOUT_JOB_H
#define FANOUT_JOB_H

struct opts;
struct input;
struct tmpl;
struct jobout;

/* Check the -j value now, so a bad one stops fanout before any job. */
void	job_check_slots(const struct opts *);
/* Run every job; returns fanout's exit status. */
int	job_run_all(const struct opts *, struct input *, struct tmpl *);

/* fanout's stdout is closed: send SIGPIPE to every running job. */
void	job_pipe_closed(void);
/* A job's output has been printed: write its --joblog line and --results
 * row (output.c calls it, so that these follow the output's order). */
void	job_printed(struct jobout *);

#endif
