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
	/* MSI-X, IMS != 0: an ICR read has no side effect. */
	assert_false(rd(pf, REG_ICR) & ICR_RXQ0);   /* auto-cleared */
	assert_true(rd(pf, REG_ICR) & ICR_TXQ0);    /* not in EIAC */
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

/* ---- QEMU 7.2 (hw/net/e1000e_core.c) interrupt-block details ---- */

#define REG_CTRL_EXT 0x0018
#define REG_IAM 0x00e0
#define CTRL_EXT_EIAME 0x01000000u
#define CTRL_EXT_IAME 0x08000000u
#define CTRL_EXT_PBA_CLR 0x80000000u

/* e1000e_mac_icr_read: MSI-X without IAME, IMS != 0: no clear, even when asserted. */
static void test_e1000e_icr_read_keeps_an_enabled_cause_in_msix_mode(void **state)
{
	struct nirq_platform *pf = e1000e_msix();

	(void)state;
	wr(pf, REG_IVAR, ivar_entry(0, 0));
	wr(pf, REG_IMS, ICR_RXQ0);
	nirq_sim_inject(pf, ICR_RXQ0);
	assert_int_equal(vec_signals(pf, 0), 1);
	assert_int_equal(rd(pf, REG_ICR), ICR_RXQ0 | ICR_ASSERTED);
	assert_int_equal(rd(pf, REG_ICR), ICR_RXQ0 | ICR_ASSERTED);
	sim_free(pf);
}

/* e1000e_mac_icr_read: IMS 0 clears ICR in every mode. */
static void test_e1000e_icr_read_clears_when_ims_is_zero_in_msix_mode(void **state)
{
	struct nirq_platform *pf = e1000e_msix();

	(void)state;
	nirq_sim_inject(pf, ICR_RXQ0);
	assert_int_equal(rd(pf, REG_ICR), ICR_RXQ0 | ICR_ASSERTED);
	assert_int_equal(rd(pf, REG_ICR), 0);
	sim_free(pf);
}

/* e1000e_mac_icr_read: INT_ASSERTED with CTRL_EXT.IAME clears ICR and writes IAM to IMC. */
static void test_e1000e_icr_read_with_iame_clears_and_auto_masks_iam(void **state)
{
	struct nirq_platform *pf = e1000e_msix();

	(void)state;
	wr(pf, REG_CTRL_EXT, CTRL_EXT_IAME);
	wr(pf, REG_IAM, ICR_RXQ0);
	wr(pf, REG_IMS, ICR_RXQ0 | ICR_TXQ0);
	nirq_sim_inject(pf, ICR_TXQ0);
	assert_int_equal(rd(pf, REG_ICR), ICR_TXQ0 | ICR_ASSERTED);
	assert_int_equal(rd(pf, REG_ICR), 0);
	assert_int_equal(rd(pf, REG_IMS), ICR_TXQ0);
	sim_free(pf);
}

/* e1000e_set_icr: INT_ASSERTED with CTRL_EXT.IAME writes IAM to IMC too. */
static void test_e1000e_icr_write_with_iame_auto_masks_iam(void **state)
{
	struct nirq_platform *pf = e1000e_msix();

	(void)state;
	wr(pf, REG_CTRL_EXT, CTRL_EXT_IAME);
	wr(pf, REG_IAM, ICR_TXQ0);
	wr(pf, REG_IMS, ICR_RXQ0 | ICR_TXQ0);
	nirq_sim_inject(pf, ICR_RXQ0);
	wr(pf, REG_ICR, ICR_RXQ0);
	assert_int_equal(rd(pf, REG_IMS), ICR_RXQ0);
	sim_free(pf);
}

/* e1000e_msix_notify_one: with CTRL_EXT.IAME the EIAC auto-clear leaves IMS alone. */
static void test_e1000e_eiac_with_iame_keeps_the_cause_enabled(void **state)
{
	struct nirq_platform *pf = e1000e_msix();

	(void)state;
	wr(pf, REG_CTRL_EXT, CTRL_EXT_IAME);
	wr(pf, REG_IVAR, ivar_entry(0, 1));
	wr(pf, REG_EIAC, ICR_RXQ0);
	wr(pf, REG_IMS, ICR_RXQ0);
	nirq_sim_inject(pf, ICR_RXQ0);
	assert_int_equal(vec_signals(pf, 1), 1);
	assert_int_equal(rd(pf, REG_IMS), ICR_RXQ0);
	nirq_sim_inject(pf, ICR_RXQ0); /* cleared, still enabled: a new message */
	assert_int_equal(vec_signals(pf, 1), 1);
	sim_free(pf);
}

