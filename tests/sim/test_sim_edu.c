/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The edu model on the sim platform: its registers, MSI as one edge per
 * raise, and INTx as a level-triggered shared line that line_done re-samples
 * (held until the driver acks, plus a foreign device on the same line).
 */
#include "sim_test.h"

static void test_edu_id_and_liveness(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);

	(void)state;
	assert_int_equal(rd(pf, EDU_ID), 0x010000ed);
	wr(pf, EDU_ID, 0); /* read-only */
	assert_int_equal(rd(pf, EDU_ID), 0x010000ed);
	wr(pf, EDU_LIVENESS, 0x12345678);
	assert_int_equal(rd(pf, EDU_LIVENESS), ~0x12345678u);
	sim_free(pf);
}

/* edu_mmio_ops .valid 4..8: QEMU refuses a narrow access; the read is 0, the write lost. */
static void test_edu_narrow_access_reads_zero_and_writes_nothing(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);

	(void)state;
	assert_int_equal(pf->ops->mmio_read(pf, 0, EDU_ID, 2), 0);
	assert_int_equal(pf->ops->mmio_read(pf, 0, EDU_ID, 1), 0);
	pf->ops->mmio_write(pf, 0, EDU_IRQ_RAISE, 2, 1);
	assert_int_equal(rd(pf, EDU_IRQ_STATUS), 0);
	sim_free(pf);
}

static void test_edu_factorial_raises_when_asked(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);

	(void)state;
	wr(pf, EDU_FACT, 5);
	assert_int_equal(rd(pf, EDU_FACT), 120);
	assert_int_equal(rd(pf, EDU_IRQ_STATUS), 0);
	wr(pf, EDU_STATUS, 0x80); /* raise an interrupt when done */
	wr(pf, EDU_FACT, 0xffffffff);
	assert_int_equal(rd(pf, EDU_FACT), 0); /* n! mod 2^32 */
	assert_int_equal(rd(pf, EDU_IRQ_STATUS), 1);
	sim_free(pf);
}

static void test_edu_msi_single_vector_edge_per_raise(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);

	(void)state;
	alloc_unmasked(pf, NIRQ_KIND_MSI, 1);
	wr(pf, EDU_IRQ_RAISE, 1);
	assert_int_equal(vec_signals(pf, 0), 1);
	wr(pf, EDU_IRQ_RAISE, 2); /* status still non-zero: another edge anyway */
	assert_int_equal(vec_signals(pf, 0), 1);
	assert_int_equal(nirq_sim_raised(pf, 0), 2);
	assert_false(nirq_sim_line_asserted(pf)); /* MSI mode does not use INTx */
	wr(pf, EDU_IRQ_ACK, 3);
	assert_int_equal(vec_signals(pf, 0), 0);
	assert_int_equal(rd(pf, EDU_IRQ_STATUS), 0);
	sim_free(pf);
}

static void test_edu_msi_masked_message_is_held_until_unmask(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);

	(void)state;
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSI, 1), 0);
	assert_true(cfg_rd(pf, 0x40 + 2, 2) & 1); /* MSI Enable, as the OS sets it */
	wr(pf, EDU_IRQ_RAISE, 1);
	wr(pf, EDU_IRQ_RAISE, 1);
	assert_int_equal(vec_signals(pf, 0), 0);
	pf->ops->unmask(pf, 0);
	assert_int_equal(vec_signals(pf, 0), 1); /* held messages coalesce */
	pf->ops->mask(pf, 0);
	wr(pf, EDU_IRQ_RAISE, 1);
	assert_int_equal(vec_signals(pf, 0), 0);
	sim_free(pf);
}

static void test_edu_intx_level_held_until_ack(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);

	(void)state;
	alloc_unmasked(pf, NIRQ_KIND_LINE, 1);
	wr(pf, EDU_IRQ_RAISE, 1);
	assert_true(nirq_sim_line_asserted(pf));
	assert_int_equal(pf->ops->vector_consume(pf, 0), 1);
	pf->ops->line_done(pf, 0); /* ISR did not ack: still asserted */
	assert_int_equal(pf->ops->vector_consume(pf, 0), 1);
	wr(pf, EDU_IRQ_ACK, 1);
	assert_false(nirq_sim_line_asserted(pf));
	pf->ops->line_done(pf, 0);
	assert_int_equal(pf->ops->vector_consume(pf, 0), 0);
	assert_int_equal(nirq_sim_raised(pf, 0), 1);
	sim_free(pf);
}

static void test_edu_intx_signals_once_until_line_done(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);

	(void)state;
	alloc_unmasked(pf, NIRQ_KIND_LINE, 1);
	wr(pf, EDU_IRQ_RAISE, 1);
	wr(pf, EDU_IRQ_ACK, 1);
	wr(pf, EDU_IRQ_RAISE, 2); /* a second assertion before the ISR ran */
	assert_int_equal(vec_signals(pf, 0), 1);
	sim_free(pf);
}

static void test_edu_line_asserted_while_masked_fires_on_unmask(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);

	(void)state;
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_LINE, 1), 0);
	wr(pf, EDU_IRQ_RAISE, 1);
	assert_true(nirq_sim_line_asserted(pf));
	assert_int_equal(vec_signals(pf, 0), 0);
	pf->ops->unmask(pf, 0);
	assert_int_equal(vec_signals(pf, 0), 1);
	sim_free(pf);
}

