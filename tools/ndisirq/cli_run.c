// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * `ndisirq run`: runtime, simulated device or VFIO device, miniport host,
 * the event generator that plays the hardware (on VFIO: writes to the
 * device's trigger register through BAR0), and the report printed at the end.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include <ndisirq/nirq_host.h>

#include "cli.h"

/* One device event every GEN_PERIOD_NS: modest, so any host keeps up. */
#define GEN_PERIOD_NS 200000L
/* Ticks given to a spurious signal or a foreign line assertion: 1 in 8. */
#define GEN_EXTRA_EVERY 8u

/* Device causes the generator cycles through, per model (nirq_sim_inject). */
static const uint32_t edu_causes[] = { 0x1 };
static const uint32_t e1000_causes[] = {
	1u << 20, /* RxQ0 */
	1u << 21, /* RxQ1 */
	1u << 22, /* TxQ0 */
	1u << 23, /* TxQ1 */
	1u << 24, /* Other */
};

/* Real devices (VFIO) the generator can make interrupt, by PCI IDs. */
enum gen_device { GEN_SIM = 0, GEN_EDU, GEN_E1000, GEN_IVSHMEM };

#define EDU_REG_RAISE 0x60     /* edu: status |= value, interrupt raised */
#define E1000_REG_ICS 0xC8     /* e1000/e1000e: interrupt cause set */
#define IVSHMEM_REG_IVPOS 0x08 /* ivshmem: own peer ID */
#define IVSHMEM_REG_DOORBELL 0x0C /* ivshmem: (peer << 16) | vector */

struct generator {
	struct nirq_platform *pf;
	enum gen_device dev;   /* GEN_SIM: nirq_sim_inject */
	volatile uint32_t *bar0; /* VFIO: direct BAR0 mapping, or NULL: mmio_write */
	void *bar0_va;
	bool bar0_direct;      /* VFIO: BAR0 was mmapped (else pwrite) */
	uint32_t ivposition;
	uint32_t vectors;      /* ivshmem: doorbell vectors cycled */
	const uint32_t *causes;
	unsigned ncauses;
	bool spurious;
	uint32_t spurious_vec;
	bool foreign_line;
	uint64_t next_cause;   /* generator thread only */
	atomic_bool stop;
	uint64_t events;
	pthread_t thread;
	bool running;
};

struct run {
	const struct cli_run_opts *o;
	struct nirq_rt *rt;
	struct nirq_platform *pf;
	struct nirq_host *host;
	struct nirq_adapter *ad;
	struct generator gen;
	bool failed;
	uint64_t calls_at_halt;
	uint64_t calls_after_halt;
};

static void run_fail(struct run *r, const char *fmt, ...) NIRQ_PRINTF(2, 3);

static void run_fail(struct run *r, const char *fmt, ...)
{
	va_list ap;

	fputs("ndisirq: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	r->failed = true;
}

/* ---------------------------------------------------------- generator */

static void timespec_add_ns(struct timespec *t, long ns)
{
	t->tv_nsec += ns;
	while (t->tv_nsec >= 1000000000L) {
		t->tv_nsec -= 1000000000L;
		t->tv_sec++;
	}
}

static void bar0_write(struct generator *g, uint32_t off, uint32_t val)
{
	if (g->bar0)
		g->bar0[off / 4] = val;
	else
		g->pf->ops->mmio_write(g->pf, 0, off, 4, val);
}

static uint32_t bar0_read(struct generator *g, uint32_t off)
{
	return g->bar0 ? g->bar0[off / 4] : g->pf->ops->mmio_read(g->pf, 0, off, 4);
}

/* A real device's event: write its trigger register (VFIO). */
static void gen_write_trigger(struct generator *g)
{
	uint64_t i = g->next_cause++;

	switch (g->dev) {
	case GEN_EDU:
		bar0_write(g, EDU_REG_RAISE, g->causes[i % g->ncauses]);
		break;
	case GEN_E1000:
		bar0_write(g, E1000_REG_ICS, g->causes[i % g->ncauses]);
		break;
	case GEN_IVSHMEM:
		bar0_write(g, IVSHMEM_REG_DOORBELL, (g->ivposition << 16) |
			   (uint32_t)(i % g->vectors));
		break;
	default:
		break;
	}
}

/*
 * Tick @i: a device event, round-robin over the causes; every
 * GEN_EXTRA_EVERY-th tick is instead a foreign assertion of the line, and
 * the one half-way between a spurious signal, so that these show up on
 * their own (unclaimed) rather than merged with a real event.
 */
static void gen_tick(struct generator *g, uint64_t i)
{
	if (g->foreign_line && i % GEN_EXTRA_EVERY == 0)
		nirq_sim_foreign_assert(g->pf);
	else if (g->spurious && i % GEN_EXTRA_EVERY == GEN_EXTRA_EVERY / 2)
		nirq_sim_spurious(g->pf, g->spurious_vec);
	else if (g->dev == GEN_SIM)
		nirq_sim_inject(g->pf, g->causes[g->next_cause++ % g->ncauses]);
	else
		gen_write_trigger(g);
}

static void *gen_main(void *arg)
{
	struct generator *g = arg;
	struct timespec next;
	uint64_t i = 0;

	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!atomic_load_explicit(&g->stop, memory_order_acquire)) {
		gen_tick(g, i++);
		timespec_add_ns(&next, GEN_PERIOD_NS);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
	}
	g->events = i;
	return NULL;
}

/* Which real device this is, from its IDs; GEN_SIM when unknown. */
static enum gen_device gen_device_of(const struct nirq_pci_caps *c)
{
	if (c->vendor_id == 0x1234 && c->device_id == 0x11e8)
		return GEN_EDU;
	if (c->vendor_id == 0x8086 && (c->device_id == 0x10d3 || c->device_id == 0x100e))
		return GEN_E1000;
	if (c->vendor_id == 0x1af4 && c->device_id == 0x1110)
		return GEN_IVSHMEM;
	return GEN_SIM;
}

/*
 * On VFIO: identify the device and map its BAR0 for the trigger writes.
 * Return: 1 when there is a generator to start, 0 when not (said on stderr).
 */
static int gen_prepare_vfio(struct run *r)
{
	struct generator *g = &r->gen;
	struct nirq_pci_caps caps;
	bool direct = false;
	void *va = NULL;

	if (r->pf->ops->describe(r->pf, &caps))
		caps = (struct nirq_pci_caps){ 0 };
	g->dev = gen_device_of(&caps);
	if (g->dev == GEN_SIM) {
		fprintf(stderr, "ndisirq: no event generator for device %s "
			"(%04x:%04x: not edu, e1000e, e1000 or ivshmem); running "
			"without generated events\n", r->o->bdf, caps.vendor_id,
			caps.device_id);
		return 0;
	}
	if (r->pf->ops->map_bar(r->pf, 0, &va, &direct)) {
		fprintf(stderr, "ndisirq: cannot map BAR0 of %s for the event "
			"generator; running without generated events\n", r->o->bdf);
		g->dev = GEN_SIM;
		return 0;
	}
	g->bar0_va = va;
	g->bar0_direct = direct;
	g->bar0 = direct ? va : NULL;
	g->causes = g->dev == GEN_EDU ? edu_causes : e1000_causes;
	g->ncauses = g->dev == GEN_EDU ? sizeof(edu_causes) / sizeof(edu_causes[0])
				       : sizeof(e1000_causes) / sizeof(e1000_causes[0]);
	if (g->dev == GEN_IVSHMEM) {
		const struct nirq_grant *gr = nirq_host_adapter_grant(r->ad);

		g->ivposition = bar0_read(g, IVSHMEM_REG_IVPOS) & 0xffff;
		g->vectors = gr && gr->kind != NIRQ_KIND_NONE && gr->count ? gr->count : 1;
	}
	return 1;
}

/* Unmap the generator's own BAR0 mapping (VFIO). */
static void gen_release(struct generator *g)
{
	if (g->bar0_va)
		g->pf->ops->unmap_bar(g->pf, 0, g->bar0_va);
	g->bar0_va = NULL;
	g->bar0 = NULL;
}

static int gen_start(struct run *r)
{
	struct generator *g = &r->gen;
	int rc;

	g->pf = r->pf;
	if (r->o->platform == CLI_PLATFORM_VFIO) {
		if (!gen_prepare_vfio(r))
			return 0;
	} else if (r->o->model == NIRQ_SIM_EDU) {
		g->causes = edu_causes;
		g->ncauses = sizeof(edu_causes) / sizeof(edu_causes[0]);
	} else {
		g->causes = e1000_causes;
		g->ncauses = sizeof(e1000_causes) / sizeof(e1000_causes[0]);
	}
	g->spurious = r->o->spurious;
	g->spurious_vec = r->o->spurious_vec;
	g->foreign_line = r->o->foreign_line;
	atomic_init(&g->stop, false);
	rc = pthread_create(&g->thread, NULL, gen_main, g);
	if (rc) {
		run_fail(r, "cannot start the event generator: %s", strerror(rc));
		gen_release(g);
		return -rc;
	}
	g->running = true;
	return 0;
}

static void gen_stop(struct generator *g)
{
	if (!g->running)
		return;
	atomic_store_explicit(&g->stop, true, memory_order_release);
	pthread_join(g->thread, NULL);
	g->running = false;
	gen_release(g);
}

static void sleep_seconds(double s)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += (time_t)s;
	timespec_add_ns(&t, (long)((s - (double)(time_t)s) * 1e9));
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
		;
}

