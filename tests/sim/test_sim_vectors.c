/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Sim platform vectors: allocation with one eventfd per vector, MSI-X entry
 * and function masks with the PBA, faults (-ENOSPC, -ENODEV), fd lifetime,
 * spurious signals and the arm hook. Uses the e1000e model as the source of
 * MSI-X messages (IVAR routes RxQ0 to vector 0 here).
 */
#include "sim_test.h"

/* e1000e in MSI-X mode, RxQ0 routed to vector 0 and enabled in IMS. */
static struct nirq_platform *msix_device(void)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);

	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 5), 0);
	wr(pf, REG_IVAR, IVAR_VALID | 0);
	wr(pf, REG_IMS, ICR_RXQ0);
	return pf;
}

static void test_msix_vectors_start_masked_after_alloc(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);
	uint32_t n = 0;

	(void)state;
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 5), 0);
	assert_int_equal(nirq_sim_current_kind(pf, &n), NIRQ_KIND_MSIX);
	assert_int_equal(n, 5);
	for (uint32_t v = 0; v < 5; v++)
		assert_true(nirq_sim_msix_masked(pf, v));
	assert_true(cfg_rd(pf, 0xa0 + 2, 2) & 0x8000); /* MSI-X Enable, as the OS sets it */
	sim_free(pf);
}

static void test_msix_masked_vector_sets_pending(void **state)
{
	struct nirq_platform *pf = msix_device();

	(void)state;
	nirq_sim_inject(pf, ICR_RXQ0);
	assert_true(nirq_sim_msix_pending(pf, 0));
	assert_int_equal(nirq_sim_raised(pf, 0), 1);
	assert_int_equal(vec_signals(pf, 0), 0);
	pf->ops->unmask(pf, 0);
	assert_false(nirq_sim_msix_pending(pf, 0));
	assert_int_equal(vec_signals(pf, 0), 1);
	sim_free(pf);
}

static void test_msix_unmasked_vector_delivers_at_once(void **state)
{
	struct nirq_platform *pf = msix_device();

	(void)state;
	pf->ops->unmask(pf, 0);
	nirq_sim_inject(pf, ICR_RXQ0);
	assert_false(nirq_sim_msix_pending(pf, 0));
	assert_int_equal(pf->ops->vector_consume(pf, 0), 1);
	assert_int_equal(pf->ops->vector_consume(pf, 0), 0); /* stale wake-up */
	sim_free(pf);
}

static void test_msix_function_mask_holds_and_delivers_on_clear(void **state)
{
	struct nirq_platform *pf = msix_device();

	(void)state;
	pf->ops->unmask(pf, 0);
	nirq_sim_msix_function_mask(pf, true);
	nirq_sim_inject(pf, ICR_RXQ0);
	assert_true(nirq_sim_msix_pending(pf, 0));
	assert_false(nirq_sim_msix_masked(pf, 0)); /* the entry itself is unmasked */
	assert_int_equal(vec_signals(pf, 0), 0);
	nirq_sim_msix_function_mask(pf, false);
	assert_false(nirq_sim_msix_pending(pf, 0));
	assert_int_equal(vec_signals(pf, 0), 1);
	sim_free(pf);
}

/* The driver masks an entry through the table in BAR3 and reads the PBA there. */
static void test_msix_table_write_masks_and_pba_reads_pending(void **state)
{
	struct nirq_platform *pf = msix_device();

	(void)state;
	pf->ops->unmask(pf, 0);
	pf->ops->mmio_write(pf, 3, 0x0c, 4, 1); /* entry 0 vector control: mask */
	assert_true(nirq_sim_msix_masked(pf, 0));
	nirq_sim_inject(pf, ICR_RXQ0);
	assert_int_equal(pf->ops->mmio_read(pf, 3, 0x2000, 4), 1);
	assert_int_equal(vec_signals(pf, 0), 0);
	pf->ops->mmio_write(pf, 3, 0x0c, 4, 0);
	assert_int_equal(pf->ops->mmio_read(pf, 3, 0x2000, 4), 0);
	assert_int_equal(vec_signals(pf, 0), 1);
	assert_int_equal(pf->ops->mmio_read(pf, 3, 0x08, 4), 0x40); /* data = vector number */
	sim_free(pf);
}

