/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * NDIS interrupt shims: NdisMRegisterInterruptEx, NdisMDeregisterInterruptEx,
 * NdisMSynchronizeWithInterruptEx, NdisMQueueDpc(Ex). Each validates its
 * input, translates to the native interrupt API and maps the status; the
 * verifier reports the misuse that Windows answers with a bugcheck or an
 * SDV rule.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <ndis.h>

#include <ndisirq/nirq_fault.h>

#include "ndis/ndis_handle.h"
#include "ndis/ndis_private.h"
#include "ndis/ndis_status.h"

_Static_assert(sizeof(NDIS_RECEIVE_THROTTLE_PARAMETERS) == sizeof(struct nirq_throttle),
	       "the throttle is handed to DPCs as NDIS_RECEIVE_THROTTLE_PARAMETERS");

#define NDIS_INTERRUPT_MAGIC 0x4e494e54u /* "NINT" */

/* The object behind NdisInterruptHandle. */
struct ndis_interrupt {
	uint32_t magic;
	struct nirq_adapter *ad;
	NDIS_HANDLE miniport_ctx;
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS chars; /* the caller's, copied */
	bool message_based;
	struct nirq_intr *intr;
	PIO_INTERRUPT_MESSAGE_INFO table;  /* message-based only */
	NDIS_HANDLE handle;
};

/* ---- trampolines: native callbacks -> the miniport's handlers ---- */

static bool line_isr(void *ctx, uint32_t msg, bool *queue_default, uint32_t *targets)
{
	struct ndis_interrupt *ni = ctx;
	BOOLEAN qd = FALSE;
	ULONG tp = 0;
	BOOLEAN r = ni->chars.InterruptHandler(ni->miniport_ctx, &qd, &tp);

	(void)msg;
	*queue_default = qd != FALSE;
	*targets = tp;
	return r != FALSE;
}

static bool msg_isr(void *ctx, uint32_t msg, bool *queue_default, uint32_t *targets)
{
	struct ndis_interrupt *ni = ctx;
	BOOLEAN qd = FALSE;
	ULONG tp = 0;
	BOOLEAN r = ni->chars.MessageInterruptHandler(ni->miniport_ctx, msg, &qd, &tp);

	*queue_default = qd != FALSE;
	*targets = tp;
	return r != FALSE;
}

static void line_dpc(void *ctx, uint32_t msg, void *dpc_ctx, struct nirq_throttle *thr)
{
	struct ndis_interrupt *ni = ctx;

	(void)msg;
	ni->chars.InterruptDpcHandler(ni->miniport_ctx, dpc_ctx, thr, NULL);
}

static void msg_dpc(void *ctx, uint32_t msg, void *dpc_ctx, struct nirq_throttle *thr)
{
	struct ndis_interrupt *ni = ctx;

	ni->chars.MessageInterruptDpcHandler(ni->miniport_ctx, msg, dpc_ctx, thr, NULL);
}

static void line_enable(void *ctx, uint32_t msg)
{
	struct ndis_interrupt *ni = ctx;

	(void)msg;
	ni->chars.EnableInterruptHandler(ni->miniport_ctx);
}

static void line_disable(void *ctx, uint32_t msg)
{
	struct ndis_interrupt *ni = ctx;

	(void)msg;
	ni->chars.DisableInterruptHandler(ni->miniport_ctx);
}

static void msg_enable(void *ctx, uint32_t msg)
{
	struct ndis_interrupt *ni = ctx;

	ni->chars.EnableMessageInterruptHandler(ni->miniport_ctx, msg);
}

static void msg_disable(void *ctx, uint32_t msg)
{
	struct ndis_interrupt *ni = ctx;

	ni->chars.DisableMessageInterruptHandler(ni->miniport_ctx, msg);
}

/* ---- validation ---- */

static NDIS_STATUS bad_param(struct nirq_rt *rt, const char *what)
{
	nirq_log(rt, NIRQ_LOG_ERROR, "NdisMRegisterInterruptEx: %s; returning "
		 "NDIS_STATUS_INVALID_PARAMETER", what);
	return NDIS_STATUS_INVALID_PARAMETER;
}

