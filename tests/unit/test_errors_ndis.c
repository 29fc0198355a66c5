/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Bad input to the NDIS interrupt API (docs/errors.md, "NDIS interrupt
 * API"): each test gives one bad argument or misuse to NdisMRegisterInterruptEx,
 * NdisMDeregisterInterruptEx, NdisMSynchronizeWithInterruptEx or
 * NdisMQueueDpc(Ex) through the in-test miniport, and asserts the status
 * and the exact line logged.
 */
#include "test_miniport.h"

#include "errors_util.h"

#define REGISTER "NdisMRegisterInterruptEx: "
#define NOT_REGISTERED "on a handle that is not a registered interrupt (never " \
		       "registered, or already deregistered)"

static int teardown(void **state)
{
	(void)state;
	tm_stop();
	return 0;
}

static void start(struct tm_options *o)
{
	assert_int_equal(tm_start(o), 0);
	assert_int_equal(tm_initialize(), NDIS_STATUS_SUCCESS);
}

static void start_default(void)
{
	struct tm_options o;

	tm_options_init(&o);
	start(&o);
	assert_non_null(tm.interrupt);
}

/* Start, and run MiniportInitializeEx with @o; returns its status. */
static NDIS_STATUS start_with(struct tm_options *o)
{
	assert_int_equal(tm_start(o), 0);
	return tm_initialize();
}

/* ----------------------------------------- calls made from inside init */

/* What init_hook calls NdisMRegisterInterruptEx with, and what it got. */
struct reg_call {
	NDIS_HANDLE adapter;            /* NULL: tm's own */
	bool null_chars, null_handle, at_dispatch;
	NDIS_HANDLE handle;
	NDIS_STATUS status;
	uint64_t reports;               /* reports the call added */
};

static struct reg_call call;

static void register_from_init(void)
{
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS c;
	NDIS_HANDLE ad = call.adapter ? call.adapter : tm.adapter_handle;
	uint64_t before = nirq_rt_reports(tm.rt);
	uint8_t old = 0;

	tm_chars_init(&c);
	if (call.at_dispatch)
		old = nirq_irql_raise(DISPATCH_LEVEL);
	call.status = NdisMRegisterInterruptEx(ad, &tm, call.null_chars ? NULL : &c,
					       call.null_handle ? NULL : &call.handle);
	if (call.at_dispatch)
		nirq_irql_lower(old);
	call.reports = nirq_rt_reports(tm.rt) - before;
	if (call.status == NDIS_STATUS_SUCCESS)
		NdisMDeregisterInterruptEx(call.handle);
}

static void register_passive(void *arg)
{
	(void)arg;
	register_from_init();
}

/* Run MiniportInitializeEx with register_from_init as its only registration. */
static void init_calls_register(void)
{
	struct tm_options o;

	tm_options_init(&o);
	o.skip_register = true;
	assert_int_equal(tm_start(&o), 0);
	tm.init_hook = register_from_init;
	assert_int_equal(tm_initialize(), NDIS_STATUS_SUCCESS);
}

static void test_register_null_characteristics_is_invalid_parameter(void **state)
{
	(void)state;
	call = (struct reg_call){ .null_chars = true };
	init_calls_register();
	assert_int_equal(call.status, NDIS_STATUS_INVALID_PARAMETER);
	expect_error(&tm.log, REGISTER "MiniportInterruptCharacteristics is NULL; "
		     "returning NDIS_STATUS_INVALID_PARAMETER");
}

static void test_register_null_interrupt_handle_pointer_is_invalid_parameter(void **state)
{
	(void)state;
	call = (struct reg_call){ .null_handle = true };
	init_calls_register();
	assert_int_equal(call.status, NDIS_STATUS_INVALID_PARAMETER);
	expect_error(&tm.log, REGISTER "NdisInterruptHandle is NULL; "
		     "returning NDIS_STATUS_INVALID_PARAMETER");
}

static void test_register_foreign_adapter_handle_is_invalid_parameter_and_reported(void **state)
{
	static uint64_t not_an_adapter[32];

	(void)state;
	call = (struct reg_call){ .adapter = not_an_adapter };
	init_calls_register();
	assert_int_equal(call.status, NDIS_STATUS_INVALID_PARAMETER);
	assert_int_equal(call.reports, 1);
	expect_report(&tm.log, "invalid MiniportAdapterHandle", not_an_adapter,
		      "NdisMRegisterInterruptEx: not the adapter handle given to "
		      "MiniportInitializeEx");
}

static void test_register_above_passive_is_failure_and_reported(void **state)
{
	(void)state;
	call = (struct reg_call){ .at_dispatch = true };
	init_calls_register();
	assert_int_equal(call.status, NDIS_STATUS_FAILURE);
	assert_int_equal(call.reports, 1);
	expect_report(&tm.log, "Irql_Interrupt_Function", tm.adapter_handle,
		      "NdisMRegisterInterruptEx must be called at PASSIVE_LEVEL; "
		      "returning NDIS_STATUS_FAILURE");
}

/* -------------------------------------------------- the characteristics */

static void test_register_header_type_is_named_with_its_value_and_rule(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.chars.Header.Type = 0x85;
	assert_int_equal(start_with(&o), NDIS_STATUS_INVALID_PARAMETER);
	assert_int_equal(tm.register_status, NDIS_STATUS_INVALID_PARAMETER);
	expect_error(&tm.log, REGISTER "Header.Type is 0x85, must be "
		     "NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT (0x84); returning "
		     "NDIS_STATUS_INVALID_PARAMETER");
}

static void test_register_header_revision_is_named_with_its_value_and_rule(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.chars.Header.Revision = 2;
	assert_int_equal(start_with(&o), NDIS_STATUS_INVALID_PARAMETER);
	expect_error(&tm.log, REGISTER "Header.Revision is 2, must be "
		     "NDIS_MINIPORT_INTERRUPT_REVISION_1 (1); returning "
		     "NDIS_STATUS_INVALID_PARAMETER");
}

static void test_register_header_size_is_named_with_its_value_and_minimum(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.chars.Header.Size = 8;
	assert_int_equal(start_with(&o), NDIS_STATUS_INVALID_PARAMETER);
	expect_error(&tm.log, REGISTER "Header.Size is 8, must be at least "
		     "NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1 (%u); "
		     "returning NDIS_STATUS_INVALID_PARAMETER",
		     (unsigned)NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1);
}

static void test_register_null_interrupt_handler_says_the_line_isr_is_required(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.chars.InterruptHandler = NULL;
	assert_int_equal(start_with(&o), NDIS_STATUS_INVALID_PARAMETER);
	expect_error(&tm.log, REGISTER "InterruptHandler is NULL; the line ISR is "
		     "required even with MsiSupported (NDIS may grant a line); "
		     "returning NDIS_STATUS_INVALID_PARAMETER");
}

static void test_register_null_interrupt_dpc_handler_says_the_line_dpc_is_required(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.chars.InterruptDpcHandler = NULL;
	assert_int_equal(start_with(&o), NDIS_STATUS_INVALID_PARAMETER);
	expect_error(&tm.log, REGISTER "InterruptDpcHandler is NULL; the line DPC is "
		     "required even with MsiSupported (NDIS may grant a line); "
		     "returning NDIS_STATUS_INVALID_PARAMETER");
}

static void test_register_msi_supported_without_message_isr_is_named(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.chars.MessageInterruptHandler = NULL;
	assert_int_equal(start_with(&o), NDIS_STATUS_INVALID_PARAMETER);
	expect_error(&tm.log, REGISTER "MsiSupported is TRUE but "
		     "MessageInterruptHandler is NULL; returning "
		     "NDIS_STATUS_INVALID_PARAMETER");
}

static void test_register_msi_supported_without_message_dpc_is_named(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.chars.MessageInterruptDpcHandler = NULL;
	assert_int_equal(start_with(&o), NDIS_STATUS_INVALID_PARAMETER);
	expect_error(&tm.log, REGISTER "MsiSupported is TRUE but "
		     "MessageInterruptDpcHandler is NULL; returning "
		     "NDIS_STATUS_INVALID_PARAMETER");
}

/* ------------------------------------------------- adapter state, grant */

static void test_register_outside_initialize_names_the_sdv_rule(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.skip_register = true;
	start(&o);
	call = (struct reg_call){ 0 };
	tm_passive(register_passive, NULL);
	assert_int_equal(call.status, NDIS_STATUS_FAILURE);
	assert_int_equal(call.reports, 1);
	expect_report(&tm.log, "Init_RegisterInterrupt", tm.adapter_handle,
		      "NdisMRegisterInterruptEx called outside MiniportInitializeEx; "
		      "returning NDIS_STATUS_FAILURE");
}

static void test_register_before_registration_attributes_is_named(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.skip_attributes = true;
	assert_int_equal(start_with(&o), NDIS_STATUS_FAILURE);
	assert_int_equal(tm.reports_after_register - tm.reports_before_register, 1);
	expect_report(&tm.log, "NdisMSetMiniportAttributes first", tm.adapter_handle,
		      "NdisMRegisterInterruptEx called before NdisMSetMiniportAttributes "
		      "(registration attributes); returning NDIS_STATUS_FAILURE");
}

static void test_register_second_interrupt_says_deregister_first(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.register_twice = true;
	start(&o);
	assert_int_equal(tm.register_status2, NDIS_STATUS_FAILURE);
	assert_null(tm.interrupt2);
	expect_report(&tm.log, "interrupt registered twice", tm.adapter_handle,
		      "this adapter already has a registered interrupt; deregister "
		      "it first; returning NDIS_STATUS_FAILURE");
}

static void test_register_device_without_interrupt_resource_is_failure(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.pf.caps.msix_count = 0;
	o.pf.caps.msi_count = 0;
	o.pf.caps.intx = false;
	assert_int_equal(start_with(&o), NDIS_STATUS_FAILURE);
	expect_error(&tm.log, REGISTER "the device was assigned no interrupt "
		     "resource; returning NDIS_STATUS_FAILURE");
}

static void test_register_messages_without_msi_supported_is_failure_naming_both_fixes(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.chars.MsiSupported = FALSE;
	assert_int_equal(start_with(&o), NDIS_STATUS_FAILURE);
	expect_error(&tm.log, REGISTER "5 MSI-X message(s) are assigned but "
		     "MsiSupported is FALSE; as on Windows this fails "
		     "(NDIS_STATUS_FAILURE). Set MsiSupported = TRUE with the message "
		     "handlers, or set policy MSISupported=0 so the device gets a line");
}

/* ---------------------------------------------------- deregistration */

static bool tried;

static void deregister_tm(void *arg)
{
	(void)arg;
	NdisMDeregisterInterruptEx(tm.interrupt);
}

static void test_deregister_stale_handle_is_reported_and_ignored(void **state)
{
	NDIS_HANDLE h;

	(void)state;
	start_default();
	h = tm.interrupt;
	tm_halt();
	tm.interrupt = h;
	tm_passive(deregister_tm, NULL);
	tm.interrupt = NULL;
	assert_int_equal(nirq_rt_reports(tm.rt), 1);
	expect_report(&tm.log, "NdisMDeregisterInterruptEx on an invalid handle", h,
		      "NdisMDeregisterInterruptEx " NOT_REGISTERED);
}

static void test_deregister_outside_initialize_and_halt_is_reported_and_done(void **state)
{
	NDIS_HANDLE h;

	(void)state;
	start_default();
	h = tm.interrupt;
	tm_passive(deregister_tm, NULL);
	tm.interrupt = NULL;
	assert_int_equal(nirq_rt_reports(tm.rt), 1);
	expect_report(&tm.log, "Init_DeRegisterInterrupt", h,
		      "NdisMDeregisterInterruptEx called outside MiniportInitializeEx "
		      "and MiniportHaltEx; deregistering anyway");
	assert_int_equal(fake_vectors_live(tm.pf), 0);
}

static void deregister_from_handler(ULONG msg)
{
	(void)msg;
	if (tried)
		return;
	tried = true;
	NdisMDeregisterInterruptEx(tm.interrupt);
}

static void test_deregister_from_isr_is_refused_naming_irql_and_processor(void **state)
{
	(void)state;
	start_default();
	tried = false;
	tm.isr_hook = deregister_from_handler;
	fake_fire(tm.pf, 0);
	nirq_rt_run_until_idle(tm.rt);
	assert_true(tried);
	assert_int_equal(nirq_rt_reports(tm.rt), 1);
	expect_report(&tm.log, "deregistration above PASSIVE_LEVEL (Irql_Interrupt_Function)",
		      tm.interrupt, "called at IRQL %u on processor %u, from an ISR, "
		      "DPC or sync callback; it would deadlock, so the interrupt stays "
		      "registered", NIRQ_IRQL_DIRQL, tm_grant()->target[0]);
	tm.isr_hook = NULL;
	fake_fire(tm.pf, 0); /* still registered */
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_isr_calls(0), 2);
}

