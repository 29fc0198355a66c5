/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Shared by the parts of the `devices` guest program (vmtest_devices*.c):
 * the handler spy.
 *
 * The spy: vmtest_devices_spy.c defines NdisMRegisterInterruptEx in the
 * program itself. The program is linked with its symbols exported, so a
 * sample miniport loaded with dlopen binds to this definition, which wraps
 * the handlers the miniport passes (counting each call per role), calls
 * libndisirq's NdisMRegisterInterruptEx (dlsym RTLD_NEXT) and records what
 * it granted (InterruptType, MessageInfoTable). Tests read which handler
 * roles the runtime really called, without changing the samples.
 */
#ifndef VMTEST_DEVICES_H
#define VMTEST_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

/* What one registration through the spy saw; reset by spy_reset(). */
struct spy {
	int32_t registrations;      /* NdisMRegisterInterruptEx calls */
	int32_t status;             /* NDIS_STATUS of the last one */
	bool msi_supported;         /* MsiSupported the miniport passed */
	int32_t interrupt_type;     /* InterruptType written back */
	bool table_null;            /* MessageInfoTable == NULL after the call */
	uint32_t table_messages;    /* MessageInfoTable->MessageCount, else 0 */
	int64_t line_isr;           /* InterruptHandler calls */
	int64_t line_dpc;           /* InterruptDpcHandler calls */
	int64_t msg_isr;            /* MessageInterruptHandler calls */
	int64_t msg_dpc;            /* MessageInterruptDpcHandler calls */
	int64_t msg_isr_bad_id;     /* ... with MessageId >= the table's count */
};

/** spy_reset() - forget the last registration (call before loading a driver). */
void spy_reset(void);
/** spy_get() - a copy of the counters (atomic loads). */
void spy_get(struct spy *out);

#endif /* VMTEST_DEVICES_H */