/* Header and handlers (spec §3.2, architecture.md §3 decisions). */
static NDIS_STATUS check_chars(struct nirq_rt *rt,
			       const NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c)
{
	char why[160];

	if (c->Header.Type != NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT) {
		snprintf(why, sizeof(why), "Header.Type is 0x%02x, must be "
			 "NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT (0x84)", c->Header.Type);
		return bad_param(rt, why);
	}
	if (c->Header.Revision != NDIS_MINIPORT_INTERRUPT_REVISION_1) {
		snprintf(why, sizeof(why), "Header.Revision is %u, must be "
			 "NDIS_MINIPORT_INTERRUPT_REVISION_1 (1)", c->Header.Revision);
		return bad_param(rt, why);
	}
	if (c->Header.Size < NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1) {
		snprintf(why, sizeof(why), "Header.Size is %u, must be at least "
			 "NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1 (%u)",
			 c->Header.Size,
			 (unsigned)NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1);
		return bad_param(rt, why);
	}
	if (!c->InterruptHandler)
		return bad_param(rt, "InterruptHandler is NULL; the line ISR is required "
				 "even with MsiSupported (NDIS may grant a line)");
	if (!c->InterruptDpcHandler)
		return bad_param(rt, "InterruptDpcHandler is NULL; the line DPC is required "
				 "even with MsiSupported (NDIS may grant a line)");
	if (c->MsiSupported && !c->MessageInterruptHandler)
		return bad_param(rt, "MsiSupported is TRUE but MessageInterruptHandler is NULL");
	if (c->MsiSupported && !c->MessageInterruptDpcHandler)
		return bad_param(rt, "MsiSupported is TRUE but MessageInterruptDpcHandler is NULL");
	return NDIS_STATUS_SUCCESS;
}

/* Adapter state rules (spec §5.4 rules 1–2, SDV Init_RegisterInterrupt). */
static NDIS_STATUS check_adapter(struct nirq_adapter *ad, NDIS_HANDLE h)
{
	const char *rule = NULL, *text = NULL;

	if (nirq_irql_current() != PASSIVE_LEVEL) {
		rule = "Irql_Interrupt_Function";
		text = "NdisMRegisterInterruptEx must be called at PASSIVE_LEVEL";
	} else if (ad->state != NDIS_ADAPTER_INITIALIZING) {
		rule = "Init_RegisterInterrupt";
		text = "NdisMRegisterInterruptEx called outside MiniportInitializeEx";
	} else if (!ad->attributes_set) {
		rule = "NdisMSetMiniportAttributes first";
		text = "NdisMRegisterInterruptEx called before NdisMSetMiniportAttributes "
		       "(registration attributes)";
	} else if (ad->interrupt) {
		rule = "interrupt registered twice";
		text = "this adapter already has a registered interrupt; deregister it first";
	}
	if (!rule)
		return NDIS_STATUS_SUCCESS;
	nirq_verifier_report(ad->rt, rule, h, "%s; returning NDIS_STATUS_FAILURE", text);
	return NDIS_STATUS_FAILURE;
}

/* The grant against MsiSupported: spec §5.5 decision table. */
static NDIS_STATUS check_grant(struct nirq_adapter *ad, BOOLEAN msi_supported)
{
	enum nirq_intr_kind k = ad->grant.kind;

	if (k == NIRQ_KIND_NONE) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "NdisMRegisterInterruptEx: the device "
			 "was assigned no interrupt resource; returning NDIS_STATUS_FAILURE");
		return NDIS_STATUS_FAILURE;
	}
	if (k != NIRQ_KIND_LINE && !msi_supported) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "NdisMRegisterInterruptEx: %u %s "
			 "message(s) are assigned but MsiSupported is FALSE; as on Windows "
			 "this fails (NDIS_STATUS_FAILURE). Set MsiSupported = TRUE with "
			 "the message handlers, or set policy MSISupported=0 so the device "
			 "gets a line", ad->grant.count, nirq_kind_name(k));
		return NDIS_STATUS_FAILURE;
	}
	return NDIS_STATUS_SUCCESS;
}

