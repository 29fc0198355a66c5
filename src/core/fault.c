/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Fault injection counters (include/ndisirq/nirq_fault.h). Process-wide
 * atomics: cheap enough for every failure point, none of which is on the
 * interrupt path.
 */
#include <stdatomic.h>

#include <ndisirq/nirq_fault.h>

static struct {
	atomic_ullong calls;
	atomic_ullong nth;
	atomic_bool fired;
} site[NIRQ_FAULT__COUNT];

void nirq_fault_inject(enum nirq_fault_site s, uint64_t nth)
{
	if ((unsigned)s >= NIRQ_FAULT__COUNT)
		return;
	atomic_store(&site[s].nth, 0);
	atomic_store(&site[s].calls, 0);
	atomic_store(&site[s].fired, false);
	atomic_store(&site[s].nth, nth);
}

void nirq_fault_reset(void)
{
	for (unsigned s = 0; s < NIRQ_FAULT__COUNT; s++)
		nirq_fault_inject((enum nirq_fault_site)s, 0);
}

uint64_t nirq_fault_calls(enum nirq_fault_site s)
{
	return (unsigned)s < NIRQ_FAULT__COUNT ? atomic_load(&site[s].calls) : 0;
}

bool nirq_fault_fired(enum nirq_fault_site s)
{
	return (unsigned)s < NIRQ_FAULT__COUNT && atomic_load(&site[s].fired);
}

const char *nirq_fault_name(enum nirq_fault_site s)
{
	static const char *const names[NIRQ_FAULT__COUNT] = { "alloc", "fd", "thread",
							       "vectors" };

	return (unsigned)s < NIRQ_FAULT__COUNT ? names[s] : "?";
}

bool nirq_fault_should_fail(enum nirq_fault_site s)
{
	uint64_t n = atomic_fetch_add(&site[s].calls, 1) + 1;

	if (n != atomic_load(&site[s].nth))
		return false;
	atomic_store(&site[s].fired, true);
	return true;
}
