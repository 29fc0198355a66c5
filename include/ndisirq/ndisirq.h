/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * ndisirq native API: the interrupt runtime under the NDIS surface.
 *
 * THE NATIVE API IS UNSTABLE UNTIL 1.0: names, structs and semantics may
 * change in any release. The NDIS surface (<ndis.h>) follows Microsoft's
 * contract and is the stable face of the project.
 *
 * Threading model: every function is safe from any thread unless its
 * contract says otherwise. Callbacks run on processor threads (ISRs at
 * DIRQL, DPCs at DISPATCH) or on the caller's thread (sync callbacks). The
 * library never prints by itself: log lines go to the sink given at runtime
 * creation.
 *
 * Errors: 0 on success, a negative errno on failure; results go through
 * out-parameters.
 */
#ifndef NDISIRQ_H
#define NDISIRQ_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ndisirq/nirq_platform.h>
#include <ndisirq/nirq_version.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define NIRQ_API __attribute__((visibility("default")))
#define NIRQ_MUST_CHECK __attribute__((warn_unused_result))
#define NIRQ_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define NIRQ_API
#define NIRQ_MUST_CHECK
#define NIRQ_PRINTF(f, a)
#endif

/** Most logical processors of one runtime (one KAFFINITY group). */
#define NIRQ_MAX_PROCESSORS 64
/** Most messages of one interrupt (MSI-X allows 2048; 64 is enough here). */
#define NIRQ_MAX_MESSAGES 64

/* Emulated IRQLs (the values of wdm.h for x64). */
#define NIRQ_IRQL_PASSIVE 0
#define NIRQ_IRQL_DISPATCH 2
/* The synthetic DIRQL of every interrupt: above DISPATCH, below HIGH (15). */
#define NIRQ_IRQL_DIRQL 8

NIRQ_API const char *nirq_version(void);

/* ------------------------------------------------------------------ log */

enum nirq_log_level { NIRQ_LOG_ERROR, NIRQ_LOG_WARN, NIRQ_LOG_INFO, NIRQ_LOG_DEBUG };

/** A log sink: one complete line, without the trailing newline. */
typedef void nirq_log_fn(void *arg, enum nirq_log_level level, const char *line);

/** nirq_log_stderr() - a sink that prints "ndisirq: <line>" to stderr. */
NIRQ_API nirq_log_fn nirq_log_stderr;

/* -------------------------------------------------------------- runtime */

struct nirq_rt;

struct nirq_rt_config {
	size_t size;             /* sizeof(struct nirq_rt_config) */
	unsigned processors;     /* 1..NIRQ_MAX_PROCESSORS; 0 = online CPUs */
	bool manual;             /* no threads: the caller steps processors */
	nirq_log_fn *log;        /* NULL: lines are dropped */
	void *log_arg;
};

static inline void nirq_rt_config_init(struct nirq_rt_config *cfg)
{
	*cfg = (struct nirq_rt_config){ .size = sizeof(*cfg) };
}

/**
 * nirq_rt_create() - create a runtime with its logical processors.
 *
 * Processor p is a thread pinned to host CPU (p mod online CPUs); it runs
 * the ISRs of the vectors targeted at it and the DPCs queued on it. In
 * manual mode no thread is started and nirq_processor_run_once() steps p.
 *
 * Context: passive. Return: 0; -EINVAL (bad size or processor count);
 * -ENOMEM; -EAGAIN (thread creation failed); -EMFILE.
 */
NIRQ_API NIRQ_MUST_CHECK int nirq_rt_create(const struct nirq_rt_config *cfg,
					    struct nirq_rt **out);

/**
 * nirq_rt_destroy() - stop the processors and free @rt. Every interrupt of
 * @rt must have been disconnected. Context: passive; not from a processor.
 */
NIRQ_API void nirq_rt_destroy(struct nirq_rt *rt);

NIRQ_API unsigned nirq_rt_processors(const struct nirq_rt *rt);
NIRQ_API bool nirq_rt_manual(const struct nirq_rt *rt);

/**
 * nirq_processor_run_once() - manual mode: run processor @p once: dispatch
 * the vectors that have fired (ISRs), then drain its DPC queue.
 * Context: passive thread of a manual runtime (the caller becomes processor
 * @p for the duration). Return: number of ISR and DPC calls made.
 */
NIRQ_API unsigned nirq_processor_run_once(struct nirq_rt *rt, unsigned p);

/** nirq_rt_run_until_idle() - manual mode: step every processor until none has work. */
NIRQ_API unsigned nirq_rt_run_until_idle(struct nirq_rt *rt);

