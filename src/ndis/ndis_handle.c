/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Interrupt handles. NdisInterruptHandle is an encoded (slot, generation)
 * pair, not a pointer: a handle used after NdisMDeregisterInterruptEx (an
 * SDV violation) is recognised as stale and reported instead of touching
 * freed memory. Lookups are lock-free (NdisMQueueDpcEx runs in ISRs);
 * allocation and release happen at PASSIVE under a mutex.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "ndis/ndis_handle.h"

#define SLOTS 4096u
#define TAG 0x8u /* low bits: never a valid aligned pointer */

struct slot {
	_Atomic(void *) obj;
	atomic_uint gen;
};

static struct slot slots[SLOTS];
static pthread_mutex_t alloc_lock = PTHREAD_MUTEX_INITIALIZER;

static void *encode(unsigned idx, unsigned gen)
{
	return (void *)(((uintptr_t)gen << 32) | ((uintptr_t)idx << 4) | TAG);
}

void *ndis__handle_alloc(void *obj)
{
	void *h = NULL;

	pthread_mutex_lock(&alloc_lock);
	for (unsigned i = 0; i < SLOTS && !h; i++) {
		if (atomic_load(&slots[i].obj))
			continue;
		atomic_store(&slots[i].obj, obj);
		h = encode(i, atomic_load(&slots[i].gen));
	}
	pthread_mutex_unlock(&alloc_lock);
	return h;
}

void *ndis__handle_lookup(const void *handle)
{
	uintptr_t h = (uintptr_t)handle;
	unsigned idx = (unsigned)(h >> 4) & 0x0fffffffu;
	void *obj;

	if ((h & 0xfu) != TAG || idx >= SLOTS)
		return NULL;
	obj = atomic_load_explicit(&slots[idx].obj, memory_order_acquire);
	if (!obj || atomic_load(&slots[idx].gen) != (unsigned)(h >> 32))
		return NULL;
	return obj;
}

void ndis__handle_free(const void *handle)
{
	uintptr_t h = (uintptr_t)handle;
	unsigned idx = (unsigned)(h >> 4) & 0x0fffffffu;

	if (!ndis__handle_lookup(handle))
		return;
	pthread_mutex_lock(&alloc_lock);
	atomic_fetch_add(&slots[idx].gen, 1);
	atomic_store(&slots[idx].obj, NULL);
	pthread_mutex_unlock(&alloc_lock);
}
