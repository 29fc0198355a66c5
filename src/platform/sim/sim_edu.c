/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Device model: QEMU's educational PCI device "edu" (1234:11e8), register
 * compatible with QEMU's docs/specs/edu.rst: identification, liveness,
 * factorial, status, interrupt status/raise/acknowledge. One MSI message
 * without per-vector masking, or INTx (asserted while the interrupt status
 * is non-zero). In MSI mode every raise sends a message, as in QEMU.
 *
 * Simplifications: the factorial is computed at once (QEMU uses a thread, so
 * "computing" is never observed); DMA registers are storage and a started
 * transfer completes at once without moving data (there is no guest memory),
 * raising its interrupt if asked; 8-byte accesses are not supported.
 */
#include <string.h>

#include "sim.h"

#define EDU_ID 0x010000edu
#define EDU_STATUS_COMPUTING 0x01u
#define EDU_STATUS_IRQFACT 0x80u
#define EDU_FACT_IRQ 0x00000001u
#define EDU_DMA_IRQ 0x00000100u
#define EDU_DMA_RUN 0x1u
#define EDU_DMA_IRQ_EN 0x4u

enum {
	EDU_REG_ID = 0x00,
	EDU_REG_LIVENESS = 0x04,
	EDU_REG_FACT = 0x08,
	EDU_REG_STATUS = 0x20,
	EDU_REG_IRQ_STATUS = 0x24,
	EDU_REG_IRQ_RAISE = 0x60,
	EDU_REG_IRQ_ACK = 0x64,
	EDU_REG_DMA_SRC = 0x80,
	EDU_REG_DMA_DST = 0x88,
	EDU_REG_DMA_CNT = 0x90,
	EDU_REG_DMA_CMD = 0x98,
};

static void edu_reset(struct nirq_sim *s)
{
	memset(&s->dev.edu, 0, sizeof(s->dev.edu));
	s->intx_latch = false;
}

/* edu_raise_irq: OR into the status; MSI sends a message per raise, else INTx up. */
static void edu_raise(struct nirq_sim *s, uint32_t val)
{
	struct sim_edu *e = &s->dev.edu;

	e->irq_status |= val;
	if (!e->irq_status)
		return;
	if (nirq__sim_msi_enabled(s))
		nirq__sim_msg_notify_locked(s, 0);
	else
		nirq__sim_set_irq_locked(s, true);
}

/* edu_lower_irq: INTx goes down only when the status is 0 and MSI is off. */
static void edu_lower(struct nirq_sim *s, uint32_t val)
{
	s->dev.edu.irq_status &= ~val;
	if (!s->dev.edu.irq_status && !nirq__sim_msi_enabled(s))
		nirq__sim_set_irq_locked(s, false);
}

/* n! modulo 2^32; it is 0 from 34! on, so the loop is short for any n. */
static uint32_t factorial(uint32_t n)
{
	uint32_t r = 1;

	while (n > 0 && r)
		r *= n--;
	return r;
}

static void edu_fact_write(struct nirq_sim *s, uint32_t val)
{
	struct sim_edu *e = &s->dev.edu;

	if (e->status & EDU_STATUS_COMPUTING)
		return;
	e->fact = factorial(val);
	if (e->status & EDU_STATUS_IRQFACT)
		edu_raise(s, EDU_FACT_IRQ);
}

static void edu_dma_write(struct nirq_sim *s, uint64_t off, uint32_t val)
{
	struct sim_edu *e = &s->dev.edu;
	unsigned i = (unsigned)(off - EDU_REG_DMA_SRC) / 8;

	if (off == EDU_REG_DMA_CMD && !(val & EDU_DMA_RUN))
		return;
	e->dma[i] = val;
	if (off != EDU_REG_DMA_CMD)
		return;
	e->dma[i] &= ~EDU_DMA_RUN;
	if (val & EDU_DMA_IRQ_EN)
		edu_raise(s, EDU_DMA_IRQ);
}

/*
 * Only 4-byte accesses reach a register. QEMU's edu_mmio_ops .valid 4..8
 * refuses 1- and 2-byte accesses before the device sees them: they read 0
 * (unassigned_mem_read) and write nothing. Unknown registers read ~0.
 */
static uint32_t edu_read(struct nirq_sim *s, unsigned bar, uint64_t off, unsigned size)
{
	const struct sim_edu *e = &s->dev.edu;

	if (bar != 0 || size != 4)
		return 0;
	switch (off) {
	case EDU_REG_ID: return EDU_ID;
	case EDU_REG_LIVENESS: return e->addr4;
	case EDU_REG_FACT: return e->fact;
	case EDU_REG_STATUS: return e->status;
	case EDU_REG_IRQ_STATUS: return e->irq_status;
	case EDU_REG_DMA_SRC:
	case EDU_REG_DMA_DST:
	case EDU_REG_DMA_CNT:
	case EDU_REG_DMA_CMD: return e->dma[(off - EDU_REG_DMA_SRC) / 8];
	default: return 0xffffffffu;
	}
}

static void edu_write(struct nirq_sim *s, unsigned bar, uint64_t off, unsigned size,
		      uint32_t val)
{
	struct sim_edu *e = &s->dev.edu;

	if (bar != 0 || size != 4)
		return;
	switch (off) {
	case EDU_REG_LIVENESS: e->addr4 = ~val; break;
	case EDU_REG_FACT: edu_fact_write(s, val); break;
	case EDU_REG_STATUS:
		e->status = (e->status & ~EDU_STATUS_IRQFACT) | (val & EDU_STATUS_IRQFACT);
		break;
	case EDU_REG_IRQ_RAISE: edu_raise(s, val); break;
	case EDU_REG_IRQ_ACK: edu_lower(s, val); break;
	case EDU_REG_DMA_SRC:
	case EDU_REG_DMA_DST:
	case EDU_REG_DMA_CNT:
	case EDU_REG_DMA_CMD: edu_dma_write(s, off, val); break;
	default: break;
	}
}

static const struct sim_model_ops edu_ops = {
	.reset = edu_reset,
	.read = edu_read,
	.write = edu_write,
	.inject = edu_raise,
};

/* QEMU: PCI_VENDOR_ID_QEMU, revision 0x10, class "other"; MSI (1, 64-bit) at 0x40. */
const struct sim_model nirq__sim_edu = {
	.id = NIRQ_SIM_EDU,
	.name = "edu",
	.vendor = 0x1234,
	.device = 0x11e8,
	.subsys_vendor = 0x1af4,
	.subsys = 0x1100,
	.revision = 0x10,
	.class_code = 0xff0000,
	.cfg_size = PCI_CFG_SIZE,
	.bar = { [0] = { .size = 1u << 20 } },
	.cap_order = { 0x40 },
	.msi_cap = 0x40,
	.msi_count = 1,
	.ops = &edu_ops,
};
