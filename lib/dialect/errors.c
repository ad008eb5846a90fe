/* errors.c — what an error's wording says, read the same way for every
 * agent and format: a usage or rate limit, an HTTP status, a failed
 * authentication, a retry notice, and when a limit resets. */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "rules.h"
#include "rx.h"

enum { RX_LIMIT, RX_AUTH, RX_STATUS, RX_RETRY, RX_CLOCK };

static struct agent__rx rx_tab[] = {
	[RX_LIMIT] = { "rate.?limit|usage.?limit|\\b429\\b|too many requests|quota|"
	               "resource.{0,12}exhausted|limit reached|hit your (?:[\\w']+ ){0,3}limit|"
	               "out of (?:extra )?usage", PCRE2_CASELESS, NULL },
	[RX_AUTH] = { "incorrect api key|invalid api key|invalid x-api-key|"
	              "unauthori[sz]ed|\\b401\\b|authentication.?failed", PCRE2_CASELESS, NULL },
	/* "status: 500", "status code 500", "status=500", "\"code\":500",
	 * "statusCode\":500", "(500)"; "500 Internal Server Error"; claude's
	 * "API Error: 500 …"; copilot's "Last error: 500 …" */
	[RX_STATUS] = { "(?:status(?: code)?(?::\\s?|=|\\s)|\"code\":\\s?|statusCode\"?:\\s*|\\()"
	                "([45]\\d\\d)(?!\\d)|"
	                "\\b([45]\\d\\d) (?:Unauthorized|Forbidden|Too Many Requests|"
	                "Internal Server Error|Bad Request|Not Found|Service Unavailable|"
	                "Bad Gateway)|"
	                "\\bAPI Error: ([45]\\d\\d)\\b|"
	                /* copilot's "… retried 5 times … Last error: 500 …" */
	                "\\bLast error: ([45]\\d\\d)\\b", PCRE2_CASELESS, NULL },
	/* codex's "Reconnecting... 1/5", gemini's "Attempt 2 failed" */
	[RX_RETRY] = { "^(?:Reconnecting\\.\\.\\. \\d+/\\d+|Attempt \\d+ failed\\b)", 0, NULL },
	/* a clock time, a date before it or not: claude's "12:44pm", "1pm",
	 * "Dec 1, 1:41pm", "Dec 1, 2027, 1pm"; codex's "12:44 PM",
	 * "Dec 1st, 2026 1:42 PM" */
	[RX_CLOCK] = { "^(?:(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\\.? "
	               "(\\d{1,2})(?:st|nd|rd|th)?,?(?: (\\d{4}),?)? )?"
	               "(\\d{1,2})(?::(\\d\\d))? ?([ap])\\.?m\\b\\.?", PCRE2_CASELESS, NULL },
};
static struct agent__rxset rxs = AGENT__RXSET(rx_tab);

static int
match(int id, const char *text, pcre2_match_data **mdp)
{
	pcre2_match_data *md;
	int rc;

	if (text == NULL || agent__rx_compile(&rxs) < 0 || (md = agent__rx_md()) == NULL)
		return 0;
	rc = agent__rx_match(&rxs, id, text, strlen(text), md);
	if (mdp != NULL && rc > 0)
		*mdp = md;
	else
		pcre2_match_data_free(md);
	return rc;
}

int
agent__http_status(const char *text)
{
	pcre2_match_data *md = NULL;
	const char *p;
	size_t k;
	int rc = match(RX_STATUS, text, &md), v = -1;

	if (rc <= 0)
		return -1;
	for (int g = 1; g <= 4 && (k = agent__rx_group(md, rc, g, text, &p)) == 0; g++)
		;
	if (k == 3)
		v = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	pcre2_match_data_free(md);
	return v;
}

int
agent__is_limit(const char *text)
{
	return match(RX_LIMIT, text, NULL) > 0;
}

int
agent__is_retry(const char *text)
{
	return match(RX_RETRY, text, NULL) > 0;
}

/* --- when a limit resets: "try again in 2 hours 5 minutes", "retry
 * after 30s", "Retry-After: 120" ------------------------------------ */

/* The words after which a duration says when to try again. */
static const char *const cues[] = {
	"try again in", "retry in", "retry after", "retrying in", "resets in",
	"reset in", "retry-after:", "retry-after", NULL,
};

