/* check_log.c — the log reader: lines forward and from the end in bounded
 * memory (checked against a naive splitter), pipes, following, /proc. */
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check_main.h"
#include "log.h"
#include "log_int.h"

#define BLK AGENT__LOG_BLOCK

/* A temporary directory per test (Check forks each test). */
static char tmpdir[64];

static void
setup(void)
{
	strcpy(tmpdir, "/tmp/check_log.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static int
rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st; (void)type; (void)ftw;
	return remove(path);
}

static void
teardown(void)
{
	if (nftw(tmpdir, rm_one, 8, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
}

static char *
tpath(const char *name)
{
	static char buf[2][128];
	static int i;

	i = !i;
	snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, name);
	return buf[i];
}

static void
write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		ck_assert_int_gt(n, 0);
		data += n;
		len -= (size_t)n;
	}
	ck_assert_int_eq(close(fd), 0);
}

static void
append_file(const char *path, const char *data)
{
	int fd = open(path, O_WRONLY | O_APPEND);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, strlen(data)), (ssize_t)strlen(data));
	ck_assert_int_eq(close(fd), 0);
}

/* Lines as handed over. */
struct line {
	char *s;
	size_t len;
	off_t off;
	int trunc;
};
struct lines {
	struct line *v;
	size_t n, cap;
	size_t stop_after;  /* non-zero: return 7 after this many */
};

static int
collect(const char *s, size_t len, off_t off, int trunc, void *arg)
{
	struct lines *ls = arg;

	ck_assert_int_eq(s[len], '\0');
	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 16;
		ls->v = realloc(ls->v, ls->cap * sizeof *ls->v);
		ck_assert_ptr_nonnull(ls->v);
	}
	ls->v[ls->n].s = malloc(len + 1);
	ck_assert_ptr_nonnull(ls->v[ls->n].s);
	memcpy(ls->v[ls->n].s, s, len + 1);
	ls->v[ls->n].len = len;
	ls->v[ls->n].off = off;
	ls->v[ls->n].trunc = trunc;
	ls->n++;
	return ls->stop_after && ls->n == ls->stop_after ? 7 : 0;
}

static void
lines_free(struct lines *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		free(ls->v[i].s);
	free(ls->v);
	memset(ls, 0, sizeof *ls);
}

/* What agent_log_lines should give for data, worked out the obvious way. */
static void
naive_lines(const char *d, size_t size, size_t maxline, int partial,
    struct lines *ls, off_t *next)
{
	size_t start = 0, i;

	*next = 0;
	for (i = 0; i <= size; i++) {
		int nl = i < size && d[i] == '\n';
		if (!nl && !(i == size && partial && i > start))
			continue;
		size_t len = i - start;
		if (len > 0 && d[i - 1] == '\r')
			len--;
		int trunc = len > maxline;
		if (trunc)
			len = maxline;
		char *copy = malloc(len + 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, d + start, len);
		copy[len] = '\0';
		collect(copy, len, (off_t)start, trunc, ls);
		free(copy);
		if (nl)
			*next = (off_t)(i + 1);
		start = i + 1;
	}
}

static off_t
naive_tail(const char *d, size_t size, size_t n, off_t maxbytes)
{
	off_t lower = maxbytes > 0 && (size_t)maxbytes < size ? (off_t)size - maxbytes : 0;
	size_t count = 0, i;
	off_t *starts = malloc((size + 1) * sizeof *starts), r;

	ck_assert_ptr_nonnull(starts);
	if (size > 0)
		starts[count++] = 0;
	for (i = 0; i + 1 < size; i++)
		if (d[i] == '\n')
			starts[count++] = (off_t)i + 1;
	if (n == 0)
		r = (off_t)size;
	else
		r = n <= count ? starts[count - n] : 0;
	if (r < lower) {
		r = (off_t)size;
		for (i = 0; i < count; i++)
			if (starts[i] >= lower) {
				r = starts[i];
				break;
			}
	}
	free(starts);
	return r;
}

