/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * A fixture for tests of the core through the native API: a runtime (manual
 * unless asked otherwise) whose log is captured, a fake platform, a policy,
 * and the grant nirq_assign() made for them.
 */
#ifndef NIRQ_TEST_CORE_FIXTURE_H
#define NIRQ_TEST_CORE_FIXTURE_H

#include <stdbool.h>

#include <ndisirq/ndisirq.h>

#include "fake_platform.h"
#include "test_util.h"

struct core_fixture_opts {
	unsigned processors;               /* default 4 */
	bool threaded;                     /* default false: manual runtime */
	struct fake_platform_config pf;    /* default fake_platform_config_init() */
	struct nirq_policy policy;         /* default nirq_policy_init() */
	bool no_assign;                    /* leave nirq_assign() to the test */
};

struct core_fixture {
	struct test_log log;
	struct nirq_rt *rt;
	struct nirq_platform *pf;
	struct nirq_policy policy;
	struct nirq_grant grant;
	bool assigned;
	struct nirq_intr *intr;            /* disconnected by teardown if set */
};

void core_fixture_opts_init(struct core_fixture_opts *o);

/** core_fixture_setup() - Return: 0, or the failing call's -errno. */
int core_fixture_setup(struct core_fixture *fx, const struct core_fixture_opts *o);

/** core_fixture_teardown() - disconnect, unassign, destroy; safe on a partial setup. */
void core_fixture_teardown(struct core_fixture *fx);

#endif /* NIRQ_TEST_CORE_FIXTURE_H */
