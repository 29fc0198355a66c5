// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The sample miniports in-process: each test loads samples/edu or
 * samples/e1000e with nirq_host_load (dlopen, DriverEntry) onto a simulated
 * device, starts and initializes the adapter in a manual runtime of four
 * processors, injects device events with nirq_sim_inject, steps the
 * processors until they are idle, and checks the grant, its
 * statistics and the sample's own counters (SampleStats). Deterministic: no
 * threads, no sleeps.
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ndisirq/nirq_host.h>
#include <ndisirq/nirq_platform_sim.h>

#include "../../samples/sample_stats.h"
#include "lazy_ack_miniport.h"
#include "sample_fixture.h"
#include "test_util.h"

#define PROCESSORS 4u

/* ICR causes of the 82574L (IVAR order) and the edu status bit we raise. */
#define RXQ0 (1u << 20)
#define RXQ1 (1u << 21)
#define TXQ0 (1u << 22)
#define TXQ1 (1u << 23)
#define OTHER (1u << 24)
#define ALL_CAUSES (RXQ0 | RXQ1 | TXQ0 | TXQ1 | OTHER)
#define EDU_EVENT 0x1u
#define FRAMES_PER_RX 4 /* what samples/e1000e pretends each receive interrupt carries */

static const uint32_t cause[5] = { RXQ0, RXQ1, TXQ0, TXQ1, OTHER };

struct fx {
	struct sample_fx s;               /* runtime, sim, host, adapter, our dlopen */
	const struct nirq_grant *grant;
	const struct sample_stats *stats; /* NULL for the in-process miniport */
};

/* A run: the device, its faults, the policy ("NAME=VALUE", NULL-terminated). */
struct scenario {
	const char *sample;       /* path of the .so; NULL: the lazy-ack miniport */
	enum nirq_sim_model model;
	struct nirq_sim_faults faults;
	const char *policy[4];
};

static void run_idle(struct fx *f);

/* ---------------------------------------------------------- fixture */

static void fx_create(struct fx *f, const struct scenario *sc)
{
	struct nirq_sim_config sim;

	nirq_sim_config_init(&sim, sc->model);
	sim.faults = sc->faults;
	sample_fx_create(&f->s, PROCESSORS, &sim);
}

static void fx_load(struct fx *f, const struct scenario *sc)
{
	union {
		void *obj;
		sample_stats_fn *fn;
	} get;
	int32_t status = -1;

	if (!sc->sample) {
		assert_int_equal(nirq_host_load_entry(f->s.host, lazy_ack_entry, &status), 0);
		assert_int_equal(status, 0);
		return;
	}
	sample_fx_load(&f->s, sc->sample);
	get.obj = dlsym(f->s.dl, SAMPLE_STATS_SYMBOL);
	assert_non_null(get.obj);
	f->stats = get.fn();
}

static void fx_start(struct fx *f, const struct scenario *sc)
{
	struct nirq_policy pol;

	nirq_policy_init(&pol);
	for (unsigned i = 0; sc->policy[i]; i++) {
		char name[64];
		const char *eq = strchr(sc->policy[i], '=');

		assert_non_null(eq);
		snprintf(name, sizeof(name), "%.*s", (int)(eq - sc->policy[i]), sc->policy[i]);
		assert_int_equal(nirq_policy_set(&pol, name, eq + 1, NULL), 0);
	}
	sample_fx_start(&f->s, &pol);
	f->grant = nirq_host_adapter_grant(f->s.ad);
	assert_non_null(f->grant);
}

/* Everything up to an initialized adapter, idle. */
static struct fx *fx_up(void **state, const struct scenario *sc)
{
	struct fx *f = calloc(1, sizeof(*f));

	*state = f;
	fx_create(f, sc);
	fx_load(f, sc);
	fx_start(f, sc);
	run_idle(f);
	return f;
}

/* Halt: afterwards nothing of the interrupt ran late and nothing was reported. */
static void fx_halt(struct fx *f)
{
	sample_fx_halt(&f->s);
	if (f->stats) {
		assert_int_equal(f->stats->halted, 1);
		assert_int_equal(f->stats->late_callbacks, 0);
	}
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	if (!f)
		return 0;
	sample_fx_teardown(&f->s);
	free(f);
	return 0;
}

/* ----------------------------------------------------------- helpers */

static const struct nirq_msg_stats *st(const struct fx *f, uint32_t msg, unsigned proc)
{
	return &f->grant->stats[msg * f->grant->processors + proc];
}

