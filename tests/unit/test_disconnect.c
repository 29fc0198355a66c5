/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Unit tests of nirq_intr_disconnect: it waits for a running ISR and a
 * running DPC, runs the DPCs still queued, masks and detaches every vector,
 * nothing of the interrupt runs after it returns, and calling it from an
 * ISR, DPC or sync callback is reported instead of deadlocking.
 *
 * The waiting tests use a threaded runtime: a callback blocks on a gate the
 * test controls, a second thread disconnects. The test waits (bounded) until
 * the disconnect has begun (the fake platform sees it mask a vector), checks
 * that it has not returned while the gate is closed, opens the gate and
 * checks that it returns. The disconnecting thread records, at the moment
 * disconnect returns, whether the blocked callback had finished, so a
 * disconnect that returns too early fails deterministically.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core_fixture.h"
#include "core_recorder.h"

/* How long the test watches for a disconnect that must not return yet. */
#define EARLY_RETURN_WINDOW_MS 250u
/* Bound of every wait for something that must happen. */
#define MUST_HAPPEN_MS 10000u

struct t {
	struct core_fixture fx;
	struct rec rec;

	struct test_gate gate;        /* the blocked callback waits here */
	atomic_bool callback_done;    /* it returned from the gate */
	atomic_bool second_dpc_ran;   /* (queued DPC test) */
	struct test_event masking;    /* disconnect has begun: a vector was masked */
	struct test_event returned;   /* disconnect returned */
	struct test_thread dereg;
	bool dereg_started, dereg_joined;
	int dereg_rc;
	bool done_at_return;          /* callback_done when disconnect returned */
	bool second_at_return;        /* second_dpc_ran when disconnect returned */
};

static int setup_with(void **state, const struct core_fixture_opts *o)
{
	struct t *t = calloc(1, sizeof(*t));

	if (!t || core_fixture_setup(&t->fx, o))
		return -1;
	rec_init(&t->rec, &t->fx);
	t->rec.user = t;
	test_gate_init(&t->gate);
	test_event_init(&t->masking);
	test_event_init(&t->returned);
	*state = t;
	return 0;
}

/* Threaded, 2 processors, one message on processor 0: processor 1 owns no
 * vector, so a DPC blocked there delays only the DPC wait, not the detach. */
static int setup_threaded(void **state)
{
	struct core_fixture_opts o;

	core_fixture_opts_init(&o);
	o.threaded = true;
	o.processors = 2;
	o.policy.message_number_limit = 1;
	return setup_with(state, &o);
}

static int setup_manual(void **state)
{
	struct core_fixture_opts o;

	core_fixture_opts_init(&o);
	return setup_with(state, &o);
}

static int teardown(void **state)
{
	struct t *t = *state;

	test_gate_open(&t->gate); /* never leave a processor blocked */
	/* A failed assertion may have left the disconnecting thread behind. */
	if (t->dereg_started && !t->dereg_joined &&
	    test_thread_join(&t->dereg, test_timeout_ms(MUST_HAPPEN_MS)))
		t->fx.intr = NULL;
	if (t->dereg_started && test_event_is_set(&t->returned))
		t->fx.intr = NULL;
	core_fixture_teardown(&t->fx);
	test_event_fini(&t->returned);
	test_event_fini(&t->masking);
	test_gate_fini(&t->gate);
	rec_fini(&t->rec);
	free(t);
	return 0;
}

/* ------------------------------------------------ threaded: the waiting */

static void block_in_gate(struct t *t)
{
	test_gate_pass(&t->gate);
	atomic_store(&t->callback_done, true);
}

static void gate_isr_hook(struct rec *r, uint32_t msg)
{
	(void)msg;
	block_in_gate(r->user);
}

static void gate_dpc_hook(struct rec *r, uint32_t msg, void *dpc_ctx)
{
	struct t *t = r->user;

	(void)msg;
	if (dpc_ctx == &t->gate)
		block_in_gate(t);
	else
		atomic_store(&t->second_dpc_ran, true);
}

static void on_mask(struct nirq_platform *pf, void *arg, const struct fake_call *c)
{
	struct t *t = arg;

	(void)pf;
	if (c->op == FAKE_OP_MASK)
		test_event_set(&t->masking);
}

static void dereg_main(void *arg)
{
	struct t *t = arg;

	t->dereg_rc = nirq_intr_disconnect(t->fx.intr);
	t->done_at_return = atomic_load(&t->callback_done);
	t->second_at_return = atomic_load(&t->second_dpc_ran);
	test_event_set(&t->returned);
}

