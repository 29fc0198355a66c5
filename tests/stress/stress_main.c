// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The stress tier's program (label `stress`): one threaded runtime with more
 * logical processors than host CPUs, simulated MSI-X, MSI and shared-line
 * adapters run by the in-test miniport, injector threads raising causes as
 * fast as the tokens allow, churn threads registering and deregistering,
 * passive threads queueing DPCs and synchronizing. Checks the invariants at
 * the end and prints the totals; exit status 0 on success, 1 on a violation.
 * NDISIRQ_STRESS_SCALE multiplies the work.
 */
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "stress.h"

#if defined(__SANITIZE_THREAD__)
#define STRESS_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define STRESS_TSAN 1
#endif
#endif
#ifndef STRESS_TSAN
#define STRESS_TSAN 0
#endif

/* Work of the default run (scale 1): the floors. */
#define BASE_RAISES 10000000.0
#define BASE_CYCLES 10000.0
/* TSan runs everything 5-15x slower: it does a tenth of the work. */
#define TSAN_FRACTION 0.1

#define INJECTORS 3
#define CHURNERS 3
#define PASSIVES 2
#define CHURN_DEVS 4        /* devices per churn thread */
#define TOKENS 4            /* cause bits in flight per MSI or line device */
#define BURST 2             /* raises per device per injector pass */
#define RESTART_EVERY 64    /* churn: every Nth cycle stops and restarts the adapter */
#define FAIL_EVERY 37       /* churn: every Nth initialize registers and then fails */
#define STALL_SECONDS 60.0  /* one of raises, ISRs, cycles standing still this long: a hang */
#define MAX_DEVS (16 + CHURNERS * CHURN_DEVS)

static const uint32_t E1000E_LEGACY_BITS = 0x00f787d7u; /* IMS-valid causes but Other */
static const uint32_t E1000E_MSIX_BITS[5] = { 1u << 20, 1u << 21, 1u << 22, 1u << 23,
					      1u << 2 /* LSC, through Other */ };

struct spec {
	const char *name;
	enum nirq_sim_model model;
	enum nirq_intr_kind kind;
	bool sync_all;
	unsigned nroute;
	bool foreign;
	bool no_msix;
};

/* Long-lived adapters: registered once, hammered for the whole run. */
static const struct spec steady_specs[] = {
	{ "e1000e-msix", NIRQ_SIM_E1000E, NIRQ_KIND_MSIX, false, 5, false, false },
	{ "e1000e-msix-syncall", NIRQ_SIM_E1000E, NIRQ_KIND_MSIX, true, 2, false, false },
	{ "e1000e-msi", NIRQ_SIM_E1000E, NIRQ_KIND_MSI, false, 1, false, true },
	{ "edu-msi", NIRQ_SIM_EDU, NIRQ_KIND_MSI, false, 1, false, false },
	{ "e1000-line", NIRQ_SIM_E1000, NIRQ_KIND_LINE, false, 1, true, false },
	{ "edu-line", NIRQ_SIM_EDU, NIRQ_KIND_LINE, false, 1, true, false },
	{ "e1000e-line", NIRQ_SIM_E1000E, NIRQ_KIND_LINE, false, 1, true, false },
};

/* Registered and deregistered in a loop, one set per churn thread. */
static const struct spec churn_specs[CHURN_DEVS] = {
	{ "e1000e-msix", NIRQ_SIM_E1000E, NIRQ_KIND_MSIX, false, 5, false, false },
	{ "edu-msi", NIRQ_SIM_EDU, NIRQ_KIND_MSI, false, 1, false, false },
	{ "e1000-line", NIRQ_SIM_E1000, NIRQ_KIND_LINE, false, 1, true, false },
	{ "edu-line", NIRQ_SIM_EDU, NIRQ_KIND_LINE, false, 1, true, false },
};

struct churner {
	pthread_t thread;
	struct stress_host h;
	struct stress_dev *devs[CHURN_DEVS];
	uint32_t seed;
};

static struct {
	struct nirq_rt *rt;
	double scale, tmult;
	uint64_t raise_target, cycle_target;
	struct stress_dev *devs[MAX_DEVS];
	unsigned ndev, nsteady;
	struct stress_host steady;
	struct churner churn[CHURNERS];
	atomic_bool stop;
	atomic_ullong log_unexpected, sim_messages;
	uint64_t t0;
} S;

