/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 The ndisirq authors. */
/* Private to src/ndis: negative errno -> NDIS_STATUS (one table, ndis_status.c). */
#ifndef NDIS_STATUS_PRIV_H
#define NDIS_STATUS_PRIV_H

#include <stdint.h>

/*
 * NIRQ_ERRNO_NDIS_MAP(X) - the one errno -> NDIS_STATUS table:
 * X(positive errno, NDIS_STATUS name). An errno not listed maps to
 * NDIS_STATUS_FAILURE. Expand it where <errno.h> and <ndis.h> are included.
 */
#define NIRQ_ERRNO_NDIS_MAP(X)                       \
	X(ENOMEM, NDIS_STATUS_RESOURCES)             \
	X(ENOSPC, NDIS_STATUS_RESOURCES)             \
	X(EINVAL, NDIS_STATUS_INVALID_PARAMETER)     \
	X(EBUSY, NDIS_STATUS_FAILURE)

/**
 * nirq__ndis_status_from_errno() - the NDIS_STATUS for a negative errno.
 * @err: 0 or a negative errno (a positive errno is taken as its negation).
 *
 * Context: any; no allocation, no logging.
 * Return: NDIS_STATUS_SUCCESS for 0; the table's status; otherwise
 *         NDIS_STATUS_FAILURE.
 */
int32_t nirq__ndis_status_from_errno(int err);

#endif /* NDIS_STATUS_PRIV_H */
