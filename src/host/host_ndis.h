/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Private to src/host and src/ndis/ndis_miniport.c: the seam between the
 * native miniport host (no NDIS names) and the NDIS side of the driver and
 * adapter objects (DRIVER_OBJECT, characteristics, init parameters).
 */
#ifndef HOST_NDIS_H
#define HOST_NDIS_H

#include <stdbool.h>
#include <stdint.h>

#include <ndisirq/ndisirq.h>
#include <ndisirq/nirq_host.h>

/* NDIS_STATUS values the native host needs (spec §2.2), as plain numbers. */
#define NIRQ__STATUS_SUCCESS ((int32_t)0x00000000)
#define NIRQ__STATUS_FAILURE ((int32_t)0xC0000001u)
#define NIRQ__STATUS_RESOURCES ((int32_t)0xC000009Au)

/* The DRIVER_OBJECT of one loaded miniport (defined in ndis_miniport.c). */
struct ndis_driver;

/* ----------------------------------------- implemented in src/host/host.c */

/** nirq__host_driver() - the driver object of @host, or NULL. Context: any. */
struct ndis_driver *nirq__host_driver(const struct nirq_host *host);

/* ------------------------------ implemented in src/ndis/ndis_miniport.c */

/**
 * ndis__driver_create() - a fresh DRIVER_OBJECT for @host (nothing
 * registered yet). Context: passive. Return: 0 or -ENOMEM.
 */
int ndis__driver_create(struct nirq_host *host, struct nirq_rt *rt,
			struct ndis_driver **out);

/** ndis__driver_destroy() - free @drv (NULL is fine). Context: passive. */
void ndis__driver_destroy(struct ndis_driver *drv);

/**
 * ndis__driver_call_entry() - call @entry(DriverObject, RegistryPath) on the
 * calling thread, which must be a passive thread of the runtime.
 * Return: DriverEntry's NTSTATUS.
 */
int32_t ndis__driver_call_entry(struct ndis_driver *drv,
				nirq_driver_entry_fn *entry);

/** ndis__driver_registered() - NdisMRegisterMiniportDriver succeeded and
 *  NdisMDeregisterMiniportDriver was not called since. */
bool ndis__driver_registered(const struct ndis_driver *drv);

/**
 * ndis__driver_call_unload() - call the characteristics' UnloadHandler
 * (if any) on the calling passive thread. Return: true when it was called.
 */
bool ndis__driver_call_unload(struct ndis_driver *drv);

/**
 * ndis__adapter_create() - allocate a zeroed adapter (with its NDIS-side
 * extension: I/O mappings, init parameters) and set its magic.
 * Context: passive. Return: 0 or -ENOMEM.
 */
int ndis__adapter_create(struct nirq_adapter **out);

/**
 * ndis__adapter_destroy() - unmap what the miniport left mapped (with a
 * warning), free the resource list and the adapter. Context: passive.
 */
void ndis__adapter_destroy(struct nirq_adapter *ad);

/**
 * ndis__adapter_build_resources() - build the CM_PARTIAL_RESOURCE_LIST of
 * @ad (its memory BARs, then its granted interrupt resources) into
 * ad->resources. Context: passive. Return: 0; -ENOMEM; -errno from the
 * platform's bar_info.
 */
int ndis__adapter_build_resources(struct nirq_adapter *ad);

/**
 * ndis__adapter_call_initialize() - call InitializeHandlerEx with the
 * adapter handle, the driver context and the init parameters on the calling
 * passive thread. Return: its NDIS_STATUS.
 */
int32_t ndis__adapter_call_initialize(struct nirq_adapter *ad,
				      struct ndis_driver *drv);

/**
 * ndis__adapter_call_halt() - call HaltHandlerEx(MiniportAdapterContext,
 * NdisHaltDeviceDisabled) on the calling passive thread.
 */
void ndis__adapter_call_halt(struct nirq_adapter *ad, struct ndis_driver *drv);

/** ndis__adapter_mappings() - NdisMMapIoSpace mappings still live on @ad. */
unsigned ndis__adapter_mappings(const struct nirq_adapter *ad);

#endif /* HOST_NDIS_H */
