/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * Fault walk: for each failure site (allocation, fd, thread, platform
 * vectors), fail its 1st, 2nd, ... call in a whole adapter lifetime —
 * runtime, device, DriverEntry, adapter start, MiniportInitializeEx with
 * NdisMRegisterInterruptEx, MiniportHaltEx with NdisMDeregisterInterruptEx,
 * unload — until a run no longer reaches the Nth call. Each run must give the
 * documented status, leave no partial registration and no fd behind; leaks
 * are LeakSanitizer's and valgrind's job (this test runs in those builds).
 */
#define NDIS_MINIPORT_DRIVER 1
#define NDIS620_MINIPORT 1
#include <ndis.h>

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include <ndisirq/ndisirq.h>
#include <ndisirq/nirq_fault.h>
#include <ndisirq/nirq_host.h>
#include <ndisirq/nirq_platform_sim.h>

/* A walk that does not end within this many runs is a bug in the walk. */
#define MAX_RUNS 2000

/* ------------------------------------------------ the miniport under test */

typedef struct {
	NDIS_HANDLE Handle;
	NDIS_HANDLE Interrupt;
	PVOID Regs;
	ULONG RegsLength;
} FAULT_ADAPTER;

static NDIS_HANDLE DriverHandle;
static NDIS_STATUS LastRegisterStatus;

static BOOLEAN Isr(NDIS_HANDLE Ctx, PBOOLEAN Qd, PULONG Tp)
{
	(void)Ctx;
	*Qd = FALSE;
	*Tp = 0;
	return FALSE;
}

static BOOLEAN MsgIsr(NDIS_HANDLE Ctx, ULONG Id, PBOOLEAN Qd, PULONG Tp)
{
	(void)Id;
	return Isr(Ctx, Qd, Tp);
}

static VOID Dpc(NDIS_HANDLE Ctx, PVOID DpcCtx, PVOID Thr, PVOID R)
{
	(void)Ctx, (void)DpcCtx, (void)Thr, (void)R;
}

static VOID MsgDpc(NDIS_HANDLE Ctx, ULONG Id, PVOID DpcCtx, PVOID Thr, PVOID R)
{
	(void)Id;
	Dpc(Ctx, DpcCtx, Thr, R);
}

static NDIS_STATUS SetAttributes(FAULT_ADAPTER *A)
{
	NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES Attr;

	NdisZeroMemory(&Attr, sizeof(Attr));
	Attr.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;
	Attr.Header.Revision = NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	Attr.Header.Size = NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1;
	Attr.MiniportAdapterContext = A;
	Attr.InterfaceType = NdisInterfacePci;
	return NdisMSetMiniportAttributes(A->Handle, (PNDIS_MINIPORT_ADAPTER_ATTRIBUTES)&Attr);
}

static NDIS_STATUS MapBar0(FAULT_ADAPTER *A, PNDIS_RESOURCE_LIST Res)
{
	for (ULONG i = 0; i < Res->Count; i++) {
		PCM_PARTIAL_RESOURCE_DESCRIPTOR D = &Res->PartialDescriptors[i];

		if (D->Type != CmResourceTypeMemory)
			continue;
		A->RegsLength = D->u.Memory.Length;
		return NdisMMapIoSpace(&A->Regs, A->Handle, D->u.Memory.Start, A->RegsLength);
	}
	return NDIS_STATUS_RESOURCES;
}

static NDIS_STATUS Register(FAULT_ADAPTER *A)
{
	NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS C;

	NdisZeroMemory(&C, sizeof(C));
	C.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
	C.Header.Revision = NDIS_MINIPORT_INTERRUPT_REVISION_1;
	C.Header.Size = NDIS_SIZEOF_MINIPORT_INTERRUPT_CHARACTERISTICS_REVISION_1;
	C.InterruptHandler = Isr;
	C.InterruptDpcHandler = Dpc;
	C.MsiSupported = TRUE;
	C.MessageInterruptHandler = MsgIsr;
	C.MessageInterruptDpcHandler = MsgDpc;
	return NdisMRegisterInterruptEx(A->Handle, A, &C, &A->Interrupt);
}

static VOID Release(FAULT_ADAPTER *A)
{
	if (A->Regs)
		NdisMUnmapIoSpace(A->Handle, A->Regs, A->RegsLength);
	NdisFreeMemory(A, sizeof(*A), 0);
}

