// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * e1000e: the interrupt path of an NDIS 6.20 miniport for the Intel 82574L
 * (and, line-based, the 82540EM "e1000"). With MSI-X each cause (RxQ0,
 * RxQ1, TxQ0, TxQ1, Other) gets its own message through IVAR; the message
 * ISR masks its causes (IMC) and the DPC does the work within the receive
 * throttle before re-enabling them (IMS). With MSI or the line the ISR
 * reads ICR and the one DPC dispatches every cause.
 *
 * The packet path (off unless E1000eSampleEnableTraffic() was called, see
 * e1000e_sample.h): legacy receive and transmit descriptor rings and their
 * buffers in NdisMAllocateSharedMemory memory. The receive DPC indicates at
 * most MaxNblsToIndicate frames to the embedder's callback per call and,
 * while frames remain, sets MoreNblsPending and leaves its causes masked;
 * transmit completions are reclaimed in the transmit DPC and on send.
 */
#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1
#include <errno.h>
#include <ndis.h>
#include <stdio.h>

#include "../sample_stats.h"
#include "e1000e_sample.h"

/* 82574L / 82540EM interrupt registers (BAR0) and ICR cause bits. */
#define E1000_ICR 0x00C0  /* read-to-clear (MSI, INTx); write-1-to-clear */
#define E1000_IMS 0x00D0  /* set mask bits: enable causes */
#define E1000_IMC 0x00D8  /* clear mask bits: disable causes */
/* Halt: every cause masked for good, then this long for the throttling
 * timers (us; QEMU's EITR/ITR reset value is 128 us). */
#define E1000E_QUIESCE_US 10000
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
#define E1000_TX_CAUSES (E1000_ICR_TXDW | E1000_ICR_TXQ0 | E1000_ICR_TXQ1)
#define E1000_ALL_CAUSES 0xffffffffu

/* The packet path: registers and bits as QEMU's hw/net/e1000_regs.h. */
#define E1000_CTRL 0x0000
#define E1000_CTRL_SLU 0x00000040u    /* set link up */
#define E1000_STATUS 0x0008
#define E1000_STATUS_LU 0x00000002u   /* link up */
#define E1000_RCTL 0x0100
#define E1000_RCTL_EN 0x00000002u
#define E1000_RCTL_UPE 0x00000008u    /* unicast promiscuous */
#define E1000_RCTL_BAM 0x00008000u    /* accept broadcast */
#define E1000_RCTL_SECRC 0x04000000u  /* strip the FCS; BSIZE 00 = 2048-byte buffers */
#define E1000_TCTL 0x0400
#define E1000_TCTL_EN 0x00000002u
#define E1000_TCTL_PSP 0x00000008u    /* pad short packets */
#define E1000_TCTL_CT (0x0fu << 4)    /* collision threshold */
#define E1000_TCTL_COLD (0x3fu << 12) /* collision distance, full duplex */
#define E1000_RDBAL 0x2800
#define E1000_RDBAH 0x2804
#define E1000_RDLEN 0x2808
#define E1000_RDH 0x2810
#define E1000_RDT 0x2818
#define E1000_TDBAL 0x3800
#define E1000_TDBAH 0x3804
#define E1000_TDLEN 0x3808
#define E1000_TDH 0x3810
#define E1000_TDT 0x3818
#define E1000_RFCTL 0x5008
#define E1000_RFCTL_EXTEN 0x00008000u /* extended descriptors: kept off */
#define E1000_RAL0 0x5400
#define E1000_RAH0 0x5404
#define E1000_RAH_AV 0x80000000u      /* address valid */
#define E1000_RXD_STAT_DD 0x01u       /* legacy receive descriptor status */
#define E1000_RXD_STAT_EOP 0x02u
/* Frame errors (CE, SE, SEQ, CXE, RXE) drop a frame; checksum errors (TCPE, IPE) do not. */
#define E1000_RXD_ERR_FRAME 0x97u
#define E1000_TXD_CMD_EOP 0x01000000u /* legacy transmit descriptor, lower dword */
#define E1000_TXD_CMD_IFCS 0x02000000u
#define E1000_TXD_CMD_RS 0x08000000u
#define E1000_TXD_STAT_DD 0x00000001u /* upper dword */
#define E1000E_BUFFER 2048u            /* one frame per buffer (RCTL.BSIZE 2048) */
#define E1000E_SG_TAG "e1000e"

