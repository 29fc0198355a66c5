/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Unit tests of NdisMDeregisterInterruptEx and the verifier around it,
 * through the in-test miniport: deregistration in MiniportHaltEx waits for a
 * running ISR and DPC (threaded runtime), nothing runs afterwards, and the
 * misuse Windows answers with a bugcheck or an SDV rule is reported without
 * a deadlock: deregistering from an ISR or DPC, halting or failing
 * initialize with the interrupt still registered, synchronizing or
 * deregistering after deregistration.
 */
#include "test_miniport.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>

#include <cmocka.h>

/* How long the test watches for a halt that must not return yet. */
#define EARLY_RETURN_WINDOW_MS 250u
/* Bound of every wait for something that must happen. */
#define MUST_HAPPEN_MS 10000u

static void waits_release(void);

static int teardown(void **state)
{
	(void)state;
	waits_release(); /* never leave a processor blocked in a gate */
	tm_stop();
	return 0;
}

static void start(struct tm_options *o)
{
	assert_int_equal(tm_start(o), 0);
	assert_int_equal(tm_initialize(), NDIS_STATUS_SUCCESS);
	assert_non_null(tm.interrupt);
}

static void start_default(void)
{
	struct tm_options o;

	tm_options_init(&o);
	start(&o);
}

/* Poison the handlers, raise every vector (even past a mask), run: nothing
 * of the deregistered interrupt may be called. */
static void assert_nothing_runs_after(void)
{
	const struct nirq_grant *g = tm_grant();

	tm_poison();
	for (uint32_t m = 0; m < g->count; m++) {
		fake_fire(tm.pf, m);
		fake_signal_raw(tm.pf, m);
	}
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_calls_after_poison(), 0);
}

/* --------------------------------------------------------- manual runtime */

static void test_ndis_nothing_runs_after_deregistration(void **state)
{
	(void)state;
	start_default();
	tm.queue_default = TRUE;
	tm_halt();
	assert_true(tm.halted);
	assert_int_equal(tm.halt_irql, PASSIVE_LEVEL);
	assert_int_equal(nirq_rt_reports(tm.rt), 0);
	assert_nothing_runs_after();
}

static void test_ndis_deregistration_runs_queued_dpcs_first(void **state)
{
	GROUP_AFFINITY ga = { .Mask = 1u << 3 };
	int token;

	(void)state;
	start_default();
	assert_int_equal(NdisMQueueDpcEx(tm.interrupt, 2, &ga, &token), 1u << 3);
	tm_halt(); /* nobody stepped processor 3 */
	assert_int_equal(tm_dpc_count(), 1);
	assert_ptr_equal(tm_dpc_at(0).ctx, &token);
}

static bool dereg_tried;

static void dereg_once(void)
{
	if (dereg_tried)
		return;
	dereg_tried = true;
	NdisMDeregisterInterruptEx(tm.interrupt);
}

static void dereg_from_isr(ULONG msg)
{
	(void)msg;
	dereg_once();
}

static void dereg_from_dpc(ULONG msg, PVOID ctx)
{
	(void)msg, (void)ctx;
	dereg_once();
}

/* Refused: the interrupt still delivers, and halt deregisters it cleanly. */
static void assert_still_registered(void)
{
	unsigned before = tm_isr_calls(0);
	uint64_t reports = nirq_rt_reports(tm.rt);

	fake_fire(tm.pf, 0);
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_isr_calls(0), before + 1);
	tm_halt();
	assert_int_equal(nirq_rt_reports(tm.rt), reports);
	assert_nothing_runs_after();
}

static void test_ndis_deregister_from_isr_is_reported_and_does_not_deadlock(void **state)
{
	(void)state;
	start_default();
	dereg_tried = false;
	tm.isr_hook = dereg_from_isr;
	fake_fire(tm.pf, 0);
	nirq_rt_run_until_idle(tm.rt);
	assert_true(dereg_tried);
	assert_int_equal(nirq_rt_reports(tm.rt), 1);
	assert_still_registered();
}