/* ---- registration ---- */

static PIO_INTERRUPT_MESSAGE_INFO build_table(const struct nirq_grant *g, bool unified,
					      struct ndis_interrupt *ni)
{
	size_t size = offsetof(IO_INTERRUPT_MESSAGE_INFO, MessageInfo) +
		      (size_t)g->count * sizeof(IO_INTERRUPT_MESSAGE_INFO_ENTRY);
	PIO_INTERRUPT_MESSAGE_INFO t = nirq_fault_calloc(1, size);

	if (!t)
		return NULL;
	t->UnifiedIrql = unified ? NIRQ_IRQL_DIRQL : 0;
	t->MessageCount = g->count;
	for (ULONG m = 0; m < g->count; m++) {
		IO_INTERRUPT_MESSAGE_INFO_ENTRY *e = &t->MessageInfo[m];

		/* x86 MSI address of the target's local APIC; data = vector. */
		e->MessageAddress.QuadPart = 0xFEE00000LL | ((LONGLONG)g->target[m] << 12);
		e->TargetProcessorSet = (KAFFINITY)1 << g->target[m];
		e->InterruptObject = (PKINTERRUPT)((char *)ni + 1 + m); /* opaque, non-NULL */
		e->Irql = NIRQ_IRQL_DIRQL;
		e->Mode = Latched;
		e->Polarity = InterruptActiveHigh;
	}
	return t;
}

static void fill_config(struct ndis_interrupt *ni, struct nirq_intr_config *cfg)
{
	const NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c = &ni->chars;

	nirq_intr_config_init(cfg);
	cfg->ctx = ni;
	cfg->handle = ni->handle;
	if (ni->message_based) {
		cfg->isr = msg_isr;
		cfg->dpc = msg_dpc;
		cfg->enable = c->EnableMessageInterruptHandler ? msg_enable : NULL;
		cfg->disable = c->DisableMessageInterruptHandler ? msg_disable : NULL;
		cfg->sync_all = c->MsiSyncWithAllMessages != FALSE;
	} else {
		cfg->isr = line_isr;
		cfg->dpc = line_dpc;
		cfg->enable = c->EnableInterruptHandler ? line_enable : NULL;
		cfg->disable = c->DisableInterruptHandler ? line_disable : NULL;
	}
}

static void interrupt_free(struct ndis_interrupt *ni)
{
	if (ni->handle)
		ndis__handle_free(ni->handle);
	free(ni->table);
	free(ni);
}

/* The handle is written before arming, so an early ISR can already use it. */
static NDIS_STATUS interrupt_connect(struct nirq_adapter *ad, struct ndis_interrupt *ni,
				     PNDIS_HANDLE out)
{
	struct nirq_intr_config cfg;
	int err;

	ni->handle = ndis__handle_alloc(ni);
	if (!ni->handle)
		return NDIS_STATUS_RESOURCES;
	*out = ni->handle;
	if (ni->message_based) {
		ni->table = build_table(&ad->grant, ni->chars.MsiSyncWithAllMessages, ni);
		if (!ni->table)
			return NDIS_STATUS_RESOURCES;
	}
	fill_config(ni, &cfg);
	err = nirq_intr_connect(ad->rt, ad->pf, &ad->grant, &cfg, &ni->intr);
	if (err)
		return nirq__ndis_status_from_errno(err);
	/*
	 * The vector numbers are known once connect has enabled the vectors: a
	 * registration after a deregistration enables them anew, and the host
	 * may number them differently (VFIO). The miniport sees the table only
	 * when the call returns.
	 */
	for (ULONG m = 0; ni->table && m < ni->table->MessageCount; m++) {
		ni->table->MessageInfo[m].MessageData = ad->grant.vector[m];
		ni->table->MessageInfo[m].Vector = ad->grant.vector[m];
	}
	return NDIS_STATUS_SUCCESS;
}

