// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The stress tier's in-test NDIS miniport for edu, e1000 and e1000e: ISRs
 * that read the cause register and hand each cause bit's token back, DPCs
 * that queue more DPCs and synchronize with the ISR, and an initialize/halt
 * pair that checks each registration when it ends (tokens seen, DPC bits
 * run, context poisoned). Every callback checks its context first.
 */
#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1
#include <ndis.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "stress.h"

/* edu: interrupt status and acknowledge. */
#define EDU_IRQ_STATUS 0x24
#define EDU_IRQ_ACK 0x64
/* 82540EM / 82574L interrupt block. */
#define E1K_ICR 0x00C0
#define E1K_ICS 0x00C8 /* reads as ICR without clearing it */
#define E1K_IMS 0x00D0
#define E1K_IMC 0x00D8
#define E1K_EIAC 0x00DC
#define E1K_IVAR 0x00E4
#define E1K_ICR_LSC (1u << 2)
#define E1K_ICR_OTHER (1u << 24)
#define E1K_IVAR_VALID 0x8u
#define E1000E_CAUSES 5

struct stress_totals stress_tot;
struct stress_host *stress_loading_host;

/* MiniportDpcContext of each source: NULL is the ISR's own request. */
static char StressMark[SRC__COUNT];

struct stress_sync {
	struct stress_reg *Reg;
	ULONG MessageId;
	enum stress_src Src;
};

