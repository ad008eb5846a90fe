/* timestamp.h — inside the library only: the one reader of the ISO 8601
 * times agents write ("2026-11-23T19:42:25.846Z"). */
#ifndef AGENT_TIMESTAMP_H
#define AGENT_TIMESTAMP_H
#include <stddef.h>

/* The time at the start of s[0:n) ("T" or " " between date and time, a
 * fraction after "." or ",", then "Z" or an offset "+01:00" / "+0100",
 * each optional): seconds since the epoch, -1 when s does not start with
 * one.  *end (may be NULL) gets how many bytes it took. */
double agent__iso_time_at(const char *s, size_t n, size_t *end);
/* The same for all of s: -1 unless s is one time and nothing else. */
double agent__iso_time(const char *s);

#endif