static void test_free_vectors_closes_fds(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);
	int before = open_fd_count();

	(void)state;
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 5), 0);
	assert_int_equal(open_fd_count(), before + 5);
	pf->ops->free_vectors(pf);
	assert_int_equal(open_fd_count(), before);
	assert_int_equal(nirq_sim_current_kind(pf, NULL), NIRQ_KIND_NONE);
	assert_false(cfg_rd(pf, 0xa0 + 2, 2) & 0x8000);
	assert_true(pf->ops->vector_fd(pf, 0) < 0);
	pf->ops->destroy(pf);
}

static void test_vector_limit_gives_enospc(void **state)
{
	struct nirq_sim_faults f = { .vector_limit = 2 };
	struct nirq_platform *pf = sim_new_faults(NIRQ_SIM_E1000E, &f);
	int before = open_fd_count();

	(void)state;
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 5), -ENOSPC);
	assert_int_equal(open_fd_count(), before);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 2), 0);
	sim_free(pf);
}

static void test_alloc_fail_at_fails_only_the_nth_call(void **state)
{
	struct nirq_sim_faults f = { .alloc_fail_at = 2 };
	struct nirq_platform *pf = sim_new_faults(NIRQ_SIM_E1000E, &f);

	(void)state;
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 5), 0);
	pf->ops->free_vectors(pf);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 5), -ENOSPC);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 5), 0);
	sim_free(pf);
}

static void test_alloc_fail_all_fails_messages_but_not_the_line(void **state)
{
	struct nirq_sim_faults f = { .alloc_fail_all = true };
	struct nirq_platform *pf = sim_new_faults(NIRQ_SIM_E1000E, &f);

	(void)state;
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 1), -ENOSPC);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSI, 1), -ENOSPC);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_LINE, 1), 0);
	sim_free(pf);
}

static void test_more_vectors_than_the_table_gives_enospc(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);

	(void)state;
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 6), -ENOSPC);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSI, 2), -ENOSPC);
	sim_free(pf);
}

static void test_msix_count_fault_shrinks_the_table(void **state)
{
	struct nirq_sim_faults f = { .msix_count = 2 };
	struct nirq_platform *pf = sim_new_faults(NIRQ_SIM_E1000E, &f);
	struct nirq_pci_caps caps;

	(void)state;
	assert_int_equal(pf->ops->describe(pf, &caps), 0);
	assert_int_equal(caps.msix_count, 2);
	assert_int_equal(cfg_rd(pf, 0xa0 + 2, 2) & 0x7ff, 1); /* table size - 1 */
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 3), -ENOSPC);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 2), 0);
	sim_free(pf);
}

static void test_no_msix_fault_gives_enodev(void **state)
{
	struct nirq_sim_faults f = { .no_msix = true, .no_msi = true };
	struct nirq_platform *pf = sim_new_faults(NIRQ_SIM_E1000E, &f);
	struct nirq_pci_caps caps;

	(void)state;
	assert_int_equal(pf->ops->describe(pf, &caps), 0);
	assert_int_equal(caps.msix_count, 0);
	assert_int_equal(caps.msi_count, 0);
	assert_true(caps.intx);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 1), -ENODEV);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSI, 1), -ENODEV);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_LINE, 1), 0);
	sim_free(pf);
}

static void test_alloc_rejects_bad_arguments_without_leaking(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);
	int before = open_fd_count();

	(void)state;
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 0), -EINVAL);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_LINE, 2), -EINVAL);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_NONE, 1), -EINVAL);
	assert_int_equal(pf->ops->alloc_vectors(pf, (enum nirq_intr_kind)99, 1), -EINVAL);
	assert_int_equal(open_fd_count(), before);
	assert_int_equal(nirq_sim_current_kind(pf, NULL), NIRQ_KIND_NONE);
	sim_free(pf);
}

static void test_second_allocation_is_busy(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);

	(void)state;
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSI, 1), 0);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_LINE, 1), -EBUSY);
	assert_int_equal(nirq_sim_current_kind(pf, NULL), NIRQ_KIND_MSI);
	sim_free(pf);
}

static void test_spurious_signals_vector_without_a_cause(void **state)
{
	struct nirq_platform *pf = msix_device();

	(void)state;
	nirq_sim_spurious(pf, 1);
	assert_int_equal(pf->ops->vector_consume(pf, 1), 1);
	assert_int_equal(nirq_sim_raised(pf, 1), 0);
	assert_int_equal(rd(pf, REG_ICS), 0); /* no cause in the device */
	sim_free(pf);
}

