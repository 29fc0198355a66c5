/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Bad input to the miniport lifecycle (docs/errors.md, "Driver
 * registration", "Adapter", "Host"): NdisMRegisterMiniportDriver and its
 * characteristics, NdisSetOptionalHandlers, NdisMSetMiniportAttributes,
 * NdisMMapIoSpace/NdisMUnmapIoSpace, NdisMGetBusData/NdisMSetBusData, and
 * the miniport host's own checks. A small miniport defined here runs on the
 * fake platform or the sim; each test asserts the status and the exact line.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <ndis.h>

#include <ndisirq/ndisirq.h>
#include <ndisirq/nirq_host.h>
#include <ndisirq/nirq_platform_sim.h>

#include "errors_util.h"
#include "fake_platform.h"

#define REG "NdisMRegisterMiniportDriver: "
#define RET_BAD_CHARS "; returning NDIS_STATUS_BAD_CHARACTERISTICS"
#define NOT_ADAPTER "not the adapter handle given to MiniportInitializeEx"

/* The fixture and the miniport's behaviour: what the test sets up front. */
struct fx {
	struct test_log log;
	struct nirq_rt *rt;
	struct nirq_platform *pf;
	bool sim;                       /* pf is a sim (destroyed with its op) */
	struct nirq_host *host;
	struct nirq_adapter *ad;
	int32_t entry_status;

	/* DriverEntry */
	void (*edit)(NDIS_MINIPORT_DRIVER_CHARACTERISTICS *c);
	bool foreign_driver, null_chars, null_handle, twice, no_register;
	bool keep_registration;         /* unload leaves the driver registered */
	NDIS_STATUS entry_return;       /* returned instead of the status if set */
	NDIS_STATUS set_options_return;
	void (*in_set_options)(NDIS_HANDLE driver);
	NDIS_STATUS reg_status, reg_status2;
	NDIS_HANDLE driver;

	/* MiniportInitializeEx / MiniportHaltEx */
	bool no_attributes;
	void (*in_init)(NDIS_HANDLE adapter);
	void (*in_halt)(NDIS_HANDLE adapter);
	NDIS_HANDLE adapter;
	PNDIS_RESOURCE_LIST resources;
};

static struct fx f;

/* ------------------------------------------------------------ the miniport */

static MINIPORT_INITIALIZE mp_initialize;
static MINIPORT_HALT mp_halt;
static MINIPORT_UNLOAD mp_unload;
static MINIPORT_SET_OPTIONS mp_set_options;

static NDIS_STATUS set_registration_attributes(NDIS_HANDLE h)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES r;

	NdisZeroMemory(&r, sizeof(r));
	r.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	r.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	r.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	r.MiniportAdapterContext = &f;
	r.InterfaceType = NdisInterfacePci;
	return NdisMSetMiniportAttributes(h, (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&r);
}

static NDIS_STATUS mp_initialize(NDIS_HANDLE h, NDIS_HANDLE driver_ctx,
				 PNDIS_MINIPORT_INIT_PARAMETERS p)
{
	NDIS_STATUS st = NDIS_STATUS_SUCCESS;

	(void)driver_ctx;
	f.adapter = h;
	f.resources = p->AllocatedResources;
	if (!f.no_attributes)
		st = set_registration_attributes(h);
	if (f.in_init)
		f.in_init(h);
	return st;
}

static VOID mp_halt(NDIS_HANDLE ctx, NDIS_HALT_ACTION action)
{
	(void)ctx, (void)action;
	if (f.in_halt)
		f.in_halt(f.adapter);
}

static VOID mp_unload(PDRIVER_OBJECT driver)
{
	(void)driver;
	if (!f.keep_registration)
		NdisMDeregisterMiniportDriver(f.driver);
}

static NDIS_STATUS mp_set_options(NDIS_HANDLE driver, NDIS_HANDLE ctx)
{
	(void)ctx;
	if (f.in_set_options)
		f.in_set_options(driver);
	return f.set_options_return;
}

static void driver_chars(NDIS_MINIPORT_DRIVER_CHARACTERISTICS *c)
{
	NdisZeroMemory(c, sizeof(*c));
	c->Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	c->Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	c->Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	c->MajorNdisVersion = 6;
	c->MinorNdisVersion = 20;
	c->SetOptionsHandler = mp_set_options;
	c->InitializeHandlerEx = mp_initialize;
	c->HaltHandlerEx = mp_halt;
	c->UnloadHandler = mp_unload;
	if (f.edit)
		f.edit(c);
}

static int32_t mp_driver_entry(void *driver, void *path)
{
	static uint64_t not_a_driver[64];
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS c;

	if (f.no_register)
		return f.entry_return;
	driver_chars(&c);
	f.reg_status = NdisMRegisterMiniportDriver(
		f.foreign_driver ? (PDRIVER_OBJECT)(void *)not_a_driver : driver, path,
		NULL, f.null_chars ? NULL : &c, f.null_handle ? NULL : &f.driver);
	if (f.twice)
		f.reg_status2 = NdisMRegisterMiniportDriver(driver, path, NULL, &c, &f.driver);
	return f.entry_return ? f.entry_return : f.reg_status;
}

/* ------------------------------------------------------------- the fixture */

static void fx_runtime(void)
{
	assert_int_equal(test_rt_manual(2, &f.log, &f.rt), 0);
	assert_int_equal(nirq_host_create(f.rt, &f.host), 0);
}

/* Runtime and host on the fake platform; nothing loaded. */
static int setup_fake(void **state)
{
	struct fake_platform_config pc;

	(void)state;
	memset(&f, 0, sizeof(f));
	fx_runtime();
	fake_platform_config_init(&pc);
	f.pf = fake_platform_create(&pc);
	assert_non_null(f.pf);
	return 0;
}

/* Runtime and host on a sim e1000e (memory BARs 0, 1, 3; an I/O BAR 2). */
static int setup_sim(void **state)
{
	struct nirq_sim_config sc;

	(void)state;
	memset(&f, 0, sizeof(f));
	fx_runtime();
	nirq_sim_config_init(&sc, NIRQ_SIM_E1000E);
	assert_int_equal(nirq_sim_create(&sc, &f.pf), 0);
	f.sim = true;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (f.ad)
		nirq_host_adapter_stop(f.ad);
	f.keep_registration = false;
	nirq_host_destroy(f.host);
	nirq_rt_destroy(f.rt);
	if (f.sim)
		f.pf->ops->destroy(f.pf);
	else
		fake_platform_free(f.pf);
	test_log_fini(&f.log);
	return 0;
}

static void load(void)
{
	assert_int_equal(nirq_host_load_entry(f.host, mp_driver_entry, &f.entry_status), 0);
}

static void start(void)
{
	load();
	assert_int_equal(f.entry_status, NDIS_STATUS_SUCCESS);
	assert_int_equal(nirq_host_adapter_start(f.host, f.pf, NULL, &f.ad), 0);
}

/* Load, start and run MiniportInitializeEx; returns its status. */
static NDIS_STATUS initialize(void)
{
	start();
	return nirq_host_adapter_initialize(f.ad);
}

/* ---------------------------------------------- NdisMRegisterMiniportDriver */

static void test_register_driver_foreign_driver_object_is_failure(void **state)
{
	(void)state;
	f.foreign_driver = true;
	load();
	assert_int_equal(f.reg_status, NDIS_STATUS_FAILURE);
	assert_true(test_log_find(&f.log, REG "DriverObject ", " is not the one given "
				  "to DriverEntry; returning NDIS_STATUS_FAILURE", NULL) >= 0);
}

static void test_register_driver_null_characteristics_is_bad_characteristics(void **state)
{
	(void)state;
	f.null_chars = true;
	load();
	assert_int_equal(f.reg_status, NDIS_STATUS_BAD_CHARACTERISTICS);
	expect_error(&f.log, REG "MiniportDriverCharacteristics is NULL" RET_BAD_CHARS);
}

static void test_register_driver_null_handle_pointer_is_failure(void **state)
{
	(void)state;
	f.null_handle = true;
	load();
	assert_int_equal(f.reg_status, NDIS_STATUS_FAILURE);
	expect_error(&f.log, REG "NdisMiniportDriverHandle is NULL; returning "
		     "NDIS_STATUS_FAILURE");
}

static void test_register_driver_twice_is_failure(void **state)
{
	(void)state;
	f.twice = true;
	load();
	assert_int_equal(f.reg_status, NDIS_STATUS_SUCCESS);
	assert_int_equal(f.reg_status2, NDIS_STATUS_FAILURE);
	expect_error(&f.log, REG "the driver is already registered; returning "
		     "NDIS_STATUS_FAILURE");
}

static void bad_type(NDIS_MINIPORT_DRIVER_CHARACTERISTICS *c)
{
	c->Header.Type = 0x80;
}

static void test_register_driver_header_type_names_value_and_rule(void **state)
{
	(void)state;
	f.edit = bad_type;
	load();
	assert_int_equal(f.reg_status, NDIS_STATUS_BAD_CHARACTERISTICS);
	expect_error(&f.log, REG "Header.Type = 128 (0x80): must be NDIS_OBJECT_TYPE_"
		     "MINIPORT_DRIVER_CHARACTERISTICS (0x8a)" RET_BAD_CHARS);
}

static void bad_revision(NDIS_MINIPORT_DRIVER_CHARACTERISTICS *c)
{
	c->Header.Revision = 4;
}

static void test_register_driver_header_revision_names_value_and_rule(void **state)
{
	(void)state;
	f.edit = bad_revision;
	load();
	assert_int_equal(f.reg_status, NDIS_STATUS_BAD_CHARACTERISTICS);
	expect_error(&f.log, REG "Header.Revision = 4 (0x4): must be 1, 2 or 3 "
		     "(NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_n)" RET_BAD_CHARS);
}

static void short_size(NDIS_MINIPORT_DRIVER_CHARACTERISTICS *c)
{
	c->Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1;
}

static void test_register_driver_header_size_short_for_its_revision(void **state)
{
	(void)state;
	f.edit = short_size;
	load();
	assert_int_equal(f.reg_status, NDIS_STATUS_BAD_CHARACTERISTICS);
	expect_error(&f.log, REG "Header.Size %u is less than NDIS_SIZEOF_MINIPORT_"
		     "DRIVER_CHARACTERISTICS_REVISION_2 (%u)" RET_BAD_CHARS,
		     (unsigned)NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1,
		     (unsigned)NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2);
}

static void major_5(NDIS_MINIPORT_DRIVER_CHARACTERISTICS *c)
{
	c->MajorNdisVersion = 5;
}

static void test_register_driver_major_version_5_is_bad_version(void **state)
{
	(void)state;
	f.edit = major_5;
	load();
	assert_int_equal(f.reg_status, NDIS_STATUS_BAD_VERSION);
	expect_error(&f.log, REG "MajorNdisVersion = 5 (0x5): must be 6 (NDIS 6.x); "
		     "returning NDIS_STATUS_BAD_VERSION");
}

static void minor_83(NDIS_MINIPORT_DRIVER_CHARACTERISTICS *c)
{
	c->MinorNdisVersion = 83;
}

static void test_register_driver_unknown_minor_version_is_bad_version(void **state)
{
	(void)state;
	f.edit = minor_83;
	load();
	assert_int_equal(f.reg_status, NDIS_STATUS_BAD_VERSION);
	expect_error(&f.log, REG "MinorNdisVersion = 83 (0x53): must be one of 0, 1, "
		     "20, 30, 40, 50, 51, 60, 70, 80, 81, 82 (this NDIS is 6.82); "
		     "returning NDIS_STATUS_BAD_VERSION");
}

static void no_initialize(NDIS_MINIPORT_DRIVER_CHARACTERISTICS *c)
{
	c->InitializeHandlerEx = NULL;
}

static void test_register_driver_null_initialize_handler_is_bad_characteristics(void **state)
{
	(void)state;
	f.edit = no_initialize;
	load();
	assert_int_equal(f.reg_status, NDIS_STATUS_BAD_CHARACTERISTICS);
	expect_error(&f.log, REG "InitializeHandlerEx is NULL: it is required" RET_BAD_CHARS);
}

static void no_halt(NDIS_MINIPORT_DRIVER_CHARACTERISTICS *c)
{
	c->HaltHandlerEx = NULL;
}

static void test_register_driver_null_halt_handler_is_bad_characteristics(void **state)
{
	(void)state;
	f.edit = no_halt;
	load();
	assert_int_equal(f.reg_status, NDIS_STATUS_BAD_CHARACTERISTICS);
	expect_error(&f.log, REG "HaltHandlerEx is NULL: it is required" RET_BAD_CHARS);
}

static void intermediate(NDIS_MINIPORT_DRIVER_CHARACTERISTICS *c)
{
	c->Flags = NDIS_INTERMEDIATE_DRIVER;
}

static void test_register_driver_intermediate_flag_is_warned_and_ignored(void **state)
{
	(void)state;
	f.edit = intermediate;
	load();
	assert_int_equal(f.reg_status, NDIS_STATUS_SUCCESS);
	expect_warning(&f.log, REG "Flags 0x1 (intermediate/WDM) are ignored: the "
		       "driver is hosted as a hardware miniport");
}

static void test_register_driver_failing_set_options_fails_registration(void **state)
{
	(void)state;
	f.set_options_return = NDIS_STATUS_RESOURCES;
	load();
	assert_int_equal(f.reg_status, NDIS_STATUS_RESOURCES);
	expect_error(&f.log, REG "MiniportSetOptions returned 0xc000009a; "
		     "registration fails with that status");
	assert_int_equal(nirq_host_adapter_start(f.host, f.pf, NULL, &f.ad), -ENOENT);
}

static void test_deregister_driver_unregistered_handle_is_logged_and_ignored(void **state)
{
	(void)state;
	load();
	NdisMDeregisterMiniportDriver(f.driver);
	assert_int_equal(test_log_count(&f.log), 0);
	NdisMDeregisterMiniportDriver(f.driver);
	expect_error(&f.log, "NdisMDeregisterMiniportDriver: handle %p is not a "
		     "registered miniport driver; ignored", f.driver);
}

/* --------------------------------------------------- NdisSetOptionalHandlers */

static NDIS_STATUS optional_status;
static NDIS_MINIPORT_PNP_CHARACTERISTICS optional_pnp;
static bool optional_null, optional_foreign;

static void set_optional(NDIS_HANDLE driver)
{
	static uint64_t not_a_driver[64];

	optional_status = NdisSetOptionalHandlers(
		optional_foreign ? (NDIS_HANDLE)not_a_driver : driver,
		optional_null ? NULL : (PNDIS_DRIVER_OPTIONAL_HANDLERS)&optional_pnp);
}

/* Call NdisSetOptionalHandlers from MiniportSetOptions with @type/@rev/@size. */
static void optional_handlers(UCHAR type, UCHAR rev, USHORT size)
{
	NdisZeroMemory(&optional_pnp, sizeof(optional_pnp));
	optional_pnp.Header.Type = type;
	optional_pnp.Header.Revision = rev;
	optional_pnp.Header.Size = size;
	f.in_set_options = set_optional;
	load();
	assert_int_equal(f.reg_status, NDIS_STATUS_SUCCESS);
}

static void test_optional_handlers_foreign_handle_is_failure(void **state)
{
	(void)state;
	optional_foreign = true;
	optional_handlers(NDIS_OBJECT_TYPE_MINIPORT_PNP_CHARACTERISTICS, 1,
			  NDIS_SIZEOF_MINIPORT_PNP_CHARACTERISTICS_REVISION_1);
	optional_foreign = false;
	assert_int_equal(optional_status, NDIS_STATUS_FAILURE);
	expect_error(&f.log, "NdisSetOptionalHandlers: NdisHandle is not the driver "
		     "handle given to MiniportSetOptions; returning NDIS_STATUS_FAILURE");
}

static void test_optional_handlers_null_is_failure(void **state)
{
	(void)state;
	optional_null = true;
	optional_handlers(0, 0, 0);
	optional_null = false;
	assert_int_equal(optional_status, NDIS_STATUS_FAILURE);
	expect_error(&f.log, "NdisSetOptionalHandlers: OptionalHandlers is NULL; "
		     "returning NDIS_STATUS_FAILURE");
}

static void test_optional_handlers_pnp_bad_revision_is_invalid_parameter(void **state)
{
	(void)state;
	optional_handlers(NDIS_OBJECT_TYPE_MINIPORT_PNP_CHARACTERISTICS, 2,
			  NDIS_SIZEOF_MINIPORT_PNP_CHARACTERISTICS_REVISION_1);
	assert_int_equal(optional_status, NDIS_STATUS_INVALID_PARAMETER);
	expect_error(&f.log, "NdisSetOptionalHandlers: PnP characteristics "
		     "Header.Revision 2 / Header.Size %u: must be 1 / >= %u; returning "
		     "NDIS_STATUS_INVALID_PARAMETER",
		     (unsigned)NDIS_SIZEOF_MINIPORT_PNP_CHARACTERISTICS_REVISION_1,
		     (unsigned)NDIS_SIZEOF_MINIPORT_PNP_CHARACTERISTICS_REVISION_1);
}

static void test_optional_handlers_pnp_short_size_is_invalid_parameter(void **state)
{
	(void)state;
	optional_handlers(NDIS_OBJECT_TYPE_MINIPORT_PNP_CHARACTERISTICS, 1, 8);
	assert_int_equal(optional_status, NDIS_STATUS_INVALID_PARAMETER);
	expect_error(&f.log, "NdisSetOptionalHandlers: PnP characteristics "
		     "Header.Revision 1 / Header.Size 8: must be 1 / >= %u; returning "
		     "NDIS_STATUS_INVALID_PARAMETER",
		     (unsigned)NDIS_SIZEOF_MINIPORT_PNP_CHARACTERISTICS_REVISION_1);
}

static void test_optional_handlers_unknown_type_is_not_supported(void **state)
{
	(void)state;
	optional_handlers(0x99, 1, 64);
	assert_int_equal(optional_status, NDIS_STATUS_NOT_SUPPORTED);
	expect_warning(&f.log, "NdisSetOptionalHandlers: Header.Type 0x99 is not "
		       "supported (only PnP 0x92 and selective suspend 0xb4); "
		       "returning NDIS_STATUS_NOT_SUPPORTED");
}

static void test_optional_handlers_pnp_are_stored_but_never_called(void **state)
{
	(void)state;
	optional_handlers(NDIS_OBJECT_TYPE_MINIPORT_PNP_CHARACTERISTICS, 1,
			  NDIS_SIZEOF_MINIPORT_PNP_CHARACTERISTICS_REVISION_1);
	assert_int_equal(optional_status, NDIS_STATUS_SUCCESS);
	expect_line(&f.log, NIRQ_LOG_INFO, "NdisSetOptionalHandlers: PnP characteristics "
		    "stored; this host does not call MiniportAddDevice, "
		    "MiniportRemoveDevice, MiniportFilterResourceRequirements or "
		    "MiniportStartDevice yet");
}

/* ----------------------------------------------------------- loading */

static void test_driver_entry_failure_is_logged_with_its_status(void **state)
{
	(void)state;
	f.no_register = true;
	f.entry_return = NDIS_STATUS_RESOURCES;
	load();
	assert_int_equal(f.entry_status, NDIS_STATUS_RESOURCES);
	expect_error(&f.log, "host: DriverEntry returned 0xc000009a");
}

static void test_driver_entry_failure_leaving_registration_is_warned(void **state)
{
	(void)state;
	f.entry_return = NDIS_STATUS_FAILURE;
	load();
	assert_int_equal(f.entry_status, NDIS_STATUS_FAILURE);
	expect_warning(&f.log, "host: DriverEntry failed with 0xc0000001 but left its "
		       "registration: it must call NdisMDeregisterMiniportDriver before "
		       "returning failure");
}

static void test_unload_leaving_registration_is_warned(void **state)
{
	(void)state;
	f.keep_registration = true;
	load();
	nirq_host_unload(f.host);
	expect_warning(&f.log, "host: the driver is still registered after unload: "
		       "MiniportDriverUnload must call NdisMDeregisterMiniportDriver");
}

static void test_load_while_loaded_is_ebusy(void **state)
{
	int32_t status = 0;

	(void)state;
	load();
	assert_int_equal(nirq_host_load_entry(f.host, mp_driver_entry, &status), -EBUSY);
	expect_error(&f.log, "host: a miniport is already loaded; unload it first");
}

static void test_load_missing_file_is_enoent(void **state)
{
	int32_t status = 0;

	(void)state;
	assert_int_equal(nirq_host_load(f.host, "/nonexistent/mp.so", &status), -ENOENT);
	expect_error(&f.log, "host: miniport '/nonexistent/mp.so': No such file or directory");
}

static void test_load_file_that_is_not_a_shared_object_is_enoexec(void **state)
{
	char path[] = "/tmp/nirq-errors-XXXXXX";
	int32_t status = 0;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "not ELF\n", 8), 8);
	close(fd);
	assert_int_equal(nirq_host_load(f.host, path, &status), -ENOEXEC);
	unlink(path);
	assert_true(test_log_find(&f.log, "host: cannot load miniport '", path, "': ",
				  NULL) >= 0);
}

