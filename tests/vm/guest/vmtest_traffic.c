// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Issue 4 §3, real traffic: two QEMU e1000e on one -netdev hub, each bound
 * to vfio-pci and run by the samples/e1000e miniport (one .so, two
 * adapters) with its packet path on (e1000e_sample.h) and
 * MaxNblsToIndicate = LIMIT. Adapter A sends FRAMES numbered frames to
 * adapter B; B's receive DPC indicates them to our callback.
 *
 *   e1000e_traffic_all_frames_arrive_in_order_intact
 *	B received exactly FRAMES frames, numbered 0..FRAMES-1 in order, each
 *	with its length and contents; no receive error; A's transmit ring
 *	reported every frame done; halt left nothing (no verifier report).
 *   e1000e_rx_dpc_indicates_at_most_max_nbls
 *	Counted by the callback, per receive DPC call: never more than LIMIT
 *	frames; the sample saw MaxNblsToIndicate = LIMIT.
 *   e1000e_rx_more_nbls_pending_requeues_dpc
 *	MoreNblsPending was set at least once, and every such return was
 *	followed by another call of the DPC (the only way the frames left
 *	behind could arrive: the sample keeps the receive cause masked then).
 *
 * Three runs, one per interrupt configuration: the default policy (MSI-X,
 * RxQ0 on its own message), MessageNumberLimit=1 (one MSI-X message, the
 * ISR reads ICR) and MSISupported=0 (INTx, RXT0); the names of the last two
 * carry "_msglimit1" / "_line" after "e1000e_traffic" and "e1000e_rx".
 * A fourth run keeps MaxNblsToIndicate at NDIS_INDICATE_ALL_NBLS (MSI-X):
 *
 *   e1000e_traffic_all_nbls_all_frames_arrive_in_order_intact
 *   e1000e_rx_all_nbls_never_sets_more_nbls_pending
 *	the DPC saw NDIS_INDICATE_ALL_NBLS and never returned MoreNblsPending
 *	(spec: with no NDIS limit it must be FALSE, even if frames remain).
 *
 * The sender sends only while fewer than WINDOW frames are sent but not
 * yet indicated; within that window frames arrive faster than LIMIT per
 * DPC call, which exercises the throttle. (A DPC that keeps indicating
 * while the sender refills can still see the 64-descriptor ring full; QEMU
 * then holds further frames until RDT moves, and none is lost.) Waits are
 * bounded polls; nothing asserts on time.
 *
 * Development outside a guest: `vmtest_traffic --sim` runs the same setup
 * on two sim e1000e models, whose devices move no data: it checks that
 * both adapters come up with rings and halt cleanly, and prints SKIP.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>
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

#include "../../../samples/e1000e/e1000e_sample.h"
#include "vmguest.h"

#define E1000E_VENDOR 0x8086
#define E1000E_DEVICE 0x10d3
#define MINIPORT "/opt/nirq/samples/libndisirq_e1000e.so" /* vm-run copies the samples there */

#define FRAMES 200
#define LIMIT 4            /* MaxNblsToIndicate */
#define WINDOW 32          /* frames in flight, < the 64-descriptor receive ring */
#define FRAME_MIN 64       /* >= 60: QEMU pads shorter frames */
#define FRAME_SPAN 200     /* lengths FRAME_MIN .. FRAME_MIN + FRAME_SPAN - 1 */
#define ETHERTYPE 0x88b5   /* IEEE 802 local experimental */
#define MAGIC "NIRQ"
#define MAX_DPC_CALLS 8192
#define POLL_US 100
#define LINK_WAIT_S 5
#define TRAFFIC_WAIT_S 60

/* Result names; %s is the variant's tag. */
#define R_INTACT "e1000e_traffic%s_all_frames_arrive_in_order_intact"
#define R_LIMIT "e1000e_rx%s_dpc_indicates_at_most_max_nbls"
#define R_REQUEUE "e1000e_rx%s_more_nbls_pending_requeues_dpc"
#define R_ALL "e1000e_rx_all_nbls_never_sets_more_nbls_pending"
#define ALL_NBLS 0xffffffffu /* NDIS_INDICATE_ALL_NBLS */

/* The interrupt configurations the packet path runs under. */
struct variant {
	const char *tag;    /* inserted into the result names */
	const char *policy; /* NULL: default policy */
	const char *value;
	const char *what;
	uint32_t limit;     /* MaxNblsToIndicate */
};

