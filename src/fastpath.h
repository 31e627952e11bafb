/*
 * fastpath.h: which kernel shortcuts fanout may take, and when one that
 * was refused means "use the plain way" rather than a real error.
 */
#ifndef FANOUT_FASTPATH_H
#define FANOUT_FASTPATH_H

enum fastpath {
	FP_SPLICE,	/* splice(2) from a file into a job's pipe */
	FP_SENDFILE,	/* sendfile(2) of held output */
	FP_PIPESZ,	/* F_SETPIPE_SZ on pipes */
	FP_TMPFILE,	/* O_TMPFILE for held output */
	FP_COUNT
};

/* True unless $FANOUT_NO_FASTPATH names the shortcut (or says "all"). */
int	fastpath_on(enum fastpath);
/* True when errno from a shortcut means the kernel or the file system
 * does not offer it here, so the plain way must be taken instead. */
int	fastpath_refused(int);

#endif
