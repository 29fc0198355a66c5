/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Unit tests of the NDIS interrupt path at run time, through the in-test
 * miniport on a manual runtime: message ISRs on their processors at DIRQL,
 * the ISR's DPC outputs, NdisMQueueDpc(Ex), the receive throttle,
 * NdisMSynchronizeWithInterruptEx, level and shared lines, and an
 * interrupt raised while NdisMRegisterInterruptEx is running.
 */
#include "test_miniport.h"

#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>

#include <cmocka.h>

/* How long the sync probe watches for an ISR that must not run. */
#define EXCLUSION_WINDOW_MS 250u
/* Bound of every wait for something that must happen. */
#define MUST_HAPPEN_MS 10000u

/* A device model behind BAR0 for the line tests (edu-like registers). */
#define REG_STATUS 0x24
#define REG_ACK 0x64

static int teardown(void **state)
{
	(void)state;
	tm_stop();
	return 0;
}

/* Default: 4 processors, MSI-X with 5 messages; initialize succeeded. */
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

static ULONG target_of(ULONG msg)
{
	return tm_grant()->target[msg];
}

/* ------------------------------------------------------------------- ISRs */

static void test_ndis_message_isr_runs_with_its_id_on_a_target_processor_at_dirql(void **state)
{
	PIO_INTERRUPT_MESSAGE_INFO t;

	(void)state;
	start_default();
	t = tm.chars.MessageInfoTable;
	for (ULONG m = 0; m < t->MessageCount; m++) {
		KAFFINITY set = t->MessageInfo[m].TargetProcessorSet;

		fake_fire(tm.pf, m);
		for (unsigned p = 0; p < tm.opt.processors; p++)
			if (!(set & ((KAFFINITY)1 << p)))
				nirq_processor_run_once(tm.rt, p);
		assert_int_equal(tm_isr_calls(m), 0); /* no processor outside the set */
		nirq_rt_run_until_idle(tm.rt);
		assert_int_equal(tm_isr_calls(m), 1);
		assert_true(set & ((KAFFINITY)1 << tm.isr_proc[m]));
		assert_true(tm.isr_irql[m] > DISPATCH_LEVEL);
	}
	assert_int_equal(tm.msg_isr_calls, t->MessageCount);
	assert_int_equal(tm.line_isr_calls, 0);
	assert_int_equal(tm.wrong_context, 0);
}

static void test_ndis_default_dpc_runs_on_isr_processor_at_dispatch_with_null_context(void **state)
{
	struct tm_dpc d;

	(void)state;
	start_default();
	tm.queue_default = TRUE;
	tm.targets = 0x6; /* ignored when the default DPC is asked for */
	fake_fire(tm.pf, 2);
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_dpc_count(), 1);
	d = tm_dpc_at(0);
	assert_int_equal(d.msg, 2);
	assert_false(d.line);
	assert_int_equal(d.proc, tm.isr_proc[2]);
	assert_int_equal(d.proc, target_of(2));
	assert_int_equal(d.irql, DISPATCH_LEVEL);
	assert_null(d.ctx);
}

static void test_ndis_isr_returning_false_still_gets_its_dpcs(void **state)
{
	(void)state;
	start_default();
	tm.isr_return = FALSE;
	tm.queue_default = TRUE;
	fake_fire(tm.pf, 1);
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_isr_calls(1), 1);
	assert_int_equal(tm_dpc_count(), 1);
	assert_int_equal(tm_dpcs_on(1, target_of(1)), 1);
}

static void test_ndis_target_processors_fan_out_reaches_every_named_processor(void **state)
{
	(void)state;
	start_default();
	tm.targets = 0xb; /* processors 0, 1, 3 */
	fake_fire(tm.pf, 4);
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_dpc_count(), 3);
	assert_int_equal(tm_dpcs_on(4, 0), 1);
	assert_int_equal(tm_dpcs_on(4, 1), 1);
	assert_int_equal(tm_dpcs_on(4, 2), 0);
	assert_int_equal(tm_dpcs_on(4, 3), 1);
	for (unsigned i = 0; i < 3; i++) {
		assert_null(tm_dpc_at(i).ctx);
		assert_int_equal(tm_dpc_at(i).irql, DISPATCH_LEVEL);
	}
}

