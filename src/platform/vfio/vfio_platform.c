/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The VFIO backend's platform ops (nirq_platform.h) and nirq_vfio_open():
 * container, group and device fds in the order of the harness facts
 * (docs/vfio.md), describe from config space and VFIO_DEVICE_GET_IRQ_INFO,
 * BARs (mmapped when the kernel allows it, else pread/pwrite), config space.
 * Vectors are in vfio_irq.c, DMA in vfio_dma.c.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vfio.h"

static struct vfio_pf *to_vfio(struct nirq_platform *pf)
{
	return pf && pf->ops == &nirq__vfio_ops ? (struct vfio_pf *)pf : NULL;
}

/* ------------------------------------------------------------ config space */

static uint32_t cfg_span(const struct vfio_pf *v, uint32_t off, uint32_t len)
{
	if (off >= v->cfg.size)
		return 0;
	return len < v->cfg.size - off ? len : (uint32_t)(v->cfg.size - off);
}

static uint32_t vfio_config_read(struct nirq_platform *pf, uint32_t off, void *buf,
				 uint32_t len)
{
	struct vfio_pf *v = to_vfio(pf);
	uint32_t n;
	ssize_t r;

	if (!v || !buf)
		return 0;
	memset(buf, 0xff, len);
	n = cfg_span(v, off, len);
	if (!n)
		return 0;
	r = pread(v->device, buf, n, (off_t)(v->cfg.off + off));
	if (r < 0) {
		memset(buf, 0xff, n);
		return 0;
	}
	return (uint32_t)r;
}

static uint32_t vfio_config_write(struct nirq_platform *pf, uint32_t off,
				  const void *buf, uint32_t len)
{
	struct vfio_pf *v = to_vfio(pf);
	uint32_t n;
	ssize_t r;

	if (!v || !buf)
		return 0;
	n = cfg_span(v, off, len);
	if (!n)
		return 0;
	r = pwrite(v->device, buf, n, (off_t)(v->cfg.off + off));
	return r < 0 ? 0 : (uint32_t)r;
}

static uint32_t cfg_rd(struct vfio_pf *v, uint32_t off, unsigned size)
{
	uint32_t val = 0;

	if (vfio_config_read(&v->base, off, &val, size) != size)
		return ~0u;
	return val; /* little-endian host, as config space */
}

/* Is per-vector masking advertised in the MSI capability? */
static bool msi_maskable(struct vfio_pf *v)
{
	uint32_t ptr;

	if (!(cfg_rd(v, VFIO_PCI_STATUS, 2) & VFIO_PCI_STATUS_CAP_LIST))
		return false;
	ptr = cfg_rd(v, VFIO_PCI_CAP_PTR, 1) & ~3u;
	for (unsigned hops = 0; ptr >= 0x40 && ptr < 0x100 && hops < 48; hops++) {
		if (cfg_rd(v, ptr, 1) == VFIO_PCI_CAP_ID_MSI)
			return cfg_rd(v, ptr + 2, 2) & VFIO_PCI_MSI_FLAGS_MASKBIT;
		ptr = cfg_rd(v, ptr + 1, 1) & ~3u;
	}
	return false;
}

/* ---------------------------------------------------------------- describe */

static int vfio_describe(struct nirq_platform *pf, struct nirq_pci_caps *caps)
{
	struct vfio_pf *v = to_vfio(pf);

	if (!v || !caps)
		return -EINVAL;
	*caps = (struct nirq_pci_caps){
		.vendor_id = (uint16_t)cfg_rd(v, 0x00, 2),
		.device_id = (uint16_t)cfg_rd(v, 0x02, 2),
		/* Decide from VFIO's counts: 0 means the kind is absent. */
		.msix_count = v->irq_count[VFIO_IDX_MSIX],
		.msi_count = v->irq_count[VFIO_IDX_MSI],
		.msi_maskable = v->irq_count[VFIO_IDX_MSI] && v->msi_maskable,
		.intx = v->irq_count[VFIO_IDX_INTX] != 0,
	};
	return 0;
}

/* -------------------------------------------------------------------- BARs */

