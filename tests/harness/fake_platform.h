/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The recording fake platform of the unit tests: a struct nirq_platform whose
 * ops log every call (op and arguments, in order), return scripted results
 * and deliver interrupts through real eventfds, so the core's dispatch path
 * is the one the sim and VFIO use. It behaves like no particular device.
 */
#ifndef NIRQ_TEST_FAKE_PLATFORM_H
#define NIRQ_TEST_FAKE_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <ndisirq/nirq_platform.h>

/*
 * Threading model: every function is safe from any thread, including
 * processor threads inside an ISR or DPC. Hooks are called without the
 * fake's lock held, on the thread that made the call.
 */

/** Most vectors one allocation may hold. */
#define FAKE_MAX_VECTORS 64
/** Size of the register file behind BAR0 (bytes). */
#define FAKE_REG_BYTES 4096u
/** Most calls the log keeps; later calls are counted in fake_log_dropped(). */
#define FAKE_LOG_MAX 16384u
/** Most scripted alloc_vectors results. */
#define FAKE_SCRIPT_MAX 16u

enum fake_op {
	FAKE_OP_DESCRIBE,
	FAKE_OP_BAR_INFO,       /* a = bar */
	FAKE_OP_MAP_BAR,        /* a = bar */
	FAKE_OP_UNMAP_BAR,      /* a = bar */
	FAKE_OP_MMIO_READ,      /* a = bar, b = off, c = size; ret = value */
	FAKE_OP_MMIO_WRITE,     /* a = bar, b = off, c = value */
	FAKE_OP_CONFIG_READ,    /* a = off, b = len; ret = bytes */
	FAKE_OP_CONFIG_WRITE,   /* a = off, b = len; ret = bytes */
	FAKE_OP_ALLOC_VECTORS,  /* a = kind, b = count; ret = result */
	FAKE_OP_FREE_VECTORS,
	FAKE_OP_VECTOR_FD,      /* a = vec; ret = fd */
	FAKE_OP_VECTOR_CONSUME, /* a = vec; ret = signals */
	FAKE_OP_MASK,           /* a = vec */
	FAKE_OP_UNMASK,         /* a = vec */
	FAKE_OP_LINE_DONE,      /* a = vec */
	FAKE_OP_VECTOR_NUMBER,  /* a = vec; ret = number */
	FAKE_OP_SET_AFFINITY,   /* a = vec, b = cpu; ret = result */
	FAKE_OP_DESTROY,
	FAKE_OP_COUNT
};

/** One recorded op call. */
struct fake_call {
	enum fake_op op;
	uint64_t a, b, c;
	int64_t ret;
};

/** What the fake device offers and how the fake behaves. */
struct fake_platform_config {
	struct nirq_pci_caps caps;  /* default: 1af4:10f0, MSI-X 5, MSI 4, INTx */
	uint64_t bar0_bus_addr;     /* default 0xfebf0000 */
	uint64_t bar0_size;         /* default FAKE_REG_BYTES; registers beyond read 0 */
	uint32_t vector_base;       /* vector_number(v) = base + v; default 0x40 */
	uint32_t vector_limit;      /* alloc of more fails -ENOSPC; 0 = no limit */
	bool direct_bars;           /* map_bar direct = true (plain memory) */
	bool no_set_affinity;       /* leave the optional op NULL */
};

void fake_platform_config_init(struct fake_platform_config *cfg);

/**
 * fake_platform_create() - a new fake. The result's ops are a private,
 * writable copy (fake_platform_ops()) so a test can remove one.
 * Return: the platform, or NULL on allocation failure.
 */
struct nirq_platform *fake_platform_create(const struct fake_platform_config *cfg);

/**
 * fake_platform_free() - free @pf: closes eventfds still open and the BAR
 * window. The destroy op only records the call (the host may or may not
 * call it), so tests always end with this.
 */
void fake_platform_free(struct nirq_platform *pf);

struct nirq_platform_ops *fake_platform_ops(struct nirq_platform *pf);

/* ---- scripted results ---- */

/**
 * fake_script_alloc() - the @call-th alloc_vectors call (1-based) returns
 * @result (0: behave normally) regardless of the request.
 */
void fake_script_alloc(struct nirq_platform *pf, unsigned call, int result);

/* ---- interrupts ---- */

/**
 * fake_fire() - the device raises vector @vec (an edge message): the
 * vector's eventfd is written, or, while the vector is masked, the signal is
 * held and delivered when it is unmasked. Firing a vector that is not
 * allocated is counted as a test error (fake_fires_lost()).
 */
