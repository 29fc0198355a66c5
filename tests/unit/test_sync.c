/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Unit tests of nirq_intr_sync on a manual runtime: the callback runs at
 * DIRQL and its value is returned; it excludes the ISR of its message (of
 * every message with sync_all) but not the ISRs of other messages.
 *
 * Exclusion is probed from inside the sync callback: the message's vector
 * fires and a helper thread steps the message's processor. Once the helper
 * is inside nirq_processor_run_once the ISR either runs within microseconds
 * (no exclusion) or not until the callback returns. The callback watches
 * for it for a bounded window; the contrast test (another message) shows the
 * same probe does see an ISR that is not excluded.
 */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core_fixture.h"
#include "core_recorder.h"

/* How long the probe watches for an ISR that must not run. */
#define EXCLUSION_WINDOW_MS 250u
/* Bound of every wait for something that must happen. */
#define MUST_HAPPEN_MS 10000u

/* ------------------------------------------------------- value and IRQL */

struct simple {
	bool ret;
	uint8_t irql;
	int proc;
	unsigned calls;
};

static bool simple_sync(void *arg)
{
	struct simple *s = arg;

	s->calls++;
	s->irql = nirq_irql_current();
	s->proc = nirq_processor_current();
	return s->ret;
}

static void test_sync_runs_at_dirql_and_returns_callback_value(void **state)
{
	struct rec_fixture *t = *state;
	struct simple s = { .ret = true };

	assert_int_equal(rec_connect(&t->rec, false), 0);
	assert_true(nirq_intr_sync(t->fx.intr, 1, simple_sync, &s));
	assert_int_equal(s.irql, NIRQ_IRQL_DIRQL);
	s.ret = false;
	assert_false(nirq_intr_sync(t->fx.intr, 1, simple_sync, &s));
	assert_int_equal(s.calls, 2);
}

static void test_sync_restores_the_callers_irql(void **state)
{
	struct rec_fixture *t = *state;
	struct simple s = { .ret = true };

	assert_int_equal(rec_connect(&t->rec, false), 0);
	assert_int_equal(nirq_irql_current(), NIRQ_IRQL_PASSIVE);
	(void)nirq_intr_sync(t->fx.intr, 0, simple_sync, &s);
	assert_int_equal(nirq_irql_current(), NIRQ_IRQL_PASSIVE);
}

static void test_sync_on_line_ignores_message_id(void **state)
{
	struct rec_fixture *t = *state;
	struct simple s = { .ret = true };

	assert_int_equal(t->fx.grant.kind, NIRQ_KIND_LINE);
	assert_int_equal(rec_connect(&t->rec, false), 0);
	assert_true(nirq_intr_sync(t->fx.intr, 7, simple_sync, &s));
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.irql, NIRQ_IRQL_DIRQL);
}

/* ------------------------------------------------------------ exclusion */

struct probe {
	struct rec_fixture *t;
	uint32_t fire_msg;
	unsigned window_ms;        /* how long to watch for the ISR */
	atomic_bool stepping;      /* the helper is inside run_once */
	struct test_event isr_ran; /* the ISR of fire_msg ran */
	struct test_thread helper;
	bool helper_started;
	bool ran_inside;           /* the ISR ran while the sync held the lock */
};

static void probe_isr_hook(struct rec *r, uint32_t msg)
{
	struct probe *pr = r->user;

	if (msg == pr->fire_msg)
		test_event_set(&pr->isr_ran);
}

static void probe_helper(void *arg)
{
	struct probe *pr = arg;

	atomic_store(&pr->stepping, true);
	nirq_processor_run_once(pr->t->fx.rt, pr->t->fx.grant.target[pr->fire_msg]);
}

static bool probe_sync(void *arg)
{
	struct probe *pr = arg;
	unsigned spins = 0;

	fake_fire(pr->t->fx.pf, pr->fire_msg);
	pr->helper_started = test_thread_start(&pr->helper, probe_helper, pr) == 0;
	if (!pr->helper_started)
		return false;
	/* Bounded: wait until the helper has entered run_once (no sleep; it is
	 * a freshly started thread, so this is a handful of yields). */
	while (!atomic_load(&pr->stepping) && spins++ < 100000000u)
		sched_yield();
	pr->ran_inside = test_event_wait(&pr->isr_ran, pr->window_ms);
	return true;
}