static int vfio_bar_info(struct nirq_platform *pf, unsigned bar, struct nirq_bar_info *out)
{
	struct vfio_pf *v = to_vfio(pf);
	uint32_t lo;

	if (!v || !out || bar >= VFIO_NBARS)
		return -EINVAL;
	*out = (struct nirq_bar_info){ 0 };
	if (!v->bar[bar].size)
		return 0;
	lo = cfg_rd(v, 0x10 + 4 * bar, 4);
	out->size = v->bar[bar].size;
	out->io = lo & 1;
	out->bus_addr = lo & (out->io ? ~0x3u : ~0xfu);
	if (!out->io && (lo & 0x6) == 0x4 && bar < VFIO_NBARS - 1)
		out->bus_addr |= (uint64_t)cfg_rd(v, 0x10 + 4 * (bar + 1), 4) << 32;
	return 0;
}

static bool bar_mappable(const struct vfio_pf *v, unsigned bar)
{
	return bar < VFIO_NBARS && v->bar[bar].size &&
	       (v->bar[bar].flags & VFIO_REGION_INFO_FLAG_READ);
}

/*
 * mmap the BAR when the region says MMAP; a BAR the kernel only maps in
 * parts (MSI-X table excluded on an IOMMU without interrupt remapping) then
 * fails as a whole and falls back to pread/pwrite: direct = false with a
 * reserved window.
 */
static int vfio_map_bar(struct nirq_platform *pf, unsigned bar, void **va, bool *direct)
{
	struct vfio_pf *v = to_vfio(pf);
	size_t size;
	void *p = MAP_FAILED;

	if (!v || !va || !direct || !bar_mappable(v, bar))
		return -EINVAL;
	size = (size_t)v->bar[bar].size;
	if (v->bar[bar].flags & VFIO_REGION_INFO_FLAG_MMAP)
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->device,
			 (off_t)v->bar[bar].off);
	if (p != MAP_FAILED) {
		*direct = true;
	} else {
		p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
			 MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return -errno;
		*direct = false;
	}
	*va = p;
	if (!v->map[bar])
		v->map[bar] = p; /* destroy unmaps what the caller left mapped */
	return 0;
}

static void vfio_unmap_bar(struct nirq_platform *pf, unsigned bar, void *va)
{
	struct vfio_pf *v = to_vfio(pf);

	if (!v || !va || bar >= VFIO_NBARS)
		return;
	if (v->map[bar] == va)
		v->map[bar] = NULL;
	munmap(va, (size_t)v->bar[bar].size);
}

static bool mmio_ok(const struct vfio_pf *v, unsigned bar, uint64_t off, unsigned size)
{
	return bar < VFIO_NBARS && (size == 1 || size == 2 || size == 4) &&
	       off < v->bar[bar].size && size <= v->bar[bar].size - off;
}

/* The non-mmapped path: one pread/pwrite on the device fd (no allocation). */
static uint32_t vfio_mmio_read(struct nirq_platform *pf, unsigned bar, uint64_t off,
			       unsigned size)
{
	struct vfio_pf *v = to_vfio(pf);
	uint32_t val = 0;

	if (!v || !mmio_ok(v, bar, off, size))
		return 0xffffffffu;
	if (pread(v->device, &val, size, (off_t)(v->bar[bar].off + off)) != (ssize_t)size)
		return 0xffffffffu;
	return val;
}

static void vfio_mmio_write(struct nirq_platform *pf, unsigned bar, uint64_t off,
			    unsigned size, uint32_t val)
{
	struct vfio_pf *v = to_vfio(pf);

	if (!v || !mmio_ok(v, bar, off, size))
		return;
	(void)!pwrite(v->device, &val, size, (off_t)(v->bar[bar].off + off));
}

/* -------------------------------------------------------- open, destroy */

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void vfio_destroy(struct nirq_platform *pf)
{
	struct vfio_pf *v = to_vfio(pf);

	if (!v)
		return;
	nirq__vfio_free_vectors(pf); /* "must already be freed": be safe anyway */
	nirq__vfio_dma_free_all(v);
	for (unsigned b = 0; b < VFIO_NBARS; b++)
		if (v->map[b])
			munmap(v->map[b], (size_t)v->bar[b].size);
	close_fd(&v->device);
	close_fd(&v->group);
	close_fd(&v->container);
	free(v);
}

