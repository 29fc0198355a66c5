/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The runtime: its logical processors, manual stepping, passive threads and
 * the platform check.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ndisirq/nirq_fault.h>

#include "core.h"

static unsigned online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned)n : 1u;
}

static int rt_config_check(const struct nirq_rt_config *cfg)
{
	if (!cfg || cfg->size < sizeof(*cfg))
		return -EINVAL;
	if (cfg->processors > NIRQ_MAX_PROCESSORS)
		return -EINVAL;
	return 0;
}

static void rt_free(struct nirq_rt *rt, unsigned initialized)
{
	for (unsigned i = 0; i < initialized; i++)
		nirq__proc_fini(&rt->proc[i]);
	pthread_cond_destroy(&rt->wait_cv);
	pthread_mutex_destroy(&rt->wait_lock);
	free(rt);
}

int nirq_rt_create(const struct nirq_rt_config *cfg, struct nirq_rt **out)
{
	unsigned n, i, started = 0;
	struct nirq_rt *rt;
	int err = rt_config_check(cfg);

	if (err)
		return err;
	n = cfg->processors ? cfg->processors : online_cpus();
	if (n > NIRQ_MAX_PROCESSORS)
		n = NIRQ_MAX_PROCESSORS;
	rt = nirq_fault_calloc(1, sizeof(*rt) + n * sizeof(rt->proc[0]));
	if (!rt)
		return -ENOMEM;
	rt->nproc = n;
	rt->ncpu = online_cpus();
	rt->manual = cfg->manual;
	rt->log = cfg->log;
	rt->log_arg = cfg->log_arg;
	pthread_mutex_init(&rt->wait_lock, NULL);
	pthread_cond_init(&rt->wait_cv, NULL);
	for (i = 0; i < n; i++) {
		err = nirq__proc_init(rt, &rt->proc[i], i);
		if (err)
			goto fail;
	}
	for (; !rt->manual && started < n; started++) {
		err = nirq__proc_start(&rt->proc[started]);
		if (err)
			goto fail;
	}
	*out = rt;
	return 0;
fail:
	while (started--)
		nirq__proc_stop(&rt->proc[started]);
	rt_free(rt, i);
	return err;
}

void nirq_rt_destroy(struct nirq_rt *rt)
{
	if (!rt)
		return;
	if (atomic_load(&rt->connected))
		nirq_verifier_report(rt, "runtime destroyed with interrupts connected",
				     rt, "%d interrupt(s) still connected; they are leaked",
				     atomic_load(&rt->connected));
	for (unsigned i = 0; i < rt->nproc; i++)
		nirq__proc_stop(&rt->proc[i]);
	rt_free(rt, rt->nproc);
}

unsigned nirq_rt_processors(const struct nirq_rt *rt)
{
	return rt->nproc;
}

bool nirq_rt_manual(const struct nirq_rt *rt)
{
	return rt->manual;
}

unsigned nirq_processor_run_once(struct nirq_rt *rt, unsigned p)
{
	struct nirq_rt *prev_rt = nirq_rt_current();
	uint8_t prev_irql = nirq_irql_current();
	int prev_proc = nirq_processor_current();
	unsigned work;

	if (!rt->manual || p >= rt->nproc)
		return 0;
	work = nirq__proc_step(&rt->proc[p], 0);
	nirq__ctx_enter(prev_rt, prev_proc, prev_irql);
	return work;
}

unsigned nirq_rt_run_until_idle(struct nirq_rt *rt)
{
	unsigned total = 0, round;

	do {
		round = 0;
		for (unsigned p = 0; p < rt->nproc; p++)
			round += nirq_processor_run_once(rt, p);
		total += round;
	} while (round);
	return total;
}

/*
 * The caller is already a passive thread (it is not a processor and is at
 * PASSIVE), so @fn runs right here with the thread's context set to @rt: no
 * thread to create, hence nothing that can fail between a miniport's
 * initialize and its halt.
 */
int nirq_rt_run_passive(struct nirq_rt *rt, void (*fn)(void *), void *arg)
{
	struct nirq_rt *prev = nirq_rt_current();

	if (nirq_processor_current() >= 0 || nirq_irql_current() != NIRQ_IRQL_PASSIVE)
		return -EPERM;
	nirq__ctx_enter(rt, -1, NIRQ_IRQL_PASSIVE);
	fn(arg);
	nirq__ctx_enter(prev, -1, NIRQ_IRQL_PASSIVE);
	return 0;
}

void nirq__rt_wake_waiters(struct nirq_rt *rt)
{
	pthread_mutex_lock(&rt->wait_lock);
	pthread_cond_broadcast(&rt->wait_cv);
	pthread_mutex_unlock(&rt->wait_lock);
}

int nirq_platform_check(const struct nirq_platform *pf, const char **missing)
{
	const struct nirq_platform_ops *o = pf ? pf->ops : NULL;
	struct {
		const char *name;
		bool present;
	} req[] = {
		{ "ops", o != NULL },
		{ "describe", o && o->describe },
		{ "bar_info", o && o->bar_info },
		{ "map_bar", o && o->map_bar },
		{ "unmap_bar", o && o->unmap_bar },
		{ "config_read", o && o->config_read },
		{ "config_write", o && o->config_write },
		{ "alloc_vectors", o && o->alloc_vectors },
		{ "free_vectors", o && o->free_vectors },
		{ "vector_fd", o && o->vector_fd },
		{ "vector_consume", o && o->vector_consume },
		{ "mask", o && o->mask },
		{ "unmask", o && o->unmask },
		{ "line_done", o && o->line_done },
		{ "vector_number", o && o->vector_number },
	};

	for (size_t i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
		if (!req[i].present) {
			if (missing)
				*missing = req[i].name;
			return -EINVAL;
		}
	}
	return 0;
}