static void test_load_object_without_driver_entry_is_enoexec(void **state)
{
	Dl_info info;
	int32_t status = 0;

	(void)state;
	/* The library itself: a shared object that has no DriverEntry. */
	assert_true(dladdr((void *)nirq_version, &info) != 0);
	assert_int_equal(nirq_host_load(f.host, info.dli_fname, &status), -ENOEXEC);
	expect_error(&f.log, "host: miniport '%s' has no exported symbol DriverEntry "
		     "(a miniport defines NTSTATUS DriverEntry(PDRIVER_OBJECT, "
		     "PUNICODE_STRING) with default visibility)", info.dli_fname);
}

static void test_load_above_passive_is_eperm(void **state)
{
	int32_t status = 0;
	uint8_t old;
	int rc;

	(void)state;
	old = nirq_irql_raise(NIRQ_IRQL_DISPATCH);
	rc = nirq_host_load_entry(f.host, mp_driver_entry, &status);
	nirq_irql_lower(old);
	assert_int_equal(rc, -EPERM);
	expect_error(&f.log, "host: DriverEntry not called: the host must be driven "
		     "from a passive thread (Operation not permitted)");
}

static void test_host_null_arguments_are_einval(void **state)
{
	struct nirq_host *h = NULL;
	int32_t status = 0;

	(void)state;
	assert_int_equal(nirq_host_create(NULL, &h), -EINVAL);
	assert_int_equal(nirq_host_load_entry(f.host, NULL, &status), -EINVAL);
	assert_int_equal(nirq_host_load(NULL, "x.so", &status), -EINVAL);
	assert_int_equal(nirq_host_adapter_start(f.host, NULL, NULL, &f.ad), -EINVAL);
	assert_null(f.ad);
	assert_int_equal(test_log_count(&f.log), 0);
}

