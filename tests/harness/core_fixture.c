/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The native-API test fixture (see core_fixture.h).
 */
#include "core_fixture.h"

#include <errno.h>
#include <string.h>

void core_fixture_opts_init(struct core_fixture_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->processors = 4;
	fake_platform_config_init(&o->pf);
	nirq_policy_init(&o->policy);
}

int core_fixture_setup(struct core_fixture *fx, const struct core_fixture_opts *o)
{
	struct nirq_rt_config cfg;
	int err;

	memset(fx, 0, sizeof(*fx));
	test_log_init(&fx->log);
	nirq_rt_config_init(&cfg);
	cfg.processors = o->processors;
	cfg.manual = !o->threaded;
	cfg.log = test_log_sink;
	cfg.log_arg = &fx->log;
	err = nirq_rt_create(&cfg, &fx->rt);
	if (err)
		return err;
	fx->pf = fake_platform_create(&o->pf);
	if (!fx->pf)
		return -ENOMEM;
	fx->policy = o->policy;
	if (o->no_assign)
		return 0;
	err = nirq_assign(fx->rt, fx->pf, &fx->policy, &fx->grant);
	fx->assigned = err == 0;
	return err;
}

void core_fixture_teardown(struct core_fixture *fx)
{
	if (fx->intr)
		(void)nirq_intr_disconnect(fx->intr);
	fx->intr = NULL;
	if (fx->assigned)
		nirq_unassign(fx->pf, &fx->grant);
	fx->assigned = false;
	if (fx->rt)
		nirq_rt_destroy(fx->rt);
	fx->rt = NULL;
	fake_platform_free(fx->pf);
	fx->pf = NULL;
	test_log_fini(&fx->log);
}
