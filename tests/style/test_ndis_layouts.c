/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Style tier: the x86-64 layouts, constants and version gating of <ndis.h>
 * (spec/ndis-interrupts.md §2-§9, spec/ndis-miniport-subset.md §1-§8).
 * Most checks are _Static_assert: a wrong layout fails the build. The
 * runtime cases check what a static assertion cannot (bit-field placement,
 * the signed values of status codes). Built several times by
 * CMakeLists.txt: as the library sees the headers (no version macro), and as
 * NDIS 6.0, 6.20 and 6.82 miniports (NIRQ_TEST_MINIPORT=60/620/682).
 */
#if defined(NIRQ_TEST_MINIPORT)
#define NDIS_MINIPORT_DRIVER 1
#if NIRQ_TEST_MINIPORT == 60
#define NDIS60_MINIPORT 1
#elif NIRQ_TEST_MINIPORT == 620
#define NDIS620_MINIPORT 1
#elif NIRQ_TEST_MINIPORT == 682
#define NDIS682_MINIPORT 1
#endif
#endif

#include <ndis.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#define OFF(type, field, value) \
	_Static_assert(offsetof(type, field) == (value), #type "." #field " offset")
#define SIZE(type, value) _Static_assert(sizeof(type) == (value), "sizeof(" #type ")")

/* ------------------------------------------------------- base types (§1) */

SIZE(UCHAR, 1);
SIZE(BOOLEAN, 1);
SIZE(KIRQL, 1);
SIZE(USHORT, 2);
SIZE(ULONG, 4);
SIZE(LONG, 4);
SIZE(NDIS_STATUS, 4);
SIZE(NTSTATUS, 4);
SIZE(UINT, 4);
SIZE(WCHAR, 2);
SIZE(ULONG_PTR, 8);
SIZE(KAFFINITY, 8);
SIZE(KSPIN_LOCK, 8);
SIZE(PVOID, 8);
SIZE(NDIS_HANDLE, 8);
SIZE(PHYSICAL_ADDRESS, 8);
_Static_assert(_Alignof(PHYSICAL_ADDRESS) == 8, "PHYSICAL_ADDRESS is 8-aligned");
SIZE(NET_LUID, 8);
SIZE(UNICODE_STRING, 16);
SIZE(LIST_ENTRY, 16);
SIZE(PROCESSOR_NUMBER, 4);
_Static_assert((ULONG)-1 > 0 && (LONG)-1 < 0, "ULONG unsigned, LONG signed");
_Static_assert((BOOLEAN)-1 > 0, "BOOLEAN is unsigned char");

SIZE(NDIS_OBJECT_HEADER, 4);
OFF(NDIS_OBJECT_HEADER, Type, 0);
OFF(NDIS_OBJECT_HEADER, Revision, 1);
OFF(NDIS_OBJECT_HEADER, Size, 2);

SIZE(GROUP_AFFINITY, 16);
OFF(GROUP_AFFINITY, Mask, 0);
OFF(GROUP_AFFINITY, Group, 8);
OFF(GROUP_AFFINITY, Reserved, 10);

/* ------------------------------------------------------- constants (§2) */

_Static_assert(NDIS_OBJECT_TYPE_DEFAULT == 0x80, "");
_Static_assert(NDIS_OBJECT_TYPE_MINIPORT_INIT_PARAMETERS == 0x81, "");
_Static_assert(NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT == 0x84, "");
_Static_assert(NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS == 0x8a, "");
_Static_assert(NDIS_OBJECT_TYPE_CO_MINIPORT_CHARACTERISTICS == 0x91, "");
_Static_assert(NDIS_OBJECT_TYPE_MINIPORT_PNP_CHARACTERISTICS == 0x92, "");
_Static_assert(NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES == 0x9e, "");
_Static_assert(NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES == 0x9f, "");
_Static_assert(NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES == 0xa0, "");
_Static_assert(NDIS_OBJECT_TYPE_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES == 0xa4, "");
_Static_assert(NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES == 0xaf, "");
_Static_assert(NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_NDK_ATTRIBUTES == 0xb3, "");
_Static_assert(NDIS_OBJECT_TYPE_MINIPORT_SS_CHARACTERISTICS == 0xb4, "");
_Static_assert(NDIS_MINIPORT_INTERRUPT_REVISION_1 == 1, "");
_Static_assert(NDIS_CONNECT_LINE_BASED == 1 && NDIS_CONNECT_MESSAGE_BASED == 2, "");
_Static_assert(LevelSensitive == 0 && Latched == 1, "");
_Static_assert(InterruptPolarityUnknown == 0 && InterruptActiveHigh == 1 &&
	       InterruptRisingEdge == 1 && InterruptActiveLow == 2 && InterruptFallingEdge == 2 &&
	       InterruptActiveBoth == 3 && InterruptActiveBothTriggerLow == 3 &&
	       InterruptActiveBothTriggerHigh == 4, "KINTERRUPT_POLARITY");
_Static_assert(CM_RESOURCE_INTERRUPT_LEVEL_SENSITIVE == 0 && CM_RESOURCE_INTERRUPT_LATCHED == 1 &&
	       CM_RESOURCE_INTERRUPT_MESSAGE == 2 && CM_RESOURCE_INTERRUPT_POLICY_INCLUDED == 4 &&
	       CM_RESOURCE_INTERRUPT_SECONDARY_INTERRUPT == 0x10 &&
	       CM_RESOURCE_INTERRUPT_WAKE_HINT == 0x20, "CM_RESOURCE_INTERRUPT_*");
_Static_assert(CM_RESOURCE_INTERRUPT_MESSAGE_TOKEN == 0xFFFFFFFEu, "");
_Static_assert(CmResourceTypePort == 1 && CmResourceTypeInterrupt == 2 &&
	       CmResourceTypeMemory == 3 && CmResourceTypeMemoryLarge == 7, "");
_Static_assert(CmResourceShareDeviceExclusive == 1 && CmResourceShareShared == 3, "");
_Static_assert(IrqPolicyMachineDefault == 0 && IrqPolicySpecifiedProcessors == 4 &&
	       IrqPolicySpreadMessagesAcrossAllProcessors == 5 &&
	       IrqPolicyAllProcessorsInMachineWhenSteered == 6, "IRQ_DEVICE_POLICY");
_Static_assert(IrqPriorityUndefined == 0 && IrqPriorityHigh == 3, "");
_Static_assert(GroupAffinityAllGroupZero == 0 && GroupAffinityDontCare == 1, "");
_Static_assert(PCIBus == 5 && MaximumInterfaceType == 18 && InterfaceTypeUndefined == -1, "");
_Static_assert(NdisInterfacePci == 5 && NdisInterfacePNPBus == 15 && NdisInterfaceUSB == 16 &&
	       NdisInterface1394 == 18 && NdisMaximumInterfaceType == 19, "NDIS_INTERFACE_TYPE");
_Static_assert(NdisHaltDeviceDisabled == 0 && NdisHaltDeviceStopped == 6, "");
_Static_assert(NdisShutdownPowerOff == 0 && NdisShutdownBugCheck == 1, "");
_Static_assert(NdisDevicePnPEventFilterListChanged == 6 && NdisDevicePnPEventMaximum == 7, "");
#if NDIS_SUPPORT_NDIS61
_Static_assert(NdisMSIXTableConfigSetTableEntry == 0 && NdisMSIXTableConfigMaskTableEntry == 1 &&
	       NdisMSIXTableConfigUnmaskTableEntry == 2 && NdisMSIXTableConfigMax == 3, "");
#endif
_Static_assert(NdisInterruptModerationUnknown == 0 && NdisInterruptModerationDisabled == 3, "");
_Static_assert(OID_GEN_INTERRUPT_MODERATION == 0x00010209, "");
_Static_assert(NormalPoolPriority == 16 && HighPoolPriority == 32, "EX_POOL_PRIORITY");
_Static_assert(PASSIVE_LEVEL == 0 && APC_LEVEL == 1 && DISPATCH_LEVEL == 2 &&
	       CLOCK_LEVEL == 13 && HIGH_LEVEL == 15, "AMD64 IRQLs");
_Static_assert(PCI_WHICHSPACE_CONFIG == 0 && PCI_WHICHSPACE_ROM == 0x52696350, "");
_Static_assert(ALL_PROCESSOR_GROUPS == 0xffff && NDIS_MAX_PROCESSOR_COUNT == 64, "");
_Static_assert(IRP_MJ_PNP == 0x1b && IRP_MN_FILTER_RESOURCE_REQUIREMENTS == 0x0d, "");

_Static_assert(NDIS_RUNTIME_VERSION_60 == 0x00060000 && NDIS_RUNTIME_VERSION_61 == 0x00060001 &&
	       NDIS_RUNTIME_VERSION_620 == 0x00060014 && NDIS_RUNTIME_VERSION_630 == 0x0006001e &&
	       NDIS_RUNTIME_VERSION_682 == 0x00060052, "NDIS_RUNTIME_VERSION_*");
_Static_assert(NDIS_SUPPORT_60_COMPATIBLE_API == 1, "always 1 with WDK 10.0.17763");

/* ------------------------------------ interrupt characteristics (§3.3) */

SIZE(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, 96);
_Static_assert(NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1 == 96, "");
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, Header, 0x00);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, InterruptHandler, 0x08);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, InterruptDpcHandler, 0x10);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, DisableInterruptHandler, 0x18);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, EnableInterruptHandler, 0x20);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, MsiSupported, 0x28);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, MsiSyncWithAllMessages, 0x29);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, MessageInterruptHandler, 0x30);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, MessageInterruptDpcHandler, 0x38);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, DisableMessageInterruptHandler, 0x40);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, EnableMessageInterruptHandler, 0x48);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, InterruptType, 0x50);
OFF(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, MessageInfoTable, 0x58);
SIZE(NDIS_INTERRUPT_TYPE, 4);

