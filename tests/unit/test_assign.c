/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Unit tests of resource assignment (nirq_assign, nirq_unassign) against the
 * fake platform: MSI-X before MSI before the line, MSISupported and
 * MessageNumberLimit, the F4 fallback to one message and then the line, the
 * spreading of messages, and that no allocation leaks.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core_fixture.h"

/* Set up with @o, asserting success; the grant is in fx->grant. */
static struct core_fixture *start(const struct core_fixture_opts *o)
{
	struct core_fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	assert_int_equal(core_fixture_setup(fx, o), 0);
	return fx;
}

static void stop(struct core_fixture *fx)
{
	core_fixture_teardown(fx);
	free(fx);
}

static void assert_alloc_call(struct nirq_platform *pf, size_t n,
			      enum nirq_intr_kind kind, uint32_t count, int ret)
{
	struct fake_call c = fake_log_nth(pf, FAKE_OP_ALLOC_VECTORS, n);

	print_message("alloc_vectors call %zu: kind %llu count %llu -> %lld\n", n,
		      (unsigned long long)c.a, (unsigned long long)c.b, (long long)c.ret);
	assert_int_equal(c.op, FAKE_OP_ALLOC_VECTORS);
	assert_int_equal(c.a, kind);
	assert_int_equal(c.b, count);
	assert_int_equal(c.ret, ret);
}

static void test_assign_grants_msix_with_device_table_size(void **state)
{
	struct core_fixture_opts o;
	struct core_fixture *fx;

	(void)state;
	core_fixture_opts_init(&o);
	o.pf.caps.msix_count = 5;
	fx = start(&o);
	assert_int_equal(fx->grant.kind, NIRQ_KIND_MSIX);
	assert_int_equal(fx->grant.count, 5);
	assert_int_equal(fake_log_count(fx->pf, FAKE_OP_ALLOC_VECTORS), 1);
	assert_alloc_call(fx->pf, 0, NIRQ_KIND_MSIX, 5, 0);
	stop(fx);
}

static void test_assign_honours_message_number_limit(void **state)
{
	struct core_fixture_opts o;
	struct core_fixture *fx;

	(void)state;
	core_fixture_opts_init(&o);
	o.policy.message_number_limit = 2;
	fx = start(&o);
	assert_int_equal(fx->grant.kind, NIRQ_KIND_MSIX);
	assert_int_equal(fx->grant.count, 2);
	assert_alloc_call(fx->pf, 0, NIRQ_KIND_MSIX, 2, 0);
	stop(fx);
}

static void test_assign_grants_msi_when_device_has_no_msix(void **state)
{
	struct core_fixture_opts o;
	struct core_fixture *fx;

	(void)state;
	core_fixture_opts_init(&o);
	o.pf.caps.msix_count = 0;
	o.pf.caps.msi_count = 4;
	fx = start(&o);
	assert_int_equal(fx->grant.kind, NIRQ_KIND_MSI);
	assert_int_equal(fx->grant.count, 4);
	assert_int_equal(fake_log_count(fx->pf, FAKE_OP_ALLOC_VECTORS), 1);
	assert_alloc_call(fx->pf, 0, NIRQ_KIND_MSI, 4, 0);
	stop(fx);
}

static void test_assign_msi_count_is_a_power_of_two_within_limit(void **state)
{
	struct core_fixture_opts o;
	struct core_fixture *fx;

	(void)state;
	core_fixture_opts_init(&o);
	o.pf.caps.msix_count = 0;
	o.pf.caps.msi_count = 8;
	o.policy.message_number_limit = 3; /* MSI allocates 1, 2, 4, 8, 16 or 32 */
	fx = start(&o);
	assert_int_equal(fx->grant.kind, NIRQ_KIND_MSI);
	assert_int_equal(fx->grant.count, 2);
	stop(fx);
}

static void test_assign_grants_line_when_policy_msi_supported_is_0(void **state)
{
	struct core_fixture_opts o;
	struct core_fixture *fx;

	(void)state;
	core_fixture_opts_init(&o);
	o.policy.msi_supported = 0;
	fx = start(&o);
	assert_int_equal(fx->grant.kind, NIRQ_KIND_LINE);
	assert_int_equal(fx->grant.count, 1);
	assert_int_equal(fake_log_count(fx->pf, FAKE_OP_ALLOC_VECTORS), 1);
	assert_alloc_call(fx->pf, 0, NIRQ_KIND_LINE, 1, 0);
	stop(fx);
}