static void deregister_from_dpc(ULONG msg, PVOID ctx)
{
	(void)ctx;
	deregister_from_handler(msg);
}

static void test_deregister_from_dpc_is_refused_naming_irql_and_processor(void **state)
{
	(void)state;
	start_default();
	tried = false;
	tm.queue_default = TRUE;
	tm.dpc_hook = deregister_from_dpc;
	fake_fire(tm.pf, 1);
	nirq_rt_run_until_idle(tm.rt);
	assert_true(tried);
	assert_int_equal(nirq_rt_reports(tm.rt), 1);
	expect_report(&tm.log, "deregistration above PASSIVE_LEVEL (Irql_Interrupt_Function)",
		      tm.interrupt, "called at IRQL %u on processor %u, from an ISR, "
		      "DPC or sync callback; it would deadlock, so the interrupt stays "
		      "registered", NIRQ_IRQL_DISPATCH, tm_grant()->target[1]);
	tm.dpc_hook = NULL;
}

static BOOLEAN deregister_in_sync(PVOID ctx)
{
	(void)ctx;
	NdisMDeregisterInterruptEx(tm.interrupt);
	return TRUE;
}

static void synchronize_and_deregister(void *arg)
{
	*(BOOLEAN *)arg = NdisMSynchronizeWithInterruptEx(tm.interrupt, 0,
							  deregister_in_sync, NULL);
}