/* Sum of a counter over every processor of @msg. */
static uint64_t msg_total(const struct fx *f, uint32_t msg, size_t field)
{
	uint64_t n = 0;

	for (unsigned p = 0; p < f->grant->processors; p++)
		n += *(const uint64_t *)((const char *)st(f, msg, p) + field);
	return n;
}

#define MSG_TOTAL(f, m, fld) msg_total((f), (m), offsetof(struct nirq_msg_stats, fld))

/*
 * Step every processor until none has work, within a bound: a device that
 * keeps its line asserted (an ISR that never acks) fails the test instead
 * of hanging it.
 */
static void run_idle(struct fx *f)
{
	for (int round = 0; round < 1000; round++) {
		unsigned calls = 0;

		for (unsigned p = 0; p < PROCESSORS; p++)
			calls += nirq_processor_run_once(f->s.rt, p);
		if (!calls)
			return;
	}
	fail_msg("the processors never went idle: an interrupt storm");
}

/* One device event, then every processor runs until idle. */
static void event(struct fx *f, uint32_t causes)
{
	nirq_sim_inject(f->s.pf, causes);
	run_idle(f);
}

static void assert_grant(const struct fx *f, enum nirq_intr_kind kind, uint32_t count,
			 int interrupt_type, int messages)
{
	uint32_t reported = 99;

	assert_int_equal(f->grant->kind, kind);
	assert_int_equal(f->grant->count, count);
	assert_int_equal(nirq_host_adapter_interrupt_type(f->s.ad, &reported), interrupt_type);
	if (interrupt_type == 2) /* message-based: the table's MessageCount */
		assert_int_equal(reported, count);
	assert_int_equal(f->stats->interrupt_type, interrupt_type);
	assert_int_equal(f->stats->messages, messages);
}

/* --------------------------------------------------------------- edu */

static const struct scenario edu_msi = { NIRQ_SAMPLE_EDU, NIRQ_SIM_EDU, { 0 }, { NULL } };
static const struct scenario edu_line = {
	NIRQ_SAMPLE_EDU, NIRQ_SIM_EDU, { 0 }, { "MSISupported=0", NULL }
};

static void test_edu_on_msi_is_granted_one_message(void **state)
{
	struct fx *f = fx_up(state, &edu_msi);

	assert_grant(f, NIRQ_KIND_MSI, 1, 2 /* NDIS_CONNECT_MESSAGE_BASED */, 1);
	fx_halt(f);
}

static void test_edu_on_msi_claims_every_raise_and_runs_its_dpc(void **state)
{
	struct fx *f = fx_up(state, &edu_msi);
	unsigned p = f->grant->target[0];

	for (int i = 0; i < 5; i++)
		event(f, EDU_EVENT);
	assert_int_equal(st(f, 0, p)->interrupts, 5);
	assert_int_equal(st(f, 0, p)->claimed, 5);
	assert_int_equal(st(f, 0, p)->dpcs, 5);
	assert_int_equal(f->stats->isr_claimed, 5);
	assert_int_equal(f->stats->dpc_calls, 5);
	assert_int_equal(f->stats->sync_calls, 5);
	assert_int_equal(f->stats->msg_processor[0], (int32_t)p);
	fx_halt(f);
}

static void test_edu_without_msi_gets_the_line_and_the_ack_drops_it(void **state)
{
	struct fx *f = fx_up(state, &edu_line);
	unsigned p = f->grant->target[0];

	assert_grant(f, NIRQ_KIND_LINE, 1, 1 /* NDIS_CONNECT_LINE_BASED */, 0);
	event(f, EDU_EVENT);
	assert_false(nirq_sim_line_asserted(f->s.pf));
	assert_int_equal(st(f, 0, p)->interrupts, 1); /* not called again after the ack */
	assert_int_equal(st(f, 0, p)->claimed, 1);
	assert_int_equal(st(f, 0, p)->dpcs, 1);
	assert_int_equal(f->grant->unclaimed_line, 0);
	fx_halt(f);
}

static void test_level_line_calls_the_isr_again_until_the_device_is_acked(void **state)
{
	static const struct scenario lazy = {
		NULL, NIRQ_SIM_EDU, { 0 }, { "MSISupported=0", NULL }
	};
	struct fx *f = fx_up(state, &lazy);

	assert_int_equal(f->grant->kind, NIRQ_KIND_LINE);
	event(f, EDU_EVENT);
	assert_int_equal(lazy_ack_isr_calls(), 2); /* unacked once, acked the second time */
	assert_int_equal(MSG_TOTAL(f, 0, interrupts), 2);
	assert_int_equal(MSG_TOTAL(f, 0, claimed), 2);
	assert_false(nirq_sim_line_asserted(f->s.pf));
	fx_halt(f);
}

