/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * <ndis.h> for NDIS 6 miniports on ndisirq: Microsoft's names, values and
 * x86-64 layouts (WDK 10.0.17763) for the interrupt API, the miniport
 * lifecycle subset and the helpers interrupt code calls. Define
 * NDIS_MINIPORT_DRIVER and an NDISxxx_MINIPORT (e.g. NDIS620_MINIPORT)
 * first, exactly as with the WDK. docs/ndis-mapping.md lists every name,
 * what implements it and how it differs from Windows.
 */
#ifndef _NDIS_
#define _NDIS_

#include "ndis_sal.h"
#include "ndis_types.h"
#include "ndis_wdm.h"
#include "ndis_helpers.h"
#include "ndis_interrupt.h"
#include "ndis_miniport.h"
#include "ndis_dma.h"

#endif /* _NDIS_ */