static void test_ndis_deregister_from_dpc_is_reported_and_does_not_deadlock(void **state)
{
	(void)state;
	start_default();
	dereg_tried = false;
	tm.queue_default = TRUE;
	tm.dpc_hook = dereg_from_dpc;
	fake_fire(tm.pf, 0);
	nirq_rt_run_until_idle(tm.rt);
	assert_true(dereg_tried);
	assert_int_equal(nirq_rt_reports(tm.rt), 1);
	tm.dpc_hook = NULL;
	assert_still_registered();
}

static void test_ndis_halt_without_deregistration_is_reported(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.skip_dereg_in_halt = true;
	start(&o);
	tm_halt();
	assert_int_equal(nirq_rt_reports(tm.rt), 1);
	/* The host deregistered it: the vectors are disabled and nothing runs. */
	assert_int_equal(fake_vectors_live(tm.pf), 0);
	assert_nothing_runs_after();
}

static void test_ndis_failed_initialize_without_deregistration_is_reported(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.fail_after_register = true;
	assert_int_equal(tm_start(&o), 0);
	assert_int_not_equal(tm_initialize(), NDIS_STATUS_SUCCESS);
	assert_int_equal(tm.register_status, NDIS_STATUS_SUCCESS);
	assert_int_equal(nirq_rt_reports(tm.rt), 1);
	assert_nothing_runs_after();
}

struct after {
	NDIS_HANDLE h;
	BOOLEAN ret;
	bool called;
};

static BOOLEAN must_not_run(NDIS_HANDLE arg)
{
	struct after *a = arg;

	a->called = true;
	return TRUE;
}

static void sync_after(void *arg)
{
	struct after *a = arg;

	a->ret = NdisMSynchronizeWithInterruptEx(a->h, 0, must_not_run, a);
}

static void dereg_after(void *arg)
{
	struct after *a = arg;

	NdisMDeregisterInterruptEx(a->h);
}

static void test_ndis_synchronize_after_deregistration_is_reported(void **state)
{
	struct after a = { 0 };

	(void)state;
	start_default();
	a.h = tm.interrupt;
	tm_halt();
	assert_int_equal(nirq_rt_reports(tm.rt), 0);
	tm_passive(sync_after, &a); /* as miniport code on a passive thread */
	assert_false(a.called);
	assert_int_equal(a.ret, FALSE);
	assert_int_equal(nirq_rt_reports(tm.rt), 1);
}

static void test_ndis_deregister_twice_is_reported(void **state)
{
	struct after a = { 0 };

	(void)state;
	start_default();
	a.h = tm.interrupt;
	tm_halt();
	tm_passive(dereg_after, &a);
	assert_int_equal(nirq_rt_reports(tm.rt), 1);
}

/* ------------------------------------------------------- threaded runtime */

/*
 * A handler blocks on the gate; another thread halts the adapter (whose
 * MiniportHaltEx deregisters). Once the deregistration has begun (a vector
 * is masked) the halt must not return until the gate opens; the halting
 * thread records whether the handler had finished when halt returned.
 */
struct waits {
	struct test_gate gate;
	atomic_bool handler_done;
	struct test_event masking;
	struct test_event returned;
	struct test_thread halter;
	bool done_at_return;
};

static struct waits g_w;       /* static: a failed test longjmps past frames */
static struct waits *g_waits;

static void block_in_gate(void)
{
	test_gate_pass(&g_waits->gate);
	atomic_store(&g_waits->handler_done, true);
}

static void gate_isr(ULONG msg)
{
	(void)msg;
	block_in_gate();
}

static void gate_dpc(ULONG msg, PVOID ctx)
{
	(void)msg;
	if (ctx == &g_waits->gate)
		block_in_gate();
}

static void on_mask(struct nirq_platform *pf, void *arg, const struct fake_call *c)
{
	(void)pf, (void)arg;
	if (c->op == FAKE_OP_MASK)
		test_event_set(&g_waits->masking);
}