/**
 * nirq_rt_run_passive() - run @fn(@arg) at PASSIVE_LEVEL as a passive thread
 * of @rt (MiniportInitializeEx and MiniportHaltEx run so): on the calling
 * thread, with its context (runtime, IRQL) set for the call and restored.
 * Context: passive; not from a processor. Return: 0; -EPERM when called
 * from a processor thread or above PASSIVE.
 */
NIRQ_API NIRQ_MUST_CHECK int nirq_rt_run_passive(struct nirq_rt *rt,
						 void (*fn)(void *), void *arg);

/** nirq_log() - format a line to @rt's sink. Not on the interrupt path. */
NIRQ_API void nirq_log(struct nirq_rt *rt, enum nirq_log_level level,
		       const char *fmt, ...) NIRQ_PRINTF(3, 4);

/**
 * nirq_verifier_report() - report misuse that Windows answers with a
 * bugcheck or an SDV rule: logs "verifier: <rule>: handle <h>: <text>" as an
 * error and counts it. The process keeps running.
 */
NIRQ_API void nirq_verifier_report(struct nirq_rt *rt, const char *rule,
				   const void *handle, const char *fmt, ...)
	NIRQ_PRINTF(4, 5);

/** nirq_rt_reports() - verifier reports so far. A clean run has 0. */
NIRQ_API uint64_t nirq_rt_reports(const struct nirq_rt *rt);

/* ------------------------------------------------------ execution context */

/** nirq_irql_current() - the calling thread's emulated IRQL. */
NIRQ_API uint8_t nirq_irql_current(void);
/** nirq_irql_raise()/lower() - set the thread's IRQL; raise returns the old one. */
NIRQ_API uint8_t nirq_irql_raise(uint8_t irql);
NIRQ_API void nirq_irql_lower(uint8_t irql);
/** nirq_processor_current() - the processor the thread is, or -1 (passive thread). */
NIRQ_API int nirq_processor_current(void);
/** nirq_rt_current() - the runtime of the current processor or passive thread, or NULL. */
NIRQ_API struct nirq_rt *nirq_rt_current(void);

/* ---------------------------------------------------- assignment (PnP) */

/** Adapter policy: the registry values of spec §10.2 plus the throttle. */
struct nirq_policy {
	uint32_t msi_supported;        /* MSISupported, default 1 */
	uint32_t message_number_limit; /* MessageNumberLimit, 0 = no limit */
	uint32_t max_nbls_to_indicate; /* MaxNblsToIndicate, default 0xFFFFFFFF */
};

NIRQ_API void nirq_policy_init(struct nirq_policy *pol);

/**
 * nirq_policy_set() - set policy @name (MSISupported, MessageNumberLimit,
 * MaxNblsToIndicate; case-sensitive) from decimal or 0x-hex @value.
 * Return: 0; -ENOENT unknown name; -EINVAL bad number; -ERANGE out of range
 * (MSISupported is 0 or 1; MessageNumberLimit 1..2048; MaxNblsToIndicate >= 1).
 * On error *@why (if given) points to a static sentence naming the rule.
 */
NIRQ_API NIRQ_MUST_CHECK int nirq_policy_set(struct nirq_policy *pol,
					     const char *name, const char *value,
					     const char **why);

/** Per (message, processor) counters. */
struct nirq_msg_stats {
	uint64_t interrupts; /* ISR calls */
	uint64_t claimed;    /* ISR returned TRUE */
	uint64_t dpcs;       /* DPC calls */
	uint64_t coalesced;  /* queue requests that found the DPC already queued */
};

/** ISR -> DPC latency histogram of one message (log-linear buckets, ns). */
#define NIRQ_LAT_BUCKETS 256
struct nirq_lat_hist {
	uint64_t count;
	uint64_t bucket[NIRQ_LAT_BUCKETS];
};

/**
 * struct nirq_grant - the interrupt resources assigned to an adapter at
 * start: kind, message count and each message's processor. Owned by the
 * caller of nirq_assign(); the statistics live here so they outlive the
 * interrupt object.
 */
struct nirq_grant {
	enum nirq_intr_kind kind;       /* NONE: device has no interrupt */
	uint32_t count;                 /* messages; 1 for a line */
	uint32_t processors;            /* of the runtime, for the stats array */
	unsigned target[NIRQ_MAX_MESSAGES];    /* processor of each message */
	uint32_t vector[NIRQ_MAX_MESSAGES];    /* platform vector numbers */
	uint32_t max_nbls_to_indicate;
	struct nirq_msg_stats *stats;   /* [count][processors] */
	struct nirq_lat_hist *latency;  /* [count] */
	uint64_t unclaimed_line;        /* line ISR returned FALSE (shared line) */
	uint32_t connected;             /* an interrupt is connected to it */
	uint32_t enabled;               /* the vectors are enabled at the platform:
					 * from nirq_assign() to the disconnect,
					 * again from the next connect */
};

