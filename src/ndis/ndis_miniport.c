// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * NDIS miniport lifecycle shims: driver registration and the DRIVER_OBJECT,
 * optional handlers, adapter attributes, the adapter's resource list and
 * init parameters, I/O space mapping and PCI configuration space. The
 * native host (src/host) drives them through host/host_ndis.h.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <ndis.h>

#include <ndisirq/nirq_fault.h>

#include "host/host_ndis.h"
#include "ndis/ndis_private.h"

#define BARS 6
/* The NDIS version this implementation is: 6.82 (NdisGetVersion). */
#define OUR_MINOR 82
#define REGISTRY_PATH "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\ndisirq"

/*
 * struct ndis_driver - the object behind PDRIVER_OBJECT and the
 * NdisMiniportDriverHandle (the same pointer). Touched at PASSIVE only, by
 * the thread that drives the host.
 */
struct ndis_driver {
	uint32_t magic;                          /* NDIS_DRIVER_MAGIC */
	struct nirq_host *host;
	struct nirq_rt *rt;
	bool registered;                         /* Register .. Deregister */
	bool has_chars;                          /* chars valid (kept after deregister) */
	NDIS_HANDLE driver_context;              /* MiniportDriverContext */
	NDIS_MINIPORT_DRIVER_CHARACTERISTICS chars; /* copy, revision 3 layout */
	bool has_pnp;
	NDIS_MINIPORT_PNP_CHARACTERISTICS pnp;   /* stored, never called */
	UNICODE_STRING registry_path;
	WCHAR registry_buf[sizeof(REGISTRY_PATH)];
};

/* One NdisMMapIoSpace'd BAR (mappings of one BAR share a base). */
struct io_map {
	void *base;     /* from nirq_mmio_map; NULL when unmapped */
	uint64_t size;  /* the BAR's size */
	unsigned refs;  /* NdisMMapIoSpace calls not yet unmapped */
};

/* The adapter with its NDIS side; the handle is &ext->ad. */
struct adapter_ext {
	struct nirq_adapter ad; /* first */
	struct io_map map[BARS];
	NDIS_MINIPORT_INIT_PARAMETERS init;
};

static struct adapter_ext *ext_of(struct nirq_adapter *ad)
{
	return (struct adapter_ext *)(void *)ad;
}

static struct ndis_driver *driver_of(NDIS_HANDLE h)
{
	struct ndis_driver *drv = h;

	return drv && drv->magic == NDIS_DRIVER_MAGIC ? drv : NULL;
}

/* ------------------------------------------------------- the driver */

int ndis__driver_create(struct nirq_host *host, struct nirq_rt *rt,
			struct ndis_driver **out)
{
	struct ndis_driver *drv = nirq_fault_calloc(1, sizeof(*drv));
	size_t n = sizeof(REGISTRY_PATH) - 1;

	if (!drv)
		return -ENOMEM;
	drv->magic = NDIS_DRIVER_MAGIC;
	drv->host = host;
	drv->rt = rt;
	for (size_t i = 0; i <= n; i++)
		drv->registry_buf[i] = (WCHAR)REGISTRY_PATH[i];
	drv->registry_path.Length = (USHORT)(n * sizeof(WCHAR));
	drv->registry_path.MaximumLength = (USHORT)((n + 1) * sizeof(WCHAR));
	drv->registry_path.Buffer = drv->registry_buf;
	*out = drv;
	return 0;
}

void ndis__driver_destroy(struct ndis_driver *drv)
{
	if (!drv)
		return;
	drv->magic = 0;
	free(drv);
}

int32_t ndis__driver_call_entry(struct ndis_driver *drv, nirq_driver_entry_fn *entry)
{
	return entry(drv, &drv->registry_path);
}

bool ndis__driver_registered(const struct ndis_driver *drv)
{
	return drv && drv->registered;
}

bool ndis__driver_call_unload(struct ndis_driver *drv)
{
	if (!drv->has_chars || !drv->chars.UnloadHandler)
		return false;
	drv->chars.UnloadHandler((PDRIVER_OBJECT)(void *)drv);
	return true;
}

