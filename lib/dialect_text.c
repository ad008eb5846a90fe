/* dialect_text.c — parsers for the agents' human-readable output: opencode
 * run, oh-my-opencode run, codex exec, and plain text (claude, gemini, any). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "dialect_int.h"
#include "jscan.h"

/* Longest line looked at; the rest of a longer line is cut off, so a
 * runaway line costs bounded memory. */
#define LINE_MAX_BYTES (1u << 20)
/* Most stdout text kept while --verbose lines cut it into pieces. */
#define FRAG_MAX (64u << 10)
/* Files of one apply_patch remembered until the tool completes. */
#define PATCH_FILES_MAX 64

/* ---- growable buffers ---------------------------------------------- */

struct tbuf {
	char *s;
	size_t len, cap;
};

static int
tb_reserve(struct tbuf *b, size_t need)
{
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 128;
	while (cap < need)
		cap *= 2;
	char *s = realloc(b->s, cap);
	if (!s)
		return -1;
	b->s = s;
	b->cap = cap;
	return 0;
}

static void
tb_clear(struct tbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

/* Appends what fits: on ENOMEM the text is cut, never lost entirely. */
static void
tb_cat(struct tbuf *b, const char *s, size_t n)
{
	if (tb_reserve(b, b->len + n + 1) < 0) {
		if (b->cap <= b->len + 1)
			return;
		n = b->cap - b->len - 1;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
tb_set(struct tbuf *b, const char *s, size_t n)
{
	tb_clear(b);
	tb_cat(b, s, n);
}

static const char *
tb_str(const struct tbuf *b)
{
	return b->s ? b->s : "";
}

static void
tb_free(struct tbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

/* ---- escapes ---------------------------------------------------------- */

/* Copies s into b without escape sequences, NUL bytes and a trailing CR.
 * *dim receives the output offset of the first SGR 2 (dim), which opencode
 * puts between a tool's title and its description; SIZE_MAX when none. */
static void
strip_escapes(struct tbuf *b, const char *s, size_t n, size_t *dim)
{
	size_t i = 0, o = 0;

	*dim = SIZE_MAX;
	tb_clear(b);
	if (n > LINE_MAX_BYTES)
		n = LINE_MAX_BYTES;
	if (tb_reserve(b, n + 1) < 0)
		return;
	while (i < n) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == 0x1b) {
			if (i + 1 < n && s[i + 1] == '[') {
				size_t j = i + 2, p0 = j;
				while (j < n && (unsigned char)s[j] >= 0x30 && (unsigned char)s[j] <= 0x3f)
					j++;
				size_t p1 = j;
				while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] <= 0x2f)
					j++;
				if (j < n && s[j] == 'm' && p1 - p0 == 1 && s[p0] == '2' && *dim == SIZE_MAX)
					*dim = o;
				i = j < n ? j + 1 : n;
			} else if (i + 1 < n && s[i + 1] == ']') {
				size_t j = i + 2;
				while (j < n && s[j] != '\a' && !(s[j] == 0x1b && j + 1 < n && s[j + 1] == '\\'))
					j++;
				i = j >= n ? n : s[j] == '\a' ? j + 1 : j + 2;
			} else {
				i += i + 1 < n ? 2 : 1;
			}
			continue;
		}
		if (ch != '\0')
			b->s[o++] = (char)ch;
		i++;
	}
	if (o > 0 && b->s[o - 1] == '\r')
		o--;
	b->s[o] = '\0';
	b->len = o;
}

/* ---- regular expressions ---------------------------------------------- */

enum rx_id {
	RX_HMS,          /* OMO's "[HH:MM:SS] " line prefix */
	RX_OMO_SESSION,  /* "Session: ses_…" */
	RX_OMO_JSONSES,  /* --json result */
	RX_OMO_VTAG,     /* a --verbose event line starts here */
	RX_OMO_VTOOL,    /* message.part (tool): bash [running] */
	RX_OMO_META,     /* └─ Agent · model · 0.9s */
	RX_OMO_MODEL,    /* "  gpt-5.5  " above the agent line */
	RX_OMO_OLDTOOL,  /* "> bash ls" (OMO before the icon headers) */
	RX_STACK,        /* "    at fn (file:1:2)" */
	RX_CX_SESSION,   /* codex "session id: UUID" */
	RX_CX_TS,        /* older codex "[2025-…] " prefix */
	RX_CX_EXEC,      /* "/bin/bash -lc '…' in DIR" */
	RX_CX_STATUS,    /* " succeeded in 0ms:" / " exited 2 in 5ms:" */
	RX_CX_SHELL,     /* the shell wrapper around a command */
	RX_CX_TOKENS,    /* "tokens used" with or without the number */
	RX_CX_NUMBER,
	RX_CX_RECONNECT,
	RX_JSON_SESSION, /* "session_id":"UUID" */
	RX_OC_MODEL,     /* "> build · fake-model" */
	RX_LOGFMT,       /* opencode --print-logs lines */
	RX_LOGFMT_SES,
	RX_LIMIT,
	RX_AUTH,
	RX_HTTP,
	RX_DET_OMO,
	RX_DET_CODEX,
	RX_DET_GEMINI,
	RX_DET_CLAUDE,
	RX__MAX
};

#define UUID "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
#define SES "ses_[0-9A-Za-z]{6,64}"

static const char *const rx_src[RX__MAX] = {
	[RX_HMS] = "^\\[\\d\\d:\\d\\d:\\d\\d\\](?: |$)",
	[RX_OMO_SESSION] = "^(?:\\[\\d\\d:\\d\\d:\\d\\d\\] )?\\s*Session: (" SES ")\\s*$",
	[RX_OMO_JSONSES] = "\"sessionId\"\\s*:\\s*\"(" SES ")\"",
	[RX_OMO_VTAG] = "\\[(?:MAIN|system|ses_[0-9A-Za-z]{4})\\] "
	                "(?=[a-z]+\\.[a-z]|TOOL\\.(?:EXECUTE|RESULT):|SESSION\\.ERROR:)",
	[RX_OMO_VTOOL] = "^message\\.part \\(tool\\): (\\S+) \\[([a-z_]+)\\]",
	[RX_OMO_META] = "^(.+?) · (.+?) · \\d+(?:\\.\\d+)?s$",
	[RX_OMO_MODEL] = "^  (\\S+)(?: \\([^)]*\\))?(?: \\[reasoning: [^\\]]*\\])?  $",
	[RX_OMO_OLDTOOL] = "^> ([A-Za-z_][A-Za-z0-9_.-]*)(?: (.*))?$",
	[RX_STACK] = "^\\s+at \\S",
	[RX_CX_SESSION] = "^session id: (" UUID ")\\s*$",
	[RX_CX_TS] = "^\\[\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z?\\] ",
	[RX_CX_EXEC] = "^(?:exec )?(.+) in (/.*|~.*)$",
	[RX_CX_STATUS] = "^(?:(.*) )?(?:(succeeded)|exited (-?\\d+)|failed) in [\\d.]+m?s:?$",
	[RX_CX_SHELL] = "^(?:/usr)?(?:/bin/)?(?:ba|z|da)?sh -l?c (.+)$",
	[RX_CX_TOKENS] = "^tokens used(?::?\\s*([\\d,]+))?$",
	[RX_CX_NUMBER] = "^[\\d,.]+$",
	[RX_CX_RECONNECT] = "^Reconnecting\\.\\.\\. \\d+/\\d+",
	[RX_JSON_SESSION] = "\"session_?[iI][dD]\"\\s*:\\s*\"(" UUID ")\"",
	[RX_OC_MODEL] = "^> (.+?) · (\\S.*?)\\s*$",
	[RX_LOGFMT] = "^(?:timestamp=\\S+ level=|(?:INFO|DEBUG|WARN|ERROR)\\s+\\d{4}-\\d\\d-\\d\\dT)",
	[RX_LOGFMT_SES] = "=(ses_[0-9a-f]{12}[0-9A-Za-z]{14})\\b",
	[RX_LIMIT] = "(?i)rate.?limit|usage.?limit|\\b429\\b|too many requests|quota|"
	             "resource.{0,4}exhausted|limit reached|hit your limit",
	[RX_AUTH] = "(?i)incorrect api key|invalid api key|invalid x-api-key|"
	            "unauthori[sz]ed|\\b401\\b|authentication.?failed",
	[RX_HTTP] = "(?i)(?:status(?: code)?:? |\\(|statusCode\"?:\\s*)([1-5]\\d\\d)\\b|"
	            "\\b([45]\\d\\d) (?:Unauthorized|Forbidden|Too Many Requests|"
	            "Internal Server Error|Bad Request|Not Found|Service Unavailable|Bad Gateway)",
	[RX_DET_OMO] = "^(?:\\[\\d\\d:\\d\\d:\\d\\d\\] )?(?:Starting server on port \\d|"
	               "Server listening at |Session: ses_|Auto-selected port|Port \\d+ is occupied)|"
	               "^oh-my-opencode: |^\\[(?:MAIN|system)\\] [a-z]|^\\[session\\.error\\] |"
	               "^(?:\\[\\d\\d:\\d\\d:\\d\\d\\] )?  (?:└─|`-) \\S",
	[RX_DET_CODEX] = "^(?:\\[[^\\]]*\\] )?OpenAI Codex v\\d|^session id: " UUID "\\s*$",
	[RX_DET_GEMINI] = "^(?:Warning: 256-color support not detected|YOLO mode is enabled|"
	                  "Ripgrep is not available|\\[STARTUP\\] |An unexpected critical error occurred)",
	[RX_DET_CLAUDE] = "^(?:Invalid API key · |API Error: \\d{3}|Claude AI usage limit reached)",
};