static void
lines_eq(const struct lines *got, const struct lines *want)
{
	ck_assert_uint_eq(got->n, want->n);
	for (size_t i = 0; i < got->n; i++) {
		ck_assert_uint_eq(got->v[i].len, want->v[i].len);
		ck_assert_int_eq(got->v[i].off, want->v[i].off);
		ck_assert_int_eq(got->v[i].trunc, want->v[i].trunc);
		ck_assert(memcmp(got->v[i].s, want->v[i].s, got->v[i].len) == 0);
	}
}

/* Every line, every maxline, every tail of data agrees with the naive
 * reading. */
static void
agrees(const char *d, size_t size)
{
	static const size_t maxlines[] = { 1, 3, 100, BLK - 1, BLK, BLK + 1, 4 * BLK };
	static const off_t windows[] = { 0, 1, 100, BLK - 1, BLK, BLK + 1, 3 * BLK };
	struct agent_log *l;
	const char *p = tpath("agree.log");
	size_t m, w, n;
	int partial;

	write_file(p, d, size);
	l = agent_log_open(p);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(agent_log_size(l), (off_t)size);
	for (m = 0; m < sizeof maxlines / sizeof *maxlines; m++)
		for (partial = 0; partial <= AGENT_LOG_PARTIAL; partial += AGENT_LOG_PARTIAL) {
			struct lines got = { 0 }, want = { 0 };
			off_t gnext = -1, wnext;

			ck_assert_int_eq(agent_log_lines(l, 0, -1, maxlines[m], partial,
			    collect, &got, &gnext), 0);
			naive_lines(d, size, maxlines[m], partial, &want, &wnext);
			lines_eq(&got, &want);
			ck_assert_int_eq(gnext, wnext);
			lines_free(&got);
			lines_free(&want);
		}
	for (w = 0; w < sizeof windows / sizeof *windows; w++) {
		size_t count = 0;
		for (size_t i = 0; i < size; i++)
			count += d[i] == '\n';
		/* every n for a few lines, a sample and the edges for many */
		size_t step = count < 64 ? 1 : count / 29;
		for (n = 0; n <= count + 2; n += n + 3 >= count ? 1 : step)
			ck_assert_int_eq(agent_log_tail_offset(l, n, windows[w]),
			    naive_tail(d, size, n, windows[w]));
	}
	agent_log_free(l);
}

/* Content made of lines of the given lengths (each followed by '\n' unless
 * it is the last and unterminated), filled with a byte pattern; cr puts a
 * '\r' at the end of every line. */
static char *
make_lines(const size_t *lens, size_t k, int cr, int terminated, size_t *size)
{
	size_t total = 0, i, j, o = 0;
	char *d;

	for (i = 0; i < k; i++)
		total += lens[i] + 1;
	d = malloc(total + 1);
	ck_assert_ptr_nonnull(d);
	for (i = 0; i < k; i++) {
		for (j = 0; j < lens[i]; j++)
			d[o++] = (char)('a' + (i + j) % 26);
		if (cr && lens[i] > 0)
			d[o - 1] = '\r';
		if (i + 1 < k || terminated)
			d[o++] = '\n';
	}
	*size = o;
	return d;
}

static struct agent_log *
open_data(const char *data, size_t len)
{
	struct agent_log *l;

	write_file(tpath("x.log"), data, len);
	l = agent_log_open(tpath("x.log"));
	ck_assert_ptr_nonnull(l);
	return l;
}

static void
read_all(struct agent_log *l, size_t maxline, int flags, struct lines *ls, off_t *next)
{
	ck_assert_int_eq(agent_log_lines(l, 0, -1, maxline, flags, collect, ls, next), 0);
}

START_TEST(empty_file_has_no_lines)
{
	struct agent_log *l = open_data("", 0);
	struct lines ls = { 0 };
	off_t next = -1;

	ck_assert_int_eq(agent_log_seekable(l), 1);
	ck_assert_int_eq(agent_log_size(l), 0);
	read_all(l, 100, AGENT_LOG_PARTIAL, &ls, &next);
	ck_assert_uint_eq(ls.n, 0);
	ck_assert_int_eq(next, 0);
	ck_assert_int_eq(agent_log_tail_offset(l, 10, 0), 0);
	agent_log_free(l);
	agrees("", 0);
}
END_TEST

