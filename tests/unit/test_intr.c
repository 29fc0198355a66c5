/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Unit tests of connected interrupts through the native API on a manual
 * runtime (the test steps the processors): connect, ISR dispatch on the
 * message's processor at DIRQL, the DPCs the ISR's outputs ask for, the DPC
 * objects of nirq_dpc_queue, the receive throttle, level and shared lines,
 * and interrupts that arrive before connect returns.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core_fixture.h"
#include "core_recorder.h"

static int setup_throttle_16(void **state)
{
	struct core_fixture_opts o;

	core_fixture_opts_init(&o);
	o.policy.max_nbls_to_indicate = 16;
	return rec_fixture_setup(state, &o);
}

static void connect_ok(struct rec_fixture *t)
{
	assert_int_equal(rec_connect(&t->rec, false), 0);
	assert_non_null(t->fx.intr);
}

static unsigned target_of(struct rec_fixture *t, uint32_t msg)
{
	return t->fx.grant.target[msg];
}

/* ------------------------------------------------------------- connect */

static void test_intr_connect_rejects_null_isr(void **state)
{
	struct rec_fixture *t = *state;
	struct nirq_intr_config cfg;

	rec_config(&t->rec, &cfg, false);
	cfg.isr = NULL;
	assert_int_equal(nirq_intr_connect(t->fx.rt, t->fx.pf, &t->fx.grant, &cfg,
					   &t->fx.intr), -EINVAL);
	t->fx.intr = NULL;
	assert_int_equal(fake_log_count(t->fx.pf, FAKE_OP_UNMASK), 0);
}

static void test_intr_connect_rejects_null_dpc(void **state)
{
	struct rec_fixture *t = *state;
	struct nirq_intr_config cfg;

	rec_config(&t->rec, &cfg, false);
	cfg.dpc = NULL;
	assert_int_equal(nirq_intr_connect(t->fx.rt, t->fx.pf, &t->fx.grant, &cfg,
					   &t->fx.intr), -EINVAL);
	t->fx.intr = NULL;
	assert_int_equal(fake_log_count(t->fx.pf, FAKE_OP_UNMASK), 0);
}

static void test_intr_connect_twice_on_one_grant_is_ebusy(void **state)
{
	struct rec_fixture *t = *state;
	struct nirq_intr_config cfg;
	struct nirq_intr *second = NULL;

	connect_ok(t);
	rec_config(&t->rec, &cfg, false);
	assert_int_equal(nirq_intr_connect(t->fx.rt, t->fx.pf, &t->fx.grant, &cfg,
					   &second), -EBUSY);
}

static void test_intr_connect_arms_every_vector(void **state)
{
	struct rec_fixture *t = *state;

	connect_ok(t);
	for (uint32_t m = 0; m < t->fx.grant.count; m++) {
		assert_int_equal(fake_log_count_arg(t->fx.pf, FAKE_OP_UNMASK, m), 1);
		assert_false(fake_vector_masked(t->fx.pf, m));
	}
}

/* ------------------------------------------------------------- dispatch */

static void test_intr_isr_runs_with_its_message_on_its_processor_at_dirql(void **state)
{
	struct rec_fixture *t = *state;

	connect_ok(t);
	for (uint32_t m = 0; m < t->fx.grant.count; m++) {
		unsigned target = target_of(t, m);

		fake_fire(t->fx.pf, m);
		/* No other processor runs it ... */
		for (unsigned p = 0; p < t->fx.grant.processors; p++)
			if (p != target)
				nirq_processor_run_once(t->fx.rt, p);
		assert_int_equal(rec_isr_calls(&t->rec, m), 0);
		/* ... its own does, with its MessageId, at DIRQL. */
		nirq_processor_run_once(t->fx.rt, target);
		assert_int_equal(rec_isr_calls(&t->rec, m), 1);
		assert_int_equal(t->rec.isr_proc[m], (int)target);
		assert_true(t->rec.isr_irql[m] > NIRQ_IRQL_DISPATCH);
		assert_int_equal(t->rec.isr_irql[m], NIRQ_IRQL_DIRQL);
	}
	assert_int_equal(rec_isr_total(&t->rec), t->fx.grant.count);
}

