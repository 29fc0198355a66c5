// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * A test miniport for QEMU's ivshmem-doorbell, loaded in-process with
 * nirq_host_load_entry by the `devices` guest program. MSI-X only: each
 * doorbell vector is one message and there is no cause register, so every
 * message ISR claims its interrupt and asks for the default DPC. It keeps
 * per-message counters (ISR and DPC calls, the processors they ran on) and
 * counts any callback that comes after NdisMDeregisterInterruptEx returned.
 * It maps nothing: the test rings the doorbell through its own BAR0 mapping.
 */
#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1
#include <ndis.h>

#include <string.h>

#include "vmtest_devices.h"

static struct {
	NDIS_HANDLE Driver;
	NDIS_HANDLE Adapter;
	NDIS_HANDLE Interrupt;
	ULONG Messages;
	volatile LONG Deregistered; /* set once NdisMDeregisterInterruptEx returned */
} Ivs;

static struct ivs_stats IvsStats;

#define ADD(field) __atomic_fetch_add(&IvsStats.field, 1, __ATOMIC_RELAXED)

void ivs_get(struct ivs_stats *out)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	out->interrupt_type = __atomic_load_n(&IvsStats.interrupt_type, __ATOMIC_RELAXED);
	out->messages = __atomic_load_n(&IvsStats.messages, __ATOMIC_RELAXED);
	for (unsigned m = 0; m < IVS_MAX_MESSAGES; m++) {
		out->target_set[m] = __atomic_load_n(&IvsStats.target_set[m], __ATOMIC_RELAXED);
		out->isr[m] = __atomic_load_n(&IvsStats.isr[m], __ATOMIC_RELAXED);
		out->dpc[m] = __atomic_load_n(&IvsStats.dpc[m], __ATOMIC_RELAXED);
		out->isr_procs[m] = __atomic_load_n(&IvsStats.isr_procs[m], __ATOMIC_RELAXED);
		out->dpc_procs[m] = __atomic_load_n(&IvsStats.dpc_procs[m], __ATOMIC_RELAXED);
	}
	out->line_calls = __atomic_load_n(&IvsStats.line_calls, __ATOMIC_RELAXED);
	out->bad_message_id = __atomic_load_n(&IvsStats.bad_message_id, __ATOMIC_RELAXED);
	out->late_callbacks = __atomic_load_n(&IvsStats.late_callbacks, __ATOMIC_RELAXED);
	out->halted = __atomic_load_n(&IvsStats.halted, __ATOMIC_RELAXED);
}

/* Every callback starts here: after deregistration nothing may come. */
static BOOLEAN IvsLive(VOID)
{
	if (!__atomic_load_n(&Ivs.Deregistered, __ATOMIC_ACQUIRE))
		return TRUE;
	ADD(late_callbacks);
	return FALSE;
}

static uint64_t IvsProcessorBit(VOID)
{
	ULONG p = KeGetCurrentProcessorNumberEx(NULL);

	return p < 64 ? 1ull << p : 0;
}

/* ------------------------------------------------------- interrupt path */

static MINIPORT_ISR IvsLineIsr;
static BOOLEAN IvsLineIsr(NDIS_HANDLE Ctx, PBOOLEAN QueueDpc, PULONG Targets)
{
	UNREFERENCED_PARAMETER(Ctx);
	*QueueDpc = FALSE;
	*Targets = 0;
	if (IvsLive())
		ADD(line_calls); /* MSI-X only: a line ISR call is a failure */
	return FALSE;
}

static MINIPORT_INTERRUPT_DPC IvsLineDpc;
static VOID IvsLineDpc(NDIS_HANDLE Ctx, PVOID DpcCtx, PVOID Throttle, PVOID Reserved)
{
	UNREFERENCED_PARAMETER(Ctx);
	UNREFERENCED_PARAMETER(DpcCtx);
	UNREFERENCED_PARAMETER(Reserved);
	((PNDIS_RECEIVE_THROTTLE_PARAMETERS)Throttle)->MoreNblsPending = 0;
	if (IvsLive())
		ADD(line_calls);
}

static MINIPORT_MESSAGE_INTERRUPT IvsMsgIsr;
static BOOLEAN IvsMsgIsr(NDIS_HANDLE Ctx, ULONG MessageId, PBOOLEAN QueueDpc, PULONG Targets)
{
	UNREFERENCED_PARAMETER(Ctx);
	*QueueDpc = FALSE;
	*Targets = 0;
	if (!IvsLive())
		return FALSE;
	if (MessageId >= IVS_MAX_MESSAGES) {
		ADD(bad_message_id);
		return FALSE;
	}
	__atomic_fetch_or(&IvsStats.isr_procs[MessageId], IvsProcessorBit(), __ATOMIC_RELAXED);
	ADD(isr[MessageId]);
	*QueueDpc = TRUE; /* the doorbell is the cause: always ours */
	return TRUE;
}