/* --------------------------------------- NdisMRegisterMiniportDriver */

static NDIS_STATUS bad_chars(struct ndis_driver *drv, NDIS_STATUS st,
			     const char *field, unsigned long value, const char *rule)
{
	nirq_log(drv->rt, NIRQ_LOG_ERROR,
		 "NdisMRegisterMiniportDriver: %s = %lu (0x%lx): %s; returning %s",
		 field, value, value, rule,
		 st == NDIS_STATUS_BAD_VERSION ? "NDIS_STATUS_BAD_VERSION"
					       : "NDIS_STATUS_BAD_CHARACTERISTICS");
	return st;
}

static bool minor_accepted(unsigned minor)
{
	static const unsigned char ok[] = { 0, 1, 20, 30, 40, 50, 51, 60, 70, 80, 81, 82 };

	for (size_t i = 0; i < sizeof(ok); i++)
		if (ok[i] == minor)
			return true;
	return false;
}

static unsigned chars_size(unsigned revision)
{
	switch (revision) {
	case 1: return NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1;
	case 2: return NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2;
	default: return NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_3;
	}
}

static NDIS_STATUS check_chars_header(struct ndis_driver *drv,
				      const NDIS_MINIPORT_DRIVER_CHARACTERISTICS *c)
{
	const NDIS_OBJECT_HEADER *h = &c->Header;

	if (h->Type != NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS)
		return bad_chars(drv, NDIS_STATUS_BAD_CHARACTERISTICS, "Header.Type",
				 h->Type, "must be NDIS_OBJECT_TYPE_MINIPORT_DRIVER_"
				 "CHARACTERISTICS (0x8a)");
	if (h->Revision < 1 || h->Revision > 3)
		return bad_chars(drv, NDIS_STATUS_BAD_CHARACTERISTICS, "Header.Revision",
				 h->Revision, "must be 1, 2 or 3 (NDIS_MINIPORT_DRIVER_"
				 "CHARACTERISTICS_REVISION_n)");
	if (h->Size < chars_size(h->Revision)) {
		nirq_log(drv->rt, NIRQ_LOG_ERROR, "NdisMRegisterMiniportDriver: "
			 "Header.Size %u is less than NDIS_SIZEOF_MINIPORT_DRIVER_"
			 "CHARACTERISTICS_REVISION_%u (%u); returning "
			 "NDIS_STATUS_BAD_CHARACTERISTICS", h->Size, h->Revision,
			 chars_size(h->Revision));
		return NDIS_STATUS_BAD_CHARACTERISTICS;
	}
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS check_chars(struct ndis_driver *drv,
			       const NDIS_MINIPORT_DRIVER_CHARACTERISTICS *c)
{
	NDIS_STATUS st = check_chars_header(drv, c);

	if (st != NDIS_STATUS_SUCCESS)
		return st;
	if (c->MajorNdisVersion != 6)
		return bad_chars(drv, NDIS_STATUS_BAD_VERSION, "MajorNdisVersion",
				 c->MajorNdisVersion, "must be 6 (NDIS 6.x)");
	if (!minor_accepted(c->MinorNdisVersion))
		return bad_chars(drv, NDIS_STATUS_BAD_VERSION, "MinorNdisVersion",
				 c->MinorNdisVersion, "must be one of 0, 1, 20, 30, 40, "
				 "50, 51, 60, 70, 80, 81, 82 (this NDIS is 6.82)");
	if (!c->InitializeHandlerEx || !c->HaltHandlerEx) {
		nirq_log(drv->rt, NIRQ_LOG_ERROR, "NdisMRegisterMiniportDriver: %s "
			 "is NULL: it is required; returning "
			 "NDIS_STATUS_BAD_CHARACTERISTICS", c->InitializeHandlerEx
			 ? "HaltHandlerEx" : "InitializeHandlerEx");
		return NDIS_STATUS_BAD_CHARACTERISTICS;
	}
	return NDIS_STATUS_SUCCESS;
}

/* NDIS copies the characteristics: a current-revision copy, zero-extended. */
static void store_chars(struct ndis_driver *drv,
			const NDIS_MINIPORT_DRIVER_CHARACTERISTICS *c)
{
	size_t n = c->Header.Size < sizeof(drv->chars) ? c->Header.Size
						       : sizeof(drv->chars);

	memset(&drv->chars, 0, sizeof(drv->chars));
	memcpy(&drv->chars, c, n);
	drv->has_chars = true;
	drv->has_pnp = false;
	if (c->Flags & (NDIS_INTERMEDIATE_DRIVER | NDIS_WDM_DRIVER))
		nirq_log(drv->rt, NIRQ_LOG_WARN, "NdisMRegisterMiniportDriver: "
			 "Flags 0x%x (intermediate/WDM) are ignored: the driver "
			 "is hosted as a hardware miniport", (unsigned)c->Flags);
}

/* MiniportSetOptions runs inside registration; its failure fails it. */
static NDIS_STATUS call_set_options(struct ndis_driver *drv)
{
	NDIS_STATUS st;

	if (!drv->chars.SetOptionsHandler)
		return NDIS_STATUS_SUCCESS;
	st = drv->chars.SetOptionsHandler(drv, drv->driver_context);
	if (st != NDIS_STATUS_SUCCESS) {
		nirq_log(drv->rt, NIRQ_LOG_ERROR, "NdisMRegisterMiniportDriver: "
			 "MiniportSetOptions returned 0x%08x; registration fails "
			 "with that status", (unsigned)st);
		drv->registered = false;
	}
	return st;
}

NDIS_STATUS NdisMRegisterMiniportDriver(PDRIVER_OBJECT DriverObject,
					PUNICODE_STRING RegistryPath,
					NDIS_HANDLE MiniportDriverContext,
					PNDIS_MINIPORT_DRIVER_CHARACTERISTICS c,
					PNDIS_HANDLE NdisMiniportDriverHandle)
{
	struct ndis_driver *drv = driver_of(DriverObject);
	NDIS_STATUS st;

	(void)RegistryPath;
	if (!drv) {
		nirq_log(nirq_rt_current(), NIRQ_LOG_ERROR, "NdisMRegisterMiniportDriver: "
			 "DriverObject %p is not the one given to DriverEntry; "
			 "returning NDIS_STATUS_FAILURE", (void *)DriverObject);
		return NDIS_STATUS_FAILURE;
	}
	if (!c || !NdisMiniportDriverHandle) {
		nirq_log(drv->rt, NIRQ_LOG_ERROR, "NdisMRegisterMiniportDriver: %s "
			 "is NULL; returning %s", c ? "NdisMiniportDriverHandle"
			 : "MiniportDriverCharacteristics", c ? "NDIS_STATUS_FAILURE"
			 : "NDIS_STATUS_BAD_CHARACTERISTICS");
		return c ? NDIS_STATUS_FAILURE : NDIS_STATUS_BAD_CHARACTERISTICS;
	}
	if (drv->registered) {
		nirq_log(drv->rt, NIRQ_LOG_ERROR, "NdisMRegisterMiniportDriver: the "
			 "driver is already registered; returning NDIS_STATUS_FAILURE");
		return NDIS_STATUS_FAILURE;
	}
	st = check_chars(drv, c);
	if (st != NDIS_STATUS_SUCCESS)
		return st;
	store_chars(drv, c);
	drv->driver_context = MiniportDriverContext;
	drv->registered = true;
	*NdisMiniportDriverHandle = drv;
	return call_set_options(drv);
}

VOID NdisMDeregisterMiniportDriver(NDIS_HANDLE NdisMiniportDriverHandle)
{
	struct ndis_driver *drv = driver_of(NdisMiniportDriverHandle);

	if (!drv || !drv->registered) {
		nirq_log(drv ? drv->rt : nirq_rt_current(), NIRQ_LOG_ERROR,
			 "NdisMDeregisterMiniportDriver: handle %p is not a "
			 "registered miniport driver; ignored", NdisMiniportDriverHandle);
		return;
	}
	drv->registered = false;
}

/* ------------------------------------------- NdisSetOptionalHandlers */

static NDIS_STATUS store_pnp(struct ndis_driver *drv,
			     const NDIS_MINIPORT_PNP_CHARACTERISTICS *p)
{
	if (p->Header.Revision != NDIS_MINIPORT_PNP_CHARACTERISTICS_REVISION_1 ||
	    p->Header.Size < NDIS_SIZEOF_MINIPORT_PNP_CHARACTERISTICS_REVISION_1) {
		nirq_log(drv->rt, NIRQ_LOG_ERROR, "NdisSetOptionalHandlers: PnP "
			 "characteristics Header.Revision %u / Header.Size %u: must "
			 "be 1 / >= %u; returning NDIS_STATUS_INVALID_PARAMETER",
			 p->Header.Revision, p->Header.Size,
			 (unsigned)NDIS_SIZEOF_MINIPORT_PNP_CHARACTERISTICS_REVISION_1);
		return NDIS_STATUS_INVALID_PARAMETER;
	}
	memset(&drv->pnp, 0, sizeof(drv->pnp));
	memcpy(&drv->pnp, p, NDIS_SIZEOF_MINIPORT_PNP_CHARACTERISTICS_REVISION_1);
	drv->has_pnp = true;
	nirq_log(drv->rt, NIRQ_LOG_INFO, "NdisSetOptionalHandlers: PnP "
		 "characteristics stored; this host does not call MiniportAddDevice, "
		 "MiniportRemoveDevice, MiniportFilterResourceRequirements or "
		 "MiniportStartDevice yet");
	return NDIS_STATUS_SUCCESS;
}

NDIS_STATUS NdisSetOptionalHandlers(NDIS_HANDLE NdisHandle,
				    PNDIS_DRIVER_OPTIONAL_HANDLERS OptionalHandlers)
{
	struct ndis_driver *drv = driver_of(NdisHandle);

	if (!drv || !OptionalHandlers) {
		nirq_log(drv ? drv->rt : nirq_rt_current(), NIRQ_LOG_ERROR,
			 "NdisSetOptionalHandlers: %s; returning NDIS_STATUS_FAILURE",
			 drv ? "OptionalHandlers is NULL"
			 : "NdisHandle is not the driver handle given to MiniportSetOptions");
		return NDIS_STATUS_FAILURE;
	}
	switch (OptionalHandlers->Header.Type) {
	case NDIS_OBJECT_TYPE_MINIPORT_PNP_CHARACTERISTICS:
		return store_pnp(drv, (NDIS_MINIPORT_PNP_CHARACTERISTICS *)
					      (void *)OptionalHandlers);
	case NDIS_OBJECT_TYPE_MINIPORT_SS_CHARACTERISTICS:
		return NDIS_STATUS_SUCCESS; /* selective suspend: accepted, ignored */
	default:
		nirq_log(drv->rt, NIRQ_LOG_WARN, "NdisSetOptionalHandlers: "
			 "Header.Type 0x%02x is not supported (only PnP 0x92 and "
			 "selective suspend 0xb4); returning NDIS_STATUS_NOT_SUPPORTED",
			 OptionalHandlers->Header.Type);
		return NDIS_STATUS_NOT_SUPPORTED;
	}
}

/* ----------------------------------------- NdisMSetMiniportAttributes */

struct nirq_adapter *ndis__adapter_from_handle(void *handle, const char *api)
{
	struct nirq_adapter *ad = handle;

	if (ad && ad->magic == NDIS_ADAPTER_MAGIC)
		return ad;
	nirq_verifier_report(NULL, "invalid MiniportAdapterHandle", handle,
			     "%s: not the adapter handle given to "
			     "MiniportInitializeEx", api);
	return NULL;
}

static NDIS_STATUS set_registration(struct nirq_adapter *ad,
				    const NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES *a)
{
	const NDIS_OBJECT_HEADER *h = &a->Header;

	if (h->Revision < 1 || h->Revision > 2) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "NdisMSetMiniportAttributes: "
			 "registration attributes Header.Revision %u: must be 1 or "
			 "2; returning NDIS_STATUS_BAD_VERSION", h->Revision);
		return NDIS_STATUS_BAD_VERSION;
	}
	if (h->Size < NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "NdisMSetMiniportAttributes: "
			 "registration attributes Header.Size %u: must be >= %u; "
			 "returning NDIS_STATUS_INVALID_PARAMETER", h->Size,
			 (unsigned)NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1);
		return NDIS_STATUS_INVALID_PARAMETER;
	}
	if (ad->state != NDIS_ADAPTER_INITIALIZING) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "NdisMSetMiniportAttributes: "
			 "registration attributes outside MiniportInitializeEx; "
			 "returning NDIS_STATUS_FAILURE");
		return NDIS_STATUS_FAILURE;
	}
	ad->miniport_adapter_context = a->MiniportAdapterContext;
	ad->attribute_flags = a->AttributeFlags;
	ad->attributes_set = 1;
	return NDIS_STATUS_SUCCESS;
}

