/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The in-test NDIS miniport (see test_miniport.h): DriverEntry, initialize,
 * halt, unload, the eight interrupt handlers, and the host plumbing that
 * runs it on the fake platform.
 */
#include "test_miniport.h"

#include <errno.h>
#include <string.h>

struct test_miniport tm;

static MINIPORT_INITIALIZE tm_initialize_ex;
static MINIPORT_HALT tm_halt_ex;
static MINIPORT_UNLOAD tm_unload;
static MINIPORT_ISR tm_line_isr;
static MINIPORT_INTERRUPT_DPC tm_line_dpc;
static MINIPORT_ENABLE_INTERRUPT tm_line_enable;
static MINIPORT_DISABLE_INTERRUPT tm_line_disable;
static MINIPORT_MESSAGE_INTERRUPT tm_msg_isr;
static MINIPORT_MESSAGE_INTERRUPT_DPC tm_msg_dpc;
static MINIPORT_ENABLE_MESSAGE_INTERRUPT tm_msg_enable;
static MINIPORT_DISABLE_MESSAGE_INTERRUPT tm_msg_disable;

/* ------------------------------------------------------------- handlers */

/* Record an ISR call; returns the hook to run after the lock is dropped. */
static tm_isr_hook *isr_record(NDIS_HANDLE ctx, ULONG msg, bool line,
			       PBOOLEAN qd, PULONG tp, BOOLEAN *ret)
{
	tm_isr_hook *hook;

	pthread_mutex_lock(&tm.lock);
	if (ctx != &tm)
		tm.wrong_context++;
	if (tm.poisoned)
		tm.calls_after_poison++;
	if (line)
		tm.line_isr_calls++;
	else
		tm.msg_isr_calls++;
	if (msg < NIRQ_MAX_MESSAGES) {
		tm.isr_calls[msg]++;
		tm.isr_proc[msg] = KeGetCurrentProcessorNumberEx(NULL);
		tm.isr_irql[msg] = KeGetCurrentIrql();
	}
	*qd = tm.queue_default;
	*tp = tm.targets;
	*ret = tm.isr_return;
	hook = tm.isr_hook;
	pthread_mutex_unlock(&tm.lock);
	return hook;
}

static BOOLEAN isr_finish(tm_isr_hook *hook, ULONG msg, BOOLEAN ret)
{
	tm_isr_body *body;

	pthread_mutex_lock(&tm.lock);
	body = tm.isr_body;
	pthread_mutex_unlock(&tm.lock);
	if (body)
		ret = body(msg);
	if (hook)
		hook(msg);
	return ret;
}

static BOOLEAN tm_line_isr(NDIS_HANDLE ctx, PBOOLEAN qd, PULONG tp)
{
	BOOLEAN ret;
	tm_isr_hook *hook = isr_record(ctx, 0, true, qd, tp, &ret);

	return isr_finish(hook, 0, ret);
}

static BOOLEAN tm_msg_isr(NDIS_HANDLE ctx, ULONG msg, PBOOLEAN qd, PULONG tp)
{
	BOOLEAN ret;
	tm_isr_hook *hook = isr_record(ctx, msg, false, qd, tp, &ret);

	return isr_finish(hook, msg, ret);
}

static void dpc_record(NDIS_HANDLE ctx, ULONG msg, bool line, PVOID dpc_ctx,
		       PVOID throttle)
{
	PNDIS_RECEIVE_THROTTLE_PARAMETERS thr = throttle;
	tm_dpc_hook *hook;

	pthread_mutex_lock(&tm.lock);
	if (ctx != &tm)
		tm.wrong_context++;
	if (tm.poisoned)
		tm.calls_after_poison++;
	if (tm.ndpc < TM_MAX_DPCS)
		tm.dpc[tm.ndpc++] = (struct tm_dpc){ .msg = msg, .line = line,
			.proc = KeGetCurrentProcessorNumberEx(NULL),
			.irql = KeGetCurrentIrql(), .ctx = dpc_ctx,
			.max_nbls = thr ? thr->MaxNblsToIndicate : 0 };
	tm.dpc_calls++;
	if (thr)
		thr->MoreNblsPending = tm.dpc_calls <= tm.more_pending;
	hook = tm.dpc_hook;
	pthread_mutex_unlock(&tm.lock);
	if (hook)
		hook(msg, dpc_ctx);
}

