/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * vmtest_vfio_ops: the VFIO platform's ops on QEMU's edu and e1000e, called
 * directly (no miniport), inside the `cli` guest (tests/vm/guests/cli.guest):
 *
 *   vfio_ops_edu_describe_from_irq_info_counts
 *	edu: 1234:11e8, MSI 1, no MSI-X, INTx; PCI_COMMAND memory + bus master;
 *   vfio_ops_edu_mmio_by_pread_pwrite
 *	mmio_write/mmio_read on BAR0 (the non-mmapped path): the liveness
 *	register 0x04 reads back the inverse of what was written;
 *   vfio_ops_absent_kind_enodev_too_many_enospc
 *	MSI-X on edu is -ENODEV, 2 MSI vectors -ENOSPC;
 *   vfio_ops_vector_number_is_host_irq_and_gone_after_free
 *	vector_number(0) is the IRQ of vfio-msi[0](BDF) in /proc/interrupts,
 *	and the line is gone after free_vectors;
 *   vfio_ops_masked_msi_held_and_delivered_on_unmask
 *	an MSI raised while the vector is masked (as allocated) is consumed as 0
 *	and delivered again on unmask;
 *   vfio_ops_intx_fires_again_after_ack_and_line_done
 *	INTx: fire, consume, ack the device, line_done; a second raise fires;
 *   vfio_ops_intx_delivers_a_level_asserted_before_enable
 *	after an MSI session, edu raised with no vector enabled asserts INTx
 *	(PCI_STATUS.Interrupt): enabling the line delivers that level;
 *   vfio_ops_second_open_of_a_group_is_ebusy
 *	opening the same function twice: -EBUSY naming /dev/vfio/<group>;
 *   vfio_ops_e1000e_dma_alloc_maps_iovas_page_rounded
 *	dma_alloc on e1000e: zeroed memory at IOVA 0x10000000, the next one a
 *	page further; dma_free unmaps.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ndisirq/nirq_platform_vfio.h>

#include "vmguest.h"

#define WAIT_MS 5000 /* bound on a wait for an interrupt that should come */
#define EDU_LIVENESS 0x04
#define EDU_IRQ_STATUS 0x24
#define EDU_IRQ_RAISE 0x60
#define EDU_IRQ_ACK 0x64

static char edu[16], e1k[16];

static struct nirq_platform *open_dev(const char *bdf, char *why, size_t len, int *err)
{
	struct nirq_vfio_config cfg = { .bdf = bdf };
	struct nirq_platform *pf = NULL;

	*err = nirq_vfio_open(&cfg, &pf, why, len);
	return *err ? NULL : pf;
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, WAIT_MS) == 1;
}

/* The IRQ of vfio line @name in /proc/interrupts, 0 if absent. */
static unsigned proc_irq(const char *name)
{
	char line[1024];
	unsigned irq = 0;
	FILE *f = fopen("/proc/interrupts", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, name))
			irq = (unsigned)strtoul(line, NULL, 10);
	if (f)
		fclose(f);
	return irq;
}

static void test_describe(struct nirq_platform *pf)
{
	const char *n = "vfio_ops_edu_describe_from_irq_info_counts";
	struct nirq_pci_caps c;
	uint16_t cmd = 0;

	if (pf->ops->describe(pf, &c))
		return vm_result(n, VM_FAIL, "describe failed");
	pf->ops->config_read(pf, 4, &cmd, 2);
	if (c.vendor_id != 0x1234 || c.device_id != 0x11e8 || c.msi_count != 1 ||
	    c.msix_count != 0 || !c.intx || c.msi_maskable || (cmd & 6) != 6)
		return vm_result(n, VM_FAIL, "%04x:%04x msi %u msix %u intx %d maskable %d "
				 "command 0x%x", c.vendor_id, c.device_id, c.msi_count,
				 c.msix_count, c.intx, c.msi_maskable, cmd);
	vm_result(n, VM_PASS, "1234:11e8 MSI 1, MSI-X 0, INTx, command 0x%x", cmd);
}

static void test_mmio(struct nirq_platform *pf)
{
	const char *n = "vfio_ops_edu_mmio_by_pread_pwrite";
	uint32_t v;

	pf->ops->mmio_write(pf, 0, EDU_LIVENESS, 4, 0x12345678u);
	v = pf->ops->mmio_read(pf, 0, EDU_LIVENESS, 4);
	vm_result(n, v == ~0x12345678u ? VM_PASS : VM_FAIL, "liveness read 0x%08x", v);
}

