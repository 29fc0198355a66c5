/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * NDIS surface: the miniport lifecycle subset (spec/ndis-miniport-subset.md
 * §2-§6, §8): driver characteristics and handler role types, registration,
 * init parameters and resources, adapter attributes, I/O space mapping,
 * PCI configuration space, optional (PnP) handlers.
 *
 * ndisirq calls InitializeHandlerEx, HaltHandlerEx, UnloadHandler and
 * SetOptionsHandler. Every other handler (pause, restart, OID, send, ...)
 * may be set or NULL and is never called.
 */
#ifndef NDIS_MINIPORT_H
#define NDIS_MINIPORT_H

#include "ndis_types.h"
#include "ndis_wdm.h"

#ifdef __cplusplus
extern "C" {
#endif

#if NDIS_SUPPORT_NDIS6

/* Opaque to this subset (data path and OID structures). */
typedef struct _NET_BUFFER_LIST NET_BUFFER_LIST, *PNET_BUFFER_LIST;
typedef struct _NET_BUFFER NET_BUFFER, *PNET_BUFFER;
typedef struct _NDIS_OID_REQUEST NDIS_OID_REQUEST, *PNDIS_OID_REQUEST;
typedef struct _NDIS_PORT_AUTHENTICATION_PARAMETERS NDIS_PORT_AUTHENTICATION_PARAMETERS,
	*PNDIS_PORT_AUTHENTICATION_PARAMETERS;
typedef struct _NDIS_PCI_DEVICE_CUSTOM_PROPERTIES NDIS_PCI_DEVICE_CUSTOM_PROPERTIES,
	*PNDIS_PCI_DEVICE_CUSTOM_PROPERTIES;

typedef CM_PARTIAL_RESOURCE_LIST NDIS_RESOURCE_LIST, *PNDIS_RESOURCE_LIST;

/* ------------------------------------------------------ init parameters */

#define NDIS_MINIPORT_INIT_PARAMETERS_REVISION_1 1

typedef struct _NDIS_MINIPORT_INIT_PARAMETERS {
	_In_ NDIS_OBJECT_HEADER Header;
	_In_ ULONG Flags;
	_In_ PNDIS_RESOURCE_LIST AllocatedResources;
	_In_ NDIS_HANDLE IMDeviceInstanceContext;
	_In_ NDIS_HANDLE MiniportAddDeviceContext;
	_In_ NET_IFINDEX IfIndex;
	_In_ NET_LUID NetLuid;
	_In_ PNDIS_PORT_AUTHENTICATION_PARAMETERS DefaultPortAuthStates;
	_In_ PNDIS_PCI_DEVICE_CUSTOM_PROPERTIES PciDeviceCustomProperties;
} NDIS_MINIPORT_INIT_PARAMETERS, *PNDIS_MINIPORT_INIT_PARAMETERS;

/* Sic: PARAMETER, singular, as in the WDK. */
#define NDIS_SIZEOF_MINIPORT_INIT_PARAMETER_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_INIT_PARAMETERS, PciDeviceCustomProperties)

/* ---------------------------------------------------- pause / restart */

#define NDIS_MINIPORT_PAUSE_PARAMETERS_REVISION_1 1

typedef struct _NDIS_MINIPORT_PAUSE_PARAMETERS {
	NDIS_OBJECT_HEADER Header;
	ULONG Flags;
	ULONG PauseReason;
} NDIS_MINIPORT_PAUSE_PARAMETERS, *PNDIS_MINIPORT_PAUSE_PARAMETERS;

#define NDIS_SIZEOF_MINIPORT_PAUSE_PARAMETERS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_PAUSE_PARAMETERS, PauseReason)

typedef struct _NDIS_RESTART_ATTRIBUTES NDIS_RESTART_ATTRIBUTES, *PNDIS_RESTART_ATTRIBUTES;
struct _NDIS_RESTART_ATTRIBUTES {
	PNDIS_RESTART_ATTRIBUTES Next;
	NDIS_OID Oid;
	ULONG DataLength;
	DECLSPEC_ALIGN(MEMORY_ALLOCATION_ALIGNMENT) UCHAR Data[1];
};

#define NDIS_MINIPORT_RESTART_PARAMETERS_REVISION_1 1

typedef struct _NDIS_MINIPORT_RESTART_PARAMETERS {
	NDIS_OBJECT_HEADER Header;
	PNDIS_RESTART_ATTRIBUTES RestartAttributes;
	ULONG Flags;
} NDIS_MINIPORT_RESTART_PARAMETERS, *PNDIS_MINIPORT_RESTART_PARAMETERS;

#define NDIS_SIZEOF_MINIPORT_RESTART_PARAMETERS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_RESTART_PARAMETERS, Flags)

typedef enum _NDIS_DEVICE_PNP_EVENT {
	NdisDevicePnPEventQueryRemoved,
	NdisDevicePnPEventRemoved,
	NdisDevicePnPEventSurpriseRemoved,
	NdisDevicePnPEventQueryStopped,
	NdisDevicePnPEventStopped,
	NdisDevicePnPEventPowerProfileChanged,
	NdisDevicePnPEventFilterListChanged,
	NdisDevicePnPEventMaximum
} NDIS_DEVICE_PNP_EVENT, *PNDIS_DEVICE_PNP_EVENT;

#define NET_DEVICE_PNP_EVENT_REVISION_1 1

typedef struct _NET_DEVICE_PNP_EVENT {
	NDIS_OBJECT_HEADER Header;
	NDIS_PORT_NUMBER PortNumber;
	NDIS_DEVICE_PNP_EVENT DevicePnPEvent;
	PVOID InformationBuffer;
	ULONG InformationBufferLength;
	UCHAR NdisReserved[2 * sizeof(PVOID)];
} NET_DEVICE_PNP_EVENT, *PNET_DEVICE_PNP_EVENT;

#define NDIS_SIZEOF_NET_DEVICE_PNP_EVENT_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NET_DEVICE_PNP_EVENT, NdisReserved)

/* ------------------------------------------------------- handler types */

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(SET_OPTIONS)
NDIS_STATUS(SET_OPTIONS)(_In_ NDIS_HANDLE NdisDriverHandle, _In_ NDIS_HANDLE DriverContext);
typedef SET_OPTIONS(*SET_OPTIONS_HANDLER);
typedef SET_OPTIONS(MINIPORT_SET_OPTIONS);
typedef SET_OPTIONS(PROTOCOL_SET_OPTIONS);
typedef SET_OPTIONS(FILTER_SET_OPTIONS);

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(MINIPORT_INITIALIZE)
NDIS_STATUS(MINIPORT_INITIALIZE)(_In_ NDIS_HANDLE NdisMiniportHandle,
				 _In_ NDIS_HANDLE MiniportDriverContext,
				 _In_ PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters);
typedef MINIPORT_INITIALIZE(*MINIPORT_INITIALIZE_HANDLER);

typedef enum _NDIS_HALT_ACTION {
	NdisHaltDeviceDisabled,
	NdisHaltDeviceInstanceDeInitialized,
	NdisHaltDevicePoweredDown,
	NdisHaltDeviceSurpriseRemoved,
	NdisHaltDeviceFailed,
	NdisHaltDeviceInitializationFailed,
	NdisHaltDeviceStopped
} NDIS_HALT_ACTION, *PNDIS_HALT_ACTION;

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(MINIPORT_HALT)
VOID(MINIPORT_HALT)(_In_ NDIS_HANDLE MiniportAdapterContext, _In_ NDIS_HALT_ACTION HaltAction);
typedef MINIPORT_HALT(*MINIPORT_HALT_HANDLER);

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(MINIPORT_PAUSE)
NDIS_STATUS(MINIPORT_PAUSE)(_In_ NDIS_HANDLE MiniportAdapterContext,
			    _In_ PNDIS_MINIPORT_PAUSE_PARAMETERS PauseParameters);
typedef MINIPORT_PAUSE(*MINIPORT_PAUSE_HANDLER);

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(MINIPORT_RESTART)
NDIS_STATUS(MINIPORT_RESTART)(_In_ NDIS_HANDLE MiniportAdapterContext,
			      _In_ PNDIS_MINIPORT_RESTART_PARAMETERS RestartParameters);
typedef MINIPORT_RESTART(*MINIPORT_RESTART_HANDLER);

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(MINIPORT_OID_REQUEST)
NDIS_STATUS(MINIPORT_OID_REQUEST)(_In_ NDIS_HANDLE MiniportAdapterContext,
				  _In_ PNDIS_OID_REQUEST OidRequest);
typedef MINIPORT_OID_REQUEST(*MINIPORT_OID_REQUEST_HANDLER);

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(MINIPORT_UNLOAD)
VOID(MINIPORT_UNLOAD)(_In_ PDRIVER_OBJECT DriverObject);
typedef MINIPORT_UNLOAD(*MINIPORT_DRIVER_UNLOAD);

/* Sic: PNDIS_SHUTDOWN_ACTION is not a pointer in the WDK. */
typedef enum _NDIS_SHUTDOWN_ACTION {
	NdisShutdownPowerOff,
	NdisShutdownBugCheck
} NDIS_SHUTDOWN_ACTION, PNDIS_SHUTDOWN_ACTION;

typedef _Function_class_(MINIPORT_SHUTDOWN)
VOID(MINIPORT_SHUTDOWN)(_In_ NDIS_HANDLE MiniportAdapterContext,
			_In_ NDIS_SHUTDOWN_ACTION ShutdownAction);
typedef MINIPORT_SHUTDOWN(*MINIPORT_SHUTDOWN_HANDLER);

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(MINIPORT_DEVICE_PNP_EVENT_NOTIFY)
VOID(MINIPORT_DEVICE_PNP_EVENT_NOTIFY)(_In_ NDIS_HANDLE MiniportAdapterContext,
				       _In_ PNET_DEVICE_PNP_EVENT NetDevicePnPEvent);
typedef MINIPORT_DEVICE_PNP_EVENT_NOTIFY(*MINIPORT_DEVICE_PNP_EVENT_NOTIFY_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL) _Function_class_(MINIPORT_CANCEL_SEND)
VOID(MINIPORT_CANCEL_SEND)(_In_ NDIS_HANDLE MiniportAdapterContext, _In_ PVOID CancelId);
typedef MINIPORT_CANCEL_SEND(*MINIPORT_CANCEL_SEND_HANDLER);

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(MINIPORT_CHECK_FOR_HANG)
BOOLEAN(MINIPORT_CHECK_FOR_HANG)(_In_ NDIS_HANDLE MiniportAdapterContext);
typedef MINIPORT_CHECK_FOR_HANG(*MINIPORT_CHECK_FOR_HANG_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL) _Function_class_(MINIPORT_RESET)
NDIS_STATUS(MINIPORT_RESET)(_In_ NDIS_HANDLE MiniportAdapterContext,
			    _Out_ PBOOLEAN AddressingReset);
typedef MINIPORT_RESET(*MINIPORT_RESET_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL) _Function_class_(MINIPORT_CANCEL_OID_REQUEST)
VOID(MINIPORT_CANCEL_OID_REQUEST)(_In_ NDIS_HANDLE MiniportAdapterContext,
				  _In_ PVOID RequestId);
typedef MINIPORT_CANCEL_OID_REQUEST(*MINIPORT_CANCEL_OID_REQUEST_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL) _Function_class_(MINIPORT_SEND_NET_BUFFER_LISTS)
VOID(MINIPORT_SEND_NET_BUFFER_LISTS)(_In_ NDIS_HANDLE MiniportAdapterContext,
				     _In_ PNET_BUFFER_LIST NetBufferList,
				     _In_ NDIS_PORT_NUMBER PortNumber,
				     _In_ ULONG SendFlags);
typedef MINIPORT_SEND_NET_BUFFER_LISTS(*MINIPORT_SEND_NET_BUFFER_LISTS_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL) _Function_class_(MINIPORT_RETURN_NET_BUFFER_LISTS)
VOID(MINIPORT_RETURN_NET_BUFFER_LISTS)(_In_ NDIS_HANDLE MiniportAdapterContext,
				       _In_ PNET_BUFFER_LIST NetBufferLists,
				       _In_ ULONG ReturnFlags);
typedef MINIPORT_RETURN_NET_BUFFER_LISTS(*MINIPORT_RETURN_NET_BUFFER_LISTS_HANDLER);

#if NDIS_SUPPORT_NDIS61
typedef _IRQL_requires_max_(DISPATCH_LEVEL) _Function_class_(MINIPORT_DIRECT_OID_REQUEST)
NDIS_STATUS(MINIPORT_DIRECT_OID_REQUEST)(_In_ NDIS_HANDLE MiniportAdapterContext,
					 _In_ PNDIS_OID_REQUEST OidRequest);
typedef MINIPORT_DIRECT_OID_REQUEST(*MINIPORT_DIRECT_OID_REQUEST_HANDLER);

typedef _IRQL_requires_max_(DISPATCH_LEVEL) _Function_class_(MINIPORT_CANCEL_DIRECT_OID_REQUEST)
VOID(MINIPORT_CANCEL_DIRECT_OID_REQUEST)(_In_ NDIS_HANDLE MiniportAdapterContext,
					 _In_ PVOID RequestId);
typedef MINIPORT_CANCEL_DIRECT_OID_REQUEST(*MINIPORT_CANCEL_DIRECT_OID_REQUEST_HANDLER);
#endif

#if NDIS_SUPPORT_NDIS680
typedef _IRQL_requires_max_(DISPATCH_LEVEL) _Function_class_(MINIPORT_SYNCHRONOUS_OID_REQUEST)
NDIS_STATUS MINIPORT_SYNCHRONOUS_OID_REQUEST(_In_ NDIS_HANDLE MiniportAdapterContext,
					     _In_ NDIS_OID_REQUEST *OidRequest);
typedef MINIPORT_SYNCHRONOUS_OID_REQUEST(*MINIPORT_SYNCHRONOUS_OID_REQUEST_HANDLER);
#endif

/* --------------------------------------------- driver characteristics */

#define NDIS_INTERMEDIATE_DRIVER 0x00000001
#define NDIS_WDM_DRIVER 0x00000002
#if NDIS_SUPPORT_NDIS630
#define NDIS_DRIVER_FLAGS_RESERVED 0x00000008
#endif

#define NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1 1
#if NDIS_SUPPORT_NDIS61
#define NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2 2
#endif
#if NDIS_SUPPORT_NDIS680
#define NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_3 3
#endif

typedef struct _NDIS_MINIPORT_DRIVER_CHARACTERISTICS {
	NDIS_OBJECT_HEADER Header;
	UCHAR MajorNdisVersion;
	UCHAR MinorNdisVersion;
	UCHAR MajorDriverVersion;
	UCHAR MinorDriverVersion;
	ULONG Flags;
	SET_OPTIONS_HANDLER SetOptionsHandler;
	MINIPORT_INITIALIZE_HANDLER InitializeHandlerEx;
	MINIPORT_HALT_HANDLER HaltHandlerEx;
	MINIPORT_DRIVER_UNLOAD UnloadHandler;
	MINIPORT_PAUSE_HANDLER PauseHandler;
	MINIPORT_RESTART_HANDLER RestartHandler;
	MINIPORT_OID_REQUEST_HANDLER OidRequestHandler;
	MINIPORT_SEND_NET_BUFFER_LISTS_HANDLER SendNetBufferListsHandler;
	MINIPORT_RETURN_NET_BUFFER_LISTS_HANDLER ReturnNetBufferListsHandler;
	MINIPORT_CANCEL_SEND_HANDLER CancelSendHandler;
	MINIPORT_CHECK_FOR_HANG_HANDLER CheckForHangHandlerEx;
	MINIPORT_RESET_HANDLER ResetHandlerEx;
	MINIPORT_DEVICE_PNP_EVENT_NOTIFY_HANDLER DevicePnPEventNotifyHandler;
	MINIPORT_SHUTDOWN_HANDLER ShutdownHandlerEx;
	MINIPORT_CANCEL_OID_REQUEST_HANDLER CancelOidRequestHandler;
#if NDIS_SUPPORT_NDIS61
	MINIPORT_DIRECT_OID_REQUEST_HANDLER DirectOidRequestHandler;
	MINIPORT_CANCEL_DIRECT_OID_REQUEST_HANDLER CancelDirectOidRequestHandler;
#endif
#if NDIS_SUPPORT_NDIS680
	MINIPORT_SYNCHRONOUS_OID_REQUEST_HANDLER SynchronousOidRequestHandler;
#endif
} NDIS_MINIPORT_DRIVER_CHARACTERISTICS, *PNDIS_MINIPORT_DRIVER_CHARACTERISTICS;

#define NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, CancelOidRequestHandler)
#if NDIS_SUPPORT_NDIS61
#define NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, CancelDirectOidRequestHandler)
#endif
#if NDIS_SUPPORT_NDIS680
#define NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_3 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_DRIVER_CHARACTERISTICS, SynchronousOidRequestHandler)
#endif

/* ------------------------------------------------ adapter attributes */

typedef enum _NDIS_INTERFACE_TYPE {
	NdisInterfaceInternal = Internal,
	NdisInterfaceIsa = Isa,
	NdisInterfaceEisa = Eisa,
	NdisInterfaceMca = MicroChannel,
	NdisInterfaceTurboChannel = TurboChannel,
	NdisInterfacePci = PCIBus,
	NdisInterfacePcMcia = PCMCIABus,
	NdisInterfaceCBus = CBus,
	NdisInterfaceMPIBus = MPIBus,
	NdisInterfaceMPSABus = MPSABus,
	NdisInterfaceProcessorInternal = ProcessorInternal,
	NdisInterfaceInternalPowerBus = InternalPowerBus,
	NdisInterfacePNPISABus = PNPISABus,
	NdisInterfacePNPBus = PNPBus,
	NdisInterfaceUSB,
	NdisInterfaceIrda,
	NdisInterface1394,
	NdisMaximumInterfaceType
} NDIS_INTERFACE_TYPE, *PNDIS_INTERFACE_TYPE;

#define NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1 1
#if NDIS_SUPPORT_NDIS630
#define NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_2 2
#endif

typedef struct _NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES {
	NDIS_OBJECT_HEADER Header;
	NDIS_HANDLE MiniportAdapterContext;
	ULONG AttributeFlags;
	UINT CheckForHangTimeInSeconds;
	NDIS_INTERFACE_TYPE InterfaceType;
} NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
	*PNDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;

#define NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, InterfaceType)
#if NDIS_SUPPORT_NDIS630
#define NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_2 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, InterfaceType)
#endif

#define NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE 0x00000001
#define NDIS_MINIPORT_ATTRIBUTES_NDIS_WDM 0x00000002
#define NDIS_MINIPORT_ATTRIBUTES_SURPRISE_REMOVE_OK 0x00000004
#define NDIS_MINIPORT_ATTRIBUTES_NOT_CO_NDIS 0x00000008
#define NDIS_MINIPORT_ATTRIBUTES_DO_NOT_BIND_TO_ALL_CO 0x00000010
#define NDIS_MINIPORT_ATTRIBUTES_NO_HALT_ON_SUSPEND 0x00000020
#define NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER 0x00000040
#define NDIS_MINIPORT_ATTRIBUTES_CONTROLS_DEFAULT_PORT 0x00000080
#if NDIS_SUPPORT_NDIS630
#define NDIS_MINIPORT_ATTRIBUTES_NO_PAUSE_ON_SUSPEND 0x00000100
#define NDIS_MINIPORT_ATTRIBUTES_NO_OID_INTERCEPT_ON_NONDEFAULT_PORTS 0x00000200
#define NDIS_MINIPORT_ATTRIBUTES_REGISTER_BUGCHECK_CALLBACK 0x00000400
#endif

#define NDIS_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES_REVISION_1 1

typedef struct _NDIS_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES {
	NDIS_OBJECT_HEADER Header;
	NDIS_HANDLE MiniportAddDeviceContext;
	ULONG Flags;
} NDIS_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES,
	*PNDIS_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES;

#define NDIS_SIZEOF_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES, Flags)

#include "ndis_attributes.h"

/*
 * Only the members declared in full here; a driver casts the address of
 * one member structure to PNDIS_MINIPORT_ADAPTER_ATTRIBUTES, and NDIS
 * dispatches on Header.Type.
 */
typedef union _NDIS_MINIPORT_ADAPTER_ATTRIBUTES {
	NDIS_OBJECT_HEADER Header;
	NDIS_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES AddDeviceRegistrationAttributes;
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES RegistrationAttributes;
	NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES GeneralAttributes;
} NDIS_MINIPORT_ADAPTER_ATTRIBUTES, *PNDIS_MINIPORT_ADAPTER_ATTRIBUTES;

/* ------------------------------------------- optional (PnP) handlers */

typedef struct _NDIS_DRIVER_OPTIONAL_HANDLERS {
	NDIS_OBJECT_HEADER Header;
} NDIS_DRIVER_OPTIONAL_HANDLERS, *PNDIS_DRIVER_OPTIONAL_HANDLERS;

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(MINIPORT_ADD_DEVICE)
NDIS_STATUS(MINIPORT_ADD_DEVICE)(_In_ NDIS_HANDLE NdisMiniportHandle,
				 _In_ NDIS_HANDLE MiniportDriverContext);
typedef MINIPORT_ADD_DEVICE(*MINIPORT_ADD_DEVICE_HANDLER);

typedef _IRQL_requires_(PASSIVE_LEVEL) _Function_class_(MINIPORT_REMOVE_DEVICE)
VOID(MINIPORT_REMOVE_DEVICE)(_In_ NDIS_HANDLE MiniportAddDeviceContext);
typedef MINIPORT_REMOVE_DEVICE(*MINIPORT_REMOVE_DEVICE_HANDLER);

typedef NDIS_STATUS(MINIPORT_PNP_IRP)(_In_ NDIS_HANDLE MiniportAddDeviceContext, _In_ PIRP Irp);
typedef MINIPORT_PNP_IRP(*MINIPORT_PNP_IRP_HANDLER);
typedef MINIPORT_PNP_IRP(MINIPORT_START_DEVICE);
typedef MINIPORT_PNP_IRP(*MINIPORT_START_DEVICE_HANDLER);
typedef MINIPORT_PNP_IRP(MINIPORT_FILTER_RESOURCE_REQUIREMENTS);
typedef MINIPORT_PNP_IRP(*MINIPORT_FILTER_RESOURCE_REQUIREMENTS_HANDLER);

#define NDIS_MINIPORT_PNP_CHARACTERISTICS_REVISION_1 1

typedef struct _NDIS_MINIPORT_PNP_CHARACTERISTICS {
	NDIS_OBJECT_HEADER Header;
	MINIPORT_ADD_DEVICE_HANDLER MiniportAddDeviceHandler;
	MINIPORT_REMOVE_DEVICE_HANDLER MiniportRemoveDeviceHandler;
	MINIPORT_FILTER_RESOURCE_REQUIREMENTS_HANDLER MiniportFilterResourceRequirementsHandler;
	MINIPORT_START_DEVICE_HANDLER MiniportStartDeviceHandler;
	ULONG Flags;
} NDIS_MINIPORT_PNP_CHARACTERISTICS, *PNDIS_MINIPORT_PNP_CHARACTERISTICS;

#define NDIS_SIZEOF_MINIPORT_PNP_CHARACTERISTICS_REVISION_1 \
	RTL_SIZEOF_THROUGH_FIELD(NDIS_MINIPORT_PNP_CHARACTERISTICS, Flags)

/* ---------------------------------------------------------- functions */

/*
 * NdisMRegisterMiniportDriver - register the driver; calls SetOptionsHandler
 * (if any) before returning. Context: PASSIVE_LEVEL, from DriverEntry.
 * Return: NDIS_STATUS_SUCCESS, _BAD_CHARACTERISTICS, _BAD_VERSION,
 * _RESOURCES, _FAILURE.
 */
_Must_inspect_result_ _IRQL_requires_(PASSIVE_LEVEL)
EXPORT NDIS_API NDIS_STATUS
NdisMRegisterMiniportDriver(_In_ PDRIVER_OBJECT DriverObject,
			    _In_ PUNICODE_STRING RegistryPath,
			    _In_opt_ NDIS_HANDLE MiniportDriverContext,
			    _In_ PNDIS_MINIPORT_DRIVER_CHARACTERISTICS MiniportDriverCharacteristics,
			    _Out_ PNDIS_HANDLE NdisMiniportDriverHandle);

/* NdisMDeregisterMiniportDriver - undo registration. Context: PASSIVE_LEVEL. */
_IRQL_requires_(PASSIVE_LEVEL)
EXPORT NDIS_API VOID
NdisMDeregisterMiniportDriver(_In_ NDIS_HANDLE NdisMiniportDriverHandle);

/*
 * NdisMSetMiniportAttributes - set one attribute structure (dispatch on
 * Header.Type); registration attributes first, from MiniportInitializeEx.
 * Context: PASSIVE_LEVEL. Return: NDIS_STATUS_SUCCESS, _BAD_VERSION, ...
 */
_Must_inspect_result_ _IRQL_requires_(PASSIVE_LEVEL)
EXPORT NDIS_API NDIS_STATUS
NdisMSetMiniportAttributes(_In_ NDIS_HANDLE NdisMiniportHandle,
			   _In_reads_bytes_((MiniportAttributes->Header.Size))
				   PNDIS_MINIPORT_ADAPTER_ATTRIBUTES MiniportAttributes);

/*
 * NdisMMapIoSpace - map a memory range listed in AllocatedResources.
 * Accesses to the mapping must go through NdisRead/WriteRegister*.
 * Context: PASSIVE_LEVEL. Return: NDIS_STATUS_SUCCESS, _RESOURCE_CONFLICT,
 * _RESOURCES, _FAILURE (*VirtualAddress NULL on failure).
 */
_Must_inspect_result_ _IRQL_requires_(PASSIVE_LEVEL)
EXPORT NDIS_API NDIS_STATUS
NdisMMapIoSpace(_Outptr_result_bytebuffer_(Length) PVOID *VirtualAddress,
		_In_ NDIS_HANDLE MiniportAdapterHandle,
		_In_ NDIS_PHYSICAL_ADDRESS PhysicalAddress,
		_In_ UINT Length);

/* NdisMUnmapIoSpace - undo NdisMMapIoSpace (same Length). Context: PASSIVE_LEVEL. */
_IRQL_requires_(PASSIVE_LEVEL)
EXPORT NDIS_API VOID
NdisMUnmapIoSpace(_In_ NDIS_HANDLE MiniportAdapterHandle,
		  _In_reads_bytes_(Length) PVOID VirtualAddress,
		  _In_ UINT Length);

/*
 * NdisMGetBusData / NdisMSetBusData - PCI configuration space access
 * (WhichSpace PCI_WHICHSPACE_CONFIG). Context: any IRQL.
 * Return: the number of bytes read / written.
 */
_Must_inspect_result_ _IRQL_requires_max_(HIGH_LEVEL)
EXPORT NDIS_API ULONG
NdisMGetBusData(_In_ NDIS_HANDLE NdisMiniportHandle,
		_In_ ULONG WhichSpace,
		_In_ ULONG Offset,
		_Out_writes_bytes_all_(Length) PVOID Buffer,
		_In_ ULONG Length);

_IRQL_requires_max_(HIGH_LEVEL)
EXPORT NDIS_API ULONG
NdisMSetBusData(IN NDIS_HANDLE NdisMiniportHandle,
		IN ULONG WhichSpace,
		IN ULONG Offset,
		IN PVOID Buffer,
		IN ULONG Length);

/*
 * NdisSetOptionalHandlers - from MiniportSetOptions: register e.g.
 * NDIS_MINIPORT_PNP_CHARACTERISTICS (dispatch on Header.Type).
 * Context: PASSIVE_LEVEL. Return: NDIS_STATUS_SUCCESS, _RESOURCES,
 * _NOT_SUPPORTED, _FAILURE.
 */
_IRQL_requires_(PASSIVE_LEVEL)
EXPORT NDIS_API NDIS_STATUS
NdisSetOptionalHandlers(_In_ NDIS_HANDLE NdisHandle,
			_In_ PNDIS_DRIVER_OPTIONAL_HANDLERS OptionalHandlers);

#endif /* NDIS_SUPPORT_NDIS6 */

#ifdef __cplusplus
}
#endif
#endif /* NDIS_MINIPORT_H */
