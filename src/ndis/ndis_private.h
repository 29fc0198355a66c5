/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Private to src/ndis and src/host: the objects behind NDIS handles. The
 * NDIS shims translate handles to these and call the native API.
 */
#ifndef NDIS_PRIVATE_H
#define NDIS_PRIVATE_H

#include <stdint.h>

#include <ndisirq/ndisirq.h>
#include <ndisirq/nirq_host.h>

#define NDIS_ADAPTER_MAGIC 0x4e414450u /* "NADP" */
#define NDIS_DRIVER_MAGIC 0x4e445256u  /* "NDRV" */

/* Adapter lifecycle, as the verifier sees it. */
enum ndis_adapter_state {
	NDIS_ADAPTER_STARTED,      /* resources assigned, initialize not called */
	NDIS_ADAPTER_INITIALIZING, /* inside MiniportInitializeEx */
	NDIS_ADAPTER_RUNNING,      /* initialize succeeded */
	NDIS_ADAPTER_HALTING,      /* inside MiniportHaltEx */
	NDIS_ADAPTER_HALTED,       /* halt returned, or initialize failed */
};

struct ndis_interrupt;
struct ndis_dma_state;

/*
 * struct nirq_adapter - the object behind MiniportAdapterHandle.
 *
 * Keys: (c) constant after start; (p) touched only from the passive thread
 * that drives the adapter (initialize, halt, NdisM* calls at PASSIVE).
 */
struct nirq_adapter {
	uint32_t magic;                     /* (c) NDIS_ADAPTER_MAGIC */
	struct nirq_host *host;             /* (c) */
	struct nirq_rt *rt;                 /* (c) */
	struct nirq_platform *pf;           /* (c) */
	struct nirq_policy policy;          /* (c) */
	struct nirq_grant grant;            /* (c) after start; stats (a) */
	enum ndis_adapter_state state;      /* (p) */
	int attributes_set;                 /* (p) NdisMSetMiniportAttributes done */
	void *miniport_adapter_context;     /* (p) from the registration attributes */
	struct ndis_interrupt *interrupt;   /* (p) the registered interrupt, or NULL */
	int registered_type;                /* (p) last granted NDIS_INTERRUPT_TYPE, 0 none */
	uint32_t registered_messages;       /* (p) its message count */
	void *resources;                    /* (c) the PNDIS_RESOURCE_LIST handed to init */
	uint32_t attribute_flags;           /* (p) registration AttributeFlags */
	struct ndis_dma_state *dma;         /* (p) S/G DMA registration, shared memory (ndis_dma.c) */
};

/**
 * ndis__adapter_from_handle() - the adapter behind MiniportAdapterHandle,
 * or NULL (after a verifier report naming @api) when it is not one.
 */
struct nirq_adapter *ndis__adapter_from_handle(void *handle, const char *api);

/**
 * ndis__interrupt_force_deregister() - used by the host after a halt or a
 * failed initialize that left the interrupt registered (already reported):
 * tears it down so the process can go on.
 */
void ndis__interrupt_force_deregister(struct nirq_adapter *ad);

/**
 * ndis__dma_release() - after MiniportHaltEx returned or MiniportInitializeEx
 * failed (@when says which): report each shared memory block and the
 * scatter/gather DMA registration the miniport left, then free them.
 * Context: passive.
 */
void ndis__dma_release(struct nirq_adapter *ad, const char *when);

#endif /* NDIS_PRIVATE_H */