static NDIS_STATUS Initialize(NDIS_HANDLE Handle, NDIS_HANDLE DrvCtx,
			      PNDIS_MINIPORT_INIT_PARAMETERS Params)
{
	FAULT_ADAPTER *A = NdisAllocateMemoryWithTagPriority(Handle, sizeof(*A), 'tluF',
							      NormalPoolPriority);
	NDIS_STATUS St;

	(void)DrvCtx;
	if (!A)
		return NDIS_STATUS_RESOURCES;
	NdisZeroMemory(A, sizeof(*A));
	A->Handle = Handle;
	St = SetAttributes(A);
	if (St == NDIS_STATUS_SUCCESS)
		St = MapBar0(A, Params->AllocatedResources);
	if (St == NDIS_STATUS_SUCCESS)
		St = LastRegisterStatus = Register(A);
	if (St != NDIS_STATUS_SUCCESS)
		Release(A);
	return St;
}

static VOID Halt(NDIS_HANDLE Ctx, NDIS_HALT_ACTION Action)
{
	FAULT_ADAPTER *A = Ctx;

	(void)Action;
	NdisMDeregisterInterruptEx(A->Interrupt);
	Release(A);
}

static VOID Unload(PDRIVER_OBJECT D)
{
	(void)D;
	NdisMDeregisterMiniportDriver(DriverHandle);
}

static NTSTATUS FaultDriverEntry(PDRIVER_OBJECT Obj, PUNICODE_STRING Path)
{
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS C;

	NdisZeroMemory(&C, sizeof(C));
	C.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
	C.Header.Revision = NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	C.Header.Size = NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	C.MajorNdisVersion = NDIS_MINIPORT_MAJOR_VERSION;
	C.MinorNdisVersion = NDIS_MINIPORT_MINOR_VERSION;
	C.InitializeHandlerEx = Initialize;
	C.HaltHandlerEx = Halt;
	C.UnloadHandler = Unload;
	return NdisMRegisterMiniportDriver(Obj, Path, NULL, &C, &DriverHandle);
}

static int32_t entry(void *obj, void *path)
{
	return FaultDriverEntry(obj, path);
}

/* ------------------------------------------------------------ the walk */

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* What one run reached; statuses are checked against the site's rule. */
struct run {
	int rt_err, sim_err, host_err, load_err, start_err;
	int32_t load_status, init_status;
	enum nirq_intr_kind kind;
	uint32_t count;
	int registered_type;
	uint32_t connected_after_init;
	uint64_t reports;
};

static void run_adapter(struct nirq_rt *rt, struct nirq_host *host,
			struct nirq_platform *pf, struct run *r)
{
	struct nirq_policy pol;
	struct nirq_adapter *ad;

	nirq_policy_init(&pol);
	r->start_err = nirq_host_adapter_start(host, pf, &pol, &ad);
	if (r->start_err)
		return;
	r->kind = nirq_host_adapter_grant(ad)->kind;
	r->count = nirq_host_adapter_grant(ad)->count;
	LastRegisterStatus = NDIS_STATUS_SUCCESS;
	r->init_status = nirq_host_adapter_initialize(ad);
	r->registered_type = nirq_host_adapter_interrupt_type(ad, NULL);
	r->connected_after_init = nirq_host_adapter_grant(ad)->connected;
	if (r->init_status == NDIS_STATUS_SUCCESS)
		nirq_host_adapter_halt(ad);
	nirq_host_adapter_stop(ad);
	r->reports = nirq_rt_reports(rt);
}

/* One whole lifetime; returns what it reached. */
static struct run run_once(void)
{
	struct nirq_rt_config rc;
	struct nirq_sim_config sc;
	struct nirq_platform *pf = NULL;
	struct nirq_host *host = NULL;
	struct nirq_rt *rt = NULL;
	struct run r = { .init_status = -1, .load_status = -1 };

	nirq_rt_config_init(&rc);
	rc.processors = 2;
	r.rt_err = nirq_rt_create(&rc, &rt);
	if (r.rt_err)
		return r;
	nirq_sim_config_init(&sc, NIRQ_SIM_E1000E);
	r.sim_err = nirq_sim_create(&sc, &pf);
	if (!r.sim_err)
		r.host_err = nirq_host_create(rt, &host);
	if (!r.sim_err && !r.host_err)
		r.load_err = nirq_host_load_entry(host, entry, &r.load_status);
	if (host && !r.load_err && r.load_status == NDIS_STATUS_SUCCESS) {
		run_adapter(rt, host, pf, &r);
		nirq_host_unload(host);
	}
	if (host)
		nirq_host_destroy(host);
	if (pf)
		pf->ops->destroy(pf);
	nirq_rt_destroy(rt);
	return r;
}

