/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Helpers shared by the sim platform tests: create a device, access its
 * registers and config space through the platform ops, and look at a
 * vector's eventfd without blocking (a non-blocking read; never a sleep).
 */
#ifndef NIRQ_SIM_TEST_H
#define NIRQ_SIM_TEST_H

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include <ndisirq/nirq_platform_sim.h>

/* e1000e / e1000 register offsets and cause bits (82574L datasheet, QEMU). */
#define REG_ICR 0x00c0
#define REG_ICS 0x00c8
#define REG_IMS 0x00d0
#define REG_IMC 0x00d8
#define REG_EIAC 0x00dc
#define REG_IVAR 0x00e4
#define ICR_TXDW 0x00000001u
#define ICR_LSC 0x00000004u
#define ICR_RXT0 0x00000080u
#define ICR_RXQ0 0x00100000u
#define ICR_RXQ1 0x00200000u
#define ICR_TXQ0 0x00400000u
#define ICR_TXQ1 0x00800000u
#define ICR_OTHER 0x01000000u
#define ICR_ASSERTED 0x80000000u
#define IVAR_VALID 0x8u

/* edu registers (QEMU docs/specs/edu.rst). */
#define EDU_ID 0x00
#define EDU_LIVENESS 0x04
#define EDU_FACT 0x08
#define EDU_STATUS 0x20
#define EDU_IRQ_STATUS 0x24
#define EDU_IRQ_RAISE 0x60
#define EDU_IRQ_ACK 0x64

static inline struct nirq_platform *sim_new_faults(enum nirq_sim_model model,
						   const struct nirq_sim_faults *f)
{
	struct nirq_sim_config cfg;
	struct nirq_platform *pf = NULL;

	nirq_sim_config_init(&cfg, model);
	if (f)
		cfg.faults = *f;
	assert_int_equal(nirq_sim_create(&cfg, &pf), 0);
	assert_non_null(pf);
	return pf;
}

static inline struct nirq_platform *sim_new(enum nirq_sim_model model)
{
	return sim_new_faults(model, NULL);
}

static inline void sim_free(struct nirq_platform *pf)
{
	pf->ops->free_vectors(pf);
	pf->ops->destroy(pf);
}

static inline uint32_t rd(struct nirq_platform *pf, uint64_t off)
{
	return pf->ops->mmio_read(pf, 0, off, 4);
}

static inline void wr(struct nirq_platform *pf, uint64_t off, uint32_t val)
{
	pf->ops->mmio_write(pf, 0, off, 4, val);
}

static inline uint32_t cfg_rd(struct nirq_platform *pf, uint32_t off, uint32_t len)
{
	uint32_t v = 0;

	assert_int_equal(pf->ops->config_read(pf, off, &v, len), len);
	return v; /* little-endian host */
}

static inline void cfg_wr(struct nirq_platform *pf, uint32_t off, uint32_t len, uint32_t v)
{
	assert_int_equal(pf->ops->config_write(pf, off, &v, len), len);
}

/* Signals gathered on @fd since the last read; 0 when it is not readable. */
static inline uint64_t fd_signals(int fd)
{
	uint64_t n = 0;

	if (read(fd, &n, sizeof(n)) != (ssize_t)sizeof(n)) {
		assert_int_equal(errno, EAGAIN);
		return 0;
	}
	return n;
}

static inline uint64_t vec_signals(struct nirq_platform *pf, uint32_t vec)
{
	int fd = pf->ops->vector_fd(pf, vec);

	assert_true(fd >= 0);
	return fd_signals(fd);
}

/* Allocate @n vectors of @kind and unmask them all (as the core does on connect). */
static inline void alloc_unmasked(struct nirq_platform *pf, enum nirq_intr_kind kind,
				  uint32_t n)
{
	assert_int_equal(pf->ops->alloc_vectors(pf, kind, n), 0);
	for (uint32_t v = 0; v < n; v++)
		pf->ops->unmask(pf, v);
}

static inline int open_fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

#endif /* NIRQ_SIM_TEST_H */
