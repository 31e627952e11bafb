/*
 * slowfs: a FUSE passthrough that makes every file operation wait, the way
 * a network filesystem waits on a round trip to its server.  It mounts a
 * directory of the local disk at another place and forwards each call to
 * it unchanged, after sleeping for the configured delay.  The transfer
 * study uses it to show on one machine what NFS or EFS show over the
 * network: a copy that issues one operation at a time is bound by the
 * latency, and only many concurrent streams reach the bandwidth.
 *
 * The mount is multi-threaded (libfuse starts a thread per concurrent
 * request), so concurrent callers wait concurrently, as they would on a
 * network filesystem.  Operations run with the daemon's credentials; run
 * it as the user who owns the backing directory.
 *
 * Usage: slowfs [-o delay=MS] [FUSE options] BACKING MOUNTPOINT
 *        fusermount3 -u MOUNTPOINT    (or umount as root) to unmount
 *
 * Build: cc -O2 slowfs.c $(pkg-config --cflags --libs fuse3) -o slowfs
 */

#define FUSE_USE_VERSION 31
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

struct slowfs_conf {
	char		*backing;
	double		 delay_ms;
};

static struct slowfs_conf conf = { NULL, 2.0 };
static int backing_fd = -1;

static const struct fuse_opt slowfs_opts[] = {
	{ "delay=%lf", offsetof(struct slowfs_conf, delay_ms), 0 },
	FUSE_OPT_END
};

/* Wait as a network round trip would, before the call goes through. */
static void
slowfs_wait(void)
{
	struct timespec	ts;
	double		ns = conf.delay_ms * 1e6;

	if (ns <= 0)
		return;
	ts.tv_sec = (time_t)(ns / 1e9);
	ts.tv_nsec = (long)(ns - (double)ts.tv_sec * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* With the writeback cache the kernel may read a file opened only for
 * writing (to fill a partly written page) and keeps the file offset
 * itself, so write-only becomes read-write and O_APPEND is dropped. */
static int
slowfs_flags(int flags)
{
	if ((flags & O_ACCMODE) == O_WRONLY)
		flags = (flags & ~O_ACCMODE) | O_RDWR;
	return (flags & ~O_APPEND) | O_NOFOLLOW;
}

/* The path FUSE gives ("/a/b") relative to the backing directory. */
static const char *
slowfs_rel(const char *path)
{
	while (*path == '/')
		path++;
	return *path == '\0' ? "." : path;
}

static void *
slowfs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	/* Cache names and attributes for a second, as an NFS client does
	 * (its attribute cache holds them for 3 to 60 seconds): without it
	 * the kernel asks again before every write, which no network
	 * filesystem client does.  Missing names are not cached, so a file
	 * made by one process is seen at once by the others. */
	cfg->use_ino = 1;
	cfg->entry_timeout = 1.0;
	cfg->attr_timeout = 1.0;
	cfg->negative_timeout = 0;
	/* Gather small writes in the page cache and send them on in large
	 * ones, as an NFS client does: a program that writes 512 bytes at a
	 * time must not pay a round trip for each. */
	if (conn->capable & FUSE_CAP_WRITEBACK_CACHE)
		conn->want |= FUSE_CAP_WRITEBACK_CACHE;
	return NULL;
}

static int
slowfs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	int	r;

	slowfs_wait();
	if (fi != NULL)
		r = fstat((int)fi->fh, st);
	else
		r = fstatat(backing_fd, slowfs_rel(path), st, AT_SYMLINK_NOFOLLOW);
	return r == -1 ? -errno : 0;
}

static int
slowfs_access(const char *path, int mask)
{
	slowfs_wait();
	return faccessat(backing_fd, slowfs_rel(path), mask, 0) == -1 ? -errno : 0;
}