START_TEST(unterminated_last_line_only_with_partial)
{
	struct agent_log *l = open_data("one\ntwo", 7);
	struct lines ls = { 0 };
	off_t next = -1;

	read_all(l, 100, 0, &ls, &next);
	ck_assert_uint_eq(ls.n, 1);
	ck_assert_str_eq(ls.v[0].s, "one");
	ck_assert_int_eq(next, 4);
	lines_free(&ls);
	read_all(l, 100, AGENT_LOG_PARTIAL, &ls, &next);
	ck_assert_uint_eq(ls.n, 2);
	ck_assert_str_eq(ls.v[1].s, "two");
	ck_assert_int_eq(ls.v[1].off, 4);
	ck_assert_int_eq(next, 4);   /* the partial line may still grow */
	lines_free(&ls);
	/* the unterminated line counts as the last line */
	ck_assert_int_eq(agent_log_tail_offset(l, 1, 0), 4);
	ck_assert_int_eq(agent_log_tail_offset(l, 2, 0), 0);
	agent_log_free(l);
	agrees("one\ntwo", 7);
}
END_TEST

START_TEST(crlf_loses_its_cr_and_only_that)
{
	static const char d[] = "a\r\n\r\nb\rc\n\r\r\nend\r";
	struct agent_log *l = open_data(d, sizeof d - 1);
	struct lines ls = { 0 };

	read_all(l, 100, AGENT_LOG_PARTIAL, &ls, NULL);
	ck_assert_uint_eq(ls.n, 5);
	ck_assert_str_eq(ls.v[0].s, "a");
	ck_assert_str_eq(ls.v[1].s, "");
	ck_assert_str_eq(ls.v[2].s, "b\rc");
	ck_assert_str_eq(ls.v[3].s, "\r");
	ck_assert_str_eq(ls.v[4].s, "end");
	lines_free(&ls);
	agent_log_free(l);
	agrees(d, sizeof d - 1);
}
END_TEST

START_TEST(only_newlines_are_empty_lines)
{
	struct agent_log *l = open_data("\n\n\n", 3);
	struct lines ls = { 0 };
	off_t next;

	read_all(l, 100, 0, &ls, &next);
	ck_assert_uint_eq(ls.n, 3);
	for (size_t i = 0; i < 3; i++) {
		ck_assert_uint_eq(ls.v[i].len, 0);
		ck_assert_int_eq(ls.v[i].off, (off_t)i);
	}
	ck_assert_int_eq(next, 3);
	ck_assert_int_eq(agent_log_tail_offset(l, 1, 0), 2);
	ck_assert_int_eq(agent_log_tail_offset(l, 2, 0), 1);
	ck_assert_int_eq(agent_log_tail_offset(l, 3, 0), 0);
	ck_assert_int_eq(agent_log_tail_offset(l, 4, 0), 0);
	ck_assert_int_eq(agent_log_tail_offset(l, 0, 0), 3);
	lines_free(&ls);
	agent_log_free(l);
	agrees("\n\n\n", 3);
}
END_TEST

START_TEST(nul_bytes_stay_inside_lines)
{
	static const char d[] = "a\0b\n\0\n";
	struct agent_log *l = open_data(d, sizeof d - 1);
	struct lines ls = { 0 };

	read_all(l, 100, 0, &ls, NULL);
	ck_assert_uint_eq(ls.n, 2);
	ck_assert_uint_eq(ls.v[0].len, 3);
	ck_assert(memcmp(ls.v[0].s, "a\0b", 3) == 0);
	ck_assert_uint_eq(ls.v[1].len, 1);
	ck_assert_int_eq(ls.v[1].s[0], '\0');
	lines_free(&ls);
	agent_log_free(l);
	agrees(d, sizeof d - 1);
}
END_TEST

