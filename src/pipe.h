/*
 * pipe.h: the data plane of --pipe and --pipepart.  Input is cut into
 * chunks at record borders exactly where GNU parallel cuts it; each chunk
 * becomes one job's standard input, written by a feeder thread so that
 * children are fed concurrently and the control plane never blocks.
 */
#ifndef FANOUT_PIPE_H
#define FANOUT_PIPE_H

#include <pthread.h>
#include <sys/types.h>

struct opts;
struct chunk;

/* Check the pipe options and, for --pipepart, find every split position.
 * Runs before any job starts; bad input is fatal.  nslots is -j. */
void	pipe_setup(const struct opts *, int);
/* Start reading stdin (--pipe); the thread sends wakesig to main when a
 * chunk is ready or the input has ended. */
void	pipe_start(pthread_t, int);
/* The next chunk: 1 and *c set, 0 when none is ready yet, -1 at the end. */
int	pipe_next(struct chunk **);
/* With --round-robin, feeders take later chunks themselves once every job
 * slot has a job: say so. */
void	pipe_all_started(void);
/* --cat: write the chunk to the file at path (the chunk is freed). */
int	pipe_to_file(struct chunk *, const char *);
/* Feed the chunk to fd in a thread of its own, then close fd; with
 * --round-robin go on with later chunks until the input ends. */
void	pipe_feed(struct chunk *, int);
/* --fifo: open path for writing in the feeder thread, then as above. */
void	pipe_feed_fifo(struct chunk *, const char *);
void	pipe_chunk_free(struct chunk *);
/* A copy of a chunk, to feed it again (--retries). */
struct chunk *pipe_chunk_dup(const struct chunk *);
/* The bytes a chunk gives its job (the joblog's Send). */
long long pipe_chunk_size(const struct chunk *);
/* --tee, --shard, --bin: every job is started first, each with its pipe
 * attached; then one thread feeds them all. */
int	pipe_fanout(void);
void	pipe_attach(int);
void	pipe_attach_done(void);

#endif
