/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * DPCs: one object per (interrupt, message, processor), queued on its
 * processor's FIFO and run there at DISPATCH.
 *
 * Properties:
 *  - queueing a DPC that is already queued does nothing and reports false
 *    (the coalescing of NdisMQueueDpc(Ex): a clear bit in the return mask);
 *  - a DPC is dequeued before it runs, so it may be queued again while it
 *    runs and then runs once more, after the current run;
 *  - a DPC object runs only on its processor, never concurrently with itself;
 *  - queueing never allocates or blocks: a spin lock guards the FIFO and the
 *    doorbell write is a non-blocking syscall.
 */
#include "core.h"

/* Append @d; returns true if the queue was empty (the processor may sleep). */
static bool fifo_push(struct nirq_proc *p, struct nirq_dpc *d)
{
	bool was_empty;

	d->next = NULL;
	nirq__spin_lock(&p->q_lock);
	was_empty = p->q_head == NULL;
	if (was_empty)
		__atomic_store_n(&p->q_head, d, __ATOMIC_RELEASE);
	else
		p->q_tail->next = d;
	p->q_tail = d;
	nirq__spin_unlock(&p->q_lock);
	return was_empty;
}

static struct nirq_dpc *fifo_take_all(struct nirq_proc *p)
{
	struct nirq_dpc *list;

	nirq__spin_lock(&p->q_lock);
	list = p->q_head;
	__atomic_store_n(&p->q_head, NULL, __ATOMIC_RELEASE);
	p->q_tail = NULL;
	nirq__spin_unlock(&p->q_lock);
	return list;
}

/*
 * Queue @d with @ctx unless it is already queued. The winner of the
 * `queued` flag owns ctx and queued_ns until the push publishes them under
 * q_lock. `outstanding` is raised before the push so that the processor can
 * never bring it to zero (and release a disconnecting thread) while this DPC
 * is still on its way into the queue.
 */
bool nirq__dpc_try_queue(struct nirq_dpc *d, void *ctx)
{
	struct nirq_intr *intr = d->intr;
	struct nirq_proc *p = &intr->rt->proc[d->proc];

	if (atomic_exchange_explicit(&d->queued, true, memory_order_acq_rel)) {
		nirq__count(nirq__stats(intr->grant, d->msg, d->proc)->coalesced);
		return false;
	}
	d->ctx = ctx;
	d->queued_ns = nirq_now_ns();
	atomic_fetch_add(&intr->outstanding, 1);
	if (fifo_push(p, d) && p->started && nirq_processor_current() != (int)p->id)
		nirq__doorbell_ring(p->doorbell);
	return true;
}

uint64_t nirq_dpc_queue(struct nirq_intr *intr, uint32_t msg, uint64_t targets,
			void *dpc_ctx)
{
	unsigned nproc = intr->rt->nproc;
	uint64_t done = 0;

	if (msg >= intr->count)
		return 0;
	for (unsigned p = 0; p < nproc; p++) {
		if (!(targets & (1ull << p)))
			continue;
		if (nirq__dpc_try_queue(&intr->dpc[(size_t)msg * nproc + p], dpc_ctx))
			done |= 1ull << p;
	}
	return done;
}

/*
 * Run one dequeued DPC. `queued` is cleared before the call (the DPC may be
 * queued again while it runs). `outstanding` is dropped last: after that the
 * disconnecting thread may free @d, so nothing of it is touched afterwards.
 */
static void dpc_run(struct nirq_rt *rt, struct nirq_dpc *d)
{
	struct nirq_intr *intr = d->intr;
	struct nirq_grant *g = intr->grant;
	struct nirq_throttle thr = { .max_nbls_to_indicate = g->max_nbls_to_indicate };
	void *ctx = d->ctx;

	nirq_lat_record(&g->latency[d->msg], nirq_now_ns() - d->queued_ns);
	atomic_store_explicit(&d->queued, false, memory_order_release);
	intr->cfg.dpc(intr->cfg.ctx, d->msg, ctx, &thr);
	nirq__count(nirq__stats(g, d->msg, d->proc)->dpcs);
	/* MoreNblsPending: the same DPC object again, at the tail, same context. */
	if (thr.more_nbls_pending)
		nirq__dpc_try_queue(d, ctx);
	if (atomic_fetch_sub(&intr->outstanding, 1) == 1 && atomic_load(&rt->waiters))
		nirq__rt_wake_waiters(rt);
}

/*
 * Run the DPCs queued on @p when the drain started; DPCs queued meanwhile
 * (including re-queues) wait for the next pass, after pending interrupts.
 */
unsigned nirq__proc_drain_dpcs(struct nirq_proc *p)
{
	struct nirq_dpc *d = fifo_take_all(p), *next;
	unsigned n = 0;

	for (; d; d = next, n++) {
		next = d->next;
		dpc_run(p->rt, d);
	}
	return n;
}
