/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Device models: the interrupt block of Intel's 82574L ("e1000e", 8086:10d3)
 * and 82540EM ("e1000", 8086:100e), register compatible with QEMU's
 * hw/net/e1000e_core.c and hw/net/e1000.c: ICR, ICS, IMS, IMC and, on the
 * 82574L, EIAC and IVAR with MSI-X routing of RxQ0..TxQ1 and Other.
 *
 * The reference is QEMU 7.2 (the QEMU of the vm test tier), not later
 * versions: e.g. an ICR read in MSI-X mode clears nothing unless IMS is 0 or
 * CTRL_EXT.IAME auto-masks (QEMU 8.1 also clears when an asserted cause is
 * enabled).
 *
 * Simplifications against QEMU (documented in docs/architecture.md):
 * interrupt throttling (ITR, EITR; the 82540EM's mitigation timer) and the
 * delay timers are not modelled, so every interrupt is sent at once; the
 * PBACLR register, IAC and INT_TIMERS_CLEAR_ENA are not modelled; other
 * registers are plain read/write storage with no function.
 */
#include <string.h>

#include "sim.h"

enum {
	E1K_CTRL = 0x0000,
	E1K_STATUS = 0x0008,
	E1K_CTRL_EXT = 0x0018,
	E1K_ICR = 0x00c0,
	E1K_ICS = 0x00c8,
	E1K_IMS = 0x00d0,
	E1K_IMC = 0x00d8,
	E1K_EIAC = 0x00dc,
	E1K_IAM = 0x00e0,
	E1K_IVAR = 0x00e4,
};

#define ICR_TXDW 0x00000001u
#define ICR_TXQE 0x00000002u
#define ICR_LSC 0x00000004u
#define ICR_RXDMT0 0x00000010u
#define ICR_RXO 0x00000040u
#define ICR_RXT0 0x00000080u
#define ICR_MDAC 0x00000200u
#define ICR_TXD_LOW 0x00008000u
#define ICR_SRPD 0x00010000u
#define ICR_ACK 0x00020000u
#define ICR_MNG 0x00040000u
#define ICR_RXQ0 0x00100000u
#define ICR_RXQ1 0x00200000u
#define ICR_TXQ0 0x00400000u
#define ICR_TXQ1 0x00800000u
#define ICR_OTHER 0x01000000u
#define ICR_ASSERTED 0x80000000u
/* Causes that set ICR.Other in MSI-X mode. */
#define ICR_OTHER_CAUSES (ICR_LSC | ICR_RXO | ICR_MDAC | ICR_SRPD | ICR_ACK | ICR_MNG)
/* IMS bits the 82574L implements (QEMU's ims_valid_mask). */
#define E1000E_IMS_VALID (ICR_TXDW | ICR_TXQE | ICR_LSC | ICR_RXDMT0 | ICR_RXO |    \
			  ICR_RXT0 | ICR_MDAC | ICR_TXD_LOW | ICR_SRPD | ICR_ACK | \
			  ICR_MNG | ICR_RXQ0 | ICR_RXQ1 | ICR_TXQ0 | ICR_TXQ1 |    \
			  ICR_OTHER)

/* Causes with an IVAR entry: the MSI-X vectors' causes (ims_ext_mask). */
#define ICR_MSIX_CAUSES (ICR_RXQ0 | ICR_RXQ1 | ICR_TXQ0 | ICR_TXQ1 | ICR_OTHER)

/* CTRL_EXT bits of the interrupt block; ASDCHK and EE_RST self-clear. */
#define CTRL_EXT_EIAME 0x01000000u   /* EIAC auto-clear also clears IAM */
#define CTRL_EXT_IAME 0x08000000u    /* ICR access with INT_ASSERTED: IMC = IAM */
#define CTRL_EXT_PBA_CLR 0x80000000u /* IMS write clears the MSI-X PBA bits */
#define CTRL_EXT_SELF_CLEARING 0x00003000u

