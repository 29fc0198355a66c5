/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * NDIS surface: helpers miniport interrupt code calls (spec/
 * ndis-miniport-subset.md §6.2, §7): register access, spin locks,
 * interlocked counters, events, delays, IRQL and processor queries,
 * memory, NdisGetVersion.
 *
 * Register access goes through the runtime (nirq_mmio_read/write), never
 * through a plain load or store: the simulated device's BAR window is not
 * readable memory, and its model must see every access.
 */
#ifndef NDIS_HELPERS_H
#define NDIS_HELPERS_H

#include <string.h>

#include "ndis_types.h"
#include "ndis_wdm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------- register access */

/*
 * The runtime's register access (declared identically in
 * <ndisirq/ndisirq.h>; repeated here so miniport code needs only <ndis.h>).
 */
NDIS_API uint32_t nirq_mmio_read(const volatile void *addr, unsigned size);
NDIS_API void nirq_mmio_write(volatile void *addr, unsigned size, uint32_t val);

FORCEINLINE UCHAR READ_REGISTER_UCHAR(_In_ volatile UCHAR *Register)
{
	return (UCHAR)nirq_mmio_read(Register, 1);
}
FORCEINLINE USHORT READ_REGISTER_USHORT(_In_ volatile USHORT *Register)
{
	return (USHORT)nirq_mmio_read(Register, 2);
}
FORCEINLINE ULONG READ_REGISTER_ULONG(_In_ volatile ULONG *Register)
{
	return (ULONG)nirq_mmio_read(Register, 4);
}
FORCEINLINE VOID WRITE_REGISTER_UCHAR(_In_ volatile UCHAR *Register, _In_ UCHAR Value)
{
	nirq_mmio_write(Register, 1, Value);
}
FORCEINLINE VOID WRITE_REGISTER_USHORT(_In_ volatile USHORT *Register, _In_ USHORT Value)
{
	nirq_mmio_write(Register, 2, Value);
}
FORCEINLINE VOID WRITE_REGISTER_ULONG(_In_ volatile ULONG *Register, _In_ ULONG Value)
{
	nirq_mmio_write(Register, 4, Value);
}

/* The WDK's x64 shapes: reads cast Register, writes pass it uncast. */
#define NdisReadRegisterUchar(Register, Data) \
	(*(Data) = READ_REGISTER_UCHAR((PUCHAR)(Register)))
#define NdisReadRegisterUshort(Register, Data) \
	(*(Data) = READ_REGISTER_USHORT((PUSHORT)(Register)))
#define NdisReadRegisterUlong(Register, Data) \
	(*(Data) = READ_REGISTER_ULONG((PULONG)(Register)))
#define NdisWriteRegisterUchar(Register, Data) WRITE_REGISTER_UCHAR((Register), (Data))
#define NdisWriteRegisterUshort(Register, Data) WRITE_REGISTER_USHORT((Register), (Data))
#define NdisWriteRegisterUlong(Register, Data) WRITE_REGISTER_ULONG((Register), (Data))

/* ------------------------------------------------------------- memory */

#define RtlEqualMemory(Destination, Source, Length) (!memcmp((Destination), (Source), (Length)))
#define RtlMoveMemory(Destination, Source, Length) memmove((Destination), (Source), (Length))
#define RtlCopyMemory(Destination, Source, Length) memcpy((Destination), (Source), (Length))
#define RtlFillMemory(Destination, Length, Fill) memset((Destination), (Fill), (Length))
#define RtlZeroMemory(Destination, Length) memset((Destination), 0, (Length))

/* NdisMoveMemory is memmove (the WDK's memcpy forbids overlap; memmove allows it). */
#define NdisMoveMemory(Destination, Source, Length) memmove((Destination), (Source), (Length))
#define NdisZeroMemory(Destination, Length) memset((Destination), 0, (Length))
#define NdisEqualMemory(Source1, Source2, Length) RtlEqualMemory(Source1, Source2, Length)
#define NdisFillMemory(Destination, Length, Fill) RtlFillMemory(Destination, Length, Fill)
#define NdisMoveMappedMemory(Destination, Source, Length) RtlCopyMemory(Destination, Source, Length)
#define NdisZeroMappedMemory(Destination, Length) RtlZeroMemory(Destination, Length)

#define NDIS_MEMORY_CONTIGUOUS 0x00000001
#define NDIS_MEMORY_NONCACHED 0x00000002

/*
 * NdisAllocateMemoryWithTagPriority - non-paged memory (malloc). Length 0
 * returns NULL. Context: <= DISPATCH_LEVEL. Return: the block or NULL.
 */