/* ---------------------------------------------------------- helpers */

static double now_s(void)
{
	return (double)nirq_now_ns() / 1e9;
}

static uint32_t xorshift(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static bool stopping(void)
{
	return atomic_load_explicit(&S.stop, memory_order_relaxed);
}

static uint64_t raised_total(void)
{
	uint64_t n = 0;

	for (int k = 0; k < 4; k++)
		n += stress_get(stress_tot.raised[k]);
	return n;
}

static void fatal(const char *fmt, ...) NIRQ_PRINTF(1, 2);
static void fatal(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "stress: FAIL: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Expected lines: the host reporting our deliberately failed initialize. */
static void log_sink(void *arg, enum nirq_log_level level, const char *line)
{
	(void)arg;
	if (strstr(line, "MiniportInitializeEx returned 0xc0000001"))
		return;
	if (level <= NIRQ_LOG_WARN)
		stress_add(S.log_unexpected, 1);
	nirq_log_stderr(NULL, level, line);
}

static double env_positive(const char *name, double dflt)
{
	const char *v = getenv(name);
	char *end;
	double d;

	if (!v || !*v)
		return dflt;
	errno = 0;
	d = strtod(v, &end);
	if (errno || *end || !isfinite(d) || d <= 0)
		fatal("%s is '%s'; it must be a positive number (default %g)", name, v, dflt);
	return d;
}

/* ---------------------------------------------------------- devices */

static void add_token(struct stress_dev *d, uint32_t bit, uint32_t msg)
{
	unsigned i = d->ntok++;

	d->tok[i].bit = bit;
	d->tok[i].msg = msg;
	atomic_init(&d->tok[i].state, TOK_FREE);
	d->tok_of_bit[__builtin_ctz(bit)] = (int8_t)i;
	d->tokmask |= bit;
	d->msg_bits[msg] |= bit;
}

/* One token per cause bit the ISR can tell apart in the status register. */
static void make_tokens(struct stress_dev *d)
{
	memset(d->tok_of_bit, -1, sizeof(d->tok_of_bit));
	if (d->model == NIRQ_SIM_E1000E && d->kind == NIRQ_KIND_MSIX) {
		for (unsigned i = 0; i < 5; i++)
			add_token(d, E1000E_MSIX_BITS[i], i % d->nroute);
		return;
	}
	for (unsigned b = 0; b < 32 && d->ntok < TOKENS; b++) {
		bool use = d->model == NIRQ_SIM_EDU || d->model == NIRQ_SIM_E1000 ||
			   (E1000E_LEGACY_BITS & (1u << b));

		if (use)
			add_token(d, 1u << b, 0);
	}
}

static struct stress_dev *make_dev(const struct spec *sp, struct stress_host *h, bool churn,
				   unsigned idx)
{
	struct stress_dev *d = calloc(1, sizeof(*d));
	struct nirq_sim_config sc;
	int err;

	if (!d)
		fatal("out of memory");
	snprintf(d->name, sizeof(d->name), "%s%s#%u", churn ? "churn-" : "", sp->name, idx);
	d->model = sp->model;
	d->kind = sp->kind;
	d->sync_all = sp->sync_all;
	d->nroute = sp->nroute;
	d->foreign = sp->foreign;
	d->msi_driver = sp->model == NIRQ_SIM_E1000; /* asks for MSI, gets the line */
	d->churn = churn;
	d->host = h;
	nirq_policy_init(&d->pol);
	if (sp->kind == NIRQ_KIND_LINE && sp->model != NIRQ_SIM_E1000)
		d->pol.msi_supported = 0;
	nirq_sim_config_init(&sc, sp->model);
	sc.faults.no_msix = sp->no_msix;
	err = nirq_sim_create(&sc, &d->pf);
	if (err)
		fatal("nirq_sim_create(%s): %s", sp->name, strerror(-err));
	pthread_mutex_init(&d->gate, NULL);
	atomic_init(&d->phase, 1); /* odd: not registered */
	make_tokens(d);
	S.devs[S.ndev++] = d;
	return d;
}

static void adapter_start(struct stress_dev *d)
{
	const struct nirq_grant *g;
	int err = nirq_host_adapter_start(d->host->host, d->pf, &d->pol, &d->ad);

	if (err)
		fatal("%s: nirq_host_adapter_start: %s", d->name, strerror(-err));
	g = nirq_host_adapter_grant(d->ad);
	if (g->kind != d->kind || g->count > STRESS_MAX_MSGS)
		fatal("%s: assigned %s x%u, expected %s", d->name, nirq_kind_name(g->kind),
		      g->count, nirq_kind_name(d->kind));
	for (uint32_t m = 0; m < g->count; m++)
		d->target[m] = g->target[m];
}

/* Messages the device raised since the adapter started, then stop it. */
static void adapter_stop(struct stress_dev *d)
{
	const struct nirq_grant *g = nirq_host_adapter_grant(d->ad);
	uint64_t n = 0;

	for (uint32_t v = 0; v < g->count; v++)
		n += nirq_sim_raised(d->pf, v);
	stress_add(S.sim_messages, n);
	nirq_host_adapter_stop(d->ad);
	d->ad = NULL;
}

static bool adapter_initialize(struct stress_dev *d)
{
	int32_t st;

	d->host->initializing = d;
	st = nirq_host_adapter_initialize(d->ad);
	if (d->fail_next_init)
		return false;
	if (st != 0) {
		stress_add(stress_tot.init_errors, 1);
		stress_error("initialize failed", "%s: status 0x%08x", d->name, (uint32_t)st);
		return false;
	}
	return true;
}

static void host_load(struct stress_host *h)
{
	int32_t st = -1;
	int err = nirq_host_create(S.rt, &h->host);

	if (err)
		fatal("nirq_host_create: %s", strerror(-err));
	stress_loading_host = h;
	err = nirq_host_load_entry(h->host, stress_driver_entry, &st);
	if (err || st != 0)
		fatal("loading the stress miniport: %d, DriverEntry 0x%08x", err, (uint32_t)st);
}

static void host_unload(struct stress_host *h)
{
	stress_loading_host = h;
	nirq_host_unload(h->host);
	nirq_host_destroy(h->host);
}

/* ---------------------------------------------------------- threads */

/* Raise up to BURST free tokens of @d. */
static unsigned raise_some(struct stress_dev *d, uint32_t *rot)
{
	unsigned ph = atomic_load(&d->phase), n = 0;

	for (unsigned k = 0; k < d->ntok && n < BURST; k++) {
		struct stress_token *t = &d->tok[(*rot + k) % d->ntok];
		int s = TOK_FREE, cls;
		unsigned ph2;

		if (!atomic_compare_exchange_strong(&t->state, &s, TOK_RAISING))
			continue;
		nirq_sim_inject(d->pf, t->bit);
		/* Inside a registration only if the phase was the same even value throughout. */
		ph2 = atomic_load(&d->phase);
		cls = ph == ph2 && !(ph & 1) ? TOK_STRICT : TOK_EXEMPT;
		s = TOK_RAISING;
		(void)atomic_compare_exchange_strong(&t->state, &s, cls);
		stress_add(stress_tot.raised[d->kind], 1);
		if (cls == TOK_STRICT)
			stress_add(stress_tot.raised_strict, 1);
		else
			stress_add(stress_tot.raised_exempt, 1);
		n++;
	}
	*rot += 1;
	return n;
}

static void *injector_main(void *arg)
{
	unsigned id = (unsigned)(uintptr_t)arg;
	uint32_t rot = id, foreign = 0;

	while (!stopping()) {
		unsigned n = 0;

		for (unsigned i = id; i < S.ndev; i += INJECTORS) {
			struct stress_dev *d = S.devs[i];

			n += raise_some(d, &rot);
			if (d->foreign && ++foreign % 64 == 0) {
				nirq_sim_foreign_assert(d->pf);
				stress_add(stress_tot.foreign_asserts, 1);
			}
		}
		if (!n)
			sched_yield();
	}
	return NULL;
}

/* Let the registration live until it took a few interrupts (bounded). */
static void churn_live(struct stress_dev *d, uint32_t r)
{
	uint64_t want = r % 4;

	for (unsigned i = 0; i < 64 && atomic_load(&d->isr_this_reg) < want; i++)
		sched_yield();
}

static void *churn_main(void *arg)
{
	struct churner *c = arg;

	for (uint64_t i = 0; !stopping(); i++) {
		struct stress_dev *d = c->devs[i % CHURN_DEVS];
		uint32_t r = xorshift(&c->seed);

		if (i >= CHURN_DEVS && i % RESTART_EVERY < CHURN_DEVS) {
			adapter_stop(d);
			adapter_start(d);
			stress_add(stress_tot.restarts, 1);
		}
		d->fail_next_init = i % FAIL_EVERY == FAIL_EVERY - 1;
		if (adapter_initialize(d)) {
			churn_live(d, r);
			nirq_host_adapter_halt(d->ad);
		}
		stress_add(stress_tot.cycles, 1);
	}
	return NULL;
}

static void *passive_main(void *arg)
{
	uint32_t x = 0x9e3779b9u * (uint32_t)(uintptr_t)arg + 1;

	while (!stopping()) {
		uint32_t r = xorshift(&x);

		stress_passive_op(S.devs[r % S.ndev], xorshift(&x));
		if (r % 4 == 0)
			sched_yield(); /* leave the CPUs to the processors */
	}
	return NULL;
}

/* ------------------------------------------------------------ setup */

static void setup(void)
{
	struct nirq_rt_config cfg;
	int err;

	nirq_rt_config_init(&cfg);
	cfg.processors = STRESS_PROCS;
	cfg.log = log_sink;
	err = nirq_rt_create(&cfg, &S.rt);
	if (err)
		fatal("nirq_rt_create: %s", strerror(-err));
	host_load(&S.steady);
	for (unsigned i = 0; i < sizeof(steady_specs) / sizeof(steady_specs[0]); i++)
		make_dev(&steady_specs[i], &S.steady, false, i);
	S.nsteady = S.ndev;
	for (unsigned t = 0; t < CHURNERS; t++) {
		struct churner *c = &S.churn[t];

		host_load(&c->h);
		c->seed = 2463534242u + t;
		for (unsigned i = 0; i < CHURN_DEVS; i++)
			c->devs[i] = make_dev(&churn_specs[(i + t) % CHURN_DEVS], &c->h, true, t);
	}
	for (unsigned i = 0; i < S.ndev; i++)
		adapter_start(S.devs[i]);
	for (unsigned i = 0; i < S.nsteady; i++)
		if (!adapter_initialize(S.devs[i]))
			fatal("%s: initialize failed", S.devs[i]->name);
}

static void teardown(void)
{
	for (unsigned i = 0; i < S.nsteady; i++)
		nirq_host_adapter_halt(S.devs[i]->ad);
	for (unsigned i = 0; i < S.ndev; i++)
		adapter_stop(S.devs[i]);
	host_unload(&S.steady);
	for (unsigned t = 0; t < CHURNERS; t++)
		host_unload(&S.churn[t].h);
}

/* ------------------------------------------------------------- run */

/* What must keep moving: raises, ISR calls, register/deregister cycles. */
static void progress_marks(uint64_t m[3])
{
	m[0] = raised_total();
	m[1] = stress_get(stress_tot.isr_calls);
	m[2] = stress_get(stress_tot.cycles);
}

static void dump_tokens(void)
{
	for (unsigned i = 0; i < S.ndev; i++) {
		struct stress_dev *d = S.devs[i];

		fprintf(stderr, "stress:   %-24s phase %u tokens", d->name, atomic_load(&d->phase));
		for (unsigned k = 0; k < d->ntok; k++)
			fprintf(stderr, " %d", atomic_load(&d->tok[k].state));
		fputc('\n', stderr);
	}
}

/*
 * Wait for the targets and report progress. Raises, ISR calls and cycles all
 * move until the end; one of them standing still for STALL_SECONDS is a hang
 * (a deregistration that never returns, a processor that stopped).
 */
static void monitor(void)
{
	static const char *const what[3] = { "interrupt raised", "ISR call", "register/deregister cycle" };
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	double last_change[3], last_print = now_s();
	uint64_t mark[3], m[3];

	progress_marks(mark);
	for (int i = 0; i < 3; i++)
		last_change[i] = last_print;
	while (raised_total() < S.raise_target ||
	       stress_get(stress_tot.cycles) < S.cycle_target) {
		double t = now_s();

		nanosleep(&tick, NULL);
		progress_marks(m);
		for (int i = 0; i < 3; i++) {
			if (m[i] != mark[i]) {
				mark[i] = m[i];
				last_change[i] = t;
			} else if (t - last_change[i] > STALL_SECONDS * S.tmult) {
				fprintf(stderr, "stress: FAIL: no %s for %.0f s: hang\n", what[i],
					t - last_change[i]);
				dump_tokens();
				_exit(1);
			}
		}
		if (t - last_print >= 10) {
			last_print = t;
			printf("stress: %6.1f s: %llu interrupts raised, %llu ISR calls, %llu cycles\n",
			       t - (double)S.t0 / 1e9, (unsigned long long)m[0],
			       (unsigned long long)m[1], (unsigned long long)m[2]);
		}
	}
}

static void run(void)
{
	pthread_t inj[INJECTORS], pas[PASSIVES];

	S.t0 = nirq_now_ns();
	for (uintptr_t i = 0; i < INJECTORS; i++)
		if (pthread_create(&inj[i], NULL, injector_main, (void *)i))
			fatal("pthread_create");
	for (unsigned t = 0; t < CHURNERS; t++)
		if (pthread_create(&S.churn[t].thread, NULL, churn_main, &S.churn[t]))
			fatal("pthread_create");
	for (uintptr_t i = 0; i < PASSIVES; i++)
		if (pthread_create(&pas[i], NULL, passive_main, (void *)i))
			fatal("pthread_create");
	monitor();
	atomic_store(&S.stop, true);
	for (unsigned i = 0; i < INJECTORS; i++)
		pthread_join(inj[i], NULL);
	for (unsigned t = 0; t < CHURNERS; t++)
		pthread_join(S.churn[t].thread, NULL);
	for (unsigned i = 0; i < PASSIVES; i++)
		pthread_join(pas[i], NULL);
}

/* ---------------------------------------------------------- report */

static uint64_t leftover_tokens(void)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < S.ndev; i++)
		for (unsigned k = 0; k < S.devs[i]->ntok; k++)
			n += atomic_load(&S.devs[i]->tok[k].state) != TOK_FREE;
	return n;
}