/* ----------------------------------------------------------- adapters */

static void test_start_without_registered_driver_is_enoent(void **state)
{
	(void)state;
	f.no_register = true;
	load();
	assert_int_equal(f.entry_status, NDIS_STATUS_SUCCESS);
	assert_int_equal(nirq_host_adapter_start(f.host, f.pf, NULL, &f.ad), -ENOENT);
	expect_error(&f.log, "host: no miniport driver is registered (DriverEntry must "
		     "call NdisMRegisterMiniportDriver)");
}

static void test_start_on_platform_missing_an_op_is_einval(void **state)
{
	(void)state;
	load();
	fake_platform_ops(f.pf)->line_done = NULL;
	assert_int_equal(nirq_host_adapter_start(f.host, f.pf, NULL, &f.ad), -EINVAL);
	expect_error(&f.log, "host: platform lacks the required op 'line_done'");
}

static void test_start_when_platform_fails_vector_allocation_is_its_errno(void **state)
{
	(void)state;
	load();
	fake_script_alloc(f.pf, 1, -EIO);
	assert_int_equal(nirq_host_adapter_start(f.host, f.pf, NULL, &f.ad), -EIO);
	expect_error(&f.log, "host: interrupt resource assignment failed: "
		     "Input/output error");
}

static void test_second_adapter_on_one_sim_device_is_ebusy(void **state)
{
	struct nirq_adapter *second = NULL;

	(void)state;
	start();
	assert_int_equal(nirq_host_adapter_start(f.host, f.pf, NULL, &second), -EBUSY);
	assert_null(second);
	expect_error(&f.log, "host: interrupt resource assignment failed: "
		     "Device or resource busy");
}