_Must_inspect_result_ _IRQL_requires_max_(DISPATCH_LEVEL)
EXPORT NDIS_API PVOID
NdisAllocateMemoryWithTagPriority(_In_ NDIS_HANDLE NdisHandle,
				  _In_ UINT Length,
				  _In_ ULONG Tag,
				  _In_ EX_POOL_PRIORITY Priority);

/* NdisFreeMemory - free memory from the allocator above (MemoryFlags 0; Length ignored). */
EXPORT NDIS_API VOID
NdisFreeMemory(_In_reads_bytes_(Length) PVOID VirtualAddress,
	       _In_ UINT Length,
	       _In_ UINT MemoryFlags);

/* NdisFreeMemoryWithTagPriority - free memory from NdisAllocateMemoryWithTagPriority. */
EXPORT NDIS_API VOID
NdisFreeMemoryWithTagPriority(_In_ NDIS_HANDLE NdisHandle,
			      _In_ PVOID VirtualAddress,
			      _In_ ULONG Tag);

/* -------------------------------------------------------- IRQL, CPUs */

/* KeGetCurrentIrql - the calling thread's emulated IRQL. Context: any. */
_IRQL_requires_max_(HIGH_LEVEL) _IRQL_saves_
NDIS_API KIRQL KeGetCurrentIrql(VOID);

/*
 * KeGetCurrentProcessorNumberEx - the logical processor the caller runs on
 * (group 0); on a passive thread, the host CPU (mod 64). Fills *ProcNumber
 * if non-NULL. Context: any.
 */
NTKERNELAPI NDIS_API ULONG
KeGetCurrentProcessorNumberEx(_Out_opt_ PPROCESSOR_NUMBER ProcNumber);

#ifdef _WIN64
#define NDIS_MAX_PROCESSOR_COUNT 64
#else
#define NDIS_MAX_PROCESSOR_COUNT 64 /* LP64 host: always the 64-bit value */
#endif

/* NdisSystemProcessorCount - logical processors of the runtime. Context: any. */
_IRQL_requires_max_(HIGH_LEVEL)
EXPORT NDIS_API CCHAR NdisSystemProcessorCount(VOID);

/* NdisSystemActiveProcessorCount - the same; *ActiveProcessors gets their mask. */
EXPORT NDIS_API ULONG NdisSystemActiveProcessorCount(PKAFFINITY ActiveProcessors);

#if NDIS_SUPPORT_NDIS620
/* One processor group (0). ALL_PROCESSOR_GROUPS counts as group 0. Context: any. */
EXPORT NDIS_API USHORT NdisActiveGroupCount(VOID);
EXPORT NDIS_API USHORT NdisMaxGroupCount(VOID);
EXPORT NDIS_API ULONG NdisGroupMaxProcessorCount(USHORT Group);
EXPORT NDIS_API ULONG NdisGroupActiveProcessorCount(USHORT Group);
EXPORT NDIS_API KAFFINITY NdisGroupActiveProcessorMask(USHORT Group);
EXPORT NDIS_API PROCESSOR_NUMBER NdisCurrentGroupAndProcessor(VOID);

FORCEINLINE ULONG NdisCurrentProcessorIndex(VOID)
{
	return KeGetCurrentProcessorNumberEx(NULL);
}
#endif

/* NdisGetVersion - NDIS_RUNTIME_VERSION_682. Context: <= DISPATCH_LEVEL. */
_IRQL_requires_max_(DISPATCH_LEVEL)
EXPORT NDIS_API UINT NdisGetVersion(VOID);

/* ------------------------------------------------------------ delays */

/* NdisMSleep - block for at least MicrosecondsToSleep. Context: < DISPATCH_LEVEL. */
_IRQL_requires_max_(APC_LEVEL)
EXPORT NDIS_API VOID NdisMSleep(_In_ ULONG MicrosecondsToSleep);

/* KeStallExecutionProcessor - busy-wait MicroSeconds. Context: any. */
NTKERNELAPI NDIS_API VOID KeStallExecutionProcessor(_In_ ULONG MicroSeconds);

#define NdisStallExecution(MicroSecondsToStall) KeStallExecutionProcessor(MicroSecondsToStall)

/* --------------------------------------------------------- spin locks */

typedef struct _NDIS_SPIN_LOCK {
	KSPIN_LOCK SpinLock;
	KIRQL OldIrql;
} NDIS_SPIN_LOCK, *PNDIS_SPIN_LOCK;