static VOID tm_line_dpc(NDIS_HANDLE ctx, PVOID dpc_ctx, PVOID throttle, PVOID reserved)
{
	(void)reserved;
	dpc_record(ctx, 0, true, dpc_ctx, throttle);
}

static VOID tm_msg_dpc(NDIS_HANDLE ctx, ULONG msg, PVOID dpc_ctx, PVOID throttle,
		       PVOID reserved)
{
	(void)reserved;
	dpc_record(ctx, msg, false, dpc_ctx, throttle);
}

/* Diagnostic handlers: never called on the fast path; counted if they are. */
static void ctl_record(void)
{
	pthread_mutex_lock(&tm.lock);
	tm.ctl_calls++;
	pthread_mutex_unlock(&tm.lock);
}

static VOID tm_line_enable(NDIS_HANDLE ctx)
{
	(void)ctx;
	ctl_record();
}

static VOID tm_line_disable(NDIS_HANDLE ctx)
{
	(void)ctx;
	ctl_record();
}

static VOID tm_msg_enable(NDIS_HANDLE ctx, ULONG msg)
{
	(void)ctx, (void)msg;
	ctl_record();
}

static VOID tm_msg_disable(NDIS_HANDLE ctx, ULONG msg)
{
	(void)ctx, (void)msg;
	ctl_record();
}

void tm_chars_init(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c)
{
	NdisZeroMemory(c, sizeof(*c));
	c->Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
	c->Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
	c->Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;
	c->InterruptHandler = tm_line_isr;
	c->InterruptDpcHandler = tm_line_dpc;
	c->DisableInterruptHandler = tm_line_disable;
	c->EnableInterruptHandler = tm_line_enable;
	c->MsiSupported = TRUE;
	c->MessageInterruptHandler = tm_msg_isr;
	c->MessageInterruptDpcHandler = tm_msg_dpc;
	c->DisableMessageInterruptHandler = tm_msg_disable;
	c->EnableMessageInterruptHandler = tm_msg_enable;
}

/* --------------------------------------------------------- the lifecycle */

static NDIS_STATUS set_registration(NDIS_HANDLE h)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES r;

	NdisZeroMemory(&r, sizeof(r));
	r.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	r.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	r.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	r.MiniportAdapterContext = &tm;
	r.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE;
	r.InterfaceType = NdisInterfacePci;
	return NdisMSetMiniportAttributes(h, (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&r);
}

/* Map the first memory resource (BAR0), as a real miniport does. */
static void map_bar0(PNDIS_RESOURCE_LIST res)
{
	for (ULONG i = 0; res && i < res->Count; i++) {
		PCM_PARTIAL_RESOURCE_DESCRIPTOR d = &res->PartialDescriptors[i];

		if (d->Type != CmResourceTypeMemory)
			continue;
		if (NdisMMapIoSpace((PVOID *)&tm.regs, tm.adapter_handle, d->u.Memory.Start,
				    d->u.Memory.Length) == NDIS_STATUS_SUCCESS)
			tm.regs_len = d->u.Memory.Length;
		else
			tm.regs = NULL;
		return;
	}
}

NDIS_STATUS tm_register(PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS c, PNDIS_HANDLE h)
{
	return NdisMRegisterInterruptEx(tm.adapter_handle, &tm, c, h);
}