const struct nirq_platform_ops nirq__vfio_ops = {
	.name = "vfio",
	.describe = vfio_describe,
	.bar_info = vfio_bar_info,
	.map_bar = vfio_map_bar,
	.unmap_bar = vfio_unmap_bar,
	.mmio_read = vfio_mmio_read,
	.mmio_write = vfio_mmio_write,
	.config_read = vfio_config_read,
	.config_write = vfio_config_write,
	.alloc_vectors = nirq__vfio_alloc_vectors,
	.free_vectors = nirq__vfio_free_vectors,
	.vector_fd = nirq__vfio_vector_fd,
	.vector_consume = nirq__vfio_vector_consume,
	.mask = nirq__vfio_mask,
	.unmask = nirq__vfio_unmask,
	.line_done = nirq__vfio_line_done,
	.vector_number = nirq__vfio_vector_number,
	.set_affinity = nirq__vfio_set_affinity,
	.dma_alloc = nirq__vfio_dma_alloc,
	.dma_free = nirq__vfio_dma_free,
	.destroy = vfio_destroy,
};

/* "open PATH: reason" with a hint for the usual causes. */
static int open_error(const char *path, int err, char *why, size_t len)
{
	const char *hint = "";

	if (err == ENOENT)
		hint = " (is vfio-pci loaded and the device bound to it? see docs/vfio.md)";
	else if (err == EACCES || err == EPERM)
		hint = " (the user needs read/write access to it; see docs/vfio.md)";
	else if (err == EBUSY)
		hint = " (another process has the group open)";
	return nirq__vfio_why(why, len, -err, "%s: %s%s", path, strerror(err), hint);
}

/* Step 1: the container, API version, type1v2. */
static int open_container(struct vfio_pf *v, const char *devdir, char *why, size_t len)
{
	char path[PATH_MAX];
	int api;

	snprintf(path, sizeof(path), "%s/vfio", devdir);
	v->container = open(path, O_RDWR | O_CLOEXEC);
	if (v->container < 0)
		return open_error(path, errno, why, len);
	api = ioctl(v->container, VFIO_GET_API_VERSION);
	if (api != VFIO_API_VERSION)
		return nirq__vfio_why(why, len, -EINVAL, "%s: VFIO API version %d, "
				      "expected %d", path, api, VFIO_API_VERSION);
	if (ioctl(v->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) <= 0)
		return nirq__vfio_why(why, len, -EOPNOTSUPP, "%s: the type1v2 IOMMU "
				      "driver is missing (load vfio_iommu_type1)", path);
	return 0;
}

/* Steps 2-3: the group, viable, in the container, IOMMU set. */
static int open_group(struct vfio_pf *v, const char *sysfs, const char *devdir,
		      unsigned group, char *why, size_t len)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%u", devdir, group);
	v->group = open(path, O_RDWR | O_CLOEXEC);
	if (v->group < 0)
		return open_error(path, errno, why, len);
	if (ioctl(v->group, VFIO_GROUP_GET_STATUS, &st) < 0)
		return nirq__vfio_why(why, len, -errno, "%s: VFIO_GROUP_GET_STATUS: %s",
				      path, strerror(errno));
	if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		nirq__vfio_group_unbound(sysfs, group, why, len);
		return -EBUSY;
	}
	if (ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container) < 0)
		return nirq__vfio_why(why, len, -errno, "%s: VFIO_GROUP_SET_CONTAINER: %s",
				      path, strerror(errno));
	if (ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0)
		return nirq__vfio_why(why, len, -errno, "VFIO_SET_IOMMU(type1v2): %s",
				      strerror(errno));
	return 0;
}

static int region_info(struct vfio_pf *v, unsigned index, struct vfio_region *r)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri), .index = index };

	if (ioctl(v->device, VFIO_DEVICE_GET_REGION_INFO, &ri) < 0)
		return -errno;
	*r = (struct vfio_region){ ri.offset, ri.size, ri.flags };
	return 0;
}

