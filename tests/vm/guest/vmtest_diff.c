// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Issue 4 §2 test 9, differential: inside the guest, the same scenario runs
 * on the sim platform's model of a device (nirq_sim_create) and on QEMU's
 * device through VFIO (nirq_vfio_open), with the sample miniport, the same
 * policy and the same processor count. The results compare what the two
 * runs saw:
 *
 *   diff_<dev><variant>_same_grant            InterruptType, message count,
 *                                             kind and each message's processor
 *   diff_<dev><variant>_same_claims_per_message  ISR returned TRUE, per message
 *   diff_<dev><variant>_same_dpc_placement    DPCs per (message, processor)
 *
 * Devices: e1000e (samples/e1000e) - the subject of the test - and, with
 * the same machinery, e1000 (82540EM, line only, samples/e1000e) and edu
 * (samples/edu; variants "" = MSI and "_line" = MSISupported=0, triggered
 * by writing IRQ_RAISE).
 *
 * e1000e variants: "" (default policy: MSI-X, 5 messages, one cause each),
 * "_msglimit2" (MessageNumberLimit=2: two messages share the causes and
 * their ISRs read ICR), "_msglimit1" (MessageNumberLimit=1) and "_line"
 * (MSISupported=0: INTx).
 *
 * Scenario: each cause (RxQ0, RxQ1, TxQ0, TxQ1, Other) is raised ROUNDS
 * times, then each of four pairs of causes (one ICS write raising two
 * causes, on two messages when the causes are spread over two) ROUNDS
 * times, by writing ICS through BAR0 with nirq_mmio_write - the same code
 * path on both platforms (a sim BAR window reaches the model, a VFIO BAR is
 * a direct mapping). After each trigger the program waits (bounded poll,
 * never a timing assert) until the DPCs of that trigger have returned - one
 * per message hit, the sample routing cause i to message i mod count - then
 * leaves TRIGGER_GAP_US before the next trigger, more than QEMU 7.2's e1000e
 * throttle interval (128 us), so no interrupt is postponed and the counts
 * are deterministic. Interrupts the ISR did not claim (QEMU's spurious
 * re-fire of a throttled vector) may differ; they are reported in the
 * detail, not compared.
 *
 * The pairs on shared messages are what tells QEMU 7.2 from a device whose
 * ICR read clears in MSI-X mode (as QEMU 8.1's does when an enabled cause is
 * asserted): there the first ISR's read takes the other message's cause and
 * the second ISR finds nothing.
 *
 * Development outside a guest: `vmtest_diff --sim-vs-sim` runs the sim
 * twice (no VFIO needed), which checks the program itself.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ndisirq/ndisirq.h>
#include <ndisirq/nirq_host.h>
#include <ndisirq/nirq_platform_sim.h>
#include <ndisirq/nirq_platform_vfio.h>

#include "vmguest.h"

#define DEFAULT_SAMPLES "/opt/nirq/samples" /* vm-run copies the samples there */

#define REG_ICS 0x00c8       /* e1000e, e1000: interrupt cause set */
#define EDU_IRQ_RAISE 0x0060 /* edu: status |= value, interrupt */
#define ICR_TXDW (1u << 0)
#define ICR_RXT0 (1u << 7)
#define ICR_RXQ0 (1u << 20)
#define ICR_RXQ1 (1u << 21)
#define ICR_TXQ0 (1u << 22)
#define ICR_TXQ1 (1u << 23)
#define ICR_OTHER (1u << 24)

#define ROUNDS 8                  /* triggers per cause */
#define TRIGGER_GAP_US 400        /* > 128 us QEMU 7.2 throttle, > 200 us asked */
#define DPC_WAIT_NS 3000000000ll  /* bound of the wait for one DPC */
#define QUIET_US 50000            /* after the last trigger: late or spurious ISRs */
#define POLL_US 50
#define MAX_MSG 8
#define MAX_PROC 8

/* IVAR order, as the sample routes them: cause i -> message i mod count. */
static const uint32_t diff_cause[] = { ICR_RXQ0, ICR_RXQ1, ICR_TXQ0, ICR_TXQ1, ICR_OTHER };
#define NCAUSES (sizeof(diff_cause) / sizeof(diff_cause[0]))