static const struct variant variants[] = {
	{ "", NULL, NULL, "MSI-X, RxQ0 on its own message", LIMIT },
	{ "_msglimit1", "MessageNumberLimit", "1", "MSI-X, one message for every cause", LIMIT },
	{ "_line", "MSISupported", "0", "INTx, RXT0 in ICR", LIMIT },
	{ "_all_nbls", NULL, NULL, "MSI-X, MaxNblsToIndicate NDIS_INDICATE_ALL_NBLS", ALL_NBLS },
};

/* What B's receive callback recorded. Written at DISPATCH on a processor. */
struct rx_log {
	atomic_uint count;              /* frames B received */
	uint32_t seq[FRAMES];           /* sequence numbers, in arrival order */
	bool intact[FRAMES];
	uint32_t dpc_frames[MAX_DPC_CALLS]; /* frames per receive DPC call */
	atomic_uint foreign;            /* frames that are not ours, or on A */
	atomic_uint overflow;           /* frames beyond FRAMES or DPC calls beyond the table */
};

struct hooks {
	e1000e_sample_enable_traffic_fn *enable;
	e1000e_sample_adapters_fn *adapters;
	e1000e_sample_mac_address_fn *mac;
	e1000e_sample_link_up_fn *link_up;
	e1000e_sample_send_fn *send;
	e1000e_sample_traffic_stats_fn *stats;
};

struct run {
	bool sim;
	const struct variant *v;
	struct nirq_rt *rt;
	struct nirq_host *host;
	struct nirq_platform *pf[2];
	struct nirq_adapter *ad[2];
	void *dl;
	struct hooks h;
	uint8_t mac[2][6];
	struct e1000e_sample_traffic_stats st[2];
	char err[400];
	unsigned sent;
	bool link[2];
};

static struct rx_log rx;

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t frame_length(uint32_t seq)
{
	return FRAME_MIN + (seq * 37u) % FRAME_SPAN;
}

static uint8_t pattern(uint32_t seq, uint32_t i)
{
	return (uint8_t)(seq * 131u + i * 7u + (i >> 8));
}

/* dst, src, ethertype, "NIRQ", seq (big endian), pattern. */
static void build_frame(uint8_t *f, uint32_t seq, const uint8_t dst[6], const uint8_t src[6])
{
	uint32_t len = frame_length(seq);

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = ETHERTYPE >> 8;
	f[13] = ETHERTYPE & 0xff;
	memcpy(f + 14, MAGIC, 4);
	for (unsigned i = 0; i < 4; i++)
		f[18 + i] = (uint8_t)(seq >> (24 - 8 * i));
	for (uint32_t i = 22; i < len; i++)
		f[i] = pattern(seq, i);
}

static bool frame_ok(const uint8_t *f, uint32_t length, uint32_t *seq)
{
	uint32_t s = 0;

	if (length < 22 || f[12] != (ETHERTYPE >> 8) || f[13] != (ETHERTYPE & 0xff) ||
	    memcmp(f + 14, MAGIC, 4))
		return false;
	for (unsigned i = 0; i < 4; i++)
		s = s << 8 | f[18 + i];
	*seq = s;
	if (length != frame_length(s))
		return false;
	for (uint32_t i = 22; i < length; i++)
		if (f[i] != pattern(s, i))
			return false;
	return true;
}

/* The sample's receive callback: DISPATCH_LEVEL, no blocking. */
static void on_receive(void *context, unsigned adapter, const void *frame, uint32_t length,
		       uint32_t dpc_call)
{
	uint32_t seq = UINT32_MAX;
	bool ok = frame_ok(frame, length, &seq);
	unsigned n;

	(void)context;
	if (adapter != 1 || (!ok && seq == UINT32_MAX)) {
		atomic_fetch_add(&rx.foreign, 1);
		return;
	}
	if (dpc_call < MAX_DPC_CALLS)
		rx.dpc_frames[dpc_call]++; /* one DPC call runs on one processor at a time */
	else
		atomic_fetch_add(&rx.overflow, 1);
	n = atomic_load(&rx.count);
	if (n >= FRAMES) {
		atomic_fetch_add(&rx.overflow, 1);
		return;
	}
	rx.seq[n] = seq;
	rx.intact[n] = ok;
	atomic_store(&rx.count, n + 1); /* one receiving adapter: one writer at a time */
}

static void quiet_log(void *arg, enum nirq_log_level level, const char *line)
{
	(void)arg;
	if (level <= NIRQ_LOG_WARN)
		fprintf(stderr, "ndisirq: %s\n", line);
}

/* ------------------------------------------------------------ setup */

