/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Misuse of the NDIS helper functions that the verifier reports
 * (docs/errors.md, "NDIS helpers"): spin locks, events, sleeping and memory
 * at the wrong IRQL or in the wrong state. Each test runs the call on a
 * passive thread of a manual runtime (IRQL raised where the case needs it)
 * and asserts the exact report and what the call did anyway.
 */
#include <stdlib.h>

#include <ndis.h>

#include <ndisirq/ndisirq.h>

#include "errors_util.h"

#define SYNCH "Irql_Synch_Function"
#define MISC "Irql_Miscellaneous_Function"

static struct test_log tlog;
static struct nirq_rt *rt;

static int setup(void **state)
{
	(void)state;
	assert_int_equal(test_rt_manual(1, &tlog, &rt), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	nirq_rt_destroy(rt);
	test_log_fini(&tlog);
	return 0;
}

static void trampoline(void *arg)
{
	(*(void (**)(void))arg)();
}

/* Run @body as a passive thread of the runtime; exactly one report follows. */
static void run_reported(void (*body)(void))
{
	assert_int_equal(nirq_rt_run_passive(rt, trampoline, &body), 0);
	assert_int_equal(nirq_rt_reports(rt), 1);
}

/* ------------------------------------------------------------ sleeping */

static void sleep_at_dispatch(void)
{
	uint8_t old = nirq_irql_raise(NIRQ_IRQL_DISPATCH);

	NdisMSleep(1);
	nirq_irql_lower(old);
}

static void test_sleep_at_dispatch_is_reported_and_sleeps_anyway(void **state)
{
	(void)state;
	run_reported(sleep_at_dispatch);
	expect_report(&tlog, SYNCH, NULL, "NdisMSleep at IRQL 2: it requires IRQL < "
		      "DISPATCH_LEVEL (use NdisStallExecution); sleeping anyway");
}

/* ---------------------------------------------------------- spin locks */

static NDIS_SPIN_LOCK lock;
static KIRQL seen_irql;

static void free_held_lock(void)
{
	NdisAllocateSpinLock(&lock);
	NdisAcquireSpinLock(&lock);
	NdisFreeSpinLock(&lock);
	NdisReleaseSpinLock(&lock);
}

static void test_free_of_a_held_spin_lock_is_reported(void **state)
{
	(void)state;
	run_reported(free_held_lock);
	expect_report(&tlog, SYNCH, &lock, "NdisFreeSpinLock on a spin lock that is held");
}

static void acquire_in_isr(void)
{
	uint8_t old = nirq_irql_raise(NIRQ_IRQL_DIRQL);

	NdisAllocateSpinLock(&lock);
	NdisAcquireSpinLock(&lock);
	seen_irql = KeGetCurrentIrql();
	NdisReleaseSpinLock(&lock);
	nirq_irql_lower(old);
}

static void test_acquire_above_dispatch_is_reported_and_keeps_the_irql(void **state)
{
	(void)state;
	run_reported(acquire_in_isr);
	assert_int_equal(seen_irql, NIRQ_IRQL_DIRQL);
	expect_report(&tlog, SYNCH, &lock, "NdisAcquireSpinLock at IRQL 8: it requires "
		      "IRQL <= DISPATCH_LEVEL; state shared with an ISR needs "
		      "NdisMSynchronizeWithInterruptEx");
}

static void release_unheld(void)
{
	NdisAllocateSpinLock(&lock);
	NdisReleaseSpinLock(&lock);
	seen_irql = KeGetCurrentIrql();
}

static void test_release_of_an_unheld_spin_lock_is_reported_and_refused(void **state)
{
	(void)state;
	run_reported(release_unheld);
	assert_int_equal(seen_irql, PASSIVE_LEVEL);
	expect_report(&tlog, SYNCH, &lock, "NdisReleaseSpinLock on a spin lock that is "
		      "not held");
}

static void dpr_acquire_at_passive(void)
{
	NdisAllocateSpinLock(&lock);
	NdisDprAcquireSpinLock(&lock);
	seen_irql = KeGetCurrentIrql();
	/* Release as its own DPR call would, at DISPATCH: no second report. */
	nirq_irql_raise(NIRQ_IRQL_DISPATCH);
	NdisDprReleaseSpinLock(&lock);
	nirq_irql_lower(NIRQ_IRQL_PASSIVE);
}

static void test_dpr_acquire_below_dispatch_is_reported_and_acquires(void **state)
{
	(void)state;
	run_reported(dpr_acquire_at_passive);
	assert_int_equal(seen_irql, PASSIVE_LEVEL);
	expect_report(&tlog, SYNCH, &lock, "NdisDprAcquireSpinLock at IRQL 0: the caller "
		      "must be at DISPATCH_LEVEL (use NdisAcquireSpinLock below it)");
}

static void dpr_release_at_passive(void)
{
	NdisAllocateSpinLock(&lock);
	nirq_irql_raise(NIRQ_IRQL_DISPATCH);
	NdisDprAcquireSpinLock(&lock);
	nirq_irql_lower(NIRQ_IRQL_PASSIVE);
	NdisDprReleaseSpinLock(&lock);
	NdisAcquireSpinLock(&lock); /* released: this does not spin forever */
	NdisReleaseSpinLock(&lock);
}

static void test_dpr_release_below_dispatch_is_reported_and_releases(void **state)
{
	(void)state;
	run_reported(dpr_release_at_passive);
	expect_report(&tlog, SYNCH, &lock, "NdisDprReleaseSpinLock at IRQL 0: the caller "
		      "must be at DISPATCH_LEVEL (use NdisAcquireSpinLock below it)");
}

static void dpr_release_unheld(void)
{
	NdisAllocateSpinLock(&lock);
	nirq_irql_raise(NIRQ_IRQL_DISPATCH);
	NdisDprReleaseSpinLock(&lock);
	nirq_irql_lower(NIRQ_IRQL_PASSIVE);
}

static void test_dpr_release_of_an_unheld_spin_lock_is_reported(void **state)
{
	(void)state;
	run_reported(dpr_release_unheld);
	expect_report(&tlog, SYNCH, &lock, "NdisDprReleaseSpinLock on a spin lock that "
		      "is not held");
}

/* -------------------------------------------------------------- events */

static NDIS_EVENT event;
static BOOLEAN waited;

static void set_event_in_isr(void)
{
	uint8_t old;

	NdisInitializeEvent(&event);
	old = nirq_irql_raise(NIRQ_IRQL_DIRQL);
	NdisSetEvent(&event);
	nirq_irql_lower(old);
	waited = NdisWaitEvent(&event, 1);
}

static void test_set_event_above_dispatch_is_reported_and_sets(void **state)
{
	(void)state;
	run_reported(set_event_in_isr);
	assert_true(waited);
	expect_report(&tlog, SYNCH, &event, "NdisSetEvent at IRQL 8: it requires IRQL "
		      "<= DISPATCH_LEVEL");
}

static void reset_event_in_isr(void)
{
	uint8_t old;

	NdisInitializeEvent(&event);
	NdisSetEvent(&event);
	old = nirq_irql_raise(NIRQ_IRQL_DIRQL);
	NdisResetEvent(&event);
	nirq_irql_lower(old);
	waited = NdisWaitEvent(&event, 1);
}

static void test_reset_event_above_dispatch_is_reported_and_resets(void **state)
{
	(void)state;
	run_reported(reset_event_in_isr);
	assert_false(waited);
	expect_report(&tlog, SYNCH, &event, "NdisResetEvent at IRQL 8: it requires IRQL "
		      "<= DISPATCH_LEVEL");
}

static void wait_at_dispatch(void)
{
	uint8_t old;

	NdisInitializeEvent(&event);
	old = nirq_irql_raise(NIRQ_IRQL_DISPATCH);
	waited = NdisWaitEvent(&event, 0); /* 0: forever, were it allowed */
	nirq_irql_lower(old);
}

static void test_wait_above_passive_is_reported_and_does_not_wait(void **state)
{
	(void)state;
	run_reported(wait_at_dispatch);
	assert_false(waited);
	expect_report(&tlog, SYNCH, &event, "NdisWaitEvent at IRQL 2: it requires "
		      "PASSIVE_LEVEL; not waiting");
}

/* -------------------------------------------------------------- memory */

static PVOID block;
static int handle_token;

static void allocate_in_isr(void)
{
	uint8_t old = nirq_irql_raise(NIRQ_IRQL_DIRQL);

	block = NdisAllocateMemoryWithTagPriority(&handle_token, 64, 0x20727245u,
						  NormalPoolPriority);
	nirq_irql_lower(old);
}

static void test_allocation_above_dispatch_is_reported_and_returns_null(void **state)
{
	(void)state;
	block = &block;
	run_reported(allocate_in_isr);
	assert_null(block);
	expect_report(&tlog, MISC, &handle_token, "NdisAllocateMemoryWithTagPriority at "
		      "IRQL 8: it requires IRQL <= DISPATCH_LEVEL; returning NULL");
}

static void free_with_flags(void)
{
	block = NdisAllocateMemoryWithTagPriority(&handle_token, 64, 0x20727245u,
						  NormalPoolPriority);
	assert_non_null(block);
	NdisFreeMemory(block, 64, 0x2);
}

static void test_free_memory_with_flags_is_reported_and_frees(void **state)
{
	(void)state;
	run_reported(free_with_flags); /* LeakSanitizer/valgrind: freed anyway */
	expect_report(&tlog, MISC, block, "NdisFreeMemory: MemoryFlags 0x2: memory from "
		      "NdisAllocateMemoryWithTagPriority is freed with MemoryFlags 0");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sleep_at_dispatch_is_reported_and_sleeps_anyway),
		T(test_free_of_a_held_spin_lock_is_reported),
		T(test_acquire_above_dispatch_is_reported_and_keeps_the_irql),
		T(test_release_of_an_unheld_spin_lock_is_reported_and_refused),
		T(test_dpr_acquire_below_dispatch_is_reported_and_acquires),
		T(test_dpr_release_below_dispatch_is_reported_and_releases),
		T(test_dpr_release_of_an_unheld_spin_lock_is_reported),
		T(test_set_event_above_dispatch_is_reported_and_sets),
		T(test_reset_event_above_dispatch_is_reported_and_resets),
		T(test_wait_above_passive_is_reported_and_does_not_wait),
		T(test_allocation_above_dispatch_is_reported_and_returns_null),
		T(test_free_memory_with_flags_is_reported_and_frees),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
