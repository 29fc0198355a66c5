/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Test hook of the ivshmem sample (samples/README.md): per-message counters
 * beyond sample_stats.h's eight messages. QEMU's ivshmem-doorbell has one
 * MSI-X vector per doorbell and the `vm` tier grants it 16 or more. A test
 * finds IvshmemSampleStats() with dlsym() on the loaded miniport.
 */
#ifndef IVSHMEM_SAMPLE_H
#define IVSHMEM_SAMPLE_H

#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define IVSHMEM_SAMPLE_EXPORT __attribute__((visibility("default")))
#else
#define IVSHMEM_SAMPLE_EXPORT
#endif

#define IVSHMEM_SAMPLE_MAX_MESSAGES 64 /* messages with counters of their own */

/*
 * struct ivshmem_sample_stats - driver-wide, reset by DriverEntry. The
 * per-message arrays are indexed by MessageId; a bit p of a processor set
 * means "ran on processor p" (processors >= 64 are not recorded).
 */
struct ivshmem_sample_stats {
	int32_t interrupt_type;                          /* last grant: 1 line, 2 message-based */
	int32_t messages;                                /* last grant: MessageCount */
	uint64_t target_set[IVSHMEM_SAMPLE_MAX_MESSAGES]; /* TargetProcessorSet of each message */
	int64_t isr[IVSHMEM_SAMPLE_MAX_MESSAGES];        /* message ISR calls (each claimed) */
	int64_t dpc[IVSHMEM_SAMPLE_MAX_MESSAGES];        /* message DPC calls */
	uint64_t isr_procs[IVSHMEM_SAMPLE_MAX_MESSAGES]; /* processors its ISRs ran on */
	uint64_t dpc_procs[IVSHMEM_SAMPLE_MAX_MESSAGES]; /* processors its DPCs ran on */
	int64_t line_calls;     /* line ISR/DPC calls: MSI-X only, so must stay 0 */
	int64_t bad_message_id; /* MessageId beyond the grant or the arrays */
	int64_t late_callbacks; /* callbacks that found the context poisoned */
	int32_t halted;         /* adapters halted (deregistered) */
};

/*
 * IvshmemSampleStats() - copy the counters to @out (atomic loads, after a
 * full fence). Context: any thread, any time while the miniport is loaded.
 */
#define IVSHMEM_SAMPLE_STATS "IvshmemSampleStats"
typedef void ivshmem_sample_stats_fn(struct ivshmem_sample_stats *out);
IVSHMEM_SAMPLE_EXPORT ivshmem_sample_stats_fn IvshmemSampleStats;

#endif /* IVSHMEM_SAMPLE_H */
