/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * vmtest_smoke: the `vm` tier's own plumbing, checked inside the smoke guest
 * (tests/vm/guests/smoke.guest) before any ndisirq test relies on it:
 *
 *   vm_bind_all_devices_bound_to_vfio_pci
 *	every device of the spec is present, and every PCI function that is
 *	not a bridge nor 00:1f.* is bound to vfio-pci with /dev/vfio/<group>;
 *   vm_cpus_online_match_spec_smp
 *	as many CPUs online as the spec's NIRQ_VM_SMP;
 *   vm_ivshmem_doorbell_to_self_reaches_own_vector
 *	through plain VFIO (no ndisirq): a doorbell write of
 *	(own IVPosition << 16) | v signals MSI-X vector v's eventfd, for every
 *	vector: the project's ivshmem server gave the device its own eventfds.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/vfio.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmguest.h"

#define SYS_PCI "/sys/bus/pci/devices"
/* Bound on each wait for an interrupt that should come (not a timing check). */
#define SMOKE_WAIT_MS 5000

struct smoke_dev {
	const char *token;
	uint16_t vendor, device;
};

/* The devices of smoke.guest's NIRQ_VM_DEVICES. */
static const struct smoke_dev smoke_devs[] = {
	{ "edu", 0x1234, 0x11e8 },
	{ "e1000e", 0x8086, 0x10d3 },
	{ "e1000", 0x8086, 0x100e },
	{ "ivshmem", 0x1af4, 0x1110 },
};

/* Basename of the symlink @dev/@attr into @out; 0 or -errno. */
static int link_base(const char *dev, const char *attr, char *out, size_t len)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), SYS_PCI "/%s/%s", dev, attr);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= len)
		return -ENAMETOOLONG;
	memcpy(out, base, strlen(base) + 1);
	return 0;
}

static void test_bind(void)
{
	const char *name = "vm_bind_all_devices_bound_to_vfio_pci";
	char bdf[16], drv[64], grp[32], path[PATH_MAX], cls[32];
	struct dirent *d;
	unsigned i, checked = 0;
	DIR *dir;

	for (i = 0; i < sizeof(smoke_devs) / sizeof(smoke_devs[0]); i++) {
		if (vm_find_device(smoke_devs[i].vendor, smoke_devs[i].device,
				   0, bdf)) {
			vm_result(name, VM_FAIL, "no %s (%04x:%04x) in " SYS_PCI,
				  smoke_devs[i].token, smoke_devs[i].vendor,
				  smoke_devs[i].device);
			return;
		}
	}
	dir = opendir(SYS_PCI);
	if (!dir) {
		vm_result(name, VM_FAIL, "opendir " SYS_PCI ": %s",
			  strerror(errno));
		return;
	}
	while ((d = readdir(dir))) {
		FILE *f;

		if (d->d_name[0] == '.' || !strncmp(d->d_name, "0000:00:1f.", 11))
			continue;
		snprintf(path, sizeof(path), SYS_PCI "/%s/class", d->d_name);
		f = fopen(path, "re");
		if (!f || !fgets(cls, sizeof(cls), f)) {
			if (f)
				fclose(f);
			vm_result(name, VM_FAIL, "cannot read %s", path);
			closedir(dir);
			return;
		}
		fclose(f);
		if (!strncmp(cls, "0x06", 4))
			continue;	/* bridges stay with their drivers */
		if (link_base(d->d_name, "driver", drv, sizeof(drv)))
			snprintf(drv, sizeof(drv), "no driver");
		if (strcmp(drv, "vfio-pci")) {
			vm_result(name, VM_FAIL, "%s is bound to %s, not vfio-pci",
				  d->d_name, drv);
			closedir(dir);
			return;
		}
		if (link_base(d->d_name, "iommu_group", grp, sizeof(grp))) {
			vm_result(name, VM_FAIL, "%s has no iommu_group",
				  d->d_name);
			closedir(dir);
			return;
		}
		snprintf(path, sizeof(path), "/dev/vfio/%s", grp);
		if (access(path, R_OK | W_OK)) {
			vm_result(name, VM_FAIL, "%s: %s: %s", d->d_name, path,
				  strerror(errno));
			closedir(dir);
			return;
		}
		checked++;
	}
	closedir(dir);
	vm_result(name, VM_PASS, "%u functions on vfio-pci, each with its "
		  "/dev/vfio/<group>", checked);
}