#define E1000E_MSIX_VECTORS 5u
#define IVAR_VALID 0x8u
#define IVAR_VEC 0x7u
#define CTRL_RST 0x04000000u /* self-clearing; QEMU resets only the MAC address */
/* Link up, full duplex, 1000 Mb/s, GIO master enabled. */
#define STATUS_RESET 0x00080083u

/* e1000e I/O BAR: a window onto the registers through IOADDR/IODATA. */
#define E1000E_IO_BAR 2
#define E1000E_IOADDR 0x0
#define E1000E_IODATA 0x4
#define E1000E_IO_REG_LIMIT 0x1ffffu

static uint32_t *reg(struct nirq_sim *s, uint32_t off)
{
	return &s->dev.e1k.mac[off / 4];
}

static bool is_82574(const struct nirq_sim *s)
{
	return s->mdl->id == NIRQ_SIM_E1000E;
}

static void e1k_reset(struct nirq_sim *s)
{
	memset(&s->dev.e1k, 0, sizeof(s->dev.e1k));
	*reg(s, E1K_STATUS) = STATUS_RESET;
	s->intx_latch = false;
}

static bool e1k_pending(struct nirq_sim *s)
{
	return (*reg(s, E1K_IMS) & *reg(s, E1K_ICR)) != 0;
}

/* ---------------------------------------------------- 82540EM (e1000.c) */

/* set_interrupt_cause: the 82540EM has no INT_ASSERTED bit; ICS reads as ICR. */
static void e1000_set_cause(struct nirq_sim *s, uint32_t val)
{
	*reg(s, E1K_ICR) = val;
	*reg(s, E1K_ICS) = val;
	nirq__sim_set_irq_locked(s, e1k_pending(s));
}

static uint32_t e1000_icr_read(struct nirq_sim *s)
{
	uint32_t ret = *reg(s, E1K_ICR);

	e1000_set_cause(s, 0);
	return ret;
}

static void e1000_write(struct nirq_sim *s, uint32_t off, uint32_t val)
{
	switch (off) {
	case E1K_ICR: e1000_set_cause(s, *reg(s, E1K_ICR) & ~val); break;
	case E1K_ICS: e1000_set_cause(s, *reg(s, E1K_ICR) | val); break;
	case E1K_IMS:
		*reg(s, E1K_IMS) |= val;
		e1000_set_cause(s, *reg(s, E1K_ICR));
		break;
	case E1K_IMC:
		*reg(s, E1K_IMS) &= ~val;
		e1000_set_cause(s, *reg(s, E1K_ICR));
		break;
	case E1K_CTRL: *reg(s, off) = val & ~CTRL_RST; break;
	case E1K_STATUS: break;
	default: *reg(s, off) = val; break;
	}
}

/* ------------------------------------------------ 82574L (e1000e_core.c) */

/*
 * QEMU 7.2's e1000e interrupt block. Every register access that touches
 * the interrupt state ends in e1000e_update() (e1000e_update_interrupt_state):
 * Other is summarised in MSI-X mode, INT_ASSERTED follows ICR, ICS takes a
 * copy of ICR, newly pending causes are signalled once (msi_causes_pending,
 * here "notified") and the INTx level follows IMS & ICR.
 */

/* e1000e_msix_notify_one: send the vector IVAR names, then EIAC auto-clear. */
static void msix_notify_one(struct nirq_sim *s, uint32_t cause, uint32_t nibble)
{
	struct sim_e1000 *e = &s->dev.e1k;
	uint32_t eiac = *reg(s, E1K_EIAC) & cause;

	if ((nibble & IVAR_VALID) && (nibble & IVAR_VEC) < E1000E_MSIX_VECTORS)
		nirq__sim_msg_notify_locked(s, nibble & IVAR_VEC);
	if (*reg(s, E1K_CTRL_EXT) & CTRL_EXT_EIAME)
		*reg(s, E1K_IAM) &= ~cause;
	*reg(s, E1K_ICR) &= ~eiac;
	e->notified &= ~eiac;
	if (!(*reg(s, E1K_CTRL_EXT) & CTRL_EXT_IAME))
		*reg(s, E1K_IMS) &= ~eiac;
}