/* Descriptors are shared with the device: order CPU accesses against it
 * (KeMemoryBarrier on Windows). */
#define E1000E_BARRIER() __atomic_thread_fence(__ATOMIC_SEQ_CST)

/* Legacy receive descriptor (16 bytes). */
typedef struct _E1000E_RX_DESC {
	ULONGLONG BufferAddress;
	USHORT Length;
	USHORT Checksum;
	UCHAR Status;
	UCHAR Errors;
	USHORT Special;
} E1000E_RX_DESC;

/* Legacy transmit descriptor (16 bytes): length | CSO | CMD, then status. */
typedef struct _E1000E_TX_DESC {
	ULONGLONG BufferAddress;
	ULONG Lower;
	ULONG Upper;
} E1000E_TX_DESC;

_Static_assert(sizeof(E1000E_RX_DESC) == 16 && sizeof(E1000E_TX_DESC) == 16,
	       "legacy descriptors are 16 bytes");
_Static_assert(sizeof(struct e1000e_sample_rx_desc) == sizeof(E1000E_RX_DESC) &&
	       sizeof(struct e1000e_sample_tx_desc) == sizeof(E1000E_TX_DESC),
	       "e1000e_sample.h describes the sample's descriptors");

typedef struct _E1000E_SHARED {
	PVOID Va;
	NDIS_PHYSICAL_ADDRESS Pa;
	ULONG Length;
} E1000E_SHARED;

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
	BOOLEAN Halting;       /* halt masked it for good: interrupt lock */
	ULONG PendingCauses;   /* ISR sets, DPC takes: interrupt lock */
	NDIS_SPIN_LOCK Lock;   /* guards RxBacklog between DPCs */
	ULONG RxBacklog;       /* frames announced, not yet indicated */
	BOOLEAN MorePending;   /* its DPC returned MoreNblsPending: next call is the requeue */
} E1000E_MESSAGE, *PE1000E_MESSAGE;

/* The packet path of one adapter. */
typedef struct _E1000E_TRAFFIC {
	ULONG Index;                 /* hook index (initialization order) */
	NDIS_HANDLE DmaHandle;       /* NdisMRegisterScatterGatherDma */
	E1000E_SHARED Rings;         /* RX ring, then TX ring */
	E1000E_SHARED RxBuffers;     /* E1000E_SAMPLE_RX_RING x 2048 */
	E1000E_SHARED TxBuffers;     /* E1000E_SAMPLE_TX_RING x 2048 */
	volatile E1000E_RX_DESC *RxRing;
	volatile E1000E_TX_DESC *TxRing;
	NDIS_SPIN_LOCK RxLock;       /* RxNext, the RX ring */
	ULONG RxNext;                /* next descriptor the device completes */
	NDIS_SPIN_LOCK TxLock;       /* TxTail, TxClean, the TX ring */
	ULONG TxTail;                /* next free descriptor (TDT) */
	ULONG TxClean;               /* oldest descriptor not reclaimed */
	UCHAR Mac[6];
	struct e1000e_sample_traffic_stats Stats; /* under RxLock / TxLock */
} E1000E_TRAFFIC;

