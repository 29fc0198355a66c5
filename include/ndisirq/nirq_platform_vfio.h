/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The VFIO platform: a real PCI function bound to vfio-pci, driven from user
 * space through Linux VFIO (type1v2 IOMMU). BARs are mmapped when the kernel
 * allows it, config space goes through the VFIO config region, every vector
 * (INTx, MSI, MSI-X) signals its own eventfd, as on the sim platform.
 *
 * The platform is used like the sim one: nirq_host_adapter_start(host, pf,
 * &policy, &ad) etc.; pf->ops->destroy(pf) closes it. vector_number returns
 * the host IRQ number (from /proc/interrupts: "vfio-msix[v](BDF)",
 * "vfio-msi[v](BDF)", "vfio-intx(BDF)").
 *
 * Permissions: read/write on /dev/vfio/vfio and /dev/vfio/<group>; root is
 * not needed (steering IRQs through /proc/irq/N/smp_affinity_list is, and is
 * skipped with one warning without it). See docs/vfio.md.
 *
 * Threading model: nirq_vfio_open() and nirq_vfio_bdf_check() may be called
 * from any thread; one platform instance is then used as nirq_platform.h
 * says (passive ops one at a time, ISR-path ops from processor threads).
 */
#ifndef NIRQ_PLATFORM_VFIO_H
#define NIRQ_PLATFORM_VFIO_H

#include <stddef.h>

#include <ndisirq/nirq_platform.h>

#ifdef __cplusplus
extern "C" {
#endif

struct nirq_vfio_config {
	const char *bdf;      /* "0000:00:03.0"; required */
	const char *sysfs;    /* NULL = "/sys"  (tests may point elsewhere) */
	const char *devdir;   /* NULL = "/dev/vfio" */
	const char *procdir;  /* NULL = "/proc" */
};

/**
 * nirq_vfio_open() - open the PCI function @cfg->bdf through VFIO.
 * @cfg:  where the function is and where sysfs, /dev/vfio and /proc are.
 * @out:  the platform on success; pf->ops->destroy(pf) closes it.
 * @why:  if not NULL, on error one line naming the field/value/rule, e.g.
 *        "group 7 not viable: 0000:00:04.0 is bound to e1000e, not vfio-pci".
 * @len:  size of @why.
 *
 * Enables memory decoding and bus mastering in PCI_COMMAND.
 * Context: passive. Return: 0 or -errno (-EINVAL: malformed BDF; -ENOENT: no
 * such device or VFIO not available; -EBUSY: group not viable; -EACCES; ...).
 * Every resource is released on error.
 */
#if defined(__GNUC__)
__attribute__((visibility("default"), warn_unused_result))
#endif
int nirq_vfio_open(const struct nirq_vfio_config *cfg, struct nirq_platform **out,
		   char *why, size_t len);

/**
 * nirq_vfio_bdf_check() - is @bdf a full PCI address "DDDD:BB:DD.F"
 * (hex domain of 4 digits, bus 2, device 2 <= 0x1f, function 1 <= 7)?
 * On error, and if @len > 0, writes to @why a line naming the value and rule.
 * Context: any. Return: 0 or -EINVAL.
 */
#if defined(__GNUC__)
__attribute__((visibility("default"), warn_unused_result))
#endif
int nirq_vfio_bdf_check(const char *bdf, char *why, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* NIRQ_PLATFORM_VFIO_H */
