/*
 * output.h: where jobs' output goes and when it is printed.  Grouped output
 * (the default) is kept in unlinked temporary files and printed whole when
 * the job ends; with keep-order, in the order the jobs were started.
 */
#ifndef FANOUT_OUTPUT_H
#define FANOUT_OUTPUT_H

#include <stddef.h>
#include <sys/types.h>

struct sbuf;

struct opts;

/* One job's output, as output.c sees it. */
struct jobout {
	unsigned long	 seq;
	int		 out, err;	/* temp files, or -1 when ungrouped */
	char		*line;		/* -v: the command, printed first */
	size_t		 linelen;
	int		 skip;		/* never ran: prints nothing */
	char		*tag;		/* --tag/--tagstring: line prefix */
	size_t		 taglen;
	off_t		 done[2];	/* --line-buffer: bytes printed */
	int		 midline[2];	/* ... 1 in a line, 2 just after a CR */
	char		*outpath;	/* --files: the file kept for stdout */
	char		*color;		/* --color, --ctag: start of each line */
	int		 quiet;		/* --results: print nothing */
	int		 ownfiles;	/* out/err are --results files */
	void		*ended;		/* the caller's, for the printed hook */
};

/* closed() is called when fanout's stdout turns out to be closed;
 * printed() when a job's output has been printed, in the order the jobs
 * print (so -k orders it too), while its files can still be read. */
void	output_init(const struct opts *, void (*)(void),
	    void (*)(struct jobout *));
/* Buffered writes to fanout's own stdout. */
void	output_write(const void *, size_t);
void	output_flush(void);
/* A command line (-v, --dry-run) with colour and tag before each line. */
void	output_tagged(const char *, const char *, size_t, const char *,
	    size_t);
/* Temp files for a grouped job; 0 on failure (errno set). */
int	output_open(struct jobout *);
/* The job has ended: print its output now or when its turn comes.
 * Takes ownership of jo->line. */
void	output_done(struct jobout *);
/* The job will never print (it was never started): let later ones go. */
void	output_skip(unsigned long);
/* --line-buffer: print the whole lines the job has written so far. */
void	output_live(struct jobout *);
/* 0 when --tmpdir has filled up, so the job's output may be cut short. */
int	output_room_left(const struct jobout *);
/* Bytes a grouped job has written to stdout (the joblog's Receive). */
long long output_size(const struct jobout *);
/* Read all a grouped job wrote to stdout (0) or stderr (1), each line
 * with the job's tag (for a --results table). */
void	output_slurp(const struct jobout *, int, struct sbuf *);
/* --compress: turn the job's compressed files into plain ones by running
 * the decompress program; -1 if it failed. */
int	output_decompress(struct jobout *, const char *, const char *);
/* Forget what a job wrote (a failed try that will be retried). */
void	output_discard(struct jobout *);
void	output_end(void);

#endif
