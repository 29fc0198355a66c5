/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The e1000e (82574L) and e1000 (82540EM) interrupt blocks on the sim
 * platform: IVAR routing and EIAC auto-clear in MSI-X mode, ICR read-to-clear
 * against write-1-to-clear, IMS gating, MSI edges and the INTx level.
 */
#include "sim_test.h"

#define ALL_QUEUE_CAUSES (ICR_RXQ0 | ICR_RXQ1 | ICR_TXQ0 | ICR_TXQ1 | ICR_OTHER)

/* IVAR nibble {vector, valid} for cause i (RxQ0, RxQ1, TxQ0, TxQ1, Other). */
static uint32_t ivar_entry(unsigned cause, uint32_t vec)
{
	return (IVAR_VALID | vec) << (4 * cause);
}

static struct nirq_platform *e1000e_msix(void)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);

	alloc_unmasked(pf, NIRQ_KIND_MSIX, 5);
	return pf;
}

static void test_e1000e_ivar_routes_each_cause_to_its_vector(void **state)
{
	static const uint32_t cause[] = { ICR_RXQ0, ICR_RXQ1, ICR_TXQ0, ICR_TXQ1, ICR_OTHER };
	struct nirq_platform *pf = e1000e_msix();
	uint32_t ivar = 0;

	(void)state;
	for (unsigned i = 0; i < 5; i++)
		ivar |= ivar_entry(i, 4 - i); /* RxQ0 -> 4, ..., Other -> 0 */
	wr(pf, REG_IVAR, ivar);
	wr(pf, REG_IMS, ALL_QUEUE_CAUSES);
	for (unsigned i = 0; i < 5; i++) {
		nirq_sim_inject(pf, cause[i]);
		for (uint32_t v = 0; v < 5; v++)
			assert_int_equal(vec_signals(pf, v), v == 4 - i);
		wr(pf, REG_ICR, cause[i]); /* W1C, so the next inject is a new cause */
	}
	sim_free(pf);
}

static void test_e1000e_invalid_ivar_entry_sends_nothing(void **state)
{
	struct nirq_platform *pf = e1000e_msix();

	(void)state;
	wr(pf, REG_IVAR, 2); /* RxQ0 -> vector 2, valid bit clear */
	wr(pf, REG_IMS, ICR_RXQ0);
	nirq_sim_inject(pf, ICR_RXQ0);
	assert_int_equal(vec_signals(pf, 2), 0);
	assert_int_equal(nirq_sim_raised(pf, 2), 0);
	assert_true(rd(pf, REG_ICS) & ICR_RXQ0);
	sim_free(pf);
}

static void test_e1000e_eiac_auto_clears_the_cause_after_the_message(void **state)
{
	struct nirq_platform *pf = e1000e_msix();

	(void)state;
	wr(pf, REG_IVAR, ivar_entry(0, 1) | ivar_entry(2, 2));
	wr(pf, REG_EIAC, ICR_RXQ0);
	wr(pf, REG_IMS, ICR_RXQ0 | ICR_TXQ0);
	nirq_sim_inject(pf, ICR_RXQ0 | ICR_TXQ0);
	assert_int_equal(vec_signals(pf, 1), 1);
	assert_int_equal(vec_signals(pf, 2), 1);
	assert_false(rd(pf, REG_ICS) & ICR_RXQ0);   /* auto-cleared */
	assert_true(rd(pf, REG_ICS) & ICR_TXQ0);    /* not in EIAC */
	/* As QEMU with CTRL_EXT.IAME clear: the cause is auto-masked too. */
	assert_int_equal(rd(pf, REG_IMS), ICR_TXQ0);
	nirq_sim_inject(pf, ICR_RXQ0);
	assert_int_equal(vec_signals(pf, 1), 0);
	wr(pf, REG_IMS, ICR_RXQ0); /* the driver re-enables: the cause fires */
	assert_int_equal(vec_signals(pf, 1), 1);
	sim_free(pf);
}

