/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Host-side unit tests of the VFIO platform, without a device: PCI address
 * syntax, host IRQ numbers from a /proc/interrupts file, the non-viable
 * group message from a fake sysfs tree (symlinks in a temporary directory),
 * and nirq_vfio_open()'s errors before any ioctl (no such device, no IOMMU
 * group, no /dev/vfio). vfio_sys.c is compiled into this test.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "platform/vfio/vfio.h"

struct tree {
	char root[64];
};

static void mkpath(const char *root, const char *rel)
{
	char p[2 * PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (char *s = p + strlen(root) + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0700);
		*s = '/';
	}
	mkdir(p, 0700);
}

static void put_link(const char *root, const char *target, const char *rel)
{
	char p[2 * PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(symlink(target, p), 0);
}

static void put_file(const char *root, const char *rel, const char *text)
{
	char p[2 * PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/*
 * A sysfs with IOMMU group 7 holding 0000:00:03.0 (vfio-pci),
 * 0000:00:04.0 (e1000e), 0000:00:05.0 (no driver), 0000:00:06.0 (ahci),
 * 0000:00:08.0 (pci-stub), 0000:00:09.0 (a PCI bridge on pcieport).
 */
static void fake_sysfs(const char *root)
{
	static const char *const dev[] = { "0000:00:03.0", "0000:00:04.0",
		"0000:00:05.0", "0000:00:06.0", "0000:00:08.0", "0000:00:09.0" };
	static const char *const drv[] = { "vfio-pci", "e1000e", NULL, "ahci",
					   "pci-stub", "pcieport" };
	char rel[PATH_MAX], tgt[PATH_MAX];

	mkpath(root, "kernel/iommu_groups/7/devices");
	mkpath(root, "bus/pci/devices");
	for (unsigned i = 0; i < 6; i++) {
		snprintf(rel, sizeof(rel), "devices/pci0000:00/%s", dev[i]);
		mkpath(root, rel);
		snprintf(tgt, sizeof(tgt), "%s/devices/pci0000:00/%s", root, dev[i]);
		snprintf(rel, sizeof(rel), "bus/pci/devices/%s", dev[i]);
		put_link(root, tgt, rel);
		snprintf(rel, sizeof(rel), "kernel/iommu_groups/7/devices/%s", dev[i]);
		put_link(root, tgt, rel);
		snprintf(rel, sizeof(rel), "devices/pci0000:00/%s/iommu_group", dev[i]);
		put_link(root, "../../../kernel/iommu_groups/7", rel);
		if (drv[i]) {
			snprintf(rel, sizeof(rel), "devices/pci0000:00/%s/driver", dev[i]);
			snprintf(tgt, sizeof(tgt), "../../../bus/pci/drivers/%s", drv[i]);
			put_link(root, tgt, rel);
		}
	}
	put_file(root, "devices/pci0000:00/0000:00:09.0/class", "0x060400\n");
	put_file(root, "devices/pci0000:00/0000:00:06.0/class", "0x010601\n");
	/* A device with no IOMMU group (IOMMU off). */
	mkpath(root, "devices/pci0000:00/0000:00:07.0");
	snprintf(tgt, sizeof(tgt), "%s/devices/pci0000:00/0000:00:07.0", root);
	put_link(root, tgt, "bus/pci/devices/0000:00:07.0");
}

static int setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	snprintf(t->root, sizeof(t->root), "/tmp/nirq-vfio-XXXXXX");
	if (!mkdtemp(t->root))
		return -1;
	fake_sysfs(t->root);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tree *t = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->root);
	if (system(cmd) != 0)
		return -1;
	free(t);
	return 0;
}

/* ------------------------------------------------------------ PCI address */

static void test_vfio_bdf_full_address_is_accepted(void **state)
{
	(void)state;
	assert_int_equal(nirq_vfio_bdf_check("0000:00:03.0", NULL, 0), 0);
	assert_int_equal(nirq_vfio_bdf_check("abcd:ff:1f.7", NULL, 0), 0);
	assert_int_equal(nirq_vfio_bdf_check("ABCD:FF:1F.7", NULL, 0), 0);
}

static void test_vfio_bdf_malformed_is_einval_naming_value_and_rule(void **state)
{
	static const char *const bad[] = { "00:03.0", "0000:00:03", "0000:00:03.8",
		"0000-00:03.0", "0000:0g:03.0", "0000:00:03.0 ", "", "edu",
		"00000:00:03.0" };
	char why[256], want[64];

	(void)state;
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(nirq_vfio_bdf_check(bad[i], why, sizeof(why)), -EINVAL);
		snprintf(want, sizeof(want), "PCI address '%s': ", bad[i]);
		assert_non_null(strstr(why, want));
		assert_non_null(strstr(why, "must be a full PCI address DDDD:BB:DD.F"));
	}
}

