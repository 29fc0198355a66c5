// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * edu: the smallest realistic NDIS 6.20 miniport, for QEMU's educational
 * PCI device. It asks for MSI (MsiSupported) and copes with the line
 * fallback; its ISR acknowledges the device and asks for the default DPC,
 * which collects the recorded status with one NdisMSynchronizeWithInterruptEx.
 */
#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1
#include <ndis.h>
#include <stdio.h>

#include "../sample_stats.h"

/* edu registers (BAR0): QEMU docs/specs/edu.rst. */
#define EDU_REG_ID 0x00
#define EDU_REG_STATUS 0x20
#define EDU_REG_IRQ_STATUS 0x24
#define EDU_REG_IRQ_ACK 0x64
#define EDU_ID_LOW_BYTE 0xed
#define EDU_STATUS_IRQ_FACT 0x80 /* raise an interrupt when a factorial is done */

#define EDU_TAG 0x75644e45u    /* 'EduN' */
#define EDU_LIVE 0x21554445u   /* the adapter is registered */
#define EDU_POISON 0xdeadbeefu /* deregistered: no callback may see this */

typedef struct _EDU_ADAPTER {
	volatile ULONG Signature;
	NDIS_HANDLE AdapterHandle;
	NDIS_HANDLE InterruptHandle;
	PUCHAR Registers;
	UINT RegistersLength;
	ULONG PendingStatus; /* ISR sets bits, the DPC takes them: interrupt lock */
	ULONG EventsHandled; /* DPC only */
	struct _EDU_ADAPTER *NextRetired;
} EDU_ADAPTER, *PEDU_ADAPTER;

typedef struct _EDU_SYNC {
	PEDU_ADAPTER Adapter;
	ULONG Status;
} EDU_SYNC;

static NDIS_HANDLE EduDriverHandle;
static PEDU_ADAPTER EduRetired; /* halted adapters, poisoned, freed at unload */
static struct sample_stats EduStats;

const struct sample_stats *SampleStats(void)
{
	return &EduStats;
}

static ULONG EduRead(PEDU_ADAPTER Adapter, ULONG Register)
{
	ULONG Value;

	NdisReadRegisterUlong((PULONG)(Adapter->Registers + Register), &Value);
	return Value;
}

static VOID EduWrite(PEDU_ADAPTER Adapter, ULONG Register, ULONG Value)
{
	NdisWriteRegisterUlong((PULONG)(Adapter->Registers + Register), Value);
}

/* Every callback starts here: a deregistered adapter must never be seen. */
static BOOLEAN EduLive(PEDU_ADAPTER Adapter)
{
	if (Adapter->Signature == EDU_LIVE)
		return TRUE;
	NdisInterlockedIncrement(&EduStats.late_callbacks);
	return FALSE;
}

/* ------------------------------------------------------- interrupt path */

/* Both ISRs: DIRQL, under the interrupt lock. */
static BOOLEAN EduService(PEDU_ADAPTER Adapter, PBOOLEAN QueueDefaultInterruptDpc)
{
	ULONG Status;

	if (!EduLive(Adapter))
		return FALSE;
	NdisInterlockedIncrement(&EduStats.isr_calls);
	Status = EduRead(Adapter, EDU_REG_IRQ_STATUS);
	if (Status == 0)
		return FALSE; /* not ours: the line is shared */
	EduWrite(Adapter, EDU_REG_IRQ_ACK, Status); /* the device drops the line */
	Adapter->PendingStatus |= Status;
	EduStats.msg_causes[0] |= Status;
	EduStats.msg_processor[0] = (int32_t)KeGetCurrentProcessorNumberEx(NULL);
	NdisInterlockedIncrement(&EduStats.isr_claimed);
	*QueueDefaultInterruptDpc = TRUE;
	return TRUE;
}

static MINIPORT_ISR EduInterrupt;
static BOOLEAN EduInterrupt(NDIS_HANDLE MiniportInterruptContext,
			    PBOOLEAN QueueDefaultInterruptDpc, PULONG TargetProcessors)
{
	*QueueDefaultInterruptDpc = FALSE;
	*TargetProcessors = 0;
	return EduService(MiniportInterruptContext, QueueDefaultInterruptDpc);
}

static MINIPORT_MESSAGE_INTERRUPT EduMessageInterrupt;
static BOOLEAN EduMessageInterrupt(NDIS_HANDLE MiniportInterruptContext, ULONG MessageId,
				   PBOOLEAN QueueDefaultInterruptDpc, PULONG TargetProcessors)
{
	UNREFERENCED_PARAMETER(MessageId); /* edu has one message */
	*QueueDefaultInterruptDpc = FALSE;
	*TargetProcessors = 0;
	return EduService(MiniportInterruptContext, QueueDefaultInterruptDpc);
}

