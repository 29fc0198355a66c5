/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * NdisMRegisterScatterGatherDma / NdisMDeregisterScatterGatherDma and
 * NdisMAllocateSharedMemory / NdisMFreeSharedMemory (include/ndis/ndis_dma.h)
 * on a sim e1000e: what a bus-master miniport gets, the rules Windows
 * enforces (bus master, registration first, PASSIVE inside initialize), and
 * what the host does with what halt leaves. A small miniport defined here
 * runs each test's calls inside MiniportInitializeEx and MiniportHaltEx.
 */
#include <errno.h>
#include <stdlib.h>

#include <ndis.h>

#include <ndisirq/ndisirq.h>
#include <ndisirq/nirq_fault.h>
#include <ndisirq/nirq_host.h>
#include <ndisirq/nirq_platform_sim.h>

#include "errors_util.h"
#include "fake_platform.h"

#define RET_NULL "VirtualAddress is NULL"
#define MAX_BLOCKS 4

struct block {
	PVOID va;
	NDIS_PHYSICAL_ADDRESS pa;
	ULONG length;
};

struct fx {
	struct test_log log;
	struct nirq_rt *rt;
	struct nirq_platform *pf;
	bool sim;
	struct nirq_host *host;
	struct nirq_adapter *ad;
	NDIS_HANDLE driver, adapter;

	/* what the miniport does */
	ULONG attribute_flags;          /* registration AttributeFlags */
	bool no_sg;                     /* skip NdisMRegisterScatterGatherDma */
	void (*edit)(NDIS_SG_DMA_DESCRIPTION *d);
	ULONG lengths[MAX_BLOCKS];      /* blocks allocated in initialize (0 ends) */
	bool keep_blocks;               /* halt does not free them */
	bool keep_sg;                   /* halt does not deregister */
	NDIS_STATUS init_return;        /* initialize's status (after its calls) */
	uint64_t fault_nth;             /* fail this allocation from the blocks on */
	void (*in_init)(void);
	void (*in_halt)(void);

	/* what it saw */
	NDIS_STATUS sg_status;
	NDIS_HANDLE sg;
	ULONG sg_list_size;
	struct block blocks[MAX_BLOCKS];
};

static struct fx f;

/* ------------------------------------------------------------ the miniport */

static MINIPORT_INITIALIZE mp_initialize;
static MINIPORT_HALT mp_halt;
static MINIPORT_UNLOAD mp_unload;

static NDIS_STATUS set_attributes(NDIS_HANDLE h)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES r;

	NdisZeroMemory(&r, sizeof(r));
	r.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	r.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	r.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	r.MiniportAdapterContext = &f;
	r.AttributeFlags = f.attribute_flags;
	r.InterfaceType = NdisInterfacePci;
	return NdisMSetMiniportAttributes(h, (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&r);
}

static void register_sg(NDIS_HANDLE h)
{
	NDIS_SG_DMA_DESCRIPTION d;

	NdisZeroMemory(&d, sizeof(d));
	d.Header.Type = NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION;
	d.Header.Revision = NDIS_SG_DMA_DESCRIPTION_REVISION_1;
	d.Header.Size = NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1;
	d.MaximumPhysicalMapping = 2048;
	d.ScatterGatherListSize = 0xdead;
	if (f.edit)
		f.edit(&d);
	f.sg_status = NdisMRegisterScatterGatherDma(h, &d, &f.sg);
	f.sg_list_size = d.ScatterGatherListSize;
}

static NDIS_STATUS mp_initialize(NDIS_HANDLE h, NDIS_HANDLE driver_ctx,
				 PNDIS_MINIPORT_INIT_PARAMETERS p)
{
	(void)driver_ctx, (void)p;
	f.adapter = h;
	assert_int_equal(set_attributes(h), NDIS_STATUS_SUCCESS);
	if (!f.no_sg)
		register_sg(h);
	if (f.fault_nth)
		nirq_fault_inject(NIRQ_FAULT_ALLOC, f.fault_nth);
	for (unsigned i = 0; i < MAX_BLOCKS && f.lengths[i]; i++) {
		f.blocks[i].length = f.lengths[i];
		f.blocks[i].pa.QuadPart = -1;
		NdisMAllocateSharedMemory(h, f.lengths[i], FALSE, &f.blocks[i].va,
					  &f.blocks[i].pa);
	}
	nirq_fault_reset();
	if (f.in_init)
		f.in_init();
	return f.init_return;
}