static void test_vfio_bdf_device_above_1f_is_einval(void **state)
{
	char why[256];

	(void)state;
	assert_int_equal(nirq_vfio_bdf_check("0000:00:20.0", why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "PCI address '0000:00:20.0': device 20 is above 1f"));
}

static void test_vfio_bdf_null_is_einval(void **state)
{
	char why[256];

	(void)state;
	assert_int_equal(nirq_vfio_bdf_check(NULL, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "PCI address is missing"));
}

/* ------------------------------------------------------- /proc/interrupts */

static const char interrupts[] =
	"           CPU0       CPU1       \n"
	"  0:         39          0   IO-APIC   2-edge      timer\n"
	" 24:          0          0   PCI-MSI 1572864-edge      vfio-msix[0](0000:00:03.0)\n"
	" 25:          3          1   PCI-MSI 1572865-edge      vfio-msix[1](0000:00:03.0)\n"
	" 26:          0          0   PCI-MSI 1572866-edge      vfio-msix[10](0000:00:03.0)\n"
	" 27:          0          0   PCI-MSI 1572867-edge      vfio-msix[2](0000:00:04.0)\n"
	" 28:          5          0   PCI-MSI 1572868-edge      vfio-msi[0](0000:00:05.0)\n"
	" 16:          7          0   IO-APIC  16-fasteoi   vfio-intx(0000:00:06.0)\n"
	" 29:          0          0   PCI-MSI 1572869-edge      xvfio-msix[2](0000:00:03.0)\n"
	"NMI:          0          0   Non-maskable interrupts\n"
	"LOC:       1234       5678   Local timer interrupts\n";

static void test_vfio_irq_numbers_found_per_vector_of_the_device(void **state)
{
	struct tree *t = *state;
	uint32_t irq[11];

	put_file(t->root, "interrupts", interrupts);
	assert_int_equal(nirq__vfio_irq_numbers(t->root, "0000:00:03.0", NIRQ_KIND_MSIX,
						11, irq), 3);
	assert_int_equal(irq[0], 24);
	assert_int_equal(irq[1], 25);
	assert_int_equal(irq[2], 0); /* vector 2 is another device's, or "xvfio" */
	assert_int_equal(irq[10], 26);
}

static void test_vfio_irq_numbers_msi_and_intx_names(void **state)
{
	struct tree *t = *state;
	uint32_t irq[1];

	put_file(t->root, "interrupts", interrupts);
	assert_int_equal(nirq__vfio_irq_numbers(t->root, "0000:00:05.0", NIRQ_KIND_MSI,
						1, irq), 1);
	assert_int_equal(irq[0], 28);
	assert_int_equal(nirq__vfio_irq_numbers(t->root, "0000:00:06.0", NIRQ_KIND_LINE,
						1, irq), 1);
	assert_int_equal(irq[0], 16);
	/* The MSI-X name of a device is not its MSI name. */
	assert_int_equal(nirq__vfio_irq_numbers(t->root, "0000:00:03.0", NIRQ_KIND_MSI,
						1, irq), 0);
	assert_int_equal(irq[0], 0);
}

