/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Register access. A mapped BAR is either direct (VFIO: volatile loads and
 * stores on the mmap'd BAR) or trapped (sim: an inaccessible window whose
 * accesses are forwarded to the device model). The table of mappings is
 * process-wide because NdisReadRegisterUlong has only an address; lookups
 * are lock-free (the ISR path reads registers).
 */
#include <errno.h>
#include <stddef.h>

#include "core.h"

#define MAX_MAPPINGS 64

struct mapping {
	_Atomic(uintptr_t) base;   /* 0 = free slot; published last */
	uint64_t len;
	struct nirq_platform *pf;
	unsigned bar;
	bool direct;
};

static struct mapping maps[MAX_MAPPINGS];

static struct mapping *find(uintptr_t a)
{
	for (unsigned i = 0; i < MAX_MAPPINGS; i++) {
		uintptr_t b = atomic_load_explicit(&maps[i].base, memory_order_acquire);

		if (b && a >= b && a - b < maps[i].len)
			return &maps[i];
	}
	return NULL;
}

int nirq_mmio_map(struct nirq_platform *pf, unsigned bar, void **va)
{
	struct nirq_bar_info info;
	bool direct = false;
	void *base = NULL;
	int err = pf->ops->bar_info(pf, bar, &info);

	if (err)
		return err;
	if (!info.size || info.io)
		return -EINVAL;
	err = pf->ops->map_bar(pf, bar, &base, &direct);
	if (err)
		return err;
	for (unsigned i = 0; i < MAX_MAPPINGS; i++) {
		uintptr_t expect = 0;

		/* Claim the slot with a sentinel, fill it, then publish the base. */
		if (!atomic_compare_exchange_strong(&maps[i].base, &expect, (uintptr_t)1))
			continue;
		maps[i].len = info.size;
		maps[i].pf = pf;
		maps[i].bar = bar;
		maps[i].direct = direct;
		atomic_store_explicit(&maps[i].base, (uintptr_t)base, memory_order_release);
		*va = base;
		return 0;
	}
	pf->ops->unmap_bar(pf, bar, base);
	return -ENOSPC;
}

void nirq_mmio_unmap(void *va)
{
	struct mapping *m = find((uintptr_t)va);

	if (!m || atomic_load(&m->base) != (uintptr_t)va)
		return;
	atomic_store_explicit(&m->base, 0, memory_order_release);
	m->pf->ops->unmap_bar(m->pf, m->bar, va);
}

uint32_t nirq_mmio_read(const volatile void *addr, unsigned size)
{
	struct mapping *m = find((uintptr_t)addr);

	if (m && !m->direct)
		return m->pf->ops->mmio_read(m->pf, m->bar,
					     (uintptr_t)addr - atomic_load(&m->base), size);
	switch (size) {
	case 1: return *(const volatile uint8_t *)addr;
	case 2: return *(const volatile uint16_t *)addr;
	default: return *(const volatile uint32_t *)addr;
	}
}

void nirq_mmio_write(volatile void *addr, unsigned size, uint32_t val)
{
	struct mapping *m = find((uintptr_t)addr);

	if (m && !m->direct) {
		m->pf->ops->mmio_write(m->pf, m->bar,
				       (uintptr_t)addr - atomic_load(&m->base), size, val);
		return;
	}
	switch (size) {
	case 1: *(volatile uint8_t *)addr = (uint8_t)val; break;
	case 2: *(volatile uint16_t *)addr = (uint16_t)val; break;
	default: *(volatile uint32_t *)addr = val; break;
	}
}