static void test_deregister_from_sync_callback_is_refused_naming_irql(void **state)
{
	BOOLEAN ret = FALSE;

	(void)state;
	start_default();
	tm_passive(synchronize_and_deregister, &ret);
	assert_int_equal(ret, TRUE);
	assert_int_equal(nirq_rt_reports(tm.rt), 1);
	/* A passive thread is processor -1. */
	expect_report(&tm.log, "deregistration above PASSIVE_LEVEL (Irql_Interrupt_Function)",
		      tm.interrupt, "called at IRQL %u on processor -1, from an ISR, "
		      "DPC or sync callback; it would deadlock, so the interrupt stays "
		      "registered", NIRQ_IRQL_DIRQL);
	fake_fire(tm.pf, 0); /* still registered */
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_isr_calls(0), 1);
}

static void test_halt_returning_with_interrupt_registered_is_reported_and_cleaned(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.skip_dereg_in_halt = true;
	start(&o);
	tm_halt();
	assert_int_equal(nirq_rt_reports(tm.rt), 1);
	assert_true(test_log_find(&tm.log, "verifier: NDIS_BUGCHECK_HALT_WITHOUT_"
				  "INTERRUPT_DEREGISTER (0x7C/0x08): handle", NULL) >= 0);
	/* The object's address is internal: the fixed parts around it. */
	assert_true(test_log_find(&tm.log, "MiniportHaltEx returned with the adapter's "
				  "interrupt (object ", ") still registered; the miniport "
				  "must call NdisMDeregisterInterruptEx first (the host "
				  "deregisters it now)", NULL) >= 0);
	assert_int_equal(fake_vectors_live(tm.pf), 0);
}