/* ------------------------------------------------- message table (§9.3) */

SIZE(IO_INTERRUPT_MESSAGE_INFO_ENTRY, 48);
OFF(IO_INTERRUPT_MESSAGE_INFO_ENTRY, MessageAddress, 0);
OFF(IO_INTERRUPT_MESSAGE_INFO_ENTRY, TargetProcessorSet, 8);
OFF(IO_INTERRUPT_MESSAGE_INFO_ENTRY, InterruptObject, 16);
OFF(IO_INTERRUPT_MESSAGE_INFO_ENTRY, MessageData, 24);
OFF(IO_INTERRUPT_MESSAGE_INFO_ENTRY, Vector, 28);
OFF(IO_INTERRUPT_MESSAGE_INFO_ENTRY, Irql, 32);
OFF(IO_INTERRUPT_MESSAGE_INFO_ENTRY, Mode, 36);
OFF(IO_INTERRUPT_MESSAGE_INFO_ENTRY, Polarity, 40);
SIZE(IO_INTERRUPT_MESSAGE_INFO, 56);
OFF(IO_INTERRUPT_MESSAGE_INFO, UnifiedIrql, 0);
OFF(IO_INTERRUPT_MESSAGE_INFO, MessageCount, 4);
OFF(IO_INTERRUPT_MESSAGE_INFO, MessageInfo, 8);

