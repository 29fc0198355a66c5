// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Bus-master DMA shims (include/ndis/ndis_dma.h): the scatter/gather DMA
 * registration and shared memory on top of the platform's optional
 * dma_alloc/dma_free. Each adapter tracks its blocks; what MiniportHaltEx
 * (or a failed MiniportInitializeEx) leaves is reported and freed by the
 * host through ndis__dma_release().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ndis.h>

#include <ndisirq/nirq_fault.h>
#include <ndisirq/nirq_platform.h>

#include "ndis/ndis_handle.h"
#include "ndis/ndis_private.h"
#include "os/spin.h"

#define DMA_MAGIC 0x4e444d41u /* "NDMA" */
/* SDV rules of NdisMRegisterScatterGatherDma (its DDI page). */
#define RULE_IRQL "Irql_Gather_DMA_Function"
#define RULE_INIT "Init_RegisterSG"
#define RULE_LEAK "shared memory not freed"
#define RULE_LEFT "scatter/gather DMA not deregistered"
#define RULE_FREE "NdisMFreeSharedMemory"

/* The object behind NdisMiniportDmaHandle. */
struct ndis_dma {
	uint32_t magic;              /* DMA_MAGIC */
	struct nirq_adapter *ad;
	void *handle;                /* its generation-checked handle */
	ULONG flags;                 /* NDIS_SG_DMA_* */
	ULONG max_mapping;           /* MaximumPhysicalMapping */
};

/* One NdisMAllocateSharedMemory block. */
struct shmem {
	struct shmem *next;
	void *va;
	uint64_t iova;
	ULONG length;                /* as requested: what the free must pass */
};

/* Per adapter, created on first use, freed by ndis__dma_release(). */
struct ndis_dma_state {
	struct ndis_dma *reg;        /* (p) the registration, or NULL */
	struct nirq_spin lock;       /* guards blocks (free may run at DISPATCH) */
	struct shmem *blocks;
	unsigned nblocks;
};

static struct ndis_dma_state *state_of(struct nirq_adapter *ad)
{
	if (!ad->dma) {
		ad->dma = nirq_fault_calloc(1, sizeof(*ad->dma));
		if (ad->dma)
			atomic_init(&ad->dma->lock.v, 0);
	}
	return ad->dma;
}

static bool at_passive(struct nirq_adapter *ad, const void *handle, const char *api)
{
	if (nirq_irql_current() == PASSIVE_LEVEL)
		return true;
	nirq_verifier_report(ad->rt, RULE_IRQL, handle, "%s at IRQL %u: it requires "
			     "PASSIVE_LEVEL", api, nirq_irql_current());
	return false;
}

/* ------------------------------------- NdisMRegisterScatterGatherDma */

static NDIS_STATUS check_description(struct nirq_adapter *ad,
				     const NDIS_SG_DMA_DESCRIPTION *d)
{
	const char *api = "NdisMRegisterScatterGatherDma";

	if (d->Header.Type != NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "%s: Header.Type 0x%02x: must be "
			 "NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION (0x83); returning "
			 "NDIS_STATUS_INVALID_PARAMETER", api, d->Header.Type);
		return NDIS_STATUS_INVALID_PARAMETER;
	}
	if (d->Header.Revision != NDIS_SG_DMA_DESCRIPTION_REVISION_1) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "%s: Header.Revision %u: must be "
			 "NDIS_SG_DMA_DESCRIPTION_REVISION_1 (1); returning "
			 "NDIS_STATUS_BAD_VERSION", api, d->Header.Revision);
		return NDIS_STATUS_BAD_VERSION;
	}
	if (d->Header.Size < NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "%s: Header.Size %u: must be >= "
			 "NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1 (%u); returning "
			 "NDIS_STATUS_INVALID_PARAMETER", api, d->Header.Size,
			 (unsigned)NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1);
		return NDIS_STATUS_INVALID_PARAMETER;
	}
	if (d->Flags & ~(ULONG)NDIS_SG_DMA_64_BIT_ADDRESS) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "%s: Flags 0x%x: only "
			 "NDIS_SG_DMA_64_BIT_ADDRESS (0x1) is defined; returning "
			 "NDIS_STATUS_INVALID_PARAMETER", api, (unsigned)d->Flags);
		return NDIS_STATUS_INVALID_PARAMETER;
	}
	if (!(ad->attribute_flags & NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER)) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "%s: the adapter is not a bus master: "
			 "set NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER (0x40) in the "
			 "registration attributes' AttributeFlags; returning "
			 "NDIS_STATUS_NOT_SUPPORTED", api);
		return NDIS_STATUS_NOT_SUPPORTED;
	}
	return NDIS_STATUS_SUCCESS;
}

