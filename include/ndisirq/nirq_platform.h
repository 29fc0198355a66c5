/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Platform SPI: what a backend (sim, VFIO) provides to the core.
 * Backend authors only. Miniport code must include <ndis.h> instead;
 * embedders use <ndisirq/ndisirq.h>.
 *
 * Threading model: the core calls describe/bar/config/alloc/free ops from a
 * passive thread, one at a time per platform instance. vector_consume, mmio_*
 * and line_done are called from processor threads (ISR context) and must not
 * allocate, block or log. mask/unmask may be called from any context.
 *
 * Ranges are half-open everywhere: vectors [0, count).
 */
#ifndef NIRQ_PLATFORM_H
#define NIRQ_PLATFORM_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Kinds of interrupt a PCI function can be given, in order of preference. */
enum nirq_intr_kind {
	NIRQ_KIND_NONE = 0,
	NIRQ_KIND_LINE = 1, /* INTx: one level-triggered, shareable line */
	NIRQ_KIND_MSI = 2,  /* MSI: 1..32 edge messages, one address */
	NIRQ_KIND_MSIX = 3, /* MSI-X: table of edge messages, per-entry mask */
};

/** What a PCI function offers, read from its capability list. */
struct nirq_pci_caps {
	uint16_t vendor_id;
	uint16_t device_id;
	uint32_t msix_count;   /* MSI-X table size; 0 = no MSI-X capability */
	uint32_t msi_count;    /* messages MSI can take (power of 2 <= 32); 0 = none */
	bool msi_maskable;     /* MSI per-vector masking capable */
	bool intx;             /* interrupt pin != 0 */
};

/** One base address register. */
struct nirq_bar_info {
	uint64_t bus_addr;     /* bus-relative address, as the BAR holds it */
	uint64_t size;         /* 0 = BAR not implemented */
	bool io;               /* I/O space (not mapped by NdisMMapIoSpace) */
};

struct nirq_platform;

/**
 * struct nirq_platform_ops - the backend vtable.
 *
 * Required ops are checked by nirq_platform_check(); optional ones say so.
 */
struct nirq_platform_ops {
	const char *name; /* "sim", "vfio" */

	/* describe() - fill @caps. Context: passive. Return: 0 or -errno. */
	int (*describe)(struct nirq_platform *pf, struct nirq_pci_caps *caps);

	/* bar_info() - describe BAR @bar (0..5). Return: 0, -EINVAL for bar > 5. */
	int (*bar_info)(struct nirq_platform *pf, unsigned bar,
			struct nirq_bar_info *out);

	/*
	 * map_bar() - make BAR @bar addressable. On success *@va is the base of
	 * a range of the BAR's size and *@direct says how it is accessed:
	 * direct = true: plain volatile loads and stores reach the device (VFIO);
	 * direct = false: the range is a reserved, inaccessible window and every
	 * access must go through mmio_read/mmio_write (sim device models see
	 * each access synchronously). Context: passive. Return: 0 or -errno.
	 */
	int (*map_bar)(struct nirq_platform *pf, unsigned bar, void **va,
		       bool *direct);
	void (*unmap_bar)(struct nirq_platform *pf, unsigned bar, void *va);

	/*
	 * mmio_read()/mmio_write() - an access of @size bytes (1, 2, 4) at
	 * offset @off of BAR @bar. Required when map_bar can return direct =
	 * false. Context: any, including ISR; must not block or allocate.
	 */
	uint32_t (*mmio_read)(struct nirq_platform *pf, unsigned bar,
			      uint64_t off, unsigned size);
	void (*mmio_write)(struct nirq_platform *pf, unsigned bar, uint64_t off,
			   unsigned size, uint32_t val);

	/*
	 * config_read()/config_write() - PCI configuration space, @len bytes at
	 * @off. Bytes beyond the function's config space read as 0xff and are
	 * not written. Context: passive or DISPATCH. Return: bytes transferred.
	 */
	uint32_t (*config_read)(struct nirq_platform *pf, uint32_t off,
				void *buf, uint32_t len);
	uint32_t (*config_write)(struct nirq_platform *pf, uint32_t off,
				 const void *buf, uint32_t len);