/* Types accepted and ignored: general, offload, 802.11, hardware assist, NDK. */
static bool attributes_ignored(UCHAR type)
{
	return type == NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES ||
	       type == NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES ||
	       type == NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_NATIVE_802_11_ATTRIBUTES ||
	       type == NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES ||
	       type == NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_NDK_ATTRIBUTES;
}

NDIS_STATUS NdisMSetMiniportAttributes(NDIS_HANDLE NdisMiniportHandle,
				       PNDIS_MINIPORT_ADAPTER_ATTRIBUTES a)
{
	struct nirq_adapter *ad = ndis__adapter_from_handle(NdisMiniportHandle,
							    "NdisMSetMiniportAttributes");

	if (!ad)
		return NDIS_STATUS_INVALID_PARAMETER;
	if (!a) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "NdisMSetMiniportAttributes: "
			 "MiniportAttributes is NULL; returning NDIS_STATUS_INVALID_PARAMETER");
		return NDIS_STATUS_INVALID_PARAMETER;
	}
	if (a->Header.Type == NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES)
		return set_registration(ad, &a->RegistrationAttributes);
	if (attributes_ignored(a->Header.Type)) {
		if (!ad->attributes_set)
			nirq_log(ad->rt, NIRQ_LOG_WARN, "NdisMSetMiniportAttributes: "
				 "attributes of type 0x%02x before the registration "
				 "attributes (0x9e), which must come first",
				 a->Header.Type);
		return NDIS_STATUS_SUCCESS;
	}
	nirq_log(ad->rt, NIRQ_LOG_ERROR, "NdisMSetMiniportAttributes: Header.Type "
		 "0x%02x: not an adapter attribute this host accepts (0x9e "
		 "registration; 0x9f, 0xa0, 0xa1, 0xaf, 0xb3 ignored; 0xa4 only from "
		 "MiniportAddDevice, which is never called); returning "
		 "NDIS_STATUS_INVALID_PARAMETER", a->Header.Type);
	return NDIS_STATUS_INVALID_PARAMETER;
}