typedef struct _E1000E_ADAPTER {
	volatile ULONG Signature;
	NDIS_HANDLE AdapterHandle;
	NDIS_HANDLE InterruptHandle;
	PUCHAR Registers;
	UINT RegistersLength;
	BOOLEAN Msix;          /* one message per cause group; else ICR decides */
	ULONG MessageCount;    /* messages in use; 1 with MSI or the line */
	E1000E_MESSAGE Message[E1000E_CAUSES];
	BOOLEAN HasTraffic;    /* the packet path is set up */
	E1000E_TRAFFIC Traffic;
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
/* The packet path: set by E1000eSampleEnableTraffic before initialize. */
static BOOLEAN E1000eTrafficEnabled;
static e1000e_sample_receive_fn *E1000eReceive;
static void *E1000eReceiveContext;
static PE1000E_ADAPTER E1000eTrafficAdapter[E1000E_SAMPLE_MAX_ADAPTERS]; /* NULL once halted */
static ULONG E1000eTrafficAdapters;

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

	NdisInterlockedIncrement(&E1000eStats.sync_calls);
	if (Sync->Message->Halting)
		return FALSE; /* halt masked this message for good */
	Sync->Message->Masked = FALSE;
	E1000eWrite(Sync->Adapter, E1000_IMS, Sync->Message->Causes);
	return TRUE;
}

