/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Small helpers shared by the unit tests: a log sink that captures the
 * runtime's lines, one-shot events and gates for threaded tests (bounded
 * waits, never sleeps), and the timeout multiplier.
 */
#ifndef NIRQ_TEST_UTIL_H
#define NIRQ_TEST_UTIL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <ndisirq/ndisirq.h>

#define TEST_LOG_LINES 256u
#define TEST_LOG_LINE_MAX 512u

/** Captured log lines of one runtime. */
struct test_log {
	pthread_mutex_t lock;
	unsigned n;
	unsigned dropped;
	enum nirq_log_level level[TEST_LOG_LINES];
	char line[TEST_LOG_LINES][TEST_LOG_LINE_MAX];
};

void test_log_init(struct test_log *log);
void test_log_fini(struct test_log *log);
/** The sink: nirq_rt_config.log = test_log_sink, .log_arg = the test_log. */
nirq_log_fn test_log_sink;
void test_log_clear(struct test_log *log);
unsigned test_log_count(struct test_log *log);
/**
 * test_log_find() - index of the first line that contains every string of
 * the NULL-terminated list, or -1.
 */
int test_log_find(struct test_log *log, const char *needle, ...);
/** test_log_dump() - print every captured line to stderr. */
void test_log_dump(struct test_log *log);

/**
 * test_rt_manual() - initialize @log and create a manual runtime of
 * @processors processors whose log goes to it (test_log_sink).
 * @log is initialized either way (test_log_fini() it).
 *
 * Return: 0, or nirq_rt_create()'s -errno.
 */
int test_rt_manual(unsigned processors, struct test_log *log, struct nirq_rt **out);

/**
 * test_timeout_ms() - @base_ms scaled by NIRQ_TEST_TIMEOUT_MULTIPLIER: the
 * bound of every wait for an event that should come, and the length of the
 * window in which an event that must not come is watched for.
 */
unsigned test_timeout_ms(unsigned base_ms);

/** A one-shot event with a bounded wait. */
struct test_event {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool set;
};

void test_event_init(struct test_event *ev);
void test_event_fini(struct test_event *ev);
void test_event_set(struct test_event *ev);
bool test_event_is_set(struct test_event *ev);
/** test_event_wait() - wait until set or @ms passed. Return: whether set. */
bool test_event_wait(struct test_event *ev, unsigned ms);

/**
 * A gate that callbacks block on until the test opens it. `arrived` counts
 * the threads that reached it, so a test can wait until a callback is
 * really inside.
 */
struct test_gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool open;
	unsigned arrived;
};

void test_gate_init(struct test_gate *g);
void test_gate_fini(struct test_gate *g);
/** test_gate_pass() - arrive, then block until the gate is open. */
void test_gate_pass(struct test_gate *g);
void test_gate_open(struct test_gate *g);
/** test_gate_wait_arrived() - wait until @n threads arrived or @ms passed. */
bool test_gate_wait_arrived(struct test_gate *g, unsigned n, unsigned ms);

/** A thread running @fn(@arg) that a test can join with a bound. */
struct test_thread {
	pthread_t tid;
	void (*fn)(void *);
	void *arg;
	struct test_event done;
};

int test_thread_start(struct test_thread *t, void (*fn)(void *), void *arg);
/** test_thread_join() - wait up to @ms for it to finish; join if it did. */
bool test_thread_join(struct test_thread *t, unsigned ms);

#endif /* NIRQ_TEST_UTIL_H */