static void test_initialize_running_adapter_is_failure_naming_its_state(void **state)
{
	(void)state;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	assert_int_equal(nirq_host_adapter_initialize(f.ad), NDIS_STATUS_FAILURE);
	expect_error(&f.log, "host: adapter %p: initialize needs a started or halted "
		     "adapter (it is running)", (void *)f.ad);
}

static void test_halt_of_adapter_never_initialized_is_refused_naming_its_state(void **state)
{
	(void)state;
	start();
	nirq_host_adapter_halt(f.ad);
	expect_error(&f.log, "host: adapter %p: halt needs an initialized adapter "
		     "(it is started)", (void *)f.ad);
}

static void test_initialize_above_passive_is_failure(void **state)
{
	int32_t st;
	uint8_t old;

	(void)state;
	start();
	old = nirq_irql_raise(NIRQ_IRQL_DISPATCH);
	st = nirq_host_adapter_initialize(f.ad);
	nirq_irql_lower(old);
	assert_int_equal(st, NDIS_STATUS_FAILURE);
	assert_null(f.adapter); /* MiniportInitializeEx never ran */
	expect_error(&f.log, "host: MiniportInitializeEx not called: the host must be "
		     "driven from a passive thread (Operation not permitted)");
}

static void must_not_run(NDIS_HANDLE adapter)
{
	(void)adapter;
	fail_msg("MiniportHaltEx ran");
}

