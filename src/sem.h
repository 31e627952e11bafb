/*
 * sem.h: semaphore mode (sem, --semaphore): a counting semaphore shared by
 * unrelated processes through hard links in a directory, as GNU parallel
 * keeps it, so fanout's sem and GNU's sem interoperate.
 */
#ifndef FANOUT_SEM_H
#define FANOUT_SEM_H

struct opts;

/* Take a slot (waiting as long as it takes, or --st), then, without
 * --fg, go on in the background: the caller gets 0 at once. */
void	sem_acquire(const struct opts *, int);
/* Give the slot back. */
void	sem_release(void);

#endif
