// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * e1000e: the interrupt path of an NDIS 6.20 miniport for the Intel 82574L
 * (and, line-based, the 82540EM "e1000"). With MSI-X each cause (RxQ0,
 * RxQ1, TxQ0, TxQ1, Other) gets its own message through IVAR; the message
 * ISR masks its causes (IMC) and the DPC does the work within the receive
 * throttle before re-enabling them (IMS). With MSI or the line the ISR
 * reads ICR and the one DPC dispatches every cause.
 */
#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1
#include <ndis.h>
#include <stdio.h>

#include "../sample_stats.h"

/* 82574L / 82540EM interrupt registers (BAR0) and ICR cause bits. */
#define E1000_ICR 0x00C0  /* read-to-clear (MSI, INTx); write-1-to-clear */
#define E1000_IMS 0x00D0  /* set mask bits: enable causes */
#define E1000_IMC 0x00D8  /* clear mask bits: disable causes */
#define E1000_EIAC 0x00DC /* 82574L: causes auto-cleared when their MSI-X message is sent */
#define E1000_IVAR 0x00E4 /* 82574L: a nibble per cause: vector[2:0], valid bit 3 */
#define E1000_IVAR_VALID 0x8u
#define E1000_ICR_TXDW (1u << 0)
#define E1000_ICR_RXT0 (1u << 7)
#define E1000_ICR_RXQ0 (1u << 20)
#define E1000_ICR_RXQ1 (1u << 21)
#define E1000_ICR_TXQ0 (1u << 22)
#define E1000_ICR_TXQ1 (1u << 23)
#define E1000_ICR_OTHER (1u << 24)
#define E1000_RX_CAUSES (E1000_ICR_RXQ0 | E1000_ICR_RXQ1 | E1000_ICR_RXT0)
#define E1000_ALL_CAUSES 0xffffffffu

/* PCI configuration space: is MSI-X enabled? */
#define PCI_STATUS_REG 0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAP_POINTER 0x34
#define PCI_CAP_ID_MSIX 0x11
#define PCI_MSIX_ENABLE 0x8000

#define E1000E_CAUSES 5            /* IVAR order: RxQ0, RxQ1, TxQ0, TxQ1, Other */
#define E1000E_FRAMES_PER_RX 4     /* frames each receive interrupt pretends to carry */
#define E1000E_TAG 0x6b31304eu     /* 'E01k' */
#define E1000E_LIVE 0x4531304bu
#define E1000E_POISON 0xdeadbeefu

static const ULONG E1000eCause[E1000E_CAUSES] = {
	E1000_ICR_RXQ0, E1000_ICR_RXQ1, E1000_ICR_TXQ0, E1000_ICR_TXQ1, E1000_ICR_OTHER,
};
static const char *const E1000eCauseName[E1000E_CAUSES] = {
	"RxQ0", "RxQ1", "TxQ0", "TxQ1", "Other",
};

typedef struct _E1000E_MESSAGE {
	ULONG Causes;          /* causes routed to this message */
	BOOLEAN Dedicated;     /* one cause: EIAC clears (and masks) it, no ICR access */
	BOOLEAN Masked;        /* masked until its DPC is done: interrupt lock */
	ULONG PendingCauses;   /* ISR sets, DPC takes: interrupt lock */
	NDIS_SPIN_LOCK Lock;   /* guards RxBacklog between DPCs */
	ULONG RxBacklog;       /* frames announced, not yet indicated */
} E1000E_MESSAGE, *PE1000E_MESSAGE;

typedef struct _E1000E_ADAPTER {
	volatile ULONG Signature;
	NDIS_HANDLE AdapterHandle;
	NDIS_HANDLE InterruptHandle;
	PUCHAR Registers;
	UINT RegistersLength;
	BOOLEAN Msix;          /* one message per cause group; else ICR decides */
	ULONG MessageCount;    /* messages in use; 1 with MSI or the line */
	E1000E_MESSAGE Message[E1000E_CAUSES];
	struct _E1000E_ADAPTER *NextRetired;
} E1000E_ADAPTER, *PE1000E_ADAPTER;

typedef struct _E1000E_SYNC {
	struct _E1000E_ADAPTER *Adapter;
	PE1000E_MESSAGE Message;
	ULONG Causes;
} E1000E_SYNC;

