// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * libFuzzer target: any bytes, of any size, as the
 * NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS (header included) that an
 * in-process miniport hands to NdisMRegisterInterruptEx from its
 * MiniportInitializeEx, on a manual runtime over a simulated device.
 *
 * Input layout (exhausted input reads as zeros):
 *   byte 0      model (bits 0-1: edu, e1000e, e1000, edu), bit 2: policy
 *               MSISupported=0
 *   byte 1      MessageNumberLimit (0: none)
 *   byte 2      processors - 1 (mod 8)
 *   byte 3      fail the Nth allocation inside the registration (0: none)
 *   bytes 4-7   device causes injected after a successful registration
 *   bytes 8-11  TargetProcessors the ISRs return (masked to the processors)
 *   byte 12     bit 0 the ISRs claim, bit 1 they queue the default DPC,
 *               bits 2-7 the MessageId for NdisMSynchronizeWithInterruptEx
 *               and NdisMQueueDpcEx (modulo the message count)
 *   the rest    the characteristics' bytes. The memory handed over is
 *               max(Header.Size, 4) bytes (zero-filled past the input), so
 *               ASan sees any read beyond what the header declares. Each
 *               handler pointer that lies inside it is replaced by the valid
 *               test handler of its type when its raw value is odd, by NULL
 *               when even: a fuzzer-chosen address is never called.
 *
 * Properties: no crash or leak; the status is SUCCESS, INVALID_PARAMETER,
 * FAILURE or RESOURCES and is the one the documented rules give (header,
 * required handlers, MsiSupported against the grant, RESOURCES when the
 * injected allocation failure fired); on success InterruptType is 1 or 2
 * and matches the grant, MessageInfoTable is NULL iff line-based and
 * describes the grant; the handlers run with the miniport's context at the
 * right IRQL; nothing runs after NdisMDeregisterInterruptEx; no verifier
 * report.
 */
#ifndef NDIS_MINIPORT_DRIVER
#define NDIS_MINIPORT_DRIVER 1
#endif
#ifndef NDIS620_MINIPORT
#define NDIS620_MINIPORT 1
#endif
#include <ndis.h>

#include <errno.h>
#include <stdbool.h>

#include <ndisirq/ndisirq.h>
#include <ndisirq/nirq_fault.h>
#include <ndisirq/nirq_host.h>
#include <ndisirq/nirq_platform_sim.h>

#include "fuzz_util.h"

#define E1K_ICR 0x00c0
#define E1K_IMS 0x00d0
#define E1K_IVAR 0x00e4
#define EDU_IRQ_ACK 0x64
#define E1K_ICR_RXQ0 0x00100000u
#define E1000E_IMS_VALID 0x01f782d7u /* the causes the 82574L's IMS implements */

/* What one input asks for, and what happened. */
struct chars_fuzz {
	enum nirq_sim_model model;
	struct nirq_policy policy;
	unsigned processors;
	uint8_t fail_alloc;
	uint32_t causes, targets;
	uint8_t act;
	uint8_t *mem;              /* the characteristics as handed over */
	size_t mem_size;

	struct nirq_rt *rt;
	struct nirq_platform *pf;
	struct nirq_host *host;
	struct nirq_adapter *ad;
	NDIS_HANDLE driver;
	NDIS_HANDLE adapter;
	NDIS_HANDLE interrupt;
	NDIS_STATUS status;
	bool fault_fired;
	bool deregistered;         /* handlers must not run any more */
	unsigned isr_calls, dpc_calls;
};

static struct chars_fuzz cf;

/* ------------------------------------------------------ the test handlers */

static void check_handler(NDIS_HANDLE ctx, KIRQL min_irql, const char *what)
{
	FZ_CHECK(ctx == &cf, "%s called with context %p", what, ctx);
	FZ_CHECK(!cf.deregistered, "%s ran after NdisMDeregisterInterruptEx", what);
	FZ_CHECK(KeGetCurrentIrql() >= min_irql, "%s at IRQL %u", what, KeGetCurrentIrql());
}

/* Acknowledge every cause, so a level-triggered line drops. */
static void device_ack(void)
{
	const struct nirq_platform_ops *ops = cf.pf->ops;

	if (cf.model == NIRQ_SIM_EDU)
		ops->mmio_write(cf.pf, 0, EDU_IRQ_ACK, 4, 0xffffffffu);
	else
		ops->mmio_write(cf.pf, 0, E1K_ICR, 4, 0xffffffffu);
}