static void free_blocks(void)
{
	for (unsigned i = 0; i < MAX_BLOCKS; i++) {
		if (!f.blocks[i].va)
			continue;
		NdisMFreeSharedMemory(f.adapter, f.blocks[i].length, FALSE, f.blocks[i].va,
				      f.blocks[i].pa);
		f.blocks[i].va = NULL;
	}
}

static VOID mp_halt(NDIS_HANDLE ctx, NDIS_HALT_ACTION action)
{
	(void)ctx, (void)action;
	if (f.in_halt)
		f.in_halt();
	if (!f.keep_blocks)
		free_blocks();
	if (f.sg && !f.keep_sg)
		NdisMDeregisterScatterGatherDma(f.sg);
}

static VOID mp_unload(PDRIVER_OBJECT driver)
{
	(void)driver;
	NdisMDeregisterMiniportDriver(f.driver);
}

static int32_t mp_driver_entry(void *driver, void *path)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS c;

	NdisZeroMemory(&c, sizeof(c));
	c.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	c.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	c.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	c.MajorNdisVersion = 6;
	c.MinorNdisVersion = 20;
	c.InitializeHandlerEx = mp_initialize;
	c.HaltHandlerEx = mp_halt;
	c.UnloadHandler = mp_unload;
	return NdisMRegisterMiniportDriver(driver, path, NULL, &c, &f.driver);
}

/* ------------------------------------------------------------- the fixture */

static void fx_runtime(void)
{
	assert_int_equal(test_rt_manual(2, &f.log, &f.rt), 0);
	assert_int_equal(nirq_host_create(f.rt, &f.host), 0);
}

/* A bus-master miniport on a sim e1000e; nothing loaded yet. */
static int setup_sim(void **state)
{
	struct nirq_sim_config sc;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.attribute_flags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE |
			    NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER;
	fx_runtime();
	nirq_sim_config_init(&sc, NIRQ_SIM_E1000E);
	assert_int_equal(nirq_sim_create(&sc, &f.pf), 0);
	f.sim = true;
	return 0;
}

/* The same on the fake platform, which offers no dma_alloc. */
static int setup_fake(void **state)
{
	struct fake_platform_config pc;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.attribute_flags = NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER;
	fx_runtime();
	fake_platform_config_init(&pc);
	f.pf = fake_platform_create(&pc);
	assert_non_null(f.pf);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	nirq_fault_reset();
	if (f.ad)
		nirq_host_adapter_stop(f.ad);
	nirq_host_destroy(f.host);
	nirq_rt_destroy(f.rt);
	if (f.sim)
		f.pf->ops->destroy(f.pf);
	else
		fake_platform_free(f.pf);
	test_log_fini(&f.log);
	return 0;
}

/* Load, start, initialize: returns MiniportInitializeEx's status. */
static NDIS_STATUS initialize(void)
{
	int32_t st = -1;

	assert_int_equal(nirq_host_load_entry(f.host, mp_driver_entry, &st), 0);
	assert_int_equal(st, NDIS_STATUS_SUCCESS);
	assert_int_equal(nirq_host_adapter_start(f.host, f.pf, NULL, &f.ad), 0);
	return nirq_host_adapter_initialize(f.ad);
}

static void halt(void)
{
	nirq_host_adapter_halt(f.ad);
}

static bool all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		if (c[i])
			return false;
	return true;
}

/* ----------------------------------------------------------- allocation */

static void test_shared_memory_is_zeroed_writable_and_has_a_device_address(void **state)
{
	(void)state;
	f.lengths[0] = 5000;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	assert_int_equal(f.sg_status, NDIS_STATUS_SUCCESS);
	assert_non_null(f.sg);
	assert_non_null(f.blocks[0].va);
	assert_true(f.blocks[0].pa.QuadPart > 0);
	assert_true(all_zero(f.blocks[0].va, 5000));
	memset(f.blocks[0].va, 0xa5, 5000);
	halt();
	assert_int_equal(nirq_rt_reports(f.rt), 0);
}

static void test_shared_memory_blocks_do_not_overlap_in_device_addresses(void **state)
{
	uint64_t a, b;

	(void)state;
	f.lengths[0] = 4096;
	f.lengths[1] = 100;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	assert_non_null(f.blocks[0].va);
	assert_non_null(f.blocks[1].va);
	a = (uint64_t)f.blocks[0].pa.QuadPart;
	b = (uint64_t)f.blocks[1].pa.QuadPart;
	assert_true(a + 4096 <= b || b + 100 <= a);
	halt();
	assert_int_equal(nirq_rt_reports(f.rt), 0);
}

static void test_32_bit_registration_gets_device_addresses_below_4_gib(void **state)
{
	(void)state;
	f.lengths[0] = 65536;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	assert_non_null(f.blocks[0].va);
	assert_true((uint64_t)f.blocks[0].pa.QuadPart + 65536 <= (1ull << 32));
	halt();
}

