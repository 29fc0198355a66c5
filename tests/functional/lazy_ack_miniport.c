// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The lazy-ack edu miniport (see lazy_ack_miniport.h): line-based only
 * (MsiSupported = FALSE), so run it with policy MSISupported=0.
 */
#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1
#include <ndis.h>

#include "lazy_ack_miniport.h"

#define EDU_IRQ_STATUS 0x24
#define EDU_IRQ_ACK 0x64

static struct {
	NDIS_HANDLE Driver;
	NDIS_HANDLE Adapter;
	NDIS_HANDLE Interrupt;
	PUCHAR Registers;
	UINT Length;
	LONG IsrCalls;
} Lazy;

int32_t lazy_ack_isr_calls(void)
{
	return __atomic_load_n(&Lazy.IsrCalls, __ATOMIC_SEQ_CST);
}

static MINIPORT_ISR LazyIsr;
static BOOLEAN LazyIsr(NDIS_HANDLE Context, PBOOLEAN QueueDpc, PULONG Targets)
{
	ULONG Status;

	UNREFERENCED_PARAMETER(Context);
	*QueueDpc = FALSE;
	*Targets = 0;
	NdisReadRegisterUlong((PULONG)(Lazy.Registers + EDU_IRQ_STATUS), &Status);
	if (!Status)
		return FALSE;
	if (NdisInterlockedIncrement(&Lazy.IsrCalls) >= 2)
		NdisWriteRegisterUlong((PULONG)(Lazy.Registers + EDU_IRQ_ACK), Status);
	*QueueDpc = TRUE;
	return TRUE;
}

static MINIPORT_INTERRUPT_DPC LazyDpc;
static VOID LazyDpc(NDIS_HANDLE Context, PVOID DpcContext, PVOID Throttle, PVOID Reserved)
{
	UNREFERENCED_PARAMETER(Context);
	UNREFERENCED_PARAMETER(DpcContext);
	UNREFERENCED_PARAMETER(Reserved);
	((PNDIS_RECEIVE_THROTTLE_PARAMETERS)Throttle)->MoreNblsPending = 0;
}

static NDIS_STATUS LazySetAttributes(VOID)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES A;

	NdisZeroMemory(&A, sizeof(A));
	A.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	A.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	A.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	A.MiniportAdapterContext = &Lazy;
	A.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE;
	A.InterfaceType = NdisInterfacePci;
	return NdisMSetMiniportAttributes(Lazy.Adapter, (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&A);
}

static NDIS_STATUS LazyMap(PNDIS_RESOURCE_LIST Res)
{
	PVOID Va = NULL;

	for (ULONG i = 0; Res && i < Res->Count; i++) {
		PCM_PARTIAL_RESOURCE_DESCRIPTOR D = &Res->PartialDescriptors[i];

		if (D->Type != CmResourceTypeMemory)
			continue;
		if (NdisMMapIoSpace(&Va, Lazy.Adapter, D->u.Memory.Start, D->u.Memory.Length))
			return NDIS_STATUS_RESOURCES;
		Lazy.Registers = Va;
		Lazy.Length = D->u.Memory.Length;
		return NDIS_STATUS_SUCCESS;
	}
	return NDIS_STATUS_RESOURCES;
}

static MINIPORT_INITIALIZE LazyInitialize;
static NDIS_STATUS LazyInitialize(NDIS_HANDLE Adapter, NDIS_HANDLE DriverContext,
				  PNDIS_MINIPORT_INIT_PARAMETERS Params)
{
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS C;
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(DriverContext);
	Lazy.Adapter = Adapter;
	Status = LazySetAttributes();
	if (Status == NDIS_STATUS_SUCCESS)
		Status = LazyMap(Params->AllocatedResources);
	if (Status != NDIS_STATUS_SUCCESS)
		return Status;
	NdisZeroMemory(&C, sizeof(C));
	C.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
	C.Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
	C.Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;
	C.InterruptHandler = LazyIsr;
	C.InterruptDpcHandler = LazyDpc;
	Status = NdisMRegisterInterruptEx(Adapter, &Lazy, &C, &Lazy.Interrupt);
	if (Status != NDIS_STATUS_SUCCESS)
		NdisMUnmapIoSpace(Adapter, Lazy.Registers, Lazy.Length);
	return Status;
}

static MINIPORT_HALT LazyHalt;
static VOID LazyHalt(NDIS_HANDLE Context, NDIS_HALT_ACTION Action)
{
	UNREFERENCED_PARAMETER(Context);
	UNREFERENCED_PARAMETER(Action);
	NdisMDeregisterInterruptEx(Lazy.Interrupt);
	NdisMUnmapIoSpace(Lazy.Adapter, Lazy.Registers, Lazy.Length);
}

static MINIPORT_UNLOAD LazyUnload;
static VOID LazyUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	NdisMDeregisterMiniportDriver(Lazy.Driver);
}

int32_t lazy_ack_entry(void *driver_object, void *registry_path)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS C;

	NdisZeroMemory(&Lazy, sizeof(Lazy));
	NdisZeroMemory(&C, sizeof(C));
	C.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	C.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	C.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	C.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION;
	C.MinorNdisVersion = NDIS_MINIPORT_MINOR_VERSION;
	C.InitializeHandlerEx = LazyInitialize;
	C.HaltHandlerEx = LazyHalt;
	C.UnloadHandler = LazyUnload;
	return NdisMRegisterMiniportDriver(driver_object, registry_path, NULL, &C, &Lazy.Driver);
}