static void test_intr_default_dpc_runs_on_isr_processor_at_dispatch_with_null_context(void **state)
{
	struct rec_fixture *t = *state;
	struct rec_dpc d;

	t->rec.queue_default = true;
	t->rec.targets = 0x6; /* ignored when the default DPC is asked for */
	connect_ok(t);
	fake_fire(t->fx.pf, 3);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_dpc_count(&t->rec), 1);
	d = rec_dpc_at(&t->rec, 0);
	assert_int_equal(d.msg, 3);
	assert_int_equal(d.proc, (int)target_of(t, 3));
	assert_int_equal(d.irql, NIRQ_IRQL_DISPATCH);
	assert_null(d.ctx);
}

static void test_intr_isr_returning_false_still_gets_its_dpcs(void **state)
{
	struct rec_fixture *t = *state;

	t->rec.isr_return = false;
	t->rec.queue_default = true;
	connect_ok(t);
	fake_fire(t->fx.pf, 1);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_isr_calls(&t->rec, 1), 1);
	assert_int_equal(rec_dpc_count(&t->rec), 1);
	assert_int_equal(rec_dpcs_on(&t->rec, 1, (int)target_of(t, 1)), 1);
}

static void test_intr_isr_without_dpc_outputs_queues_nothing(void **state)
{
	struct rec_fixture *t = *state;

	connect_ok(t);
	fake_fire(t->fx.pf, 0);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_isr_calls(&t->rec, 0), 1);
	assert_int_equal(rec_dpc_count(&t->rec), 0);
}

static void test_intr_target_processors_fan_out_reaches_every_named_processor(void **state)
{
	struct rec_fixture *t = *state;

	t->rec.targets = 0xd; /* processors 0, 2, 3 */
	connect_ok(t);
	fake_fire(t->fx.pf, 1);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_dpc_count(&t->rec), 3);
	assert_int_equal(rec_dpcs_on(&t->rec, 1, 0), 1);
	assert_int_equal(rec_dpcs_on(&t->rec, 1, 1), 0);
	assert_int_equal(rec_dpcs_on(&t->rec, 1, 2), 1);
	assert_int_equal(rec_dpcs_on(&t->rec, 1, 3), 1);
	for (unsigned i = 0; i < 3; i++) {
		assert_null(rec_dpc_at(&t->rec, i).ctx);
		assert_int_equal(rec_dpc_at(&t->rec, i).irql, NIRQ_IRQL_DISPATCH);
	}
}

static void test_intr_target_processors_naming_no_processor_is_reported(void **state)
{
	struct rec_fixture *t = *state;
	uint64_t before;

	t->rec.targets = 1u << 9; /* 4 processors: 9 does not exist */
	connect_ok(t);
	before = nirq_rt_reports(t->fx.rt);
	fake_fire(t->fx.pf, 0);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(nirq_rt_reports(t->fx.rt), before + 1);
	assert_int_equal(rec_dpc_count(&t->rec), 0);
}

static void test_intr_stats_count_interrupts_claims_and_dpcs(void **state)
{
	struct rec_fixture *t = *state;
	const struct nirq_msg_stats *st;
	unsigned p = target_of(t, 2);

	t->rec.queue_default = true;
	connect_ok(t);
	fake_fire(t->fx.pf, 2);
	nirq_rt_run_until_idle(t->fx.rt);
	fake_fire(t->fx.pf, 2);
	nirq_rt_run_until_idle(t->fx.rt);
	st = &t->fx.grant.stats[2 * t->fx.grant.processors + p];
	assert_int_equal(st->interrupts, 2);
	assert_int_equal(st->claimed, 2);
	assert_int_equal(st->dpcs, 2);
	assert_int_equal(st->coalesced, 0);
}

/* ------------------------------------------------------------------ DPCs */

static void test_dpc_queue_delivers_the_context(void **state)
{
	struct rec_fixture *t = *state;
	int token;
	struct rec_dpc d;

	connect_ok(t);
	assert_int_equal(nirq_dpc_queue(t->fx.intr, 2, 1u << 3, &token), 1u << 3);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_dpc_count(&t->rec), 1);
	d = rec_dpc_at(&t->rec, 0);
	assert_ptr_equal(d.ctx, &token);
	assert_int_equal(d.msg, 2);
	assert_int_equal(d.proc, 3);
	assert_int_equal(d.irql, NIRQ_IRQL_DISPATCH);
}