static void test_registration_sets_scatter_gather_list_size_0(void **state)
{
	(void)state;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	assert_int_equal(f.sg_status, NDIS_STATUS_SUCCESS);
	assert_int_equal(f.sg_list_size, 0);
	halt();
	assert_int_equal(nirq_rt_reports(f.rt), 0);
}

static void test_allocation_without_sg_registration_is_null_and_reported(void **state)
{
	(void)state;
	f.no_sg = true;
	f.lengths[0] = 4096;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	assert_null(f.blocks[0].va);
	assert_int_equal(f.blocks[0].pa.QuadPart, 0);
	expect_report(&f.log, "Init_RegisterSG", f.adapter, "NdisMAllocateSharedMemory "
		      "before NdisMRegisterScatterGatherDma: a bus-master miniport "
		      "registers scatter/gather DMA first; " RET_NULL);
	halt();
}

static void test_registration_without_bus_master_is_not_supported(void **state)
{
	(void)state;
	f.attribute_flags = NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	assert_int_equal(f.sg_status, NDIS_STATUS_NOT_SUPPORTED);
	assert_null(f.sg);
	expect_error(&f.log, "NdisMRegisterScatterGatherDma: the adapter is not a bus "
		     "master: set NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER (0x40) in the "
		     "registration attributes' AttributeFlags; returning "
		     "NDIS_STATUS_NOT_SUPPORTED");
	halt();
}

static void revision_2(NDIS_SG_DMA_DESCRIPTION *d)
{
	d->Header.Revision = 2;
}

static void test_registration_revision_2_is_bad_version(void **state)
{
	(void)state;
	f.edit = revision_2;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	assert_int_equal(f.sg_status, NDIS_STATUS_BAD_VERSION);
	expect_error(&f.log, "NdisMRegisterScatterGatherDma: Header.Revision 2: must be "
		     "NDIS_SG_DMA_DESCRIPTION_REVISION_1 (1); returning "
		     "NDIS_STATUS_BAD_VERSION");
	halt();
}

static void wrong_type(NDIS_SG_DMA_DESCRIPTION *d)
{
	d->Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
}

static void test_registration_wrong_header_type_is_invalid_parameter(void **state)
{
	(void)state;
	f.edit = wrong_type;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	assert_int_equal(f.sg_status, NDIS_STATUS_INVALID_PARAMETER);
	expect_error(&f.log, "NdisMRegisterScatterGatherDma: Header.Type 0x80: must be "
		     "NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION (0x83); returning "
		     "NDIS_STATUS_INVALID_PARAMETER");
	halt();
}

static void allocate_0(void)
{
	PVOID va = (PVOID)1;
	NDIS_PHYSICAL_ADDRESS pa;

	NdisMAllocateSharedMemory(f.adapter, 0, FALSE, &va, &pa);
	assert_null(va);
}

static void register_again(void)
{
	NDIS_HANDLE first = f.sg;
	NDIS_STATUS st;

	register_sg(f.adapter);
	st = f.sg_status;
	f.sg = first;
	assert_int_equal(st, NDIS_STATUS_FAILURE);
}

static void test_registering_twice_is_failure_and_reported(void **state)
{
	(void)state;
	f.in_init = register_again;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	expect_report(&f.log, "Init_RegisterSG", f.adapter, "NdisMRegisterScatterGatherDma: "
		      "the adapter already has a scatter/gather DMA registration (handle "
		      "%p); returning NDIS_STATUS_FAILURE", f.sg);
	halt();
	assert_int_equal(nirq_rt_reports(f.rt), 1);
}

static void register_in_halt(void)
{
	NDIS_HANDLE first = f.sg;

	register_sg(f.adapter);
	assert_int_equal(f.sg_status, NDIS_STATUS_FAILURE);
	f.sg = first;
}

static void test_registration_outside_initialize_is_failure_and_reported(void **state)
{
	(void)state;
	f.in_halt = register_in_halt;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	halt();
	expect_report(&f.log, "Init_RegisterSG", f.adapter, "NdisMRegisterScatterGatherDma "
		      "outside MiniportInitializeEx; returning NDIS_STATUS_FAILURE");
}

static void allocate_at_dispatch(void)
{
	KIRQL old = nirq_irql_raise(DISPATCH_LEVEL);
	PVOID va = (PVOID)1;
	NDIS_PHYSICAL_ADDRESS pa;

	NdisMAllocateSharedMemory(f.adapter, 4096, FALSE, &va, &pa);
	nirq_irql_lower(old);
	assert_null(va);
}