/* Outside MiniportInitializeEx, above PASSIVE, or twice: a verifier report. */
static bool registration_allowed(struct nirq_adapter *ad)
{
	const char *api = "NdisMRegisterScatterGatherDma";

	if (!at_passive(ad, ad, api))
		return false;
	if (ad->state != NDIS_ADAPTER_INITIALIZING) {
		nirq_verifier_report(ad->rt, RULE_INIT, ad, "%s outside "
				     "MiniportInitializeEx; returning NDIS_STATUS_FAILURE",
				     api);
		return false;
	}
	if (ad->dma && ad->dma->reg) {
		nirq_verifier_report(ad->rt, RULE_INIT, ad, "%s: the adapter already "
				     "has a scatter/gather DMA registration (handle %p); "
				     "returning NDIS_STATUS_FAILURE", api,
				     ad->dma->reg->handle);
		return false;
	}
	return true;
}

NDIS_STATUS NdisMRegisterScatterGatherDma(NDIS_HANDLE MiniportAdapterHandle,
					  PNDIS_SG_DMA_DESCRIPTION DmaDescription,
					  PNDIS_HANDLE NdisMiniportDmaHandle)
{
	struct nirq_adapter *ad = ndis__adapter_from_handle(MiniportAdapterHandle,
							    "NdisMRegisterScatterGatherDma");
	struct ndis_dma_state *st;
	struct ndis_dma *dma;
	NDIS_STATUS status;

	if (NdisMiniportDmaHandle)
		*NdisMiniportDmaHandle = NULL;
	if (!ad)
		return NDIS_STATUS_FAILURE;
	if (!DmaDescription || !NdisMiniportDmaHandle) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "NdisMRegisterScatterGatherDma: %s is "
			 "NULL; returning NDIS_STATUS_INVALID_PARAMETER",
			 DmaDescription ? "NdisMiniportDmaHandle" : "DmaDescription");
		return NDIS_STATUS_INVALID_PARAMETER;
	}
	if (!registration_allowed(ad))
		return NDIS_STATUS_FAILURE;
	status = check_description(ad, DmaDescription);
	if (status != NDIS_STATUS_SUCCESS)
		return status;
	st = state_of(ad);
	dma = nirq_fault_calloc(1, sizeof(*dma));
	if (dma)
		dma->handle = ndis__handle_alloc(dma);
	if (!st || !dma || !dma->handle) {
		free(dma);
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "NdisMRegisterScatterGatherDma: out of "
			 "memory; returning NDIS_STATUS_RESOURCES");
		return NDIS_STATUS_RESOURCES;
	}
	dma->magic = DMA_MAGIC;
	dma->ad = ad;
	dma->flags = DmaDescription->Flags;
	dma->max_mapping = DmaDescription->MaximumPhysicalMapping;
	st->reg = dma;
	DmaDescription->ScatterGatherListSize = 0; /* no S/G lists are built */
	*NdisMiniportDmaHandle = dma->handle;
	return NDIS_STATUS_SUCCESS;
}

static void dma_destroy(struct ndis_dma *dma)
{
	dma->ad->dma->reg = NULL;
	ndis__handle_free(dma->handle);
	dma->magic = 0;
	free(dma);
}

