/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The one spin lock of the project, for the core's interrupt locks and DPC
 * queues and for the platforms' device locks. A test-and-test-and-set lock
 * that yields the CPU every 64 waits: logical processors may outnumber host
 * CPUs, so a holder can be preempted on our own CPU and pure spinning would
 * burn its time slice. sched_yield() never sleeps, so the lock is usable on
 * the interrupt path.
 */
#ifndef NIRQ_OS_SPIN_H
#define NIRQ_OS_SPIN_H

#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>

struct nirq_spin {
	atomic_int v;
};

static inline void nirq__cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/* One wait step of a thread that found a spin lock held. */
static inline void nirq__spin_wait(unsigned *waits)
{
	if (++*waits % 64 == 0)
		sched_yield();
	else
		nirq__cpu_relax();
}

static inline void nirq__spin_lock(struct nirq_spin *s)
{
	unsigned waits = 0;

	while (atomic_exchange_explicit(&s->v, 1, memory_order_acquire))
		/* Wait on plain loads so the line is not bounced between CPUs. */
		while (atomic_load_explicit(&s->v, memory_order_relaxed))
			nirq__spin_wait(&waits);
}

/* Pairs with the acquiring exchange: the critical section's stores come first. */
static inline void nirq__spin_unlock(struct nirq_spin *s)
{
	atomic_store_explicit(&s->v, 0, memory_order_release);
}

static inline bool nirq__spin_held(struct nirq_spin *s)
{
	return atomic_load_explicit(&s->v, memory_order_relaxed) != 0;
}

#endif /* NIRQ_OS_SPIN_H */
