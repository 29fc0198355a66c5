/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Unit tests of the NDIS helper shims (src/ndis/ndis_helpers.c,
 * ndis_status.c): spin locks and IRQL, events, delays, memory, processor
 * queries, the version and the errno map. Each test body runs as the
 * passive thread of a manual runtime, so verifier reports are counted.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <ndisirq/ndisirq.h>
#include <ndis.h>

#include "ndis/ndis_status.h"
#include "test_util.h"

#define TAG 0x74736554u /* 'tseT' without -Wmultichar */

struct fixture {
	struct test_log log;
	struct nirq_rt *rt;
	void (*body)(struct fixture *f);
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	if (test_rt_manual(2, &f->log, &f->rt) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	nirq_rt_destroy(f->rt);
	test_log_fini(&f->log);
	free(f);
	return 0;
}

static void passive_trampoline(void *arg)
{
	struct fixture *f = arg;

	f->body(f);
}

/* Run @body as the runtime's passive thread (MiniportInitializeEx's context). */
static void run_passive(void **state, void (*body)(struct fixture *f))
{
	struct fixture *f = *state;

	f->body = body;
	assert_int_equal(nirq_rt_run_passive(f->rt, passive_trampoline, f), 0);
}

static void assert_reported(struct fixture *f, uint64_t reports, const char *what)
{
	assert_int_equal(nirq_rt_reports(f->rt), reports);
	if (reports && test_log_find(&f->log, "verifier", what, NULL) < 0) {
		test_log_dump(&f->log);
		fail_msg("no verifier line naming %s", what);
	}
}

/* ------------------------------------------------------------ spin locks */

static void body_acquire_raises_release_restores(struct fixture *f)
{
	NDIS_SPIN_LOCK lock;

	NdisAllocateSpinLock(&lock);
	NdisAcquireSpinLock(&lock);
	assert_int_equal(KeGetCurrentIrql(), DISPATCH_LEVEL);
	assert_int_equal(lock.OldIrql, PASSIVE_LEVEL);
	NdisReleaseSpinLock(&lock);
	assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
	NdisFreeSpinLock(&lock);
	assert_reported(f, 0, NULL);
}

static void test_spin_lock_acquire_raises_to_dispatch_release_restores(void **state)
{
	run_passive(state, body_acquire_raises_release_restores);
}

static void body_dpr_acquire_at_dispatch(struct fixture *f)
{
	NDIS_SPIN_LOCK lock;
	KIRQL old = nirq_irql_raise(DISPATCH_LEVEL);

	NdisAllocateSpinLock(&lock);
	NdisDprAcquireSpinLock(&lock);
	assert_int_equal(KeGetCurrentIrql(), DISPATCH_LEVEL);
	NdisDprReleaseSpinLock(&lock);
	assert_int_equal(KeGetCurrentIrql(), DISPATCH_LEVEL);
	nirq_irql_lower(old);
	assert_reported(f, 0, NULL);
}

static void test_spin_lock_dpr_acquire_at_dispatch_keeps_irql(void **state)
{
	run_passive(state, body_dpr_acquire_at_dispatch);
}

static void body_dpr_acquire_at_passive(struct fixture *f)
{
	NDIS_SPIN_LOCK lock;

	NdisAllocateSpinLock(&lock);
	NdisDprAcquireSpinLock(&lock);
	assert_reported(f, 1, "NdisDprAcquireSpinLock");
	NdisDprReleaseSpinLock(&lock);
}

static void test_spin_lock_dpr_acquire_below_dispatch_is_reported(void **state)
{
	run_passive(state, body_dpr_acquire_at_passive);
}

static void body_release_unheld(struct fixture *f)
{
	NDIS_SPIN_LOCK lock;

	NdisAllocateSpinLock(&lock);
	NdisReleaseSpinLock(&lock);
	assert_reported(f, 1, "not held");
	assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
}

static void test_spin_lock_release_of_unheld_lock_is_reported(void **state)
{
	run_passive(state, body_release_unheld);
}

static void body_acquire_at_dirql(struct fixture *f)
{
	NDIS_SPIN_LOCK lock;
	KIRQL old = nirq_irql_raise(NIRQ_IRQL_DIRQL);

	NdisAllocateSpinLock(&lock);
	NdisAcquireSpinLock(&lock);
	assert_reported(f, 1, "NdisAcquireSpinLock");
	assert_int_equal(KeGetCurrentIrql(), NIRQ_IRQL_DIRQL); /* never lowered */
	NdisReleaseSpinLock(&lock);
	assert_int_equal(KeGetCurrentIrql(), NIRQ_IRQL_DIRQL);
	nirq_irql_lower(old);
}

static void test_spin_lock_acquire_in_isr_is_reported_and_keeps_dirql(void **state)
{
	run_passive(state, body_acquire_at_dirql);
}

#define CONTENDED_ROUNDS 200000u

struct contended {
	NDIS_SPIN_LOCK lock;
	unsigned long counter; /* guarded by lock, deliberately not atomic */
	int inside;            /* (a) a holder is in the critical section */
	unsigned overlaps;     /* (a) a holder found another one inside */
	struct test_gate start; /* all threads start together */
};

static void contend(void *arg)
{
	struct contended *c = arg;

	test_gate_pass(&c->start);
	for (unsigned i = 0; i < CONTENDED_ROUNDS; i++) {
		NdisAcquireSpinLock(&c->lock);
		if (__atomic_exchange_n(&c->inside, 1, __ATOMIC_RELAXED))
			__atomic_add_fetch(&c->overlaps, 1, __ATOMIC_RELAXED);
		unsigned long v = c->counter;
		for (int k = 0; k < 32; k++) /* widen the read-modify-write window */
			__asm__ __volatile__("" ::: "memory");
		c->counter = v + 1;
		__atomic_store_n(&c->inside, 0, __ATOMIC_RELAXED);
		NdisReleaseSpinLock(&c->lock);
	}
}

static void test_spin_lock_excludes_concurrent_holders(void **state)
{
	struct contended c = { .counter = 0 };
	struct test_thread t[3];

	(void)state;
	NdisAllocateSpinLock(&c.lock);
	test_gate_init(&c.start);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(test_thread_start(&t[i], contend, &c), 0);
	assert_true(test_gate_wait_arrived(&c.start, 3, test_timeout_ms(10000)));
	test_gate_open(&c.start);
	for (unsigned i = 0; i < 3; i++)
		assert_true(test_thread_join(&t[i], test_timeout_ms(20000)));
	test_gate_fini(&c.start);
	assert_int_equal(c.overlaps, 0);
	assert_int_equal(c.counter, 3ul * CONTENDED_ROUNDS);
}

static void body_interlocked_add(struct fixture *f)
{
	NDIS_SPIN_LOCK lock;
	ULONG v = 5;

	NdisAllocateSpinLock(&lock);
	assert_int_equal(NdisInterlockedAddUlong(&v, 3, &lock), 5);
	assert_int_equal(v, 8);
	assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
	assert_reported(f, 0, NULL);
}

static void test_interlocked_add_ulong_returns_the_original_value(void **state)
{
	run_passive(state, body_interlocked_add);
}

/* ---------------------------------------------------------------- events */

static void body_wait_signalled(struct fixture *f)
{
	NDIS_EVENT ev;

	NdisInitializeEvent(&ev);
	NdisSetEvent(&ev);
	assert_true(NdisWaitEvent(&ev, 0));
	assert_true(NdisWaitEvent(&ev, 1)); /* notification event: stays signalled */
	assert_reported(f, 0, NULL);
}

static void test_event_wait_returns_true_when_signalled(void **state)
{
	run_passive(state, body_wait_signalled);
}

static void body_wait_times_out(struct fixture *f)
{
	NDIS_EVENT ev;

	NdisInitializeEvent(&ev);
	assert_false(NdisWaitEvent(&ev, 1));
	assert_reported(f, 0, NULL);
}

static void test_event_wait_times_out_with_false(void **state)
{
	run_passive(state, body_wait_times_out);
}

static void body_reset(struct fixture *f)
{
	NDIS_EVENT ev;

	(void)f;
	NdisInitializeEvent(&ev);
	NdisSetEvent(&ev);
	NdisResetEvent(&ev);
	assert_false(NdisWaitEvent(&ev, 1));
}

static void test_event_reset_unsignals(void **state)
{
	run_passive(state, body_reset);
}

struct waiter {
	BOOLEAN result;
	NDIS_EVENT ev;
};

static void waiter_main(void *arg)
{
	struct waiter *w = arg;

	w->result = NdisWaitEvent(&w->ev, 0);
}

static void test_event_set_wakes_a_thread_waiting_forever(void **state)
{
	struct waiter w = { .result = FALSE };
	struct test_thread t;

	(void)state;
	NdisInitializeEvent(&w.ev);
	assert_int_equal(test_thread_start(&t, waiter_main, &w), 0);
	assert_false(test_thread_join(&t, test_timeout_ms(50))); /* still waiting */
	NdisSetEvent(&w.ev);
	assert_true(test_thread_join(&t, test_timeout_ms(10000)));
	assert_true(w.result);
}

static void body_wait_at_dispatch(struct fixture *f)
{
	NDIS_EVENT ev;
	KIRQL old = nirq_irql_raise(DISPATCH_LEVEL);

	NdisInitializeEvent(&ev);
	assert_false(NdisWaitEvent(&ev, 0)); /* would block forever: must return */
	nirq_irql_lower(old);
	assert_reported(f, 1, "NdisWaitEvent");
}

static void test_event_wait_above_passive_is_reported_and_returns(void **state)
{
	run_passive(state, body_wait_at_dispatch);
}

/* ---------------------------------------------------------------- delays */

static void body_sleep_at_dispatch(struct fixture *f)
{
	KIRQL old = nirq_irql_raise(DISPATCH_LEVEL);

	NdisMSleep(1);
	nirq_irql_lower(old);
	assert_reported(f, 1, "NdisMSleep");
}

static void test_sleep_at_dispatch_is_reported(void **state)
{
	run_passive(state, body_sleep_at_dispatch);
}

static void body_sleep_and_stall_at_passive(struct fixture *f)
{
	NdisMSleep(1);
	NdisStallExecution(1);
	assert_reported(f, 0, NULL);
}

static void test_sleep_and_stall_at_passive_are_not_reported(void **state)
{
	run_passive(state, body_sleep_and_stall_at_passive);
}

/* ---------------------------------------------------------------- memory */

static void body_alloc(struct fixture *f)
{
	PUCHAR p = NdisAllocateMemoryWithTagPriority(NULL, 64, TAG, NormalPoolPriority);

	assert_non_null(p);
	NdisZeroMemory(p, 64);
	NdisFreeMemory(p, 64, 0);
	p = NdisAllocateMemoryWithTagPriority(NULL, 8, TAG, NormalPoolPriority);
	assert_non_null(p);
	NdisFreeMemoryWithTagPriority(NULL, p, TAG);
	assert_null(NdisAllocateMemoryWithTagPriority(NULL, 0, TAG, NormalPoolPriority));
	assert_reported(f, 0, NULL);
}

static void test_memory_allocates_and_zero_length_returns_null(void **state)
{
	run_passive(state, body_alloc);
}

static void body_alloc_at_dirql(struct fixture *f)
{
	KIRQL old = nirq_irql_raise(NIRQ_IRQL_DIRQL);
	PVOID p = NdisAllocateMemoryWithTagPriority(NULL, 16, TAG, NormalPoolPriority);

	nirq_irql_lower(old);
	assert_null(p);
	assert_reported(f, 1, "NdisAllocateMemoryWithTagPriority");
}

static void test_memory_allocation_in_isr_is_reported_and_fails(void **state)
{
	run_passive(state, body_alloc_at_dirql);
}

static void body_free_with_flags(struct fixture *f)
{
	PVOID p = NdisAllocateMemoryWithTagPriority(NULL, 16, TAG, NormalPoolPriority);

	assert_non_null(p);
	NdisFreeMemory(p, 16, NDIS_MEMORY_NONCACHED);
	assert_reported(f, 1, "MemoryFlags");
}

static void test_memory_free_with_flags_is_reported(void **state)
{
	run_passive(state, body_free_with_flags);
}

/* ----------------------------------------------------- IRQL, processors */

static void body_irql(struct fixture *f)
{
	(void)f;
	assert_int_equal(KeGetCurrentIrql(), PASSIVE_LEVEL);
	nirq_irql_raise(DISPATCH_LEVEL);
	assert_int_equal(KeGetCurrentIrql(), DISPATCH_LEVEL);
	nirq_irql_lower(PASSIVE_LEVEL);
}

static void test_ke_get_current_irql_reads_the_emulated_irql(void **state)
{
	run_passive(state, body_irql);
}

static void body_counts(struct fixture *f)
{
	KAFFINITY mask = 0;

	(void)f;
	assert_int_equal(NdisSystemProcessorCount(), 2);
	assert_int_equal(NdisSystemActiveProcessorCount(&mask), 2);
	assert_int_equal(mask, 0x3);
	assert_int_equal(NdisGroupActiveProcessorCount(0), 2);
	assert_int_equal(NdisGroupActiveProcessorCount(ALL_PROCESSOR_GROUPS), 2);
	assert_int_equal(NdisGroupActiveProcessorCount(1), 0);
	assert_int_equal(NdisGroupMaxProcessorCount(0), 2);
	assert_int_equal(NdisGroupActiveProcessorMask(0), 0x3);
	assert_int_equal(NdisActiveGroupCount(), 1);
	assert_int_equal(NdisMaxGroupCount(), 1);
}

static void test_processor_counts_follow_the_runtime(void **state)
{
	run_passive(state, body_counts);
}

static void body_current_processor(struct fixture *f)
{
	PROCESSOR_NUMBER pn = { .Group = 7, .Number = 99, .Reserved = 5 };
	ULONG index = KeGetCurrentProcessorNumberEx(&pn);

	(void)f;
	assert_true(index < NDIS_MAX_PROCESSOR_COUNT);
	assert_int_equal(pn.Group, 0);
	assert_int_equal(pn.Number, index);
	assert_int_equal(pn.Reserved, 0);
	assert_int_equal(NdisCurrentGroupAndProcessor().Group, 0);
}

static void test_current_processor_on_a_passive_thread_is_group_0_below_64(void **state)
{
	run_passive(state, body_current_processor);
}

static void test_get_version_is_6_82(void **state)
{
	(void)state;
	assert_int_equal(NdisGetVersion(), NDIS_RUNTIME_VERSION_682);
	assert_true(NdisGetVersion() >= NDIS_RUNTIME_VERSION_620);
}

/* ------------------------------------------------------------ errno map */

static void test_errno_map_gives_the_documented_statuses(void **state)
{
	(void)state;
	assert_int_equal(nirq__ndis_status_from_errno(0), NDIS_STATUS_SUCCESS);
	assert_int_equal(nirq__ndis_status_from_errno(-ENOMEM), NDIS_STATUS_RESOURCES);
	assert_int_equal(nirq__ndis_status_from_errno(-ENOSPC), NDIS_STATUS_RESOURCES);
	assert_int_equal(nirq__ndis_status_from_errno(-EINVAL), NDIS_STATUS_INVALID_PARAMETER);
	assert_int_equal(nirq__ndis_status_from_errno(-EBUSY), NDIS_STATUS_FAILURE);
	assert_int_equal(nirq__ndis_status_from_errno(-EIO), NDIS_STATUS_FAILURE);
	assert_int_equal(nirq__ndis_status_from_errno(ENOMEM), NDIS_STATUS_RESOURCES);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_spin_lock_acquire_raises_to_dispatch_release_restores),
		T(test_spin_lock_dpr_acquire_at_dispatch_keeps_irql),
		T(test_spin_lock_dpr_acquire_below_dispatch_is_reported),
		T(test_spin_lock_release_of_unheld_lock_is_reported),
		T(test_spin_lock_acquire_in_isr_is_reported_and_keeps_dirql),
		cmocka_unit_test(test_spin_lock_excludes_concurrent_holders),
		T(test_interlocked_add_ulong_returns_the_original_value),
		T(test_event_wait_returns_true_when_signalled),
		T(test_event_wait_times_out_with_false),
		T(test_event_reset_unsignals),
		cmocka_unit_test(test_event_set_wakes_a_thread_waiting_forever),
		T(test_event_wait_above_passive_is_reported_and_returns),
		T(test_sleep_at_dispatch_is_reported),
		T(test_sleep_and_stall_at_passive_are_not_reported),
		T(test_memory_allocates_and_zero_length_returns_null),
		T(test_memory_allocation_in_isr_is_reported_and_fails),
		T(test_memory_free_with_flags_is_reported),
		T(test_ke_get_current_irql_reads_the_emulated_irql),
		T(test_processor_counts_follow_the_runtime),
		T(test_current_processor_on_a_passive_thread_is_group_0_below_64),
		cmocka_unit_test(test_get_version_is_6_82),
		cmocka_unit_test(test_errno_map_gives_the_documented_statuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