static MINIPORT_MESSAGE_INTERRUPT_DPC IvsMsgDpc;
static VOID IvsMsgDpc(NDIS_HANDLE Ctx, ULONG MessageId, PVOID DpcCtx, PVOID Throttle,
		      PVOID Reserved)
{
	UNREFERENCED_PARAMETER(Ctx);
	UNREFERENCED_PARAMETER(DpcCtx);
	UNREFERENCED_PARAMETER(Reserved);
	((PNDIS_RECEIVE_THROTTLE_PARAMETERS)Throttle)->MoreNblsPending = 0;
	if (!IvsLive())
		return;
	if (MessageId >= IVS_MAX_MESSAGES) {
		ADD(bad_message_id);
		return;
	}
	__atomic_fetch_or(&IvsStats.dpc_procs[MessageId], IvsProcessorBit(), __ATOMIC_RELAXED);
	ADD(dpc[MessageId]);
}

/* ---------------------------------------------------- initialize, halt */

static NDIS_STATUS IvsSetAttributes(VOID)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES A;

	NdisZeroMemory(&A, sizeof(A));
	A.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	A.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	A.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	A.MiniportAdapterContext = &Ivs;
	A.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE |
			   NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER;
	A.InterfaceType = NdisInterfacePci;
	return NdisMSetMiniportAttributes(Ivs.Adapter, (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&A);
}

static MINIPORT_INITIALIZE IvsInitialize;
static NDIS_STATUS IvsInitialize(NDIS_HANDLE Adapter, NDIS_HANDLE DriverContext,
				 PNDIS_MINIPORT_INIT_PARAMETERS Params)
{
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS C;
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(DriverContext);
	UNREFERENCED_PARAMETER(Params);
	Ivs.Adapter = Adapter;
	Status = IvsSetAttributes();
	if (Status != NDIS_STATUS_SUCCESS)
		return Status;
	NdisZeroMemory(&C, sizeof(C));
	C.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
	C.Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
	C.Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;
	C.InterruptHandler = IvsLineIsr; /* required; never expected to run */
	C.InterruptDpcHandler = IvsLineDpc;
	C.MsiSupported = TRUE;
	C.MessageInterruptHandler = IvsMsgIsr;
	C.MessageInterruptDpcHandler = IvsMsgDpc;
	Status = NdisMRegisterInterruptEx(Adapter, &Ivs, &C, &Ivs.Interrupt);
	if (Status != NDIS_STATUS_SUCCESS)
		return Status;
	IvsStats.interrupt_type = (int32_t)C.InterruptType;
	if (C.MessageInfoTable) {
		Ivs.Messages = C.MessageInfoTable->MessageCount;
		IvsStats.messages = (int32_t)Ivs.Messages;
		for (ULONG m = 0; m < Ivs.Messages && m < IVS_MAX_MESSAGES; m++)
			IvsStats.target_set[m] = C.MessageInfoTable->MessageInfo[m].TargetProcessorSet;
	}
	return NDIS_STATUS_SUCCESS;
}

static MINIPORT_HALT IvsHalt;
static VOID IvsHalt(NDIS_HANDLE Context, NDIS_HALT_ACTION Action)
{
	UNREFERENCED_PARAMETER(Context);
	UNREFERENCED_PARAMETER(Action);
	/* The device is not quiesced on purpose: the test keeps ringing. */
	NdisMDeregisterInterruptEx(Ivs.Interrupt);
	__atomic_store_n(&Ivs.Deregistered, 1, __ATOMIC_RELEASE);
	__atomic_fetch_add(&IvsStats.halted, 1, __ATOMIC_RELAXED);
}

static MINIPORT_UNLOAD IvsUnload;
static VOID IvsUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	NdisMDeregisterMiniportDriver(Ivs.Driver);
}

int32_t ivs_driver_entry(void *driver_object, void *registry_path)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS C;

	memset(&Ivs, 0, sizeof(Ivs));
	memset(&IvsStats, 0, sizeof(IvsStats));
	NdisZeroMemory(&C, sizeof(C));
	C.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	C.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	C.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	C.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION;
	C.MinorNdisVersion = NDIS_MINIPORT_MINOR_VERSION;
	C.MajorDriverVersion = 1;
	C.InitializeHandlerEx = IvsInitialize;
	C.HaltHandlerEx = IvsHalt;
	C.UnloadHandler = IvsUnload;
	return NdisMRegisterMiniportDriver(driver_object, registry_path, NULL, &C, &Ivs.Driver);
}