/* ---------------------------------------------------------- NdisMQueueDpc */

static void test_ndis_queue_dpc_ex_delivers_the_context(void **state)
{
	GROUP_AFFINITY ga = { .Mask = 1u << 2, .Group = 0 };
	int token;
	struct tm_dpc d;

	(void)state;
	start_default();
	assert_int_equal(NdisMQueueDpcEx(tm.interrupt, 3, &ga, &token), 1u << 2);
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_dpc_count(), 1);
	d = tm_dpc_at(0);
	assert_ptr_equal(d.ctx, &token);
	assert_int_equal(d.msg, 3);
	assert_int_equal(d.proc, 2);
	assert_int_equal(d.irql, DISPATCH_LEVEL);
}

static void test_ndis_queue_dpc_ex_already_queued_pair_has_its_bit_clear(void **state)
{
	GROUP_AFFINITY one = { .Mask = 1u << 1 };
	GROUP_AFFINITY two = { .Mask = (1u << 1) | (1u << 3) };
	int first, second;

	(void)state;
	start_default();
	assert_int_equal(NdisMQueueDpcEx(tm.interrupt, 0, &one, &first), 1u << 1);
	assert_int_equal(NdisMQueueDpcEx(tm.interrupt, 0, &two, &second), 1u << 3);
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_dpcs_on(0, 1), 1);
	assert_int_equal(tm_dpcs_on(0, 3), 1);
	for (unsigned i = 0; i < tm_dpc_count(); i++)
		assert_ptr_equal(tm_dpc_at(i).ctx, tm_dpc_at(i).proc == 1 ? &first : &second);
}

static void test_ndis_queue_dpc_delivers_the_context(void **state)
{
	int token;

	(void)state;
	start_default();
	assert_int_equal(NdisMQueueDpc(tm.interrupt, 1, 1u << 3, &token), 1u << 3);
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_dpc_count(), 1);
	assert_ptr_equal(tm_dpc_at(0).ctx, &token);
	assert_int_equal(tm_dpc_at(0).proc, 3);
}

static void test_ndis_queue_dpc_ex_message_outside_table_is_reported(void **state)
{
	GROUP_AFFINITY ga = { .Mask = 1u };
	uint64_t before;

	(void)state;
	start_default();
	before = nirq_rt_reports(tm.rt);
	assert_int_equal(NdisMQueueDpcEx(tm.interrupt, 5, &ga, NULL), 0);
	assert_int_equal(nirq_rt_reports(tm.rt), before + 1);
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_dpc_count(), 0);
}

static void test_ndis_queue_dpc_ex_naming_no_processor_is_reported(void **state)
{
	GROUP_AFFINITY ga = { .Mask = 1u << 20 }; /* 4 processors */
	uint64_t before;

	(void)state;
	start_default();
	before = nirq_rt_reports(tm.rt);
	assert_int_equal(NdisMQueueDpcEx(tm.interrupt, 0, &ga, NULL), 0);
	assert_int_equal(nirq_rt_reports(tm.rt), before + 1);
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_dpc_count(), 0);
}

/* ------------------------------------------------------ receive throttle */

static void test_ndis_more_nbls_pending_requeues_the_dpc(void **state)
{
	GROUP_AFFINITY ga = { .Mask = 1u << 1 };
	int token;

	(void)state;
	start_default();
	tm.more_pending = 2;
	assert_int_equal(NdisMQueueDpcEx(tm.interrupt, 0, &ga, &token), 1u << 1);
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_dpc_count(), 3);
	assert_int_equal(tm_dpcs_on(0, 1), 3);
}

static void test_ndis_default_max_nbls_to_indicate_is_indicate_all(void **state)
{
	(void)state;
	start_default();
	tm.queue_default = TRUE;
	fake_fire(tm.pf, 0);
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_dpc_count(), 1);
	assert_int_equal(tm_dpc_at(0).max_nbls, NDIS_INDICATE_ALL_NBLS);
	assert_int_equal(tm_dpc_at(0).max_nbls, 0xFFFFFFFFu);
}

