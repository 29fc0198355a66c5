/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The stress tier (label `stress`): what the in-test miniport
 * (stress_miniport.c, NDIS side) and the driver program (stress_main.c,
 * native side) share — simulated devices with their interrupt "tokens", one
 * registration's poisonable context, and the process-wide counters the
 * invariants are checked against. Nothing here includes <ndis.h>.
 */
#ifndef NIRQ_STRESS_H
#define NIRQ_STRESS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <ndisirq/ndisirq.h>
#include <ndisirq/nirq_host.h>
#include <ndisirq/nirq_platform_sim.h>

#define STRESS_PROCS 8       /* logical processors: more than the host's CPUs */
#define STRESS_MAX_MSGS 5    /* e1000e MSI-X: RxQ0, RxQ1, TxQ0, TxQ1, Other */
#define STRESS_MAX_TOKENS 32 /* one per cause bit of the device's status register */

/*
 * A token is one cause bit of a device's status register (edu status, e1000
 * ICR). The injector raises a bit only while its token is FREE, so a bit is
 * never raised twice before an ISR saw it: every raise is accounted for
 * exactly once — seen by an ISR (alone, or coalesced with other bits into one
 * ISR call that read them all), or raised outside a registration.
 *
 *   FREE --injector--> RAISING --inject returned--> STRICT (raised entirely
 *   inside a registration: an ISR of that registration must see it before
 *   NdisMDeregisterInterruptEx returns) or EXEMPT (raised while no
 *   registration was live, or after deregistration began).
 *   Any state --ISR saw the bit--> FREE. STRICT at deregistration --> LOST.
 *   EXEMPT and LOST --initialize cleared the device--> FREE.
 */
enum stress_tok_state { TOK_FREE, TOK_RAISING, TOK_STRICT, TOK_EXEMPT, TOK_LOST };

struct stress_token {
	atomic_int state;    /* enum stress_tok_state */
	uint32_t bit;        /* (c) the cause bit */
	uint32_t msg;        /* (c) the message it is routed to (0 for MSI and lines) */
};

/* One interrupt lock domain: a message, all messages (MsiSyncWithAllMessages) or a line. */
struct stress_domain {
	atomic_int in_isr;   /* an ISR of this domain is running */
	atomic_int in_sync;  /* a synchronize callback of this domain is running */
	uint32_t isr_seq;    /* touched only by ISRs, under the interrupt lock */
};

#define STRESS_REG_LIVE 0x4c495645u   /* "LIVE" */
#define STRESS_REG_POISON 0xdeadbeefu

/*
 * One registration: the MiniportInterruptContext. Poisoned right after
 * NdisMDeregisterInterruptEx returns and kept allocated until the end of the
 * run, so a late callback is counted, never a use after free.
 */
struct stress_reg {
	atomic_uint magic;           /* STRESS_REG_LIVE, then STRESS_REG_POISON */
	struct stress_dev *dev;      /* (c) */
	void *handle;                /* NdisInterruptHandle, written before arming */
	unsigned char *regs;         /* (c) BAR0 as NdisMMapIoSpace mapped it */
	uint64_t serial;             /* (c) registration number of the device */
	struct stress_reg *next;     /* the device's list of retired registrations */
};

struct stress_host;

/*
 * One simulated device and its adapter. (c): constant after creation; (d):
 * touched by the thread that drives the adapter (and its passive threads);
 * (g): guarded by @gate; (a): atomic.
 */
struct stress_dev {
	char name[40];                      /* (c) */
	enum nirq_sim_model model;          /* (c) */
	enum nirq_intr_kind kind;           /* (c) the grant the policy must give */
	bool sync_all;                      /* (c) MsiSyncWithAllMessages */
	unsigned nroute;                    /* (c) MSI-X: causes spread over this many messages */
	bool foreign;                       /* (c) a foreign device shares the line */
	bool msi_driver;                    /* (c) MsiSupported even when a line is expected */
	bool churn;                         /* (c) registered and deregistered in a loop */
	struct nirq_platform *pf;           /* (c) */
	struct nirq_policy pol;             /* (c) */
	unsigned ntok;                      /* (c) */
	struct stress_token tok[STRESS_MAX_TOKENS];
	int8_t tok_of_bit[32];              /* (c) token index of a cause bit, -1 none */
	uint32_t tokmask;                   /* (c) every token bit */
	uint32_t msg_bits[STRESS_MAX_MSGS]; /* (c) token bits routed to each message */
	struct stress_host *host;           /* (c) */

