/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Unit tests of NdisMRegisterInterruptEx through the in-test miniport on
 * the fake platform: header and handler validation, the adapter-state rules,
 * the grant decision table of spec §5.5, the outputs InterruptType and
 * MessageInfoTable, and the AllocatedResources handed to MiniportInitializeEx.
 */
#include "test_miniport.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

static int teardown(void **state)
{
	(void)state;
	tm_stop();
	return 0;
}

/* Start with @o and run MiniportInitializeEx; returns its status. */
static NDIS_STATUS start_and_initialize(const struct tm_options *o)
{
	assert_int_equal(tm_start(o), 0);
	return tm_initialize();
}

static void dump_log_on(bool fail)
{
	if (fail)
		test_log_dump(&tm.log);
}

/* The register call failed with INVALID_PARAMETER, logged naming @field
 * (and @value), and nothing was armed. */
static void assert_invalid_parameter_naming(const char *field, const char *value)
{
	assert_int_equal((uint32_t)tm.register_status, 0xC000000Du);
	assert_int_equal(tm.register_status, NDIS_STATUS_INVALID_PARAMETER);
	dump_log_on(test_log_find(&tm.log, field, value, NULL) < 0);
	assert_true(test_log_find(&tm.log, field, value, NULL) >= 0);
	assert_int_equal(fake_log_count(tm.pf, FAKE_OP_UNMASK), 0);
	assert_null(tm.interrupt);
}

/* ------------------------------------------------------------- the header */

static void test_register_bad_header_type_is_invalid_parameter(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT + 1; /* 0x85 */
	assert_int_not_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_invalid_parameter_naming("Type", "0x85");
}

static void test_register_bad_header_revision_is_invalid_parameter(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.chars.Header.Revision = 7;
	assert_int_not_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_invalid_parameter_naming("Revision", "7");
}

static void test_register_short_header_size_is_invalid_parameter(void **state)
{
	struct tm_options o;
	char value[16];

	(void)state;
	tm_options_init(&o);
	o.chars.Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1 - 1;
	snprintf(value, sizeof(value), "%u", (unsigned)o.chars.Header.Size);
	assert_int_not_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_invalid_parameter_naming("Size", value);
}

/* --------------------------------------------------------------- handlers */

static void test_register_null_line_isr_is_invalid_parameter(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.chars.InterruptHandler = NULL;
	assert_int_not_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_invalid_parameter_naming("InterruptHandler", NULL);
}

static void test_register_null_line_dpc_is_invalid_parameter(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.chars.InterruptDpcHandler = NULL;
	assert_int_not_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_invalid_parameter_naming("InterruptDpcHandler", NULL);
}

static void test_register_msi_supported_with_null_message_isr_is_invalid_parameter(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.chars.MessageInterruptHandler = NULL;
	assert_int_not_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_invalid_parameter_naming("MessageInterruptHandler", NULL);
}

static void test_register_msi_supported_with_null_message_dpc_is_invalid_parameter(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.chars.MessageInterruptDpcHandler = NULL;
	assert_int_not_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_invalid_parameter_naming("MessageInterruptDpcHandler", NULL);
}

static void test_register_null_enable_and_disable_handlers_are_accepted(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.chars.EnableInterruptHandler = NULL;
	o.chars.DisableInterruptHandler = NULL;
	o.chars.EnableMessageInterruptHandler = NULL;
	o.chars.DisableMessageInterruptHandler = NULL;
	assert_int_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_int_equal(tm.register_status, NDIS_STATUS_SUCCESS);
	assert_non_null(tm.interrupt);
}

/* ----------------------------------------------------- adapter-state rules */

static void test_register_before_set_attributes_is_failure_and_reported(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.skip_attributes = true;
	assert_int_not_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_int_equal(tm.register_status, NDIS_STATUS_FAILURE);
	assert_int_equal(tm.reports_after_register, tm.reports_before_register + 1);
	assert_int_equal(fake_log_count(tm.pf, FAKE_OP_UNMASK), 0);
}

static void test_register_outside_initialize_is_failure_and_reported(void **state)
{
	struct tm_options o;
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS c;
	NDIS_HANDLE h = NULL;
	uint64_t before;

	(void)state;
	tm_options_init(&o);
	o.skip_register = true;
	assert_int_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	tm_chars_init(&c);
	before = nirq_rt_reports(tm.rt);
	assert_int_equal(tm_register(&c, &h), NDIS_STATUS_FAILURE);
	assert_int_equal(nirq_rt_reports(tm.rt), before + 1);
	assert_int_equal(fake_log_count(tm.pf, FAKE_OP_UNMASK), 0);
}

