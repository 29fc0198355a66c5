/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * NDIS surface: bus-master DMA for miniports (WDK 10.0.17763 ndis.h):
 * scatter/gather DMA registration and shared memory, the memory a NIC's
 * descriptor rings and packet buffers live in.
 *
 * NdisMAllocateSharedMemory gives the CPU's view (VirtualAddress) and the
 * address to program into the device (PhysicalAddress: the platform's
 * device address, an IOVA mapped through the IOMMU on VFIO). As on
 * Windows, the miniport must set NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER in its
 * registration attributes and call NdisMRegisterScatterGatherDma first.
 * Scatter/gather lists for NET_BUFFERs (NdisMAllocateNetBufferSGList) are
 * not implemented: there is no data path; MiniportProcessSGList is stored
 * and never called.
 */
#ifndef NDIS_DMA_H
#define NDIS_DMA_H

#include "ndis_types.h"
#include "ndis_wdm.h"

#ifdef __cplusplus
extern "C" {
#endif

#if NDIS_SUPPORT_NDIS6

/* Opaque here: no scatter/gather list is ever built. */
typedef struct _SCATTER_GATHER_LIST SCATTER_GATHER_LIST, *PSCATTER_GATHER_LIST;

typedef
_IRQL_requires_(DISPATCH_LEVEL)
_Function_class_(MINIPORT_PROCESS_SG_LIST)
VOID
(MINIPORT_PROCESS_SG_LIST)(
	_In_ PDEVICE_OBJECT pDO,
	_In_ PVOID Reserved,
	_In_ PSCATTER_GATHER_LIST pSGL,
	_In_ PVOID Context);
typedef MINIPORT_PROCESS_SG_LIST (*MINIPORT_PROCESS_SG_LIST_HANDLER);

typedef
_IRQL_requires_(DISPATCH_LEVEL)
_Function_class_(MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE)
VOID
(MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE)(
	_In_ NDIS_HANDLE MiniportAdapterContext,
	_In_ PVOID VirtualAddress,
	_In_ PNDIS_PHYSICAL_ADDRESS PhysicalAddress,
	_In_ ULONG Length,
	_In_ PVOID Context);
typedef MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE (*MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE_HANDLER);

/* NDIS_SG_DMA_DESCRIPTION.Flags: the NIC can address 64 bits; else 32. */
#define NDIS_SG_DMA_64_BIT_ADDRESS 0x00000001

#define NDIS_SG_DMA_DESCRIPTION_REVISION_1 1

typedef struct _NDIS_SG_DMA_DESCRIPTION {
	NDIS_OBJECT_HEADER Header;   /* 0x83, revision 1 */
	ULONG Flags;
	ULONG MaximumPhysicalMapping;
	MINIPORT_PROCESS_SG_LIST_HANDLER ProcessSGListHandler;
	MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE_HANDLER SharedMemAllocateCompleteHandler;
	ULONG ScatterGatherListSize; /* out */
} NDIS_SG_DMA_DESCRIPTION, *PNDIS_SG_DMA_DESCRIPTION;

#define NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_SG_DMA_DESCRIPTION, ScatterGatherListSize)

/*
 * NdisMRegisterScatterGatherDma - register the adapter as a bus-master DMA
 * device; required before NdisMAllocateSharedMemory. Call it from
 * MiniportInitializeEx after NdisMSetMiniportAttributes with
 * NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER. Sets ScatterGatherListSize (0: no
 * scatter/gather lists here). Context: PASSIVE_LEVEL.
 * Return: NDIS_STATUS_SUCCESS; _NOT_SUPPORTED (not a bus master);
 * _BAD_VERSION (Header.Revision); _INVALID_PARAMETER; _RESOURCES; _FAILURE.
 */
_Must_inspect_result_ _IRQL_requires_(PASSIVE_LEVEL)
EXPORT NDIS_API NDIS_STATUS
NdisMRegisterScatterGatherDma(_In_ NDIS_HANDLE MiniportAdapterHandle,
			      _Inout_ PNDIS_SG_DMA_DESCRIPTION DmaDescription,
			      _Out_ PNDIS_HANDLE NdisMiniportDmaHandle);

/*
 * NdisMDeregisterScatterGatherDma - undo the registration, in MiniportHaltEx
 * (or on MiniportInitializeEx's failure path). Context: PASSIVE_LEVEL.
 */
_IRQL_requires_(PASSIVE_LEVEL)
EXPORT NDIS_API VOID
NdisMDeregisterScatterGatherDma(_In_ NDIS_HANDLE NdisMiniportDmaHandle);

/*
 * NdisMAllocateSharedMemory - @Length bytes of zeroed memory reachable by
 * the device. *VirtualAddress is NULL on failure (the reason is logged).
 * Cached is ignored (cached memory, as on x86-64 Windows). Context:
 * PASSIVE_LEVEL, inside MiniportInitializeEx.
 */
_IRQL_requires_(PASSIVE_LEVEL)
EXPORT NDIS_API VOID
NdisMAllocateSharedMemory(_In_ NDIS_HANDLE MiniportAdapterHandle,
			  _In_ ULONG Length,
			  _In_ BOOLEAN Cached,
			  _Outptr_result_bytebuffer_(Length) PVOID *VirtualAddress,
			  _Out_ PNDIS_PHYSICAL_ADDRESS PhysicalAddress);

/*
 * NdisMFreeSharedMemory - free a whole NdisMAllocateSharedMemory block,
 * with the Length, VirtualAddress and PhysicalAddress it was given.
 * Context: IRQL <= DISPATCH_LEVEL.
 */
_IRQL_requires_max_(DISPATCH_LEVEL)
EXPORT NDIS_API VOID
NdisMFreeSharedMemory(_In_ NDIS_HANDLE MiniportAdapterHandle,
		      _In_ ULONG Length,
		      _In_ BOOLEAN Cached,
		      _In_reads_bytes_(Length) PVOID VirtualAddress,
		      _In_ NDIS_PHYSICAL_ADDRESS PhysicalAddress);

#endif /* NDIS_SUPPORT_NDIS6 */

#ifdef __cplusplus
}
#endif

#endif /* NDIS_DMA_H */
