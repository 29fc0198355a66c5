/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * samples/e1000e's packet path (e1000e_sample.h) on a sim e1000e, in a
 * manual runtime: what initialize programs, what halt undoes, the send
 * hook's limits, and the receive and transmit DPCs with the test playing
 * the device: the sim model moves no data (docs/architecture.md), so the
 * test writes completed descriptors into the rings (E1000eSampleRings) and
 * raises the cause itself. Frames through a real device are the vm tier's
 * traffic guest.
 */
#include <dlfcn.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ndisirq/ndisirq.h>
#include <ndisirq/nirq_fault.h>
#include <ndisirq/nirq_host.h>
#include <ndisirq/nirq_platform_sim.h>

#include "../../samples/e1000e/e1000e_sample.h"
#include "sample_fixture.h"
#include "test_util.h"

#define PROCESSORS 2
#define RXQ0 (1u << 20)
#define TXQ0 (1u << 22)
#define RXD_DD 0x01
#define RXD_EOP 0x02
#define TXD_CMD_EOP 0x01000000u
#define TXD_CMD_IFCS 0x02000000u
#define TXD_CMD_RS 0x08000000u
#define TXD_DD 0x1u
#define MAX_SEEN 64

enum {
	CTRL = 0x0000, IMS = 0x00d0, RCTL = 0x0100, TCTL = 0x0400, RFCTL = 0x5008,
	RDBAL = 0x2800, RDBAH = 0x2804, RDLEN = 0x2808, RDH = 0x2810, RDT = 0x2818,
	TDBAL = 0x3800, TDBAH = 0x3804, TDLEN = 0x3808, TDH = 0x3810, TDT = 0x3818,
};
#define RCTL_EN 0x00000002u
#define RCTL_UPE 0x00000008u
#define RCTL_BAM 0x00008000u
#define RCTL_SECRC 0x04000000u
#define TCTL_EN 0x00000002u
#define RFCTL_EXTEN 0x00008000u
#define CTRL_SLU 0x00000040u

struct fx {
	struct sample_fx s;               /* runtime, sim, host, adapter, our dlopen */
	unsigned received;
	uint32_t seen_dpc[MAX_SEEN];      /* dpc_call of each frame received */
	uint8_t seen_first[MAX_SEEN];     /* its first byte */
	uint32_t seen_ims[MAX_SEEN];      /* IMS while it was indicated */
	struct e1000e_sample_rings rings;
	e1000e_sample_enable_traffic_fn *enable;
	e1000e_sample_adapters_fn *adapters;
	e1000e_sample_send_fn *send;
	e1000e_sample_traffic_stats_fn *stats;
	e1000e_sample_mac_address_fn *mac;
	e1000e_sample_rings_fn *get_rings;
};

static uint32_t reg(struct fx *f, uint32_t off);

static void on_receive(void *context, unsigned adapter, const void *frame, uint32_t length,
		       uint32_t dpc_call)
{
	struct fx *f = context;

	(void)adapter, (void)length;
	if (f->received < MAX_SEEN) {
		f->seen_dpc[f->received] = dpc_call;
		f->seen_first[f->received] = *(const uint8_t *)frame;
		f->seen_ims[f->received] = reg(f, IMS);
	}
	f->received++;
}

static void *sym(struct fx *f, const char *name)
{
	void *p = dlsym(f->s.dl, name);

	assert_non_null(p);
	return p;
}

/* The sample loaded on a sim e1000e of a manual runtime; nothing started. */
static void fx_load(struct fx *f)
{
	struct nirq_sim_config sim;

	nirq_sim_config_init(&sim, NIRQ_SIM_E1000E);
	sample_fx_create(&f->s, PROCESSORS, &sim);
	sample_fx_load(&f->s, NIRQ_SAMPLE_E1000E);
}

/*
 * Sample loaded on a sim e1000e; @traffic: E1000eSampleEnableTraffic first;
 * @max_nbls: the MaxNblsToIndicate policy (NULL: NDIS_INDICATE_ALL_NBLS).
 */
static struct fx *fx_up_policy(void **state, bool traffic, const char *max_nbls)
{
	struct nirq_policy pol;
	struct fx *f = calloc(1, sizeof(*f));

