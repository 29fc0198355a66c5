/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Style tier: a miniport written the way WDK samples are (role-type
 * declarations, SAL, _Use_decl_annotations_, MSVC pragmas, DRIVER_INITIALIZE)
 * must compile unchanged against <ndis.h> under the project's -Werror flags,
 * and build as a shared object that exports DriverEntry although it is
 * compiled with -fvisibility=hidden. Built, loaded and looked up by
 * test_wdk_style_miniport.c; never run as a driver.
 */
#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1
#include <ndis.h>

#define MP_TAG 0x5057444du /* 'MDWP' */

typedef struct _MP_ADAPTER {
	NDIS_HANDLE AdapterHandle;
	NDIS_HANDLE InterruptHandle;
	PUCHAR Registers;
	NDIS_SPIN_LOCK Lock;
	NDIS_EVENT HaltEvent;
	LONG DpcsInFlight;
} MP_ADAPTER, *PMP_ADAPTER;

DRIVER_INITIALIZE DriverEntry;
MINIPORT_INITIALIZE MpInitializeEx;
MINIPORT_HALT MpHaltEx;
MINIPORT_UNLOAD MpDriverUnload;
MINIPORT_ISR MpInterrupt;
MINIPORT_INTERRUPT_DPC MpInterruptDpc;
MINIPORT_MESSAGE_INTERRUPT MpMessageInterrupt;
MINIPORT_MESSAGE_INTERRUPT_DPC MpMessageInterruptDpc;
MINIPORT_SYNCHRONIZE_INTERRUPT MpSyncClear;

static NDIS_HANDLE MpDriverHandle;

#pragma NDIS_INIT_FUNCTION(DriverEntry)

_Use_decl_annotations_
BOOLEAN MpSyncClear(NDIS_HANDLE SynchronizeContext)
{
	PMP_ADAPTER Adapter = (PMP_ADAPTER)SynchronizeContext;

	NdisWriteRegisterUlong((PULONG)(Adapter->Registers + 0x64), 0xFFFFFFFF);
	return TRUE;
}

_Use_decl_annotations_
BOOLEAN MpInterrupt(NDIS_HANDLE MiniportInterruptContext, PBOOLEAN QueueDefaultInterruptDpc,
		    PULONG TargetProcessors)
{
	PMP_ADAPTER Adapter = (PMP_ADAPTER)MiniportInterruptContext;
	ULONG Status;

	NdisReadRegisterUlong((PULONG)(Adapter->Registers + 0x24), &Status);
	*TargetProcessors = 0;
	*QueueDefaultInterruptDpc = Status != 0;
	return Status != 0;
}

_Use_decl_annotations_
VOID MpInterruptDpc(NDIS_HANDLE MiniportInterruptContext, PVOID MiniportDpcContext,
		    PVOID ReceiveThrottleParameters, PVOID NdisReserved2)
{
	PMP_ADAPTER Adapter = (PMP_ADAPTER)MiniportInterruptContext;
	PNDIS_RECEIVE_THROTTLE_PARAMETERS Throttle =
		(PNDIS_RECEIVE_THROTTLE_PARAMETERS)ReceiveThrottleParameters;

	UNREFERENCED_PARAMETER(MiniportDpcContext);
	UNREFERENCED_PARAMETER(NdisReserved2);
	NdisDprAcquireSpinLock(&Adapter->Lock);
	NdisInterlockedIncrement(&Adapter->DpcsInFlight);
	NdisDprReleaseSpinLock(&Adapter->Lock);
	Throttle->MoreNblsPending = 0;
	(void)NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle, 0, MpSyncClear, Adapter);
	if (NdisInterlockedDecrement(&Adapter->DpcsInFlight) == 0)
		NdisWriteRegisterUlong((PULONG)(Adapter->Registers + 0xD0), 1);
}

_Use_decl_annotations_
BOOLEAN MpMessageInterrupt(NDIS_HANDLE MiniportInterruptContext, ULONG MessageId,
			   PBOOLEAN QueueDefaultInterruptDpc, PULONG TargetProcessors)
{
	UNREFERENCED_PARAMETER(MessageId);
	return MpInterrupt(MiniportInterruptContext, QueueDefaultInterruptDpc, TargetProcessors);
}

_Use_decl_annotations_
VOID MpMessageInterruptDpc(NDIS_HANDLE MiniportInterruptContext, ULONG MessageId,
			   PVOID MiniportDpcContext, PVOID ReceiveThrottleParameters,
			   PVOID NdisReserved2)
{
	GROUP_AFFINITY Affinity = { .Mask = 1, .Group = 0 };
	PMP_ADAPTER Adapter = (PMP_ADAPTER)MiniportInterruptContext;

	MpInterruptDpc(MiniportInterruptContext, MiniportDpcContext, ReceiveThrottleParameters,
		       NdisReserved2);
	if (MiniportDpcContext == NULL)
		(void)NdisMQueueDpcEx(Adapter->InterruptHandle, MessageId, &Affinity, Adapter);
}