/* ------------------------------------------- receive throttle (§4, §8) */

#if NDIS_SUPPORT_NDIS620
SIZE(NDIS_RECEIVE_THROTTLE_PARAMETERS, 8);
OFF(NDIS_RECEIVE_THROTTLE_PARAMETERS, MaxNblsToIndicate, 0);
_Static_assert(NDIS_INDICATE_ALL_NBLS == 0xFFFFFFFFul, "NDIS_INDICATE_ALL_NBLS");
#endif

#if NDIS_SUPPORT_NDIS61
SIZE(NDIS_MSIX_CONFIG_PARAMETERS, 16);
_Static_assert(NDIS_SIZEOF_MSIX_CONFIG_PARAMETERS_REVISION_1 == 16, "");
#endif
_Static_assert(NDIS_SIZEOF_INTERRUPT_MODERATION_PARAMETERS_REVISION_1 == 12, "");

/* -------------------------------------------- CM resources (subset §4.2) */

SIZE(CM_PARTIAL_RESOURCE_DESCRIPTOR, 20);
_Static_assert(_Alignof(CM_PARTIAL_RESOURCE_DESCRIPTOR) == 4, "pack(4)");
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, Type, 0);
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, ShareDisposition, 1);
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, Flags, 2);
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u, 4);
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Memory.Start, 4);
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Memory.Length, 12);
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Port.Start, 4);
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Memory64.Length64, 12);
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Interrupt.Level, 4);
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Interrupt.Vector, 8);
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Interrupt.Affinity, 12);
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.MessageInterrupt.Raw.Reserved, 4);
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.MessageInterrupt.Raw.MessageCount, 6);
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.MessageInterrupt.Raw.Vector, 8);
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.MessageInterrupt.Raw.Affinity, 12);
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.MessageInterrupt.Translated.Level, 4);
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.MessageInterrupt.Translated.Vector, 8);
OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.MessageInterrupt.Translated.Affinity, 12);
SIZE(CM_PARTIAL_RESOURCE_LIST, 28);
OFF(CM_PARTIAL_RESOURCE_LIST, Version, 0);
OFF(CM_PARTIAL_RESOURCE_LIST, Revision, 2);
OFF(CM_PARTIAL_RESOURCE_LIST, Count, 4);
OFF(CM_PARTIAL_RESOURCE_LIST, PartialDescriptors, 8);
SIZE(CM_FULL_RESOURCE_DESCRIPTOR, 36);
OFF(CM_FULL_RESOURCE_DESCRIPTOR, PartialResourceList, 8);
SIZE(CM_RESOURCE_LIST, 40);
OFF(CM_RESOURCE_LIST, List, 4);