static void test_halt_above_passive_does_not_call_halt(void **state)
{
	uint8_t old;

	(void)state;
	f.in_halt = must_not_run;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	old = nirq_irql_raise(NIRQ_IRQL_DISPATCH);
	nirq_host_adapter_halt(f.ad);
	nirq_irql_lower(old);
	f.in_halt = NULL;
	expect_error(&f.log, "host: adapter %p: MiniportHaltEx not called: Operation "
		     "not permitted", (void *)f.ad);
}

static void test_unload_above_passive_does_not_call_unload(void **state)
{
	uint8_t old;

	(void)state;
	load();
	old = nirq_irql_raise(NIRQ_IRQL_DISPATCH);
	nirq_host_unload(f.host);
	nirq_irql_lower(old);
	expect_error(&f.log, "host: MiniportDriverUnload not called: the host must be "
		     "driven from a passive thread");
	expect_warning(&f.log, "host: the driver is still registered after unload: "
		       "MiniportDriverUnload must call NdisMDeregisterMiniportDriver");
}

static void test_initialize_after_unload_is_failure(void **state)
{
	(void)state;
	start();
	nirq_host_unload(f.host);
	assert_int_equal(nirq_host_adapter_initialize(f.ad), NDIS_STATUS_FAILURE);
	assert_null(f.adapter); /* MiniportInitializeEx never ran */
	expect_error(&f.log, "host: adapter %p: no registered miniport driver",
		     (void *)f.ad);
}

static void test_initialize_without_registration_attributes_is_warned(void **state)
{
	(void)state;
	f.no_attributes = true;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	expect_warning(&f.log, "host: MiniportInitializeEx succeeded without "
		       "NdisMSetMiniportAttributes (registration attributes)");
}

static void test_unload_with_running_adapter_halts_it_first(void **state)
{
	(void)state;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	nirq_host_unload(f.host);
	expect_warning(&f.log, "host: unload with adapter %p running: halting it first",
		       (void *)f.ad);
}

static void test_stop_of_running_adapter_halts_it_first(void **state)
{
	struct nirq_adapter *ad;

	(void)state;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	ad = f.ad;
	f.ad = NULL;
	nirq_host_adapter_stop(ad);
	expect_warning(&f.log, "host: stopping running adapter %p: halting it first",
		       (void *)ad);
}

/* ------------------------------------------------ NdisMSetMiniportAttributes */

static NDIS_STATUS attr_status;
static NDIS_MINIPORT_ADAPTER_ATTRIBUTES attr;
static bool attr_null, attr_foreign;
static uint64_t not_an_adapter[64];

static void set_attributes(NDIS_HANDLE adapter)
{
	attr_status = NdisMSetMiniportAttributes(attr_foreign ? (NDIS_HANDLE)not_an_adapter
					 : adapter, attr_null ? NULL : &attr);
}

/* MiniportInitializeEx (registration attributes already set) calls
 * NdisMSetMiniportAttributes with @type/@rev/@size. */
static void attributes_in_init(UCHAR type, UCHAR rev, USHORT size)
{
	NdisZeroMemory(&attr, sizeof(attr));
	attr.Header.Type = type;
	attr.Header.Revision = rev;
	attr.Header.Size = size;
	f.in_init = set_attributes;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
}

#define REGATTR NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES
#define REGATTR_SIZE NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1

static void test_attributes_foreign_adapter_handle_is_invalid_parameter(void **state)
{
	(void)state;
	attr_foreign = true;
	attributes_in_init(REGATTR, 1, REGATTR_SIZE);
	attr_foreign = false;
	assert_int_equal(attr_status, NDIS_STATUS_INVALID_PARAMETER);
	expect_report(&f.log, "invalid MiniportAdapterHandle", not_an_adapter,
		      "NdisMSetMiniportAttributes: " NOT_ADAPTER);
}

static void test_attributes_null_is_invalid_parameter(void **state)
{
	(void)state;
	attr_null = true;
	attributes_in_init(REGATTR, 1, REGATTR_SIZE);
	attr_null = false;
	assert_int_equal(attr_status, NDIS_STATUS_INVALID_PARAMETER);
	expect_error(&f.log, "NdisMSetMiniportAttributes: MiniportAttributes is NULL; "
		     "returning NDIS_STATUS_INVALID_PARAMETER");
}

