/*
 * sshlogin.h: the hosts jobs run on (-S, --slf).  Each sshlogin has its own
 * job slots; a job takes a slot on the host with the most free ones.  ":"
 * is the local machine.
 */
#ifndef FANOUT_SSHLOGIN_H
#define FANOUT_SSHLOGIN_H

struct opts;

struct sshlogin {
	char	*string;	/* as shown in {sshlogin} and the joblog */
	char	*host;		/* the host name, ":" for the local machine */
	char	*user;		/* or NULL */
	char	*port;		/* or NULL */
	char	*sshcmd;	/* the ssh command with its options */
	int	 local;
	int	 ncpus;		/* given as N/, detected, or 0 */
	int	 slots;		/* job slots; 0 takes no new jobs */
	int	 running;
	int	 fails;		/* ssh failures in a row */
	double	 down_until;	/* taken out until then (monotonic s) */
	char	**groups;	/* host groups (@g1+g2/), and its own name */
	int	 ngroups;
};

/* Read -S and --slf; 0 when neither is given (jobs run locally as
 * always).  Bad sshlogins and missing files are fatal. */
int		 sshlogin_init(const struct opts *);
/* Only read the sshlogins (with -M sockets when asked), as --onall
 * needs them; 0 when there are none. */
int		 sshlogin_read(const struct opts *, int);
/* Job slots over all hosts. */
int		 sshlogin_slots(void);
/* The host for the next job: the most free slots, avoiding the one
 * given (where the job failed) if another has room; NULL if none has.
 * *wake is set to when a host taken out comes back, or 0. */
struct sshlogin	*sshlogin_pick(const struct sshlogin *, double *);
/* A job on the host ended; ssh itself failed (255) if lost. */
void		 sshlogin_release(struct sshlogin *, int, int);
/* --slf: read the files again if they changed; 1 if hosts changed. */
int		 sshlogin_reread(void);
int		 sshlogin_count(void);
struct sshlogin	*sshlogin_nth(int);
/* Whether any sshlogin is remote. */
int		 sshlogin_any_remote(void);
/* Parse one sshlogin; 0 if it cannot be parsed, 2 if it is only host
 * groups (-S @group: use only the hosts in them). */
int		 sshlogin_parse(const char *, const char *, struct sshlogin *);
/* --hostgroups: as sshlogin_pick, among the hosts in one of the n groups
 * (any host when groups is NULL). */
struct sshlogin	*sshlogin_pick_in(char *const *, int, const struct sshlogin *,
		    double *);
/* Whether some host is in the group. */
int		 sshlogin_group_known(const char *);
/* --hostgroups: add a host named by an argument's unknown group. */
void		 sshlogin_add(const char *);
/* Every host group, '+'-joined, for the jobs of arguments without one. */
const char	*sshlogin_all_groups(void);

#endif
