/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Assertions shared by the bad-input tests (test_errors_*.c, the rows of
 * docs/errors.md): a captured log line equals the documented message
 * exactly, at the documented level; on failure every captured line is
 * printed so the difference shows.
 */
#ifndef NIRQ_TEST_ERRORS_UTIL_H
#define NIRQ_TEST_ERRORS_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "test_util.h"

/* Index of the first captured line equal to @want at @level, or -1. */
static inline int errors_find_exact(struct test_log *log, enum nirq_log_level level,
				    const char *want)
{
	int found = -1;

	pthread_mutex_lock(&log->lock);
	for (unsigned i = 0; i < log->n && found < 0; i++)
		if (log->level[i] == level && !strcmp(log->line[i], want))
			found = (int)i;
	pthread_mutex_unlock(&log->lock);
	return found;
}

static inline void errors_expect_line(struct test_log *log, enum nirq_log_level level,
				      const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * errors_expect_line() - some captured line is exactly the printf-formatted
 * text, logged at @level. Use expect_line().
 */
static inline void errors_expect_line(struct test_log *log, enum nirq_log_level level,
				      const char *file, int line, const char *fmt, ...)
{
	char want[TEST_LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	if (errors_find_exact(log, level, want) >= 0)
		return;
	test_log_dump(log);
	fprintf(stderr, "%s:%d: no line at level %d equal to:\n  %s\n", file, line,
		(int)level, want);
	fail();
}

#define expect_line(log, level, ...) \
	errors_expect_line((log), (level), __FILE__, __LINE__, __VA_ARGS__)
#define expect_error(log, ...) expect_line((log), NIRQ_LOG_ERROR, __VA_ARGS__)
#define expect_warning(log, ...) expect_line((log), NIRQ_LOG_WARN, __VA_ARGS__)

/* A verifier report: "verifier: <rule>: handle <h>: <text>" at ERROR. */
#define expect_report(log, rule, handle, ...)                                   \
	do {                                                                    \
		char text_[TEST_LOG_LINE_MAX];                                  \
		snprintf(text_, sizeof(text_), __VA_ARGS__);                    \
		expect_error((log), "verifier: %s: handle %p: %s", (rule),      \
			     (const void *)(handle), text_);                    \
	} while (0)

#endif /* NIRQ_TEST_ERRORS_UTIL_H */