static void test_registration_attributes_revision_3_is_bad_version(void **state)
{
	(void)state;
	attributes_in_init(REGATTR, 3, REGATTR_SIZE);
	assert_int_equal(attr_status, NDIS_STATUS_BAD_VERSION);
	expect_error(&f.log, "NdisMSetMiniportAttributes: registration attributes "
		     "Header.Revision 3: must be 1 or 2; returning NDIS_STATUS_BAD_VERSION");
}

static void test_registration_attributes_short_size_is_invalid_parameter(void **state)
{
	(void)state;
	attributes_in_init(REGATTR, 1, 16);
	assert_int_equal(attr_status, NDIS_STATUS_INVALID_PARAMETER);
	expect_error(&f.log, "NdisMSetMiniportAttributes: registration attributes "
		     "Header.Size 16: must be >= %u; returning "
		     "NDIS_STATUS_INVALID_PARAMETER", (unsigned)REGATTR_SIZE);
}

static void test_registration_attributes_outside_initialize_are_failure(void **state)
{
	(void)state;
	NdisZeroMemory(&attr, sizeof(attr));
	attr.Header.Type = REGATTR;
	attr.Header.Revision = 1;
	attr.Header.Size = REGATTR_SIZE;
	f.in_halt = set_attributes;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	nirq_host_adapter_halt(f.ad);
	assert_int_equal(attr_status, NDIS_STATUS_FAILURE);
	expect_error(&f.log, "NdisMSetMiniportAttributes: registration attributes "
		     "outside MiniportInitializeEx; returning NDIS_STATUS_FAILURE");
}

static void test_general_attributes_before_registration_are_warned(void **state)
{
	(void)state;
	f.no_attributes = true;
	attributes_in_init(NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES, 1, 64);
	assert_int_equal(attr_status, NDIS_STATUS_SUCCESS);
	expect_warning(&f.log, "NdisMSetMiniportAttributes: attributes of type 0x9f "
		       "before the registration attributes (0x9e), which must come first");
}

static void test_add_device_attributes_are_invalid_parameter(void **state)
{
	(void)state;
	attributes_in_init(NDIS_OBJECT_TYPE_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES, 1,
			   NDIS_SIZEOF_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES_REVISION_1);
	assert_int_equal(attr_status, NDIS_STATUS_INVALID_PARAMETER);
	expect_error(&f.log, "NdisMSetMiniportAttributes: Header.Type 0xa4: not an "
		     "adapter attribute this host accepts (0x9e registration; 0x9f, "
		     "0xa0, 0xa1, 0xaf, 0xb3 ignored; 0xa4 only from MiniportAddDevice, "
		     "which is never called); returning NDIS_STATUS_INVALID_PARAMETER");
}

/* ------------------------------------------------------ NdisMMapIoSpace */

struct map_call {
	bool null_va, foreign;
	UINT len;
	uint64_t pa;                    /* 0: the first memory resource */
	NDIS_STATUS st;
	PVOID va;
};

static struct map_call map;

static uint64_t first_memory_resource(void)
{
	for (ULONG i = 0; f.resources && i < f.resources->Count; i++)
		if (f.resources->PartialDescriptors[i].Type == CmResourceTypeMemory)
			return (uint64_t)f.resources->PartialDescriptors[i].u.Memory.Start.QuadPart;
	return 0;
}

static void map_io(NDIS_HANDLE adapter)
{
	NDIS_PHYSICAL_ADDRESS pa;

	pa.QuadPart = (LONGLONG)(map.pa ? map.pa : first_memory_resource());
	map.va = (PVOID)&map; /* must be cleared on failure */
	map.st = NdisMMapIoSpace(map.null_va ? NULL : &map.va,
				 map.foreign ? (NDIS_HANDLE)not_an_adapter : adapter,
				 pa, map.len);
	if (map.st == NDIS_STATUS_SUCCESS)
		NdisMUnmapIoSpace(adapter, map.va, map.len);
}

static void map_in_init(void)
{
	f.in_init = map_io;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
}

static void test_map_io_space_foreign_adapter_handle_is_failure(void **state)
{
	(void)state;
	map = (struct map_call){ .foreign = true, .len = 4 };
	map_in_init();
	assert_int_equal(map.st, NDIS_STATUS_FAILURE);
	assert_null(map.va);
	expect_report(&f.log, "invalid MiniportAdapterHandle", not_an_adapter,
		      "NdisMMapIoSpace: " NOT_ADAPTER);
}

static void test_map_io_space_null_virtual_address_is_invalid_parameter(void **state)
{
	(void)state;
	map = (struct map_call){ .null_va = true, .len = 4 };
	map_in_init();
	assert_int_equal(map.st, NDIS_STATUS_INVALID_PARAMETER);
	expect_error(&f.log, "NdisMMapIoSpace: VirtualAddress is NULL; returning "
		     "NDIS_STATUS_INVALID_PARAMETER");
}

static void test_map_io_space_zero_length_is_invalid_parameter(void **state)
{
	(void)state;
	map = (struct map_call){ .len = 0 };
	map_in_init();
	assert_int_equal(map.st, NDIS_STATUS_INVALID_PARAMETER);
	assert_null(map.va);
	expect_error(&f.log, "NdisMMapIoSpace: Length is 0; returning "
		     "NDIS_STATUS_INVALID_PARAMETER");
}

static void test_map_io_space_before_registration_attributes_is_failure(void **state)
{
	(void)state;
	map = (struct map_call){ .len = 4 };
	f.no_attributes = true;
	map_in_init();
	assert_int_equal(map.st, NDIS_STATUS_FAILURE);
	expect_error(&f.log, "NdisMMapIoSpace: called before NdisMSetMiniportAttributes "
		     "(registration attributes); returning NDIS_STATUS_FAILURE");
}