/* ------------------------------------------------------------- report */

/* ISR and DPC calls of the whole grant so far. */
static uint64_t grant_calls(const struct nirq_grant *g)
{
	uint64_t n = 0;

	if (!g || !g->stats)
		return 0;
	for (uint32_t i = 0; i < g->count * g->processors; i++)
		n += g->stats[i].interrupts + g->stats[i].dpcs;
	return n;
}

static const char *interrupt_type_name(int type)
{
	switch (type) {
	case 1: return "NDIS_CONNECT_LINE_BASED";
	case 2: return "NDIS_CONNECT_MESSAGE_BASED";
	default: return "none registered";
	}
}

static void print_latency(const struct nirq_grant *g, uint32_t m, bool first)
{
	const struct nirq_lat_hist *h = g->latency ? &g->latency[m] : NULL;

	if (!first || !h || !h->count) {
		printf("  %15s  %8s\n", "-", "-");
		return;
	}
	printf("  %15llu  %8llu\n",
	       (unsigned long long)nirq_lat_percentile(h, 50.0),
	       (unsigned long long)nirq_lat_percentile(h, 99.0));
}

static void print_message_rows(const struct nirq_grant *g, uint32_t m)
{
	bool first = true;

	for (uint32_t p = 0; p < g->processors; p++) {
		const struct nirq_msg_stats *s = &g->stats[m * g->processors + p];

		if (p != g->target[m] && !s->interrupts && !s->dpcs && !s->coalesced)
			continue;
		printf("%7u  %9u  %10llu  %10llu  %10llu  %9llu", m, p,
		       (unsigned long long)s->interrupts,
		       (unsigned long long)s->claimed,
		       (unsigned long long)s->dpcs,
		       (unsigned long long)s->coalesced);
		print_latency(g, m, first);
		first = false;
	}
}