static void test_failed_initialize_with_interrupt_registered_is_reported_and_cleaned(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.fail_after_register = true;
	assert_int_equal(start_with(&o), NDIS_STATUS_FAILURE);
	assert_int_equal(nirq_rt_reports(tm.rt), 1);
	expect_error(&tm.log, "host: MiniportInitializeEx returned 0xc0000001");
	assert_true(test_log_find(&tm.log, "verifier: NDIS_BUGCHECK_INIT_FAILED_WITHOUT_"
				  "INTERRUPT_DEREGISTER (0x7C/0x0B): handle",
				  "MiniportInitializeEx failed with the adapter's interrupt "
				  "(object ", ") still registered; the miniport must call "
				  "NdisMDeregisterInterruptEx first (the host deregisters it "
				  "now)", NULL) >= 0);
	assert_int_equal(fake_vectors_live(tm.pf), 0);
}

/* ---------------------------------------------------------- synchronize */

struct sync_call {
	NDIS_HANDLE h;
	ULONG msg;
	bool null_fn;
	BOOLEAN ret;
	unsigned runs;
};

static struct sync_call sync_call;

static BOOLEAN count_run(PVOID ctx)
{
	(void)ctx;
	sync_call.runs++;
	return TRUE;
}

static void synchronize(void *arg)
{
	(void)arg;
	sync_call.ret = NdisMSynchronizeWithInterruptEx(sync_call.h, sync_call.msg,
							sync_call.null_fn ? NULL : count_run,
							NULL);
}

