/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Style tier, linkage: takes the address of every function the NDIS headers
 * declare (check_linkage_list.cmake keeps this table complete) and links
 * against libndisirq, so a declaration without an exported definition (a
 * missing shim, or a symbol left hidden) fails the build. The register and
 * memory macros are expanded in a function that is linked but not run.
 */
#include <stdio.h>

#include <ndis.h>

struct entry {
	const char *name;
	void (*fn)(void);
};

#define E(f) { #f, (void (*)(void))(f) }

/* Expands the function-like macros of <ndis.h>; never called. */
static void use_macros(void)
{
	static volatile ULONG reg32;
	static volatile USHORT reg16;
	static volatile UCHAR reg8;
	ULONG u32;
	USHORT u16;
	UCHAR u8;
	LONG counter = 0;
	ULONG sum = 0;
	NDIS_SPIN_LOCK lock;
	UCHAR buf[4];

	NdisReadRegisterUlong(&reg32, &u32);
	NdisReadRegisterUshort(&reg16, &u16);
	NdisReadRegisterUchar(&reg8, &u8);
	NdisWriteRegisterUlong(&reg32, u32);
	NdisWriteRegisterUshort(&reg16, u16);
	NdisWriteRegisterUchar(&reg8, u8);
	NdisInterlockedIncrement(&counter);
	NdisInterlockedDecrement(&counter);
	NdisAllocateSpinLock(&lock);
	NdisInterlockedAddUlong(&sum, 1, &lock);
	NdisZeroMemory(buf, sizeof(buf));
	NdisMoveMemory(buf, buf + 1, 2);
	NdisStallExecution(1);
	(void)NdisCurrentProcessorIndex();
}

static const struct entry entries[] = {
	/* ndis_interrupt.h (lead: src/ndis/ndis_interrupt.c) */
	E(NdisMRegisterInterruptEx),
	E(NdisMDeregisterInterruptEx),
	E(NdisMSynchronizeWithInterruptEx),
	E(NdisMQueueDpc),
	E(NdisMQueueDpcEx),
	/* ndis_miniport.h (host: src/ndis/ndis_miniport.c) */
	E(NdisMRegisterMiniportDriver),
	E(NdisMDeregisterMiniportDriver),
	E(NdisMSetMiniportAttributes),
	E(NdisMMapIoSpace),
	E(NdisMUnmapIoSpace),
	E(NdisMGetBusData),
	E(NdisMSetBusData),
	E(NdisSetOptionalHandlers),
	/* ndis_dma.h (traffic: src/ndis/ndis_dma.c) */
	E(NdisMRegisterScatterGatherDma),
	E(NdisMDeregisterScatterGatherDma),
	E(NdisMAllocateSharedMemory),
	E(NdisMFreeSharedMemory),
	/* ndis_helpers.h (src/ndis/ndis_helpers.c; nirq_mmio_* in src/core) */
	E(nirq_mmio_read),
	E(nirq_mmio_write),
	E(NdisAllocateMemoryWithTagPriority),
	E(NdisFreeMemory),
	E(NdisFreeMemoryWithTagPriority),
	E(KeGetCurrentIrql),
	E(KeGetCurrentProcessorNumberEx),
	E(NdisSystemProcessorCount),
	E(NdisSystemActiveProcessorCount),
	E(NdisActiveGroupCount),
	E(NdisMaxGroupCount),
	E(NdisGroupMaxProcessorCount),
	E(NdisGroupActiveProcessorCount),
	E(NdisGroupActiveProcessorMask),
	E(NdisCurrentGroupAndProcessor),
	E(NdisGetVersion),
	E(NdisMSleep),
	E(KeStallExecutionProcessor),
	E(NdisAllocateSpinLock),
	E(NdisFreeSpinLock),
	E(NdisAcquireSpinLock),
	E(NdisReleaseSpinLock),
	E(NdisDprAcquireSpinLock),
	E(NdisDprReleaseSpinLock),
	E(ExInterlockedAddUlong),
	E(NdisInitializeEvent),
	E(NdisSetEvent),
	E(NdisResetEvent),
	E(NdisWaitEvent),
	/* the macro expansions above */
	E(use_macros),
};

int main(void)
{
	size_t n = sizeof(entries) / sizeof(entries[0]), missing = 0;

	for (size_t i = 0; i < n; i++) {
		if (!entries[i].fn) {
			printf("not linked: %s\n", entries[i].name);
			missing++;
		}
	}
	printf("%zu passed, %zu failed\n", n - missing, missing);
	return missing ? 1 : 0;
}