/* e1000e_msix_notify_one: with CTRL_EXT.EIAME the sent cause leaves IAM. */
static void test_e1000e_eiac_with_eiame_clears_the_cause_from_iam(void **state)
{
	struct nirq_platform *pf = e1000e_msix();

	(void)state;
	wr(pf, REG_CTRL_EXT, CTRL_EXT_EIAME);
	wr(pf, REG_IAM, ICR_RXQ0 | ICR_TXQ0);
	wr(pf, REG_IVAR, ivar_entry(0, 0));
	wr(pf, REG_IMS, ICR_RXQ0);
	nirq_sim_inject(pf, ICR_RXQ0);
	assert_int_equal(vec_signals(pf, 0), 1);
	assert_int_equal(rd(pf, REG_IAM), ICR_TXQ0);
	sim_free(pf);
}

/* e1000e_fix_icr_asserted runs on every update: clearing the last cause clears INT_ASSERTED. */
static void test_e1000e_icr_write_of_the_last_cause_clears_int_asserted(void **state)
{
	struct nirq_platform *pf = e1000e_msix();

	(void)state;
	wr(pf, REG_IMS, ICR_RXQ0);
	nirq_sim_inject(pf, ICR_TXQ0);
	wr(pf, REG_ICR, ICR_TXQ0);
	assert_int_equal(rd(pf, REG_ICR), 0);
	sim_free(pf);
}

/* ICS reads the copy of ICR taken before the EIAC auto-clear (e1000e_update_interrupt_state). */
static void test_e1000e_ics_reads_icr_as_before_the_eiac_auto_clear(void **state)
{
	struct nirq_platform *pf = e1000e_msix();

	(void)state;
	wr(pf, REG_IVAR, ivar_entry(0, 0));
	wr(pf, REG_EIAC, ICR_RXQ0);
	wr(pf, REG_IMS, ICR_RXQ0 | ICR_TXQ0);
	nirq_sim_inject(pf, ICR_RXQ0);
	assert_int_equal(rd(pf, REG_ICS), ICR_RXQ0 | ICR_ASSERTED);
	assert_int_equal(rd(pf, REG_ICR), ICR_ASSERTED);
	sim_free(pf);
}

/* e1000e_set_ims: with CTRL_EXT.PBA_CLR an IMS write clears the causes' pending MSI-X bits. */
static void test_e1000e_ims_write_with_pba_clr_drops_a_held_message(void **state)
{
	struct nirq_platform *pf = e1000e_msix();

	(void)state;
	wr(pf, REG_CTRL_EXT, CTRL_EXT_PBA_CLR);
	wr(pf, REG_IVAR, ivar_entry(0, 2));
	pf->ops->mask(pf, 2);
	wr(pf, REG_IMS, ICR_RXQ0);
	nirq_sim_inject(pf, ICR_RXQ0);
	assert_true(nirq_sim_msix_pending(pf, 2));
	wr(pf, REG_IMS, ICR_RXQ0);
	assert_false(nirq_sim_msix_pending(pf, 2));
	pf->ops->unmask(pf, 2);
	assert_int_equal(vec_signals(pf, 2), 0);
	sim_free(pf);
}

/* Without CTRL_EXT.PBA_CLR an IMS write leaves the pending bit: unmask delivers it. */
static void test_e1000e_ims_write_without_pba_clr_keeps_a_held_message(void **state)
{
	struct nirq_platform *pf = e1000e_msix();

	(void)state;
	wr(pf, REG_IVAR, ivar_entry(0, 2));
	pf->ops->mask(pf, 2);
	wr(pf, REG_IMS, ICR_RXQ0);
	nirq_sim_inject(pf, ICR_RXQ0);
	wr(pf, REG_IMS, ICR_RXQ0);
	assert_true(nirq_sim_msix_pending(pf, 2));
	pf->ops->unmask(pf, 2);
	assert_int_equal(vec_signals(pf, 2), 1);
	sim_free(pf);
}

/* e1000e_set_ctrlext: ASDCHK and EE_RST self-clear. */
static void test_e1000e_ctrl_ext_self_clearing_bits_read_zero(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);

	(void)state;
	wr(pf, REG_CTRL_EXT, CTRL_EXT_IAME | 0x3000);
	assert_int_equal(rd(pf, REG_CTRL_EXT), CTRL_EXT_IAME);
	sim_free(pf);
}

/* MemoryRegionOps .impl 4..4: a narrow read is the aligned register's low bytes. */
static void test_e1000e_narrow_read_returns_the_aligned_registers_low_bytes(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);

	(void)state;
	wr(pf, REG_IVAR, 0x44332211);
	assert_int_equal(pf->ops->mmio_read(pf, 0, REG_IVAR + 1, 1), 0x11);
	assert_int_equal(pf->ops->mmio_read(pf, 0, REG_IVAR + 2, 2), 0x2211);
	sim_free(pf);
}

/* MemoryRegionOps .impl 4..4: a narrow write writes the whole aligned register. */
static void test_e1000_narrow_write_writes_the_whole_register(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000);

	(void)state;
	wr(pf, REG_IVAR, 0xffffffff);
	pf->ops->mmio_write(pf, 0, REG_IVAR + 2, 2, 0x1234);
	assert_int_equal(rd(pf, REG_IVAR), 0x1234);
	sim_free(pf);
}

