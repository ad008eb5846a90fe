/* timestamp.c — the ISO 8601 times agents write, read once for every
 * dialect and for agent-replay's pacing. */
#include <string.h>
#include <time.h>
#include "timestamp.h"

/* k digits at s[*i] into *out; 0 when they are not there. */
static int
digits(const char *s, size_t n, size_t *i, int k, int *out)
{
	int v = 0;

	if (*i + (size_t)k > n)
		return 0;
	for (; k > 0; k--, (*i)++) {
		if (s[*i] < '0' || s[*i] > '9')
			return 0;
		v = v * 10 + (s[*i] - '0');
	}
	*out = v;
	return 1;
}

static int
is(const char *s, size_t n, size_t i, const char *set)
{
	return i < n && s[i] != '\0' && strchr(set, s[i]) != NULL;
}

double
agent__iso_time_at(const char *s, size_t n, size_t *end)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign;
	double frac = 0, scale = 0.1;
	size_t i = 0;
	time_t t;

	if (s == NULL || !digits(s, n, &i, 4, &y) || !is(s, n, i++, "-") ||
	    !digits(s, n, &i, 2, &mo) || !is(s, n, i++, "-") || !digits(s, n, &i, 2, &d) ||
	    !is(s, n, i++, "T ") || !digits(s, n, &i, 2, &h) || !is(s, n, i++, ":") ||
	    !digits(s, n, &i, 2, &mi) || !is(s, n, i++, ":") || !digits(s, n, &i, 2, &sec))
		return -1;
	if (is(s, n, i, ".,"))
		for (i++; is(s, n, i, "0123456789"); i++, scale /= 10)
			frac += (s[i] - '0') * scale;
	if (is(s, n, i, "Zz")) {
		i++;
	} else if (is(s, n, i, "+-")) {
		sign = s[i++] == '-' ? -1 : 1;
		if (!digits(s, n, &i, 2, &oh))
			return -1;
		if (is(s, n, i, ":"))
			i++;
		if (!digits(s, n, &i, 2, &om))
			return -1;
		oh *= sign;
		om *= sign;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || y < 1970)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	if (end != NULL)
		*end = i;
	return (double)t - oh * 3600.0 - om * 60.0 + frac;
}

double
agent__iso_time(const char *s)
{
	size_t n, end;
	double t;

	if (s == NULL)
		return -1;
	n = strlen(s);
	t = agent__iso_time_at(s, n, &end);
	return t >= 0 && end == n ? t : -1;
}
