// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * ivshmem: an NDIS 6.20 miniport for QEMU's ivshmem-doorbell
 * (PCI 1af4:1110, `-device ivshmem-doorbell,vectors=N`). MSI-X only: each
 * doorbell vector is one message and the device has no cause register, so
 * every message ISR claims its interrupt and asks for its message's DPC.
 * The line handlers exist because NdisMRegisterInterruptEx requires them;
 * a line grant is refused at initialize (an ISR could not tell a shared
 * line's interrupt apart). It maps nothing: whoever rings the doorbell
 * (BAR0 + 12: peer << 16 | vector) does so through a mapping of its own.
 *
 * It keeps per-message counters (ISR and DPC calls, the processors they ran
 * on: ivshmem_sample.h) besides sample_stats.h, and counts any callback that
 * finds the adapter context poisoned after NdisMDeregisterInterruptEx.
 */
#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1
#include <ndis.h>
#include <stdio.h>

#include "../sample_stats.h"
#include "ivshmem_sample.h"

/* PCI configuration space: QEMU hw/misc/ivshmem.c. */
#define IVSHMEM_PCI_ID 0x11101af4u /* device 0x1110, vendor 0x1af4 (Red Hat) */

#define IVS_TAG 0x4e737649u    /* 'IvsN' */
#define IVS_LIVE 0x21535649u   /* the adapter is registered */
#define IVS_POISON 0xdeadbeefu /* deregistered: no callback may see this */

typedef struct _IVS_ADAPTER {
	volatile ULONG Signature;
	NDIS_HANDLE AdapterHandle;
	NDIS_HANDLE InterruptHandle;
	ULONG Messages; /* the grant's MessageCount */
	struct _IVS_ADAPTER *NextRetired;
} IVS_ADAPTER, *PIVS_ADAPTER;

static NDIS_HANDLE IvsDriverHandle;
static PIVS_ADAPTER IvsRetired; /* halted adapters, poisoned, freed at unload */
static struct sample_stats IvsStats;
static struct ivshmem_sample_stats IvsMsgStats;

#define IVS_ADD(field) __atomic_fetch_add(&IvsMsgStats.field, 1, __ATOMIC_RELAXED)
#define IVS_LOAD(field) (out->field = __atomic_load_n(&IvsMsgStats.field, __ATOMIC_RELAXED))

const struct sample_stats *SampleStats(void)
{
	return &IvsStats;
}

void IvshmemSampleStats(struct ivshmem_sample_stats *out)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	IVS_LOAD(interrupt_type);
	IVS_LOAD(messages);
	for (unsigned m = 0; m < IVSHMEM_SAMPLE_MAX_MESSAGES; m++) {
		IVS_LOAD(target_set[m]);
		IVS_LOAD(isr[m]);
		IVS_LOAD(dpc[m]);
		IVS_LOAD(isr_procs[m]);
		IVS_LOAD(dpc_procs[m]);
	}
	IVS_LOAD(line_calls);
	IVS_LOAD(bad_message_id);
	IVS_LOAD(late_callbacks);
	IVS_LOAD(halted);
}

/* Every callback starts here: a deregistered adapter must never be seen. */
static BOOLEAN IvsLive(PIVS_ADAPTER Adapter)
{
	if (__atomic_load_n(&Adapter->Signature, __ATOMIC_ACQUIRE) == IVS_LIVE)
		return TRUE;
	NdisInterlockedIncrement(&IvsStats.late_callbacks);
	IVS_ADD(late_callbacks);
	return FALSE;
}

static ULONG IvsProcessor(VOID)
{
	return KeGetCurrentProcessorNumberEx(NULL);
}

static uint64_t IvsProcessorBit(ULONG Processor)
{
	return Processor < 64 ? 1ull << Processor : 0;
}

/*
 * A MessageId the arrays cover and the grant has (its count is known once
 * NdisMRegisterInterruptEx returned; a doorbell may ring before); else counted.
 */
