/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Interrupt objects: connect (locks, DPC objects, vectors attached and
 * armed), disconnect (detach, flush DPCs, free), synchronize, and the
 * diagnostic enable/disable calls. The lifecycle is in docs/architecture.md;
 * whether a grant is connected is grant->connected.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ndisirq/nirq_fault.h>

#include "core.h"

static int config_check(const struct nirq_intr_config *cfg)
{
	if (!cfg || cfg->size < sizeof(*cfg) || !cfg->isr || !cfg->dpc)
		return -EINVAL;
	return 0;
}

static void intr_free(struct nirq_intr *intr)
{
	free(intr->dpc);
	free(intr->locks);
	free(intr->vec);
	free(intr);
}

static struct nirq_intr *intr_alloc(struct nirq_rt *rt, struct nirq_grant *g,
				    const struct nirq_intr_config *cfg)
{
	struct nirq_intr *intr = nirq_fault_calloc(1, sizeof(*intr));
	bool one_lock = g->kind == NIRQ_KIND_LINE || cfg->sync_all;

	if (!intr)
		return NULL;
	intr->count = g->count;
	intr->vec = nirq_fault_calloc(g->count, sizeof(*intr->vec));
	intr->locks = nirq_fault_calloc(one_lock ? 1 : g->count, sizeof(*intr->locks));
	intr->dpc = nirq_fault_calloc((size_t)g->count * rt->nproc, sizeof(*intr->dpc));
	if (!intr->vec || !intr->locks || !intr->dpc) {
		intr_free(intr);
		return NULL;
	}
	for (uint32_t m = 0; m < g->count; m++) {
		intr->vec[m] = (struct nirq_vec){ .intr = intr, .msg = m,
			.proc = g->target[m], .fd = -1,
			.lock = &intr->locks[one_lock ? 0 : m] };
		for (unsigned p = 0; p < rt->nproc; p++)
			intr->dpc[(size_t)m * rt->nproc + p] = (struct nirq_dpc){
				.intr = intr, .msg = m, .proc = p };
	}
	return intr;
}

/* Detach vectors [0, n) from their processors and mask them. */
static void detach_vectors(struct nirq_intr *intr, uint32_t n)
{
	for (uint32_t m = 0; m < n; m++) {
		/* A line is masked by its processor (see detach_now() in proc.c). */
		if (!intr->line)
			intr->pf->ops->mask(intr->pf, m);
		nirq__proc_detach(&intr->rt->proc[intr->vec[m].proc], &intr->vec[m]);
	}
}

/*
 * Steer each vector's host IRQ to the host CPU of the processor that
 * services it, so the wake-up stays on one CPU (a cross-CPU wake-up costs
 * about ten times a same-CPU one on a VM). Optional op (VFIO has it, the sim
 * has no host IRQ). A refusal is not an error: the run continues, and the
 * runtime says so once, not once per vector. Context: passive (connect).
 */
static void steer_vectors(struct nirq_intr *intr)
{
	struct nirq_platform *pf = intr->pf;
	struct nirq_rt *rt = intr->rt;

	if (!pf->ops->set_affinity)
		return;
	for (uint32_t m = 0; m < intr->count; m++) {
		unsigned cpu = rt->proc[intr->vec[m].proc].cpu;
		int err = pf->ops->set_affinity(pf, m, cpu);

		if (!err || atomic_exchange(&rt->steer_logged, true))
			continue;
		nirq_log(rt, NIRQ_LOG_WARN, "%s platform: cannot steer host IRQ %u "
			 "(message %u) to CPU %u: %s; interrupts run unsteered (said "
			 "once per runtime)", pf->ops->name, pf->ops->vector_number(pf, m),
			 m, cpu, err == -EPERM ? "not permitted (smp_affinity_list "
			 "needs root or CAP_SYS_ADMIN)" : strerror(-err));
	}
}

static int attach_vectors(struct nirq_intr *intr)
{
	struct nirq_platform *pf = intr->pf;
	uint32_t m;
	int err = 0;

	for (m = 0; m < intr->count && !err; m++) {
		intr->vec[m].fd = pf->ops->vector_fd(pf, m);
		err = intr->vec[m].fd < 0 ? -EBADF
		      : nirq__proc_attach(&intr->rt->proc[intr->vec[m].proc], &intr->vec[m]);
	}
	if (err) {
		detach_vectors(intr, m - 1);
		return err;
	}
	steer_vectors(intr);
	/* Arm: from here an ISR may run, before connect returns (spec 5.4 rule 6). */
	for (m = 0; m < intr->count; m++)
		pf->ops->unmask(pf, m);
	return 0;
}

/*
 * The grant's vectors are enabled at the platform from nirq_assign() until
 * the disconnect; a later connect of the same grant (a miniport that
 * deregisters and registers again) enables them again, the same kind and
 * count. They start masked either way (see alloc_vectors in nirq_platform.h).
 */
static int enable_vectors(struct nirq_platform *pf, struct nirq_grant *g)
{
	int err;

	if (g->enabled)
		return 0;
	err = pf->ops->alloc_vectors(pf, g->kind, g->count);
	if (err)
		return err;
	g->enabled = 1;
	for (uint32_t m = 0; m < g->count; m++)
		g->vector[m] = pf->ops->vector_number(pf, m);
	return 0;
}

/* Disable the vectors at the platform (VFIO: count = 0, fds closed). */
static void disable_vectors(struct nirq_platform *pf, struct nirq_grant *g)
{
	if (!g->enabled)
		return;
	pf->ops->free_vectors(pf);
	g->enabled = 0;
}

