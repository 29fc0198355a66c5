// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * The miniport host (include/ndisirq/nirq_host.h): loads a miniport, starts
 * adapters on platform devices, drives MiniportInitializeEx/MiniportHaltEx
 * on passive threads and checks what Windows checks with bug check 0x7C.
 * NDIS structures are built on the other side of host_ndis.h.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ndisirq/nirq_fault.h>

#include "host/host_ndis.h"
#include "ndis/ndis_private.h"

#define RULE_HALT "NDIS_BUGCHECK_HALT_WITHOUT_INTERRUPT_DEREGISTER (0x7C/0x08)"
#define RULE_INIT "NDIS_BUGCHECK_INIT_FAILED_WITHOUT_INTERRUPT_DEREGISTER (0x7C/0x0B)"

/*
 * struct nirq_host - one loaded miniport and its adapters.
 * Every field is touched only by the thread that drives the host.
 */
struct nirq_host {
	struct nirq_rt *rt;
	void *dl;                     /* dlopen handle; NULL for an in-process entry */
	struct ndis_driver *driver;   /* NULL when no driver is loaded */
	struct nirq_adapter **adapters;
	unsigned nadapters;
	unsigned cap;
};

struct entry_call {
	struct ndis_driver *drv;
	nirq_driver_entry_fn *entry;
	int32_t status;
};

struct adapter_call {
	struct nirq_adapter *ad;
	struct ndis_driver *drv;
	int32_t status;
};

struct ndis_driver *nirq__host_driver(const struct nirq_host *host)
{
	return host ? host->driver : NULL;
}

int nirq_host_create(struct nirq_rt *rt, struct nirq_host **out)
{
	struct nirq_host *host;

	if (!rt || !out)
		return -EINVAL;
	host = nirq_fault_calloc(1, sizeof(*host));
	if (!host)
		return -ENOMEM;
	host->rt = rt;
	*out = host;
	return 0;
}

void nirq_host_destroy(struct nirq_host *host)
{
	if (!host)
		return;
	while (host->nadapters)
		nirq_host_adapter_stop(host->adapters[host->nadapters - 1]);
	nirq_host_unload(host);
	free(host->adapters);
	free(host);
}

/* ------------------------------------------------------------ loading */

static void entry_thunk(void *arg)
{
	struct entry_call *c = arg;

	c->status = ndis__driver_call_entry(c->drv, c->entry);
}

static void unload_thunk(void *arg)
{
	struct entry_call *c = arg;

	c->status = ndis__driver_call_unload(c->drv);
}

static void drop_failed_driver(struct nirq_host *host, struct ndis_driver *drv,
			       int32_t status)
{
	if (ndis__driver_registered(drv))
		nirq_log(host->rt, NIRQ_LOG_WARN,
			 "host: DriverEntry failed with 0x%08x but left its "
			 "registration: it must call NdisMDeregisterMiniportDriver "
			 "before returning failure", (uint32_t)status);
	ndis__driver_destroy(drv);
}

/* Create the driver object, call DriverEntry at PASSIVE, keep it on success. */
static int load_common(struct nirq_host *host, nirq_driver_entry_fn *entry,
		       void *dl, int32_t *status)
{
	struct entry_call call = { .entry = entry };
	int rc;

	rc = ndis__driver_create(host, host->rt, &call.drv);
	if (rc)
		return rc;
	rc = nirq_rt_run_passive(host->rt, entry_thunk, &call);
	if (rc) {
		nirq_log(host->rt, NIRQ_LOG_ERROR,
			 "host: DriverEntry not called: the host must be driven "
			 "from a passive thread (%s)", strerror(-rc));
		ndis__driver_destroy(call.drv);
		return rc;
	}
	if (status)
		*status = call.status;
	if (call.status != NIRQ__STATUS_SUCCESS) {
		nirq_log(host->rt, NIRQ_LOG_ERROR,
			 "host: DriverEntry returned 0x%08x", (uint32_t)call.status);
		drop_failed_driver(host, call.drv, call.status);
		return 0;
	}
	host->driver = call.drv;
	host->dl = dl;
	return 0;
}

static bool host_busy(struct nirq_host *host)
{
	if (!host->driver)
		return false;
	nirq_log(host->rt, NIRQ_LOG_ERROR,
		 "host: a miniport is already loaded; unload it first");
	return true;
}