/*
 * With a callback blocked in the gate: disconnect on another thread, check
 * it is still waiting once it has begun, open the gate, check it returns.
 */
static void disconnect_across_gate(struct t *t)
{
	assert_true(test_gate_wait_arrived(&t->gate, 1, test_timeout_ms(MUST_HAPPEN_MS)));
	fake_set_call_hook(t->fx.pf, on_mask, t);
	assert_int_equal(test_thread_start(&t->dereg, dereg_main, t), 0);
	t->dereg_started = true;
	assert_true(test_event_wait(&t->masking, test_timeout_ms(MUST_HAPPEN_MS)));
	assert_false(test_event_wait(&t->returned, test_timeout_ms(EARLY_RETURN_WINDOW_MS)));
	test_gate_open(&t->gate);
	t->dereg_joined = test_thread_join(&t->dereg, test_timeout_ms(MUST_HAPPEN_MS));
	assert_true(t->dereg_joined);
	fake_set_call_hook(t->fx.pf, NULL, NULL);
	assert_int_equal(t->dereg_rc, 0);
	t->fx.intr = NULL; /* freed by the disconnect */
}

/* Poison the callbacks, signal every vector, stop the processors: nothing
 * of the disconnected interrupt may run. */
static void assert_nothing_runs_after(struct t *t)
{
	rec_poison(&t->rec);
	for (uint32_t m = 0; m < t->fx.grant.count; m++)
		fake_signal_raw(t->fx.pf, m);
	nirq_unassign(t->fx.pf, &t->fx.grant);
	t->fx.assigned = false;
	nirq_rt_destroy(t->fx.rt); /* joins the processor threads */
	t->fx.rt = NULL;
	assert_int_equal(rec_calls_after_poison(&t->rec), 0);
}

static void test_disconnect_waits_for_running_isr(void **state)
{
	struct t *t = *state;

	t->rec.isr_hook = gate_isr_hook;
	assert_int_equal(rec_connect(&t->rec, false), 0);
	fake_fire(t->fx.pf, 0);
	disconnect_across_gate(t);
	assert_true(t->done_at_return);
	assert_nothing_runs_after(t);
}

static void test_disconnect_waits_for_running_dpc(void **state)
{
	struct t *t = *state;

	t->rec.dpc_hook = gate_dpc_hook;
	assert_int_equal(rec_connect(&t->rec, false), 0);
	/* The DPC runs on processor 1, which owns no vector of the interrupt. */
	assert_int_equal(t->fx.grant.target[0], 0);
	assert_int_equal(nirq_dpc_queue(t->fx.intr, 0, 1u << 1, &t->gate), 1u << 1);
	disconnect_across_gate(t);
	assert_true(t->done_at_return);
	assert_nothing_runs_after(t);
}

static void test_disconnect_runs_queued_dpcs_before_returning(void **state)
{
	struct t *t = *state;
	int second;

	t->rec.dpc_hook = gate_dpc_hook;
	assert_int_equal(rec_connect(&t->rec, false), 0);
	assert_int_equal(nirq_dpc_queue(t->fx.intr, 0, 1u << 1, &t->gate), 1u << 1);
	assert_true(test_gate_wait_arrived(&t->gate, 1, test_timeout_ms(MUST_HAPPEN_MS)));
	/* Queued behind the blocked one on the same processor. */
	assert_int_equal(nirq_dpc_queue(t->fx.intr, 0, 1u << 1, &second), 1u << 1);
	disconnect_across_gate(t);
	assert_true(t->second_at_return);
	assert_nothing_runs_after(t);
}

/* ------------------------------------------------------- manual: the rest */

static void test_disconnect_masks_every_vector_before_disabling_them(void **state)
{
	struct t *t = *state;
	long freed;

	assert_int_equal(rec_connect(&t->rec, false), 0);
	fake_log_clear(t->fx.pf);
	assert_int_equal(nirq_intr_disconnect(t->fx.intr), 0);
	t->fx.intr = NULL;
	freed = fake_log_find(t->fx.pf, FAKE_OP_FREE_VECTORS, 0);
	assert_true(freed >= 0);
	assert_int_equal(fake_log_count(t->fx.pf, FAKE_OP_FREE_VECTORS), 1);
	for (uint32_t m = 0; m < t->fx.grant.count; m++) {
		long masked = -1;

		for (size_t i = 0; i < (size_t)freed; i++) {
			struct fake_call c = fake_log_at(t->fx.pf, i);

			if (c.op == FAKE_OP_MASK && c.a == m)
				masked = (long)i;
		}
		assert_true(masked >= 0);
	}
}