	*state = f;
	fx_load(f);
	f->enable = (e1000e_sample_enable_traffic_fn *)sym(f, E1000E_SAMPLE_ENABLE_TRAFFIC);
	f->adapters = (e1000e_sample_adapters_fn *)sym(f, E1000E_SAMPLE_ADAPTERS);
	f->send = (e1000e_sample_send_fn *)sym(f, E1000E_SAMPLE_SEND);
	f->stats = (e1000e_sample_traffic_stats_fn *)sym(f, E1000E_SAMPLE_TRAFFIC_STATS);
	f->mac = (e1000e_sample_mac_address_fn *)sym(f, E1000E_SAMPLE_MAC_ADDRESS);
	f->get_rings = (e1000e_sample_rings_fn *)sym(f, E1000E_SAMPLE_RINGS);
	if (traffic)
		assert_int_equal(f->enable(on_receive, f), 0);
	nirq_policy_init(&pol);
	if (max_nbls)
		assert_int_equal(nirq_policy_set(&pol, "MaxNblsToIndicate", max_nbls, NULL), 0);
	sample_fx_start(&f->s, &pol);
	nirq_rt_run_until_idle(f->s.rt);
	if (traffic)
		assert_int_equal(f->get_rings(0, &f->rings), 0);
	return f;
}

static struct fx *fx_up(void **state, bool traffic)
{
	return fx_up_policy(state, traffic, NULL);
}

static void fx_halt(struct fx *f)
{
	sample_fx_halt(&f->s);
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	if (!f)
		return 0;
	sample_fx_teardown(&f->s);
	free(f);
	return 0;
}

static uint32_t reg(struct fx *f, uint32_t off)
{
	return f->s.pf->ops->mmio_read(f->s.pf, 0, off, 4);
}

/* ------------------------------------------------------------ the tests */

static void test_traffic_mode_programs_legacy_rings_and_enables_rx_and_tx(void **state)
{
	struct fx *f = fx_up(state, true);
	uint64_t rx = (uint64_t)reg(f, RDBAH) << 32 | reg(f, RDBAL);
	uint64_t tx = (uint64_t)reg(f, TDBAH) << 32 | reg(f, TDBAL);

	assert_int_equal(f->adapters(), 1);
	assert_true(rx != 0);
	assert_int_equal(tx, rx + E1000E_SAMPLE_RX_RING * 16); /* one block, RX ring first */
	assert_int_equal(reg(f, RDLEN), E1000E_SAMPLE_RX_RING * 16);
	assert_int_equal(reg(f, TDLEN), E1000E_SAMPLE_TX_RING * 16);
	assert_int_equal(reg(f, RDH), 0);
	assert_int_equal(reg(f, RDT), E1000E_SAMPLE_RX_RING - 1); /* all but one free */
	assert_int_equal(reg(f, TDH), 0);
	assert_int_equal(reg(f, TDT), 0);
	assert_int_equal(reg(f, RFCTL) & RFCTL_EXTEN, 0); /* legacy descriptors */
	assert_int_equal(reg(f, RCTL) & (RCTL_EN | RCTL_BAM | RCTL_SECRC),
			 RCTL_EN | RCTL_BAM | RCTL_SECRC);
	assert_int_equal(reg(f, TCTL) & TCTL_EN, TCTL_EN);
	assert_int_equal(reg(f, CTRL) & CTRL_SLU, CTRL_SLU);
	fx_halt(f);
}

static void test_without_a_valid_station_address_receives_promiscuously(void **state)
{
	struct fx *f = fx_up(state, true); /* the sim's RAH0 has AV clear */
	uint8_t mac[6] = { 1, 1, 1, 1, 1, 1 };

	assert_int_equal(reg(f, RCTL) & RCTL_UPE, RCTL_UPE);
	assert_int_equal(f->mac(0, mac), 0);
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(mac[i], 0);
	fx_halt(f);
}