/* ---------------------------------------------------- I/O space */

/* The memory BAR whose bus range holds [pa, pa + len), or -1. */
static int find_bar(struct nirq_platform *pf, uint64_t pa, uint64_t len,
		    struct nirq_bar_info *out)
{
	for (unsigned bar = 0; bar < BARS; bar++) {
		if (pf->ops->bar_info(pf, bar, out) || !out->size || out->io)
			continue;
		if (pa >= out->bus_addr && len <= out->size &&
		    pa - out->bus_addr <= out->size - len)
			return (int)bar;
	}
	return -1;
}

static NDIS_STATUS map_bar(struct nirq_adapter *ad, unsigned bar, uint64_t size)
{
	struct io_map *m = &ext_of(ad)->map[bar];
	int rc;

	if (m->refs) {
		m->refs++;
		return NDIS_STATUS_SUCCESS;
	}
	rc = nirq_mmio_map(ad->pf, bar, &m->base);
	if (rc) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "NdisMMapIoSpace: mapping BAR%u "
			 "failed: %s; returning NDIS_STATUS_RESOURCES", bar,
			 strerror(-rc));
		m->base = NULL;
		return NDIS_STATUS_RESOURCES;
	}
	m->size = size;
	m->refs = 1;
	return NDIS_STATUS_SUCCESS;
}