static void test_e1000e_icr_is_write_1_to_clear_in_msix_mode(void **state)
{
	struct nirq_platform *pf = e1000e_msix();

	(void)state;
	wr(pf, REG_IMS, ICR_RXQ0);
	nirq_sim_inject(pf, ICR_TXQ0); /* a cause IMS does not enable */
	assert_int_equal(rd(pf, REG_ICR), ICR_TXQ0 | ICR_ASSERTED);
	assert_int_equal(rd(pf, REG_ICR), ICR_TXQ0 | ICR_ASSERTED); /* read kept it */
	wr(pf, REG_ICR, ICR_TXQ0);
	assert_int_equal(rd(pf, REG_ICR) & ~ICR_ASSERTED, 0);
	sim_free(pf);
}

static void test_e1000e_icr_read_clears_in_msi_mode(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);

	(void)state;
	alloc_unmasked(pf, NIRQ_KIND_MSI, 1);
	wr(pf, REG_IMS, ICR_RXQ0);
	nirq_sim_inject(pf, ICR_TXQ0);
	assert_int_equal(rd(pf, REG_ICR), ICR_TXQ0 | ICR_ASSERTED);
	assert_int_equal(rd(pf, REG_ICR), 0);
	sim_free(pf);
}

static void test_e1000e_icr_read_clears_and_lowers_intx(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);

	(void)state;
	alloc_unmasked(pf, NIRQ_KIND_LINE, 1);
	wr(pf, REG_IMS, ICR_RXQ0);
	nirq_sim_inject(pf, ICR_RXQ0);
	assert_true(nirq_sim_line_asserted(pf));
	assert_int_equal(vec_signals(pf, 0), 1);
	assert_int_equal(rd(pf, REG_ICR), ICR_RXQ0 | ICR_ASSERTED);
	assert_false(nirq_sim_line_asserted(pf));
	pf->ops->line_done(pf, 0);
	assert_int_equal(vec_signals(pf, 0), 0);
	sim_free(pf);
}

static void test_e1000e_ims_gates_a_cause_until_set(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);

	(void)state;
	alloc_unmasked(pf, NIRQ_KIND_MSI, 1);
	nirq_sim_inject(pf, ICR_RXQ0);
	assert_int_equal(vec_signals(pf, 0), 0);
	wr(pf, REG_IMS, ICR_RXQ0);
	assert_int_equal(rd(pf, REG_IMS), ICR_RXQ0);
	assert_int_equal(vec_signals(pf, 0), 1);
	wr(pf, REG_IMC, ICR_RXQ0);
	assert_int_equal(rd(pf, REG_IMS), 0);
	sim_free(pf);
}

static void test_e1000e_msi_edge_per_newly_raised_cause(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);

	(void)state;
	alloc_unmasked(pf, NIRQ_KIND_MSI, 1);
	wr(pf, REG_IMS, ICR_RXQ0 | ICR_TXQ0);
	nirq_sim_inject(pf, ICR_RXQ0);
	assert_int_equal(vec_signals(pf, 0), 1);
	nirq_sim_inject(pf, ICR_RXQ0); /* already pending: no new edge */
	assert_int_equal(vec_signals(pf, 0), 0);
	nirq_sim_inject(pf, ICR_TXQ0);
	assert_int_equal(vec_signals(pf, 0), 1);
	assert_int_equal(nirq_sim_raised(pf, 0), 2);
	sim_free(pf);
}

static void test_e1000e_link_change_sets_other_in_msix_mode(void **state)
{
	struct nirq_platform *pf = e1000e_msix();

	(void)state;
	wr(pf, REG_IVAR, ivar_entry(4, 3));
	wr(pf, REG_IMS, ICR_OTHER);
	nirq_sim_inject(pf, ICR_LSC);
	assert_int_equal(vec_signals(pf, 3), 1);
	assert_true(rd(pf, REG_ICS) & ICR_OTHER);
	wr(pf, REG_ICR, ICR_OTHER); /* clearing Other clears the causes behind it */
	assert_int_equal(rd(pf, REG_ICS) & ~ICR_ASSERTED, 0);
	sim_free(pf);
}