static void test_halt_stops_rx_and_tx_and_frees_the_memory_without_reports(void **state)
{
	struct fx *f = fx_up(state, true);
	struct e1000e_sample_traffic_stats s;
	uint8_t frame[64] = { 0 };

	fx_halt(f); /* a shared memory block or registration left would be a report */
	assert_int_equal(reg(f, RCTL) & RCTL_EN, 0);
	assert_int_equal(reg(f, TCTL) & TCTL_EN, 0);
	assert_int_equal(f->send(0, frame, sizeof(frame)), -ENODEV);
	assert_int_equal(f->stats(0, &s), -ENODEV);
}

static void test_send_fills_the_ring_then_returns_eagain(void **state)
{
	struct fx *f = fx_up(state, true);
	struct e1000e_sample_traffic_stats s;
	uint8_t frame[64] = { 0 };
	unsigned sent = 0;

	/* The sim never completes a descriptor: the ring fills up. */
	while (sent < E1000E_SAMPLE_TX_RING && f->send(0, frame, sizeof(frame)) == 0)
		sent++;
	assert_int_equal(sent, E1000E_SAMPLE_TX_RING - 1);
	assert_int_equal(f->send(0, frame, sizeof(frame)), -EAGAIN);
	assert_int_equal(reg(f, TDT), E1000E_SAMPLE_TX_RING - 1);
	assert_int_equal(f->stats(0, &s), 0);
	assert_int_equal(s.tx_queued, E1000E_SAMPLE_TX_RING - 1);
	assert_int_equal(s.tx_completed, 0);
	fx_halt(f);
}

static void test_send_rejects_lengths_outside_14_to_1514(void **state)
{
	struct fx *f = fx_up(state, true);
	static uint8_t frame[E1000E_SAMPLE_MAX_FRAME + 1];

	assert_int_equal(f->send(0, frame, E1000E_SAMPLE_MIN_FRAME - 1), -EINVAL);
	assert_int_equal(f->send(0, frame, E1000E_SAMPLE_MAX_FRAME + 1), -EINVAL);
	assert_int_equal(f->send(0, NULL, 64), -EINVAL);
	assert_int_equal(f->send(1, frame, 64), -ENODEV);
	assert_int_equal(f->send(0, frame, E1000E_SAMPLE_MAX_FRAME), 0);
	fx_halt(f);
}

static void test_receive_interrupt_with_an_empty_ring_indicates_nothing_and_reenables(void **state)
{
	struct fx *f = fx_up(state, true);
	struct e1000e_sample_traffic_stats s;

	nirq_sim_inject(f->s.pf, RXQ0);
	nirq_rt_run_until_idle(f->s.rt);
	assert_int_equal(f->stats(0, &s), 0);
	assert_int_equal(s.rx_dpc_calls, 1);
	assert_int_equal(s.rx_indicated, 0);
	assert_int_equal(s.rx_more_pending, 0);
	assert_int_equal(f->received, 0);
	assert_int_equal(reg(f, IMS) & RXQ0, RXQ0); /* the DPC re-enabled its cause */
	fx_halt(f);
}

/* Play the device: frame @slot of @length bytes, first byte @first, done. */
static void complete_rx(struct fx *f, unsigned slot, uint16_t length, uint8_t first,
			uint8_t errors)
{
	volatile struct e1000e_sample_rx_desc *d = &f->rings.rx_ring[slot];

	memset(f->rings.rx_buffers + slot * 2048, 0x5a, length);
	f->rings.rx_buffers[slot * 2048] = first;
	d->length = length;
	d->errors = errors;
	d->status = RXD_DD | RXD_EOP;
}

static void test_rx_descriptors_point_at_their_buffers(void **state)
{
	struct fx *f = fx_up(state, true);

	assert_int_equal(f->rings.rx_ring_addr,
			 (uint64_t)reg(f, RDBAH) << 32 | reg(f, RDBAL));
	assert_int_equal(f->rings.tx_ring_addr,
			 (uint64_t)reg(f, TDBAH) << 32 | reg(f, TDBAL));
	for (unsigned i = 0; i < E1000E_SAMPLE_RX_RING; i++) {
		assert_int_equal(f->rings.rx_ring[i].buffer_addr,
				 f->rings.rx_buffers_addr + i * 2048);
		assert_int_equal(f->rings.rx_ring[i].status, 0);
	}
	fx_halt(f);
}

