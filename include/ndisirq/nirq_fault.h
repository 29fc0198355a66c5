/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Fault injection: make the Nth allocation, fd creation, thread creation or
 * platform vector allocation fail, process-wide, so tests can walk every
 * failure point of a scenario (SQLite's malloc-failure testing, applied to
 * the runtime, the NDIS shims, the host and the platforms).
 *
 * Threading model: safe from any thread; the counters are process-wide, so
 * a test that injects runs its scenario alone. Native API: unstable until 1.0.
 */
#ifndef NIRQ_FAULT_H
#define NIRQ_FAULT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <ndisirq/ndisirq.h>

#ifdef __cplusplus
extern "C" {
#endif

enum nirq_fault_site {
	NIRQ_FAULT_ALLOC,   /* heap allocation: the caller sees NULL / -ENOMEM */
	NIRQ_FAULT_FD,      /* eventfd, epoll instance: -EMFILE */
	NIRQ_FAULT_THREAD,  /* thread creation: -EAGAIN */
	NIRQ_FAULT_VECTORS, /* a platform's alloc_vectors: -ENOSPC (the platform
			     * cannot provide them; the core falls back) */
	NIRQ_FAULT__COUNT
};

/**
 * nirq_fault_inject() - from now on, count the calls at @site and fail the
 * @nth one (1-based); only that one. @nth = 0 counts without failing.
 */
NIRQ_API void nirq_fault_inject(enum nirq_fault_site site, uint64_t nth);
/** nirq_fault_reset() - stop failing and zero the counters of every site. */
NIRQ_API void nirq_fault_reset(void);
/** nirq_fault_calls() - calls at @site since the last inject/reset. */
NIRQ_API uint64_t nirq_fault_calls(enum nirq_fault_site site);
/** nirq_fault_fired() - whether the injected failure at @site happened. */
NIRQ_API bool nirq_fault_fired(enum nirq_fault_site site);
/** nirq_fault_name() - "alloc", "fd", "thread", "vectors". */
NIRQ_API const char *nirq_fault_name(enum nirq_fault_site site);

/**
 * nirq_fault_should_fail() - count one call at @site; true when this call
 * must fail. Every layer and backend calls it at its failure points.
 */
NIRQ_API bool nirq_fault_should_fail(enum nirq_fault_site site);

/** calloc() that honours NIRQ_FAULT_ALLOC. */
static inline void *nirq_fault_calloc(size_t n, size_t size)
{
	return nirq_fault_should_fail(NIRQ_FAULT_ALLOC) ? NULL : calloc(n, size);
}

/** realloc() that honours NIRQ_FAULT_ALLOC (@p is kept on failure). */
static inline void *nirq_fault_realloc(void *p, size_t size)
{
	return nirq_fault_should_fail(NIRQ_FAULT_ALLOC) ? NULL : realloc(p, size);
}

#ifdef __cplusplus
}
#endif
#endif /* NIRQ_FAULT_H */