#define T(f) ((unsigned long long)stress_get(stress_tot.f))

static void info(const char *what, unsigned long long n)
{
	printf("  %-58s %12llu\n", what, n);
}

static int check(const char *what, unsigned long long got, unsigned long long want)
{
	bool ok = got == want;

	printf("  %-58s %12llu  %s\n", what, got, ok ? "ok" : "FAILED");
	if (!ok)
		printf("  %-58s %12llu\n", "  expected", want);
	return ok ? 0 : 1;
}

static void report_totals(double secs)
{
	unsigned long long raised = raised_total(), cycles = T(cycles);

	printf("stress: %u logical processors on %ld host CPU(s), scale %g%s, %.1f s\n",
	       STRESS_PROCS, sysconf(_SC_NPROCESSORS_ONLN), S.scale,
	       STRESS_TSAN ? " (ThreadSanitizer build: a tenth of the work)" : "", secs);
	printf("stress: adapters: %u long-lived, %u churned by %u threads\n", S.nsteady,
	       S.ndev - S.nsteady, CHURNERS);
	printf("stress: interrupts raised: %llu (MSI-X %llu, MSI %llu, line %llu) = %.0f/s; "
	       "device messages and line assertions %llu\n", raised, T(raised[NIRQ_KIND_MSIX]),
	       T(raised[NIRQ_KIND_MSI]), T(raised[NIRQ_KIND_LINE]), raised / secs,
	       (unsigned long long)stress_get(S.sim_messages));
	printf("stress: register/deregister cycles: %llu (failed initialize %llu, adapter "
	       "restarts %llu) = %.0f/s\n", cycles, T(failed_inits), T(restarts), cycles / secs);
	printf("stress: ISR calls %llu = %.0f/s (claimed %llu, nothing pending %llu; foreign "
	       "line assertions %llu); DPC runs %llu (MoreNblsPending %llu)\n", T(isr_calls),
	       T(isr_calls) / secs, T(isr_claimed), T(isr_empty), T(foreign_asserts), T(dpc_runs),
	       T(more_nbls));
	printf("stress: NdisMQueueDpcEx calls from ISRs %llu, DPCs %llu, passive threads %llu; "
	       "NdisMSynchronizeWithInterruptEx from DPCs %llu, passive threads %llu\n",
	       T(qdpc_calls[SRC_ISR]), T(qdpc_calls[SRC_DPC]), T(qdpc_calls[SRC_PASSIVE]),
	       T(sync_calls[SRC_DPC]), T(sync_calls[SRC_PASSIVE]));
}

