/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Test hooks of the e1000e sample's packet path (samples/README.md). The
 * NBL machinery of NDIS is out of scope: received frames go to a callback
 * of the embedder, frames to send come from E1000eSampleSend(). A test
 * finds each function with dlsym() on the loaded miniport (the names below)
 * or links the sample's object directly.
 *
 * The packet path is off by default (each receive interrupt then stands for
 * four synthetic frames, as on the sim, whose device model moves no data).
 * E1000eSampleEnableTraffic() turns it on for every adapter initialized
 * afterwards: MiniportInitializeEx registers scatter/gather DMA, allocates
 * the legacy descriptor rings and buffers with NdisMAllocateSharedMemory
 * and enables the receiver and transmitter.
 *
 * The hooks may be called from any thread of the embedder, but not while
 * the adapter they name is being halted: halt makes them return -ENODEV
 * from its start on, and a call already inside them races with it.
 */
#ifndef E1000E_SAMPLE_H
#define E1000E_SAMPLE_H

#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define E1000E_SAMPLE_EXPORT __attribute__((visibility("default")))
#else
#define E1000E_SAMPLE_EXPORT
#endif

#define E1000E_SAMPLE_MAX_ADAPTERS 4  /* adapters with a packet path */
#define E1000E_SAMPLE_MIN_FRAME 14    /* an Ethernet header */
#define E1000E_SAMPLE_MAX_FRAME 1514  /* without FCS (the device adds it) */
#define E1000E_SAMPLE_RX_RING 64      /* receive descriptors */
#define E1000E_SAMPLE_TX_RING 64      /* transmit descriptors */

/**
 * e1000e_sample_receive_fn - one received frame, called from the receive
 * DPC (DISPATCH_LEVEL: must not block) at most MaxNblsToIndicate times per
 * DPC call. @adapter is the adapter's index (initialization order), @frame
 * the data without FCS (valid only during the call), @dpc_call the number
 * of the receive DPC call that indicates it (1, 2, ... per adapter).
 */
typedef void e1000e_sample_receive_fn(void *context, unsigned adapter, const void *frame,
				      uint32_t length, uint32_t dpc_call);

/** Counters of one adapter's packet path; see E1000eSampleTrafficStats(). */
struct e1000e_sample_traffic_stats {
	uint32_t rx_dpc_calls;      /* receive DPC calls (each looked at the ring) */
	uint32_t rx_indicated;      /* frames given to the receive callback */
	uint32_t rx_max_per_dpc;    /* most frames one DPC call indicated */
	uint32_t rx_limit;          /* MaxNblsToIndicate of the last receive DPC */
	uint32_t rx_more_pending;   /* returns with MoreNblsPending set */
	uint32_t rx_requeued_calls; /* DPC calls that followed such a return */
	uint32_t rx_errors;         /* descriptors dropped: frame errors, no EOP, too long */
	uint32_t tx_queued;         /* frames put on the transmit ring */
	uint32_t tx_completed;      /* ... that the device reported done (DD) */
};

/*
 * E1000eSampleEnableTraffic() - turn the packet path on for adapters
 * initialized from now on; @receive (may be NULL) gets every frame.
 * Context: passive, before nirq_host_adapter_initialize(). Return: 0.
 */
#define E1000E_SAMPLE_ENABLE_TRAFFIC "E1000eSampleEnableTraffic"
typedef int e1000e_sample_enable_traffic_fn(e1000e_sample_receive_fn *receive, void *context);

/* E1000eSampleAdapters() - adapters initialized with the packet path so far. */
#define E1000E_SAMPLE_ADAPTERS "E1000eSampleAdapters"
typedef unsigned e1000e_sample_adapters_fn(void);

/*
 * E1000eSampleMacAddress() - the adapter's station address (RAL0/RAH0).
 * Return: 0; -ENODEV no such adapter with a packet path (or halted).
 */