static NDIS_STATUS MpFindRegisters(PMP_ADAPTER Adapter, PNDIS_RESOURCE_LIST Resources)
{
	for (ULONG i = 0; i < Resources->Count; i++) {
		PCM_PARTIAL_RESOURCE_DESCRIPTOR Desc = &Resources->PartialDescriptors[i];

		if (Desc->Type == CmResourceTypeMemory)
			return NdisMMapIoSpace((PVOID *)&Adapter->Registers, Adapter->AdapterHandle,
					       Desc->u.Memory.Start, Desc->u.Memory.Length);
	}
	return NDIS_STATUS_RESOURCES;
}

static NDIS_STATUS MpRegisterInterrupt(PMP_ADAPTER Adapter)
{
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS Chars;

	NdisZeroMemory(&Chars, sizeof(Chars));
	Chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
	Chars.Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
	Chars.Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;
	Chars.InterruptHandler = MpInterrupt;
	Chars.InterruptDpcHandler = MpInterruptDpc;
	Chars.MsiSupported = TRUE;
	Chars.MessageInterruptHandler = MpMessageInterrupt;
	Chars.MessageInterruptDpcHandler = MpMessageInterruptDpc;
	return NdisMRegisterInterruptEx(Adapter->AdapterHandle, Adapter, &Chars,
					&Adapter->InterruptHandle);
}

_Use_decl_annotations_
NDIS_STATUS MpInitializeEx(NDIS_HANDLE MiniportAdapterHandle, NDIS_HANDLE MiniportDriverContext,
			   PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES Reg;
	PMP_ADAPTER Adapter;
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(MiniportDriverContext);
	Adapter = NdisAllocateMemoryWithTagPriority(MiniportAdapterHandle, sizeof(*Adapter),
						    MP_TAG, NormalPoolPriority);
	if (Adapter == NULL)
		return NDIS_STATUS_RESOURCES;
	NdisZeroMemory(Adapter, sizeof(*Adapter));
	Adapter->AdapterHandle = MiniportAdapterHandle;
	NdisAllocateSpinLock(&Adapter->Lock);
	NdisInitializeEvent(&Adapter->HaltEvent);
	NdisZeroMemory(&Reg, sizeof(Reg));
	Reg.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	Reg.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	Reg.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	Reg.MiniportAdapterContext = Adapter;
	Reg.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE;
	Reg.InterfaceType = NdisInterfacePci;
	Status = NdisMSetMiniportAttributes(MiniportAdapterHandle,
					    (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&Reg);
	if (Status == NDIS_STATUS_SUCCESS)
		Status = MpFindRegisters(Adapter, MiniportInitParameters->AllocatedResources);
	if (Status == NDIS_STATUS_SUCCESS)
		Status = MpRegisterInterrupt(Adapter);
	if (Status != NDIS_STATUS_SUCCESS)
		NdisFreeMemory(Adapter, 0, 0);
	return Status;
}

_Use_decl_annotations_
VOID MpHaltEx(NDIS_HANDLE MiniportAdapterContext, NDIS_HALT_ACTION HaltAction)
{
	PMP_ADAPTER Adapter = (PMP_ADAPTER)MiniportAdapterContext;

	UNREFERENCED_PARAMETER(HaltAction);
	NdisMDeregisterInterruptEx(Adapter->InterruptHandle);
	(void)NdisWaitEvent(&Adapter->HaltEvent, 1);
	NdisMUnmapIoSpace(Adapter->AdapterHandle, Adapter->Registers, 0x1000);
	NdisFreeSpinLock(&Adapter->Lock);
	NdisFreeMemory(Adapter, 0, 0);
}

_Use_decl_annotations_
VOID MpDriverUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	NdisMDeregisterMiniportDriver(MpDriverHandle);
}

_Use_decl_annotations_
NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS Chars;

	NdisZeroMemory(&Chars, sizeof(Chars));
	Chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	Chars.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	Chars.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	Chars.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION;
	Chars.MinorNdisVersion = NDIS_MINIPORT_MINOR_VERSION;
	Chars.InitializeHandlerEx = MpInitializeEx;
	Chars.HaltHandlerEx = MpHaltEx;
	Chars.UnloadHandler = MpDriverUnload;
	return NdisMRegisterMiniportDriver(DriverObject, RegistryPath, NULL, &Chars,
					   &MpDriverHandle);
}