static void test_alloc_errors(struct nirq_platform *pf)
{
	const char *n = "vfio_ops_absent_kind_enodev_too_many_enospc";
	int x = pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 1);
	int m = pf->ops->alloc_vectors(pf, NIRQ_KIND_MSI, 2);

	vm_result(n, x == -ENODEV && m == -ENOSPC ? VM_PASS : VM_FAIL,
		  "MSI-X x1: %d, MSI x2: %d", x, m);
}

static void test_vector_number(struct nirq_platform *pf)
{
	const char *n = "vfio_ops_vector_number_is_host_irq_and_gone_after_free";
	char name[64];
	unsigned want, got, after;
	int err = pf->ops->alloc_vectors(pf, NIRQ_KIND_MSI, 1);

	if (err)
		return vm_result(n, VM_FAIL, "alloc MSI: %d", err);
	snprintf(name, sizeof(name), "vfio-msi[0](%s)", edu);
	want = proc_irq(name);
	got = pf->ops->vector_number(pf, 0);
	pf->ops->free_vectors(pf);
	after = proc_irq(name);
	vm_result(n, want && got == want && !after ? VM_PASS : VM_FAIL,
		  "vector_number %u, /proc/interrupts %u, after free %u", got, want, after);
}

static void test_masked_hold(struct nirq_platform *pf)
{
	const char *n = "vfio_ops_masked_msi_held_and_delivered_on_unmask";
	uint64_t held, got = 0;
	bool fired, again;
	int fd, err = pf->ops->alloc_vectors(pf, NIRQ_KIND_MSI, 1);

	if (err)
		return vm_result(n, VM_FAIL, "alloc MSI: %d", err);
	fd = pf->ops->vector_fd(pf, 0);
	pf->ops->mmio_write(pf, 0, EDU_IRQ_RAISE, 4, 1); /* vector still masked */
	fired = readable(fd);
	held = pf->ops->vector_consume(pf, 0);
	pf->ops->mmio_write(pf, 0, EDU_IRQ_ACK, 4, 1);
	pf->ops->unmask(pf, 0);
	again = readable(fd);
	if (again)
		got = pf->ops->vector_consume(pf, 0);
	pf->ops->free_vectors(pf);
	vm_result(n, fired && held == 0 && again && got >= 1 ? VM_PASS : VM_FAIL,
		  "fired %d, consumed while masked %llu, after unmask readable %d "
		  "consumed %llu", fired, (unsigned long long)held, again,
		  (unsigned long long)got);
}

static void test_intx(struct nirq_platform *pf)
{
	const char *n = "vfio_ops_intx_fires_again_after_ack_and_line_done";
	uint64_t c1 = 0, c2 = 0;
	bool f1, f2 = false;
	int fd, err = pf->ops->alloc_vectors(pf, NIRQ_KIND_LINE, 1);

	if (err)
		return vm_result(n, VM_FAIL, "alloc line: %d", err);
	fd = pf->ops->vector_fd(pf, 0);
	pf->ops->unmask(pf, 0);
	pf->ops->mmio_write(pf, 0, EDU_IRQ_RAISE, 4, 1);
	f1 = readable(fd);
	if (f1) {
		c1 = pf->ops->vector_consume(pf, 0);
		pf->ops->mmio_write(pf, 0, EDU_IRQ_ACK, 4, 1); /* ack, then unmask */
		pf->ops->line_done(pf, 0);
		pf->ops->mmio_write(pf, 0, EDU_IRQ_RAISE, 4, 2);
		f2 = readable(fd);
		if (f2)
			c2 = pf->ops->vector_consume(pf, 0);
		pf->ops->mmio_write(pf, 0, EDU_IRQ_ACK, 4, 2);
		pf->ops->line_done(pf, 0);
	}
	pf->ops->mask(pf, 0);
	pf->ops->free_vectors(pf);
	vm_result(n, f1 && c1 >= 1 && f2 && c2 >= 1 ? VM_PASS : VM_FAIL,
		  "first %d (%llu), second %d (%llu)", f1, (unsigned long long)c1, f2,
		  (unsigned long long)c2);
}

