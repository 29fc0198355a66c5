/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The scriptable native ISR/DPC recorder (see core_recorder.h).
 */
#include "core_recorder.h"

#include <stdlib.h>
#include <string.h>

#include "fake_platform.h"

void rec_init(struct rec *r, struct core_fixture *fx)
{
	memset(r, 0, sizeof(*r));
	r->fx = fx;
	r->isr_return = true;
	pthread_mutex_init(&r->lock, NULL);
	for (unsigned m = 0; m < NIRQ_MAX_MESSAGES; m++)
		r->isr_proc[m] = -2;
}

void rec_fini(struct rec *r)
{
	pthread_mutex_destroy(&r->lock);
}

/* The line model: claim iff our device has a cause; ack on call ack_at. */
static bool line_device_isr_locked(struct rec *r, unsigned call, bool *ack)
{
	bool claimed = r->device_cause;

	*ack = claimed && call == r->ack_at;
	if (*ack)
		r->device_cause = false;
	return claimed;
}

bool rec_isr(void *ctx, uint32_t msg, bool *queue_default, uint32_t *target_procs)
{
	struct rec *r = ctx;
	rec_isr_hook *hook;
	bool ret, ack = false;

	pthread_mutex_lock(&r->lock);
	if (r->poisoned)
		r->calls_after_poison++;
	if (msg < NIRQ_MAX_MESSAGES) {
		r->isr_calls[msg]++;
		r->isr_proc[msg] = nirq_processor_current();
		r->isr_irql[msg] = nirq_irql_current();
	}
	r->isr_total++;
	ret = r->line_device ? line_device_isr_locked(r, r->isr_calls[0], &ack)
			     : r->isr_return;
	*queue_default = r->queue_default;
	*target_procs = r->targets;
	hook = r->isr_hook;
	pthread_mutex_unlock(&r->lock);
	if (ack)
		fake_line_level(r->fx->pf, false); /* the ISR acked the device */
	if (hook)
		hook(r, msg);
	return ret;
}

void rec_dpc(void *ctx, uint32_t msg, void *dpc_ctx, struct nirq_throttle *throttle)
{
	struct rec *r = ctx;
	rec_dpc_hook *hook;

	pthread_mutex_lock(&r->lock);
	if (r->poisoned)
		r->calls_after_poison++;
	if (r->ndpc < REC_MAX_DPCS)
		r->dpc[r->ndpc++] = (struct rec_dpc){ .msg = msg,
			.proc = nirq_processor_current(), .irql = nirq_irql_current(),
			.ctx = dpc_ctx, .max_nbls = throttle->max_nbls_to_indicate };
	r->dpc_calls++;
	throttle->more_nbls_pending = r->dpc_calls <= r->more_pending;
	hook = r->dpc_hook;
	pthread_mutex_unlock(&r->lock);
	if (hook)
		hook(r, msg, dpc_ctx);
}

void rec_config(struct rec *r, struct nirq_intr_config *cfg, bool sync_all)
{
	nirq_intr_config_init(cfg);
	cfg->ctx = r;
	cfg->isr = rec_isr;
	cfg->dpc = rec_dpc;
	cfg->sync_all = sync_all;
	cfg->handle = r;
}

int rec_connect(struct rec *r, bool sync_all)
{
	struct nirq_intr_config cfg;

	rec_config(r, &cfg, sync_all);
	return nirq_intr_connect(r->fx->rt, r->fx->pf, &r->fx->grant, &cfg, &r->fx->intr);
}

unsigned rec_isr_calls(struct rec *r, uint32_t msg)
{
	unsigned n;

	pthread_mutex_lock(&r->lock);
	n = msg < NIRQ_MAX_MESSAGES ? r->isr_calls[msg] : 0;
	pthread_mutex_unlock(&r->lock);
	return n;
}

unsigned rec_isr_total(struct rec *r)
{
	unsigned n;

	pthread_mutex_lock(&r->lock);
	n = r->isr_total;
	pthread_mutex_unlock(&r->lock);
	return n;
}

unsigned rec_dpc_count(struct rec *r)
{
	unsigned n;

	pthread_mutex_lock(&r->lock);
	n = r->dpc_calls;
	pthread_mutex_unlock(&r->lock);
	return n;
}

struct rec_dpc rec_dpc_at(struct rec *r, unsigned i)
{
	struct rec_dpc d = { .proc = -2 };

	pthread_mutex_lock(&r->lock);
	if (i < r->ndpc)
		d = r->dpc[i];
	pthread_mutex_unlock(&r->lock);
	return d;
}

unsigned rec_dpcs_on(struct rec *r, uint32_t msg, int proc)
{
	unsigned n = 0;

	pthread_mutex_lock(&r->lock);
	for (unsigned i = 0; i < r->ndpc; i++)
		n += r->dpc[i].msg == msg && r->dpc[i].proc == proc;
	pthread_mutex_unlock(&r->lock);
	return n;
}

void rec_poison(struct rec *r)
{
	pthread_mutex_lock(&r->lock);
	r->poisoned = true;
	pthread_mutex_unlock(&r->lock);
}

unsigned rec_calls_after_poison(struct rec *r)
{
	unsigned n;

	pthread_mutex_lock(&r->lock);
	n = r->calls_after_poison;
	pthread_mutex_unlock(&r->lock);
	return n;
}

int rec_fixture_setup(void **state, const struct core_fixture_opts *o)
{
	struct rec_fixture *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	if (core_fixture_setup(&t->fx, o)) {
		free(t);
		return -1;
	}
	rec_init(&t->rec, &t->fx);
	*state = t;
	return 0;
}

int rec_fixture_setup_msix(void **state)
{
	struct core_fixture_opts o;

	core_fixture_opts_init(&o);
	return rec_fixture_setup(state, &o);
}

int rec_fixture_setup_line(void **state)
{
	struct core_fixture_opts o;

	core_fixture_opts_init(&o);
	o.policy.msi_supported = 0;
	return rec_fixture_setup(state, &o);
}

int rec_fixture_teardown(void **state)
{
	struct rec_fixture *t = *state;

	core_fixture_teardown(&t->fx);
	rec_fini(&t->rec);
	free(t);
	return 0;
}