static BOOLEAN IvsMessageOk(PIVS_ADAPTER Adapter, ULONG MessageId)
{
	ULONG Messages = __atomic_load_n(&Adapter->Messages, __ATOMIC_ACQUIRE);

	if (MessageId < IVSHMEM_SAMPLE_MAX_MESSAGES && (!Messages || MessageId < Messages))
		return TRUE;
	IVS_ADD(bad_message_id);
	return FALSE;
}

/* ------------------------------------------------------- interrupt path */

/* Required by NdisMRegisterInterruptEx; a line grant is refused, so never expected. */
static MINIPORT_ISR IvsInterrupt;
static BOOLEAN IvsInterrupt(NDIS_HANDLE MiniportInterruptContext,
			    PBOOLEAN QueueDefaultInterruptDpc, PULONG TargetProcessors)
{
	*QueueDefaultInterruptDpc = FALSE;
	*TargetProcessors = 0;
	if (IvsLive(MiniportInterruptContext))
		IVS_ADD(line_calls);
	return FALSE; /* no cause register: a line interrupt cannot be told ours */
}

static MINIPORT_INTERRUPT_DPC IvsInterruptDpc;
static VOID IvsInterruptDpc(NDIS_HANDLE MiniportInterruptContext, PVOID MiniportDpcContext,
			    PVOID ReceiveThrottleParameters, PVOID NdisReserved2)
{
	UNREFERENCED_PARAMETER(MiniportDpcContext);
	UNREFERENCED_PARAMETER(NdisReserved2);
	((PNDIS_RECEIVE_THROTTLE_PARAMETERS)ReceiveThrottleParameters)->MoreNblsPending = 0;
	if (IvsLive(MiniportInterruptContext))
		IVS_ADD(line_calls);
}

/* DIRQL, under the message's interrupt lock: the doorbell is the cause. */
static MINIPORT_MESSAGE_INTERRUPT IvsMessageInterrupt;
static BOOLEAN IvsMessageInterrupt(NDIS_HANDLE MiniportInterruptContext, ULONG MessageId,
				   PBOOLEAN QueueDefaultInterruptDpc, PULONG TargetProcessors)
{
	PIVS_ADAPTER Adapter = MiniportInterruptContext;
	ULONG Processor;

	*QueueDefaultInterruptDpc = FALSE;
	*TargetProcessors = 0;
	if (!IvsLive(Adapter))
		return FALSE;
	NdisInterlockedIncrement(&IvsStats.isr_calls);
	if (!IvsMessageOk(Adapter, MessageId))
		return FALSE;
	Processor = IvsProcessor();
	__atomic_fetch_or(&IvsMsgStats.isr_procs[MessageId], IvsProcessorBit(Processor),
			  __ATOMIC_RELAXED);
	IVS_ADD(isr[MessageId]);
	if (MessageId < SAMPLE_MAX_MESSAGES)
		IvsStats.msg_processor[MessageId] = (int32_t)Processor;
	NdisInterlockedIncrement(&IvsStats.isr_claimed);
	*QueueDefaultInterruptDpc = TRUE;
	return TRUE;
}

/* DISPATCH_LEVEL: nothing to collect (no cause register, no data path). */
static MINIPORT_MESSAGE_INTERRUPT_DPC IvsMessageInterruptDpc;
static VOID IvsMessageInterruptDpc(NDIS_HANDLE MiniportInterruptContext, ULONG MessageId,
				   PVOID MiniportDpcContext, PVOID ReceiveThrottleParameters,
				   PVOID NdisReserved2)
{
	PIVS_ADAPTER Adapter = MiniportInterruptContext;

	UNREFERENCED_PARAMETER(MiniportDpcContext);
	UNREFERENCED_PARAMETER(NdisReserved2);
	((PNDIS_RECEIVE_THROTTLE_PARAMETERS)ReceiveThrottleParameters)->MoreNblsPending = 0;
	if (!IvsLive(Adapter))
		return;
	NdisInterlockedIncrement(&IvsStats.dpc_calls);
	if (!IvsMessageOk(Adapter, MessageId))
		return;
	__atomic_fetch_or(&IvsMsgStats.dpc_procs[MessageId], IvsProcessorBit(IvsProcessor()),
			  __ATOMIC_RELAXED);
	IVS_ADD(dpc[MessageId]);
}