static void test_ndis_policy_max_nbls_to_indicate_is_passed_through(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.policy.max_nbls_to_indicate = 64;
	start(&o);
	tm.queue_default = TRUE;
	fake_fire(tm.pf, 0);
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_dpc_count(), 1);
	assert_int_equal(tm_dpc_at(0).max_nbls, 64);
}

/* ---------------------------------------------------------- synchronize */

struct simple {
	BOOLEAN ret;
	KIRQL irql;
	unsigned calls;
};

static BOOLEAN simple_sync(NDIS_HANDLE arg)
{
	struct simple *s = arg;

	s->calls++;
	s->irql = KeGetCurrentIrql();
	return s->ret;
}

static void test_ndis_sync_runs_at_dirql_and_returns_callback_value(void **state)
{
	struct simple s = { .ret = TRUE };

	(void)state;
	start_default();
	assert_int_equal(NdisMSynchronizeWithInterruptEx(tm.interrupt, 1, simple_sync, &s), TRUE);
	assert_true(s.irql > DISPATCH_LEVEL);
	s.ret = FALSE;
	assert_int_equal(NdisMSynchronizeWithInterruptEx(tm.interrupt, 1, simple_sync, &s), FALSE);
	assert_int_equal(s.calls, 2);
	assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

static void test_ndis_sync_message_outside_table_is_reported(void **state)
{
	struct simple s = { .ret = TRUE };
	uint64_t before;

	(void)state;
	start_default();
	before = nirq_rt_reports(tm.rt);
	assert_int_equal(NdisMSynchronizeWithInterruptEx(tm.interrupt, 5, simple_sync, &s), FALSE);
	assert_int_equal(s.calls, 0);
	assert_int_equal(nirq_rt_reports(tm.rt), before + 1);
}

/*
 * The exclusion probe (as in test_sync.c): inside the sync callback the
 * message fires and a helper thread steps its processor; the callback
 * watches for the ISR for a bounded window.
 */
struct probe {
	ULONG fire_msg;
	unsigned window_ms;
	atomic_bool stepping;
	struct test_event isr_ran;
	struct test_thread helper;
	bool helper_started;
	bool ran_inside;
};

static struct probe *g_probe;

static void probe_isr_hook(ULONG msg)
{
	if (g_probe && msg == g_probe->fire_msg)
		test_event_set(&g_probe->isr_ran);
}

static void probe_helper(void *arg)
{
	struct probe *pr = arg;

	atomic_store(&pr->stepping, true);
	nirq_processor_run_once(tm.rt, target_of(pr->fire_msg));
}

static BOOLEAN probe_sync(NDIS_HANDLE arg)
{
	struct probe *pr = arg;
	unsigned spins = 0;

	fake_fire(tm.pf, pr->fire_msg);
	pr->helper_started = test_thread_start(&pr->helper, probe_helper, pr) == 0;
	if (!pr->helper_started)
		return FALSE;
	while (!atomic_load(&pr->stepping) && spins++ < 100000000u)
		sched_yield();
	pr->ran_inside = test_event_wait(&pr->isr_ran, pr->window_ms);
	return TRUE;
}

static void probe_init(struct probe *pr, ULONG fire_msg, unsigned window_ms)
{
	*pr = (struct probe){ .fire_msg = fire_msg, .window_ms = window_ms };
	test_event_init(&pr->isr_ran);
	g_probe = pr;
	tm.isr_hook = probe_isr_hook;
}

static void probe_finish(struct probe *pr)
{
	assert_true(pr->helper_started);
	assert_true(test_thread_join(&pr->helper, test_timeout_ms(MUST_HAPPEN_MS)));
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_isr_calls(pr->fire_msg), 1);
	tm.isr_hook = NULL;
	g_probe = NULL;
	test_event_fini(&pr->isr_ran);
}

static void test_ndis_sync_excludes_isr_of_its_message(void **state)
{
	struct probe pr;

	(void)state;
	start_default();
	probe_init(&pr, 3, test_timeout_ms(EXCLUSION_WINDOW_MS));
	assert_int_equal(NdisMSynchronizeWithInterruptEx(tm.interrupt, 3, probe_sync, &pr), TRUE);
	assert_false(pr.ran_inside);
	probe_finish(&pr);
}