	struct nirq_adapter *ad;            /* (d) the started adapter */
	void *adapter_handle;               /* (d) MiniportAdapterHandle while initialized */
	unsigned target[STRESS_MAX_MSGS];   /* (d) processor of each message, from the grant */
	bool fail_next_init;                /* (d) initialize registers, then fails */
	struct stress_reg *retired;         /* (d) every registration, for the final free */
	uint64_t serial;                    /* (d) registrations so far */
	unsigned char *regs;                /* (d) BAR0 while initialized */
	uint32_t bar_len;                   /* (d) */

	atomic_uint phase;                  /* (a) even: registered and enabled; odd: not */
	pthread_mutex_t gate;               /* passive callers against halt */
	bool open;                          /* (g) NdisMQueueDpcEx/Synchronize allowed */
	struct stress_reg *reg;             /* (g) the live registration */
	unsigned nmsg;                      /* (g) its message count (1 for a line) */

	struct stress_domain dom[STRESS_MAX_MSGS];
	/* DPC accounting of the live registration, reset by initialize. */
	atomic_ullong set_bits[STRESS_MAX_MSGS][STRESS_PROCS]; /* NdisMQueueDpcEx bits returned set */
	atomic_ullong ctx_runs[STRESS_MAX_MSGS][STRESS_PROCS]; /* DPC runs with a MiniportDpcContext */
	atomic_int in_dpc[STRESS_MAX_MSGS][STRESS_PROCS];      /* a DPC object runs */
	uint32_t dpc_seq[STRESS_MAX_MSGS][STRESS_PROCS];       /* only on processor p */
	atomic_ullong isr_this_reg;         /* (a) ISR calls that saw a token, this registration */
};

/* Sources of NdisMQueueDpcEx and NdisMSynchronizeWithInterruptEx calls. */
enum stress_src { SRC_ISR, SRC_DPC, SRC_PASSIVE, SRC__COUNT };

/* Process-wide counters; all relaxed atomics. */
struct stress_totals {
	atomic_ullong raised[4];         /* by enum nirq_intr_kind of the device */
	atomic_ullong raised_strict, raised_exempt;
	atomic_ullong foreign_asserts;
	atomic_ullong isr_calls, isr_claimed, isr_empty;
	atomic_ullong seen, seen_exempt, coalesced;
	atomic_ullong lost, phantom, reclaimed, token_errors;
	atomic_ullong dpc_runs, dpc_ctx_runs, more_nbls;
	atomic_ullong qdpc_calls[SRC__COUNT], qdpc_bits[SRC__COUNT];
	atomic_ullong set_bits_checked, dpc_mismatch;
	atomic_ullong sync_calls[SRC__COUNT];
	atomic_ullong sync_isr_overlap, sync_sync_overlap, isr_isr_overlap, dpc_self_overlap;
	atomic_ullong late_isr, late_dpc, late_sync;
	atomic_ullong irql_errors, processor_errors, bad_ctx, grant_errors;
	atomic_ullong cycles, failed_inits, restarts, init_errors;
};

extern struct stress_totals stress_tot;

#define stress_add(field, n) atomic_fetch_add_explicit(&(field), (n), memory_order_relaxed)
#define stress_get(field) atomic_load_explicit(&(field), memory_order_relaxed)

/* One host (one loaded copy of the in-test miniport), driven by one thread. */
struct stress_host {
	struct nirq_host *host;
	void *driver_handle;             /* NdisMiniportDriverHandle */
	struct stress_dev *initializing; /* the device MiniportInitializeEx is for */
};

/* ---- stress_miniport.c: the in-test NDIS miniport ---- */

/* The host being loaded or unloaded (DriverEntry and MiniportDriverUnload use it). */
extern struct stress_host *stress_loading_host;

/** stress_driver_entry() - DriverEntry of the in-test miniport. */
int32_t stress_driver_entry(void *driver_object, void *registry_path);

/**
 * stress_passive_op() - from a passive thread: NdisMQueueDpcEx or
 * NdisMSynchronizeWithInterruptEx on @dev's live registration, if any,
 * chosen by @rnd. Context: PASSIVE, any thread.
 */
void stress_passive_op(struct stress_dev *dev, uint32_t rnd);

/** stress_error() - print one violation (the first few of each kind). */
void stress_error(const char *what, const char *fmt, ...) NIRQ_PRINTF(2, 3);

#endif /* NIRQ_STRESS_H */