/* ------------------------------------- IO resource requirements (§8.5) */

SIZE(IO_RESOURCE_DESCRIPTOR, 32);
OFF(IO_RESOURCE_DESCRIPTOR, Flags, 4);
OFF(IO_RESOURCE_DESCRIPTOR, u, 8);
OFF(IO_RESOURCE_DESCRIPTOR, u.Interrupt.MinimumVector, 8);
OFF(IO_RESOURCE_DESCRIPTOR, u.Interrupt.MaximumVector, 12);
OFF(IO_RESOURCE_DESCRIPTOR, u.Interrupt.AffinityPolicy, 16);
OFF(IO_RESOURCE_DESCRIPTOR, u.Interrupt.PriorityPolicy, 20);
OFF(IO_RESOURCE_DESCRIPTOR, u.Interrupt.TargetedProcessors, 24);
OFF(IO_RESOURCE_DESCRIPTOR, u.Memory.Length, 8);
OFF(IO_RESOURCE_DESCRIPTOR, u.Memory.Alignment, 12);
OFF(IO_RESOURCE_DESCRIPTOR, u.Memory.MinimumAddress, 16);
OFF(IO_RESOURCE_DESCRIPTOR, u.Memory.MaximumAddress, 24);
SIZE(IO_RESOURCE_LIST, 40);
OFF(IO_RESOURCE_LIST, Descriptors, 8);
SIZE(IO_RESOURCE_REQUIREMENTS_LIST, 72);
OFF(IO_RESOURCE_REQUIREMENTS_LIST, AlternativeLists, 28);
OFF(IO_RESOURCE_REQUIREMENTS_LIST, List, 32);
SIZE(IO_STATUS_BLOCK, 16);

/* ------------------------------------------- init parameters (§4.1) */

SIZE(NDIS_MINIPORT_INIT_PARAMETERS, 64);
_Static_assert(NDIS_SIZEOF_MINIPORT_INIT_PARAMETER_REVISION_1 == 64, "");
OFF(NDIS_MINIPORT_INIT_PARAMETERS, Flags, 0x04);
OFF(NDIS_MINIPORT_INIT_PARAMETERS, AllocatedResources, 0x08);
OFF(NDIS_MINIPORT_INIT_PARAMETERS, IMDeviceInstanceContext, 0x10);
OFF(NDIS_MINIPORT_INIT_PARAMETERS, MiniportAddDeviceContext, 0x18);
OFF(NDIS_MINIPORT_INIT_PARAMETERS, IfIndex, 0x20);
OFF(NDIS_MINIPORT_INIT_PARAMETERS, NetLuid, 0x28);
OFF(NDIS_MINIPORT_INIT_PARAMETERS, DefaultPortAuthStates, 0x30);
OFF(NDIS_MINIPORT_INIT_PARAMETERS, PciDeviceCustomProperties, 0x38);