static void test_ndis_sync_does_not_exclude_other_messages(void **state)
{
	struct probe pr;

	(void)state;
	start_default();
	assert_int_not_equal(target_of(0), target_of(3));
	probe_init(&pr, 0, test_timeout_ms(MUST_HAPPEN_MS));
	assert_int_equal(NdisMSynchronizeWithInterruptEx(tm.interrupt, 3, probe_sync, &pr), TRUE);
	assert_true(pr.ran_inside);
	probe_finish(&pr);
}

static void test_ndis_sync_with_all_messages_excludes_every_message_isr(void **state)
{
	struct tm_options o;
	struct probe pr;

	(void)state;
	tm_options_init(&o);
	o.chars.MsiSyncWithAllMessages = TRUE;
	start(&o);
	probe_init(&pr, 0, test_timeout_ms(EXCLUSION_WINDOW_MS));
	assert_int_equal(NdisMSynchronizeWithInterruptEx(tm.interrupt, 3, probe_sync, &pr), TRUE);
	assert_false(pr.ran_inside);
	probe_finish(&pr);
}

/* ------------------------------------------------------------------ lines */

/* The device: STATUS holds the causes; writing them to ACK clears them and
 * lowers the level. */
static void device_ack(struct nirq_platform *pf, void *arg, uint64_t off,
		       unsigned size, uint32_t val)
{
	(void)arg, (void)size;
	if (off != REG_ACK)
		return;
	fake_reg_set(pf, REG_STATUS, fake_reg_get(pf, REG_STATUS) & ~val);
	if (!fake_reg_get(pf, REG_STATUS))
		fake_line_level(pf, false);
}

static void device_raise(uint32_t cause)
{
	fake_reg_set(tm.pf, REG_STATUS, fake_reg_get(tm.pf, REG_STATUS) | cause);
	fake_line_level(tm.pf, true);
}

static unsigned ack_on_call; /* the ISR acks on this (1-based) call */

/* A line ISR: not ours when STATUS is 0; acks on call ack_on_call. */
static BOOLEAN line_isr_body(ULONG msg)
{
	ULONG status;

	(void)msg;
	NdisReadRegisterUlong((PULONG)(tm.regs + REG_STATUS), &status);
	if (!status)
		return FALSE;
	if (tm_isr_calls(0) >= ack_on_call)
		NdisWriteRegisterUlong((PULONG)(tm.regs + REG_ACK), status);
	return TRUE;
}

static void start_line(void)
{
	struct tm_options o;

	tm_options_init(&o);
	o.policy.msi_supported = 0;
	start(&o);
	assert_int_equal(tm.chars.InterruptType, NDIS_CONNECT_LINE_BASED);
	assert_non_null(tm.regs);
	fake_set_mmio_hooks(tm.pf, NULL, device_ack, NULL);
	tm.isr_body = line_isr_body;
}

static void test_ndis_line_isr_is_called_again_while_level_stays_asserted(void **state)
{
	ULONG p;

	(void)state;
	start_line();
	ack_on_call = 2;
	p = target_of(0);
	device_raise(0x1);
	nirq_processor_run_once(tm.rt, p);
	assert_int_equal(tm_isr_calls(0), 1);
	assert_true(fake_line_asserted(tm.pf)); /* not acked: still asserted */
	nirq_processor_run_once(tm.rt, p);
	assert_int_equal(tm_isr_calls(0), 2);
	assert_false(fake_line_asserted(tm.pf));
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_isr_calls(0), 2);
	assert_int_equal(tm.line_isr_calls, 2);
	assert_int_equal(tm_grant()->unclaimed_line, 0);
}

static void test_ndis_line_foreign_assertion_is_unclaimed(void **state)
{
	const struct nirq_grant *g;

	(void)state;
	start_line();
	ack_on_call = 1;
	fake_line_foreign(tm.pf); /* our STATUS stays 0 */
	nirq_rt_run_until_idle(tm.rt);
	g = tm_grant();
	assert_int_equal(tm_isr_calls(0), 1);
	assert_int_equal(g->unclaimed_line, 1);
	assert_int_equal(g->stats[target_of(0)].claimed, 0);
}

