// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * A test miniport for QEMU's ivshmem-doorbell, run by the `cli` guest with
 * `ndisirq run --platform vfio` (whose event generator rings the doorbell
 * through BAR0, over every granted vector). MSI-X only in practice: each
 * doorbell vector is one message and there is no cause register, so every
 * message ISR claims its interrupt and asks for the default DPC. The line
 * handlers exist because NdisMRegisterInterruptEx requires them.
 */
#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1
#include <ndis.h>
#include <stdio.h>

static NDIS_HANDLE IvsDriver;
static NDIS_HANDLE IvsInterrupt;
static volatile LONG IvsDeregistered; /* no callback may come after it is set */
static volatile LONG IvsLate;

static BOOLEAN IvsLive(VOID)
{
	if (!IvsDeregistered)
		return TRUE;
	NdisInterlockedIncrement(&IvsLate);
	return FALSE;
}

static MINIPORT_ISR IvsIsr;
static BOOLEAN IvsIsr(NDIS_HANDLE Context, PBOOLEAN QueueDefaultInterruptDpc,
		      PULONG TargetProcessors)
{
	UNREFERENCED_PARAMETER(Context);
	*QueueDefaultInterruptDpc = FALSE;
	*TargetProcessors = 0;
	IvsLive();
	return FALSE; /* ivshmem has no line */
}

static MINIPORT_INTERRUPT_DPC IvsDpc;
static VOID IvsDpc(NDIS_HANDLE Context, PVOID DpcContext, PVOID Throttle, PVOID Reserved)
{
	UNREFERENCED_PARAMETER(Context);
	UNREFERENCED_PARAMETER(DpcContext);
	UNREFERENCED_PARAMETER(Reserved);
	IvsLive();
	((PNDIS_RECEIVE_THROTTLE_PARAMETERS)Throttle)->MoreNblsPending = 0;
}

static MINIPORT_MESSAGE_INTERRUPT IvsMessageIsr;
static BOOLEAN IvsMessageIsr(NDIS_HANDLE Context, ULONG MessageId,
			     PBOOLEAN QueueDefaultInterruptDpc, PULONG TargetProcessors)
{
	UNREFERENCED_PARAMETER(Context);
	UNREFERENCED_PARAMETER(MessageId);
	*TargetProcessors = 0;
	*QueueDefaultInterruptDpc = IvsLive();
	return *QueueDefaultInterruptDpc;
}

static MINIPORT_MESSAGE_INTERRUPT_DPC IvsMessageDpc;
static VOID IvsMessageDpc(NDIS_HANDLE Context, ULONG MessageId, PVOID DpcContext,
			  PVOID Throttle, PVOID Reserved)
{
	UNREFERENCED_PARAMETER(MessageId);
	IvsDpc(Context, DpcContext, Throttle, Reserved);
}

static MINIPORT_INITIALIZE IvsInitializeEx;
static NDIS_STATUS IvsInitializeEx(NDIS_HANDLE Adapter, NDIS_HANDLE DriverContext,
				   PNDIS_MINIPORT_INIT_PARAMETERS Params)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES Attr;
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS Chars;
	NDIS_STATUS Status;

	UNREFERENCED_PARAMETER(DriverContext);
	UNREFERENCED_PARAMETER(Params);
	NdisZeroMemory(&Attr, sizeof(Attr));
	Attr.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	Attr.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	Attr.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	Attr.MiniportAdapterContext = &IvsDriver;
	Attr.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE;
	Attr.InterfaceType = NdisInterfacePci;
	Status = NdisMSetMiniportAttributes(Adapter, (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&Attr);
	if (Status != NDIS_STATUS_SUCCESS)
		return Status;
	NdisZeroMemory(&Chars, sizeof(Chars));
	Chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
	Chars.Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
	Chars.Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;
	Chars.InterruptHandler = IvsIsr;
	Chars.InterruptDpcHandler = IvsDpc;
	Chars.MsiSupported = TRUE;
	Chars.MessageInterruptHandler = IvsMessageIsr;
	Chars.MessageInterruptDpcHandler = IvsMessageDpc;
	Status = NdisMRegisterInterruptEx(Adapter, NULL, &Chars, &IvsInterrupt);
	if (Status == NDIS_STATUS_SUCCESS)
		printf("ivshmem: %u message(s)\n", Chars.MessageInfoTable ?
		       (unsigned)Chars.MessageInfoTable->MessageCount : 0u);
	fflush(stdout);
	return Status;
}

static MINIPORT_HALT IvsHaltEx;
static VOID IvsHaltEx(NDIS_HANDLE Context, NDIS_HALT_ACTION Action)
{
	UNREFERENCED_PARAMETER(Context);
	UNREFERENCED_PARAMETER(Action);
	NdisMDeregisterInterruptEx(IvsInterrupt);
	IvsDeregistered = 1;
}

static MINIPORT_UNLOAD IvsUnload;
static VOID IvsUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	printf("ivshmem: %d callback(s) after deregistration\n", (int)IvsLate);
	fflush(stdout);
	NdisMDeregisterMiniportDriver(IvsDriver);
}

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS Chars;

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
					   &IvsDriver);
}
