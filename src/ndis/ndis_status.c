/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/*
 * NDIS shims: the single mapping from the native API's negative errno
 * returns to NDIS_STATUS codes (NIRQ_ERRNO_NDIS_MAP in ndis_status.h).
 */
#include <errno.h>

#include <ndis.h>

#include "ndis/ndis_status.h"

int32_t nirq__ndis_status_from_errno(int err)
{
	if (err > 0)
		err = -err;
	switch (err) {
	case 0:
		return NDIS_STATUS_SUCCESS;
#define NIRQ__ERRNO_CASE(e, status) \
	case -(e):                  \
		return status;
		NIRQ_ERRNO_NDIS_MAP(NIRQ__ERRNO_CASE)
#undef NIRQ__ERRNO_CASE
	default:
		return NDIS_STATUS_FAILURE;
	}
}
