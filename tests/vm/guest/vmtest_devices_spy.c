// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The handler spy of the `devices` guest program (see vmtest_devices.h):
 * this program's NdisMRegisterInterruptEx interposes on libndisirq's for
 * the miniports it loads, counts every call of each handler role and
 * records what the registration granted. One registration at a time (the
 * program runs one adapter at a time).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1
#include <ndis.h>

#include <dlfcn.h>
#include <string.h>

#include "vmtest_devices.h"

typedef NDIS_STATUS register_fn(NDIS_HANDLE, NDIS_HANDLE,
				PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, PNDIS_HANDLE);

/* TableMessages while the registration has not returned: no bound yet. */
#define NO_BOUND 0xffffffffu

static struct spy Spy;

/* The miniport's own handlers, called by the wrappers below. */
static MINIPORT_ISR_HANDLER RealIsr;
static MINIPORT_INTERRUPT_DPC_HANDLER RealDpc;
static MINIPORT_MSI_ISR_HANDLER RealMsgIsr;
static MINIPORT_MSI_INTERRUPT_DPC_HANDLER RealMsgDpc;
static ULONG TableMessages;

#define BUMP(field) __atomic_fetch_add(&Spy.field, 1, __ATOMIC_RELAXED)
#define LOAD(field) __atomic_load_n(&Spy.field, __ATOMIC_RELAXED)

static BOOLEAN SpyIsr(NDIS_HANDLE Ctx, PBOOLEAN QueueDpc, PULONG Targets)
{
	BUMP(line_isr);
	return RealIsr(Ctx, QueueDpc, Targets);
}

static VOID SpyDpc(NDIS_HANDLE Ctx, PVOID DpcCtx, PVOID Throttle, PVOID Reserved)
{
	BUMP(line_dpc);
	RealDpc(Ctx, DpcCtx, Throttle, Reserved);
}

static BOOLEAN SpyMsgIsr(NDIS_HANDLE Ctx, ULONG MessageId, PBOOLEAN QueueDpc, PULONG Targets)
{
	BUMP(msg_isr);
	if (MessageId >= __atomic_load_n(&TableMessages, __ATOMIC_RELAXED))
		BUMP(msg_isr_bad_id);
	return RealMsgIsr(Ctx, MessageId, QueueDpc, Targets);
}

static VOID SpyMsgDpc(NDIS_HANDLE Ctx, ULONG MessageId, PVOID DpcCtx, PVOID Throttle,
		      PVOID Reserved)
{
	BUMP(msg_dpc);
	RealMsgDpc(Ctx, MessageId, DpcCtx, Throttle, Reserved);
}

void spy_reset(void)
{
	memset(&Spy, 0, sizeof(Spy));
	__atomic_store_n(&TableMessages, 0, __ATOMIC_RELAXED);
}

void spy_get(struct spy *out)
{
	out->registrations = LOAD(registrations);
	out->status = LOAD(status);
	out->msi_supported = LOAD(msi_supported);
	out->interrupt_type = LOAD(interrupt_type);
	out->table_null = LOAD(table_null);
	out->table_messages = LOAD(table_messages);
	out->line_isr = LOAD(line_isr);
	out->line_dpc = LOAD(line_dpc);
	out->msg_isr = LOAD(msg_isr);
	out->msg_dpc = LOAD(msg_dpc);
	out->msg_isr_bad_id = LOAD(msg_isr_bad_id);
}

NDIS_STATUS NdisMRegisterInterruptEx(NDIS_HANDLE MiniportAdapterHandle,
				     NDIS_HANDLE MiniportInterruptContext,
				     PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS Chars,
				     PNDIS_HANDLE NdisInterruptHandle)
{
	static register_fn *real;
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS Orig;
	NDIS_STATUS Status;

	if (!real) {
		union {
			void *obj;
			register_fn *fn;
		} sym = { dlsym(RTLD_NEXT, "NdisMRegisterInterruptEx") };

		real = sym.fn;
		if (!real)
			return NDIS_STATUS_FAILURE;
	}
	if (!Chars) /* let the real one report it */
		return real(MiniportAdapterHandle, MiniportInterruptContext, Chars,
			    NdisInterruptHandle);
	Orig = *Chars;
	RealIsr = Orig.InterruptHandler;
	RealDpc = Orig.InterruptDpcHandler;
	RealMsgIsr = Orig.MessageInterruptHandler;
	RealMsgDpc = Orig.MessageInterruptDpcHandler;
	/* Before the call: a message may fire before it returns; unknown = no bound. */
	__atomic_store_n(&TableMessages, NO_BOUND, __ATOMIC_RELAXED);
	if (RealIsr)
		Chars->InterruptHandler = SpyIsr;
	if (RealDpc)
		Chars->InterruptDpcHandler = SpyDpc;
	if (RealMsgIsr)
		Chars->MessageInterruptHandler = SpyMsgIsr;
	if (RealMsgDpc)
		Chars->MessageInterruptDpcHandler = SpyMsgDpc;
	Status = real(MiniportAdapterHandle, MiniportInterruptContext, Chars,
		      NdisInterruptHandle);
	Chars->InterruptHandler = Orig.InterruptHandler;
	Chars->InterruptDpcHandler = Orig.InterruptDpcHandler;
	Chars->MessageInterruptHandler = Orig.MessageInterruptHandler;
	Chars->MessageInterruptDpcHandler = Orig.MessageInterruptDpcHandler;
	Spy.msi_supported = Orig.MsiSupported != FALSE;
	Spy.status = Status;
	if (Status == NDIS_STATUS_SUCCESS) {
		Spy.interrupt_type = (int32_t)Chars->InterruptType;
		Spy.table_null = Chars->MessageInfoTable == NULL;
		Spy.table_messages = Chars->MessageInfoTable ?
					     Chars->MessageInfoTable->MessageCount : 0;
		__atomic_store_n(&TableMessages, Spy.table_messages, __ATOMIC_RELAXED);
	}
	__atomic_fetch_add(&Spy.registrations, 1, __ATOMIC_SEQ_CST);
	return Status;
}