static int open_pf(struct run *r, unsigned i)
{
	char bdf[16], why[240] = "";
	struct nirq_vfio_config vc = { .bdf = bdf };
	struct nirq_sim_config sc;
	int rc;

	if (r->sim) {
		nirq_sim_config_init(&sc, NIRQ_SIM_E1000E);
		rc = nirq_sim_create(&sc, &r->pf[i]);
		if (rc)
			snprintf(r->err, sizeof(r->err), "nirq_sim_create: %s", strerror(-rc));
		return rc;
	}
	rc = vm_find_device(E1000E_VENDOR, E1000E_DEVICE, i, bdf);
	if (rc) {
		snprintf(r->err, sizeof(r->err), "e1000e #%u (8086:10d3) not found: the "
			 "guest needs two (e1000e@hub0 e1000e@hub0)", i);
		return rc;
	}
	rc = nirq_vfio_open(&vc, &r->pf[i], why, sizeof(why));
	if (rc)
		snprintf(r->err, sizeof(r->err), "nirq_vfio_open %s: %s", bdf, why);
	return rc;
}

static void *sym(struct run *r, const char *name)
{
	void *p = dlsym(r->dl, name);

	if (!p && !r->err[0])
		snprintf(r->err, sizeof(r->err), "%s: no symbol %s", MINIPORT, name);
	return p;
}

static int find_hooks(struct run *r, const char *path)
{
	r->dl = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
	if (!r->dl) {
		snprintf(r->err, sizeof(r->err), "dlopen %s: %s", path, dlerror());
		return -ENOENT;
	}
	r->h.enable = (e1000e_sample_enable_traffic_fn *)sym(r, E1000E_SAMPLE_ENABLE_TRAFFIC);
	r->h.adapters = (e1000e_sample_adapters_fn *)sym(r, E1000E_SAMPLE_ADAPTERS);
	r->h.mac = (e1000e_sample_mac_address_fn *)sym(r, E1000E_SAMPLE_MAC_ADDRESS);
	r->h.link_up = (e1000e_sample_link_up_fn *)sym(r, E1000E_SAMPLE_LINK_UP);
	r->h.send = (e1000e_sample_send_fn *)sym(r, E1000E_SAMPLE_SEND);
	r->h.stats = (e1000e_sample_traffic_stats_fn *)sym(r, E1000E_SAMPLE_TRAFFIC_STATS);
	return r->err[0] ? -ENOENT : 0;
}

static int setup(struct run *r, const char *path)
{
	struct nirq_rt_config cfg;
	struct nirq_policy pol;
	char limit[16];
	int32_t status = 0;
	int rc;

	nirq_rt_config_init(&cfg);
	cfg.processors = 2;
	cfg.log = quiet_log;
	rc = nirq_rt_create(&cfg, &r->rt);
	if (rc) {
		snprintf(r->err, sizeof(r->err), "nirq_rt_create: %s", strerror(-rc));
		return rc;
	}
	for (unsigned i = 0; i < 2; i++)
		if ((rc = open_pf(r, i)))
			return rc;
	rc = nirq_host_create(r->rt, &r->host);
	if (!rc)
		rc = nirq_host_load(r->host, path, &status);
	if (rc || status) {
		snprintf(r->err, sizeof(r->err), "load %s: rc %d status 0x%08x", path, rc,
			 (unsigned)status);
		return rc ? rc : -EIO;
	}
	if ((rc = find_hooks(r, path)))
		return rc;
	r->h.enable(on_receive, NULL);
	nirq_policy_init(&pol);
	snprintf(limit, sizeof(limit), "%u", r->v->limit);
	if (nirq_policy_set(&pol, "MaxNblsToIndicate", limit, NULL) ||
	    (r->v->policy && nirq_policy_set(&pol, r->v->policy, r->v->value, NULL))) {
		snprintf(r->err, sizeof(r->err), "policy rejected");
		return -EINVAL;
	}
	for (unsigned i = 0; i < 2; i++) {
		rc = nirq_host_adapter_start(r->host, r->pf[i], &pol, &r->ad[i]);
		if (rc) {
			r->ad[i] = NULL;
			snprintf(r->err, sizeof(r->err), "adapter %u start: %s", i, strerror(-rc));
			return rc;
		}
		status = nirq_host_adapter_initialize(r->ad[i]);
		if (status) {
			snprintf(r->err, sizeof(r->err), "adapter %u MiniportInitializeEx: "
				 "0x%08x", i, (unsigned)status);
			return -EIO;
		}
	}
	if (r->h.adapters() != 2) {
		snprintf(r->err, sizeof(r->err), "the sample set up the packet path on %u "
			 "adapter(s), not 2", r->h.adapters());
		return -EIO;
	}
	for (unsigned i = 0; i < 2; i++)
		r->h.mac(i, r->mac[i]);
	return 0;
}