static NDIS_HANDLE E1000eDriverHandle;
static PE1000E_ADAPTER E1000eRetired; /* halted adapters, poisoned, freed at unload */
static struct sample_stats E1000eStats;

const struct sample_stats *SampleStats(void)
{
	return &E1000eStats;
}

static ULONG E1000eRead(PE1000E_ADAPTER Adapter, ULONG Register)
{
	ULONG Value;

	NdisReadRegisterUlong((PULONG)(Adapter->Registers + Register), &Value);
	return Value;
}

static VOID E1000eWrite(PE1000E_ADAPTER Adapter, ULONG Register, ULONG Value)
{
	NdisWriteRegisterUlong((PULONG)(Adapter->Registers + Register), Value);
}

static BOOLEAN E1000eLive(PE1000E_ADAPTER Adapter)
{
	if (Adapter->Signature == E1000E_LIVE)
		return TRUE;
	NdisInterlockedIncrement(&E1000eStats.late_callbacks);
	return FALSE;
}

/* ------------------------------------------------------------- ISRs */

/* Record @Causes for message @MessageId's DPC. DIRQL, under its lock. */
static BOOLEAN E1000eClaim(PE1000E_ADAPTER Adapter, ULONG MessageId, ULONG Causes,
			   PBOOLEAN QueueDefaultInterruptDpc)
{
	PE1000E_MESSAGE Message = &Adapter->Message[MessageId];

	E1000eWrite(Adapter, E1000_IMC, Message->Causes); /* mask until the DPC is done */
	Message->Masked = TRUE;
	Message->PendingCauses |= Causes;
	E1000eStats.msg_causes[MessageId] |= Causes;
	E1000eStats.msg_processor[MessageId] = (int32_t)KeGetCurrentProcessorNumberEx(NULL);
	NdisInterlockedIncrement(&E1000eStats.isr_claimed);
	*QueueDefaultInterruptDpc = TRUE;
	return TRUE;
}

/*
 * MSI or the line: ICR (read-to-clear) says which causes fired. While our
 * causes are masked the device cannot be interrupting: not ours (a device
 * sharing the line, or a stale signal), and ICR is left for the DPC's
 * re-enable to deliver.
 */
static BOOLEAN E1000eLegacyService(PE1000E_ADAPTER Adapter, PBOOLEAN QueueDefaultInterruptDpc)
{
	ULONG Causes;

	if (Adapter->Message[0].Masked)
		return FALSE;
	Causes = E1000eRead(Adapter, E1000_ICR) & Adapter->Message[0].Causes;
	if (Causes == 0)
		return FALSE; /* not ours: the line is shared */
	return E1000eClaim(Adapter, 0, Causes, QueueDefaultInterruptDpc);
}

/*
 * MSI-X: the message says which causes; a shared message asks ICR. A
 * signal on a masked message is stale (edge signals coalesce): reading ICR
 * then, with every message masked (IMS 0), would clear the causes other
 * messages hold for their re-enable.
 */
static BOOLEAN E1000eMsixService(PE1000E_ADAPTER Adapter, ULONG MessageId,
				 PBOOLEAN QueueDefaultInterruptDpc)
{
	PE1000E_MESSAGE Message = &Adapter->Message[MessageId];
	ULONG Causes = Message->Causes;

	if (Message->Masked)
		return FALSE;
	if (!Message->Dedicated) {
		Causes &= E1000eRead(Adapter, E1000_ICR);
		if (Causes == 0)
			return FALSE;
		E1000eWrite(Adapter, E1000_ICR, Causes); /* write 1 to clear */
	}
	return E1000eClaim(Adapter, MessageId, Causes, QueueDefaultInterruptDpc);
}

static MINIPORT_ISR E1000eInterrupt;
static BOOLEAN E1000eInterrupt(NDIS_HANDLE MiniportInterruptContext,
			       PBOOLEAN QueueDefaultInterruptDpc, PULONG TargetProcessors)
{
	PE1000E_ADAPTER Adapter = MiniportInterruptContext;

	*QueueDefaultInterruptDpc = FALSE;
	*TargetProcessors = 0;
	if (!E1000eLive(Adapter))
		return FALSE;
	NdisInterlockedIncrement(&E1000eStats.isr_calls);
	return E1000eLegacyService(Adapter, QueueDefaultInterruptDpc);
}