static void register_in_init(void)
{
	tm.chars = tm.opt.chars;
	tm.reports_before_register = nirq_rt_reports(tm.rt);
	tm.register_status = tm_register(&tm.chars, &tm.interrupt);
	tm.reports_after_register = nirq_rt_reports(tm.rt);
	if (tm.register_status != NDIS_STATUS_SUCCESS)
		tm.interrupt = NULL;
	if (!tm.opt.register_twice)
		return;
	tm.chars2 = tm.opt.chars;
	tm.register_status2 = tm_register(&tm.chars2, &tm.interrupt2);
	tm.reports_after_register2 = nirq_rt_reports(tm.rt);
}

static void unmap_bar0(void)
{
	if (tm.regs)
		NdisMUnmapIoSpace(tm.adapter_handle, tm.regs, tm.regs_len);
	tm.regs = NULL;
}

static NDIS_STATUS tm_initialize_ex(NDIS_HANDLE h, NDIS_HANDLE driver_ctx,
				    PNDIS_MINIPORT_INIT_PARAMETERS p)
{
	NDIS_STATUS st = NDIS_STATUS_SUCCESS;

	(void)driver_ctx;
	tm.adapter_handle = h;
	tm.resources = p->AllocatedResources;
	tm.init_irql = KeGetCurrentIrql();
	if (!tm.opt.skip_attributes)
		st = set_registration(h);
	if (st == NDIS_STATUS_SUCCESS && !tm.opt.skip_attributes)
		map_bar0(p->AllocatedResources);
	if (st == NDIS_STATUS_SUCCESS && tm.init_hook)
		tm.init_hook();
	if (st == NDIS_STATUS_SUCCESS && !tm.opt.skip_register) {
		register_in_init();
		st = tm.register_status;
	}
	if (st == NDIS_STATUS_SUCCESS && tm.opt.fail_after_register)
		return NDIS_STATUS_FAILURE; /* forgets the interrupt and the mapping */
	/* A failed initialize releases what it took (the interrupt failed). */
	if (st != NDIS_STATUS_SUCCESS)
		unmap_bar0();
	return st;
}

static VOID tm_halt_ex(NDIS_HANDLE ctx, NDIS_HALT_ACTION action)
{
	(void)ctx, (void)action;
	tm.halt_irql = KeGetCurrentIrql();
	if (tm.halt_hook)
		tm.halt_hook();
	if (!tm.opt.skip_dereg_in_halt && tm.interrupt)
		NdisMDeregisterInterruptEx(tm.interrupt);
	tm.interrupt = NULL;
	unmap_bar0();
	tm.halted = true;
}

static VOID tm_unload(PDRIVER_OBJECT driver)
{
	(void)driver;
	NdisMDeregisterMiniportDriver(tm.driver_handle);
}

static NTSTATUS tm_driver_entry(PDRIVER_OBJECT driver, PUNICODE_STRING path)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS c;

	NdisZeroMemory(&c, sizeof(c));
	c.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	c.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	c.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	c.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION;
	c.MinorNdisVersion = NDIS_MINIPORT_MINOR_VERSION;
	c.InitializeHandlerEx = tm_initialize_ex;
	c.HaltHandlerEx = tm_halt_ex;
	c.UnloadHandler = tm_unload;
	return NdisMRegisterMiniportDriver(driver, path, NULL, &c, &tm.driver_handle);
}

/* The host's DriverEntry shape: NTSTATUS (PDRIVER_OBJECT, PUNICODE_STRING). */
static int32_t entry_thunk(void *driver, void *path)
{
	return tm_driver_entry(driver, path);
}

/* ------------------------------------------------------------ the plumbing */

void tm_options_init(struct tm_options *o)
{
	memset(o, 0, sizeof(*o));
	o->processors = 4;
	fake_platform_config_init(&o->pf);
	nirq_policy_init(&o->policy);
	tm_chars_init(&o->chars);
}