/**
 * nirq_assign() - decide and allocate the interrupt resources of the device
 * behind @pf, as the PnP manager does before MiniportInitializeEx: MSI-X if
 * the policy allows and the device has it, else MSI, else the line;
 * count = min(offered, MessageNumberLimit); if the platform cannot provide
 * that many, one message (F4); if it cannot provide any, the line. Messages
 * are spread over the processors round-robin. The vectors are allocated and
 * masked; nirq_intr_connect() arms them. nirq_intr_disconnect() disables
 * them at the platform (VFIO: count = 0, nothing left in /proc/interrupts);
 * a later connect of the same grant enables them again.
 *
 * Context: passive. Return: 0 (kind may be NONE: the device has no
 * interrupt); -ENOMEM; -errno from the platform when even the line fails.
 */
NIRQ_API NIRQ_MUST_CHECK int nirq_assign(struct nirq_rt *rt,
					 struct nirq_platform *pf,
					 const struct nirq_policy *pol,
					 struct nirq_grant *out);

/** nirq_unassign() - free the vectors and statistics of @grant. */
NIRQ_API void nirq_unassign(struct nirq_platform *pf, struct nirq_grant *grant);

NIRQ_API const char *nirq_kind_name(enum nirq_intr_kind kind);

/* ----------------------------------------------------------- interrupts */

struct nirq_intr;

/** Receive throttle handed to every DPC: layout of NDIS_RECEIVE_THROTTLE_PARAMETERS. */
struct nirq_throttle {
	uint32_t max_nbls_to_indicate;
	uint32_t more_nbls_pending : 1;
};

/**
 * nirq_isr_fn - an interrupt service routine. Context: ISR (DIRQL), on the
 * message's processor, under the message's interrupt lock.
 * @msg is the message (0 for a line). Return true if the device raised it.
 * Whatever it returns, *@queue_default (DPC on this processor) and
 * *@target_procs (bit n = processor n, 0..31) queue DPCs.
 */
typedef bool nirq_isr_fn(void *ctx, uint32_t msg, bool *queue_default,
			 uint32_t *target_procs);
/** nirq_dpc_fn - deferred routine. Context: DPC (DISPATCH), on its processor. */
typedef void nirq_dpc_fn(void *ctx, uint32_t msg, void *dpc_ctx,
			 struct nirq_throttle *throttle);
/** nirq_intr_ctl_fn - enable/disable callback. Context: DIRQL under the lock. */
typedef void nirq_intr_ctl_fn(void *ctx, uint32_t msg);
/** nirq_sync_fn - synchronize callback. Context: DIRQL under the lock. */
typedef bool nirq_sync_fn(void *sync_ctx);

struct nirq_intr_config {
	size_t size;                 /* sizeof(struct nirq_intr_config) */
	void *ctx;                   /* handed to every callback */
	nirq_isr_fn *isr;            /* required */
	nirq_dpc_fn *dpc;            /* required */
	nirq_intr_ctl_fn *enable;    /* optional (diagnostics only) */
	nirq_intr_ctl_fn *disable;   /* optional (diagnostics only) */
	bool sync_all;               /* one lock for every message */
	const void *handle;          /* what verifier reports name (the NDIS handle) */
};

static inline void nirq_intr_config_init(struct nirq_intr_config *cfg)
{
	*cfg = (struct nirq_intr_config){ .size = sizeof(*cfg) };
}

/**
 * nirq_intr_connect() - connect @cfg's handlers to the vectors of @grant.
 *
 * Creates the interrupt locks and one DPC object per (message, processor),
 * attaches each vector to its processor and unmasks it. Interrupts can be
 * delivered before this returns (the device may already be raising them).
 *
 * Guarantees: on failure no callback was or will be called and nothing is
 *             left to disconnect.
 * Context:    passive; may block.
 * Return:     0; -EINVAL (bad config, or @grant kind NONE); -ENOMEM;
 *             -EBUSY (@grant is already connected); -ENOSPC, -ENODEV,
 *             -EMFILE from the platform when vectors disabled by an
 *             earlier disconnect cannot be enabled again.
 */
NIRQ_API NIRQ_MUST_CHECK int nirq_intr_connect(struct nirq_rt *rt,
					       struct nirq_platform *pf,
					       struct nirq_grant *grant,
					       const struct nirq_intr_config *cfg,
					       struct nirq_intr **out);