int nirq_host_load_entry(struct nirq_host *host, nirq_driver_entry_fn *entry,
			 int32_t *status)
{
	if (!host || !entry)
		return -EINVAL;
	if (host_busy(host))
		return -EBUSY;
	return load_common(host, entry, NULL, status);
}

/* dlopen() searches the library path for a bare name: make "x.so" mean ./x.so. */
static void *open_object(struct nirq_host *host, const char *path)
{
	char buf[4096];
	const char *name = path;
	void *dl;

	if (!strchr(path, '/') && strlen(path) + 3 <= sizeof(buf)) {
		strcpy(buf, "./");
		strcat(buf, path);
		name = buf;
	}
	dl = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!dl)
		nirq_log(host->rt, NIRQ_LOG_ERROR,
			 "host: cannot load miniport '%s': %s", path, dlerror());
	return dl;
}

static nirq_driver_entry_fn *find_entry(struct nirq_host *host, void *dl,
					const char *path)
{
	union {
		void *obj;
		nirq_driver_entry_fn *fn;
	} sym;

	dlerror();
	sym.obj = dlsym(dl, "DriverEntry");
	if (!sym.obj)
		nirq_log(host->rt, NIRQ_LOG_ERROR,
			 "host: miniport '%s' has no exported symbol DriverEntry "
			 "(a miniport defines NTSTATUS DriverEntry(PDRIVER_OBJECT, "
			 "PUNICODE_STRING) with default visibility)", path);
	return sym.fn;
}

int nirq_host_load(struct nirq_host *host, const char *path, int32_t *status)
{
	struct stat st;
	nirq_driver_entry_fn *entry;
	void *dl;
	int rc;

	if (!host)
		return -EINVAL;
	if (host_busy(host))
		return -EBUSY;
	if (!path || stat(path, &st) != 0) {
		rc = path ? errno : ENOENT;
		nirq_log(host->rt, NIRQ_LOG_ERROR, "host: miniport '%s': %s",
			 path ? path : "(null)", strerror(rc));
		return -ENOENT;
	}
	dl = open_object(host, path);
	if (!dl)
		return -ENOEXEC;
	entry = find_entry(host, dl, path);
	if (!entry) {
		dlclose(dl);
		return -ENOEXEC;
	}
	rc = load_common(host, entry, dl, status);
	if (rc || host->dl != dl)
		dlclose(dl);
	return rc;
}

void nirq_host_unload(struct nirq_host *host)
{
	struct entry_call call;

	if (!host || !host->driver)
		return;
	for (unsigned i = 0; i < host->nadapters; i++) {
		if (host->adapters[i]->state != NDIS_ADAPTER_RUNNING)
			continue;
		nirq_log(host->rt, NIRQ_LOG_WARN,
			 "host: unload with adapter %p running: halting it first",
			 (void *)host->adapters[i]);
		nirq_host_adapter_halt(host->adapters[i]);
	}
	call = (struct entry_call){ .drv = host->driver };
	if (nirq_rt_run_passive(host->rt, unload_thunk, &call))
		nirq_log(host->rt, NIRQ_LOG_ERROR,
			 "host: MiniportDriverUnload not called: the host must "
			 "be driven from a passive thread");
	if (ndis__driver_registered(host->driver))
		nirq_log(host->rt, NIRQ_LOG_WARN,
			 "host: the driver is still registered after unload: "
			 "MiniportDriverUnload must call NdisMDeregisterMiniportDriver");
	ndis__driver_destroy(host->driver);
	host->driver = NULL;
	if (host->dl)
		dlclose(host->dl);
	host->dl = NULL;
}

/* ----------------------------------------------------------- adapters */

static int host_track(struct nirq_host *host, struct nirq_adapter *ad)
{
	if (host->nadapters == host->cap) {
		unsigned cap = host->cap ? host->cap * 2 : 4;
		void *p = nirq_fault_realloc(host->adapters, cap * sizeof(*host->adapters));

		if (!p)
			return -ENOMEM;
		host->adapters = p;
		host->cap = cap;
	}
	host->adapters[host->nadapters++] = ad;
	return 0;
}

static void host_untrack(struct nirq_host *host, struct nirq_adapter *ad)
{
	for (unsigned i = 0; i < host->nadapters; i++) {
		if (host->adapters[i] != ad)
			continue;
		host->adapters[i] = host->adapters[--host->nadapters];
		return;
	}
}