	/*
	 * alloc_vectors() - allocate and enable @count vectors of @kind, all or
	 * nothing (count is 1 for NIRQ_KIND_LINE). Afterwards each vector has an
	 * fd (vector_fd) and starts masked: a message raised now is held (MSI-X:
	 * pending bit; MSI without mask bits and lines: the fd simply becomes
	 * readable) and reaches the core once it unmasks the vector on connect. Only one allocation is live per
	 * platform. Context: passive.
	 * Return: 0; -ENOSPC when the platform cannot provide @count vectors of
	 * @kind (the caller may retry with fewer); -ENODEV when the device does
	 * not have @kind; -ENOMEM, -EMFILE on resource exhaustion.
	 */
	int (*alloc_vectors)(struct nirq_platform *pf, enum nirq_intr_kind kind,
			     uint32_t count);
	/* free_vectors() - disable and release every vector. Context: passive. */
	void (*free_vectors)(struct nirq_platform *pf);

	/*
	 * vector_fd() - the fd that becomes readable (EPOLLIN) when vector @vec
	 * has fired. The core waits on it from the vector's processor.
	 */
	int (*vector_fd)(struct nirq_platform *pf, uint32_t vec);

	/*
	 * vector_consume() - clear the signal on vector @vec after its fd was
	 * readable. Return: the number of signals gathered since the last
	 * consume (edge messages coalesce: 1 means "at least one"), 0 when the
	 * wake-up was stale. Context: the vector's processor, ISR path.
	 */
	uint64_t (*vector_consume)(struct nirq_platform *pf, uint32_t vec);

	/*
	 * mask()/unmask() - per-vector mask at the platform. For MSI-X a message
	 * raised while masked sets its pending bit and is delivered on unmask.
	 * For vectors without a hardware mask (MSI without per-vector masking,
	 * lines) the backend holds the signal itself and delivers it on unmask.
	 * Required. Context: any.
	 */
	void (*mask)(struct nirq_platform *pf, uint32_t vec);
	void (*unmask)(struct nirq_platform *pf, uint32_t vec);

	/*
	 * line_done() - called after the ISR chain of a line ran, with the
	 * device acknowledged by the ISR (or not). Must leave the line able to
	 * fire again: VFIO unmasks the automasked INTx; the sim re-samples the
	 * level and signals again while it is still asserted.
	 * Context: the line's processor, ISR path.
	 */
	void (*line_done)(struct nirq_platform *pf, uint32_t vec);

	/*
	 * vector_number() - the platform's number for @vec, reported as
	 * IO_INTERRUPT_MESSAGE_INFO_ENTRY.Vector (host IRQ on VFIO).
	 */
	uint32_t (*vector_number)(struct nirq_platform *pf, uint32_t vec);

	/*
	 * set_affinity() - optional: steer vector @vec to host CPU @cpu.
	 * Return: 0, -EPERM when not permitted (the run continues).
	 */
	int (*set_affinity)(struct nirq_platform *pf, uint32_t vec, unsigned cpu);

	/*
	 * dma_alloc() - optional: @size bytes (rounded up to whole pages) of
	 * zeroed memory the device can reach by DMA. *@va is the CPU's view,
	 * *@iova the address to program into the device (an IOVA mapped in the
	 * IOMMU on VFIO). Context: passive.
	 * Return: 0, -ENOMEM, -ENOSPC (IOVA space exhausted), -EOPNOTSUPP.
	 */
	int (*dma_alloc)(struct nirq_platform *pf, size_t size, void **va,
			 uint64_t *iova);
	/* dma_free() - undo dma_alloc(@va, @size). Context: passive. */
	void (*dma_free)(struct nirq_platform *pf, void *va, size_t size);

	/* destroy() - free the platform; vectors must already be freed. */
	void (*destroy)(struct nirq_platform *pf);
};

/** Base of every backend instance; backends embed it first. */
struct nirq_platform {
	const struct nirq_platform_ops *ops;
};

/**
 * nirq_platform_check() - check that @pf has every required op.
 * Return: 0, or -EINVAL with *@missing set to the name of the first missing op.
 */
#if defined(__GNUC__)
__attribute__((visibility("default")))
#endif
int nirq_platform_check(const struct nirq_platform *pf, const char **missing);

#ifdef __cplusplus
}
#endif
#endif /* NIRQ_PLATFORM_H */
