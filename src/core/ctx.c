/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Execution context of the calling thread (emulated IRQL, processor,
 * runtime), the interrupt spin lock, logging and verifier reports.
 */
#include <stdio.h>
#include <time.h>

#include "core.h"

static _Thread_local uint8_t tl_irql = NIRQ_IRQL_PASSIVE;
static _Thread_local int tl_proc = -1;
static _Thread_local struct nirq_rt *tl_rt;
static _Thread_local struct nirq_spin *tl_held;

void nirq__ctx_enter(struct nirq_rt *rt, int proc, uint8_t irql)
{
	tl_rt = rt;
	tl_proc = proc;
	tl_irql = irql;
}

void nirq__ctx_leave(void)
{
	tl_rt = NULL;
	tl_proc = -1;
	tl_irql = NIRQ_IRQL_PASSIVE;
}

struct nirq_spin *nirq__ctx_held_lock(void)
{
	return tl_held;
}

void nirq__ctx_set_held_lock(struct nirq_spin *lock)
{
	tl_held = lock;
}

uint8_t nirq_irql_current(void)
{
	return tl_irql;
}

uint8_t nirq_irql_raise(uint8_t irql)
{
	uint8_t old = tl_irql;

	tl_irql = irql;
	return old;
}

void nirq_irql_lower(uint8_t irql)
{
	tl_irql = irql;
}

int nirq_processor_current(void)
{
	return tl_proc;
}

struct nirq_rt *nirq_rt_current(void)
{
	return tl_rt;
}

void nirq_log_stderr(void *arg, enum nirq_log_level level, const char *line)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };

	(void)arg;
	fprintf(stderr, "ndisirq: %s: %s\n", names[level], line);
}

static void vlog(struct nirq_rt *rt, enum nirq_log_level level,
		 const char *prefix, const char *fmt, va_list ap)
{
	char line[512];
	int n = snprintf(line, sizeof(line), "%s", prefix);

	if (!rt || !rt->log)
		return;
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	rt->log(rt->log_arg, level, line);
}

void nirq_log(struct nirq_rt *rt, enum nirq_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(rt, level, "", fmt, ap);
	va_end(ap);
}

void nirq_verifier_report(struct nirq_rt *rt, const char *rule,
			  const void *handle, const char *fmt, ...)
{
	char prefix[160];
	va_list ap;

	if (!rt)
		rt = tl_rt;
	if (!rt)
		return;
	atomic_fetch_add(&rt->reports, 1);
	snprintf(prefix, sizeof(prefix), "verifier: %s: handle %p: ", rule, handle);
	va_start(ap, fmt);
	vlog(rt, NIRQ_LOG_ERROR, prefix, fmt, ap);
	va_end(ap);
}

uint64_t nirq_rt_reports(const struct nirq_rt *rt)
{
	return atomic_load(&((struct nirq_rt *)rt)->reports);
}

uint64_t nirq_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

const char *nirq_version(void)
{
#define STR2(x) #x
#define STR(x) STR2(x)
	return STR(NIRQ_VERSION_MAJOR) "." STR(NIRQ_VERSION_MINOR) "." STR(NIRQ_VERSION_PATCH);
}
