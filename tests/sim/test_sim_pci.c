/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The sim's PCI function: identity, config space rules (read-only and
 * writable fields, BAR sizing, bytes beyond the space), the capability lists
 * of the three models, describe/bar_info, and the trapped BAR windows.
 */
#include <stdio.h>
#include <string.h>

#include "sim_test.h"

static void test_config_identity_of_each_model(void **state)
{
	static const struct { enum nirq_sim_model m; uint32_t id, cls; } want[] = {
		{ NIRQ_SIM_EDU, 0x11e81234, 0xff0000 },
		{ NIRQ_SIM_E1000E, 0x10d38086, 0x020000 },
		{ NIRQ_SIM_E1000, 0x100e8086, 0x020000 },
	};

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		struct nirq_platform *pf = sim_new(want[i].m);

		assert_int_equal(cfg_rd(pf, 0x00, 4), want[i].id);
		assert_int_equal(cfg_rd(pf, 0x09, 3), want[i].cls);
		assert_int_equal(cfg_rd(pf, 0x3d, 1), 1); /* INTA# */
		sim_free(pf);
	}
}

static void test_config_ids_are_read_only_and_command_is_writable(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);

	(void)state;
	cfg_wr(pf, 0x00, 4, 0);
	assert_int_equal(cfg_rd(pf, 0x00, 4), 0x11e81234);
	cfg_wr(pf, 0x04, 2, 0x0002);
	assert_int_equal(cfg_rd(pf, 0x04, 2), 0x0002);
	cfg_wr(pf, 0x04, 2, 0xffff);
	assert_int_equal(cfg_rd(pf, 0x04, 2), 0x0547); /* reserved bits stay 0 */
	sim_free(pf);
}

static void test_config_bar_sizing_returns_the_size_mask(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);
	uint32_t bar0 = cfg_rd(pf, 0x10, 4);

	(void)state;
	cfg_wr(pf, 0x10, 4, 0xffffffff);
	assert_int_equal(cfg_rd(pf, 0x10, 4), 0xfffe0000); /* 128 KiB memory */
	cfg_wr(pf, 0x10, 4, bar0);
	assert_int_equal(cfg_rd(pf, 0x10, 4), bar0);
	cfg_wr(pf, 0x18, 4, 0xffffffff);
	assert_int_equal(cfg_rd(pf, 0x18, 4), 0xffffffe1); /* 32-byte I/O */
	cfg_wr(pf, 0x1c, 4, 0xffffffff);
	assert_int_equal(cfg_rd(pf, 0x1c, 4), 0xffffc000); /* 16 KiB MSI-X */
	cfg_wr(pf, 0x20, 4, 0xffffffff);
	assert_int_equal(cfg_rd(pf, 0x20, 4), 0); /* BAR4 not implemented */
	sim_free(pf);
}

static void test_edu_bar0_is_one_mib(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);
	struct nirq_bar_info bar;

	(void)state;
	cfg_wr(pf, 0x10, 4, 0xffffffff);
	assert_int_equal(cfg_rd(pf, 0x10, 4), 0xfff00000);
	cfg_wr(pf, 0x10, 4, 0xfe000000);
	assert_int_equal(pf->ops->bar_info(pf, 0, &bar), 0);
	assert_int_equal(bar.size, 1u << 20);
	assert_int_equal(bar.bus_addr, 0xfe000000);
	assert_false(bar.io);
	assert_int_equal(pf->ops->bar_info(pf, 1, &bar), 0);
	assert_int_equal(bar.size, 0);
	assert_int_equal(pf->ops->bar_info(pf, 6, &bar), -EINVAL);
	sim_free(pf);
}

static void test_config_beyond_the_space_reads_ff_and_is_not_written(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);
	uint8_t buf[4] = { 0 };

	(void)state;
	assert_int_equal(pf->ops->config_read(pf, 0xfe, buf, 4), 2);
	assert_int_equal(buf[2], 0xff);
	assert_int_equal(buf[3], 0xff);
	assert_int_equal(pf->ops->config_read(pf, 0x100, buf, 4), 0);
	assert_int_equal(buf[0], 0xff);
	assert_int_equal(pf->ops->config_write(pf, 0x100, buf, 4), 0);
	assert_int_equal(pf->ops->config_read(pf, 0, NULL, 4), 0);
	sim_free(pf);
}