static void test_dpc_queue_already_queued_pair_is_not_queued_again(void **state)
{
	struct rec_fixture *t = *state;
	int first, second;
	unsigned p = 2;

	connect_ok(t);
	assert_int_equal(nirq_dpc_queue(t->fx.intr, 0, 1u << p, &first), 1u << p);
	/* Bit p clear: that (message, processor) was already queued. */
	assert_int_equal(nirq_dpc_queue(t->fx.intr, 0, (1u << p) | 1u, &second), 1u);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_dpcs_on(&t->rec, 0, (int)p), 1);
	for (unsigned i = 0; i < rec_dpc_count(&t->rec); i++)
		if (rec_dpc_at(&t->rec, i).proc == (int)p)
			assert_ptr_equal(rec_dpc_at(&t->rec, i).ctx, &first);
	assert_int_equal(t->fx.grant.stats[0 * t->fx.grant.processors + p].coalesced, 1);
}

static void test_dpc_queue_keeps_messages_and_processors_apart(void **state)
{
	struct rec_fixture *t = *state;

	connect_ok(t);
	/* Spec 6.2 rule 5: the unit of coalescing is one (message, processor). */
	assert_int_equal(nirq_dpc_queue(t->fx.intr, 0, 1u << 1, NULL), 1u << 1);
	assert_int_equal(nirq_dpc_queue(t->fx.intr, 1, 1u << 1, NULL), 1u << 1);
	assert_int_equal(nirq_dpc_queue(t->fx.intr, 0, 1u << 2, NULL), 1u << 2);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_dpcs_on(&t->rec, 0, 1), 1);
	assert_int_equal(rec_dpcs_on(&t->rec, 1, 1), 1);
	assert_int_equal(rec_dpcs_on(&t->rec, 0, 2), 1);
	assert_int_equal(rec_dpc_count(&t->rec), 3);
}

static void test_dpc_can_be_queued_again_after_it_ran(void **state)
{
	struct rec_fixture *t = *state;

	connect_ok(t);
	assert_int_equal(nirq_dpc_queue(t->fx.intr, 0, 1u, NULL), 1u);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(nirq_dpc_queue(t->fx.intr, 0, 1u, NULL), 1u);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_dpcs_on(&t->rec, 0, 0), 2);
}

static void test_dpc_more_nbls_pending_requeues_the_dpc(void **state)
{
	struct rec_fixture *t = *state;
	int token;

	t->rec.more_pending = 2; /* first two calls leave work behind */
	connect_ok(t);
	assert_int_equal(nirq_dpc_queue(t->fx.intr, 1, 1u << 2, &token), 1u << 2);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_dpc_count(&t->rec), 3);
	for (unsigned i = 0; i < 3; i++) {
		struct rec_dpc d = rec_dpc_at(&t->rec, i);

		assert_int_equal(d.msg, 1);
		assert_int_equal(d.proc, 2);
		assert_ptr_equal(d.ctx, &token);
	}
}

static void test_dpc_throttle_defaults_to_indicate_all_nbls(void **state)
{
	struct rec_fixture *t = *state;

	t->rec.queue_default = true;
	connect_ok(t);
	fake_fire(t->fx.pf, 0);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_dpc_count(&t->rec), 1);
	assert_int_equal(rec_dpc_at(&t->rec, 0).max_nbls, 0xFFFFFFFFu);
}

static void test_dpc_throttle_passes_policy_max_nbls(void **state)
{
	struct rec_fixture *t = *state;

	t->rec.queue_default = true;
	connect_ok(t);
	fake_fire(t->fx.pf, 0);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_dpc_count(&t->rec), 1);
	assert_int_equal(rec_dpc_at(&t->rec, 0).max_nbls, 16);
}

static void test_dpc_queue_for_message_outside_table_queues_nothing(void **state)
{
	struct rec_fixture *t = *state;

	connect_ok(t);
	assert_int_equal(nirq_dpc_queue(t->fx.intr, t->fx.grant.count, 1u, NULL), 0);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_dpc_count(&t->rec), 0);
}

/* ----------------------------------------------------------------- lines */

static void test_line_isr_is_called_again_while_level_stays_asserted(void **state)
{
	struct rec_fixture *t = *state;
	unsigned p;

	assert_int_equal(t->fx.grant.kind, NIRQ_KIND_LINE);
	t->rec.line_device = true;
	t->rec.ack_at = 2; /* the ISR acks the device only on its second call */
	connect_ok(t);
	p = target_of(t, 0);
	t->rec.device_cause = true;
	fake_line_level(t->fx.pf, true);
	nirq_processor_run_once(t->fx.rt, p);
	assert_int_equal(rec_isr_calls(&t->rec, 0), 1);
	assert_true(fake_line_asserted(t->fx.pf));
	nirq_processor_run_once(t->fx.rt, p);
	assert_int_equal(rec_isr_calls(&t->rec, 0), 2);
	assert_false(fake_line_asserted(t->fx.pf));
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_isr_calls(&t->rec, 0), 2);
	assert_int_equal(fake_log_count(t->fx.pf, FAKE_OP_LINE_DONE), 2);
	assert_int_equal(t->fx.grant.unclaimed_line, 0);
}