#define E1000E_SAMPLE_MAC_ADDRESS "E1000eSampleMacAddress"
typedef int e1000e_sample_mac_address_fn(unsigned adapter, uint8_t mac[6]);

/* E1000eSampleLinkUp() - STATUS.LU: 1 up, 0 down; -ENODEV. */
#define E1000E_SAMPLE_LINK_UP "E1000eSampleLinkUp"
typedef int e1000e_sample_link_up_fn(unsigned adapter);

/*
 * E1000eSampleSend() - copy @frame (a whole Ethernet frame without FCS)
 * to the transmit ring and start it. Context: passive or DISPATCH_LEVEL.
 * Return: 0; -EAGAIN the ring is full (retry after completions);
 * -EINVAL @length outside [14, 1514]; -ENODEV.
 */
#define E1000E_SAMPLE_SEND "E1000eSampleSend"
typedef int e1000e_sample_send_fn(unsigned adapter, const void *frame, uint32_t length);

/*
 * The packet path's memory, for tests that play the device themselves (the
 * sim's model moves no data): the CPU's view and the device address of the
 * rings and buffers. Descriptor i of a ring uses buffer i (2048 bytes).
 */
struct e1000e_sample_rx_desc {   /* legacy receive descriptor */
	uint64_t buffer_addr;
	uint16_t length;
	uint16_t csum;
	uint8_t status;          /* DD 0x01, EOP 0x02 */
	uint8_t errors;          /* CE 0x01, SE 0x02, SEQ 0x04, CXE 0x10, TCPE 0x20, IPE 0x40, RXE 0x80 */
	uint16_t special;
};

struct e1000e_sample_tx_desc {   /* legacy transmit descriptor */
	uint64_t buffer_addr;
	uint32_t lower;          /* length | CSO << 16 | CMD << 24 (EOP 0x01, IFCS 0x02, RS 0x08) */
	uint32_t upper;          /* status: DD 0x01 */
};

struct e1000e_sample_rings {
	volatile struct e1000e_sample_rx_desc *rx_ring; /* E1000E_SAMPLE_RX_RING entries */
	volatile struct e1000e_sample_tx_desc *tx_ring; /* E1000E_SAMPLE_TX_RING entries */
	uint8_t *rx_buffers;
	uint8_t *tx_buffers;
	uint64_t rx_ring_addr, tx_ring_addr;            /* device addresses (RDBA, TDBA) */
	uint64_t rx_buffers_addr, tx_buffers_addr;
};

/* E1000eSampleRings() - the packet path's memory; 0 or -ENODEV. */
#define E1000E_SAMPLE_RINGS "E1000eSampleRings"
typedef int e1000e_sample_rings_fn(unsigned adapter, struct e1000e_sample_rings *out);

/* E1000eSampleTrafficStats() - a snapshot of the counters; 0 or -ENODEV. */
#define E1000E_SAMPLE_TRAFFIC_STATS "E1000eSampleTrafficStats"
typedef int e1000e_sample_traffic_stats_fn(unsigned adapter,
					   struct e1000e_sample_traffic_stats *out);

E1000E_SAMPLE_EXPORT e1000e_sample_enable_traffic_fn E1000eSampleEnableTraffic;
E1000E_SAMPLE_EXPORT e1000e_sample_adapters_fn E1000eSampleAdapters;
E1000E_SAMPLE_EXPORT e1000e_sample_mac_address_fn E1000eSampleMacAddress;
E1000E_SAMPLE_EXPORT e1000e_sample_link_up_fn E1000eSampleLinkUp;
E1000E_SAMPLE_EXPORT e1000e_sample_send_fn E1000eSampleSend;
E1000E_SAMPLE_EXPORT e1000e_sample_traffic_stats_fn E1000eSampleTrafficStats;
E1000E_SAMPLE_EXPORT e1000e_sample_rings_fn E1000eSampleRings;

#endif /* E1000E_SAMPLE_H */
