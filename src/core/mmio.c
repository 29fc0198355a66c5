/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Register access. A mapped BAR is either direct (VFIO: volatile loads and
 * stores on the mmap'd BAR) or trapped (sim: an inaccessible window whose
 * accesses are forwarded to the device model). The table of mappings is
 * process-wide because NdisReadRegisterUlong has only an address; lookups
 * are lock-free (the ISR path reads registers).
 */
#include <errno.h>
#include <stddef.h>

#include "core.h"

#define MAX_MAPPINGS 64

/*
 * One slot. A mapper claims it with a compare-exchange of @used, fills it
 * under @seq, and an unmapper empties it under @seq before releasing @used,
 * so a slot has one writer at a time. Every field is atomic so lookups (ISRs
 * of other adapters) may read a slot while it changes; they copy it and keep
 * the copy only if @seq was even and unchanged around the reads (a sequence
 * lock: lock-free for readers).
 *
 * Races this closes (found by tests/stress under ThreadSanitizer):
 *  1. an ISR of adapter A looks up its register: find() reads slot i's base,
 *     then its len;
 *  2. meanwhile adapter B's halt unmaps slot i and B's next initialize maps
 *     a BAR of another size into it: len, pf, bar change under the reader,
 *     which can match A's address against a torn (base, len) and route the
 *     access to B's device;
 * and in nirq_mmio_unmap():
 *  1. A's halt releases its slot (base = 0), then reads slot->pf and ->bar
 *     to unmap the BAR;
 *  2. in between, B's initialize claims the free slot and writes its pf, bar;
 *  3. A calls B's platform unmap_bar with A's address: A's window is never
 *     unmapped and B's platform finds nothing to unmap.
 */
struct mapping {
	atomic_bool used;                      /* claimed by a mapping */
	atomic_uint seq;                       /* odd while the slot changes */
	_Atomic(uintptr_t) base;               /* 0 empty, else the window */
	_Atomic(uint64_t) len;
	_Atomic(struct nirq_platform *) pf;
	atomic_uint bar;
	atomic_bool direct;
};

/* A consistent copy of one slot. */
struct view {
	uintptr_t base;
	uint64_t len;
	struct nirq_platform *pf;
	unsigned bar;
	bool direct;
};

static struct mapping maps[MAX_MAPPINGS];

/* Copy slot @m; false when it is empty, or changed while it was read. */
static bool read_slot(struct mapping *m, struct view *v)
{
	unsigned seq = atomic_load_explicit(&m->seq, memory_order_acquire);

	if (seq & 1)
		return false;
	v->base = atomic_load_explicit(&m->base, memory_order_relaxed);
	v->len = atomic_load_explicit(&m->len, memory_order_relaxed);
	v->pf = atomic_load_explicit(&m->pf, memory_order_relaxed);
	v->bar = atomic_load_explicit(&m->bar, memory_order_relaxed);
	v->direct = atomic_load_explicit(&m->direct, memory_order_relaxed);
	/* Pairs with the release in write_slot(): the reads above are done. */
	atomic_thread_fence(memory_order_acquire);
	return v->base && atomic_load_explicit(&m->seq, memory_order_relaxed) == seq;
}

/* Write slot @m, which the caller claimed (@used), and publish it. */
static void write_slot(struct mapping *m, const struct view *v)
{
	atomic_fetch_add_explicit(&m->seq, 1, memory_order_relaxed);
	/* Pairs with the acquire in read_slot(): odd seq is seen before the data. */
	atomic_thread_fence(memory_order_release);
	atomic_store_explicit(&m->len, v->len, memory_order_relaxed);
	atomic_store_explicit(&m->pf, v->pf, memory_order_relaxed);
	atomic_store_explicit(&m->bar, v->bar, memory_order_relaxed);
	atomic_store_explicit(&m->direct, v->direct, memory_order_relaxed);
	atomic_store_explicit(&m->base, v->base, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->seq, 1, memory_order_release);
}

/* The mapping containing @a, copied into @v; -1 when none. */
static int find(uintptr_t a, struct view *v)
{
	for (int i = 0; i < MAX_MAPPINGS; i++)
		if (read_slot(&maps[i], v) && a >= v->base && a - v->base < v->len)
			return i;
	return -1;
}

int nirq_mmio_map(struct nirq_platform *pf, unsigned bar, void **va)
{
	struct nirq_bar_info info;
	bool direct = false;
	void *base = NULL;
	int err = pf->ops->bar_info(pf, bar, &info);

	if (err)
		return err;
	if (!info.size || info.io)
		return -EINVAL;
	err = pf->ops->map_bar(pf, bar, &base, &direct);
	if (err)
		return err;
	for (unsigned i = 0; i < MAX_MAPPINGS; i++) {
		bool expect = false;

		if (!atomic_compare_exchange_strong(&maps[i].used, &expect, true))
			continue;
		write_slot(&maps[i], &(struct view){ (uintptr_t)base, info.size, pf, bar, direct });
		*va = base;
		return 0;
	}
	pf->ops->unmap_bar(pf, bar, base);
	return -ENOSPC;
}

/* Release the slot only after copying what unmap_bar needs (see struct mapping). */
void nirq_mmio_unmap(void *va)
{
	struct view v;
	int i = find((uintptr_t)va, &v);

	if (i < 0 || v.base != (uintptr_t)va)
		return;
	write_slot(&maps[i], &(struct view){ 0 });
	atomic_store_explicit(&maps[i].used, false, memory_order_release);
	v.pf->ops->unmap_bar(v.pf, v.bar, va);
}

uint32_t nirq_mmio_read(const volatile void *addr, unsigned size)
{
	struct view m;

	if (find((uintptr_t)addr, &m) >= 0 && !m.direct)
		return m.pf->ops->mmio_read(m.pf, m.bar, (uintptr_t)addr - m.base, size);
	switch (size) {
	case 1: return *(const volatile uint8_t *)addr;
	case 2: return *(const volatile uint16_t *)addr;
	default: return *(const volatile uint32_t *)addr;
	}
}

void nirq_mmio_write(volatile void *addr, unsigned size, uint32_t val)
{
	struct view m;

	if (find((uintptr_t)addr, &m) >= 0 && !m.direct) {
		m.pf->ops->mmio_write(m.pf, m.bar, (uintptr_t)addr - m.base, size, val);
		return;
	}
	switch (size) {
	case 1: *(volatile uint8_t *)addr = (uint8_t)val; break;
	case 2: *(volatile uint16_t *)addr = (uint16_t)val; break;
	default: *(volatile uint32_t *)addr = val; break;
	}
}