_Static_assert(NDIS_SIZEOF_MINIPORT_PAUSE_PARAMETERS_REVISION_1 == 12, "");
_Static_assert(NDIS_SIZEOF_MINIPORT_RESTART_PARAMETERS_REVISION_1 == 20, "");
SIZE(NDIS_MINIPORT_RESTART_PARAMETERS, 24);
_Static_assert(NDIS_SIZEOF_NET_DEVICE_PNP_EVENT_REVISION_1 == 44, "");
SIZE(NET_DEVICE_PNP_EVENT, 48);

/* ----------------------------------- driver characteristics (§3.2) */

OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, MajorNdisVersion, 0x04);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, MinorNdisVersion, 0x05);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, MajorDriverVersion, 0x06);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, MinorDriverVersion, 0x07);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, Flags, 0x08);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, SetOptionsHandler, 0x10);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, InitializeHandlerEx, 0x18);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, HaltHandlerEx, 0x20);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, UnloadHandler, 0x28);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, PauseHandler, 0x30);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, RestartHandler, 0x38);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, OidRequestHandler, 0x40);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, SendNetBufferListsHandler, 0x48);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, ReturnNetBufferListsHandler, 0x50);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, CancelSendHandler, 0x58);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, CheckForHangHandlerEx, 0x60);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, ResetHandlerEx, 0x68);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, DevicePnPEventNotifyHandler, 0x70);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, ShutdownHandlerEx, 0x78);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, CancelOidRequestHandler, 0x80);
_Static_assert(NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1 == 136, "");
#if NDIS_SUPPORT_NDIS61
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, DirectOidRequestHandler, 0x88);
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, CancelDirectOidRequestHandler, 0x90);
_Static_assert(NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2 == 152, "");
#endif
#if NDIS_SUPPORT_NDIS680
OFF(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, SynchronousOidRequestHandler, 0x98);
_Static_assert(NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_3 == 160, "");
SIZE(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, 160);
#elif NDIS_SUPPORT_NDIS61
SIZE(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, 152); /* 6.1 .. 6.7x: revision 2 */
#else
SIZE(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, 136); /* 6.0: revision 1 */
#endif

/* ------------------------------------------ adapter attributes (§5) */

OFF(NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, MiniportAdapterContext, 8);
OFF(NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, AttributeFlags, 16);
OFF(NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, CheckForHangTimeInSeconds, 20);
OFF(NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, InterfaceType, 24);
_Static_assert(NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1 == 28, "");
SIZE(NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, 32);
#if NDIS_SUPPORT_NDIS630
_Static_assert(NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_2 == 28, "");
#endif
_Static_assert(NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE == 1 &&
	       NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER == 0x40, "");

_Static_assert(NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_1 == 216, "");
#if NDIS_SUPPORT_NDIS620
_Static_assert(NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2 == 224, "");
#endif

OFF(NDIS_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES, MiniportAddDeviceContext, 8);
OFF(NDIS_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES, Flags, 16);
_Static_assert(NDIS_SIZEOF_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES_REVISION_1 == 20, "");
SIZE(NDIS_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES, 24);

OFF(NDIS_MINIPORT_ADAPTER_ATTRIBUTES, Header, 0);
OFF(NDIS_MINIPORT_ADAPTER_ATTRIBUTES, RegistrationAttributes.MiniportAdapterContext, 8);

/* ----------------------------------------- PnP characteristics (§8.2) */

OFF(NDIS_MINIPORT_PNP_CHARACTERISTICS, MiniportAddDeviceHandler, 8);
OFF(NDIS_MINIPORT_PNP_CHARACTERISTICS, MiniportRemoveDeviceHandler, 16);
OFF(NDIS_MINIPORT_PNP_CHARACTERISTICS, MiniportFilterResourceRequirementsHandler, 24);
OFF(NDIS_MINIPORT_PNP_CHARACTERISTICS, MiniportStartDeviceHandler, 32);
OFF(NDIS_MINIPORT_PNP_CHARACTERISTICS, Flags, 40);
_Static_assert(NDIS_SIZEOF_MINIPORT_PNP_CHARACTERISTICS_REVISION_1 == 44, "");
SIZE(NDIS_MINIPORT_PNP_CHARACTERISTICS, 48);