static void test_cpus(void)
{
	const char *name = "vm_cpus_online_match_spec_smp";
	const char *smp = getenv("NIRQ_VM_SMP");
	long online = sysconf(_SC_NPROCESSORS_ONLN);

	if (!smp || atol(smp) < 1)
		vm_result(name, VM_FAIL, "NIRQ_VM_SMP is not set in the guest");
	else if (online != atol(smp))
		vm_result(name, VM_FAIL, "%ld CPUs online, spec NIRQ_VM_SMP=%s",
			  online, smp);
	else
		vm_result(name, VM_PASS, "%ld CPUs online", online);
}

/* An open VFIO device with its group and container. */
struct smoke_vfio {
	int container, group, device;
	struct vfio_region_info bar0, cfg;
};

static int smoke_vfio_open(const char *bdf, struct smoke_vfio *v, char *why,
			   size_t len)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	char grp[32], path[64];

	v->container = v->group = v->device = -1;
	if (link_base(bdf, "iommu_group", grp, sizeof(grp))) {
		snprintf(why, len, "%s has no iommu_group", bdf);
		return -1;
	}
	snprintf(path, sizeof(path), "/dev/vfio/%s", grp);
	v->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	v->group = open(path, O_RDWR | O_CLOEXEC);
	if (v->container < 0 || v->group < 0) {
		snprintf(why, len, "open /dev/vfio/vfio or %s: %s", path,
			 strerror(errno));
		return -1;
	}
	if (ioctl(v->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
	    ioctl(v->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) <= 0) {
		snprintf(why, len, "container: no VFIO API %d with TYPE1v2",
			 VFIO_API_VERSION);
		return -1;
	}
	if (ioctl(v->group, VFIO_GROUP_GET_STATUS, &gs) ||
	    !(gs.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		snprintf(why, len, "group %s not viable", grp);
		return -1;
	}
	if (ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container) ||
	    ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		snprintf(why, len, "group %s: set container/IOMMU: %s", grp,
			 strerror(errno));
		return -1;
	}
	v->device = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (v->device < 0) {
		snprintf(why, len, "VFIO_GROUP_GET_DEVICE_FD %s: %s", bdf,
			 strerror(errno));
		return -1;
	}
	v->bar0 = (struct vfio_region_info){ .argsz = sizeof(v->bar0),
		.index = VFIO_PCI_BAR0_REGION_INDEX };
	v->cfg = (struct vfio_region_info){ .argsz = sizeof(v->cfg),
		.index = VFIO_PCI_CONFIG_REGION_INDEX };
	if (ioctl(v->device, VFIO_DEVICE_GET_REGION_INFO, &v->bar0) ||
	    ioctl(v->device, VFIO_DEVICE_GET_REGION_INFO, &v->cfg)) {
		snprintf(why, len, "VFIO_DEVICE_GET_REGION_INFO: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

static void smoke_vfio_close(struct smoke_vfio *v)
{
	if (v->device >= 0)
		close(v->device);
	if (v->group >= 0)
		close(v->group);
	if (v->container >= 0)
		close(v->container);
}

static int smoke_msix(struct smoke_vfio *v, const int *fds, unsigned n)
{
	size_t sz = sizeof(struct vfio_irq_set) + n * sizeof(int);
	struct vfio_irq_set *set = calloc(1, sz);
	int rc;

	if (!set)
		return -ENOMEM;
	set->argsz = (uint32_t)sz;
	set->flags = (n ? VFIO_IRQ_SET_DATA_EVENTFD : VFIO_IRQ_SET_DATA_NONE) |
		     VFIO_IRQ_SET_ACTION_TRIGGER;
	set->index = VFIO_PCI_MSIX_IRQ_INDEX;
	set->count = n;
	if (n)
		memcpy(set->data, fds, n * sizeof(int));
	rc = ioctl(v->device, VFIO_DEVICE_SET_IRQS, set) ? -errno : 0;
	free(set);
	return rc;
}

static void test_ivshmem(void)
{
	const char *name = "vm_ivshmem_doorbell_to_self_reaches_own_vector";
	struct vfio_irq_info irq = { .argsz = sizeof(irq),
				     .index = VFIO_PCI_MSIX_IRQ_INDEX };
	struct smoke_vfio v;
	char bdf[16], why[256] = "";
	uint32_t ivpos = 0;
	uint16_t cmd;
	int *fds = NULL;
	unsigned n = 0, i, got = 0;
	int enabled = 0;

	if (vm_find_device(0x1af4, 0x1110, 0, bdf)) {
		vm_result(name, VM_FAIL, "no ivshmem device (1af4:1110)");
		return;
	}
	if (smoke_vfio_open(bdf, &v, why, sizeof(why)))
		goto out;
	/* Memory decoding and bus master: without it MSI-X writes are dropped. */
	if (pread(v.device, &cmd, 2, (off_t)v.cfg.offset + 4) != 2) {
		snprintf(why, sizeof(why), "%s: config read: %s", bdf,
			 strerror(errno));
		goto out;
	}
	cmd |= 0x6;
	if (pwrite(v.device, &cmd, 2, (off_t)v.cfg.offset + 4) != 2 ||
	    ioctl(v.device, VFIO_DEVICE_GET_IRQ_INFO, &irq)) {
		snprintf(why, sizeof(why), "%s: config write or IRQ info: %s",
			 bdf, strerror(errno));
		goto out;
	}
	n = irq.count;
	if (n < 1) {
		snprintf(why, sizeof(why), "%s has no MSI-X vectors", bdf);
		goto out;
	}
	fds = calloc(n, sizeof(int));
	if (!fds) {
		snprintf(why, sizeof(why), "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		fds[i] = -1;
	for (i = 0; i < n; i++) {
		fds[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (fds[i] < 0) {
			snprintf(why, sizeof(why), "eventfd: %s", strerror(errno));
			goto out;
		}
	}
	if (smoke_msix(&v, fds, n)) {
		snprintf(why, sizeof(why), "%s: enabling %u MSI-X vectors: %s",
			 bdf, n, strerror(errno));
		goto out;
	}
	enabled = 1;
	if (pread(v.device, &ivpos, 4, (off_t)v.bar0.offset + 8) != 4) {
		snprintf(why, sizeof(why), "%s: IVPosition read: %s", bdf,
			 strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct pollfd p = { .fd = fds[i], .events = POLLIN };
		uint32_t bell = (ivpos << 16) | i;
		uint64_t cnt;

		if (pwrite(v.device, &bell, 4, (off_t)v.bar0.offset + 12) != 4) {
			snprintf(why, sizeof(why), "%s: doorbell write: %s",
				 bdf, strerror(errno));
			goto out;
		}
		if (poll(&p, 1, SMOKE_WAIT_MS) != 1 ||
		    read(fds[i], &cnt, sizeof(cnt)) != sizeof(cnt)) {
			snprintf(why, sizeof(why), "doorbell 0x%08x (IVPosition "
				 "%u, vector %u): no interrupt on vector %u's "
				 "eventfd within %d ms", bell, ivpos, i, i,
				 SMOKE_WAIT_MS);
			goto out;
		}
		got++;
	}
out:
	if (enabled)
		smoke_msix(&v, NULL, 0);
	if (fds) {
		for (i = 0; i < n; i++)
			if (fds[i] >= 0)
				close(fds[i]);
		free(fds);
	}
	smoke_vfio_close(&v);
	if (*why)
		vm_result(name, VM_FAIL, "%s", why);
	else
		vm_result(name, VM_PASS, "%s IVPosition %u: %u of %u vectors "
			  "rang their own eventfd", bdf, ivpos, got, n);
}

int main(void)
{
	test_bind();
	test_cpus();
	test_ivshmem();
	return 0;
}