static void test_disconnect_leaves_no_vector_enabled(void **state)
{
	struct t *t = *state;

	assert_int_equal(rec_connect(&t->rec, false), 0);
	assert_int_equal(nirq_intr_disconnect(t->fx.intr), 0);
	t->fx.intr = NULL;
	assert_int_equal(fake_vectors_live(t->fx.pf), 0);
	assert_int_equal(t->fx.grant.enabled, 0);
}

static void test_connect_after_disconnect_enables_same_kind_and_count(void **state)
{
	struct t *t = *state;
	struct fake_call alloc;

	assert_int_equal(rec_connect(&t->rec, false), 0);
	assert_int_equal(nirq_intr_disconnect(t->fx.intr), 0);
	t->fx.intr = NULL;
	fake_log_clear(t->fx.pf);
	assert_int_equal(rec_connect(&t->rec, false), 0);
	assert_int_equal(fake_log_count(t->fx.pf, FAKE_OP_ALLOC_VECTORS), 1);
	alloc = fake_log_nth(t->fx.pf, FAKE_OP_ALLOC_VECTORS, 0);
	assert_int_equal(alloc.a, t->fx.grant.kind);
	assert_int_equal(alloc.b, t->fx.grant.count);
	assert_int_equal(fake_vectors_live(t->fx.pf), t->fx.grant.count);
	for (uint32_t m = 0; m < t->fx.grant.count; m++)
		assert_false(fake_vector_masked(t->fx.pf, m));
}

static void test_connect_after_disconnect_fails_cleanly_when_vectors_are_gone(void **state)
{
	struct t *t = *state;
	unsigned allocs;

	assert_int_equal(rec_connect(&t->rec, false), 0);
	assert_int_equal(nirq_intr_disconnect(t->fx.intr), 0);
	t->fx.intr = NULL;
	allocs = (unsigned)fake_log_count(t->fx.pf, FAKE_OP_ALLOC_VECTORS);
	fake_log_clear(t->fx.pf);
	fake_script_alloc(t->fx.pf, allocs + 1, -ENOSPC);
	assert_int_equal(rec_connect(&t->rec, false), -ENOSPC);
	assert_null(t->fx.intr);
	assert_int_equal(t->fx.grant.connected, 0);
	assert_int_equal(fake_vectors_live(t->fx.pf), 0);
	assert_int_equal(fake_log_count(t->fx.pf, FAKE_OP_VECTOR_FD), 0);
}

static void test_disconnect_runs_queued_dpc_on_manual_runtime(void **state)
{
	struct t *t = *state;
	int token;

	assert_int_equal(rec_connect(&t->rec, false), 0);
	assert_int_equal(nirq_dpc_queue(t->fx.intr, 3, 1u << 2, &token), 1u << 2);
	assert_int_equal(nirq_intr_disconnect(t->fx.intr), 0);
	t->fx.intr = NULL;
	assert_int_equal(rec_dpc_count(&t->rec), 1);
	assert_ptr_equal(rec_dpc_at(&t->rec, 0).ctx, &token);
}

static void test_disconnect_nothing_runs_afterwards(void **state)
{
	struct t *t = *state;

	t->rec.queue_default = true;
	assert_int_equal(rec_connect(&t->rec, false), 0);
	assert_int_equal(nirq_intr_disconnect(t->fx.intr), 0);
	t->fx.intr = NULL;
	rec_poison(&t->rec);
	for (uint32_t m = 0; m < t->fx.grant.count; m++) {
		fake_fire(t->fx.pf, m);
		fake_signal_raw(t->fx.pf, m);
	}
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_calls_after_poison(&t->rec), 0);
}

struct inner {
	struct t *t;
	int rc;
	bool tried;
};

static void disconnect_from_isr_hook(struct rec *r, uint32_t msg)
{
	struct inner *in = r->user;

	(void)msg;
	if (in->tried)
		return;
	in->tried = true;
	in->rc = nirq_intr_disconnect(in->t->fx.intr);
}

static void disconnect_from_dpc_hook(struct rec *r, uint32_t msg, void *dpc_ctx)
{
	(void)dpc_ctx;
	disconnect_from_isr_hook(r, msg);
}