static int check_startable(struct nirq_host *host, struct nirq_platform *pf)
{
	const char *missing = NULL;

	if (!host->driver || !ndis__driver_registered(host->driver)) {
		nirq_log(host->rt, NIRQ_LOG_ERROR,
			 "host: no miniport driver is registered (DriverEntry "
			 "must call NdisMRegisterMiniportDriver)");
		return -ENOENT;
	}
	if (nirq_platform_check(pf, &missing)) {
		nirq_log(host->rt, NIRQ_LOG_ERROR,
			 "host: platform lacks the required op '%s'",
			 missing ? missing : "?");
		return -EINVAL;
	}
	return 0;
}

/* Assign interrupt resources and build the resource list of a new adapter. */
static int adapter_assign(struct nirq_adapter *ad)
{
	int rc = nirq_assign(ad->rt, ad->pf, &ad->policy, &ad->grant);

	if (rc) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR,
			 "host: interrupt resource assignment failed: %s",
			 strerror(-rc));
		return rc;
	}
	rc = ndis__adapter_build_resources(ad);
	if (rc) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR,
			 "host: cannot build AllocatedResources: %s", strerror(-rc));
		nirq_unassign(ad->pf, &ad->grant);
	}
	return rc;
}

int nirq_host_adapter_start(struct nirq_host *host, struct nirq_platform *pf,
			    const struct nirq_policy *pol,
			    struct nirq_adapter **out)
{
	struct nirq_adapter *ad;
	int rc;

	if (!host || !pf || !out)
		return -EINVAL;
	rc = check_startable(host, pf);
	if (rc)
		return rc;
	rc = ndis__adapter_create(&ad);
	if (rc)
		return rc;
	ad->host = host;
	ad->rt = host->rt;
	ad->pf = pf;
	if (pol)
		ad->policy = *pol;
	else
		nirq_policy_init(&ad->policy);
	ad->state = NDIS_ADAPTER_STARTED;
	rc = adapter_assign(ad);
	if (!rc && host_track(host, ad)) {
		nirq_unassign(pf, &ad->grant);
		rc = -ENOMEM;
	}
	if (rc) {
		ndis__adapter_destroy(ad);
		return rc;
	}
	*out = ad;
	return 0;
}

static void initialize_thunk(void *arg)
{
	struct adapter_call *c = arg;

	c->status = ndis__adapter_call_initialize(c->ad, c->drv);
}

static void halt_thunk(void *arg)
{
	struct adapter_call *c = arg;

	ndis__adapter_call_halt(c->ad, c->drv);
}

/*
 * What Windows answers with bug check 0x7C: the miniport returned from a
 * failed initialize or from halt with its interrupt still registered.
 * Report it and deregister on its behalf so the run can go on.
 */
static void verify_interrupt_released(struct nirq_adapter *ad, const char *rule,
				      const char *when)
{
	if (!ad->interrupt)
		return;
	nirq_verifier_report(ad->rt, rule, ad,
			     "%s with the adapter's interrupt (object %p) still "
			     "registered; the miniport must call "
			     "NdisMDeregisterInterruptEx first (the host "
			     "deregisters it now)", when, (void *)ad->interrupt);
	ndis__interrupt_force_deregister(ad);
}

static const char *state_name(enum ndis_adapter_state state)
{
	switch (state) {
	case NDIS_ADAPTER_STARTED: return "started";
	case NDIS_ADAPTER_INITIALIZING: return "initializing";
	case NDIS_ADAPTER_RUNNING: return "running";
	case NDIS_ADAPTER_HALTING: return "halting";
	default: return "halted";
	}
}

static bool adapter_valid(const struct nirq_adapter *ad)
{
	return ad && ad->magic == NDIS_ADAPTER_MAGIC;
}

static struct ndis_driver *adapter_driver(struct nirq_adapter *ad)
{
	struct ndis_driver *drv = nirq__host_driver(ad->host);

	if (drv && ndis__driver_registered(drv))
		return drv;
	nirq_log(ad->rt, NIRQ_LOG_ERROR,
		 "host: adapter %p: no registered miniport driver", (void *)ad);
	return NULL;
}