static NDIS_STATUS map_check(struct nirq_adapter *ad, PVOID *va, UINT len)
{
	if (!va || !len) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "NdisMMapIoSpace: %s; returning "
			 "NDIS_STATUS_INVALID_PARAMETER", va ? "Length is 0"
			 : "VirtualAddress is NULL");
		return NDIS_STATUS_INVALID_PARAMETER;
	}
	if (!ad->attributes_set) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "NdisMMapIoSpace: called before "
			 "NdisMSetMiniportAttributes (registration attributes); "
			 "returning NDIS_STATUS_FAILURE");
		return NDIS_STATUS_FAILURE;
	}
	return NDIS_STATUS_SUCCESS;
}

NDIS_STATUS NdisMMapIoSpace(PVOID *VirtualAddress, NDIS_HANDLE MiniportAdapterHandle,
			    NDIS_PHYSICAL_ADDRESS PhysicalAddress, UINT Length)
{
	struct nirq_adapter *ad = ndis__adapter_from_handle(MiniportAdapterHandle,
							    "NdisMMapIoSpace");
	uint64_t pa = (uint64_t)PhysicalAddress.QuadPart;
	struct nirq_bar_info bi;
	NDIS_STATUS st;
	int bar;

	if (VirtualAddress)
		*VirtualAddress = NULL;
	if (!ad)
		return NDIS_STATUS_FAILURE;
	st = map_check(ad, VirtualAddress, Length);
	if (st != NDIS_STATUS_SUCCESS)
		return st;
	bar = find_bar(ad->pf, pa, Length, &bi);
	if (bar < 0) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "NdisMMapIoSpace: PhysicalAddress "
			 "0x%llx Length 0x%x: not inside a memory BAR listed in "
			 "AllocatedResources; returning NDIS_STATUS_FAILURE",
			 (unsigned long long)pa, Length);
		return NDIS_STATUS_FAILURE;
	}
	st = map_bar(ad, (unsigned)bar, bi.size);
	if (st == NDIS_STATUS_SUCCESS)
		*VirtualAddress = (char *)ext_of(ad)->map[bar].base + (pa - bi.bus_addr);
	return st;
}

