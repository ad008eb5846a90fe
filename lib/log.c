/* log.c — reading an agent's log in bounded memory: lines forward in blocks,
 * the last n lines by reading backwards, following, and /proc liveness. */
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "log.h"
#include "log_int.h"

struct agent_log {
	int fd;
	int own_fd;       /* 0 for standard input: never closed here */
	int seekable;
	char *path;
	off_t size;
	double mtime;
	off_t pipe_pos;   /* bytes already consumed from a pipe */
	int pipe_eof;
};

static void
set_stat(struct agent_log *l, const struct stat *st)
{
	l->size = st->st_size;
	l->mtime = (double)st->st_mtim.tv_sec + st->st_mtim.tv_nsec / 1e9;
}

struct agent_log *
agent_log_open(const char *path)
{
	struct agent_log *l;
	struct stat st;
	int stdin_ = path == NULL || strcmp(path, "-") == 0;
	int e;

	if ((l = calloc(1, sizeof *l)) == NULL)
		return NULL;
	if ((l->path = strdup(stdin_ ? "-" : path)) == NULL)
		goto fail;
	if (stdin_) {
		l->fd = STDIN_FILENO;
	} else {
		if ((l->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
			goto fail;
		l->own_fd = 1;
	}
	if (fstat(l->fd, &st) < 0)
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	l->seekable = S_ISREG(st.st_mode);
	if (l->seekable) {
		set_stat(l, &st);
	} else {
		l->size = -1;
		l->mtime = -1;
	}
	return l;
fail:
	e = errno;
	agent_log_free(l);
	errno = e;
	return NULL;
}

void
agent_log_free(struct agent_log *l)
{
	if (l == NULL)
		return;
	if (l->own_fd)
		close(l->fd);
	free(l->path);
	free(l);
}

int
agent_log_seekable(const struct agent_log *l)
{
	return l->seekable;
}

const char *
agent_log_path(const struct agent_log *l)
{
	return l->path;
}

off_t
agent_log_size(const struct agent_log *l)
{
	return l->size;
}

double
agent_log_mtime(const struct agent_log *l)
{
	return l->mtime;
}

int
agent_log_refresh(struct agent_log *l)
{
	struct stat st;

	if (!l->seekable)
		return 0;
	if (fstat(l->fd, &st) < 0)
		return -1;
	set_stat(l, &st);
	return 0;
}

int
agent_log_reopen(struct agent_log *l)
{
	struct stat now, st;
	int fd;

	if (!l->seekable || !l->own_fd)
		return 0;
	if (stat(l->path, &st) < 0)
		return errno == ENOENT ? 0 : -1;   /* gone: what is open stays */
	if (fstat(l->fd, &now) < 0)
		return -1;
	if (st.st_dev == now.st_dev && st.st_ino == now.st_ino)
		return 0;
	if (!S_ISREG(st.st_mode))
		return 0;
	if ((fd = open(l->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	close(l->fd);
	l->fd = fd;
	set_stat(l, &st);
	return 1;
}

ssize_t
agent_log_read_at(struct agent_log *l, void *buf, size_t len, off_t off)
{
	ssize_t n;

	if (!l->seekable) {
		errno = ESPIPE;
		return -1;
	}
	do
		n = pread(l->fd, buf, len, off);
	while (n < 0 && errno == EINTR);
	return n;
}

/* The next block of the stream at pos: pread for a file, read for a pipe
 * (where a signal surfaces as EINTR so a tool can stop). */
static ssize_t
read_block(struct agent_log *l, char *buf, size_t len, off_t pos)
{
	ssize_t n;

	if (l->seekable)
		return agent_log_read_at(l, buf, len, pos);
	if (l->pipe_eof)
		return 0;
	n = read(l->fd, buf, len);
	if (n == 0)
		l->pipe_eof = 1;
	else if (n > 0)
		l->pipe_pos += n;
	return n;
}

/* Hands one line to fn: strips the '\r' of a CRLF ending, cuts at maxline,
 * NUL-terminates (line has room for one byte past min(len, maxline)). */
static int
hand_over(char *line, size_t len, int cr, off_t off, size_t maxline,
    agent_line_fn fn, void *arg)
{
	int trunc;

	if (cr && len > 0)
		len--;
	trunc = len > maxline;
	if (trunc)
		len = maxline;
	line[len] = '\0';
	return fn(line, len, off, trunc, arg);
}

int
agent_log_lines(struct agent_log *l, off_t from, off_t to, size_t maxline,
    int flags, agent_line_fn fn, void *arg, off_t *next)
{
	char *blk = NULL, *acc = NULL;
	size_t acclen = 0;   /* bytes of the current line kept in acc */
	size_t total = 0;    /* bytes of the current line seen so far */
	char last = 0;       /* its last byte, for the CRLF check */
	off_t pos, lineoff, done;
	ssize_t n;
	int rc = 0;

	if (from < 0 || maxline == 0 || maxline > SIZE_MAX - 2 ||
	    (!l->seekable && (from != 0 || to >= 0))) {
		errno = EINVAL;
		return -1;
	}
	pos = l->seekable ? from : l->pipe_pos;
	lineoff = done = pos;
	if (next)
		*next = done;
	/* acc keeps maxline + 1 bytes so a line of exactly maxline bytes plus
	 * '\r' is known not to be truncated, and one more for the NUL */
	if ((blk = malloc(AGENT__LOG_BLOCK)) == NULL ||
	    (acc = malloc(maxline + 2)) == NULL) {
		rc = -1;
		goto out;
	}
	/* a whole-log pass: ask for bigger readahead; only advice, so its
	 * failure does not matter */
	if (l->seekable)
		(void)posix_fadvise(l->fd, from, 0, POSIX_FADV_SEQUENTIAL);
	for (;;) {
		size_t p = 0, seg;
		char *nl;

		if (to >= 0 && total == 0 && lineoff >= to)
			break;
		n = read_block(l, blk, AGENT__LOG_BLOCK, pos);
		if (n < 0) {
			rc = -1;
			goto out;
		}
		if (n == 0) {
			if (total > 0 && (flags & AGENT_LOG_PARTIAL))
				rc = hand_over(acc, total, last == '\r', lineoff,
				    maxline, fn, arg);
			break;
		}
		while ((size_t)n > p) {
			if (to >= 0 && total == 0 && lineoff >= to)
				break;
			nl = memchr(blk + p, '\n', n - p);
			seg = nl ? (size_t)(nl - (blk + p)) : n - p;
			if (seg > 0)
				last = blk[p + seg - 1];
			if (nl && total == 0) {
				/* whole line inside the block: no copy */
				rc = hand_over(blk + p, seg, last == '\r', lineoff,
				    maxline, fn, arg);
			} else {
				size_t room = maxline + 1 - acclen;
				size_t c = seg < room ? seg : room;

				memcpy(acc + acclen, blk + p, c);
				acclen += c;
				total += seg;
				if (nl)
					rc = hand_over(acc, total, last == '\r', lineoff,
					    maxline, fn, arg);
			}
			if (!nl)
				break;
			lineoff = done = pos + (off_t)(p + seg + 1);
			if (next)
				*next = done;
			total = acclen = 0;
			last = 0;
			p += seg + 1;
			if (rc)
				goto out;
		}
		pos += n;
		/* a line of a pipe not iterated further is lost; keep the
		 * stream position honest for a second call all the same */
	}
out:
	free(blk);   /* free() keeps errno (POSIX.1-2024; glibc since 2.33) */
	free(acc);
	return rc;
}

off_t
agent_log_tail_offset(struct agent_log *l, size_t n, off_t maxbytes)
{
	char *blk;
	off_t size = l->size, lower, lo, end, first = -1;
	size_t count = 0;
	int e;

	if (!l->seekable) {
		errno = ESPIPE;
		return -1;
	}
	if (maxbytes < 0) {
		errno = EINVAL;
		return -1;
	}
	if (n == 0 || size == 0)
		return size;
	lower = maxbytes > 0 && maxbytes < size ? size - maxbytes : 0;
	/* A '\n' at p starts a line at p + 1; the one ending the file (at
	 * size - 1) starts none.  Looking at lower - 1 tells whether a line
	 * starts exactly at the window's edge. */
	lo = lower > 0 ? lower - 1 : 0;
	end = size - 1;
	if ((blk = malloc(AGENT__LOG_BLOCK)) == NULL)
		return -1;
	while (end > lo) {
		off_t start = end - lo > AGENT__LOG_BLOCK ? end - AGENT__LOG_BLOCK : lo;
		size_t len = (size_t)(end - start), got = 0;
		char *q;

		while (got < len) {
			ssize_t r = agent_log_read_at(l, blk + got, len - got, start + got);
			if (r < 0)
				goto fail;
			if (r == 0)
				break;  /* shrank under us: count what is there */
			got += (size_t)r;
		}
		for (q = blk + got; q > blk && (q = memrchr(blk, '\n', q - blk)) != NULL; ) {
			first = start + (q - blk);
			if (++count == n) {
				free(blk);
				return first + 1;
			}
		}
		end = start;
	}
	free(blk);
	if (lower == 0)
		return 0;
	return first >= 0 ? first + 1 : size;
fail:
	e = errno;
	free(blk);
	errno = e;
	return -1;
}

/* Following */

struct agent_follow {
	char *path;
	char *dir;         /* watched too: a replacement appears there */
	int ifd;           /* inotify, or -1 when polling */
	int wfile;
	int hold;          /* the file we watch, kept open so that its inode
	                    * number cannot be reused by a replacement */
	dev_t dev;
	ino_t ino;
};

static const uint32_t file_mask = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE |
    IN_MOVE_SELF | IN_DELETE_SELF;

struct agent_follow *
agent_follow_open(const char *path)
{
	struct agent_follow *f;
	struct stat st;
	char *slash;
	int e;

	if ((f = calloc(1, sizeof *f)) == NULL)
		return NULL;
	f->ifd = -1;
	if ((f->hold = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0 ||
	    fstat(f->hold, &st) < 0)
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	if ((f->path = strdup(path)) == NULL || (f->dir = strdup(path)) == NULL)
		goto fail;
	if ((slash = strrchr(f->dir, '/')) == NULL) {
		strcpy(f->dir, ".");
	} else {
		if (slash == f->dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	/* Without inotify (not built in, out of watches) polling still works */
	f->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (f->ifd >= 0) {
		f->wfile = inotify_add_watch(f->ifd, path, file_mask);
		if (f->wfile < 0 ||
		    inotify_add_watch(f->ifd, f->dir, IN_CREATE | IN_MOVED_TO) < 0) {
			close(f->ifd);
			f->ifd = -1;
		}
	}
	return f;
fail:
	e = errno;
	agent_follow_free(f);
	errno = e;
	return NULL;
}

void
agent_follow_free(struct agent_follow *f)
{
	if (f == NULL)
		return;
	if (f->ifd >= 0)
		close(f->ifd);
	if (f->hold >= 0)
		close(f->hold);
	free(f->path);
	free(f->dir);
	free(f);
}

int
agent_follow_fd(const struct agent_follow *f)
{
	return f->ifd;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 grew, 2 truncated or replaced, 0 unchanged.  A file that is gone is
 * unchanged until something appears under its name. */
static int
check(struct agent_follow *f, off_t known)
{
	struct stat st;

	if (stat(f->path, &st) < 0)
		return 0;
	if (st.st_dev != f->dev || st.st_ino != f->ino) {
		int h = open(f->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		struct stat hs;

		/* hold the new file; if it was replaced again meanwhile, the
		 * next look notices */
		if (h >= 0 && fstat(h, &hs) == 0) {
			close(f->hold);
			f->hold = h;
			st = hs;
		} else if (h >= 0) {
			close(h);
		}
		f->dev = st.st_dev;
		f->ino = st.st_ino;
		if (f->ifd >= 0) {
			/* the old inode's watch goes away with it (IN_IGNORED),
			 * or stays harmlessly on a file renamed aside */
			int w = inotify_add_watch(f->ifd, f->path, file_mask);
			if (w >= 0)
				f->wfile = w;
		}
		return 2;
	}
	if (st.st_size < known)
		return 2;
	if (st.st_size > known)
		return 1;
	return 0;
}

/* Reads the queued inotify events; they only say "look again". */
static void
drain(int fd)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	while (read(fd, buf, sizeof buf) > 0)
		;
}

int
agent_follow_wait(struct agent_follow *f, off_t known_size, int timeout_ms)
{
	long long deadline = timeout_ms >= 0 ? now_ms() + timeout_ms : -1;

	for (;;) {
		int r = check(f, known_size), wait_ms;

		if (r)
			return r;
		wait_ms = f->ifd >= 0 ? AGENT__FOLLOW_RESTAT_MS : AGENT__FOLLOW_POLL_MS;
		if (deadline >= 0) {
			long long left = deadline - now_ms();
			if (left <= 0)
				return 0;
			if (left < wait_ms)
				wait_ms = (int)left;
		}
		if (f->ifd >= 0) {
			struct pollfd pfd = { .fd = f->ifd, .events = POLLIN };
			r = poll(&pfd, 1, wait_ms);
		} else {
			r = poll(NULL, 0, wait_ms);
		}
		if (r < 0)
			return -1;   /* EINTR included: the caller stops on signals */
		if (r > 0)
			drain(f->ifd);
	}
}

/* /proc */

static int
all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* Whether the descriptor fd of process pid is open for writing, from the
 * octal "flags:" line of its fdinfo. */
static int
fd_writes(int procfd, const char *pid, const char *fd)
{
	char path[64], buf[512], *s;
	ssize_t n;
	int f;
	unsigned long flags;

	if (snprintf(path, sizeof path, "%s/fdinfo/%s", pid, fd) >= (int)sizeof path)
		return 0;
	if ((f = openat(procfd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(f, buf, sizeof buf - 1);
	close(f);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if ((s = strstr(buf, "flags:")) == NULL)
		return 0;
	flags = strtoul(s + 6, NULL, 8);
	return (flags & O_ACCMODE) == O_WRONLY || (flags & O_ACCMODE) == O_RDWR;
}

/* Whether nobody has path open for writing, asked of the kernel in O(1): a
 * read lease is granted only then.  0 means "maybe": leases need the file's
 * owner (or CAP_LEASE) and a file system that has them, and a writer of our
 * own counts too; the caller scans /proc then. */
static int
surely_unwritten(const char *path)
{
	int fd, r = 0;

	/* O_NONBLOCK: someone's write lease must not make us wait */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) < 0)
		return 0;
	/* a writer opening the file in the microseconds we hold the lease
	 * breaks it and signals us: with SIGURG, ignored by default, rather
	 * than SIGIO, which would terminate the caller */
	if (fcntl(fd, F_SETSIG, SIGURG) == 0 && fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
		r = 1;
		(void)fcntl(fd, F_SETLEASE, F_UNLCK);
	}
	close(fd);
	return r;
}

int
agent_log_writers(const char *path, pid_t *pids, int max)
{
	struct stat target;
	struct dirent *pe;
	DIR *proc;
	pid_t self = getpid();
	int count = 0;

	if (stat(path, &target) < 0)
		return -1;
	if (S_ISREG(target.st_mode) && surely_unwritten(path))
		return 0;
	if ((proc = opendir("/proc")) == NULL)
		return -1;
	while ((pe = readdir(proc)) != NULL) {
		char fdpath[64];
		struct dirent *fe;
		DIR *fds;
		int dfd;

		if (!all_digits(pe->d_name) || atol(pe->d_name) == (long)self)
			continue;
		if (snprintf(fdpath, sizeof fdpath, "%s/fd", pe->d_name) >= (int)sizeof fdpath)
			continue;
		/* other users' processes (EACCES) and ones that just exited */
		if ((dfd = openat(dirfd(proc), fdpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			continue;
		if ((fds = fdopendir(dfd)) == NULL) {
			close(dfd);
			continue;
		}
		while ((fe = readdir(fds)) != NULL) {
			struct stat st;

			if (!all_digits(fe->d_name))
				continue;
			if (fstatat(dirfd(fds), fe->d_name, &st, 0) < 0)
				continue;
			if (st.st_dev != target.st_dev || st.st_ino != target.st_ino)
				continue;
			if (!fd_writes(dirfd(proc), pe->d_name, fe->d_name))
				continue;
			if (count < max && pids)
				pids[count] = (pid_t)atol(pe->d_name);
			count++;
			break;  /* one entry per process */
		}
		closedir(fds);
	}
	closedir(proc);
	return count;
}