static const struct { const char *name; double secs; } units[] = {
	{ "milliseconds", 0.001 }, { "millisecond", 0.001 }, { "ms", 0.001 },
	{ "seconds", 1 }, { "second", 1 }, { "secs", 1 }, { "sec", 1 }, { "s", 1 },
	{ "minutes", 60 }, { "minute", 60 }, { "mins", 60 }, { "min", 60 }, { "m", 60 },
	{ "hours", 3600 }, { "hour", 3600 }, { "hrs", 3600 }, { "hr", 3600 }, { "h", 3600 },
	{ "days", 86400 }, { "day", 86400 }, { "d", 86400 },
	{ NULL, 0 },
};

static size_t
skip_blanks(const char *s, size_t i, size_t n)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* A number at s[i]: its value in *v, the index after it; i when none. */
static size_t
number(const char *s, size_t i, size_t n, double *v)
{
	double x = 0, scale = 0.1;
	size_t j = i;

	while (j < n && isdigit((unsigned char)s[j]) && x < 1e12)
		x = x * 10 + (s[j++] - '0');
	if (j == i)
		return i;
	if (j + 1 < n && s[j] == '.' && isdigit((unsigned char)s[j + 1]))
		for (j++; j < n && isdigit((unsigned char)s[j]); j++, scale /= 10)
			x += (s[j] - '0') * scale;
	*v = x;
	return j;
}

/* A unit at s[i], whole word: seconds per unit in *secs, the index after
 * it; i when none. */
static size_t
unit(const char *s, size_t i, size_t n, double *secs)
{
	for (int k = 0; units[k].name; k++) {
		size_t len = strlen(units[k].name);
		if (i + len <= n && strncasecmp(s + i, units[k].name, len) == 0 &&
		    (i + len == n || !isalpha((unsigned char)s[i + len]))) {
			*secs = units[k].secs;
			return i + len;
		}
	}
	return i;
}

/* The duration at s[i]: "2 hours 5 minutes", "1h30m", "39.5s", "120"
 * (seconds).  -1 when there is no number. */
static double
duration(const char *s, size_t i, size_t n)
{
	double total = -1, v, per;
	size_t j, k;

	for (;;) {
		i = skip_blanks(s, i, n);
		if ((j = number(s, i, n, &v)) == i)
			break;
		k = skip_blanks(s, j, n);
		if ((j = unit(s, k, n, &per)) == k) {
			/* a bare number is seconds, and ends the duration */
			return (total < 0 ? 0 : total) + v;
		}
		total = (total < 0 ? 0 : total) + v * per;
		/* "2 hours, 5 minutes", "1 hour and 5 minutes" */
		i = skip_blanks(s, j, n);
		if (i < n && s[i] == ',')
			i++;
		i = skip_blanks(s, i, n);
		if (i + 4 <= n && strncasecmp(s + i, "and ", 4) == 0)
			i += 4;
	}
	return total;
}

double
agent__resets_in(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	double d;

	for (size_t i = 0; i < n; i++) {
		for (int c = 0; cues[c]; c++) {
			size_t len = strlen(cues[c]);
			if (i + len > n || strncasecmp(s + i, cues[c], len) != 0)
				continue;
			/* "retry in" inside "retry interval" is no cue: a
			 * duration must follow */
			if ((d = duration(s, i + len, n)) >= 0)
				return d;
		}
	}
	return -1;
}

void
agent__error_kind(struct agent_event *e, const char *text, int http_status, int final)
{
	int limit;

	if (http_status < 0)
		http_status = agent__http_status(text);
	limit = http_status == 429 || agent__is_limit(text);
	if (limit && http_status < 0 && text != NULL && strstr(text, "429") != NULL)
		http_status = 429;
	else if (!limit && http_status < 0 && match(RX_AUTH, text, NULL) > 0)
		http_status = 401;
	e->kind = final && limit ? AGENT_EV_LIMIT : AGENT_EV_ERROR;
	if (e->kind == AGENT_EV_LIMIT)
		e->resets_in = agent__resets_in(text);
	e->final = final;
	e->http_status = http_status;
}

/* ---- when a limit resets -------------------------------------------- */