void fake_fire(struct nirq_platform *pf, uint32_t vec);

/**
 * fake_signal_raw() - write vector @vec's eventfd even while it is masked:
 * a misbehaving device, or a stale signal. Tests use it to prove that a
 * detached vector is no longer dispatched.
 */
void fake_signal_raw(struct nirq_platform *pf, uint32_t vec);

/**
 * fake_line_level() - the device asserts (true) or deasserts its INTx level
 * on vector 0. Asserting signals the eventfd (unless masked: then on unmask);
 * while the level stays asserted every line_done signals it again.
 */
void fake_line_level(struct nirq_platform *pf, bool asserted);

/**
 * fake_line_foreign() - a foreign device sharing the line asserts it; it
 * deasserts at the next line_done (its own driver serviced it).
 */
void fake_line_foreign(struct nirq_platform *pf);

/** fake_set_vector_base() - vector_number(v) = @base + v from now on
 * (a host that numbers re-enabled vectors anew, as Linux may on VFIO). */
void fake_set_vector_base(struct nirq_platform *pf, uint32_t base);
bool fake_line_asserted(struct nirq_platform *pf);
bool fake_vector_masked(struct nirq_platform *pf, uint32_t vec);
/** fake_vector_held() - a signal held while masked, to be delivered on unmask. */
bool fake_vector_held(struct nirq_platform *pf, uint32_t vec);
/** fake_vectors_live() - vectors currently allocated (0 after free_vectors). */
uint32_t fake_vectors_live(struct nirq_platform *pf);
/** fake_fires_lost() - fires on vectors that were not allocated. */
unsigned fake_fires_lost(struct nirq_platform *pf);

/* ---- registers behind BAR0 ---- */

/**
 * A write hook: called after a write reached the register file (@val already
 * stored). A hook may call fake_reg_set(), fake_line_level(), fake_fire().
 */
typedef void fake_mmio_write_hook(struct nirq_platform *pf, void *arg,
				  uint64_t off, unsigned size, uint32_t val);
/** A read hook: may replace the value read (e.g. read-to-clear). */
typedef uint32_t fake_mmio_read_hook(struct nirq_platform *pf, void *arg,
				     uint64_t off, unsigned size, uint32_t val);

void fake_set_mmio_hooks(struct nirq_platform *pf, fake_mmio_read_hook *rd,
			 fake_mmio_write_hook *wr, void *arg);
/** Test-side register access: not logged, no hooks. */
uint32_t fake_reg_get(struct nirq_platform *pf, uint64_t off);
void fake_reg_set(struct nirq_platform *pf, uint64_t off, uint32_t val);

/* ---- the call log ---- */

/**
 * A call hook: runs after every op call was recorded (and, for unmask, after
 * a held signal was delivered), on the calling thread, without the fake's
 * lock. Tests use it to act from inside an op (fire from unmask, observe
 * that a disconnect has begun masking).
 */
typedef void fake_call_hook(struct nirq_platform *pf, void *arg,
			    const struct fake_call *call);
void fake_set_call_hook(struct nirq_platform *pf, fake_call_hook *hook, void *arg);

size_t fake_log_len(struct nirq_platform *pf);
/** fake_log_at() - call @i (0-based); op FAKE_OP_COUNT when out of range. */
struct fake_call fake_log_at(struct nirq_platform *pf, size_t i);
/** fake_log_count() - calls of @op so far. */
size_t fake_log_count(struct nirq_platform *pf, enum fake_op op);
/** fake_log_count_arg() - calls of @op whose first argument is @a. */
size_t fake_log_count_arg(struct nirq_platform *pf, enum fake_op op, uint64_t a);
/** fake_log_find() - index of the first call of @op at or after @from, or -1. */
long fake_log_find(struct nirq_platform *pf, enum fake_op op, size_t from);
/** fake_log_nth() - the @n-th (0-based) call of @op; op FAKE_OP_COUNT if none. */
struct fake_call fake_log_nth(struct nirq_platform *pf, enum fake_op op, size_t n);
size_t fake_log_dropped(struct nirq_platform *pf);
void fake_log_clear(struct nirq_platform *pf);
/** fake_log_dump() - print the log, one call a line (for failure diagnosis). */
void fake_log_dump(struct nirq_platform *pf, FILE *out);

const char *fake_op_name(enum fake_op op);

#endif /* NIRQ_TEST_FAKE_PLATFORM_H */