static void test_allocation_at_dispatch_level_is_null_and_reported(void **state)
{
	(void)state;
	f.in_init = allocate_at_dispatch;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	expect_report(&f.log, "Irql_Gather_DMA_Function", f.adapter, "NdisMAllocateSharedMemory "
		      "at IRQL 2: it requires PASSIVE_LEVEL");
	halt();
}

static void test_allocation_of_length_0_is_null_and_logged(void **state)
{
	(void)state;
	f.in_init = allocate_0;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	expect_error(&f.log, "NdisMAllocateSharedMemory: Length is 0; " RET_NULL);
	halt();
	assert_int_equal(nirq_rt_reports(f.rt), 0);
}

static void allocate_in_halt(void)
{
	PVOID va = (PVOID)1;
	NDIS_PHYSICAL_ADDRESS pa;

	NdisMAllocateSharedMemory(f.adapter, 4096, FALSE, &va, &pa);
	assert_null(va);
}

static void test_allocation_outside_initialize_is_null_and_reported(void **state)
{
	(void)state;
	f.in_halt = allocate_in_halt;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	halt();
	expect_report(&f.log, "Init_RegisterSG", f.adapter, "NdisMAllocateSharedMemory "
		      "outside MiniportInitializeEx; " RET_NULL);
}

static void test_allocation_failure_is_null_and_logged(void **state)
{
	(void)state;
	f.lengths[0] = 4096;
	f.fault_nth = 1; /* the block's bookkeeping */
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	assert_null(f.blocks[0].va);
	expect_error(&f.log, "NdisMAllocateSharedMemory: Length 4096: %s; " RET_NULL,
		     strerror(ENOMEM));
	halt();
	assert_int_equal(nirq_rt_reports(f.rt), 0);
}

static void test_platform_without_dma_alloc_gives_null_naming_the_platform(void **state)
{
	(void)state;
	f.lengths[0] = 4096;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	assert_null(f.blocks[0].va);
	expect_error(&f.log, "NdisMAllocateSharedMemory: the %s platform provides no "
		     "device-reachable memory (no dma_alloc); " RET_NULL,
		     f.pf->ops->name);
	halt();
}

/* --------------------------------------------------------------- freeing */

static void free_at_dispatch(void)
{
	KIRQL old = nirq_irql_raise(DISPATCH_LEVEL);

	free_blocks();
	nirq_irql_lower(old);
}

static void test_free_at_dispatch_level_is_allowed(void **state)
{
	(void)state;
	f.lengths[0] = 4096;
	f.in_halt = free_at_dispatch;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	halt();
	assert_int_equal(nirq_rt_reports(f.rt), 0);
}

static void free_above_dispatch(void)
{
	KIRQL old = nirq_irql_raise(DISPATCH_LEVEL + 1);

	free_blocks(); /* refused: the block stays allocated */
	nirq_irql_lower(old);
}

static void test_free_above_dispatch_level_is_reported_and_not_done(void **state)
{
	(void)state;
	f.lengths[0] = 4096;
	f.in_halt = free_above_dispatch;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	halt();
	expect_report(&f.log, "Irql_Gather_DMA_Function", f.adapter, "NdisMFreeSharedMemory "
		      "at IRQL 3: it requires IRQL <= DISPATCH_LEVEL; not freed");
	assert_true(test_log_find(&f.log, "shared memory not freed", NULL) >= 0);
	assert_int_equal(nirq_rt_reports(f.rt), 2); /* the refusal, then the leak at halt */
}

static void free_unknown(void)
{
	static char not_shared[64];
	NDIS_PHYSICAL_ADDRESS pa = { .QuadPart = 0x1000 };

	NdisMFreeSharedMemory(f.adapter, sizeof(not_shared), FALSE, not_shared, pa);
}

static void test_free_of_an_unknown_address_is_reported_and_ignored(void **state)
{
	(void)state;
	f.in_halt = free_unknown;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	halt();
	assert_true(test_log_find(&f.log, "verifier: NdisMFreeSharedMemory: ",
				  "was not returned by NdisMAllocateSharedMemory for this "
				  "adapter (or is freed already); ignored", NULL) >= 0);
	assert_int_equal(nirq_rt_reports(f.rt), 1);
}

static void shorten_length(void)
{
	f.blocks[0].length = 100;
}