static int report(double secs, uint64_t leftover, uint64_t reports)
{
	unsigned long long raised = raised_total();
	unsigned long long qbits = T(qdpc_bits[SRC_ISR]) + T(qdpc_bits[SRC_DPC]) +
				   T(qdpc_bits[SRC_PASSIVE]);
	int bad = 0;

	report_totals(secs);
	printf("stress: where every raise went\n");
	info("raised inside a registration", T(raised_strict));
	info("raised outside one, or after deregistration began", T(raised_exempt));
	info("seen by an ISR (alone, or coalesced into one ISR call)", T(seen));
	info("  coalesced: seen by an ISR call that saw another raise", T(coalesced));
	info("  seen although raised outside a registration", T(seen_exempt));
	info("cleared by initialize (raised while unregistered)", T(reclaimed));
	info("still pending at the end (raised after a device's last halt)", leftover);
	printf("stress: invariants\n");
	bad |= check("raised = seen + cleared + still pending", T(seen) + T(reclaimed) + leftover,
		     raised);
	bad |= check("lost: raised inside a registration, no ISR saw it", T(lost), 0);
	bad |= check("cause bits an ISR saw without a raise", T(phantom), 0);
	bad |= check("raises left inside a registration after it ended", T(token_errors), 0);
	bad |= check("NdisMQueueDpcEx bits returned set, all checked", T(set_bits_checked), qbits);
	bad |= check("DPC runs with that context (one per set bit)", T(dpc_ctx_runs), qbits);
	bad |= check("(message, processor) pairs where bits != runs", T(dpc_mismatch), 0);
	bad |= check("ISR, DPC, sync callbacks after deregistration (poison)",
		     T(late_isr) + T(late_dpc) + T(late_sync), 0);
	bad |= check("synchronize callbacks overlapping an ISR of their lock",
		     T(sync_isr_overlap) + T(sync_sync_overlap), 0);
	bad |= check("ISRs overlapping an ISR of the same lock", T(isr_isr_overlap), 0);
	bad |= check("DPC objects running concurrently with themselves", T(dpc_self_overlap), 0);
	bad |= check("wrong IRQL, wrong processor, unknown DPC context",
		     T(irql_errors) + T(processor_errors) + T(bad_ctx), 0);
	bad |= check("unexpected grants and initialize failures", T(grant_errors) + T(init_errors),
		     0);
	bad |= check("verifier reports", reports, 0);
	bad |= check("unexpected error and warning log lines", stress_get(S.log_unexpected), 0);
	bad |= check("interrupts raised >= target", raised >= S.raise_target, 1);
	bad |= check("register/deregister cycles >= target", T(cycles) >= S.cycle_target, 1);
	printf("stress: %s\n", bad ? "FAILED" : "PASSED");
	return bad;
}

