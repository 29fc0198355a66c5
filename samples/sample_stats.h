/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Counters the sample miniports keep for their tests and the demo: what
 * their ISRs and DPCs saw, the grant they read back, and how many
 * callbacks found the adapter context poisoned after deregistration.
 * Each sample exports SampleStats(); a test finds it with dlsym().
 */
#ifndef SAMPLE_STATS_H
#define SAMPLE_STATS_H

#include <stdint.h>

#define SAMPLE_MAX_MESSAGES 8

/* The name a test passes to dlsym(). */
#define SAMPLE_STATS_SYMBOL "SampleStats"

/*
 * struct sample_stats - driver-wide counters, reset by DriverEntry, valid
 * until the shared object is unloaded. Counters are bumped with
 * NdisInterlockedIncrement; the per-message arrays are written only by
 * that message's ISR, under its interrupt lock.
 */
struct sample_stats {
	int32_t isr_calls;        /* ISR entries on a live adapter */
	int32_t isr_claimed;      /* ... that returned TRUE */
	int32_t dpc_calls;        /* DPC entries on a live adapter */
	int32_t sync_calls;       /* NdisMSynchronizeWithInterruptEx callbacks */
	int32_t more_pending;     /* DPC returns with MoreNblsPending set */
	int32_t frames_received;  /* e1000e: frames the interrupts announced */
	int32_t frames_indicated; /* e1000e: frames indicated within the throttle */
	int32_t late_callbacks;   /* callbacks that found the context poisoned */
	int32_t halted;           /* adapters halted (deregistered) */
	int32_t interrupt_type;   /* last grant: 1 line, 2 message-based */
	int32_t messages;         /* last grant: MessageCount, 0 for a line */
	int32_t msix;             /* e1000e: the device runs in MSI-X mode */
	uint32_t msg_causes[SAMPLE_MAX_MESSAGES];   /* causes each message's ISR took */
	int32_t msg_processor[SAMPLE_MAX_MESSAGES]; /* processor of its last ISR */
};

#if defined(__GNUC__) || defined(__clang__)
#define SAMPLE_EXPORT __attribute__((visibility("default")))
#else
#define SAMPLE_EXPORT
#endif

/** SampleStats() - the sample's counters. Context: any. Return: never NULL. */
typedef const struct sample_stats *sample_stats_fn(void);
SAMPLE_EXPORT sample_stats_fn SampleStats;

#endif /* SAMPLE_STATS_H */
