/* measure.c — the stopwatch of make bench: runs a command several times with
 * its output thrown away, prints the best wall time and the peak RSS. */
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One run: wall seconds, the child's ru_maxrss (KiB) and its status as the
 * shell shows it (128+N for a signal). */
static double
run_once(char **argv, long *rss, int *status)
{
	struct rusage ru;
	double t0 = now(), t;
	pid_t pid;
	int st;

	if ((pid = fork()) < 0)
		err(71, "fork");
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			_exit(126);
		if (null > 2)
			close(null);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) < 0)
		err(71, "wait4");
	t = now() - t0;
	*rss = ru.ru_maxrss;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return t;
}

int
main(int argc, char **argv)
{
	double best = -1, budget = 20, spent = 0, t;
	long runs = 10, i, rss, maxrss = 0;
	int c, status = 0;
	char *end;

	while ((c = getopt(argc, argv, "+hn:t:")) != -1)
		switch (c) {
		case 'n':
			runs = strtol(optarg, &end, 10);
			if (*end || runs < 1)
				errx(64, "-n: not a positive number: %s", optarg);
			break;
		case 't':
			budget = strtod(optarg, &end);
			if (*end || budget < 0)
				errx(64, "-t: not a number of seconds: %s", optarg);
			break;
		case 'h':
			printf("usage: measure [-n runs] [-t seconds] command [arg ...]\n");
			return 0;
		default:
			fprintf(stderr, "usage: measure [-n runs] [-t seconds] command [arg ...]\n");
			return 64;
		}
	argv += optind;
	if (*argv == NULL) {
		fprintf(stderr, "usage: measure [-n runs] [-t seconds] command [arg ...]\n");
		return 64;
	}
	/* best of n, but a slow command stops once the time budget is spent */
	for (i = 0; i < runs && (i == 0 || spent < budget); i++) {
		t = run_once(argv, &rss, &status);
		spent += t;
		if (best < 0 || t < best)
			best = t;
		if (rss > maxrss)
			maxrss = rss;
	}
	printf("%.6f %ld %d %ld\n", best, maxrss, status, i);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(74, "stdout");
	return 0;
}
