/* measure.c — the stopwatch of make bench: runs a command several times with
 * its output thrown away, prints the best wall and CPU times and peak RSS. */
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

/* One run: wall seconds, the child's CPU seconds (user+system), ru_maxrss
 * (KiB) and its status as the shell shows it (128+N for a signal). */
static double
run_once(char **argv, double *cpu, long *rss, int *status)
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
	*cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return t;
}

int
main(int argc, char **argv)
{
	double best = -1, bestcpu = -1, budget = 20, spent = 0, t, cpu;
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
		t = run_once(argv, &cpu, &rss, &status);
		spent += t;
		if (best < 0 || t < best)
			best = t;
		if (bestcpu < 0 || cpu < bestcpu)
			bestcpu = cpu;
		if (rss > maxrss)
			maxrss = rss;
	}
	/* best wall, peak RSS, last status, runs done, best CPU, wall spent */
	printf("%.6f %ld %d %ld %.6f %.6f\n", best, maxrss, status, i, bestcpu, spent);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(74, "stdout");
	return 0;
}
