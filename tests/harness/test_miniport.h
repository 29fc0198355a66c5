/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * A tiny in-test NDIS 6.20 miniport for the unit tests of the NDIS interrupt
 * shims. It is loaded with an in-process DriverEntry (nirq_host_load_entry)
 * on the fake platform; its MiniportInitializeEx registers the interrupt as
 * the test's options say, and its ISRs and DPCs record every call (message,
 * processor, IRQL, context, throttle) and behave as the test says.
 *
 * One miniport per process: the state is the global `tm`. Tests run it on a
 * manual runtime unless they ask for threads.
 */
#ifndef NIRQ_TEST_MINIPORT_H
#define NIRQ_TEST_MINIPORT_H

#ifndef NDIS_MINIPORT_DRIVER
#define NDIS_MINIPORT_DRIVER 1
#endif
#ifndef NDIS620_MINIPORT
#define NDIS620_MINIPORT 1
#endif
#include <ndis.h>

#include <pthread.h>
#include <stdbool.h>

#include <ndisirq/ndisirq.h>
#include <ndisirq/nirq_host.h>

#include "fake_platform.h"
#include "test_util.h"

#define TM_MAX_DPCS 512u

struct tm_options {
	unsigned processors;             /* default 4 */
	bool threaded;                   /* default false: manual runtime */
	struct fake_platform_config pf;  /* default fake_platform_config_init() */
	struct nirq_policy policy;       /* default nirq_policy_init() */
	bool skip_attributes;            /* no NdisMSetMiniportAttributes in init */
	bool skip_register;              /* no NdisMRegisterInterruptEx in init */
	bool register_twice;             /* a second NdisMRegisterInterruptEx in init */
	bool skip_dereg_in_halt;         /* halt forgets NdisMDeregisterInterruptEx */
	bool fail_after_register;        /* init fails, forgetting to deregister */
	/* The characteristics init registers with: valid (MsiSupported, all
	 * eight handlers) after tm_options_init; tests break what they test. */
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS chars;
};

struct tm_dpc {
	ULONG msg;
	bool line;                       /* the line DPC handler was called */
	ULONG proc;
	KIRQL irql;
	PVOID ctx;
	ULONG max_nbls;
};

typedef void tm_isr_hook(ULONG msg);
typedef BOOLEAN tm_isr_body(ULONG msg);
typedef void tm_dpc_hook(ULONG msg, PVOID dpc_ctx);
typedef void tm_sync_hook(void);

/* The one miniport's state. Behaviour fields are set before the calls they
 * affect; records are read with the tm_* accessors (they lock). */
struct test_miniport {
	struct tm_options opt;
	struct test_log log;
	struct nirq_rt *rt;
	struct nirq_platform *pf;
	struct nirq_host *host;
	struct nirq_adapter *ad;
	int32_t entry_status;

	NDIS_HANDLE driver_handle;
	NDIS_HANDLE adapter_handle;      /* MiniportAdapterHandle */
	NDIS_HANDLE interrupt;           /* NdisInterruptHandle, NULL when none */
	NDIS_HANDLE interrupt2;          /* (register_twice) */
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS chars;  /* as registered (outputs) */
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS chars2; /* (register_twice) */
	NDIS_STATUS register_status, register_status2;
	uint64_t reports_before_register, reports_after_register;
	uint64_t reports_after_register2;
	PNDIS_RESOURCE_LIST resources;   /* AllocatedResources */
	PUCHAR regs;                     /* BAR0 mapping */
	ULONG regs_len;
	KIRQL init_irql, halt_irql;
	bool halted;

	/* behaviour */
	BOOLEAN isr_return;              /* default TRUE */
	BOOLEAN queue_default;
	ULONG targets;
	unsigned more_pending;           /* MoreNblsPending on the first N DPC calls */
	tm_isr_hook *isr_hook;           /* inside the ISR, after recording */
	tm_isr_body *isr_body;           /* if set, decides the ISR's return value */
	tm_dpc_hook *dpc_hook;           /* inside the DPC, after recording */
	tm_sync_hook *init_hook;         /* inside init, before registering */
	tm_sync_hook *halt_hook;         /* inside halt, before deregistering */

	/* records */
	pthread_mutex_t lock;
	unsigned line_isr_calls, msg_isr_calls;
	unsigned isr_calls[NIRQ_MAX_MESSAGES];
	ULONG isr_proc[NIRQ_MAX_MESSAGES];
	KIRQL isr_irql[NIRQ_MAX_MESSAGES];
	unsigned wrong_context;          /* MiniportInterruptContext != &tm */
	unsigned ctl_calls;              /* enable/disable handler calls */
	struct tm_dpc dpc[TM_MAX_DPCS];
	unsigned ndpc;
	unsigned dpc_calls;
	bool poisoned;
	unsigned calls_after_poison;
};

extern struct test_miniport tm;

void tm_options_init(struct tm_options *o);

/**
 * tm_start() - runtime (log captured), fake platform, host, DriverEntry,
 * adapter start. Return: 0 or the failing call's -errno.
 */
int tm_start(const struct tm_options *o);
/** tm_initialize() - nirq_host_adapter_initialize: MiniportInitializeEx. */
NDIS_STATUS tm_initialize(void);
/** tm_halt() - nirq_host_adapter_halt: MiniportHaltEx. */
void tm_halt(void);
/** tm_stop() - halt if running, stop, unload, free everything. Idempotent. */
void tm_stop(void);

/** tm_chars_init() - valid characteristics: MsiSupported, all handlers. */
void tm_chars_init(NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS *c);

/** tm_register() - NdisMRegisterInterruptEx on tm's adapter with @c. */
NDIS_STATUS tm_register(PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS c, PNDIS_HANDLE h);

/** tm_passive() - run @fn(@arg) as a passive thread of tm's runtime. */
void tm_passive(void (*fn)(void *), void *arg);

unsigned tm_isr_calls(ULONG msg);
unsigned tm_dpc_count(void);
struct tm_dpc tm_dpc_at(unsigned i);
/** tm_dpcs_on() - DPC calls for @msg on processor @proc. */
unsigned tm_dpcs_on(ULONG msg, ULONG proc);
void tm_poison(void);
unsigned tm_calls_after_poison(void);

/** tm_grant() - the adapter's grant (targets, stats). */
const struct nirq_grant *tm_grant(void);

#endif /* NIRQ_TEST_MINIPORT_H */