static BOOLEAN isr_body(PBOOLEAN queue_default, PULONG targets)
{
	uint64_t exist = (1ull << cf.processors) - 1;

	cf.isr_calls++;
	device_ack();
	*queue_default = (cf.act & 2) ? TRUE : FALSE;
	*targets = (ULONG)(cf.targets & exist);
	return (cf.act & 1) ? TRUE : FALSE;
}

static BOOLEAN fz_line_isr(NDIS_HANDLE ctx, PBOOLEAN queue_default, PULONG targets)
{
	check_handler(ctx, DISPATCH_LEVEL + 1, "line ISR");
	return isr_body(queue_default, targets);
}

static BOOLEAN fz_msg_isr(NDIS_HANDLE ctx, ULONG msg, PBOOLEAN queue_default,
			  PULONG targets)
{
	check_handler(ctx, DISPATCH_LEVEL + 1, "message ISR");
	FZ_CHECK(msg < NIRQ_MAX_MESSAGES, "message ISR for message %u", msg);
	return isr_body(queue_default, targets);
}

static VOID fz_line_dpc(NDIS_HANDLE ctx, PVOID dpc_ctx, PVOID throttle, PVOID reserved)
{
	(void)dpc_ctx, (void)reserved;
	check_handler(ctx, DISPATCH_LEVEL, "line DPC");
	FZ_CHECK(KeGetCurrentIrql() == DISPATCH_LEVEL, "line DPC above DISPATCH");
	FZ_CHECK(throttle, "line DPC without receive throttle parameters");
	cf.dpc_calls++;
}

static VOID fz_msg_dpc(NDIS_HANDLE ctx, ULONG msg, PVOID dpc_ctx, PVOID throttle,
		       PVOID reserved)
{
	(void)msg, (void)dpc_ctx, (void)reserved;
	check_handler(ctx, DISPATCH_LEVEL, "message DPC");
	FZ_CHECK(KeGetCurrentIrql() == DISPATCH_LEVEL, "message DPC above DISPATCH");
	FZ_CHECK(throttle, "message DPC without receive throttle parameters");
	cf.dpc_calls++;
}

static VOID fz_line_ctl(NDIS_HANDLE ctx)
{
	check_handler(ctx, DISPATCH_LEVEL + 1, "line enable/disable");
}

static VOID fz_msg_ctl(NDIS_HANDLE ctx, ULONG msg)
{
	(void)msg;
	check_handler(ctx, DISPATCH_LEVEL + 1, "message enable/disable");
}

static BOOLEAN fz_sync(PVOID ctx)
{
	FZ_CHECK(ctx == &cf, "synchronize callback with context %p", ctx);
	FZ_CHECK(KeGetCurrentIrql() > DISPATCH_LEVEL, "synchronize callback at IRQL %u",
		 KeGetCurrentIrql());
	return TRUE;
}

/* ------------------------------------------ the characteristics from bytes */

typedef NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS CHARS;

/* The offsets of the eight handler fields. */
static const size_t handler_fields[] = {
	offsetof(CHARS, InterruptHandler),
	offsetof(CHARS, InterruptDpcHandler),
	offsetof(CHARS, DisableInterruptHandler),
	offsetof(CHARS, EnableInterruptHandler),
	offsetof(CHARS, MessageInterruptHandler),
	offsetof(CHARS, MessageInterruptDpcHandler),
	offsetof(CHARS, DisableMessageInterruptHandler),
	offsetof(CHARS, EnableMessageInterruptHandler),
};

/* Every handler field set to the valid test handler of its type. */
static void valid_handlers(CHARS *c)
{
	NdisZeroMemory(c, sizeof(*c));
	c->InterruptHandler = fz_line_isr;
	c->InterruptDpcHandler = fz_line_dpc;
	c->DisableInterruptHandler = fz_line_ctl;
	c->EnableInterruptHandler = fz_line_ctl;
	c->MessageInterruptHandler = fz_msg_isr;
	c->MessageInterruptDpcHandler = fz_msg_dpc;
	c->DisableMessageInterruptHandler = fz_msg_ctl;
	c->EnableMessageInterruptHandler = fz_msg_ctl;
}