/* ----------------------------------------------- helpers (§7) */

SIZE(NDIS_SPIN_LOCK, 16);
OFF(NDIS_SPIN_LOCK, SpinLock, 0);
OFF(NDIS_SPIN_LOCK, OldIrql, 8);
SIZE(KEVENT, 24);
SIZE(NDIS_EVENT, 24);
_Static_assert(_Alignof(NDIS_EVENT) == 8, "NDIS_EVENT is 8-aligned");
OFF(DISPATCHER_HEADER, SignalState, 4);
OFF(DISPATCHER_HEADER, WaitListHead, 8);

/* ---------------------------------------------- version gating (§1.2) */

#if defined(NIRQ_TEST_MINIPORT)
_Static_assert(NDIS_MINIPORT_MAJOR_VERSION == 6, "");
#if NIRQ_TEST_MINIPORT == 60
_Static_assert(NDIS_MINIPORT_MINOR_VERSION == 0, "");
#if !NDIS_SUPPORT_NDIS6 || NDIS_SUPPORT_NDIS61
#error "a 6.0 miniport sees NDIS_SUPPORT_NDIS6 only"
#endif
#elif NIRQ_TEST_MINIPORT == 620
_Static_assert(NDIS_MINIPORT_MINOR_VERSION == 20, "");
#if !NDIS_SUPPORT_NDIS6 || !NDIS_SUPPORT_NDIS61 || !NDIS_SUPPORT_NDIS620 || NDIS_SUPPORT_NDIS630
#error "a 6.20 miniport sees 6, 61 and 620, not 630"
#endif
#elif NIRQ_TEST_MINIPORT == 682
_Static_assert(NDIS_MINIPORT_MINOR_VERSION == 82, "");
#if !NDIS_SUPPORT_NDIS620 || !NDIS_SUPPORT_NDIS680 || !NDIS_SUPPORT_NDIS682
#error "a 6.82 miniport sees every NDIS_SUPPORT_* macro"
#endif
#endif
#else
#if !NDIS_SUPPORT_NDIS682 || defined(NDIS_MINIPORT_MAJOR_VERSION)
#error "without a version macro the whole 6.82 surface is visible"
#endif
#endif

#if defined(NIRQ_TEST_MINIPORT)
/* MSVC pragmas in miniport sources compile under -Wall -Werror. */
#pragma NDIS_INIT_FUNCTION(main)
#pragma warning(disable : 4201)
#endif

/* Role types declare functions that the pointer types accept. */
static MINIPORT_ISR test_isr;
static BOOLEAN test_isr(NDIS_HANDLE ctx, PBOOLEAN queue_default, PULONG targets)
{
	(void)ctx;
	*queue_default = TRUE;
	*targets = 0;
	return TRUE;
}
static MINIPORT_SYNCHRONIZE_MESSAGE_INTERRUPT test_sync;
static BOOLEAN test_sync(NDIS_HANDLE ctx)
{
	return ctx != NULL;
}

/* ------------------------------------------------------- runtime checks */

/* MoreNblsPending is bit 0 of the second ULONG (MSVC and gcc agree on x64). */
static void test_throttle_more_nbls_pending_is_bit0_of_second_ulong(void **state)
{
#if NDIS_SUPPORT_NDIS620
	NDIS_RECEIVE_THROTTLE_PARAMETERS p;
	ULONG words[2];

	(void)state;
	memset(&p, 0, sizeof(p));
	p.MoreNblsPending = 1;
	memcpy(words, &p, sizeof(words));
	assert_int_equal(words[0], 0);
	assert_int_equal(words[1], 1);
#else
	(void)state;
	skip();
#endif
}