START_TEST(long_line_is_truncated_and_the_next_is_intact)
{
	size_t lens[] = { 5, 3 * BLK + 17, 6, 11 };
	size_t size;
	char *d = make_lines(lens, 4, 0, 1, &size);
	struct agent_log *l = open_data(d, size);
	struct lines ls = { 0 };
	off_t next;

	read_all(l, 10, 0, &ls, &next);
	ck_assert_uint_eq(ls.n, 4);
	ck_assert_int_eq(ls.v[0].trunc, 0);
	ck_assert_int_eq(ls.v[1].trunc, 1);
	ck_assert_uint_eq(ls.v[1].len, 10);
	ck_assert(memcmp(ls.v[1].s, d + 6, 10) == 0);
	ck_assert_int_eq(ls.v[2].trunc, 0);
	ck_assert_uint_eq(ls.v[2].len, 6);
	ck_assert_int_eq(ls.v[2].off, (off_t)(6 + 3 * BLK + 18));
	ck_assert(memcmp(ls.v[2].s, d + ls.v[2].off, 6) == 0);
	ck_assert_uint_eq(ls.v[3].len, 10);
	ck_assert_int_eq(ls.v[3].trunc, 1);
	ck_assert_int_eq(next, (off_t)size);
	lines_free(&ls);
	agent_log_free(l);
	agrees(d, size);
	free(d);
}
END_TEST