/* Copy the input into memory of the declared size; map the handler fields. */
static void build_chars(const struct fz *in)
{
	NDIS_OBJECT_HEADER h = { 0 };
	CHARS valid;
	size_t n;

	memcpy(&h, in->p, in->n < sizeof(h) ? in->n : sizeof(h));
	cf.mem_size = h.Size > sizeof(h) ? h.Size : sizeof(h);
	cf.mem = calloc(1, cf.mem_size);
	if (!cf.mem)
		abort();
	n = in->n < cf.mem_size ? in->n : cf.mem_size;
	memcpy(cf.mem, in->p, n);
	valid_handlers(&valid);
	for (size_t i = 0; i < sizeof(handler_fields) / sizeof(handler_fields[0]); i++) {
		size_t off = handler_fields[i];
		uint64_t raw;

		if (off + sizeof(raw) > cf.mem_size)
			continue;
		memcpy(&raw, cf.mem + off, sizeof(raw));
		if (raw & 1)
			memcpy(cf.mem + off, (const uint8_t *)&valid + off, sizeof(raw));
		else
			memset(cf.mem + off, 0, sizeof(raw));
	}
}

/* The fields as the shim sees them, for the reference model. */
static bool chars_field_set(size_t off)
{
	void *p = NULL;

	if (off + sizeof(p) <= cf.mem_size)
		memcpy(&p, cf.mem + off, sizeof(p));
	return p != NULL;
}

/* The status the documented rules give (spec §3.2, §5.5), before resources. */
static NDIS_STATUS expected_status(enum nirq_intr_kind kind)
{
	const CHARS *c = (const CHARS *)cf.mem;
	bool msi;

	if (c->Header.Type != NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT ||
	    c->Header.Revision != NDIS_MINIPORT_INTERRUPT_REVISION_1 ||
	    c->Header.Size < NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1)
		return NDIS_STATUS_INVALID_PARAMETER;
	msi = c->MsiSupported != FALSE;
	if (!chars_field_set(offsetof(CHARS, InterruptHandler)) ||
	    !chars_field_set(offsetof(CHARS, InterruptDpcHandler)) ||
	    (msi && !chars_field_set(offsetof(CHARS, MessageInterruptHandler))) ||
	    (msi && !chars_field_set(offsetof(CHARS, MessageInterruptDpcHandler))))
		return NDIS_STATUS_INVALID_PARAMETER;
	if (kind == NIRQ_KIND_NONE || (kind != NIRQ_KIND_LINE && !msi))
		return NDIS_STATUS_FAILURE;
	return NDIS_STATUS_SUCCESS;
}

/* ------------------------------------------------------------ the miniport */

static NDIS_STATUS set_registration(NDIS_HANDLE h)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES r;

	NdisZeroMemory(&r, sizeof(r));
	r.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	r.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	r.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	r.MiniportAdapterContext = &cf;
	r.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE;
	r.InterfaceType = NdisInterfacePci;
	return NdisMSetMiniportAttributes(h, (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&r);
}

/* Interrupts enabled at the device; e1000e routes RxQ0..Other to messages 0..4. */
static void device_enable(void)
{
	const struct nirq_platform_ops *ops = cf.pf->ops;

	if (cf.model == NIRQ_SIM_EDU)
		return;
	ops->mmio_write(cf.pf, 0, E1K_IVAR, 4, 0x000cba98u);
	ops->mmio_write(cf.pf, 0, E1K_IMS, 4, 0xffffffffu);
}

static NDIS_STATUS fz_initialize(NDIS_HANDLE h, NDIS_HANDLE driver_ctx,
				 PNDIS_MINIPORT_INIT_PARAMETERS p)
{
	NDIS_STATUS st;

	(void)driver_ctx, (void)p;
	cf.adapter = h;
	st = set_registration(h);
	FZ_CHECK(st == NDIS_STATUS_SUCCESS, "registration attributes refused: 0x%x", st);
	cf.interrupt = (NDIS_HANDLE)&cf.interrupt; /* not NULL: see it written */
	if (cf.fail_alloc)
		nirq_fault_inject(NIRQ_FAULT_ALLOC, cf.fail_alloc);
	cf.status = NdisMRegisterInterruptEx(h, &cf, (CHARS *)cf.mem, &cf.interrupt);
	cf.fault_fired = cf.fail_alloc && nirq_fault_fired(NIRQ_FAULT_ALLOC);
	nirq_fault_reset();
	if (cf.status != NDIS_STATUS_SUCCESS)
		return cf.status;
	device_enable();
	return NDIS_STATUS_SUCCESS;
}

static VOID fz_halt(NDIS_HANDLE ctx, NDIS_HALT_ACTION action)
{
	(void)ctx, (void)action;
	NdisMDeregisterInterruptEx(cf.interrupt);
	cf.deregistered = true;
}

static VOID fz_unload(PDRIVER_OBJECT driver)
{
	(void)driver;
	NdisMDeregisterMiniportDriver(cf.driver);
}

