// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * A minimal miniport for the CLI tests, written against <ndis.h> for the
 * sim edu device. NIRQ_CLI_MINIPORT_MODE (read from the environment, which
 * the host passes through) selects a misbehaviour: entry-fail, init-fail,
 * no-dereg (halt without NdisMDeregisterInterruptEx), init-fail-no-dereg,
 * bad-type, bad-revision, short-size, bad-major, bad-minor, no-halt (bad
 * driver characteristics), map-early (NdisMMapIoSpace before the
 * registration attributes), map-outside (a range past BAR0).
 * With NIRQ_CLI_MINIPORT_DUMP set it prints AllocatedResources to stderr.
 */
#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1
#include <ndis.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAG 0x43696c54u      /* 'Clit' */
#define EDU_STATUS 0x24
#define EDU_ACK 0x64

struct adapter {
	NDIS_HANDLE handle;
	NDIS_HANDLE interrupt;
	PUCHAR regs;
	ULONG regs_len;
};

static NDIS_HANDLE driver_handle;
/* The no-dereg modes forget their adapter in initialize/halt on purpose;
 * unload frees it, so LeakSanitizer and valgrind see no leak. */
static struct adapter *forgotten;

static MINIPORT_INITIALIZE cm_initialize;
static MINIPORT_HALT cm_halt;
static MINIPORT_UNLOAD cm_unload;
static MINIPORT_ISR cm_isr;
static MINIPORT_INTERRUPT_DPC cm_dpc;
static MINIPORT_MESSAGE_INTERRUPT cm_msg_isr;
static MINIPORT_MESSAGE_INTERRUPT_DPC cm_msg_dpc;

static BOOLEAN mode_is(const char *m)
{
	const char *v = getenv("NIRQ_CLI_MINIPORT_MODE");

	return v && !strcmp(v, m);
}

/* The edu device: read the status, acknowledge it, claim if it was ours. */
static BOOLEAN ack_device(struct adapter *a)
{
	ULONG status;

	NdisReadRegisterUlong((PULONG)(a->regs + EDU_STATUS), &status);
	if (!status)
		return FALSE;
	NdisWriteRegisterUlong((PULONG)(a->regs + EDU_ACK), status);
	return TRUE;
}

static BOOLEAN cm_isr(NDIS_HANDLE ctx, PBOOLEAN queue_dpc, PULONG targets)
{
	*targets = 0;
	*queue_dpc = ack_device(ctx);
	return *queue_dpc;
}

static VOID cm_dpc(NDIS_HANDLE ctx, PVOID dpc_ctx, PVOID throttle, PVOID reserved)
{
	(void)ctx, (void)dpc_ctx, (void)throttle, (void)reserved;
}

static BOOLEAN cm_msg_isr(NDIS_HANDLE ctx, ULONG msg, PBOOLEAN queue_dpc, PULONG targets)
{
	(void)msg;
	return cm_isr(ctx, queue_dpc, targets);
}

static VOID cm_msg_dpc(NDIS_HANDLE ctx, ULONG msg, PVOID dpc_ctx, PVOID throttle,
		       PVOID reserved)
{
	(void)msg;
	cm_dpc(ctx, dpc_ctx, throttle, reserved);
}

static void dump_descriptor(const CM_PARTIAL_RESOURCE_DESCRIPTOR *d)
{
	if (d->Type == CmResourceTypeMemory)
		fprintf(stderr, " mem(0x%x)", (unsigned)d->u.Memory.Length);
	else if (d->Type == CmResourceTypeInterrupt &&
		 (d->Flags & CM_RESOURCE_INTERRUPT_MESSAGE))
		fprintf(stderr, " msg(0x%x,%u,%u)", d->Flags, d->ShareDisposition,
			d->u.MessageInterrupt.Raw.MessageCount);
	else if (d->Type == CmResourceTypeInterrupt)
		fprintf(stderr, " line(0x%x,%u)", d->Flags, d->ShareDisposition);
	else
		fprintf(stderr, " type%u", d->Type);
}

/* "cli_miniport: resources: mem(LEN)... msg(FLAGS,SHARE,COUNT)... bar0 ok" */
static void dump_resources(NDIS_HANDLE handle, PNDIS_RESOURCE_LIST res)
{
	ULONG bar0 = 0;

	if (!getenv("NIRQ_CLI_MINIPORT_DUMP") || !res)
		return;
	fprintf(stderr, "cli_miniport: resources:");
	for (ULONG i = 0; i < res->Count; i++)
		dump_descriptor(&res->PartialDescriptors[i]);
	if (NdisMGetBusData(handle, PCI_WHICHSPACE_CONFIG, 0x10, &bar0, 4) == 4 &&
	    res->Count && (bar0 & ~0xfu) == res->PartialDescriptors[0].u.Memory.Start.LowPart)
		fprintf(stderr, " bar0 ok");
	fprintf(stderr, "\n");
}