static bool is_resource_errno(int err)
{
	return err == -ENOMEM || err == -EMFILE || err == -EAGAIN;
}

/* The documented outcome of a run in which one call at a site failed. */
static void check_run(const struct run *r, enum nirq_fault_site site, uint64_t n)
{
	print_message("%s #%llu: rt %d sim %d host %d load %d/0x%x start %d init 0x%x "
		      "grant %s/%u type %d\n", nirq_fault_name(site), (unsigned long long)n,
		      r->rt_err, r->sim_err, r->host_err, r->load_err,
		      (unsigned)r->load_status, r->start_err, (unsigned)r->init_status,
		      nirq_kind_name(r->kind), r->count, r->registered_type);
	assert_true(r->rt_err == 0 || is_resource_errno(r->rt_err));
	assert_true(r->sim_err == 0 || r->sim_err == -ENOMEM);
	assert_true(r->host_err == 0 || r->host_err == -ENOMEM);
	assert_true(r->load_err == 0 || is_resource_errno(r->load_err));
	assert_true(r->start_err == 0 || is_resource_errno(r->start_err));
	if (r->load_err == 0 && r->load_status != -1)
		assert_true(r->load_status == NDIS_STATUS_SUCCESS ||
			    r->load_status == NDIS_STATUS_RESOURCES);
	if (r->init_status != -1 && r->init_status != NDIS_STATUS_SUCCESS) {
		/* A failed initialize leaves nothing registered and nothing reported. */
		assert_true(r->init_status == NDIS_STATUS_RESOURCES ||
			    (site == NIRQ_FAULT_VECTORS && r->kind == NIRQ_KIND_NONE &&
			     r->init_status == NDIS_STATUS_FAILURE));
		assert_int_equal(r->registered_type, 0);
		assert_int_equal(r->connected_after_init, 0);
	}
	assert_int_equal(r->reports, 0);
}

/* Walk N = 1, 2, ... at @site; returns how many runs hit their fault. */
static uint64_t walk(enum nirq_fault_site site, void (*extra)(const struct run *, uint64_t))
{
	int fds = open_fds();
	uint64_t n;

	for (n = 1; n <= MAX_RUNS; n++) {
		struct run r;

		nirq_fault_inject(site, n);
		r = run_once();
		if (!nirq_fault_fired(site))
			break;
		check_run(&r, site, n);
		if (extra)
			extra(&r, n);
		assert_int_equal(open_fds(), fds);
	}
	nirq_fault_reset();
	assert_true(n <= MAX_RUNS);
	return n - 1;
}

static void test_fault_every_allocation_failure_gives_resources_and_leaves_nothing(void **state)
{
	(void)state;
	/* The runtime, sim, host, driver, adapter, grant and interrupt allocate. */
	assert_true(walk(NIRQ_FAULT_ALLOC, NULL) >= 10);
}

static void test_fault_every_fd_failure_gives_emfile_and_leaves_nothing(void **state)
{
	(void)state;
	/* Per processor: epoll + doorbell; per vector: one eventfd. */
	assert_true(walk(NIRQ_FAULT_FD, NULL) >= 4);
}

static void test_fault_every_thread_failure_gives_eagain_and_leaves_nothing(void **state)
{
	(void)state;
	/* The two processor threads; initialize and halt run on the caller. */
	assert_true(walk(NIRQ_FAULT_THREAD, NULL) >= 2);
}

static void vectors_fall_back(const struct run *r, uint64_t n)
{
	/* The first allocation (5 MSI-X messages) fails: exactly one message (F4). */
	if (n == 1) {
		assert_int_equal(r->kind, NIRQ_KIND_MSIX);
		assert_int_equal(r->count, 1);
		assert_int_equal(r->init_status, NDIS_STATUS_SUCCESS);
		assert_int_equal(r->registered_type, NDIS_CONNECT_MESSAGE_BASED);
	}
}

static void test_fault_vector_allocation_failure_falls_back_to_one_message(void **state)
{
	(void)state;
	assert_true(walk(NIRQ_FAULT_VECTORS, vectors_fall_back) >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fault_every_allocation_failure_gives_resources_and_leaves_nothing),
		cmocka_unit_test(test_fault_every_fd_failure_gives_emfile_and_leaves_nothing),
		cmocka_unit_test(test_fault_every_thread_failure_gives_eagain_and_leaves_nothing),
		cmocka_unit_test(test_fault_vector_allocation_failure_falls_back_to_one_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
