/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * NDIS surface: the NDIS 6 miniport interrupt API (spec/ndis-interrupts.md
 * §3-§8, §10.3): handler role types, NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS,
 * NdisMRegisterInterruptEx and friends, DPC queueing, the receive throttle.
 *
 * Context: as on Windows. ISRs and enable/disable/synchronize handlers run
 * at DIRQL on a logical processor, DPCs at DISPATCH_LEVEL, register and
 * deregister at PASSIVE_LEVEL. The ISR may run before
 * NdisMRegisterInterruptEx returns; nothing runs after
 * NdisMDeregisterInterruptEx returns.
 */
#ifndef NDIS_INTERRUPT_H
#define NDIS_INTERRUPT_H

#include "ndis_types.h"
#include "ndis_wdm.h"

#ifdef __cplusplus
extern "C" {
#endif

#if NDIS_SUPPORT_NDIS6

typedef enum _NDIS_INTERRUPT_TYPE {
	NDIS_CONNECT_LINE_BASED = 1,
	NDIS_CONNECT_MESSAGE_BASED
} NDIS_INTERRUPT_TYPE, *PNDIS_INTERRUPT_TYPE;

/* ------------------------------------------------------ handler types */

/* MiniportInterrupt. Context: DIRQL. */
typedef _IRQL_requires_(HIGH_LEVEL) _Function_class_(MINIPORT_ISR)
BOOLEAN(MINIPORT_ISR)(_In_ NDIS_HANDLE MiniportInterruptContext,
		      _Out_ PBOOLEAN QueueDefaultInterruptDpc,
		      _Out_ PULONG TargetProcessors);
typedef MINIPORT_ISR(*MINIPORT_ISR_HANDLER);

/* MiniportInterruptDPC. Context: DISPATCH_LEVEL. */
typedef _IRQL_requires_(DISPATCH_LEVEL) _Function_class_(MINIPORT_INTERRUPT_DPC)
VOID(MINIPORT_INTERRUPT_DPC)(_In_ NDIS_HANDLE MiniportInterruptContext,
			     _In_ PVOID MiniportDpcContext,
			     _In_ PVOID ReceiveThrottleParameters,
			     _In_ PVOID NdisReserved2);
typedef MINIPORT_INTERRUPT_DPC(*MINIPORT_INTERRUPT_DPC_HANDLER);

#if NDIS_SUPPORT_NDIS620
typedef struct _NDIS_RECEIVE_THROTTLE_PARAMETERS {
	_In_ ULONG MaxNblsToIndicate;
	_Out_ ULONG MoreNblsPending : 1;
} NDIS_RECEIVE_THROTTLE_PARAMETERS, *PNDIS_RECEIVE_THROTTLE_PARAMETERS;

/* WDK: (~0ul), a 32-bit ULONG on Windows; ~0ul would be 64 bits on LP64. */
#define NDIS_INDICATE_ALL_NBLS (~0u)
#endif

/* MiniportDisableInterruptEx. Context: DIRQL. */
typedef _IRQL_requires_(HIGH_LEVEL) _Function_class_(MINIPORT_DISABLE_INTERRUPT)
VOID(MINIPORT_DISABLE_INTERRUPT)(_In_ NDIS_HANDLE MiniportInterruptContext);
typedef MINIPORT_DISABLE_INTERRUPT(*MINIPORT_DISABLE_INTERRUPT_HANDLER);

/* MiniportEnableInterruptEx. Context: DIRQL. */
typedef _IRQL_requires_(HIGH_LEVEL) _Function_class_(MINIPORT_ENABLE_INTERRUPT)
VOID(MINIPORT_ENABLE_INTERRUPT)(_In_ NDIS_HANDLE MiniportInterruptContext);
typedef MINIPORT_ENABLE_INTERRUPT(*MINIPORT_ENABLE_INTERRUPT_HANDLER);

/* MiniportMessageInterrupt. Context: DIRQL of message MessageId. */
typedef _IRQL_requires_(HIGH_LEVEL) _Function_class_(MINIPORT_MESSAGE_INTERRUPT)
BOOLEAN(MINIPORT_MESSAGE_INTERRUPT)(_In_ NDIS_HANDLE MiniportInterruptContext,
				    _In_ ULONG MessageId,
				    _Out_ PBOOLEAN QueueDefaultInterruptDpc,
				    _Out_ PULONG TargetProcessors);
typedef MINIPORT_MESSAGE_INTERRUPT(*MINIPORT_MSI_ISR_HANDLER);

/* MiniportMessageInterruptDPC. Context: DISPATCH_LEVEL. */
typedef _IRQL_requires_(DISPATCH_LEVEL) _Function_class_(MINIPORT_MESSAGE_INTERRUPT_DPC)
VOID(MINIPORT_MESSAGE_INTERRUPT_DPC)(_In_ NDIS_HANDLE MiniportInterruptContext,
				     _In_ ULONG MessageId,
				     _In_ PVOID MiniportDpcContext,
#if NDIS_SUPPORT_NDIS620
				     _In_ PVOID ReceiveThrottleParameters,
				     _In_ PVOID NdisReserved2
#else
				     _In_ PULONG NdisReserved1,
				     _In_ PULONG NdisReserved2
#endif
);
typedef MINIPORT_MESSAGE_INTERRUPT_DPC(*MINIPORT_MSI_INTERRUPT_DPC_HANDLER);

/* MiniportDisableMessageInterrupt. Context: DIRQL. */
typedef _IRQL_requires_(HIGH_LEVEL) _Function_class_(MINIPORT_DISABLE_MESSAGE_INTERRUPT)
VOID(MINIPORT_DISABLE_MESSAGE_INTERRUPT)(_In_ NDIS_HANDLE MiniportInterruptContext,
					 _In_ ULONG MessageId);
typedef MINIPORT_DISABLE_MESSAGE_INTERRUPT(*MINIPORT_DISABLE_MSI_INTERRUPT_HANDLER);

/* MiniportEnableMessageInterrupt. Context: DIRQL. */
typedef _IRQL_requires_(HIGH_LEVEL) _Function_class_(MINIPORT_ENABLE_MESSAGE_INTERRUPT)
VOID(MINIPORT_ENABLE_MESSAGE_INTERRUPT)(_In_ NDIS_HANDLE MiniportInterruptContext,
					_In_ ULONG MessageId);
typedef MINIPORT_ENABLE_MESSAGE_INTERRUPT(*MINIPORT_ENABLE_MSI_INTERRUPT_HANDLER);

/* MiniportSynchronizeInterrupt / ...MessageInterrupt. Context: DIRQL, under the interrupt lock. */
typedef _IRQL_requires_(HIGH_LEVEL) _Function_class_(MINIPORT_SYNCHRONIZE_INTERRUPT)
BOOLEAN(MINIPORT_SYNCHRONIZE_INTERRUPT)(_In_ NDIS_HANDLE SynchronizeContext);
typedef MINIPORT_SYNCHRONIZE_INTERRUPT(*MINIPORT_SYNCHRONIZE_INTERRUPT_HANDLER);
typedef MINIPORT_SYNCHRONIZE_INTERRUPT(MINIPORT_SYNCHRONIZE_MESSAGE_INTERRUPT);
typedef MINIPORT_SYNCHRONIZE_MESSAGE_INTERRUPT(*MINIPORT_SYNCHRONIZE_MSI_INTERRUPT_HANDLER);

/* ------------------------------------------------ interrupt characteristics */

#define NDIS_MINIPORT_INTERRUPT_REVISION_1 1

typedef struct _NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS {
	_In_ NDIS_OBJECT_HEADER Header;
	_In_ MINIPORT_ISR_HANDLER InterruptHandler;
	_In_ MINIPORT_INTERRUPT_DPC_HANDLER InterruptDpcHandler;
	_In_ MINIPORT_DISABLE_INTERRUPT_HANDLER DisableInterruptHandler;
	_In_ MINIPORT_ENABLE_INTERRUPT_HANDLER EnableInterruptHandler;
	_In_ BOOLEAN MsiSupported;
	_In_ BOOLEAN MsiSyncWithAllMessages;
	_In_ MINIPORT_MSI_ISR_HANDLER MessageInterruptHandler;
	_In_ MINIPORT_MSI_INTERRUPT_DPC_HANDLER MessageInterruptDpcHandler;
	_In_ MINIPORT_DISABLE_MSI_INTERRUPT_HANDLER DisableMessageInterruptHandler;
	_In_ MINIPORT_ENABLE_MSI_INTERRUPT_HANDLER EnableMessageInterruptHandler;
	_Out_ NDIS_INTERRUPT_TYPE InterruptType;
	_Out_ PIO_INTERRUPT_MESSAGE_INFO MessageInfoTable;
} NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, *PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS;

#define NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, MessageInfoTable)

/* ---------------------------------------------------------- functions */

/*
 * NdisMRegisterInterruptEx - connect the miniport's handlers to the
 * interrupt resources assigned to the adapter. Call from
 * MiniportInitializeEx after NdisMSetMiniportAttributes. Interrupts may be
 * delivered before it returns. Writes InterruptType and MessageInfoTable.
 * Context: PASSIVE_LEVEL.
 * Return: NDIS_STATUS_SUCCESS, _INVALID_PARAMETER, _RESOURCES, _FAILURE.
 */
_Must_inspect_result_ _IRQL_requires_(PASSIVE_LEVEL)
EXPORT NDIS_API NDIS_STATUS
NdisMRegisterInterruptEx(_In_ NDIS_HANDLE MiniportAdapterHandle,
			 _In_ NDIS_HANDLE MiniportInterruptContext,
			 _In_ PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS MiniportInterruptCharacteristics,
			 _Out_ PNDIS_HANDLE NdisInterruptHandle);

/*
 * NdisMDeregisterInterruptEx - disconnect; returns only when no ISR or DPC
 * of the interrupt is running or queued; none runs afterwards.
 * Context: PASSIVE_LEVEL (from MiniportInitializeEx's failure path or
 * MiniportHaltEx).
 */
_IRQL_requires_(PASSIVE_LEVEL)
EXPORT NDIS_API VOID
NdisMDeregisterInterruptEx(_In_ NDIS_HANDLE NdisInterruptHandle);

/*
 * NdisMSynchronizeWithInterruptEx - run SynchronizeFunction(SynchronizeContext)
 * at DIRQL excluding the ISR of MessageId (of every message with
 * MsiSyncWithAllMessages; MessageId ignored for a line) and return its value.
 * Context: <= DIRQL.
 */
EXPORT NDIS_API BOOLEAN
NdisMSynchronizeWithInterruptEx(_In_ NDIS_HANDLE NdisInterruptHandle,
				_In_ ULONG MessageId,
#if NDIS_SUPPORT_NDIS620
				_In_ MINIPORT_SYNCHRONIZE_INTERRUPT_HANDLER SynchronizeFunction,
#else
				_In_ PVOID SynchronizeFunction,
#endif
				_In_ _Points_to_data_ PVOID SynchronizeContext);

/*
 * NdisMQueueDpc - queue the DPC of MessageId on each processor (0..31) set
 * in TargetProcessors. Return: the processors on which a DPC was queued (a
 * clear bit: that DPC was already queued). Context: any IRQL. Declared
 * unconditionally: NDIS_SUPPORT_60_COMPATIBLE_API is always 1.
 */
_IRQL_requires_max_(DISPATCH_LEVEL)
EXPORT NDIS_API ULONG
NdisMQueueDpc(_In_ NDIS_HANDLE NdisInterruptHandle,
	      _In_ ULONG MessageId,
	      _In_ ULONG TargetProcessors,
	      _In_opt_ _Points_to_data_ PVOID MiniportDpcContext);

#if NDIS_SUPPORT_NDIS620
/*
 * NdisMQueueDpcEx - as NdisMQueueDpc for the processors of one group.
 * Return: KAFFINITY of the processors on which a DPC was queued.
 * Context: any IRQL.
 */
_IRQL_requires_max_(HIGH_LEVEL)
EXPORT NDIS_API KAFFINITY
NdisMQueueDpcEx(IN NDIS_HANDLE NdisInterruptHandle,
		IN ULONG MessageId,
		IN PGROUP_AFFINITY TargetProcessors,
		IN PVOID MiniportDpcContext);
#endif

/* ---------------------------------------- MSI-X table configuration (6.1) */

#if NDIS_SUPPORT_NDIS61
typedef enum _NDIS_MSIX_TABLE_CONFIG {
	NdisMSIXTableConfigSetTableEntry,
	NdisMSIXTableConfigMaskTableEntry,
	NdisMSIXTableConfigUnmaskTableEntry,
	NdisMSIXTableConfigMax
} NDIS_MSIX_TABLE_OPERATION, *PNDIS_MSIX_TABLE_OPERATION;

#define NDIS_MSIX_CONFIG_PARAMETERS_REVISION_1 1

typedef struct _NDIS_MSIX_CONFIG_PARAMETERS {
	NDIS_OBJECT_HEADER Header;
	NDIS_MSIX_TABLE_OPERATION ConfigOperation;
	ULONG TableEntry;
	ULONG MessageNumber;
} NDIS_MSIX_CONFIG_PARAMETERS, *PNDIS_MSIX_CONFIG_PARAMETERS;

#define NDIS_SIZEOF_MSIX_CONFIG_PARAMETERS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MSIX_CONFIG_PARAMETERS, MessageNumber)
#endif

/* ------------------------------------------------ interrupt moderation OID */

#define OID_GEN_INTERRUPT_MODERATION 0x00010209

typedef enum _NDIS_INTERRUPT_MODERATION {
	NdisInterruptModerationUnknown,
	NdisInterruptModerationNotSupported,
	NdisInterruptModerationEnabled,
	NdisInterruptModerationDisabled
} NDIS_INTERRUPT_MODERATION, *PNDIS_INTERRUPT_MODERATION;

#define NDIS_INTERRUPT_MODERATION_PARAMETERS_REVISION_1 1
#define NDIS_INTERRUPT_MODERATION_CHANGE_NEEDS_RESET 0x00000001
#define NDIS_INTERRUPT_MODERATION_CHANGE_NEEDS_REINITIALIZE 0x00000002

typedef struct _NDIS_INTERRUPT_MODERATION_PARAMETERS {
	NDIS_OBJECT_HEADER Header;
	ULONG Flags;
	NDIS_INTERRUPT_MODERATION InterruptModeration;
} NDIS_INTERRUPT_MODERATION_PARAMETERS, *PNDIS_INTERRUPT_MODERATION_PARAMETERS;

#define NDIS_SIZEOF_INTERRUPT_MODERATION_PARAMETERS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_INTERRUPT_MODERATION_PARAMETERS, InterruptModeration)

#endif /* NDIS_SUPPORT_NDIS6 */

#ifdef __cplusplus
}
#endif
#endif /* NDIS_INTERRUPT_H */