static const uint32_t msix_cause[] = { ICR_RXQ0, ICR_RXQ1, ICR_TXQ0, ICR_TXQ1, ICR_OTHER };

/* IVAR nibble of cause @i (RxQ0, RxQ1, TxQ0, TxQ1, Other). */
static uint32_t ivar_nibble(struct nirq_sim *s, unsigned i)
{
	return (*reg(s, E1K_IVAR) >> (4 * i)) & 0xfu;
}

static void msix_notify(struct nirq_sim *s, uint32_t causes)
{
	for (unsigned i = 0; i < sizeof(msix_cause) / sizeof(msix_cause[0]); i++)
		if (causes & msix_cause[i])
			msix_notify_one(s, msix_cause[i], ivar_nibble(s, i));
}

/* e1000e_msix_clear: IMS write with CTRL_EXT.PBA_CLR clears the causes' PBA bits. */
static void msix_clear(struct nirq_sim *s, uint32_t causes)
{
	for (unsigned i = 0; i < sizeof(msix_cause) / sizeof(msix_cause[0]); i++) {
		uint32_t nibble = ivar_nibble(s, i);

		if ((causes & msix_cause[i]) && (nibble & IVAR_VALID) &&
		    (nibble & IVAR_VEC) < E1000E_MSIX_VECTORS)
			nirq__sim_msix_clr_pending_locked(s, nibble & IVAR_VEC);
	}
}

/* e1000e_send_msi: only causes not signalled since they became pending. */
static void send_msi(struct nirq_sim *s, bool msix)
{
	struct sim_e1000 *e = &s->dev.e1k;
	uint32_t causes = *reg(s, E1K_ICR) & *reg(s, E1K_IMS) & ~ICR_ASSERTED;

	e->notified &= causes;
	causes ^= e->notified;
	if (!causes)
		return;
	e->notified |= causes;
	if (msix)
		msix_notify(s, causes);
	else
		nirq__sim_msg_notify_locked(s, 0);
}

static void e1000e_update(struct nirq_sim *s)
{
	bool msix = nirq__sim_msix_enabled(s);
	uint32_t *icr = reg(s, E1K_ICR);

	if (msix && (*icr & ICR_OTHER_CAUSES))
		*icr |= ICR_OTHER;
	*icr &= ~ICR_ASSERTED; /* e1000e_fix_icr_asserted */
	if (*icr)
		*icr |= ICR_ASSERTED;
	*reg(s, E1K_ICS) = *icr; /* before an EIAC auto-clear, as in QEMU */
	if (!(*reg(s, E1K_IMS) & *icr))
		s->dev.e1k.notified = 0;
	if (msix || nirq__sim_msi_enabled(s)) {
		if (*reg(s, E1K_IMS) & *icr)
			send_msi(s, msix);
		nirq__sim_intx_update_locked(s);
	} else {
		nirq__sim_set_irq_locked(s, e1k_pending(s)); /* raise or lower legacy irq */
	}
}

/* ICR.INT_ASSERTED with CTRL_EXT.IAME: IAM is written to IMC (auto-mask). */
static void iame_clear_ims(struct nirq_sim *s)
{
	if ((*reg(s, E1K_ICR) & ICR_ASSERTED) && (*reg(s, E1K_CTRL_EXT) & CTRL_EXT_IAME))
		*reg(s, E1K_IMS) &= ~*reg(s, E1K_IAM);
}

