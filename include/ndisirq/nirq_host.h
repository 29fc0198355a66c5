/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The miniport host: loads an NDIS miniport (a shared object with a
 * DriverEntry, or an in-process DriverEntry for tests), starts an adapter on
 * a platform device, assigns its interrupt resources, calls
 * MiniportInitializeEx and MiniportHaltEx on passive threads, and unloads.
 * It is what `ndisirq run` drives. Native API: unstable until 1.0.
 *
 * NDIS statuses are returned as int32_t (the value of NDIS_STATUS).
 *
 * Threading model: one host is driven from one passive thread.
 */
#ifndef NIRQ_HOST_H
#define NIRQ_HOST_H

#include <ndisirq/ndisirq.h>

#ifdef __cplusplus
extern "C" {
#endif

struct nirq_host;
struct nirq_adapter;

/** The shape of DriverEntry: NTSTATUS (PDRIVER_OBJECT, PUNICODE_STRING). */
typedef int32_t nirq_driver_entry_fn(void *driver_object, void *registry_path);

/** nirq_host_create() - a host on runtime @rt. Return: 0 or -ENOMEM. */
NIRQ_API NIRQ_MUST_CHECK int nirq_host_create(struct nirq_rt *rt,
					      struct nirq_host **out);
/** nirq_host_destroy() - free @host; adapters must be stopped, the driver unloaded. */
NIRQ_API void nirq_host_destroy(struct nirq_host *host);

/**
 * nirq_host_load() - dlopen @path, find DriverEntry, call it at PASSIVE.
 * *@status gets DriverEntry's NTSTATUS. Return: 0 when DriverEntry was
 * called (check *@status); -ENOENT/-ENOEXEC with a log line when the object
 * cannot be loaded or has no DriverEntry; -EBUSY when a driver is loaded.
 */
NIRQ_API NIRQ_MUST_CHECK int nirq_host_load(struct nirq_host *host,
					    const char *path, int32_t *status);
/** nirq_host_load_entry() - the same with an in-process DriverEntry. */
NIRQ_API NIRQ_MUST_CHECK int nirq_host_load_entry(struct nirq_host *host,
						  nirq_driver_entry_fn *entry,
						  int32_t *status);
/**
 * nirq_host_unload() - call the driver's MiniportDriverUnload (PASSIVE) and
 * release the registration and the shared object.
 */
NIRQ_API void nirq_host_unload(struct nirq_host *host);

/**
 * nirq_host_adapter_start() - the PnP start of a device: create the adapter
 * for @pf with policy @pol and assign its interrupt resources (nirq_assign).
 * Return: 0; -ENOENT (no driver registered); -ENOMEM; -errno from assignment.
 */
NIRQ_API NIRQ_MUST_CHECK int nirq_host_adapter_start(struct nirq_host *host,
						     struct nirq_platform *pf,
						     const struct nirq_policy *pol,
						     struct nirq_adapter **out);
/**
 * nirq_host_adapter_initialize() - call MiniportInitializeEx at PASSIVE on a
 * passive thread with the adapter's NDIS_MINIPORT_INIT_PARAMETERS. Returns
 * its NDIS_STATUS. On failure the verifier checks that the interrupt was
 * deregistered (bugcheck 0x7C/0x0B on Windows).
 */
NIRQ_API int32_t nirq_host_adapter_initialize(struct nirq_adapter *ad);
/**
 * nirq_host_adapter_halt() - call MiniportHaltEx (NdisHaltDeviceDisabled)
 * at PASSIVE; afterwards the verifier checks that the interrupt was
 * deregistered (bugcheck 0x7C/0x08 on Windows) and deregisters it itself.
 */
NIRQ_API void nirq_host_adapter_halt(struct nirq_adapter *ad);
/** nirq_host_adapter_stop() - free the adapter's resources and the adapter. */
NIRQ_API void nirq_host_adapter_stop(struct nirq_adapter *ad);

/** nirq_host_adapter_grant() - the adapter's interrupt grant and statistics. */
NIRQ_API const struct nirq_grant *nirq_host_adapter_grant(const struct nirq_adapter *ad);
/** nirq_host_adapter_platform() - the adapter's device. */
NIRQ_API struct nirq_platform *nirq_host_adapter_platform(const struct nirq_adapter *ad);
/**
 * nirq_host_adapter_interrupt_type() - what NdisMRegisterInterruptEx granted
 * (1 NDIS_CONNECT_LINE_BASED, 2 NDIS_CONNECT_MESSAGE_BASED) and its message
 * count; 0 when no interrupt has been registered since start.
 */
NIRQ_API int nirq_host_adapter_interrupt_type(const struct nirq_adapter *ad,
					      uint32_t *messages);

#ifdef __cplusplus
}
#endif
#endif /* NIRQ_HOST_H */