static pcre2_code *rx[RX__MAX];
static pthread_once_t rx_once = PTHREAD_ONCE_INIT;

static void
rx_compile(void)
{
	for (int i = 0; i < RX__MAX; i++) {
		int err;
		PCRE2_SIZE off;
		rx[i] = pcre2_compile((PCRE2_SPTR)rx_src[i], PCRE2_ZERO_TERMINATED,
		                      PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
		if (rx[i])
			(void)pcre2_jit_compile(rx[i], PCRE2_JIT_COMPLETE);
	}
}

/* Number of groups matched plus one, 0 when no match (or no pattern). */
static int
rx_match(enum rx_id id, const char *s, size_t n, pcre2_match_data *md)
{
	pthread_once(&rx_once, rx_compile);
	if (!rx[id] || !md)
		return 0;
	int rc = pcre2_match(rx[id], (PCRE2_SPTR)s, n, 0, 0, md, NULL);
	return rc > 0 ? rc : 0;
}

/* Group g of the last match: start in *p, length returned; 0 when unset. */
static size_t
rx_group(pcre2_match_data *md, int rc, int g, const char *s, const char **p)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	*p = s;
	if (g >= rc || ov[2 * g] == PCRE2_UNSET)
		return 0;
	*p = s + ov[2 * g];
	return ov[2 * g + 1] - ov[2 * g];
}

static pcre2_match_data *
md_new(void)
{
	pthread_once(&rx_once, rx_compile);
	return pcre2_match_data_create(8, NULL);
}

/* ---- what every text parser keeps ------------------------------------- */

struct tp {
	enum agent_dialect d;
	struct tbuf ln;         /* the line being parsed, escapes removed */
	struct tbuf aux;        /* NUL-terminated pieces of it for events */
	pcre2_match_data *md;
	size_t dim;             /* see strip_escapes */
	int raw_esc;            /* the raw line held an escape sequence */
	long lineno;
};

static int
tp_init(struct tp *c, enum agent_dialect d)
{
	memset(c, 0, sizeof *c);
	c->d = d;
	c->md = md_new();
	return c->md ? 0 : -1;
}

static void
tp_fini(struct tp *c)
{
	tb_free(&c->ln);
	tb_free(&c->aux);
	pcre2_match_data_free(c->md);
}

static void
tp_begin(struct tp *c, const char *raw, size_t n, long lineno)
{
	c->lineno = lineno;
	c->raw_esc = memchr(raw, 0x1b, n > LINE_MAX_BYTES ? LINE_MAX_BYTES : n) != NULL;
	strip_escapes(&c->ln, raw, n, &c->dim);
	/* Pieces are carved out of one line: reserving twice its size up
	 * front keeps every pointer handed out stable until the next line. */
	tb_clear(&c->aux);
	(void)tb_reserve(&c->aux, 2 * c->ln.len + 256);
}

/* A NUL-terminated copy of s[0:n] that lives until the next line. */
static const char *
piece(struct tp *c, const char *s, size_t n)
{
	if (!c->aux.s || c->aux.len + n + 1 > c->aux.cap)
		return "";
	char *p = c->aux.s + c->aux.len;
	memcpy(p, s, n);
	p[n] = '\0';
	c->aux.len += n + 1;
	return p;
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int
blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t')
			return 0;
	return 1;
}

/* Length of s without trailing blanks. */
static size_t
rtrim_len(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n;
}

static const char *
skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* s trimmed at both ends, as a piece. */
static const char *
trimmed(struct tp *c, const char *s)
{
	s = skip_blanks(s);
	return piece(c, s, rtrim_len(s, strlen(s)));
}

static int
emit(struct agent_event *e, long line, agent_event_fn fn, void *arg)
{
	e->line = line;
	return fn(e, arg);
}

/* Fills an ERROR (or LIMIT) event for msg: limits and HTTP statuses are
 * told by their wording, since text logs carry no error codes. */
static void
error_event(struct tp *c, struct agent_event *e, const char *msg, int final)
{
	const char *p;
	size_t n = strlen(msg);
	int rc;

	agent_event_init(e);
	e->kind = AGENT_EV_ERROR;
	e->final = final;
	e->title = e->text = msg;
	if ((rc = rx_match(RX_HTTP, msg, n, c->md)) > 0) {
		size_t k = rx_group(c->md, rc, 1, msg, &p);
		if (!k)
			k = rx_group(c->md, rc, 2, msg, &p);
		if (k == 3)
			e->http_status = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	}
	if (rx_match(RX_LIMIT, msg, n, c->md) > 0) {
		e->kind = AGENT_EV_LIMIT;
		if (e->http_status < 0 && strstr(msg, "429"))
			e->http_status = 429;
	} else if (e->http_status < 0 && rx_match(RX_AUTH, msg, n, c->md) > 0) {
		e->http_status = 401;
	}
}

static int
emit_error(struct tp *c, const char *msg, int final, agent_event_fn fn, void *arg)
{
	struct agent_event e;
	error_event(c, &e, msg, final);
	return emit(&e, c->lineno, fn, arg);
}

static int
emit_simple(struct tp *c, enum agent_ev_kind k, const char *title, agent_event_fn fn, void *arg)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = k;
	e.title = e.text = title;
	if (k == AGENT_EV_DONE || k == AGENT_EV_INTERRUPT)
		e.final = 1;
	return emit(&e, c->lineno, fn, arg);
}

static int
emit_session(struct tp *c, const char *id, agent_event_fn fn, void *arg)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_SESSION;
	e.session = id;
	return emit(&e, c->lineno, fn, arg);
}

static int
emit_text(struct tp *c, const char *text, agent_event_fn fn, void *arg)
{
	if (!*text)
		return 0;
	return emit_simple(c, AGENT_EV_TEXT, text, fn, arg);
}

static size_t
copy_out(const char *s, size_t n, char *buf, size_t buflen)
{
	if (buflen == 0 || n == 0)
		return 0;
	if (n > buflen - 1)
		n = buflen - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return n;
}

/* Group 1 of pattern id in the line (escapes removed) into buf. */
static size_t
session_rx(enum rx_id id, const char *line, size_t len, char *buf, size_t buflen)
{
	struct tbuf b = { 0 };
	pcre2_match_data *md = md_new();
	size_t dim, n = 0;
	const char *p;
	int rc;

	if (!md)
		return 0;
	strip_escapes(&b, line, len, &dim);
	if (b.s && (rc = rx_match(id, b.s, b.len, md)) > 0) {
		size_t k = rx_group(md, rc, 1, b.s, &p);
		n = copy_out(p, k, buf, buflen);
	}
	tb_free(&b);
	pcre2_match_data_free(md);
	return n;
}

/* ---- tools by name and icon ------------------------------------------- */

/* What a tool does, from the agent's own tool name. */
static enum agent_tool_kind
kind_of_name(const char *name)
{
	static const struct {
		const char *name;
		enum agent_tool_kind k;
	} t[] = {
		{ "read", AGENT_TK_READ }, { "write", AGENT_TK_WRITE },
		{ "edit", AGENT_TK_EDIT }, { "multiedit", AGENT_TK_EDIT },
		{ "apply_patch", AGENT_TK_EDIT }, { "patch", AGENT_TK_EDIT },
		{ "bash", AGENT_TK_SHELL }, { "shell", AGENT_TK_SHELL },
		{ "exec_command", AGENT_TK_SHELL }, { "interactive_bash", AGENT_TK_SHELL },
		{ "glob", AGENT_TK_SEARCH }, { "grep", AGENT_TK_SEARCH },
		{ "list", AGENT_TK_SEARCH }, { "ls", AGENT_TK_SEARCH },
		{ "ast_grep_search", AGENT_TK_SEARCH },
		{ "webfetch", AGENT_TK_FETCH }, { "websearch", AGENT_TK_FETCH },
		{ "task", AGENT_TK_TASK }, { "call_omo_agent", AGENT_TK_TASK },
		{ "delegate_task", AGENT_TK_TASK },
		{ "todowrite", AGENT_TK_TODO }, { "todoread", AGENT_TK_TODO },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcasecmp(name, t[i].name) == 0)
			return t[i].k;
	return AGENT_TK_OTHER;
}

/* A path as titles print it: an opencode "[offset=…]" description cut. */
static const char *
path_piece(struct tp *c, const char *s)
{
	size_t n = strlen(s);
	const char *br = strstr(s, " [");
	if (br && s[n - 1] == ']')
		n = (size_t)(br - s);
	return piece(c, s, rtrim_len(s, n));
}

/* The text between the first pair of double quotes, or all of s. */
static const char *
unquote_piece(struct tp *c, const char *s)
{
	const char *a = strchr(s, '"'), *b;
	if (a && (b = strrchr(a + 1, '"')) != NULL && b > a)
		return piece(c, a + 1, (size_t)(b - a - 1));
	return s;
}

/* Fills the TOOL fields of e from an opencode / OMO tool line: its icon
 * and its title ("Read README.md", "ls && echo hi", "Glob \"*.c\""). */