static void test_rx_dpc_indicates_at_most_max_nbls_and_requeues_until_the_ring_is_empty(
	void **state)
{
	struct fx *f = fx_up_policy(state, true, "4");
	struct e1000e_sample_traffic_stats s;

	for (unsigned i = 0; i < 10; i++)
		complete_rx(f, i, 100, (uint8_t)i, 0);
	nirq_sim_inject(f->s.pf, RXQ0);
	nirq_rt_run_until_idle(f->s.rt);
	assert_int_equal(f->received, 10);
	for (unsigned i = 0; i < 10; i++) {
		assert_int_equal(f->seen_first[i], i);        /* in ring order */
		assert_int_equal(f->seen_dpc[i], 1 + i / 4);  /* 4, 4, then 2 per call */
		if (f->seen_dpc[i] > 1) /* a requeued call: RxQ0 stayed masked */
			assert_int_equal(f->seen_ims[i] & RXQ0, 0);
	}
	assert_int_equal(f->stats(0, &s), 0);
	assert_int_equal(s.rx_dpc_calls, 3);
	assert_int_equal(s.rx_max_per_dpc, 4);
	assert_int_equal(s.rx_limit, 4);
	assert_int_equal(s.rx_more_pending, 2);
	assert_int_equal(s.rx_requeued_calls, 2);
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(f->rings.rx_ring[i].status, 0); /* given back */
	assert_int_equal(reg(f, RDT), 9);
	assert_int_equal(reg(f, IMS) & RXQ0, RXQ0); /* re-enabled after the last call */
	fx_halt(f);
}

static void test_indicate_all_nbls_takes_every_frame_in_one_dpc_call(void **state)
{
	struct fx *f = fx_up(state, true);
	struct e1000e_sample_traffic_stats s;

	for (unsigned i = 0; i < 10; i++)
		complete_rx(f, i, 64, (uint8_t)i, 0);
	nirq_sim_inject(f->s.pf, RXQ0);
	nirq_rt_run_until_idle(f->s.rt);
	assert_int_equal(f->received, 10);
	assert_int_equal(f->stats(0, &s), 0);
	assert_int_equal(s.rx_dpc_calls, 1);
	assert_int_equal(s.rx_more_pending, 0);
	assert_int_equal(s.rx_limit, 0xffffffffu);
	fx_halt(f);
}

static void test_frame_errors_drop_the_frame_checksum_errors_do_not(void **state)
{
	struct fx *f = fx_up(state, true);
	struct e1000e_sample_traffic_stats s;

	complete_rx(f, 0, 64, 0xa0, 0x01); /* CE: dropped */
	complete_rx(f, 1, 64, 0xa1, 0x20); /* TCPE: a checksum error, delivered */
	nirq_sim_inject(f->s.pf, RXQ0);
	nirq_rt_run_until_idle(f->s.rt);
	assert_int_equal(f->received, 1);
	assert_int_equal(f->seen_first[0], 0xa1);
	assert_int_equal(f->stats(0, &s), 0);
	assert_int_equal(s.rx_errors, 1);
	assert_int_equal(s.rx_indicated, 1);
	assert_int_equal(reg(f, RDT), 1); /* both descriptors given back */
	fx_halt(f);
}

static void test_send_writes_a_legacy_descriptor_and_the_tx_dpc_reclaims_it(void **state)
{
	struct fx *f = fx_up(state, true);
	struct e1000e_sample_traffic_stats s;
	uint8_t frame[100];

	for (unsigned i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 3);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(f->send(0, frame, sizeof(frame)), 0);
	for (unsigned i = 0; i < 3; i++) {
		volatile struct e1000e_sample_tx_desc *d = &f->rings.tx_ring[i];

		assert_int_equal(d->buffer_addr, f->rings.tx_buffers_addr + i * 2048);
		assert_int_equal(d->lower, sizeof(frame) | TXD_CMD_EOP | TXD_CMD_IFCS |
					   TXD_CMD_RS);
		assert_memory_equal(f->rings.tx_buffers + i * 2048, frame, sizeof(frame));
		d->upper |= TXD_DD; /* the device is done with it */
	}
	assert_int_equal(reg(f, TDT), 3);
	nirq_sim_inject(f->s.pf, TXQ0);
	nirq_rt_run_until_idle(f->s.rt);
	assert_int_equal(f->stats(0, &s), 0);
	assert_int_equal(s.tx_queued, 3);
	assert_int_equal(s.tx_completed, 3);
	fx_halt(f);
}

