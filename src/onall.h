/*
 * onall.h: --onall and --nonall, which run the command on every sshlogin
 * by running fanout once per host, as GNU parallel does.
 */
#ifndef FANOUT_ONALL_H
#define FANOUT_ONALL_H

struct opts;

/* Does this run stand for one run per host?  (A single host with
 * --nonall runs its one job here.) */
int	onall_wanted(const struct opts *);
/* Run fanout for each host; never returns. */
void	onall_run(const struct opts *) __attribute__((noreturn));

#endif