static void halter_main(void *arg)
{
	(void)arg;
	tm_halt();
	g_waits->done_at_return = atomic_load(&g_waits->handler_done);
	test_event_set(&g_waits->returned);
}

static void waits_release(void)
{
	if (g_waits)
		test_gate_open(&g_waits->gate);
}

static void waits_init(struct waits *w)
{
	*w = (struct waits){ 0 };
	test_gate_init(&w->gate);
	test_event_init(&w->masking);
	test_event_init(&w->returned);
	g_waits = w;
}

/* Threaded, 2 processors, one MSI-X message on processor 0. */
static void start_threaded(void)
{
	struct tm_options o;

	tm_options_init(&o);
	o.threaded = true;
	o.processors = 2;
	o.policy.message_number_limit = 1;
	start(&o);
	assert_int_equal(tm_grant()->target[0], 0);
}

static void halt_across_gate(struct waits *w)
{
	bool joined;

	assert_true(test_gate_wait_arrived(&w->gate, 1, test_timeout_ms(MUST_HAPPEN_MS)));
	fake_set_call_hook(tm.pf, on_mask, NULL);
	assert_int_equal(test_thread_start(&w->halter, halter_main, NULL), 0);
	assert_true(test_event_wait(&w->masking, test_timeout_ms(MUST_HAPPEN_MS)));
	assert_false(test_event_wait(&w->returned, test_timeout_ms(EARLY_RETURN_WINDOW_MS)));
	test_gate_open(&w->gate);
	joined = test_thread_join(&w->halter, test_timeout_ms(MUST_HAPPEN_MS));
	fake_set_call_hook(tm.pf, NULL, NULL);
	assert_true(joined);
	assert_true(w->done_at_return);
	assert_true(tm.halted);
}

static void waits_fini(struct waits *w)
{
	test_gate_open(&w->gate);
	test_event_fini(&w->returned);
	test_event_fini(&w->masking);
	g_waits = NULL;
}

static void test_ndis_halt_deregistration_waits_for_running_isr(void **state)
{
	struct waits *w = &g_w;

	(void)state;
	waits_init(w);
	start_threaded();
	tm.isr_hook = gate_isr;
	fake_fire(tm.pf, 0);
	halt_across_gate(w);
	assert_int_equal(nirq_rt_reports(tm.rt), 0);
	tm_stop(); /* joins the processors before the gate goes away */
	waits_fini(w);
}

static void test_ndis_halt_deregistration_waits_for_running_dpc(void **state)
{
	GROUP_AFFINITY ga = { .Mask = 1u << 1 }; /* processor 1 owns no vector */
	struct waits *w = &g_w;

	(void)state;
	waits_init(w);
	start_threaded();
	tm.dpc_hook = gate_dpc;
	assert_int_equal(NdisMQueueDpcEx(tm.interrupt, 0, &ga, &w->gate), 1u << 1);
	halt_across_gate(w);
	assert_int_equal(nirq_rt_reports(tm.rt), 0);
	tm_stop();
	waits_fini(w);
}

int main(void)
{
#define T(fn) cmocka_unit_test_teardown(fn, teardown)
	const struct CMUnitTest tests[] = {
		T(test_ndis_nothing_runs_after_deregistration),
		T(test_ndis_deregistration_runs_queued_dpcs_first),
		T(test_ndis_deregister_from_isr_is_reported_and_does_not_deadlock),
		T(test_ndis_deregister_from_dpc_is_reported_and_does_not_deadlock),
		T(test_ndis_halt_without_deregistration_is_reported),
		T(test_ndis_failed_initialize_without_deregistration_is_reported),
		T(test_ndis_synchronize_after_deregistration_is_reported),
		T(test_ndis_deregister_twice_is_reported),
		T(test_ndis_halt_deregistration_waits_for_running_isr),
		T(test_ndis_halt_deregistration_waits_for_running_dpc),
	};
#undef T
	return cmocka_run_group_tests_name("ndis_deregister", tests, NULL, NULL);
}
