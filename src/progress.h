/*
 * progress.h: --progress, --eta and --bar, drawn on stderr when it is a
 * terminal, at most ten times a second, with a final summary.
 */
#ifndef FANOUT_PROGRESS_H
#define FANOUT_PROGRESS_H

struct opts;

struct progress {
	unsigned long	 total;		/* jobs in all, 0 if unknown */
	unsigned long	 started, completed;
	int		 running, slots;
	double		 runtime;	/* sum of completed jobs' run times */
};

struct jobvars;

void	progress_start(const struct opts *, int);
/* A job started: --bar shows its arguments. */
void	progress_job(const struct jobvars *);
/* Redraw if due (or if final). */
void	progress_draw(const struct progress *, int);

#endif