/* Halt, unload, free; return the verifier reports of the whole run. */
static uint64_t teardown(struct run *r)
{
	uint64_t reports = 0;

	for (unsigned i = 0; i < 2; i++)
		if (r->ad[i])
			nirq_host_adapter_halt(r->ad[i]);
	if (r->host)
		nirq_host_unload(r->host); /* r->dl stays valid until here */
	if (r->rt)
		reports = nirq_rt_reports(r->rt);
	for (unsigned i = 0; i < 2; i++)
		if (r->ad[i])
			nirq_host_adapter_stop(r->ad[i]);
	if (r->dl)
		dlclose(r->dl);
	if (r->host)
		nirq_host_destroy(r->host);
	for (unsigned i = 0; i < 2; i++)
		if (r->pf[i])
			r->pf[i]->ops->destroy(r->pf[i]);
	if (r->rt)
		nirq_rt_destroy(r->rt);
	return reports;
}

/* ----------------------------------------------------------- traffic */

static void wait_link(struct run *r)
{
	double end = now_s() + LINK_WAIT_S;

	do {
		r->link[0] = r->h.link_up(0) == 1;
		r->link[1] = r->h.link_up(1) == 1;
		if (r->link[0] && r->link[1])
			return;
		sleep_us(10000);
	} while (now_s() < end);
}

/* Send FRAMES frames from A to B, at most WINDOW unreceived. */
static void send_all(struct run *r)
{
	static uint8_t frame[E1000E_SAMPLE_MAX_FRAME];
	double end = now_s() + TRAFFIC_WAIT_S;

	while (r->sent < FRAMES && now_s() < end) {
		int rc;

		if (r->sent - atomic_load(&rx.count) >= WINDOW) {
			sleep_us(POLL_US);
			continue;
		}
		build_frame(frame, r->sent, r->mac[1], r->mac[0]);
		rc = r->h.send(0, frame, frame_length(r->sent));
		if (rc == -EAGAIN) {
			sleep_us(POLL_US);
			continue;
		}
		if (rc) {
			snprintf(r->err, sizeof(r->err), "E1000eSampleSend(frame %u): %s",
				 r->sent, strerror(-rc));
			return;
		}
		r->sent++;
	}
	while (atomic_load(&rx.count) < r->sent && now_s() < end)
		sleep_us(POLL_US);
	sleep_us(50000); /* a requeued DPC still running, late frames */
}

/* ----------------------------------------------------------- results */

static void result_intact(struct run *r, uint64_t reports)
{
	char name[96];

	unsigned n = atomic_load(&rx.count), bad = 0, order = 0;

	snprintf(name, sizeof(name), R_INTACT, r->v->tag);
	for (unsigned i = 0; i < n; i++) {
		bad += !rx.intact[i];
		order += rx.seq[i] != i;
	}
	if (r->err[0])
		vm_result(name, VM_FAIL, "%s: %s", r->v->what, r->err);
	else if (n != FRAMES || bad || order || r->st[1].rx_errors ||
		 r->st[0].tx_completed != FRAMES || reports || atomic_load(&rx.overflow))
		vm_result(name, VM_FAIL, "sent %u received %u (expected %u), damaged %u, "
			  "out of order %u, rx errors %u, tx done %u, foreign %u, overflow %u, "
			  "verifier reports %llu, link A %d B %d", r->sent, n, FRAMES, bad,
			  order, r->st[1].rx_errors, r->st[0].tx_completed,
			  atomic_load(&rx.foreign), atomic_load(&rx.overflow),
			  (unsigned long long)reports, r->link[0], r->link[1]);
	else
		vm_result(name, VM_PASS, "%s: %u frames of %u..%u bytes A->B in order and "
			  "intact over %u receive DPC calls; tx done %u; no verifier report",
			  r->v->what, n, FRAME_MIN, FRAME_MIN + FRAME_SPAN - 1, r->st[1].rx_dpc_calls,
			  r->st[0].tx_completed);
}