static int32_t fz_driver_entry(void *driver, void *path)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS c;

	NdisZeroMemory(&c, sizeof(c));
	c.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	c.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	c.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	c.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION;
	c.MinorNdisVersion = NDIS_MINIPORT_MINOR_VERSION;
	c.InitializeHandlerEx = fz_initialize;
	c.HaltHandlerEx = fz_halt;
	c.UnloadHandler = fz_unload;
	return NdisMRegisterMiniportDriver(driver, path, NULL, &c, &cf.driver);
}

/* ------------------------------------------------------------- the checks */

static void check_table(const CHARS *c, const struct nirq_grant *g)
{
	const IO_INTERRUPT_MESSAGE_INFO *t = c->MessageInfoTable;

	FZ_CHECK((t == NULL) == (c->InterruptType == NDIS_CONNECT_LINE_BASED),
		 "InterruptType %d with MessageInfoTable %p", (int)c->InterruptType, (void *)t);
	if (!t)
		return;
	FZ_CHECK(t->MessageCount == g->count, "table of %u messages, grant of %u",
		 t->MessageCount, g->count);
	FZ_CHECK((t->UnifiedIrql != 0) == (c->MsiSyncWithAllMessages != FALSE),
		 "UnifiedIrql %u with MsiSyncWithAllMessages %u", t->UnifiedIrql,
		 c->MsiSyncWithAllMessages);
	for (ULONG m = 0; m < t->MessageCount; m++)
		FZ_CHECK(t->MessageInfo[m].TargetProcessorSet == (KAFFINITY)1 << g->target[m],
			 "message %u: TargetProcessorSet 0x%llx, grant processor %u", m,
			 (unsigned long long)t->MessageInfo[m].TargetProcessorSet, g->target[m]);
}

static void check_registration(void)
{
	const CHARS *c = (const CHARS *)cf.mem;
	const struct nirq_grant *g = nirq_host_adapter_grant(cf.ad);
	NDIS_STATUS want = expected_status(g->kind);
	uint32_t msgs = 0;
	int type = nirq_host_adapter_interrupt_type(cf.ad, &msgs);

	FZ_CHECK(cf.status == NDIS_STATUS_SUCCESS || cf.status == NDIS_STATUS_INVALID_PARAMETER ||
		 cf.status == NDIS_STATUS_FAILURE || cf.status == NDIS_STATUS_RESOURCES,
		 "NdisMRegisterInterruptEx returned 0x%x", cf.status);
	if (cf.fault_fired && want == NDIS_STATUS_SUCCESS)
		want = NDIS_STATUS_RESOURCES;
	FZ_CHECK(cf.status == want, "status 0x%x, the rules give 0x%x (grant %s, fault %s)",
		 cf.status, want, nirq_kind_name(g->kind), cf.fault_fired ? "fired" : "none");
	if (cf.status != NDIS_STATUS_SUCCESS) {
		FZ_CHECK(type == 0, "a failed registration left interrupt type %d", type);
		return;
	}
	FZ_CHECK(cf.interrupt != NULL, "success without an NdisInterruptHandle");
	FZ_CHECK(c->InterruptType == NDIS_CONNECT_LINE_BASED ||
		 c->InterruptType == NDIS_CONNECT_MESSAGE_BASED, "InterruptType %d",
		 (int)c->InterruptType);
	FZ_CHECK((c->InterruptType == NDIS_CONNECT_LINE_BASED) == (g->kind == NIRQ_KIND_LINE),
		 "InterruptType %d for a %s grant", (int)c->InterruptType,
		 nirq_kind_name(g->kind));
	FZ_CHECK(type == (int)c->InterruptType && msgs == g->count,
		 "the host recorded type %d with %u messages", type, msgs);
	check_table(c, g);
}

/* Must the causes reach an ISR? IMS enables all; e1000e's MSI-X sends RxQ0 to message 0. */
static bool causes_deliver(enum nirq_intr_kind kind)
{
	if (cf.model != NIRQ_SIM_E1000E)
		return cf.causes != 0;
	if (kind == NIRQ_KIND_MSIX)
		return cf.causes & E1K_ICR_RXQ0;
	return cf.causes & E1000E_IMS_VALID;
}