VOID NdisMUnmapIoSpace(NDIS_HANDLE MiniportAdapterHandle, PVOID VirtualAddress,
		       UINT Length)
{
	struct nirq_adapter *ad = ndis__adapter_from_handle(MiniportAdapterHandle,
							    "NdisMUnmapIoSpace");
	char *va = VirtualAddress;

	if (!ad)
		return;
	for (unsigned bar = 0; bar < BARS; bar++) {
		struct io_map *m = &ext_of(ad)->map[bar];
		char *base = m->base;

		if (!m->refs || va < base || va >= base + m->size)
			continue;
		if ((uint64_t)(va - base) + Length > m->size)
			nirq_log(ad->rt, NIRQ_LOG_WARN, "NdisMUnmapIoSpace: Length 0x%x "
				 "runs past the end of BAR%u", Length, bar);
		if (--m->refs == 0) {
			nirq_mmio_unmap(m->base);
			m->base = NULL;
		}
		return;
	}
	nirq_log(ad->rt, NIRQ_LOG_ERROR, "NdisMUnmapIoSpace: VirtualAddress %p "
		 "was not returned by NdisMMapIoSpace for this adapter", VirtualAddress);
}

/* ------------------------------------------- PCI configuration space */

static struct nirq_adapter *bus_adapter(NDIS_HANDLE h, ULONG space, PVOID buf,
					const char *api)
{
	struct nirq_adapter *ad = ndis__adapter_from_handle(h, api);

	if (!ad)
		return NULL;
	if (!buf) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "%s: Buffer is NULL; returning 0 bytes",
			 api);
		return NULL;
	}
	if (space != PCI_WHICHSPACE_CONFIG) {
		nirq_log(ad->rt, NIRQ_LOG_ERROR, "%s: WhichSpace 0x%x: only "
			 "PCI_WHICHSPACE_CONFIG (0) is supported; returning 0 bytes",
			 api, (unsigned)space);
		return NULL;
	}
	return ad;
}

