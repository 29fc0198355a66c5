/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * ISR dispatch: a vector's fd was readable on its processor. Consume the
 * signal, run the ISR at DIRQL under the interrupt lock, then queue the DPCs
 * the ISR asked for — whatever it returned (spec 4.1.1 rule 4) — and let the
 * platform re-arm a line. No allocation, blocking or logging here, except a
 * verifier report on misuse.
 */
#include "core.h"

static uint64_t existing_mask(const struct nirq_rt *rt)
{
	return rt->nproc >= 64 ? ~0ull : (1ull << rt->nproc) - 1;
}

/* Queue what the ISR's two outputs ask for (spec 4.1.1 rule 3). */
static void queue_isr_dpcs(struct nirq_proc *p, struct nirq_vec *v,
			   bool queue_default, uint32_t targets)
{
	struct nirq_intr *intr = v->intr;
	uint64_t mask = targets & existing_mask(p->rt);

	if (queue_default) {
		nirq__dpc_try_queue(&intr->dpc[(size_t)v->msg * p->rt->nproc + p->id], NULL);
		return;
	}
	if (targets && !mask)
		nirq_verifier_report(p->rt, "TargetProcessors names no existing processor",
				     intr->cfg.handle, "message %u: TargetProcessors 0x%x, "
				     "processors 0..%u", v->msg, targets, p->rt->nproc - 1);
	if (mask)
		nirq_dpc_queue(intr, v->msg, mask, NULL);
}

unsigned nirq__dispatch_vector(struct nirq_proc *p, struct nirq_vec *v)
{
	struct nirq_intr *intr = v->intr;
	struct nirq_platform *pf = intr->pf;
	bool queue_default = false, claimed;
	uint32_t targets = 0;
	uint8_t old;

	if (pf->ops->vector_consume(pf, v->msg) == 0)
		return 0;
	old = nirq_irql_raise(NIRQ_IRQL_DIRQL);
	nirq__spin_lock(v->lock);
	nirq__ctx_set_held_lock(v->lock);
	claimed = intr->cfg.isr(intr->cfg.ctx, v->msg, &queue_default, &targets);
	nirq__ctx_set_held_lock(NULL);
	nirq__spin_unlock(v->lock);
	nirq_irql_lower(old);

	struct nirq_msg_stats *st = nirq__stats(intr->grant, v->msg, p->id);
	nirq__count(st->interrupts);
	if (claimed)
		nirq__count(st->claimed);
	else if (intr->line)
		nirq__count(intr->grant->unclaimed_line);
	queue_isr_dpcs(p, v, queue_default, targets);
	if (intr->line)
		pf->ops->line_done(pf, v->msg);
	return 1;
}