static void print_table(const struct nirq_grant *g)
{
	if (!g->stats || !g->count) {
		printf("no interrupt statistics (no interrupt resources)\n");
		return;
	}
	printf("\n%7s  %9s  %10s  %10s  %10s  %9s  %15s  %8s\n", "message",
	       "processor", "interrupts", "claimed", "DPCs", "coalesced",
	       "ISR->DPC p50 ns", "p99 ns");
	for (uint32_t m = 0; m < g->count; m++)
		print_message_rows(g, m);
	if (g->kind == NIRQ_KIND_LINE)
		printf("unclaimed line interrupts (ISR returned FALSE): %llu\n",
		       (unsigned long long)g->unclaimed_line);
}

static void print_report(struct run *r)
{
	const struct nirq_grant *g = nirq_host_adapter_grant(r->ad);
	uint32_t messages = 0;
	int type = nirq_host_adapter_interrupt_type(r->ad, &messages);

	if (r->o->platform == CLI_PLATFORM_VFIO) {
		struct nirq_pci_caps c = { 0 };

		(void)r->pf->ops->describe(r->pf, &c);
		printf("device:        %s (vfio, %04x:%04x), %u processor(s)\n",
		       r->o->bdf, c.vendor_id, c.device_id, nirq_rt_processors(r->rt));
	} else {
		printf("device:        %s (sim), %u processor(s)\n",
		       nirq_sim_model_name(r->o->model), nirq_rt_processors(r->rt));
	}
	printf("assigned:      %s, %u vector(s)\n", nirq_kind_name(g->kind),
	       g->kind == NIRQ_KIND_NONE ? 0 : g->count);
	if (type == 2)
		printf("InterruptType: %s, %u message(s)\n",
		       interrupt_type_name(type), messages);
	else
		printf("InterruptType: %s%s\n", interrupt_type_name(type),
		       type == 1 ? " (no MessageInfoTable)" : "");
	if (r->gen.dev != GEN_SIM)
		printf("events:        %llu generated over %.3g s (BAR0 writes, %s)\n",
		       (unsigned long long)r->gen.events, r->o->duration,
		       r->gen.bar0_direct ? "mmapped" : "pwrite");
	else if (r->gen.events || r->o->duration > 0)
		printf("events:        %llu generated over %.3g s\n",
		       (unsigned long long)r->gen.events, r->o->duration);
	print_table(g);
	printf("after deregistration: %llu ISR/DPC call(s)\n",
	       (unsigned long long)r->calls_after_halt);
}

/* ------------------------------------------------------------- steps */

