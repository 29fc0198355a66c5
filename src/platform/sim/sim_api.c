/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The sim's test-side driver (nirq_platform_sim.h): what the "hardware"
 * experiences (events, spurious signals, a foreign device on the shared line)
 * and what tests observe (MSI-X mask and pending bits, line level, messages
 * raised). Safe from any thread; every call takes the sim lock briefly.
 * A platform that is not a sim, or an unknown vector, is ignored.
 */
#include "sim.h"

SIM_API void nirq_sim_inject(struct nirq_platform *pf, uint32_t causes)
{
	struct nirq_sim *s = nirq__sim_from(pf);

	if (!s)
		return;
	nirq__sim_lock(s);
	s->mdl->ops->inject(s, causes);
	nirq__sim_unlock(s);
}

SIM_API void nirq_sim_spurious(struct nirq_platform *pf, uint32_t vec)
{
	struct nirq_sim *s = nirq__sim_from(pf);

	if (!s)
		return;
	nirq__sim_lock(s);
	nirq__sim_signal_locked(s, vec);
	nirq__sim_unlock(s);
}

SIM_API void nirq_sim_foreign_assert(struct nirq_platform *pf)
{
	struct nirq_sim *s = nirq__sim_from(pf);

	if (!s)
		return;
	nirq__sim_lock(s);
	s->foreign = true;
	nirq__sim_intx_update_locked(s);
	nirq__sim_unlock(s);
}

/* Entry @vec's own mask bit (the function mask is reported separately). */
SIM_API bool nirq_sim_msix_masked(struct nirq_platform *pf, uint32_t vec)
{
	struct nirq_sim *s = nirq__sim_from(pf);
	bool masked;

	if (!s || vec >= s->msix_count)
		return false;
	nirq__sim_lock(s);
	masked = nirq__sim_msix_entry_masked(s, vec);
	nirq__sim_unlock(s);
	return masked;
}

SIM_API bool nirq_sim_msix_pending(struct nirq_platform *pf, uint32_t vec)
{
	struct nirq_sim *s = nirq__sim_from(pf);
	bool pending;

	if (!s || vec >= s->msix_count)
		return false;
	nirq__sim_lock(s);
	pending = nirq__sim_msix_is_pending(s, vec);
	nirq__sim_unlock(s);
	return pending;
}

/* Set or clear the MSI-X Function Mask bit, as a config write would. */
SIM_API void nirq_sim_msix_function_mask(struct nirq_platform *pf, bool masked)
{
	struct nirq_sim *s = nirq__sim_from(pf);
	uint32_t off;
	uint8_t hi;

	if (!s || !s->msix_cap)
		return;
	off = s->msix_cap + PCI_MSIX_FLAGS + 1u;
	nirq__sim_lock(s);
	hi = (uint8_t)nirq__sim_cfg_rd(s, off, 1);
	hi = masked ? hi | (PCI_MSIX_FLAGS_MASKALL >> 8) : hi & ~(PCI_MSIX_FLAGS_MASKALL >> 8);
	nirq__sim_cfg_access_locked(s, off, &hi, 1, true);
	nirq__sim_unlock(s);
}

SIM_API bool nirq_sim_line_asserted(struct nirq_platform *pf)
{
	struct nirq_sim *s = nirq__sim_from(pf);
	bool level;

	if (!s)
		return false;
	nirq__sim_lock(s);
	level = s->line_dev_level || s->foreign;
	nirq__sim_unlock(s);
	return level;
}

SIM_API uint64_t nirq_sim_raised(struct nirq_platform *pf, uint32_t vec)
{
	struct nirq_sim *s = nirq__sim_from(pf);
	uint64_t n;

	if (!s || vec >= SIM_MAX_VECTORS)
		return 0;
	nirq__sim_lock(s);
	n = s->vec[vec].raised;
	nirq__sim_unlock(s);
	return n;
}

SIM_API enum nirq_intr_kind nirq_sim_current_kind(struct nirq_platform *pf, uint32_t *count)
{
	struct nirq_sim *s = nirq__sim_from(pf);
	enum nirq_intr_kind kind = NIRQ_KIND_NONE;
	uint32_t n = 0;

	if (s) {
		nirq__sim_lock(s);
		kind = s->kind;
		n = s->nvec;
		nirq__sim_unlock(s);
	}
	if (count)
		*count = n;
	return kind;
}

SIM_API void nirq_sim_set_arm_hook(struct nirq_platform *pf,
				   void (*hook)(struct nirq_platform *pf, void *arg),
				   void *arg)
{
	struct nirq_sim *s = nirq__sim_from(pf);

	if (!s)
		return;
	nirq__sim_lock(s);
	s->arm_hook = hook;
	s->arm_arg = arg;
	nirq__sim_unlock(s);
}