void stress_error(const char *what, const char *fmt, ...)
{
	static atomic_int printed;
	va_list ap;

	if (atomic_fetch_add(&printed, 1) >= 40)
		return;
	fprintf(stderr, "stress: FAIL: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static ULONG Rd(struct stress_reg *r, ULONG Off)
{
	ULONG v;

	NdisReadRegisterUlong((PULONG)(r->regs + Off), &v);
	return v;
}

static VOID Wr(struct stress_reg *r, ULONG Off, ULONG v)
{
	NdisWriteRegisterUlong((PULONG)(r->regs + Off), v);
}

/* Every callback starts here: a poisoned context means a late callback. */
static BOOLEAN RegLive(struct stress_reg *r, atomic_ullong *late)
{
	if (atomic_load_explicit(&r->magic, memory_order_acquire) == STRESS_REG_LIVE)
		return TRUE;
	stress_add(*late, 1);
	stress_error("callback after NdisMDeregisterInterruptEx returned",
		     "%s registration %llu", r->dev->name, (unsigned long long)r->serial);
	return FALSE;
}

static struct stress_domain *Domain(struct stress_dev *d, ULONG MessageId)
{
	return d->sync_all || d->kind == NIRQ_KIND_LINE ? &d->dom[0] : &d->dom[MessageId];
}

static KAFFINITY Pair(uint32_t seed)
{
	return ((KAFFINITY)1 << (seed % STRESS_PROCS)) |
	       ((KAFFINITY)1 << ((seed + 3) % STRESS_PROCS));
}

static void CountSetBits(struct stress_dev *d, ULONG MessageId, KAFFINITY Set,
			 enum stress_src Src)
{
	stress_add(stress_tot.qdpc_calls[Src], 1);
	for (unsigned p = 0; p < STRESS_PROCS; p++) {
		if (!(Set & ((KAFFINITY)1 << p)))
			continue;
		atomic_fetch_add(&d->set_bits[MessageId][p], 1);
		stress_add(stress_tot.qdpc_bits[Src], 1);
	}
}

static void QueueDpc(struct stress_reg *r, ULONG MessageId, KAFFINITY Mask,
		     enum stress_src Src)
{
	GROUP_AFFINITY Ga = { .Mask = Mask, .Group = 0 };
	KAFFINITY Set = NdisMQueueDpcEx(r->handle, MessageId, &Ga, &StressMark[Src]);

	CountSetBits(r->dev, MessageId, Set, Src);
}

/* ------------------------------------------------------------- sync */

static MINIPORT_SYNCHRONIZE_INTERRUPT StressSync;
static BOOLEAN StressSync(NDIS_HANDLE SynchronizeContext)
{
	struct stress_sync *s = SynchronizeContext;
	struct stress_domain *dom;

	if (!RegLive(s->Reg, &stress_tot.late_sync))
		return FALSE;
	if (KeGetCurrentIrql() <= DISPATCH_LEVEL)
		stress_add(stress_tot.irql_errors, 1);
	dom = Domain(s->Reg->dev, s->MessageId);
	if (atomic_exchange(&dom->in_sync, 1))
		stress_add(stress_tot.sync_sync_overlap, 1);
	/* Look for an ISR of the domain a few times: the lock must exclude it. */
	for (int i = 0; i < 16; i++) {
		if (atomic_load(&dom->in_isr)) {
			stress_add(stress_tot.sync_isr_overlap, 1);
			stress_error("synchronize callback overlapped an ISR",
				     "%s message %u", s->Reg->dev->name, (unsigned)s->MessageId);
			break;
		}
	}
	atomic_store(&dom->in_sync, 0);
	stress_add(stress_tot.sync_calls[s->Src], 1);
	return TRUE;
}

static void SyncWith(struct stress_reg *r, ULONG MessageId, enum stress_src Src)
{
	struct stress_sync s = { r, MessageId, Src };

	(VOID)NdisMSynchronizeWithInterruptEx(r->handle, MessageId, StressSync, &s);
}

/* ------------------------------------------------------------- ISRs */

/* Read and acknowledge the causes of @MessageId: the device's status. */
static ULONG TakeCauses(struct stress_reg *r, ULONG MessageId)
{
	struct stress_dev *d = r->dev;
	ULONG s;

	switch (d->model) {
	case NIRQ_SIM_EDU:
		s = Rd(r, EDU_IRQ_STATUS);
		if (s)
			Wr(r, EDU_IRQ_ACK, s); /* only the bits read */
		return s;
	case NIRQ_SIM_E1000E:
		if (d->kind == NIRQ_KIND_MSIX) {
			/* Each message clears its own causes (write 1); LSC rides on Other. */
			s = Rd(r, E1K_ICS) & d->msg_bits[MessageId];
			if (s)
				Wr(r, E1K_ICR, s | (s & E1K_ICR_LSC ? E1K_ICR_OTHER : 0));
			return s;
		}
		return Rd(r, E1K_ICR); /* read-to-clear */
	default:
		return Rd(r, E1K_ICR); /* read-to-clear */
	}
}

/* Hand back the token of every cause bit seen; return how many. */
static unsigned ReturnTokens(struct stress_dev *d, ULONG Causes)
{
	unsigned k = 0;

	for (ULONG b = Causes & d->tokmask; b; b &= b - 1) {
		struct stress_token *t = &d->tok[d->tok_of_bit[__builtin_ctz(b)]];
		int old = atomic_exchange(&t->state, TOK_FREE);

		if (old == TOK_FREE) {
			stress_add(stress_tot.phantom, 1);
			stress_error("cause seen twice", "%s bit %u", d->name,
				     (unsigned)__builtin_ctz(b));
			continue;
		}
		if (old == TOK_EXEMPT || old == TOK_LOST)
			stress_add(stress_tot.seen_exempt, 1);
		k++;
	}
	return k;
}

/* The ISR's DPC requests: the default DPC, TargetProcessors, or NdisMQueueDpcEx. */
static void RequestDpcs(struct stress_reg *r, ULONG MessageId, struct stress_domain *dom,
			PBOOLEAN QueueDefault, PULONG TargetProcessors)
{
	uint32_t seq = dom->isr_seq++;

	switch (seq % 4) {
	case 0:
	case 1:
		*QueueDefault = TRUE;
		break;
	case 2:
		*TargetProcessors = (ULONG)Pair(seq / 4);
		break;
	default:
		QueueDpc(r, MessageId, Pair(seq / 4 + 1), SRC_ISR);
		break;
	}
}

static void CheckIsrContext(struct stress_dev *d, ULONG MessageId)
{
	ULONG p = KeGetCurrentProcessorNumberEx(NULL);

	if (KeGetCurrentIrql() <= DISPATCH_LEVEL)
		stress_add(stress_tot.irql_errors, 1);
	if (p != d->target[MessageId]) {
		stress_add(stress_tot.processor_errors, 1);
		stress_error("ISR on the wrong processor", "%s message %u on %u, target %u",
			     d->name, (unsigned)MessageId, (unsigned)p, d->target[MessageId]);
	}
}

static BOOLEAN Isr(struct stress_reg *r, ULONG MessageId, PBOOLEAN QueueDefault,
		   PULONG TargetProcessors)
{
	struct stress_dev *d;
	struct stress_domain *dom;
	unsigned k;

	*QueueDefault = FALSE;
	*TargetProcessors = 0;
	if (!RegLive(r, &stress_tot.late_isr))
		return FALSE;
	d = r->dev;
	dom = Domain(d, MessageId);
	CheckIsrContext(d, MessageId);
	if (atomic_exchange(&dom->in_isr, 1))
		stress_add(stress_tot.isr_isr_overlap, 1);
	if (atomic_load(&dom->in_sync))
		stress_add(stress_tot.sync_isr_overlap, 1);
	k = ReturnTokens(d, TakeCauses(r, MessageId));
	if (k)
		RequestDpcs(r, MessageId, dom, QueueDefault, TargetProcessors);
	atomic_store(&dom->in_isr, 0);
	stress_add(stress_tot.isr_calls, 1);
	if (!k) {
		stress_add(stress_tot.isr_empty, 1);
		return FALSE;
	}
	stress_add(stress_tot.isr_claimed, 1);
	stress_add(stress_tot.seen, k);
	stress_add(stress_tot.coalesced, k - 1);
	atomic_fetch_add(&d->isr_this_reg, 1);
	return TRUE;
}

static MINIPORT_ISR StressLineIsr;
static BOOLEAN StressLineIsr(NDIS_HANDLE Ctx, PBOOLEAN QueueDefault, PULONG TargetProcessors)
{
	return Isr(Ctx, 0, QueueDefault, TargetProcessors);
}

static MINIPORT_MESSAGE_INTERRUPT StressMessageIsr;
static BOOLEAN StressMessageIsr(NDIS_HANDLE Ctx, ULONG MessageId, PBOOLEAN QueueDefault,
				PULONG TargetProcessors)
{
	return Isr(Ctx, MessageId, QueueDefault, TargetProcessors);
}

/* ------------------------------------------------------------- DPCs */

static void CountDpcContext(struct stress_dev *d, ULONG MessageId, ULONG p, PVOID DpcCtx)
{
	if (!DpcCtx)
		return;
	if ((uintptr_t)DpcCtx < (uintptr_t)StressMark ||
	    (uintptr_t)DpcCtx >= (uintptr_t)(StressMark + SRC__COUNT)) {
		stress_add(stress_tot.bad_ctx, 1);
		return;
	}
	atomic_fetch_add(&d->ctx_runs[MessageId][p], 1);
	stress_add(stress_tot.dpc_ctx_runs, 1);
}

static void Dpc(struct stress_reg *r, ULONG MessageId, PVOID DpcCtx,
		PNDIS_RECEIVE_THROTTLE_PARAMETERS Throttle)
{
	struct stress_dev *d;
	ULONG p = KeGetCurrentProcessorNumberEx(NULL);
	uint32_t seq;

	Throttle->MoreNblsPending = 0;
	if (!RegLive(r, &stress_tot.late_dpc))
		return;
	d = r->dev;
	if (KeGetCurrentIrql() != DISPATCH_LEVEL || p >= STRESS_PROCS) {
		stress_add(stress_tot.irql_errors, 1);
		return;
	}
	if (atomic_exchange(&d->in_dpc[MessageId][p], 1))
		stress_add(stress_tot.dpc_self_overlap, 1);
	seq = d->dpc_seq[MessageId][p]++;
	CountDpcContext(d, MessageId, p, DpcCtx);
	if (seq % 4 == 1)
		SyncWith(r, MessageId, SRC_DPC);
	/* Fan out from ISR-requested runs only, so chains stay one hop long. */
	if (!DpcCtx && seq % 3 == 0)
		QueueDpc(r, MessageId, Pair(p + 1 + seq), SRC_DPC);
	if (!DpcCtx && seq % 16 == 7) {
		Throttle->MoreNblsPending = 1;
		stress_add(stress_tot.more_nbls, 1);
	}
	atomic_store(&d->in_dpc[MessageId][p], 0);
	stress_add(stress_tot.dpc_runs, 1);
}

static MINIPORT_INTERRUPT_DPC StressLineDpc;
static VOID StressLineDpc(NDIS_HANDLE Ctx, PVOID DpcCtx, PVOID Throttle, PVOID Reserved)
{
	UNREFERENCED_PARAMETER(Reserved);
	Dpc(Ctx, 0, DpcCtx, Throttle);
}

static MINIPORT_MESSAGE_INTERRUPT_DPC StressMessageDpc;
static VOID StressMessageDpc(NDIS_HANDLE Ctx, ULONG MessageId, PVOID DpcCtx, PVOID Throttle,
			     PVOID Reserved)
{
	UNREFERENCED_PARAMETER(Reserved);
	Dpc(Ctx, MessageId, DpcCtx, Throttle);
}

/* ---------------------------------------------------------- passive */

void stress_passive_op(struct stress_dev *d, uint32_t rnd)
{
	pthread_mutex_lock(&d->gate);
	if (d->open) {
		struct stress_reg *r = d->reg;
		ULONG m = (rnd >> 8) % d->nmsg;

		if (rnd & 1)
			SyncWith(r, m, SRC_PASSIVE);
		else
			QueueDpc(r, m, Pair(rnd >> 16) | ((rnd >> 20) & 0xff), SRC_PASSIVE);
	}
	pthread_mutex_unlock(&d->gate);
}

/* ------------------------------------------------- device programming */

/* Interrupts off at the device, every cause cleared. */
static void DeviceQuiesce(struct stress_dev *d, struct stress_reg *r)
{
	if (d->model == NIRQ_SIM_EDU) {
		Wr(r, EDU_IRQ_ACK, 0xffffffffu);
		return;
	}
	Wr(r, E1K_IMC, 0xffffffffu);
	if (d->model == NIRQ_SIM_E1000E) {
		Wr(r, E1K_IVAR, 0);
		Wr(r, E1K_EIAC, 0);
		Wr(r, E1K_ICR, 0xffffffffu); /* write 1 to clear */
	} else {
		(VOID)Rd(r, E1K_ICR);
	}
}

static void DeviceDisable(struct stress_dev *d, struct stress_reg *r)
{
	if (d->model != NIRQ_SIM_EDU)
		Wr(r, E1K_IMC, 0xffffffffu);
}

/* MSI-X: cause i to message i mod nroute (IVAR), no auto-clear; enable the causes. */
static void DeviceEnable(struct stress_dev *d, struct stress_reg *r)
{
	ULONG Ivar = 0;

	if (d->model == NIRQ_SIM_EDU)
		return;
	if (d->kind == NIRQ_KIND_MSIX) {
		for (ULONG i = 0; i < E1000E_CAUSES; i++)
			Ivar |= ((i % d->nroute) | E1K_IVAR_VALID) << (4 * i);
		Wr(r, E1K_IVAR, Ivar);
		Wr(r, E1K_IMS, d->tokmask | E1K_ICR_OTHER);
		return;
	}
	Wr(r, E1K_IMS, d->tokmask);
}

/* ---------------------------------------------- registration accounting */

/*
 * Before the device is cleared: tokens whose raise completed (EXEMPT, LOST)
 * have their bit in the device now, so clearing it ends them. No ISR can run
 * between this snapshot and reclaim(): no registration is live.
 */
static uint64_t Settled(struct stress_dev *d)
{
	uint64_t m = 0;

	for (unsigned i = 0; i < d->ntok; i++) {
		int s = atomic_load(&d->tok[i].state);

		if (s == TOK_EXEMPT || s == TOK_LOST)
			m |= 1ull << i;
		if (s == TOK_STRICT) {
			stress_add(stress_tot.token_errors, 1);
			stress_error("token STRICT outside a registration", "%s bit %u",
				     d->name, d->tok[i].bit);
		}
	}
	return m;
}

static void Reclaim(struct stress_dev *d, uint64_t settled)
{
	for (unsigned i = 0; i < d->ntok; i++) {
		int s = atomic_load(&d->tok[i].state);

		if ((settled & (1ull << i)) && (s == TOK_EXEMPT || s == TOK_LOST) &&
		    atomic_compare_exchange_strong(&d->tok[i].state, &s, TOK_FREE))
			stress_add(stress_tot.reclaimed, 1);
	}
}

static void ResetAccounting(struct stress_dev *d)
{
	for (unsigned m = 0; m < STRESS_MAX_MSGS; m++) {
		for (unsigned p = 0; p < STRESS_PROCS; p++) {
			atomic_store(&d->set_bits[m][p], 0);
			atomic_store(&d->ctx_runs[m][p], 0);
		}
		atomic_store(&d->dom[m].in_isr, 0);
		atomic_store(&d->dom[m].in_sync, 0);
	}
	atomic_store(&d->isr_this_reg, 0);
}

/* After deregistration: every STRICT raise was seen, every set bit ran. */
static void CheckRegistration(struct stress_dev *d, struct stress_reg *r, unsigned nmsg)
{
	for (unsigned i = 0; i < d->ntok; i++) {
		int s;

		/* The injector is between inject and classification: let it finish. */
		while ((s = atomic_load(&d->tok[i].state)) == TOK_RAISING)
			sched_yield();
		if (s != TOK_STRICT || !atomic_compare_exchange_strong(&d->tok[i].state, &s, TOK_LOST))
			continue;
		stress_add(stress_tot.lost, 1);
		stress_error("interrupt lost", "%s registration %llu: cause bit %u (message %u) "
			     "raised before deregistration began, no ISR saw it",
			     d->name, (unsigned long long)r->serial, d->tok[i].bit, d->tok[i].msg);
	}
	for (unsigned m = 0; m < nmsg; m++) {
		for (unsigned p = 0; p < STRESS_PROCS; p++) {
			uint64_t set = atomic_load(&d->set_bits[m][p]);
			uint64_t ran = atomic_load(&d->ctx_runs[m][p]);

			stress_add(stress_tot.set_bits_checked, set);
			if (set == ran)
				continue;
			stress_add(stress_tot.dpc_mismatch, 1);
			stress_error("NdisMQueueDpcEx bits vs DPC runs", "%s registration %llu "
				     "message %u processor %u: %llu bit(s) returned set, %llu run(s) "
				     "with a context", d->name, (unsigned long long)r->serial, m, p,
				     (unsigned long long)set, (unsigned long long)ran);
		}
	}
}

/* ------------------------------------------------------- initialize */

static NDIS_STATUS SetAttributes(NDIS_HANDLE Adapter, struct stress_dev *d)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES A;

	NdisZeroMemory(&A, sizeof(A));
	A.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	A.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	A.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	A.MiniportAdapterContext = d;
	A.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE;
	A.InterfaceType = NdisInterfacePci;
	return NdisMSetMiniportAttributes(Adapter, (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&A);
}

static NDIS_STATUS MapBar0(NDIS_HANDLE Adapter, struct stress_dev *d, PNDIS_RESOURCE_LIST Res)
{
	PVOID Va = NULL;

	for (ULONG i = 0; Res && i < Res->Count; i++) {
		PCM_PARTIAL_RESOURCE_DESCRIPTOR Desc = &Res->PartialDescriptors[i];

		if (Desc->Type != CmResourceTypeMemory)
			continue;
		if (NdisMMapIoSpace(&Va, Adapter, Desc->u.Memory.Start, Desc->u.Memory.Length))
			return NDIS_STATUS_RESOURCES;
		d->regs = Va;
		d->bar_len = Desc->u.Memory.Length;
		return NDIS_STATUS_SUCCESS;
	}
	return NDIS_STATUS_RESOURCES;
}

static void Unmap(struct stress_dev *d)
{
	NdisMUnmapIoSpace(d->adapter_handle, d->regs, d->bar_len);
	d->regs = NULL;
}

/* The grant is what the device's policy must give, spread as the grant says. */
static BOOLEAN GrantOk(struct stress_dev *d, PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS C)
{
	PIO_INTERRUPT_MESSAGE_INFO T = C->MessageInfoTable;

	if (d->kind == NIRQ_KIND_LINE)
		return C->InterruptType == NDIS_CONNECT_LINE_BASED && !T;
	if (C->InterruptType != NDIS_CONNECT_MESSAGE_BASED || !T || T->MessageCount < d->nroute ||
	    T->MessageCount > STRESS_MAX_MSGS)
		return FALSE;
	for (ULONG m = 0; m < T->MessageCount; m++)
		if (T->MessageInfo[m].TargetProcessorSet != (KAFFINITY)1 << d->target[m])
			return FALSE;
	return (T->UnifiedIrql != 0) == (d->sync_all != 0);
}

static NDIS_STATUS Register(struct stress_dev *d, struct stress_reg *r, unsigned *nmsg)
{
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS C;
	NDIS_STATUS Status;

	NdisZeroMemory(&C, sizeof(C));
	C.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
	C.Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
	C.Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;
	C.InterruptHandler = StressLineIsr;
	C.InterruptDpcHandler = StressLineDpc;
	C.MsiSupported = d->kind != NIRQ_KIND_LINE || d->msi_driver;
	C.MsiSyncWithAllMessages = d->sync_all;
	C.MessageInterruptHandler = StressMessageIsr;
	C.MessageInterruptDpcHandler = StressMessageDpc;
	Status = NdisMRegisterInterruptEx(d->adapter_handle, r, &C, &r->handle);
	if (Status != NDIS_STATUS_SUCCESS)
		return Status;
	if (!GrantOk(d, &C)) {
		stress_add(stress_tot.grant_errors, 1);
		stress_error("unexpected grant", "%s: InterruptType %d", d->name,
			     (int)C.InterruptType);
	}
	*nmsg = C.MessageInfoTable ? C.MessageInfoTable->MessageCount : 1;
	return NDIS_STATUS_SUCCESS;
}

static struct stress_reg *NewRegistration(struct stress_dev *d)
{
	struct stress_reg *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	atomic_init(&r->magic, STRESS_REG_LIVE);
	r->dev = d;
	r->regs = d->regs;
	r->serial = ++d->serial;
	r->next = d->retired;
	d->retired = r;
	return r;
}

/* Deregistration begins: no passive caller, odd phase, then deregister and check. */
static void Teardown(struct stress_dev *d)
{
	struct stress_reg *r;
	unsigned nmsg;

	pthread_mutex_lock(&d->gate);
	r = d->reg;
	nmsg = d->nmsg;
	d->open = false;
	d->reg = NULL;
	pthread_mutex_unlock(&d->gate);
	atomic_fetch_add(&d->phase, 1);
	/* A line's level would be withdrawn by masking the device: do it after. */
	if (d->kind != NIRQ_KIND_LINE)
		DeviceDisable(d, r);
	NdisMDeregisterInterruptEx(r->handle);
	atomic_store_explicit(&r->magic, STRESS_REG_POISON, memory_order_release);
	CheckRegistration(d, r, nmsg);
	if (d->kind == NIRQ_KIND_LINE)
		DeviceDisable(d, r);
}

static NDIS_STATUS Start(struct stress_dev *d)
{
	struct stress_reg *r = NewRegistration(d);
	unsigned nmsg = 1;
	uint64_t settled = Settled(d);
	NDIS_STATUS Status;

	if (!r)
		return NDIS_STATUS_RESOURCES;
	DeviceQuiesce(d, r);
	Reclaim(d, settled);
	ResetAccounting(d);
	Status = Register(d, r, &nmsg);
	if (Status != NDIS_STATUS_SUCCESS)
		return Status;
	DeviceEnable(d, r);
	atomic_fetch_add(&d->phase, 1); /* even: registered and enabled */
	pthread_mutex_lock(&d->gate);
	d->reg = r;
	d->nmsg = nmsg;
	d->open = true;
	pthread_mutex_unlock(&d->gate);
	return NDIS_STATUS_SUCCESS;
}

static MINIPORT_INITIALIZE StressInitialize;
static NDIS_STATUS StressInitialize(NDIS_HANDLE Adapter, NDIS_HANDLE DriverContext,
				    PNDIS_MINIPORT_INIT_PARAMETERS Params)
{
	struct stress_host *h = DriverContext;
	struct stress_dev *d = h->initializing;
	NDIS_STATUS Status;

	d->adapter_handle = Adapter;
	Status = SetAttributes(Adapter, d);
	if (Status == NDIS_STATUS_SUCCESS)
		Status = MapBar0(Adapter, d, Params->AllocatedResources);
	if (Status != NDIS_STATUS_SUCCESS)
		return Status;
	Status = Start(d);
	if (Status == NDIS_STATUS_SUCCESS && d->fail_next_init) {
		/* A failed initialize deregisters what it registered. */
		Teardown(d);
		Status = NDIS_STATUS_FAILURE;
		stress_add(stress_tot.failed_inits, 1);
	}
	if (Status != NDIS_STATUS_SUCCESS)
		Unmap(d);
	return Status;
}

static MINIPORT_HALT StressHalt;
static VOID StressHalt(NDIS_HANDLE Context, NDIS_HALT_ACTION Action)
{
	struct stress_dev *d = Context;

	UNREFERENCED_PARAMETER(Action);
	Teardown(d);
	Unmap(d);
}

static MINIPORT_UNLOAD StressUnload;
static VOID StressUnload(PDRIVER_OBJECT DriverObject)
{
	UNREFERENCED_PARAMETER(DriverObject);
	NdisMDeregisterMiniportDriver(stress_loading_host->driver_handle);
}

int32_t stress_driver_entry(void *driver_object, void *registry_path)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS C;
	struct stress_host *h = stress_loading_host;

	NdisZeroMemory(&C, sizeof(C));
	C.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	C.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	C.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	C.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION;
	C.MinorNdisVersion = NDIS_MINIPORT_MINOR_VERSION;
	C.MajorDriverVersion = 1;
	C.InitializeHandlerEx = StressInitialize;
	C.HaltHandlerEx = StressHalt;
	C.UnloadHandler = StressUnload;
	return NdisMRegisterMiniportDriver(driver_object, registry_path, h, &C,
					   &h->driver_handle);
}
