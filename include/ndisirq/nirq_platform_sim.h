/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The simulated PCI platform: software PCI functions with MSI, MSI-X (table,
 * PBA, function mask) and level-triggered shareable INTx, plus device models
 * register-compatible with QEMU's edu, e1000e (82574L) and e1000 (82540EM).
 * Every vector signals an eventfd, as VFIO does, so dispatch is the same path.
 *
 * Threading model: a sim platform may be used from any thread; device model
 * state is guarded by one lock per device. Injection calls (nirq_sim_*) are
 * safe from any thread, including processor threads.
 */
#ifndef NIRQ_PLATFORM_SIM_H
#define NIRQ_PLATFORM_SIM_H

#include <stddef.h>

#include <ndisirq/nirq_platform.h>

#ifdef __cplusplus
extern "C" {
#endif

enum nirq_sim_model {
	NIRQ_SIM_EDU = 1,    /* QEMU edu: 1234:11e8, BAR0 1 MiB, MSI (1, no mask), INTx */
	NIRQ_SIM_E1000E = 2, /* 82574L: 8086:10d3, MSI-X 5 (BAR3), MSI 1, INTx */
	NIRQ_SIM_E1000 = 3,  /* 82540EM: 8086:100e, no capability list, INTx */
};

/** Faults a test or the CLI can inject; zero means "no fault". */
struct nirq_sim_faults {
	bool no_msi;            /* device has no MSI capability */
	bool no_msix;           /* device has no MSI-X capability */
	uint32_t msix_count;    /* advertise this MSI-X table size instead (0: model's) */
	uint32_t vector_limit;  /* platform provides at most this many vectors (0: no limit);
				 * asking for more fails with -ENOSPC */
	uint32_t alloc_fail_at; /* the Nth alloc_vectors call (1-based) fails with -ENOSPC */
	bool alloc_fail_all;    /* every alloc_vectors of a message kind fails (-ENOSPC) */
};

struct nirq_sim_config {
	size_t size;                /* sizeof(struct nirq_sim_config) */
	enum nirq_sim_model model;
	struct nirq_sim_faults faults;
};

static inline void nirq_sim_config_init(struct nirq_sim_config *cfg,
					enum nirq_sim_model model)
{
	*cfg = (struct nirq_sim_config){ .size = sizeof(*cfg), .model = model };
}

/**
 * nirq_sim_create() - create one simulated PCI function.
 * Return: 0; -EINVAL for a bad config (unknown model, size); -ENOMEM.
 */
int nirq_sim_create(const struct nirq_sim_config *cfg, struct nirq_platform **out);

/**
 * nirq_sim_config_check() - would nirq_sim_create() accept @cfg? If not, and
 * @len > 0, writes to @why one line naming the field, its value and the
 * rule (e.g. "faults.msix_count = 600: the e1000e's MSI-X table fits at
 * most 512 entries (below its PBA)").
 * Context: any. Return: 0 when @cfg is accepted; -EINVAL.
 */
int nirq_sim_config_check(const struct nirq_sim_config *cfg, char *why, size_t len);

/** nirq_sim_model_parse() - "edu", "e1000e", "e1000" -> model; 0 if unknown. */
enum nirq_sim_model nirq_sim_model_parse(const char *name);
const char *nirq_sim_model_name(enum nirq_sim_model model);

/* ---- test-side driver: what the "hardware" does, and what tests observe ---- */

/**
 * nirq_sim_inject() - the device experiences event(s) @causes, as hardware
 * would (a packet arrived, a transmit completed):
 *   edu:           @causes are ORed into the status register at 0x24 and the
 *                  interrupt is raised (as a driver write to 0x60 would do);
 *   e1000e/e1000:  @causes are ICR bits (RxQ0 bit 20 .. TxQ1 bit 23, Other
 *                  bit 24, TXDW bit 0, ...); they are set in ICR and the
 *                  interrupt logic runs (IMS gating, IVAR routing in MSI-X mode,
 *                  EIAC auto-clear).
 * Delivery follows the PCI rules of the enabled mode (MSI edge, MSI-X mask
 * and PBA, INTx level held until the cause is cleared).
 */
void nirq_sim_inject(struct nirq_platform *pf, uint32_t causes);

/** nirq_sim_spurious() - signal vector @vec with no cause in the device. */
void nirq_sim_spurious(struct nirq_platform *pf, uint32_t vec);

/**
 * nirq_sim_foreign_assert() - a foreign device sharing our INTx line asserts
 * it; it deasserts when the line's ISR chain has run once (line_done), as if
 * its own driver had serviced it.
 */
void nirq_sim_foreign_assert(struct nirq_platform *pf);

/** State observers (MSI-X table entry mask, PBA bit, function mask, line level). */
bool nirq_sim_msix_masked(struct nirq_platform *pf, uint32_t vec);
bool nirq_sim_msix_pending(struct nirq_platform *pf, uint32_t vec);
void nirq_sim_msix_function_mask(struct nirq_platform *pf, bool masked);
bool nirq_sim_line_asserted(struct nirq_platform *pf);

/** nirq_sim_raised() - messages the device raised on @vec so far (delivered or pending). */
uint64_t nirq_sim_raised(struct nirq_platform *pf, uint32_t vec);

/** nirq_sim_current_kind() - what alloc_vectors enabled (NONE when freed). */
enum nirq_intr_kind nirq_sim_current_kind(struct nirq_platform *pf, uint32_t *count);

/**
 * nirq_sim_set_arm_hook() - call @hook(@pf, @arg) once, from inside the next
 * unmask of any vector (the core unmasks each vector when it connects an
 * interrupt, i.e. inside NdisMRegisterInterruptEx). Tests use it to raise an
 * interrupt and step the processors before registration returns.
 */
void nirq_sim_set_arm_hook(struct nirq_platform *pf,
			   void (*hook)(struct nirq_platform *pf, void *arg),
			   void *arg);

#ifdef __cplusplus
}
#endif
#endif /* NIRQ_PLATFORM_SIM_H */