double
agent__retry_after(const char *value, double ref)
{
	struct tm tm;
	const char *end;
	char *e;
	double v;

	if (value == NULL)
		return -1;
	while (*value == ' ')
		value++;
	if (isdigit((unsigned char)*value)) {
		v = strtod(value, &e);
		while (*e == ' ')
			e++;
		if (*e != '\0' || !isfinite(v) || v < 0 || ref < 0)
			return -1;
		return ref + v;
	}
	/* an HTTP-date: "Mon, 30 Nov 2026 12:48:27 GMT" */
	memset(&tm, 0, sizeof tm);
	end = strptime(value, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	return (double)timegm(&tm);
}

/* Whether zone names UTC or the zone local time is read in (TZ, else what
 * /etc/localtime links to): the zones a clock time can be read in
 * without changing the process's time zone. */
static int
zone_is(const char *zone, int *utc)
{
	static const char *const utcs[] = { "UTC", "GMT", "Etc/UTC", "Etc/GMT",
		"Etc/Universal", "Universal", "Etc/Zulu", "Zulu", "Z", "UCT", "Etc/UCT" };
	const char *tz = getenv("TZ"), *p;
	char link[PATH_MAX];
	ssize_t k;

	for (size_t i = 0; i < sizeof utcs / sizeof utcs[0]; i++)
		if (strcmp(zone, utcs[i]) == 0) {
			*utc = 1;
			return 1;
		}
	*utc = 0;
	if (tz != NULL && *tz != '\0')
		return strcmp(tz + (*tz == ':'), zone) == 0;
	if ((k = readlink("/etc/localtime", link, sizeof link - 1)) <= 0)
		return 0;
	link[k] = '\0';
	if ((p = strstr(link, "zoneinfo/")) == NULL)
		return 0;
	return strcmp(p + 9, zone) == 0;
}

double
agent__reset_clock(const char *text, const char *zone, double ref)
{
	static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	pcre2_match_data *md;
	const char *p;
	struct tm now, tm;
	time_t r = (time_t)ref, t;
	int rc, utc = 0, mon = -1, day = 0, year = 0, hour, min = 0, pm;
	size_t k;
	char m3[4];

	if (text == NULL || ref < 0 || (zone != NULL && !zone_is(zone, &utc)))
		return -1;
	if (agent__rx_compile(&rxs) < 0 || (md = agent__rx_md()) == NULL)
		return -1;
	if ((rc = agent__rx_match(&rxs, RX_CLOCK, text, strlen(text), md)) <= 0) {
		pcre2_match_data_free(md);
		return -1;
	}
	if (agent__rx_group(md, rc, 1, text, &p) == 3) {
		for (k = 0; k < 3; k++)
			m3[k] = (char)tolower((unsigned char)p[k]);
		m3[3] = '\0';
		mon = (int)((strstr(months, m3) - months) / 3);
		agent__rx_group(md, rc, 2, text, &p);
		day = atoi(p);
		if (agent__rx_group(md, rc, 3, text, &p) == 4)
			year = atoi(p);
	}
	agent__rx_group(md, rc, 4, text, &p);
	hour = atoi(p);
	if (agent__rx_group(md, rc, 5, text, &p) == 2)
		min = atoi(p);
	agent__rx_group(md, rc, 6, text, &p);
	pm = *p == 'p' || *p == 'P';
	pcre2_match_data_free(md);
	if (hour < 1 || hour > 12 || min > 59 || (mon >= 0 && (day < 1 || day > 31)))
		return -1;
	hour = hour % 12 + (pm ? 12 : 0);

	if ((utc ? gmtime_r(&r, &now) : localtime_r(&r, &now)) == NULL)
		return -1;
	/* the first such minute that has not long passed when the agent said
	 * it: today or tomorrow, this year or the next; a time given to the
	 * minute is its end, so waiting until it never resumes too early */
	for (int next = 0; next < 2; next++) {
		tm = now;
		tm.tm_sec = 0;
		tm.tm_min = min;
		tm.tm_hour = hour;
		tm.tm_isdst = -1;
		if (mon >= 0) {
			tm.tm_mon = mon;
			tm.tm_mday = day;
			tm.tm_year = (year > 0 ? year - 1900 : now.tm_year) + (year > 0 ? 0 : next);
		} else {
			tm.tm_mday += next;
		}
		if ((t = utc ? timegm(&tm) : mktime(&tm)) == (time_t)-1)
			return -1;
		if ((double)t + 60 >= ref - AGENT__RESET_SLACK || year > 0)
			return (double)t + 60;
	}
	return -1;
}
