// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The sim backend's device-reachable memory (platform ops dma_alloc and
 * dma_free): zeroed anonymous pages, each block given a device address from
 * a process-wide window below 4 GiB so that 32-bit DMA registrations work.
 * The sim device models do not process descriptors (docs/architecture.md):
 * nothing on the device side ever reads or writes this memory, so the
 * device address is only a number to program into a register.
 */
#include <errno.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <unistd.h>

#include <ndisirq/nirq_fault.h>

#include "sim.h"

/* Device addresses: [1 GiB, 4 GiB), handed out once (never reused). */
#define SIM_IOVA_BASE 0x40000000ull
#define SIM_IOVA_END 0x100000000ull

static _Atomic uint64_t next_iova = SIM_IOVA_BASE;

static size_t page_round(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return (size + page - 1) / page * page;
}

/* Reserve @len bytes of device address space; 0 when it is used up. */
static uint64_t iova_take(uint64_t len)
{
	uint64_t old = atomic_load(&next_iova);

	do {
		if (old + len > SIM_IOVA_END)
			return 0;
	} while (!atomic_compare_exchange_weak(&next_iova, &old, old + len));
	return old;
}

int nirq__sim_dma_alloc(struct nirq_platform *pf, size_t size, void **va, uint64_t *iova)
{
	size_t len;
	uint64_t addr;
	void *p;

	if (!nirq__sim_from(pf) || !size || !va || !iova)
		return -EINVAL;
	len = page_round(size);
	if (len < size)
		return -ENOMEM;
	if (nirq_fault_should_fail(NIRQ_FAULT_ALLOC))
		return -ENOMEM;
	addr = iova_take(len);
	if (!addr)
		return -ENOSPC;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	*va = p;
	*iova = addr;
	return 0;
}

void nirq__sim_dma_free(struct nirq_platform *pf, void *va, size_t size)
{
	if (!nirq__sim_from(pf) || !va || !size)
		return;
	munmap(va, page_round(size));
}