ULONG NdisMGetBusData(NDIS_HANDLE NdisMiniportHandle, ULONG WhichSpace,
		      ULONG Offset, PVOID Buffer, ULONG Length)
{
	struct nirq_adapter *ad = bus_adapter(NdisMiniportHandle, WhichSpace,
					      Buffer, "NdisMGetBusData");

	if (!ad || !Length)
		return 0;
	return ad->pf->ops->config_read(ad->pf, Offset, Buffer, Length);
}

ULONG NdisMSetBusData(NDIS_HANDLE NdisMiniportHandle, ULONG WhichSpace,
		      ULONG Offset, PVOID Buffer, ULONG Length)
{
	struct nirq_adapter *ad = bus_adapter(NdisMiniportHandle, WhichSpace,
					      Buffer, "NdisMSetBusData");

	if (!ad || !Length)
		return 0;
	return ad->pf->ops->config_write(ad->pf, Offset, Buffer, Length);
}

/* ------------------------------------------------- the adapter (host) */

int ndis__adapter_create(struct nirq_adapter **out)
{
	struct adapter_ext *ext = nirq_fault_calloc(1, sizeof(*ext));

	if (!ext)
		return -ENOMEM;
	ext->ad.magic = NDIS_ADAPTER_MAGIC;
	*out = &ext->ad;
	return 0;
}

unsigned ndis__adapter_mappings(const struct nirq_adapter *ad)
{
	const struct adapter_ext *ext = (const struct adapter_ext *)(const void *)ad;
	unsigned n = 0;

	for (unsigned bar = 0; bar < BARS; bar++)
		n += ext->map[bar].refs;
	return n;
}

void ndis__adapter_destroy(struct nirq_adapter *ad)
{
	struct adapter_ext *ext = ext_of(ad);

	for (unsigned bar = 0; bar < BARS; bar++) {
		if (!ext->map[bar].refs)
			continue;
		nirq_log(ad->rt, NIRQ_LOG_WARN, "host: BAR%u is still mapped by "
			 "the miniport (NdisMUnmapIoSpace missing); unmapping it",
			 bar);
		nirq_mmio_unmap(ext->map[bar].base);
	}
	free(ad->resources);
	ad->magic = 0;
	free(ext);
}

/* Memory BARs of @pf in BAR order (count only when @d is NULL). */
static int add_memory(struct nirq_adapter *ad, CM_PARTIAL_RESOURCE_DESCRIPTOR *d,
		      ULONG *n)
{
	struct nirq_bar_info bi;
	int rc;

	for (unsigned bar = 0; bar < BARS; bar++) {
		rc = ad->pf->ops->bar_info(ad->pf, bar, &bi);
		if (rc)
			return rc;
		if (!bi.size || bi.io)
			continue;
		if (bi.size > UINT32_MAX) {
			nirq_log(ad->rt, NIRQ_LOG_WARN, "host: BAR%u (%llu bytes) is "
				 "too large for CmResourceTypeMemory; not listed",
				 bar, (unsigned long long)bi.size);
			continue;
		}
		if (d) {
			d[*n].Type = CmResourceTypeMemory;
			d[*n].ShareDisposition = CmResourceShareDeviceExclusive;
			d[*n].Flags = CM_RESOURCE_MEMORY_READ_WRITE;
			d[*n].u.Memory.Start.QuadPart = (LONGLONG)bi.bus_addr;
			d[*n].u.Memory.Length = (ULONG)bi.size;
		}
		(*n)++;
	}
	return 0;
}