VOID NdisMDeregisterScatterGatherDma(NDIS_HANDLE NdisMiniportDmaHandle)
{
	struct ndis_dma *dma = ndis__handle_lookup(NdisMiniportDmaHandle);

	if (!dma || dma->magic != DMA_MAGIC) {
		nirq_verifier_report(nirq_rt_current(), RULE_INIT, NdisMiniportDmaHandle,
				     "NdisMDeregisterScatterGatherDma: not a live handle "
				     "from NdisMRegisterScatterGatherDma; ignored");
		return;
	}
	if (!at_passive(dma->ad, NdisMiniportDmaHandle, "NdisMDeregisterScatterGatherDma"))
		return;
	dma_destroy(dma);
}

/* ------------------------------------------------ shared memory */

/* May an allocation be made now? If not, the reason is reported or logged. */
static bool allocation_allowed(struct nirq_adapter *ad, ULONG length)
{
	const char *api = "NdisMAllocateSharedMemory";

	if (!at_passive(ad, ad, api))
		return false;
	if (ad->state != NDIS_ADAPTER_INITIALIZING) {
		nirq_verifier_report(ad->rt, RULE_INIT, ad, "%s outside "
				     "MiniportInitializeEx; VirtualAddress is NULL", api);
		return false;
	}
	if (!ad->dma || !ad->dma->reg) {
		nirq_verifier_report(ad->rt, RULE_INIT, ad, "%s before "
				     "NdisMRegisterScatterGatherDma: a bus-master miniport "
				     "registers scatter/gather DMA first; VirtualAddress "
				     "is NULL", api);
		return false;
	}
	if (!length) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "%s: Length is 0; VirtualAddress is "
			 "NULL", api);
		return false;
	}
	if (!ad->pf->ops->dma_alloc || !ad->pf->ops->dma_free) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "%s: the %s platform provides no "
			 "device-reachable memory (no dma_alloc); VirtualAddress is "
			 "NULL", api, ad->pf->ops->name);
		return false;
	}
	return true;
}

/* A block a 32-bit NIC cannot reach is no use to it. */
static bool reachable(struct nirq_adapter *ad, uint64_t iova, ULONG length)
{
	if ((ad->dma->reg->flags & NDIS_SG_DMA_64_BIT_ADDRESS) ||
	    iova + length <= (1ull << 32))
		return true;
	nirq_log(ad->rt, NIRQ_LOG_ERROR, "NdisMAllocateSharedMemory: the platform "
		 "gave device address 0x%llx, above 4 GiB, and the scatter/gather DMA "
		 "registration has no NDIS_SG_DMA_64_BIT_ADDRESS; VirtualAddress is "
		 "NULL", (unsigned long long)iova);
	return false;
}

VOID NdisMAllocateSharedMemory(NDIS_HANDLE MiniportAdapterHandle, ULONG Length,
			       BOOLEAN Cached, PVOID *VirtualAddress,
			       PNDIS_PHYSICAL_ADDRESS PhysicalAddress)
{
	struct nirq_adapter *ad = ndis__adapter_from_handle(MiniportAdapterHandle,
							    "NdisMAllocateSharedMemory");
	struct shmem *b;
	void *va = NULL;
	uint64_t iova = 0;
	int rc;

	(void)Cached;
	if (VirtualAddress)
		*VirtualAddress = NULL;
	if (PhysicalAddress)
		PhysicalAddress->QuadPart = 0;
	if (!ad)
		return;
	if (!VirtualAddress || !PhysicalAddress) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "NdisMAllocateSharedMemory: %s is NULL; "
			 "nothing allocated", VirtualAddress ? "PhysicalAddress"
			 : "VirtualAddress");
		return;
	}
	if (!allocation_allowed(ad, Length))
		return;
	b = nirq_fault_calloc(1, sizeof(*b));
	rc = b ? ad->pf->ops->dma_alloc(ad->pf, Length, &va, &iova) : -ENOMEM;
	if (rc) {
		free(b);
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "NdisMAllocateSharedMemory: Length %u: "
			 "%s; VirtualAddress is NULL", (unsigned)Length, strerror(-rc));
		return;
	}
	if (!reachable(ad, iova, Length)) {
		ad->pf->ops->dma_free(ad->pf, va, Length);
		free(b);
		return;
	}
	*b = (struct shmem){ .va = va, .iova = iova, .length = Length };
	nirq__spin_lock(&ad->dma->lock);
	b->next = ad->dma->blocks;
	ad->dma->blocks = b;
	ad->dma->nblocks++;
	nirq__spin_unlock(&ad->dma->lock);
	*VirtualAddress = va;
	PhysicalAddress->QuadPart = (LONGLONG)iova;
}