static MINIPORT_MESSAGE_INTERRUPT E1000eMessageInterrupt;
static BOOLEAN E1000eMessageInterrupt(NDIS_HANDLE MiniportInterruptContext, ULONG MessageId,
				      PBOOLEAN QueueDefaultInterruptDpc,
				      PULONG TargetProcessors)
{
	PE1000E_ADAPTER Adapter = MiniportInterruptContext;

	*QueueDefaultInterruptDpc = FALSE;
	*TargetProcessors = 0;
	if (!E1000eLive(Adapter))
		return FALSE;
	NdisInterlockedIncrement(&E1000eStats.isr_calls);
	if (!Adapter->Msix)
		return E1000eLegacyService(Adapter, QueueDefaultInterruptDpc);
	if (MessageId >= Adapter->MessageCount)
		return FALSE;
	return E1000eMsixService(Adapter, MessageId, QueueDefaultInterruptDpc);
}

/* ------------------------------------------------------------- DPCs */

/* DIRQL, under the message's interrupt lock: take what its ISR recorded. */
static MINIPORT_SYNCHRONIZE_MESSAGE_INTERRUPT E1000eTakePendingCauses;
static BOOLEAN E1000eTakePendingCauses(NDIS_HANDLE SynchronizeContext)
{
	E1000E_SYNC *Sync = SynchronizeContext;

	Sync->Causes = Sync->Message->PendingCauses;
	Sync->Message->PendingCauses = 0;
	NdisInterlockedIncrement(&E1000eStats.sync_calls);
	return Sync->Causes != 0;
}

/* DIRQL, under the message's interrupt lock: re-enable its causes. */
static MINIPORT_SYNCHRONIZE_MESSAGE_INTERRUPT E1000eUnmask;
static BOOLEAN E1000eUnmask(NDIS_HANDLE SynchronizeContext)
{
	E1000E_SYNC *Sync = SynchronizeContext;

	Sync->Message->Masked = FALSE;
	E1000eWrite(Sync->Adapter, E1000_IMS, Sync->Message->Causes);
	NdisInterlockedIncrement(&E1000eStats.sync_calls);
	return TRUE;
}

static ULONG E1000eRxFrames(ULONG Causes)
{
	ULONG Frames = 0;

	for (ULONG Bit = 1; Bit; Bit <<= 1)
		if (Causes & E1000_RX_CAUSES & Bit)
			Frames += E1000E_FRAMES_PER_RX;
	return Frames;
}

/*
 * Indicate at most MaxNblsToIndicate frames of the backlog. Return TRUE
 * when frames remain (only possible under a limit: with
 * NDIS_INDICATE_ALL_NBLS the driver indicates everything).
 */
static BOOLEAN E1000eIndicate(PE1000E_MESSAGE Message, ULONG NewFrames, ULONG MaxNbls)
{
	ULONG Count;
	BOOLEAN More;

	NdisDprAcquireSpinLock(&Message->Lock);
	Message->RxBacklog += NewFrames;
	Count = Message->RxBacklog;
	if (MaxNbls != (ULONG)NDIS_INDICATE_ALL_NBLS && Count > MaxNbls)
		Count = MaxNbls;
	Message->RxBacklog -= Count; /* NdisMIndicateReceiveNetBufferLists would go here */
	More = Message->RxBacklog != 0;
	NdisDprReleaseSpinLock(&Message->Lock);
	for (ULONG i = 0; i < NewFrames; i++)
		NdisInterlockedIncrement(&E1000eStats.frames_received);
	for (ULONG i = 0; i < Count; i++)
		NdisInterlockedIncrement(&E1000eStats.frames_indicated);
	return More;
}

/* Both DPCs: DISPATCH_LEVEL, on the processor of the ISR that queued it. */
static VOID E1000eDeferred(PE1000E_ADAPTER Adapter, ULONG MessageId,
			   PNDIS_RECEIVE_THROTTLE_PARAMETERS Throttle)
{
	PE1000E_MESSAGE Message = &Adapter->Message[MessageId];
	E1000E_SYNC Sync = { Adapter, Message, 0 };

	if (!E1000eLive(Adapter))
		return;
	NdisInterlockedIncrement(&E1000eStats.dpc_calls);
	(VOID)NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle, MessageId,
					      E1000eTakePendingCauses, &Sync);
	/* Tx completions and "Other" (link) need no work in this sample. */
	if (E1000eIndicate(Message, E1000eRxFrames(Sync.Causes), Throttle->MaxNblsToIndicate)) {
		Throttle->MoreNblsPending = 1; /* stay masked: NDIS calls us again */
		NdisInterlockedIncrement(&E1000eStats.more_pending);
		return;
	}
	Throttle->MoreNblsPending = 0;
	(VOID)NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle, MessageId,
					      E1000eUnmask, &Sync); /* re-enable this message */
}