/*
 * e1000e_mac_icr_read (QEMU 7.2): cleared when IMS is 0, when MSI-X is not
 * enabled (read-to-clear), or when INT_ASSERTED is set and CTRL_EXT.IAME
 * auto-masks (IMS &= ~IAM). Otherwise - MSI-X without IAME - a read has no
 * side effect: the driver clears causes by writing 1s.
 */
static uint32_t e1000e_icr_read(struct nirq_sim *s)
{
	uint32_t ret = *reg(s, E1K_ICR);

	if (!*reg(s, E1K_IMS) || !nirq__sim_msix_enabled(s))
		*reg(s, E1K_ICR) = 0;
	if ((*reg(s, E1K_ICR) & ICR_ASSERTED) && (*reg(s, E1K_CTRL_EXT) & CTRL_EXT_IAME)) {
		*reg(s, E1K_ICR) = 0;
		*reg(s, E1K_IMS) &= ~*reg(s, E1K_IAM);
	}
	e1000e_update(s);
	return ret;
}

static void e1000e_write(struct nirq_sim *s, uint32_t off, uint32_t val)
{
	uint32_t *r = reg(s, off);

	switch (off) {
	case E1K_ICR: /* e1000e_set_icr */
		iame_clear_ims(s);
		/* Clearing Other clears the causes it summarises. */
		*r &= ~(val & ICR_OTHER ? val | ICR_OTHER_CAUSES : val);
		e1000e_update(s);
		break;
	case E1K_ICS: *reg(s, E1K_ICR) |= val; e1000e_update(s); break;
	case E1K_IMS: /* e1000e_set_ims */
		val &= E1000E_IMS_VALID;
		*r |= val;
		if ((val & ICR_MSIX_CAUSES) && (*reg(s, E1K_CTRL_EXT) & CTRL_EXT_PBA_CLR) &&
		    nirq__sim_msix_enabled(s))
			msix_clear(s, val);
		e1000e_update(s);
		break;
	case E1K_IMC: *reg(s, E1K_IMS) &= ~val; e1000e_update(s); break;
	case E1K_CTRL: *r = val & ~CTRL_RST; break;
	case E1K_CTRL_EXT: *r = val & ~CTRL_EXT_SELF_CLEARING; break;
	case E1K_STATUS: break;
	default: *r = val; break;
	}
}

/* ------------------------------------------------------------- dispatch */

static uint32_t reg_read(struct nirq_sim *s, uint32_t off)
{
	switch (off) {
	case E1K_ICR: return is_82574(s) ? e1000e_icr_read(s) : e1000_icr_read(s);
	case E1K_ICS: return *reg(s, E1K_ICS); /* ICR's copy, without the clear */
	case E1K_IMC: return 0;                /* write-only */
	default: return *reg(s, off);
	}
}

static void reg_write(struct nirq_sim *s, uint32_t off, uint32_t val)
{
	if (is_82574(s))
		e1000e_write(s, off, val);
	else
		e1000_write(s, off, val);
}

/* IOADDR/IODATA on the 82574L's I/O BAR; the 82540EM's I/O BAR reads 0. */
static uint32_t io_read(struct nirq_sim *s, uint64_t off)
{
	uint32_t a = s->dev.e1k.ioaddr;

	if (!is_82574(s))
		return 0;
	if (off == E1000E_IOADDR)
		return a;
	if (off == E1000E_IODATA && a < E1000E_IO_REG_LIMIT)
		return reg_read(s, a & ~3u);
	return 0;
}

static void io_write(struct nirq_sim *s, uint64_t off, uint32_t val)
{
	uint32_t a = s->dev.e1k.ioaddr;

	if (!is_82574(s))
		return;
	if (off == E1000E_IOADDR)
		s->dev.e1k.ioaddr = val;
	else if (off == E1000E_IODATA && a < E1000E_IO_REG_LIMIT)
		reg_write(s, a & ~3u, val);
}