int nirq_intr_connect(struct nirq_rt *rt, struct nirq_platform *pf,
		      struct nirq_grant *grant, const struct nirq_intr_config *cfg,
		      struct nirq_intr **out)
{
	struct nirq_intr *intr;
	int err = config_check(cfg);

	if (err || !grant || grant->kind == NIRQ_KIND_NONE || grant->count == 0 ||
	    grant->processors != rt->nproc)
		return -EINVAL;
	if (grant->connected)
		return -EBUSY;
	intr = intr_alloc(rt, grant, cfg);
	if (!intr)
		return -ENOMEM;
	intr->rt = rt;
	intr->pf = pf;
	intr->grant = grant;
	intr->cfg = *cfg;
	intr->line = grant->kind == NIRQ_KIND_LINE;
	err = enable_vectors(pf, grant);
	if (err) {
		intr_free(intr);
		return err;
	}
	/* *out is visible to the ISR's callers (NdisMQueueDpcEx from an early ISR). */
	*out = intr;
	err = attach_vectors(intr);
	if (err) {
		*out = NULL;
		disable_vectors(pf, grant);
		intr_free(intr);
		return err;
	}
	grant->connected = 1;
	atomic_fetch_add(&rt->connected, 1);
	return 0;
}

/* Wait until no DPC of @intr is queued or running (see dpc_run()). */
static void wait_dpcs_quiesced(struct nirq_intr *intr)
{
	struct nirq_rt *rt = intr->rt;

	if (rt->manual) {
		/* Manual mode: run the queued DPCs here, on their processors' behalf. */
		while (atomic_load(&intr->outstanding))
			for (unsigned p = 0; p < rt->nproc; p++)
				nirq_processor_run_once(rt, p);
		return;
	}
	atomic_fetch_add(&rt->waiters, 1);
	pthread_mutex_lock(&rt->wait_lock);
	while (atomic_load(&intr->outstanding))
		pthread_cond_wait(&rt->wait_cv, &rt->wait_lock);
	pthread_mutex_unlock(&rt->wait_lock);
	atomic_fetch_sub(&rt->waiters, 1);
}

int nirq_intr_disconnect(struct nirq_intr *intr)
{
	struct nirq_rt *rt = intr->rt;

	if (nirq_processor_current() >= 0 || nirq_irql_current() > NIRQ_IRQL_PASSIVE) {
		nirq_verifier_report(rt, "deregistration above PASSIVE_LEVEL (Irql_Interrupt_Function)",
				     intr->cfg.handle, "called at IRQL %u on processor %d, "
				     "from an ISR, DPC or sync callback; it would deadlock, "
				     "so the interrupt stays registered",
				     nirq_irql_current(), nirq_processor_current());
		return -EDEADLK;
	}
	detach_vectors(intr, intr->count);
	wait_dpcs_quiesced(intr);
	disable_vectors(intr->pf, intr->grant);
	intr->grant->connected = 0;
	atomic_fetch_sub(&rt->connected, 1);
	intr_free(intr);
	return 0;
}

static struct nirq_spin *lock_of(struct nirq_intr *intr, uint32_t msg)
{
	return &intr->locks[intr->line || intr->cfg.sync_all ? 0 : msg];
}

/* Run @fn at DIRQL under @lock; refuse (report) if this thread holds it. */
static bool run_locked(struct nirq_intr *intr, struct nirq_spin *lock,
		       nirq_sync_fn *fn, void *arg)
{
	struct nirq_spin *held = nirq__ctx_held_lock();
	uint8_t old;
	bool r;

	if (held == lock) {
		nirq_verifier_report(intr->rt, "synchronize from inside the ISR or sync callback",
				     intr->cfg.handle, "the interrupt lock is already held "
				     "by this thread; the call would deadlock and is skipped");
		return false;
	}
	old = nirq_irql_raise(NIRQ_IRQL_DIRQL);
	nirq__spin_lock(lock);
	nirq__ctx_set_held_lock(lock);
	r = fn(arg);
	nirq__ctx_set_held_lock(held);
	nirq__spin_unlock(lock);
	nirq_irql_lower(old);
	return r;
}

bool nirq_intr_sync(struct nirq_intr *intr, uint32_t msg, nirq_sync_fn *fn,
		    void *sync_ctx)
{
	if (!intr->line && msg >= intr->count)
		return false;
	return run_locked(intr, lock_of(intr, msg), fn, sync_ctx);
}

struct ctl_call {
	struct nirq_intr *intr;
	nirq_intr_ctl_fn *fn;
	uint32_t msg;
};

static bool ctl_trampoline(void *arg)
{
	struct ctl_call *c = arg;

	c->fn(c->intr->cfg.ctx, c->msg);
	return true;
}

static void call_ctl(struct nirq_intr *intr, nirq_intr_ctl_fn *fn, uint32_t msg)
{
	struct ctl_call c = { intr, fn, msg };

	if (fn && (intr->line || msg < intr->count))
		(void)run_locked(intr, lock_of(intr, msg), ctl_trampoline, &c);
}

void nirq_intr_enable(struct nirq_intr *intr, uint32_t msg)
{
	call_ctl(intr, intr->cfg.enable, msg);
}

void nirq_intr_disable(struct nirq_intr *intr, uint32_t msg)
{
	call_ctl(intr, intr->cfg.disable, msg);
}

const struct nirq_grant *nirq_intr_grant(const struct nirq_intr *intr)
{
	return intr->grant;
}

struct nirq_rt *nirq_intr_rt(const struct nirq_intr *intr)
{
	return intr->rt;
}