static int setup(struct run *r)
{
	struct nirq_rt_config rc_cfg;
	struct nirq_sim_config sim_cfg;
	int rc;

	nirq_rt_config_init(&rc_cfg);
	rc_cfg.processors = r->o->processors;
	rc_cfg.log = nirq_log_stderr;
	rc = nirq_rt_create(&rc_cfg, &r->rt);
	if (rc) {
		run_fail(r, "cannot create the runtime: %s", strerror(-rc));
		return rc;
	}
	if (r->o->platform == CLI_PLATFORM_VFIO) {
		struct nirq_vfio_config vcfg = { .bdf = r->o->bdf };
		char why[512];

		rc = nirq_vfio_open(&vcfg, &r->pf, why, sizeof(why));
		if (rc) {
			r->pf = NULL;
			run_fail(r, "cannot open %s through VFIO: %s", r->o->bdf, why);
			return rc;
		}
	} else {
		nirq_sim_config_init(&sim_cfg, r->o->model);
		sim_cfg.faults = r->o->faults;
		rc = nirq_sim_create(&sim_cfg, &r->pf);
		if (rc) {
			run_fail(r, "cannot create the simulated %s: %s",
				 nirq_sim_model_name(r->o->model), strerror(-rc));
			return rc;
		}
	}
	rc = nirq_host_create(r->rt, &r->host);
	if (rc)
		run_fail(r, "cannot create the miniport host: %s", strerror(-rc));
	return rc;
}

static int load(struct run *r)
{
	int32_t status = 0;
	int rc = nirq_host_load(r->host, r->o->miniport, &status);

	if (rc) {
		run_fail(r, "cannot load miniport '%s': %s", r->o->miniport,
			 rc == -ENOEXEC ? "not a loadable miniport (see the log above)"
					: strerror(-rc));
		return rc;
	}
	if (status) {
		run_fail(r, "DriverEntry of '%s' returned 0x%08x",
			 r->o->miniport, (uint32_t)status);
		return -EIO;
	}
	return 0;
}

static int start_and_initialize(struct run *r)
{
	int32_t status;
	int rc = nirq_host_adapter_start(r->host, r->pf, &r->o->policy, &r->ad);

	if (rc) {
		run_fail(r, "cannot start the adapter: %s", rc == -ENOENT
			 ? "DriverEntry registered no miniport driver "
			   "(NdisMRegisterMiniportDriver)" : strerror(-rc));
		return rc;
	}
	if (r->o->spurious && r->o->spurious_vec >= nirq_host_adapter_grant(r->ad)->count) {
		run_fail(r, "--fault spurious=%u: the adapter was assigned only %u "
			 "vector(s)", r->o->spurious_vec,
			 nirq_host_adapter_grant(r->ad)->count);
		return -EINVAL;
	}
	status = nirq_host_adapter_initialize(r->ad);
	if (status) {
		run_fail(r, "MiniportInitializeEx returned 0x%08x", (uint32_t)status);
		return -EIO;
	}
	return 0;
}

/*
 * Run, then halt while the device keeps raising events: nothing of the
 * interrupt may run once MiniportHaltEx (and its deregistration) returned.
 */
static void run_and_halt(struct run *r)
{
	const struct nirq_grant *g = nirq_host_adapter_grant(r->ad);

	if (r->o->duration > 0 && gen_start(r) == 0)
		sleep_seconds(r->o->duration);
	nirq_host_adapter_halt(r->ad);
	r->calls_at_halt = grant_calls(g);
	gen_stop(&r->gen);
}

static void finish(struct run *r)
{
	uint64_t reports = r->rt ? nirq_rt_reports(r->rt) : 0;

	if (reports)
		run_fail(r, "the verifier reported %llu misuse(s) (see the log above)",
			 (unsigned long long)reports);
	if (r->ad)
		nirq_host_adapter_stop(r->ad);
	nirq_host_destroy(r->host);
	if (r->pf)
		r->pf->ops->destroy(r->pf);
	if (r->rt)
		nirq_rt_destroy(r->rt);
}

int cli_run(const struct cli_run_opts *o)
{
	struct run r = { .o = o };
	bool halted = false;

	if (!setup(&r) && !load(&r) && !start_and_initialize(&r)) {
		run_and_halt(&r);
		halted = true;
	}
	if (r.host)
		nirq_host_unload(r.host);
	if (halted) {
		r.calls_after_halt = grant_calls(nirq_host_adapter_grant(r.ad)) -
				     r.calls_at_halt;
		if (r.calls_after_halt)
			run_fail(&r, "%llu ISR/DPC call(s) ran after the interrupt "
				 "was deregistered",
				 (unsigned long long)r.calls_after_halt);
	}
	if (r.ad)
		print_report(&r);
	finish(&r);
	return r.failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