/* Runs at DIRQL under the interrupt lock: take what the ISR recorded. */
static MINIPORT_SYNCHRONIZE_INTERRUPT EduTakePendingStatus;
static BOOLEAN EduTakePendingStatus(NDIS_HANDLE SynchronizeContext)
{
	EDU_SYNC *Sync = SynchronizeContext;

	Sync->Status = Sync->Adapter->PendingStatus;
	Sync->Adapter->PendingStatus = 0;
	NdisInterlockedIncrement(&EduStats.sync_calls);
	return Sync->Status != 0;
}

/* Both DPCs: DISPATCH_LEVEL. */
static VOID EduDeferred(PEDU_ADAPTER Adapter, PVOID ReceiveThrottleParameters)
{
	PNDIS_RECEIVE_THROTTLE_PARAMETERS Throttle = ReceiveThrottleParameters;
	EDU_SYNC Sync = { Adapter, 0 };

	if (!EduLive(Adapter))
		return;
	NdisInterlockedIncrement(&EduStats.dpc_calls);
	if (NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle, 0,
					    EduTakePendingStatus, &Sync))
		Adapter->EventsHandled++; /* the work a real device would have */
	Throttle->MoreNblsPending = 0; /* edu indicates no receives */
}

static MINIPORT_INTERRUPT_DPC EduInterruptDpc;
static VOID EduInterruptDpc(NDIS_HANDLE MiniportInterruptContext, PVOID MiniportDpcContext,
			    PVOID ReceiveThrottleParameters, PVOID NdisReserved2)
{
	UNREFERENCED_PARAMETER(MiniportDpcContext);
	UNREFERENCED_PARAMETER(NdisReserved2);
	EduDeferred(MiniportInterruptContext, ReceiveThrottleParameters);
}

static MINIPORT_MESSAGE_INTERRUPT_DPC EduMessageInterruptDpc;
static VOID EduMessageInterruptDpc(NDIS_HANDLE MiniportInterruptContext, ULONG MessageId,
				   PVOID MiniportDpcContext, PVOID ReceiveThrottleParameters,
				   PVOID NdisReserved2)
{
	UNREFERENCED_PARAMETER(MessageId);
	UNREFERENCED_PARAMETER(MiniportDpcContext);
	UNREFERENCED_PARAMETER(NdisReserved2);
	EduDeferred(MiniportInterruptContext, ReceiveThrottleParameters);
}

/* -------------------------------------------------------- initialize */

static NDIS_STATUS EduSetAttributes(PEDU_ADAPTER Adapter)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES Attributes;

	NdisZeroMemory(&Attributes, sizeof(Attributes));
	Attributes.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	Attributes.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	Attributes.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	Attributes.MiniportAdapterContext = Adapter;
	Attributes.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE;
	Attributes.InterfaceType = NdisInterfacePci;
	return NdisMSetMiniportAttributes(Adapter->AdapterHandle,
					  (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&Attributes);
}

/* Map the first memory BAR the PnP manager assigned. */
static NDIS_STATUS EduMapRegisters(PEDU_ADAPTER Adapter, PNDIS_RESOURCE_LIST Resources)
{
	PVOID Va = NULL;
	NDIS_STATUS Status;

	for (ULONG i = 0; Resources && i < Resources->Count; i++) {
		PCM_PARTIAL_RESOURCE_DESCRIPTOR Desc = &Resources->PartialDescriptors[i];

		if (Desc->Type != CmResourceTypeMemory)
			continue;
		Status = NdisMMapIoSpace(&Va, Adapter->AdapterHandle, Desc->u.Memory.Start,
					 Desc->u.Memory.Length);
		if (Status != NDIS_STATUS_SUCCESS)
			return Status;
		Adapter->Registers = Va;
		Adapter->RegistersLength = Desc->u.Memory.Length;
		if ((EduRead(Adapter, EDU_REG_ID) & 0xff) != EDU_ID_LOW_BYTE)
			return NDIS_STATUS_ADAPTER_NOT_FOUND;
		return NDIS_STATUS_SUCCESS;
	}
	return NDIS_STATUS_RESOURCES;
}