static void test_synchronize_after_deregistration_is_reported_and_false(void **state)
{
	(void)state;
	start_default();
	sync_call = (struct sync_call){ .h = tm.interrupt, .ret = TRUE };
	tm_halt();
	tm_passive(synchronize, NULL);
	assert_int_equal(sync_call.ret, FALSE);
	assert_int_equal(sync_call.runs, 0);
	expect_report(&tm.log, "NdisMDeregisterInterruptEx (synchronize after "
		      "deregistration)", sync_call.h,
		      "NdisMSynchronizeWithInterruptEx " NOT_REGISTERED);
}

static void test_synchronize_message_outside_the_table_is_reported_and_false(void **state)
{
	(void)state;
	start_default();
	sync_call = (struct sync_call){ .h = tm.interrupt, .msg = 5, .ret = TRUE };
	tm_passive(synchronize, NULL);
	assert_int_equal(sync_call.ret, FALSE);
	assert_int_equal(sync_call.runs, 0);
	assert_int_equal(nirq_rt_reports(tm.rt), 1);
	expect_report(&tm.log, "MessageId outside the MessageInfoTable", tm.interrupt,
		      "NdisMSynchronizeWithInterruptEx: MessageId 5, the table has 5 "
		      "message(s)");
}

static void test_synchronize_null_function_is_reported_and_false(void **state)
{
	(void)state;
	start_default();
	sync_call = (struct sync_call){ .h = tm.interrupt, .null_fn = true, .ret = TRUE };
	tm_passive(synchronize, NULL);
	assert_int_equal(sync_call.ret, FALSE);
	assert_int_equal(nirq_rt_reports(tm.rt), 1);
	expect_report(&tm.log, "SynchronizeFunction is NULL", tm.interrupt,
		      "NdisMSynchronizeWithInterruptEx: nothing to run; returning FALSE");
}

static void synchronize_from_isr(ULONG msg)
{
	if (tried)
		return;
	tried = true;
	sync_call.msg = msg;
	synchronize(NULL);
}

static void test_synchronize_from_own_isr_is_reported_and_skipped(void **state)
{
	(void)state;
	start_default();
	tried = false;
	sync_call = (struct sync_call){ .h = tm.interrupt, .ret = TRUE };
	tm.isr_hook = synchronize_from_isr;
	fake_fire(tm.pf, 2);
	nirq_rt_run_until_idle(tm.rt);
	tm.isr_hook = NULL;
	assert_true(tried);
	assert_int_equal(sync_call.ret, FALSE);
	assert_int_equal(sync_call.runs, 0);
	expect_report(&tm.log, "synchronize from inside the ISR or sync callback",
		      tm.interrupt, "the interrupt lock is already held by this thread; "
		      "the call would deadlock and is skipped");
}