static int
slowfs_readlink(const char *path, char *buf, size_t size)
{
	ssize_t	n;

	slowfs_wait();
	n = readlinkat(backing_fd, slowfs_rel(path), buf, size - 1);
	if (n == -1)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static int
slowfs_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
    struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	DIR		*dir;
	struct dirent	*de;
	struct stat	 st;
	int		 fd;

	slowfs_wait();
	fd = openat(backing_fd, slowfs_rel(path), O_RDONLY | O_DIRECTORY);
	if (fd == -1)
		return -errno;
	if ((dir = fdopendir(fd)) == NULL) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(dir)) != NULL) {
		memset(&st, 0, sizeof st);
		st.st_ino = de->d_ino;
		st.st_mode = (mode_t)de->d_type << 12;
		if (fill(buf, de->d_name, &st, 0, 0) != 0)
			break;
	}
	closedir(dir);
	return 0;
}

static int
slowfs_mknod(const char *path, mode_t mode, dev_t rdev)
{
	int	r;

	slowfs_wait();
	if (S_ISFIFO(mode))
		r = mkfifoat(backing_fd, slowfs_rel(path), mode);
	else
		r = mknodat(backing_fd, slowfs_rel(path), mode, rdev);
	return r == -1 ? -errno : 0;
}

static int
slowfs_mkdir(const char *path, mode_t mode)
{
	slowfs_wait();
	return mkdirat(backing_fd, slowfs_rel(path), mode) == -1 ? -errno : 0;
}

static int
slowfs_unlink(const char *path)
{
	slowfs_wait();
	return unlinkat(backing_fd, slowfs_rel(path), 0) == -1 ? -errno : 0;
}

static int
slowfs_rmdir(const char *path)
{
	slowfs_wait();
	return unlinkat(backing_fd, slowfs_rel(path), AT_REMOVEDIR) == -1 ?
	    -errno : 0;
}

static int
slowfs_symlink(const char *target, const char *path)
{
	slowfs_wait();
	return symlinkat(target, backing_fd, slowfs_rel(path)) == -1 ?
	    -errno : 0;
}

static int
slowfs_rename(const char *from, const char *to, unsigned int flags)
{
	slowfs_wait();
	return renameat2(backing_fd, slowfs_rel(from), backing_fd,
	    slowfs_rel(to), flags) == -1 ? -errno : 0;
}

static int
slowfs_link(const char *from, const char *to)
{
	slowfs_wait();
	return linkat(backing_fd, slowfs_rel(from), backing_fd,
	    slowfs_rel(to), 0) == -1 ? -errno : 0;
}

static int
slowfs_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	int	r;

	slowfs_wait();
	if (fi != NULL)
		r = fchmod((int)fi->fh, mode);
	else
		r = fchmodat(backing_fd, slowfs_rel(path), mode, 0);
	return r == -1 ? -errno : 0;
}

static int
slowfs_chown(const char *path, uid_t uid, gid_t gid,
    struct fuse_file_info *fi)
{
	int	r;

	slowfs_wait();
	if (fi != NULL)
		r = fchown((int)fi->fh, uid, gid);
	else
		r = fchownat(backing_fd, slowfs_rel(path), uid, gid,
		    AT_SYMLINK_NOFOLLOW);
	return r == -1 ? -errno : 0;
}

static int
slowfs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	int	fd, r;

	slowfs_wait();
	if (fi != NULL)
		return ftruncate((int)fi->fh, size) == -1 ? -errno : 0;
	fd = openat(backing_fd, slowfs_rel(path), O_WRONLY);
	if (fd == -1)
		return -errno;
	r = ftruncate(fd, size) == -1 ? -errno : 0;
	close(fd);
	return r;
}

static int
slowfs_utimens(const char *path, const struct timespec tv[2],
    struct fuse_file_info *fi)
{
	int	r;

	slowfs_wait();
	if (fi != NULL)
		r = futimens((int)fi->fh, tv);
	else
		r = utimensat(backing_fd, slowfs_rel(path), tv,
		    AT_SYMLINK_NOFOLLOW);
	return r == -1 ? -errno : 0;
}

