/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Unit tests of interrupt steering on connect (the platform's optional
 * set_affinity op, which VFIO implements with /proc/irq/N/smp_affinity_list):
 * each vector is steered to the host CPU of its processor before it is
 * armed; a refusal does not fail the connect and is logged once per runtime.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "core_fixture.h"
#include "core_recorder.h"

static unsigned refused_calls;

static int refuse_affinity(struct nirq_platform *pf, uint32_t vec, unsigned cpu)
{
	(void)pf;
	(void)vec;
	(void)cpu;
	refused_calls++;
	return -EPERM;
}

static void test_vfio_steering_each_vector_goes_to_its_processors_cpu(void **state)
{
	struct rec_fixture *t = *state;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	assert_int_equal(rec_connect(&t->rec, false), 0);
	assert_int_equal(fake_log_count(t->fx.pf, FAKE_OP_SET_AFFINITY), t->fx.grant.count);
	for (size_t i = 0; i < fake_log_len(t->fx.pf); i++) {
		struct fake_call c = fake_log_at(t->fx.pf, i);

		if (c.op != FAKE_OP_SET_AFFINITY)
			continue;
		/* processor p runs pinned to host CPU p % online CPUs */
		assert_int_equal(c.b, t->fx.grant.target[c.a] % (unsigned)ncpu);
	}
}

static void test_vfio_steering_happens_before_the_vector_is_armed(void **state)
{
	struct rec_fixture *t = *state;
	long steer, arm;

	assert_int_equal(rec_connect(&t->rec, false), 0);
	for (uint32_t m = 0; m < t->fx.grant.count; m++) {
		steer = -1;
		arm = -1;
		for (size_t i = 0; i < fake_log_len(t->fx.pf); i++) {
			struct fake_call c = fake_log_at(t->fx.pf, i);

			if (c.a != m)
				continue;
			if (c.op == FAKE_OP_SET_AFFINITY && steer < 0)
				steer = (long)i;
			if (c.op == FAKE_OP_UNMASK && arm < 0)
				arm = (long)i;
		}
		assert_true(steer >= 0 && arm > steer);
	}
}

static void test_vfio_steering_refused_connects_and_logs_once(void **state)
{
	struct rec_fixture *t = *state;

	refused_calls = 0;
	fake_platform_ops(t->fx.pf)->set_affinity = refuse_affinity;
	assert_int_equal(rec_connect(&t->rec, false), 0);
	assert_true(t->fx.grant.count > 1);
	assert_int_equal(refused_calls, t->fx.grant.count); /* tried every vector */
	assert_int_equal(fake_log_count(t->fx.pf, FAKE_OP_UNMASK), t->fx.grant.count);
	assert_int_equal(test_log_count(&t->fx.log), 1);
	assert_true(test_log_find(&t->fx.log, "fake platform: cannot steer host IRQ",
				  "not permitted", "said once per runtime", NULL) >= 0);
}

static void test_vfio_steering_without_the_op_connects(void **state)
{
	struct rec_fixture *t = *state;

	fake_platform_ops(t->fx.pf)->set_affinity = NULL;
	assert_int_equal(rec_connect(&t->rec, false), 0);
	assert_int_equal(fake_log_count(t->fx.pf, FAKE_OP_UNMASK), t->fx.grant.count);
	assert_int_equal(test_log_count(&t->fx.log), 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, rec_fixture_setup_msix, rec_fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_vfio_steering_each_vector_goes_to_its_processors_cpu),
		T(test_vfio_steering_happens_before_the_vector_is_armed),
		T(test_vfio_steering_refused_connects_and_logs_once),
		T(test_vfio_steering_without_the_op_connects),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