/* e1000e: every cause alone, then pairs that span both of two messages. */
static const uint32_t e1000e_trigger[] = {
	ICR_RXQ0, ICR_RXQ1, ICR_TXQ0, ICR_TXQ1, ICR_OTHER,
	ICR_RXQ0 | ICR_RXQ1, ICR_TXQ0 | ICR_TXQ1, ICR_OTHER | ICR_RXQ1, ICR_RXQ0 | ICR_TXQ1,
};
/* e1000 (82540EM): the sample's line causes, alone and together. */
static const uint32_t e1000_trigger[] = {
	ICR_TXDW, ICR_RXT0, ICR_RXQ0, ICR_TXDW | ICR_RXT0,
};
/* edu: interrupt status bits (factorial, DMA, others), alone and together. */
static const uint32_t edu_trigger[] = { 0x1, 0x100, 0x2, 0x101 };

enum diff_platform { DIFF_SIM, DIFF_VFIO };

struct diff_variant {
	const char *tag;    /* inserted after "diff_e1000e" */
	const char *policy; /* NULL: default policy */
	const char *value;
};

static const struct diff_variant e1000e_variants[] = {
	{ "", NULL, NULL },
	{ "_msglimit2", "MessageNumberLimit", "2" },
	{ "_msglimit1", "MessageNumberLimit", "1" },
	{ "_line", "MSISupported", "0" },
};
static const struct diff_variant e1000_variants[] = { { "", NULL, NULL } };
static const struct diff_variant edu_variants[] = {
	{ "", NULL, NULL },
	{ "_line", "MSISupported", "0" },
};

#define N(a) (unsigned)(sizeof(a) / sizeof((a)[0]))

/* A device both platforms run: the QEMU function and its sim model. */
struct diff_device {
	const char *name;          /* in the result names: diff_<name>... */
	uint16_t vendor, device;
	enum nirq_sim_model model;
	const char *sample;        /* file name in the samples directory */
	uint32_t trigger_reg;      /* BAR0 register the triggers are written to */
	const uint32_t *trigger;
	unsigned ntriggers;
	bool cause_routing;        /* MSI-X causes go to message i mod count */
	const struct diff_variant *variant;
	unsigned nvariants;
};

static const struct diff_device diff_devices[] = {
	{ "e1000e", 0x8086, 0x10d3, NIRQ_SIM_E1000E, "libndisirq_e1000e.so", REG_ICS,
	  e1000e_trigger, N(e1000e_trigger), true, e1000e_variants, N(e1000e_variants) },
	{ "e1000", 0x8086, 0x100e, NIRQ_SIM_E1000, "libndisirq_e1000e.so", REG_ICS,
	  e1000_trigger, N(e1000_trigger), false, e1000_variants, N(e1000_variants) },
	{ "edu", 0x1234, 0x11e8, NIRQ_SIM_EDU, "libndisirq_edu.so", EDU_IRQ_RAISE,
	  edu_trigger, N(edu_trigger), false, edu_variants, N(edu_variants) },
};

/* What one run saw. */
struct diff_outcome {
	char err[320];          /* empty: the run completed */
	int type;               /* 1 line, 2 message-based */
	uint32_t messages;      /* MessageCount (0 for a line) */
	enum nirq_intr_kind kind;
	uint32_t count;
	unsigned procs;
	unsigned target[MAX_MSG];
	uint64_t interrupts[MAX_MSG];
	uint64_t claimed[MAX_MSG];
	uint64_t dpcs[MAX_MSG][MAX_PROC];
	unsigned triggers;
	unsigned timeouts;      /* triggers whose DPC did not come within the bound */
};

struct diff_ctx {
	const struct diff_device *dev;
	char miniport[512];
	const char *bdf;        /* NULL with --sim-vs-sim */
	unsigned procs;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Log sink: errors and warnings to stderr (the console), the rest dropped. */
static void diff_log(void *arg, enum nirq_log_level level, const char *line)
{
	(void)arg;
	if (level <= NIRQ_LOG_WARN)
		fprintf(stderr, "vmtest_diff: %s\n", line);
}

static uint64_t grant_dpcs(const struct nirq_grant *g)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < g->count * g->processors; i++)
		n += __atomic_load_n(&g->stats[i].dpcs, __ATOMIC_ACQUIRE);
	return n;
}

/* Bounded poll: true once @want DPCs have returned. */
static bool wait_dpcs(const struct nirq_grant *g, uint64_t want)
{
	int64_t end = now_ns() + DPC_WAIT_NS;

	while (grant_dpcs(g) < want) {
		if (now_ns() > end)
			return false;
		sleep_us(POLL_US);
	}
	return true;
}