/**
 * nirq_intr_disconnect() - stop delivery on every vector of @intr and wait.
 *
 * Masks every vector, detaches it from its processor (each processor
 * acknowledges, so no ISR of @intr is running), waits until no DPC of @intr
 * is queued or running (queued DPCs still run), disables the vectors at
 * the platform (VFIO: count = 0, eventfds closed, nothing left in
 * /proc/interrupts), then frees the object. The grant keeps the decision
 * (kind, count, targets): a later nirq_intr_connect() enables the same
 * vectors again.
 *
 * Guarantees: after return no ISR, DPC or enable/disable callback of @intr
 *             runs again, and @intr is invalid.
 * Context:    passive; may block. From an ISR, DPC or sync callback of a
 *             processor this would deadlock: it is reported and returns
 *             -EDEADLK without tearing down.
 * Return:     0; -EDEADLK.
 */
NIRQ_API int nirq_intr_disconnect(struct nirq_intr *intr);

/**
 * nirq_intr_sync() - run @fn(@sync_ctx) at DIRQL holding the interrupt lock
 * of message @msg (of every message when the interrupt was connected with
 * sync_all; @msg is ignored for a line), and return its result.
 * Context: passive, DISPATCH or DIRQL (not inside an ISR of the same lock).
 */
NIRQ_API bool nirq_intr_sync(struct nirq_intr *intr, uint32_t msg,
			     nirq_sync_fn *fn, void *sync_ctx);

/**
 * nirq_dpc_queue() - queue the DPC of (@msg, p) for every processor p whose
 * bit is set in @targets, with @dpc_ctx as its context.
 *
 * Properties:
 *  - a (message, processor) DPC that is already queued is not queued again;
 *    its bit is clear in the result and the new context is not delivered;
 *  - a queued DPC runs at least once, on its processor, at DISPATCH;
 *  - one DPC object never runs concurrently with itself; the same routine
 *    does run concurrently for different messages or processors.
 * Context: any, including ISR; never allocates or blocks.
 * Return: the mask of processors on which a DPC was queued.
 */
NIRQ_API uint64_t nirq_dpc_queue(struct nirq_intr *intr, uint32_t msg,
				 uint64_t targets, void *dpc_ctx);

/** nirq_intr_grant() - the grant @intr was connected with. */
NIRQ_API const struct nirq_grant *nirq_intr_grant(const struct nirq_intr *intr);

/** nirq_intr_rt() - the runtime of @intr. */
NIRQ_API struct nirq_rt *nirq_intr_rt(const struct nirq_intr *intr);

/**
 * nirq_intr_enable()/nirq_intr_disable() - call the enable/disable callback
 * of @msg at DIRQL under its lock (diagnostics; NDIS never does it on the
 * fast path). No-op when the callback is NULL.
 */
NIRQ_API void nirq_intr_enable(struct nirq_intr *intr, uint32_t msg);
NIRQ_API void nirq_intr_disable(struct nirq_intr *intr, uint32_t msg);

/* ---------------------------------------------------------------- stats */

/** nirq_lat_percentile() - value (ns) at percentile @pct (0..100) of @h; 0 if empty. */
NIRQ_API uint64_t nirq_lat_percentile(const struct nirq_lat_hist *h, double pct);
/** nirq_lat_record() - add one sample of @ns nanoseconds. */
NIRQ_API void nirq_lat_record(struct nirq_lat_hist *h, uint64_t ns);

/** nirq_now_ns() - CLOCK_MONOTONIC in nanoseconds. */
NIRQ_API uint64_t nirq_now_ns(void);

/* ------------------------------------------------------------------ MMIO */

/**
 * nirq_mmio_map() - map BAR @bar of @pf and record the range so that
 * nirq_mmio_read/write on addresses inside it reach the device.
 * Return: 0; -ENOSPC (too many mappings); -errno from the platform.
 */
NIRQ_API NIRQ_MUST_CHECK int nirq_mmio_map(struct nirq_platform *pf, unsigned bar,
					   void **va);
NIRQ_API void nirq_mmio_unmap(void *va);

/**
 * nirq_mmio_read()/nirq_mmio_write() - a register access of @size bytes
 * (1, 2, 4) at @addr. Addresses inside a sim mapping go to the device model;
 * direct mappings (a real device's BAR) and unknown addresses are plain
 * volatile accesses.
 * Context: any.
 */
NIRQ_API uint32_t nirq_mmio_read(const volatile void *addr, unsigned size);
NIRQ_API void nirq_mmio_write(volatile void *addr, unsigned size, uint32_t val);

#ifdef __cplusplus
}
#endif
#endif /* NDISIRQ_H */