static void test_assign_grants_line_when_device_has_neither_msi_nor_msix(void **state)
{
	struct core_fixture_opts o;
	struct core_fixture *fx;

	(void)state;
	core_fixture_opts_init(&o);
	o.pf.caps.msix_count = 0;
	o.pf.caps.msi_count = 0;
	fx = start(&o);
	assert_int_equal(fx->grant.kind, NIRQ_KIND_LINE);
	assert_int_equal(fx->grant.count, 1);
	assert_alloc_call(fx->pf, 0, NIRQ_KIND_LINE, 1, 0);
	stop(fx);
}

static void test_assign_device_without_interrupt_gets_kind_none(void **state)
{
	struct core_fixture_opts o;
	struct core_fixture *fx;

	(void)state;
	core_fixture_opts_init(&o);
	o.pf.caps.msix_count = 0;
	o.pf.caps.msi_count = 0;
	o.pf.caps.intx = false;
	fx = start(&o);
	assert_int_equal(fx->grant.kind, NIRQ_KIND_NONE);
	assert_int_equal(fake_vectors_live(fx->pf), 0);
	stop(fx);
}

static void test_assign_alloc_enospc_falls_back_to_one_message(void **state)
{
	struct core_fixture_opts o;
	struct core_fixture *fx;
	struct nirq_platform *pf;

	(void)state;
	core_fixture_opts_init(&o);
	o.no_assign = true;
	fx = start(&o);
	pf = fx->pf;
	fake_script_alloc(pf, 1, -ENOSPC);
	assert_int_equal(nirq_assign(fx->rt, pf, &fx->policy, &fx->grant), 0);
	fx->assigned = true;
	assert_int_equal(fx->grant.kind, NIRQ_KIND_MSIX);
	assert_int_equal(fx->grant.count, 1);
	assert_int_equal(fake_log_count(pf, FAKE_OP_ALLOC_VECTORS), 2);
	assert_alloc_call(pf, 0, NIRQ_KIND_MSIX, 5, -ENOSPC);
	assert_alloc_call(pf, 1, NIRQ_KIND_MSIX, 1, 0);
	stop(fx);
}

static void test_assign_platform_short_of_vectors_gives_one_message(void **state)
{
	struct core_fixture_opts o;
	struct core_fixture *fx;

	(void)state;
	core_fixture_opts_init(&o);
	o.pf.vector_limit = 2; /* fewer than the 5 the device offers */
	fx = start(&o);
	assert_int_equal(fx->grant.kind, NIRQ_KIND_MSIX);
	assert_int_equal(fx->grant.count, 1);
	assert_alloc_call(fx->pf, 0, NIRQ_KIND_MSIX, 5, -ENOSPC);
	assert_alloc_call(fx->pf, 1, NIRQ_KIND_MSIX, 1, 0);
	stop(fx);
}

static void test_assign_alloc_failures_fall_back_to_line(void **state)
{
	struct core_fixture_opts o;
	struct core_fixture *fx;
	struct nirq_platform *pf;

	(void)state;
	core_fixture_opts_init(&o);
	o.no_assign = true;
	fx = start(&o);
	pf = fx->pf;
	fake_script_alloc(pf, 1, -ENOSPC);
	fake_script_alloc(pf, 2, -ENOSPC);
	assert_int_equal(nirq_assign(fx->rt, pf, &fx->policy, &fx->grant), 0);
	fx->assigned = true;
	assert_int_equal(fx->grant.kind, NIRQ_KIND_LINE);
	assert_int_equal(fx->grant.count, 1);
	assert_int_equal(fake_log_count(pf, FAKE_OP_ALLOC_VECTORS), 3);
	assert_alloc_call(pf, 0, NIRQ_KIND_MSIX, 5, -ENOSPC);
	assert_alloc_call(pf, 1, NIRQ_KIND_MSIX, 1, -ENOSPC);
	assert_alloc_call(pf, 2, NIRQ_KIND_LINE, 1, 0);
	stop(fx);
}

static void test_assign_fallback_leaks_no_vectors(void **state)
{
	struct core_fixture_opts o;
	struct core_fixture *fx;
	struct nirq_platform *pf;

	(void)state;
	core_fixture_opts_init(&o);
	o.no_assign = true;
	fx = start(&o);
	pf = fx->pf;
	fake_script_alloc(pf, 1, -ENOSPC);
	fake_script_alloc(pf, 2, -ENOSPC);
	assert_int_equal(nirq_assign(fx->rt, pf, &fx->policy, &fx->grant), 0);
	/* Exactly the line is live; no allocation was refused as "one is live". */
	assert_int_equal(fake_vectors_live(pf), 1);
	for (size_t i = 0; i < fake_log_count(pf, FAKE_OP_ALLOC_VECTORS); i++)
		assert_int_not_equal(fake_log_nth(pf, FAKE_OP_ALLOC_VECTORS, i).ret, -EBUSY);
	nirq_unassign(pf, &fx->grant);
	assert_int_equal(fake_vectors_live(pf), 0);
	assert_int_equal(fake_log_count(pf, FAKE_OP_FREE_VECTORS), 1);
	stop(fx);
}