static void copy_grant(struct diff_outcome *o, const struct nirq_grant *g)
{
	o->kind = g->kind;
	o->count = g->count;
	o->procs = g->processors;
	for (uint32_t m = 0; m < g->count && m < MAX_MSG; m++) {
		o->target[m] = g->target[m];
		for (unsigned p = 0; p < g->processors && p < MAX_PROC; p++) {
			const struct nirq_msg_stats *s = &g->stats[m * g->processors + p];

			o->interrupts[m] += __atomic_load_n(&s->interrupts, __ATOMIC_ACQUIRE);
			o->claimed[m] += __atomic_load_n(&s->claimed, __ATOMIC_ACQUIRE);
			o->dpcs[m][p] = __atomic_load_n(&s->dpcs, __ATOMIC_ACQUIRE);
		}
	}
}

/* DPCs one trigger yields: one per message its causes are routed to. */
static unsigned messages_hit(const struct diff_device *d, const struct nirq_grant *g,
			     uint32_t causes)
{
	uint32_t hit = 0;

	if (!d->cause_routing || g->kind != NIRQ_KIND_MSIX || g->count <= 1)
		return 1;
	for (unsigned i = 0; i < NCAUSES; i++)
		if (causes & diff_cause[i])
			hit |= 1u << (i % g->count);
	return (unsigned)__builtin_popcount(hit);
}

/* Raise each trigger ROUNDS times through BAR0, one trigger at a time. */
static void scenario(const struct diff_device *d, struct nirq_platform *pf,
		     const struct nirq_grant *g, struct diff_outcome *o)
{
	void *va = NULL;
	uint64_t want;
	int rc = nirq_mmio_map(pf, 0, &va);

	if (rc) {
		snprintf(o->err, sizeof(o->err), "cannot map BAR0: %s", strerror(-rc));
		return;
	}
	want = grant_dpcs(g);
	for (unsigned t = 0; t < d->ntriggers; t++) {
		for (unsigned r = 0; r < ROUNDS; r++) {
			nirq_mmio_write((char *)va + d->trigger_reg, 4, d->trigger[t]);
			o->triggers++;
			want += messages_hit(d, g, d->trigger[t]);
			if (!wait_dpcs(g, want)) {
				o->timeouts++;
				want = grant_dpcs(g); /* go on from what did arrive */
			}
			sleep_us(TRIGGER_GAP_US);
		}
	}
	sleep_us(QUIET_US);
	nirq_mmio_unmap(va);
}

static int open_platform(const struct diff_ctx *dc, enum diff_platform which,
			 struct nirq_platform **pf, char *why, size_t len)
{
	struct nirq_sim_config sim;
	struct nirq_vfio_config vfio = { .bdf = dc->bdf };
	int rc;

	if (which == DIFF_VFIO && dc->bdf)
		return nirq_vfio_open(&vfio, pf, why, len);
	nirq_sim_config_init(&sim, dc->dev->model);
	rc = nirq_sim_create(&sim, pf);
	if (rc)
		snprintf(why, len, "nirq_sim_create: %s", strerror(-rc));
	return rc;
}