static void test_e1000e_io_bar_reaches_the_registers(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);

	(void)state;
	pf->ops->mmio_write(pf, 2, 0, 4, REG_IMS); /* IOADDR */
	pf->ops->mmio_write(pf, 2, 4, 4, ICR_RXQ1); /* IODATA */
	assert_int_equal(rd(pf, REG_IMS), ICR_RXQ1);
	assert_int_equal(pf->ops->mmio_read(pf, 2, 4, 4), ICR_RXQ1);
	sim_free(pf);
}

static void test_e1000e_ctrl_reset_bit_self_clears(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);

	(void)state;
	wr(pf, 0x0000, 0x04000041); /* CTRL: RST | SLU | FD */
	assert_int_equal(rd(pf, 0x0000), 0x00000041);
	assert_true(rd(pf, 0x0008) & 0x2); /* STATUS: link up */
	sim_free(pf);
}

static void test_e1000_intx_level_until_icr_read(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000);

	(void)state;
	alloc_unmasked(pf, NIRQ_KIND_LINE, 1);
	wr(pf, REG_IMS, ICR_RXT0);
	nirq_sim_inject(pf, ICR_RXT0);
	assert_int_equal(pf->ops->vector_consume(pf, 0), 1);
	pf->ops->line_done(pf, 0);
	assert_int_equal(pf->ops->vector_consume(pf, 0), 1); /* still asserted */
	assert_int_equal(rd(pf, REG_ICR), ICR_RXT0); /* 82540EM: no INT_ASSERTED */
	assert_int_equal(rd(pf, REG_ICR), 0);
	pf->ops->line_done(pf, 0);
	assert_int_equal(pf->ops->vector_consume(pf, 0), 0);
	sim_free(pf);
}

static void test_e1000_masked_cause_does_not_assert(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000);

	(void)state;
	alloc_unmasked(pf, NIRQ_KIND_LINE, 1);
	nirq_sim_inject(pf, ICR_TXDW);
	assert_false(nirq_sim_line_asserted(pf));
	assert_int_equal(vec_signals(pf, 0), 0);
	wr(pf, REG_IMS, ICR_TXDW);
	assert_true(nirq_sim_line_asserted(pf));
	assert_int_equal(vec_signals(pf, 0), 1);
	wr(pf, REG_ICR, ICR_TXDW); /* write-1-to-clear works too */
	assert_false(nirq_sim_line_asserted(pf));
	sim_free(pf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_e1000e_ivar_routes_each_cause_to_its_vector),
		cmocka_unit_test(test_e1000e_invalid_ivar_entry_sends_nothing),
		cmocka_unit_test(test_e1000e_eiac_auto_clears_the_cause_after_the_message),
		cmocka_unit_test(test_e1000e_icr_is_write_1_to_clear_in_msix_mode),
		cmocka_unit_test(test_e1000e_icr_read_clears_in_msi_mode),
		cmocka_unit_test(test_e1000e_icr_read_clears_and_lowers_intx),
		cmocka_unit_test(test_e1000e_ims_gates_a_cause_until_set),
		cmocka_unit_test(test_e1000e_msi_edge_per_newly_raised_cause),
		cmocka_unit_test(test_e1000e_link_change_sets_other_in_msix_mode),
		cmocka_unit_test(test_e1000e_io_bar_reaches_the_registers),
		cmocka_unit_test(test_e1000e_ctrl_reset_bit_self_clears),
		cmocka_unit_test(test_e1000_intx_level_until_icr_read),
		cmocka_unit_test(test_e1000_masked_cause_does_not_assert),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