static void test_vfio_irq_numbers_without_the_file_is_its_errno(void **state)
{
	struct tree *t = *state;
	uint32_t irq[2] = { 9, 9 };

	assert_int_equal(nirq__vfio_irq_numbers(t->root, "0000:00:03.0", NIRQ_KIND_MSIX,
						2, irq), -ENOENT);
	assert_int_equal(irq[0], 0);
	assert_int_equal(irq[1], 0);
}

/* ----------------------------------------------------------------- groups */

static void test_vfio_group_of_reads_the_iommu_group_link(void **state)
{
	struct tree *t = *state;
	unsigned group = 0;

	assert_int_equal(nirq__vfio_group_of(t->root, "0000:00:04.0", &group, NULL, 0), 0);
	assert_int_equal(group, 7);
}

/* pci-stub and a bridge's driver are allowed in a viable group: not named. */
static void test_vfio_group_not_viable_names_every_device_not_on_vfio_pci(void **state)
{
	struct tree *t = *state;
	char why[512];

	assert_int_equal(nirq__vfio_group_unbound(t->root, 7, why, sizeof(why)), 2);
	assert_string_equal(why, "IOMMU group 7 is not viable: 0000:00:04.0 is bound to "
			    "e1000e, not vfio-pci; 0000:00:06.0 is bound to ahci, not "
			    "vfio-pci (bind every device of the group to vfio-pci, see "
			    "docs/vfio.md)");
}

static void test_vfio_group_message_is_cut_to_the_buffer(void **state)
{
	struct tree *t = *state;
	char why[40];

	assert_int_equal(nirq__vfio_group_unbound(t->root, 7, why, sizeof(why)), 2);
	assert_int_equal(strlen(why), sizeof(why) - 1);
	assert_int_equal(nirq__vfio_group_unbound(t->root, 7, NULL, 0), 2);
}

/* ----------------------------------------------------------- nirq_vfio_open */

static void test_vfio_open_malformed_address_is_einval(void **state)
{
	struct nirq_vfio_config cfg = { .bdf = "0:3.0" };
	struct nirq_platform *pf = NULL;
	char why[256];

	(void)state;
	assert_int_equal(nirq_vfio_open(&cfg, &pf, why, sizeof(why)), -EINVAL);
	assert_null(pf);
	assert_non_null(strstr(why, "PCI address '0:3.0'"));
}

static void test_vfio_open_absent_device_is_enoent_naming_it(void **state)
{
	struct tree *t = *state;
	struct nirq_vfio_config cfg = { .bdf = "0000:00:1f.7", .sysfs = t->root };
	struct nirq_platform *pf = NULL;
	char why[512], want[512];

	assert_int_equal(nirq_vfio_open(&cfg, &pf, why, sizeof(why)), -ENOENT);
	assert_null(pf);
	snprintf(want, sizeof(want), "PCI device 0000:00:1f.7 does not exist "
		 "(%s/bus/pci/devices/0000:00:1f.7: No such file or directory)", t->root);
	assert_string_equal(why, want);
}

static void test_vfio_open_device_without_iommu_group_says_enable_the_iommu(void **state)
{
	struct tree *t = *state;
	struct nirq_vfio_config cfg = { .bdf = "0000:00:07.0", .sysfs = t->root };
	struct nirq_platform *pf = NULL;
	char why[512];

	assert_int_equal(nirq_vfio_open(&cfg, &pf, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "PCI device 0000:00:07.0 has no IOMMU group"));
	assert_non_null(strstr(why, "enable it (intel_iommu=on / amd_iommu=on)"));
}