static void test_line_foreign_assertion_is_unclaimed(void **state)
{
	struct rec_fixture *t = *state;
	const struct nirq_msg_stats *st;
	unsigned p;

	t->rec.line_device = true; /* our device has no cause: ISR returns false */
	connect_ok(t);
	p = target_of(t, 0);
	fake_line_foreign(t->fx.pf);
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_isr_calls(&t->rec, 0), 1);
	assert_int_equal(t->fx.grant.unclaimed_line, 1);
	st = &t->fx.grant.stats[p];
	assert_int_equal(st->interrupts, 1);
	assert_int_equal(st->claimed, 0);
}

/* ------------------------------------------------ interrupts before return */

struct early {
	struct rec_fixture *t;
	bool fired;
	unsigned isr_calls_inside;
};

/* Runs inside unmask: the device raises the vector being armed, and the
 * processor that owns it is stepped, before connect returns. */
static void fire_from_unmask(struct nirq_platform *pf, void *arg, const struct fake_call *c)
{
	struct early *e = arg;

	if (c->op != FAKE_OP_UNMASK || e->fired)
		return;
	e->fired = true;
	fake_fire(pf, (uint32_t)c->a);
	nirq_processor_run_once(e->t->fx.rt, target_of(e->t, (uint32_t)c->a));
	e->isr_calls_inside = rec_isr_total(&e->t->rec);
}

static void test_intr_interrupt_raised_during_connect_reaches_isr(void **state)
{
	struct rec_fixture *t = *state;
	struct early e = { .t = t };

	fake_set_call_hook(t->fx.pf, fire_from_unmask, &e);
	connect_ok(t);
	fake_set_call_hook(t->fx.pf, NULL, NULL);
	assert_true(e.fired);
	assert_int_equal(e.isr_calls_inside, 1);
}

static void test_intr_interrupt_raised_before_connect_is_delivered_after_arming(void **state)
{
	struct rec_fixture *t = *state;

	/* Assigned vectors are masked: the device's message is held ... */
	fake_fire(t->fx.pf, 4);
	assert_true(fake_vector_held(t->fx.pf, 4));
	connect_ok(t);
	/* ... and connect's unmask delivers it. */
	nirq_rt_run_until_idle(t->fx.rt);
	assert_int_equal(rec_isr_calls(&t->rec, 4), 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, rec_fixture_setup_msix, rec_fixture_teardown)
#define L(fn) cmocka_unit_test_setup_teardown(fn, rec_fixture_setup_line, rec_fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_intr_connect_rejects_null_isr),
		T(test_intr_connect_rejects_null_dpc),
		T(test_intr_connect_twice_on_one_grant_is_ebusy),
		T(test_intr_connect_arms_every_vector),
		T(test_intr_isr_runs_with_its_message_on_its_processor_at_dirql),
		T(test_intr_default_dpc_runs_on_isr_processor_at_dispatch_with_null_context),
		T(test_intr_isr_returning_false_still_gets_its_dpcs),
		T(test_intr_isr_without_dpc_outputs_queues_nothing),
		T(test_intr_target_processors_fan_out_reaches_every_named_processor),
		T(test_intr_target_processors_naming_no_processor_is_reported),
		T(test_intr_stats_count_interrupts_claims_and_dpcs),
		T(test_dpc_queue_delivers_the_context),
		T(test_dpc_queue_already_queued_pair_is_not_queued_again),
		T(test_dpc_queue_keeps_messages_and_processors_apart),
		T(test_dpc_can_be_queued_again_after_it_ran),
		T(test_dpc_more_nbls_pending_requeues_the_dpc),
		T(test_dpc_throttle_defaults_to_indicate_all_nbls),
		cmocka_unit_test_setup_teardown(test_dpc_throttle_passes_policy_max_nbls,
						setup_throttle_16, rec_fixture_teardown),
		T(test_dpc_queue_for_message_outside_table_queues_nothing),
		L(test_line_isr_is_called_again_while_level_stays_asserted),
		L(test_line_foreign_assertion_is_unclaimed),
		T(test_intr_interrupt_raised_during_connect_reaches_isr),
		T(test_intr_interrupt_raised_before_connect_is_delivered_after_arming),
	};
#undef T
#undef L
	return cmocka_run_group_tests_name("intr", tests, NULL, NULL);
}