static void test_map_io_space_outside_every_bar_is_failure(void **state)
{
	(void)state;
	map = (struct map_call){ .len = 0x2000, .pa = 0xfebf0000ull - 0x1000 };
	map_in_init();
	assert_int_equal(map.st, NDIS_STATUS_FAILURE);
	assert_null(map.va);
	expect_error(&f.log, "NdisMMapIoSpace: PhysicalAddress 0xfebef000 Length "
		     "0x2000: not inside a memory BAR listed in AllocatedResources; "
		     "returning NDIS_STATUS_FAILURE");
}

static void test_map_io_space_of_an_io_bar_is_failure(void **state)
{
	struct nirq_bar_info bi;

	(void)state;
	assert_int_equal(f.pf->ops->bar_info(f.pf, 2, &bi), 0);
	assert_true(bi.io);
	map = (struct map_call){ .len = 8, .pa = bi.bus_addr };
	map_in_init();
	assert_int_equal(map.st, NDIS_STATUS_FAILURE);
	expect_error(&f.log, "NdisMMapIoSpace: PhysicalAddress 0x%llx Length 0x8: not "
		     "inside a memory BAR listed in AllocatedResources; returning "
		     "NDIS_STATUS_FAILURE", (unsigned long long)bi.bus_addr);
}

static int refuse_map(struct nirq_platform *pf, unsigned bar, void **va, bool *direct)
{
	(void)pf, (void)bar, (void)va, (void)direct;
	return -ENOMEM;
}

static void test_map_io_space_refused_by_the_platform_is_resources(void **state)
{
	(void)state;
	fake_platform_ops(f.pf)->map_bar = refuse_map;
	map = (struct map_call){ .len = 4 };
	map_in_init();
	assert_int_equal(map.st, NDIS_STATUS_RESOURCES);
	assert_null(map.va);
	expect_error(&f.log, "NdisMMapIoSpace: mapping BAR0 failed: Cannot allocate "
		     "memory; returning NDIS_STATUS_RESOURCES");
}

/* ---------------------------------------------------- NdisMUnmapIoSpace */

static int unmap_case;

static void unmap_io(NDIS_HANDLE adapter)
{
	NDIS_PHYSICAL_ADDRESS pa;
	PVOID va = NULL;

	pa.QuadPart = (LONGLONG)first_memory_resource();
	assert_int_equal(NdisMMapIoSpace(&va, adapter, pa, 0x100), NDIS_STATUS_SUCCESS);
	if (unmap_case == 0)
		NdisMUnmapIoSpace(adapter, &map, 0x100);          /* not a mapping */
	else if (unmap_case == 1)
		NdisMUnmapIoSpace(adapter, (char *)va + 0xf00, 0x200); /* runs past */
	else
		NdisMUnmapIoSpace((NDIS_HANDLE)not_an_adapter, va, 0x100);
	if (unmap_case != 1)
		NdisMUnmapIoSpace(adapter, va, 0x100);
}

static void unmap_in_init(int which)
{
	unmap_case = which;
	f.in_init = unmap_io;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
}

static void test_unmap_io_space_of_an_unmapped_address_is_logged(void **state)
{
	(void)state;
	unmap_in_init(0);
	expect_error(&f.log, "NdisMUnmapIoSpace: VirtualAddress %p was not returned by "
		     "NdisMMapIoSpace for this adapter", (void *)&map);
}

static void test_unmap_io_space_running_past_the_bar_is_warned(void **state)
{
	(void)state;
	unmap_in_init(1);
	expect_warning(&f.log, "NdisMUnmapIoSpace: Length 0x200 runs past the end of BAR0");
}

static void test_unmap_io_space_foreign_adapter_handle_is_reported(void **state)
{
	(void)state;
	unmap_in_init(2);
	expect_report(&f.log, "invalid MiniportAdapterHandle", not_an_adapter,
		      "NdisMUnmapIoSpace: " NOT_ADAPTER);
}

static void keep_mapping(NDIS_HANDLE adapter)
{
	NDIS_PHYSICAL_ADDRESS pa;
	PVOID va = NULL;

	pa.QuadPart = (LONGLONG)first_memory_resource();
	assert_int_equal(NdisMMapIoSpace(&va, adapter, pa, 0x100), NDIS_STATUS_SUCCESS);
}

static void test_halt_leaving_a_mapping_is_warned(void **state)
{
	(void)state;
	f.in_init = keep_mapping;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	nirq_host_adapter_halt(f.ad);
	expect_warning(&f.log, "host: MiniportHaltEx returned with 1 I/O mapping(s) "
		       "left; NdisMUnmapIoSpace them in halt");
}

static void test_stop_unmaps_a_mapping_left_behind_with_a_warning(void **state)
{
	(void)state;
	f.in_init = keep_mapping;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
	nirq_host_adapter_stop(f.ad);
	f.ad = NULL;
	expect_warning(&f.log, "host: BAR0 is still mapped by the miniport "
		       "(NdisMUnmapIoSpace missing); unmapping it");
}

/* ------------------------------------------- NdisMGetBusData / SetBusData */

struct bus_call {
	bool set, null_buf, foreign;
	ULONG space, off, len;
	ULONG bytes;
	uint8_t buf[8];
};

static struct bus_call bus;

static void bus_io(NDIS_HANDLE adapter)
{
	NDIS_HANDLE h = bus.foreign ? (NDIS_HANDLE)not_an_adapter : adapter;
	PVOID b = bus.null_buf ? NULL : bus.buf;

	memset(bus.buf, 0x5a, sizeof(bus.buf));
	bus.bytes = bus.set ? NdisMSetBusData(h, bus.space, bus.off, b, bus.len)
			    : NdisMGetBusData(h, bus.space, bus.off, b, bus.len);
}

static void bus_in_init(void)
{
	f.in_init = bus_io;
	assert_int_equal(initialize(), NDIS_STATUS_SUCCESS);
}

static void test_get_bus_data_other_space_returns_0_bytes(void **state)
{
	(void)state;
	bus = (struct bus_call){ .space = PCI_WHICHSPACE_ROM, .len = 4 };
	bus_in_init();
	assert_int_equal(bus.bytes, 0);
	expect_error(&f.log, "NdisMGetBusData: WhichSpace 0x52696350: only "
		     "PCI_WHICHSPACE_CONFIG (0) is supported; returning 0 bytes");
}