static int make_runtime(void)
{
	struct nirq_rt_config cfg;

	nirq_rt_config_init(&cfg);
	cfg.processors = tm.opt.processors;
	cfg.manual = !tm.opt.threaded;
	cfg.log = test_log_sink;
	cfg.log_arg = &tm.log;
	return nirq_rt_create(&cfg, &tm.rt);
}

int tm_start(const struct tm_options *o)
{
	int err;

	memset(&tm, 0, sizeof(tm));
	tm.opt = *o;
	tm.isr_return = TRUE;
	pthread_mutex_init(&tm.lock, NULL);
	test_log_init(&tm.log);
	err = make_runtime();
	if (err)
		return err;
	tm.pf = fake_platform_create(&o->pf);
	if (!tm.pf)
		return -ENOMEM;
	err = nirq_host_create(tm.rt, &tm.host);
	if (!err)
		err = nirq_host_load_entry(tm.host, entry_thunk, &tm.entry_status);
	if (!err && tm.entry_status != NDIS_STATUS_SUCCESS)
		err = -EIO;
	if (!err)
		err = nirq_host_adapter_start(tm.host, tm.pf, &o->policy, &tm.ad);
	return err;
}

NDIS_STATUS tm_initialize(void)
{
	return nirq_host_adapter_initialize(tm.ad);
}

void tm_halt(void)
{
	nirq_host_adapter_halt(tm.ad);
}

void tm_stop(void)
{
	if (tm.ad) {
		nirq_host_adapter_stop(tm.ad); /* halts a running adapter first */
		tm.ad = NULL;
	}
	if (tm.host) {
		nirq_host_unload(tm.host);
		nirq_host_destroy(tm.host);
		tm.host = NULL;
	}
	if (tm.rt) {
		nirq_rt_destroy(tm.rt);
		tm.rt = NULL;
	}
	fake_platform_free(tm.pf);
	tm.pf = NULL;
	test_log_fini(&tm.log);
	pthread_mutex_destroy(&tm.lock);
}

void tm_passive(void (*fn)(void *), void *arg)
{
	if (nirq_rt_run_passive(tm.rt, fn, arg))
		fn(arg);
}

/* ---------------------------------------------------------------- records */

unsigned tm_isr_calls(ULONG msg)
{
	unsigned n;

	pthread_mutex_lock(&tm.lock);
	n = msg < NIRQ_MAX_MESSAGES ? tm.isr_calls[msg] : 0;
	pthread_mutex_unlock(&tm.lock);
	return n;
}

unsigned tm_dpc_count(void)
{
	unsigned n;

	pthread_mutex_lock(&tm.lock);
	n = tm.dpc_calls;
	pthread_mutex_unlock(&tm.lock);
	return n;
}

struct tm_dpc tm_dpc_at(unsigned i)
{
	struct tm_dpc d = { .proc = ~0u };

	pthread_mutex_lock(&tm.lock);
	if (i < tm.ndpc)
		d = tm.dpc[i];
	pthread_mutex_unlock(&tm.lock);
	return d;
}

unsigned tm_dpcs_on(ULONG msg, ULONG proc)
{
	unsigned n = 0;

	pthread_mutex_lock(&tm.lock);
	for (unsigned i = 0; i < tm.ndpc; i++)
		n += tm.dpc[i].msg == msg && tm.dpc[i].proc == proc;
	pthread_mutex_unlock(&tm.lock);
	return n;
}

void tm_poison(void)
{
	pthread_mutex_lock(&tm.lock);
	tm.poisoned = true;
	pthread_mutex_unlock(&tm.lock);
}

unsigned tm_calls_after_poison(void)
{
	unsigned n;

	pthread_mutex_lock(&tm.lock);
	n = tm.calls_after_poison;
	pthread_mutex_unlock(&tm.lock);
	return n;
}

const struct nirq_grant *tm_grant(void)
{
	return nirq_host_adapter_grant(tm.ad);
}