static void test_edu_assertion_before_alloc_fires_after_connect(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);

	(void)state;
	wr(pf, EDU_IRQ_RAISE, 1); /* nothing allocated yet: no fd to signal */
	alloc_unmasked(pf, NIRQ_KIND_LINE, 1);
	assert_int_equal(vec_signals(pf, 0), 1);
	assert_int_equal(nirq_sim_raised(pf, 0), 1);
	sim_free(pf);
}

static void test_edu_intx_disable_bit_gates_the_line(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);

	(void)state;
	alloc_unmasked(pf, NIRQ_KIND_LINE, 1);
	cfg_wr(pf, 0x04, 2, cfg_rd(pf, 0x04, 2) | 0x0400);
	wr(pf, EDU_IRQ_RAISE, 1);
	assert_false(nirq_sim_line_asserted(pf));
	assert_true(cfg_rd(pf, 0x06, 2) & 0x0008); /* status: interrupt pending */
	assert_int_equal(vec_signals(pf, 0), 0);
	cfg_wr(pf, 0x04, 2, cfg_rd(pf, 0x04, 2) & ~0x0400u);
	assert_int_equal(vec_signals(pf, 0), 1);
	sim_free(pf);
}

static void test_foreign_assert_signals_once_and_deasserts_after_line_done(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);

	(void)state;
	alloc_unmasked(pf, NIRQ_KIND_LINE, 1);
	nirq_sim_foreign_assert(pf);
	assert_true(nirq_sim_line_asserted(pf));
	assert_int_equal(pf->ops->vector_consume(pf, 0), 1);
	assert_int_equal(rd(pf, EDU_IRQ_STATUS), 0); /* not our device */
	pf->ops->line_done(pf, 0);
	assert_false(nirq_sim_line_asserted(pf));
	assert_int_equal(pf->ops->vector_consume(pf, 0), 0);
	assert_int_equal(nirq_sim_raised(pf, 0), 0);
	sim_free(pf);
}

static void test_foreign_and_own_assertion_share_the_line(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);

	(void)state;
	alloc_unmasked(pf, NIRQ_KIND_LINE, 1);
	nirq_sim_foreign_assert(pf);
	wr(pf, EDU_IRQ_RAISE, 1);
	assert_int_equal(vec_signals(pf, 0), 1);
	pf->ops->line_done(pf, 0); /* foreign serviced; ours still asserts */
	assert_int_equal(vec_signals(pf, 0), 1);
	wr(pf, EDU_IRQ_ACK, 1);
	pf->ops->line_done(pf, 0);
	assert_int_equal(vec_signals(pf, 0), 0);
	sim_free(pf);
}

/*
 * Enabling MSI deasserts INTx (QEMU msi_write_config: pci_device_deassert_intx);
 * after MSI is disabled the pin stays low, status or not, until the next raise.
 */
static void test_edu_intx_stays_low_after_msi_until_the_next_raise(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);

	(void)state;
	alloc_unmasked(pf, NIRQ_KIND_MSI, 1);
	wr(pf, EDU_IRQ_RAISE, 1);
	assert_int_equal(vec_signals(pf, 0), 1);
	pf->ops->free_vectors(pf);
	alloc_unmasked(pf, NIRQ_KIND_LINE, 1);
	assert_int_equal(rd(pf, EDU_IRQ_STATUS), 1);
	assert_false(nirq_sim_line_asserted(pf));
	assert_int_equal(vec_signals(pf, 0), 0);
	wr(pf, EDU_IRQ_RAISE, 0); /* status non-zero: the raise drives INTx */
	assert_true(nirq_sim_line_asserted(pf));
	assert_int_equal(vec_signals(pf, 0), 1);
	sim_free(pf);
}

/* edu_lower_irq: a partial ack leaves INTx asserted; it drops when the status is 0. */
static void test_edu_intx_drops_only_when_the_status_is_zero(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);

	(void)state;
	alloc_unmasked(pf, NIRQ_KIND_LINE, 1);
	wr(pf, EDU_IRQ_RAISE, 3);
	wr(pf, EDU_IRQ_ACK, 1);
	assert_true(nirq_sim_line_asserted(pf));
	wr(pf, EDU_IRQ_ACK, 2);
	assert_false(nirq_sim_line_asserted(pf));
	sim_free(pf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edu_id_and_liveness),
		cmocka_unit_test(test_edu_narrow_access_reads_zero_and_writes_nothing),
		cmocka_unit_test(test_edu_intx_stays_low_after_msi_until_the_next_raise),
		cmocka_unit_test(test_edu_intx_drops_only_when_the_status_is_zero),
		cmocka_unit_test(test_edu_factorial_raises_when_asked),
		cmocka_unit_test(test_edu_msi_single_vector_edge_per_raise),
		cmocka_unit_test(test_edu_msi_masked_message_is_held_until_unmask),
		cmocka_unit_test(test_edu_intx_level_held_until_ack),
		cmocka_unit_test(test_edu_intx_signals_once_until_line_done),
		cmocka_unit_test(test_edu_line_asserted_while_masked_fires_on_unmask),
		cmocka_unit_test(test_edu_assertion_before_alloc_fires_after_connect),
		cmocka_unit_test(test_edu_intx_disable_bit_gates_the_line),
		cmocka_unit_test(test_foreign_assert_signals_once_and_deasserts_after_line_done),
		cmocka_unit_test(test_foreign_and_own_assertion_share_the_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