/* Unlink the block at @va, or return NULL. */
static struct shmem *take_block(struct ndis_dma_state *st, const void *va)
{
	struct shmem **pp, *b = NULL;

	nirq__spin_lock(&st->lock);
	for (pp = &st->blocks; *pp; pp = &(*pp)->next) {
		if ((*pp)->va != va)
			continue;
		b = *pp;
		*pp = b->next;
		st->nblocks--;
		break;
	}
	nirq__spin_unlock(&st->lock);
	return b;
}

VOID NdisMFreeSharedMemory(NDIS_HANDLE MiniportAdapterHandle, ULONG Length,
			   BOOLEAN Cached, PVOID VirtualAddress,
			   NDIS_PHYSICAL_ADDRESS PhysicalAddress)
{
	struct nirq_adapter *ad = ndis__adapter_from_handle(MiniportAdapterHandle,
							    "NdisMFreeSharedMemory");
	struct shmem *b;

	(void)Cached;
	if (!ad)
		return;
	if (nirq_irql_current() > DISPATCH_LEVEL) {
		nirq_verifier_report(ad->rt, RULE_IRQL, ad, "NdisMFreeSharedMemory at "
				     "IRQL %u: it requires IRQL <= DISPATCH_LEVEL; not freed",
				     nirq_irql_current());
		return;
	}
	b = ad->dma ? take_block(ad->dma, VirtualAddress) : NULL;
	if (!b) {
		nirq_verifier_report(ad->rt, RULE_FREE, ad, "VirtualAddress %p was not "
				     "returned by NdisMAllocateSharedMemory for this "
				     "adapter (or is freed already); ignored", VirtualAddress);
		return;
	}
	if (b->length != Length || b->iova != (uint64_t)PhysicalAddress.QuadPart)
		nirq_verifier_report(ad->rt, RULE_FREE, ad, "block %p: Length %u and "
				     "PhysicalAddress 0x%llx do not match the allocation "
				     "(Length %u, PhysicalAddress 0x%llx); freeing the "
				     "allocation", VirtualAddress, (unsigned)Length,
				     (unsigned long long)PhysicalAddress.QuadPart,
				     (unsigned)b->length, (unsigned long long)b->iova);
	ad->pf->ops->dma_free(ad->pf, b->va, b->length);
	free(b);
}

/* ------------------------------------------------------ the host */

void ndis__dma_release(struct nirq_adapter *ad, const char *when)
{
	struct ndis_dma_state *st = ad->dma;
	struct shmem *b;

	if (!st)
		return;
	while ((b = take_block(st, st->blocks ? st->blocks->va : NULL))) {
		nirq_verifier_report(ad->rt, RULE_LEAK, ad, "%s with shared memory "
				     "block %p (Length %u, PhysicalAddress 0x%llx) still "
				     "allocated; the miniport must NdisMFreeSharedMemory "
				     "it (the host frees it now)", when, b->va,
				     (unsigned)b->length, (unsigned long long)b->iova);
		ad->pf->ops->dma_free(ad->pf, b->va, b->length);
		free(b);
	}
	if (st->reg) {
		nirq_verifier_report(ad->rt, RULE_LEFT, ad, "%s with scatter/gather DMA "
				     "registered (handle %p); the miniport must call "
				     "NdisMDeregisterScatterGatherDma (the host deregisters "
				     "it now)", when, st->reg->handle);
		dma_destroy(st->reg);
	}
	free(st);
	ad->dma = NULL;
}