/* NdisAllocateSpinLock - initialize (released). Context: any. */
_IRQL_requires_max_(HIGH_LEVEL)
EXPORT NDIS_API VOID NdisAllocateSpinLock(_Out_ PNDIS_SPIN_LOCK SpinLock);

/* NdisFreeSpinLock - nothing to release; allocate again before reuse. Context: any. */
_IRQL_requires_max_(HIGH_LEVEL)
EXPORT NDIS_API VOID NdisFreeSpinLock(_In_ PNDIS_SPIN_LOCK SpinLock);

/* NdisAcquireSpinLock - raise to DISPATCH_LEVEL, save the old IRQL in the lock, spin. Context: <= DISPATCH. */
EXPORT NDIS_API VOID NdisAcquireSpinLock(_Inout_ PNDIS_SPIN_LOCK SpinLock);

/* NdisReleaseSpinLock - release, restore the IRQL saved in the lock. Context: DISPATCH. */
EXPORT NDIS_API VOID NdisReleaseSpinLock(_Inout_ PNDIS_SPIN_LOCK SpinLock);

/* NdisDprAcquireSpinLock - spin without changing IRQL. Context: DISPATCH only. */
EXPORT NDIS_API VOID NdisDprAcquireSpinLock(_Inout_ PNDIS_SPIN_LOCK SpinLock);

/* NdisDprReleaseSpinLock - pairs with NdisDprAcquireSpinLock. Context: DISPATCH. */
EXPORT NDIS_API VOID NdisDprReleaseSpinLock(_Inout_ PNDIS_SPIN_LOCK SpinLock);

/* ExInterlockedAddUlong - *Addend += Increment under Lock; returns the old value. */
NTKERNELAPI NDIS_API ULONG FASTCALL
ExInterlockedAddUlong(_Inout_ PULONG Addend, _In_ ULONG Increment, _Inout_ PKSPIN_LOCK Lock);

/* ------------------------------------------------------- interlocked */

/* InterlockedIncrement/Decrement - atomic; return the new value. Context: any. */
FORCEINLINE LONG InterlockedIncrement(_Inout_ LONG volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
FORCEINLINE LONG InterlockedDecrement(_Inout_ LONG volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
FORCEINLINE LONG InterlockedExchange(_Inout_ LONG volatile *Target, _In_ LONG Value)
{
	return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}
FORCEINLINE LONG InterlockedCompareExchange(_Inout_ LONG volatile *Destination,
					    _In_ LONG Exchange, _In_ LONG Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, Exchange, 0, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return Comperand;
}

#define NdisInterlockedIncrement(Addend) InterlockedIncrement(Addend)
#define NdisInterlockedDecrement(Addend) InterlockedDecrement(Addend)
#define NdisInterlockedAddUlong(_Addend, _Increment, _SpinLock) \
	ExInterlockedAddUlong(_Addend, _Increment, &(_SpinLock)->SpinLock)

/* ------------------------------------------------------------ events */

typedef struct _NDIS_EVENT {
	KEVENT Event;
} NDIS_EVENT, *PNDIS_EVENT;

/* NdisInitializeEvent - a notification (manual-reset) event, not signalled. Context: <= DISPATCH. */
_IRQL_requires_max_(DISPATCH_LEVEL)
EXPORT NDIS_API VOID NdisInitializeEvent(_Out_ PNDIS_EVENT Event);

/* NdisSetEvent - signal; releases every waiter; stays signalled. Context: <= DISPATCH. */
_IRQL_requires_max_(DISPATCH_LEVEL)
EXPORT NDIS_API VOID NdisSetEvent(_In_ PNDIS_EVENT Event);

/* NdisResetEvent - back to not signalled. Context: <= DISPATCH. */
_IRQL_requires_max_(DISPATCH_LEVEL)
EXPORT NDIS_API VOID NdisResetEvent(_In_ PNDIS_EVENT Event);

/*
 * NdisWaitEvent - wait until signalled or MsToWait milliseconds (0 =
 * forever). Context: PASSIVE_LEVEL.
 * Return: TRUE if the event was signalled, FALSE on time-out.
 */
_When_(MsToWait != 0, _Check_return_) _IRQL_requires_(PASSIVE_LEVEL)
EXPORT NDIS_API BOOLEAN NdisWaitEvent(_In_ PNDIS_EVENT Event, _In_ UINT MsToWait);

#ifdef __cplusplus
}
#endif
#endif /* NDIS_HELPERS_H */
