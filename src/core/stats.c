/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Latency histograms: log-linear buckets (8 per power of two above 16 ns,
 * exact below), so p50/p99 keep about 12% resolution from 16 ns to 8 s
 * without allocation on the recording path.
 */
#include "core.h"

#define SUB_BITS 3
#define SUB (1u << SUB_BITS)
#define LINEAR 16u /* values below are their own bucket */

static unsigned bucket_of(uint64_t ns)
{
	unsigned e, idx;

	if (ns < LINEAR)
		return (unsigned)ns;
	e = 63u - (unsigned)__builtin_clzll(ns); /* >= 4 */
	idx = LINEAR + (e - 4u) * SUB + (unsigned)((ns >> (e - SUB_BITS)) & (SUB - 1u));
	return idx < NIRQ_LAT_BUCKETS ? idx : NIRQ_LAT_BUCKETS - 1u;
}

/* Lower bound of bucket @idx, the inverse of bucket_of(). */
static uint64_t bucket_floor(unsigned idx)
{
	unsigned e, sub;

	if (idx < LINEAR)
		return idx;
	e = (idx - LINEAR) / SUB + 4u;
	sub = (idx - LINEAR) % SUB;
	return ((uint64_t)(SUB + sub)) << (e - SUB_BITS);
}

void nirq_lat_record(struct nirq_lat_hist *h, uint64_t ns)
{
	nirq__count(h->bucket[bucket_of(ns)]);
	nirq__count(h->count);
}

uint64_t nirq_lat_percentile(const struct nirq_lat_hist *h, double pct)
{
	uint64_t total = __atomic_load_n(&h->count, __ATOMIC_RELAXED);
	uint64_t rank, seen = 0;

	if (total == 0)
		return 0;
	if (pct < 0)
		pct = 0;
	if (pct > 100)
		pct = 100;
	rank = (uint64_t)((pct / 100.0) * (double)(total - 1)) + 1;
	for (unsigned i = 0; i < NIRQ_LAT_BUCKETS; i++) {
		seen += __atomic_load_n(&h->bucket[i], __ATOMIC_RELAXED);
		if (seen >= rank)
			return bucket_floor(i);
	}
	return bucket_floor(NIRQ_LAT_BUCKETS - 1);
}
