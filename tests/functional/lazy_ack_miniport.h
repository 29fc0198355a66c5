/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * An in-process edu miniport for test_samples.c whose line ISR claims the
 * interrupt at once but acknowledges the device only on its second call:
 * it shows that a level-triggered line stays asserted until the device is
 * acked, so the ISR runs again.
 */
#ifndef LAZY_ACK_MINIPORT_H
#define LAZY_ACK_MINIPORT_H

#include <stdint.h>

/** lazy_ack_entry() - its DriverEntry, for nirq_host_load_entry(). */
int32_t lazy_ack_entry(void *driver_object, void *registry_path);

/** lazy_ack_isr_calls() - ISR calls since lazy_ack_entry(). */
int32_t lazy_ack_isr_calls(void);

#endif /* LAZY_ACK_MINIPORT_H */