static void test_free_with_another_length_is_reported_and_frees_the_block(void **state)
{
	(void)state;
	f.lengths[0] = 4096;
	f.in_halt = shorten_length;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	halt();
	assert_true(test_log_find(&f.log, "Length 100 and PhysicalAddress ",
				  "do not match the allocation (Length 4096, ",
				  "freeing the allocation", NULL) >= 0);
	/* Freed once: no leak report at halt. */
	assert_int_equal(nirq_rt_reports(f.rt), 1);
}

/* ------------------------------------------------------- what halt leaves */

static void test_blocks_left_at_halt_are_reported_and_freed(void **state)
{
	(void)state;
	f.lengths[0] = 4096;
	f.lengths[1] = 8192;
	f.keep_blocks = true;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	halt();
	for (unsigned i = 0; i < 2; i++)
		expect_report(&f.log, "shared memory not freed", f.adapter,
			      "MiniportHaltEx returned with shared memory block %p "
			      "(Length %u, PhysicalAddress 0x%llx) still allocated; the "
			      "miniport must NdisMFreeSharedMemory it (the host frees it "
			      "now)", f.blocks[i].va, (unsigned)f.lengths[i],
			      (unsigned long long)f.blocks[i].pa.QuadPart);
	assert_int_equal(nirq_rt_reports(f.rt), 2);
}

static void test_registration_left_at_halt_is_reported_and_released(void **state)
{
	(void)state;
	f.keep_sg = true;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	halt();
	expect_report(&f.log, "scatter/gather DMA not deregistered", f.adapter,
		      "MiniportHaltEx returned with scatter/gather DMA registered "
		      "(handle %p); the miniport must call "
		      "NdisMDeregisterScatterGatherDma (the host deregisters it now)",
		      f.sg);
	assert_int_equal(nirq_rt_reports(f.rt), 1);
}

static void test_failed_initialize_leaving_a_block_is_reported_and_freed(void **state)
{
	(void)state;
	f.lengths[0] = 4096;
	f.init_return = NDIS_STATUS_RESOURCES;
	assert_int_equal(initialize(), NDIS_STATUS_RESOURCES);
	assert_true(test_log_find(&f.log, "verifier: shared memory not freed: ",
				  "MiniportInitializeEx failed with shared memory block",
				  NULL) >= 0);
	assert_true(test_log_find(&f.log, "verifier: scatter/gather DMA not "
				  "deregistered: ", "MiniportInitializeEx failed", NULL) >= 0);
	assert_int_equal(nirq_rt_reports(f.rt), 2);
}

static void deregister_twice(void)
{
	NdisMDeregisterScatterGatherDma(f.sg);
	NdisMDeregisterScatterGatherDma(f.sg);
	f.sg = NULL;
}

static void test_deregistering_a_stale_dma_handle_is_reported(void **state)
{
	(void)state;
	f.in_halt = deregister_twice;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	halt();
	assert_true(test_log_find(&f.log, "verifier: Init_RegisterSG: ",
				  "NdisMDeregisterScatterGatherDma: not a live handle from "
				  "NdisMRegisterScatterGatherDma; ignored", NULL) >= 0);
	assert_int_equal(nirq_rt_reports(f.rt), 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_sim, teardown)
#define TF(fn) cmocka_unit_test_setup_teardown(fn, setup_fake, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_shared_memory_is_zeroed_writable_and_has_a_device_address),
		T(test_shared_memory_blocks_do_not_overlap_in_device_addresses),
		T(test_32_bit_registration_gets_device_addresses_below_4_gib),
		T(test_registration_sets_scatter_gather_list_size_0),
		T(test_allocation_without_sg_registration_is_null_and_reported),
		T(test_registration_without_bus_master_is_not_supported),
		T(test_registration_revision_2_is_bad_version),
		T(test_registration_wrong_header_type_is_invalid_parameter),
		T(test_registering_twice_is_failure_and_reported),
		T(test_registration_outside_initialize_is_failure_and_reported),
		T(test_allocation_at_dispatch_level_is_null_and_reported),
		T(test_allocation_of_length_0_is_null_and_logged),
		T(test_allocation_outside_initialize_is_null_and_reported),
		T(test_allocation_failure_is_null_and_logged),
		TF(test_platform_without_dma_alloc_gives_null_naming_the_platform),
		T(test_free_at_dispatch_level_is_allowed),
		T(test_free_above_dispatch_level_is_reported_and_not_done),
		T(test_free_of_an_unknown_address_is_reported_and_ignored),
		T(test_free_with_another_length_is_reported_and_frees_the_block),
		T(test_blocks_left_at_halt_are_reported_and_freed),
		T(test_registration_left_at_halt_is_reported_and_released),
		T(test_failed_initialize_leaving_a_block_is_reported_and_freed),
		T(test_deregistering_a_stale_dma_handle_is_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