static void
tool_from_title(struct tp *c, struct agent_event *e, const char *icon, const char *t)
{
	e->kind = AGENT_EV_TOOL;
	e->title = t;
	if (strcmp(icon, "$") == 0) {
		e->tkind = AGENT_TK_SHELL;
		e->tool = "bash";
	} else if (starts(t, "Read ")) {
		e->tkind = AGENT_TK_READ;
		e->tool = "read";
		e->title = e->path = path_piece(c, t + 5);
	} else if (starts(t, "Write ")) {
		e->tkind = AGENT_TK_WRITE;
		e->tool = "write";
		e->title = e->path = path_piece(c, t + 6);
	} else if (starts(t, "Edit ")) {
		e->tkind = AGENT_TK_EDIT;
		e->tool = "edit";
		e->title = e->path = path_piece(c, t + 5);
	} else if (strcmp(t, "List") == 0 || starts(t, "List ")) {
		e->tkind = AGENT_TK_SEARCH;
		e->tool = "list";
		e->title = t[4] ? t + 5 : ".";
	} else if (starts(t, "Glob ") || starts(t, "Grep ")) {
		e->tkind = AGENT_TK_SEARCH;
		e->tool = t[1] == 'l' ? "glob" : "grep";
		e->title = unquote_piece(c, t + 5);
	} else if (starts(t, "WebFetch")) {
		e->tkind = AGENT_TK_FETCH;
		e->tool = "webfetch";
		e->title = t[8] ? skip_blanks(t + 8) : t;
	} else if (strcmp(t, "Patch") == 0 || starts(t, "Patch ")) {
		e->tkind = AGENT_TK_EDIT;
		e->tool = "apply_patch";
	} else if (strcmp(t, "Todos") == 0) {
		e->tkind = AGENT_TK_TODO;
		e->tool = "todowrite";
	} else if (starts(t, "Skill ")) {
		e->tool = "skill";
		e->title = unquote_piece(c, t + 6);
	} else if (strcmp(icon, "✱") == 0) {
		e->tkind = AGENT_TK_SEARCH;
	} else if (strcmp(icon, "%") == 0 || strcmp(icon, "◈") == 0) {
		e->tkind = AGENT_TK_FETCH;
		if (*icon != '%')
			e->tool = "websearch";
	} else if (strcmp(icon, "✓") == 0 || strcmp(icon, "•") == 0) {
		e->tkind = AGENT_TK_TASK;
		e->tool = "task";
	} else if (strcmp(icon, "#") == 0) {
		/* OMO's sub-agent header: "# {description} agent=…" */
		e->tkind = strstr(t, "agent=") ? AGENT_TK_TASK : AGENT_TK_OTHER;
		e->tool = e->tkind == AGENT_TK_TASK ? "task" : NULL;
	} else if (strcmp(icon, "⚙") == 0) {
		size_t n = strcspn(t, " ");
		e->tool = piece(c, t, n);
		e->tkind = kind_of_name(e->tool);
	}
}

static const char *const tool_icons[] = {
	"→", "←", "$", "✱", "%", "⚙", "✗", "#", "◈", "✓", "•",
};

/* The icon s starts with (followed by a space), or NULL. */
static const char *
tool_icon(const char *s)
{
	for (size_t i = 0; i < sizeof tool_icons / sizeof tool_icons[0]; i++) {
		size_t n = strlen(tool_icons[i]);
		if (strncmp(s, tool_icons[i], n) == 0 && s[n] == ' ')
			return tool_icons[i];
	}
	return NULL;
}

/* ==== opencode run (default format) ==================================== */

struct oc {
	struct tp c;
	int ansi;        /* escapes seen: then tool lines must carry theirs */
	int block;       /* inside a block tool's body (bash output, diff) */
	int prev_blank;
	int pend;        /* a "✗ … failed" line waits for its "Error:" line */
	long pend_line;
	struct tbuf pend_title;
};

