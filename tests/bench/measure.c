/* measure.c — the stopwatch of make bench: runs a command several times with
 * its output thrown away, prints the best (or, -m, the median) wall time,
 * the best CPU time and peak RSS. */
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

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static const char usage[] = "usage: measure [-m] [-n runs] [-t seconds] command [arg ...]";

int
main(int argc, char **argv)
{
	double best = -1, bestcpu = -1, budget = 20, spent = 0, t, cpu, *times;
	long runs = 10, i, rss, maxrss = 0;
	int c, status = 0, median = 0;
	char *end;

	while ((c = getopt(argc, argv, "+hmn:t:")) != -1)
		switch (c) {
		case 'm':
			median = 1;
			break;
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
			printf("%s\n", usage);
			return 0;
		default:
			fprintf(stderr, "%s\n", usage);
			return 64;
		}
	argv += optind;
	if (*argv == NULL) {
		fprintf(stderr, "%s\n", usage);
		return 64;
	}
	if ((times = calloc((size_t)runs, sizeof *times)) == NULL)
		err(71, "calloc");
	/* best of n, but a slow command stops once the time budget is spent */
	for (i = 0; i < runs && (i == 0 || spent < budget); i++) {
		t = run_once(argv, &cpu, &rss, &status);
		spent += t;
		times[i] = t;
		if (best < 0 || t < best)
			best = t;
		if (bestcpu < 0 || cpu < bestcpu)
			bestcpu = cpu;
		if (rss > maxrss)
			maxrss = rss;
	}
	if (median) {
		qsort(times, (size_t)i, sizeof *times, cmp_double);
		best = i % 2 ? times[i / 2] : (times[i / 2 - 1] + times[i / 2]) / 2;
	}
	free(times);
	/* best (-m: median) wall, peak RSS, last status, runs done, best CPU, wall spent */
	printf("%.6f %ld %d %ld %.6f %.6f\n", best, maxrss, status, i, bestcpu, spent);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(74, "stdout");
	return 0;
}