static MINIPORT_INTERRUPT_DPC E1000eInterruptDpc;
static VOID E1000eInterruptDpc(NDIS_HANDLE MiniportInterruptContext, PVOID MiniportDpcContext,
			       PVOID ReceiveThrottleParameters, PVOID NdisReserved2)
{
	UNREFERENCED_PARAMETER(MiniportDpcContext);
	UNREFERENCED_PARAMETER(NdisReserved2);
	E1000eDeferred(MiniportInterruptContext, 0, ReceiveThrottleParameters);
}

static MINIPORT_MESSAGE_INTERRUPT_DPC E1000eMessageInterruptDpc;
static VOID E1000eMessageInterruptDpc(NDIS_HANDLE MiniportInterruptContext, ULONG MessageId,
				      PVOID MiniportDpcContext, PVOID ReceiveThrottleParameters,
				      PVOID NdisReserved2)
{
	PE1000E_ADAPTER Adapter = MiniportInterruptContext;

	UNREFERENCED_PARAMETER(MiniportDpcContext);
	UNREFERENCED_PARAMETER(NdisReserved2);
	E1000eDeferred(Adapter, Adapter->Msix ? MessageId : 0, ReceiveThrottleParameters);
}

/* -------------------------------------------------------- initialize */

static NDIS_STATUS E1000eSetAttributes(PE1000E_ADAPTER Adapter)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES Attributes;

	NdisZeroMemory(&Attributes, sizeof(Attributes));
	Attributes.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	Attributes.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	Attributes.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	Attributes.MiniportAdapterContext = Adapter;
	Attributes.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE |
				    NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER;
	Attributes.InterfaceType = NdisInterfacePci;
	return NdisMSetMiniportAttributes(Adapter->AdapterHandle,
					  (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&Attributes);
}

/* Map BAR0, the first memory range assigned, and quiesce the device. */
static NDIS_STATUS E1000eMapRegisters(PE1000E_ADAPTER Adapter, PNDIS_RESOURCE_LIST Resources)
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
		E1000eWrite(Adapter, E1000_IMC, E1000_ALL_CAUSES);
		(VOID)E1000eRead(Adapter, E1000_ICR); /* drop stale causes */
		return NDIS_STATUS_SUCCESS;
	}
	return NDIS_STATUS_RESOURCES;
}

static ULONG E1000eConfigRead(PE1000E_ADAPTER Adapter, ULONG Offset, ULONG Length)
{
	ULONG Value = 0;

	if (NdisMGetBusData(Adapter->AdapterHandle, PCI_WHICHSPACE_CONFIG, Offset, &Value,
			    Length) != Length)
		return 0;
	return Value;
}

/* Is the MSI-X capability enabled (i.e. were we granted MSI-X, not MSI)? */
static BOOLEAN E1000eMsixEnabled(PE1000E_ADAPTER Adapter)
{
	ULONG Ptr;

	if (!(E1000eConfigRead(Adapter, PCI_STATUS_REG, 2) & PCI_STATUS_CAP_LIST))
		return FALSE; /* the 82540EM has no capability list */
	Ptr = E1000eConfigRead(Adapter, PCI_CAP_POINTER, 1) & 0xfc;
	for (ULONG Guard = 0; Ptr && Guard < 48; Guard++) {
		ULONG Header = E1000eConfigRead(Adapter, Ptr, 4);

		if ((Header & 0xff) == PCI_CAP_ID_MSIX)
			return (Header >> 16 & PCI_MSIX_ENABLE) != 0;
		Ptr = Header >> 8 & 0xfc;
	}
	return FALSE;
}