static void add_message(CM_PARTIAL_RESOURCE_DESCRIPTOR *d, USHORT count,
			ULONG vector, KAFFINITY affinity)
{
	d->Type = CmResourceTypeInterrupt;
	d->ShareDisposition = CmResourceShareDeviceExclusive;
	d->Flags = CM_RESOURCE_INTERRUPT_LATCHED | CM_RESOURCE_INTERRUPT_MESSAGE;
	d->u.MessageInterrupt.Raw.MessageCount = count;
	d->u.MessageInterrupt.Raw.Vector = vector;
	d->u.MessageInterrupt.Raw.Affinity = affinity;
}

static void add_line(CM_PARTIAL_RESOURCE_DESCRIPTOR *d, ULONG vector,
		     KAFFINITY affinity)
{
	d->Type = CmResourceTypeInterrupt;
	d->ShareDisposition = CmResourceShareShared;
	d->Flags = CM_RESOURCE_INTERRUPT_LEVEL_SENSITIVE;
	d->u.Interrupt.Level = vector;
	d->u.Interrupt.Vector = vector;
	d->u.Interrupt.Affinity = affinity;
}

/*
 * The interrupt resources, last (spec miniport-subset §4.2 DESIGN NOTE):
 * MSI-X one descriptor per message, MSI one with the message count, a line
 * one level-sensitive shared descriptor.
 */
static ULONG add_interrupts(const struct nirq_grant *g,
			    CM_PARTIAL_RESOURCE_DESCRIPTOR *d)
{
	KAFFINITY all = 0;

	switch (g->kind) {
	case NIRQ_KIND_MSIX:
		for (uint32_t i = 0; i < g->count; i++)
			add_message(&d[i], 1, g->vector[i], (KAFFINITY)1 << g->target[i]);
		return g->count;
	case NIRQ_KIND_MSI:
		for (uint32_t i = 0; i < g->count; i++)
			all |= (KAFFINITY)1 << g->target[i];
		add_message(d, (USHORT)g->count, g->vector[0], all);
		return 1;
	case NIRQ_KIND_LINE:
		add_line(d, g->vector[0], (KAFFINITY)1 << g->target[0]);
		return 1;
	default:
		return 0;
	}
}

static ULONG interrupt_descriptors(const struct nirq_grant *g)
{
	if (g->kind == NIRQ_KIND_MSIX)
		return g->count;
	return g->kind == NIRQ_KIND_NONE ? 0 : 1;
}

int ndis__adapter_build_resources(struct nirq_adapter *ad)
{
	ULONG nmem = 0, n;
	PCM_PARTIAL_RESOURCE_LIST list;
	int rc = add_memory(ad, NULL, &nmem);

	if (rc)
		return rc;
	n = nmem + interrupt_descriptors(&ad->grant);
	list = nirq_fault_calloc(1, offsetof(CM_PARTIAL_RESOURCE_LIST, PartialDescriptors) +
			 (n ? n : 1) * sizeof(CM_PARTIAL_RESOURCE_DESCRIPTOR));
	if (!list)
		return -ENOMEM;
	list->Version = 1;
	list->Revision = 1;
	nmem = 0;
	rc = add_memory(ad, list->PartialDescriptors, &nmem);
	if (rc) {
		free(list);
		return rc;
	}
	list->Count = nmem + add_interrupts(&ad->grant, &list->PartialDescriptors[nmem]);
	free(ad->resources);
	ad->resources = list;
	return 0;
}

int32_t ndis__adapter_call_initialize(struct nirq_adapter *ad, struct ndis_driver *drv)
{
	NDIS_MINIPORT_INIT_PARAMETERS *p = &ext_of(ad)->init;

	memset(p, 0, sizeof(*p));
	p->Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INIT_PARAMETERS;
	p->Header.Revision = NDIS_MINIPORT_INIT_PARAMETERS_REVISION_1;
	p->Header.Size = NDIS_SIZEOF_MINIPORT_INIT_PARAMETER_REVISION_1;
	p->AllocatedResources = ad->resources;
	p->IfIndex = 1;
	return drv->chars.InitializeHandlerEx(ad, drv->driver_context, p);
}

void ndis__adapter_call_halt(struct nirq_adapter *ad, struct ndis_driver *drv)
{
	drv->chars.HaltHandlerEx(ad->miniport_adapter_context, NdisHaltDeviceDisabled);
}
