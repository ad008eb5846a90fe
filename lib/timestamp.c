/* timestamp.c — the ISO 8601 times agents write, read once for every
 * dialect and for agent-replay's pacing. */
#include <string.h>
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

/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar, y
 * from 1970 (H. Hinnant's days_from_civil): what timegm does, without its
 * cost on every event of a log.  Linear in d, so a day past the month's
 * end lands in the next month as timegm has it. */
static long long
days_from_civil(int y, int m, int d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

double
agent__iso_time_at(const char *s, size_t n, size_t *end)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign;
	double frac = 0, scale = 0.1;
	size_t i = 0;
	long long t;

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
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
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