static void test_e1000_has_no_capability_list_and_msi_is_enodev(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000);
	struct nirq_pci_caps caps;

	(void)state;
	assert_false(cfg_rd(pf, 0x06, 2) & 0x0010); /* status: capability list */
	assert_int_equal(cfg_rd(pf, 0x34, 1), 0);
	assert_int_equal(pf->ops->describe(pf, &caps), 0);
	assert_int_equal(caps.msi_count, 0);
	assert_int_equal(caps.msix_count, 0);
	assert_true(caps.intx);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSI, 1), -ENODEV);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSIX, 1), -ENODEV);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_LINE, 1), 0);
	sim_free(pf);
}

/* Walk the capability list: the IDs in list order, 0-terminated. */
static unsigned cap_ids(struct nirq_platform *pf, uint8_t *ids, unsigned max)
{
	unsigned n = 0;
	uint32_t at = cfg_rd(pf, 0x34, 1);

	while (at && n < max) {
		ids[n++] = (uint8_t)cfg_rd(pf, at, 1);
		at = cfg_rd(pf, at + 1, 1);
	}
	return n;
}

static void test_e1000e_capability_list_matches_qemu(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);
	struct nirq_pci_caps caps;
	uint8_t ids[8];

	(void)state;
	assert_true(cfg_rd(pf, 0x06, 2) & 0x0010);
	assert_int_equal(cap_ids(pf, ids, 8), 4);
	assert_memory_equal(ids, ((uint8_t[]){ 0x01, 0x05, 0x10, 0x11 }), 4);
	assert_int_equal(cfg_rd(pf, 0xa0 + 2, 2) & 0x7ff, 4); /* 5 entries */
	assert_int_equal(cfg_rd(pf, 0xa0 + 4, 4), 0x00000003); /* table: BAR3 + 0 */
	assert_int_equal(cfg_rd(pf, 0xa0 + 8, 4), 0x00002003); /* PBA: BAR3 + 0x2000 */
	assert_int_equal(pf->ops->describe(pf, &caps), 0);
	assert_int_equal(caps.vendor_id, 0x8086);
	assert_int_equal(caps.device_id, 0x10d3);
	assert_int_equal(caps.msix_count, 5);
	assert_int_equal(caps.msi_count, 1);
	assert_false(caps.msi_maskable);
	sim_free(pf);
}

static void test_no_msi_fault_removes_the_capability(void **state)
{
	struct nirq_sim_faults f = { .no_msi = true };
	struct nirq_platform *pf = sim_new_faults(NIRQ_SIM_EDU, &f);
	uint8_t ids[4];

	(void)state;
	assert_int_equal(cap_ids(pf, ids, 4), 0);
	assert_false(cfg_rd(pf, 0x06, 2) & 0x0010);
	assert_int_equal(pf->ops->alloc_vectors(pf, NIRQ_KIND_MSI, 1), -ENODEV);
	sim_free(pf);
}

static void test_msi_control_enable_is_writable_and_capability_read_only(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);
	uint32_t flags = cfg_rd(pf, 0x42, 2);

	(void)state;
	assert_int_equal(flags, 0x0080); /* 64-bit, 1 message, no mask bits */
	cfg_wr(pf, 0x42, 2, 0xffff);
	assert_int_equal(cfg_rd(pf, 0x42, 2), 0x0080 | 0x0071); /* enable + MME */
	cfg_wr(pf, 0x40, 1, 0x99);
	assert_int_equal(cfg_rd(pf, 0x40, 1), 0x05);
	sim_free(pf);
}

static void test_msix_control_table_size_is_read_only(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);

	(void)state;
	cfg_wr(pf, 0xa2, 2, 0xffff);
	assert_int_equal(cfg_rd(pf, 0xa2, 2), 0xc004); /* enable, function mask, size */
	cfg_wr(pf, 0xa2, 2, 0);
	assert_int_equal(cfg_rd(pf, 0xa2, 2), 0x0004);
	sim_free(pf);
}

