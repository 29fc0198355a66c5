/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Unit tests of the ISR -> DPC latency histogram (nirq_lat_record,
 * nirq_lat_percentile). The buckets are log-linear, so values are checked
 * against a relative tolerance, never for equality.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <ndisirq/ndisirq.h>

/* The histogram's promise is a bounded relative error; 15% is generous. */
#define TOLERANCE 0.15

static struct nirq_lat_hist *hist_new(void)
{
	struct nirq_lat_hist *h = calloc(1, sizeof(*h));

	assert_non_null(h);
	return h;
}

static void assert_near(uint64_t got, uint64_t want)
{
	double lo = (double)want * (1.0 - TOLERANCE);
	double hi = (double)want * (1.0 + TOLERANCE);

	print_message("got %llu, want %llu +- %.0f%%\n", (unsigned long long)got,
		      (unsigned long long)want, TOLERANCE * 100);
	assert_true((double)got >= lo && (double)got <= hi);
}

static void test_lat_percentile_of_empty_histogram_is_zero(void **state)
{
	struct nirq_lat_hist *h = hist_new();

	(void)state;
	assert_int_equal(nirq_lat_percentile(h, 50), 0);
	assert_int_equal(nirq_lat_percentile(h, 99), 0);
	free(h);
}

static void test_lat_record_counts_every_sample(void **state)
{
	struct nirq_lat_hist *h = hist_new();

	(void)state;
	for (uint64_t i = 1; i <= 37; i++)
		nirq_lat_record(h, i * 1000);
	assert_int_equal(h->count, 37);
	free(h);
}

static void test_lat_percentile_of_single_sample_is_near_it(void **state)
{
	struct nirq_lat_hist *h = hist_new();

	(void)state;
	nirq_lat_record(h, 3000);
	assert_near(nirq_lat_percentile(h, 0), 3000);
	assert_near(nirq_lat_percentile(h, 50), 3000);
	assert_near(nirq_lat_percentile(h, 100), 3000);
	free(h);
}

static void test_lat_percentile_p50_and_p99_of_uniform_samples(void **state)
{
	struct nirq_lat_hist *h = hist_new();

	(void)state;
	/* 1 us .. 1000 us in 1 us steps: p50 ~ 500 us, p99 ~ 990 us. */
	for (uint64_t us = 1; us <= 1000; us++)
		nirq_lat_record(h, us * 1000);
	assert_near(nirq_lat_percentile(h, 50), 500000);
	assert_near(nirq_lat_percentile(h, 99), 990000);
	free(h);
}

static void test_lat_percentile_separates_a_slow_tail(void **state)
{
	struct nirq_lat_hist *h = hist_new();

	(void)state;
	/* 98 fast samples and 2 slow ones: p50 is fast, p99 is slow. */
	for (int i = 0; i < 98; i++)
		nirq_lat_record(h, 2000);
	nirq_lat_record(h, 5000000);
	nirq_lat_record(h, 5000000);
	assert_near(nirq_lat_percentile(h, 50), 2000);
	assert_near(nirq_lat_percentile(h, 99), 5000000);
	free(h);
}

static void test_lat_percentile_is_monotonic_in_pct(void **state)
{
	struct nirq_lat_hist *h = hist_new();
	uint64_t prev = 0;

	(void)state;
	for (uint64_t v = 100; v < 10000000; v = v * 3 / 2)
		nirq_lat_record(h, v);
	for (int pct = 0; pct <= 100; pct += 5) {
		uint64_t p = nirq_lat_percentile(h, pct);

		assert_true(p >= prev);
		prev = p;
	}
	free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lat_percentile_of_empty_histogram_is_zero),
		cmocka_unit_test(test_lat_record_counts_every_sample),
		cmocka_unit_test(test_lat_percentile_of_single_sample_is_near_it),
		cmocka_unit_test(test_lat_percentile_p50_and_p99_of_uniform_samples),
		cmocka_unit_test(test_lat_percentile_separates_a_slow_tail),
		cmocka_unit_test(test_lat_percentile_is_monotonic_in_pct),
	};

	return cmocka_run_group_tests_name("lat", tests, NULL, NULL);
}