/*
 * BAR0 as QEMU's MemoryRegionOps with .impl 4..4: a 1- or 2-byte access is
 * widened to the 4-byte register at the aligned offset; a read returns that
 * register's low bytes (not the bytes at the offset), a write writes the
 * zero-extended value to the whole register. An access not aligned to its
 * size fails QEMU's memory_region_access_valid(): it reads 0 and writes
 * nothing.
 */
static uint32_t e1k_read(struct nirq_sim *s, unsigned bar, uint64_t off, unsigned size)
{
	uint32_t v;

	if (s->mdl->bar[bar].io && (size != 4 || off % 4))
		return 0;
	if (s->mdl->bar[bar].io)
		return io_read(s, off);
	if (bar != 0 || off % size)
		return 0; /* e1000e flash BAR: nothing behind it; unaligned */
	v = reg_read(s, (uint32_t)off & ~3u);
	return size >= 4 ? v : v & ((1u << (8 * size)) - 1);
}

static void e1k_write(struct nirq_sim *s, unsigned bar, uint64_t off, unsigned size,
		      uint32_t val)
{
	if (s->mdl->bar[bar].io) {
		if (size == 4 && off % 4 == 0)
			io_write(s, off, val);
	} else if (bar == 0 && off % size == 0) {
		reg_write(s, (uint32_t)off & ~3u,
			  size >= 4 ? val : val & ((1u << (8 * size)) - 1));
	}
}

/* A hardware event: causes are set in ICR as by an ICS write. */
static void e1k_inject(struct nirq_sim *s, uint32_t causes)
{
	reg_write(s, E1K_ICS, causes);
}

static const struct sim_model_ops e1k_ops = {
	.reset = e1k_reset,
	.read = e1k_read,
	.write = e1k_write,
	.inject = e1k_inject,
};

/*
 * QEMU e1000e: BAR0 registers 128 KiB, BAR1 flash 128 KiB, BAR2 I/O 32 bytes,
 * BAR3 16 KiB with the MSI-X table at 0 and the PBA at 0x2000. Capabilities,
 * list head first: PM 0xc8, MSI 0xd0 (1 vector, 64-bit), PCIe 0xe0, MSI-X
 * 0xa0 (5 vectors). Extended capabilities (AER, DSN) are not modelled.
 */
const struct sim_model nirq__sim_e1000e = {
	.id = NIRQ_SIM_E1000E,
	.name = "e1000e",
	.vendor = 0x8086,
	.device = 0x10d3,
	.subsys_vendor = 0x8086,
	.subsys = 0x0000,
	.revision = 0x00,
	.class_code = 0x020000,
	.cfg_size = PCIE_CFG_SIZE,
	.bar = { [0] = { .size = 128u << 10 }, [1] = { .size = 128u << 10 },
		 [2] = { .size = 32, .io = true }, [3] = { .size = 16u << 10 } },
	.cap_order = { 0xc8, 0xd0, 0xe0, 0xa0 },
	.pm_cap = 0xc8,
	.pcie_cap = 0xe0,
	.msi_cap = 0xd0,
	.msi_count = 1,
	.msix_cap = 0xa0,
	.msix_count = E1000E_MSIX_VECTORS,
	.msix_bar = 3,
	.msix_table_off = 0x0000,
	.msix_pba_off = 0x2000,
	.ops = &e1k_ops,
};

/* QEMU e1000: BAR0 registers 128 KiB, BAR1 I/O 64 bytes; no capability list. */
const struct sim_model nirq__sim_e1000 = {
	.id = NIRQ_SIM_E1000,
	.name = "e1000",
	.vendor = 0x8086,
	.device = 0x100e,
	.subsys_vendor = 0x1af4,
	.subsys = 0x1100,
	.revision = 0x03,
	.class_code = 0x020000,
	.cfg_size = PCI_CFG_SIZE,
	.bar = { [0] = { .size = 128u << 10 }, [1] = { .size = 64, .io = true } },
	.ops = &e1k_ops,
};