NDIS_STATUS NdisMRegisterInterruptEx(NDIS_HANDLE MiniportAdapterHandle,
				     NDIS_HANDLE MiniportInterruptContext,
				     PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS c,
				     PNDIS_HANDLE NdisInterruptHandle)
{
	struct nirq_adapter *ad = ndis__adapter_from_handle(MiniportAdapterHandle,
							    "NdisMRegisterInterruptEx");
	struct ndis_interrupt *ni;
	NDIS_STATUS st;

	if (!ad)
		return NDIS_STATUS_INVALID_PARAMETER;
	if (!c)
		return bad_param(ad->rt, "MiniportInterruptCharacteristics is NULL");
	if (!NdisInterruptHandle)
		return bad_param(ad->rt, "NdisInterruptHandle is NULL");
	st = check_chars(ad->rt, c);
	if (st == NDIS_STATUS_SUCCESS)
		st = check_adapter(ad, MiniportAdapterHandle);
	if (st == NDIS_STATUS_SUCCESS)
		st = check_grant(ad, c->MsiSupported);
	if (st != NDIS_STATUS_SUCCESS)
		return st;
	ni = nirq_fault_calloc(1, sizeof(*ni));
	if (!ni)
		return NDIS_STATUS_RESOURCES;
	*ni = (struct ndis_interrupt){ .magic = NDIS_INTERRUPT_MAGIC, .ad = ad,
		.miniport_ctx = MiniportInterruptContext, .chars = *c,
		.message_based = ad->grant.kind != NIRQ_KIND_LINE };
	/* Outputs before arming: an ISR may run before this call returns. */
	c->InterruptType = ni->message_based ? NDIS_CONNECT_MESSAGE_BASED
					     : NDIS_CONNECT_LINE_BASED;
	ad->interrupt = ni;
	st = interrupt_connect(ad, ni, NdisInterruptHandle);
	if (st != NDIS_STATUS_SUCCESS) {
		*NdisInterruptHandle = NULL;
		ad->interrupt = NULL;
		interrupt_free(ni);
		return st;
	}
	c->MessageInfoTable = ni->table;
	ad->registered_type = c->InterruptType;
	ad->registered_messages = ad->grant.count;
	return NDIS_STATUS_SUCCESS;
}

/* ---- deregistration ---- */

static struct ndis_interrupt *lookup(NDIS_HANDLE h, const char *api, const char *rule)
{
	struct ndis_interrupt *ni = ndis__handle_lookup(h);

	if (!ni || ni->magic != NDIS_INTERRUPT_MAGIC) {
		nirq_verifier_report(nirq_rt_current(), rule, h, "%s on a handle that is "
				     "not a registered interrupt (never registered, or "
				     "already deregistered)", api);
		return NULL;
	}
	return ni;
}

/* Tear down @ni; false when the core refused (called above PASSIVE). */
static bool deregister(struct ndis_interrupt *ni)
{
	struct nirq_adapter *ad = ni->ad;

	if (nirq_intr_disconnect(ni->intr))
		return false;
	ad->interrupt = NULL;
	interrupt_free(ni);
	return true;
}

VOID NdisMDeregisterInterruptEx(NDIS_HANDLE NdisInterruptHandle)
{
	struct ndis_interrupt *ni = lookup(NdisInterruptHandle, "NdisMDeregisterInterruptEx",
					   "NdisMDeregisterInterruptEx on an invalid handle");
	struct nirq_adapter *ad;

	if (!ni)
		return;
	ad = ni->ad;
	/* Above PASSIVE the core reports the deadlock and refuses; one report. */
	if (nirq_irql_current() == PASSIVE_LEVEL &&
	    ad->state != NDIS_ADAPTER_INITIALIZING && ad->state != NDIS_ADAPTER_HALTING)
		nirq_verifier_report(ad->rt, "Init_DeRegisterInterrupt", NdisInterruptHandle,
				     "NdisMDeregisterInterruptEx called outside "
				     "MiniportInitializeEx and MiniportHaltEx; deregistering anyway");
	(void)deregister(ni);
}

void ndis__interrupt_force_deregister(struct nirq_adapter *ad)
{
	if (ad->interrupt)
		(void)deregister(ad->interrupt);
}

/* ---- synchronize and DPC queueing ---- */