static void initialize_done(struct nirq_adapter *ad, int32_t status)
{
	if (status == NIRQ__STATUS_SUCCESS) {
		ad->state = NDIS_ADAPTER_RUNNING;
		if (!ad->attributes_set)
			nirq_log(ad->rt, NIRQ_LOG_WARN,
				 "host: MiniportInitializeEx succeeded without "
				 "NdisMSetMiniportAttributes (registration attributes)");
		return;
	}
	nirq_log(ad->rt, NIRQ_LOG_ERROR,
		 "host: MiniportInitializeEx returned 0x%08x", (uint32_t)status);
	ad->state = NDIS_ADAPTER_HALTED;
	verify_interrupt_released(ad, RULE_INIT, "MiniportInitializeEx failed");
	ndis__dma_release(ad, "MiniportInitializeEx failed");
}

int32_t nirq_host_adapter_initialize(struct nirq_adapter *ad)
{
	struct adapter_call call = { .ad = ad };
	int rc;

	if (!adapter_valid(ad))
		return NIRQ__STATUS_FAILURE;
	if (ad->state != NDIS_ADAPTER_STARTED && ad->state != NDIS_ADAPTER_HALTED) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR,
			 "host: adapter %p: initialize needs a started or halted "
			 "adapter (it is %s)", (void *)ad, state_name(ad->state));
		return NIRQ__STATUS_FAILURE;
	}
	call.drv = adapter_driver(ad);
	if (!call.drv)
		return NIRQ__STATUS_FAILURE;
	ad->attributes_set = 0;
	ad->miniport_adapter_context = NULL;
	ad->state = NDIS_ADAPTER_INITIALIZING;
	rc = nirq_rt_run_passive(ad->rt, initialize_thunk, &call);
	if (rc) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR,
			 "host: MiniportInitializeEx not called: the host must "
			 "be driven from a passive thread (%s)", strerror(-rc));
		ad->state = NDIS_ADAPTER_HALTED;
		return NIRQ__STATUS_FAILURE;
	}
	initialize_done(ad, call.status);
	return call.status;
}

void nirq_host_adapter_halt(struct nirq_adapter *ad)
{
	struct adapter_call call = { .ad = ad };
	int rc;

	if (!adapter_valid(ad))
		return;
	if (ad->state != NDIS_ADAPTER_RUNNING) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR,
			 "host: adapter %p: halt needs an initialized adapter "
			 "(it is %s)", (void *)ad, state_name(ad->state));
		return;
	}
	call.drv = adapter_driver(ad);
	ad->state = NDIS_ADAPTER_HALTING;
	rc = call.drv ? nirq_rt_run_passive(ad->rt, halt_thunk, &call) : -ENOENT;
	if (rc)
		nirq_log(ad->rt, NIRQ_LOG_ERROR,
			 "host: adapter %p: MiniportHaltEx not called: %s",
			 (void *)ad, strerror(-rc));
	ad->state = NDIS_ADAPTER_HALTED;
	verify_interrupt_released(ad, RULE_HALT, "MiniportHaltEx returned");
	ndis__dma_release(ad, "MiniportHaltEx returned");
	if (ndis__adapter_mappings(ad))
		nirq_log(ad->rt, NIRQ_LOG_WARN,
			 "host: MiniportHaltEx returned with %u I/O mapping(s) "
			 "left; NdisMUnmapIoSpace them in halt",
			 ndis__adapter_mappings(ad));
}

void nirq_host_adapter_stop(struct nirq_adapter *ad)
{
	if (!adapter_valid(ad))
		return;
	if (ad->state == NDIS_ADAPTER_RUNNING) {
		nirq_log(ad->rt, NIRQ_LOG_WARN,
			 "host: stopping running adapter %p: halting it first",
			 (void *)ad);
		nirq_host_adapter_halt(ad);
	}
	if (ad->interrupt)
		ndis__interrupt_force_deregister(ad);
	nirq_unassign(ad->pf, &ad->grant);
	host_untrack(ad->host, ad);
	ndis__adapter_destroy(ad);
}

const struct nirq_grant *nirq_host_adapter_grant(const struct nirq_adapter *ad)
{
	return ad ? &ad->grant : NULL;
}

struct nirq_platform *nirq_host_adapter_platform(const struct nirq_adapter *ad)
{
	return ad ? ad->pf : NULL;
}

int nirq_host_adapter_interrupt_type(const struct nirq_adapter *ad,
				     uint32_t *messages)
{
	if (!ad)
		return 0;
	if (messages)
		*messages = ad->registered_type ? ad->registered_messages : 0;
	return ad->registered_type;
}
