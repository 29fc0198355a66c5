/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Private to src/platform/vfio: the VFIO backend's instance, its vectors, and
 * the helpers shared by its files (the one VFIO_DEVICE_SET_IRQS helper, the
 * sysfs and /proc parsers, which unit tests compile in directly).
 */
#ifndef NIRQ_VFIO_H
#define NIRQ_VFIO_H

#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ndisirq/nirq_platform_vfio.h>

#define VFIO_API __attribute__((visibility("default")))

#define VFIO_NBARS 6
/* VFIO's fixed indexes (linux/vfio.h): INTx 0, MSI 1, MSI-X 2. */
#define VFIO_IDX_INTX 0u
#define VFIO_IDX_MSI 1u
#define VFIO_IDX_MSIX 2u
#define VFIO_NIDX 3u
/* Most vectors one allocation takes: the MSI-X table limit. */
#define VFIO_MAX_VECTORS 2048u
/* First IOVA handed out by dma_alloc, and the end of the IOVA space used. */
#define VFIO_IOVA_BASE 0x10000000ull
#define VFIO_IOVA_END (1ull << 39) /* QEMU intel-iommu's default 39-bit width */
#define VFIO_MAX_DMA 256u

/* PCI config space (PCI Local Bus 3.0, 6.1). */
#define VFIO_PCI_COMMAND 0x04
#define VFIO_PCI_COMMAND_MEMORY 0x0002
#define VFIO_PCI_COMMAND_MASTER 0x0004
#define VFIO_PCI_STATUS 0x06
#define VFIO_PCI_STATUS_INTERRUPT 0x0008
#define VFIO_PCI_STATUS_CAP_LIST 0x0010
#define VFIO_PCI_CAP_PTR 0x34
#define VFIO_PCI_CAP_ID_MSI 0x05
#define VFIO_PCI_MSI_FLAGS_MASKBIT 0x0100

/*
 * One vector. Keys: (c) constant while allocated; (a) atomic, written from
 * the vector's processor (consume, line_done) and from mask/unmask callers.
 */
struct vfio_vec {
	int fd;                  /* (c) trigger eventfd, the core waits on it */
	uint32_t irq;            /* (c) host IRQ, 0 = not found in /proc/interrupts */
	atomic_bool masked;      /* (a) masked by the core: hold signals */
	atomic_bool pending;     /* (a) a signal was held while masked */
	atomic_bool deferred;    /* (a) line only: line_done came while masked */
};

struct vfio_region {
	uint64_t off;            /* offset in the device fd */
	uint64_t size;
	uint32_t flags;          /* VFIO_REGION_INFO_FLAG_* */
};

struct vfio_dma {
	void *va;                /* NULL = free slot */
	size_t size;             /* page-rounded */
	uint64_t iova;
};

struct vfio_pf {
	struct nirq_platform base;
	char bdf[16];
	char procdir[PATH_MAX];
	int container, group, device;
	struct vfio_region bar[VFIO_NBARS];
	struct vfio_region cfg;
	void *map[VFIO_NBARS];   /* mmapped BARs (map_bar), for destroy */
	uint32_t irq_count[VFIO_NIDX];
	uint32_t irq_flags[VFIO_NIDX];
	bool msi_maskable;
	/* vectors: written by alloc/free (passive), read from processors */
	enum nirq_intr_kind kind;
	uint32_t nvec;
	struct vfio_vec *vec;    /* [nvec] */
	int unmask_fd;           /* INTx: the kernel unmasks on a write */
	/* DMA: passive only */
	struct vfio_dma dma[VFIO_MAX_DMA];
	uint64_t iova_next;
};

extern const struct nirq_platform_ops nirq__vfio_ops;

/* vfio_sys.c: sysfs and /proc, no ioctls (unit tests compile it in). */

/* A line (snprintf into @why, if @len) and the errno it goes with. */
int nirq__vfio_why(char *why, size_t len, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/**
 * nirq__vfio_group_of() - IOMMU group number of @bdf under @sysfs.
 * Return: 0; -ENOENT (no such device: @why says so; or no iommu_group link).
 */
int nirq__vfio_group_of(const char *sysfs, const char *bdf, unsigned *group,
			char *why, size_t len);

/**
 * nirq__vfio_group_unbound() - write to @why why group @group is not viable:
 * every device in <sysfs>/kernel/iommu_groups/N/devices/ not bound to
 * vfio-pci, with its driver. Return: the number of such devices.
 */
unsigned nirq__vfio_group_unbound(const char *sysfs, unsigned group, char *why,
				  size_t len);

/**
 * nirq__vfio_irq_numbers() - find the host IRQ of vectors [0, @count) of
 * @kind for @bdf in <procdir>/interrupts ("vfio-msix[v](BDF)",
 * "vfio-msi[v](BDF)", "vfio-intx(BDF)"); @irq[v] = 0 where not found.
 * Return: how many were found; -errno when the file cannot be read.
 */
int nirq__vfio_irq_numbers(const char *procdir, const char *bdf,
			   enum nirq_intr_kind kind, uint32_t count, uint32_t *irq);

/* vfio_irq.c: the one VFIO_DEVICE_SET_IRQS helper, vectors [start, start + count). */
int nirq__vfio_set_irqs(struct vfio_pf *v, unsigned index, uint32_t start,
			uint32_t count, uint32_t flags, const int *fds);

int nirq__vfio_alloc_vectors(struct nirq_platform *pf, enum nirq_intr_kind kind,
			     uint32_t count);
void nirq__vfio_free_vectors(struct nirq_platform *pf);
int nirq__vfio_vector_fd(struct nirq_platform *pf, uint32_t vec);
uint64_t nirq__vfio_vector_consume(struct nirq_platform *pf, uint32_t vec);
void nirq__vfio_mask(struct nirq_platform *pf, uint32_t vec);
void nirq__vfio_unmask(struct nirq_platform *pf, uint32_t vec);
void nirq__vfio_line_done(struct nirq_platform *pf, uint32_t vec);
uint32_t nirq__vfio_vector_number(struct nirq_platform *pf, uint32_t vec);
int nirq__vfio_set_affinity(struct nirq_platform *pf, uint32_t vec, unsigned cpu);

/* vfio_dma.c */
int nirq__vfio_dma_alloc(struct nirq_platform *pf, size_t size, void **va,
			 uint64_t *iova);
void nirq__vfio_dma_free(struct nirq_platform *pf, void *va, size_t size);
void nirq__vfio_dma_free_all(struct vfio_pf *v);

#endif /* NIRQ_VFIO_H */