static NDIS_STATUS set_registration(struct adapter *a)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES r;

	NdisZeroMemory(&r, sizeof(r));
	r.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	r.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	r.Header.Size = sizeof(r);
	r.MiniportAdapterContext = a;
	r.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE;
	r.InterfaceType = NdisInterfacePci;
	return NdisMSetMiniportAttributes(a->handle, (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&r);
}

/* Map the first memory resource (the edu BAR0). */
static NDIS_STATUS map_registers(struct adapter *a, PNDIS_RESOURCE_LIST res)
{
	for (ULONG i = 0; res && i < res->Count; i++) {
		PCM_PARTIAL_RESOURCE_DESCRIPTOR d = &res->PartialDescriptors[i];

		if (d->Type != CmResourceTypeMemory)
			continue;
		NDIS_PHYSICAL_ADDRESS pa = d->u.Memory.Start;

		a->regs_len = d->u.Memory.Length;
		if (mode_is("map-outside"))
			pa.QuadPart += 4096;
		return NdisMMapIoSpace((PVOID *)&a->regs, a->handle, pa, a->regs_len);
	}
	return NDIS_STATUS_RESOURCES;
}

static NDIS_STATUS register_interrupt(struct adapter *a)
{
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS ic;

	NdisZeroMemory(&ic, sizeof(ic));
	ic.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
	ic.Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
	ic.Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;
	ic.InterruptHandler = cm_isr;
	ic.InterruptDpcHandler = cm_dpc;
	ic.MsiSupported = TRUE;
	ic.MessageInterruptHandler = cm_msg_isr;
	ic.MessageInterruptDpcHandler = cm_msg_dpc;
	return NdisMRegisterInterruptEx(a->handle, a, &ic, &a->interrupt);
}

static void release(struct adapter *a, BOOLEAN deregister)
{
	if (a->interrupt && deregister)
		NdisMDeregisterInterruptEx(a->interrupt);
	if (a->regs)
		NdisMUnmapIoSpace(a->handle, a->regs, a->regs_len);
	NdisFreeMemory(a, 0, 0);
}

static NDIS_STATUS cm_initialize(NDIS_HANDLE handle, NDIS_HANDLE driver_ctx,
				 PNDIS_MINIPORT_INIT_PARAMETERS params)
{
	struct adapter *a;
	NDIS_STATUS st;

	(void)driver_ctx;
	a = NdisAllocateMemoryWithTagPriority(handle, sizeof(*a), TAG, NormalPoolPriority);
	if (!a)
		return NDIS_STATUS_RESOURCES;
	NdisZeroMemory(a, sizeof(*a));
	a->handle = handle;
	dump_resources(handle, params->AllocatedResources);
	if (mode_is("map-early"))
		st = map_registers(a, params->AllocatedResources);
	else
		st = set_registration(a);
	if (st == NDIS_STATUS_SUCCESS)
		st = map_registers(a, params->AllocatedResources);
	if (st == NDIS_STATUS_SUCCESS)
		st = register_interrupt(a);
	if (st == NDIS_STATUS_SUCCESS && mode_is("init-fail"))
		st = NDIS_STATUS_FAILURE;
	if (st == NDIS_STATUS_SUCCESS && mode_is("init-fail-no-dereg")) {
		forgotten = a;
		return NDIS_STATUS_FAILURE; /* forgets everything; the host cleans up */
	}
	if (st != NDIS_STATUS_SUCCESS)
		release(a, TRUE);
	return st;
}

static VOID cm_halt(NDIS_HANDLE ctx, NDIS_HALT_ACTION action)
{
	(void)action;
	if (mode_is("no-dereg")) {
		forgotten = ctx;
		return; /* forgets everything: interrupt, mapping, memory */
	}
	release(ctx, TRUE);
}

static VOID cm_unload(PDRIVER_OBJECT driver)
{
	(void)driver;
	if (forgotten)
		NdisFreeMemory(forgotten, 0, 0);
	NdisMDeregisterMiniportDriver(driver_handle);
}

/* The bad-characteristics modes. */
static void break_characteristics(NDIS_MINIPORT_DRIVER_CHARACTERISTICS *c)
{
	if (mode_is("bad-type"))
		c->Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	if (mode_is("bad-revision"))
		c->Header.Revision = 4;
	if (mode_is("short-size"))
		c->Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1;
	if (mode_is("bad-major"))
		c->MajorNdisVersion = 5;
	if (mode_is("bad-minor"))
		c->MinorNdisVersion = 83;
	if (mode_is("no-halt"))
		c->HaltHandlerEx = NULL;
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING path)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS c;

	if (mode_is("entry-fail"))
		return NDIS_STATUS_FAILURE;
	NdisZeroMemory(&c, sizeof(c));
	c.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	c.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	c.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	c.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION;
	c.MinorNdisVersion = NDIS_MINIPORT_MINOR_VERSION;
	c.InitializeHandlerEx = cm_initialize;
	c.HaltHandlerEx = cm_halt;
	c.UnloadHandler = cm_unload;
	break_characteristics(&c);
	return NdisMRegisterMiniportDriver(driver, path, NULL, &c, &driver_handle);
}