/* ---------------------------------------------------------- DPC queueing */

struct dpc_call {
	NDIS_HANDLE h;
	ULONG msg;
	GROUP_AFFINITY ga;
	bool null_targets, legacy;
	KAFFINITY ret;
};

static struct dpc_call dpc_call;

static void queue_dpc(void *arg)
{
	(void)arg;
	if (dpc_call.legacy)
		dpc_call.ret = NdisMQueueDpc(dpc_call.h, dpc_call.msg,
					     (ULONG)dpc_call.ga.Mask, NULL);
	else
		dpc_call.ret = NdisMQueueDpcEx(dpc_call.h, dpc_call.msg,
					       dpc_call.null_targets ? NULL : &dpc_call.ga,
					       NULL);
}

/* The call queued nothing: it returned 0 and no DPC runs. */
static void assert_nothing_queued(void)
{
	assert_int_equal(dpc_call.ret, 0);
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_dpc_count(), 0);
	assert_int_equal(nirq_rt_reports(tm.rt), 1);
}

static void test_queue_dpc_ex_stale_handle_is_reported_and_returns_0(void **state)
{
	(void)state;
	start_default();
	dpc_call = (struct dpc_call){ .h = tm.interrupt, .ga = { .Mask = 1 } };
	tm_halt();
	tm_passive(queue_dpc, NULL);
	assert_nothing_queued();
	expect_report(&tm.log, "NdisMQueueDpcEx on an invalid handle", dpc_call.h,
		      "NdisMQueueDpcEx " NOT_REGISTERED);
}

static void test_queue_dpc_stale_handle_is_reported_as_queue_dpc_ex(void **state)
{
	(void)state;
	start_default();
	dpc_call = (struct dpc_call){ .h = tm.interrupt, .ga = { .Mask = 1 },
				       .legacy = true };
	tm_halt();
	tm_passive(queue_dpc, NULL);
	assert_nothing_queued();
	expect_report(&tm.log, "NdisMQueueDpcEx on an invalid handle", dpc_call.h,
		      "NdisMQueueDpcEx " NOT_REGISTERED);
}

static void test_queue_dpc_ex_message_outside_the_table_is_reported(void **state)
{
	(void)state;
	start_default();
	dpc_call = (struct dpc_call){ .h = tm.interrupt, .msg = 7, .ga = { .Mask = 1 } };
	tm_passive(queue_dpc, NULL);
	assert_nothing_queued();
	expect_report(&tm.log, "MessageId outside the MessageInfoTable", tm.interrupt,
		      "NdisMQueueDpcEx: MessageId 7, the table has 5 message(s)");
}

static void test_queue_dpc_ex_null_target_processors_is_reported(void **state)
{
	(void)state;
	start_default();
	dpc_call = (struct dpc_call){ .h = tm.interrupt, .null_targets = true };
	tm_passive(queue_dpc, NULL);
	assert_nothing_queued();
	expect_report(&tm.log, "TargetProcessors names no existing processor", tm.interrupt,
		      "NdisMQueueDpcEx: TargetProcessors is NULL; processors are "
		      "group 0, 0..3");
}

static void test_queue_dpc_ex_group_other_than_0_is_reported(void **state)
{
	(void)state;
	start_default();
	dpc_call = (struct dpc_call){ .h = tm.interrupt, .ga = { .Mask = 1, .Group = 1 } };
	tm_passive(queue_dpc, NULL);
	assert_nothing_queued();
	expect_report(&tm.log, "TargetProcessors names no existing processor", tm.interrupt,
		      "NdisMQueueDpcEx: group 1 mask 0x1; processors are group 0, 0..3");
}