static void result_limit(struct run *r)
{
	const struct e1000e_sample_traffic_stats *b = &r->st[1];
	uint32_t most = 0, calls = b->rx_dpc_calls < MAX_DPC_CALLS ? b->rx_dpc_calls
								     : MAX_DPC_CALLS - 1;
	char name[96];

	snprintf(name, sizeof(name), R_LIMIT, r->v->tag);
	for (uint32_t c = 1; c <= calls; c++)
		if (rx.dpc_frames[c] > most)
			most = rx.dpc_frames[c];
	if (r->err[0] || !atomic_load(&rx.count))
		vm_result(name, VM_FAIL, "no traffic: %s", r->err[0] ? r->err : "0 frames");
	else if (most > LIMIT || b->rx_max_per_dpc > LIMIT || b->rx_limit != LIMIT)
		vm_result(name, VM_FAIL, "a DPC call indicated %u frames (sample says %u), "
			  "MaxNblsToIndicate seen %u, limit %u", most, b->rx_max_per_dpc,
			  b->rx_limit, LIMIT);
	else
		vm_result(name, VM_PASS, "MaxNblsToIndicate=%u: at most %u frame(s) per "
			  "DPC call over %u calls", LIMIT, most, b->rx_dpc_calls);
}

static void result_all(struct run *r)
{
	const struct e1000e_sample_traffic_stats *b = &r->st[1];

	if (r->err[0] || !atomic_load(&rx.count))
		vm_result(R_ALL, VM_FAIL, "no traffic: %s", r->err[0] ? r->err : "0 frames");
	else if (b->rx_more_pending || b->rx_limit != ALL_NBLS)
		vm_result(R_ALL, VM_FAIL, "MoreNblsPending set %u time(s); MaxNblsToIndicate "
			  "seen 0x%x", b->rx_more_pending, b->rx_limit);
	else
		vm_result(R_ALL, VM_PASS, "MaxNblsToIndicate 0x%x: %u DPC calls, up to %u "
			  "frames in one, MoreNblsPending never set", b->rx_limit,
			  b->rx_dpc_calls, b->rx_max_per_dpc);
}

static void result_requeue(struct run *r)
{
	const struct e1000e_sample_traffic_stats *b = &r->st[1];
	char name[96];

	snprintf(name, sizeof(name), R_REQUEUE, r->v->tag);
	if (r->err[0] || !atomic_load(&rx.count))
		vm_result(name, VM_FAIL, "no traffic: %s", r->err[0] ? r->err : "0 frames");
	else if (!b->rx_more_pending)
		vm_result(name, VM_FAIL, "MoreNblsPending was never set (%u DPC calls, "
			  "at most %u frames in one): the throttle was not exercised",
			  b->rx_dpc_calls, b->rx_max_per_dpc);
	else if (b->rx_requeued_calls != b->rx_more_pending ||
		 atomic_load(&rx.count) != FRAMES)
		vm_result(name, VM_FAIL, "MoreNblsPending set %u time(s), DPC called "
			  "again %u time(s), %u of %u frames arrived", b->rx_more_pending,
			  b->rx_requeued_calls, atomic_load(&rx.count), FRAMES);
	else
		vm_result(name, VM_PASS, "MoreNblsPending set %u time(s), each followed "
			  "by a DPC call that went on indicating; all %u frames arrived",
			  b->rx_more_pending, FRAMES);
}

/* One run of the scenario under @v; prints its three results. */
static void run_variant(const struct variant *v, bool sim, const char *path)
{
	struct run r = { .sim = sim, .v = v };
	uint64_t reports;
	char name[96];

	memset(&rx, 0, sizeof(rx));
	if (!setup(&r, path)) {
		wait_link(&r);
		if (!r.sim)
			send_all(&r);
		for (unsigned i = 0; i < 2; i++)
			r.h.stats(i, &r.st[i]);
	}
	reports = teardown(&r);
	if (r.sim) {
		enum vm_status st = r.err[0] || reports ? VM_FAIL : VM_SKIP;
		const char *detail = r.err[0] ? r.err : reports ? "verifier reports" :
				     "sim: two adapters with rings came up and halted cleanly; "
				     "the sim model moves no data";
		const char *const names[] = { R_INTACT, R_LIMIT, R_REQUEUE };
		const char *const all_names[] = { R_INTACT, R_ALL };
		const char *const *list = v->limit == ALL_NBLS ? all_names : names;
		unsigned n = v->limit == ALL_NBLS ? 2 : 3;

		for (unsigned i = 0; i < n; i++) {
			snprintf(name, sizeof(name), list[i], v->tag);
			vm_result(name, st, "%s: %s", v->what, detail);
		}
		return;
	}
	result_intact(&r, reports);
	if (v->limit == ALL_NBLS) {
		result_all(&r);
		return;
	}
	result_limit(&r);
	result_requeue(&r);
}

int main(int argc, char **argv)
{
	const char *path = MINIPORT;
	bool sim = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--sim"))
			sim = true;
		else
			path = argv[i];
	}
	for (unsigned i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
		run_variant(&variants[i], sim, path);
	return 0;
}