static void test_set_bus_data_other_space_returns_0_bytes(void **state)
{
	(void)state;
	bus = (struct bus_call){ .set = true, .space = 1, .len = 4 };
	bus_in_init();
	assert_int_equal(bus.bytes, 0);
	expect_error(&f.log, "NdisMSetBusData: WhichSpace 0x1: only "
		     "PCI_WHICHSPACE_CONFIG (0) is supported; returning 0 bytes");
}

static void test_get_bus_data_null_buffer_returns_0_bytes(void **state)
{
	(void)state;
	bus = (struct bus_call){ .null_buf = true, .len = 4 };
	bus_in_init();
	assert_int_equal(bus.bytes, 0);
	expect_error(&f.log, "NdisMGetBusData: Buffer is NULL; returning 0 bytes");
}

static void test_get_bus_data_foreign_adapter_handle_is_reported(void **state)
{
	(void)state;
	bus = (struct bus_call){ .foreign = true, .len = 4 };
	bus_in_init();
	assert_int_equal(bus.bytes, 0);
	expect_report(&f.log, "invalid MiniportAdapterHandle", not_an_adapter,
		      "NdisMGetBusData: " NOT_ADAPTER);
}

static void test_get_bus_data_beyond_config_space_returns_fewer_bytes(void **state)
{
	(void)state;
	bus = (struct bus_call){ .off = 0xffe, .len = 4 };
	bus_in_init();
	assert_int_equal(bus.bytes, 2);
	assert_int_equal(bus.buf[2], 0xff); /* the rest reads as all ones */
	assert_int_equal(test_log_find(&f.log, "NdisMGetBusData", NULL), -1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_fake, teardown)
#define S(fn) cmocka_unit_test_setup_teardown(fn, setup_sim, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_register_driver_foreign_driver_object_is_failure),
		T(test_register_driver_null_characteristics_is_bad_characteristics),
		T(test_register_driver_null_handle_pointer_is_failure),
		T(test_register_driver_twice_is_failure),
		T(test_register_driver_header_type_names_value_and_rule),
		T(test_register_driver_header_revision_names_value_and_rule),
		T(test_register_driver_header_size_short_for_its_revision),
		T(test_register_driver_major_version_5_is_bad_version),
		T(test_register_driver_unknown_minor_version_is_bad_version),
		T(test_register_driver_null_initialize_handler_is_bad_characteristics),
		T(test_register_driver_null_halt_handler_is_bad_characteristics),
		T(test_register_driver_intermediate_flag_is_warned_and_ignored),
		T(test_register_driver_failing_set_options_fails_registration),
		T(test_deregister_driver_unregistered_handle_is_logged_and_ignored),
		T(test_optional_handlers_foreign_handle_is_failure),
		T(test_optional_handlers_null_is_failure),
		T(test_optional_handlers_pnp_bad_revision_is_invalid_parameter),
		T(test_optional_handlers_pnp_short_size_is_invalid_parameter),
		T(test_optional_handlers_unknown_type_is_not_supported),
		T(test_optional_handlers_pnp_are_stored_but_never_called),
		T(test_driver_entry_failure_is_logged_with_its_status),
		T(test_driver_entry_failure_leaving_registration_is_warned),
		T(test_unload_leaving_registration_is_warned),
		T(test_load_while_loaded_is_ebusy),
		T(test_load_missing_file_is_enoent),
		T(test_load_file_that_is_not_a_shared_object_is_enoexec),
		T(test_load_object_without_driver_entry_is_enoexec),
		T(test_load_above_passive_is_eperm),
		T(test_host_null_arguments_are_einval),
		T(test_start_without_registered_driver_is_enoent),
		T(test_start_on_platform_missing_an_op_is_einval),
		T(test_start_when_platform_fails_vector_allocation_is_its_errno),
		S(test_second_adapter_on_one_sim_device_is_ebusy),
		T(test_initialize_running_adapter_is_failure_naming_its_state),
		T(test_halt_of_adapter_never_initialized_is_refused_naming_its_state),
		T(test_initialize_above_passive_is_failure),
		T(test_halt_above_passive_does_not_call_halt),
		T(test_unload_above_passive_does_not_call_unload),
		T(test_initialize_after_unload_is_failure),
		T(test_initialize_without_registration_attributes_is_warned),
		T(test_unload_with_running_adapter_halts_it_first),
		T(test_stop_of_running_adapter_halts_it_first),
		T(test_attributes_foreign_adapter_handle_is_invalid_parameter),
		T(test_attributes_null_is_invalid_parameter),
		T(test_registration_attributes_revision_3_is_bad_version),
		T(test_registration_attributes_short_size_is_invalid_parameter),
		T(test_registration_attributes_outside_initialize_are_failure),
		T(test_general_attributes_before_registration_are_warned),
		T(test_add_device_attributes_are_invalid_parameter),
		T(test_map_io_space_foreign_adapter_handle_is_failure),
		T(test_map_io_space_null_virtual_address_is_invalid_parameter),
		T(test_map_io_space_zero_length_is_invalid_parameter),
		T(test_map_io_space_before_registration_attributes_is_failure),
		T(test_map_io_space_outside_every_bar_is_failure),
		S(test_map_io_space_of_an_io_bar_is_failure),
		T(test_map_io_space_refused_by_the_platform_is_resources),
		T(test_unmap_io_space_of_an_unmapped_address_is_logged),
		T(test_unmap_io_space_running_past_the_bar_is_warned),
		T(test_unmap_io_space_foreign_adapter_handle_is_reported),
		T(test_halt_leaving_a_mapping_is_warned),
		T(test_stop_unmaps_a_mapping_left_behind_with_a_warning),
		T(test_get_bus_data_other_space_returns_0_bytes),
		T(test_set_bus_data_other_space_returns_0_bytes),
		T(test_get_bus_data_null_buffer_returns_0_bytes),
		T(test_get_bus_data_foreign_adapter_handle_is_reported),
		S(test_get_bus_data_beyond_config_space_returns_fewer_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
