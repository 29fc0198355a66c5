/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The sample miniports' in-process fixture (see sample_fixture.h).
 */
#include "sample_fixture.h"

#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

void sample_fx_create(struct sample_fx *f, unsigned processors,
		      const struct nirq_sim_config *sim)
{
	assert_int_equal(test_rt_manual(processors, &f->log, &f->rt), 0);
	assert_int_equal(nirq_sim_create(sim, &f->pf), 0);
	assert_int_equal(nirq_host_create(f->rt, &f->host), 0);
}

void sample_fx_load(struct sample_fx *f, const char *path)
{
	int32_t status = -1;

	assert_int_equal(nirq_host_load(f->host, path, &status), 0);
	assert_int_equal(status, 0);
	f->dl = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
	assert_non_null(f->dl);
}

void sample_fx_start(struct sample_fx *f, const struct nirq_policy *policy)
{
	assert_int_equal(nirq_host_adapter_start(f->host, f->pf, policy, &f->ad), 0);
	assert_int_equal(nirq_host_adapter_initialize(f->ad), 0);
}

void sample_fx_halt(struct sample_fx *f)
{
	nirq_host_adapter_halt(f->ad);
	f->halted = true;
	if (nirq_rt_reports(f->rt))
		test_log_dump(&f->log);
	assert_int_equal(nirq_rt_reports(f->rt), 0);
}

void sample_fx_teardown(struct sample_fx *f)
{
	if (f->ad && !f->halted)
		nirq_host_adapter_halt(f->ad);
	if (f->dl)
		dlclose(f->dl);
	if (f->host)
		nirq_host_unload(f->host);
	if (f->ad)
		nirq_host_adapter_stop(f->ad);
	if (f->host)
		nirq_host_destroy(f->host);
	if (f->pf)
		f->pf->ops->destroy(f->pf);
	if (f->rt)
		nirq_rt_destroy(f->rt);
	test_log_fini(&f->log);
}