/* Step 4 and 6: device fd, regions, interrupt counts. */
static int open_device(struct vfio_pf *v, char *why, size_t len)
{
	struct vfio_device_info di = { .argsz = sizeof(di) };
	int err;

	v->device = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, v->bdf);
	if (v->device < 0)
		return nirq__vfio_why(why, len, -errno, "%s: VFIO_GROUP_GET_DEVICE_FD: %s",
				      v->bdf, strerror(errno));
	if (ioctl(v->device, VFIO_DEVICE_GET_INFO, &di) < 0)
		return nirq__vfio_why(why, len, -errno, "%s: VFIO_DEVICE_GET_INFO: %s",
				      v->bdf, strerror(errno));
	if (!(di.flags & VFIO_DEVICE_FLAGS_PCI) ||
	    di.num_regions <= VFIO_PCI_CONFIG_REGION_INDEX)
		return nirq__vfio_why(why, len, -ENODEV, "%s: not a vfio-pci device",
				      v->bdf);
	for (unsigned b = 0; b < VFIO_NBARS; b++) {
		err = region_info(v, VFIO_PCI_BAR0_REGION_INDEX + b, &v->bar[b]);
		if (err)
			return nirq__vfio_why(why, len, err, "%s: region info of BAR%u: %s",
					      v->bdf, b, strerror(-err));
	}
	err = region_info(v, VFIO_PCI_CONFIG_REGION_INDEX, &v->cfg);
	if (err)
		return nirq__vfio_why(why, len, err, "%s: region info of config space: %s",
				      v->bdf, strerror(-err));
	for (unsigned i = 0; i < VFIO_NIDX && i < di.num_irqs; i++) {
		struct vfio_irq_info ii = { .argsz = sizeof(ii), .index = i };

		/* An absent kind has count 0 (or, on some kernels, EINVAL). */
		if (ioctl(v->device, VFIO_DEVICE_GET_IRQ_INFO, &ii) == 0) {
			v->irq_count[i] = ii.count;
			v->irq_flags[i] = ii.flags;
		}
	}
	return 0;
}

/* Step 5: memory decoding and bus mastering (MSI writes are dropped without). */
static int enable_command(struct vfio_pf *v, char *why, size_t len)
{
	uint16_t cmd = (uint16_t)cfg_rd(v, VFIO_PCI_COMMAND, 2);

	cmd |= VFIO_PCI_COMMAND_MEMORY | VFIO_PCI_COMMAND_MASTER;
	if (vfio_config_write(&v->base, VFIO_PCI_COMMAND, &cmd, 2) != 2)
		return nirq__vfio_why(why, len, -EIO, "%s: cannot set memory + bus "
				      "master in PCI_COMMAND", v->bdf);
	return 0;
}

static struct vfio_pf *vfio_new(const char *bdf, const char *procdir)
{
	struct vfio_pf *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->base.ops = &nirq__vfio_ops;
	v->container = v->group = v->device = v->unmask_fd = -1;
	v->iova_next = VFIO_IOVA_BASE;
	snprintf(v->bdf, sizeof(v->bdf), "%s", bdf);
	snprintf(v->procdir, sizeof(v->procdir), "%s", procdir);
	return v;
}

VFIO_API int nirq_vfio_open(const struct nirq_vfio_config *cfg, struct nirq_platform **out,
			    char *why, size_t len)
{
	const char *sysfs, *devdir, *procdir;
	struct vfio_pf *v;
	unsigned group;
	char bdf[16];
	int err;

	if (!why)
		len = 0;
	if (!cfg || !out)
		return nirq__vfio_why(why, len, -EINVAL, "nirq_vfio_open: %s is NULL",
				      cfg ? "out" : "cfg");
	err = nirq_vfio_bdf_check(cfg->bdf, why, len);
	if (err)
		return err;
	/* sysfs, VFIO and /proc/interrupts spell the address in lowercase */
	for (unsigned i = 0; i < sizeof(bdf); i++) /* checked: 12 characters */
		bdf[i] = i < 12 ? (char)tolower((unsigned char)cfg->bdf[i]) : '\0';
	sysfs = cfg->sysfs ? cfg->sysfs : "/sys";
	devdir = cfg->devdir ? cfg->devdir : "/dev/vfio";
	procdir = cfg->procdir ? cfg->procdir : "/proc";
	err = nirq__vfio_group_of(sysfs, bdf, &group, why, len);
	if (err)
		return err;
	v = vfio_new(bdf, procdir);
	if (!v)
		return nirq__vfio_why(why, len, -ENOMEM, "out of memory");
	err = open_container(v, devdir, why, len);
	if (!err)
		err = open_group(v, sysfs, devdir, group, why, len);
	if (!err)
		err = open_device(v, why, len);
	if (!err)
		err = enable_command(v, why, len);
	if (err) {
		vfio_destroy(&v->base);
		return err;
	}
	v->msi_maskable = msi_maskable(v);
	*out = &v->base;
	return 0;
}