/* One run: runtime, platform, host, miniport, adapter, scenario, teardown. */
static void run_one(const struct diff_ctx *dc, enum diff_platform which,
		    const struct diff_variant *v, struct diff_outcome *o)
{
	struct nirq_rt_config rc_cfg;
	struct nirq_rt *rt = NULL;
	struct nirq_platform *pf = NULL;
	struct nirq_host *host = NULL;
	struct nirq_adapter *ad = NULL;
	struct nirq_policy pol;
	char why[200] = "";
	const char *pwhy = NULL;
	int32_t status = 0;
	bool loaded = false;
	int rc;

	memset(o, 0, sizeof(*o));
	nirq_rt_config_init(&rc_cfg);
	rc_cfg.processors = dc->procs;
	rc_cfg.log = diff_log;
	rc = nirq_rt_create(&rc_cfg, &rt);
	if (rc) {
		snprintf(o->err, sizeof(o->err), "nirq_rt_create: %s", strerror(-rc));
		return;
	}
	rc = open_platform(dc, which, &pf, why, sizeof(why));
	if (rc) {
		pf = NULL;
		snprintf(o->err, sizeof(o->err), "open %s: %s",
			 which == DIFF_VFIO ? dc->bdf : "sim model", why);
		goto out;
	}
	rc = nirq_host_create(rt, &host);
	if (rc) {
		snprintf(o->err, sizeof(o->err), "nirq_host_create: %s", strerror(-rc));
		goto out;
	}
	rc = nirq_host_load(host, dc->miniport, &status);
	if (rc || status) {
		snprintf(o->err, sizeof(o->err), "load %.200s: rc %d status 0x%08x",
			 dc->miniport, rc, (uint32_t)status);
		goto out;
	}
	loaded = true;
	nirq_policy_init(&pol);
	if (v->policy && nirq_policy_set(&pol, v->policy, v->value, &pwhy)) {
		snprintf(o->err, sizeof(o->err), "policy %s=%s: %s", v->policy, v->value,
			 pwhy ? pwhy : "rejected");
		goto out;
	}
	rc = nirq_host_adapter_start(host, pf, &pol, &ad);
	if (rc) {
		ad = NULL;
		snprintf(o->err, sizeof(o->err), "adapter start: %s", strerror(-rc));
		goto out;
	}
	status = nirq_host_adapter_initialize(ad);
	if (status) {
		snprintf(o->err, sizeof(o->err), "MiniportInitializeEx: 0x%08x",
			 (uint32_t)status);
		goto out;
	}
	o->type = nirq_host_adapter_interrupt_type(ad, &o->messages);
	scenario(dc->dev, pf, nirq_host_adapter_grant(ad), o);
	nirq_host_adapter_halt(ad);
	copy_grant(o, nirq_host_adapter_grant(ad));
	if (nirq_rt_reports(rt) && !o->err[0])
		snprintf(o->err, sizeof(o->err), "%llu verifier report(s)",
			 (unsigned long long)nirq_rt_reports(rt));
out:
	if (loaded)
		nirq_host_unload(host);
	if (ad)
		nirq_host_adapter_stop(ad);
	if (host)
		nirq_host_destroy(host);
	if (pf)
		pf->ops->destroy(pf);
	nirq_rt_destroy(rt);
}

/* ------------------------------------------------------------ compare */

static const char *kind_short(enum nirq_intr_kind k)
{
	switch (k) {
	case NIRQ_KIND_LINE: return "line";
	case NIRQ_KIND_MSI: return "MSI";
	case NIRQ_KIND_MSIX: return "MSI-X";
	default: return "none";
	}
}

static int grant_str(const struct diff_outcome *o, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s type=%d msgs=%u count=%u targets=", kind_short(o->kind),
			 o->type, o->messages, o->count);

	for (uint32_t m = 0; m < o->count && m < MAX_MSG && n > 0 && (size_t)n < len; m++)
		n += snprintf(buf + n, len - (size_t)n, "%s%u", m ? "," : "", o->target[m]);
	return n;
}

static bool same_grant(const struct diff_outcome *a, const struct diff_outcome *b)
{
	if (a->type != b->type || a->messages != b->messages || a->kind != b->kind ||
	    a->count != b->count || a->procs != b->procs)
		return false;
	for (uint32_t m = 0; m < a->count && m < MAX_MSG; m++)
		if (a->target[m] != b->target[m])
			return false;
	return true;
}

static void report(const struct diff_device *d, const char *variant_tag, const char *what,
		   bool ok, const char *detail)
{
	char name[96];

	snprintf(name, sizeof(name), "diff_%s%s_%s", d->name, variant_tag, what);
	vm_result(name, ok ? VM_PASS : VM_FAIL, "%s", detail);
}

/* All three results of a variant failed for one reason. */
static void report_all(const struct diff_device *d, const char *variant_tag,
		       const char *detail)
{
	report(d, variant_tag, "same_grant", false, detail);
	report(d, variant_tag, "same_claims_per_message", false, detail);
	report(d, variant_tag, "same_dpc_placement", false, detail);
}

/* Claims and unclaimed per message, "m0 sim=8/0 vfio=8/1 ..." (claimed/unclaimed). */
static bool compare_claims(const struct diff_outcome *s, const struct diff_outcome *v,
			   char *buf, size_t len)
{
	bool ok = true;
	int n = 0;

	for (uint32_t m = 0; m < s->count && m < MAX_MSG; m++) {
		ok = ok && s->claimed[m] == v->claimed[m];
		n += snprintf(buf + n, len - (size_t)n, "m%u sim=%llu/%llu vfio=%llu/%llu; ", m,
			      (unsigned long long)s->claimed[m],
			      (unsigned long long)(s->interrupts[m] - s->claimed[m]),
			      (unsigned long long)v->claimed[m],
			      (unsigned long long)(v->interrupts[m] - v->claimed[m]));
		if (n < 0 || (size_t)n >= len)
			break;
	}
	if (n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n,
			 "(claimed/unclaimed) triggers=%u timeouts sim=%u vfio=%u",
			 s->triggers, s->timeouts, v->timeouts);
	return ok && s->timeouts == 0 && v->timeouts == 0;
}