static void free_all(void)
{
	for (unsigned i = 0; i < S.ndev; i++) {
		struct stress_dev *d = S.devs[i];

		while (d->retired) {
			struct stress_reg *r = d->retired;

			d->retired = r->next;
			free(r);
		}
		d->pf->ops->destroy(d->pf);
		pthread_mutex_destroy(&d->gate);
		free(d);
	}
}

int main(void)
{
	double work, secs;
	uint64_t leftover, reports;
	int bad;

	setvbuf(stdout, NULL, _IOLBF, 0);
	S.scale = env_positive("NDISIRQ_STRESS_SCALE", 1);
	S.tmult = env_positive("NIRQ_TEST_TIMEOUT_MULTIPLIER", 1);
	work = S.scale * (STRESS_TSAN ? TSAN_FRACTION : 1.0);
	S.raise_target = (uint64_t)(BASE_RAISES * work);
	S.cycle_target = (uint64_t)(BASE_CYCLES * work);
	printf("stress: target %llu interrupts, %llu register/deregister cycles%s\n",
	       (unsigned long long)S.raise_target, (unsigned long long)S.cycle_target,
	       STRESS_TSAN ? " (ThreadSanitizer: scaled down by 10)" : "");
	setup();
	run();
	secs = (double)(nirq_now_ns() - S.t0) / 1e9;
	teardown();
	leftover = leftover_tokens();
	reports = nirq_rt_reports(S.rt);
	bad = report(secs, leftover, reports);
	nirq_rt_destroy(S.rt);
	free_all();
	return bad;
}