static void test_unknown_vector_is_ignored(void **state)
{
	struct nirq_platform *pf = msix_device();

	(void)state;
	pf->ops->mask(pf, 99);
	pf->ops->unmask(pf, 99);
	pf->ops->line_done(pf, 99);
	nirq_sim_spurious(pf, 99);
	assert_true(pf->ops->vector_fd(pf, 99) < 0);
	assert_int_equal(pf->ops->vector_consume(pf, 99), 0);
	assert_false(nirq_sim_msix_pending(pf, 99));
	assert_int_equal(nirq_sim_raised(pf, 100000), 0);
	sim_free(pf);
}

static void test_create_rejects_bad_config(void **state)
{
	struct nirq_sim_config cfg;
	struct nirq_platform *pf = NULL;
	int before = open_fd_count();

	(void)state;
	assert_int_equal(nirq_sim_create(NULL, &pf), -EINVAL);
	nirq_sim_config_init(&cfg, NIRQ_SIM_EDU);
	assert_int_equal(nirq_sim_create(&cfg, NULL), -EINVAL);
	cfg.size = 4;
	assert_int_equal(nirq_sim_create(&cfg, &pf), -EINVAL);
	nirq_sim_config_init(&cfg, (enum nirq_sim_model)99);
	assert_int_equal(nirq_sim_create(&cfg, &pf), -EINVAL);
	nirq_sim_config_init(&cfg, NIRQ_SIM_E1000);
	cfg.faults.msix_count = 4; /* e1000 has no MSI-X table */
	assert_int_equal(nirq_sim_create(&cfg, &pf), -EINVAL);
	nirq_sim_config_init(&cfg, NIRQ_SIM_E1000E);
	cfg.faults.msix_count = 4096; /* does not fit below the PBA */
	assert_int_equal(nirq_sim_create(&cfg, &pf), -EINVAL);
	assert_null(pf);
	assert_int_equal(open_fd_count(), before);
}

struct hook_log {
	unsigned calls;
	uint64_t seen; /* signals on vector 0 visible from inside the hook */
};

static void arm_hook(struct nirq_platform *pf, void *arg)
{
	struct hook_log *log = arg;

	log->calls++;
	nirq_sim_inject(pf, ICR_RXQ0);
	log->seen = pf->ops->vector_consume(pf, 0);
}

static void test_arm_hook_runs_once_after_the_unmask(void **state)
{
	struct nirq_platform *pf = msix_device();
	struct hook_log log = { 0 };

	(void)state;
	nirq_sim_set_arm_hook(pf, arm_hook, &log);
	pf->ops->unmask(pf, 0);
	assert_int_equal(log.calls, 1);
	assert_int_equal(log.seen, 1); /* delivered: the vector was already unmasked */
	pf->ops->unmask(pf, 1);
	assert_int_equal(log.calls, 1);
	sim_free(pf);
}

static void test_vector_numbers_are_stable(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);

	(void)state;
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 5), 0);
	assert_int_equal(pf->ops->vector_number(pf, 0), 0x40);
	assert_int_equal(pf->ops->vector_number(pf, 4), 0x44);
	pf->ops->free_vectors(pf);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_LINE, 1), 0);
	assert_int_equal(pf->ops->vector_number(pf, 0), 11);
	sim_free(pf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msix_vectors_start_masked_after_alloc),
		cmocka_unit_test(test_msix_masked_vector_sets_pending),
		cmocka_unit_test(test_msix_unmasked_vector_delivers_at_once),
		cmocka_unit_test(test_msix_function_mask_holds_and_delivers_on_clear),
		cmocka_unit_test(test_msix_table_write_masks_and_pba_reads_pending),
		cmocka_unit_test(test_free_vectors_closes_fds),
		cmocka_unit_test(test_vector_limit_gives_enospc),
		cmocka_unit_test(test_alloc_fail_at_fails_only_the_nth_call),
		cmocka_unit_test(test_alloc_fail_all_fails_messages_but_not_the_line),
		cmocka_unit_test(test_more_vectors_than_the_table_gives_enospc),
		cmocka_unit_test(test_msix_count_fault_shrinks_the_table),
		cmocka_unit_test(test_no_msix_fault_gives_enodev),
		cmocka_unit_test(test_alloc_rejects_bad_arguments_without_leaking),
		cmocka_unit_test(test_second_allocation_is_busy),
		cmocka_unit_test(test_spurious_signals_vector_without_a_cause),
		cmocka_unit_test(test_unknown_vector_is_ignored),
		cmocka_unit_test(test_create_rejects_bad_config),
		cmocka_unit_test(test_arm_hook_runs_once_after_the_unmask),
		cmocka_unit_test(test_vector_numbers_are_stable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
