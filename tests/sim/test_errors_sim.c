/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Refusals of the sim platform (docs/errors.md, "Simulated device"): the
 * configurations nirq_sim_create() refuses, with the line
 * nirq_sim_config_check() gives for each, and the platform ops' refusals
 * that no other sim test covers (BAR numbers, mapping windows).
 */
#include <stdio.h>
#include <string.h>

#include "sim_test.h"

static char why[256];

/* @cfg is refused by both the check (with @want as the reason) and create. */
static void assert_refused(const struct nirq_sim_config *cfg, const char *want)
{
	struct nirq_platform *pf = NULL;

	memset(why, 0, sizeof(why));
	assert_int_equal(nirq_sim_config_check(cfg, why, sizeof(why)), -EINVAL);
	assert_string_equal(why, want);
	assert_int_equal(nirq_sim_create(cfg, &pf), -EINVAL);
	assert_null(pf);
}

static void test_config_null_is_refused(void **state)
{
	(void)state;
	assert_refused(NULL, "the sim config is NULL");
}

static void test_config_of_another_size_is_refused_naming_the_size(void **state)
{
	struct nirq_sim_config cfg;
	char want[160];

	(void)state;
	nirq_sim_config_init(&cfg, NIRQ_SIM_EDU);
	cfg.size = 4;
	snprintf(want, sizeof(want), "size = 4: must be sizeof(struct nirq_sim_config) "
		 "(%zu); initialize it with nirq_sim_config_init()", sizeof(cfg));
	assert_refused(&cfg, want);
}

static void test_config_unknown_model_is_refused_listing_the_models(void **state)
{
	struct nirq_sim_config cfg;

	(void)state;
	nirq_sim_config_init(&cfg, (enum nirq_sim_model)7);
	assert_refused(&cfg, "model = 7: not a sim model (1 edu, 2 e1000e, 3 e1000)");
}

static void test_msix_count_on_a_device_without_msix_is_refused(void **state)
{
	struct nirq_sim_config cfg;

	(void)state;
	nirq_sim_config_init(&cfg, NIRQ_SIM_EDU);
	cfg.faults.msix_count = 4;
	assert_refused(&cfg, "faults.msix_count = 4: the edu has no MSI-X capability "
		       "to resize");
}

static void test_msix_count_with_no_msix_is_refused(void **state)
{
	struct nirq_sim_config cfg;

	(void)state;
	nirq_sim_config_init(&cfg, NIRQ_SIM_E1000E);
	cfg.faults.msix_count = 4;
	cfg.faults.no_msix = true;
	assert_refused(&cfg, "faults.msix_count = 4 with faults.no_msix: there is no "
		       "MSI-X table to resize");
}

static void test_msix_count_beyond_the_table_room_is_refused(void **state)
{
	struct nirq_sim_config cfg;

	(void)state;
	nirq_sim_config_init(&cfg, NIRQ_SIM_E1000E);
	cfg.faults.msix_count = 513;
	assert_refused(&cfg, "faults.msix_count = 513: the e1000e's MSI-X table fits "
		       "at most 512 entries (below its PBA)");
}

static void test_msix_count_that_fits_is_accepted(void **state)
{
	struct nirq_sim_config cfg;

	(void)state;
	nirq_sim_config_init(&cfg, NIRQ_SIM_E1000E);
	cfg.faults.msix_count = 512;
	strcpy(why, "untouched");
	assert_int_equal(nirq_sim_config_check(&cfg, why, sizeof(why)), 0);
	assert_string_equal(why, "untouched");
	assert_int_equal(nirq_sim_config_check(&cfg, NULL, 0), 0);
}

static void test_alloc_of_more_than_512_vectors_is_einval(void **state)
{
	struct nirq_sim_faults f = { .msix_count = 512 };
	struct nirq_platform *pf = sim_new_faults(NIRQ_SIM_E1000E, &f);
	int before = open_fd_count();

	(void)state;
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 513), -EINVAL);
	assert_int_equal(open_fd_count(), before);
	assert_int_equal(nirq_sim_current_kind(pf, NULL), NIRQ_KIND_NONE);
	sim_free(pf);
}

static void test_bar_info_of_bar_6_is_einval(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);
	struct nirq_bar_info bi;

	(void)state;
	assert_int_equal(pf->ops->bar_info(pf, 6, &bi), -EINVAL);
	assert_int_equal(pf->ops->bar_info(pf, 0, NULL), -EINVAL);
	sim_free(pf);
}

static void test_map_bar_beyond_16_windows_is_enospc(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);
	void *va[17] = { NULL };
	bool direct;
	unsigned n = 0;

	(void)state;
	while (n < 17 && pf->ops->map_bar(pf, 0, &va[n], &direct) == 0)
		n++;
	assert_int_equal(n, 16);
	assert_int_equal(pf->ops->map_bar(pf, 0, &va[16], &direct), -ENOSPC);
	assert_null(va[16]);
	while (n--)
		pf->ops->unmap_bar(pf, 0, va[n]);
	sim_free(pf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_null_is_refused),
		cmocka_unit_test(test_config_of_another_size_is_refused_naming_the_size),
		cmocka_unit_test(test_config_unknown_model_is_refused_listing_the_models),
		cmocka_unit_test(test_msix_count_on_a_device_without_msix_is_refused),
		cmocka_unit_test(test_msix_count_with_no_msix_is_refused),
		cmocka_unit_test(test_msix_count_beyond_the_table_room_is_refused),
		cmocka_unit_test(test_msix_count_that_fits_is_accepted),
		cmocka_unit_test(test_alloc_of_more_than_512_vectors_is_einval),
		cmocka_unit_test(test_bar_info_of_bar_6_is_einval),
		cmocka_unit_test(test_map_bar_beyond_16_windows_is_enospc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