/* Deliver device events, then synchronize and queue a DPC as a miniport may. */
static void exercise(void)
{
	const struct nirq_grant *g = nirq_host_adapter_grant(cf.ad);
	ULONG msg = (ULONG)(cf.act >> 2) % g->count;
	uint64_t exist = (1ull << cf.processors) - 1;
	GROUP_AFFINITY ga = { .Mask = (KAFFINITY)((cf.targets & exist) | 1), .Group = 0 };
	unsigned dpcs;
	KAFFINITY queued;

	nirq_sim_inject(cf.pf, cf.causes);
	(void)nirq_rt_run_until_idle(cf.rt);
	FZ_CHECK(cf.isr_calls || !causes_deliver(g->kind), "causes 0x%x raised no ISR "
		 "(%s grant)", cf.causes, nirq_kind_name(g->kind));
	FZ_CHECK(cf.dpc_calls || !cf.isr_calls || !(cf.act & 2),
		 "QueueDefaultInterruptDpc was set but no DPC ran");
	FZ_CHECK(NdisMSynchronizeWithInterruptEx(cf.interrupt, msg, fz_sync, &cf) == TRUE,
		 "the synchronize callback's TRUE was lost");
	dpcs = cf.dpc_calls;
	queued = NdisMQueueDpcEx(cf.interrupt, msg, &ga, NULL);
	FZ_CHECK(queued == ga.Mask, "NdisMQueueDpcEx on idle processors queued 0x%llx "
		 "of 0x%llx", (unsigned long long)queued, (unsigned long long)ga.Mask);
	(void)nirq_rt_run_until_idle(cf.rt);
	FZ_CHECK(cf.dpc_calls - dpcs == (unsigned)__builtin_popcountll(queued),
		 "%u DPC(s) queued, %u ran", __builtin_popcountll(queued), cf.dpc_calls - dpcs);
}

/* -------------------------------------------------------------- the setup */

static void parse(struct fz *in)
{
	uint8_t b0 = fz_u8(in), limit = fz_u8(in);
	const char *why;
	char text[8];

	cf.model = (enum nirq_sim_model)(1 + (b0 & 3) % 3);
	nirq_policy_init(&cf.policy);
	if (b0 & 4)
		FZ_CHECK(nirq_policy_set(&cf.policy, "MSISupported", "0", &why) == 0, "%s", why);
	snprintf(text, sizeof(text), "%u", limit);
	if (limit)
		FZ_CHECK(nirq_policy_set(&cf.policy, "MessageNumberLimit", text, &why) == 0,
			 "%s", why);
	cf.processors = 1 + fz_u8(in) % 8;
	cf.fail_alloc = fz_u8(in);
	cf.causes = fz_u32(in);
	cf.targets = fz_u32(in);
	cf.act = fz_u8(in);
}

static void start(void)
{
	struct nirq_rt_config rc;
	struct nirq_sim_config sc;
	int32_t entry = -1;

	nirq_rt_config_init(&rc);
	rc.processors = cf.processors;
	rc.manual = true;
	nirq_sim_config_init(&sc, cf.model);
	FZ_CHECK(nirq_rt_create(&rc, &cf.rt) == 0, "runtime");
	FZ_CHECK(nirq_sim_create(&sc, &cf.pf) == 0, "sim");
	FZ_CHECK(nirq_host_create(cf.rt, &cf.host) == 0, "host");
	FZ_CHECK(nirq_host_load_entry(cf.host, fz_driver_entry, &entry) == 0 &&
		 entry == NDIS_STATUS_SUCCESS, "DriverEntry: 0x%x", entry);
	FZ_CHECK(nirq_host_adapter_start(cf.host, cf.pf, &cf.policy, &cf.ad) == 0,
		 "adapter start");
}

static void stop(bool initialized)
{
	if (initialized)
		nirq_host_adapter_halt(cf.ad);
	nirq_host_adapter_stop(cf.ad);
	nirq_host_unload(cf.host);
	nirq_host_destroy(cf.host);
	FZ_CHECK(nirq_rt_reports(cf.rt) == 0, "%llu verifier report(s)",
		 (unsigned long long)nirq_rt_reports(cf.rt));
	nirq_rt_destroy(cf.rt);
	cf.pf->ops->destroy(cf.pf);
	free(cf.mem);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz in = { data, size };
	int32_t st;

	memset(&cf, 0, sizeof(cf));
	parse(&in);
	build_chars(&in);
	start();
	st = nirq_host_adapter_initialize(cf.ad);
	FZ_CHECK(st == cf.status, "MiniportInitializeEx returned 0x%x, registration 0x%x",
		 st, cf.status);
	check_registration();
	if (st == NDIS_STATUS_SUCCESS)
		exercise();
	stop(st == NDIS_STATUS_SUCCESS);
	return 0;
}
