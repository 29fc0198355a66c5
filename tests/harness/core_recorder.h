/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * A scriptable native ISR/DPC pair for core tests: it records every call
 * (message, processor, IRQL, DPC context, throttle) and behaves as the test
 * says (return value, DPC outputs, MoreNblsPending, a level-line device,
 * hooks run inside the callback).
 */
#ifndef NIRQ_TEST_CORE_RECORDER_H
#define NIRQ_TEST_CORE_RECORDER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <ndisirq/ndisirq.h>

#include "core_fixture.h"

#define REC_MAX_DPCS 512u

struct rec_dpc {
	uint32_t msg;
	int proc;
	uint8_t irql;
	void *ctx;
	uint32_t max_nbls;
};

struct rec;
typedef void rec_isr_hook(struct rec *r, uint32_t msg);
typedef void rec_dpc_hook(struct rec *r, uint32_t msg, void *dpc_ctx);

/*
 * Behaviour fields are set by the test before connecting (or while nothing
 * runs); records are read through the accessors (they lock).
 */
struct rec {
	struct core_fixture *fx;
	pthread_mutex_t lock;

	/* ISR behaviour */
	bool isr_return;           /* default true */
	bool queue_default;        /* *queue_default output */
	uint32_t targets;          /* *target_procs output */
	bool line_device;          /* line model: claim iff the device asserts */
	bool device_cause;         /* (line model) our device has a cause */
	unsigned ack_at;           /* (line model) ack on this ISR call (1-based) */
	rec_isr_hook *isr_hook;    /* runs inside the ISR, after recording */

	/* DPC behaviour */
	unsigned more_pending;     /* set MoreNblsPending on the first N calls */
	rec_dpc_hook *dpc_hook;    /* runs inside the DPC, after recording */
	void *user;                /* for hooks */

	/* records */
	unsigned isr_calls[NIRQ_MAX_MESSAGES];
	int isr_proc[NIRQ_MAX_MESSAGES];
	uint8_t isr_irql[NIRQ_MAX_MESSAGES];
	unsigned isr_total;
	struct rec_dpc dpc[REC_MAX_DPCS];
	unsigned ndpc;
	unsigned dpc_calls;
	bool poisoned;             /* set after teardown: any call is a failure */
	unsigned calls_after_poison;
};

void rec_init(struct rec *r, struct core_fixture *fx);
void rec_fini(struct rec *r);
/** rec_config() - a config with rec's callbacks and ctx. */
void rec_config(struct rec *r, struct nirq_intr_config *cfg, bool sync_all);
/** rec_connect() - connect fx->grant with rec's callbacks into fx->intr. */
int rec_connect(struct rec *r, bool sync_all);

unsigned rec_isr_calls(struct rec *r, uint32_t msg);
unsigned rec_isr_total(struct rec *r);
unsigned rec_dpc_count(struct rec *r);
struct rec_dpc rec_dpc_at(struct rec *r, unsigned i);
/** rec_dpcs_on() - DPC calls of @msg on processor @proc. */
unsigned rec_dpcs_on(struct rec *r, uint32_t msg, int proc);
void rec_poison(struct rec *r);
unsigned rec_calls_after_poison(struct rec *r);

nirq_isr_fn rec_isr;
nirq_dpc_fn rec_dpc;


/*
 * struct rec_fixture - a core fixture with its recorder: the cmocka state
 * of the core unit tests. rec_fixture_setup() takes fixture options;
 * the _msix (4 processors, MSI-X with 5 messages) and _line (policy
 * MSISupported=0) forms are ready-made cmocka setups.
 */
struct rec_fixture {
	struct core_fixture fx;
	struct rec rec;
};

int rec_fixture_setup(void **state, const struct core_fixture_opts *o);
int rec_fixture_setup_msix(void **state);
int rec_fixture_setup_line(void **state);
int rec_fixture_teardown(void **state);

#endif /* NIRQ_TEST_CORE_RECORDER_H */