static void test_register_twice_is_failure_and_reported(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.register_twice = true;
	assert_int_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_int_equal(tm.register_status, NDIS_STATUS_SUCCESS);
	assert_int_equal(tm.register_status2, NDIS_STATUS_FAILURE);
	assert_int_equal(tm.reports_after_register2, tm.reports_after_register + 1);
	/* The first registration is untouched: its vectors still deliver. */
	fake_fire(tm.pf, 0);
	nirq_rt_run_until_idle(tm.rt);
	assert_int_equal(tm_isr_calls(0), 1);
}

/* ---------------------------------------------------------------- the grant */

static void test_register_grants_msix_with_device_table_size(void **state)
{
	struct tm_options o;
	uint32_t messages = 0;

	(void)state;
	tm_options_init(&o);
	o.pf.caps.msix_count = 5;
	assert_int_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_int_equal(tm.chars.InterruptType, NDIS_CONNECT_MESSAGE_BASED);
	assert_non_null(tm.chars.MessageInfoTable);
	assert_int_equal(tm.chars.MessageInfoTable->MessageCount, 5);
	assert_int_equal(tm_grant()->kind, NIRQ_KIND_MSIX);
	assert_int_equal(nirq_host_adapter_interrupt_type(tm.ad, &messages),
			 NDIS_CONNECT_MESSAGE_BASED);
	assert_int_equal(messages, 5);
}

static void test_register_honours_message_number_limit(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.policy.message_number_limit = 2;
	assert_int_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_int_equal(tm.chars.InterruptType, NDIS_CONNECT_MESSAGE_BASED);
	assert_int_equal(tm.chars.MessageInfoTable->MessageCount, 2);
}

static void test_register_grants_msi_when_device_has_no_msix(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.pf.caps.msix_count = 0;
	o.pf.caps.msi_count = 4;
	assert_int_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_int_equal(tm.chars.InterruptType, NDIS_CONNECT_MESSAGE_BASED);
	assert_int_equal(tm.chars.MessageInfoTable->MessageCount, 4);
	assert_int_equal(tm_grant()->kind, NIRQ_KIND_MSI);
	assert_int_equal(fake_log_nth(tm.pf, FAKE_OP_ALLOC_VECTORS, 0).a, NIRQ_KIND_MSI);
}

static void test_register_grants_line_when_policy_msi_supported_is_0(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.policy.msi_supported = 0;
	assert_int_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_int_equal(tm.chars.InterruptType, NDIS_CONNECT_LINE_BASED);
	assert_null(tm.chars.MessageInfoTable);
	assert_int_equal(tm_grant()->kind, NIRQ_KIND_LINE);
}

static void test_register_grants_line_when_device_has_neither_msi_nor_msix(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.pf.caps.msix_count = 0;
	o.pf.caps.msi_count = 0;
	assert_int_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_int_equal(tm.chars.InterruptType, NDIS_CONNECT_LINE_BASED);
	assert_null(tm.chars.MessageInfoTable);
}

static void test_register_line_grant_writes_null_message_table(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.policy.msi_supported = 0;
	/* The field is an output: whatever the caller left there is replaced. */
	o.chars.MessageInfoTable = (PIO_INTERRUPT_MESSAGE_INFO)&o;
	assert_int_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_null(tm.chars.MessageInfoTable);
}

static void test_register_line_grant_without_msi_support_is_line_based(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.policy.msi_supported = 0;
	o.chars.MsiSupported = FALSE;
	o.chars.MessageInterruptHandler = NULL;
	o.chars.MessageInterruptDpcHandler = NULL;
	o.chars.EnableMessageInterruptHandler = NULL;
	o.chars.DisableMessageInterruptHandler = NULL;
	assert_int_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_int_equal(tm.chars.InterruptType, NDIS_CONNECT_LINE_BASED);
	assert_null(tm.chars.MessageInfoTable);
}

static void test_register_messages_without_msi_support_fails_saying_how_to_fix(void **state)
{
	struct tm_options o;
	bool fix_named;

	(void)state;
	tm_options_init(&o);
	o.chars.MsiSupported = FALSE;
	o.chars.MessageInterruptHandler = NULL;
	o.chars.MessageInterruptDpcHandler = NULL;
	assert_int_not_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_int_equal(tm.register_status, NDIS_STATUS_FAILURE);
	/* The line names both ways out: MsiSupported, or policy MSISupported=0. */
	fix_named = test_log_find(&tm.log, "MsiSupported", "MSISupported=0", NULL) >= 0;
	dump_log_on(!fix_named);
	assert_true(fix_named);
	assert_int_equal(fake_log_count(tm.pf, FAKE_OP_UNMASK), 0);
}