/* Route cause i to message i mod MessageCount; program IVAR and EIAC. */
static VOID E1000eRouteCauses(PE1000E_ADAPTER Adapter)
{
	ULONG Ivar = 0, Eiac = 0;

	for (ULONG i = 0; i < E1000E_CAUSES; i++) {
		ULONG Vector = i % Adapter->MessageCount;

		Adapter->Message[Vector].Causes |= E1000eCause[i];
		Ivar |= (Vector | E1000_IVAR_VALID) << (4 * i);
	}
	for (ULONG m = 0; m < Adapter->MessageCount; m++) {
		ULONG Causes = Adapter->Message[m].Causes;

		Adapter->Message[m].Dedicated = (Causes & (Causes - 1)) == 0;
		if (Adapter->Message[m].Dedicated)
			Eiac |= Causes;
	}
	E1000eWrite(Adapter, E1000_IVAR, Ivar);
	E1000eWrite(Adapter, E1000_EIAC, Eiac);
}

static VOID E1000ePrintGrant(PE1000E_ADAPTER Adapter, NDIS_INTERRUPT_TYPE Type, ULONG Messages)
{
	printf("e1000e: InterruptType=%s messages=%u (%s)\n",
	       Type == NDIS_CONNECT_MESSAGE_BASED ? "NDIS_CONNECT_MESSAGE_BASED" :
						    "NDIS_CONNECT_LINE_BASED",
	       (unsigned)Messages,
	       Adapter->Msix ? "MSI-X" : Messages ? "MSI" : "line");
	if (Adapter->Msix) {
		printf("e1000e: IVAR routing:");
		for (ULONG i = 0; i < E1000E_CAUSES; i++)
			printf(" %s->%u", E1000eCauseName[i],
			       (unsigned)(i % Adapter->MessageCount));
		printf("\n");
	}
	fflush(stdout);
}

/* After NdisMRegisterInterruptEx: learn the grant, route causes, enable. */
static VOID E1000eEnableInterrupts(PE1000E_ADAPTER Adapter,
				   PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS Chars)
{
	ULONG Messages = 0;

	Adapter->MessageCount = 1;
	if (Chars->MessageInfoTable) /* NULL for a line */
		Messages = Chars->MessageInfoTable->MessageCount;
	if (Chars->InterruptType == NDIS_CONNECT_MESSAGE_BASED)
		Adapter->Msix = E1000eMsixEnabled(Adapter);
	if (Adapter->Msix) {
		Adapter->MessageCount = Messages < E1000E_CAUSES ? Messages : E1000E_CAUSES;
		E1000eRouteCauses(Adapter);
	} else {
		Adapter->Message[0].Causes = E1000_ICR_TXDW | E1000_ICR_RXT0 | E1000_ICR_RXQ0 |
					     E1000_ICR_RXQ1 | E1000_ICR_TXQ0 | E1000_ICR_TXQ1 |
					     E1000_ICR_OTHER;
	}
	E1000eStats.interrupt_type = (int32_t)Chars->InterruptType;
	E1000eStats.messages = (int32_t)Messages;
	E1000eStats.msix = Adapter->Msix;
	E1000ePrintGrant(Adapter, Chars->InterruptType, Messages);
	for (ULONG m = 0; m < Adapter->MessageCount; m++)
		E1000eWrite(Adapter, E1000_IMS, Adapter->Message[m].Causes);
}

static NDIS_STATUS E1000eRegisterInterrupt(PE1000E_ADAPTER Adapter)
{
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS Chars;
	NDIS_STATUS Status;

	NdisZeroMemory(&Chars, sizeof(Chars));
	Chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
	Chars.Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
	Chars.Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;
	Chars.InterruptHandler = E1000eInterrupt;
	Chars.InterruptDpcHandler = E1000eInterruptDpc;
	Chars.MsiSupported = TRUE;
	Chars.MessageInterruptHandler = E1000eMessageInterrupt;
	Chars.MessageInterruptDpcHandler = E1000eMessageInterruptDpc;
	Status = NdisMRegisterInterruptEx(Adapter->AdapterHandle, Adapter, &Chars,
					  &Adapter->InterruptHandle);
	if (Status == NDIS_STATUS_SUCCESS)
		E1000eEnableInterrupts(Adapter, &Chars);
	return Status;
}