static int
slowfs_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	int	fd;

	slowfs_wait();
	fd = openat(backing_fd, slowfs_rel(path), slowfs_flags(fi->flags),
	    mode);
	if (fd == -1)
		return -errno;
	fi->fh = (uint64_t)fd;
	return 0;
}

static int
slowfs_open(const char *path, struct fuse_file_info *fi)
{
	int	fd;

	slowfs_wait();
	fd = openat(backing_fd, slowfs_rel(path), slowfs_flags(fi->flags));
	if (fd == -1)
		return -errno;
	fi->fh = (uint64_t)fd;
	return 0;
}

static int
slowfs_read(const char *path, char *buf, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	ssize_t	n;

	slowfs_wait();
	n = pread((int)fi->fh, buf, size, off);
	return n == -1 ? -errno : (int)n;
}

static int
slowfs_write(const char *path, const char *buf, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	ssize_t	n;

	slowfs_wait();
	n = pwrite((int)fi->fh, buf, size, off);
	return n == -1 ? -errno : (int)n;
}

static int
slowfs_statfs(const char *path, struct statvfs *sv)
{
	slowfs_wait();
	return fstatvfs(backing_fd, sv) == -1 ? -errno : 0;
}

static int
slowfs_release(const char *path, struct fuse_file_info *fi)
{
	close((int)fi->fh);
	return 0;
}

static int
slowfs_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	int	r;

	slowfs_wait();
	r = datasync ? fdatasync((int)fi->fh) : fsync((int)fi->fh);
	return r == -1 ? -errno : 0;
}

static const struct fuse_operations slowfs_ops = {
	.init = slowfs_init,
	.getattr = slowfs_getattr,
	.access = slowfs_access,
	.readlink = slowfs_readlink,
	.readdir = slowfs_readdir,
	.mknod = slowfs_mknod,
	.mkdir = slowfs_mkdir,
	.unlink = slowfs_unlink,
	.rmdir = slowfs_rmdir,
	.symlink = slowfs_symlink,
	.rename = slowfs_rename,
	.link = slowfs_link,
	.chmod = slowfs_chmod,
	.chown = slowfs_chown,
	.truncate = slowfs_truncate,
	.utimens = slowfs_utimens,
	.create = slowfs_create,
	.open = slowfs_open,
	.read = slowfs_read,
	.write = slowfs_write,
	.statfs = slowfs_statfs,
	.release = slowfs_release,
	.fsync = slowfs_fsync,
};

/* The first non-option argument is the backing directory; the second, the
 * mount point, goes on to libfuse. */
static int
slowfs_arg(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	if (key == FUSE_OPT_KEY_NONOPT && conf.backing == NULL) {
		conf.backing = realpath(arg, NULL);
		if (conf.backing == NULL) {
			fprintf(stderr, "slowfs: %s: %s\n", arg, strerror(errno));
			exit(1);
		}
		return 0;
	}
	return 1;
}

int
main(int argc, char *argv[])
{
	struct fuse_args	args = FUSE_ARGS_INIT(argc, argv);

	if (fuse_opt_parse(&args, &conf, slowfs_opts, slowfs_arg) == -1)
		return 1;
	if (conf.backing == NULL) {
		fprintf(stderr, "usage: slowfs [-o delay=MS] [FUSE options] "
		    "BACKING MOUNTPOINT\n");
		return 1;
	}
	if (conf.delay_ms < 0 || conf.delay_ms > 60000) {
		fprintf(stderr, "slowfs: delay=%g: must be 0 to 60000 ms\n",
		    conf.delay_ms);
		return 1;
	}
	backing_fd = open(conf.backing, O_RDONLY | O_DIRECTORY);
	if (backing_fd == -1) {
		fprintf(stderr, "slowfs: %s: %s\n", conf.backing,
		    strerror(errno));
		return 1;
	}
	/* Modes and owners are the backing files' own; let the kernel check
	 * them as it would on the backing filesystem. */
	fuse_opt_add_arg(&args, "-odefault_permissions");
	umask(0);
	return fuse_main(args.argc, args.argv, &slowfs_ops, NULL);
}