static void test_intx_pending_level(struct nirq_platform *pf)
{
	const char *n = "vfio_ops_intx_delivers_a_level_asserted_before_enable";
	uint16_t status = 0;
	uint64_t c = 0;
	bool line = false;
	int fd, err = pf->ops->alloc_vectors(pf, NIRQ_KIND_MSI, 1);

	if (err)
		return vm_result(n, VM_FAIL, "alloc MSI: %d", err);
	pf->ops->free_vectors(pf); /* an MSI session, as a previous run's */
	pf->ops->mmio_write(pf, 0, EDU_IRQ_RAISE, 4, 4); /* INTx asserted, no vector */
	pf->ops->config_read(pf, 6, &status, 2);
	err = pf->ops->alloc_vectors(pf, NIRQ_KIND_LINE, 1);
	if (err)
		return vm_result(n, VM_FAIL, "alloc line: %d", err);
	fd = pf->ops->vector_fd(pf, 0);
	pf->ops->unmask(pf, 0);
	line = readable(fd);
	if (line)
		c = pf->ops->vector_consume(pf, 0);
	pf->ops->mmio_write(pf, 0, EDU_IRQ_ACK, 4, 4);
	pf->ops->line_done(pf, 0);
	pf->ops->mask(pf, 0);
	pf->ops->free_vectors(pf);
	vm_result(n, (status & 8) && line && c >= 1 ? VM_PASS : VM_FAIL,
		  "PCI status 0x%04x before enable, line delivered %d (%llu)", status,
		  line, (unsigned long long)c);
}

static void test_second_open(void)
{
	const char *n = "vfio_ops_second_open_of_a_group_is_ebusy";
	char why[512] = "";
	int err;
	struct nirq_platform *pf2 = open_dev(edu, why, sizeof(why), &err);

	if (pf2)
		pf2->ops->destroy(pf2);
	vm_result(n, err == -EBUSY && strstr(why, "/dev/vfio/") &&
		  strstr(why, "another process has the group open") ? VM_PASS : VM_FAIL,
		  "%d: %s", err, why);
}

static void test_dma(void)
{
	const char *n = "vfio_ops_e1000e_dma_alloc_maps_iovas_page_rounded";
	void *a = NULL, *b = NULL;
	uint64_t ia = 0, ib = 0;
	char why[512];
	int err, ea, eb;
	struct nirq_platform *pf = open_dev(e1k, why, sizeof(why), &err);

	if (!pf)
		return vm_result(n, VM_FAIL, "open %s: %s", e1k, why);
	ea = pf->ops->dma_alloc(pf, 100, &a, &ia);
	eb = pf->ops->dma_alloc(pf, 8192, &b, &ib);
	if (!ea && !eb && ia == 0x10000000ull && ib == 0x10001000ull &&
	    ((unsigned char *)a)[99] == 0)
		vm_result(n, VM_PASS, "IOVAs 0x%llx, 0x%llx", (unsigned long long)ia,
			  (unsigned long long)ib);
	else
		vm_result(n, VM_FAIL, "%d %d IOVAs 0x%llx, 0x%llx", ea, eb,
			  (unsigned long long)ia, (unsigned long long)ib);
	if (!ea)
		pf->ops->dma_free(pf, a, 100);
	if (!eb)
		pf->ops->dma_free(pf, b, 8192);
	pf->ops->destroy(pf);
}

int main(void)
{
	struct nirq_platform *pf;
	char why[512];
	int err;

	if (vm_find_device(0x1234, 0x11e8, 0, edu) || vm_find_device(0x8086, 0x10d3, 0, e1k)) {
		fprintf(stderr, "vmtest_vfio_ops: needs an edu and an e1000e\n");
		return 1;
	}
	pf = open_dev(edu, why, sizeof(why), &err);
	if (!pf) {
		fprintf(stderr, "vmtest_vfio_ops: open %s: %s\n", edu, why);
		return 1;
	}
	test_describe(pf);
	test_mmio(pf);
	test_alloc_errors(pf);
	test_vector_number(pf);
	test_masked_hold(pf);
	test_intx(pf);
	test_intx_pending_level(pf);
	test_second_open();
	pf->ops->destroy(pf);
	test_dma();
	return 0;
}