/* The permissions of the mapping that contains @p, from /proc/self/maps. */
static int map_perms(const void *p, char perms[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi;
	char line[512];
	int found = -1;

	assert_non_null(f);
	while (found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3 &&
		    (unsigned long)p >= lo && (unsigned long)p < hi)
			found = 0;
	fclose(f);
	return found;
}

static void test_map_bar_reserves_an_inaccessible_window(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_E1000E);
	void *va = NULL;
	bool direct = true;
	char perms[5];

	(void)state;
	assert_int_equal(pf->ops->map_bar(pf, 0, &va, &direct), 0);
	assert_non_null(va);
	assert_false(direct);
	assert_int_equal(map_perms(va, perms), 0);
	assert_string_equal(perms, "---p");
	assert_int_equal(map_perms((char *)va + (128u << 10) - 1, perms), 0);
	assert_int_equal(pf->ops->map_bar(pf, 2, &va, &direct), -EINVAL); /* I/O */
	assert_int_equal(pf->ops->map_bar(pf, 4, &va, &direct), -EINVAL); /* absent */
	pf->ops->unmap_bar(pf, 0, va);
	sim_free(pf);
}

static void test_unmap_bar_releases_the_window(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);
	void *va = NULL;
	bool direct;
	char perms[5];

	(void)state;
	assert_int_equal(pf->ops->map_bar(pf, 0, &va, &direct), 0);
	pf->ops->unmap_bar(pf, 0, va);
	assert_int_not_equal(map_perms(va, perms), 0);
	pf->ops->unmap_bar(pf, 0, va); /* twice: ignored */
	sim_free(pf);
}

static void test_mmio_outside_a_bar_reads_all_ones(void **state)
{
	struct nirq_platform *pf = sim_new(NIRQ_SIM_EDU);

	(void)state;
	assert_int_equal(pf->ops->mmio_read(pf, 0, 1u << 20, 4), 0xffffffff);
	assert_int_equal(pf->ops->mmio_read(pf, 1, 0, 4), 0xffffffff);
	assert_int_equal(pf->ops->mmio_read(pf, 0, 0, 3), 0xffffffff);
	pf->ops->mmio_write(pf, 0, (1u << 20) - 2, 4, 0); /* straddles the end */
	assert_int_equal(rd(pf, EDU_ID), 0x010000ed);
	sim_free(pf);
}

static void test_model_names_round_trip(void **state)
{
	(void)state;
	assert_int_equal(nirq_sim_model_parse("edu"), NIRQ_SIM_EDU);
	assert_int_equal(nirq_sim_model_parse("e1000e"), NIRQ_SIM_E1000E);
	assert_int_equal(nirq_sim_model_parse("e1000"), NIRQ_SIM_E1000);
	assert_int_equal(nirq_sim_model_parse("rtl8139"), 0);
	assert_int_equal(nirq_sim_model_parse(NULL), 0);
	assert_string_equal(nirq_sim_model_name(NIRQ_SIM_E1000E), "e1000e");
	assert_string_equal(nirq_sim_model_name((enum nirq_sim_model)42), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_identity_of_each_model),
		cmocka_unit_test(test_config_ids_are_read_only_and_command_is_writable),
		cmocka_unit_test(test_config_bar_sizing_returns_the_size_mask),
		cmocka_unit_test(test_edu_bar0_is_one_mib),
		cmocka_unit_test(test_config_beyond_the_space_reads_ff_and_is_not_written),
		cmocka_unit_test(test_e1000_has_no_capability_list_and_msi_is_enodev),
		cmocka_unit_test(test_e1000e_capability_list_matches_qemu),
		cmocka_unit_test(test_no_msi_fault_removes_the_capability),
		cmocka_unit_test(test_msi_control_enable_is_writable_and_capability_read_only),
		cmocka_unit_test(test_msix_control_table_size_is_read_only),
		cmocka_unit_test(test_map_bar_reserves_an_inaccessible_window),
		cmocka_unit_test(test_unmap_bar_releases_the_window),
		cmocka_unit_test(test_mmio_outside_a_bar_reads_all_ones),
		cmocka_unit_test(test_model_names_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