static void *
oc_new(enum agent_dialect d)
{
	struct oc *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	if (tp_init(&p->c, d) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

static void
oc_free(void *st)
{
	struct oc *p = st;
	if (!p)
		return;
	tp_fini(&p->c);
	tb_free(&p->pend_title);
	free(p);
}

static int
oc_flush(struct oc *p, const char *errtext, agent_event_fn fn, void *arg)
{
	struct agent_event e;

	if (!p->pend)
		return 0;
	p->pend = 0;
	agent_event_init(&e);
	tool_from_title(&p->c, &e, "✗", tb_str(&p->pend_title));
	e.status = AGENT_TOOL_ERROR;
	e.text = errtext;
	return emit(&e, p->pend_line, fn, arg);
}

/* The icon of an opencode tool line, or NULL.  opencode writes them as
 * "ESC[0m{icon} ESC[0m{title}"; once a log has shown escapes, a line
 * without that shape is assistant text even if it starts like one
 * ("# Heading", "$ make"). */
static const char *
oc_tool_icon(struct oc *p, const char *raw, size_t n, const char *s)
{
	const char *icon = tool_icon(s);
	if (!icon)
		return NULL;
	if (p->ansi) {
		size_t k = strlen(icon);
		if (n < 4 + k + 5 || memcmp(raw, "\x1b[0m", 4) != 0 ||
		    memcmp(raw + 4, icon, k) != 0 || memcmp(raw + 4 + k, " \x1b[0m", 5) != 0)
			return NULL;
		return icon;
	}
	if (strcmp(icon, "#") == 0 && strcmp(s, "# Todos") != 0)
		return NULL;
	return icon;
}

static int
oc_tool(struct oc *p, const char *icon, agent_event_fn fn, void *arg)
{
	struct tp *c = &p->c;
	const char *t = c->ln.s + strlen(icon) + 1;
	size_t n = c->ln.len - (size_t)(t - c->ln.s);
	struct agent_event e;

	/* The description, dimmed after the title, is not part of it. */
	if (c->dim != SIZE_MAX && c->dim >= (size_t)(t - c->ln.s))
		n = c->dim - (size_t)(t - c->ln.s);
	t = piece(c, t, rtrim_len(t, n));
	n = strlen(t);

	if (strcmp(icon, "✗") == 0 && n >= 7 && strcmp(t + n - 7, " failed") == 0) {
		/* Held for one line: the "Error:" line after it is its text. */
		tb_set(&p->pend_title, t, n - 7);
		p->pend = 1;
		p->pend_line = c->lineno;
		return 0;
	}
	/* bash, write, edit, todowrite, batch and invalid print a body. */
	if (strcmp(icon, "$") == 0 || strcmp(icon, "←") == 0 ||
	    strcmp(icon, "#") == 0 || strcmp(icon, "✗") == 0)
		p->block = 1;
	agent_event_init(&e);
	tool_from_title(c, &e, icon, t);
	e.status = strcmp(icon, "✗") == 0 ? AGENT_TOOL_ERROR : AGENT_TOOL_COMPLETED;
	if (strcmp(icon, "•") == 0)
		e.status = AGENT_TOOL_RUNNING;
	if (strcmp(icon, "✗") == 0)
		e.tool = "invalid";
	return emit(&e, c->lineno, fn, arg);
}

static int
oc_line(void *st, const char *raw, size_t n, long lineno, agent_event_fn fn, void *arg)
{
	struct oc *p = st;
	struct tp *c = &p->c;
	const char *s, *icon, *g1, *g2;
	int r, rc;

	tp_begin(c, raw, n, lineno);
	s = tb_str(&c->ln);
	if (c->raw_esc)
		p->ansi = 1;
	/* "Error: …" is red when opencode prints it; plain text when not. */
	int is_err = starts(s, "Error: ") && (!p->ansi || (n > 0 && raw[0] == 0x1b));
	if (p->pend && !is_err && (r = oc_flush(p, NULL, fn, arg)) != 0)
		return r;
	if (blank(s)) {
		/* opencode's own blank line is "ESC[0m"; an empty line of a
		 * diff or of command output does not end the block. */
		if (!p->ansi || c->raw_esc)
			p->block = 0;
		p->prev_blank = 1;
		return 0;
	}
	p->prev_blank = 0;
	if ((icon = oc_tool_icon(p, raw, n, s)) != NULL) {
		p->block = 0;
		return oc_tool(p, icon, fn, arg);
	}
	if (p->block)
		return 0;
	if (is_err) {
		const char *msg = trimmed(c, s + 7);
		if (p->pend)
			return oc_flush(p, msg, fn, arg);
		return emit_error(c, msg, 1, fn, arg);
	}
	if (starts(s, "! permission requested"))
		return emit_error(c, trimmed(c, s + 2), 0, fn, arg);
	if ((rc = rx_match(RX_OC_MODEL, s, c->ln.len, c->md)) > 0) {
		struct agent_event e;
		size_t k1 = rx_group(c->md, rc, 1, s, &g1);
		size_t k2 = rx_group(c->md, rc, 2, s, &g2);
		agent_event_init(&e);
		e.kind = AGENT_EV_MODEL;
		e.title = piece(c, g1, k1);
		e.model = piece(c, g2, k2);
		return emit(&e, lineno, fn, arg);
	}
	if (rx_match(RX_LOGFMT, s, c->ln.len, c->md) > 0)
		return 0;
	if (starts(s, "Thinking: "))
		return emit_simple(c, AGENT_EV_STEP, trimmed(c, s), fn, arg);
	return emit_text(c, trimmed(c, s), fn, arg);
}

static int
oc_end(void *st, agent_event_fn fn, void *arg)
{
	return oc_flush(st, NULL, fn, arg);
}

static size_t
oc_session(const char *line, size_t len, char *buf, size_t buflen)
{
	/* Only --print-logs lines name the session in this format. */
	if (len < 10 || (memcmp(line, "timestamp=", 10) != 0 && memcmp(line, "INFO ", 5) != 0 &&
	                 memcmp(line, "DEBUG ", 6) != 0 && memcmp(line, "WARN ", 5) != 0 &&
	                 memcmp(line, "ERROR ", 6) != 0))
		return 0;
	return session_rx(RX_LOGFMT_SES, line, len, buf, buflen);
}

const struct agent_dialect_ops agent__opencode_text_ops = {
	.new = oc_new, .free = oc_free, .line = oc_line, .end = oc_end, .session = oc_session,
};

/* ==== oh-my-opencode run ================================================= */

enum om_mode {
	OM_TEXT,
	OM_OUTPUT,   /* after "└─ output": the tool's output */
	OM_HEADER,   /* a tool header that spans lines (a multi-line command) */
	OM_PATCH,    /* the lines of "⚙ apply_patch patchText=*** Begin Patch" */
	OM_THINK,    /* reasoning after "┃  Thinking:", up to a blank line */
};

struct omo {
	struct tp c;
	enum om_mode mode;
	int verbose;            /* --verbose event lines seen */
	int prev_blank;
	struct tbuf frag;       /* stdout text cut into pieces by verbose lines */
	int has_model;          /* "  gpt-5.5  " waits for its "└─ Agent" line */
	long model_line;
	struct tbuf model;
	int tool_on;            /* a tool header was seen, its end not yet */
	long tool_line;
	enum agent_tool_kind tool_kind;
	struct tbuf tool, title, path;
	int npf;                /* apply_patch: files named so far */
	unsigned char pkind[PATCH_FILES_MAX];
	struct tbuf pfiles;     /* their paths, NUL-separated */
	char call[32];          /* pairs the running tool's start and end */
	long done_line;         /* the last completion ("All tasks completed."
	                           or --json's success), 0 none */
};

/* --json prints its result line next to "All tasks completed.": the two
 * are one completion. */
static int
omo_done(struct omo *p, const char *title, agent_event_fn fn, void *arg)
{
	long l = p->c.lineno;
	int again = p->done_line > 0 && l - p->done_line <= 3;
	p->done_line = l;
	return again ? 0 : emit_simple(&p->c, AGENT_EV_DONE, title, fn, arg);
}

static void *
omo_new(enum agent_dialect d)
{
	struct omo *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	if (tp_init(&p->c, d) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

static void
omo_free(void *st)
{
	struct omo *p = st;
	if (!p)
		return;
	tp_fini(&p->c);
	tb_free(&p->frag);
	tb_free(&p->model);
	tb_free(&p->tool);
	tb_free(&p->title);
	tb_free(&p->path);
	tb_free(&p->pfiles);
	free(p);
}

/* Content of an OMO stdout line: after the optional "[HH:MM:SS] ". */
static const char *
omo_content(struct omo *p, const char *s, size_t n)
{
	struct tp *c = &p->c;
	if (rx_match(RX_HMS, s, n, c->md) > 0)
		return s + pcre2_get_ovector_pointer(c->md)[1];
	return s;
}

static int
omo_tool_event(struct omo *p, enum agent_tool_status st, long line, agent_event_fn fn, void *arg)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_TOOL;
	e.status = st;
	e.tkind = p->tool_kind;
	e.tool = p->tool.len ? tb_str(&p->tool) : NULL;
	e.title = tb_str(&p->title);
	e.path = p->path.len ? tb_str(&p->path) : NULL;
	e.call_id = p->call;
	return emit(&e, line, fn, arg);
}

static int
omo_patch_file_event(struct omo *p, int i, const char *path, enum agent_tool_status st,
                     long line, agent_event_fn fn, void *arg)
{
	struct agent_event e;
	char id[48];
	snprintf(id, sizeof id, "%s.%d", p->call, i);
	agent_event_init(&e);
	e.kind = AGENT_EV_TOOL;
	e.status = st;
	e.tkind = (enum agent_tool_kind)p->pkind[i];
	e.tool = "apply_patch";
	e.title = e.path = path;
	e.call_id = id;
	return emit(&e, line, fn, arg);
}

/* The running tool ended: one event (one per file of a patch). */
static int
omo_tool_end(struct omo *p, enum agent_tool_status st, agent_event_fn fn, void *arg)
{
	int r = 0;

	if (!p->tool_on)
		return 0;
	p->tool_on = 0;
	if (p->npf == 0)
		return omo_tool_event(p, st, p->c.lineno, fn, arg);
	const char *f = tb_str(&p->pfiles);
	for (int i = 0; i < p->npf && !r; i++, f += strlen(f) + 1)
		r = omo_patch_file_event(p, i, f, st, p->c.lineno, fn, arg);
	p->npf = 0;
	tb_clear(&p->pfiles);
	return r;
}

static int
omo_tool_done(struct omo *p, agent_event_fn fn, void *arg)
{
	return omo_tool_end(p, AGENT_TOOL_COMPLETED, fn, arg);
}

/* A patch ended without naming a file: report the tool itself. */
static int
omo_patch_end(struct omo *p, agent_event_fn fn, void *arg)
{
	p->mode = OM_TEXT;
	if (p->tool_on && p->npf == 0)
		return omo_tool_event(p, AGENT_TOOL_RUNNING, p->tool_line, fn, arg);
	return 0;
}

static int
omo_patch_line(struct omo *p, const char *t, agent_event_fn fn, void *arg)
{
	static const struct {
		const char *prefix;
		enum agent_tool_kind k;
	} ops[] = {
		{ "*** Add File: ", AGENT_TK_WRITE },
		{ "*** Update File: ", AGENT_TK_EDIT },
		{ "*** Delete File: ", AGENT_TK_DELETE },
		{ "*** Move to: ", AGENT_TK_WRITE },
	};
	struct tp *c = &p->c;

	if (starts(t, "*** End Patch"))
		return omo_patch_end(p, fn, arg);
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (!starts(t, ops[i].prefix))
			continue;
		const char *path = trimmed(c, t + strlen(ops[i].prefix));
		if (!*path || p->npf >= PATCH_FILES_MAX)
			return 0;
		p->pkind[p->npf] = (unsigned char)ops[i].k;
		tb_cat(&p->pfiles, path, strlen(path) + 1);
		return omo_patch_file_event(p, p->npf++, path, AGENT_TOOL_RUNNING, c->lineno, fn, arg);
	}
	return 0;
}

/* "  {icon} {title}  ": a tool starts. */
static int
omo_header(struct omo *p, const char *icon, const char *t, int ends_hdr, agent_event_fn fn, void *arg)
{
	struct tp *c = &p->c;
	struct agent_event e;
	int r;

	/* OMO prints a header only when no tool runs: a new one means the
	 * one before has ended, with or without output. */
	if ((r = omo_tool_done(p, fn, arg)) != 0)
		return r;
	agent_event_init(&e);
	tool_from_title(c, &e, icon, t);
	e.status = AGENT_TOOL_RUNNING;
	p->tool_on = 1;
	p->tool_line = c->lineno;
	snprintf(p->call, sizeof p->call, "L%ld", c->lineno);
	p->tool_kind = e.tkind;
	tb_set(&p->tool, e.tool ? e.tool : "", e.tool ? strlen(e.tool) : 0);
	tb_set(&p->title, e.title, strlen(e.title));
	tb_set(&p->path, e.path ? e.path : "", e.path ? strlen(e.path) : 0);
	p->npf = 0;
	tb_clear(&p->pfiles);
	if (strcmp(icon, "⚙") == 0 && starts(t, "apply_patch ")) {
		/* Its files follow, one header line each: reported from there. */
		p->tool_kind = AGENT_TK_EDIT;
		tb_set(&p->title, "apply_patch", 11);
		p->mode = ends_hdr ? OM_TEXT : OM_PATCH;
		return ends_hdr ? omo_patch_end(p, fn, arg) : 0;
	}
	p->mode = ends_hdr ? OM_TEXT : OM_HEADER;
	e.call_id = p->call;
	return emit(&e, c->lineno, fn, arg);
}

static int
omo_model(struct omo *p, const char *agent, agent_event_fn fn, void *arg)
{
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_MODEL;
	e.title = agent;
	e.model = p->has_model ? skip_blanks(tb_str(&p->model)) : NULL;
	p->has_model = 0;
	return emit(&e, p->c.lineno, fn, arg);
}

/* "└─ …" (or "`- …" under CI): the agent header, a step's meta line, or
 * the start of a tool's output. */
static int
omo_tree(struct omo *p, const char *rest, agent_event_fn fn, void *arg)
{
	struct tp *c = &p->c;
	const char *r = trimmed(c, rest), *g1, *g2;
	int rc;

	if (strcmp(r, "output") == 0) {
		int e = omo_tool_done(p, fn, arg);
		p->mode = OM_OUTPUT;
		return e;
	}
	p->mode = OM_TEXT;
	if ((rc = rx_match(RX_OMO_META, r, strlen(r), c->md)) > 0) {
		struct agent_event e;
		size_t k1 = rx_group(c->md, rc, 1, r, &g1);
		size_t k2 = rx_group(c->md, rc, 2, r, &g2);
		agent_event_init(&e);
		e.kind = AGENT_EV_STEP;
		e.title = piece(c, g1, k1);
		e.model = piece(c, g2, k2);
		return emit(&e, c->lineno, fn, arg);
	}
	return omo_model(p, r, fn, arg);
}

/* The --json result line on stdout. */
static int
omo_json(struct omo *p, const char *s, agent_event_fn fn, void *arg)
{
	struct tp *c = &p->c;
	struct agent__js js = { 0 };
	struct agent__jt *o = agent__js_parse(&js, s, strlen(s), NULL), *v;
	int r = 0;

	/* right after "All tasks completed.": the same completion again */
	if (p->done_line > 0 && c->lineno - p->done_line <= 3 &&
	    agent__js_is(o, AGENT__JT_OBJECT) && (v = agent__js_get(o, "success")) != NULL &&
	    agent__js_bool(v)) {
		agent__js_free(&js);
		return 0;
	}
	if (agent__js_is(o, AGENT__JT_OBJECT) &&
	    (v = agent__js_get(o, "sessionId")) != NULL && agent__js_is(v, AGENT__JT_STRING) &&
	    (r = emit_session(c, agent__js_str(v), fn, arg)) == 0 &&
	    (v = agent__js_get(o, "success")) != NULL) {
		if (agent__js_bool(v)) {
			r = omo_done(p, NULL, fn, arg);
		} else {
			const char *msg = "run failed";
			struct agent__jt *m = agent__js_get(o, "error");
			if (agent__js_is(m, AGENT__JT_STRING))
				msg = agent__js_str(m);
			r = emit_error(c, msg, 1, fn, arg);
		}
	}
	agent__js_free(&js);
	return r;
}

/* One --verbose event line (without the stdout text before it). */
static int
omo_verbose(struct omo *p, const char *v, agent_event_fn fn, void *arg)
{
	struct tp *c = &p->c;
	int main_session = starts(v, "[MAIN] ");
	const char *body = strchr(v, ']') + 2, *g1, *g2;
	int rc;

	if (starts(body, "SESSION.ERROR: ")) {
		/* "[session.error]" repeats it for the main session and ends
		 * the run; this copy is a notice. */
		return emit_error(c, trimmed(c, body + 15), 0, fn, arg);
	}
	if (!main_session)
		return 0;
	if ((rc = rx_match(RX_OMO_VTOOL, body, strlen(body), c->md)) > 0) {
		/* The header and "└─ output" lines already say when a tool
		 * starts and ends; only the failure is news here. */
		size_t k1 = rx_group(c->md, rc, 1, body, &g1);
		size_t k2 = rx_group(c->md, rc, 2, body, &g2);
		struct agent_event e;

		if (k2 != 5 || strncmp(g2, "error", 5) != 0)
			return 0;
		const char *name = piece(c, g1, k1);
		if (p->tool_on && (strcmp(name, tb_str(&p->tool)) == 0 || !p->tool.len))
			return omo_tool_end(p, AGENT_TOOL_ERROR, fn, arg);
		agent_event_init(&e);
		e.kind = AGENT_EV_TOOL;
		e.status = AGENT_TOOL_ERROR;
		e.tool = e.title = name;
		e.tkind = kind_of_name(name);
		return emit(&e, c->lineno, fn, arg);
	}
	if (strcmp(body, "session.idle: idle") == 0 || strcmp(body, "session.status: idle") == 0)
		return emit_simple(c, AGENT_EV_STEP, body, fn, arg);
	return 0;
}

static int
omo_candidate_flush(struct omo *p, agent_event_fn fn, void *arg)
{
	if (!p->has_model)
		return 0;
	p->has_model = 0;
	struct agent_event e;
	agent_event_init(&e);
	e.kind = AGENT_EV_TEXT;
	e.title = e.text = skip_blanks(tb_str(&p->model));
	return emit(&e, p->model_line, fn, arg);
}

/* One stdout/stderr line of OMO's own output (verbose pieces removed). */
static int
omo_stdout(struct omo *p, const char *s, size_t n, agent_event_fn fn, void *arg)
{
	struct tp *c = &p->c;
	const char *t = omo_content(p, s, n), *icon, *g1;
	size_t tn = n - (size_t)(t - s);
	int r, rc, ends_hdr = tn >= 2 && t[tn - 1] == ' ' && t[tn - 2] == ' ';
	int was_blank = p->prev_blank;

	p->prev_blank = 0;
	if (blank(t) && !(p->mode == OM_OUTPUT && tn > 0)) {
		p->prev_blank = 1;
		if (p->has_model) {
			/* "  model  " and a blank: a header without agent name. */
			struct agent_event e;
			agent_event_init(&e);
			e.kind = AGENT_EV_MODEL;
			e.model = skip_blanks(tb_str(&p->model));
			p->has_model = 0;
			if ((r = emit(&e, p->model_line, fn, arg)) != 0)
				return r;
		}
		if (p->mode == OM_PATCH)
			return omo_patch_end(p, fn, arg);
		p->mode = OM_TEXT;
		return 0;
	}
	if (p->mode == OM_PATCH) {
		if (ends_hdr)
			p->mode = OM_TEXT;
		if ((r = omo_patch_line(p, t, fn, arg)) != 0 || p->mode == OM_PATCH)
			return r;
		return omo_patch_end(p, fn, arg);
	}
	if (p->mode == OM_HEADER) {
		if (ends_hdr)
			p->mode = OM_TEXT;
		return 0;
	}
	if (p->mode == OM_THINK)
		return 0;   /* reasoning is not the answer */
	if (p->has_model) {
		const char *tt = skip_blanks(t);
		if (!starts(tt, "└─ ") && !starts(tt, "`- ") && (r = omo_candidate_flush(p, fn, arg)) != 0)
			return r;
	}

	/* Lines OMO writes at the left edge: its own messages, errors, and
	 * stderr of the processes below it. */
	if (t[0] != ' ') {
		const char *x = trimmed(c, t);
		if ((rc = rx_match(RX_OMO_SESSION, t, tn, c->md)) > 0) {
			size_t k = rx_group(c->md, rc, 1, t, &g1);
			return emit_session(c, piece(c, g1, k), fn, arg);
		}
		if (starts(x, "Model: ")) {
			struct agent_event e;
			agent_event_init(&e);
			e.kind = AGENT_EV_MODEL;
			e.model = skip_blanks(x + 7);
			return emit(&e, c->lineno, fn, arg);
		}
		if (strcmp(x, "All tasks completed.") == 0)
			return omo_done(p, x, fn, arg);
		if (starts(x, "Interrupted. Shutting down"))
			return emit_simple(c, AGENT_EV_INTERRUPT, x, fn, arg);
		if (starts(x, "[session.error] "))
			return emit_error(c, skip_blanks(x + 16), 1, fn, arg);
		if (starts(x, "[tui.toast.error] "))
			return emit_error(c, skip_blanks(x + 18), 1, fn, arg);
		if (starts(x, "Session ended with error: "))
			return emit_error(c, skip_blanks(x + 26), 1, fn, arg);
		if (starts(x, "Session ended with error"))
			return emit_error(c, x, 1, fn, arg);
		if (starts(x, "Error: "))
			return emit_error(c, skip_blanks(x + 7), 1, fn, arg);
		if (x[0] == '{' && strstr(x, "\"sessionId\""))
			return omo_json(p, x, fn, arg);
		if (starts(x, "Starting server on port") || starts(x, "Server listening at") ||
		    starts(x, "Auto-selected port") || (starts(x, "Port ") && strstr(x, "occupied")))
			return emit_simple(c, AGENT_EV_STEP, x, fn, arg);
		if (starts(x, "oh-my-opencode: ") || starts(x, "Check if todos were completed") ||
		    starts(x, "[toast:"))
			return 0;
		if ((rc = rx_match(RX_OMO_OLDTOOL, x, strlen(x), c->md)) > 0) {
			/* Releases before the icon headers: "> bash ls -la". */
			const char *g2;
			size_t k1 = rx_group(c->md, rc, 1, x, &g1);
			size_t k2 = rx_group(c->md, rc, 2, x, &g2);
			const char *name = piece(c, g1, k1);
			const char *in = k2 ? piece(c, g2, k2) : name;
			if ((r = omo_tool_done(p, fn, arg)) != 0)
				return r;
			p->tool_on = 1;
			p->tool_line = c->lineno;
			snprintf(p->call, sizeof p->call, "L%ld", c->lineno);
			p->tool_kind = kind_of_name(name);
			tb_set(&p->tool, name, strlen(name));
			tb_set(&p->title, in, strlen(in));
			if (p->tool_kind == AGENT_TK_READ || p->tool_kind == AGENT_TK_WRITE ||
			    p->tool_kind == AGENT_TK_EDIT)
				tb_set(&p->path, in, strlen(in));
			else
				tb_clear(&p->path);
			p->npf = 0;
			return omo_tool_event(p, AGENT_TOOL_RUNNING, c->lineno, fn, arg);
		}
		p->mode = OM_TEXT;
		return emit_text(c, x, fn, arg);
	}

	/* Indented: OMO's rendering of the session. */
	if (rx_match(RX_STACK, t, tn, c->md) > 0 || (p->verbose && starts(t, "   input: ")))
		return 0;
	if (starts(t, "   └─ ")) {
		/* Older releases: "   └─ {output preview}" ends the tool. */
		return omo_tool_done(p, fn, arg);
	}
	const char *b = t + 2;
	if (t[1] != ' ')
		b = t + 1;
	if (starts(b, "└─ ") || starts(b, "`- ")) {
		const char *rest = b + (b[0] == '`' ? 3 : strlen("└─ "));
		if (p->mode == OM_OUTPUT) {
			/* In a tool's output only OMO's own lines count. */
			const char *r2 = trimmed(c, rest);
			if (strcmp(r2, "output") != 0 && rx_match(RX_OMO_META, r2, strlen(r2), c->md) == 0)
				return 0;
		}
		return omo_tree(p, rest, fn, arg);
	}
	if (p->mode == OM_OUTPUT) {
		if (ends_hdr || blank(t))
			return 0;
		p->mode = OM_TEXT;
	}
	if ((icon = tool_icon(b)) != NULL && b[strlen(icon) + 1] != ' ' &&
	    (strcmp(icon, "#") != 0 || strstr(b, "agent=") || starts(b, "# Todos"))) {
		const char *title = piece(c, b + strlen(icon) + 1, rtrim_len(b + strlen(icon) + 1,
		                          strlen(b + strlen(icon) + 1)));
		return omo_header(p, icon, title, ends_hdr, fn, arg);
	}
	if (was_blank && rx_match(RX_OMO_MODEL, t, tn, c->md) > 0) {
		tb_set(&p->model, t, rtrim_len(t, tn));
		p->has_model = 1;
		p->model_line = c->lineno;
		return 0;
	}
	if (starts(b, "┃  Thinking:")) {
		p->mode = OM_THINK;
		return emit_simple(c, AGENT_EV_STEP, trimmed(c, b + strlen("┃  ")), fn, arg);
	}
	return emit_text(c, trimmed(c, t), fn, arg);
}

static int
omo_line(void *st, const char *raw, size_t n, long lineno, agent_event_fn fn, void *arg)
{
	struct omo *p = st;
	struct tp *c = &p->c;
	const char *s;
	size_t len;
	int rc, r;

	tp_begin(c, raw, n, lineno);
	s = tb_str(&c->ln);
	len = c->ln.len;

	/* --verbose lines go to stderr while the text streams to stdout, so a
	 * verbose line can start in the middle of a text line: the text
	 * before it is a piece of that line, the rest of which follows on a
	 * later line. */
	if ((rc = rx_match(RX_OMO_VTAG, s, len, c->md)) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
		size_t at = ov[0];
		if (at == 0 || p->verbose) {
			p->verbose = 1;
			if (at > 0 && p->frag.len + at <= FRAG_MAX)
				tb_cat(&p->frag, s, at);
			return omo_verbose(p, s + at, fn, arg);
		}
	}
	if (p->frag.len) {
		tb_cat(&p->frag, s, len);
		/* Parse the joined line as if it had come whole; the
		 * buffer moves into place so pieces stay valid. */
		struct tbuf t = p->frag;
		p->frag = c->ln;
		c->ln = t;
		tb_clear(&p->frag);
		tb_clear(&c->aux);
		(void)tb_reserve(&c->aux, 2 * c->ln.len + 256);
		s = tb_str(&c->ln);
		len = c->ln.len;
	}
	r = omo_stdout(p, s, len, fn, arg);
	return r;
}

static int
omo_end(void *st, agent_event_fn fn, void *arg)
{
	struct omo *p = st;
	int r = 0;

	if (p->frag.len) {
		struct tbuf t = p->frag;
		p->frag = p->c.ln;
		p->c.ln = t;
		tb_clear(&p->frag);
		tb_clear(&p->c.aux);
		(void)tb_reserve(&p->c.aux, 2 * p->c.ln.len + 256);
		r = omo_stdout(p, tb_str(&p->c.ln), p->c.ln.len, fn, arg);
	}
	if (!r && p->has_model) {
		struct agent_event e;
		agent_event_init(&e);
		e.kind = AGENT_EV_MODEL;
		e.model = skip_blanks(tb_str(&p->model));
		p->has_model = 0;
		r = emit(&e, p->model_line, fn, arg);
	}
	if (!r && p->mode == OM_PATCH)
		r = omo_patch_end(p, fn, arg);
	return r;
}

static size_t
omo_session(const char *line, size_t len, char *buf, size_t buflen)
{
	size_t n = session_rx(RX_OMO_SESSION, line, len, buf, buflen);
	if (n == 0 && memchr(line, '{', len))
		n = session_rx(RX_OMO_JSONSES, line, len, buf, buflen);
	return n;
}

const struct agent_dialect_ops agent__omo_ops = {
	.new = omo_new, .free = omo_free, .line = omo_line, .end = omo_end, .session = omo_session,
};

/* ==== codex exec (human transcript on stderr) ============================ */

enum cx_sec {
	CX_NONE,      /* before the header, or after an error */
	CX_HEADER,    /* "OpenAI Codex v…" up to the second "--------" */
	CX_USER,      /* the prompt */
	CX_CODEX,     /* assistant text */
	CX_THINK,     /* reasoning */
	CX_EXEC_CMD,  /* the command line after "exec" */
	CX_EXEC_OUT,  /* its status line and output */
	CX_PATCH,     /* "apply patch": status, paths, diffs */
	CX_TOKENS,    /* the count after "tokens used" */
	CX_DONE,      /* after the count: the final message again (stdout) */
};

struct cx {
	struct tp c;
	enum cx_sec sec;
	int rules;              /* "--------" lines seen in the header */
	int cmd_on;             /* a command started, its status not seen */
	long cmd_line;
	char call[32];          /* pairs its start and end */
	struct tbuf cmd;
	enum agent_tool_status pstatus;
	int ppend;              /* a patched path waits for its diff header */
	long pline;
	enum agent_tool_kind pkind;
	struct tbuf ppath;
	struct tbuf lasterr;    /* codex prints its final error twice */
	int mid;                /* started inside the log, no section seen yet */
	struct tbuf held;       /* there: an ERROR line, until its second copy */
};

static void *
cx_new(enum agent_dialect d)
{
	struct cx *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	if (tp_init(&p->c, d) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

static void
cx_mid(void *st)
{
	struct cx *p = st;
	p->mid = 1;
}

static void
cx_free(void *st)
{
	struct cx *p = st;
	if (!p)
		return;
	tp_fini(&p->c);
	tb_free(&p->cmd);
	tb_free(&p->ppath);
	tb_free(&p->lasterr);
	tb_free(&p->held);
	free(p);
}

static int
cx_patch_flush(struct cx *p, enum agent_tool_kind k, agent_event_fn fn, void *arg)
{
	struct agent_event e;

	if (!p->ppend)
		return 0;
	p->ppend = 0;
	agent_event_init(&e);
	e.kind = AGENT_EV_TOOL;
	e.status = p->pstatus;
	e.tkind = k;
	e.tool = "apply_patch";
	e.title = e.path = tb_str(&p->ppath);
	return emit(&e, p->pline, fn, arg);
}

/* The command inside codex's "/bin/bash -lc '…'" wrapper. */
static const char *
cx_command(struct tp *c, const char *s, size_t n)
{
	const char *g;
	int rc = rx_match(RX_CX_SHELL, s, n, c->md);
	if (rc > 0) {
		size_t k = rx_group(c->md, rc, 1, s, &g);
		if (k >= 2 && g[0] == '\'' && g[k - 1] == '\'') {
			/* Undo the shell quoting: '\'' is one quote. */
			char *o = (char *)piece(c, g + 1, k - 2);
			char *w = o;
			for (const char *q = o; *q; ) {
				if (strncmp(q, "'\\''", 4) == 0) {
					*w++ = '\'';
					q += 4;
				} else {
					*w++ = *q++;
				}
			}
			*w = '\0';
			return o;
		}
		if (k >= 2 && g[0] == '"' && g[k - 1] == '"')
			return piece(c, g + 1, k - 2);
		return piece(c, g, k);
	}
	return piece(c, s, n);
}

static int
cx_exec_start(struct cx *p, const char *s, size_t n, agent_event_fn fn, void *arg)
{
	struct tp *c = &p->c;
	struct agent_event e;
	const char *g;
	int rc = rx_match(RX_CX_EXEC, s, n, c->md);
	size_t k = rc > 0 ? rx_group(c->md, rc, 1, s, &g) : (g = s, n);
	const char *cmd = cx_command(c, g, k);

	tb_set(&p->cmd, cmd, strlen(cmd));
	p->cmd_on = 1;
	p->cmd_line = c->lineno;
	snprintf(p->call, sizeof p->call, "L%ld", c->lineno);
	p->sec = CX_EXEC_OUT;
	agent_event_init(&e);
	e.call_id = p->call;
	e.kind = AGENT_EV_TOOL;
	e.status = AGENT_TOOL_RUNNING;
	e.tkind = AGENT_TK_SHELL;
	e.tool = "exec_command";
	e.title = cmd;
	return emit(&e, c->lineno, fn, arg);
}

/* *hit says whether t was a section marker. */
static int
cx_marker(struct cx *p, const char *t, int *hit, agent_event_fn fn, void *arg)
{
	static const struct {
		const char *m;
		enum cx_sec sec;
	} mk[] = {
		{ "user", CX_USER }, { "codex", CX_CODEX }, { "thinking", CX_THINK },
		{ "exec", CX_EXEC_CMD }, { "apply patch", CX_PATCH }, { "apply_patch", CX_PATCH },
	};
	for (size_t i = 0; i < sizeof mk / sizeof mk[0]; i++) {
		if (strcmp(t, mk[i].m) != 0)
			continue;
		*hit = 1;
		int r = cx_patch_flush(p, AGENT_TK_EDIT, fn, arg);
		if (r)
			return r;
		p->sec = mk[i].sec;
		p->pstatus = AGENT_TOOL_COMPLETED;
		if (mk[i].sec == CX_THINK)
			return emit_simple(&p->c, AGENT_EV_STEP, "thinking", fn, arg);
		return 0;
	}
	*hit = 0;
	return 0;
}

static int
cx_patch(struct cx *p, const char *t, agent_event_fn fn, void *arg)
{
	static const char *const diffhdr[] = {
		"diff --git", "index ", "--- ", "+++ ", "@@", "similarity", "rename ",
		"old mode", "new mode", "\\ No newline", "Binary files",
	};
	struct tp *c = &p->c;

	if (starts(t, "patch: ")) {
		p->pstatus = strstr(t, "completed") ? AGENT_TOOL_COMPLETED : AGENT_TOOL_ERROR;
		return 0;
	}
	if (starts(t, "new file mode"))
		return cx_patch_flush(p, AGENT_TK_WRITE, fn, arg);
	if (starts(t, "deleted file mode"))
		return cx_patch_flush(p, AGENT_TK_DELETE, fn, arg);
	for (size_t i = 0; i < sizeof diffhdr / sizeof diffhdr[0]; i++)
		if (starts(t, diffhdr[i]))
			return starts(t, "diff --git") ? 0 : cx_patch_flush(p, p->pkind, fn, arg);
	if (t[0] == '+' || t[0] == '-' || t[0] == ' ' || !t[0])
		return 0;
	int r = cx_patch_flush(p, p->pkind, fn, arg);
	if (r)
		return r;
	p->pkind = AGENT_TK_EDIT;
	/* Older releases list "A path" / "M path" / "D path". */
	if ((t[0] == 'A' || t[0] == 'M' || t[0] == 'D') && t[1] == ' ') {
		p->pkind = t[0] == 'A' ? AGENT_TK_WRITE : t[0] == 'D' ? AGENT_TK_DELETE : AGENT_TK_EDIT;
		t += 2;
	}
	tb_set(&p->ppath, t, strlen(t));
	p->ppend = 1;
	p->pline = c->lineno;
	return 0;
}

static int
cx_line(void *st, const char *raw, size_t n, long lineno, agent_event_fn fn, void *arg)
{
	struct cx *p = st;
	struct tp *c = &p->c;
	const char *s, *g;
	size_t len;
	int rc, r;

	tp_begin(c, raw, n, lineno);
	s = tb_str(&c->ln);
	len = c->ln.len;
	if ((rc = rx_match(RX_CX_TS, s, len, c->md)) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
		s += ov[1];
		len -= ov[1];
	}
	const char *t = piece(c, s, rtrim_len(s, len));
	size_t tn = strlen(t);
	int held = p->held.len > 0;

	tb_clear(&p->held);
	if (p->sec != CX_NONE)
		p->mid = 0;
	if (starts(t, "ERROR: ")) {
		const char *msg = trimmed(c, t + 7);
		int retry = rx_match(RX_CX_RECONNECT, msg, strlen(msg), c->md) > 0;
		/* Started inside the log, before any section: this may be the
		 * end of a command's output.  Codex prints its final error
		 * twice, so the second copy says it is codex's. */
		if (retry)
			p->mid = 0;
		if (p->mid && p->sec == CX_NONE) {
			if (!held || strcmp(tb_str(&p->lasterr), msg) != 0) {
				tb_set(&p->lasterr, msg, strlen(msg));
				tb_set(&p->held, msg, strlen(msg));
				return 0;
			}
			p->mid = 0;
			tb_clear(&p->lasterr);
		}
		/* Command output may say "ERROR:" too; codex's own retry
		 * notices are recognisable, and end any output. */
		if (p->sec != CX_EXEC_OUT || retry) {
			if ((r = cx_patch_flush(p, p->pkind, fn, arg)) != 0)
				return r;
			p->sec = CX_NONE;
			if (retry)
				return emit_error(c, msg, 0, fn, arg);
			if (p->lasterr.len && strcmp(tb_str(&p->lasterr), msg) == 0)
				return 0;
			tb_set(&p->lasterr, msg, strlen(msg));
			return emit_error(c, msg, 1, fn, arg);
		}
	}
	if (starts(t, "Error: ") && ((p->sec == CX_NONE && !p->mid) || p->sec == CX_HEADER ||
	                             p->sec == CX_DONE || starts(t, "Error: thread/")))
		return emit_error(c, trimmed(c, t + 7), 1, fn, arg);
	if (rx_match(RX_DET_CODEX, t, tn, c->md) > 0 && strstr(t, "OpenAI Codex v")) {
		p->sec = CX_HEADER;
		p->rules = 0;
		return 0;
	}
	if (p->sec == CX_HEADER || p->sec == CX_NONE) {
		if ((rc = rx_match(RX_CX_SESSION, t, tn, c->md)) > 0) {
			size_t k = rx_group(c->md, rc, 1, t, &g);
			return emit_session(c, piece(c, g, k), fn, arg);
		}
		if (p->sec == CX_HEADER) {
			if (strcmp(t, "--------") == 0 && ++p->rules >= 2)
				p->sec = CX_NONE;
			if (starts(t, "model: ")) {
				struct agent_event e;
				agent_event_init(&e);
				e.kind = AGENT_EV_MODEL;
				e.model = skip_blanks(t + 7);
				return emit(&e, lineno, fn, arg);
			}
			return 0;
		}
	}
	if ((rc = rx_match(RX_CX_TOKENS, t, tn, c->md)) > 0) {
		if ((r = cx_patch_flush(p, p->pkind, fn, arg)) != 0)
			return r;
		/* "tokens used" over its count ends the run; older releases
		 * printed "tokens used: N" after every model reply. */
		if (rx_group(c->md, rc, 1, t, &g) == 0) {
			p->sec = CX_TOKENS;
			return 0;
		}
		return emit_simple(c, AGENT_EV_STEP, t, fn, arg);
	}
	if (p->sec == CX_TOKENS && rx_match(RX_CX_NUMBER, t, tn, c->md) > 0) {
		p->sec = CX_DONE;
		return emit_simple(c, AGENT_EV_DONE, "tokens used", fn, arg);
	}
	int hit;
	if ((r = cx_marker(p, t, &hit, fn, arg)) != 0 || hit || p->sec == CX_DONE)
		return r;   /* after the count only a new section counts */
	if (starts(t, "exec ") && rx_match(RX_CX_EXEC, t, tn, c->md) > 0)
		return cx_exec_start(p, t + 5, tn - 5, fn, arg);   /* older one-line form */

	switch (p->sec) {
	case CX_CODEX:
		return emit_text(c, trimmed(c, t), fn, arg);
	case CX_EXEC_CMD:
		if (!*t)
			return 0;
		return cx_exec_start(p, t, tn, fn, arg);
	case CX_EXEC_OUT:
		if (p->cmd_on && (rc = rx_match(RX_CX_STATUS, skip_blanks(t), strlen(skip_blanks(t)), c->md)) > 0) {
			struct agent_event e;
			const char *ok, *code;
			const char *u = skip_blanks(t);
			size_t kok = rx_group(c->md, rc, 2, u, &ok);
			size_t kcode = rx_group(c->md, rc, 3, u, &code);
			agent_event_init(&e);
			e.kind = AGENT_EV_TOOL;
			e.tkind = AGENT_TK_SHELL;
			e.tool = "exec_command";
			e.title = tb_str(&p->cmd);
			e.call_id = p->call;
			e.status = kok ? AGENT_TOOL_COMPLETED : AGENT_TOOL_ERROR;
			e.exit_code = kok ? 0 : kcode ? atoi(piece(c, code, kcode)) : -1;
			p->cmd_on = 0;
			return emit(&e, lineno, fn, arg);
		}
		return 0;
	case CX_PATCH:
		return cx_patch(p, t, fn, arg);
	default:
		return 0;
	}
}

static int
cx_end(void *st, agent_event_fn fn, void *arg)
{
	struct cx *p = st;
	return cx_patch_flush(p, p->pkind, fn, arg);
}

static size_t
cx_session(const char *line, size_t len, char *buf, size_t buflen)
{
	if (len < 11 || !memmem(line, len > 256 ? 256 : len, "session id: ", 12))
		return 0;
	return session_rx(RX_CX_SESSION, line, len, buf, buflen);
}

const struct agent_dialect_ops agent__codex_text_ops = {
	.new = cx_new, .free = cx_free, .line = cx_line, .end = cx_end, .session = cx_session,
	.mid = cx_mid,
};

/* ==== plain text: claude -p, gemini -p, anything else ==================== */

struct plain {
	struct tp c;
	/* gemini -p in json mode whose head was all warnings and retry
	 * traces reads as gemini-text; its result object at the end, "{"
	 * then "  \"session_id\": …", goes to a gemini-json parser */
	void *gj;
	int brace;              /* a "{" line waits for the next one */
	long brace_line;
	int in_obj;
	int trace;              /* gemini: inside an error dump (stack, "}") */
};

static void *
plain_new(enum agent_dialect d)
{
	struct plain *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	if (tp_init(&p->c, d) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

static void
plain_free(void *st)
{
	struct plain *p = st;
	if (!p)
		return;
	tp_fini(&p->c);
	if (p->gj)
		agent__gemini_json_ops.free(p->gj);
	free(p);
}

/* Gemini's result object inside a gemini-text log: 1 when the line was
 * taken (or held), 0 when it is plain text; -1/other: the callback's. */
static int
plain_gemini_obj(struct plain *p, const char *raw, size_t n, long lineno,
                 agent_event_fn fn, void *arg, int *taken)
{
	const struct agent_dialect_ops *o = &agent__gemini_json_ops;
	size_t k = n;
	int r;

	*taken = 0;
	while (k > 0 && (raw[k - 1] == '\r' || raw[k - 1] == ' '))
		k--;
	if (p->in_obj) {
		*taken = 1;
		if (k == 1 && raw[0] == '}')
			p->in_obj = 0;
		return o->line(p->gj, raw, n, lineno, fn, arg);
	}
	if (p->brace) {
		p->brace = 0;
		if (n > 14 && memcmp(raw, "  \"session_id\"", 14) == 0) {
			if (!p->gj && !(p->gj = o->new(AGENT_D_GEMINI_JSON)))
				return 0;   /* no memory: read it as text */
			if ((r = o->line(p->gj, "{", 1, p->brace_line, fn, arg)) != 0)
				return r;
			p->in_obj = 1;
			*taken = 1;
			return o->line(p->gj, raw, n, lineno, fn, arg);
		}
		/* not the result: the "{" was text */
		if ((r = emit_text(&p->c, "{", fn, arg)) != 0)
			return r;
	}
	if (k == 1 && raw[0] == '{') {
		p->brace = 1;
		p->brace_line = lineno;
		*taken = 1;
	}
	return 0;
}

/* Lines the agents print around their answer that are not the answer. */
static int
plain_noise(enum agent_dialect d, const char *t)
{
	static const char *const gemini[] = {
		"Warning: 256-color support not detected", "YOLO mode is enabled",
		"Ripgrep is not available", "[STARTUP] ", "Loaded cached credentials",
		"Data collection is disabled", "Approval mode overridden",
		"Error when talking to Gemini API", "Full report available at",
	};
	if (d != AGENT_D_GEMINI_TEXT)
		return 0;
	for (size_t i = 0; i < sizeof gemini / sizeof gemini[0]; i++)
		if (starts(t, gemini[i]))
			return 1;
	return 0;
}

/* The documented fatal lines of claude -p and gemini -p; in generic logs
 * only these, never a guess from arbitrary text. */
static int
plain_error(struct plain *p, const char *t, int *hit, agent_event_fn fn, void *arg)
{
	struct tp *c = &p->c;
	enum agent_dialect d = c->d;
	int claude = d == AGENT_D_CLAUDE_TEXT || d == AGENT_D_GENERIC;
	int gemini = d == AGENT_D_GEMINI_TEXT || d == AGENT_D_GENERIC;

	if (claude && (starts(t, "Invalid API key") || starts(t, "API Error: ") ||
	               starts(t, "Claude AI usage limit reached") ||
	               starts(t, "No conversation found with session ID") ||
	               (starts(t, "Error: Session ID ") && strstr(t, "already in use")) ||
	               strstr(t, "cannot be used with root/sudo privileges")))
		return *hit = 1, emit_error(c, t, 1, fn, arg);
	if (d == AGENT_D_CLAUDE_TEXT && (starts(t, "Error: ") || strcmp(t, "Request timed out") == 0 ||
	                                 (strstr(t, "limit reached") && strstr(t, "reset"))))
		return *hit = 1, emit_error(c, t, 1, fn, arg);
	if (gemini && starts(t, "An unexpected critical error occurred"))
		return *hit = 1, emit_error(c, t, 1, fn, arg);
	if (d == AGENT_D_GEMINI_TEXT && starts(t, "Attempt ") && strstr(t, "failed"))
		return *hit = 1, emit_error(c, t, 0, fn, arg);
	if (d == AGENT_D_GEMINI_TEXT && (starts(t, "Error resuming session") ||
	                                 starts(t, "Invalid auth method selected")))
		return *hit = 1, emit_error(c, t, 1, fn, arg);
	if (d == AGENT_D_GENERIC && (starts(t, "[session.error] ") ||
	                             starts(t, "Session ended with error: ") ||
	                             starts(t, "Error: Session not found") ||
	                             starts(t, "Error: thread/resume")))
		return *hit = 1, emit_error(c, t, 1, fn, arg);
	*hit = 0;
	return 0;
}

static int
plain_line(void *st, const char *raw, size_t n, long lineno, agent_event_fn fn, void *arg)
{
	struct plain *p = st;
	struct tp *c = &p->c;
	char id[128];
	int r;

	tp_begin(c, raw, n, lineno);
	if (c->d == AGENT_D_GEMINI_TEXT) {
		int taken;
		if ((r = plain_gemini_obj(p, raw, n, lineno, fn, arg, &taken)) != 0 || taken)
			return r;
	}
	const char *t = trimmed(c, tb_str(&c->ln));
	if (!*t || plain_noise(c->d, t))
		return 0;
	if (c->d == AGENT_D_GEMINI_TEXT) {
		/* the rest of an error's dump ("    at …", "  status: 500",
		 * "}") is not text: it would hide the error it follows */
		if (rx_match(RX_STACK, tb_str(&c->ln), c->ln.len, c->md) > 0 ||
		    (p->trace && (strcmp(t, "}") == 0 || starts(t, "status: "))))
			return p->trace = 1, 0;
		p->trace = 0;
	}
	int hit;
	if ((r = plain_error(p, t, &hit, fn, arg)) != 0 || hit) {
		p->trace = hit && c->d == AGENT_D_GEMINI_TEXT;
		return r;
	}
	if (c->d == AGENT_D_GENERIC && memmem(raw, n, "ession", 6)) {
		size_t k = agent__plain_ops.session(raw, n, id, sizeof id);
		if (k > 0 && (r = emit_session(c, piece(c, id, k), fn, arg)) != 0)
			return r;
	}
	return emit_text(c, t, fn, arg);
}

static size_t
plain_session(const char *line, size_t len, char *buf, size_t buflen)
{
	size_t n;
	if ((n = omo_session(line, len, buf, buflen)) > 0)
		return n;
	if ((n = cx_session(line, len, buf, buflen)) > 0)
		return n;
	if (memchr(line, '"', len))
		return session_rx(RX_JSON_SESSION, line, len, buf, buflen);
	return 0;
}

static int
plain_end(void *st, agent_event_fn fn, void *arg)
{
	struct plain *p = st;
	int r;

	if (p->brace) {
		p->brace = 0;
		if ((r = emit_text(&p->c, "{", fn, arg)) != 0)
			return r;
	}
	p->in_obj = 0;
	return p->gj ? agent__gemini_json_ops.end(p->gj, fn, arg) : 0;
}

const struct agent_dialect_ops agent__plain_ops = {
	.new = plain_new, .free = plain_free, .line = plain_line, .end = plain_end,
	.session = plain_session,
};

/* ==== detection of text dialects ======================================= */

enum agent_dialect
agent__text_detect_line(const char *line, size_t len, int *strong)
{
	struct tbuf b = { 0 };
	pcre2_match_data *md = md_new();
	enum agent_dialect d = AGENT_D_GENERIC;
	size_t dim;

	*strong = 0;
	if (!md)
		return d;
	strip_escapes(&b, line, len, &dim);
	const char *s = tb_str(&b);
	size_t n = b.len;
	const char *icon;

	if (rx_match(RX_DET_OMO, s, n, md) > 0) {
		d = AGENT_D_OMO;
		*strong = 1;
	} else if (rx_match(RX_DET_CODEX, s, n, md) > 0) {
		d = AGENT_D_CODEX_TEXT;
		*strong = 1;
	} else if (rx_match(RX_OC_MODEL, s, n, md) > 0 && len > 0 && !memchr(s, '\t', n)) {
		d = AGENT_D_OPENCODE_TEXT;
		*strong = 1;
	} else if ((icon = tool_icon(s)) != NULL && len >= 4 + strlen(icon) + 5 &&
	           memcmp(line, "\x1b[0m", 4) == 0 &&
	           memcmp(line + 4 + strlen(icon), " \x1b[0m", 5) == 0) {
		d = AGENT_D_OPENCODE_TEXT;
		*strong = 1;
	} else if (len >= 16 && memcmp(line, "\x1b[91m\x1b[1mError: ", 16) == 0) {
		d = AGENT_D_OPENCODE_TEXT;
		*strong = 1;
	} else if (len == 4 && memcmp(line, "\x1b[0m", 4) == 0) {
		d = AGENT_D_OPENCODE_TEXT;   /* opencode's blank line */
	} else if (rx_match(RX_DET_GEMINI, s, n, md) > 0) {
		d = AGENT_D_GEMINI_TEXT;
	} else if (rx_match(RX_DET_CLAUDE, s, n, md) > 0) {
		d = AGENT_D_CLAUDE_TEXT;
	}
	tb_free(&b);
	pcre2_match_data_free(md);
	return d;
}