static void test_foreign_device_on_the_shared_line_is_left_unclaimed(void **state)
{
	struct fx *f = fx_up(state, &edu_line);

	nirq_sim_foreign_assert(f->s.pf);
	run_idle(f);
	assert_int_equal(f->grant->unclaimed_line, 1);
	assert_int_equal(MSG_TOTAL(f, 0, interrupts), 1);
	assert_int_equal(MSG_TOTAL(f, 0, claimed), 0);
	assert_int_equal(MSG_TOTAL(f, 0, dpcs), 0);
	assert_int_equal(f->stats->isr_calls, 1);
	assert_int_equal(f->stats->isr_claimed, 0);
	assert_int_equal(f->stats->dpc_calls, 0);
	fx_halt(f);
}

/* ------------------------------------------------------------ e1000e */

static const struct scenario e1000e_default = {
	NIRQ_SAMPLE_E1000E, NIRQ_SIM_E1000E, { 0 }, { NULL }
};

static void test_e1000e_default_policy_spreads_five_msix_messages(void **state)
{
	struct fx *f = fx_up(state, &e1000e_default);
	unsigned used = 0;

	assert_grant(f, NIRQ_KIND_MSIX, 5, 2, 5);
	assert_int_equal(f->stats->msix, 1);
	for (uint32_t m = 0; m < 5; m++)
		used |= 1u << f->grant->target[m];
	assert_int_equal(used, (1u << PROCESSORS) - 1); /* every processor has one */
	fx_halt(f);
}

static void test_e1000e_each_cause_fires_its_own_message_on_its_processor(void **state)
{
	struct fx *f = fx_up(state, &e1000e_default);

	for (uint32_t m = 0; m < 5; m++) {
		unsigned p = f->grant->target[m];

		event(f, cause[m]);
		assert_int_equal(st(f, m, p)->interrupts, 1);
		assert_int_equal(st(f, m, p)->claimed, 1);
		assert_int_equal(st(f, m, p)->dpcs, 1);
		assert_int_equal(MSG_TOTAL(f, m, interrupts), 1);
		assert_int_equal(f->stats->msg_causes[m], cause[m]);
		assert_int_equal(f->stats->msg_processor[m], (int32_t)p);
	}
	fx_halt(f);
}

static void test_e1000e_message_number_limit_1_carries_every_cause(void **state)
{
	static const struct scenario sc = {
		NIRQ_SAMPLE_E1000E, NIRQ_SIM_E1000E, { 0 }, { "MessageNumberLimit=1", NULL }
	};
	struct fx *f = fx_up(state, &sc);

	assert_grant(f, NIRQ_KIND_MSIX, 1, 2, 1);
	for (uint32_t m = 0; m < 5; m++)
		event(f, cause[m]);
	assert_int_equal(MSG_TOTAL(f, 0, interrupts), 5);
	assert_int_equal(MSG_TOTAL(f, 0, claimed), 5);
	assert_int_equal(MSG_TOTAL(f, 0, dpcs), 5);
	assert_int_equal(f->stats->msg_causes[0], ALL_CAUSES);
	fx_halt(f);
}

/* Line and MSI: the one ISR reads ICR and the one DPC takes every cause. */
static void assert_icr_path_serves_every_cause(struct fx *f)
{
	for (uint32_t m = 0; m < 5; m++)
		event(f, cause[m]);
	assert_int_equal(MSG_TOTAL(f, 0, interrupts), 5);
	assert_int_equal(MSG_TOTAL(f, 0, claimed), 5);
	assert_int_equal(MSG_TOTAL(f, 0, dpcs), 5);
	assert_int_equal(f->stats->msg_causes[0], ALL_CAUSES);
	assert_int_equal(f->stats->frames_indicated, 2 * FRAMES_PER_RX);
}

static void test_e1000e_without_msi_policy_gets_the_line(void **state)
{
	static const struct scenario sc = {
		NIRQ_SAMPLE_E1000E, NIRQ_SIM_E1000E, { 0 }, { "MSISupported=0", NULL }
	};
	struct fx *f = fx_up(state, &sc);

	assert_grant(f, NIRQ_KIND_LINE, 1, 1, 0);
	assert_icr_path_serves_every_cause(f);
	assert_false(nirq_sim_line_asserted(f->s.pf));
	fx_halt(f);
}