static NDIS_STATUS EduRegisterInterrupt(PEDU_ADAPTER Adapter)
{
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS Chars;
	NDIS_STATUS Status;
	ULONG Messages = 0;

	NdisZeroMemory(&Chars, sizeof(Chars));
	Chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
	Chars.Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
	Chars.Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;
	Chars.InterruptHandler = EduInterrupt; /* the line fallback */
	Chars.InterruptDpcHandler = EduInterruptDpc;
	Chars.MsiSupported = TRUE;
	Chars.MessageInterruptHandler = EduMessageInterrupt;
	Chars.MessageInterruptDpcHandler = EduMessageInterruptDpc;
	Status = NdisMRegisterInterruptEx(Adapter->AdapterHandle, Adapter, &Chars,
					  &Adapter->InterruptHandle);
	if (Status != NDIS_STATUS_SUCCESS)
		return Status;
	if (Chars.MessageInfoTable) /* NULL for a line */
		Messages = Chars.MessageInfoTable->MessageCount;
	EduStats.interrupt_type = (int32_t)Chars.InterruptType;
	EduStats.messages = (int32_t)Messages;
	printf("edu: InterruptType=%s messages=%u\n",
	       Chars.InterruptType == NDIS_CONNECT_MESSAGE_BASED ?
		       "NDIS_CONNECT_MESSAGE_BASED" : "NDIS_CONNECT_LINE_BASED",
	       (unsigned)Messages);
	fflush(stdout);
	return NDIS_STATUS_SUCCESS;
}

static VOID EduFreeAdapter(PEDU_ADAPTER Adapter)
{
	if (Adapter->Registers)
		NdisMUnmapIoSpace(Adapter->AdapterHandle, Adapter->Registers,
				  Adapter->RegistersLength);
	NdisFreeMemory(Adapter, sizeof(*Adapter), 0);
}

static MINIPORT_INITIALIZE EduInitializeEx;
static NDIS_STATUS EduInitializeEx(NDIS_HANDLE MiniportAdapterHandle,
				   NDIS_HANDLE MiniportDriverContext,
				   PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters)
{
	PEDU_ADAPTER Adapter;
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(MiniportDriverContext);
	Adapter = NdisAllocateMemoryWithTagPriority(MiniportAdapterHandle, sizeof(*Adapter),
						    EDU_TAG, NormalPoolPriority);
	if (!Adapter)
		return NDIS_STATUS_RESOURCES;
	NdisZeroMemory(Adapter, sizeof(*Adapter));
	Adapter->Signature = EDU_LIVE;
	Adapter->AdapterHandle = MiniportAdapterHandle;
	Status = EduSetAttributes(Adapter);
	if (Status == NDIS_STATUS_SUCCESS)
		Status = EduMapRegisters(Adapter, MiniportInitParameters->AllocatedResources);
	if (Status == NDIS_STATUS_SUCCESS)
		Status = EduRegisterInterrupt(Adapter);
	if (Status != NDIS_STATUS_SUCCESS) {
		EduFreeAdapter(Adapter);
		return Status;
	}
	EduWrite(Adapter, EDU_REG_STATUS, EDU_STATUS_IRQ_FACT); /* enable interrupts */
	return NDIS_STATUS_SUCCESS;
}

/* ---------------------------------------------------- halt and unload */

static MINIPORT_HALT EduHaltEx;
static VOID EduHaltEx(NDIS_HANDLE MiniportAdapterContext, NDIS_HALT_ACTION HaltAction)
{
	PEDU_ADAPTER Adapter = MiniportAdapterContext;

	UNREFERENCED_PARAMETER(HaltAction);
	EduWrite(Adapter, EDU_REG_STATUS, 0); /* stop the device first */
	NdisMDeregisterInterruptEx(Adapter->InterruptHandle);
	Adapter->Signature = EDU_POISON; /* from here on, no callback may come */
	NdisMUnmapIoSpace(Adapter->AdapterHandle, Adapter->Registers, Adapter->RegistersLength);
	Adapter->Registers = NULL;
	Adapter->NextRetired = EduRetired; /* kept (poisoned) to catch late callbacks */
	EduRetired = Adapter;
	NdisInterlockedIncrement(&EduStats.halted);
}

static MINIPORT_UNLOAD EduUnload;
static VOID EduUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	if (EduStats.halted && EduStats.late_callbacks)
		printf("edu: %d callback(s) after deregistration: FAILED\n",
		       (int)EduStats.late_callbacks);
	else if (EduStats.halted)
		printf("edu: no callback after deregistration: OK\n");
	fflush(stdout);
	while (EduRetired) {
		PEDU_ADAPTER Next = EduRetired->NextRetired;

		EduFreeAdapter(EduRetired);
		EduRetired = Next;
	}
	NdisMDeregisterMiniportDriver(EduDriverHandle);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS Chars;

	NdisZeroMemory(&EduStats, sizeof(EduStats));
	NdisZeroMemory(&Chars, sizeof(Chars));
	Chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	Chars.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	Chars.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	Chars.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION;
	Chars.MinorNdisVersion = NDIS_MINIPORT_MINOR_VERSION;
	Chars.MajorDriverVersion = 1;
	Chars.InitializeHandlerEx = EduInitializeEx;
	Chars.HaltHandlerEx = EduHaltEx;
	Chars.UnloadHandler = EduUnload;
	return NdisMRegisterMiniportDriver(DriverObject, RegistryPath, NULL, &Chars,
					   &EduDriverHandle);
}