START_TEST(maxline_counts_without_the_cr)
{
	struct agent_log *l = open_data("abc\r\nabcd\r\nabc", 14);
	struct lines ls = { 0 };

	read_all(l, 3, AGENT_LOG_PARTIAL, &ls, NULL);
	ck_assert_uint_eq(ls.n, 3);
	ck_assert_str_eq(ls.v[0].s, "abc");
	ck_assert_int_eq(ls.v[0].trunc, 0);
	ck_assert_str_eq(ls.v[1].s, "abc");
	ck_assert_int_eq(ls.v[1].trunc, 1);
	ck_assert_int_eq(ls.v[2].trunc, 0);
	lines_free(&ls);
	ck_assert_int_eq(agent_log_lines(l, 0, -1, 0, 0, collect, &ls, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	agent_log_free(l);
}
END_TEST

START_TEST(lines_at_block_boundaries)
{
	/* newline just before, at, and just after the block edge; a CRLF split
	 * across it; lines spanning several blocks; empty lines at the edge */
	static const size_t cases[][4] = {
		{ BLK - 1, 3, 0, 0 }, { BLK, 3, 0, 0 }, { BLK - 2, 3, 0, 0 },
		{ BLK + 1, 0, 0, 0 }, { 2 * BLK - 1, BLK, 0, 4 },
		{ BLK - 1, 0, 0, 0 }, { 2 * BLK + 5, 7, BLK - 9, 1 },
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
		for (int cr = 0; cr <= 1; cr++)
			for (int term = 0; term <= 1; term++) {
				size_t size;
				char *d = make_lines(cases[c], 4, cr, term, &size);
				agrees(d, size);
				free(d);
			}
}
END_TEST

START_TEST(many_short_lines_across_blocks)
{
	size_t lens[3000], size;
	char *d;

	for (size_t i = 0; i < 3000; i++)
		lens[i] = (i * 37) % 131;
	d = make_lines(lens, 3000, 0, 1, &size);
	agrees(d, size);
	free(d);
}
END_TEST

START_TEST(tail_offset_respects_the_window)
{
	/* "aaaa\nbbbb\ncccc\n": lines at 0, 5, 10 */
	struct agent_log *l = open_data("aaaa\nbbbb\ncccc\n", 15);

	ck_assert_int_eq(agent_log_tail_offset(l, 3, 0), 0);
	ck_assert_int_eq(agent_log_tail_offset(l, 3, 10), 5);  /* starts at the edge */
	ck_assert_int_eq(agent_log_tail_offset(l, 3, 9), 10);  /* first whole line */
	ck_assert_int_eq(agent_log_tail_offset(l, 3, 11), 5);
	ck_assert_int_eq(agent_log_tail_offset(l, 3, 15), 0);
	ck_assert_int_eq(agent_log_tail_offset(l, 3, 100), 0);
	ck_assert_int_eq(agent_log_tail_offset(l, 1, 3), 15);  /* no whole line */
	ck_assert_int_eq(agent_log_tail_offset(l, 1, 5), 10);
	ck_assert_int_eq(agent_log_tail_offset(l, 1, -1), -1);
	ck_assert_int_eq(errno, EINVAL);
	agent_log_free(l);
}
END_TEST

START_TEST(range_and_early_stop)
{
	struct agent_log *l = open_data("aa\nbb\ncc\ndd\n", 12);
	struct lines ls = { 0 };
	off_t next;

	/* lines starting in [4, 9): "cc" at 6 only; "bb" at 3 began before */
	ck_assert_int_eq(agent_log_lines(l, 3, 9, 10, 0, collect, &ls, &next), 0);
	ck_assert_uint_eq(ls.n, 2);
	ck_assert_str_eq(ls.v[0].s, "bb");
	ck_assert_str_eq(ls.v[1].s, "cc");
	ck_assert_int_eq(next, 9);
	lines_free(&ls);
	ck_assert_int_eq(agent_log_lines(l, 6, 7, 10, 0, collect, &ls, &next), 0);
	ck_assert_uint_eq(ls.n, 1);
	ck_assert_int_eq(next, 9);
	lines_free(&ls);
	ck_assert_int_eq(agent_log_lines(l, 12, -1, 10, 0, collect, &ls, &next), 0);
	ck_assert_uint_eq(ls.n, 0);
	ck_assert_int_eq(next, 12);
	ls.stop_after = 2;
	ck_assert_int_eq(agent_log_lines(l, 0, -1, 10, 0, collect, &ls, &next), 7);
	ck_assert_uint_eq(ls.n, 2);
	ck_assert_int_eq(next, 6);
	lines_free(&ls);
	agent_log_free(l);
}
END_TEST

START_TEST(accessors_refresh_and_read_at)
{
	struct agent_log *l = open_data("hello\n", 6);
	char buf[16];

	ck_assert_str_eq(agent_log_path(l), tpath("x.log"));
	ck_assert(agent_log_mtime(l) > 0);
	append_file(tpath("x.log"), "world\n");
	ck_assert_int_eq(agent_log_size(l), 6);
	ck_assert_int_eq(agent_log_refresh(l), 0);
	ck_assert_int_eq(agent_log_size(l), 12);
	ck_assert_int_eq(agent_log_read_at(l, buf, sizeof buf, 6), 6);
	ck_assert(memcmp(buf, "world\n", 6) == 0);
	ck_assert_int_eq(agent_log_read_at(l, buf, sizeof buf, 100), 0);
	agent_log_free(l);
	agent_log_free(NULL);
}
END_TEST

START_TEST(open_errors)
{
	ck_assert_ptr_null(agent_log_open(tmpdir));
	ck_assert_int_eq(errno, EISDIR);
	ck_assert_ptr_null(agent_log_open(tpath("missing")));
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(stdin_regular_file_is_seekable)
{
	struct agent_log *l;
	struct lines ls = { 0 };
	int fd;

	write_file(tpath("in.log"), "x\ny\nz\n", 6);
	fd = open(tpath("in.log"), O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, 0), 0);
	close(fd);
	ck_assert_int_eq(lseek(0, 2, SEEK_SET), 2);  /* offsets, not position */
	l = agent_log_open("-");
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(agent_log_seekable(l), 1);
	ck_assert_str_eq(agent_log_path(l), "-");
	ck_assert_int_eq(agent_log_size(l), 6);
	ck_assert_int_eq(agent_log_tail_offset(l, 1, 0), 4);
	read_all(l, 10, 0, &ls, NULL);
	ck_assert_uint_eq(ls.n, 3);
	ck_assert_str_eq(ls.v[0].s, "x");
	lines_free(&ls);
	agent_log_free(l);
	/* not closed by agent_log_free */
	ck_assert_int_ne(fcntl(0, F_GETFD), -1);
}
END_TEST

/* A child writes data to fd and exits. */
static pid_t
feed(int fd, const char *d, size_t size)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		while (size > 0) {
			ssize_t n = write(fd, d, size);
			if (n <= 0)
				_exit(1);
			d += n;
			size -= (size_t)n;
		}
		_exit(0);
	}
	return pid;
}

static void
check_stream(struct agent_log *l, const char *d, size_t size)
{
	struct lines got = { 0 }, want = { 0 };
	off_t gnext, wnext;

	ck_assert_int_eq(agent_log_seekable(l), 0);
	ck_assert_int_eq(agent_log_size(l), -1);
	ck_assert(agent_log_mtime(l) < 0);
	ck_assert_int_eq(agent_log_tail_offset(l, 1, 0), -1);
	ck_assert_int_eq(errno, ESPIPE);
	ck_assert_int_eq(agent_log_lines(l, 5, -1, 100, 0, collect, &got, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	read_all(l, 100, AGENT_LOG_PARTIAL, &got, &gnext);
	naive_lines(d, size, 100, AGENT_LOG_PARTIAL, &want, &wnext);
	lines_eq(&got, &want);
	ck_assert_int_eq(gnext, wnext);
	lines_free(&got);
	lines_free(&want);
}

START_TEST(pipe_on_stdin_is_read_forward)
{
	size_t lens[] = { 10, BLK + 3, 0, 250, 7 }, size;
	char *d = make_lines(lens, 5, 1, 0, &size);
	struct agent_log *l;
	int p[2], st;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = feed(p[1], d, size);
	close(p[1]);
	ck_assert_int_eq(dup2(p[0], 0), 0);
	close(p[0]);
	l = agent_log_open(NULL);
	ck_assert_ptr_nonnull(l);
	check_stream(l, d, size);
	agent_log_free(l);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	free(d);
}
END_TEST

START_TEST(fifo_path_is_read_forward)
{
	size_t lens[] = { 3 * BLK, 1, 2, 3 }, size;
	char *d = make_lines(lens, 4, 0, 1, &size);
	struct agent_log *l;
	pid_t pid;
	int st;

	ck_assert_int_eq(mkfifo(tpath("fifo"), 0600), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd = open(tpath("fifo"), O_WRONLY);
		if (fd < 0)
			_exit(1);
		waitpid(feed(fd, d, size), &st, 0);
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
	}
	l = agent_log_open(tpath("fifo"));
	ck_assert_ptr_nonnull(l);
	check_stream(l, d, size);
	agent_log_free(l);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	free(d);
}
END_TEST

/* Following.  Every wait has a generous timeout only so a broken build
 * fails instead of hanging; the events are caused before waiting. */
#define LONG_MS 10000

START_TEST(follow_sees_growth_and_timeout)
{
	struct agent_follow *f;

	write_file(tpath("f.log"), "a\n", 2);
	f = agent_follow_open(tpath("f.log"));
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(agent_follow_wait(f, 2, 0), 0);
	ck_assert_int_eq(agent_follow_wait(f, 2, 30), 0);
	ck_assert_int_eq(agent_follow_wait(f, 1, LONG_MS), 1);  /* already bigger */
	append_file(tpath("f.log"), "b\n");
	ck_assert_int_eq(agent_follow_wait(f, 2, LONG_MS), 1);
	ck_assert_int_eq(agent_follow_wait(f, 4, 0), 0);
	agent_follow_free(f);
	agent_follow_free(NULL);
}
END_TEST

/* A child appends after the parent is already waiting. */
START_TEST(follow_wakes_on_a_later_write)
{
	struct agent_follow *f;
	int p[2], st;
	pid_t pid;
	char c;

	write_file(tpath("f.log"), "a\n", 2);
	f = agent_follow_open(tpath("f.log"));
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* wait until the parent is about to block, then write */
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(1);
		int fd = open(tpath("f.log"), O_WRONLY | O_APPEND);
		_exit(fd < 0 || write(fd, "b\n", 2) != 2);
	}
	close(p[0]);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	ck_assert_int_eq(agent_follow_wait(f, 2, LONG_MS), 1);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(p[1]);
	agent_follow_free(f);
}
END_TEST

START_TEST(follow_sees_truncation)
{
	struct agent_follow *f;

	write_file(tpath("f.log"), "aaaa\nbbbb\n", 10);
	f = agent_follow_open(tpath("f.log"));
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(truncate(tpath("f.log"), 0), 0);
	ck_assert_int_eq(agent_follow_wait(f, 10, LONG_MS), 2);
	ck_assert_int_eq(agent_follow_wait(f, 0, 0), 0);
	agent_follow_free(f);
}
END_TEST

START_TEST(follow_sees_replacement_and_then_its_growth)
{
	struct agent_follow *f;

	write_file(tpath("f.log"), "old\n", 4);
	f = agent_follow_open(tpath("f.log"));
	ck_assert_ptr_nonnull(f);
	ck_assert(agent_follow_fd(f) >= 0);  /* inotify on Linux */
	write_file(tpath("new.log"), "new, longer\n", 12);
	ck_assert_int_eq(rename(tpath("new.log"), tpath("f.log")), 0);
	ck_assert_int_eq(agent_follow_wait(f, 4, LONG_MS), 2);
	ck_assert_int_eq(agent_follow_wait(f, 12, 0), 0);
	append_file(tpath("f.log"), "more\n");
	ck_assert_int_eq(agent_follow_wait(f, 12, LONG_MS), 1);
	agent_follow_free(f);
}
END_TEST

START_TEST(follow_waits_through_removal)
{
	struct agent_follow *f;

	write_file(tpath("f.log"), "x\n", 2);
	f = agent_follow_open(tpath("f.log"));
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(unlink(tpath("f.log")), 0);
	ck_assert_int_eq(agent_follow_wait(f, 2, 30), 0);
	write_file(tpath("f.log"), "y\n", 2);
	ck_assert_int_eq(agent_follow_wait(f, 2, LONG_MS), 2);
	agent_follow_free(f);
	ck_assert_ptr_null(agent_follow_open(tpath("missing")));
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

static void
on_alarm(int sig)
{
	(void)sig;
}

START_TEST(follow_wait_is_interrupted_by_a_signal)
{
	struct sigaction sa = { .sa_handler = on_alarm };  /* no SA_RESTART */
	struct itimerval it = { .it_value = { 0, 50000 } };
	struct agent_follow *f;

	write_file(tpath("f.log"), "x\n", 2);
	f = agent_follow_open(tpath("f.log"));
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	ck_assert_int_eq(agent_follow_wait(f, 2, -1), -1);
	ck_assert_int_eq(errno, EINTR);
	agent_follow_free(f);
}
END_TEST

/* A child opens path with flags, says so on a pipe, and waits until the
 * other pipe closes. */
static pid_t
holder(const char *path, int flags, int *release)
{
	int ready[2], hold[2];
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(hold), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(ready[0]);
		close(hold[1]);
		int fd = open(path, flags);
		if (fd < 0 || write(ready[1], "r", 1) != 1)
			_exit(1);
		_exit(read(hold[0], &c, 1) != 0);
	}
	close(ready[1]);
	close(hold[0]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
	*release = hold[1];
	return pid;
}

static void
release_holder(pid_t pid, int release)
{
	int st;

	close(release);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

START_TEST(writers_finds_a_writer_not_a_reader)
{
	pid_t pids[4], w, r;
	int rel_w, rel_r, mine;

	write_file(tpath("w.log"), "x\n", 2);
	r = holder(tpath("w.log"), O_RDONLY, &rel_r);
	ck_assert_int_eq(agent_log_writers(tpath("w.log"), pids, 4), 0);
	/* opened after the reader forked, or it would inherit a writer */
	mine = open(tpath("w.log"), O_WRONLY);  /* our own pid is skipped */
	ck_assert_int_ge(mine, 0);
	ck_assert_int_eq(agent_log_writers(tpath("w.log"), pids, 4), 0);
	w = holder(tpath("w.log"), O_WRONLY | O_APPEND, &rel_w);
	ck_assert_int_eq(agent_log_writers(tpath("w.log"), pids, 4), 1);
	ck_assert_int_eq(pids[0], w);
	ck_assert_int_eq(agent_log_writers(tpath("w.log"), NULL, 0), 1);
	release_holder(w, rel_w);
	ck_assert_int_eq(agent_log_writers(tpath("w.log"), pids, 4), 0);
	release_holder(r, rel_r);
	w = holder(tpath("w.log"), O_RDWR, &rel_w);
	ck_assert_int_eq(agent_log_writers(tpath("w.log"), pids, 4), 1);
	release_holder(w, rel_w);
	close(mine);
	ck_assert_int_eq(agent_log_writers(tpath("missing"), pids, 4), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(cpu_ticks_include_descendants)
{
	int ready[2], st;
	pid_t mid, self = getpid(), gone, g;

	ck_assert_int_ge(agent_proc_cpu_ticks(&self, 1), 0);
	gone = fork();
	ck_assert_int_ge(gone, 0);
	if (gone == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(gone, &st, 0), gone);
	ck_assert_int_eq(agent_proc_cpu_ticks(&gone, 1), -1);

	/* mid sleeps; its child burns CPU until it has 3 ticks to its name */
	ck_assert_int_eq(pipe(ready), 0);
	mid = fork();
	ck_assert_int_ge(mid, 0);
	if (mid == 0) {
		pid_t g = fork();
		if (g < 0)
			_exit(1);
		if (g == 0) {
			pid_t me = getpid();
			while (agent_proc_cpu_ticks(&me, 1) < 3)
				;
			if (write(ready[1], &me, sizeof me) != sizeof me)
				_exit(1);
			pause();
			_exit(0);
		}
		pause();
		_exit(0);
	}
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &g, sizeof g), sizeof g);
	ck_assert_int_ge(agent_proc_cpu_ticks(&mid, 1), 3);
	pid_t both[2] = { gone, mid };
	ck_assert_int_ge(agent_proc_cpu_ticks(both, 2), 3);
	kill(g, SIGKILL);
	kill(mid, SIGKILL);
	ck_assert_int_eq(waitpid(mid, &st, 0), mid);
	close(ready[0]);
}
END_TEST

START_TEST(cpu_ticks_keep_what_a_reaped_child_used)
{
	int ready[2], st;
	pid_t mid;
	char c;

	/* mid's child burns 3 ticks and exits; mid reaps it and waits: its
	 * tree's CPU keeps those ticks, or a busy run whose compiler just
	 * exited would read as idle (one reading for runs and plain logs) */
	ck_assert_int_eq(pipe(ready), 0);
	mid = fork();
	ck_assert_int_ge(mid, 0);
	if (mid == 0) {
		pid_t g = fork();
		if (g < 0)
			_exit(1);
		if (g == 0) {
			pid_t me = getpid();
			while (agent_proc_cpu_ticks(&me, 1) < 3)
				;
			_exit(0);
		}
		if (waitpid(g, &st, 0) != g || write(ready[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	ck_assert_int_ge(agent_proc_cpu_ticks(&mid, 1), 3);
	kill(mid, SIGKILL);
	ck_assert_int_eq(waitpid(mid, &st, 0), mid);
	close(ready[0]);
}
END_TEST

static Suite *
log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("read");
	TCase *fo = tcase_create("follow");
	TCase *pr = tcase_create("proc");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, empty_file_has_no_lines);
	tcase_add_test(tc, unterminated_last_line_only_with_partial);
	tcase_add_test(tc, crlf_loses_its_cr_and_only_that);
	tcase_add_test(tc, only_newlines_are_empty_lines);
	tcase_add_test(tc, nul_bytes_stay_inside_lines);
	tcase_add_test(tc, long_line_is_truncated_and_the_next_is_intact);
	tcase_add_test(tc, maxline_counts_without_the_cr);
	tcase_add_test(tc, lines_at_block_boundaries);
	tcase_add_test(tc, many_short_lines_across_blocks);
	tcase_add_test(tc, tail_offset_respects_the_window);
	tcase_add_test(tc, range_and_early_stop);
	tcase_add_test(tc, accessors_refresh_and_read_at);
	tcase_add_test(tc, open_errors);
	tcase_add_test(tc, stdin_regular_file_is_seekable);
	tcase_add_test(tc, pipe_on_stdin_is_read_forward);
	tcase_add_test(tc, fifo_path_is_read_forward);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(fo, setup, teardown);
	tcase_set_timeout(fo, 30);
	tcase_add_test(fo, follow_sees_growth_and_timeout);
	tcase_add_test(fo, follow_wakes_on_a_later_write);
	tcase_add_test(fo, follow_sees_truncation);
	tcase_add_test(fo, follow_sees_replacement_and_then_its_growth);
	tcase_add_test(fo, follow_waits_through_removal);
	tcase_add_test(fo, follow_wait_is_interrupted_by_a_signal);
	suite_add_tcase(s, fo);

	tcase_add_checked_fixture(pr, setup, teardown);
	tcase_set_timeout(pr, 30);
	tcase_add_test(pr, writers_finds_a_writer_not_a_reader);
	tcase_add_test(pr, cpu_ticks_include_descendants);
	tcase_add_test(pr, cpu_ticks_keep_what_a_reaped_child_used);
	suite_add_tcase(s, pr);
	return s;
}

CHECK_MAIN(log_suite)
