/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The simulated PCI function: config space with read-only, writable and
 * write-1-to-clear bits, the MSI and MSI-X capabilities (table, PBA, function
 * mask) and the shared level-triggered INTx line, and how a device model's
 * interrupt reaches a vector's eventfd. MSI-X follows the PCI specification
 * as QEMU's hw/pci/msix.c implements it: a message raised while its entry or
 * the function is masked sets its PBA bit and is sent when both unmask.
 * Every function here runs with the sim lock held.
 */
#include <string.h>
#include <unistd.h>

#include "sim.h"

/* Synthetic bus addresses the "firmware" assigned to the BARs. */
#define SIM_MEM_BASE 0xfe000000u
#define SIM_IO_BASE 0xc000u

/* Command bits software may change (QEMU's default wmask plus PARITY, SERR). */
#define SIM_COMMAND_WMASK 0x0547u
/* Status error bits that are write-1-to-clear. */
#define SIM_STATUS_W1C 0xf900u

/* ------------------------------------------------------------ byte access */

static uint32_t le_get(const uint8_t *p, unsigned len)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < len; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static void le_put(uint8_t *p, unsigned len, uint32_t v)
{
	for (unsigned i = 0; i < len; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

uint32_t nirq__sim_cfg_rd(const struct nirq_sim *s, uint32_t off, unsigned len)
{
	return le_get(&s->cfg[off], len);
}

static void cfg_put(struct nirq_sim *s, uint32_t off, unsigned len, uint32_t v)
{
	le_put(&s->cfg[off], len, v);
}

static void wmask_put(struct nirq_sim *s, uint32_t off, unsigned len, uint32_t m)
{
	le_put(&s->wmask[off], len, m);
}

/* ------------------------------------------------------- config building */

static void build_header(struct nirq_sim *s)
{
	const struct sim_model *m = s->mdl;

	cfg_put(s, PCI_VENDOR_ID, 2, m->vendor);
	cfg_put(s, PCI_DEVICE_ID, 2, m->device);
	/* Firmware enabled decoding; the OS enabled bus mastering. */
	cfg_put(s, PCI_COMMAND, 2, PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	wmask_put(s, PCI_COMMAND, 2, SIM_COMMAND_WMASK);
	le_put(&s->w1cmask[PCI_STATUS], 2, SIM_STATUS_W1C);
	cfg_put(s, PCI_REVISION_ID, 1, m->revision);
	cfg_put(s, PCI_CLASS_PROG, 3, m->class_code);
	wmask_put(s, PCI_CACHE_LINE_SIZE, 1, 0xff);
	wmask_put(s, PCI_LATENCY_TIMER, 1, 0xff);
	cfg_put(s, PCI_SUBSYSTEM_VENDOR_ID, 2, m->subsys_vendor);
	cfg_put(s, PCI_SUBSYSTEM_ID, 2, m->subsys);
	cfg_put(s, PCI_INTERRUPT_LINE, 1, SIM_LINE_VECTOR);
	wmask_put(s, PCI_INTERRUPT_LINE, 1, 0xff);
	cfg_put(s, PCI_INTERRUPT_PIN, 1, 1);
}

/* 32-bit BARs, naturally aligned; the writable bits give the size on sizing. */
static void build_bars(struct nirq_sim *s)
{
	uint32_t mem = SIM_MEM_BASE, io = SIM_IO_BASE;

	for (unsigned i = 0; i < 6; i++) {
		const struct sim_bar_desc *b = &s->mdl->bar[i];
		uint32_t off = PCI_BASE_ADDRESS_0 + 4 * i, *next = b->io ? &io : &mem;

		if (!b->size)
			continue;
		*next = (*next + b->size - 1) & ~(b->size - 1);
		cfg_put(s, off, 4, *next | (b->io ? PCI_BASE_ADDRESS_IO : 0));
		wmask_put(s, off, 4, ~(b->size - 1));
		*next += b->size;
	}
}

static void build_pm(struct nirq_sim *s, uint8_t at)
{
	cfg_put(s, at + 2, 2, 0x0022);      /* PMC: version 1.1, DSI */
	wmask_put(s, at + 4, 2, 0x1f03);    /* PMCSR: state, PME enable, data select */
	le_put(&s->w1cmask[at + 4], 2, 0x8000); /* PME status */
}

static void build_msi(struct nirq_sim *s, uint8_t at)
{
	const struct sim_model *m = s->mdl;
	uint32_t flags = PCI_MSI_FLAGS_64BIT;

	flags |= (uint32_t)__builtin_ctz(m->msi_count) << 1;
	if (m->msi_maskable)
		flags |= PCI_MSI_FLAGS_MASKBIT;
	cfg_put(s, at + PCI_MSI_FLAGS, 2, flags);
	wmask_put(s, at + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE);
	wmask_put(s, at + PCI_MSI_ADDRESS_LO, 4, 0xfffffffc);
	wmask_put(s, at + PCI_MSI_ADDRESS_HI, 4, 0xffffffff);
	wmask_put(s, at + PCI_MSI_DATA_64, 2, 0xffff);
	if (m->msi_maskable)
		wmask_put(s, at + PCI_MSI_MASK_64, 4,
			  m->msi_count == 32 ? 0xffffffffu : (1u << m->msi_count) - 1);
}

static void build_msix(struct nirq_sim *s, uint8_t at)
{
	const struct sim_model *m = s->mdl;

	cfg_put(s, at + PCI_MSIX_FLAGS, 2, s->msix_count - 1);
	wmask_put(s, at + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	cfg_put(s, at + PCI_MSIX_TABLE, 4, m->msix_table_off | m->msix_bar);
	cfg_put(s, at + PCI_MSIX_PBA, 4, m->msix_pba_off | m->msix_bar);
	/* Reset state of every entry: masked (PCI 3.0 6.8.2.9). */
	for (uint32_t v = 0; v < s->msix_count; v++)
		s->msix_table[v * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_VECTOR_CTRL] =
			PCI_MSIX_ENTRY_CTRL_MASKBIT;
}

/* Which capability lives at @at, or 0 when it is absent (model or fault). */
static uint8_t cap_id_at(const struct nirq_sim *s, uint8_t at)
{
	const struct sim_model *m = s->mdl;

	if (at == m->pm_cap)
		return PCI_CAP_ID_PM;
	if (at == m->pcie_cap)
		return PCI_CAP_ID_EXP;
	if (at == s->msi_cap)
		return PCI_CAP_ID_MSI;
	if (at == s->msix_cap)
		return PCI_CAP_ID_MSIX;
	return 0;
}

static void build_cap(struct nirq_sim *s, uint8_t at, uint8_t id)
{
	cfg_put(s, at, 1, id);
	if (id == PCI_CAP_ID_PM)
		build_pm(s, at);
	else if (id == PCI_CAP_ID_EXP)
		cfg_put(s, at + 2, 2, 0x0001); /* version 1, endpoint */
	else if (id == PCI_CAP_ID_MSI)
		build_msi(s, at);
	else
		build_msix(s, at);
}

/* Link the capabilities in the model's order; the list head goes to 0x34. */
static void build_caps(struct nirq_sim *s)
{
	uint32_t link = PCI_CAPABILITY_LIST;

	for (unsigned i = 0; i < 4 && s->mdl->cap_order[i]; i++) {
		uint8_t at = s->mdl->cap_order[i], id = cap_id_at(s, at);

		if (!id)
			continue;
		build_cap(s, at, id);
		cfg_put(s, link, 1, at);
		link = at + 1u;
	}
	if (nirq__sim_cfg_rd(s, PCI_CAPABILITY_LIST, 1))
		cfg_put(s, PCI_STATUS, 2, PCI_STATUS_CAP_LIST);
}

/**
 * nirq__sim_cfg_build() - fill config space from the model and the faults.
 * @s: a sim whose mdl, faults, msi_cap, msix_cap and msix_count are set.
 * Context: create, before the sim is shared.
 */
void nirq__sim_cfg_build(struct nirq_sim *s)
{
	build_header(s);
	build_bars(s);
	build_caps(s);
}

/* ------------------------------------------------------------ MSI, MSI-X */

static uint32_t msi_flags(const struct nirq_sim *s)
{
	return nirq__sim_cfg_rd(s, s->msi_cap + PCI_MSI_FLAGS, 2);
}

static uint32_t msix_flags(const struct nirq_sim *s)
{
	return nirq__sim_cfg_rd(s, s->msix_cap + PCI_MSIX_FLAGS, 2);
}

bool nirq__sim_msi_enabled(const struct nirq_sim *s)
{
	return s->msi_cap && (msi_flags(s) & PCI_MSI_FLAGS_ENABLE);
}

bool nirq__sim_msix_enabled(const struct nirq_sim *s)
{
	return s->msix_cap && (msix_flags(s) & PCI_MSIX_FLAGS_ENABLE);
}

static bool msi_maskable(const struct nirq_sim *s)
{
	return s->msi_cap && (msi_flags(s) & PCI_MSI_FLAGS_MASKBIT);
}

/* Vectors the OS enabled through Multiple Message Enable. */
static uint32_t msi_enabled_count(const struct nirq_sim *s)
{
	return 1u << ((msi_flags(s) & PCI_MSI_FLAGS_QSIZE) >> 4);
}

/* As QEMU's msix_function_masked: a disabled function counts as masked. */
static bool msix_function_masked(const struct nirq_sim *s)
{
	return !nirq__sim_msix_enabled(s) || (msix_flags(s) & PCI_MSIX_FLAGS_MASKALL);
}

static uint8_t *msix_ctrl(struct nirq_sim *s, uint32_t vec)
{
	return &s->msix_table[vec * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_VECTOR_CTRL];
}

bool nirq__sim_msix_entry_masked(const struct nirq_sim *s, uint32_t vec)
{
	return s->msix_table[vec * PCI_MSIX_ENTRY_SIZE + PCI_MSIX_ENTRY_VECTOR_CTRL] &
	       PCI_MSIX_ENTRY_CTRL_MASKBIT;
}

static bool msix_vector_masked(const struct nirq_sim *s, uint32_t vec)
{
	return msix_function_masked(s) || nirq__sim_msix_entry_masked(s, vec);
}

bool nirq__sim_msix_is_pending(const struct nirq_sim *s, uint32_t vec)
{
	return s->msix_pba[vec / 64] & (1ull << (vec % 64));
}

static void msix_set_pending(struct nirq_sim *s, uint32_t vec, bool on)
{
	if (on)
		s->msix_pba[vec / 64] |= 1ull << (vec % 64);
	else
		s->msix_pba[vec / 64] &= ~(1ull << (vec % 64));
}

/**
 * nirq__sim_msix_clr_pending_locked() - the device clears MSI-X entry @vec's
 * PBA bit (QEMU msix_clr_pending): a held message is dropped. Unknown @vec:
 * ignored.
 */
void nirq__sim_msix_clr_pending_locked(struct nirq_sim *s, uint32_t vec)
{
	sim_assert_locked(s);
	if (vec < s->msix_count)
		msix_set_pending(s, vec, false);
}

/**
 * nirq__sim_signal_locked() - make vector @vec's eventfd readable.
 * Nothing happens when @vec has no fd (not allocated, or freed).
 * Context: any; the write to an eventfd never blocks (EFD_NONBLOCK).
 */
void nirq__sim_signal_locked(struct nirq_sim *s, uint32_t vec)
{
	uint64_t one = 1;

	sim_assert_locked(s);
	if (vec >= s->nvec || s->vec[vec].fd < 0)
		return;
	/* EAGAIN only when the counter is saturated: it is readable anyway. */
	if (write(s->vec[vec].fd, &one, sizeof(one)) < 0)
		return;
}

/* Send the message of an MSI-X entry that is unmasked (msix_handle_mask_update). */
static void msix_update_vector(struct nirq_sim *s, uint32_t vec)
{
	if (msix_vector_masked(s, vec) || !nirq__sim_msix_is_pending(s, vec))
		return;
	msix_set_pending(s, vec, false);
	if (s->kind == NIRQ_KIND_MSIX)
		nirq__sim_signal_locked(s, vec);
}

/**
 * nirq__sim_msix_flush_locked() - deliver every pending, now unmasked entry,
 * after the function mask or the enable bit changed.
 */
void nirq__sim_msix_flush_locked(struct nirq_sim *s)
{
	sim_assert_locked(s);
	for (uint32_t v = 0; v < s->msix_count; v++)
		msix_update_vector(s, v);
}

static void msix_notify(struct nirq_sim *s, uint32_t vec)
{
	if (vec >= s->msix_count)
		return;
	s->vec[vec].raised++;
	if (msix_vector_masked(s, vec)) {
		msix_set_pending(s, vec, true);
		return;
	}
	if (s->kind == NIRQ_KIND_MSIX)
		nirq__sim_signal_locked(s, vec);
}

static uint32_t msi_bits(const struct nirq_sim *s, unsigned reg)
{
	return nirq__sim_cfg_rd(s, s->msi_cap + reg, 4);
}

static void msi_notify(struct nirq_sim *s, uint32_t vec)
{
	struct sim_vector *v;

	if (vec >= msi_enabled_count(s))
		return;
	v = &s->vec[vec];
	v->raised++;
	if (msi_maskable(s) && (msi_bits(s, PCI_MSI_MASK_64) & (1u << vec))) {
		cfg_put(s, s->msi_cap + PCI_MSI_PENDING_64, 4,
			msi_bits(s, PCI_MSI_PENDING_64) | 1u << vec);
		return;
	}
	if (!msi_maskable(s) && v->soft_masked) {
		v->soft_pending = true;
		return;
	}
	if (s->kind == NIRQ_KIND_MSI)
		nirq__sim_signal_locked(s, vec);
}

/* Deliver MSI messages held in the pending bits of now unmasked vectors. */
static void msi_flush(struct nirq_sim *s)
{
	uint32_t ready;

	if (!msi_maskable(s))
		return;
	ready = msi_bits(s, PCI_MSI_PENDING_64) & ~msi_bits(s, PCI_MSI_MASK_64);
	if (!ready)
		return;
	cfg_put(s, s->msi_cap + PCI_MSI_PENDING_64, 4,
		msi_bits(s, PCI_MSI_PENDING_64) & ~ready);
	for (uint32_t v = 0; v < 32; v++)
		if ((ready & (1u << v)) && s->kind == NIRQ_KIND_MSI)
			nirq__sim_signal_locked(s, v);
}

/**
 * nirq__sim_msg_notify_locked() - the device model sends message @vec in
 * whatever mode the OS enabled (MSI-X before MSI; nothing when neither is).
 */
void nirq__sim_msg_notify_locked(struct nirq_sim *s, uint32_t vec)
{
	sim_assert_locked(s);
	if (nirq__sim_msix_enabled(s))
		msix_notify(s, vec);
	else if (nirq__sim_msi_enabled(s))
		msi_notify(s, vec);
}

/* ------------------------------------------------------------------- INTx */

/* Signal the line once per assertion; line_done re-arms it (like VFIO's automask). */
static void line_sample(struct nirq_sim *s)
{
	if (s->kind != NIRQ_KIND_LINE || s->line_signalled || s->vec[0].soft_masked)
		return;
	if (!s->line_dev_level && !s->foreign)
		return;
	s->line_signalled = true;
	nirq__sim_signal_locked(s, 0);
}

/**
 * nirq__sim_intx_update_locked() - re-sample our device's INTx level after
 * any change of device or config state. The level is what the model last
 * set (nirq__sim_set_irq_locked), as QEMU's pci_set_irq state: enabling MSI
 * or MSI-X deasserts it (QEMU's msi/msix_write_config call
 * pci_device_deassert_intx), and it stays low after they are disabled until
 * the model sets it again. The Interrupt Disable bit gates it at the function.
 */
void nirq__sim_intx_update_locked(struct nirq_sim *s)
{
	uint32_t cmd, st;
	bool cond, level;

	sim_assert_locked(s);
	if (nirq__sim_msi_enabled(s) || nirq__sim_msix_enabled(s))
		s->intx_latch = false;
	cmd = nirq__sim_cfg_rd(s, PCI_COMMAND, 2);
	st = nirq__sim_cfg_rd(s, PCI_STATUS, 2) & ~PCI_STATUS_INTERRUPT;
	cond = s->intx_latch;
	level = cond && !(cmd & PCI_COMMAND_INTX_DISABLE);
	cfg_put(s, PCI_STATUS, 2, st | (cond ? PCI_STATUS_INTERRUPT : 0));
	if (level && !s->line_dev_level && s->kind == NIRQ_KIND_LINE)
		s->vec[0].raised++;
	s->line_dev_level = level;
	line_sample(s);
}

/**
 * nirq__sim_set_irq_locked() - the model drives its INTx pin to @level
 * (QEMU pci_set_irq). Ignored while MSI or MSI-X is enabled: a device model
 * signals messages then, and QEMU's models do not touch the pin.
 */
void nirq__sim_set_irq_locked(struct nirq_sim *s, bool level)
{
	sim_assert_locked(s);
	s->intx_latch = level;
	nirq__sim_intx_update_locked(s);
}

/**
 * nirq__sim_line_done_locked() - the line's ISR chain ran: a foreign device
 * was serviced by its driver and deasserts; re-arm and re-sample our level.
 */
void nirq__sim_line_done_locked(struct nirq_sim *s)
{
	sim_assert_locked(s);
	if (s->kind != NIRQ_KIND_LINE)
		return;
	s->foreign = false;
	s->line_signalled = false;
	nirq__sim_intx_update_locked(s);
}

/* ------------------------------------------------------- platform masking */

static void msi_mask_vector(struct nirq_sim *s, uint32_t vec, bool masked)
{
	struct sim_vector *v = &s->vec[vec];
	uint32_t bits;

	if (msi_maskable(s)) {
		bits = msi_bits(s, PCI_MSI_MASK_64);
		bits = masked ? bits | 1u << vec : bits & ~(1u << vec);
		cfg_put(s, s->msi_cap + PCI_MSI_MASK_64, 4, bits);
		msi_flush(s);
		return;
	}
	v->soft_masked = masked;
	if (!masked && v->soft_pending) {
		v->soft_pending = false;
		nirq__sim_signal_locked(s, vec);
	}
}

/**
 * nirq__sim_vec_mask_locked() - the platform's per-vector mask: the MSI-X
 * entry's mask bit, the MSI mask bit, or (no hardware mask) a mask the sim
 * keeps itself, holding the signal until unmask. Unknown @vec: ignored.
 */
void nirq__sim_vec_mask_locked(struct nirq_sim *s, uint32_t vec, bool masked)
{
	sim_assert_locked(s);
	if (vec >= s->nvec)
		return;
	switch (s->kind) {
	case NIRQ_KIND_MSIX:
		*msix_ctrl(s, vec) = masked ? PCI_MSIX_ENTRY_CTRL_MASKBIT : 0;
		msix_update_vector(s, vec);
		break;
	case NIRQ_KIND_MSI:
		msi_mask_vector(s, vec, masked);
		break;
	case NIRQ_KIND_LINE:
		s->vec[0].soft_masked = masked;
		line_sample(s);
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------ enable / disable */

static uint32_t log2_ceil(uint32_t n)
{
	return n <= 1 ? 0 : 32 - (uint32_t)__builtin_clz(n - 1);
}

static void msix_enable(struct nirq_sim *s, uint32_t n)
{
	for (uint32_t v = 0; v < n; v++) {
		uint8_t *e = &s->msix_table[v * PCI_MSIX_ENTRY_SIZE];

		le_put(e, 4, SIM_MSI_ADDRESS);
		le_put(e + 4, 4, 0);
		le_put(e + 8, 4, SIM_MSG_VECTOR_BASE + v);
		le_put(e + PCI_MSIX_ENTRY_VECTOR_CTRL, 4, PCI_MSIX_ENTRY_CTRL_MASKBIT);
	}
	cfg_put(s, s->msix_cap + PCI_MSIX_FLAGS, 2,
		(msix_flags(s) & ~PCI_MSIX_FLAGS_MASKALL) | PCI_MSIX_FLAGS_ENABLE);
}

static void msi_enable(struct nirq_sim *s, uint32_t n)
{
	uint32_t flags = msi_flags(s) & ~PCI_MSI_FLAGS_QSIZE;

	cfg_put(s, s->msi_cap + PCI_MSI_ADDRESS_LO, 4, SIM_MSI_ADDRESS);
	cfg_put(s, s->msi_cap + PCI_MSI_ADDRESS_HI, 4, 0);
	cfg_put(s, s->msi_cap + PCI_MSI_DATA_64, 2, SIM_MSG_VECTOR_BASE);
	if (msi_maskable(s))
		cfg_put(s, s->msi_cap + PCI_MSI_MASK_64, 4,
			le_get(&s->wmask[s->msi_cap + PCI_MSI_MASK_64], 4));
	flags |= log2_ceil(n) << 4 | PCI_MSI_FLAGS_ENABLE;
	cfg_put(s, s->msi_cap + PCI_MSI_FLAGS, 2, flags);
}

/**
 * nirq__sim_enable_locked() - what the OS does once vectors are allocated:
 * program and enable MSI-X or MSI, or clear Interrupt Disable for INTx. Every
 * vector starts masked. The fds in s->vec[0, @n) are already set.
 */
void nirq__sim_enable_locked(struct nirq_sim *s, enum nirq_intr_kind kind, uint32_t n)
{
	sim_assert_locked(s);
	s->kind = kind;
	s->nvec = n;
	for (uint32_t v = 0; v < n; v++) {
		s->vec[v].soft_masked = true;
		s->vec[v].soft_pending = false;
		s->vec[v].raised = 0;
	}
	if (kind == NIRQ_KIND_MSIX)
		msix_enable(s, n);
	else if (kind == NIRQ_KIND_MSI)
		msi_enable(s, n);
	else
		cfg_put(s, PCI_COMMAND, 2,
			nirq__sim_cfg_rd(s, PCI_COMMAND, 2) & ~PCI_COMMAND_INTX_DISABLE);
	s->line_signalled = false;
	s->line_dev_level = false; /* an assertion already present counts as raised */
	nirq__sim_intx_update_locked(s);
}

/**
 * nirq__sim_disable_locked() - mask and disable what enable set up; forget
 * the fds (the caller closes them after dropping the lock).
 */
void nirq__sim_disable_locked(struct nirq_sim *s)
{
	sim_assert_locked(s);
	if (s->kind == NIRQ_KIND_MSIX) {
		for (uint32_t v = 0; v < s->nvec; v++)
			*msix_ctrl(s, v) = PCI_MSIX_ENTRY_CTRL_MASKBIT;
		cfg_put(s, s->msix_cap + PCI_MSIX_FLAGS, 2,
			msix_flags(s) & ~PCI_MSIX_FLAGS_ENABLE);
	} else if (s->kind == NIRQ_KIND_MSI) {
		cfg_put(s, s->msi_cap + PCI_MSI_FLAGS, 2,
			msi_flags(s) & ~(PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE));
	}
	for (uint32_t v = 0; v < s->nvec; v++)
		s->vec[v].fd = -1;
	s->kind = NIRQ_KIND_NONE;
	s->nvec = 0;
	s->line_signalled = false;
	nirq__sim_intx_update_locked(s);
}

/* ---------------------------------------------------------- config access */

/* Apply one written byte through the RW and W1C masks. */
static void cfg_write_byte(struct nirq_sim *s, uint32_t off, uint8_t val)
{
	uint8_t b = s->cfg[off];

	b = (uint8_t)((b & ~s->wmask[off]) | (val & s->wmask[off]));
	b = (uint8_t)(b & ~(val & s->w1cmask[off]));
	s->cfg[off] = b;
}

/**
 * nirq__sim_cfg_access_locked() - read or write @len bytes at @off, all
 * inside config space. After a write, side effects run: MSI-X enable or
 * function-mask changes deliver pending messages, MSI mask changes deliver
 * held messages, and the INTx level is re-sampled (command, enables).
 */
void nirq__sim_cfg_access_locked(struct nirq_sim *s, uint32_t off, void *buf,
				 uint32_t len, bool write)
{
	uint8_t *p = buf;

	sim_assert_locked(s);
	if (!write) {
		memcpy(p, &s->cfg[off], len);
		return;
	}
	for (uint32_t i = 0; i < len; i++)
		cfg_write_byte(s, off + i, p[i]);
	nirq__sim_msix_flush_locked(s);
	msi_flush(s);
	nirq__sim_intx_update_locked(s);
}

/* ------------------------------------------------- MSI-X table and PBA */

/**
 * nirq__sim_msix_mmio_read_locked() - a dword of the MSI-X BAR: table
 * entries, the PBA (read-only), zero elsewhere. @off is dword aligned.
 */
uint32_t nirq__sim_msix_mmio_read_locked(struct nirq_sim *s, uint64_t off)
{
	const struct sim_model *m = s->mdl;
	uint64_t tab = m->msix_table_off, pba = m->msix_pba_off;

	sim_assert_locked(s);
	if (!s->msix_cap)
		return 0;
	if (off >= tab && off - tab < (uint64_t)s->msix_count * PCI_MSIX_ENTRY_SIZE)
		return le_get(&s->msix_table[off - tab], 4);
	if (off >= pba && off - pba < (s->msix_count + 63) / 64 * 8) {
		uint64_t q = s->msix_pba[(off - pba) / 8];

		return (uint32_t)(q >> ((off - pba) % 8 * 8));
	}
	return 0;
}

/**
 * nirq__sim_msix_mmio_write_locked() - a dword write to the MSI-X BAR. A
 * vector control write that unmasks a pending entry sends its message.
 */
void nirq__sim_msix_mmio_write_locked(struct nirq_sim *s, uint64_t off, uint32_t val)
{
	uint64_t tab = s->mdl->msix_table_off, rel = off - tab;

	sim_assert_locked(s);
	if (!s->msix_cap || off < tab || rel >= (uint64_t)s->msix_count * PCI_MSIX_ENTRY_SIZE)
		return;
	if (rel % PCI_MSIX_ENTRY_SIZE == PCI_MSIX_ENTRY_VECTOR_CTRL)
		val &= PCI_MSIX_ENTRY_CTRL_MASKBIT; /* other bits reserved */
	le_put(&s->msix_table[rel], 4, val);
	msix_update_vector(s, (uint32_t)(rel / PCI_MSIX_ENTRY_SIZE));
}
