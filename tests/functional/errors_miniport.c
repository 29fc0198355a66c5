// SPDX-License-Identifier: MIT
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * A miniport whose DriverEntry succeeds without calling
 * NdisMRegisterMiniportDriver: `ndisirq run` must refuse to start an
 * adapter for it (docs/errors.md, "ndisirq run failures").
 */
#ifndef NDIS_MINIPORT_DRIVER
#define NDIS_MINIPORT_DRIVER 1
#endif
#ifndef NDIS620_MINIPORT
#define NDIS620_MINIPORT 1
#endif
#include <ndis.h>

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING path)
{
	(void)driver;
	(void)path;
	return STATUS_SUCCESS;
}