static void test_e1000e_on_the_line_leaves_a_foreign_interrupt_unclaimed(void **state)
{
	static const struct scenario sc = {
		NIRQ_SAMPLE_E1000E, NIRQ_SIM_E1000E, { 0 }, { "MSISupported=0", NULL }
	};
	struct fx *f = fx_up(state, &sc);

	nirq_sim_foreign_assert(f->s.pf);
	run_idle(f);
	assert_int_equal(f->grant->unclaimed_line, 1);
	assert_int_equal(MSG_TOTAL(f, 0, claimed), 0);
	assert_int_equal(f->stats->isr_calls, 1);
	assert_int_equal(f->stats->dpc_calls, 0);
	fx_halt(f);
}

static void test_e1000_gets_the_line_and_no_message_table(void **state)
{
	static const struct scenario sc = {
		NIRQ_SAMPLE_E1000E, NIRQ_SIM_E1000, { 0 }, { NULL }
	};
	struct fx *f = fx_up(state, &sc);

	assert_grant(f, NIRQ_KIND_LINE, 1, 1, 0); /* messages 0: MessageInfoTable NULL */
	assert_int_equal(f->stats->msix, 0);
	assert_icr_path_serves_every_cause(f);
	fx_halt(f);
}

static void test_e1000e_without_msix_gets_msi(void **state)
{
	static const struct scenario sc = {
		NIRQ_SAMPLE_E1000E, NIRQ_SIM_E1000E, { .no_msix = true }, { NULL }
	};
	struct fx *f = fx_up(state, &sc);

	assert_grant(f, NIRQ_KIND_MSI, 1, 2, 1);
	assert_int_equal(f->stats->msix, 0);
	assert_icr_path_serves_every_cause(f);
	fx_halt(f);
}

static void test_e1000e_vector_allocation_failure_falls_back_to_one_message(void **state)
{
	static const struct scenario sc = {
		NIRQ_SAMPLE_E1000E, NIRQ_SIM_E1000E, { .alloc_fail_at = 1 }, { NULL }
	};
	struct fx *f = fx_up(state, &sc);

	assert_grant(f, NIRQ_KIND_MSIX, 1, 2, 1);
	event(f, RXQ1);
	assert_int_equal(MSG_TOTAL(f, 0, claimed), 1);
	assert_int_equal(f->stats->msg_causes[0], RXQ1);
	fx_halt(f);
}

static void test_e1000e_message_allocation_failure_falls_back_to_the_line(void **state)
{
	static const struct scenario sc = {
		NIRQ_SAMPLE_E1000E, NIRQ_SIM_E1000E, { .alloc_fail_all = true }, { NULL }
	};
	struct fx *f = fx_up(state, &sc);

	assert_grant(f, NIRQ_KIND_LINE, 1, 1, 0);
	event(f, TXQ0);
	assert_int_equal(MSG_TOTAL(f, 0, claimed), 1);
	assert_int_equal(f->stats->msg_causes[0], TXQ0);
	fx_halt(f);
}

static void test_e1000e_max_nbls_1_sets_more_nbls_pending_until_all_indicated(void **state)
{
	static const struct scenario sc = {
		NIRQ_SAMPLE_E1000E, NIRQ_SIM_E1000E, { 0 }, { "MaxNblsToIndicate=1", NULL }
	};
	struct fx *f = fx_up(state, &sc);

	for (int i = 0; i < 3; i++)
		event(f, RXQ0);
	assert_int_equal(MSG_TOTAL(f, 0, interrupts), 3);
	assert_int_equal(MSG_TOTAL(f, 0, dpcs), 3 * FRAMES_PER_RX); /* one frame per call */
	assert_int_equal(f->stats->frames_received, 3 * FRAMES_PER_RX);
	assert_int_equal(f->stats->frames_indicated, 3 * FRAMES_PER_RX);
	assert_int_equal(f->stats->more_pending, 3 * (FRAMES_PER_RX - 1));
	fx_halt(f);
}

/* One message carries every cause, so only the ISR's IMC masks it (no EIAC). */
static void test_e1000e_more_nbls_pending_leaves_the_message_masked(void **state)
{
	static const struct scenario sc = {
		NIRQ_SAMPLE_E1000E, NIRQ_SIM_E1000E, { 0 },
		{ "MessageNumberLimit=1", "MaxNblsToIndicate=1", NULL }
	};
	struct fx *f = fx_up(state, &sc);
	uint64_t raised;

	nirq_sim_inject(f->s.pf, RXQ0);
	nirq_processor_run_once(f->s.rt, f->grant->target[0]); /* the ISR and one DPC call */
	assert_int_equal(f->stats->more_pending, 1);
	raised = nirq_sim_raised(f->s.pf, 0);
	nirq_sim_inject(f->s.pf, RXQ1); /* arrives while frames are still pending */
	assert_int_equal(nirq_sim_raised(f->s.pf, 0), raised); /* held: the message is masked */
	run_idle(f);
	assert_int_equal(MSG_TOTAL(f, 0, interrupts), 2); /* delivered on re-enable */
	assert_int_equal(f->stats->frames_indicated, 2 * FRAMES_PER_RX);
	fx_halt(f);
}

