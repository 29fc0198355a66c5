/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Private to src/core: the runtime's objects, their lock keys and the lock
 * order. Nothing outside src/core includes this file.
 */
#ifndef NIRQ_CORE_H
#define NIRQ_CORE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <ndisirq/ndisirq.h>

#include "os/spin.h"

/*
 * Lock order (outer to inner); one sentence per lock on what it serializes.
 *
 *   rt->wait_lock        sleeping waits of passive threads: processor acks of
 *                        control requests, DPC quiescence at disconnect.
 *     proc->ctl_lock     the processor's list of pending control requests.
 *     intr lock (spin)   a message's ISR against its sync callbacks (DIRQL);
 *                        held only around one callback.
 *       proc->q_lock     the processor's DPC queue (spin; never held while
 *                        calling out).
 *
 * Field keys: (c) constant after creation/connect; (a) atomic; (p) owned by
 * the processor thread; (q) guarded by proc->q_lock; (k) guarded by
 * proc->ctl_lock; (w) guarded by rt->wait_lock.
 */

/** One DPC object per (interrupt, message, processor). */
struct nirq_dpc {
	struct nirq_dpc *next;      /* (q) link in its processor's queue */
	struct nirq_intr *intr;     /* (c) */
	uint32_t msg;               /* (c) */
	unsigned proc;              /* (c) */
	atomic_bool queued;         /* (a) set by the queuer that wins, cleared before the run */
	void *ctx;                  /* written by the winning queuer, published by q_lock */
	uint64_t queued_ns;         /* idem: for the ISR -> DPC latency */
};

/** One vector of a connected interrupt, attached to its processor. */
struct nirq_vec {
	struct nirq_intr *intr;     /* (c) */
	uint32_t msg;               /* (c) MessageId; 0 for a line */
	unsigned proc;              /* (c) the processor that runs its ISR */
	int fd;                     /* (c) platform fd */
	struct nirq_spin *lock;     /* (c) its interrupt lock */
};

struct nirq_intr {
	struct nirq_rt *rt;                 /* (c) */
	struct nirq_platform *pf;           /* (c) */
	struct nirq_grant *grant;           /* (c) stats are (a) */
	struct nirq_intr_config cfg;        /* (c) */
	bool line;                          /* (c) */
	uint32_t count;                     /* (c) messages */
	struct nirq_vec *vec;               /* (c) [count] */
	struct nirq_spin *locks;            /* (c) [count], or [1] for sync_all/line */
	struct nirq_dpc *dpc;               /* (c) [count * processors] */
	atomic_long outstanding;            /* (a) DPCs queued or running */
};

/** A control request handed to a processor thread (detach a vector). */
struct nirq_ctl {
	struct nirq_ctl *next;              /* (k) */
	struct nirq_vec *vec;               /* vector to detach */
	bool done;                          /* (w) set by the processor */
};

struct nirq_proc {
	struct nirq_rt *rt;                 /* (c) */
	unsigned id;                        /* (c) */
	unsigned cpu;                       /* (c) host CPU it is pinned to */
	int epfd;                           /* (c) vectors + doorbell */
	int doorbell;                       /* (c) wakes the thread */
	pthread_t thread;                   /* (c) threaded mode */
	bool started;                       /* (c) */
	atomic_bool stop;                   /* (a) */
	struct nirq_spin q_lock;
	struct nirq_dpc *q_head, *q_tail;   /* (q) FIFO of queued DPCs */
	pthread_mutex_t ctl_lock;
	struct nirq_ctl *ctl;               /* (k) pending control requests */
};

struct nirq_rt {
	unsigned nproc;                     /* (c) */
	unsigned ncpu;                      /* (c) online host CPUs */
	bool manual;                        /* (c) */
	nirq_log_fn *log;                   /* (c) */
	void *log_arg;                      /* (c) */
	atomic_ullong reports;              /* (a) verifier reports */
	atomic_int waiters;                 /* (a) passive threads in wait_cv */
	atomic_int connected;               /* (a) interrupts connected */
	atomic_bool steer_logged;           /* (a) a refused IRQ steering was logged */
	pthread_mutex_t wait_lock;
	pthread_cond_t wait_cv;
	struct nirq_proc proc[];            /* (c) [nproc] */
};

/* Thread context: emulated IRQL, current processor, current runtime. */
void nirq__ctx_enter(struct nirq_rt *rt, int proc, uint8_t irql);
void nirq__ctx_leave(void);
/* The interrupt lock the thread holds (sync callbacks and ISRs), or NULL. */
struct nirq_spin *nirq__ctx_held_lock(void);
void nirq__ctx_set_held_lock(struct nirq_spin *lock);

/* Processor internals (proc.c). */
int nirq__proc_init(struct nirq_rt *rt, struct nirq_proc *p, unsigned id);
void nirq__proc_fini(struct nirq_proc *p);
int nirq__proc_start(struct nirq_proc *p);
void nirq__proc_stop(struct nirq_proc *p);
unsigned nirq__proc_step(struct nirq_proc *p, int timeout_ms);
int nirq__proc_attach(struct nirq_proc *p, struct nirq_vec *v);
void nirq__proc_detach(struct nirq_proc *p, struct nirq_vec *v);

/* DPC internals (dpc.c). */
bool nirq__dpc_try_queue(struct nirq_dpc *d, void *ctx);
unsigned nirq__proc_drain_dpcs(struct nirq_proc *p);

/* ISR dispatch (dispatch.c): one fired vector. */
unsigned nirq__dispatch_vector(struct nirq_proc *p, struct nirq_vec *v);

/* Passive-side waits: rt->wait_lock / wait_cv with the waiters count. */
void nirq__rt_wake_waiters(struct nirq_rt *rt);

/* Doorbell (src/os): an fd a processor waits on, rung from other threads. */
int nirq__doorbell_open(void);
void nirq__doorbell_ring(int fd);
void nirq__doorbell_drain(int fd);

/* Statistics of (msg, proc) in a grant. */
static inline struct nirq_msg_stats *nirq__stats(struct nirq_grant *g,
						 uint32_t msg, unsigned proc)
{
	return &g->stats[(size_t)msg * g->processors + proc];
}

#define nirq__count(field) __atomic_fetch_add(&(field), 1, __ATOMIC_RELAXED)

#endif /* NIRQ_CORE_H */
