/*
 * fastpath.c: the switches for fanout's kernel shortcuts.
 *
 * splice, sendfile, O_TMPFILE and F_SETPIPE_SZ save copies and system
 * calls, but old kernels, FUSE and procfs files, and some file systems
 * refuse them.  Every caller keeps a plain read/write (or mkostemp) way
 * and takes it when the shortcut is refused.  $FANOUT_NO_FASTPATH, a comma
 * separated list of splice, sendfile, pipesz, tmpfile (or all), forces the
 * plain way, so that it can be tested on a kernel that never refuses.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fastpath.h"

static const char *names[FP_COUNT] = {
	"splice", "sendfile", "pipesz", "tmpfile"
};
static int		off[FP_COUNT];
static pthread_once_t	once = PTHREAD_ONCE_INIT;

/* Whether the list names the word, as a whole item. */
static int
list_has(const char *list, const char *word)
{
	size_t n = strlen(word), len;
	const char *p = list;

	while (*p != '\0') {
		len = strcspn(p, ",");
		if ((len == n && strncmp(p, word, n) == 0) ||
		    (len == 3 && strncmp(p, "all", 3) == 0))
			return 1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* Read the variable once: feeder threads ask too, and the answer must
 * not change during a run. */
static void
fastpath_init(void)
{
	const char *e = getenv("FANOUT_NO_FASTPATH");
	int i;

	for (i = 0; i < FP_COUNT; i++)
		off[i] = e != NULL && list_has(e, names[i]);
}

int
fastpath_on(enum fastpath fp)
{
	pthread_once(&once, fastpath_init);
	return !off[fp];
}

int
fastpath_refused(int err)
{
	switch (err) {
	case ENOSYS:
	case EINVAL:
	case EXDEV:
	case EPERM:
	case EOPNOTSUPP:
#if defined(ENOTSUP) && ENOTSUP != EOPNOTSUPP
	case ENOTSUP:
#endif
	case EISDIR:
		return 1;
	}
	return 0;
}