static bool message_ok(struct ndis_interrupt *ni, ULONG msg, NDIS_HANDLE h, const char *api)
{
	if (!ni->message_based || msg < ni->table->MessageCount)
		return true;
	nirq_verifier_report(ni->ad->rt, "MessageId outside the MessageInfoTable", h,
			     "%s: MessageId %u, the table has %u message(s)", api,
			     msg, ni->table->MessageCount);
	return false;
}

struct sync_call {
	MINIPORT_SYNCHRONIZE_INTERRUPT_HANDLER fn;
	PVOID ctx;
};

static bool sync_trampoline(void *arg)
{
	struct sync_call *c = arg;

	return c->fn(c->ctx) != FALSE;
}

BOOLEAN NdisMSynchronizeWithInterruptEx(NDIS_HANDLE NdisInterruptHandle, ULONG MessageId,
					MINIPORT_SYNCHRONIZE_INTERRUPT_HANDLER SynchronizeFunction,
					PVOID SynchronizeContext)
{
	struct ndis_interrupt *ni = lookup(NdisInterruptHandle,
					   "NdisMSynchronizeWithInterruptEx",
					   "NdisMDeregisterInterruptEx (synchronize after "
					   "deregistration)");

	if (!ni || !message_ok(ni, MessageId, NdisInterruptHandle,
			       "NdisMSynchronizeWithInterruptEx"))
		return FALSE;
	if (!SynchronizeFunction) {
		nirq_verifier_report(ni->ad->rt, "SynchronizeFunction is NULL",
				     NdisInterruptHandle, "NdisMSynchronizeWithInterruptEx: "
				     "nothing to run; returning FALSE");
		return FALSE;
	}
	struct sync_call c = { SynchronizeFunction, SynchronizeContext };

	return nirq_intr_sync(ni->intr, ni->message_based ? MessageId : 0,
			      sync_trampoline, &c) ? TRUE : FALSE;
}

KAFFINITY NdisMQueueDpcEx(NDIS_HANDLE NdisInterruptHandle, ULONG MessageId,
			  PGROUP_AFFINITY TargetProcessors, PVOID MiniportDpcContext)
{
	struct ndis_interrupt *ni = lookup(NdisInterruptHandle, "NdisMQueueDpcEx",
					   "NdisMQueueDpcEx on an invalid handle");
	unsigned n;
	uint64_t exist;

	if (!ni || !message_ok(ni, MessageId, NdisInterruptHandle, "NdisMQueueDpcEx"))
		return 0;
	n = nirq_rt_processors(ni->ad->rt);
	exist = n >= 64 ? ~0ull : (1ull << n) - 1;
	if (!TargetProcessors) {
		nirq_verifier_report(ni->ad->rt, "TargetProcessors names no existing processor",
				     NdisInterruptHandle, "NdisMQueueDpcEx: TargetProcessors "
				     "is NULL; processors are group 0, 0..%u", n - 1);
		return 0;
	}
	if (TargetProcessors->Group != 0 || !(TargetProcessors->Mask & exist)) {
		nirq_verifier_report(ni->ad->rt, "TargetProcessors names no existing processor",
				     NdisInterruptHandle, "NdisMQueueDpcEx: group %u mask 0x%llx; "
				     "processors are group 0, 0..%u", TargetProcessors->Group,
				     (unsigned long long)TargetProcessors->Mask, n - 1);
		return 0;
	}
	/* MessageId "must be 0 for a line-based interrupt (ignored there)". */
	return (KAFFINITY)nirq_dpc_queue(ni->intr, ni->message_based ? MessageId : 0,
					 TargetProcessors->Mask & exist, MiniportDpcContext);
}

ULONG NdisMQueueDpc(NDIS_HANDLE NdisInterruptHandle, ULONG MessageId,
		    ULONG TargetProcessors, PVOID MiniportDpcContext)
{
	GROUP_AFFINITY ga = { .Mask = TargetProcessors, .Group = 0 };

	return (ULONG)NdisMQueueDpcEx(NdisInterruptHandle, MessageId, &ga, MiniportDpcContext);
}