static void test_register_device_without_interrupt_fails(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	o.pf.caps.msix_count = 0;
	o.pf.caps.msi_count = 0;
	o.pf.caps.intx = false;
	assert_int_not_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_int_equal(tm.register_status, NDIS_STATUS_FAILURE);
}

/* -------------------------------------------------------- MessageInfoTable */

static void test_register_fills_message_info_table_exactly(void **state)
{
	struct tm_options o;
	const struct nirq_grant *g;
	PIO_INTERRUPT_MESSAGE_INFO t;

	(void)state;
	tm_options_init(&o);
	o.pf.vector_base = 0x50;
	assert_int_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	g = tm_grant();
	t = tm.chars.MessageInfoTable;
	assert_non_null(t);
	assert_int_equal(t->MessageCount, g->count);
	assert_int_equal(t->UnifiedIrql, 0);
	for (ULONG m = 0; m < t->MessageCount; m++) {
		IO_INTERRUPT_MESSAGE_INFO_ENTRY *e = &t->MessageInfo[m];

		print_message("message %u: set 0x%llx irql %u vector 0x%x\n", m,
			      (unsigned long long)e->TargetProcessorSet, e->Irql, e->Vector);
		assert_int_not_equal(e->TargetProcessorSet, 0);
		assert_int_equal(e->TargetProcessorSet, (KAFFINITY)1 << g->target[m]);
		assert_int_equal(e->Mode, Latched);
		assert_int_equal(e->Polarity, InterruptActiveHigh);
		assert_true(e->Irql > DISPATCH_LEVEL);
		assert_non_null(e->InterruptObject);
		assert_int_equal(e->Vector, 0x50 + m);
	}
}

/* Inside initialize: register, deregister, and let the host renumber. */
static void register_then_deregister(void)
{
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS c;
	NDIS_HANDLE h = NULL;

	tm_chars_init(&c);
	assert_int_equal(tm_register(&c, &h), NDIS_STATUS_SUCCESS);
	assert_int_equal(c.MessageInfoTable->MessageInfo[0].Vector, 0x50);
	NdisMDeregisterInterruptEx(h);
	fake_set_vector_base(tm.pf, 0x70);
}

static void test_register_again_reports_the_vectors_enabled_anew(void **state)
{
	struct tm_options o;
	PIO_INTERRUPT_MESSAGE_INFO t;

	(void)state;
	tm_options_init(&o);
	o.pf.vector_base = 0x50;
	assert_int_equal(tm_start(&o), 0);
	tm.init_hook = register_then_deregister;
	assert_int_equal(tm_initialize(), NDIS_STATUS_SUCCESS);
	t = tm.chars.MessageInfoTable;
	assert_non_null(t);
	for (ULONG m = 0; m < t->MessageCount; m++) {
		assert_int_equal(t->MessageInfo[m].Vector, 0x70 + m);
		assert_int_equal(t->MessageInfo[m].MessageData, 0x70 + m);
		assert_int_equal(tm_grant()->vector[m], 0x70 + m);
	}
}

static void test_register_sync_with_all_messages_sets_unified_irql(void **state)
{
	struct tm_options o;
	PIO_INTERRUPT_MESSAGE_INFO t;
	KIRQL highest = 0;

	(void)state;
	tm_options_init(&o);
	o.chars.MsiSyncWithAllMessages = TRUE;
	assert_int_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	t = tm.chars.MessageInfoTable;
	assert_non_null(t);
	for (ULONG m = 0; m < t->MessageCount; m++)
		if (t->MessageInfo[m].Irql > highest)
			highest = t->MessageInfo[m].Irql;
	assert_int_not_equal(t->UnifiedIrql, 0);
	assert_int_equal(t->UnifiedIrql, highest);
}

/* ------------------------------------------------------ AllocatedResources */

static const CM_PARTIAL_RESOURCE_DESCRIPTOR *find_memory(PNDIS_RESOURCE_LIST res,
							 LONGLONG start)
{
	for (ULONG i = 0; res && i < res->Count; i++)
		if (res->PartialDescriptors[i].Type == CmResourceTypeMemory &&
		    res->PartialDescriptors[i].u.Memory.Start.QuadPart == start)
			return &res->PartialDescriptors[i];
	return NULL;
}

/* Message descriptors and the messages they carry (Raw.MessageCount). */
static void count_interrupts(PNDIS_RESOURCE_LIST res, ULONG *msg_desc, ULONG *messages,
			     ULONG *line_desc)
{
	*msg_desc = *messages = *line_desc = 0;
	for (ULONG i = 0; i < res->Count; i++) {
		const CM_PARTIAL_RESOURCE_DESCRIPTOR *d = &res->PartialDescriptors[i];

		if (d->Type != CmResourceTypeInterrupt)
			continue;
		if (d->Flags & CM_RESOURCE_INTERRUPT_MESSAGE) {
			(*msg_desc)++;
			*messages += d->u.MessageInterrupt.Raw.MessageCount;
		} else {
			(*line_desc)++;
		}
	}
}

