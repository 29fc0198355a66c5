/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Shared unit-test helpers: log capture, events, gates, bounded joins and the
 * timeout multiplier (see test_util.h).
 */
#include "test_util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void test_log_init(struct test_log *log)
{
	memset(log, 0, sizeof(*log));
	pthread_mutex_init(&log->lock, NULL);
}

void test_log_fini(struct test_log *log)
{
	pthread_mutex_destroy(&log->lock);
}

void test_log_sink(void *arg, enum nirq_log_level level, const char *line)
{
	struct test_log *log = arg;

	if (getenv("NIRQ_TEST_VERBOSE"))
		fprintf(stderr, "log: %s\n", line);
	pthread_mutex_lock(&log->lock);
	if (log->n < TEST_LOG_LINES) {
		log->level[log->n] = level;
		snprintf(log->line[log->n], TEST_LOG_LINE_MAX, "%s", line);
		log->n++;
	} else {
		log->dropped++;
	}
	pthread_mutex_unlock(&log->lock);
}

void test_log_clear(struct test_log *log)
{
	pthread_mutex_lock(&log->lock);
	log->n = 0;
	log->dropped = 0;
	pthread_mutex_unlock(&log->lock);
}

unsigned test_log_count(struct test_log *log)
{
	unsigned n;

	pthread_mutex_lock(&log->lock);
	n = log->n;
	pthread_mutex_unlock(&log->lock);
	return n;
}

static bool line_has_all(const char *line, const char *first, va_list ap)
{
	for (const char *s = first; s; s = va_arg(ap, const char *))
		if (!strstr(line, s))
			return false;
	return true;
}

int test_log_find(struct test_log *log, const char *needle, ...)
{
	int at = -1;

	pthread_mutex_lock(&log->lock);
	for (unsigned i = 0; i < log->n && at < 0; i++) {
		va_list ap;

		va_start(ap, needle);
		if (line_has_all(log->line[i], needle, ap))
			at = (int)i;
		va_end(ap);
	}
	pthread_mutex_unlock(&log->lock);
	return at;
}

void test_log_dump(struct test_log *log)
{
	pthread_mutex_lock(&log->lock);
	for (unsigned i = 0; i < log->n; i++)
		fprintf(stderr, "captured log[%u]: %s\n", i, log->line[i]);
	pthread_mutex_unlock(&log->lock);
}

int test_rt_manual(unsigned processors, struct test_log *log, struct nirq_rt **out)
{
	struct nirq_rt_config cfg;

	test_log_init(log);
	nirq_rt_config_init(&cfg);
	cfg.processors = processors;
	cfg.manual = true;
	cfg.log = test_log_sink;
	cfg.log_arg = log;
	return nirq_rt_create(&cfg, out);
}

unsigned test_timeout_ms(unsigned base_ms)
{
	const char *m = getenv("NIRQ_TEST_TIMEOUT_MULTIPLIER");
	unsigned long mult = m ? strtoul(m, NULL, 10) : 1;

	return base_ms * (unsigned)(mult ? mult : 1);
}

/* CLOCK_REALTIME deadline @ms from now, for pthread_cond_timedwait. */
static struct timespec deadline_in(unsigned ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

void test_event_init(struct test_event *ev)
{
	pthread_mutex_init(&ev->lock, NULL);
	pthread_cond_init(&ev->cond, NULL);
	ev->set = false;
}

void test_event_fini(struct test_event *ev)
{
	pthread_cond_destroy(&ev->cond);
	pthread_mutex_destroy(&ev->lock);
}

void test_event_set(struct test_event *ev)
{
	pthread_mutex_lock(&ev->lock);
	ev->set = true;
	pthread_cond_broadcast(&ev->cond);
	pthread_mutex_unlock(&ev->lock);
}

bool test_event_is_set(struct test_event *ev)
{
	bool r;

	pthread_mutex_lock(&ev->lock);
	r = ev->set;
	pthread_mutex_unlock(&ev->lock);
	return r;
}

bool test_event_wait(struct test_event *ev, unsigned ms)
{
	struct timespec dl = deadline_in(ms);
	int err = 0;
	bool r;

	pthread_mutex_lock(&ev->lock);
	while (!ev->set && err != ETIMEDOUT)
		err = pthread_cond_timedwait(&ev->cond, &ev->lock, &dl);
	r = ev->set;
	pthread_mutex_unlock(&ev->lock);
	return r;
}

void test_gate_init(struct test_gate *g)
{
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->cond, NULL);
	g->open = false;
	g->arrived = 0;
}

void test_gate_fini(struct test_gate *g)
{
	pthread_cond_destroy(&g->cond);
	pthread_mutex_destroy(&g->lock);
}

void test_gate_pass(struct test_gate *g)
{
	pthread_mutex_lock(&g->lock);
	g->arrived++;
	pthread_cond_broadcast(&g->cond);
	while (!g->open)
		pthread_cond_wait(&g->cond, &g->lock);
	pthread_mutex_unlock(&g->lock);
}

void test_gate_open(struct test_gate *g)
{
	pthread_mutex_lock(&g->lock);
	g->open = true;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

bool test_gate_wait_arrived(struct test_gate *g, unsigned n, unsigned ms)
{
	struct timespec dl = deadline_in(ms);
	int err = 0;
	bool r;

	pthread_mutex_lock(&g->lock);
	while (g->arrived < n && err != ETIMEDOUT)
		err = pthread_cond_timedwait(&g->cond, &g->lock, &dl);
	r = g->arrived >= n;
	pthread_mutex_unlock(&g->lock);
	return r;
}

static void *thread_main(void *arg)
{
	struct test_thread *t = arg;

	t->fn(t->arg);
	test_event_set(&t->done);
	return NULL;
}

int test_thread_start(struct test_thread *t, void (*fn)(void *), void *arg)
{
	t->fn = fn;
	t->arg = arg;
	test_event_init(&t->done);
	return pthread_create(&t->tid, NULL, thread_main, t);
}

bool test_thread_join(struct test_thread *t, unsigned ms)
{
	if (!test_event_wait(&t->done, ms))
		return false;
	pthread_join(t->tid, NULL);
	test_event_fini(&t->done);
	return true;
}
