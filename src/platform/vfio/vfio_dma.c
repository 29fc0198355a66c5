/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The VFIO backend's DMA memory: anonymous pages mapped in the container's
 * IOMMU (VFIO_IOMMU_MAP_DMA) at IOVAs from a bump allocator that starts at
 * VFIO_IOVA_BASE; IOVAs are not reused.
 */
#include <errno.h>
#include <linux/vfio.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vfio.h"

static struct vfio_pf *to_vfio(struct nirq_platform *pf)
{
	return pf && pf->ops == &nirq__vfio_ops ? (struct vfio_pf *)pf : NULL;
}

static size_t page_round(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return (size + page - 1) & ~(page - 1);
}

static int unmap_dma(struct vfio_pf *v, struct vfio_dma *d)
{
	struct vfio_iommu_type1_dma_unmap um = { .argsz = sizeof(um),
		.iova = d->iova, .size = d->size };
	int err = ioctl(v->container, VFIO_IOMMU_UNMAP_DMA, &um) < 0 ? -errno : 0;

	munmap(d->va, d->size);
	*d = (struct vfio_dma){ 0 };
	return err;
}

int nirq__vfio_dma_alloc(struct nirq_platform *pf, size_t size, void **va,
			 uint64_t *iova)
{
	struct vfio_pf *v = to_vfio(pf);
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE };
	struct vfio_dma *d = NULL;
	void *p;

	if (!v || !va || !iova || !size || size > VFIO_IOVA_END)
		return -EINVAL;
	size = page_round(size);
	for (unsigned i = 0; i < VFIO_MAX_DMA && !d; i++)
		if (!v->dma[i].va)
			d = &v->dma[i];
	if (!d || v->iova_next + size > VFIO_IOVA_END)
		return -ENOSPC;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	map.vaddr = (uintptr_t)p;
	map.iova = v->iova_next;
	map.size = size;
	if (ioctl(v->container, VFIO_IOMMU_MAP_DMA, &map) < 0) {
		int err = errno == ENOSPC ? -ENOSPC : -ENOMEM;

		munmap(p, size);
		return err;
	}
	*d = (struct vfio_dma){ p, size, v->iova_next };
	v->iova_next += size;
	*va = p;
	*iova = d->iova;
	return 0;
}

void nirq__vfio_dma_free(struct nirq_platform *pf, void *va, size_t size)
{
	struct vfio_pf *v = to_vfio(pf);

	(void)size; /* the slot knows the rounded size */
	if (!v || !va)
		return;
	for (unsigned i = 0; i < VFIO_MAX_DMA; i++)
		if (v->dma[i].va == va) {
			(void)unmap_dma(v, &v->dma[i]);
			return;
		}
}

void nirq__vfio_dma_free_all(struct vfio_pf *v)
{
	for (unsigned i = 0; i < VFIO_MAX_DMA; i++)
		if (v->dma[i].va)
			(void)unmap_dma(v, &v->dma[i]);
}
