/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * A fixture for the sample miniports in-process (tests/functional): a manual
 * runtime whose log is captured, a sim device, a host, a sample .so loaded
 * with nirq_host_load and held by our own dlopen reference, and its adapter.
 * The functions assert (cmocka) instead of returning errors; tests embed
 * struct sample_fx in their own fixture.
 */
#ifndef NIRQ_TEST_SAMPLE_FIXTURE_H
#define NIRQ_TEST_SAMPLE_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include <ndisirq/nirq_host.h>
#include <ndisirq/nirq_platform_sim.h>

#include "test_util.h"

struct sample_fx {
	struct test_log log;
	struct nirq_rt *rt;
	struct nirq_platform *pf;
	struct nirq_host *host;
	struct nirq_adapter *ad;
	void *dl;                 /* our own reference to the sample */
	bool halted;
};

/**
 * sample_fx_create() - the manual runtime of @processors, the sim device
 * @sim describes, and the host, in that order. @f must be zeroed.
 */
void sample_fx_create(struct sample_fx *f, unsigned processors,
		      const struct nirq_sim_config *sim);

/**
 * sample_fx_load() - nirq_host_load(@path) with DriverEntry returning 0,
 * then our own reference to it (dlopen RTLD_NOLOAD) in @f->dl.
 */
void sample_fx_load(struct sample_fx *f, const char *path);

/** sample_fx_start() - start the adapter with @policy (NULL: defaults) and initialize it. */
void sample_fx_start(struct sample_fx *f, const struct nirq_policy *policy);

/** sample_fx_halt() - halt the adapter; the runtime must have no verifier report. */
void sample_fx_halt(struct sample_fx *f);

/**
 * sample_fx_teardown() - halt (unless halted), drop our reference, unload,
 * stop, destroy host, device and runtime, fini the log; safe on a partial
 * create. Does not free @f.
 */
void sample_fx_teardown(struct sample_fx *f);

#endif /* NIRQ_TEST_SAMPLE_FIXTURE_H */