/*
 * Two messages: 0 carries RxQ0, TxQ0, Other; 1 carries RxQ1, TxQ1. With
 * both masked (IMS 0) the 82574L clears ICR on any read: a stale signal on
 * message 0 must not read it, or TxQ1, held for message 1, is lost.
 */
static void test_e1000e_stale_signal_on_a_masked_message_loses_no_cause(void **state)
{
	static const struct scenario sc = {
		NIRQ_SAMPLE_E1000E, NIRQ_SIM_E1000E, { 0 },
		{ "MessageNumberLimit=2", "MaxNblsToIndicate=1", NULL }
	};
	struct fx *f = fx_up(state, &sc);

	nirq_sim_inject(f->s.pf, RXQ0);
	nirq_processor_run_once(f->s.rt, f->grant->target[0]); /* message 0 stays masked */
	nirq_sim_inject(f->s.pf, RXQ1);
	nirq_processor_run_once(f->s.rt, f->grant->target[1]); /* message 1 too */
	nirq_sim_inject(f->s.pf, TXQ1);                        /* held for message 1 */
	nirq_sim_spurious(f->s.pf, 0);
	run_idle(f);
	assert_int_equal(f->stats->msg_causes[1], RXQ1 | TXQ1);
	assert_int_equal(MSG_TOTAL(f, 1, claimed), 2);
	assert_int_equal(MSG_TOTAL(f, 0, claimed), 1); /* the stale signal is not ours */
	fx_halt(f);
}

static void test_e1000e_default_throttle_indicates_all_frames_in_one_dpc(void **state)
{
	struct fx *f = fx_up(state, &e1000e_default);

	event(f, RXQ0);
	assert_int_equal(MSG_TOTAL(f, 0, dpcs), 1);
	assert_int_equal(f->stats->frames_indicated, FRAMES_PER_RX);
	assert_int_equal(f->stats->more_pending, 0);
	fx_halt(f);
}

static void test_e1000e_events_after_halt_reach_no_callback(void **state)
{
	struct fx *f = fx_up(state, &e1000e_default);
	int32_t isr_calls;

	event(f, RXQ0);
	fx_halt(f);
	isr_calls = f->stats->isr_calls;
	for (uint32_t m = 0; m < 5; m++) {
		event(f, cause[m]);
		nirq_sim_spurious(f->s.pf, m); /* the vector fires with the device masked */
		run_idle(f);
	}
	assert_int_equal(f->stats->isr_calls, isr_calls);
	assert_int_equal(f->stats->late_callbacks, 0);
	assert_int_equal(MSG_TOTAL(f, 0, interrupts), 1);
}

#define T(fn) cmocka_unit_test_teardown(fn, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_edu_on_msi_is_granted_one_message),
		T(test_edu_on_msi_claims_every_raise_and_runs_its_dpc),
		T(test_edu_without_msi_gets_the_line_and_the_ack_drops_it),
		T(test_level_line_calls_the_isr_again_until_the_device_is_acked),
		T(test_foreign_device_on_the_shared_line_is_left_unclaimed),
		T(test_e1000e_default_policy_spreads_five_msix_messages),
		T(test_e1000e_each_cause_fires_its_own_message_on_its_processor),
		T(test_e1000e_message_number_limit_1_carries_every_cause),
		T(test_e1000e_without_msi_policy_gets_the_line),
		T(test_e1000e_on_the_line_leaves_a_foreign_interrupt_unclaimed),
		T(test_e1000_gets_the_line_and_no_message_table),
		T(test_e1000e_without_msix_gets_msi),
		T(test_e1000e_vector_allocation_failure_falls_back_to_one_message),
		T(test_e1000e_message_allocation_failure_falls_back_to_the_line),
		T(test_e1000e_max_nbls_1_sets_more_nbls_pending_until_all_indicated),
		T(test_e1000e_more_nbls_pending_leaves_the_message_masked),
		T(test_e1000e_stale_signal_on_a_masked_message_loses_no_cause),
		T(test_e1000e_default_throttle_indicates_all_frames_in_one_dpc),
		T(test_e1000e_events_after_halt_reach_no_callback),
	};

	return cmocka_run_group_tests_name("functional.samples", tests, NULL, NULL);
}