static void test_ndis_line_dpc_goes_to_the_line_handler(void **state)
{
	(void)state;
	start_line();
	ack_on_call = 1;
	tm.queue_default = TRUE;
	device_raise(0x1);
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_dpc_count(), 1);
	assert_true(tm_dpc_at(0).line);
	assert_int_equal(tm_dpc_at(0).msg, 0);
	assert_null(tm_dpc_at(0).ctx);
}

/* ------------------------------------------- interrupts before return */

struct early {
	bool fired;
	unsigned isr_calls_inside;
};

static void fire_from_unmask(struct nirq_platform *pf, void *arg, const struct fake_call *c)
{
	struct early *e = arg;
	const struct nirq_grant *g = tm_grant();

	if (c->op != FAKE_OP_UNMASK || e->fired)
		return;
	e->fired = true;
	fake_fire(pf, (uint32_t)c->a);
	nirq_processor_run_once(tm.rt, g->target[c->a]);
	e->isr_calls_inside = tm_isr_calls((ULONG)c->a);
}

static void test_ndis_interrupt_raised_during_register_reaches_isr(void **state)
{
	struct tm_options o;
	struct early e = { 0 };

	(void)state;
	tm_options_init(&o);
	assert_int_equal(tm_start(&o), 0);
	fake_set_call_hook(tm.pf, fire_from_unmask, &e);
	assert_int_equal(tm_initialize(), NDIS_STATUS_SUCCESS);
	fake_set_call_hook(tm.pf, NULL, NULL);
	assert_true(e.fired);
	assert_int_equal(e.isr_calls_inside, 1);
	assert_int_equal(tm.wrong_context, 0);
}

static void test_ndis_enable_disable_handlers_are_not_called_on_the_fast_path(void **state)
{
	GROUP_AFFINITY ga = { .Mask = 1u };
	struct simple s = { .ret = TRUE };

	(void)state;
	start_default();
	tm.queue_default = TRUE;
	fake_fire(tm.pf, 0);
	(void)NdisMQueueDpcEx(tm.interrupt, 1, &ga, NULL);
	(void)NdisMSynchronizeWithInterruptEx(tm.interrupt, 0, simple_sync, &s);
	nirq_rt_run_until_idle(tm.rt);
	tm_halt();
	assert_int_equal(tm.ctl_calls, 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_teardown(fn, teardown)
	const struct CMUnitTest tests[] = {
		T(test_ndis_message_isr_runs_with_its_id_on_a_target_processor_at_dirql),
		T(test_ndis_default_dpc_runs_on_isr_processor_at_dispatch_with_null_context),
		T(test_ndis_isr_returning_false_still_gets_its_dpcs),
		T(test_ndis_target_processors_fan_out_reaches_every_named_processor),
		T(test_ndis_queue_dpc_ex_delivers_the_context),
		T(test_ndis_queue_dpc_ex_already_queued_pair_has_its_bit_clear),
		T(test_ndis_queue_dpc_delivers_the_context),
		T(test_ndis_queue_dpc_ex_message_outside_table_is_reported),
		T(test_ndis_queue_dpc_ex_naming_no_processor_is_reported),
		T(test_ndis_more_nbls_pending_requeues_the_dpc),
		T(test_ndis_default_max_nbls_to_indicate_is_indicate_all),
		T(test_ndis_policy_max_nbls_to_indicate_is_passed_through),
		T(test_ndis_sync_runs_at_dirql_and_returns_callback_value),
		T(test_ndis_sync_message_outside_table_is_reported),
		T(test_ndis_sync_excludes_isr_of_its_message),
		T(test_ndis_sync_does_not_exclude_other_messages),
		T(test_ndis_sync_with_all_messages_excludes_every_message_isr),
		T(test_ndis_line_isr_is_called_again_while_level_stays_asserted),
		T(test_ndis_line_foreign_assertion_is_unclaimed),
		T(test_ndis_line_dpc_goes_to_the_line_handler),
		T(test_ndis_interrupt_raised_during_register_reaches_isr),
		T(test_ndis_enable_disable_handlers_are_not_called_on_the_fast_path),
	};
#undef T
	return cmocka_run_group_tests_name("ndis_dispatch", tests, NULL, NULL);
}