static void test_vfio_open_without_dev_vfio_names_the_path(void **state)
{
	struct tree *t = *state;
	char devdir[PATH_MAX], want[PATH_MAX + 128];
	struct nirq_vfio_config cfg = { .bdf = "0000:00:03.0", .sysfs = t->root,
					.devdir = devdir };
	struct nirq_platform *pf = NULL;
	char why[512];

	snprintf(devdir, sizeof(devdir), "%s/dev/vfio", t->root); /* absent */
	assert_int_equal(nirq_vfio_open(&cfg, &pf, why, sizeof(why)), -ENOENT);
	assert_null(pf);
	snprintf(want, sizeof(want), "%s/vfio: No such file or directory (is vfio-pci "
		 "loaded and the device bound to it? see docs/vfio.md)", devdir);
	assert_string_equal(why, want);
}

static void test_vfio_open_uppercase_address_is_looked_up_in_lowercase(void **state)
{
	struct tree *t = *state;
	char devdir[PATH_MAX], why[512];
	struct nirq_vfio_config cfg = { .bdf = "0000:00:0A.0", .sysfs = t->root,
					.devdir = devdir };
	struct nirq_platform *pf = NULL;
	char rel[PATH_MAX], tgt[PATH_MAX];

	mkpath(t->root, "devices/pci0000:00/0000:00:0a.0");
	snprintf(tgt, sizeof(tgt), "%s/devices/pci0000:00/0000:00:0a.0", t->root);
	put_link(t->root, tgt, "bus/pci/devices/0000:00:0a.0");
	snprintf(rel, sizeof(rel), "devices/pci0000:00/0000:00:0a.0/iommu_group");
	put_link(t->root, "../../../kernel/iommu_groups/7", rel);
	snprintf(devdir, sizeof(devdir), "%s/dev/vfio", t->root); /* absent */
	/* Found in sysfs: it fails only later, at the missing container. */
	assert_int_equal(nirq_vfio_open(&cfg, &pf, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "/dev/vfio/vfio: No such file or directory"));
}

static void test_vfio_open_container_that_is_not_vfio_is_refused(void **state)
{
	struct tree *t = *state;
	char devdir[PATH_MAX];
	struct nirq_vfio_config cfg = { .bdf = "0000:00:03.0", .sysfs = t->root,
					.devdir = devdir };
	struct nirq_platform *pf = NULL;
	char why[512];

	/* A regular file: VFIO_GET_API_VERSION fails (ENOTTY). */
	mkpath(t->root, "dev/vfio");
	put_file(t->root, "dev/vfio/vfio", "");
	snprintf(devdir, sizeof(devdir), "%s/dev/vfio", t->root);
	assert_int_equal(nirq_vfio_open(&cfg, &pf, why, sizeof(why)), -EINVAL);
	assert_null(pf);
	assert_non_null(strstr(why, "/vfio: VFIO API version -1, expected 0"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_vfio_bdf_full_address_is_accepted),
		T(test_vfio_bdf_malformed_is_einval_naming_value_and_rule),
		T(test_vfio_bdf_device_above_1f_is_einval),
		T(test_vfio_bdf_null_is_einval),
		T(test_vfio_irq_numbers_found_per_vector_of_the_device),
		T(test_vfio_irq_numbers_msi_and_intx_names),
		T(test_vfio_irq_numbers_without_the_file_is_its_errno),
		T(test_vfio_group_of_reads_the_iommu_group_link),
		T(test_vfio_group_not_viable_names_every_device_not_on_vfio_pci),
		T(test_vfio_group_message_is_cut_to_the_buffer),
		T(test_vfio_open_malformed_address_is_einval),
		T(test_vfio_open_absent_device_is_enoent_naming_it),
		T(test_vfio_open_device_without_iommu_group_says_enable_the_iommu),
		T(test_vfio_open_without_dev_vfio_names_the_path),
		T(test_vfio_open_uppercase_address_is_looked_up_in_lowercase),
		T(test_vfio_open_container_that_is_not_vfio_is_refused),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