static void test_initialize_resources_list_bar0_at_its_bus_address(void **state)
{
	struct tm_options o;
	const CM_PARTIAL_RESOURCE_DESCRIPTOR *d;

	(void)state;
	tm_options_init(&o);
	o.pf.bar0_bus_addr = 0xfe000000u;
	o.pf.bar0_size = 0x2000;
	assert_int_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_non_null(tm.resources);
	d = find_memory(tm.resources, 0xfe000000);
	assert_non_null(d);
	assert_int_equal(d->u.Memory.Length, 0x2000);
}

static void test_initialize_resources_list_msix_messages(void **state)
{
	struct tm_options o;
	ULONG msg_desc, messages, line_desc;

	(void)state;
	tm_options_init(&o);
	assert_int_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	count_interrupts(tm.resources, &msg_desc, &messages, &line_desc);
	assert_int_equal(msg_desc, 5); /* MSI-X: one descriptor per message */
	assert_int_equal(messages, 5);
	assert_int_equal(line_desc, 0);
}

static void test_initialize_resources_list_msi_message_count(void **state)
{
	struct tm_options o;
	ULONG msg_desc, messages, line_desc;

	(void)state;
	tm_options_init(&o);
	o.pf.caps.msix_count = 0;
	o.pf.caps.msi_count = 4;
	assert_int_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	count_interrupts(tm.resources, &msg_desc, &messages, &line_desc);
	assert_int_equal(msg_desc, 1); /* MSI: one descriptor for all messages */
	assert_int_equal(messages, 4);
	assert_int_equal(line_desc, 0);
}

static void test_initialize_resources_list_the_line(void **state)
{
	struct tm_options o;
	ULONG msg_desc, messages, line_desc;

	(void)state;
	tm_options_init(&o);
	o.policy.msi_supported = 0;
	assert_int_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	count_interrupts(tm.resources, &msg_desc, &messages, &line_desc);
	assert_int_equal(msg_desc, 0);
	assert_int_equal(line_desc, 1);
}

static void test_initialize_runs_at_passive_level(void **state)
{
	struct tm_options o;

	(void)state;
	tm_options_init(&o);
	assert_int_equal(start_and_initialize(&o), NDIS_STATUS_SUCCESS);
	assert_int_equal(tm.init_irql, PASSIVE_LEVEL);
}

int main(void)
{
#define T(fn) cmocka_unit_test_teardown(fn, teardown)
	const struct CMUnitTest tests[] = {
		T(test_register_bad_header_type_is_invalid_parameter),
		T(test_register_bad_header_revision_is_invalid_parameter),
		T(test_register_short_header_size_is_invalid_parameter),
		T(test_register_null_line_isr_is_invalid_parameter),
		T(test_register_null_line_dpc_is_invalid_parameter),
		T(test_register_msi_supported_with_null_message_isr_is_invalid_parameter),
		T(test_register_msi_supported_with_null_message_dpc_is_invalid_parameter),
		T(test_register_null_enable_and_disable_handlers_are_accepted),
		T(test_register_before_set_attributes_is_failure_and_reported),
		T(test_register_outside_initialize_is_failure_and_reported),
		T(test_register_twice_is_failure_and_reported),
		T(test_register_grants_msix_with_device_table_size),
		T(test_register_honours_message_number_limit),
		T(test_register_grants_msi_when_device_has_no_msix),
		T(test_register_grants_line_when_policy_msi_supported_is_0),
		T(test_register_grants_line_when_device_has_neither_msi_nor_msix),
		T(test_register_line_grant_writes_null_message_table),
		T(test_register_line_grant_without_msi_support_is_line_based),
		T(test_register_messages_without_msi_support_fails_saying_how_to_fix),
		T(test_register_device_without_interrupt_fails),
		T(test_register_fills_message_info_table_exactly),
		T(test_register_sync_with_all_messages_sets_unified_irql),
		T(test_register_again_reports_the_vectors_enabled_anew),
		T(test_initialize_resources_list_bar0_at_its_bus_address),
		T(test_initialize_resources_list_msix_messages),
		T(test_initialize_resources_list_msi_message_count),
		T(test_initialize_resources_list_the_line),
		T(test_initialize_runs_at_passive_level),
	};
#undef T
	return cmocka_run_group_tests_name("ndis_register", tests, NULL, NULL);
}