/* -------------------------------------------------------- initialize */

static NDIS_STATUS IvsSetAttributes(PIVS_ADAPTER Adapter)
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

/* The device must be an ivshmem-doorbell (the sim, for one, has no model of it). */
static NDIS_STATUS IvsCheckDevice(PIVS_ADAPTER Adapter)
{
	ULONG Id = 0;

	if (NdisMGetBusData(Adapter->AdapterHandle, PCI_WHICHSPACE_CONFIG, 0, &Id,
			    sizeof(Id)) != sizeof(Id)) {
		printf("ivshmem: cannot read the PCI vendor and device ID\n");
		return NDIS_STATUS_ADAPTER_NOT_FOUND;
	}
	if (Id != IVSHMEM_PCI_ID) {
		printf("ivshmem: PCI ID %04x:%04x is not QEMU's ivshmem-doorbell (1af4:1110)\n",
		       (unsigned)(Id & 0xffff), (unsigned)(Id >> 16));
		return NDIS_STATUS_ADAPTER_NOT_FOUND;
	}
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS IvsRegisterInterrupt(PIVS_ADAPTER Adapter)
{
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS Chars;
	NDIS_STATUS Status;
	ULONG Messages = 0;

	NdisZeroMemory(&Chars, sizeof(Chars));
	Chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
	Chars.Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
	Chars.Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;
	Chars.InterruptHandler = IvsInterrupt; /* required; refused below if granted */
	Chars.InterruptDpcHandler = IvsInterruptDpc;
	Chars.MsiSupported = TRUE;
	Chars.MessageInterruptHandler = IvsMessageInterrupt;
	Chars.MessageInterruptDpcHandler = IvsMessageInterruptDpc;
	Status = NdisMRegisterInterruptEx(Adapter->AdapterHandle, Adapter, &Chars,
					  &Adapter->InterruptHandle);
	if (Status != NDIS_STATUS_SUCCESS)
		return Status;
	if (Chars.MessageInfoTable) /* NULL for a line */
		Messages = Chars.MessageInfoTable->MessageCount;
	IvsStats.interrupt_type = (int32_t)Chars.InterruptType;
	IvsStats.messages = (int32_t)Messages;
	IvsMsgStats.interrupt_type = (int32_t)Chars.InterruptType;
	IvsMsgStats.messages = (int32_t)Messages;
	for (ULONG m = 0; m < Messages && m < IVSHMEM_SAMPLE_MAX_MESSAGES; m++)
		IvsMsgStats.target_set[m] = Chars.MessageInfoTable->MessageInfo[m].TargetProcessorSet;
	printf("ivshmem: InterruptType=%s messages=%u\n",
	       Chars.InterruptType == NDIS_CONNECT_MESSAGE_BASED ?
		       "NDIS_CONNECT_MESSAGE_BASED" : "NDIS_CONNECT_LINE_BASED",
	       (unsigned)Messages);
	if (Chars.InterruptType != NDIS_CONNECT_MESSAGE_BASED || Messages == 0) {
		printf("ivshmem: refusing a line grant: MSI-X only (doorbell vectors, no cause "
		       "register to tell whether a shared line's interrupt is ours)\n");
		fflush(stdout);
		NdisMDeregisterInterruptEx(Adapter->InterruptHandle);
		Adapter->InterruptHandle = NULL;
		return NDIS_STATUS_RESOURCES;
	}
	fflush(stdout);
	__atomic_store_n(&Adapter->Messages, Messages, __ATOMIC_RELEASE);
	return NDIS_STATUS_SUCCESS;
}

static MINIPORT_INITIALIZE IvsInitializeEx;
static NDIS_STATUS IvsInitializeEx(NDIS_HANDLE MiniportAdapterHandle,
				   NDIS_HANDLE MiniportDriverContext,
				   PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters)
{
	PIVS_ADAPTER Adapter;
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(MiniportDriverContext);
	UNREFERENCED_PARAMETER(MiniportInitParameters);
	Adapter = NdisAllocateMemoryWithTagPriority(MiniportAdapterHandle, sizeof(*Adapter),
						    IVS_TAG, NormalPoolPriority);
	if (!Adapter)
		return NDIS_STATUS_RESOURCES;
	NdisZeroMemory(Adapter, sizeof(*Adapter));
	Adapter->Signature = IVS_LIVE;
	Adapter->AdapterHandle = MiniportAdapterHandle;
	Status = IvsSetAttributes(Adapter);
	if (Status == NDIS_STATUS_SUCCESS)
		Status = IvsCheckDevice(Adapter);
	if (Status == NDIS_STATUS_SUCCESS)
		Status = IvsRegisterInterrupt(Adapter);
	if (Status != NDIS_STATUS_SUCCESS) {
		fflush(stdout);
		NdisFreeMemory(Adapter, sizeof(*Adapter), 0);
		return Status;
	}
	return NDIS_STATUS_SUCCESS;
}

/* ---------------------------------------------------- halt and unload */

static MINIPORT_HALT IvsHaltEx;
static VOID IvsHaltEx(NDIS_HANDLE MiniportAdapterContext, NDIS_HALT_ACTION HaltAction)
{
	PIVS_ADAPTER Adapter = MiniportAdapterContext;

	UNREFERENCED_PARAMETER(HaltAction);
	/*
	 * Nothing to quiesce: a peer (or a test) may keep ringing. Once
	 * NdisMDeregisterInterruptEx returned, no ISR or DPC may run.
	 */
	NdisMDeregisterInterruptEx(Adapter->InterruptHandle);
	__atomic_store_n(&Adapter->Signature, IVS_POISON, __ATOMIC_RELEASE);
	Adapter->NextRetired = IvsRetired; /* kept (poisoned) to catch late callbacks */
	IvsRetired = Adapter;
	NdisInterlockedIncrement(&IvsStats.halted);
	__atomic_fetch_add(&IvsMsgStats.halted, 1, __ATOMIC_RELAXED);
}

static MINIPORT_UNLOAD IvsUnload;
static VOID IvsUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	if (IvsStats.halted)
		printf("ivshmem: %d callback(s) after deregistration\n",
		       (int)IvsStats.late_callbacks);
	fflush(stdout);
	while (IvsRetired) {
		PIVS_ADAPTER Next = IvsRetired->NextRetired;

		NdisFreeMemory(IvsRetired, sizeof(*IvsRetired), 0);
		IvsRetired = Next;
	}
	NdisMDeregisterMiniportDriver(IvsDriverHandle);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS Chars;

	NdisZeroMemory(&IvsStats, sizeof(IvsStats));
	NdisZeroMemory(&IvsMsgStats, sizeof(IvsMsgStats));
	NdisZeroMemory(&Chars, sizeof(Chars));
	Chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	Chars.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	Chars.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	Chars.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION;
	Chars.MinorNdisVersion = NDIS_MINIPORT_MINOR_VERSION;
	Chars.MajorDriverVersion = 1;
	Chars.InitializeHandlerEx = IvsInitializeEx;
	Chars.HaltHandlerEx = IvsHaltEx;
	Chars.UnloadHandler = IvsUnload;
	return NdisMRegisterMiniportDriver(DriverObject, RegistryPath, NULL, &Chars,
					   &IvsDriverHandle);
}