static VOID E1000eFreeAdapter(PE1000E_ADAPTER Adapter)
{
	for (ULONG m = 0; m < E1000E_CAUSES; m++)
		NdisFreeSpinLock(&Adapter->Message[m].Lock);
	if (Adapter->Registers)
		NdisMUnmapIoSpace(Adapter->AdapterHandle, Adapter->Registers,
				  Adapter->RegistersLength);
	NdisFreeMemory(Adapter, sizeof(*Adapter), 0);
}

static MINIPORT_INITIALIZE E1000eInitializeEx;
static NDIS_STATUS E1000eInitializeEx(NDIS_HANDLE MiniportAdapterHandle,
				      NDIS_HANDLE MiniportDriverContext,
				      PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters)
{
	PE1000E_ADAPTER Adapter;
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(MiniportDriverContext);
	Adapter = NdisAllocateMemoryWithTagPriority(MiniportAdapterHandle, sizeof(*Adapter),
						    E1000E_TAG, NormalPoolPriority);
	if (!Adapter)
		return NDIS_STATUS_RESOURCES;
	NdisZeroMemory(Adapter, sizeof(*Adapter));
	Adapter->Signature = E1000E_LIVE;
	Adapter->AdapterHandle = MiniportAdapterHandle;
	for (ULONG m = 0; m < E1000E_CAUSES; m++)
		NdisAllocateSpinLock(&Adapter->Message[m].Lock);
	Status = E1000eSetAttributes(Adapter);
	if (Status == NDIS_STATUS_SUCCESS)
		Status = E1000eMapRegisters(Adapter, MiniportInitParameters->AllocatedResources);
	if (Status == NDIS_STATUS_SUCCESS)
		Status = E1000eRegisterInterrupt(Adapter);
	if (Status != NDIS_STATUS_SUCCESS)
		E1000eFreeAdapter(Adapter);
	return Status;
}

/* ---------------------------------------------------- halt and unload */

static MINIPORT_HALT E1000eHaltEx;
static VOID E1000eHaltEx(NDIS_HANDLE MiniportAdapterContext, NDIS_HALT_ACTION HaltAction)
{
	PE1000E_ADAPTER Adapter = MiniportAdapterContext;

	UNREFERENCED_PARAMETER(HaltAction);
	E1000eWrite(Adapter, E1000_IMC, E1000_ALL_CAUSES); /* the device stops interrupting */
	NdisMDeregisterInterruptEx(Adapter->InterruptHandle);
	Adapter->Signature = E1000E_POISON; /* from here on, no callback may come */
	E1000eWrite(Adapter, E1000_IMC, E1000_ALL_CAUSES); /* a last DPC may have re-enabled */
	NdisMUnmapIoSpace(Adapter->AdapterHandle, Adapter->Registers, Adapter->RegistersLength);
	Adapter->Registers = NULL;
	Adapter->NextRetired = E1000eRetired; /* kept (poisoned) to catch late callbacks */
	E1000eRetired = Adapter;
	NdisInterlockedIncrement(&E1000eStats.halted);
}

static MINIPORT_UNLOAD E1000eUnload;
static VOID E1000eUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	if (E1000eStats.halted && E1000eStats.late_callbacks)
		printf("e1000e: %d callback(s) after deregistration: FAILED\n",
		       (int)E1000eStats.late_callbacks);
	else if (E1000eStats.halted)
		printf("e1000e: no callback after deregistration: OK\n");
	fflush(stdout);
	while (E1000eRetired) {
		PE1000E_ADAPTER Next = E1000eRetired->NextRetired;

		E1000eFreeAdapter(E1000eRetired);
		E1000eRetired = Next;
	}
	NdisMDeregisterMiniportDriver(E1000eDriverHandle);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS Chars;

	NdisZeroMemory(&E1000eStats, sizeof(E1000eStats));
	NdisZeroMemory(&Chars, sizeof(Chars));
	Chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	Chars.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	Chars.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	Chars.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION;
	Chars.MinorNdisVersion = NDIS_MINIPORT_MINOR_VERSION;
	Chars.MajorDriverVersion = 1;
	Chars.InitializeHandlerEx = E1000eInitializeEx;
	Chars.HaltHandlerEx = E1000eHaltEx;
	Chars.UnloadHandler = E1000eUnload;
	return NdisMRegisterMiniportDriver(DriverObject, RegistryPath, NULL, &Chars,
					   &E1000eDriverHandle);
}