static void test_queue_dpc_ex_mask_beyond_the_processors_is_reported(void **state)
{
	(void)state;
	start_default();
	dpc_call = (struct dpc_call){ .h = tm.interrupt, .ga = { .Mask = 0x30 } };
	tm_passive(queue_dpc, NULL);
	assert_nothing_queued();
	expect_report(&tm.log, "TargetProcessors names no existing processor", tm.interrupt,
		      "NdisMQueueDpcEx: group 0 mask 0x30; processors are group 0, 0..3");
}

static void test_queue_dpc_empty_mask_is_reported(void **state)
{
	(void)state;
	start_default();
	dpc_call = (struct dpc_call){ .h = tm.interrupt, .legacy = true };
	tm_passive(queue_dpc, NULL);
	assert_nothing_queued();
	expect_report(&tm.log, "TargetProcessors names no existing processor", tm.interrupt,
		      "NdisMQueueDpcEx: group 0 mask 0x0; processors are group 0, 0..3");
}

static void test_isr_target_processors_naming_no_processor_is_reported(void **state)
{
	(void)state;
	start_default();
	tm.targets = 1u << 20;
	fake_fire(tm.pf, 3);
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_isr_calls(3), 1);
	assert_int_equal(tm_dpc_count(), 0);
	assert_int_equal(nirq_rt_reports(tm.rt), 1);
	expect_report(&tm.log, "TargetProcessors names no existing processor", tm.interrupt,
		      "message 3: TargetProcessors 0x100000, processors 0..3");
}

#define T(fn) cmocka_unit_test_teardown(fn, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_register_null_characteristics_is_invalid_parameter),
		T(test_register_null_interrupt_handle_pointer_is_invalid_parameter),
		T(test_register_foreign_adapter_handle_is_invalid_parameter_and_reported),
		T(test_register_above_passive_is_failure_and_reported),
		T(test_register_header_type_is_named_with_its_value_and_rule),
		T(test_register_header_revision_is_named_with_its_value_and_rule),
		T(test_register_header_size_is_named_with_its_value_and_minimum),
		T(test_register_null_interrupt_handler_says_the_line_isr_is_required),
		T(test_register_null_interrupt_dpc_handler_says_the_line_dpc_is_required),
		T(test_register_msi_supported_without_message_isr_is_named),
		T(test_register_msi_supported_without_message_dpc_is_named),
		T(test_register_outside_initialize_names_the_sdv_rule),
		T(test_register_before_registration_attributes_is_named),
		T(test_register_second_interrupt_says_deregister_first),
		T(test_register_device_without_interrupt_resource_is_failure),
		T(test_register_messages_without_msi_supported_is_failure_naming_both_fixes),
		T(test_deregister_stale_handle_is_reported_and_ignored),
		T(test_deregister_outside_initialize_and_halt_is_reported_and_done),
		T(test_deregister_from_isr_is_refused_naming_irql_and_processor),
		T(test_deregister_from_dpc_is_refused_naming_irql_and_processor),
		T(test_deregister_from_sync_callback_is_refused_naming_irql),
		T(test_halt_returning_with_interrupt_registered_is_reported_and_cleaned),
		T(test_failed_initialize_with_interrupt_registered_is_reported_and_cleaned),
		T(test_synchronize_after_deregistration_is_reported_and_false),
		T(test_synchronize_message_outside_the_table_is_reported_and_false),
		T(test_synchronize_null_function_is_reported_and_false),
		T(test_synchronize_from_own_isr_is_reported_and_skipped),
		T(test_queue_dpc_ex_stale_handle_is_reported_and_returns_0),
		T(test_queue_dpc_stale_handle_is_reported_as_queue_dpc_ex),
		T(test_queue_dpc_ex_message_outside_the_table_is_reported),
		T(test_queue_dpc_ex_null_target_processors_is_reported),
		T(test_queue_dpc_ex_group_other_than_0_is_reported),
		T(test_queue_dpc_ex_mask_beyond_the_processors_is_reported),
		T(test_queue_dpc_empty_mask_is_reported),
		T(test_isr_target_processors_naming_no_processor_is_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