/*
 * One initialize with the @nth allocation failing (0: none): its status,
 * the verifier reports of the whole run and how many allocations it made.
 */
static int32_t initialize_with_failure(uint64_t nth, uint64_t *reports, uint64_t *calls)
{
	struct fx *f = NULL;
	int32_t status;
	void *state = NULL;

	f = calloc(1, sizeof(*f));
	assert_non_null(f);
	state = f;
	fx_load(f);
	f->enable = (e1000e_sample_enable_traffic_fn *)sym(f, E1000E_SAMPLE_ENABLE_TRAFFIC);
	f->enable(on_receive, f);
	assert_int_equal(nirq_host_adapter_start(f->s.host, f->s.pf, NULL, &f->s.ad), 0);
	nirq_fault_inject(NIRQ_FAULT_ALLOC, nth);
	status = nirq_host_adapter_initialize(f->s.ad);
	*calls = nirq_fault_calls(NIRQ_FAULT_ALLOC);
	nirq_fault_reset();
	nirq_rt_run_until_idle(f->s.rt);
	if (status == 0)
		nirq_host_adapter_halt(f->s.ad);
	f->s.halted = true;
	*reports = nirq_rt_reports(f->s.rt);
	if (*reports)
		test_log_dump(&f->s.log);
	fx_teardown(&state);
	return status;
}

static void test_every_allocation_failure_in_initialize_fails_it_without_leaks(void **state)
{
	uint64_t reports, calls, n;

	(void)state;
	assert_int_equal(initialize_with_failure(0, &reports, &calls), 0);
	assert_int_equal(reports, 0);
	assert_true(calls >= 5); /* the adapter, the DMA state, its registration, 3 blocks */
	for (n = 1; n <= calls; n++) {
		uint64_t c;
		int32_t status = initialize_with_failure(n, &reports, &c);

		if (status != 0 && status != (int32_t)0xC000009Au) /* NDIS_STATUS_RESOURCES */
			fail_msg("allocation %llu failing: initialize returned 0x%08x",
				 (unsigned long long)n, (unsigned)status);
		if (reports)
			fail_msg("allocation %llu failing: %llu verifier report(s)",
				 (unsigned long long)n, (unsigned long long)reports);
	}
}

static void test_without_enable_traffic_no_dma_is_set_up(void **state)
{
	struct fx *f = fx_up(state, false);

	assert_int_equal(f->adapters(), 0);
	assert_int_equal(reg(f, RDLEN), 0);
	assert_int_equal(reg(f, RCTL) & RCTL_EN, 0);
	fx_halt(f);
}

#define T(fn) cmocka_unit_test_teardown(fn, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_traffic_mode_programs_legacy_rings_and_enables_rx_and_tx),
		T(test_without_a_valid_station_address_receives_promiscuously),
		T(test_halt_stops_rx_and_tx_and_frees_the_memory_without_reports),
		T(test_send_fills_the_ring_then_returns_eagain),
		T(test_send_rejects_lengths_outside_14_to_1514),
		T(test_receive_interrupt_with_an_empty_ring_indicates_nothing_and_reenables),
		T(test_rx_descriptors_point_at_their_buffers),
		T(test_rx_dpc_indicates_at_most_max_nbls_and_requeues_until_the_ring_is_empty),
		T(test_indicate_all_nbls_takes_every_frame_in_one_dpc_call),
		T(test_frame_errors_drop_the_frame_checksum_errors_do_not),
		T(test_send_writes_a_legacy_descriptor_and_the_tx_dpc_reclaims_it),
		T(test_every_allocation_failure_in_initialize_fails_it_without_leaks),
		T(test_without_enable_traffic_no_dma_is_set_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