static bool disconnect_from_sync(void *arg)
{
	struct inner *in = arg;

	in->tried = true;
	in->rc = nirq_intr_disconnect(in->t->fx.intr);
	return true;
}

/* The interrupt must still be registered and working after the refusal. */
static void assert_still_connected(struct t *t)
{
	unsigned before = rec_isr_calls(&t->rec, 0);

	fake_fire(t->fx.pf, 0);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_isr_calls(&t->rec, 0), before + 1);
}

static void test_disconnect_from_isr_is_reported_and_refused(void **state)
{
	struct t *t = *state;
	struct inner in = { .t = t };
	uint64_t before;

	t->rec.user = &in;
	t->rec.isr_hook = disconnect_from_isr_hook;
	assert_int_equal(rec_connect(&t->rec, false), 0);
	before = nirq_rt_reports(t->fx.rt);
	fake_fire(t->fx.pf, 0);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_true(in.tried);
	assert_int_equal(in.rc, -EDEADLK);
	assert_int_equal(nirq_rt_reports(t->fx.rt), before + 1);
	assert_still_connected(t);
}

static void test_disconnect_from_dpc_is_reported_and_refused(void **state)
{
	struct t *t = *state;
	struct inner in = { .t = t };
	uint64_t before;

	t->rec.user = &in;
	t->rec.dpc_hook = disconnect_from_dpc_hook;
	assert_int_equal(rec_connect(&t->rec, false), 0);
	before = nirq_rt_reports(t->fx.rt);
	assert_int_equal(nirq_dpc_queue(t->fx.intr, 0, 1u, NULL), 1u);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_true(in.tried);
	assert_int_equal(in.rc, -EDEADLK);
	assert_int_equal(nirq_rt_reports(t->fx.rt), before + 1);
	assert_still_connected(t);
}

static void test_disconnect_from_sync_callback_is_reported_and_refused(void **state)
{
	struct t *t = *state;
	struct inner in = { .t = t };
	uint64_t before;

	assert_int_equal(rec_connect(&t->rec, false), 0);
	before = nirq_rt_reports(t->fx.rt);
	assert_true(nirq_intr_sync(t->fx.intr, 0, disconnect_from_sync, &in));
	assert_true(in.tried);
	assert_int_equal(in.rc, -EDEADLK);
	assert_int_equal(nirq_rt_reports(t->fx.rt), before + 1);
	assert_still_connected(t);
}

static void test_disconnect_delivers_message_raised_before_it(void **state)
{
	struct t *t = *state;

	assert_int_equal(rec_connect(&t->rec, false), 0);
	/* Raised while registered, never stepped: pending when disconnect begins. */
	for (uint32_t m = 0; m < t->fx.grant.count; m++)
		fake_fire(t->fx.pf, m);
	assert_int_equal(rec_isr_total(&t->rec), 0);
	assert_int_equal(nirq_intr_disconnect(t->fx.intr), 0);
	t->fx.intr = NULL;
	for (uint32_t m = 0; m < t->fx.grant.count; m++)
		assert_int_equal(rec_isr_calls(&t->rec, m), 1);
}

int main(void)
{
#define TH(fn) cmocka_unit_test_setup_teardown(fn, setup_threaded, teardown)
#define M(fn) cmocka_unit_test_setup_teardown(fn, setup_manual, teardown)
	const struct CMUnitTest tests[] = {
		TH(test_disconnect_waits_for_running_isr),
		TH(test_disconnect_waits_for_running_dpc),
		TH(test_disconnect_runs_queued_dpcs_before_returning),
		M(test_disconnect_masks_every_vector_before_disabling_them),
		M(test_disconnect_leaves_no_vector_enabled),
		M(test_connect_after_disconnect_enables_same_kind_and_count),
		M(test_connect_after_disconnect_fails_cleanly_when_vectors_are_gone),
		M(test_disconnect_runs_queued_dpc_on_manual_runtime),
		M(test_disconnect_nothing_runs_afterwards),
		M(test_disconnect_delivers_message_raised_before_it),
		M(test_disconnect_from_isr_is_reported_and_refused),
		M(test_disconnect_from_dpc_is_reported_and_refused),
		M(test_disconnect_from_sync_callback_is_reported_and_refused),
	};
#undef TH
#undef M
	return cmocka_run_group_tests_name("disconnect", tests, NULL, NULL);
}