static bool compare_dpcs(const struct diff_outcome *s, const struct diff_outcome *v,
			 char *buf, size_t len)
{
	bool ok = true;
	int n = 0;

	for (uint32_t m = 0; m < s->count && m < MAX_MSG; m++) {
		n += snprintf(buf + n, len - (size_t)n, "m%u", m);
		for (unsigned p = 0; p < s->procs && p < MAX_PROC && n > 0 &&
				     (size_t)n < len; p++) {
			ok = ok && s->dpcs[m][p] == v->dpcs[m][p];
			n += snprintf(buf + n, len - (size_t)n, " p%u sim=%llu vfio=%llu", p,
				      (unsigned long long)s->dpcs[m][p],
				      (unsigned long long)v->dpcs[m][p]);
		}
		if (n < 0 || (size_t)n >= len - 3)
			break;
		if (m + 1 < s->count)
			n += snprintf(buf + n, len - (size_t)n, "; ");
	}
	return ok;
}

static void diff_variant(const struct diff_ctx *dc, const struct diff_variant *v)
{
	const struct diff_device *d = dc->dev;
	struct diff_outcome *s = calloc(1, sizeof(*s)), *x = calloc(1, sizeof(*x));
	char detail[1024], ga[256], gb[256];
	bool ok;

	if (!s || !x) {
		report_all(d, v->tag, "out of memory");
		goto out;
	}
	run_one(dc, DIFF_SIM, v, s);
	run_one(dc, DIFF_VFIO, v, x);
	if (s->err[0] || x->err[0]) {
		snprintf(detail, sizeof(detail), "sim: %s; vfio: %s",
			 s->err[0] ? s->err : "ok", x->err[0] ? x->err : "ok");
		report_all(d, v->tag, detail);
		goto out;
	}
	grant_str(s, ga, sizeof(ga));
	grant_str(x, gb, sizeof(gb));
	snprintf(detail, sizeof(detail), "sim: %s; vfio: %s", ga, gb);
	ok = same_grant(s, x);
	report(d, v->tag, "same_grant", ok, detail);
	if (!ok) {
		report(d, v->tag, "same_claims_per_message", false, "grants differ");
		report(d, v->tag, "same_dpc_placement", false, "grants differ");
		goto out;
	}
	ok = compare_claims(s, x, detail, sizeof(detail));
	report(d, v->tag, "same_claims_per_message", ok, detail);
	ok = compare_dpcs(s, x, detail, sizeof(detail));
	report(d, v->tag, "same_dpc_placement", ok, detail);
out:
	free(s);
	free(x);
}

/* Every variant of device @d: find it, then run sim and VFIO for each. */
static void diff_device(struct diff_ctx *dc, const struct diff_device *d,
			const char *samples, bool sim_only)
{
	char bdf[16];

	dc->dev = d;
	dc->bdf = NULL;
	snprintf(dc->miniport, sizeof(dc->miniport), "%s/%s", samples, d->sample);
	if (!sim_only) {
		if (vm_find_device(d->vendor, d->device, 0, bdf)) {
			char why[96];

			snprintf(why, sizeof(why), "no %s (%04x:%04x) in the guest", d->name,
				 d->vendor, d->device);
			for (unsigned i = 0; i < d->nvariants; i++)
				report_all(d, d->variant[i].tag, why);
			return;
		}
		dc->bdf = bdf;
	}
	fprintf(stderr, "vmtest_diff: %s %s, %u processor(s), %s\n", d->name,
		dc->bdf ? dc->bdf : "(sim twice)", dc->procs, dc->miniport);
	for (unsigned i = 0; i < d->nvariants; i++)
		diff_variant(dc, &d->variant[i]);
	dc->bdf = NULL;
}

int main(int argc, char **argv)
{
	struct diff_ctx dc = { .dev = NULL };
	const char *samples = DEFAULT_SAMPLES;
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	bool sim_only = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sim-vs-sim"))
			sim_only = true;
		else
			samples = argv[i]; /* the directory of the sample miniports */
	}
	dc.procs = online < 1 ? 1 : online > MAX_PROC ? MAX_PROC : (unsigned)online;
	for (unsigned i = 0; i < N(diff_devices); i++)
		diff_device(&dc, &diff_devices[i], samples, sim_only);
	return 0;
}