/* DIRQL, under the message's interrupt lock: halt masks it for good. */
static MINIPORT_SYNCHRONIZE_MESSAGE_INTERRUPT E1000eMaskForHalt;
static BOOLEAN E1000eMaskForHalt(NDIS_HANDLE SynchronizeContext)
{
	E1000E_SYNC *Sync = SynchronizeContext;

	Sync->Message->Halting = TRUE;
	Sync->Message->Masked = TRUE;
	E1000eWrite(Sync->Adapter, E1000_IMC, Sync->Message->Causes);
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

/* ----------------------------------------------------- packet path */

/* Transmit descriptors the device has finished (DD), oldest first. Under TxLock. */
static VOID E1000eTxReclaimLocked(E1000E_TRAFFIC *Traffic)
{
	while (Traffic->TxClean != Traffic->TxTail &&
	       (Traffic->TxRing[Traffic->TxClean].Upper & E1000_TXD_STAT_DD)) {
		Traffic->TxClean = (Traffic->TxClean + 1) % E1000E_SAMPLE_TX_RING;
		Traffic->Stats.tx_completed++;
	}
}

/* The transmit DPC's work: DISPATCH_LEVEL. */
static VOID E1000eTxReclaim(E1000E_TRAFFIC *Traffic)
{
	NdisDprAcquireSpinLock(&Traffic->TxLock);
	E1000eTxReclaimLocked(Traffic);
	NdisDprReleaseSpinLock(&Traffic->TxLock);
}

/* Indicate one completed descriptor's frame; FALSE when it is dropped. */
static BOOLEAN E1000eRxDeliver(E1000E_TRAFFIC *Traffic, ULONG Slot, ULONG DpcCall)
{
	volatile E1000E_RX_DESC *Desc = &Traffic->RxRing[Slot];
	ULONG Length = Desc->Length;

	if (!(Desc->Status & E1000_RXD_STAT_EOP) || (Desc->Errors & E1000_RXD_ERR_FRAME) ||
	    Length > E1000E_BUFFER) {
		Traffic->Stats.rx_errors++;
		return FALSE;
	}
	if (E1000eReceive) /* NdisMIndicateReceiveNetBufferLists would go here */
		E1000eReceive(E1000eReceiveContext, Traffic->Index,
			      (PUCHAR)Traffic->RxBuffers.Va + Slot * E1000E_BUFFER, Length,
			      DpcCall);
	return TRUE;
}

/*
 * The receive DPC's work: indicate at most @MaxNbls completed frames, give
 * their descriptors back (RDT), and return TRUE when more completed frames
 * wait (only under a limit). DISPATCH_LEVEL.
 */
static BOOLEAN E1000eRxIndicate(PE1000E_ADAPTER Adapter, ULONG MaxNbls)
{
	E1000E_TRAFFIC *Traffic = &Adapter->Traffic;
	ULONG Count = 0, Seen = 0, Last = 0, DpcCall;
	BOOLEAN More;

	NdisDprAcquireSpinLock(&Traffic->RxLock);
	DpcCall = ++Traffic->Stats.rx_dpc_calls;
	Traffic->Stats.rx_limit = MaxNbls;
	while (Count < MaxNbls && (Traffic->RxRing[Traffic->RxNext].Status & E1000_RXD_STAT_DD)) {
		ULONG Slot = Traffic->RxNext;

		E1000E_BARRIER(); /* the descriptor's other fields and data after DD */
		NdisInterlockedIncrement(&E1000eStats.frames_received);
		if (E1000eRxDeliver(Traffic, Slot, DpcCall)) {
			Count++;
			NdisInterlockedIncrement(&E1000eStats.frames_indicated);
		}
		Traffic->RxRing[Slot].Status = 0;
		Traffic->RxNext = (Slot + 1) % E1000E_SAMPLE_RX_RING;
		Last = Slot;
		Seen++;
	}
	if (Seen) {
		/* The last slot emptied becomes the one the device must not fill. */
		E1000E_BARRIER();
		E1000eWrite(Adapter, E1000_RDT, Last);
	}
	Traffic->Stats.rx_indicated += Count;
	if (Count > Traffic->Stats.rx_max_per_dpc)
		Traffic->Stats.rx_max_per_dpc = Count;
	More = Count >= MaxNbls &&
	       (Traffic->RxRing[Traffic->RxNext].Status & E1000_RXD_STAT_DD) != 0;
	if (MaxNbls == (ULONG)NDIS_INDICATE_ALL_NBLS)
		More = FALSE; /* no NDIS limit: MoreNblsPending must be FALSE */
	if (More)
		Traffic->Stats.rx_more_pending++;
	NdisDprReleaseSpinLock(&Traffic->RxLock);
	return More;
}

/* Does this message carry receive queue 0 (the one ring)? */
static BOOLEAN E1000eCarriesRx(PE1000E_MESSAGE Message)
{
	return (Message->Causes & (E1000_ICR_RXQ0 | E1000_ICR_RXT0)) != 0;
}

/* The DPC's receive and transmit work; TRUE when receives remain. */
static BOOLEAN E1000eDeferredWork(PE1000E_ADAPTER Adapter, PE1000E_MESSAGE Message,
				  ULONG Causes, ULONG MaxNbls)
{
	BOOLEAN Requeued = Message->MorePending;

	Message->MorePending = FALSE;
	if (!Adapter->HasTraffic) /* "Other" (link) needs no work in this sample */
		return E1000eIndicate(Message, E1000eRxFrames(Causes), MaxNbls);
	if (Causes & E1000_TX_CAUSES)
		E1000eTxReclaim(&Adapter->Traffic);
	if (!E1000eCarriesRx(Message))
		return FALSE;
	if (Requeued) {
		NdisDprAcquireSpinLock(&Adapter->Traffic.RxLock);
		Adapter->Traffic.Stats.rx_requeued_calls++;
		NdisDprReleaseSpinLock(&Adapter->Traffic.RxLock);
	}
	return E1000eRxIndicate(Adapter, MaxNbls);
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
	if (E1000eDeferredWork(Adapter, Message, Sync.Causes, Throttle->MaxNblsToIndicate)) {
		Message->MorePending = TRUE;
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
				    NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER; /* DMA: packet path */
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

/* ------------------------------------------- packet path: DMA setup */

static NDIS_STATUS E1000eRegisterDma(PE1000E_ADAPTER Adapter)
{
	NDIS_SG_DMA_DESCRIPTION Dma;

	NdisZeroMemory(&Dma, sizeof(Dma));
	Dma.Header.Type = NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION;
	Dma.Header.Revision = NDIS_SG_DMA_DESCRIPTION_REVISION_1;
	Dma.Header.Size = NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1;
	Dma.Flags = NDIS_SG_DMA_64_BIT_ADDRESS; /* RDBAH/TDBAH: 64-bit addresses */
	Dma.MaximumPhysicalMapping = E1000E_BUFFER;
	return NdisMRegisterScatterGatherDma(Adapter->AdapterHandle, &Dma,
					     &Adapter->Traffic.DmaHandle);
}

static BOOLEAN E1000eAllocateShared(PE1000E_ADAPTER Adapter, E1000E_SHARED *Shared,
				    ULONG Length)
{
	NdisMAllocateSharedMemory(Adapter->AdapterHandle, Length, TRUE, &Shared->Va,
				  &Shared->Pa);
	if (!Shared->Va)
		return FALSE;
	Shared->Length = Length;
	NdisZeroMemory(Shared->Va, Length);
	return TRUE;
}

static VOID E1000eFreeShared(PE1000E_ADAPTER Adapter, E1000E_SHARED *Shared)
{
	if (!Shared->Va)
		return;
	NdisMFreeSharedMemory(Adapter->AdapterHandle, Shared->Length, TRUE, Shared->Va,
			      Shared->Pa);
	Shared->Va = NULL;
}

/* Undo E1000eSetupTraffic (the device must be stopped). PASSIVE_LEVEL. */
static VOID E1000eReleaseTraffic(PE1000E_ADAPTER Adapter)
{
	E1000E_TRAFFIC *Traffic = &Adapter->Traffic;

	E1000eFreeShared(Adapter, &Traffic->TxBuffers);
	E1000eFreeShared(Adapter, &Traffic->RxBuffers);
	E1000eFreeShared(Adapter, &Traffic->Rings);
	if (Traffic->DmaHandle)
		NdisMDeregisterScatterGatherDma(Traffic->DmaHandle);
	Traffic->DmaHandle = NULL;
}

static VOID E1000eWrite64(PE1000E_ADAPTER Adapter, ULONG Low, ULONG High,
			  NDIS_PHYSICAL_ADDRESS Pa)
{
	E1000eWrite(Adapter, Low, (ULONG)(Pa.QuadPart & 0xffffffff));
	E1000eWrite(Adapter, High, (ULONG)((ULONGLONG)Pa.QuadPart >> 32));
}

/* Rings and buffers: every descriptor points at its own 2 KiB buffer. */
static VOID E1000eInitRings(E1000E_TRAFFIC *Traffic)
{
	Traffic->RxRing = Traffic->Rings.Va;
	Traffic->TxRing = (volatile E1000E_TX_DESC *)(Traffic->RxRing + E1000E_SAMPLE_RX_RING);
	for (ULONG i = 0; i < E1000E_SAMPLE_RX_RING; i++)
		Traffic->RxRing[i].BufferAddress =
			(ULONGLONG)Traffic->RxBuffers.Pa.QuadPart + i * E1000E_BUFFER;
	for (ULONG i = 0; i < E1000E_SAMPLE_TX_RING; i++)
		Traffic->TxRing[i].BufferAddress =
			(ULONGLONG)Traffic->TxBuffers.Pa.QuadPart + i * E1000E_BUFFER;
}

/* The station address from RAL0/RAH0; promiscuous when it is not valid. */
static ULONG E1000eReadMac(PE1000E_ADAPTER Adapter)
{
	ULONG Low = E1000eRead(Adapter, E1000_RAL0), High = E1000eRead(Adapter, E1000_RAH0);

	for (ULONG i = 0; i < 4; i++)
		Adapter->Traffic.Mac[i] = (UCHAR)(Low >> (8 * i));
	Adapter->Traffic.Mac[4] = (UCHAR)High;
	Adapter->Traffic.Mac[5] = (UCHAR)(High >> 8);
	return (High & E1000_RAH_AV) ? 0 : E1000_RCTL_UPE;
}

/* Program the rings and enable the receiver and the transmitter. */
static VOID E1000eStartTraffic(PE1000E_ADAPTER Adapter)
{
	E1000E_TRAFFIC *Traffic = &Adapter->Traffic;
	NDIS_PHYSICAL_ADDRESS TxRing = Traffic->Rings.Pa; /* after the RX ring */
	ULONG Promiscuous;

	TxRing.QuadPart += E1000E_SAMPLE_RX_RING * sizeof(E1000E_RX_DESC);
	E1000eWrite(Adapter, E1000_RCTL, 0);
	E1000eWrite(Adapter, E1000_TCTL, 0);
	E1000eWrite(Adapter, E1000_RFCTL, E1000eRead(Adapter, E1000_RFCTL) & ~E1000_RFCTL_EXTEN);
	E1000eWrite(Adapter, E1000_CTRL, E1000eRead(Adapter, E1000_CTRL) | E1000_CTRL_SLU);
	E1000eWrite64(Adapter, E1000_RDBAL, E1000_RDBAH, Traffic->Rings.Pa);
	E1000eWrite(Adapter, E1000_RDLEN, E1000E_SAMPLE_RX_RING * sizeof(E1000E_RX_DESC));
	E1000eWrite(Adapter, E1000_RDH, 0);
	E1000eWrite(Adapter, E1000_RDT, E1000E_SAMPLE_RX_RING - 1); /* all but one free */
	E1000eWrite64(Adapter, E1000_TDBAL, E1000_TDBAH, TxRing);
	E1000eWrite(Adapter, E1000_TDLEN, E1000E_SAMPLE_TX_RING * sizeof(E1000E_TX_DESC));
	E1000eWrite(Adapter, E1000_TDH, 0);
	E1000eWrite(Adapter, E1000_TDT, 0);
	Promiscuous = E1000eReadMac(Adapter);
	E1000eWrite(Adapter, E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_PSP | E1000_TCTL_CT |
					 E1000_TCTL_COLD);
	E1000eWrite(Adapter, E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_BAM | E1000_RCTL_SECRC |
					 Promiscuous);
}

/* Stop the receiver and the transmitter: no DMA after this. */
static VOID E1000eStopTraffic(PE1000E_ADAPTER Adapter)
{
	E1000eWrite(Adapter, E1000_RCTL, 0);
	E1000eWrite(Adapter, E1000_TCTL, 0);
}

/* The packet path, when enabled: DMA registration, memory, rings. PASSIVE_LEVEL. */
static NDIS_STATUS E1000eSetupTraffic(PE1000E_ADAPTER Adapter)
{
	E1000E_TRAFFIC *Traffic = &Adapter->Traffic;
	NDIS_STATUS Status;

	if (!E1000eTrafficEnabled)
		return NDIS_STATUS_SUCCESS;
	if (E1000eTrafficAdapters >= E1000E_SAMPLE_MAX_ADAPTERS)
		return NDIS_STATUS_RESOURCES;
	Status = E1000eRegisterDma(Adapter);
	if (Status != NDIS_STATUS_SUCCESS)
		return Status;
	if (!E1000eAllocateShared(Adapter, &Traffic->Rings,
				  E1000E_SAMPLE_RX_RING * sizeof(E1000E_RX_DESC) +
				  E1000E_SAMPLE_TX_RING * sizeof(E1000E_TX_DESC)) ||
	    !E1000eAllocateShared(Adapter, &Traffic->RxBuffers,
				  E1000E_SAMPLE_RX_RING * E1000E_BUFFER) ||
	    !E1000eAllocateShared(Adapter, &Traffic->TxBuffers,
				  E1000E_SAMPLE_TX_RING * E1000E_BUFFER)) {
		E1000eReleaseTraffic(Adapter);
		return NDIS_STATUS_RESOURCES;
	}
	E1000eInitRings(Traffic);
	E1000eStartTraffic(Adapter);
	Traffic->Index = E1000eTrafficAdapters;
	Adapter->HasTraffic = TRUE;
	return NDIS_STATUS_SUCCESS;
}

static VOID E1000eFreeAdapter(PE1000E_ADAPTER Adapter)
{
	NdisFreeSpinLock(&Adapter->Traffic.RxLock);
	NdisFreeSpinLock(&Adapter->Traffic.TxLock);
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
	NdisAllocateSpinLock(&Adapter->Traffic.RxLock);
	NdisAllocateSpinLock(&Adapter->Traffic.TxLock);
	Status = E1000eSetAttributes(Adapter);
	if (Status == NDIS_STATUS_SUCCESS)
		Status = E1000eMapRegisters(Adapter, MiniportInitParameters->AllocatedResources);
	if (Status == NDIS_STATUS_SUCCESS)
		Status = E1000eSetupTraffic(Adapter);
	if (Status == NDIS_STATUS_SUCCESS)
		Status = E1000eRegisterInterrupt(Adapter);
	if (Status == NDIS_STATUS_SUCCESS && Adapter->HasTraffic)
		E1000eTrafficAdapter[E1000eTrafficAdapters++] = Adapter;
	if (Status != NDIS_STATUS_SUCCESS) {
		if (Adapter->HasTraffic)
			E1000eStopTraffic(Adapter);
		E1000eReleaseTraffic(Adapter);
		E1000eFreeAdapter(Adapter);
	}
	return Status;
}

/* ---------------------------------------------------- halt and unload */

static MINIPORT_HALT E1000eHaltEx;
static VOID E1000eHaltEx(NDIS_HANDLE MiniportAdapterContext, NDIS_HALT_ACTION HaltAction)
{
	PE1000E_ADAPTER Adapter = MiniportAdapterContext;

	UNREFERENCED_PARAMETER(HaltAction);
	if (Adapter->HasTraffic) {
		E1000eTrafficAdapter[Adapter->Traffic.Index] = NULL; /* hooks: -ENODEV */
		E1000eStopTraffic(Adapter); /* no DMA into memory about to be freed */
	}
	/*
	 * Each message masked under its interrupt lock, so that a DPC still
	 * running cannot re-enable its causes after this (E1000eUnmask sees
	 * its Halting), then every cause. A DPC's IMS write that won the lock is
	 * followed by this IMC: the last interrupt the device may raise is
	 * older than the IMC.
	 */
	for (ULONG m = 0; m < Adapter->MessageCount; m++) {
		E1000E_SYNC Sync = { Adapter, &Adapter->Message[m], 0 };

		(VOID)NdisMSynchronizeWithInterruptEx(Adapter->InterruptHandle, m,
						      E1000eMaskForHalt, &Sync);
	}
	E1000eWrite(Adapter, E1000_IMC, E1000_ALL_CAUSES); /* the device stops interrupting */
	/*
	 * Let the interrupt throttling timers (ITR/EITR) run out before the
	 * vectors go away: a message the device postponed must not be sent
	 * after deregistration disabled MSI-X. QEMU 7.2's e1000e even aborts
	 * (e1000e_intrmgr_on_msix_throttling_timer asserts msix_enabled) when
	 * MSI-X is disabled while such a timer (>= 128 us) is pending.
	 */
	NdisMSleep(E1000E_QUIESCE_US);
	NdisMDeregisterInterruptEx(Adapter->InterruptHandle);
	Adapter->Signature = E1000E_POISON; /* from here on, no callback may come */
	E1000eWrite(Adapter, E1000_IMC, E1000_ALL_CAUSES); /* a last DPC may have re-enabled */
	E1000eReleaseTraffic(Adapter);
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
	E1000eTrafficEnabled = FALSE;
	E1000eReceive = NULL;
	E1000eTrafficAdapters = 0;
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

/* ------------------------------------------------- test hooks (e1000e_sample.h) */

int E1000eSampleEnableTraffic(e1000e_sample_receive_fn *receive, void *context)
{
	E1000eReceive = receive;
	E1000eReceiveContext = context;
	E1000eTrafficEnabled = TRUE;
	return 0;
}

unsigned E1000eSampleAdapters(void)
{
	return E1000eTrafficAdapters;
}

static PE1000E_ADAPTER E1000eTrafficOf(unsigned adapter)
{
	return adapter < E1000E_SAMPLE_MAX_ADAPTERS ? E1000eTrafficAdapter[adapter] : NULL;
}

int E1000eSampleMacAddress(unsigned adapter, uint8_t mac[6])
{
	PE1000E_ADAPTER Adapter = E1000eTrafficOf(adapter);

	if (!Adapter)
		return -ENODEV;
	NdisMoveMemory(mac, Adapter->Traffic.Mac, 6);
	return 0;
}

int E1000eSampleLinkUp(unsigned adapter)
{
	PE1000E_ADAPTER Adapter = E1000eTrafficOf(adapter);

	if (!Adapter)
		return -ENODEV;
	return (E1000eRead(Adapter, E1000_STATUS) & E1000_STATUS_LU) != 0;
}

int E1000eSampleSend(unsigned adapter, const void *frame, uint32_t length)
{
	PE1000E_ADAPTER Adapter = E1000eTrafficOf(adapter);
	E1000E_TRAFFIC *Traffic;
	volatile E1000E_TX_DESC *Desc;
	ULONG Slot;

	if (!Adapter)
		return -ENODEV;
	if (!frame || length < E1000E_SAMPLE_MIN_FRAME || length > E1000E_SAMPLE_MAX_FRAME)
		return -EINVAL;
	Traffic = &Adapter->Traffic;
	NdisAcquireSpinLock(&Traffic->TxLock);
	E1000eTxReclaimLocked(Traffic);
	Slot = Traffic->TxTail;
	if ((Slot + 1) % E1000E_SAMPLE_TX_RING == Traffic->TxClean) {
		NdisReleaseSpinLock(&Traffic->TxLock);
		return -EAGAIN;
	}
	NdisMoveMemory((PUCHAR)Traffic->TxBuffers.Va + Slot * E1000E_BUFFER, frame, length);
	Desc = &Traffic->TxRing[Slot];
	Desc->Upper = 0;
	Desc->Lower = length | E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS;
	Traffic->TxTail = (Slot + 1) % E1000E_SAMPLE_TX_RING;
	Traffic->Stats.tx_queued++;
	E1000E_BARRIER(); /* the descriptor and the data before the tail */
	E1000eWrite(Adapter, E1000_TDT, Traffic->TxTail);
	NdisReleaseSpinLock(&Traffic->TxLock);
	return 0;
}

int E1000eSampleTrafficStats(unsigned adapter, struct e1000e_sample_traffic_stats *out)
{
	PE1000E_ADAPTER Adapter = E1000eTrafficOf(adapter);
	struct e1000e_sample_traffic_stats Rx, Tx;

	if (!Adapter || !out)
		return -ENODEV;
	NdisAcquireSpinLock(&Adapter->Traffic.RxLock);
	Rx = Adapter->Traffic.Stats;
	NdisReleaseSpinLock(&Adapter->Traffic.RxLock);
	NdisAcquireSpinLock(&Adapter->Traffic.TxLock);
	Tx = Adapter->Traffic.Stats;
	NdisReleaseSpinLock(&Adapter->Traffic.TxLock);
	*out = Rx;
	out->tx_queued = Tx.tx_queued;
	out->tx_completed = Tx.tx_completed;
	return 0;
}

int E1000eSampleRings(unsigned adapter, struct e1000e_sample_rings *out)
{
	PE1000E_ADAPTER Adapter = E1000eTrafficOf(adapter);
	E1000E_TRAFFIC *Traffic;

	if (!Adapter || !out)
		return -ENODEV;
	Traffic = &Adapter->Traffic;
	out->rx_ring = (volatile struct e1000e_sample_rx_desc *)Traffic->RxRing;
	out->tx_ring = (volatile struct e1000e_sample_tx_desc *)Traffic->TxRing;
	out->rx_buffers = Traffic->RxBuffers.Va;
	out->tx_buffers = Traffic->TxBuffers.Va;
	out->rx_ring_addr = (uint64_t)Traffic->Rings.Pa.QuadPart;
	out->tx_ring_addr = out->rx_ring_addr + E1000E_SAMPLE_RX_RING * sizeof(E1000E_RX_DESC);
	out->rx_buffers_addr = (uint64_t)Traffic->RxBuffers.Pa.QuadPart;
	out->tx_buffers_addr = (uint64_t)Traffic->TxBuffers.Pa.QuadPart;
	return 0;
}