static void test_status_codes_are_negative_ntstatus_values(void **state)
{
	(void)state;
	assert_true(NDIS_STATUS_FAILURE < 0);
	assert_int_equal((uint32_t)NDIS_STATUS_FAILURE, 0xC0000001u);
	assert_int_equal((uint32_t)NDIS_STATUS_RESOURCES, 0xC000009Au);
	assert_int_equal((uint32_t)NDIS_STATUS_NOT_SUPPORTED, 0xC00000BBu);
	assert_int_equal((uint32_t)NDIS_STATUS_INVALID_PARAMETER, 0xC000000Du);
	assert_int_equal((uint32_t)NDIS_STATUS_INVALID_DEVICE_REQUEST, 0xC0000010u);
	assert_int_equal((uint32_t)NDIS_STATUS_RESOURCE_CONFLICT, 0xC001001Eu);
	assert_int_equal((uint32_t)NDIS_STATUS_DEVICE_FAILED, 0xC0010008u);
	assert_int_equal((uint32_t)NDIS_STATUS_INVALID_DATA, 0xC0010015u);
	assert_int_equal((uint32_t)NDIS_STATUS_INVALID_LENGTH, 0xC0010014u);
	assert_int_equal((uint32_t)NDIS_STATUS_BAD_VERSION, 0xC0010004u);
	assert_int_equal((uint32_t)NDIS_STATUS_BAD_CHARACTERISTICS, 0xC0010005u);
	assert_int_equal((uint32_t)NDIS_STATUS_ADAPTER_NOT_FOUND, 0xC0010006u);
	assert_int_equal((uint32_t)NDIS_STATUS_NOT_ACCEPTED, 0x00010003u);
	assert_int_equal((uint32_t)NDIS_STATUS_HARD_ERRORS, 0x80010004u);
	assert_int_equal(NDIS_STATUS_PENDING, 0x103);
	assert_int_equal(NDIS_STATUS_SUCCESS, 0);
	assert_true(NT_SUCCESS(NDIS_STATUS_PENDING) && !NT_SUCCESS(NDIS_STATUS_FAILURE));
}

static void test_memory_macros_copy_zero_and_allow_overlap(void **state)
{
	UCHAR buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	(void)state;
	NdisMoveMemory(buf + 1, buf, 4); /* overlapping: memmove semantics */
	assert_memory_equal(buf, ((UCHAR[]){ 1, 1, 2, 3, 4, 6, 7, 8 }), 8);
	NdisZeroMemory(buf, 3);
	assert_memory_equal(buf, ((UCHAR[]){ 0, 0, 0, 3, 4, 6, 7, 8 }), 8);
	assert_true(NdisEqualMemory(buf + 3, ((UCHAR[]){ 3, 4 }), 2));
}

static void test_interlocked_returns_the_new_value(void **state)
{
	LONG v = 0;

	(void)state;
	assert_int_equal(NdisInterlockedIncrement(&v), 1);
	assert_int_equal(NdisInterlockedIncrement(&v), 2);
	assert_int_equal(NdisInterlockedDecrement(&v), 1);
	assert_int_equal(NdisInterlockedDecrement(&v), 0);
	assert_int_equal(NdisInterlockedDecrement(&v), -1);
}

static void test_role_types_match_handler_pointer_types(void **state)
{
	MINIPORT_ISR_HANDLER isr = test_isr;
	MINIPORT_SYNCHRONIZE_INTERRUPT_HANDLER sync = test_sync;
	BOOLEAN qd = FALSE;
	ULONG tp = 1;

	(void)state;
	assert_true(isr(NULL, &qd, &tp));
	assert_true(qd == TRUE && tp == 0);
	assert_false(sync(NULL));
}

static void test_rtl_sizeof_through_field_counts_the_field(void **state)
{
	(void)state;
	assert_int_equal(RTL_SIZEOF_THROUGH_FIELD(NDIS_OBJECT_HEADER, Revision), 2);
	assert_int_equal(FIELD_OFFSET(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, MessageInfoTable),
			 0x58);
	assert_int_equal(RTL_FIELD_SIZE(GROUP_AFFINITY, Reserved), 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_throttle_more_nbls_pending_is_bit0_of_second_ulong),
		cmocka_unit_test(test_status_codes_are_negative_ntstatus_values),
		cmocka_unit_test(test_memory_macros_copy_zero_and_allow_overlap),
		cmocka_unit_test(test_interlocked_returns_the_new_value),
		cmocka_unit_test(test_role_types_match_handler_pointer_types),
		cmocka_unit_test(test_rtl_sizeof_through_field_counts_the_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
