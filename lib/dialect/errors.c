/* errors.c — what an error's wording says, read the same way for every
 * agent and format: a usage or rate limit, an HTTP status, a failed
 * authentication, a retry notice. */
#include <string.h>
#include "rules.h"
#include "rx.h"

enum { RX_LIMIT, RX_AUTH, RX_STATUS, RX_RETRY };

static struct agent__rx rx_tab[] = {
	[RX_LIMIT] = { "rate.?limit|usage.?limit|\\b429\\b|too many requests|quota|"
	               "resource.{0,12}exhausted|limit reached|hit your limit", PCRE2_CASELESS, NULL },
	[RX_AUTH] = { "incorrect api key|invalid api key|invalid x-api-key|"
	              "unauthori[sz]ed|\\b401\\b|authentication.?failed", PCRE2_CASELESS, NULL },
	/* "status: 500", "status code 500", "status=500", "\"code\":500",
	 * "statusCode\":500", "(500)"; "500 Internal Server Error"; claude's
	 * "API Error: 500 …" */
	[RX_STATUS] = { "(?:status(?: code)?(?::\\s?|=|\\s)|\"code\":\\s?|statusCode\"?:\\s*|\\()"
	                "([45]\\d\\d)(?!\\d)|"
	                "\\b([45]\\d\\d) (?:Unauthorized|Forbidden|Too Many Requests|"
	                "Internal Server Error|Bad Request|Not Found|Service Unavailable|"
	                "Bad Gateway)|"
	                "\\bAPI Error: ([45]\\d\\d)\\b", PCRE2_CASELESS, NULL },
	/* codex's "Reconnecting... 1/5", gemini's "Attempt 2 failed" */
	[RX_RETRY] = { "^(?:Reconnecting\\.\\.\\. \\d+/\\d+|Attempt \\d+ failed\\b)", 0, NULL },
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
	for (int g = 1; g <= 3 && (k = agent__rx_group(md, rc, g, text, &p)) == 0; g++)
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
	e->final = final;
	e->http_status = http_status;
}