/* memory_region_access_valid: an access not aligned to its size reads 0, writes nothing. */
static void test_e1000e_unaligned_access_reads_zero_and_writes_nothing(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);

	(void)state;
	wr(pf, REG_IVAR, 0x44332211);
	assert_int_equal(pf->ops->mmio_read(pf, 0, REG_IVAR + 1, 2), 0);
	assert_int_equal(pf->ops->mmio_read(pf, 0, REG_IVAR + 2, 4), 0);
	pf->ops->mmio_write(pf, 0, REG_IVAR + 1, 2, 0x5555);
	assert_int_equal(rd(pf, REG_IVAR), 0x44332211);
	sim_free(pf);
}

/*
 * Enabling MSI-X deasserts INTx (QEMU msix_write_config); after it is
 * disabled the pin stays low, causes pending or not, until the device's next
 * interrupt-state update (here an IMS write) drives it again.
 */
static void test_e1000e_intx_stays_low_after_msix_until_the_next_update(void **state)
{
	struct nirq_platform *pf = e1000e_msix();

	(void)state;
	wr(pf, REG_IVAR, ivar_entry(0, 0));
	wr(pf, REG_IMS, ICR_RXQ0);
	nirq_sim_inject(pf, ICR_RXQ0);
	assert_int_equal(vec_signals(pf, 0), 1);
	pf->ops->free_vectors(pf);
	alloc_unmasked(pf, NIRQ_KIND_LINE, 1);
	assert_false(nirq_sim_line_asserted(pf));
	assert_int_equal(vec_signals(pf, 0), 0);
	wr(pf, REG_IMS, ICR_RXQ0);
	assert_true(nirq_sim_line_asserted(pf));
	assert_int_equal(vec_signals(pf, 0), 1);
	sim_free(pf);
}

/*
 * e1000e_send_msi (msi_causes_pending): an IMS write signals a pending cause
 * that becomes enabled, once; enabling it again while it is pending does not.
 */
static void test_e1000e_ims_write_signals_a_pending_cause_once(void **state)
{
	struct nirq_platform *pf = e1000e_msix();

	(void)state;
	wr(pf, REG_IVAR, ivar_entry(1, 3));
	nirq_sim_inject(pf, ICR_RXQ1); /* masked by IMS: no message */
	assert_int_equal(vec_signals(pf, 3), 0);
	wr(pf, REG_IMS, ICR_RXQ1);
	assert_int_equal(vec_signals(pf, 3), 1);
	wr(pf, REG_IMS, ICR_RXQ1);
	assert_int_equal(vec_signals(pf, 3), 0);
	wr(pf, REG_IMC, ICR_RXQ1); /* disabled and enabled again: pending anew */
	wr(pf, REG_IMS, ICR_RXQ1);
	assert_int_equal(vec_signals(pf, 3), 1);
	sim_free(pf);
}

/* e1000.c set_interrupt_cause: ICS reads the last ICR value, an ICR read clears both. */
static void test_e1000_ics_reads_icr_until_the_icr_read(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000);

	(void)state;
	nirq_sim_inject(pf, ICR_TXDW);
	assert_int_equal(rd(pf, REG_ICS), ICR_TXDW);
	assert_int_equal(rd(pf, REG_ICR), ICR_TXDW);
	assert_int_equal(rd(pf, REG_ICS), 0);
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
		cmocka_unit_test(test_e1000e_icr_read_keeps_an_enabled_cause_in_msix_mode),
		cmocka_unit_test(test_e1000e_icr_read_clears_when_ims_is_zero_in_msix_mode),
		cmocka_unit_test(test_e1000e_icr_read_with_iame_clears_and_auto_masks_iam),
		cmocka_unit_test(test_e1000e_icr_write_with_iame_auto_masks_iam),
		cmocka_unit_test(test_e1000e_eiac_with_iame_keeps_the_cause_enabled),
		cmocka_unit_test(test_e1000e_eiac_with_eiame_clears_the_cause_from_iam),
		cmocka_unit_test(test_e1000e_icr_write_of_the_last_cause_clears_int_asserted),
		cmocka_unit_test(test_e1000e_ics_reads_icr_as_before_the_eiac_auto_clear),
		cmocka_unit_test(test_e1000e_ims_write_with_pba_clr_drops_a_held_message),
		cmocka_unit_test(test_e1000e_ims_write_without_pba_clr_keeps_a_held_message),
		cmocka_unit_test(test_e1000e_ctrl_ext_self_clearing_bits_read_zero),
		cmocka_unit_test(test_e1000e_narrow_read_returns_the_aligned_registers_low_bytes),
		cmocka_unit_test(test_e1000_narrow_write_writes_the_whole_register),
		cmocka_unit_test(test_e1000e_unaligned_access_reads_zero_and_writes_nothing),
		cmocka_unit_test(test_e1000e_intx_stays_low_after_msix_until_the_next_update),
		cmocka_unit_test(test_e1000e_ims_write_signals_a_pending_cause_once),
		cmocka_unit_test(test_e1000_ics_reads_icr_until_the_icr_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