static void probe_init(struct probe *pr, struct rec_fixture *t, uint32_t fire_msg, unsigned window_ms)
{
	*pr = (struct probe){ .t = t, .fire_msg = fire_msg, .window_ms = window_ms };
	test_event_init(&pr->isr_ran);
	t->rec.user = pr;
	t->rec.isr_hook = probe_isr_hook;
}

/* After the sync returned: the helper finishes and the ISR has run once. */
static void probe_finish(struct probe *pr)
{
	assert_true(pr->helper_started);
	assert_true(atomic_load(&pr->stepping));
	assert_true(test_thread_join(&pr->helper, test_timeout_ms(MUST_HAPPEN_MS)));
	nirq_rt_run_until_idle(pr->t->fx.rt);
	assert_int_equal(rec_isr_calls(&pr->t->rec, pr->fire_msg), 1);
	test_event_fini(&pr->isr_ran);
}

static void test_sync_excludes_isr_of_its_message(void **state)
{
	struct rec_fixture *t = *state;
	struct probe pr;

	probe_init(&pr, t, 2, test_timeout_ms(EXCLUSION_WINDOW_MS));
	assert_int_equal(rec_connect(&t->rec, false), 0);
	assert_true(nirq_intr_sync(t->fx.intr, 2, probe_sync, &pr));
	assert_false(pr.ran_inside);
	probe_finish(&pr);
}

static void test_sync_does_not_exclude_other_messages(void **state)
{
	struct rec_fixture *t = *state;
	struct probe pr;

	/* Message 1 has its own lock and processor: its ISR runs meanwhile. */
	probe_init(&pr, t, 1, test_timeout_ms(MUST_HAPPEN_MS));
	assert_int_equal(rec_connect(&t->rec, false), 0);
	assert_int_not_equal(t->fx.grant.target[1], t->fx.grant.target[2]);
	assert_true(nirq_intr_sync(t->fx.intr, 2, probe_sync, &pr));
	assert_true(pr.ran_inside);
	probe_finish(&pr);
}

static void test_sync_all_excludes_every_message_isr(void **state)
{
	struct rec_fixture *t = *state;
	struct probe pr;

	probe_init(&pr, t, 1, test_timeout_ms(EXCLUSION_WINDOW_MS));
	assert_int_equal(rec_connect(&t->rec, true), 0);
	assert_true(nirq_intr_sync(t->fx.intr, 2, probe_sync, &pr));
	assert_false(pr.ran_inside);
	probe_finish(&pr);
}

/* ---------------------------------------------------------------- misuse */

struct self_sync {
	struct rec_fixture *t;
	bool called_back;
	bool done;
};

static bool never_called(void *arg)
{
	struct self_sync *s = arg;

	s->called_back = true;
	return true;
}

static void sync_from_isr_hook(struct rec *r, uint32_t msg)
{
	struct self_sync *s = r->user;

	(void)nirq_intr_sync(s->t->fx.intr, msg, never_called, s);
	s->done = true;
}

static void test_sync_from_own_isr_is_reported_and_does_not_deadlock(void **state)
{
	struct rec_fixture *t = *state;
	struct self_sync s = { .t = t };
	uint64_t before;

	t->rec.user = &s;
	t->rec.isr_hook = sync_from_isr_hook;
	assert_int_equal(rec_connect(&t->rec, false), 0);
	before = nirq_rt_reports(t->fx.rt);
	fake_fire(t->fx.pf, 0);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_true(s.done);
	assert_false(s.called_back);
	assert_int_equal(nirq_rt_reports(t->fx.rt), before + 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, rec_fixture_setup_msix, rec_fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_sync_runs_at_dirql_and_returns_callback_value),
		T(test_sync_restores_the_callers_irql),
		cmocka_unit_test_setup_teardown(test_sync_on_line_ignores_message_id,
						rec_fixture_setup_line, rec_fixture_teardown),
		T(test_sync_excludes_isr_of_its_message),
		T(test_sync_does_not_exclude_other_messages),
		T(test_sync_all_excludes_every_message_isr),
		T(test_sync_from_own_isr_is_reported_and_does_not_deadlock),
	};
#undef T
	return cmocka_run_group_tests_name("sync", tests, NULL, NULL);
}