static void test_assign_spreads_messages_over_processors(void **state)
{
	struct core_fixture_opts o;
	struct core_fixture *fx;
	uint64_t seen = 0;

	(void)state;
	core_fixture_opts_init(&o);
	o.processors = 4;
	o.pf.caps.msix_count = 5;
	fx = start(&o);
	assert_int_equal(fx->grant.count, 5);
	assert_int_equal(fx->grant.processors, 4);
	for (uint32_t m = 0; m < fx->grant.count; m++) {
		print_message("message %u -> processor %u\n", m, fx->grant.target[m]);
		assert_true(fx->grant.target[m] < 4);
		seen |= 1ull << fx->grant.target[m];
	}
	/* Five messages on four processors: every processor has one. */
	assert_int_equal(seen, 0xf);
	stop(fx);
}

static void test_assign_reports_platform_vector_numbers(void **state)
{
	struct core_fixture_opts o;
	struct core_fixture *fx;

	(void)state;
	core_fixture_opts_init(&o);
	o.pf.vector_base = 0x70;
	fx = start(&o);
	for (uint32_t m = 0; m < fx->grant.count; m++)
		assert_int_equal(fx->grant.vector[m], 0x70 + m);
	stop(fx);
}

static void test_assign_carries_max_nbls_to_indicate(void **state)
{
	struct core_fixture_opts o;
	struct core_fixture *fx;

	(void)state;
	core_fixture_opts_init(&o);
	o.policy.max_nbls_to_indicate = 16;
	fx = start(&o);
	assert_int_equal(fx->grant.max_nbls_to_indicate, 16);
	stop(fx);
}

static void test_assign_leaves_vectors_masked(void **state)
{
	struct core_fixture_opts o;
	struct core_fixture *fx;

	(void)state;
	core_fixture_opts_init(&o);
	fx = start(&o);
	for (uint32_t m = 0; m < fx->grant.count; m++)
		assert_true(fake_vector_masked(fx->pf, m));
	assert_int_equal(fake_log_count(fx->pf, FAKE_OP_UNMASK), 0);
	stop(fx);
}

static void test_unassign_frees_the_vectors(void **state)
{
	struct core_fixture_opts o;
	struct core_fixture *fx;

	(void)state;
	core_fixture_opts_init(&o);
	fx = start(&o);
	assert_int_equal(fake_vectors_live(fx->pf), 5);
	nirq_unassign(fx->pf, &fx->grant);
	fx->assigned = false;
	assert_int_equal(fake_vectors_live(fx->pf), 0);
	assert_int_equal(fake_log_count(fx->pf, FAKE_OP_FREE_VECTORS), 1);
	stop(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_assign_grants_msix_with_device_table_size),
		cmocka_unit_test(test_assign_honours_message_number_limit),
		cmocka_unit_test(test_assign_grants_msi_when_device_has_no_msix),
		cmocka_unit_test(test_assign_msi_count_is_a_power_of_two_within_limit),
		cmocka_unit_test(test_assign_grants_line_when_policy_msi_supported_is_0),
		cmocka_unit_test(test_assign_grants_line_when_device_has_neither_msi_nor_msix),
		cmocka_unit_test(test_assign_device_without_interrupt_gets_kind_none),
		cmocka_unit_test(test_assign_alloc_enospc_falls_back_to_one_message),
		cmocka_unit_test(test_assign_platform_short_of_vectors_gives_one_message),
		cmocka_unit_test(test_assign_alloc_failures_fall_back_to_line),
		cmocka_unit_test(test_assign_fallback_leaks_no_vectors),
		cmocka_unit_test(test_assign_spreads_messages_over_processors),
		cmocka_unit_test(test_assign_reports_platform_vector_numbers),
		cmocka_unit_test(test_assign_carries_max_nbls_to_indicate),
		cmocka_unit_test(test_assign_leaves_vectors_masked),
		cmocka_unit_test(test_unassign_frees_the_vectors),
	};

	return cmocka_run_group_tests_name("assign", tests, NULL, NULL);
}
